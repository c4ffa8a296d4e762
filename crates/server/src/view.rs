//! Wire views of stored rows: the JSON the SDKs parse.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use airlock_core::session::{BaseMode, Counters, SessionState};
use airlock_store::model::*;

pub fn agent(a: &Agent) -> Value {
    json!({
        "id": a.id,
        "name": a.name,
        "org_id": a.org_id,
        "framework": a.framework,
        "public_key": a.public_key,
        "status": a.status,
        "capabilities": a.capabilities,
        "metadata": a.metadata,
        "created_at": ts(a.created_at),
        "revoked_at": a.revoked_at.map(ts),
    })
}

/// The scope ceiling a server imposes: its capabilities, else its tool names, else none.
pub fn server_ceiling(s: &Server) -> Option<Vec<String>> {
    match &s.capabilities {
        Some(caps) => Some(caps.clone()),
        None if !s.tools.is_empty() => Some(s.tools.iter().map(|t| t.name.clone()).collect()),
        None => None,
    }
}

pub fn server(s: &Server) -> Value {
    json!({
        "id": s.id,
        "org_id": s.org_id,
        "name": s.name,
        "url": s.url,
        "description": s.description,
        "capabilities": server_ceiling(s).unwrap_or_default(),
        "tools": s.tools,
        "default_mode": s.default_mode,
        "allowed_methods": s.allowed_methods,
        "approval_wait_secs": s.approval_wait_secs,
        "status": s.status,
        "created_at": ts(s.created_at),
    })
}

/// The state the pipeline decides on; an unknown stored mode reads as `read_only`.
pub fn session_state(s: &Session) -> SessionState {
    SessionState {
        id: s.id.clone(),
        agent_id: s.agent_id.clone(),
        scope_ceiling: s.scope_ceiling.clone(),
        base_mode: BaseMode::parse(&s.base_mode).unwrap_or(BaseMode::ReadOnly),
        elevated_until: s.elevated_until,
        counters: counters(s),
    }
}

pub fn counters(s: &Session) -> Counters {
    Counters {
        total: s.total_calls,
        read: s.read_calls,
        write: s.write_calls,
        denied: s.denied_calls,
    }
}

pub fn session(s: &Session, now: DateTime<Utc>) -> Value {
    let mode = session_state(s).mode_at(now);
    // What the current mode permits: the whole ceiling when writes are allowed, else the
    // capabilities whose names read.
    let allowed: Vec<&String> = if mode.allows_writes() {
        s.scope_ceiling.iter().collect()
    } else {
        s.scope_ceiling
            .iter()
            .filter(|c| {
                airlock_core::classify::name_tier(c).effect == Some(airlock_core::Effect::Read)
            })
            .collect()
    };
    json!({
        "session_id": s.id,
        "agent_id": s.agent_id,
        "org_id": s.org_id,
        "source": s.source,
        "server_id": s.server_id.clone().unwrap_or_default(),
        "delegation_id": "",
        "provider_id": "",
        "issuer": "",
        "trust_level": "",
        "mode": mode.as_str(),
        "base_mode": s.base_mode,
        "elevated_until": s.elevated_until.filter(|u| *u > now).map(ts),
        "allowed_actions": allowed,
        "scope_ceiling": s.scope_ceiling,
        "total_calls": s.total_calls,
        "read_calls": s.read_calls,
        "write_calls": s.write_calls,
        "denied_calls": s.denied_calls,
        "head": s.head,
        "created_at": ts(s.created_at),
        "last_activity_at": ts(s.last_activity_at),
    })
}

pub fn approval(a: &Approval, now: DateTime<Utc>) -> Value {
    json!({
        "id": a.id,
        "session_id": a.session_id,
        "agent_id": a.agent_id,
        "org_id": a.org_id,
        "kind": a.kind,
        "action_name": a.action_name,
        "action_effect": a.action_effect,
        "input_digest": a.input_digest,
        "reason": a.reason,
        "status": a.status_at(now),
        "created_at": ts(a.created_at),
        "expires_at": ts(a.expires_at),
        "decided_by": a.decided_by,
        "decided_at": a.decided_at.map(ts),
        "used_at": a.used_at.map(ts),
        "reasons": a.reasons,
        "note": a.note,
        "input_stored": a.input.is_some(),
    })
}

/// An approval with the call's whole input (`null` when none was kept: an elevation, or an
/// input larger than the stored bound).
pub fn approval_detail(a: &Approval, now: DateTime<Utc>) -> Value {
    let mut v = approval(a, now);
    if let Some(o) = v.as_object_mut() {
        o.insert("input".into(), a.input.clone().unwrap_or(Value::Null));
    }
    v
}

pub fn decision(d: &Decision) -> Value {
    json!({
        "seq": d.seq,
        "check_id": d.check_id,
        "session_id": d.session_id,
        "agent_id": d.agent_id,
        "action_name": d.action_name,
        "effect": d.effect,
        "risk": d.risk,
        "allowed": d.allowed,
        "reason": d.reason,
        "reasons": d.reasons,
        "guard_tier": d.guard_tier,
        "rule": d.rule,
        "confidence": d.confidence,
        "input_digest": d.input_digest,
        "input_summary": d.input_summary,
        "approval_id": d.approval_id,
        "source": d.source,
        "latency_us": d.latency_us,
        "decided_at": ts(d.decided_at),
        "hash": d.hash,
    })
}
