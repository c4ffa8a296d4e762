#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Mutex;

use serde_json::{Value, json};

use super::*;

/// Allows reads of `read_*` tools, denies the rest; `in_scope` for names without `admin`.
#[derive(Default)]
struct Fake {
    seen: Mutex<Vec<(String, Value)>>,
    down: bool,
}

impl Decider for Fake {
    async fn check(&self, tool: &str, input: Value) -> Result<Decision, DecideError> {
        if self.down {
            return Err(DecideError::Unreachable("connection refused".into()));
        }
        self.seen.lock().unwrap().push((tool.to_string(), input));
        let allowed = tool.starts_with("read_");
        Ok(Decision {
            allowed,
            reason: if allowed {
                "ok".into()
            } else {
                "destructive SQL".into()
            },
            approval_id: (!allowed).then(|| "apr_9".to_string()),
            elevation_required: !allowed,
            check_id: "chk_1".into(),
            effect: "destructive".into(),
            session_id: "sess".into(),
        })
    }

    async fn observe(&self, tools: &[Value]) -> Result<Vec<ObservedTool>, DecideError> {
        if self.down {
            return Err(DecideError::Unreachable("connection refused".into()));
        }
        Ok(tools
            .iter()
            .map(|t| {
                let name = t["name"].as_str().unwrap().to_string();
                ObservedTool {
                    status: if name == "rugged" {
                        "changed"
                    } else {
                        "pinned"
                    }
                    .into(),
                    in_scope: !name.contains("admin"),
                    name,
                }
            })
            .collect())
    }
}

fn call(id: Value, name: &str, args: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
           "params": {"name": name, "arguments": args}})
}

#[tokio::test]
async fn allowed_calls_are_forwarded_with_full_arguments() {
    let f = Fake::default();
    let msg = call(
        json!(1),
        "read_query",
        json!({"sql": "SELECT 1", "deep": {"x": [1]}}),
    );
    assert_eq!(
        on_client_message(&f, msg.clone()).await,
        ClientAction::Forward(msg)
    );
    let seen = f.seen.lock().unwrap();
    assert_eq!(seen[0].0, "read_query");
    assert_eq!(seen[0].1, json!({"sql": "SELECT 1", "deep": {"x": [1]}}));
}

#[tokio::test]
async fn denied_calls_get_an_is_error_result_with_the_approval_id() {
    let f = Fake::default();
    let msg = call(
        json!("a"),
        "execute_sql",
        json!({"sql": "DROP TABLE accounts"}),
    );
    let ClientAction::Reply(r) = on_client_message(&f, msg).await else {
        panic!("not a reply")
    };
    assert_eq!(r["id"], "a");
    assert_eq!(r["result"]["isError"], true);
    let text = r["result"]["content"][0]["text"].as_str().unwrap();
    assert_eq!(
        text,
        "Airlock denied `execute_sql`: destructive SQL (approval id: apr_9)"
    );
    assert_eq!(r["result"]["_meta"]["airlock"]["approval_id"], "apr_9");
}

#[tokio::test]
async fn unreachable_airlock_denies_and_notifications_are_dropped() {
    let f = Fake {
        down: true,
        ..Fake::default()
    };
    let ClientAction::Reply(r) =
        on_client_message(&f, call(json!(2), "read_query", json!({}))).await
    else {
        panic!("not a reply")
    };
    assert_eq!(r["result"]["isError"], true);
    assert!(
        r["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("cannot be reached")
    );
    // A tools/call without an id is still checked; denied, it goes nowhere.
    let note = json!({"jsonrpc": "2.0", "method": "tools/call",
                      "params": {"name": "execute_sql", "arguments": {}}});
    assert_eq!(on_client_message(&f, note).await, ClientAction::Drop);
}

#[tokio::test]
async fn batches_with_calls_and_bad_params_are_refused() {
    let f = Fake::default();
    let batch = json!([{"jsonrpc": "2.0", "id": 1, "method": "ping"},
                       call(json!(2), "read_query", json!({}))]);
    let ClientAction::Reply(r) = on_client_message(&f, batch).await else {
        panic!("not a reply")
    };
    assert_eq!(r["error"]["code"], code::INVALID_REQUEST);
    let ok_batch = json!([{"jsonrpc": "2.0", "id": 1, "method": "ping"}]);
    assert!(matches!(
        on_client_message(&f, ok_batch).await,
        ClientAction::Forward(_)
    ));
    let bad =
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"arguments": {}}});
    let ClientAction::Reply(r) = on_client_message(&f, bad).await else {
        panic!("not a reply")
    };
    assert_eq!(r["error"]["code"], code::INVALID_PARAMS);
    assert_eq!(r["id"], 3);
    assert!(f.seen.lock().unwrap().is_empty());
}

#[tokio::test]
async fn other_messages_pass_through() {
    let f = Fake::default();
    for m in [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}),
        json!({"jsonrpc": "2.0", "method": "notifications/initialized"}),
        json!({"jsonrpc": "2.0", "id": 7, "result": {}}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "resources/read", "params": {"uri": "x"}}),
    ] {
        assert_eq!(
            on_client_message(&f, m.clone()).await,
            ClientAction::Forward(m)
        );
    }
}

#[test]
fn meta_payloads_are_part_of_the_input_but_progress_tokens_are_not() {
    let (name, input) = call_input(&json!({"name": "t", "arguments": {"a": 1},
                                           "_meta": {"progressToken": 5}}))
    .unwrap();
    assert_eq!((name.as_str(), input), ("t", json!({"a": 1})));
    let (_, input) = call_input(&json!({"name": "t", "_meta": {"sql": "DROP TABLE x"}})).unwrap();
    assert_eq!(
        input,
        json!({"arguments": {}, "_meta": {"sql": "DROP TABLE x"}})
    );
    assert!(call_input(&json!({"name": 3})).is_err());
    assert!(call_input(&json!("x")).is_err());
}

#[tokio::test]
async fn tool_lists_are_filtered_by_scope_and_pins() {
    let f = Fake::default();
    let list = json!({"jsonrpc": "2.0", "id": 4, "result": {"tools": [
        {"name": "read_query", "inputSchema": {}},
        {"name": "admin_drop", "inputSchema": {}},
        {"name": "rugged", "inputSchema": {}},
    ], "nextCursor": "c"}});
    assert!(needs_filter(&list));
    let out = on_server_message(&f, list).await;
    let names: Vec<&str> = out["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["read_query"]);
    assert_eq!(out["result"]["nextCursor"], "c");
    let other = json!({"jsonrpc": "2.0", "id": 5, "result": {"content": []}});
    assert!(!needs_filter(&other));
    assert_eq!(on_server_message(&f, other.clone()).await, other);
}

#[tokio::test]
async fn a_tool_list_that_cannot_be_checked_becomes_an_error() {
    let f = Fake {
        down: true,
        ..Fake::default()
    };
    let list = json!({"jsonrpc": "2.0", "id": 4, "result": {"tools": [{"name": "read_query"}]}});
    let out = on_server_message(&f, list).await;
    assert_eq!(out["id"], 4);
    assert_eq!(out["error"]["code"], code::AIRLOCK);
    assert!(out.get("result").is_none());
}
