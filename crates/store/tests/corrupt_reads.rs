//! A check's reads fail, on both stores, when any row they read holds a value that does not
//! parse: a tampered row is never read as a missing one (which a check would take for a new
//! session, an unknown agent or an unpinned tool). On PostgreSQL each part comes packed in a
//! row value (`check_reads.rs`); the error must come through that packing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use airlock_store::model::SecuritySettings;
use airlock_store::{Backend, StoreError};
use common::Fresh;
use common::fixtures::{agent, api_key, no_reviewers, now, org, pin, server, session};

/// Runs `sql` on the store's database from outside the store, as someone with the database's
/// file or credentials would.
fn tamper(fresh: &Fresh, sql: &'static str) {
    match &fresh.backend {
        Backend::Sqlite(dir) => {
            let c = rusqlite::Connection::open(dir.join("airlock.db")).unwrap();
            assert_eq!(c.execute(sql, []).unwrap(), 1, "{sql}");
        }
        Backend::Postgres(url) => {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                assert_eq!(c.execute(sql, &[]).unwrap(), 1, "{sql}");
            })
            .join()
            .unwrap();
        }
    }
}

/// A stored time that is not one, then the same column set back to a valid time; `keyed_only`
/// for the key's rows, which only the keyed read reads.
const CORRUPTIONS: [(&str, &str, bool); 10] = [
    (
        "UPDATE agents SET created_at = 'not a time' WHERE id = 'agt_1'",
        "UPDATE agents SET created_at = '2026-01-01T00:00:00Z' WHERE id = 'agt_1'",
        false,
    ),
    (
        "UPDATE sessions SET created_at = 'not a time' WHERE id = 's1'",
        "UPDATE sessions SET created_at = '2026-01-01T00:00:00Z' WHERE id = 's1'",
        false,
    ),
    (
        "UPDATE servers SET created_at = 'not a time' WHERE id = 'srv_1'",
        "UPDATE servers SET created_at = '2026-01-01T00:00:00Z' WHERE id = 'srv_1'",
        false,
    ),
    (
        "UPDATE tool_pins SET pinned_at = 'not a time' WHERE name = 'db.query'",
        "UPDATE tool_pins SET pinned_at = '2026-01-01T00:00:00Z' WHERE name = 'db.query'",
        false,
    ),
    (
        "UPDATE reviewer_sets SET updated_at = 'not a time' WHERE org_id = 'o1'",
        "UPDATE reviewer_sets SET updated_at = '2026-01-01T00:00:00Z' WHERE org_id = 'o1'",
        false,
    ),
    (
        "UPDATE api_keys SET created_at = 'not a time' WHERE id = 'k1'",
        "UPDATE api_keys SET created_at = '2026-01-01T00:00:00Z' WHERE id = 'k1'",
        true,
    ),
    (
        "UPDATE orgs SET created_at = 'not a time' WHERE id = 'o1'",
        "UPDATE orgs SET created_at = '2026-01-01T00:00:00Z' WHERE id = 'o1'",
        true,
    ),
    (
        "UPDATE org_security_settings SET updated_at = 'not a time' WHERE org_id = 'o1'",
        "UPDATE org_security_settings SET updated_at = '2026-01-01T00:00:00Z' WHERE org_id = 'o1'",
        true,
    ),
    // A negative count is not zero: a zero policy generation means no policies at all.
    (
        "UPDATE policy_generations SET generation = -1 WHERE org_id = 'o1'",
        "UPDATE policy_generations SET generation = 1 WHERE org_id = 'o1'",
        false,
    ),
    (
        "UPDATE sessions SET total_calls = -5 WHERE id = 's1'",
        "UPDATE sessions SET total_calls = 0 WHERE id = 's1'",
        false,
    ),
];

contract!(
    a_corrupt_row_fails_the_checks_reads,
    |fresh: Fresh| async move {
        let store = fresh.open();
        store
            .run(|tx| {
                tx.insert_org(&org("o1"))?;
                tx.insert_agent(&agent("o1", "agt_1"))?;
                tx.insert_server(&server("o1", "srv_1", "active", None))?;
                tx.put_tool_pin(&pin("o1", "srv_1", "db.query", "pinned"))?;
                tx.put_reviewer_set(&no_reviewers("o1"))?;
                tx.insert_session(&session("o1", "s1", "agt_1", Some("srv_1")))?;
                tx.bump_policy_generation("o1")?;
                tx.put_security_settings(&SecuritySettings {
                    org_id: "o1".into(),
                    require_proof_of_possession: false,
                    require_sender_constrained_tokens: false,
                    updated_at: now(),
                })?;
                tx.insert_api_key(&api_key("k1", "o1", false))
            })
            .await
            .unwrap();
        // The reads, unkeyed, keyed with proof and keyed without (the organization does not
        // require proof): what each answered.
        let reads = || {
            let store = store.clone();
            async move {
                store
                    .run(|tx| {
                        let unkeyed = tx.check_reads("o1", "agt_1", "s1", "db.query");
                        let keyed =
                            tx.keyed_check_reads("hash-k1", "agt_1", "s1", "db.query", true);
                        let unproven =
                            tx.keyed_check_reads("hash-k1", "agt_1", "s1", "db.query", false);
                        Ok((unkeyed, keyed, unproven))
                    })
                    .await
                    .unwrap()
            }
        };
        let (unkeyed, keyed, unproven) = reads().await;
        let unkeyed = unkeyed.unwrap();
        assert_eq!(unkeyed.policy_generation, 1);
        assert_eq!(unproven.unwrap(), keyed.as_ref().unwrap().clone());
        assert!(unkeyed.agent.is_some() && unkeyed.session.is_some());
        assert!(unkeyed.server.is_some() && unkeyed.pin.is_some() && unkeyed.reviewers.is_some());
        let (key, check) = keyed.unwrap().expect("the key is read");
        assert!(key.org.is_some());
        assert_eq!(check, Some(unkeyed));
        for (corrupt, restore, keyed_only) in CORRUPTIONS {
            tamper(&fresh, corrupt);
            let (unkeyed, keyed, unproven) = reads().await;
            if !keyed_only {
                assert!(
                    matches!(unkeyed, Err(StoreError::Corrupt(_))),
                    "{corrupt}: {unkeyed:?}"
                );
            }
            assert!(
                matches!(keyed, Err(StoreError::Corrupt(_))),
                "{corrupt}: {keyed:?}"
            );
            assert!(
                matches!(unproven, Err(StoreError::Corrupt(_))),
                "{corrupt}: {unproven:?}"
            );
            tamper(&fresh, restore);
            let (unkeyed, keyed, unproven) = reads().await;
            assert!(
                unkeyed.is_ok() && keyed.is_ok() && unproven.is_ok(),
                "{restore}"
            );
        }
    }
);
