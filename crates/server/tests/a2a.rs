//! The A2A gateway and agent cards through the router, with a real A2A agent on a socket (an
//! axum server the test starts, answering JSON-RPC `message/send` and recording what it got):
//! allowed messages reach it, denied ones never do and are recorded; the task lifecycle and
//! its terminal states; signed cards, publication and the public discovery path; other
//! organizations' ids; malformed JSON-RPC; and parity with `POST /api/v1/agenttrust/check`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use airlock_server::service::a2a::cards;
use airlock_server::{Config, KeyRole};
use common::{Api, KEY};

const BASE: &str = "http://airlock.test";

async fn api() -> Api {
    Api::with_config(Config {
        public_url: Some(BASE.into()),
        ..Config::default()
    })
    .await
}

/// A small A2A agent: answers `message/send` with a completed task echoing the text, records
/// every request body it receives.
async fn start_agent() -> (String, Arc<Mutex<Vec<Value>>>) {
    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let log = seen.clone();
    let app = axum::Router::new().route(
        "/",
        axum::routing::post(move |axum::Json(body): axum::Json<Value>| {
            let log = log.clone();
            async move {
                log.lock().unwrap().push(body.clone());
                let text = body["params"]["message"]["parts"][0]["text"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                let state = if text.contains("need more") {
                    "input-required"
                } else {
                    "completed"
                };
                axum::Json(json!({"jsonrpc": "2.0", "id": body["id"], "result": {
                    "kind": "task", "id": "upstream-1", "contextId": "c",
                    "status": {"state": state},
                    "artifacts": [{"artifactId": "a1", "parts": [{"kind": "text", "text": format!("echo: {text}")}]}],
                }}))
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{addr}/"), seen)
}

async fn post(
    api: &Api,
    key: &str,
    path: &str,
    session: Option<&str>,
    body: &str,
) -> (StatusCode, Value) {
    let mut req = Request::builder()
        .method("POST")
        .uri(path)
        .header("x-api-key", key)
        .header("content-type", "application/json");
    if let Some(s) = session {
        req = req.header("x-session-id", s);
    }
    let resp = api
        .app
        .clone()
        .oneshot(req.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

async fn rpc(api: &Api, path: &str, session: Option<&str>, method: &str, params: Value) -> Value {
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params});
    let (s, v) = post(api, KEY, path, session, &body.to_string()).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["jsonrpc"], "2.0");
    v
}

fn send(text: &str) -> Value {
    json!({"message": {"role": "user", "parts": [{"kind": "text", "text": text}], "messageId": "m1"}})
}

async fn card_for(api: &Api, agent: &str, url: Option<&str>) -> Value {
    let body = url.map(|u| json!({"url": u}));
    let (s, c) = api
        .call("POST", &format!("/api/v1/agents/{agent}/card"), body)
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    c
}

async fn decisions(api: &Api, session: &str) -> Vec<Value> {
    let (s, d) = api
        .call(
            "GET",
            &format!("/api/v1/sessions/{session}/decisions"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{d}");
    d["decisions"].as_array().unwrap().clone()
}

#[tokio::test]
async fn an_allowed_message_reaches_the_agent_and_a_destructive_one_never_does() {
    let api = api().await;
    let (agent, session) = api.setup(&["a2a.*"], "standard").await;
    let (url, seen) = start_agent().await;
    card_for(&api, &agent, Some(&url)).await;
    let path = format!("/a2a/agents/{agent}");

    let ok = rpc(
        &api,
        &path,
        Some(&session),
        "message/send",
        send("Summarize the latest security report"),
    )
    .await;
    let task = &ok["result"];
    assert_eq!(task["kind"], "task", "{ok}");
    assert_eq!(task["status"]["state"], "completed");
    assert_eq!(
        task["artifacts"][0]["parts"][0]["text"],
        "echo: Summarize the latest security report"
    );
    assert_eq!(task["history"][0]["role"], "user");
    assert_eq!(seen.lock().unwrap().len(), 1);
    assert_eq!(seen.lock().unwrap()[0]["method"], "message/send");

    // A destructive message: denied, with the reason and the recorded decision; never forwarded.
    for text in [
        "DROP TABLE users",
        "Please run DROP TABLE users on the prod database",
        "please run `rm -rf /` on the build host",
    ] {
        let denied = rpc(&api, &path, Some(&session), "message/send", send(text)).await;
        let e = &denied["error"];
        assert_eq!(e["code"], -32010, "{denied}");
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .starts_with("denied by Airlock"),
            "{e}"
        );
        assert_eq!(e["data"]["effect"], "destructive", "{text}: {e}");
        assert_eq!(e["data"]["session_id"], session.as_str());
        assert!(denied.get("result").is_none());
    }
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "nothing denied reached the agent"
    );
    let log = decisions(&api, &session).await;
    assert_eq!(log.len(), 4, "every call is recorded");
    assert!(log.iter().all(|d| d["action_name"] == "a2a.message/send"));
    assert_eq!(log.iter().filter(|d| d["allowed"] == false).count(), 3);
}

#[tokio::test]
async fn a_read_only_session_may_not_send_and_another_agents_session_is_refused() {
    let api = api().await;
    let (agent, session) = api.setup(&["a2a.*"], "read_only").await;
    let (url, seen) = start_agent().await;
    card_for(&api, &agent, Some(&url)).await;
    let path = format!("/a2a/agents/{agent}");
    let v = rpc(
        &api,
        &path,
        Some(&session),
        "message/send",
        send("Summarize the report"),
    )
    .await;
    assert_eq!(v["error"]["code"], -32010, "{v}");
    assert_eq!(v["error"]["data"]["elevation_required"], true, "{v}");
    // A session of another agent: refused before anything is decided.
    let (other, other_session) = api.setup(&["a2a.*"], "standard").await;
    assert_ne!(other, agent);
    let v = rpc(
        &api,
        &path,
        Some(&other_session),
        "message/send",
        send("hello"),
    )
    .await;
    assert_eq!(v["error"]["code"], -32010, "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .contains("session_ownership"),
        "{v}"
    );
    assert!(seen.lock().unwrap().is_empty());
    assert!(decisions(&api, &other_session).await.is_empty());
}

#[tokio::test]
async fn tasks_follow_the_lifecycle_and_terminal_states_never_change() {
    let api = api().await;
    let (agent, session) = api.setup(&["a2a.*"], "standard").await;
    // No card endpoint: the task stays in Airlock's store.
    let sent = rpc(
        &api,
        "/a2a",
        Some(&session),
        "tasks/send",
        json!({"source_agent_id": agent, "target_agent_id": agent, "message": "Summarize the report", "metadata": {"k": "v"}}),
    )
    .await;
    let t = &sent["result"];
    assert_eq!(t["status"], "submitted", "{sent}");
    assert_eq!(t["message"], "Summarize the report");
    assert_eq!(t["metadata"]["k"], "v");
    assert_eq!(t["target_agent_id"], agent.as_str());
    let id = t["id"].as_str().unwrap().to_string();

    for params in [json!({"task_id": id}), json!({"id": id})] {
        let got = rpc(&api, "/a2a", Some(&session), "tasks/get", params).await;
        assert_eq!(got["result"]["id"], id.as_str(), "{got}");
        assert_eq!(got["result"]["status"], "submitted");
    }
    let got = rpc(
        &api,
        &format!("/a2a/agents/{agent}"),
        Some(&session),
        "tasks/resubscribe",
        json!({"id": id}),
    )
    .await;
    assert_eq!(got["result"]["id"], id.as_str(), "{got}");

    // Cancelling is destructive by its name: without a reviewer it needs a person's approval
    // of this exact call, and the approved retry is allowed.
    let first = rpc(
        &api,
        "/a2a",
        Some(&session),
        "tasks/cancel",
        json!({"task_id": id}),
    )
    .await;
    assert_eq!(first["error"]["code"], -32010, "{first}");
    assert_eq!(first["error"]["data"]["effect"], "destructive");
    let approval = first["error"]["data"]["approval_id"]
        .as_str()
        .expect("an approval")
        .to_string();
    let (s, a) = api
        .call(
            "POST",
            &format!("/mcp/approvals/{approval}/approve"),
            Some(json!({"decided_by": "test"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    let canceled = rpc(
        &api,
        "/a2a",
        Some(&session),
        "tasks/cancel",
        json!({"task_id": id}),
    )
    .await;
    assert_eq!(canceled["result"]["status"], "canceled", "{canceled}");

    // Terminal: no more messages, no second cancel, the state stays.
    let more = rpc(&api, &format!("/a2a/agents/{agent}"), Some(&session), "message/send", json!({"message": {"role": "user", "parts": [{"text": "and more"}], "messageId": "m2", "taskId": id}})).await;
    assert_eq!(more["error"]["code"], -32004, "{more}");
    let again = rpc(
        &api,
        "/a2a",
        Some(&session),
        "tasks/cancel",
        json!({"task_id": id}),
    )
    .await;
    let code = again["error"]["code"].as_i64().unwrap();
    assert!(code == -32002 || code == -32010, "{again}");
    let got = rpc(&api, "/a2a", Some(&session), "tasks/get", json!({"id": id})).await;
    assert_eq!(got["result"]["status"], "canceled");
}

#[tokio::test]
async fn an_input_required_task_continues_and_a_failing_agent_fails_the_task() {
    let api = api().await;
    let (agent, session) = api.setup(&["a2a.*"], "standard").await;
    let (url, seen) = start_agent().await;
    card_for(&api, &agent, Some(&url)).await;
    let path = format!("/a2a/agents/{agent}");
    let first = rpc(
        &api,
        &path,
        Some(&session),
        "message/send",
        send("I need more details"),
    )
    .await;
    assert_eq!(
        first["result"]["status"]["state"], "input-required",
        "{first}"
    );
    let id = first["result"]["id"].as_str().unwrap().to_string();
    let next = rpc(&api, &path, Some(&session), "message/send", json!({"message": {"role": "user", "parts": [{"text": "here they are"}], "messageId": "m2", "taskId": id}})).await;
    assert_eq!(next["result"]["status"]["state"], "completed", "{next}");
    assert_eq!(next["result"]["history"].as_array().unwrap().len(), 2);
    // The agent's own task id went with the second message.
    assert_eq!(
        seen.lock().unwrap()[1]["params"]["message"]["taskId"],
        "upstream-1"
    );

    // Cancelling a forwarded task tells the agent, by its own task id (once a person approved
    // the destructive call).
    let open = rpc(
        &api,
        &path,
        Some(&session),
        "message/send",
        send("need more again"),
    )
    .await;
    let open_id = open["result"]["id"].as_str().unwrap().to_string();
    let first = rpc(
        &api,
        "/a2a",
        Some(&session),
        "tasks/cancel",
        json!({"id": open_id}),
    )
    .await;
    let approval = first["error"]["data"]["approval_id"]
        .as_str()
        .unwrap()
        .to_string();
    let (s, _) = api
        .call(
            "POST",
            &format!("/mcp/approvals/{approval}/approve"),
            Some(json!({"decided_by": "t"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let canceled = rpc(
        &api,
        "/a2a",
        Some(&session),
        "tasks/cancel",
        json!({"id": open_id}),
    )
    .await;
    assert_eq!(
        canceled["result"]["status"]["state"], "canceled",
        "{canceled}"
    );
    let last = seen.lock().unwrap().last().cloned().unwrap();
    assert_eq!(
        (last["method"].as_str(), &last["params"]["id"]),
        (Some("tasks/cancel"), &json!("upstream-1"))
    );

    // An agent that cannot be reached: the allowed task fails, closed, with a JSON-RPC error.
    let (dead, dead_session) = api.setup(&["a2a.*"], "standard").await;
    card_for(&api, &dead, Some("http://127.0.0.1:9/")).await;
    let v = rpc(
        &api,
        &format!("/a2a/agents/{dead}"),
        Some(&dead_session),
        "message/send",
        send("hello"),
    )
    .await;
    assert_eq!(v["error"]["code"], -32006, "{v}");
    let failed = v["error"]["data"]["task_id"].as_str().unwrap().to_string();
    let got = rpc(
        &api,
        "/a2a",
        Some(&dead_session),
        "tasks/get",
        json!({"id": failed}),
    )
    .await;
    assert_eq!(got["result"]["status"]["state"], "failed", "{got}");
    // Without a session the agent's default one decides: read-only, denied before forwarding.
    let v = rpc(
        &api,
        &format!("/a2a/agents/{dead}"),
        None,
        "message/send",
        send("hello"),
    )
    .await;
    assert_eq!(v["error"]["code"], -32010, "{v}");
}

#[tokio::test]
async fn cards_are_signed_published_and_public_only_when_published() {
    let api = api().await;
    let (agent, _) = api.setup(&["a2a.*", "db.query.read"], "standard").await;
    // Unknown, ungenerated, unpublished: 404.
    let (s, _) = api
        .call("GET", &format!("/api/v1/agents/{agent}/card"), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = api
        .call("PUT", &format!("/api/v1/agents/{agent}/card/publish"), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let card = card_for(&api, &agent, None).await;
    assert_eq!(
        card["supportedInterfaces"][0]["url"],
        format!("{BASE}/a2a/agents/{agent}")
    );
    assert_eq!(card["supportedInterfaces"][0]["protocolVersion"], "1.0");
    assert_eq!(
        card["capabilities"]["extensions"][0]["uri"],
        cards::TRUST_EXTENSION_URI
    );
    let (s, _, public) = api
        .get_text(&format!("/a2a/agents/{agent}/agent.json"))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{public}");

    let (s, published) = api
        .call("PUT", &format!("/api/v1/agents/{agent}/card/publish"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{published}");
    let (s, _, text) = api
        .get_text(&format!("/a2a/agents/{agent}/agent.json"))
        .await;
    assert_eq!(s, StatusCode::OK);
    let public: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(public, card);

    // Verified with the key the server publishes, by its id; a changed card is rejected.
    let (s, keys) = api.call("GET", "/api/v1/audit/public-key", None).await;
    assert_eq!(s, StatusCode::OK);
    let find = |kid: &str| {
        keys["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["key_id"] == kid)
            .map(|k| {
                let raw = URL_SAFE_NO_PAD
                    .decode(k["public_key"].as_str().unwrap())
                    .unwrap();
                ed25519_dalek::VerifyingKey::from_bytes(&raw.try_into().unwrap()).unwrap()
            })
    };
    assert_eq!(cards::verify(&public, find), Ok(()));
    let mut tampered = public.clone();
    tampered["supportedInterfaces"][0]["url"] = json!("https://evil.example/a2a");
    assert_eq!(
        cards::verify(&tampered, find),
        Err(cards::CardSignatureError::Mismatch)
    );

    // Another organization: its key sees none of it.
    let other = api
        .store
        .run(|tx| airlock_server::create_key(tx, "other", "k", KeyRole::Admin))
        .await
        .unwrap();
    let (s, _) = api
        .call_as(&other, "GET", &format!("/api/v1/agents/{agent}/card"), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = api
        .call_as(
            &other,
            "POST",
            &format!("/api/v1/agents/{agent}/card"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = api
        .call_as(
            &other,
            "PUT",
            &format!("/api/v1/agents/{agent}/card/publish"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // An agent key may read a card but not make or publish one.
    let agent_key = api
        .store
        .run(|tx| airlock_server::create_key(tx, "default", "k", KeyRole::Agent))
        .await
        .unwrap();
    let (s, _) = api
        .call_as(
            &agent_key,
            "POST",
            &format!("/api/v1/agents/{agent}/card"),
            None,
        )
        .await;
    assert!(
        s == StatusCode::FORBIDDEN || s == StatusCode::UNAUTHORIZED,
        "{s}"
    );
    // A bad endpoint is refused.
    let (s, e) = api
        .call(
            "POST",
            &format!("/api/v1/agents/{agent}/card"),
            Some(json!({"url": "file:///etc/passwd"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
}

#[tokio::test]
async fn other_organizations_tasks_are_not_found() {
    let api = api().await;
    let (agent, session) = api.setup(&["a2a.*"], "standard").await;
    let sent = rpc(
        &api,
        "/a2a",
        Some(&session),
        "tasks/send",
        json!({"target_agent_id": agent, "message": "hello"}),
    )
    .await;
    let id = sent["result"]["id"].as_str().unwrap().to_string();
    let other = api
        .store
        .run(|tx| airlock_server::create_key(tx, "other", "k", KeyRole::Admin))
        .await
        .unwrap();
    for (method, params) in [
        ("tasks/get", json!({"id": id})),
        ("tasks/cancel", json!({"task_id": id})),
        (
            "message/send",
            json!({"message": {"parts": [{"text": "hi"}], "taskId": id}}),
        ),
    ] {
        let body = json!({"jsonrpc": "2.0", "id": 9, "method": method, "params": params});
        let (s, v) = post(&api, &other, "/a2a", None, &body.to_string()).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v["error"]["code"], -32001, "{method}: {v}");
    }
    // Its agent is unknown there too.
    let body = json!({"jsonrpc": "2.0", "id": 9, "method": "message/send", "params": send("hi")});
    let (_, v) = post(
        &api,
        &other,
        &format!("/a2a/agents/{agent}"),
        None,
        &body.to_string(),
    )
    .await;
    assert_eq!(v["error"]["code"], -32602, "{v}");
    // Without a key: 401.
    let (s, _) = post(&api, "", "/a2a", None, &body.to_string()).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn malformed_json_rpc_is_a_json_rpc_error_never_a_500() {
    let api = api().await;
    let (agent, _) = api.setup(&["a2a.*"], "standard").await;
    let path = format!("/a2a/agents/{agent}");
    for (body, status, code) in [
        ("{not json", StatusCode::BAD_REQUEST, -32700),
        ("[]", StatusCode::BAD_REQUEST, -32600),
        (
            r#"{"jsonrpc":"2.0","method":"tasks/get"}"#,
            StatusCode::BAD_REQUEST,
            -32600,
        ),
        (
            r#"{"jsonrpc":"1.0","id":1,"method":"tasks/get"}"#,
            StatusCode::BAD_REQUEST,
            -32600,
        ),
        (
            r#"{"jsonrpc":"2.0","id":1,"method":"tasks/list"}"#,
            StatusCode::OK,
            -32601,
        ),
        (
            r#"{"jsonrpc":"2.0","id":1,"method":"tasks/get","params":{}}"#,
            StatusCode::OK,
            -32602,
        ),
        (
            r#"{"jsonrpc":"2.0","id":1,"method":"message/send","params":{"message":{"parts":[]}}}"#,
            StatusCode::OK,
            -32602,
        ),
        (
            r#"{"jsonrpc":"2.0","id":1,"method":"tasks/get","params":{"id":"tsk_nope"}}"#,
            StatusCode::OK,
            -32001,
        ),
    ] {
        for p in ["/a2a", path.as_str()] {
            let (s, v) = post(&api, KEY, p, None, body).await;
            assert_eq!(
                (s, v["error"]["code"].as_i64()),
                (status, Some(code)),
                "{body}: {v}"
            );
            assert_eq!(v["jsonrpc"], "2.0");
        }
    }
    // Oversize messages are refused.
    let big = "x".repeat(70 * 1024);
    let body = json!({"jsonrpc": "2.0", "id": 1, "method": "message/send", "params": send(&big)});
    let (s, v) = post(&api, KEY, &path, None, &body.to_string()).await;
    assert!(
        s == StatusCode::OK || s == StatusCode::PAYLOAD_TOO_LARGE,
        "{s}"
    );
    if s == StatusCode::OK {
        assert_eq!(v["error"]["code"], -32602, "{v}");
    }
}

#[tokio::test]
async fn the_gateway_and_the_check_agree_on_the_effect() {
    let api = api().await;
    let (agent, session) = api.setup(&["a2a.*"], "standard").await;
    for text in [
        "Summarize the latest security report",
        "DROP TABLE users",
        "rm -rf /",
        "SELECT name FROM users",
    ] {
        let (s, check) = api
            .call(
                "POST",
                "/api/v1/agenttrust/check",
                Some(json!({"agent_id": agent, "session_id": session, "action_name": "a2a.message/send", "action_input_summary": text})),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{check}");
        rpc(
            &api,
            &format!("/a2a/agents/{agent}"),
            Some(&session),
            "message/send",
            send(text),
        )
        .await;
        let log = decisions(&api, &session).await;
        let last = log.last().unwrap();
        assert_eq!(last["action_name"], "a2a.message/send");
        assert_eq!(last["effect"], check["effect"], "{text}");
        assert_eq!(last["allowed"], check["allowed"], "{text}");
    }
    // A command inside prose: the gateway classifies the text with the command read out of it
    // (docs/a2a.md); the check given that same input decides the same, with the same digest.
    let text = "Please run DROP TABLE users on the prod database";
    let input = json!([text, "DROP TABLE users on the prod database"]);
    let (_, check) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(json!({"agent_id": agent, "session_id": session, "action_name": "a2a.message/send", "action_input": input})),
        )
        .await;
    rpc(
        &api,
        &format!("/a2a/agents/{agent}"),
        Some(&session),
        "message/send",
        send(text),
    )
    .await;
    let log = decisions(&api, &session).await;
    let (by_check, by_gateway) = (&log[log.len() - 2], &log[log.len() - 1]);
    assert_eq!(check["effect"], "destructive", "{check}");
    assert_eq!(by_gateway["effect"], check["effect"]);
    assert!(
        by_gateway["input_digest"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    assert_eq!(by_gateway["input_digest"], by_check["input_digest"]);
    assert_eq!(
        (by_gateway["source"].as_str(), by_check["source"].as_str()),
        (Some("a2a"), Some("api"))
    );
}

#[tokio::test]
async fn a_task_stays_in_the_session_it_was_opened_in() {
    let api = api().await;
    let (agent, session) = api.setup(&["a2a.*"], "standard").await;
    let path = format!("/a2a/agents/{agent}");
    let opened = rpc(&api, &path, Some(&session), "message/send", send("hello")).await;
    let task = opened["result"]["id"].as_str().unwrap().to_string();
    // Another session of the same agent (its default one) cannot carry the task on.
    let other = format!("default-{agent}");
    for (method, params) in [
        ("tasks/get", json!({"id": task})),
        (
            "message/send",
            json!({"message": {"role": "user", "parts": [{"kind": "text", "text": "more"}], "taskId": task}}),
        ),
    ] {
        let moved = rpc(&api, &path, Some(&other), method, params.clone()).await;
        assert_eq!(moved["error"]["code"], -32602, "{method}: {moved}");
        assert!(
            moved["error"]["message"]
                .as_str()
                .unwrap()
                .contains("stays in the session it was opened in"),
            "{moved}"
        );
        // Twin: the task's own session, named or not, goes on.
        for s in [Some(session.as_str()), None] {
            let same = rpc(&api, &path, s, method, params.clone()).await;
            assert!(same.get("result").is_some(), "{method} in {s:?}: {same}");
        }
    }
    // Nothing was decided for the refused calls: only the task's own session has decisions.
    assert_eq!(decisions(&api, &session).await.len(), 5);
}

#[tokio::test]
async fn card_skills_hold_only_what_canonical_json_writes_one_way() {
    let api = api().await;
    let (agent, _) = api.setup(&["a2a.*"], "standard").await;
    let path = format!("/api/v1/agents/{agent}/card");
    let skill =
        |weight: Value| json!({"skills": [{"id": "s1", "name": "Search", "weight": weight}]});
    let (s, v) = api.call("POST", &path, Some(skill(json!(1.5)))).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["error"], "invalid_request", "{v}");
    let (s, v) = api.call("POST", &path, Some(skill(json!(2)))).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["skills"][0]["weight"], 2, "{v}");
}
