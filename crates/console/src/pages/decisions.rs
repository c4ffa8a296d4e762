//! The Decisions page: a search of the organization's decision log (agent, session, action
//! exact or prefix, effect, verdict, rule, time range), newest first, keyset-paged. Also the
//! decision table the session page reuses.

pub mod form;

use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use maud::{Markup, html};

use airlock_server::service::log_search::{Decision, DecisionQuery};

use crate::auth::Signed;
use crate::error::ConsoleError;
use crate::layout::{self, Nav};
use crate::state::Console;

pub use form::{DecisionParams, query_string};

/// Rows per page of the decision log.
pub const PAGE: u64 = 50;

pub fn routes() -> Router<Console> {
    Router::new().route("/console/decisions", get(index))
}

async fn index(
    State(console): State<Console>,
    signed: Signed,
    Query(params): Query<DecisionParams>,
) -> Result<Markup, ConsoleError> {
    let agents = console.service.agents(&signed.caller).await?;
    let body = match params.query(PAGE) {
        Ok(query) => results(&console, &signed, &params, query).await?,
        Err(e) => html! { p.error role="alert" { (e.to_string()) } },
    };
    Ok(layout::page(
        Some(&signed),
        "Decisions",
        Nav::Decisions,
        html! {
            h1 { "Decisions" }
            (form::filters(&params, &agents))
            (body)
        },
    ))
}

async fn results(
    console: &Console,
    signed: &Signed,
    params: &DecisionParams,
    query: DecisionQuery,
) -> Result<Markup, ConsoleError> {
    let page = match console
        .service
        .search_decisions(&signed.caller, query)
        .await
    {
        Ok(p) => p,
        Err(e) => {
            let e = ConsoleError::from(e);
            if matches!(e, ConsoleError::Invalid(_)) {
                return Ok(html! { p.error role="alert" { (e.to_string()) } });
            }
            return Err(e);
        }
    };
    let next = page
        .next
        .map(|cursor| format!("/console/decisions?{}", query_string(params, Some(&cursor))));
    let first = params
        .is_paged()
        .then(|| format!("/console/decisions?{}", query_string(params, None)));
    Ok(html! {
        @if page.rows.is_empty() {
            (layout::empty("No decisions match."))
        } @else {
            (table(&page.rows, true))
        }
        (pager(first.as_deref(), next.as_deref()))
    })
}

/// "Newest" (back to the first page) and "Older →" links of a keyset-paged list.
pub fn pager(first: Option<&str>, next: Option<&str>) -> Markup {
    html! {
        @if first.is_some() || next.is_some() {
            nav.pager aria-label="Pages" {
                @if let Some(f) = first { a href=(f) { "↑ Newest" } }
                @if let Some(n) = next { a href=(n) rel="next" { "Older →" } }
            }
        }
    }
}

/// A table of decisions, newest first. With `with_session`, each row names and links its
/// session.
pub fn table(rows: &[Decision], with_session: bool) -> Markup {
    html! {
        div.table-wrap {
            table.decisions.stack {
                thead {
                    tr {
                        th scope="col" { "Time" }
                        th scope="col" { "#" }
                        @if with_session { th scope="col" { "Session" } th scope="col" { "Agent" } }
                        th scope="col" { "Action" }
                        th scope="col" { "Effect" }
                        th scope="col" { "Verdict" }
                        th scope="col" { "Rule" }
                        th scope="col" { "Reason" }
                        th scope="col" { "Check" }
                    }
                }
                tbody {
                    @for d in rows { (row(d, with_session)) }
                }
            }
        }
    }
}

fn row(d: &Decision, with_session: bool) -> Markup {
    let session_href = format!("/console/sessions/{}", segment(&d.session_id));
    html! {
        tr.decision data-verdict=(if d.allowed { "allowed" } else { "denied" }) {
            td data-label="Time" { (layout::time(d.decided_at)) }
            td.num data-label="#" { (d.seq) }
            @if with_session {
                td data-label="Session" { a href=(session_href) { code { (d.session_id) } } }
                td data-label="Agent" { code { (d.agent_id) } }
            }
            td.action data-label="Action" { code { (d.action_name) } }
            td data-label="Effect" { (layout::effect_badge(&d.effect)) }
            td data-label="Verdict" { (layout::verdict_badge(d.allowed)) }
            td data-label="Rule" {
                span.badge title=(format!("decided by the {} tier", d.guard_tier)) {
                    @if d.rule.is_empty() { (d.guard_tier) } @else { (d.rule) }
                }
                @if let Some(a) = &d.approval_id {
                    " " a href=(format!("/console/approvals/{}", segment(a))) { code { (a) } }
                }
            }
            td.reason data-label="Reason" {
                (d.reason)
                @if !d.reasons.is_empty() || !d.input_summary.is_empty() {
                    details.long {
                        summary { "Details" }
                        @if !d.reasons.is_empty() {
                            ul.reasons { @for r in &d.reasons { li { (r) } } }
                        }
                        @if !d.input_summary.is_empty() {
                            p.hint { "Input (summary), digest " code { (d.input_digest) } }
                            pre { code { (d.input_summary) } }
                        }
                    }
                }
            }
            td data-label="Check" { code.check-id { (d.check_id) } }
        }
    }
}

/// `s` percent-encoded as one path segment.
pub fn segment(s: &str) -> String {
    crate::auth::encode(s).replace('/', "%2F")
}
