use airlock_core::chain::JsonObject;
#[cfg(feature = "bench-baseline")]
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Uri, header};
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

fn answer(outcome: &crate::service::CheckOutcome) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        answer_json(outcome),
    )
        .into_response()
}

/// The answer's body, written straight from the outcome into a buffer sized once (every
/// check's response): the bytes serde_json gives for the fields in this order, with the ids,
/// times and hex copied whole instead of escaped byte by byte.
fn answer_json(outcome: &crate::service::CheckOutcome) -> Vec<u8> {
    let v = &outcome.verdict;
    let mut out = Vec::with_capacity(2048);
    let mut object = JsonObject::in_order(&mut out);
    object
        .bool("allowed", v.allowed)
        .str("check_id", &outcome.check_id)
        .str("session_id", &outcome.session_id)
        .str("reason", &v.reason)
        .strs("reasons", &outcome.reasons)
        .value("effect", &v.effect)
        .value("risk_tier", &v.risk)
        .value("rule", &v.rule)
        .value("guard_tier", &v.guard_tier)
        // A non-finite confidence is written `null`, as serde_json writes it.
        .value("confidence", &v.confidence)
        .u64("latency_ms", outcome.latency_ms)
        .bool("elevation_required", v.elevation_required)
        .nested("receipt", |out| outcome.receipt.write_json(out));
    // Present when the call waits for an approval.
    if let Some(approval) = &v.approval {
        object.str("approval_id", &approval.id);
    }
    object.end();
    out
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

#[cfg(test)]
mod tests {
    use airlock_audit::receipt::Receipt;
    use airlock_audit::receipt_batch::BatchProof;
    use airlock_core::Effect;
    use airlock_core::pipeline::{ApprovalKind, ApprovalRequest, GuardTier, Rule, Verdict};

    use super::answer_json;
    use crate::service::CheckOutcome;

    /// The answer as it was written before `answer_json`: serde's bytes for these fields in
    /// this order, the oracle the hand-written bytes are held to.
    #[derive(serde::Serialize)]
    struct Answer<'a> {
        allowed: bool,
        check_id: &'a str,
        session_id: &'a str,
        reason: &'a str,
        reasons: &'a [String],
        effect: Effect,
        risk_tier: Effect,
        rule: Rule,
        guard_tier: GuardTier,
        confidence: f64,
        latency_ms: u64,
        elevation_required: bool,
        receipt: &'a Receipt,
        #[serde(skip_serializing_if = "Option::is_none")]
        approval_id: Option<&'a str>,
    }

    fn serde_bytes(o: &CheckOutcome) -> Vec<u8> {
        let v = &o.verdict;
        serde_json::to_vec(&Answer {
            allowed: v.allowed,
            check_id: &o.check_id,
            session_id: &o.session_id,
            reason: &v.reason,
            reasons: &o.reasons,
            effect: v.effect,
            risk_tier: v.risk,
            rule: v.rule,
            guard_tier: v.guard_tier,
            confidence: v.confidence,
            latency_ms: o.latency_ms,
            elevation_required: v.elevation_required,
            receipt: &o.receipt,
            approval_id: v.approval.as_ref().map(|a| a.id.as_str()),
        })
        .unwrap_or_default()
    }

    fn outcome() -> CheckOutcome {
        CheckOutcome {
            check_id: "chk_0123".into(),
            session_id: "sess-1".into(),
            verdict: Verdict {
                allowed: true,
                rule: Rule::Allowed,
                reason: "a read in a read_only session".into(),
                effect: Effect::Read,
                risk: Effect::Read,
                guard_tier: GuardTier::Fast,
                confidence: 0.97,
                elevation_required: false,
                approval: None,
                consumed_approval: None,
            },
            reasons: vec!["sql: SELECT".into(), "no write".into()],
            latency_ms: 1,
            receipt: Receipt {
                check_id: "chk_0123".into(),
                session_id: "sess-1".into(),
                seq: 7,
                input_digest: "ab".repeat(32),
                effect: "read".into(),
                allowed: true,
                decided_at: "2026-12-02T05:00:00.000001Z".into(),
                chain_head: "cd".repeat(32),
                key_id: "k1".into(),
                signature: "c2lnbmF0dXJl-_".into(),
                batch: Some(BatchProof {
                    index: 1,
                    size: 3,
                    path: vec!["ef".repeat(32), "01".repeat(32)],
                }),
            },
        }
    }

    #[test]
    fn the_answer_is_serde_json_bytes_for_every_shape() {
        let mut denied = outcome();
        denied.verdict.allowed = false;
        denied.verdict.rule = Rule::ReadOnly;
        denied.verdict.effect = Effect::Destructive;
        denied.verdict.risk = Effect::Admin;
        denied.verdict.guard_tier = GuardTier::Deep;
        denied.verdict.reason = "DROP TABLE \"users\" \\ in a\tread_only session\n\u{7}é".into();
        denied.verdict.elevation_required = true;
        denied.verdict.approval = Some(ApprovalRequest {
            id: "apr_9".into(),
            kind: ApprovalKind::Call,
            new: true,
        });
        denied.reasons = vec![];
        denied.receipt.batch = None;
        denied.latency_ms = u64::MAX;
        let mut odd_confidence = outcome();
        odd_confidence.verdict.confidence = f64::NAN;
        let mut tiny = outcome();
        tiny.verdict.confidence = 1e-300;
        for o in [outcome(), denied, odd_confidence, tiny] {
            let ours = answer_json(&o);
            assert_eq!(
                String::from_utf8_lossy(&ours),
                String::from_utf8_lossy(&serde_bytes(&o))
            );
            assert!(serde_json::from_slice::<serde_json::Value>(&ours).is_ok());
        }
    }
}
