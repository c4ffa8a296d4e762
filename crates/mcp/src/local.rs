//! The decision service in process, for the HTTP gateway that runs inside `airlock serve`.

use chrono::Utc;
use serde_json::Value;
use sha2::{Digest, Sha256};

use airlock_server::AppState;
use airlock_server::auth::Caller;
use airlock_server::check::{self, CheckRequest};
use airlock_server::error::ApiError;
use airlock_store::model::{Server, Session};

use crate::relay::{DecideError, Decider, Decision, ObservedTool};

/// The session the gateway uses when the client names none: one per (agent, server),
/// derived from both ids so that every replica finds the same one.
pub fn gateway_session_id(agent_id: &str, server_id: &str) -> String {
    let digest = Sha256::digest(format!("{server_id}\n{agent_id}").as_bytes());
    let hex: String = hex::encode(digest).chars().take(32).collect();
    format!("mcp_{hex}")
}

enum Resolve {
    Server,
    Agent,
    AgentInactive(String),
    OtherAgent,
    OtherServer(Option<String>),
}

/// Loads the server and the session of a gateway request. A named session must belong to
/// the agent and be bound to this server; a named session that does not exist yet, or the
/// default one, is created like `POST /mcp/sessions/init` does: ceiling = server ceiling ∩
/// agent capabilities, the server's default mode.
pub async fn resolve(
    state: &AppState,
    caller: &Caller,
    agent_id: &str,
    server_id: &str,
    session_id: Option<&str>,
) -> Result<(Server, Session), ApiError> {
    let org = caller.org_id.clone();
    let agent = agent_id.to_string();
    let server = server_id.to_string();
    let sid = session_id
        .map(str::to_string)
        .unwrap_or_else(|| gateway_session_id(agent_id, server_id));
    let found = state
        .store
        .run(move |tx| {
            let Some(srv) = tx.server(&org, &server)? else {
                return Ok(Err(Resolve::Server));
            };
            if let Some(s) = tx.session(&org, &sid)? {
                if s.agent_id != agent {
                    return Ok(Err(Resolve::OtherAgent));
                }
                if s.server_id.as_deref() != Some(srv.id.as_str()) {
                    return Ok(Err(Resolve::OtherServer(s.server_id)));
                }
                return Ok(Ok((srv, s)));
            }
            let Some(a) = tx.agent(&org, &agent)? else {
                return Ok(Err(Resolve::Agent));
            };
            if a.status != "active" {
                return Ok(Err(Resolve::AgentInactive(a.status)));
            }
            let now = Utc::now();
            let session = check::server_session(&org, &sid, &a, &srv, now);
            tx.insert_session(&session)?;
            Ok(Ok((srv, session)))
        })
        .await;
    match found {
        Ok(Ok(x)) => Ok(x),
        Ok(Err(Resolve::Server)) => Err(ApiError::not_found("server", server_id)),
        Ok(Err(Resolve::Agent)) => Err(ApiError::not_found("agent", agent_id)),
        Ok(Err(Resolve::AgentInactive(status))) => Err(ApiError::forbidden(format!(
            "agent `{agent_id}` is {status}"
        ))),
        Ok(Err(Resolve::OtherAgent)) => Err(ApiError::forbidden(
            "the session named in X-Session-ID belongs to another agent",
        )),
        Ok(Err(Resolve::OtherServer(bound))) => Err(ApiError::invalid(match bound {
            Some(other) => format!(
                "the session named in X-Session-ID is bound to server `{other}`, not `{server_id}`"
            ),
            None => format!(
                "the session named in X-Session-ID is not bound to an MCP server: open one for \
                 `{server_id}` with POST /mcp/sessions/init, or send no X-Session-ID"
            ),
        })),
        // Two first requests raced to create the default session: read the winner's.
        Err(_) if session_id.is_none() => {
            Box::pin(resolve(
                state,
                caller,
                agent_id,
                server_id,
                Some(&gateway_session_id(agent_id, server_id)),
            ))
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// The decider of one gateway request.
#[derive(Clone)]
pub struct LocalDecider {
    pub state: AppState,
    pub caller: Caller,
    pub agent_id: String,
    pub server_id: String,
    pub session_id: String,
}

fn decide_error(e: ApiError) -> DecideError {
    if e.status.is_server_error() {
        DecideError::Unreachable(e.message)
    } else {
        DecideError::Refused(e.message)
    }
}

impl Decider for LocalDecider {
    async fn check(&self, tool: &str, input: Value) -> Result<Decision, DecideError> {
        let outcome = check::check(
            &self.state,
            &self.caller,
            CheckRequest {
                agent_id: self.agent_id.clone(),
                session_id: self.session_id.clone(),
                action_name: tool.to_string(),
                input,
                declared: None,
                source: "mcp".into(),
            },
        )
        .await
        .map_err(decide_error)?;
        let v = outcome.verdict;
        Ok(Decision {
            allowed: v.allowed,
            reason: v.reason,
            approval_id: v.approval.map(|a| a.id),
            elevation_required: v.elevation_required,
            check_id: outcome.check_id,
            effect: v.effect.as_str().to_string(),
            session_id: outcome.session_id,
        })
    }

    async fn observe(&self, tools: &[Value]) -> Result<Vec<ObservedTool>, DecideError> {
        let observed = airlock_server::tools::observe(
            &self.state,
            &self.caller,
            &self.server_id,
            tools,
            Some(&self.session_id),
        )
        .await
        .map_err(decide_error)?;
        Ok(observed
            .into_iter()
            .map(|o| ObservedTool {
                name: o.name,
                status: o.status.to_string(),
                in_scope: o.in_scope,
            })
            .collect())
    }
}
