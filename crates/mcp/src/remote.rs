//! The decision service over HTTP, for the paths that run as separate processes (the stdio
//! wrapper, the hook, the CLI). The CLI reads where Airlock is and the key
//! (`AGENTTRUST_URL`, `AGENTTRUST_API_KEY`) and builds the [`Client`]; this module never reads
//! the environment.
//!
//! Every failure is an error the caller turns into a denial: unreachable, timed out, a non-2xx
//! answer, or an answer without a boolean `allowed`.

use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::Mutex;

use airlock_server::service::mcp_methods::is_allowed_custom;

use crate::relay::{DecideError, Decider, Decision, Declared, ObservedTool};

/// Default Airlock URL (when the CLI is not told another one).
pub const DEFAULT_URL: &str = "http://localhost:8080";

/// A client of Airlock's HTTP API.
#[derive(Debug, Clone)]
pub struct Client {
    base: String,
    key: String,
    http: reqwest::Client,
}

impl Client {
    /// A client of the Airlock at `base` (`http://` or `https://`) with API key `key`.
    pub fn new(base: &str, key: &str, timeout: Duration) -> Result<Self, DecideError> {
        let lower = base.to_ascii_lowercase();
        if !(lower.starts_with("http://") || lower.starts_with("https://")) {
            return Err(DecideError::Refused(format!(
                "the Airlock URL `{base}` must start with http:// or https://"
            )));
        }
        if key.trim().is_empty() {
            return Err(DecideError::Refused("the Airlock API key is empty".into()));
        }
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .build()
            .map_err(|e| DecideError::Unreachable(format!("cannot build an HTTP client: {e}")))?;
        Ok(Client {
            base: base.trim_end_matches('/').to_string(),
            key: key.to_string(),
            http,
        })
    }

    pub fn base(&self) -> &str {
        &self.base
    }

    /// Sends a request and returns the JSON body of a 2xx answer.
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, DecideError> {
        let url = format!("{}{path}", self.base);
        let mut req = self
            .http
            .request(method, &url)
            .header("x-api-key", &self.key)
            .header("accept", "application/json");
        // The server's check span continues the wrapper's tool-call span (traces on only).
        for (name, value) in airlock_server::otel::inject_current() {
            req = req.header(name, value);
        }
        if let Some(b) = body {
            let bytes = serde_json::to_vec(b).map_err(|e| DecideError::Invalid(e.to_string()))?;
            req = req.header("content-type", "application/json").body(bytes);
        }
        let resp = req
            .send()
            .await
            .map_err(|e| DecideError::Unreachable(format!("{url}: {}", describe(&e))))?;
        let status = resp.status();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| DecideError::Unreachable(format!("{url}: {}", describe(&e))))?;
        let parsed: Result<Value, _> = serde_json::from_slice(&bytes);
        if !status.is_success() {
            let message = parsed
                .ok()
                .and_then(|v| v.get("message").and_then(Value::as_str).map(String::from))
                .unwrap_or_else(|| String::from_utf8_lossy(&bytes).chars().take(200).collect());
            return Err(DecideError::Refused(format!("HTTP {status}: {message}")));
        }
        parsed.map_err(|e| DecideError::Invalid(format!("{url}: {e}")))
    }

    pub async fn post(&self, path: &str, body: &Value) -> Result<Value, DecideError> {
        self.send(reqwest::Method::POST, path, Some(body)).await
    }

    pub async fn put(&self, path: &str, body: &Value) -> Result<Value, DecideError> {
        self.send(reqwest::Method::PUT, path, Some(body)).await
    }

    pub async fn get(&self, path: &str) -> Result<Value, DecideError> {
        self.send(reqwest::Method::GET, path, None).await
    }

    pub async fn delete(&self, path: &str) -> Result<Value, DecideError> {
        self.send(reqwest::Method::DELETE, path, None).await
    }

    /// `POST /mcp/sessions/init`: a new session of `agent` on `server`.
    pub async fn init_session(&self, agent: &str, server: &str) -> Result<String, DecideError> {
        let v = self
            .post(
                "/mcp/sessions/init",
                &json!({"agent_id": agent, "server_id": server}),
            )
            .await?;
        v.get("session_id")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .ok_or_else(|| {
                DecideError::Invalid("session init answered without `session_id`".into())
            })
    }

    /// `POST /api/v1/agenttrust/check` with the full input; `declared` raises the effect.
    pub async fn check(&self, call: RemoteCheck<'_>) -> Result<Decision, DecideError> {
        self.ask(call, None).await
    }

    /// `POST /api/v1/agenttrust/check` with `refusal`: the check denies and records the call
    /// for `reason` (rule `refused`).
    pub async fn refuse(
        &self,
        call: RemoteCheck<'_>,
        reason: &str,
    ) -> Result<Decision, DecideError> {
        self.ask(call, Some(reason)).await
    }

    async fn ask(
        &self,
        call: RemoteCheck<'_>,
        refusal: Option<&str>,
    ) -> Result<Decision, DecideError> {
        let mut body = json!({
            "agent_id": call.agent,
            "session_id": call.session,
            "action_name": call.action,
            "action_input": call.input,
            "action_source": call.source,
        });
        if let (Some(e), Some(o)) = (call.declared, body.as_object_mut()) {
            o.insert("action_effect".into(), json!(e.as_str()));
        }
        if let (Some(t), Some(o)) = (call.hook_tool, body.as_object_mut()) {
            o.insert("hook_tool".into(), json!(t));
        }
        if let (Some(r), Some(o)) = (refusal, body.as_object_mut()) {
            o.insert("refusal".into(), json!(r));
        }
        let session = call.session;
        let v = self.post("/api/v1/agenttrust/check", &body).await?;
        parse_decision(&v, session)
    }

    /// `POST /api/v1/mcp/servers/{id}/tools/observe`.
    pub async fn observe(
        &self,
        server: &str,
        tools: &[Value],
        session: Option<&str>,
    ) -> Result<Vec<ObservedTool>, DecideError> {
        let mut body = json!({"tools": tools});
        if let (Some(s), Some(o)) = (session, body.as_object_mut()) {
            o.insert("session_id".into(), json!(s));
        }
        let v = self
            .post(
                &format!("/api/v1/mcp/servers/{}/tools/observe", seg(server)),
                &body,
            )
            .await?;
        parse_observed(&v)
    }

    /// `POST /api/v1/mcp/servers/{id}/tools/accept`: empty `tools` accepts every changed tool.
    pub async fn accept_tools(&self, server: &str, tools: &[String]) -> Result<Value, DecideError> {
        self.post(
            &format!("/api/v1/mcp/servers/{}/tools/accept", seg(server)),
            &json!({"tools": tools}),
        )
        .await
    }

    /// `GET /mcp/approvals/{id}`: the approval's status, if it is an approval of `session`.
    pub async fn approval_status(&self, id: &str, session: &str) -> Result<String, DecideError> {
        let v = self.get(&format!("/mcp/approvals/{}", seg(id))).await?;
        if v.get("session_id").and_then(Value::as_str) != Some(session) {
            return Err(DecideError::Refused(format!(
                "approval `{id}` is not of session `{session}`"
            )));
        }
        v.get("status")
            .and_then(Value::as_str)
            .map(String::from)
            .ok_or_else(|| DecideError::Invalid("the approval has no `status`".into()))
    }

    /// `GET /mcp/servers/{id}`: the custom methods the server's registration allows and how
    /// long it holds a call waiting for its approval (an Airlock that predates either: none).
    pub async fn server_settings(
        &self,
        server: &str,
    ) -> Result<(Vec<String>, Duration), DecideError> {
        let v = self.get(&format!("/mcp/servers/{}", seg(server))).await?;
        let wait = match v.get("approval_wait_secs") {
            None | Some(Value::Null) => 0,
            Some(w) => w.as_u64().filter(|w| *w <= 600).ok_or_else(|| {
                DecideError::Invalid("the server's `approval_wait_secs` must be 0-600".into())
            })?,
        };
        Ok((Self::methods_of(&v)?, Duration::from_secs(wait)))
    }

    /// `GET /mcp/servers/{id}`: the custom methods the server's registration allows. An
    /// answer without `allowed_methods` (an Airlock that predates them) allows none.
    pub async fn allowed_methods(&self, server: &str) -> Result<Vec<String>, DecideError> {
        let v = self.get(&format!("/mcp/servers/{}", seg(server))).await?;
        Self::methods_of(&v)
    }

    fn methods_of(v: &Value) -> Result<Vec<String>, DecideError> {
        match v.get("allowed_methods") {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|m| m.as_str().map(String::from))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    DecideError::Invalid("the server's `allowed_methods` must list strings".into())
                }),
            Some(_) => Err(DecideError::Invalid(
                "the server's `allowed_methods` must be a list".into(),
            )),
        }
    }

    /// `GET /api/v1/mcp/servers/{id}/tools`.
    pub async fn list_tools(&self, server: &str) -> Result<Value, DecideError> {
        self.get(&format!("/api/v1/mcp/servers/{}/tools", seg(server)))
            .await
    }
}

/// One check as the HTTP API takes it.
#[derive(Debug, Clone)]
pub struct RemoteCheck<'a> {
    pub agent: &'a str,
    pub session: &'a str,
    pub action: &'a str,
    pub input: Value,
    pub declared: Option<Declared>,
    /// Which surface asks: `mcp`, `hook`.
    pub source: &'a str,
    /// The hook's Claude Code tool name (`Bash`), sent as `hook_tool`.
    pub hook_tool: Option<&'a str>,
}

/// A path segment: ids never need escaping, anything else is refused by the server anyway.
fn seg(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn describe(e: &reqwest::Error) -> String {
    if e.is_timeout() {
        "timed out".into()
    } else if e.is_connect() {
        "connection failed".into()
    } else {
        e.to_string()
    }
}

/// Reads a check answer; anything without a boolean `allowed` is invalid.
pub fn parse_decision(v: &Value, session: &str) -> Result<Decision, DecideError> {
    let allowed = v
        .get("allowed")
        .and_then(Value::as_bool)
        .ok_or_else(|| DecideError::Invalid("the check answer has no boolean `allowed`".into()))?;
    let s = |k: &str| v.get(k).and_then(Value::as_str).map(String::from);
    Ok(Decision {
        allowed,
        reason: s("reason").unwrap_or_default(),
        approval_id: s("approval_id").filter(|a| !a.is_empty()),
        elevation_required: v
            .get("elevation_required")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        check_id: s("check_id").unwrap_or_default(),
        effect: s("effect").unwrap_or_default(),
        session_id: s("session_id").unwrap_or_else(|| session.to_string()),
        rule: s("rule").unwrap_or_default(),
    })
}

/// Reads an observe answer.
pub fn parse_observed(v: &Value) -> Result<Vec<ObservedTool>, DecideError> {
    let tools = v
        .get("tools")
        .and_then(Value::as_array)
        .ok_or_else(|| DecideError::Invalid("the observe answer has no `tools` list".into()))?;
    tools
        .iter()
        .map(|t| {
            let name = t.get("name").and_then(Value::as_str);
            let status = t.get("status").and_then(Value::as_str);
            match (name, status) {
                (Some(n), Some(s)) => Ok(ObservedTool {
                    name: n.to_string(),
                    status: s.to_string(),
                    in_scope: t.get("in_scope").and_then(Value::as_bool).unwrap_or(false),
                }),
                _ => Err(DecideError::Invalid(
                    "an observed tool has no `name` or `status`".into(),
                )),
            }
        })
        .collect()
}

/// The session of a wrapper: given (and checked once) or opened by the wrapper; ready with
/// the custom methods the server's registration allows.
#[derive(Debug)]
enum SessionState {
    None,
    Given(String),
    Ready { id: String, allowed: Vec<String> },
}

/// The decider of the stdio wrapper: one agent, one server, one session opened on first
/// need (and retried while Airlock cannot be reached).
#[derive(Debug)]
pub struct RemoteDecider {
    client: Client,
    agent: String,
    server: String,
    session: Mutex<SessionState>,
    /// `--approval-wait-secs`: overrides the registration's `approval_wait_secs`.
    wait: Option<Duration>,
    /// The registration's `approval_wait_secs`, once read.
    registered_wait: std::sync::OnceLock<Duration>,
}

impl RemoteDecider {
    /// Holds `tools/call`s that need an approval up to `wait` (instead of the server
    /// registration's `approval_wait_secs`).
    pub fn with_approval_wait(mut self, wait: Option<Duration>) -> Self {
        self.wait = wait;
        self
    }

    pub fn new(client: Client, agent: &str, server: &str, session: Option<String>) -> Self {
        let state = match session.filter(|s| !s.is_empty()) {
            Some(s) => SessionState::Given(s),
            None => SessionState::None,
        };
        RemoteDecider {
            client,
            agent: agent.to_string(),
            server: server.to_string(),
            session: Mutex::new(state),
            wait: None,
            registered_wait: std::sync::OnceLock::new(),
        }
    }

    /// The session, opened now if there is none yet. A given session is checked once: it
    /// must belong to the agent and be bound to the server, so that the server's pins and
    /// ceiling apply to every call. The server's registration is read first (its custom
    /// methods), so that a failure leaves no session behind.
    pub async fn session(&self) -> Result<String, DecideError> {
        let mut guard = self.session.lock().await;
        if let SessionState::Ready { id, .. } = &*guard {
            return Ok(id.clone());
        }
        let (allowed, wait) = self.client.server_settings(&self.server).await?;
        let id = match &*guard {
            SessionState::Ready { id, .. } => return Ok(id.clone()),
            SessionState::Given(s) => {
                let v = self
                    .client
                    .get(&format!("/mcp/sessions/{}", seg(s)))
                    .await?;
                let field = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default();
                if field("agent_id") != self.agent || field("server_id") != self.server {
                    return Err(DecideError::Refused(format!(
                        "session `{s}` is not a session of agent `{}` on server `{}`",
                        self.agent, self.server
                    )));
                }
                s.clone()
            }
            SessionState::None => self.client.init_session(&self.agent, &self.server).await?,
        };
        *guard = SessionState::Ready {
            id: id.clone(),
            allowed,
        };
        let _ = self.registered_wait.set(wait);
        Ok(id)
    }
}

impl RemoteDecider {
    fn call<'a>(&'a self, session: &'a str, action: &'a str, input: Value) -> RemoteCheck<'a> {
        RemoteCheck {
            agent: &self.agent,
            session,
            action,
            input,
            declared: None,
            source: "mcp",
            hook_tool: None,
        }
    }
}

impl Decider for RemoteDecider {
    async fn check(
        &self,
        action: &str,
        input: Value,
        declared: Option<Declared>,
    ) -> Result<Decision, DecideError> {
        let session = self.session().await?;
        let call = RemoteCheck {
            declared,
            ..self.call(&session, action, input)
        };
        self.client.check(call).await
    }

    async fn refuse(
        &self,
        action: &str,
        input: Value,
        reason: &str,
    ) -> Result<Decision, DecideError> {
        let session = self.session().await?;
        self.client
            .refuse(self.call(&session, action, input), reason)
            .await
    }

    async fn allows_method(&self, method: &str) -> Result<bool, DecideError> {
        self.session().await?;
        Ok(match &*self.session.lock().await {
            SessionState::Ready { allowed, .. } => is_allowed_custom(method, allowed),
            _ => false,
        })
    }

    /// The flag's wait, else the registration's once read, else none.
    fn approval_wait(&self) -> Duration {
        self.wait
            .or_else(|| self.registered_wait.get().copied())
            .unwrap_or(Duration::ZERO)
    }

    /// The console of the Airlock this wrapper reaches (`AGENTTRUST_URL`).
    fn approval_link(&self, id: &str) -> Option<String> {
        Some(format!(
            "{}/console/approvals/{}",
            self.client.base(),
            seg(id)
        ))
    }

    fn session_hint(&self) -> Option<String> {
        match &*self.session.try_lock().ok()? {
            SessionState::Ready { id, .. } => Some(id.clone()),
            _ => None,
        }
    }

    async fn approval_status(&self, id: &str) -> Result<String, DecideError> {
        let session = self.session().await?;
        self.client.approval_status(id, &session).await
    }

    async fn observe(&self, tools: &[Value]) -> Result<Vec<ObservedTool>, DecideError> {
        let session = self.session().await?;
        self.client
            .observe(&self.server, tools, Some(&session))
            .await
    }
}
