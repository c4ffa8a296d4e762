//! The audit keys: Ed25519 signing keys kept in a folder outside the database.
//!
//! Each key is a file `<key id>.json` (mode 0600, folder 0700) holding its secret seed and
//! public key; the file `current` names the key new links, checkpoints and receipts use.
//! Rotation writes a new key and points `current` at it; old keys stay so that old entries
//! still verify. The key id is the first 16 hex digits of SHA-256 of the raw public key.
//!
//! The chain's link key is derived from the secret seed:
//! `k_mac = HMAC-SHA256(seed, "airlock audit chain link key v1")`, so a link costs one HMAC
//! (about a microsecond) and never an Ed25519 signature.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use hmac::{Hmac, KeyInit, Mac};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::link::LinkKey;
use crate::{b64, unb64};

/// The file naming the current key.
const CURRENT: &str = "current";
const LINK_KEY_LABEL: &[u8] = b"airlock audit chain link key v1";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("audit key folder {0}: {1}")]
    Io(PathBuf, std::io::Error),
    #[error("audit key file {0} is not valid: {1}")]
    Invalid(PathBuf, String),
    #[error(
        "audit key folder {0} has no current key (run `airlock serve` once or `airlock audit rotate-key`)"
    )]
    NoCurrent(PathBuf),
}

/// One audit key.
#[derive(Clone)]
pub struct AuditKey {
    pub id: String,
    pub signing: SigningKey,
    pub link: LinkKey,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        f.debug_struct("AuditKey").field("id", &self.id).finish()
    }
}

impl AuditKey {
    pub fn from_seed(seed: [u8; 32], created_at: DateTime<Utc>) -> AuditKey {
        let signing = SigningKey::from_bytes(&seed);
        let mut mac = <Hmac<Sha256> as KeyInit>::new(&pad(&seed).into());
        mac.update(LINK_KEY_LABEL);
        let k_mac: [u8; 32] = mac.finalize().into_bytes().into();
        AuditKey {
            id: key_id(&signing.verifying_key()),
            link: LinkKey::new(&k_mac),
            signing,
            created_at,
        }
    }

    /// A new key from the operating system's random source.
    pub fn generate() -> AuditKey {
        let mut seed = [0u8; 32];
        rand::rng().fill_bytes(&mut seed);
        AuditKey::from_seed(seed, Utc::now())
    }

    pub fn public(&self) -> VerifyingKey {
        self.signing.verifying_key()
    }

    /// Base64url of the Ed25519 signature of `message`.
    pub fn sign(&self, message: &[u8]) -> String {
        b64(&self.signing.sign(message).to_bytes())
    }
}

fn pad(seed: &[u8; 32]) -> [u8; 64] {
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(seed);
    block
}

/// The id of a public key: the first 16 hex digits of SHA-256 of its raw 32 bytes.
pub fn key_id(public: &VerifyingKey) -> String {
    hex::encode(Sha256::digest(public.as_bytes()))[..16].to_string()
}

/// Parses a base64url raw public key.
pub fn parse_public_key(text: &str) -> Option<VerifyingKey> {
    let bytes: [u8; 32] = unb64(text)?.try_into().ok()?;
    VerifyingKey::from_bytes(&bytes).ok()
}

/// Checks a base64url Ed25519 signature of `message`.
pub fn verify_signature(public: &VerifyingKey, message: &[u8], signature: &str) -> bool {
    let Some(bytes) = unb64(signature).and_then(|b| <[u8; 64]>::try_from(b).ok()) else {
        return false;
    };
    let sig = ed25519_dalek::Signature::from_bytes(&bytes);
    public.verify_strict(message, &sig).is_ok()
}

/// A public key as `GET /api/v1/audit/public-key` answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicKeyInfo {
    pub key_id: String,
    pub algorithm: String,
    pub public_key: String,
    pub current: bool,
}

/// A key file.
#[derive(Serialize, Deserialize)]
struct KeyFile {
    key_id: String,
    algorithm: String,
    public_key: String,
    secret_seed: String,
    created_at: DateTime<Utc>,
}

/// The audit keys a server or a verifier knows, one of them current.
#[derive(Debug, Clone)]
pub struct KeyRing {
    keys: BTreeMap<String, AuditKey>,
    current: AuditKey,
    /// When the oldest persisted key was made: a legacy (unkeyed) entry dated after it was
    /// not written by an older build. `None` for a ring that is not persisted.
    legacy_cutoff: Option<DateTime<Utc>>,
}

impl KeyRing {
    /// A ring of one new key kept in memory only (tests and embedded use; nothing it signs
    /// can be verified after the process ends).
    pub fn ephemeral() -> KeyRing {
        let key = AuditKey::generate();
        KeyRing {
            keys: BTreeMap::from([(key.id.clone(), key.clone())]),
            current: key,
            legacy_cutoff: None,
        }
    }

    pub fn current(&self) -> &AuditKey {
        &self.current
    }

    pub fn get(&self, id: &str) -> Option<&AuditKey> {
        self.keys.get(id)
    }

    pub fn legacy_cutoff(&self) -> Option<DateTime<Utc>> {
        self.legacy_cutoff
    }

    pub fn public_keys(&self) -> Vec<PublicKeyInfo> {
        self.keys
            .values()
            .map(|k| PublicKeyInfo {
                key_id: k.id.clone(),
                algorithm: "Ed25519".into(),
                public_key: b64(k.public().as_bytes()),
                current: k.id == self.current.id,
            })
            .collect()
    }

    /// Adds the keys of `other` (a verifier given several folders: replicas with their own).
    pub fn merge(&mut self, other: KeyRing) {
        self.legacy_cutoff = match (self.legacy_cutoff, other.legacy_cutoff) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.keys.extend(other.keys);
    }

    /// Loads the keys of `dir`, creating the folder and a first key if it has none.
    pub fn open_or_create(dir: &Path) -> Result<KeyRing, KeyError> {
        create_dir(dir)?;
        if !dir.join(CURRENT).exists() {
            write_key(dir, &AuditKey::generate())?;
        }
        KeyRing::load(dir)
    }

    /// Loads the keys of an existing folder.
    pub fn load(dir: &Path) -> Result<KeyRing, KeyError> {
        let io = |e| KeyError::Io(dir.to_path_buf(), e);
        let mut keys = BTreeMap::new();
        for entry in std::fs::read_dir(dir).map_err(io)? {
            let path = entry.map_err(io)?.path();
            if path.extension().is_none_or(|x| x != "json") {
                continue;
            }
            let key = read_key(&path)?;
            keys.insert(key.id.clone(), key);
        }
        let current = std::fs::read_to_string(dir.join(CURRENT))
            .map_err(|_| KeyError::NoCurrent(dir.to_path_buf()))?
            .trim()
            .to_string();
        let Some(current) = keys.get(&current).cloned() else {
            return Err(KeyError::NoCurrent(dir.to_path_buf()));
        };
        let legacy_cutoff = keys.values().map(|k| k.created_at).min();
        Ok(KeyRing {
            keys,
            current,
            legacy_cutoff,
        })
    }

    /// Makes a new key current in `dir`; the old ones stay. Returns the new key's id.
    pub fn rotate(dir: &Path) -> Result<String, KeyError> {
        create_dir(dir)?;
        let key = AuditKey::generate();
        write_key(dir, &key)?;
        Ok(key.id)
    }
}

fn create_dir(dir: &Path) -> Result<(), KeyError> {
    let io = |e| KeyError::Io(dir.to_path_buf(), e);
    std::fs::create_dir_all(dir).map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(io)?;
    }
    Ok(())
}

/// Writes a private file (mode 0600) whole, then moves it into place.
fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(&tmp)?;
    f.write_all(bytes)?;
    f.sync_all()?;
    drop(f);
    std::fs::rename(&tmp, path)
}

fn write_key(dir: &Path, key: &AuditKey) -> Result<(), KeyError> {
    let file = KeyFile {
        key_id: key.id.clone(),
        algorithm: "Ed25519".into(),
        public_key: b64(key.public().as_bytes()),
        secret_seed: b64(&key.signing.to_bytes()),
        created_at: key.created_at,
    };
    let path = dir.join(format!("{}.json", key.id));
    let text = serde_json::to_vec_pretty(&file)
        .map_err(|e| KeyError::Invalid(path.clone(), e.to_string()))?;
    write_private(&path, &text).map_err(|e| KeyError::Io(path.clone(), e))?;
    let current = dir.join(CURRENT);
    write_private(&current, key.id.as_bytes()).map_err(|e| KeyError::Io(current, e))
}

fn read_key(path: &Path) -> Result<AuditKey, KeyError> {
    let invalid = |m: &str| KeyError::Invalid(path.to_path_buf(), m.to_string());
    let text = std::fs::read_to_string(path).map_err(|e| KeyError::Io(path.to_path_buf(), e))?;
    let file: KeyFile = serde_json::from_str(&text).map_err(|e| invalid(&e.to_string()))?;
    if file.algorithm != "Ed25519" {
        return Err(invalid("algorithm is not Ed25519"));
    }
    let seed: [u8; 32] = unb64(&file.secret_seed)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| invalid("secret_seed is not 32 bytes of base64url"))?;
    let key = AuditKey::from_seed(seed, file.created_at);
    if key.id != file.key_id || b64(key.public().as_bytes()) != file.public_key {
        return Err(invalid("key id or public key does not match the secret"));
    }
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_created_private_and_rotation_keeps_old_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys");
        let first = KeyRing::open_or_create(&path).unwrap();
        let id1 = first.current().id.clone();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path.join(format!("{id1}.json")))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = KeyRing::open_or_create(&path).unwrap();
        assert_eq!(again.current().id, id1, "a second start reuses the key");
        let id2 = KeyRing::rotate(&path).unwrap();
        let ring = KeyRing::load(&path).unwrap();
        assert_eq!(ring.current().id, id2);
        assert!(ring.get(&id1).is_some(), "the old key is kept");
        let public = ring.public_keys();
        assert_eq!(public.len(), 2);
        assert_eq!(public.iter().filter(|k| k.current).count(), 1);
        assert_eq!(id1.len(), 16);
    }

    #[test]
    fn signatures_verify_and_a_changed_byte_fails() {
        let key = AuditKey::generate();
        let sig = key.sign(b"hello");
        assert!(verify_signature(&key.public(), b"hello", &sig));
        assert!(!verify_signature(&key.public(), b"hellp", &sig));
        let other = AuditKey::generate();
        assert!(!verify_signature(&other.public(), b"hello", &sig));
    }
}
