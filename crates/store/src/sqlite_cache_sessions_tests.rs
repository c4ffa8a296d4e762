//! The writer's kept session rows: every answer is the row as stored, whatever wrote it.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::tests::in_batch;
use super::*;
use crate::StoreError;
use crate::sql::Db;
use crate::sqlite_tx::SqliteTx;
use crate::tx::Tx;

fn at(seconds: i64, nanos: u32) -> DateTime<Utc> {
    tests::at(seconds, nanos)
}

fn session(id: &str) -> Session {
    tests::session("o", id)
}

/// A migrated store holding organization `o` and sessions `s0`…`s{n-1}`, with the writer's
/// connection and cache.
fn open(n: usize) -> (tempfile::TempDir, Connection, RowCache) {
    let ids: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
    let sessions: Vec<(&str, &str)> = ids.iter().map(|id| ("o", id.as_str())).collect();
    tests::writer_with(&sessions)
}

/// Session `id` as stored, read on a connection of its own with no cache.
fn stored(dir: &tempfile::TempDir, id: &str) -> Option<Session> {
    let conn = crate::sqlite::open_connection(&dir.path().join("airlock.db")).unwrap();
    let mut cache = RowCache::disabled();
    let mut db = SqliteTx::new(&conn, &mut cache);
    db.session("o", id).unwrap()
}

#[test]
fn a_read_session_is_kept_and_served_as_stored() {
    let (dir, conn, mut cache) = open(1);
    let first = in_batch(&conn, &mut cache, |db| db.session("o", "s0"));
    assert_eq!(cache.stats.session_hits, 0, "the first read reads the row");
    let second = in_batch(&conn, &mut cache, |db| db.session("o", "s0"));
    assert_eq!(cache.stats.session_hits, 1, "the second is the kept copy");
    assert_eq!(first, second);
    assert_eq!(second, stored(&dir, "s0"));
    // Absence is not kept: a session inserted later is read.
    assert!(in_batch(&conn, &mut cache, |db| db.session("o", "new")).is_none());
    in_batch(&conn, &mut cache, |db| db.insert_session(&session("new")));
    assert!(in_batch(&conn, &mut cache, |db| db.session("o", "new")).is_some());
}

#[test]
fn a_checks_update_changes_the_kept_copy_as_it_changes_the_row() {
    let (dir, conn, mut cache) = open(1);
    let mut s = in_batch(&conn, &mut cache, |db| db.session("o", "s0")).unwrap();
    s.total_calls = 7;
    s.read_calls = 4;
    s.write_calls = 2;
    s.denied_calls = 1;
    s.head = "ab".repeat(32);
    s.elevated_until = Some(at(600, 123_456_789));
    s.last_activity_at = at(60, 987_654_321);
    // Fields a check's update does not write: the kept copy must not take them either.
    s.base_mode = "read_write".into();
    s.scope_ceiling = vec!["everything".into()];
    in_batch(&conn, &mut cache, |db| db.update_session(&s));
    let kept = in_batch(&conn, &mut cache, |db| db.session("o", "s0"));
    assert_eq!(cache.stats.session_hits, 1, "the updated copy is kept");
    let row = stored(&dir, "s0");
    assert_eq!(kept, row, "kept as stored: microseconds, untouched columns");
    let row = row.unwrap();
    assert_eq!(row.base_mode, "read_only");
    assert_eq!(row.total_calls, 7);
    assert_eq!(row.elevated_until, Some(at(600, 123_456_000)));

    // Without activity the stored `last_activity_at` stays, and so does the kept one's.
    let mut s = kept.unwrap();
    s.total_calls = 8;
    s.last_activity_at = at(120, 5_000);
    s.elevated_until = None;
    in_batch(&conn, &mut cache, |db| db.update_session_calls(&s));
    let kept = in_batch(&conn, &mut cache, |db| db.session("o", "s0"));
    assert_eq!(cache.stats.session_hits, 2);
    assert_eq!(kept, stored(&dir, "s0"));
    assert_eq!(kept.unwrap().last_activity_at, at(60, 987_654_000));

    // A counter past what the column holds is kept capped, as stored.
    let mut s = stored(&dir, "s0").unwrap();
    s.denied_calls = u64::MAX;
    in_batch(&conn, &mut cache, |db| db.update_session_calls(&s));
    let kept = in_batch(&conn, &mut cache, |db| db.session("o", "s0"));
    assert_eq!(kept, stored(&dir, "s0"));
}

#[test]
fn a_checks_update_keeps_the_other_sessions_and_any_other_write_drops_them() {
    let (dir, conn, mut cache) = open(2);
    for id in ["s0", "s1"] {
        in_batch(&conn, &mut cache, |db| db.session("o", id));
    }
    let mut s0 = stored(&dir, "s0").unwrap();
    s0.total_calls = 1;
    in_batch(&conn, &mut cache, |db| db.update_session_calls(&s0));
    in_batch(&conn, &mut cache, |db| db.session("o", "s1"));
    assert_eq!(cache.stats.session_hits, 1, "s1 outlived s0's update");

    // A write that names `sessions` and is not a check's update of one row drops them all.
    let lock = sql!("UPDATE sessions SET base_mode = 'locked' WHERE org_id = $1");
    in_batch(&conn, &mut cache, |db| db.exec(lock, &[&"o"]));
    for id in ["s0", "s1"] {
        let read = in_batch(&conn, &mut cache, |db| db.session("o", id)).unwrap();
        assert_eq!(read.base_mode, "locked", "{id} read again after the write");
    }
    assert_eq!(cache.stats.session_hits, 1);

    // So does a new session's insert.
    in_batch(&conn, &mut cache, |db| db.insert_session(&session("s2")));
    in_batch(&conn, &mut cache, |db| db.session("o", "s0"));
    assert_eq!(cache.stats.session_hits, 1);
}

#[test]
fn a_commit_by_another_connection_drops_the_kept_sessions() {
    let (dir, conn, mut cache) = open(1);
    in_batch(&conn, &mut cache, |db| db.session("o", "s0"));
    let other = crate::sqlite::open_connection(&dir.path().join("airlock.db")).unwrap();
    other
        .execute("UPDATE sessions SET total_calls = 41 WHERE id = 's0'", [])
        .unwrap();
    let read = in_batch(&conn, &mut cache, |db| db.session("o", "s0")).unwrap();
    assert_eq!(read.total_calls, 41);
    assert_eq!(cache.stats.session_hits, 0);
}

#[test]
fn a_trigger_added_by_another_connection_makes_every_write_drop_the_kept_sessions() {
    let (dir, conn, mut cache) = open(1);
    in_batch(&conn, &mut cache, |db| db.session("o", "s0"));
    let other = crate::sqlite::open_connection(&dir.path().join("airlock.db")).unwrap();
    other
        .execute_batch(
            "CREATE TRIGGER t AFTER INSERT ON orgs BEGIN \
             UPDATE sessions SET base_mode = 'read_write'; END;",
        )
        .unwrap();
    in_batch(&conn, &mut cache, |db| db.session("o", "s0"));
    let second = tests::org("o2");
    in_batch(&conn, &mut cache, |db| db.insert_org(&second));
    let read = in_batch(&conn, &mut cache, |db| db.session("o", "s0")).unwrap();
    assert_eq!(read.base_mode, "read_write", "the trigger's change is read");
}

#[test]
fn a_cache_turned_off_keeps_no_session() {
    let (_dir, conn, mut cache) = open(1);
    cache.enabled = false;
    for _ in 0..2 {
        in_batch(&conn, &mut cache, |db| db.session("o", "s0"));
    }
    assert_eq!(cache.stats.session_hits, 0);
}

#[tokio::test]
async fn a_failed_request_leaves_its_session_update_nowhere() {
    let dir = tempfile::tempdir().unwrap();
    let store = tests::store_with_session(dir.path()).await;
    let failed = store
        .run(|tx| {
            let mut s = tx.session("o", "s0")?.unwrap_or_else(|| session("s0"));
            s.total_calls = 99;
            s.head = "ff".repeat(32);
            tx.update_session(&s)?;
            // Read back (the kept copy, updated), then fail.
            assert_eq!(tx.session("o", "s0")?.map(|s| s.total_calls), Some(99));
            Err::<(), _>(StoreError::Conflict("refused".into()))
        })
        .await;
    assert!(failed.is_err());
    let now = store.run(|tx| tx.session("o", "s0")).await.unwrap();
    assert_eq!(
        now.map(|s| s.total_calls),
        Some(0),
        "the rollback is served"
    );
}

/// A random run of a check's updates, other writes, failed requests and reads over a few
/// sessions: every read through the kept copies equals the row as stored.
#[test]
fn reads_equal_the_stored_rows_over_a_random_run() {
    let (dir, conn, mut cache) = open(3);
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for step in 0..600u32 {
        let id = format!("s{}", next(3));
        let (op, value, nanos) = (next(8), next(1 << 20), next(1_000_000_000) as u32);
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        cache.begin_batch(&conn).unwrap();
        let kept = {
            let mut db = SqliteTx::new(&conn, &mut cache);
            let mut s = db.session("o", &id).unwrap().unwrap();
            s.total_calls = value;
            s.head = format!("{value:064x}");
            s.last_activity_at = at(i64::from(step), nanos);
            s.elevated_until = (value % 2 == 0).then(|| at(i64::from(step) + 60, nanos));
            match op {
                0 | 1 => db.update_session(&s).unwrap(),
                2 | 3 => db.update_session_calls(&s).unwrap(),
                4 => {
                    let mode = sql!("UPDATE sessions SET base_mode = $1 WHERE id = $2");
                    db.exec(mode, &[&format!("m{value}"), &id]).unwrap();
                }
                _ => {}
            }
            db.session("o", &id).unwrap()
        };
        if op == 3 {
            // The request fails after its update: undone, as the writer undoes it.
            conn.execute_batch("ROLLBACK").unwrap();
            cache.clear();
        } else {
            conn.execute_batch("COMMIT").unwrap();
            assert_eq!(kept, stored(&dir, &id), "step {step}, op {op}");
        }
        let again = in_batch(&conn, &mut cache, |db| db.session("o", &id));
        assert_eq!(again, stored(&dir, &id), "step {step}, op {op}, next batch");
    }
    assert!(cache.stats.session_hits > 300, "{:?}", cache.stats);
}

/// An elevation's deadline is kept to the microsecond, as stored: a time between the two
/// compares the same with the kept copy as with the row.
#[test]
fn kept_elevations_compare_like_stored_ones() {
    let (dir, conn, mut cache) = open(1);
    let mut s = in_batch(&conn, &mut cache, |db| db.session("o", "s0")).unwrap();
    let until = at(0, 999_999_999);
    s.elevated_until = Some(until);
    in_batch(&conn, &mut cache, |db| db.update_session(&s));
    let kept = in_batch(&conn, &mut cache, |db| db.session("o", "s0")).unwrap();
    let row = stored(&dir, "s0").unwrap();
    // Half a microsecond after the stored deadline: expired for both, as stored.
    let probe = at(0, 999_999_500);
    assert_eq!(
        kept.elevated_until.map(|u| u > probe),
        row.elevated_until.map(|u| u > probe)
    );
    assert_eq!(kept.elevated_until, Some(at(0, 999_999_000)));
}

/// `exec_session_update`'s contract: a statement that changed no row (or more than one) is
/// not taken as the update of the kept row, and every kept session is read again.
#[test]
fn an_update_that_changed_other_than_one_row_drops_the_kept_copies() {
    let (dir, conn, mut cache) = open(2);
    for id in ["s0", "s1"] {
        in_batch(&conn, &mut cache, |db| db.session("o", id));
    }
    let apply = |s: &mut Session| {
        s.total_calls = 5;
        Ok(())
    };
    for (sql, changed) in [
        (
            sql!("UPDATE sessions SET total_calls = 6 WHERE org_id = $1 AND id = 'none'"),
            0,
        ),
        (
            sql!("UPDATE sessions SET total_calls = 7 WHERE org_id = $1"),
            2,
        ),
    ] {
        let n = in_batch(&conn, &mut cache, |db| {
            db.exec_session_update(sql, &[&"o"], ("o", "s0"), &apply)
        });
        assert_eq!(n, changed);
        let hits = cache.stats.session_hits;
        for id in ["s0", "s1"] {
            let read = in_batch(&conn, &mut cache, |db| db.session("o", id));
            assert_eq!(read, stored(&dir, id), "{id} after {changed} rows changed");
        }
        assert_eq!(cache.stats.session_hits, hits, "read again, not kept");
    }
}

/// Two organizations may name a session alike: each reads its own row.
#[test]
fn sessions_of_two_organizations_with_one_id_are_kept_apart() {
    let (dir, conn, mut cache) = open(1);
    let second = tests::org("o2");
    let mut theirs = session("s0");
    theirs.org_id = "o2".into();
    theirs.base_mode = "read_write".into();
    in_batch(&conn, &mut cache, |db| {
        db.insert_org(&second)?;
        db.insert_session(&theirs)
    });
    for _ in 0..3 {
        for (org_id, mode) in [("o", "read_only"), ("o2", "read_write")] {
            let read = in_batch(&conn, &mut cache, |db| db.session(org_id, "s0")).unwrap();
            assert_eq!(
                (read.org_id.as_str(), read.base_mode.as_str()),
                (org_id, mode)
            );
        }
    }
    // An update of one leaves the other's row (and its reads) alone.
    let mut ours = stored(&dir, "s0").unwrap();
    ours.total_calls = 3;
    in_batch(&conn, &mut cache, |db| db.update_session_calls(&ours));
    let read = in_batch(&conn, &mut cache, |db| db.session("o2", "s0")).unwrap();
    assert_eq!(read.total_calls, 0);
    let read = in_batch(&conn, &mut cache, |db| db.session("o", "s0")).unwrap();
    assert_eq!(read.total_calls, 3);
}

/// A trigger that changes the row a check updates: the check's copy is not kept, since the
/// row holds more than its update wrote.
#[test]
fn a_trigger_on_the_updated_row_keeps_no_copy() {
    let (dir, conn, mut cache) = open(1);
    let other = crate::sqlite::open_connection(&dir.path().join("airlock.db")).unwrap();
    other
        .execute_batch(
            "CREATE TRIGGER t AFTER UPDATE OF total_calls ON sessions BEGIN \
             UPDATE sessions SET base_mode = 'by_trigger' WHERE org_id = NEW.org_id \
             AND id = NEW.id; END;",
        )
        .unwrap();
    let mut s = in_batch(&conn, &mut cache, |db| db.session("o", "s0")).unwrap();
    s.total_calls = 1;
    in_batch(&conn, &mut cache, |db| db.update_session_calls(&s));
    let read = in_batch(&conn, &mut cache, |db| db.session("o", "s0")).unwrap();
    assert_eq!(read.base_mode, "by_trigger");
    assert_eq!(Some(read), stored(&dir, "s0"));
}
