//! The decision search's form: its query parameters, how they become a [`DecisionQuery`] (bad
//! values are a clear message, never a 500), and the filter form itself.

use chrono::{DateTime, NaiveDateTime, Utc};
use maud::{Markup, html};
use serde::Deserialize;

use airlock_server::service::Agent;
use airlock_server::service::log_search::{ActionMatch, DecisionCursor, DecisionQuery};

use crate::error::ConsoleError;

/// The effects a decision can have.
const EFFECTS: &[&str] = &["read", "mutating", "destructive", "admin"];
/// The pipeline's rules, by their wire names (the `rule` of a check's answer).
const RULES: &[&str] = &[
    "refused",
    "agent_inactive",
    "session_ownership",
    "server_removed",
    "tool_definition_changed",
    "scope_ceiling",
    "read_only",
    "tool_requires_approval",
    "policy_error",
    "policy_forbid",
    "policy_approval",
    "guardian_unavailable",
    "deep_review_denied",
    "deep_review_failed",
    "deep_review_needs_person",
    "approved_call",
    "deep_review_allowed",
    "allowed",
];

/// The search as its URL carries it. Empty fields mean "any".
#[derive(Debug, Clone, Default, Deserialize)]
pub struct DecisionParams {
    pub agent: Option<String>,
    pub session: Option<String>,
    pub action: Option<String>,
    /// `exact` (default) or `prefix`.
    pub action_match: Option<String>,
    pub effect: Option<String>,
    /// `allowed` or `denied`.
    pub verdict: Option<String>,
    pub rule: Option<String>,
    /// `datetime-local` values, in UTC.
    pub from: Option<String>,
    pub to: Option<String>,
    /// The cursor: the last row of the page before.
    pub after_at: Option<String>,
    pub after_session: Option<String>,
    pub after_seq: Option<String>,
}

fn given(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A `datetime-local` value (`2026-01-02T03:04`, seconds optional) read as UTC.
pub fn utc_local(field: &str, v: &str) -> Result<DateTime<Utc>, ConsoleError> {
    [
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%dT%H:%M:%S%.f",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(v, f).ok())
    .map(|n| n.and_utc())
    .ok_or_else(|| {
        ConsoleError::Invalid(format!(
            "`{field}` is not a date and time like 2026-01-31T14:05"
        ))
    })
}

/// An RFC 3339 cursor time.
pub fn cursor_time(v: &str) -> Result<DateTime<Utc>, ConsoleError> {
    DateTime::parse_from_rfc3339(v)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| ConsoleError::Invalid("the page cursor is not valid".into()))
}

impl DecisionParams {
    /// Whether this is a page after the first.
    pub fn is_paged(&self) -> bool {
        given(&self.after_at).is_some()
    }

    /// The service query for this search, `limit` rows a page.
    pub fn query(&self, limit: u64) -> Result<DecisionQuery, ConsoleError> {
        let action = match (given(&self.action), self.action_match.as_deref()) {
            (None, _) => None,
            (Some(a), None | Some("exact" | "")) => Some(ActionMatch::Exact(a)),
            (Some(a), Some("prefix")) => Some(ActionMatch::Prefix(a)),
            (Some(_), Some(_)) => {
                return Err(ConsoleError::Invalid(
                    "`action_match` is exact or prefix".into(),
                ));
            }
        };
        let allowed = match given(&self.verdict).as_deref() {
            None => None,
            Some("allowed") => Some(true),
            Some("denied") => Some(false),
            Some(_) => {
                return Err(ConsoleError::Invalid(
                    "`verdict` is allowed or denied".into(),
                ));
            }
        };
        let effect = given(&self.effect);
        if let Some(e) = &effect
            && !EFFECTS.contains(&e.as_str())
        {
            return Err(ConsoleError::Invalid(format!(
                "`effect` is one of {}",
                EFFECTS.join(", ")
            )));
        }
        let rule = given(&self.rule);
        if let Some(r) = &rule
            && !RULES.contains(&r.as_str())
        {
            return Err(ConsoleError::Invalid(format!(
                "`rule` is one of {}",
                RULES.join(", ")
            )));
        }
        let from = given(&self.from)
            .map(|v| utc_local("from", &v))
            .transpose()?;
        let to = given(&self.to).map(|v| utc_local("to", &v)).transpose()?;
        let after = match (
            given(&self.after_at),
            given(&self.after_session),
            given(&self.after_seq),
        ) {
            (None, None, None) => None,
            (Some(at), Some(session), Some(seq)) => Some((
                cursor_time(&at)?,
                session,
                seq.parse::<u64>()
                    .map_err(|_| ConsoleError::Invalid("the page cursor is not valid".into()))?,
            )),
            _ => return Err(ConsoleError::Invalid("the page cursor is not valid".into())),
        };
        Ok(DecisionQuery {
            agent_id: given(&self.agent),
            session_id: given(&self.session),
            action,
            effect,
            allowed,
            rule,
            from,
            to,
            after,
            limit,
        })
    }
}

/// The URL query of this search, starting after `cursor` (the first page when absent).
pub fn query_string(p: &DecisionParams, cursor: Option<&DecisionCursor>) -> String {
    let mut pairs: Vec<(&str, String)> = [
        ("agent", &p.agent),
        ("session", &p.session),
        ("action", &p.action),
        ("action_match", &p.action_match),
        ("effect", &p.effect),
        ("verdict", &p.verdict),
        ("rule", &p.rule),
        ("from", &p.from),
        ("to", &p.to),
    ]
    .into_iter()
    .filter_map(|(k, v)| given(v).map(|v| (k, v)))
    .collect();
    if let Some((at, session, seq)) = cursor {
        pairs.push((
            "after_at",
            at.to_rfc3339_opts(chrono::SecondsFormat::Micros, true),
        ));
        pairs.push(("after_session", session.clone()));
        pairs.push(("after_seq", seq.to_string()));
    }
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

fn selected(current: &Option<String>, value: &str) -> bool {
    current.as_deref().map(str::trim) == Some(value)
}

/// The filter form (a GET: searching changes nothing).
pub fn filters(p: &DecisionParams, agents: &[Agent]) -> Markup {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    html! {
        form.filters method="get" action="/console/decisions" role="search" aria-label="Search decisions" {
            div.fields {
                div {
                    label for="f-agent" { "Agent" }
                    select id="f-agent" name="agent" {
                        option value="" { "Any agent" }
                        @for a in agents {
                            option value=(a.id) selected[selected(&p.agent, &a.id)] { (a.name) " (" (a.id) ")" }
                        }
                    }
                }
                div {
                    label for="f-session" { "Session" }
                    input id="f-session" name="session" value=(text(&p.session)) placeholder="session id";
                }
                div {
                    label for="f-action" { "Action" }
                    input id="f-action" name="action" value=(text(&p.action)) placeholder="db.query";
                }
                div {
                    label for="f-action-match" { "Action match" }
                    select id="f-action-match" name="action_match" {
                        option value="exact" selected[selected(&p.action_match, "exact")] { "Exact" }
                        option value="prefix" selected[selected(&p.action_match, "prefix")] { "Starts with" }
                    }
                }
                div {
                    label for="f-effect" { "Effect" }
                    select id="f-effect" name="effect" {
                        option value="" { "Any effect" }
                        @for e in EFFECTS {
                            option value=(e) selected[selected(&p.effect, e)] { (e) }
                        }
                    }
                }
                div {
                    label for="f-verdict" { "Verdict" }
                    select id="f-verdict" name="verdict" {
                        option value="" { "Any verdict" }
                        option value="allowed" selected[selected(&p.verdict, "allowed")] { "Allowed" }
                        option value="denied" selected[selected(&p.verdict, "denied")] { "Denied" }
                    }
                }
                div {
                    label for="f-rule" { "Rule" }
                    select id="f-rule" name="rule" {
                        option value="" { "Any rule" }
                        @for r in RULES {
                            option value=(r) selected[selected(&p.rule, r)] { (r) }
                        }
                    }
                }
                div {
                    label for="f-from" { "From (UTC)" }
                    input id="f-from" type="datetime-local" step="1" name="from" value=(text(&p.from));
                }
                div {
                    label for="f-to" { "To (UTC)" }
                    input id="f-to" type="datetime-local" step="1" name="to" value=(text(&p.to));
                }
            }
            p.hint { "Times in this form are UTC; the results show your local time (UTC on hover)." }
            div.actions {
                button.primary type="submit" { "Search" }
                a.button href="/console/decisions" { "Clear" }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datetime_local_values_are_utc() {
        let t = utc_local("from", "2026-01-02T03:04").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-01-02T03:04:00+00:00");
        assert!(utc_local("from", "yesterday").is_err());
    }

    #[test]
    fn bad_values_are_invalid_not_errors() {
        let p = DecisionParams {
            verdict: Some("maybe".into()),
            ..Default::default()
        };
        assert!(matches!(p.query(10), Err(ConsoleError::Invalid(_))));
        let p = DecisionParams {
            after_at: Some("x".into()),
            ..Default::default()
        };
        assert!(matches!(p.query(10), Err(ConsoleError::Invalid(_))));
    }

    #[test]
    fn the_next_page_keeps_the_filters() {
        let p = DecisionParams {
            verdict: Some("denied".into()),
            agent: Some(" ".into()),
            ..Default::default()
        };
        let t = Utc::now();
        let q = query_string(&p, Some(&(t, "s 1".into(), 7)));
        assert!(q.starts_with("verdict=denied&after_at="), "{q}");
        assert!(q.ends_with("&after_session=s+1&after_seq=7"), "{q}");
    }
}
