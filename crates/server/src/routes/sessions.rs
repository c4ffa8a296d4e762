use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;
use serde_json::Value;

use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::{SessionChoice, validate};
use crate::view;

#[derive(Deserialize)]
pub struct InitSession {
    #[serde(default)]
    agent_id: String,
    #[serde(default)]
    server_id: String,
}

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

pub async fn get(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let session = service.session_record(&caller, &id).await?;
    Ok(Json(view::session(&session, Utc::now())))
}
