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

mod answer;
pub mod config;
mod held;
mod managed;
mod upstream;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use serde_json::Value;

use airlock_server::Service;
use airlock_server::error::ApiError;
use airlock_server::extract::presented_key;
use airlock_server::service::{
    BoundSession, Caller, KeyHash, OpenedCheck, OpenedDecision, ServerInfo, SessionChoice,
};

use crate::local::{self, LocalDecider};
use crate::relay::{self, ClientAction, Outstanding, code};
use crate::{methods, tool_call};

use answer::{Relay, json_response, request_ids, upstream_failure};
pub use config::{ConfigError, GatewayConfig};
use managed::ManagedSessions;
pub use managed::PROTOCOL_VERSION;
pub use upstream::UpstreamError;
use upstream::{
    LAST_EVENT, MCP_METHOD, MCP_NAME, MCP_SESSION, MCP_VERSION, McpHeaders, Upstream, Verb,
};

struct Gateway {
    service: Service,
    config: GatewayConfig,
    upstream: Upstream,
    managed: ManagedSessions,
    /// The server requests forwarded to the client of each (organization, Airlock session).
    outstanding: Mutex<HashMap<(String, String), Arc<Outstanding>>>,
}

/// The most sessions whose unanswered server requests the gateway remembers.
const MAX_CONVERSATIONS: usize = 10_000;

impl Gateway {
    fn outstanding(&self, org: &str, session: &str) -> Arc<Outstanding> {
        let Ok(mut map) = self.outstanding.lock() else {
            // A poisoned lock forgets every request: their responses are refused.
            return Arc::default();
        };
        let key = (org.to_string(), session.to_string());
        if !map.contains_key(&key) && map.len() >= MAX_CONVERSATIONS {
            map.clear();
        }
        map.entry(key).or_default().clone()
    }
}

type Gw = Arc<Gateway>;

/// The gateway's routes; merge into the API router. Fails only if the upstream HTTP client
/// cannot be built, which is a start-up error.
pub fn gateway_router(service: Service, config: GatewayConfig) -> Result<Router, UpstreamError> {
    let gw = Arc::new(Gateway {
        service,
        upstream: Upstream::new(&config)?,
        config,
        managed: ManagedSessions::default(),
        outstanding: Mutex::default(),
    });
    Ok(Router::new()
        .route(
            "/mcp/{server_id}",
            post(handle_post).get(handle_get).delete(handle_delete),
        )
        .with_state(gw))
}

/// Who is calling, on which server, in which session.
#[derive(Clone)]
struct Ctx {
    decider: LocalDecider,
    server: ServerInfo,
    headers: HeaderMap,
    outstanding: Arc<Outstanding>,
}

const AGENT_HEADER: &str = "x-agent-id";
const SESSION_HEADER: &str = "x-session-id";

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

/// What a request asks for: the key it presented, its agent and the session it names.
struct Asked {
    key: KeyHash,
    agent: String,
    named: Option<String>,
}

impl Asked {
    fn choice(&self) -> SessionChoice<'_> {
        match &self.named {
            Some(id) => SessionChoice::Named(id),
            None => SessionChoice::PerAgent,
        }
    }
}

/// The key and the routing headers of a request, read before anything else.
async fn asked(gw: &Gw, headers: &HeaderMap) -> Result<Asked, ApiError> {
    let key = KeyHash::presented(presented_key(headers))?;
    let ids = header_id(headers, AGENT_HEADER).and_then(|agent| {
        let agent = agent.ok_or_else(|| {
            ApiError::bad_request(
                "missing_agent",
                "the X-Agent-ID header is required: the gateway authorizes each call by agent",
            )
        })?;
        Ok((agent, header_id(headers, SESSION_HEADER)?))
    });
    match ids {
        Ok((agent, named)) => Ok(Asked { key, agent, named }),
        Err(e) => {
            // A bad key is refused before bad headers, as on every route.
            gw.service.authenticate_hash(key).await?;
            Err(e)
        }
    }
}

/// Whether the gateway can reach a server at `url`.
fn over_http(url: &str) -> bool {
    let url = url.to_ascii_lowercase();
    url.starts_with("http://") || url.starts_with("https://")
}

/// The request's context: its key authenticated and its session found or opened, in one
/// store round trip.
async fn open(gw: &Gw, server_id: &str, asked: Asked, headers: HeaderMap) -> Result<Ctx, ApiError> {
    let (caller, session) = gw
        .service
        .open_server_session_for_key(asked.key.clone(), &asked.agent, server_id, asked.choice())
        .await?;
    context(gw, server_id, asked, caller, session, headers)
}

/// [`open`] for a request whose message is a `tools/call`: when the session exists, the call
/// is decided in the same store round trip, and the decider's first check takes that
/// decision (`LocalDecider::with_decision`).
async fn open_deciding(
    gw: &Gw,
    server_id: &str,
    asked: Asked,
    headers: HeaderMap,
    msg: &Value,
) -> Result<Ctx, ApiError> {
    let Some((tool, input)) = tool_call::first_check(msg) else {
        return open(gw, server_id, asked, headers).await;
    };
    let req = local::check_request(&asked.agent, "", &tool, input.clone(), None, None);
    let opened = gw
        .service
        .open_and_check_unreceipted(asked.key.clone(), server_id, asked.choice(), req, over_http)
        .await?;
    let OpenedCheck::Decided(opened) = opened else {
        return open(gw, server_id, asked, headers).await;
    };
    let OpenedDecision {
        caller,
        session,
        outcome,
    } = *opened;
    let mut ctx = context(gw, server_id, asked, caller, session, headers)?;
    ctx.decider = ctx
        .decider
        .with_decision(tool, input, local::decision(outcome));
    Ok(ctx)
}

fn context(
    gw: &Gw,
    server_id: &str,
    asked: Asked,
    caller: Caller,
    session: BoundSession,
    headers: HeaderMap,
) -> Result<Ctx, ApiError> {
    let server = session.server;
    if !over_http(&server.url) {
        return Err(ApiError::invalid(format!(
            "server `{server_id}` is not reachable over HTTP ({}): run it behind \
             `airlock mcp wrap` instead",
            server.url
        )));
    }
    let outstanding = gw.outstanding(&caller.org_id, &session.session_id);
    Ok(Ctx {
        outstanding,
        decider: LocalDecider {
            service: gw.service.clone(),
            caller,
            key: asked.key,
            agent_id: asked.agent,
            server_id: server.id.clone(),
            session_id: session.session_id,
            allowed_methods: server.allowed_methods.clone(),
            approval_wait: std::time::Duration::from_secs(server.approval_wait_secs),
            link_base: link_base(gw, &headers),
            decided: Default::default(),
        },
        server,
        headers,
    })
}

/// A request without a body to read: its context.
async fn bodiless(gw: &Gw, server_id: &str, req: Request) -> Result<Ctx, ApiError> {
    let (parts, _) = req.into_parts();
    let asked = asked(gw, &parts.headers).await?;
    open(gw, server_id, asked, parts.headers).await
}

/// Where the client's person reaches this server: `--public-url`, else `http://` and the
/// `Host` the client used (only a plain host name or address with a port; anything else
/// gives no link).
fn link_base(gw: &Gw, headers: &HeaderMap) -> Option<String> {
    if let Some(base) = gw.service.config().public_url.as_deref() {
        return Some(base.to_string());
    }
    let host = header_str(headers, "host")?;
    let plain = !host.is_empty()
        && host.len() <= 255
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    plain.then(|| format!("http://{host}"))
}

fn with_session(mut resp: Response, session: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(session) {
        resp.headers_mut().insert(SESSION_HEADER, v);
    }
    resp
}

/// An `initialize` or `server/discover` (protocol negotiation): never sent in a managed
/// session.
fn is_handshake(msg: &Value) -> bool {
    match msg {
        Value::Array(items) => items.iter().any(is_handshake),
        m => matches!(relay::method(m), Some("initialize" | "server/discover")),
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

/// The client's MCP headers that go upstream.
fn client_mcp_headers(headers: &HeaderMap) -> McpHeaders {
    let get = |name| header_str(headers, name).map(String::from);
    McpHeaders {
        session: get(MCP_SESSION),
        version: get(MCP_VERSION),
        last_event: get(LAST_EVENT),
        method: None,
        name: None,
    }
}

/// Why a request's routing headers (`Mcp-Method`, `Mcp-Name`) disagree with its body, if
/// they do. Values are compared byte for byte; a header that is not visible ASCII disagrees.
fn routing_mismatch(headers: &HeaderMap, msg: &Value) -> Option<String> {
    let single = msg.is_object();
    [
        (MCP_METHOD, "method", relay::method(msg)),
        (MCP_NAME, "name", methods::routing_name(msg)),
    ]
    .into_iter()
    .find_map(|(header, what, body)| {
        let value = headers.get(header)?;
        let Ok(h) = value.to_str() else {
            return Some(format!("the {header} header is not visible ASCII"));
        };
        Some(match body.filter(|_| single) {
            Some(b) if b == h => return None,
            Some(b) => format!("the {header} header {h:?} disagrees with the body's {what} {b:?}"),
            None => format!("the {header} header {h:?} names no {what} of the body"),
        })
    })
}

/// The routing headers sent upstream, rebuilt from the checked body.
fn routing_headers(msg: &Value) -> (Option<String>, Option<String>) {
    match msg {
        Value::Object(_) => (
            relay::method(msg).map(String::from),
            methods::routing_name(msg).map(String::from),
        ),
        _ => (None, None),
    }
}

/// Why a request's body is not a message to relay.
enum BodyError {
    TooLarge(usize),
    NotJson(serde_json::Error),
}

impl IntoResponse for BodyError {
    fn into_response(self) -> Response {
        match self {
            BodyError::TooLarge(max) => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("the request body is larger than {max} bytes"),
            )
            .into_response(),
            BodyError::NotJson(e) => json_response(
                StatusCode::BAD_REQUEST,
                &relay::error(Value::Null, code::PARSE_ERROR, format!("invalid JSON: {e}")),
            ),
        }
    }
}

/// The request's message, read whole (up to the gateway's limit).
async fn read_message(gw: &Gw, body: Body) -> Result<Value, BodyError> {
    let max = gw.config.max_body_bytes();
    let bytes = axum::body::to_bytes(body, max)
        .await
        .map_err(|_| BodyError::TooLarge(max))?;
    serde_json::from_slice(&bytes).map_err(BodyError::NotJson)
}

async fn handle_post(
    State(gw): State<Gw>,
    Path(server_id): Path<String>,
    req: Request,
) -> Response {
    let (parts, body) = req.into_parts();
    let asked = match asked(&gw, &parts.headers).await {
        Ok(a) => a,
        Err(e) => return e.into_response(),
    };
    // The message is read before the session is opened, so that a `tools/call` is decided
    // in the same store round trip. What it says is answered only after the key and the
    // session are accepted, as before.
    let read = read_message(&gw, body).await;
    let opened = match &read {
        Ok(msg) if routing_mismatch(&parts.headers, msg).is_none() => {
            open_deciding(&gw, &server_id, asked, parts.headers, msg).await
        }
        _ => open(&gw, &server_id, asked, parts.headers).await,
    };
    let ctx = match opened {
        Ok(ctx) => ctx,
        Err(e) => return e.into_response(),
    };
    let msg = match read {
        Ok(msg) => msg,
        Err(e) => return with_session(e.into_response(), &ctx.decider.session_id),
    };
    let session = ctx.decider.session_id.clone();
    let resp = if airlock_server::otel::enabled() {
        // The tool-call spans inside know the transport and the client's MCP session.
        let mcp_session = header_str(&ctx.headers, MCP_SESSION).map(String::from);
        airlock_server::otel::with_mcp(post_inner(&gw, ctx, msg), "tcp", mcp_session).await
    } else {
        post_inner(&gw, ctx, msg).await
    };
    with_session(resp, &session)
}

async fn post_inner(gw: &Gw, ctx: Ctx, msg: Value) -> Response {
    if let Some(why) = routing_mismatch(&ctx.headers, &msg) {
        relay::record_refusal(&ctx.decider, &msg, &why).await;
        let id = msg.get("id").cloned().unwrap_or(Value::Null);
        return json_response(
            StatusCode::BAD_REQUEST,
            &relay::error(
                id,
                code::INVALID_REQUEST,
                format!("Airlock refused this message: {why}"),
            ),
        );
    }
    // A call that may be held can talk to its client meanwhile, over SSE.
    if !ctx.decider.approval_wait.is_zero()
        && accepts_sse(&ctx.headers)
        && relay::is_request(&msg)
        && relay::method(&msg) == Some("tools/call")
    {
        return held::post(gw.clone(), ctx, msg).await;
    }
    let msg = match relay::on_client_message(&ctx.decider, &ctx.outstanding, msg).await {
        ClientAction::Forward(m) => m,
        ClientAction::Reply(v) => return json_response(StatusCode::OK, &v),
        ClientAction::Drop => return StatusCode::ACCEPTED.into_response(),
        ClientAction::Reject(v) => return json_response(StatusCode::BAD_REQUEST, &v),
    };
    forward(gw, &ctx, msg).await
}

/// Sends a checked message upstream and turns its answer into the client's.
async fn forward(gw: &Gw, ctx: &Ctx, msg: Value) -> Response {
    let (method, name) = routing_headers(&msg);
    let ids = request_ids(&msg);
    let client = client_mcp_headers(&ctx.headers);
    // A plain JSON-RPC caller (no MCP session, no protocol version, no handshake): the
    // gateway holds the upstream MCP session for it.
    let plain = client.session.is_none() && client.version.is_none() && !is_handshake(&msg);
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
        let headers = match &managed_key {
            None => McpHeaders {
                last_event: None,
                ..client.clone()
            },
            Some(key) => match gw.managed.get(&gw.upstream, key, &ctx.server.url).await {
                Ok(m) => m.headers(),
                Err(why) => return upstream_failure(&ids, &why),
            },
        };
        let headers = McpHeaders {
            method: method.clone(),
            name: name.clone(),
            ..headers
        };
        let resp = match gw
            .upstream
            .send(Verb::Post, &ctx.server.url, &headers, body.clone())
            .await
        {
            Ok(r) => r,
            Err(why) => return upstream_failure(&ids, &why),
        };
        // The upstream forgot the session it gave us: open a new one, once.
        if resp.status() == StatusCode::NOT_FOUND
            && let Some(key) = &managed_key
            && !retried
        {
            gw.managed.forget(key);
            retried = true;
            continue;
        }
        let relay = Relay {
            upstream: &gw.upstream,
            decider: &ctx.decider,
            ids,
            client_sse: accepts_sse(&ctx.headers),
            pass_session: managed_key.is_none(),
            outstanding: ctx.outstanding.clone(),
        };
        return answer::post_answer(relay, resp).await;
    }
}

async fn handle_get(State(gw): State<Gw>, Path(server_id): Path<String>, req: Request) -> Response {
    let ctx = match bodiless(&gw, &server_id, req).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let headers = client_mcp_headers(&ctx.headers);
    let answer = match gw
        .upstream
        .send(Verb::Get, &ctx.server.url, &headers, Vec::new())
        .await
    {
        Ok(resp) => {
            answer::get_answer(&gw.upstream, &ctx.decider, ctx.outstanding.clone(), resp).await
        }
        Err(why) => upstream_failure(&[], &why),
    };
    with_session(answer, &ctx.decider.session_id)
}

async fn handle_delete(
    State(gw): State<Gw>,
    Path(server_id): Path<String>,
    req: Request,
) -> Response {
    let ctx = match bodiless(&gw, &server_id, req).await {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let headers = McpHeaders {
        last_event: None,
        ..client_mcp_headers(&ctx.headers)
    };
    let answer = match gw
        .upstream
        .send(Verb::Delete, &ctx.server.url, &headers, Vec::new())
        .await
    {
        Ok(r) => upstream::status(&r).into_response(),
        Err(why) => upstream_failure(&[], &why),
    };
    with_session(answer, &ctx.decider.session_id)
}

#[cfg(test)]
mod tests {
    use super::answer::response_ids;
    use super::*;
    use serde_json::json;

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

    #[test]
    fn routing_headers_must_agree_with_the_body_and_are_rebuilt_from_it() {
        let call = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                          "params": {"name": "delete_file", "arguments": {}}});
        let mut h = HeaderMap::new();
        assert_eq!(routing_mismatch(&h, &call), None);
        h.insert(MCP_METHOD, HeaderValue::from_static("tools/call"));
        h.insert(MCP_NAME, HeaderValue::from_static("delete_file"));
        assert_eq!(routing_mismatch(&h, &call), None);
        h.insert(MCP_NAME, HeaderValue::from_static("read_file"));
        assert!(routing_mismatch(&h, &call).is_some());
        h.insert(MCP_NAME, HeaderValue::from_static("delete_file"));
        h.insert(MCP_METHOD, HeaderValue::from_static("tools/list"));
        assert!(routing_mismatch(&h, &call).is_some());
        h.insert(MCP_METHOD, HeaderValue::from_static("tools/call "));
        assert!(routing_mismatch(&h, &call).is_some());
        h.insert(
            MCP_METHOD,
            HeaderValue::from_bytes(b"tools/call\xe2\x80\x8b").unwrap(),
        );
        assert!(routing_mismatch(&h, &call).is_some());
        // A batch has no single method: a method header cannot agree with it.
        h.remove(MCP_NAME);
        h.insert(MCP_METHOD, HeaderValue::from_static("tools/call"));
        assert!(routing_mismatch(&h, &json!([call.clone()])).is_some());
        // A name header on a message that names nothing.
        let mut h = HeaderMap::new();
        h.insert(MCP_NAME, HeaderValue::from_static("x"));
        assert!(
            routing_mismatch(&h, &json!({"jsonrpc": "2.0", "id": 1, "method": "ping"})).is_some()
        );
        assert_eq!(
            routing_headers(&call),
            (Some("tools/call".into()), Some("delete_file".into()))
        );
        assert_eq!(routing_headers(&json!([call])), (None, None));
    }

    #[tokio::test]
    async fn upstream_failures_are_json_rpc_errors_for_each_request() {
        let one = upstream_failure(&[json!(7)], &UpstreamError::TimedOut);
        assert_eq!(one.status(), StatusCode::OK);
        let body = axum::body::to_bytes(one.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        let v: Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(v["id"], 7);
        assert_eq!(v["error"]["code"], code::UPSTREAM);
        assert!(v.get("result").is_none());
        let many = upstream_failure(&[json!(1), json!(2)], &UpstreamError::Closed);
        let body = axum::body::to_bytes(many.into_body(), 1 << 20)
            .await
            .unwrap_or_default();
        let v: Value = serde_json::from_slice(&body).unwrap_or_default();
        assert_eq!(v.as_array().map(Vec::len), Some(2));
        assert_eq!(
            upstream_failure(&[], &UpstreamError::Closed).status(),
            StatusCode::BAD_GATEWAY
        );
    }
}
