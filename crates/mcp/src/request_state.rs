//! The `requestState` of Airlock's 2026-07-28 input-required round trip (SEP-2322).
//!
//! A call that needs an approval is answered with an `InputRequiredResult` asking the person
//! to open the approval's link; the client retries the call with this state echoed back. The
//! state is attacker-controlled on its way back, so it is sealed: an HMAC-SHA256 with a key
//! that never leaves this process binds the approval id, the session, a digest of the exact
//! call (tool name and checked input), an expiry and a nonce. A state that fails any of these
//! is refused, and a state is accepted once. The state never allows anything by itself: it
//! only says which approval to look at; the call runs only if a check allows it.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The prefix of Airlock's states (other states belong to the upstream server).
pub const PREFIX: &str = "airlock1.";
/// The key of Airlock's input request in `inputRequests` / `inputResponses`.
pub const INPUT_KEY: &str = "airlock_approval";
/// How long a state stays valid.
pub const TTL_SECS: i64 = 15 * 60;
/// The most unexpired used nonces remembered; past it the oldest half is forgotten by
/// expiry order (a forgotten nonce is also past most of its life).
const MAX_USED: usize = 100_000;

/// What a sealed state says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    pub approval_id: String,
    pub session_id: String,
    pub digest: String,
    pub expires: i64,
    pub nonce: String,
}

/// Why a state was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StateError {
    #[error("the request state is not one Airlock issued")]
    Malformed,
    #[error("the request state failed verification")]
    Forged,
    #[error("the request state has expired")]
    Expired,
    #[error("the request state belongs to another call")]
    OtherCall,
    #[error("the request state belongs to another session")]
    OtherSession,
    #[error("the request state was already used")]
    Used,
}

fn key() -> &'static [u8; 32] {
    static KEY: OnceLock<[u8; 32]> = OnceLock::new();
    KEY.get_or_init(rand::random)
}

/// Keys sorted at every level, so that the digest does not depend on how a client orders
/// the arguments it retries with.
fn canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            let mut out = serde_json::Map::new();
            for k in keys {
                if let Some(inner) = m.get(k) {
                    out.insert(k.clone(), canonical(inner));
                }
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(items.iter().map(canonical).collect()),
        other => other.clone(),
    }
}

/// The digest of a call: its tool name and checked input.
pub fn digest(tool: &str, input: &Value) -> String {
    let body = json!([tool, canonical(input)]).to_string();
    hex::encode(Sha256::digest(body.as_bytes()))
}

/// A sealed state for approval `approval_id` of the call `tool` with `input` in `session_id`.
pub fn seal(approval_id: &str, session_id: &str, tool: &str, input: &Value, now: i64) -> String {
    let claims = json!({
        "a": approval_id,
        "s": session_id,
        "d": digest(tool, input),
        "e": now + TTL_SECS,
        "n": crate::hold::random_hex(16),
    });
    let body = hex::encode(claims.to_string());
    let sig = airlock_outbound::sign(key(), body.as_bytes());
    format!("{PREFIX}{body}.{}", sig.trim_start_matches("sha256="))
}

/// Opens a state presented with the call `tool` with `input`: the seal, the expiry and the
/// call must match. The session is compared by the caller, which knows it.
pub fn open(state: &str, tool: &str, input: &Value, now: i64) -> Result<Claims, StateError> {
    let rest = state.strip_prefix(PREFIX).ok_or(StateError::Malformed)?;
    let (body, sig) = rest.split_once('.').ok_or(StateError::Malformed)?;
    if !airlock_outbound::verify(key(), body.as_bytes(), &format!("sha256={sig}")) {
        return Err(StateError::Forged);
    }
    let raw = hex::decode(body).map_err(|_| StateError::Malformed)?;
    let v: Value = serde_json::from_slice(&raw).map_err(|_| StateError::Malformed)?;
    let text = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .map(String::from)
            .ok_or(StateError::Malformed)
    };
    let claims = Claims {
        approval_id: text("a")?,
        session_id: text("s")?,
        digest: text("d")?,
        expires: v
            .get("e")
            .and_then(Value::as_i64)
            .ok_or(StateError::Malformed)?,
        nonce: text("n")?,
    };
    if now > claims.expires {
        return Err(StateError::Expired);
    }
    if claims.digest != digest(tool, input) {
        return Err(StateError::OtherCall);
    }
    Ok(claims)
}

/// Marks a state's nonce used; false if it already was.
pub fn use_once(claims: &Claims, now: i64) -> bool {
    static USED: OnceLock<Mutex<HashMap<String, i64>>> = OnceLock::new();
    let Ok(mut used) = USED.get_or_init(Mutex::default).lock() else {
        // Cannot tell whether it was used: refuse.
        return false;
    };
    if used.len() >= MAX_USED {
        used.retain(|_, expires| *expires >= now);
    }
    if used.len() >= MAX_USED {
        let mut by_expiry: Vec<i64> = used.values().copied().collect();
        by_expiry.sort_unstable();
        let cut = by_expiry
            .get(by_expiry.len() / 2)
            .copied()
            .unwrap_or(i64::MAX);
        used.retain(|_, expires| *expires > cut);
    }
    used.insert(claims.nonce.clone(), claims.expires).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    fn sealed() -> String {
        seal(
            "apr_1",
            "ses_1",
            "execute_sql",
            &json!({"sql": "DELETE FROM t", "db": "x"}),
            NOW,
        )
    }

    #[test]
    fn a_sealed_state_opens_for_the_same_call_whatever_its_key_order() {
        let c = open(
            &sealed(),
            "execute_sql",
            &json!({"db": "x", "sql": "DELETE FROM t"}),
            NOW,
        )
        .expect("opens");
        assert_eq!(
            (c.approval_id.as_str(), c.session_id.as_str()),
            ("apr_1", "ses_1")
        );
        assert_eq!(c.expires, NOW + TTL_SECS);
    }

    #[test]
    fn another_call_an_expired_state_and_tampering_are_refused() {
        let s = sealed();
        let input = json!({"sql": "DELETE FROM t", "db": "x"});
        assert_eq!(
            open(
                &s,
                "execute_sql",
                &json!({"sql": "DROP TABLE t", "db": "x"}),
                NOW
            ),
            Err(StateError::OtherCall)
        );
        assert_eq!(
            open(&s, "other_tool", &input, NOW),
            Err(StateError::OtherCall)
        );
        assert_eq!(
            open(&s, "execute_sql", &input, NOW + TTL_SECS + 1),
            Err(StateError::Expired)
        );
        // Changing one character of the body (another approval id, say) breaks the seal.
        let rest = s.strip_prefix(PREFIX).unwrap_or_default();
        let (body, sig) = rest.split_once('.').unwrap_or_default();
        let mut claims: Value =
            serde_json::from_slice(&hex::decode(body).unwrap_or_default()).unwrap_or_default();
        claims["a"] = json!("apr_2");
        let forged = format!("{PREFIX}{}.{sig}", hex::encode(claims.to_string()));
        assert_eq!(
            open(&forged, "execute_sql", &input, NOW),
            Err(StateError::Forged)
        );
        assert_eq!(
            open("airlock1.zz", "execute_sql", &input, NOW),
            Err(StateError::Malformed)
        );
        assert_eq!(
            open("upstream-state", "execute_sql", &input, NOW),
            Err(StateError::Malformed)
        );
    }

    #[test]
    fn a_state_is_used_once() {
        let c = open(
            &sealed(),
            "execute_sql",
            &json!({"sql": "DELETE FROM t", "db": "x"}),
            NOW,
        )
        .expect("opens");
        assert!(use_once(&c, NOW));
        assert!(!use_once(&c, NOW));
    }
}
