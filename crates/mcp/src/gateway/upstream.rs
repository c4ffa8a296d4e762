//! The gateway's client of upstream MCP servers: one request builder for every path (POST,
//! the GET stream, DELETE, the managed session's handshake) and one SSE reader for every
//! streamed answer.

use std::time::Duration;

use axum::body::Bytes;
use axum::http::{StatusCode, header};
use futures_util::StreamExt;
use futures_util::stream::BoxStream;

use super::config::GatewayConfig;
use crate::sse;

pub const MCP_SESSION: &str = "mcp-session-id";
pub const MCP_VERSION: &str = "mcp-protocol-version";
pub const LAST_EVENT: &str = "last-event-id";
/// The routing headers of the 2026-07-28 transport: they must agree with the body.
pub const MCP_METHOD: &str = "mcp-method";
pub const MCP_NAME: &str = "mcp-name";

/// Why the upstream did not give a usable answer. Every one becomes a JSON-RPC error for
/// the requests it leaves unanswered, never an allow.
#[derive(Debug, thiserror::Error)]
pub enum UpstreamError {
    #[error("cannot build the upstream HTTP client: {0}")]
    Client(String),
    #[error("timed out")]
    TimedOut,
    #[error("connection refused or unreachable")]
    Unreachable,
    #[error("{0}")]
    Http(String),
    #[error("answered more than {0} bytes")]
    TooLarge(usize),
    #[error(transparent)]
    EventTooLarge(#[from] sse::TooLarge),
    #[error("closed the stream without answering")]
    Closed,
    #[error("answered something that is not JSON-RPC")]
    NotJsonRpc,
    #[error("answered invalid JSON: {0}")]
    InvalidJson(String),
    #[error("answered HTTP {0}")]
    Status(reqwest::StatusCode),
    #[error("answered without a protocol version")]
    NoProtocolVersion,
    /// A step of opening a managed session failed.
    #[error("{step} {source}")]
    Handshake {
        step: &'static str,
        source: Box<UpstreamError>,
    },
}

impl From<reqwest::Error> for UpstreamError {
    fn from(e: reqwest::Error) -> Self {
        if e.is_timeout() {
            UpstreamError::TimedOut
        } else if e.is_connect() {
            UpstreamError::Unreachable
        } else {
            UpstreamError::Http(e.to_string())
        }
    }
}

/// The MCP headers of one upstream request; the caller's credentials, cookies and Airlock
/// headers are never among them.
#[derive(Debug, Clone, Default)]
pub struct McpHeaders {
    pub session: Option<String>,
    pub version: Option<String>,
    pub last_event: Option<String>,
    /// Rebuilt from the checked body, never copied from the client.
    pub method: Option<String>,
    pub name: Option<String>,
}

/// What the gateway sends upstream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    /// A JSON-RPC message; the answer may be JSON or an SSE stream.
    Post,
    /// The server's stream of server-initiated messages.
    Get,
    /// The end of an MCP session.
    Delete,
}

pub struct Upstream {
    http: reqwest::Client,
    timeout: Duration,
    max_response: usize,
}

impl Upstream {
    /// A client that follows no redirects (a redirect could send the caller's messages to
    /// another host). Failing to build one is a start-up error.
    pub fn new(config: &GatewayConfig) -> Result<Self, UpstreamError> {
        let http = reqwest::Client::builder()
            .connect_timeout(config.timeout().min(Duration::from_secs(10)))
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| UpstreamError::Client(e.to_string()))?;
        Ok(Upstream {
            http,
            timeout: config.timeout(),
            max_response: config.max_response_bytes(),
        })
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends one request and waits (bounded) for the answer's head.
    pub async fn send(
        &self,
        verb: Verb,
        url: &str,
        mcp: &McpHeaders,
        body: Vec<u8>,
    ) -> Result<reqwest::Response, UpstreamError> {
        let mut req = match verb {
            Verb::Post => self
                .http
                .post(url)
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::ACCEPT, "application/json, text/event-stream")
                .body(body),
            Verb::Get => self
                .http
                .get(url)
                .header(header::ACCEPT, "text/event-stream"),
            Verb::Delete => self.http.delete(url),
        };
        for (name, value) in [
            (MCP_SESSION, &mcp.session),
            (MCP_VERSION, &mcp.version),
            (LAST_EVENT, &mcp.last_event),
            (MCP_METHOD, &mcp.method),
            (MCP_NAME, &mcp.name),
        ] {
            if let Some(v) = value {
                req = req.header(name, v);
            }
        }
        match tokio::time::timeout(self.timeout, req.send()).await {
            Err(_) => Err(UpstreamError::TimedOut),
            Ok(r) => Ok(r?),
        }
    }

    /// The whole body of a non-streamed answer, bounded in size and time.
    pub async fn read_body(&self, mut resp: reqwest::Response) -> Result<Vec<u8>, UpstreamError> {
        let max = self.max_response;
        let read = async {
            let mut out = Vec::new();
            while let Some(chunk) = resp.chunk().await? {
                if out.len().saturating_add(chunk.len()) > max {
                    return Err(UpstreamError::TooLarge(max));
                }
                out.extend_from_slice(&chunk);
            }
            Ok(out)
        };
        tokio::time::timeout(self.timeout, read)
            .await
            .map_err(|_| UpstreamError::TimedOut)?
    }

    /// The events of a streamed answer; `idle` bounds the wait for each next chunk.
    pub fn events(&self, resp: reqwest::Response, idle: Option<Duration>) -> EventReader {
        EventReader {
            parser: sse::Parser::new(self.max_response),
            stream: resp.bytes_stream().boxed(),
            idle,
            ended: false,
        }
    }
}

/// Reads an upstream SSE stream event by event.
pub struct EventReader {
    parser: sse::Parser,
    stream: BoxStream<'static, reqwest::Result<Bytes>>,
    idle: Option<Duration>,
    ended: bool,
}

impl EventReader {
    /// The events completed by the next chunk (at the end of the stream, the event it ended
    /// in, if any); `None` once the stream has ended.
    pub async fn next(&mut self) -> Result<Option<Vec<sse::Event>>, UpstreamError> {
        if self.ended {
            return Ok(None);
        }
        let next = match self.idle {
            Some(t) => tokio::time::timeout(t, self.stream.next())
                .await
                .map_err(|_| UpstreamError::TimedOut)?,
            None => self.stream.next().await,
        };
        match next {
            None => {
                self.ended = true;
                Ok(Some(self.parser.finish()?.into_iter().collect()))
            }
            Some(chunk) => Ok(Some(self.parser.push(&chunk?)?)),
        }
    }
}

/// The answer's content type, lowercase.
pub fn content_type(resp: &reqwest::Response) -> String {
    resp.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_ascii_lowercase()
}

pub fn is_sse(content_type: &str) -> bool {
    content_type.starts_with("text/event-stream")
}

/// The answer's status as the gateway's HTTP type.
pub fn status(resp: &reqwest::Response) -> StatusCode {
    StatusCode::from_u16(resp.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY)
}
