//! The store contract for delegations (docs/delegations.md): rows read back as written, scoped
//! to their organization; revoking a delegation revokes exactly its subtree (by path prefix,
//! byte for byte), revoking an agent revokes every delegation from or to it and everything
//! below those. Both backends behave the same.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use airlock_store::delegations::{DelegatedSession, Delegation};
use airlock_store::model::*;
use chrono::{DateTime, Duration, SubsecRound, Utc};
use common::Fresh;
use serde_json::json;

fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

fn agent(org: &str, id: &str) -> Agent {
    Agent {
        id: id.into(),
        org_id: org.into(),
        name: id.into(),
        framework: "custom".into(),
        public_key: String::new(),
        status: "active".into(),
        capabilities: vec!["db.*".into()],
        metadata: json!({}),
        created_at: now(),
        revoked_at: None,
        revoke_reason: None,
    }
}

fn hop(org: &str, id: &str, from: &str, to: &str, parent: Option<&Delegation>) -> Delegation {
    Delegation {
        id: id.into(),
        org_id: org.into(),
        from_agent_id: from.into(),
        to_agent_id: to.into(),
        parent_id: parent.map(|p| p.id.clone()),
        path: format!("{}{id}/", parent.map_or("/", |p| p.path.as_str())),
        depth: parent.map_or(1, |p| p.depth + 1),
        scope: vec!["db.query.read".into()],
        restrictions: json!({}),
        token_hash: "ab".repeat(32),
        created_at: now(),
        expires_at: now() + Duration::seconds(600),
        revoked_at: None,
        revoke_reason: None,
    }
}

async fn world(fresh: &Fresh) -> airlock_store::Store {
    let store = fresh.open();
    store
        .run(|tx| {
            for id in ["o1", "o2"] {
                tx.insert_org(&Org {
                    id: id.into(),
                    name: id.into(),
                    default_mode: "read_only".into(),
                    created_at: now(),
                })?;
            }
            for a in ["a", "b", "c", "d"] {
                tx.insert_agent(&agent("o1", a))?;
            }
            Ok(())
        })
        .await
        .unwrap();
    store
}

contract!(
    delegations_read_back_and_revoke_by_subtree,
    |fresh: Fresh| async move {
        let store = world(&fresh).await;
        let root = hop("o1", "d_1", "a", "b", None);
        let child = hop("o1", "d_1x", "b", "c", Some(&root));
        let grandchild = hop("o1", "d_2", "c", "d", Some(&child));
        // `d_1` is a prefix of `d_1x` as text, not as a path: revoking `d_1x`'s subtree leaves a
        // sibling root `d_1` alone, and `/d_1/` is not a prefix of `/d_10/`.
        let sibling = hop("o1", "d_10", "a", "c", None);
        let (r, c, g, s) = (
            root.clone(),
            child.clone(),
            grandchild.clone(),
            sibling.clone(),
        );
        let r2 = root.clone();
        store
            .run(move |tx| {
                for d in [&r, &c, &g, &s] {
                    tx.insert_delegation(d)?;
                }
                tx.insert_delegated_session(&DelegatedSession {
                    org_id: "o1".into(),
                    session_id: "dsess_1".into(),
                    delegation_id: g.id.clone(),
                })?;
                assert_eq!(tx.delegation("o1", "d_1x")?.as_ref(), Some(&c));
                assert_eq!(tx.delegation("o2", "d_1x")?, None, "another organization's");
                let ids: Vec<String> = tx.delegations("o1")?.into_iter().map(|d| d.id).collect();
                assert_eq!(ids.len(), 4);
                assert!(tx.delegations("o2")?.is_empty());
                assert_eq!(
                    tx.delegated_session("o1", "dsess_1")?
                        .map(|l| l.delegation_id),
                    Some("d_2".to_string())
                );
                assert_eq!(tx.delegated_session("o2", "dsess_1")?, None);
                assert_eq!(g.hops(), vec!["d_1", "d_1x", "d_2"]);
                // Another organization revokes nothing.
                assert_eq!(tx.revoke_delegation_subtree("o2", &c.path, "x", now())?, 0);
                assert_eq!(
                    tx.revoke_delegation_subtree("o1", &c.path, "revoked", now())?,
                    2
                );
                let revoked = |tx: &mut dyn airlock_store::Tx, id: &str| {
                    tx.delegation("o1", id)
                        .map(|d| d.unwrap().revoked_at.is_some())
                };
                assert!(!revoked(tx, "d_1")?);
                assert!(revoked(tx, "d_1x")?);
                assert!(revoked(tx, "d_2")?);
                assert!(!revoked(tx, "d_10")?);
                // Again: nothing left to revoke, and the first revocation time stays.
                let first = tx.delegation("o1", "d_2")?.unwrap().revoked_at;
                assert_eq!(
                    tx.revoke_delegation_subtree("o1", &c.path, "again", now())?,
                    0
                );
                assert_eq!(tx.delegation("o1", "d_2")?.unwrap().revoked_at, first);
                // The root's subtree: the root itself (its children are already revoked), never
                // the root `d_10` whose id merely begins with `d_1`.
                assert_eq!(
                    tx.revoke_delegation_subtree("o1", &r2.path, "revoked", now())?,
                    1
                );
                assert!(revoked(tx, "d_1")?);
                assert!(!revoked(tx, "d_10")?);
                Ok(())
            })
            .await
            .unwrap();
    }
);

contract!(
    revoking_an_agent_revokes_its_delegations_and_below,
    |fresh: Fresh| async move {
        let store = world(&fresh).await;
        let root = hop("o1", "d_r", "a", "b", None);
        let child = hop("o1", "d_c", "b", "c", Some(&root));
        let grandchild = hop("o1", "d_g", "c", "d", Some(&child));
        let other = hop("o1", "d_o", "a", "d", None);
        store
            .run(move |tx| {
                for d in [&root, &child, &grandchild, &other] {
                    tx.insert_delegation(d)?;
                }
                // `c` receives `d_c` and gives `d_g`: both end, and nothing above or beside them.
                assert!(tx.revoke_agent("o1", "c", "test", now())?);
                for (id, revoked) in [("d_r", false), ("d_c", true), ("d_g", true), ("d_o", false)]
                {
                    let d = tx.delegation("o1", id)?.unwrap();
                    assert_eq!(d.revoked_at.is_some(), revoked, "{id}");
                    if revoked {
                        assert_eq!(d.revoke_reason.as_deref(), Some("agent revoked"));
                    }
                }
                Ok(())
            })
            .await
            .unwrap();
    }
);
