//! Spot Guard policies: an organization's Cedar policies, validated against the Airlock schema
//! before they are stored, every change kept as a version with who and when; and the cache of
//! compiled policy sets the check reads (docs/policies.md).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::Utc;

use airlock_policy::{PolicySet, StoredPolicy};
use airlock_store::model::{Policy, PolicyVersion};
use airlock_store::{StoreError, Tx};

use super::{Caller, InvalidKind, Service, ServiceError, validate};
use crate::auth::new_id;

/// Longest policy description.
pub const MAX_DESCRIPTION: usize = 1024;
/// Most policies an organization keeps.
pub const MAX_POLICIES: usize = 10_000;
/// Most organizations whose compiled policies are cached at once.
const MAX_CACHED_ORGS: usize = 1024;

/// A policy to create.
#[derive(Debug, Clone, Default)]
pub struct NewPolicy {
    /// Empty: an id is generated.
    pub id: String,
    pub description: String,
    pub text: String,
    /// `enforce` (default) or `log_only`.
    pub mode: Option<String>,
}

/// A change of a policy; each field optional.
#[derive(Debug, Clone, Default)]
pub struct PolicyUpdate {
    pub description: Option<String>,
    pub text: Option<String>,
    pub mode: Option<String>,
}

/// A policy with its versions, oldest first.
#[derive(Debug, Clone)]
pub struct PolicyDetail {
    pub policy: Policy,
    pub versions: Vec<PolicyVersion>,
}

/// Compiled policy sets per organization, each tagged with the policy generation it was
/// built at. The generation is read in the check's own transaction, so a change made through
/// any replica is seen by every replica on its next request.
///
/// A generation read in a transaction that also holds an uncommitted policy change (a check
/// run in the same batch after it) may never be committed: rolled back, its number is taken by
/// the next change, with other policies. So nothing is cached for an organization while one of
/// its changes is on its way through this process's store ([`PolicyCache::changing`]).
#[derive(Default)]
pub struct PolicyCache {
    inner: Mutex<Cached>,
}

#[derive(Default)]
struct Cached {
    sets: HashMap<String, (u64, Arc<PolicySet>)>,
    /// Policy changes per organization queued, running or not yet committed here.
    changing: HashMap<String, usize>,
}

/// Held by a policy change's store request from before it is queued until it is dropped,
/// after its transaction committed or rolled back: meanwhile its organization's sets are
/// used but not cached.
pub(crate) struct PolicyChange {
    cache: Arc<PolicyCache>,
    org: String,
}

impl Drop for PolicyChange {
    fn drop(&mut self) {
        let mut inner = self.cache.lock();
        if let Some(n) = inner.changing.get_mut(&self.org) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                inner.changing.remove(&self.org);
            }
        }
    }
}

impl PolicyCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Cached> {
        // The maps stay consistent whatever a panicking holder did: each change is one insert
        // or one removal.
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Marks a policy change of `org` as on its way; to be moved into its store request.
    pub(crate) fn changing(self: &Arc<Self>, org: &str) -> PolicyChange {
        *self.lock().changing.entry(org.to_string()).or_default() += 1;
        PolicyChange {
            cache: self.clone(),
            org: org.to_string(),
        }
    }

    /// The organization's compiled policies at `generation`, built from the store on a miss.
    pub(crate) fn get(
        &self,
        tx: &mut dyn Tx,
        org: &str,
        generation: u64,
    ) -> Result<Arc<PolicySet>, StoreError> {
        if let Some((g, set)) = self.lock().sets.get(org)
            && *g == generation
        {
            return Ok(set.clone());
        }
        let stored = tx.policies(org)?;
        let set = Arc::new(PolicySet::build(stored.iter().map(|p| StoredPolicy {
            id: &p.id,
            text: &p.text,
            log_only: p.mode == "log_only",
        })));
        let mut inner = self.lock();
        if !inner.changing.contains_key(org) {
            if inner.sets.len() >= MAX_CACHED_ORGS && !inner.sets.contains_key(org) {
                inner.sets.clear();
            }
            inner
                .sets
                .insert(org.to_string(), (generation, set.clone()));
        }
        Ok(set)
    }
}

fn mode(value: Option<&str>) -> Result<String, ServiceError> {
    match value.map(str::trim) {
        None | Some("") | Some("enforce") => Ok("enforce".into()),
        Some("log_only") => Ok("log_only".into()),
        Some(other) => Err(ServiceError::invalid_as(
            "mode",
            InvalidKind::Mode,
            format!(
                "`mode` must be `enforce` or `log_only`, not `{}`",
                super::clip(other, 40)
            ),
        )),
    }
}

fn checked_text(text: &str) -> Result<String, ServiceError> {
    // Newlines and tabs are part of a policy text; Cedar itself judges the rest.
    if text.trim().is_empty() {
        return Err(ServiceError::invalid_as(
            "text",
            InvalidKind::Missing,
            "`text` is required",
        ));
    }
    if text.len() > airlock_policy::MAX_TEXT {
        return Err(ServiceError::invalid(
            "text",
            format!("`text` is longer than {} bytes", airlock_policy::MAX_TEXT),
        ));
    }
    airlock_policy::validate(text).map_err(|e| {
        ServiceError::invalid_as("text", InvalidKind::Policy, format!("invalid policy: {e}"))
    })?;
    Ok(text.to_string())
}

fn version_of(p: &Policy, change: &str) -> PolicyVersion {
    PolicyVersion {
        org_id: p.org_id.clone(),
        policy_id: p.id.clone(),
        version: p.version,
        change: change.into(),
        description: p.description.clone(),
        text: p.text.clone(),
        mode: p.mode.clone(),
        changed_by: p.updated_by.clone(),
        changed_at: p.updated_at,
    }
}

/// The next version number of a policy id (versions continue after a deletion).
fn next_version(tx: &mut dyn Tx, org: &str, id: &str) -> Result<u64, StoreError> {
    Ok(tx
        .policy_versions(org, id)?
        .last()
        .map_or(1, |v| v.version + 1))
}

impl Service {
    /// The schema policies are validated against (Cedar schema text).
    pub fn policy_schema(&self) -> &'static str {
        airlock_policy::SCHEMA
    }

    /// Validates and stores a new policy (version 1, or the next after a deleted one).
    pub async fn create_policy(
        &self,
        caller: &Caller,
        new: NewPolicy,
    ) -> Result<Policy, ServiceError> {
        caller.require_admin("manage policies")?;
        let id = if new.id.trim().is_empty() {
            new_id("pol")
        } else {
            validate::id("id", &new.id)?.to_string()
        };
        let description =
            validate::optional_text("description", &new.description, MAX_DESCRIPTION)?.to_string();
        let mode = mode(new.mode.as_deref())?;
        let text = checked_text(&new.text)?;
        let org = caller.org_id.clone();
        let who = caller.key_id.clone();
        let change = self.policy_cache.changing(&org);
        self.store()
            .run(move |tx| {
                let _held = &change;
                if tx.policy(&org, &id)?.is_some() {
                    return Ok(Err(ServiceError::Conflict(format!(
                        "policy `{id}` already exists: update it with PUT"
                    ))));
                }
                if tx.policies(&org)?.len() >= MAX_POLICIES {
                    return Ok(Err(ServiceError::Conflict(format!(
                        "an organization keeps at most {MAX_POLICIES} policies"
                    ))));
                }
                let now = Utc::now();
                let policy = Policy {
                    version: next_version(tx, &org, &id)?,
                    org_id: org.clone(),
                    id: id.clone(),
                    description: description.clone(),
                    text: text.clone(),
                    mode: mode.clone(),
                    created_at: now,
                    updated_at: now,
                    updated_by: who.clone(),
                };
                tx.put_policy(&policy)?;
                tx.insert_policy_version(&version_of(&policy, "created"))?;
                tx.bump_policy_generation(&org)?;
                Ok(Ok(policy))
            })
            .await?
    }

    pub async fn policies(&self, caller: &Caller) -> Result<Vec<Policy>, ServiceError> {
        let org = caller.org_id.clone();
        Ok(self.store().run(move |tx| tx.policies(&org)).await?)
    }

    /// A policy and its versions (404 if it is not in the caller's organization).
    pub async fn policy(&self, caller: &Caller, id: &str) -> Result<PolicyDetail, ServiceError> {
        let org = caller.org_id.clone();
        let id = validate::id("id", id)?.to_string();
        self.store()
            .run(move |tx| {
                let Some(policy) = tx.policy(&org, &id)? else {
                    return Ok(Err(ServiceError::not_found("policy", &id)));
                };
                let versions = tx.policy_versions(&org, &id)?;
                Ok(Ok(PolicyDetail { policy, versions }))
            })
            .await?
    }

    /// Changes a policy: a new version, validated like a new policy.
    pub async fn update_policy(
        &self,
        caller: &Caller,
        id: &str,
        update: PolicyUpdate,
    ) -> Result<Policy, ServiceError> {
        caller.require_admin("manage policies")?;
        let id = validate::id("id", id)?.to_string();
        let description = update
            .description
            .map(|d| {
                validate::optional_text("description", &d, MAX_DESCRIPTION)?;
                Ok::<_, ServiceError>(d)
            })
            .transpose()?;
        let mode = update.mode.map(|m| mode(Some(&m))).transpose()?;
        let text = update.text.map(|t| checked_text(&t)).transpose()?;
        let org = caller.org_id.clone();
        let who = caller.key_id.clone();
        let change = self.policy_cache.changing(&org);
        self.store()
            .run(move |tx| {
                let _held = &change;
                let Some(mut policy) = tx.policy(&org, &id)? else {
                    return Ok(Err(ServiceError::not_found("policy", &id)));
                };
                policy.version = next_version(tx, &org, &id)?;
                policy.description = description.clone().unwrap_or(policy.description);
                policy.mode = mode.clone().unwrap_or(policy.mode);
                policy.text = text.clone().unwrap_or(policy.text);
                policy.updated_at = Utc::now();
                policy.updated_by = who.clone();
                tx.put_policy(&policy)?;
                tx.insert_policy_version(&version_of(&policy, "updated"))?;
                tx.bump_policy_generation(&org)?;
                Ok(Ok(policy))
            })
            .await?
    }

    /// Deletes a policy; its versions are kept, with a `deleted` one last.
    pub async fn delete_policy(&self, caller: &Caller, id: &str) -> Result<(), ServiceError> {
        caller.require_admin("manage policies")?;
        let id = validate::id("id", id)?.to_string();
        let org = caller.org_id.clone();
        let who = caller.key_id.clone();
        let change = self.policy_cache.changing(&org);
        self.store()
            .run(move |tx| {
                let _held = &change;
                let Some(mut policy) = tx.policy(&org, &id)? else {
                    return Ok(Err(ServiceError::not_found("policy", &id)));
                };
                tx.delete_policy(&org, &id)?;
                policy.version = next_version(tx, &org, &id)?;
                policy.updated_at = Utc::now();
                policy.updated_by = who.clone();
                tx.insert_policy_version(&version_of(&policy, "deleted"))?;
                tx.bump_policy_generation(&org)?;
                Ok(Ok(()))
            })
            .await?
    }
}

#[cfg(test)]
#[path = "policies_tests.rs"]
mod tests;
