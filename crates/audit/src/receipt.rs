//! The signed receipt a check answer carries: a tool server can prove offline which decision
//! Airlock made for which input, and where it sits in the session's chain.
//!
//! Signed bytes: `"airlock-receipt-v1\n" || canonical JSON (sorted keys, compact) of the
//! receipt without its `signature` field`; the signature is Ed25519, base64url without
//! padding, by the key `key_id` (`GET /api/v1/audit/public-key`).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::keys::{AuditKey, verify_signature};
use crate::receipt_batch::{BatchProof, batch_message, root_of};

const DOMAIN: &[u8] = b"airlock-receipt-v1\n";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub check_id: String,
    pub session_id: String,
    /// The decision's position in the session's chain.
    pub seq: u64,
    /// SHA-256 (hex) of the call's canonical input.
    pub input_digest: String,
    pub effect: String,
    pub allowed: bool,
    pub decided_at: String,
    /// The chain head after this decision (its link).
    pub chain_head: String,
    pub key_id: String,
    #[serde(default)]
    pub signature: String,
    /// Set when one signature covers a batch of receipts: this receipt's place in it
    /// ([`crate::receipt_batch`]); absent for a receipt signed alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch: Option<BatchProof>,
}

/// Why a receipt does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    #[error("the receipt is not valid JSON of a receipt: {0}")]
    Malformed(String),
    #[error("no public key with id `{0}`")]
    UnknownKey(String),
    #[error("the signature does not match the receipt")]
    BadSignature,
}

impl Receipt {
    /// The bytes the signature covers, written field by field (a test compares them with the
    /// generic canonical JSON of the receipt without its signature).
    pub fn signed_bytes(&self) -> Vec<u8> {
        let Receipt {
            check_id,
            session_id,
            seq,
            input_digest,
            effect,
            allowed,
            decided_at,
            chain_head,
            key_id,
            signature: _,
            batch: _,
        } = self;
        let mut out = Vec::with_capacity(DOMAIN.len() + 512);
        out.extend_from_slice(DOMAIN);
        airlock_core::chain::JsonObject::canonical(&mut out)
            .bool("allowed", *allowed)
            .str("chain_head", chain_head)
            .str("check_id", check_id)
            .str("decided_at", decided_at)
            .str("effect", effect)
            .str("input_digest", input_digest)
            .str("key_id", key_id)
            .u64("seq", *seq)
            .str("session_id", session_id)
            .end();
        out
    }

    /// Appends the receipt as JSON: the bytes `serde_json::to_writer` gives (fields in their
    /// declared order), with the hex and ids copied whole instead of escaped byte by byte
    /// (every check answer carries one).
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let Receipt {
            check_id,
            session_id,
            seq,
            input_digest,
            effect,
            allowed,
            decided_at,
            chain_head,
            key_id,
            signature,
            batch,
        } = self;
        let mut object = airlock_core::chain::JsonObject::in_order(out);
        object
            .str("check_id", check_id)
            .str("session_id", session_id)
            .u64("seq", *seq)
            .str("input_digest", input_digest)
            .str("effect", effect)
            .bool("allowed", *allowed)
            .str("decided_at", decided_at)
            .str("chain_head", chain_head)
            .str("key_id", key_id)
            .str("signature", signature);
        if let Some(BatchProof { index, size, path }) = batch {
            object.nested("batch", |out| {
                airlock_core::chain::JsonObject::in_order(out)
                    .u64("index", *index)
                    .u64("size", *size)
                    .strs("path", path)
                    .end();
            });
        }
        object.end();
    }

    /// Signs the receipt with `key` (sets `key_id` and `signature`).
    pub fn sign(mut self, key: &AuditKey) -> Receipt {
        self.key_id = key.id.clone();
        self.batch = None;
        self.signature = key.sign(&self.signed_bytes());
        self
    }
}

/// Verifies a receipt given as JSON against the public keys `lookup` finds by key id.
pub fn verify(
    text: &str,
    lookup: impl Fn(&str) -> Option<ed25519_dalek::VerifyingKey>,
) -> Result<Receipt, ReceiptError> {
    let value: Value =
        serde_json::from_str(text).map_err(|e| ReceiptError::Malformed(e.to_string()))?;
    // A check answer whole, or its receipt alone.
    let value = value.get("receipt").cloned().unwrap_or(value);
    let receipt: Receipt =
        serde_json::from_value(value).map_err(|e| ReceiptError::Malformed(e.to_string()))?;
    let key =
        lookup(&receipt.key_id).ok_or_else(|| ReceiptError::UnknownKey(receipt.key_id.clone()))?;
    let message = match &receipt.batch {
        None => receipt.signed_bytes(),
        Some(proof) => {
            let root = root_of(&receipt, proof).ok_or(ReceiptError::BadSignature)?;
            batch_message(&root, proof.size)
        }
    };
    if verify_signature(&key, &message, &receipt.signature) {
        Ok(receipt)
    } else {
        Err(ReceiptError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn receipt() -> Receipt {
        Receipt {
            check_id: "chk_1".into(),
            session_id: "s1".into(),
            seq: 3,
            input_digest: "ab".repeat(32),
            effect: "read".into(),
            allowed: true,
            decided_at: "2026-01-02T03:04:05.000000Z".into(),
            chain_head: "cd".repeat(32),
            key_id: String::new(),
            signature: String::new(),
            batch: None,
        }
    }

    #[test]
    fn write_json_gives_serde_json_bytes() {
        let mut escaped = receipt();
        escaped.session_id = "s \"q\" \\ é\n\u{1f}".into();
        escaped.seq = u64::MAX;
        escaped.signature = "sig-_".into();
        let mut batched = receipt();
        batched.batch = Some(BatchProof {
            index: 2,
            size: 3,
            path: vec!["ef".repeat(32), "a\"b".into()],
        });
        let mut empty_path = receipt();
        empty_path.batch = Some(BatchProof {
            index: 0,
            size: 1,
            path: vec![],
        });
        for r in [receipt(), escaped, batched, empty_path] {
            let mut out = Vec::new();
            r.write_json(&mut out);
            assert_eq!(
                String::from_utf8(out).ok(),
                serde_json::to_string(&r).ok(),
                "{r:?}"
            );
        }
    }

    #[test]
    fn signed_bytes_are_the_canonical_json_without_the_signature() {
        let mut r = receipt();
        r.session_id = "s \"q\" \\ é\n".into();
        r.seq = u64::MAX;
        r.signature = "sig".into();
        r.batch = Some(BatchProof {
            index: 1,
            size: 2,
            path: vec!["00".repeat(32)],
        });
        let mut v = serde_json::to_value(&r).unwrap();
        v.as_object_mut().unwrap().remove("signature");
        v.as_object_mut().unwrap().remove("batch");
        let mut expected = DOMAIN.to_vec();
        expected.extend(airlock_core::chain::canonical_json(&v).into_bytes());
        assert_eq!(r.signed_bytes(), expected);
    }

    #[test]
    fn a_signed_receipt_verifies_and_any_changed_byte_fails() {
        let key = AuditKey::generate();
        let signed = receipt().sign(&key);
        let text = serde_json::to_string(&signed).unwrap();
        let public = key.public();
        let lookup = |id: &str| (id == key.id).then_some(public);
        assert_eq!(verify(&text, lookup).unwrap(), signed);
        // Wrapped in a check answer.
        let answer = serde_json::json!({"allowed": true, "receipt": signed}).to_string();
        assert!(verify(&answer, lookup).is_ok());
        // Each changed byte of a value fails (or no longer parses).
        let tampered = [
            text.replace("\"allowed\":true", "\"allowed\":false"),
            text.replace("\"seq\":3", "\"seq\":4"),
            text.replace("chk_1", "chk_2"),
            text.replace("\"read\"", "\"reae\""),
        ];
        for t in tampered {
            assert_ne!(t, text);
            assert_eq!(verify(&t, lookup), Err(ReceiptError::BadSignature), "{t}");
        }
        let mut sig = signed.clone();
        let mut bytes = sig.signature.into_bytes();
        bytes[5] = if bytes[5] == b'A' { b'B' } else { b'A' };
        sig.signature = String::from_utf8(bytes).unwrap();
        let t = serde_json::to_string(&sig).unwrap();
        assert_eq!(verify(&t, lookup), Err(ReceiptError::BadSignature));
        let other = AuditKey::generate();
        assert!(matches!(
            verify(&text, |_| Some(other.public())),
            Err(ReceiptError::BadSignature)
        ));
        assert!(matches!(
            verify(&text, |_| None),
            Err(ReceiptError::UnknownKey(_))
        ));
    }
}
