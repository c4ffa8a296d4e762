//! Rows for the store's contract tests, valid on both stores.

#![allow(dead_code)]

use airlock_store::model::*;
use chrono::{DateTime, SubsecRound, Utc};
use serde_json::json;

pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

pub fn org(id: &str) -> Org {
    Org {
        id: id.into(),
        name: format!("{id}-name"),
        default_mode: "read_only".into(),
        created_at: now(),
    }
}

pub fn agent(org: &str, id: &str) -> Agent {
    Agent {
        id: id.into(),
        org_id: org.into(),
        name: format!("agent {id}"),
        framework: "custom".into(),
        public_key: String::new(),
        status: "active".into(),
        capabilities: vec!["db.*".into()],
        metadata: json!({"k": [1, "é"]}),
        created_at: now(),
        revoked_at: None,
        revoke_reason: None,
    }
}

pub fn server(org: &str, id: &str, status: &str, capabilities: Option<Vec<String>>) -> Server {
    Server {
        id: id.into(),
        org_id: org.into(),
        name: format!("server {id}"),
        url: "http://127.0.0.1:1/mcp".into(),
        description: "d".into(),
        capabilities,
        tools: vec![ToolDef {
            name: "db.query".into(),
            effect_override: Some("read".into()),
            require_approval: false,
        }],
        default_mode: "read_only".into(),
        status: status.into(),
        created_at: now(),
        allowed_methods: vec![],
        approval_wait_secs: 0,
    }
}

pub fn session(org: &str, id: &str, agent: &str, server: Option<&str>) -> Session {
    Session {
        org_id: org.into(),
        id: id.into(),
        agent_id: agent.into(),
        server_id: server.map(String::from),
        source: "mcp".into(),
        scope_ceiling: vec!["db.*".into()],
        base_mode: "standard".into(),
        elevated_until: None,
        total_calls: 0,
        read_calls: 0,
        write_calls: 0,
        denied_calls: 0,
        head: "0".repeat(64),
        created_at: now(),
        last_activity_at: now(),
    }
}

pub fn api_key(id: &str, org: &str, revoked: bool) -> ApiKey {
    ApiKey {
        id: id.into(),
        org_id: org.into(),
        hash: format!("hash-{id}"),
        prefix: format!("sk_live_{id}"),
        name: id.into(),
        created_at: now(),
        revoked_at: revoked.then(now),
        role: "agent".into(),
    }
}

pub fn pin(org: &str, server: &str, name: &str, status: &str) -> ToolPin {
    ToolPin {
        org_id: org.into(),
        server_id: server.into(),
        name: name.into(),
        definition: "{}".into(),
        digest: "p".repeat(64),
        status: status.into(),
        pending_definition: None,
        pending_digest: None,
        pinned_at: now(),
        changed_at: None,
    }
}

/// An organization's reviewer set with no one in it.
pub fn no_reviewers(org: &str) -> ReviewerSet {
    ReviewerSet {
        org_id: org.into(),
        reviewers: "[]".into(),
        updated_at: now(),
    }
}

/// Decision `seq` of session `s`: an allowed read, its hash the number itself.
pub fn decision(s: &Session, seq: u64) -> Decision {
    Decision {
        org_id: s.org_id.clone(),
        session_id: s.id.clone(),
        seq,
        check_id: format!("chk_{}_{}_{seq}", s.org_id, s.id),
        agent_id: s.agent_id.clone(),
        action_name: "db.query".into(),
        effect: "read".into(),
        risk: "read".into(),
        allowed: true,
        reason: "ok".into(),
        reasons: vec!["name: read".into()],
        guard_tier: "fast".into(),
        confidence: 0.75,
        input_digest: "d".repeat(64),
        input_summary: "SELECT 1".into(),
        approval_id: None,
        source: "api".into(),
        latency_us: 1234,
        decided_at: now(),
        key_id: String::new(),
        hash: format!("{seq:064}"),
        rule: "allowed".into(),
    }
}
