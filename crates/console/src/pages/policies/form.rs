//! The policy form (create and edit), with a Cedar error shown at its position: the line and
//! column, the offending line quoted with the place marked, and the typed text kept.

use maud::{Markup, html};

use airlock_policy::{PolicyError, Position};

use crate::auth::{Signed, encode};
use crate::csrf;

/// What the form shows: the fields as typed, and the error if the last save was refused.
#[derive(Debug, Default, Clone)]
pub struct Draft {
    /// Empty on a new policy: one is generated.
    pub id: String,
    pub description: String,
    pub text: String,
    pub log_only: bool,
}

/// Why a save was refused, for the form.
#[derive(Debug, Clone)]
pub struct FormError {
    pub message: String,
    pub position: Option<Position>,
}

impl From<PolicyError> for FormError {
    fn from(e: PolicyError) -> Self {
        // The position is shown apart: keep Cedar's message without it.
        let message = match &e {
            PolicyError::Parse { message, .. } | PolicyError::Invalid { message, .. } => {
                message.clone()
            }
            other => other.to_string(),
        };
        FormError {
            position: e.position(),
            message,
        }
    }
}

/// A starting text for a new policy.
pub const EXAMPLE: &str = "// Deny dropping tables, by any agent.\nforbid (principal, action == Airlock::Action::\"destructive\", resource)\nwhen { context.statements.contains(\"drop_table\") };\n";

/// The offending line quoted, with a caret under the column.
fn located(text: &str, p: Position) -> Markup {
    let line = text
        .lines()
        .nth(p.line.saturating_sub(1))
        .unwrap_or_default();
    let at = p.column.saturating_sub(1);
    let before: String = line.chars().take(at).collect();
    let marked: String = line.chars().skip(at).take(1).collect();
    let after: String = line.chars().skip(at + 1).collect();
    let gutter = format!("{:>4} | ", p.line);
    let caret = format!(
        "{}^",
        " ".repeat(gutter.chars().count() + before.chars().count())
    );
    html! {
        pre.policy-error aria-label=(format!("Line {} of the policy, with the error at column {}", p.line, p.column)) {
            code {
                (gutter) (before)
                mark.risk { @if marked.is_empty() { " " } @else { (marked) } }
                (after) "\n" (caret)
            }
        }
    }
}

/// The error box above the form.
pub fn error_box(text: &str, e: &FormError) -> Markup {
    html! {
        div.error role="alert" id="policy-error" {
            @if let Some(p) = e.position {
                p { strong { "Line " (p.line) ", column " (p.column) ": " } (e.message) }
                (located(text, p))
            } @else {
                p { (e.message) }
            }
        }
    }
}

/// The create or edit form. `existing`: the id of the policy being edited.
pub fn render(
    signed: &Signed,
    existing: Option<&str>,
    draft: &Draft,
    error: Option<&FormError>,
) -> Markup {
    let action = match existing {
        Some(id) => format!("/console/policies/{}", encode(id)),
        None => "/console/policies/new".to_string(),
    };
    html! {
        @if let Some(e) = error { (error_box(&draft.text, e)) }
        form.card.policy-form method="post" action=(action) {
            (csrf::field(signed))
            div.fields {
                div {
                    label for="policy-id" { "Policy id" }
                    @if let Some(id) = existing {
                        input #policy-id type="text" name="id" value=(id) readonly;
                    } @else {
                        input #policy-id type="text" name="id" value=(draft.id) maxlength="128"
                            placeholder="generated when empty" spellcheck="false";
                    }
                }
                div {
                    label for="policy-description" { "Description" }
                    input #policy-description type="text" name="description" value=(draft.description) maxlength="1024";
                }
            }
            label for="policy-text" { "Cedar text" }
            textarea #policy-text.code name="text" rows="14" spellcheck="false"
                aria-describedby=[error.map(|_| "policy-error")] required { (draft.text) }
            p.hint {
                "Policies are validated against the Airlock schema. A " code { "forbid" }
                " denies; " code { "@approval(\"required\")" } " on a forbid asks for an approval."
            }
            details.long {
                summary { "The Airlock Cedar schema" }
                pre { code { (airlock_policy::SCHEMA) } }
            }
            div.actions {
                label.switch for="policy-log-only" {
                    input #policy-log-only type="checkbox" name="log_only" value="on" checked[draft.log_only];
                    " Log only (record what it would do, never change a verdict)"
                }
            }
            div.actions {
                button.primary type="submit" { @if existing.is_some() { "Save policy" } @else { "Create policy" } }
                a.button href="/console/policies" { "Cancel" }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_error_marks_its_column_and_escapes_the_line() {
        let text = "permit(principal, action, resource)\nwhen { <oops> };";
        let e = FormError {
            message: "unexpected token".into(),
            position: Some(Position { line: 2, column: 8 }),
        };
        let html = error_box(text, &e).into_string();
        assert!(html.contains("Line 2, column 8"), "{html}");
        assert!(
            html.contains("<mark class=\"risk\">&lt;</mark>oops&gt;"),
            "{html}"
        );
    }
}
