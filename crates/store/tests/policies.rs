//! The store contract for Spot Guard policies, on SQLite and PostgreSQL (as `contract.rs`).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use airlock_store::model::*;
use chrono::{DateTime, SubsecRound, Utc};
use common::Fresh;

fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

fn policy(org: &str, id: &str, version: u64, text: &str) -> Policy {
    Policy {
        org_id: org.into(),
        id: id.into(),
        description: "d".into(),
        text: text.into(),
        mode: "enforce".into(),
        version,
        created_at: now(),
        updated_at: now(),
        updated_by: "key_1".into(),
    }
}

fn version(p: &Policy, change: &str) -> PolicyVersion {
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

contract!(
    policies_versions_and_generation,
    |fresh: Fresh| async move {
        let store = fresh.open();
        store
            .run(|tx| {
                assert_eq!(tx.policy_generation("o1")?, 0);
                let p1 = policy("o1", "p", 1, "forbid (principal, action, resource);");
                tx.put_policy(&p1)?;
                tx.insert_policy_version(&version(&p1, "created"))?;
                tx.bump_policy_generation("o1")?;
                let mut p2 = policy("o1", "p", 2, "permit (principal, action, resource);");
                // An update keeps the creation time.
                p2.created_at = p1.created_at;
                tx.put_policy(&p2)?;
                tx.insert_policy_version(&version(&p2, "updated"))?;
                tx.bump_policy_generation("o1")?;
                assert_eq!(tx.policy_generation("o1")?, 2);
                assert_eq!(
                    tx.policy_generation("o2")?,
                    0,
                    "generations are per organization"
                );
                assert_eq!(tx.policy("o1", "p")?, Some(p2.clone()));
                assert_eq!(tx.policy("o2", "p")?, None, "nothing crosses organizations");
                assert!(tx.policies("o2")?.is_empty());
                assert_eq!(tx.policies("o1")?, vec![p2.clone()]);
                assert!(!tx.delete_policy("o2", "p")?);
                assert!(tx.delete_policy("o1", "p")?);
                tx.insert_policy_version(&version(
                    &PolicyVersion {
                        ..version(&p2, "deleted")
                    }
                    .into_policy(3),
                    "deleted",
                ))?;
                assert!(tx.policy("o1", "p")?.is_none());
                let versions = tx.policy_versions("o1", "p")?;
                assert_eq!(
                    versions
                        .iter()
                        .map(|v| (v.version, v.change.as_str()))
                        .collect::<Vec<_>>(),
                    [(1, "created"), (2, "updated"), (3, "deleted")]
                );
                assert_eq!(versions[0].text, "forbid (principal, action, resource);");
                assert!(tx.policy_versions("o2", "p")?.is_empty());
                Ok(())
            })
            .await
            .unwrap();
    }
);

trait IntoPolicy {
    fn into_policy(self, version: u64) -> Policy;
}

impl IntoPolicy for PolicyVersion {
    fn into_policy(self, version: u64) -> Policy {
        Policy {
            org_id: self.org_id,
            id: self.policy_id,
            description: self.description,
            text: self.text,
            mode: self.mode,
            version,
            created_at: self.changed_at,
            updated_at: self.changed_at,
            updated_by: self.changed_by,
        }
    }
}
