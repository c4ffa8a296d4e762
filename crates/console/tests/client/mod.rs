#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, dead_code)]
//! The console's router as a browser sees it, in process: a store in a temporary directory
//! with a bootstrapped organization, and requests with or without the sign-in cookie.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode, header};
use http_body_util::BodyExt;
use tower::ServiceExt;

use airlock_server::{Config, Service};
use airlock_store::{Options, Store};

/// A migrated store whose first organization's admin key is `key`.
pub async fn bootstrapped(key: &'static str) -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), Options { migrate: true }).unwrap();
    store
        .run(move |tx| airlock_server::bootstrap(tx, Some(key)))
        .await
        .unwrap();
    (store, dir)
}

/// The service over `store` with `config`, and its console.
pub fn console(store: Store, config: Config) -> (Service, Client) {
    let service = Service::new(store, config);
    let client = Client {
        app: airlock_console::router(service.clone()),
    };
    (service, client)
}

pub struct Client {
    pub app: Router,
}

pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Client {
    pub async fn send(&self, req: Request<Body>) -> Answer {
        let resp = self.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Answer {
        let mut req = Request::get(path);
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::empty()).unwrap()).await
    }

    /// A form POST (`form` already URL-encoded) from the console's own origin.
    pub async fn post(&self, path: &str, cookie: Option<&str>, form: &str) -> Answer {
        let mut req = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(header::HOST, "127.0.0.1:8080");
        if let Some(c) = cookie {
            req = req.header(header::COOKIE, c);
        }
        self.send(req.body(Body::from(form.to_string())).unwrap())
            .await
    }

    /// Signs in with `key`; answers the `name=value` cookie and the whole Set-Cookie header.
    pub async fn sign_in(&self, key: &str) -> (String, String) {
        let a = self
            .post("/console/sign-in", None, &format!("api_key={key}"))
            .await;
        assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
        let set = a.headers[header::SET_COOKIE].to_str().unwrap().to_string();
        let pair = set.split(';').next().unwrap().to_string();
        (pair, set)
    }
}

/// The session's CSRF token, read from a page's hidden field.
pub fn csrf_of(page: &str) -> String {
    let at = page.find(r#"name="csrf" value=""#).expect("a csrf field") + 19;
    let len = page[at..].find('"').expect("the field's end");
    page[at..at + len].to_string()
}
