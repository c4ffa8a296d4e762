//! `airlock keys create|list|revoke` and `airlock migrate`, against the embedded store.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use chrono::Utc;
use clap::Subcommand;

use airlock_store::{Options, Store};

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Create an API key (and the organization if it is new); prints the key alone.
    Create {
        /// The organization's name.
        #[arg(long, default_value = "default")]
        org: String,
        /// A label for the key.
        #[arg(long, default_value = "cli")]
        name: String,
        #[arg(long, env = "AIRLOCK_DATA_DIR", default_value = crate::default_data_dir())]
        data_dir: PathBuf,
    },
    /// List API keys (prefixes only: keys are stored hashed).
    List {
        #[arg(long, env = "AIRLOCK_DATA_DIR", default_value = crate::default_data_dir())]
        data_dir: PathBuf,
    },
    /// Revoke an API key by its id or prefix.
    Revoke {
        /// The key's id (`key_…`) or its prefix as `keys list` shows it.
        key: String,
        #[arg(long, env = "AIRLOCK_DATA_DIR", default_value = crate::default_data_dir())]
        data_dir: PathBuf,
    },
}

const MIGRATE: Options = Options { migrate: true };

pub fn run(command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Create {
            org,
            name,
            data_dir,
        } => {
            let org = org.trim().to_string();
            if org.is_empty() || org.len() > 256 {
                bail!("--org must be 1 to 256 bytes");
            }
            let key = Store::run_blocking(&data_dir, MIGRATE, |tx| {
                airlock_server::create_key(tx, &org, &name)
            })
            .with_context(|| format!("cannot create a key in {}", data_dir.display()))?;
            println!("{key}");
        }
        KeysCommand::List { data_dir } => {
            let rows = Store::run_blocking(&data_dir, MIGRATE, |tx| {
                let keys = tx.list_api_keys(None)?;
                let mut rows = Vec::new();
                for k in keys {
                    let org = tx.org(&k.org_id)?.map(|o| o.name).unwrap_or_default();
                    rows.push((k, org));
                }
                Ok(rows)
            })?;
            println!(
                "{:<38} {:<16} {:<12} {:<10} {:<28} status",
                "id", "prefix", "org", "name", "created"
            );
            for (k, org) in rows {
                let status = if k.revoked_at.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                println!(
                    "{:<38} {:<16} {:<12} {:<10} {:<28} {status}",
                    k.id,
                    format!("{}…", k.prefix),
                    org,
                    k.name,
                    airlock_store::model::ts(k.created_at)
                );
            }
        }
        KeysCommand::Revoke { key, data_dir } => {
            let key = key.trim_end_matches('…').to_string();
            let done =
                Store::run_blocking(&data_dir, MIGRATE, |tx| tx.revoke_api_key(&key, Utc::now()))?;
            if !done {
                bail!("no active key with id or prefix `{key}`");
            }
            println!("revoked {key}");
        }
    }
    Ok(())
}

pub fn migrate(data_dir: &Path) -> anyhow::Result<()> {
    let applied = airlock_store::migrate_path(data_dir)
        .with_context(|| format!("cannot migrate {}", data_dir.display()))?;
    if applied.is_empty() {
        println!(
            "schema is up to date (version {})",
            airlock_store::SCHEMA_VERSION
        );
    } else {
        println!(
            "applied migrations {applied:?}; schema version {}",
            airlock_store::SCHEMA_VERSION
        );
    }
    Ok(())
}
