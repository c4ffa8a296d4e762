//! Agent tokens: short-lived, scoped credentials an agent presents to other services.

use chrono::Utc;

use airlock_core::scope;
pub use airlock_store::model::Token;

use super::{Caller, Service, ServiceError, validate};
use crate::auth::{TOKEN_PREFIX, hash_secret, new_id, new_secret, same_hash};

/// A token to issue, as asked.
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    pub agent_id: String,
    pub scopes: Vec<String>,
    /// Seconds; the configured default when absent.
    pub ttl_secs: Option<i64>,
    pub session_id: Option<String>,
}

/// A token just issued: the secret is shown once and only its hash is stored.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    pub secret: String,
    pub token: Token,
}

/// What introspection found.
#[derive(Debug, Clone)]
pub enum TokenStatus {
    Active(Token),
    /// Why the token is not active (unknown, revoked, expired, its agent inactive, a scope
    /// missing).
    Inactive(String),
}

enum IssueError {
    Agent,
    Inactive(String),
    Scope(String),
}

impl Service {
    /// Issues a token for an active agent; it never carries more than the agent may do.
    pub async fn issue_token(
        &self,
        caller: &Caller,
        req: TokenRequest,
    ) -> Result<IssuedToken, ServiceError> {
        let agent_id = validate::id("agent_id", &req.agent_id)?.to_string();
        let scopes = validate::capabilities("scopes", &req.scopes)?;
        let config = self.config();
        let ttl = req.ttl_secs.unwrap_or(config.token_default_ttl_secs);
        if ttl < 1 || ttl > config.token_max_ttl_secs {
            return Err(ServiceError::invalid(
                "ttl",
                format!(
                    "`ttl` must be between 1 and {} seconds",
                    config.token_max_ttl_secs
                ),
            ));
        }
        let session_id = req.session_id.filter(|s| !s.is_empty());
        if let Some(s) = &session_id {
            validate::id("session_id", s)?;
        }
        let secret = new_secret(TOKEN_PREFIX);
        let now = Utc::now();
        let token = Token {
            id: new_id("tok"),
            org_id: caller.org_id.clone(),
            agent_id: agent_id.clone(),
            hash: hash_secret(&secret),
            scopes,
            session_id,
            issued_at: now,
            expires_at: now + chrono::Duration::seconds(ttl),
            revoked_at: None,
            revoke_reason: None,
        };
        let stored = token.clone();
        let result = self
            .store()
            .run(move |tx| {
                let Some(agent) = tx.agent(&stored.org_id, &stored.agent_id)? else {
                    return Ok(Err(IssueError::Agent));
                };
                if agent.status != "active" {
                    return Ok(Err(IssueError::Inactive(agent.status)));
                }
                if let Some(s) = stored
                    .scopes
                    .iter()
                    .find(|s| scope::allowing(&agent.capabilities, s).is_none())
                {
                    return Ok(Err(IssueError::Scope(s.clone())));
                }
                tx.insert_token(&stored)?;
                Ok(Ok(()))
            })
            .await?;
        match result {
            Ok(()) => Ok(IssuedToken { secret, token }),
            Err(IssueError::Agent) => Err(ServiceError::not_found("agent", &agent_id)),
            Err(IssueError::Inactive(status)) => Err(ServiceError::Forbidden(format!(
                "agent `{agent_id}` is {status}"
            ))),
            Err(IssueError::Scope(s)) => Err(ServiceError::Forbidden(format!(
                "scope `{s}` is not among the agent's capabilities"
            ))),
        }
    }

    /// Whether a token is active for the caller's organization and carries `required`.
    pub async fn introspect_token(
        &self,
        caller: &Caller,
        token: &str,
        required: &[String],
    ) -> Result<TokenStatus, ServiceError> {
        let token = validate::text("token", token, 512)?;
        let required = validate::capabilities("required_scopes", required)?;
        let hash = hash_secret(token);
        let org = caller.org_id.clone();
        let lookup = hash.clone();
        let found = self
            .store()
            .run(move |tx| {
                let Some(t) = tx.token_by_hash(&lookup)? else {
                    return Ok(None);
                };
                if t.org_id != org {
                    return Ok(None);
                }
                let agent_status = tx.agent(&org, &t.agent_id)?.map(|a| a.status);
                Ok(Some((t, agent_status)))
            })
            .await?;
        let inactive = |why: &str| Ok(TokenStatus::Inactive(why.to_string()));
        let Some((t, agent_status)) = found.filter(|(t, _)| same_hash(&t.hash, &hash)) else {
            return inactive("token not recognised");
        };
        if t.revoked_at.is_some() {
            return inactive("token revoked");
        }
        if Utc::now() >= t.expires_at {
            return inactive("token expired");
        }
        if agent_status.as_deref() != Some("active") {
            return inactive("agent is not active");
        }
        if let Some(missing) = required
            .iter()
            .find(|r| scope::allowing(&t.scopes, r).is_none())
        {
            return inactive(&format!("token lacks required scope `{missing}`"));
        }
        Ok(TokenStatus::Active(t))
    }

    /// Revokes a token of the caller's organization; false if there was none to revoke.
    pub async fn revoke_token(
        &self,
        caller: &Caller,
        token: &str,
        reason: Option<&str>,
    ) -> Result<bool, ServiceError> {
        let token = validate::text("token", token, 512)?;
        let reason = reason.unwrap_or("manual_revocation");
        let reason = validate::optional_text("reason", reason, 1024)?.to_string();
        let org = caller.org_id.clone();
        let hash = hash_secret(token);
        Ok(self
            .store()
            .run(move |tx| tx.revoke_token(&org, &hash, &reason, Utc::now()))
            .await?)
    }
}
