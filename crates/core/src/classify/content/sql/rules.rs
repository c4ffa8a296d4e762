//! Rules about where a statement's data goes and what it removes, beyond the statement's
//! kind: writes to table functions that leave the server (`INSERT INTO FUNCTION url(…)`),
//! unloads to outside storage (Snowflake `COPY INTO 's3://…'`), removals of audit records,
//! lake-table retention shortened below a week (Delta, Iceberg), rewrite rules that discard
//! writes, writes to system catalogs, and the one lowering rule here: DuckDB file readers
//! with literal local paths.

use sqlparser::ast::{
    CreateRule, CreateRuleDoKind, Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments,
    Insert, ObjectName, ObjectNamePart, SetExpr, TableFactor, TableWithJoins, Value,
};

use super::functions;
use crate::Effect::{self, Admin, Destructive, Mutating};
use crate::classify::content::args::write_risk;

/// A part of a name, unquoted and lowercase.
fn part(p: &ObjectNamePart) -> String {
    match p.as_ident() {
        Some(i) => i.value.clone(),
        None => p.to_string(),
    }
    .to_ascii_lowercase()
}

/// The last part of a name, unquoted and lowercase.
fn last_part(name: &ObjectName) -> String {
    name.0.last().map(part).unwrap_or_default()
}

/// True if a name is an audit trail's (`audit_log`, `AuditTrail`, `user_audit`, `audits`),
/// by its words: snake, kebab and camel case are split (`auditor` is a person).
pub(super) fn audit_name(raw: &str) -> bool {
    let mut words: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in raw.chars() {
        if !c.is_alphanumeric() {
            words.push(std::mem::take(&mut cur));
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower {
            words.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    words.push(cur);
    words
        .iter()
        .any(|w| w.starts_with("audit") && !w.starts_with("auditor"))
}

fn table_names(t: &TableWithJoins) -> impl Iterator<Item = &ObjectName> {
    std::iter::once(&t.relation)
        .chain(t.joins.iter().map(|j| &j.relation))
        .filter_map(|f| match f {
            TableFactor::Table { name, .. } => Some(name),
            _ => None,
        })
}

/// The tables a write names: `names`, then each table and join of `tables`.
fn targets<'a>(
    names: impl IntoIterator<Item = &'a ObjectName>,
    tables: impl IntoIterator<Item = &'a TableWithJoins>,
) -> impl Iterator<Item = &'a ObjectName> {
    names
        .into_iter()
        .chain(tables.into_iter().flat_map(table_names))
}

/// A `DELETE`/`UPDATE`/`MERGE` whose target is an audit trail: the record of what happened
/// is removed or rewritten, whatever the filter.
pub(super) fn audit_target<'a>(
    names: impl IntoIterator<Item = &'a ObjectName>,
    tables: impl IntoIterator<Item = &'a TableWithJoins>,
    verb: &str,
) -> Option<(Effect, String)> {
    let hit = targets(names, tables)
        .map(last_part)
        .find(|n| audit_name(n))?;
    Some((
        Destructive,
        format!(
            "{verb} audit records in `{n}` (the trail of what happened)",
            n = hit
        ),
    ))
}

/// Schemas that hold a database's own catalog: roles, privileges, settings, the schema.
const CATALOG_SCHEMAS: &[&str] = &[
    "pg_catalog",
    "pg_toast",
    "information_schema",
    "mysql",
    "performance_schema",
    "sys",
];

/// SQLite's schema tables (writable under `writable_schema`: a write rewrites or corrupts the
/// schema).
const SQLITE_SCHEMA_TABLES: &[&str] = &[
    "sqlite_master",
    "sqlite_schema",
    "sqlite_temp_master",
    "sqlite_temp_schema",
];

/// True if `table` (any case) names a system catalog table wherever it stands: a name that
/// begins with `pg_` (PostgreSQL reserves the prefix for its catalog; a user table so named
/// is judged the same, on the safe side) or SQLite's schema table.
pub(crate) fn catalog_table(table: &str) -> bool {
    let table = table.to_ascii_lowercase();
    table.starts_with("pg_") || SQLITE_SCHEMA_TABLES.contains(&table.as_str())
}

/// True if `schema` (any case) is a schema that holds a database's own catalog.
pub(crate) fn catalog_schema(schema: &str) -> bool {
    CATALOG_SCHEMAS.contains(&schema.to_ascii_lowercase().as_str())
}

/// True if a name is a system catalog's: a catalog table, or any table of a catalog schema.
fn catalog_name(name: &ObjectName) -> bool {
    let Some((table, schemas)) = name.0.split_last() else {
        return false;
    };
    catalog_table(&part(table)) || schemas.iter().any(|s| catalog_schema(&part(s)))
}

/// A write whose target is a system catalog (`UPDATE pg_authid SET rolsuper = true …`,
/// `INSERT INTO mysql.user …`): roles, privileges and settings changed by a plain write,
/// whatever the filter.
pub(super) fn catalog_target<'a>(
    names: impl IntoIterator<Item = &'a ObjectName>,
    tables: impl IntoIterator<Item = &'a TableWithJoins>,
    verb: &str,
) -> Option<(Effect, String)> {
    let hit = targets(names, tables).find(|n| catalog_name(n))?;
    Some((
        Admin,
        format!("{verb} the system catalog `{hit}` (roles, privileges and settings live there)"),
    ))
}

/// `CREATE RULE … DO INSTEAD …` replaces every matching write (or read) on the table with
/// something else (`NOTHING` discards it silently): an audit or integrity bypass.
pub(super) fn rule_effect(r: &CreateRule) -> (Effect, String) {
    let table = last_part(&r.table_name);
    if matches!(r.do_kind, Some(CreateRuleDoKind::Instead)) {
        return (
            Admin,
            format!("creates a rewrite rule that replaces statements on `{table}` (`DO INSTEAD`)"),
        );
    }
    if audit_name(&table) {
        return (
            Admin,
            format!("creates a rewrite rule on `{table}`, an audit trail"),
        );
    }
    (Mutating, "creates a rewrite rule".into())
}

/// `CREATE OR REPLACE FUNCTION|PROCEDURE|TRIGGER` of an audit routine (`audit_trigger()`):
/// redefining it can silence auditing.
pub(super) fn audit_routine(upper: &str, name: &str) -> Option<(Effect, String)> {
    (upper.starts_with("CREATE OR REPLACE") && audit_name(name)).then(|| {
        (
            Admin,
            format!(
                "replaces `{}`, an audit routine (auditing can be silenced)",
                name
            ),
        )
    })
}

/// Table functions whose rows leave the server (ClickHouse, DuckDB, Trino connectors).
const OUTBOUND: &[&str] = &[
    "url",
    "urlcluster",
    "s3",
    "s3cluster",
    "gcs",
    "azureblobstorage",
    "azureblobstoragecluster",
    "hdfs",
    "hdfscluster",
    "remote",
    "remotesecure",
    "cluster",
    "clusterallreplicas",
    "mysql",
    "postgresql",
    "mongodb",
    "redis",
    "odbc",
    "jdbc",
    "sqlite",
    "deltalake",
    "iceberg",
    "hudi",
    "openrowset",
    "opendatasource",
    "openquery",
];

/// `INSERT INTO [TABLE] FUNCTION f(…)`: the rows go where the table function points. A
/// network or remote-database function sends them away (admin); `file()` writes a file on
/// the server (admin, like `COPY … TO` a file); any other function is at least a write.
pub(super) fn insert_into_function(f: &Function) -> (Effect, String) {
    let path = literal_args(f).into_iter().next();
    insert_function(&last_part(&f.name), path, &f.name.to_string())
}

fn insert_function(name: &str, path: Option<String>, full: &str) -> (Effect, String) {
    if OUTBOUND.contains(&name) {
        return (
            Admin,
            format!("sends rows to an outside location (`INSERT INTO FUNCTION {name}(…)`)"),
        );
    }
    if name == "file" {
        let path = path.unwrap_or_default();
        let why = match write_risk(&path, false) {
            Some((_, where_)) => format!("writes a file on the server (`{path}`: {where_})"),
            None => "writes a file on the server (`INSERT INTO FUNCTION file`)".into(),
        };
        return (Admin, why);
    }
    let (e, what) = functions::call_effect(full);
    (
        e.max(Mutating),
        format!("inserts rows through table function `{name}`, which {what}"),
    )
}

/// SQLite full-text tables take commands as inserts into a column named as the table
/// (`INSERT INTO docs(docs) VALUES('delete-all')` empties the index, FTS5 compares the
/// command without case). A literal other command, a number, a bound parameter or a column
/// changes the index only (or is data); a value computed in the text (`'delete' || '-all'`,
/// a function, a `SELECT`) may be `delete-all`. `None` when no column is named as the table.
pub(super) fn fts_command(i: &Insert, table: &ObjectName) -> Option<(Effect, String)> {
    let t = last_part(table);
    let at = i.columns.iter().position(|c| last_part(c) == t)?;
    let rows = match i.source.as_deref().map(|q| q.body.as_ref()) {
        Some(SetExpr::Values(v)) => &v.rows,
        _ => {
            return Some((
                Destructive,
                format!("writes a computed full-text command into `{t}` (may be `delete-all`)"),
            ));
        }
    };
    let mut worst = (Mutating, format!("runs a full-text command on `{t}`"));
    for row in rows {
        match row.get(at).and_then(super::expr_string) {
            Some(c) if c.trim().eq_ignore_ascii_case("delete-all") => {
                return Some((
                    Destructive,
                    format!("empties full-text table `{t}` (`delete-all`)"),
                ));
            }
            Some(_) => {}
            // A number, `NULL`, a bound parameter (`$1`, `?`, `:v`) or a column: not a command
            // this text can hold (a parameter's value is the application's data).
            None if matches!(
                row.get(at),
                Some(Expr::Value(_) | Expr::Identifier(_) | Expr::CompoundIdentifier(_)) | None
            ) => {}
            None => {
                worst = (
                    Destructive,
                    format!("writes a computed full-text command into `{t}` (may be `delete-all`)"),
                );
            }
        }
    }
    Some(worst)
}

/// The same, read from a statement's text, for dialects that parse `FUNCTION` as a table
/// name (`INSERT INTO FUNCTION url(…)` is a table `FUNCTION` aliased `url` to PostgreSQL).
pub(super) fn insert_function_text(text: &str) -> Option<(Effect, String)> {
    let upper = text.to_ascii_uppercase();
    let words: Vec<&str> = upper.split_whitespace().take(5).collect();
    // T-SQL writes its remote rowsets without `FUNCTION` (`INSERT INTO OPENROWSET(…)`,
    // `INSERT OPENQUERY(srv, …)`).
    let remote = |w: &str| {
        ["OPENROWSET", "OPENDATASOURCE", "OPENQUERY"]
            .iter()
            .any(|f| {
                w.strip_prefix(f)
                    .is_some_and(|r| r.is_empty() || r.starts_with('('))
            })
    };
    let skip = match words.as_slice() {
        ["INSERT", "INTO", "FUNCTION", ..] => 3,
        ["INSERT", "INTO", "TABLE", "FUNCTION", ..] => 4,
        ["INSERT", "INTO", w, ..] if remote(w) => 2,
        ["INSERT", w, ..] if remote(w) => 1,
        _ => return None,
    };
    let rest: String = text
        .split_whitespace()
        .skip(skip)
        .collect::<Vec<_>>()
        .join(" ");
    let name: String = rest
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '(')
        .filter(|c| !matches!(c, '"' | '`'))
        .collect::<String>()
        .to_ascii_lowercase();
    let short = name.rsplit('.').next().unwrap_or(&name).to_string();
    let path = crate::classify::content::sqllex::lex(&rest)
        .toks
        .into_iter()
        .find_map(|(t, _)| match t {
            crate::classify::content::sqllex::Tok::Str(s) => Some(s),
            _ => None,
        });
    Some(insert_function(&short, path, &name))
}

/// True if a location is outside the database (a URL with a scheme: `s3://`, `gcs://`,
/// `azure://`, `https://`).
pub(super) fn outside_location(s: &str) -> bool {
    let t = s.trim().trim_matches(|c| c == '\'' || c == '"');
    t.find("://").is_some_and(|i| {
        i > 0
            && t.get(..i)
                .is_some_and(|sch| sch.chars().all(|c| c.is_ascii_alphanumeric() || c == '+'))
    })
}

/// Snowflake `COPY INTO <location> FROM …` unloads rows: to a URL it is exfiltration
/// (admin); to a stage (`@s/…`) it writes files.
pub(super) fn snowflake_unload(into: &ObjectName) -> (Effect, String) {
    let target = into.to_string();
    if outside_location(&target) {
        (
            Admin,
            format!(
                "unloads rows to an outside location (`{}`)",
                crate::classify::content::prefix(&target, 60)
            ),
        )
    } else {
        (Mutating, "unloads rows into a stage".into())
    }
}

/// Lake-table properties that keep the history needed to recover (Delta time travel,
/// Iceberg snapshots): set below a week, old data becomes unrecoverable.
const RETENTION_KEYS: &[&str] = &[
    "DELTA.DELETEDFILERETENTIONDURATION",
    "DELTA.LOGRETENTIONDURATION",
    "HISTORY.EXPIRE.MAX-SNAPSHOT-AGE-MS",
    "HISTORY.EXPIRE.MIN-SNAPSHOTS-TO-KEEP",
    "WRITE.METADATA.PREVIOUS-VERSIONS-MAX",
    "HOODIE.CLEANER.COMMITS.RETAINED",
];

/// A retention value in hours: `'interval 0 hours'`, `'7 days'`, `'0'` (milliseconds for
/// Iceberg's age, a count for the others: a count under 2 keeps no history).
fn hours(key: &str, value: &str) -> Option<f64> {
    let v = value.trim().to_ascii_uppercase();
    let v = v.strip_prefix("INTERVAL").unwrap_or(&v).trim();
    let mut parts = v.split_whitespace();
    let n: f64 = parts.next()?.parse().ok()?;
    if key.ends_with("-MS") {
        return Some(n / 3_600_000.0);
    }
    if !key.starts_with("DELTA.") {
        // A count of snapshots or commits: fewer than 2 keeps nothing to go back to.
        return Some(if n < 2.0 { 0.0 } else { f64::MAX });
    }
    let unit = parts.next().unwrap_or("");
    let per = match unit.trim_end_matches('S') {
        "WEEK" => 168.0,
        "DAY" => 24.0,
        "HOUR" => 1.0,
        "MINUTE" => 1.0 / 60.0,
        "SECOND" => 1.0 / 3600.0,
        "MILLISECOND" | "MICROSECOND" | "NANOSECOND" => 0.0,
        _ => return None,
    };
    Some(n * per)
}

/// A lake-table retention property set below a week (or to a value that cannot be read).
pub(super) fn lake_retention(upper: &str) -> Option<(Effect, String)> {
    for key in RETENTION_KEYS {
        let mut from = 0;
        while let Some(i) = upper.get(from..).and_then(|r| r.find(key)) {
            let at = from + i + key.len();
            from = at;
            // `'key' = 'value'`: the next literal after the key.
            let rest = upper.get(at..).unwrap_or("");
            let rest = rest.trim_start_matches(['\'', '"', '`', ' ', '\t', '\n', '=']);
            let end = rest.find(['\'', '"', ',', ')']).unwrap_or(rest.len());
            let value = rest.get(..end).unwrap_or("");
            if hours(key, value).is_none_or(|h| h < 168.0) {
                return Some((
                    Destructive,
                    format!(
                        "sets `{}` to `{}` (history younger than a week is removed)",
                        key.to_ascii_lowercase(),
                        value.trim().to_ascii_lowercase()
                    ),
                ));
            }
        }
    }
    None
}

/// DuckDB functions that read files given by path.
const FILE_READERS: &[&str] = &[
    "read_csv",
    "read_csv_auto",
    "read_parquet",
    "parquet_scan",
    "parquet_metadata",
    "parquet_schema",
    "parquet_file_metadata",
    "parquet_kv_metadata",
    "read_json",
    "read_json_auto",
    "read_json_objects",
    "read_ndjson",
    "read_ndjson_auto",
    "read_ndjson_objects",
    "read_text",
    "read_blob",
    "read_xlsx",
    "sniff_csv",
    "glob",
];

/// The literal string arguments of a call.
fn literal_args(f: &Function) -> Vec<String> {
    let FunctionArguments::List(l) = &f.args else {
        return Vec::new();
    };
    l.args
        .iter()
        .filter_map(|a| match a {
            FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => super::expr_string(e),
            _ => None,
        })
        .collect()
}

/// A literal: a constant, or a list, struct or map of constants (`columns = {'a': 'INT'}`).
fn constant(e: &Expr) -> bool {
    match e {
        Expr::Value(v) => !matches!(v.value, Value::Placeholder(_)),
        Expr::Identifier(_) | Expr::TypedString(_) => true,
        Expr::Nested(e) => constant(e),
        Expr::Array(a) => a.elem.iter().all(constant),
        Expr::Tuple(t) => t.iter().all(constant),
        Expr::Dictionary(d) => d.iter().all(|f| constant(&f.value)),
        Expr::Struct { values, .. } => values.iter().all(constant),
        // DuckDB's `header = true` read as a comparison by other dialects.
        Expr::BinaryOp { left, right, .. } => {
            matches!(left.as_ref(), Expr::Identifier(_)) && constant(right)
        }
        _ => false,
    }
}

/// The paths of a reader's first argument: one literal or a list of literals.
fn paths(e: &Expr) -> Option<Vec<String>> {
    if let Some(s) = super::expr_string(e) {
        return Some(vec![s]);
    }
    match e {
        Expr::Array(a) => a.elem.iter().map(super::expr_string).collect(),
        _ => None,
    }
}

/// DuckDB file readers (`read_csv_auto('exports/x.csv')`, `read_parquet(['a', 'b'])`,
/// `glob('data/*.json')`) read: exactly when every argument is a constant, the first is
/// one or more literal local paths (no `scheme://`: a URL can carry data out in its query
/// string), none is a file holding secrets and none a glob that could match one
/// ([`super::paths::local_read`]). `None` when the rule does not apply.
pub(super) fn file_reader_reads(name: &ObjectName, args: &[FunctionArg]) -> Option<bool> {
    if name.0.len() != 1 || name.0.first()?.as_ident()?.quote_style.is_some() {
        return None;
    }
    let n = last_part(name);
    // SQLite's `glob(pattern, text)` is a string function (its own table entry).
    if !FILE_READERS.contains(&n.as_str()) || (n == "glob" && args.len() > 1) {
        return None;
    }
    let mut exprs = Vec::new();
    for a in args {
        let e = match a {
            FunctionArg::Unnamed(e) => e,
            FunctionArg::Named { arg, .. } | FunctionArg::ExprNamed { arg, .. } => arg,
        };
        let FunctionArgExpr::Expr(e) = e else {
            return Some(false);
        };
        exprs.push(e);
    }
    let Some(Some(paths)) = exprs.first().map(|e| paths(e)) else {
        return Some(false);
    };
    Some(
        exprs.iter().all(|e| constant(e))
            && !paths.is_empty()
            && paths.iter().all(|p| {
                // `glob` lists names: a pattern that could match a secret reads none.
                if n == "glob" {
                    super::paths::local_path(p)
                } else {
                    super::paths::local_read(p)
                }
            }),
    )
}

/// Words of a column that holds who may do what (`role`, `is_admin`, `permissions`,
/// `access_level`, `raw_app_meta_data` for Supabase's claims).
fn access_column(name: &str) -> bool {
    let n = name.trim_matches(['"', '`', '[', ']']).to_ascii_lowercase();
    crate::classify::name::words(&n).iter().any(|w| {
        matches!(
            w.as_str(),
            "role"
                | "roles"
                | "admin"
                | "superuser"
                | "staff"
                | "permission"
                | "permissions"
                | "privilege"
                | "privileges"
                | "claims"
                | "claim"
                | "scopes"
                | "acl"
                | "access"
                | "grants"
                | "usertype"
                | "meta"
                | "metadata"
        )
    }) || n.contains("app_meta")
}

/// Words of a column that holds a login's secret (`password_hash`, `encrypted_password`,
/// `otp_secret`, `mfa_enabled`, `api_key`).
fn credential_column(name: &str) -> bool {
    let n = name.trim_matches(['"', '`', '[', ']']).to_ascii_lowercase();
    crate::classify::name::words(&n).iter().any(|w| {
        matches!(
            w.as_str(),
            "password"
                | "passwd"
                | "pwd"
                | "passcode"
                | "otp"
                | "totp"
                | "mfa"
                | "2fa"
                | "apikey"
                | "secret"
        )
    }) || n.contains("api_key")
        || n.contains("two_factor")
        || n.contains("password")
}

/// A value that names a powerful role (`'admin'`, `'owner'`, `'{"claims_admin": true}'`).
fn access_value(text: &str) -> bool {
    let t = text.to_ascii_lowercase();
    [
        "admin",
        "superuser",
        "owner",
        "root",
        "sudo",
        "god",
        "staff",
    ]
    .iter()
    .any(|w| t.contains(w))
}

/// True for a value that switches a flag on (`true`, `1`, `'t'`, `'yes'`).
fn truthy(text: &str) -> bool {
    matches!(
        text.trim().trim_matches('\'').to_ascii_lowercase().as_str(),
        "true" | "1" | "t" | "yes" | "y" | "on"
    )
}

/// An `UPDATE` that raises someone's access (`SET role = 'admin'`, `SET is_admin = true`,
/// `SET raw_app_meta_data = raw_app_meta_data || '{"claims_admin": true}'`): a permission
/// change written as data.
pub(super) fn access_update(
    assignments: &[sqlparser::ast::Assignment],
) -> Option<(Effect, String)> {
    use sqlparser::ast::AssignmentTarget;
    assignments.iter().find_map(|a| {
        let columns: Vec<String> = match &a.target {
            AssignmentTarget::ColumnName(n) => vec![n.to_string()],
            AssignmentTarget::Tuple(ns) => ns.iter().map(ToString::to_string).collect(),
        };
        let value = a.value.to_string();
        // A login's secret overwritten or cleared (`SET password_hash = crypt('x', …)`, `SET
        // mfa_secret = NULL`): whoever wrote it can sign in as that account.
        if let Some(column) = columns.iter().find(|c| {
            let last = c.rsplit('.').next().unwrap_or(c);
            credential_column(last)
        }) {
            return Some((Admin, format!("changes a credential by writing `{column}`")));
        }
        let column = columns.iter().find(|c| {
            let last = c.rsplit('.').next().unwrap_or(c);
            access_column(last)
        })?;
        let flag = {
            let c = column.to_ascii_lowercase();
            c.contains("admin") || c.contains("superuser") || c.contains("staff")
        };
        (access_value(&value) || (flag && truthy(&value))).then(|| {
            (
                Admin,
                format!(
                    "grants access by writing `{column} = {}`",
                    crate::classify::content::prefix(&value, 40)
                ),
            )
        })
    })
}

/// An `INSERT` into a table of roles, members or permissions that names a powerful role
/// (`INSERT INTO user_roles VALUES (7, 'admin')`).
pub(super) fn access_insert(table: &str, text: &str) -> Option<(Effect, String)> {
    let t = table.to_ascii_lowercase();
    let access_table = [
        "role",
        "permission",
        "privilege",
        "member",
        "admin",
        "grant",
        "acl",
    ]
    .iter()
    .any(|w| t.contains(w));
    (access_table && access_value(text))
        .then(|| (Admin, format!("grants access by inserting into `{table}`")))
}

/// Words whose presence sends a write to the full analysis ([`access_update`],
/// [`access_insert`]); the fast path checks the lowercase text for them.
pub(crate) const ACCESS_WORDS: &[&str] = &[
    "role",
    "admin",
    "superuser",
    "owner",
    "root",
    "sudo",
    "god",
    "staff",
    "permission",
    "privilege",
    "claim",
    "scope",
    "acl",
    "access",
    "grant",
    "meta",
    "member",
    "usertype",
    "passw",
    "passwd",
    "pwd",
    "passcode",
    "otp",
    "mfa",
    "2fa",
    "apikey",
    "api_key",
    "secret",
    "two_factor",
];
