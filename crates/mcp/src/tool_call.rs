//! `tools/call`: decided by the pipeline with its full arguments, and, when it needs an
//! approval, held for it or answered with the approval's link through the protocol.
//!
//! A call denied with an approval to ask for is answered, by what the client declared:
//! - **2026-07-28 client with URL-mode elicitation**: an `InputRequiredResult` whose input
//!   request is a URL elicitation of the approval's link, with a sealed `requestState`
//!   ([`crate::request_state`]). The client retries with it once the person has been to the
//!   link; the retry looks at that approval only: approved → the call is checked again (the
//!   check uses the approval up) and forwarded if allowed; pending → held up to the wait, or
//!   asked again; denied, expired or used → denied. A `decline`/`cancel` answer denies. A
//!   state that is forged, expired, for another call or session, or used before is refused.
//! - **2025-11-25 client with URL-mode elicitation and no wait**: the JSON-RPC error
//!   `-32042` (URLElicitationRequiredError) carrying the link; the client retries later.
//! - **Held** (the wait is not zero): progress, an `elicitation/create` with the link when
//!   the transport can carry it, cancellation ([`crate::hold`], [`crate::wait`]).
//! - Otherwise: the usual `isError` denial naming the approval.

use serde_json::{Map, Value, json};
use tracing::Instrument;

use airlock_server::otel;

use crate::hold::{ClientHolder, ClientSink};
use crate::relay::{
    self, ClientAction, Decider, Decision, Outstanding, call_input, code, denial_result,
    undecided_result,
};
use crate::request_state::{self as state, INPUT_KEY, PREFIX};
use crate::wait::{Held, Waited, hold_after, wait_for};

/// The `_meta` key that marks a request of the per-request (2026-07-28) protocol envelope.
const MODERN_VERSION_KEY: &str = "io.modelcontextprotocol/protocolVersion";

/// The JSON-RPC error code of URLElicitationRequiredError (MCP 2025-11-25).
pub const URL_ELICITATION_REQUIRED: i64 = -32042;

/// Airlock's round trip in a retried call: the state and the person's answer.
struct Resumed {
    state: String,
    action: Option<String>,
}

/// Whether a call's params carry Airlock's `requestState` (a retry of a held call).
fn carries_ours(params: &Map<String, Value>) -> bool {
    params
        .get("requestState")
        .and_then(Value::as_str)
        .is_some_and(|s| s.starts_with(PREFIX))
}

/// Takes Airlock's `requestState` and input response out of a call's params, so that they
/// are neither judged as part of the call nor sent upstream. Other states are the
/// upstream's and stay.
fn take_ours(msg: &mut Value) -> Option<Resumed> {
    let params = msg.get_mut("params").and_then(Value::as_object_mut)?;
    if !carries_ours(params) {
        return None;
    }
    let state = params
        .remove("requestState")
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default();
    let mut action = None;
    if let Some(Value::Object(responses)) = params.get_mut("inputResponses") {
        action = responses
            .remove(INPUT_KEY)
            .and_then(|r| r.get("action").and_then(Value::as_str).map(String::from));
        if responses.is_empty() {
            params.remove("inputResponses");
        }
    }
    Some(Resumed { state, action })
}

/// The tool and input of a `tools/call` whose first check [`decide`] makes as soon as the
/// message reaches it: a call message with valid params that carries no state of Airlock's
/// (a retry looks at its approval first). `None` for anything else. The MCP gateway decides
/// such a call in the round trip that opens its session and hands the decision to that
/// first check ([`crate::local::LocalDecider::with_decision`]).
pub fn first_check(msg: &Value) -> Option<(String, Value)> {
    if msg.get("method").and_then(Value::as_str) != Some("tools/call") {
        return None;
    }
    let params = msg.get("params").unwrap_or(&Value::Null);
    if params.as_object().is_some_and(carries_ours) {
        return None;
    }
    call_input(params).ok()
}

fn with_id(mut v: Value, id: &Option<Value>) -> ClientAction {
    match id {
        Some(id) => {
            if let Some(o) = v.as_object_mut() {
                o.insert("id".into(), id.clone());
            }
            ClientAction::Reply(v)
        }
        None => ClientAction::Drop,
    }
}

fn link_message(id: &str) -> String {
    format!(
        "Airlock needs a person to approve this tool call (approval {id}). Open the link to \
         review and decide it, then the call is retried."
    )
}

/// The denial of a call whose round trip ended without a check.
fn ended(approval_id: &str, session: &str, reason: String) -> Decision {
    Decision {
        allowed: false,
        reason,
        approval_id: Some(approval_id.to_string()),
        elevation_required: false,
        check_id: String::new(),
        effect: String::new(),
        session_id: session.to_string(),
        rule: "approval_pending".into(),
    }
}

pub(crate) async fn tool_call<D: Decider>(
    decider: &D,
    outstanding: &Outstanding,
    msg: Value,
    sink: Option<ClientSink>,
) -> ClientAction {
    // Traces off (the default): nothing but this load.
    if !otel::enabled() {
        return decide(decider, outstanding, msg, sink).await;
    }
    let span = otel::tool_call_span(&msg, decider.session_hint().as_deref());
    let action = decide(decider, outstanding, msg, sink)
        .instrument(span.clone())
        .await;
    let refused = match &action {
        ClientAction::Reply(v) | ClientAction::Reject(v) => v
            .pointer("/error/code")
            .map(|c| format!("JSON-RPC error {c}")),
        _ => None,
    };
    otel::record_tool_call(
        &span,
        matches!(action, ClientAction::Forward(_)),
        refused.as_deref(),
    );
    action
}

async fn decide<D: Decider>(
    decider: &D,
    outstanding: &Outstanding,
    mut msg: Value,
    sink: Option<ClientSink>,
) -> ClientAction {
    let id = msg.get("id").cloned();
    let resumed = take_ours(&mut msg);
    let params = msg.get("params").cloned().unwrap_or(Value::Null);
    let (tool, input) = match call_input(&params) {
        Ok(x) => x,
        Err(why) => return relay::refuse(decider, &msg, code::INVALID_PARAMS, why).await,
    };
    let conv = &outstanding.conversation;
    let modern = params
        .pointer("/_meta")
        .and_then(Value::as_object)
        .is_some_and(|m| m.contains_key(MODERN_VERSION_KEY));
    let url = conv.url_elicitation(&params);
    let finish = |mut r: Value| {
        // The 2026-07-28 envelope requires `resultType`; older clients may reject the key.
        if modern && let Some(o) = r.as_object_mut() {
            o.insert("resultType".into(), Value::String("complete".into()));
        }
        with_id(relay::result(Value::Null, r), &id)
    };
    // A 2026-07-28 client is never sent requests of Airlock's own (its retries carry the
    // answers); progress notifications still reach it.
    let mut holder = ClientHolder::new(conv, sink, id.as_ref(), &params, !modern);
    let wait = decider.approval_wait();

    let outcome = match resumed {
        Some(r) => match resume(decider, &tool, &input, r, &mut holder, wait, url).await {
            Resume::Outcome(o) => o,
            Resume::Ask(approval, session) => {
                return ask_again(decider, &tool, &input, &approval, &session, &id);
            }
            Resume::Refused(why) => {
                return relay::refuse(decider, &msg, code::INVALID_PARAMS, why).await;
            }
        },
        None => match decider.check(&tool, input.clone(), None).await {
            Ok(d) if !d.allowed && url => {
                let link = d
                    .approval_id
                    .as_deref()
                    .and_then(|a| decider.approval_link(a).map(|l| (a.to_string(), l)));
                match link {
                    Some((approval, link)) if modern => {
                        let sealed = state::seal(&approval, &d.session_id, &tool, &input, now());
                        return with_id(
                            relay::result(Value::Null, input_required(&approval, &link, &sealed)),
                            &id,
                        );
                    }
                    Some((approval, link)) if wait.is_zero() => {
                        return with_id(url_required(&tool, &d, &approval, &link), &id);
                    }
                    _ => hold_after(decider, &tool, input, &mut holder, d, wait).await,
                }
            }
            Ok(d) => hold_after(decider, &tool, input, &mut holder, d, wait).await,
            Err(e) => Err(e),
        },
    };
    match outcome {
        Ok(Held::Decided(d)) if d.allowed => ClientAction::Forward(msg),
        Ok(Held::Decided(d)) => finish(denial_result(&tool, &d)),
        Ok(Held::Cancelled(why)) => {
            tracing::info!(tool = %tool, why, "held tools/call cancelled by the client");
            ClientAction::Drop
        }
        Err(e) => {
            tracing::warn!(tool = %tool, error = %e, "tools/call denied: Airlock could not decide");
            if otel::enabled() {
                otel::record_undecided(&tracing::Span::current(), &e.to_string());
            }
            finish(undecided_result(&tool, &e))
        }
    }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

enum Resume {
    Outcome(Result<Held, relay::DecideError>),
    /// Still pending and not held: ask again (approval, session).
    Ask(String, String),
    Refused(String),
}

/// A retry carrying Airlock's state: only the approval it names is looked at.
async fn resume<D: Decider>(
    decider: &D,
    tool: &str,
    input: &Value,
    r: Resumed,
    holder: &mut ClientHolder<'_>,
    wait: std::time::Duration,
    url: bool,
) -> Resume {
    let refused = |e: state::StateError| Resume::Refused(format!("{e}; the call was not run"));
    let claims = match state::open(&r.state, tool, input, now()) {
        Ok(c) => c,
        Err(e) => return refused(e),
    };
    if let Some(session) = decider.session_hint()
        && session != claims.session_id
    {
        return refused(state::StateError::OtherSession);
    }
    if !state::use_once(&claims, now()) {
        return refused(state::StateError::Used);
    }
    let (approval, session) = (claims.approval_id, claims.session_id);
    let denied = |why: String| Resume::Outcome(Ok(Held::Decided(ended(&approval, &session, why))));
    match r.action.as_deref() {
        Some("accept") | None => {}
        Some(other) => {
            return denied(format!(
                "the person did not open the link of approval `{approval}` (elicitation \
                 `{other}`); the call was not run"
            ));
        }
    }
    let status = match decider.approval_status(&approval).await {
        Ok(s) => s,
        Err(e) => {
            return denied(format!(
                "the status of approval `{approval}` could not be read: {e}"
            ));
        }
    };
    match status.as_str() {
        "approved" => {}
        "pending" if wait.is_zero() && url => return Resume::Ask(approval, session),
        "pending" if !wait.is_zero() => {
            let deadline = tokio::time::Instant::now() + wait;
            match wait_for(decider, holder, &approval, deadline, wait).await {
                Waited::Approved => {}
                Waited::Not(why) => {
                    return denied(format!("approval `{approval}` is pending; {why}"));
                }
                Waited::Cancelled(why) => return Resume::Outcome(Ok(Held::Cancelled(why))),
            }
        }
        s => {
            return denied(format!(
                "approval `{approval}` is {s}; the call was not run"
            ));
        }
    }
    // Approved: the check decides, and uses the approval up.
    Resume::Outcome(
        decider
            .check(tool, input.clone(), None)
            .await
            .map(Held::Decided),
    )
}

/// Another `InputRequiredResult` for an approval still pending.
fn ask_again<D: Decider>(
    decider: &D,
    tool: &str,
    input: &Value,
    approval: &str,
    session: &str,
    id: &Option<Value>,
) -> ClientAction {
    let Some(link) = decider.approval_link(approval) else {
        let d = ended(
            approval,
            session,
            format!("approval `{approval}` is pending"),
        );
        return with_id(relay::result(Value::Null, denial_result(tool, &d)), id);
    };
    let sealed = state::seal(approval, session, tool, input, now());
    with_id(
        relay::result(Value::Null, input_required(approval, &link, &sealed)),
        id,
    )
}

/// The 2026-07-28 `InputRequiredResult` asking the person to open the approval's link.
fn input_required(approval: &str, link: &str, sealed: &str) -> Value {
    let mut requests = Map::new();
    requests.insert(
        INPUT_KEY.into(),
        json!({
            "method": "elicitation/create",
            "params": {"mode": "url", "url": link, "message": link_message(approval)},
        }),
    );
    json!({
        "resultType": "input_required",
        "inputRequests": requests,
        "requestState": sealed,
    })
}

/// The 2025-11-25 URLElicitationRequiredError for the approval's link.
fn url_required(tool: &str, d: &Decision, approval: &str, link: &str) -> Value {
    let mut data = relay::decision_meta(d);
    if let Some(o) = data.as_object_mut() {
        o.insert(
            "elicitations".into(),
            json!([{
                "mode": "url",
                "elicitationId": format!("{approval}.{}", crate::hold::random_hex(8)),
                "url": link,
                "message": link_message(approval),
            }]),
        );
    }
    relay::error_with(
        Value::Null,
        URL_ELICITATION_REQUIRED,
        relay::denial_text(tool, d),
        data,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(params: Value) -> Value {
        json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call", "params": params})
    }

    /// `first_check` names exactly the check `decide` makes first: the same tool and input as
    /// `call_input` after Airlock's own state is taken out, and nothing for a retry.
    #[test]
    fn the_first_check_is_the_one_decide_makes() {
        let cases = [
            json!({"name": "q", "arguments": {"sql": "SELECT 1"}}),
            json!({"name": "q"}),
            json!({"name": "q", "arguments": {}, "_meta": {"progressToken": 1}}),
            json!({"name": "q", "arguments": {}, "_meta": {"hidden": "DROP TABLE t"}}),
            json!({"name": "q", "arguments": {}, "requestState": "theirs"}),
            json!({"name": "q", "arguments": {}, "inputResponses": {"x": {}}}),
        ];
        for params in cases {
            let mut m = msg(params.clone());
            assert!(take_ours(&mut m).is_none(), "{params}");
            assert_eq!(first_check(&m), call_input(&params).ok(), "{params}");
            assert!(first_check(&m).is_some(), "{params}");
        }
        // A retry carrying Airlock's state looks at its approval first: no first check.
        let retry = json!({"name": "q", "arguments": {}, "requestState": format!("{PREFIX}x")});
        assert!(take_ours(&mut msg(retry.clone())).is_some());
        assert_eq!(first_check(&msg(retry)), None);
        // Not a call, or params `decide` refuses (refused, not checked).
        for m in [
            json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}),
            json!({"jsonrpc": "2.0", "id": 1, "method": "TOOLS/CALL", "params": {"name": "q"}}),
            msg(json!("q")),
            msg(json!({"name": ""})),
            msg(json!({"arguments": {}})),
            json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call"}),
        ] {
            assert_eq!(first_check(&m), None, "{m}");
        }
    }
}
