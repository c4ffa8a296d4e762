//! The check: the pipeline wired to the store. Classification (the expensive parsing) runs
//! on the request's task; reading state, deciding and recording run in one store
//! transaction, so the answer is sent only for a decision that is committed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, Timelike, Utc};
use serde_json::Value;
use tracing::Instrument;

use airlock_audit::receipt::Receipt;
use airlock_core::Effect;
use airlock_core::chain;
use airlock_core::classify::{self, CallAnalysis};
use airlock_core::pipeline::{
    self, AgentStatus, CallApprovals, CheckInput, DeepReview, GuardTier, Refusal, Rule,
    SpotOutcome, Verdict,
};
use airlock_core::scope;
use airlock_store::model::{Approval, Decision, Session, ts};
use airlock_store::{CheckReads, SessionApprovals, StoreError, Tx};

mod opened;
mod pass;
mod receipts;
mod summary;

pub use opened::{OpenedCheck, OpenedDecision};
use pass::pass_in;
pub(crate) use receipts::{PassAnswer, seal_receipts};
pub(crate) use summary::summary;

use super::review::{self, Review, ReviewCall};
use super::reviewers::{self, Reviewer};
use super::sessions::implicit_session;
use super::{Caller, PolicyCache, Service, ServiceError, clip, validate};
use crate::Config;
use crate::auth::{KeyHash, new_id};

/// A check as every surface (HTTP API, MCP gateway, hooks) asks it.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    pub agent_id: String,
    /// Empty: the agent's default implicit session.
    pub session_id: String,
    pub action_name: String,
    /// The input: a string summary or the full JSON arguments.
    pub input: Value,
    pub declared: Option<Effect>,
    /// Which surface asked: `api`, `mcp`, `hook`, `authzen`.
    pub source: String,
    /// The surface refused the call itself, for this reason: the pipeline denies it (rule
    /// `refused`), records it and offers no approval. It can only deny.
    pub refusal: Option<String>,
    /// The Claude Code tool the hook checks as `action_name` (`Bash` for `shell.exec`): its
    /// exact name is a capability for this call too. Honoured for `source` `hook` only.
    pub hook_tool: Option<String>,
}

/// The answer of a check. `R` is its receipt: signed ([`Service::check`]), or `()` for a
/// surface that sends none ([`Service::check_unreceipted`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CheckOutcome<R = airlock_audit::receipt::Receipt> {
    pub check_id: String,
    pub session_id: String,
    pub verdict: Verdict,
    pub reasons: Vec<String>,
    pub latency_ms: u64,
    /// The signed receipt of the recorded decision (docs/audit.md).
    pub receipt: R,
}

impl<R> CheckOutcome<R> {
    /// The same outcome with `receipt` as its receipt.
    fn with_receipt<T>(self, receipt: T) -> CheckOutcome<T> {
        CheckOutcome {
            check_id: self.check_id,
            session_id: self.session_id,
            verdict: self.verdict,
            reasons: self.reasons,
            latency_ms: self.latency_ms,
            receipt,
        }
    }
}

/// Largest input a call approval keeps whole (the classifier's bound); a larger one keeps
/// only its digest.
const STORED_INPUT_BYTES: usize = 64 * 1024;

/// Who refused a call, as the reason names it, by the surface that asked.
fn refused_by(source: &str) -> &'static str {
    match source {
        "mcp" => "the MCP gateway",
        "hook" => "the hook",
        "authzen" => "the AuthZEN endpoint",
        _ => "the caller",
    }
}

/// The implicit session an agent gets when it names none.
pub fn default_session_id(agent_id: &str) -> String {
    format!("{DEFAULT_SESSION_PREFIX}{agent_id}")
}

/// How every default session id begins.
const DEFAULT_SESSION_PREFIX: &str = "default-";

/// Canonical bytes of an input: the string itself, or compact JSON with sorted keys.
pub fn input_bytes(input: &Value) -> Vec<u8> {
    match input {
        Value::String(s) => s.as_bytes().to_vec(),
        other => chain::canonical_json(other).into_bytes(),
    }
}

/// How stale a session's `last_activity_at` may be (docs/api.md, sessions).
const ACTIVITY_GRANULARITY_MS: i64 = 1_000;

/// Who asks: an organization already authenticated, or the hash of the API key the request
/// presented, resolved inside the check's own transaction (one store round trip, and a
/// revoked key is refused by the same read that records the decision).
#[derive(Debug, Clone)]
pub enum Principal {
    Caller(Caller),
    KeyHash(KeyHash),
    /// A key hash, and a WIMSE token with its DPoP proof already verified (identity module).
    Proven(KeyHash, Box<super::identity::ProvenCall>),
}

impl Service {
    /// Decides a call and records the decision; the answer is sent only for a decision that
    /// is committed.
    pub async fn check(
        &self,
        principal: Principal,
        req: CheckRequest,
    ) -> Result<CheckOutcome, ServiceError> {
        // Traces off (the default): nothing but this load.
        if !crate::otel::enabled() {
            return self.decide(principal, req).await;
        }
        let span = crate::otel::check_span(&req, &input_bytes(&req.input));
        let result = self.decide(principal, req).instrument(span.clone()).await;
        crate::otel::record_check(&span, &result);
        result
    }

    /// The same decision as [`Service::check`], recorded the same way, for a surface that
    /// sends the caller no receipt (the MCP gateway, A2A): none is signed, as it would go to
    /// no one, which spares the call a signature's share.
    pub async fn check_unreceipted(
        &self,
        principal: Principal,
        req: CheckRequest,
    ) -> Result<CheckOutcome<()>, ServiceError> {
        let decided = if !crate::otel::enabled() {
            self.decide_with(principal, req, false).await
        } else {
            let span = crate::otel::check_span(&req, &input_bytes(&req.input));
            let result = self
                .decide_with(principal, req, false)
                .instrument(span.clone())
                .await;
            crate::otel::record_check(&span, &result);
            result
        };
        decided.map(|o| o.with_receipt(()))
    }

    async fn decide(
        &self,
        principal: Principal,
        req: CheckRequest,
    ) -> Result<CheckOutcome, ServiceError> {
        let mut outcome = self.decide_with(principal, req, true).await?;
        // A signed pass always carries its receipt; an answer without one is not sent.
        let Some(receipt) = outcome.receipt.take() else {
            tracing::error!("a signed check came back without its receipt");
            return Err(ServiceError::Unavailable);
        };
        Ok(outcome.with_receipt(receipt))
    }

    /// Decides and records; with `signed`, the outcome carries the decision's receipt, signed
    /// with the others made durable at the same time (`seal_receipts`).
    async fn decide_with(
        &self,
        principal: Principal,
        req: CheckRequest,
        signed: bool,
    ) -> Result<CheckOutcome<Option<Receipt>>, ServiceError> {
        let session_id = if req.session_id.is_empty() {
            default_session_id(&req.agent_id)
        } else {
            req.session_id.clone()
        };
        let shared = self.prepare(principal, req)?;
        let first = self.pass(&shared, &session_id, None, signed).await?;
        self.conclude(&shared, session_id, first, signed).await
    }

    /// What both passes of a check share: the request checked, classified and digested (the
    /// expensive parsing, on the request's task).
    fn prepare(
        &self,
        principal: Principal,
        req: CheckRequest,
    ) -> Result<Arc<Shared>, ServiceError> {
        let started = Instant::now();
        if let Some(reason) = &req.refusal {
            validate::optional_text("refusal", reason, validate::MAX_REFUSAL)?;
        }
        if let Some(tool) = &req.hook_tool {
            validate::text("hook_tool", tool, validate::MAX_NAME)?;
            if req.source != "hook" {
                return Err(ServiceError::invalid(
                    "hook_tool",
                    "`hook_tool` is for checks with `action_source` `hook`",
                ));
            }
        }
        let analysis = classify::analyse(&req.action_name, &req.input);
        let digest = chain::digest(&input_bytes(&req.input));
        let summary = summary(&req.input);
        Ok(Arc::new(Shared {
            principal,
            config: self.config.clone(),
            policy_cache: self.policy_cache.clone(),
            audit: self.audit.clone(),
            req,
            analysis,
            digest,
            summary,
            check_id: new_id("chk"),
            approval_id: new_id("apr"),
            started,
        }))
    }

    /// The rest of a check after its first pass (in `session_id`): the first pass decides
    /// and records, unless the call reaches machine reviewers: then it recorded nothing, the
    /// reviewers are asked outside any transaction, and a second pass decides again with
    /// their answer (ignored if the call no longer needs the Deep tier).
    async fn conclude(
        &self,
        shared: &Arc<Shared>,
        session_id: String,
        first: (Pass, String, Option<Receipt>),
        signed: bool,
    ) -> Result<CheckOutcome<Option<Receipt>>, ServiceError> {
        let started = shared.started;
        let ((verdict, reasons, _), org, receipt) = match first {
            (Pass::Done(done), org, receipt) => (done, org, receipt),
            (Pass::Refused(reason), _, _) => return Err(ServiceError::Forbidden(reason)),
            (Pass::Review(needed), _, _) => {
                let cap = Duration::from_millis(self.config.review_total_timeout_ms);
                let review =
                    review::run(self.outbound.as_ref(), &needed.reviewers, &needed.call, cap).await;
                if let Some(kind) = review.failed {
                    self.metrics.reviewer_failed(kind);
                }
                let review = Some(Arc::new(review));
                match self.pass(shared, &session_id, review, signed).await? {
                    (Pass::Done(done), org, receipt) => (done, org, receipt),
                    (Pass::Refused(reason), _, _) => return Err(ServiceError::Forbidden(reason)),
                    // The second pass has its review and never asks for another.
                    (Pass::Review(_), _, _) => return Err(ServiceError::Unavailable),
                }
            }
        };
        // Counted only once committed: a failed pass records nothing.
        self.metrics
            .decision(&verdict.0, &shared.req.source, started.elapsed());
        // The next checkpoint lists this session.
        self.audit.touched(&org, &session_id);
        // Tell people about a new approval only now that it is committed, off the answer's
        // path: delivery never delays or changes the decision.
        if let Some(a) = verdict.0.approval.as_ref().filter(|a| a.new) {
            self.notify_new_approval(org, a.id.clone());
        }
        Ok(CheckOutcome {
            check_id: verdict.1,
            session_id,
            verdict: verdict.0,
            reasons,
            latency_ms: started.elapsed().as_millis() as u64,
            receipt,
        })
    }

    /// One transaction of a check in `session_id`. With `signed`, a recorded decision comes
    /// back with its receipt, signed with the others answered at the same time
    /// (`seal_receipts`).
    async fn pass(
        &self,
        shared: &Arc<Shared>,
        session_id: &str,
        review: Option<Arc<Review>>,
        signed: bool,
    ) -> Result<(Pass, String, Option<Receipt>), ServiceError> {
        let (shared, session_id) = (shared.clone(), session_id.to_string());
        let run = move |tx: &mut dyn Tx| -> Result<PassAnswer, StoreError> {
            pass_in(tx, &shared, &session_id, review.as_deref(), signed)
        };
        let answer = if signed {
            self.store.run_sealed(run, &self.receipts).await?
        } else {
            self.store.run(run).await?
        };
        answer.0
    }
}

/// What both passes of a check share.
struct Shared {
    principal: Principal,
    config: Arc<Config>,
    policy_cache: Arc<PolicyCache>,
    audit: Arc<super::audit_trail::AuditTrail>,
    req: CheckRequest,
    analysis: CallAnalysis,
    digest: String,
    summary: String,
    check_id: String,
    approval_id: String,
    started: Instant,
}

/// The outcome of one pass: a recorded decision, or the reviewers to ask first.
pub(crate) enum Pass {
    Done(JobResult),
    Review(ReviewNeeded),
    /// Refused before anything was decided or recorded (another agent's session).
    Refused(String),
}

pub(crate) struct ReviewNeeded {
    reviewers: Vec<Reviewer>,
    call: ReviewCall,
}

struct Job<'a> {
    policy_cache: &'a PolicyCache,
    /// The audit key whose link key chains this decision.
    audit_key: &'a airlock_audit::AuditKey,
    caller: &'a Caller,
    config: &'a Config,
    req: &'a CheckRequest,
    session_id: &'a str,
    analysis: &'a CallAnalysis,
    digest: &'a str,
    summary: &'a str,
    check_id: &'a str,
    approval_id: &'a str,
    started: Instant,
}

pub(crate) type JobResult = ((Verdict, String), Vec<String>, Link);

/// Where a recorded decision sits in its session's chain.
pub(crate) struct Link {
    seq: u64,
    head: String,
    decided_at: String,
}

impl Job<'_> {
    /// Decides and records; `reads` are the check's reads when the caller's key was read with
    /// them (`caller_and_check_reads_in`), else they are read here.
    fn run(
        &self,
        tx: &mut dyn Tx,
        review: Option<&Review>,
        reads: Option<CheckReads>,
    ) -> Result<Pass, StoreError> {
        let now = Utc::now();
        let org = self.caller.org_id.as_str();
        let req = self.req;
        // The agent, the session (locked), its server and tool pin, the reviewers, the policy
        // generation and the SIEM destinations: one statement on PostgreSQL.
        let reads = match reads {
            Some(reads) => reads,
            None => tx.check_reads(org, &req.agent_id, self.session_id, &req.action_name)?,
        };
        let agent = reads.agent;
        let status = match &agent {
            None => AgentStatus::Unknown,
            // A status this build does not know grants nothing.
            Some(a) => AgentStatus::parse(&a.status).unwrap_or(AgentStatus::Revoked),
        };
        let mut session = match reads.session {
            // Another agent's session is neither used nor changed: the check is refused
            // before anything is recorded.
            Some(s) if s.agent_id != req.agent_id => {
                return Ok(Pass::Refused(format!(
                    "session `{}` belongs to another agent (session_ownership)",
                    clip(self.session_id, 200)
                )));
            }
            Some(s) => s,
            // Another agent's default session is never created by this one.
            None if self.session_id.starts_with(DEFAULT_SESSION_PREFIX)
                && self.session_id != default_session_id(&req.agent_id) =>
            {
                return Ok(Pass::Refused(format!(
                    "session `{}` is the default session of another agent (session_ownership)",
                    clip(self.session_id, 200)
                )));
            }
            None => {
                let s = implicit_session(
                    org,
                    self.session_id,
                    &req.agent_id,
                    agent.as_ref().map(|a| &a.capabilities[..]),
                    &self.caller.default_mode,
                    &req.source,
                    now,
                );
                tx.insert_session(&s)?;
                s
            }
        };
        // The registered tool, if the session is bound to a server.
        let mut server_gone = false;
        let mut tool = None;
        let mut tool_changed = false;
        let mut server_name = String::new();
        // An implicit session created above has no server: the server read with the session
        // is the session's.
        if let Some(server_id) = &session.server_id {
            match reads.server {
                None => server_gone = true,
                Some(server) => {
                    server_name = server.name.clone();
                    // Names are matched as the scope ceiling matches them (`.` `:` `/` `_` `-` are
                    // one separator, any case), so `payroll_export` cannot dodge the settings of
                    // `payroll.export`. The exact name is the fast path.
                    let pin = match reads.pin {
                        Some(p) => Some(p),
                        // A server known to have no pin has none under another spelling.
                        None if !reads.server_has_pins => None,
                        None => tx
                            .tool_pins(org, server_id)?
                            .into_iter()
                            .find(|p| scope::same_action(&p.name, &req.action_name)),
                    };
                    tool_changed = pin.is_some_and(|p| p.status == "changed");
                    tool = server
                        .tools
                        .iter()
                        .find(|t| scope::same_action(&t.name, &req.action_name))
                        .cloned();
                }
            }
        }
        let effect_override = tool
            .as_ref()
            .and_then(|t| t.effect_override.as_deref())
            .and_then(|e| e.parse().ok());
        let classification = classify::combine(
            &req.action_name,
            self.analysis,
            effect_override,
            req.declared,
        );
        let state = crate::view::session_state(&session);
        // The Deep tier: the review the first pass asked for, or what the organization's
        // reviewers allow without asking anyone (nobody listed, or only people).
        let (deep, machines) = match review {
            Some(r) => (r.deep.clone(), Vec::new()),
            None => match reviewers::stored(reads.reviewers.as_ref()) {
                Err(_) => (
                    DeepReview::Failed {
                        reason: "the organization's reviewer configuration cannot be read".into(),
                    },
                    Vec::new(),
                ),
                Ok(list) if list.is_empty() => (DeepReview::NotConfigured, Vec::new()),
                Ok(list) if list.iter().all(|r| matches!(r, Reviewer::Person(_))) => {
                    let names: Vec<String> =
                        list.iter().map(|r| format!("`{}`", r.name())).collect();
                    (
                        DeepReview::PersonRequired {
                            reason: format!("the reviewers list a person ({})", names.join(", ")),
                        },
                        Vec::new(),
                    )
                }
                // Decided below: the pipeline says whether the call reaches them.
                Ok(list) => (DeepReview::NotConfigured, list),
            },
        };
        let spot = self.spot(
            tx,
            reads.policy_generation,
            agent.as_ref(),
            &session,
            &state,
            &server_name,
            &classification,
            now,
        )?;
        let spot_notes = spot.log_only.clone();
        // A delegated session decides only under a live chain, read now (docs/delegations.md).
        let hook_tool = req.hook_tool.as_deref().filter(|_| req.source == "hook");
        let delegated = super::delegations::delegated_call(
            tx,
            org,
            &session,
            &req.action_name,
            hook_tool,
            now,
        )?;
        let input = CheckInput {
            now,
            refusal: req
                .refusal
                .as_deref()
                .map(|reason| Refusal {
                    by: refused_by(&req.source),
                    reason: if reason.trim().is_empty() {
                        "no reason given"
                    } else {
                        reason
                    },
                })
                .or_else(|| {
                    let d = delegated.as_ref()?;
                    Some(Refusal {
                        by: &d.by,
                        reason: d.refusal.as_deref()?,
                    })
                }),
            agent_id: &req.agent_id,
            agent_status: status,
            session: &state,
            action_name: &req.action_name,
            hook_tool,
            classification: &classification,
            server_removed: server_gone,
            tool_definition_changed: tool_changed,
            tool_requires_approval: tool.as_ref().is_some_and(|t| t.require_approval),
            spot,
            deep,
            new_approval_id: self.approval_id,
        };
        // The session's approvals are read only when a step of the pipeline looks at them
        // (most calls are allowed or refused before any does), and only for a session that
        // has had one (its locked row says so). Read after the session's lock is held: a
        // check of this session that committed meanwhile may have used or created one.
        let read: SessionApprovals;
        let verdict = match pipeline::decide_without_approvals(&input) {
            Some(verdict) => verdict,
            None if !reads.may_have_approvals => pipeline::decide(&input, CallApprovals::default()),
            None => {
                read =
                    tx.session_approvals(org, &session.id, &req.action_name, self.digest, now)?;
                let approvals = CallApprovals {
                    approved_call: read.call.approved.as_deref(),
                    pending_call: read.call.pending.as_deref(),
                    pending_elevation: read.elevation.as_deref(),
                };
                pipeline::decide(&input, approvals)
            }
        };
        if !machines.is_empty() && verdict.rule == Rule::GuardianUnavailable {
            // The call reaches the Deep tier and machine reviewers are listed: nothing is
            // recorded yet (an implicit session created above is kept).
            return Ok(Pass::Review(ReviewNeeded {
                reviewers: machines,
                call: ReviewCall {
                    check_id: self.check_id.to_string(),
                    org_id: org.to_string(),
                    action_name: req.action_name.clone(),
                    input: req.input.clone(),
                    effect: classification.effect.as_str().to_string(),
                    risk: verdict.risk.as_str().to_string(),
                    reasons: classification.reasons.clone(),
                    confidence: classification.confidence(),
                    session: serde_json::json!({
                        "id": state.id,
                        "agent_id": state.agent_id,
                        "mode": state.mode_at(now).as_str(),
                        "counters": {
                            "total": state.counters.total,
                            "read": state.counters.read,
                            "write": state.counters.write,
                            "denied": state.counters.denied,
                        },
                    }),
                },
            }));
        }
        let mut reasons = classification.reasons;
        reasons.extend(spot_notes);
        // The chain is recorded with the decision, under the audit chain's hash.
        reasons.extend(delegated.map(|d| d.note));
        // Which reviewer decided goes into the decision's reasons.
        if let Some(r) = review
            && verdict.guard_tier == GuardTier::Deep
            && matches!(
                verdict.rule,
                Rule::DeepReviewAllowed
                    | Rule::DeepReviewDenied
                    | Rule::DeepReviewFailed
                    | Rule::DeepReviewNeedsPerson
            )
        {
            reasons.extend(r.notes.iter().cloned());
        }
        let link = self.apply(tx, &mut session, reads.siem, &verdict, &reasons, now)?;
        Ok(Pass::Done((
            (verdict, self.check_id.to_string()),
            reasons,
            link,
        )))
    }

    /// The Spot Guard: the organization's policies that can apply to this call. The facts
    /// of the input are extracted only when some policy can apply to its effect.
    #[allow(clippy::too_many_arguments)]
    fn spot(
        &self,
        tx: &mut dyn Tx,
        generation: u64,
        agent: Option<&airlock_store::model::Agent>,
        session: &Session,
        state: &airlock_core::session::SessionState,
        server_name: &str,
        classification: &classify::Classification,
        now: DateTime<Utc>,
    ) -> Result<SpotOutcome, StoreError> {
        let org = self.caller.org_id.as_str();
        if generation == 0 {
            return Ok(SpotOutcome::default());
        }
        let set = self.policy_cache.get(tx, org, generation)?;
        let effect = classification.effect;
        if !set.applies_to(effect) {
            return Ok(SpotOutcome::default());
        }
        let facts = airlock_policy::extract(&self.req.input);
        let declared = self.req.declared.map(|d| d.as_str()).unwrap_or("");
        let empty = Vec::new();
        Ok(set.evaluate(&airlock_policy::Call {
            effect,
            agent_id: &self.req.agent_id,
            agent_name: agent.map_or("", |a| a.name.as_str()),
            framework: agent.map_or("", |a| a.framework.as_str()),
            capabilities: agent.map_or(&empty, |a| &a.capabilities),
            action_name: &self.req.action_name,
            server_id: session.server_id.as_deref().unwrap_or(""),
            server_name,
            session_id: &session.id,
            session_mode: state.mode_at(now).as_str(),
            input_digest: self.digest,
            declared_effect: declared,
            facts: &facts,
            total_calls: session.total_calls,
            denied_calls: session.denied_calls,
            write_calls: session.write_calls,
            hour_utc: now.hour(),
            weekday_utc: now.weekday().number_from_monday(),
        }))
    }

    fn apply(
        &self,
        tx: &mut dyn Tx,
        session: &mut Session,
        siem: Vec<airlock_store::siem::SiemTarget>,
        verdict: &Verdict,
        reasons: &[String],
        now: DateTime<Utc>,
    ) -> Result<Link, StoreError> {
        let org = self.caller.org_id.as_str();
        let req = self.req;
        if let Some(approval) = verdict.approval.as_ref().filter(|a| a.new) {
            tx.insert_approval(&Approval {
                id: approval.id.clone(),
                org_id: org.to_string(),
                session_id: session.id.clone(),
                agent_id: req.agent_id.clone(),
                kind: approval.kind.as_str().to_string(),
                action_name: req.action_name.clone(),
                action_effect: verdict.effect.as_str().to_string(),
                input_digest: self.digest.to_string(),
                reason: verdict.reason.clone(),
                status: "pending".into(),
                created_at: now,
                expires_at: now + chrono::Duration::seconds(self.config.approval_ttl_secs),
                decided_by: None,
                decided_at: None,
                used_at: None,
                input: (approval.kind == pipeline::ApprovalKind::Call)
                    .then_some(&req.input)
                    .filter(|i| input_bytes(i).len() <= STORED_INPUT_BYTES)
                    .cloned(),
                reasons: reasons.to_vec(),
                note: None,
            })?;
        }
        if let Some(id) = &verdict.consumed_approval
            && let Some(mut a) = tx.approval(org, id)?
        {
            a.used_at = Some(now);
            a.status = "used".into();
            tx.update_approval(&a)?;
        }
        let counters =
            crate::view::counters(session).after(verdict.effect.is_write(), verdict.allowed);
        let mut decision = Decision {
            org_id: org.to_string(),
            session_id: session.id.clone(),
            seq: counters.total,
            check_id: self.check_id.to_string(),
            agent_id: req.agent_id.clone(),
            action_name: req.action_name.clone(),
            effect: verdict.effect.as_str().to_string(),
            risk: verdict.risk.as_str().to_string(),
            allowed: verdict.allowed,
            reason: verdict.reason.clone(),
            reasons: reasons.to_vec(),
            guard_tier: verdict.guard_tier.as_str().to_string(),
            confidence: verdict.confidence,
            input_digest: self.digest.to_string(),
            input_summary: self.summary.to_string(),
            approval_id: verdict
                .approval
                .as_ref()
                .map(|a| a.id.clone())
                .or_else(|| verdict.consumed_approval.clone()),
            source: req.source.clone(),
            latency_us: self.started.elapsed().as_micros() as u64,
            // Stored (and linked) at microseconds, as `ts` writes it.
            decided_at: now,
            hash: String::new(),
            // The wire name, as the HTTP API answers it (`Rule::as_str`, tested against serde).
            rule: verdict.rule.as_str().to_string(),
            key_id: self.audit_key.id.clone(),
        };
        // The keyed link covers every column (docs/audit.md).
        decision.hash = self.audit_key.link.link(&session.head, &decision);
        let head = decision.hash.clone();
        let link = Link {
            seq: decision.seq,
            head: head.clone(),
            decided_at: ts(now),
        };
        session.total_calls = counters.total;
        session.read_calls = counters.read;
        session.write_calls = counters.write;
        session.denied_calls = counters.denied;
        session.head = head;
        // The activity index moves at most once a second per session: moving it is a random
        // page written at every call of a busy session.
        let recent = now
            .signed_duration_since(session.last_activity_at)
            .num_milliseconds();
        let activity = !(0..ACTIVITY_GRANULARITY_MS).contains(&recent);
        if activity {
            session.last_activity_at = now;
        }
        // The decision and the session's new counters and head: one statement on PostgreSQL.
        tx.record_decision(&decision, session, activity)?;
        // SIEM outbox rows, in this same transaction (docs/siem.md).
        super::siem::enqueue(tx, siem, &decision, verdict, self.config)?;
        Ok(link)
    }
}
