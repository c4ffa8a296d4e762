//! Spot Guard: an organization's Cedar policies, validated against the Airlock schema and
//! evaluated on each call (docs/policies.md).
//!
//! Pure: no I/O, no clock. The service stores the policy texts, builds a [`PolicySet`] from
//! them (and caches it), extracts the call's [`CallFacts`] and asks [`PolicySet::evaluate`].
//! Evaluation touches only the policies whose scope can match the call: they are indexed by
//! the action (the call's effect) and by `principal ==` / `resource ==` constraints.

mod facts;
mod sample;

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::OnceLock;

use cedar_policy::{
    ActionConstraint, Authorizer, Context, Entities, EntityUid, Policy, PrincipalConstraint,
    Request, ResourceConstraint, Schema, ValidationMode, Validator,
};
use miette::Diagnostic;
use serde::Serialize;
use serde_json::{Value, json};

use airlock_core::Effect;
use airlock_core::pipeline::{SpotForbid, SpotOutcome};

pub use facts::{CallFacts, extract};
pub use sample::SampleCall;

/// The Cedar schema every policy is validated against (namespace `Airlock`).
pub const SCHEMA: &str = include_str!("airlock.cedarschema");

/// Largest policy text accepted.
pub const MAX_TEXT: usize = 64 * 1024;

/// The one annotation Airlock reads: `@approval("required")` on a `forbid`.
pub const APPROVAL_ANNOTATION: &str = "approval";

/// Where in the policy text an error is (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

/// Why a policy text is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("policy text is empty: it holds no policy")]
    Empty,
    #[error("policy text is larger than {MAX_TEXT} bytes")]
    TooLarge,
    #[error("{}", located(message, position))]
    Parse {
        message: String,
        position: Option<Position>,
    },
    #[error("{}", located(message, position))]
    Invalid {
        message: String,
        position: Option<Position>,
    },
    #[error("the airlock cedar schema does not load: {0}")]
    Schema(String),
}

impl PolicyError {
    /// The position of the error in the text, if Cedar gave one.
    pub fn position(&self) -> Option<Position> {
        match self {
            PolicyError::Parse { position, .. } | PolicyError::Invalid { position, .. } => {
                *position
            }
            _ => None,
        }
    }
}

fn located(message: &str, position: &Option<Position>) -> String {
    match position {
        Some(p) => format!("line {}, column {}: {message}", p.line, p.column),
        None => message.to_string(),
    }
}

/// The parsed schema (parsed once).
pub fn schema() -> Result<&'static Schema, PolicyError> {
    static PARSED: OnceLock<Result<Schema, String>> = OnceLock::new();
    PARSED
        .get_or_init(|| {
            Schema::from_cedarschema_str(SCHEMA)
                .map(|(s, _warnings)| s)
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| PolicyError::Schema(e.clone()))
}

/// The 1-based line and column of a byte offset.
fn position_of(text: &str, offset: usize) -> Position {
    let upto = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = upto.matches('\n').count() + 1;
    let column = upto.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Position { line, column }
}

/// The message of a Cedar diagnostic with its help, and the position of its first label.
fn diagnose(text: &str, d: &dyn Diagnostic) -> (String, Option<Position>) {
    let mut message = d.to_string().to_lowercase();
    if let Some(help) = d.help() {
        message = format!("{message} ({help})");
    }
    let position = d
        .labels()
        .and_then(|mut labels| labels.next())
        .map(|l| position_of(text, l.offset()));
    (message, position)
}

/// Parses and validates a policy text (one or more policies, no templates) against the
/// schema. Returns the Cedar ids of its policies (`policy0`, `policy1`…).
pub fn validate(text: &str) -> Result<Vec<String>, PolicyError> {
    parse(text).map(|policies| policies.iter().map(|p| p.id().to_string()).collect())
}

fn parse(text: &str) -> Result<Vec<Policy>, PolicyError> {
    if text.len() > MAX_TEXT {
        return Err(PolicyError::TooLarge);
    }
    let set = cedar_policy::PolicySet::from_str(text).map_err(|e| {
        let (message, position) = diagnose(text, &e);
        PolicyError::Parse { message, position }
    })?;
    if let Some(t) = set.templates().next() {
        return Err(PolicyError::Invalid {
            message: format!(
                "policy `{}` is a template (it has a slot such as ?principal); write the entity instead",
                t.id()
            ),
            position: None,
        });
    }
    let policies: Vec<Policy> = set.policies().cloned().collect();
    if policies.is_empty() {
        return Err(PolicyError::Empty);
    }
    let result = Validator::new(schema()?.clone()).validate(&set, ValidationMode::Strict);
    if let Some(e) = result.validation_errors().next() {
        let (message, position) = diagnose(text, e);
        return Err(PolicyError::Invalid { message, position });
    }
    for p in &policies {
        if let Some(value) = p.annotation(APPROVAL_ANNOTATION) {
            if value != "required" {
                return Err(PolicyError::Invalid {
                    message: format!("annotation @approval takes only \"required\", not {value:?}"),
                    position: None,
                });
            }
            if p.effect() != cedar_policy::Effect::Forbid {
                return Err(PolicyError::Invalid {
                    message: "annotation @approval(\"required\") belongs on a forbid policy".into(),
                    position: None,
                });
            }
        }
    }
    Ok(policies)
}

/// A policy as stored for an organization.
#[derive(Debug, Clone, Copy)]
pub struct StoredPolicy<'a> {
    pub id: &'a str,
    pub text: &'a str,
    pub log_only: bool,
}

/// One compiled Cedar policy.
#[derive(Debug, Clone)]
struct Entry {
    /// The stored policy it came from.
    id: String,
    /// A set of just this policy, so that evaluating it costs nothing for the others.
    set: cedar_policy::PolicySet,
    forbid: bool,
    approval: bool,
    log_only: bool,
}

/// Index key: effect rank, `principal ==` agent id, `resource ==` action name.
type Key = (u8, Option<String>, Option<String>);

/// An organization's policies, compiled and indexed by what they can match.
#[derive(Debug, Clone, Default)]
pub struct PolicySet {
    entries: Vec<Entry>,
    index: HashMap<Key, Vec<usize>>,
    /// Enforced stored policies that no longer compile: every call they could see is denied.
    broken: Vec<String>,
    /// Effects (by rank) some policy can apply to.
    effects: [bool; 4],
}

const EFFECTS: [Effect; 4] = [
    Effect::Read,
    Effect::Mutating,
    Effect::Destructive,
    Effect::Admin,
];

fn effect_of_action(uid: &EntityUid) -> Option<Effect> {
    if uid.type_name().to_string() != "Airlock::Action" {
        return None;
    }
    EFFECTS
        .into_iter()
        .find(|e| e.as_str() == uid.id().unescaped())
}

/// The effects a policy's action scope can match. An unconstrained action matches every
/// effect above read: reads are evaluated only by policies that name `Action::"read"`.
fn scope_effects(c: &ActionConstraint) -> Vec<Effect> {
    match c {
        ActionConstraint::Any => EFFECTS[1..].to_vec(),
        ActionConstraint::Eq(uid) => effect_of_action(uid).into_iter().collect(),
        ActionConstraint::In(uids) => uids.iter().filter_map(effect_of_action).collect(),
    }
}

impl PolicySet {
    /// Compiles an organization's stored policies. A stored text that no longer validates
    /// (say, after a schema change) is kept as broken: an enforced one denies every call
    /// above read, since a policy that cannot be evaluated must not be skipped.
    pub fn build<'a>(stored: impl IntoIterator<Item = StoredPolicy<'a>>) -> PolicySet {
        let mut set = PolicySet::default();
        for s in stored {
            let policies = match parse(s.text) {
                Ok(p) => p,
                Err(e) => {
                    if !s.log_only {
                        set.broken
                            .push(format!("policy `{}` does not compile: {e}", s.id));
                        set.effects[1..].iter_mut().for_each(|x| *x = true);
                    }
                    continue;
                }
            };
            for p in policies {
                let principal = match p.principal_constraint() {
                    PrincipalConstraint::Eq(uid) => Some(uid.id().unescaped().to_string()),
                    _ => None,
                };
                let resource = match p.resource_constraint() {
                    ResourceConstraint::Eq(uid) => Some(uid.id().unescaped().to_string()),
                    _ => None,
                };
                let effects = scope_effects(&p.action_constraint());
                let Ok(one) = cedar_policy::PolicySet::from_policies([p.clone()]) else {
                    if !s.log_only {
                        set.broken
                            .push(format!("policy `{}` does not compile", s.id));
                    }
                    continue;
                };
                let n = set.entries.len();
                set.entries.push(Entry {
                    id: s.id.to_string(),
                    set: one,
                    forbid: p.effect() == cedar_policy::Effect::Forbid,
                    approval: p.annotation(APPROVAL_ANNOTATION) == Some("required"),
                    log_only: s.log_only,
                });
                for e in effects {
                    set.effects[usize::from(e.rank())] = true;
                    set.index
                        .entry((e.rank(), principal.clone(), resource.clone()))
                        .or_default()
                        .push(n);
                }
            }
        }
        set
    }

    /// True if no stored policy exists.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty() && self.broken.is_empty()
    }

    /// True if some policy can apply to a call of this effect: otherwise the facts of the
    /// call need not be extracted.
    pub fn applies_to(&self, effect: Effect) -> bool {
        self.effects
            .get(usize::from(effect.rank()))
            .copied()
            .unwrap_or(false)
    }

    /// The entries whose scope can match the call, in stored order.
    fn candidates(&self, effect: Effect, agent: &str, tool: &str) -> Vec<usize> {
        let rank = effect.rank();
        let keys: [Key; 4] = [
            (rank, Some(agent.to_string()), Some(tool.to_string())),
            (rank, Some(agent.to_string()), None),
            (rank, None, Some(tool.to_string())),
            (rank, None, None),
        ];
        let mut out: Vec<usize> = keys
            .iter()
            .filter_map(|k| self.index.get(k))
            .flatten()
            .copied()
            .collect();
        out.sort_unstable();
        out
    }

    /// Evaluates the policies that can apply to a call.
    pub fn evaluate(&self, call: &Call<'_>) -> SpotOutcome {
        let mut out = SpotOutcome::default();
        if call.effect.is_write() {
            out.errors.extend(self.broken.iter().cloned());
        }
        let candidates = self.candidates(call.effect, call.agent_id, call.action_name);
        if candidates.is_empty() {
            return out;
        }
        let (request, entities) = match request(call) {
            Ok(r) => r,
            Err(e) => {
                out.errors
                    .push(format!("the call cannot be put to the policies: {e}"));
                return out;
            }
        };
        let authorizer = Authorizer::new();
        for i in candidates {
            let Some(entry) = self.entries.get(i) else {
                continue;
            };
            let response = authorizer.is_authorized(&request, &entry.set, &entities);
            let diagnostics = response.diagnostics();
            let error = diagnostics.errors().next().map(|e| e.to_string());
            let satisfied = diagnostics.reason().next().is_some();
            let what = if let Some(e) = &error {
                Some(format!("errored: {e}"))
            } else if satisfied && entry.forbid && entry.approval {
                Some("would require approval".to_string())
            } else if satisfied && entry.forbid {
                Some("would forbid".to_string())
            } else {
                None
            };
            if entry.log_only {
                if let Some(what) = what {
                    out.log_only
                        .push(format!("policy `{}` (log_only) {what}", entry.id));
                }
                continue;
            }
            if let Some(e) = error {
                out.errors.push(format!("policy `{}`: {e}", entry.id));
            } else if satisfied && entry.forbid {
                let better = match &out.forbid {
                    None => true,
                    Some(f) => f.approval_required && !entry.approval,
                };
                if better {
                    out.forbid = Some(SpotForbid {
                        policy_id: entry.id.clone(),
                        approval_required: entry.approval,
                    });
                }
            }
        }
        out
    }
}

/// The agent, tool and context of one call, as the policies see them.
#[derive(Debug, Clone)]
pub struct Call<'a> {
    pub effect: Effect,
    pub agent_id: &'a str,
    pub agent_name: &'a str,
    pub framework: &'a str,
    pub capabilities: &'a [String],
    pub action_name: &'a str,
    /// Empty when the session has no server.
    pub server_id: &'a str,
    pub server_name: &'a str,
    pub session_id: &'a str,
    pub session_mode: &'a str,
    pub input_digest: &'a str,
    /// Empty when the caller declared none.
    pub declared_effect: &'a str,
    pub facts: &'a CallFacts,
    pub total_calls: u64,
    pub denied_calls: u64,
    pub write_calls: u64,
    pub hour_utc: u32,
    pub weekday_utc: u32,
}

fn uid(kind: &str, id: &str) -> Result<EntityUid, String> {
    let name = cedar_policy::EntityTypeName::from_str(kind).map_err(|e| e.to_string())?;
    Ok(EntityUid::from_type_name_and_id(
        name,
        cedar_policy::EntityId::new(id),
    ))
}

fn listed(set: &std::collections::BTreeSet<String>) -> String {
    let mut s = String::from(" ");
    for v in set {
        s.push_str(v);
        s.push(' ');
    }
    s
}

/// The context record of a call (the `CallContext` of the schema).
pub fn context_json(call: &Call<'_>) -> Value {
    let f = call.facts;
    let long = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    json!({
        "session_id": call.session_id,
        "session_mode": call.session_mode,
        "server_id": call.server_id,
        "action_name": call.action_name,
        "input_digest": call.input_digest,
        "declared_effect": call.declared_effect,
        "tables": f.tables,
        "tables_list": listed(&f.tables),
        "statements": f.statements,
        "programs": f.programs,
        "programs_list": listed(&f.programs),
        "paths": f.paths,
        "paths_list": listed(&f.paths),
        "hosts": f.hosts,
        "hosts_list": listed(&f.hosts),
        "http_methods": f.http_methods,
        "total_calls": long(call.total_calls),
        "denied_calls": long(call.denied_calls),
        "write_calls": long(call.write_calls),
        "hour_utc": call.hour_utc,
        "weekday_utc": call.weekday_utc,
    })
}

fn request(call: &Call<'_>) -> Result<(Request, Entities), String> {
    let schema = schema().map_err(|e| e.to_string())?;
    let principal = uid("Airlock::Agent", call.agent_id)?;
    let action = uid("Airlock::Action", call.effect.as_str())?;
    let resource = uid("Airlock::Tool", call.action_name)?;
    let context = Context::from_json_value(context_json(call), Some((schema, &action)))
        .map_err(|e| e.to_string())?;
    let entities = Entities::from_json_value(
        json!([
            {
                "uid": {"type": "Airlock::Agent", "id": call.agent_id},
                "attrs": {
                    "name": call.agent_name,
                    "framework": call.framework,
                    "capabilities": call.capabilities,
                },
                "parents": [],
            },
            {
                "uid": {"type": "Airlock::Tool", "id": call.action_name},
                "attrs": {"server_id": call.server_id, "server_name": call.server_name},
                "parents": [],
            },
        ]),
        Some(schema),
    )
    .map_err(|e| e.to_string())?;
    let request = Request::new(principal, action, resource, context, Some(schema))
        .map_err(|e| e.to_string())?;
    Ok((request, entities))
}

#[cfg(test)]
mod tests;
