use std::path::Path;

use chrono::Utc;
use rusqlite::Connection;

use crate::model::Org;
use crate::{Options, Store, StoreError, migrate_path};

fn org(id: &str) -> Org {
    Org {
        id: id.into(),
        name: format!("{id}-name"),
        default_mode: "read_only".into(),
        created_at: Utc::now(),
    }
}

fn open(dir: &Path) -> Store {
    Store::open(dir, Options { migrate: true }).unwrap()
}

#[tokio::test]
async fn a_failing_request_rolls_back_only_itself() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    // Queue many requests at once so they share batches; every third one fails after writing.
    let mut handles = Vec::new();
    for i in 0..60 {
        let s = store.clone();
        handles.push(tokio::spawn(async move {
            s.run(move |tx| {
                tx.insert_org(&org(&format!("o{i}")))?;
                if i % 3 == 0 {
                    return Err(StoreError::Conflict("refused".into()));
                }
                Ok(i)
            })
            .await
        }));
    }
    let mut ok = 0;
    for h in handles {
        if h.await.unwrap().is_ok() {
            ok += 1;
        }
    }
    assert_eq!(ok, 40);
    let count = store.run(|tx| tx.org_count()).await.unwrap();
    assert_eq!(count, 40, "failed requests left nothing behind");
}

#[tokio::test]
async fn answers_come_after_commit_and_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let store = open(dir.path());
        store.run(|tx| tx.insert_org(&org("a"))).await.unwrap();
    }
    // A second connection (another process in real life) sees the committed row.
    let n = Store::run_blocking(
        &crate::Backend::Sqlite(dir.path().to_path_buf()),
        Options { migrate: false },
        |tx| tx.org_count(),
    )
    .unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn a_duplicate_key_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    store.run(|tx| tx.insert_org(&org("a"))).await.unwrap();
    let again = store.run(|tx| tx.insert_org(&org("a"))).await;
    assert!(matches!(again, Err(StoreError::Database(_))), "{again:?}");
    assert_eq!(store.run(|tx| tx.org_count()).await.unwrap(), 1);
}

#[test]
fn refuses_a_schema_it_does_not_know() {
    let dir = tempfile::tempdir().unwrap();
    migrate_path(dir.path()).unwrap();
    let conn = Connection::open(dir.path().join("airlock.db")).unwrap();
    conn.execute(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'x')",
        [],
    )
    .unwrap();
    drop(conn);
    let opened = Store::open(dir.path(), Options { migrate: false });
    assert!(matches!(
        opened,
        Err(StoreError::SchemaTooNew { found: 99, .. })
    ));
    assert!(matches!(
        migrate_path(dir.path()),
        Err(StoreError::SchemaTooNew { .. })
    ));
}

#[test]
fn an_unmigrated_database_is_refused_without_migrate() {
    let dir = tempfile::tempdir().unwrap();
    let opened = Store::open(dir.path(), Options { migrate: false });
    assert!(matches!(opened, Err(StoreError::NotMigrated)));
    assert_eq!(
        migrate_path(dir.path()).unwrap(),
        vec![
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21
        ]
    );
    assert!(
        migrate_path(dir.path()).unwrap().is_empty(),
        "migrations apply once"
    );
    assert!(Store::open(dir.path(), Options { migrate: false }).is_ok());
}

/// Every index a decision enters costs WAL pages at every commit (issue 14): the decisions
/// table carries its primary key and the log's time index, no more. An index added here
/// must be paid for in docs/benchmarks.md first.
#[test]
fn a_decision_enters_two_indexes() {
    let dir = tempfile::tempdir().unwrap();
    migrate_path(dir.path()).unwrap();
    let conn = Connection::open(dir.path().join("airlock.db")).unwrap();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'decisions' ORDER BY name")
        .unwrap();
    let names: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(names, ["decisions_time", "sqlite_autoindex_decisions_1"]);
}

#[tokio::test]
async fn reads_are_scoped_to_the_organization() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(dir.path());
    let agent = crate::model::Agent {
        id: "agt_1".into(),
        org_id: "o1".into(),
        name: "a".into(),
        framework: "custom".into(),
        public_key: String::new(),
        status: "active".into(),
        capabilities: vec!["x".into()],
        metadata: serde_json::json!({}),
        created_at: Utc::now(),
        revoked_at: None,
        revoke_reason: None,
    };
    store
        .run(move |tx| {
            tx.insert_org(&org("o1"))?;
            tx.insert_org(&org("o2"))?;
            tx.insert_agent(&agent)
        })
        .await
        .unwrap();
    assert!(
        store
            .run(|tx| tx.agent("o1", "agt_1"))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .run(|tx| tx.agent("o2", "agt_1"))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .run(|tx| tx.list_agents("o2"))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        !store
            .run(|tx| tx.revoke_agent("o2", "agt_1", "x", Utc::now()))
            .await
            .unwrap()
    );
}

/// The writer's own engine, as `sqlite::start` builds it.
fn engine(dir: &Path) -> (super::SqliteEngine, std::sync::Arc<()>) {
    migrate_path(dir).unwrap();
    let path = dir.join("airlock.db");
    let mut conn = super::open_connection(&path).unwrap();
    let alive = std::sync::Arc::new(());
    let wal = crate::sqlite_wal::start(
        &path,
        &mut conn,
        std::sync::Arc::downgrade(&alive),
        crate::sqlite_wal::Limits::DEFAULT,
    )
    .unwrap();
    let cache = crate::sqlite_cache::RowCache::new(&conn).unwrap();
    let engine = super::SqliteEngine {
        writer: crate::sqlite_prepared::Writer::open(conn),
        cache,
        wal,
        wrote: false,
    };
    (engine, alive)
}

#[test]
fn the_writer_knows_which_batches_wrote_so_that_only_reads_skip_the_sync() {
    use crate::queue::{Engine, Job};
    let dir = tempfile::tempdir().unwrap();
    let (mut engine, _alive) = engine(dir.path());
    let mut write = [Job::for_test(|tx| tx.insert_org(&org("o1")).is_ok())];
    assert!(engine.run_batch(&mut write).is_ok());
    assert!(engine.last_batch_wrote(), "a write must wait for its sync");
    let mut read = [Job::for_test(|tx| matches!(tx.org("o1"), Ok(Some(_))))];
    assert!(engine.run_batch(&mut read).is_ok());
    assert!(!engine.last_batch_wrote(), "a read has nothing to sync");
    // A write seen by one witness only (the WAL hook replaced, as `wal_autocheckpoint` does)
    // still counts.
    engine
        .writer
        .conn()
        .pragma_update(None, "wal_autocheckpoint", 0)
        .unwrap();
    let mut write = [Job::for_test(|tx| tx.insert_org(&org("o2")).is_ok())];
    assert!(engine.run_batch(&mut write).is_ok());
    assert!(
        engine.last_batch_wrote(),
        "a write without the WAL hook still waits"
    );
}

/// In a batch run with a savepoint per request, a request that fails after updating its
/// session leaves the next request of the batch reading the stored row.
#[test]
fn a_failed_request_in_a_batch_leaves_the_next_one_the_stored_row() {
    use crate::queue::{Engine, Job};
    use std::sync::{Arc, Mutex};
    let dir = tempfile::tempdir().unwrap();
    let (mut engine, _alive) = engine(dir.path());
    let mut setup = [Job::for_test(|tx| {
        tx.insert_org(&org("o")).is_ok()
            && tx
                .insert_session(&crate::sqlite_cache::tests::session("o", "s0"))
                .is_ok()
    })];
    assert!(engine.run_batch(&mut setup).is_ok());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (first, last) = (seen.clone(), seen.clone());
    let mut batch = [
        Job::for_test(move |tx| {
            let s = tx.session("o", "s0").ok().flatten();
            first.lock().unwrap().push(s.map(|s| s.total_calls));
            true
        }),
        Job::for_test(|tx| {
            if let Ok(Some(mut s)) = tx.session("o", "s0") {
                s.total_calls = 99;
                let _ = tx.update_session(&s);
            }
            false
        }),
        Job::for_test(move |tx| {
            let s = tx.session("o", "s0").ok().flatten();
            last.lock().unwrap().push(s.map(|s| s.total_calls));
            true
        }),
    ];
    assert!(engine.run_batch(&mut batch).is_ok());
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.last(), Some(&Some(0)), "{seen:?}");
    assert!(seen.iter().all(|n| *n == Some(0)), "{seen:?}");
}
