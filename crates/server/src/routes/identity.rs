//! Identity routes (docs/identity.md): proof-of-possession challenges, WIMSE tokens, agent
//! key rotation and the organization's security settings. The DPoP side of the check is in
//! `check.rs`, through [`proof_of`].

#![allow(dead_code)] // the answer schemas are described, never built

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::openapi::Errors;
use crate::Service;
use crate::auth::{Caller, KEY_PREFIX};
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::params::Path;
use crate::service::ServiceError;
use crate::service::identity::{CallProof, PopProof, SecurityAnswer, SecurityUpdate, WimseRequest};
use crate::view;
use airlock_store::model::ts;

/// The WIMSE token and DPoP proof a request carries, if it carries either: `Authorization:
/// Bearer <JWT>` (or `DPoP <JWT>`) and `DPoP: <proof>`. An API key as a bearer is not a
/// token. One without the other is refused.
pub fn proof_of(headers: &HeaderMap) -> Result<Option<CallProof>, ServiceError> {
    let token = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("dpop")
        })
        .map(|(_, t)| t.trim())
        .filter(|t| !t.starts_with(KEY_PREFIX) && t.split('.').count() == 3);
    let proof = headers.get("dpop");
    match (token, proof) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(ServiceError::Unauthenticated(
            "a WIMSE token on a check needs a DPoP proof (DPoP header)".into(),
        )),
        (None, Some(_)) => Err(ServiceError::Unauthenticated(
            "a DPoP proof needs the WIMSE token it is bound to (Authorization: Bearer)".into(),
        )),
        (Some(token), Some(proof)) => {
            let proof = proof.to_str().map_err(|_| {
                ServiceError::Unauthenticated("DPoP proof: not printable text".into())
            })?;
            Ok(Some(CallProof {
                token: token.to_string(),
                proof: proof.trim().to_string(),
            }))
        }
    }
}

#[derive(serde::Serialize, ToSchema)]
pub struct ChallengeAnswer {
    /// Single use; sign `pop-v1:<nonce>:<agent id>:<audience>:<ts>` with the agent's key.
    nonce: String,
    agent_id: String,
    #[schema(format = DateTime)]
    expires_at: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/agents/{id}/challenge",
    tag = "identity",
    params(("id" = String, Path, description = "The agent id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "A single-use proof-of-possession nonce", body = ChallengeAnswer), Errors)
)]
pub async fn challenge(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let c = service.pop_challenge(&caller, &id).await?;
    Ok(Json(json!({
        "nonce": c.nonce,
        "agent_id": c.agent_id,
        "expires_at": ts(c.expires_at),
    })))
}

#[derive(Deserialize, ToSchema)]
pub struct WimseTokenBody {
    #[serde(default)]
    agent_id: String,
    #[serde(default)]
    service_name: Option<String>,
    #[serde(default)]
    environment: Option<String>,
    /// Seconds, 1 to 3600 (default 900).
    #[serde(default)]
    ttl_seconds: Option<u64>,
    #[serde(default)]
    audience: Option<Vec<String>>,
    #[serde(default)]
    proof: Option<PopProof>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct WimseTokenAnswer {
    /// An EdDSA JWT (`typ` wit+jwt).
    token: String,
    token_type: String,
    agent_id: String,
    workload_id: String,
    trust_domain: String,
    /// Whether the token is bound to the agent's key (`cnf.jkt`).
    bound: bool,
    #[schema(format = DateTime)]
    issued_at: String,
    #[schema(format = DateTime)]
    expires_at: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/wimse/token",
    tag = "identity",
    request_body = WimseTokenBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "A WIMSE workload token", body = WimseTokenAnswer), Errors)
)]
pub async fn wimse_token(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<WimseTokenBody>,
) -> Result<Json<Value>, ApiError> {
    let issued = service
        .issue_wimse(
            &caller,
            WimseRequest {
                agent_id: body.agent_id,
                service_name: body.service_name,
                environment: body.environment,
                ttl_seconds: body.ttl_seconds,
                audience: body.audience.unwrap_or_default(),
                proof: body.proof,
            },
        )
        .await?;
    Ok(Json(json!({
        "token": issued.token,
        "token_type": "Bearer",
        "agent_id": issued.agent_id,
        "workload_id": issued.workload_id,
        "trust_domain": issued.trust_domain,
        "bound": issued.jkt.is_some(),
        "issued_at": ts(issued.issued_at),
        "expires_at": ts(issued.expires_at),
    })))
}

#[derive(Deserialize, ToSchema)]
pub struct WimseVerifyBody {
    #[serde(default)]
    token: String,
    #[serde(default)]
    trust_domain_filter: Option<String>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct WimseVerifyAnswer {
    valid: bool,
    agent_id: Option<String>,
    workload_id: Option<String>,
    trust_domain: Option<String>,
    capabilities: Vec<String>,
    /// Why it is not valid.
    reason: Option<String>,
    #[schema(format = DateTime)]
    expires_at: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/wimse/verify",
    tag = "identity",
    request_body = WimseVerifyBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "Whether the token is valid now, and for whom", body = WimseVerifyAnswer), Errors)
)]
pub async fn wimse_verify(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<WimseVerifyBody>,
) -> Result<Json<Value>, ApiError> {
    let v = service
        .verify_wimse(&caller, &body.token, body.trust_domain_filter.as_deref())
        .await?;
    Ok(Json(json!({
        "valid": v.valid,
        "agent_id": v.agent_id,
        "workload_id": v.workload_id,
        "trust_domain": v.trust_domain,
        "capabilities": v.capabilities,
        "reason": v.reason,
        "expires_at": v.expires_at.map(ts),
    })))
}

#[derive(Deserialize, ToSchema)]
pub struct RotateKeyBody {
    /// The agent's new Ed25519 public key, PEM (`-----BEGIN PUBLIC KEY-----`).
    #[serde(default)]
    public_key: String,
}

#[utoipa::path(
    put,
    path = "/api/v1/agents/{id}/public-key",
    tag = "identity",
    params(("id" = String, Path, description = "The agent id")),
    request_body = RotateKeyBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The agent with its new key; tokens bound to the old key stop working", body = super::openapi::answers::Agent), Errors)
)]
pub async fn rotate_key(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<RotateKeyBody>,
) -> Result<Json<Value>, ApiError> {
    let agent = service
        .rotate_agent_key(&caller, &id, &body.public_key)
        .await?;
    Ok(Json(view::agent(&agent)))
}

#[derive(Deserialize, ToSchema)]
pub struct SecurityBody {
    #[serde(default)]
    require_proof_of_possession: Option<bool>,
    #[serde(default)]
    require_sender_constrained_tokens: Option<bool>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct SecurityAnswerBody {
    require_proof_of_possession: bool,
    require_sender_constrained_tokens: bool,
    #[schema(format = DateTime)]
    updated_at: Option<String>,
}

fn security_json((s, updated): SecurityAnswer) -> Json<Value> {
    Json(json!({
        "require_proof_of_possession": s.require_proof_of_possession,
        "require_sender_constrained_tokens": s.require_sender_constrained_tokens,
        "updated_at": updated.map(ts),
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/orgs/security-settings",
    tag = "identity",
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The organization's security settings", body = SecurityAnswerBody), Errors)
)]
pub async fn get_security(
    State(service): State<Service>,
    caller: Caller,
) -> Result<Json<Value>, ApiError> {
    Ok(security_json(service.security_settings(&caller).await?))
}

#[utoipa::path(
    put,
    path = "/api/v1/orgs/security-settings",
    tag = "identity",
    request_body = SecurityBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The settings as changed (absent fields keep their value)", body = SecurityAnswerBody), Errors)
)]
pub async fn put_security(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<SecurityBody>,
) -> Result<Json<Value>, ApiError> {
    let update = SecurityUpdate {
        require_proof_of_possession: body.require_proof_of_possession,
        require_sender_constrained_tokens: body.require_sender_constrained_tokens,
    };
    Ok(security_json(
        service.put_security_settings(&caller, update).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct ApiSessionBody {
    /// An agent token (`at_…`) or a WIMSE token of this server.
    #[serde(default)]
    token: String,
}

#[utoipa::path(
    post,
    path = "/api/v1/agenttrust/api-sessions/init",
    tag = "sessions",
    request_body = ApiSessionBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 201, description = "A session (`source: api`) whose ceiling is the token's scopes the agent's capabilities allow", body = super::openapi::answers::Session), Errors)
)]
pub async fn api_session(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<ApiSessionBody>,
) -> Result<(axum::http::StatusCode, Json<Value>), ApiError> {
    let session = service.open_api_session(&caller, &body.token).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(view::session(&session, chrono::Utc::now())),
    ))
}
