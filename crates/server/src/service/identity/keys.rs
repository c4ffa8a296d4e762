//! Keys of the identity module: agents' Ed25519 public keys (PKIX PEM, as the SDKs generate
//! them), their RFC 7638 JWK thumbprints, and Airlock's own WIMSE signing key, which lives
//! outside the database (a file, mode 0600).

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::{DecodePublicKey, EncodePrivateKey};
use ed25519_dalek::{SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// Largest public key PEM accepted.
pub const MAX_PUBLIC_KEY: usize = 8 * 1024;

/// base64url without padding (RFC 4648 §5), as JOSE and the SDKs encode.
pub fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url without padding; a trailing `=` pad is tolerated.
pub fn unb64(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).ok()
}

/// Why a public key is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("`public_key` must be an Ed25519 public key in PEM (-----BEGIN PUBLIC KEY-----)")]
    NotEd25519Pem,
    #[error("`public_key` is a weak (small-order) Ed25519 key")]
    Weak,
    #[error("`public_key` is longer than 8 KiB")]
    TooLong,
}

/// Parses an agent's public key: an Ed25519 SubjectPublicKeyInfo in PEM.
pub fn parse_public_key(pem: &str) -> Result<VerifyingKey, KeyError> {
    if pem.len() > MAX_PUBLIC_KEY {
        return Err(KeyError::TooLong);
    }
    let key = VerifyingKey::from_public_key_pem(pem.trim()).map_err(|_| KeyError::NotEd25519Pem)?;
    if key.is_weak() {
        return Err(KeyError::Weak);
    }
    Ok(key)
}

/// A key from a JWK's `x` (32 bytes, base64url), refusing anything else.
pub fn key_from_x(x: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = unb64(x)?.try_into().ok()?;
    let key = VerifyingKey::from_bytes(&bytes).ok()?;
    (!key.is_weak()).then_some(key)
}

/// The RFC 7638 SHA-256 thumbprint of an Ed25519 key's JWK, base64url: what `cnf.jkt` holds.
/// Computed from the key's bytes (not from a JWK's text), so one key has one thumbprint.
pub fn thumbprint(key: &VerifyingKey) -> String {
    let canonical = format!(
        r#"{{"crv":"Ed25519","kty":"OKP","x":"{}"}}"#,
        b64(key.as_bytes())
    );
    b64(&Sha256::digest(canonical.as_bytes()))
}

/// The thumbprint of a stored public key, if it is a valid one.
pub fn pem_thumbprint(pem: &str) -> Option<String> {
    parse_public_key(pem).ok().map(|k| thumbprint(&k))
}

/// Why the WIMSE signing key could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum WimseKeyError {
    #[error("cannot read or create the wimse key file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the wimse key file {0} must hold a 32-byte Ed25519 seed as 64 hex characters")]
    Malformed(String),
}

/// Airlock's WIMSE signing key; its `Debug` never shows it.
#[derive(Clone)]
pub struct WimseKey(Arc<Inner>);

struct Inner {
    encoding: jsonwebtoken::EncodingKey,
    decoding: jsonwebtoken::DecodingKey,
    kid: String,
}

impl fmt::Debug for WimseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WimseKey({})", self.0.kid)
    }
}

impl WimseKey {
    /// A key from its 32-byte seed.
    pub fn from_seed(seed: [u8; 32]) -> WimseKey {
        let signing = SigningKey::from_bytes(&seed);
        let public = signing.verifying_key();
        // Encoding a valid key as PKCS#8 cannot fail; a key that did would sign nothing valid.
        let der = signing
            .to_pkcs8_der()
            .map(|d| d.as_bytes().to_vec())
            .unwrap_or_default();
        WimseKey(Arc::new(Inner {
            encoding: jsonwebtoken::EncodingKey::from_ed_der(&der),
            decoding: jsonwebtoken::DecodingKey::from_ed_der(public.as_bytes()),
            kid: thumbprint(&public).chars().take(16).collect(),
        }))
    }

    /// A random key kept in memory only (tests, and servers that issue no tokens that must
    /// outlive the process).
    pub fn generate() -> WimseKey {
        WimseKey::from_seed(rand::random())
    }

    /// Reads the key file (64 hex characters), creating it with a random key, mode 0600, when
    /// it does not exist.
    pub fn load_or_create(path: &Path) -> Result<WimseKey, WimseKeyError> {
        let io = |source| WimseKeyError::Io {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read_to_string(path) {
            Ok(text) => return parse_seed(path, &text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(e)),
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let seed: [u8; 32] = rand::random();
        match write_new(path, hex::encode(seed).as_bytes()) {
            Ok(()) => Ok(WimseKey::from_seed(seed)),
            // Another process created it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                parse_seed(path, &std::fs::read_to_string(path).map_err(io)?)
            }
            Err(e) => Err(io(e)),
        }
    }

    pub fn kid(&self) -> &str {
        &self.0.kid
    }

    pub(crate) fn encoding(&self) -> &jsonwebtoken::EncodingKey {
        &self.0.encoding
    }

    pub(crate) fn decoding(&self) -> &jsonwebtoken::DecodingKey {
        &self.0.decoding
    }
}

fn parse_seed(path: &Path, text: &str) -> Result<WimseKey, WimseKeyError> {
    let malformed = || WimseKeyError::Malformed(path.display().to_string());
    let bytes = hex::decode(text.trim()).map_err(|_| malformed())?;
    let seed: [u8; 32] = bytes.try_into().map_err(|_| malformed())?;
    Ok(WimseKey::from_seed(seed))
}

fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::pkcs8::EncodePublicKey;
    use ed25519_dalek::pkcs8::spki::der::pem::LineEnding;

    #[test]
    fn public_keys_are_ed25519_pem_only() {
        let key = SigningKey::from_bytes(&[7; 32]).verifying_key();
        let pem = key.to_public_key_pem(LineEnding::LF).unwrap();
        assert_eq!(parse_public_key(&pem), Ok(key));
        for bad in [
            "",
            "not a key",
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
        ] {
            assert_eq!(parse_public_key(bad), Err(KeyError::NotEd25519Pem), "{bad}");
        }
        assert_eq!(parse_public_key(&"x".repeat(9000)), Err(KeyError::TooLong));
    }

    #[test]
    fn the_thumbprint_is_rfc_7638() {
        // RFC 8037 appendix A.3: the thumbprint of its Ed25519 example key.
        let x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
        let key = key_from_x(x).unwrap();
        assert_eq!(
            thumbprint(&key),
            "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
        );
        assert!(key_from_x("AAAA").is_none());
        assert!(key_from_x(&b64(&[0; 32])).is_none(), "weak key");
    }

    #[test]
    fn the_key_file_is_created_once_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/wimse.key");
        let a = WimseKey::load_or_create(&path).unwrap();
        let b = WimseKey::load_or_create(&path).unwrap();
        assert_eq!(a.kid(), b.kid());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "short").unwrap();
        assert!(matches!(
            WimseKey::load_or_create(&path),
            Err(WimseKeyError::Malformed(_))
        ));
    }
}
