//! Agent card management (docs/a2a.md): generate, read and publish an agent's signed A2A
//! card. The public discovery route is in `a2a.rs`.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::a2a::AgentCardAnswer;
use super::openapi::Errors;
use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::params::Path;
use crate::service::a2a::cards::CardInput;

/// What a card says besides the agent's registration; every field is optional and the SDKs
/// send none.
#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct GenerateCard {
    description: Option<String>,
    version: Option<String>,
    /// The agent's own A2A endpoint (JSON-RPC `message/send`); the gateway forwards allowed
    /// messages there. Absent: the registration's `metadata.a2a_url`, else none (the card
    /// names the gateway and tasks stay in Airlock's store).
    url: Option<String>,
    /// `[{id, name, description?, tags[]?}]`; absent: one skill per capability.
    #[schema(value_type = Option<Vec<Object>>)]
    skills: Option<Vec<Value>>,
    #[serde(rename = "documentationUrl")]
    documentation_url: Option<String>,
    #[serde(rename = "iconUrl")]
    icon_url: Option<String>,
}

/// This server's origin as the caller reached it: `--public-url` when set, else the request's
/// `Host` (with `X-Forwarded-Proto` `https` behind a TLS-terminating proxy).
fn base_url(service: &Service, headers: &HeaderMap) -> Result<String, ApiError> {
    if let Some(u) = &service.config().public_url {
        return Ok(u.trim_end_matches('/').to_string());
    }
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::trim)
        .filter(|h| {
            !h.is_empty()
                && h.len() <= 255
                && h.bytes().all(|c| {
                    c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b':' | b'[' | b']')
                })
        })
        .ok_or_else(|| ApiError::invalid("a `Host` header naming this server is required"))?;
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    Ok(format!("{}://{host}", if https { "https" } else { "http" }))
}

#[utoipa::path(
    post,
    path = "/api/v1/agents/{id}/card",
    tag = "agent_cards",
    request_body = GenerateCard,
    params(("id" = String, Path, description = "The agent id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The generated, signed card (not yet public unless it was published before)", body = AgentCardAnswer), Errors)
)]
pub async fn generate(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<GenerateCard>,
) -> Result<Json<Value>, ApiError> {
    let base = base_url(&service, &headers)?;
    let input = CardInput {
        description: body.description,
        version: body.version,
        endpoint_url: body.url,
        skills: body.skills,
        documentation_url: body.documentation_url,
        icon_url: body.icon_url,
    };
    Ok(Json(
        service
            .generate_agent_card(&caller, &id, &base, input)
            .await?,
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/agents/{id}/card",
    tag = "agent_cards",
    params(("id" = String, Path, description = "The agent id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The agent's card", body = AgentCardAnswer), Errors)
)]
pub async fn get(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(service.agent_card(&caller, &id).await?))
}

#[utoipa::path(
    put,
    path = "/api/v1/agents/{id}/card/publish",
    tag = "agent_cards",
    params(("id" = String, Path, description = "The agent id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The published card, now served at /a2a/agents/{id}/agent.json", body = AgentCardAnswer), Errors)
)]
pub async fn publish(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    Ok(Json(service.publish_agent_card(&caller, &id).await?))
}
