//! Delegations between agents and the sessions opened under them (docs/delegations.md).
//! Queries written once for both backends, like `queries.rs`.
//!
//! A delegation's `path` is `/<root id>/…/<its id>/`: the hops below a delegation are exactly
//! the rows whose path begins with its path (ids never contain `/`), so revoking a subtree is
//! one statement on either backend, and it is compared byte for byte (`COLLATE "C"`).

use chrono::{DateTime, Utc};

use crate::model::ts;
use crate::record::Record;
use crate::sql::Db;
use crate::tx::Result;

/// One hop of authority from an agent to another, in one organization.
#[derive(Debug, Clone, PartialEq)]
pub struct Delegation {
    pub id: String,
    pub org_id: String,
    pub from_agent_id: String,
    pub to_agent_id: String,
    /// The delegation this one narrows; `None` for a root.
    pub parent_id: Option<String>,
    /// `/<root id>/…/<id>/`.
    pub path: String,
    /// 1 for a root, its parent's depth plus one below.
    pub depth: u64,
    pub scope: Vec<String>,
    /// Always an object; stored as given (the service accepts only `{}`).
    pub restrictions: serde_json::Value,
    /// Hex SHA-256 of a random token minted for the delegation; the token is not kept.
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
}

impl Delegation {
    /// The ids of every hop from the root to this one, root first (from `path`).
    pub fn hops(&self) -> Vec<String> {
        self.path
            .split('/')
            .filter(|id| !id.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// The delegation a delegated session acts under.
#[derive(Debug, Clone, PartialEq)]
pub struct DelegatedSession {
    pub org_id: String,
    pub session_id: String,
    pub delegation_id: String,
}

/// The most delegations one listing returns.
pub const MAX_LISTED: u64 = 1000;

pub(crate) fn delegation<D: Db>(db: &mut D, org_id: &str, id: &str) -> Result<Option<Delegation>> {
    let sql = select!(Delegation, "WHERE org_id = $1 AND id = $2");
    db.one(sql, &[&org_id, &id], Delegation::read)
}

pub(crate) fn delegations<D: Db>(db: &mut D, org_id: &str) -> Result<Vec<Delegation>> {
    let sql = select!(
        Delegation,
        "WHERE org_id = $1 ORDER BY created_at, id LIMIT $2"
    );
    let limit = i64::try_from(MAX_LISTED).unwrap_or(i64::MAX);
    db.many(sql, &[&org_id, &limit], Delegation::read)
}

/// Marks the delegation at `path` and every hop below it revoked (those not revoked already);
/// returns how many rows changed.
pub(crate) fn revoke_subtree<D: Db>(
    db: &mut D,
    org_id: &str,
    path: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<u64> {
    let sql = sql!(
        "UPDATE delegations SET revoked_at = $3, revoke_reason = $4 \
         WHERE org_id = $1 AND revoked_at IS NULL \
         AND substr(path, 1, length(CAST($2 AS TEXT))) = CAST($2 AS TEXT)"
    );
    db.exec(sql, &[&org_id, &path, &ts(now), &reason])
}

/// Marks revoked every delegation from or to `agent_id`, and every hop below those.
pub(crate) fn revoke_agent_delegations<D: Db>(
    db: &mut D,
    org_id: &str,
    agent_id: &str,
    now: DateTime<Utc>,
) -> Result<u64> {
    let sql = sql!(
        "UPDATE delegations SET revoked_at = $3, revoke_reason = 'agent revoked' \
         WHERE org_id = $1 AND revoked_at IS NULL AND EXISTS (\
         SELECT 1 FROM delegations d WHERE d.org_id = $1 \
         AND (d.from_agent_id = $2 OR d.to_agent_id = $2) \
         AND substr(delegations.path, 1, length(d.path)) = d.path)"
    );
    db.exec(sql, &[&org_id, &agent_id, &ts(now)])
}

pub(crate) fn delegated_session<D: Db>(
    db: &mut D,
    org_id: &str,
    session_id: &str,
) -> Result<Option<DelegatedSession>> {
    let sql = select!(DelegatedSession, "WHERE org_id = $1 AND session_id = $2");
    db.one(sql, &[&org_id, &session_id], DelegatedSession::read)
}
