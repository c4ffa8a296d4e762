use axum::Json;
use axum::extract::{Path, State};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::AppState;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::tools;
use crate::validate;

#[derive(Deserialize)]
pub struct ObserveBody {
    #[serde(default)]
    tools: Vec<Value>,
    #[serde(default)]
    session_id: Option<String>,
}

pub async fn observe(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<ObserveBody>,
) -> Result<Json<Value>, ApiError> {
    let session = body.session_id.filter(|s| !s.is_empty());
    if let Some(s) = &session {
        validate::id("session_id", s)?;
    }
    let out = tools::observe(&state, &caller, &id, &body.tools, session.as_deref()).await?;
    Ok(Json(json!({"tools": out})))
}

#[derive(Deserialize)]
pub struct AcceptBody {
    #[serde(default)]
    tools: Vec<String>,
}

pub async fn accept(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<AcceptBody>,
) -> Result<Json<Value>, ApiError> {
    caller.require_admin("accept changed tool definitions")?;
    if body.tools.len() > tools::MAX_TOOLS {
        return Err(ApiError::invalid(format!(
            "at most {} tools",
            tools::MAX_TOOLS
        )));
    }
    let accepted = tools::accept(&state, &caller, &id, &body.tools).await?;
    Ok(Json(json!({"accepted": accepted})))
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(
        json!({"tools": tools::list(&state, &caller, &id).await?}),
    ))
}
