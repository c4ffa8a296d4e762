use axum::Json;
use axum::extract::{Path, Query, State};
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

use airlock_core::chain;
use airlock_store::model::TelemetryEvent;

use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::validate;
use crate::view;

#[derive(Deserialize)]
pub struct TelemetryBody {
    #[serde(default)]
    agent_id: String,
    #[serde(default)]
    session_id: Option<String>,
    #[serde(default)]
    events: Vec<EventBody>,
}

#[derive(Deserialize)]
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

const MAX_EVENTS: usize = 1000;

pub async fn telemetry(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<TelemetryBody>,
) -> Result<Json<Value>, ApiError> {
    let agent_id = validate::id("agent_id", &body.agent_id)?.to_string();
    let session_id = body.session_id.unwrap_or_default();
    validate::optional_text("session_id", &session_id, validate::MAX_ID)?;
    if body.events.len() > MAX_EVENTS {
        return Err(ApiError::invalid(format!(
            "at most {MAX_EVENTS} events per report"
        )));
    }
    let mut events = Vec::with_capacity(body.events.len());
    for e in body.events {
        let event_type = validate::text("events[].event_type", &e.event_type, 64)?.to_string();
        let tool_name = e.tool_name.unwrap_or_default();
        validate::optional_text("events[].tool_name", &tool_name, validate::MAX_NAME)?;
        let error_type = e
            .error_type
            .map(|s| crate::error::clip(&s, 256).to_string());
        let timestamp = e.timestamp.map(|s| crate::error::clip(&s, 64).to_string());
        events.push(TelemetryEvent {
            event_type,
            tool_name,
            duration_ms: e.duration_ms.filter(|d| d.is_finite()).map(|d| d as i64),
            success: e.success,
            error_type,
            timestamp,
        });
    }
    let n = events.len();
    let org = caller.org_id.clone();
    let a = agent_id.clone();
    let known = service
        .store()
        .run(move |tx| {
            if tx.agent(&org, &a)?.is_none() {
                return Ok(false);
            }
            tx.insert_telemetry(&org, &a, &session_id, &events, Utc::now())?;
            Ok(true)
        })
        .await?;
    if !known {
        return Err(ApiError::not_found("agent", &agent_id));
    }
    Ok(Json(json!({"accepted": true, "events_processed": n})))
}

#[derive(Deserialize)]
pub struct DecisionsQuery {
    after: Option<u64>,
    limit: Option<u64>,
}

pub async fn decisions(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
    Query(q): Query<DecisionsQuery>,
) -> Result<Json<Value>, ApiError> {
    let org = caller.org_id.clone();
    let key = id.clone();
    let after = q.after.unwrap_or(0);
    let limit = q.limit.unwrap_or(1000).clamp(1, 10_000);
    let found = service
        .store()
        .run(move |tx| {
            let Some(session) = tx.session(&org, &key)? else {
                return Ok(None);
            };
            Ok(Some((session, tx.decisions(&org, &key, after, limit)?)))
        })
        .await?;
    let (session, decisions) = found.ok_or_else(|| ApiError::not_found("session", &id))?;
    Ok(Json(json!({
        "session_id": session.id,
        "head": session.head,
        "total_calls": session.total_calls,
        "decisions": decisions.iter().map(view::decision).collect::<Vec<_>>(),
    })))
}

pub async fn verify(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let org = caller.org_id.clone();
    let key = id.clone();
    let found = service
        .store()
        .run(move |tx| {
            let Some(session) = tx.session(&org, &key)? else {
                return Ok(None);
            };
            let decisions = tx.decisions(&org, &key, 0, u64::MAX)?;
            Ok(Some((session, decisions)))
        })
        .await?;
    let (session, decisions) = found.ok_or_else(|| ApiError::not_found("session", &id))?;
    let entries: Vec<_> = decisions
        .iter()
        .map(|d| (view::chain_entry(d), d.hash.as_str()))
        .collect();
    let v = chain::verify(
        entries.iter().map(|(e, h)| (e, *h)),
        &session.head,
        session.total_calls,
    );
    Ok(Json(
        serde_json::to_value(&v).unwrap_or_else(|_| json!({"valid": false})),
    ))
}
