//! The MCP gateway's `tools/call` decided in the store round trip that opens its session
//! (`open_and_check_unreceipted`, docs/benchmarks.md, "Twentieth pass"), held to the two
//! round trips it replaces: `open_server_session_for_key`, then `check_unreceipted` by key.
//! - An existing session: the same session, the same verdict, one decision recorded.
//! - Whatever the opening refuses is refused with the same text, and nothing is decided.
//! - A first use, a new session, or a server the gateway cannot reach: nothing is decided nor
//!   written, so that the two round trips decide it as before.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use serde_json::{Value, json};

use airlock_server::KeyRole;
use airlock_server::service::{OpenedCheck, Principal, ServiceError, SessionChoice};
use airlock_store::log_search::SessionQuery;
use airlock_store::model::Session;
use common::{Api, hash, sql_check};

async fn agent_and_server(api: &Api, url: &str) -> (String, String) {
    api.agent_and_server(&["db.*"], url, "standard").await
}

fn over_http(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
}

/// `open_and_check_unreceipted` with `key`; the session id in the request is ignored, so it
/// is given one the call must not land in.
async fn opened(
    api: &Api,
    key: &str,
    agent: &str,
    server: &str,
    choice: SessionChoice<'_>,
    sql: &str,
) -> Result<OpenedCheck, ServiceError> {
    api.service
        .open_and_check_unreceipted(
            hash(key),
            server,
            choice,
            sql_check(agent, "s-decoy", sql),
            over_http,
        )
        .await
}

/// The decisions recorded in `session`, by check id.
async fn decisions(api: &Api, session: &str) -> Vec<Value> {
    let (s, body) = api
        .call(
            "GET",
            &format!("/api/v1/sessions/{session}/decisions"),
            None,
        )
        .await;
    if s == StatusCode::NOT_FOUND {
        return Vec::new();
    }
    assert_eq!(s, StatusCode::OK, "{body}");
    body["decisions"].as_array().cloned().unwrap_or_default()
}

/// Every session of the organization.
async fn sessions(api: &Api) -> Vec<Session> {
    let org = api
        .service
        .authenticate(Some(common::KEY))
        .await
        .unwrap()
        .org_id;
    api.store
        .run(move |tx| {
            let all = SessionQuery {
                limit: 500,
                ..SessionQuery::default()
            };
            tx.search_sessions(&org, &all)
        })
        .await
        .unwrap()
}

/// The sessions with a decision recorded.
async fn decided_sessions(api: &Api) -> Vec<String> {
    let all = api.store.run(|tx| tx.decision_sessions()).await.unwrap();
    all.into_iter().map(|(_, s)| s).collect()
}

#[tokio::test]
async fn a_call_decided_with_its_opening_is_decided_as_after_it() {
    let api = Api::new().await;
    let (agent, server) = agent_and_server(&api, "http://localhost:1").await;

    // First use of the agent's own session: nothing decided, nothing written.
    let before = sessions(&api).await.len();
    let first = opened(
        &api,
        common::KEY,
        &agent,
        &server,
        SessionChoice::PerAgent,
        "SELECT 1",
    )
    .await;
    assert!(matches!(first, Ok(OpenedCheck::NotOpened)));
    assert_eq!(
        sessions(&api).await.len(),
        before,
        "a first use creates nothing"
    );
    assert!(decided_sessions(&api).await.is_empty());
    let (_, own) = api
        .service
        .open_server_session_for_key(hash(common::KEY), &agent, &server, SessionChoice::PerAgent)
        .await
        .unwrap();
    // A new session is never found: it is created by the opening.
    let new = opened(
        &api,
        common::KEY,
        &agent,
        &server,
        SessionChoice::New,
        "SELECT 1",
    )
    .await;
    assert!(matches!(new, Ok(OpenedCheck::NotOpened)));

    let named = "s-named";
    api.service
        .open_server_session_for_key(
            hash(common::KEY),
            &agent,
            &server,
            SessionChoice::Named(named),
        )
        .await
        .unwrap();
    let sqls = ["SELECT 1", "DELETE FROM users", "DROP DATABASE production"];
    for (choice, session) in [
        (SessionChoice::PerAgent, own.session_id.as_str()),
        (SessionChoice::Named(named), named),
    ] {
        for sql in sqls {
            let Ok(OpenedCheck::Decided(d)) =
                opened(&api, common::KEY, &agent, &server, choice, sql).await
            else {
                panic!("{choice:?} {sql}: not decided with its opening");
            };
            assert_eq!(d.session.session_id, session, "{sql}");
            assert_eq!(d.session.server.id, server);
            assert_eq!(d.session.server.url, "http://localhost:1");
            let admin = api.service.authenticate(Some(common::KEY)).await.unwrap();
            assert_eq!(d.caller.org_id, admin.org_id);
            assert_eq!(d.caller.key_id, admin.key_id);
            let ahead = d.outcome.unwrap();
            assert_eq!(ahead.session_id, session, "{sql}");
            let after = api
                .service
                .check_unreceipted(
                    Principal::KeyHash(hash(common::KEY)),
                    sql_check(&agent, session, sql),
                )
                .await
                .unwrap();
            assert_eq!(ahead.verdict.allowed, after.verdict.allowed, "{sql}");
            assert_eq!(ahead.verdict.effect, after.verdict.effect, "{sql}");
            assert_eq!(ahead.verdict.rule, after.verdict.rule, "{sql}");
            assert_eq!(
                ahead.verdict.approval.is_some(),
                after.verdict.approval.is_some(),
                "{sql}"
            );
            assert_ne!(ahead.check_id, after.check_id, "{sql}: two decisions");
        }
        // Each call recorded once, in its session, in order, and the chain verifies.
        let log = decisions(&api, session).await;
        let checks: Vec<&str> = log.iter().filter_map(|d| d["check_id"].as_str()).collect();
        assert_eq!(checks.len(), 2 * sqls.len(), "{session}: {log:?}");
        let (s, report) = api
            .call("GET", &format!("/api/v1/sessions/{session}/verify"), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{report}");
        assert_eq!(report["valid"], json!(true), "{report}");
    }
    assert!(
        decisions(&api, "s-decoy").await.is_empty(),
        "the request's session is ignored"
    );
    let allowed = opened(
        &api,
        common::KEY,
        &agent,
        &server,
        SessionChoice::PerAgent,
        "SELECT 1",
    )
    .await;
    let Ok(OpenedCheck::Decided(d)) = allowed else {
        panic!("not decided");
    };
    assert!(d.outcome.unwrap().verdict.allowed, "a read is allowed");
}

/// The refusal's text of `open_server_session_for_key`, or the session it opens.
async fn opening(
    api: &Api,
    key: &str,
    agent: &str,
    server: &str,
    choice: SessionChoice<'_>,
) -> String {
    match api
        .service
        .open_server_session_for_key(hash(key), agent, server, choice)
        .await
    {
        Ok((_, bound)) => format!("opened {}", bound.session_id),
        Err(e) => format!("refused: {e}"),
    }
}

#[tokio::test]
async fn what_the_opening_refuses_is_refused_alike_and_nothing_is_decided() {
    let api = Api::new().await;
    let (agent, server) = agent_and_server(&api, "http://localhost:1").await;
    let (other_agent, other_server) = agent_and_server(&api, "http://localhost:2").await;
    let stdio = agent_and_server(&api, "stdio:db").await.1;
    for (a, on, id) in [
        (&agent, &server, "s-mine"),
        (&other_agent, &server, "s-theirs"),
        (&agent, &other_server, "s-elsewhere"),
        (&agent, &stdio, "s-stdio"),
    ] {
        api.service
            .open_server_session_for_key(hash(common::KEY), a, on, SessionChoice::Named(id))
            .await
            .unwrap();
    }
    api.service
        .open_server_session_for_key(hash(common::KEY), &agent, &stdio, SessionChoice::PerAgent)
        .await
        .unwrap();
    let admin = api.service.authenticate(Some(common::KEY)).await.unwrap();
    let revoked = api
        .store
        .run(|tx| airlock_server::create_key(tx, "default", "soon revoked", KeyRole::Agent))
        .await
        .unwrap();
    let doomed = api.service.authenticate(Some(&revoked)).await.unwrap();
    api.service
        .revoke_api_key(&admin, &doomed.key_id)
        .await
        .unwrap();
    let unknown = format!("{}x", &common::KEY[..common::KEY.len() - 1]);

    let refused = [
        (
            unknown.as_str(),
            agent.as_str(),
            server.as_str(),
            SessionChoice::Named("s-mine"),
        ),
        (
            revoked.as_str(),
            &agent,
            &server,
            SessionChoice::Named("s-mine"),
        ),
        (revoked.as_str(), &agent, &server, SessionChoice::PerAgent),
        (
            common::KEY,
            &agent,
            &server,
            SessionChoice::Named("s-theirs"),
        ),
        (
            common::KEY,
            &agent,
            &server,
            SessionChoice::Named("s-elsewhere"),
        ),
        (
            common::KEY,
            &agent,
            "srv_unknown",
            SessionChoice::Named("s-mine"),
        ),
        (common::KEY, &agent, "srv_unknown", SessionChoice::PerAgent),
    ];
    for (key, a, on, choice) in refused {
        let expected = opening(&api, key, a, on, choice).await;
        assert!(expected.starts_with("refused: "), "{expected}");
        let got = match opened(&api, key, a, on, choice, "DROP DATABASE production").await {
            Err(e) => format!("refused: {e}"),
            Ok(OpenedCheck::NotOpened) => "not opened".into(),
            Ok(OpenedCheck::Decided(_)) => "decided".into(),
        };
        assert_eq!(got, expected, "{a} on {on} {choice:?}");
    }
    // A server the gateway cannot reach: left to the gateway's own refusal, undecided.
    for choice in [SessionChoice::Named("s-stdio"), SessionChoice::PerAgent] {
        let got = opened(
            &api,
            common::KEY,
            &agent,
            &stdio,
            choice,
            "DROP DATABASE production",
        )
        .await;
        assert!(matches!(got, Ok(OpenedCheck::NotOpened)), "{choice:?}");
    }
    assert_eq!(decided_sessions(&api).await, Vec::<String>::new());
    let all = sessions(&api).await;
    assert_eq!(all.len(), 5);
    assert!(all.iter().all(|s| s.total_calls == 0), "{all:?}");
}
