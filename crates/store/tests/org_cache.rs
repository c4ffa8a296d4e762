//! The rows a check reads that people change, kept between checks (PostgreSQL's
//! `org_cache`, SQLite's row cache): whatever writes them, through the store or straight into
//! the database, the next check reads them as they are now. On PostgreSQL also: a check whose
//! rows are kept reads only its organization's version and its session (proved by taking
//! the other tables away), and a write that bumps the version makes the next check read
//! everything again.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use airlock_store::siem::SiemDestination;
use airlock_store::{Backend, CheckReads, KeyReads, Store, StoreError, Tuning, Tx};
use common::Fresh;
use common::fixtures::{agent, api_key, no_reviewers, now, org, pin, server, session};

/// One worker, so that every check of a test meets the same cache.
fn one_worker(fresh: &Fresh) -> Store {
    fresh.open_with(Tuning {
        workers: 1,
        ..Tuning::default()
    })
}

fn setup(tx: &mut dyn Tx) -> Result<(), StoreError> {
    tx.insert_org(&org("o1"))?;
    tx.insert_org(&org("o2"))?;
    tx.insert_agent(&agent("o1", "agt_1"))?;
    tx.insert_server(&server("o1", "srv_1", "active", Some(vec!["db.*".into()])))?;
    tx.put_tool_pin(&pin("o1", "srv_1", "db.query", "changed"))?;
    tx.put_reviewer_set(&no_reviewers("o1"))?;
    tx.bump_policy_generation("o1")?;
    tx.insert_siem_destination(&SiemDestination {
        id: "siem_1".into(),
        org_id: "o1".into(),
        name: "siem".into(),
        destination_type: "webhook".into(),
        endpoint_url: "https://siem.example/collect".into(),
        auth_token: "enc:v1:00".into(),
        token_hint: "wxyz".into(),
        is_active: true,
        batch_size: 100,
        flush_interval_seconds: 5,
        filter_event_types: vec!["decision.denied".into()],
        created_at: now(),
        updated_at: now(),
    })?;
    tx.insert_api_key(&api_key("k1", "o1", false))?;
    tx.insert_session(&session("o1", "s1", "agt_1", Some("srv_1")))?;
    tx.insert_session(&session("o1", "s3", "agt_1", None))?;
    Ok(())
}

/// The same reads without any joined statement or cache in the way.
fn single_reads(tx: &mut dyn Tx, sid: &str) -> Result<CheckReads, StoreError> {
    let session = tx.session("o1", sid)?;
    let server = match session.as_ref().and_then(|s| s.server_id.clone()) {
        Some(id) => tx.server("o1", &id)?.map(std::sync::Arc::new),
        None => None,
    };
    let pin = match &server {
        Some(v) => tx.tool_pin("o1", &v.id, "db.query")?,
        None => None,
    };
    Ok(CheckReads {
        agent: tx.agent("o1", "agt_1")?,
        session,
        server,
        pin,
        reviewers: tx.reviewer_set("o1")?,
        policy_generation: tx.policy_generation("o1")?,
        siem: tx.siem_targets("o1")?,
        server_has_pins: true,
        may_have_approvals: true,
    })
}

/// A check's reads of session `sid`, unkeyed and keyed (`hash-k1`), each with the single
/// reads of the same transaction; the flags only the joined reads ask are copied over.
type Both = (
    CheckReads,
    Option<(KeyReads, Option<CheckReads>)>,
    CheckReads,
);

async fn check(store: &Store, sid: &'static str) -> Result<Both, StoreError> {
    store
        .run(move |tx| {
            let plain = tx.check_reads("o1", "agt_1", sid, "db.query")?;
            let keyed = tx.keyed_check_reads("hash-k1", "agt_1", sid, "db.query", true)?;
            let single = single_reads(tx, sid)?;
            Ok((plain, keyed, single))
        })
        .await
}

fn assert_current((plain, keyed, single): &Both, key: Option<&KeyReads>, what: &str) {
    let same = |reads: &CheckReads| CheckReads {
        server_has_pins: true,
        may_have_approvals: true,
        ..reads.clone()
    };
    assert_eq!(&same(plain), single, "unkeyed, after {what}");
    match (keyed, key) {
        (Some((k, reads)), Some(key)) => {
            assert_eq!(k, key, "the key, after {what}");
            if k.key.revoked_at.is_none() {
                let reads = reads.as_ref().expect("a valid key's check reads");
                assert_eq!(&same(reads), single, "keyed, after {what}");
            } else {
                assert!(reads.is_none(), "a revoked key reads nothing, after {what}");
            }
        }
        (None, None) => {}
        (keyed, key) => panic!("after {what}: keyed {keyed:?}, key {key:?}"),
    }
}

/// Runs `sql` on the database behind the store, as another program would.
fn write_behind(backend: &Backend, sql: &'static str) {
    match backend.clone() {
        Backend::Sqlite(dir) => {
            let c = rusqlite::Connection::open(dir.join("airlock.db")).unwrap();
            c.execute_batch(sql).unwrap();
        }
        Backend::Postgres(url) => std::thread::spawn(move || {
            let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
            c.batch_execute(sql).unwrap();
        })
        .join()
        .unwrap(),
    }
}

contract!(
    kept_reads_follow_every_write_behind_the_store,
    |fresh: Fresh| async move {
        let store = one_worker(&fresh);
        store.run(setup).await.unwrap();
        // Each write changes something a check reads, in each table a check reads (one of
        // them only in another organization, which must change nothing of o1's).
        let writes: &[(&str, &'static str)] = &[
            ("nothing", "SELECT 1"),
            (
                "another organization's reviewers",
                "INSERT INTO reviewer_sets (org_id, reviewers, updated_at) VALUES ('o2', '[]', '2026-01-01T00:00:00.000000Z')",
            ),
            (
                "the agent's metadata",
                "UPDATE agents SET metadata = '{\"changed\": true}' WHERE id = 'agt_1'",
            ),
            (
                "the agent revoked",
                "UPDATE agents SET status = 'revoked' WHERE id = 'agt_1'",
            ),
            (
                "the pin",
                "UPDATE tool_pins SET status = 'pinned' WHERE name = 'db.query'",
            ),
            ("the pin deleted", "DELETE FROM tool_pins"),
            ("the reviewers", "DELETE FROM reviewer_sets"),
            (
                "the policies",
                "UPDATE policy_generations SET generation = generation + 5",
            ),
            (
                "the SIEM backlog",
                "UPDATE siem_destinations SET backlog = 12",
            ),
            (
                "the SIEM filter",
                "UPDATE siem_destinations SET filter_event_types = '[\"decision.allowed\"]'",
            ),
            (
                "the SIEM destination off",
                "UPDATE siem_destinations SET is_active = FALSE",
            ),
            // Not a row people change (no version bump): the check's own read of the session
            // must notice that the kept parts are another server's.
            (
                "the session's server",
                "UPDATE sessions SET server_id = NULL WHERE id = 's1'",
            ),
            (
                "the organization",
                "UPDATE orgs SET name = 'renamed' WHERE id = 'o1'",
            ),
            (
                "the server deleted",
                "UPDATE servers SET status = 'deleted' WHERE id = 'srv_1'",
            ),
            (
                "the key revoked",
                "UPDATE api_keys SET revoked_at = '2026-01-02T00:00:00.000000Z'",
            ),
        ];
        for (what, sql) in writes {
            write_behind(&fresh.backend, sql);
            // The first check after the write, then one that may answer from what it kept.
            for _ in 0..2 {
                let both = check(&store, "s1").await.unwrap();
                let key = store.run(|tx| tx.key_reads("hash-k1")).await.unwrap();
                assert_current(&both, key.as_ref(), what);
                let other = check(&store, "s3").await.unwrap();
                assert_current(&other, key.as_ref(), what);
            }
        }
        let (plain, ..) = check(&store, "s1").await.unwrap();
        assert_eq!(plain.agent.unwrap().status, "revoked");
        assert!(plain.server.is_none() && plain.pin.is_none() && plain.reviewers.is_none());
        assert_eq!(plain.policy_generation, 6);
        assert!(plain.siem.is_empty());
    }
);

/// Every table a check reads but the sessions, the keys and the versions.
const HIDDEN: [&str; 6] = [
    "agents",
    "servers",
    "tool_pins",
    "reviewer_sets",
    "policy_generations",
    "siem_destinations",
];

/// Renames `table` away (or back): a statement that reads it fails until it is back. No row
/// trigger fires: the organization's version stays as it was.
fn hide(url: &str, table: &str, hidden: bool) {
    let sql = match hidden {
        true => format!("ALTER TABLE {table} RENAME TO {table}_hidden"),
        false => format!("ALTER TABLE {table}_hidden RENAME TO {table}"),
    };
    let url = url.to_string();
    std::thread::spawn(move || {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        c.batch_execute(&sql).unwrap();
    })
    .join()
    .unwrap();
}

/// Organization `o1`'s version (PostgreSQL).
fn org_version(url: &str) -> String {
    let url = url.to_string();
    std::thread::spawn(move || {
        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
        let row = c
            .query_one("SELECT version FROM org_versions WHERE org_id = 'o1'", &[])
            .unwrap();
        row.get::<_, String>(0)
    })
    .join()
    .unwrap()
}

contract!(
    a_siem_backlog_is_written_only_where_it_crosses_its_bound,
    |fresh: Fresh| async move {
        let store = one_worker(&fresh);
        store.run(setup).await.unwrap();
        let key = store.run(|tx| tx.key_reads("hash-k1")).await.unwrap();
        let version = |fresh: &Fresh| match &fresh.backend {
            Backend::Postgres(url) => Some(org_version(url)),
            Backend::Sqlite(_) => None,
        };
        // Counts under the bound, then over it, then back: the version (a replica reads its
        // organization again when it changes) moves only where the count crosses the bound,
        // and every check reads the destination as full exactly while its count is over.
        let mut last = version(&fresh);
        for (count, crosses) in [(3, false), (7, false), (10, true), (25, false), (2, true)] {
            store
                .run(move |tx| tx.set_siem_backlog("siem_1", count, 10))
                .await
                .unwrap();
            let now = version(&fresh);
            assert_eq!(
                now != last,
                crosses && now.is_some(),
                "the version, {count} counted"
            );
            last = now;
            let both = check(&store, "s1").await.unwrap();
            assert_current(&both, key.as_ref(), "a backlog counted");
            assert_eq!(both.0.siem[0].backlog >= 10, count >= 10, "{count} counted");
        }
    }
);

contract!(
    a_kept_check_reads_only_its_version_and_session,
    |fresh: Fresh| async move {
        let Backend::Postgres(url) = fresh.backend.clone() else {
            return;
        };
        let store = one_worker(&fresh);
        store.run(setup).await.unwrap();
        let before = check(&store, "s1").await.unwrap();
        let key = store.run(|tx| tx.key_reads("hash-k1")).await.unwrap();
        assert_current(&before, key.as_ref(), "the setup");
        // An unknown agent on a session without a server, calling another tool: kept too.
        let unknown = store
            .run(|tx| tx.check_reads("o1", "agt_x", "s3", "db.other"))
            .await
            .unwrap();
        assert!(unknown.agent.is_none());
        // With every table but the session's and the versions taken away, a check whose rows
        // are kept still answers, and the same as before.
        for table in HIDDEN {
            hide(&url, table, true);
        }
        let (plain, keyed, _) = store
            .run(|tx| {
                let plain = tx.check_reads("o1", "agt_1", "s1", "db.query")?;
                let keyed = tx.keyed_check_reads("hash-k1", "agt_1", "s1", "db.query", true)?;
                Ok((plain, keyed, ()))
            })
            .await
            .expect("a kept check reads no other table");
        assert_eq!(plain, before.0);
        assert_eq!(keyed, before.1);
        // Rows kept by different checks of one version combine: the unknown agent on s1's
        // server and tool.
        let combined = store
            .run(|tx| tx.check_reads("o1", "agt_x", "s1", "db.query"))
            .await
            .expect("kept by two checks");
        assert_eq!(
            combined,
            CheckReads {
                agent: None,
                ..before.0.clone()
            }
        );
        // A tool name nothing kept: the joined read runs, and fails here.
        let other = store
            .run(|tx| tx.check_reads("o1", "agt_1", "s1", "db.never"))
            .await;
        assert!(other.is_err(), "a pin never read answered: {other:?}");
        // A write no check reads (a SIEM delivery lease) keeps the version.
        write_behind(
            &fresh.backend,
            "UPDATE siem_destinations_hidden SET lease_owner = 'r1', \
             lease_until = '2099-01-01T00:00:00.000000Z'",
        );
        store
            .run(|tx| tx.check_reads("o1", "agt_1", "s1", "db.query"))
            .await
            .expect("a lease changes nothing a check reads");
        // A write a check reads bumps the version: the next check reads everything again
        // (and fails here, its tables gone), unkeyed and keyed.
        write_behind(
            &fresh.backend,
            "UPDATE siem_destinations_hidden SET backlog = 3",
        );
        let plain = store
            .run(|tx| tx.check_reads("o1", "agt_1", "s1", "db.query"))
            .await;
        assert!(plain.is_err(), "read from a stale version: {plain:?}");
        let keyed = store
            .run(|tx| tx.keyed_check_reads("hash-k1", "agt_1", "s1", "db.query", true))
            .await;
        assert!(keyed.is_err(), "read from a stale version: {keyed:?}");
        for table in HIDDEN {
            hide(&url, table, false);
        }
        let after = check(&store, "s1").await.unwrap();
        assert_current(&after, key.as_ref(), "the tables back");
        assert_eq!(after.0.siem[0].backlog, 3);
        // The version row itself gone (a database tampered with, or restored without it):
        // nothing is answered from what was kept.
        write_behind(&fresh.backend, "DELETE FROM org_versions");
        hide(&url, "agents", true);
        let plain = store
            .run(|tx| tx.check_reads("o1", "agt_1", "s1", "db.query"))
            .await;
        assert!(plain.is_err(), "answered without a version: {plain:?}");
        hide(&url, "agents", false);
    }
);
