//! What a console request can fail with, and the page each failure shows. Never a 500 for
//! bad input; a store failure is a 503 page that says nothing was changed.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use maud::html;

use airlock_server::service::ServiceError;

use crate::layout;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConsoleError {
    /// The form's CSRF token is missing or wrong (or the request came from another site).
    #[error("this form has expired; reload the page and try again")]
    FormExpired,
    /// A non-GET request without a session.
    #[error("sign in first")]
    NotSignedIn,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0} not found")]
    NotFound(String),
    /// The request is wrong; the text says how.
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Conflict(String),
    /// Too many failed sign-ins from this address; retry after the seconds given.
    #[error("too many failed sign-ins; try again in {0} seconds")]
    RateLimited(u64),
    #[error("the server could not complete the request; nothing was changed")]
    Unavailable,
}

impl ConsoleError {
    pub fn status(&self) -> StatusCode {
        match self {
            ConsoleError::FormExpired | ConsoleError::NotSignedIn | ConsoleError::Forbidden(_) => {
                StatusCode::FORBIDDEN
            }
            ConsoleError::NotFound(_) => StatusCode::NOT_FOUND,
            ConsoleError::Invalid(_) => StatusCode::BAD_REQUEST,
            ConsoleError::Conflict(_) => StatusCode::CONFLICT,
            ConsoleError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
            ConsoleError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ConsoleError::FormExpired => "Form expired",
            ConsoleError::NotSignedIn => "Not signed in",
            ConsoleError::Forbidden(_) => "Not allowed",
            ConsoleError::NotFound(_) => "Not found",
            ConsoleError::Invalid(_) => "Invalid request",
            ConsoleError::Conflict(_) => "Conflict",
            ConsoleError::RateLimited(_) => "Too many attempts",
            ConsoleError::Unavailable => "Unavailable",
        }
    }
}

impl From<ServiceError> for ConsoleError {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Unauthenticated(_) => ConsoleError::NotSignedIn,
            ServiceError::Forbidden(m) => ConsoleError::Forbidden(m),
            ServiceError::NotFound { .. } => ConsoleError::NotFound(e.to_string()),
            ServiceError::Invalid(i) => ConsoleError::Invalid(i.message),
            ServiceError::Conflict(m) => ConsoleError::Conflict(m),
            ServiceError::Unavailable => ConsoleError::Unavailable,
        }
    }
}

impl IntoResponse for ConsoleError {
    fn into_response(self) -> Response {
        let body = html! {
            h1 { (self.title()) }
            p.error role="alert" { (self.to_string()) }
            @if matches!(self, ConsoleError::NotSignedIn) {
                p { a href="/console/sign-in" { "Sign in" } }
            } @else {
                p { a href="/console/approvals" { "Back to the console" } }
            }
        };
        let page = layout::page(None, self.title(), layout::Nav::None, body);
        let mut response = (self.status(), page).into_response();
        if let ConsoleError::RateLimited(secs) = self
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, v);
        }
        response
    }
}
