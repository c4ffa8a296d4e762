//! The Servers page: the organization's MCP servers, one server's settings and its tools with
//! their pins; a changed tool shows the difference between its pinned and its new definition,
//! and "Accept" pins the new one (through the service, like `POST …/tools/accept`).

mod diff;

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;

use airlock_server::service::Server;

use crate::auth::{Signed, encode};
use crate::csrf::{self, CheckedForm};
use crate::error::ConsoleError;
use crate::layout::{self, Nav};
use crate::state::Console;

pub fn routes() -> Router<Console> {
    Router::new()
        .route("/console/servers", get(index))
        .route("/console/servers/{id}", get(detail))
        .route("/console/servers/{id}/accept", post(accept))
}

fn server_href(id: &str) -> String {
    format!("/console/servers/{}", encode(id))
}

async fn index(State(console): State<Console>, signed: Signed) -> Result<Markup, ConsoleError> {
    let mut servers = console.service.servers(&signed.caller).await?;
    servers.sort_by(|a, b| a.name.cmp(&b.name));
    let body = html! {
        h1 { "Servers" }
        @if servers.is_empty() {
            (layout::empty("No MCP servers are registered yet. Register one with `airlock servers add` or POST /mcp/servers."))
        } @else {
            div.table-wrap {
                table {
                    caption.muted { (servers.len()) " servers" }
                    thead { tr {
                        th scope="col" { "Name" }
                        th scope="col" { "URL" }
                        th scope="col" { "Default mode" }
                        th scope="col" { "Status" }
                        th scope="col" { "Created" }
                    } }
                    tbody {
                        @for s in &servers {
                            tr {
                                td { a href=(server_href(&s.id)) { (s.name) } br; code.muted { (s.id) } }
                                td { code { (s.url) } }
                                td { (s.default_mode) }
                                td { (s.status) }
                                td { (layout::time(s.created_at)) }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(Some(&signed), "Servers", Nav::Servers, body))
}

async fn detail(
    State(console): State<Console>,
    signed: Signed,
    Path(id): Path<String>,
) -> Result<Markup, ConsoleError> {
    let server = console.service.server(&signed.caller, &id).await?;
    let pins = console.service.tool_pins(&signed.caller, &id).await?;
    Ok(server_page(&signed, &server, &pins, None))
}

fn settings(s: &Server) -> Markup {
    html! {
        dl.facts {
            dt { "Id" } dd { code { (s.id) } }
            dt { "URL" } dd { code { (s.url) } }
            @if !s.description.is_empty() { dt { "Description" } dd { (s.description) } }
            dt { "Default mode" } dd { (s.default_mode) }
            dt { "Approval wait" } dd {
                @if s.approval_wait_secs == 0 { "not held (denied at once until approved)" }
                @else { (s.approval_wait_secs) " seconds" }
            }
            dt { "Allowed methods" } dd {
                @if s.allowed_methods.is_empty() { span.muted { "none beyond MCP's own" } }
                @else { @for m in &s.allowed_methods { code { (m) } " " } }
            }
            dt { "Capabilities" } dd {
                @match &s.capabilities {
                    None => span.muted { "no ceiling of its own" },
                    Some(c) => { @for x in c { code { (x) } " " } }
                }
            }
            dt { "Created" } dd { (layout::time(s.created_at)) }
        }
        @if !s.tools.is_empty() {
            h2 { "Registered tool settings" }
            div.table-wrap { table {
                thead { tr { th scope="col" { "Tool" } th scope="col" { "Effect override" } th scope="col" { "Approval" } } }
                tbody { @for t in &s.tools { tr {
                    td { code { (t.name) } }
                    td { (t.effect_override.as_deref().unwrap_or("—")) }
                    td { @if t.require_approval { "required" } @else { "—" } }
                } } }
            } }
        }
    }
}

fn pin_badge(status: &str) -> Markup {
    match status {
        "pinned" => html! { span class="badge ok" { "pinned" } },
        "changed" => html! { span class="badge bad" { "changed" } },
        other => html! { span class="badge warn" { (other) } },
    }
}

fn str_of<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or_default()
}

fn tools(signed: &Signed, s: &Server, pins: &[Value]) -> Markup {
    let changed = pins
        .iter()
        .filter(|p| str_of(p, "status") == "changed")
        .count();
    html! {
        h2 { "Tools and their pins" }
        @if pins.is_empty() {
            (layout::empty("No tool of this server has been seen yet: tools are pinned when the gateway or POST …/tools/observe first lists them."))
        } @else {
            p.hint { (pins.len()) " tools, " (changed) " changed. A changed tool's calls are denied until its new definition is accepted." }
            @for p in pins {
                @let name = str_of(p, "name");
                @let status = str_of(p, "status");
                section.card.tool id=(format!("tool-{name}")) aria-label=(format!("Tool {name}")) {
                    h3 { code { (name) } " " (pin_badge(status)) }
                    p.hint {
                        "Pinned "
                        @match p.get("pinned_at").and_then(Value::as_str).and_then(|t| t.parse().ok()) {
                            Some(t) => (layout::time(t)),
                            None => "—",
                        }
                        @if let Some(t) = p.get("changed_at").and_then(Value::as_str).and_then(|t| t.parse().ok()) {
                            "; changed " (layout::time(t))
                        }
                    }
                    @let def = p.get("definition").cloned().unwrap_or(Value::Null);
                    @match p.get("pending_definition").filter(|d| !d.is_null()) {
                        Some(pending) if status == "changed" => {
                            (diff::render(&def, pending))
                            form method="post" action=(format!("{}/accept", server_href(&s.id))) {
                                (csrf::field(signed))
                                input type="hidden" name="tool" value=(name);
                                button.primary type="submit" aria-label=(format!("Accept the new definition of {name}")) { "Accept" }
                            }
                        }
                        _ => { (layout::folded("Definition", &diff::pretty(&def))) }
                    }
                }
            }
        }
    }
}

fn server_page(signed: &Signed, s: &Server, pins: &[Value], notice: Option<&str>) -> Markup {
    let body = html! {
        p { a href="/console/servers" { "← Servers" } }
        h1 { "Server " (s.name) }
        @if let Some(n) = notice { p.notice role="status" { (n) } }
        (settings(s))
        (tools(signed, s, pins))
    };
    layout::page(
        Some(signed),
        &format!("Server {}", s.name),
        Nav::Servers,
        body,
    )
}

#[derive(Deserialize)]
struct AcceptForm {
    #[serde(default)]
    tool: String,
}

async fn accept(
    State(console): State<Console>,
    Path(id): Path<String>,
    CheckedForm { signed, form }: CheckedForm<AcceptForm>,
) -> Result<Redirect, ConsoleError> {
    if form.tool.trim().is_empty() {
        // An empty list would accept every changed tool: the console accepts one at a time.
        return Err(ConsoleError::Invalid("name the tool to accept".into()));
    }
    let accepted = console
        .service
        .accept_tools(&signed.caller, &id, std::slice::from_ref(&form.tool))
        .await?;
    if accepted.is_empty() {
        return Err(ConsoleError::Conflict(format!(
            "tool `{}` has no changed definition to accept",
            airlock_server::service::clip(&form.tool, 80)
        )));
    }
    Ok(Redirect::to(&format!(
        "{}#tool-{}",
        server_href(&id),
        encode(&form.tool)
    )))
}
