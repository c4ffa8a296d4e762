//! The Approvals page through the router, on a real SQLite store: the list and its live
//! fragment, deciding (CSRF required, who decided recorded, a second decision a clear 409),
//! and another organization's approval a 404.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Duration, Utc};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use airlock_server::Config;
use airlock_store::Store;
use airlock_store::model::{Approval, Org};

const KEY: &str = "sk_live_approvalstest0123456789";

mod client;
use client::{Answer, Client, csrf_of};

struct Harness {
    client: Client,
    store: Store,
    org_id: String,
    _dir: tempfile::TempDir,
}

async fn harness() -> Harness {
    let (store, dir) = client::bootstrapped(KEY).await;
    let org_id = store
        .run(|tx| Ok(tx.org_by_name("default")?.unwrap().id))
        .await
        .unwrap();
    let (_, client) = client::console(store.clone(), Config::default());
    Harness {
        client,
        store,
        org_id,
        _dir: dir,
    }
}

fn approval(id: &str, org: &str, input: serde_json::Value) -> Approval {
    let now = Utc::now();
    Approval {
        id: id.into(),
        org_id: org.into(),
        session_id: "ses_1".into(),
        agent_id: "agt_1".into(),
        kind: "call".into(),
        action_name: "db.execute_sql".into(),
        action_effect: "destructive".into(),
        input_digest: "d".repeat(64),
        reason: "guardian: a destructive call needs a person's approval".into(),
        status: "pending".into(),
        created_at: now,
        expires_at: now + Duration::minutes(10),
        decided_by: None,
        decided_at: None,
        used_at: None,
        input: Some(input),
        reasons: vec!["sql: DROP TABLE destroys a table".into()],
        note: None,
    }
}

impl Harness {
    async fn insert(&self, a: Approval) {
        self.store
            .run(move |tx| tx.insert_approval(&a))
            .await
            .unwrap();
    }

    async fn get(&self, path: &str, cookie: &str) -> Answer {
        self.client.get(path, Some(cookie)).await
    }

    async fn post(&self, path: &str, cookie: Option<&str>, form: &str) -> Answer {
        self.client.post(path, cookie, form).await
    }

    async fn sign_in(&self) -> String {
        self.client.sign_in(KEY).await.0
    }

    async fn status_of(&self, id: &str) -> Approval {
        let (org, id) = (self.org_id.clone(), id.to_string());
        self.store
            .run(move |tx| Ok(tx.approval(&org, &id)?.unwrap()))
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn the_page_shows_pending_sql_with_its_danger_and_decides_with_the_csrf_token() {
    let h = harness().await;
    let sql = "SELECT 1;\n-- </pre><script>alert(1)</script>\nDROP TABLE users;";
    h.insert(approval("apr_one", &h.org_id, json!(sql))).await;
    h.insert(approval(
        "apr_two",
        &h.org_id,
        json!({"query": "DELETE FROM t"}),
    ))
    .await;
    let cookie = h.sign_in().await;

    let page = h.get("/console/approvals", &cookie).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("apr_one") && page.body.contains("apr_two"));
    assert!(page.body.contains("stmt danger"), "the DROP is highlighted");
    assert!(
        !page.body.contains("<script>alert"),
        "hostile input escaped"
    );
    assert!(page.body.contains("data-approvals-live"));
    let fragment = h.get("/console/approvals?fragment=1", &cookie).await;
    assert!(fragment.body.starts_with("<div id=\"approval-list\""));
    assert!(!fragment.body.contains("<html"));
    let token = csrf_of(&page.body);

    // Without the token: refused, nothing decided.
    let refused = h
        .post(
            "/console/approvals/apr_one/decide",
            Some(&cookie),
            "decision=approve",
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(h.status_of("apr_one").await.status, "pending");

    let ok = h
        .post(
            "/console/approvals/apr_one/decide",
            Some(&cookie),
            &format!("csrf={token}&decision=approve&note=looks+right"),
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let decided = h.status_of("apr_one").await;
    assert_eq!(decided.status, "approved");
    assert_eq!(decided.note.as_deref(), Some("looks right"));
    assert!(decided.decided_by.unwrap().starts_with("console:key_"));

    // Deciding it again: a clear page, not a 500.
    let again = h
        .post(
            "/console/approvals/apr_one/decide",
            Some(&cookie),
            &format!("csrf={token}&decision=deny"),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(again.body.contains("already approved"), "{}", again.body);

    let deny = h
        .post(
            "/console/approvals/apr_two/decide",
            Some(&cookie),
            &format!("csrf={token}&decision=deny&note=no"),
        )
        .await;
    assert_eq!(deny.status, StatusCode::SEE_OTHER);
    let decided = h.get("/console/approvals?status=decided", &cookie).await;
    assert!(decided.body.contains("apr_two") && decided.body.contains("denied"));
    assert!(!decided.body.contains("Approve</button>"));

    let bad = h
        .post(
            "/console/approvals/apr_two/decide",
            Some(&cookie),
            &format!("csrf={token}&decision=maybe"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let unknown = h.get("/console/approvals?status=nonsense", &cookie).await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn another_organizations_approval_is_not_found() {
    let h = harness().await;
    h.store
        .run(|tx| {
            tx.insert_org(&Org {
                id: "org_other".into(),
                name: "other".into(),
                default_mode: "standard".into(),
                created_at: Utc::now(),
            })
        })
        .await
        .unwrap();
    h.insert(approval("apr_theirs", "org_other", json!("DROP TABLE x")))
        .await;
    let cookie = h.sign_in().await;

    let page = h.get("/console/approvals/apr_theirs", &cookie).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("DROP TABLE"));
    let list = h.get("/console/approvals", &cookie).await;
    assert!(!list.body.contains("apr_theirs"));

    let token = csrf_of(&list.body);
    let decide = h
        .post(
            "/console/approvals/apr_theirs/decide",
            Some(&cookie),
            &format!("csrf={token}&decision=approve"),
        )
        .await;
    assert_eq!(decide.status, StatusCode::NOT_FOUND);
    let theirs = h
        .store
        .run(|tx| Ok(tx.approval("org_other", "apr_theirs")?.unwrap()))
        .await
        .unwrap();
    assert_eq!(theirs.status, "pending");

    let missing = h.get("/console/approvals/apr_nope", &cookie).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_event_stream_says_when_the_pending_set_changes() {
    let h = harness().await;
    let cookie = h.sign_in().await;
    let page = h.get("/console/approvals", &cookie).await;
    let at = page.body.find("data-version=\"").unwrap() + 14;
    let version = page.body[at..at + 16].to_string();

    let req = Request::get(format!("/console/approvals/events?since={version}"))
        .header(header::COOKIE, &cookie)
        .body(Body::empty())
        .unwrap();
    let resp = h.client.app.clone().oneshot(req).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[header::CONTENT_TYPE], "text/event-stream");
    let mut body = resp.into_body();

    h.insert(approval("apr_new", &h.org_id, json!("DROP TABLE x")))
        .await;
    let frame = tokio::time::timeout(std::time::Duration::from_secs(5), body.frame())
        .await
        .expect("an event within 5 s")
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(frame.data_ref().unwrap()).into_owned();
    assert!(text.starts_with("event: changed\ndata: "), "{text}");
    assert!(!text.contains(&version));

    // Not signed in: no stream.
    let anon = h
        .client
        .send(
            Request::get("/console/approvals/events")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(anon.status, StatusCode::SEE_OTHER);
}
