//! The PostgreSQL implementation of [`Tx`]: the same statements as SQLite's, with `$n`
//! parameters, BIGINT counters and BOOLEAN flags. Timestamps stay RFC 3339 text (byte-ordered
//! columns), so every comparison and ordering is the one SQLite makes.
//!
//! [`Tx::session`] locks the session row (`SELECT … FOR UPDATE`) until the transaction ends:
//! checks of one session on any replica are serialised, so counters and the chain stay exact.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use postgres::error::SqlState;
use postgres::types::ToSql;
use postgres::{Client, Row, Statement};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::StoreError;
use crate::model::*;
use crate::tx::{CallApprovals, Result, Tx};

type Param<'a> = &'a (dyn ToSql + Sync);

/// What went wrong in a request, for the engine to decide on the batch.
#[derive(Debug, Default)]
pub(crate) struct Trouble {
    /// A statement failed: the transaction is aborted until the request's savepoint is
    /// rolled back.
    pub(crate) failed: bool,
    /// Running the batch again may succeed: a deadlock or a serialisation failure.
    pub(crate) retry: Option<String>,
    /// Running this request again in the same transaction will succeed: it created a session
    /// that another transaction created (and committed) at the same moment; run again, it
    /// finds that session.
    pub(crate) rerun: bool,
    /// The connection is gone.
    pub(crate) closed: bool,
    /// A session this request needs is locked by another transaction, and this transaction
    /// (holding earlier requests' locks) must not wait for it: run the request later, alone.
    pub(crate) busy: bool,
}

pub(crate) struct PgTx<'a> {
    client: &'a mut Client,
    cache: &'a mut HashMap<String, Statement>,
    trouble: &'a mut Trouble,
    /// The transaction already holds other requests' locks: never wait for a session lock
    /// (waiting while holding locks is how two batches deadlock).
    nowait: bool,
}

impl<'a> PgTx<'a> {
    pub(crate) fn new(
        client: &'a mut Client,
        cache: &'a mut HashMap<String, Statement>,
        trouble: &'a mut Trouble,
        nowait: bool,
    ) -> Self {
        PgTx {
            client,
            cache,
            trouble,
            nowait,
        }
    }
}

/// True for errors after which running the whole batch again may succeed.
pub(crate) fn retryable(e: &postgres::Error) -> bool {
    matches!(e.code(), Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE)
}

/// True if two transactions created the same (implicit) session at once. The unique check
/// waited for the other one to commit, so on a second run the session is found and locked.
pub(crate) fn session_created_meanwhile(e: &postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
        && e.as_db_error()
            .and_then(|d| d.constraint())
            .is_some_and(|c| c == "sessions_pkey")
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(e.to_string())
}

fn time(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(corrupt)
}

fn opt_time(s: Option<String>) -> Result<Option<DateTime<Utc>>> {
    s.as_deref().map(time).transpose()
}

fn json<T: DeserializeOwned>(s: &str) -> Result<T> {
    serde_json::from_str(s).map_err(corrupt)
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(corrupt)
}

fn opt_ts(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(ts)
}

fn count(v: i64) -> u64 {
    v.max(0) as u64
}

fn big(v: u64) -> i64 {
    v.min(i64::MAX as u64) as i64
}

/// Typed column access that turns a type mismatch into a store error.
fn get<'r, T: postgres::types::FromSql<'r>>(r: &'r Row, i: usize) -> Result<T> {
    Ok(r.try_get(i)?)
}

const ORG: &str = "id, name, default_mode, created_at";
fn org_row(r: &Row) -> Result<Org> {
    Ok(Org {
        id: get(r, 0)?,
        name: get(r, 1)?,
        default_mode: get(r, 2)?,
        created_at: time(get(r, 3)?)?,
    })
}

const KEY: &str = "id, org_id, hash, prefix, name, created_at, revoked_at, role";
fn key_row(r: &Row) -> Result<ApiKey> {
    Ok(ApiKey {
        id: get(r, 0)?,
        org_id: get(r, 1)?,
        hash: get(r, 2)?,
        prefix: get(r, 3)?,
        name: get(r, 4)?,
        created_at: time(get(r, 5)?)?,
        revoked_at: opt_time(get(r, 6)?)?,
        role: get(r, 7)?,
    })
}

const AGENT: &str = "id, org_id, name, framework, public_key, status, capabilities, metadata, created_at, revoked_at, revoke_reason";
fn agent_row(r: &Row) -> Result<Agent> {
    Ok(Agent {
        id: get(r, 0)?,
        org_id: get(r, 1)?,
        name: get(r, 2)?,
        framework: get(r, 3)?,
        public_key: get(r, 4)?,
        status: get(r, 5)?,
        capabilities: json(get(r, 6)?)?,
        metadata: json(get(r, 7)?)?,
        created_at: time(get(r, 8)?)?,
        revoked_at: opt_time(get(r, 9)?)?,
        revoke_reason: get(r, 10)?,
    })
}

const SERVER: &str =
    "id, org_id, name, url, description, capabilities, tools, default_mode, status, created_at";
fn server_row(r: &Row) -> Result<Server> {
    Ok(Server {
        id: get(r, 0)?,
        org_id: get(r, 1)?,
        name: get(r, 2)?,
        url: get(r, 3)?,
        description: get(r, 4)?,
        capabilities: get::<Option<&str>>(r, 5)?.map(json).transpose()?,
        tools: json(get(r, 6)?)?,
        default_mode: get(r, 7)?,
        status: get(r, 8)?,
        created_at: time(get(r, 9)?)?,
    })
}

const SESSION: &str = "org_id, id, agent_id, server_id, source, scope_ceiling, base_mode, elevated_until, \
     total_calls, read_calls, write_calls, denied_calls, head, created_at, last_activity_at";
fn session_row(r: &Row) -> Result<Session> {
    Ok(Session {
        org_id: get(r, 0)?,
        id: get(r, 1)?,
        agent_id: get(r, 2)?,
        server_id: get(r, 3)?,
        source: get(r, 4)?,
        scope_ceiling: json(get(r, 5)?)?,
        base_mode: get(r, 6)?,
        elevated_until: opt_time(get(r, 7)?)?,
        total_calls: count(get(r, 8)?),
        read_calls: count(get(r, 9)?),
        write_calls: count(get(r, 10)?),
        denied_calls: count(get(r, 11)?),
        head: get(r, 12)?,
        created_at: time(get(r, 13)?)?,
        last_activity_at: time(get(r, 14)?)?,
    })
}

const DECISION: &str = "org_id, session_id, seq, check_id, agent_id, action_name, effect, risk, allowed, reason, \
     reasons, guard_tier, confidence, input_digest, input_summary, approval_id, source, latency_us, decided_at, hash";
fn decision_row(r: &Row) -> Result<Decision> {
    Ok(Decision {
        org_id: get(r, 0)?,
        session_id: get(r, 1)?,
        seq: count(get(r, 2)?),
        check_id: get(r, 3)?,
        agent_id: get(r, 4)?,
        action_name: get(r, 5)?,
        effect: get(r, 6)?,
        risk: get(r, 7)?,
        allowed: get(r, 8)?,
        reason: get(r, 9)?,
        reasons: json(get(r, 10)?)?,
        guard_tier: get(r, 11)?,
        confidence: get(r, 12)?,
        input_digest: get(r, 13)?,
        input_summary: get(r, 14)?,
        approval_id: get(r, 15)?,
        source: get(r, 16)?,
        latency_us: count(get(r, 17)?),
        decided_at: time(get(r, 18)?)?,
        hash: get(r, 19)?,
    })
}

const APPROVAL: &str = "id, org_id, session_id, agent_id, kind, action_name, action_effect, input_digest, reason, \
     status, created_at, expires_at, decided_by, decided_at, used_at";
fn approval_row(r: &Row) -> Result<Approval> {
    Ok(Approval {
        id: get(r, 0)?,
        org_id: get(r, 1)?,
        session_id: get(r, 2)?,
        agent_id: get(r, 3)?,
        kind: get(r, 4)?,
        action_name: get(r, 5)?,
        action_effect: get(r, 6)?,
        input_digest: get(r, 7)?,
        reason: get(r, 8)?,
        status: get(r, 9)?,
        created_at: time(get(r, 10)?)?,
        expires_at: time(get(r, 11)?)?,
        decided_by: get(r, 12)?,
        decided_at: opt_time(get(r, 13)?)?,
        used_at: opt_time(get(r, 14)?)?,
    })
}

const TOKEN: &str = "id, org_id, agent_id, hash, scopes, session_id, issued_at, expires_at, revoked_at, revoke_reason";
fn token_row(r: &Row) -> Result<Token> {
    Ok(Token {
        id: get(r, 0)?,
        org_id: get(r, 1)?,
        agent_id: get(r, 2)?,
        hash: get(r, 3)?,
        scopes: json(get(r, 4)?)?,
        session_id: get(r, 5)?,
        issued_at: time(get(r, 6)?)?,
        expires_at: time(get(r, 7)?)?,
        revoked_at: opt_time(get(r, 8)?)?,
        revoke_reason: get(r, 9)?,
    })
}

const PIN: &str = "org_id, server_id, name, definition, digest, status, pending_definition, pending_digest, pinned_at, changed_at";
fn pin_row(r: &Row) -> Result<ToolPin> {
    Ok(ToolPin {
        org_id: get(r, 0)?,
        server_id: get(r, 1)?,
        name: get(r, 2)?,
        definition: get(r, 3)?,
        digest: get(r, 4)?,
        status: get(r, 5)?,
        pending_definition: get(r, 6)?,
        pending_digest: get(r, 7)?,
        pinned_at: time(get(r, 8)?)?,
        changed_at: opt_time(get(r, 9)?)?,
    })
}

impl PgTx<'_> {
    /// Notes a failed statement so the engine can roll back, retry or reconnect.
    fn note(&mut self, e: postgres::Error) -> StoreError {
        self.trouble.failed = true;
        if e.is_closed() {
            self.trouble.closed = true;
        }
        if retryable(&e) && self.trouble.retry.is_none() {
            self.trouble.retry = Some(e.to_string());
        }
        if session_created_meanwhile(&e) {
            self.trouble.rerun = true;
        }
        if e.code() == Some(&SqlState::LOCK_NOT_AVAILABLE) {
            self.trouble.busy = true;
        }
        StoreError::Postgres(e)
    }

    fn statement(&mut self, sql: &str) -> Result<Statement> {
        if let Some(s) = self.cache.get(sql) {
            return Ok(s.clone());
        }
        let prepared = self.client.prepare(sql);
        let s = prepared.map_err(|e| self.note(e))?;
        self.cache.insert(sql.to_string(), s.clone());
        Ok(s)
    }

    fn rows(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>> {
        let stmt = self.statement(sql)?;
        let rows = self.client.query(&stmt, params);
        rows.map_err(|e| self.note(e))
    }

    fn one<T>(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        f: impl FnOnce(&Row) -> Result<T>,
    ) -> Result<Option<T>> {
        self.rows(sql, params)?.first().map(f).transpose()
    }

    fn many<T>(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
        f: impl FnMut(&Row) -> Result<T>,
    ) -> Result<Vec<T>> {
        self.rows(sql, params)?.iter().map(f).collect()
    }

    fn exec(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64> {
        let stmt = self.statement(sql)?;
        let n = self.client.execute(&stmt, params);
        n.map_err(|e| self.note(e))
    }
}

impl Tx for PgTx<'_> {
    fn insert_org(&mut self, o: &Org) -> Result<()> {
        self.exec(
            "INSERT INTO orgs (id, name, default_mode, created_at) VALUES ($1, $2, $3, $4)",
            &[&o.id, &o.name, &o.default_mode, &ts(o.created_at)],
        )?;
        Ok(())
    }

    fn org(&mut self, id: &str) -> Result<Option<Org>> {
        self.one(
            &format!("SELECT {ORG} FROM orgs WHERE id = $1"),
            &[&id],
            org_row,
        )
    }

    fn org_by_name(&mut self, name: &str) -> Result<Option<Org>> {
        self.one(
            &format!("SELECT {ORG} FROM orgs WHERE name = $1"),
            &[&name],
            org_row,
        )
    }

    fn org_count(&mut self) -> Result<u64> {
        Ok(self
            .one("SELECT count(*) FROM orgs", &[], |r| get::<i64>(r, 0))?
            .map(count)
            .unwrap_or(0))
    }

    fn insert_api_key(&mut self, k: &ApiKey) -> Result<()> {
        self.exec(
            "INSERT INTO api_keys (id, org_id, hash, prefix, name, created_at, revoked_at, role) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            &[&k.id, &k.org_id, &k.hash, &k.prefix, &k.name, &ts(k.created_at), &opt_ts(k.revoked_at), &k.role],
        )?;
        Ok(())
    }

    fn api_key_by_hash(&mut self, hash: &str) -> Result<Option<ApiKey>> {
        self.one(
            &format!("SELECT {KEY} FROM api_keys WHERE hash = $1"),
            &[&hash],
            key_row,
        )
    }

    fn list_api_keys(&mut self, org_id: Option<&str>) -> Result<Vec<ApiKey>> {
        self.many(
            &format!(
                "SELECT {KEY} FROM api_keys WHERE $1::text IS NULL OR org_id = $1 ORDER BY created_at, id"
            ),
            &[&org_id],
            key_row,
        )
    }

    fn revoke_api_key(&mut self, id_or_prefix: &str, now: DateTime<Utc>) -> Result<bool> {
        let n = self.exec(
            "UPDATE api_keys SET revoked_at = $2 WHERE (id = $1 OR prefix = $1) AND revoked_at IS NULL",
            &[&id_or_prefix, &ts(now)],
        )?;
        Ok(n > 0)
    }

    fn insert_agent(&mut self, a: &Agent) -> Result<()> {
        self.exec(
            &format!(
                "INSERT INTO agents ({AGENT}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
            ),
            &[
                &a.id,
                &a.org_id,
                &a.name,
                &a.framework,
                &a.public_key,
                &a.status,
                &to_json(&a.capabilities)?,
                &to_json(&a.metadata)?,
                &ts(a.created_at),
                &opt_ts(a.revoked_at),
                &a.revoke_reason,
            ],
        )?;
        Ok(())
    }

    fn agent(&mut self, org_id: &str, id: &str) -> Result<Option<Agent>> {
        self.one(
            &format!("SELECT {AGENT} FROM agents WHERE org_id = $1 AND id = $2"),
            &[&org_id, &id],
            agent_row,
        )
    }

    fn list_agents(&mut self, org_id: &str) -> Result<Vec<Agent>> {
        self.many(
            &format!("SELECT {AGENT} FROM agents WHERE org_id = $1 ORDER BY created_at, id"),
            &[&org_id],
            agent_row,
        )
    }

    fn revoke_agent(
        &mut self,
        org_id: &str,
        id: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let now = ts(now);
        let n = self.exec(
            "UPDATE agents SET status = 'revoked', revoked_at = coalesce(revoked_at, $3), revoke_reason = coalesce(revoke_reason, $4) \
             WHERE org_id = $1 AND id = $2",
            &[&org_id, &id, &now, &reason],
        )?;
        if n > 0 {
            self.exec(
                "UPDATE tokens SET revoked_at = $3, revoke_reason = 'agent revoked' \
                 WHERE org_id = $1 AND agent_id = $2 AND revoked_at IS NULL",
                &[&org_id, &id, &now],
            )?;
        }
        Ok(n > 0)
    }

    fn insert_server(&mut self, s: &Server) -> Result<()> {
        let caps = s.capabilities.as_ref().map(to_json).transpose()?;
        self.exec(
            &format!(
                "INSERT INTO servers ({SERVER}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            ),
            &[
                &s.id,
                &s.org_id,
                &s.name,
                &s.url,
                &s.description,
                &caps,
                &to_json(&s.tools)?,
                &s.default_mode,
                &s.status,
                &ts(s.created_at),
            ],
        )?;
        Ok(())
    }

    fn server(&mut self, org_id: &str, id: &str) -> Result<Option<Server>> {
        self.one(
            &format!(
                "SELECT {SERVER} FROM servers WHERE org_id = $1 AND id = $2 AND status = 'active'"
            ),
            &[&org_id, &id],
            server_row,
        )
    }

    fn list_servers(&mut self, org_id: &str) -> Result<Vec<Server>> {
        self.many(
            &format!("SELECT {SERVER} FROM servers WHERE org_id = $1 AND status = 'active' ORDER BY created_at, id"),
            &[&org_id],
            server_row,
        )
    }

    fn delete_server(&mut self, org_id: &str, id: &str) -> Result<bool> {
        let n = self.exec(
            "UPDATE servers SET status = 'deleted' WHERE org_id = $1 AND id = $2 AND status = 'active'",
            &[&org_id, &id],
        )?;
        Ok(n > 0)
    }

    fn insert_session(&mut self, s: &Session) -> Result<()> {
        self.exec(
            &format!(
                "INSERT INTO sessions ({SESSION}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"
            ),
            &[
                &s.org_id,
                &s.id,
                &s.agent_id,
                &s.server_id,
                &s.source,
                &to_json(&s.scope_ceiling)?,
                &s.base_mode,
                &opt_ts(s.elevated_until),
                &big(s.total_calls),
                &big(s.read_calls),
                &big(s.write_calls),
                &big(s.denied_calls),
                &s.head,
                &ts(s.created_at),
                &ts(s.last_activity_at),
            ],
        )?;
        Ok(())
    }

    fn session(&mut self, org_id: &str, id: &str) -> Result<Option<Session>> {
        // The row stays locked until the transaction ends: whoever reads a session to update
        // it (a check, an elevation) is serialised with every other replica's.
        let lock = if self.nowait {
            "FOR UPDATE NOWAIT"
        } else {
            "FOR UPDATE"
        };
        self.one(
            &format!("SELECT {SESSION} FROM sessions WHERE org_id = $1 AND id = $2 {lock}"),
            &[&org_id, &id],
            session_row,
        )
    }

    fn update_session(&mut self, s: &Session) -> Result<()> {
        self.exec(
            "UPDATE sessions SET elevated_until = $3, total_calls = $4, read_calls = $5, write_calls = $6, \
             denied_calls = $7, head = $8, last_activity_at = $9 WHERE org_id = $1 AND id = $2",
            &[
                &s.org_id,
                &s.id,
                &opt_ts(s.elevated_until),
                &big(s.total_calls),
                &big(s.read_calls),
                &big(s.write_calls),
                &big(s.denied_calls),
                &s.head,
                &ts(s.last_activity_at),
            ],
        )?;
        Ok(())
    }

    fn insert_decision(&mut self, d: &Decision) -> Result<()> {
        self.exec(
            &format!(
                "INSERT INTO decisions ({DECISION}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)"
            ),
            &[
                &d.org_id,
                &d.session_id,
                &big(d.seq),
                &d.check_id,
                &d.agent_id,
                &d.action_name,
                &d.effect,
                &d.risk,
                &d.allowed,
                &d.reason,
                &to_json(&d.reasons)?,
                &d.guard_tier,
                &d.confidence,
                &d.input_digest,
                &d.input_summary,
                &d.approval_id,
                &d.source,
                &big(d.latency_us),
                &ts(d.decided_at),
                &d.hash,
            ],
        )?;
        Ok(())
    }

    fn decisions(
        &mut self,
        org_id: &str,
        session_id: &str,
        after: u64,
        limit: u64,
    ) -> Result<Vec<Decision>> {
        self.many(
            &format!(
                "SELECT {DECISION} FROM decisions WHERE org_id = $1 AND session_id = $2 AND seq > $3 ORDER BY seq LIMIT $4"
            ),
            &[&org_id, &session_id, &big(after), &big(limit)],
            decision_row,
        )
    }

    fn insert_approval(&mut self, a: &Approval) -> Result<()> {
        self.exec(
            &format!("INSERT INTO approvals ({APPROVAL}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)"),
            &[
                &a.id,
                &a.org_id,
                &a.session_id,
                &a.agent_id,
                &a.kind,
                &a.action_name,
                &a.action_effect,
                &a.input_digest,
                &a.reason,
                &a.status,
                &ts(a.created_at),
                &ts(a.expires_at),
                &a.decided_by,
                &opt_ts(a.decided_at),
                &opt_ts(a.used_at),
            ],
        )?;
        Ok(())
    }

    fn approval(&mut self, org_id: &str, id: &str) -> Result<Option<Approval>> {
        self.one(
            &format!("SELECT {APPROVAL} FROM approvals WHERE org_id = $1 AND id = $2"),
            &[&org_id, &id],
            approval_row,
        )
    }

    fn list_approvals(
        &mut self,
        org_id: &str,
        status: Option<&str>,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<Approval>> {
        let now = ts(now);
        let limit = big(limit);
        // `expired` is not stored: it is a pending approval past its deadline.
        match status {
            None => self.many(
                &format!(
                    "SELECT {APPROVAL} FROM approvals WHERE org_id = $1 ORDER BY created_at, id LIMIT $2"
                ),
                &[&org_id, &limit],
                approval_row,
            ),
            Some("pending") => self.many(
                &format!(
                    "SELECT {APPROVAL} FROM approvals WHERE org_id = $1 AND status = 'pending' AND expires_at > $2 ORDER BY created_at, id LIMIT $3"
                ),
                &[&org_id, &now, &limit],
                approval_row,
            ),
            Some("expired") => self.many(
                &format!(
                    "SELECT {APPROVAL} FROM approvals WHERE org_id = $1 AND status = 'pending' AND expires_at <= $2 ORDER BY created_at, id LIMIT $3"
                ),
                &[&org_id, &now, &limit],
                approval_row,
            ),
            Some(other) => self.many(
                &format!("SELECT {APPROVAL} FROM approvals WHERE org_id = $1 AND status = $2 ORDER BY created_at, id LIMIT $3"),
                &[&org_id, &other, &limit],
                approval_row,
            ),
        }
    }

    fn pending_elevation(
        &mut self,
        org_id: &str,
        session_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>> {
        self.one(
            "SELECT id FROM approvals WHERE org_id = $1 AND session_id = $2 AND kind = 'elevation' \
             AND status = 'pending' AND expires_at > $3 ORDER BY created_at LIMIT 1",
            &[&org_id, &session_id, &ts(now)],
            |r| get(r, 0),
        )
    }

    fn call_approvals(
        &mut self,
        org_id: &str,
        session_id: &str,
        action_name: &str,
        input_digest: &str,
        now: DateTime<Utc>,
    ) -> Result<CallApprovals> {
        let rows: Vec<(String, String)> = self.many(
            "SELECT id, status FROM approvals WHERE org_id = $1 AND session_id = $2 AND kind = 'call' \
             AND action_name = $3 AND input_digest = $4 AND status IN ('pending', 'approved') \
             AND used_at IS NULL AND expires_at > $5 ORDER BY created_at",
            &[&org_id, &session_id, &action_name, &input_digest, &ts(now)],
            |r| Ok((get(r, 0)?, get(r, 1)?)),
        )?;
        let mut out = CallApprovals::default();
        for (id, status) in rows {
            match status.as_str() {
                "approved" if out.approved.is_none() => out.approved = Some(id),
                "pending" if out.pending.is_none() => out.pending = Some(id),
                _ => {}
            }
        }
        Ok(out)
    }

    fn update_approval(&mut self, a: &Approval) -> Result<()> {
        self.exec(
            "UPDATE approvals SET status = $3, decided_by = $4, decided_at = $5, used_at = $6, expires_at = $7 \
             WHERE org_id = $1 AND id = $2",
            &[&a.org_id, &a.id, &a.status, &a.decided_by, &opt_ts(a.decided_at), &opt_ts(a.used_at), &ts(a.expires_at)],
        )?;
        Ok(())
    }

    fn insert_token(&mut self, t: &Token) -> Result<()> {
        self.exec(
            &format!(
                "INSERT INTO tokens ({TOKEN}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            ),
            &[
                &t.id,
                &t.org_id,
                &t.agent_id,
                &t.hash,
                &to_json(&t.scopes)?,
                &t.session_id,
                &ts(t.issued_at),
                &ts(t.expires_at),
                &opt_ts(t.revoked_at),
                &t.revoke_reason,
            ],
        )?;
        Ok(())
    }

    fn token_by_hash(&mut self, hash: &str) -> Result<Option<Token>> {
        self.one(
            &format!("SELECT {TOKEN} FROM tokens WHERE hash = $1"),
            &[&hash],
            token_row,
        )
    }

    fn revoke_token(
        &mut self,
        org_id: &str,
        hash: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<bool> {
        let n = self.exec(
            "UPDATE tokens SET revoked_at = $3, revoke_reason = $4 WHERE org_id = $1 AND hash = $2 AND revoked_at IS NULL",
            &[&org_id, &hash, &ts(now), &reason],
        )?;
        Ok(n > 0)
    }

    fn tool_pin(&mut self, org_id: &str, server_id: &str, name: &str) -> Result<Option<ToolPin>> {
        self.one(
            &format!(
                "SELECT {PIN} FROM tool_pins WHERE org_id = $1 AND server_id = $2 AND name = $3"
            ),
            &[&org_id, &server_id, &name],
            pin_row,
        )
    }

    fn tool_pins(&mut self, org_id: &str, server_id: &str) -> Result<Vec<ToolPin>> {
        self.many(
            &format!(
                "SELECT {PIN} FROM tool_pins WHERE org_id = $1 AND server_id = $2 ORDER BY name"
            ),
            &[&org_id, &server_id],
            pin_row,
        )
    }

    fn put_tool_pin(&mut self, p: &ToolPin) -> Result<()> {
        self.exec(
            &format!(
                "INSERT INTO tool_pins ({PIN}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
                 ON CONFLICT (org_id, server_id, name) DO UPDATE SET definition = EXCLUDED.definition, \
                 digest = EXCLUDED.digest, status = EXCLUDED.status, pending_definition = EXCLUDED.pending_definition, \
                 pending_digest = EXCLUDED.pending_digest, pinned_at = EXCLUDED.pinned_at, changed_at = EXCLUDED.changed_at"
            ),
            &[
                &p.org_id,
                &p.server_id,
                &p.name,
                &p.definition,
                &p.digest,
                &p.status,
                &p.pending_definition,
                &p.pending_digest,
                &ts(p.pinned_at),
                &opt_ts(p.changed_at),
            ],
        )?;
        Ok(())
    }

    fn insert_telemetry(
        &mut self,
        org_id: &str,
        agent_id: &str,
        session_id: &str,
        events: &[TelemetryEvent],
        now: DateTime<Utc>,
    ) -> Result<()> {
        let now = ts(now);
        for e in events {
            self.exec(
                "INSERT INTO telemetry (org_id, agent_id, session_id, event_type, tool_name, duration_ms, success, error_type, timestamp, received_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                &[&org_id, &agent_id, &session_id, &e.event_type, &e.tool_name, &e.duration_ms, &e.success, &e.error_type, &e.timestamp, &now],
            )?;
        }
        Ok(())
    }
}
