//! Reading the audit trail page by page, for the console: an organization's sessions with
//! filters, one session's overview and decision log newest first, and searches of the
//! organization's decision log. Every read is scoped to the caller's organization; pages are
//! keyset-paged (the next page starts after the last row of this one).

use chrono::{DateTime, Utc};

pub use airlock_store::log_search::{ActionMatch, DecisionQuery, SessionQuery};
pub use airlock_store::model::{Agent, Decision, Server, Session};

use super::{Caller, Service, ServiceError, validate};

/// The most rows one page may hold.
pub const MAX_PAGE: u64 = 200;

/// A page of rows and where the next one starts (absent on the last page).
#[derive(Debug, Clone)]
pub struct Page<T, C> {
    pub rows: Vec<T>,
    pub next: Option<C>,
}

/// Where a page of sessions starts: after this (last activity, session id).
pub type SessionCursor = (DateTime<Utc>, String);
/// Where a page of decisions starts: after this (decided at, session id, seq).
pub type DecisionCursor = (DateTime<Utc>, String, u64);

/// A session with what its page shows about its agent and server.
#[derive(Debug, Clone)]
pub struct SessionOverview {
    pub session: Session,
    /// Absent when the agent is no longer registered.
    pub agent: Option<Agent>,
    pub server: Option<Server>,
}

fn page_size(limit: u64) -> u64 {
    limit.clamp(1, MAX_PAGE)
}

fn check_ids(pairs: &[(&str, &Option<String>)]) -> Result<(), ServiceError> {
    for (field, value) in pairs {
        if let Some(v) = value {
            validate::text(field, v, validate::MAX_ID)?;
        }
    }
    Ok(())
}

impl Service {
    /// A page of the organization's sessions, latest activity first. `query.limit` is the
    /// page size (1..=200); `query.after` the cursor of the page before.
    pub async fn search_sessions(
        &self,
        caller: &Caller,
        mut query: SessionQuery,
    ) -> Result<Page<Session, SessionCursor>, ServiceError> {
        check_ids(&[
            ("agent", &query.agent_id),
            ("server", &query.server_id),
            ("mode", &query.base_mode),
        ])?;
        let size = page_size(query.limit);
        query.limit = size + 1;
        let org = caller.org_id.clone();
        let mut rows = self
            .store()
            .run(move |tx| tx.search_sessions(&org, &query))
            .await?;
        let next = if rows.len() as u64 > size {
            rows.truncate(size as usize);
            rows.last().map(|s| (s.last_activity_at, s.id.clone()))
        } else {
            None
        };
        Ok(Page { rows, next })
    }

    /// A session of the caller's organization with its agent and server.
    pub async fn session_overview(
        &self,
        caller: &Caller,
        session_id: &str,
    ) -> Result<SessionOverview, ServiceError> {
        let (org, key) = (caller.org_id.clone(), session_id.to_string());
        let found = self
            .store()
            .run(move |tx| {
                let Some(session) = tx.session(&org, &key)? else {
                    return Ok(None);
                };
                let agent = tx.agent(&org, &session.agent_id)?;
                let server = match &session.server_id {
                    Some(id) => tx.server(&org, id)?,
                    None => None,
                };
                Ok(Some(SessionOverview {
                    session,
                    agent,
                    server,
                }))
            })
            .await?;
        found.ok_or_else(|| ServiceError::not_found("session", session_id))
    }

    /// A page of a session's decision log, newest first: those with a sequence number below
    /// `before` (the newest when absent). The cursor is the last row's sequence number.
    pub async fn session_log_page(
        &self,
        caller: &Caller,
        session_id: &str,
        before: Option<u64>,
        limit: u64,
    ) -> Result<Page<Decision, u64>, ServiceError> {
        let size = page_size(limit);
        let (org, key) = (caller.org_id.clone(), session_id.to_string());
        let found = self
            .store()
            .run(move |tx| {
                if tx.session(&org, &key)?.is_none() {
                    return Ok(None);
                }
                tx.session_decisions_before(&org, &key, before, size + 1)
                    .map(Some)
            })
            .await?;
        let mut rows = found.ok_or_else(|| ServiceError::not_found("session", session_id))?;
        let next = if rows.len() as u64 > size {
            rows.truncate(size as usize);
            rows.last().map(|d| d.seq)
        } else {
            None
        };
        Ok(Page { rows, next })
    }

    /// A page of the organization's decision log, newest first, matching `query`.
    pub async fn search_decisions(
        &self,
        caller: &Caller,
        mut query: DecisionQuery,
    ) -> Result<Page<Decision, DecisionCursor>, ServiceError> {
        check_ids(&[
            ("agent", &query.agent_id),
            ("session", &query.session_id),
            ("effect", &query.effect),
        ])?;
        if let Some(ActionMatch::Exact(a) | ActionMatch::Prefix(a)) = &query.action {
            validate::text("action", a, validate::MAX_NAME)?;
        }
        if let Some(r) = &query.rule {
            validate::text("rule", r, validate::MAX_NAME)?;
        }
        if let (Some(from), Some(to)) = (query.from, query.to)
            && from >= to
        {
            return Err(ServiceError::invalid("to", "must be later than from"));
        }
        let size = page_size(query.limit);
        query.limit = size + 1;
        let org = caller.org_id.clone();
        let mut rows = self
            .store()
            .run(move |tx| tx.search_decisions(&org, &query))
            .await?;
        let next = if rows.len() as u64 > size {
            rows.truncate(size as usize);
            rows.last()
                .map(|d| (d.decided_at, d.session_id.clone(), d.seq))
        } else {
            None
        };
        Ok(Page { rows, next })
    }
}
