//! Console sign-in, sessions and CSRF through the router, on a real SQLite store.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use chrono::{Duration, Utc};

use airlock_server::service::{CONSOLE_ABSOLUTE_SECS, CONSOLE_IDLE_SECS, ServiceError};
use airlock_server::{Config, KeyRole, Service};

const KEY: &str = "sk_live_consoletest0123456789";

mod client;
use client::{Client, csrf_of};

struct Harness {
    client: Client,
    service: Service,
    _dir: tempfile::TempDir,
}

async fn harness(config: Config) -> Harness {
    let (store, dir) = client::bootstrapped(KEY).await;
    let (service, client) = client::console(store, config);
    Harness {
        client,
        service,
        _dir: dir,
    }
}

impl std::ops::Deref for Harness {
    type Target = Client;
    fn deref(&self) -> &Client {
        &self.client
    }
}

#[tokio::test]
async fn sign_in_sets_a_strict_cookie_and_sign_out_ends_the_session() {
    let h = harness(Config::default()).await;
    let (cookie, set) = h.sign_in(KEY).await;
    assert!(set.starts_with("airlock_console="));
    for flag in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/console",
        "Max-Age=43200",
    ] {
        assert!(set.contains(flag), "{set} lacks {flag}");
    }
    assert!(
        !set.contains("Secure"),
        "no Secure without an https public URL"
    );

    let page = h.get("/console/keys", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers[header::CACHE_CONTROL], "no-store");
    assert!(
        page.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("frame-ancestors 'none'")
    );
    assert!(page.body.contains("default"), "the organization's name");
    let token = csrf_of(&page.body);

    // Without the token, or with a wrong one, the form is refused.
    let refused = h.post("/console/sign-out", Some(&cookie), "").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.body.contains("form has expired"));
    let wrong = format!("csrf={}", "0".repeat(64));
    let refused = h.post("/console/sign-out", Some(&cookie), &wrong).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        h.get("/console/keys", Some(&cookie)).await.status,
        StatusCode::OK
    );

    let out = h
        .post("/console/sign-out", Some(&cookie), &format!("csrf={token}"))
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert!(
        out.headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let after = h.get("/console/keys", Some(&cookie)).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert_eq!(
        after.headers[header::LOCATION],
        "/console/sign-in?next=/console/keys"
    );
}

#[tokio::test]
async fn the_header_token_works_and_cross_site_requests_are_refused() {
    let h = harness(Config::default()).await;
    let (cookie, _) = h.sign_in(KEY).await;
    let token = csrf_of(&h.get("/console/keys", Some(&cookie)).await.body);
    let cross = Request::post("/console/sign-out")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::ORIGIN, "https://evil.example")
        .header(header::COOKIE, &cookie)
        .header("x-csrf-token", &token)
        .body(Body::empty())
        .unwrap();
    assert_eq!(h.send(cross).await.status, StatusCode::FORBIDDEN);
    let same = Request::post("/console/sign-out")
        .header(header::HOST, "127.0.0.1:8080")
        .header(header::COOKIE, &cookie)
        .header("x-csrf-token", &token)
        .body(Body::empty())
        .unwrap();
    assert_eq!(h.send(same).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn without_a_session_pages_redirect_and_posts_are_refused() {
    let h = harness(Config::default()).await;
    let a = h.get("/console/approvals?x=1", None).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        a.headers[header::LOCATION],
        "/console/sign-in?next=/console/approvals%3Fx%3D1"
    );
    let forged = format!("airlock_console={}", "a".repeat(64));
    assert_eq!(
        h.get("/console/keys", Some(&forged)).await.status,
        StatusCode::SEE_OTHER
    );
    let p = h.post("/console/keys", None, "name=x&role=agent").await;
    assert_eq!(p.status, StatusCode::FORBIDDEN);
    assert_eq!(
        h.get("/console", None).await.headers[header::LOCATION],
        "/console/approvals"
    );
}

#[tokio::test]
async fn agent_keys_and_wrong_keys_get_no_session() {
    let h = harness(Config::default()).await;
    let admin = h.service.authenticate(Some(KEY)).await.unwrap();
    let (agent_key, _) = h
        .service
        .create_api_key(&admin, "runner", KeyRole::Agent)
        .await
        .unwrap();
    let a = h
        .post("/console/sign-in", None, &format!("api_key={agent_key}"))
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(
        a.body
            .contains("This key is an agent key; sign in with an admin key")
    );
    assert!(!a.headers.contains_key(header::SET_COOKIE));
    let w = h
        .post("/console/sign-in", None, "api_key=sk_live_nope")
        .await;
    assert_eq!(w.status, StatusCode::UNAUTHORIZED);
    assert!(!w.headers.contains_key(header::SET_COOKIE));
}

#[tokio::test]
async fn behind_https_the_cookie_is_secure() {
    let config = Config {
        public_url: Some("https://airlock.example.com".into()),
        ..Config::default()
    };
    let h = harness(config).await;
    let (_, set) = h.sign_in(KEY).await;
    assert!(set.ends_with("; Secure"), "{set}");
}

#[tokio::test]
async fn sessions_expire_idle_absolute_and_with_their_key() {
    let h = harness(Config::default()).await;
    let s = &h.service;
    let t0 = Utc::now();
    let (token, _) = s.console_sign_in(Some(KEY), t0).await.unwrap();
    let idle = Duration::seconds(CONSOLE_IDLE_SECS);
    assert!(
        s.console_session(&token, t0 + idle - Duration::seconds(1))
            .await
            .is_ok()
    );
    assert!(matches!(
        s.console_session(&token, t0 + idle).await,
        Err(ServiceError::Unauthenticated(_))
    ));
    assert!(
        s.console_session(&token, t0).await.is_err(),
        "an expired session is forgotten"
    );

    // Busy all day: still ends at the absolute expiry.
    let (token, session) = s.console_sign_in(Some(KEY), t0).await.unwrap();
    let end = t0 + Duration::seconds(CONSOLE_ABSOLUTE_SECS);
    let late = end - Duration::seconds(60);
    s.console_touch(&session.caller, &token, late)
        .await
        .unwrap();
    assert!(
        s.console_session(&token, end - Duration::seconds(1))
            .await
            .is_ok()
    );
    assert!(s.console_session(&token, end).await.is_err());

    // A second admin key signs in; once revoked, its session ends.
    let admin = s.authenticate(Some(KEY)).await.unwrap();
    let (other, info) = s
        .create_api_key(&admin, "ops", KeyRole::Admin)
        .await
        .unwrap();
    let (token, _) = s.console_sign_in(Some(&other), t0).await.unwrap();
    assert!(s.console_session(&token, t0).await.is_ok());
    s.revoke_api_key(&admin, &info.id).await.unwrap();
    assert!(s.console_session(&token, t0).await.is_err());
}

#[tokio::test]
async fn keys_are_created_once_and_revoked_but_not_the_one_in_use() {
    let h = harness(Config::default()).await;
    let (cookie, _) = h.sign_in(KEY).await;
    let token = csrf_of(&h.get("/console/keys", Some(&cookie)).await.body);
    let made = h
        .post(
            "/console/keys",
            Some(&cookie),
            &format!("csrf={token}&name=ci+%3Cb%3E&role=agent"),
        )
        .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    assert!(made.body.contains("ci &lt;b&gt;"), "names are escaped");
    let at = made.body.find("sk_live_").unwrap();
    let key = &made.body[at..at + 8 + 64];
    assert!(h.service.authenticate(Some(key)).await.is_ok());
    let list = h.get("/console/keys", Some(&cookie)).await.body;
    assert!(!list.contains(key), "the key is shown once");

    let bad = h
        .post(
            "/console/keys",
            Some(&cookie),
            &format!("csrf={token}&name=&role=agent"),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let admin = h.service.authenticate(Some(KEY)).await.unwrap();
    let keys = h.service.api_keys(&admin).await.unwrap();
    let new = keys.iter().find(|k| k.name == "ci <b>").unwrap();
    let revoked = h
        .post(
            &format!("/console/keys/{}/revoke", new.id),
            Some(&cookie),
            &format!("csrf={token}"),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER);
    assert!(h.service.authenticate(Some(key)).await.is_err());
    let own = h
        .post(
            &format!("/console/keys/{}/revoke", admin.key_id),
            Some(&cookie),
            &format!("csrf={token}"),
        )
        .await;
    assert_eq!(own.status, StatusCode::CONFLICT);
    assert!(h.service.authenticate(Some(KEY)).await.is_ok());
}
