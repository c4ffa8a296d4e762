//! A session's page: its mode, ceiling, counters, elevation deadline, agent and server, its
//! decision log newest first page by page, and "Verify chain" (a GET: verifying changes
//! nothing) that replays the session's hash chain and shows the result.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;

use airlock_server::service::Verification;
use airlock_server::service::log_search::SessionOverview;

use crate::auth::Signed;
use crate::error::ConsoleError;
use crate::layout::{self, Nav};
use crate::pages::decisions::{self, pager, segment};
use crate::state::Console;

pub fn routes() -> Router<Console> {
    Router::new()
        .route("/console/sessions/{id}", get(show))
        .route("/console/sessions/{id}/verify", get(verify))
}

#[derive(Debug, Default, Deserialize)]
pub struct LogParams {
    /// Show decisions with a sequence number below this one.
    before: Option<String>,
}

impl LogParams {
    fn before(&self) -> Result<Option<u64>, ConsoleError> {
        match self.before.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(v) => v
                .parse::<u64>()
                .map(Some)
                .map_err(|_| ConsoleError::Invalid("`before` is a sequence number".into())),
        }
    }
}

async fn show(
    State(console): State<Console>,
    signed: Signed,
    Path(id): Path<String>,
    Query(params): Query<LogParams>,
) -> Result<Markup, ConsoleError> {
    render(&console, &signed, &id, params.before()?, None).await
}

async fn verify(
    State(console): State<Console>,
    signed: Signed,
    Path(id): Path<String>,
) -> Result<Markup, ConsoleError> {
    let result = console.service.verify_chain(&signed.caller, &id).await?;
    render(&console, &signed, &id, None, Some(result)).await
}

async fn render(
    console: &Console,
    signed: &Signed,
    id: &str,
    before: Option<u64>,
    verification: Option<Verification>,
) -> Result<Markup, ConsoleError> {
    let overview = console.service.session_overview(&signed.caller, id).await?;
    let log = console
        .service
        .session_log_page(&signed.caller, id, before, decisions::PAGE)
        .await?;
    let base = format!("/console/sessions/{}", segment(id));
    let next = log.next.map(|seq| format!("{base}?before={seq}"));
    let first = before.map(|_| base.clone());
    let title = format!("Session {id}");
    Ok(layout::page(
        Some(signed),
        &title,
        Nav::Sessions,
        html! {
            p.crumbs { a href="/console/sessions" { "← Sessions" } }
            h1 { "Session " code { (id) } }
            (summary(&overview))
            section aria-labelledby="chain-h" {
                h2 id="chain-h" { "Hash chain" }
                form method="get" action=(format!("{base}/verify")) {
                    button.primary type="submit" { "Verify chain" }
                }
                @if let Some(v) = &verification { (verification_result(v)) }
            }
            section aria-labelledby="log-h" {
                h2 id="log-h" { "Decision log" }
                @if log.rows.is_empty() {
                    (layout::empty("No decisions recorded."))
                } @else {
                    (decisions::table(&log.rows, false))
                }
                (pager(first.as_deref(), next.as_deref()))
            }
        },
    ))
}

fn summary(o: &SessionOverview) -> Markup {
    let s = &o.session;
    html! {
        dl.facts {
            dt { "Mode" } dd { (super::mode_badge(s)) }
            dt { "Elevated until" } dd { (layout::time_or_dash(s.elevated_until)) }
            dt { "Agent" }
            dd {
                @match &o.agent {
                    Some(a) => { (a.name) " " code { (a.id) } " " span.badge { (a.status) } },
                    None => { code { (s.agent_id) } " " span.muted { "(not registered)" } },
                }
            }
            dt { "Server" }
            dd {
                @match (&o.server, &s.server_id) {
                    (Some(srv), _) => { (srv.name) " " code { (srv.id) } },
                    (None, Some(id)) => { code { (id) } " " span.muted { "(removed)" } },
                    (None, None) => { span.muted { "none (" (s.source) ")" } },
                }
            }
            dt { "Scope ceiling" }
            dd {
                @if s.scope_ceiling.is_empty() {
                    span.muted { "nothing allowed" }
                } @else {
                    ul.ceiling { @for c in &s.scope_ceiling { li { code { (c) } } } }
                }
            }
            dt { "Calls" } dd.num { (s.total_calls) }
            dt { "Denied" } dd.num { (s.denied_calls) }
            dt { "Write calls" } dd.num { (s.write_calls) }
            dt { "Started" } dd { (layout::time(s.created_at)) }
            dt { "Last activity" } dd { (layout::time(s.last_activity_at)) }
            dt { "Chain head" } dd { code.hash { (s.head) } }
        }
    }
}

fn verification_result(v: &Verification) -> Markup {
    html! {
        @if v.valid {
            p.notice.chain-ok role="status" {
                strong { "Chain intact" } ": " (v.entries) " entries replayed; the head matches."
            }
        } @else {
            p.error.chain-broken role="alert" {
                strong { "Chain broken" } ": "
                (v.error.as_deref().unwrap_or("the replay does not match"))
                " (" (v.entries) " entries for " (v.calls) " calls)."
            }
        }
    }
}
