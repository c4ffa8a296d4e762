//! Federation through the published Rust SDK (`agenttrustid` 0.5.0, `client.federation()`)
//! against a real `airlock serve`. The external identity provider is a local OIDC issuer this
//! test starts (a few lines of HTTP on 127.0.0.1 serving a discovery document and a JWKS with
//! its own Ed25519 key, tokens signed with the SDK's signing function): a stand-in for one that
//! cannot run here. The Python suite (tests/e2e/test_federation.py) covers RSA keys, rotation
//! and forged tokens.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use agenttrustid::keys::{generate_agent_key, parse_public_key, sign_with_private_key_pem};
use agenttrustid::{
    AgentTrustClient, AgentTrustError, CreateAgentRequest, IssueFederatedIDTokenRequest,
    RegisterFederationProviderRequest, VerifyFederatedTokenRequest,
};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::json;

const KEY: &str = "sk_live_rustsdk_federation_0123456789";

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
    let dir = std::env::temp_dir().join(format!("airlock-rust-sdk-federation-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
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

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The local issuer: its URL and its private key (PKCS#8 PEM).
fn start_issuer() -> (String, String) {
    let kp = generate_agent_key().unwrap();
    let x = b64(parse_public_key(&kp.public_key_pem).unwrap().as_bytes());
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let discovery = json!({"issuer": url, "jwks_uri": format!("{url}/jwks")}).to_string();
    let jwks = json!({"keys": [{"kty": "OKP", "crv": "Ed25519", "x": x, "kid": "k1", "use": "sig", "alg": "EdDSA"}]})
        .to_string();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let n = stream.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]);
            let path = request.split_whitespace().nth(1).unwrap_or("");
            let (status, body) = match path {
                "/.well-known/openid-configuration" => ("200 OK", discovery.as_str()),
                "/jwks" => ("200 OK", jwks.as_str()),
                _ => ("404 Not Found", "{}"),
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, kp.private_key_pem)
}

fn id_token(issuer: &str, private_pem: &str, sub: &str, ttl: i64) -> String {
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64;
    let header = json!({"alg": "EdDSA", "typ": "JWT", "kid": "k1"});
    let claims = json!({"iss": issuer, "sub": sub, "aud": "airlock.local", "iat": now, "exp": now + ttl});
    let input = format!("{}.{}", b64(header.to_string().as_bytes()), b64(claims.to_string().as_bytes()));
    let sig = sign_with_private_key_pem(private_pem, input.as_bytes()).unwrap();
    format!("{input}.{}", b64(&sig))
}

#[test]
fn federation_through_the_rust_sdk() {
    let server = start();
    let (issuer, issuer_key) = start_issuer();
    let c = AgentTrustClient::builder().base_url(&server.url).api_key(KEY).build().unwrap();
    let fed = c.federation();

    let provider = fed
        .register_provider(&RegisterFederationProviderRequest {
            issuer: issuer.clone(),
            name: "local-idp".into(),
            trust_level: Some("high".into()),
        })
        .unwrap();
    assert!(provider.id.starts_with("fedp_"), "{provider:?}");
    assert_eq!(provider.jwks_uri, format!("{issuer}/jwks"));
    assert_eq!(fed.list_providers().unwrap().len(), 1);

    let agent = c
        .agents()
        .create(&CreateAgentRequest {
            name: "federated".into(),
            framework: "custom".into(),
            capabilities: vec!["files.read".into()],
            metadata: json!({}),
            org_id: None,
            public_key: None,
        })
        .unwrap();
    let token = id_token(&issuer, &issuer_key, &agent.id, 300);
    let verify = |token: &str| {
        fed.introspect_token(&VerifyFederatedTokenRequest { token: token.into(), issuer_hint: Some(issuer.clone()) })
            .unwrap()
    };
    let r = verify(&token);
    assert!(r.valid, "{r:?}");
    assert_eq!(r.agent_id.as_deref(), Some(agent.id.as_str()));
    assert_eq!(r.issuer.as_deref(), Some(issuer.as_str()));

    let session = fed
        .init_session(&VerifyFederatedTokenRequest { token: token.clone(), issuer_hint: None })
        .unwrap();
    assert_eq!((session.source.as_str(), session.agent_id.as_str()), ("federation", agent.id.as_str()));
    assert_eq!(session.scope_ceiling, vec!["files.read".to_string()]);

    // Expired, and signed by another key under the issuer's kid.
    assert!(!verify(&id_token(&issuer, &issuer_key, &agent.id, -120)).valid);
    let stranger = generate_agent_key().unwrap();
    let forged = verify(&id_token(&issuer, &stranger.private_key_pem, &agent.id, 300));
    assert!(!forged.valid && forged.error.is_some(), "{forged:?}");

    // Revoked: no longer valid, and no session.
    fed.revoke_token(&token).unwrap();
    assert_eq!(verify(&token).error.as_deref(), Some("token revoked"));
    match fed.init_session(&VerifyFederatedTokenRequest { token: token.clone(), issuer_hint: None }) {
        Err(AgentTrustError::Authentication { .. }) => {}
        other => panic!("a revoked token opened a session: {other:?}"),
    }

    // The deprecated issuing route gives an agent token, which the same routes check.
    let issued = fed
        .issue_token(&agent.id, &IssueFederatedIDTokenRequest { scopes: vec!["files.read".into()], ..Default::default() })
        .unwrap();
    assert!(issued.id_token.starts_with("at_") && issued.expires_in > 0, "{issued:?}");
    assert!(verify(&issued.id_token).valid);
    fed.revoke_token(&issued.id_token).unwrap();
    assert!(!verify(&issued.id_token).valid);

    fed.delete_provider(&provider.id).unwrap();
    assert!(fed.list_providers().unwrap().is_empty());
    assert!(!verify(&id_token(&issuer, &issuer_key, &agent.id, 300)).valid);
}
