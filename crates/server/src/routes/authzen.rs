//! The OpenID AuthZEN Authorization API 1.0 over the same check as
//! `POST /api/v1/agenttrust/check`: `POST /access/v1/evaluation`, `POST /access/v1/evaluations`
//! and `GET /.well-known/authzen-configuration`. A gateway (the PEP) asks; Airlock (the PDP)
//! decides with `Service::check` and records every evaluation in the decision log.
//!
//! Mapping: `subject` `{type: "agent", id: <agent id>}`; `action.name` the tool or action name;
//! `resource` `{type: "mcp_server", id: <server id>}` (bound to that server, as the MCP gateway
//! binds) or `{type: "tool", id: <anything>}` (unbound, as the check API); `context.input`,
//! `context.session_id`, `context.effect`. See `docs/authzen.md`.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Map, Value, json};

use super::openapi::{Errors, ErrorsExcept403, answers};
use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::{
    CheckOutcome, CheckRequest, Effect, InvalidKind, Principal, ServiceError, SessionChoice,
    validate,
};

/// The most evaluations one `evaluations` request may carry.
pub const MAX_EVALUATIONS: usize = 64;
/// The `subject.type` of every evaluation: Airlock decides for agents.
pub const SUBJECT_TYPE: &str = "agent";
/// `resource.type` of a call to a registered MCP server (`resource.id` = its id).
pub const RESOURCE_SERVER: &str = "mcp_server";
/// `resource.type` of a call not bound to a server (`resource.id` is informational).
pub const RESOURCE_TOOL: &str = "tool";
/// The `source` recorded with each decision.
pub const SOURCE: &str = "authzen";
/// Airlock's opt-in header for PEPs that enforce by HTTP status (agentgateway's and Envoy's
/// HTTP external authorization): a denial answers with this status instead of 200.
pub const DENY_STATUS_HEADER: &str = "x-airlock-deny-status";

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
const EVALUATION_PATH: &str = "/access/v1/evaluation";
const EVALUATIONS_PATH: &str = "/access/v1/evaluations";

/// The AuthZEN routes, with the request-id echo and the `WWW-Authenticate` challenge.
pub fn router() -> Router<Service> {
    Router::new()
        .route(EVALUATION_PATH, post(evaluation))
        .route(EVALUATIONS_PATH, post(evaluations))
        .route("/.well-known/authzen-configuration", get(configuration))
        .layer(middleware::from_fn(transport_headers))
}

/// The spec's HTTPS binding: a request's `X-Request-ID` is echoed on its response, whatever
/// the outcome; a 401 names the scheme it expects.
async fn transport_headers(req: Request, next: Next) -> Response {
    let id = req.headers().get(&REQUEST_ID).cloned();
    let mut resp = next.run(req).await;
    if let Some(id) = id {
        resp.headers_mut().insert(REQUEST_ID, id);
    }
    if resp.status() == StatusCode::UNAUTHORIZED {
        resp.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static("Bearer realm=\"airlock\""),
        );
    }
    resp
}

/// Where a call goes, from `resource`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    /// A registered MCP server: the agent's session on it (or the named one, which must be
    /// bound to it), with the server's ceiling, mode and tool settings.
    Server(String),
    /// No server: the named session or the agent's default implicit one.
    Unbound,
}

/// One evaluation, validated.
#[derive(Debug, Clone, PartialEq)]
struct Evaluation {
    agent_id: String,
    action_name: String,
    target: Target,
    session_id: String,
    input: Value,
    declared: Option<Effect>,
}

fn invalid(field: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::invalid(field, message)
}

fn missing(field: &str) -> ServiceError {
    ServiceError::invalid_as(
        field,
        InvalidKind::Missing,
        format!("`{field}` is required"),
    )
}

/// An object member that must be an object when present.
fn object<'a>(
    value: Option<&'a Value>,
    field: &str,
) -> Result<Option<&'a Map<String, Value>>, ServiceError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(_) => Err(invalid(field, format!("`{field}` must be an object"))),
    }
}

/// A required string member of an object.
fn string<'a>(
    obj: &'a Map<String, Value>,
    key: &str,
    field: &str,
) -> Result<&'a str, ServiceError> {
    match obj.get(key) {
        None | Some(Value::Null) => Err(missing(field)),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(invalid(field, format!("`{field}` must be a string"))),
    }
}

/// Validates one evaluation: `subject`, `action` and `resource` are required (after the
/// defaults of an `evaluations` request are applied), `context` is optional. `at` names the
/// evaluation in messages (`""` or `evaluations[3].`).
fn parse(
    subject: Option<&Value>,
    action: Option<&Value>,
    resource: Option<&Value>,
    context: Option<&Value>,
    at: &str,
) -> Result<Evaluation, ServiceError> {
    let f = |name: &str| format!("{at}{name}");
    let subject = object(subject, &f("subject"))?.ok_or_else(|| missing(&f("subject")))?;
    let kind = string(subject, "type", &f("subject.type"))?;
    if kind != SUBJECT_TYPE {
        return Err(invalid(
            &f("subject.type"),
            format!("`{}` must be `{SUBJECT_TYPE}`", f("subject.type")),
        ));
    }
    let agent_id = validate::id(&f("subject.id"), string(subject, "id", &f("subject.id"))?)?;
    let action = object(action, &f("action"))?.ok_or_else(|| missing(&f("action")))?;
    let action_name = validate::text(
        &f("action.name"),
        string(action, "name", &f("action.name"))?,
        validate::MAX_NAME,
    )?;
    let resource = object(resource, &f("resource"))?.ok_or_else(|| missing(&f("resource")))?;
    let rtype = string(resource, "type", &f("resource.type"))?;
    let rid = string(resource, "id", &f("resource.id"))?;
    let target = match rtype {
        RESOURCE_SERVER => Target::Server(validate::id(&f("resource.id"), rid)?.to_string()),
        RESOURCE_TOOL => {
            validate::optional_text(&f("resource.id"), rid, validate::MAX_NAME)?;
            Target::Unbound
        }
        _ => {
            return Err(invalid(
                &f("resource.type"),
                format!(
                    "`{}` must be `{RESOURCE_SERVER}` or `{RESOURCE_TOOL}`",
                    f("resource.type")
                ),
            ));
        }
    };
    let context = object(context, &f("context"))?;
    let get = |key: &str| context.and_then(|c| c.get(key)).filter(|v| !v.is_null());
    let session_id = match get("session_id") {
        None => String::new(),
        Some(Value::String(s)) if s.trim().is_empty() => String::new(),
        Some(Value::String(s)) => validate::id(&f("context.session_id"), s)?.to_string(),
        Some(_) => {
            let field = f("context.session_id");
            return Err(invalid(&field, format!("`{field}` must be a string")));
        }
    };
    let declared = match get("effect") {
        None => None,
        Some(Value::String(s)) => validate::effect(&f("context.effect"), Some(s))?,
        Some(_) => {
            let field = f("context.effect");
            return Err(invalid(&field, format!("`{field}` must be a string")));
        }
    };
    let input = get("input")
        .cloned()
        .unwrap_or_else(|| Value::String(String::new()));
    Ok(Evaluation {
        agent_id: agent_id.to_string(),
        action_name: action_name.to_string(),
        target,
        session_id,
        input,
        declared,
    })
}

/// The body must be a JSON object (the spec's top-level element).
fn top(body: &Value) -> Result<&Map<String, Value>, ApiError> {
    body.as_object()
        .ok_or_else(|| ApiError::invalid("the request body must be a JSON object"))
}

/// Decides one evaluation through `Service::check` and records it. A binding the service
/// refuses (unknown server, a session of another agent or server, an unknown or inactive
/// agent) is still decided and recorded, as a refusal in the agent's default session, so that
/// every answer is in the log. Only a store failure is an error.
async fn decide(
    service: &Service,
    caller: &Caller,
    ev: Evaluation,
) -> Result<CheckOutcome, ServiceError> {
    let mut session_id = ev.session_id;
    let mut refusal = None;
    if let Target::Server(server_id) = &ev.target {
        let choice = if session_id.is_empty() {
            SessionChoice::PerAgent
        } else {
            SessionChoice::Named(&session_id)
        };
        match service
            .open_server_session(caller, &ev.agent_id, server_id, choice)
            .await
        {
            Ok(bound) => session_id = bound.session_id,
            Err(ServiceError::Unavailable) => return Err(ServiceError::Unavailable),
            Err(e) => {
                refusal = Some(
                    e.to_string()
                        .replace("named in X-Session-ID", "named in context.session_id")
                        .replace(
                            ", or send no X-Session-ID",
                            ", or send no context.session_id",
                        ),
                );
                session_id = String::new();
            }
        }
    }
    service
        .check(
            Principal::Caller(caller.clone()),
            CheckRequest {
                agent_id: ev.agent_id,
                session_id,
                action_name: ev.action_name,
                input: ev.input,
                declared: ev.declared,
                source: SOURCE.into(),
                refusal,
                // Only the Claude Code hook names its tool; AuthZEN calls name actions.
                hook_tool: None,
            },
        )
        .await
}

/// A Decision: `{"decision", "context": {"reason", "check_id", "session_id", "approval_id"?}}`.
fn decision(outcome: &CheckOutcome) -> Value {
    let v = &outcome.verdict;
    let mut context = json!({
        "reason": v.reason,
        "check_id": outcome.check_id,
        "session_id": outcome.session_id,
        "receipt": outcome.receipt,
    });
    if let (Some(a), Some(c)) = (&v.approval, context.as_object_mut()) {
        c.insert("approval_id".into(), json!(a.id));
    }
    json!({"decision": v.allowed, "context": context})
}

/// A Decision for an evaluation that could not be decided: closed, with the reason.
fn failed(e: &ServiceError) -> Value {
    let status = ApiError::from(e.clone()).status.as_u16();
    json!({
        "decision": false,
        "context": {
            "reason": e.to_string(),
            "error": {"status": status, "message": e.to_string()},
        },
    })
}

/// The opt-in status of a denial (`X-Airlock-Deny-Status: 403`), if the PEP asked for one.
fn deny_status(headers: &HeaderMap) -> Result<Option<StatusCode>, ApiError> {
    match headers.get(DENY_STATUS_HEADER) {
        None => Ok(None),
        Some(v) if v.as_bytes() == b"403" => Ok(Some(StatusCode::FORBIDDEN)),
        Some(_) => Err(ApiError::invalid(format!(
            "`{DENY_STATUS_HEADER}` must be `403` when present"
        ))),
    }
}

/// `POST /access/v1/evaluation`: one Decision.
#[utoipa::path(
    post,
    path = "/access/v1/evaluation",
    tag = "authzen",
    params(("X-Airlock-Deny-Status" = Option<String>, Header, description = "`403`: a denial answers 403 instead of 200")),
    request_body = answers::EvaluationRequest,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The Decision", body = answers::AuthzenDecision), (status = 403, description = "A denial, with `X-Airlock-Deny-Status: 403`; or a key that may not ask", body = answers::DeniedOrForbidden), ErrorsExcept403)
)]
pub(super) async fn evaluation(
    State(service): State<Service>,
    caller: Caller,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, ApiError> {
    let deny = deny_status(&headers)?;
    let b = top(&body)?;
    let ev = parse(
        b.get("subject"),
        b.get("action"),
        b.get("resource"),
        b.get("context"),
        "",
    )?;
    let outcome = decide(&service, &caller, ev).await?;
    let status = match deny {
        Some(s) if !outcome.verdict.allowed => s,
        _ => StatusCode::OK,
    };
    Ok((status, Json(decision(&outcome))).into_response())
}

/// How an `evaluations` request runs its list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Semantic {
    ExecuteAll,
    DenyOnFirstDeny,
    PermitOnFirstPermit,
}

fn semantic(body: &Map<String, Value>) -> Result<Semantic, ServiceError> {
    let options = object(body.get("options"), "options")?;
    match options.and_then(|o| o.get("evaluations_semantic")) {
        None | Some(Value::Null) => Ok(Semantic::ExecuteAll),
        Some(Value::String(s)) => match s.as_str() {
            "execute_all" => Ok(Semantic::ExecuteAll),
            "deny_on_first_deny" => Ok(Semantic::DenyOnFirstDeny),
            "permit_on_first_permit" => Ok(Semantic::PermitOnFirstPermit),
            _ => Err(invalid(
                "options.evaluations_semantic",
                "`options.evaluations_semantic` must be `execute_all`, `deny_on_first_deny` or \
                 `permit_on_first_permit`",
            )),
        },
        Some(_) => Err(invalid(
            "options.evaluations_semantic",
            "`options.evaluations_semantic` must be a string",
        )),
    }
}

/// `POST /access/v1/evaluations`: the top-level `subject`, `action`, `resource` and `context`
/// are defaults that each item's own keys replace. Every item is validated before any is
/// decided (a malformed one fails the whole request with a 400 and decides nothing); then
/// they are decided in order, each a separate check in the log. Without an `evaluations`
/// array (or with an empty one) the request is a single evaluation and gets one Decision.
#[utoipa::path(
    post,
    path = "/access/v1/evaluations",
    tag = "authzen",
    request_body = answers::EvaluationsRequest,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The Decisions, or one Decision without items", body = answers::EvaluationsAnswer), Errors)
)]
pub(super) async fn evaluations(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, ApiError> {
    let b = top(&body)?;
    let items = match b.get("evaluations") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().collect(),
        Some(_) => return Err(ApiError::invalid("`evaluations` must be an array")),
    };
    let semantic = semantic(b)?;
    if items.is_empty() {
        let ev = parse(
            b.get("subject"),
            b.get("action"),
            b.get("resource"),
            b.get("context"),
            "",
        )?;
        let outcome = decide(&service, &caller, ev).await?;
        return Ok(Json(decision(&outcome)).into_response());
    }
    if items.len() > MAX_EVALUATIONS {
        return Err(ApiError::invalid(format!(
            "`evaluations` has more than {MAX_EVALUATIONS} items"
        )));
    }
    let mut parsed = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let at = format!("evaluations[{i}]");
        let item = object(Some(item), &at)?.ok_or_else(|| missing(&at))?;
        // An item's key replaces the default as a whole.
        let pick = |key: &str| item.get(key).or_else(|| b.get(key));
        parsed.push(parse(
            pick("subject"),
            pick("action"),
            pick("resource"),
            pick("context"),
            &format!("{at}."),
        )?);
    }
    let mut out = Vec::with_capacity(parsed.len());
    for ev in parsed {
        let d = match decide(&service, &caller, ev).await {
            Ok(outcome) => decision(&outcome),
            Err(e) => failed(&e),
        };
        let allowed = d.get("decision") == Some(&Value::Bool(true));
        out.push(d);
        match semantic {
            Semantic::DenyOnFirstDeny if !allowed => break,
            Semantic::PermitOnFirstPermit if allowed => break,
            _ => {}
        }
    }
    Ok(Json(json!({"evaluations": out})).into_response())
}

/// A host as a client may name it: letters, digits, `.`, `-`, `:` and the brackets of an IPv6
/// literal, at most 255 bytes. Anything else is not reflected into the metadata.
fn plain_host(host: &str) -> bool {
    !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b':' | b'[' | b']'))
}

/// `GET /.well-known/authzen-configuration`: the PDP metadata, built from the request's
/// `Host` and `X-Forwarded-Proto` (`https` behind a TLS-terminating proxy, else `http`).
/// Public, like any discovery document: it names endpoints, nothing else.
#[utoipa::path(
    get,
    path = "/.well-known/authzen-configuration",
    tag = "authzen",
    responses((status = 200, description = "The PDP metadata", body = answers::AuthzenConfiguration), Errors)
)]
pub(super) async fn configuration(headers: HeaderMap) -> Result<Response, ApiError> {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::trim)
        .filter(|h| plain_host(h))
        .ok_or_else(|| ApiError::invalid("a `Host` header naming this server is required"))?;
    let proto = headers
        .get("x-forwarded-proto")
        .and_then(|h| h.to_str().ok())
        .map(|p| p.trim().to_ascii_lowercase());
    let scheme = if proto.as_deref() == Some("https") {
        "https"
    } else {
        "http"
    };
    let base = format!("{scheme}://{host}");
    let body = json!({
        "policy_decision_point": base,
        "access_evaluation_endpoint": format!("{base}{EVALUATION_PATH}"),
        "access_evaluations_endpoint": format!("{base}{EVALUATIONS_PATH}"),
    });
    Ok((
        [(
            header::VARY,
            HeaderValue::from_static("Host, X-Forwarded-Proto"),
        )],
        Json(body),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(v: Value) -> Evaluation {
        parse(
            v.get("subject"),
            v.get("action"),
            v.get("resource"),
            v.get("context"),
            "",
        )
        .unwrap()
    }

    fn err(v: Value) -> String {
        parse(
            v.get("subject"),
            v.get("action"),
            v.get("resource"),
            v.get("context"),
            "evaluations[1].",
        )
        .unwrap_err()
        .to_string()
    }

    #[test]
    fn an_evaluation_maps_onto_a_check() {
        let e = ok(json!({
            "subject": {"type": "agent", "id": "agt_1", "properties": {"x": 1}},
            "action": {"name": "execute_sql"},
            "resource": {"type": "mcp_server", "id": "srv_1"},
            "context": {"input": {"sql": "select 1"}, "session_id": "s1", "effect": "destructive", "time": "now"},
        }));
        assert_eq!(
            e,
            Evaluation {
                agent_id: "agt_1".into(),
                action_name: "execute_sql".into(),
                target: Target::Server("srv_1".into()),
                session_id: "s1".into(),
                input: json!({"sql": "select 1"}),
                declared: Some(Effect::Destructive),
            }
        );
        let e = ok(json!({
            "subject": {"type": "agent", "id": "agt_1"},
            "action": {"name": "read_file"},
            "resource": {"type": "tool", "id": "read_file"},
        }));
        assert_eq!(
            (e.target, e.session_id, e.input, e.declared),
            (Target::Unbound, String::new(), json!(""), None)
        );
    }

    #[test]
    fn a_malformed_evaluation_names_its_field() {
        let s = json!({"type": "agent", "id": "a"});
        let a = json!({"name": "x"});
        let r = json!({"type": "tool", "id": "x"});
        let cases = [
            (
                json!({"action": a, "resource": r}),
                "`evaluations[1].subject` is required",
            ),
            (
                json!({"subject": "a", "action": a, "resource": r}),
                "`evaluations[1].subject` must be an object",
            ),
            (
                json!({"subject": {"id": "a"}, "action": a, "resource": r}),
                "`evaluations[1].subject.type` is required",
            ),
            (
                json!({"subject": {"type": "user", "id": "a"}, "action": a, "resource": r}),
                "`evaluations[1].subject.type` must be `agent`",
            ),
            (
                json!({"subject": {"type": "agent", "id": 5}, "action": a, "resource": r}),
                "`evaluations[1].subject.id` must be a string",
            ),
            (
                json!({"subject": {"type": "agent", "id": "a b"}, "action": a, "resource": r}),
                "`evaluations[1].subject.id` contains whitespace",
            ),
            (
                json!({"subject": s, "resource": r}),
                "`evaluations[1].action` is required",
            ),
            (
                json!({"subject": s, "action": {"name": ""}, "resource": r}),
                "`evaluations[1].action.name` is required",
            ),
            (
                json!({"subject": s, "action": a}),
                "`evaluations[1].resource` is required",
            ),
            (
                json!({"subject": s, "action": a, "resource": {"type": "tool"}}),
                "`evaluations[1].resource.id` is required",
            ),
            (
                json!({"subject": s, "action": a, "resource": {"type": "server", "id": "x"}}),
                "`evaluations[1].resource.type` must be `mcp_server` or `tool`",
            ),
            (
                json!({"subject": s, "action": a, "resource": r, "context": []}),
                "`evaluations[1].context` must be an object",
            ),
            (
                json!({"subject": s, "action": a, "resource": r, "context": {"session_id": 3}}),
                "`evaluations[1].context.session_id` must be a string",
            ),
            (
                json!({"subject": s, "action": a, "resource": r, "context": {"effect": "write"}}),
                "`evaluations[1].context.effect`: unknown effect `write`: expected read, mutating, destructive or admin",
            ),
        ];
        for (body, message) in cases {
            assert_eq!(err(body.clone()), message, "{body}");
        }
        let long = "x".repeat(validate::MAX_NAME + 1);
        let e = err(json!({"subject": s, "action": {"name": long}, "resource": r}));
        assert!(e.contains("longer than 256 bytes"), "{e}");
    }

    #[test]
    fn only_plain_hosts_are_reflected() {
        for h in ["airlock.example.com", "127.0.0.1:8080", "[::1]:8080"] {
            assert!(plain_host(h), "{h}");
        }
        for h in ["", "evil.com/x", "a b", "a\"b", &"a".repeat(256)] {
            assert!(!plain_host(h), "{h}");
        }
    }
}
