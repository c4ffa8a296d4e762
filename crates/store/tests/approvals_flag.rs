//! A session that has never had an approval needs no approvals read (migration 20): the check's
//! joined read says so from the session's own row (`CheckReads::may_have_approvals`), which every
//! approval's insert marks (a trigger, so older builds' inserts too), in its organization only.
//! On PostgreSQL, where the read is a round trip; SQLite always reads (true).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use airlock_store::model::*;
use chrono::{DateTime, SubsecRound, Utc};
use common::Fresh;

fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

fn org(id: &str) -> Org {
    Org {
        id: id.into(),
        name: format!("{id}-name"),
        default_mode: "read_only".into(),
        created_at: now(),
    }
}

fn session(org: &str, id: &str) -> Session {
    Session {
        org_id: org.into(),
        id: id.into(),
        agent_id: "agt_1".into(),
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
        created_at: now(),
        last_activity_at: now(),
    }
}

fn approval(org: &str, id: &str, session: &str, kind: &str) -> Approval {
    Approval {
        id: id.into(),
        org_id: org.into(),
        session_id: session.into(),
        agent_id: "agt_1".into(),
        kind: kind.into(),
        action_name: "db.drop".into(),
        action_effect: "destructive".into(),
        input_digest: "abc".into(),
        reason: "needs a person".into(),
        status: "pending".into(),
        created_at: now(),
        expires_at: now() + chrono::Duration::seconds(600),
        decided_by: None,
        decided_at: None,
        used_at: None,
        input: None,
        reasons: Vec::new(),
        note: None,
    }
}

contract!(
    a_session_without_approvals_needs_no_approvals_read,
    |fresh: Fresh| async move {
        let store = fresh.open();
        let pg = fresh.is_postgres();
        store
            .run(|tx| {
                tx.insert_org(&org("o1"))?;
                tx.insert_org(&org("o2"))?;
                for (o, s) in [("o1", "s1"), ("o1", "s2"), ("o1", "s3"), ("o2", "s1")] {
                    tx.insert_session(&session(o, s))?;
                }
                Ok(())
            })
            .await
            .unwrap();
        let flags = |cases: &'static [(&'static str, &'static str)]| {
            let store = store.clone();
            async move {
                store
                    .run(move |tx| {
                        cases
                            .iter()
                            .map(|(o, s)| {
                                Ok(tx.check_reads(o, "agt_1", s, "db.drop")?.may_have_approvals)
                            })
                            .collect::<Result<Vec<bool>, _>>()
                    })
                    .await
                    .unwrap()
            }
        };
        const ALL: &[(&str, &str)] = &[
            ("o1", "s1"),
            ("o1", "s2"),
            ("o1", "s3"),
            ("o2", "s1"),
            ("o1", "nope"),
        ];
        // New sessions have none; a session not yet created is read as it always was.
        assert_eq!(flags(ALL).await, [!pg, !pg, !pg, !pg, true]);
        // A call's approval and an elevation, each marks its own session (not another
        // organization's session of the same id); in the transaction that inserts it.
        let seen_in_tx = store
            .run(|tx| {
                tx.insert_approval(&approval("o1", "apr_1", "s1", "call"))?;
                tx.insert_approval(&approval("o1", "apr_2", "s2", "elevation"))?;
                Ok(tx
                    .check_reads("o1", "agt_1", "s1", "db.drop")?
                    .may_have_approvals)
            })
            .await
            .unwrap();
        assert!(seen_in_tx);
        assert_eq!(flags(ALL).await, [true, true, !pg, !pg, true]);
        // Decided, used or expired, an approval keeps its session marked.
        store
            .run(|tx| {
                let mut a = tx.approval("o1", "apr_1")?.unwrap();
                a.status = "approved".into();
                a.used_at = Some(now());
                tx.update_approval(&a)
            })
            .await
            .unwrap();
        assert_eq!(flags(&[("o1", "s1")]).await, [true]);
        // A rolled-back approval leaves no mark.
        let undone = store
            .run(|tx| {
                tx.insert_approval(&approval("o1", "apr_3", "s3", "call"))?;
                Err::<(), _>(airlock_store::StoreError::Conflict("undone".into()))
            })
            .await;
        assert!(undone.is_err());
        assert_eq!(flags(&[("o1", "s3")]).await, [!pg]);
        // An approval inserted by a build from before migration 20 (a replica not yet
        // replaced in a rolling upgrade), which knows nothing of the mark, marks its session;
        // so does one inserted with an empty search path (a data-only restore).
        if let airlock_store::Backend::Postgres(url) = &fresh.backend {
            let url = url.clone();
            std::thread::spawn(move || {
                let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                let schema: String = c.query_one("SELECT current_schema()", &[]).unwrap().get(0);
                c.batch_execute("SET search_path = ''").unwrap();
                c.batch_execute(&format!(
                    "INSERT INTO {schema}.approvals (id, org_id, session_id, agent_id, kind, \
                     action_name, action_effect, input_digest, reason, status, created_at, \
                     expires_at) VALUES ('apr_old', 'o1', 's3', 'agt_1', 'call', 'db.drop', \
                     'destructive', 'abc', 'needs a person', 'pending', \
                     '2026-01-01T00:00:00.000000Z', '2099-01-01T00:00:00.000000Z')"
                ))
                .unwrap();
            })
            .join()
            .unwrap();
            assert_eq!(flags(&[("o1", "s3"), ("o2", "s1")]).await, [true, false]);
        }
    }
);
