//! The store contract for SIEM streaming: destinations scoped to their organization, the
//! outbox in id order with deletes by id, backlogs, and the delivery lease that only one
//! owner holds at a time. Both backends behave the same.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use airlock_store::Store;
use airlock_store::model::*;
use airlock_store::siem::{OutboxEvent, SiemDelivery, SiemDestination};
use chrono::{DateTime, SubsecRound, Utc};
use common::Fresh;

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

fn destination(org: &str, id: &str) -> SiemDestination {
    SiemDestination {
        id: id.into(),
        org_id: org.into(),
        name: "collector".into(),
        destination_type: "webhook".into(),
        endpoint_url: "https://siem.example/collect".into(),
        auth_token: "enc:v1:00".into(),
        token_hint: "wxyz".into(),
        is_active: true,
        batch_size: 100,
        flush_interval_seconds: 5,
        filter_event_types: vec!["decision.denied".into()],
        created_at: now(),
        updated_at: now(),
    }
}

fn event(destination: &str, session: &str, seq: u64) -> OutboxEvent {
    OutboxEvent {
        id: 0,
        destination_id: destination.into(),
        org_id: "o1".into(),
        session_id: session.into(),
        seq,
        check_id: format!("chk_{session}_{seq}"),
        event_type: "decision.allowed".into(),
        event: format!("{{\"seq\":{seq}}}"),
        created_at: now(),
    }
}

contract!(
    siem_destinations_outbox_and_lease,
    |fresh: Fresh| async move {
        let store = fresh.open();
        orgs(&store).await;
        let d = destination("o1", "siem_1");
        let row = d.clone();
        store
            .run(move |tx| tx.insert_siem_destination(&row))
            .await
            .unwrap();
        let (mine, theirs, targets, none) = store
            .run(|tx| {
                Ok((
                    tx.siem_destination("o1", "siem_1")?,
                    tx.siem_destination("o2", "siem_1")?,
                    tx.siem_targets("o1")?,
                    tx.siem_targets("o2")?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(mine.as_ref(), Some(&d));
        assert_eq!(theirs, None);
        assert_eq!(targets.len(), 1);
        assert_eq!(targets[0].filter_event_types, vec!["decision.denied"]);
        assert!(none.is_empty());

        // Outbox: id order, deletes by id, backlog counts.
        let ids = store
            .run(|tx| {
                for seq in 1..=5 {
                    tx.insert_siem_event(&event("siem_1", "s1", seq))?;
                }
                let batch = tx.siem_batch("siem_1", 3)?;
                Ok(batch.iter().map(|e| (e.id, e.seq)).collect::<Vec<_>>())
            })
            .await
            .unwrap();
        assert_eq!(ids.iter().map(|x| x.1).collect::<Vec<_>>(), vec![1, 2, 3]);
        assert!(ids.windows(2).all(|w| w[0].0 < w[1].0));
        let first: Vec<u64> = ids.iter().map(|x| x.0).collect();
        let (deleted, rest, backlogs) = store
            .run(move |tx| {
                let n = tx.delete_siem_events("siem_1", &first)?;
                let rest = tx.siem_batch("siem_1", 10)?;
                Ok((n, rest, tx.siem_backlogs()?))
            })
            .await
            .unwrap();
        assert_eq!(deleted, 3);
        assert_eq!(rest.iter().map(|e| e.seq).collect::<Vec<_>>(), vec![4, 5]);
        assert_eq!(rest[0].check_id, "chk_s1_4");
        assert_eq!(backlogs, vec![("siem_1".to_string(), 2)]);
        // The count is stored only where it crosses the bound (the stored one against the new).
        for (count, bound, stored) in [
            (1, 2, 0),
            (2, 2, 2),
            (5, 2, 2),
            (1, 2, 1),
            (0, 2, 1),
            (9, 10, 1),
            (10, 10, 10),
            (0, 1, 0),
        ] {
            store
                .run(move |tx| tx.set_siem_backlog("siem_1", count, bound))
                .await
                .unwrap();
            let t = store.run(|tx| tx.siem_targets("o1")).await.unwrap();
            assert_eq!(t[0].backlog, stored, "{count} counted, bound {bound}");
            assert_eq!(t[0].backlog >= bound, count >= bound, "full as counted");
        }

        // The lease: one owner until it expires.
        let t0 = now();
        let later = t0 + chrono::Duration::seconds(30);
        let taken = store
            .run(move |tx| {
                Ok((
                    tx.take_siem_lease("siem_1", "a", t0, later)?,
                    tx.take_siem_lease("siem_1", "b", t0, later)?,
                    tx.take_siem_lease("siem_1", "a", t0, later)?,
                    tx.take_siem_lease("siem_1", "b", later + chrono::Duration::seconds(1), later)?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(taken, (true, false, true, true));

        // Delivery log, newest first, scoped.
        store
            .run(|tx| {
                for (i, status) in ["failed", "success"].iter().enumerate() {
                    tx.insert_siem_delivery(&SiemDelivery {
                        id: format!("sdl_{i}"),
                        org_id: "o1".into(),
                        destination_id: "siem_1".into(),
                        batch_size: 3,
                        status: status.to_string(),
                        status_code: if i == 0 { 503 } else { 200 },
                        error_message: String::new(),
                        delivered_at: now() + chrono::Duration::milliseconds(i as i64),
                    })?;
                }
                Ok(())
            })
            .await
            .unwrap();
        let (logs, other) = store
            .run(|tx| {
                Ok((
                    tx.siem_deliveries("o1", "siem_1", 10)?,
                    tx.siem_deliveries("o2", "siem_1", 10)?,
                ))
            })
            .await
            .unwrap();
        assert_eq!(
            logs.iter().map(|l| l.status.as_str()).collect::<Vec<_>>(),
            vec!["success", "failed"]
        );
        assert!(other.is_empty());

        // Update and delete (outbox and log go with it), only in the own organization.
        let mut changed = d.clone();
        changed.is_active = false;
        changed.name = "renamed".into();
        let (updated, gone_elsewhere, gone, left, targets) = store
            .run(move |tx| {
                Ok((
                    tx.update_siem_destination(&changed)?,
                    tx.delete_siem_destination("o2", "siem_1")?,
                    tx.siem_targets("o1")?.is_empty()
                        && tx.delete_siem_destination("o1", "siem_1")?,
                    tx.siem_backlogs()?,
                    tx.siem_deliveries("o1", "siem_1", 10)?,
                ))
            })
            .await
            .unwrap();
        assert!(updated);
        assert!(!gone_elsewhere);
        assert!(gone);
        assert!(left.is_empty());
        assert!(targets.is_empty());
    }
);
