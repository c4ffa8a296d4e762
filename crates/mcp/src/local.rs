//! The decision service in process, for the HTTP gateway that runs inside `airlock serve`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use serde_json::Value;

use airlock_server::Service;
use airlock_server::service::mcp_methods::is_allowed_custom;
use airlock_server::service::{
    Caller, CheckOutcome, CheckRequest, Effect, KeyHash, Principal, ServiceError,
};

use crate::relay::{DecideError, Decider, Decision, Declared, ObservedTool};

/// The decider of one gateway request: the service, the authenticated caller, and the agent's
/// session on the server.
#[derive(Clone)]
pub struct LocalDecider {
    pub service: Service,
    pub caller: Caller,
    /// The hash of the key `caller` was authenticated with. Each decision authenticates it
    /// again in its own transaction, as the HTTP check (and so the stdio wrapper) does: a key
    /// revoked after the request arrived, while a call waits for its approval, decides nothing.
    pub key: KeyHash,
    pub agent_id: String,
    pub server_id: String,
    pub session_id: String,
    /// The custom methods the server's registration allows (exact names).
    pub allowed_methods: Vec<String>,
    /// How long a `tools/call` that needs an approval is held waiting for it (the server
    /// registration's `approval_wait_secs`).
    pub approval_wait: Duration,
    /// Where people reach this server (`--public-url`, else the address the client used):
    /// approval links point into its console.
    pub link_base: Option<String>,
    /// The decision of the request's `tools/call`, made in the store round trip that opened
    /// the session ([`LocalDecider::with_decision`]); taken by the first check.
    pub decided: Arc<Mutex<Option<Decided>>>,
}

/// A decision made before the relay asked for it, and the call it decided.
pub struct Decided {
    action: String,
    input: Value,
    decision: Result<Decision, DecideError>,
}

/// The check a gateway decider asks.
pub fn check_request(
    agent_id: &str,
    session_id: &str,
    action: &str,
    input: Value,
    declared: Option<Effect>,
    refusal: Option<&str>,
) -> CheckRequest {
    CheckRequest {
        agent_id: agent_id.to_string(),
        session_id: session_id.to_string(),
        action_name: action.to_string(),
        input,
        declared,
        source: "mcp".into(),
        refusal: refusal.map(String::from),
        hook_tool: None,
    }
}

/// The relay's view of a check's outcome.
pub fn decision(outcome: Result<CheckOutcome<()>, ServiceError>) -> Result<Decision, DecideError> {
    let outcome = outcome.map_err(decide_error)?;
    let v = outcome.verdict;
    Ok(Decision {
        allowed: v.allowed,
        reason: v.reason,
        approval_id: v.approval.map(|a| a.id),
        elevation_required: v.elevation_required,
        check_id: outcome.check_id,
        effect: v.effect.as_str().to_string(),
        session_id: outcome.session_id,
        // The rule's wire name, as the HTTP API answers it.
        rule: serde_json::to_value(v.rule)
            .ok()
            .and_then(|r| r.as_str().map(String::from))
            .unwrap_or_default(),
    })
}

/// The service failing is "cannot be reached"; anything else is a refusal of the request.
fn decide_error(e: ServiceError) -> DecideError {
    if e.is_unavailable() {
        DecideError::Unreachable(e.to_string())
    } else {
        DecideError::Refused(e.to_string())
    }
}

impl LocalDecider {
    /// Gives the first check of `action` with exactly `input` (undeclared, not a refusal) the
    /// decision already made for it. Only the first check may take it: any other first check
    /// discards it and is decided as usual.
    pub fn with_decision(
        self,
        action: String,
        input: Value,
        decision: Result<Decision, DecideError>,
    ) -> Self {
        match self.decided.lock() {
            Ok(mut slot) => {
                *slot = Some(Decided {
                    action,
                    input,
                    decision,
                });
            }
            // Unreachable in practice (nothing panics holding it); the call is decided again.
            Err(_) => tracing::error!(action, "a decision made ahead was dropped: poisoned lock"),
        }
        self
    }

    /// The decision made for this check, if it was made before and is this check's.
    fn made(
        &self,
        action: &str,
        input: &Value,
        declared: Option<Effect>,
        refusal: Option<&str>,
    ) -> Option<Result<Decision, DecideError>> {
        let made = self.decided.lock().ok()?.take()?;
        if declared.is_none() && refusal.is_none() && made.action == action && made.input == *input
        {
            return Some(made.decision);
        }
        tracing::warn!(
            action,
            "a decision made ahead was not for this check: deciding it again"
        );
        None
    }

    async fn ask(
        &self,
        action: &str,
        input: Value,
        declared: Option<Effect>,
        refusal: Option<&str>,
    ) -> Result<Decision, DecideError> {
        if let Some(made) = self.made(action, &input, declared, refusal) {
            return made;
        }
        let req = check_request(
            &self.agent_id,
            &self.session_id,
            action,
            input,
            declared,
            refusal,
        );
        // The gateway answers with the tool's result, not a check answer: no receipt.
        decision(
            self.service
                .check_unreceipted(Principal::KeyHash(self.key.clone()), req)
                .await,
        )
    }
}

impl Decider for LocalDecider {
    async fn check(
        &self,
        action: &str,
        input: Value,
        declared: Option<Declared>,
    ) -> Result<Decision, DecideError> {
        let declared = declared.map(|d| match d {
            Declared::Mutating => Effect::Mutating,
            Declared::Admin => Effect::Admin,
        });
        self.ask(action, input, declared, None).await
    }

    async fn refuse(
        &self,
        action: &str,
        input: Value,
        reason: &str,
    ) -> Result<Decision, DecideError> {
        self.ask(action, input, None, Some(reason)).await
    }

    async fn allows_method(&self, method: &str) -> Result<bool, DecideError> {
        Ok(is_allowed_custom(method, &self.allowed_methods))
    }

    fn approval_wait(&self) -> Duration {
        self.approval_wait
    }

    fn approval_link(&self, id: &str) -> Option<String> {
        self.link_base
            .as_deref()
            .map(|base| format!("{}/console/approvals/{id}", base.trim_end_matches('/')))
    }

    fn session_hint(&self) -> Option<String> {
        Some(self.session_id.clone())
    }

    async fn approval_status(&self, id: &str) -> Result<String, DecideError> {
        // The key as it is now, in the same read: a key revoked while its call is held ends
        // the wait at the next poll.
        let a = self
            .service
            .approval_for_key(self.key.clone(), id)
            .await
            .map_err(decide_error)?;
        // Only an approval of this session counts.
        if a.session_id != self.session_id {
            return Err(DecideError::Refused(format!(
                "approval `{id}` is not of this session"
            )));
        }
        Ok(a.status_at(Utc::now()).to_string())
    }

    async fn observe(&self, tools: &[Value]) -> Result<Vec<ObservedTool>, DecideError> {
        // The key as it is now, in the transaction that records the tools: a revoked key's
        // tool list is refused.
        let observed = self
            .service
            .observe_tools_for_key(
                self.key.clone(),
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
