//! Guessed checks (`OrgCache::guess`): a request whose session this replica recorded last is
//! answered from memory, and its record proves the guess or writes nothing.
//! Whatever changed behind the store (the session's row, a row under the organization's
//! version, the session's lock held elsewhere), the request runs again and answers what is
//! stored now. Batches are driven on the engine itself, so which request guesses is known.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use chrono::Utc;

use super::{counters, decision, engine, org, recorded, runs, session};
use crate::model::{Agent, ApiKey, ReviewerSet};
use crate::postgres::PgEngine;
use crate::queue::{Engine, Job};
use crate::tx::CheckReads;

fn agent() -> Agent {
    Agent {
        id: "agt".into(),
        org_id: "o".into(),
        name: "agent".into(),
        framework: String::new(),
        public_key: String::new(),
        status: "active".into(),
        capabilities: vec![],
        metadata: serde_json::Value::Null,
        created_at: Utc::now(),
        revoked_at: None,
        revoke_reason: None,
    }
}

fn key() -> ApiKey {
    ApiKey {
        id: "k".into(),
        org_id: "o".into(),
        hash: "hash-k".into(),
        prefix: "al_k".into(),
        name: "key".into(),
        created_at: Utc::now(),
        revoked_at: None,
        role: "agent".into(),
    }
}

/// The organization `o`, its agent, key and reviewers, and the sessions `ids`.
fn setup(engine: &mut PgEngine, ids: &'static [&'static str]) {
    let mut jobs = [Job::for_test(|tx| {
        tx.insert_org(&org("o")).is_ok()
            && tx.insert_agent(&agent()).is_ok()
            && tx.insert_api_key(&key()).is_ok()
            && tx
                .put_reviewer_set(&ReviewerSet {
                    org_id: "o".into(),
                    reviewers: "[]".into(),
                    updated_at: Utc::now(),
                })
                .is_ok()
            && ids.iter().all(|id| tx.insert_session(&session(id)).is_ok())
    })];
    assert!(engine.run_batch(&mut jobs).is_ok());
}

/// What a check's last attempt read: the agent's status, the session's mode and count, and
/// for a keyed check whether the key was read revoked.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    agent_status: Option<String>,
    base_mode: Option<String>,
    total_calls: Option<u64>,
    key_revoked: Option<bool>,
}

fn seen(reads: &CheckReads, key_revoked: Option<bool>) -> Seen {
    Seen {
        agent_status: reads.agent.as_ref().map(|a| a.status.clone()),
        base_mode: reads.session.as_ref().map(|s| s.base_mode.clone()),
        total_calls: reads.session.as_ref().map(|s| s.total_calls),
        key_revoked,
    }
}

/// How a check job ends after its reads.
#[derive(Clone, Copy, PartialEq)]
enum Then {
    /// Records the next decision of the session it read, as a check does.
    Record,
    /// Reads the session's approvals first (a statement a guess must not precede), then
    /// records.
    ReadThenRecord,
    /// Records nothing (a check refused before its record).
    Nothing,
}

/// A check of session `id` (keyed by `hash-k` when `key` says whether the call is proven, else
/// unkeyed): reads, then `then`. Each attempt overwrites `out` and counts in `runs`.
fn check(
    id: &'static str,
    key: Option<bool>,
    then: Then,
    runs: &Arc<std::sync::atomic::AtomicUsize>,
    out: &Arc<Mutex<Option<Seen>>>,
) -> Job {
    let (runs, out) = (runs.clone(), out.clone());
    Job::for_test(move |tx| {
        runs.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let (reads, revoked) = if let Some(proven) = key {
            match tx.keyed_check_reads("hash-k", "agt", id, "db.query", proven) {
                Ok(Some((key, reads))) => (reads, Some(key.key.revoked_at.is_some())),
                _ => return false,
            }
        } else {
            match tx.check_reads("o", "agt", id, "db.query") {
                Ok(reads) => (Some(reads), None),
                Err(_) => return false,
            }
        };
        let Some(reads) = reads else {
            *out.lock().unwrap() = Some(Seen {
                agent_status: None,
                base_mode: None,
                total_calls: None,
                key_revoked: revoked,
            });
            return true;
        };
        *out.lock().unwrap() = Some(seen(&reads, revoked));
        let Some(mut s) = reads.session else {
            return false;
        };
        if then == Then::Nothing {
            return true;
        }
        if then == Then::ReadThenRecord
            && tx
                .session_approvals("o", id, "db.query", "digest", Utc::now())
                .is_err()
        {
            return false;
        }
        s.total_calls += 1;
        s.head = format!("{:064}", s.total_calls);
        let d = decision(id, s.total_calls);
        tx.record_decision(&d, &s, false).is_ok()
    })
}

/// A request that reads the organization, first in a batch: what follows it is not the
/// transaction's first statement.
fn first() -> Job {
    Job::for_test(|tx| matches!(tx.org("o"), Ok(Some(_))))
}

/// Runs `sql` on another connection, as another program would.
fn behind(url: &str, sql: &str) {
    let mut c = postgres::Client::connect(url, postgres::NoTls).expect("connect");
    c.batch_execute(sql).expect("write behind the store");
}

fn slot() -> Arc<Mutex<Option<Seen>>> {
    Arc::new(Mutex::new(None))
}

fn last(out: &Arc<Mutex<Option<Seen>>>) -> Seen {
    out.lock().unwrap().clone().expect("the check ran")
}

/// A batch of `first()` and a check of `id`; returns the check's runs and what it saw.
fn batch(engine: &mut PgEngine, id: &'static str, key: Option<bool>, then: Then) -> (usize, Seen) {
    let c = counters(1);
    let out = slot();
    let mut jobs = [first(), check(id, key, then, &c[0], &out)];
    assert!(engine.run_batch(&mut jobs).is_ok());
    (runs(&c)[0], last(&out))
}

/// The statements the engine prepared while running `jobs`.
fn statements_of(engine: &mut PgEngine, jobs: &mut [Job]) -> BTreeSet<String> {
    engine.cache.clear();
    assert!(engine.run_batch(jobs).is_ok());
    engine.cache.keys().cloned().collect()
}

#[test]
fn a_kept_session_is_checked_with_one_statement_its_record() {
    let Some((mut engine, url, _schema)) =
        engine("a_kept_session_is_checked_with_one_statement_its_record")
    else {
        return;
    };
    setup(&mut engine, &["s"]);
    // Alone, the check reads (and its session and organization are kept once it commits).
    let c = counters(2);
    let out = slot();
    assert!(
        engine
            .run_batch(&mut [check("s", None, Then::Record, &c[0], &out)])
            .is_ok()
    );
    // Second in a batch: its only statement is its record.
    let mut jobs = [first(), check("s", None, Then::Record, &c[1], &out)];
    let statements = statements_of(&mut engine, &mut jobs);
    assert_eq!(runs(&c), [1, 1], "no check ran twice");
    let check_statements: Vec<&String> = statements
        .iter()
        .filter(|s| s.contains("sessions"))
        .collect();
    assert_eq!(check_statements.len(), 1, "{statements:#?}");
    assert!(
        check_statements[0].starts_with("WITH l AS (SELECT 1 FROM sessions"),
        "the guessed record: {statements:#?}"
    );
    assert_eq!(last(&out).total_calls, Some(1), "it saw the first decision");
    assert_eq!(recorded(&url), [("s".to_string(), vec![1, 2], 2)]);
    // And again, from the session its own record kept.
    assert_eq!(batch(&mut engine, "s", None, Then::Record).0, 1);
    assert_eq!(recorded(&url), [("s".to_string(), vec![1, 2, 3], 3)]);
}

#[test]
fn every_change_behind_the_store_refutes_the_guess() {
    let Some((mut engine, url, _schema)) =
        engine("every_change_behind_the_store_refutes_the_guess")
    else {
        return;
    };
    setup(&mut engine, &["s"]);
    assert_eq!(batch(&mut engine, "s", None, Then::Record).0, 1);
    assert_eq!(batch(&mut engine, "s", None, Then::Record).0, 1, "kept");

    // The session's own row, by hand: the guess is refuted, the check reads it as it is.
    behind(
        &url,
        "UPDATE sessions SET base_mode = 'read_write' WHERE id = 's'",
    );
    let (n, saw) = batch(&mut engine, "s", None, Then::Record);
    assert_eq!((n, saw.base_mode.as_deref()), (2, Some("read_write")));
    // Its count, by hand (a chain cut short and counted back).
    behind(&url, "UPDATE sessions SET total_calls = 40 WHERE id = 's'");
    let (n, saw) = batch(&mut engine, "s", None, Then::Record);
    assert_eq!((n, saw.total_calls), (2, Some(40)));
    // Its approvals flag, set as an approval's trigger sets it.
    behind(
        &url,
        "UPDATE sessions SET may_have_approvals = TRUE WHERE id = 's'",
    );
    assert_eq!(batch(&mut engine, "s", None, Then::Record).0, 2);
    // A row under the organization's version (its trigger replaces the version).
    behind(
        &url,
        "UPDATE agents SET status = 'suspended' WHERE id = 'agt'",
    );
    let (n, saw) = batch(&mut engine, "s", None, Then::Record);
    assert_eq!((n, saw.agent_status.as_deref()), (2, Some("suspended")));
    // The version itself, by hand.
    behind(&url, "UPDATE org_versions SET version = 'by hand'");
    assert_eq!(batch(&mut engine, "s", None, Then::Record).0, 2);
    // Nothing changed: guessed and proven again.
    assert_eq!(batch(&mut engine, "s", None, Then::Record).0, 1);
    // Every decision recorded once, in order, after the count set by hand.
    let got = recorded(&url);
    assert_eq!(got[0].1, [1, 2, 3, 41, 42, 43, 44, 45]);
    assert_eq!(got[0].2, 45);
}

#[test]
fn the_first_check_of_a_larger_batch_guesses_and_is_refuted_in_place() {
    let Some((mut engine, url, _schema)) =
        engine("the_first_check_of_a_larger_batch_guesses_and_is_refuted_in_place")
    else {
        return;
    };
    setup(&mut engine, &["a", "s"]);
    assert_eq!(alone(&mut engine, "s", Then::Record).0, 1);
    assert_eq!(alone(&mut engine, "a", Then::Record).0, 1);
    let pair = |engine: &mut PgEngine| {
        let c = counters(2);
        let (first_out, second_out) = (slot(), slot());
        let mut jobs = [
            check("s", None, Then::Record, &c[0], &first_out),
            check("a", None, Then::Record, &c[1], &second_out),
        ];
        let statements = statements_of(engine, &mut jobs);
        (runs(&c), last(&first_out), statements)
    };
    // Both kept: two statements, both guessed records (the first with the batch's opening).
    let (n, _, statements) = pair(&mut engine);
    assert_eq!(n, [1, 1]);
    assert!(
        statements
            .iter()
            .all(|s| s.starts_with("WITH l AS (SELECT 1 FROM sessions")),
        "{statements:#?}"
    );
    // The first's session changed by hand: it runs again in place, reading, and the second
    // still guesses.
    behind(&url, "UPDATE sessions SET total_calls = 10 WHERE id = 's'");
    let (n, saw, _) = pair(&mut engine);
    assert_eq!((n, saw.total_calls), (vec![2, 1], Some(10)));
    // Now with savepoints (a batch that undid a request sends the next ones to them).
    engine.savepoint_batches = 4;
    behind(&url, "UPDATE sessions SET total_calls = 20 WHERE id = 's'");
    let (n, saw, _) = pair(&mut engine);
    assert_eq!((n, saw.total_calls), (vec![2, 1], Some(20)));
    let (n, _, _) = pair(&mut engine);
    assert_eq!(n, [1, 1], "guessed again, with savepoints");
    assert_eq!(
        recorded(&url),
        [
            ("a".to_string(), vec![1, 2, 3, 4, 5], 5),
            ("s".to_string(), vec![1, 2, 11, 21, 22], 22)
        ]
    );
}

/// Runs `sql` in a transaction on another connection and keeps it open for 300 ms; returns
/// once `sql` has run, with the thread that commits it (which hands back `url`).
fn hold(url: String, sql: &'static str) -> std::thread::JoinHandle<String> {
    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let holder = std::thread::spawn(move || {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
        let mut t = c.transaction().expect("begin");
        t.batch_execute(sql).expect("lock");
        locked_tx.send(()).expect("signal");
        std::thread::sleep(std::time::Duration::from_millis(300));
        t.commit().expect("commit");
        url
    });
    locked_rx.recv().expect("locked");
    holder
}

#[test]
fn a_session_locked_elsewhere_is_not_guessed_past() {
    let Some((mut engine, url, _schema)) = engine("a_session_locked_elsewhere_is_not_guessed_past")
    else {
        return;
    };
    setup(&mut engine, &["s"]);
    assert_eq!(batch(&mut engine, "s", None, Then::Record).0, 1);
    // Another transaction holds the session's lock, and changes the row, for a while.
    let holder = hold(
        url,
        "UPDATE sessions SET base_mode = 'locked' WHERE id = 's'",
    );
    // The guess skips the locked row (it never waits while the batch holds locks): the
    // request runs again reading, finds the session busy and runs alone after the batch,
    // waiting for the lock, and sees the row as committed.
    let (_, saw) = batch(&mut engine, "s", None, Then::Record);
    let url = holder.join().expect("holder");
    assert_eq!(saw.base_mode.as_deref(), Some("locked"));
    assert_eq!(recorded(&url), [("s".to_string(), vec![1, 2], 2)]);
}

#[test]
fn a_guess_never_waits_for_a_lock_held_elsewhere() {
    let Some((mut engine, url, _schema)) = engine("a_guess_never_waits_for_a_lock_held_elsewhere")
    else {
        return;
    };
    setup(&mut engine, &["s"]);
    assert_eq!(batch(&mut engine, "s", None, Then::Record).0, 1);
    // Another transaction only locks the session, for a while: the row stays as guessed.
    let holder = hold(url, "SELECT 1 FROM sessions WHERE id = 's' FOR UPDATE");
    // A record that waited for the lock would find the row as guessed and write, once: the
    // guess skips the locked row instead, and the request runs again (then alone, waiting).
    let (n, saw) = batch(&mut engine, "s", None, Then::Record);
    let url = holder.join().expect("holder");
    assert!(n > 1, "the guessed record skipped the lock ({n} runs)");
    assert_eq!(saw.total_calls, Some(1));
    assert_eq!(recorded(&url), [("s".to_string(), vec![1, 2], 2)]);
}

#[test]
fn a_keyed_guess_is_refuted_by_proof_newly_required() {
    let Some((mut engine, url, _schema)) =
        engine("a_keyed_guess_is_refuted_by_proof_newly_required")
    else {
        return;
    };
    setup(&mut engine, &["s"]);
    // A call without proof, in an organization that requires none.
    assert_eq!(batch(&mut engine, "s", Some(false), Then::Record).0, 1);
    assert_eq!(
        batch(&mut engine, "s", Some(false), Then::Record).0,
        1,
        "guessed"
    );
    behind(
        &url,
        "INSERT INTO org_security_settings VALUES ('o', TRUE, FALSE, '2026-01-01T00:00:00Z')",
    );
    let (n, saw) = batch(&mut engine, "s", Some(false), Then::Record);
    assert_eq!(n, 2, "the guess was refuted");
    assert_eq!(saw.total_calls, None, "an unproven call reads nothing now");
    assert_eq!(recorded(&url), [("s".to_string(), vec![1, 2], 2)]);
}

#[test]
fn an_unproven_guess_runs_again_reading() {
    let Some((mut engine, url, _schema)) = engine("an_unproven_guess_runs_again_reading") else {
        return;
    };
    setup(&mut engine, &["s"]);
    assert_eq!(batch(&mut engine, "s", None, Then::Record).0, 1);
    // A statement between the guess and its record: the attempt stops before it is sent.
    assert_eq!(batch(&mut engine, "s", None, Then::ReadThenRecord).0, 2);
    // A request that ends without a record never answers from its guess.
    assert_eq!(batch(&mut engine, "s", None, Then::Nothing).0, 2);
    assert_eq!(recorded(&url), [("s".to_string(), vec![1, 2], 2)]);
}

#[test]
fn a_keyed_guess_is_refuted_by_the_key_revoked() {
    let Some((mut engine, url, _schema)) = engine("a_keyed_guess_is_refuted_by_the_key_revoked")
    else {
        return;
    };
    setup(&mut engine, &["s"]);
    assert_eq!(batch(&mut engine, "s", Some(true), Then::Record).0, 1);
    let (n, saw) = batch(&mut engine, "s", Some(true), Then::Record);
    assert_eq!((n, saw.key_revoked), (1, Some(false)), "guessed");
    behind(
        &url,
        "UPDATE api_keys SET revoked_at = '2026-01-01T00:00:00Z'",
    );
    let (n, saw) = batch(&mut engine, "s", Some(true), Then::Record);
    assert_eq!(n, 2, "the guess was refuted");
    assert_eq!(saw.key_revoked, Some(true));
    assert_eq!(saw.total_calls, None, "a revoked key reads nothing");
    assert_eq!(recorded(&url), [("s".to_string(), vec![1, 2], 2)]);
}

#[test]
fn a_guessed_record_goes_out_behind_the_previous_requests_deferred_record() {
    let Some((mut engine, url, _schema)) =
        engine("a_guessed_record_goes_out_behind_the_previous_requests_deferred_record")
    else {
        return;
    };
    setup(&mut engine, &["a", "s"]);
    assert_eq!(batch(&mut engine, "s", None, Then::Record).0, 1);
    // The first request records session `a` (its record deferred to the next statement);
    // the second guesses `s`, and its record is that next statement.
    let c = counters(2);
    let (first_out, second_out) = (slot(), slot());
    let mut jobs = [
        check("a", None, Then::Record, &c[0], &first_out),
        check("s", None, Then::Record, &c[1], &second_out),
    ];
    let statements = statements_of(&mut engine, &mut jobs);
    assert_eq!(runs(&c), [1, 1], "no request ran twice");
    assert!(
        statements
            .iter()
            .any(|s| s.starts_with("WITH l AS (SELECT 1 FROM sessions")),
        "the second was guessed: {statements:#?}"
    );
    assert_eq!(
        recorded(&url),
        [
            ("a".to_string(), vec![1], 1),
            ("s".to_string(), vec![1, 2], 2)
        ]
    );
}

/// A check alone in its batch, which opens its transaction.
fn alone(engine: &mut PgEngine, id: &'static str, then: Then) -> (usize, Seen) {
    let c = counters(1);
    let out = slot();
    assert!(
        engine
            .run_batch(&mut [check(id, None, then, &c[0], &out)])
            .is_ok()
    );
    (runs(&c)[0], last(&out))
}

#[test]
fn a_check_alone_in_its_batch_guesses_and_is_refuted_as_a_later_one_is() {
    let Some((mut engine, url, _schema)) =
        engine("a_check_alone_in_its_batch_guesses_and_is_refuted_as_a_later_one_is")
    else {
        return;
    };
    setup(&mut engine, &["s"]);
    // Its record may travel with its `BEGIN READ WRITE`: the worker's connection refuses a
    // write outside a transaction.
    let conn = engine.client.as_mut().expect("connected");
    let write = conn.prepare("DELETE FROM sessions").expect("prepare");
    let refused = conn
        .execute(&write, false, &[])
        .expect_err("read-only outside");
    assert_eq!(
        refused.code(),
        Some(&postgres::error::SqlState::READ_ONLY_SQL_TRANSACTION)
    );
    assert_eq!(alone(&mut engine, "s", Then::Record).0, 1);
    // So is the connection it makes again when its own is gone.
    engine.client = None;
    assert_eq!(alone(&mut engine, "s", Then::Record).0, 1);
    let conn = engine.client.as_mut().expect("connected again");
    let write = conn.prepare("DELETE FROM sessions").expect("prepare");
    assert!(
        conn.execute(&write, false, &[]).is_err(),
        "read-only outside"
    );
    // Kept: its only statement is its record, sent with the transaction's opening.
    let c = counters(1);
    let out = slot();
    let statements = statements_of(
        &mut engine,
        &mut [check("s", None, Then::Record, &c[0], &out)],
    );
    assert_eq!(runs(&c), [1]);
    assert_eq!(statements.len(), 1, "{statements:#?}");
    assert!(
        statements
            .iter()
            .all(|s| s.starts_with("WITH l AS (SELECT 1 FROM sessions")),
        "the guessed record: {statements:#?}"
    );
    // The session's row by hand, then the organization's version: refuted, read again.
    behind(&url, "UPDATE sessions SET total_calls = 41 WHERE id = 's'");
    let (n, saw) = alone(&mut engine, "s", Then::Record);
    assert_eq!((n, saw.total_calls), (2, Some(41)));
    behind(
        &url,
        "UPDATE agents SET status = 'suspended' WHERE id = 'agt'",
    );
    let (n, saw) = alone(&mut engine, "s", Then::Record);
    assert_eq!((n, saw.agent_status.as_deref()), (2, Some("suspended")));
    // A lock held elsewhere: the guess skips it, and the check, reading, waits for it.
    let holder = hold(
        url,
        "UPDATE sessions SET base_mode = 'locked' WHERE id = 's'",
    );
    let (n, saw) = alone(&mut engine, "s", Then::Record);
    let url = holder.join().expect("holder");
    assert_eq!((n, saw.base_mode.as_deref()), (2, Some("locked")));
    // A guess followed by another statement, or by none, is never answered.
    assert_eq!(alone(&mut engine, "s", Then::ReadThenRecord).0, 2);
    assert_eq!(alone(&mut engine, "s", Then::Nothing).0, 2);
    // Nothing changed: guessed and proven.
    assert_eq!(alone(&mut engine, "s", Then::Record).0, 1);
    let got = recorded(&url);
    assert_eq!(got[0].1, [1, 2, 3, 42, 43, 44, 45, 46]);
    assert_eq!(got[0].2, 46);
}
