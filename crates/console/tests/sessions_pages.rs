//! The Sessions and Decisions pages over a real store: every read is scoped to the signed-in
//! organization, keyset pages return every row exactly once, and "Verify chain" reports a row
//! changed behind Airlock's back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod world;

use std::collections::HashSet;

use axum::http::StatusCode;
use chrono::{Duration, Utc};

use airlock_server::service::ServiceError;
use airlock_server::service::log_search::{ActionMatch, DecisionQuery, SessionQuery};
use world::{ORG_B, World};

#[tokio::test]
async fn another_organizations_sessions_and_decisions_never_show() {
    let w = World::new().await;
    let t0 = Utc::now() - Duration::hours(1);
    w.seed(&w.org_a.clone(), "a", 3, 5, t0).await;
    // Org B has a session with the same id as one of A's, and its own.
    w.seed(ORG_B, "a", 1, 4, t0).await;
    w.seed(ORG_B, "bee", 2, 5, t0 + Duration::minutes(1)).await;

    let q = SessionQuery {
        limit: 200,
        ..Default::default()
    };
    let page = w
        .service
        .search_sessions(&w.caller_a, q.clone())
        .await
        .unwrap();
    let ids: HashSet<_> = page.rows.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, HashSet::from(["a-0", "a-1", "a-2"]));
    assert!(page.rows.iter().all(|s| s.org_id == w.org_a));
    let b = w.service.search_sessions(&w.caller_b, q).await.unwrap();
    assert_eq!(b.rows.len(), 3);

    let all = w
        .service
        .search_decisions(
            &w.caller_a,
            DecisionQuery {
                limit: 200,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(all.rows.len(), 15);
    assert!(all.rows.iter().all(|d| d.org_id == w.org_a));
    // The shared session id holds A's five decisions, not B's four.
    let shared = w
        .service
        .session_log_page(&w.caller_a, "a-0", None, 200)
        .await
        .unwrap();
    assert_eq!(shared.rows.len(), 5);
    // B's own session is not found for A: through the service and as a page.
    let e = w.service.session_overview(&w.caller_a, "bee-0").await;
    assert!(matches!(e, Err(ServiceError::NotFound { .. })), "{e:?}");
    let (status, page) = w.get("/console/sessions/bee-0").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{page}");
    let (status, page) = w.get("/console/sessions/bee-0/verify").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{page}");
    for path in [
        "/console/sessions",
        "/console/decisions",
        "/console/decisions?session=bee-0",
        "/console/decisions?agent=bee-agent-0",
    ] {
        let (status, page) = w.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        // (A search echoes its own filter in the form; no row or link may name B's data.)
        assert!(
            !page.contains("/console/sessions/bee-") && !page.contains("<code>bee-"),
            "{path} shows another organization's data"
        );
    }
    let (_, page) = w.get("/console/decisions?session=bee-0").await;
    assert!(page.contains("No decisions match."));
    let (_, page) = w.get("/console/sessions").await;
    assert!(page.contains("a-2") && page.contains("/console/sessions/a-1"));
}

#[tokio::test]
async fn keyset_pages_return_every_row_exactly_once() {
    let w = World::new().await;
    let t0 = Utc::now() - Duration::hours(2);
    let org = w.org_a.clone();
    w.seed(&org, "big", 1, 237, t0).await;
    w.seed(&org, "s", 7, 5, t0 + Duration::minutes(5)).await;

    // The whole log, 50 a page, newest first, ties on the same millisecond included.
    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let q = DecisionQuery {
            after: after.clone(),
            limit: 50,
            ..Default::default()
        };
        let page = w.service.search_decisions(&w.caller_a, q).await.unwrap();
        seen.extend(
            page.rows
                .iter()
                .map(|d| (d.decided_at, d.session_id.clone(), d.seq)),
        );
        match page.next {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    assert_eq!(seen.len(), 237 + 35);
    let unique: HashSet<_> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len());
    assert!(seen.windows(2).all(|p| p[0] > p[1]), "not newest first");

    // Filtered: denials only, by action prefix, in pages of 7.
    let mut denied = 0;
    let mut after = None;
    loop {
        let q = DecisionQuery {
            allowed: Some(false),
            action: Some(ActionMatch::Prefix("db.".into())),
            after: after.clone(),
            limit: 7,
            ..Default::default()
        };
        let page = w.service.search_decisions(&w.caller_a, q).await.unwrap();
        assert!(
            page.rows
                .iter()
                .all(|d| !d.allowed && d.action_name.starts_with("db."))
        );
        denied += page.rows.len();
        match page.next {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    // seq % 3 == 0 is denied and is `db.query`: 79 of 237 and 1 of each 5.
    assert_eq!(denied, 79 + 7);

    // One session's log, newest first, 20 a page.
    let mut seqs = Vec::new();
    let mut before = None;
    loop {
        let page = w
            .service
            .session_log_page(&w.caller_a, "big-0", before, 20)
            .await
            .unwrap();
        seqs.extend(page.rows.iter().map(|d| d.seq));
        match page.next {
            Some(s) => before = Some(s),
            None => break,
        }
    }
    assert_eq!(seqs, (1..=237).rev().collect::<Vec<_>>());

    // Sessions, 3 a page.
    let mut ids = Vec::new();
    let mut after = None;
    loop {
        let q = SessionQuery {
            after: after.clone(),
            limit: 3,
            ..Default::default()
        };
        let page = w.service.search_sessions(&w.caller_a, q).await.unwrap();
        ids.extend(page.rows.iter().map(|s| s.id.clone()));
        match page.next {
            Some(c) => after = Some(c),
            None => break,
        }
    }
    assert_eq!(ids.len(), 8);
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 8);

    // The page's "Older →" link carries the cursor and the filters.
    let (status, page) = w.get("/console/decisions?verdict=denied").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("rel=\"next\""));
    assert!(page.contains("verdict=denied&amp;after_at="));
    assert_eq!(page.matches("data-verdict=\"denied\"").count(), 50);
    assert!(!page.contains("data-verdict=\"allowed\""));
}

#[tokio::test]
async fn decisions_are_searched_by_the_rule_that_decided() {
    let w = World::new().await;
    w.seed(&w.org_a.clone(), "r", 2, 30, Utc::now()).await;
    // The seeded log: allowed calls by `allowed`, the others by `tool_requires_approval`.
    let (status, page) = w
        .get("/console/decisions?rule=tool_requires_approval")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("data-verdict=\"denied\""), "{page}");
    assert!(!page.contains("data-verdict=\"allowed\""));
    let (_, page) = w.get("/console/decisions?rule=allowed").await;
    assert!(page.contains("data-verdict=\"allowed\""));
    assert!(!page.contains("data-verdict=\"denied\""));
}

#[tokio::test]
async fn verify_chain_reports_a_tampered_row() {
    let w = World::new().await;
    let org = w.org_a.clone();
    w.seed(&org, "v", 1, 12, Utc::now() - Duration::minutes(3))
        .await;
    let v = w.service.verify_chain(&w.caller_a, "v-0").await.unwrap();
    assert!(v.valid && v.entries == 12, "{v:?}");
    let (status, page) = w.get("/console/sessions/v-0/verify").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Chain intact") && page.contains("12 entries"),
        "{page}"
    );

    let db = rusqlite::Connection::open(w.db_path()).unwrap();
    let changed = db
        .execute(
            "UPDATE decisions SET allowed = 1, reason = 'looks fine' \
             WHERE org_id = ?1 AND session_id = 'v-0' AND seq = 6",
            [&org],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(db);

    let v = w.service.verify_chain(&w.caller_a, "v-0").await.unwrap();
    assert!(!v.valid, "{v:?}");
    assert!(v.error.as_deref().unwrap().contains("entry 6"), "{v:?}");
    let (status, page) = w.get("/console/sessions/v-0/verify").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Chain broken"), "{page}");
    assert!(page.contains("entry 6"), "{page}");
}

#[tokio::test]
async fn bad_filters_are_explained_not_failed() {
    let w = World::new().await;
    for path in [
        "/console/decisions?verdict=maybe",
        "/console/decisions?from=yesterday",
        "/console/decisions?after_at=x&after_session=y&after_seq=z",
        "/console/decisions?from=2026-01-02T00:00&to=2026-01-01T00:00",
        "/console/sessions?activity=sleepy",
        "/console/sessions?mode=root",
        "/console/decisions?rule=policy",
    ] {
        let (status, page) = w.get(path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(page.contains("role=\"alert\""), "{path}: {page}");
    }
    let (status, _) = w.get("/console/sessions/x?before=abc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}
