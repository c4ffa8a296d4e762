//! The published Rust SDK (`agenttrustid` 0.5.0) against a real `airlock serve`.
//! The binary comes from `AIRLOCK_BIN` (default: the workspace's target/debug/airlock).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use agenttrustid::{
    ActionCheckRequest, AgentTrustClient, CreateAgentRequest, IntrospectTokenRequest, IssueTokenRequest,
    RegisterMCPServerRequest,
};

const KEY: &str = "sk_live_rustsdk_e2e_0123456789";

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
    let bin = std::env::var("AIRLOCK_BIN").unwrap_or_else(|_| {
        format!("{}/../../target/debug/airlock", env!("CARGO_MANIFEST_DIR"))
    });
    let dir = std::env::temp_dir().join(format!("airlock-rust-sdk-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut child = Command::new(bin)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(&dir)
        .env("AIRLOCK_BOOTSTRAP_API_KEY", KEY)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start airlock (build it first, or set AIRLOCK_BIN)");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    loop {
        let line = lines.next().expect("airlock exited before listening").unwrap();
        if line.contains("listening on") {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    Server { child, url: format!("http://127.0.0.1:{port}"), _dir: dir }
}

fn client(url: &str) -> AgentTrustClient {
    AgentTrustClient::builder().base_url(url).api_key(KEY).build().unwrap()
}

#[test]
fn the_seed_flow_tokens_and_revocation_through_the_rust_sdk() {
    let server = start();
    let c = client(&server.url);
    assert_eq!(c.health().unwrap().status, "healthy");

    let caps = vec!["db.schema.read".to_string(), "db.query.read".to_string(), "db.migration.plan".to_string()];
    let srv = c
        .mcp()
        .register_server(&RegisterMCPServerRequest {
            name: "production-db".into(),
            url: "http://localhost:9000".into(),
            capabilities: Some(caps.clone()),
        })
        .unwrap();
    assert_eq!(c.mcp().get_server(&srv.id).unwrap().id, srv.id);
    assert!(c.mcp().list_servers().unwrap().iter().any(|s| s.id == srv.id));

    let agent = c
        .agents()
        .create(&CreateAgentRequest {
            name: "migration-planner".into(),
            framework: "custom".into(),
            capabilities: caps.clone(),
            metadata: serde_json::json!({}),
            org_id: None,
            public_key: None,
        })
        .unwrap();
    assert_eq!(agent.status, "active");
    let session = c.sessions().init_session(&agent.id, &srv.id).unwrap();
    assert_eq!(session.scope_ceiling, caps);
    assert_eq!(session.mode, "read_only");

    let check = |tool: &str, input: &str, effect: &str| {
        c.actions()
            .check(&ActionCheckRequest {
                agent_id: agent.id.clone(),
                tool_name: tool.into(),
                tool_input_summary: input.into(),
                session_id: session.session_id.clone(),
                action_effect: Some(effect.into()),
                ..Default::default()
            })
            .unwrap()
    };
    let read = check("db.schema.read", "Inspect accounts table columns.", "read");
    assert!(read.allowed, "{read:?}");
    let drop = check("db.drop_database", "DROP DATABASE production", "destructive");
    assert!(!drop.allowed);
    assert!(drop.reason.unwrap_or_default().contains("scope ceiling"));

    // A write in the read_only session asks for elevation; the approval is readable.
    let plan = check("db.migration.plan", "", "mutating");
    assert!(!plan.allowed);
    assert_eq!(plan.elevation_required, Some(true));
    let approval_id = plan.approval_id.unwrap();
    assert_eq!(c.approvals().get(&approval_id).unwrap().status, "pending");
    c.approvals().approve(&approval_id, "rust-sdk").unwrap();
    assert!(check("db.migration.plan", "", "mutating").allowed);

    let got = c.sessions().get_session(&session.session_id).unwrap();
    assert_eq!(got.total_calls, 4);
    assert_eq!(got.denied_calls, 2);

    // Tokens: issue, introspect, revoke, and inactive on the very next call.
    let token = c
        .tokens()
        .issue(&IssueTokenRequest { agent_id: agent.id.clone(), scope: vec!["db.query.read".into()], audience: vec![], ttl: 300 })
        .unwrap();
    assert!(token.token.starts_with("at_"));
    let intro = |t: &str| {
        c.tokens()
            .introspect(&IntrospectTokenRequest { token: t.into(), target: None, required_scopes: vec!["db.query.read".into()] })
            .unwrap()
    };
    assert!(intro(&token.token).active);
    c.tokens().revoke(&token.token, "test").unwrap();
    assert!(!intro(&token.token).active);

    // Agent revocation: denied afterwards.
    c.agents().revoke(&agent.id, "test").unwrap();
    assert_eq!(c.agents().get(&agent.id).unwrap().status, "revoked");
    assert!(!check("db.schema.read", "", "read").allowed);

    // Errors carry a message the SDK can read.
    let missing = c.agents().get("agt_missing").unwrap_err();
    assert!(missing.to_string().contains("not found"), "{missing}");
    c.mcp().remove_server(&srv.id).unwrap();
}
