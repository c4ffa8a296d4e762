//! The A2A gateway and agent cards (docs/a2a.md).
//!
//! Every JSON-RPC call that names an agent or a task is decided by the check, as the action
//! `a2a.<method>` of the target agent in the session `X-Session-ID` names (else the task's
//! session, else the agent's default one), with the message's content as the input; the
//! decision is recorded before any task state changes. A denied call is a JSON-RPC error and
//! stores nothing else; an allowed message is forwarded to the agent's own endpoint (from its
//! card) or kept in Airlock's task store.

pub mod cards;
pub mod rpc;

use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};

use airlock_store::a2a::{A2aTask, AgentCard};

use super::{Caller, CheckRequest, Principal, Service, ServiceError, clip, validate};
use crate::auth::new_id;
use cards::{CardFacts, CardInput};
use rpc::{Method, Request, RpcError, code};

/// How long a target agent may take to answer a forwarded message.
const FORWARD_TIMEOUT: Duration = Duration::from_secs(20);
/// How long the agent may take to hear of a cancel (best effort).
const CANCEL_TIMEOUT: Duration = Duration::from_secs(5);

/// One call to the gateway, as the HTTP adapter passes it.
#[derive(Debug, Clone, Default)]
pub struct A2aCall {
    /// The agent of `/a2a/agents/{agent_id}`; `None` for `/a2a`.
    pub agent_id: Option<String>,
    /// `X-Session-ID`.
    pub session_id: Option<String>,
}

/// The gateway's answer: a JSON-RPC response, and whether the request itself was malformed
/// (answered with HTTP 400; everything else is HTTP 200).
#[derive(Debug, Clone, PartialEq)]
pub struct A2aReply {
    pub body: Value,
    pub malformed: bool,
}

/// Who a call is decided for.
struct Actor {
    agent_id: String,
    session_id: String,
}

impl Service {
    /// Answers one JSON-RPC request of the A2A gateway.
    pub async fn a2a(&self, caller: &Caller, call: A2aCall, body: &[u8]) -> A2aReply {
        let (id, outcome) = match rpc::parse_request(body) {
            Err(bad) => {
                let (id, e) = *bad;
                (id, Err(e))
            }
            Ok(req) => {
                let id = req.id.clone();
                (id, self.a2a_request(caller, &call, req).await)
            }
        };
        let malformed = outcome.as_ref().err().is_some_and(RpcError::is_malformed);
        A2aReply {
            body: rpc::response(&id, outcome),
            malformed,
        }
    }

    async fn a2a_request(
        &self,
        caller: &Caller,
        call: &A2aCall,
        req: Request,
    ) -> Result<Value, RpcError> {
        let Some(method) = Method::parse(&req.method) else {
            return Err(RpcError::new(
                code::METHOD_NOT_FOUND,
                format!(
                    "method `{}` is not served by the A2A gateway (message/send, tasks/send, \
                     tasks/get, tasks/cancel, tasks/resubscribe)",
                    clip(&req.method, 128)
                ),
            ));
        };
        let path_agent = match &call.agent_id {
            Some(a) => Some(
                validate::id("agent_id", a)
                    .map_err(|e| RpcError::params(e.to_string()))?
                    .to_string(),
            ),
            None => None,
        };
        let session = match call.session_id.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) if !s.bytes().all(|b| b.is_ascii_graphic()) => {
                return Err(RpcError::params(
                    "`X-Session-ID` must be printable ASCII without spaces",
                ));
            }
            Some(s) => Some(
                validate::id("X-Session-ID", s)
                    .map_err(|e| RpcError::params(e.to_string()))?
                    .to_string(),
            ),
        };
        match method {
            Method::MessageSend | Method::TasksSend => {
                self.a2a_send(caller, method, path_agent, session, &req)
                    .await
            }
            Method::TasksGet | Method::TasksCancel | Method::TasksResubscribe => {
                self.a2a_task_call(caller, method, path_agent, session, &req)
                    .await
            }
        }
    }

    /// `message/send` and `tasks/send`: a new task, or a message to a task that is not over.
    async fn a2a_send(
        &self,
        caller: &Caller,
        method: Method,
        path_agent: Option<String>,
        session: Option<String>,
        req: &Request,
    ) -> Result<Value, RpcError> {
        let p = &req.params;
        let new_message_id = || new_id("msg");
        let (original, message, source, target, metadata, continued) =
            if method == Method::MessageSend {
                let value = p
                    .get("message")
                    .ok_or_else(|| RpcError::params("`message` is required"))?;
                let m = rpc::parse_message(value, new_message_id)?;
                let continued = m.task_id.clone();
                (
                    value.clone(),
                    m,
                    String::new(),
                    None,
                    rpc::metadata_param(p)?,
                    continued,
                )
            } else {
                let (original, m) = rpc::parse_legacy_message(p.get("message"), new_message_id)?;
                let continued = match (rpc::id_param(p, "id")?, rpc::id_param(p, "task_id")?) {
                    (Some(a), Some(b)) if a != b => {
                        return Err(RpcError::params("`id` and `task_id` name different tasks"));
                    }
                    (Some(a), _) | (None, Some(a)) => Some(a),
                    (None, None) => m.task_id.clone(),
                };
                let source = rpc::id_param(p, "source_agent_id")?.unwrap_or_default();
                let target = rpc::id_param(p, "target_agent_id")?;
                (
                    original,
                    m,
                    source,
                    target,
                    rpc::metadata_param(p)?,
                    continued,
                )
            };
        // The target: the path's agent; a target named in params must be the same one.
        let target = match (&path_agent, target) {
            (Some(a), Some(t)) if *a != t => {
                return Err(RpcError::params(format!(
                    "`target_agent_id` `{}` is not the agent of this endpoint",
                    clip(&t, 80)
                )));
            }
            (Some(a), _) => Some(a.clone()),
            (None, t) => t,
        };
        let org = caller.org_id.clone();
        let existing = match &continued {
            None => None,
            Some(task_id) => {
                let t = self.load_task(&org, task_id).await?;
                let wrong_agent = target.as_ref().is_some_and(|a| *a != t.target_agent_id);
                if wrong_agent {
                    return Err(task_not_found(task_id));
                }
                Some(t)
            }
        };
        let target = match (target, &existing) {
            (_, Some(t)) => t.target_agent_id.clone(),
            (Some(t), None) => t,
            (None, None) => {
                return Err(RpcError::params(
                    "name the target agent: post to /a2a/agents/{agent_id}, give \
                     `target_agent_id`, or continue a task with `taskId`",
                ));
            }
        };
        let (agent, card) = {
            let (o, a) = (org.clone(), target.clone());
            self.store()
                .run(move |tx| Ok((tx.agent(&o, &a)?, tx.agent_card(&o, &a)?)))
                .await
                .map_err(|e| internal(e.into()))?
        };
        if agent.is_none() {
            return Err(RpcError::params(format!(
                "agent not found: `{}`",
                clip(&target, 80)
            )));
        }
        if !source.is_empty() {
            let (o, s) = (org.clone(), source.clone());
            let known = self
                .store()
                .run(move |tx| tx.agent(&o, &s))
                .await
                .map_err(|e| internal(e.into()))?;
            if known.is_none() {
                return Err(RpcError::params(format!(
                    "source agent not found: `{}`",
                    clip(&source, 80)
                )));
            }
        }
        let actor = Actor {
            agent_id: target.clone(),
            session_id: match &existing {
                Some(t) => task_session(t, session)?,
                None => session.unwrap_or_default(),
            },
        };
        // Decided and recorded before anything about the task changes.
        // A finished task takes nothing more, whoever asks: refused before anything is decided.
        if let Some(t) = existing.as_ref().filter(|t| rpc::is_terminal(&t.state)) {
            return Err(RpcError::new(
                code::UNSUPPORTED_OPERATION,
                format!(
                    "task `{}` is {} and takes no more messages",
                    clip(&t.id, 80),
                    t.state
                ),
            ));
        }
        let session_id = self
            .a2a_decide(caller, method, &actor, message.input.clone())
            .await?;
        let now = Utc::now();
        let mut task = match existing {
            // Re-checked when the task is written back (`update_a2a_task` keeps terminal
            // states), in case it finished meanwhile.
            Some(t) => t,
            None => A2aTask {
                id: new_id("tsk"),
                org_id: org.clone(),
                context_id: message.context_id.clone().unwrap_or_else(|| new_id("ctx")),
                source_agent_id: source,
                target_agent_id: target.clone(),
                session_id,
                protocol: if method == Method::MessageSend {
                    "v1"
                } else {
                    "legacy"
                }
                .into(),
                state: "submitted".into(),
                message: original,
                history: json!([]),
                artifacts: json!([]),
                metadata,
                upstream_task_id: None,
                created_at: now,
                updated_at: now,
            },
        };
        let is_new = task.history.as_array().is_none_or(Vec::is_empty);
        let mut kept = message.value.clone();
        if let Some(obj) = kept.as_object_mut() {
            obj.insert("taskId".into(), json!(task.id));
            obj.insert("contextId".into(), json!(task.context_id));
        }
        push_history(&mut task, kept.clone())?;
        let endpoint = card.and_then(|c| c.endpoint_url);
        task.state = match (&endpoint, task.state.as_str()) {
            (Some(_), _) => "working".into(),
            // A reply to a question nobody forwards waits again.
            (None, "input-required" | "auth-required") => "submitted".into(),
            (None, s) => s.to_string(),
        };
        task.updated_at = now;
        self.save_task(&task, is_new).await?;
        let Some(endpoint) = endpoint else {
            return Ok(rpc::task_view(&task));
        };
        // Forwarded with the agent's own task id when it gave one.
        let mut forwarded = kept;
        if let Some(obj) = forwarded.as_object_mut() {
            match &task.upstream_task_id {
                Some(up) => obj.insert("taskId".into(), json!(up)),
                None => obj.remove("taskId"),
            };
        }
        match self.forward(&endpoint, &req.id, forwarded).await {
            Ok(up) => {
                task.state = up.state;
                if up.task_id.is_some() {
                    task.upstream_task_id = up.task_id;
                }
                for m in up.messages {
                    push_history(&mut task, m)?;
                }
                if !up.artifacts.is_empty() {
                    task.artifacts = Value::Array(up.artifacts);
                }
                task.updated_at = Utc::now();
                self.save_task(&task, false).await?;
                Ok(rpc::task_view(&task))
            }
            Err(why) => {
                task.state = "failed".into();
                task.updated_at = Utc::now();
                // Best effort: the error below is the answer whatever this does.
                let _ = self.save_task(&task, false).await;
                Err(RpcError {
                    code: code::INVALID_AGENT_RESPONSE,
                    message: format!(
                        "the message was allowed but the agent could not take it: {why}; task \
                         `{}` failed",
                        task.id
                    ),
                    data: Some(json!({"task_id": task.id, "state": "failed"})),
                })
            }
        }
    }

    /// `tasks/get`, `tasks/cancel`, `tasks/resubscribe`.
    async fn a2a_task_call(
        &self,
        caller: &Caller,
        method: Method,
        path_agent: Option<String>,
        session: Option<String>,
        req: &Request,
    ) -> Result<Value, RpcError> {
        let task_id = rpc::task_id_param(&req.params)?;
        let mut task = self.load_task(&caller.org_id, &task_id).await?;
        if path_agent.is_some_and(|a| a != task.target_agent_id) {
            return Err(task_not_found(&task_id));
        }
        let actor = Actor {
            agent_id: task.target_agent_id.clone(),
            session_id: task_session(&task, session)?,
        };
        self.a2a_decide(caller, method, &actor, json!({"task_id": task.id}))
            .await?;
        if method != Method::TasksCancel {
            return Ok(rpc::task_view(&task));
        }
        if rpc::is_terminal(&task.state) {
            return Err(not_cancelable(&task));
        }
        task.state = "canceled".into();
        task.updated_at = Utc::now();
        let t = task.clone();
        let changed = self
            .store()
            .run(move |tx| tx.update_a2a_task(&t))
            .await
            .map_err(|e| internal(e.into()))?;
        if !changed {
            // Another request ended it first.
            let now = self.load_task(&caller.org_id, &task_id).await?;
            return Err(not_cancelable(&now));
        }
        // The agent is told too, best effort: Airlock's state is the answer either way.
        if let Some(upstream) = &task.upstream_task_id {
            let (o, a) = (caller.org_id.clone(), task.target_agent_id.clone());
            let endpoint = self
                .store()
                .run(move |tx| tx.agent_card(&o, &a))
                .await
                .ok()
                .flatten()
                .and_then(|c| c.endpoint_url);
            if let Some(url) = endpoint {
                let params = json!({"id": upstream});
                if let Err(why) = self
                    .post_rpc(&url, &req.id, "tasks/cancel", params, CANCEL_TIMEOUT)
                    .await
                {
                    tracing::warn!(task = %task.id, error = %why, "a2a: the agent was not told of the cancel");
                }
            }
        }
        Ok(rpc::task_view(&task))
    }

    /// Decides the call with the check; a denial (or a refusal) is the JSON-RPC error.
    async fn a2a_decide(
        &self,
        caller: &Caller,
        method: Method,
        actor: &Actor,
        input: Value,
    ) -> Result<String, RpcError> {
        // An A2A answer carries no receipt: none is signed.
        let outcome = self
            .check_unreceipted(
                Principal::Caller(caller.clone()),
                CheckRequest {
                    agent_id: actor.agent_id.clone(),
                    session_id: actor.session_id.clone(),
                    action_name: method.action(),
                    input,
                    declared: None,
                    source: "a2a".into(),
                    refusal: None,
                    hook_tool: None,
                },
            )
            .await
            .map_err(|e| match e {
                ServiceError::Forbidden(reason) => RpcError {
                    code: code::DENIED,
                    message: format!("denied by Airlock: {reason}"),
                    data: Some(json!({"allowed": false, "reason": reason})),
                },
                ServiceError::Invalid(i) => RpcError::params(i.message),
                ServiceError::NotFound { .. } => RpcError::params(e.to_string()),
                other => internal(other),
            })?;
        let v = &outcome.verdict;
        if v.allowed {
            return Ok(outcome.session_id);
        }
        Err(RpcError {
            code: code::DENIED,
            message: format!("denied by Airlock: {}", v.reason),
            data: Some(json!({
                "allowed": false,
                "reason": v.reason,
                "reasons": outcome.reasons,
                "effect": v.effect,
                "rule": v.rule,
                "check_id": outcome.check_id,
                "session_id": outcome.session_id,
                "elevation_required": v.elevation_required,
                "approval_id": v.approval.as_ref().map(|a| a.id.clone()),
            })),
        })
    }

    async fn load_task(&self, org: &str, task_id: &str) -> Result<A2aTask, RpcError> {
        let (o, t) = (org.to_string(), task_id.to_string());
        self.store()
            .run(move |tx| tx.a2a_task(&o, &t))
            .await
            .map_err(|e| internal(e.into()))?
            .ok_or_else(|| task_not_found(task_id))
    }

    async fn save_task(&self, task: &A2aTask, new: bool) -> Result<(), RpcError> {
        let t = task.clone();
        let saved = self
            .store()
            .run(move |tx| {
                if new {
                    tx.insert_a2a_task(&t).map(|()| true)
                } else {
                    tx.update_a2a_task(&t)
                }
            })
            .await
            .map_err(|e| internal(e.into()))?;
        if saved {
            Ok(())
        } else {
            Err(RpcError::new(
                code::UNSUPPORTED_OPERATION,
                format!("task `{}` ended meanwhile", clip(&task.id, 80)),
            ))
        }
    }

    /// Sends an allowed message to the agent's own endpoint and reads its answer. Any failure
    /// (address refused, timeout, non-2xx, nonsense) is an error: the caller fails the task.
    async fn forward(
        &self,
        url: &str,
        id: &Value,
        message: Value,
    ) -> Result<rpc::Upstream, String> {
        let body = self
            .post_rpc(
                url,
                id,
                "message/send",
                json!({"message": message}),
                FORWARD_TIMEOUT,
            )
            .await?;
        rpc::read_upstream(&body)
    }

    /// One JSON-RPC request to an agent's endpoint through the outbound client (its address
    /// rules, no redirects, a bounded answer); the answer's body when it is a 2xx.
    async fn post_rpc(
        &self,
        url: &str,
        id: &Value,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Vec<u8>, String> {
        let Some(outbound) = self.outbound.as_ref() else {
            return Err("this server has no outbound HTTP client".into());
        };
        let body = json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params});
        let answer = outbound
            .post(&airlock_outbound::Post {
                url: url.to_string(),
                body: body.to_string().into_bytes(),
                headers: Vec::new(),
                timeout,
                secret: None,
            })
            .await
            .map_err(|e| e.to_string())?;
        if !answer.is_success() {
            return Err(format!("the agent answered HTTP {}", answer.status));
        }
        Ok(answer.body)
    }

    /// Generates (or regenerates) an agent's card and signs it; a published card stays
    /// published with the new content. Admin keys only.
    pub async fn generate_agent_card(
        &self,
        caller: &Caller,
        agent_id: &str,
        base_url: &str,
        input: CardInput,
    ) -> Result<Value, ServiceError> {
        caller.require_admin("generate agent cards")?;
        let input = check_card_input(input)?;
        let (org, id) = (caller.org_id.clone(), agent_id.to_string());
        let (agent, org_row) = self
            .store()
            .run(move |tx| Ok((tx.agent(&org, &id)?, tx.org(&org)?)))
            .await?;
        let agent = agent.ok_or_else(|| ServiceError::not_found("agent", agent_id))?;
        if agent.status == "revoked" {
            return Err(ServiceError::Conflict(format!(
                "agent `{}` is revoked: it gets no card",
                clip(agent_id, 80)
            )));
        }
        // The agent's own endpoint: the request's, else its registration's `a2a_url`.
        let endpoint = match input.endpoint_url.clone() {
            Some(u) => Some(u),
            None => match agent.metadata.get("a2a_url") {
                Some(Value::String(u)) => Some(check_url("metadata.a2a_url", u)?),
                _ => None,
            },
        };
        let input = CardInput {
            endpoint_url: endpoint.clone(),
            ..input
        };
        let org_name = org_row.map(|o| o.name).unwrap_or_default();
        let card = cards::build(&CardFacts {
            agent: &agent,
            org_name: &org_name,
            base_url,
            input: &input,
        });
        let key = self.audit.keys().current();
        let card = cards::sign(card, &key.signing, &key.id);
        let now = Utc::now();
        let row = AgentCard {
            org_id: caller.org_id.clone(),
            agent_id: agent.id.clone(),
            card: card.clone(),
            endpoint_url: endpoint,
            published: false,
            published_at: None,
            created_at: now,
            updated_at: now,
        };
        self.store().run(move |tx| tx.put_agent_card(&row)).await?;
        Ok(card)
    }

    /// An agent's card, published or not.
    pub async fn agent_card(&self, caller: &Caller, agent_id: &str) -> Result<Value, ServiceError> {
        let (org, id) = (caller.org_id.clone(), agent_id.to_string());
        self.store()
            .run(move |tx| tx.agent_card(&org, &id))
            .await?
            .map(|c| c.card)
            .ok_or_else(|| ServiceError::not_found("agent card", agent_id))
    }

    /// Publishes an agent's card at `/a2a/agents/{id}/agent.json`. Admin keys only.
    pub async fn publish_agent_card(
        &self,
        caller: &Caller,
        agent_id: &str,
    ) -> Result<Value, ServiceError> {
        caller.require_admin("publish agent cards")?;
        let (org, id) = (caller.org_id.clone(), agent_id.to_string());
        let card = self
            .store()
            .run(move |tx| {
                if tx.publish_agent_card(&org, &id, Utc::now())? {
                    tx.agent_card(&org, &id)
                } else {
                    Ok(None)
                }
            })
            .await?;
        card.map(|c| c.card)
            .ok_or_else(|| ServiceError::not_found("agent card", agent_id))
    }

    /// The published card of an active agent, for anyone: `None` for an unknown agent, an
    /// unpublished card, or an agent that is no longer active.
    pub async fn public_agent_card(&self, agent_id: &str) -> Result<Option<Value>, ServiceError> {
        if validate::id("agent_id", agent_id).is_err() {
            return Ok(None);
        }
        let id = agent_id.to_string();
        let found = self
            .store()
            .run(move |tx| match tx.published_agent_card(&id)? {
                None => Ok(None),
                Some(c) => Ok(tx.agent(&c.org_id, &c.agent_id)?.map(|a| (c, a))),
            })
            .await?;
        Ok(found
            .filter(|(_, agent)| agent.status == "active")
            .map(|(c, _)| c.card))
    }
}

fn internal(e: ServiceError) -> RpcError {
    RpcError::new(code::INTERNAL, e.to_string())
}

/// The session a call about an existing task is decided in: the task's own. A task stays in
/// the session it was opened in, so a caller cannot carry it out of a delegated session (whose
/// revocation must end it) into a wider one with `X-Session-ID`.
fn task_session(task: &A2aTask, given: Option<String>) -> Result<String, RpcError> {
    match given {
        Some(s) if !task.session_id.is_empty() && s != task.session_id => {
            Err(RpcError::params(format!(
                "task `{}` belongs to another session than `X-Session-ID` names; a task stays \
                 in the session it was opened in",
                clip(&task.id, 80)
            )))
        }
        Some(s) if task.session_id.is_empty() => Ok(s),
        _ => Ok(task.session_id.clone()),
    }
}

/// Whether `v` holds a number that is not an integer (see the skills check).
fn has_float(v: &Value) -> bool {
    match v {
        Value::Number(n) => !(n.is_i64() || n.is_u64()),
        Value::Array(a) => a.iter().any(has_float),
        Value::Object(o) => o.values().any(has_float),
        _ => false,
    }
}

fn task_not_found(id: &str) -> RpcError {
    RpcError::new(
        code::TASK_NOT_FOUND,
        format!("task not found: `{}`", clip(id, 80)),
    )
}

fn not_cancelable(t: &A2aTask) -> RpcError {
    RpcError {
        code: code::TASK_NOT_CANCELABLE,
        message: format!(
            "task `{}` is {}: a terminal state never changes",
            clip(&t.id, 80),
            t.state
        ),
        data: Some(json!({"task_id": t.id, "state": t.state})),
    }
}

fn push_history(task: &mut A2aTask, message: Value) -> Result<(), RpcError> {
    if !task.history.is_array() {
        task.history = json!([]);
    }
    let Some(list) = task.history.as_array_mut() else {
        return Err(RpcError::new(code::INTERNAL, "task history is not a list"));
    };
    if list.len() >= rpc::MAX_HISTORY {
        return Err(RpcError::params(format!(
            "task `{}` holds {} messages, the most it keeps",
            clip(&task.id, 80),
            rpc::MAX_HISTORY
        )));
    }
    list.push(message);
    Ok(())
}

/// An endpoint or link of a card: an absolute http(s) URL of bounded length.
fn check_url(field: &str, url: &str) -> Result<String, ServiceError> {
    let url = validate::text(field, url, validate::MAX_URL)?;
    let parsed = url::Url::parse(url)
        .map_err(|e| ServiceError::invalid(field, format!("`{field}` is not a URL: {e}")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(ServiceError::invalid(
            field,
            format!("`{field}` must be an http or https URL"),
        ));
    }
    Ok(url.to_string())
}

/// Bounds every field a card request may set.
fn check_card_input(input: CardInput) -> Result<CardInput, ServiceError> {
    let opt_text =
        |field: &str, v: Option<String>, max: usize| -> Result<Option<String>, ServiceError> {
            v.map(|s| validate::optional_text(field, &s, max).map(|s| s.to_string()))
                .transpose()
        };
    let skills = match input.skills {
        None => None,
        Some(list) => {
            if list.len() > cards::MAX_SKILLS {
                return Err(ServiceError::invalid(
                    "skills",
                    format!("`skills` has more than {} entries", cards::MAX_SKILLS),
                ));
            }
            for (i, s) in list.iter().enumerate() {
                let ok = s.as_object().is_some_and(|o| {
                    o.get("id")
                        .and_then(Value::as_str)
                        .is_some_and(|v| !v.is_empty())
                        && o.get("name").and_then(Value::as_str).is_some()
                }) && s.to_string().len() <= 4096;
                if !ok {
                    return Err(ServiceError::invalid(
                        "skills",
                        format!(
                            "`skills[{i}]` must be an object with a string `id` and `name`, at \
                             most 4 KiB"
                        ),
                    ));
                }
                // Canonical JSON (RFC 8785) writes `1.0` as `1`, serde_json as `1.0`: a
                // fraction-less float would make a verifier's bytes differ from the signed ones.
                if has_float(s) {
                    return Err(ServiceError::invalid(
                        "skills",
                        format!("`skills[{i}]` may hold whole numbers only"),
                    ));
                }
            }
            Some(list)
        }
    };
    Ok(CardInput {
        description: opt_text("description", input.description, 2048)?,
        version: opt_text("version", input.version, 64)?,
        endpoint_url: input
            .endpoint_url
            .map(|u| check_url("url", &u))
            .transpose()?,
        skills,
        documentation_url: input
            .documentation_url
            .map(|u| check_url("documentationUrl", &u))
            .transpose()?,
        icon_url: input
            .icon_url
            .map(|u| check_url("iconUrl", &u))
            .transpose()?,
    })
}
