//! Metamorphic test of the SQL analyser: every harmful SQL case of the corpus (tools named
//! for SQL, queries or databases) is transformed in ways that do not make it safer (comments
//! in each dialect's syntax between tokens, keyword case, `EXPLAIN ANALYZE` in both syntaxes,
//! a CTE, a transaction, a function or procedure body that is then called, a `DO` block, a
//! prepared statement), and the verdict must never drop. Benign reads under the transformations
//! that keep them reads (plain `EXPLAIN`, comments, case) must stay reads.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test harness

use std::path::Path;

use airlock_core::Effect;
use airlock_core::classify::classify;
use serde_json::{Value, json};

struct Case {
    tool: String,
    sql: String,
}

fn sql_tool(tool: &str) -> bool {
    let t = tool.to_ascii_lowercase();
    t.contains("sql") || t.contains("query") || t.contains("db")
}

fn load(file: &str, expect: &str) -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("corpus file");
    let mut out = Vec::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with("//") {
            continue;
        }
        let v: Value = serde_json::from_str(line).expect("json line");
        let tool = v["tool"].as_str().expect("tool");
        if v["expect"] != expect || !sql_tool(tool) {
            continue;
        }
        // Oversize inputs test the size limit, not SQL.
        if let Some(sql) = v["input"].as_str().filter(|s| s.len() <= 4096) {
            if expect == "benign" && v["want"] != "read" {
                continue;
            }
            out.push(Case {
                tool: tool.to_string(),
                sql: sql.to_string(),
            });
        }
    }
    out
}

/// Byte ranges of `s` outside quotes and dollar quotes, and before the first client
/// meta-command (backslash) or dot-command line: where tokens may be rewritten.
fn outside_literals(s: &str) -> Vec<bool> {
    let b = s.as_bytes();
    let mut out = vec![false; b.len()];
    let mut i = 0;
    let mut quote: Option<Vec<u8>> = None;
    while i < b.len() {
        if let Some(q) = &quote {
            if b[i..].starts_with(q) {
                i += q.len();
                quote = None;
            } else {
                i += 1;
            }
            continue;
        }
        let c = b[i];
        let line_start = i == 0 || b[i - 1] == b'\n';
        // Client commands run to the end of the line (`\!`, `.shell`, SQL*Plus `HOST`).
        if c == b'\\'
            || (c == b'.' && line_start)
            || (line_start && b.len() > i + 5 && b[i..i + 5].eq_ignore_ascii_case(b"host "))
        {
            break;
        }
        if matches!(c, b'\'' | b'"' | b'`' | b'[') {
            quote = Some(vec![if c == b'[' { b']' } else { c }]);
            i += 1;
            continue;
        }
        if c == b'$'
            && let Some(end) = b[i + 1..].iter().position(|&x| x == b'$')
        {
            let tag = &b[i..i + end + 2];
            if tag[1..tag.len() - 1]
                .iter()
                .all(|x| x.is_ascii_alphanumeric() || *x == b'_')
            {
                quote = Some(tag.to_vec());
                i += tag.len();
                continue;
            }
        }
        if c == b'-' && b.get(i + 1) == Some(&b'-') || c == b'#' {
            // Leave comments as they are.
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        if c == b'/' && b.get(i + 1) == Some(&b'*') {
            break;
        }
        out[i] = true;
        i += 1;
    }
    out
}

/// Replaces each run of whitespace outside literals with `sep`.
fn between_tokens(s: &str, sep: &str) -> String {
    let free = outside_literals(s);
    let mut out = String::new();
    let mut prev_space = false;
    for (i, ch) in s.char_indices() {
        // Newlines stay: they end line comments and client commands.
        if free.get(i) == Some(&true) && ch.is_whitespace() && ch != '\n' {
            if !prev_space {
                out.push_str(sep);
            }
            prev_space = true;
            continue;
        }
        prev_space = false;
        out.push(ch);
    }
    out
}

/// Alternates the case of the letters of words outside literals (`dRoP tAbLe`).
fn case_change(s: &str) -> String {
    let free = outside_literals(s);
    let mut upper = false;
    s.char_indices()
        .map(|(i, c)| {
            if free.get(i) == Some(&true) && c.is_ascii_alphabetic() {
                upper = !upper;
                if upper {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            } else {
                c
            }
        })
        .collect()
}

/// Lowercases the letters outside literals.
fn lowercase(s: &str) -> String {
    let free = outside_literals(s);
    s.char_indices()
        .map(|(i, c)| {
            if free.get(i) == Some(&true) {
                c.to_ascii_lowercase()
            } else {
                c
            }
        })
        .collect()
}

fn dollar_tag(s: &str) -> String {
    let mut tag = String::from("$m$");
    while s.contains(&tag) {
        tag.insert(1, 'x');
    }
    tag
}

fn strip_semi(s: &str) -> &str {
    s.trim().trim_end_matches(';')
}

/// Every transformation of a harmful text, with its name.
fn transforms(sql: &str) -> Vec<(&'static str, String)> {
    // A client meta-command runs to the end of its line: wrapped text starts a new line.
    let body = if sql.contains('\\') {
        format!("{}\n", strip_semi(sql))
    } else {
        strip_semi(sql).to_string()
    };
    let tag = dollar_tag(sql);
    let mut out = vec![
        ("block comments", between_tokens(sql, " /**/ ")),
        ("block comments with text", between_tokens(sql, " /* x */ ")),
        ("nested comments", between_tokens(sql, " /* /* x */ */ ")),
        ("case", case_change(sql)),
        ("lowercase keywords", lowercase(sql)),
        ("explain analyze", format!("EXPLAIN ANALYZE {sql}")),
        ("explain (analyze)", format!("EXPLAIN (ANALYZE) {sql}")),
        (
            "explain (format json, analyze true)",
            format!("EXPLAIN (FORMAT JSON, ANALYZE true) {sql}"),
        ),
        ("cte before", format!("WITH x AS (SELECT 1) {sql}")),
        ("cte body", format!("WITH x AS ({body}) SELECT * FROM x")),
        ("transaction", format!("BEGIN; {body}; COMMIT;")),
        (
            "function body then call",
            format!(
                "CREATE FUNCTION f() RETURNS void AS {tag} {body} {tag} LANGUAGE sql; SELECT f();"
            ),
        ),
        (
            "procedure body then call",
            format!(
                "CREATE PROCEDURE p() LANGUAGE plpgsql AS {tag} BEGIN {body}; END {tag}; CALL p();"
            ),
        ),
        (
            "t-sql procedure then exec",
            format!("CREATE PROCEDURE p AS BEGIN {body}; END; EXEC p;"),
        ),
        ("do block", format!("DO {tag} BEGIN {body}; END {tag}")),
        (
            "prepared statement",
            format!("PREPARE p AS {body}; EXECUTE p;"),
        ),
    ];
    // A SQL*Plus `HOST` line is a client command, not a statement: wrapped in SQL it is
    // SQL that no client runs as a command, so only comments and case apply.
    if sql
        .trim_start()
        .get(..5)
        .is_some_and(|h| h.eq_ignore_ascii_case("host "))
    {
        out.retain(|(name, _)| name.contains("comments") || name.contains("case"));
    }
    // A line comment ends at a newline it adds: only where no other line comment's extent
    // would change (the dialect tricks rely on exactly where lines end).
    if !sql.contains(['#', '\n']) && !sql.contains("--") && !sql.contains("//") {
        out.push(("line comments", between_tokens(sql, " -- x\n")));
        out.push(("hash comments", between_tokens(sql, " # x\n")));
    }
    out
}

fn effect(tool: &str, sql: &str) -> Effect {
    classify(tool, &json!(sql), None, None).effect
}

#[test]
fn harmful_sql_never_drops() {
    let mut cases = load("harmful.jsonl", "harmful");
    cases.extend(load("sql_dialects.jsonl", "harmful"));
    assert!(cases.len() >= 150, "only {} harmful SQL cases", cases.len());
    let mut failures = Vec::new();
    let mut checked = 0usize;
    for c in &cases {
        let base = effect(&c.tool, &c.sql);
        assert!(base.is_high_risk(), "corpus case not caught: {}", c.sql);
        for (name, t) in transforms(&c.sql) {
            checked += 1;
            let got = effect(&c.tool, &t);
            if got.rank() < base.rank() {
                failures.push(format!("{name}: {base} -> {got}: {t:?}"));
            }
        }
    }
    println!(
        "metamorphic sql: {} cases, {checked} transformed, {} dropped",
        cases.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn benign_reads_stay_reads() {
    let mut cases = load("benign.jsonl", "benign");
    cases.extend(load("sql_dialects.jsonl", "benign"));
    // Only plain statements: the transformations below keep a read a read in every dialect.
    cases.retain(|c| !c.sql.contains('\\') && !c.sql.contains("--") && !c.sql.contains("/*"));
    assert!(cases.len() >= 30, "only {} benign SQL reads", cases.len());
    let mut failures = Vec::new();
    for c in &cases {
        if effect(&c.tool, &c.sql) != Effect::Read {
            failures.push(format!("base: {:?}", c.sql));
            continue;
        }
        for (name, t) in [
            ("block comments", between_tokens(&c.sql, " /**/ ")),
            (
                "block comments with text",
                between_tokens(&c.sql, " /* x */ "),
            ),
            ("line comments", between_tokens(&c.sql, " -- x\n")),
            ("case", case_change(&c.sql)),
        ] {
            let got = effect(&c.tool, &t);
            if got != Effect::Read {
                failures.push(format!("{name}: {got}: {t:?}"));
            }
        }
    }
    for s in [
        "EXPLAIN SELECT * FROM t",
        "EXPLAIN DELETE FROM t",
        "EXPLAIN (FORMAT JSON) UPDATE t SET a = 1",
        "SELECT count(*), lower(a), coalesce(b, 0), now() FROM t",
        "SELECT a /* drop table t */ FROM t -- truncate t",
    ] {
        if effect("run_sql", s) != Effect::Read {
            failures.push(format!("twin: {s:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn transformations_change_the_text() {
    let t = transforms("DROP TABLE t");
    for (name, s) in &t {
        assert_ne!(s, "DROP TABLE t", "{name}");
    }
    assert_eq!(
        between_tokens("SELECT 'a b' FROM t", "/**/"),
        "SELECT/**/'a b'/**/FROM/**/t"
    );
    assert_eq!(case_change("drop 'x'"), "DrOp 'x'");
}
