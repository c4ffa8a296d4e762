//! In-process tests of the AuthZEN Authorization API routes (no socket): parity with the check
//! API, batch semantics, binding to MCP servers, authentication, bad input and the metadata.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use airlock_server::service::legacy_per_agent_session_id;
use airlock_server::{Config, Service};
use airlock_store::{Options, Store};

const KEY: &str = "sk_live_authzentest0123456789";

struct Api {
    app: Router,
    store: Store,
    _dir: tempfile::TempDir,
}

struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    body: Value,
}

impl Api {
    async fn new() -> Api {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path(), Options { migrate: true }).unwrap();
        store
            .run(|tx| airlock_server::bootstrap(tx, Some(KEY)))
            .await
            .unwrap();
        Api {
            app: airlock_server::router(Service::new(store.clone(), Config::default())),
            store,
            _dir: dir,
        }
    }

    async fn send(&self, req: Request<Body>) -> Resp {
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Resp {
            status,
            headers,
            body,
        }
    }

    async fn raw(&self, key: Option<&str>, method: &str, path: &str, body: &str) -> Resp {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("content-type", "application/json");
        if let Some(k) = key {
            req = req.header("x-api-key", k);
        }
        self.send(req.body(Body::from(body.to_string())).unwrap())
            .await
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> (StatusCode, Value) {
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let r = self.raw(Some(KEY), method, path, &body).await;
        (r.status, r.body)
    }

    async fn post(&self, path: &str, body: Value) -> Value {
        let (s, v) = self.call("POST", path, Some(body)).await;
        assert_eq!(s, StatusCode::OK, "{path} -> {v}");
        v
    }

    async fn agent(&self, caps: &[&str]) -> String {
        let (s, agent) = self
            .call(
                "POST",
                "/api/v1/agents",
                Some(json!({"name": "a", "capabilities": caps})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{agent}");
        agent["id"].as_str().unwrap().to_string()
    }

    async fn server(&self, body: Value) -> String {
        let (s, server) = self.call("POST", "/mcp/servers", Some(body)).await;
        assert_eq!(s, StatusCode::CREATED, "{server}");
        server["id"].as_str().unwrap().to_string()
    }

    async fn session(&self, agent: &str, server: &str) -> String {
        let (s, session) = self
            .call(
                "POST",
                "/mcp/sessions/init",
                Some(json!({"agent_id": agent, "server_id": server})),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{session}");
        session["session_id"].as_str().unwrap().to_string()
    }

    async fn log(&self, session: &str) -> Vec<Value> {
        let (s, log) = self
            .call(
                "GET",
                &format!("/api/v1/sessions/{session}/decisions"),
                None,
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{log}");
        log["decisions"].as_array().unwrap().clone()
    }

    async fn verified(&self, session: &str, entries: u64) {
        let (s, v) = self
            .call("GET", &format!("/api/v1/sessions/{session}/verify"), None)
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(
            (&v["valid"], &v["entries"]),
            (&json!(true), &json!(entries)),
            "{v}"
        );
    }

    /// The calls recorded in these sessions (a session that does not exist has none).
    async fn recorded(&self, sessions: &[String]) -> u64 {
        let ids = sessions.to_vec();
        self.store
            .run(move |tx| {
                let keys = tx.list_api_keys(None)?;
                let org = keys
                    .into_iter()
                    .next()
                    .map(|k| k.org_id)
                    .unwrap_or_default();
                let mut total = 0;
                for id in &ids {
                    total += tx.session(&org, id)?.map_or(0, |s| s.total_calls);
                }
                Ok(total)
            })
            .await
            .unwrap()
    }
}

fn authzen(agent: &str, action: &str, resource: Value, context: Value) -> Value {
    json!({
        "subject": {"type": "agent", "id": agent},
        "action": {"name": action},
        "resource": resource,
        "context": context,
    })
}

/// One world: an organization with an agent (`db.*`), a read-only server and a session on
/// it, and a revoked agent.
struct World {
    api: Api,
    agent: String,
    session: String,
    revoked: String,
}

async fn world() -> World {
    let api = Api::new().await;
    let agent = api.agent(&["db.*"]).await;
    let server = api
        .server(json!({"name": "db", "url": "http://localhost:1", "capabilities": ["db.*"], "default_mode": "read_only"}))
        .await;
    let session = api.session(&agent, &server).await;
    let revoked = api.agent(&["db.*"]).await;
    let (s, _) = api
        .call(
            "POST",
            &format!("/api/v1/agents/{revoked}/revoke"),
            Some(json!({"reason": "test"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    World {
        api,
        agent,
        session,
        revoked,
    }
}

/// `apr_<32 hex digits>` ids replaced by `apr_ID`: each world opens its own approvals.
fn approvals_named(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("apr_") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 4..];
        let hex = after.chars().take_while(char::is_ascii_hexdigit).count();
        out.push_str("apr_ID");
        rest = &after[hex..];
    }
    out.push_str(rest);
    out
}

/// The same calls through `POST /api/v1/agenttrust/check` in one world and through
/// `POST /access/v1/evaluation` in an identical one get the same verdict, the same reason and
/// the same decision-log entries (but their source), and both chains verify.
#[tokio::test]
async fn the_same_calls_get_the_same_verdicts_through_both_apis() {
    let (a, b) = (world().await, world().await);
    // (agent is: "own", "revoked" or "unknown"; with the session?, action, input, expected)
    let cases = [
        ("own", true, "db.query", json!("SELECT id FROM users"), true),
        ("own", true, "db.query", json!("DROP TABLE users"), false),
        ("own", true, "billing.refund", json!({"amount": 5}), false),
        ("own", true, "db.query", json!({"sql": "select 1"}), true),
        ("revoked", false, "db.query", json!("SELECT 1"), false),
        ("unknown", false, "db.query", json!("SELECT 1"), false),
    ];
    let norm = |w: &World, s: &str| {
        approvals_named(
            &s.replace(&w.agent, "AGENT")
                .replace(&w.session, "SESSION")
                .replace(&w.revoked, "REVOKED"),
        )
    };
    for (who, with_session, action, input, expected) in cases {
        let agent = |w: &World| match who {
            "own" => w.agent.clone(),
            "revoked" => w.revoked.clone(),
            _ => "agt_unknown".to_string(),
        };
        let mut check =
            json!({"agent_id": agent(&a), "action_name": action, "action_input": input});
        let mut context = json!({"input": input});
        if with_session {
            check["session_id"] = json!(a.session);
            context["session_id"] = json!(b.session);
        }
        let c = a.api.post("/api/v1/agenttrust/check", check).await;
        let z = b
            .api
            .post(
                "/access/v1/evaluation",
                authzen(
                    &agent(&b),
                    action,
                    json!({"type": "tool", "id": action}),
                    context,
                ),
            )
            .await;
        assert_eq!(c["allowed"], json!(expected), "{action} {input}: {c}");
        assert_eq!(z["decision"], c["allowed"], "{action} {input}: {c} vs {z}");
        assert_eq!(
            norm(&b, z["context"]["reason"].as_str().unwrap()),
            norm(&a, c["reason"].as_str().unwrap())
        );
        assert!(
            z["context"]["check_id"]
                .as_str()
                .unwrap()
                .starts_with("chk_")
        );
        assert_eq!(
            z["context"].get("approval_id").is_some(),
            c.get("approval_id").is_some(),
            "{c} vs {z}"
        );
    }
    // Both logs hold the same decisions, in the same order, and both chains verify.
    let sessions = |w: &World| {
        vec![
            w.session.clone(),
            format!("default-{}", w.revoked),
            "default-agt_unknown".to_string(),
        ]
    };
    for (sa, sb) in sessions(&a).iter().zip(sessions(&b).iter()) {
        let (la, lb) = (a.api.log(sa).await, b.api.log(sb).await);
        assert!(!la.is_empty());
        assert_eq!(la.len(), lb.len());
        for (x, y) in la.iter().zip(lb.iter()) {
            for field in [
                "action_name",
                "effect",
                "risk",
                "allowed",
                "guard_tier",
                "input_digest",
                "seq",
            ] {
                assert_eq!(x[field], y[field], "{field}: {x} vs {y}");
            }
            assert_eq!(
                norm(&a, x["reason"].as_str().unwrap()),
                norm(&b, y["reason"].as_str().unwrap())
            );
            assert_eq!(
                (&x["source"], &y["source"]),
                (&json!("api"), &json!("authzen"))
            );
        }
        a.api.verified(sa, la.len() as u64).await;
        b.api.verified(sb, lb.len() as u64).await;
    }
}

#[tokio::test]
async fn a_denial_carries_its_approval_and_an_optional_deny_status() {
    let w = world().await;
    let body = authzen(
        &w.agent,
        "db.query",
        json!({"type": "tool", "id": "db.query"}),
        json!({"input": "DELETE FROM users", "session_id": w.session}),
    );
    let r = w
        .api
        .send(
            Request::post("/access/v1/evaluation")
                .header("x-api-key", KEY)
                .header("x-airlock-deny-status", "403")
                .header("x-request-id", "req-1")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.body);
    assert_eq!(r.body["decision"], false);
    assert_eq!(r.headers["x-request-id"], "req-1");
    let approval = r.body["context"]["approval_id"].as_str().unwrap();
    let (s, a) = w
        .api
        .call("GET", &format!("/mcp/approvals/{approval}"), None)
        .await;
    assert_eq!(s, StatusCode::OK, "{a}");
    // An allowed call is a 200 with the header too; a bad header value is a 400 that decides
    // nothing.
    let read = authzen(
        &w.agent,
        "db.query",
        json!({"type": "tool", "id": "db.query"}),
        json!({"input": "SELECT 1", "session_id": w.session}),
    );
    for (value, status) in [("403", StatusCode::OK), ("200", StatusCode::BAD_REQUEST)] {
        let r = w
            .api
            .send(
                Request::post("/access/v1/evaluation")
                    .header("x-api-key", KEY)
                    .header("x-airlock-deny-status", value)
                    .body(Body::from(read.to_string()))
                    .unwrap(),
            )
            .await;
        assert_eq!(r.status, status, "{}", r.body);
    }
    assert_eq!(w.api.log(&w.session).await.len(), 2);
}

#[tokio::test]
async fn an_mcp_server_resource_binds_the_call_to_the_agents_session_on_that_server() {
    let api = Api::new().await;
    let agent = api.agent(&["db.*"]).await;
    let server = api
        .server(json!({"name": "db", "url": "http://localhost:1", "capabilities": ["db.*"], "default_mode": "standard",
                       "tools": [{"name": "db.read_rows", "effect_override": "destructive"}]}))
        .await;
    let other = api
        .server(json!({"name": "other", "url": "http://localhost:2", "capabilities": ["db.*"]}))
        .await;
    let read = |resource: Value, context: Value| authzen(&agent, "db.read_rows", resource, context);
    let bound = api
        .post(
            "/access/v1/evaluation",
            read(
                json!({"type": "mcp_server", "id": server}),
                json!({"input": "accounts"}),
            ),
        )
        .await;
    // The server's tool settings apply: its override makes the read destructive.
    assert_eq!(bound["decision"], false, "{bound}");
    // The agent's own session on the server: a random id, not the one derived from the ids.
    let per_agent = bound["context"]["session_id"].as_str().unwrap().to_string();
    assert!(per_agent.starts_with("mcp_"), "{bound}");
    assert_ne!(per_agent, legacy_per_agent_session_id(&agent, &server));
    let log = api.log(&per_agent).await;
    assert_eq!(log[0]["effect"], "destructive", "{log:?}");
    // Unbound, the same call is the agent's own read.
    let unbound = api
        .post(
            "/access/v1/evaluation",
            read(
                json!({"type": "tool", "id": "db.read_rows"}),
                json!({"input": "accounts"}),
            ),
        )
        .await;
    assert_eq!(unbound["decision"], true, "{unbound}");
    assert_eq!(
        unbound["context"]["session_id"],
        json!(format!("default-{agent}"))
    );
    // A named session must be bound to the named server; an unknown server is refused. Each
    // refusal is decided and recorded in the agent's default session.
    let on_other = api.session(&agent, &other).await;
    let cases = [
        (
            json!({"type": "mcp_server", "id": server}),
            json!({"session_id": on_other}),
            format!(
                "the session named in context.session_id is bound to server `{other}`, not `{server}`"
            ),
        ),
        (
            json!({"type": "mcp_server", "id": "srv_missing"}),
            json!({}),
            "server not found: `srv_missing`".to_string(),
        ),
    ];
    for (resource, context, why) in cases {
        let v = api
            .post("/access/v1/evaluation", read(resource, context))
            .await;
        assert_eq!(v["decision"], false, "{v}");
        assert_eq!(
            v["context"]["reason"],
            json!(format!("refused by the AuthZEN endpoint: {why}"))
        );
        assert_eq!(
            v["context"]["session_id"],
            json!(format!("default-{agent}"))
        );
    }
    assert_eq!(api.log(&format!("default-{agent}")).await.len(), 3);
    api.verified(&format!("default-{agent}"), 3).await;
    assert!(
        api.log(&on_other).await.is_empty(),
        "the other server's session is untouched"
    );
}

#[tokio::test]
async fn evaluations_apply_defaults_and_each_semantic() {
    let w = world().await;
    let ctx = |input: &str| json!({"input": input, "session_id": w.session});
    let batch = |semantic: Option<&str>| {
        let mut b = json!({
            "subject": {"type": "agent", "id": w.agent},
            "action": {"name": "db.query"},
            "resource": {"type": "tool", "id": "db"},
            "evaluations": [
                {"context": ctx("SELECT 1")},
                {"context": ctx("DROP TABLE users")},
                {"action": {"name": "db.list_tables"}, "context": ctx("")},
            ],
        });
        if let Some(s) = semantic {
            b["options"] = json!({"evaluations_semantic": s});
        }
        b
    };
    let decisions = |v: &Value| -> Vec<bool> {
        v["evaluations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["decision"].as_bool().unwrap())
            .collect()
    };
    let mut recorded = 0;
    for (semantic, expected) in [
        (None, vec![true, false, true]),
        (Some("execute_all"), vec![true, false, true]),
        (Some("deny_on_first_deny"), vec![true, false]),
        (Some("permit_on_first_permit"), vec![true]),
    ] {
        let v = w.api.post("/access/v1/evaluations", batch(semantic)).await;
        assert_eq!(decisions(&v), expected, "{semantic:?}: {v}");
        assert!(v.get("decision").is_none());
        for d in v["evaluations"].as_array().unwrap() {
            assert!(
                d["context"]["check_id"]
                    .as_str()
                    .unwrap()
                    .starts_with("chk_")
            );
        }
        recorded += expected.len();
        let log = w.api.log(&w.session).await;
        assert_eq!(log.len(), recorded, "each evaluation is its own check");
        assert!(log.iter().all(|d| d["source"] == "authzen"));
    }
    let log = w.api.log(&w.session).await;
    assert_eq!(
        log[2]["action_name"], "db.list_tables",
        "the item's action overrides the default"
    );
    w.api.verified(&w.session, recorded as u64).await;
    // A failing item is a closed decision with its reason, not an error for the whole batch.
    let mixed = json!({
        "action": {"name": "db.query"},
        "resource": {"type": "tool", "id": "db"},
        "context": {"input": "SELECT 1"},
        "options": {"evaluations_semantic": "execute_all"},
        "evaluations": [
            {"subject": {"type": "agent", "id": w.revoked}},
            {"subject": {"type": "agent", "id": w.agent}, "resource": {"type": "mcp_server", "id": "srv_gone"}},
            {"subject": {"type": "agent", "id": w.agent}},
        ],
    });
    let v = w.api.post("/access/v1/evaluations", mixed).await;
    assert_eq!(decisions(&v), vec![false, false, true], "{v}");
    assert_eq!(
        v["evaluations"][0]["context"]["reason"],
        json!(format!("agent `{}` is revoked", w.revoked))
    );
    // Without an `evaluations` array the request is one evaluation with one Decision.
    let single = authzen(
        &w.agent,
        "db.query",
        json!({"type": "tool", "id": "db"}),
        ctx("SELECT 2"),
    );
    let v = w.api.post("/access/v1/evaluations", single.clone()).await;
    assert_eq!(v["decision"], true, "{v}");
    let mut empty = single;
    empty["evaluations"] = json!([]);
    let v = w.api.post("/access/v1/evaluations", empty).await;
    assert_eq!(v["decision"], true, "{v}");
}

#[tokio::test]
async fn bad_requests_are_400s_that_decide_nothing() {
    let w = world().await;
    let sessions = [w.session.clone(), format!("default-{}", w.agent)];
    let before = w.api.recorded(&sessions).await;
    let item = json!({"subject": {"type": "agent", "id": w.agent}, "action": {"name": "db.query"},
                      "resource": {"type": "tool", "id": "db"}});
    let many: Vec<Value> = (0..65).map(|_| item.clone()).collect();
    let cases = [
        ("/access/v1/evaluation", "[1, 2]".to_string(), "invalid_request"),
        ("/access/v1/evaluation", "{\"subject\":".to_string(), "invalid_json"),
        ("/access/v1/evaluation", json!({"action": {"name": "x"}, "resource": {"type": "tool", "id": "x"}}).to_string(), "missing_field"),
        ("/access/v1/evaluation", json!({"subject": {"type": "user", "id": "alice"}, "action": {"name": "x"}, "resource": {"type": "tool", "id": "x"}}).to_string(), "invalid_request"),
        ("/access/v1/evaluation", json!({"subject": {"type": "agent", "id": w.agent}, "action": {"name": "x"}, "resource": {"type": "tool", "id": "x"}, "context": {"effect": "nuclear"}}).to_string(), "invalid_effect"),
        ("/access/v1/evaluations", json!({"evaluations": many}).to_string(), "invalid_request"),
        ("/access/v1/evaluations", json!({"evaluations": [item, item, {"subject": {"type": "agent"}}]}).to_string(), "missing_field"),
        ("/access/v1/evaluations", json!({"evaluations": [item, 5]}).to_string(), "invalid_request"),
        ("/access/v1/evaluations", json!({"evaluations": {"a": item}}).to_string(), "invalid_request"),
        ("/access/v1/evaluations", json!({"evaluations": [item], "options": {"evaluations_semantic": "first"}}).to_string(), "invalid_request"),
        ("/access/v1/evaluations", json!({"evaluations": [item], "options": []}).to_string(), "invalid_request"),
    ];
    for (path, body, code) in cases {
        let r = w.api.raw(Some(KEY), "POST", path, &body).await;
        assert_eq!(
            r.status,
            StatusCode::BAD_REQUEST,
            "{path} {body} -> {}",
            r.body
        );
        assert_eq!(r.body["error"], code, "{path} {body} -> {}", r.body);
        assert!(r.body["message"].is_string());
    }
    let r = w
        .api
        .raw(
            Some(KEY),
            "POST",
            "/access/v1/evaluations",
            &json!({"evaluations": [item, item, {"subject": {"type": "agent"}}]}).to_string(),
        )
        .await;
    assert_eq!(r.body["message"], "`evaluations[2].subject.id` is required");
    assert_eq!(
        w.api.recorded(&sessions).await,
        before,
        "nothing was decided"
    );
}

#[tokio::test]
async fn the_api_key_is_required_and_an_agent_key_may_ask() {
    let w = world().await;
    let body = authzen(
        &w.agent,
        "db.query",
        json!({"type": "tool", "id": "db"}),
        json!({"input": "SELECT 1"}),
    )
    .to_string();
    for path in ["/access/v1/evaluation", "/access/v1/evaluations"] {
        for key in [None, Some("sk_live_wrong")] {
            let mut req = Request::post(path).header("x-request-id", "abc-123");
            if let Some(k) = key {
                req = req.header("authorization", format!("Bearer {k}"));
            }
            let r = w
                .api
                .send(req.body(Body::from(body.clone())).unwrap())
                .await;
            assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{path} {key:?}");
            assert_eq!(r.body["error"], "unauthorized");
            assert_eq!(r.headers["www-authenticate"], "Bearer realm=\"airlock\"");
            assert_eq!(r.headers["x-request-id"], "abc-123");
        }
    }
    let agent_key = w
        .api
        .store
        .run(|tx| airlock_server::create_key(tx, "default", "pep", airlock_server::KeyRole::Agent))
        .await
        .unwrap();
    let r = w
        .api
        .send(
            Request::post("/access/v1/evaluation")
                .header("authorization", format!("Bearer {agent_key}"))
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["decision"], true);
    assert!(r.headers.get("x-request-id").is_none());
}

#[tokio::test]
async fn the_metadata_names_the_endpoints_of_the_host_asked() {
    let api = Api::new().await;
    let get = |host: &str, proto: Option<&str>| {
        let mut req = Request::get("/.well-known/authzen-configuration").header("host", host);
        if let Some(p) = proto {
            req = req.header("x-forwarded-proto", p);
        }
        req.body(Body::empty()).unwrap()
    };
    let r = api.send(get("pdp.example.com", Some("https"))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers["content-type"], "application/json");
    assert_eq!(
        r.body,
        json!({
            "policy_decision_point": "https://pdp.example.com",
            "access_evaluation_endpoint": "https://pdp.example.com/access/v1/evaluation",
            "access_evaluations_endpoint": "https://pdp.example.com/access/v1/evaluations",
        })
    );
    let r = api.send(get("127.0.0.1:8080", None)).await;
    assert_eq!(
        r.body["access_evaluation_endpoint"],
        "http://127.0.0.1:8080/access/v1/evaluation"
    );
    let r = api.send(get("evil.example/x?", None)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
}
