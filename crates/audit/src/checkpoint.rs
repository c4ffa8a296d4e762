//! Signed checkpoints: where sessions' chains stood, appended as JSON lines to a file outside
//! the database, one file per server process (`<start time>-<random>.jsonl`), so replicas and
//! restarts never interleave lines of one file.
//!
//! A checkpoint lists `(org_id, session_id, head, count)` of every session changed since the
//! previous one of its file (the first of a file lists every session). Its `prev` is the
//! hash of the previous checkpoint line of the file (the genesis head for the first); its
//! hash is SHA-256 (hex) of the canonical JSON of the whole checkpoint, signature included.
//! Signed bytes: `"airlock-checkpoint-v1\n" || canonical JSON without `signature``.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::keys::{AuditKey, verify_signature};
use crate::verify::GENESIS;

const DOMAIN: &[u8] = b"airlock-checkpoint-v1\n";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckpointSession {
    pub org_id: String,
    pub session_id: String,
    pub head: String,
    pub count: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// 1, 2, … within its file.
    pub seq: u64,
    /// When the sessions were read (RFC 3339).
    pub time: String,
    pub prev: String,
    pub key_id: String,
    /// Whether it lists every session (the first of a file) or those changed since `prev`.
    pub full: bool,
    pub sessions: Vec<CheckpointSession>,
    #[serde(default)]
    pub signature: String,
}

impl Checkpoint {
    fn value(&self, with_signature: bool) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let (false, Value::Object(m)) = (with_signature, &mut v) {
            m.remove("signature");
        }
        v
    }

    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut out = DOMAIN.to_vec();
        out.extend(airlock_core::chain::canonical_json(&self.value(false)).into_bytes());
        out
    }

    /// The hash the next checkpoint's `prev` names.
    pub fn hash(&self) -> String {
        airlock_core::chain::digest(
            airlock_core::chain::canonical_json(&self.value(true)).as_bytes(),
        )
    }

    /// The line written to the file (canonical JSON, then a newline).
    pub fn line(&self) -> String {
        let mut s = airlock_core::chain::canonical_json(&self.value(true));
        s.push('\n');
        s
    }
}

/// The file of one server process, appended to.
pub struct CheckpointFile {
    path: PathBuf,
    file: std::fs::File,
    seq: u64,
    prev: String,
}

impl CheckpointFile {
    /// Creates this process's new file in `dir` (created if missing).
    pub fn create(dir: &Path) -> std::io::Result<CheckpointFile> {
        std::fs::create_dir_all(dir)?;
        let name = format!(
            "{}-{:08x}.jsonl",
            chrono::Utc::now().format("%Y%m%dT%H%M%S%.6fZ"),
            rand::random::<u32>()
        );
        let path = dir.join(name);
        let mut options = std::fs::OpenOptions::new();
        options.append(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o644);
        }
        let file = options.open(&path)?;
        Ok(CheckpointFile {
            path,
            file,
            seq: 0,
            prev: GENESIS.to_string(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Signs and appends a checkpoint; returns it.
    pub fn append(
        &mut self,
        key: &AuditKey,
        time: String,
        full: bool,
        sessions: Vec<CheckpointSession>,
    ) -> std::io::Result<Checkpoint> {
        let mut c = Checkpoint {
            seq: self.seq + 1,
            time,
            prev: self.prev.clone(),
            key_id: key.id.clone(),
            full,
            sessions,
            signature: String::new(),
        };
        c.signature = key.sign(&c.signed_bytes());
        // One write of the whole line: a crash leaves at most a partial last line, which
        // the verifier ignores.
        self.file.write_all(c.line().as_bytes())?;
        self.file.sync_data()?;
        self.seq = c.seq;
        self.prev = c.hash();
        Ok(c)
    }
}

/// What one checkpoint says of one session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// `<file>#<seq>`, to name it in a failure.
    pub at: String,
    pub head: String,
    pub count: u64,
}

/// A problem with the checkpoint files themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileFailure {
    pub file: String,
    pub seq: u64,
    pub error: String,
}

/// Every checkpoint of a folder, checked for signatures and links, as claims per session.
#[derive(Debug, Default)]
pub struct CheckpointLog {
    pub checkpoints: u64,
    pub files: u64,
    pub claims: std::collections::BTreeMap<(String, String), Vec<Claim>>,
    pub failures: Vec<FileFailure>,
}

/// Reads and checks every `*.jsonl` file of `dir` (none: an empty log).
pub fn read_dir(
    dir: &Path,
    lookup: &dyn Fn(&str) -> Option<ed25519_dalek::VerifyingKey>,
) -> std::io::Result<CheckpointLog> {
    let mut log = CheckpointLog::default();
    if !dir.exists() {
        return Ok(log);
    }
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    paths.sort();
    for path in paths {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path)?;
        check_file(&name, &text, lookup, &mut log);
    }
    Ok(log)
}

/// Checks one file's lines: each parses, is signed by a known key, numbers on from the one
/// before and names its hash, and no session's count goes backwards.
pub fn check_file(
    name: &str,
    text: &str,
    lookup: &dyn Fn(&str) -> Option<ed25519_dalek::VerifyingKey>,
    log: &mut CheckpointLog,
) {
    log.files += 1;
    let mut prev = GENESIS.to_string();
    let mut expected = 1u64;
    let mut last: std::collections::HashMap<(String, String), (u64, String)> = Default::default();
    // Only whole lines: a crash may have left a partial last one.
    let complete = match text.rfind('\n') {
        Some(end) => &text[..end],
        None => "",
    };
    for line in complete.lines().filter(|l| !l.trim().is_empty()) {
        let mut fail = |seq: u64, error: String| {
            log.failures.push(FileFailure {
                file: name.to_string(),
                seq,
                error,
            })
        };
        let c: Checkpoint = match serde_json::from_str(line) {
            Ok(c) => c,
            Err(e) => {
                fail(expected, format!("unreadable checkpoint line: {e}"));
                return;
            }
        };
        if c.seq != expected {
            fail(
                c.seq,
                format!(
                    "checkpoint {} where {expected} was expected (removed or reordered)",
                    c.seq
                ),
            );
        }
        if c.prev != prev {
            fail(c.seq, "does not link to the checkpoint before it".into());
        }
        match lookup(&c.key_id) {
            None => fail(c.seq, format!("signed with unknown key `{}`", c.key_id)),
            Some(k) if !verify_signature(&k, &c.signed_bytes(), &c.signature) => {
                fail(c.seq, "bad signature".into())
            }
            Some(_) => {}
        }
        log.checkpoints += 1;
        for s in &c.sessions {
            let key = (s.org_id.clone(), s.session_id.clone());
            if let Some((count, head)) = last.get(&key)
                && (s.count < *count || (s.count == *count && s.head != *head))
            {
                fail(
                    c.seq,
                    format!(
                        "session `{}` went back from {count} entries to {} between checkpoints",
                        s.session_id, s.count
                    ),
                );
            }
            last.insert(key.clone(), (s.count, s.head.clone()));
            log.claims.entry(key).or_default().push(Claim {
                at: format!("{name}#{}", c.seq),
                head: s.head.clone(),
                count: s.count,
            });
        }
        prev = c.hash();
        expected = c.seq + 1;
    }
}
