//! The MCP gateway's two savings (docs/benchmarks.md, "Sixth pass"), and that neither
//! changes what is decided or who is let in:
//! - `open_server_session_for_key` resolves the presented key in the store round trip that
//!   finds the session, and refuses a missing, unknown or revoked key exactly as
//!   `authenticate` does, before it reads or writes anything;
//! - what it answers, from its joined read of the key and an existing session or by the
//!   reads that create one, is what `open_server_session` answers its caller, refusals alike;
//! - `check_unreceipted` (surfaces that send no receipt) decides and records exactly what
//!   `check` does: the same verdict, a link in the session's chain, nothing signed.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use serde_json::json;

use airlock_server::KeyRole;
use airlock_server::service::{KeyHash, Principal, ServiceError, SessionChoice};
use common::{Api, hash, sql_check};

async fn server(api: &Api, caps: &[&str]) -> (String, String) {
    api.agent_and_server(caps, "http://localhost:1", "standard")
        .await
}

#[tokio::test]
async fn a_session_opened_for_a_key_is_the_one_opened_for_its_caller() {
    let api = Api::new().await;
    let (agent, server) = server(&api, &["db.*"]).await;
    let (caller, bound) = api
        .service
        .open_server_session_for_key(hash(common::KEY), &agent, &server, SessionChoice::PerAgent)
        .await
        .unwrap();
    let known = api.service.authenticate(Some(common::KEY)).await.unwrap();
    assert_eq!(caller.org_id, known.org_id);
    assert_eq!(caller.key_id, known.key_id);
    let again = api
        .service
        .open_server_session(&known, &agent, &server, SessionChoice::PerAgent)
        .await
        .unwrap();
    assert_eq!(bound.session_id, again.session_id);
    assert_eq!(bound.server.id, server);
    // A named session, created with that id.
    let (_, named) = api
        .service
        .open_server_session_for_key(
            hash(common::KEY),
            &agent,
            &server,
            SessionChoice::Named("s-named"),
        )
        .await
        .unwrap();
    assert_eq!(named.session_id, "s-named");
}

#[tokio::test]
async fn an_unknown_or_revoked_key_opens_nothing_and_is_refused_as_authenticate_refuses_it() {
    let api = Api::new().await;
    let (agent, server) = server(&api, &["db.*"]).await;
    let other = api
        .store
        .run(|tx| airlock_server::create_key(tx, "default", "soon revoked", KeyRole::Agent))
        .await
        .unwrap();
    let admin = api.service.authenticate(Some(common::KEY)).await.unwrap();
    let doomed = api.service.authenticate(Some(&other)).await.unwrap();
    api.service
        .revoke_api_key(&admin, &doomed.key_id)
        .await
        .unwrap();
    let unknown = format!("{}x", &common::KEY[..common::KEY.len() - 1]);
    for (key, what) in [(unknown.as_str(), "unknown"), (other.as_str(), "revoked")] {
        let expected = api.service.authenticate(Some(key)).await.unwrap_err();
        assert!(
            matches!(expected, ServiceError::Unauthenticated(_)),
            "{what}: {expected:?}"
        );
        for choice in [SessionChoice::PerAgent, SessionChoice::Named("s-squat")] {
            let got = api
                .service
                .open_server_session_for_key(hash(key), &agent, &server, choice)
                .await
                .unwrap_err();
            assert_eq!(got.to_string(), expected.to_string(), "{what} {choice:?}");
        }
    }
    // Nothing was opened: the named session does not exist, and the agent's own session is
    // created only now, by a valid key (its first check is its chain's first link).
    let (s, body) = api.call("GET", "/api/v1/sessions/s-squat", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{body}");
    let (_, own) = api
        .service
        .open_server_session_for_key(hash(common::KEY), &agent, &server, SessionChoice::PerAgent)
        .await
        .unwrap();
    let (s, body) = api
        .call("GET", &format!("/api/v1/sessions/{}", own.session_id), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(body["total_calls"], json!(0), "{body}");
    // No key at all: refused before any store round trip.
    assert!(matches!(
        KeyHash::presented(None),
        Err(ServiceError::Unauthenticated(_))
    ));
}

#[tokio::test]
async fn a_check_without_a_receipt_decides_and_records_what_a_check_does() {
    let api = Api::new().await;
    let (agent, session) = api.setup(&["db.*"], "standard").await;
    let caller = api.service.authenticate(Some(common::KEY)).await.unwrap();
    for sql in ["SELECT 1", "DELETE FROM users", "DROP DATABASE production"] {
        let signed = api
            .service
            .check(
                Principal::Caller(caller.clone()),
                sql_check(&agent, &session, sql),
            )
            .await
            .unwrap();
        let bare = api
            .service
            .check_unreceipted(
                Principal::Caller(caller.clone()),
                sql_check(&agent, &session, sql),
            )
            .await
            .unwrap();
        assert_eq!(bare.verdict.allowed, signed.verdict.allowed, "{sql}");
        assert_eq!(bare.verdict.effect, signed.verdict.effect, "{sql}");
        assert_eq!(bare.verdict.rule, signed.verdict.rule, "{sql}");
        assert_eq!(bare.session_id, signed.session_id, "{sql}");
        assert_ne!(bare.check_id, signed.check_id, "{sql}: two decisions");
        assert!(!signed.receipt.signature.is_empty(), "{sql}");
    }
    // Both kinds of check are links of the session's chain, and the chain verifies.
    let (s, report) = api
        .call("GET", &format!("/api/v1/sessions/{session}/verify"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{report}");
    assert_eq!(report["valid"], json!(true), "{report}");
    assert_eq!(report["entries"], json!(6), "{report}");
}

/// The session `open_server_session_for_key` opens, or its refusal's text.
async fn for_key(api: &Api, agent: &str, server: &str, choice: SessionChoice<'_>) -> String {
    match api
        .service
        .open_server_session_for_key(hash(common::KEY), agent, server, choice)
        .await
    {
        Ok((_, bound)) => format!("{} on {}", bound.session_id, bound.server.id),
        Err(e) => format!("refused: {e}"),
    }
}

/// The same through `open_server_session`, for the key's caller.
async fn for_caller(api: &Api, agent: &str, server: &str, choice: SessionChoice<'_>) -> String {
    let caller = api.service.authenticate(Some(common::KEY)).await.unwrap();
    match api
        .service
        .open_server_session(&caller, agent, server, choice)
        .await
    {
        Ok(bound) => format!("{} on {}", bound.session_id, bound.server.id),
        Err(e) => format!("refused: {e}"),
    }
}

#[tokio::test]
async fn a_key_opens_and_refuses_what_its_caller_opens_and_refuses() {
    let api = Api::new().await;
    let (agent, srv) = server(&api, &["db.*"]).await;
    let (other_agent, other_srv) = server(&api, &["db.*"]).await;
    // Sessions to find: the agent's own (created by the first opening), a named one of this
    // agent, one of another agent, one on another server.
    for (a, on, id) in [
        (&agent, &srv, "s-mine"),
        (&other_agent, &srv, "s-theirs"),
        (&agent, &other_srv, "s-elsewhere"),
    ] {
        let opened = for_caller(&api, a, on, SessionChoice::Named(id)).await;
        assert_eq!(opened, format!("{id} on {on}"));
    }
    let first = for_key(&api, &agent, &srv, SessionChoice::PerAgent).await;
    assert!(first.ends_with(&format!(" on {srv}")), "{first}");
    let cases = [
        (agent.as_str(), srv.as_str(), SessionChoice::PerAgent),
        (&agent, &srv, SessionChoice::Named("s-mine")),
        (&agent, &srv, SessionChoice::Named("s-theirs")),
        (&agent, &srv, SessionChoice::Named("s-elsewhere")),
        (&agent, "srv_unknown", SessionChoice::PerAgent),
        (&agent, "srv_unknown", SessionChoice::Named("s-mine")),
        (&other_agent, &other_srv, SessionChoice::PerAgent),
    ];
    for (a, on, choice) in cases {
        let key = for_key(&api, a, on, choice).await;
        let caller = for_caller(&api, a, on, choice).await;
        assert_eq!(key, caller, "{a} {on} {choice:?}");
    }
    assert_eq!(
        for_key(&api, &agent, &srv, SessionChoice::PerAgent).await,
        first,
        "the agent's own session is found again"
    );
    // A new session is a new one on both paths, though the agent has its own already, and
    // both refuse it alike (the agent is named before the server).
    let new_for_key = for_key(&api, &agent, &srv, SessionChoice::New).await;
    let new_for_caller = for_caller(&api, &agent, &srv, SessionChoice::New).await;
    for opened in [&new_for_key, &new_for_caller] {
        assert!(opened.starts_with("sess_"), "{opened}");
        assert_ne!(opened, &first);
    }
    assert_ne!(new_for_key, new_for_caller);
    for (a, on) in [
        ("agt_unknown", "srv_unknown"),
        ("agt_unknown", srv.as_str()),
        (agent.as_str(), "srv_unknown"),
    ] {
        let key = for_key(&api, a, on, SessionChoice::New).await;
        assert_eq!(key, for_caller(&api, a, on, SessionChoice::New).await);
        assert!(key.starts_with("refused"), "{key}");
    }
    let theirs = for_key(&api, &agent, &srv, SessionChoice::Named("s-theirs")).await;
    assert!(theirs.contains("belongs to another agent"), "{theirs}");
    let elsewhere = for_key(&api, &agent, &srv, SessionChoice::Named("s-elsewhere")).await;
    assert!(elsewhere.contains("is bound to server"), "{elsewhere}");
    // A deleted server opens nothing, though its sessions and the mapping exist.
    let (s, body) = api
        .call("DELETE", &format!("/mcp/servers/{srv}"), None)
        .await;
    assert!(s.is_success(), "{body}");
    for choice in [SessionChoice::PerAgent, SessionChoice::Named("s-mine")] {
        let key = for_key(&api, &agent, &srv, choice).await;
        assert_eq!(key, for_caller(&api, &agent, &srv, choice).await);
        assert!(key.contains("not found"), "{choice:?}: {key}");
    }
}
