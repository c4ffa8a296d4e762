//! The store contract for agent-to-agent work: cards scoped to their organization, only
//! published ones found by the public lookup, a regenerated card keeping its publication, and
//! tasks whose terminal state no update changes. Both backends behave the same.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use airlock_store::Store;
use airlock_store::a2a::{A2aTask, AgentCard};
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

fn card(org: &str, agent: &str, name: &str) -> AgentCard {
    AgentCard {
        org_id: org.into(),
        agent_id: agent.into(),
        card: json!({"name": name, "skills": []}),
        endpoint_url: Some("http://agent.example/a2a".into()),
        published: false,
        published_at: None,
        created_at: now(),
        updated_at: now(),
    }
}

fn task(org: &str, id: &str) -> A2aTask {
    A2aTask {
        id: id.into(),
        org_id: org.into(),
        context_id: "ctx_1".into(),
        source_agent_id: "agt_a".into(),
        target_agent_id: "agt_b".into(),
        session_id: "ses_1".into(),
        protocol: "v1".into(),
        state: "submitted".into(),
        message: json!("summarize the report"),
        history: json!([]),
        artifacts: json!([]),
        metadata: json!({}),
        upstream_task_id: None,
        created_at: now(),
        updated_at: now(),
    }
}

contract!(a2a_cards_and_tasks, |fresh: Fresh| async move {
    let store = fresh.open();
    orgs(&store).await;
    let (mine, other_org, public_before) = store
        .run(|tx| {
            tx.put_agent_card(&card("o1", "agt_b", "first"))?;
            Ok((
                tx.agent_card("o1", "agt_b")?,
                tx.agent_card("o2", "agt_b")?,
                tx.published_agent_card("agt_b")?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(mine.unwrap().card["name"], "first");
    assert!(other_org.is_none());
    assert!(public_before.is_none(), "an unpublished card is not public");

    let (elsewhere, published, regenerated, public, none) = store
        .run(|tx| {
            let elsewhere = tx.publish_agent_card("o2", "agt_b", now())?;
            let published = tx.publish_agent_card("o1", "agt_b", now())?;
            tx.put_agent_card(&card("o1", "agt_b", "second"))?;
            Ok((
                elsewhere,
                published,
                tx.agent_card("o1", "agt_b")?.unwrap(),
                tx.published_agent_card("agt_b")?,
                tx.publish_agent_card("o1", "agt_none", now())?,
            ))
        })
        .await
        .unwrap();
    assert!(!elsewhere);
    assert!(published);
    assert!(!none);
    assert!(regenerated.published, "regenerating keeps the publication");
    assert_eq!(regenerated.card["name"], "second");
    assert_eq!(public.unwrap().card["name"], "second");

    // Tasks: scoped to their organization; a terminal state is never changed.
    let t = task("o1", "tsk_1");
    let t2 = t.clone();
    let (found, other, working, done, after_terminal, stored) = store
        .run(move |tx| {
            tx.insert_a2a_task(&t2)?;
            let found = tx.a2a_task("o1", "tsk_1")?;
            let other = tx.a2a_task("o2", "tsk_1")?;
            let mut w = t2.clone();
            w.state = "working".into();
            let working = tx.update_a2a_task(&w)?;
            let mut c = t2.clone();
            c.state = "canceled".into();
            let done = tx.update_a2a_task(&c)?;
            let mut again = t2.clone();
            again.state = "completed".into();
            again.artifacts = json!([{"name": "late"}]);
            let after_terminal = tx.update_a2a_task(&again)?;
            Ok((
                found,
                other,
                working,
                done,
                after_terminal,
                tx.a2a_task("o1", "tsk_1")?,
            ))
        })
        .await
        .unwrap();
    assert_eq!(found.unwrap(), t);
    assert!(other.is_none());
    assert!(working && done);
    assert!(!after_terminal, "a terminal task is immutable");
    let stored = stored.unwrap();
    assert_eq!(stored.state, "canceled");
    assert_eq!(stored.artifacts, json!([]));
});
