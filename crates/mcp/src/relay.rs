//! The rules every MCP path applies, independent of the transport.
//!
//! - A client message whose `method` is `tools/call` (request or notification) is decided
//!   before it is forwarded. The action name is the tool name; the input is the call's
//!   `arguments` (see [`call_input`]). Allowed: the message is forwarded as parsed and
//!   re-serialized, so the upstream sees exactly what was checked. Denied, or Airlock could
//!   not decide: the client gets a tool result with `isError: true` whose text gives the
//!   reason and the approval id, and the upstream never sees the call.
//! - A batch (JSON array) that contains a `tools/call` is refused as a whole: batching was
//!   removed from MCP in 2025-06-18, and checking each element would answer a batch with
//!   partly local, partly upstream responses.
//! - A `tools/list` result is observed (tool pinning) and filtered to the tools inside the
//!   session's scope ceiling whose definition is not changed since it was pinned. A changed
//!   tool is hidden, so its new description never reaches the model; calls to it are
//!   denied by the pipeline until an operator accepts the new definition.
//! - Everything else passes through unchanged.

use std::future::Future;

use serde_json::{Map, Value, json};

/// JSON-RPC error codes used by the gateway.
pub mod code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const INTERNAL: i64 = -32603;
    /// The upstream MCP server failed, timed out or answered nonsense.
    pub const UPSTREAM: i64 = -32001;
    /// Airlock could not check something (tool list) and refused to pass it.
    pub const AIRLOCK: i64 = -32002;
}

/// What Airlock answered for one tool call.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub allowed: bool,
    pub reason: String,
    pub approval_id: Option<String>,
    pub elevation_required: bool,
    pub check_id: String,
    /// The classified effect: `read`, `mutating`, `destructive` or `admin`.
    pub effect: String,
    pub session_id: String,
}

/// One tool of an observed `tools/list`, as the pinning service judged it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObservedTool {
    pub name: String,
    /// `pinned`, `new` or `changed`.
    pub status: String,
    /// Inside the session's scope ceiling.
    pub in_scope: bool,
}

/// Why Airlock could not answer. Every path treats it as a denial.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecideError {
    #[error("Airlock cannot be reached: {0}")]
    Unreachable(String),
    #[error("Airlock refused the request: {0}")]
    Refused(String),
    #[error("Airlock's answer could not be read: {0}")]
    Invalid(String),
}

/// The decision service as one MCP connection sees it: an agent, a server and a session.
pub trait Decider: Send + Sync {
    /// Decides one call of `tool` with `input`, and records it.
    fn check(
        &self,
        tool: &str,
        input: Value,
    ) -> impl Future<Output = Result<Decision, DecideError>> + Send;

    /// Records the tool definitions of an upstream `tools/list` (pinning) and says which are
    /// changed and which are inside the session's scope ceiling.
    fn observe(
        &self,
        tools: &[Value],
    ) -> impl Future<Output = Result<Vec<ObservedTool>, DecideError>> + Send;
}

/// What to do with one client message.
#[derive(Debug, Clone, PartialEq)]
pub enum ClientAction {
    /// Send this (re-serialized) message upstream.
    Forward(Value),
    /// Answer the client with this message; nothing goes upstream.
    Reply(Value),
    /// A notification that must not go upstream and has nobody to answer.
    Drop,
}

/// The `method` of a message, if it is a request or notification.
pub fn method(msg: &Value) -> Option<&str> {
    msg.get("method").and_then(Value::as_str)
}

/// True for a JSON-RPC request (has a method and an id).
pub fn is_request(msg: &Value) -> bool {
    method(msg).is_some() && msg.get("id").is_some()
}

/// True for a JSON-RPC response (an id and a result or an error, no method).
pub fn is_response(msg: &Value) -> bool {
    method(msg).is_none()
        && msg.get("id").is_some()
        && (msg.get("result").is_some() || msg.get("error").is_some())
}

/// A JSON-RPC error response.
pub fn error(id: Value, code: i64, message: impl Into<String>) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message.into()}})
}

/// A JSON-RPC result response.
pub fn result(id: Value, result: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "result": result})
}

/// The tool name and the checked input of a `tools/call`'s params.
///
/// The input is the full `arguments` value (an empty object when absent). When the call
/// carries `_meta` with anything besides protocol bookkeeping, the input is
/// `{"arguments": …, "_meta": …}` so that payloads hidden in `_meta` are classified too.
/// Bookkeeping is left out (`progressToken`, W3C trace context, keys under the reserved
/// `io.modelcontextprotocol/` prefix) so that a retried call has the same digest, and an
/// approval of the exact call matches it.
pub fn call_input(params: &Value) -> Result<(String, Value), String> {
    let Some(obj) = params.as_object() else {
        return Err("`params` of tools/call must be an object".into());
    };
    let name = match obj.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        _ => return Err("`params.name` of tools/call must be a non-empty string".into()),
    };
    let arguments = obj
        .get("arguments")
        .cloned()
        .unwrap_or_else(|| Value::Object(Map::new()));
    let meta = obj.get("_meta").and_then(Value::as_object).map(|m| {
        m.iter()
            .filter(|(k, _)| !is_bookkeeping(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Map<String, Value>>()
    });
    let input = match meta {
        Some(m) if !m.is_empty() => json!({"arguments": arguments, "_meta": m}),
        _ => arguments,
    };
    Ok((name, input))
}

fn is_bookkeeping(key: &str) -> bool {
    matches!(
        key,
        "progressToken" | "traceparent" | "tracestate" | "baggage"
    ) || key.starts_with("io.modelcontextprotocol/")
}

/// The text a denied call shows the model.
pub fn denial_text(tool: &str, d: &Decision) -> String {
    let mut text = format!("Airlock denied `{tool}`: {}", d.reason);
    if let Some(id) = &d.approval_id {
        text.push_str(&format!(" (approval id: {id})"));
    }
    text
}

/// The tool result a denied call gets: `isError: true`, the reason as text, and the
/// decision under `_meta.airlock` for programs.
pub fn denial_result(tool: &str, d: &Decision) -> Value {
    json!({
        "content": [{"type": "text", "text": denial_text(tool, d)}],
        "isError": true,
        "_meta": {"airlock": {
            "allowed": false,
            "reason": d.reason,
            "approval_id": d.approval_id,
            "elevation_required": d.elevation_required,
            "check_id": d.check_id,
            "session_id": d.session_id,
            "effect": d.effect,
        }},
    })
}

/// The tool result of a call that could not be decided: also `isError`, never forwarded.
pub fn undecided_result(tool: &str, e: &DecideError) -> Value {
    json!({
        "content": [{"type": "text", "text": format!(
            "Airlock denied `{tool}`: the call could not be checked ({e}); it was not run"
        )}],
        "isError": true,
        "_meta": {"airlock": {"allowed": false, "reason": e.to_string()}},
    })
}

/// Decides what to do with one message from the client.
pub async fn on_client_message<D: Decider>(decider: &D, msg: Value) -> ClientAction {
    match msg {
        Value::Array(items) => {
            if items.is_empty() {
                return ClientAction::Reply(error(
                    Value::Null,
                    code::INVALID_REQUEST,
                    "empty batch",
                ));
            }
            if items.iter().any(|m| method(m) == Some("tools/call")) {
                return ClientAction::Reply(error(
                    Value::Null,
                    code::INVALID_REQUEST,
                    "Airlock refuses JSON-RPC batches that contain tools/call: send each call \
                     as its own message",
                ));
            }
            ClientAction::Forward(Value::Array(items))
        }
        Value::Object(_) if method(&msg) == Some("tools/call") => tool_call(decider, msg).await,
        Value::Object(_) => ClientAction::Forward(msg),
        _ => ClientAction::Reply(error(
            Value::Null,
            code::INVALID_REQUEST,
            "a JSON-RPC message must be an object",
        )),
    }
}

async fn tool_call<D: Decider>(decider: &D, msg: Value) -> ClientAction {
    let id = msg.get("id").cloned();
    let answer = |v: Value| match &id {
        Some(id) => ClientAction::Reply(v_with_id(v, id.clone())),
        None => ClientAction::Drop,
    };
    let params = msg.get("params").cloned().unwrap_or(Value::Null);
    let (tool, input) = match call_input(&params) {
        Ok(x) => x,
        Err(why) => return answer(error(Value::Null, code::INVALID_PARAMS, why)),
    };
    let modern = params
        .pointer("/_meta")
        .and_then(Value::as_object)
        .is_some_and(|m| m.contains_key(MODERN_VERSION_KEY));
    let finish = |mut r: Value| {
        // The 2026-07-28 envelope requires `resultType`; older clients may reject the key.
        if modern && let Some(o) = r.as_object_mut() {
            o.insert("resultType".into(), Value::String("complete".into()));
        }
        answer(result(Value::Null, r))
    };
    match decider.check(&tool, input).await {
        Ok(d) if d.allowed => ClientAction::Forward(msg),
        Ok(d) => finish(denial_result(&tool, &d)),
        Err(e) => {
            tracing::warn!(tool = %tool, error = %e, "tools/call denied: Airlock could not decide");
            finish(undecided_result(&tool, &e))
        }
    }
}

/// The `_meta` key that marks a request of the per-request (2026-07-28) protocol envelope.
const MODERN_VERSION_KEY: &str = "io.modelcontextprotocol/protocolVersion";

fn v_with_id(mut v: Value, id: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.insert("id".into(), id);
    }
    v
}

/// True if a response's result looks like a `tools/list` result.
pub fn has_tool_list(msg: &Value) -> bool {
    msg.get("result")
        .and_then(|r| r.get("tools"))
        .is_some_and(Value::is_array)
}

/// Pins and filters the `tools/list` result inside `msg` (a response). On failure the
/// response becomes a JSON-RPC error: a list that could not be checked is not shown.
pub async fn filter_tool_list<D: Decider>(decider: &D, mut msg: Value) -> Value {
    let id = msg.get("id").cloned().unwrap_or(Value::Null);
    let tools = match msg.pointer("/result/tools").and_then(Value::as_array) {
        Some(t) => t.clone(),
        None => return msg,
    };
    let observed = match decider.observe(&tools).await {
        Ok(o) => o,
        Err(e) => {
            tracing::warn!(error = %e, "tools/list refused: Airlock could not check it");
            return error(
                id,
                code::AIRLOCK,
                format!("Airlock could not check the tool list ({e}); it is not shown"),
            );
        }
    };
    let visible: Vec<Value> = tools
        .into_iter()
        .filter(|t| {
            let name = t.get("name").and_then(Value::as_str).unwrap_or_default();
            observed
                .iter()
                .any(|o| o.name == name && o.in_scope && o.status != "changed")
        })
        .collect();
    if let Some(r) = msg.get_mut("result").and_then(Value::as_object_mut) {
        r.insert("tools".into(), Value::Array(visible));
    }
    msg
}

/// Applies the server→client rules to one message: tool lists are filtered; responses to
/// requests for which `is_tools_list` says yes are filtered even when malformed; everything
/// else passes. Batches are handled element by element.
pub async fn on_server_message<D: Decider>(decider: &D, msg: Value) -> Value {
    match msg {
        Value::Array(items) => {
            let mut out = Vec::with_capacity(items.len());
            for m in items {
                out.push(Box::pin(on_server_message(decider, m)).await);
            }
            Value::Array(out)
        }
        m if is_response(&m) && has_tool_list(&m) => filter_tool_list(decider, m).await,
        m => m,
    }
}

/// True if a server message (or batch) contains a tool list to filter.
pub fn needs_filter(msg: &Value) -> bool {
    match msg {
        Value::Array(items) => items.iter().any(needs_filter),
        m => is_response(m) && has_tool_list(m),
    }
}

#[cfg(test)]
#[path = "relay_tests.rs"]
mod tests;
