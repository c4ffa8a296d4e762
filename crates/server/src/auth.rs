//! API keys and agent tokens: generation, hashing, and resolving a key to its caller.

use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use airlock_store::model::{ApiKey, Org, SecuritySettings};
use airlock_store::{CheckReads, StoreError, Tx};

use crate::service::ServiceError;

/// The prefix of organization API keys.
pub const KEY_PREFIX: &str = "sk_live_";
/// The prefix of opaque agent tokens.
pub const TOKEN_PREFIX: &str = "at_";

/// A new random secret with a prefix: 32 random bytes, hex.
pub fn new_secret(prefix: &str) -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", hex::encode(bytes))
}

/// A new random id with a prefix. The 122 random bits come from the thread's ChaCha12
/// generator, seeded from the OS (uuid's `fast-rng`), as `new_secret`'s do: a check makes
/// two ids, and each was a `getrandom` system call before.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

/// Hex SHA-256 of a secret. Keys and tokens are 256-bit random values, so a fast hash is
/// enough to make a stolen database useless; it also serves as the lookup index.
pub fn hash_secret(secret: &str) -> String {
    airlock_core::chain::hex_lower(&Sha256::digest(secret.as_bytes()))
}

/// Compares two hashes in constant time.
pub fn same_hash(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// What an API key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyRole {
    /// Manages the organization (agents, servers, tool pins) and decides approvals.
    Admin,
    /// For the code an agent runs: asks for decisions, opens sessions, reports telemetry, but
    /// cannot approve its own requests or change what it is allowed to do.
    Agent,
}

impl KeyRole {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyRole::Admin => "admin",
            KeyRole::Agent => "agent",
        }
    }

    pub fn parse(s: &str) -> Option<KeyRole> {
        match s {
            "admin" => Some(KeyRole::Admin),
            "agent" => Some(KeyRole::Agent),
            _ => None,
        }
    }
}

/// The authenticated caller: an organization, through a key with a role.
#[derive(Debug, Clone)]
pub struct Caller {
    pub org_id: String,
    /// The id of the API key (who made a change, for the records that keep it).
    pub key_id: String,
    pub default_mode: String,
    pub role: KeyRole,
}

impl Caller {
    /// Refuses callers whose key is not an admin key.
    pub fn require_admin(&self, what: &str) -> Result<(), ServiceError> {
        match self.role {
            KeyRole::Admin => Ok(()),
            KeyRole::Agent => Err(ServiceError::Forbidden(format!(
                "an agent key cannot {what}: use an admin key"
            ))),
        }
    }
}

/// Resolves a key hash to its organization inside a transaction.
pub fn caller_in(tx: &mut dyn Tx, hash: &str) -> Result<Result<Caller, ServiceError>, StoreError> {
    Ok(caller_of_found(tx.key_and_org(hash)?, hash))
}

/// The caller of the key found by `hash` (with its organization), judged as [`caller_in`]
/// judges it: unknown, another hash, revoked, or without an organization authenticates nobody.
pub fn caller_of_found(
    found: Option<(ApiKey, Option<Org>)>,
    hash: &str,
) -> Result<Caller, ServiceError> {
    let Some((key, org)) = found else {
        return Err(invalid_key());
    };
    if let Some(e) = key_problem(&key, hash) {
        return Err(e);
    }
    caller_of(&key, org)
}

/// What a check reads with its key: the caller, the organization's security settings and the
/// check's reads in the caller's organization (none for a call without the proof of possession
/// its organization requires: the identity gate refuses it next).
pub type CallerReads = (Caller, Option<SecuritySettings>, Option<CheckReads>);

/// Like [`caller_in`], with the organization's security settings and the check's reads
/// ([`Tx::keyed_check_reads`]) read by the same statement (one round trip on PostgreSQL): the
/// check's path. Nothing is read or locked in any organization for an unknown or revoked key,
/// nor, unless the call is `proven`, in an organization that requires proof on checks.
pub fn caller_and_check_reads_in(
    tx: &mut dyn Tx,
    hash: &str,
    agent_id: &str,
    session_id: &str,
    action_name: &str,
    proven: bool,
) -> Result<Result<CallerReads, ServiceError>, StoreError> {
    let Some((key, reads)) =
        tx.keyed_check_reads(hash, agent_id, session_id, action_name, proven)?
    else {
        return Ok(Err(invalid_key()));
    };
    if let Some(e) = key_problem(&key.key, hash) {
        return Ok(Err(e));
    }
    // The store reads nothing for a revoked key, which `key_problem` refuses first: a proven
    // call's key without reads authenticates nobody all the same.
    if reads.is_none() && proven {
        return Ok(Err(invalid_key()));
    }
    Ok(caller_of(&key.key, key.org).map(|c| (c, key.security, reads)))
}

/// Why a key found by its hash authenticates nobody, if it does not.
fn key_problem(key: &ApiKey, hash: &str) -> Option<ServiceError> {
    if !same_hash(&key.hash, hash) {
        return Some(invalid_key());
    }
    if key.revoked_at.is_some() {
        return Some(ServiceError::Unauthenticated(
            "API key has been revoked".into(),
        ));
    }
    None
}

/// The caller of a valid key, in its organization (none: the key authenticates nobody).
fn caller_of(key: &ApiKey, org: Option<Org>) -> Result<Caller, ServiceError> {
    match org {
        // An unknown role reads as the narrower one.
        Some(org) => Ok(Caller {
            org_id: org.id,
            key_id: key.id.clone(),
            default_mode: org.default_mode,
            role: KeyRole::parse(&key.role).unwrap_or(KeyRole::Agent),
        }),
        None => Err(invalid_key()),
    }
}

/// The hash of an API key as presented, before it is looked up.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyHash(pub String);

impl KeyHash {
    /// Hashes the key a caller presented, refusing a missing, empty or oversize one.
    pub fn presented(key: Option<&str>) -> Result<KeyHash, ServiceError> {
        let key = key
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                ServiceError::Unauthenticated(
                    "missing API key: send it in the X-API-Key header".into(),
                )
            })?;
        if key.len() > 256 {
            return Err(invalid_key());
        }
        Ok(KeyHash(hash_secret(key)))
    }
}

fn invalid_key() -> ServiceError {
    ServiceError::Unauthenticated("invalid API key".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_random_and_hash_stably() {
        let a = new_secret(KEY_PREFIX);
        let b = new_secret(KEY_PREFIX);
        assert!(a.starts_with("sk_live_") && a.len() == 8 + 64);
        assert_ne!(a, b);
        assert_eq!(hash_secret(&a), hash_secret(&a));
        assert!(same_hash(&hash_secret(&a), &hash_secret(&a)));
        assert!(!same_hash(&hash_secret(&a), &hash_secret(&b)));
    }

    #[test]
    fn a_presented_key_must_be_there_and_bounded() {
        let missing = "missing API key: send it in the X-API-Key header";
        for absent in [None, Some(""), Some("   ")] {
            assert_eq!(
                KeyHash::presented(absent),
                Err(ServiceError::Unauthenticated(missing.into()))
            );
        }
        let long = format!("{KEY_PREFIX}{}", "a".repeat(250));
        assert_eq!(KeyHash::presented(Some(&long)), Err(invalid_key()));
        assert_eq!(
            KeyHash::presented(Some(" sk_live_x ")),
            Ok(KeyHash(hash_secret("sk_live_x")))
        );
    }
}
