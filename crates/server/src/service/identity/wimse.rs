//! Proof-of-possession challenges and WIMSE workload tokens: EdDSA JWTs naming the agent's
//! SPIFFE workload id, bound to its key by `cnf.jkt` (RFC 7800).

use chrono::{DateTime, Duration, Utc};
use ed25519_dalek::Signature;
use jsonwebtoken::{Algorithm, Header, Validation};
use serde::{Deserialize, Serialize};

use airlock_store::model::{Agent, PopChallenge};

use super::keys::{self, b64, unb64};
use super::{Security, Service};
use crate::auth::hash_secret;
use crate::service::{Caller, ServiceError, validate};

/// How long a challenge nonce may be used.
pub const CHALLENGE_TTL_SECS: i64 = 120;
/// How far a proof's `ts` may be from the server's clock.
pub const POP_SKEW_SECS: i64 = 300;
/// Lifetime of a WIMSE token when the request gives none, and the longest one.
pub const WIMSE_DEFAULT_TTL_SECS: u64 = 900;
pub const WIMSE_MAX_TTL_SECS: u64 = 3600;
/// The JOSE `typ` of Airlock's workload tokens (a DPoP proof, `dpop+jwt`, is never one).
const WIMSE_TYP: &str = "wit+jwt";

/// A challenge just issued.
#[derive(Debug, Clone)]
pub struct Challenge {
    pub nonce: String,
    pub agent_id: String,
    pub expires_at: DateTime<Utc>,
}

/// A proof of possession, as the SDKs send it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct PopProof {
    #[serde(default)]
    pub nonce: String,
    /// Unix seconds when it was signed.
    #[serde(default)]
    pub ts: i64,
    /// Ed25519 signature of `pop-v1:<nonce>:<agent id>:<audience>:<ts>`, base64url.
    #[serde(default)]
    pub signature: String,
}

/// A WIMSE token to issue, as asked.
#[derive(Debug, Clone, Default)]
pub struct WimseRequest {
    pub agent_id: String,
    pub service_name: Option<String>,
    pub environment: Option<String>,
    pub ttl_seconds: Option<u64>,
    pub audience: Vec<String>,
    pub proof: Option<PopProof>,
}

/// A token just issued.
#[derive(Debug, Clone)]
pub struct IssuedWimse {
    pub token: String,
    pub agent_id: String,
    pub workload_id: String,
    pub trust_domain: String,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The key thumbprint the token is bound to, if any.
    pub jkt: Option<String>,
}

/// What verifying a token found.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WimseVerification {
    pub valid: bool,
    pub agent_id: Option<String>,
    pub workload_id: Option<String>,
    pub trust_domain: Option<String>,
    pub capabilities: Vec<String>,
    pub reason: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub jkt: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Cnf {
    pub jkt: String,
}

/// The claims of a workload token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct WimseClaims {
    pub iss: String,
    pub sub: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aud: Vec<String>,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cnf: Option<Cnf>,
    pub agent_id: String,
    pub org_id: String,
    pub trust_domain: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub environment: Option<String>,
}

/// The issuer of tokens of a trust domain.
fn issuer(trust_domain: &str) -> String {
    format!("spiffe://{trust_domain}")
}

pub(crate) fn workload_id(trust_domain: &str, agent_id: &str) -> String {
    format!("spiffe://{trust_domain}/agent/{agent_id}")
}

/// The message a proof signs, byte for byte as the SDKs build it.
pub fn pop_message(nonce: &str, agent_id: &str, audience: &[String], ts: i64) -> String {
    format!("pop-v1:{nonce}:{agent_id}:{}:{ts}", audience.join(","))
}

/// Why issuing failed inside the transaction.
enum IssueError {
    Agent,
    Inactive(String),
    Refused(ServiceError),
}

impl Service {
    /// A single-use challenge for an active agent of the caller's organization.
    pub async fn pop_challenge(
        &self,
        caller: &Caller,
        agent_id: &str,
    ) -> Result<Challenge, ServiceError> {
        let agent_id = validate::id("agent_id", agent_id)?.to_string();
        let mut raw = [0u8; 32];
        rand::Rng::fill(&mut rand::rng(), &mut raw);
        let nonce = b64(&raw);
        let now = Utc::now();
        let row = PopChallenge {
            nonce_hash: hash_secret(&nonce),
            org_id: caller.org_id.clone(),
            agent_id: agent_id.clone(),
            expires_at: now + Duration::seconds(CHALLENGE_TTL_SECS),
        };
        let expires_at = row.expires_at;
        let status = self
            .store()
            .run(move |tx| {
                let Some(agent) = tx.agent(&row.org_id, &row.agent_id)? else {
                    return Ok(None);
                };
                if agent.status == "active" {
                    tx.prune_identity(now)?;
                    tx.insert_pop_challenge(&row)?;
                }
                Ok(Some(agent.status))
            })
            .await?;
        match status.as_deref() {
            None => Err(ServiceError::not_found("agent", &agent_id)),
            Some("active") => Ok(Challenge {
                nonce,
                agent_id,
                expires_at,
            }),
            Some(s) => Err(ServiceError::Forbidden(format!(
                "agent `{agent_id}` is {s}"
            ))),
        }
    }

    /// Issues a WIMSE token for an active agent of the caller's organization.
    pub async fn issue_wimse(
        &self,
        caller: &Caller,
        req: WimseRequest,
    ) -> Result<IssuedWimse, ServiceError> {
        let agent_id = validate::id("agent_id", &req.agent_id)?.to_string();
        let ttl = req.ttl_seconds.unwrap_or(WIMSE_DEFAULT_TTL_SECS);
        if !(1..=WIMSE_MAX_TTL_SECS).contains(&ttl) {
            return Err(ServiceError::invalid(
                "ttl_seconds",
                format!("`ttl_seconds` must be between 1 and {WIMSE_MAX_TTL_SECS}"),
            ));
        }
        if req.audience.len() > 16 {
            return Err(ServiceError::invalid(
                "audience",
                "`audience` has more than 16 entries",
            ));
        }
        for a in &req.audience {
            validate::text("audience", a, validate::MAX_URL)?;
        }
        for (field, v) in [
            ("service_name", &req.service_name),
            ("environment", &req.environment),
        ] {
            if let Some(v) = v {
                validate::optional_text(field, v, validate::MAX_NAME)?;
            }
        }
        if let Some(p) = &req.proof {
            validate::text("proof.nonce", &p.nonce, 256)?;
            validate::text("proof.signature", &p.signature, 256)?;
        }
        let now = Utc::now();
        let org = caller.org_id.clone();
        let (id, proof, audience) = (agent_id.clone(), req.proof.clone(), req.audience.clone());
        let result = self
            .store()
            .run(move |tx| {
                let Some(agent) = tx.agent(&org, &id)? else {
                    return Ok(Err(IssueError::Agent));
                };
                if agent.status != "active" {
                    return Ok(Err(IssueError::Inactive(agent.status)));
                }
                let security = Security::of(tx.security_settings(&org)?.as_ref());
                let jkt = match bind(&agent, proof.as_ref(), &audience, security, now) {
                    Ok(jkt) => jkt,
                    Err(e) => return Ok(Err(IssueError::Refused(e))),
                };
                // The nonce is used up only by a proof that verified.
                if let Some(p) = &proof
                    && !tx.take_pop_challenge(&org, &id, &hash_secret(&p.nonce), now)?
                {
                    return Ok(Err(IssueError::Refused(ServiceError::Unauthenticated(
                        "proof of possession: unknown, used or expired challenge nonce".into(),
                    ))));
                }
                Ok(Ok(jkt))
            })
            .await?;
        let jkt = match result {
            Ok(jkt) => jkt,
            Err(IssueError::Agent) => return Err(ServiceError::not_found("agent", &agent_id)),
            Err(IssueError::Inactive(s)) => {
                return Err(ServiceError::Forbidden(format!(
                    "agent `{agent_id}` is {s}"
                )));
            }
            Err(IssueError::Refused(e)) => return Err(e),
        };
        let identity = &self.config().identity;
        let td = identity.trust_domain.clone();
        let expires_at = now + Duration::seconds(i64::try_from(ttl).unwrap_or(900));
        let claims = WimseClaims {
            iss: issuer(&td),
            sub: workload_id(&td, &agent_id),
            aud: req.audience,
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: expires_at.timestamp(),
            jti: crate::auth::new_id("wit"),
            cnf: jkt.clone().map(|jkt| Cnf { jkt }),
            agent_id: agent_id.clone(),
            org_id: caller.org_id.clone(),
            trust_domain: td.clone(),
            service_name: req.service_name.filter(|s| !s.is_empty()),
            environment: req.environment.filter(|s| !s.is_empty()),
        };
        let mut header = Header::new(Algorithm::EdDSA);
        header.typ = Some(WIMSE_TYP.into());
        header.kid = Some(identity.wimse_key.kid().to_string());
        let token =
            jsonwebtoken::encode(&header, &claims, identity.wimse_key.encoding()).map_err(|e| {
                tracing::error!(error = %e, "cannot sign a wimse token");
                ServiceError::Unavailable
            })?;
        Ok(IssuedWimse {
            token,
            workload_id: claims.sub,
            agent_id,
            trust_domain: td,
            issued_at: now,
            expires_at: DateTime::from_timestamp(claims.exp, 0).unwrap_or(expires_at),
            jkt,
        })
    }

    /// Verifies a token for the caller's organization: signature, issuer, expiry, the agent
    /// still active and still holding the key the token is bound to.
    pub async fn verify_wimse(
        &self,
        caller: &Caller,
        token: &str,
        trust_domain_filter: Option<&str>,
    ) -> Result<WimseVerification, ServiceError> {
        let token = validate::text("token", token, 8 * 1024)?;
        let claims = match self.decode_wimse(token) {
            Ok(c) => c,
            Err(reason) => return Ok(invalid(reason)),
        };
        if let Some(filter) = trust_domain_filter.filter(|f| !f.is_empty())
            && filter != claims.trust_domain
        {
            return Ok(invalid("token is not of the requested trust domain".into()));
        }
        if claims.org_id != caller.org_id {
            return Ok(invalid("token not recognised".into()));
        }
        let (org, id) = (caller.org_id.clone(), claims.agent_id.clone());
        let agent = self.store().run(move |tx| tx.agent(&org, &id)).await?;
        let mut answer = WimseVerification {
            valid: false,
            agent_id: Some(claims.agent_id.clone()),
            workload_id: Some(claims.sub.clone()),
            trust_domain: Some(claims.trust_domain.clone()),
            capabilities: Vec::new(),
            reason: None,
            expires_at: DateTime::from_timestamp(claims.exp, 0),
            jkt: claims.cnf.as_ref().map(|c| c.jkt.clone()),
        };
        match agent_problem(agent.as_ref(), &claims) {
            Some(reason) => answer.reason = Some(reason),
            None => {
                answer.valid = true;
                answer.capabilities = agent.map(|a| a.capabilities).unwrap_or_default();
            }
        }
        Ok(answer)
    }

    /// The claims of a token this server signed, for its trust domain, not expired; else why not.
    pub(crate) fn decode_wimse(&self, token: &str) -> Result<WimseClaims, String> {
        let identity = &self.config().identity;
        let header = jsonwebtoken::decode_header(token).map_err(|_| "malformed token")?;
        if header.alg != Algorithm::EdDSA || header.typ.as_deref() != Some(WIMSE_TYP) {
            return Err("not a workload token of this server".into());
        }
        let mut v = Validation::new(Algorithm::EdDSA);
        v.leeway = 5;
        v.validate_nbf = true;
        v.validate_aud = false;
        v.set_issuer(&[issuer(&identity.trust_domain)]);
        v.set_required_spec_claims(&["exp", "iss", "sub", "nbf"]);
        let data = jsonwebtoken::decode::<WimseClaims>(token, identity.wimse_key.decoding(), &v)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => "token expired",
                jsonwebtoken::errors::ErrorKind::ImmatureSignature => "token not yet valid",
                jsonwebtoken::errors::ErrorKind::InvalidIssuer => "token of another issuer",
                _ => "token signature or claims invalid",
            })?;
        let claims = data.claims;
        if claims.trust_domain != identity.trust_domain
            || claims.sub != workload_id(&identity.trust_domain, &claims.agent_id)
        {
            return Err("token of another trust domain".into());
        }
        Ok(claims)
    }
}

fn invalid(reason: String) -> WimseVerification {
    WimseVerification {
        reason: Some(reason),
        ..WimseVerification::default()
    }
}

/// Why a token's agent no longer stands behind it: gone, not active, or its key rotated away
/// from the one the token is bound to.
pub(crate) fn agent_problem(agent: Option<&Agent>, claims: &WimseClaims) -> Option<String> {
    let Some(agent) = agent else {
        return Some("agent not found".into());
    };
    if agent.status != "active" {
        return Some(format!("agent is {}", agent.status));
    }
    if let Some(cnf) = &claims.cnf {
        let current = keys::pem_thumbprint(&agent.public_key);
        if current.as_deref() != Some(cnf.jkt.as_str()) {
            return Some("the agent's key changed since the token was issued".into());
        }
    }
    None
}

/// The key thumbprint a new token is bound to, after checking the proof if there is one and
/// the organization's settings: `Some` when the agent has a key.
fn bind(
    agent: &Agent,
    proof: Option<&PopProof>,
    audience: &[String],
    security: Security,
    now: DateTime<Utc>,
) -> Result<Option<String>, ServiceError> {
    let key = if agent.public_key.trim().is_empty() {
        None
    } else {
        keys::parse_public_key(&agent.public_key).ok()
    };
    let Some(proof) = proof else {
        if security.require_proof_of_possession {
            return Err(ServiceError::Unauthenticated(
                "this organization requires proof of possession: sign a challenge \
                 (POST /api/v1/agents/{id}/challenge) and send it as `proof`"
                    .into(),
            ));
        }
        if key.is_none() && security.require_sender_constrained_tokens {
            return Err(ServiceError::Forbidden(
                "this organization requires sender-constrained tokens: register the agent's \
                 public key first"
                    .into(),
            ));
        }
        return Ok(key.map(|k| keys::thumbprint(&k)));
    };
    let Some(key) = key else {
        return Err(ServiceError::Forbidden(
            "proof of possession: the agent has no registered Ed25519 public key".into(),
        ));
    };
    if (now.timestamp() - proof.ts).abs() > POP_SKEW_SECS {
        return Err(ServiceError::Unauthenticated(
            "proof of possession: `ts` is too far from the server's clock".into(),
        ));
    }
    let message = pop_message(&proof.nonce, &agent.id, audience, proof.ts);
    let signature = unb64(&proof.signature)
        .and_then(|b| Signature::from_slice(&b).ok())
        .ok_or_else(|| {
            ServiceError::Unauthenticated("proof of possession: malformed signature".into())
        })?;
    key.verify_strict(message.as_bytes(), &signature)
        .map_err(|_| {
            ServiceError::Unauthenticated(
                "proof of possession: the signature does not verify with the agent's key".into(),
            )
        })?;
    Ok(Some(keys::thumbprint(&key)))
}
