use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::NewAgent;
use crate::view;

#[derive(Deserialize)]
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

pub async fn get(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(view::agent(&service.agent(&caller, &id).await?)))
}

pub async fn list(State(service): State<Service>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let agents = service.agents(&caller).await?;
    Ok(Json(
        json!({"agents": agents.iter().map(view::agent).collect::<Vec<_>>()}),
    ))
}

#[derive(Deserialize, Default)]
pub struct RevokeAgent {
    #[serde(default)]
    reason: Option<String>,
}

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
