//! Agent-to-agent work (docs/a2a.md): agents' signed A2A cards and the A2A gateway's tasks.
//! Queries written once for both backends, like `queries.rs`.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::model::ts;
use crate::record::Record;
use crate::sql::{Db, Param};
use crate::tx::Result;

/// An agent's A2A card as generated and signed.
#[derive(Debug, Clone, PartialEq)]
pub struct AgentCard {
    pub org_id: String,
    pub agent_id: String,
    /// The signed card, exactly as served.
    pub card: Value,
    /// The agent's own A2A endpoint the gateway forwards to; `None`: tasks stay in the store.
    pub endpoint_url: Option<String>,
    pub published: bool,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A task of the A2A gateway.
#[derive(Debug, Clone, PartialEq)]
pub struct A2aTask {
    pub id: String,
    pub org_id: String,
    pub context_id: String,
    pub source_agent_id: String,
    pub target_agent_id: String,
    /// The session whose ceiling decided the call that created the task.
    pub session_id: String,
    /// `v1` (created by `message/send`) or `legacy` (`tasks/send`): the shape it is answered in.
    pub protocol: String,
    /// An A2A task state (`submitted`, `working`, `completed`, `input-required`, `canceled`,
    /// `failed`, `rejected`).
    pub state: String,
    /// The first message as the caller sent it (a string or an A2A message object).
    pub message: Value,
    /// The messages of the task, oldest first (a JSON array).
    pub history: Value,
    /// The artifacts the target produced (a JSON array).
    pub artifacts: Value,
    /// The caller's metadata (a JSON object).
    pub metadata: Value,
    /// The target's own id of the task, when it was forwarded and answered one.
    pub upstream_task_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The states no task leaves.
pub const TERMINAL_STATES: &[&str] = &["completed", "canceled", "failed", "rejected"];

/// Inserts or replaces an agent's card; a replaced card keeps its publication.
pub(crate) fn put_card<D: Db>(db: &mut D, c: &AgentCard) -> Result<()> {
    let sql = sql!(
        "INSERT INTO agent_cards (org_id, agent_id, card, endpoint_url, published, published_at, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
         ON CONFLICT (org_id, agent_id) DO UPDATE SET card = $3, endpoint_url = $4, \
         updated_at = $8"
    );
    let card = c.card.to_string();
    let published_at = c.published_at.map(ts);
    let params: [&dyn Param; 8] = [
        &c.org_id,
        &c.agent_id,
        &card,
        &c.endpoint_url,
        &c.published,
        &published_at,
        &ts(c.created_at),
        &ts(c.updated_at),
    ];
    db.exec(sql, &params).map(drop)
}

pub(crate) fn card<D: Db>(db: &mut D, org_id: &str, agent_id: &str) -> Result<Option<AgentCard>> {
    let sql = select!(AgentCard, "WHERE org_id = $1 AND agent_id = $2");
    db.one(sql, &[&org_id, &agent_id], AgentCard::read)
}

/// The published card of an agent of any organization: the public discovery path, which
/// names no organization (agent ids are unique across organizations).
pub(crate) fn published_card<D: Db>(db: &mut D, agent_id: &str) -> Result<Option<AgentCard>> {
    let sql = select!(AgentCard, "WHERE agent_id = $1 AND published");
    db.one(sql, &[&agent_id], AgentCard::read)
}

/// Publishes a card; false if the agent has none.
pub(crate) fn publish_card<D: Db>(
    db: &mut D,
    org_id: &str,
    agent_id: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let sql = sql!(
        "UPDATE agent_cards SET published = $3, published_at = $4 \
         WHERE org_id = $1 AND agent_id = $2"
    );
    Ok(db.exec(sql, &[&org_id, &agent_id, &true, &ts(now)])? > 0)
}

pub(crate) fn insert_task<D: Db>(db: &mut D, t: &A2aTask) -> Result<()> {
    t.insert(db)
}

pub(crate) fn task<D: Db>(db: &mut D, org_id: &str, id: &str) -> Result<Option<A2aTask>> {
    let sql = select!(A2aTask, "WHERE org_id = $1 AND id = $2");
    db.one(sql, &[&org_id, &id], A2aTask::read)
}

/// Writes a task's state, history, artifacts and upstream id, only while its stored state is
/// not terminal: false when it is (or there is no such task), so a terminal state is never
/// overwritten, whichever replica tries.
pub(crate) fn update_task<D: Db>(db: &mut D, t: &A2aTask) -> Result<bool> {
    let sql = sql!(
        "UPDATE a2a_tasks SET state = $3, history = $4, artifacts = $5, upstream_task_id = $6, \
         updated_at = $7 WHERE org_id = $1 AND id = $2 \
         AND state NOT IN ('completed', 'canceled', 'failed', 'rejected')"
    );
    let history = t.history.to_string();
    let artifacts = t.artifacts.to_string();
    let params: [&dyn Param; 7] = [
        &t.org_id,
        &t.id,
        &t.state,
        &history,
        &artifacts,
        &t.upstream_task_id,
        &ts(t.updated_at),
    ];
    Ok(db.exec(sql, &params)? > 0)
}
