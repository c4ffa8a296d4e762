//! SIEM streaming through the router: destination management (validation, admin keys,
//! organization scoping, the masked and encrypted token), outbox rows written with decisions,
//! and delivery to a local axum receiver that stands in for a SIEM (a webhook collector or a
//! Splunk HTTP Event Collector: both take POSTed bodies). No test reaches the internet.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use airlock_server::Config;
use airlock_server::service::SiemKey;

mod common;

const TOKEN: &str = "hec-secret-token-0123456789-wxyz";

fn config() -> Config {
    Config {
        siem_key: Some(SiemKey::from_bytes([9; 32])),
        siem_retry_base_ms: 20,
        siem_retry_cap_ms: 200,
        siem_poll_ms: 20,
        ..Config::default()
    }
}

#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<(HeaderMap, Bytes)>>>,
    /// Answer 503 to this many requests first.
    fail_first: Arc<Mutex<u32>>,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    r.got.lock().unwrap().push((headers, body));
    let mut fail = r.fail_first.lock().unwrap();
    if *fail > 0 {
        *fail -= 1;
        return StatusCode::SERVICE_UNAVAILABLE;
    }
    StatusCode::OK
}

async fn listen(r: Receiver) -> String {
    let app = Router::new()
        .route("/siem", axum::routing::post(receive))
        .with_state(r);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/siem")
}

/// Events of the requests the receiver answered 2xx, in arrival order (failed ones are
/// retried, so they are skipped here).
fn delivered(r: &Receiver, answered_ok: &[bool]) -> Vec<Value> {
    let got = r.got.lock().unwrap().clone();
    got.iter()
        .zip(answered_ok.iter().chain(std::iter::repeat(&true)))
        .filter(|(_, ok)| **ok)
        .flat_map(|((_, body), _)| {
            String::from_utf8(body.to_vec())
                .unwrap()
                .lines()
                .map(|l| serde_json::from_str::<Value>(l).unwrap())
                .collect::<Vec<_>>()
        })
        .collect()
}

async fn create(api: &common::Api, body: Value) -> (StatusCode, Value) {
    api.call("POST", "/api/v1/siem/destinations", Some(body))
        .await
}

async fn check(api: &common::Api, agent: &str, session: &str, action: &str) -> String {
    let (s, v) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(json!({"agent_id": agent, "session_id": session, "action_name": action, "action_input": "x"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    v["check_id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn destinations_are_validated_and_scoped() {
    let api = common::Api::with_config(config()).await;
    let url = "http://127.0.0.1:9/siem";
    for (body, field) in [
        (
            json!({"destination_type": "webhook", "endpoint_url": url}),
            "name",
        ),
        (
            json!({"name": "a", "destination_type": "syslog", "endpoint_url": url}),
            "destination_type",
        ),
        (
            json!({"name": "a", "destination_type": "webhook", "endpoint_url": "ftp://x"}),
            "endpoint_url",
        ),
        (
            json!({"name": "a", "destination_type": "webhook", "endpoint_url": url, "batch_size": 0}),
            "batch_size",
        ),
        (
            json!({"name": "a", "destination_type": "webhook", "endpoint_url": url, "batch_size": 1001}),
            "batch_size",
        ),
        (
            json!({"name": "a", "destination_type": "webhook", "endpoint_url": url, "flush_interval_seconds": 301}),
            "flush_interval_seconds",
        ),
        (
            json!({"name": "a", "destination_type": "webhook", "endpoint_url": url, "filter_event_types": ["nope"]}),
            "filter_event_types",
        ),
        (
            json!({"name": "a", "destination_type": "webhook", "endpoint_url": url, "auth_token": "has space"}),
            "auth_token",
        ),
        (
            json!({"name": "x".repeat(129), "destination_type": "webhook", "endpoint_url": url}),
            "name",
        ),
    ] {
        let (s, v) = create(&api, body.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{body} → {v}");
        assert!(v["error"].is_string(), "{v}");
        assert!(
            v["message"].as_str().unwrap().contains(field),
            "{field}: {v}"
        );
    }
    // `splunk` is a name of `splunk_hec`; defaults fill the rest.
    let (s, d) = create(
        &api,
        json!({"name": "hec", "destination_type": "splunk", "endpoint_url": url, "auth_token": TOKEN}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    assert_eq!(d["destination_type"], "splunk_hec");
    assert_eq!(d["batch_size"], 100);
    assert_eq!(d["flush_interval_seconds"], 5);
    assert_eq!(d["is_active"], true);
    assert_eq!(d["auth_token"], "****wxyz");
    let id = d["id"].as_str().unwrap().to_string();

    // Partial update, is_active included; the token stays masked.
    let (s, u) = api
        .call(
            "PUT",
            &format!("/api/v1/siem/destinations/{id}"),
            Some(json!({"is_active": false, "batch_size": 7})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{u}");
    assert_eq!(u["is_active"], false);
    assert_eq!(u["batch_size"], 7);
    assert_eq!(u["name"], "hec");
    assert_eq!(u["auth_token"], "****wxyz");
    let (s, _) = api
        .call(
            "PUT",
            &format!("/api/v1/siem/destinations/{id}"),
            Some(json!({"flush_interval_seconds": 0})),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);

    let (s, list) = api.call("GET", "/api/v1/siem/destinations", None).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["total"], 1);
    assert_eq!(list["destinations"][0]["id"], id.as_str());

    // Agent keys may not manage destinations; another organization does not see them.
    let agent_key = api
        .store
        .run(|tx| {
            airlock_server::create_key(tx, "default", "runner", airlock_server::KeyRole::Agent)
        })
        .await
        .unwrap();
    let (s, _) = api
        .call_as(&agent_key, "GET", "/api/v1/siem/destinations", None)
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let other = api
        .store
        .run(|tx| airlock_server::create_key(tx, "other", "admin", airlock_server::KeyRole::Admin))
        .await
        .unwrap();
    let (s, l) = api
        .call_as(&other, "GET", "/api/v1/siem/destinations", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(l["total"], 0);
    for (method, path) in [
        ("GET", format!("/api/v1/siem/destinations/{id}")),
        ("PUT", format!("/api/v1/siem/destinations/{id}")),
        ("DELETE", format!("/api/v1/siem/destinations/{id}")),
        ("GET", format!("/api/v1/siem/destinations/{id}/logs")),
        ("POST", format!("/api/v1/siem/destinations/{id}/test")),
    ] {
        let (s, v) = api.call_as(&other, method, &path, Some(json!({}))).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{method} {path}: {v}");
    }

    // At most 16 per organization.
    for i in 1..16 {
        let (s, v) = create(
            &api,
            json!({"name": format!("d{i}"), "destination_type": "webhook", "endpoint_url": url}),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (s, v) = create(
        &api,
        json!({"name": "one too many", "destination_type": "webhook", "endpoint_url": url}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");

    let (s, _) = api
        .call("DELETE", &format!("/api/v1/siem/destinations/{id}"), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = api
        .call("GET", &format!("/api/v1/siem/destinations/{id}"), None)
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn private_endpoints_are_refused_when_the_server_denies_them() {
    let api = common::Api::with_config(Config {
        deny_private_webhooks: true,
        ..config()
    })
    .await;
    let (s, v) = create(
        &api,
        json!({"name": "a", "destination_type": "webhook", "endpoint_url": "http://10.0.0.5/x"}),
    )
    .await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
}

#[tokio::test]
async fn the_token_is_encrypted_at_rest() {
    let api = common::Api::with_config(config()).await;
    let (s, d) = create(
        &api,
        json!({"name": "hec", "destination_type": "splunk_hec", "endpoint_url": "http://127.0.0.1:9/x", "auth_token": TOKEN}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let (_, got) = api
        .call(
            "GET",
            &format!("/api/v1/siem/destinations/{}", d["id"].as_str().unwrap()),
            None,
        )
        .await;
    assert!(!got.to_string().contains(TOKEN), "{got}");
    // Nothing of the database (file and write-ahead log) holds the token's bytes.
    let mut bytes = Vec::new();
    for entry in std::fs::read_dir(api._dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            bytes.extend(std::fs::read(&path).unwrap());
        }
    }
    assert!(bytes.len() > 4096);
    let needle = TOKEN.as_bytes();
    assert!(!bytes.windows(needle.len()).any(|w| w == needle));
    // A server without the key cannot store a token.
    let keyless = common::Api::new().await;
    let (s, v) = create(
        &keyless,
        json!({"name": "hec", "destination_type": "splunk_hec", "endpoint_url": "http://127.0.0.1:9/x", "auth_token": TOKEN}),
    )
    .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
}

#[tokio::test]
async fn decisions_write_outbox_rows_in_order_and_filters_apply() {
    let api = common::Api::with_config(config()).await;
    let (agent, session) = api.setup(&["db.*"], "standard").await;
    let (_, all) = create(&api, json!({"name": "all", "destination_type": "webhook", "endpoint_url": "http://127.0.0.1:9/x"})).await;
    let (_, denied) = create(&api, json!({"name": "denied", "destination_type": "webhook", "endpoint_url": "http://127.0.0.1:9/x", "filter_event_types": ["decision.denied"]})).await;
    let (_, off) = create(&api, json!({"name": "off", "destination_type": "webhook", "endpoint_url": "http://127.0.0.1:9/x"})).await;
    let off_id = off["id"].as_str().unwrap().to_string();
    api.call(
        "PUT",
        &format!("/api/v1/siem/destinations/{off_id}"),
        Some(json!({"is_active": false})),
    )
    .await;

    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(check(&api, &agent, &session, "db.query").await);
    }
    // Destructive: denied in standard mode (an approval is asked for).
    let drop_id = check(&api, &agent, &session, "db.drop_table").await;
    ids.push(drop_id.clone());

    let all_id = all["id"].as_str().unwrap().to_string();
    let rows = api
        .store
        .run(move |tx| tx.siem_batch(&all_id, 100))
        .await
        .unwrap();
    let got: Vec<String> = rows.iter().map(|r| r.check_id.clone()).collect();
    assert_eq!(got, ids);
    let seqs: Vec<u64> = rows.iter().map(|r| r.seq).collect();
    assert_eq!(seqs, vec![1, 2, 3, 4]);
    let event: Value = serde_json::from_str(&rows[3].event).unwrap();
    assert_eq!(event["idempotency_key"], drop_id.as_str());
    assert_eq!(event["session_id"], session.as_str());
    assert_eq!(event["allowed"], false);
    assert_eq!(rows[0].event_type, "decision.allowed");

    let denied_id = denied["id"].as_str().unwrap().to_string();
    let rows = api
        .store
        .run(move |tx| tx.siem_batch(&denied_id, 100))
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].check_id, drop_id);
    let rows = api
        .store
        .run(move |tx| tx.siem_batch(&off_id, 100))
        .await
        .unwrap();
    assert!(rows.is_empty());
}

#[tokio::test]
async fn delivery_retries_in_order_and_logs_every_attempt() {
    let api = common::Api::with_config(config()).await;
    let receiver = Receiver {
        fail_first: Arc::new(Mutex::new(2)),
        ..Receiver::default()
    };
    let url = listen(receiver.clone()).await;
    let (agent, session) = api.setup(&["db.*"], "standard").await;
    let (s, d) = create(
        &api,
        json!({"name": "w", "destination_type": "webhook", "endpoint_url": url, "auth_token": TOKEN, "batch_size": 3, "flush_interval_seconds": 1}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let id = d["id"].as_str().unwrap().to_string();
    let mut ids = Vec::new();
    for _ in 0..10 {
        ids.push(check(&api, &agent, &session, "db.query").await);
    }
    let worker = api.service.start_siem_delivery();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let events = delivered(&receiver, &[false, false]);
        if events.len() >= ids.len() {
            let keys: Vec<&str> = events
                .iter()
                .map(|e| e["idempotency_key"].as_str().unwrap())
                .collect();
            assert_eq!(keys, ids.iter().map(String::as_str).collect::<Vec<_>>());
            break;
        }
        assert!(
            Instant::now() < deadline,
            "delivered {} of {}",
            events.len(),
            ids.len()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let got = receiver.got.lock().unwrap().clone();
    // The two failures were the same first batch, retried before anything after it.
    assert_eq!(got[0].1, got[1].1);
    assert_eq!(got[1].1, got[2].1);
    for (headers, _) in &got {
        assert_eq!(headers["authorization"], format!("Bearer {TOKEN}").as_str());
        assert!(headers.contains_key("idempotency-key"));
    }
    // The outbox drains, and every attempt is in the log.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let i = id.clone();
        if api
            .store
            .run(move |tx| tx.siem_batch(&i, 10))
            .await
            .unwrap()
            .is_empty()
        {
            break;
        }
        assert!(Instant::now() < deadline, "outbox not drained");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (s, logs) = api
        .call("GET", &format!("/api/v1/siem/destinations/{id}/logs"), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    let logs = logs["logs"].as_array().unwrap().clone();
    let failed = logs.iter().filter(|l| l["status"] == "failed").count();
    let ok = logs.iter().filter(|l| l["status"] == "success").count();
    assert_eq!(failed, 2, "{logs:?}");
    assert_eq!(ok, 4, "{logs:?}");
    assert!(logs.iter().any(|l| l["status_code"] == 503));

    // The test route sends one synthetic event at once.
    let (s, t) = api
        .call(
            "POST",
            &format!("/api/v1/siem/destinations/{id}/test"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{t}");
    assert_eq!(t["success"], true, "{t}");
    assert_eq!(t["status_code"], 200);
    let last = receiver.got.lock().unwrap().last().unwrap().1.clone();
    let e: Value = serde_json::from_str(String::from_utf8(last.to_vec()).unwrap().trim()).unwrap();
    assert_eq!(e["event_type"], "test");
    worker.abort();
}

#[tokio::test]
async fn splunk_hec_gets_its_format_and_header() {
    let api = common::Api::with_config(config()).await;
    let receiver = Receiver::default();
    let url = listen(receiver.clone()).await;
    let (agent, session) = api.setup(&["db.*"], "standard").await;
    let (s, d) = create(
        &api,
        json!({"name": "hec", "destination_type": "splunk_hec", "endpoint_url": url, "auth_token": TOKEN, "batch_size": 2, "flush_interval_seconds": 1}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{d}");
    let a = check(&api, &agent, &session, "db.query").await;
    let b = check(&api, &agent, &session, "db.query").await;
    let worker = api.service.start_siem_delivery();
    let deadline = Instant::now() + Duration::from_secs(10);
    while receiver.got.lock().unwrap().is_empty() {
        assert!(Instant::now() < deadline, "nothing delivered");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (headers, body) = receiver.got.lock().unwrap()[0].clone();
    assert_eq!(headers["authorization"], format!("Splunk {TOKEN}").as_str());
    let events = delivered(&receiver, &[]);
    assert_eq!(events.len(), 2, "{}", String::from_utf8_lossy(&body));
    assert_eq!(events[0]["sourcetype"], "airlock:decision");
    assert!(events[0]["time"].as_f64().unwrap() > 1.7e9);
    assert_eq!(events[0]["event"]["idempotency_key"], a.as_str());
    assert_eq!(events[1]["event"]["idempotency_key"], b.as_str());
    worker.abort();
}

/// What the outbox adds to a check, through the router on SQLite (run with `--release
/// --ignored --nocapture`): mean check time without a destination, then with one.
#[tokio::test]
#[ignore = "a measurement, not a test: run with --release --ignored --nocapture"]
async fn cost_of_the_outbox_on_the_check_path() {
    let api = common::Api::with_config(config()).await;
    let (agent, session) = api.setup(&["db.*"], "standard").await;
    let n = 2000u32;
    let mut mean = Vec::new();
    for with_destination in [false, true] {
        if with_destination {
            create(&api, json!({"name": "d", "destination_type": "webhook", "endpoint_url": "http://127.0.0.1:9/x"})).await;
        }
        let started = Instant::now();
        for _ in 0..n {
            check(&api, &agent, &session, "db.query").await;
        }
        mean.push(started.elapsed() / n);
    }
    println!(
        "mean check: {:?} without a destination, {:?} with one",
        mean[0], mean[1]
    );
}

#[tokio::test]
async fn a_full_backlog_drops_new_events_and_counts_them() {
    let api = common::Api::with_config(Config {
        siem_max_backlog: 3,
        ..config()
    })
    .await;
    let (agent, session) = api.setup(&["db.*"], "standard").await;
    // Nothing listens on port 9 here: every delivery fails, the backlog only grows.
    let (_, d) = create(&api, json!({"name": "down", "destination_type": "webhook", "endpoint_url": "http://127.0.0.1:9/x", "batch_size": 1000, "flush_interval_seconds": 300})).await;
    let id = d["id"].as_str().unwrap().to_string();
    for _ in 0..4 {
        check(&api, &agent, &session, "db.query").await;
    }
    let worker = api.service.start_siem_delivery();
    // The worker counts the backlog (once a second) and checks read it.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    for _ in 0..5 {
        check(&api, &agent, &session, "db.query").await;
    }
    let i = id.clone();
    let rows = api
        .store
        .run(move |tx| tx.siem_batch(&i, 100))
        .await
        .unwrap();
    assert_eq!(rows.len(), 4);
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let (_, _, text) = api.get_text("/metrics").await;
    assert!(
        text.contains(&format!("airlock_siem_backlog{{destination=\"{id}\"}} 4\n")),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "airlock_siem_dropped_total{{destination=\"{id}\"}} 5\n"
        )),
        "{text}"
    );
    worker.abort();
}
