//! The fast path's later shapes against the full analysis (as `fast_path_differential.rs`):
//! CTEs, a bare `EXPLAIN`, `INTERVAL '…'` and two plain writes, generated beside their
//! adversarial twins (CTE bodies that write, `RECURSIVE`, `MATERIALIZED`, `EXPLAIN ANALYZE`
//! in every syntax, units and casts after `INTERVAL`, replacing and returning inserts,
//! updates of every row or of audit tables), mutated and with trailing comments. Whatever
//! the fast path accepts has the full analysis' effect and reason; the load benchmark's
//! statements must be accepted (the tests fail if the fast path stops covering them).

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test harness: failing loudly is the point

mod common;

use airlock_core::Effect;
use airlock_core::classify::content::{fast_select_read, fast_sql_effect};
use common::sqlgen::{comment, effect, mutate, query, why, write};
use common::{Rng, content};
use serde_json::json;

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

/// Generated writes, alone, mutated and with a trailing comment: whatever the fast path
/// accepts has the full analysis' effect and reason (never lower, never higher), and the
/// same verdict in a JSON argument; the fast path must accept inserts and updates often.
#[test]
fn generated_writes_have_the_full_analysis_verdict() {
    let mut r = Rng(0x1405_2026_0014_0a11);
    let (mut fired, mut total, mut same_verdict) = (0usize, 0usize, 0usize);
    let (mut inserts, mut updates, mut commented) = (0usize, 0usize, 0usize);
    for i in 0..30_000 {
        let mut text = write(&mut r);
        if i % 4 == 0 {
            text = mutate(&mut r, &text);
        }
        let with_comment = r.chance(25);
        if with_comment {
            text = format!("{}{}", text.trim_end_matches(';'), comment(&mut r));
        }
        total += 1;
        let Some(e) = fast_sql_effect(&text) else {
            continue;
        };
        fired += 1;
        let (fast, full) = (
            content("run_sql", &json!(text), true),
            content("run_sql", &json!(text), false),
        );
        assert_eq!(effect(&full), Some(e), "{text:?}: {full:?}");
        assert_eq!(effect(&fast), effect(&full), "{text:?}");
        assert_eq!(why(&fast), why(&full), "{text:?}: {fast:?} {full:?}");
        same_verdict += usize::from(fast == full);
        if e == Effect::Mutating {
            let lower = text.to_ascii_lowercase();
            inserts += usize::from(lower.starts_with("insert"));
            updates += usize::from(lower.starts_with("update"));
            commented += usize::from(with_comment);
        }
        if fired % 8 == 0 {
            let input = json!({"sql": text, "note": "x", "n": 3});
            let (a, b) = (
                content("tool", &input, true),
                content("tool", &input, false),
            );
            assert_eq!(effect(&a), effect(&b), "{input}");
            assert_eq!(why(&a), why(&b), "{input}");
            let input = json!({"sql": text, "cmd": "rm -rf /tmp/x"});
            assert_eq!(
                effect(&content("tool", &input, true)),
                effect(&content("tool", &input, false)),
                "{input}"
            );
        }
    }
    let counts = format!(
        "fired {fired} of {total}: {inserts} INSERT, {updates} UPDATE, {commented} with a \
         comment, {same_verdict} the same verdict"
    );
    assert!(fired < total / 2, "{counts}");
    assert!(
        inserts > 1_500 && updates > 500 && commented > 300,
        "{counts}"
    );
    assert!(same_verdict > 1_000, "{counts}");
}

/// The load benchmark's writes (crates/bench/src/workload.rs), plain and padded: the fast
/// path answers them with the full analysis' very verdict.
#[test]
fn the_fast_path_fires_for_the_benchmark_writes() {
    for base in [
        "INSERT INTO audit_notes (account_id, note) VALUES (42, 'reviewed')",
        "UPDATE accounts SET plan = 'pro' WHERE id = 42",
    ] {
        let padded = format!("{base} /* {} */", "x".repeat(600));
        for text in [base.to_string(), padded] {
            assert_eq!(fast_sql_effect(&text), Some(Effect::Mutating), "{text}");
            let (fast, full) = (
                content("run_sql", &json!(text), true),
                content("run_sql", &json!(text), false),
            );
            assert_eq!(fast, full, "{text}");
        }
    }
    // Twins the full analysis judges higher, refused.
    for text in [
        "UPDATE accounts SET plan = 'pro'",
        "UPDATE accounts SET plan = 'pro' WHERE 1 = 1",
        "UPDATE audit_notes SET note = 'x' WHERE id = 42",
        "INSERT OR REPLACE INTO audit_notes (account_id, note) VALUES (42, 'reviewed')",
    ] {
        assert_eq!(fast_sql_effect(text), None, "{text}");
        let full = content("run_sql", &json!(text), false);
        assert_eq!(effect(&full), Some(Effect::Destructive), "{text}");
    }
}

/// Every keyword sqlparser knows as the column an `INSERT` or `UPDATE` writes (the fast
/// path takes any word there but `SELECT` and `WITH`): whatever the fast path accepts, the
/// full analysis gives the same effect and reason.
#[test]
fn every_keyword_as_a_written_column() {
    let mut accepted = 0usize;
    for kw in sqlparser::keywords::ALL_KEYWORDS {
        for text in [
            format!("INSERT INTO t ({kw}, b) VALUES (1, 2)"),
            format!("INSERT INTO t (a, {kw}) VALUES (1, 2)"),
            format!("UPDATE t SET {kw} = 1 WHERE id = 1"),
            format!("UPDATE t SET a = 1, {kw} = 2 WHERE id = 1"),
        ] {
            let Some(e) = fast_sql_effect(&text) else {
                continue;
            };
            accepted += 1;
            let (fast, full) = (
                content("run_sql", &json!(text), true),
                content("run_sql", &json!(text), false),
            );
            assert_eq!(effect(&full), Some(e), "{text}: {full:?}");
            assert_eq!(fast, full, "{text}");
        }
    }
    assert!(accepted > 2_000, "{accepted}");
}

/// Every keyword right after an `INTERVAL '…'` literal (where PostgreSQL's dialect would
/// read a unit): whatever the fast path accepts, the full analysis judges read.
#[test]
fn every_keyword_after_an_interval() {
    let mut accepted = 0usize;
    for kw in sqlparser::keywords::ALL_KEYWORDS {
        for text in [
            format!("SELECT a FROM t WHERE b > interval '1 day' {kw} c = 1"),
            format!("SELECT a FROM t WHERE b > interval '1 day' {kw}"),
            format!("SELECT interval '1' {kw} FROM t"),
            format!("SELECT a FROM t WHERE b > interval '1' {kw} (1)"),
        ] {
            if !fast_select_read(&text) {
                continue;
            }
            accepted += 1;
            let (fast, full) = (
                content("run_sql", &json!(text), true),
                content("run_sql", &json!(text), false),
            );
            assert_eq!(effect(&full), Some(Effect::Read), "{text}: {full:?}");
            assert_eq!(why(&fast), why(&full), "{text}");
        }
    }
    // `AND`, `OR`, `IS`, `LIMIT`, `ORDER` … continue the statement.
    assert!(accepted > 3, "{accepted}");
}
