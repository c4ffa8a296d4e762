//! The Reviewers page: the organization's Deep-tier reviewers in order, and editing them as
//! one JSON document saved through the same service validation as `PUT /api/v1/reviewers`.
//!
//! Secrets are never shown: a webhook's secret is only said to be set (a saved webhook
//! without `secret` keeps the stored one), and an LLM reviewer's key is named by the
//! environment variable or file that holds it, never stored.

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use maud::{Markup, html};
use serde::Deserialize;
use serde_json::Value;

use airlock_server::service::ServiceError;

use crate::auth::Signed;
use crate::csrf::{self, CheckedForm};
use crate::error::ConsoleError;
use crate::layout::{self, Nav};
use crate::state::Console;

pub fn routes() -> Router<Console> {
    Router::new().route("/console/reviewers", get(index).post(save))
}

/// The largest document accepted.
const MAX_DOCUMENT: usize = 64 * 1024;

/// A reviewer as the editable document shows it: without the secret's hint.
fn editable(view: &Value) -> Value {
    let mut v = view.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("secret_hint");
    }
    v
}

fn document(views: &[Value]) -> String {
    let list: Vec<Value> = views.iter().map(editable).collect();
    serde_json::to_string_pretty(&list).unwrap_or_else(|_| "[]".into())
}

fn field(v: &Value, key: &str) -> String {
    match v.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

fn table(views: &[Value]) -> Markup {
    html! {
        @if views.is_empty() {
            (layout::empty("No reviewers: calls the Deep tier sends for review wait for a person in Approvals."))
        } @else {
            div.table-wrap { table {
                caption.muted { "Asked in this order" }
                thead { tr {
                    th scope="col" { "#" }
                    th scope="col" { "Kind" }
                    th scope="col" { "Name" }
                    th scope="col" { "URL / model" }
                    th scope="col" { "Timeout" }
                    th scope="col" { "Can allow" }
                    th scope="col" { "Credentials" }
                } }
                tbody { @for (i, v) in views.iter().enumerate() {
                    @let kind = field(v, "kind");
                    tr {
                        td { (i + 1) }
                        td { (kind) }
                        td { (field(v, "name")) }
                        td {
                            @if kind == "llm" { code { (field(v, "base_url")) } br; (field(v, "provider")) " · " code { (field(v, "model")) } }
                            @else if kind == "webhook" { code { (field(v, "url")) } }
                            @else { span.muted { "the approval queue" } }
                        }
                        td { @let t = field(v, "timeout_ms"); @if t.is_empty() { span.muted { "default" } } @else { (t) " ms" } }
                        td { @if v.get("can_allow").and_then(Value::as_bool).unwrap_or(kind == "person") { "yes" } @else { "no" } }
                        td {
                            @if kind == "llm" {
                                @let env = field(v, "api_key_env");
                                @let file = field(v, "api_key_file");
                                @if !env.is_empty() { "key in env " code { (env) } }
                                @if !file.is_empty() { " key in file " code { (file) } }
                            } @else if kind == "webhook" {
                                @if v.get("secret_hint").is_some_and(|h| !h.is_null()) { "signing secret set (never shown)" }
                                @else { span.muted { "no secret" } }
                            } @else { span.muted { "—" } }
                        }
                    }
                } }
            } }
        }
    }
}

fn page(signed: &Signed, views: &[Value], text: &str, error: Option<&str>) -> Markup {
    let body = html! {
        h1 { "Reviewers" }
        p.hint { "The Deep tier asks these reviewers in order about a call it cannot decide alone." }
        (table(views))
        h2 { "Edit" }
        @if let Some(e) = error { p.error role="alert" id="reviewers-error" { (e) } }
        form.card method="post" action="/console/reviewers" {
            (csrf::field(signed))
            label for="reviewers-json" { "Reviewers (JSON list)" }
            textarea #reviewers-json.code name="reviewers" rows="16" spellcheck="false"
                aria-describedby=[error.map(|_| "reviewers-error")] { (text) }
            p.hint {
                "Each entry has a " code { "kind" } ": " code { "person" } ", " code { "webhook" }
                " (" code { "url" } ", " code { "secret" } " of 16–256 characters, " code { "timeout_ms" } ", " code { "can_allow" } ", " code { "min_confidence" } ") or "
                code { "llm" } " (" code { "provider" } " anthropic or openai, " code { "base_url" } ", " code { "model" } ", "
                code { "api_key_env" } " or " code { "api_key_file" } ", …). A webhook saved without " code { "secret" }
                " keeps its stored secret when its name and URL are unchanged."
            }
            div.actions { button.primary type="submit" { "Save reviewers" } }
        }
    };
    layout::page(Some(signed), "Reviewers", Nav::Reviewers, body)
}

async fn index(State(console): State<Console>, signed: Signed) -> Result<Markup, ConsoleError> {
    let views = console.service.reviewers(&signed.caller).await?;
    Ok(page(&signed, &views, &document(&views), None))
}

#[derive(Deserialize)]
struct SaveForm {
    #[serde(default)]
    reviewers: String,
}

async fn save(
    State(console): State<Console>,
    CheckedForm { signed, form }: CheckedForm<SaveForm>,
) -> Result<Response, ConsoleError> {
    let text = form.reviewers.replace("\r\n", "\n");
    let refuse = |views: &[Value], message: String| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&signed, views, &text, Some(&message)),
        )
            .into_response()
    };
    let parsed = if text.len() > MAX_DOCUMENT {
        Err(format!("the document is larger than {MAX_DOCUMENT} bytes"))
    } else {
        serde_json::from_str::<Value>(&text)
            .map_err(|e| format!("not JSON: line {}, column {}: {e}", e.line(), e.column()))
    };
    // `{"reviewers": […]}` (the API's body) is accepted as well as the bare list.
    let list = parsed.map(|v| match v {
        Value::Object(mut o) if o.contains_key("reviewers") => {
            o.remove("reviewers").unwrap_or(Value::Null)
        }
        other => other,
    });
    match list {
        Err(message) => {
            let views = console.service.reviewers(&signed.caller).await?;
            Ok(refuse(&views, message))
        }
        Ok(list) => match console.service.set_reviewers(&signed.caller, &list).await {
            Ok(_) => Ok(Redirect::to("/console/reviewers").into_response()),
            Err(ServiceError::Invalid(i)) => {
                let views = console.service.reviewers(&signed.caller).await?;
                Ok(refuse(&views, i.message))
            }
            Err(e) => Err(e.into()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_editable_document_has_no_secret_hint() {
        let v =
            json!([{"kind": "webhook", "name": "w", "url": "https://x", "secret_hint": "abc…"}]);
        let doc = document(v.as_array().unwrap());
        assert!(
            !doc.contains("secret_hint") && !doc.contains("abc"),
            "{doc}"
        );
        let html = table(v.as_array().unwrap()).into_string();
        assert!(!html.contains("abc"), "{html}");
    }
}
