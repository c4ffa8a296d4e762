//! Agent cards in the A2A 1.0 format, signed as A2A specifies: a JWS with a detached payload
//! (RFC 7515 appendix F) over the card without its `signatures` member, canonicalised as
//! JSON with sorted keys and no whitespace (RFC 8785 for the values a card holds: strings,
//! integers, booleans). The key is the server's current audit key (Ed25519, `EdDSA`), whose
//! public half `GET /api/v1/audit/public-key` already serves, found by the header's `kid`.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::DecodePublicKey;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde_json::{Value, json};

use airlock_core::chain::canonical_json;
use airlock_store::model::Agent;

/// The AgentTrust trust extension the SDKs read (`ati_trust_score`, `ati_agent_key`).
pub const TRUST_EXTENSION_URI: &str = "https://agenttrust.id/ext/trust/v1";
/// The A2A protocol version the gateway speaks.
pub const PROTOCOL_VERSION: &str = "1.0";
/// Most skills a card lists.
pub const MAX_SKILLS: usize = 64;

/// What a card says besides what the agent's registration says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CardInput {
    pub description: Option<String>,
    pub version: Option<String>,
    /// The agent's own A2A endpoint; `None`: the card names the gateway and tasks stay in
    /// Airlock's store.
    pub endpoint_url: Option<String>,
    /// Explicit skills (`{id, name, description, tags[]}`); `None`: one per capability.
    pub skills: Option<Vec<Value>>,
    pub documentation_url: Option<String>,
    pub icon_url: Option<String>,
}

/// Where the card's facts come from.
pub struct CardFacts<'a> {
    pub agent: &'a Agent,
    pub org_name: &'a str,
    /// This server's origin as callers reach it (`https://airlock.example`).
    pub base_url: &'a str,
    pub input: &'a CardInput,
}

/// The trust score a card advertises (0–100, an integer so that every JSON canonicaliser
/// writes it the same): an active agent starts at 70, and one whose registered Ed25519 key can
/// prove possession at 90; any other status scores 0.
pub fn trust_score(agent: &Agent) -> u64 {
    match (agent.status.as_str(), agent_jwk(agent).is_some()) {
        ("active", true) => 90,
        ("active", false) => 70,
        _ => 0,
    }
}

/// The agent's registered public key as an Ed25519 OKP JWK, if it has a valid one.
pub fn agent_jwk(agent: &Agent) -> Option<Value> {
    let key = VerifyingKey::from_public_key_pem(agent.public_key.trim()).ok()?;
    Some(json!({"kty": "OKP", "crv": "Ed25519", "x": URL_SAFE_NO_PAD.encode(key.as_bytes())}))
}

/// The card of an agent, unsigned.
pub fn build(f: &CardFacts<'_>) -> Value {
    let agent = f.agent;
    let gateway = format!("{}/a2a/agents/{}", f.base_url, agent.id);
    let url = f.input.endpoint_url.clone().unwrap_or(gateway);
    let mut params = json!({
        "ati_trust_score": trust_score(agent),
        "ati_agent_id": agent.id,
        "ati_agent_status": agent.status,
        "ati_capabilities": agent.capabilities,
    });
    if let (Some(jwk), Some(p)) = (agent_jwk(agent), params.as_object_mut()) {
        p.insert("ati_agent_key".into(), jwk);
    }
    let skills = f.input.skills.clone().unwrap_or_else(|| {
        agent
            .capabilities
            .iter()
            .take(MAX_SKILLS)
            .map(|c| {
                json!({
                    "id": c,
                    "name": c,
                    "description": format!("may be asked for `{c}`, as Airlock allows"),
                    "tags": [c],
                })
            })
            .collect()
    });
    let mut card = json!({
        "name": agent.name,
        "description": f.input.description.clone().unwrap_or_else(|| format!(
            "Agent `{}` ({}), authorized by Airlock", agent.name, agent.framework
        )),
        "version": f.input.version.clone().unwrap_or_else(|| "1.0.0".into()),
        "supportedInterfaces": [{
            "url": url,
            "protocolBinding": "JSONRPC",
            "protocolVersion": PROTOCOL_VERSION,
            "tenant": agent.org_id,
        }],
        "provider": {"organization": f.org_name, "url": f.base_url},
        "capabilities": {
            "streaming": false,
            "pushNotifications": false,
            "extensions": [{
                "uri": TRUST_EXTENSION_URI,
                "description": "AgentTrust trust posture, as Airlock knows the agent",
                "required": false,
                "params": params,
            }],
        },
        "securitySchemes": {
            "apiKey": {"type": "apiKey", "in": "header", "name": "X-API-Key"},
        },
        "securityRequirements": [{"apiKey": []}],
        "defaultInputModes": ["text/plain", "application/json"],
        "defaultOutputModes": ["text/plain", "application/json"],
        "skills": skills,
    });
    if let Some(obj) = card.as_object_mut() {
        if let Some(u) = &f.input.documentation_url {
            obj.insert("documentationUrl".into(), json!(u));
        }
        if let Some(u) = &f.input.icon_url {
            obj.insert("iconUrl".into(), json!(u));
        }
    }
    card
}

/// The bytes a card's signature covers: the card without `signatures`, canonical JSON.
pub fn signed_payload(card: &Value) -> Vec<u8> {
    let mut unsigned = card.clone();
    if let Some(obj) = unsigned.as_object_mut() {
        obj.remove("signatures");
    }
    canonical_json(&unsigned).into_bytes()
}

/// Signs a card with `key` (known to verifiers as `kid`), replacing any signatures it had.
pub fn sign(mut card: Value, key: &SigningKey, kid: &str) -> Value {
    let header = json!({"alg": "EdDSA", "typ": "JOSE", "kid": kid});
    let protected = URL_SAFE_NO_PAD.encode(canonical_json(&header));
    let payload = URL_SAFE_NO_PAD.encode(signed_payload(&card));
    let signature = key.sign(format!("{protected}.{payload}").as_bytes());
    if let Some(obj) = card.as_object_mut() {
        obj.insert(
            "signatures".into(),
            json!([{
                "protected": protected,
                "signature": URL_SAFE_NO_PAD.encode(signature.to_bytes()),
                "header": {"kid": kid},
            }]),
        );
    }
    card
}

/// Why a card's signature does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CardSignatureError {
    #[error("the card has no signature")]
    Unsigned,
    #[error("the signature's protected header is malformed")]
    MalformedHeader,
    #[error("the signature is not EdDSA")]
    WrongAlgorithm,
    #[error("no public key with id `{0}`")]
    UnknownKey(String),
    #[error("the signature does not match the card")]
    Mismatch,
}

/// Verifies a card's first signature against the key `find` returns for its `kid`.
pub fn verify(
    card: &Value,
    find: impl Fn(&str) -> Option<VerifyingKey>,
) -> Result<(), CardSignatureError> {
    let sig = card
        .get("signatures")
        .and_then(Value::as_array)
        .and_then(|s| s.first())
        .ok_or(CardSignatureError::Unsigned)?;
    let protected = sig
        .get("protected")
        .and_then(Value::as_str)
        .ok_or(CardSignatureError::MalformedHeader)?;
    let header: Value = URL_SAFE_NO_PAD
        .decode(protected)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or(CardSignatureError::MalformedHeader)?;
    if header.get("alg").and_then(Value::as_str) != Some("EdDSA") {
        return Err(CardSignatureError::WrongAlgorithm);
    }
    let kid = header
        .get("kid")
        .and_then(Value::as_str)
        .ok_or(CardSignatureError::MalformedHeader)?;
    let key = find(kid).ok_or_else(|| CardSignatureError::UnknownKey(kid.to_string()))?;
    let bytes = sig
        .get("signature")
        .and_then(Value::as_str)
        .and_then(|s| URL_SAFE_NO_PAD.decode(s).ok())
        .ok_or(CardSignatureError::Mismatch)?;
    let signature = Signature::from_slice(&bytes).map_err(|_| CardSignatureError::Mismatch)?;
    let payload = URL_SAFE_NO_PAD.encode(signed_payload(card));
    key.verify(format!("{protected}.{payload}").as_bytes(), &signature)
        .map_err(|_| CardSignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn agent(public_key: &str) -> Agent {
        Agent {
            id: "agt_1".into(),
            org_id: "org_1".into(),
            name: "worker".into(),
            framework: "custom".into(),
            public_key: public_key.into(),
            status: "active".into(),
            capabilities: vec!["a2a.*".into(), "db.query.read".into()],
            metadata: json!({}),
            created_at: Utc::now(),
            revoked_at: None,
            revoke_reason: None,
        }
    }

    fn card() -> Value {
        let a = agent("");
        build(&CardFacts {
            agent: &a,
            org_name: "acme",
            base_url: "https://airlock.example",
            input: &CardInput::default(),
        })
    }

    #[test]
    fn a_signed_card_verifies_and_a_changed_one_does_not() {
        let key = SigningKey::from_bytes(&[9; 32]);
        let public = key.verifying_key();
        let signed = sign(card(), &key, "k1");
        let find = |kid: &str| (kid == "k1").then_some(public);
        assert_eq!(verify(&signed, find), Ok(()));
        // Any change of the card breaks it, and so does another key.
        let mut tampered = signed.clone();
        tampered["capabilities"]["extensions"][0]["params"]["ati_trust_score"] = json!(100);
        assert_eq!(verify(&tampered, find), Err(CardSignatureError::Mismatch));
        let other = SigningKey::from_bytes(&[8; 32]).verifying_key();
        assert_eq!(
            verify(&signed, |_| Some(other)),
            Err(CardSignatureError::Mismatch)
        );
        assert_eq!(
            verify(&signed, |_| None),
            Err(CardSignatureError::UnknownKey("k1".into()))
        );
        assert_eq!(verify(&card(), find), Err(CardSignatureError::Unsigned));
    }

    #[test]
    fn the_card_names_the_gateway_and_the_trust_extension() {
        let c = card();
        assert_eq!(
            c["supportedInterfaces"][0]["url"],
            "https://airlock.example/a2a/agents/agt_1"
        );
        assert_eq!(c["supportedInterfaces"][0]["protocolBinding"], "JSONRPC");
        let ext = &c["capabilities"]["extensions"][0];
        assert_eq!(ext["uri"], TRUST_EXTENSION_URI);
        assert_eq!(ext["params"]["ati_trust_score"], 70);
        assert!(ext["params"].get("ati_agent_key").is_none());
        assert_eq!(c["skills"].as_array().map(Vec::len), Some(2));
    }

    #[test]
    fn a_registered_key_is_an_okp_jwk() {
        use ed25519_dalek::pkcs8::EncodePublicKey;
        use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
        let key = SigningKey::from_bytes(&[3; 32]).verifying_key();
        let pem = key.to_public_key_pem(LineEnding::LF).unwrap();
        let a = agent(&pem);
        let jwk = agent_jwk(&a).unwrap();
        assert_eq!(jwk["kty"], "OKP");
        assert_eq!(jwk["crv"], "Ed25519");
        assert_eq!(jwk["x"], URL_SAFE_NO_PAD.encode(key.as_bytes()));
        assert_eq!(trust_score(&a), 90);
        let mut revoked = a.clone();
        revoked.status = "revoked".into();
        assert_eq!(trust_score(&revoked), 0);
    }
}
