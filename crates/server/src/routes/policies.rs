//! Spot Guard policies: `/api/v1/policies` (docs/policies.md).

use axum::Json;
use axum::extract::State;

use crate::params::Path;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Value, json};

use airlock_store::model::{Policy, PolicyVersion};

use super::openapi::{Errors, answers};
use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::{NewPolicy, PolicyUpdate};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct CreatePolicy {
    #[serde(default)]
    id: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    mode: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct UpdatePolicy {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    text: Option<String>,
    #[serde(default)]
    mode: Option<String>,
}

fn ts(t: chrono::DateTime<chrono::Utc>) -> String {
    airlock_store::model::ts(t)
}

pub fn policy_json(p: &Policy) -> Value {
    json!({
        "id": p.id,
        "description": p.description,
        "text": p.text,
        "mode": p.mode,
        "version": p.version,
        "created_at": ts(p.created_at),
        "updated_at": ts(p.updated_at),
        "updated_by": p.updated_by,
    })
}

fn version_json(v: &PolicyVersion) -> Value {
    json!({
        "version": v.version,
        "change": v.change,
        "description": v.description,
        "text": v.text,
        "mode": v.mode,
        "changed_by": v.changed_by,
        "changed_at": ts(v.changed_at),
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/policies/schema",
    tag = "policies",
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The Cedar schema policies are validated against", content_type = "text/plain", body = String), Errors)
)]
pub async fn schema(State(service): State<Service>, _caller: Caller) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        service.policy_schema(),
    )
}

#[utoipa::path(
    post,
    path = "/api/v1/policies",
    tag = "policies",
    request_body = CreatePolicy,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 201, description = "The policy, version 1", body = answers::Policy), Errors)
)]
pub async fn create(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<CreatePolicy>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let new = NewPolicy {
        id: body.id,
        description: body.description,
        text: body.text,
        mode: body.mode,
    };
    let policy = service.create_policy(&caller, new).await?;
    Ok((StatusCode::CREATED, Json(policy_json(&policy))))
}

#[utoipa::path(
    get,
    path = "/api/v1/policies",
    tag = "policies",
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The organization's policies", body = answers::PolicyList), Errors)
)]
pub async fn list(State(service): State<Service>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let policies = service.policies(&caller).await?;
    Ok(Json(
        json!({"policies": policies.iter().map(policy_json).collect::<Vec<_>>()}),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/policies/{id}",
    tag = "policies",
    params(("id" = String, Path, description = "The policy id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The policy with its versions", body = answers::PolicyDetail), Errors)
)]
pub async fn get(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let detail = service.policy(&caller, &id).await?;
    let mut out = policy_json(&detail.policy);
    if let Some(o) = out.as_object_mut() {
        o.insert(
            "versions".into(),
            detail.versions.iter().map(version_json).collect(),
        );
    }
    Ok(Json(out))
}

#[utoipa::path(
    put,
    path = "/api/v1/policies/{id}",
    tag = "policies",
    params(("id" = String, Path, description = "The policy id")),
    request_body = UpdatePolicy,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The policy at its new version", body = answers::Policy), Errors)
)]
pub async fn update(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<UpdatePolicy>,
) -> Result<Json<Value>, ApiError> {
    let update = PolicyUpdate {
        description: body.description,
        text: body.text,
        mode: body.mode,
    };
    Ok(Json(policy_json(
        &service.update_policy(&caller, &id, update).await?,
    )))
}

#[utoipa::path(
    delete,
    path = "/api/v1/policies/{id}",
    tag = "policies",
    params(("id" = String, Path, description = "The policy id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "Deleted", body = answers::Deleted), Errors)
)]
pub async fn delete(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    service.delete_policy(&caller, &id).await?;
    Ok(Json(json!({"deleted": true, "id": id})))
}
