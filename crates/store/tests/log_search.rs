//! The store contract for the console's searches (sessions, a session's log newest first, the
//! decision log with filters and keyset pages), on SQLite and PostgreSQL (as `contract.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use airlock_store::log_search::{ActionMatch, DecisionQuery, SessionQuery};
use airlock_store::model::*;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use common::Fresh;

fn org(id: &str) -> Org {
    Org {
        id: id.into(),
        name: id.into(),
        default_mode: "read_only".into(),
        created_at: Utc::now().trunc_subsecs(6),
    }
}

fn session(org: &str, id: &str, agent: &str, at: DateTime<Utc>) -> Session {
    Session {
        org_id: org.into(),
        id: id.into(),
        agent_id: agent.into(),
        server_id: Some("srv".into()),
        source: "mcp".into(),
        scope_ceiling: vec![],
        base_mode: if agent.ends_with('1') {
            "standard"
        } else {
            "read_only"
        }
        .into(),
        elevated_until: None,
        total_calls: 0,
        read_calls: 0,
        write_calls: 0,
        denied_calls: 0,
        head: "genesis".into(),
        created_at: at,
        last_activity_at: at,
    }
}

fn decision(s: &Session, seq: u64, at: DateTime<Utc>) -> Decision {
    Decision {
        org_id: s.org_id.clone(),
        session_id: s.id.clone(),
        seq,
        check_id: format!("chk_{}_{}_{seq}", s.org_id, s.id),
        agent_id: s.agent_id.clone(),
        action_name: ["db.query", "db.execute", "fs.write"][(seq % 3) as usize].into(),
        effect: ["read", "destructive", "mutating"][(seq % 3) as usize].into(),
        risk: "read".into(),
        allowed: !seq.is_multiple_of(2),
        reason: "r".into(),
        reasons: vec![],
        guard_tier: if seq.is_multiple_of(2) {
            "spot"
        } else {
            "fast"
        }
        .into(),
        confidence: 1.0,
        input_digest: "d".into(),
        input_summary: String::new(),
        approval_id: None,
        source: "mcp".into(),
        latency_us: 1,
        decided_at: at,
        key_id: String::new(),
        hash: "h".into(),
        rule: if seq.is_multiple_of(2) {
            "policy_forbid"
        } else {
            "allowed"
        }
        .into(),
    }
}

contract!(
    searches_are_scoped_filtered_and_keyset_paged,
    |fresh: Fresh| async move {
        let store = fresh.open();
        let t0 = Utc::now().trunc_subsecs(6) - Duration::hours(1);
        store
            .run(move |tx| {
                tx.insert_org(&org("o1"))?;
                tx.insert_org(&org("o2"))?;
                for (o, n) in [("o1", 4), ("o2", 2)] {
                    for k in 0..n {
                        let mut s = session(o, &format!("s{k}"), &format!("a{}", k % 2), t0);
                        tx.insert_session(&s)?;
                        for seq in 1..=10u64 {
                            // Two decisions share each instant: ties page by (session, seq).
                            let at = t0 + Duration::seconds((k * 10 + seq as i64) / 2);
                            tx.insert_decision(&decision(&s, seq, at))?;
                            s.last_activity_at = at;
                        }
                        s.total_calls = 10;
                        tx.update_session(&s)?;
                    }
                }
                Ok(())
            })
            .await
            .unwrap();
        let (sessions, all, denied, prefix, tier, log, window) = store
            .run(move |tx| {
                let mut sessions = Vec::new();
                let mut after = None;
                loop {
                    let q = SessionQuery {
                        after: after.clone(),
                        limit: 3,
                        ..Default::default()
                    };
                    let page = tx.search_sessions("o1", &q)?;
                    after = page.last().map(|s| (s.last_activity_at, s.id.clone()));
                    let done = page.len() < 3;
                    sessions.extend(page.into_iter().map(|s| s.id));
                    if done {
                        break;
                    }
                }
                let mut all = Vec::new();
                let mut after = None;
                loop {
                    let q = DecisionQuery {
                        after: after.clone(),
                        limit: 7,
                        ..Default::default()
                    };
                    let page = tx.search_decisions("o1", &q)?;
                    after = page
                        .last()
                        .map(|d| (d.decided_at, d.session_id.clone(), d.seq));
                    let done = page.len() < 7;
                    all.extend(
                        page.into_iter()
                            .map(|d| (d.decided_at, d.session_id, d.seq)),
                    );
                    if done {
                        break;
                    }
                }
                let q = |f: fn(&mut DecisionQuery)| {
                    let mut q = DecisionQuery {
                        limit: 100,
                        ..Default::default()
                    };
                    f(&mut q);
                    q
                };
                let denied = tx.search_decisions(
                    "o1",
                    &q(|q| {
                        q.allowed = Some(false);
                        q.agent_id = Some("a1".into());
                    }),
                )?;
                let prefix = tx.search_decisions(
                    "o1",
                    &q(|q| {
                        q.action = Some(ActionMatch::Prefix("db.".into()));
                        q.session_id = Some("s2".into());
                    }),
                )?;
                let tier = tx.search_decisions(
                    "o1",
                    &q(|q| {
                        q.rule = Some("policy_forbid".into());
                        q.effect = Some("read".into());
                    }),
                )?;
                let log = tx.session_decisions_before("o1", "s3", Some(5), 100)?;
                let window = tx.search_decisions(
                    "o1",
                    &DecisionQuery {
                        from: Some(t0 + Duration::seconds(3)),
                        to: Some(t0 + Duration::seconds(8)),
                        limit: 100,
                        ..Default::default()
                    },
                )?;
                Ok((sessions, all, denied, prefix, tier, log, window))
            })
            .await
            .unwrap();
        let mut ids = sessions.clone();
        ids.sort();
        assert_eq!(
            ids,
            vec!["s0", "s1", "s2", "s3"],
            "o1's sessions, once each"
        );
        assert_eq!(sessions[0], "s3", "latest activity first");
        assert_eq!(all.len(), 40);
        let mut unique = all.clone();
        unique.dedup();
        assert_eq!(unique.len(), 40, "every decision once");
        assert!(all.windows(2).all(|p| p[0] > p[1]), "newest first");
        assert_eq!(denied.len(), 10);
        assert!(
            denied
                .iter()
                .all(|d| !d.allowed && d.agent_id == "a1" && d.org_id == "o1")
        );
        assert_eq!(prefix.len(), 7);
        assert!(
            prefix
                .iter()
                .all(|d| d.session_id == "s2" && d.action_name.starts_with("db."))
        );
        assert!(
            tier.iter()
                .all(|d| d.rule == "policy_forbid" && d.effect == "read")
        );
        // policy_forbid (even seq) and read (seq % 3 == 0): seq 6 of each of the four sessions.
        assert_eq!(tier.len(), 4);
        assert_eq!(
            log.iter().map(|d| d.seq).collect::<Vec<_>>(),
            vec![4, 3, 2, 1]
        );
        // [t0+3s, t0+8s): seq 6..=10 of s0 and 1..=5 of s1.
        assert_eq!(window.len(), 10);
    }
);

contract!(
    one_sessions_decisions_page_by_sequence_number_within_the_time_window,
    |fresh: Fresh| async move {
        let store = fresh.open();
        let t0 = Utc::now().trunc_subsecs(6) - Duration::hours(1);
        store
            .run(move |tx| {
                tx.insert_org(&org("o1"))?;
                tx.insert_org(&org("o2"))?;
                for (o, id) in [("o1", "s1"), ("o1", "s2"), ("o2", "s1")] {
                    let s = session(o, id, "a1", t0);
                    tx.insert_session(&s)?;
                    for seq in 1..=12u64 {
                        tx.insert_decision(&decision(&s, seq, t0 + Duration::seconds(seq as i64)))?;
                    }
                }
                Ok(())
            })
            .await
            .unwrap();
        let (paged, window, denied) = store
            .run(move |tx| {
                let mut paged = Vec::new();
                let mut after = None;
                loop {
                    let q = DecisionQuery {
                        session_id: Some("s1".into()),
                        after: after.clone(),
                        limit: 5,
                        ..Default::default()
                    };
                    let page = tx.search_decisions("o1", &q)?;
                    after = page
                        .last()
                        .map(|d| (d.decided_at, d.session_id.clone(), d.seq));
                    let done = page.len() < 5;
                    paged.extend(page.into_iter().map(|d| (d.org_id, d.session_id, d.seq)));
                    if done {
                        break;
                    }
                }
                let window = tx.search_decisions(
                    "o1",
                    &DecisionQuery {
                        session_id: Some("s1".into()),
                        from: Some(t0 + Duration::seconds(4)),
                        to: Some(t0 + Duration::seconds(9)),
                        limit: 100,
                        ..Default::default()
                    },
                )?;
                let denied = tx.search_decisions(
                    "o1",
                    &DecisionQuery {
                        session_id: Some("s2".into()),
                        allowed: Some(false),
                        limit: 2,
                        ..Default::default()
                    },
                )?;
                Ok((paged, window, denied))
            })
            .await
            .unwrap();
        let want: Vec<(String, String, u64)> = (1..=12u64)
            .rev()
            .map(|seq| ("o1".to_string(), "s1".to_string(), seq))
            .collect();
        assert_eq!(paged, want, "every decision of o1's s1 once, newest first");
        let seqs: Vec<u64> = window.iter().map(|d| d.seq).collect();
        assert_eq!(
            seqs,
            vec![8, 7, 6, 5, 4],
            "[from, to) holds on the session's walk"
        );
        let seqs: Vec<u64> = denied.iter().map(|d| d.seq).collect();
        assert_eq!(seqs, vec![12, 10], "filters apply before the limit");
    }
);
