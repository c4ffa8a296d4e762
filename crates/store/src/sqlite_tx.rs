//! The SQLite implementation of [`Tx`].

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, Transaction, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::StoreError;
use crate::model::*;
use crate::tx::{CallApprovals, Result, Tx};

pub struct SqliteTx<'a> {
    txn: &'a Transaction<'a>,
}

impl<'a> SqliteTx<'a> {
    pub(crate) fn new(txn: &'a Transaction<'a>) -> Self {
        SqliteTx { txn }
    }
}

fn time(s: &str) -> rusqlite::Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| {
            rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
        })
}

fn opt_time(s: Option<String>) -> rusqlite::Result<Option<DateTime<Utc>>> {
    s.as_deref().map(time).transpose()
}

fn json<T: DeserializeOwned>(s: &str) -> rusqlite::Result<T> {
    serde_json::from_str(s).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn to_json<T: Serialize>(v: &T) -> Result<String> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn opt_ts(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(ts)
}

const ORG: &str = "id, name, default_mode, created_at";
fn org_row(r: &Row<'_>) -> rusqlite::Result<Org> {
    Ok(Org {
        id: r.get(0)?,
        name: r.get(1)?,
        default_mode: r.get(2)?,
        created_at: time(&r.get::<_, String>(3)?)?,
    })
}

const KEY: &str = "id, org_id, hash, prefix, name, created_at, revoked_at, role";
fn key_row(r: &Row<'_>) -> rusqlite::Result<ApiKey> {
    Ok(ApiKey {
        id: r.get(0)?,
        org_id: r.get(1)?,
        hash: r.get(2)?,
        prefix: r.get(3)?,
        name: r.get(4)?,
        created_at: time(&r.get::<_, String>(5)?)?,
        revoked_at: opt_time(r.get(6)?)?,
        role: r.get(7)?,
    })
}

const AGENT: &str = "id, org_id, name, framework, public_key, status, capabilities, metadata, created_at, revoked_at, revoke_reason";
fn agent_row(r: &Row<'_>) -> rusqlite::Result<Agent> {
    Ok(Agent {
        id: r.get(0)?,
        org_id: r.get(1)?,
        name: r.get(2)?,
        framework: r.get(3)?,
        public_key: r.get(4)?,
        status: r.get(5)?,
        capabilities: json(&r.get::<_, String>(6)?)?,
        metadata: json(&r.get::<_, String>(7)?)?,
        created_at: time(&r.get::<_, String>(8)?)?,
        revoked_at: opt_time(r.get(9)?)?,
        revoke_reason: r.get(10)?,
    })
}

const SERVER: &str =
    "id, org_id, name, url, description, capabilities, tools, default_mode, status, created_at";
fn server_row(r: &Row<'_>) -> rusqlite::Result<Server> {
    Ok(Server {
        id: r.get(0)?,
        org_id: r.get(1)?,
        name: r.get(2)?,
        url: r.get(3)?,
        description: r.get(4)?,
        capabilities: r
            .get::<_, Option<String>>(5)?
            .as_deref()
            .map(json)
            .transpose()?,
        tools: json(&r.get::<_, String>(6)?)?,
        default_mode: r.get(7)?,
        status: r.get(8)?,
        created_at: time(&r.get::<_, String>(9)?)?,
    })
}

const SESSION: &str = "org_id, id, agent_id, server_id, source, scope_ceiling, base_mode, elevated_until, \
     total_calls, read_calls, write_calls, denied_calls, head, created_at, last_activity_at";
fn session_row(r: &Row<'_>) -> rusqlite::Result<Session> {
    Ok(Session {
        org_id: r.get(0)?,
        id: r.get(1)?,
        agent_id: r.get(2)?,
        server_id: r.get(3)?,
        source: r.get(4)?,
        scope_ceiling: json(&r.get::<_, String>(5)?)?,
        base_mode: r.get(6)?,
        elevated_until: opt_time(r.get(7)?)?,
        total_calls: r.get::<_, i64>(8)?.max(0) as u64,
        read_calls: r.get::<_, i64>(9)?.max(0) as u64,
        write_calls: r.get::<_, i64>(10)?.max(0) as u64,
        denied_calls: r.get::<_, i64>(11)?.max(0) as u64,
        head: r.get(12)?,
        created_at: time(&r.get::<_, String>(13)?)?,
        last_activity_at: time(&r.get::<_, String>(14)?)?,
    })
}

const DECISION: &str = "org_id, session_id, seq, check_id, agent_id, action_name, effect, risk, allowed, reason, \
     reasons, guard_tier, confidence, input_digest, input_summary, approval_id, source, latency_us, decided_at, hash";
fn decision_row(r: &Row<'_>) -> rusqlite::Result<Decision> {
    Ok(Decision {
        org_id: r.get(0)?,
        session_id: r.get(1)?,
        seq: r.get::<_, i64>(2)?.max(0) as u64,
        check_id: r.get(3)?,
        agent_id: r.get(4)?,
        action_name: r.get(5)?,
        effect: r.get(6)?,
        risk: r.get(7)?,
        allowed: r.get(8)?,
        reason: r.get(9)?,
        reasons: json(&r.get::<_, String>(10)?)?,
        guard_tier: r.get(11)?,
        confidence: r.get(12)?,
        input_digest: r.get(13)?,
        input_summary: r.get(14)?,
        approval_id: r.get(15)?,
        source: r.get(16)?,
        latency_us: r.get::<_, i64>(17)?.max(0) as u64,
        decided_at: time(&r.get::<_, String>(18)?)?,
        hash: r.get(19)?,
    })
}

const APPROVAL: &str = "id, org_id, session_id, agent_id, kind, action_name, action_effect, input_digest, reason, \
     status, created_at, expires_at, decided_by, decided_at, used_at";
fn approval_row(r: &Row<'_>) -> rusqlite::Result<Approval> {
    Ok(Approval {
        id: r.get(0)?,
        org_id: r.get(1)?,
        session_id: r.get(2)?,
        agent_id: r.get(3)?,
        kind: r.get(4)?,
        action_name: r.get(5)?,
        action_effect: r.get(6)?,
        input_digest: r.get(7)?,
        reason: r.get(8)?,
        status: r.get(9)?,
        created_at: time(&r.get::<_, String>(10)?)?,
        expires_at: time(&r.get::<_, String>(11)?)?,
        decided_by: r.get(12)?,
        decided_at: opt_time(r.get(13)?)?,
        used_at: opt_time(r.get(14)?)?,
    })
}

const TOKEN: &str = "id, org_id, agent_id, hash, scopes, session_id, issued_at, expires_at, revoked_at, revoke_reason";
fn token_row(r: &Row<'_>) -> rusqlite::Result<Token> {
    Ok(Token {
        id: r.get(0)?,
        org_id: r.get(1)?,
        agent_id: r.get(2)?,
        hash: r.get(3)?,
        scopes: json(&r.get::<_, String>(4)?)?,
        session_id: r.get(5)?,
        issued_at: time(&r.get::<_, String>(6)?)?,
        expires_at: time(&r.get::<_, String>(7)?)?,
        revoked_at: opt_time(r.get(8)?)?,
        revoke_reason: r.get(9)?,
    })
}

const PIN: &str = "org_id, server_id, name, definition, digest, status, pending_definition, pending_digest, pinned_at, changed_at";
fn pin_row(r: &Row<'_>) -> rusqlite::Result<ToolPin> {
    Ok(ToolPin {
        org_id: r.get(0)?,
        server_id: r.get(1)?,
        name: r.get(2)?,
        definition: r.get(3)?,
        digest: r.get(4)?,
        status: r.get(5)?,
        pending_definition: r.get(6)?,
        pending_digest: r.get(7)?,
        pinned_at: time(&r.get::<_, String>(8)?)?,
        changed_at: opt_time(r.get(9)?)?,
    })
}

impl SqliteTx<'_> {
    fn one<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        f: impl FnOnce(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Option<T>> {
        Ok(self
            .txn
            .prepare_cached(sql)?
            .query_row(params, f)
            .optional()?)
    }

    fn many<T>(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        f: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut stmt = self.txn.prepare_cached(sql)?;
        let rows = stmt.query_map(params, f)?;
        Ok(rows.collect::<rusqlite::Result<Vec<T>>>()?)
    }

    fn exec(&self, sql: &str, params: impl rusqlite::Params) -> Result<usize> {
        Ok(self.txn.prepare_cached(sql)?.execute(params)?)
    }
}

impl Tx for SqliteTx<'_> {
    fn insert_org(&mut self, o: &Org) -> Result<()> {
        self.exec(
            "INSERT INTO orgs (id, name, default_mode, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![o.id, o.name, o.default_mode, ts(o.created_at)],
        )?;
        Ok(())
    }

    fn org(&mut self, id: &str) -> Result<Option<Org>> {
        self.one(
            &format!("SELECT {ORG} FROM orgs WHERE id = ?1"),
            [id],
            org_row,
        )
    }

    fn org_by_name(&mut self, name: &str) -> Result<Option<Org>> {
        self.one(
            &format!("SELECT {ORG} FROM orgs WHERE name = ?1"),
            [name],
            org_row,
        )
    }

    fn org_count(&mut self) -> Result<u64> {
        Ok(self
            .one("SELECT count(*) FROM orgs", [], |r| r.get::<_, i64>(0))?
            .unwrap_or(0)
            .max(0) as u64)
    }

    fn insert_api_key(&mut self, k: &ApiKey) -> Result<()> {
        self.exec(
            "INSERT INTO api_keys (id, org_id, hash, prefix, name, created_at, revoked_at, role) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            params![
                k.id,
                k.org_id,
                k.hash,
                k.prefix,
                k.name,
                ts(k.created_at),
                opt_ts(k.revoked_at),
                k.role
            ],
        )?;
        Ok(())
    }

    fn api_key_by_hash(&mut self, hash: &str) -> Result<Option<ApiKey>> {
        self.one(
            &format!("SELECT {KEY} FROM api_keys WHERE hash = ?1"),
            [hash],
            key_row,
        )
    }

    fn list_api_keys(&mut self, org_id: Option<&str>) -> Result<Vec<ApiKey>> {
        self.many(
            &format!(
                "SELECT {KEY} FROM api_keys WHERE ?1 IS NULL OR org_id = ?1 ORDER BY created_at, id"
            ),
            [org_id],
            key_row,
        )
    }

    fn revoke_api_key(&mut self, id_or_prefix: &str, now: DateTime<Utc>) -> Result<bool> {
        let n = self.exec(
            "UPDATE api_keys SET revoked_at = ?2 WHERE (id = ?1 OR prefix = ?1) AND revoked_at IS NULL",
            params![id_or_prefix, ts(now)],
        )?;
        Ok(n > 0)
    }

    fn insert_agent(&mut self, a: &Agent) -> Result<()> {
        self.exec(
            &format!(
                "INSERT INTO agents ({AGENT}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
            ),
            params![
                a.id,
                a.org_id,
                a.name,
                a.framework,
                a.public_key,
                a.status,
                to_json(&a.capabilities)?,
                to_json(&a.metadata)?,
                ts(a.created_at),
                opt_ts(a.revoked_at),
                a.revoke_reason
            ],
        )?;
        Ok(())
    }

    fn agent(&mut self, org_id: &str, id: &str) -> Result<Option<Agent>> {
        self.one(
            &format!("SELECT {AGENT} FROM agents WHERE org_id = ?1 AND id = ?2"),
            [org_id, id],
            agent_row,
        )
    }

    fn list_agents(&mut self, org_id: &str) -> Result<Vec<Agent>> {
        self.many(
            &format!("SELECT {AGENT} FROM agents WHERE org_id = ?1 ORDER BY created_at, id"),
            [org_id],
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
        let n = self.exec(
            "UPDATE agents SET status = 'revoked', revoked_at = coalesce(revoked_at, ?3), revoke_reason = coalesce(revoke_reason, ?4) \
             WHERE org_id = ?1 AND id = ?2",
            params![org_id, id, ts(now), reason],
        )?;
        if n > 0 {
            self.exec(
                "UPDATE tokens SET revoked_at = ?3, revoke_reason = 'agent revoked' \
                 WHERE org_id = ?1 AND agent_id = ?2 AND revoked_at IS NULL",
                params![org_id, id, ts(now)],
            )?;
        }
        Ok(n > 0)
    }

    fn insert_server(&mut self, s: &Server) -> Result<()> {
        let caps = s.capabilities.as_ref().map(to_json).transpose()?;
        self.exec(
            &format!(
                "INSERT INTO servers ({SERVER}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            ),
            params![
                s.id,
                s.org_id,
                s.name,
                s.url,
                s.description,
                caps,
                to_json(&s.tools)?,
                s.default_mode,
                s.status,
                ts(s.created_at)
            ],
        )?;
        Ok(())
    }

    fn server(&mut self, org_id: &str, id: &str) -> Result<Option<Server>> {
        self.one(
            &format!(
                "SELECT {SERVER} FROM servers WHERE org_id = ?1 AND id = ?2 AND status = 'active'"
            ),
            [org_id, id],
            server_row,
        )
    }

    fn list_servers(&mut self, org_id: &str) -> Result<Vec<Server>> {
        self.many(
            &format!("SELECT {SERVER} FROM servers WHERE org_id = ?1 AND status = 'active' ORDER BY created_at, id"),
            [org_id],
            server_row,
        )
    }

    fn delete_server(&mut self, org_id: &str, id: &str) -> Result<bool> {
        let n = self.exec(
            "UPDATE servers SET status = 'deleted' WHERE org_id = ?1 AND id = ?2 AND status = 'active'",
            [org_id, id],
        )?;
        Ok(n > 0)
    }

    fn insert_session(&mut self, s: &Session) -> Result<()> {
        self.exec(
            &format!(
                "INSERT INTO sessions ({SESSION}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
            ),
            params![
                s.org_id,
                s.id,
                s.agent_id,
                s.server_id,
                s.source,
                to_json(&s.scope_ceiling)?,
                s.base_mode,
                opt_ts(s.elevated_until),
                s.total_calls as i64,
                s.read_calls as i64,
                s.write_calls as i64,
                s.denied_calls as i64,
                s.head,
                ts(s.created_at),
                ts(s.last_activity_at)
            ],
        )?;
        Ok(())
    }

    fn session(&mut self, org_id: &str, id: &str) -> Result<Option<Session>> {
        self.one(
            &format!("SELECT {SESSION} FROM sessions WHERE org_id = ?1 AND id = ?2"),
            [org_id, id],
            session_row,
        )
    }

    fn update_session(&mut self, s: &Session) -> Result<()> {
        self.exec(
            "UPDATE sessions SET elevated_until = ?3, total_calls = ?4, read_calls = ?5, write_calls = ?6, \
             denied_calls = ?7, head = ?8, last_activity_at = ?9 WHERE org_id = ?1 AND id = ?2",
            params![
                s.org_id,
                s.id,
                opt_ts(s.elevated_until),
                s.total_calls as i64,
                s.read_calls as i64,
                s.write_calls as i64,
                s.denied_calls as i64,
                s.head,
                ts(s.last_activity_at)
            ],
        )?;
        Ok(())
    }

    fn insert_decision(&mut self, d: &Decision) -> Result<()> {
        self.exec(
            &format!(
                "INSERT INTO decisions ({DECISION}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20)"
            ),
            params![
                d.org_id,
                d.session_id,
                d.seq as i64,
                d.check_id,
                d.agent_id,
                d.action_name,
                d.effect,
                d.risk,
                d.allowed,
                d.reason,
                to_json(&d.reasons)?,
                d.guard_tier,
                d.confidence,
                d.input_digest,
                d.input_summary,
                d.approval_id,
                d.source,
                d.latency_us as i64,
                ts(d.decided_at),
                d.hash
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
                "SELECT {DECISION} FROM decisions WHERE org_id = ?1 AND session_id = ?2 AND seq > ?3 ORDER BY seq LIMIT ?4"
            ),
            params![org_id, session_id, after as i64, limit.min(i64::MAX as u64) as i64],
            decision_row,
        )
    }

    fn insert_approval(&mut self, a: &Approval) -> Result<()> {
        self.exec(
            &format!("INSERT INTO approvals ({APPROVAL}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"),
            params![
                a.id,
                a.org_id,
                a.session_id,
                a.agent_id,
                a.kind,
                a.action_name,
                a.action_effect,
                a.input_digest,
                a.reason,
                a.status,
                ts(a.created_at),
                ts(a.expires_at),
                a.decided_by,
                opt_ts(a.decided_at),
                opt_ts(a.used_at)
            ],
        )?;
        Ok(())
    }

    fn approval(&mut self, org_id: &str, id: &str) -> Result<Option<Approval>> {
        self.one(
            &format!("SELECT {APPROVAL} FROM approvals WHERE org_id = ?1 AND id = ?2"),
            [org_id, id],
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
        let limit = limit.min(i64::MAX as u64) as i64;
        // `expired` is not stored: it is a pending approval past its deadline.
        let sql = match status {
            None => format!(
                "SELECT {APPROVAL} FROM approvals WHERE org_id = ?1 AND ?2 = ?2 ORDER BY created_at, id LIMIT ?3"
            ),
            Some("pending") => format!(
                "SELECT {APPROVAL} FROM approvals WHERE org_id = ?1 AND status = 'pending' AND expires_at > ?2 ORDER BY created_at, id LIMIT ?3"
            ),
            Some("expired") => format!(
                "SELECT {APPROVAL} FROM approvals WHERE org_id = ?1 AND status = 'pending' AND expires_at <= ?2 ORDER BY created_at, id LIMIT ?3"
            ),
            Some(other) => {
                return self.many(
                    &format!("SELECT {APPROVAL} FROM approvals WHERE org_id = ?1 AND status = ?2 ORDER BY created_at, id LIMIT ?3"),
                    params![org_id, other, limit],
                    approval_row,
                );
            }
        };
        self.many(&sql, params![org_id, now, limit], approval_row)
    }

    fn pending_elevation(
        &mut self,
        org_id: &str,
        session_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>> {
        // The deadline is compared here, not bound into the query: a bound range makes SQLite
        // (built with STAT4) re-prepare the statement on every call.
        let now = ts(now);
        let rows: Vec<(String, String)> = self.many(
            "SELECT id, expires_at FROM approvals INDEXED BY approvals_session WHERE org_id = ?1 AND session_id = ?2 \
             AND kind = 'elevation' AND status = 'pending' ORDER BY created_at",
            params![org_id, session_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        Ok(rows
            .into_iter()
            .find(|(_, expires)| *expires > now)
            .map(|(id, _)| id))
    }

    fn call_approvals(
        &mut self,
        org_id: &str,
        session_id: &str,
        action_name: &str,
        input_digest: &str,
        now: DateTime<Utc>,
    ) -> Result<CallApprovals> {
        let now = ts(now);
        let rows: Vec<(String, String, String)> = self.many(
            "SELECT id, status, expires_at FROM approvals INDEXED BY approvals_session WHERE org_id = ?1 AND session_id = ?2 \
             AND kind = 'call' AND action_name = ?3 AND input_digest = ?4 AND status IN ('pending', 'approved') \
             AND used_at IS NULL ORDER BY created_at",
            params![org_id, session_id, action_name, input_digest],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        let mut out = CallApprovals::default();
        for (id, status, _) in rows.into_iter().filter(|(_, _, expires)| *expires > now) {
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
            "UPDATE approvals SET status = ?3, decided_by = ?4, decided_at = ?5, used_at = ?6, expires_at = ?7 \
             WHERE org_id = ?1 AND id = ?2",
            params![a.org_id, a.id, a.status, a.decided_by, opt_ts(a.decided_at), opt_ts(a.used_at), ts(a.expires_at)],
        )?;
        Ok(())
    }

    fn insert_token(&mut self, t: &Token) -> Result<()> {
        self.exec(
            &format!(
                "INSERT INTO tokens ({TOKEN}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            ),
            params![
                t.id,
                t.org_id,
                t.agent_id,
                t.hash,
                to_json(&t.scopes)?,
                t.session_id,
                ts(t.issued_at),
                ts(t.expires_at),
                opt_ts(t.revoked_at),
                t.revoke_reason
            ],
        )?;
        Ok(())
    }

    fn token_by_hash(&mut self, hash: &str) -> Result<Option<Token>> {
        self.one(
            &format!("SELECT {TOKEN} FROM tokens WHERE hash = ?1"),
            [hash],
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
            "UPDATE tokens SET revoked_at = ?3, revoke_reason = ?4 WHERE org_id = ?1 AND hash = ?2 AND revoked_at IS NULL",
            params![org_id, hash, ts(now), reason],
        )?;
        Ok(n > 0)
    }

    fn tool_pin(&mut self, org_id: &str, server_id: &str, name: &str) -> Result<Option<ToolPin>> {
        self.one(
            &format!(
                "SELECT {PIN} FROM tool_pins WHERE org_id = ?1 AND server_id = ?2 AND name = ?3"
            ),
            [org_id, server_id, name],
            pin_row,
        )
    }

    fn tool_pins(&mut self, org_id: &str, server_id: &str) -> Result<Vec<ToolPin>> {
        self.many(
            &format!(
                "SELECT {PIN} FROM tool_pins WHERE org_id = ?1 AND server_id = ?2 ORDER BY name"
            ),
            [org_id, server_id],
            pin_row,
        )
    }

    fn put_tool_pin(&mut self, p: &ToolPin) -> Result<()> {
        self.exec(
            &format!("INSERT OR REPLACE INTO tool_pins ({PIN}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
            params![
                p.org_id,
                p.server_id,
                p.name,
                p.definition,
                p.digest,
                p.status,
                p.pending_definition,
                p.pending_digest,
                ts(p.pinned_at),
                opt_ts(p.changed_at)
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
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![org_id, agent_id, session_id, e.event_type, e.tool_name, e.duration_ms, e.success, e.error_type, e.timestamp, now],
            )?;
        }
        Ok(())
    }
}
