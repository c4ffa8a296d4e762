//! The store contract for a check's joined reads and writes (`Tx::check_reads`,
//! `Tx::session_approvals`, `Tx::record_decision`): on PostgreSQL one statement each, on
//! SQLite the reads one by one; either way the same answers as the single reads, scoped to
//! the organization, and the session locked as `Tx::session` locks it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use airlock_store::model::*;
use airlock_store::siem::SiemDestination;
use airlock_store::{CheckReads, KeyReads, SessionApprovals, StoreError, Tuning, Tx};
use common::Fresh;
use common::fixtures::{agent, api_key, decision, no_reviewers, now, org, pin, server, session};
use serde_json::json;

#[allow(clippy::too_many_arguments)]
fn approval(
    org: &str,
    id: &str,
    session: &str,
    kind: &str,
    status: &str,
    action: &str,
    digest: &str,
    expires_in: i64,
    age: i64,
) -> Approval {
    Approval {
        id: id.into(),
        org_id: org.into(),
        session_id: session.into(),
        agent_id: "agt_1".into(),
        kind: kind.into(),
        action_name: action.into(),
        action_effect: "destructive".into(),
        input_digest: digest.into(),
        reason: "needs a person".into(),
        status: status.into(),
        created_at: now() - chrono::Duration::seconds(age),
        expires_at: now() + chrono::Duration::seconds(expires_in),
        decided_by: None,
        decided_at: None,
        used_at: None,
        input: None,
        reasons: Vec::new(),
        note: None,
    }
}

/// The reads `Tx::check_reads` stands for, one by one.
fn single_reads(
    tx: &mut dyn Tx,
    org: &str,
    agent: &str,
    sid: &str,
    action: &str,
) -> Result<CheckReads, StoreError> {
    let session = tx.session(org, sid)?;
    let server = match session.as_ref().and_then(|s| s.server_id.clone()) {
        Some(id) => tx.server(org, &id)?.map(std::sync::Arc::new),
        None => None,
    };
    let pin = match &server {
        Some(v) => tx.tool_pin(org, &v.id, action)?,
        None => None,
    };
    Ok(CheckReads {
        agent: tx.agent(org, agent)?,
        session,
        server,
        pin,
        reviewers: tx.reviewer_set(org)?,
        policy_generation: tx.policy_generation(org)?,
        siem: tx.siem_targets(org)?,
        server_has_pins: true,
        may_have_approvals: true,
    })
}

contract!(
    check_reads_answer_as_the_single_reads,
    |fresh: Fresh| async move {
        let store = fresh.open();
        store
            .run(|tx| {
                tx.insert_org(&org("o1"))?;
                tx.insert_org(&org("o2"))?;
                tx.insert_agent(&agent("o1", "agt_1"))?;
                tx.insert_server(&server("o1", "srv_1", "active", Some(vec!["db.*".into()])))?;
                tx.insert_server(&server("o1", "srv_gone", "deleted", None))?;
                tx.insert_server(&server("o1", "srv_open", "active", None))?;
                tx.put_tool_pin(&pin("o1", "srv_1", "db.query", "changed"))?;
                tx.put_tool_pin(&pin("o1", "srv_gone", "db.query", "pinned"))?;
                // Server ids are global: another organization's pin under o1's server is
                // never o1's (s4's server has none of its own).
                tx.put_tool_pin(&pin("o2", "srv_open", "db.query", "pinned"))?;
                tx.put_reviewer_set(&no_reviewers("o1"))?;
                tx.bump_policy_generation("o1")?;
                tx.bump_policy_generation("o1")?;
                for (id, active) in [("siem_on", true), ("siem_off", false)] {
                    tx.insert_siem_destination(&SiemDestination {
                        id: id.into(),
                        org_id: "o1".into(),
                        name: id.into(),
                        destination_type: "webhook".into(),
                        endpoint_url: "https://siem.example/collect".into(),
                        auth_token: "enc:v1:00".into(),
                        token_hint: "wxyz".into(),
                        is_active: active,
                        batch_size: 100,
                        flush_interval_seconds: 5,
                        filter_event_types: vec!["decision.denied".into(), "é\"".into()],
                        created_at: now(),
                        updated_at: now(),
                    })?;
                }
                tx.set_siem_backlog("siem_on", 7, 5)?;
                tx.insert_session(&session("o1", "s1", "agt_1", Some("srv_1")))?;
                tx.insert_session(&session("o1", "s2", "agt_1", Some("srv_gone")))?;
                tx.insert_session(&session("o1", "s3", "agt_1", None))?;
                tx.insert_session(&session("o1", "s4", "agt_1", Some("srv_open")))?;
                // Another organization's session of the same id, bound to o1's server: nothing
                // of o1 is read through it.
                tx.insert_session(&session("o2", "s1", "agt_1", Some("srv_1")))?;
                Ok(())
            })
            .await
            .unwrap();
        let cases = [
            ("o1", "agt_1", "s1", "db.query"),
            ("o1", "agt_1", "s1", "db_query"),
            ("o1", "agt_1", "s2", "db.query"),
            ("o1", "agt_1", "s3", "db.query"),
            ("o1", "agt_1", "s4", "db.query"),
            ("o1", "agt_1", "nope", "db.query"),
            ("o1", "agt_x", "s1", "db.query"),
            ("o2", "agt_1", "s1", "db.query"),
            ("o3", "agt_1", "s1", "db.query"),
        ];
        for (o, a, s, action) in cases {
            let (joined, single) = store
                .run(move |tx| {
                    let joined = tx.check_reads(o, a, s, action)?;
                    Ok((joined, single_reads(tx, o, a, s, action)?))
                })
                .await
                .unwrap();
            // Whether the server has pins is asked only by the joined read; it never says
            // none when there are some.
            assert_eq!(
                CheckReads {
                    server_has_pins: single.server_has_pins,
                    may_have_approvals: single.may_have_approvals,
                    ..joined.clone()
                },
                single,
                "{o} {a} {s} {action}"
            );
            let pins = match single.server.as_ref().map(|v| v.id.clone()) {
                Some(v) => store
                    .run(move |tx| tx.tool_pins(o, &v))
                    .await
                    .unwrap()
                    .len(),
                None => 0,
            };
            assert!(joined.server_has_pins || pins == 0, "{o} {s}");
            if fresh.is_postgres() {
                assert_eq!(joined.server_has_pins, pins > 0, "{o} {s}");
            }
        }
        let (hit, other_org) = store
            .run(|tx| {
                Ok((
                    tx.check_reads("o1", "agt_1", "s1", "db.query")?,
                    tx.check_reads("o2", "agt_1", "s1", "db.query")?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(hit.agent.unwrap().metadata, json!({"k": [1, "é"]}));
        assert_eq!(hit.session.unwrap().server_id.as_deref(), Some("srv_1"));
        assert_eq!(hit.server.unwrap().capabilities, Some(vec!["db.*".into()]));
        assert_eq!(hit.pin.unwrap().status, "changed");
        assert!(hit.reviewers.is_some());
        assert_eq!(hit.policy_generation, 2);
        assert_eq!(hit.siem.len(), 1);
        assert_eq!(hit.siem[0].id, "siem_on");
        assert_eq!(hit.siem[0].backlog, 7);
        assert_eq!(hit.siem[0].filter_event_types[1], "é\"");
        assert!(other_org.agent.is_none());
        assert_eq!(other_org.session.unwrap().org_id, "o2");
        assert!(other_org.server.is_none() && other_org.pin.is_none());
        assert!(other_org.reviewers.is_none());
        assert_eq!(other_org.policy_generation, 0);
        assert!(other_org.siem.is_empty());
    }
);

contract!(
    session_approvals_answer_as_the_single_reads,
    |fresh: Fresh| async move {
        let store = fresh.open();
        let (d, e) = ("d".repeat(64), "e".repeat(64));
        store
            .run(move |tx| {
                tx.insert_org(&org("o1"))?;
                tx.insert_org(&org("o2"))?;
                let rows = [
                    approval(
                        "o1", "a_old", "s1", "call", "approved", "db.query", &d, 60, 30,
                    ),
                    approval(
                        "o1", "a_new", "s1", "call", "approved", "db.query", &d, 60, 10,
                    ),
                    approval("o1", "p_1", "s1", "call", "pending", "db.query", &d, 60, 20),
                    approval(
                        "o1", "x_exp", "s1", "call", "approved", "db.query", &d, -5, 40,
                    ),
                    approval(
                        "o1", "x_dig", "s1", "call", "approved", "db.query", &e, 60, 50,
                    ),
                    approval(
                        "o1", "x_act", "s1", "call", "approved", "db.drop", &d, 60, 50,
                    ),
                    approval(
                        "o1", "x_den", "s1", "call", "denied", "db.query", &d, 60, 50,
                    ),
                    approval(
                        "o1", "x_ses", "s2", "call", "approved", "db.query", &d, 60, 50,
                    ),
                    approval("o1", "e_1", "s1", "elevation", "pending", "*", "", 60, 5),
                    approval("o1", "e_exp", "s1", "elevation", "pending", "*", "", -5, 50),
                    approval("o1", "e_ok", "s1", "elevation", "approved", "*", "", 60, 50),
                    approval(
                        "o2", "o2_a", "s1", "call", "approved", "db.query", &d, 60, 90,
                    ),
                    approval("o2", "o2_e", "s1", "elevation", "pending", "*", "", 60, 90),
                ];
                for a in rows {
                    tx.insert_approval(&a)?;
                }
                let mut used = approval(
                    "o1", "x_used", "s1", "call", "approved", "db.query", &d, 60, 90,
                );
                used.used_at = Some(now());
                tx.insert_approval(&used)
            })
            .await
            .unwrap();
        let d = "d".repeat(64);
        let cases = [
            ("o1", "s1", "db.query", d.clone()),
            ("o1", "s1", "db.drop", d.clone()),
            ("o1", "s2", "db.query", d.clone()),
            ("o1", "s3", "db.query", d.clone()),
            ("o2", "s1", "db.query", d.clone()),
        ];
        for (o, s, action, digest) in cases {
            let (joined, single) = store
                .run(move |tx| {
                    let t = now();
                    let joined = tx.session_approvals(o, s, action, &digest, t)?;
                    let single = SessionApprovals {
                        call: tx.call_approvals(o, s, action, &digest, t)?,
                        elevation: tx.pending_elevation(o, s, t)?,
                    };
                    Ok((joined, single))
                })
                .await
                .unwrap();
            assert_eq!(joined, single, "{o} {s} {action}");
        }
        let got = store
            .run(move |tx| tx.session_approvals("o1", "s1", "db.query", &d, now()))
            .await
            .unwrap();
        assert_eq!(got.call.approved.as_deref(), Some("a_old"));
        assert_eq!(got.call.pending.as_deref(), Some("p_1"));
        assert_eq!(got.elevation.as_deref(), Some("e_1"));
    }
);

contract!(
    record_decision_writes_the_decision_and_the_session,
    |fresh: Fresh| async move {
        let store = fresh.open();
        let before = now() - chrono::Duration::seconds(10);
        store
            .run(move |tx| {
                tx.insert_org(&org("o1"))?;
                tx.insert_org(&org("o2"))?;
                for (o, sid) in [("o1", "s1"), ("o1", "s2"), ("o2", "s1")] {
                    let mut s = session(o, sid, "agt_1", None);
                    s.last_activity_at = before;
                    tx.insert_session(&s)?;
                }
                Ok(())
            })
            .await
            .unwrap();
        for (sid, activity) in [("s1", true), ("s2", false)] {
            let (written, stored, decisions, other) = store
                .run(move |tx| {
                    let mut s = tx.session("o1", sid)?.unwrap();
                    let d = decision(&s, 1);
                    s.total_calls = 1;
                    s.read_calls = 1;
                    s.head = d.hash.clone();
                    s.elevated_until = Some(now() + chrono::Duration::seconds(60));
                    if activity {
                        s.last_activity_at = now();
                    }
                    tx.record_decision(&d, &s, activity)?;
                    Ok((
                        (s, d),
                        tx.session("o1", sid)?.unwrap(),
                        tx.decisions("o1", sid, 0, 10)?,
                        tx.session("o2", "s1")?.unwrap(),
                    ))
                })
                .await
                .unwrap();
            let (mut s, d) = written;
            if !activity {
                // Left as stored.
                s.last_activity_at = before;
            }
            assert_eq!(stored, s, "{sid}");
            assert_eq!(decisions, vec![d], "{sid}");
            assert_eq!(
                other.total_calls, 0,
                "another organization's session untouched"
            );
        }
    }
);

/// A check's read-modify-write through the joined statements: lock the session (creating it
/// on first use), record the next decision with the counters.
fn check_like(tx: &mut dyn Tx, sid: &str) -> Result<u64, StoreError> {
    let reads = tx.check_reads("o1", "agt_1", sid, "db.query")?;
    let mut s = match reads.session {
        Some(s) => s,
        None => {
            let s = session("o1", sid, "agt_1", None);
            tx.insert_session(&s)?;
            s
        }
    };
    tx.session_approvals("o1", sid, "db.query", "d", now())?;
    let d = Decision {
        check_id: format!("chk_{}", uuid::Uuid::new_v4().simple()),
        ..decision(&s, s.total_calls + 1)
    };
    s.total_calls += 1;
    s.head = d.hash.clone();
    tx.record_decision(&d, &s, s.total_calls % 2 == 0)?;
    Ok(s.total_calls)
}

contract!(
    joined_checks_on_two_replicas_are_exact,
    |fresh: Fresh| async move {
        // Two stores on one database (two replicas), batches of checks of a few hot sessions:
        // later requests of a batch find their session locked (NOWAIT) and run alone after;
        // every check sees the one before it.
        let a = fresh.open_with(Tuning {
            workers: 4,
            max_batch: 256,
        });
        let b = fresh.open_with(Tuning {
            workers: 4,
            max_batch: 8,
        });
        a.run(|tx| {
            tx.insert_org(&org("o1"))?;
            tx.insert_agent(&agent("o1", "agt_1"))
        })
        .await
        .unwrap();
        let mut handles = Vec::new();
        for i in 0..300 {
            let s = if i % 2 == 0 { a.clone() } else { b.clone() };
            let sid = format!("hot-{}", i % 3);
            handles.push(tokio::spawn(async move {
                s.run(move |tx| check_like(tx, &sid)).await
            }));
        }
        for h in handles {
            h.await.unwrap().unwrap();
        }
        for n in 0..3 {
            let sid = format!("hot-{n}");
            let (s, d) = a
                .run(move |tx| {
                    Ok((
                        tx.session("o1", &sid)?.unwrap(),
                        tx.decisions("o1", &sid, 0, 1000)?,
                    ))
                })
                .await
                .unwrap();
            assert_eq!(s.total_calls, 100);
            assert_eq!(
                d.iter().map(|d| d.seq).collect::<Vec<_>>(),
                (1..=100).collect::<Vec<u64>>()
            );
            assert_eq!(s.head, d[99].hash);
        }
    }
);

contract!(
    key_reads_answer_as_the_single_reads,
    |fresh: Fresh| async move {
        let store = fresh.open();
        store
            .run(|tx| {
                tx.insert_org(&org("o1"))?;
                tx.insert_org(&org("o2"))?;
                tx.insert_api_key(&api_key("k1", "o1", false))?;
                tx.insert_api_key(&api_key("k2", "o2", true))?;
                tx.put_security_settings(&SecuritySettings {
                    org_id: "o1".into(),
                    require_proof_of_possession: true,
                    require_sender_constrained_tokens: false,
                    updated_at: now(),
                })
            })
            .await
            .unwrap();
        for hash in ["hash-k1", "hash-k2", "hash-none"] {
            let (joined, single) = store
                .run(move |tx| {
                    let joined = tx.key_reads(hash)?;
                    let single = match tx.api_key_by_hash(hash)? {
                        None => None,
                        Some(key) => Some(KeyReads {
                            org: tx.org(&key.org_id)?,
                            security: tx.security_settings(&key.org_id)?,
                            key,
                        }),
                    };
                    Ok((joined, single))
                })
                .await
                .unwrap();
            assert_eq!(joined, single, "{hash}");
        }
        let k1 = store
            .run(|tx| tx.key_reads("hash-k1"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(k1.org.unwrap().id, "o1");
        assert!(k1.security.unwrap().require_proof_of_possession);
        let k2 = store
            .run(|tx| tx.key_reads("hash-k2"))
            .await
            .unwrap()
            .unwrap();
        assert!(k2.key.revoked_at.is_some());
        assert_eq!(k2.org.unwrap().id, "o2");
        assert!(
            k2.security.is_none(),
            "another organization's settings are not read"
        );
    }
);

contract!(
    a_check_that_waits_for_its_session_reads_what_was_committed_meanwhile,
    |fresh: Fresh| async move {
        // Only PostgreSQL has a second writer that can hold a session while a check waits
        // (SQLite has one writer; there the reads simply follow one another).
        let airlock_store::Backend::Postgres(url) = fresh.backend.clone() else {
            return;
        };
        let store = fresh.open();
        store
            .run(|tx| {
                tx.insert_org(&org("o1"))?;
                tx.insert_agent(&agent("o1", "agt_1"))?;
                tx.insert_server(&server("o1", "srv_1", "active", None))?;
                tx.insert_session(&session("o1", "s1", "agt_1", Some("srv_1")))
            })
            .await
            .unwrap();
        store
            .run(|tx| tx.insert_api_key(&api_key("k1", "o1", false)))
            .await
            .unwrap();
        // Through the organization and through the key (`keyed_check_reads`).
        for keyed in [false, true] {
            let (url, url2) = (url.clone(), url.clone());
            // Another replica holds the session, deletes its server, and commits while the
            // check waits for the session's lock.
            let (held_tx, held_rx) = std::sync::mpsc::channel();
            let other = std::thread::spawn(move || {
                let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                let mut t = c.transaction().unwrap();
                t.execute(
                    "SELECT 1 FROM sessions WHERE org_id = 'o1' AND id = 's1' FOR UPDATE",
                    &[],
                )
                .unwrap();
                held_tx.send(()).unwrap();
                std::thread::sleep(std::time::Duration::from_millis(400));
                t.execute(
                    "UPDATE servers SET status = 'deleted' WHERE org_id = 'o1' AND id = 'srv_1'",
                    &[],
                )
                .unwrap();
                t.commit().unwrap();
            });
            held_rx.recv().unwrap();
            let reads = store
                .run(move |tx| match keyed {
                    false => tx.check_reads("o1", "agt_1", "s1", "db.query"),
                    true => Ok(tx
                        .keyed_check_reads("hash-k1", "agt_1", "s1", "db.query", false)?
                        .and_then(|(_, reads)| reads)
                        .unwrap()),
                })
                .await
                .unwrap();
            other.join().unwrap();
            assert!(reads.session.is_some());
            assert_eq!(
                reads.server, None,
                "the server deleted while the check waited for the session is read as deleted \
                 (keyed: {keyed})"
            );
            let url = url2.clone();
            std::thread::spawn(move || {
                let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                c.execute(
                    "UPDATE servers SET status = 'active' WHERE id = 'srv_1'",
                    &[],
                )
                .unwrap();
            })
            .join()
            .unwrap();
        }
    }
);

contract!(
    keyed_check_reads_answer_as_the_key_then_the_check_reads,
    |fresh: Fresh| async move {
        let store = fresh.open();
        store
            .run(|tx| {
                tx.insert_org(&org("o1"))?;
                tx.insert_org(&org("o2"))?;
                tx.insert_agent(&agent("o1", "agt_1"))?;
                tx.insert_server(&server("o1", "srv_1", "active", None))?;
                tx.put_tool_pin(&pin("o1", "srv_1", "db.query", "pinned"))?;
                tx.bump_policy_generation("o1")?;
                tx.bump_policy_generation("o2")?;
                tx.bump_policy_generation("o2")?;
                tx.insert_session(&session("o1", "s1", "agt_1", Some("srv_1")))?;
                tx.insert_session(&session("o2", "s1", "agt_1", None))?;
                tx.insert_api_key(&api_key("k1", "o1", false))?;
                tx.insert_api_key(&api_key("k2", "o2", false))?;
                tx.insert_api_key(&api_key("kr", "o1", true))?;
                proof_required_org(tx, "o3")
            })
            .await
            .unwrap();
        let cases = [
            ("hash-k1", "agt_1", "s1", "db.query"),
            ("hash-k1", "agt_1", "s1", "db_query"),
            ("hash-k1", "agt_x", "nope", "db.query"),
            ("hash-k2", "agt_1", "s1", "db.query"),
            ("hash-kr", "agt_1", "s1", "db.query"),
            ("hash-none", "agt_1", "s1", "db.query"),
            ("hash-k3", "agt_1", "s1", "db.query"),
        ];
        for ((hash, a, s, action), proven) in
            cases.into_iter().flat_map(|c| [(c, false), (c, true)])
        {
            let (keyed, apart) = store
                .run(move |tx| {
                    let keyed = tx.keyed_check_reads(hash, a, s, action, proven)?;
                    let apart = match tx.key_reads(hash)? {
                        None => None,
                        Some(k) if k.key.revoked_at.is_some() => Some((k, None)),
                        // A key alone, where its organization requires proof: nothing read.
                        Some(k)
                            if !proven
                                && k.security.as_ref().is_some_and(|s| {
                                    s.require_proof_of_possession
                                        || s.require_sender_constrained_tokens
                                }) =>
                        {
                            Some((k, None))
                        }
                        Some(k) => {
                            let reads = tx.check_reads(&k.key.org_id.clone(), a, s, action)?;
                            Some((k, Some(reads)))
                        }
                    };
                    Ok((keyed, apart))
                })
                .await
                .unwrap();
            assert_eq!(keyed, apart, "{hash} {a} {s} {action} proven: {proven}");
        }
        let read = |hash: &'static str| {
            let store = store.clone();
            async move {
                store
                    .run(move |tx| tx.keyed_check_reads(hash, "agt_1", "s1", "db.query", false))
                    .await
                    .unwrap()
            }
        };
        let (k1, reads) = read("hash-k1").await.unwrap();
        let reads = reads.unwrap();
        assert_eq!(k1.org.unwrap().id, "o1");
        assert_eq!(reads.session.unwrap().org_id, "o1");
        assert_eq!(reads.server.unwrap().org_id, "o1");
        assert_eq!(reads.pin.unwrap().status, "pinned");
        assert_eq!(reads.policy_generation, 1);
        let (_, reads) = read("hash-k2").await.unwrap();
        let reads = reads.unwrap();
        assert_eq!(reads.session.as_ref().unwrap().org_id, "o2");
        assert_eq!(reads.session.unwrap().server_id, None, "o2's own session");
        assert!(reads.agent.is_none(), "o1's agent is not read for o2's key");
        assert_eq!(reads.policy_generation, 2);
        let (kr, reads) = read("hash-kr").await.unwrap();
        assert!(kr.key.revoked_at.is_some());
        assert!(reads.is_none(), "a revoked key reads nothing");
        assert!(read("hash-none").await.is_none());
        let (k3, reads) = read("hash-k3").await.unwrap();
        assert!(
            k3.security.is_some() && reads.is_none(),
            "no proof, no reads"
        );
    }
);

/// Organization `org_id` with session `s1`, key `k3` and settings that require proof on
/// checks.
fn proof_required_org(tx: &mut dyn Tx, org_id: &str) -> Result<(), StoreError> {
    tx.insert_org(&org(org_id))?;
    tx.insert_session(&session(org_id, "s1", "agt_1", None))?;
    tx.insert_api_key(&api_key("k3", org_id, false))?;
    tx.put_security_settings(&SecuritySettings {
        org_id: org_id.into(),
        require_proof_of_possession: true,
        require_sender_constrained_tokens: false,
        updated_at: now(),
    })
}

contract!(
    a_keyed_read_locks_the_session_only_for_a_valid_key,
    |fresh: Fresh| async move {
        // Only PostgreSQL has a second connection that can see the lock.
        let airlock_store::Backend::Postgres(url) = fresh.backend.clone() else {
            return;
        };
        let store = fresh.open();
        store
            .run(|tx| {
                tx.insert_org(&org("o1"))?;
                tx.insert_session(&session("o1", "s1", "agt_1", None))?;
                tx.insert_api_key(&api_key("k1", "o1", false))?;
                tx.insert_api_key(&api_key("kr", "o1", true))?;
                proof_required_org(tx, "o3")
            })
            .await
            .unwrap();
        let cases = [
            ("hash-k1", "o1", false, true),
            ("hash-kr", "o1", false, false),
            ("hash-none", "o1", false, false),
            // A key alone locks nothing where its organization requires proof; with proof it
            // locks as any valid key does.
            ("hash-k3", "o3", false, false),
            ("hash-k3", "o3", true, true),
        ];
        for (hash, org_id, proven, locked) in cases {
            let url = url.clone();
            let lockable = store
                .run(move |tx| {
                    tx.keyed_check_reads(hash, "agt_1", "s1", "db.query", proven)?;
                    // Another connection, while this transaction is open.
                    let url = url.clone();
                    let other = std::thread::spawn(move || {
                        let mut c = postgres::Client::connect(&url, postgres::NoTls).unwrap();
                        c.query(
                            "SELECT 1 FROM sessions WHERE org_id = $1 AND id = 's1' \
                             FOR UPDATE NOWAIT",
                            &[&org_id],
                        )
                        .is_ok()
                    });
                    Ok(other.join().unwrap())
                })
                .await
                .unwrap();
            assert_eq!(lockable, !locked, "{hash} proven: {proven}");
        }
    }
);
