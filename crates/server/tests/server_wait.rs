//! `approval_wait_secs` on a server registration: a whole number 0–600, 0 when absent, shown
//! by GET; anything else is a 400 naming the field, and nothing is registered.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::http::StatusCode;
use serde_json::{Value, json};

mod common;
use common::Api;

async fn call(api: &Api, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
    api.call(method, path, body).await
}

#[tokio::test]
async fn approval_wait_secs_is_validated_stored_and_shown() {
    let app = Api::new().await;
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
