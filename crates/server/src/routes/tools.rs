use axum::Json;
use axum::extract::State;

use crate::params::Path;
use serde::Deserialize;
use serde_json::{Value, json};

use super::openapi::{Errors, answers};
use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::validate;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct ObserveBody {
    #[serde(default)]
    tools: Vec<Value>,
    #[serde(default)]
    session_id: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/mcp/servers/{id}/tools/observe",
    tag = "tools",
    params(("id" = String, Path, description = "The server id")),
    request_body = ObserveBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "Each tool against its pin", body = answers::ObservedTools), Errors)
)]
pub async fn observe(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ObserveBody>,
) -> Result<Json<Value>, ApiError> {
    let session = body.session_id.filter(|s| !s.is_empty());
    if let Some(s) = &session {
        validate::id("session_id", s)?;
    }
    let out = service
        .observe_tools(&caller, &id, &body.tools, session.as_deref())
        .await?;
    Ok(Json(json!({"tools": out})))
}

#[derive(Deserialize, ToSchema)]
pub struct AcceptBody {
    #[serde(default)]
    tools: Vec<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/mcp/servers/{id}/tools/accept",
    tag = "tools",
    params(("id" = String, Path, description = "The server id")),
    request_body = AcceptBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The tools whose new definitions are pinned", body = answers::AcceptedTools), Errors)
)]
pub async fn accept(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<AcceptBody>,
) -> Result<Json<Value>, ApiError> {
    let accepted = service.accept_tools(&caller, &id, &body.tools).await?;
    Ok(Json(json!({"accepted": accepted})))
}

#[utoipa::path(
    get,
    path = "/api/v1/mcp/servers/{id}/tools",
    tag = "tools",
    params(("id" = String, Path, description = "The server id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The pinned tool definitions", body = answers::ToolPinList), Errors)
)]
pub async fn list(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(
        json!({"tools": service.tool_pins(&caller, &id).await?}),
    ))
}
