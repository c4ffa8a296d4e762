//! `GET`/`PUT /api/v1/reviewers`: the organization's Deep-tier reviewers, in order.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;

#[derive(Deserialize)]
pub struct PutReviewers {
    #[serde(default)]
    reviewers: Value,
}

pub async fn get(State(service): State<Service>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let list = service.reviewers(&caller).await?;
    Ok(Json(json!({ "reviewers": list })))
}

pub async fn put(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<PutReviewers>,
) -> Result<Json<Value>, ApiError> {
    let list = service.set_reviewers(&caller, &body.reviewers).await?;
    Ok(Json(json!({ "reviewers": list })))
}
