//! Capabilities written with Claude Code's tool names (`Bash`, `mcp__db__query`) allow the
//! hook's call of that tool, checked under the action the hook maps it to, and nothing else.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::http::StatusCode;
use serde_json::{Value, json};

mod common;
use common::Api;

async fn call(api: &Api, path: &str, body: Value) -> (StatusCode, Value) {
    api.call("POST", path, Some(body)).await
}

#[tokio::test]
async fn claude_code_tool_names_are_capabilities_for_the_hooks_calls_only() {
    let app = Api::new().await;
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
