use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::Value;
#[cfg(feature = "bench-baseline")]
use serde_json::json;

use super::openapi::{Errors, answers};
use crate::Service;
use crate::auth::KeyHash;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::{CheckRequest, Principal, ServiceError, validate};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct CheckBody {
    #[serde(default)]
    agent_id: String,
    #[serde(default)]
    session_id: Option<String>,
    #[serde(default)]
    action_name: Option<String>,
    /// Older clients send `action`.
    #[serde(default)]
    action: Option<String>,
    #[serde(default)]
    action_source: Option<String>,
    #[serde(default)]
    action_input_summary: Option<String>,
    /// Airlock's addition: the full arguments as any JSON value.
    #[serde(default)]
    action_input: Option<Value>,
    #[serde(default)]
    action_effect: Option<String>,
    /// The caller refuses the call itself, for this reason (a string): the check denies and
    /// records it. It can only deny.
    #[serde(default)]
    refusal: Option<Value>,
    /// Airlock's addition for the Claude Code hook: the Claude Code tool name (`Bash`) the
    /// hook checks as `action_name` (`shell.exec`).
    #[serde(default)]
    hook_tool: Option<String>,
}

/// The load benchmark's baseline (builds with the `bench-baseline` feature only): authenticates (one store round trip, like the check) and
/// parses and validates the same body, then decides and records nothing.
#[cfg(feature = "bench-baseline")]
pub async fn baseline(
    State(service): State<Service>,
    key: KeyHash,
    JsonBody(body): JsonBody<CheckBody>,
) -> Result<Json<Value>, ApiError> {
    service.authenticate_hash(key).await?;
    let agent_id = validate::id("agent_id", &body.agent_id)?;
    let action = body.action_name.unwrap_or_default();
    let action_name = validate::text("action_name", &action, validate::MAX_NAME)?;
    validate::effect("action_effect", body.action_effect.as_deref())?;
    Ok(Json(json!({
        "allowed": true,
        "check_id": "chk_baseline",
        "session_id": body.session_id,
        "reason": format!("baseline for `{agent_id}` `{action_name}`"),
        "guard_tier": "fast",
        "confidence": 1.0,
        "latency_ms": 0,
        "elevation_required": false,
    })))
}

/// The `wrk` comparison's trivial endpoint (builds with the `bench-baseline` feature only): what
/// a minimal guard would do with the same body (parse it, look for a few keywords, hash the
/// input, answer), with no key, no session, no store.
#[cfg(feature = "bench-baseline")]
pub async fn trivial(JsonBody(body): JsonBody<CheckBody>) -> Result<Json<Value>, ApiError> {
    let input = body
        .action_input
        .as_ref()
        .map(|v| serde_json::to_vec(v).unwrap_or_default())
        .unwrap_or_default();
    let text = String::from_utf8_lossy(&input).to_ascii_uppercase();
    let destructive = ["DROP ", "DELETE ", "TRUNCATE ", "RM -RF"]
        .iter()
        .any(|k| text.contains(k));
    Ok(Json(json!({
        "allowed": !destructive,
        "check_id": "chk_trivial",
        "session_id": body.session_id,
        "input_digest": airlock_core::chain::digest(&input),
        "reason": if destructive { "keyword" } else { "no keyword" },
    })))
}

#[utoipa::path(
    post,
    path = "/api/v1/agenttrust/check",
    tag = "check",
    request_body = CheckBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The decision, recorded in the session's chain", body = answers::CheckAnswer), Errors)
)]
pub async fn check(
    State(service): State<Service>,
    key: KeyHash,
    headers: HeaderMap,
    uri: Uri,
    JsonBody(body): JsonBody<CheckBody>,
) -> Result<Response, ApiError> {
    // A WIMSE token with its DPoP proof names the agent (docs/identity.md).
    let proven = match super::identity::proof_of(&headers)? {
        Some(p) => Some(service.prove_call(&p, "POST", uri.path(), chrono::Utc::now())?),
        None => None,
    };
    let agent_id = match &proven {
        Some(p) if body.agent_id.trim().is_empty() => p.agent_id().to_string(),
        Some(p) if body.agent_id != p.agent_id() => {
            return Err(ServiceError::Forbidden(format!(
                "`agent_id` is not the agent the WIMSE token was issued to (`{}`)",
                p.agent_id()
            ))
            .into());
        }
        _ => validate::id("agent_id", &body.agent_id)?.to_string(),
    };
    let session_id = body.session_id.unwrap_or_default();
    let session_id = session_id.trim();
    if !session_id.is_empty() {
        validate::id("session_id", session_id)?;
    }
    let action = body
        .action_name
        .filter(|a| !a.trim().is_empty())
        .or(body.action)
        .unwrap_or_default();
    let action_name = validate::text("action_name", &action, validate::MAX_NAME)?.to_string();
    let source = body.action_source.unwrap_or_else(|| "api".into());
    let source = validate::optional_text("action_source", &source, 64)?.to_string();
    let declared = validate::effect("action_effect", body.action_effect.as_deref())?;
    let refusal = match body.refusal {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s),
        Some(_) => {
            return Err(ServiceError::invalid("refusal", "`refusal` must be a string").into());
        }
    };
    let input = match (body.action_input, body.action_input_summary) {
        (Some(v), _) => v,
        (None, Some(s)) => Value::String(s),
        (None, None) => Value::String(String::new()),
    };
    let outcome = service
        .check(
            match proven {
                Some(p) => Principal::Proven(key, Box::new(p)),
                None => Principal::KeyHash(key),
            },
            CheckRequest {
                agent_id,
                session_id: session_id.to_string(),
                action_name,
                input,
                declared,
                source,
                refusal,
                hook_tool: body.hook_tool,
            },
        )
        .await?;
    Ok(answer(&outcome))
}

/// The answer's body, written straight from the outcome (no intermediate `Value`: this is
/// every check's response).
#[derive(serde::Serialize)]
struct Answer<'a> {
    allowed: bool,
    check_id: &'a str,
    session_id: &'a str,
    reason: &'a str,
    reasons: &'a [String],
    effect: airlock_core::Effect,
    risk_tier: airlock_core::Effect,
    rule: airlock_core::pipeline::Rule,
    guard_tier: airlock_core::pipeline::GuardTier,
    confidence: f64,
    latency_ms: u64,
    elevation_required: bool,
    receipt: &'a airlock_audit::receipt::Receipt,
    /// Present when the call waits for an approval.
    #[serde(skip_serializing_if = "Option::is_none")]
    approval_id: Option<&'a str>,
}

fn answer(outcome: &crate::service::CheckOutcome) -> Response {
    let v = &outcome.verdict;
    let body = Answer {
        allowed: v.allowed,
        check_id: &outcome.check_id,
        session_id: &outcome.session_id,
        reason: &v.reason,
        reasons: &outcome.reasons,
        effect: v.effect,
        risk_tier: v.risk,
        rule: v.rule,
        guard_tier: v.guard_tier,
        confidence: v.confidence,
        latency_ms: outcome.latency_ms,
        elevation_required: v.elevation_required,
        receipt: &outcome.receipt,
        approval_id: v.approval.as_ref().map(|a| a.id.as_str()),
    };
    // serde_json writes a non-finite confidence as `null`, as `json!` did.
    Json(body).into_response()
}

/// `POST /api/v1/actions/check`: the same check under its other name.
#[utoipa::path(
    post,
    path = "/api/v1/actions/check",
    tag = "check",
    request_body = CheckBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The decision, recorded in the session's chain", body = answers::CheckAnswer), Errors)
)]
pub async fn check_actions(
    state: State<Service>,
    key: KeyHash,
    headers: HeaderMap,
    uri: Uri,
    body: JsonBody<CheckBody>,
) -> Result<Response, ApiError> {
    check(state, key, headers, uri, body).await
}
