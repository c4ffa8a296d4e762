//! The store contract for identity: proof-of-possession challenges are single use and bound
//! to one agent, DPoP proof ids are used once (whichever connection sees them second), expired
//! rows are pruned, security settings read back as written. Both backends behave the same.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

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
        public_key: "old".into(),
        status: "active".into(),
        capabilities: vec!["db.read".into()],
        metadata: json!({}),
        created_at: now(),
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
            tx.insert_agent(&agent("o1", "agt_1"))
        })
        .await
        .unwrap();
    store
}

contract!(
    challenges_are_single_use_and_bound,
    |fresh: Fresh| async move {
        let store = world(&fresh).await;
        let t = now();
        let c = |hash: &str, expires: DateTime<Utc>| PopChallenge {
            nonce_hash: hash.into(),
            org_id: "o1".into(),
            agent_id: "agt_1".into(),
            expires_at: expires,
        };
        let (live, old) = (
            c("n1", t + Duration::seconds(60)),
            c("n2", t - Duration::seconds(1)),
        );
        store
            .run(move |tx| {
                tx.insert_pop_challenge(&live)?;
                tx.insert_pop_challenge(&old)
            })
            .await
            .unwrap();
        let take = |org: &'static str, agent: &'static str, hash: &'static str| {
            let store = store.clone();
            async move {
                store
                    .run(move |tx| tx.take_pop_challenge(org, agent, hash, t))
                    .await
                    .unwrap()
            }
        };
        // Another organization's or agent's caller cannot use it; the owner once only.
        assert!(!take("o2", "agt_1", "n1").await);
        assert!(!take("o1", "agt_2", "n1").await);
        assert!(take("o1", "agt_1", "n1").await);
        assert!(!take("o1", "agt_1", "n1").await);
        // Expired: refused, then pruned.
        assert!(!take("o1", "agt_1", "n2").await);
        let pruned = store.run(move |tx| tx.prune_identity(t)).await.unwrap();
        assert_eq!(pruned, 1);
    }
);

contract!(
    dpop_ids_are_used_once_across_connections,
    |fresh: Fresh| async move {
        let store = world(&fresh).await;
        // A second store on the same database: another replica.
        let other = fresh.open();
        let t = now();
        let until = t + Duration::seconds(300);
        let first = store
            .run(move |tx| tx.use_dpop_jti("jkt1", "j1", until))
            .await
            .unwrap();
        let replay = other
            .run(move |tx| tx.use_dpop_jti("jkt1", "j1", until))
            .await
            .unwrap();
        let other_key = other
            .run(move |tx| tx.use_dpop_jti("jkt2", "j1", until))
            .await
            .unwrap();
        assert_eq!((first, replay, other_key), (true, false, true));
        let stale = t - Duration::seconds(1);
        assert!(
            store
                .run(move |tx| tx.use_dpop_jti("jkt1", "j2", stale))
                .await
                .unwrap()
        );
        assert_eq!(store.run(move |tx| tx.prune_identity(t)).await.unwrap(), 1);
        // The live ones are kept.
        assert!(
            !store
                .run(move |tx| tx.use_dpop_jti("jkt1", "j1", until))
                .await
                .unwrap()
        );
    }
);

contract!(settings_and_key_rotation, |fresh: Fresh| async move {
    let store = world(&fresh).await;
    assert_eq!(
        store.run(|tx| tx.security_settings("o1")).await.unwrap(),
        None
    );
    let s = SecuritySettings {
        org_id: "o1".into(),
        require_proof_of_possession: true,
        require_sender_constrained_tokens: false,
        updated_at: now(),
    };
    let put = s.clone();
    store
        .run(move |tx| tx.put_security_settings(&put))
        .await
        .unwrap();
    assert_eq!(
        store.run(|tx| tx.security_settings("o1")).await.unwrap(),
        Some(s.clone())
    );
    let flipped = SecuritySettings {
        require_proof_of_possession: false,
        require_sender_constrained_tokens: true,
        ..s
    };
    let put = flipped.clone();
    store
        .run(move |tx| tx.put_security_settings(&put))
        .await
        .unwrap();
    assert_eq!(
        store.run(|tx| tx.security_settings("o1")).await.unwrap(),
        Some(flipped)
    );
    assert_eq!(
        store.run(|tx| tx.security_settings("o2")).await.unwrap(),
        None
    );

    let rotated = store
        .run(|tx| {
            let other_org = tx.set_agent_public_key("o2", "agt_1", "new")?;
            let mine = tx.set_agent_public_key("o1", "agt_1", "new")?;
            Ok((
                other_org,
                mine,
                tx.agent("o1", "agt_1")?.map(|a| a.public_key),
            ))
        })
        .await
        .unwrap();
    assert_eq!(rotated, (false, true, Some("new".to_string())));
});

contract!(
    federation_providers_and_revocations,
    |fresh: Fresh| async move {
        let store = world(&fresh).await;
        let t = now();
        let p = |id: &str, org: &str, issuer: &str| FederationProvider {
            id: id.into(),
            org_id: org.into(),
            issuer: issuer.into(),
            name: "idp".into(),
            audience: "airlock".into(),
            jwks_uri: format!("{issuer}/jwks"),
            authorization_endpoint: String::new(),
            token_endpoint: String::new(),
            trust_level: "standard".into(),
            status: "active".into(),
            created_at: t,
            updated_at: t,
        };
        let (a, b) = (
            p("fp_1", "o1", "https://idp.example"),
            p("fp_2", "o2", "https://idp.example"),
        );
        let (a2, b2) = (a.clone(), b.clone());
        store
            .run(move |tx| {
                tx.insert_federation_provider(&a2)?;
                tx.insert_federation_provider(&b2)
            })
            .await
            .unwrap();
        // One issuer once per organization.
        let dup = p("fp_3", "o1", "https://idp.example");
        assert!(
            store
                .run(move |tx| tx.insert_federation_provider(&dup))
                .await
                .is_err()
        );
        let listed = store.run(|tx| tx.federation_providers("o1")).await.unwrap();
        assert_eq!(listed, vec![a.clone()]);
        assert_eq!(
            store
                .run(|tx| tx.federation_provider("o2", "fp_1"))
                .await
                .unwrap(),
            None
        );
        assert!(
            !store
                .run(|tx| tx.delete_federation_provider("o2", "fp_1"))
                .await
                .unwrap()
        );
        assert!(
            store
                .run(|tx| tx.delete_federation_provider("o1", "fp_1"))
                .await
                .unwrap()
        );
        assert_eq!(
            store
                .run(|tx| tx.federation_provider("o1", "fp_1"))
                .await
                .unwrap(),
            None
        );

        let r = FederationRevocation {
            token_hash: "h1".into(),
            org_id: "o1".into(),
            expires_at: t + Duration::seconds(60),
            revoked_at: t,
        };
        let (r1, r2) = (r.clone(), r.clone());
        store
            .run(move |tx| tx.revoke_federation_token(&r1))
            .await
            .unwrap();
        store
            .run(move |tx| tx.revoke_federation_token(&r2))
            .await
            .unwrap();
        assert!(
            store
                .run(|tx| tx.federation_token_revoked("o1", "h1"))
                .await
                .unwrap()
        );
        assert!(
            !store
                .run(|tx| tx.federation_token_revoked("o2", "h1"))
                .await
                .unwrap()
        );
        let link = FederatedSession {
            org_id: "o1".into(),
            session_id: "sess_1".into(),
            provider_id: "fp_2".into(),
            issuer: "https://idp.example".into(),
            trust_level: "high".into(),
        };
        let stored = link.clone();
        store
            .run(move |tx| tx.insert_federated_session(&stored))
            .await
            .unwrap();
        assert_eq!(
            store
                .run(|tx| tx.federated_session("o1", "sess_1"))
                .await
                .unwrap(),
            Some(link)
        );
        assert_eq!(
            store
                .run(|tx| tx.federated_session("o2", "sess_1"))
                .await
                .unwrap(),
            None
        );
        let later = t + Duration::seconds(61);
        store.run(move |tx| tx.prune_identity(later)).await.unwrap();
        assert!(
            !store
                .run(|tx| tx.federation_token_revoked("o1", "h1"))
                .await
                .unwrap()
        );
    }
);
