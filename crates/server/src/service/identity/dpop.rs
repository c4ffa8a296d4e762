//! DPoP on the check (RFC 9449): a WIMSE token in `Authorization` and a proof in `DPoP`,
//! signed by the key the token is bound to. The signatures, claims and binding are checked
//! before the check's transaction ([`Service::prove_call`]); the agent's standing and the
//! proof id's single use inside it ([`gate`]), so a replay is refused by whichever replica
//! sees it second and a revoked agent's token stops at once.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, OctetKeyPairType};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use airlock_store::{StoreError, Tx};

use super::keys::{self, b64};
use super::wimse::{WimseClaims, agent_problem};
use super::{Security, Service};
use crate::service::{Caller, ServiceError};

/// How old a proof's `iat` may be, and how far ahead of the server's clock.
pub const PROOF_MAX_AGE_SECS: i64 = 60;
pub const PROOF_MAX_AHEAD_SECS: i64 = 5;
/// Used proof ids are pruned at most this often per process.
const PRUNE_EVERY_SECS: i64 = 30;
static LAST_PRUNE: AtomicI64 = AtomicI64::new(0);

/// A token and a proof as a request presented them.
#[derive(Debug, Clone)]
pub struct CallProof {
    pub token: String,
    pub proof: String,
}

/// A call whose token and proof verified; what is left to check needs the store.
#[derive(Debug, Clone)]
pub struct ProvenCall {
    pub(crate) claims: WimseClaims,
    pub(crate) jkt: String,
    pub(crate) jti: String,
    /// When the proof would be stale anyway: its id is kept until then.
    pub(crate) jti_until: DateTime<Utc>,
}

impl ProvenCall {
    /// The agent the token names.
    pub fn agent_id(&self) -> &str {
        &self.claims.agent_id
    }
}

#[derive(Deserialize)]
struct ProofClaims {
    htm: String,
    htu: String,
    iat: i64,
    jti: String,
    #[serde(default)]
    ath: Option<String>,
}

fn refused(why: impl Into<String>) -> ServiceError {
    ServiceError::Unauthenticated(why.into())
}

impl Service {
    /// Verifies a check's token and DPoP proof for a request `method` on `path`, without the
    /// store: the token (this server's signature, expiry, a `cnf.jkt`), the proof's signature
    /// with its own JWK, that JWK's thumbprint against `cnf.jkt`, `htm`, `htu`, `iat` and `ath`.
    pub fn prove_call(
        &self,
        call: &CallProof,
        method: &str,
        path: &str,
        now: DateTime<Utc>,
    ) -> Result<ProvenCall, ServiceError> {
        if call.token.len() > 8 * 1024 || call.proof.len() > 8 * 1024 {
            return Err(refused("WIMSE token or DPoP proof too long"));
        }
        let claims = self
            .decode_wimse(&call.token)
            .map_err(|why| refused(format!("WIMSE token: {why}")))?;
        let Some(cnf) = &claims.cnf else {
            return Err(refused(
                "WIMSE token is not bound to a key (no cnf.jkt): register the agent's public key",
            ));
        };
        let header = jsonwebtoken::decode_header(&call.proof)
            .map_err(|_| refused("DPoP proof: malformed"))?;
        if header.typ.as_deref() != Some("dpop+jwt") || header.alg != Algorithm::EdDSA {
            return Err(refused(
                "DPoP proof: `typ` must be dpop+jwt and `alg` EdDSA",
            ));
        }
        // Only an Ed25519 OKP key is read; its thumbprint is computed from its bytes.
        let key = match header.jwk.as_ref().map(|j| &j.algorithm) {
            Some(AlgorithmParameters::OctetKeyPair(p))
                if p.key_type == OctetKeyPairType::OctetKeyPair
                    && p.curve == EllipticCurve::Ed25519 =>
            {
                keys::key_from_x(&p.x)
            }
            _ => None,
        }
        .ok_or_else(|| refused("DPoP proof: `jwk` must be an Ed25519 OKP public key"))?;
        let jkt = keys::thumbprint(&key);
        if !crate::auth::same_hash(&jkt, &cnf.jkt) {
            return Err(refused(
                "DPoP proof: its key is not the key the token is bound to (cnf.jkt)",
            ));
        }
        let mut v = Validation::new(Algorithm::EdDSA);
        v.required_spec_claims.clear();
        v.validate_exp = false;
        v.validate_aud = false;
        let proof = jsonwebtoken::decode::<ProofClaims>(
            &call.proof,
            &DecodingKey::from_ed_der(key.as_bytes()),
            &v,
        )
        .map_err(|_| refused("DPoP proof: the signature or claims do not verify"))?
        .claims;
        if proof.htm != method {
            return Err(refused(format!("DPoP proof: `htm` is not {method}")));
        }
        let expected = self.expected_htu(path)?;
        if !same_target(&proof.htu, &expected) {
            return Err(refused(format!(
                "DPoP proof: `htu` is not {expected} (set --public-url to the address clients use)"
            )));
        }
        let age = now.timestamp() - proof.iat;
        if !(-PROOF_MAX_AHEAD_SECS..=PROOF_MAX_AGE_SECS).contains(&age) {
            return Err(refused("DPoP proof: `iat` is stale or in the future"));
        }
        let ath = b64(&Sha256::digest(call.token.as_bytes()));
        if proof.ath.as_deref() != Some(ath.as_str()) {
            return Err(refused(
                "DPoP proof: `ath` is not the hash of the token sent with it",
            ));
        }
        let jti_ok = !proof.jti.is_empty()
            && proof.jti.len() <= 256
            && proof.jti.chars().all(|c| c.is_ascii_graphic());
        if !jti_ok {
            return Err(refused(
                "DPoP proof: `jti` must be 1 to 256 printable characters",
            ));
        }
        Ok(ProvenCall {
            jti_until: DateTime::from_timestamp(proof.iat, 0).unwrap_or(now)
                + Duration::seconds(PROOF_MAX_AGE_SECS + PROOF_MAX_AHEAD_SECS),
            jti: proof.jti,
            jkt,
            claims,
        })
    }

    fn expected_htu(&self, path: &str) -> Result<String, ServiceError> {
        match &self.config().identity.base_url {
            Some(base) => Ok(format!("{}{path}", base.trim_end_matches('/'))),
            None => Err(refused(
                "DPoP proofs cannot be checked: this server has no --public-url",
            )),
        }
    }
}

/// Whether `htu` names the `expected` URL: same scheme, host, port and path; query and
/// fragment ignored (RFC 9449 §4.3).
fn same_target(htu: &str, expected: &str) -> bool {
    match (url::Url::parse(htu), url::Url::parse(expected)) {
        (Ok(a), Ok(b)) => {
            a.scheme() == b.scheme()
                && a.host_str() == b.host_str()
                && a.port_or_known_default() == b.port_or_known_default()
                && a.path() == b.path()
        }
        _ => false,
    }
}

/// The check's identity gate, inside its transaction: a proven call's agent must be the
/// caller's, active and still holding the token's key, and its proof id unused (recorded in
/// the first pass only: a second pass, after reviewers, is the same request). An unproven
/// call is refused when the organization requires proof (`settings_read`: the organization's
/// settings, when already read in this transaction).
pub fn gate(
    tx: &mut dyn Tx,
    caller: &Caller,
    proven: Option<&ProvenCall>,
    first_pass: bool,
    now: DateTime<Utc>,
    settings_read: Option<Security>,
) -> Result<Result<(), ServiceError>, StoreError> {
    let Some(p) = proven else {
        // Read with the caller's key when the check authenticated it in its transaction.
        let security = match settings_read {
            Some(s) => s,
            None => Security::of(tx.security_settings(&caller.org_id)?.as_ref()),
        };
        if security.proof_required_on_checks() {
            return Ok(Err(refused(
                "this organization requires proof of possession: send a WIMSE token \
                 (Authorization: Bearer) and a DPoP proof (DPoP header)",
            )));
        }
        return Ok(Ok(()));
    };
    if p.claims.org_id != caller.org_id {
        return Ok(Err(refused("WIMSE token: token not recognised")));
    }
    let agent = tx.agent(&caller.org_id, &p.claims.agent_id)?;
    if let Some(why) = agent_problem(agent.as_ref(), &p.claims) {
        return Ok(Err(refused(format!("WIMSE token: {why}"))));
    }
    if first_pass {
        let last = LAST_PRUNE.load(Ordering::Relaxed);
        let t = now.timestamp();
        if t - last >= PRUNE_EVERY_SECS
            && LAST_PRUNE
                .compare_exchange(last, t, Ordering::Relaxed, Ordering::Relaxed)
                .is_ok()
        {
            tx.prune_identity(now)?;
        }
        if !tx.use_dpop_jti(&p.jkt, &p.jti, p.jti_until)? {
            return Ok(Err(refused(
                "DPoP proof replayed: its `jti` was already used",
            )));
        }
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn htu_compares_origin_and_path_only() {
        let e = "http://127.0.0.1:8080/api/v1/agenttrust/check";
        assert!(same_target(e, e));
        assert!(same_target(
            "HTTP://127.0.0.1:8080/api/v1/agenttrust/check?x=1",
            e
        ));
        assert!(!same_target(
            "http://127.0.0.1:8081/api/v1/agenttrust/check",
            e
        ));
        assert!(!same_target(
            "https://127.0.0.1:8080/api/v1/agenttrust/check",
            e
        ));
        assert!(!same_target(
            "http://evil.example/api/v1/agenttrust/check",
            e
        ));
        assert!(!same_target(
            "http://127.0.0.1:8080/api/v1/actions/check",
            e
        ));
        assert!(!same_target("not a url", e));
    }
}
