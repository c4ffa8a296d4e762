//! Spot Guard policies: `/api/v1/policies` (docs/policies.md).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use serde::Deserialize;
use serde_json::{Value, json};

use airlock_store::model::{Policy, PolicyVersion};

use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::{NewPolicy, PolicyUpdate};

#[derive(Deserialize)]
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

#[derive(Deserialize)]
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

pub async fn schema(State(service): State<Service>, _caller: Caller) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        service.policy_schema(),
    )
}

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

pub async fn list(State(service): State<Service>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let policies = service.policies(&caller).await?;
    Ok(Json(
        json!({"policies": policies.iter().map(policy_json).collect::<Vec<_>>()}),
    ))
}

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

pub async fn delete(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    service.delete_policy(&caller, &id).await?;
    Ok(Json(json!({"deleted": true, "id": id})))
}
