//! The A2A gateway's JSON-RPC 2.0 layer, as plain values: the request envelope, the methods,
//! the messages of A2A 1.0 (`message/send`) and 0.3 (`tasks/send`) with their limits, what a
//! message gives the classifier, and the two shapes a task is answered in.

use serde_json::{Map, Value, json};

use airlock_store::a2a::A2aTask;
use airlock_store::model::ts;

use crate::service::{clip, validate};

/// JSON-RPC and A2A error codes the gateway answers.
pub mod code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const INTERNAL: i64 = -32603;
    /// A2A `TaskNotFoundError`: no such task in the caller's organization (or for this agent).
    pub const TASK_NOT_FOUND: i64 = -32001;
    /// A2A `TaskNotCancelableError`: the task is in a terminal state.
    pub const TASK_NOT_CANCELABLE: i64 = -32002;
    /// A2A `UnsupportedOperationError`: a message to a task in a terminal state.
    pub const UNSUPPORTED_OPERATION: i64 = -32004;
    /// A2A `InvalidAgentResponseError`: the target agent failed, timed out or answered
    /// nonsense; the task failed (fail closed).
    pub const INVALID_AGENT_RESPONSE: i64 = -32006;
    /// Airlock denied the call; `data` carries the recorded decision.
    pub const DENIED: i64 = -32010;
}

/// Largest message (its JSON), in bytes: the classifier's bound.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024;
/// Most parts in one message.
pub const MAX_PARTS: usize = 32;
/// Largest `metadata` object (its JSON), in bytes.
pub const MAX_METADATA_BYTES: usize = 16 * 1024;
/// Most messages a task's history keeps; a task that is full takes no more messages.
pub const MAX_HISTORY: usize = 100;

/// The methods the gateway serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    MessageSend,
    TasksSend,
    TasksGet,
    TasksCancel,
    TasksResubscribe,
}

impl Method {
    pub fn parse(name: &str) -> Option<Method> {
        Some(match name {
            "message/send" => Method::MessageSend,
            "tasks/send" => Method::TasksSend,
            "tasks/get" => Method::TasksGet,
            "tasks/cancel" => Method::TasksCancel,
            "tasks/resubscribe" => Method::TasksResubscribe,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        match self {
            Method::MessageSend => "message/send",
            Method::TasksSend => "tasks/send",
            Method::TasksGet => "tasks/get",
            Method::TasksCancel => "tasks/cancel",
            Method::TasksResubscribe => "tasks/resubscribe",
        }
    }

    /// The action the pipeline decides: `a2a.<method>`.
    pub fn action(self) -> String {
        format!("a2a.{}", self.name())
    }
}

/// A JSON-RPC error as the gateway answers it.
#[derive(Debug, Clone, PartialEq)]
pub struct RpcError {
    pub code: i64,
    pub message: String,
    pub data: Option<Value>,
}

impl RpcError {
    pub fn new(code: i64, message: impl Into<String>) -> RpcError {
        RpcError {
            code,
            message: message.into(),
            data: None,
        }
    }

    pub fn params(message: impl Into<String>) -> RpcError {
        RpcError::new(code::INVALID_PARAMS, message)
    }

    /// True for errors of the request's form (parse error, invalid request): answered with
    /// HTTP 400, as the JSON-RPC-over-HTTP convention has it; every other error is HTTP 200.
    pub fn is_malformed(&self) -> bool {
        matches!(self.code, code::PARSE_ERROR | code::INVALID_REQUEST)
    }
}

/// The answer to one JSON-RPC request: a `result` or an `error`, for the request's `id`.
pub fn response(id: &Value, outcome: Result<Value, RpcError>) -> Value {
    match outcome {
        Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
        Err(e) => {
            let mut error = json!({"code": e.code, "message": e.message});
            if let (Some(data), Some(obj)) = (e.data, error.as_object_mut()) {
                obj.insert("data".into(), data);
            }
            json!({"jsonrpc": "2.0", "id": id, "error": error})
        }
    }
}

/// A well-formed request.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub id: Value,
    pub method: String,
    pub params: Map<String, Value>,
}

/// Parses the envelope. The error carries the id to answer with (`null` when none is known).
pub fn parse_request(bytes: &[u8]) -> Result<Request, Box<(Value, RpcError)>> {
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        Box::new((
            Value::Null,
            RpcError::new(code::PARSE_ERROR, format!("invalid JSON: {e}")),
        ))
    })?;
    let invalid = |id: Value, m: &str| Err(Box::new((id, RpcError::new(code::INVALID_REQUEST, m))));
    let Value::Object(mut obj) = value else {
        return invalid(
            Value::Null,
            "a request must be one JSON-RPC 2.0 object (batches are not served)",
        );
    };
    let id = match obj.remove("id") {
        Some(id @ (Value::String(_) | Value::Number(_))) => id,
        _ => {
            return invalid(
                Value::Null,
                "`id` must be a string or a number: the A2A methods are requests",
            );
        }
    };
    if let Value::String(s) = &id
        && s.len() > validate::MAX_ID
    {
        return invalid(
            Value::Null,
            &format!("`id` is longer than {} bytes", validate::MAX_ID),
        );
    }
    if obj.get("jsonrpc").and_then(Value::as_str) != Some("2.0") {
        return invalid(id, "`jsonrpc` must be \"2.0\"");
    }
    let method = match obj.remove("method") {
        Some(Value::String(m)) if !m.is_empty() && m.len() <= 128 => m,
        _ => {
            return invalid(
                id,
                "`method` must be a non-empty string of at most 128 bytes",
            );
        }
    };
    let params = match obj.remove("params") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(p)) => p,
        Some(_) => {
            return Err(Box::new((
                id,
                RpcError::params("`params` must be an object"),
            )));
        }
    };
    Ok(Request { id, method, params })
}

/// An optional string id parameter; empty or absent is `None`.
pub fn id_param(params: &Map<String, Value>, field: &str) -> Result<Option<String>, RpcError> {
    match params.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(None),
        Some(Value::String(s)) => validate::id(field, s)
            .map(|v| Some(v.to_string()))
            .map_err(|e| RpcError::params(e.to_string())),
        Some(_) => Err(RpcError::params(format!("`{field}` must be a string"))),
    }
}

/// The task id of `tasks/get`, `tasks/cancel`, `tasks/resubscribe`: `id` (A2A, the TS and Rust
/// SDKs) or `task_id` (the Python SDK); both given must agree.
pub fn task_id_param(params: &Map<String, Value>) -> Result<String, RpcError> {
    match (id_param(params, "id")?, id_param(params, "task_id")?) {
        (Some(a), Some(b)) if a != b => {
            Err(RpcError::params("`id` and `task_id` name different tasks"))
        }
        (Some(a), _) | (None, Some(a)) => Ok(a),
        (None, None) => Err(RpcError::params("`id` (or `task_id`) is required")),
    }
}

/// The caller's `metadata`: an object of at most [`MAX_METADATA_BYTES`]; absent is `{}`.
pub fn metadata_param(params: &Map<String, Value>) -> Result<Value, RpcError> {
    match params.get("metadata") {
        None | Some(Value::Null) => Ok(json!({})),
        Some(m @ Value::Object(_)) => {
            if m.to_string().len() > MAX_METADATA_BYTES {
                return Err(RpcError::params(format!(
                    "`metadata` is larger than {MAX_METADATA_BYTES} bytes"
                )));
            }
            Ok(m.clone())
        }
        Some(_) => Err(RpcError::params("`metadata` must be an object")),
    }
}

/// A checked A2A message.
#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    /// The message as it is kept and forwarded (A2A 1.0 shape, `kind: "message"`).
    pub value: Value,
    /// What the classifier reads: the text when every part is text, else each part's content.
    pub input: Value,
    /// The task it continues, if it names one.
    pub task_id: Option<String>,
    pub context_id: Option<String>,
}

/// Parses an A2A 1.0 message object (`{role, parts[], messageId, taskId?, contextId?}`).
pub fn parse_message(
    value: &Value,
    new_message_id: impl FnOnce() -> String,
) -> Result<Message, RpcError> {
    let Some(obj) = value.as_object() else {
        return Err(RpcError::params("`message` must be an object"));
    };
    if value.to_string().len() > MAX_MESSAGE_BYTES {
        return Err(RpcError::params(format!(
            "`message` is larger than {MAX_MESSAGE_BYTES} bytes"
        )));
    }
    let role = match obj.get("role") {
        None | Some(Value::Null) => "user",
        Some(Value::String(r)) if matches!(r.as_str(), "user" | "agent") => r.as_str(),
        Some(Value::String(r)) if matches!(r.as_str(), "ROLE_USER") => "user",
        Some(Value::String(r)) if matches!(r.as_str(), "ROLE_AGENT") => "agent",
        Some(_) => return Err(RpcError::params("`message.role` must be `user` or `agent`")),
    };
    let parts = match obj.get("parts") {
        Some(Value::Array(p)) if !p.is_empty() => p,
        _ => {
            return Err(RpcError::params(
                "`message.parts` must be a non-empty array",
            ));
        }
    };
    if parts.len() > MAX_PARTS {
        return Err(RpcError::params(format!(
            "`message.parts` has more than {MAX_PARTS} parts"
        )));
    }
    let mut kept = Vec::with_capacity(parts.len());
    let mut contents: Vec<Value> = Vec::with_capacity(parts.len());
    let mut texts = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        let (kept_part, content, text) = parse_part(i, part)?;
        kept.push(kept_part);
        contents.push(content);
        if let Some(t) = text {
            texts.push(t);
        }
    }
    let text = texts.join("\n");
    let spans = embedded(&text);
    let input = if texts.len() == contents.len() && spans.is_empty() {
        Value::String(text)
    } else if texts.len() == contents.len() {
        Value::Array(
            std::iter::once(text)
                .chain(spans)
                .map(Value::String)
                .collect(),
        )
    } else {
        contents.extend(spans.into_iter().map(Value::String));
        Value::Array(contents)
    };
    // The message's metadata travels with it to the target: it is classified with the text.
    let metadata = obj
        .get("metadata")
        .filter(|m| m.as_object().is_some_and(|o| !o.is_empty()));
    let input = match metadata {
        Some(m) => json!({"message": input, "metadata": m}),
        None => input,
    };
    let message_id = match id_param(obj, "messageId")? {
        Some(m) => m,
        None => new_message_id(),
    };
    let task_id = id_param(obj, "taskId")?;
    let context_id = id_param(obj, "contextId")?;
    let mut out = json!({
        "kind": "message",
        "role": role,
        "parts": kept,
        "messageId": message_id,
    });
    if let Some(m) = metadata
        && let Some(o) = out.as_object_mut()
    {
        o.insert("metadata".into(), m.clone());
    }
    Ok(Message {
        value: out,
        input,
        task_id,
        context_id,
    })
}

/// Most spans read out of one message's prose, and their total size.
const MAX_SPANS: usize = 32;
const MAX_SPAN_BYTES: usize = 16 * 1024;

/// Commands and statements carried inside prose, each classified beside the whole text (the
/// content classifier reads a string as one statement or command, so `please run rm -rf / on
/// the host` alone reads as nothing): fenced code blocks, inline code spans, what follows an
/// imperative `run` / `execute` / `exec`, and a line's text from the first word of a run of
/// upper-case words (how SQL keywords are written: `… then DROP TABLE users`). A span can only
/// add evidence: the classifier takes the highest effect of the text and its spans.
pub fn embedded(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut total = 0;
    let mut add = |span: &str, out: &mut Vec<String>| {
        let span = span
            .trim()
            .trim_matches(|c: char| matches!(c, '"' | '\'' | ':' | ','));
        let span = span.trim();
        if span.is_empty() || span == text.trim() || out.len() >= MAX_SPANS {
            return;
        }
        let span = clip(span, 4096);
        if total + span.len() > MAX_SPAN_BYTES || out.iter().any(|s| s == span) {
            return;
        }
        total += span.len();
        out.push(span.to_string());
    };
    // Fenced blocks (```lang\n…```), then inline spans of the text outside them.
    let mut outside = String::with_capacity(text.len());
    for (i, piece) in text.split("```").enumerate() {
        if i % 2 == 1 {
            let body = piece.split_once('\n').map_or(piece, |(first, rest)| {
                if first.trim().chars().all(|c| c.is_ascii_alphanumeric()) {
                    rest
                } else {
                    piece
                }
            });
            add(body, &mut out);
        } else {
            outside.push_str(piece);
            outside.push('\n');
        }
    }
    for (i, piece) in outside.split('`').enumerate() {
        if i % 2 == 1 && !piece.contains('\n') {
            add(piece, &mut out);
        }
    }
    for line in outside.lines() {
        let words: Vec<(usize, &str)> = line
            .split_whitespace()
            .map(|w| (w.as_ptr() as usize - line.as_ptr() as usize, w))
            .collect();
        let mut previous_upper = false;
        for (n, (at, word)) in words.iter().enumerate() {
            let bare = word.trim_matches(|c: char| !c.is_ascii_alphanumeric());
            let upper = bare.len() >= 3 && bare.chars().all(|c| c.is_ascii_uppercase());
            if upper && !previous_upper {
                add(line.get(*at..).unwrap_or_default(), &mut out);
            }
            previous_upper = upper;
            let imperative = matches!(
                bare.to_ascii_lowercase().as_str(),
                "run" | "execute" | "exec"
            );
            if imperative && let Some((next, _)) = words.get(n + 1) {
                add(line.get(*next..).unwrap_or_default(), &mut out);
            }
        }
    }
    out
}

/// One part: what is kept, what the classifier reads, and its text if it is a text part.
/// Accepts the 0.3 `kind` discriminator and the 1.0 shapes (`text`, `data`, `file`, `raw`,
/// `url` members).
fn parse_part(i: usize, part: &Value) -> Result<(Value, Value, Option<String>), RpcError> {
    let bad = |what: &str| RpcError::params(format!("`message.parts[{i}]` {what}"));
    let Some(obj) = part.as_object() else {
        return Err(bad("must be an object"));
    };
    let kind = obj.get("kind").and_then(Value::as_str);
    if let Some(Value::String(text)) = obj.get("text")
        && matches!(kind, None | Some("text"))
    {
        return Ok((
            json!({"kind": "text", "text": text}),
            Value::String(text.clone()),
            Some(text.clone()),
        ));
    }
    if let Some(data) = obj.get("data")
        && matches!(kind, None | Some("data"))
    {
        return Ok((json!({"kind": "data", "data": data}), data.clone(), None));
    }
    if let Some(file) = obj.get("file").filter(|f| f.is_object())
        && matches!(kind, None | Some("file"))
    {
        return Ok((json!({"kind": "file", "file": file}), file.clone(), None));
    }
    if kind.is_none() && (obj.contains_key("raw") || obj.contains_key("url")) {
        let file: Map<String, Value> = obj
            .iter()
            .filter(|(k, _)| matches!(k.as_str(), "raw" | "url" | "filename" | "mediaType"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        let file = Value::Object(file);
        return Ok((json!({"kind": "file", "file": file}), file, None));
    }
    Err(bad("must be a text, data or file part"))
}

/// The 0.3 `tasks/send` message: a string (the Python SDK), an A2A message object with
/// `parts`, or any other object (the Rust SDK's `{"text": …}`), classified whole.
pub fn parse_legacy_message(
    value: Option<&Value>,
    new_message_id: impl FnOnce() -> String,
) -> Result<(Value, Message), RpcError> {
    match value {
        Some(Value::String(text)) => {
            if text.trim().is_empty() {
                return Err(RpcError::params("`message` is empty"));
            }
            if text.len() > MAX_MESSAGE_BYTES {
                return Err(RpcError::params(format!(
                    "`message` is larger than {MAX_MESSAGE_BYTES} bytes"
                )));
            }
            let as_v1 = json!({"role": "user", "parts": [{"kind": "text", "text": text}]});
            let m = parse_message(&as_v1, new_message_id)?;
            Ok((value.cloned().unwrap_or(Value::Null), m))
        }
        Some(v @ Value::Object(obj)) if obj.contains_key("parts") => {
            Ok((v.clone(), parse_message(v, new_message_id)?))
        }
        Some(v @ Value::Object(obj)) => {
            if v.to_string().len() > MAX_MESSAGE_BYTES {
                return Err(RpcError::params(format!(
                    "`message` is larger than {MAX_MESSAGE_BYTES} bytes"
                )));
            }
            if obj.is_empty() {
                return Err(RpcError::params("`message` is empty"));
            }
            let (part, input) = match obj.get("text") {
                Some(Value::String(t)) if obj.len() == 1 => {
                    (json!({"kind": "text", "text": t}), Value::String(t.clone()))
                }
                _ => (json!({"kind": "data", "data": v}), v.clone()),
            };
            Ok((
                v.clone(),
                Message {
                    value: json!({
                        "kind": "message",
                        "role": "user",
                        "parts": [part],
                        "messageId": new_message_id(),
                    }),
                    input,
                    task_id: None,
                    context_id: None,
                },
            ))
        }
        None | Some(Value::Null) => Err(RpcError::params("`message` is required")),
        Some(_) => Err(RpcError::params("`message` must be a string or an object")),
    }
}

/// The A2A states a task can be in.
pub const STATES: &[&str] = &[
    "submitted",
    "working",
    "input-required",
    "auth-required",
    "completed",
    "canceled",
    "failed",
    "rejected",
];

/// Whether `state` ends a task.
pub fn is_terminal(state: &str) -> bool {
    airlock_store::a2a::TERMINAL_STATES.contains(&state)
}

/// A task in the A2A 1.0 shape (`message/send`).
pub fn v1_task(t: &A2aTask) -> Value {
    json!({
        "kind": "task",
        "id": t.id,
        "contextId": t.context_id,
        "status": {"state": t.state, "timestamp": ts(t.updated_at)},
        "history": t.history,
        "artifacts": t.artifacts,
        "metadata": t.metadata,
    })
}

/// A task in the 0.3 shape the SDKs' `tasks/send` read.
pub fn legacy_task(t: &A2aTask) -> Value {
    json!({
        "id": t.id,
        "context_id": t.context_id,
        "source_agent_id": t.source_agent_id,
        "target_agent_id": t.target_agent_id,
        "status": t.state,
        "message": t.message,
        "artifacts": t.artifacts,
        "metadata": t.metadata,
        "created_at": ts(t.created_at),
        "updated_at": ts(t.updated_at),
    })
}

/// A task in the shape of the method that created it.
pub fn task_view(t: &A2aTask) -> Value {
    if t.protocol == "legacy" {
        legacy_task(t)
    } else {
        v1_task(t)
    }
}

/// What a target agent's answer to a forwarded `message/send` means for the task.
#[derive(Debug, Clone, PartialEq)]
pub struct Upstream {
    pub state: String,
    pub task_id: Option<String>,
    /// Messages to append to the history (the agent's reply).
    pub messages: Vec<Value>,
    pub artifacts: Vec<Value>,
}

/// Reads a target agent's JSON-RPC answer: a Task or a Message result. Anything else (an
/// error, an unknown state, a malformed result) is an error: the task fails.
pub fn read_upstream(body: &[u8]) -> Result<Upstream, String> {
    let v: Value = serde_json::from_slice(body)
        .map_err(|_| "the agent answered something other than JSON".to_string())?;
    if let Some(e) = v.get("error") {
        let m = e
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("no message");
        return Err(format!("the agent answered an error: {}", clip(m, 300)));
    }
    let Some(result) = v.get("result").filter(|r| r.is_object()) else {
        return Err("the agent's answer has no result object".into());
    };
    let kind = result.get("kind").and_then(Value::as_str);
    let is_message = kind == Some("message") || (kind.is_none() && result.get("parts").is_some());
    if is_message {
        return Ok(Upstream {
            state: "completed".into(),
            task_id: None,
            messages: vec![result.clone()],
            artifacts: Vec::new(),
        });
    }
    let state = result
        .get("status")
        .and_then(|s| s.get("state"))
        .and_then(Value::as_str)
        .map(|s| {
            s.trim_start_matches("TASK_STATE_")
                .to_ascii_lowercase()
                .replace('_', "-")
        })
        .ok_or_else(|| "the agent's task has no status.state".to_string())?;
    let state = match state.as_str() {
        "cancelled" => "canceled".to_string(),
        s if STATES.contains(&s) => s.to_string(),
        other => {
            return Err(format!(
                "the agent's task is in an unknown state `{}`",
                clip(other, 40)
            ));
        }
    };
    let artifacts = match result.get("artifacts") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(a)) => a.clone(),
        Some(_) => return Err("the agent's artifacts are not an array".into()),
    };
    let messages = result
        .get("status")
        .and_then(|s| s.get("message"))
        .filter(|m| m.is_object())
        .cloned()
        .into_iter()
        .collect();
    let task_id = result
        .get("id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty() && s.len() <= validate::MAX_ID)
        .map(String::from);
    Ok(Upstream {
        state,
        task_id,
        messages,
        artifacts,
    })
}

#[cfg(test)]
#[path = "rpc_tests.rs"]
mod tests;
