//! Delegations (docs/delegations.md): an agent hands part of its authority to another agent,
//! hop by hop, never widening, and the receiving agent acts under it in a delegated session
//! (`source: "a2a"`).
//!
//! Rules, each enforced here when a delegation is created and again, from the database, when a
//! delegated session decides a call:
//! - no self-delegation; a non-empty scope of well-formed patterns;
//! - a child's scope is covered by its parent's (wildcard-aware, `airlock_core::scope::covers`)
//!   and by the delegating agent's own capabilities; a child's `from_agent_id` is its parent's
//!   `to_agent_id`; at most [`MAX_HOPS`] hops;
//! - each hop has its own expiry, clamped to its parent's (never beyond it);
//! - a revoked or expired hop, or a revoked agent anywhere in the chain, ends every delegation
//!   and delegated session below it: the check reads the whole chain at decision time.

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use airlock_core::scope;
use airlock_store::delegations::{DelegatedSession, Delegation};
use airlock_store::model::{Agent, Session};
use airlock_store::{StoreError, Tx};

use super::sessions::implicit_session;
use super::{Caller, Service, ServiceError, validate};
use crate::auth::{hash_secret, new_id};

/// The most hops a chain may have (a root and four re-delegations).
pub const MAX_HOPS: u64 = 5;
/// The most patterns one delegation's scope may list.
pub const MAX_SCOPE: usize = 64;
/// The time to live when the request names none.
pub const DEFAULT_TTL_SECS: i64 = 3600;
/// The longest time to live: 30 days.
pub const MAX_TTL_SECS: i64 = 30 * 24 * 3600;
/// The source of delegated sessions.
pub const A2A_SOURCE: &str = "a2a";
/// How the id of every delegated session begins: a session with such an id decides nothing
/// unless its delegation is on record and live (an implicit session cannot pose as one).
pub const DELEGATED_SESSION_PREFIX: &str = "dsess_";

/// A delegation as the caller asks for it.
#[derive(Debug, Clone, Default)]
pub struct NewDelegation {
    pub from_agent_id: String,
    pub to_agent_id: String,
    pub scope: Vec<String>,
    pub ttl_seconds: Option<i64>,
    pub restrictions: Option<Value>,
    pub parent_delegation_id: Option<String>,
}

/// The hops of a chain that were found, root first: (delegation id, from agent, to agent).
type Hops = Vec<(String, String, String)>;

/// A delegation's chain as it stands at a moment: the hops found, and why it grants nothing
/// (`None`: every hop and every agent in it is live).
struct ChainState {
    hops: Hops,
    problem: Option<String>,
}

/// Reads the chain that ends at `last` from the store and says whether it is live at `now`:
/// every hop present, unrevoked, unexpired and linked to its parent (parent id, and its from
/// agent the parent's to agent), and every agent in it active.
fn chain_state(
    tx: &mut dyn Tx,
    org: &str,
    last: &Delegation,
    now: DateTime<Utc>,
) -> Result<ChainState, StoreError> {
    let ids = last.hops();
    let mut hops = Hops::new();
    let problem = |hops: Hops, why: String| {
        Ok(ChainState {
            hops,
            problem: Some(why),
        })
    };
    if ids.is_empty() || ids.len() as u64 > MAX_HOPS || ids.last() != Some(&last.id) {
        return problem(
            hops,
            format!("delegation `{}` has a malformed chain", last.id),
        );
    }
    let mut parent: Option<Delegation> = None;
    let mut agents: Vec<(String, bool)> = Vec::new();
    for id in &ids {
        let hop = if *id == last.id {
            last.clone()
        } else {
            match tx.delegation(org, id)? {
                Some(d) => d,
                None => return problem(hops, format!("delegation `{id}` no longer exists")),
            }
        };
        hops.push((
            hop.id.clone(),
            hop.from_agent_id.clone(),
            hop.to_agent_id.clone(),
        ));
        let linked = match &parent {
            None => hop.parent_id.is_none(),
            Some(p) => {
                hop.parent_id.as_deref() == Some(&p.id) && hop.from_agent_id == p.to_agent_id
            }
        };
        if !linked {
            return problem(
                hops,
                format!("delegation `{id}` is not linked to its parent"),
            );
        }
        if let Some(at) = hop.revoked_at {
            let at = airlock_store::model::ts(at);
            return problem(hops, format!("delegation `{id}` was revoked at {at}"));
        }
        if now >= hop.expires_at {
            let at = airlock_store::model::ts(hop.expires_at);
            return problem(hops, format!("delegation `{id}` expired at {at}"));
        }
        for agent_id in [&hop.from_agent_id, &hop.to_agent_id] {
            let active = match agents.iter().find(|(a, _)| a == agent_id) {
                Some((_, active)) => *active,
                None => {
                    let active = tx
                        .agent(org, agent_id)?
                        .is_some_and(|a| a.status == "active");
                    agents.push((agent_id.clone(), active));
                    active
                }
            };
            if !active {
                return problem(
                    hops,
                    format!("agent `{agent_id}` in the chain of delegation `{id}` is not active"),
                );
            }
        }
        parent = Some(hop);
    }
    Ok(ChainState {
        hops,
        problem: None,
    })
}

/// The chain as a decision records it: `delegation chain (root first): `d1` (`a` → `b`), …`.
fn chain_note(hops: &Hops, last_id: &str) -> String {
    let mut parts: Vec<String> = hops
        .iter()
        .map(|(id, from, to)| format!("`{id}` (`{from}` → `{to}`)"))
        .collect();
    if hops.last().is_none_or(|(id, _, _)| id != last_id) {
        parts.push(format!("… `{last_id}`"));
    }
    format!("delegation chain (root first): {}", parts.join(", "))
}

/// What the check of a call in a delegated session adds to the pipeline's input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DelegatedCall {
    /// Who refuses, as the reason names it: `the delegation `id``.
    pub by: String,
    /// Why the call is refused (`None`: the chain is live and the action inside its scope).
    pub refusal: Option<String>,
    /// The chain, recorded with the decision (so it is covered by the audit chain's hash).
    pub note: String,
}

/// The delegation check of a call in `session`: `None` when the session is not a delegated
/// one. A delegated session decides only while its whole chain is live, read now from the
/// store, and only for actions inside its ceiling (the delegation's scope ∩ the receiving
/// agent's capabilities), with a reason that names the delegation.
pub(crate) fn delegated_call(
    tx: &mut dyn Tx,
    org: &str,
    session: &Session,
    action: &str,
    hook_tool: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<DelegatedCall>, StoreError> {
    if !session.id.starts_with(DELEGATED_SESSION_PREFIX) {
        return Ok(None);
    }
    let unknown = |why: String| {
        Ok(Some(DelegatedCall {
            by: "the delegation check".into(),
            refusal: Some(why),
            note: "delegation chain (root first): none on record".into(),
        }))
    };
    let Some(link) = tx.delegated_session(org, &session.id)? else {
        return unknown(format!(
            "session `{}` has no delegation on record",
            session.id
        ));
    };
    let Some(delegation) = tx.delegation(org, &link.delegation_id)? else {
        return unknown(format!(
            "delegation `{}` of session `{}` no longer exists",
            link.delegation_id, session.id
        ));
    };
    let state = chain_state(tx, org, &delegation, now)?;
    let by = format!("the delegation `{}`", delegation.id);
    let note = chain_note(&state.hops, &delegation.id);
    let refusal = if let Some(why) = state.problem {
        Some(why)
    } else if session.agent_id != delegation.to_agent_id {
        Some(format!(
            "session `{}` is not held by the receiving agent `{}`",
            session.id, delegation.to_agent_id
        ))
    } else if scope::allowing_hook_call(&session.scope_ceiling, action, hook_tool).is_none() {
        Some(format!(
            "action `{}` is outside its scope ({})",
            super::clip(action, 200),
            session.scope_ceiling.join(", ")
        ))
    } else {
        None
    };
    Ok(Some(DelegatedCall { by, refusal, note }))
}

fn forbidden(why: String) -> Result<Result<Delegation, ServiceError>, StoreError> {
    Ok(Err(ServiceError::Forbidden(why)))
}

/// An agent of the organization that may take part in a delegation.
fn active_agent(
    tx: &mut dyn Tx,
    org: &str,
    field: &str,
    id: &str,
) -> Result<Result<Agent, ServiceError>, StoreError> {
    Ok(match tx.agent(org, id)? {
        None => Err(ServiceError::not_found("agent", id)),
        Some(a) if a.status != "active" => Err(ServiceError::Forbidden(format!(
            "`{field}`: agent `{id}` is {}",
            a.status
        ))),
        Some(a) => Ok(a),
    })
}

/// The checked fields of a request, before the store is read.
#[derive(Debug)]
struct Checked {
    from: String,
    to: String,
    scope: Vec<String>,
    ttl: i64,
    parent: Option<String>,
}

fn check_request(new: NewDelegation) -> Result<Checked, ServiceError> {
    let from = validate::id("from_agent_id", &new.from_agent_id)?.to_string();
    let to = validate::id("to_agent_id", &new.to_agent_id)?.to_string();
    if from == to {
        return Err(ServiceError::invalid(
            "to_agent_id",
            format!("an agent cannot delegate to itself (`{from}`)"),
        ));
    }
    if new.scope.is_empty() {
        return Err(ServiceError::invalid_as(
            "scope",
            super::InvalidKind::Missing,
            "`scope` must list at least one capability",
        ));
    }
    if new.scope.len() > MAX_SCOPE {
        return Err(ServiceError::invalid(
            "scope",
            format!("`scope` has more than {MAX_SCOPE} entries"),
        ));
    }
    let mut scope_out: Vec<String> = Vec::with_capacity(new.scope.len());
    for cap in &new.scope {
        scope::validate_delegated(cap)
            .map_err(|e| ServiceError::invalid("scope", format!("`scope`: {e}")))?;
        let cap = cap.trim().to_string();
        if !scope_out.contains(&cap) {
            scope_out.push(cap);
        }
    }
    let ttl = new.ttl_seconds.unwrap_or(DEFAULT_TTL_SECS);
    if !(1..=MAX_TTL_SECS).contains(&ttl) {
        return Err(ServiceError::invalid(
            "ttl_seconds",
            format!("`ttl_seconds` must be between 1 and {MAX_TTL_SECS}"),
        ));
    }
    match &new.restrictions {
        None | Some(Value::Null) => {}
        Some(Value::Object(o)) if o.is_empty() => {}
        Some(Value::Object(_)) => {
            // Refused rather than stored: a restriction Airlock would not enforce would grant
            // more than its author meant.
            return Err(ServiceError::invalid(
                "restrictions",
                "`restrictions` are not enforced by this server: narrow the `scope` instead",
            ));
        }
        Some(_) => {
            return Err(ServiceError::invalid(
                "restrictions",
                "`restrictions` must be an object",
            ));
        }
    }
    let parent = match new.parent_delegation_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(p) => Some(validate::id("parent_delegation_id", p)?.to_string()),
    };
    Ok(Checked {
        from,
        to,
        scope: scope_out,
        ttl,
        parent,
    })
}

/// A fresh token's hash: 32 random bytes, of which only the SHA-256 is kept.
fn token_hash() -> String {
    let bytes: [u8; 32] = rand::random();
    hash_secret(&hex::encode(bytes))
}

impl Service {
    /// The delegation a delegated session acts under (`None` for any other session).
    pub async fn delegation_of(
        &self,
        caller: &Caller,
        session: &Session,
    ) -> Result<Option<String>, ServiceError> {
        if !session.id.starts_with(DELEGATED_SESSION_PREFIX) {
            return Ok(None);
        }
        let (org, id) = (caller.org_id.clone(), session.id.clone());
        let link = self
            .store()
            .run(move |tx| tx.delegated_session(&org, &id))
            .await?;
        Ok(link.map(|l| l.delegation_id))
    }

    /// Creates a delegation (a root, or a re-delegation of `parent_delegation_id`).
    pub async fn create_delegation(
        &self,
        caller: &Caller,
        new: NewDelegation,
    ) -> Result<Delegation, ServiceError> {
        let c = check_request(new)?;
        let org = caller.org_id.clone();
        let id = new_id("dlg");
        let token_hash = token_hash();
        self.store()
            .run(move |tx| {
                let now = Utc::now();
                let from = match active_agent(tx, &org, "from_agent_id", &c.from)? {
                    Ok(a) => a,
                    Err(e) => return Ok(Err(e)),
                };
                if let Err(e) = active_agent(tx, &org, "to_agent_id", &c.to)? {
                    return Ok(Err(e));
                }
                if let Some(cap) = scope::first_uncovered(&from.capabilities, &c.scope) {
                    return forbidden(format!(
                        "scope `{cap}` is not within the capabilities of agent `{}`: a delegation never widens",
                        c.from
                    ));
                }
                let mut expires_at = now + Duration::seconds(c.ttl);
                let (parent_id, path, depth) = match &c.parent {
                    None => (None, format!("/{id}/"), 1),
                    Some(pid) => {
                        let Some(parent) = tx.delegation(&org, pid)? else {
                            return Ok(Err(ServiceError::not_found("delegation", pid)));
                        };
                        if parent.to_agent_id != c.from {
                            return Ok(Err(ServiceError::invalid(
                                "from_agent_id",
                                format!(
                                    "`from_agent_id` must be `{}`, the agent parent delegation `{pid}` was given to",
                                    parent.to_agent_id
                                ),
                            )));
                        }
                        if parent.depth >= MAX_HOPS {
                            return Ok(Err(ServiceError::invalid(
                                "parent_delegation_id",
                                format!(
                                    "a delegation chain has at most {MAX_HOPS} hops; parent delegation `{pid}` is hop {}",
                                    parent.depth
                                ),
                            )));
                        }
                        if let Some(why) = chain_state(tx, &org, &parent, now)?.problem {
                            return forbidden(format!("parent delegation `{pid}` grants nothing: {why}"));
                        }
                        if let Some(cap) = scope::first_uncovered(&parent.scope, &c.scope) {
                            return forbidden(format!(
                                "scope `{cap}` is not within the scope of parent delegation `{pid}` ({}): a delegation never widens",
                                parent.scope.join(", ")
                            ));
                        }
                        // Clamped: a hop never outlives its parent.
                        expires_at = expires_at.min(parent.expires_at);
                        (
                            Some(parent.id.clone()),
                            format!("{}{id}/", parent.path),
                            parent.depth + 1,
                        )
                    }
                };
                let d = Delegation {
                    id: id.clone(),
                    org_id: org.clone(),
                    from_agent_id: c.from.clone(),
                    to_agent_id: c.to.clone(),
                    parent_id,
                    path,
                    depth,
                    scope: c.scope.clone(),
                    restrictions: Value::Object(Default::default()),
                    token_hash: token_hash.clone(),
                    created_at: now,
                    expires_at,
                    revoked_at: None,
                    revoke_reason: None,
                };
                tx.insert_delegation(&d)?;
                Ok(Ok(d))
            })
            .await?
    }

    /// The organization's delegations, oldest first.
    pub async fn delegations(&self, caller: &Caller) -> Result<Vec<Delegation>, ServiceError> {
        let org = caller.org_id.clone();
        Ok(self.store().run(move |tx| tx.delegations(&org)).await?)
    }

    /// One delegation of the organization.
    pub async fn delegation(&self, caller: &Caller, id: &str) -> Result<Delegation, ServiceError> {
        let id = validate::id("id", id)?.to_string();
        let org = caller.org_id.clone();
        let found = self
            .store()
            .run({
                let id = id.clone();
                move |tx| tx.delegation(&org, &id)
            })
            .await?;
        found.ok_or_else(|| ServiceError::not_found("delegation", &id))
    }

    /// Revokes a delegation and every hop below it; their delegated sessions decide nothing
    /// from now on. Revoking again changes nothing. Returns the delegation as it now stands.
    pub async fn revoke_delegation(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<Delegation, ServiceError> {
        let id = validate::id("id", id)?.to_string();
        let org = caller.org_id.clone();
        self.store()
            .run(move |tx| {
                let Some(d) = tx.delegation(&org, &id)? else {
                    return Ok(Err(ServiceError::not_found("delegation", &id)));
                };
                tx.revoke_delegation_subtree(&org, &d.path, "revoked", Utc::now())?;
                Ok(tx
                    .delegation(&org, &id)?
                    .ok_or_else(|| ServiceError::not_found("delegation", &id)))
            })
            .await?
    }

    /// Opens a delegated session for the receiving agent of a live delegation: its ceiling is
    /// the delegation's scope ∩ the agent's capabilities, fixed now; whether the chain is
    /// still live is read again at every check.
    pub async fn open_delegated_session(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<(Session, Delegation), ServiceError> {
        let id = validate::id("id", id)?.to_string();
        let (org, mode) = (caller.org_id.clone(), caller.default_mode.clone());
        let session_id = new_id("dsess");
        self.store()
            .run(move |tx| {
                let now = Utc::now();
                let Some(d) = tx.delegation(&org, &id)? else {
                    return Ok(Err(ServiceError::not_found("delegation", &id)));
                };
                if let Some(why) = chain_state(tx, &org, &d, now)?.problem {
                    return Ok(Err(ServiceError::Forbidden(format!(
                        "delegation `{id}` grants nothing: {why}"
                    ))));
                }
                let agent = match active_agent(tx, &org, "to_agent_id", &d.to_agent_id)? {
                    Ok(a) => a,
                    Err(e) => return Ok(Err(e)),
                };
                // Both sides cover every pattern kept, hook calls included (`scope::narrow`).
                let ceiling = scope::narrow(&d.scope, &agent.capabilities);
                if ceiling.is_empty() {
                    return Ok(Err(ServiceError::Forbidden(format!(
                        "the capabilities of agent `{}` allow nothing of the scope of delegation `{id}`",
                        d.to_agent_id
                    ))));
                }
                let session = implicit_session(
                    &org,
                    &session_id,
                    &d.to_agent_id,
                    Some(&ceiling),
                    &mode,
                    A2A_SOURCE,
                    now,
                );
                tx.insert_session(&session)?;
                tx.insert_delegated_session(&DelegatedSession {
                    org_id: org.clone(),
                    session_id: session_id.clone(),
                    delegation_id: d.id.clone(),
                })?;
                Ok(Ok((session, d)))
            })
            .await?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(scope: &[&str]) -> NewDelegation {
        NewDelegation {
            from_agent_id: "planner".into(),
            to_agent_id: "worker".into(),
            scope: scope.iter().map(|s| s.to_string()).collect(),
            ..NewDelegation::default()
        }
    }

    fn field(e: ServiceError) -> String {
        match e {
            ServiceError::Invalid(i) => i.field,
            other => panic!("not invalid input: {other:?}"),
        }
    }

    #[test]
    fn requests_are_checked_before_the_store_is_read() {
        let ok = check_request(request(&["db.query.read", " db.query.read "])).unwrap();
        assert_eq!(
            ok.scope,
            vec!["db.query.read"],
            "trimmed, duplicates dropped"
        );
        assert_eq!(ok.ttl, DEFAULT_TTL_SECS);
        let mut selfish = request(&["db.query.read"]);
        selfish.to_agent_id = "planner".into();
        assert_eq!(field(check_request(selfish).unwrap_err()), "to_agent_id");
        assert_eq!(field(check_request(request(&[])).unwrap_err()), "scope");
        for bad in ["db.q*", ".", "", "x\u{7}"] {
            assert_eq!(
                field(check_request(request(&[bad])).unwrap_err()),
                "scope",
                "{bad:?}"
            );
        }
        let many: Vec<String> = (0..=MAX_SCOPE).map(|i| format!("a.{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(field(check_request(request(&many)).unwrap_err()), "scope");
        for ttl in [0, -1, MAX_TTL_SECS + 1] {
            let mut r = request(&["a"]);
            r.ttl_seconds = Some(ttl);
            assert_eq!(field(check_request(r).unwrap_err()), "ttl_seconds", "{ttl}");
        }
        let mut r = request(&["a"]);
        r.ttl_seconds = Some(MAX_TTL_SECS);
        assert!(check_request(r).is_ok());
        for (restrictions, ok) in [
            (serde_json::json!({}), true),
            (Value::Null, true),
            (serde_json::json!({"max_rows": 10}), false),
            (serde_json::json!([1]), false),
        ] {
            let mut r = request(&["a"]);
            r.restrictions = Some(restrictions.clone());
            assert_eq!(check_request(r).is_ok(), ok, "{restrictions}");
        }
    }

    #[test]
    fn the_chain_note_names_every_hop_root_first() {
        let hops = vec![
            ("d1".to_string(), "a".to_string(), "b".to_string()),
            ("d2".to_string(), "b".to_string(), "c".to_string()),
        ];
        assert_eq!(
            chain_note(&hops, "d2"),
            "delegation chain (root first): `d1` (`a` → `b`), `d2` (`b` → `c`)"
        );
        assert_eq!(
            chain_note(&hops[..1].to_vec(), "d2"),
            "delegation chain (root first): `d1` (`a` → `b`), … `d2`"
        );
    }
}
