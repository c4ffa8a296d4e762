#![cfg_attr(not(test), deny(clippy::indexing_slicing))]
//! The Airlock service: the decision pipeline wired to the store ([`service`]), and the axum
//! HTTP API over it ([`router`]).

pub mod auth;
mod body;
pub mod config;
pub mod error;
pub mod extract;
pub mod metrics;
pub mod otel;
pub mod params;
mod routes;
pub mod service;
pub mod view;

use chrono::Utc;

use airlock_store::model::{ApiKey, Org};
use airlock_store::{StoreError, Tx};

pub use auth::KeyRole;
pub use config::{Config, ConfigError, RawConfig, Setting, settings};
pub use routes::{ApiDoc, openapi_document, router};
pub use service::Service;

/// What bootstrapping did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bootstrap {
    /// The store already had organizations and nothing was added.
    Existing,
    /// A first organization was created; its key is shown once.
    Created {
        org: String,
        key: String,
        generated: bool,
    },
    /// The given bootstrap key was added to the first organization.
    KeyAdded { org: String },
}

/// On an empty store, creates the first organization and its API key: `bootstrap_key` if
/// given, else a new one. With a store that has organizations, a given key that is not yet
/// known is added to the first one, so scripts can rely on it.
pub fn bootstrap(tx: &mut dyn Tx, bootstrap_key: Option<&str>) -> Result<Bootstrap, StoreError> {
    let now = Utc::now();
    if tx.org_count()? == 0 {
        let org = Org {
            id: auth::new_id("org"),
            name: "default".into(),
            default_mode: "read_only".into(),
            created_at: now,
        };
        tx.insert_org(&org)?;
        let (key, generated) = match bootstrap_key {
            Some(k) => (k.to_string(), false),
            None => (auth::new_secret(auth::KEY_PREFIX), true),
        };
        tx.insert_api_key(&new_key_row(&org.id, &key, "bootstrap", KeyRole::Admin))?;
        return Ok(Bootstrap::Created {
            org: org.name,
            key,
            generated,
        });
    }
    if let Some(key) = bootstrap_key
        && tx.api_key_by_hash(&auth::hash_secret(key))?.is_none()
    {
        let first = tx.list_api_keys(None)?.into_iter().next().map(|k| k.org_id);
        let org = match first {
            Some(id) => tx.org(&id)?,
            None => tx.org_by_name("default")?,
        };
        if let Some(org) = org {
            tx.insert_api_key(&new_key_row(&org.id, key, "bootstrap", KeyRole::Admin))?;
            return Ok(Bootstrap::KeyAdded { org: org.name });
        }
    }
    Ok(Bootstrap::Existing)
}

/// The stored form of a new key: its hash, never the key.
pub fn new_key_row(org_id: &str, key: &str, name: &str, role: KeyRole) -> ApiKey {
    ApiKey {
        id: auth::new_id("key"),
        org_id: org_id.to_string(),
        hash: auth::hash_secret(key),
        prefix: key.chars().take(14).collect(),
        name: name.to_string(),
        created_at: Utc::now(),
        revoked_at: None,
        role: role.as_str().to_string(),
    }
}

/// Creates an API key for the organization `org_name`, creating the organization if it is
/// new. Returns the key, shown once.
pub fn create_key(
    tx: &mut dyn Tx,
    org_name: &str,
    name: &str,
    role: KeyRole,
) -> Result<String, StoreError> {
    let org = match tx.org_by_name(org_name)? {
        Some(o) => o,
        None => {
            let o = Org {
                id: auth::new_id("org"),
                name: org_name.to_string(),
                default_mode: "read_only".into(),
                created_at: Utc::now(),
            };
            tx.insert_org(&o)?;
            o
        }
    };
    let key = auth::new_secret(auth::KEY_PREFIX);
    tx.insert_api_key(&new_key_row(&org.id, &key, name, role))?;
    Ok(key)
}
