use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use airlock_store::model::ts;

use super::openapi::{Errors, answers};
use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::{TokenRequest, TokenStatus};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
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

#[utoipa::path(
    post,
    path = "/api/v1/agent-tokens/issue",
    tag = "tokens",
    request_body = IssueBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 201, description = "The token, shown once", body = answers::IssuedToken), Errors)
)]
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

#[derive(Deserialize, ToSchema)]
pub struct IntrospectBody {
    #[serde(default)]
    token: String,
    #[serde(default)]
    required_scopes: Option<Vec<String>>,
}

#[utoipa::path(
    post,
    path = "/api/v1/agent-tokens/introspect",
    tag = "tokens",
    request_body = IntrospectBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "Whether the token is active with the scopes", body = answers::Introspection), Errors)
)]
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

/// `POST /api/v1/agent-tokens/verify`: introspection under its other name.
#[utoipa::path(
    post,
    path = "/api/v1/agent-tokens/verify",
    tag = "tokens",
    request_body = IntrospectBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "Whether the token is active with the scopes", body = answers::Introspection), Errors)
)]
pub async fn verify(
    state: State<Service>,
    caller: Caller,
    body: JsonBody<IntrospectBody>,
) -> Result<Json<Value>, ApiError> {
    introspect(state, caller, body).await
}

#[derive(Deserialize, ToSchema)]
pub struct RevokeBody {
    #[serde(default)]
    token: String,
    #[serde(default)]
    reason: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/agent-tokens/revoke",
    tag = "tokens",
    request_body = RevokeBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "Whether a token was revoked", body = answers::TokenRevoked), Errors)
)]
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
