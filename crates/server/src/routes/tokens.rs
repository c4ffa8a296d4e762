use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use airlock_store::model::ts;

use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::{TokenRequest, TokenStatus};

#[derive(Deserialize)]
pub struct IssueBody {
    #[serde(default)]
    agent_id: String,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    ttl: Option<i64>,
    #[serde(default)]
    ttl_seconds: Option<i64>,
    #[serde(default)]
    session_id: Option<String>,
}

pub async fn issue(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<IssueBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let req = TokenRequest {
        agent_id: body.agent_id,
        scopes: body.scopes,
        ttl_secs: body.ttl.or(body.ttl_seconds),
        session_id: body.session_id,
    };
    let issued = service.issue_token(&caller, req).await?;
    let token = issued.token;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "token": issued.secret,
            "token_id": token.id,
            "agent_id": token.agent_id,
            "scopes": token.scopes,
            "audience": [],
            "session_id": token.session_id,
            "issued_at": ts(token.issued_at),
            "expires_at": ts(token.expires_at),
        })),
    ))
}

#[derive(Deserialize)]
pub struct IntrospectBody {
    #[serde(default)]
    token: String,
    #[serde(default)]
    required_scopes: Option<Vec<String>>,
}

pub async fn introspect(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<IntrospectBody>,
) -> Result<Json<Value>, ApiError> {
    let started = std::time::Instant::now();
    let required = body.required_scopes.unwrap_or_default();
    let status = service
        .introspect_token(&caller, &body.token, &required)
        .await?;
    let latency_ms = started.elapsed().as_millis() as u64;
    Ok(Json(match status {
        TokenStatus::Inactive(why) => json!({
            "active": false,
            "valid": false,
            "scopes": [],
            "reasoning": why,
            "guard_tier": "fast",
            "confidence": 1.0,
            "latency_ms": latency_ms,
        }),
        TokenStatus::Active(t) => json!({
            "active": true,
            "valid": true,
            "agent_id": t.agent_id,
            "org_id": t.org_id,
            "scopes": t.scopes,
            "session_id": t.session_id,
            "expires_at": ts(t.expires_at),
            "reasoning": "Token valid, scopes sufficient",
            "guard_tier": "fast",
            "confidence": 1.0,
            "latency_ms": latency_ms,
        }),
    }))
}

#[derive(Deserialize)]
pub struct RevokeBody {
    #[serde(default)]
    token: String,
    #[serde(default)]
    reason: Option<String>,
}

pub async fn revoke(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<RevokeBody>,
) -> Result<Json<Value>, ApiError> {
    let revoked = service
        .revoke_token(&caller, &body.token, body.reason.as_deref())
        .await?;
    Ok(Json(json!({"revoked": revoked})))
}
