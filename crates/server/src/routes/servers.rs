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
use crate::service::{NewServer, NewTool, ServiceError};
use crate::view;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct ToolBody {
    #[serde(default)]
    name: String,
    #[serde(default)]
    effect_override: Option<String>,
    #[serde(default)]
    require_approval: bool,
}

#[derive(Deserialize, ToSchema)]
pub struct CreateServer {
    #[serde(default)]
    name: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    capabilities: Option<Vec<String>>,
    #[serde(default)]
    tools: Option<Vec<ToolBody>>,
    #[serde(default)]
    default_mode: Option<String>,
    #[serde(default)]
    allowed_methods: Option<Vec<String>>,
    /// Any JSON: anything but a whole number 0–600 is a 400 naming the field.
    #[serde(default)]
    approval_wait_secs: Option<Value>,
}

#[utoipa::path(
    post,
    path = "/mcp/servers",
    tag = "servers",
    request_body = CreateServer,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 201, description = "The registered MCP server", body = answers::Server), Errors)
)]
pub async fn create(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<CreateServer>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let approval_wait_secs = match body.approval_wait_secs {
        None | Some(Value::Null) => None,
        Some(v) => Some(v.as_u64().ok_or_else(|| {
            ServiceError::invalid(
                "approval_wait_secs",
                "`approval_wait_secs` must be a whole number of seconds between 0 and 600",
            )
        })?),
    };
    let new = NewServer {
        name: body.name,
        url: body.url,
        description: body.description,
        capabilities: body.capabilities,
        tools: body
            .tools
            .unwrap_or_default()
            .into_iter()
            .map(|t| NewTool {
                name: t.name,
                effect_override: t.effect_override,
                require_approval: t.require_approval,
            })
            .collect(),
        default_mode: body.default_mode,
        allowed_methods: body.allowed_methods,
        approval_wait_secs,
    };
    let server = service.register_server(&caller, new).await?;
    Ok((StatusCode::CREATED, Json(view::server(&server))))
}

#[utoipa::path(
    get,
    path = "/mcp/servers",
    tag = "servers",
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The organization's MCP servers", body = answers::ServerList), Errors)
)]
pub async fn list(State(service): State<Service>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let servers = service.servers(&caller).await?;
    Ok(Json(
        json!({"servers": servers.iter().map(view::server).collect::<Vec<_>>()}),
    ))
}

#[utoipa::path(
    get,
    path = "/mcp/servers/{id}",
    tag = "servers",
    params(("id" = String, Path, description = "The server id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The MCP server", body = answers::Server), Errors)
)]
pub async fn get(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(view::server(&service.server(&caller, &id).await?)))
}

#[utoipa::path(
    delete,
    path = "/mcp/servers/{id}",
    tag = "servers",
    params(("id" = String, Path, description = "The server id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "Deleted", body = answers::Deleted), Errors)
)]
pub async fn delete(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    service.remove_server(&caller, &id).await?;
    Ok(Json(json!({"deleted": true, "id": id})))
}
