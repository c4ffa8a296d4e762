//! What can go wrong in the service, in domain terms. Adapters decide what each means on
//! their wire: the HTTP API maps it to a status and a code in `crate::error` (the one place),
//! the MCP gateway to a JSON-RPC error.

use airlock_store::StoreError;

/// A failure of a service operation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServiceError {
    /// No key, an unknown key or a revoked key.
    #[error("{0}")]
    Unauthenticated(String),
    /// The caller is known but may not do this.
    #[error("{0}")]
    Forbidden(String),
    /// The named thing does not exist in the caller's organization.
    #[error("{what} not found: `{}`", clip(id, 80))]
    NotFound { what: &'static str, id: String },
    /// The request itself is wrong: a missing or malformed field.
    #[error("{0}")]
    Invalid(InvalidInput),
    /// The request conflicts with the current state (an approval already decided).
    #[error("{0}")]
    Conflict(String),
    /// The store failed; nothing was decided. The detail is logged, never answered.
    #[error("the decision store could not complete the request; nothing was decided")]
    Unavailable,
}

/// Which field of a request is wrong, and how.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct InvalidInput {
    /// The field as the request names it (`agent_id`, `tools[].name`); empty when the whole
    /// request is wrong.
    pub field: String,
    pub kind: InvalidKind,
    pub message: String,
}

/// How a field is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidKind {
    /// A required field is absent or empty.
    Missing,
    /// Too long, a control character, a wrong shape.
    Malformed,
    /// Not an effect name.
    Effect,
    /// Not a session mode.
    Mode,
    /// A Cedar policy that does not parse or validate against the schema.
    Policy,
}

impl ServiceError {
    /// A malformed field.
    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        Self::invalid_as(field, InvalidKind::Malformed, message)
    }

    pub fn invalid_as(field: &str, kind: InvalidKind, message: impl Into<String>) -> Self {
        ServiceError::Invalid(InvalidInput {
            field: field.to_string(),
            kind,
            message: message.into(),
        })
    }

    pub fn not_found(what: &'static str, id: &str) -> Self {
        ServiceError::NotFound {
            what,
            id: id.to_string(),
        }
    }

    /// True when the service, not the request, failed: worth retrying later, and never a
    /// reason to tell the caller its request was refused.
    pub fn is_unavailable(&self) -> bool {
        matches!(self, ServiceError::Unavailable)
    }
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "store error");
        ServiceError::Unavailable
    }
}

/// Cuts a string to at most `max` bytes on a character boundary.
pub fn clip(s: &str, max: usize) -> &str {
    s.get(..s.floor_char_boundary(max)).unwrap_or_default()
}
