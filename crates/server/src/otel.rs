//! OpenTelemetry traces over OTLP (HTTP/protobuf), on only when `OTEL_EXPORTER_OTLP_ENDPOINT`
//! or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` is set.
//!
//! Off, nothing here runs on the check path but one relaxed atomic load ([`enabled`]): no
//! exporter, no layer, no span, no attribute. On, spans are `tracing` spans of the target
//! [`TARGET`] exported by `tracing-opentelemetry` through a layer that sees that target only
//! (the log filter `AIRLOCK_LOG` does not hide them, and log spans are never exported).
//!
//! Spans: one per check (`check {tool}`, attributes below) and one per MCP `tools/call` the
//! gateway or the stdio wrapper decides (`tools/call {tool}`), the check its child. A W3C
//! `traceparent`/`tracestate` is continued from the HTTP request headers ([`continue_trace`])
//! or from an MCP request's `params._meta` (SEP-414); a malformed one is ignored (new root).
//! The tool input is never an attribute, only its digest.

mod export;
mod propagate;

use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};

use opentelemetry::Context;
use opentelemetry::trace::TraceContextExt;
use serde_json::Value;
use tracing::Span;
use tracing::field::Empty;
use tracing_opentelemetry::OpenTelemetrySpanExt;

use crate::service::{CheckOutcome, CheckRequest, ServiceError};

pub use export::{OtelError, Tracing, configured, layer};
pub use propagate::{continue_trace, from_headers, from_meta, inject_current};

/// The `tracing` target of every exported span.
pub const TARGET: &str = "airlock::otel";

static ON: AtomicBool = AtomicBool::new(false);

/// True once the exporter is installed: spans are built only then.
pub fn enabled() -> bool {
    ON.load(Ordering::Relaxed)
}

/// The MCP side of a `tools/call` span: the transport and the client's MCP session, carried
/// in the OpenTelemetry context from the surface that received the message.
#[derive(Debug, Clone)]
pub struct McpTransport {
    /// `tcp` (HTTP gateway) or `pipe` (stdio wrapper), as `network.transport` names them.
    pub transport: &'static str,
    pub session: Option<String>,
}

/// Runs `fut` with `transport` known to the `tools/call` spans inside it (and with the
/// current trace context, so that a spawned task keeps it).
pub fn with_mcp<F: Future>(
    fut: F,
    transport: &'static str,
    session: Option<String>,
) -> opentelemetry::context::WithContext<F> {
    use opentelemetry::context::FutureExt;
    fut.with_context(Context::current_with_value(McpTransport {
        transport,
        session,
    }))
}

/// Runs `fut` (to be spawned) in the current trace context.
pub fn in_current_context<F: Future>(fut: F) -> opentelemetry::context::WithContext<F> {
    use opentelemetry::context::FutureExt;
    fut.with_current_context()
}

/// A remote parent continued from a request, if the current context holds one and no span
/// of ours is current.
fn adopt_remote_parent(span: &Span) {
    if !Span::current().is_none() {
        return;
    }
    let cx = Context::current();
    if cx.span().span_context().is_valid() {
        let _ = span.set_parent(cx);
    }
}

/// The span of one check. Call only when [`enabled`].
/// `input` is the input's canonical bytes: only their digest is recorded.
pub fn check_span(req: &CheckRequest, input: &[u8]) -> Span {
    let digest = airlock_core::chain::digest(input);
    let span = tracing::info_span!(
        target: TARGET,
        "check",
        otel.name = %format_args!("check {}", req.action_name),
        otel.kind = "internal",
        otel.status_code = Empty,
        otel.status_description = Empty,
        gen_ai.operation.name = "execute_tool",
        gen_ai.tool.name = %req.action_name,
        gen_ai.agent.id = %req.agent_id,
        airlock.source = %req.source,
        airlock.input.digest = %digest,
        airlock.session.id = Empty,
        airlock.check.id = Empty,
        airlock.effect = Empty,
        airlock.allowed = Empty,
        airlock.rule = Empty,
        airlock.guard_tier = Empty,
    );
    adopt_remote_parent(&span);
    span
}

/// Rules that deny because something failed, not because the call is refused.
fn denied_for_error(rule: &str) -> bool {
    matches!(
        rule,
        "policy_error" | "guardian_unavailable" | "deep_review_failed"
    )
}

/// Records a check's answer on its span.
pub fn record_check<R>(span: &Span, result: &Result<CheckOutcome<R>, ServiceError>) {
    match result {
        Ok(o) => {
            let v = &o.verdict;
            let rule = v.rule.as_str();
            span.record("airlock.session.id", o.session_id.as_str());
            span.record("airlock.check.id", o.check_id.as_str());
            span.record("airlock.effect", v.effect.as_str());
            span.record("airlock.allowed", v.allowed);
            span.record("airlock.rule", rule);
            span.record("airlock.guard_tier", v.guard_tier.as_str());
            if denied_for_error(rule) {
                span.record("otel.status_code", "error");
                span.record("otel.status_description", rule);
            }
        }
        Err(e) => {
            span.record("airlock.allowed", false);
            span.record("otel.status_code", "error");
            span.record("otel.status_description", e.to_string().as_str());
        }
    }
}

/// The span of one MCP `tools/call` request. Call only when [`enabled`].
pub fn tool_call_span(msg: &Value, airlock_session: Option<&str>) -> Span {
    let params = msg.get("params");
    let tool = params
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let id = match msg.get("id") {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        _ => String::new(),
    };
    let mcp = Context::map_current(|cx| cx.get::<McpTransport>().cloned());
    let (transport, session) = match mcp {
        Some(m) => (m.transport, m.session),
        None => ("pipe", None),
    };
    let span = tracing::info_span!(
        target: TARGET,
        "tools/call",
        otel.name = %format_args!("tools/call {tool}"),
        otel.kind = "server",
        otel.status_code = Empty,
        otel.status_description = Empty,
        mcp.method.name = "tools/call",
        gen_ai.operation.name = "execute_tool",
        gen_ai.tool.name = %tool,
        jsonrpc.request.id = %id,
        network.transport = transport,
        mcp.session.id = Empty,
        airlock.session.id = Empty,
        airlock.allowed = Empty,
    );
    if let Some(s) = session.as_deref() {
        span.record("mcp.session.id", s);
    }
    if let Some(s) = airlock_session {
        span.record("airlock.session.id", s);
    }
    match params.and_then(from_meta) {
        Some(cx) => {
            let _ = span.set_parent(cx);
        }
        None => adopt_remote_parent(&span),
    }
    span
}

/// Records the outcome of a `tools/call` on its span: forwarded or not, and an error status
/// when it was answered with a JSON-RPC error (`refused`).
pub fn record_tool_call(span: &Span, forwarded: bool, refused: Option<&str>) {
    span.record("airlock.allowed", forwarded);
    if let Some(why) = refused {
        span.record("otel.status_code", "error");
        span.record("otel.status_description", why);
    }
}

/// Marks a `tools/call` span: Airlock could not decide the call (it was denied for that).
pub fn record_undecided(span: &Span, why: &str) {
    span.record("otel.status_code", "error");
    span.record("otel.status_description", why);
}
