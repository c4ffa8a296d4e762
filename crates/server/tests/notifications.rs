//! Notification webhooks through the router: management (admin keys, validation, the
//! write-only secret, the per-organization limit) and delivery to a local HTTP receiver that
//! stands in for a webhook endpoint and a Slack incoming webhook (same shapes: a POSTed JSON
//! body; Slack shows its `text`). No test reaches the internet.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{Value, json};

use airlock_server::Config;

const SECRET: &str = "whsec_0123456789abcdef";

mod common;

/// The shared harness; the tests' own helpers are below.
struct Api {
    api: common::Api,
    /// An agent-role key of the same organization.
    agent_key: String,
}

impl std::ops::Deref for Api {
    type Target = common::Api;
    fn deref(&self) -> &common::Api {
        &self.api
    }
}

impl Api {
    async fn new(config: Config) -> Api {
        let api = common::Api::with_config(config).await;
        let agent_key = api
            .store
            .run(|tx| {
                airlock_server::create_key(tx, "default", "runner", airlock_server::KeyRole::Agent)
            })
            .await
            .unwrap();
        Api { api, agent_key }
    }

    /// An agent and a session in `standard` mode: a destructive call asks for a call approval.
    async fn session(&self) -> (String, String) {
        self.setup(&["db.*"], "standard").await
    }

    async fn hook(&self, url: &str, format: &str) -> Value {
        let (s, v) = self
            .call(
                "POST",
                "/api/v1/notifications/webhooks",
                Some(json!({"url": url, "secret": SECRET, "format": format})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        v
    }
}

/// What the local receiver got: headers and raw body of each POST.
#[derive(Clone, Default)]
struct Receiver {
    got: Arc<Mutex<Vec<(HeaderMap, Bytes, Instant)>>>,
    /// Answer 500 to this many requests first.
    fail_first: Arc<Mutex<u32>>,
    /// Wait this long before answering.
    delay: Duration,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    r.got.lock().unwrap().push((headers, body, Instant::now()));
    if !r.delay.is_zero() {
        tokio::time::sleep(r.delay).await;
    }
    let mut fail = r.fail_first.lock().unwrap();
    if *fail > 0 {
        *fail -= 1;
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    StatusCode::OK
}

/// Starts a receiver on a free local port; returns its URL.
async fn listen(r: Receiver) -> String {
    let app = Router::new()
        .route("/hook", axum::routing::post(receive))
        .with_state(r);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    format!("http://{addr}/hook")
}

/// Waits until the receiver holds `n` requests (at most 10 s).
async fn wait_for(r: &Receiver, n: usize) -> Vec<(HeaderMap, Bytes, Instant)> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let got = r.got.lock().unwrap().clone();
        if got.len() >= n {
            return got;
        }
        assert!(
            Instant::now() < deadline,
            "got {} of {n} deliveries",
            got.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn fast_config() -> Config {
    Config {
        public_url: Some("https://airlock.example.test".into()),
        webhook_attempts: 4,
        webhook_backoff_ms: 50,
        ..Config::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn webhooks_are_managed_by_admin_keys_and_never_show_the_secret() {
    let api = Api::new(Config::default()).await;
    let created = api.hook("https://hooks.example.test/a", "slack").await;
    let id = created["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("whk_"));
    assert_eq!(created["format"], "slack");
    assert_eq!(created["secret_hint"], "whse… (22 chars)");
    assert!(!created.to_string().contains(SECRET), "{created}");
    let (s, list) = api
        .call("GET", "/api/v1/notifications/webhooks", None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(list["webhooks"].as_array().unwrap().len(), 1);
    assert_eq!(list["webhooks"][0]["url"], "https://hooks.example.test/a");
    assert!(!list.to_string().contains(SECRET));
    // Format defaults to json.
    let (s, v) = api
        .call(
            "POST",
            "/api/v1/notifications/webhooks",
            Some(json!({"url": "https://hooks.example.test/b", "secret": SECRET})),
        )
        .await;
    assert_eq!(
        (s, v["format"].as_str()),
        (StatusCode::CREATED, Some("json"))
    );

    // Bad input: 400 with a JSON error, nothing created.
    for bad in [
        json!({"url": "ftp://hooks.example.test/", "secret": SECRET}),
        json!({"url": "not a url", "secret": SECRET}),
        json!({"url": "https://user:pw@hooks.example.test/", "secret": SECRET}),
        json!({"url": "", "secret": SECRET}),
        json!({"url": "https://hooks.example.test/", "secret": "short"}),
        json!({"url": "https://hooks.example.test/", "secret": "x".repeat(257)}),
        json!({"url": "https://hooks.example.test/", "secret": SECRET, "format": "teams"}),
        json!({"url": format!("https://hooks.example.test/{}", "a".repeat(2100)), "secret": SECRET}),
    ] {
        let (s, v) = api
            .call("POST", "/api/v1/notifications/webhooks", Some(bad.clone()))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}: {v}");
        assert!(v["error"].is_string() && v["message"].is_string(), "{v}");
    }
    let (_, list) = api
        .call("GET", "/api/v1/notifications/webhooks", None)
        .await;
    assert_eq!(list["webhooks"].as_array().unwrap().len(), 2);

    // Agent keys cannot manage webhooks.
    let agent_key = api.agent_key.clone();
    for (method, path, body) in [
        ("GET", "/api/v1/notifications/webhooks".to_string(), None),
        (
            "POST",
            "/api/v1/notifications/webhooks".to_string(),
            Some(json!({"url": "https://hooks.example.test/c", "secret": SECRET})),
        ),
        (
            "DELETE",
            format!("/api/v1/notifications/webhooks/{id}"),
            None,
        ),
    ] {
        let (s, v) = api.call_as(&agent_key, method, &path, body).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{method} {path}: {v}");
    }
    // Deleting: once, then 404.
    let (s, _) = api
        .call(
            "DELETE",
            &format!("/api/v1/notifications/webhooks/{id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    let (s, v) = api
        .call(
            "DELETE",
            &format!("/api/v1/notifications/webhooks/{id}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
    // An unknown key is refused.
    let (s, _) = api
        .call_as(
            "sk_live_nosuchkey000000000",
            "GET",
            "/api/v1/notifications/webhooks",
            None,
        )
        .await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_organization_has_at_most_sixteen_webhooks() {
    let api = Api::new(Config::default()).await;
    for i in 0..airlock_server::service::MAX_WEBHOOKS {
        api.hook(&format!("https://hooks.example.test/{i}"), "json")
            .await;
    }
    let (s, v) = api
        .call(
            "POST",
            "/api/v1/notifications/webhooks",
            Some(json!({"url": "https://hooks.example.test/17", "secret": SECRET})),
        )
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn private_addresses_are_refused_when_the_server_denies_them() {
    let api = Api::new(Config {
        deny_private_webhooks: true,
        ..Config::default()
    })
    .await;
    for url in [
        "http://127.0.0.1:9/hook",
        "http://10.0.0.8/",
        "http://[::1]/",
        "http://169.254.169.254/",
    ] {
        let (s, v) = api
            .call(
                "POST",
                "/api/v1/notifications/webhooks",
                Some(json!({"url": url, "secret": SECRET})),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{url}: {v}");
        assert!(v["message"].as_str().unwrap().contains("private"), "{v}");
    }
    api.hook("https://hooks.example.test/", "json").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_approval_is_delivered_signed_with_a_link_and_retried_after_a_500() {
    let api = Api::new(fast_config()).await;
    let receiver = Receiver {
        fail_first: Arc::new(Mutex::new(2)),
        ..Receiver::default()
    };
    let url = listen(receiver.clone()).await;
    api.hook(&url, "json").await;
    let (agent, session) = api.session().await;
    let input = json!({"sql": "DROP TABLE users", "why": "cleanup"});
    let (s, denied) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(json!({"agent_id": agent, "session_id": session, "action_name": "db.execute", "action_input": input})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(denied["allowed"], false, "{denied}");
    let approval = denied["approval_id"].as_str().unwrap().to_string();
    // Two 500s, then a 200: three POSTs of the same signed body.
    let got = wait_for(&receiver, 3).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        receiver.got.lock().unwrap().len(),
        3,
        "no retry after a 2xx"
    );
    let bodies: Vec<&Bytes> = got.iter().map(|(_, b, _)| b).collect();
    assert!(bodies.iter().all(|b| *b == bodies[0]));
    for (headers, body, _) in &got {
        let sig = headers
            .get("x-airlock-signature")
            .unwrap()
            .to_str()
            .unwrap();
        assert!(airlock_outbound::verify(SECRET.as_bytes(), body, sig));
        assert!(!airlock_outbound::verify(b"another secret 0000", body, sig));
        assert_eq!(headers.get("x-airlock-event").unwrap(), "approval.created");
    }
    let v: Value = serde_json::from_slice(bodies[0]).unwrap();
    assert_eq!(v["event"], "approval.created");
    let a = &v["approval"];
    assert_eq!(a["id"], approval.as_str());
    assert_eq!(a["kind"], "call");
    assert_eq!(a["action_name"], "db.execute");
    assert_eq!(a["action_effect"], "destructive");
    assert_eq!(a["session_id"], session.as_str());
    assert_eq!(a["agent_id"], agent.as_str());
    assert!(
        a["input_summary"]
            .as_str()
            .unwrap()
            .contains("DROP TABLE users")
    );
    assert!(!a["reasons"].as_array().unwrap().is_empty(), "{a}");
    assert!(a["expires_at"].as_str().unwrap().ends_with('Z'));
    assert_eq!(
        v["link"],
        format!("https://airlock.example.test/console/approvals/{approval}")
    );

    // The approval keeps the whole input for the people who decide it.
    let (s, shown) = api
        .call("GET", &format!("/mcp/approvals/{approval}"), None)
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(shown["input"], input);
    assert_eq!(shown["input_stored"], true);
    assert!(!shown["reasons"].as_array().unwrap().is_empty(), "{shown}");
    // Agent keys see the approval without the input.
    let (s, as_agent) = api
        .call_as(
            &api.agent_key,
            "GET",
            &format!("/mcp/approvals/{approval}"),
            None,
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(as_agent.get("input").is_none(), "{as_agent}");
    // The session filter.
    let (_, listed) = api
        .call(
            "GET",
            &format!("/mcp/approvals?session_id={session}&status=pending"),
            None,
        )
        .await;
    assert_eq!(listed["approvals"].as_array().unwrap().len(), 1, "{listed}");
    let (_, other) = api
        .call("GET", "/mcp/approvals?session_id=nosuchsession", None)
        .await;
    assert!(other["approvals"].as_array().unwrap().is_empty(), "{other}");
    // A retry of the same call reuses the pending approval and notifies no one again.
    let (_, again) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(json!({"agent_id": agent, "session_id": session, "action_name": "db.execute", "action_input": input})),
        )
        .await;
    assert_eq!(again["approval_id"], approval.as_str());
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(receiver.got.lock().unwrap().len(), 3);
    // The note is kept with the decision.
    let (s, decided) = api
        .call(
            "POST",
            &format!("/mcp/approvals/{approval}/deny"),
            Some(json!({"note": "not during the freeze"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{decided}");
    assert_eq!(decided["approval"]["note"], "not during the freeze");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slack_gets_a_text_message_and_a_slow_receiver_does_not_slow_the_check() {
    let api = Api::new(fast_config()).await;
    let receiver = Receiver {
        delay: Duration::from_secs(3),
        ..Receiver::default()
    };
    let url = listen(receiver.clone()).await;
    api.hook(&url, "slack").await;
    let (agent, session) = api.session().await;
    let started = Instant::now();
    let (s, denied) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(json!({"agent_id": agent, "session_id": session, "action_name": "db.drop_table", "action_input": "users <prod> & more"})),
        )
        .await;
    let answered = Instant::now();
    assert_eq!(s, StatusCode::OK);
    assert!(
        answered - started < Duration::from_secs(1),
        "the check waited for delivery: {:?}",
        answered - started
    );
    let approval = denied["approval_id"].as_str().unwrap().to_string();
    let got = wait_for(&receiver, 1).await;
    let (headers, body, _) = &got[0];
    let sig = headers
        .get("x-airlock-signature")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(airlock_outbound::verify(SECRET.as_bytes(), body, sig));
    let v: Value = serde_json::from_slice(body).unwrap();
    let text = v["text"].as_str().unwrap();
    assert_eq!(v.as_object().unwrap().len(), 1, "{v}");
    assert!(text.contains("*db.drop_table*"), "{text}");
    assert!(text.contains(&agent) && text.contains(&session), "{text}");
    // Slack's reserved characters are escaped.
    assert!(text.contains("users &lt;prod&gt; &amp; more"), "{text}");
    assert!(
        text.contains(&format!(
            "<https://airlock.example.test/console/approvals/{approval}|Decide in the console>"
        )),
        "{text}"
    );
}
