//! The HTTP API: AgentTrust ID wire paths plus Airlock's own under `/api/v1/`.

mod a2a;
mod agent_cards;
mod agents;
mod approvals;
mod audit;
mod authzen;
mod check;
mod delegations;
mod federation;
mod identity;
mod notifications;
mod openapi;
mod policies;
mod reviewers;
mod servers;
mod sessions;
mod siem;
mod tokens;
mod tools;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::{Json, extract::State};
use serde_json::{Value, json};

pub use openapi::{ApiDoc, document as openapi_document};

use crate::Service;
use crate::error::ApiError;

pub fn router(service: Service) -> Router {
    let limit = service.config().max_body_bytes;
    let router = Router::new();
    #[cfg(feature = "bench-baseline")]
    let router = if service.config().bench_routes {
        router
            .route("/api/v1/bench/baseline", post(check::baseline))
            .route("/api/v1/bench/trivial", post(check::trivial))
    } else {
        router
    };
    let router = if service.config().metrics {
        router.route("/metrics", get(metrics))
    } else {
        router
    };
    router
        .route("/health", get(health))
        .route("/api/v1/openapi.json", get(openapi::openapi_json))
        .route("/api/v1/agents", post(agents::create).get(agents::list))
        .route("/api/v1/agents/{id}", get(agents::get))
        .route("/api/v1/agents/{id}/revoke", post(agents::revoke))
        .route(
            "/api/v1/agents/{id}/card",
            post(agent_cards::generate).get(agent_cards::get),
        )
        .route(
            "/api/v1/agents/{id}/card/publish",
            axum::routing::put(agent_cards::publish),
        )
        .route("/a2a", post(a2a::rpc))
        .route("/a2a/agents/{agent_id}", post(a2a::agent_rpc))
        .route("/a2a/agents/{agent_id}/agent.json", get(a2a::public_card))
        .route("/api/v1/agents/{id}/challenge", post(identity::challenge))
        .route(
            "/api/v1/agents/{id}/public-key",
            axum::routing::put(identity::rotate_key),
        )
        .route(
            "/api/v1/agenttrust/api-sessions/init",
            post(identity::api_session),
        )
        .route(
            "/api/v1/federation/providers",
            post(federation::create).get(federation::list),
        )
        .route(
            "/api/v1/federation/providers/{id}",
            axum::routing::delete(federation::delete),
        )
        .route(
            "/api/v1/federation/tokens/introspect",
            post(federation::introspect),
        )
        .route("/api/v1/federation/tokens/verify", post(federation::verify))
        .route("/api/v1/federation/tokens/revoke", post(federation::revoke))
        .route("/api/v1/federation/tokens/issue", post(federation::issue))
        .route(
            "/api/v1/federation/sessions/init",
            post(federation::session),
        )
        .route(
            "/api/v1/delegations",
            post(delegations::create).get(delegations::list),
        )
        .route(
            "/api/v1/delegations/{id}",
            get(delegations::get).delete(delegations::revoke),
        )
        .route(
            "/api/v1/delegations/{id}/session",
            post(delegations::session),
        )
        .route("/api/v1/wimse/token", post(identity::wimse_token))
        .route("/api/v1/wimse/verify", post(identity::wimse_verify))
        .route(
            "/api/v1/orgs/security-settings",
            get(identity::get_security).put(identity::put_security),
        )
        .route("/mcp/servers", post(servers::create).get(servers::list))
        .route(
            "/mcp/servers/{id}",
            get(servers::get).delete(servers::delete),
        )
        .route("/mcp/sessions/init", post(sessions::init))
        .route("/mcp/sessions/{id}", get(sessions::get))
        .route("/api/v1/agenttrust/check", post(check::check))
        .route("/api/v1/actions/check", post(check::check_actions))
        .route("/mcp/approvals", get(approvals::list))
        .route("/mcp/approvals/{id}", get(approvals::get))
        .route("/mcp/approvals/{id}/approve", post(approvals::approve))
        .route("/mcp/approvals/{id}/deny", post(approvals::deny))
        .route(
            "/api/v1/notifications/webhooks",
            post(notifications::create).get(notifications::list),
        )
        .route(
            "/api/v1/siem/destinations",
            post(siem::create).get(siem::list),
        )
        .route(
            "/api/v1/siem/destinations/{id}",
            get(siem::get).put(siem::update).delete(siem::delete),
        )
        .route("/api/v1/siem/destinations/{id}/logs", get(siem::logs))
        .route("/api/v1/siem/destinations/{id}/test", post(siem::test))
        .route(
            "/api/v1/notifications/webhooks/{id}",
            axum::routing::delete(notifications::delete),
        )
        .route("/api/v1/agent-tokens/issue", post(tokens::issue))
        .route("/api/v1/agent-tokens/introspect", post(tokens::introspect))
        .route("/api/v1/agent-tokens/verify", post(tokens::verify))
        .route("/api/v1/agent-tokens/revoke", post(tokens::revoke))
        .route("/api/v1/mcp/servers/{id}/tools", get(tools::list))
        .route(
            "/api/v1/mcp/servers/{id}/tools/observe",
            post(tools::observe),
        )
        .route("/api/v1/mcp/servers/{id}/tools/accept", post(tools::accept))
        .route("/api/v1/telemetry/report", post(audit::telemetry))
        .route("/api/v1/sessions/{id}", get(sessions::get_v1))
        .route("/api/v1/sessions/{id}/decisions", get(audit::decisions))
        .route("/api/v1/sessions/{id}/verify", get(audit::verify))
        .route("/api/v1/audit/public-key", get(audit::public_keys))
        .merge(authzen::router())
        .route("/api/v1/reviewers", get(reviewers::get).put(reviewers::put))
        .route("/api/v1/policies/schema", get(policies::schema))
        .route(
            "/api/v1/policies",
            post(policies::create).get(policies::list),
        )
        .route(
            "/api/v1/policies/{id}",
            get(policies::get)
                .put(policies::update)
                .delete(policies::delete),
        )
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(limit))
        .with_state(service)
}

#[utoipa::path(
    get,
    path = "/health",
    tag = "meta",
    responses((status = 200, description = "Whether the store answers", body = openapi::answers::Health))
)]
async fn health(State(service): State<Service>) -> Json<Value> {
    let ok = service.healthy().await;
    Json(json!({
        "status": if ok { "healthy" } else { "unhealthy" },
        "service": "airlock",
        "version": env!("CARGO_PKG_VERSION"),
    }))
}

/// Unauthenticated, like `/health`: scrapers rarely send keys, and every series is aggregate
/// over organizations with no ids in its labels.
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "meta",
    description = "Prometheus metrics in OpenMetrics text; absent with `--metrics false`.",
    responses(
        (status = 200, description = "The metrics", content_type = "application/openmetrics-text", body = String),
        (status = 503, description = "The store could not be read", body = openapi::answers::ErrorBody),
    )
)]
async fn metrics(State(service): State<Service>) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let text = service.metrics_text().await?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            crate::metrics::CONTENT_TYPE,
        )],
        text,
    )
        .into_response())
}

async fn not_found() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::NOT_FOUND,
        "not_found",
        "no such route",
    )
}

async fn method_not_allowed() -> ApiError {
    ApiError::new(
        axum::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "method not allowed on this route",
    )
}
