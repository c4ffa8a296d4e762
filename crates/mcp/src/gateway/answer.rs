//! Turning the upstream's answer into the client's: JSON answers and SSE streams are
//! filtered message by message ([`relay::on_server_message`]); an SSE answer is streamed to a
//! client that accepts SSE and collapsed into one JSON answer for one that does not; every
//! request left unanswered gets a JSON-RPC error.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use airlock_server::error::ApiError;

use super::upstream::{self, EventReader, MCP_SESSION, MCP_VERSION, Upstream, UpstreamError};
use crate::relay::{self, Decider, Outstanding, code};
use crate::sse;

pub fn json_response(status: StatusCode, v: &Value) -> Response {
    let body = serde_json::to_vec(v).unwrap_or_default();
    (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        body,
    )
        .into_response()
}

/// JSON-RPC errors for every request of `ids`, as the body of a 200 answer; a 502 JSON error
/// when there was no request to answer.
pub fn upstream_failure(ids: &[Value], why: &UpstreamError) -> Response {
    let message = format!("upstream MCP server failed: {why}");
    match ids {
        [] => ApiError::new(StatusCode::BAD_GATEWAY, "upstream_error", message).into_response(),
        [one] => json_response(
            StatusCode::OK,
            &relay::error(one.clone(), code::UPSTREAM, message),
        ),
        many => json_response(
            StatusCode::OK,
            &Value::Array(
                many.iter()
                    .map(|id| relay::error(id.clone(), code::UPSTREAM, message.clone()))
                    .collect(),
            ),
        ),
    }
}

/// The ids of the requests in a message or batch.
pub fn request_ids(msg: &Value) -> Vec<Value> {
    match msg {
        Value::Array(items) => items.iter().flat_map(request_ids).collect(),
        m if relay::is_request(m) => m.get("id").cloned().into_iter().collect(),
        _ => Vec::new(),
    }
}

/// The ids of the responses in a message or batch.
pub fn response_ids(msg: &Value) -> Vec<Value> {
    match msg {
        Value::Array(items) => items.iter().flat_map(response_ids).collect(),
        m if relay::is_response(m) => m.get("id").cloned().into_iter().collect(),
        _ => Vec::new(),
    }
}

/// The JSON message an event carries, if any.
pub fn event_message(ev: &sse::Event) -> Option<Value> {
    ev.data
        .as_deref()
        .and_then(|d| serde_json::from_str::<Value>(d).ok())
}

/// Applies the server→client rules to one upstream event.
async fn process_event<D: Decider>(decider: &D, mut ev: sse::Event) -> (sse::Event, Option<Value>) {
    match event_message(&ev) {
        Some(v) => {
            let v = relay::on_server_message(decider, v).await;
            ev.data = Some(serde_json::to_string(&v).unwrap_or_default());
            (ev, Some(v))
        }
        None => (ev, None),
    }
}

/// How the client gets an answer.
pub struct Relay<'a, D> {
    pub upstream: &'a Upstream,
    pub decider: &'a D,
    /// The requests the client waits for.
    pub ids: Vec<Value>,
    pub client_sse: bool,
    /// False in a managed session: its `Mcp-Session-Id` is the gateway's, not the client's.
    pub pass_session: bool,
    /// The server requests forwarded to this client.
    pub outstanding: Arc<Outstanding>,
}

/// Turns the upstream's answer to a POST into the client's.
pub async fn post_answer<D: Decider + Clone + 'static>(
    r: Relay<'_, D>,
    resp: reqwest::Response,
) -> Response {
    let status = upstream::status(&resp);
    let mut out_headers = HeaderMap::new();
    for name in [MCP_SESSION, MCP_VERSION] {
        if name == MCP_SESSION && !r.pass_session {
            continue;
        }
        if let Some(v) = resp.headers().get(name)
            && let Ok(v) = HeaderValue::from_bytes(v.as_bytes())
        {
            out_headers.insert(name, v);
        }
    }
    let ctype = upstream::content_type(&resp);
    let mut answer = if upstream::is_sse(&ctype) {
        let events = r.upstream.events(resp, Some(r.upstream.timeout()));
        if r.client_sse {
            stream_events(
                r.decider.clone(),
                r.outstanding.clone(),
                events,
                r.ids,
                status,
            )
        } else {
            collapse_events(r.decider, events, &r.ids).await
        }
    } else {
        let bytes = match r.upstream.read_body(resp).await {
            Ok(b) => b,
            Err(why) => return upstream_failure(&r.ids, &why),
        };
        if bytes.is_empty() {
            status.into_response()
        } else {
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(v) if ctype.contains("json") || relay::needs_filter(&v) => {
                    let v = relay::on_server_message(r.decider, v).await;
                    r.outstanding.note(&v);
                    json_response(status, &v)
                }
                Ok(_) | Err(_) if status.is_success() && !r.ids.is_empty() => {
                    return upstream_failure(&r.ids, &UpstreamError::NotJsonRpc);
                }
                _ => {
                    let mut resp = (status, bytes).into_response();
                    if let Ok(v) = HeaderValue::from_str(&ctype) {
                        resp.headers_mut().insert(header::CONTENT_TYPE, v);
                    }
                    resp
                }
            }
        }
    };
    answer.headers_mut().extend(out_headers);
    answer
}

/// The upstream's answer to the GET stream: events filtered, anything else passed.
pub async fn get_answer<D: Decider + Clone + 'static>(
    upstream: &Upstream,
    decider: &D,
    outstanding: Arc<Outstanding>,
    resp: reqwest::Response,
) -> Response {
    let status = upstream::status(&resp);
    if status.is_success() && upstream::is_sse(&upstream::content_type(&resp)) {
        stream_events(
            decider.clone(),
            outstanding,
            upstream.events(resp, None),
            Vec::new(),
            status,
        )
    } else {
        let bytes = upstream.read_body(resp).await.unwrap_or_default();
        (status, bytes).into_response()
    }
}

fn failure_event(id: Value, why: &str) -> sse::Event {
    sse::Event {
        fields: vec![("event".into(), "message".into())],
        data: Some(
            relay::error(
                id,
                code::UPSTREAM,
                format!("upstream MCP server failed: {why}"),
            )
            .to_string(),
        ),
    }
}

/// Streams the upstream's SSE answer to the client, filtered event by event. If the stream
/// ends or stalls before every request got its response, the missing ones get JSON-RPC
/// errors.
fn stream_events<D: Decider + 'static>(
    decider: D,
    outstanding: Arc<Outstanding>,
    mut events: EventReader,
    ids: Vec<Value>,
    status: StatusCode,
) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(16);
    tokio::spawn(async move {
        let mut pending = ids;
        let failure = loop {
            let batch = match events.next().await {
                Ok(Some(batch)) => batch,
                Ok(None) => break None,
                Err(e) => break Some(e),
            };
            for ev in batch {
                let (ev, v) = process_event(&decider, ev).await;
                if let Some(v) = &v {
                    let answered = response_ids(v);
                    pending.retain(|id| !answered.contains(id));
                    outstanding.note(v);
                }
                if tx.send(Ok(Bytes::from(ev.to_bytes()))).await.is_err() {
                    return;
                }
            }
        };
        let why = failure.unwrap_or(UpstreamError::Closed).to_string();
        for id in pending {
            let ev = failure_event(id, &why);
            if tx.send(Ok(Bytes::from(ev.to_bytes()))).await.is_err() {
                return;
            }
        }
    });
    sse_response(rx, status)
}

/// An SSE answer whose body is what arrives on `rx`.
pub fn sse_response(
    rx: tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>,
    status: StatusCode,
) -> Response {
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let mut r = Response::new(Body::from_stream(stream));
    *r.status_mut() = status;
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/event-stream"),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// Reads the upstream's SSE answer until every request has its response and answers them
/// as JSON (for callers that do not accept SSE). Server-initiated messages on the way are
/// dropped: such a caller could not answer them.
async fn collapse_events<D: Decider>(
    decider: &D,
    mut events: EventReader,
    ids: &[Value],
) -> Response {
    let mut got: Vec<Value> = Vec::new();
    let done = |got: &Vec<Value>| {
        ids.iter()
            .all(|id| got.iter().any(|m| m.get("id") == Some(id)))
    };
    let failure = loop {
        if !ids.is_empty() && done(&got) {
            break None;
        }
        let batch = match events.next().await {
            Ok(Some(batch)) => batch,
            Ok(None) if done(&got) => break None,
            Ok(None) => break Some(UpstreamError::Closed),
            Err(e) => break Some(e),
        };
        for ev in batch {
            match process_event(decider, ev).await {
                (_, Some(Value::Array(items))) => {
                    got.extend(items.into_iter().filter(relay::is_response))
                }
                (_, Some(m)) if relay::is_response(&m) => got.push(m),
                _ => {}
            }
        }
    };
    if let Some(why) = failure {
        return upstream_failure(ids, &why);
    }
    match got.as_slice() {
        [] => StatusCode::ACCEPTED.into_response(),
        [one] if ids.len() <= 1 => json_response(StatusCode::OK, one),
        _ => json_response(StatusCode::OK, &Value::Array(got)),
    }
}
