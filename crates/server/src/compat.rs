//! The paths crates/mcp used before the service layer existed. They stay until the gateway
//! and the wrapper call [`crate::Service`], then go.

/// Kept for crates/mcp: the check and server-bound sessions.
pub mod check {
    pub use crate::service::{CheckOutcome, CheckRequest, Principal};

    use crate::AppState;
    use crate::auth::Caller;
    use crate::error::ApiError;

    /// Use [`crate::Service::check`].
    pub async fn check(
        state: &AppState,
        caller: &Caller,
        req: CheckRequest,
    ) -> Result<CheckOutcome, ApiError> {
        Ok(state
            .service()
            .check(Principal::Caller(caller.clone()), req)
            .await?)
    }

    /// Use [`crate::Service::open_server_session`].
    pub use crate::service::server_session;
}

/// Kept for crates/mcp: tool definitions.
pub mod tools {
    pub use crate::service::ObservedTool;

    use serde_json::Value;

    use crate::AppState;
    use crate::auth::Caller;
    use crate::error::ApiError;

    /// Use [`crate::Service::observe_tools`].
    pub async fn observe(
        state: &AppState,
        caller: &Caller,
        server_id: &str,
        tools: &[Value],
        session_id: Option<&str>,
    ) -> Result<Vec<ObservedTool>, ApiError> {
        Ok(state
            .service()
            .observe_tools(caller, server_id, tools, session_id)
            .await?)
    }
}
