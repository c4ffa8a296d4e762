use axum::Json;
use axum::extract::State;

use crate::params::Path;
use axum::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;
use serde_json::Value;

use super::openapi::{Errors, answers};
use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::{SessionChoice, validate};
use crate::view;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct InitSession {
    #[serde(default)]
    agent_id: String,
    #[serde(default)]
    server_id: String,
}

#[utoipa::path(
    post,
    path = "/mcp/sessions/init",
    tag = "sessions",
    request_body = InitSession,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 201, description = "A new session of the agent on the server", body = answers::Session), Errors)
)]
pub async fn init(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<InitSession>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let agent_id = validate::id("agent_id", &body.agent_id)?;
    let server_id = validate::id("server_id", &body.server_id)?;
    let bound = service
        .open_server_session(&caller, agent_id, server_id, SessionChoice::New)
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(view::session(&bound.record, Utc::now())),
    ))
}

#[utoipa::path(
    get,
    path = "/mcp/sessions/{id}",
    tag = "sessions",
    params(("id" = String, Path, description = "The session id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The session", body = answers::Session), Errors)
)]
pub async fn get(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let session = service.session_record(&caller, &id).await?;
    let mut answer = view::session(&session, Utc::now());
    // A federated session names the provider that vouched for its agent (docs/identity.md).
    if let (Some(o), Some(fields)) = (
        service.federated_origin(&caller, &session).await?,
        answer.as_object_mut(),
    ) {
        fields.insert("provider_id".into(), o.provider_id.into());
        fields.insert("issuer".into(), o.issuer.into());
        fields.insert("trust_level".into(), o.trust_level.into());
    }
    // A delegated session names its delegation (docs/delegations.md).
    if let (Some(d), Some(fields)) = (
        service.delegation_of(&caller, &session).await?,
        answer.as_object_mut(),
    ) {
        fields.insert("delegation_id".into(), d.into());
    }
    Ok(Json(answer))
}

/// `GET /api/v1/sessions/{id}`: the session under its other path.
#[utoipa::path(
    get,
    path = "/api/v1/sessions/{id}",
    tag = "sessions",
    params(("id" = String, Path, description = "The session id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The session", body = answers::Session), Errors)
)]
pub async fn get_v1(
    state: State<Service>,
    caller: Caller,
    id: Path<String>,
) -> Result<Json<Value>, ApiError> {
    get(state, caller, id).await
}
