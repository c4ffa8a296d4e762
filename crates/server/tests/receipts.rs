//! Receipts signed together (docs/audit.md, "Receipts"): checks that finish at the same time
//! share one signature over their Merkle root, and every receipt still verifies alone with
//! the public key; one changed field of any of them fails.

mod common;

use axum::http::StatusCode;
use serde_json::{Value, json};

use common::Api;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_checks_share_signatures_and_each_receipt_verifies_alone() {
    let api = std::sync::Arc::new(Api::new().await);
    let (agent, session) = api.setup(&["db.*"], "standard").await;
    let mut tasks = Vec::new();
    for i in 0..64 {
        let (api, agent, session) = (api.clone(), agent.clone(), session.clone());
        tasks.push(tokio::spawn(async move {
            let (s, answer) = api
                .call(
                    "POST",
                    "/api/v1/agenttrust/check",
                    Some(json!({"agent_id": agent, "session_id": session, "action_name": "db.query", "action_input": format!("SELECT {i}")})),
                )
                .await;
            assert_eq!(s, StatusCode::OK, "{answer}");
            answer
        }));
    }
    let mut answers: Vec<Value> = Vec::new();
    for t in tasks {
        answers.push(t.await.unwrap());
    }
    let keys = api.service.audit_trail().keys().clone();
    let lookup = |id: &str| keys.get(id).map(|k| k.public());
    let mut batched = 0;
    for answer in &answers {
        let text = answer["receipt"].to_string();
        let receipt =
            airlock_audit::receipt::verify(&text, lookup).unwrap_or_else(|e| panic!("{e}: {text}"));
        assert_eq!(receipt.check_id, answer["check_id"].as_str().unwrap());
        if receipt.batch.is_some() {
            batched += 1;
        }
        // Any changed field fails, batched or not.
        let mut bad = answer["receipt"].clone();
        bad["allowed"] = json!(!answer["allowed"].as_bool().unwrap());
        assert!(airlock_audit::receipt::verify(&bad.to_string(), lookup).is_err());
    }
    assert!(
        batched > 0,
        "64 concurrent checks: no receipt was signed in a batch"
    );
}

#[tokio::test]
async fn a_service_given_other_audit_keys_signs_receipts_with_them() {
    let mut api = Api::new().await;
    let (agent, session) = api.setup(&["db.*"], "standard").await;
    let ring = airlock_audit::KeyRing::ephemeral();
    let current = ring.current().id.clone();
    let trail = airlock_server::service::audit_trail::AuditTrail::new(ring.clone(), None);
    api.service = api.service.clone().with_audit(trail);
    api.app = airlock_server::router(api.service.clone());
    let (s, answer) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(json!({"agent_id": agent, "session_id": session, "action_name": "db.query", "action_input": "SELECT 1"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{answer}");
    assert_eq!(answer["receipt"]["key_id"], json!(current));
    let text = answer["receipt"].to_string();
    airlock_audit::receipt::verify(&text, |id| ring.get(id).map(|k| k.public()))
        .unwrap_or_else(|e| panic!("{e}: {text}"));
}
