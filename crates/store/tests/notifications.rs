//! The store contract for approvals' input, reasons and note, the session filter of the
//! approval list, and notification webhooks: both backends behave the same.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use airlock_store::Store;
use airlock_store::model::*;
use chrono::{DateTime, SubsecRound, Utc};
use common::Fresh;
use serde_json::json;

fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

async fn orgs(store: &Store) {
    store
        .run(|tx| {
            for id in ["o1", "o2"] {
                tx.insert_org(&Org {
                    id: id.into(),
                    name: format!("{id}-name"),
                    default_mode: "read_only".into(),
                    created_at: now(),
                })?;
            }
            Ok(())
        })
        .await
        .unwrap();
}

fn approval(org: &str, id: &str, session: &str, expires_in: i64) -> Approval {
    Approval {
        id: id.into(),
        org_id: org.into(),
        session_id: session.into(),
        agent_id: "agt_1".into(),
        kind: "call".into(),
        action_name: "db.drop".into(),
        action_effect: "destructive".into(),
        input_digest: "abc".into(),
        reason: "needs a person".into(),
        status: "pending".into(),
        created_at: now(),
        expires_at: now() + chrono::Duration::seconds(expires_in),
        decided_by: None,
        decided_at: None,
        used_at: None,
        input: None,
        reasons: Vec::new(),
        note: None,
    }
}

fn ids(v: Vec<Approval>) -> Vec<String> {
    v.into_iter().map(|a| a.id).collect()
}

contract!(
    approval_input_reasons_and_note_round_trip,
    |fresh: Fresh| async move {
        let store = fresh.open();
        orgs(&store).await;
        let mut a = approval("o1", "apr_1", "s1", 600);
        a.input = Some(json!({"sql": "DROP TABLE users", "nested": {"é": [1, null, true]}}));
        a.reasons = vec!["sql: DROP TABLE is destructive".into(), "name: drop".into()];
        let b = approval("o1", "apr_2", "s1", 600);
        store
            .run({
                let (a, b) = (a.clone(), b.clone());
                move |tx| {
                    tx.insert_approval(&a)?;
                    tx.insert_approval(&b)
                }
            })
            .await
            .unwrap();
        let (got_a, got_b) = store
            .run(|tx| Ok((tx.approval("o1", "apr_1")?, tx.approval("o1", "apr_2")?)))
            .await
            .unwrap();
        assert_eq!(got_a.as_ref(), Some(&a));
        assert_eq!(got_b.as_ref().and_then(|b| b.input.clone()), None);
        // The note is written with the decision.
        let mut decided = a.clone();
        decided.status = "denied".into();
        decided.decided_by = Some("ops".into());
        decided.decided_at = Some(now());
        decided.note = Some("not on a Friday".into());
        store
            .run({
                let d = decided.clone();
                move |tx| tx.update_approval(&d)
            })
            .await
            .unwrap();
        let got = store.run(|tx| tx.approval("o1", "apr_1")).await.unwrap();
        assert_eq!(got, Some(decided));
        // Another organization sees nothing.
        assert_eq!(
            store.run(|tx| tx.approval("o2", "apr_1")).await.unwrap(),
            None
        );
    }
);

contract!(
    approvals_filter_by_session_and_status,
    |fresh: Fresh| async move {
        let store = fresh.open();
        orgs(&store).await;
        store
            .run(|tx| {
                tx.insert_approval(&approval("o1", "apr_a", "s1", 600))?;
                tx.insert_approval(&approval("o1", "apr_b", "s2", 600))?;
                tx.insert_approval(&approval("o1", "apr_c", "s1", -1))?;
                let mut d = approval("o1", "apr_d", "s1", 600);
                d.status = "approved".into();
                tx.insert_approval(&d)?;
                tx.insert_approval(&approval("o2", "apr_e", "s1", 600))
            })
            .await
            .unwrap();
        let (s1, s1_pending, s1_expired, s1_approved, s2, none, all) = store
            .run(|tx| {
                let t = now();
                Ok((
                    tx.find_approvals("o1", None, Some("s1"), t, 100)?,
                    tx.find_approvals("o1", Some("pending"), Some("s1"), t, 100)?,
                    tx.find_approvals("o1", Some("expired"), Some("s1"), t, 100)?,
                    tx.find_approvals("o1", Some("approved"), Some("s1"), t, 100)?,
                    tx.find_approvals("o1", Some("pending"), Some("s2"), t, 100)?,
                    tx.find_approvals("o1", Some("denied"), None, t, 100)?,
                    tx.list_approvals("o1", None, t, 100)?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(ids(s1), ["apr_a", "apr_c", "apr_d"]);
        assert_eq!(ids(s1_pending), ["apr_a"]);
        assert_eq!(ids(s1_expired), ["apr_c"]);
        assert_eq!(ids(s1_approved), ["apr_d"]);
        assert_eq!(ids(s2), ["apr_b"]);
        assert!(none.is_empty());
        assert_eq!(ids(all), ["apr_a", "apr_b", "apr_c", "apr_d"]);
    }
);

contract!(
    webhooks_are_kept_per_organization,
    |fresh: Fresh| async move {
        let store = fresh.open();
        orgs(&store).await;
        let hook = |org: &str, id: &str, format: &str| Webhook {
            id: id.into(),
            org_id: org.into(),
            url: format!("https://hooks.example/{id}"),
            secret: format!("secret-of-{id}"),
            format: format.into(),
            created_at: now(),
        };
        let (w1, w2, w3) = (
            hook("o1", "whk_1", "json"),
            hook("o1", "whk_2", "slack"),
            hook("o2", "whk_3", "json"),
        );
        store
            .run({
                let (a, b, c) = (w1.clone(), w2.clone(), w3.clone());
                move |tx| {
                    tx.insert_webhook(&a)?;
                    tx.insert_webhook(&b)?;
                    tx.insert_webhook(&c)
                }
            })
            .await
            .unwrap();
        let (o1, o2) = store
            .run(|tx| Ok((tx.webhooks("o1")?, tx.webhooks("o2")?)))
            .await
            .unwrap();
        assert_eq!(o1, vec![w1.clone(), w2.clone()]);
        assert_eq!(o2, vec![w3.clone()]);
        // Deleting is scoped to the organization.
        let (cross, own, again) = store
            .run(|tx| {
                Ok((
                    tx.delete_webhook("o2", "whk_1")?,
                    tx.delete_webhook("o1", "whk_1")?,
                    tx.delete_webhook("o1", "whk_1")?,
                ))
            })
            .await
            .unwrap();
        assert_eq!((cross, own, again), (false, true, false));
        let left = store.run(|tx| tx.webhooks("o1")).await.unwrap();
        assert_eq!(left, vec![w2]);
        assert_eq!(store.run(|tx| tx.webhooks("o2")).await.unwrap(), vec![w3]);
    }
);
