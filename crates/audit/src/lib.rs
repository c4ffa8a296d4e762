//! The audit trail of Airlock's decisions, made so that someone who can write the database
//! but not the server's files cannot change, remove or reorder a decision unnoticed
//! (docs/audit.md):
//!
//! - [`link`]: the canonical encoding of a stored decision (every column but its hash) and
//!   the keyed chain link over it;
//! - [`keys`]: the Ed25519 audit keys kept in a folder outside the database, and the link
//!   keys derived from them;
//! - [`checkpoint`]: signed checkpoints of every changed session's head and count, appended
//!   to a file outside the database;
//! - [`receipt`]: the signed receipt every check answer carries, and [`receipt_batch`]: one
//!   signature over the receipts of decisions committed together;
//! - [`verify`]: the one verifier the CLI and the HTTP route share.

pub mod checkpoint;
pub mod keys;
pub mod link;
pub mod receipt;
pub mod receipt_batch;
pub mod verify;

pub use ed25519_dalek::VerifyingKey;
pub use keys::{AuditKey, KeyError, KeyRing, PublicKeyInfo};

/// Unpadded base64url, the encoding of every key and signature here.
pub(crate) fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

pub(crate) fn unb64(text: &str) -> Option<Vec<u8>> {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text.trim())
        .ok()
}
