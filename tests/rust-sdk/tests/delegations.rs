//! Delegations with the published Rust SDK (`agenttrustid` 0.5.0, `client.delegations()`)
//! against a real `airlock serve` (docs/delegations.md): create (narrowing accepted, widening
//! refused, a sixth hop refused), get, list, revoke (cascading to the child and its delegated
//! session), a delegated session held to its scope, and another organization's ids answering
//! 404. The binary comes from `AIRLOCK_BIN` (default: the workspace's target/debug/airlock).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use agenttrustid::{
    ActionCheckRequest, AgentTrustClient, AgentTrustError, CreateAgentRequest,
    CreateDelegationRequest,
};
use serde_json::json;

const KEY: &str = "sk_live_rustsdk_delegations_0123456789";

struct Server {
    child: Child,
    url: String,
    dir: std::path::PathBuf,
    bin: String,
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
    let dir = std::env::temp_dir().join(format!(
        "airlock-rust-sdk-delegations-{}-{n}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}");
    let mut child = Command::new(&bin)
        .args([
            "serve",
            "--addr",
            &format!("127.0.0.1:{port}"),
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
        dir,
        bin,
    }
}

impl Server {
    fn client(&self, key: &str) -> AgentTrustClient {
        AgentTrustClient::builder()
            .base_url(&self.url)
            .api_key(key)
            .build()
            .unwrap()
    }

    /// A key of another organization, made with `airlock keys create`.
    fn other_org_key(&self) -> String {
        let out = Command::new(&self.bin)
            .args(["keys", "create", "--org", "other-org", "--data-dir"])
            .arg(&self.dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap().trim().to_string()
    }
}

fn agent(c: &AgentTrustClient, name: &str, caps: &[&str]) -> String {
    c.agents()
        .create(&CreateAgentRequest {
            name: name.into(),
            framework: "custom".into(),
            capabilities: caps.iter().map(|s| s.to_string()).collect(),
            metadata: json!({}),
            org_id: None,
            public_key: None,
        })
        .unwrap()
        .id
}

fn request(from: &str, to: &str, scope: &[&str], parent: Option<&str>) -> CreateDelegationRequest {
    CreateDelegationRequest {
        from_agent_id: from.into(),
        to_agent_id: to.into(),
        scope: scope.iter().map(|s| s.to_string()).collect(),
        ttl_seconds: Some(600),
        restrictions: None,
        parent_delegation_id: parent.map(String::from),
    }
}

fn check(
    c: &AgentTrustClient,
    agent: &str,
    session: &str,
    action: &str,
    input: &str,
) -> (bool, String) {
    let r = c
        .actions()
        .check(&ActionCheckRequest {
            agent_id: agent.into(),
            action: "tool_call".into(),
            tool_name: action.into(),
            tool_input_summary: input.into(),
            session_id: session.into(),
            action_effect: None,
        })
        .unwrap();
    (r.allowed, r.reason.unwrap_or_default())
}

#[test]
fn delegations_narrow_and_their_sessions_end_with_them() {
    let server = start();
    let c = server.client(KEY);
    let planner = agent(&c, "planner", &["db.*"]);
    let worker = agent(&c, "worker", &["db.*"]);
    let helper = agent(&c, "helper", &["db.query.read"]);

    let root = c
        .delegations()
        .create(&request(&planner, &worker, &["db.*"], None))
        .unwrap();
    assert!(root.id.starts_with("dlg_"));
    assert_eq!(root.scope, vec!["db.*"]);
    assert_eq!(root.delegation_chain, Some(vec![]));
    let child = c
        .delegations()
        .create(&request(
            &worker,
            &helper,
            &["db.query.read"],
            Some(&root.id),
        ))
        .unwrap();
    assert_eq!(child.delegation_chain, Some(vec![root.id.clone()]));
    assert_eq!(child.from_agent_id, worker);

    // Widening is refused: the reverse of a narrowing, and a bare `*`.
    for scope in [&["db.*"][..], &["*"][..]] {
        match c
            .delegations()
            .create(&request(&helper, &worker, scope, Some(&child.id)))
        {
            Err(AgentTrustError::Authorization { message, .. }) => {
                assert!(message.contains("never widens"), "{message}")
            }
            other => panic!("{scope:?}: {other:?}"),
        }
    }
    match c
        .delegations()
        .create(&request(&planner, &planner, &["db.*"], None))
    {
        Err(AgentTrustError::Validation { message, .. }) => {
            assert!(message.contains("itself"), "{message}")
        }
        other => panic!("self-delegation: {other:?}"),
    }

    let got = c.delegations().get(&child.id).unwrap();
    assert_eq!(got.id, child.id);
    assert_eq!(got.scope, vec!["db.query.read"]);
    assert_eq!(got.expires_at, child.expires_at);
    let ids: Vec<String> = c
        .delegations()
        .list()
        .unwrap()
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(ids, vec![root.id.clone(), child.id.clone()]);

    let session = c.delegations().init_session(&child.id).unwrap();
    assert_eq!(session.source, "a2a");
    assert_eq!(session.agent_id, helper);
    assert_eq!(session.scope_ceiling, vec!["db.query.read"]);
    let (allowed, reason) = check(
        &c,
        &helper,
        &session.session_id,
        "db.query.read",
        "SELECT 1",
    );
    assert!(allowed, "{reason}");
    let (allowed, reason) = check(
        &c,
        &helper,
        &session.session_id,
        "db.drop_table",
        "DROP TABLE t",
    );
    assert!(!allowed);
    assert!(
        reason.contains(&format!("delegation `{}`", child.id)),
        "{reason}"
    );

    // Revoking the root ends the child and its session at once.
    c.delegations().revoke(&root.id).unwrap();
    assert!(c.delegations().get(&child.id).unwrap().revoked_at.is_some());
    let (allowed, reason) = check(
        &c,
        &helper,
        &session.session_id,
        "db.query.read",
        "SELECT 1",
    );
    assert!(!allowed);
    assert!(
        reason.contains(&format!("delegation `{}` was revoked", root.id)),
        "{reason}"
    );
    assert!(matches!(
        c.delegations().init_session(&child.id),
        Err(AgentTrustError::Authorization { .. })
    ));

    // Another organization: 404 for every id, an empty list.
    let other = server.client(&server.other_org_key());
    assert!(other.delegations().list().unwrap().is_empty());
    assert!(matches!(
        other.delegations().get(&child.id),
        Err(AgentTrustError::NotFound { .. })
    ));
    assert!(matches!(
        other.delegations().revoke(&child.id),
        Err(AgentTrustError::NotFound { .. })
    ));
    assert!(matches!(
        other.delegations().init_session(&child.id),
        Err(AgentTrustError::NotFound { .. })
    ));
}

#[test]
fn a_sixth_hop_is_refused() {
    let server = start();
    let c = server.client(KEY);
    let agents: Vec<String> = (0..7)
        .map(|i| agent(&c, &format!("hop{i}"), &["db.*"]))
        .collect();
    let mut parent: Option<String> = None;
    for hop in 0..5 {
        let d = c
            .delegations()
            .create(&request(
                &agents[hop],
                &agents[hop + 1],
                &["db.query.read"],
                parent.as_deref(),
            ))
            .unwrap();
        parent = Some(d.id);
    }
    match c.delegations().create(&request(
        &agents[5],
        &agents[6],
        &["db.query.read"],
        parent.as_deref(),
    )) {
        Err(AgentTrustError::Validation { message, .. }) => {
            assert!(message.contains("at most 5 hops"), "{message}")
        }
        other => panic!("sixth hop: {other:?}"),
    }
}
