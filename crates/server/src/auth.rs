//! API keys and agent tokens: generation, hashing, and the request extractor that turns an
//! `X-API-Key` (or `Authorization: Bearer sk_live_…`) into the caller's organization.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::AppState;
use crate::error::ApiError;

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

/// A new random id with a prefix.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::new_v4().simple())
}

/// Hex SHA-256 of a secret. Keys and tokens are 256-bit random values, so a fast hash is
/// enough to make a stolen database useless; it also serves as the lookup index.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
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
    pub default_mode: String,
    pub role: KeyRole,
}

impl Caller {
    /// Refuses callers whose key is not an admin key.
    pub fn require_admin(&self, what: &str) -> Result<(), ApiError> {
        match self.role {
            KeyRole::Admin => Ok(()),
            KeyRole::Agent => Err(ApiError::forbidden(format!(
                "an agent key cannot {what}: use an admin key"
            ))),
        }
    }
}

fn presented_key(parts: &Parts) -> Option<&str> {
    if let Some(v) = parts.headers.get("x-api-key") {
        return v.to_str().ok().map(str::trim);
    }
    let auth = parts
        .headers
        .get(axum::http::header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, value) = auth.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| value.trim())
        .filter(|v| v.starts_with(KEY_PREFIX))
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let key = presented_key(parts)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized("missing API key: send it in the X-API-Key header")
            })?;
        if key.len() > 256 {
            return Err(ApiError::unauthorized("invalid API key"));
        }
        let hash = hash_secret(key);
        state.auth.caller(&state.store, &hash).await
    }
}

/// Resolves a key hash to its organization inside a transaction.
pub fn caller_in(
    tx: &mut dyn airlock_store::Tx,
    hash: &str,
) -> Result<Result<Caller, ApiError>, airlock_store::StoreError> {
    let Some(key) = tx.api_key_by_hash(hash)? else {
        return Ok(Err(ApiError::unauthorized("invalid API key")));
    };
    if !same_hash(&key.hash, hash) {
        return Ok(Err(ApiError::unauthorized("invalid API key")));
    }
    if key.revoked_at.is_some() {
        return Ok(Err(ApiError::unauthorized("API key has been revoked")));
    }
    Ok(match tx.org(&key.org_id)? {
        // An unknown role reads as the narrower one.
        Some(org) => Ok(Caller {
            org_id: org.id,
            default_mode: org.default_mode,
            role: KeyRole::parse(&key.role).unwrap_or(KeyRole::Agent),
        }),
        None => Err(ApiError::unauthorized("invalid API key")),
    })
}

/// The hash of the API key a request presents, without looking it up.
#[derive(Debug, Clone)]
pub struct KeyHash(pub String);

impl<S: Send + Sync> FromRequestParts<S> for KeyHash {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let key = presented_key(parts)
            .filter(|k| !k.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized("missing API key: send it in the X-API-Key header")
            })?;
        if key.len() > 256 {
            return Err(ApiError::unauthorized("invalid API key"));
        }
        Ok(KeyHash(hash_secret(key)))
    }
}

/// Looks up API keys. Every lookup reads the store, so a revoked key is refused on the very
/// next request.
#[derive(Debug, Default)]
pub struct Authenticator;

impl Authenticator {
    pub async fn caller(
        &self,
        store: &airlock_store::Store,
        hash: &str,
    ) -> Result<Caller, ApiError> {
        let lookup = hash.to_string();
        store.run(move |tx| caller_in(tx, &lookup)).await?
    }
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
}
