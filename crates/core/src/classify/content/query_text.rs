//! Text in a query argument that the SQL sniffer does not take for SQL by its first word.
//!
//! - SQL behind a first statement the sniffer does not know (`XA RECOVER; DROP TABLE t`,
//!   `IF 1=1 DELETE FROM t`, `PRINT 'x'` then a line `DROP TABLE t`), behind empty
//!   statements, a byte-order mark or invisible characters (`;;DROP TABLE t`), or inside a
//!   JDBC escape or a PL/SQL label (`{call purge()}`, `<<l>> BEGIN … END;`): judged as SQL.
//! - Other query languages (Cypher, Gremlin, AQL, SPARQL Update, KQL control commands, the
//!   Mongo shell, LDIF), recognised by their syntax and judged by their worst data-changing
//!   word. Airlock does not parse them, so such text is never a proof of a read.
//!
//! Without these, a read-named tool (`read_neo4j_cypher`, `mssql_query_readonly`) was
//! answered `read` for a query that deletes (red team, 2026-12-04).

use super::sqllex::{self, Tok};
use super::{Ctx, snippet, sql};
use crate::Effect::{self, Destructive, Mutating};

/// First words of T-SQL, MySQL and DuckDB statements the sniffer does not start SQL with
/// (they also begin prose: such a text is SQL only when it names a statement that changes
/// something, [`CHANGES`]).
const CONTROL: &[&str] = &[
    "IF",
    "WHILE",
    "PRINT",
    "RAISERROR",
    "THROW",
    "WAITFOR",
    "GO",
    "XA",
    "HELP",
    "CHECK",
    "CHECKSUM",
    "REPAIR",
    "CACHE",
    "SIGNAL",
    "RESIGNAL",
    "GET",
    "BINLOG",
    "FROM",
    "PIVOT",
    "UNPIVOT",
    "OPEN",
    "RETURN",
    "LOOP",
    "REPEAT",
    "ELSE",
    "CASE",
    "SUMMARIZE",
];

/// sqlite3's dot commands that read or write files or run programs (Kusto's control commands,
/// `.set-or-replace`, `.drop`, are another language's, judged below).
const SQLITE_DOT: &[&str] = &[
    "shell",
    "system",
    "output",
    "once",
    "log",
    "trace",
    "iotrace",
    "read",
    "restore",
    "load",
    "import",
    "save",
    "backup",
    "clone",
    "open",
    "excel",
    "cd",
    "connection",
    "ar",
    "archive",
    "dbconfig",
];

/// Statement keywords that change something.
const CHANGES: &[&str] = &[
    "INSERT", "UPDATE", "DELETE", "DROP", "CREATE", "ALTER", "TRUNCATE", "GRANT", "REVOKE", "EXEC",
    "EXECUTE", "CALL", "MERGE", "REPLACE", "UPSERT", "COPY", "LOAD", "ATTACH", "DETACH",
    "SHUTDOWN", "KILL", "PURGE", "RENAME", "RESTORE", "BACKUP", "DBCC", "SET", "DECLARE",
];

/// Characters that render as nothing: a database may skip them, or reject the text; either
/// way they must not hide what follows.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{FEFF}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}' | '\u{00AD}' | '\u{180E}'
    )
}

/// The text after what may come before a statement: whitespace, empty statements, invisible
/// characters, a JDBC/ODBC escape's `{`, `{?=`, and PL/SQL labels (`<<name>>`).
fn after_prelude(t: &str) -> &str {
    let mut t = t;
    loop {
        let next = t.trim_start_matches(|c: char| {
            c.is_whitespace() || invisible(c) || matches!(c, ';' | '{' | '?' | '=')
        });
        let next = match next.strip_prefix("<<").and_then(|r| r.split_once(">>")) {
            Some((_, rest)) => rest,
            None => next,
        };
        if next.len() == t.len() {
            return t;
        }
        t = next;
    }
}

/// Whether a text in a SQL argument that does not start like SQL holds SQL all the same.
pub(crate) fn hidden_sql(t: &str) -> bool {
    let rest = after_prelude(t);
    // A client's command first (sqlite3's `.shell cmd`, psql's `\! cmd`): the SQL analyser
    // reads its meta-command lines.
    let dot = rest
        .strip_prefix('.')
        .map(|r| r.split(char::is_whitespace).next().unwrap_or(r));
    if dot.is_some_and(|d| SQLITE_DOT.contains(&d))
        || rest
            .strip_prefix('\\')
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_alphabetic() || c == '!'))
    {
        return true;
    }
    if rest.len() != t.len() && sql::looks_like_sql(rest) {
        return true;
    }
    // A later statement, after a `;` or on a line of its own (T-SQL needs neither).
    if t.split([';', '\n'])
        .skip(1)
        .any(|part| sql::looks_like_sql(after_prelude(part)))
    {
        return true;
    }
    // A control statement first, and a statement that changes something anywhere after it.
    let lx = sqllex::lex(rest);
    let first = sqllex::first_word(&lx.toks);
    first.is_some_and(|w| CONTROL.contains(&w))
        && lx
            .toks
            .iter()
            .skip(1)
            .any(|(t, _)| matches!(t, Tok::Word(w) if CHANGES.contains(&w.as_str())))
}

/// The statement an argument's value starts after ending its own (`public; DROP TABLE
/// users`, `x'; DELETE FROM t; --`): a value a server pastes into its SQL runs it. Only a
/// statement that changes something counts (`a; select b` proves nothing either way).
pub(crate) fn injected_sql(t: &str) -> Option<&str> {
    // Each statement's start is judged from its first 256 bytes, so a text of many `;` costs
    // one pass, not one lexing of the rest per `;`.
    let mut from = 0;
    while let Some(i) = t.get(from..).and_then(|r| r.find(';')) {
        let part = after_prelude(t.get(from + i..).unwrap_or(""));
        let head = super::prefix(part, 256);
        let lx = sqllex::lex(head);
        if sqllex::first_word(&lx.toks).is_some_and(|w| CHANGES.contains(&w))
            && sql::looks_like_sql(head)
        {
            return Some(part);
        }
        // Past the separators and blanks the prelude skipped (`;;;;…` is one step).
        from = (t.len() - part.len()).max(from + i + 1);
    }
    None
}

/// A query language other than SQL, by its syntax.
fn language(t: &str) -> Option<&'static str> {
    // Every prefix below is shorter than `HEAD`, so the start of the squeezed text answers
    // them; the whole text is squeezed only where a rule reads past its start (every string
    // value of a tool's arguments comes here: 2 KB of prose cost 74,000 instructions).
    let head = squeezed_lower(t, HEAD);
    let s = head.as_str();
    let whole = std::cell::OnceCell::new();
    let whole = || whole.get_or_init(|| squeezed_lower(t, usize::MAX)).as_str();
    let starts = |p: &[&str]| p.iter().any(|p| s.starts_with(p));
    if starts(&["g.v(", "g.e(", "g.addv(", "g.adde(", "g.inject(", "__."]) {
        return Some("Gremlin");
    }
    if starts(&["db."])
        && whole()
            .get(3..)
            .is_some_and(|r| r.contains('.') || r.contains('('))
    {
        return Some("the Mongo shell");
    }
    if starts(&["dn:"]) && whole().contains("changetype:") {
        return Some("LDIF");
    }
    // KQL control commands: `.drop table T`, `.set-or-replace T <| …`.
    if let Some(cmd) = s.strip_prefix('.')
        && cmd.starts_with(|c: char| c.is_ascii_alphabetic())
    {
        return Some("a KQL control command");
    }
    // Behind a query's prefixes (`PROFILE`, `CYPHER runtime=…`, `//` comments), and
    // statements only Cypher has (the twenty-second sets).
    // (Only text that starts with such a prefix is rebuilt.)
    let cypher_body = ["explain ", "profile ", "cypher ", "//"]
        .iter()
        .any(|p| s.starts_with(p))
        .then(|| super::cypher::body(t));
    let b = cypher_body.as_deref().unwrap_or(s);
    let b_whole = || cypher_body.as_deref().unwrap_or_else(whole);
    let cypher = CYPHER_STARTS.iter().any(|p| b.starts_with(p))
        || (b.starts_with("match ") && b_whole().contains('('));
    if cypher {
        return Some("Cypher");
    }
    // AQL: `FOR u IN users …`.
    // (Not a shell loop: `for f in *; do …; done`.)
    if s.starts_with("for ")
        && whole().split(' ').nth(2) == Some("in")
        && !whole().contains(';')
        && !whole().contains(" do ")
    {
        return Some("AQL");
    }
    let sparql = starts(SPARQL_STARTS);
    sparql.then_some("SPARQL")
}

/// How Cypher statements start (behind its prefixes).
const CYPHER_STARTS: &[&str] = &[
    "match (",
    "match(",
    "optional match",
    "merge (",
    "create (",
    "unwind ",
    "detach delete",
    "call db.",
    "call apoc.",
    "call dbms.",
    "call {",
    "call{",
    "foreach (",
    "foreach(",
    "load csv ",
    "stop database",
    "start database",
    "terminate transaction",
    "drop constraint",
    "create constraint",
];

/// How SPARQL queries and updates start.
const SPARQL_STARTS: &[&str] = &[
    "prefix ",
    "base <",
    "clear ",
    "insert data",
    "delete data",
    "delete where",
    "load <",
    "load silent",
    "drop graph",
    "drop silent",
    "drop all",
    "drop default",
    "drop named",
    "copy <",
    "copy default",
    "move <",
    "move default",
    "add <",
    "add default",
    "with <",
];

/// The length of the squeezed text's start that [`language`] reads first: longer than any
/// prefix it looks for.
const HEAD: usize = 64;

/// `t` lower-cased (ASCII) with every run of whitespace made one space and none at either
/// end, up to at least `max` bytes (a prefix of the whole, or the whole).
fn squeezed_lower(t: &str, max: usize) -> String {
    let mut out = String::with_capacity(t.len().min(max).saturating_add(4));
    for w in t.split_whitespace() {
        if out.len() >= max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        for c in w.chars() {
            if out.len() >= max {
                break;
            }
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Words of those languages that destroy, and words that change (matched as whole words,
/// case-insensitive, or as method names before `(`).
const DESTROYS: &[&str] = &[
    "delete",
    "detach",
    "remove",
    "drop",
    "clear",
    "truncate",
    "purge",
    "deletemany",
    "deleteone",
    "findoneanddelete",
    "dropdatabase",
    "dropindex",
    "dropindexes",
    "set-or-replace",
    "move",
];
const CHANGES_QL: &[&str] = &[
    "set",
    "create",
    "merge",
    "insert",
    "update",
    "replace",
    "upsert",
    "load",
    "add",
    "copy",
    "addv",
    "adde",
    "property",
    "insertone",
    "insertmany",
    "updateone",
    "updatemany",
    "replaceone",
    "bulkwrite",
    "createindex",
    "renamecollection",
    "findoneandupdate",
    "findoneandreplace",
    "append",
    "ingest",
    "alter",
    "rename",
    "modify",
];

/// Judges text in a query language other than SQL, when it is one.
pub(crate) fn analyse(ctx: &mut Ctx, t: &str) {
    let Some(lang) = language(t) else {
        return;
    };
    if lang == "Cypher" {
        super::cypher::judge(ctx, t);
    }
    words(ctx, t, lang);
}

/// Judges text known to be Cypher by its words.
pub(crate) fn cypher_words(ctx: &mut Ctx, t: &str) {
    words(ctx, t, "Cypher");
}

fn words(ctx: &mut Ctx, t: &str, lang: &str) {
    let lower = t.to_ascii_lowercase();
    let words = lower
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|w| !w.is_empty());
    let mut worst: Option<(Effect, String)> = None;
    for w in words {
        let e = if DESTROYS.contains(&w) {
            Destructive
        } else if CHANGES_QL.contains(&w) {
            Mutating
        } else {
            continue;
        };
        if worst.as_ref().is_none_or(|(cur, _)| e.max(*cur) != *cur) {
            worst = Some((e, w.to_string()));
        }
    }
    // No word that changes anything: the tool's name decides, as for prose.
    if let Some((e, w)) = worst {
        ctx.add(
            e,
            format!(
                "query: {} is {lang}, which Airlock does not parse; it names `{w}`",
                snippet(t)
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_sql_is_found_behind_what_the_sniffer_skips() {
        for t in [
            "XA RECOVER; DROP TABLE users",
            "CHECK TABLE users; DROP TABLE users",
            ";;DROP TABLE users",
            ";\nDELETE FROM users",
            "\u{feff}DROP TABLE users",
            "\u{200b}DELETE FROM users",
            "PRINT 'starting'\nDROP TABLE dbo.users",
            "IF 1=1 DELETE FROM dbo.users",
            "WHILE 1=1 BEGIN DELETE TOP(1000) FROM dbo.logs END",
            "{call purge_users(?)}",
            "{? = call delete_all()}",
            "<<main>> BEGIN EXECUTE IMMEDIATE 'DROP TABLE users'; END;",
            "FROM users; DROP TABLE users",
        ] {
            assert!(hidden_sql(t), "{t}");
        }
        // Prose and plain reads are not taken for SQL.
        for t in [
            "Get the list of users",
            "If the table is big, how long does a scan take?",
            "FROM users",
            "check the table of contents",
            "cats and dogs",
        ] {
            assert!(!hidden_sql(t), "{t}");
        }
    }

    #[test]
    fn query_languages_are_recognised_by_syntax() {
        for (t, lang) in [
            ("MATCH (n) DETACH DELETE n", "Cypher"),
            ("match (n:User) return n", "Cypher"),
            ("g.E().drop().iterate()", "Gremlin"),
            ("FOR u IN users REMOVE u IN users", "AQL"),
            ("CLEAR GRAPH <http://example.org/g>", "SPARQL"),
            (".drop table Events", "a KQL control command"),
            (
                "db.getCollection('users').deleteMany({})",
                "the Mongo shell",
            ),
            ("dn: cn=admin,dc=corp\nchangetype: delete", "LDIF"),
        ] {
            assert_eq!(language(t), Some(lang), "{t}");
        }
        for t in [
            "Delete the old entries",
            "for the record, in short",
            "match the users",
            "create a file",
            "db",
        ] {
            assert_eq!(language(t), None, "{t}");
        }
    }

    /// `language` as it was before it read only the start (issue 14): the whole text
    /// squeezed first, every rule asked of it.
    fn language_whole(t: &str) -> Option<&'static str> {
        let lower = t.to_ascii_lowercase();
        let squeezed: String = lower.split_whitespace().collect::<Vec<_>>().join(" ");
        let s = squeezed.as_str();
        let starts = |p: &[&str]| p.iter().any(|p| s.starts_with(p));
        if starts(&["g.v(", "g.e(", "g.addv(", "g.adde(", "g.inject(", "__."]) {
            return Some("Gremlin");
        }
        if starts(&["db."])
            && s.get(3..)
                .is_some_and(|r| r.contains('.') || r.contains('('))
        {
            return Some("the Mongo shell");
        }
        if starts(&["dn:"]) && s.contains("changetype:") {
            return Some("LDIF");
        }
        if let Some(cmd) = s.strip_prefix('.')
            && cmd.starts_with(|c: char| c.is_ascii_alphabetic())
        {
            return Some("a KQL control command");
        }
        let cypher_body = ["explain ", "profile ", "cypher ", "//"]
            .iter()
            .any(|p| s.starts_with(p))
            .then(|| crate::classify::content::cypher::body(t));
        let b = cypher_body.as_deref().unwrap_or(s);
        let cypher = CYPHER_STARTS.iter().any(|p| b.starts_with(p))
            || (b.starts_with("match ") && b.contains('('));
        if cypher {
            return Some("Cypher");
        }
        if s.starts_with("for ")
            && s.split(' ').nth(2) == Some("in")
            && !s.contains(';')
            && !s.contains(" do ")
        {
            return Some("AQL");
        }
        SPARQL_STARTS
            .iter()
            .any(|p| s.starts_with(p))
            .then_some("SPARQL")
    }

    /// The start of every text the rules look for, and what may follow it.
    const STARTS: &[&str] = &[
        "g.V(",
        "g.e(",
        "G.addV(",
        "g.adde(",
        "g.inject(",
        "__.",
        "db.",
        "db",
        "DB.users",
        "dn:",
        "dn: cn=x",
        ".drop",
        ".",
        ".1",
        "explain ",
        "PROFILE ",
        "cypher ",
        "cypher 5 runtime=slotted ",
        "//",
        "// c\n",
        "match",
        "MATCH (",
        "match(",
        "optional match",
        "merge (",
        "create (",
        "unwind ",
        "detach delete",
        "call db.",
        "call apoc.",
        "call dbms.",
        "call {",
        "call{",
        "foreach (",
        "load csv ",
        "stop database",
        "terminate transaction",
        "drop constraint",
        "create constraint",
        "for ",
        "FOR u IN",
        "for u in users",
        "prefix ",
        "base <",
        "clear ",
        "insert data",
        "delete where",
        "load silent",
        "drop graph",
        "copy <",
        "move default",
        "add <",
        "with <",
        "Delete the",
        "a",
    ];
    const AFTER: &[&str] = &[
        "",
        " ",
        "  ",
        "\t",
        "\n",
        "\u{a0}",
        "\u{2003}",
        "(",
        ".",
        ";",
        " do ",
        " in ",
        "in",
        "changetype:",
        "CHANGETYPE: delete",
        "x",
        "users",
        "é",
        "日本",
        "(n)",
        " return n",
        "\u{feff}",
        "=",
        "5",
        "runtime=slotted",
    ];

    #[test]
    fn the_start_answers_as_the_whole_text_did() {
        let mut rng = crate::classify::content::test_rng::Rng(0x9e37_79b9_7f4a_7c15);
        let mut next = |n: usize| rng.below(n);
        // Every prefix `language` looks for fits in the start it reads first.
        assert!(
            CYPHER_STARTS
                .iter()
                .chain(SPARQL_STARTS)
                .all(|p| p.len() + 2 < HEAD)
        );
        let mut found = 0;
        for round in 0..60_000 {
            let mut t = String::new();
            for _ in 0..next(3) {
                t.push_str(AFTER[next(AFTER.len())]);
            }
            t.push_str(STARTS[next(STARTS.len())]);
            // Long middles put what a rule reads past the start beyond `HEAD`.
            let filler = ["", "word ", "é", " \t", "日本語 ", "x"][next(6)];
            t.push_str(&filler.repeat(next(40)));
            for _ in 0..next(6) {
                t.push_str(AFTER[next(AFTER.len())]);
            }
            if round % 3 == 0 {
                t = t.to_ascii_uppercase();
            }
            let (new, old) = (language(&t), language_whole(&t));
            assert_eq!(new, old, "{t:?}");
            found += usize::from(old.is_some());
        }
        // The texts reach every kind of rule, not only the misses.
        assert!(found > 10_000, "{found}");
    }
}
