//! The OpenAPI document covers the router: every path the router has, with every method it
//! answers, is an operation of the document, and the document names nothing the router lacks.
//! A route added without a `#[utoipa::path]` annotation listed in `ApiDoc` fails here.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::Value;
use tower::ServiceExt;

use common::Api;

const METHODS: [&str; 5] = ["GET", "POST", "PUT", "DELETE", "PATCH"];

/// The router's paths, from its `Debug` output (axum keeps no public list): each quoted
/// string that starts with `/` in the path router's part (the fallback router registers `/`
/// and a private catch-all of its own).
fn router_paths(app: &axum::Router) -> BTreeSet<String> {
    let full = format!("{app:?}");
    let debug = full.split("fallback_router").next().unwrap();
    let mut paths = BTreeSet::new();
    for piece in debug.split('"').skip(1).step_by(2) {
        if piece.starts_with('/') && !piece.contains("__private__") {
            paths.insert(piece.to_string());
        }
    }
    assert!(
        paths.contains("/health")
            && paths.contains("/api/v1/agents/{id}")
            && paths.contains("/access/v1/evaluation")
            && !paths.contains("/"),
        "axum's Debug output no longer lists paths; update router_paths: {paths:?}"
    );
    paths
}

/// The methods a path answers: any status but 405 (the router's method fallback) means the
/// method is routed; the request carries no key, so nothing runs past authentication.
async fn routed_methods(app: &axum::Router, path: &str) -> BTreeSet<String> {
    let uri = path.replace("{id}", "x").replace("{server_id}", "x");
    let mut out = BTreeSet::new();
    for method in METHODS {
        let req = Request::builder()
            .method(method)
            .uri(&uri)
            .header("host", "localhost")
            .body(Body::empty())
            .unwrap();
        let resp = app.clone().oneshot(req).await.unwrap();
        if resp.status() != StatusCode::METHOD_NOT_ALLOWED {
            out.insert(method.to_lowercase());
        }
    }
    out
}

fn document_operations(doc: &Value) -> BTreeMap<String, BTreeSet<String>> {
    doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .map(|(path, item)| {
            let methods = item
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| METHODS.iter().any(|m| m.eq_ignore_ascii_case(k)))
                .cloned()
                .collect();
            (path.clone(), methods)
        })
        .collect()
}

#[tokio::test]
async fn every_route_of_the_router_is_in_the_document_and_nothing_else() {
    let api = Api::new().await;
    let doc: Value = serde_json::from_str(airlock_server::openapi_document()).unwrap();
    let documented = document_operations(&doc);
    let mut routed = BTreeMap::new();
    for path in router_paths(&api.app) {
        routed.insert(path.clone(), routed_methods(&api.app, &path).await);
    }
    let missing: Vec<_> = routed
        .iter()
        .filter(|(p, m)| documented.get(*p) != Some(*m))
        .map(|(p, m)| format!("{p} {m:?} (document: {:?})", documented.get(p)))
        .collect();
    assert!(
        missing.is_empty(),
        "routes not (or not exactly) in the OpenAPI document; annotate the handler with \
         #[utoipa::path] and list it in ApiDoc (crates/server/src/routes/openapi.rs): {missing:#?}"
    );
    let extra: Vec<_> = documented
        .keys()
        .filter(|p| !routed.contains_key(*p))
        .collect();
    assert!(extra.is_empty(), "documented but not routed: {extra:?}");
}

#[tokio::test]
async fn the_document_is_served_without_a_key_and_is_openapi_3_1() {
    let api = Api::new().await;
    let (status, ctype, text) = api.get_text("/api/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ctype, "application/json");
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["openapi"], "3.1.0");
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    assert_eq!(schemes["api_key"]["name"], "X-API-Key");
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    // Unauthenticated routes have no security requirement; the others name both schemes.
    for (path, method) in [
        ("/health", "get"),
        ("/api/v1/openapi.json", "get"),
        ("/api/v1/audit/public-key", "get"),
    ] {
        assert!(doc["paths"][path][method]["security"].is_null(), "{path}");
    }
    let mut ids = BTreeSet::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            let id = op["operationId"].as_str().unwrap();
            assert!(ids.insert(id.to_string()), "operationId {id} is not unique");
        }
    }
    assert!(ids.contains("agents.list") && ids.contains("servers.list"));
    let check = &doc["paths"]["/api/v1/agenttrust/check"]["post"];
    assert_eq!(check["security"].as_array().unwrap().len(), 2);
    assert_eq!(
        check["responses"]["400"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ErrorBody"
    );
}

/// axum's own Query and Path rejections are plain text; the API's are JSON errors.
#[tokio::test]
async fn malformed_query_and_path_parameters_get_json_errors() {
    let api = Api::new().await;
    for path in [
        "/mcp/approvals?limit=abc",
        "/mcp/approvals?limit=-1",
        "/api/v1/sessions/s/decisions?after=x",
        "/api/v1/agents/%FF",
        "/mcp/servers/%C3%28",
        // The SIEM routes took axum's own Path, whose rejection is plain text.
        "/api/v1/siem/destinations/%FF",
        "/api/v1/siem/destinations/%FF/logs",
    ] {
        let (status, body) = api.call("GET", path, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
        assert_eq!(body["error"], "invalid_request", "{path}: {body}");
        assert!(body["message"].is_string(), "{path}");
    }
}

#[tokio::test]
async fn a_route_answers_as_documented_content_type() {
    let api = Api::new().await;
    let req = Request::builder()
        .uri("/api/v1/policies/schema")
        .header("x-api-key", common::KEY)
        .body(Body::empty())
        .unwrap();
    let resp = api.app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let ctype = resp.headers()["content-type"].to_str().unwrap().to_string();
    let body = resp.into_body().collect().await.unwrap().to_bytes();
    assert!(ctype.starts_with("text/plain"), "{ctype}");
    assert!(!body.is_empty());
}

/// The property names of a component schema.
fn documented_fields(doc: &Value, schema: &str) -> BTreeSet<String> {
    doc["components"]["schemas"][schema]["properties"]
        .as_object()
        .unwrap_or_else(|| panic!("no schema {schema}"))
        .keys()
        .cloned()
        .collect()
}

fn serialized_fields(value: impl serde::Serialize) -> BTreeSet<String> {
    serde_json::to_value(value)
        .unwrap()
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

/// The audit answers are serialized from airlock-audit's structs, not built field by field:
/// a field added there must be added to the document's schema too.
#[test]
fn the_audit_schemas_name_every_field_the_audit_structs_serialize() {
    use airlock_audit::keys::PublicKeyInfo;
    use airlock_audit::receipt::Receipt;
    use airlock_audit::verify::SessionReport;
    let doc: Value = serde_json::from_str(airlock_server::openapi_document()).unwrap();
    let receipt = Receipt {
        check_id: "c".into(),
        session_id: "s".into(),
        seq: 1,
        input_digest: "d".into(),
        effect: "read".into(),
        allowed: true,
        decided_at: "2026-01-01T00:00:00.000000Z".into(),
        chain_head: "h".into(),
        key_id: "k".into(),
        signature: "sig".into(),
        batch: Some(airlock_audit::receipt_batch::BatchProof {
            index: 0,
            size: 2,
            path: vec!["00".repeat(32)],
        }),
    };
    assert_eq!(
        documented_fields(&doc, "Receipt"),
        serialized_fields(&receipt)
    );
    let key = PublicKeyInfo {
        key_id: "k".into(),
        algorithm: "Ed25519".into(),
        public_key: "p".into(),
        current: true,
    };
    assert_eq!(
        documented_fields(&doc, "AuditPublicKey"),
        serialized_fields(&key)
    );
    // Every optional field set, so each is serialized.
    let report = SessionReport {
        valid: false,
        entries: 2,
        calls: 2,
        head: "h".into(),
        error: Some("broken".into()),
        first_bad_seq: Some(1),
        legacy_entries: 0,
        checkpoints_checked: 1,
    };
    assert_eq!(
        documented_fields(&doc, "Verification"),
        serialized_fields(&report)
    );
    // The receipt is always in a check answer, and in an AuthZEN decision's context.
    let check = &doc["components"]["schemas"]["CheckAnswer"];
    assert!(
        check["required"]
            .as_array()
            .unwrap()
            .contains(&Value::from("receipt"))
    );
    assert!(
        documented_fields(&doc, "AuthzenDecisionContext").contains("receipt"),
        "AuthZEN context without receipt"
    );
}
