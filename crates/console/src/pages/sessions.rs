//! The Sessions page: the organization's agent sessions, latest activity first, filtered by
//! agent, server, mode and activity, keyset-paged. A session's own page is in [`detail`].

mod detail;

use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use chrono::{Duration, Utc};
use maud::{Markup, html};
use serde::Deserialize;

use airlock_server::service::log_search::{Session, SessionCursor, SessionQuery};
use airlock_server::service::{Agent, Server};

use crate::auth::Signed;
use crate::error::ConsoleError;
use crate::layout::{self, Nav};
use crate::pages::decisions::{form::cursor_time, pager, segment};
use crate::state::Console;

/// Rows per page.
const PAGE: u64 = 50;
/// A session without a call for this long is idle.
pub const IDLE_AFTER_MINUTES: i64 = 15;

pub fn routes() -> Router<Console> {
    Router::new()
        .route("/console/sessions", get(index))
        .merge(detail::routes())
}

/// The list's filters as its URL carries them. Empty means "any".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SessionParams {
    pub agent: Option<String>,
    pub server: Option<String>,
    pub mode: Option<String>,
    /// `active` or `idle`.
    pub activity: Option<String>,
    pub after_at: Option<String>,
    pub after_id: Option<String>,
}

fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

impl SessionParams {
    fn query(&self) -> Result<SessionQuery, ConsoleError> {
        let cutoff = Utc::now() - Duration::minutes(IDLE_AFTER_MINUTES);
        let (active_since, idle_before) = match given(&self.activity).as_deref() {
            None => (None, None),
            Some("active") => (Some(cutoff), None),
            Some("idle") => (None, Some(cutoff)),
            Some(_) => return Err(ConsoleError::Invalid("`activity` is active or idle".into())),
        };
        let base_mode = given(&self.mode);
        if let Some(m) = &base_mode
            && !matches!(m.as_str(), "read_only" | "standard")
        {
            return Err(ConsoleError::Invalid(
                "`mode` is read_only or standard".into(),
            ));
        }
        let after = match (given(&self.after_at), given(&self.after_id)) {
            (None, None) => None,
            (Some(at), Some(id)) => Some((cursor_time(&at)?, id)),
            _ => return Err(ConsoleError::Invalid("the page cursor is not valid".into())),
        };
        Ok(SessionQuery {
            agent_id: given(&self.agent),
            server_id: given(&self.server),
            base_mode,
            active_since,
            idle_before,
            after,
            limit: PAGE,
        })
    }

    fn href(&self, cursor: Option<&SessionCursor>) -> String {
        let mut pairs: Vec<(&str, String)> = [
            ("agent", &self.agent),
            ("server", &self.server),
            ("mode", &self.mode),
            ("activity", &self.activity),
        ]
        .into_iter()
        .filter_map(|(k, v)| given(v).map(|v| (k, v)))
        .collect();
        if let Some((at, id)) = cursor {
            pairs.push((
                "after_at",
                at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
            ));
            pairs.push(("after_id", id.clone()));
        }
        format!(
            "/console/sessions?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    }
}

async fn index(
    State(console): State<Console>,
    signed: Signed,
    Query(params): Query<SessionParams>,
) -> Result<Markup, ConsoleError> {
    let agents = console.service.agents(&signed.caller).await?;
    let servers = console.service.servers(&signed.caller).await?;
    let results = match params.query() {
        Ok(q) => match console.service.search_sessions(&signed.caller, q).await {
            Ok(page) => {
                let next = page.next.as_ref().map(|c| params.href(Some(c)));
                let first = given(&params.after_at).map(|_| params.href(None));
                html! {
                    @if page.rows.is_empty() {
                        (layout::empty("No sessions match."))
                    } @else {
                        (table(&page.rows))
                    }
                    (pager(first.as_deref(), next.as_deref()))
                }
            }
            Err(e) => match ConsoleError::from(e) {
                ConsoleError::Invalid(m) => html! { p.error role="alert" { (m) } },
                other => return Err(other),
            },
        },
        Err(e) => html! { p.error role="alert" { (e.to_string()) } },
    };
    Ok(layout::page(
        Some(&signed),
        "Sessions",
        Nav::Sessions,
        html! {
            h1 { "Sessions" }
            (filters(&params, &agents, &servers))
            (results)
        },
    ))
}

fn selected(current: &Option<String>, value: &str) -> bool {
    current.as_deref().map(str::trim) == Some(value)
}

fn filters(p: &SessionParams, agents: &[Agent], servers: &[Server]) -> Markup {
    html! {
        form.filters method="get" action="/console/sessions" aria-label="Filter sessions" {
            div.fields {
                div {
                    label for="s-agent" { "Agent" }
                    select id="s-agent" name="agent" {
                        option value="" { "Any agent" }
                        @for a in agents {
                            option value=(a.id) selected[selected(&p.agent, &a.id)] { (a.name) " (" (a.id) ")" }
                        }
                    }
                }
                div {
                    label for="s-server" { "Server" }
                    select id="s-server" name="server" {
                        option value="" { "Any server" }
                        @for s in servers {
                            option value=(s.id) selected[selected(&p.server, &s.id)] { (s.name) }
                        }
                    }
                }
                div {
                    label for="s-mode" { "Mode" }
                    select id="s-mode" name="mode" {
                        option value="" { "Any mode" }
                        option value="read_only" selected[selected(&p.mode, "read_only")] { "read_only" }
                        option value="standard" selected[selected(&p.mode, "standard")] { "standard" }
                    }
                }
                div {
                    label for="s-activity" { "Activity" }
                    select id="s-activity" name="activity" {
                        option value="" { "Any" }
                        option value="active" selected[selected(&p.activity, "active")] {
                            "Active (a call in the last " (IDLE_AFTER_MINUTES) " min)"
                        }
                        option value="idle" selected[selected(&p.activity, "idle")] {
                            "Idle (" (IDLE_AFTER_MINUTES) " min or more)"
                        }
                    }
                }
            }
            div.actions {
                button.primary type="submit" { "Filter" }
                a.button href="/console/sessions" { "Clear" }
            }
        }
    }
}

/// The mode a session is in now: its base mode, or elevated until a deadline.
pub fn mode_badge(s: &Session) -> Markup {
    match s.elevated_until.filter(|t| *t > Utc::now()) {
        Some(_) => {
            html! { span class="badge warn" title="Elevated" { (s.base_mode) " · elevated" } }
        }
        None => html! { span.badge { (s.base_mode) } },
    }
}

fn table(rows: &[Session]) -> Markup {
    html! {
        div.table-wrap {
            table.sessions.stack {
                thead {
                    tr {
                        th scope="col" { "Session" }
                        th scope="col" { "Agent" }
                        th scope="col" { "Server" }
                        th scope="col" { "Mode" }
                        th scope="col" { "Calls" }
                        th scope="col" { "Denied" }
                        th scope="col" { "Writes" }
                        th scope="col" { "Last activity" }
                        th scope="col" { "Started" }
                    }
                }
                tbody {
                    @for s in rows {
                        tr {
                            td data-label="Session" { a href=(format!("/console/sessions/{}", segment(&s.id))) { code { (s.id) } } }
                            td data-label="Agent" { code { (s.agent_id) } }
                            td data-label="Server" { @match &s.server_id { Some(id) => code { (id) }, None => span.muted { "—" } } }
                            td data-label="Mode" { (mode_badge(s)) }
                            td.num data-label="Calls" { (s.total_calls) }
                            td.num data-label="Denied" { (s.denied_calls) }
                            td.num data-label="Writes" { (s.write_calls) }
                            td data-label="Last activity" { (layout::time(s.last_activity_at)) }
                            td data-label="Started" { (layout::time(s.created_at)) }
                        }
                    }
                }
            }
        }
    }
}
