//! Signing in with an admin API key, and signing out.

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use airlock_server::service::ServiceError;

use crate::auth::{cleared_cookie, safe_next, session_cookie};
use crate::csrf::{self, CheckedForm};
use crate::error::ConsoleError;
use crate::layout::{self, Nav};
use crate::state::Console;

pub fn routes() -> Router<Console> {
    Router::new()
        .route("/console/sign-in", get(form).post(sign_in))
        .route("/console/sign-out", post(sign_out))
}

#[derive(Deserialize, Default)]
struct Next {
    next: Option<String>,
}

async fn form(Query(q): Query<Next>) -> Markup {
    sign_in_page(&safe_next(q.next.as_deref()), None)
}

/// The sign-in form, with an error above it when the last attempt failed.
fn sign_in_page(next: &str, error: Option<&str>) -> Markup {
    layout::page(
        None,
        "Sign in",
        Nav::None,
        html! {
            h1 { "Sign in to Airlock" }
            @if let Some(e) = error {
                p.error role="alert" { (e) }
            }
            form.card.sign-in method="post" action="/console/sign-in" {
                input type="hidden" name="next" value=(next);
                label for="api_key" { "API key" }
                input #api_key type="password" name="api_key" autocomplete="off"
                    required autofocus spellcheck="false";
                p.hint { "An admin key of your organization (" code { "sk_live_…" } "). "
                    "`airlock serve` prints one when it creates the organization." }
                button.primary type="submit" { "Sign in" }
            }
        },
    )
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    api_key: String,
    next: Option<String>,
}

/// The client's address when the server records connections (`airlock serve` does).
fn client_addr(parts_ext: &axum::http::Extensions) -> Option<IpAddr> {
    parts_ext.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip())
}

async fn sign_in(
    State(console): State<Console>,
    request: axum::extract::Request,
) -> Result<Response, ConsoleError> {
    let (parts, body): (Parts, _) = request.into_parts();
    csrf::same_site(&parts.headers)?;
    let addr = client_addr(&parts.extensions);
    if let Err(wait) = console.limiter.check(addr, Instant::now()) {
        return Err(ConsoleError::RateLimited(wait));
    }
    let bytes = axum::body::to_bytes(body, 64 * 1024)
        .await
        .map_err(|_| ConsoleError::Invalid("the form is too large".into()))?;
    let form = parse(&bytes)?;
    let next = safe_next(form.next.as_deref());
    let refused = |status: StatusCode, message: &str| {
        (status, sign_in_page(&next, Some(message))).into_response()
    };
    let signed_in = console
        .service
        .console_sign_in(Some(&form.api_key), Utc::now())
        .await;
    let (token, session) = match signed_in {
        Ok(s) => s,
        Err(ServiceError::Unavailable) => return Err(ConsoleError::Unavailable),
        // A valid key of the wrong kind: not a guess, so not counted.
        Err(ServiceError::Forbidden(m)) => return Ok(refused(StatusCode::FORBIDDEN, &m)),
        Err(_) => {
            console.limiter.fail(addr, Instant::now());
            return Ok(refused(
                StatusCode::UNAUTHORIZED,
                "That key was not accepted. Check it and try again.",
            ));
        }
    };
    let max_age = (session.expires_at - session.created_at)
        .num_seconds()
        .max(0);
    let mut response = Redirect::to(&next).into_response();
    set_cookie(
        response.headers_mut(),
        &session_cookie(&token, max_age, console.secure_cookie),
    );
    Ok(response)
}

fn parse(bytes: &Bytes) -> Result<SignInForm, ConsoleError> {
    serde_urlencoded::from_bytes::<SignInForm>(bytes)
        .map_err(|_| ConsoleError::Invalid("the sign-in form is malformed".into()))
}

#[derive(Deserialize)]
struct NoFields {}

async fn sign_out(
    State(console): State<Console>,
    CheckedForm { signed, .. }: CheckedForm<NoFields>,
) -> Result<Response, ConsoleError> {
    console
        .service
        .console_sign_out(&signed.caller, &signed.token)
        .await?;
    let mut response = Redirect::to("/console/sign-in").into_response();
    set_cookie(
        response.headers_mut(),
        &cleared_cookie(console.secure_cookie),
    );
    Ok(response)
}

fn set_cookie(headers: &mut HeaderMap, cookie: &str) {
    if let Ok(v) = HeaderValue::from_str(cookie) {
        headers.insert(header::SET_COOKIE, v);
    }
}
