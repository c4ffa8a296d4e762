//! Paged searches over sessions and the decision log, for the console: newest first, with
//! keyset pagination (a page starts strictly after the last row of the previous one), never
//! OFFSET. Written once for both backends like `queries.rs`.
//!
//! Every statement always carries its keyset bound: the first page binds [`TOP`] (later than
//! any stored time), so the bound is a plain index range on both backends. Timestamps are RFC
//! 3339 text in one format, compared byte-wise (`COLLATE "C"` on PostgreSQL).

use chrono::{DateTime, Utc};

use crate::model::{Decision, Session, ts};
use crate::record::Record;
use crate::sql::{Db, Dialect, Param};
use crate::tx::Result;

/// Later than every stored timestamp (and byte-ordered after them in every collation).
const TOP: &str = "9999-12-31T23:59:59.999999Z";
/// Earlier than every stored timestamp.
const BOTTOM: &str = "0000";

/// Which of an organization's sessions to list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionQuery {
    pub agent_id: Option<String>,
    pub server_id: Option<String>,
    /// The base mode (`read_only`, `standard`).
    pub base_mode: Option<String>,
    /// Only sessions active at or after this time.
    pub active_since: Option<DateTime<Utc>>,
    /// Only sessions idle since before this time.
    pub idle_before: Option<DateTime<Utc>>,
    /// Start after this session (its last activity and id): the last row of the page before.
    pub after: Option<(DateTime<Utc>, String)>,
    pub limit: u64,
}

/// How a search matches action names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionMatch {
    Exact(String),
    Prefix(String),
}

/// Which decisions of an organization to find.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DecisionQuery {
    pub agent_id: Option<String>,
    pub session_id: Option<String>,
    pub action: Option<ActionMatch>,
    pub effect: Option<String>,
    pub allowed: Option<bool>,
    /// The pipeline rule that decided, by its wire name (`read_only`, `policy_forbid`, …).
    pub rule: Option<String>,
    /// Decided at or after.
    pub from: Option<DateTime<Utc>>,
    /// Decided before.
    pub to: Option<DateTime<Utc>>,
    /// Start after this decision (decided_at, session id, seq): the last row of the page before.
    pub after: Option<(DateTime<Utc>, String, u64)>,
    pub limit: u64,
}

fn count(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

pub(crate) fn sessions<D: Db>(db: &mut D, org_id: &str, q: &SessionQuery) -> Result<Vec<Session>> {
    let sql = select!(
        Session,
        "WHERE org_id = $1 \
         AND (CAST($2 AS TEXT) IS NULL OR agent_id = $2) \
         AND (CAST($3 AS TEXT) IS NULL OR server_id = $3) \
         AND (CAST($4 AS TEXT) IS NULL OR base_mode = $4) \
         AND last_activity_at >= $5 AND last_activity_at < $6 \
         AND (last_activity_at, id) < ($7, $8) \
         ORDER BY last_activity_at DESC, id DESC LIMIT $9"
    );
    let since = q.active_since.map(ts).unwrap_or_else(|| BOTTOM.to_string());
    let before = q.idle_before.map(ts).unwrap_or_else(|| TOP.to_string());
    let (after_at, after_id) = match &q.after {
        Some((at, id)) => (ts(*at), id.clone()),
        None => (TOP.to_string(), String::new()),
    };
    let params: [&dyn Param; 9] = [
        &org_id,
        &q.agent_id,
        &q.server_id,
        &q.base_mode,
        &since,
        &before,
        &after_at,
        &after_id,
        &count(q.limit),
    ];
    db.many(sql, &params, Session::read)
}

/// A session's decisions, newest first, those with a sequence number below `before`.
pub(crate) fn session_decisions<D: Db>(
    db: &mut D,
    org_id: &str,
    session_id: &str,
    before: Option<u64>,
    limit: u64,
) -> Result<Vec<Decision>> {
    let sql = select!(
        Decision,
        "WHERE org_id = $1 AND session_id = $2 AND seq < $3 ORDER BY seq DESC LIMIT $4"
    );
    let before = before.map(count).unwrap_or(i64::MAX);
    let params: [&dyn Param; 4] = [&org_id, &session_id, &before, &count(limit)];
    db.many(sql, &params, Decision::read)
}

/// Which index leads a decision search: one session's primary key, else the log's time
/// index (which also holds the agent: an agent's search filters it, newest first, without
/// reading the table for the decisions it skips).
#[derive(Clone, Copy)]
enum Lead {
    Session,
    Time,
}

fn decision_search_sql(lead: Lead, d: &Dialect) -> String {
    let session = match lead {
        Lead::Session => "session_id = $2",
        Lead::Time => "(CAST($2 AS TEXT) IS NULL OR session_id = $2)",
    };
    let agent = "(CAST($3 AS TEXT) IS NULL OR agent_id = $3)";
    // One session's decisions are walked by the primary key, newest sequence number first
    // (a session's numbers and times rise together: its decisions are committed one after
    // another); the cursor's sequence number is all that page needs.
    let (after, order) = match lead {
        Lead::Session => (
            // `$11` is named so that every parameter has a type (PostgreSQL asks).
            "CAST($11 AS TEXT) IS NOT NULL AND (CAST($12 AS TEXT) = '' OR seq < $13)",
            "seq DESC",
        ),
        Lead::Time => (
            "(decided_at, session_id, seq) < ($11, $12, $13)",
            "decided_at DESC, session_id DESC, seq DESC",
        ),
    };
    format!(
        "SELECT {} FROM {} WHERE org_id = $1 AND {session} AND {agent} \
         AND (CAST($4 AS TEXT) IS NULL OR action_name = $4) \
         AND (CAST($5 AS TEXT) IS NULL OR substr(action_name, 1, length(CAST($5 AS TEXT))) = $5) \
         AND (CAST($6 AS TEXT) IS NULL OR effect = $6) \
         AND (CAST($7 AS BOOLEAN) IS NULL OR allowed = $7) \
         AND (CAST($8 AS TEXT) IS NULL OR rule = $8) \
         AND decided_at >= $9 AND decided_at < $10 AND {after} \
         ORDER BY {order} LIMIT $14",
        Decision::COLUMNS,
        match lead {
            Lead::Session => d.session_decisions,
            Lead::Time => Decision::TABLE,
        }
    )
}

pub(crate) fn search_decisions<D: Db>(
    db: &mut D,
    org_id: &str,
    q: &DecisionQuery,
) -> Result<Vec<Decision>> {
    let sql = match &q.session_id {
        Some(_) => sql!(|d| decision_search_sql(Lead::Session, d)),
        None => sql!(|d| decision_search_sql(Lead::Time, d)),
    };
    let (exact, prefix) = match &q.action {
        Some(ActionMatch::Exact(a)) => (Some(a.clone()), None),
        Some(ActionMatch::Prefix(p)) => (None, Some(p.clone())),
        None => (None, None),
    };
    let from = q.from.map(ts).unwrap_or_else(|| BOTTOM.to_string());
    let to = q.to.map(ts).unwrap_or_else(|| TOP.to_string());
    let (after_at, after_session, after_seq) = match &q.after {
        Some((at, s, seq)) => (ts(*at), s.clone(), count(*seq)),
        None => (TOP.to_string(), String::new(), 0),
    };
    let params: [&dyn Param; 14] = [
        &org_id,
        &q.session_id,
        &q.agent_id,
        &exact,
        &prefix,
        &q.effect,
        &q.allowed,
        &q.rule,
        &from,
        &to,
        &after_at,
        &after_session,
        &after_seq,
        &count(q.limit),
    ];
    db.many(sql, &params, Decision::read)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An agent's search (and the unfiltered log) walks the time index newest first on
    /// SQLite: no table scan, no sort of every match (the agent has no index of its own).
    #[test]
    fn a_search_without_a_session_walks_the_time_index_in_order() {
        let dir = tempfile::tempdir().unwrap();
        crate::migrate_path(dir.path()).unwrap();
        let conn = rusqlite::Connection::open(dir.path().join("airlock.db")).unwrap();
        let sql = sql!(|d| decision_search_sql(Lead::Time, d)).text(&crate::sqlite_tx::DIALECT);
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
        let nulls = vec![rusqlite::types::Null; stmt.parameter_count()];
        let plan: Vec<String> = stmt
            .query_map(rusqlite::params_from_iter(nulls), |r| r.get(3))
            .unwrap()
            .collect::<std::result::Result<_, _>>()
            .unwrap();
        assert_eq!(plan.len(), 1, "{plan:?}");
        assert!(
            plan[0].starts_with("SEARCH decisions USING INDEX decisions_time (org_id=?"),
            "{plan:?}"
        );
    }

    #[test]
    fn the_sentinels_bracket_every_stored_time() {
        let t = ts(Utc::now());
        assert!(BOTTOM < t.as_str() && t.as_str() < TOP);
    }
}
