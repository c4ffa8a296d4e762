//! `GET /metrics`: the counters move with checks, and `--metrics false` removes the route.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use serde_json::{Value, json};

use airlock_server::Config;
use common::Api;

/// The value of the sample line `series` (name and labels, exactly as exposed).
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|l| l.strip_prefix(series)?.strip_prefix(' '))
        .and_then(|v| v.split(' ').next()?.parse().ok())
}

fn decision_series(v: &Value) -> String {
    format!(
        "airlock_decisions_total{{effect=\"{}\",allowed=\"{}\",rule=\"{}\",guard_tier=\"{}\"}}",
        v["effect"].as_str().unwrap(),
        v["allowed"],
        v["rule"].as_str().unwrap(),
        v["guard_tier"].as_str().unwrap()
    )
}

#[tokio::test]
async fn metrics_move_with_checks() {
    let api = Api::new().await;
    let (status, ctype, before) = api.get_text("/metrics").await;
    assert_eq!(status, StatusCode::OK, "{before}");
    assert!(ctype.starts_with("application/openmetrics-text"), "{ctype}");
    assert!(before.ends_with("# EOF\n"), "{before}");
    assert_eq!(
        sample(&before, "airlock_check_duration_seconds_count"),
        Some(0.0)
    );
    assert_eq!(sample(&before, "airlock_approvals_pending"), Some(0.0));

    let (agent, session) = api.setup(&["db.*"], "standard").await;
    let check = |action: &str| {
        json!({"agent_id": agent, "session_id": session, "action_name": action,
               "action_input_summary": "t1", "action_source": "mcp"})
    };
    let (_, read) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(check("db.read_rows")),
        )
        .await;
    assert_eq!(read["allowed"], true, "{read}");
    let (_, drop) = api
        .call(
            "POST",
            "/api/v1/agenttrust/check",
            Some(check("db.drop_table")),
        )
        .await;
    assert_eq!(drop["allowed"], false, "{drop}");
    assert!(drop["approval_id"].is_string(), "{drop}");

    let (_, _, after) = api.get_text("/metrics").await;
    assert_eq!(
        sample(
            &after,
            "airlock_decisions_total{effect=\"read\",allowed=\"true\",rule=\"allowed\",guard_tier=\"fast\"}"
        ),
        Some(1.0),
        "{after}"
    );
    assert_eq!(
        decision_series(&read),
        "airlock_decisions_total{effect=\"read\",allowed=\"true\",rule=\"allowed\",guard_tier=\"fast\"}"
    );
    assert_eq!(
        sample(&after, &decision_series(&drop)),
        Some(1.0),
        "{after}"
    );
    assert_eq!(
        sample(&after, "airlock_check_duration_seconds_count"),
        Some(2.0),
        "{after}"
    );
    assert_eq!(
        sample(&after, "airlock_approvals_pending"),
        Some(1.0),
        "{after}"
    );
    assert_eq!(
        sample(&after, "airlock_gateway_tool_calls_total{allowed=\"true\"}"),
        Some(1.0),
        "{after}"
    );
    assert_eq!(
        sample(
            &after,
            "airlock_gateway_tool_calls_total{allowed=\"false\"}"
        ),
        Some(1.0),
        "{after}"
    );
    // Every store request went through a group commit: the checks and the set-up at least.
    let batches = sample(&after, "airlock_store_batch_size_count").unwrap();
    let requests = sample(&after, "airlock_store_batch_size_sum").unwrap();
    assert!(batches >= 1.0 && requests >= batches, "{after}");
    assert_eq!(
        sample(&after, "airlock_store_commit_duration_seconds_count"),
        Some(batches),
        "{after}"
    );
    // No organization, agent or session id is exposed.
    for id in [agent.as_str(), session.as_str()] {
        assert!(!after.contains(id), "{after}");
    }
    assert!(!after.contains("org_"), "{after}");
}

#[tokio::test]
async fn metrics_false_removes_the_route() {
    let api = Api::with_config(Config {
        metrics: false,
        ..Config::default()
    })
    .await;
    let (status, _, _) = api.get_text("/metrics").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
