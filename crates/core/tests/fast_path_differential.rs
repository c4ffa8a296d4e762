//! The fast path against the full analysis (issue 14): the token-level proof may answer
//! higher than the full analysis, never lower, and for what it proves a read the full
//! analysis says read too.
//!
//! - Generated SQL (a fixed seed): plain selects, the same selects mutated (a token
//!   inserted, replaced or dropped) and token soup mixing read and write keywords, comments,
//!   quotes, semicolons, dollar quotes, parameters, functions, CTEs, subqueries and `INTO`.
//!   Whenever the fast path accepts a text, the full analysis (fast path off) must judge it
//!   read, alone and inside a JSON argument.
//! - Every input of the corpus (`tests/corpus/*.jsonl`): the classification with the fast
//!   path must have the same effect as without it.
//! - The benchmark inputs: the fast path must fire for them (the test fails if it never does).
//!
//! CTEs, `EXPLAIN`, intervals and writes: `fast_path_shapes.rs`; the generators:
//! `common/sqlgen.rs`.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test harness: failing loudly is the point

use std::path::Path;

mod common;

use airlock_core::Effect;
use airlock_core::classify::content::fast_select_read;
use common::sqlgen::{comment, effect, mutated, select, soup};
use common::{Rng, content};
use serde_json::{Value, json};

const SELECT_200B: &str = "SELECT u.id, u.email, count(o.id) AS orders, sum(o.total) AS revenue FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE o.created_at >= '2024-01-01' GROUP BY u.id, u.email ORDER BY revenue DESC";

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
