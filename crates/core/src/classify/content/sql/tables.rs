//! What a table reference says beyond "reads": a table or view that holds credentials
//! (`pg_shadow`, `mysql.user`, `sys.sql_logins`), T-SQL table hints that take locks
//! (`WITH (UPDLOCK, HOLDLOCK)`, as `FOR UPDATE` does), and a sequence advanced by name
//! (`seq.NEXTVAL`, as PostgreSQL's `nextval('seq')`).

use sqlparser::ast::{Expr, Ident, ObjectName};

use super::super::Ctx;
use super::super::sqllex::{Lexed, Tok};
use crate::Effect;

/// Tables and views whose rows are credentials: `(schema or "" for any, table, what it
/// holds)`. A local read of them is a read, marked as a read of credentials, as a local
/// read of a secret file is (`cat ~/.aws/credentials`).
const CREDENTIAL_TABLES: &[(&str, &str, &str)] = &[
    ("", "pg_shadow", "password hashes"),
    ("", "pg_authid", "password hashes"),
    ("", "pg_user_mappings", "foreign servers' passwords"),
    ("", "pg_user_mapping", "foreign servers' passwords"),
    ("", "user_mapping_options", "foreign servers' passwords"),
    (
        "",
        "pg_subscription",
        "replication connection strings with passwords",
    ),
    ("", "pg_hba_file_rules", "the server's authentication rules"),
    ("", "decrypted_secrets", "decrypted secrets"),
    ("", "decrypted_key", "decrypted keys"),
    ("mysql", "user", "password hashes"),
    ("", "slave_master_info", "replication passwords"),
    ("", "sql_logins", "password hashes"),
    ("", "syslogins", "password hashes"),
    ("", "sysxlogins", "password hashes"),
    ("", "user$", "password hashes"),
    ("", "link$", "database links' passwords"),
];

/// True if the text names a table of credentials or `NEXTVAL`: the fast path's plain read
/// (`fast/sql.rs`) would miss what the tree walk says of them (a mark, a write), so the
/// text goes to the full analysis.
///
/// By whole words (`users` is not `user`; `mysql`.`user` is): a substring test sent every
/// statement that mentions `users` past the fast path (a 200-byte SELECT cost 8 times more).
/// A word's edges are the characters no identifier holds, so a comment, a quote or a dot
/// between a schema and its table still leaves the two words side by side.
pub(super) fn needs_walk(text: &str) -> bool {
    let mut previous: &[u8] = b"";
    for word in text
        .as_bytes()
        .split(|b| !(b.is_ascii_alphanumeric() || *b == b'_' || *b == b'$'))
        .filter(|w| !w.is_empty())
    {
        // Most words are too short, too long or start with another letter: no comparison.
        let candidate = (4..=20).contains(&word.len())
            && word.first().is_some_and(|c| {
                matches!(
                    c.to_ascii_lowercase(),
                    b'n' | b'p' | b'u' | b'd' | b's' | b'l'
                )
            });
        if candidate
            && (word.eq_ignore_ascii_case(b"nextval")
                || CREDENTIAL_TABLES.iter().any(|(schema, t, _)| {
                    word.eq_ignore_ascii_case(t.as_bytes())
                        && (schema.is_empty() || previous.eq_ignore_ascii_case(schema.as_bytes()))
                }))
        {
            return true;
        }
        previous = word;
    }
    false
}

/// The credentials a table holds, when it is one of [`CREDENTIAL_TABLES`].
pub(super) fn credentials(name: &ObjectName) -> Option<(String, &'static str)> {
    let parts: Vec<String> = name
        .0
        .iter()
        .filter_map(|p| p.as_ident())
        .map(|i| i.value.to_ascii_lowercase())
        .filter(|v| !v.is_empty())
        .collect();
    let schema = parts.len().checked_sub(2).and_then(|i| parts.get(i));
    credentials_named(schema.map(String::as_str), parts.last()?)
}

/// Credentials by schema and table name (`TABLE pg_shadow`, whose parse keeps only
/// strings).
pub(super) fn credentials_named(
    schema: Option<&str>,
    table: &str,
) -> Option<(String, &'static str)> {
    let table = table.to_ascii_lowercase();
    let schema = schema.map(str::to_ascii_lowercase);
    CREDENTIAL_TABLES
        .iter()
        .find(|(s, t, _)| *t == table && (s.is_empty() || schema.as_deref() == Some(*s)))
        .map(|(_, _, what)| (table.clone(), *what))
}

/// A statement no dialect parses that a read form proves (`SUMMARIZE t`, `TABLE t`,
/// `why`): a file or address read as a table is judged as a reader's argument
/// (`SUMMARIZE '/etc/shadow'`, [`super::paths`]), and a table of credentials is marked.
pub(super) fn unparsed_read(ctx: &mut Ctx, head: &str, lx: &Lexed, why: &str) {
    let mut raised = false;
    for (t, _) in &lx.toks {
        if let Tok::Str(s) | Tok::Ident(s) = t
            && let Some(f) = super::paths::token_finding(s)
        {
            ctx.add(Effect::Mutating, format!("{head} {f}"));
            raised = true;
        }
    }
    if !raised {
        ctx.add(Effect::Read, format!("{head} {why}"));
    }
    if let Some((table, what)) = unparsed_credentials(lx) {
        ctx.add(
            Effect::Read,
            format!("{head} reads credentials (`{table}` holds {what})"),
        );
    }
}

/// Credentials read by a statement no dialect parses: `TABLE pg_shadow`, `SUMMARIZE
/// mysql.user` (its names after the first keyword).
pub(super) fn unparsed_credentials(lx: &Lexed) -> Option<(String, &'static str)> {
    let toks = lx.toks.get(1..).unwrap_or_default();
    toks.iter().enumerate().find_map(|(i, (t, _))| {
        let (Tok::Word(w) | Tok::Ident(w)) = t else {
            return None;
        };
        let schema = i
            .checked_sub(1)
            .filter(|j| matches!(toks.get(*j), Some((Tok::Punct('.'), _))))
            .and_then(|j| j.checked_sub(1))
            .and_then(|j| match toks.get(j) {
                Some((Tok::Word(s) | Tok::Ident(s), _)) => Some(s.as_str()),
                _ => None,
            });
        credentials_named(schema, w)
    })
}

/// T-SQL table hints that change nothing about locking beyond a plain read (or take fewer
/// locks): every other hint holds or takes locks that block writers (`UPDLOCK`,
/// `HOLDLOCK`, `XLOCK`, `TABLOCK`, `TABLOCKX`, `PAGLOCK`, `ROWLOCK`, `SERIALIZABLE`,
/// `REPEATABLEREAD`) or is not known.
const PLAIN_HINTS: &[&str] = &[
    "NOLOCK",
    "READUNCOMMITTED",
    "READCOMMITTED",
    "READPAST",
    "NOWAIT",
    "NOEXPAND",
    "FORCESEEK",
    "FORCESCAN",
    "SNAPSHOT",
    "INDEX",
];

/// The first table hint that is not proven plain (`WITH (UPDLOCK)`), as written.
pub(super) fn locking_hint(hints: &[Expr]) -> Option<String> {
    hints
        .iter()
        .find(|h| {
            let name = match h {
                Expr::Identifier(i) if i.quote_style.is_none() => Some(&i.value),
                // `INDEX(ix)`, `FORCESEEK(ix(col))`.
                Expr::Function(f) => f.name.0.last().and_then(|p| p.as_ident()).map(|i| &i.value),
                // `INDEX = ix`.
                Expr::BinaryOp { left, .. } => match left.as_ref() {
                    Expr::Identifier(i) => Some(&i.value),
                    _ => None,
                },
                _ => None,
            };
            !name.is_some_and(|n| PLAIN_HINTS.iter().any(|p| n.eq_ignore_ascii_case(p)))
        })
        .map(ToString::to_string)
}

/// True for `seq.NEXTVAL` (Oracle, Snowflake): the sequence advances.
pub(super) fn advances_sequence(parts: &[Ident]) -> bool {
    parts.len() > 1
        && parts
            .last()
            .is_some_and(|i| i.quote_style.is_none() && i.value.eq_ignore_ascii_case("nextval"))
}

#[cfg(test)]
mod tests {
    use super::needs_walk;

    #[test]
    fn every_name_passes_the_prefilter() {
        for (_, t, _) in super::CREDENTIAL_TABLES {
            assert!((4..=20).contains(&t.len()), "{t}");
            assert!(t.starts_with(['n', 'p', 'u', 'd', 's', 'l']), "{t}");
        }
    }

    #[test]
    fn the_walk_is_needed_for_whole_names_only() {
        for text in [
            "SELECT * FROM pg_shadow",
            "SELECT user, authentication_string FROM mysql.user",
            "SELECT * FROM `mysql`.`user`",
            "SELECT * FROM mysql/**/.user",
            "SELECT name FROM sys.user$",
            "SELECT seq.NEXTVAL FROM dual",
            "SELECT nextval('s')",
        ] {
            assert!(needs_walk(text), "{text}");
        }
        // The twins: names that only contain them (the benchmark's statements name `users`).
        for text in [
            "SELECT u.id, u.email FROM users u WHERE u.org_id = 42",
            "SELECT * FROM app.user",
            "SELECT * FROM pg_shadows",
            "SELECT nextvalue FROM t",
        ] {
            assert!(!needs_walk(text), "{text}");
        }
    }
}
