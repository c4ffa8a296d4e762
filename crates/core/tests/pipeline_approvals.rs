//! `decide_without_approvals` answers only when no step of the pipeline looks at the session's
//! approvals, and then answers exactly what `decide` answers whatever they are: over a grid of
//! every step's inputs, each of its verdicts is compared with `decide`'s under every set of
//! approvals. The service skips the approvals read on that answer (issue 14), so a step that
//! looked at an approval without asking for it would let a check ignore one: this test fails.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use airlock_core::Effect;
use airlock_core::classify::{Basis, Classification};
use airlock_core::pipeline::{
    AgentStatus, CallApprovals, CheckInput, DeepReview, Refusal, Rule, SpotForbid, SpotOutcome,
    decide, decide_without_approvals,
};
use airlock_core::session::{BaseMode, Counters, SessionState};
use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap()
}

/// Every combination of approvals a step can see: none, each alone, all at once.
fn approval_sets() -> [CallApprovals<'static>; 5] {
    let none = CallApprovals::default();
    [
        none,
        CallApprovals {
            approved_call: Some("apr-approved"),
            ..none
        },
        CallApprovals {
            pending_call: Some("apr-pending"),
            ..none
        },
        CallApprovals {
            pending_elevation: Some("apr-elevation"),
            ..none
        },
        CallApprovals {
            approved_call: Some("apr-approved"),
            pending_call: Some("apr-pending"),
            pending_elevation: Some("apr-elevation"),
        },
    ]
}

fn sessions() -> Vec<SessionState> {
    let mut all = Vec::new();
    let ceilings: [&[&str]; 3] = [&["*"], &["db.*"], &[]];
    for ceiling in ceilings {
        for (base, elevated) in [
            (BaseMode::ReadOnly, None),
            (BaseMode::ReadOnly, Some(now() + Duration::minutes(5))),
            (BaseMode::Standard, None),
        ] {
            for counters in [
                Counters::default(),
                // probing: a third denied
                Counters {
                    total: 9,
                    read: 3,
                    write: 0,
                    denied: 3,
                },
                // a burst of writes
                Counters {
                    total: 10,
                    read: 1,
                    write: 9,
                    denied: 0,
                },
            ] {
                for owner in ["agent-1", "agent-2"] {
                    all.push(SessionState {
                        id: "ses-1".into(),
                        agent_id: owner.into(),
                        scope_ceiling: ceiling.iter().map(|s| s.to_string()).collect(),
                        base_mode: base,
                        elevated_until: elevated,
                        counters,
                    });
                }
            }
        }
    }
    all
}

fn spots() -> Vec<SpotOutcome> {
    let forbid = |approval_required| SpotOutcome {
        forbid: Some(SpotForbid {
            policy_id: "pol-1".into(),
            approval_required,
        }),
        ..SpotOutcome::default()
    };
    vec![
        SpotOutcome::default(),
        SpotOutcome {
            errors: vec!["policy `pol-2`: boom".into()],
            ..SpotOutcome::default()
        },
        forbid(false),
        forbid(true),
    ]
}

fn deeps() -> Vec<DeepReview> {
    vec![
        DeepReview::NotConfigured,
        DeepReview::Failed {
            reason: "timed out".into(),
        },
        DeepReview::PersonRequired {
            reason: "a person is listed".into(),
        },
        DeepReview::Answered {
            allowed: true,
            reason: "fine".into(),
            confidence: 0.9,
        },
        DeepReview::Answered {
            allowed: false,
            reason: "no".into(),
            confidence: 0.7,
        },
    ]
}

/// Runs `check` on every input of the grid; returns how many it ran.
fn each_input(mut check: impl FnMut(&CheckInput<'_>)) -> usize {
    let mut n = 0;
    let sessions = sessions();
    let (spots, deeps) = (spots(), deeps());
    let classifications: Vec<Classification> = [
        Effect::Read,
        Effect::Mutating,
        Effect::Destructive,
        Effect::Admin,
    ]
    .into_iter()
    .flat_map(|effect| {
        [Basis::Evidence, Basis::Default].map(|basis| Classification {
            effect,
            reasons: vec!["test".into()],
            basis,
        })
    })
    .collect();
    let refusal = Refusal {
        by: "the MCP gateway",
        reason: "not an MCP method",
    };
    for session in &sessions {
        for classification in &classifications {
            for action in ["db.query", "shell.exec"] {
                for status in [AgentStatus::Active, AgentStatus::Suspended] {
                    for refused in [false, true] {
                        for flags in 0..8u8 {
                            for spot in &spots {
                                for deep in &deeps {
                                    check(&CheckInput {
                                        now: now(),
                                        refusal: refused.then_some(refusal),
                                        agent_id: "agent-1",
                                        agent_status: status,
                                        session,
                                        action_name: action,
                                        hook_tool: None,
                                        classification,
                                        server_removed: flags & 1 != 0,
                                        tool_definition_changed: flags & 2 != 0,
                                        tool_requires_approval: flags & 4 != 0,
                                        spot: spot.clone(),
                                        deep: deep.clone(),
                                        new_approval_id: "apr-new",
                                    });
                                    n += 1;
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    n
}

#[test]
fn a_verdict_without_approvals_is_the_verdict_with_any() {
    let (mut answered, mut asked) = (0usize, 0usize);
    let mut rules_unread = BTreeSet::new();
    let mut rules_asked = BTreeSet::new();
    let n = each_input(|input| match decide_without_approvals(input) {
        Some(unread) => {
            answered += 1;
            rules_unread.insert(unread.rule.as_str());
            for approvals in approval_sets() {
                assert_eq!(
                    decide(input, approvals),
                    unread,
                    "answered without approvals, but {approvals:?} change the verdict of {input:?}"
                );
            }
        }
        None => {
            asked += 1;
            // It asks only where they can matter: some set of approvals changes the verdict.
            let verdicts: Vec<_> = approval_sets()
                .into_iter()
                .map(|a| decide(input, a))
                .collect();
            assert!(
                verdicts.iter().any(|v| v != &verdicts[0]),
                "asked for approvals no set of which changes the verdict of {input:?}"
            );
            rules_asked.extend(verdicts.iter().map(|v| v.rule.as_str()));
        }
    });
    // The grid is the one described above (a smaller one would cover less).
    assert_eq!(n, 552_960, "{answered} answered, {asked} asked");
    // Every rule that can take an approval or ask for one, and the Deep tier's answers (an
    // approval of the call goes before the review), was reached with approvals asked for;
    // every other verdict, allowed calls among them, was answered without them.
    let asking = [
        "deep_review_allowed",
        "deep_review_denied",
        "approved_call",
        "read_only",
        "policy_approval",
        "tool_requires_approval",
        "guardian_unavailable",
        "deep_review_failed",
        "deep_review_needs_person",
    ];
    for rule in asking {
        assert!(
            rules_asked.contains(rule),
            "{rule} never reached: {rules_asked:?}"
        );
        assert!(
            !rules_unread.contains(rule),
            "{rule} answered without approvals"
        );
    }
    let unread = [
        "allowed",
        "refused",
        "agent_inactive",
        "session_ownership",
        "server_removed",
        "tool_definition_changed",
        "scope_ceiling",
        "policy_error",
        "policy_forbid",
    ];
    for rule in unread {
        assert!(
            rules_unread.contains(rule),
            "{rule} never answered without approvals: {rules_unread:?}"
        );
    }
    // Every rule is in one list or the other: a new rule must say which.
    for rule in Rule::ALL {
        let name = rule.as_str();
        assert!(
            asking.contains(&name) != unread.contains(&name),
            "{name} is in neither list or in both"
        );
    }
}

fn session(base: BaseMode) -> SessionState {
    SessionState {
        id: "ses-1".into(),
        agent_id: "agent-1".into(),
        scope_ceiling: vec!["*".into()],
        base_mode: base,
        elevated_until: None,
        counters: Counters::default(),
    }
}

fn input<'a>(session: &'a SessionState, classification: &'a Classification) -> CheckInput<'a> {
    CheckInput {
        now: now(),
        refusal: None,
        agent_id: "agent-1",
        agent_status: AgentStatus::Active,
        session,
        action_name: "db.query",
        hook_tool: None,
        classification,
        server_removed: false,
        tool_definition_changed: false,
        tool_requires_approval: false,
        spot: SpotOutcome::default(),
        deep: DeepReview::NotConfigured,
        new_approval_id: "apr-new",
    }
}

fn classified(effect: Effect) -> Classification {
    Classification {
        effect,
        reasons: vec!["test".into()],
        basis: Basis::Evidence,
    }
}

#[test]
fn a_read_in_a_read_only_session_is_decided_unread() {
    let (s, c) = (session(BaseMode::ReadOnly), classified(Effect::Read));
    let v = decide_without_approvals(&input(&s, &c)).expect("decided without approvals");
    assert_eq!((v.allowed, v.rule), (true, Rule::Allowed));
}

#[test]
fn an_approved_destructive_call_needs_its_approvals_read() {
    let (s, c) = (session(BaseMode::Standard), classified(Effect::Destructive));
    let i = input(&s, &c);
    assert_eq!(decide_without_approvals(&i), None);
    let approved = CallApprovals {
        approved_call: Some("apr-1"),
        ..CallApprovals::default()
    };
    let v = decide(&i, approved);
    assert_eq!((v.allowed, v.rule), (true, Rule::ApprovedCall));
    assert_eq!(v.consumed_approval.as_deref(), Some("apr-1"));
}

#[test]
fn a_write_in_a_read_only_session_needs_its_pending_elevation_read() {
    let (s, c) = (session(BaseMode::ReadOnly), classified(Effect::Mutating));
    let i = input(&s, &c);
    assert_eq!(decide_without_approvals(&i), None);
    let pending = CallApprovals {
        pending_elevation: Some("apr-elev"),
        ..CallApprovals::default()
    };
    let v = decide(&i, pending);
    let approval = v.approval.expect("an elevation request");
    assert_eq!((approval.id.as_str(), approval.new), ("apr-elev", false));
}

#[test]
fn a_tool_that_requires_approval_needs_its_approvals_read_even_for_a_read() {
    let (s, c) = (session(BaseMode::Standard), classified(Effect::Read));
    let i = CheckInput {
        tool_requires_approval: true,
        ..input(&s, &c)
    };
    assert_eq!(decide_without_approvals(&i), None);
}
