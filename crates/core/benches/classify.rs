//! Classifier benchmarks: typical SQL, shell and JSON inputs and the 64 KiB worst cases, each
//! next to a baseline measured in the same run (the bare parser or `serde_json`), so ratios
//! are meaningful on any machine. Run: `cargo bench -p airlock-core --bench classify`.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // a benchmark harness

use std::hint::black_box;

use airlock_core::classify::classify;
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::{Value, json};
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::Parser;

const SELECT_200B: &str = "SELECT u.id, u.email, count(o.id) AS orders, sum(o.total) AS revenue FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE o.created_at >= '2024-01-01' GROUP BY u.id, u.email ORDER BY revenue DESC";
const DELETE_45B: &str = "DELETE FROM sessions WHERE expires_at < now()";
/// The load benchmark's other statements (crates/bench/src/workload.rs).
const WORKLOAD_SQL: &[(&str, &str)] = &[
    (
        "sql_interval",
        "SELECT a.id, count(o.id) AS orders FROM accounts a JOIN orders o ON o.account_id = a.id WHERE o.created_at > now() - interval '7 days' GROUP BY a.id ORDER BY orders DESC LIMIT 20",
    ),
    (
        "sql_cte",
        "WITH recent AS (SELECT * FROM events WHERE ts > now() - interval '1 hour') SELECT kind, count(*) FROM recent GROUP BY kind",
    ),
    (
        "sql_explain",
        "EXPLAIN SELECT * FROM invoices WHERE status = 'open'",
    ),
    (
        "sql_insert",
        "INSERT INTO audit_notes (account_id, note) VALUES (42, 'reviewed')",
    ),
    (
        "sql_update",
        "UPDATE accounts SET plan = 'pro' WHERE id = 42",
    ),
];
const SHELL_90B: &str =
    "cd /srv/app && git status --short | grep -v '^??' | head -n 20 && ls -la build/ > /dev/null";

fn inputs() -> Vec<(&'static str, &'static str, Value)> {
    let sql_script = "SELECT a, b FROM t WHERE c = 1 AND d IN (SELECT e FROM u WHERE f > 2);\n"
        .repeat(64 * 1024 / 70);
    let shell_line = "ls -la src | grep -v test && echo done; ".repeat(64 * 1024 / 40);
    let mut nested = String::from("rm -rf /tmp/at-victim");
    for _ in 0..10 {
        nested = format!("bash -c '{}'", nested.replace('\'', "'\\''"));
    }
    let mut out = vec![
        ("sql_select_200b", "run_sql", json!(SELECT_200B)),
        ("sql_delete_45b", "run_sql", json!(DELETE_45B)),
        ("shell_90b", "shell", json!(SHELL_90B)),
        (
            "json_args",
            "tool",
            json!({"sql": SELECT_200B, "options": {"timeout": 30, "tags": ["a", "b"]}, "description": "weekly revenue"}),
        ),
        (
            "python_snippet",
            "python_exec",
            json!({"code": "import os, json\nfor name in sorted(os.listdir('/etc')):\n    print(json.dumps(name))"}),
        ),
        (
            "http_get",
            "http_request",
            json!({"method": "GET", "url": "https://api.example.com/v1/orders?status=open&limit=50", "headers": {"Accept": "application/json"}}),
        ),
        ("sql_script_64k", "run_sql", json!(sql_script)),
        ("shell_line_64k", "shell", json!(shell_line)),
        ("nested_bash_c", "shell", json!(nested)),
    ];
    for (name, sql) in WORKLOAD_SQL {
        out.push((name, "run_sql", json!(sql)));
    }
    out.push((
        "sql_cte_padded",
        "run_sql",
        json!(format!("{} /* {} */", WORKLOAD_SQL[1].1, "x".repeat(600))),
    ));
    out
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("classify");
    for (name, tool, input) in inputs() {
        g.bench_function(name, |b| {
            b.iter(|| classify(black_box(tool), black_box(&input), None, None))
        });
    }
    g.finish();

    let mut g = c.benchmark_group("baseline");
    let dialect = PostgreSqlDialect {};
    g.bench_function("sqlparser_pg_select_200b", |b| {
        b.iter(|| Parser::parse_sql(&dialect, black_box(SELECT_200B)))
    });
    g.bench_function("sqlparser_pg_delete_45b", |b| {
        b.iter(|| Parser::parse_sql(&dialect, black_box(DELETE_45B)))
    });
    g.bench_function("brush_parse_shell_90b", |b| {
        b.iter(|| {
            let opts = brush_parser::ParserOptions::default();
            brush_parser::Parser::new(black_box(SHELL_90B).as_bytes(), &opts).parse_program()
        })
    });
    let input = |name: &str| inputs().into_iter().find(|i| i.0 == name).unwrap().2;
    let json_text = serde_json::to_string(&input("json_args")).unwrap();
    g.bench_function("serde_json_parse_json_args", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(&json_text)))
    });
    let script = input("sql_script_64k").as_str().unwrap().to_string();
    g.bench_function("sqlparser_pg_script_64k", |b| {
        b.iter(|| Parser::parse_sql(&dialect, black_box(&script)))
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(2)).warm_up_time(std::time::Duration::from_millis(500));
    targets = bench
}
criterion_main!(benches);
