//! Every query of the store, written once for both backends: [`Tx`] for any backend
//! transaction that can run a statement ([`Db`]).
//!
//! Statements use `$n` placeholders (see `sql.rs`); rows become model types through their
//! [`Record`] (see `record.rs`). What a backend really does differently stays in its module
//! and reaches these queries through its [`Db`]: the session row lock (`FOR UPDATE`, `NOWAIT`
//! on PostgreSQL), the index hint and the deadline comparison of per-session approval lookups
//! (its [`crate::sql::Dialect`]).

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::a2a::{A2aTask, AgentCard};
use crate::delegations::{DelegatedSession, Delegation};
use crate::log_search::{DecisionQuery, SessionQuery};
use crate::model::*;
use crate::record::{Record, time, unsigned};
use crate::siem::{OutboxEvent, SiemDelivery, SiemDestination, SiemTarget};
use crate::sql::{Db, Lock, Param, Sql};
use crate::tx::{CallApprovals, CheckReads, GatewayReads, KeyReads, Result, SessionApprovals, Tx};

/// Which approvals may authorise a call: its session's, for its exact input ($3, the input
/// digest) and action ($4), not yet decided against or used. Written once for every statement
/// that looks them up (`Tx::call_approvals`, `check_reads::session_approvals`).
pub(crate) const CALL_APPROVALS: &str = "kind = 'call' AND input_digest = $3 AND action_name = $4 \
     AND (status = 'pending' OR status = 'approved') AND used_at IS NULL";

/// [`CALL_APPROVALS`] for any input: the call approvals the SQLite writer keeps for a session
/// (`crate::sqlite_approvals`).
pub(crate) const OPEN_CALL_APPROVALS: &str =
    "kind = 'call' AND (status = 'pending' OR status = 'approved') AND used_at IS NULL";

/// A session's elevation request still waiting for a decision (`Tx::pending_elevation`,
/// `check_reads::session_approvals`).
pub(crate) const PENDING_ELEVATION: &str = "kind = 'elevation' AND status = 'pending'";

/// The approvals `sql` selects (`id, status, expires_at, created_at, kind`) that have not
/// expired by `now`, sorted into what a check uses: the oldest approved and the oldest pending
/// call approval, and the oldest pending elevation. A backend that compares deadlines in the
/// query gets `now` as the parameter after `params`; the others compare them here.
pub(crate) fn unexpired<D: Db>(
    db: &mut D,
    sql: &'static Sql,
    params: &[&dyn Param],
    now: DateTime<Utc>,
) -> Result<SessionApprovals> {
    let now = ts(now);
    let mut params = params.to_vec();
    if db.dialect().deadline_in_query {
        params.push(&now);
    }
    let rows = db.many(sql, &params, |row| {
        Ok((
            row.get_str(0)?,
            row.get_str(1)?,
            row.get_str(2)?,
            row.get_str(3)?,
            row.get_str(4)?,
        ))
    })?;
    Ok(pick_approvals(rows, &now))
}

/// What a check uses of the approvals rows (`id, status, expires_at, created_at, kind`)
/// selected for it: those that have not expired by `now` (as stored), the oldest approved
/// and the oldest pending call approval, and the oldest pending elevation.
pub(crate) fn pick_approvals(
    mut rows: Vec<crate::sqlite_approvals::ApprovalRow>,
    now: &str,
) -> SessionApprovals {
    // Oldest first, sorted here: the few rows of one session and input need no sorter in
    // the query.
    rows.retain(|(_, _, expires, _, _)| expires.as_str() > now);
    rows.sort_by(|a, b| (&a.3, &a.0).cmp(&(&b.3, &b.0)));
    let mut out = SessionApprovals {
        call: CallApprovals::default(),
        elevation: None,
    };
    for (id, status, _, _, kind) in rows {
        match (kind.as_str(), status.as_str()) {
            ("call", "approved") if out.call.approved.is_none() => out.call.approved = Some(id),
            ("call", "pending") if out.call.pending.is_none() => out.call.pending = Some(id),
            ("elevation", "pending") if out.elevation.is_none() => out.elevation = Some(id),
            _ => {}
        }
    }
    out
}

/// Writes a session's counters, head and elevation, and its `last_activity_at` when
/// `activity` (a separate statement without it leaves the activity index alone).
fn write_session<D: Db>(db: &mut D, s: &Session, activity: bool) -> Result<()> {
    let with_activity = sql!(
        "UPDATE sessions SET elevated_until = $3, total_calls = $4, read_calls = $5, \
         write_calls = $6, denied_calls = $7, head = $8, last_activity_at = $9 \
         WHERE org_id = $1 AND id = $2"
    );
    let calls_only = sql!(
        "UPDATE sessions SET elevated_until = $3, total_calls = $4, read_calls = $5, \
         write_calls = $6, denied_calls = $7, head = $8 WHERE org_id = $1 AND id = $2"
    );
    // Formatted only when written.
    let last_activity = activity.then(|| ts(s.last_activity_at));
    let params: [&dyn Param; 9] = [
        &s.org_id,
        &s.id,
        &s.elevated_until.map(ts),
        &count(s.total_calls),
        &count(s.read_calls),
        &count(s.write_calls),
        &count(s.denied_calls),
        &s.head,
        &last_activity,
    ];
    let (sql, params) = if activity {
        (with_activity, &params[..])
    } else {
        (calls_only, &params[..8])
    };
    let apply = |kept: &mut Session| written(kept, s, activity);
    db.exec_session_update(sql, params, (&s.org_id, &s.id), &apply)
        .map(drop)
}

/// Changes `kept`, a session row as stored, as `write_session` changes the stored row: the
/// same columns, each as a read would give it back (timestamps to the microsecond, counters
/// capped as stored).
fn written(kept: &mut Session, s: &Session, activity: bool) -> Result<()> {
    let stored = |t: DateTime<Utc>| time(&ts(t));
    kept.elevated_until = s.elevated_until.map(stored).transpose()?;
    kept.total_calls = unsigned(count(s.total_calls))?;
    kept.read_calls = unsigned(count(s.read_calls))?;
    kept.write_calls = unsigned(count(s.write_calls))?;
    kept.denied_calls = unsigned(count(s.denied_calls))?;
    kept.head.clone_from(&s.head);
    if activity {
        kept.last_activity_at = stored(s.last_activity_at)?;
    }
    Ok(())
}

impl<D: Db> Tx for D {
    fn insert_org(&mut self, org: &Org) -> Result<()> {
        org.insert(self)
    }

    fn org(&mut self, id: &str) -> Result<Option<Org>> {
        self.one_kept(select!(Org, "WHERE id = $1"), &[&id], Org::read)
    }

    fn org_by_name(&mut self, name: &str) -> Result<Option<Org>> {
        self.one(select!(Org, "WHERE name = $1"), &[&name], Org::read)
    }

    fn org_count(&mut self) -> Result<u64> {
        let count = self.one(sql!("SELECT count(*) FROM orgs"), &[], |r| r.get_i64(0))?;
        Ok(count.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
    }

    fn insert_api_key(&mut self, key: &ApiKey) -> Result<()> {
        key.insert(self)
    }

    fn api_key_by_hash(&mut self, hash: &str) -> Result<Option<ApiKey>> {
        let sql = select!(ApiKey, "WHERE hash = $1");
        self.one_kept(sql, &[&hash], ApiKey::read)
    }

    fn key_reads(&mut self, hash: &str) -> Result<Option<KeyReads>> {
        crate::check_reads::key_reads(self, hash)
    }

    fn key_and_org(&mut self, hash: &str) -> Result<Option<(ApiKey, Option<Org>)>> {
        if !self.dialect().joined_check {
            let Some(key) = self.api_key_by_hash(hash)? else {
                return Ok(None);
            };
            let org = self.org(&key.org_id)?;
            return Ok(Some((key, org)));
        }
        // The joined key read: its settings come along in the same row, unused.
        Ok(crate::check_reads::key_reads(self, hash)?.map(|k| (k.key, k.org)))
    }

    fn gateway_reads(
        &mut self,
        hash: &str,
        agent_id: &str,
        server_id: &str,
        named: Option<&str>,
    ) -> Result<Option<(ApiKey, Option<Org>, GatewayReads)>> {
        crate::check_reads::gateway_reads(self, hash, agent_id, server_id, named)
    }

    fn list_api_keys(&mut self, org_id: Option<&str>) -> Result<Vec<ApiKey>> {
        let sql = select!(
            ApiKey,
            "WHERE CAST($1 AS TEXT) IS NULL OR org_id = $1 ORDER BY created_at, id"
        );
        self.many(sql, &[&org_id], ApiKey::read)
    }

    fn revoke_api_key(&mut self, id_or_prefix: &str, now: DateTime<Utc>) -> Result<bool> {
        let sql = sql!(
            "UPDATE api_keys SET revoked_at = $2 WHERE (id = $1 OR prefix = $1) AND revoked_at IS NULL"
        );
        Ok(self.exec(sql, &[&id_or_prefix, &ts(now)])? > 0)
    }

    fn insert_agent(&mut self, agent: &Agent) -> Result<()> {
        agent.insert(self)
    }

    fn agent(&mut self, org_id: &str, id: &str) -> Result<Option<Agent>> {
        let sql = select!(Agent, "WHERE org_id = $1 AND id = $2");
        self.one_kept(sql, &[&org_id, &id], Agent::read)
    }

    fn list_agents(&mut self, org_id: &str) -> Result<Vec<Agent>> {
        let sql = select!(Agent, "WHERE org_id = $1 ORDER BY created_at, id");
        self.many(sql, &[&org_id], Agent::read)
    }

    fn revoke_agent(
        &mut self,
        org_id: &str,
        id: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let now_at = now;
        let now = ts(now);
        let agent = sql!(
            "UPDATE agents SET status = 'revoked', revoked_at = coalesce(revoked_at, $3), \
             revoke_reason = coalesce(revoke_reason, $4) WHERE org_id = $1 AND id = $2"
        );
        let revoked = self.exec(agent, &[&org_id, &id, &now, &reason])? > 0;
        if revoked {
            let tokens = sql!(
                "UPDATE tokens SET revoked_at = $3, revoke_reason = 'agent revoked' \
                 WHERE org_id = $1 AND agent_id = $2 AND revoked_at IS NULL"
            );
            self.exec(tokens, &[&org_id, &id, &now])?;
            // Every delegation from or to the agent, and every hop below them, ends with it.
            crate::delegations::revoke_agent_delegations(self, org_id, id, now_at)?;
        }
        Ok(revoked)
    }

    fn insert_server(&mut self, server: &Server) -> Result<()> {
        server.insert(self)
    }

    fn server(&mut self, org_id: &str, id: &str) -> Result<Option<Server>> {
        Ok(shared_server(self, org_id, id)?.map(Arc::unwrap_or_clone))
    }

    fn list_servers(&mut self, org_id: &str) -> Result<Vec<Server>> {
        let sql = select!(
            Server,
            "WHERE org_id = $1 AND status = 'active' ORDER BY created_at, id"
        );
        self.many(sql, &[&org_id], Server::read)
    }

    fn delete_server(&mut self, org_id: &str, id: &str) -> Result<bool> {
        let sql = sql!(
            "UPDATE servers SET status = 'deleted' WHERE org_id = $1 AND id = $2 AND status = 'active'"
        );
        Ok(self.exec(sql, &[&org_id, &id])? > 0)
    }

    fn insert_session(&mut self, session: &Session) -> Result<()> {
        session.insert(self)
    }

    fn session(&mut self, org_id: &str, id: &str) -> Result<Option<Session>> {
        // Whoever reads a session to update it (a check, an elevation) holds its row until the
        // transaction ends, so counters and the chain stay exact across replicas.
        let sql = match self.session_lock() {
            Lock::None => select!(Session, "WHERE org_id = $1 AND id = $2"),
            Lock::Wait => select!(Session, "WHERE org_id = $1 AND id = $2 FOR UPDATE"),
            Lock::NoWait => select!(Session, "WHERE org_id = $1 AND id = $2 FOR UPDATE NOWAIT"),
        };
        if let Some(kept) = self.kept_session(org_id, id) {
            return Ok(Some(kept));
        }
        let session = self.one(sql, &[&org_id, &id], Session::read)?;
        if let Some(session) = &session {
            self.keep_session(session);
        }
        Ok(session)
    }

    fn gateway_session_id(
        &mut self,
        org_id: &str,
        agent_id: &str,
        server_id: &str,
    ) -> Result<Option<String>> {
        let sql = sql!(
            "SELECT session_id FROM gateway_sessions \
             WHERE org_id = $1 AND agent_id = $2 AND server_id = $3"
        );
        self.one(sql, &[&org_id, &agent_id, &server_id], |r| r.get_str(0))
    }

    fn insert_gateway_session(
        &mut self,
        org_id: &str,
        agent_id: &str,
        server_id: &str,
        session_id: &str,
    ) -> Result<()> {
        let sql = sql!(
            "INSERT INTO gateway_sessions (org_id, agent_id, server_id, session_id) \
             VALUES ($1, $2, $3, $4)"
        );
        self.exec(sql, &[&org_id, &agent_id, &server_id, &session_id])
            .map(drop)
    }

    fn update_session(&mut self, s: &Session) -> Result<()> {
        write_session(self, s, true)
    }

    fn update_session_calls(&mut self, s: &Session) -> Result<()> {
        write_session(self, s, false)
    }

    fn insert_decision(&mut self, decision: &Decision) -> Result<()> {
        decision.insert(self)
    }

    fn record_decision(
        &mut self,
        decision: &Decision,
        session: &Session,
        activity: bool,
    ) -> Result<()> {
        crate::check_reads::record_decision(self, decision, session, activity)
    }

    fn check_reads(
        &mut self,
        org_id: &str,
        agent_id: &str,
        session_id: &str,
        action_name: &str,
    ) -> Result<CheckReads> {
        crate::check_reads::check_reads(self, org_id, agent_id, session_id, action_name)
    }

    fn keyed_check_reads(
        &mut self,
        hash: &str,
        agent_id: &str,
        session_id: &str,
        action_name: &str,
        proven: bool,
    ) -> Result<Option<(KeyReads, Option<CheckReads>)>> {
        crate::check_reads::keyed_check_reads(self, hash, agent_id, session_id, action_name, proven)
    }

    fn session_heads(&mut self) -> Result<Vec<SessionHead>> {
        let sql = sql!("SELECT org_id, id, head, total_calls FROM sessions ORDER BY org_id, id");
        self.many(sql, &[], session_head_row)
    }

    fn session_head(&mut self, org_id: &str, id: &str) -> Result<Option<SessionHead>> {
        let sql = sql!(
            "SELECT org_id, id, head, total_calls FROM sessions WHERE org_id = $1 AND id = $2"
        );
        self.one(sql, &[&org_id, &id], session_head_row)
    }

    fn decision_sessions(&mut self) -> Result<Vec<(String, String)>> {
        let sql =
            sql!("SELECT DISTINCT org_id, session_id FROM decisions ORDER BY org_id, session_id");
        self.many(sql, &[], |r| Ok((r.get_str(0)?, r.get_str(1)?)))
    }

    fn decisions(
        &mut self,
        org_id: &str,
        session_id: &str,
        after: u64,
        limit: u64,
    ) -> Result<Vec<Decision>> {
        let sql = select!(
            Decision,
            "WHERE org_id = $1 AND session_id = $2 AND seq > $3 ORDER BY seq LIMIT $4"
        );
        let params: [&dyn Param; 4] = [&org_id, &session_id, &count(after), &count(limit)];
        self.many(sql, &params, Decision::read)
    }

    fn search_sessions(&mut self, org_id: &str, query: &SessionQuery) -> Result<Vec<Session>> {
        crate::log_search::sessions(self, org_id, query)
    }

    fn session_decisions_before(
        &mut self,
        org_id: &str,
        session_id: &str,
        before: Option<u64>,
        limit: u64,
    ) -> Result<Vec<Decision>> {
        crate::log_search::session_decisions(self, org_id, session_id, before, limit)
    }

    fn search_decisions(&mut self, org_id: &str, query: &DecisionQuery) -> Result<Vec<Decision>> {
        crate::log_search::search_decisions(self, org_id, query)
    }

    fn insert_approval(&mut self, approval: &Approval) -> Result<()> {
        // On PostgreSQL a trigger marks the session as one whose checks read approvals
        // (migration 20), whatever build inserts the approval. SQLite's writer adds the row
        // to its session's kept approvals.
        self.expect_approval_insert(&approval.org_id, &approval.session_id);
        let inserted = approval.insert(self);
        self.approval_inserted(approval, inserted.is_ok());
        inserted
    }

    fn approval(&mut self, org_id: &str, id: &str) -> Result<Option<Approval>> {
        let sql = select!(Approval, "WHERE org_id = $1 AND id = $2");
        self.one(sql, &[&org_id, &id], Approval::read)
    }

    fn find_approvals(
        &mut self,
        org_id: &str,
        status: Option<&str>,
        session_id: Option<&str>,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<Approval>> {
        let (now, limit) = (ts(now), count(limit));
        // `expired` is not stored: it is a pending approval past its deadline, so both
        // `pending` and `expired` read stored `pending` rows and split them by deadline.
        let (stored, deadline) = match status {
            None => (None, "any"),
            Some("pending") => (Some("pending"), "open"),
            Some("expired") => (Some("pending"), "past"),
            Some(other) => (Some(other), "any"),
        };
        let sql = select!(
            Approval,
            "WHERE org_id = $1 AND (CAST($2 AS TEXT) IS NULL OR status = $2) \
             AND (CAST($3 AS TEXT) IS NULL OR session_id = $3) \
             AND (CAST($4 AS TEXT) = 'any' OR (CAST($4 AS TEXT) = 'open' AND expires_at > $5) \
             OR (CAST($4 AS TEXT) = 'past' AND expires_at <= $5)) \
             ORDER BY created_at, id LIMIT $6"
        );
        let params: [&dyn Param; 6] = [&org_id, &stored, &session_id, &deadline, &now, &limit];
        self.many(sql, &params, Approval::read)
    }

    fn recent_approvals(
        &mut self,
        org_id: &str,
        status: &str,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<Approval>> {
        let (now, limit) = (ts(now), count(limit));
        let (stored, expired) = match status {
            "expired" => ("pending", true),
            other => (other, false),
        };
        // Settled when decided, or when its deadline passed (expired).
        let sql = select!(
            Approval,
            "WHERE org_id = $1 AND status = $2 \
             AND (NOT CAST($3 AS BOOLEAN) OR expires_at <= $4) \
             ORDER BY COALESCE(decided_at, expires_at) DESC, id DESC LIMIT $5"
        );
        let params: [&dyn Param; 5] = [&org_id, &stored, &expired, &now, &limit];
        self.many(sql, &params, Approval::read)
    }

    fn open_approval_count(&mut self, now: DateTime<Utc>) -> Result<u64> {
        let sql =
            sql!("SELECT count(*) FROM approvals WHERE status = 'pending' AND expires_at > $1");
        let count = self.one(sql, &[&ts(now)], |r| r.get_i64(0))?;
        Ok(count.and_then(|n| u64::try_from(n).ok()).unwrap_or(0))
    }

    fn pending_elevation(
        &mut self,
        org_id: &str,
        session_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>> {
        let sql = sql!(|d| format!(
            "SELECT id, status, expires_at, created_at, kind FROM {} WHERE org_id = $1 \
             AND session_id = $2 AND {PENDING_ELEVATION}{}",
            d.session_approvals,
            d.deadline(3)
        ));
        Ok(unexpired(self, sql, &[&org_id, &session_id], now)?.elevation)
    }

    fn call_approvals(
        &mut self,
        org_id: &str,
        session_id: &str,
        action_name: &str,
        input_digest: &str,
        now: DateTime<Utc>,
    ) -> Result<CallApprovals> {
        let sql = sql!(|d| format!(
            "SELECT id, status, expires_at, created_at, kind FROM {} WHERE org_id = $1 \
             AND session_id = $2 AND {CALL_APPROVALS}{}",
            d.call_approvals,
            d.deadline(5)
        ));
        let params: [&dyn Param; 4] = [&org_id, &session_id, &input_digest, &action_name];
        Ok(unexpired(self, sql, &params, now)?.call)
    }

    fn session_approvals(
        &mut self,
        org_id: &str,
        session_id: &str,
        action_name: &str,
        input_digest: &str,
        now: DateTime<Utc>,
    ) -> Result<SessionApprovals> {
        crate::check_reads::session_approvals(
            self,
            org_id,
            session_id,
            action_name,
            input_digest,
            now,
        )
    }

    fn update_approval(&mut self, a: &Approval) -> Result<()> {
        let sql = sql!(
            "UPDATE approvals SET status = $3, decided_by = $4, decided_at = $5, used_at = $6, \
             expires_at = $7, note = $8 WHERE org_id = $1 AND id = $2"
        );
        let params: [&dyn Param; 8] = [
            &a.org_id,
            &a.id,
            &a.status,
            &a.decided_by,
            &a.decided_at.map(ts),
            &a.used_at.map(ts),
            &ts(a.expires_at),
            &a.note,
        ];
        self.exec(sql, &params).map(drop)
    }

    fn insert_webhook(&mut self, webhook: &Webhook) -> Result<()> {
        webhook.insert(self)
    }

    fn webhooks(&mut self, org_id: &str) -> Result<Vec<Webhook>> {
        let sql = select!(Webhook, "WHERE org_id = $1 ORDER BY created_at, id");
        self.many(sql, &[&org_id], Webhook::read)
    }

    fn delete_webhook(&mut self, org_id: &str, id: &str) -> Result<bool> {
        let sql = sql!("DELETE FROM webhooks WHERE org_id = $1 AND id = $2");
        Ok(self.exec(sql, &[&org_id, &id])? > 0)
    }

    fn revoke_org_api_key(&mut self, org_id: &str, id: &str, now: DateTime<Utc>) -> Result<bool> {
        let sql = sql!(
            "UPDATE api_keys SET revoked_at = $3 WHERE org_id = $1 AND id = $2 AND revoked_at IS NULL"
        );
        Ok(self.exec(sql, &[&org_id, &id, &ts(now)])? > 0)
    }

    fn insert_console_session(&mut self, session: &ConsoleSession) -> Result<()> {
        session.insert(self)
    }

    fn console_session(&mut self, token_hash: &str) -> Result<Option<ConsoleSession>> {
        let sql = select!(ConsoleSession, "WHERE token_hash = $1");
        self.one(sql, &[&token_hash], ConsoleSession::read)
    }

    fn touch_console_session(
        &mut self,
        org_id: &str,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let sql = sql!(
            "UPDATE console_sessions SET last_seen_at = $3 WHERE org_id = $1 AND token_hash = $2"
        );
        Ok(self.exec(sql, &[&org_id, &token_hash, &ts(now)])? > 0)
    }

    fn delete_console_session(&mut self, org_id: &str, token_hash: &str) -> Result<bool> {
        let sql = sql!("DELETE FROM console_sessions WHERE org_id = $1 AND token_hash = $2");
        Ok(self.exec(sql, &[&org_id, &token_hash])? > 0)
    }

    fn delete_stale_console_sessions(
        &mut self,
        expires_before: DateTime<Utc>,
        idle_before: DateTime<Utc>,
    ) -> Result<u64> {
        let sql = sql!("DELETE FROM console_sessions WHERE expires_at <= $1 OR last_seen_at <= $2");
        self.exec(sql, &[&ts(expires_before), &ts(idle_before)])
    }

    fn insert_token(&mut self, token: &Token) -> Result<()> {
        token.insert(self)
    }

    fn token_by_hash(&mut self, hash: &str) -> Result<Option<Token>> {
        self.one(select!(Token, "WHERE hash = $1"), &[&hash], Token::read)
    }

    fn revoke_token(
        &mut self,
        org_id: &str,
        hash: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let sql = sql!(
            "UPDATE tokens SET revoked_at = $3, revoke_reason = $4 \
             WHERE org_id = $1 AND hash = $2 AND revoked_at IS NULL"
        );
        Ok(self.exec(sql, &[&org_id, &hash, &ts(now), &reason])? > 0)
    }

    fn tool_pin(&mut self, org_id: &str, server_id: &str, name: &str) -> Result<Option<ToolPin>> {
        let sql = select!(
            ToolPin,
            "WHERE org_id = $1 AND server_id = $2 AND name = $3"
        );
        self.one_kept(sql, &[&org_id, &server_id, &name], ToolPin::read)
    }

    fn tool_pins(&mut self, org_id: &str, server_id: &str) -> Result<Vec<ToolPin>> {
        let sql = select!(
            ToolPin,
            "WHERE org_id = $1 AND server_id = $2 ORDER BY name"
        );
        self.many(sql, &[&org_id, &server_id], ToolPin::read)
    }

    fn put_tool_pin(&mut self, pin: &ToolPin) -> Result<()> {
        let sql = sql!(
            "{} ON CONFLICT (org_id, server_id, name) DO UPDATE SET \
             definition = excluded.definition, digest = excluded.digest, status = excluded.status, \
             pending_definition = excluded.pending_definition, \
             pending_digest = excluded.pending_digest, pinned_at = excluded.pinned_at, \
             changed_at = excluded.changed_at",
            crate::record::insert_sql(ToolPin::TABLE, ToolPin::COLUMNS)
        );
        pin.write(self, sql).map(drop)
    }

    fn reviewer_set(&mut self, org_id: &str) -> Result<Option<ReviewerSet>> {
        let sql = select!(ReviewerSet, "WHERE org_id = $1");
        self.one_kept(sql, &[&org_id], ReviewerSet::read)
    }

    fn put_reviewer_set(&mut self, set: &ReviewerSet) -> Result<()> {
        let sql = sql!(
            "{} ON CONFLICT (org_id) DO UPDATE SET reviewers = excluded.reviewers, \
             updated_at = excluded.updated_at",
            crate::record::insert_sql(ReviewerSet::TABLE, ReviewerSet::COLUMNS)
        );
        set.write(self, sql).map(drop)
    }

    fn policies(&mut self, org_id: &str) -> Result<Vec<Policy>> {
        let sql = select!(Policy, "WHERE org_id = $1 ORDER BY created_at, id");
        self.many(sql, &[&org_id], Policy::read)
    }

    fn policy(&mut self, org_id: &str, id: &str) -> Result<Option<Policy>> {
        let sql = select!(Policy, "WHERE org_id = $1 AND id = $2");
        self.one(sql, &[&org_id, &id], Policy::read)
    }

    fn put_policy(&mut self, policy: &Policy) -> Result<()> {
        let sql = sql!(
            "{} ON CONFLICT (org_id, id) DO UPDATE SET description = excluded.description, \
             text = excluded.text, mode = excluded.mode, version = excluded.version, \
             updated_at = excluded.updated_at, updated_by = excluded.updated_by",
            crate::record::insert_sql(Policy::TABLE, Policy::COLUMNS)
        );
        policy.write(self, sql).map(drop)
    }

    fn delete_policy(&mut self, org_id: &str, id: &str) -> Result<bool> {
        let sql = sql!("DELETE FROM policies WHERE org_id = $1 AND id = $2");
        Ok(self.exec(sql, &[&org_id, &id])? > 0)
    }

    fn insert_policy_version(&mut self, version: &PolicyVersion) -> Result<()> {
        version.insert(self)
    }

    fn policy_versions(&mut self, org_id: &str, policy_id: &str) -> Result<Vec<PolicyVersion>> {
        let sql = select!(
            PolicyVersion,
            "WHERE org_id = $1 AND policy_id = $2 ORDER BY version"
        );
        self.many(sql, &[&org_id, &policy_id], PolicyVersion::read)
    }

    fn policy_generation(&mut self, org_id: &str) -> Result<u64> {
        let sql = sql!("SELECT generation FROM policy_generations WHERE org_id = $1");
        let n = self.one(sql, &[&org_id], |r| r.get_i64(0))?;
        n.map_or(Ok(0), unsigned)
    }

    fn bump_policy_generation(&mut self, org_id: &str) -> Result<()> {
        let sql = sql!(
            "INSERT INTO policy_generations (org_id, generation) VALUES ($1, 1) \
             ON CONFLICT (org_id) DO UPDATE SET generation = policy_generations.generation + 1"
        );
        self.exec(sql, &[&org_id]).map(drop)
    }

    fn put_agent_card(&mut self, card: &AgentCard) -> Result<()> {
        crate::a2a::put_card(self, card)
    }

    fn agent_card(&mut self, org_id: &str, agent_id: &str) -> Result<Option<AgentCard>> {
        crate::a2a::card(self, org_id, agent_id)
    }

    fn published_agent_card(&mut self, agent_id: &str) -> Result<Option<AgentCard>> {
        crate::a2a::published_card(self, agent_id)
    }

    fn publish_agent_card(
        &mut self,
        org_id: &str,
        agent_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        crate::a2a::publish_card(self, org_id, agent_id, now)
    }

    fn insert_a2a_task(&mut self, task: &A2aTask) -> Result<()> {
        crate::a2a::insert_task(self, task)
    }

    fn a2a_task(&mut self, org_id: &str, id: &str) -> Result<Option<A2aTask>> {
        crate::a2a::task(self, org_id, id)
    }

    fn update_a2a_task(&mut self, task: &A2aTask) -> Result<bool> {
        crate::a2a::update_task(self, task)
    }

    fn insert_siem_destination(&mut self, d: &SiemDestination) -> Result<()> {
        d.insert(self)
    }

    fn siem_destinations(&mut self, org_id: &str) -> Result<Vec<SiemDestination>> {
        crate::siem::destinations(self, org_id)
    }

    fn siem_destination(&mut self, org_id: &str, id: &str) -> Result<Option<SiemDestination>> {
        crate::siem::destination(self, org_id, id)
    }

    fn update_siem_destination(&mut self, d: &SiemDestination) -> Result<bool> {
        crate::siem::update_destination(self, d)
    }

    fn delete_siem_destination(&mut self, org_id: &str, id: &str) -> Result<bool> {
        crate::siem::delete_destination(self, org_id, id)
    }

    fn siem_targets(&mut self, org_id: &str) -> Result<Vec<SiemTarget>> {
        crate::siem::targets(self, org_id)
    }

    fn insert_siem_event(&mut self, event: &OutboxEvent) -> Result<()> {
        crate::siem::insert_event(self, event)
    }

    fn active_siem_destinations(&mut self) -> Result<Vec<SiemDestination>> {
        crate::siem::active_destinations(self)
    }

    fn siem_batch(&mut self, destination_id: &str, limit: u64) -> Result<Vec<OutboxEvent>> {
        crate::siem::batch(self, destination_id, limit)
    }

    fn delete_siem_events(&mut self, destination_id: &str, ids: &[u64]) -> Result<u64> {
        crate::siem::delete_events(self, destination_id, ids)
    }

    fn siem_backlogs(&mut self) -> Result<Vec<(String, u64)>> {
        crate::siem::backlogs(self)
    }

    fn set_siem_backlog(&mut self, destination_id: &str, backlog: u64, bound: u64) -> Result<()> {
        crate::siem::set_backlog(self, destination_id, backlog, bound)
    }

    fn take_siem_lease(
        &mut self,
        destination_id: &str,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool> {
        crate::siem::take_lease(self, destination_id, owner, now, until)
    }

    fn insert_siem_delivery(&mut self, d: &SiemDelivery) -> Result<()> {
        d.insert(self)
    }

    fn siem_deliveries(
        &mut self,
        org_id: &str,
        destination_id: &str,
        limit: u64,
    ) -> Result<Vec<SiemDelivery>> {
        crate::siem::deliveries(self, org_id, destination_id, limit)
    }

    fn insert_telemetry(
        &mut self,
        org_id: &str,
        agent_id: &str,
        session_id: &str,
        events: &[TelemetryEvent],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let sql = sql!(
            "INSERT INTO telemetry (org_id, agent_id, session_id, event_type, tool_name, \
             duration_ms, success, error_type, timestamp, received_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        );
        let now = ts(now);
        for e in events {
            let params: [&dyn Param; 10] = [
                &org_id,
                &agent_id,
                &session_id,
                &e.event_type,
                &e.tool_name,
                &e.duration_ms,
                &e.success,
                &e.error_type,
                &e.timestamp,
                &now,
            ];
            self.exec(sql, &params)?;
        }
        Ok(())
    }

    fn set_agent_public_key(&mut self, org_id: &str, id: &str, public_key: &str) -> Result<bool> {
        let sql = sql!("UPDATE agents SET public_key = $3 WHERE org_id = $1 AND id = $2");
        Ok(self.exec(sql, &[&org_id, &id, &public_key])? > 0)
    }

    fn insert_pop_challenge(&mut self, challenge: &PopChallenge) -> Result<()> {
        challenge.insert(self)
    }

    fn take_pop_challenge(
        &mut self,
        org_id: &str,
        agent_id: &str,
        nonce_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let sql = sql!(
            "DELETE FROM pop_challenges WHERE nonce_hash = $1 AND org_id = $2 AND agent_id = $3 \
             AND expires_at > $4"
        );
        Ok(self.exec(sql, &[&nonce_hash, &org_id, &agent_id, &ts(now).as_str()])? > 0)
    }

    fn use_dpop_jti(&mut self, jkt: &str, jti: &str, expires_at: DateTime<Utc>) -> Result<bool> {
        let sql = sql!(
            "INSERT INTO dpop_jtis (jkt, jti, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (jkt, jti) DO NOTHING"
        );
        Ok(self.exec(sql, &[&jkt, &jti, &ts(expires_at).as_str()])? > 0)
    }

    fn prune_identity(&mut self, now: DateTime<Utc>) -> Result<u64> {
        let now = ts(now);
        let challenges = sql!("DELETE FROM pop_challenges WHERE expires_at <= $1");
        let jtis = sql!("DELETE FROM dpop_jtis WHERE expires_at <= $1");
        let revoked = sql!("DELETE FROM federation_revocations WHERE expires_at <= $1");
        Ok(self.exec(challenges, &[&now])?
            + self.exec(jtis, &[&now])?
            + self.exec(revoked, &[&now])?)
    }

    fn insert_federation_provider(&mut self, provider: &FederationProvider) -> Result<()> {
        provider.insert(self)
    }

    fn federation_providers(&mut self, org_id: &str) -> Result<Vec<FederationProvider>> {
        let sql = select!(
            FederationProvider,
            "WHERE org_id = $1 ORDER BY created_at, id"
        );
        self.many(sql, &[&org_id], FederationProvider::read)
    }

    fn federation_provider(
        &mut self,
        org_id: &str,
        id: &str,
    ) -> Result<Option<FederationProvider>> {
        let sql = select!(FederationProvider, "WHERE org_id = $1 AND id = $2");
        self.one(sql, &[&org_id, &id], FederationProvider::read)
    }

    fn delete_federation_provider(&mut self, org_id: &str, id: &str) -> Result<bool> {
        let sql = sql!("DELETE FROM federation_providers WHERE org_id = $1 AND id = $2");
        Ok(self.exec(sql, &[&org_id, &id])? > 0)
    }

    fn revoke_federation_token(&mut self, revocation: &FederationRevocation) -> Result<()> {
        let sql = sql!(
            "{} ON CONFLICT (token_hash) DO NOTHING",
            crate::record::insert_sql(FederationRevocation::TABLE, FederationRevocation::COLUMNS)
        );
        revocation.write(self, sql).map(drop)
    }

    fn federation_token_revoked(&mut self, org_id: &str, token_hash: &str) -> Result<bool> {
        let sql = sql!(
            "SELECT count(*) FROM federation_revocations WHERE org_id = $1 AND token_hash = $2"
        );
        let n = self.one(sql, &[&org_id, &token_hash], |r| r.get_i64(0))?;
        Ok(n.unwrap_or(0) > 0)
    }

    fn insert_federated_session(&mut self, link: &FederatedSession) -> Result<()> {
        link.insert(self)
    }

    fn federated_session(
        &mut self,
        org_id: &str,
        session_id: &str,
    ) -> Result<Option<FederatedSession>> {
        let sql = select!(FederatedSession, "WHERE org_id = $1 AND session_id = $2");
        self.one(sql, &[&org_id, &session_id], FederatedSession::read)
    }

    fn security_settings(&mut self, org_id: &str) -> Result<Option<SecuritySettings>> {
        let sql = select!(SecuritySettings, "WHERE org_id = $1");
        self.one_kept(sql, &[&org_id], SecuritySettings::read)
    }

    fn put_security_settings(&mut self, settings: &SecuritySettings) -> Result<()> {
        let sql = sql!(
            "{} ON CONFLICT (org_id) DO UPDATE SET \
             require_proof_of_possession = excluded.require_proof_of_possession, \
             require_sender_constrained_tokens = excluded.require_sender_constrained_tokens, \
             updated_at = excluded.updated_at",
            crate::record::insert_sql(SecuritySettings::TABLE, SecuritySettings::COLUMNS)
        );
        settings.write(self, sql).map(drop)
    }

    fn insert_delegation(&mut self, delegation: &Delegation) -> Result<()> {
        delegation.insert(self)
    }

    fn delegation(&mut self, org_id: &str, id: &str) -> Result<Option<Delegation>> {
        crate::delegations::delegation(self, org_id, id)
    }

    fn delegations(&mut self, org_id: &str) -> Result<Vec<Delegation>> {
        crate::delegations::delegations(self, org_id)
    }

    fn revoke_delegation_subtree(
        &mut self,
        org_id: &str,
        path: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        crate::delegations::revoke_subtree(self, org_id, path, reason, now)
    }

    fn insert_delegated_session(&mut self, link: &DelegatedSession) -> Result<()> {
        link.insert(self)
    }

    fn delegated_session(
        &mut self,
        org_id: &str,
        session_id: &str,
    ) -> Result<Option<DelegatedSession>> {
        crate::delegations::delegated_session(self, org_id, session_id)
    }
}

/// A counter or limit as BIGINT.
fn session_head_row(r: &dyn crate::sql::Row) -> Result<SessionHead> {
    Ok(SessionHead {
        org_id: r.get_str(0)?,
        id: r.get_str(1)?,
        head: r.get_str(2)?,
        total_calls: unsigned(r.get_i64(3)?)?,
    })
}

pub(crate) fn count(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// An active server of the organization, shared: where the row cache keeps the server, every
/// check of its sessions gets the same value (its tool list is neither parsed nor copied per
/// check).
pub(crate) fn shared_server<D: Db>(
    db: &mut D,
    org_id: &str,
    id: &str,
) -> Result<Option<Arc<Server>>> {
    let sql = select!(
        Server,
        "WHERE org_id = $1 AND id = $2 AND status = 'active'"
    );
    db.one_kept(sql, &[&org_id, &id], |row| Server::read(row).map(Arc::new))
}
