//! Upstream MCP sessions the gateway holds for plain JSON-RPC callers (no `initialize`, no
//! `Mcp-Session-Id`): opened on first need with `initialize` and `notifications/initialized`,
//! cached per (organization, server, Airlock session), reopened when the upstream forgets one.

use std::collections::HashMap;
use std::sync::Mutex;

use serde_json::{Value, json};

use super::upstream::{MCP_SESSION, McpHeaders, Upstream, UpstreamError, Verb};
use super::{answer, upstream};
use crate::relay;

/// The most upstream sessions the gateway holds for plain JSON-RPC callers.
const MAX_MANAGED: usize = 10_000;

/// The protocol version the gateway offers when it opens an upstream session itself.
pub const PROTOCOL_VERSION: &str = "2025-06-18";

/// (organization, server, Airlock session).
pub type Key = (String, String, String);

/// An upstream MCP session the gateway opened.
#[derive(Debug, Clone)]
pub struct Managed {
    pub mcp_session: Option<String>,
    pub protocol_version: String,
}

impl Managed {
    pub fn headers(&self) -> McpHeaders {
        McpHeaders {
            session: self.mcp_session.clone(),
            version: Some(self.protocol_version.clone()),
            ..McpHeaders::default()
        }
    }
}

#[derive(Default)]
pub struct ManagedSessions {
    map: Mutex<HashMap<Key, Managed>>,
}

fn step(step: &'static str) -> impl Fn(UpstreamError) -> UpstreamError {
    move |e| UpstreamError::Handshake {
        step,
        source: Box::new(e),
    }
}

impl ManagedSessions {
    /// The session for `key`, opened now if there is none.
    pub async fn get(
        &self,
        upstream: &Upstream,
        key: &Key,
        url: &str,
    ) -> Result<Managed, UpstreamError> {
        if let Ok(map) = self.map.lock()
            && let Some(m) = map.get(key)
        {
            return Ok(m.clone());
        }
        let m = open(upstream, url).await?;
        if let Ok(mut map) = self.map.lock() {
            // Bounded: past the limit the cache starts over (sessions are reopened on demand).
            if map.len() >= MAX_MANAGED {
                map.clear();
            }
            map.insert(key.clone(), m.clone());
        }
        Ok(m)
    }

    pub fn forget(&self, key: &Key) {
        if let Ok(mut map) = self.map.lock() {
            map.remove(key);
        }
    }
}

async fn open(upstream: &Upstream, url: &str) -> Result<Managed, UpstreamError> {
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
    let resp = upstream
        .send(
            Verb::Post,
            url,
            &McpHeaders::default(),
            init.to_string().into_bytes(),
        )
        .await
        .map_err(step("initialize"))?;
    if !resp.status().is_success() {
        return Err(step("initialize")(UpstreamError::Status(resp.status())));
    }
    let mcp_session = resp
        .headers()
        .get(MCP_SESSION)
        .and_then(|v| v.to_str().ok())
        .map(String::from);
    let answer = first_response(upstream, resp)
        .await
        .map_err(step("initialize"))?;
    let protocol_version = answer
        .pointer("/result/protocolVersion")
        .and_then(Value::as_str)
        .ok_or_else(|| step("initialize")(UpstreamError::NoProtocolVersion))?
        .to_string();
    let managed = Managed {
        mcp_session,
        protocol_version,
    };
    let note = json!({"jsonrpc": "2.0", "method": "notifications/initialized"});
    upstream
        .send(
            Verb::Post,
            url,
            &managed.headers(),
            note.to_string().into_bytes(),
        )
        .await
        .map_err(step("the initialized notification"))?;
    Ok(managed)
}

/// The first JSON-RPC response of an answer, JSON or SSE.
async fn first_response(
    upstream: &Upstream,
    resp: reqwest::Response,
) -> Result<Value, UpstreamError> {
    if upstream::is_sse(&upstream::content_type(&resp)) {
        let mut events = upstream.events(resp, Some(upstream.timeout()));
        while let Some(batch) = events.next().await? {
            if let Some(v) = batch
                .into_iter()
                .filter_map(|ev| answer::event_message(&ev))
                .find(relay::is_response)
            {
                return Ok(v);
            }
        }
        return Err(UpstreamError::Closed);
    }
    let bytes = upstream.read_body(resp).await?;
    serde_json::from_slice(&bytes).map_err(|e| UpstreamError::InvalidJson(e.to_string()))
}
