//! `approval_wait_secs` on a server registration: a whole number 0–600, 0 when absent, shown
//! by GET; anything else is a 400 naming the field, and nothing is registered.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use airlock_server::{Config, Service};
use airlock_store::{Options, Store};

const KEY: &str = "sk_live_serverwait0123456789";

async fn call(app: &Router, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header("x-api-key", KEY)
        .header("content-type", "application/json")
        .body(
            body.map(|b| Body::from(b.to_string()))
                .unwrap_or_else(Body::empty),
        )
        .unwrap();
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn approval_wait_secs_is_validated_stored_and_shown() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), Options { migrate: true }).unwrap();
    store
        .run(|tx| airlock_server::bootstrap(tx, Some(KEY)))
        .await
        .unwrap();
    let app = airlock_server::router(Service::new(store, Config::default()));
    let register = |wait: Option<Value>| {
        let mut b = json!({"name": "db", "url": "http://127.0.0.1:1/mcp"});
        if let Some(w) = wait {
            b["approval_wait_secs"] = w;
        }
        b
    };
    for bad in [
        json!(601),
        json!(-1),
        json!(1.5),
        json!("30"),
        json!(u64::MAX),
    ] {
        let (s, v) = call(
            &app,
            "POST",
            "/mcp/servers",
            Some(register(Some(bad.clone()))),
        )
        .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {v}");
        assert_eq!(v["error"], "invalid_request", "{v}");
        assert!(
            v["message"]
                .as_str()
                .unwrap()
                .contains("approval_wait_secs"),
            "{v}"
        );
    }
    let (_, listed) = call(&app, "GET", "/mcp/servers", None).await;
    assert_eq!(listed["servers"], json!([]), "nothing registered");
    let (s, none) = call(&app, "POST", "/mcp/servers", Some(register(None))).await;
    assert_eq!(s, StatusCode::CREATED, "{none}");
    assert_eq!(none["approval_wait_secs"], 0);
    for ok in [0, 600] {
        let (s, v) = call(
            &app,
            "POST",
            "/mcp/servers",
            Some(register(Some(json!(ok)))),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        let (_, got) = call(
            &app,
            "GET",
            &format!("/mcp/servers/{}", v["id"].as_str().unwrap()),
            None,
        )
        .await;
        assert_eq!(got["approval_wait_secs"], ok, "{got}");
    }
}
