//! The SQL rules of the nineteenth sets (docs/classifier.md, "The nineteenth sets"): reads
//! that are a denial of service (a series or a string far too large, a recursive CTE that
//! never ends), each beside its bounded twin.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test: failing loudly is the point

use airlock_core::Effect::{self, Destructive, Mutating, Read};
use airlock_core::classify::classify;
use airlock_core::classify::content::fast_select_read;
use serde_json::{Value, json};

#[path = "common/cases.rs"]
#[allow(dead_code)] // `cmd` is the shell sets' helper
mod cases;
use cases::check;

fn sql(tool: &'static str, cases: &[(&str, Effect)]) -> Vec<(&'static str, Value, Effect)> {
    cases.iter().map(|(t, e)| (tool, json!(t), *e)).collect()
}

const UNBOUNDED: &[(&str, Effect)] = &[
    ("SELECT * FROM generate_series(1, 1e12)", Mutating),
    (
        "SELECT count(*) FROM generate_series(1, 1000000000000)",
        Mutating,
    ),
    ("SELECT * FROM generate_series(1, 10^12)", Mutating),
    (
        "SELECT * FROM generate_series(1, power(10, 12)::bigint)",
        Mutating,
    ),
    ("SELECT * FROM generate_series(-1e12, 0)", Mutating),
    ("SELECT * FROM generate_series(1, 1e12, 2)", Mutating),
    (
        "SELECT a.x FROM t JOIN generate_series(1, 1e10) AS a(x) ON true",
        Mutating,
    ),
    ("SELECT * FROM range(1e12)", Mutating),
    (
        "SELECT sum(a * b) FROM generate_series(1, 100000) a, generate_series(1, 100000) b",
        Mutating,
    ),
    ("SELECT count() FROM numbers(1e12)", Mutating),
    ("SELECT repeat('x', 1e9)", Mutating),
    ("SELECT repeat('x', 1000000000)", Mutating),
    ("SELECT length(rpad('', 1000000000, 'x'))", Mutating),
    ("SELECT REPLICATE('x', 1000000000)", Mutating),
    ("SELECT zeroblob(1e9)", Mutating),
    (
        "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT * FROM t",
        Mutating,
    ),
    (
        "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT count(*) FROM t",
        Mutating,
    ),
    (
        "WITH RECURSIVE t(n) AS (SELECT 1 UNION SELECT n * 2 FROM t) SELECT max(n) FROM t",
        Mutating,
    ),
    (
        "WITH RECURSIVE a(n) AS (SELECT 1 UNION ALL SELECT a.n FROM a, a AS b) SELECT * FROM a",
        Mutating,
    ),
    // Already judged: sleeping stalls the server.
    ("SELECT pg_sleep(1000)", Destructive),
    ("SELECT SLEEP(1000)", Destructive),
    ("SELECT BENCHMARK(100000000, MD5('x'))", Destructive),
];

const BOUNDED: &[(&str, Effect)] = &[
    ("SELECT * FROM generate_series(1, 10)", Read),
    ("SELECT * FROM generate_series(1, 1000000)", Read),
    ("SELECT * FROM generate_series(1e12, 1e12 + 10)", Read),
    (
        "SELECT * FROM generate_series(1, (SELECT max(id) FROM t))",
        Read,
    ),
    (
        "SELECT d FROM generate_series('2024-01-01'::date, '2024-12-31'::date, '1 day') AS d",
        Read,
    ),
    ("SELECT repeat('x', 3)", Read),
    (
        "SELECT a, b FROM generate_series(1, 1000) a, generate_series(1, 1000) b",
        Read,
    ),
    ("SELECT repeat('-', 80)", Read),
    ("SELECT rpad(name, 20) FROM users", Read),
    (
        "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 100) SELECT * FROM t",
        Read,
    ),
    (
        "WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t) SELECT * FROM t LIMIT 10",
        Read,
    ),
    (
        "WITH RECURSIVE tree AS (SELECT id, parent_id FROM nodes WHERE id = 1 UNION ALL SELECT n.id, n.parent_id FROM nodes n JOIN tree ON n.parent_id = tree.id) SELECT * FROM tree",
        Read,
    ),
    ("WITH t AS (SELECT 1 AS n) SELECT * FROM t", Read),
];

#[test]
fn unbounded_reads_are_a_denial_of_service() {
    check(&sql("run_sql", UNBOUNDED));
    let why = classify("run_sql", &json!("SELECT repeat('x', 1e9)"), None, None).reasons;
    assert!(
        why.iter().any(|r| r.contains("denial of service")),
        "{why:?}"
    );
}

#[test]
fn bounded_twins_stay_reads() {
    check(&sql("run_sql", BOUNDED));
}

/// The SQL fast path must not answer `read` for any of them (it may refuse, or answer as
/// the full analysis does).
#[test]
fn the_fast_path_never_reads_an_unbounded_query() {
    for (text, _) in UNBOUNDED {
        assert!(!fast_select_read(text), "{text}");
    }
}
