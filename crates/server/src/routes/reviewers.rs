//! `GET`/`PUT /api/v1/reviewers`: the organization's Deep-tier reviewers, in order.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use super::openapi::{Errors, answers};
use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct PutReviewers {
    #[serde(default)]
    reviewers: Value,
}

#[utoipa::path(
    get,
    path = "/api/v1/reviewers",
    tag = "reviewers",
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The Deep tier's reviewers, in order", body = answers::Reviewers), Errors)
)]
pub async fn get(State(service): State<Service>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let list = service.reviewers(&caller).await?;
    Ok(Json(json!({ "reviewers": list })))
}

#[utoipa::path(
    put,
    path = "/api/v1/reviewers",
    tag = "reviewers",
    request_body = PutReviewers,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The reviewers as saved", body = answers::Reviewers), Errors)
)]
pub async fn put(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<PutReviewers>,
) -> Result<Json<Value>, ApiError> {
    let list = service.set_reviewers(&caller, &body.reviewers).await?;
    Ok(Json(json!({ "reviewers": list })))
}
