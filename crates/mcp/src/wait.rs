//! Waiting instead of failing: a `tools/call` denied with an approval to ask for is held while
//! the approval is pending, up to the wait the server's registration (gateway), the wrapper's
//! `--approval-wait-secs` or the hook's `--wait-secs` allows.
//!
//! The approval's status is polled (every 250 ms at first, backing off to 1 s). Approved: the
//! call is checked again, and that check decides (it uses up a call approval; an approved
//! elevation lets it through in the elevated session, or asks for the next approval, which is
//! waited for in turn). Denied, expired, used elsewhere, not decided in time, or a status that
//! cannot be read: the denial stands. Nothing is ever forwarded without an allowing check.

use std::time::Duration;

use serde_json::Value;
use tokio::time::Instant;

use crate::relay::{DecideError, Decider, Decision};

const FIRST_POLL: Duration = Duration::from_millis(250);
const LONGEST_POLL: Duration = Duration::from_secs(1);

enum Waited {
    Approved,
    /// Not approved: why, for the reason the client sees.
    Not(String),
}

/// Polls approval `id` until it is decided or `deadline` passes.
async fn wait_for<D: Decider>(decider: &D, id: &str, deadline: Instant) -> Waited {
    let mut pause = FIRST_POLL;
    loop {
        match decider.approval_status(id).await {
            Ok(s) if s == "approved" => return Waited::Approved,
            Ok(s) if s == "pending" => {}
            Ok(s) => return Waited::Not(format!("approval `{id}` is {s}")),
            Err(e) => {
                return Waited::Not(format!(
                    "the status of approval `{id}` could not be read: {e}"
                ));
            }
        }
        let now = Instant::now();
        if now >= deadline {
            return Waited::Not(format!("approval `{id}` was not decided in time"));
        }
        tokio::time::sleep(pause.min(deadline - now)).await;
        pause = (pause * 2).min(LONGEST_POLL);
    }
}

/// Checks a call of `action` with `input`; when it is denied with an approval and the
/// decider allows waiting, holds it until the approval is decided or the wait runs out.
/// `waiting` is told each approval id waited for (the hook prints it).
pub async fn check_waiting<D: Decider>(
    decider: &D,
    action: &str,
    input: Value,
    waiting: &(dyn Fn(&str) + Send + Sync),
) -> Result<Decision, DecideError> {
    let mut decision = decider.check(action, input.clone(), None).await?;
    let wait = decider.approval_wait();
    if decision.allowed || wait.is_zero() {
        return Ok(decision);
    }
    let deadline = Instant::now() + wait;
    while let Some(id) = decision.approval_id.clone() {
        waiting(&id);
        match wait_for(decider, &id, deadline).await {
            Waited::Not(why) => {
                decision.reason = format!("{}; {why}", decision.reason);
                return Ok(decision);
            }
            Waited::Approved => {
                let again = decider.check(action, input.clone(), None).await?;
                // The same approval again would only spin: its check stands.
                if again.allowed || again.approval_id.as_deref() == Some(id.as_str()) {
                    return Ok(again);
                }
                decision = again;
            }
        }
    }
    Ok(decision)
}
