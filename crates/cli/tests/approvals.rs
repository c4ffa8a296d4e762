//! `airlock approvals …`: the real binary against an in-process server on a local port.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::{Command, Output};
use std::time::Duration;

use serde_json::{Value, json};

use airlock_mcp::remote::Client;
use airlock_server::{Config, Service};
use airlock_store::{Options, Store};

const KEY: &str = "sk_live_clitest0123456789abc";

struct Server {
    url: String,
    agent_key: String,
    runtime: tokio::runtime::Runtime,
    _dir: tempfile::TempDir,
}

impl Server {
    fn start() -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (url, agent_key) = runtime.block_on(async {
            let store = Store::open(dir.path(), Options { migrate: true }).unwrap();
            store
                .run(|tx| airlock_server::bootstrap(tx, Some(KEY)))
                .await
                .unwrap();
            let agent_key = store
                .run(|tx| {
                    airlock_server::create_key(
                        tx,
                        "default",
                        "runner",
                        airlock_server::KeyRole::Agent,
                    )
                })
                .await
                .unwrap();
            let app = airlock_server::router(Service::new(store, Config::default()));
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
            (format!("http://{addr}"), agent_key)
        });
        Server {
            url,
            agent_key,
            runtime,
            _dir: dir,
        }
    }

    fn api(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let client = Client::new(&self.url, KEY, Duration::from_secs(10)).unwrap();
        self.runtime.block_on(async {
            match (method, body) {
                ("POST", Some(b)) => client.post(path, &b).await.unwrap(),
                _ => client.get(path).await.unwrap(),
            }
        })
    }

    /// An agent and a session in `standard` mode, where a destructive call asks for a call
    /// approval.
    fn session(&self, name: &str) -> (String, String) {
        let agent = self.api(
            "POST",
            "/api/v1/agents",
            Some(json!({"name": name, "capabilities": ["db.*"]})),
        );
        let server = self.api("POST", "/mcp/servers", Some(json!({"name": name, "url": "http://localhost:1", "capabilities": ["db.*"], "default_mode": "standard"})));
        let agent_id = agent["id"].as_str().unwrap().to_string();
        let session = self.api(
            "POST",
            "/mcp/sessions/init",
            Some(json!({"agent_id": agent_id, "server_id": server["id"]})),
        );
        (
            agent_id,
            session["session_id"].as_str().unwrap().to_string(),
        )
    }

    /// A destructive call, denied with a new approval; returns its id.
    fn ask(&self, agent: &str, session: &str, input: Value) -> String {
        let v = self.api(
            "POST",
            "/api/v1/agenttrust/check",
            Some(json!({"agent_id": agent, "session_id": session, "action_name": "db.execute", "action_input": input})),
        );
        assert_eq!(v["allowed"], false, "{v}");
        v["approval_id"].as_str().unwrap().to_string()
    }

    /// Runs `airlock approvals <args>` with the URL and key from the environment.
    fn cli(&self, args: &[&str]) -> Output {
        self.cli_as(KEY, args)
    }

    fn cli_as(&self, key: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_airlock"))
            .arg("approvals")
            .args(args)
            .env("AGENTTRUST_URL", &self.url)
            .env("AGENTTRUST_API_KEY", key)
            .output()
            .unwrap()
    }
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn json_out(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).unwrap()
}

fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn list_show_approve_and_deny_through_the_binary() {
    let server = Server::start();
    let (agent, s1) = server.session("one");
    let (agent2, s2) = server.session("two");
    let input = json!({"sql": "DROP TABLE users", "reason": "cleanup"});
    let a1 = server.ask(&agent, &s1, input.clone());
    let a2 = server.ask(&agent, &s1, json!("DELETE FROM orders"));
    let a3 = server.ask(&agent2, &s2, json!("TRUNCATE audit"));

    // `list --json` prints a JSON array of approval objects.
    let all = json_out(&server.cli(&["list", "--json"]));
    assert_eq!(ids(&all), [a1.clone(), a2.clone(), a3.clone()]);
    assert_eq!(all[0]["action_name"], "db.execute");
    assert_eq!(all[0]["status"], "pending");
    // The table, for people.
    let table = stdout(&server.cli(&["list"]));
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 4, "{table}");
    assert!(
        lines[0].starts_with("ID") && lines[0].contains("STATUS") && lines[0].contains("EXPIRES")
    );
    assert!(
        lines[1].starts_with(&a1)
            && lines[1].contains("pending")
            && lines[1].contains("destructive")
    );
    // Filters.
    let by_session = json_out(&server.cli(&["list", "--session", &s2, "--json"]));
    assert_eq!(ids(&by_session), vec![a3.clone()]);

    // `show`: the whole input, reasons, digest, session, agent, expiry.
    let shown = stdout(&server.cli(&["show", &a1]));
    for part in [
        a1.as_str(),
        "db.execute",
        "destructive",
        s1.as_str(),
        agent.as_str(),
        "\"sql\": \"DROP TABLE users\"",
        "\"reason\": \"cleanup\"",
        "digest",
        "expires",
        "reasons",
    ] {
        assert!(shown.contains(part), "missing {part}: {shown}");
    }
    let shown = json_out(&server.cli(&["show", &a1, "--json"]));
    assert_eq!(shown["input"], input);
    assert!(!shown["reasons"].as_array().unwrap().is_empty());

    // Approve and deny, with a note; the URL and key may also be flags.
    let out = Command::new(env!("CARGO_BIN_EXE_airlock"))
        .args(["approvals", "--url", &server.url, "--api-key", KEY])
        .args(["approve", &a1, "--note", "checked with the DBA"])
        .env_remove("AGENTTRUST_URL")
        .env_remove("AGENTTRUST_API_KEY")
        .output()
        .unwrap();
    assert_eq!(stdout(&out).trim(), format!("approval {a1}: approved"));
    let denied = json_out(&server.cli(&["deny", &a2, "--note", "not today", "--json"]));
    assert_eq!(denied["status"], "denied");
    assert_eq!(denied["approval"]["note"], "not today");
    assert_eq!(denied["approval"]["decided_by"], "cli");
    let shown = json_out(&server.cli(&["show", &a1, "--json"]));
    assert_eq!(shown["note"], "checked with the DBA");
    assert_eq!(shown["status"], "approved");

    for (status, want) in [
        ("pending", vec![a3.clone()]),
        ("approved", vec![a1.clone()]),
        ("denied", vec![a2.clone()]),
        ("expired", vec![]),
        ("used", vec![]),
    ] {
        let got = json_out(&server.cli(&["list", "--status", status, "--json"]));
        assert_eq!(ids(&got), want, "{status}");
    }
    let empty = stdout(&server.cli(&["list", "--status", "used"]));
    assert_eq!(empty.trim(), "no approvals");
}

#[test]
fn errors_are_clear_and_exit_non_zero() {
    let server = Server::start();
    let (agent, s1) = server.session("one");
    let a1 = server.ask(&agent, &s1, json!("DROP TABLE t"));

    let out = server.cli(&["show", "apr_nosuch"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("apr_nosuch") && err.contains("404"), "{err}");
    assert!(out.stdout.is_empty());

    let out = server.cli(&["approve", "apr_nosuch"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("404"));

    // Deciding twice is a conflict.
    stdout(&server.cli(&["deny", &a1]));
    let out = server.cli(&["approve", &a1]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("already denied"), "{err}");

    // An agent key cannot decide.
    let (agent2, s2) = server.session("two");
    let a2 = server.ask(&agent2, &s2, json!("DROP TABLE u"));
    let out = server.cli_as(&server.agent_key, &["approve", &a2]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("403"));

    // A status clap does not know is a usage error.
    let out = server.cli(&["list", "--status", "maybe"]);
    assert_eq!(out.status.code(), Some(2));

    // No key at all.
    let out = Command::new(env!("CARGO_BIN_EXE_airlock"))
        .args(["approvals", "--url", &server.url, "list"])
        .env_remove("AGENTTRUST_API_KEY")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("AGENTTRUST_API_KEY"));

    // Nothing listening.
    let out = Command::new(env!("CARGO_BIN_EXE_airlock"))
        .args([
            "approvals",
            "--url",
            "http://127.0.0.1:9",
            "--api-key",
            KEY,
            "list",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot be reached"));
}
