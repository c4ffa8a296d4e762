//! Outbound HTTP calls to endpoints an operator configured (reviewer webhooks, LLM APIs,
//! notification webhooks). Every call is bounded in time and in the size of its answer, never
//! follows a redirect (a redirect would walk around the address guard), and can refuse
//! loopback, private and link-local addresses (`deny_private`), checked after name
//! resolution and pinned for the connection so a second lookup cannot change the answer.

mod address;
mod signature;

use std::net::SocketAddr;
use std::time::Duration;

pub use address::is_private;
pub use signature::{SIGNATURE_HEADER, sign, verify};

/// Largest answer read from an endpoint.
pub const MAX_RESPONSE_BYTES: usize = 1024 * 1024;

/// Why an outbound call failed. Messages are lowercase and never carry a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutboundError {
    #[error("invalid url: {0}")]
    InvalidUrl(String),
    #[error("{0} resolves to a private or loopback address, which this server refuses")]
    PrivateAddress(String),
    #[error("cannot resolve {0}")]
    Resolve(String),
    #[error("timed out after {0} ms")]
    Timeout(u64),
    #[error("cannot connect: {0}")]
    Connect(String),
    #[error("answer larger than {0} bytes")]
    TooLarge(usize),
    #[error("http error: {0}")]
    Http(String),
}

/// One POST.
#[derive(Debug, Clone)]
pub struct Post {
    pub url: String,
    pub body: Vec<u8>,
    /// Extra headers (name, value); `content-type: application/json` is always sent.
    pub headers: Vec<(String, String)>,
    pub timeout: Duration,
    /// Signs the raw body into `X-Airlock-Signature: sha256=<hex>`.
    pub secret: Option<String>,
}

/// An endpoint's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }
}

/// The outbound client of one server process.
#[derive(Debug, Clone)]
pub struct Outbound {
    deny_private: bool,
    shared: reqwest::Client,
}

impl Outbound {
    pub fn new(deny_private: bool) -> Result<Outbound, OutboundError> {
        Ok(Outbound {
            deny_private,
            shared: builder()
                .build()
                .map_err(|e| OutboundError::Http(e.to_string()))?,
        })
    }

    pub fn denies_private(&self) -> bool {
        self.deny_private
    }

    /// POSTs once.
    pub async fn post(&self, post: &Post) -> Result<Answer, OutboundError> {
        let url = parse_url(&post.url)?;
        let client = if self.deny_private {
            pinned_client(&url).await?
        } else {
            self.shared.clone()
        };
        let mut request = client
            .post(url)
            .timeout(post.timeout)
            .header("content-type", "application/json")
            .header("user-agent", concat!("airlock/", env!("CARGO_PKG_VERSION")));
        for (name, value) in &post.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        if let Some(secret) = &post.secret {
            request = request.header(SIGNATURE_HEADER, sign(secret.as_bytes(), &post.body));
        }
        let millis = post.timeout.as_millis() as u64;
        let send = request.body(post.body.clone()).send();
        let mut response = match tokio::time::timeout(post.timeout, send).await {
            Err(_) => return Err(OutboundError::Timeout(millis)),
            Ok(Err(e)) => return Err(classify(e, millis)),
            Ok(Ok(r)) => r,
        };
        read_answer(&mut response, post.timeout).await
    }

    /// GETs once (an OIDC discovery document, a JWKS), with the same address rules as
    /// [`Outbound::post`].
    pub async fn get(&self, url: &str, timeout: Duration) -> Result<Answer, OutboundError> {
        let url = parse_url(url)?;
        let client = if self.deny_private {
            pinned_client(&url).await?
        } else {
            self.shared.clone()
        };
        let request = client
            .get(url)
            .timeout(timeout)
            .header("accept", "application/json")
            .header("user-agent", concat!("airlock/", env!("CARGO_PKG_VERSION")));
        let millis = timeout.as_millis() as u64;
        let mut response = match tokio::time::timeout(timeout, request.send()).await {
            Err(_) => return Err(OutboundError::Timeout(millis)),
            Ok(Err(e)) => return Err(classify(e, millis)),
            Ok(Ok(r)) => r,
        };
        read_answer(&mut response, timeout).await
    }

    /// POSTs until a 2xx answer, retrying failures, 429 and 5xx answers with doubling
    /// backoff; `attempts` is at least 1. Returns the last answer or error.
    pub async fn post_with_retries(
        &self,
        post: &Post,
        attempts: u32,
        first_backoff: Duration,
    ) -> Result<Answer, OutboundError> {
        let mut backoff = first_backoff;
        let mut last = Err(OutboundError::Http("no attempt made".into()));
        for attempt in 0..attempts.max(1) {
            if attempt > 0 {
                tokio::time::sleep(backoff).await;
                backoff = backoff.saturating_mul(2);
            }
            last = self.post(post).await;
            match &last {
                Ok(answer) if answer.is_success() => return last,
                // A refused address or URL will not change by retrying.
                Err(OutboundError::InvalidUrl(_) | OutboundError::PrivateAddress(_)) => {
                    return last;
                }
                Ok(answer) if !retryable(answer.status) => return last,
                _ => {}
            }
        }
        last
    }
}

fn retryable(status: u16) -> bool {
    status == 429 || status >= 500
}

fn builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(10))
        .no_proxy()
}

fn classify(e: reqwest::Error, millis: u64) -> OutboundError {
    if e.is_timeout() {
        OutboundError::Timeout(millis)
    } else if e.is_connect() {
        OutboundError::Connect(without_url(&e))
    } else {
        OutboundError::Http(without_url(&e))
    }
}

/// reqwest's messages carry the URL, which may hold a token in its path or query.
fn without_url(e: &reqwest::Error) -> String {
    let mut text = e.to_string();
    if let Some(url) = e.url() {
        text = text.replace(url.as_str(), "the endpoint");
    }
    text
}

/// Reads an answer's status and body, at most [`MAX_RESPONSE_BYTES`].
async fn read_answer(
    response: &mut reqwest::Response,
    timeout: Duration,
) -> Result<Answer, OutboundError> {
    let millis = timeout.as_millis() as u64;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    loop {
        let chunk = tokio::time::timeout(timeout, response.chunk()).await;
        match chunk {
            Err(_) => return Err(OutboundError::Timeout(millis)),
            Ok(Err(e)) => return Err(classify(e, millis)),
            Ok(Ok(None)) => break,
            Ok(Ok(Some(bytes))) => {
                if body.len() + bytes.len() > MAX_RESPONSE_BYTES {
                    return Err(OutboundError::TooLarge(MAX_RESPONSE_BYTES));
                }
                body.extend_from_slice(&bytes);
            }
        }
    }
    Ok(Answer { status, body })
}

/// An `http` or `https` URL with a host and no user name or password.
pub fn parse_url(raw: &str) -> Result<url::Url, OutboundError> {
    let url = url::Url::parse(raw).map_err(|e| OutboundError::InvalidUrl(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(OutboundError::InvalidUrl(
            "the scheme must be http or https".into(),
        ));
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(OutboundError::InvalidUrl("the url has no host".into()));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(OutboundError::InvalidUrl(
            "credentials in the url are not accepted; use the secret".into(),
        ));
    }
    Ok(url)
}

/// Resolves the host, refuses private addresses, and pins the answer for the connection.
async fn pinned_client(url: &url::Url) -> Result<reqwest::Client, OutboundError> {
    let host = url.host_str().unwrap_or_default().to_string();
    let port = url.port_or_known_default().unwrap_or(443);
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    let addrs: Vec<SocketAddr> = match bare.parse::<std::net::IpAddr>() {
        Ok(ip) => vec![SocketAddr::new(ip, port)],
        Err(_) => tokio::net::lookup_host((bare, port))
            .await
            .map_err(|_| OutboundError::Resolve(host.clone()))?
            .collect(),
    };
    if addrs.is_empty() {
        return Err(OutboundError::Resolve(host));
    }
    if addrs.iter().any(|a| is_private(a.ip())) {
        return Err(OutboundError::PrivateAddress(host));
    }
    builder()
        .resolve_to_addrs(bare, &addrs)
        .build()
        .map_err(|e| OutboundError::Http(e.to_string()))
}
