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
use airlock_server::service::{KeyHash, ServerInfo, SessionChoice};

use crate::local::LocalDecider;
use crate::methods;
use crate::relay::{self, ClientAction, Outstanding, code};

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

async fn context(gw: &Gw, server_id: &str, req: Request) -> Result<(Ctx, Body), ApiError> {
    let (parts, body) = req.into_parts();
    let key = KeyHash::presented(presented_key(&parts.headers))?;
    let ids = header_id(&parts.headers, AGENT_HEADER).and_then(|agent| {
        let agent = agent.ok_or_else(|| {
            ApiError::bad_request(
                "missing_agent",
                "the X-Agent-ID header is required: the gateway authorizes each call by agent",
            )
        })?;
        Ok((agent, header_id(&parts.headers, SESSION_HEADER)?))
    });
    let (agent, named) = match ids {
        Ok(ids) => ids,
        Err(e) => {
            // A bad key is refused before bad headers, as on every route.
            gw.service.authenticate_hash(key).await?;
            return Err(e);
        }
    };
    let choice = match &named {
        Some(id) => SessionChoice::Named(id),
        None => SessionChoice::PerAgent,
    };
    // The key is resolved by the same store round trip that finds the session.
    let (caller, session) = gw
        .service
        .open_server_session_for_key(key.clone(), &agent, server_id, choice)
        .await?;
    let server = session.server;
    let url = server.url.to_ascii_lowercase();
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(ApiError::invalid(format!(
            "server `{server_id}` is not reachable over HTTP ({}): run it behind \
             `airlock mcp wrap` instead",
            server.url
        )));
    }
    let outstanding = gw.outstanding(&caller.org_id, &session.session_id);
    Ok((
        Ctx {
            outstanding,
            decider: LocalDecider {
                service: gw.service.clone(),
                caller,
                key,
                agent_id: agent,
                server_id: server.id.clone(),
                session_id: session.session_id,
                allowed_methods: server.allowed_methods.clone(),
                approval_wait: std::time::Duration::from_secs(server.approval_wait_secs),
                link_base: link_base(gw, &parts.headers),
            },
            server,
            headers: parts.headers,
        },
        body,
    ))
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
    let resp = if airlock_server::otel::enabled() {
        // The tool-call spans inside know the transport and the client's MCP session.
        let mcp_session = header_str(&ctx.headers, MCP_SESSION).map(String::from);
        airlock_server::otel::with_mcp(post_inner(&gw, ctx, body), "tcp", mcp_session).await
    } else {
        post_inner(&gw, ctx, body).await
    };
    with_session(resp, &session)
}

async fn post_inner(gw: &Gw, ctx: Ctx, body: Body) -> Response {
    let max_body = gw.config.max_body_bytes();
    let bytes = match axum::body::to_bytes(body, max_body).await {
        Ok(b) => b,
        Err(_) => {
            return ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!("the request body is larger than {max_body} bytes"),
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
    let (ctx, _) = match context(&gw, &server_id, req).await {
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
    let (ctx, _) = match context(&gw, &server_id, req).await {
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
