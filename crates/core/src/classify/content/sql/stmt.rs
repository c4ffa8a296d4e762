//! The effect of one statement node, for every `Statement` variant of sqlparser. The match
//! has no catch-all arm: a variant added by a new sqlparser release fails to compile until
//! it is judged here. What a statement nests (queries, expressions, statements in bodies)
//! is visited separately by [`super::walk`].

use sqlparser::ast::{
    AlterSchemaOperation, CopyIntoSnowflakeKind, CopyTarget, Expr, FromTable, MergeAction,
    ObjectType, Set, Statement, TableFactor, TableObject, TransactionAccessMode, TransactionMode,
    Use,
};

use super::super::sqlfilter::{
    always_true, keeps_every_row_in_practice, only_joins, row_independent,
};
use super::super::sqllex::{self, Tok};
use super::walk::Walk;
use super::{functions, rules};
use crate::Effect::{self, Admin, Destructive, Mutating, Read};
use crate::classify::content::prefix;

/// The reason for an insert; the fast path (`fast/sql/write.rs`) cites the same words.
pub(crate) const INSERTS: &str = "inserts rows";

pub(super) fn filter_effect(selection: Option<&Expr>, verb: &str) -> (Effect, String) {
    match selection {
        None => (Destructive, format!("{verb} every row (no `WHERE`)")),
        Some(e) if always_true(e) => (
            Destructive,
            format!(
                "{verb} every row (`WHERE {}` is always true)",
                prefix(&e.to_string(), 40)
            ),
        ),
        Some(e) if row_independent(e) => (
            Destructive,
            format!(
                "{verb} every row or none (`WHERE {}` names no column)",
                prefix(&e.to_string(), 40)
            ),
        ),
        Some(e) if keeps_every_row_in_practice(e) => (
            Destructive,
            format!(
                "{verb} every row in practice (`WHERE {}` holds for every key or past time)",
                prefix(&e.to_string(), 40)
            ),
        ),
        Some(_) => (Mutating, format!("{verb} rows matching a filter")),
    }
}

/// Settings whose change escapes a read-only or security guard.
pub(crate) const GUARD_SETTINGS: &[&str] = &[
    "default_transaction_read_only",
    "transaction_read_only",
    "session_replication_role",
    "row_security",
    "allow_system_table_mods",
    "session_authorization",
    "role",
    "sql_safe_updates",
    "read_only",
    "super_read_only",
    "foreign_key_checks",
    "sql_log_bin",
    "log_statement",
    "search_path",
    "local_infile",
    "secure_file_priv",
    "general_log_file",
    "general_log",
    "xp_cmdshell",
];

fn set_effect(s: &Set) -> (Effect, String) {
    match s {
        Set::SetRole { .. } => (Admin, "changes the session role".into()),
        Set::SetSessionAuthorization(_) => (Admin, "changes the session user".into()),
        Set::SetTransaction { modes, .. } => {
            transaction_modes(modes).unwrap_or((Mutating, "sets transaction options".into()))
        }
        _ => {
            let text = s.to_string().to_ascii_lowercase();
            // MySQL's `SET PASSWORD = '…'`, parsed as a variable named `password`.
            if text
                .strip_prefix("set password")
                .is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric() || c == '_'))
            {
                return (Admin, "sets a password".into());
            }
            let global = text.starts_with("set global") || text.starts_with("set persist");
            match GUARD_SETTINGS.iter().find(|g| {
                text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .any(|w| w == **g)
            }) {
                Some(g) if *g != "search_path" || global => {
                    (Admin, format!("changes `{g}`, a guard setting"))
                }
                _ if global => (Admin, "changes a global server setting".into()),
                _ => (Mutating, "changes a session setting".into()),
            }
        }
    }
}

fn transaction_modes(modes: &[TransactionMode]) -> Option<(Effect, String)> {
    modes
        .iter()
        .any(|m| {
            matches!(
                m,
                TransactionMode::AccessMode(TransactionAccessMode::ReadWrite)
            )
        })
        .then(|| (Admin, "switches the transaction to read write".into()))
}

/// Vendor table options that destroy data or its recovery, in a statement's text.
fn retention_effect(upper: &str) -> Option<(Effect, String)> {
    let squeezed: String = upper.chars().filter(|c| !c.is_whitespace()).collect();
    if squeezed.contains("DATA_RETENTION_TIME_IN_DAYS=0")
        || squeezed.contains("MAX_DATA_EXTENSION_TIME_IN_DAYS=0")
    {
        return Some((
            Destructive,
            "sets data retention to 0 (no Time Travel recovery)".into(),
        ));
    }
    if squeezed.contains("EXPIRATION_TIMESTAMP=")
        || squeezed.contains("PARTITION_EXPIRATION_DAYS=")
        || squeezed.contains("DEFAULT_TABLE_EXPIRATION_DAYS=")
    {
        return Some((
            Destructive,
            "sets an expiration that deletes the data".into(),
        ));
    }
    if let Some(hit) = rules::lake_retention(upper) {
        return Some(hit);
    }
    if squeezed.contains("ENGINE=BLACKHOLE") {
        return Some((
            Destructive,
            "moves the table to the BLACKHOLE engine (its rows are discarded)".into(),
        ));
    }
    None
}

fn worst(a: (Effect, String), b: Option<(Effect, String)>) -> (Effect, String) {
    match b {
        // As `Effect::max`: the higher rank, and on equal rank `Admin` over `Destructive`.
        Some(b) if b.0 != a.0 && a.0.max(b.0) == b.0 => b,
        _ => a,
    }
}

fn create_or_replace(what: &str, or_replace: bool, upper: &str) -> (Effect, String) {
    let base = if or_replace {
        (
            Destructive,
            format!("replaces a {what} (`CREATE OR REPLACE` drops the existing one's data)"),
        )
    } else {
        (Mutating, format!("creates a {what}"))
    };
    worst(base, retention_effect(upper))
}

fn alter_table_effect(ops: &[String], upper: &str) -> (Effect, String) {
    let mut best = (Mutating, "alters a table".to_string());
    for o in ops {
        let found = if o.starts_with("DROP") || o.starts_with("TRUNCATE") {
            (
                Destructive,
                format!(
                    "drops part of a table (`{}`)",
                    prefix(o, 40).to_ascii_lowercase()
                ),
            )
        } else if o.starts_with("DETACH PARTITION") || o.starts_with("DETACH PART ") {
            (
                Destructive,
                "takes a partition's data out of the table (`DETACH PARTITION`)".into(),
            )
        } else if o.starts_with("ALTER COLUMN")
            && o.split_once(" USING ").is_some_and(|(_, e)| constant(e))
        {
            (
                Destructive,
                "replaces every value of a column with a constant (`TYPE … USING`)".into(),
            )
        } else if o.starts_with("SWAP WITH") {
            (Destructive, "swaps the table's data with another's".into())
        } else if o.starts_with("DELETE") || o.starts_with("UPDATE") {
            (
                Destructive,
                "rewrites or deletes rows (`ALTER TABLE … DELETE`)".into(),
            )
        } else if o.contains("ROW LEVEL SECURITY") || o.starts_with("OWNER TO") {
            (
                Admin,
                "changes who can see the table's rows or who owns it".into(),
            )
        } else if o.starts_with("DISABLE TRIGGER") || o.starts_with("DISABLE RULE") {
            (Admin, "disables a trigger or rule".into())
        } else {
            continue;
        };
        if found.0.rank() > best.0.rank() {
            best = found;
        }
    }
    worst(best, retention_effect(upper))
}

/// True if a rendered expression is a constant: a number, a string, `NULL`, or one cast
/// (`0`, `'x'::text`, `NULL::int`).
fn constant(e: &str) -> bool {
    let e = e
        .trim()
        .trim_start_matches('(')
        .trim_end_matches(')')
        .trim();
    let e = e.split_once("::").map_or(e, |(v, _)| v).trim();
    // `CAST(NULL AS text)`.
    let e = match e.get(..5) {
        Some(c) if c.eq_ignore_ascii_case("CAST(") => e
            .get(5..)
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or(e),
        _ => e,
    };
    e.eq_ignore_ascii_case("NULL")
        || e.parse::<f64>().is_ok()
        || (e.len() >= 2 && e.starts_with('\'') && e.ends_with('\''))
}

fn pragma_effect(name: &str, is_eq: bool, has_value: bool) -> (Effect, String) {
    let n = name.to_ascii_lowercase();
    if n.contains("writable_schema") || n.contains("trusted_schema") {
        (Admin, format!("sets `pragma {n}`"))
    } else if (is_eq || has_value) && n.contains("schema_version") {
        // SQLite's documentation: setting it "will usually lead to a corrupt database".
        (
            Destructive,
            format!("sets `pragma {n}`, which corrupts the database"),
        )
    } else if is_eq
        || (has_value
            && !matches!(
                n.as_str(),
                "table_info" | "table_xinfo" | "index_list" | "index_info" | "foreign_key_list"
            ))
        || matches!(
            n.as_str(),
            "wal_checkpoint" | "optimize" | "incremental_vacuum"
        )
    {
        (Mutating, format!("sets `pragma {n}`"))
    } else {
        (Read, format!("reads `pragma {n}`"))
    }
}

fn function_body(s: &Statement, w: &mut Walk) -> (Effect, String) {
    let t = s.to_string();
    for (tok, _) in sqllex::lex(&t).toks {
        if let Tok::Str(b) = tok {
            w.bodies.push(b);
        }
    }
    let upper = t.to_ascii_uppercase();
    let name = match s {
        Statement::CreateFunction(f) => f.name.to_string(),
        Statement::CreateProcedure { name, .. } | Statement::CreateMacro { name, .. } => {
            name.to_string()
        }
        Statement::CreateTrigger(c) => c.name.to_string(),
        _ => String::new(),
    };
    if let Some(hit) = rules::audit_routine(&upper, &name) {
        return hit;
    }
    if matches!(s, Statement::CreateTrigger(_))
        && (upper.contains("EXECUTE FUNCTION") || upper.contains("EXECUTE PROCEDURE"))
    {
        return (
            Destructive,
            "creates a trigger that runs a function whose body is not visible".into(),
        );
    }
    if [
        "PLPYTHON",
        "PLPERLU",
        "PLSH",
        "LANGUAGE C",
        "PLTCLU",
        "PLV8",
    ]
    .iter()
    .any(|l| upper.contains(l))
        || upper.contains("SECURITY DEFINER")
    {
        (
            Admin,
            "creates a function in an untrusted language or with definer rights".into(),
        )
    } else {
        (Mutating, "creates a function, procedure or trigger".into())
    }
}

/// The effect of a statement node itself (what it nests is visited separately).
pub(super) fn node_effect(s: &Statement, w: &mut Walk) -> (Effect, String) {
    let upper = || s.to_string().to_ascii_uppercase();
    let reads = || (Read, super::walk::READS.to_string());
    match s {
        Statement::Query(_) => reads(),
        Statement::Insert(i) if i.replace_into => (
            Destructive,
            "replaces rows (`REPLACE` deletes conflicting rows)".into(),
        ),
        Statement::Insert(i) if i.overwrite => (Destructive, "overwrites a table".into()),
        Statement::Insert(_) if upper().starts_with("INSERT OR REPLACE") => (
            Destructive,
            "replaces rows (`INSERT OR REPLACE` deletes conflicting rows)".into(),
        ),
        Statement::Insert(i) => match &i.table {
            TableObject::TableFunction(f) => rules::insert_into_function(f),
            TableObject::TableName(name) => worst(
                worst(
                    worst(
                        rules::insert_function_text(&s.to_string())
                            .unwrap_or((Mutating, INSERTS.into())),
                        rules::catalog_target([name], [], "writes to"),
                    ),
                    rules::access_insert(&name.to_string(), &s.to_string()),
                ),
                rules::fts_command(i, name),
            ),
            TableObject::TableQuery(_) => {
                rules::insert_function_text(&s.to_string()).unwrap_or((Mutating, INSERTS.into()))
            }
        },
        Statement::Directory { overwrite, .. } => {
            if *overwrite {
                (Destructive, "overwrites a directory".into())
            } else {
                (Mutating, "writes a directory".into())
            }
        }
        Statement::Update(u) => worst(
            worst(
                worst(
                    filter_effect(u.selection.as_ref(), "updates"),
                    rules::audit_target([], [&u.table], "rewrites"),
                ),
                rules::catalog_target([], [&u.table], "writes to"),
            ),
            rules::access_update(&u.assignments),
        ),
        Statement::Delete(d) => {
            let from = match &d.from {
                FromTable::WithFromKeyword(t) | FromTable::WithoutKeyword(t) => t,
            };
            // `DELETE FROM a USING b WHERE a.k = b.k`: a filter that only joins the tables
            // removes every row of `a` that has a match, not rows chosen by a value.
            let joined = d.using.as_ref().is_some_and(|u| !u.is_empty())
                || from.len() > 1
                || from.iter().any(|t| !t.joins.is_empty());
            let filter = match &d.selection {
                Some(e) if joined && only_joins(e) => (
                    Destructive,
                    format!(
                        "deletes every row with a match (`WHERE {}` only joins tables)",
                        prefix(&e.to_string(), 40)
                    ),
                ),
                selection => filter_effect(selection.as_ref(), "deletes"),
            };
            worst(
                worst(filter, rules::audit_target(&d.tables, from, "deletes")),
                rules::catalog_target(&d.tables, from, "deletes from"),
            )
        }
        Statement::Merge(m) => {
            let name = if let TableFactor::Table { name, .. } = &m.table {
                Some(name)
            } else {
                None
            };
            let base = if name.is_some_and(|n| rules::audit_name(&n.to_string())) {
                (
                    Destructive,
                    "merges into an audit trail (records can be rewritten)".into(),
                )
            } else if m
                .clauses
                .iter()
                .any(|c| matches!(c.action, MergeAction::Delete { .. }))
            {
                (Destructive, "deletes rows (`MERGE … THEN DELETE`)".into())
            } else {
                (Mutating, "merges rows".into())
            };
            worst(base, rules::catalog_target(name, [], "merges into"))
        }
        Statement::Drop { object_type, .. } => {
            let kind = object_type.to_string().to_ascii_lowercase();
            let e = if matches!(
                object_type,
                ObjectType::Role | ObjectType::User | ObjectType::Group
            ) {
                Admin
            } else {
                Destructive
            };
            (e, format!("drops a {kind}"))
        }
        Statement::DropPolicy(_) | Statement::DropSecret { .. } => {
            (Admin, "drops an access rule".into())
        }
        Statement::DropFunction(_)
        | Statement::DropProcedure { .. }
        | Statement::DropDomain(_)
        | Statement::DropRule(_)
        | Statement::DropTrigger(_)
        | Statement::DropExtension(_)
        | Statement::DropOperator(_)
        | Statement::DropOperatorFamily(_)
        | Statement::DropOperatorClass(_)
        | Statement::DropConnector { .. } => (Destructive, "drops an object".into()),
        Statement::Truncate(_) => (Destructive, "truncates a table".into()),
        Statement::Remove(_) => (Destructive, "removes staged files".into()),
        Statement::Unload { .. } | Statement::ExportData(_) => {
            (Admin, "writes query results to external storage".into())
        }
        Statement::AlterTable(a) => {
            let ops: Vec<String> = a
                .operations
                .iter()
                .map(|o| o.to_string().to_ascii_uppercase())
                .collect();
            alter_table_effect(&ops, &upper())
        }
        Statement::Grant(_)
        | Statement::GrantRole(_)
        | Statement::Deny(_)
        | Statement::Revoke(_)
        | Statement::RevokeRole(_)
        | Statement::AlterDefaultPrivileges(_) => (Admin, "changes privileges".into()),
        Statement::CreateRole(_)
        | Statement::AlterRole { .. }
        | Statement::CreateUser(_)
        | Statement::AlterUser(_) => (Admin, "creates or changes a role or user".into()),
        Statement::CreatePolicy(_) | Statement::AlterPolicy(_) => {
            (Admin, "changes a row-level security policy".into())
        }
        Statement::CreateServer(_)
        | Statement::CreateUserMapping(_)
        | Statement::CreateForeignDataWrapper(_)
        | Statement::CreateSecret { .. }
        | Statement::CreateExtension(_)
        | Statement::CreateConnector(_)
        | Statement::AlterConnector { .. }
        | Statement::Install { .. }
        | Statement::Load { .. } => (Admin, "installs code or connections into the server".into()),
        Statement::Copy { target, to, .. } => match target {
            CopyTarget::Program { .. } => (
                Destructive,
                "runs a program on the server (`COPY … PROGRAM`)".into(),
            ),
            CopyTarget::File { .. } => (Admin, "reads or writes a file on the server".into()),
            CopyTarget::Stdout if *to => (Read, "copies rows out".into()),
            CopyTarget::Stdin | CopyTarget::Stdout => (Mutating, "copies rows in".into()),
        },
        Statement::CopyIntoSnowflake {
            kind: CopyIntoSnowflakeKind::Location,
            into,
            ..
        } => {
            let squeezed: String = upper().split_whitespace().collect();
            match rules::snowflake_unload(into) {
                (Mutating, _) if squeezed.contains("OVERWRITE=TRUE") => {
                    (Destructive, "overwrites staged files".into())
                }
                hit => hit,
            }
        }
        Statement::CopyIntoSnowflake { .. } | Statement::Put { .. } => {
            let squeezed: String = upper().split_whitespace().collect();
            if squeezed.contains("OVERWRITE=TRUE") {
                (Destructive, "overwrites a table or staged files".into())
            } else {
                (Mutating, "copies data into a table or stage".into())
            }
        }
        Statement::LoadData {
            local,
            overwrite,
            inpath,
            ..
        } => {
            if super::super::args::secret_path(inpath) {
                (Admin, "loads a secret file into a table".into())
            } else if *overwrite {
                (Destructive, "overwrites a table from a file".into())
            } else if *local {
                (Mutating, "loads a client file into a table".into())
            } else {
                (Admin, "reads a file on the server (`LOAD DATA`)".into())
            }
        }
        // Judged with its options by the walker; a node reached here runs (`ANALYZE`).
        Statement::Explain { .. } => (Read, "explains and runs the statement".into()),
        Statement::Prepare { .. } => (Mutating, "prepares a statement".into()),
        // T-SQL `EXECUTE AS LOGIN = 'sa'` (parsed as a call of `AS`): impersonation.
        Statement::Execute { name, .. }
            if name
                .as_ref()
                .is_some_and(|n| n.to_string().eq_ignore_ascii_case("AS")) =>
        {
            (Admin, "runs as another user (`EXECUTE AS`)".into())
        }
        Statement::Execute {
            name,
            parameters,
            has_parentheses,
            ..
        } => w.execute(name.as_ref(), parameters, *has_parentheses),
        // Snowflake's `USE ROLE ACCOUNTADMIN` is `SET ROLE` (the twenty-fifth sets).
        Statement::Use(Use::Role(_) | Use::SecondaryRoles(_)) => {
            (Admin, "changes the session role (`USE ROLE`)".into())
        }
        // A generic `SHOW a b c …` takes any words: one holding a statement keyword
        // (`SHOW ROW POLICIES DROP TABLE t`) is not proven a read.
        Statement::ShowVariable { variable }
            if variable.iter().skip(1).any(|i| {
                i.quote_style.is_none()
                    && sqllex::STARTS.contains(&i.value.to_ascii_uppercase().as_str())
                    && !i.value.eq_ignore_ascii_case("TABLE")
            }) =>
        {
            let (e, why) = sqllex::worst_keyword(&sqllex::lex(&s.to_string()));
            (e, format!("shows words that hold a statement: {why}"))
        }
        Statement::Call(f) => {
            // Neo4j's procedures parse as a SQL `CALL`; the Cypher they run is in their
            // strings (the twenty-second sets).
            if let Some(found) = super::super::cypher::sql_call(&f.name.to_string(), &s.to_string())
            {
                w.found.push(found);
            }
            let (e, what) = functions::call_effect(&f.name.to_string());
            w.call_arguments(&f.name.to_string(), f);
            let e = if e == Read { Mutating } else { e };
            (e, format!("calls a procedure that {what}"))
        }
        Statement::AttachDatabase { .. } | Statement::AttachDuckDBDatabase { .. } => {
            (Admin, "attaches a database file".into())
        }
        Statement::DetachDuckDBDatabase { .. } => (Mutating, "detaches a database".into()),
        Statement::Pragma { is_eq, value, name } => {
            pragma_effect(&name.to_string(), *is_eq, value.is_some())
        }
        Statement::Vacuum(v) if v.full => (
            Destructive,
            "locks and rewrites tables (`VACUUM FULL`)".into(),
        ),
        Statement::Vacuum(_) => (Mutating, "vacuums tables".into()),
        Statement::Kill { .. } => (Destructive, "kills a session or query".into()),
        Statement::WaitFor(_) => (Destructive, "stalls the session (`WAITFOR`)".into()),
        Statement::Set(set) => set_effect(set),
        Statement::StartTransaction { modes, .. } => {
            transaction_modes(modes).unwrap_or((Read, "starts a transaction".into()))
        }
        Statement::Commit { .. } => (
            Mutating,
            "commits (ends a read-only wrapper's transaction)".into(),
        ),
        Statement::Rollback {
            savepoint: None, ..
        } => (
            Mutating,
            "rolls back (ends a read-only wrapper's transaction)".into(),
        ),
        Statement::Rollback { .. }
        | Statement::Savepoint { .. }
        | Statement::ReleaseSavepoint { .. }
        | Statement::Use(_)
        | Statement::Fetch { .. }
        | Statement::Open(_)
        | Statement::Close { .. }
        | Statement::Declare { .. }
        | Statement::LISTEN { .. }
        | Statement::UNLISTEN { .. }
        | Statement::Case(_)
        | Statement::If(_)
        | Statement::While(_)
        | Statement::Raise(_)
        | Statement::RaisError { .. }
        | Statement::Throw(_)
        | Statement::Return(_)
        | Statement::Print(_)
        | Statement::Assert { .. }
        | Statement::ShowFunctions { .. }
        | Statement::ShowVariable { .. }
        | Statement::ShowStatus { .. }
        | Statement::ShowVariables { .. }
        | Statement::ShowCreate { .. }
        | Statement::ShowColumns { .. }
        | Statement::ShowCatalogs { .. }
        | Statement::ShowDatabases { .. }
        | Statement::ShowProcessList { .. }
        | Statement::ShowSchemas { .. }
        | Statement::ShowCharset(_)
        | Statement::ShowObjects(_)
        | Statement::ShowTables { .. }
        | Statement::ShowViews { .. }
        | Statement::ShowCollation { .. }
        | Statement::List(_) => reads(),
        // `DESCRIBE '/etc/shadow'`: DuckDB scans a file named as a table (`super::paths`).
        Statement::ExplainTable { table_name, .. } => {
            match super::paths::table_findings(table_name).into_iter().next() {
                Some(why) => (Mutating, why),
                None => reads(),
            }
        }
        Statement::CreateRule(r) => rules::rule_effect(r),
        Statement::CreateFunction(_)
        | Statement::CreateProcedure { .. }
        | Statement::CreateTrigger(_)
        | Statement::CreateMacro { .. } => function_body(s, w),
        Statement::CreateTable(c) => create_or_replace("table", c.or_replace, &upper()),
        Statement::CreateView(_) => {
            let base = (Mutating, "creates a view".into());
            worst(base, retention_effect(&upper()))
        }
        Statement::CreateDatabase { or_replace, .. } => {
            create_or_replace("database", *or_replace, &upper())
        }
        Statement::CreateSchema { or_replace, .. } => {
            create_or_replace("schema", *or_replace, &upper())
        }
        Statement::CreateStage { or_replace, .. } => {
            create_or_replace("stage", *or_replace, &upper())
        }
        Statement::AlterSchema(a)
            if a.operations
                .iter()
                .any(|o| matches!(o, AlterSchemaOperation::OwnerTo { .. })) =>
        {
            (Admin, "changes an owner".into())
        }
        Statement::AlterSchema(_)
        | Statement::AlterSession { .. }
        | Statement::AlterView(_)
        | Statement::AlterIndex { .. } => worst(
            (Mutating, "alters an object".into()),
            retention_effect(&upper()),
        ),
        Statement::Reset(_) => {
            let t = upper();
            if t.contains("MASTER") || t.contains("REPLICA") || t.contains("SLAVE") {
                (
                    Destructive,
                    "resets replication or deletes binary logs".into(),
                )
            } else {
                (Mutating, "resets a setting".into())
            }
        }
        Statement::Flush { .. } => {
            let t = upper();
            if t.contains("PRIVILEGES") {
                (Admin, "reloads privileges".into())
            } else {
                (Mutating, "flushes server state".into())
            }
        }
        Statement::OptimizeTable { deduplicate, .. } => {
            if deduplicate.is_some() {
                (Destructive, "deletes duplicate rows (`DEDUPLICATE`)".into())
            } else {
                (Mutating, "rewrites a table".into())
            }
        }
        Statement::Analyze(_)
        | Statement::Msck(_)
        | Statement::CreateVirtualTable { .. }
        | Statement::CreateIndex(_)
        | Statement::CreateForeignTable(_)
        | Statement::CreateOperator(_)
        | Statement::CreateOperatorFamily(_)
        | Statement::CreateOperatorClass(_)
        | Statement::CreateTextSearch(_)
        | Statement::CreateAggregate(_)
        | Statement::AlterFunction(_)
        | Statement::AlterType(_)
        | Statement::AlterCollation(_)
        | Statement::AlterOperator(_)
        | Statement::AlterOperatorFamily(_)
        | Statement::AlterOperatorClass(_)
        | Statement::AlterTextSearch(_)
        | Statement::AlterTrigger(_)
        | Statement::CreateCollation(_)
        | Statement::Discard { .. }
        | Statement::Comment { .. }
        | Statement::CreateFileFormat { .. }
        | Statement::CreateWarehouse(_)
        | Statement::Deallocate { .. }
        | Statement::Cache { .. }
        | Statement::UNCache { .. }
        | Statement::CreateSequence { .. }
        | Statement::CreateDomain(_)
        | Statement::CreateType { .. }
        | Statement::Lock(_)
        | Statement::LockTables { .. }
        | Statement::UnlockTables
        | Statement::NOTIFY { .. }
        | Statement::RenameTable(_)
        | Statement::RefreshMaterializedView(_) => {
            let t = upper();
            let base = if t.contains(" OWNER TO ") {
                (Admin, "changes ownership".into())
            } else {
                let verb = t
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                (Mutating, format!("changes the database (`{verb}`)"))
            };
            worst(base, retention_effect(&t))
        }
    }
}
