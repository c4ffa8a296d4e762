use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

use airlock_store::model::Agent;

use crate::Service;
use crate::auth::{Caller, new_id};
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::validate;
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
    caller.require_admin("register agents")?;
    let name = validate::text("name", &body.name, validate::MAX_NAME)?.to_string();
    let framework = body.framework.unwrap_or_default();
    let framework = validate::optional_text("framework", framework.trim(), 64)?;
    let framework = if framework.is_empty() {
        "custom".to_string()
    } else {
        framework.to_string()
    };
    let capabilities = validate::capabilities("capabilities", &body.capabilities)?;
    let metadata = body.metadata.unwrap_or_else(|| json!({}));
    if !metadata.is_object() {
        return Err(ApiError::invalid("`metadata` must be an object"));
    }
    if metadata.to_string().len() > 16 * 1024 {
        return Err(ApiError::invalid("`metadata` is larger than 16 KiB"));
    }
    let public_key = body.public_key.unwrap_or_default();
    if public_key.len() > 8 * 1024 {
        return Err(ApiError::invalid("`public_key` is longer than 8 KiB"));
    }
    if let Some(org) = body.org_id.as_deref().filter(|o| !o.is_empty())
        && org != caller.org_id
    {
        return Err(ApiError::forbidden(
            "`org_id` is not the organization of this API key",
        ));
    }
    let agent = Agent {
        id: new_id("agt"),
        org_id: caller.org_id.clone(),
        name,
        framework,
        public_key,
        status: "active".into(),
        capabilities,
        metadata,
        created_at: Utc::now(),
        revoked_at: None,
        revoke_reason: None,
    };
    let stored = agent.clone();
    service
        .store()
        .run(move |tx| tx.insert_agent(&stored))
        .await?;
    Ok((StatusCode::CREATED, Json(view::agent(&agent))))
}

pub async fn get(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let org = caller.org_id.clone();
    let key = id.clone();
    let agent = service.store().run(move |tx| tx.agent(&org, &key)).await?;
    agent
        .map(|a| Json(view::agent(&a)))
        .ok_or_else(|| ApiError::not_found("agent", &id))
}

pub async fn list(State(service): State<Service>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let org = caller.org_id.clone();
    let agents = service.store().run(move |tx| tx.list_agents(&org)).await?;
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
    caller.require_admin("revoke agents")?;
    let reason = body.reason.unwrap_or_else(|| "manual_revocation".into());
    let reason = validate::optional_text("reason", &reason, 1024)?.to_string();
    let org = caller.org_id.clone();
    let key = id.clone();
    let agent = service
        .store()
        .run(move |tx| {
            if !tx.revoke_agent(&org, &key, &reason, Utc::now())? {
                return Ok(None);
            }
            tx.agent(&org, &key)
        })
        .await?;
    let agent = agent.ok_or_else(|| ApiError::not_found("agent", &id))?;
    Ok(Json(
        json!({"status": "revoked", "agent": view::agent(&agent)}),
    ))
}
