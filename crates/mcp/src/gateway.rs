//! The HTTP gateway: `POST|GET|DELETE /mcp/{server_id}`, a streamable HTTP MCP endpoint in
//! front of the registered server's URL.
//!
//! - The caller authenticates with its organization API key (`X-API-Key` or `Authorization:
//!   Bearer sk_live_…`) and names the agent in `X-Agent-ID` (required) and optionally the
//!   session in `X-Session-ID`. Without one, the gateway uses the agent's session on this
//!   server (one per agent and server, created like `POST /mcp/sessions/init`) and returns
//!   its id in the `X-Session-ID` response header.
//! - Only `Accept`, `Content-Type`, `Mcp-Session-Id`, `MCP-Protocol-Version` and
//!   `Last-Event-ID` go upstream; the caller's credentials, cookies and Airlock headers never
//!   do. `Content-Type`, `Mcp-Session-Id` and `MCP-Protocol-Version` come back.
//! - Messages follow [`crate::relay`]: `tools/call` is decided first, tool lists are pinned
//!   and filtered, in JSON answers and inside SSE streams alike.
//! - Plain JSON-RPC callers (the published SDK's `mcp.call_tool`) send no `initialize` and
//!   accept no SSE: for a request without `Mcp-Session-Id` that is not `initialize`, the
//!   gateway opens (and caches) an upstream MCP session itself, and an SSE answer is
//!   collapsed into the one JSON response the caller waits for.
//! - Upstream failures and timeouts are JSON-RPC errors, never allows.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequestParts, Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use futures_util::StreamExt;
use serde_json::{Value, json};

use airlock_server::AppState;
use airlock_server::auth::Caller;
use airlock_server::error::ApiError;
use airlock_store::model::Server;

use crate::local::{LocalDecider, resolve};
use crate::relay::{self, ClientAction, code};
use crate::sse;

/// The most upstream sessions the gateway holds for plain JSON-RPC callers.
const MAX_MANAGED: usize = 10_000;

/// The protocol version the gateway offers when it opens an upstream session itself.
pub const PROTOCOL_VERSION: &str = "2025-06-18";

/// Limits and timeouts of the gateway.
#[derive(Debug, Clone)]
pub struct GatewayConfig {
    /// How long the upstream may take to answer, and to send the next bytes of a streamed
    /// answer to a POST.
    pub timeout: Duration,
    /// The largest request body accepted from a client.
    pub max_body_bytes: usize,
    /// The largest JSON answer or SSE event accepted from the upstream.
    pub max_response_bytes: usize,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        GatewayConfig {
            timeout: Duration::from_secs(30),
            max_body_bytes: 4 * 1024 * 1024,
            max_response_bytes: 16 * 1024 * 1024,
        }
    }
}

impl GatewayConfig {
    /// Defaults, overridden by `AIRLOCK_MCP_TIMEOUT_SECS`, `AIRLOCK_MCP_MAX_BODY_BYTES` and
    /// `AIRLOCK_MCP_MAX_RESPONSE_BYTES`.
    pub fn from_env() -> Self {
        let num = |k: &str| {
            std::env::var(k)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|n| *n > 0)
        };
        let d = GatewayConfig::default();
        GatewayConfig {
            timeout: num("AIRLOCK_MCP_TIMEOUT_SECS")
                .map(Duration::from_secs)
                .unwrap_or(d.timeout),
            max_body_bytes: num("AIRLOCK_MCP_MAX_BODY_BYTES")
                .map(|n| n as usize)
                .unwrap_or(d.max_body_bytes),
            max_response_bytes: num("AIRLOCK_MCP_MAX_RESPONSE_BYTES")
                .map(|n| n as usize)
                .unwrap_or(d.max_response_bytes),
        }
    }
}

/// An upstream MCP session the gateway opened for plain JSON-RPC callers.
#[derive(Debug, Clone)]
struct Managed {
    mcp_session: Option<String>,
    protocol_version: String,
}

struct Gateway {
    state: AppState,
    config: GatewayConfig,
    http: reqwest::Client,
    /// Keyed by (organization, server, Airlock session).
    managed: Mutex<HashMap<(String, String, String), Managed>>,
}

type Gw = Arc<Gateway>;

/// The gateway's routes, configured from the environment; merge into the API router.
pub fn gateway_router(state: AppState) -> Router {
    gateway_router_with(state, GatewayConfig::from_env())
}

pub fn gateway_router_with(state: AppState, config: GatewayConfig) -> Router {
    let http = reqwest::Client::builder()
        .connect_timeout(config.timeout.min(Duration::from_secs(10)))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|_| reqwest::Client::new());
    let gw = Arc::new(Gateway {
        state,
        config,
        http,
        managed: Mutex::new(HashMap::new()),
    });
    Router::new()
        .route(
            "/mcp/{server_id}",
            post(handle_post).get(handle_get).delete(handle_delete),
        )
        .with_state(gw)
}

/// Who is calling, on which server, in which session.
struct Ctx {
    decider: LocalDecider,
    server: Server,
    headers: HeaderMap,
}

const AGENT_HEADER: &str = "x-agent-id";
const SESSION_HEADER: &str = "x-session-id";
const MCP_SESSION: &str = "mcp-session-id";
const MCP_VERSION: &str = "mcp-protocol-version";
const LAST_EVENT: &str = "last-event-id";

fn header_id(headers: &HeaderMap, name: &str) -> Result<Option<String>, ApiError> {
    let Some(v) = headers.get(name) else {
        return Ok(None);
    };
    let v = v
        .to_str()
        .map_err(|_| ApiError::invalid(format!("`{name}` must be printable ASCII")))?
        .trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.len() > 128 || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ApiError::invalid(format!(
            "`{name}` must be at most 128 characters without spaces"
        )));
    }
    Ok(Some(v.to_string()))
}

async fn context(gw: &Gw, server_id: &str, req: Request) -> Result<(Ctx, Body), ApiError> {
    let (mut parts, body) = req.into_parts();
    let caller = Caller::from_request_parts(&mut parts, &gw.state).await?;
    let agent = header_id(&parts.headers, AGENT_HEADER)?.ok_or_else(|| {
        ApiError::bad_request(
            "missing_agent",
            "the X-Agent-ID header is required: the gateway authorizes each call by agent",
        )
    })?;
    let session = header_id(&parts.headers, SESSION_HEADER)?;
    let (server, session) =
        resolve(&gw.state, &caller, &agent, server_id, session.as_deref()).await?;
    let url = server.url.to_ascii_lowercase();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(ApiError::invalid(format!(
            "server `{server_id}` is not reachable over HTTP ({}): run it behind \
             `airlock mcp wrap` instead",
            server.url
        )));
    }
    Ok((
        Ctx {
            decider: LocalDecider {
                state: gw.state.clone(),
                caller,
                agent_id: agent,
                server_id: server.id.clone(),
                session_id: session.id,
            },
            server,
            headers: parts.headers,
        },
        body,
    ))
}

fn json_response(status: StatusCode, v: &Value) -> Response {
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

fn with_session(mut resp: Response, session: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(session) {
        resp.headers_mut().insert(SESSION_HEADER, v);
    }
    resp
}

/// The ids of the requests in a message or batch.
fn request_ids(msg: &Value) -> Vec<Value> {
    match msg {
        Value::Array(items) => items.iter().flat_map(request_ids).collect(),
        m if relay::is_request(m) => m.get("id").cloned().into_iter().collect(),
        _ => Vec::new(),
    }
}

/// An `initialize` or `server/discover` (protocol negotiation): never sent in a managed
/// session.
fn is_handshake(msg: &Value) -> bool {
    match msg {
        Value::Array(items) => items.iter().any(is_handshake),
        m => matches!(relay::method(m), Some("initialize" | "server/discover")),
    }
}

/// JSON-RPC errors for every request of `ids`, as the body of a 200 answer; a 502 JSON error
/// when there was no request to answer.
fn upstream_failure(ids: &[Value], why: &str) -> Response {
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

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "connection refused or unreachable".into()
    } else {
        e.to_string()
    }
}

async fn handle_post(
    State(gw): State<Gw>,
    Path(server_id): Path<String>,
    req: Request,
) -> Response {
    let (ctx, body) = match context(&gw, &server_id, req).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let session = ctx.decider.session_id.clone();
    let resp = post_inner(&gw, ctx, body).await;
    with_session(resp, &session)
}

async fn post_inner(gw: &Gw, ctx: Ctx, body: Body) -> Response {
    let bytes = match axum::body::to_bytes(body, gw.config.max_body_bytes).await {
        Ok(b) => b,
        Err(_) => {
            return ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!(
                    "the request body is larger than {} bytes",
                    gw.config.max_body_bytes
                ),
            )
            .into_response();
        }
    };
    let msg: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) => {
            return json_response(
                StatusCode::BAD_REQUEST,
                &relay::error(Value::Null, code::PARSE_ERROR, format!("invalid JSON: {e}")),
            );
        }
    };
    let msg = match relay::on_client_message(&ctx.decider, msg).await {
        ClientAction::Forward(m) => m,
        ClientAction::Reply(v) => return json_response(StatusCode::OK, &v),
        ClientAction::Drop => return StatusCode::ACCEPTED.into_response(),
    };
    let ids = request_ids(&msg);
    let client_sse = accepts_sse(&ctx.headers);
    // A plain JSON-RPC caller (no MCP session, no protocol version, no handshake): the
    // gateway holds the upstream MCP session for it.
    let plain = header_str(&ctx.headers, MCP_SESSION).is_none()
        && header_str(&ctx.headers, MCP_VERSION).is_none()
        && !is_handshake(&msg);
    let managed_key = plain.then(|| {
        (
            ctx.decider.caller.org_id.clone(),
            ctx.server.id.clone(),
            ctx.decider.session_id.clone(),
        )
    });
    let body = serde_json::to_vec(&msg).unwrap_or_default();
    let mut retried = false;
    loop {
        let managed = match &managed_key {
            None => None,
            Some(key) => match managed_session(gw, key, &ctx.server.url).await {
                Ok(m) => Some(m),
                Err(why) => return upstream_failure(&ids, &why),
            },
        };
        let mut req = gw
            .http
            .post(&ctx.server.url)
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::ACCEPT, "application/json, text/event-stream")
            .body(body.clone());
        match &managed {
            Some(m) => {
                if let Some(s) = &m.mcp_session {
                    req = req.header(MCP_SESSION, s);
                }
                req = req.header(MCP_VERSION, &m.protocol_version);
            }
            None => req = pass_headers(req, &ctx.headers, &[MCP_SESSION, MCP_VERSION]),
        }
        let resp = match tokio::time::timeout(gw.config.timeout, req.send()).await {
            Err(_) => return upstream_failure(&ids, "timed out"),
            Ok(Err(e)) => return upstream_failure(&ids, &describe(&e)),
            Ok(Ok(r)) => r,
        };
        // The upstream forgot the session it gave us: open a new one, once.
        if resp.status() == StatusCode::NOT_FOUND
            && let Some(key) = &managed_key
            && !retried
        {
            forget_managed(gw, key);
            retried = true;
            continue;
        }
        return relay_answer(gw, &ctx, resp, ids, client_sse, managed.is_none()).await;
    }
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

fn accepts_sse(headers: &HeaderMap) -> bool {
    header_str(headers, header::ACCEPT.as_str())
        .is_some_and(|a| a.to_ascii_lowercase().contains("text/event-stream"))
}

fn pass_headers(
    mut req: reqwest::RequestBuilder,
    headers: &HeaderMap,
    names: &[&str],
) -> reqwest::RequestBuilder {
    for name in names {
        if let Some(v) = header_str(headers, name) {
            req = req.header(*name, v);
        }
    }
    req
}

fn content_type(resp: &reqwest::Response) -> String {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Turns the upstream's answer to a POST into the client's.
async fn relay_answer(
    gw: &Gw,
    ctx: &Ctx,
    resp: reqwest::Response,
    ids: Vec<Value>,
    client_sse: bool,
    pass_session: bool,
) -> Response {
    let status = StatusCode::from_u16(resp.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let mut out_headers = HeaderMap::new();
    for name in [MCP_SESSION, MCP_VERSION] {
        if name == MCP_SESSION && !pass_session {
            continue;
        }
        if let Some(v) = resp.headers().get(name)
            && let Ok(v) = HeaderValue::from_bytes(v.as_bytes())
        {
            out_headers.insert(name, v);
        }
    }
    let ctype = content_type(&resp);
    let mut answer = if ctype.starts_with("text/event-stream") {
        if client_sse {
            stream_events(
                gw,
                ctx.decider.clone(),
                resp,
                ids,
                status,
                Some(gw.config.timeout),
            )
        } else {
            collapse_events(gw, &ctx.decider, resp, &ids).await
        }
    } else {
        let bytes = match read_limited(gw, resp).await {
            Ok(b) => b,
            Err(why) => return upstream_failure(&ids, &why),
        };
        if bytes.is_empty() {
            status.into_response()
        } else {
            match serde_json::from_slice::<Value>(&bytes) {
                Ok(v) if ctype.contains("json") || relay::needs_filter(&v) => {
                    let v = relay::on_server_message(&ctx.decider, v).await;
                    json_response(status, &v)
                }
                Ok(_) | Err(_) if status.is_success() && !ids.is_empty() => {
                    return upstream_failure(&ids, "answered something that is not JSON-RPC");
                }
                _ => {
                    let mut r = (status, bytes).into_response();
                    if let Ok(v) = HeaderValue::from_str(&ctype) {
                        r.headers_mut().insert(header::CONTENT_TYPE, v);
                    }
                    r
                }
            }
        }
    };
    answer.headers_mut().extend(out_headers);
    answer
}

async fn read_limited(gw: &Gw, mut resp: reqwest::Response) -> Result<Vec<u8>, String> {
    let max = gw.config.max_response_bytes;
    let read = async {
        let mut out = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| describe(&e))? {
            if out.len() + chunk.len() > max {
                return Err(format!("answered more than {max} bytes"));
            }
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    };
    tokio::time::timeout(gw.config.timeout, read)
        .await
        .map_err(|_| "timed out".to_string())?
}

/// Processes one upstream event: tool lists in its data are filtered.
async fn process_event(decider: &LocalDecider, mut ev: sse::Event) -> (sse::Event, Option<Value>) {
    let parsed = ev
        .data
        .as_deref()
        .and_then(|d| serde_json::from_str::<Value>(d).ok());
    match parsed {
        Some(v) => {
            let v = relay::on_server_message(decider, v).await;
            ev.data = Some(serde_json::to_string(&v).unwrap_or_default());
            (ev, Some(v))
        }
        None => (ev, None),
    }
}

/// The ids of the responses in a message or batch.
fn response_ids(msg: &Value) -> Vec<Value> {
    match msg {
        Value::Array(items) => items.iter().flat_map(response_ids).collect(),
        m if relay::is_response(m) => m.get("id").cloned().into_iter().collect(),
        _ => Vec::new(),
    }
}

/// Streams the upstream's SSE answer to the client, filtered event by event. If the stream
/// ends or stalls before every request got its response, the missing ones get JSON-RPC
/// errors.
fn stream_events(
    gw: &Gw,
    decider: LocalDecider,
    resp: reqwest::Response,
    ids: Vec<Value>,
    status: StatusCode,
    idle: Option<Duration>,
) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(16);
    let max = gw.config.max_response_bytes;
    tokio::spawn(async move {
        let mut parser = sse::Parser::new(max);
        let mut pending = ids;
        let mut stream = resp.bytes_stream();
        let failure = loop {
            let next = match idle {
                Some(t) => match tokio::time::timeout(t, stream.next()).await {
                    Ok(n) => n,
                    Err(_) => break Some("timed out".to_string()),
                },
                None => stream.next().await,
            };
            let events = match next {
                None => match parser.finish() {
                    Ok(ev) => {
                        if let Some(ev) = ev {
                            let (ev, v) = process_event(&decider, ev).await;
                            if let Some(v) = &v {
                                pending.retain(|id| !response_ids(v).contains(id));
                            }
                            let _ = tx.send(Ok(Bytes::from(ev.to_bytes()))).await;
                        }
                        break None;
                    }
                    Err(e) => break Some(e.to_string()),
                },
                Some(Err(e)) => break Some(describe(&e)),
                Some(Ok(chunk)) => match parser.push(&chunk) {
                    Ok(evs) => evs,
                    Err(e) => break Some(e.to_string()),
                },
            };
            for ev in events {
                let (ev, v) = process_event(&decider, ev).await;
                if let Some(v) = &v {
                    pending.retain(|id| !response_ids(v).contains(id));
                }
                if tx.send(Ok(Bytes::from(ev.to_bytes()))).await.is_err() {
                    return;
                }
            }
        };
        let why = failure.unwrap_or_else(|| "closed the stream without answering".into());
        for id in pending {
            let ev = sse::Event {
                fields: vec![("event".into(), "message".into())],
                data: Some(
                    relay::error(
                        id,
                        code::UPSTREAM,
                        format!("upstream MCP server failed: {why}"),
                    )
                    .to_string(),
                ),
            };
            if tx.send(Ok(Bytes::from(ev.to_bytes()))).await.is_err() {
                return;
            }
        }
    });
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
async fn collapse_events(
    gw: &Gw,
    decider: &LocalDecider,
    resp: reqwest::Response,
    ids: &[Value],
) -> Response {
    let mut parser = sse::Parser::new(gw.config.max_response_bytes);
    let mut got: Vec<Value> = Vec::new();
    let mut stream = resp.bytes_stream();
    let done = |got: &Vec<Value>| {
        ids.iter()
            .all(|id| got.iter().any(|m| m.get("id") == Some(id)))
    };
    let failure = loop {
        if !ids.is_empty() && done(&got) {
            break None;
        }
        let next = match tokio::time::timeout(gw.config.timeout, stream.next()).await {
            Ok(n) => n,
            Err(_) => break Some("timed out".to_string()),
        };
        let (events, ended) = match next {
            None => match parser.finish() {
                Ok(ev) => (ev.into_iter().collect::<Vec<_>>(), true),
                Err(e) => break Some(e.to_string()),
            },
            Some(Err(e)) => break Some(describe(&e)),
            Some(Ok(chunk)) => match parser.push(&chunk) {
                Ok(evs) => (evs, false),
                Err(e) => break Some(e.to_string()),
            },
        };
        for ev in events {
            let (_, v) = process_event(decider, ev).await;
            if let Some(v) = v {
                match v {
                    Value::Array(items) => got.extend(items.into_iter().filter(relay::is_response)),
                    m if relay::is_response(&m) => got.push(m),
                    _ => {}
                }
            }
        }
        if ended {
            break if done(&got) {
                None
            } else {
                Some("closed the stream without answering".into())
            };
        }
    };
    if let Some(why) = failure {
        return upstream_failure(ids, &why);
    }
    match got.len() {
        0 => StatusCode::ACCEPTED.into_response(),
        1 if ids.len() <= 1 => json_response(StatusCode::OK, &got[0]),
        _ => json_response(StatusCode::OK, &Value::Array(got)),
    }
}

/// The managed upstream session for `key`, opened now if there is none.
async fn managed_session(
    gw: &Gw,
    key: &(String, String, String),
    url: &str,
) -> Result<Managed, String> {
    if let Ok(map) = gw.managed.lock()
        && let Some(m) = map.get(key)
    {
        return Ok(m.clone());
    }
    let init = json!({
        "jsonrpc": "2.0",
        "id": "airlock-init",
        "method": "initialize",
        "params": {
            "protocolVersion": PROTOCOL_VERSION,
            "capabilities": {},
            "clientInfo": {"name": "airlock-gateway", "version": env!("CARGO_PKG_VERSION")},
        },
    });
    let send = gw
        .http
        .post(url)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json, text/event-stream")
        .body(init.to_string())
        .send();
    let resp = tokio::time::timeout(gw.config.timeout, send)
        .await
        .map_err(|_| "initialize timed out".to_string())?
        .map_err(|e| describe(&e))?;
    if !resp.status().is_success() {
        return Err(format!("initialize answered HTTP {}", resp.status()));
    }
    let mcp_session = resp
        .headers()
        .get(MCP_SESSION)
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let answer = first_response(gw, resp).await?;
    let protocol_version = answer
        .pointer("/result/protocolVersion")
        .and_then(Value::as_str)
        .ok_or_else(|| "initialize answered without a protocol version".to_string())?
        .to_string();
    let mut note = gw
        .http
        .post(url)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::ACCEPT, "application/json, text/event-stream")
        .header(MCP_VERSION, &protocol_version)
        .body(json!({"jsonrpc": "2.0", "method": "notifications/initialized"}).to_string());
    if let Some(s) = &mcp_session {
        note = note.header(MCP_SESSION, s);
    }
    tokio::time::timeout(gw.config.timeout, note.send())
        .await
        .map_err(|_| "initialized notification timed out".to_string())?
        .map_err(|e| describe(&e))?;
    let m = Managed {
        mcp_session,
        protocol_version,
    };
    if let Ok(mut map) = gw.managed.lock() {
        // Bounded: past the limit the cache starts over (sessions are reopened on demand).
        if map.len() >= MAX_MANAGED {
            map.clear();
        }
        map.insert(key.clone(), m.clone());
    }
    Ok(m)
}

fn forget_managed(gw: &Gw, key: &(String, String, String)) {
    if let Ok(mut map) = gw.managed.lock() {
        map.remove(key);
    }
}

/// The first JSON-RPC response of an answer, JSON or SSE.
async fn first_response(gw: &Gw, resp: reqwest::Response) -> Result<Value, String> {
    if content_type(&resp).starts_with("text/event-stream") {
        let mut parser = sse::Parser::new(gw.config.max_response_bytes);
        let mut stream = resp.bytes_stream();
        loop {
            let next = tokio::time::timeout(gw.config.timeout, stream.next())
                .await
                .map_err(|_| "timed out".to_string())?;
            let (events, end) = match next {
                None => (
                    parser
                        .finish()
                        .map_err(|e| e.to_string())?
                        .into_iter()
                        .collect::<Vec<_>>(),
                    true,
                ),
                Some(chunk) => (
                    parser
                        .push(&chunk.map_err(|e| describe(&e))?)
                        .map_err(|e| e.to_string())?,
                    false,
                ),
            };
            for ev in events {
                if let Some(v) = ev.data.and_then(|d| serde_json::from_str::<Value>(&d).ok())
                    && relay::is_response(&v)
                {
                    return Ok(v);
                }
            }
            if end {
                return Err("closed the stream without answering".into());
            }
        }
    }
    let bytes = read_limited(gw, resp).await?;
    serde_json::from_slice(&bytes).map_err(|e| format!("answered invalid JSON: {e}"))
}

async fn handle_get(State(gw): State<Gw>, Path(server_id): Path<String>, req: Request) -> Response {
    let (ctx, _) = match context(&gw, &server_id, req).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let session = ctx.decider.session_id.clone();
    let req = gw
        .http
        .get(&ctx.server.url)
        .header(header::ACCEPT, "text/event-stream");
    let req = pass_headers(req, &ctx.headers, &[MCP_SESSION, MCP_VERSION, LAST_EVENT]);
    let resp = match tokio::time::timeout(gw.config.timeout, req.send()).await {
        Err(_) => return with_session(upstream_failure(&[], "timed out"), &session),
        Ok(Err(e)) => return with_session(upstream_failure(&[], &describe(&e)), &session),
        Ok(Ok(r)) => r,
    };
    let status = StatusCode::from_u16(resp.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let answer = if status.is_success() && content_type(&resp).starts_with("text/event-stream") {
        stream_events(&gw, ctx.decider.clone(), resp, Vec::new(), status, None)
    } else {
        let bytes = read_limited(&gw, resp).await.unwrap_or_default();
        (status, bytes).into_response()
    };
    with_session(answer, &session)
}

async fn handle_delete(
    State(gw): State<Gw>,
    Path(server_id): Path<String>,
    req: Request,
) -> Response {
    let (ctx, _) = match context(&gw, &server_id, req).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let session = ctx.decider.session_id.clone();
    let req = pass_headers(
        gw.http.delete(&ctx.server.url),
        &ctx.headers,
        &[MCP_SESSION, MCP_VERSION],
    );
    let answer = match tokio::time::timeout(gw.config.timeout, req.send()).await {
        Err(_) => upstream_failure(&[], "timed out"),
        Ok(Err(e)) => upstream_failure(&[], &describe(&e)),
        Ok(Ok(r)) => StatusCode::from_u16(r.status().as_u16())
            .unwrap_or(StatusCode::BAD_GATEWAY)
            .into_response(),
    };
    with_session(answer, &session)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_handshakes_and_header_ids() {
        let batch = json!([
            {"jsonrpc": "2.0", "id": 1, "method": "ping"},
            {"jsonrpc": "2.0", "method": "notifications/initialized"},
            {"jsonrpc": "2.0", "id": "b", "method": "tools/list"},
        ]);
        assert_eq!(request_ids(&batch), vec![json!(1), json!("b")]);
        assert!(is_handshake(
            &json!({"jsonrpc": "2.0", "id": 1, "method": "initialize"})
        ));
        assert!(is_handshake(
            &json!([{"jsonrpc": "2.0", "id": 1, "method": "server/discover"}])
        ));
        assert!(!is_handshake(&batch));
        let responses =
            json!([{"jsonrpc": "2.0", "id": 1, "result": {}}, {"jsonrpc": "2.0", "method": "x"}]);
        assert_eq!(response_ids(&responses), vec![json!(1)]);

        let mut h = HeaderMap::new();
        assert_eq!(header_id(&h, AGENT_HEADER).ok(), Some(None));
        h.insert(AGENT_HEADER, HeaderValue::from_static("  agt_1 "));
        assert_eq!(header_id(&h, AGENT_HEADER).ok(), Some(Some("agt_1".into())));
        h.insert(AGENT_HEADER, HeaderValue::from_static("a b"));
        assert!(header_id(&h, AGENT_HEADER).is_err());
        h.insert(
            header::ACCEPT,
            HeaderValue::from_static("application/json, text/event-stream"),
        );
        assert!(accepts_sse(&h));
    }

    #[tokio::test]
    async fn upstream_failures_are_json_rpc_errors_for_each_request() {
        let one = upstream_failure(&[json!(7)], "timed out");
        assert_eq!(one.status(), StatusCode::OK);
        let body = axum::body::to_bytes(one.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        let v: Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(v["id"], 7);
        assert_eq!(v["error"]["code"], code::UPSTREAM);
        assert!(v.get("result").is_none());
        let many = upstream_failure(&[json!(1), json!(2)], "down");
        let body = axum::body::to_bytes(many.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        let v: Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(v.as_array().map(Vec::len), Some(2));
        assert_eq!(
            upstream_failure(&[], "down").status(),
            StatusCode::BAD_GATEWAY
        );
    }
}
