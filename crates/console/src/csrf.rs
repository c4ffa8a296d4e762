//! CSRF protection. Every state-changing request carries the session's token, in the form's
//! hidden `csrf` field or in the `X-CSRF-Token` header (for `fetch`), compared in constant
//! time; a request a browser marks as cross-site is refused whatever it carries.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::auth::Signed;
use crate::error::ConsoleError;
use crate::state::Console;

/// The form field that carries the token.
pub const FIELD: &str = "csrf";
/// The header that carries the token for `fetch` requests.
pub const HEADER: &str = "x-csrf-token";

/// The hidden input every console form includes.
pub fn field(signed: &Signed) -> Markup {
    html! { input type="hidden" name=(FIELD) value=(signed.csrf); }
}

/// True when `presented` is the session's token.
pub fn matches(expected: &str, presented: &str) -> bool {
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(presented.as_bytes()))
}

/// Refuses requests a browser marks as coming from another site (`Sec-Fetch-Site`), or whose
/// `Origin` is not this host.
pub fn same_site(headers: &HeaderMap) -> Result<(), ConsoleError> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site")
        && !matches!(site, "same-origin" | "none")
    {
        return Err(ConsoleError::FormExpired);
    }
    if let Some(origin) = header("origin") {
        let host = header("host").unwrap_or_default();
        let origin_host = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"))
            .unwrap_or_default();
        if host.is_empty() || origin_host != host {
            return Err(ConsoleError::FormExpired);
        }
    }
    Ok(())
}

#[derive(Deserialize)]
struct TokenOnly {
    #[serde(default)]
    csrf: Option<String>,
}

/// A signed-in POST with its form, checked: the session, then the CSRF token, then the form.
pub struct CheckedForm<T> {
    pub signed: Signed,
    pub form: T,
}

impl<T: DeserializeOwned + Send> FromRequest<Console> for CheckedForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, console: &Console) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let signed = Signed::from_request_parts(&mut parts, console).await?;
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), console)
            .await
            .map_err(|_| ConsoleError::Invalid("the form is too large".into()).into_response())?;
        let in_form = serde_urlencoded::from_bytes::<TokenOnly>(&bytes)
            .ok()
            .and_then(|t| t.csrf);
        verify(&signed, &parts, in_form.as_deref()).map_err(IntoResponse::into_response)?;
        let form = serde_urlencoded::from_bytes::<T>(&bytes)
            .map_err(|e| ConsoleError::Invalid(format!("invalid form: {e}")).into_response())?;
        Ok(CheckedForm { signed, form })
    }
}

/// A signed-in request without a form (a `fetch` POST): the token in `X-CSRF-Token`.
pub struct Checked(pub Signed);

impl FromRequestParts<Console> for Checked {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, console: &Console) -> Result<Self, Response> {
        let signed = Signed::from_request_parts(parts, console).await?;
        verify(&signed, parts, None).map_err(IntoResponse::into_response)?;
        Ok(Checked(signed))
    }
}

/// The form's token, else the header's, must be the session's; and the request same-site.
fn verify(signed: &Signed, parts: &Parts, in_form: Option<&str>) -> Result<(), ConsoleError> {
    same_site(&parts.headers)?;
    let presented = in_form.or_else(|| parts.headers.get(HEADER).and_then(|v| v.to_str().ok()));
    match presented {
        Some(t) if matches(&signed.csrf, t) => Ok(()),
        _ => Err(ConsoleError::FormExpired),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn tokens_must_match_exactly() {
        assert!(matches("abc", "abc"));
        assert!(!matches("abc", "abd"));
        assert!(!matches("abc", "ab"));
        assert!(!matches("", ""));
    }

    #[test]
    fn cross_site_requests_are_refused() {
        let mut h = HeaderMap::new();
        h.insert("host", HeaderValue::from_static("127.0.0.1:8080"));
        assert!(same_site(&h).is_ok());
        h.insert("origin", HeaderValue::from_static("http://127.0.0.1:8080"));
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        assert!(same_site(&h).is_ok());
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        assert_eq!(same_site(&h), Err(ConsoleError::FormExpired));
        h.remove("sec-fetch-site");
        h.insert("origin", HeaderValue::from_static("https://evil.example"));
        assert_eq!(same_site(&h), Err(ConsoleError::FormExpired));
    }
}
