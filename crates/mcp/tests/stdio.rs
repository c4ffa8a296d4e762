#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The stdio relay against a real child process (`cat` echoes what reaches it, so the test
//! sees exactly what the upstream would have received).

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use airlock_mcp::relay::{DecideError, Decider, Decision, Declared, ObservedTool};
use airlock_mcp::stdio::{self, WrapOptions};

struct AllowReads;

impl Decider for AllowReads {
    async fn check(
        &self,
        tool: &str,
        _input: Value,
        _declared: Option<Declared>,
    ) -> Result<Decision, DecideError> {
        let allowed = tool.starts_with("read");
        Ok(Decision {
            allowed,
            reason: "test".into(),
            approval_id: None,
            elevation_required: false,
            check_id: "chk".into(),
            effect: "read".into(),
            session_id: "s".into(),
            rule: "test".into(),
        })
    }

    async fn refuse(
        &self,
        _action: &str,
        _input: Value,
        reason: &str,
    ) -> Result<Decision, DecideError> {
        Ok(Decision {
            allowed: false,
            reason: reason.into(),
            approval_id: None,
            elevation_required: false,
            check_id: "chk".into(),
            effect: "read".into(),
            session_id: "s".into(),
            rule: "test".into(),
        })
    }

    async fn observe(&self, tools: &[Value]) -> Result<Vec<ObservedTool>, DecideError> {
        Ok(tools
            .iter()
            .map(|t| ObservedTool {
                name: t["name"].as_str().unwrap().into(),
                status: "pinned".into(),
                in_scope: t["name"].as_str().unwrap().starts_with("read"),
            })
            .collect())
    }
}

#[tokio::test]
async fn relays_checks_and_exits_when_the_client_closes() {
    let child = stdio::spawn("cat", &[]).unwrap();
    let (mut client_w, relay_in) = tokio::io::duplex(1 << 16);
    let (relay_out, client_r) = tokio::io::duplex(1 << 16);
    let task = tokio::spawn(stdio::relay(
        Arc::new(AllowReads),
        child,
        BufReader::new(relay_in),
        relay_out,
        WrapOptions {
            max_line: 4096,
            grace: Duration::from_secs(2),
        },
    ));
    let send = |v: Value| format!("{v}\n");
    let allowed = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                         "params": {"name": "read_query", "arguments": {"sql": "SELECT 1"}}});
    let denied = json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
                        "params": {"name": "execute_sql", "arguments": {"sql": "DROP TABLE t"}}});
    let variant = json!({"jsonrpc": "2.0", "id": 4, "method": "Tools/Call",
                         "params": {"name": "execute_sql", "arguments": {"sql": "DROP TABLE t"}}});
    let unsolicited = json!({"jsonrpc": "2.0", "id": 99, "result": {"content": []}});
    // `cat` echoes the ping back: to the client it is a request of the server (id 3).
    let ping = json!({"jsonrpc": "2.0", "id": 3, "method": "ping"});
    for line in [
        send(allowed.clone()),
        send(denied),
        send(variant),
        send(unsolicited),
        "not json\n".into(),
        send(ping.clone()),
    ] {
        client_w.write_all(line.as_bytes()).await.unwrap();
    }
    let mut lines = BufReader::new(client_r).lines();
    let mut got = Vec::new();
    while !got.contains(&ping) {
        let l = lines.next_line().await.unwrap().unwrap();
        got.push(serde_json::from_str::<Value>(&l).unwrap());
    }
    // The client answers the server's request with a tool list (so cat echoes a tool list).
    let list = json!({"jsonrpc": "2.0", "id": 3, "result": {"tools": [{"name": "read_query"}, {"name": "execute_sql"}]}});
    for line in [send(list), "x".repeat(5000) + "\n"] {
        client_w.write_all(line.as_bytes()).await.unwrap();
    }
    client_w.shutdown().await.unwrap();
    drop(client_w);
    while let Some(l) = lines.next_line().await.unwrap() {
        got.push(serde_json::from_str::<Value>(&l).unwrap());
    }
    let code = tokio::time::timeout(Duration::from_secs(10), task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert_eq!(code, 0);
    // The allowed call reached the child exactly as checked.
    assert!(got.contains(&allowed), "{got:?}");
    // The denied call was answered locally and never reached the child.
    let denial = got.iter().find(|m| m["id"] == 2).unwrap();
    assert_eq!(denial["result"]["isError"], true);
    assert_eq!(got.iter().filter(|m| m["id"] == 2).count(), 1);
    // A misspelt method is refused, never echoed.
    let refusal = got.iter().find(|m| m["id"] == 4).unwrap();
    assert_eq!(refusal["error"]["code"], -32601);
    assert_eq!(got.iter().filter(|m| m["id"] == 4).count(), 1);
    // A response to nothing never reached the child.
    assert!(!got.iter().any(|m| m["id"] == 99), "{got:?}");
    // Garbage and an oversized line are refused, not forwarded.
    assert!(got.iter().any(|m| m["error"]["code"] == -32700));
    assert!(got.iter().any(|m| m["error"]["code"] == -32600));
    // The answer to the server's request passed, and its echo came back filtered.
    let list = got
        .iter()
        .find(|m| m["id"] == 3 && m.get("result").is_some())
        .unwrap();
    assert_eq!(list["result"]["tools"], json!([{"name": "read_query"}]));
}

#[tokio::test]
async fn exits_with_the_childs_code() {
    let child = stdio::spawn("sh", &["-c".into(), "exit 7".into()]).unwrap();
    let (_client_w, relay_in) = tokio::io::duplex(64);
    let (relay_out, _client_r) = tokio::io::duplex(64);
    let code = tokio::time::timeout(
        Duration::from_secs(10),
        stdio::relay(
            Arc::new(AllowReads),
            child,
            BufReader::new(relay_in),
            relay_out,
            WrapOptions::default(),
        ),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(code, 7);
}
