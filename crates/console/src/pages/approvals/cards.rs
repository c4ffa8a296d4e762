//! The markup of approvals: the list (pending, then decided), one card, the decide form.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use maud::{Markup, html};

use airlock_server::service::Approval;
use airlock_server::service::approvals_feed::ApprovalFeed;

use crate::auth::Signed;
use crate::csrf;
use crate::layout;
use crate::render::input;

/// The live list: replaced whole by the script when the server says the pending set changed.
pub fn list(signed: &Signed, feed: &ApprovalFeed, status: &str, now: DateTime<Utc>) -> Markup {
    let events = format!("/console/approvals/events?since={}", feed.version);
    html! {
        div #approval-list data-approvals-live=(events) data-version=(feed.version) aria-live="polite" {
            @if status != "decided" && !matches!(status, "approved" | "denied" | "expired" | "used") {
                h2 { "Pending" span.count { " (" (feed.pending.len()) ")" } }
                @if feed.pending.is_empty() {
                    (layout::empty("Nothing is waiting for a decision. New approvals appear here without a reload."))
                }
                @for a in &feed.pending {
                    (card(signed, a, &feed.agent_names, now, false))
                }
            }
            @if status != "pending" {
                h2 { "Recently decided" }
                @if feed.decided.is_empty() {
                    (layout::empty("No decided approvals."))
                } @else {
                    div.table-wrap { table.decided {
                        thead { tr {
                            th scope="col" { "Approval" } th scope="col" { "Status" }
                            th scope="col" { "Action" } th scope="col" { "Decided by" }
                            th scope="col" { "When" } th scope="col" { "Note" }
                        } }
                        tbody {
                            @for a in &feed.decided { (decided_row(a, now)) }
                        }
                    } }
                }
            }
        }
    }
}

fn decided_row(a: &Approval, now: DateTime<Utc>) -> Markup {
    let status = a.status_at(now);
    html! {
        tr data-approval=(a.id) {
            td { a href={ "/console/approvals/" (a.id) } { code { (a.id) } } }
            td { (status_badge(status)) }
            td { code { (a.action_name) } " " (effect(&a.action_effect)) }
            td { (a.decided_by.as_deref().unwrap_or("—")) }
            td { (layout::time(airlock_server::service::approvals_feed::settled_at(a, now))) }
            td.note { (a.note.as_deref().unwrap_or("")) }
        }
    }
}

/// One approval in full; `detail` for its own page (no link to itself).
pub fn card(
    signed: &Signed,
    a: &Approval,
    agent_names: &HashMap<String, String>,
    now: DateTime<Utc>,
    detail: bool,
) -> Markup {
    let status = a.status_at(now);
    let agent = agent_names.get(&a.agent_id);
    let heading = format!("approval-{}", a.id);
    html! {
        article.card.approval data-approval=(a.id) aria-labelledby=(heading) {
            header.approval-head {
                h3 id=(heading) {
                    @if a.kind == "elevation" { "Elevation" } @else { "Call" }
                    ": " code { (a.action_name) }
                }
                (effect(&a.action_effect))
                (status_badge(status))
            }
            dl.facts {
                div { dt { "Approval" } dd {
                    @if detail { code { (a.id) } } @else { a href={ "/console/approvals/" (a.id) } { code { (a.id) } } }
                } }
                div { dt { "Agent" } dd {
                    a href={ "/console/agents/" (a.agent_id) } {
                        @if let Some(name) = agent { (name) " " } code.muted { (a.agent_id) }
                    }
                } }
                div { dt { "Session" } dd { a href={ "/console/sessions/" (a.session_id) } { code { (a.session_id) } } } }
                div { dt { "Created" } dd { (layout::time(a.created_at)) } }
                @if status == "pending" {
                    div { dt { "Time left" } dd {
                        span data-expires=(a.expires_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)) { (time_left(a.expires_at, now)) }
                        " (until " (layout::time(a.expires_at)) ")"
                    } }
                } @else {
                    div { dt { "Decided by" } dd { (a.decided_by.as_deref().unwrap_or("—")) } }
                    div { dt { "Decided" } dd { (layout::time_or_dash(a.decided_at)) } }
                    @if let Some(used) = a.used_at { div { dt { "Used" } dd { (layout::time(used)) } } }
                    @if let Some(note) = &a.note { div.wide { dt { "Note" } dd.note { (note) } } }
                }
            }
            @if !a.reason.is_empty() { p.reason { (a.reason) } }
            @if !a.reasons.is_empty() {
                details.reasons open {
                    summary { "Why the classifier says " (a.action_effect) }
                    ul { @for r in &a.reasons { li { (r) } } }
                }
            }
            @if a.kind == "elevation" {
                p.hint { "Approving lets this session make writing calls for the elevation window." }
            } @else {
                (input::input(&a.action_name, a.input.as_ref()))
            }
            @if status == "pending" { (decide_form(signed, a, detail)) }
        }
    }
}

fn decide_form(signed: &Signed, a: &Approval, detail: bool) -> Markup {
    let note_id = format!("note-{}", a.id);
    html! {
        form.decide method="post" action={ "/console/approvals/" (a.id) "/decide" } {
            (csrf::field(signed))
            @if detail { input type="hidden" name="back" value="detail"; }
            label for=(note_id) { "Note (optional)" }
            textarea id=(note_id) name="note" rows="2" maxlength="2048" data-note=(a.id)
                placeholder="Why you approve or deny, for the decision log" {}
            div.actions {
                button.primary type="submit" name="decision" value="approve" { "Approve" }
                button.danger type="submit" name="decision" value="deny" { "Deny" }
            }
        }
    }
}

fn effect(effect: &str) -> Markup {
    let class = match effect {
        "read" => "badge ok",
        "mutating" | "write" => "badge warn",
        "destructive" | "admin" => "badge bad",
        _ => "badge",
    };
    html! { span class=(class) title="Effect" { (effect) } }
}

fn status_badge(status: &str) -> Markup {
    let class = match status {
        "pending" => "badge warn",
        "approved" | "used" => "badge ok",
        "denied" => "badge bad",
        _ => "badge",
    };
    html! { span class=(class) title="Status" { (status) } }
}

/// "4 min 10 s left", "expired".
pub fn time_left(until: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let secs = (until - now).num_seconds();
    match secs {
        s if s <= 0 => "expired".into(),
        s if s < 60 => format!("{s} s left"),
        s if s < 3600 => format!("{} min {} s left", s / 60, s % 60),
        s => format!("{} h {} min left", s / 3600, (s % 3600) / 60),
    }
}
