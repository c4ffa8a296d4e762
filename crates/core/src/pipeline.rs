//! The decision pipeline of DESIGN.md, steps 1–7 (and step 0, a refusal the asking surface
//! brings), as one pure function.
//!
//! The caller (the service) authenticates, loads the agent and the session, classifies the
//! call, looks up approvals, and records the verdict with the new counters in one
//! transaction. Everything here is a function of its inputs.
//!
//! The session's approvals for the call are a separate argument, so that the caller can first
//! ask whether any step would look at them ([`decide_without_approvals`]): most calls are
//! allowed or refused by steps that never do, and their approvals need not be read.

use std::convert::Infallible;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::Effect;
use crate::classify::Classification;
use crate::scope;
use crate::session::{Mode, SessionState};

/// After this many calls a session's behaviour is judged.
pub const BEHAVIOUR_MIN_CALLS: u64 = 5;
/// A denial rate at or above this raises the risk tier ("probing").
pub const PROBING_DENIAL_RATE: f64 = 0.30;
/// A write ratio at or above this raises the risk tier ("burst of writes").
pub const WRITE_BURST_RATIO: f64 = 0.80;

/// The standing of the agent a check names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AgentStatus {
    Active,
    Suspended,
    Revoked,
    /// No agent of that id is registered in the caller's organization.
    Unknown,
}

impl AgentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            AgentStatus::Active => "active",
            AgentStatus::Suspended => "suspended",
            AgentStatus::Revoked => "revoked",
            AgentStatus::Unknown => "unknown",
        }
    }

    /// A stored status; anything unrecognised is none (the caller treats it as revoked).
    pub fn parse(s: &str) -> Option<AgentStatus> {
        match s {
            "active" => Some(AgentStatus::Active),
            "suspended" => Some(AgentStatus::Suspended),
            "revoked" => Some(AgentStatus::Revoked),
            _ => None,
        }
    }
}

/// The highest guardian tier consulted for a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum GuardTier {
    Fast,
    Spot,
    Deep,
}

impl GuardTier {
    pub fn as_str(self) -> &'static str {
        match self {
            GuardTier::Fast => "fast",
            GuardTier::Spot => "spot",
            GuardTier::Deep => "deep",
        }
    }

    /// The tiers a call of this risk must pass: read → fast; mutating → spot;
    /// destructive and admin → deep.
    pub fn required_for(risk: Effect) -> GuardTier {
        match risk.rank() {
            0 => GuardTier::Fast,
            1 => GuardTier::Spot,
            _ => GuardTier::Deep,
        }
    }
}

/// What the Deep tier said, when the caller consulted one.
#[derive(Debug, Clone, PartialEq)]
pub enum DeepReview {
    /// No reviewer is configured: high-risk calls wait for a person's approval.
    NotConfigured,
    /// A reviewer answered.
    Answered {
        allowed: bool,
        reason: String,
        confidence: f64,
    },
    /// A reviewer is configured but failed, timed out or answered nonsense.
    Failed { reason: String },
    /// The reviewers that answered did not deny, but none of them may allow alone (a person
    /// is in the list, or an allowing reviewer lacks `can_allow`): a person must approve.
    PersonRequired { reason: String },
}

/// An approval the verdict asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ApprovalKind {
    /// Approving it elevates the session for a bounded window.
    Elevation,
    /// Approving it lets exactly this call (session, action, input digest) through once.
    Call,
}

impl ApprovalKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ApprovalKind::Elevation => "elevation",
            ApprovalKind::Call => "call",
        }
    }
}

/// The approval a denial points to: a pending one that is reused, or a new one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalRequest {
    pub id: String,
    pub kind: ApprovalKind,
    /// False if the approval already exists (pending) and is reused.
    pub new: bool,
}

/// The pipeline step that decided. Whether a verdict allows follows from its rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The asking surface refused the call itself (step 0): it can only deny.
    Refused,
    AgentInactive,
    SessionOwnership,
    ServerRemoved,
    ToolDefinitionChanged,
    ScopeCeiling,
    ReadOnly,
    ToolRequiresApproval,
    /// A Spot Guard (Cedar) policy failed to evaluate: the call is denied.
    PolicyError,
    /// A Spot Guard `forbid` policy matched the call.
    PolicyForbid,
    /// A Spot Guard `forbid` annotated `@approval("required")` matched: a person must approve.
    PolicyApproval,
    GuardianUnavailable,
    DeepReviewDenied,
    DeepReviewFailed,
    /// The deep reviewers did not deny, but a person's approval is still needed.
    DeepReviewNeedsPerson,
    ApprovedCall,
    DeepReviewAllowed,
    Allowed,
}

impl Rule {
    /// Every rule, for tests and documentation.
    pub const ALL: [Rule; 18] = [
        Rule::Refused,
        Rule::AgentInactive,
        Rule::SessionOwnership,
        Rule::ServerRemoved,
        Rule::ToolDefinitionChanged,
        Rule::ScopeCeiling,
        Rule::ReadOnly,
        Rule::ToolRequiresApproval,
        Rule::PolicyError,
        Rule::PolicyForbid,
        Rule::PolicyApproval,
        Rule::GuardianUnavailable,
        Rule::DeepReviewDenied,
        Rule::DeepReviewFailed,
        Rule::DeepReviewNeedsPerson,
        Rule::ApprovedCall,
        Rule::DeepReviewAllowed,
        Rule::Allowed,
    ];

    /// The wire name (as serialized), without allocating: for metric labels.
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Refused => "refused",
            Rule::AgentInactive => "agent_inactive",
            Rule::SessionOwnership => "session_ownership",
            Rule::ServerRemoved => "server_removed",
            Rule::ToolDefinitionChanged => "tool_definition_changed",
            Rule::ScopeCeiling => "scope_ceiling",
            Rule::ReadOnly => "read_only",
            Rule::ToolRequiresApproval => "tool_requires_approval",
            Rule::PolicyError => "policy_error",
            Rule::PolicyForbid => "policy_forbid",
            Rule::PolicyApproval => "policy_approval",
            Rule::GuardianUnavailable => "guardian_unavailable",
            Rule::DeepReviewDenied => "deep_review_denied",
            Rule::DeepReviewFailed => "deep_review_failed",
            Rule::DeepReviewNeedsPerson => "deep_review_needs_person",
            Rule::ApprovedCall => "approved_call",
            Rule::DeepReviewAllowed => "deep_review_allowed",
            Rule::Allowed => "allowed",
        }
    }

    /// True for the rules that let a call through.
    pub fn allows(self) -> bool {
        matches!(
            self,
            Rule::ApprovedCall | Rule::DeepReviewAllowed | Rule::Allowed
        )
    }
}

/// A refusal the asking surface brings with the call: the call is denied for its reason, and
/// nothing can turn it into an allow (no approval is offered).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal<'a> {
    /// Who refused, as the reason names it: `the MCP gateway`, `the hook`, `the caller`.
    pub by: &'a str,
    pub reason: &'a str,
}

/// A `forbid` policy that matched a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpotForbid {
    pub policy_id: String,
    /// The policy is annotated `@approval("required")`: ask for a call approval, not deny.
    pub approval_required: bool,
}

/// What the Spot Guard (the organization's Cedar policies) said of a call. The default is
/// "no policy applies".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SpotOutcome {
    /// The first enforced `forbid` that matched (a denying one before one asking approval).
    pub forbid: Option<SpotForbid>,
    /// Enforced policies that failed to evaluate, as `policy `id`: message`: the call is denied.
    pub errors: Vec<String>,
    /// What `log_only` policies would have done; never changes a verdict.
    pub log_only: Vec<String>,
}

/// Everything the pipeline decides on.
#[derive(Debug, Clone)]
pub struct CheckInput<'a> {
    pub now: DateTime<Utc>,
    /// Step 0: the surface refused the call (an unknown MCP method, a forged response…).
    pub refusal: Option<Refusal<'a>>,
    pub agent_id: &'a str,
    pub agent_status: AgentStatus,
    pub session: &'a SessionState,
    pub action_name: &'a str,
    /// The Claude Code tool the hook checks as `action_name` (`Bash` for `shell.exec`); `None`
    /// from every other surface. Its exact name is a capability for this call too
    /// ([`scope::allowing_hook_call`]).
    pub hook_tool: Option<&'a str>,
    pub classification: &'a Classification,
    /// The session is bound to an MCP server that is no longer registered.
    pub server_removed: bool,
    /// The tool's definition changed since it was pinned and no operator accepted it.
    pub tool_definition_changed: bool,
    /// The tool is registered with `require_approval`.
    pub tool_requires_approval: bool,
    /// The Spot Guard's outcome (default: no policy applies).
    pub spot: SpotOutcome,
    pub deep: DeepReview,
    /// The id to give an approval if this verdict creates one.
    pub new_approval_id: &'a str,
}

/// The session's approvals that bear on this call: an argument of [`decide`] of its own, read
/// only when a step looks at them ([`decide_without_approvals`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CallApprovals<'a> {
    /// An approved, unexpired, unused call approval for this exact call.
    pub approved_call: Option<&'a str>,
    /// A pending call approval for this exact call, reused instead of creating another.
    pub pending_call: Option<&'a str>,
    /// A pending elevation approval of this session, reused instead of creating another.
    pub pending_elevation: Option<&'a str>,
}

/// Where the steps get the session's approvals: the only way they can, so that a run
/// without them ([`Unread`]) stops at the first step that would look.
trait Approvals<'a> {
    type Missing;
    fn get(&self) -> Result<CallApprovals<'a>, Self::Missing>;
}

impl<'a> Approvals<'a> for CallApprovals<'a> {
    type Missing = Infallible;
    fn get(&self) -> Result<CallApprovals<'a>, Infallible> {
        Ok(*self)
    }
}

/// The approvals were not read: a step that looks at them stops the run.
struct Unread;

impl<'a> Approvals<'a> for Unread {
    type Missing = Unread;
    fn get(&self) -> Result<CallApprovals<'a>, Unread> {
        Err(Unread)
    }
}

/// The answer of the pipeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub allowed: bool,
    pub rule: Rule,
    pub reason: String,
    /// The classified effect.
    pub effect: Effect,
    /// The effect after behavioural escalation: what routing used.
    pub risk: Effect,
    pub guard_tier: GuardTier,
    pub confidence: f64,
    pub elevation_required: bool,
    pub approval: Option<ApprovalRequest>,
    /// The call approval this verdict uses up.
    pub consumed_approval: Option<String>,
}

impl Verdict {
    /// The one constructor: `allowed` follows from the rule and the effect from the
    /// classification. The confidence is the classification's when it alone let the call
    /// through, else 1.0 (a rule or a person decided) until a reviewer's replaces it
    /// ([`Verdict::with_confidence`]).
    fn new(
        input: &CheckInput<'_>,
        rule: Rule,
        reason: String,
        risk: Effect,
        tier: GuardTier,
    ) -> Verdict {
        Verdict {
            allowed: rule.allows(),
            rule,
            reason,
            effect: input.classification.effect,
            risk,
            guard_tier: tier,
            confidence: if rule == Rule::Allowed {
                input.classification.confidence()
            } else {
                1.0
            },
            elevation_required: false,
            approval: None,
            consumed_approval: None,
        }
    }

    fn with_confidence(mut self, confidence: f64) -> Verdict {
        self.confidence = confidence.clamp(0.0, 1.0);
        self
    }

    fn with_approval<'a, A: Approvals<'a>>(
        mut self,
        input: &CheckInput<'_>,
        approvals: &A,
        kind: ApprovalKind,
    ) -> Result<Verdict, A::Missing> {
        let approvals = approvals.get()?;
        let pending = match kind {
            ApprovalKind::Elevation => approvals.pending_elevation,
            ApprovalKind::Call => approvals.pending_call,
        };
        let approval = match pending {
            Some(id) => ApprovalRequest {
                id: id.to_string(),
                kind,
                new: false,
            },
            None => ApprovalRequest {
                id: input.new_approval_id.to_string(),
                kind,
                new: true,
            },
        };
        self.reason = format!(
            "{}; approval `{}` {}",
            self.reason,
            approval.id,
            if approval.new {
                "requested"
            } else {
                "is pending"
            }
        );
        self.elevation_required = kind == ApprovalKind::Elevation;
        self.approval = Some(approval);
        Ok(self)
    }
}

/// Behavioural escalation: after five calls, probing or a burst of writes raises the risk.
fn escalation(session: &SessionState) -> Option<String> {
    let c = session.counters;
    if c.total < BEHAVIOUR_MIN_CALLS {
        return None;
    }
    let total = c.total as f64;
    let denial_rate = c.denied as f64 / total;
    let write_ratio = c.write as f64 / total;
    if denial_rate >= PROBING_DENIAL_RATE {
        Some(format!(
            "{} of {} calls denied (probing)",
            c.denied, c.total
        ))
    } else if write_ratio >= WRITE_BURST_RATIO {
        Some(format!(
            "{} of {} calls were writes (burst of writes)",
            c.write, c.total
        ))
    } else {
        None
    }
}

/// Runs the pipeline with the session's approvals for this call.
pub fn decide(input: &CheckInput<'_>, approvals: CallApprovals<'_>) -> Verdict {
    match run(input, &approvals) {
        Ok(verdict) => verdict,
        Err(never) => match never {},
    }
}

/// Runs the pipeline without the session's approvals: the verdict when no step looks at them
/// (it is then the verdict [`decide`] gives whatever they are), `None` when one would (read
/// them and call [`decide`]).
pub fn decide_without_approvals(input: &CheckInput<'_>) -> Option<Verdict> {
    run(input, &Unread).ok()
}

fn run<'a, A: Approvals<'a>>(input: &CheckInput<'_>, approvals: &A) -> Result<Verdict, A::Missing> {
    let effect = input.classification.effect;
    let action = input.action_name;

    // Step 0: a refusal denies before anything else looks at the call, and offers no
    // approval, because approving would change nothing for a message that is never forwarded.
    if let Some(refusal) = input.refusal {
        let reason = format!("refused by {}: {}", refusal.by, refusal.reason);
        return Ok(Verdict::new(
            input,
            Rule::Refused,
            reason,
            effect,
            GuardTier::Fast,
        ));
    }
    // Step 1: an unknown, revoked or suspended agent gets nothing.
    if input.agent_status != AgentStatus::Active {
        let reason = match input.agent_status {
            AgentStatus::Unknown => format!(
                "agent `{}` is not registered in this organization",
                input.agent_id
            ),
            status => format!("agent `{}` is {}", input.agent_id, status.as_str()),
        };
        return Ok(Verdict::new(
            input,
            Rule::AgentInactive,
            reason,
            effect,
            GuardTier::Fast,
        ));
    }
    // Step 2: the session must be the caller's.
    if input.session.agent_id != input.agent_id {
        let reason = format!("session `{}` belongs to another agent", input.session.id);
        return Ok(Verdict::new(
            input,
            Rule::SessionOwnership,
            reason,
            effect,
            GuardTier::Fast,
        ));
    }
    // A session outlives neither its server nor the tool definitions it was granted against.
    if input.server_removed {
        let reason = format!(
            "the mcp server of session `{}` is no longer registered",
            input.session.id
        );
        return Ok(Verdict::new(
            input,
            Rule::ServerRemoved,
            reason,
            effect,
            GuardTier::Fast,
        ));
    }
    if input.tool_definition_changed {
        let reason = format!(
            "tool `{action}` changed its definition since it was pinned; an operator must accept the new definition"
        );
        return Ok(Verdict::new(
            input,
            Rule::ToolDefinitionChanged,
            reason,
            effect,
            GuardTier::Fast,
        ));
    }
    // Step 4: the scope ceiling.
    if scope::allowing_hook_call(&input.session.scope_ceiling, action, input.hook_tool).is_none() {
        let ceiling = if input.session.scope_ceiling.is_empty() {
            "empty".to_string()
        } else {
            input.session.scope_ceiling.join(", ")
        };
        let reason = format!(
            "action `{action}` is outside the session scope ceiling ({ceiling}): capability not registered"
        );
        return Ok(Verdict::new(
            input,
            Rule::ScopeCeiling,
            reason,
            effect,
            GuardTier::Fast,
        ));
    }
    // Step 5: read-only sessions turn writes into elevation requests.
    let mode = input.session.mode_at(input.now);
    if mode == Mode::ReadOnly && effect.is_write() {
        let reason = format!("session is read_only: {effect} action `{action}` requires elevation");
        return Verdict::new(input, Rule::ReadOnly, reason, effect, GuardTier::Fast).with_approval(
            input,
            approvals,
            ApprovalKind::Elevation,
        );
    }
    // Step 6: behaviour raises the risk tier of this call.
    let escalated = escalation(input.session);
    let risk = if escalated.is_some() {
        effect.raised()
    } else {
        effect
    };
    let because = escalated
        .map(|why| format!(" (risk raised from {effect} to {risk}: {why})"))
        .unwrap_or_default();
    // Step 7: guardian routing, failing closed.
    let required = GuardTier::required_for(risk);
    // Spot: the organization's policies. They only ever deny or ask: a `permit` lifts nothing.
    if let Some(why) = input.spot.errors.first() {
        let reason =
            format!("spot guard: policy failed to evaluate, so the call is denied: {why}{because}");
        return Ok(Verdict::new(
            input,
            Rule::PolicyError,
            reason,
            risk,
            GuardTier::Spot.max(required),
        ));
    }
    if let Some(forbid) = &input.spot.forbid {
        if !forbid.approval_required {
            let reason = format!(
                "spot guard: policy `{}` forbids {effect} action `{action}`{because}",
                forbid.policy_id
            );
            return Ok(Verdict::new(
                input,
                Rule::PolicyForbid,
                reason,
                risk,
                GuardTier::Spot,
            ));
        }
        if let Some(id) = approvals.get()?.approved_call {
            // An approval of this exact call is what both the policy and Deep accept.
            return Ok(approved(input, id, risk, GuardTier::Spot.max(required)));
        }
        {
            let reason = format!(
                "spot guard: policy `{}` requires approval for {effect} action `{action}`{because}",
                forbid.policy_id
            );
            return Verdict::new(input, Rule::PolicyApproval, reason, risk, GuardTier::Spot)
                .with_approval(input, approvals, ApprovalKind::Call);
        }
    }
    // A tool registered with `require_approval` needs a person for every call, reads included:
    // the operator said so for this tool, whatever its effect.
    if input.tool_requires_approval {
        if let Some(id) = approvals.get()?.approved_call {
            return Ok(approved(input, id, risk, GuardTier::Spot.max(required)));
        }
        let reason = format!("tool `{action}` requires approval for every call{because}");
        return Verdict::new(
            input,
            Rule::ToolRequiresApproval,
            reason,
            risk,
            GuardTier::Spot,
        )
        .with_approval(input, approvals, ApprovalKind::Call);
    }
    if required == GuardTier::Deep {
        if let Some(id) = approvals.get()?.approved_call {
            return Ok(approved(input, id, risk, GuardTier::Deep));
        }
        match &input.deep {
            DeepReview::NotConfigured => {
                let reason = format!(
                    "guardian path unavailable: {risk} action `{action}` needs a deep review and no deep reviewer is configured{because}"
                );
                return Verdict::new(
                    input,
                    Rule::GuardianUnavailable,
                    reason,
                    risk,
                    GuardTier::Deep,
                )
                .with_approval(input, approvals, ApprovalKind::Call);
            }
            DeepReview::Failed { reason: why } => {
                let reason = format!(
                    "guardian path unavailable: deep review of `{action}` failed: {why}{because}"
                );
                return Verdict::new(input, Rule::DeepReviewFailed, reason, risk, GuardTier::Deep)
                    .with_approval(input, approvals, ApprovalKind::Call);
            }
            DeepReview::PersonRequired { reason: why } => {
                let reason =
                    format!("{risk} action `{action}` needs a person's approval: {why}{because}");
                return Verdict::new(
                    input,
                    Rule::DeepReviewNeedsPerson,
                    reason,
                    risk,
                    GuardTier::Deep,
                )
                .with_approval(input, approvals, ApprovalKind::Call);
            }
            DeepReview::Answered {
                allowed: false,
                reason: why,
                confidence,
            } => {
                let reason = format!("deep review denied `{action}`: {why}{because}");
                return Ok(Verdict::new(
                    input,
                    Rule::DeepReviewDenied,
                    reason,
                    risk,
                    GuardTier::Deep,
                )
                .with_confidence(*confidence));
            }
            DeepReview::Answered {
                allowed: true,
                reason: why,
                confidence,
            } => {
                let reason = format!("deep review allowed `{action}`: {why}{because}");
                return Ok(Verdict::new(
                    input,
                    Rule::DeepReviewAllowed,
                    reason,
                    risk,
                    GuardTier::Deep,
                )
                .with_confidence(*confidence));
            }
        }
    }
    let capability =
        scope::allowing_hook_call(&input.session.scope_ceiling, action, input.hook_tool)
            .unwrap_or_default();
    let reason = format!(
        "{effect} action `{action}` allowed by capability `{capability}` in {} mode{because}",
        mode.as_str()
    );
    Ok(Verdict::new(input, Rule::Allowed, reason, risk, required))
}

fn approved(input: &CheckInput<'_>, approval_id: &str, risk: Effect, tier: GuardTier) -> Verdict {
    let reason = format!(
        "{} action `{}` allowed once by approval `{approval_id}`",
        input.classification.effect, input.action_name
    );
    let mut verdict = Verdict::new(input, Rule::ApprovedCall, reason, risk, tier);
    verdict.consumed_approval = Some(approval_id.to_string());
    verdict
}

#[cfg(test)]
#[path = "pipeline_tests.rs"]
mod tests;
