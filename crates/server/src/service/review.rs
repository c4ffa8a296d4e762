//! Running the Deep tier's reviewers for one call, outside any store transaction.
//!
//! Reviewers run in order; any deny (or failure) stops the run and decides. Each has its own
//! timeout and the whole run an overall cap. A timeout, a refused connection, a non-2xx
//! answer, a malformed answer or a confidence below the reviewer's minimum denies with the
//! reason. An allow from a webhook or an LLM lets the call through only if that reviewer has
//! `can_allow` and no person is listed; otherwise a person must still approve.

use std::time::Duration;

use serde_json::{Value, json};

use airlock_core::pipeline::DeepReview;
use airlock_outbound::{Outbound, Post};

use super::clip;
use super::llm;
use super::reviewers::{DEFAULT_TIMEOUT_MS, Reviewer, Webhook};

/// The longest reason kept from a reviewer's answer.
pub const MAX_ANSWER_REASON: usize = 512;

/// What a reviewer sees of the call: the check, its classification and its session.
#[derive(Debug, Clone)]
pub struct ReviewCall {
    pub check_id: String,
    pub org_id: String,
    pub action_name: String,
    pub input: Value,
    pub effect: String,
    pub risk: String,
    pub reasons: Vec<String>,
    pub confidence: f64,
    pub session: Value,
}

impl ReviewCall {
    /// The JSON a webhook receives (and an LLM sees the non-input parts of).
    pub fn body(&self, reviewer: &str) -> Value {
        json!({
            "check_id": self.check_id,
            "org_id": self.org_id,
            "reviewer": reviewer,
            "call": {"action_name": self.action_name, "input": self.input},
            "classification": {
                "effect": self.effect,
                "risk": self.risk,
                "reasons": self.reasons,
                "confidence": self.confidence,
            },
            "session": self.session,
        })
    }
}

/// The combined answer of the reviewers, and one line per reviewer consulted for the
/// decision's reasons.
#[derive(Debug, Clone, PartialEq)]
pub struct Review {
    pub deep: DeepReview,
    pub notes: Vec<String>,
    /// What failed, for the metrics: the reviewer's kind, or `timeout` for the overall cap.
    pub failed: Option<&'static str>,
}

/// One reviewer's answer, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    pub allowed: bool,
    pub reason: String,
    pub confidence: f64,
}

/// Reads `{"allowed": bool, "reason": string, "confidence": 0..1}`; anything else is an error.
pub fn parse_answer(v: &Value) -> Result<Answer, String> {
    let allowed = v
        .get("allowed")
        .and_then(Value::as_bool)
        .ok_or("the answer has no boolean `allowed`")?;
    let reason = v
        .get("reason")
        .and_then(Value::as_str)
        .ok_or("the answer has no string `reason`")?;
    let confidence = v
        .get("confidence")
        .and_then(Value::as_f64)
        .filter(|c| (0.0..=1.0).contains(c))
        .ok_or("the answer has no `confidence` between 0 and 1")?;
    let reason = clip(reason, MAX_ANSWER_REASON).replace(|c: char| c.is_control(), " ");
    Ok(Answer {
        allowed,
        reason,
        confidence,
    })
}

/// Runs the reviewers in order within `cap`.
pub async fn run(
    outbound: Option<&Outbound>,
    reviewers: &[Reviewer],
    call: &ReviewCall,
    cap: Duration,
) -> Review {
    match tokio::time::timeout(cap, run_all(outbound, reviewers, call)).await {
        Ok(review) => review,
        Err(_) => {
            let reason = format!("the reviewers did not finish within {} ms", cap.as_millis());
            Review {
                notes: vec![format!("deep review: {reason}")],
                deep: DeepReview::Failed { reason },
                failed: Some("timeout"),
            }
        }
    }
}

async fn run_all(outbound: Option<&Outbound>, reviewers: &[Reviewer], call: &ReviewCall) -> Review {
    let mut notes = Vec::new();
    let mut persons = Vec::new();
    let mut allowed_by: Option<(String, f64)> = None;
    let mut cannot_allow = Vec::new();
    for reviewer in reviewers {
        let who = format!("reviewer `{}` ({})", reviewer.name(), reviewer.kind());
        let (answer, can_allow, min) = match reviewer {
            Reviewer::Person(p) => {
                persons.push(format!("`{}`", p.name));
                notes.push(format!("deep review: {who} decides in the approval queue"));
                continue;
            }
            Reviewer::Webhook(w) => (
                ask_webhook(outbound, w, call).await,
                w.can_allow,
                w.min_confidence.unwrap_or(0.0),
            ),
            Reviewer::Llm(l) => (
                llm::ask(outbound, l, call).await,
                l.can_allow,
                l.min_confidence.unwrap_or(0.0),
            ),
        };
        let answer = match answer {
            Ok(a) if a.confidence < min => Err(format!(
                "confidence {:.2} is below the minimum {min:.2} (it answered {}: {})",
                a.confidence,
                if a.allowed { "allow" } else { "deny" },
                a.reason
            )),
            other => other,
        };
        match answer {
            Err(why) => {
                let reason = format!("{who} failed: {why}");
                notes.push(format!("deep review: {reason}"));
                return Review {
                    deep: DeepReview::Failed { reason },
                    notes,
                    failed: Some(reviewer.kind()),
                };
            }
            Ok(a) if !a.allowed => {
                let reason = format!("{who}: {}", a.reason);
                notes.push(format!(
                    "deep review: {who} denied (confidence {:.2}): {}",
                    a.confidence, a.reason
                ));
                return Review {
                    deep: DeepReview::Answered {
                        allowed: false,
                        reason,
                        confidence: a.confidence,
                    },
                    notes,
                    failed: None,
                };
            }
            Ok(a) => {
                notes.push(format!(
                    "deep review: {who} allowed (confidence {:.2}{}): {}",
                    a.confidence,
                    if can_allow {
                        ""
                    } else {
                        ", may not allow alone"
                    },
                    a.reason
                ));
                if can_allow {
                    let lowest = allowed_by
                        .as_ref()
                        .map_or(a.confidence, |(_, c)| c.min(a.confidence));
                    let reason = match allowed_by.take() {
                        Some((r, _)) => format!("{r}; {who}: {}", a.reason),
                        None => format!("{who}: {}", a.reason),
                    };
                    allowed_by = Some((reason, lowest));
                } else {
                    cannot_allow.push(who);
                }
            }
        }
    }
    let deep = match (persons.is_empty(), allowed_by) {
        (true, Some((reason, confidence))) => DeepReview::Answered {
            allowed: true,
            reason,
            confidence,
        },
        (_, _) if !persons.is_empty() => DeepReview::PersonRequired {
            reason: format!("the reviewers list a person ({})", persons.join(", ")),
        },
        _ if !cannot_allow.is_empty() => DeepReview::PersonRequired {
            reason: format!(
                "{} allowed but may not allow alone (can_allow is off)",
                cannot_allow.join(", ")
            ),
        },
        _ => DeepReview::NotConfigured,
    };
    Review {
        deep,
        notes,
        failed: None,
    }
}

async fn ask_webhook(
    outbound: Option<&Outbound>,
    w: &Webhook,
    call: &ReviewCall,
) -> Result<Answer, String> {
    let outbound = outbound.ok_or("the outbound HTTP client is unavailable")?;
    let body = serde_json::to_vec(&call.body(&w.name)).map_err(|e| e.to_string())?;
    let post = Post {
        url: w.url.clone(),
        body,
        headers: Vec::new(),
        timeout: Duration::from_millis(w.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS)),
        secret: w.secret.clone(),
    };
    let answer = outbound.post(&post).await.map_err(|e| e.to_string())?;
    if !answer.is_success() {
        return Err(format!("answered http {}", answer.status));
    }
    let v: Value =
        serde_json::from_slice(&answer.body).map_err(|_| "the answer is not json".to_string())?;
    parse_answer(&v)
}
