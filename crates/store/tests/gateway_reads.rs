//! The store contract for what authenticates a caller and opens the MCP gateway's session
//! (`Tx::key_and_org`, `Tx::gateway_reads`): on PostgreSQL one statement each, on SQLite the
//! reads one by one; either way the same answers as the single reads, in the key's
//! organization only, and nothing read for a revoked key.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use airlock_store::{GatewayReads, Tx};
use common::Fresh;
use common::fixtures::{agent, api_key, org, server, session};

contract!(
    key_and_org_answer_as_the_single_reads,
    |fresh: Fresh| async move {
        let store = fresh.open();
        store
            .run(|tx| {
                tx.insert_org(&org("o1"))?;
                tx.insert_api_key(&api_key("k1", "o1", false))?;
                tx.insert_org(&org("o2"))?;
                tx.insert_api_key(&api_key("k2", "o1", true))?;
                tx.insert_api_key(&api_key("k3", "o2", false))
            })
            .await
            .unwrap();
        for hash in ["hash-k1", "hash-k2", "hash-k3", "hash-none"] {
            let (joined, single) = store
                .run(move |tx| {
                    let joined = tx.key_and_org(hash)?;
                    let single = match tx.api_key_by_hash(hash)? {
                        None => None,
                        Some(key) => Some((key.clone(), tx.org(&key.org_id)?)),
                    };
                    Ok((joined, single))
                })
                .await
                .unwrap();
            assert_eq!(joined, single, "{hash}");
        }
        let (k1, o1) = store
            .run(|tx| tx.key_and_org("hash-k1"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!((k1.id.as_str(), o1.unwrap().id.as_str()), ("k1", "o1"));
        let (k3, o3) = store
            .run(|tx| tx.key_and_org("hash-k3"))
            .await
            .unwrap()
            .unwrap();
        assert_eq!((k3.id.as_str(), o3.unwrap().id.as_str()), ("k3", "o2"));
        let (k2, _) = store
            .run(|tx| tx.key_and_org("hash-k2"))
            .await
            .unwrap()
            .unwrap();
        assert!(k2.revoked_at.is_some(), "a revoked key reads as revoked");
    }
);

/// The same reads one statement at a time, as `open_server_session_for_key` made them.
fn single_reads(
    tx: &mut dyn Tx,
    hash: &str,
    agent: &str,
    server: &str,
    named: Option<&str>,
) -> Result<Option<GatewayReads>, airlock_store::StoreError> {
    let Some(key) = tx.api_key_by_hash(hash)? else {
        return Ok(None);
    };
    if key.revoked_at.is_some() {
        return Ok(Some(GatewayReads::default()));
    }
    let org = key.org_id;
    let mapped = match named {
        None => tx.gateway_session_id(&org, agent, server)?,
        Some(_) => None,
    };
    let session = match named.or(mapped.as_deref()) {
        Some(id) => tx.session(&org, id)?,
        None => None,
    };
    Ok(Some(GatewayReads {
        server: tx.server(&org, server)?,
        mapped,
        session,
    }))
}

contract!(
    gateway_reads_answer_as_the_single_reads,
    |fresh: Fresh| async move {
        let store = fresh.open();
        store
            .run(|tx| {
                tx.insert_org(&org("o1"))?;
                tx.insert_org(&org("o2"))?;
                tx.insert_agent(&agent("o1", "agt_1"))?;
                tx.insert_agent(&agent("o2", "agt_o2"))?;
                tx.insert_server(&server("o1", "srv_1", "active", None))?;
                tx.insert_server(&server("o1", "srv_gone", "deleted", None))?;
                tx.insert_api_key(&api_key("k1", "o1", false))?;
                tx.insert_api_key(&api_key("k2", "o1", true))?;
                tx.insert_api_key(&api_key("k3", "o2", false))?;
                // o1: the agent's mapped session and a named one; o2: a session of the same
                // id as o1's named one, and neither o1's server nor a mapping.
                tx.insert_session(&session("o1", "s_mapped", "agt_1", Some("srv_1")))?;
                tx.insert_gateway_session("o1", "agt_1", "srv_1", "s_mapped")?;
                tx.insert_session(&session("o1", "s_named", "agt_1", Some("srv_1")))?;
                tx.insert_session(&session("o2", "s_named", "agt_o2", None))?;
                // A mapping whose session is missing (sessions are never deleted; the mapping
                // is written first when the session is created).
                tx.insert_server(&server("o1", "srv_2", "active", None))?;
                tx.insert_gateway_session("o1", "agt_1", "srv_2", "s_ghost")
            })
            .await
            .unwrap();
        let cases: &[(&str, &str, &str, Option<&str>)] = &[
            ("hash-k1", "agt_1", "srv_1", None),
            ("hash-k1", "agt_1", "srv_1", Some("s_named")),
            ("hash-k1", "agt_1", "srv_1", Some("s_missing")),
            ("hash-k1", "agt_1", "srv_gone", None),
            ("hash-k1", "agt_1", "srv_unknown", None),
            ("hash-k1", "agt_1", "srv_unknown", Some("s_named")),
            ("hash-k1", "agt_1", "srv_2", None),
            ("hash-k1", "agt_2", "srv_1", None),
            ("hash-k2", "agt_1", "srv_1", None),
            ("hash-k2", "agt_1", "srv_1", Some("s_named")),
            ("hash-k3", "agt_1", "srv_1", None),
            ("hash-k3", "agt_1", "srv_1", Some("s_named")),
            ("hash-none", "agt_1", "srv_1", Some("s_named")),
        ];
        for &(hash, agent, server, named) in cases {
            let (joined, single) = store
                .run(move |tx| {
                    let joined = tx.gateway_reads(hash, agent, server, named)?;
                    let (key, org) = match tx.key_and_org(hash)? {
                        Some((k, o)) => (Some(k), o),
                        None => (None, None),
                    };
                    let single = single_reads(tx, hash, agent, server, named)?;
                    Ok((joined, key.map(|k| (k, org, single.unwrap_or_default()))))
                })
                .await
                .unwrap();
            assert_eq!(joined, single, "{hash} {agent} {server} {named:?}");
        }
        let read = |hash: &'static str, named: Option<&'static str>| {
            let store = store.clone();
            async move {
                store
                    .run(move |tx| tx.gateway_reads(hash, "agt_1", "srv_1", named))
                    .await
                    .unwrap()
                    .unwrap()
                    .2
            }
        };
        let mapped = read("hash-k1", None).await;
        assert_eq!(mapped.mapped.as_deref(), Some("s_mapped"));
        assert_eq!(mapped.session.unwrap().id, "s_mapped");
        assert_eq!(mapped.server.unwrap().org_id, "o1");
        let named = read("hash-k1", Some("s_named")).await;
        assert_eq!(named.session.unwrap().server_id.as_deref(), Some("srv_1"));
        let ghost = store
            .run(|tx| tx.gateway_reads("hash-k1", "agt_1", "srv_2", None))
            .await
            .unwrap()
            .unwrap()
            .2;
        assert_eq!(ghost.mapped.as_deref(), Some("s_ghost"));
        assert_eq!(ghost.session, None);
        // Another organization's key reads its own session of that id, not o1's, and not o1's
        // server or mapping.
        let other = read("hash-k3", Some("s_named")).await;
        let s = other.session.unwrap();
        assert_eq!((s.org_id.as_str(), s.agent_id.as_str()), ("o2", "agt_o2"));
        assert_eq!((other.server, other.mapped), (None, None));
        // A revoked key reads nothing of its organization.
        assert_eq!(
            read("hash-k2", Some("s_named")).await,
            GatewayReads::default()
        );
    }
);
