//! The Agents page: the organization's agents, one agent's details, and revoking an agent.
//!
//! Revoking asks first: the form carries `data-confirm` (the script asks and adds
//! `confirmed=yes`); without the script the server answers a confirmation page whose form
//! carries `confirmed=yes`. Only a POST with the CSRF token and `confirmed=yes` revokes.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use airlock_server::service::log_search::DecisionQuery;
use airlock_server::service::{Agent, Decision};

use crate::auth::{Signed, encode};
use crate::csrf::{self, CheckedForm};
use crate::error::ConsoleError;
use crate::layout::{self, Nav};
use crate::state::Console;

pub fn routes() -> Router<Console> {
    Router::new()
        .route("/console/agents", get(index))
        .route("/console/agents/{id}", get(detail))
        .route("/console/agents/{id}/revoke", post(revoke))
}

async fn index(State(console): State<Console>, signed: Signed) -> Result<Markup, ConsoleError> {
    let mut agents = console.service.agents(&signed.caller).await?;
    agents.sort_by_key(|a| std::cmp::Reverse(a.created_at));
    let body = html! {
        h1 { "Agents" }
        @if agents.is_empty() {
            (layout::empty("No agents are registered yet. Register one with the SDK or POST /api/v1/agents."))
        } @else {
            div.table-wrap {
                table {
                    caption.muted { (agents.len()) " agents" }
                    thead { tr {
                        th scope="col" { "Name" }
                        th scope="col" { "Framework" }
                        th scope="col" { "Capabilities" }
                        th scope="col" { "Status" }
                        th scope="col" { "Created" }
                    } }
                    tbody {
                        @for a in &agents {
                            tr {
                                td {
                                    a href=(agent_href(&a.id)) { (a.name) }
                                    br; code.muted { (a.id) }
                                }
                                td { (a.framework) }
                                td { (capabilities(&a.capabilities)) }
                                td { (status_badge(a)) }
                                td { (layout::time(a.created_at)) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(Some(&signed), "Agents", Nav::Agents, body))
}

fn agent_href(id: &str) -> String {
    format!("/console/agents/{}", encode(id))
}

fn capabilities(caps: &[String]) -> Markup {
    html! {
        @if caps.is_empty() {
            span.muted { "none" }
        } @else {
            ul.chips {
                @for c in caps { li { code { (c) } } }
            }
        }
    }
}

fn status_badge(a: &Agent) -> Markup {
    if a.status == "active" {
        html! { span class="badge ok" { "active" } }
    } else {
        html! { span class="badge bad" { (a.status) } }
    }
}

async fn detail(
    State(console): State<Console>,
    signed: Signed,
    Path(id): Path<String>,
) -> Result<Markup, ConsoleError> {
    let agent = console.service.agent(&signed.caller, &id).await?;
    let query = DecisionQuery {
        agent_id: Some(agent.id.clone()),
        limit: RECENT,
        ..DecisionQuery::default()
    };
    let recent = console
        .service
        .search_decisions(&signed.caller, query)
        .await?;
    Ok(agent_page(&signed, &agent, &recent.rows))
}

/// How many of an agent's latest decisions its page shows.
const RECENT: u64 = 20;

fn recent_decisions(rows: &[Decision]) -> Markup {
    html! {
        @if rows.is_empty() {
            (layout::empty("No decisions yet."))
        } @else {
            table.stack {
                thead { tr { th { "Time" } th { "Action" } th { "Effect" } th { "Verdict" } th { "Rule" } th { "Session" } } }
                tbody {
                    @for d in rows {
                        tr {
                            td data-label="Time" { (layout::time(d.decided_at)) }
                            td data-label="Action" { code { (d.action_name) } }
                            td data-label="Effect" { (layout::effect_badge(&d.effect)) }
                            td data-label="Verdict" { (layout::verdict_badge(d.allowed)) }
                            td data-label="Rule" { (d.rule) }
                            td data-label="Session" {
                                a href=(format!("/console/sessions/{}", encode(&d.session_id))) { code { (d.session_id) } }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn agent_page(signed: &Signed, a: &Agent, recent: &[Decision]) -> Markup {
    let metadata = serde_json::to_string_pretty(&a.metadata).unwrap_or_default();
    let body = html! {
        p { a href="/console/agents" { "← Agents" } }
        h1 { "Agent " (a.name) " " (status_badge(a)) }
        @if a.status != "active" {
            p.notice role="status" {
                "This agent is revoked"
                @if let Some(at) = a.revoked_at { " since " (layout::time(at)) }
                @if let Some(r) = &a.revoke_reason { " (" (r) ")" }
                ": its checks are denied and its tokens no longer work."
            }
        }
        dl.facts {
            dt { "Id" } dd { code { (a.id) } }
            dt { "Framework" } dd { (a.framework) }
            dt { "Status" } dd { (a.status) }
            dt { "Created" } dd { (layout::time(a.created_at)) }
            dt { "Capabilities" } dd { (capabilities(&a.capabilities)) }
        }
        @if a.metadata.as_object().is_some_and(|m| !m.is_empty()) {
            h2 { "Metadata" }
            (layout::folded("Metadata", &metadata))
        }
        h2 { "Recent decisions" }
        (recent_decisions(recent))
        p {
            a href=(format!("/console/decisions?agent={}", encode(&a.id))) {
                "All of this agent's decisions"
            }
        }
        @if a.status == "active" {
            h2 { "Revoke" }
            form.card method="post" action=(format!("{}/revoke", agent_href(&a.id)))
                data-confirm=(format!("Revoke agent {}? Its checks will be denied from now on; this cannot be undone.", a.name))
                data-confirm-field="confirmed" {
                (csrf::field(signed))
                p.hint { "Revoking denies every later check of this agent and ends its tokens. It cannot be undone." }
                label for="reason" { "Reason (optional)" }
                input #reason type="text" name="reason" maxlength="1024" placeholder="manual_revocation";
                div.actions { button.danger type="submit" { "Revoke agent" } }
            }
        }
    };
    layout::page(
        Some(signed),
        &format!("Agent {}", a.name),
        Nav::Agents,
        body,
    )
}

#[derive(Deserialize)]
struct RevokeForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    confirmed: String,
}

async fn revoke(
    State(console): State<Console>,
    Path(id): Path<String>,
    CheckedForm { signed, form }: CheckedForm<RevokeForm>,
) -> Result<Response, ConsoleError> {
    if form.confirmed != "yes" {
        // No script asked: ask here, on a page of its own.
        let agent = console.service.agent(&signed.caller, &id).await?;
        return Ok(confirm_page(&signed, &agent, &form.reason).into_response());
    }
    let reason = Some(form.reason.trim()).filter(|r| !r.is_empty());
    console
        .service
        .revoke_agent(&signed.caller, &id, reason)
        .await?;
    Ok(Redirect::to(&agent_href(&id)).into_response())
}

fn confirm_page(signed: &Signed, a: &Agent, reason: &str) -> Markup {
    let body = html! {
        h1 { "Revoke agent " (a.name) "?" }
        p { "Every later check of " code { (a.id) } " will be denied and its tokens will stop working. This cannot be undone." }
        form.card method="post" action=(format!("{}/revoke", agent_href(&a.id))) {
            (csrf::field(signed))
            input type="hidden" name="confirmed" value="yes";
            input type="hidden" name="reason" value=(reason);
            div.actions {
                button.danger type="submit" { "Yes, revoke " (a.name) }
                a.button href=(agent_href(&a.id)) { "Cancel" }
            }
        }
    };
    layout::page(Some(signed), "Revoke agent", Nav::Agents, body)
}
