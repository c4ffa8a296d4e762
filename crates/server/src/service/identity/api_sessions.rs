//! API-token sessions: an agent's opaque `at_` token, or its WIMSE token, bridged into a
//! session (`source: "api"`) whose ceiling is fixed at creation: the token's scopes that the
//! agent's capabilities still allow (a WIMSE token carries no scopes: the capabilities).

use chrono::Utc;

use airlock_core::scope;
use airlock_store::model::Session;

use super::Service;
use super::wimse::agent_problem;
use crate::auth::{TOKEN_PREFIX, hash_secret, new_id, same_hash};
use crate::service::sessions::implicit_session;
use crate::service::{Caller, ServiceError, validate};

/// The source of such sessions.
pub const API_SOURCE: &str = "api";

/// What a presented token turned out to be.
enum Presented {
    /// An opaque token, by the hash of its secret.
    Opaque(String),
    /// A WIMSE token's agent (its signature and claims verified).
    Wimse(Box<super::wimse::WimseClaims>),
}

fn refused(why: &str) -> ServiceError {
    ServiceError::Unauthenticated(format!("token refused: {why}"))
}

impl Service {
    /// Opens a session from an agent token of the caller's organization.
    pub async fn open_api_session(
        &self,
        caller: &Caller,
        token: &str,
    ) -> Result<Session, ServiceError> {
        let token = validate::text("token", token, 8 * 1024)?.trim();
        let presented = if token.starts_with(TOKEN_PREFIX) {
            Presented::Opaque(hash_secret(token))
        } else if token.split('.').count() == 3 {
            let claims = self.decode_wimse(token).map_err(|why| refused(&why))?;
            if claims.org_id != caller.org_id {
                return Err(refused("token not recognised"));
            }
            Presented::Wimse(Box::new(claims))
        } else {
            return Err(refused(
                "not an agent token (`at_…`) nor a WIMSE token of this server",
            ));
        };
        let now = Utc::now();
        let (org, mode) = (caller.org_id.clone(), caller.default_mode.clone());
        let id = new_id("sess");
        self.store()
            .run(move |tx| {
                let (agent_id, scopes) = match &presented {
                    Presented::Opaque(hash) => {
                        let Some(t) = tx.token_by_hash(hash)? else {
                            return Ok(Err(refused("token not recognised")));
                        };
                        if t.org_id != org || !same_hash(&t.hash, hash) {
                            return Ok(Err(refused("token not recognised")));
                        }
                        if t.revoked_at.is_some() {
                            return Ok(Err(refused("token revoked")));
                        }
                        if now >= t.expires_at {
                            return Ok(Err(refused("token expired")));
                        }
                        (t.agent_id, Some(t.scopes))
                    }
                    Presented::Wimse(claims) => {
                        let agent = tx.agent(&org, &claims.agent_id)?;
                        if let Some(why) = agent_problem(agent.as_ref(), claims) {
                            return Ok(Err(refused(&why)));
                        }
                        (claims.agent_id.clone(), None)
                    }
                };
                let Some(agent) = tx.agent(&org, &agent_id)? else {
                    return Ok(Err(refused("agent not found")));
                };
                if agent.status != "active" {
                    return Ok(Err(ServiceError::Forbidden(format!(
                        "agent `{agent_id}` is {}",
                        agent.status
                    ))));
                }
                let ceiling: Vec<String> = match scopes {
                    Some(scopes) => scopes
                        .into_iter()
                        .filter(|s| scope::allowing(&agent.capabilities, s).is_some())
                        .collect(),
                    None => agent.capabilities.clone(),
                };
                let session =
                    implicit_session(&org, &id, &agent_id, Some(&ceiling), &mode, API_SOURCE, now);
                tx.insert_session(&session)?;
                Ok(Ok(session))
            })
            .await?
    }
}
