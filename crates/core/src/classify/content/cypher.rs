//! Cypher beyond its words (the twenty-second sets). [`super::query_text`] judges Cypher by
//! its worst data-changing word; that missed statements whose words say nothing (`STOP
//! DATABASE`, `TERMINATE TRANSACTIONS`), an empty map that wipes every property (`SET n =
//! {}`), procedures that remove or grant under names of their own (`apoc.schema.assert({},
//! {})` drops every index and constraint, `dbms.security.createUser`,
//! `apoc.refactor.deleteAndReconnect`), queries behind a prefix (`PROFILE`, `CYPHER
//! runtime=…`, a `//` comment) and procedures' Cypher in SQL-shaped text (`CALL
//! apoc.periodic.iterate('…', 'DETACH DELETE n', {})` parses as a SQL `CALL`, whose strings
//! were not read). Only raises.

use serde_json::Value;

use super::{Ctx, query_text, snippet};
use crate::Effect::{self, Admin, Destructive, Mutating};
use crate::classify::name::name_tier;

/// Statements, by their first words (lower case, single spaces).
#[rustfmt::skip]
const STATEMENTS: &[(&str, Effect)] = &[
    ("stop database", Destructive), ("drop database", Destructive),
    ("drop composite database", Destructive), ("create or replace database", Destructive),
    ("create or replace composite database", Destructive), ("drop alias", Destructive),
    ("drop constraint", Destructive), ("drop index", Destructive), ("drop server", Destructive),
    ("deallocate database", Destructive), ("terminate transaction", Destructive),
    ("create user", Admin), ("create or replace user", Admin), ("alter user", Admin),
    ("alter current user", Admin), ("rename user", Admin), ("drop user", Admin),
    ("create role", Admin), ("create or replace role", Admin), ("rename role", Admin),
    ("drop role", Admin), ("grant ", Admin), ("deny ", Admin), ("revoke ", Admin),
    ("start database", Mutating), ("create database", Mutating),
    ("create composite database", Mutating), ("alter database", Mutating),
    ("create alias", Mutating), ("alter alias", Mutating), ("enable server", Mutating),
    ("alter server", Mutating), ("reallocate database", Mutating),
];

/// Procedures whose names do not say what they do.
#[rustfmt::skip]
const PROCEDURES: &[(&str, Effect, &str)] = &[
    ("apoc.schema.assert", Destructive, "drops every index and constraint it is not given"),
    ("dbms.security.", Admin, "changes users, roles or passwords"),
    ("dbms.setconfigvalue", Admin, "changes the server's configuration"),
    ("apoc.trigger.", Mutating, "installs or changes a trigger"),
    ("apoc.custom.", Mutating, "installs a procedure"),
    ("apoc.export.", Mutating, "writes a file"),
    ("apoc.cypher.run", Mutating, "runs the Cypher it is given"),
    ("apoc.periodic.", Mutating, "runs the Cypher it is given"),
    ("apoc.systemdb.execute", Mutating, "runs the Cypher it is given on the system database"),
];

/// A SQL `CALL` of a Neo4j procedure (`CALL apoc.periodic.iterate('…', 'DETACH DELETE n',
/// {})` parses as SQL): the statement judged as Cypher, for the SQL walk.
pub(crate) fn sql_call(name: &str, statement: &str) -> Option<(Effect, String)> {
    let lower = name.trim_start_matches(['"', '`']).to_ascii_lowercase();
    if !(lower.starts_with("apoc.") || lower.starts_with("dbms.")) {
        return None;
    }
    let mut ctx = Ctx::new();
    known(&mut ctx, statement);
    let v = ctx.verdict()?;
    Some((v.effect, v.reasons.join("; ")))
}

/// Text known to be Cypher (a Neo4j client's argument, or procedures of Neo4j's namespaces):
/// its words and its statements.
pub(crate) fn known(ctx: &mut Ctx, t: &str) {
    query_text::cypher_words(ctx, t);
    judge(ctx, t);
}

/// A Neo4j tool's query (`run_cypher {"cypher": …}`, `neo4j_query {"statement": …}`): known to
/// be Cypher by the tool's name, whichever reading its key gave it.
pub(crate) fn tool_input(ctx: &mut Ctx, input: &Value) {
    const KEYS: &[&str] = &["query", "cypher", "statement", "q", "querytext", "command"];
    let texts: Vec<&str> = match input {
        Value::String(s) => vec![s.as_str()],
        Value::Object(m) => m
            .iter()
            .filter(|(k, _)| {
                let k: String = k
                    .chars()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .map(|c| c.to_ascii_lowercase())
                    .collect();
                KEYS.contains(&k.as_str())
            })
            .filter_map(|(_, v)| v.as_str())
            .collect(),
        _ => Vec::new(),
    };
    for t in texts
        .into_iter()
        .filter(|t| t.trim().contains(char::is_whitespace))
    {
        known(ctx, t);
    }
}

/// The text after a query's prefixes: `//` comment lines, `EXPLAIN`, `PROFILE`, `CYPHER`
/// with its options (`CYPHER runtime=slotted`), lower case with single spaces.
pub(crate) fn body(t: &str) -> String {
    let kept: Vec<&str> = t
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect();
    let lower = kept.join(" ").to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let mut i = 0;
    while let Some(w) = words.get(i) {
        match *w {
            "explain" | "profile" => i += 1,
            "cypher" => {
                i += 1;
                // A version (`CYPHER 5`) and options (`runtime=slotted`, `a = b`).
                while let Some(next) = words.get(i) {
                    let after = words.get(i + 1).copied().unwrap_or("");
                    if next.contains('=') || next.chars().all(|c| c.is_ascii_digit() || c == '.') {
                        i += 1;
                    } else if after.starts_with('=') {
                        i += if after == "=" { 3 } else { 2 };
                    } else {
                        break;
                    }
                }
            }
            _ => break,
        }
    }
    words.get(i..).unwrap_or_default().join(" ")
}

/// Judges Cypher statements and procedures.
pub(crate) fn judge(ctx: &mut Ctx, t: &str) {
    let squeezed = body(t);
    for stmt in squeezed.split(';') {
        let stmt = body(stmt);
        // `SHOW TRANSACTIONS YIELD … TERMINATE TRANSACTIONS …` ends what it shows.
        if stmt.contains("terminate transaction") {
            ctx.add(
                Destructive,
                format!("cypher: {} terminates transactions", snippet(&stmt)),
            );
        }
        if let Some((w, e)) = STATEMENTS.iter().find(|(w, _)| stmt.starts_with(w)) {
            ctx.add(
                *e,
                format!("cypher: {} is `{}`", snippet(&stmt), w.trim_end()),
            );
        }
    }
    if wipes_properties(&squeezed) {
        ctx.add(
            Destructive,
            format!(
                "cypher: {} sets a node's properties to an empty map, which removes them all",
                snippet(t)
            ),
        );
    }
    for name in procedure_names(t) {
        let lower = name.to_ascii_lowercase();
        if let Some((_, e, why)) = PROCEDURES.iter().find(|(p, _, _)| lower.starts_with(p)) {
            ctx.add(*e, format!("cypher: procedure `{name}` {why}"));
        }
        let last = name.rsplit('.').next().unwrap_or(&name);
        // (`db.clearQueryCaches` empties a cache, not data.)
        if last.to_ascii_lowercase().contains("cache") {
            continue;
        }
        if let Some(e @ (Destructive | Admin)) = name_tier(last).effect {
            ctx.add(e, format!("cypher: procedure `{name}` is {e} by its name"));
        }
    }
}

/// `SET n = {}`: `=` (not `+=`) an empty map.
fn wipes_properties(s: &str) -> bool {
    let mut from = 0;
    while let Some(i) = s.get(from..).and_then(|r| r.find("set ")) {
        let at = from + i;
        from = at + 4;
        // A whole word: `set` after a space, a bracket or the start.
        if at > 0
            && s.as_bytes()
                .get(at - 1)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            continue;
        }
        let rest = s.get(from..).unwrap_or("");
        let rest =
            rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '`');
        let Some(rest) = rest.trim_start().strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        if let Some(inner) = rest.strip_prefix('{')
            && inner.trim_start().starts_with('}')
        {
            return true;
        }
    }
    false
}

/// Dotted names before `(` in Neo4j's procedure namespaces (`apoc.`, `dbms.`, `db.`, `gds.`),
/// as written (`deleteAndReconnect` keeps the words its name tier reads).
fn procedure_names(t: &str) -> Vec<String> {
    let mut out = Vec::new();
    let lower = t.to_ascii_lowercase();
    let s = lower.as_str();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let starts_word = i == 0
            || b.get(i - 1)
                .is_some_and(|c| !(c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.'));
        if starts_word
            && ["apoc.", "dbms.", "db.", "gds."]
                .iter()
                .any(|p| s.get(i..).is_some_and(|r| r.starts_with(p)))
        {
            let end = s
                .get(i..)
                .and_then(|r| {
                    r.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
                })
                .map_or(s.len(), |n| i + n);
            if let Some(name) = t.get(i..end)
                && s.get(end..)
                    .is_some_and(|r| r.trim_start().starts_with('('))
                && out.len() < 64
            {
                out.push(name.to_string());
            }
            i = end.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_skipped() {
        assert_eq!(body("PROFILE MATCH (n) RETURN n"), "match (n) return n");
        assert_eq!(body("CYPHER runtime=slotted MATCH (n)"), "match (n)");
        assert_eq!(
            body("CYPHER 5 runtime = pipelined EXPLAIN MATCH (n)"),
            "match (n)"
        );
        assert_eq!(body("// c\nMATCH (n)"), "match (n)");
    }

    #[test]
    fn empty_maps_and_procedures() {
        assert!(wipes_properties("match (n) set n = {}"));
        assert!(wipes_properties("match (n) set n={ }"));
        assert!(!wipes_properties("match (n) set n += {}"));
        assert!(!wipes_properties("match (n) set n = {a: 1}"));
        assert!(!wipes_properties("match (n) reset n = {}"));
        assert_eq!(
            procedure_names("call apoc.schema.assert({},{}) yield x return db.labels ()"),
            vec!["apoc.schema.assert", "db.labels"]
        );
    }
}
