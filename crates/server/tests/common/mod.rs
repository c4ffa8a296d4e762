//! The in-process harness the server's router tests share: a fresh store with a bootstrap
//! organization, and calls through the router without a socket.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use airlock_server::service::{CheckRequest, KeyHash};
use airlock_server::{Bootstrap, Config, Service};
use airlock_store::{Options, Store};

pub const KEY: &str = "sk_live_apitest0123456789";

/// The hash of a presented key.
pub fn hash(key: &str) -> KeyHash {
    KeyHash::presented(Some(key)).unwrap()
}

/// An MCP surface's check of `db.query` with `sql` as its input.
pub fn sql_check(agent: &str, session: &str, sql: &str) -> CheckRequest {
    CheckRequest {
        agent_id: agent.to_string(),
        session_id: session.to_string(),
        action_name: "db.query".into(),
        input: json!({"sql": sql}),
        declared: None,
        source: "mcp".into(),
        refusal: None,
        hook_tool: None,
    }
}

pub struct Api {
    pub app: Router,
    /// The service behind the router, for what adapters call directly (the MCP gateway).
    pub service: Service,
    pub store: Store,
    pub _dir: tempfile::TempDir,
}

impl Api {
    pub async fn new() -> Api {
        Api::with_config(Config::default()).await
    }

    pub async fn with_config(config: Config) -> Api {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), Options { migrate: true }).unwrap();
        let b = store
            .run(|tx| airlock_server::bootstrap(tx, Some(KEY)))
            .await
            .unwrap();
        assert!(matches!(b, Bootstrap::Created { .. }));
        Api::with_store_config(store, dir, config)
    }

    /// The harness over a store the test prepared (bootstrapped) itself.
    pub fn with_store(store: Store, dir: tempfile::TempDir) -> Api {
        Api::with_store_config(store, dir, Config::default())
    }

    fn with_store_config(store: Store, dir: tempfile::TempDir, config: Config) -> Api {
        let service = Service::new(store.clone(), config);
        Api {
            app: airlock_server::router(service.clone()),
            service,
            store,
            _dir: dir,
        }
    }

    pub async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        self.call_as(KEY, method, path, body).await
    }

    pub async fn call_as(
        &self,
        key: &str,
        method: &str,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("x-api-key", key);
        req = req.header("content-type", "application/json");
        let body = body
            .map(|b| Body::from(b.to_string()))
            .unwrap_or_else(Body::empty);
        let resp = self
            .app
            .clone()
            .oneshot(req.body(body).unwrap())
            .await
            .unwrap();
        let status = resp.status();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        (status, value)
    }

    /// A GET without an API key, answered as text: status, content type and body.
    pub async fn get_text(&self, path: &str) -> (StatusCode, String, String) {
        let req = Request::builder().uri(path).body(Body::empty()).unwrap();
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let ctype = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        (status, ctype, String::from_utf8(bytes.to_vec()).unwrap())
    }

    /// A new agent and a new server at `url`, both with `caps`, the server's sessions in
    /// `mode`: their ids.
    pub async fn agent_and_server(&self, caps: &[&str], url: &str, mode: &str) -> (String, String) {
        let (s, agent) = self
            .call(
                "POST",
                "/api/v1/agents",
                Some(json!({"name": "a", "capabilities": caps})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{agent}");
        let (s, server) = self
            .call(
                "POST",
                "/mcp/servers",
                Some(json!({"name": "db", "url": url, "capabilities": caps, "default_mode": mode})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{server}");
        (
            agent["id"].as_str().unwrap().to_string(),
            server["id"].as_str().unwrap().to_string(),
        )
    }

    /// [`Api::agent_and_server`] and a session of the agent on the server: the agent's and
    /// the session's ids.
    pub async fn setup(&self, caps: &[&str], mode: &str) -> (String, String) {
        let (agent_id, server_id) = self
            .agent_and_server(caps, "http://localhost:1", mode)
            .await;
        let (s, session) = self
            .call(
                "POST",
                "/mcp/sessions/init",
                Some(json!({"agent_id": agent_id, "server_id": server_id})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{session}");
        (
            agent_id,
            session["session_id"].as_str().unwrap().to_string(),
        )
    }
}
