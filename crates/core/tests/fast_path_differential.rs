//! The fast path against the full analysis (issue 14): the token-level proof may answer
//! higher than the full analysis, never lower, and for what it proves a read the full
//! analysis says read too.
//!
//! - Generated SQL (a fixed seed): plain selects, the same selects mutated (a token
//!   inserted, replaced or dropped) and token soup mixing read and write keywords, comments,
//!   quotes, semicolons, dollar quotes, parameters, functions, CTEs, subqueries and `INTO`.
//!   Whenever the fast path accepts a text, the full analysis (fast path off) must judge it
//!   read, alone and inside a JSON argument.
//! - Generated CTEs, `EXPLAIN`s and intervals (the fast path's later shapes) beside their
//!   adversarial twins (CTE bodies that write, `RECURSIVE`, `MATERIALIZED`, `EXPLAIN ANALYZE`
//!   in every syntax, units and casts after `INTERVAL`): the same effect and reason as the
//!   full analysis.
//! - Every input of the corpus (`tests/corpus/*.jsonl`): the classification with the fast
//!   path must have the same effect as without it.
//! - The benchmark inputs, and the load benchmark's CTE, `EXPLAIN` and interval reads: the
//!   fast path must fire for them (the test fails if it stops covering them).

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test harness: failing loudly is the point

use std::path::Path;

mod common;

use airlock_core::Effect;
use airlock_core::classify::ContentVerdict;
use airlock_core::classify::content::fast_select_read;
use common::{Rng, content};
use serde_json::{Value, json};

const SELECT_200B: &str = "SELECT u.id, u.email, count(o.id) AS orders, sum(o.total) AS revenue FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE o.created_at >= '2024-01-01' GROUP BY u.id, u.email ORDER BY revenue DESC";

const SAFE_NAMES: &[&str] = &[
    "a",
    "b",
    "c",
    "t",
    "u",
    "users",
    "orders",
    "email",
    "total",
    "created_at",
    "id",
    "name",
];
const SAFE_FUNCS: &[&str] = &["count", "sum", "max", "lower", "coalesce", "round"];
const SAFE_LITERALS: &[&str] = &[
    "1",
    "42",
    "1.5",
    "'x'",
    "'it''s'",
    "'2024-01-01'",
    "NULL",
    "TRUE",
];

fn name(r: &mut Rng) -> &'static str {
    r.mostly(SAFE_NAMES, NAMES)
}

/// Names, including keywords that are or are not read as names.
const NAMES: &[&str] = &[
    "a",
    "b",
    "c",
    "t",
    "u",
    "users",
    "orders",
    "id",
    "name",
    "status",
    "type",
    "value",
    "key",
    "data",
    "email",
    "total",
    "created_at",
    "user",
    "order",
    "limit",
    "table",
    "date",
    "e",
    "q",
    "n",
    "x",
    "from",
    "select",
    "all",
    "window",
    "offset",
    "interval",
    "current_user",
    "array",
    "row",
    "cast",
    "case",
    "exists",
    "unique",
    "time",
    "public",
    "into",
    "set",
    "on",
    "natural",
];
const FUNCS: &[&str] = &[
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "lower",
    "upper",
    "length",
    "abs",
    "round",
    "coalesce",
    "nullif",
    "now",
    "pg_sleep",
    "lo_export",
    "dblink",
    "set_config",
    "nextval",
    "load_file",
    "pg_read_file",
    "sys_exec",
    "my_func",
    "left",
    "date",
    "cast",
    "exists",
];
const LITERALS: &[&str] = &[
    "1",
    "42",
    "1.5",
    "'x'",
    "'it''s'",
    "'2024-01-01'",
    "NULL",
    "TRUE",
    "false",
    "1e5",
    "0x1f",
    "E'\\x'",
    "$$x$$",
    "$1",
    "?",
    ":v",
    "@v",
    "N'x'",
    "X'00'",
    "'a' 'b'",
    "'''x'''",
    "'a\\'b'",
];
const OPS: &[&str] = &[
    "=", "<", ">", "<=", ">=", "<>", "!=", "+", "-", "*", "/", "%", "||", "::", "->", "~", "^",
    "&", "|",
];
const NOISE: &[&str] = &[
    ";",
    "; DROP TABLE t",
    "; DELETE FROM t",
    "-- x\n",
    "--x",
    "/* x */",
    "/*! DROP TABLE t */",
    "# x\n",
    "\"a\"",
    "`a`",
    "[a]",
    "INTO t2",
    "INTO OUTFILE '/tmp/x'",
    "FOR UPDATE",
    "FOR SHARE",
    "UNION SELECT * FROM pg_shadow",
    "(SELECT 1)",
    "WITH x AS (DELETE FROM t RETURNING *)",
    "RETURNING *",
    "EXCEPT",
    "\\! rm -rf /",
    "\ngo\n",
    "\n.shell rm x\n",
    "q'[x]'",
    "//",
    "а",
    "ＳＥＬＥＣＴ",
    "\r\n",
    "LATERAL",
    "TABLESAMPLE",
    "WINDOW w AS ()",
    "FETCH FIRST 1 ROWS ONLY",
    "DISTINCT ON (a)",
];

fn expr(r: &mut Rng, depth: usize) -> String {
    if depth > 2 {
        return leaf(r);
    }
    match r.below(10) {
        0 => format!(
            "{} {} {}",
            leaf(r),
            r.pick(&["=", "<", ">=", "<>", "!="]),
            leaf(r)
        ),
        1 => format!("{}({})", r.mostly(SAFE_FUNCS, FUNCS), expr(r, depth + 1)),
        2 => format!("({})", expr(r, depth + 1)),
        3 => format!("{} IS NOT NULL", leaf(r)),
        4 => format!("{} NOT IN ({}, {})", leaf(r), leaf(r), leaf(r)),
        5 => format!("{} BETWEEN {} AND {}", leaf(r), leaf(r), leaf(r)),
        6 => format!("{} LIKE {}", leaf(r), r.mostly(SAFE_LITERALS, LITERALS)),
        7 => format!("{} AND {}", expr(r, depth + 1), expr(r, depth + 1)),
        8 => format!("NOT {}", expr(r, depth + 1)),
        _ => format!("{} + {} * {}", leaf(r), leaf(r), leaf(r)),
    }
}

fn leaf(r: &mut Rng) -> String {
    match r.below(7) {
        6 => interval(r),
        0 | 1 => name(r).to_string(),
        2 => format!("{}.{}", name(r), name(r)),
        3 => r.mostly(SAFE_LITERALS, LITERALS).to_string(),
        4 => "count(*)".to_string(),
        _ => format!("-{}", r.pick(&["1", "2.5", "x"])),
    }
}

/// A select in the fast path's grammar, more or less (names and literals vary freely).
fn select(r: &mut Rng) -> String {
    let mut s = String::from(r.pick(&["SELECT ", "select ", "SELECT DISTINCT ", "Select\n"]));
    let items = 1 + r.below(3);
    for i in 0..items {
        if i > 0 {
            s.push_str(", ");
        }
        match r.below(5) {
            0 => s.push('*'),
            1 => s.push_str(&format!("{}.*", name(r))),
            2 => s.push_str(&format!("{} AS {}", expr(r, 1), name(r))),
            3 => s.push_str(&format!("{} {}", expr(r, 1), name(r))),
            _ => s.push_str(&expr(r, 1)),
        }
    }
    s.push_str(&format!(" FROM {} {}", name(r), name(r)));
    if r.chance(40) {
        let join = r.pick(&[
            "JOIN",
            "LEFT JOIN",
            "INNER JOIN",
            "FULL OUTER JOIN",
            "RIGHT JOIN",
        ]);
        s.push_str(&format!(" {join} {} ON {}", name(r), expr(r, 1)));
    }
    if r.chance(15) {
        s.push_str(&format!(" CROSS JOIN {}.{}", name(r), name(r)));
    }
    if r.chance(60) {
        s.push_str(&format!(" WHERE {}", expr(r, 0)));
    }
    if r.chance(30) {
        s.push_str(&format!(" GROUP BY {}, {}", leaf(r), leaf(r)));
        if r.chance(50) {
            s.push_str(&format!(" HAVING {}", expr(r, 1)));
        }
    }
    if r.chance(40) {
        s.push_str(&format!(
            " ORDER BY {} {}",
            leaf(r),
            r.pick(&["", "ASC", "DESC", "DESC NULLS LAST"])
        ));
    }
    if r.chance(30) {
        s.push_str(&format!(" LIMIT {}", r.pick(&["10", "1", "x", "ALL"])));
    }
    if r.chance(10) {
        s.push_str(" OFFSET 5");
    }
    if r.chance(20) {
        s.push(';');
    }
    s
}

/// A piece of SQL from any of the vocabularies.
fn piece(r: &mut Rng) -> String {
    match r.below(7) {
        0 => r.pick(NAMES).to_string(),
        1 => format!("{}(", r.pick(FUNCS)),
        2 => r.pick(LITERALS).to_string(),
        3 => r.pick(OPS).to_string(),
        4 => r.pick(NOISE).to_string(),
        5 => r
            .pick(&[
                "FROM",
                "WHERE",
                "JOIN",
                "ON",
                "AND",
                "OR",
                "NOT",
                ",",
                "(",
                ")",
                ".",
                "DELETE",
                "UPDATE",
                "INSERT",
                "DROP",
                "WITH",
                "AS",
                "GROUP BY",
                "ORDER BY",
                "LIMIT",
                "EXPLAIN",
                "ANALYZE",
                "RECURSIVE",
                "MATERIALIZED",
                "INTERVAL",
                "DAY",
                "RETURNING",
                "(ANALYZE)",
                "VERBOSE",
                "x AS (",
            ])
            .to_string(),
        _ => expr(r, 1),
    }
}

/// A select with one to three mutations: pieces inserted, words dropped or replaced.
fn mutated(r: &mut Rng) -> String {
    let base = select(r);
    mutate(r, &base)
}

fn mutate(r: &mut Rng, base: &str) -> String {
    let mut words: Vec<String> = base.split(' ').map(str::to_string).collect();
    for _ in 0..1 + r.below(3) {
        let at = r.below(words.len() + 1);
        match r.below(3) {
            0 => words.insert(at, piece(r)),
            1 if at < words.len() => {
                words.remove(at);
            }
            _ if at < words.len() => words[at] = piece(r),
            _ => words.push(piece(r)),
        }
    }
    words.join(" ")
}

/// Token soup that starts like a statement.
fn soup(r: &mut Rng) -> String {
    let mut s = String::from(r.pick(&["SELECT", "select", "WITH x AS (", "SELECT *", "DELETE"]));
    for _ in 0..r.below(14) {
        s.push(' ');
        s.push_str(&piece(r));
    }
    s
}

/// `INTERVAL '…'`, mostly as PostgreSQL writes it, sometimes with a unit, a sign, a cast,
/// a prefixed or second literal, or no literal at all.
fn interval(r: &mut Rng) -> String {
    r.mostly(
        &[
            "interval '7 days'",
            "INTERVAL '1 hour'",
            "Interval'2 weeks'",
        ],
        &[
            "interval '1' day",
            "INTERVAL '1' HOUR TO MINUTE",
            "interval '1' second (3)",
            "interval 1",
            "interval x",
            "interval",
            "interval -'1 day'",
            "interval E'1 day'",
            "interval '1 day'::interval",
            "interval ('1 day')",
            "interval '1' 'day'",
            "interval $$1 day$$",
            "interval '1 day' ||",
            "interval '1 day' AS day",
            "interval '1 day' years",
            "interval @v",
        ],
    )
    .to_string()
}

/// CTE bodies that are not a select in the fast path's grammar: writes with `RETURNING`,
/// side effects, locks, nested `WITH`, other query forms, a second statement.
const CTE_BODIES: &[&str] = &[
    "DELETE FROM t RETURNING *",
    "UPDATE t SET a = 1 RETURNING a",
    "INSERT INTO t VALUES (1) RETURNING *",
    "INSERT INTO t SELECT * FROM u RETURNING *",
    "SELECT pg_sleep(1) FROM t",
    "SELECT nextval('s') FROM t",
    "SELECT * FROM t FOR UPDATE",
    "TABLE t",
    "VALUES (1)",
    "SELECT 1 FROM t; DROP TABLE t",
    "WITH y AS (SELECT a FROM t) SELECT a FROM y",
    "WITH y AS (DELETE FROM t RETURNING *) SELECT * FROM y",
    "SELECT * FROM t UNION SELECT * FROM u",
];

/// One CTE: mostly `name AS (select)`, sometimes materialized, with columns, or with a
/// body that writes.
fn cte(r: &mut Rng) -> String {
    let body = match r.below(20) {
        0..=7 => r
            .pick(&[
                "SELECT * FROM events WHERE ts > now() - interval '1 hour'",
                "SELECT a, count(*) AS n FROM t GROUP BY a",
                "select id from users where email like '%@x' limit 10",
            ])
            .to_string(),
        8..=16 => select(r).trim_end_matches(';').to_string(),
        _ => r.pick(CTE_BODIES).to_string(),
    };
    let shape = r.mostly(
        &["{n} AS ({b})", "{n} as ({b})"],
        &[
            "{n} AS MATERIALIZED ({b})",
            "{n} AS NOT MATERIALIZED ({b})",
            "{n} (a, b) AS ({b})",
            "{n}(a) AS ({b})",
            "{n} AS ({b}) FROM x",
            "{n} ({b})",
            "{n} AS {b}",
            "{n} AS (({b}))",
            "{n} AS ({b});",
        ],
    );
    let n = r.mostly(&["recent", "r", "x", "totals"], NAMES);
    shape.replace("{n}", n).replace("{b}", &body)
}

/// `EXPLAIN` spellings: mostly bare, sometimes with `ANALYZE` in any syntax or other
/// options.
const EXPLAINS: &[&str] = &[
    "EXPLAIN ANALYZE ",
    "EXPLAIN ANALYSE ",
    "explain analyze ",
    "EXPLAIN ANALYZE VERBOSE ",
    "EXPLAIN (ANALYZE) ",
    "EXPLAIN (ANALYZE false) ",
    "EXPLAIN (ANALYZE true, FORMAT JSON) ",
    "EXPLAIN (\"analyze\") ",
    "EXPLAIN (FORMAT JSON) ",
    "EXPLAIN (COSTS off) ",
    "EXPLAIN VERBOSE ",
    "EXPLAIN FORMAT=JSON ",
    "EXPLAIN QUERY PLAN ",
    "EXPLAIN PLAN FOR ",
    "EXPLAIN EXPLAIN ",
    "EXPLAIN /* x */ ",
    "EXPLAIN -- x\n",
    "EXPLAIN; ",
    "DESCRIBE ",
    "ANALYZE ",
];

/// A read in the fast path's grammar, more or less: a select, after `WITH` of CTEs, under
/// `EXPLAIN`; the main statement of a `WITH` is sometimes a write.
fn query(r: &mut Rng) -> String {
    let mut s = String::new();
    if r.chance(35) {
        s.push_str(r.mostly(&["EXPLAIN ", "explain "], EXPLAINS));
    }
    if r.chance(50) {
        s.push_str(r.mostly(&["WITH ", "with "], &["WITH RECURSIVE ", "WITH\n"]));
        for i in 0..1 + r.below(4) / 2 {
            if i > 0 {
                s.push_str(", ");
            }
            s.push_str(&cte(r));
        }
        s.push(' ');
        if r.chance(90) {
            s.push_str(&select(r));
        } else {
            s.push_str(r.pick(&[
                "DELETE FROM t",
                "UPDATE t SET a = 1",
                "INSERT INTO t SELECT * FROM x",
                "DELETE FROM t WHERE a IN (SELECT a FROM x)",
            ]));
        }
    } else {
        s.push_str(&select(r));
    }
    s
}

fn effect(v: &Option<ContentVerdict>) -> Option<Effect> {
    v.as_ref().map(|v| v.effect)
}

#[test]
fn generated_sql_the_fast_path_accepts_is_read_in_the_full_analysis() {
    let mut r = Rng(0x1405_2026_0014_0001);
    let (mut fired, mut total) = (0usize, 0usize);
    let mut checked_in_json = 0usize;
    for i in 0..30_000 {
        let text = match i % 4 {
            0 | 1 => mutated(&mut r),
            2 => select(&mut r),
            _ => soup(&mut r),
        };
        total += 1;
        if !fast_select_read(&text) {
            continue;
        }
        fired += 1;
        let full = content("run_sql", &json!(text), false);
        assert_eq!(
            effect(&full),
            Some(Effect::Read),
            "the fast path accepts {text:?} but the full analysis says {full:?}"
        );
        let fast = content("run_sql", &json!(text), true);
        assert_eq!(effect(&fast), Some(Effect::Read), "{text:?}");
        // The same text inside a JSON argument and beside a write.
        if fired % 8 == 0 {
            checked_in_json += 1;
            let input = json!({"sql": text, "cmd": "rm -rf /tmp/x", "options": {"timeout": 3}});
            let (a, b) = (
                content("tool", &input, true),
                content("tool", &input, false),
            );
            assert_eq!(effect(&a), effect(&b), "{input}");
            assert_eq!(effect(&a), Some(Effect::Destructive), "{input}");
        }
    }
    // The generator must exercise both sides of the boundary.
    assert!(fired > 1_000, "the fast path fired {fired} of {total}");
    assert!(
        fired < total - total / 10,
        "the fast path fired {fired} of {total}"
    );
    assert!(checked_in_json > 100);
}

/// Every corpus input, and the same input's strings under a SQL tool: with and without the
/// fast path, the same effect.
#[test]
fn every_corpus_input_has_the_same_effect_with_the_fast_path() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let (mut cases, mut fired) = (0usize, 0usize);
    for f in files {
        let text = std::fs::read_to_string(&f).expect("corpus file");
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with("//") {
                continue;
            }
            let v: Value = serde_json::from_str(line).expect("corpus json");
            let tool = v["tool"].as_str().expect("tool");
            let input = &v["input"];
            cases += 1;
            let (a, b) = (content(tool, input, true), content(tool, input, false));
            assert_eq!(
                effect(&a),
                effect(&b),
                "{}:{}: {tool} {input}",
                f.display(),
                i + 1
            );
            if let Some(s) = input.as_str() {
                if fast_select_read(s) {
                    fired += 1;
                }
                let (a, b) = (
                    content("run_sql", input, true),
                    content("run_sql", input, false),
                );
                assert_eq!(
                    effect(&a),
                    effect(&b),
                    "{}:{}: run_sql {s}",
                    f.display(),
                    i + 1
                );
            }
        }
    }
    assert!(cases > 1000, "{cases} corpus cases");
    assert!(fired > 0, "the fast path fired on no corpus input");
}

#[test]
fn the_fast_path_fires_for_the_benchmark_inputs() {
    assert!(fast_select_read(SELECT_200B));
    let v = content("run_sql", &json!(SELECT_200B), true).expect("a verdict");
    assert_eq!(v.effect, Effect::Read);
    let full = content("run_sql", &json!(SELECT_200B), false).expect("a verdict");
    assert_eq!(v, full, "the same reason as the full analysis");
    let args = json!({"sql": SELECT_200B, "options": {"timeout": 30, "tags": ["a", "b"]}, "description": "weekly revenue"});
    assert_eq!(
        effect(&content("tool", &args, true)),
        effect(&content("tool", &args, false))
    );
    // A write is never the fast path's.
    assert!(!fast_select_read(
        "DELETE FROM sessions WHERE expires_at < now()"
    ));
}

/// Comment bodies, realistic and adversarial (a closer and a second statement, executable
/// and nested openers, line breaks of every kind, shell syntax, non-ASCII text).
const COMMENT_BODIES: &[&str] = &[
    "request 7f3a, app: billing",
    "controller='index',framework='django'",
    "top users",
    "*/ DROP TABLE x; /*",
    "/*! DROP TABLE t */",
    "! DROP TABLE t",
    "+ INDEX(t)",
    "M! DROP TABLE t",
    "/* nested",
    "a/",
    "/",
    "*",
    "x\nDROP TABLE t",
    "x\rDROP TABLE t",
    "x\r\nDROP TABLE t",
    "x\u{b}DROP TABLE t",
    "x\u{2028}DROP TABLE t",
    "$(rm -rf /)",
    "caf\u{e9}",
    ";",
    "'",
    "\t",
    "-- x",
    "\\",
    "#",
    "",
];

/// A trailing comment of any form, around a body of one or two pieces.
fn comment(r: &mut Rng) -> String {
    // Half the time a well-formed comment, so that the accepted side is well covered.
    if r.chance(50) {
        let body = r.pick(&COMMENT_BODIES[..3]);
        return r
            .pick(&["/* {} */", " /* {} */", " /*{}*/\n", " -- {}", "\n-- {}"])
            .replace("{}", body);
    }
    let mut body = r.pick(COMMENT_BODIES).to_string();
    if r.chance(30) {
        body.push_str(r.pick(COMMENT_BODIES));
    }
    if r.chance(5) {
        body.push_str(&"x".repeat(1000));
    }
    let open = r.pick(&[
        "/* ", "/*", "/*!", "/*+ ", "/*M!", "-- ", "--\t", "--", "# ", "/*/",
    ]);
    let close = if open.starts_with("/*") {
        r.pick(&[" */", "*/", "*/", " */ ", "", "/*/"])
    } else {
        ""
    };
    let after = r.pick(&[
        "",
        "",
        "",
        " ",
        "\n",
        ";",
        " DROP TABLE t",
        "\nDROP TABLE t",
    ]);
    let before = r.pick(&[" ", " ", "", "\n", "; "]);
    format!("{before}{open}{body}{close}{after}")
}

/// Selects with a trailing comment (and sometimes a mutation): whatever the fast path
/// accepts, the full analysis returns the very same verdict (effect and reasons).
#[test]
fn selects_with_trailing_comments_have_the_full_analysis_verdict() {
    let mut r = Rng(0x1405_2026_0014_0c0c);
    let (mut fired, mut total, mut same_reasons) = (0usize, 0usize, 0usize);
    for i in 0..20_000 {
        let base = if i % 5 == 0 {
            mutated(&mut r)
        } else {
            select(&mut r)
        };
        let base = base.trim_end_matches(';');
        let text = format!("{base}{}", comment(&mut r));
        total += 1;
        if !fast_select_read(&text) {
            continue;
        }
        fired += 1;
        let (fast, full) = (
            content("run_sql", &json!(text), true),
            content("run_sql", &json!(text), false),
        );
        assert_eq!(effect(&full), Some(Effect::Read), "{text:?}: {full:?}");
        assert_eq!(effect(&fast), effect(&full), "{text:?}");
        // The reasons too, whenever they agree without the comment (the fast path cites the
        // text as written, the full analysis sqlparser's rendering: `select` is `SELECT`).
        let bare = json!(base);
        let same = content("run_sql", &bare, true) == content("run_sql", &bare, false);
        if same {
            same_reasons += 1;
            assert_eq!(fast, full, "{text:?}");
        }
        if fired % 8 == 0 {
            let input = json!({"sql": text, "note": "x", "options": {"timeout": 3}});
            let (a, b) = (
                content("tool", &input, true),
                content("tool", &input, false),
            );
            assert_eq!(effect(&a), effect(&b), "{input}");
            if same {
                assert_eq!(a, b, "{input}");
            }
        }
    }
    assert!(fired > 1_000, "the fast path fired {fired} of {total}");
    assert!(
        same_reasons > 300,
        "{same_reasons} of {fired} compared whole"
    );
    assert!(fired < total / 2, "the fast path fired {fired} of {total}");
}

/// The accepted forms beside their adversarial twins, each judged by both paths.
#[test]
fn trailing_comment_corpus() {
    let base = "SELECT id, email FROM accounts WHERE id = 42";
    let accepted = [
        " /* request 7f3a, app: billing */",
        "/*controller='index',framework='django'*/",
        " -- top users",
        " /*/ x */\n",
    ];
    let refused = [
        " /* x */ DROP TABLE x; /* y */",
        " /*! DROP TABLE t */",
        " /*M! DROP TABLE t */",
        " /*+ INDEX(t) */",
        " /* /* */ DROP TABLE t; */",
        " /* a/*/",
        " -- x\nDROP TABLE t",
        " -- x\rDROP TABLE t",
        " --x",
        " # x",
        "; -- x",
        " /* caf\u{e9} */",
    ];
    for (c, fast) in accepted
        .iter()
        .map(|c| (c, true))
        .chain(refused.iter().map(|c| (c, false)))
    {
        let text = format!("{base}{c}");
        assert_eq!(fast_select_read(&text), fast, "{text:?}");
        let (a, b) = (
            content("run_sql", &json!(text), true),
            content("run_sql", &json!(text), false),
        );
        if fast {
            assert_eq!(a, b, "{text:?}");
            assert_eq!(effect(&a), Some(Effect::Read), "{text:?}");
        } else {
            assert_eq!(effect(&a), effect(&b), "{text:?}");
        }
    }
    let padded = format!(
        "SELECT id, email, created_at FROM accounts WHERE id = 42 /* {} */",
        "x".repeat(1000)
    );
    assert!(fast_select_read(&padded));
}

/// What a reason says after the statement it cites (`sql: `…` reads` gives `reads`).
fn why(v: &Option<ContentVerdict>) -> Vec<String> {
    v.iter()
        .flat_map(|v| &v.reasons)
        .map(|r| {
            r.rsplit_once("` ")
                .map_or(r.as_str(), |(_, w)| w)
                .to_string()
        })
        .collect()
}

/// CTEs, `EXPLAIN` and intervals, alone, mutated and with a trailing comment: whatever the
/// fast path accepts, the full analysis judges read, with the same reasons but for how the
/// statement is spelled (the fast path cites the text, the full analysis sqlparser's
/// rendering), and the very same verdict for most. The fast path must accept each shape
/// often: the test fails if it stops covering one.
#[test]
fn generated_ctes_explains_and_intervals_have_the_full_analysis_verdict() {
    let mut r = Rng(0x1405_2026_0014_0e0e);
    let (mut fired, mut total, mut same_verdict) = (0usize, 0usize, 0usize);
    let (mut explains, mut ctes, mut intervals, mut commented) = (0usize, 0usize, 0usize, 0usize);
    for i in 0..40_000 {
        let mut text = query(&mut r);
        if i % 4 == 0 {
            text = mutate(&mut r, &text);
        }
        let with_comment = r.chance(30);
        if with_comment {
            text = format!("{}{}", text.trim_end_matches(';'), comment(&mut r));
        }
        total += 1;
        if !fast_select_read(&text) {
            continue;
        }
        fired += 1;
        let lower = text.to_ascii_lowercase();
        explains += usize::from(lower.starts_with("explain"));
        ctes += usize::from(lower.starts_with("with") || lower.starts_with("explain with"));
        intervals += usize::from(lower.contains("interval"));
        commented += usize::from(with_comment);
        let (fast, full) = (
            content("run_sql", &json!(text), true),
            content("run_sql", &json!(text), false),
        );
        assert_eq!(effect(&full), Some(Effect::Read), "{text:?}: {full:?}");
        assert_eq!(effect(&fast), effect(&full), "{text:?}");
        assert_eq!(why(&fast), why(&full), "{text:?}: {fast:?} {full:?}");
        same_verdict += usize::from(fast == full);
        if fired % 8 == 0 {
            let input = json!({"sql": text, "cmd": "rm -rf /tmp/x"});
            let (a, b) = (
                content("tool", &input, true),
                content("tool", &input, false),
            );
            assert_eq!(effect(&a), effect(&b), "{input}");
            assert_eq!(effect(&a), Some(Effect::Destructive), "{input}");
        }
    }
    let counts = format!(
        "fired {fired} of {total}: {explains} EXPLAIN, {ctes} WITH, {intervals} INTERVAL, \
         {commented} with a comment, {same_verdict} the same verdict"
    );
    assert!(fired > 2_000 && fired < total / 2, "{counts}");
    assert!(explains > 600 && ctes > 300 && intervals > 900, "{counts}");
    assert!(commented > 350 && same_verdict > 400, "{counts}");
}

/// The load benchmark's reads (crates/bench/src/workload.rs), plain and padded with a
/// trailing comment as it pads them: the fast path must accept each, with the full
/// analysis' effect, and for `EXPLAIN` and the interval select its very reason. The CTE's
/// reason cites `interval` as written where sqlparser renders `INTERVAL`.
#[test]
fn the_fast_path_fires_for_the_benchmark_ctes_explains_and_intervals() {
    const INTERVAL: &str = "SELECT a.id, count(o.id) AS orders FROM accounts a JOIN orders o ON o.account_id = a.id WHERE o.created_at > now() - interval '7 days' GROUP BY a.id ORDER BY orders DESC LIMIT 20";
    const CTE: &str = "WITH recent AS (SELECT * FROM events WHERE ts > now() - interval '1 hour') SELECT kind, count(*) FROM recent GROUP BY kind";
    const EXPLAIN: &str = "EXPLAIN SELECT * FROM invoices WHERE status = 'open'";
    for (base, same_reason) in [(INTERVAL, true), (CTE, false), (EXPLAIN, true)] {
        let padded = format!("{base} /* {} */", "x".repeat(600));
        for text in [base.to_string(), padded] {
            assert!(fast_select_read(&text), "{text}");
            let (fast, full) = (
                content("run_sql", &json!(text), true),
                content("run_sql", &json!(text), false),
            );
            assert_eq!(effect(&fast), Some(Effect::Read), "{text}");
            assert_eq!(effect(&fast), effect(&full), "{text}");
            assert_eq!(why(&fast), why(&full), "{text}");
            if same_reason {
                assert_eq!(fast, full, "{text}");
            }
            let upper = text.replace("interval", "INTERVAL");
            assert_eq!(
                content("run_sql", &json!(upper), true),
                content("run_sql", &json!(upper), false),
                "{upper}"
            );
        }
    }
    assert_eq!(
        why(&content("run_sql", &json!(EXPLAIN), true)),
        ["explains a plan without running it"]
    );
}

/// Adversarial twins of the new shapes, each judged by both paths: refused by the fast
/// path, and the same effect either way (most are writes or run the statement).
#[test]
fn cte_explain_and_interval_twins_go_to_the_full_analysis() {
    for (text, at_least) in [
        (
            "WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x",
            Effect::Destructive,
        ),
        (
            "WITH x AS (UPDATE t SET a = 1 RETURNING a) SELECT a FROM x",
            Effect::Mutating,
        ),
        (
            "WITH x AS (INSERT INTO t VALUES (1) RETURNING a) SELECT a FROM x",
            Effect::Mutating,
        ),
        (
            "WITH x AS (SELECT a FROM t) DELETE FROM t",
            Effect::Destructive,
        ),
        (
            "WITH x AS (SELECT pg_sleep(10) FROM t) SELECT * FROM x",
            Effect::Mutating,
        ),
        (
            "WITH x AS (SELECT a FROM t FOR UPDATE) SELECT a FROM x",
            Effect::Mutating,
        ),
        ("EXPLAIN ANALYZE DELETE FROM t", Effect::Destructive),
        ("EXPLAIN (ANALYZE) DELETE FROM t", Effect::Destructive),
        (
            "EXPLAIN ANALYZE SELECT pg_terminate_backend(1)",
            Effect::Destructive,
        ),
        ("EXPLAIN ANALYZE SELECT * FROM t", Effect::Read),
        ("EXPLAIN (ANALYZE true) SELECT * FROM t", Effect::Read),
        ("EXPLAIN VERBOSE SELECT * FROM t", Effect::Read),
        ("EXPLAIN SELECT nextval('s') FROM t", Effect::Mutating),
        ("SELECT a FROM t WHERE b > interval '1' day", Effect::Read),
        (
            "SELECT a FROM t WHERE b > interval '1 day'; DROP TABLE t",
            Effect::Destructive,
        ),
    ] {
        assert!(!fast_select_read(text), "{text}");
        let (a, b) = (
            content("run_sql", &json!(text), true),
            content("run_sql", &json!(text), false),
        );
        assert_eq!(effect(&a), effect(&b), "{text}");
        assert!(
            effect(&a).is_some_and(|e| e.rank() >= at_least.rank()),
            "{text}: {a:?}"
        );
    }
}
