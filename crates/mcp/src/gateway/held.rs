//! A `tools/call` that may be held for its approval, from a client that accepts SSE.
//!
//! The call is decided on a task of its own. If it is answered before Airlock says anything
//! else (allowed, or denied without waiting), the answer is the usual one. If Airlock speaks
//! first (the call is held: progress, the approval link as `elicitation/create`), the answer
//! becomes an SSE stream: those messages as they come, then the call's answer (the upstream's
//! real result when the approval came in time, else the denial). A client that went away
//! before the end is not forwarded anything.

use axum::body::Bytes;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};

use super::answer::{json_response, sse_response};
use super::{Ctx, Gw, forward};
use crate::relay::{self, ClientAction, code};
use crate::sse;

type Chunk = Result<Bytes, std::io::Error>;

fn event(v: &Value) -> Bytes {
    Bytes::from(
        sse::Event {
            fields: vec![("event".into(), "message".into())],
            data: Some(v.to_string()),
        }
        .to_bytes(),
    )
}

/// Answers a held-capable call (see the module).
pub(super) async fn post(gw: Gw, ctx: Ctx, msg: Value) -> Response {
    let id = msg.get("id").cloned().unwrap_or(Value::Null);
    let (sink, mut said) = mpsc::channel::<Value>(16);
    let (done_tx, mut done_rx) = oneshot::channel::<ClientAction>();
    {
        let (decider, outstanding) = (ctx.decider.clone(), ctx.outstanding.clone());
        // The task keeps the request's trace context (a no-op when traces are off).
        tokio::spawn(airlock_server::otel::in_current_context(async move {
            let action =
                relay::on_client_message_with(&decider, &outstanding, msg, Some(sink)).await;
            let _ = done_tx.send(action);
        }));
    }
    let first = tokio::select! {
        biased;
        action = &mut done_rx => return match action {
            Ok(a) => answer(&gw, &ctx, a).await,
            Err(_) => json_response(StatusCode::OK, &relay::error(
                id, code::INTERNAL, "Airlock could not decide this call; it was not sent",
            )),
        },
        first = said.recv() => first,
    };
    let (tx, rx) = mpsc::channel::<Chunk>(16);
    tokio::spawn(async move {
        let mut next = first;
        while let Some(m) = next {
            if tx.send(Ok(event(&m))).await.is_err() {
                return;
            }
            next = said.recv().await;
        }
        let Ok(action) = done_rx.await else {
            let e = relay::error(id, code::INTERNAL, "Airlock could not decide this call");
            let _ = tx.send(Ok(event(&e))).await;
            return;
        };
        match action {
            ClientAction::Forward(m) => {
                if tx.is_closed() {
                    tracing::info!("held tools/call not sent: its client went away");
                    return;
                }
                pipe(forward(&gw, &ctx, m).await, &tx, id).await;
            }
            ClientAction::Reply(v) | ClientAction::Reject(v) => {
                let _ = tx.send(Ok(event(&v))).await;
            }
            ClientAction::Drop => {}
        }
    });
    sse_response(rx, StatusCode::OK)
}

/// The usual answer of a call decided without holding.
async fn answer(gw: &Gw, ctx: &Ctx, action: ClientAction) -> Response {
    match action {
        ClientAction::Forward(m) => forward(gw, ctx, m).await,
        ClientAction::Reply(v) => json_response(StatusCode::OK, &v),
        ClientAction::Drop => StatusCode::ACCEPTED.into_response(),
        ClientAction::Reject(v) => json_response(StatusCode::BAD_REQUEST, &v),
    }
}

/// The upstream's answer, continued on the held call's stream: SSE as it comes, a JSON
/// answer as one event; anything else becomes a JSON-RPC error for the call.
async fn pipe(resp: Response, tx: &mpsc::Sender<Chunk>, id: Value) {
    let sse = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.to_ascii_lowercase().contains("text/event-stream"));
    let status = resp.status();
    let mut body = resp.into_body().into_data_stream();
    if sse {
        while let Some(chunk) = body.next().await {
            let item = chunk.map_err(std::io::Error::other);
            if tx.send(item).await.is_err() {
                return;
            }
        }
        return;
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = body.next().await {
        match chunk {
            Ok(c) => bytes.extend_from_slice(&c),
            Err(_) => break,
        }
    }
    let msg = match serde_json::from_slice::<Value>(&bytes) {
        Ok(v) if v.get("jsonrpc").is_some() || v.is_array() => v,
        _ if bytes.is_empty() && status.is_success() => return,
        _ => relay::error(
            id,
            code::UPSTREAM,
            format!(
                "upstream MCP server failed: {}",
                String::from_utf8_lossy(&bytes)
            ),
        ),
    };
    let _ = tx.send(Ok(event(&msg))).await;
}
