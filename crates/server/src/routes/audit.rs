use axum::Json;
use axum::extract::State;

use crate::params::{Path, Query};
use serde::Deserialize;
use serde_json::{Value, json};

use super::openapi::{Errors, answers};
use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::ReportedEvent;
use crate::view;
use utoipa::IntoParams;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct TelemetryBody {
    #[serde(default)]
    agent_id: String,
    #[serde(default)]
    session_id: Option<String>,
    #[serde(default)]
    events: Vec<EventBody>,
}

#[derive(Deserialize, ToSchema)]
pub struct EventBody {
    #[serde(default)]
    event_type: String,
    #[serde(default)]
    tool_name: Option<String>,
    #[serde(default)]
    duration_ms: Option<f64>,
    #[serde(default)]
    success: Option<bool>,
    #[serde(default)]
    error_type: Option<String>,
    #[serde(default)]
    timestamp: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/telemetry/report",
    tag = "audit",
    request_body = TelemetryBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "How many events were kept", body = answers::TelemetryAnswer), Errors)
)]
pub async fn telemetry(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<TelemetryBody>,
) -> Result<Json<Value>, ApiError> {
    let events = body
        .events
        .into_iter()
        .map(|e| ReportedEvent {
            event_type: e.event_type,
            tool_name: e.tool_name,
            duration_ms: e.duration_ms,
            success: e.success,
            error_type: e.error_type,
            timestamp: e.timestamp,
        })
        .collect();
    let n = service
        .report_telemetry(&caller, &body.agent_id, body.session_id, events)
        .await?;
    Ok(Json(json!({"accepted": true, "events_processed": n})))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DecisionsQuery {
    after: Option<u64>,
    limit: Option<u64>,
}

#[utoipa::path(
    get,
    path = "/api/v1/sessions/{id}/decisions",
    tag = "audit",
    params(("id" = String, Path, description = "The session id"), DecisionsQuery),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The session's decisions, oldest first", body = answers::DecisionLog), Errors)
)]
pub async fn decisions(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<DecisionsQuery>,
) -> Result<Json<Value>, ApiError> {
    let log = service.decisions(&caller, &id, q.after, q.limit).await?;
    Ok(Json(json!({
        "session_id": log.session_id,
        "head": log.head,
        "total_calls": log.total_calls,
        "decisions": log.decisions.iter().map(view::decision).collect::<Vec<_>>(),
    })))
}

#[utoipa::path(
    get,
    path = "/api/v1/sessions/{id}/verify",
    tag = "audit",
    params(("id" = String, Path, description = "The session id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The replayed chain", body = answers::Verification), Errors)
)]
pub async fn verify(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let v = service.verify_chain(&caller, &id).await?;
    Ok(Json(
        serde_json::to_value(&v).unwrap_or_else(|_| json!({"valid": false})),
    ))
}

/// The audit public keys, current and old: public material, served without authentication
/// so that a tool server can verify receipts with no Airlock key (docs/audit.md).
#[utoipa::path(
    get,
    path = "/api/v1/audit/public-key",
    tag = "audit",
    responses((status = 200, description = "The Ed25519 keys that sign receipts and checkpoints", body = answers::AuditPublicKeys))
)]
pub async fn public_keys(State(service): State<Service>) -> Json<Value> {
    Json(json!({ "keys": service.audit_trail().keys().public_keys() }))
}
