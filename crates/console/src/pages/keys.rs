//! The Keys page: the organization's API keys; create one (shown once, on the answer to the
//! form, never again); revoke one after a confirmation.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use airlock_server::KeyRole;
use airlock_server::service::{KeyInfo, MAX_KEY_NAME, ServiceError};

use crate::auth::Signed;
use crate::csrf::{self, CheckedForm};
use crate::error::ConsoleError;
use crate::layout::{self, Nav};
use crate::state::Console;

pub fn routes() -> Router<Console> {
    Router::new()
        .route("/console/keys", get(index).post(create))
        .route("/console/keys/{id}/revoke", post(revoke))
}

#[derive(Deserialize, Default)]
struct Notice {
    revoked: Option<String>,
}

async fn index(
    State(console): State<Console>,
    signed: Signed,
    Query(notice): Query<Notice>,
) -> Result<Markup, ConsoleError> {
    let keys = console.service.api_keys(&signed.caller).await?;
    let notice = notice
        .revoked
        .filter(|id| keys.iter().any(|k| &k.id == id && k.revoked_at.is_some()))
        .map(|id| format!("Key {id} revoked."));
    Ok(list_page(&signed, &keys, notice.as_deref(), None))
}

fn list_page(
    signed: &Signed,
    keys: &[KeyInfo],
    notice: Option<&str>,
    error: Option<&str>,
) -> Markup {
    layout::page(
        Some(signed),
        "API keys",
        Nav::Keys,
        html! {
            h1 { "API keys" }
            @if let Some(n) = notice { p.notice role="status" { (n) } }
            @if let Some(e) = error { p.error role="alert" { (e) } }
            section aria-labelledby="create-title" {
                h2 #create-title { "Create a key" }
                form.card method="post" action="/console/keys" {
                    (csrf::field(signed))
                    div.fields {
                        div {
                            label for="key-name" { "Name" }
                            input #key-name type="text" name="name" required
                                maxlength=(MAX_KEY_NAME) placeholder="ci-runner";
                        }
                        div {
                            label for="key-role" { "Role" }
                            select #key-role name="role" {
                                option value="agent" selected { "agent — asks for decisions" }
                                option value="admin" { "admin — manages the organization" }
                            }
                        }
                        div { button.primary type="submit" { "Create key" } }
                    }
                }
            }
            section aria-labelledby="keys-title" {
                h2 #keys-title { "Keys" }
                @if keys.is_empty() {
                    (layout::empty("No keys."))
                } @else {
                    div.table-wrap {
                        table.stack {
                            thead { tr {
                                th scope="col" { "Key" } th scope="col" { "Name" }
                                th scope="col" { "Role" } th scope="col" { "Created" }
                                th scope="col" { "Status" } th scope="col" { span.muted { "Action" } }
                            } }
                            tbody {
                                @for k in keys { (row(signed, k)) }
                            }
                        }
                    }
                }
            }
        },
    )
}

fn row(signed: &Signed, k: &KeyInfo) -> Markup {
    let current = k.id == signed.caller.key_id;
    html! {
        tr data-key-id=(k.id) {
            td data-label="Key" { code { (k.prefix) "…" } br; span.muted.small { (k.id) } }
            td data-label="Name" { (k.name) }
            td data-label="Role" { (k.role.as_str()) }
            td data-label="Created" { (layout::time(k.created_at)) }
            td data-label="Status" {
                @if let Some(at) = k.revoked_at {
                    span class="badge bad" { "revoked" } " " (layout::time(at))
                } @else {
                    span class="badge ok" { "active" }
                }
            }
            td {
                @if current {
                    span.muted { "signed in with this key" }
                } @else if k.revoked_at.is_none() {
                    form method="post" action=(format!("/console/keys/{}/revoke", k.id))
                        data-confirm=(format!("Revoke the key {}… ({})? Anything using it stops working.", k.prefix, k.name)) {
                        (csrf::field(signed))
                        button.danger type="submit" aria-label=(format!("Revoke {}", k.name)) { "Revoke" }
                    }
                }
            }
        }
    }
}

#[derive(Deserialize)]
struct NewKey {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

async fn create(
    State(console): State<Console>,
    CheckedForm { signed, form }: CheckedForm<NewKey>,
) -> Result<Response, ConsoleError> {
    let Some(role) = KeyRole::parse(&form.role) else {
        return invalid(&console, &signed, "choose the role admin or agent").await;
    };
    let (key, info) = match console
        .service
        .create_api_key(&signed.caller, &form.name, role)
        .await
    {
        Ok(created) => created,
        Err(ServiceError::Invalid(e)) => return invalid(&console, &signed, &e.message).await,
        Err(e) => return Err(e.into()),
    };
    Ok(created_page(&signed, &key, &info).into_response())
}

/// The list again with the form's error, answered 400.
async fn invalid(
    console: &Console,
    signed: &Signed,
    message: &str,
) -> Result<Response, ConsoleError> {
    let keys = console.service.api_keys(&signed.caller).await?;
    Ok((
        StatusCode::BAD_REQUEST,
        list_page(signed, &keys, None, Some(message)),
    )
        .into_response())
}

/// The new key, shown this once (the page is never cached).
fn created_page(signed: &Signed, key: &str, info: &KeyInfo) -> Markup {
    layout::page(
        Some(signed),
        "Key created",
        Nav::Keys,
        html! {
            h1 { "Key created" }
            div.card {
                p { "The " (info.role.as_str()) " key " strong { (info.name) } " (" (info.id) "):" }
                div.secret {
                    code #new-key { (key) }
                    button type="button" data-copy="#new-key" { "Copy" }
                }
                p.hint role="note" {
                    "Copy it now: this is the only time it is shown. Airlock keeps only its hash."
                }
            }
            p { a href="/console/keys" { "Back to keys" } }
        },
    )
}

#[derive(Deserialize)]
struct NoFields {}

async fn revoke(
    State(console): State<Console>,
    Path(id): Path<String>,
    CheckedForm { signed, .. }: CheckedForm<NoFields>,
) -> Result<Redirect, ConsoleError> {
    let key = console.service.revoke_api_key(&signed.caller, &id).await?;
    Ok(Redirect::to(&format!(
        "/console/keys?revoked={}",
        crate::auth::encode(&key.id)
    )))
}
