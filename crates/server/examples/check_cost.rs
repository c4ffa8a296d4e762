//! The CPU cost of a check, in process: a fresh embedded store, 10 agents, 100 sessions, then
//! `CHECKS` checks (default 2,000) through the router from 32 concurrent tasks (so the writer
//! batches them as under load), a 70/25/5 read/write/destructive mix of SQL and shell inputs.
//! Run it under callgrind twice with different `CHECKS` and divide the difference in
//! instructions by the difference in checks: instructions per check, whatever else the machine
//! does (docs/benchmarks.md, "Instructions per check").
//!
//!   cargo build --release -p airlock-server --example check_cost
//!   CHECKS=1000 valgrind --tool=callgrind target/release/examples/check_cost
//!   CHECKS=3000 valgrind --tool=callgrind target/release/examples/check_cost
//!
//! `SERVERS=10` binds the sessions to that many registered MCP servers of 20 tools each,
//! round-robin, as `airlock-bench` does (default 0: the agents' implicit sessions).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark harness

use axum::body::Body;
use axum::http::Request;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use airlock_server::{Config, Service};
use airlock_store::{Options, Store};

/// The allocator `airlock` itself runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const KEY: &str = "sk_live_checkcost0123456789";

const READS: &[(&str, &str)] = &[
    (
        "db.query",
        "SELECT id, email, created_at FROM users WHERE org_id = 42 ORDER BY created_at DESC LIMIT 50",
    ),
    (
        "db.query",
        "SELECT u.id, u.email, count(o.id) AS orders, sum(o.total) AS revenue FROM users u LEFT JOIN orders o ON o.user_id = u.id WHERE o.created_at >= '2024-01-01' GROUP BY u.id, u.email ORDER BY revenue DESC",
    ),
    (
        "shell.exec",
        "cd /srv/app && git status --short | grep -v '^??' | head -n 20 && ls -la build/ > /dev/null",
    ),
    (
        "shell.exec",
        "ls -la /var/log && tail -n 100 /var/log/syslog | grep error",
    ),
];
const WRITES: &[(&str, &str)] = &[
    (
        "db.query",
        "UPDATE users SET last_seen = now() WHERE id = 42",
    ),
    (
        "db.query",
        "INSERT INTO audit_notes (user_id, note) VALUES (42, 'checked')",
    ),
    (
        "shell.exec",
        "mkdir -p /srv/app/tmp && cp config.yml /srv/app/tmp/config.yml",
    ),
];
const DESTRUCTIVE: &[(&str, &str)] = &[
    ("db.query", "DROP TABLE users"),
    ("shell.exec", "rm -rf /srv/app/data"),
];

async fn call(app: &axum::Router, path: &str, body: Value) -> Value {
    let bytes = send(app, path, bytes::Bytes::from(body.to_string())).await;
    serde_json::from_slice(&bytes).unwrap_or(Value::Null)
}

/// One request with a body serialised beforehand; the answer's bytes, unparsed (the harness
/// spends as little as it can of what is measured).
async fn send(app: &axum::Router, path: &str, body: bytes::Bytes) -> bytes::Bytes {
    let req = Request::builder()
        .method("POST")
        .uri(path)
        .header("x-api-key", KEY)
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    assert!(status.is_success(), "{path}: {status} {bytes:?}");
    bytes
}

fn main() {
    // As `airlock`'s `main` does, before any other thread exists (`DEFAULT_PAGE_CACHE=1`:
    // SQLite's own, to compare).
    if std::env::var_os("DEFAULT_PAGE_CACHE").is_none() {
        airlock_store::install_sqlite_page_cache();
    }
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
        .block_on(run());
}

async fn run() {
    let checks: usize = std::env::var("CHECKS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2000);
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), Options { migrate: true }).unwrap();
    store
        .run(|tx| airlock_server::bootstrap(tx, Some(KEY)))
        .await
        .unwrap();
    // Experiment hook: SQL run on the database file before the service starts.
    if let Ok(sql) = std::env::var("EXPERIMENT_SQL") {
        let conn = rusqlite::Connection::open(dir.path().join("airlock.db")).unwrap();
        conn.execute_batch(&sql).unwrap();
    }
    let sessions_per_agent: usize = std::env::var("SESSIONS_PER_AGENT")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10);
    let server_count: usize = std::env::var("SERVERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    let service = Service::new(store, Config::default());
    let app = airlock_server::router(service);
    let mut servers = Vec::new();
    for s in 0..server_count {
        // The tools of airlock-bench's servers.
        let mut tools = vec![json!({"name": "db.query"}), json!({"name": "shell.exec"})];
        for t in 2..20 {
            let effect = ["read", "mutating", "destructive"][t % 3];
            tools.push(json!({"name": format!("tool.t{t}"), "effect_override": effect, "require_approval": t % 7 == 0}));
        }
        let server = call(
            &app,
            "/mcp/servers",
            json!({"name": format!("srv{s}"), "url": "http://127.0.0.1:9/mcp", "capabilities": ["db.*", "shell.*", "tool.*"], "tools": tools}),
        )
        .await;
        servers.push(server["id"].as_str().unwrap().to_string());
    }
    let mut pairs = Vec::new();
    for a in 0..10 {
        let agent = call(
            &app,
            "/api/v1/agents",
            json!({"name": format!("agent{a}"), "capabilities": ["db.*", "shell.*"]}),
        )
        .await;
        let id = agent["id"].as_str().unwrap().to_string();
        for s in 0..sessions_per_agent {
            let session = if servers.is_empty() {
                format!("cost-{a}-{s}")
            } else {
                let server = &servers[(a * sessions_per_agent + s) % servers.len()];
                let opened = call(
                    &app,
                    "/mcp/sessions/init",
                    json!({"agent_id": id, "server_id": server}),
                )
                .await;
                opened["session_id"].as_str().unwrap().to_string()
            };
            pairs.push((id.clone(), session));
        }
    }
    // The same deterministic mix every run.
    let mut seed: u64 = 7;
    let mut next = move |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let bodies: Vec<bytes::Bytes> = (0..checks)
        .map(|i| {
            let r = next(100);
            let pool = if r >= 95 {
                DESTRUCTIVE
            } else if r >= 70 {
                WRITES
            } else {
                READS
            };
            let (action, input) = pool[next(pool.len())];
            let (agent, session) = &pairs[i % pairs.len()];
            bytes::Bytes::from(
                json!({"agent_id": agent, "session_id": session, "action_name": action, "action_input": input})
                    .to_string(),
            )
        })
        .collect();
    let started = std::time::Instant::now();
    let tasks = 32;
    let chunks: Vec<Vec<bytes::Bytes>> = (0..tasks)
        .map(|t| bodies.iter().skip(t).step_by(tasks).cloned().collect())
        .collect();
    let mut handles = Vec::new();
    for chunk in chunks {
        let app = app.clone();
        handles.push(tokio::spawn(async move {
            for body in chunk {
                send(&app, "/api/v1/agenttrust/check", body).await;
            }
        }));
    }
    for h in handles {
        h.await.unwrap();
    }
    let took = started.elapsed();
    println!(
        "{checks} checks in {:.2} s ({:.0} µs each, wall clock)",
        took.as_secs_f64(),
        took.as_micros() as f64 / checks as f64
    );
}
