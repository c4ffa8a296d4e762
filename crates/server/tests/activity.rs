//! A session's `last_activity_at` moves at most once a second (a busy session's place in the
//! activity index is not rewritten at every call), while its counters and chain head move at
//! every call.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::Api;
use serde_json::{Value, json};

async fn session(api: &Api, id: &str) -> Value {
    let (s, body) = api
        .call("GET", &format!("/api/v1/sessions/{id}"), None)
        .await;
    assert!(s.is_success(), "{body}");
    body
}

#[tokio::test]
async fn activity_moves_at_most_once_a_second_while_counters_move_every_call() {
    let api = Api::new().await;
    let (agent, sid) = api.setup(&["db.*"], "read_only").await;
    let check = json!({"agent_id": agent, "session_id": sid, "action_name": "db.query",
        "action_input": {"sql": "SELECT 1"}});
    let opened = session(&api, &sid).await;
    let (_, first) = api
        .call("POST", "/api/v1/agenttrust/check", Some(check.clone()))
        .await;
    assert_eq!(first["allowed"], true, "{first}");
    let after_first = session(&api, &sid).await;
    assert_eq!(after_first["total_calls"], 1, "{after_first}");
    assert_ne!(after_first["head"], opened["head"], "the chain head moves");
    assert_eq!(
        after_first["last_activity_at"], opened["last_activity_at"],
        "a call within a second of the last activity leaves it"
    );
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    api.call("POST", "/api/v1/agenttrust/check", Some(check))
        .await;
    let later = session(&api, &sid).await;
    assert_eq!(later["total_calls"], 2, "{later}");
    let at = |v: &Value| {
        chrono::DateTime::parse_from_rfc3339(v["last_activity_at"].as_str().unwrap()).unwrap()
    };
    assert!(
        at(&later) >= at(&opened) + chrono::Duration::seconds(1),
        "a call a second later moves it: {} then {}",
        opened["last_activity_at"],
        later["last_activity_at"]
    );
}
