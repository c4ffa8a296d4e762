//! Instructions per classification, for callgrind: classifies the benchmark input named by
//! `CASE` (`shell_90b`, `sql_select_200b`, `sql_delete_45b`, `json_args`, `sql_select_padded`,
//! `shell_padded`, `custom` (the call in `TOOL` and `INPUT`, JSON text), and the load benchmark's other statements `sql_interval`, `sql_cte`,
//! `sql_explain`, `sql_insert`, `sql_update`, each also `…_padded` with a 600-byte
//! trailing comment) `N` times. Run it with two values of `N` and divide
//! the difference in instructions by the difference in `N` (docs/benchmarks.md).
//!
//!   cargo build --release -p airlock-core --example classify_cost
//!   N=100 CASE=shell_90b valgrind --tool=callgrind target/release/examples/classify_cost

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark harness

use airlock_core::classify::classify;
use serde_json::json;

const SELECT_200B: &str = "SELECT u.id, u.email, count(o.id) AS orders, sum(o.total) AS revenue FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE o.created_at >= '2024-01-01' GROUP BY u.id, u.email ORDER BY revenue DESC";
const DELETE_45B: &str = "DELETE FROM sessions WHERE expires_at < now()";
const INTERVAL: &str = "SELECT a.id, count(o.id) AS orders FROM accounts a JOIN orders o ON o.account_id = a.id WHERE o.created_at > now() - interval '7 days' GROUP BY a.id ORDER BY orders DESC LIMIT 20";
const CTE: &str = "WITH recent AS (SELECT * FROM events WHERE ts > now() - interval '1 hour') SELECT kind, count(*) FROM recent GROUP BY kind";
const EXPLAIN: &str = "EXPLAIN SELECT * FROM invoices WHERE status = 'open'";
const INSERT: &str = "INSERT INTO audit_notes (account_id, note) VALUES (42, 'reviewed')";
const UPDATE: &str = "UPDATE accounts SET plan = 'pro' WHERE id = 42";
const SHELL_90B: &str =
    "cd /srv/app && git status --short | grep -v '^??' | head -n 20 && ls -la build/ > /dev/null";

fn main() {
    let n: usize = std::env::var("N")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100);
    let case = std::env::var("CASE").unwrap_or_else(|_| "shell_90b".into());
    let padded = |s: &str| json!(format!("{s} /* {} */", "x".repeat(600)));
    let (tool, input) = match case.as_str() {
        "sql_interval" => ("run_sql", json!(INTERVAL)),
        "sql_cte" => ("run_sql", json!(CTE)),
        "sql_explain" => ("run_sql", json!(EXPLAIN)),
        "sql_interval_padded" => ("run_sql", padded(INTERVAL)),
        "sql_cte_padded" => ("run_sql", padded(CTE)),
        "sql_explain_padded" => ("run_sql", padded(EXPLAIN)),
        "sql_insert" => ("run_sql", json!(INSERT)),
        "sql_update" => ("run_sql", json!(UPDATE)),
        "sql_insert_padded" => ("run_sql", padded(INSERT)),
        "sql_update_padded" => ("run_sql", padded(UPDATE)),
        "sql_select_200b" => ("run_sql", json!(SELECT_200B)),
        "sql_delete_45b" => ("run_sql", json!(DELETE_45B)),
        "shell_90b" => ("shell", json!(SHELL_90B)),
        // Padded as the load benchmark pads (crates/bench/src/workload.rs): a trailing comment.
        "sql_select_padded" => (
            "run_sql",
            json!(format!(
                "SELECT id, email, created_at FROM accounts WHERE id = 42 /* {} */",
                "x".repeat(1000)
            )),
        ),
        "shell_padded" => (
            "shell",
            json!(format!(
                "git log --oneline -n 20 | head # {}",
                "x".repeat(1000)
            )),
        ),
        "json_args" => (
            "tool",
            json!({"sql": SELECT_200B, "options": {"timeout": 30, "tags": ["a", "b"]}, "description": "weekly revenue"}),
        ),
        // Any call: `TOOL` and `INPUT` (JSON text), for probing one shape's cost.
        "custom" => (
            Box::leak(
                std::env::var("TOOL")
                    .unwrap_or_else(|_| "tool".into())
                    .into_boxed_str(),
            ) as &str,
            serde_json::from_str(&std::env::var("INPUT").expect("INPUT")).expect("INPUT is JSON"),
        ),
        other => panic!("unknown CASE {other}"),
    };
    let mut effects = 0usize;
    for _ in 0..n {
        let c = classify(
            std::hint::black_box(tool),
            std::hint::black_box(&input),
            None,
            None,
        );
        effects += c.reasons.len();
    }
    println!("{n} x {case}: {effects} reasons");
    if std::env::var_os("SHOW").is_some() {
        println!("{:#?}", classify(tool, &input, None, None));
    }
}
