//! Identity through the router (docs/identity.md): challenges are single use and bound to the
//! agent, proofs must sign exactly what the SDKs sign, the security settings are the admin's
//! and apply to every surface of the check, tokens are the issuing organization's, DPoP needs
//! a configured public URL. The published Rust SDK's own test is tests/rust-sdk/tests/identity.rs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::EncodePublicKey;
use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use ed25519_dalek::{Signer, SigningKey};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tower::ServiceExt;

use airlock_server::{Config, KeyRole};
use common::{Api, KEY};

const BASE: &str = "http://airlock.test";

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn key(seed: u8) -> (SigningKey, String) {
    let k = SigningKey::from_bytes(&[seed; 32]);
    let pem = k.verifying_key().to_public_key_pem(LineEnding::LF).unwrap();
    (k, pem)
}

async fn api() -> Api {
    let mut config = Config::default();
    config.identity.base_url = Some(BASE.into());
    Api::with_config(config).await
}

async fn agent(api: &Api, public_key: Option<&str>) -> String {
    let mut body = json!({"name": "a", "capabilities": ["files.read"]});
    if let Some(pk) = public_key {
        body["public_key"] = json!(pk);
    }
    let (s, a) = api.call("POST", "/api/v1/agents", Some(body)).await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    a["id"].as_str().unwrap().to_string()
}

fn pop(key: &SigningKey, nonce: &str, agent: &str, audience: &str, ts: i64) -> Value {
    let msg = format!("pop-v1:{nonce}:{agent}:{audience}:{ts}");
    json!({"nonce": nonce, "ts": ts, "signature": b64(&key.sign(msg.as_bytes()).to_bytes())})
}

async fn nonce(api: &Api, agent: &str) -> String {
    let (s, c) = api
        .call("POST", &format!("/api/v1/agents/{agent}/challenge"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{c}");
    c["nonce"].as_str().unwrap().to_string()
}

async fn bound_token(api: &Api, k: &SigningKey, agent: &str) -> String {
    let n = nonce(api, agent).await;
    let body = json!({"agent_id": agent, "proof": pop(k, &n, agent, "", now())});
    let (s, t) = api.call("POST", "/api/v1/wimse/token", Some(body)).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["bound"], true);
    t["token"].as_str().unwrap().to_string()
}

fn dpop(k: &SigningKey, htu: &str, token: &str, jti: &str) -> String {
    let header = json!({"typ": "dpop+jwt", "alg": "EdDSA",
        "jwk": {"kty": "OKP", "crv": "Ed25519", "x": b64(k.verifying_key().as_bytes())}});
    let payload = json!({"htm": "POST", "htu": htu, "iat": now(), "jti": jti,
        "ath": b64(&Sha256::digest(token.as_bytes()))});
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(payload.to_string().as_bytes())
    );
    format!("{input}.{}", b64(&k.sign(input.as_bytes()).to_bytes()))
}

/// A request with an API key and optional token and proof.
async fn send(
    api: &Api,
    key: &str,
    path: &str,
    body: Value,
    token_proof: Option<(&str, &str)>,
) -> (StatusCode, Value) {
    let mut req = Request::builder()
        .method("POST")
        .uri(path)
        .header("x-api-key", key)
        .header("content-type", "application/json");
    if let Some((token, proof)) = token_proof {
        req = req
            .header("authorization", format!("Bearer {token}"))
            .header("dpop", proof);
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

async fn new_key(api: &Api, org: &'static str, role: KeyRole) -> String {
    api.store
        .run(move |tx| airlock_server::create_key(tx, org, "test", role))
        .await
        .unwrap()
}

fn message(v: &Value) -> &str {
    v["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_challenge_is_single_use_and_a_proof_signs_exactly_what_the_sdks_sign() {
    let api = api().await;
    let (k, pem) = key(1);
    let id = agent(&api, Some(&pem)).await;
    let issue = |body: Value| api.call("POST", "/api/v1/wimse/token", Some(body));

    // The audience is part of the message, comma-joined in order.
    let n = nonce(&api, &id).await;
    let aud = json!(["https://a.example", "https://b.example"]);
    let proof = pop(&k, &n, &id, "https://a.example,https://b.example", now());
    let (s, t) = issue(json!({"agent_id": id, "audience": aud, "proof": proof.clone()})).await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(
        t["workload_id"],
        format!("spiffe://airlock.local/agent/{id}")
    );
    assert_eq!(t["trust_domain"], "airlock.local");
    // Used: the same proof again is refused.
    let (s, e) = issue(json!({"agent_id": id, "audience": aud, "proof": proof})).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{e}");
    assert!(message(&e).contains("used or expired"), "{e}");

    // A proof over another audience, an old `ts`, another agent's nonce: refused, and a
    // refused proof does not use the nonce up.
    let n = nonce(&api, &id).await;
    let wrong_aud = pop(&k, &n, &id, "https://b.example", now());
    let (s, e) =
        issue(json!({"agent_id": id, "audience": ["https://a.example"], "proof": wrong_aud})).await;
    assert_eq!(
        (s, message(&e).contains("does not verify")),
        (StatusCode::UNAUTHORIZED, true),
        "{e}"
    );
    let old = pop(&k, &n, &id, "", now() - 3600);
    let (s, e) = issue(json!({"agent_id": id, "proof": old})).await;
    assert_eq!(
        (s, message(&e).contains("ts")),
        (StatusCode::UNAUTHORIZED, true),
        "{e}"
    );
    let (k2, pem2) = key(2);
    let other = agent(&api, Some(&pem2)).await;
    let (s, e) = issue(json!({"agent_id": other, "proof": pop(&k2, &n, &other, "", now())})).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{e}");
    let (s, _) = issue(json!({"agent_id": id, "proof": pop(&k, &n, &id, "", now())})).await;
    assert_eq!(s, StatusCode::OK);

    // Bad requests change nothing.
    for ttl in [0, 3601] {
        let (s, e) = issue(json!({"agent_id": id, "ttl_seconds": ttl})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    }
    let (s, _) = api
        .call("POST", "/api/v1/agents/agt_nope/challenge", None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = api
        .call(
            "POST",
            &format!("/api/v1/agents/{other}/revoke"),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = api
        .call("POST", &format!("/api/v1/agents/{other}/challenge"), None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = issue(json!({"agent_id": other})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, e) = api
        .call(
            "PUT",
            &format!("/api/v1/agents/{id}/public-key"),
            Some(json!({"public_key": "nope"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    let (s, e) = api
        .call(
            "POST",
            "/api/v1/agents",
            Some(json!({"name": "x", "public_key": "ssh-ed25519 AAAA"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
}

#[tokio::test]
async fn settings_belong_to_the_admin_and_bind_every_surface_of_the_check() {
    let api = api().await;
    let agent_key = new_key(&api, "default", KeyRole::Agent).await;
    let keyless = agent(&api, None).await;
    let check = json!({"agent_id": keyless, "action_name": "files.read"});
    let settings = "/api/v1/orgs/security-settings";

    let (s, v) = api.call("GET", settings, None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        (
            &v["require_proof_of_possession"],
            &v["require_sender_constrained_tokens"]
        ),
        (&json!(false), &json!(false))
    );
    let on = json!({"require_sender_constrained_tokens": true});
    let (s, _) = api
        .call_as(&agent_key, "PUT", settings, Some(on.clone()))
        .await;
    assert_eq!(
        s,
        StatusCode::FORBIDDEN,
        "an agent key cannot loosen or tighten them"
    );
    let (s, _) = api
        .call_as(
            &agent_key,
            "PUT",
            &format!("/api/v1/agents/{keyless}/public-key"),
            Some(json!({"public_key": key(3).1})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "nor swap an agent's key");
    let (s, v) = api.call("PUT", settings, Some(on)).await;
    assert_eq!(s, StatusCode::OK);
    // A partial update keeps the other setting.
    assert_eq!(v["require_proof_of_possession"], false);
    assert_eq!(v["require_sender_constrained_tokens"], true);

    // A token for an agent without a key would be a bearer token: refused.
    let (s, e) = api
        .call(
            "POST",
            "/api/v1/wimse/token",
            Some(json!({"agent_id": keyless})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{e}");
    // Checks without a token and proof are refused, through the API and through AuthZEN.
    let (s, e) = send(
        &api,
        &agent_key,
        "/api/v1/agenttrust/check",
        check.clone(),
        None,
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{e}");
    assert!(message(&e).contains("requires proof of possession"), "{e}");
    let eval = json!({"subject": {"type": "agent", "id": keyless}, "action": {"name": "files.read"},
        "resource": {"type": "tool", "id": "files"}});
    let (s, e) = api.call("POST", "/access/v1/evaluation", Some(eval)).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{e}");

    let (s, _) = api
        .call(
            "PUT",
            settings,
            Some(json!({"require_sender_constrained_tokens": false})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, d) = send(&api, &agent_key, "/api/v1/agenttrust/check", check, None).await;
    assert_eq!((s, &d["allowed"]), (StatusCode::OK, &json!(true)), "{d}");
}

#[tokio::test]
async fn a_token_is_its_organizations_and_dpop_needs_a_public_url() {
    let api = api().await;
    let (k, pem) = key(4);
    let id = agent(&api, Some(&pem)).await;
    let token = bound_token(&api, &k, &id).await;
    let check = json!({"action_name": "files.read"});
    let path = "/api/v1/agenttrust/check";

    // Without `agent_id` the token names the agent; `/api/v1/actions/check` is its own `htu`.
    let proof = dpop(&k, &format!("{BASE}{path}"), &token, "j1");
    let (s, d) = send(&api, KEY, path, check.clone(), Some((&token, &proof))).await;
    assert_eq!((s, &d["allowed"]), (StatusCode::OK, &json!(true)), "{d}");
    let other_path = "/api/v1/actions/check";
    let proof = dpop(&k, &format!("{BASE}{other_path}"), &token, "j2");
    let (s, d) = send(&api, KEY, other_path, check.clone(), Some((&token, &proof))).await;
    assert_eq!(s, StatusCode::OK, "{d}");

    // Another organization's key with this token: neither verified nor accepted.
    let other_org = new_key(&api, "other", KeyRole::Admin).await;
    let (s, v) = send(
        &api,
        &other_org,
        "/api/v1/wimse/verify",
        json!({"token": token}),
        None,
    )
    .await;
    assert_eq!((s, &v["valid"]), (StatusCode::OK, &json!(false)), "{v}");
    let proof = dpop(&k, &format!("{BASE}{path}"), &token, "j3");
    let (s, e) = send(
        &api,
        &other_org,
        path,
        check.clone(),
        Some((&token, &proof)),
    )
    .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{e}");
    // A trust-domain filter that is not ours; a token that is not a token.
    let (_, v) = api
        .call(
            "POST",
            "/api/v1/wimse/verify",
            Some(json!({"token": token, "trust_domain_filter": "x.example"})),
        )
        .await;
    assert_eq!(v["valid"], false);
    let (_, v) = api
        .call(
            "POST",
            "/api/v1/wimse/verify",
            Some(json!({"token": "a.b.c"})),
        )
        .await;
    assert_eq!(v["valid"], false);
    let (s, _) = api
        .call("POST", "/api/v1/wimse/verify", Some(json!({})))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    // A server that does not know its public URL cannot check `htu`: it refuses.
    let mut config = Config::default();
    config.identity.wimse_key = api.service.config().identity.wimse_key.clone();
    let bare = Api::with_config(config).await;
    let (s, e) = send(&bare, KEY, path, check, Some((&token, &proof))).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{e}");
    assert!(message(&e).contains("--public-url"), "{e}");
}

#[tokio::test]
async fn api_sessions_come_from_this_organizations_live_tokens() {
    let api = api().await;
    let (k, pem) = key(5);
    let (s, a) = api
        .call(
            "POST",
            "/api/v1/agents",
            Some(json!({"name": "a", "capabilities": ["files.read", "web.fetch"], "public_key": pem})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    let id = a["id"].as_str().unwrap().to_string();
    let init = "/api/v1/agenttrust/api-sessions/init";

    // A WIMSE token carries no scopes: the agent's capabilities are the ceiling.
    let wimse = bound_token(&api, &k, &id).await;
    let (s, session) = api.call("POST", init, Some(json!({"token": wimse}))).await;
    assert_eq!(s, StatusCode::CREATED, "{session}");
    assert_eq!(session["source"], "api");
    assert_eq!(session["scope_ceiling"], json!(["files.read", "web.fetch"]));

    let (s, t) = api
        .call(
            "POST",
            "/api/v1/agent-tokens/issue",
            Some(json!({"agent_id": id, "scopes": ["web.fetch"]})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{t}");
    let opaque = t["token"].as_str().unwrap().to_string();
    let (s, session) = api.call("POST", init, Some(json!({"token": opaque}))).await;
    assert_eq!(s, StatusCode::CREATED, "{session}");
    assert_eq!(session["scope_ceiling"], json!(["web.fetch"]));
    assert_eq!(session["agent_id"], id.as_str());

    // Another organization's key gets no session from either token.
    let other = new_key(&api, "other", KeyRole::Admin).await;
    for token in [&opaque, &wimse] {
        let (s, e) = send(&api, &other, init, json!({"token": token}), None).await;
        assert_eq!(s, StatusCode::UNAUTHORIZED, "{e}");
    }
    // Rotating the key ends the WIMSE token; revoking the agent ends the opaque one.
    let (s, _) = api
        .call(
            "PUT",
            &format!("/api/v1/agents/{id}/public-key"),
            Some(json!({"public_key": key(6).1})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, e) = api.call("POST", init, Some(json!({"token": wimse}))).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{e}");
    let (s, _) = api
        .call(
            "POST",
            &format!("/api/v1/agents/{id}/revoke"),
            Some(json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, e) = api.call("POST", init, Some(json!({"token": opaque}))).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "{e}");
}
