use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;
use serde_json::Value;

use crate::AppState;
use crate::auth::{Caller, new_id};
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::validate;
use crate::view;

#[derive(Deserialize)]
pub struct InitSession {
    #[serde(default)]
    agent_id: String,
    #[serde(default)]
    server_id: String,
}

enum InitError {
    Agent,
    AgentInactive(String),
    Server,
}

pub async fn init(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<InitSession>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let agent_id = validate::id("agent_id", &body.agent_id)?.to_string();
    let server_id = validate::id("server_id", &body.server_id)?.to_string();
    let org = caller.org_id.clone();
    let (a, s) = (agent_id.clone(), server_id.clone());
    let created = state
        .store
        .run(move |tx| {
            let now = Utc::now();
            let Some(agent) = tx.agent(&org, &a)? else {
                return Ok(Err(InitError::Agent));
            };
            if agent.status != "active" {
                return Ok(Err(InitError::AgentInactive(agent.status)));
            }
            let Some(server) = tx.server(&org, &s)? else {
                return Ok(Err(InitError::Server));
            };
            let session = crate::check::server_session(&org, &new_id("sess"), &agent, &server, now);
            tx.insert_session(&session)?;
            Ok(Ok(session))
        })
        .await?;
    match created {
        Ok(session) => Ok((
            StatusCode::CREATED,
            Json(view::session(&session, Utc::now())),
        )),
        Err(InitError::Agent) => Err(ApiError::not_found("agent", &agent_id)),
        Err(InitError::AgentInactive(status)) => Err(ApiError::forbidden(format!(
            "agent `{agent_id}` is {status}"
        ))),
        Err(InitError::Server) => Err(ApiError::not_found("server", &server_id)),
    }
}

pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let org = caller.org_id.clone();
    let key = id.clone();
    let session = state.store.run(move |tx| tx.session(&org, &key)).await?;
    session
        .map(|s| Json(view::session(&s, Utc::now())))
        .ok_or_else(|| ApiError::not_found("session", &id))
}
