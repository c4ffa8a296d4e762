use axum::Json;
use axum::extract::State;

use crate::params::{Path, Query};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Map, Value, json};

use airlock_store::model::ts;

use super::openapi::{Errors, answers};
use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::view;
use utoipa::IntoParams;
use utoipa::ToSchema;

#[utoipa::path(
    get,
    path = "/mcp/approvals/{id}",
    tag = "approvals",
    params(("id" = String, Path, description = "The approval id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The approval; `input` with an admin key only", body = answers::Approval), Errors)
)]
pub async fn get(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let a = service.approval(&caller, &id).await?;
    // The whole input is for the people who decide (admin keys); agent keys see the rest.
    if caller.role == crate::auth::KeyRole::Admin {
        Ok(Json(view::approval_detail(&a, Utc::now())))
    } else {
        Ok(Json(view::approval(&a, Utc::now())))
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    status: Option<String>,
    session_id: Option<String>,
    limit: Option<u64>,
}

#[utoipa::path(
    get,
    path = "/mcp/approvals",
    tag = "approvals",
    params(ListQuery),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "Approvals, oldest first", body = answers::ApprovalList), Errors)
)]
pub async fn list(
    State(service): State<Service>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let now = Utc::now();
    let approvals = service
        .approvals(
            &caller,
            q.status.as_deref(),
            q.session_id.as_deref(),
            q.limit,
            now,
        )
        .await?;
    Ok(Json(
        json!({"approvals": approvals.iter().map(|a| view::approval(a, now)).collect::<Vec<_>>()}),
    ))
}

#[derive(Deserialize, Default, ToSchema)]
pub struct DecideBody {
    #[serde(default)]
    decided_by: Option<String>,
    #[serde(default)]
    note: Option<String>,
}

async fn decide(
    service: Service,
    caller: Caller,
    id: String,
    body: DecideBody,
    approve: bool,
) -> Result<Json<Value>, ApiError> {
    let d = service
        .decide_approval(
            &caller,
            &id,
            body.decided_by.as_deref(),
            body.note.as_deref(),
            approve,
        )
        .await?;
    let mut body = Map::new();
    body.insert("status".into(), json!(d.approval.status));
    body.insert("approval".into(), view::approval(&d.approval, d.decided_at));
    if let Some(u) = d.elevated_until {
        body.insert("elevated_until".into(), json!(ts(u)));
    }
    Ok(Json(Value::Object(body)))
}

#[utoipa::path(
    post,
    path = "/mcp/approvals/{id}/approve",
    tag = "approvals",
    params(("id" = String, Path, description = "The approval id")),
    request_body = DecideBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The approved approval", body = answers::DecidedApproval), Errors)
)]
pub async fn approve(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<DecideBody>,
) -> Result<Json<Value>, ApiError> {
    decide(service, caller, id, body, true).await
}

#[utoipa::path(
    post,
    path = "/mcp/approvals/{id}/deny",
    tag = "approvals",
    params(("id" = String, Path, description = "The approval id")),
    request_body = DecideBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The denied approval", body = answers::DecidedApproval), Errors)
)]
pub async fn deny(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<DecideBody>,
) -> Result<Json<Value>, ApiError> {
    decide(service, caller, id, body, false).await
}
