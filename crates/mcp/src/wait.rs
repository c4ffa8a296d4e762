//! Waiting instead of failing: a `tools/call` denied with an approval to ask for is held while
//! the approval is pending, up to the wait the server's registration (gateway), the wrapper's
//! `--approval-wait-secs` or the hook's `--wait-secs` allows.
//!
//! The approval's status is polled (every 250 ms at first, backing off to 1 s). Approved: the
//! call is checked again, and that check decides (it uses up a call approval; an approved
//! elevation lets it through in the elevated session, or asks for the next approval, which is
//! waited for in turn). Denied, expired, used elsewhere, not decided in time, declined by the
//! person, or a status that cannot be read: the denial stands. Cancelled by the client: the
//! call is dropped. Nothing is ever forwarded without an allowing check. What the client is
//! told meanwhile is the [`Holder`]'s business ([`crate::hold`]).

use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use crate::hold::{Holder, Report, Stop};
use crate::relay::{DecideError, Decider, Decision};

const FIRST_POLL: Duration = Duration::from_millis(250);
const LONGEST_POLL: Duration = Duration::from_secs(1);

/// How a held call ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Held {
    /// The check that stands (allowed, or the denial with why the wait ended).
    Decided(Decision),
    /// The client cancelled the call: it is neither forwarded nor answered.
    Cancelled(String),
}

pub(crate) enum Waited {
    Approved,
    /// Not approved: why, for the reason the client sees.
    Not(String),
    Cancelled(String),
}

/// Polls approval `id` until it is decided, `deadline` passes or the holder stops the wait.
pub(crate) async fn wait_for<D: Decider, H: Holder>(
    decider: &D,
    holder: &mut H,
    id: &str,
    deadline: Instant,
    total: Duration,
) -> Waited {
    let started = Instant::now();
    let mut pause = FIRST_POLL;
    holder
        .started(id, decider.approval_link(id).as_deref())
        .await;
    let waited = loop {
        match decider.approval_status(id).await {
            Ok(s) if s == "approved" => break Waited::Approved,
            Ok(s) if s == "pending" => {}
            Ok(s) => break Waited::Not(format!("approval `{id}` is {s}")),
            Err(e) => {
                break Waited::Not(format!(
                    "the status of approval `{id}` could not be read: {e}"
                ));
            }
        }
        let now = Instant::now();
        if now >= deadline {
            break Waited::Not(format!("approval `{id}` was not decided in time"));
        }
        holder.tick(now - started, total);
        tokio::select! {
            _ = tokio::time::sleep(pause.min(deadline - now)) => {}
            stop = holder.stop() => break match stop {
                Stop::Cancelled(why) => Waited::Cancelled(why),
                Stop::Declined(why) => Waited::Not(why),
            },
        }
        pause = (pause * 2).min(LONGEST_POLL);
    };
    holder.ended(id);
    waited
}

/// Checks a call of `action` with `input`; when it is denied with an approval and the
/// decider allows waiting, holds it until the approval is decided or the wait runs out.
pub async fn check_holding<D: Decider, H: Holder>(
    decider: &D,
    action: &str,
    input: Value,
    holder: &mut H,
) -> Result<Held, DecideError> {
    let decision = decider.check(action, input.clone(), None).await?;
    hold_after(
        decider,
        action,
        input,
        holder,
        decision,
        decider.approval_wait(),
    )
    .await
}

/// Holds a call already checked (`decision`) for up to `wait`.
pub(crate) async fn hold_after<D: Decider, H: Holder>(
    decider: &D,
    action: &str,
    input: Value,
    holder: &mut H,
    mut decision: Decision,
    wait: Duration,
) -> Result<Held, DecideError> {
    if decision.allowed || wait.is_zero() {
        return Ok(Held::Decided(decision));
    }
    let deadline = Instant::now() + wait;
    while let Some(id) = decision.approval_id.clone() {
        match wait_for(decider, holder, &id, deadline, wait).await {
            Waited::Cancelled(why) => return Ok(Held::Cancelled(why)),
            Waited::Not(why) => {
                decision.reason = format!("{}; {why}", decision.reason);
                return Ok(Held::Decided(decision));
            }
            Waited::Approved => {
                let again = decider.check(action, input.clone(), None).await?;
                // The same approval again would only spin: its check stands.
                if again.allowed || again.approval_id.as_deref() == Some(id.as_str()) {
                    return Ok(Held::Decided(again));
                }
                decision = again;
            }
        }
    }
    Ok(Held::Decided(decision))
}

/// [`check_holding`] for callers that only show the approval id and its link (the hook).
pub async fn check_waiting<D: Decider>(
    decider: &D,
    action: &str,
    input: Value,
    waiting: &(dyn Fn(&str, Option<&str>) + Send + Sync),
) -> Result<Decision, DecideError> {
    match check_holding(decider, action, input, &mut Report(waiting)).await? {
        Held::Decided(d) => Ok(d),
        // Nothing cancels a report.
        Held::Cancelled(why) => Err(DecideError::Refused(why)),
    }
}
