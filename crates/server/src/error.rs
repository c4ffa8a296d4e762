//! API errors: a status, a stable code and a message, as `{"error": code, "message": text}`.
//! The one place where service failures become HTTP statuses; server-side failures are
//! logged with their detail (where the store error is converted) and answered without it.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use airlock_store::StoreError;

pub use crate::service::clip;
use crate::service::{InvalidKind, ServiceError};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// A malformed request, as [`ServiceError::Invalid`] answers it.
    pub fn invalid(message: impl Into<String>) -> Self {
        ServiceError::invalid("", message).into()
    }
}

impl From<ServiceError> for ApiError {
    fn from(e: ServiceError) -> Self {
        let (status, code) = match &e {
            ServiceError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ServiceError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
            ServiceError::NotFound { .. } => (StatusCode::NOT_FOUND, "not_found"),
            ServiceError::Invalid(i) => (
                StatusCode::BAD_REQUEST,
                match i.kind {
                    InvalidKind::Missing => "missing_field",
                    InvalidKind::Malformed => "invalid_request",
                    InvalidKind::Effect => "invalid_effect",
                    InvalidKind::Mode => "invalid_mode",
                    InvalidKind::Policy => "invalid_policy",
                },
            ),
            ServiceError::Conflict(_) => (StatusCode::CONFLICT, "conflict"),
            ServiceError::Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
        };
        ApiError::new(status, code, e.to_string())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        ServiceError::from(e).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (
            self.status,
            Json(json!({"error": self.code, "message": self.message})),
        )
            .into_response()
    }
}

impl IntoResponse for ServiceError {
    fn into_response(self) -> Response {
        ApiError::from(self).into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_service_error_has_one_status_and_code() {
        let cases = [
            (
                ServiceError::Unauthenticated("invalid API key".into()),
                401,
                "unauthorized",
                "invalid API key",
            ),
            (ServiceError::Forbidden("no".into()), 403, "forbidden", "no"),
            (
                ServiceError::not_found("agent", "agt_1"),
                404,
                "not_found",
                "agent not found: `agt_1`",
            ),
            (
                ServiceError::invalid_as(
                    "agent_id",
                    InvalidKind::Missing,
                    "`agent_id` is required",
                ),
                400,
                "missing_field",
                "`agent_id` is required",
            ),
            (
                ServiceError::invalid("url", "bad url"),
                400,
                "invalid_request",
                "bad url",
            ),
            (
                ServiceError::invalid_as("e", InvalidKind::Effect, "x"),
                400,
                "invalid_effect",
                "x",
            ),
            (
                ServiceError::invalid_as("m", InvalidKind::Mode, "y"),
                400,
                "invalid_mode",
                "y",
            ),
            (
                ServiceError::Conflict("approval `a` is already used".into()),
                409,
                "conflict",
                "approval `a` is already used",
            ),
            (
                ServiceError::Unavailable,
                503,
                "unavailable",
                "the decision store could not complete the request; nothing was decided",
            ),
        ];
        for (e, status, code, message) in cases {
            let unavailable = e.is_unavailable();
            let api = ApiError::from(e);
            assert_eq!(
                (api.status.as_u16(), api.code, api.message.as_str()),
                (status, code, message)
            );
            assert_eq!(unavailable, status == 503);
        }
        let long = "x".repeat(200);
        assert_eq!(
            ServiceError::not_found("session", &long).to_string(),
            format!("session not found: `{}`", "x".repeat(80))
        );
    }
}
