//! Durable decisions per second: `clients` concurrent callers each append decisions to a
//! session of their own through the store, the way a check does (read the agent, lock the
//! session, look up approvals, insert the decision, update the session's counters and chain
//! head), for `seconds`; every answer comes after its commit (SQLite `synchronous=FULL`,
//! PostgreSQL `synchronous_commit=on`). With `--max-batch 1` every decision is its own commit.
//!
//! ```sh
//! cargo run --release -p airlock-store --example durable -- --clients 1,8,64 --max-batch 256
//! cargo run --release -p airlock-store --example durable -- --database postgres://… --workers 4
//! ```
//! `scripts/bench-durable.sh` runs the whole table.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use airlock_store::model::{Agent, Decision, Org, Session};
use airlock_store::{Backend, Options, Store, StoreError, Tuning, Tx};
use chrono::Utc;
use sha2::{Digest, Sha256};

struct Args {
    database: Option<String>,
    clients: Vec<usize>,
    max_batch: usize,
    workers: usize,
    seconds: u64,
}

fn args() -> Args {
    let mut a = Args {
        database: std::env::var("AIRLOCK_DATABASE_URL").ok(),
        clients: vec![1, 8, 64],
        max_batch: 256,
        workers: 4,
        seconds: 5,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--database" => a.database = Some(value),
            "--clients" => a.clients = value.split(',').map(|c| c.parse().unwrap()).collect(),
            "--max-batch" => a.max_batch = value.parse().unwrap(),
            "--workers" => a.workers = value.parse().unwrap(),
            "--seconds" => a.seconds = value.parse().unwrap(),
            other => panic!("unknown flag {other}"),
        }
    }
    a
}

/// A fresh store: a new SQLite directory, or a new schema in the PostgreSQL database.
fn fresh(database: &Option<String>) -> (Backend, Option<tempfile::TempDir>) {
    match database {
        None => {
            let dir =
                tempfile::tempdir_in(std::env::var("BENCH_DIR").unwrap_or("/tmp".into())).unwrap();
            (Backend::Sqlite(dir.path().to_path_buf()), Some(dir))
        }
        Some(base) => {
            let schema = format!("airlock_bench_{}", uuid::Uuid::new_v4().simple());
            let mut c = postgres::Client::connect(base, postgres::NoTls).unwrap();
            c.batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"
            ))
            .unwrap();
            let sep = if base.contains('?') { '&' } else { '?' };
            (
                Backend::Postgres(format!("{base}{sep}options=-csearch_path%3D{schema}")),
                None,
            )
        }
    }
}

fn decide(tx: &mut dyn Tx, sid: &str, check: &str) -> Result<(), StoreError> {
    let now = Utc::now();
    let _agent = tx.agent("org", "agt")?;
    let mut s = tx
        .session("org", sid)?
        .ok_or_else(|| StoreError::Conflict("no session".into()))?;
    let _ = tx.call_approvals("org", sid, "db.query", "digest", now)?;
    let _ = tx.pending_elevation("org", sid, now)?;
    s.total_calls += 1;
    s.read_calls += 1;
    let mut h = Sha256::new();
    h.update(s.head.as_bytes());
    h.update(check.as_bytes());
    let hash = hex::encode(h.finalize());
    tx.insert_decision(&Decision {
        org_id: "org".into(),
        session_id: sid.into(),
        seq: s.total_calls,
        check_id: check.into(),
        agent_id: "agt".into(),
        action_name: "db.query".into(),
        effect: "read".into(),
        risk: "read".into(),
        allowed: true,
        reason: "read within the session's scope".into(),
        reasons: vec!["content: sql: SELECT reads".into()],
        guard_tier: "fast".into(),
        confidence: 1.0,
        input_digest: "0".repeat(64),
        input_summary: "SELECT id, name FROM accounts WHERE id = 42".into(),
        approval_id: None,
        source: "api".into(),
        latency_us: 100,
        decided_at: now,
        key_id: String::new(),
        hash: hash.clone(),
        rule: "allowed".into(),
    })?;
    s.head = hash;
    s.last_activity_at = now;
    tx.update_session(&s)
}

async fn run(store: &Store, clients: usize, seconds: u64) -> (f64, Vec<Duration>) {
    let stop = Arc::new(AtomicBool::new(false));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (store, stop) = (store.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let sid = format!("s{c}");
            let mut lat = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let (sid, check) = (
                    sid.clone(),
                    format!("chk_{}", uuid::Uuid::new_v4().simple()),
                );
                store.run(move |tx| decide(tx, &sid, &check)).await.unwrap();
                lat.push(t.elapsed());
            }
            lat
        }));
    }
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await.unwrap());
    }
    let secs = started.elapsed().as_secs_f64();
    all.sort_unstable();
    (all.len() as f64 / secs, all)
}

fn pct(v: &[Duration], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    let i = ((v.len() as f64 - 1.0) * p).round() as usize;
    v[i].as_secs_f64() * 1000.0
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let a = args();
    let kind = if a.database.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    for &clients in &a.clients {
        let (backend, _dir) = tokio::task::block_in_place(|| fresh(&a.database));
        backend.migrate().unwrap();
        let store = Store::open_with(
            &backend,
            Options { migrate: false },
            Tuning {
                workers: a.workers,
                max_batch: a.max_batch,
            },
        )
        .unwrap();
        store
            .run(move |tx| {
                let now = Utc::now();
                tx.insert_org(&Org {
                    id: "org".into(),
                    name: "bench".into(),
                    default_mode: "read_only".into(),
                    created_at: now,
                })?;
                tx.insert_agent(&Agent {
                    id: "agt".into(),
                    org_id: "org".into(),
                    name: "bench".into(),
                    framework: "custom".into(),
                    public_key: String::new(),
                    status: "active".into(),
                    capabilities: vec!["db.*".into()],
                    metadata: serde_json::json!({}),
                    created_at: now,
                    revoked_at: None,
                    revoke_reason: None,
                })?;
                for c in 0..clients {
                    tx.insert_session(&Session {
                        org_id: "org".into(),
                        id: format!("s{c}"),
                        agent_id: "agt".into(),
                        server_id: None,
                        source: "api".into(),
                        scope_ceiling: vec!["db.*".into()],
                        base_mode: "read_only".into(),
                        elevated_until: None,
                        total_calls: 0,
                        read_calls: 0,
                        write_calls: 0,
                        denied_calls: 0,
                        head: "0".repeat(64),
                        created_at: now,
                        last_activity_at: now,
                    })?;
                }
                Ok(())
            })
            .await
            .unwrap();
        // Warm up (prepared statements, caches), then measure.
        let _ = run(&store, clients, 1).await;
        let (rate, lat) = run(&store, clients, a.seconds).await;
        println!(
            "{kind:<8} clients={clients:<3} max_batch={:<3} workers={} decisions/s={:>8.0} p50_ms={:.2} p99_ms={:.2}",
            a.max_batch,
            if kind == "sqlite" { 1 } else { a.workers },
            rate,
            pct(&lat, 0.5),
            pct(&lat, 0.99)
        );
        drop(store);
        if let (Some(base), Backend::Postgres(url)) = (&a.database, &backend)
            && let Some(schema) = url.rsplit("search_path%3D").next()
        {
            tokio::task::block_in_place(|| {
                let mut c = postgres::Client::connect(base, postgres::NoTls).unwrap();
                c.batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                    .unwrap();
            });
        }
    }
}
