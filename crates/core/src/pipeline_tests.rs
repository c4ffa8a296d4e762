//! Table of decision cases: name, effect, mode, ceiling, counters → verdict and reason.

use chrono::{DateTime, Utc};

use super::*;
use crate::classify::{Basis, Classification};
use crate::session::{BaseMode, Counters, SessionState};

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap()
}

struct Case {
    name: &'static str,
    action: &'static str,
    effect: Effect,
    ceiling: &'static [&'static str],
    base: BaseMode,
    elevated_secs: i64,
    counters: Counters,
    status: AgentStatus,
    owner: &'static str,
    requires_approval: bool,
    server_removed: bool,
    tool_changed: bool,
    approved: Option<&'static str>,
    pending_call: Option<&'static str>,
    pending_elevation: Option<&'static str>,
    deep: DeepReview,
    refusal: Option<&'static str>,
    spot: SpotOutcome,
    // expectations
    allowed: bool,
    rule: Rule,
    reason_has: &'static str,
    approval: Option<(ApprovalKind, &'static str, bool)>,
    tier: GuardTier,
}

const SEED: &[&str] = &["db.schema.read", "db.query.read", "db.migration.plan"];

fn base() -> Case {
    Case {
        name: "",
        action: "db.schema.read",
        effect: Effect::Read,
        ceiling: SEED,
        base: BaseMode::ReadOnly,
        elevated_secs: 0,
        counters: Counters::default(),
        status: AgentStatus::Active,
        owner: "agent-1",
        requires_approval: false,
        server_removed: false,
        tool_changed: false,
        approved: None,
        pending_call: None,
        pending_elevation: None,
        deep: DeepReview::NotConfigured,
        refusal: None,
        spot: SpotOutcome::default(),
        allowed: true,
        rule: Rule::Allowed,
        reason_has: "allowed",
        approval: None,
        tier: GuardTier::Fast,
    }
}

fn counters(total: u64, read: u64, write: u64, denied: u64) -> Counters {
    Counters {
        total,
        read,
        write,
        denied,
    }
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "a refusal denies an allowed read in an elevated session, with no approval",
            elevated_secs: 60,
            refusal: Some("method `TOOLS/CALL` is not an MCP method"),
            allowed: false,
            rule: Rule::Refused,
            reason_has: "refused by the MCP gateway: method `TOOLS/CALL` is not an MCP method",
            ..base()
        },
        Case {
            name: "a refusal wins over an approved call, which stays unused",
            action: "db.drop_database",
            effect: Effect::Destructive,
            ceiling: &["*"],
            base: BaseMode::Standard,
            approved: Some("apr-ok"),
            pending_call: Some("apr-pending"),
            pending_elevation: Some("apr-elev"),
            deep: DeepReview::Answered {
                allowed: true,
                reason: "fine".into(),
                confidence: 1.0,
            },
            refusal: Some("a response to a request the server never sent"),
            allowed: false,
            rule: Rule::Refused,
            reason_has: "refused by the MCP gateway: a response",
            ..base()
        },
        Case {
            name: "a refusal of a write in a read_only session asks for no elevation",
            action: "db.migration.plan",
            effect: Effect::Admin,
            refusal: Some("forged"),
            allowed: false,
            rule: Rule::Refused,
            reason_has: "forged",
            ..base()
        },
        Case {
            name: "a refusal of an unknown agent is still the refusal",
            status: AgentStatus::Unknown,
            refusal: Some("custom method"),
            allowed: false,
            rule: Rule::Refused,
            reason_has: "refused by the MCP gateway: custom method",
            ..base()
        },
        Case {
            name: "seed read is allowed",
            ..base()
        },
        Case {
            name: "seed drop is outside the ceiling",
            action: "db.drop_database",
            effect: Effect::Destructive,
            allowed: false,
            rule: Rule::ScopeCeiling,
            reason_has: "scope ceiling",
            ..base()
        },
        Case {
            name: "empty ceiling allows nothing",
            ceiling: &[],
            allowed: false,
            rule: Rule::ScopeCeiling,
            reason_has: "capability not registered",
            ..base()
        },
        Case {
            name: "wildcard ceiling",
            ceiling: &["db.*"],
            action: "DB:Query/Read",
            ..base()
        },
        Case {
            name: "revoked agent gets nothing",
            status: AgentStatus::Revoked,
            allowed: false,
            rule: Rule::AgentInactive,
            reason_has: "is revoked",
            ..base()
        },
        Case {
            name: "unknown agent gets nothing",
            status: AgentStatus::Unknown,
            allowed: false,
            rule: Rule::AgentInactive,
            reason_has: "agent `agent-1` is not registered in this organization",
            ..base()
        },
        Case {
            name: "suspended agent gets nothing",
            status: AgentStatus::Suspended,
            allowed: false,
            rule: Rule::AgentInactive,
            reason_has: "is suspended",
            ..base()
        },
        Case {
            name: "another agent's session",
            owner: "agent-2",
            allowed: false,
            rule: Rule::SessionOwnership,
            reason_has: "belongs to another agent",
            ..base()
        },
        Case {
            name: "a removed server stops its sessions",
            server_removed: true,
            allowed: false,
            rule: Rule::ServerRemoved,
            reason_has: "no longer registered",
            ..base()
        },
        Case {
            name: "a changed tool definition is blocked until accepted",
            tool_changed: true,
            allowed: false,
            rule: Rule::ToolDefinitionChanged,
            reason_has: "changed its definition",
            ..base()
        },
        Case {
            name: "read_only turns a write into an elevation request",
            action: "db.migration.plan",
            effect: Effect::Mutating,
            allowed: false,
            rule: Rule::ReadOnly,
            reason_has: "session is read_only",
            approval: Some((ApprovalKind::Elevation, "apr-new", true)),
            ..base()
        },
        Case {
            name: "read_only reuses a pending elevation",
            action: "db.migration.plan",
            effect: Effect::Mutating,
            pending_elevation: Some("apr-old"),
            allowed: false,
            rule: Rule::ReadOnly,
            reason_has: "is pending",
            approval: Some((ApprovalKind::Elevation, "apr-old", false)),
            ..base()
        },
        Case {
            name: "read_only also stops destructive calls first",
            action: "db.query.read",
            effect: Effect::Destructive,
            allowed: false,
            rule: Rule::ReadOnly,
            reason_has: "destructive action",
            approval: Some((ApprovalKind::Elevation, "apr-new", true)),
            ..base()
        },
        Case {
            name: "elevated session lets a mutating call through spot",
            action: "db.migration.plan",
            effect: Effect::Mutating,
            elevated_secs: 60,
            tier: GuardTier::Spot,
            reason_has: "elevated mode",
            ..base()
        },
        Case {
            name: "standard session lets a mutating call through",
            action: "db.migration.plan",
            effect: Effect::Mutating,
            base: BaseMode::Standard,
            tier: GuardTier::Spot,
            ..base()
        },
        Case {
            name: "destructive without a deep reviewer fails closed",
            action: "db.query.read",
            effect: Effect::Destructive,
            elevated_secs: 60,
            allowed: false,
            rule: Rule::GuardianUnavailable,
            reason_has: "guardian path unavailable",
            approval: Some((ApprovalKind::Call, "apr-new", true)),
            tier: GuardTier::Deep,
            ..base()
        },
        Case {
            name: "admin without a deep reviewer fails closed",
            action: "db.query.read",
            effect: Effect::Admin,
            base: BaseMode::Standard,
            allowed: false,
            rule: Rule::GuardianUnavailable,
            reason_has: "admin action",
            approval: Some((ApprovalKind::Call, "apr-new", true)),
            tier: GuardTier::Deep,
            ..base()
        },
        Case {
            name: "a pending call approval is reused",
            action: "db.query.read",
            effect: Effect::Destructive,
            base: BaseMode::Standard,
            pending_call: Some("apr-call"),
            allowed: false,
            rule: Rule::GuardianUnavailable,
            reason_has: "is pending",
            approval: Some((ApprovalKind::Call, "apr-call", false)),
            tier: GuardTier::Deep,
            ..base()
        },
        Case {
            name: "an approved call passes once",
            action: "db.query.read",
            effect: Effect::Destructive,
            base: BaseMode::Standard,
            approved: Some("apr-ok"),
            rule: Rule::ApprovedCall,
            reason_has: "allowed once by approval `apr-ok`",
            tier: GuardTier::Deep,
            ..base()
        },
        Case {
            name: "an approved call does not skip read_only",
            action: "db.query.read",
            effect: Effect::Destructive,
            approved: Some("apr-ok"),
            allowed: false,
            rule: Rule::ReadOnly,
            reason_has: "read_only",
            approval: Some((ApprovalKind::Elevation, "apr-new", true)),
            ..base()
        },
        Case {
            name: "a failing deep reviewer fails closed",
            action: "db.query.read",
            effect: Effect::Destructive,
            base: BaseMode::Standard,
            deep: DeepReview::Failed {
                reason: "timed out".into(),
            },
            allowed: false,
            rule: Rule::DeepReviewFailed,
            reason_has: "timed out",
            approval: Some((ApprovalKind::Call, "apr-new", true)),
            tier: GuardTier::Deep,
            ..base()
        },
        Case {
            name: "a deep reviewer can deny",
            action: "db.query.read",
            effect: Effect::Destructive,
            base: BaseMode::Standard,
            deep: DeepReview::Answered {
                allowed: false,
                reason: "too risky".into(),
                confidence: 0.9,
            },
            allowed: false,
            rule: Rule::DeepReviewDenied,
            reason_has: "too risky",
            tier: GuardTier::Deep,
            ..base()
        },
        Case {
            name: "a deep reviewer can allow",
            action: "db.query.read",
            effect: Effect::Destructive,
            base: BaseMode::Standard,
            deep: DeepReview::Answered {
                allowed: true,
                reason: "backup exists".into(),
                confidence: 0.9,
            },
            rule: Rule::DeepReviewAllowed,
            reason_has: "backup exists",
            tier: GuardTier::Deep,
            ..base()
        },
        Case {
            name: "deep reviewers that cannot allow alone leave the call to a person",
            action: "db.query.read",
            effect: Effect::Destructive,
            base: BaseMode::Standard,
            deep: DeepReview::PersonRequired {
                reason: "reviewer `bot` allowed but may not allow alone".into(),
            },
            allowed: false,
            rule: Rule::DeepReviewNeedsPerson,
            reason_has: "may not allow alone",
            approval: Some((ApprovalKind::Call, "apr-new", true)),
            tier: GuardTier::Deep,
            ..base()
        },
        Case {
            name: "an approved call goes through even when a deep reviewer would deny",
            action: "db.query.read",
            effect: Effect::Destructive,
            base: BaseMode::Standard,
            approved: Some("apr-ok"),
            deep: DeepReview::Answered {
                allowed: false,
                reason: "too risky".into(),
                confidence: 0.9,
            },
            rule: Rule::ApprovedCall,
            reason_has: "allowed once by approval `apr-ok`",
            tier: GuardTier::Deep,
            ..base()
        },
        Case {
            name: "a deep review is ignored below the deep tier",
            action: "db.query.read",
            effect: Effect::Mutating,
            base: BaseMode::Standard,
            deep: DeepReview::Answered {
                allowed: false,
                reason: "too risky".into(),
                confidence: 0.9,
            },
            rule: Rule::Allowed,
            reason_has: "allowed by capability",
            tier: GuardTier::Spot,
            ..base()
        },
        Case {
            name: "tool with require_approval needs an approval even for reads in a standard session",
            effect: Effect::Read,
            action: "db.schema.read",
            base: BaseMode::Standard,
            requires_approval: true,
            allowed: false,
            rule: Rule::ToolRequiresApproval,
            reason_has: "requires approval",
            approval: Some((ApprovalKind::Call, "apr-new", true)),
            tier: GuardTier::Spot,
            ..base()
        },
        Case {
            name: "require_approval also holds in a read_only session for reads",
            requires_approval: true,
            allowed: false,
            rule: Rule::ToolRequiresApproval,
            reason_has: "requires approval",
            approval: Some((ApprovalKind::Call, "apr-new", true)),
            tier: GuardTier::Spot,
            ..base()
        },
        Case {
            name: "an approved call of a require_approval tool passes once",
            requires_approval: true,
            approved: Some("apr-ok"),
            rule: Rule::ApprovedCall,
            reason_has: "allowed once",
            tier: GuardTier::Spot,
            ..base()
        },
        Case {
            name: "probing raises a mutating call to deep",
            action: "db.migration.plan",
            effect: Effect::Mutating,
            base: BaseMode::Standard,
            counters: counters(10, 10, 0, 3),
            allowed: false,
            rule: Rule::GuardianUnavailable,
            reason_has: "probing",
            approval: Some((ApprovalKind::Call, "apr-new", true)),
            tier: GuardTier::Deep,
            ..base()
        },
        Case {
            name: "a burst of writes raises a mutating call to deep",
            action: "db.migration.plan",
            effect: Effect::Mutating,
            base: BaseMode::Standard,
            counters: counters(5, 1, 4, 0),
            allowed: false,
            rule: Rule::GuardianUnavailable,
            reason_has: "burst of writes",
            approval: Some((ApprovalKind::Call, "apr-new", true)),
            tier: GuardTier::Deep,
            ..base()
        },
        Case {
            name: "behaviour is not judged before five calls",
            action: "db.migration.plan",
            effect: Effect::Mutating,
            base: BaseMode::Standard,
            counters: counters(4, 0, 4, 4),
            tier: GuardTier::Spot,
            ..base()
        },
        Case {
            name: "just under the thresholds stays put",
            action: "db.migration.plan",
            effect: Effect::Mutating,
            base: BaseMode::Standard,
            counters: counters(10, 3, 7, 2),
            tier: GuardTier::Spot,
            ..base()
        },
        Case {
            name: "probing raises a read to spot but it stays allowed",
            counters: counters(10, 10, 0, 5),
            tier: GuardTier::Spot,
            reason_has: "risk raised from read to mutating",
            ..base()
        },
        Case {
            name: "a matching forbid denies a mutating call with the policy id",
            action: "db.migration.plan",
            effect: Effect::Mutating,
            base: BaseMode::Standard,
            spot: forbid("no-payments", false),
            allowed: false,
            rule: Rule::PolicyForbid,
            reason_has: "policy `no-payments` forbids mutating action `db.migration.plan`",
            tier: GuardTier::Spot,
            ..base()
        },
        Case {
            name: "a forbid denies a destructive call before Deep, even if Deep would allow",
            action: "db.migration.plan",
            effect: Effect::Destructive,
            base: BaseMode::Standard,
            deep: DeepReview::Answered {
                allowed: true,
                reason: "fine".into(),
                confidence: 1.0,
            },
            spot: forbid("no-drop", false),
            allowed: false,
            rule: Rule::PolicyForbid,
            reason_has: "policy `no-drop` forbids",
            tier: GuardTier::Spot,
            ..base()
        },
        Case {
            name: "a forbid annotated approval required asks for a call approval",
            action: "db.migration.plan",
            effect: Effect::Mutating,
            base: BaseMode::Standard,
            pending_call: Some("apr-pending"),
            spot: forbid("terraform-approval", true),
            allowed: false,
            rule: Rule::PolicyApproval,
            reason_has: "policy `terraform-approval` requires approval",
            approval: Some((ApprovalKind::Call, "apr-pending", false)),
            tier: GuardTier::Spot,
            ..base()
        },
        Case {
            name: "an approved call passes a policy asking approval, and uses the approval",
            action: "db.migration.plan",
            effect: Effect::Mutating,
            base: BaseMode::Standard,
            approved: Some("apr-ok"),
            spot: forbid("terraform-approval", true),
            rule: Rule::ApprovedCall,
            reason_has: "allowed once by approval `apr-ok`",
            tier: GuardTier::Spot,
            ..base()
        },
        Case {
            name: "an approval does not lift a denying forbid",
            action: "db.migration.plan",
            effect: Effect::Mutating,
            base: BaseMode::Standard,
            approved: Some("apr-ok"),
            spot: forbid("no-payments", false),
            allowed: false,
            rule: Rule::PolicyForbid,
            reason_has: "no-payments",
            tier: GuardTier::Spot,
            ..base()
        },
        Case {
            name: "policies come after read_only: a write still asks elevation first",
            action: "db.migration.plan",
            effect: Effect::Mutating,
            spot: forbid("no-payments", false),
            allowed: false,
            rule: Rule::ReadOnly,
            reason_has: "read_only",
            approval: Some((ApprovalKind::Elevation, "apr-new", true)),
            ..base()
        },
        Case {
            name: "a permit (no forbid) does not lift read_only",
            action: "db.migration.plan",
            effect: Effect::Mutating,
            spot: SpotOutcome::default(),
            allowed: false,
            rule: Rule::ReadOnly,
            reason_has: "requires elevation",
            approval: Some((ApprovalKind::Elevation, "apr-new", true)),
            ..base()
        },
        Case {
            name: "a permit (no forbid) does not lift the Deep review of a destructive call",
            action: "db.migration.plan",
            effect: Effect::Destructive,
            base: BaseMode::Standard,
            allowed: false,
            rule: Rule::GuardianUnavailable,
            reason_has: "needs a deep review",
            approval: Some((ApprovalKind::Call, "apr-new", true)),
            tier: GuardTier::Deep,
            ..base()
        },
        Case {
            name: "a policy that errors denies, even a read named by it",
            spot: SpotOutcome {
                errors: vec!["policy `p1`: attribute `x` not found".into()],
                ..SpotOutcome::default()
            },
            allowed: false,
            rule: Rule::PolicyError,
            reason_has: "policy `p1`: attribute `x` not found",
            tier: GuardTier::Spot,
            ..base()
        },
        Case {
            name: "log_only results never change a verdict",
            action: "db.migration.plan",
            effect: Effect::Mutating,
            base: BaseMode::Standard,
            spot: SpotOutcome {
                log_only: vec!["policy `try-me` (log_only) would forbid".into()],
                ..SpotOutcome::default()
            },
            tier: GuardTier::Spot,
            ..base()
        },
        Case {
            name: "a forbid on a read named by the policy denies it",
            spot: forbid("no-etc", false),
            allowed: false,
            rule: Rule::PolicyForbid,
            reason_has: "policy `no-etc` forbids read action",
            tier: GuardTier::Spot,
            ..base()
        },
    ]
}

fn forbid(id: &str, approval_required: bool) -> SpotOutcome {
    SpotOutcome {
        forbid: Some(SpotForbid {
            policy_id: id.into(),
            approval_required,
        }),
        ..SpotOutcome::default()
    }
}

#[test]
fn decision_table() {
    for c in cases() {
        let session = SessionState {
            id: "sess-1".into(),
            agent_id: c.owner.into(),
            scope_ceiling: c.ceiling.iter().map(|s| s.to_string()).collect(),
            base_mode: c.base,
            elevated_until: (c.elevated_secs > 0)
                .then(|| now() + chrono::Duration::seconds(c.elevated_secs)),
            counters: c.counters,
        };
        let classification = Classification {
            effect: c.effect,
            reasons: vec!["test".into()],
            basis: Basis::Evidence,
        };
        let input = CheckInput {
            now: now(),
            refusal: c.refusal.map(|reason| Refusal {
                by: "the MCP gateway",
                reason,
            }),
            agent_id: "agent-1",
            agent_status: c.status,
            session: &session,
            action_name: c.action,
            hook_tool: None,
            classification: &classification,
            server_removed: c.server_removed,
            tool_definition_changed: c.tool_changed,
            tool_requires_approval: c.requires_approval,
            spot: c.spot.clone(),
            deep: c.deep.clone(),
            new_approval_id: "apr-new",
        };
        let approvals = CallApprovals {
            approved_call: c.approved,
            pending_call: c.pending_call,
            pending_elevation: c.pending_elevation,
        };
        let v = decide(&input, approvals);
        assert_eq!(v.allowed, c.allowed, "{}: {v:?}", c.name);
        assert_eq!(v.rule, c.rule, "{}: {v:?}", c.name);
        assert!(
            v.reason.contains(c.reason_has),
            "{}: reason {:?} lacks {:?}",
            c.name,
            v.reason,
            c.reason_has
        );
        let got = v.approval.as_ref().map(|a| (a.kind, a.id.as_str(), a.new));
        assert_eq!(got, c.approval, "{}", c.name);
        assert_eq!(
            v.elevation_required,
            matches!(c.approval, Some((ApprovalKind::Elevation, _, _))),
            "{}",
            c.name
        );
        assert_eq!(v.guard_tier, c.tier, "{}: {v:?}", c.name);
        assert_eq!(
            v.consumed_approval.is_some(),
            c.rule == Rule::ApprovedCall,
            "{}",
            c.name
        );
        assert_eq!(v.effect, c.effect, "{}", c.name);
    }
}

#[test]
fn elevation_expires_back_to_read_only() {
    let session = SessionState {
        id: "s".into(),
        agent_id: "agent-1".into(),
        scope_ceiling: vec!["*".into()],
        base_mode: BaseMode::ReadOnly,
        elevated_until: Some(now()),
        counters: Counters::default(),
    };
    let classification = Classification {
        effect: Effect::Mutating,
        reasons: vec![],
        basis: Basis::Evidence,
    };
    let input = CheckInput {
        now: now(),
        refusal: None,
        agent_id: "agent-1",
        agent_status: AgentStatus::Active,
        session: &session,
        action_name: "write_file",
        hook_tool: None,
        classification: &classification,
        server_removed: false,
        tool_definition_changed: false,
        tool_requires_approval: false,
        spot: SpotOutcome::default(),
        deep: DeepReview::NotConfigured,
        new_approval_id: "apr",
    };
    assert_eq!(
        decide(&input, CallApprovals::default()).rule,
        Rule::ReadOnly,
        "deadline reached means read_only again"
    );
}

#[test]
fn confidence_is_the_classifications_only_when_it_alone_allowed() {
    let session = SessionState {
        id: "s".into(),
        agent_id: "agent-1".into(),
        scope_ceiling: vec!["*".into()],
        base_mode: BaseMode::Standard,
        elevated_until: None,
        counters: Counters::default(),
    };
    let defaulted = Classification {
        effect: Effect::Mutating,
        reasons: vec!["default: nothing says".into()],
        basis: Basis::Default,
    };
    let input = |status, approved: bool| CheckInput {
        now: now(),
        refusal: None,
        agent_id: "agent-1",
        agent_status: status,
        session: &session,
        action_name: "frobnicate",
        hook_tool: None,
        classification: &defaulted,
        server_removed: false,
        tool_definition_changed: false,
        tool_requires_approval: approved,
        spot: SpotOutcome::default(),
        deep: DeepReview::NotConfigured,
        new_approval_id: "apr",
    };
    let none = CallApprovals::default();
    let allowed = decide(&input(AgentStatus::Active, false), none);
    assert_eq!((allowed.rule, allowed.confidence), (Rule::Allowed, 0.8));
    let one = CallApprovals {
        approved_call: Some("apr-1"),
        ..none
    };
    let approved = decide(&input(AgentStatus::Active, true), one);
    assert_eq!(
        (approved.rule, approved.confidence),
        (Rule::ApprovedCall, 1.0)
    );
    let denied = decide(&input(AgentStatus::Revoked, false), none);
    assert_eq!((denied.allowed, denied.confidence), (false, 1.0));
    let evidence = Classification {
        basis: Basis::Evidence,
        ..defaulted.clone()
    };
    let sure = decide(
        &CheckInput {
            classification: &evidence,
            ..input(AgentStatus::Active, false)
        },
        none,
    );
    assert_eq!((sure.rule, sure.confidence), (Rule::Allowed, 1.0));
}

#[test]
fn rule_names_are_the_wire_names() {
    for rule in Rule::ALL {
        assert_eq!(serde_json::to_value(rule).ok(), Some(rule.as_str().into()));
    }
}
