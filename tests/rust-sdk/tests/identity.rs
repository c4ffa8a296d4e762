//! Who is asking, proven: the published Rust SDK's `AgentCredentials` (`agenttrustid` 0.5.0:
//! challenge, proof of possession, WIMSE token, a DPoP proof per check) against a real
//! `airlock serve` whose organization requires proof of possession. Replayed, stale,
//! wrong-`htu`, wrong-key and stolen-token proofs are refused; revoking the agent or rotating
//! its key stops its token at once. Proofs the SDK would never make are built here by hand,
//! with the SDK's own signing function, and sent with reqwest.
//! The binary comes from `AIRLOCK_BIN` (default: the workspace's target/debug/airlock).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use agenttrustid::keys::{generate_agent_key, parse_public_key, sign_with_private_key_pem, InMemoryKeyStore, KeyStore};
use agenttrustid::{
    mint_dpop_proof, ActionCheckRequest, AgentCredentials, AgentTrustClient, AgentTrustError, CreateAgentRequest,
    IssueWIMSETokenRequest, VerifyWIMSETokenRequest,
};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const KEY: &str = "sk_live_rustsdk_identity_0123456789";
const CHECK: &str = "/api/v1/agenttrust/check";

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
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = std::env::temp_dir().join(format!("airlock-rust-sdk-identity-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}");
    let mut child = Command::new(bin)
        .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--public-url", &url, "--data-dir"])
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
    Server { child, url, _dir: dir }
}

fn client(url: &str) -> AgentTrustClient {
    AgentTrustClient::builder().base_url(url).api_key(KEY).build().unwrap()
}

fn read_check(agent_id: &str) -> ActionCheckRequest {
    ActionCheckRequest {
        agent_id: agent_id.into(),
        tool_name: "files.read".into(),
        tool_input_summary: "README.md".into(),
        ..Default::default()
    }
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A DPoP proof as the SDK shapes it, with every claim chosen by the test.
fn hand_proof(private_pem: &str, public_pem: &str, htu: &str, token: &str, iat: i64, jti: &str) -> String {
    let x = b64(parse_public_key(public_pem).unwrap().as_bytes());
    let header = json!({"typ": "dpop+jwt", "alg": "EdDSA", "jwk": {"kty": "OKP", "crv": "Ed25519", "x": x}});
    let ath = b64(&Sha256::digest(token.as_bytes()));
    let payload = json!({"htm": "POST", "htu": htu, "iat": iat, "jti": jti, "ath": ath});
    let input = format!("{}.{}", b64(header.to_string().as_bytes()), b64(payload.to_string().as_bytes()));
    let sig = sign_with_private_key_pem(private_pem, input.as_bytes()).unwrap();
    format!("{input}.{}", b64(&sig))
}

/// A raw check with the given token and proof: (status, body).
fn raw_check(url: &str, agent_id: &str, token: &str, proof: &str) -> (u16, Value) {
    let resp = reqwest::blocking::Client::new()
        .post(format!("{url}{CHECK}"))
        .header("X-API-Key", KEY)
        .header("Authorization", format!("Bearer {token}"))
        .header("DPoP", proof)
        .json(&json!({"agent_id": agent_id, "action_name": "files.read", "action_source": "api"}))
        .send()
        .unwrap();
    (resp.status().as_u16(), resp.json().unwrap_or(Value::Null))
}

fn admin(url: &str, method: reqwest::Method, path: &str, body: Value) -> (u16, Value) {
    let resp = reqwest::blocking::Client::new()
        .request(method, format!("{url}{path}"))
        .header("X-API-Key", KEY)
        .json(&body)
        .send()
        .unwrap();
    (resp.status().as_u16(), resp.json().unwrap_or(Value::Null))
}

fn assert_401(result: agenttrustid::Result<impl std::fmt::Debug>, what: &str) -> String {
    match result {
        Err(AgentTrustError::Authentication { message, .. }) => message,
        other => panic!("{what}: expected a 401, got {other:?}"),
    }
}

fn credentials(c: &AgentTrustClient, agent_id: &str, private_pem: &str, public_pem: &str) -> AgentCredentials {
    let mut ks = InMemoryKeyStore::new();
    ks.store(agent_id, private_pem).unwrap();
    AgentCredentials::new(c, ks, agent_id, public_pem)
}

#[test]
fn with_proof_of_possession_required_only_the_key_holder_gets_a_decision() {
    let server = start();
    let url = server.url.as_str();
    let c = client(url);
    let create = |name: &str| {
        c.agents()
            .create(&CreateAgentRequest {
                name: name.into(),
                framework: "custom".into(),
                capabilities: vec!["files.read".into()],
                metadata: json!({}),
                org_id: None,
                public_key: None,
            })
            .unwrap()
    };
    // The SDK generates each agent's key pair and registers the public half.
    let a = create("reader");
    let b = create("other-reader");
    let (a_priv, a_pub) = (a.private_key.clone().unwrap(), a.public_key.clone());

    // Off by default: a plain check with the organization key decides.
    assert!(c.actions().check(&read_check(&a.id)).unwrap().allowed);
    assert_eq!(
        admin(url, reqwest::Method::GET, "/api/v1/orgs/security-settings", json!({})).1["require_proof_of_possession"],
        false
    );
    let (status, body) = admin(
        url,
        reqwest::Method::PUT,
        "/api/v1/orgs/security-settings",
        json!({"require_proof_of_possession": true}),
    );
    assert_eq!((status, &body["require_proof_of_possession"]), (200, &json!(true)));
    assert_eq!(body["require_sender_constrained_tokens"], false);

    // Now the organization key alone gets no decision, and no token without a proof.
    let m = assert_401(c.actions().check(&read_check(&a.id)), "plain check");
    assert!(m.contains("requires proof of possession"), "{m}");
    let plain = IssueWIMSETokenRequest { agent_id: a.id.clone(), ..Default::default() };
    assert_401(c.wimse().issue_token(&plain), "token without proof");

    // The process holding the key: challenge, proof, bound token, DPoP proof per check.
    let holder = client(url).with_agent_credentials(credentials(&c, &a.id, &a_priv, &a_pub));
    let decision = holder.actions().check(&read_check(&a.id)).unwrap();
    assert!(decision.allowed, "{decision:?}");
    // Each check carries a fresh proof: a second one works too.
    assert!(holder.actions().check(&read_check(&a.id)).unwrap().allowed);
    // The token names agent A: a body naming B is refused.
    match holder.actions().check(&read_check(&b.id)) {
        Err(AgentTrustError::Authorization { .. }) => {}
        other => panic!("another agent's id in the body: expected 403, got {other:?}"),
    }

    // A key that is not the agent's cannot get a token for it.
    let intruder = generate_agent_key().unwrap();
    let mut ks = InMemoryKeyStore::new();
    ks.store(&a.id, &intruder.private_key_pem).unwrap();
    let m = assert_401(c.wimse().issue_token_with_proof(&plain, &ks), "wrong-key proof");
    assert!(m.contains("does not verify"), "{m}");

    // The token, as the holder's credentials got it.
    let creds = credentials(&c, &a.id, &a_priv, &a_pub);
    let token = creds.token().unwrap();
    let verified = c
        .wimse()
        .verify_wimse(&VerifyWIMSETokenRequest { token: token.clone(), trust_domain_filter: None })
        .unwrap();
    assert!(verified.valid, "{verified:?}");
    assert_eq!(verified.agent_id.as_deref(), Some(a.id.as_str()));
    assert_eq!(verified.workload_id, Some(format!("spiffe://airlock.local/agent/{}", a.id)));
    assert_eq!(verified.trust_domain.as_deref(), Some("airlock.local"));
    assert_eq!(verified.capabilities, vec!["files.read".to_string()]);

    let htu = format!("{url}{CHECK}");
    // Replayed: the same proof twice.
    let proof = mint_dpop_proof(&a_priv, "POST", &htu, &token).unwrap();
    assert_eq!(raw_check(url, &a.id, &token, &proof).0, 200);
    let (status, body) = raw_check(url, &a.id, &token, &proof);
    assert_eq!(status, 401, "{body}");
    assert!(body["message"].as_str().unwrap().contains("replayed"), "{body}");
    // Stale, and from the future.
    for iat in [now() - 600, now() + 600] {
        let stale = hand_proof(&a_priv, &a_pub, &htu, &token, iat, &format!("stale-{iat}"));
        let (status, body) = raw_check(url, &a.id, &token, &stale);
        assert_eq!(status, 401, "{body}");
        assert!(body["message"].as_str().unwrap().contains("iat"), "{body}");
    }
    // Minted for another server's URL, or another route of this one.
    for other in ["http://evil.example/api/v1/agenttrust/check".to_string(), format!("{url}/api/v1/actions/check")] {
        let proof = mint_dpop_proof(&a_priv, "POST", &other, &token).unwrap();
        let (status, body) = raw_check(url, &a.id, &token, &proof);
        assert_eq!(status, 401, "{body}");
        assert!(body["message"].as_str().unwrap().contains("htu"), "{body}");
    }
    // A stolen token with the thief's own key.
    let proof = mint_dpop_proof(&intruder.private_key_pem, "POST", &htu, &token).unwrap();
    let (status, body) = raw_check(url, &a.id, &token, &proof);
    assert_eq!(status, 401, "{body}");
    assert!(body["message"].as_str().unwrap().contains("cnf.jkt"), "{body}");
    // A proof made for another token (`ath`).
    let other_token = credentials(&c, &a.id, &a_priv, &a_pub).token().unwrap();
    let proof = mint_dpop_proof(&a_priv, "POST", &htu, &other_token).unwrap();
    let (status, body) = raw_check(url, &a.id, &token, &proof);
    assert_eq!(status, 401, "{body}");
    assert!(body["message"].as_str().unwrap().contains("ath"), "{body}");
    // A token without a proof, and a proof without a token.
    let (status, _) = raw_check(url, &a.id, &token, "");
    assert_eq!(status, 401);

    // Rotating B's key stops B's current token at once.
    let (b_priv, b_pub) = (b.private_key.clone().unwrap(), b.public_key.clone());
    let b_creds = credentials(&c, &b.id, &b_priv, &b_pub);
    let b_token = b_creds.token().unwrap();
    let b_proof = mint_dpop_proof(&b_priv, "POST", &htu, &b_token).unwrap();
    assert_eq!(raw_check(url, &b.id, &b_token, &b_proof).0, 200);
    let fresh = generate_agent_key().unwrap();
    let (status, body) = admin(
        url,
        reqwest::Method::PUT,
        &format!("/api/v1/agents/{}/public-key", b.id),
        json!({"public_key": fresh.public_key_pem}),
    );
    assert_eq!(status, 200, "{body}");
    let b_proof = mint_dpop_proof(&b_priv, "POST", &htu, &b_token).unwrap();
    let (status, body) = raw_check(url, &b.id, &b_token, &b_proof);
    assert_eq!(status, 401, "{body}");
    assert!(body["message"].as_str().unwrap().contains("key changed"), "{body}");
    // The new key works through the SDK.
    let rotated = client(url).with_agent_credentials(credentials(&c, &b.id, &fresh.private_key_pem, &fresh.public_key_pem));
    assert!(rotated.actions().check(&read_check(&b.id)).unwrap().allowed);

    // Revoking A stops its token at once, for checks and for verification.
    c.agents().revoke(&a.id, "compromised").unwrap();
    let m = assert_401(holder.actions().check(&read_check(&a.id)), "revoked agent");
    assert!(m.contains("revoked"), "{m}");
    let verified = c
        .wimse()
        .verify_wimse(&VerifyWIMSETokenRequest { token, trust_domain_filter: None })
        .unwrap();
    assert!(!verified.valid);
    assert_eq!(verified.reason.as_deref(), Some("agent is revoked"));
}

#[test]
fn registration_refuses_a_public_key_that_is_not_ed25519() {
    let server = start();
    let c = client(&server.url);
    let bad = c.agents().create(&CreateAgentRequest {
        name: "bad-key".into(),
        framework: "custom".into(),
        capabilities: vec![],
        metadata: json!({}),
        org_id: None,
        public_key: Some("-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----".into()),
    });
    match bad {
        Err(AgentTrustError::Validation { message, .. }) => assert!(message.contains("Ed25519"), "{message}"),
        other => panic!("expected a 400, got {other:?}"),
    }
}
