//! Delegation routes (docs/delegations.md): create, list, get and revoke delegations between
//! agents, and open a delegated session (`source: "a2a"`) under one.

#![allow(dead_code)] // the answer schemas are described, never built

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::openapi::{Errors, answers};
use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::params::Path;
use crate::service::delegations::NewDelegation;
use crate::view;
use airlock_store::delegations::Delegation;
use airlock_store::model::ts;

/// A delegation as the SDKs parse it. `delegation_chain` lists the hops above it, root first.
fn delegation_json(d: &Delegation) -> Value {
    let mut chain = d.hops();
    chain.pop();
    json!({
        "id": d.id,
        "from_agent_id": d.from_agent_id,
        "to_agent_id": d.to_agent_id,
        "org_id": d.org_id,
        "scope": d.scope,
        "restrictions": d.restrictions,
        "delegation_chain": chain,
        "parent_delegation_id": d.parent_id,
        "depth": d.depth,
        "token_hash": d.token_hash,
        "expires_at": ts(d.expires_at),
        "created_at": ts(d.created_at),
        "revoked_at": d.revoked_at.map(ts),
    })
}

#[derive(serde::Serialize, ToSchema)]
pub struct DelegationAnswer {
    id: String,
    from_agent_id: String,
    to_agent_id: String,
    org_id: String,
    /// Capability patterns the receiving agent may use, within its own capabilities.
    scope: Vec<String>,
    /// Always `{}`: restrictions are not enforced, so none are accepted.
    restrictions: Value,
    /// The ids of the delegations above this one, root first (empty for a root).
    delegation_chain: Vec<String>,
    parent_delegation_id: Option<String>,
    /// 1 for a root; at most 5.
    depth: u64,
    /// Hex SHA-256 of a random token minted for the delegation.
    token_hash: String,
    /// Never after the parent's expiry (a longer time to live is clamped to it).
    #[schema(format = DateTime)]
    expires_at: String,
    #[schema(format = DateTime)]
    created_at: String,
    /// Set by a revocation of this delegation, of one above it or of an agent in its chain.
    #[schema(format = DateTime)]
    revoked_at: Option<String>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct DelegationWrapped {
    delegation: DelegationAnswer,
}

#[derive(serde::Serialize, ToSchema)]
pub struct DelegationList {
    delegations: Vec<DelegationAnswer>,
}

#[derive(Deserialize, ToSchema)]
pub struct DelegationBody {
    #[serde(default)]
    from_agent_id: String,
    #[serde(default)]
    to_agent_id: String,
    /// At least one and at most 64 capability patterns (`db.query.read`, `db.*`).
    #[serde(default)]
    scope: Vec<String>,
    /// Default 3600, at most 2592000 (30 days); clamped to the parent's expiry.
    #[serde(default)]
    ttl_seconds: Option<i64>,
    /// Only `{}` (or absent) is accepted.
    #[serde(default)]
    restrictions: Option<Value>,
    /// The delegation this one narrows; its `to_agent_id` must be `from_agent_id`.
    #[serde(default)]
    parent_delegation_id: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/delegations",
    tag = "delegations",
    request_body = DelegationBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 201, description = "The delegation", body = DelegationWrapped), Errors)
)]
pub async fn create(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<DelegationBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let d = service
        .create_delegation(
            &caller,
            NewDelegation {
                from_agent_id: body.from_agent_id,
                to_agent_id: body.to_agent_id,
                scope: body.scope,
                ttl_seconds: body.ttl_seconds,
                restrictions: body.restrictions,
                parent_delegation_id: body.parent_delegation_id,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"delegation": delegation_json(&d)})),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/delegations",
    tag = "delegations",
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The organization's delegations, oldest first (at most 1000)", body = DelegationList), Errors)
)]
pub async fn list(State(service): State<Service>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let all = service.delegations(&caller).await?;
    Ok(Json(
        json!({"delegations": all.iter().map(delegation_json).collect::<Vec<_>>()}),
    ))
}

/// The delegation itself, unwrapped: the Rust SDK's `delegations().get` parses it so.
#[utoipa::path(
    get,
    path = "/api/v1/delegations/{id}",
    tag = "delegations",
    params(("id" = String, Path, description = "The delegation id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The delegation", body = DelegationAnswer), Errors)
)]
pub async fn get(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let d = service.delegation(&caller, &id).await?;
    Ok(Json(delegation_json(&d)))
}

#[utoipa::path(
    delete,
    path = "/api/v1/delegations/{id}",
    tag = "delegations",
    params(("id" = String, Path, description = "The delegation id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "Revoked, with every delegation and delegated session below it", body = DelegationWrapped), Errors)
)]
pub async fn revoke(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let d = service.revoke_delegation(&caller, &id).await?;
    Ok(Json(json!({"delegation": delegation_json(&d)})))
}

#[utoipa::path(
    post,
    path = "/api/v1/delegations/{id}/session",
    tag = "delegations",
    params(("id" = String, Path, description = "The delegation id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 201, description = "A delegated session (`source: a2a`) of the receiving agent; its ceiling is the delegation's scope ∩ the agent's capabilities", body = answers::Session), Errors)
)]
pub async fn session(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (session, d) = service.open_delegated_session(&caller, &id).await?;
    let mut answer = view::session(&session, Utc::now());
    if let Some(fields) = answer.as_object_mut() {
        fields.insert("delegation_id".into(), d.id.into());
    }
    Ok((StatusCode::CREATED, Json(answer)))
}
