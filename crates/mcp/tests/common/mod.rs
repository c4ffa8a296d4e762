#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]
//! One world for the relay's integration tests: the real service over a real store in a
//! temporary directory, an agent that may do anything, and one registered server; deciders
//! as the gateway builds them (in process) and as the wrapper builds them (over the HTTP API
//! on a local port).

use std::time::{Duration, Instant};

use airlock_mcp::local::LocalDecider;
use airlock_mcp::remote::{Client, RemoteDecider};
use airlock_server::service::{Caller, KeyHash, NewAgent, NewServer, SessionChoice};
use airlock_server::{Config, Service};
use airlock_store::{Options, Store};

pub const KEY: &str = "sk_live_relayintegration0123456789";

pub struct World {
    pub service: Service,
    pub caller: Caller,
    pub agent: String,
    pub server: String,
    _dir: tempfile::TempDir,
}

/// A world with the server `registration`.
pub async fn world(registration: NewServer) -> World {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), Options { migrate: true }).unwrap();
    store
        .run(|tx| airlock_server::bootstrap(tx, Some(KEY)))
        .await
        .unwrap();
    let service = Service::new(store, Config::default());
    let caller = service.authenticate(Some(KEY)).await.unwrap();
    let agent = service
        .register_agent(
            &caller,
            NewAgent {
                name: "agent".into(),
                capabilities: vec!["*".into()],
                ..NewAgent::default()
            },
        )
        .await
        .unwrap();
    let server = service
        .register_server(&caller, registration)
        .await
        .unwrap();
    World {
        service,
        caller,
        agent: agent.id,
        server: server.id,
        _dir: dir,
    }
}

/// A world with the database server `db` (standard mode) that holds calls up to `wait_secs`.
pub async fn db_world(wait_secs: u64) -> World {
    world(NewServer {
        name: "db".into(),
        url: "stdio:db".into(),
        default_mode: Some("standard".into()),
        approval_wait_secs: Some(wait_secs),
        ..NewServer::default()
    })
    .await
}

/// The gateway's decider for a new session, as the gateway builds it from the registration.
pub async fn local(w: &World, link_base: Option<&str>) -> LocalDecider {
    local_with_key(w, KEY, link_base).await
}

/// [`local`] for a caller of another key of the organization.
pub async fn local_with_key(w: &World, key: &str, link_base: Option<&str>) -> LocalDecider {
    let caller = w.service.authenticate(Some(key)).await.unwrap();
    let bound = w
        .service
        .open_server_session(&caller, &w.agent, &w.server, SessionChoice::New)
        .await
        .unwrap();
    LocalDecider {
        service: w.service.clone(),
        caller,
        key: KeyHash::presented(Some(key)).unwrap(),
        agent_id: w.agent.clone(),
        server_id: w.server.clone(),
        session_id: bound.session_id,
        allowed_methods: bound.server.allowed_methods,
        approval_wait: Duration::from_secs(bound.server.approval_wait_secs),
        link_base: link_base.map(String::from),
        decided: Default::default(),
    }
}

/// The wrapper's decider over the HTTP API on a local port (`--approval-wait-secs`: `wait`),
/// its session opened.
pub async fn remote(w: &World, wait: Option<Duration>) -> RemoteDecider {
    remote_with_key(w, KEY, wait).await
}

/// [`remote`] for another key of the organization.
pub async fn remote_with_key(w: &World, key: &str, wait: Option<Duration>) -> RemoteDecider {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = airlock_server::router(w.service.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = Client::new(&format!("http://{addr}"), key, Duration::from_secs(10)).unwrap();
    let d = RemoteDecider::new(client, &w.agent, &w.server, None).with_approval_wait(wait);
    d.session().await.unwrap();
    d
}

/// The pending approval that appears while a call is held.
pub async fn pending(w: &World) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let list = w
            .service
            .approvals(&w.caller, Some("pending"), None, None, chrono::Utc::now())
            .await
            .unwrap();
        if let Some(a) = list.first() {
            return a.id.clone();
        }
        assert!(Instant::now() < deadline, "no approval was requested");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Decides approval `id`.
pub async fn decide(w: &World, id: &str, approve: bool) {
    w.service
        .decide_approval(&w.caller, id, Some("ops"), None, approve)
        .await
        .unwrap();
}
