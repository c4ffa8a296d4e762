//! Request extractors of the HTTP adapters: who is calling, from the `X-API-Key` header (or
//! `Authorization: Bearer sk_live_…`).

use axum::extract::FromRequestParts;
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::Service;
use crate::auth::{Caller, KEY_PREFIX, KeyHash};
use crate::error::ApiError;

/// The API key a request presents, if any.
pub fn presented_key(headers: &HeaderMap) -> Option<&str> {
    if let Some(v) = headers.get("x-api-key") {
        return v.to_str().ok().map(str::trim);
    }
    let auth = headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, value) = auth.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| value.trim())
        .filter(|v| v.starts_with(KEY_PREFIX))
}

impl FromRequestParts<Service> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        service: &Service,
    ) -> Result<Self, Self::Rejection> {
        Ok(service.authenticate(presented_key(&parts.headers)).await?)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for KeyHash {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(KeyHash::presented(presented_key(&parts.headers))?)
    }
}
