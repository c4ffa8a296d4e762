#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! A custom method the server's registration allows is checked by the real service like a
//! tool call (action `mcp.<method>`, its params as input) and recorded in the decision log;
//! any other spelling is refused and recorded. The same script runs through the gateway's
//! in-process decider and through the wrapper's decider over the HTTP API, which reads the
//! registration with `--server`.

use serde_json::{Value, json};

use airlock_mcp::local::LocalDecider;
use airlock_mcp::relay::{self, ClientAction, Decider, Outstanding, REFUSED_ACTION, code};
use airlock_mcp::remote::RemoteDecider;
use airlock_server::service::NewServer;

mod common;
use common::World;

/// A server whose registration allows two custom methods, in read-only mode.
async fn world() -> World {
    let w = common::world(NewServer {
        name: "search".into(),
        url: "stdio:search".into(),
        capabilities: Some(vec!["mcp.acme.*".into()]),
        default_mode: Some("read_only".into()),
        allowed_methods: Some(vec!["acme/search".into(), "acme/reIndex".into()]),
        ..NewServer::default()
    })
    .await;
    let server = w.service.server(&w.caller, &w.server).await.unwrap();
    assert_eq!(server.allowed_methods, vec!["acme/search", "acme/reIndex"]);
    w
}

async fn local(w: &World) -> LocalDecider {
    common::local(w, None).await
}

async fn remote(w: &World) -> RemoteDecider {
    common::remote(w, None).await
}

fn request(id: i64, method: &str, params: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params})
}

/// Runs the script through `decider`; returns its session.
async fn script<D: Decider>(decider: &D, session: impl AsyncFnOnce() -> String) -> String {
    let out = Outstanding::default();
    // Read-only params: checked, allowed in a read_only session, forwarded as checked.
    let read = request(
        1,
        "acme/search",
        json!({"query": "SELECT id, title FROM docs"}),
    );
    assert_eq!(
        relay::on_client_message(decider, &out, read.clone()).await,
        ClientAction::Forward(read)
    );
    // Destructive params: denied with a JSON-RPC error, never forwarded.
    let wipe = request(2, "acme/reIndex", json!({"command": "rm -rf /"}));
    let ClientAction::Reply(r) = relay::on_client_message(decider, &out, wipe).await else {
        panic!("a destructive custom method must be denied")
    };
    assert_eq!(r["id"], 2);
    assert_eq!(r["error"]["code"], code::DENIED, "{r}");
    let airlock = &r["error"]["data"]["airlock"];
    assert_eq!(airlock["allowed"], false, "{r}");
    assert!(
        matches!(airlock["effect"].as_str(), Some("destructive" | "admin")),
        "{r}"
    );
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("mcp.acme.re_index"),
        "{r}"
    );
    // Unlisted methods and every other spelling of a listed one: refused.
    for (id, m) in [
        (3, "acme/unlisted"),
        (4, "Acme/Search"),
        (5, "acme/search "),
        (6, "acme/search/"),
        (7, "acme/search\u{200b}"),
        (8, "acme/reindex"),
    ] {
        let msg = request(id, m, json!({"query": "SELECT 1"}));
        let ClientAction::Reply(r) = relay::on_client_message(decider, &out, msg).await else {
            panic!("{m:?} must be refused")
        };
        assert_eq!(r["error"]["code"], code::METHOD_NOT_FOUND, "{m:?}: {r}");
        assert_eq!(
            r["error"]["data"]["airlock"]["rule"], "refused",
            "{m:?}: {r}"
        );
    }
    session().await
}

/// What the session's decision log holds after the script.
async fn log_of(w: &World, session: &str) -> Vec<(String, bool, String)> {
    let log = w
        .service
        .decisions(&w.caller, session, None, None)
        .await
        .unwrap();
    assert!(
        w.service
            .verify_chain(&w.caller, session)
            .await
            .unwrap()
            .valid,
        "the chain verifies"
    );
    log.decisions
        .into_iter()
        .map(|d| (d.action_name, d.allowed, d.effect))
        .collect()
}

fn assert_script_recorded(log: &[(String, bool, String)]) {
    let actions: Vec<(&str, bool)> = log.iter().map(|(a, ok, _)| (a.as_str(), *ok)).collect();
    let mut want = vec![("mcp.acme.search", true), ("mcp.acme.re_index", false)];
    want.extend([(REFUSED_ACTION, false); 6]);
    assert_eq!(actions, want);
    assert_eq!(log.first().map(|d| d.2.as_str()), Some("read"));
}

#[tokio::test]
async fn the_gateway_checks_and_records_an_allowed_custom_method() {
    let w = world().await;
    let d = local(&w).await;
    let session = script(&d, async || d.session_id.clone()).await;
    assert_script_recorded(&log_of(&w, &session).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wrapper_reads_the_registration_and_checks_the_same_way() {
    let w = world().await;
    let d = remote(&w).await;
    let session = script(&d, async || d.session().await.unwrap()).await;
    assert_script_recorded(&log_of(&w, &session).await);
}
