//! Federation, as an OIDC consumer: an organization trusts external issuers (discovered from
//! `/.well-known/openid-configuration`), and an ID token one of them signed — issuer,
//! audience, expiry, not-before and signature checked against its JWKS — names an agent of
//! the organization (`agent_id` claim, else `sub`). Airlock serves no JWKS and issues no ID
//! tokens. Keys are cached per JWKS URL for five minutes and fetched again on an unknown `kid`.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde::Deserialize;
use serde_json::Value;

use airlock_store::model::{FederatedSession, FederationProvider, FederationRevocation, Session};

use super::Service;
use super::keys::{key_from_x, unb64};
use crate::auth::{hash_secret, new_id};
use crate::service::sessions::implicit_session;
use crate::service::{Caller, ServiceError, validate};

/// The source of federated sessions.
pub const FEDERATION_SOURCE: &str = "federation";
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);
const JWKS_TTL: Duration = Duration::from_secs(300);
/// An unknown `kid` fetches the keys again, at most this often per JWKS URL.
const REFETCH_AFTER: Duration = Duration::from_secs(2);
const LEEWAY_SECS: u64 = 30;
const MAX_TOKEN: usize = 16 * 1024;

/// A provider to register, as asked.
#[derive(Debug, Clone, Default)]
pub struct NewProvider {
    pub issuer: String,
    pub name: String,
    pub trust_level: Option<String>,
    /// The `aud` its tokens must carry; default: this server's trust domain.
    pub audience: Option<String>,
}

/// What checking a federated token found. `provider` is set once the issuer is known.
#[derive(Debug, Clone, Default)]
pub struct Federated {
    pub active: bool,
    pub agent_id: Option<String>,
    pub subject: Option<String>,
    pub issuer: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
    pub error: Option<String>,
    pub provider: Option<FederationProvider>,
}

#[derive(Deserialize)]
struct Discovery {
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    jwks_uri: String,
    #[serde(default)]
    authorization_endpoint: Option<String>,
    #[serde(default)]
    token_endpoint: Option<String>,
}

#[derive(Deserialize)]
struct IdClaims {
    sub: String,
    exp: i64,
    #[serde(default)]
    agent_id: Option<String>,
}

struct CachedKeys {
    keys: Vec<Jwk>,
    fetched: Instant,
}

/// Keys per JWKS URL, shared by the process.
static JWKS: LazyLock<Mutex<HashMap<String, CachedKeys>>> = LazyLock::new(Default::default);

fn cached(uri: &str) -> Option<(Vec<Jwk>, Instant)> {
    let cache = JWKS.lock().unwrap_or_else(|e| e.into_inner());
    cache.get(uri).map(|c| (c.keys.clone(), c.fetched))
}

fn trim_issuer(s: &str) -> &str {
    s.trim().trim_end_matches('/')
}

/// The algorithms a federated token may use: asymmetric only (no `none`, no HMAC, so a
/// public key can never be used as a shared secret).
fn allowed(alg: Algorithm) -> bool {
    use Algorithm::*;
    matches!(
        alg,
        RS256 | RS384 | RS512 | PS256 | PS384 | PS512 | ES256 | ES384 | EdDSA
    )
}

/// Whether `jwk` is a signing key of the family and curve `alg` needs, and may be read
/// without surprises (an Ed25519 `x` of the right size).
fn fits(jwk: &Jwk, alg: Algorithm) -> bool {
    use Algorithm::*;
    if let Some(u) = &jwk.common.public_key_use
        && *u != PublicKeyUse::Signature
    {
        return false;
    }
    if let Some(ka) = &jwk.common.key_algorithm
        && format!("{ka:?}") != format!("{alg:?}")
    {
        return false;
    }
    match (&jwk.algorithm, alg) {
        (AlgorithmParameters::RSA(_), RS256 | RS384 | RS512 | PS256 | PS384 | PS512) => true,
        (AlgorithmParameters::EllipticCurve(p), ES256) => p.curve == EllipticCurve::P256,
        (AlgorithmParameters::EllipticCurve(p), ES384) => p.curve == EllipticCurve::P384,
        (AlgorithmParameters::OctetKeyPair(p), EdDSA) => {
            p.curve == EllipticCurve::Ed25519 && key_from_x(&p.x).is_some()
        }
        _ => false,
    }
}

impl Service {
    async fn fetch_json(&self, url: &str) -> Result<Value, String> {
        let outbound = self.outbound.as_ref().ok_or("no outbound HTTP client")?;
        let answer = outbound
            .get(url, FETCH_TIMEOUT)
            .await
            .map_err(|e| e.to_string())?;
        if !answer.is_success() {
            return Err(format!("{url} answered HTTP {}", answer.status));
        }
        serde_json::from_slice(&answer.body).map_err(|_| format!("{url} did not answer JSON"))
    }

    /// Fetches a JWKS and caches it; keys this build cannot read are skipped.
    async fn fetch_keys(&self, uri: &str) -> Result<Vec<Jwk>, String> {
        let doc = self.fetch_json(uri).await?;
        let keys: Vec<Jwk> = doc
            .get("keys")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("{uri} is not a JWKS"))?
            .iter()
            .filter_map(|k| serde_json::from_value(k.clone()).ok())
            .collect();
        let mut cache = JWKS.lock().unwrap_or_else(|e| e.into_inner());
        cache.insert(
            uri.to_string(),
            CachedKeys {
                keys: keys.clone(),
                fetched: Instant::now(),
            },
        );
        Ok(keys)
    }

    /// The key of `kid` (or the only fitting key when the token names none), from the cache,
    /// fetched again when stale or when the `kid` is unknown.
    async fn signing_key(
        &self,
        uri: &str,
        kid: Option<&str>,
        alg: Algorithm,
    ) -> Result<Jwk, String> {
        let pick = |keys: &[Jwk]| -> Option<Jwk> {
            let fitting: Vec<&Jwk> = keys.iter().filter(|k| fits(k, alg)).collect();
            match kid {
                Some(kid) => fitting
                    .into_iter()
                    .find(|k| k.common.key_id.as_deref() == Some(kid))
                    .cloned(),
                None if fitting.len() == 1 => fitting.first().map(|k| (*k).clone()),
                None => None,
            }
        };
        let fresh = match cached(uri) {
            Some((keys, at)) if at.elapsed() < JWKS_TTL => {
                if let Some(k) = pick(&keys) {
                    return Ok(k);
                }
                // Unknown kid: the issuer may have rotated its keys.
                if at.elapsed() < REFETCH_AFTER {
                    return Err("no key of the issuer's JWKS fits the token (kid, alg)".into());
                }
                self.fetch_keys(uri).await?
            }
            _ => self.fetch_keys(uri).await?,
        };
        pick(&fresh).ok_or_else(|| "no key of the issuer's JWKS fits the token (kid, alg)".into())
    }

    /// Registers a trusted issuer (admin keys): its discovery document must name the same
    /// issuer and a JWKS that answers.
    pub async fn register_provider(
        &self,
        caller: &Caller,
        new: NewProvider,
    ) -> Result<FederationProvider, ServiceError> {
        caller.require_admin("register federation providers")?;
        let issuer = trim_issuer(validate::text("issuer", &new.issuer, validate::MAX_URL)?);
        airlock_outbound::parse_url(issuer)
            .map_err(|e| ServiceError::invalid("issuer", format!("`issuer`: {e}")))?;
        let name = validate::text("name", &new.name, validate::MAX_NAME)?.to_string();
        let trust_level = new.trust_level.unwrap_or_else(|| "standard".into());
        let trust_level = validate::text("trust_level", &trust_level, 64)?.to_string();
        let audience = match new.audience.filter(|a| !a.trim().is_empty()) {
            Some(a) => validate::text("audience", &a, validate::MAX_URL)?.to_string(),
            None => self.config().identity.trust_domain.clone(),
        };
        let discovery_url = format!("{issuer}/.well-known/openid-configuration");
        let failed = |why: String| {
            ServiceError::invalid("issuer", format!("issuer discovery failed: {why}"))
        };
        let doc: Discovery =
            serde_json::from_value(self.fetch_json(&discovery_url).await.map_err(failed)?)
                .map_err(|_| failed("malformed discovery document".into()))?;
        if trim_issuer(&doc.issuer) != issuer {
            return Err(failed(format!(
                "the document names the issuer `{}`",
                crate::service::clip(&doc.issuer, 200)
            )));
        }
        airlock_outbound::parse_url(&doc.jwks_uri).map_err(|e| failed(format!("jwks_uri: {e}")))?;
        self.fetch_keys(&doc.jwks_uri).await.map_err(failed)?;
        let now = Utc::now();
        let provider = FederationProvider {
            id: new_id("fedp"),
            org_id: caller.org_id.clone(),
            issuer: issuer.to_string(),
            name,
            audience,
            jwks_uri: doc.jwks_uri,
            authorization_endpoint: doc.authorization_endpoint.unwrap_or_default(),
            token_endpoint: doc.token_endpoint.unwrap_or_default(),
            trust_level,
            status: "active".into(),
            created_at: now,
            updated_at: now,
        };
        let row = provider.clone();
        let inserted = self
            .store()
            .run(move |tx| {
                let exists = tx
                    .federation_providers(&row.org_id)?
                    .iter()
                    .any(|p| p.issuer == row.issuer);
                if !exists {
                    tx.insert_federation_provider(&row)?;
                }
                Ok(!exists)
            })
            .await?;
        if !inserted {
            return Err(ServiceError::Conflict(format!(
                "issuer `{issuer}` is already registered"
            )));
        }
        Ok(provider)
    }

    pub async fn federation_providers(
        &self,
        caller: &Caller,
    ) -> Result<Vec<FederationProvider>, ServiceError> {
        let org = caller.org_id.clone();
        Ok(self
            .store()
            .run(move |tx| tx.federation_providers(&org))
            .await?)
    }

    pub async fn delete_provider(&self, caller: &Caller, id: &str) -> Result<(), ServiceError> {
        caller.require_admin("delete federation providers")?;
        let (org, key) = (caller.org_id.clone(), validate::id("id", id)?.to_string());
        let deleted = self
            .store()
            .run(move |tx| tx.delete_federation_provider(&org, &key))
            .await?;
        if deleted {
            Ok(())
        } else {
            Err(ServiceError::not_found("federation provider", id))
        }
    }

    /// Checks a federated ID token for the caller's organization. An invalid token is an
    /// answer (`active: false` and why), not an error.
    pub async fn introspect_federated(
        &self,
        caller: &Caller,
        token: &str,
        issuer_hint: Option<&str>,
    ) -> Result<Federated, ServiceError> {
        let token = validate::text("token", token, MAX_TOKEN)?.trim();
        let mut out = Federated::default();
        // What `POST /api/v1/federation/tokens/issue` hands out: an agent token.
        if token.starts_with(crate::auth::TOKEN_PREFIX) {
            match self.introspect_token(caller, token, &[]).await? {
                crate::service::TokenStatus::Active(t) => {
                    out.active = true;
                    out.agent_id = Some(t.agent_id);
                    out.expires_at = Some(t.expires_at);
                }
                crate::service::TokenStatus::Inactive(why) => out.error = Some(why),
            }
            return Ok(out);
        }
        let header = match jsonwebtoken::decode_header(token) {
            Ok(h) => h,
            Err(_) => {
                out.error = Some("malformed token, or an algorithm that is refused (none)".into());
                return Ok(out);
            }
        };
        if !allowed(header.alg) {
            out.error = Some(format!(
                "algorithm {:?} is refused: federated tokens must be signed with an asymmetric key",
                header.alg
            ));
            return Ok(out);
        }
        // The issuer, read before the signature only to choose the provider whose keys
        // then decide.
        let issuer = token
            .split('.')
            .nth(1)
            .and_then(unb64)
            .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
            .and_then(|c| c.get("iss").and_then(Value::as_str).map(str::to_string));
        let Some(issuer) = issuer else {
            out.error = Some("the token has no `iss`".into());
            return Ok(out);
        };
        if let Some(hint) = issuer_hint.filter(|h| !h.trim().is_empty())
            && trim_issuer(hint) != trim_issuer(&issuer)
        {
            out.error = Some("the token's issuer is not `issuer_hint`".into());
            return Ok(out);
        }
        let (org, hash) = (caller.org_id.clone(), hash_secret(token));
        let (providers, revoked) = self
            .store()
            .run(move |tx| {
                Ok((
                    tx.federation_providers(&org)?,
                    tx.federation_token_revoked(&org, &hash)?,
                ))
            })
            .await?;
        let Some(provider) = providers
            .into_iter()
            .find(|p| p.status == "active" && p.issuer == trim_issuer(&issuer))
        else {
            out.error = Some("the token's issuer is not a provider of this organization".into());
            return Ok(out);
        };
        out.issuer = Some(provider.issuer.clone());
        out.provider = Some(provider.clone());
        if revoked {
            out.error = Some("token revoked".into());
            return Ok(out);
        }
        let jwk = match self
            .signing_key(&provider.jwks_uri, header.kid.as_deref(), header.alg)
            .await
        {
            Ok(k) => k,
            Err(why) => {
                out.error = Some(why);
                return Ok(out);
            }
        };
        let Ok(key) = DecodingKey::from_jwk(&jwk) else {
            out.error = Some("the issuer's key cannot be read".into());
            return Ok(out);
        };
        let mut v = Validation::new(header.alg);
        v.leeway = LEEWAY_SECS;
        v.validate_nbf = true;
        // The issuer as its tokens spell it (with or without a final slash).
        v.set_issuer(&[issuer.as_str()]);
        v.set_audience(&[provider.audience.as_str()]);
        v.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        let claims = match jsonwebtoken::decode::<IdClaims>(token, &key, &v) {
            Ok(d) => d.claims,
            Err(e) => {
                use jsonwebtoken::errors::ErrorKind as K;
                out.error = Some(
                    match e.kind() {
                        K::ExpiredSignature => "token expired",
                        K::ImmatureSignature => "token not yet valid (nbf)",
                        K::InvalidAudience => "token not for this audience",
                        K::InvalidIssuer => "token of another issuer",
                        K::InvalidSignature => "signature does not verify",
                        _ => "token signature or claims invalid",
                    }
                    .into(),
                );
                return Ok(out);
            }
        };
        let agent_id = claims.agent_id.clone().unwrap_or(claims.sub.clone());
        out.subject = Some(claims.sub);
        out.expires_at = DateTime::from_timestamp(claims.exp, 0);
        out.agent_id = Some(agent_id.clone());
        let org = caller.org_id.clone();
        let agent = self
            .store()
            .run(move |tx| tx.agent(&org, &agent_id))
            .await?;
        match agent {
            Some(a) if a.status == "active" => out.active = true,
            Some(a) => out.error = Some(format!("agent is {}", a.status)),
            None => out.error = Some("the token names no agent of this organization".into()),
        }
        Ok(out)
    }

    /// Opens a session (`source: federation`) for the agent a valid federated token names,
    /// with the agent's capabilities as ceiling.
    pub async fn open_federated_session(
        &self,
        caller: &Caller,
        token: &str,
        issuer_hint: Option<&str>,
    ) -> Result<(Session, FederationProvider), ServiceError> {
        let found = self
            .introspect_federated(caller, token, issuer_hint)
            .await?;
        let (Some(agent_id), Some(provider), true) = (found.agent_id, found.provider, found.active)
        else {
            return Err(ServiceError::Unauthenticated(format!(
                "federated token refused: {}",
                found.error.as_deref().unwrap_or("invalid")
            )));
        };
        let (org, mode, id) = (
            caller.org_id.clone(),
            caller.default_mode.clone(),
            new_id("sess"),
        );
        let link = FederatedSession {
            org_id: caller.org_id.clone(),
            session_id: id.clone(),
            provider_id: provider.id.clone(),
            issuer: provider.issuer.clone(),
            trust_level: provider.trust_level.clone(),
        };
        let now = Utc::now();
        let session = self
            .store()
            .run(move |tx| {
                let Some(agent) = tx.agent(&org, &agent_id)?.filter(|a| a.status == "active")
                else {
                    return Ok(None);
                };
                let s = implicit_session(
                    &org,
                    &id,
                    &agent.id,
                    Some(&agent.capabilities),
                    &mode,
                    FEDERATION_SOURCE,
                    now,
                );
                tx.insert_session(&s)?;
                tx.insert_federated_session(&link)?;
                Ok(Some(s))
            })
            .await?
            .ok_or_else(|| {
                ServiceError::Unauthenticated("federated token refused: agent is not active".into())
            })?;
        Ok((session, provider))
    }

    /// The provider that vouched for a federated session, if it is one.
    pub async fn federated_origin(
        &self,
        caller: &Caller,
        session: &Session,
    ) -> Result<Option<FederatedSession>, ServiceError> {
        if session.source != FEDERATION_SOURCE {
            return Ok(None);
        }
        let (org, id) = (caller.org_id.clone(), session.id.clone());
        Ok(self
            .store()
            .run(move |tx| tx.federated_session(&org, &id))
            .await?)
    }

    /// Revokes a valid federated token until it expires; false if it was not one.
    pub async fn revoke_federated(
        &self,
        caller: &Caller,
        token: &str,
    ) -> Result<bool, ServiceError> {
        if token.trim().starts_with(crate::auth::TOKEN_PREFIX) {
            return self
                .revoke_token(caller, token.trim(), Some("federation_revocation"))
                .await;
        }
        let found = self.introspect_federated(caller, token, None).await?;
        let (Some(expires_at), Some(_)) = (found.expires_at, found.provider) else {
            return Ok(false);
        };
        let row = FederationRevocation {
            token_hash: hash_secret(token.trim()),
            org_id: caller.org_id.clone(),
            expires_at,
            revoked_at: Utc::now(),
        };
        self.store()
            .run(move |tx| tx.revoke_federation_token(&row))
            .await?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_asymmetric_algorithms_and_fitting_keys() {
        assert!(!allowed(Algorithm::HS256) && !allowed(Algorithm::HS512));
        assert!(allowed(Algorithm::RS256) && allowed(Algorithm::EdDSA));
        let rsa: Jwk = serde_json::from_value(serde_json::json!(
            {"kty": "RSA", "n": "sXch", "e": "AQAB", "kid": "r", "use": "sig"}))
        .unwrap();
        assert!(fits(&rsa, Algorithm::RS256));
        assert!(
            !fits(&rsa, Algorithm::ES256),
            "an RSA key never verifies ES256"
        );
        let enc: Jwk = serde_json::from_value(serde_json::json!(
            {"kty": "RSA", "n": "sXch", "e": "AQAB", "use": "enc"}))
        .unwrap();
        assert!(!fits(&enc, Algorithm::RS256));
        let pinned: Jwk = serde_json::from_value(serde_json::json!(
            {"kty": "RSA", "n": "sXch", "e": "AQAB", "alg": "RS512"}))
        .unwrap();
        assert!(!fits(&pinned, Algorithm::RS256));
        // A short Ed25519 key would make the verifier index out of bounds: never used.
        let short: Jwk = serde_json::from_value(serde_json::json!(
            {"kty": "OKP", "crv": "Ed25519", "x": "AAAA"}))
        .unwrap();
        assert!(!fits(&short, Algorithm::EdDSA));
    }
}
