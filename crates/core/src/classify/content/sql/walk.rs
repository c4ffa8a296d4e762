//! The tree walk: every statement, expression and table factor of a parsed statement is
//! visited. Statement nodes are judged by [`super::stmt::node_effect`] (exhaustive over
//! sqlparser's `Statement`); expressions and table factors are matched exhaustively here,
//! so a node kind that can carry a side effect (a function call) cannot slip past.

use std::ops::ControlFlow;

use sqlparser::ast::{
    Expr, Function, FunctionArg, FunctionArgExpr, FunctionArguments, ObjectName, Query, Select,
    SetExpr, Statement, TableFactor, UtilityOption, Visitor,
};

use super::{expr_string, functions, stmt, tables};

use crate::Effect::{self, Admin, Destructive, Mutating, Read};

/// The reason for a query (`stmt.rs`) and for an `EXPLAIN` that does not run its statement;
/// the fast path (`fast/sql.rs`) cites the same words.
pub(crate) const READS: &str = "reads";
pub(crate) const EXPLAINS_PLAN: &str = "explains a plan without running it";

#[derive(Default)]
pub(crate) struct Walk {
    pub found: Vec<(Effect, String)>,
    /// Inside `EXPLAIN` without `ANALYZE`: the statement does not run.
    explain: usize,
    /// SQL that a statement runs from a string (dynamic SQL, remote queries, jobs).
    pub sql_strings: Vec<String>,
    /// Operating-system commands a statement runs from a string.
    pub shell_strings: Vec<String>,
    /// Procedural bodies (functions, procedures, triggers).
    pub bodies: Vec<String>,
    /// The rows of the series read so far ([`super::unbounded`]).
    series: super::unbounded::Rows,
}

/// True if `EXPLAIN` runs the statement: `ANALYZE` as a keyword or in the option list
/// (`EXPLAIN (ANALYZE)`, `EXPLAIN (FORMAT JSON, ANALYZE true)`, `("analyze")`). An option
/// list is proven not to run it only when every option shapes the plan's output and every
/// `ANALYZE`/`ANALYSE` option is explicitly disabled (`false`, `off`, `0`, PostgreSQL's
/// `defGetBoolean` spellings); `ANALYZE` with no value, `true`, `on`, `1` or anything else
/// runs it.
pub(crate) fn explain_runs(analyze: bool, options: Option<&Vec<UtilityOption>>) -> bool {
    /// Options that only shape the plan's output (PostgreSQL's list without `ANALYZE`).
    const PLAN_ONLY: &[&str] = &[
        "format",
        "costs",
        "verbose",
        "settings",
        "generic_plan",
        "summary",
        "memory",
        "buffers",
        "wal",
        "timing",
        "serialize",
    ];
    // Any other option (`ANALYZE` enabled, one this list does not know) may run it.
    analyze
        || options.is_some_and(|o| {
            o.iter().any(|u| {
                let name = &u.name.value;
                if name.eq_ignore_ascii_case("analyze") || name.eq_ignore_ascii_case("analyse") {
                    return !u.arg.as_ref().is_some_and(disabled);
                }
                !PLAN_ONLY.iter().any(|p| name.eq_ignore_ascii_case(p))
            })
        })
}

/// An option value that PostgreSQL reads as false: `false`, `off`, `0`, `'false'`, `'off'`.
fn disabled(e: &Expr) -> bool {
    use sqlparser::ast::Value;
    let word = |w: &str| w.eq_ignore_ascii_case("false") || w.eq_ignore_ascii_case("off");
    match e {
        Expr::Value(v) => match &v.value {
            Value::Boolean(b) => !*b,
            Value::Number(n, _) => n == "0",
            Value::SingleQuotedString(s) => word(s),
            _ => false,
        },
        Expr::Identifier(i) => word(&i.value),
        _ => false,
    }
}

pub(super) fn arg_expr(a: &FunctionArg) -> Option<&Expr> {
    let e = match a {
        FunctionArg::Unnamed(e) => e,
        FunctionArg::Named { arg, .. } | FunctionArg::ExprNamed { arg, .. } => arg,
    };
    match e {
        FunctionArgExpr::Expr(e) => Some(e),
        FunctionArgExpr::QualifiedWildcard(_)
        | FunctionArgExpr::Wildcard
        | FunctionArgExpr::WildcardWithOptions(_) => None,
    }
}

/// Table functions whose first argument is an address they fetch (ClickHouse, DuckDB).
const ADDRESSED: &[&str] = &[
    "url",
    "urlcluster",
    "s3",
    "s3cluster",
    "gcs",
    "hdfs",
    "hdfscluster",
    "azureblobstorage",
    "azureblobstoragecluster",
];

/// A literal: the only argument of a function that runs SQL or commands that is not SQL
/// built at run time or held in a variable.
fn is_plain(e: &Expr) -> bool {
    match e {
        Expr::Value(_) | Expr::TypedString(_) => true,
        Expr::Nested(e) => is_plain(e),
        Expr::Prefixed { value, .. } => is_plain(value),
        _ => false,
    }
}

impl Walk {
    fn add(&mut self, e: Effect, why: impl Into<String>) {
        if self.explain == 0 {
            self.found.push((e, why.into()));
        }
    }

    /// A call to a function or procedure, wherever it is (even under `EXPLAIN`: MySQL
    /// used to run derived tables while explaining them).
    fn call(&mut self, name: &ObjectName, args: &[&Expr]) {
        let full = name.to_string();
        if let Some(why) = super::unbounded::call(&full, args, &mut self.series) {
            self.add(Mutating, why);
        }
        let (e, what) = functions::call_effect(&full);
        if e == Read {
            return;
        }
        let short = full
            .rsplit('.')
            .next()
            .unwrap_or(&full)
            .replace(['"', '`', '[', ']'], "")
            .to_ascii_lowercase();
        self.found
            .push((e, format!("calls `{short}` which {what}")));
        // A table function that fetches an address computed at run time (`url('http://x/?d='
        // || (SELECT …))`): what the query reads leaves in the address.
        if ADDRESSED.contains(&short.as_str()) && args.first().is_some_and(|a| !is_plain(a)) {
            self.found.push((
                Admin,
                format!(
                    "calls `{short}` with an address computed at run time (data can leave in it)"
                ),
            ));
        }
        let sql = functions::runs_sql_arguments(&full);
        let shell = functions::runs_shell_arguments(&full);
        if !sql && !shell {
            return;
        }
        for a in args {
            match expr_string(a) {
                Some(s) if sql => self.sql_strings.push(s),
                Some(s) => self.shell_strings.push(s),
                None if is_plain(a) => {}
                None => self.found.push((
                    Destructive,
                    format!("calls `{short}` with SQL or a command built at run time"),
                )),
            }
        }
    }

    /// A plain table reference: a path or address as its name is judged as a reader's
    /// argument ([`super::paths`]); a table of credentials is marked; a T-SQL hint that
    /// takes locks locks (as `FOR UPDATE` does).
    fn table(&mut self, name: &ObjectName, hints: &[Expr]) {
        for why in super::paths::table_findings(name) {
            self.add(Mutating, why);
        }
        if let Some((table, what)) = tables::credentials(name) {
            self.add(Read, format!("reads credentials (`{table}` holds {what})"));
        }
        if let Some(h) = tables::locking_hint(hints) {
            self.add(
                Mutating,
                format!("locks rows with the table hint `{h}` (as `FOR UPDATE` does)"),
            );
        }
    }

    fn function(&mut self, name: &ObjectName, args: &[FunctionArg]) {
        match super::rules::file_reader_reads(name, args) {
            Some(true) => return,
            Some(false) => {
                let short = name.to_string().to_ascii_lowercase();
                self.found.push((
                    Mutating,
                    format!(
                        "calls `{short}` with a path that is not a literal local file \
                         (a URL, a value computed at run time or a secrets file)"
                    ),
                ));
                return;
            }
            None => {}
        }
        let args: Vec<&Expr> = args.iter().filter_map(arg_expr).collect();
        self.call(name, &args);
    }

    /// `CALL f(…)`: the procedure's SQL or command arguments (the effect is judged by the
    /// statement).
    pub(super) fn call_arguments(&mut self, name: &str, f: &Function) {
        if !functions::runs_sql_arguments(name) && !functions::runs_shell_arguments(name) {
            return;
        }
        let args: Vec<&Expr> = match &f.args {
            FunctionArguments::List(l) => l.args.iter().filter_map(arg_expr).collect(),
            FunctionArguments::None | FunctionArguments::Subquery(_) => Vec::new(),
        };
        let before = self.found.len();
        self.call(&f.name, &args);
        // Keep only the argument findings: the statement itself reports the call.
        if self.found.len() > before {
            self.found.remove(before);
        }
    }

    /// `EXECUTE`/`EXEC`: a prepared statement, a procedure (`EXEC sp_executesql …`), or
    /// dynamic SQL (`EXEC (@sql)`, `EXECUTE IMMEDIATE 'DROP …'`).
    pub(super) fn execute(
        &mut self,
        name: Option<&ObjectName>,
        parameters: &[Expr],
        parenthesised: bool,
    ) -> (Effect, String) {
        // SQL Server's parser reads `EXECUTE IMMEDIATE x` as a procedure named IMMEDIATE.
        let name = name.filter(|n| !n.to_string().eq_ignore_ascii_case("immediate"));
        let Some(name) = name else {
            let mut e = (Mutating, "executes dynamic SQL".to_string());
            for p in parameters {
                match expr_string(p) {
                    Some(s) => self.sql_strings.push(s),
                    None => {
                        e = (
                            Destructive,
                            "executes dynamic SQL built at run time".to_string(),
                        );
                    }
                }
            }
            return e;
        };
        let full = name.to_string();
        if let Some(disabled) = disabled_job(&full, parameters) {
            // The literal arguments are still SQL that may run.
            self.sql_strings
                .extend(parameters.iter().filter_map(expr_string));
            return disabled;
        }
        let (e, what) = functions::call_effect(&full);
        let refs: Vec<&Expr> = parameters.iter().collect();
        if functions::known_effect(&full).is_some() {
            let before = self.found.len();
            self.call(name, &refs);
            if self.found.len() > before {
                self.found.remove(before);
            }
            return (e, format!("executes `{full}` which {what}"));
        }
        // `EXECUTE format('DROP TABLE %I', t)`, `EXECUTE concat(…)`: a read function's
        // result is SQL text that runs (PL/pgSQL), or a prepared statement of that name runs
        // with arguments; only a procedure's call without parentheses reads (the
        // twenty-fifth sets).
        if e == Read && parenthesised {
            self.sql_strings
                .extend(parameters.iter().filter_map(expr_string));
            return (
                Destructive,
                format!("executes SQL that `{full}(…)` builds at run time"),
            );
        }
        // `EXECUTE lower`: a prepared statement named as a read function, not a procedure.
        if e == Read
            && parameters.is_empty()
            && !procedure_short_name(&full).starts_with("sp_")
            && functions::is_function(&full)
        {
            return (
                Mutating,
                format!("executes the prepared statement `{full}`"),
            );
        }
        if e == Read {
            return read_procedure(&full, parameters);
        }
        // A literal argument to a prepared statement or an unknown procedure may be SQL
        // (`EXEC ('DROP …')` parses with the text as a parameter in some dialects).
        self.sql_strings
            .extend(parameters.iter().filter_map(expr_string));
        // `EXEC dbo.usp_DeleteAllCustomers`, `CALL purge_tenants()`: the body is not visible,
        // its name says what it does.
        // The name as written: its case splits words (`usp_DeleteAllCustomers`).
        let short = full
            .rsplit('.')
            .next()
            .unwrap_or(&full)
            .replace(['"', '`', '[', ']'], "");
        // Removals only: access words are as often a report's (`sp_change_users_login 'Report'`).
        if crate::classify::name::name_tier(&short).effect == Some(Destructive) {
            return (
                Destructive,
                format!("executes procedure `{short}`, whose name says it removes data"),
            );
        }
        (
            Mutating,
            "executes a prepared statement or a procedure whose body is not visible".into(),
        )
    }
}

/// A procedure's own name, unquoted and lowercase (`[msdb].[dbo].[sp_update_job]` is
/// `sp_update_job`).
fn procedure_short_name(full: &str) -> String {
    full.rsplit('.')
        .next()
        .unwrap_or(full)
        .replace(['"', '`', '[', ']'], "")
        .to_ascii_lowercase()
}

/// SQL Server Agent's `sp_update_job`/`sp_update_schedule` with `@enabled = 0`: the job
/// (a backup, a maintenance plan) stops running.
fn disabled_job(full: &str, parameters: &[Expr]) -> Option<(Effect, String)> {
    let short = procedure_short_name(full);
    if !matches!(
        short.as_str(),
        "sp_update_job" | "sp_update_schedule" | "sp_update_jobschedule" | "sp_update_alert"
    ) {
        return None;
    }
    let off = parameters.iter().any(|p| match p {
        Expr::BinaryOp { left, right, .. } => {
            let name: String = left
                .to_string()
                .chars()
                .filter(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            name.eq_ignore_ascii_case("enabled") && right.to_string().trim() == "0"
        }
        _ => false,
    });
    off.then(|| {
        (
            Destructive,
            format!("executes `{short}` with `@enabled = 0`: a scheduled job stops running"),
        )
    })
}

/// `EXEC` of a procedure known to only read (`sp_help`, `sp_spaceused`, `sp_who`): its
/// arguments are object names or options, not SQL that runs. `sp_spaceused` with
/// `@updateusage` (second argument) other than `'false'` rewrites usage counters.
fn read_procedure(full: &str, parameters: &[Expr]) -> (Effect, String) {
    let short = procedure_short_name(full);
    if short == "sp_spaceused" {
        let updates = parameters.iter().enumerate().any(|(i, p)| {
            let (named, value) = match p {
                Expr::BinaryOp { left, right, .. } => (Some(left.to_string()), right.as_ref()),
                e => (None, e),
            };
            let is_update = match named {
                Some(n) => n
                    .chars()
                    .filter(|c| c.is_alphanumeric() || *c == '_')
                    .collect::<String>()
                    .eq_ignore_ascii_case("updateusage"),
                None => i == 1,
            };
            is_update && !expr_string(value).is_some_and(|v| v.trim().eq_ignore_ascii_case("false"))
        });
        if updates {
            return (
                Mutating,
                "executes `sp_spaceused` with `@updateusage` (rewrites usage counters)".into(),
            );
        }
    }
    (Read, format!("executes `{short}`, which only reads"))
}

impl Visitor for Walk {
    type Break = ();

    fn pre_visit_statement(&mut self, s: &Statement) -> ControlFlow<()> {
        if let Statement::Explain {
            analyze, options, ..
        } = s
        {
            if explain_runs(*analyze, options.as_ref()) {
                self.add(Read, "explains and runs the statement (`ANALYZE`)");
            } else {
                self.add(Read, EXPLAINS_PLAN);
                self.explain += 1;
            }
            return ControlFlow::Continue(());
        }
        if self.explain > 0 {
            return ControlFlow::Continue(());
        }
        let (e, why) = stmt::node_effect(s, self);
        self.add(e, why);
        ControlFlow::Continue(())
    }

    fn post_visit_statement(&mut self, s: &Statement) -> ControlFlow<()> {
        if let Statement::Explain {
            analyze, options, ..
        } = s
            && !explain_runs(*analyze, options.as_ref())
        {
            self.explain = self.explain.saturating_sub(1);
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_expr(&mut self, e: &Expr) -> ControlFlow<()> {
        match e {
            Expr::Function(f) => {
                let args: &[FunctionArg] = match &f.args {
                    FunctionArguments::List(l) => &l.args,
                    FunctionArguments::None | FunctionArguments::Subquery(_) => &[],
                };
                self.function(&f.name, args);
            }
            // `seq.NEXTVAL` advances the sequence (as `nextval('seq')` does).
            Expr::CompoundIdentifier(parts) => {
                if tables::advances_sequence(parts) {
                    self.add(Mutating, "advances a sequence (`.NEXTVAL`)");
                }
            }
            // No side effect of their own; what they contain is visited.
            Expr::Identifier(_)
            | Expr::CompoundFieldAccess { .. }
            | Expr::JsonAccess { .. }
            | Expr::IsFalse(_)
            | Expr::IsNotFalse(_)
            | Expr::IsTrue(_)
            | Expr::IsNotTrue(_)
            | Expr::IsNull(_)
            | Expr::IsNotNull(_)
            | Expr::IsUnknown(_)
            | Expr::IsNotUnknown(_)
            | Expr::IsDistinctFrom(..)
            | Expr::IsNotDistinctFrom(..)
            | Expr::IsJson { .. }
            | Expr::IsNormalized { .. }
            | Expr::In { .. }
            | Expr::Between { .. }
            | Expr::BinaryOp { .. }
            | Expr::Like { .. }
            | Expr::ILike { .. }
            | Expr::SimilarTo { .. }
            | Expr::RLike { .. }
            | Expr::AnyOp { .. }
            | Expr::AllOp { .. }
            | Expr::UnaryOp { .. }
            | Expr::Convert { .. }
            | Expr::Cast { .. }
            | Expr::AtTimeZone { .. }
            | Expr::Extract { .. }
            | Expr::Ceil { .. }
            | Expr::Floor { .. }
            | Expr::Position { .. }
            | Expr::Substring { .. }
            | Expr::Trim { .. }
            | Expr::Overlay { .. }
            | Expr::Collate { .. }
            | Expr::Nested(_)
            | Expr::Value(_)
            | Expr::Prefixed { .. }
            | Expr::TypedString(_)
            | Expr::Case { .. }
            | Expr::Exists { .. }
            | Expr::Subquery(_)
            | Expr::GroupingSets(_)
            | Expr::Cube(_)
            | Expr::Rollup(_)
            | Expr::Tuple(_)
            | Expr::Struct { .. }
            | Expr::Named { .. }
            | Expr::Dictionary(_)
            | Expr::Map(_)
            | Expr::Array(_)
            | Expr::Interval(_)
            | Expr::MatchAgainst { .. }
            | Expr::Wildcard(_)
            | Expr::QualifiedWildcard(..)
            | Expr::OuterJoin(_)
            | Expr::Prior(_)
            | Expr::Lambda(_)
            | Expr::MemberOf(_) => {}
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
            // A plain table: a path or an address written as its name (DuckDB's replacement
            // scans), credentials, locking hints.
            TableFactor::Table {
                name,
                args: None,
                with_hints,
                ..
            } => self.table(name, with_hints),
            // Subqueries and table expressions: their expressions and queries are visited.
            TableFactor::Derived { .. }
            | TableFactor::TableFunction { .. }
            | TableFactor::UNNEST { .. }
            | TableFactor::JsonTable { .. }
            | TableFactor::OpenJsonTable { .. }
            | TableFactor::NestedJoin { .. }
            | TableFactor::Pivot { .. }
            | TableFactor::Unpivot { .. }
            | TableFactor::UnpivotExpr { .. }
            | TableFactor::MatchRecognize { .. }
            | TableFactor::XmlTable { .. }
            | TableFactor::SemanticView { .. } => {}
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_query(&mut self, q: &Query) -> ControlFlow<()> {
        if q.with.is_some()
            && let Some(why) = super::unbounded::endless_recursion(q)
        {
            self.add(Mutating, why);
        }
        if let Some(why) = super::endless::endless_table(q) {
            self.add(Mutating, why);
        }
        if !q.locks.is_empty() {
            self.add(Mutating, "locks rows (`FOR UPDATE`/`FOR SHARE`)");
        }
        // `TABLE pg_shadow`: the table is kept as strings, not a table factor.
        if let SetExpr::Table(t) = q.body.as_ref()
            && let Some(name) = &t.table_name
            && let Some((table, what)) = tables::credentials_named(
                t.schema_name.as_ref().map(|i| i.value.as_str()),
                &name.value,
            )
        {
            self.add(Read, format!("reads credentials (`{table}` holds {what})"));
        }
        ControlFlow::Continue(())
    }

    fn pre_visit_select(&mut self, s: &Select) -> ControlFlow<()> {
        if let Some(into) = &s.into {
            let target = into.to_string().to_ascii_uppercase();
            if target.contains("OUTFILE") || target.contains("DUMPFILE") {
                self.add(Admin, "writes a file on the server (`INTO OUTFILE`)");
            } else {
                self.add(Mutating, "creates a table (`SELECT … INTO`)");
            }
        }
        ControlFlow::Continue(())
    }
}
