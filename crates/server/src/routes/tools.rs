use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::validate;

#[derive(Deserialize)]
pub struct ObserveBody {
    #[serde(default)]
    tools: Vec<Value>,
    #[serde(default)]
    session_id: Option<String>,
}

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

#[derive(Deserialize)]
pub struct AcceptBody {
    #[serde(default)]
    tools: Vec<String>,
}

pub async fn accept(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<AcceptBody>,
) -> Result<Json<Value>, ApiError> {
    let accepted = service.accept_tools(&caller, &id, &body.tools).await?;
    Ok(Json(json!({"accepted": accepted})))
}

pub async fn list(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(
        json!({"tools": service.tool_pins(&caller, &id).await?}),
    ))
}
