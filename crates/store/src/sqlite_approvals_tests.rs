//! The writer's kept open approvals: every check's approvals are those the store's own
//! statement finds, whatever wrote them.

use chrono::{DateTime, Duration, Utc};
use rusqlite::Connection;

use super::*;
use crate::StoreError;
use crate::sqlite_cache::RowCache;
use crate::sqlite_tx::SqliteTx;
use crate::tx::Tx;

fn t(seconds: i64, nanos: u32) -> DateTime<Utc> {
    crate::sqlite_cache::tests::at(seconds, nanos)
}

fn approval(org: &str, session: &str, id: &str) -> Approval {
    Approval {
        id: id.into(),
        org_id: org.into(),
        session_id: session.into(),
        agent_id: "a".into(),
        kind: "call".into(),
        action_name: "db.query".into(),
        action_effect: "destructive".into(),
        input_digest: "d0".into(),
        reason: "r".into(),
        status: "pending".into(),
        created_at: t(0, 0),
        expires_at: t(900, 0),
        decided_by: None,
        decided_at: None,
        used_at: None,
        input: None,
        reasons: vec![],
        note: None,
    }
}

/// A migrated store with organizations `o` and `p`, sessions `s0`…`s2` in `o` and `s0` in
/// `p`, the writer's connection and its cache.
fn open() -> (tempfile::TempDir, Connection, RowCache) {
    crate::sqlite_cache::tests::writer_with(&[("o", "s0"), ("o", "s1"), ("o", "s2"), ("p", "s0")])
}

fn batch<R>(
    conn: &Connection,
    cache: &mut RowCache,
    f: impl FnOnce(&mut SqliteTx<'_, '_>) -> crate::sql::Result<R>,
) -> R {
    crate::sqlite_cache::tests::in_batch(conn, cache, f)
}

/// What the store's own statement finds, on a connection of its own with no cache.
fn stored(
    dir: &tempfile::TempDir,
    org: &str,
    session: &str,
    digest: &str,
    now: DateTime<Utc>,
) -> SessionApprovals {
    let conn = crate::sqlite::open_connection(&dir.path().join("airlock.db")).unwrap();
    let mut cache = RowCache::disabled();
    let mut db = SqliteTx::new(&conn, &mut cache);
    db.session_approvals(org, session, "db.query", digest, now)
        .unwrap()
}

#[test]
fn a_sessions_approvals_are_read_once_and_then_answered_as_stored() {
    let (dir, conn, mut cache) = open();
    let mut pending = approval("o", "s0", "apr_1");
    pending.created_at = t(1, 123_456_789);
    let mut elevation = approval("o", "s0", "apr_2");
    elevation.kind = "elevation".into();
    batch(&conn, &mut cache, |db| {
        db.insert_approval(&pending)?;
        db.insert_approval(&elevation)
    });
    let now = t(10, 0);
    let first = batch(&conn, &mut cache, |db| {
        db.session_approvals("o", "s0", "db.query", "d0", now)
    });
    assert_eq!(cache.approvals.hits, 0, "read whole first");
    for digest in ["d0", "d1"] {
        let kept = batch(&conn, &mut cache, |db| {
            db.session_approvals("o", "s0", "db.query", digest, now)
        });
        assert_eq!(kept, stored(&dir, "o", "s0", digest, now), "{digest}");
    }
    assert_eq!(cache.approvals.hits, 2);
    assert_eq!(first.call.pending.as_deref(), Some("apr_1"));
    assert_eq!(first.elevation.as_deref(), Some("apr_2"));
    // An approval inserted by `insert_approval` joins the kept list.
    let mut approved = approval("o", "s0", "apr_3");
    approved.status = "approved".into();
    approved.input_digest = "d1".into();
    batch(&conn, &mut cache, |db| db.insert_approval(&approved));
    let kept = batch(&conn, &mut cache, |db| {
        db.session_approvals("o", "s0", "db.query", "d1", now)
    });
    assert_eq!(cache.approvals.hits, 3, "still kept after the insert");
    assert_eq!(kept.call.approved.as_deref(), Some("apr_3"));
    assert_eq!(kept, stored(&dir, "o", "s0", "d1", now));
}

#[test]
fn a_decision_or_any_other_write_to_approvals_drops_the_lists() {
    let (dir, conn, mut cache) = open();
    let a = approval("o", "s0", "apr_1");
    batch(&conn, &mut cache, |db| db.insert_approval(&a));
    let now = t(10, 0);
    let read = |conn: &Connection, cache: &mut RowCache| {
        batch(conn, cache, |db| {
            db.session_approvals("o", "s0", "db.query", "d0", now)
        })
    };
    read(&conn, &mut cache);
    let mut used = a.clone();
    used.status = "approved".into();
    used.used_at = Some(t(5, 0));
    batch(&conn, &mut cache, |db| db.update_approval(&used));
    let hits = cache.approvals.hits;
    let after = read(&conn, &mut cache);
    assert_eq!(cache.approvals.hits, hits, "read again after the update");
    assert_eq!(after, stored(&dir, "o", "s0", "d0", now));
    assert_eq!(after.call.approved, None, "a used approval is not served");

    // An announced insert leaks to no other write: the write after it drops the lists.
    read(&conn, &mut cache);
    let hand = sql!("UPDATE approvals SET status = 'pending', used_at = NULL WHERE id = $1");
    batch(&conn, &mut cache, |db| {
        db.expect_approval_insert("o", "s0");
        db.exec(hand, &[&"apr_1"])
    });
    let hits = cache.approvals.hits;
    let after = read(&conn, &mut cache);
    assert_eq!(cache.approvals.hits, hits);
    assert_eq!(after.call.pending.as_deref(), Some("apr_1"));
}

#[test]
fn only_an_insert_into_the_approvals_table_is_the_announced_one() {
    let mut kept = KeptApprovals::default();
    for (text, keeps) in [
        ("INSERT INTO approvals (id) VALUES ($1)", true),
        ("  insert into approvals(id) VALUES ($1)", true),
        ("INSERT INTO approvals_archive (id) VALUES ($1)", false),
        ("UPDATE approvals SET status = 'x'", false),
        ("INSERT INTO approval", false),
    ] {
        kept.keep("o", "s0", vec![]);
        kept.expect_insert("o", "s0");
        kept.before_write(text);
        assert_eq!(kept.get("o", "s0").is_some(), keeps, "{text}");
        kept.inserting = None;
    }
}

#[test]
fn a_failed_insert_drops_the_lists() {
    let (dir, conn, mut cache) = open();
    let a = approval("o", "s0", "apr_1");
    batch(&conn, &mut cache, |db| db.insert_approval(&a));
    let now = t(10, 0);
    batch(&conn, &mut cache, |db| {
        db.session_approvals("o", "s0", "db.query", "d0", now)
    });
    // The same id again: the insert fails, the request goes on.
    let mut again = a.clone();
    again.input_digest = "d9".into();
    batch(&conn, &mut cache, |db| {
        assert!(db.insert_approval(&again).is_err());
        Ok(())
    });
    let hits = cache.approvals.hits;
    let read = batch(&conn, &mut cache, |db| {
        db.session_approvals("o", "s0", "db.query", "d9", now)
    });
    assert_eq!(cache.approvals.hits, hits, "read again");
    assert_eq!(read, stored(&dir, "o", "s0", "d9", now));
    assert_eq!(read.call.pending, None);
}

#[tokio::test]
async fn a_rolled_back_insert_is_not_served() {
    let dir = tempfile::tempdir().unwrap();
    let store = crate::sqlite_cache::tests::store_with_session(dir.path()).await;
    let now = t(10, 0);
    store
        .run(move |tx| tx.session_approvals("o", "s0", "db.query", "d0", now))
        .await
        .unwrap();
    let failed = store
        .run(move |tx| {
            let mut a = approval("o", "s0", "apr_1");
            a.status = "approved".into();
            tx.insert_approval(&a)?;
            let seen = tx.session_approvals("o", "s0", "db.query", "d0", now)?;
            assert_eq!(seen.call.approved.as_deref(), Some("apr_1"));
            Err::<(), _>(StoreError::Conflict("refused".into()))
        })
        .await;
    assert!(failed.is_err());
    let now_read = store
        .run(move |tx| tx.session_approvals("o", "s0", "db.query", "d0", now))
        .await
        .unwrap();
    assert_eq!(now_read.call.approved, None, "the rollback is served");
}

/// A random run of inserts (every kind, status and use), decisions, hand-written writes,
/// rollbacks and reads at random times over sessions of two organizations with one id:
/// every answer equals what the store's own statement finds.
#[test]
fn answers_equal_the_stores_statement_over_a_random_run() {
    let (dir, conn, mut cache) = open();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    let places = [("o", "s0"), ("o", "s1"), ("o", "s2"), ("p", "s0")];
    let mut ids = Vec::new();
    for step in 0..800u32 {
        let (org, session_id) = places[next(4) as usize];
        let digest = format!("d{}", next(3));
        let now = t(
            i64::from(step) + next(600) as i64,
            next(1_000_000_000) as u32,
        );
        let op = next(10);
        conn.execute_batch("BEGIN IMMEDIATE").unwrap();
        cache.begin_batch(&conn).unwrap();
        let answer = {
            let mut db = SqliteTx::new(&conn, &mut cache);
            match op {
                0..=2 => {
                    let mut a = approval(org, session_id, &format!("apr_{step}"));
                    a.kind = ["call", "call", "elevation", "other"][next(4) as usize].into();
                    a.status =
                        ["pending", "approved", "denied", "expired"][next(4) as usize].into();
                    a.input_digest = digest.clone();
                    a.action_name = ["db.query", "shell.exec"][next(2) as usize].into();
                    a.used_at = (next(4) == 0).then(|| t(1, 0));
                    a.created_at = t(
                        i64::from(step) - next(50) as i64,
                        next(1_000_000) as u32 * 1000 + 7,
                    );
                    a.expires_at = a.created_at + Duration::seconds(next(900) as i64);
                    db.insert_approval(&a).unwrap();
                    ids.push((org, a));
                }
                3 if !ids.is_empty() => {
                    let i = next(ids.len() as u64) as usize;
                    let (_, a) = &mut ids[i];
                    a.status = ["pending", "approved", "denied"][next(3) as usize].into();
                    a.used_at = (next(2) == 0).then(|| t(2, 0));
                    db.update_approval(a).unwrap();
                }
                4 => {
                    let expire = sql!("UPDATE approvals SET expires_at = $1 WHERE session_id = $2");
                    db.exec(expire, &[&crate::model::ts(now), &session_id])
                        .unwrap();
                }
                _ => {}
            }
            db.session_approvals(org, session_id, "db.query", &digest, now)
                .unwrap()
        };
        if op == 5 {
            conn.execute_batch("ROLLBACK").unwrap();
            cache.clear();
        } else {
            conn.execute_batch("COMMIT").unwrap();
            assert_eq!(
                answer,
                stored(&dir, org, session_id, &digest, now),
                "step {step}, op {op}"
            );
        }
        let again = batch(&conn, &mut cache, |db| {
            db.session_approvals(org, session_id, "db.query", &digest, now)
        });
        assert_eq!(
            again,
            stored(&dir, org, session_id, &digest, now),
            "step {step}, op {op}, next batch"
        );
    }
    assert!(cache.approvals.hits > 400, "{}", cache.approvals.hits);
}

#[test]
fn a_cache_turned_off_keeps_no_approvals() {
    let (dir, conn, mut cache) = open();
    cache.set_enabled(false);
    let now = t(10, 0);
    for _ in 0..2 {
        let read = batch(&conn, &mut cache, |db| {
            db.session_approvals("o", "s0", "db.query", "d0", now)
        });
        assert_eq!(read, stored(&dir, "o", "s0", "d0", now));
    }
    assert_eq!(cache.approvals.hits, 0);
}

/// An inserted row joins the list as the statement would read it: a used approval is not
/// open, and an expiry is compared as stored, to the microsecond.
#[test]
fn an_inserted_row_is_kept_as_the_statement_reads_it() {
    let (dir, conn, mut cache) = open();
    let now = t(100, 0);
    batch(&conn, &mut cache, |db| {
        db.session_approvals("o", "s0", "db.query", "d0", now)
    });
    let mut used = approval("o", "s0", "apr_used");
    used.status = "approved".into();
    used.used_at = Some(t(50, 0));
    // Expires 500 ns after `now`: stored as `now` itself, so already expired.
    let mut brief = approval("o", "s0", "apr_brief");
    brief.expires_at = t(100, 500);
    batch(&conn, &mut cache, |db| {
        db.insert_approval(&used)?;
        db.insert_approval(&brief)
    });
    let hits = cache.approvals.hits;
    let kept = batch(&conn, &mut cache, |db| {
        db.session_approvals("o", "s0", "db.query", "d0", now)
    });
    assert_eq!(cache.approvals.hits, hits + 1, "answered from the list");
    assert_eq!(kept, stored(&dir, "o", "s0", "d0", now));
    assert_eq!(kept, SessionApprovals::default());
}

/// Two pending approvals created in one microsecond are taken by id, whichever of them was
/// read and whichever inserted: the inserted one's creation is kept as stored.
#[test]
fn approvals_created_in_one_microsecond_are_ordered_by_id() {
    let (dir, conn, mut cache) = open();
    let now = t(10, 0);
    let mut first = approval("o", "s0", "apr_a");
    first.created_at = t(1, 1_900);
    batch(&conn, &mut cache, |db| db.insert_approval(&first));
    batch(&conn, &mut cache, |db| {
        db.session_approvals("o", "s0", "db.query", "d0", now)
    });
    let mut second = approval("o", "s0", "apr_b");
    second.created_at = t(1, 1_200);
    batch(&conn, &mut cache, |db| db.insert_approval(&second));
    let kept = batch(&conn, &mut cache, |db| {
        db.session_approvals("o", "s0", "db.query", "d0", now)
    });
    assert_eq!(kept, stored(&dir, "o", "s0", "d0", now));
    assert_eq!(kept.call.pending.as_deref(), Some("apr_a"));
}

/// A session with more open approvals than a list holds is answered by the per-input
/// statement, each time, until the lists are next dropped; its answers stay exact.
#[test]
fn a_session_with_too_many_open_approvals_reads_its_input_only() {
    let (dir, conn, mut cache) = open();
    let now = t(10, 0);
    batch(&conn, &mut cache, |db| {
        db.session_approvals("o", "s0", "db.query", "d0", now)
    });
    for i in 0..=MAX_PER_SESSION {
        let mut a = approval("o", "s0", &format!("apr_{i:03}"));
        a.input_digest = format!("d{i}");
        batch(&conn, &mut cache, |db| db.insert_approval(&a));
    }
    let hits = cache.approvals.hits;
    for digest in ["d0", "d7", "none"] {
        let read = batch(&conn, &mut cache, |db| {
            db.session_approvals("o", "s0", "db.query", digest, now)
        });
        assert_eq!(read, stored(&dir, "o", "s0", digest, now), "{digest}");
    }
    assert_eq!(cache.approvals.hits, hits, "never from a list");
    assert!(cache.approvals.crowded("s0"));
    assert!(!cache.approvals.crowded("s1"));
    cache.clear();
    assert!(
        !cache.approvals.crowded("s0"),
        "a hint until the lists are dropped"
    );
}

/// Memory stays bounded whatever the sessions: empty lists count against a bound of their
/// own.
#[test]
fn the_lists_are_bounded_in_sessions_as_in_rows() {
    let mut kept = KeptApprovals::default();
    for i in 0..(MAX_SESSIONS * 2) {
        kept.keep("o", &format!("s{i}"), vec![]);
        assert!(kept.sessions.len() <= MAX_SESSIONS);
    }
    let open = OpenApproval::of(&approval("o", "s", "apr")).unwrap();
    for i in 0..(MAX_SESSIONS * 2) {
        kept.keep(
            "o",
            &format!("c{i}"),
            vec![open.clone(); MAX_PER_SESSION + 1],
        );
        assert!(kept.crowded.len() <= MAX_SESSIONS);
    }
    for i in 0..(MAX_ROWS / MAX_PER_SESSION * 2) {
        kept.keep("o", &format!("r{i}"), vec![open.clone(); MAX_PER_SESSION]);
        assert!(kept.rows <= MAX_ROWS);
    }
}

/// Appends count against the bound too: lists kept empty, then filled by inserts.
#[test]
fn inserts_into_kept_lists_stay_within_the_row_bound() {
    let mut kept = KeptApprovals::default();
    let sessions = MAX_ROWS / 32 + 10;
    for i in 0..sessions {
        kept.keep("o", &format!("s{i}"), vec![]);
    }
    for n in 0..40 {
        for i in 0..sessions {
            let a = approval("o", &format!("s{i}"), &format!("apr_{i}_{n}"));
            kept.expect_insert("o", &a.session_id);
            kept.inserted(&a, true);
            assert!(kept.rows <= MAX_ROWS, "{} rows", kept.rows);
        }
    }
}

/// A session whose open approvals are already past a list's bound when first read is read
/// by input (the whole read stops one row past the bound), exactly.
#[test]
fn a_session_first_read_past_the_bound_is_read_by_input() {
    let (dir, conn, mut cache) = open();
    let now = t(10, 0);
    batch(&conn, &mut cache, |db| {
        for i in 0..(MAX_PER_SESSION * 3) {
            let mut a = approval("o", "s1", &format!("apr_{i:03}"));
            a.input_digest = format!("d{}", i % 5);
            db.insert_approval(&a)?;
        }
        // Last in the index: past where a cut-short read stops.
        let mut late = approval("o", "s1", "apr_late");
        late.input_digest = "late".into();
        db.insert_approval(&late)
    });
    let late = batch(&conn, &mut cache, |db| {
        db.session_approvals("o", "s1", "db.query", "late", now)
    });
    assert_eq!(late.call.pending.as_deref(), Some("apr_late"));
    for digest in ["d0", "d4", "d9", "late"] {
        let read = batch(&conn, &mut cache, |db| {
            db.session_approvals("o", "s1", "db.query", digest, now)
        });
        assert_eq!(read, stored(&dir, "o", "s1", digest, now), "{digest}");
    }
    assert_eq!(cache.approvals.hits, 0);
    assert!(cache.approvals.crowded("s1"));
}

/// An announcement dropped with the lists (its request failed before its insert) exempts no
/// later write.
#[test]
fn a_dropped_announcement_exempts_nothing() {
    let mut kept = KeptApprovals::default();
    kept.expect_insert("o", "s0");
    kept.clear();
    kept.keep("o", "s0", vec![]);
    kept.before_write("INSERT INTO approvals (id) VALUES ($1)");
    assert!(kept.get("o", "s0").is_none());
}
