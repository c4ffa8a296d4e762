//! The rules every MCP path applies, independent of the transport.
//!
//! - Every client message is checked or refused ([`crate::methods`]): methods are matched
//!   exactly as the MCP specification spells them. `tools/call` is decided as the tool with
//!   its `arguments` (see [`call_input`]); `resources/read` and `resources/subscribe`,
//!   `prompts/get`, `completion/complete` and `logging/setLevel` are decided as the actions
//!   `resources.read`, `prompts.get`, `completion.complete` and `logging.set_level`. Allowed:
//!   the message is forwarded as parsed and re-serialized, so the upstream sees exactly what
//!   was checked. Denied, or Airlock could not decide: a denied tool call gets a tool result
//!   with `isError: true` whose text gives the reason and the approval id, any other denied
//!   request a JSON-RPC error, and the upstream never sees it.
//! - A custom method the server's registration lists in `allowed_methods` (exact names) is
//!   checked like a tool call, as the action `mcp.<method>` with its params as input
//!   ([`methods::custom_call`]); never forwarded unchecked.
//! - Refused, and recorded in the session's decision log like a denied call: a method
//!   Airlock does not know (another spelling, a custom method not allowed), a client-sent `sampling/*`,
//!   `elicitation/*` or `roots/list`, a notification that is not a client notification of
//!   MCP, a response to a request the server never sent through this connection, and
//!   anything that is not a JSON-RPC message.
//! - A batch (JSON array) is checked element by element, and forwarded only if every element
//!   would be: otherwise nothing of it goes upstream and its requests get errors.
//! - A `tools/list` result is observed (tool pinning) and filtered to the tools inside the
//!   session's scope ceiling whose definition is not changed since it was pinned. A changed
//!   tool is hidden, so its new description never reaches the model; calls to it are
//!   denied by the pipeline until an operator accepts the new definition.

use std::collections::HashSet;
use std::future::Future;
use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Map, Value, json};

use airlock_server::service::mcp_methods::custom_method_problem;

use crate::hold::ClientSink;
use crate::methods::{self, CheckedCall, Route};

/// JSON-RPC error codes used by the gateway.
pub mod code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const INTERNAL: i64 = -32603;
    /// The upstream MCP server failed, timed out or answered nonsense.
    pub const UPSTREAM: i64 = -32001;
    /// Airlock could not check something (tool list) and refused to pass it.
    pub const AIRLOCK: i64 = -32002;
    /// Airlock denied a request other than a tool call.
    pub const DENIED: i64 = -32003;
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
    /// The pipeline step that decided (`allowed`, `read_only`, `refused`, …); empty when
    /// an answer did not say.
    pub rule: String,
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

/// An effect a path declares for a call: the classified effect is raised to it, never
/// lowered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared {
    Mutating,
    Admin,
}

impl Declared {
    pub fn as_str(self) -> &'static str {
        match self {
            Declared::Mutating => "mutating",
            Declared::Admin => "admin",
        }
    }
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
    /// Decides one call of `action` with `input`, and records it. `declared` raises the
    /// classified effect, never lowers it.
    fn check(
        &self,
        action: &str,
        input: Value,
        declared: Option<Declared>,
    ) -> impl Future<Output = Result<Decision, DecideError>> + Send;

    /// Records a message Airlock refused, as a call of `action` with `input` that the check
    /// denies for `reason` (rule `refused`, no approval offered).
    fn refuse(
        &self,
        action: &str,
        input: Value,
        reason: &str,
    ) -> impl Future<Output = Result<Decision, DecideError>> + Send;

    /// Records the tool definitions of an upstream `tools/list` (pinning) and says which are
    /// changed and which are inside the session's scope ceiling.
    fn observe(
        &self,
        tools: &[Value],
    ) -> impl Future<Output = Result<Vec<ObservedTool>, DecideError>> + Send;

    /// True if the server's registration lists `method`, exactly, as a custom method it
    /// implements (see [`airlock_server::service::mcp_methods::is_allowed_custom`]). Asked only
    /// for methods the specification does not define. A decider that knows no registration
    /// allows none.
    fn allows_method(
        &self,
        method: &str,
    ) -> impl Future<Output = Result<bool, DecideError>> + Send {
        let _ = method;
        async { Ok(false) }
    }

    /// How long a `tools/call` denied with an approval to ask for may be held waiting for the
    /// approval to be decided ([`crate::wait`]). Zero (the default): denied at once.
    fn approval_wait(&self) -> Duration {
        Duration::ZERO
    }

    /// Where a person decides approval `id` (the console's page for it), if known.
    fn approval_link(&self, id: &str) -> Option<String> {
        let _ = id;
        None
    }

    /// The session the calls are decided in, if already known.
    fn session_hint(&self) -> Option<String> {
        None
    }

    /// The status of approval `id`: `pending`, `approved`, `denied`, `expired` or `used`. A
    /// decider that cannot read approvals answers an error, and nothing waits.
    fn approval_status(
        &self,
        id: &str,
    ) -> impl Future<Output = Result<String, DecideError>> + Send {
        let _ = id;
        async { Err(DecideError::Refused("approvals cannot be read here".into())) }
    }
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
    /// A message with no request to answer (a notification, a response, something malformed)
    /// refused: the HTTP gateway sends this error with status 400, the wrapper logs it.
    Reject(Value),
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
    // What else reaches the upstream with the call is judged with it: payloads hidden in
    // `_meta`, and the upstream's own input-required round trip (Airlock's is taken out
    // before this, see [`crate::tool_call`]).
    let mut extra = Map::new();
    if let Some(m) = payload_meta(obj) {
        extra.insert("_meta".into(), Value::Object(m));
    }
    for key in ["inputResponses", "requestState"] {
        if let Some(v) = obj.get(key) {
            extra.insert(key.into(), v.clone());
        }
    }
    let input = if extra.is_empty() {
        arguments
    } else {
        extra.insert("arguments".into(), arguments);
        Value::Object(extra)
    };
    Ok((name, input))
}

/// The `_meta` of a request's params without protocol bookkeeping; `None` when nothing is
/// left (payloads hidden in `_meta` are classified with the input).
pub fn payload_meta(params: &Map<String, Value>) -> Option<Map<String, Value>> {
    let m: Map<String, Value> = params
        .get("_meta")
        .and_then(Value::as_object)?
        .iter()
        .filter(|(k, _)| !is_bookkeeping(k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    (!m.is_empty()).then_some(m)
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
        "_meta": decision_meta(d),
    })
}

/// A denial for programs: `{"airlock": {…}}`.
pub fn decision_meta(d: &Decision) -> Value {
    json!({"airlock": {
        "allowed": false,
        "reason": d.reason,
        "approval_id": d.approval_id,
        "elevation_required": d.elevation_required,
        "check_id": d.check_id,
        "session_id": d.session_id,
        "effect": d.effect,
    }})
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

/// Responses the client may send: the ids of the requests the server sent it through this
/// connection and that it has not answered yet.
#[derive(Debug, Default)]
pub struct Outstanding {
    ids: Mutex<HashSet<String>>,
    /// Calls held for their approvals and Airlock's own questions to the client.
    pub conversation: crate::hold::Conversation,
}

/// The most unanswered server requests remembered per connection; past it the oldest are
/// forgotten all at once (their late answers are refused: fail closed).
const MAX_OUTSTANDING: usize = 4_096;

impl Outstanding {
    /// Notes the requests of a server message (or batch) about to reach the client.
    pub fn note(&self, msg: &Value) {
        match msg {
            Value::Array(items) => items.iter().for_each(|m| self.note(m)),
            m if is_request(m) => {
                if let (Some(id), Ok(mut ids)) = (m.get("id"), self.ids.lock()) {
                    if ids.len() >= MAX_OUTSTANDING {
                        ids.clear();
                    }
                    ids.insert(id.to_string());
                }
            }
            _ => {}
        }
    }

    /// True (once) if `id` is a server request the client has not answered yet.
    fn take(&self, id: &Value) -> bool {
        self.ids
            .lock()
            .map(|mut ids| ids.remove(&id.to_string()))
            .unwrap_or(false)
    }
}

/// The action under which refused messages are recorded.
pub const REFUSED_ACTION: &str = "mcp.refused";

/// Records a refused message in the session's decision log: the check is told the message is
/// refused and why, so the pipeline denies it (rule `refused`) and offers no approval. The
/// message is refused whatever the record says; a record that fails is logged and the
/// refusal stands.
pub async fn record_refusal<D: Decider>(
    decider: &D,
    msg: &Value,
    reason: &str,
) -> Option<Decision> {
    let method = msg.get("method").cloned().unwrap_or(Value::Null);
    let input = json!({"method": method, "reason": reason, "message": msg});
    match decider
        .refuse(REFUSED_ACTION, input, &refusal_reason(reason))
        .await
    {
        Ok(d) => Some(d),
        Err(e) => {
            tracing::warn!(error = %e, reason, "a refused MCP message could not be recorded");
            None
        }
    }
}

/// A reason the check accepts: control characters (a method may carry them) written as
/// escapes, and no longer than the service's limit (the whole message is in the input).
pub fn refusal_reason(reason: &str) -> String {
    let max = airlock_server::service::validate::MAX_REFUSAL;
    let mut out = String::with_capacity(reason.len().min(max));
    for c in reason.chars() {
        let piece = if c.is_control() {
            c.escape_unicode().to_string()
        } else {
            c.to_string()
        };
        if out.len() + piece.len() > max {
            break;
        }
        out.push_str(&piece);
    }
    out
}

/// The refusal of one message: recorded, then answered if it has an id.
pub(crate) async fn refuse<D: Decider>(
    decider: &D,
    msg: &Value,
    code: i64,
    reason: String,
) -> ClientAction {
    let decision = record_refusal(decider, msg, &reason).await;
    let data = json!({"airlock": {
        "allowed": false,
        "reason": reason,
        "check_id": decision.as_ref().map(|d| d.check_id.clone()),
        "session_id": decision.as_ref().map(|d| d.session_id.clone()),
        "rule": decision.as_ref().map(|d| d.rule.clone()),
    }});
    let message = format!("Airlock refused this message: {reason}");
    match (msg.get("id"), msg.get("method")) {
        (Some(id), Some(_)) => ClientAction::Reply(error_with(id.clone(), code, message, data)),
        _ => ClientAction::Reject(error_with(Value::Null, code, message, data)),
    }
}

/// A JSON-RPC error response with `data`.
pub fn error_with(id: Value, code: i64, message: impl Into<String>, data: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code, "message": message.into(), "data": data}})
}

/// Decides what to do with one message from the client (see the module's rules).
pub async fn on_client_message<D: Decider>(
    decider: &D,
    outstanding: &Outstanding,
    msg: Value,
) -> ClientAction {
    on_client_message_with(decider, outstanding, msg, None).await
}

/// [`on_client_message`] where a held `tools/call` can talk to its client through `sink`
/// (progress, the approval link: [`crate::hold`]).
pub async fn on_client_message_with<D: Decider>(
    decider: &D,
    outstanding: &Outstanding,
    msg: Value,
    sink: Option<ClientSink>,
) -> ClientAction {
    match msg {
        Value::Array(items) => batch(decider, outstanding, items).await,
        msg => single(decider, outstanding, msg, sink).await,
    }
}

async fn batch<D: Decider>(
    decider: &D,
    outstanding: &Outstanding,
    items: Vec<Value>,
) -> ClientAction {
    if items.is_empty() {
        return refuse(
            decider,
            &Value::Array(items),
            code::INVALID_REQUEST,
            "an empty batch".into(),
        )
        .await;
    }
    let mut actions = Vec::with_capacity(items.len());
    for m in &items {
        actions.push(single(decider, outstanding, m.clone(), None).await);
    }
    if actions
        .iter()
        .all(|a| matches!(a, ClientAction::Forward(_)))
    {
        return ClientAction::Forward(Value::Array(
            actions
                .into_iter()
                .filter_map(|a| match a {
                    ClientAction::Forward(m) => Some(m),
                    _ => None,
                })
                .collect(),
        ));
    }
    // All or nothing: a batch answered partly here and partly upstream is not JSON-RPC.
    let replies: Vec<Value> = actions
        .into_iter()
        .zip(&items)
        .filter_map(|(a, m)| match a {
            ClientAction::Reply(v) => Some(v),
            ClientAction::Forward(_) if is_request(m) => Some(error(
                m.get("id").cloned().unwrap_or(Value::Null),
                code::INVALID_REQUEST,
                "not sent: another message of its batch was refused",
            )),
            _ => None,
        })
        .collect();
    if replies.is_empty() {
        ClientAction::Reject(error(
            Value::Null,
            code::INVALID_REQUEST,
            "Airlock refused this batch: one of its messages was refused",
        ))
    } else {
        ClientAction::Reply(Value::Array(replies))
    }
}

async fn single<D: Decider>(
    decider: &D,
    outstanding: &Outstanding,
    msg: Value,
    sink: Option<ClientSink>,
) -> ClientAction {
    if !msg.is_object() {
        return refuse(
            decider,
            &msg,
            code::INVALID_REQUEST,
            "a JSON-RPC message must be an object".into(),
        )
        .await;
    }
    let request = msg.get("id").is_some();
    let method = match msg.get("method") {
        Some(Value::String(m)) => m.clone(),
        Some(_) => {
            return refuse(
                decider,
                &msg,
                code::INVALID_REQUEST,
                "`method` must be a string".into(),
            )
            .await;
        }
        None if is_response(&msg) => {
            if outstanding.conversation.answer(&msg) {
                // An answer to Airlock's own question (the approval link): never upstream.
                return ClientAction::Drop;
            }
            return match msg.get("id") {
                Some(id) if outstanding.take(id) => ClientAction::Forward(msg),
                _ => {
                    let why = "a response to a request the server never sent through Airlock";
                    refuse(decider, &msg, code::INVALID_REQUEST, why.into()).await
                }
            };
        }
        None => {
            let why = "not a JSON-RPC request, notification or response";
            return refuse(decider, &msg, code::INVALID_REQUEST, why.into()).await;
        }
    };
    outstanding.conversation.observe_client(&msg);
    match methods::route(&method, request) {
        Route::Pass if method == "notifications/cancelled" => {
            let target = msg.pointer("/params/requestId").cloned();
            let why = msg
                .pointer("/params/reason")
                .and_then(Value::as_str)
                .unwrap_or("cancelled by the client")
                .to_string();
            match target {
                // The upstream never saw a held call: its cancellation stays here.
                Some(id) if outstanding.conversation.cancel(&id, why) => ClientAction::Drop,
                _ => ClientAction::Forward(msg),
            }
        }
        Route::Pass => ClientAction::Forward(msg),
        Route::Tool => crate::tool_call::tool_call(decider, outstanding, msg, sink).await,
        Route::Check(kind) => {
            let params = msg.get("params").cloned().unwrap_or(Value::Null);
            match methods::checked_calls(kind, &method, &params) {
                Ok(calls) => checked_request(decider, msg, &method, calls).await,
                Err(why) => refuse(decider, &msg, code::INVALID_PARAMS, why).await,
            }
        }
        Route::Refuse { code, reason } => {
            if custom_method_problem(&method).is_some() {
                return refuse(decider, &msg, code, reason).await;
            }
            match decider.allows_method(&method).await {
                Ok(true) => custom_method(decider, msg, &method, request).await,
                Ok(false) => refuse(decider, &msg, code, reason).await,
                Err(e) => {
                    let why =
                        format!("{reason} (the server's allowed methods could not be read: {e})");
                    refuse(decider, &msg, code, why).await
                }
            }
        }
    }
}

/// A custom method the server's registration allows: checked as `mcp.<method>` with its
/// params. A request is forwarded if allowed, else answered with a JSON-RPC error; a
/// notification is forwarded if allowed, else dropped (the check recorded it).
async fn custom_method<D: Decider>(
    decider: &D,
    msg: Value,
    method: &str,
    request: bool,
) -> ClientAction {
    let params = msg.get("params").cloned().unwrap_or(Value::Null);
    let call = match methods::custom_call(method, &params) {
        Ok(call) => call,
        Err(why) => return refuse(decider, &msg, code::INVALID_PARAMS, why).await,
    };
    if request {
        return checked_request(decider, msg, method, vec![call]).await;
    }
    match decider.check(&call.action, call.input, call.declared).await {
        Ok(d) if d.allowed => ClientAction::Forward(msg),
        Ok(_) => ClientAction::Drop,
        Err(e) => {
            tracing::warn!(method, error = %e, "notification dropped: Airlock could not decide");
            ClientAction::Drop
        }
    }
}

/// A checked request other than a tool call: forwarded if every check allows it, else a
/// JSON-RPC error for the first denial.
async fn checked_request<D: Decider>(
    decider: &D,
    msg: Value,
    method: &str,
    calls: Vec<CheckedCall>,
) -> ClientAction {
    let id = msg.get("id").cloned().unwrap_or(Value::Null);
    for call in calls {
        match decider.check(&call.action, call.input, call.declared).await {
            Ok(d) if d.allowed => {}
            Ok(d) => {
                return ClientAction::Reply(error_with(
                    id,
                    code::DENIED,
                    denial_text(&call.action, &d),
                    decision_meta(&d),
                ));
            }
            Err(e) => {
                tracing::warn!(method, error = %e, "request denied: Airlock could not decide");
                return ClientAction::Reply(error_with(
                    id,
                    code::DENIED,
                    format!(
                        "Airlock denied `{method}`: it could not be checked ({e}); it was not sent"
                    ),
                    json!({"airlock": {"allowed": false, "reason": e.to_string()}}),
                ));
            }
        }
    }
    ClientAction::Forward(msg)
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
