//! The Policies page (the organization's Cedar policies: list, create, edit, delete, test
//! against a sample call) and the Reviewers page (in [`reviewers`]).
//!
//! A policy text is checked with `airlock_policy::validate` before it is sent to the service,
//! so that a Cedar error can be shown at its line and column with the typed text kept; the
//! service validates again before it stores anything.

mod form;
mod reviewers;
mod sample;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;

use airlock_server::service::{NewPolicy, PolicyUpdate, ServiceError};

use crate::auth::{Signed, encode};
use crate::csrf::{self, CheckedForm};
use crate::error::ConsoleError;
use crate::layout::{self, Nav};
use crate::state::Console;
use form::{Draft, FormError};

pub fn routes() -> Router<Console> {
    Router::new()
        .route("/console/policies", get(index))
        .route("/console/policies/new", get(new_form).post(create))
        .route("/console/policies/test", get(test_form).post(test))
        .route("/console/policies/{id}", get(edit_form).post(update))
        .route("/console/policies/{id}/delete", post(delete))
        .merge(reviewers::routes())
}

fn policy_href(id: &str) -> String {
    format!("/console/policies/{}", encode(id))
}

async fn index(State(console): State<Console>, signed: Signed) -> Result<Markup, ConsoleError> {
    let policies = console.service.policies(&signed.caller).await?;
    let body = html! {
        h1 { "Policies" }
        div.actions {
            a.button.primary href="/console/policies/new" { "New policy" }
            a.button href="/console/policies/test" { "Test against a sample call" }
        }
        @if policies.is_empty() {
            (layout::empty("No policies yet: only the built-in guards decide."))
        } @else {
            div.table-wrap {
                table {
                    caption.muted { (policies.len()) " policies" }
                    thead { tr {
                        th scope="col" { "Id" }
                        th scope="col" { "Description" }
                        th scope="col" { "Mode" }
                        th scope="col" { "Version" }
                        th scope="col" { "Updated" }
                    } }
                    tbody {
                        @for p in &policies {
                            tr {
                                td { a href=(policy_href(&p.id)) { code { (p.id) } } }
                                td { (p.description) }
                                td { @if p.mode == "log_only" { span class="badge warn" { "log only" } } @else { span class="badge ok" { "enforce" } } }
                                td { (p.version) }
                                td { (layout::time(p.updated_at)) br; span.muted { "by " (p.updated_by) } }
                            }
                        }
                    }
                }
            }
        }
    };
    Ok(layout::page(Some(&signed), "Policies", Nav::Policies, body))
}

fn form_page(
    signed: &Signed,
    existing: Option<&str>,
    draft: &Draft,
    error: Option<&FormError>,
    extra: Markup,
) -> Markup {
    let title = match existing {
        Some(id) => format!("Policy {id}"),
        None => "New policy".to_string(),
    };
    let body = html! {
        p { a href="/console/policies" { "← Policies" } }
        h1 { (title) }
        (form::render(signed, existing, draft, error))
        (extra)
    };
    layout::page(Some(signed), &title, Nav::Policies, body)
}

async fn new_form(signed: Signed) -> Markup {
    let draft = Draft {
        text: form::EXAMPLE.to_string(),
        ..Draft::default()
    };
    form_page(&signed, None, &draft, None, html! {})
}

#[derive(Deserialize)]
struct PolicyForm {
    #[serde(default)]
    id: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    log_only: Option<String>,
}

impl PolicyForm {
    fn draft(&self) -> Draft {
        Draft {
            id: self.id.trim().to_string(),
            description: self.description.clone(),
            // Browsers send CRLF line ends from a textarea.
            text: self.text.replace("\r\n", "\n"),
            log_only: self.log_only.is_some(),
        }
    }

    fn mode(&self) -> String {
        if self.log_only.is_some() {
            "log_only".into()
        } else {
            "enforce".into()
        }
    }
}

/// Whether a service refusal belongs on the form (the user can fix it there).
fn form_error(e: ServiceError) -> Result<FormError, ConsoleError> {
    match e {
        ServiceError::Invalid(i) => Ok(FormError {
            message: i.message,
            position: None,
        }),
        ServiceError::Conflict(m) => Ok(FormError {
            message: m,
            position: None,
        }),
        other => Err(other.into()),
    }
    .map(|mut f| {
        f.message = f.message.trim_start_matches("invalid policy: ").to_string();
        f
    })
}

/// The text checked by Cedar first, for an error with its position.
fn precheck(draft: &Draft) -> Result<(), FormError> {
    if draft.text.trim().is_empty() {
        return Err(FormError {
            message: "the Cedar text is required".into(),
            position: None,
        });
    }
    airlock_policy::validate(&draft.text)
        .map(|_| ())
        .map_err(FormError::from)
}

fn refused(signed: &Signed, existing: Option<&str>, draft: &Draft, e: &FormError) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        form_page(signed, existing, draft, Some(e), html! {}),
    )
        .into_response()
}

async fn create(
    State(console): State<Console>,
    CheckedForm { signed, form }: CheckedForm<PolicyForm>,
) -> Result<Response, ConsoleError> {
    let draft = form.draft();
    if let Err(e) = precheck(&draft) {
        return Ok(refused(&signed, None, &draft, &e));
    }
    let new = NewPolicy {
        id: draft.id.clone(),
        description: draft.description.clone(),
        text: draft.text.clone(),
        mode: Some(form.mode()),
    };
    match console.service.create_policy(&signed.caller, new).await {
        Ok(p) => Ok(Redirect::to(&policy_href(&p.id)).into_response()),
        Err(e) => Ok(refused(&signed, None, &draft, &form_error(e)?)),
    }
}

async fn edit_form(
    State(console): State<Console>,
    signed: Signed,
    Path(id): Path<String>,
) -> Result<Markup, ConsoleError> {
    let detail = console.service.policy(&signed.caller, &id).await?;
    let p = &detail.policy;
    let draft = Draft {
        id: p.id.clone(),
        description: p.description.clone(),
        text: p.text.clone(),
        log_only: p.mode == "log_only",
    };
    let extra = html! {
        p.hint {
            "Version " (p.version) ", updated " (layout::time(p.updated_at)) " by " (p.updated_by) ". "
            a href=(format!("/console/policies/test?policy={}", encode(&p.id))) { "Test this policy against a sample call" }
        }
        h2 { "History" }
        div.table-wrap { table {
            thead { tr { th scope="col" { "Version" } th scope="col" { "Change" } th scope="col" { "Mode" } th scope="col" { "By" } th scope="col" { "At" } } }
            tbody { @for v in detail.versions.iter().rev() { tr {
                td { (v.version) } td { (v.change) } td { (v.mode) } td { (v.changed_by) } td { (layout::time(v.changed_at)) }
            } } }
        } }
        h2 { "Delete" }
        form.card method="post" action=(format!("{}/delete", policy_href(&p.id)))
            data-confirm=(format!("Delete policy {}? Its history is kept.", p.id))
            data-confirm-field="confirmed" {
            (csrf::field(&signed))
            p.hint { "Deleting stops the policy at once; its versions are kept." }
            button.danger type="submit" { "Delete policy" }
        }
    };
    Ok(form_page(&signed, Some(&p.id), &draft, None, extra))
}

async fn update(
    State(console): State<Console>,
    Path(id): Path<String>,
    CheckedForm { signed, form }: CheckedForm<PolicyForm>,
) -> Result<Response, ConsoleError> {
    let mut draft = form.draft();
    draft.id = id.clone();
    if let Err(e) = precheck(&draft) {
        return Ok(refused(&signed, Some(&id), &draft, &e));
    }
    let update = PolicyUpdate {
        description: Some(draft.description.clone()),
        text: Some(draft.text.clone()),
        mode: Some(form.mode()),
    };
    match console
        .service
        .update_policy(&signed.caller, &id, update)
        .await
    {
        Ok(p) => Ok(Redirect::to(&policy_href(&p.id)).into_response()),
        Err(e) => Ok(refused(&signed, Some(&id), &draft, &form_error(e)?)),
    }
}

#[derive(Deserialize)]
struct DeleteForm {
    #[serde(default)]
    confirmed: String,
}

async fn delete(
    State(console): State<Console>,
    Path(id): Path<String>,
    CheckedForm { signed, form }: CheckedForm<DeleteForm>,
) -> Result<Response, ConsoleError> {
    if form.confirmed != "yes" {
        let detail = console.service.policy(&signed.caller, &id).await?;
        let id = detail.policy.id;
        let body = html! {
            h1 { "Delete policy " (id) "?" }
            p { "The policy stops applying at once; its versions are kept." }
            form.card method="post" action=(format!("{}/delete", policy_href(&id))) {
                (csrf::field(&signed))
                input type="hidden" name="confirmed" value="yes";
                div.actions {
                    button.danger type="submit" { "Yes, delete " (id) }
                    a.button href=(policy_href(&id)) { "Cancel" }
                }
            }
        };
        return Ok(
            layout::page(Some(&signed), "Delete policy", Nav::Policies, body).into_response(),
        );
    }
    console.service.delete_policy(&signed.caller, &id).await?;
    Ok(Redirect::to("/console/policies").into_response())
}

#[derive(Deserialize, Default)]
struct TestQuery {
    #[serde(default)]
    policy: String,
}

#[derive(Deserialize)]
struct TestForm {
    #[serde(default)]
    policy: String,
    #[serde(default)]
    call: String,
}

async fn test_form(
    State(console): State<Console>,
    signed: Signed,
    axum::extract::Query(q): axum::extract::Query<TestQuery>,
) -> Result<Markup, ConsoleError> {
    test_page(&console, &signed, &q.policy, sample::EXAMPLE, None).await
}

async fn test(
    State(console): State<Console>,
    CheckedForm { signed, form }: CheckedForm<TestForm>,
) -> Result<Markup, ConsoleError> {
    let call = form.call.replace("\r\n", "\n");
    let result = match sample::parse(&call) {
        Err(e) => Err(e),
        Ok(s) => {
            let all = console.service.policies(&signed.caller).await?;
            let chosen: Vec<sample::Stored> = all
                .into_iter()
                .filter(|p| form.policy.is_empty() || p.id == form.policy)
                .map(|p| (p.id, p.text, p.mode == "log_only"))
                .collect();
            if chosen.is_empty() && !form.policy.is_empty() {
                return Err(ConsoleError::NotFound(format!(
                    "policy `{}`",
                    airlock_server::service::clip(&form.policy, 80)
                )));
            }
            Ok(sample::run(&chosen, &s))
        }
    };
    test_page(&console, &signed, &form.policy, &call, Some(result)).await
}

async fn test_page(
    console: &Console,
    signed: &Signed,
    chosen: &str,
    call: &str,
    result: Option<Result<sample::Outcome, String>>,
) -> Result<Markup, ConsoleError> {
    let policies = console.service.policies(&signed.caller).await?;
    let body = html! {
        p { a href="/console/policies" { "← Policies" } }
        h1 { "Test policies against a sample call" }
        @match &result {
            Some(Err(e)) => { p.error role="alert" { (e) } }
            Some(Ok(out)) => {
                section.card aria-labelledby="test-result" {
                    h2 #test-result { "Result" }
                    p { strong { "Verdict: " } span #verdict { (out.verdict) } }
                    @if out.matches.is_empty() {
                        p.muted { "No policy matches this call." }
                    } @else {
                        ul #matches { @for m in &out.matches {
                            li { code { (m.policy_id) } " " (m.what) @if m.log_only { " " span class="badge warn" { "log only" } } }
                        } }
                    }
                    @for e in &out.errors { p.error { (e) } }
                    @for l in &out.log_only { p.hint { (l) } }
                    p.hint { "Facts read from the input: tables, statements, programs, paths, hosts and HTTP methods (see docs/policies.md)." }
                }
            }
            None => {}
        }
        form.card method="post" action="/console/policies/test" {
            (csrf::field(signed))
            label for="test-policy" { "Policies" }
            select #test-policy name="policy" {
                option value="" selected[chosen.is_empty()] { "All policies (as the check evaluates them)" }
                @for p in &policies {
                    option value=(p.id) selected[chosen == p.id] { (p.id) }
                }
            }
            label for="test-call" { "Sample call (JSON)" }
            textarea #test-call.code name="call" rows="14" spellcheck="false" { (call) }
            p.hint { "Fields: " code { "effect" } " (read, mutating, destructive, admin), " code { "agent_id" } ", "
                code { "agent_name" } ", " code { "framework" } ", " code { "capabilities" } ", " code { "action_name" } ", "
                code { "server_id" } ", " code { "server_name" } ", " code { "session_mode" } ", " code { "input" } ", counters "
                code { "total_calls" } " " code { "denied_calls" } " " code { "write_calls" } ", " code { "hour_utc" } ", " code { "weekday_utc" } "." }
            div.actions { button.primary type="submit" { "Test" } }
        }
    };
    Ok(layout::page(
        Some(signed),
        "Test policies",
        Nav::Policies,
        body,
    ))
}
