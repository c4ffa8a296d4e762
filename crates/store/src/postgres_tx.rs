//! PostgreSQL's side of the shared queries: its rows, its statements (prepared once per
//! connection and cached), its dialect, and what a failed statement means for the batch. The
//! queries themselves are in `queries.rs`.
//!
//! [`crate::Tx::session`] locks the session row (`SELECT … FOR UPDATE`) until the transaction
//! ends: checks of one session on any replica are serialised, so counters and the chain stay
//! exact.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use postgres::Statement;
use postgres::error::SqlState;
use postgres::types::{FromSql, ToSql, Type};

use crate::StoreError;
use crate::model::Session;
use crate::org_cache::{Guess, KeptSession, OrgCache, lock};
use crate::postgres_conn::{Conn, reads_only};
use crate::postgres_record::Fields;
use crate::sql::{Db, Dialect, Kind, Lock, Param, Result, Row, Sql};

/// PostgreSQL's placeholders are `$n`; it compares deadlines in the query.
pub(crate) static DIALECT: Dialect = Dialect {
    kind: Kind::Postgres,
    param: '$',
    session_approvals: "approvals",
    call_approvals: "approvals",
    session_decisions: "decisions",
    deadline_in_query: true,
    joined_check: true,
};

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
    /// The request was answered from a guess ([`OrgCache::guess`]) that its record did not
    /// prove, or that another statement came before: nothing was written, and it runs again
    /// in place, without guessing.
    pub(crate) stale: bool,
    /// A guess no record has proven yet: an attempt that ends with one is stale.
    pub(crate) guess: Option<Guess>,
    /// The sessions this request recorded, as written: kept once its transaction commits.
    pub(crate) kept: Vec<KeptSession>,
}

impl Trouble {
    /// The attempt must run again in place, without guessing: its guess went unproven and
    /// nothing else went wrong.
    pub(crate) fn unproven(&self) -> bool {
        (self.stale || self.guess.is_some()) && !self.failed && !self.closed
    }
}

/// A statement prepared on a connection, and whether it only reads (`reads_only`).
#[derive(Clone)]
pub(crate) struct Prepared {
    statement: Statement,
    reads: bool,
}

pub(crate) struct PgTx<'a> {
    client: &'a mut Conn,
    cache: &'a mut HashMap<String, Prepared>,
    orgs: &'a Arc<Mutex<OrgCache>>,
    trouble: &'a mut Trouble,
    /// The transaction already holds other requests' locks: never wait for a session lock
    /// (waiting while holding locks is how two batches deadlock).
    nowait: bool,
    /// A check may be answered from a guess ([`OrgCache::guess`]).
    guesses: bool,
    /// Statements sent that may write.
    writes: u32,
    /// Whether the session the check read may have approvals, as read.
    may_have_approvals: Option<bool>,
}

impl<'a> PgTx<'a> {
    pub(crate) fn new(
        client: &'a mut Conn,
        cache: &'a mut HashMap<String, Prepared>,
        orgs: &'a Arc<Mutex<OrgCache>>,
        trouble: &'a mut Trouble,
        nowait: bool,
        guesses: bool,
    ) -> Self {
        PgTx {
            client,
            cache,
            orgs,
            trouble,
            nowait,
            guesses,
            writes: 0,
            may_have_approvals: None,
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

impl PgTx<'_> {
    /// Notes a failed statement so the engine can roll back, retry or reconnect. (A deferred
    /// write's error is noted by the statement it was sent with.)
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

    fn statement(&mut self, sql: &'static Sql) -> Result<Prepared> {
        self.unguessed()?;
        let sql = sql.text(&DIALECT);
        if let Some(s) = self.cache.get(sql) {
            if !s.reads {
                self.writes += 1;
            }
            return Ok(s.clone());
        }
        let prepared = self.client.prepare(sql);
        let statement = prepared.map_err(|e| self.note(e))?;
        let s = Prepared {
            statement,
            reads: reads_only(sql),
        };
        self.cache.insert(sql.to_string(), s.clone());
        if !s.reads {
            self.writes += 1;
        }
        Ok(s)
    }

    /// Before any statement: a guess no record has proven makes the attempt stale (the
    /// statement could act on it); so does an earlier stale guess.
    fn unguessed(&mut self) -> Result<()> {
        if let Some(guess) = self.trouble.guess.take() {
            lock(self.orgs).forget_session(&guess.kept.session.org_id, &guess.kept.session.id);
            self.trouble.stale = true;
        }
        if self.trouble.stale {
            return Err(StoreError::Stale);
        }
        Ok(())
    }
}

fn bind<'p>(params: &[&'p dyn Param]) -> Vec<&'p (dyn ToSql + Sync)> {
    params.iter().map(|p| p.postgres()).collect()
}

impl Db for PgTx<'_> {
    fn dialect(&self) -> &'static Dialect {
        &DIALECT
    }

    fn org_cache(&self) -> Option<Arc<Mutex<OrgCache>>> {
        Some(self.orgs.clone())
    }

    /// The first request of a transaction holds no locks while it waits; later ones must not
    /// wait (waiting while holding locks is how two batches deadlock).
    fn session_lock(&self) -> Lock {
        if self.nowait {
            Lock::NoWait
        } else {
            Lock::Wait
        }
    }

    fn may_guess(&self) -> bool {
        self.guesses && self.writes == 0 && !self.trouble.stale && self.trouble.guess.is_none()
    }

    fn guessed(&mut self, guess: Guess) {
        self.may_have_approvals = Some(guess.kept.may_have_approvals);
        self.trouble.guess = Some(guess);
    }

    fn take_guess(&mut self) -> Option<Guess> {
        self.trouble.guess.take()
    }

    fn stale(&mut self) -> StoreError {
        self.trouble.stale = true;
        StoreError::Stale
    }

    fn read_session(&mut self, may_have_approvals: bool) {
        self.may_have_approvals = Some(may_have_approvals);
    }

    /// The session is forgotten at once (its row changes with this transaction), and kept
    /// again as written once the transaction commits, unless the request wrote anything but
    /// the record (an approval's trigger changes the row) or read no approvals flag.
    fn recorded(&mut self, session: &Session) {
        lock(self.orgs).forget_session(&session.org_id, &session.id);
        if let (1, Some(may_have_approvals)) = (self.writes, self.may_have_approvals) {
            self.trouble.kept.push(KeptSession {
                session: session.clone(),
                may_have_approvals,
            });
        }
    }

    fn exec(&mut self, sql: &'static Sql, params: &[&dyn Param]) -> Result<u64> {
        let s = self.statement(sql)?;
        let changed = self.client.execute(&s.statement, s.reads, &bind(params));
        changed.map_err(|e| self.note(e))
    }

    /// Sent with the next statement or the request's end (`Conn::defer`).
    fn exec_deferred(&mut self, sql: &'static Sql, params: &[&dyn Param]) -> Result<()> {
        let s = self.statement(sql)?;
        let deferred = self.client.defer(&s.statement, &bind(params));
        deferred.map_err(|e| self.note(e))
    }

    fn query(
        &mut self,
        sql: &'static Sql,
        params: &[&dyn Param],
        each: &mut dyn FnMut(&dyn Row) -> Result<bool>,
    ) -> Result<()> {
        let s = self.statement(sql)?;
        let rows = self.client.query(&s.statement, s.reads, &bind(params));
        for row in rows.map_err(|e| self.note(e))? {
            if !each(&row)? {
                break;
            }
        }
        Ok(())
    }
}

/// Whether a column is NULL, whatever its type.
struct Null(bool);

impl<'a> FromSql<'a> for Null {
    fn from_sql(
        _: &Type,
        _: &'a [u8],
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Null(false))
    }
    fn from_sql_null(
        _: &Type,
    ) -> std::result::Result<Self, Box<dyn std::error::Error + Sync + Send>> {
        Ok(Null(true))
    }
    fn accepts(_: &Type) -> bool {
        true
    }
}

impl Row for postgres::Row {
    fn get_str(&self, i: usize) -> Result<String> {
        Ok(self.try_get(i)?)
    }
    fn get_i64(&self, i: usize) -> Result<i64> {
        Ok(self.try_get(i)?)
    }
    fn get_bool(&self, i: usize) -> Result<bool> {
        Ok(self.try_get(i)?)
    }
    fn get_f64(&self, i: usize) -> Result<f64> {
        Ok(self.try_get(i)?)
    }
    fn is_null(&self, i: usize) -> Result<bool> {
        Ok(self.try_get::<_, Null>(i)?.0)
    }
    fn record(&self, i: usize) -> Result<Option<Box<dyn Row + '_>>> {
        let fields: Option<Fields<'_>> = self.try_get(i)?;
        Ok(fields.map(|f| Box::new(f) as Box<dyn Row + '_>))
    }
}
