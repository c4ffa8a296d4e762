use axum::Json;
use axum::extract::State;

use crate::params::Path;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use super::openapi::{Errors, answers};
use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::NewAgent;
use crate::view;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct CreateAgent {
    #[serde(default)]
    name: String,
    #[serde(default)]
    framework: Option<String>,
    #[serde(default)]
    capabilities: Vec<String>,
    #[serde(default)]
    metadata: Option<Value>,
    #[serde(default)]
    public_key: Option<String>,
    #[serde(default)]
    org_id: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/agents",
    tag = "agents",
    request_body = CreateAgent,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 201, description = "The registered agent", body = answers::Agent), Errors)
)]
pub async fn create(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<CreateAgent>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let new = NewAgent {
        name: body.name,
        framework: body.framework,
        capabilities: body.capabilities,
        metadata: body.metadata,
        public_key: body.public_key,
        org_id: body.org_id,
    };
    let agent = service.register_agent(&caller, new).await?;
    Ok((StatusCode::CREATED, Json(view::agent(&agent))))
}

#[utoipa::path(
    get,
    path = "/api/v1/agents/{id}",
    tag = "agents",
    params(("id" = String, Path, description = "The agent id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The agent", body = answers::Agent), Errors)
)]
pub async fn get(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(view::agent(&service.agent(&caller, &id).await?)))
}

#[utoipa::path(
    get,
    path = "/api/v1/agents",
    tag = "agents",
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The organization's agents", body = answers::AgentList), Errors)
)]
pub async fn list(State(service): State<Service>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let agents = service.agents(&caller).await?;
    Ok(Json(
        json!({"agents": agents.iter().map(view::agent).collect::<Vec<_>>()}),
    ))
}

#[derive(Deserialize, Default, ToSchema)]
pub struct RevokeAgent {
    #[serde(default)]
    reason: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/agents/{id}/revoke",
    tag = "agents",
    params(("id" = String, Path, description = "The agent id")),
    request_body = RevokeAgent,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The revoked agent", body = answers::RevokedAgent), Errors)
)]
pub async fn revoke(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<RevokeAgent>,
) -> Result<Json<Value>, ApiError> {
    let agent = service
        .revoke_agent(&caller, &id, body.reason.as_deref())
        .await?;
    Ok(Json(
        json!({"status": "revoked", "agent": view::agent(&agent)}),
    ))
}
