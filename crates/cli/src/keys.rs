//! `airlock keys create|list|revoke` and `airlock migrate`, against the embedded store or a
//! PostgreSQL database (`--database URL` or `AIRLOCK_DATABASE_URL`).

use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::Utc;
use clap::{Args, Subcommand};

use airlock_store::{Backend, Options, Store};

/// Which store a command works on: PostgreSQL if a URL is given, else SQLite in `--data-dir`.
#[derive(Args, Debug, Clone)]
pub struct StoreArgs {
    /// Where the embedded store lives.
    #[arg(long, env = "AIRLOCK_DATA_DIR", default_value = crate::default_data_dir())]
    pub data_dir: PathBuf,
    /// A PostgreSQL URL (`postgres://user:password@host/db`) instead of the embedded store.
    #[arg(
        long = "database",
        env = "AIRLOCK_DATABASE_URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,
}

impl StoreArgs {
    pub fn backend(&self) -> Backend {
        Backend::from_args(self.database_url.as_deref(), &self.data_dir)
    }
}

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
        /// `admin` manages the organization and decides approvals; `agent` is for the code an
        /// agent runs: it asks for decisions but cannot approve its own requests.
        #[arg(long, default_value = "admin", value_parser = ["admin", "agent"])]
        role: String,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// List API keys (prefixes only: keys are stored hashed).
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Revoke an API key by its id or prefix.
    Revoke {
        /// The key's id (`key_…`) or its prefix as `keys list` shows it.
        key: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// The embedded store migrates itself for a command; a PostgreSQL database shared by replicas
/// is only migrated by `airlock migrate`.
fn options(backend: &Backend) -> Options {
    Options {
        migrate: matches!(backend, Backend::Sqlite(_)),
    }
}

pub fn run(command: KeysCommand) -> anyhow::Result<()> {
    match command {
        KeysCommand::Create {
            org,
            name,
            role,
            store,
        } => {
            let role =
                airlock_server::KeyRole::parse(&role).unwrap_or(airlock_server::KeyRole::Agent);
            let backend = store.backend();
            let org = org.trim().to_string();
            if org.is_empty() || org.len() > 256 {
                bail!("--org must be 1 to 256 bytes");
            }
            let key = Store::run_blocking(&backend, options(&backend), |tx| {
                airlock_server::create_key(tx, &org, &name, role)
            })
            .with_context(|| format!("cannot create a key in {}", backend.describe()))?;
            println!("{key}");
        }
        KeysCommand::List { store } => {
            let backend = store.backend();
            let rows = Store::run_blocking(&backend, options(&backend), |tx| {
                let keys = tx.list_api_keys(None)?;
                let mut rows = Vec::new();
                for k in keys {
                    let org = tx.org(&k.org_id)?.map(|o| o.name).unwrap_or_default();
                    rows.push((k, org));
                }
                Ok(rows)
            })?;
            println!(
                "{:<38} {:<16} {:<12} {:<10} {:<6} {:<28} status",
                "id", "prefix", "org", "name", "role", "created"
            );
            for (k, org) in rows {
                let status = if k.revoked_at.is_some() {
                    "revoked"
                } else {
                    "active"
                };
                println!(
                    "{:<38} {:<16} {:<12} {:<10} {:<6} {:<28} {status}",
                    k.id,
                    format!("{}…", k.prefix),
                    org,
                    k.name,
                    k.role,
                    airlock_store::model::ts(k.created_at)
                );
            }
        }
        KeysCommand::Revoke { key, store } => {
            let backend = store.backend();
            let key = key.trim().trim_end_matches('…').to_string();
            // A whole key (pasted during an incident) is found by its hash; it is never printed.
            let whole = key.starts_with(airlock_server::auth::KEY_PREFIX) && key.len() > 14;
            let hash = airlock_server::auth::hash_secret(&key);
            let revoked = Store::run_blocking(&backend, options(&backend), |tx| {
                let target = if whole {
                    tx.api_key_by_hash(&hash)?.map(|k| k.id)
                } else {
                    Some(key.clone())
                };
                match target {
                    Some(id) => Ok(tx.revoke_api_key(&id, Utc::now())?.then_some(id)),
                    None => Ok(None),
                }
            })?;
            let shown = if whole {
                format!("{}…", &key[..14])
            } else {
                key.clone()
            };
            let Some(id) = revoked else {
                bail!("no active key with id, prefix or value `{shown}`");
            };
            println!("revoked {id}");
        }
    }
    Ok(())
}

/// `airlock migrate`: applies pending migrations (safe to run from several places at once).
pub fn migrate(store: &StoreArgs) -> anyhow::Result<()> {
    let backend = store.backend();
    let applied = backend
        .migrate()
        .with_context(|| format!("cannot migrate {}", backend.describe()))?;
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
