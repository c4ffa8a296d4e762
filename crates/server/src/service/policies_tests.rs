//! The compiled-policy cache never keeps a set read in a transaction whose policy change did
//! not commit: that generation's number is taken by the next change, with other policies.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use airlock_store::model::{Org, Policy};
use airlock_store::{Options, Store, StoreError};
use chrono::Utc;

use super::PolicyCache;

const FORBID: &str = r#"@id("no-drops")
forbid (principal, action, resource)
when { context.statements.contains("drop_table") };"#;

fn policy(id: &str) -> Policy {
    Policy {
        org_id: "o1".into(),
        id: id.into(),
        description: String::new(),
        text: FORBID.into(),
        mode: "enforce".into(),
        version: 1,
        created_at: Utc::now(),
        updated_at: Utc::now(),
        updated_by: "test".into(),
    }
}

/// A forbid policy committed at generation 1; a change deleting it runs in a transaction that
/// also compiles the organization's policies at its uncommitted generation 2 (a check batched
/// after it) and is rolled back; another change then commits generation 2 with a policy.
/// Returns whether the set the cache answers at generation 2 is empty (the forbid lost).
async fn answer_after_a_rolled_back_change(hold: bool) -> bool {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), Options { migrate: true }).unwrap();
    let cache = Arc::new(PolicyCache::default());
    store
        .run(|tx| {
            tx.insert_org(&Org {
                id: "o1".into(),
                name: "o1".into(),
                default_mode: "read_only".into(),
                created_at: Utc::now(),
            })?;
            tx.put_policy(&policy("p1"))?;
            tx.bump_policy_generation("o1")
        })
        .await
        .unwrap();
    let change = hold.then(|| cache.changing("o1"));
    let batched = cache.clone();
    let undone = store
        .run(move |tx| {
            let _held = &change;
            tx.delete_policy("o1", "p1")?;
            tx.bump_policy_generation("o1")?;
            let generation = tx.policy_generation("o1")?;
            assert_eq!(generation, 2);
            assert!(batched.get(tx, "o1", generation)?.is_empty());
            Err::<(), _>(StoreError::Conflict("the change is rolled back".into()))
        })
        .await;
    assert!(undone.is_err());
    store
        .run(|tx| {
            tx.put_policy(&policy("p2"))?;
            tx.bump_policy_generation("o1")
        })
        .await
        .unwrap();
    let cache_after = cache.clone();
    store
        .run(move |tx| {
            let generation = tx.policy_generation("o1")?;
            assert_eq!(generation, 2, "the rolled-back number is taken again");
            Ok(cache_after.get(tx, "o1", generation)?.is_empty())
        })
        .await
        .unwrap()
}

#[tokio::test]
async fn a_set_read_under_an_uncommitted_change_is_not_cached() {
    assert!(
        !answer_after_a_rolled_back_change(true).await,
        "the committed forbid policy must be enforced"
    );
}

/// The twin: without the change's hold the cache keeps the rolled-back change's empty set
/// and answers it for the committed generation 2: the forbid would not be enforced. This is
/// what the hold prevents; if this stops failing, the test above proves nothing.
#[tokio::test]
async fn without_the_hold_the_rolled_back_set_would_be_answered() {
    assert!(answer_after_a_rolled_back_change(false).await);
}
