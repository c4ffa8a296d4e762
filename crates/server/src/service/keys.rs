//! The organization's API keys: list, create (the key is answered once), revoke. Admin keys
//! only, always within the caller's organization.

use chrono::{DateTime, Utc};

use super::{Service, ServiceError};
use crate::auth::{Caller, KEY_PREFIX, KeyRole, new_secret};

/// Longest key name.
pub const MAX_KEY_NAME: usize = 100;

/// An API key as a list shows it: never the key or its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyInfo {
    pub id: String,
    /// The first characters of the key, to recognise it.
    pub prefix: String,
    pub name: String,
    pub role: KeyRole,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

fn info(k: airlock_store::model::ApiKey) -> KeyInfo {
    KeyInfo {
        role: KeyRole::parse(&k.role).unwrap_or(KeyRole::Agent),
        id: k.id,
        prefix: k.prefix,
        name: k.name,
        created_at: k.created_at,
        revoked_at: k.revoked_at,
    }
}

impl Service {
    /// The organization's keys, oldest first.
    pub async fn api_keys(&self, caller: &Caller) -> Result<Vec<KeyInfo>, ServiceError> {
        caller.require_admin("list API keys")?;
        let org = caller.org_id.clone();
        let keys = self
            .store()
            .run(move |tx| tx.list_api_keys(Some(&org)))
            .await?;
        Ok(keys.into_iter().map(info).collect())
    }

    /// Creates a key in the caller's organization; answers the key itself (shown once, never
    /// stored) and its listing.
    pub async fn create_api_key(
        &self,
        caller: &Caller,
        name: &str,
        role: KeyRole,
    ) -> Result<(String, KeyInfo), ServiceError> {
        caller.require_admin("create API keys")?;
        let name = name.trim();
        if name.is_empty() {
            return Err(ServiceError::invalid_as(
                "name",
                super::InvalidKind::Missing,
                "give the key a name",
            ));
        }
        if name.len() > MAX_KEY_NAME || name.chars().any(char::is_control) {
            return Err(ServiceError::invalid(
                "name",
                format!("a key name is at most {MAX_KEY_NAME} bytes without control characters"),
            ));
        }
        let key = new_secret(KEY_PREFIX);
        let row = crate::new_key_row(&caller.org_id, &key, name, role);
        let stored = row.clone();
        self.store()
            .run(move |tx| tx.insert_api_key(&stored))
            .await?;
        Ok((key, info(row)))
    }

    /// Revokes one of the organization's keys. The key the caller is using cannot be revoked
    /// this way (it would lock the caller out mid-request; revoke it from another key).
    pub async fn revoke_api_key(&self, caller: &Caller, id: &str) -> Result<KeyInfo, ServiceError> {
        caller.require_admin("revoke API keys")?;
        if id == caller.key_id {
            return Err(ServiceError::Conflict(
                "this is the key you are signed in with; revoke it from another admin key".into(),
            ));
        }
        let (org, id) = (caller.org_id.clone(), id.to_string());
        let now = Utc::now();
        let found = self
            .store()
            .run(move |tx| {
                let Some(key) = tx
                    .list_api_keys(Some(&org))?
                    .into_iter()
                    .find(|k| k.id == id)
                else {
                    return Ok(Err(ServiceError::not_found("API key", &id)));
                };
                if key.revoked_at.is_some() {
                    return Ok(Err(ServiceError::Conflict(
                        "this key is already revoked".into(),
                    )));
                }
                tx.revoke_org_api_key(&org, &key.id, now)?;
                Ok(Ok(airlock_store::model::ApiKey {
                    revoked_at: Some(now),
                    ..key
                }))
            })
            .await??;
        Ok(info(found))
    }
}
