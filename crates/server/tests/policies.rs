//! Spot Guard policies through the router (no socket): management, validation, versions,
//! organization isolation, and enforcement by the check.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use airlock_store::{Options, Store};

mod common;
use common::{Api, KEY};

const OTHER_KEY: &str = "sk_live_otherorg0123456789";

/// A second organization with its own admin key, written straight into the store.
async fn second_org(store: &Store) {
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
}

async fn api_with_two_orgs() -> Api {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), Options { migrate: true }).unwrap();
    store
        .run(|tx| airlock_server::bootstrap(tx, Some(KEY)))
        .await
        .unwrap();
    second_org(&store).await;
    Api::with_store(store, dir)
}

#[tokio::test]
async fn policies_are_validated_versioned_and_kept_per_organization() {
    let api = api_with_two_orgs().await;
    // The schema is served.
    let req = Request::get("/api/v1/policies/schema")
        .header("x-api-key", KEY)
        .body(Body::empty())
        .unwrap();
    let resp = api.app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    let schema = String::from_utf8(bytes.to_vec()).unwrap();
    assert!(schema.contains("namespace Airlock") && schema.contains("entity Agent"));
    // An invalid policy: 400 invalid_policy with Cedar's message and position; nothing stored.
    let bad = "forbid (principal, action, resource)\nwhen { context.tabels.contains(\"x\") };";
    let (s, body) = api
        .call(
            "POST",
            "/api/v1/policies",
            Some(json!({"id": "bad", "text": bad})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "invalid_policy");
    let message = body["message"].as_str().unwrap();
    assert!(
        message.contains("line 2, column") && message.contains("tabels"),
        "{message}"
    );
    let (s, body) = api
        .call(
            "POST",
            "/api/v1/policies",
            Some(json!({"id": "syntax", "text": "forbid (principal"})),
        )
        .await;
    assert_eq!(
        (s, body["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_policy"))
    );
    let (s, body) = api
        .call(
            "POST",
            "/api/v1/policies",
            Some(json!({"text": "forbid (principal, action, resource);", "mode": "sometimes"})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{body}");
    let (_, list) = api.call("GET", "/api/v1/policies", None).await;
    assert_eq!(list["policies"], json!([]));
    // Create, update, read back with versions.
    let text = "forbid (principal, action, resource) when { context.write_calls > 100 };";
    let (s, created) = api
        .call(
            "POST",
            "/api/v1/policies",
            Some(json!({"id": "cap", "description": "writes cap", "text": text})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    assert_eq!(
        (created["version"].as_u64(), created["mode"].as_str()),
        (Some(1), Some("enforce"))
    );
    let (s, _) = api
        .call(
            "POST",
            "/api/v1/policies",
            Some(json!({"id": "cap", "text": text})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT);
    let (s, updated) = api
        .call(
            "PUT",
            "/api/v1/policies/cap",
            Some(json!({"mode": "log_only"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{updated}");
    assert_eq!(
        (updated["version"].as_u64(), updated["mode"].as_str()),
        (Some(2), Some("log_only"))
    );
    let (s, bad_update) = api
        .call(
            "PUT",
            "/api/v1/policies/cap",
            Some(json!({"text": "permit (principal"})),
        )
        .await;
    assert_eq!(
        (s, bad_update["error"].as_str()),
        (StatusCode::BAD_REQUEST, Some("invalid_policy"))
    );
    let (_, detail) = api.call("GET", "/api/v1/policies/cap", None).await;
    let versions = detail["versions"].as_array().unwrap();
    assert_eq!(versions.len(), 2, "{detail}");
    assert_eq!(versions[0]["change"], "created");
    assert_eq!(versions[1]["change"], "updated");
    assert!(
        versions[1]["changed_by"]
            .as_str()
            .is_some_and(|w| !w.is_empty())
    );
    assert!(versions[1]["changed_at"].as_str().is_some());
    // The other organization sees nothing and cannot touch it.
    let (s, other) = api
        .call_as(OTHER_KEY, "GET", "/api/v1/policies", None)
        .await;
    assert_eq!((s, other["policies"].clone()), (StatusCode::OK, json!([])));
    let (s, _) = api
        .call_as(OTHER_KEY, "GET", "/api/v1/policies/cap", None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, _) = api
        .call_as(OTHER_KEY, "DELETE", "/api/v1/policies/cap", None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Delete keeps the versions; a re-created id continues the numbering.
    let (s, deleted) = api.call("DELETE", "/api/v1/policies/cap", None).await;
    assert_eq!(
        (s, deleted["deleted"].clone()),
        (StatusCode::OK, json!(true))
    );
    let (s, _) = api.call("GET", "/api/v1/policies/cap", None).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (_, again) = api
        .call(
            "POST",
            "/api/v1/policies",
            Some(json!({"id": "cap", "text": text})),
        )
        .await;
    assert_eq!(again["version"].as_u64(), Some(4), "{again}");
}

#[tokio::test]
async fn a_policy_forbids_payment_updates_for_one_agent_only() {
    let api = Api::new().await;
    let (support, support_session) = api.setup(&["db.*"], "standard").await;
    let (billing, billing_session) = api.setup(&["db.*"], "standard").await;
    let check = |agent: &str, session: &str, input: &str| json!({"agent_id": agent, "session_id": session, "action_name": "db.execute_sql", "action_input_summary": input});
    let update = "UPDATE billing.payments_eu SET status = 'void' WHERE id = 7";
    // Before any policy both are allowed.
    let (_, v) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(check(&support, &support_session, update)),
        )
        .await;
    assert_eq!(v["allowed"], true, "{v}");
    let text = format!(
        "forbid (principal == Airlock::Agent::\"{support}\", action, resource)\nwhen {{ context.tables_list like \"* payments*\" && context.statements.contains(\"update\") }};"
    );
    let (s, p) = api
        .call(
            "POST",
            "/api/v1/policies",
            Some(json!({"id": "no-payment-updates", "text": text})),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{p}");
    // The policy is seen on the very next check.
    let (_, v) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(check(&support, &support_session, update)),
        )
        .await;
    assert_eq!(
        (v["allowed"].clone(), v["rule"].clone()),
        (json!(false), json!("policy_forbid")),
        "{v}"
    );
    assert!(
        v["reason"].as_str().unwrap().contains("no-payment-updates"),
        "{v}"
    );
    // Another table, and another agent, are unaffected.
    let other_table = "UPDATE orders SET status = 'void' WHERE id = 7";
    let (_, v) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(check(&support, &support_session, other_table)),
        )
        .await;
    assert_eq!(v["allowed"], true, "{v}");
    let (_, v) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(check(&billing, &billing_session, update)),
        )
        .await;
    assert_eq!(v["allowed"], true, "{v}");
    // log_only: the verdict is not changed, the would-be result is recorded with it.
    let (s, _) = api
        .call(
            "PUT",
            "/api/v1/policies/no-payment-updates",
            Some(json!({"mode": "log_only"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, v) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(check(&support, &support_session, update)),
        )
        .await;
    assert_eq!(v["allowed"], true, "{v}");
    let reasons = v["reasons"].to_string();
    assert!(
        reasons.contains("policy `no-payment-updates` (log_only) would forbid"),
        "{v}"
    );
    // An approval annotation asks for a call approval instead of denying.
    let approval = format!("@approval(\"required\")\n{text}");
    let (s, _) = api
        .call(
            "PUT",
            "/api/v1/policies/no-payment-updates",
            Some(json!({"mode": "enforce", "text": approval})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (_, v) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(check(&support, &support_session, update)),
        )
        .await;
    assert_eq!(v["rule"], "policy_approval", "{v}");
    assert!(v["approval_id"].as_str().is_some(), "{v}");
}
