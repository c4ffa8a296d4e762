//! The A2A gateway and agent cards through the published Rust SDK (`agenttrustid` 0.5.0:
//! `a2a()`, `agentcards()`) against a real `airlock serve` (docs/a2a.md). The target is a small
//! real A2A agent on a socket, started here (JSON-RPC `message/send` over HTTP/1.1), that
//! records what it receives: an allowed message reaches it, a destructive one never does. The
//! card's signature is verified with ed25519-dalek and the key the server publishes.
//! The binary comes from `AIRLOCK_BIN` (default: the workspace's target/debug/airlock).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use agenttrustid::{AgentTrustClient, AgentTrustError, CreateAgentRequest, SendTaskRequest};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde_json::{json, Value};

const KEY: &str = "sk_live_rustsdk_a2a_0123456789abcdef";

struct Server {
    child: Child,
    url: String,
    _dir: std::path::PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let bin = std::env::var("AIRLOCK_BIN")
        .unwrap_or_else(|_| format!("{}/../../target/debug/airlock", env!("CARGO_MANIFEST_DIR")));
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("airlock-rust-sdk-a2a-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let mut child = Command::new(bin)
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
            "--public-url",
            &url,
            "--data-dir",
        ])
        .arg(&dir)
        .env("AIRLOCK_BOOTSTRAP_API_KEY", KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start airlock (build it first, or set AIRLOCK_BIN)");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    loop {
        let line = lines
            .next()
            .expect("airlock exited before listening")
            .unwrap();
        if line.contains("listening on") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    Server {
        child,
        url,
        _dir: dir,
    }
}

/// A minimal A2A agent: one thread, HTTP/1.1 with `Connection: close`, answering every
/// `message/send` with a completed task echoing its text. Returns its URL and what it got.
fn start_agent() -> (String, Arc<Mutex<Vec<Value>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/", listener.local_addr().unwrap());
    let seen: Arc<Mutex<Vec<Value>>> = Arc::default();
    let log = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut length = 0usize;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    }
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            log.lock().unwrap().push(request.clone());
            let text = request["params"]["message"]["parts"][0]["text"]
                .as_str()
                .unwrap_or("")
                .to_string();
            let answer = json!({"jsonrpc": "2.0", "id": request["id"], "result": {
                "kind": "task", "id": "agent-task", "contextId": "ctx",
                "status": {"state": "completed"},
                "artifacts": [{"artifactId": "a1", "parts": [{"kind": "text", "text": format!("echo: {text}")}]}],
            }})
            .to_string();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{answer}",
                answer.len()
            );
        }
    });
    (url, seen)
}

fn client(url: &str, session: Option<&str>) -> AgentTrustClient {
    let mut b = AgentTrustClient::builder().base_url(url).api_key(KEY);
    if let Some(s) = session {
        b = b.default_header("X-Session-ID", s);
    }
    b.build().unwrap()
}

fn raw(
    url: &str,
    method: &str,
    path: &str,
    session: Option<&str>,
    body: Option<Value>,
) -> (u16, Value) {
    let http = reqwest::blocking::Client::new();
    let mut req = http
        .request(method.parse().unwrap(), format!("{url}{path}"))
        .header("x-api-key", KEY);
    if let Some(s) = session {
        req = req.header("x-session-id", s);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().unwrap_or(Value::Null))
}

/// An agent with `a2a.*` and a `standard` session for it (a server registered in that mode).
fn agent_and_session(s: &Server, name: &str, a2a_url: Option<&str>) -> (String, String) {
    let c = client(&s.url, None);
    let metadata = a2a_url.map_or(json!({}), |u| json!({"a2a_url": u}));
    let agent = c
        .agents()
        .create(&CreateAgentRequest {
            name: name.into(),
            framework: "custom".into(),
            capabilities: vec!["a2a.*".into()],
            metadata,
            ..Default::default()
        })
        .unwrap();
    let session = standard_session(s, &agent.id);
    (agent.id, session)
}

/// A new `standard` session of `agent` (a server registered in that mode, `a2a.*` allowed).
fn standard_session(s: &Server, agent: &str) -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let (st, server) = raw(
        &s.url,
        "POST",
        "/mcp/servers",
        None,
        Some(
            json!({"name": format!("peers-{n}"), "url": "http://localhost:1", "capabilities": ["a2a.*"], "default_mode": "standard"}),
        ),
    );
    assert_eq!(st, 201, "{server}");
    client(&s.url, None)
        .sessions()
        .init_session(agent, server["id"].as_str().unwrap())
        .unwrap()
        .session_id
}

fn rpc_code(e: &AgentTrustError) -> String {
    match e {
        AgentTrustError::Api { code, .. } => code.clone(),
        other => panic!("expected an A2A RPC error, got {other:?}"),
    }
}

#[test]
fn messages_are_decided_before_they_reach_the_agent() {
    let s = start();
    let (agent_url, seen) = start_agent();
    let (agent, session) = agent_and_session(&s, "worker", Some(&agent_url));
    let c = client(&s.url, Some(&session));
    let card = c.agentcards().generate(&agent).unwrap();
    assert_eq!(card.primary_url(), Some(agent_url.as_str()));

    let task = c
        .a2a()
        .send_message(&agent, "Summarize the latest security report", None, None)
        .unwrap();
    assert!(task.id.starts_with("tsk_"), "{task:?}");
    assert_eq!(task.status.state, "completed");
    assert!(task.status.timestamp.is_some());
    assert_eq!(
        task.artifacts.unwrap()[0]["parts"][0]["text"],
        "echo: Summarize the latest security report"
    );
    assert_eq!(seen.lock().unwrap().len(), 1);

    let err = c
        .a2a()
        .send_message(
            &agent,
            "Please run DROP TABLE users on the production database",
            None,
            None,
        )
        .unwrap_err();
    assert_eq!(rpc_code(&err), "A2A_ERROR_-32010");
    assert!(err.to_string().contains("denied by Airlock"), "{err}");
    assert_eq!(
        seen.lock().unwrap().len(),
        1,
        "the denied message never reached the agent"
    );

    // Recorded: the session's decisions show the allowed and the denied call.
    let (st, log) = raw(
        &s.url,
        "GET",
        &format!("/api/v1/sessions/{session}/decisions"),
        None,
        None,
    );
    assert_eq!(st, 200, "{log}");
    let allowed: Vec<bool> = log["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["allowed"].as_bool().unwrap())
        .collect();
    assert_eq!(allowed, vec![true, false]);
}

#[test]
fn tasks_send_get_and_cancel_through_the_sdk() {
    let s = start();
    let (source, _) = agent_and_session(&s, "planner", None);
    let (target, session) = agent_and_session(&s, "worker", None);
    let c = client(&s.url, Some(&session));
    let task = c
        .a2a()
        .create_task(&SendTaskRequest {
            source_agent_id: source.clone(),
            target_agent_id: target.clone(),
            message: json!({"text": "Summarize the report"}),
        })
        .unwrap();
    assert!(task.id.starts_with("tsk_"));
    assert_eq!(
        (task.status.as_str(), task.source_agent_id.as_str()),
        ("submitted", source.as_str())
    );
    assert_eq!(task.message, Some(json!({"text": "Summarize the report"})));
    let got = c.a2a().get_task(&task.id).unwrap();
    assert_eq!(
        (got.id.as_str(), got.status.as_str()),
        (task.id.as_str(), "submitted")
    );

    // Cancel is destructive by its name: denied until a person approves this exact call.
    let err = c.a2a().cancel_task(&task.id).unwrap_err();
    assert_eq!(rpc_code(&err), "A2A_ERROR_-32010");
    let (_, denied) = raw(
        &s.url,
        "POST",
        "/a2a",
        Some(&session),
        Some(
            json!({"jsonrpc": "2.0", "id": 1, "method": "tasks/cancel", "params": {"id": task.id}}),
        ),
    );
    let approval = denied["error"]["data"]["approval_id"]
        .as_str()
        .unwrap()
        .to_string();
    c.approvals().approve(&approval, "rust-sdk-test").unwrap();
    let canceled = c.a2a().cancel_task(&task.id).unwrap();
    assert_eq!(canceled.status, "canceled");

    // A task stays in the session it was opened in: another session cannot carry it on.
    let fresh = client(&s.url, Some(&standard_session(&s, &target)));
    let err = fresh
        .a2a()
        .send_message(&target, "more", None, Some(task.id.clone()))
        .unwrap_err();
    assert_eq!(rpc_code(&err), "A2A_ERROR_-32602");
    // Terminal: a further message is refused (before anything is decided) and the state stays.
    let err = c
        .a2a()
        .send_message(&target, "more", None, Some(task.id.clone()))
        .unwrap_err();
    assert_eq!(rpc_code(&err), "A2A_ERROR_-32004");
    assert_eq!(c.a2a().get_task(&task.id).unwrap().status, "canceled");
    let err = c.a2a().get_task("tsk_missing").unwrap_err();
    assert_eq!(rpc_code(&err), "A2A_ERROR_-32001");
}

#[test]
fn a_published_card_is_signed_by_the_servers_key() {
    let s = start();
    let (agent, _) = agent_and_session(&s, "carded", None);
    let c = client(&s.url, None);
    assert!(matches!(
        c.agentcards().get_public(&agent),
        Err(AgentTrustError::NotFound { .. })
    ));
    let card = c.agentcards().generate(&agent).unwrap();
    assert_eq!(
        card.primary_url(),
        Some(format!("{}/a2a/agents/{agent}", s.url).as_str())
    );
    // The SDK registered the agent with an Ed25519 key: the card carries it as a JWK.
    assert_eq!(card.trust_score(), 90.0);
    assert!(card.agent_public_key_pem().is_some());
    assert!(matches!(
        c.agentcards().get_public(&agent),
        Err(AgentTrustError::NotFound { .. })
    ));
    c.agentcards().publish(&agent).unwrap();
    let public = c.agentcards().get_public(&agent).unwrap();
    assert_eq!(public.name, "carded");

    let (_, card) = raw(
        &s.url,
        "GET",
        &format!("/a2a/agents/{agent}/agent.json"),
        None,
        None,
    );
    let (_, keys) = raw(&s.url, "GET", "/api/v1/audit/public-key", None, None);
    let verify = |card: &Value| -> bool {
        let sig = &card["signatures"][0];
        let protected = sig["protected"].as_str().unwrap();
        let header: Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(protected).unwrap()).unwrap();
        let key = keys["keys"]
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["key_id"] == header["kid"])
            .unwrap();
        let raw_key: [u8; 32] = URL_SAFE_NO_PAD
            .decode(key["public_key"].as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap();
        let vk = VerifyingKey::from_bytes(&raw_key).unwrap();
        let mut unsigned = card.clone();
        unsigned.as_object_mut().unwrap().remove("signatures");
        let payload = URL_SAFE_NO_PAD.encode(canonical(&unsigned));
        let signature = Signature::from_slice(
            &URL_SAFE_NO_PAD
                .decode(sig["signature"].as_str().unwrap())
                .unwrap(),
        )
        .unwrap();
        vk.verify(format!("{protected}.{payload}").as_bytes(), &signature)
            .is_ok()
    };
    assert!(verify(&card));
    let mut tampered = card.clone();
    tampered["name"] = json!("impostor");
    assert!(!verify(&tampered));
}

/// Compact JSON with every object's keys sorted (RFC 8785 for the strings, integers and
/// booleans a card holds).
fn canonical(v: &Value) -> String {
    match v {
        Value::Object(map) => {
            let sorted: std::collections::BTreeMap<&String, String> =
                map.iter().map(|(k, v)| (k, canonical(v))).collect();
            let body: Vec<String> = sorted
                .iter()
                .map(|(k, v)| format!("{}:{v}", Value::String((*k).clone())))
                .collect();
            format!("{{{}}}", body.join(","))
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}
