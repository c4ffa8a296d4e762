//! Delegations through the router (docs/delegations.md): authority only narrows from hop to
//! hop, at most five hops, each hop expiring no later than its parent; a delegated session
//! decides only while its whole chain is live, read at decision time, and records the chain
//! with every decision. The published SDKs' tests are tests/e2e/test_delegations.py and
//! tests/rust-sdk/tests/delegations.rs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use serde_json::{Value, json};

use airlock_store::{Options, Store};
use common::{Api, KEY};

const OTHER_KEY: &str = "sk_live_otherdeleg0123456789";

async fn api() -> Api {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), Options { migrate: true }).unwrap();
    store
        .run(|tx| airlock_server::bootstrap(tx, Some(KEY)))
        .await
        .unwrap();
    // A second organization with its own admin key, written straight into the store.
    store
        .run(|tx| {
            tx.insert_org(&airlock_store::model::Org {
                id: "org_other".into(),
                name: "other".into(),
                default_mode: "read_only".into(),
                created_at: chrono::Utc::now(),
            })?;
            tx.insert_api_key(&airlock_store::model::ApiKey {
                id: "key_other".into(),
                org_id: "org_other".into(),
                hash: airlock_server::auth::hash_secret(OTHER_KEY),
                prefix: "sk_live_other".into(),
                name: "other".into(),
                created_at: chrono::Utc::now(),
                revoked_at: None,
                role: "admin".into(),
            })
        })
        .await
        .unwrap();
    Api::with_store(store, dir)
}

async fn agent(api: &Api, name: &str, caps: &[&str]) -> String {
    let (s, a) = api
        .call(
            "POST",
            "/api/v1/agents",
            Some(json!({"name": name, "capabilities": caps})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{a}");
    a["id"].as_str().unwrap().to_string()
}

async fn delegate(api: &Api, body: Value) -> (StatusCode, Value) {
    api.call("POST", "/api/v1/delegations", Some(body)).await
}

async fn delegated(api: &Api, from: &str, to: &str, scope: &[&str], parent: Option<&str>) -> Value {
    let (s, d) = delegate(
        api,
        json!({"from_agent_id": from, "to_agent_id": to, "scope": scope, "parent_delegation_id": parent}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    d["delegation"].clone()
}

async fn open_session(api: &Api, delegation: &str) -> (StatusCode, Value) {
    api.call(
        "POST",
        &format!("/api/v1/delegations/{delegation}/session"),
        None,
    )
    .await
}

async fn check(api: &Api, agent: &str, session: &str, action: &str, input: &str) -> Value {
    let (s, v) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(json!({"agent_id": agent, "session_id": session, "action_name": action, "action_input_summary": input})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

fn message(v: &Value) -> &str {
    v["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn a_delegation_has_the_fields_the_sdks_parse() {
    let api = api().await;
    let planner = agent(&api, "planner", &["db.*"]).await;
    let worker = agent(&api, "worker", &["db.*"]).await;
    let before = chrono::Utc::now();
    let (s, body) = delegate(
        &api,
        json!({"from_agent_id": planner, "to_agent_id": worker, "scope": ["db.query.read"], "ttl_seconds": 600}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{body}");
    let d = &body["delegation"];
    assert!(d["id"].as_str().unwrap().starts_with("dlg_"));
    assert_eq!(d["from_agent_id"], planner);
    assert_eq!(d["to_agent_id"], worker);
    assert!(!d["org_id"].as_str().unwrap().is_empty());
    assert_eq!(d["scope"], json!(["db.query.read"]));
    assert_eq!(d["restrictions"], json!({}));
    assert_eq!(d["delegation_chain"], json!([]));
    assert_eq!(d["depth"], 1);
    assert_eq!(d["revoked_at"], Value::Null);
    let hash = d["token_hash"].as_str().unwrap();
    assert!(hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit()));
    let expires = chrono::DateTime::parse_from_rfc3339(d["expires_at"].as_str().unwrap()).unwrap();
    let ttl = (expires.with_timezone(&chrono::Utc) - before).num_seconds();
    assert!((599..=601).contains(&ttl), "{ttl}");
    assert!(d["created_at"].as_str().unwrap().ends_with('Z'));
    // Get answers it unwrapped (the Rust SDK parses it so); the list wraps it.
    let (s, got) = api
        .call("GET", &format!("/api/v1/delegations/{}", id(d)), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(&got, d);
    let (s, list) = api.call("GET", "/api/v1/delegations", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["delegations"], json!([d]));
}

#[tokio::test]
async fn bad_requests_are_refused_with_a_clear_4xx_and_change_nothing() {
    let api = api().await;
    let planner = agent(&api, "planner", &["db.*"]).await;
    let worker = agent(&api, "worker", &["db.*"]).await;
    let base = json!({"from_agent_id": planner, "to_agent_id": worker, "scope": ["db.query.read"]});
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    for (body, status, needle) in [
        (
            with("to_agent_id", json!(planner)),
            400,
            "cannot delegate to itself",
        ),
        (with("scope", json!([])), 400, "at least one"),
        (with("scope", json!(["db.q*"])), 400, "whole segment"),
        (with("scope", json!(["."])), 400, "names no action"),
        (
            with(
                "scope",
                json!((0..65).map(|i| format!("db.{i}")).collect::<Vec<_>>()),
            ),
            400,
            "more than 64",
        ),
        (
            with("scope", json!(["x".repeat(300)])),
            400,
            "longer than 256",
        ),
        (with("ttl_seconds", json!(0)), 400, "ttl_seconds"),
        (with("ttl_seconds", json!(-5)), 400, "ttl_seconds"),
        (with("ttl_seconds", json!(2_592_001)), 400, "ttl_seconds"),
        (
            with("restrictions", json!({"max_rows": 10})),
            400,
            "not enforced",
        ),
        (with("restrictions", json!("x")), 400, "object"),
        (with("from_agent_id", json!("")), 400, "from_agent_id"),
        (
            with("from_agent_id", json!("agt_missing")),
            404,
            "agt_missing",
        ),
        (
            with("to_agent_id", json!("agt_missing")),
            404,
            "agt_missing",
        ),
        (
            with("parent_delegation_id", json!("dlg_missing")),
            404,
            "dlg_missing",
        ),
        (with("scope", json!("db.query.read")), 400, ""),
    ] {
        let (s, v) = delegate(&api, body.clone()).await;
        assert_eq!(s.as_u16(), status, "{body} → {v}");
        assert!(v["error"].is_string(), "{v}");
        assert!(message(&v).contains(needle), "{body} → {v}");
    }
    let (_, list) = api.call("GET", "/api/v1/delegations", None).await;
    assert_eq!(list["delegations"], json!([]));
}

#[tokio::test]
async fn scope_narrows_hop_by_hop_and_never_widens() {
    let api = api().await;
    let planner = agent(&api, "planner", &["db.*", "files.read"]).await;
    let worker = agent(&api, "worker", &["db.*", "files.*"]).await;
    let helper = agent(&api, "helper", &["*"]).await;
    // Beyond the delegating agent's own capabilities: refused.
    for scope in [
        json!(["files.write"]),
        json!(["*"]),
        json!(["db.*", "mail.send"]),
    ] {
        let (s, v) = delegate(
            &api,
            json!({"from_agent_id": planner, "to_agent_id": worker, "scope": scope}),
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{scope} → {v}");
        assert!(message(&v).contains("capabilities of agent"), "{v}");
    }
    let root = delegated(&api, &planner, &worker, &["db.*"], None).await;
    // Narrowing: a wildcard to a name under it.
    let child = delegated(&api, &worker, &helper, &["db.query.read"], Some(&id(&root))).await;
    assert_eq!(child["delegation_chain"], json!([id(&root)]));
    assert_eq!(child["depth"], 2);
    // Twins: the reverse of a narrowing, a sibling, a bare `*`, all refused.
    for (parent, scope) in [
        (&child, json!(["db.*"])),
        (&child, json!(["db.query.*"])),
        (&child, json!(["db.query.write"])),
        (&root, json!(["*"])),
        (&root, json!(["files.read"])),
    ] {
        let from = parent["to_agent_id"].as_str().unwrap();
        let to = if from == helper { &worker } else { &helper };
        let (s, v) = delegate(
            &api,
            json!({"from_agent_id": from, "to_agent_id": to, "scope": scope, "parent_delegation_id": id(parent)}),
        )
        .await;
        assert_eq!(
            s,
            StatusCode::FORBIDDEN,
            "{scope} under {} → {v}",
            parent["scope"]
        );
        assert!(message(&v).contains("never widens"), "{v}");
    }
    // The child's delegating agent must be the parent's receiving agent.
    let (s, v) = delegate(
        &api,
        json!({"from_agent_id": planner, "to_agent_id": helper, "scope": ["db.query.read"], "parent_delegation_id": id(&root)}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(message(&v).contains("from_agent_id"), "{v}");
}

#[tokio::test]
async fn a_chain_has_at_most_five_hops() {
    let api = api().await;
    let mut agents = Vec::new();
    for i in 0..7 {
        agents.push(agent(&api, &format!("a{i}"), &["db.*"]).await);
    }
    let mut parent: Option<String> = None;
    let mut ids = Vec::new();
    for hop in 0..5 {
        let d = delegated(
            &api,
            &agents[hop],
            &agents[hop + 1],
            &["db.query.read"],
            parent.as_deref(),
        )
        .await;
        assert_eq!(d["depth"], hop + 1);
        assert_eq!(d["delegation_chain"], json!(ids.clone()));
        ids.push(id(&d));
        parent = Some(id(&d));
    }
    let (s, v) = delegate(
        &api,
        json!({"from_agent_id": agents[5], "to_agent_id": agents[6], "scope": ["db.query.read"], "parent_delegation_id": parent}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    assert!(message(&v).contains("at most 5 hops"), "{v}");
    // The fifth hop itself works: its session decides, and records all five hops.
    let (s, session) = open_session(&api, parent.as_deref().unwrap()).await;
    assert_eq!(s, StatusCode::CREATED, "{session}");
    let sid = session["session_id"].as_str().unwrap();
    let v = check(&api, &agents[5], sid, "db.query.read", "SELECT 1").await;
    assert_eq!(v["allowed"], true, "{v}");
    let (_, log) = api
        .call("GET", &format!("/api/v1/sessions/{sid}/decisions"), None)
        .await;
    let reasons = log["decisions"][0]["reasons"].to_string();
    for d in &ids {
        assert!(reasons.contains(d.as_str()), "{d} in {reasons}");
    }
}

#[tokio::test]
async fn a_hop_never_outlives_its_parent_and_expiry_ends_its_sessions() {
    let api = api().await;
    let a = agent(&api, "a", &["db.*"]).await;
    let b = agent(&api, "b", &["db.*"]).await;
    let c = agent(&api, "c", &["db.*"]).await;
    let (s, root) = delegate(
        &api,
        json!({"from_agent_id": a, "to_agent_id": b, "scope": ["db.*"], "ttl_seconds": 2}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{root}");
    let root = &root["delegation"];
    // Asked for an hour: clamped to the parent's expiry.
    let (s, child) = delegate(
        &api,
        json!({"from_agent_id": b, "to_agent_id": c, "scope": ["db.query.read"], "ttl_seconds": 3600, "parent_delegation_id": id(root)}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{child}");
    let child = &child["delegation"];
    assert_eq!(child["expires_at"], root["expires_at"]);
    let (s, session) = open_session(&api, &id(child)).await;
    assert_eq!(s, StatusCode::CREATED, "{session}");
    let sid = session["session_id"].as_str().unwrap().to_string();
    assert_eq!(
        check(&api, &c, &sid, "db.query.read", "SELECT 1").await["allowed"],
        true
    );
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let v = check(&api, &c, &sid, "db.query.read", "SELECT 1").await;
    assert_eq!(v["allowed"], false, "{v}");
    let reason = v["reason"].as_str().unwrap();
    assert!(
        reason.contains(&id(child)) && reason.contains("expired"),
        "{reason}"
    );
    let (s, v) = open_session(&api, &id(child)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    assert!(message(&v).contains("expired"), "{v}");
    let (s, v) = delegate(
        &api,
        json!({"from_agent_id": c, "to_agent_id": a, "scope": ["db.query.read"], "parent_delegation_id": id(child)}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
}

#[tokio::test]
async fn a_delegated_session_decides_inside_its_scope_only_and_records_the_chain() {
    let api = api().await;
    let planner = agent(&api, "planner", &["db.*"]).await;
    // The worker's own capabilities cut the ceiling too: no `db.query.write` for it.
    let worker = agent(
        &api,
        "worker",
        &["db.query.read", "db.schema.read", "files.read"],
    )
    .await;
    let d = delegated(&api, &planner, &worker, &["db.query.*"], None).await;
    let (s, session) = open_session(&api, &id(&d)).await;
    assert_eq!(s, StatusCode::CREATED, "{session}");
    assert_eq!(session["source"], "a2a");
    assert_eq!(session["delegation_id"], id(&d));
    assert_eq!(session["agent_id"], worker);
    assert_eq!(session["scope_ceiling"], json!(["db.query.read"]));
    let sid = session["session_id"].as_str().unwrap().to_string();

    let read = check(&api, &worker, &sid, "db.query.read", "SELECT * FROM users").await;
    assert_eq!(read["allowed"], true, "{read}");
    // Outside the delegation (the worker has `db.schema.read` of its own): refused, naming it.
    for action in ["db.schema.read", "db.drop_table", "files.read"] {
        let v = check(&api, &worker, &sid, action, "DROP TABLE users").await;
        assert_eq!(v["allowed"], false, "{v}");
        let reason = v["reason"].as_str().unwrap();
        assert!(
            reason.contains(&format!("delegation `{}`", id(&d))),
            "{reason}"
        );
        assert!(reason.contains("outside its scope"), "{reason}");
    }
    // Inside the scope but destructive: the session's mode and the guardians still decide.
    let drop = check(&api, &worker, &sid, "db.query.read", "DROP TABLE users").await;
    assert_eq!(drop["allowed"], false, "{drop}");
    // The planner may not use the worker's session.
    let (s, v) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(json!({"agent_id": planner, "session_id": sid, "action_name": "db.query.read", "action_input_summary": "SELECT 1"})),
        )
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");

    let (s, log) = api
        .call("GET", &format!("/api/v1/sessions/{sid}/decisions"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{log}");
    let decisions = log["decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 5);
    let note = format!(
        "delegation chain (root first): `{}` (`{planner}` → `{worker}`)",
        id(&d)
    );
    for decision in decisions {
        let reasons: Vec<&str> = decision["reasons"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_str().unwrap())
            .collect();
        assert!(reasons.contains(&note.as_str()), "{decision}");
    }
    // The chain is covered by the audit chain's hash: the session verifies.
    let (s, verified) = api
        .call("GET", &format!("/api/v1/sessions/{sid}/verify"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{verified}");
    assert_eq!(verified["valid"], true, "{verified}");
}

#[tokio::test]
async fn revoking_a_delegation_ends_everything_below_it_at_once() {
    let api = api().await;
    let a = agent(&api, "a", &["db.*"]).await;
    let b = agent(&api, "b", &["db.*"]).await;
    let c = agent(&api, "c", &["db.*"]).await;
    let root = delegated(&api, &a, &b, &["db.*"], None).await;
    let child = delegated(&api, &b, &c, &["db.query.read"], Some(&id(&root))).await;
    let sibling = delegated(&api, &a, &c, &["db.query.read"], None).await;
    let (_, s_root) = open_session(&api, &id(&root)).await;
    let (_, s_child) = open_session(&api, &id(&child)).await;
    let (_, s_sibling) = open_session(&api, &id(&sibling)).await;
    let sid = |s: &Value| s["session_id"].as_str().unwrap().to_string();
    assert_eq!(
        check(&api, &c, &sid(&s_child), "db.query.read", "SELECT 1").await["allowed"],
        true
    );

    let (s, revoked) = api
        .call(
            "DELETE",
            &format!("/api/v1/delegations/{}", id(&root)),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{revoked}");
    assert!(revoked["delegation"]["revoked_at"].is_string(), "{revoked}");
    // The child is revoked with it; the sibling is not.
    let (_, got) = api
        .call("GET", &format!("/api/v1/delegations/{}", id(&child)), None)
        .await;
    assert!(got["revoked_at"].is_string(), "{got}");
    let (_, got) = api
        .call(
            "GET",
            &format!("/api/v1/delegations/{}", id(&sibling)),
            None,
        )
        .await;
    assert_eq!(got["revoked_at"], Value::Null, "{got}");
    for (agent_id, session) in [(&b, &s_root), (&c, &s_child)] {
        let v = check(&api, agent_id, &sid(session), "db.query.read", "SELECT 1").await;
        assert_eq!(v["allowed"], false, "{v}");
        let reason = v["reason"].as_str().unwrap();
        assert!(
            reason.contains(&format!("delegation `{}` was revoked", id(&root))),
            "{reason}"
        );
    }
    assert_eq!(
        check(&api, &c, &sid(&s_sibling), "db.query.read", "SELECT 1").await["allowed"],
        true
    );
    let (s, v) = open_session(&api, &id(&child)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    let (s, v) = delegate(
        &api,
        json!({"from_agent_id": c, "to_agent_id": a, "scope": ["db.query.read"], "parent_delegation_id": id(&child)}),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    // Revoking again changes nothing.
    let (s, again) = api
        .call(
            "DELETE",
            &format!("/api/v1/delegations/{}", id(&root)),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(
        again["delegation"]["revoked_at"],
        revoked["delegation"]["revoked_at"]
    );
}

#[tokio::test]
async fn revoking_an_agent_in_the_chain_ends_the_chain_below_it() {
    let api = api().await;
    let a = agent(&api, "a", &["db.*"]).await;
    let b = agent(&api, "b", &["db.*"]).await;
    let c = agent(&api, "c", &["db.*"]).await;
    let root = delegated(&api, &a, &b, &["db.*"], None).await;
    let child = delegated(&api, &b, &c, &["db.query.read"], Some(&id(&root))).await;
    let (_, session) = open_session(&api, &id(&child)).await;
    let sid = session["session_id"].as_str().unwrap().to_string();
    assert_eq!(
        check(&api, &c, &sid, "db.query.read", "SELECT 1").await["allowed"],
        true
    );
    // The middle agent: neither its own hop nor the one it gave survives it.
    let (s, v) = api
        .call(
            "POST",
            &format!("/api/v1/agents/{b}/revoke"),
            Some(json!({"reason": "test"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let v = check(&api, &c, &sid, "db.query.read", "SELECT 1").await;
    assert_eq!(v["allowed"], false, "{v}");
    let reason = v["reason"].as_str().unwrap();
    assert!(
        reason.contains(&format!("delegation `{}` was revoked", id(&root))),
        "{reason}"
    );
    for d in [&root, &child] {
        let (_, got) = api
            .call("GET", &format!("/api/v1/delegations/{}", id(d)), None)
            .await;
        assert!(got["revoked_at"].is_string(), "{got}");
    }
}

#[tokio::test]
async fn another_organization_sees_none_of_it() {
    let api = api().await;
    let a = agent(&api, "a", &["db.*"]).await;
    let b = agent(&api, "b", &["db.*"]).await;
    let d = delegated(&api, &a, &b, &["db.query.read"], None).await;
    let path = format!("/api/v1/delegations/{}", id(&d));
    for (method, p) in [
        ("GET", path.clone()),
        ("DELETE", path.clone()),
        ("POST", format!("{path}/session")),
    ] {
        let (s, v) = api.call_as(OTHER_KEY, method, &p, None).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{method} {p} → {v}");
    }
    let (s, list) = api
        .call_as(OTHER_KEY, "GET", "/api/v1/delegations", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["delegations"], json!([]));
    // Its agents are not the other organization's either.
    let (s, v) = api
        .call_as(
            OTHER_KEY,
            "POST",
            "/api/v1/delegations",
            Some(json!({"from_agent_id": a, "to_agent_id": b, "scope": ["db.query.read"]})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    // Still live for its own organization.
    let (_, got) = api.call("GET", &path, None).await;
    assert_eq!(got["revoked_at"], Value::Null);
}

#[tokio::test]
async fn a_session_that_poses_as_delegated_decides_nothing() {
    let api = api().await;
    let a = agent(&api, "a", &["db.*"]).await;
    // Never opened under a delegation: an implicit session with a delegated session's prefix.
    let v = check(&api, &a, "dsess_forged", "db.query.read", "SELECT 1").await;
    assert_eq!(v["allowed"], false, "{v}");
    assert!(
        v["reason"]
            .as_str()
            .unwrap()
            .contains("no delegation on record"),
        "{v}"
    );
    // Twin: any other session id is an ordinary implicit session.
    let v = check(&api, &a, "sess_plain", "db.query.read", "SELECT 1").await;
    assert_eq!(v["allowed"], true, "{v}");
}

#[tokio::test]
async fn every_surface_that_names_the_session_gets_the_same_answer() {
    let api = api().await;
    let planner = agent(&api, "planner", &["db.*"]).await;
    let worker = agent(&api, "worker", &["db.*"]).await;
    let d = delegated(&api, &planner, &worker, &["db.query.read"], None).await;
    let (_, session) = open_session(&api, &id(&d)).await;
    let sid = session["session_id"].as_str().unwrap().to_string();
    for (action, allowed) in [("db.query.read", true), ("db.drop_table", false)] {
        let body = json!({"agent_id": worker, "session_id": sid, "action_name": action, "action_input_summary": "SELECT 1"});
        let (s, check) = api
            .call("POST", "/api/v1/agenttrust/check", Some(body.clone()))
            .await;
        assert_eq!(s, StatusCode::OK, "{check}");
        let (s, actions) = api.call("POST", "/api/v1/actions/check", Some(body)).await;
        assert_eq!(s, StatusCode::OK, "{actions}");
        let (s, authzen) = api
            .call(
                "POST",
                "/access/v1/evaluation",
                Some(json!({
                    "subject": {"type": "agent", "id": worker},
                    "action": {"name": action},
                    "resource": {"type": "tool", "id": action},
                    "context": {"session_id": sid, "input": "SELECT 1"},
                })),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{authzen}");
        assert_eq!(check["allowed"], allowed, "{check}");
        assert_eq!(actions["allowed"], allowed, "{actions}");
        assert_eq!(authzen["decision"], allowed, "{authzen}");
        if !allowed {
            let named = format!("delegation `{}`", id(&d));
            for reason in [
                &check["reason"],
                &actions["reason"],
                &authzen["context"]["reason"],
            ] {
                assert!(reason.as_str().unwrap().contains(&named), "{reason}");
            }
        }
    }
    // Revoked: every surface refuses.
    let (s, _) = api
        .call("DELETE", &format!("/api/v1/delegations/{}", id(&d)), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, authzen) = api
        .call(
            "POST",
            "/access/v1/evaluation",
            Some(json!({
                "subject": {"type": "agent", "id": worker},
                "action": {"name": "db.query.read"},
                "resource": {"type": "tool", "id": "db.query.read"},
                "context": {"session_id": sid, "input": "SELECT 1"},
            })),
        )
        .await;
    assert_eq!(authzen["decision"], false, "{authzen}");
}

/// The session's ceiling keeps only what both the delegation and the receiving agent cover,
/// Claude Code hook names included: a scope naming `mcp__db__drop` (the hook's name of the
/// `drop` tool) never gives it to a worker whose own capabilities (`mcp.*`) do not.
#[tokio::test]
async fn a_delegated_ceiling_never_holds_what_the_receiving_agent_may_not_do() {
    let api = api().await;
    let planner = agent(&api, "planner", &["*"]).await;
    let worker = agent(&api, "worker", &["mcp.*", "db.query.read"]).await;
    let hook = delegated(&api, &planner, &worker, &["mcp__db__drop"], None).await;
    let (s, v) = open_session(&api, &id(&hook)).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
    // Twin: a scope both sides cover opens, with exactly that ceiling.
    let reads = delegated(&api, &planner, &worker, &["db.*", "mcp__db__drop"], None).await;
    let (s, v) = open_session(&api, &id(&reads)).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["scope_ceiling"], json!(["db.query.read"]), "{v}");
    let sid = v["session_id"].as_str().unwrap();
    let (s, hooked) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(
                json!({"agent_id": worker, "session_id": sid, "action_name": "drop",
                "action_source": "hook", "hook_tool": "mcp__db__drop",
                "action_input_summary": "drop"}),
            ),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{hooked}");
    assert_eq!(hooked["allowed"], false, "{hooked}");
}
