//! The store contract: every backend behaves the same. Each test runs against SQLite, and
//! against PostgreSQL in the database `AIRLOCK_TEST_DATABASE_URL` names (each test in a fresh
//! schema); without it the PostgreSQL half fails under CI and is skipped, loudly, elsewhere.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use std::time::Duration;

use airlock_store::model::*;
use airlock_store::{Backend, Options, Store, StoreError, Tuning};
use chrono::{DateTime, SubsecRound, Utc};
use common::Fresh;
use serde_json::json;

/// Now, at the precision the store keeps (microseconds).
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

fn agent(org: &str, id: &str) -> Agent {
    Agent {
        id: id.into(),
        org_id: org.into(),
        name: format!("agent {id}"),
        framework: "custom".into(),
        public_key: String::new(),
        status: "active".into(),
        capabilities: vec!["db.*".into(), "files:read".into()],
        metadata: json!({"z": 1, "a": [true, null, "é"]}),
        created_at: now(),
        revoked_at: None,
        revoke_reason: None,
    }
}

fn session(org: &str, id: &str, agent: &str) -> Session {
    Session {
        org_id: org.into(),
        id: id.into(),
        agent_id: agent.into(),
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

fn decision(s: &Session, seq: u64) -> Decision {
    Decision {
        org_id: s.org_id.clone(),
        session_id: s.id.clone(),
        seq,
        check_id: format!("chk_{}_{}_{seq}", s.org_id, s.id),
        agent_id: s.agent_id.clone(),
        action_name: "db.query".into(),
        effect: "read".into(),
        risk: "read".into(),
        allowed: seq.is_multiple_of(2),
        reason: "ok".into(),
        reasons: vec!["name: read".into()],
        guard_tier: "fast".into(),
        confidence: 0.75,
        input_digest: "d".repeat(64),
        input_summary: "SELECT 1".into(),
        approval_id: seq.is_multiple_of(3).then(|| format!("apr_{seq}")),
        source: "api".into(),
        latency_us: 1234,
        decided_at: now(),
        key_id: String::new(),
        hash: format!("{seq:064}"),
        rule: "allowed".into(),
    }
}

fn approval(org: &str, id: &str, session: &str, kind: &str, expires_in: i64) -> Approval {
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
        expires_at: now() + chrono::Duration::seconds(expires_in),
        decided_by: None,
        decided_at: None,
        used_at: None,
        input: None,
        reasons: Vec::new(),
        note: None,
    }
}

/// The read-modify-write a check does: lock the session (creating it on first use), append
/// the next decision, update the counters.
fn append(tx: &mut dyn airlock_store::Tx, org: &str, sid: &str) -> Result<u64, StoreError> {
    let mut s = match tx.session(org, sid)? {
        Some(s) => s,
        None => {
            let s = session(org, sid, "agt_1");
            tx.insert_session(&s)?;
            s
        }
    };
    s.total_calls += 1;
    let d = Decision {
        check_id: format!("chk_{}", uuid::Uuid::new_v4().simple()),
        ..decision(&s, s.total_calls)
    };
    tx.insert_decision(&d)?;
    s.head = d.hash.clone();
    tx.update_session(&s)?;
    Ok(s.total_calls)
}

async fn setup(store: &Store) {
    store
        .run(|tx| {
            tx.insert_org(&org("o1"))?;
            tx.insert_org(&org("o2"))?;
            tx.insert_agent(&agent("o1", "agt_1"))
        })
        .await
        .unwrap();
}

contract!(rows_read_back_as_written, |fresh: Fresh| async move {
    let store = fresh.open();
    let o = org("o1");
    let key = ApiKey {
        id: "key_1".into(),
        org_id: "o1".into(),
        hash: "h".repeat(64),
        prefix: "sk_live_abcdef".into(),
        name: "cli".into(),
        created_at: now(),
        revoked_at: None,
        role: "agent".into(),
    };
    let a = agent("o1", "agt_1");
    let server = Server {
        id: "srv_1".into(),
        org_id: "o1".into(),
        name: "db".into(),
        url: "http://127.0.0.1:1/mcp".into(),
        description: "d".into(),
        capabilities: Some(vec!["db.*".into()]),
        tools: vec![ToolDef {
            name: "drop".into(),
            effect_override: Some("destructive".into()),
            require_approval: true,
        }],
        default_mode: "read_only".into(),
        status: "active".into(),
        created_at: now(),
        allowed_methods: vec!["acme/reindex".into(), "acme/Status".into()],
        approval_wait_secs: 600,
    };
    let mut s = session("o1", "sess_1", "agt_1");
    s.server_id = Some("srv_1".into());
    s.elevated_until = Some(now());
    let d1 = decision(&s, 1);
    let d2 = decision(&s, 2);
    let ap = approval("o1", "apr_1", "sess_1", "call", 600);
    let token = Token {
        id: "tok_1".into(),
        org_id: "o1".into(),
        agent_id: "agt_1".into(),
        hash: "t".repeat(64),
        scopes: vec!["db:read".into()],
        session_id: Some("sess_1".into()),
        issued_at: now(),
        expires_at: now() + chrono::Duration::hours(1),
        revoked_at: None,
        revoke_reason: None,
    };
    let pin = ToolPin {
        org_id: "o1".into(),
        server_id: "srv_1".into(),
        name: "drop".into(),
        definition: "{\"name\":\"drop\"}".into(),
        digest: "p".repeat(64),
        status: "pinned".into(),
        pending_definition: None,
        pending_digest: None,
        pinned_at: now(),
        changed_at: None,
    };
    let rows = (
        o.clone(),
        key.clone(),
        a.clone(),
        server.clone(),
        s.clone(),
        d1.clone(),
        d2.clone(),
        ap.clone(),
        token.clone(),
        pin.clone(),
    );
    store
        .run(move |tx| {
            let (o, key, a, server, s, d1, d2, ap, token, pin) = rows.clone();
            tx.insert_org(&o)?;
            tx.insert_api_key(&key)?;
            tx.insert_agent(&a)?;
            tx.insert_server(&server)?;
            tx.insert_session(&s)?;
            tx.insert_decision(&d1)?;
            tx.insert_decision(&d2)?;
            tx.insert_approval(&ap)?;
            tx.insert_token(&token)?;
            tx.put_tool_pin(&pin)?;
            tx.insert_telemetry(
                "o1",
                "agt_1",
                "sess_1",
                &[TelemetryEvent {
                    event_type: "tool_call".into(),
                    tool_name: "drop".into(),
                    duration_ms: Some(12),
                    success: Some(true),
                    error_type: None,
                    timestamp: Some("2026-01-01T00:00:00Z".into()),
                }],
                now(),
            )
        })
        .await
        .unwrap();
    let got = store
        .run(|tx| {
            Ok((
                tx.org("o1")?,
                tx.org_by_name("o1-name")?,
                tx.org_count()?,
                tx.api_key_by_hash(&"h".repeat(64))?,
                tx.list_api_keys(Some("o1"))?,
                tx.list_api_keys(None)?,
                tx.agent("o1", "agt_1")?,
                tx.server("o1", "srv_1")?,
                tx.session("o1", "sess_1")?,
                tx.decisions("o1", "sess_1", 0, 10)?,
                tx.decisions("o1", "sess_1", 1, 10)?,
                tx.approval("o1", "apr_1")?,
                tx.token_by_hash(&"t".repeat(64))?,
                tx.tool_pin("o1", "srv_1", "drop")?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(got.0, Some(o.clone()));
    assert_eq!(got.1, Some(o));
    assert_eq!(got.2, 1);
    assert_eq!(got.3, Some(key.clone()));
    assert_eq!(got.4, vec![key.clone()]);
    assert_eq!(got.5, vec![key]);
    assert_eq!(got.6, Some(a));
    assert_eq!(got.7, Some(server));
    assert_eq!(got.8, Some(s));
    assert_eq!(got.9, vec![d1, d2.clone()]);
    assert_eq!(got.10, vec![d2]);
    assert_eq!(got.11, Some(ap));
    assert_eq!(got.12, Some(token));
    assert_eq!(got.13, Some(pin));
    // JSON reads back exactly as written (key order included).
    assert_eq!(
        got.6.unwrap().metadata.to_string(),
        json!({"z": 1, "a": [true, null, "é"]}).to_string()
    );
});

contract!(
    updates_revocations_and_deletions,
    |fresh: Fresh| async move {
        let store = fresh.open();
        setup(&store).await;
        store
            .run(|tx| {
                tx.insert_api_key(&ApiKey {
                    id: "key_1".into(),
                    org_id: "o1".into(),
                    hash: "h1".into(),
                    prefix: "sk_live_111".into(),
                    name: "a".into(),
                    created_at: now(),
                    revoked_at: None,
                    role: "admin".into(),
                })?;
                tx.insert_token(&Token {
                    id: "tok_1".into(),
                    org_id: "o1".into(),
                    agent_id: "agt_1".into(),
                    hash: "th1".into(),
                    scopes: vec![],
                    session_id: None,
                    issued_at: now(),
                    expires_at: now() + chrono::Duration::hours(1),
                    revoked_at: None,
                    revoke_reason: None,
                })?;
                tx.insert_token(&Token {
                    id: "tok_2".into(),
                    org_id: "o1".into(),
                    agent_id: "agt_1".into(),
                    hash: "th2".into(),
                    scopes: vec![],
                    session_id: None,
                    issued_at: now(),
                    expires_at: now() + chrono::Duration::hours(1),
                    revoked_at: None,
                    revoke_reason: None,
                })?;
                tx.insert_server(&Server {
                    id: "srv_1".into(),
                    org_id: "o1".into(),
                    name: "s".into(),
                    url: "u".into(),
                    description: String::new(),
                    capabilities: None,
                    tools: vec![],
                    default_mode: "read_only".into(),
                    status: "active".into(),
                    created_at: now(),
                    allowed_methods: vec![],
                    approval_wait_secs: 0,
                })
            })
            .await
            .unwrap();
        let r = store
            .run(|tx| {
                Ok((
                    tx.revoke_api_key("sk_live_111", now())?,
                    tx.revoke_api_key("sk_live_111", now())?,
                    tx.revoke_token("o1", "th1", "leaked", now())?,
                    tx.revoke_token("o2", "th2", "other org", now())?,
                    tx.delete_server("o2", "srv_1")?,
                    tx.delete_server("o1", "srv_1")?,
                    tx.delete_server("o1", "srv_1")?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(r, (true, false, true, false, false, true, false));
        let (key, t1, srv, list) = store
            .run(|tx| {
                Ok((
                    tx.api_key_by_hash("h1")?.unwrap(),
                    tx.token_by_hash("th1")?.unwrap(),
                    tx.server("o1", "srv_1")?,
                    tx.list_servers("o1")?,
                ))
            })
            .await
            .unwrap();
        assert!(key.revoked_at.is_some());
        assert_eq!(t1.revoke_reason.as_deref(), Some("leaked"));
        assert!(srv.is_none() && list.is_empty(), "a deleted server is gone");
        // Revoking an agent revokes its remaining tokens, once.
        assert!(
            store
                .run(|tx| tx.revoke_agent("o1", "agt_1", "compromised", now()))
                .await
                .unwrap()
        );
        let (a, t1, t2) = store
            .run(|tx| {
                Ok((
                    tx.agent("o1", "agt_1")?.unwrap(),
                    tx.token_by_hash("th1")?.unwrap(),
                    tx.token_by_hash("th2")?.unwrap(),
                ))
            })
            .await
            .unwrap();
        assert_eq!(a.status, "revoked");
        assert_eq!(a.revoke_reason.as_deref(), Some("compromised"));
        assert_eq!(t1.revoke_reason.as_deref(), Some("leaked"));
        assert_eq!(t2.revoke_reason.as_deref(), Some("agent revoked"));
        // A pin is replaced in place.
        let mut pin = ToolPin {
            org_id: "o1".into(),
            server_id: "srv_1".into(),
            name: "t".into(),
            definition: "{}".into(),
            digest: "1".into(),
            status: "pinned".into(),
            pending_definition: None,
            pending_digest: None,
            pinned_at: now(),
            changed_at: None,
        };
        let p = pin.clone();
        store.run(move |tx| tx.put_tool_pin(&p)).await.unwrap();
        pin.status = "changed".into();
        pin.pending_definition = Some("{\"x\":1}".into());
        pin.pending_digest = Some("2".into());
        pin.changed_at = Some(now());
        let p = pin.clone();
        store.run(move |tx| tx.put_tool_pin(&p)).await.unwrap();
        let pins = store.run(|tx| tx.tool_pins("o1", "srv_1")).await.unwrap();
        assert_eq!(pins, vec![pin]);
    }
);

contract!(approvals_by_status_and_call, |fresh: Fresh| async move {
    let store = fresh.open();
    setup(&store).await;
    store
        .run(|tx| {
            tx.insert_approval(&approval("o1", "apr_a", "s1", "elevation", 600))?;
            tx.insert_approval(&approval("o1", "apr_b", "s1", "call", -1))?;
            tx.insert_approval(&approval("o1", "apr_c", "s1", "call", 600))?;
            let mut d = approval("o1", "apr_d", "s1", "call", 600);
            d.status = "approved".into();
            d.decided_by = Some("ops".into());
            d.decided_at = Some(now());
            tx.insert_approval(&d)?;
            tx.insert_approval(&approval("o2", "apr_e", "s1", "call", 600))
        })
        .await
        .unwrap();
    let ids = |v: Vec<Approval>| v.into_iter().map(|a| a.id).collect::<Vec<_>>();
    let (all, pending, expired, approved) = store
        .run(|tx| {
            let t = now();
            Ok((
                tx.list_approvals("o1", None, t, 100)?,
                tx.list_approvals("o1", Some("pending"), t, 100)?,
                tx.list_approvals("o1", Some("expired"), t, 100)?,
                tx.list_approvals("o1", Some("approved"), t, 100)?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(ids(all), ["apr_a", "apr_b", "apr_c", "apr_d"]);
    assert_eq!(ids(pending), ["apr_a", "apr_c"]);
    assert_eq!(ids(expired), ["apr_b"]);
    assert_eq!(ids(approved), ["apr_d"]);
    let limited = store
        .run(|tx| tx.list_approvals("o1", None, now(), 2))
        .await
        .unwrap();
    assert_eq!(ids(limited), ["apr_a", "apr_b"]);
    let (calls, elevation, other) = store
        .run(|tx| {
            let t = now();
            Ok((
                tx.call_approvals("o1", "s1", "db.drop", "abc", t)?,
                tx.pending_elevation("o1", "s1", t)?,
                tx.call_approvals("o1", "s1", "db.drop", "other input", t)?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(calls.approved.as_deref(), Some("apr_d"));
    assert_eq!(calls.pending.as_deref(), Some("apr_c"));
    assert_eq!(elevation.as_deref(), Some("apr_a"));
    assert_eq!(other, Default::default());
    // Using up the approved call.
    store
        .run(|tx| {
            let mut a = tx.approval("o1", "apr_d")?.unwrap();
            a.status = "used".into();
            a.used_at = Some(now());
            tx.update_approval(&a)
        })
        .await
        .unwrap();
    let calls = store
        .run(|tx| tx.call_approvals("o1", "s1", "db.drop", "abc", now()))
        .await
        .unwrap();
    assert_eq!(calls.approved, None);
    assert_eq!(
        store
            .run(|tx| tx.approval("o1", "apr_d"))
            .await
            .unwrap()
            .unwrap()
            .status,
        "used"
    );
});

contract!(
    a_failing_request_rolls_back_only_itself,
    |fresh: Fresh| async move {
        let store = fresh.open();
        let mut handles = Vec::new();
        for i in 0..60 {
            let s = store.clone();
            handles.push(tokio::spawn(async move {
                s.run(move |tx| {
                    tx.insert_org(&org(&format!("o{i}")))?;
                    if i % 3 == 0 {
                        return Err(StoreError::Conflict("refused".into()));
                    }
                    if i % 3 == 1 {
                        // A failed statement inside a request that fails.
                        tx.insert_org(&org(&format!("o{i}")))?;
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
        assert_eq!(ok, 20);
        assert_eq!(store.run(|tx| tx.org_count()).await.unwrap(), 20);
    }
);

contract!(
    an_expired_elevation_is_not_pending,
    |fresh: Fresh| async move {
        let store = fresh.open();
        setup(&store).await;
        // The older request has expired: the newer one is the pending elevation; once that
        // has expired too, there is none. Backends compare deadlines in different places.
        let (first, after) = store
            .run(|tx| {
                tx.insert_approval(&approval("o1", "apr_old", "s1", "elevation", -1))?;
                tx.insert_approval(&approval("o1", "apr_new", "s1", "elevation", 600))?;
                let later = now() + chrono::Duration::seconds(601);
                Ok((
                    tx.pending_elevation("o1", "s1", now())?,
                    tx.pending_elevation("o1", "s1", later)?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(first.as_deref(), Some("apr_new"));
        assert_eq!(after, None);
    }
);

contract!(
    a_duplicate_key_is_an_error_not_a_panic,
    |fresh: Fresh| async move {
        let store = fresh.open();
        store.run(|tx| tx.insert_org(&org("a"))).await.unwrap();
        let again = store.run(|tx| tx.insert_org(&org("a"))).await;
        assert!(
            matches!(
                again,
                Err(StoreError::Database(_) | StoreError::Postgres(_))
            ),
            "{again:?}"
        );
        assert_eq!(store.run(|tx| tx.org_count()).await.unwrap(), 1);
    }
);

contract!(
    reads_are_scoped_to_the_organization,
    |fresh: Fresh| async move {
        let store = fresh.open();
        setup(&store).await;
        let r = store
            .run(|tx| {
                Ok((
                    tx.agent("o1", "agt_1")?.is_some(),
                    tx.agent("o2", "agt_1")?.is_none(),
                    tx.list_agents("o2")?.is_empty(),
                    !tx.revoke_agent("o2", "agt_1", "x", now())?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(r, (true, true, true, true));
    }
);

contract!(
    concurrent_appends_to_one_session_are_exact,
    |fresh: Fresh| async move {
        // Two stores on one database (two replicas), each with several workers, 400 appends to
        // one session at once: every append sees the one before it.
        let a = fresh.open_with(Tuning {
            workers: 4,
            max_batch: 256,
        });
        let b = fresh.open_with(Tuning {
            workers: 4,
            max_batch: 8,
        });
        setup(&a).await;
        let mut handles = Vec::new();
        for i in 0..400 {
            let s = if i % 2 == 0 { a.clone() } else { b.clone() };
            handles.push(tokio::spawn(async move {
                s.run(|tx| append(tx, "o1", "hot")).await
            }));
        }
        let mut seen = Vec::new();
        for h in handles {
            seen.push(h.await.unwrap().unwrap());
        }
        seen.sort_unstable();
        assert_eq!(
            seen,
            (1..=400).collect::<Vec<u64>>(),
            "each append saw the one before"
        );
        let (s, d) = a
            .run(|tx| {
                Ok((
                    tx.session("o1", "hot")?.unwrap(),
                    tx.decisions("o1", "hot", 0, 1000)?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(s.total_calls, 400);
        assert_eq!(d.len(), 400);
        assert_eq!(s.head, d[399].hash);
    }
);

contract!(
    sessions_created_at_once_on_first_use,
    |fresh: Fresh| async move {
        // Implicit sessions: many requests create the same new session at the same moment; one
        // creates it, the others find it (on PostgreSQL, after their batch is run again).
        let a = fresh.open();
        let b = fresh.open();
        setup(&a).await;
        let mut handles = Vec::new();
        for i in 0..80 {
            let s = if i % 2 == 0 { a.clone() } else { b.clone() };
            let sid = format!("new-{}", i % 4);
            handles.push(tokio::spawn(async move {
                s.run(move |tx| append(tx, "o1", &sid)).await
            }));
        }
        for h in handles {
            h.await.unwrap().unwrap();
        }
        for n in 0..4 {
            let sid = format!("new-{n}");
            let s = a
                .run(move |tx| tx.session("o1", &sid))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(s.total_calls, 20);
        }
    }
);

contract!(
    opposite_lock_orders_do_not_lose_requests,
    |fresh: Fresh| async move {
        // Two requests lock two sessions in opposite orders from different workers: on
        // PostgreSQL one of them deadlocks, its batch is rolled back and run again.
        let a = fresh.open_with(Tuning {
            workers: 2,
            max_batch: 1,
        });
        setup(&a).await;
        for sid in ["x", "y"] {
            a.run(move |tx| append(tx, "o1", sid)).await.unwrap();
        }
        let mut handles = Vec::new();
        for (first, second) in [("x", "y"), ("y", "x")] {
            let s = a.clone();
            handles.push(tokio::spawn(async move {
                s.run(move |tx| {
                    let n = append(tx, "o1", first)?;
                    std::thread::sleep(Duration::from_millis(300));
                    append(tx, "o1", second)?;
                    Ok(n)
                })
                .await
            }));
        }
        for h in handles {
            h.await.unwrap().unwrap();
        }
        for sid in ["x", "y"] {
            let s = a
                .run(move |tx| tx.session("o1", sid))
                .await
                .unwrap()
                .unwrap();
            assert_eq!(s.total_calls, 3);
        }
    }
);

contract!(
    one_commit_per_request_without_batching,
    |fresh: Fresh| async move {
        let store = fresh.open_with(Tuning {
            workers: 2,
            max_batch: 1,
        });
        setup(&store).await;
        let mut handles = Vec::new();
        for _ in 0..50 {
            let s = store.clone();
            handles.push(tokio::spawn(async move {
                s.run(|tx| append(tx, "o1", "one")).await
            }));
        }
        for h in handles {
            h.await.unwrap().unwrap();
        }
        let s = store
            .run(|tx| tx.session("o1", "one"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(s.total_calls, 50);
    }
);

contract!(
    a_tool_connection_sees_committed_rows,
    |fresh: Fresh| async move {
        let store = fresh.open();
        store.run(|tx| tx.insert_org(&org("a"))).await.unwrap();
        let backend = fresh.backend.clone();
        let n = tokio::task::spawn_blocking(move || {
            Store::run_blocking(&backend, Options { migrate: false }, |tx| tx.org_count())
        })
        .await
        .unwrap()
        .unwrap();
        assert_eq!(n, 1);
        // A failed tool transaction leaves nothing behind.
        let backend = fresh.backend.clone();
        let failed = tokio::task::spawn_blocking(move || {
            Store::run_blocking(&backend, Options { migrate: false }, |tx| {
                tx.insert_org(&org("b"))?;
                Err::<(), _>(StoreError::Conflict("no".into()))
            })
        })
        .await
        .unwrap();
        assert!(failed.is_err());
        assert_eq!(store.run(|tx| tx.org_count()).await.unwrap(), 1);
    }
);

contract!(reviewer_sets_per_organization, |fresh: Fresh| async move {
    let store = fresh.open();
    store
        .run(|tx| {
            tx.insert_org(&org("o1"))?;
            tx.insert_org(&org("o2"))
        })
        .await
        .unwrap();
    assert_eq!(store.run(|tx| tx.reviewer_set("o1")).await.unwrap(), None);
    let first = ReviewerSet {
        org_id: "o1".into(),
        reviewers: r#"[{"kind":"person"}]"#.into(),
        updated_at: now(),
    };
    let f = first.clone();
    store.run(move |tx| tx.put_reviewer_set(&f)).await.unwrap();
    assert_eq!(
        store.run(|tx| tx.reviewer_set("o1")).await.unwrap(),
        Some(first.clone())
    );
    // Replacing keeps one row; another organization sees nothing.
    let second = ReviewerSet {
        reviewers: r#"[{"kind":"webhook","url":"http://127.0.0.1:9/"}]"#.into(),
        updated_at: now(),
        ..first
    };
    let s2 = second.clone();
    store.run(move |tx| tx.put_reviewer_set(&s2)).await.unwrap();
    assert_eq!(
        store.run(|tx| tx.reviewer_set("o1")).await.unwrap(),
        Some(second)
    );
    assert_eq!(store.run(|tx| tx.reviewer_set("o2")).await.unwrap(), None);
});

contract!(
    console_sessions_and_org_scoped_key_revocation,
    |fresh: Fresh| async move {
        let store = fresh.open();
        let key = |org: &str, id: &str| ApiKey {
            id: id.into(),
            org_id: org.into(),
            hash: format!("hash-{id}"),
            prefix: format!("sk_live_{id}"),
            name: "console".into(),
            created_at: now(),
            revoked_at: None,
            role: "admin".into(),
        };
        let (k1, k2) = (key("o1", "k1"), key("o2", "k2"));
        store
            .run(move |tx| {
                tx.insert_org(&org("o1"))?;
                tx.insert_org(&org("o2"))?;
                tx.insert_api_key(&k1)?;
                tx.insert_api_key(&k2)
            })
            .await
            .unwrap();
        let t0 = now();
        let s = ConsoleSession {
            token_hash: "a".repeat(64),
            org_id: "o1".into(),
            key_id: "k1".into(),
            csrf: "c".repeat(64),
            created_at: t0,
            last_seen_at: t0,
            expires_at: t0 + chrono::Duration::hours(12),
        };
        let s1 = s.clone();
        store
            .run(move |tx| tx.insert_console_session(&s1))
            .await
            .unwrap();
        let hash = s.token_hash.clone();
        let h = hash.clone();
        assert_eq!(
            store.run(move |tx| tx.console_session(&h)).await.unwrap(),
            Some(s.clone())
        );
        // Touching and ending are scoped to the organization.
        let later = t0 + chrono::Duration::minutes(5);
        let h = hash.clone();
        let touched = store
            .run(move |tx| {
                Ok((
                    tx.touch_console_session("o2", &h, later)?,
                    tx.touch_console_session("o1", &h, later)?,
                    tx.console_session(&h)?,
                ))
            })
            .await
            .unwrap();
        assert!(!touched.0 && touched.1);
        assert_eq!(touched.2.unwrap().last_seen_at, later);
        let h = hash.clone();
        let ended = store
            .run(move |tx| {
                Ok((
                    tx.delete_console_session("o2", &h)?,
                    tx.delete_console_session("o1", &h)?,
                    tx.console_session(&h)?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(ended, (false, true, None));
        // Stale sessions go: past their absolute expiry, or idle too long.
        let (mut idle, mut expired, mut live) = (s.clone(), s.clone(), s.clone());
        idle.token_hash = "1".repeat(64);
        idle.last_seen_at = t0 - chrono::Duration::hours(1);
        expired.token_hash = "2".repeat(64);
        expired.expires_at = t0 - chrono::Duration::seconds(1);
        live.token_hash = "3".repeat(64);
        let removed = store
            .run(move |tx| {
                for x in [&idle, &expired, &live] {
                    tx.insert_console_session(x)?;
                }
                tx.delete_stale_console_sessions(t0, t0 - chrono::Duration::minutes(30))
            })
            .await
            .unwrap();
        assert_eq!(removed, 2);
        let left = store
            .run(|tx| tx.console_session(&"3".repeat(64)))
            .await
            .unwrap();
        assert!(left.is_some());
        // A key is revoked only through its own organization.
        let revoked = store
            .run(move |tx| {
                Ok((
                    tx.revoke_org_api_key("o2", "k1", t0)?,
                    tx.revoke_org_api_key("o1", "k1", t0)?,
                    tx.revoke_org_api_key("o1", "k1", t0)?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(revoked, (false, true, false));
    }
);

// ---------------------------------------------------------------------------------------------
// Migrations.

fn schema_tests(fresh: Fresh) {
    let b = fresh.backend.clone();
    // Unmigrated: refused without migrate.
    assert!(matches!(
        Store::open_backend(&b, Options { migrate: false }),
        Err(StoreError::NotMigrated)
    ));
    // Migrating from two places at once applies each migration once.
    let (b1, b2) = (b.clone(), b.clone());
    let t1 = std::thread::spawn(move || b1.migrate().unwrap());
    let t2 = std::thread::spawn(move || b2.migrate().unwrap());
    let mut applied = t1.join().unwrap();
    applied.extend(t2.join().unwrap());
    applied.sort_unstable();
    assert_eq!(
        applied,
        vec![
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21
        ]
    );
    assert!(b.migrate().unwrap().is_empty(), "migrations apply once");
    assert!(Store::open_backend(&b, Options { migrate: false }).is_ok());
    // A schema newer than this build is refused by serve, tools and migrate alike.
    Store::run_blocking(&b, Options { migrate: false }, |_| Ok(())).unwrap();
    match &b {
        Backend::Sqlite(dir) => mark_newer_sqlite(dir),
        Backend::Postgres(url) => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
            c.execute(
                "INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'x')",
                &[],
            )
            .unwrap();
        }
    }
    assert!(matches!(
        Store::open_backend(&b, Options { migrate: false }),
        Err(StoreError::SchemaTooNew { found: 99, .. })
    ));
    assert!(matches!(
        b.migrate(),
        Err(StoreError::SchemaTooNew { found: 99, .. })
    ));
    assert!(matches!(
        Store::run_blocking(&b, Options { migrate: true }, |tx| tx.org_count()),
        Err(StoreError::SchemaTooNew { .. })
    ));
}

/// Marks a SQLite store as migrated by a newer airlock.
fn mark_newer_sqlite(dir: &std::path::Path) {
    let c = rusqlite::Connection::open(dir.join("airlock.db")).unwrap();
    c.execute(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (99, 'x')",
        [],
    )
    .unwrap();
}

#[test]
fn schema_versions_sqlite() {
    schema_tests(common::sqlite_unmigrated());
}

#[test]
fn schema_versions_postgres() {
    let Some(fresh) = common::postgres_unmigrated("schema_versions") else {
        return;
    };
    schema_tests(fresh);
}
