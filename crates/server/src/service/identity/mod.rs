//! Who is asking, proven (docs/identity.md): proof-of-possession challenges, WIMSE workload
//! tokens bound to an agent's key (`cnf.jkt`), DPoP proofs on checks, and the organization's
//! security settings that make them mandatory.

mod api_sessions;
mod dpop;
mod federation;
pub mod keys;
mod wimse;

use chrono::{DateTime, Utc};

use airlock_store::model::SecuritySettings;

use super::{Caller, Service, ServiceError, validate};

pub use dpop::{CallProof, ProvenCall, gate};
pub use federation::{FEDERATION_SOURCE, Federated, NewProvider};
pub use keys::{KeyError, WimseKey, WimseKeyError};
pub use wimse::{Challenge, IssuedWimse, PopProof, WimseRequest, WimseVerification};

/// The trust domain when none is configured.
pub const DEFAULT_TRUST_DOMAIN: &str = "airlock.local";

/// The identity module's configuration.
#[derive(Debug, Clone)]
pub struct IdentityConfig {
    /// The SPIFFE trust domain of workload ids (`spiffe://<trust domain>/agent/<id>`).
    pub trust_domain: String,
    /// Signs WIMSE tokens; shared by every replica (a file outside the database).
    pub wimse_key: WimseKey,
    /// The origin clients call (`https://airlock.example.com`): DPoP `htu` is rebuilt from it.
    /// `None`: DPoP proofs are refused, as no `htu` can be checked.
    pub base_url: Option<String>,
}

impl Default for IdentityConfig {
    fn default() -> Self {
        IdentityConfig {
            trust_domain: DEFAULT_TRUST_DOMAIN.into(),
            wimse_key: WimseKey::generate(),
            base_url: None,
        }
    }
}

/// Checks a trust domain as SPIFFE defines it: lowercase letters, digits, `.`, `-`, `_`.
pub fn valid_trust_domain(td: &str) -> bool {
    !td.is_empty()
        && td.len() <= 255
        && td
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// An organization's security settings as the API shows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Security {
    /// Tokens are issued only against a proof of possession of the agent's key, and checks
    /// need a WIMSE token with a DPoP proof.
    pub require_proof_of_possession: bool,
    /// Checks need a WIMSE token with a DPoP proof, and only key-bound tokens are issued.
    pub require_sender_constrained_tokens: bool,
}

impl Security {
    pub fn of(row: Option<&SecuritySettings>) -> Security {
        row.map(|s| Security {
            require_proof_of_possession: s.require_proof_of_possession,
            require_sender_constrained_tokens: s.require_sender_constrained_tokens,
        })
        .unwrap_or_default()
    }

    /// Whether a check must carry a WIMSE token and a DPoP proof.
    pub fn proof_required_on_checks(self) -> bool {
        self.require_proof_of_possession || self.require_sender_constrained_tokens
    }
}

/// A change of the security settings; absent fields keep their value.
#[derive(Debug, Clone, Copy, Default)]
pub struct SecurityUpdate {
    pub require_proof_of_possession: Option<bool>,
    pub require_sender_constrained_tokens: Option<bool>,
}

/// When settings were last changed (`None`: never).
pub type SecurityAnswer = (Security, Option<DateTime<Utc>>);

impl Service {
    pub async fn security_settings(&self, caller: &Caller) -> Result<SecurityAnswer, ServiceError> {
        let org = caller.org_id.clone();
        let row = self
            .store()
            .run(move |tx| tx.security_settings(&org))
            .await?;
        Ok((Security::of(row.as_ref()), row.map(|r| r.updated_at)))
    }

    /// Changes the security settings (admin keys only).
    pub async fn put_security_settings(
        &self,
        caller: &Caller,
        update: SecurityUpdate,
    ) -> Result<SecurityAnswer, ServiceError> {
        caller.require_admin("change security settings")?;
        let org = caller.org_id.clone();
        let now = Utc::now();
        let row = self
            .store()
            .run(move |tx| {
                let old = Security::of(tx.security_settings(&org)?.as_ref());
                let row = SecuritySettings {
                    org_id: org.clone(),
                    require_proof_of_possession: update
                        .require_proof_of_possession
                        .unwrap_or(old.require_proof_of_possession),
                    require_sender_constrained_tokens: update
                        .require_sender_constrained_tokens
                        .unwrap_or(old.require_sender_constrained_tokens),
                    updated_at: now,
                };
                tx.put_security_settings(&row)?;
                Ok(row)
            })
            .await?;
        Ok((Security::of(Some(&row)), Some(row.updated_at)))
    }

    /// Replaces an agent's public key (admin keys only). Tokens bound to the old key stop
    /// working at once: verification compares `cnf.jkt` with the current key.
    pub async fn rotate_agent_key(
        &self,
        caller: &Caller,
        agent_id: &str,
        public_key: &str,
    ) -> Result<super::Agent, ServiceError> {
        caller.require_admin("rotate agent keys")?;
        let agent_id = validate::id("agent_id", agent_id)?.to_string();
        keys::parse_public_key(public_key)
            .map_err(|e| ServiceError::invalid("public_key", e.to_string()))?;
        let (org, id, key) = (
            caller.org_id.clone(),
            agent_id.clone(),
            public_key.trim().to_string(),
        );
        let agent = self
            .store()
            .run(move |tx| {
                if !tx.set_agent_public_key(&org, &id, &key)? {
                    return Ok(None);
                }
                tx.agent(&org, &id)
            })
            .await?;
        agent.ok_or_else(|| ServiceError::not_found("agent", &agent_id))
    }
}

/// Checks a public key given at registration: empty (none) or an Ed25519 PEM.
pub fn registration_key(public_key: &str) -> Result<String, ServiceError> {
    let key = public_key.trim();
    if key.is_empty() {
        return Ok(String::new());
    }
    keys::parse_public_key(key).map_err(|e| ServiceError::invalid("public_key", e.to_string()))?;
    Ok(key.to_string())
}
