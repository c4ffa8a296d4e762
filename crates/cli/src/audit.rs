//! `airlock audit verify|verify-receipt|rotate-key`, and the audit settings of `airlock serve`
//! (docs/audit.md).

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use clap::{Args, Subcommand};
use serde_json::{Value, json};

use airlock_audit::KeyRing;
use airlock_audit::checkpoint::{self, CheckpointLog};
use airlock_audit::verify::{SessionReport, verify_session};
use airlock_server::service::audit_trail::AuditTrail;
use airlock_store::{Options, Store};

use crate::keys::StoreArgs;

/// The audit settings of `airlock serve`.
#[derive(Args, Debug, Clone)]
pub struct AuditServeArgs {
    /// The folder of the audit signing keys (created with a first key if empty). Default
    /// `<data-dir>/keys` on SQLite; required with `--database` (replicas share one folder).
    #[arg(long, env = "AIRLOCK_AUDIT_KEY_DIR")]
    audit_key_dir: Option<PathBuf>,
    /// Where this server appends its signed checkpoints (one file per process). Default
    /// `<data-dir>/checkpoints` on SQLite; required with `--database`.
    #[arg(long, env = "AIRLOCK_CHECKPOINT_DIR")]
    checkpoint_dir: Option<PathBuf>,
    /// Seconds between checkpoints (1 to 3600).
    #[arg(long, env = "AIRLOCK_CHECKPOINT_INTERVAL_SECS", default_value_t = 10)]
    checkpoint_interval_secs: u64,
    /// POST every checkpoint to this URL too (a witness outside this host).
    #[arg(long, env = "AIRLOCK_WITNESS_URL")]
    witness_url: Option<String>,
}

impl AuditServeArgs {
    pub fn interval(&self) -> anyhow::Result<Duration> {
        if !(1..=3600).contains(&self.checkpoint_interval_secs) {
            bail!(
                "--checkpoint-interval-secs (AIRLOCK_CHECKPOINT_INTERVAL_SECS) must be 1 to 3600"
            );
        }
        Ok(Duration::from_secs(self.checkpoint_interval_secs))
    }

    pub fn witness_url(&self) -> anyhow::Result<Option<String>> {
        match self.witness_url.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(raw) => airlock_outbound::parse_url(raw)
                .map(|u| Some(u.to_string()))
                .map_err(|e| anyhow!("--witness-url (AIRLOCK_WITNESS_URL): {e}")),
        }
    }

    /// Opens (or creates) the key folder and names the checkpoint folder.
    pub fn trail(&self, data_dir: &Path, postgres: bool) -> anyhow::Result<AuditTrail> {
        let (keys, checkpoints) = match (postgres, &self.audit_key_dir, &self.checkpoint_dir) {
            (false, k, c) => (
                k.clone().unwrap_or_else(|| data_dir.join("keys")),
                c.clone().unwrap_or_else(|| data_dir.join("checkpoints")),
            ),
            (true, Some(k), Some(c)) => (k.clone(), c.clone()),
            (true, None, _) => bail!(
                "--audit-key-dir (AIRLOCK_AUDIT_KEY_DIR) is required with --database: the audit keys must live outside the database"
            ),
            (true, _, None) => bail!(
                "--checkpoint-dir (AIRLOCK_CHECKPOINT_DIR) is required with --database: checkpoints must live outside the database"
            ),
        };
        let ring = KeyRing::open_or_create(&keys)?;
        Ok(AuditTrail::new(ring, Some(checkpoints)))
    }
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Verify every session's chain and every checkpoint; exits non-zero on any failure.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
        /// A folder of audit keys (repeat for replicas with their own; default
        /// `<data-dir>/keys` on SQLite, AIRLOCK_AUDIT_KEY_DIR).
        #[arg(long = "key-dir", env = "AIRLOCK_AUDIT_KEY_DIR", value_delimiter = ',')]
        key_dirs: Vec<PathBuf>,
        /// The checkpoint folder (default `<data-dir>/checkpoints` on SQLite,
        /// AIRLOCK_CHECKPOINT_DIR).
        #[arg(long, env = "AIRLOCK_CHECKPOINT_DIR")]
        checkpoints: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Verify a check answer's receipt (a file, or `-` for standard input).
    VerifyReceipt {
        #[arg(long)]
        receipt: String,
        /// The public key (base64url of its 32 raw bytes). Base64url may begin with `-`,
        /// so a value that looks like a flag is still taken as the key.
        #[arg(long, conflicts_with = "url", allow_hyphen_values = true)]
        public_key: Option<String>,
        /// An Airlock to fetch the public keys from (`GET /api/v1/audit/public-key`).
        #[arg(long)]
        url: Option<String>,
    },
    /// Make a new audit key current; old keys stay so old entries still verify.
    RotateKey {
        /// The key folder (default `<data-dir>/keys`).
        #[arg(long = "key-dir", env = "AIRLOCK_AUDIT_KEY_DIR")]
        key_dir: Option<PathBuf>,
        #[arg(long, env = "AIRLOCK_DATA_DIR", default_value = crate::default_data_dir())]
        data_dir: PathBuf,
    },
}

pub fn run(command: AuditCommand) -> ExitCode {
    let result = match command {
        AuditCommand::Verify {
            store,
            key_dirs,
            checkpoints,
            json,
        } => verify(&store, key_dirs, checkpoints, json),
        AuditCommand::VerifyReceipt {
            receipt,
            public_key,
            url,
        } => verify_receipt(&receipt, public_key, url),
        AuditCommand::RotateKey { key_dir, data_dir } => {
            let dir = key_dir.unwrap_or_else(|| data_dir.join("keys"));
            KeyRing::rotate(&dir)
                .map(|id| {
                    println!(
                        "new current audit key {id} in {} (restart the servers to use it)",
                        dir.display()
                    );
                    true
                })
                .map_err(Into::into)
        }
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("airlock: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// One failing session or checkpoint file.
#[derive(serde::Serialize)]
struct Failure {
    org_id: String,
    session_id: String,
    first_bad_seq: Option<u64>,
    error: String,
}

fn verify(
    store_args: &StoreArgs,
    key_dirs: Vec<PathBuf>,
    checkpoints: Option<PathBuf>,
    json_out: bool,
) -> anyhow::Result<bool> {
    let sqlite = store_args.database_url.is_none();
    let key_dirs = match (key_dirs.is_empty(), sqlite) {
        (false, _) => key_dirs,
        (true, true) => vec![store_args.data_dir.join("keys")],
        (true, false) => bail!("--key-dir (AIRLOCK_AUDIT_KEY_DIR) is required with --database"),
    };
    let mut keys: Option<KeyRing> = None;
    for dir in &key_dirs {
        let ring = KeyRing::load(dir)?;
        match &mut keys {
            Some(k) => k.merge(ring),
            None => keys = Some(ring),
        }
    }
    let keys = keys.ok_or_else(|| anyhow!("no audit key folder"))?;
    let checkpoint_dir =
        checkpoints.or_else(|| sqlite.then(|| store_args.data_dir.join("checkpoints")));
    // Checkpoints first: the chains read after them are never older.
    let log = match &checkpoint_dir {
        Some(dir) => {
            let k = keys.clone();
            checkpoint::read_dir(dir, &move |id| k.get(id).map(|x| x.public()))
                .with_context(|| format!("cannot read checkpoints in {}", dir.display()))?
        }
        None => {
            eprintln!(
                "warning: no checkpoint folder given: truncations and deleted sessions cannot be found"
            );
            CheckpointLog::default()
        }
    };
    if sqlite && !store_args.data_dir.exists() {
        bail!("no data directory {}", store_args.data_dir.display());
    }
    let store = Store::open_backend(&store_args.backend(), Options { migrate: false })
        .with_context(|| format!("cannot open the store {}", store_args.backend().describe()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (reports, failures) = runtime.block_on(verify_all(&store, &log, &keys))?;
    let sessions = reports.len();
    let entries: u64 = reports.iter().map(|(_, _, r)| r.entries).sum();
    let legacy: u64 = reports.iter().map(|(_, _, r)| r.legacy_entries).sum();
    let mut all_failures: Vec<Failure> = log
        .failures
        .iter()
        .map(|f| Failure {
            org_id: String::new(),
            session_id: String::new(),
            first_bad_seq: None,
            error: format!("checkpoint {}#{}: {}", f.file, f.seq, f.error),
        })
        .collect();
    all_failures.extend(failures);
    let ok = all_failures.is_empty();
    if json_out {
        let v = json!({
            "valid": ok,
            "sessions": sessions,
            "entries": entries,
            "legacy_entries": legacy,
            "checkpoints": log.checkpoints,
            "checkpoint_files": log.files,
            "failures": all_failures,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        for f in &all_failures {
            if f.session_id.is_empty() {
                println!("FAIL {}", f.error);
            } else {
                println!(
                    "FAIL session {} (org {}) at entry {}: {}",
                    f.session_id,
                    f.org_id,
                    f.first_bad_seq.map_or("-".into(), |s| s.to_string()),
                    f.error
                );
            }
        }
        println!(
            "{}: {sessions} sessions, {entries} entries ({legacy} legacy), {} checkpoints in {} files, {} failures",
            if ok { "ok" } else { "FAILED" },
            log.checkpoints,
            log.files,
            all_failures.len()
        );
    }
    Ok(ok)
}

type Reports = Vec<(String, String, SessionReport)>;

async fn verify_all(
    store: &Store,
    log: &CheckpointLog,
    keys: &KeyRing,
) -> anyhow::Result<(Reports, Vec<Failure>)> {
    let (heads, with_decisions) = store
        .run(|tx| Ok((tx.session_heads()?, tx.decision_sessions()?)))
        .await?;
    let mut all: BTreeSet<(String, String)> = with_decisions.into_iter().collect();
    all.extend(heads.iter().map(|h| (h.org_id.clone(), h.id.clone())));
    all.extend(log.claims.keys().cloned());
    let mut reports = Vec::new();
    let mut failures = Vec::new();
    for (org, id) in all {
        let claims = log
            .claims
            .get(&(org.clone(), id.clone()))
            .cloned()
            .unwrap_or_default();
        // A running server may append between two reads: a failing session is read again
        // once before it is reported.
        let mut report = None;
        for _ in 0..2 {
            let (o, i) = (org.clone(), id.clone());
            let (session, decisions) = store
                .run(move |tx| Ok((tx.session_head(&o, &i)?, tx.decisions(&o, &i, 0, u64::MAX)?)))
                .await?;
            let r = verify_session(session.as_ref(), &decisions, &claims, keys);
            let valid = r.valid;
            report = Some(r);
            if valid {
                break;
            }
        }
        let Some(r) = report else { continue };
        if !r.valid {
            failures.push(Failure {
                org_id: org.clone(),
                session_id: id.clone(),
                first_bad_seq: r.first_bad_seq,
                error: r.error.clone().unwrap_or_default(),
            });
        }
        reports.push((org, id, r));
    }
    Ok((reports, failures))
}

fn verify_receipt(
    source: &str,
    public_key: Option<String>,
    url: Option<String>,
) -> anyhow::Result<bool> {
    let mut text = String::new();
    if source == "-" {
        std::io::stdin().read_to_string(&mut text)?;
    } else {
        text = std::fs::read_to_string(source).with_context(|| format!("cannot read {source}"))?;
    }
    let keys: Vec<(Option<String>, airlock_audit::VerifyingKey)> = match (public_key, url) {
        (Some(k), _) => vec![(
            None,
            airlock_audit::keys::parse_public_key(&k)
                .ok_or_else(|| anyhow!("--public-key is not a base64url Ed25519 public key"))?,
        )],
        (None, Some(url)) => fetch_keys(&url)?,
        (None, None) => bail!("give --public-key or --url"),
    };
    let found = airlock_audit::receipt::verify(&text, |id| {
        keys.iter()
            .find(|(kid, _)| kid.as_deref().is_none_or(|k| k == id))
            .map(|(_, k)| *k)
    });
    match found {
        Ok(r) => {
            println!(
                "valid receipt: check {} session {} entry {} allowed={} effect={} key {}",
                r.check_id, r.session_id, r.seq, r.allowed, r.effect, r.key_id
            );
            Ok(true)
        }
        Err(e) => {
            println!("INVALID receipt: {e}");
            Ok(false)
        }
    }
}

fn fetch_keys(url: &str) -> anyhow::Result<Vec<(Option<String>, airlock_audit::VerifyingKey)>> {
    let client = airlock_mcp::remote::Client::new(url, "public", Duration::from_secs(10))
        .map_err(|e| anyhow!("--url: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let v: Value = runtime
        .block_on(client.get("/api/v1/audit/public-key"))
        .map_err(|e| anyhow!("cannot fetch the public keys: {e}"))?;
    let list = v
        .get("keys")
        .and_then(Value::as_array)
        .ok_or_else(|| anyhow!("the answer has no `keys`"))?;
    let mut out = Vec::new();
    for k in list {
        let id = k.get("key_id").and_then(Value::as_str).unwrap_or_default();
        let public = k
            .get("public_key")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if let Some(key) = airlock_audit::keys::parse_public_key(public) {
            out.push((Some(id.to_string()), key));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::AuditCommand;
    use clap::Parser;

    #[derive(Parser)]
    struct Audit {
        #[command(subcommand)]
        command: AuditCommand,
    }

    fn public_key_of(key: &str) -> Option<String> {
        let args = [
            "audit",
            "verify-receipt",
            "--receipt",
            "r.json",
            "--public-key",
            key,
        ];
        match Audit::try_parse_from(args).ok()?.command {
            AuditCommand::VerifyReceipt { public_key, .. } => public_key,
            _ => None,
        }
    }

    // A base64url key begins with `-` one time in 64; it must not be read as a flag.
    #[test]
    fn a_public_key_that_begins_with_a_hyphen_is_taken_as_the_key() {
        let key = "-0Gq2m3XH1w3eVbq1Qm7pA1Z0d9z8Yh2bH6c5Jx4kOE";
        assert_eq!(public_key_of(key).as_deref(), Some(key));
        assert_eq!(public_key_of("abc").as_deref(), Some("abc"));
    }
}
