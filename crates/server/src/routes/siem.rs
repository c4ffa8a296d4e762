//! `/api/v1/siem/destinations`: where an organization's decisions are streamed (AgentTrust
//! ID wire API §2.13; admin keys only). The auth token is write-only: answers show it masked.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use airlock_store::model::ts;

use super::openapi::{Errors, answers};
use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::params::Path;
use crate::service::siem::{SiemDelivery, SiemDestination, masked_token};
use crate::service::{DestinationUpdate, NewDestination};

#[derive(Deserialize, ToSchema)]
pub struct CreateDestination {
    #[serde(default)]
    name: String,
    #[serde(default)]
    destination_type: String,
    #[serde(default)]
    endpoint_url: String,
    #[serde(default)]
    auth_token: Option<String>,
    #[serde(default)]
    batch_size: Option<u64>,
    #[serde(default)]
    flush_interval_seconds: Option<u64>,
    #[serde(default)]
    filter_event_types: Option<Vec<String>>,
}

#[derive(Deserialize, ToSchema)]
pub struct UpdateDestination {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    endpoint_url: Option<String>,
    #[serde(default)]
    auth_token: Option<String>,
    #[serde(default)]
    is_active: Option<bool>,
    #[serde(default)]
    batch_size: Option<u64>,
    #[serde(default)]
    flush_interval_seconds: Option<u64>,
    #[serde(default)]
    filter_event_types: Option<Vec<String>>,
}

fn view(d: &SiemDestination) -> Value {
    json!({
        "id": d.id,
        "org_id": d.org_id,
        "name": d.name,
        "destination_type": d.destination_type,
        "endpoint_url": d.endpoint_url,
        "auth_token": masked_token(d),
        "is_active": d.is_active,
        "batch_size": d.batch_size,
        "flush_interval_seconds": d.flush_interval_seconds,
        "filter_event_types": d.filter_event_types,
        "created_at": ts(d.created_at),
        "updated_at": ts(d.updated_at),
    })
}

fn log_view(l: &SiemDelivery) -> Value {
    json!({
        "id": l.id,
        "destination_id": l.destination_id,
        "batch_size": l.batch_size,
        "status": l.status,
        "status_code": l.status_code,
        "error_message": l.error_message,
        "delivered_at": ts(l.delivered_at),
    })
}

#[utoipa::path(
    post,
    path = "/api/v1/siem/destinations",
    tag = "siem",
    request_body = CreateDestination,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 201, description = "The destination (the token masked)", body = answers::SiemDestination), Errors)
)]
pub async fn create(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<CreateDestination>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let new = NewDestination {
        name: body.name,
        destination_type: body.destination_type,
        endpoint_url: body.endpoint_url,
        auth_token: body.auth_token,
        batch_size: body.batch_size,
        flush_interval_seconds: body.flush_interval_seconds,
        filter_event_types: body.filter_event_types,
    };
    let d = service.create_siem_destination(&caller, new).await?;
    Ok((StatusCode::CREATED, Json(view(&d))))
}

#[utoipa::path(
    get,
    path = "/api/v1/siem/destinations",
    tag = "siem",
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The organization's destinations", body = answers::SiemDestinationList), Errors)
)]
pub async fn list(State(service): State<Service>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let all = service.siem_destinations(&caller).await?;
    Ok(Json(json!({
        "destinations": all.iter().map(view).collect::<Vec<_>>(),
        "total": all.len(),
    })))
}

#[utoipa::path(
    get,
    path = "/api/v1/siem/destinations/{id}",
    tag = "siem",
    params(("id" = String, Path, description = "The destination id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The destination (the token masked)", body = answers::SiemDestination), Errors)
)]
pub async fn get(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let d = service.siem_destination(&caller, &id).await?;
    Ok(Json(view(&d)))
}

#[utoipa::path(
    put,
    path = "/api/v1/siem/destinations/{id}",
    tag = "siem",
    params(("id" = String, Path, description = "The destination id")),
    request_body = UpdateDestination,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The destination as updated (the token masked)", body = answers::SiemDestination), Errors)
)]
pub async fn update(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<UpdateDestination>,
) -> Result<Json<Value>, ApiError> {
    let update = DestinationUpdate {
        name: body.name,
        endpoint_url: body.endpoint_url,
        auth_token: body.auth_token,
        is_active: body.is_active,
        batch_size: body.batch_size,
        flush_interval_seconds: body.flush_interval_seconds,
        filter_event_types: body.filter_event_types,
    };
    let d = service
        .update_siem_destination(&caller, &id, update)
        .await?;
    Ok(Json(view(&d)))
}

#[utoipa::path(
    delete,
    path = "/api/v1/siem/destinations/{id}",
    tag = "siem",
    params(("id" = String, Path, description = "The destination id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "Deleted", body = answers::Deleted), Errors)
)]
pub async fn delete(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    service.delete_siem_destination(&caller, &id).await?;
    Ok(Json(json!({"deleted": true, "id": id})))
}

#[utoipa::path(
    get,
    path = "/api/v1/siem/destinations/{id}/logs",
    tag = "siem",
    params(("id" = String, Path, description = "The destination id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The destination's recent deliveries, newest first", body = answers::SiemDeliveryLogs), Errors)
)]
pub async fn logs(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let logs = service.siem_delivery_logs(&caller, &id).await?;
    Ok(Json(json!({
        "logs": logs.iter().map(log_view).collect::<Vec<_>>(),
        "total": logs.len(),
    })))
}

#[utoipa::path(
    post,
    path = "/api/v1/siem/destinations/{id}/test",
    tag = "siem",
    params(("id" = String, Path, description = "The destination id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The outcome of one synthetic event sent now", body = answers::SiemTestAnswer), Errors)
)]
/// No body: the SDK posts none.
pub async fn test(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let t = service.test_siem_destination(&caller, &id).await?;
    Ok(Json(json!({
        "destination_id": id,
        "success": t.success,
        "status": if t.success { "success" } else { "failed" },
        "status_code": t.status_code,
        "error_message": t.error_message,
    })))
}
