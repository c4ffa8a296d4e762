//! Capabilities written with Claude Code's tool names (`Bash`, `mcp__db__query`) allow the
//! hook's call of that tool, checked under the action the hook maps it to, and nothing else.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use airlock_server::{Config, Service};
use airlock_store::{Options, Store};

const KEY: &str = "sk_live_hooknames0123456789";

async fn call(app: &Router, path: &str, body: Value) -> (StatusCode, Value) {
    let req = Request::builder()
        .method("POST")
        .uri(path)
        .header("x-api-key", KEY)
        .header("content-type", "application/json")
        .body(Body::from(body.to_string()))
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn claude_code_tool_names_are_capabilities_for_the_hooks_calls_only() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), Options { migrate: true }).unwrap();
    store
        .run(|tx| airlock_server::bootstrap(tx, Some(KEY)))
        .await
        .unwrap();
    let app = airlock_server::router(Service::new(store, Config::default()));
    let (s, agent) = call(
        &app,
        "/api/v1/agents",
        json!({"name": "cc", "capabilities": ["Bash", "Read"]}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{agent}");
    let agent = agent["id"].as_str().unwrap().to_string();
    let check = |action: &str, input: &str, source: &str, tool: Option<&str>| {
        let mut b = json!({"agent_id": agent, "session_id": "cc-1", "action_name": action,
                           "action_input": input, "action_source": source});
        if let Some(t) = tool {
            b["hook_tool"] = json!(t);
        }
        b
    };
    let path = "/api/v1/agenttrust/check";
    let (_, v) = call(&app, path, check("shell.exec", "ls", "hook", Some("Bash"))).await;
    assert_eq!(v["allowed"], true, "{v}");
    assert!(
        v["reason"].as_str().unwrap().contains("capability `Bash`"),
        "{v}"
    );
    let (_, v) = call(&app, path, check("Read", "/tmp/x", "hook", Some("Read"))).await;
    assert_eq!(v["allowed"], true, "{v}");
    // Twins: `Bash` does not allow Write; `Read` does not stand for Bash.
    let (_, v) = call(&app, path, check("file.write", "x", "hook", Some("Write"))).await;
    assert_eq!(
        (v["allowed"].clone(), v["rule"].clone()),
        (json!(false), json!("scope_ceiling")),
        "{v}"
    );
    let (_, v) = call(&app, path, check("file.write", "x", "hook", Some("Bash"))).await;
    assert_eq!(v["allowed"], false, "{v}");
    // Without the hook's tool name, or from another surface, `Bash` is not `shell.exec`.
    let (_, v) = call(&app, path, check("shell.exec", "ls", "hook", None)).await;
    assert_eq!(v["allowed"], false, "{v}");
    let (s, v) = call(&app, path, check("shell.exec", "ls", "api", Some("Bash"))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"], "invalid_request", "{v}");
}
