//! The PostgreSQL engine's batches: without savepoints when every request keeps its changes,
//! rolled back and run again with savepoints when one does not. Runs on the database
//! `AIRLOCK_TEST_DATABASE_URL` names, in a schema of its own; without it these tests fail under
//! CI and are skipped, loudly, elsewhere.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::Utc;

use super::{PgEngine, SAVEPOINT_BATCHES, connect_engines};
use crate::model::Org;
use crate::options::Options;
use crate::queue::{Engine, Job};

const PG_ENV: &str = "AIRLOCK_TEST_DATABASE_URL";

fn org(id: &str) -> Org {
    Org {
        id: id.into(),
        name: format!("{id}-name"),
        default_mode: "read_only".into(),
        created_at: Utc::now(),
    }
}

/// A schema of its own, dropped when the test ends.
struct Schema {
    base: String,
    name: String,
}

impl Drop for Schema {
    fn drop(&mut self) {
        if let Ok(mut c) = postgres::Client::connect(&self.base, postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// An engine on a fresh, migrated schema, the URL that reaches that schema, and the schema.
fn engine(test: &str) -> Option<(PgEngine, String, Schema)> {
    let Some(base) = std::env::var(PG_ENV).ok().filter(|u| !u.trim().is_empty()) else {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        assert!(!ci, "CI is set but {PG_ENV} is not: {test} must run in CI");
        use std::io::Write;
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: set {PG_ENV} to run it (under CI this fails)"
        );
        return None;
    };
    let schema = format!("airlock_e_{}", uuid::Uuid::new_v4().simple());
    let mut c = postgres::Client::connect(&base, postgres::NoTls).expect("connect");
    c.batch_execute(&format!("CREATE SCHEMA {schema}"))
        .expect("schema");
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-csearch_path%3D{schema}");
    let schema = Schema { base, name: schema };
    let mut engines = connect_engines(&url, Options { migrate: true }, 1).expect("engine");
    Some((engines.remove(0), url, schema))
}

fn org_ids(url: &str) -> Vec<String> {
    let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    c.query("SELECT id FROM orgs ORDER BY id", &[])
        .expect("orgs")
        .iter()
        .map(|r| r.get(0))
        .collect()
}

/// A request that inserts the organization `id`, then does what `end` says; counts its runs.
fn insert(id: &'static str, end: End, runs: &Arc<AtomicUsize>) -> Job {
    let runs = runs.clone();
    Job::for_test(move |tx| {
        runs.fetch_add(1, Ordering::SeqCst);
        if tx.insert_org(&org(id)).is_err() {
            return false;
        }
        match end {
            End::Keep => true,
            End::Undo => false,
            // A failed statement (a duplicate key) in the request, which then gives up.
            End::Fail => tx.insert_org(&org(id)).is_ok(),
        }
    })
}

#[derive(Clone, Copy)]
enum End {
    Keep,
    Undo,
    Fail,
}

fn counters(n: usize) -> Vec<Arc<AtomicUsize>> {
    (0..n).map(|_| Arc::new(AtomicUsize::new(0))).collect()
}

fn runs(c: &[Arc<AtomicUsize>]) -> Vec<usize> {
    c.iter().map(|r| r.load(Ordering::SeqCst)).collect()
}

#[test]
fn a_batch_whose_requests_all_keep_commits_without_savepoints() {
    let Some((mut engine, url, _schema)) =
        engine("a_batch_whose_requests_all_keep_commits_without_savepoints")
    else {
        return;
    };
    let c = counters(3);
    let mut jobs = vec![
        insert("a", End::Keep, &c[0]),
        insert("b", End::Keep, &c[1]),
        insert("c", End::Keep, &c[2]),
    ];
    assert!(engine.run_batch(&mut jobs).is_ok());
    assert_eq!(runs(&c), [1, 1, 1], "each request ran once");
    assert_eq!(engine.savepoint_batches, 0, "no savepoints needed");
    assert_eq!(org_ids(&url), ["a", "b", "c"]);
}

#[test]
fn a_request_that_does_not_keep_sends_its_batch_to_savepoints() {
    let Some((mut engine, url, _schema)) =
        engine("a_request_that_does_not_keep_sends_its_batch_to_savepoints")
    else {
        return;
    };
    // A failed statement, and a request that asks to undo what it wrote without one.
    for (n, end) in [(0, End::Fail), (1, End::Undo)] {
        let ids: [&'static str; 3] = [["a0", "b0", "c0"], ["a1", "b1", "c1"]][n];
        let c = counters(3);
        let mut jobs = vec![
            insert(ids[0], End::Keep, &c[0]),
            insert(ids[1], end, &c[1]),
            insert(ids[2], End::Keep, &c[2]),
        ];
        engine.savepoint_batches = 0;
        assert!(engine.run_batch(&mut jobs).is_ok());
        // Without savepoints the first two ran and the batch was rolled back at the second;
        // with them, all three ran and only the second was undone.
        assert_eq!(runs(&c), [2, 2, 1]);
        assert_eq!(engine.savepoint_batches, SAVEPOINT_BATCHES);
    }
    assert_eq!(org_ids(&url), ["a0", "a1", "c0", "c1"]);
    // The next batches run with savepoints straight away, then without again.
    for i in 0..SAVEPOINT_BATCHES {
        let c = counters(2);
        let mut jobs = vec![insert("x", End::Undo, &c[0]), insert("y", End::Undo, &c[1])];
        assert!(engine.run_batch(&mut jobs).is_ok());
        assert_eq!(runs(&c), [1, 1], "batch {i} ran once, with savepoints");
    }
    assert_eq!(engine.savepoint_batches, 0);
    let c = counters(2);
    let mut jobs = vec![insert("d", End::Keep, &c[0]), insert("e", End::Undo, &c[1])];
    assert!(engine.run_batch(&mut jobs).is_ok());
    assert_eq!(runs(&c), [2, 2], "without savepoints first, again");
    assert_eq!(org_ids(&url), ["a0", "a1", "c0", "c1", "d"]);
}
