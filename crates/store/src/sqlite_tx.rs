//! SQLite's side of the shared queries: its rows, its statements (prepared once per
//! connection and cached) and its dialect. The queries themselves are in `queries.rs`.

use std::sync::Arc;

use rusqlite::Connection;
use rusqlite::types::Type;

use crate::model::{Approval, Session};
use crate::sql::{Db, Dialect, Kind, Lock, Param, Result, Row, Sql};
use crate::sqlite_approvals::{ApprovalRow, OpenApproval};
use crate::sqlite_cache::{CachedRow, Decoded, Lookup, RowCache, row_values};
use crate::sqlite_prepared::{Kept, Statements};

/// SQLite's placeholders are `?n`. Per-session approval lookups name their index, and compare
/// deadlines only after reading the rows: a bound range makes SQLite (built with STAT4)
/// re-prepare the statement on every call.
pub(crate) static DIALECT: Dialect = Dialect {
    kind: Kind::Sqlite,
    param: '?',
    session_approvals: "approvals INDEXED BY approvals_session",
    call_approvals: "approvals INDEXED BY approvals_call",
    session_decisions: "decisions INDEXED BY sqlite_autoindex_decisions_1",
    deadline_in_query: false,
    joined_check: false,
};

/// One request's view of the writer's transaction (the connection, inside a transaction the
/// caller opened), of the writer's row cache and of its prepared statements.
pub(crate) struct SqliteTx<'a, 'c> {
    txn: &'c Connection,
    cache: &'a mut RowCache,
    statements: Statements<'a, 'c>,
}

impl<'a, 'c> SqliteTx<'a, 'c> {
    /// A transaction whose statements come from rusqlite's cache.
    pub(crate) fn new(txn: &'c Connection, cache: &'a mut RowCache) -> Self {
        SqliteTx {
            txn,
            cache,
            statements: Statements::Cached,
        }
    }

    /// The writer's: statements prepared once and kept (`crate::sqlite_prepared`).
    pub(crate) fn kept(
        txn: &'c Connection,
        cache: &'a mut RowCache,
        kept: &'a mut Kept<'c>,
    ) -> Self {
        SqliteTx {
            txn,
            cache,
            statements: Statements::Kept(kept),
        }
    }
}

fn key(sql: &'static Sql) -> usize {
    // Every statement is a static (`sql!`): its address names it.
    sql as *const Sql as usize
}

impl Row for rusqlite::Row<'_> {
    fn get_str(&self, i: usize) -> Result<String> {
        Ok(self.get(i)?)
    }
    fn get_i64(&self, i: usize) -> Result<i64> {
        Ok(self.get(i)?)
    }
    fn get_bool(&self, i: usize) -> Result<bool> {
        Ok(self.get(i)?)
    }
    fn get_f64(&self, i: usize) -> Result<f64> {
        Ok(self.get(i)?)
    }
    fn is_null(&self, i: usize) -> Result<bool> {
        Ok(self.get_ref(i)?.data_type() == Type::Null)
    }
}

fn bind(params: &[&dyn Param]) -> impl rusqlite::Params {
    rusqlite::params_from_iter(params.iter().map(|p| p.sqlite()))
}

impl Db for SqliteTx<'_, '_> {
    fn dialect(&self) -> &'static Dialect {
        &DIALECT
    }

    /// One writer: nothing to lock.
    fn session_lock(&self) -> Lock {
        Lock::None
    }

    fn exec(&mut self, sql: &'static Sql, params: &[&dyn Param]) -> Result<u64> {
        let text = sql.text(&DIALECT);
        // A write drops what it may change before it runs; `exec` never reads from the cache.
        let _ = self.cache.before(key(sql), text, params);
        // Kept statements: preparing these anew for every request cost more than running them.
        self.statements.with(self.txn, key(sql), text, |statement| {
            Ok(statement.execute(bind(params))? as u64)
        })
    }

    fn kept_session(&mut self, org_id: &str, id: &str) -> Option<Session> {
        self.cache.session(org_id, id)
    }

    fn keep_session(&mut self, session: &Session) {
        self.cache.keep_session(session);
    }

    fn keeps_approvals(&self, session_id: &str) -> bool {
        self.cache.keeps_approvals() && !self.cache.approvals.crowded(session_id)
    }

    fn kept_approvals(
        &mut self,
        org_id: &str,
        session_id: &str,
        action_name: &str,
        input_digest: &str,
    ) -> Option<Vec<ApprovalRow>> {
        self.cache
            .approvals
            .selected(org_id, session_id, action_name, input_digest)
    }

    fn keep_approvals(&mut self, org_id: &str, session_id: &str, list: Vec<OpenApproval>) {
        if self.cache.keeps_approvals() {
            self.cache.approvals.keep(org_id, session_id, list);
        }
    }

    fn expect_approval_insert(&mut self, org_id: &str, session_id: &str) {
        self.cache.approvals.expect_insert(org_id, session_id);
    }

    fn approval_inserted(&mut self, approval: &Approval, ok: bool) {
        self.cache.approvals.inserted(approval, ok);
    }

    fn exec_session_update(
        &mut self,
        sql: &'static Sql,
        params: &[&dyn Param],
        (org_id, id): (&str, &str),
        apply: &dyn Fn(&mut Session) -> Result<()>,
    ) -> Result<u64> {
        // Out of the cache while the statement runs: an error leaves nothing kept.
        let kept = self.cache.take_session_for_update(key(sql), org_id, id);
        let changed = self.exec(sql, params)?;
        if changed != 1 || self.cache.writes_reach_unnamed_tables() {
            // Not the update of one row it was said to be, or a trigger may have changed the
            // row further: whatever it changed is read again.
            self.cache.drop_sessions();
        } else if let Some(mut session) = kept {
            // A copy that cannot be made as stored is not kept; the update stands.
            match apply(&mut session) {
                Ok(()) => self.cache.keep_session_owned(session),
                Err(_) => self.cache.drop_sessions(),
            }
        }
        Ok(changed)
    }

    fn query(
        &mut self,
        sql: &'static Sql,
        params: &[&dyn Param],
        each: &mut dyn FnMut(&dyn Row) -> Result<bool>,
    ) -> Result<()> {
        let text = sql.text(&DIALECT);
        let lookup = self.cache.before(key(sql), text, params);
        self.run(key(sql), text, params, lookup, each)
    }

    fn one_kept<T: Clone + Send + Sync + 'static>(
        &mut self,
        sql: &'static Sql,
        params: &[&dyn Param],
        read: fn(&dyn Row) -> Result<T>,
    ) -> Result<Option<T>> {
        let text = sql.text(&DIALECT);
        let reader = read as usize;
        let lookup = match self.cache.before(key(sql), text, params) {
            Lookup::Hit { rows, decoded } => {
                let kept = decoded
                    .filter(|d| d.reader == reader)
                    .and_then(|d| d.value.downcast_ref::<Option<T>>().cloned());
                if let Some(value) = kept {
                    return Ok(value);
                }
                let value = rows.first().map(|row| read(&CachedRow(row))).transpose()?;
                let decoded = Decoded {
                    reader,
                    value: Arc::new(value.clone()),
                };
                self.cache.keep_decoded(decoded);
                return Ok(value);
            }
            other => other,
        };
        let mut first = None;
        self.run(key(sql), text, params, lookup, &mut |row| {
            first = Some(read(row)?);
            Ok(false)
        })?;
        Ok(first)
    }
}

impl SqliteTx<'_, '_> {
    /// Runs a statement whose effect on the cache `lookup` says, handing rows to `each`.
    fn run(
        &mut self,
        key: usize,
        text: &str,
        params: &[&dyn Param],
        lookup: Lookup,
        each: &mut dyn FnMut(&dyn Row) -> Result<bool>,
    ) -> Result<()> {
        let (cache_key, reads) = match lookup {
            Lookup::Hit { rows, .. } => {
                for row in rows.iter() {
                    if !each(&CachedRow(row))? {
                        break;
                    }
                }
                return Ok(());
            }
            Lookup::Miss { key, reads } => (Some(key), reads),
            Lookup::Run => (None, 0),
        };
        let cache = &mut *self.cache;
        self.statements.with(self.txn, key, text, |statement| {
            let columns = statement.column_count();
            let mut rows = statement.query(bind(params))?;
            let Some(cache_key) = cache_key else {
                while let Some(row) = rows.next()? {
                    if !each(row)? {
                        break;
                    }
                }
                return Ok(());
            };
            // A miss reads the whole answer to keep it, handing rows on while `each` wants them.
            let mut kept = Some(Vec::new());
            let mut wanted = true;
            while let Some(row) = rows.next()? {
                let values = kept.as_ref().and_then(|_| row_values(row, columns));
                match (values, kept.as_mut()) {
                    (Some(values), Some(list)) => {
                        if wanted {
                            wanted = each(&CachedRow(&values))?;
                        }
                        list.push(values);
                    }
                    _ => {
                        kept = None;
                        if wanted {
                            wanted = each(row)?;
                        }
                    }
                }
                if !wanted && kept.is_none() {
                    break;
                }
            }
            if let Some(list) = kept {
                cache.keep(cache_key, reads, list);
            }
            Ok(())
        })
    }
}
