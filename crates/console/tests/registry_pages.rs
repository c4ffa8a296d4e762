//! The Agents, Servers, Policies and Reviewers pages through the console's router, in
//! process, over a real store: CSRF on revoke, accepting a changed tool, a policy error at its
//! position with the text kept, and organization scoping.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::json;

use airlock_server::service::{Caller, NewAgent, NewPolicy, NewServer};
use airlock_server::{Config, KeyRole, Service};

const KEY: &str = "sk_live_consoletest0123456789";
const OTHER_KEY: &str = "sk_live_otherorg0123456789";

mod client;
use client::Client;

struct World {
    client: Client,
    service: Service,
    _dir: tempfile::TempDir,
}

struct Browser {
    cookie: String,
}

async fn world() -> World {
    let (store, dir) = client::bootstrapped(KEY).await;
    store
        .run(|tx| {
            tx.insert_org(&airlock_store::model::Org {
                id: "org_other".into(),
                name: "other".into(),
                default_mode: "read_only".into(),
                created_at: chrono::Utc::now(),
            })?;
            tx.insert_api_key(&airlock_server::new_key_row(
                "org_other",
                OTHER_KEY,
                "other",
                KeyRole::Admin,
            ))
        })
        .await
        .unwrap();
    let (service, client) = client::console(store, Config::default());
    World {
        client,
        service,
        _dir: dir,
    }
}

impl World {
    async fn caller(&self, key: &str) -> Caller {
        self.service.authenticate(Some(key)).await.unwrap()
    }

    async fn send(&self, req: Request<Body>) -> (StatusCode, String, Option<String>) {
        let a = self.client.send(req).await;
        let header = |name| {
            a.headers
                .get(name)
                .map(|v: &axum::http::HeaderValue| v.to_str().unwrap().to_string())
        };
        let location = header(header::LOCATION).or_else(|| header(header::SET_COOKIE));
        (a.status, a.body, location)
    }

    async fn sign_in(&self, key: &str) -> Browser {
        let req = Request::post("/console/sign-in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(format!(
                "api_key={key}&next=%2Fconsole%2Fagents"
            )))
            .unwrap();
        let resp = self.client.send(req).await;
        assert_eq!(resp.status, StatusCode::SEE_OTHER);
        let set = resp.headers[header::SET_COOKIE].to_str().unwrap();
        Browser {
            cookie: set.split(';').next().unwrap().to_string(),
        }
    }

    async fn get(&self, b: &Browser, path: &str) -> (StatusCode, String) {
        let req = Request::get(path)
            .header(header::COOKIE, &b.cookie)
            .body(Body::empty())
            .unwrap();
        let (s, body, _) = self.send(req).await;
        (s, body)
    }

    /// The session's CSRF token, read from a page's hidden field.
    async fn csrf(&self, b: &Browser) -> String {
        let (_, page) = self.get(b, "/console/agents").await;
        let at = page.find("name=\"csrf\" value=\"").unwrap() + 19;
        page[at..at + page[at..].find('"').unwrap()].to_string()
    }

    async fn post(&self, b: &Browser, path: &str, form: &[(&str, &str)]) -> (StatusCode, String) {
        let body = serde_urlencoded::to_string(form).unwrap();
        let req = Request::post(path)
            .header(header::COOKIE, &b.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        let (s, body, _) = self.send(req).await;
        (s, body)
    }
}

async fn agent(w: &World, key: &str, name: &str) -> String {
    let caller = w.caller(key).await;
    let new = NewAgent {
        name: name.into(),
        capabilities: vec!["db:read".into()],
        ..NewAgent::default()
    };
    w.service.register_agent(&caller, new).await.unwrap().id
}

#[tokio::test]
async fn revoke_needs_the_csrf_token_and_a_confirmation() {
    let w = world().await;
    let id = agent(&w, KEY, "reporter").await;
    let b = w.sign_in(KEY).await;
    let (s, page) = w.get(&b, "/console/agents").await;
    assert_eq!(s, StatusCode::OK);
    assert!(
        page.contains("reporter") && page.contains("db:read"),
        "{page}"
    );

    let path = format!("/console/agents/{id}/revoke");
    let (s, _) = w.post(&b, &path, &[("confirmed", "yes")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "no token");
    let (s, _) = w
        .post(&b, &path, &[("csrf", "wrong"), ("confirmed", "yes")])
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a wrong token");
    let caller = w.caller(KEY).await;
    assert_eq!(
        w.service.agent(&caller, &id).await.unwrap().status,
        "active"
    );

    // Without the script's confirmation, the server asks first and changes nothing.
    let csrf = w.csrf(&b).await;
    let (s, page) = w.post(&b, &path, &[("csrf", &csrf)]).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("Yes, revoke reporter"), "{page}");
    assert_eq!(
        w.service.agent(&caller, &id).await.unwrap().status,
        "active"
    );

    let (s, _) = w
        .post(
            &b,
            &path,
            &[("csrf", &csrf), ("confirmed", "yes"), ("reason", "leaked")],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let revoked = w.service.agent(&caller, &id).await.unwrap();
    assert_eq!(revoked.status, "revoked");
    let (_, page) = w.get(&b, &format!("/console/agents/{id}")).await;
    assert!(
        page.contains("This agent is revoked") && page.contains("leaked"),
        "{page}"
    );
    assert!(!page.contains("Revoke agent"), "no second revoke button");
}

#[tokio::test]
async fn accepting_a_changed_tool_pins_its_new_definition() {
    let w = world().await;
    let caller = w.caller(KEY).await;
    let server = w
        .service
        .register_server(
            &caller,
            NewServer {
                name: "db".into(),
                url: "http://localhost:1".into(),
                approval_wait_secs: Some(30),
                ..NewServer::default()
            },
        )
        .await
        .unwrap();
    let old = json!({"name": "query", "description": "reads rows"});
    let new = json!({"name": "query", "description": "reads rows and DROPS tables"});
    w.service
        .observe_tools(&caller, &server.id, &[old], None)
        .await
        .unwrap();
    let seen = w
        .service
        .observe_tools(&caller, &server.id, &[new], None)
        .await
        .unwrap();
    assert_eq!(seen[0].status, "changed");

    let b = w.sign_in(KEY).await;
    let (s, page) = w.get(&b, &format!("/console/servers/{}", server.id)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("30 seconds"), "settings shown");
    assert!(page.contains("changed"), "{page}");
    assert!(
        page.contains("- ") && page.contains("DROPS tables"),
        "the diff"
    );
    assert!(page.contains(">Accept<"), "{page}");

    let path = format!("/console/servers/{}/accept", server.id);
    let (s, _) = w.post(&b, &path, &[("tool", "query")]).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "no token");
    let csrf = w.csrf(&b).await;
    let (s, _) = w
        .post(&b, &path, &[("csrf", &csrf), ("tool", "query")])
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let pins = w.service.tool_pins(&caller, &server.id).await.unwrap();
    assert_eq!(pins[0]["status"], "pinned");
    assert_eq!(
        pins[0]["definition"]["description"],
        "reads rows and DROPS tables"
    );
    let (s, _) = w
        .post(&b, &path, &[("csrf", &csrf), ("tool", "query")])
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "nothing left to accept");
}

#[tokio::test]
async fn a_policy_error_is_shown_at_its_position_and_the_text_is_kept() {
    let w = world().await;
    let b = w.sign_in(KEY).await;
    let csrf = w.csrf(&b).await;
    let bad = "forbid (principal, action, resource)\nwhen { context.statements.contains(\"drop_table\") &&& true };";
    let (s, page) = w
        .post(
            &b,
            "/console/policies/new",
            &[("csrf", &csrf), ("id", "no-drop"), ("text", bad)],
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Line 2, column"), "{page}");
    assert!(page.contains("class=\"risk\""), "the place is marked");
    assert!(
        page.contains("contains(&quot;drop_table&quot;) &amp;&amp;&amp; true };</textarea>"),
        "the typed text is kept: {page}"
    );
    let caller = w.caller(KEY).await;
    assert!(w.service.policies(&caller).await.unwrap().is_empty());

    let good = "forbid (principal, action, resource)\nwhen { context.statements.contains(\"drop_table\") };";
    let (s, _) = w
        .post(
            &b,
            "/console/policies/new",
            &[
                ("csrf", &csrf),
                ("id", "no-drop"),
                ("text", good),
                ("log_only", "on"),
            ],
        )
        .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let stored = w.service.policies(&caller).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].mode, "log_only");
    let (_, list) = w.get(&b, "/console/policies").await;
    assert!(
        list.contains("no-drop") && list.contains("log only"),
        "{list}"
    );

    // The sample-call test shows the match and the verdict.
    let call = r#"{"effect":"destructive","agent_id":"a","action_name":"db.query","input":{"sql":"DROP TABLE t"}}"#;
    let (s, page) = w
        .post(
            &b,
            "/console/policies/test",
            &[("csrf", &csrf), ("call", call)],
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(page.contains("no-drop</code> forbids"), "{page}");
    assert!(
        page.contains("no policy forbids"),
        "log-only never denies: {page}"
    );
}

#[tokio::test]
async fn another_organizations_things_are_not_found() {
    let w = world().await;
    let theirs = agent(&w, OTHER_KEY, "theirs").await;
    let other = w.caller(OTHER_KEY).await;
    let server = w
        .service
        .register_server(
            &other,
            NewServer {
                name: "their-db".into(),
                url: "http://localhost:1".into(),
                ..NewServer::default()
            },
        )
        .await
        .unwrap();
    w.service
        .create_policy(
            &other,
            NewPolicy {
                id: "their-policy".into(),
                text: "forbid (principal, action, resource);".into(),
                ..NewPolicy::default()
            },
        )
        .await
        .unwrap();

    let b = w.sign_in(KEY).await;
    for path in [
        format!("/console/agents/{theirs}"),
        format!("/console/servers/{}", server.id),
        "/console/policies/their-policy".to_string(),
    ] {
        let (s, _) = w.get(&b, &path).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{path}");
    }
    let (_, list) = w.get(&b, "/console/agents").await;
    assert!(!list.contains("theirs"));
    let csrf = w.csrf(&b).await;
    let (s, _) = w
        .post(
            &b,
            &format!("/console/agents/{theirs}/revoke"),
            &[("csrf", &csrf), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert_eq!(
        w.service.agent(&other, &theirs).await.unwrap().status,
        "active"
    );
    let (s, _) = w
        .post(
            &b,
            "/console/policies/their-policy/delete",
            &[("csrf", &csrf), ("confirmed", "yes")],
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
}
