//! SQL: parsed with sqlparser in the PostgreSQL, MySQL, SQLite and generic dialects; the
//! effect is the maximum over the dialects that parse and over every statement, with the whole
//! tree walked (writable CTEs, `EXPLAIN ANALYZE`, `PREPARE`, rules and side-effecting
//! functions, also in `FROM`). `DO` blocks, MySQL version comments and SQL that no dialect
//! parses go through the lexer in [`super::sqllex`]; none of them is ever a read.

use std::ops::ControlFlow;

use sqlparser::ast::{
    CopyTarget, Expr, FunctionArg, FunctionArgExpr, FunctionArguments, MergeAction, ObjectName,
    ObjectType, Query, Select, Set, Statement, TableFactor, TransactionAccessMode, TransactionMode,
    Value, Visit, Visitor,
};
use sqlparser::dialect::{Dialect, GenericDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;

use super::sqlfilter::always_true;
use super::sqllex::{self, Tok};
use super::{Ctx, prefix, snippet};
use crate::Effect;

/// Statements per input analysed one by one; more escalate.
const MAX_STATEMENTS: usize = 2_000;

/// True if the text starts like a SQL statement (first keyword, after comments and `(`).
pub(crate) fn looks_like_sql(t: &str) -> bool {
    let lx = sqllex::lex(prefix(t, 256));
    !lx.versioned.is_empty()
        || sqllex::first_word(&lx.toks).is_some_and(|w| sqllex::STARTS.contains(&w))
}

fn parse_all(text: &str) -> Vec<Vec<Statement>> {
    let dialects: [&dyn Dialect; 4] = [
        &PostgreSqlDialect {},
        &MySqlDialect {},
        &SQLiteDialect {},
        &GenericDialect {},
    ];
    // PostgreSQL and MySQL differ in quoting and comments, so both are always tried; SQLite
    // and the generic dialect quote like PostgreSQL and only matter when neither parses.
    let mut out = Vec::new();
    for (i, d) in dialects.into_iter().enumerate() {
        if i >= 2 && !out.is_empty() {
            break;
        }
        if let Ok(stmts) = Parser::parse_sql(d, text) {
            out.push(stmts);
        }
    }
    out
}

/// Analyses SQL text. In `strict` mode (no hint that this is SQL) text that neither parses
/// nor has the shape of a statement is prose and adds nothing.
pub(crate) fn analyse(ctx: &mut Ctx, text: &str, depth: usize, strict: bool) {
    if !ctx.deeper(depth) {
        return;
    }
    let lx = sqllex::lex(text);
    if !ctx.tick(1 + lx.toks.len() / 64) {
        return;
    }
    if strict && !sqllex::has_sql_shape(&lx.toks) && lx.versioned.is_empty() {
        return;
    }
    let chunks = sqllex::split(text, &lx.semis);
    let has_do = chunks.iter().any(|c| {
        let l = sqllex::lex(prefix(c, 64));
        sqllex::first_word(&l.toks) == Some("DO")
    });
    let parsed = if has_do || chunks.len() > MAX_STATEMENTS {
        Vec::new()
    } else {
        parse_all(text)
    };
    if lx.confusable {
        ctx.add(
            Effect::Destructive,
            "sql: a keyword is spelled with look-alike characters",
        );
    }
    for body in &lx.versioned {
        ctx.via("a mysql `/*! */` comment", |ctx| {
            analyse(ctx, body, depth + 1, false);
        });
    }
    if chunks.len() > MAX_STATEMENTS {
        ctx.add(
            Effect::Destructive,
            format!("sql: more than {MAX_STATEMENTS} statements"),
        );
    }
    if !parsed.is_empty() {
        for stmts in &parsed {
            let mark = ctx.mark();
            let total = stmts.len();
            for (i, s) in stmts.iter().enumerate() {
                judge(ctx, s, i + 1, total, depth);
            }
            if ctx.max_since(mark).is_some_and(Effect::is_high_risk) {
                break;
            }
        }
        return;
    }
    // No dialect parses the whole text: statement by statement.
    let total = chunks.len();
    for (i, chunk) in chunks.iter().take(MAX_STATEMENTS).enumerate() {
        if !ctx.tick(1) {
            return;
        }
        let n = i + 1;
        let clx = sqllex::lex(chunk);
        if sqllex::first_word(&clx.toks) == Some("DO") {
            do_block(ctx, chunk, &clx, n, total, depth);
            continue;
        }
        let parsed = if total > 1 {
            parse_all(chunk)
        } else {
            Vec::new()
        };
        if let Some(stmts) = parsed.first() {
            for s in stmts {
                judge(ctx, s, n, total, depth);
            }
            continue;
        }
        if let Some(why) = known_read(&clx) {
            ctx.add(
                Effect::Read,
                format!("sql: {}{} {why}", label(n, total), snippet(chunk)),
            );
            continue;
        }
        let (e, why) = sqllex::worst_keyword(&clx);
        ctx.add(
            e,
            format!("sql: {}{} {why}", label(n, total), snippet(chunk)),
        );
    }
}

/// Reads that no dialect parses: `PRAGMA table_info(t)`, `TABLE t`.
fn known_read(lx: &sqllex::Lexed) -> Option<&'static str> {
    const PRAGMAS: &[&str] = &[
        "TABLE_INFO",
        "TABLE_XINFO",
        "INDEX_LIST",
        "INDEX_INFO",
        "INDEX_XINFO",
        "FOREIGN_KEY_LIST",
        "DATABASE_LIST",
        "COLLATION_LIST",
        "FUNCTION_LIST",
        "TABLE_LIST",
        "COMPILE_OPTIONS",
        "INTEGRITY_CHECK",
        "QUICK_CHECK",
        "FOREIGN_KEY_CHECK",
    ];
    let words: Vec<&Tok> = lx
        .toks
        .iter()
        .map(|(t, _)| t)
        .filter(|t| **t != Tok::Punct(';'))
        .collect();
    match words.as_slice() {
        [Tok::Word(p), Tok::Word(name), rest @ ..]
            if p == "PRAGMA"
                && PRAGMAS.contains(&name.as_str())
                && !rest.iter().any(|t| **t == Tok::Punct('=')) =>
        {
            Some("reads a pragma")
        }
        [Tok::Word(t), Tok::Word(_) | Tok::Ident(_)] if t == "TABLE" => Some("reads a table"),
        _ => None,
    }
}

fn label(n: usize, total: usize) -> String {
    if total > 1 {
        format!("statement {n} ")
    } else {
        String::new()
    }
}

/// A `DO` block runs procedural code now: its statements and the SQL in its strings count.
fn do_block(ctx: &mut Ctx, chunk: &str, lx: &sqllex::Lexed, n: usize, total: usize, depth: usize) {
    ctx.add(
        Effect::Mutating,
        format!(
            "sql: {}{} runs a procedural block",
            label(n, total),
            snippet(chunk)
        ),
    );
    for (t, _) in &lx.toks {
        if let Tok::Str(body) = t {
            ctx.via("a `DO` block", |ctx| procedural(ctx, body, depth + 1));
        }
    }
}

/// Procedural code (a `DO` or function body): each statement, and each string literal
/// that has the shape of SQL (dynamic `EXECUTE`), is analysed.
pub(crate) fn procedural(ctx: &mut Ctx, body: &str, depth: usize) {
    if !ctx.deeper(depth) {
        return;
    }
    const CONTROL: &[&str] = &["BEGIN", "END", "DECLARE", "START", "EXECUTE", "EXEC"];
    let lx = sqllex::lex(body);
    // `EXECUTE 'DROP ' || t`, `EXECUTE format(…)`, `EXECUTE v`: SQL built at run time.
    for (i, (t, _)) in lx.toks.iter().enumerate() {
        if *t == Tok::Word("EXECUTE".into()) {
            let next = lx.toks.get(i + 1).map(|(t, _)| t);
            let after = lx.toks.get(i + 2).map(|(t, _)| t);
            let literal_only =
                matches!(next, Some(Tok::Str(_))) && matches!(after, None | Some(Tok::Punct(';')));
            if !literal_only {
                ctx.add(
                    Effect::Destructive,
                    format!("sql: {} runs dynamic SQL built at run time", snippet(body)),
                );
                break;
            }
        }
    }
    let (e, why) = sqllex::worst_keyword(&lx);
    if e.is_high_risk() {
        ctx.add(e, format!("sql: {} {why}", snippet(body)));
    }
    for part in sqllex::split(body, &lx.semis) {
        let plx = sqllex::lex(&part);
        let start = plx.toks.iter().find_map(|(t, p)| match t {
            Tok::Word(w)
                if sqllex::STARTS.contains(&w.as_str()) && !CONTROL.contains(&w.as_str()) =>
            {
                Some(*p)
            }
            Tok::Word(w) if w == "PERFORM" => Some(*p),
            _ => None,
        });
        if let Some(stmt) = start.and_then(|p| part.get(p..)) {
            let stmt = stmt
                .strip_prefix("PERFORM")
                .map_or_else(|| stmt.to_string(), |s| format!("SELECT{s}"));
            analyse(ctx, &stmt, depth + 1, false);
        }
        for (t, _) in &plx.toks {
            if let Tok::Str(s) = t {
                analyse(ctx, s, depth + 1, true);
            }
        }
    }
}

/// Judges one parsed statement and everything nested in it.
fn judge(ctx: &mut Ctx, stmt: &Statement, n: usize, total: usize, depth: usize) {
    if !ctx.tick(1) {
        return;
    }
    let mut w = Walk::default();
    let _ = stmt.visit(&mut w);
    let wanted = w.found.iter().any(|(e, _)| ctx.wants(*e));
    if !wanted && w.sql_strings.is_empty() && w.bodies.is_empty() {
        for (e, _) in w.found {
            ctx.note(e);
        }
        return;
    }
    let text = stmt.to_string();
    let head = format!("sql: {}{}", label(n, total), snippet(&text));
    for (e, why) in w.found {
        if ctx.wants(e) {
            ctx.add(e, format!("{head} {why}"));
        } else {
            ctx.note(e);
        }
    }
    for s in w.sql_strings {
        ctx.via(format!("a string in {}", snippet(&text)), |ctx| {
            analyse(ctx, &s, depth + 1, false);
        });
    }
    for b in w.bodies {
        ctx.via(format!("the body of {}", snippet(&text)), |ctx| {
            procedural(ctx, &b, depth + 1);
        });
    }
}

#[derive(Default)]
struct Walk {
    found: Vec<(Effect, String)>,
    /// Inside `EXPLAIN` without `ANALYZE`: nothing runs.
    explain: usize,
    sql_strings: Vec<String>,
    bodies: Vec<String>,
}

impl Walk {
    fn add(&mut self, e: Effect, why: impl Into<String>) {
        if self.explain == 0 {
            self.found.push((e, why.into()));
        }
    }

    fn function(&mut self, name: &ObjectName, args: &[FunctionArg]) {
        let name = name.to_string().replace('"', "");
        let Some((e, what)) = sqllex::function_effect(&name) else {
            return;
        };
        let short = name
            .rsplit('.')
            .next()
            .unwrap_or(&name)
            .to_ascii_lowercase();
        self.add(e, format!("calls `{short}` which {what}"));
        if matches!(
            short.as_str(),
            "dblink" | "dblink_exec" | "query_to_xml" | "query_to_json" | "dblink_send_query"
        ) {
            self.sql_strings.extend(args.iter().filter_map(arg_string));
        }
    }
}

pub(crate) fn expr_string(e: &Expr) -> Option<String> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s)
            | Value::EscapedStringLiteral(s)
            | Value::DoubleQuotedString(s)
            | Value::NationalStringLiteral(s) => Some(s.clone()),
            Value::DollarQuotedString(d) => Some(d.value.clone()),
            _ => None,
        },
        Expr::Nested(e) => expr_string(e),
        _ => None,
    }
}

fn arg_string(a: &FunctionArg) -> Option<String> {
    let e = match a {
        FunctionArg::Unnamed(e) => e,
        FunctionArg::Named { arg, .. } | FunctionArg::ExprNamed { arg, .. } => arg,
    };
    match e {
        FunctionArgExpr::Expr(e) => expr_string(e),
        _ => None,
    }
}

impl Visitor for Walk {
    type Break = ();

    fn pre_visit_statement(&mut self, s: &Statement) -> ControlFlow<()> {
        if let Statement::Explain { analyze: false, .. } = s {
            self.add(Effect::Read, "explains a plan without running it");
            self.explain += 1;
            return ControlFlow::Continue(());
        }
        if self.explain > 0 {
            return ControlFlow::Continue(());
        }
        let (e, why) = node_effect(s, self);
        self.add(e, why);
        ControlFlow::Continue(())
    }

    fn post_visit_statement(&mut self, s: &Statement) -> ControlFlow<()> {
        if let Statement::Explain { analyze: false, .. } = s {
            self.explain = self.explain.saturating_sub(1);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
        if let Expr::Function(f) = e {
            let args: &[FunctionArg] = match &f.args {
                FunctionArguments::List(l) => &l.args,
                _ => &[],
            };
            self.function(&f.name, args);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_table_factor(&mut self, t: &TableFactor) -> ControlFlow<()> {
        match t {
            TableFactor::Table {
                name,
                args: Some(a),
                ..
            } => self.function(name, &a.args),
            TableFactor::Function { name, args, .. } => self.function(name, args),
            _ => {}
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_query(&mut self, q: &Query) -> ControlFlow<()> {
        if !q.locks.is_empty() {
            self.add(Effect::Mutating, "locks rows (`FOR UPDATE`/`FOR SHARE`)");
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, s: &Select) -> ControlFlow<()> {
        if let Some(into) = &s.into {
            let target = into.to_string().to_ascii_uppercase();
            if target.contains("OUTFILE") || target.contains("DUMPFILE") {
                self.add(
                    Effect::Admin,
                    "writes a file on the server (`INTO OUTFILE`)",
                );
            } else {
                self.add(Effect::Mutating, "creates a table (`SELECT … INTO`)");
            }
        }
        ControlFlow::Continue(())
    }
}

fn filter_effect(selection: Option<&Expr>, verb: &str) -> (Effect, String) {
    match selection {
        None => (
            Effect::Destructive,
            format!("{verb} every row (no `WHERE`)"),
        ),
        Some(e) if always_true(e) => (
            Effect::Destructive,
            format!(
                "{verb} every row (`WHERE {}` is always true)",
                prefix(&e.to_string(), 40)
            ),
        ),
        Some(_) => (Effect::Mutating, format!("{verb} rows matching a filter")),
    }
}

/// Settings whose change escapes a read-only or security guard.
const GUARD_SETTINGS: &[&str] = &[
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
];

fn set_effect(s: &Set) -> (Effect, String) {
    match s {
        Set::SetRole { .. } => (Effect::Admin, "changes the session role".into()),
        Set::SetSessionAuthorization(_) => (Effect::Admin, "changes the session user".into()),
        Set::SetTransaction { modes, .. } => transaction_modes(modes)
            .unwrap_or((Effect::Mutating, "sets transaction options".into())),
        _ => {
            let text = s.to_string().to_ascii_lowercase();
            let global = text.starts_with("set global") || text.starts_with("set persist");
            match GUARD_SETTINGS.iter().find(|g| {
                text.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .any(|w| w == **g)
            }) {
                Some(g) if *g != "search_path" || global => {
                    (Effect::Admin, format!("changes `{g}`, a guard setting"))
                }
                _ if global => (Effect::Admin, "changes a global server setting".into()),
                _ => (Effect::Mutating, "changes a session setting".into()),
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
        .then(|| {
            (
                Effect::Admin,
                "switches the transaction to read write".into(),
            )
        })
}

fn object_kind(t: &ObjectType) -> String {
    t.to_string().to_ascii_lowercase()
}

/// The effect of a statement node itself (what it nests is visited separately).
fn node_effect(s: &Statement, w: &mut Walk) -> (Effect, String) {
    use Effect::{Admin, Destructive, Mutating, Read};
    let text = || s.to_string().to_ascii_uppercase();
    match s {
        Statement::Query(_) => (Read, "reads".into()),
        Statement::Insert(i) if i.replace_into => (
            Destructive,
            "replaces rows (`REPLACE` deletes conflicting rows)".into(),
        ),
        Statement::Insert(i) if i.overwrite => (Destructive, "overwrites a table".into()),
        Statement::Insert(_) => (Mutating, "inserts rows".into()),
        Statement::Update(u) => filter_effect(u.selection.as_ref(), "updates"),
        Statement::Delete(d) => filter_effect(d.selection.as_ref(), "deletes"),
        Statement::Merge(m) => {
            if m.clauses
                .iter()
                .any(|c| matches!(c.action, MergeAction::Delete { .. }))
            {
                (Destructive, "deletes rows (`MERGE … THEN DELETE`)".into())
            } else {
                (Mutating, "merges rows".into())
            }
        }
        Statement::Drop { object_type, .. } => {
            let kind = object_kind(object_type);
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
        Statement::AlterTable(a) => {
            let mut best = (Mutating, "alters a table".to_string());
            for op in &a.operations {
                let o = op.to_string().to_ascii_uppercase();
                let found = if o.starts_with("DROP") {
                    (
                        Destructive,
                        format!(
                            "drops part of a table (`{}`)",
                            prefix(&o, 40).to_ascii_lowercase()
                        ),
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
                if found.0.max(best.0) != best.0 {
                    best = found;
                }
            }
            best
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
        | Statement::Install { .. }
        | Statement::Load { .. } => (Admin, "installs code or connections into the server".into()),
        Statement::Copy { target, to, .. } => match target {
            CopyTarget::Program { .. } => (
                Destructive,
                "runs a program on the server (`COPY … PROGRAM`)".into(),
            ),
            CopyTarget::File { .. } => (Admin, "reads or writes a file on the server".into()),
            CopyTarget::Stdout if *to => (Read, "copies rows out".into()),
            _ => (Mutating, "copies rows in".into()),
        },
        Statement::Explain { .. } => (Read, "explains and runs the statement (`ANALYZE`)".into()),
        Statement::Prepare { .. } => (Mutating, "prepares a statement".into()),
        Statement::Execute { parameters, .. } => {
            w.sql_strings
                .extend(parameters.iter().filter_map(expr_string));
            (Mutating, "executes a prepared or dynamic statement".into())
        }
        Statement::Call(_) => (
            Mutating,
            "calls a procedure whose body is not visible".into(),
        ),
        Statement::AttachDatabase { .. } | Statement::AttachDuckDBDatabase { .. } => {
            (Admin, "attaches a database file".into())
        }
        Statement::Pragma { is_eq, value, name } => {
            let n = name.to_string().to_ascii_lowercase();
            if n.contains("writable_schema") || n.contains("trusted_schema") {
                (Admin, format!("sets `pragma {n}`"))
            } else if *is_eq
                || (value.is_some()
                    && !matches!(
                        n.as_str(),
                        "table_info"
                            | "table_xinfo"
                            | "index_list"
                            | "index_info"
                            | "foreign_key_list"
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
        Statement::Vacuum(v) if v.full => (
            Destructive,
            "locks and rewrites tables (`VACUUM FULL`)".into(),
        ),
        Statement::Kill { .. } => (Destructive, "kills a session or query".into()),
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
        | Statement::ExplainTable { .. }
        | Statement::Use(_)
        | Statement::Fetch { .. }
        | Statement::Close { .. }
        | Statement::Declare { .. }
        | Statement::LISTEN { .. }
        | Statement::UNLISTEN { .. }
        | Statement::Case(_)
        | Statement::If(_)
        | Statement::While(_)
        | Statement::Raise(_)
        | Statement::Return(_)
        | Statement::Print(_)
        | Statement::Assert { .. } => (Read, "reads".into()),
        Statement::CreateFunction(_)
        | Statement::CreateProcedure { .. }
        | Statement::CreateTrigger(_)
        | Statement::CreateMacro { .. } => {
            let t = s.to_string();
            let lx = sqllex::lex(&t);
            for (tok, _) in lx.toks {
                if let Tok::Str(b) = tok {
                    w.bodies.push(b);
                }
            }
            let upper = t.to_ascii_uppercase();
            if matches!(s, Statement::CreateTrigger(_))
                && (upper.contains("EXECUTE FUNCTION") || upper.contains("EXECUTE PROCEDURE"))
            {
                return (
                    Effect::Destructive,
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
        _ => {
            let t = text();
            if t.starts_with("SHOW") || t.starts_with("DESCRIBE") || t.starts_with("DESC ") {
                (Read, "reads".into())
            } else if t.starts_with("DROP") || t.starts_with("REMOVE") || t.starts_with("UNLOAD") {
                (Destructive, "drops or removes an object".into())
            } else if t.contains(" OWNER TO ") || t.starts_with("FLUSH PRIVILEGES") {
                (Admin, "changes ownership or privileges".into())
            } else {
                let verb = t
                    .split_whitespace()
                    .next()
                    .unwrap_or("")
                    .to_ascii_lowercase();
                (Mutating, format!("changes the database (`{verb}`)"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eff(sql: &str) -> Option<Effect> {
        let mut ctx = Ctx::new();
        analyse(&mut ctx, sql, 0, false);
        ctx.max_effect()
    }

    use Effect::{Admin, Destructive, Mutating, Read};

    #[test]
    fn reads() {
        for s in [
            "SELECT 1",
            "SELECT 'DROP TABLE' AS demo",
            "SELECT * FROM drops",
            "SELECT \"delete\" FROM t",
            "WITH a AS (SELECT id FROM t) SELECT count(*) FROM a",
            "EXPLAIN SELECT * FROM t",
            "EXPLAIN DELETE FROM t",
            "SHOW TABLES",
            "VALUES (1), (2)",
            "SELECT id, sum(x) OVER (PARTITION BY y) FROM t JOIN u ON t.id = u.tid",
        ] {
            assert_eq!(eff(s), Some(Read), "{s}");
        }
    }

    #[test]
    fn delete_and_update_need_a_real_filter() {
        assert_eq!(eff("DELETE FROM t WHERE id = 1"), Some(Mutating));
        assert_eq!(eff("UPDATE t SET a = 1 WHERE id = 1"), Some(Mutating));
        for s in [
            "DELETE FROM t",
            "DELETE FROM t -- WHERE id = 1",
            "DELETE FROM t /* WHERE */",
            "DELETE FROM t WHERE true",
            "DELETE FROM t WHERE 1=1",
            "DELETE FROM t WHERE 'a'='a'",
            "DELETE FROM t WHERE id IS NOT NULL",
            "DELETE FROM t WHERE id = 5 OR true",
            "DELETE FROM t WHERE id = id",
            "DELETE FROM t WHERE name LIKE '%'",
            "DELETE FROM t LIMIT 100",
            "UPDATE t SET c = NULL",
            "DELETE FROM \"public\".\"t\"",
            "DELETE FROM t RETURNING 'WHERE'",
        ] {
            assert_eq!(eff(s), Some(Destructive), "{s}");
        }
    }

    #[test]
    fn destroyers() {
        for s in [
            "DROP TABLE t",
            "SELECT 1; DROP TABLE t",
            "ROLLBACK; DROP TABLE users;",
            "TRUNCATE t CASCADE",
            "ALTER TABLE t DROP COLUMN c",
            "DROP SCHEMA public CASCADE",
            "DROP OWNED BY bob",
            "MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN DELETE",
            "REPLACE INTO t VALUES (1)",
            "WITH d AS (DELETE FROM t RETURNING *) SELECT count(*) FROM d",
            "EXPLAIN ANALYZE DELETE FROM t",
            "COPY t TO PROGRAM 'rm -rf /tmp/at-victim'",
            "DO $$ BEGIN EXECUTE 'DROP TABLE t'; END $$",
            "DO $$ BEGIN DELETE FROM t; END $$",
            "SELECT 1 /*!50000 ; DROP TABLE t */",
            "DrOp/**/TaBlE t",
            "DROP\tTABLE t",
            "PREPARE x AS DELETE FROM t; EXECUTE x",
            "SELECT pg_terminate_backend(123)",
            "SELECT * FROM pg_sleep(10)",
            "SELECT lo_unlink(1)",
            "VACUUM FULL",
            "DRОP TABLE t",
            "CREATE FUNCTION f() RETURNS void AS $$ DELETE FROM t $$ LANGUAGE sql",
        ] {
            assert!(
                eff(s).is_some_and(Effect::is_high_risk),
                "{s}: {:?}",
                eff(s)
            );
        }
    }

    #[test]
    fn admin() {
        for s in [
            "GRANT ALL ON t TO bob",
            "REVOKE SELECT ON t FROM bob",
            "CREATE ROLE bob",
            "ALTER ROLE bob SUPERUSER",
            "ALTER SYSTEM SET fsync = off",
            "SET ROLE admin",
            "SET SESSION AUTHORIZATION admin",
            "SET TRANSACTION READ WRITE",
            "SET default_transaction_read_only = off",
            "SELECT * FROM pg_read_file('/etc/passwd')",
            "SELECT set_config('default_transaction_read_only', 'off', false)",
            "ATTACH DATABASE '/tmp/x.db' AS x",
        ] {
            assert_eq!(eff(s), Some(Admin), "{s}");
        }
    }

    #[test]
    fn writes() {
        for s in [
            "INSERT INTO t VALUES (1)",
            "CREATE TABLE t (id int)",
            "SELECT nextval('s')",
            "CALL proc()",
            "SELEC 1",
            "SELECT * FROM t FOR UPDATE",
        ] {
            assert_eq!(eff(s), Some(Mutating), "{s}");
        }
    }

    #[test]
    fn strict_mode_ignores_prose() {
        let mut ctx = Ctx::new();
        analyse(&mut ctx, "Delete unused imports", 0, true);
        assert_eq!(ctx.max_effect(), None);
    }
}
