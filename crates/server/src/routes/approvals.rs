use axum::Json;
use axum::extract::{Path, Query, State};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

use airlock_core::session::elevation_deadline;
use airlock_store::model::ts;

use crate::AppState;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::validate;
use crate::view;

pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let org = caller.org_id.clone();
    let key = id.clone();
    let approval = state.store.run(move |tx| tx.approval(&org, &key)).await?;
    approval
        .map(|a| Json(view::approval(&a, Utc::now())))
        .ok_or_else(|| ApiError::not_found("approval", &id))
}

#[derive(Deserialize)]
pub struct ListQuery {
    status: Option<String>,
    limit: Option<u64>,
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ListQuery>,
) -> Result<Json<Value>, ApiError> {
    let status = q.status.filter(|s| !s.is_empty());
    if let Some(s) = &status
        && !["pending", "approved", "denied", "expired", "used"].contains(&s.as_str())
    {
        return Err(ApiError::invalid(
            "`status` must be pending, approved, denied, expired or used",
        ));
    }
    let limit = q.limit.unwrap_or(100).clamp(1, 1000);
    let org = caller.org_id.clone();
    let now = Utc::now();
    let approvals = state
        .store
        .run(move |tx| tx.list_approvals(&org, status.as_deref(), now, limit))
        .await?;
    Ok(Json(
        json!({"approvals": approvals.iter().map(|a| view::approval(a, now)).collect::<Vec<_>>()}),
    ))
}

#[derive(Deserialize, Default)]
pub struct DecideBody {
    #[serde(default)]
    decided_by: Option<String>,
}

enum DecideError {
    Missing,
    NotPending(String),
}

async fn decide(
    state: AppState,
    caller: Caller,
    id: String,
    by: Option<String>,
    approve: bool,
) -> Result<Json<Value>, ApiError> {
    caller.require_admin("decide approvals")?;
    let by = by.unwrap_or_else(|| "api".into());
    let by = validate::optional_text("decided_by", by.trim(), validate::MAX_NAME)?.to_string();
    let org = caller.org_id.clone();
    let key = id.clone();
    let window = state.config.elevation_window_secs;
    let result = state
        .store
        .run(move |tx| {
            let now = Utc::now();
            let Some(mut a) = tx.approval(&org, &key)? else {
                return Ok(Err(DecideError::Missing));
            };
            let status = a.status_at(now).to_string();
            if status != "pending" {
                return Ok(Err(DecideError::NotPending(status)));
            }
            a.status = if approve { "approved" } else { "denied" }.into();
            a.decided_by = Some(by.clone());
            a.decided_at = Some(now);
            if approve && a.kind == "call" {
                // The approved call must be retried before the approval expires; give it at
                // least the approval window from now.
                a.expires_at = a.expires_at.max(now + chrono::Duration::seconds(60));
            }
            tx.update_approval(&a)?;
            let mut elevated_until = None;
            if approve
                && a.kind == "elevation"
                && let Some(mut s) = tx.session(&org, &a.session_id)?
            {
                let until = elevation_deadline(now, window);
                s.elevated_until = Some(until);
                tx.update_session(&s)?;
                elevated_until = Some(until);
            }
            Ok(Ok((a, elevated_until, now)))
        })
        .await?;
    match result {
        Ok((a, until, now)) => {
            let mut body = json!({"status": a.status, "approval": view::approval(&a, now)});
            if let Some(u) = until {
                body["elevated_until"] = json!(ts(u));
            }
            Ok(Json(body))
        }
        Err(DecideError::Missing) => Err(ApiError::not_found("approval", &id)),
        Err(DecideError::NotPending(status)) => Err(ApiError::conflict(format!(
            "approval `{id}` is already {status}"
        ))),
    }
}

pub async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<DecideBody>,
) -> Result<Json<Value>, ApiError> {
    decide(state, caller, id, body.decided_by, true).await
}

pub async fn deny(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<DecideBody>,
) -> Result<Json<Value>, ApiError> {
    decide(state, caller, id, body.decided_by, false).await
}
