//! The Approvals page (the console's landing page): pending approvals with their whole input
//! and the Approve/Deny form, then recently decided ones; one approval's own page (the link
//! notifications carry); live updates over server-sent events (see [`events`]).

mod cards;
mod events;

use std::collections::HashMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use maud::{Markup, html};
use serde::Deserialize;

use airlock_server::service::{FeedFilter, ServiceError};

use crate::auth::Signed;
use crate::csrf::CheckedForm;
use crate::error::ConsoleError;
use crate::layout::{self, Nav};
use crate::state::Console;

pub use cards::time_left;

pub fn routes() -> Router<Console> {
    Router::new()
        .route("/console/approvals", get(index))
        .route("/console/approvals/events", get(events::stream))
        .route("/console/approvals/{id}", get(one))
        .route("/console/approvals/{id}/decide", post(decide))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    status: Option<String>,
    /// `1`: only the list, for the script's live refresh.
    fragment: Option<String>,
    /// After a decision: what was done (`approved`/`denied`) and to which approval.
    done: Option<String>,
    id: Option<String>,
}

const FILTERS: &[(&str, &str)] = &[
    ("all", "Pending and recently decided"),
    ("pending", "Pending"),
    ("decided", "Decided"),
    ("approved", "Approved"),
    ("denied", "Denied"),
    ("used", "Used"),
    ("expired", "Expired"),
];

async fn index(
    State(console): State<Console>,
    signed: Signed,
    Query(q): Query<ListQuery>,
) -> Result<Response, ConsoleError> {
    let status = q.status.as_deref().unwrap_or("all");
    let Some(filter) = FeedFilter::parse(Some(status)) else {
        return Err(ConsoleError::Invalid(
            "unknown status: choose pending, decided, approved, denied, used or expired".into(),
        ));
    };
    let now = Utc::now();
    let feed = console
        .service
        .approval_feed(&signed.caller, filter, now)
        .await?;
    let list = cards::list(&signed, &feed, status, now);
    if q.fragment.as_deref() == Some("1") {
        return Ok(list.into_response());
    }
    let notice = match (q.done.as_deref(), q.id.as_deref()) {
        (Some(done @ ("approved" | "denied")), Some(id)) => Some(format!("Approval {id} {done}.")),
        _ => None,
    };
    let body = html! {
        h1 { "Approvals" }
        @if let Some(n) = notice { p.notice role="status" { (n) } }
        form.filters method="get" action="/console/approvals" {
            label for="status" { "Status" }
            select #status name="status" {
                @for (value, label) in FILTERS {
                    option value=(value) selected[*value == status] { (label) }
                }
            }
            button type="submit" { "Filter" }
        }
        (list)
    };
    Ok(layout::page(Some(&signed), "Approvals", Nav::Approvals, body).into_response())
}

async fn one(
    State(console): State<Console>,
    signed: Signed,
    Path(id): Path<String>,
) -> Result<Markup, ConsoleError> {
    let (approval, agent) = console
        .service
        .approval_with_agent(&signed.caller, &id)
        .await
        .map_err(not_found_as_page)?;
    let names: HashMap<String, String> = agent
        .map(|n| (approval.agent_id.clone(), n))
        .into_iter()
        .collect();
    let body = html! {
        p { a href="/console/approvals" { "← All approvals" } }
        h1 { "Approval " code { (approval.id) } }
        (cards::card(&signed, &approval, &names, Utc::now(), true))
    };
    Ok(layout::page(
        Some(&signed),
        &format!("Approval {}", approval.id),
        Nav::Approvals,
        body,
    ))
}

#[derive(Deserialize)]
pub struct DecideForm {
    decision: String,
    #[serde(default)]
    note: Option<String>,
    /// `detail`: go back to the approval's own page.
    #[serde(default)]
    back: Option<String>,
}

async fn decide(
    State(console): State<Console>,
    Path(id): Path<String>,
    CheckedForm { signed, form }: CheckedForm<DecideForm>,
) -> Result<Response, ConsoleError> {
    let approve = match form.decision.as_str() {
        "approve" => true,
        "deny" => false,
        _ => {
            return Err(ConsoleError::Invalid(
                "decision must be approve or deny".into(),
            ));
        }
    };
    let decided_by = format!("console:{}", signed.caller.key_id);
    let result = console
        .service
        .decide_approval(
            &signed.caller,
            &id,
            Some(&decided_by),
            form.note.as_deref(),
            approve,
        )
        .await;
    match result {
        Ok(d) => {
            let done = if approve { "approved" } else { "denied" };
            let to = if form.back.as_deref() == Some("detail") {
                format!("/console/approvals/{}", crate::auth::encode(&d.approval.id))
            } else {
                format!(
                    "/console/approvals?done={done}&id={}",
                    crate::auth::encode(&d.approval.id)
                )
            };
            Ok(Redirect::to(&to).into_response())
        }
        Err(ServiceError::Conflict(message)) => Ok(already_decided(&signed, &id, &message)),
        Err(e) => Err(not_found_as_page(e)),
    }
}

/// An approval someone else (or time) decided first: a clear page, not an error.
fn already_decided(signed: &Signed, id: &str, message: &str) -> Response {
    let body = html! {
        h1 { "Already decided" }
        p.error role="alert" { (message) ". Nothing was changed." }
        p {
            a href={ "/console/approvals/" (crate::auth::encode(id)) } { "See the approval" }
            " · " a href="/console/approvals" { "All approvals" }
        }
    };
    (
        axum::http::StatusCode::CONFLICT,
        layout::page(Some(signed), "Already decided", Nav::Approvals, body),
    )
        .into_response()
}

/// Another organization's approval, or an id that is no approval, is a 404 page.
fn not_found_as_page(e: ServiceError) -> ConsoleError {
    match e {
        ServiceError::NotFound { .. } | ServiceError::Invalid(_) => {
            ConsoleError::NotFound("approval".into())
        }
        other => other.into(),
    }
}
