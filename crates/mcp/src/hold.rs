//! A held call and its client: what Airlock says to the client while a `tools/call` waits for
//! its approval, and what the client may say back.
//!
//! - **Progress**: a call that carries `_meta.progressToken` gets `notifications/progress`
//!   while it is held (every [`PROGRESS_EVERY`]), whose message names the approval and its link.
//! - **URL-mode elicitation** (MCP 2025-11-25): a client that declared
//!   `capabilities.elicitation.url` is sent `elicitation/create` with `mode: "url"` and the
//!   approval's link. Its answer only says whether the person went to the link: `accept` keeps
//!   the call waiting, `decline` or `cancel` ends the wait with a denial. Nothing the client
//!   answers can allow the call: only an allowing check does. When the approval is decided,
//!   the client is told with `notifications/elicitation/complete`.
//! - **Cancellation**: `notifications/cancelled` for a held call ends its wait; the call is
//!   never forwarded and, as the specification asks, gets no response. The approval stays as
//!   it is (a person may still decide it; nothing will use it).
//!
//! Airlock's requests to the client have ids that start with [`ASK_PREFIX`] and a random
//! part; only the connection that was asked can answer, once.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};

/// Messages for the client of a held call (progress, elicitation). Absent where the
/// transport cannot carry them before the answer (a plain JSON answer over HTTP).
pub type ClientSink = mpsc::Sender<Value>;

/// The prefix of the ids of Airlock's own requests to a client.
pub const ASK_PREFIX: &str = "airlock-ask-";

/// How often a held call with a progress token is told that it is still waiting.
pub const PROGRESS_EVERY: Duration = Duration::from_secs(2);

/// The most held calls and questions remembered per connection; past it new ones are not
/// registered (they still wait; they just cannot be cancelled or answered).
const MAX_HELD: usize = 1_024;

/// What one connection holds: calls waiting for approvals and Airlock's open questions.
#[derive(Debug, Default)]
pub struct Conversation {
    /// The client declared URL-mode elicitation in its `initialize`.
    url_elicitation: AtomicBool,
    /// Held calls by request id (its JSON text): where to send a cancellation.
    held: Mutex<HashMap<String, oneshot::Sender<String>>>,
    /// Airlock's requests to the client by id: where its answer goes.
    asked: Mutex<HashMap<String, oneshot::Sender<Value>>>,
}

/// True if client capabilities (`initialize`'s, or a 2026-07-28 request's) declare URL-mode
/// elicitation.
fn declares_url(capabilities: Option<&Value>) -> bool {
    capabilities
        .and_then(|c| c.get("elicitation"))
        .and_then(|e| e.get("url"))
        .is_some_and(Value::is_object)
}

impl Conversation {
    /// Notes what a client message tells about the client (its `initialize`).
    pub fn observe_client(&self, msg: &Value) {
        if msg.get("method").and_then(Value::as_str) == Some("initialize") {
            let url = declares_url(msg.pointer("/params/capabilities"));
            self.url_elicitation.store(url, Ordering::Relaxed);
        }
    }

    /// True if the client of a call with these params can be sent a URL elicitation.
    pub fn url_elicitation(&self, params: &Value) -> bool {
        let per_request = params
            .pointer("/_meta")
            .and_then(|m| m.get(CLIENT_CAPABILITIES_KEY));
        match per_request {
            Some(caps) => declares_url(Some(caps)),
            None => self.url_elicitation.load(Ordering::Relaxed),
        }
    }

    /// Registers a held call; the guard unregisters it.
    pub fn hold(&self, request_id: &Value) -> (HeldGuard<'_>, oneshot::Receiver<String>) {
        let (tx, rx) = oneshot::channel();
        let key = request_id.to_string();
        if let Ok(mut held) = self.held.lock()
            && held.len() < MAX_HELD
        {
            held.insert(key.clone(), tx);
        }
        (HeldGuard { conv: self, key }, rx)
    }

    /// Ends the wait of held call `request_id`; false if no such call is held here.
    pub fn cancel(&self, request_id: &Value, reason: String) -> bool {
        let tx = self
            .held
            .lock()
            .ok()
            .and_then(|mut held| held.remove(&request_id.to_string()));
        match tx {
            Some(tx) => {
                let _ = tx.send(reason);
                true
            }
            None => false,
        }
    }

    /// A new question: its id and where the client's answer arrives.
    fn ask(&self) -> Option<(String, oneshot::Receiver<Value>)> {
        let id = format!("{ASK_PREFIX}{}", random_hex(16));
        let (tx, rx) = oneshot::channel();
        let mut asked = self.asked.lock().ok()?;
        if asked.len() >= MAX_HELD {
            return None;
        }
        asked.insert(id.clone(), tx);
        Some((id, rx))
    }

    fn forget(&self, id: &str) {
        if let Ok(mut asked) = self.asked.lock() {
            asked.remove(id);
        }
    }

    /// Takes a client response to one of Airlock's questions (true: it was one, and it is
    /// consumed here; it never goes upstream).
    pub fn answer(&self, msg: &Value) -> bool {
        let Some(id) = msg.get("id").and_then(Value::as_str) else {
            return false;
        };
        if !id.starts_with(ASK_PREFIX) {
            return false;
        }
        let tx = self.asked.lock().ok().and_then(|mut a| a.remove(id));
        if let Some(tx) = tx {
            let _ = tx.send(msg.clone());
        }
        // A response with Airlock's prefix that matches no open question is dropped too: it
        // was meant for Airlock, never for the server.
        true
    }
}

/// The per-request capabilities key of the 2026-07-28 envelope.
pub const CLIENT_CAPABILITIES_KEY: &str = "io.modelcontextprotocol/clientCapabilities";

/// Unregisters a held call when its wait ends.
pub struct HeldGuard<'a> {
    conv: &'a Conversation,
    key: String,
}

impl Drop for HeldGuard<'_> {
    fn drop(&mut self) {
        if let Ok(mut held) = self.conv.held.lock() {
            held.remove(&self.key);
        }
    }
}

pub fn random_hex(bytes: usize) -> String {
    let buf: Vec<u8> = (0..bytes).map(|_| rand::random::<u8>()).collect();
    hex::encode(buf)
}

/// Why a wait ended before the approval was decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// The client cancelled the call: no answer is sent.
    Cancelled(String),
    /// The person declined to open the approval link: the call is denied.
    Declined(String),
}

/// What a wait tells the outside world, and what can stop it early.
pub trait Holder: Send {
    /// The wait for approval `id` (linked at `link`) begins.
    fn started(
        &mut self,
        id: &str,
        link: Option<&str>,
    ) -> impl std::future::Future<Output = ()> + Send;
    /// Still waiting, `waited` of `total`.
    fn tick(&mut self, waited: Duration, total: Duration);
    /// Resolves when the wait must end before the approval is decided. Cancel-safe.
    fn stop(&mut self) -> impl std::future::Future<Output = Stop> + Send;
    /// The wait for approval `id` ended (decided, or given up).
    fn ended(&mut self, id: &str);
}

/// A holder that only reports the approval id (the hook prints it).
pub struct Report<'a>(pub &'a (dyn Fn(&str, Option<&str>) + Send + Sync));

impl Holder for Report<'_> {
    async fn started(&mut self, id: &str, link: Option<&str>) {
        (self.0)(id, link)
    }
    fn tick(&mut self, _: Duration, _: Duration) {}
    async fn stop(&mut self) -> Stop {
        std::future::pending().await
    }
    fn ended(&mut self, _: &str) {}
}

/// The holder of a call from an MCP client: progress, URL elicitation and cancellation.
pub struct ClientHolder<'a> {
    conv: &'a Conversation,
    sink: Option<ClientSink>,
    progress_token: Option<Value>,
    url_elicitation: bool,
    cancelled: Option<oneshot::Receiver<String>>,
    /// The open elicitation: its request id, its elicitation id, where the answer arrives.
    question: Option<(String, String, oneshot::Receiver<Value>)>,
    /// The elicitation ids sent and not completed yet.
    open: Vec<String>,
    last_progress: Option<Duration>,
    message: String,
    _guard: Option<HeldGuard<'a>>,
}

impl<'a> ClientHolder<'a> {
    /// The holder of the call with these params; `request_id` is registered for cancellation.
    /// `may_ask`: the protocol lets Airlock send the client requests (not 2026-07-28).
    pub fn new(
        conv: &'a Conversation,
        sink: Option<ClientSink>,
        request_id: Option<&Value>,
        params: &Value,
        may_ask: bool,
    ) -> Self {
        let (guard, cancelled) = match request_id {
            Some(id) => {
                let (g, rx) = conv.hold(id);
                (Some(g), Some(rx))
            }
            None => (None, None),
        };
        ClientHolder {
            conv,
            url_elicitation: may_ask && sink.is_some() && conv.url_elicitation(params),
            sink,
            progress_token: params.pointer("/_meta/progressToken").cloned(),
            cancelled,
            question: None,
            open: Vec::new(),
            last_progress: None,
            message: String::new(),
            _guard: guard,
        }
    }

    fn send(&self, msg: Value) {
        if let Some(sink) = &self.sink {
            // Full or gone: progress and questions are a courtesy, never a reason to fail.
            let _ = sink.try_send(msg);
        }
    }
}

impl Holder for ClientHolder<'_> {
    async fn started(&mut self, id: &str, link: Option<&str>) {
        self.message = match link {
            Some(link) => format!("waiting for approval {id}: decide it at {link}"),
            None => format!("waiting for approval {id}"),
        };
        if self.url_elicitation
            && let Some(link) = link
            && let Some((ask_id, rx)) = self.conv.ask()
        {
            let elicitation_id = format!("{id}.{}", random_hex(8));
            self.send(json!({
                "jsonrpc": "2.0",
                "id": ask_id,
                "method": "elicitation/create",
                "params": {
                    "mode": "url",
                    "elicitationId": elicitation_id,
                    "url": link,
                    "message": format!(
                        "Airlock holds this tool call until a person decides approval {id}. \
                         Open the link to review and decide it."
                    ),
                },
            }));
            self.open.push(elicitation_id.clone());
            self.question = Some((ask_id, elicitation_id, rx));
        }
    }

    fn tick(&mut self, waited: Duration, total: Duration) {
        let Some(token) = self.progress_token.clone() else {
            return;
        };
        if self
            .last_progress
            .is_some_and(|last| waited < last + PROGRESS_EVERY)
        {
            return;
        }
        self.last_progress = Some(waited);
        // Seconds waited of the seconds allowed: it increases with each notification.
        let mut params = json!({
            "progressToken": token,
            "progress": waited.as_secs_f64(),
            "message": self.message,
        });
        if !total.is_zero()
            && let Some(p) = params.as_object_mut()
        {
            p.insert("total".into(), json!(total.as_secs_f64()));
        }
        self.send(json!({"jsonrpc": "2.0", "method": "notifications/progress", "params": params}));
    }

    async fn stop(&mut self) -> Stop {
        loop {
            let question = async {
                match self.question.as_mut() {
                    Some((_, _, rx)) => rx.await.ok(),
                    None => std::future::pending().await,
                }
            };
            let cancelled = async {
                match self.cancelled.as_mut() {
                    Some(rx) => match rx.await {
                        Ok(why) => why,
                        Err(_) => std::future::pending().await,
                    },
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                why = cancelled => return Stop::Cancelled(why),
                answer = question => {
                    self.question = None;
                    let action = answer
                        .as_ref()
                        .and_then(|a| a.pointer("/result/action"))
                        .and_then(Value::as_str)
                        .map(String::from);
                    match action.as_deref() {
                        // The person went to the link: keep waiting for their decision.
                        Some("accept") => continue,
                        Some(other) => {
                            return Stop::Declined(format!(
                                "the person did not open the approval link (elicitation `{other}`)"
                            ));
                        }
                        // An error answer (the client could not show it): keep waiting; the
                        // approval can still be decided elsewhere.
                        None => continue,
                    }
                }
            }
        }
    }

    fn ended(&mut self, _id: &str) {
        if let Some((ask_id, _, _)) = self.question.take() {
            self.conv.forget(&ask_id);
        }
        for elicitation_id in std::mem::take(&mut self.open) {
            self.send(json!({
                "jsonrpc": "2.0",
                "method": "notifications/elicitation/complete",
                "params": {"elicitationId": elicitation_id},
            }));
        }
    }
}
