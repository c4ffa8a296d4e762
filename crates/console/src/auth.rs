//! The signed-in person: the [`Signed`] extractor and the session cookie.
//!
//! A request without a live session is sent to the sign-in page (303) when it is a GET, and
//! refused (403) otherwise. Any failure looking the session up refuses too (fail closed).

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Duration, Utc};

use airlock_server::service::{Caller, ServiceError};

use crate::error::ConsoleError;
use crate::state::Console;

/// How often a request records activity on its session.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// The session cookie's name.
pub const COOKIE: &str = "airlock_console";

/// A signed-in admin of one organization.
#[derive(Debug, Clone)]
pub struct Signed {
    pub caller: Caller,
    /// The organization's name, for the header.
    pub org_name: String,
    /// The session's CSRF token: every state-changing request must carry it.
    pub csrf: String,
    /// When the session ends at the latest.
    pub expires_at: DateTime<Utc>,
    /// The cookie's token (to sign out); never shown.
    pub(crate) token: String,
}

impl FromRequestParts<Console> for Signed {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, console: &Console) -> Result<Self, Response> {
        if let Some(signed) = parts.extensions.get::<Signed>() {
            return Ok(signed.clone());
        }
        let refuse = |parts: &Parts, e: Option<ConsoleError>| -> Response {
            if parts.method == Method::GET || parts.method == Method::HEAD {
                let next = parts
                    .uri
                    .path_and_query()
                    .map(|p| p.as_str())
                    .unwrap_or("/console/approvals");
                Redirect::to(&format!("/console/sign-in?next={}", encode(next))).into_response()
            } else {
                e.unwrap_or(ConsoleError::NotSignedIn).into_response()
            }
        };
        let Some(token) = session_token(parts) else {
            return Err(refuse(parts, None));
        };
        let now = Utc::now();
        match console.service.console_session(&token, now).await {
            Ok(s) => {
                // Activity keeps the session alive; one write a minute is enough for a
                // 30-minute idle limit.
                if now - s.last_seen_at >= TOUCH_EVERY {
                    console
                        .service
                        .console_touch(&s.caller, &token, now)
                        .await
                        .map_err(|e| refuse(parts, Some(e.into())))?;
                }
                let signed = Signed {
                    org_name: s.org_name,
                    caller: s.caller,
                    csrf: s.csrf,
                    expires_at: s.expires_at,
                    token,
                };
                parts.extensions.insert(signed.clone());
                Ok(signed)
            }
            Err(ServiceError::Unauthenticated(_)) => Err(refuse(parts, None)),
            Err(e) => Err(ConsoleError::from(e).into_response()),
        }
    }
}

/// The session token from the request's cookies, if it has a well-formed one.
pub fn session_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.trim().to_string())
        .filter(|v| v.len() == 64 && v.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The `Set-Cookie` value that carries a new session's token.
pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> String {
    format!(
        "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/console; Max-Age={max_age_secs}{}",
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that clears the session cookie.
pub fn cleared_cookie(secure: bool) -> String {
    session_cookie("", 0, secure)
}

/// Percent-encodes a path and query for a `next=` parameter.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Where to go after signing in: a console path, never another site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with("/console")
                && !n.starts_with("/console/sign-")
                && !n.contains("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control) =>
        {
            n.to_string()
        }
        _ => "/console/approvals".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_http_only_strict_and_scoped_to_the_console() {
        let c = session_cookie("ab", 43200, false);
        assert_eq!(
            c,
            "airlock_console=ab; HttpOnly; SameSite=Strict; Path=/console; Max-Age=43200"
        );
        assert!(session_cookie("ab", 1, true).ends_with("; Secure"));
        assert!(cleared_cookie(true).contains("Max-Age=0"));
    }

    #[test]
    fn next_stays_on_the_console() {
        assert_eq!(safe_next(Some("/console/keys?x=1")), "/console/keys?x=1");
        for bad in [
            "https://evil.example",
            "//evil.example",
            "/console//evil",
            "/console\\x",
            "/api/v1/keys",
            "/console/sign-out",
        ] {
            assert_eq!(safe_next(Some(bad)), "/console/approvals", "{bad}");
        }
        assert_eq!(encode("/console/a?b=c&d"), "/console/a%3Fb%3Dc%26d");
    }
}
