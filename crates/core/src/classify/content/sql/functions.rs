//! SQL functions and procedures, one table per dialect (`functions/*.txt`, data read at
//! first use): the ones known to be free of side effects, and the ones with side effects,
//! what they do, and whether their string arguments are SQL or commands that run. A name
//! found in several dialects gets the worst of its entries; a name found in none is not
//! known to be free of side effects, so calling it is at least a write.

use std::collections::HashMap;
use std::sync::LazyLock;

use crate::Effect::{self, Mutating};

/// Each dialect's table: (dialect, text).
pub(crate) const DIALECTS: &[(&str, &str)] = &[
    ("standard", include_str!("functions/standard.txt")),
    ("postgresql", include_str!("functions/postgresql.txt")),
    ("mysql", include_str!("functions/mysql.txt")),
    ("sqlite", include_str!("functions/sqlite.txt")),
    ("sql server", include_str!("functions/mssql.txt")),
    ("oracle", include_str!("functions/oracle.txt")),
    ("snowflake", include_str!("functions/snowflake.txt")),
    ("bigquery", include_str!("functions/bigquery.txt")),
];

/// What a table's string arguments are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Arguments {
    Data,
    /// SQL that runs (remote, dynamic or scheduled).
    Sql,
    /// Operating-system commands.
    Shell,
}

/// One entry of a table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub effect: Effect,
    pub what: &'static str,
    pub arguments: Arguments,
}

const READ: Entry = Entry {
    effect: Effect::Read,
    what: "is free of side effects",
    arguments: Arguments::Data,
};

/// A line of a table that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("functions table {dialect}: line {line} does not parse: {text}")]
pub(crate) struct TableError {
    pub dialect: &'static str,
    pub line: usize,
    pub text: &'static str,
}

/// Parses one table into `(name, entry)` pairs.
pub(crate) fn parse_table(
    dialect: &'static str,
    text: &'static str,
) -> Result<Vec<(&'static str, Entry)>, TableError> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let err = || TableError {
            dialect,
            line: i + 1,
            text: raw,
        };
        if let Some(names) = line.strip_prefix("read:") {
            out.extend(names.split_whitespace().map(|n| (n, READ)));
            continue;
        }
        let (head, what) = line.split_once(':').ok_or_else(err)?;
        let mut words = head.split_whitespace();
        let effect = match words.next() {
            Some("mutating") => Effect::Mutating,
            Some("destructive") => Effect::Destructive,
            Some("admin") => Effect::Admin,
            _ => return Err(err()),
        };
        let name = words.next().ok_or_else(err)?;
        let arguments = match words.next() {
            None => Arguments::Data,
            Some("[sql]") => Arguments::Sql,
            Some("[shell]") => Arguments::Shell,
            Some(_) => return Err(err()),
        };
        if words.next().is_some() || name != name.to_ascii_lowercase() {
            return Err(err());
        }
        out.push((
            name,
            Entry {
                effect,
                what: what.trim(),
                arguments,
            },
        ));
    }
    Ok(out)
}

/// Each name's worst entry over every dialect. A table that does not parse adds nothing
/// (its names stay unknown, so at least mutating); a test keeps every table parsing.
static TABLE: LazyLock<HashMap<&'static str, Entry>> = LazyLock::new(|| {
    let mut m: HashMap<&'static str, Entry> = HashMap::new();
    for (dialect, text) in DIALECTS {
        for (name, e) in parse_table(dialect, text).unwrap_or_default() {
            let slot = m.entry(name).or_insert(e);
            if e.effect.rank() > slot.effect.rank()
                || (e.effect.rank() == slot.effect.rank() && e.arguments != Arguments::Data)
            {
                *slot = e;
            }
        }
    }
    m
});

/// Schemas whose functions are the built-in ones (a function in another schema is the
/// user's own, whatever its name).
const SYSTEM_SCHEMAS: &[&str] = &["pg_catalog", "information_schema", "sys"];

fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '"' | '`' | '[' | ']'))
        .collect::<String>()
        .to_ascii_lowercase()
}

const UNKNOWN: Entry = Entry {
    effect: Mutating,
    what: "is not known to be free of side effects (a user-defined or unlisted function)",
    arguments: Arguments::Data,
};

/// The entry of a function or procedure: its table entry, or an unknown one (mutating).
/// `name` may be qualified (`pg_catalog.pg_sleep`, `cron.schedule`) and quoted.
pub(crate) fn entry(name: &str) -> Entry {
    let lower = normalise(name);
    // A quoted name that is not all lowercase (`"LOWER"`) is case-sensitive in
    // PostgreSQL: not the built-in, so only a dangerous entry of its spelling counts.
    let exact = !name.contains(['"', '`', '['])
        || normalise(name) == name.replace(['"', '`', '[', ']'], "");
    let found = lookup(&lower);
    if exact || found.effect != Effect::Read {
        found
    } else {
        UNKNOWN
    }
}

fn lookup(lower: &str) -> Entry {
    if let Some(found) = TABLE.get(lower) {
        return *found;
    }
    let (schema, last) = match lower.rsplit_once('.') {
        Some((s, l)) => (s.rsplit('.').find(|p| !p.is_empty()).unwrap_or(""), l),
        None => ("", lower),
    };
    match TABLE.get(last) {
        Some(found) if found.effect != Effect::Read => *found,
        Some(found) if schema.is_empty() || SYSTEM_SCHEMAS.contains(&schema) => *found,
        _ => UNKNOWN,
    }
}

const UNKNOWN_REMOVING: Entry = Entry {
    effect: Effect::Destructive,
    what: "is a user-defined or unlisted function whose name says it removes (`purge_…`, `delete_…`)",
    arguments: Arguments::Data,
};

const UNKNOWN_ACCESS: Entry = Entry {
    effect: Effect::Admin,
    what: "is a user-defined or unlisted function whose name says it changes access (`grant_…`)",
    arguments: Arguments::Data,
};

/// An unknown function: at least mutating, and what its name's verb says when that is more
/// (`purge_old_orders()`, `app.delete_tenant('acme')`, `grant_admin(1)`), as for a tool.
fn unknown(last: &str) -> Entry {
    match crate::classify::name::name_tier(last).effect {
        Some(Effect::Destructive) => UNKNOWN_REMOVING,
        Some(Effect::Admin) => UNKNOWN_ACCESS,
        _ => UNKNOWN,
    }
}

/// What calling a function or procedure does.
pub(crate) fn call_effect(name: &str) -> (Effect, &'static str) {
    let mut e = entry(name);
    if e == UNKNOWN {
        let lower = normalise(name);
        e = unknown(lower.rsplit('.').next().unwrap_or(&lower));
    }
    (e.effect, e.what)
}

/// The effect of a function or procedure known to have side effects; `None` for a known
/// read or an unknown name.
pub(crate) fn known_effect(name: &str) -> Option<(Effect, &'static str)> {
    let e = entry(name);
    (e != UNKNOWN && e.effect != Effect::Read).then_some((e.effect, e.what))
}

/// True if the tables know the name as a function free of side effects (`lower`, `format`).
pub(crate) fn is_function(name: &str) -> bool {
    let e = entry(name);
    e != UNKNOWN && e.effect == Effect::Read
}

/// True if the function's string arguments are SQL that runs.
pub(crate) fn runs_sql_arguments(name: &str) -> bool {
    entry(name).arguments == Arguments::Sql
}

/// True if the function's string arguments are operating-system commands.
pub(crate) fn runs_shell_arguments(name: &str) -> bool {
    entry(name).arguments == Arguments::Shell
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Effect::{Admin, Destructive, Read};

    #[test]
    fn tables_parse_and_are_consistent() {
        for (dialect, text) in DIALECTS {
            let entries = parse_table(dialect, text).expect("table parses");
            assert!(!entries.is_empty(), "{dialect}");
            for (n, e) in &entries {
                assert_eq!(*n, n.to_ascii_lowercase(), "{dialect}: {n}");
                let twice: Vec<_> = entries.iter().filter(|(m, _)| m == n).collect();
                assert_eq!(twice.len(), 1, "{dialect}: {n} listed twice");
                if e.arguments != Arguments::Data {
                    assert_ne!(e.effect, Read, "{dialect}: {n} runs its arguments");
                }
            }
        }
        assert!(parse_table("t", "bogus x: y").is_err());
        assert!(parse_table("t", "admin X: y").is_err());
        assert!(parse_table("t", "admin x [code]: y").is_err());
    }

    #[test]
    fn lookups() {
        assert_eq!(call_effect("count").0, Read);
        assert_eq!(call_effect("pg_catalog.lower").0, Read);
        assert_eq!(call_effect("public.lower").0, Mutating);
        assert_eq!(call_effect("\"LOWER\"").0, Mutating);
        assert_eq!(call_effect("\"lower\"").0, Read);
        assert_eq!(call_effect("\"PG_SLEEP\"").0, Destructive);
        assert_eq!(call_effect("\"pg_catalog\".\"pg_sleep\"").0, Destructive);
        assert_eq!(call_effect("PG_TERMINATE_BACKEND").0, Destructive);
        assert_eq!(call_effect("cron.schedule").0, Admin);
        assert!(runs_sql_arguments("cron.schedule"));
        assert!(runs_shell_arguments("master..xp_cmdshell"));
        assert_eq!(call_effect("master..xp_cmdshell").0, Destructive);
        assert_eq!(call_effect("master.dbo.sp_configure").0, Admin);
        // A user's function, even one named like a built-in read, may do anything.
        assert_eq!(call_effect("app.lower").0, Mutating);
        assert_eq!(call_effect("my_func").0, Mutating);
        assert_eq!(known_effect("my_func"), None);
        assert_eq!(call_effect("dbms_scheduler.create_job").0, Admin);
        assert_eq!(call_effect("dbms_output.put_line").0, Read);
    }
}
