//! Gateway sessions no one else can squat: the MCP gateway's session of an agent on a server
//! has a random id found by (organization, agent, server), and a check naming a session of
//! another agent is refused without creating or changing anything.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use serde_json::{Value, json};

use airlock_server::KeyRole;
use airlock_server::service::{SessionChoice, legacy_per_agent_session_id};
use common::Api;

struct World {
    api: Api,
    agent_key: String,
    agent: String,
    intruder: String,
    server: String,
}

async fn world() -> World {
    let api = Api::new().await;
    let mut ids = Vec::new();
    for name in ["real", "intruder"] {
        let (s, a) = api
            .call(
                "POST",
                "/api/v1/agents",
                Some(json!({"name": name, "capabilities": ["db.*"]})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{a}");
        ids.push(a["id"].as_str().unwrap().to_string());
    }
    let (s, server) = api
        .call(
            "POST",
            "/mcp/servers",
            Some(json!({"name": "db", "url": "http://localhost:1", "capabilities": ["db.*"], "default_mode": "standard"})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{server}");
    // An agent key of the same organization: the least a squatter needs.
    let agent_key = api
        .store
        .run(|tx| airlock_server::create_key(tx, "default", "intruder", KeyRole::Agent))
        .await
        .unwrap();
    World {
        agent_key,
        agent: ids[0].clone(),
        intruder: ids[1].clone(),
        server: server["id"].as_str().unwrap().to_string(),
        api,
    }
}

fn check(agent: &str, session: &str) -> Value {
    json!({
        "agent_id": agent,
        "session_id": session,
        "action_name": "db.read_rows",
        "action_effect": "read",
        "action_input": "accounts",
    })
}

async fn session(api: &Api, id: &str) -> (StatusCode, Value) {
    api.call("GET", &format!("/api/v1/sessions/{id}"), None)
        .await
}

#[tokio::test]
async fn a_squatted_legacy_id_does_not_block_the_gateway() {
    let w = world().await;
    let legacy = legacy_per_agent_session_id(&w.agent, &w.server);
    // The intruder creates, with its agent key, a session under the id the gateway used to
    // compute for the real agent, once by a check and once bound to the server.
    let (s, body) = w
        .api
        .call_as(
            &w.agent_key,
            "POST",
            "/api/v1/agenttrust/check",
            Some(check(&w.intruder, &legacy)),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (s, owner) = session(&w.api, &legacy).await;
    assert_eq!(s, StatusCode::OK, "{owner}");
    assert_eq!(owner["agent_id"], json!(w.intruder));

    let caller = w.api.service.authenticate(Some(common::KEY)).await.unwrap();
    let bound = w
        .api
        .service
        .open_server_session(&caller, &w.agent, &w.server, SessionChoice::PerAgent)
        .await
        .expect("the real agent's gateway session opens");
    assert_eq!(bound.agent_id, w.agent);
    assert_ne!(bound.session_id, legacy);
    assert!(bound.session_id.starts_with("mcp_"), "{}", bound.session_id);
    assert_eq!(bound.session_id.len(), "mcp_".len() + 32);
    // It is found again, and the intruder's session is untouched.
    let again = w
        .api
        .service
        .open_server_session(&caller, &w.agent, &w.server, SessionChoice::PerAgent)
        .await
        .unwrap();
    assert_eq!(again.session_id, bound.session_id);
    let (_, owner) = session(&w.api, &legacy).await;
    assert_eq!(owner["agent_id"], json!(w.intruder));
    // The intruder's own gateway session on the server is another one.
    let its = w
        .api
        .service
        .open_server_session(&caller, &w.intruder, &w.server, SessionChoice::PerAgent)
        .await
        .unwrap();
    assert_ne!(its.session_id, bound.session_id);
    assert_ne!(its.session_id, legacy);

    // A check of the real agent in its gateway session is decided; the intruder naming it is
    // refused and changes nothing.
    let (s, body) = w
        .api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(check(&w.agent, &bound.session_id)),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    let (_, before) = session(&w.api, &bound.session_id).await;
    let (s, body) = w
        .api
        .call_as(
            &w.agent_key,
            "POST",
            "/api/v1/agenttrust/check",
            Some(check(&w.intruder, &bound.session_id)),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    assert!(body.to_string().contains("another agent"), "{body}");
    let (_, after) = session(&w.api, &bound.session_id).await;
    assert_eq!(before, after);
}

#[tokio::test]
async fn a_legacy_session_of_its_own_agent_keeps_working() {
    let w = world().await;
    let legacy = legacy_per_agent_session_id(&w.agent, &w.server);
    // As an older build created it: the agent's session with the derived id, bound to the
    // server (a named session is created the same way).
    let caller = w.api.service.authenticate(Some(common::KEY)).await.unwrap();
    let old = w
        .api
        .service
        .open_server_session(&caller, &w.agent, &w.server, SessionChoice::Named(&legacy))
        .await
        .unwrap();
    assert_eq!(old.session_id, legacy);
    let bound = w
        .api
        .service
        .open_server_session(&caller, &w.agent, &w.server, SessionChoice::PerAgent)
        .await
        .unwrap();
    assert_eq!(bound.session_id, legacy);
}

#[tokio::test]
async fn a_check_naming_another_agents_session_is_refused_and_creates_nothing() {
    let w = world().await;
    let (s, owned) = w
        .api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(check(&w.agent, "sess_victim")),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{owned}");
    let (_, before) = session(&w.api, "sess_victim").await;
    let (_, log_before) = w
        .api
        .call("GET", "/api/v1/sessions/sess_victim/decisions", None)
        .await;
    for key in [common::KEY, w.agent_key.as_str()] {
        let (s, body) = w
            .api
            .call_as(
                key,
                "POST",
                "/api/v1/agenttrust/check",
                Some(check(&w.intruder, "sess_victim")),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        assert!(body.to_string().contains("session_ownership"), "{body}");
    }
    let (_, after) = session(&w.api, "sess_victim").await;
    assert_eq!(before, after);
    let (_, log_after) = w
        .api
        .call("GET", "/api/v1/sessions/sess_victim/decisions", None)
        .await;
    assert_eq!(log_before, log_after);

    // Another agent's default session is not created by this one either.
    let theirs = format!("default-{}", w.agent);
    let (s, body) = w
        .api
        .call_as(
            &w.agent_key,
            "POST",
            "/api/v1/agenttrust/check",
            Some(check(&w.intruder, &theirs)),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
    let (s, _) = session(&w.api, &theirs).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // The agent's own default session still opens on first use.
    let (s, body) = w
        .api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(check(&w.agent, "")),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert_eq!(session(&w.api, &theirs).await.1["agent_id"], json!(w.agent));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_first_gateway_requests_share_one_session() {
    let w = world().await;
    let caller = w.api.service.authenticate(Some(common::KEY)).await.unwrap();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (service, caller, agent, server) = (
            w.api.service.clone(),
            caller.clone(),
            w.agent.clone(),
            w.server.clone(),
        );
        tasks.push(tokio::spawn(async move {
            service
                .open_server_session(&caller, &agent, &server, SessionChoice::PerAgent)
                .await
                .map(|b| b.session_id)
        }));
    }
    let mut ids = Vec::new();
    for t in tasks {
        ids.push(t.await.unwrap().expect("every request opens the session"));
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
}
