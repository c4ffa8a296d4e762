//! A check's record of its decision (`Tx::record_decision`) is, on PostgreSQL, sent with the
//! transaction's next statement or its commit rather than on its own (`Conn::defer`, issue 14,
//! docs/benchmarks.md, twenty-third pass). Whichever way its batch runs (alone, with others
//! without savepoints, with savepoints), a record the database refuses fails its own request
//! and nothing of that request is committed; every other request commits exactly what it
//! wrote, and what a request reads after its record sees it. SQLite sends every write at once:
//! the same contract holds there.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use airlock_store::model::*;
use airlock_store::{Store, StoreError};
use common::Fresh;
use common::fixtures::{decision, org};

/// A session of the organization `o`.
fn session(id: &str) -> Session {
    common::fixtures::session("o", id, "agt_1", None)
}

/// Records the session's next decision as a check does (the session read and locked, the
/// record, the counters and head moved), then, when `read_back`, reads the session back in the
/// same transaction: the read must see the record (without it the record goes with the
/// commit). `seq` overrides the next sequence number (a duplicate makes the database refuse
/// the record).
async fn record(
    store: &Store,
    id: &'static str,
    seq: Option<u64>,
    read_back: bool,
) -> Result<u64, StoreError> {
    store
        .run(move |tx| {
            let mut s = tx
                .session("o", id)?
                .ok_or_else(|| StoreError::Conflict(format!("no session {id}")))?;
            let seq = seq.unwrap_or(s.total_calls + 1);
            let d = decision(&s, seq);
            s.total_calls += 1;
            s.read_calls += 1;
            s.head = d.hash.clone();
            tx.record_decision(&d, &s, seq.is_multiple_of(2))?;
            if !read_back {
                return Ok(s.total_calls);
            }
            let seen = tx
                .session("o", id)?
                .ok_or_else(|| StoreError::Conflict(format!("no session {id}")))?;
            assert_eq!(seen.total_calls, s.total_calls, "a read after the record");
            assert_eq!(seen.head, s.head, "a read after the record");
            Ok(seen.total_calls)
        })
        .await
}

/// Each session's decision count, its last sequence number and its own count of calls.
async fn state(store: &Store, ids: &[&'static str]) -> Vec<(u64, u64, u64)> {
    let ids = ids.to_vec();
    store
        .run(move |tx| {
            let mut out = Vec::new();
            for id in &ids {
                let s = tx.session("o", id)?.expect("session");
                let all = tx.decisions("o", id, 0, 10_000)?;
                let last = all.last().map_or(0, |d| d.seq);
                out.push((all.len() as u64, last, s.total_calls));
            }
            Ok(out)
        })
        .await
        .unwrap()
}

const GOOD: [&str; 12] = [
    "s00", "s01", "s02", "s03", "s04", "s05", "s06", "s07", "s08", "s09", "s10", "s11",
];

contract!(
    a_refused_record_fails_only_its_own_request,
    |fresh: Fresh| async move {
        let store = fresh.open();
        store
            .run(|tx| {
                tx.insert_org(&org("o"))?;
                tx.insert_session(&session("dup"))?;
                for id in GOOD {
                    tx.insert_session(&session(id))?;
                }
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(record(&store, "dup", None, true).await.unwrap(), 1);

        // Alone: its batch is itself, and its record goes with its commit, or with its read.
        for read_back in [false, true] {
            let refused = record(&store, "dup", Some(1), read_back).await;
            assert!(
                refused.is_err(),
                "a duplicate record was answered {refused:?}"
            );
            assert_eq!(state(&store, &["dup"]).await, [(1, 1, 1)]);
        }

        // Among others, in rounds: batches with and without savepoints, of every size.
        let rounds = 12;
        for round in 0..rounds {
            let mut calls = Vec::new();
            for (i, id) in GOOD.into_iter().enumerate() {
                let good = store.clone();
                let read_back = (i + round) % 3 != 0;
                calls.push((
                    id,
                    tokio::spawn(async move { record(&good, id, None, read_back).await }),
                ));
                if i == round % GOOD.len() {
                    let store = store.clone();
                    calls.push((
                        "dup",
                        tokio::spawn(async move {
                            record(&store, "dup", Some(1), round % 2 == 0).await
                        }),
                    ));
                }
            }
            for (id, call) in calls {
                let answer = call.await.unwrap();
                if id == "dup" {
                    assert!(
                        answer.is_err(),
                        "round {round}: a duplicate was answered {answer:?}"
                    );
                } else {
                    assert_eq!(answer.unwrap(), round as u64 + 1, "round {round}, {id}");
                }
            }
        }
        // Every good request committed exactly its record and its counters; the refused one
        // nothing at all, neither its record nor its session's counters.
        let n = rounds as u64;
        assert_eq!(state(&store, &GOOD).await, vec![(n, n, n); GOOD.len()]);
        assert_eq!(state(&store, &["dup"]).await, [(1, 1, 1)]);

        // And after all that, the same sessions go on.
        let mut calls = Vec::new();
        for id in GOOD {
            let store = store.clone();
            calls.push(tokio::spawn(async move {
                record(&store, id, None, false).await
            }));
        }
        for call in calls {
            assert_eq!(call.await.unwrap().unwrap(), n + 1);
        }
        assert_eq!(
            state(&store, &GOOD).await,
            vec![(n + 1, n + 1, n + 1); GOOD.len()]
        );
    }
);

/// The command-line tools' transactions (`Store::run_blocking`) on PostgreSQL: a refused
/// record fails the commit, and a request that went past a failed statement is not answered
/// as committed (PostgreSQL's `COMMIT` of an aborted transaction rolls it back silently).
#[test]
fn a_tool_transaction_with_a_refused_write_is_not_committed() {
    let Some(fresh) =
        common::postgres_unmigrated("a_tool_transaction_with_a_refused_write_is_not_committed")
    else {
        return;
    };
    let fresh = common::migrated(fresh);
    let options = airlock_store::Options { migrate: false };
    let blocking = |f: &dyn Fn(&mut dyn airlock_store::Tx) -> Result<(), StoreError>| {
        Store::run_blocking(&fresh.backend, options, f)
    };
    blocking(&|tx| {
        tx.insert_org(&org("o"))?;
        tx.insert_session(&session("s"))?;
        tx.record_decision(&decision(&session("s"), 1), &session("s"), true)
    })
    .unwrap();
    // Refused at the commit.
    let refused = blocking(&|tx| {
        let mut s = session("s");
        s.total_calls = 7;
        tx.record_decision(&decision(&s, 1), &s, true)
    });
    assert!(refused.is_err(), "{refused:?}");
    // A failed statement gone past (a duplicate organization), then a write.
    let past = blocking(&|tx| {
        let _ = tx.insert_org(&org("o"));
        let _ = tx.insert_org(&org("p"));
        Ok(())
    });
    assert!(past.is_err(), "{past:?}");
    let (orgs, total) = Store::run_blocking(&fresh.backend, options, |tx| {
        Ok((
            tx.org("p")?.is_some(),
            tx.session("o", "s")?.map(|s| s.total_calls),
        ))
    })
    .unwrap();
    assert!(!orgs, "the write after the failed statement was committed");
    assert_eq!(
        total,
        Some(0),
        "the refused record's session change was committed"
    );
}
