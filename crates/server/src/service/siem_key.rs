//! The key that encrypts SIEM auth tokens at rest (ChaCha20-Poly1305). It lives outside the
//! database: a 32-byte key file (mode 0600), by default `<data-dir>/keys/siem.key`, or derived
//! from a secret in the environment for PostgreSQL replicas that share no disk. Someone who
//! reads the database alone does not get the tokens.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};
use sha2::{Digest, Sha256};

/// The stored form's prefix: a version, so the format can change.
const PREFIX: &str = "enc:v1:";
const NONCE_BYTES: usize = 12;
pub const KEY_BYTES: usize = 32;

/// Why a key could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum SiemKeyError {
    #[error("cannot read or create the siem key file {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error("the siem key file {0} must hold exactly 32 bytes (or 64 hex characters)")]
    Malformed(String),
    #[error("the siem secret must be at least 32 characters")]
    ShortSecret,
}

/// The key; its `Debug` never shows it.
#[derive(Clone)]
pub struct SiemKey(Arc<[u8; KEY_BYTES]>);

impl fmt::Debug for SiemKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SiemKey(…)")
    }
}

impl SiemKey {
    pub fn from_bytes(bytes: [u8; KEY_BYTES]) -> SiemKey {
        SiemKey(Arc::new(bytes))
    }

    /// A key derived from an operator's secret (every replica given the same secret gets the
    /// same key).
    pub fn from_secret(secret: &str) -> Result<SiemKey, SiemKeyError> {
        if secret.trim().len() < 32 {
            return Err(SiemKeyError::ShortSecret);
        }
        let mut h = Sha256::new();
        h.update(b"airlock siem token key v1\0");
        h.update(secret.trim().as_bytes());
        let mut key = [0u8; KEY_BYTES];
        key.copy_from_slice(&h.finalize());
        Ok(SiemKey::from_bytes(key))
    }

    /// Reads the key file, creating it (and its folder, mode 0700) with a random key and mode
    /// 0600 when it does not exist.
    pub fn load_or_create(path: &Path) -> Result<SiemKey, SiemKeyError> {
        let io = |source| SiemKeyError::Io {
            path: path.display().to_string(),
            source,
        };
        match std::fs::read(path) {
            Ok(bytes) => return parse(path, &bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(io(e)),
        }
        if let Some(dir) = path.parent() {
            create_private_dir(dir).map_err(io)?;
        }
        let key: [u8; KEY_BYTES] = rand::random();
        match write_new(path, &key) {
            Ok(()) => Ok(SiemKey::from_bytes(key)),
            // Another process created it first: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                parse(path, &std::fs::read(path).map_err(io)?)
            }
            Err(e) => Err(io(e)),
        }
    }

    fn cipher(&self) -> ChaCha20Poly1305 {
        ChaCha20Poly1305::new(Key::from_slice(self.0.as_slice()))
    }

    /// The stored form of `token`, bound to the destination `id` (a ciphertext copied to
    /// another row does not decrypt).
    pub fn encrypt(&self, id: &str, token: &str) -> String {
        let nonce: [u8; NONCE_BYTES] = rand::random();
        let sealed = self.cipher().encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: token.as_bytes(),
                aad: id.as_bytes(),
            },
        );
        match sealed {
            Ok(ct) => format!("{PREFIX}{}{}", hex::encode(nonce), hex::encode(ct)),
            // Encryption of a bounded message cannot fail; store nothing usable if it did.
            Err(_) => String::new(),
        }
    }

    /// The token of a stored form, or `None` if it is not one this key made for `id`.
    pub fn decrypt(&self, id: &str, stored: &str) -> Option<String> {
        let raw = hex::decode(stored.strip_prefix(PREFIX)?).ok()?;
        let (nonce, ct) = raw.split_at_checked(NONCE_BYTES)?;
        let plain = self
            .cipher()
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: id.as_bytes(),
                },
            )
            .ok()?;
        String::from_utf8(plain).ok()
    }
}

fn parse(path: &Path, bytes: &[u8]) -> Result<SiemKey, SiemKeyError> {
    let malformed = || SiemKeyError::Malformed(path.display().to_string());
    let key: [u8; KEY_BYTES] = if bytes.len() == KEY_BYTES {
        bytes.try_into().map_err(|_| malformed())?
    } else {
        let text = std::str::from_utf8(bytes).map_err(|_| malformed())?;
        let raw = hex::decode(text.trim()).map_err(|_| malformed())?;
        raw.as_slice().try_into().map_err(|_| malformed())?
    };
    Ok(SiemKey::from_bytes(key))
}

fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

fn write_new(path: &Path, key: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(key)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_and_is_bound_to_its_row() {
        let key = SiemKey::from_bytes([7; KEY_BYTES]);
        let stored = key.encrypt("siem_a", "hec-token-123456");
        assert!(stored.starts_with(PREFIX));
        assert!(!stored.contains("hec-token"));
        assert_eq!(
            key.decrypt("siem_a", &stored).as_deref(),
            Some("hec-token-123456")
        );
        assert_eq!(key.decrypt("siem_b", &stored), None);
        let other = SiemKey::from_bytes([8; KEY_BYTES]);
        assert_eq!(other.decrypt("siem_a", &stored), None);
    }

    #[test]
    fn the_key_file_is_created_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys").join("siem.key");
        let a = SiemKey::load_or_create(&path).unwrap();
        let b = SiemKey::load_or_create(&path).unwrap();
        assert_eq!(a.0, b.0);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }
}
