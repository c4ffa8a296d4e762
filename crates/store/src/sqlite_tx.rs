//! SQLite's side of the shared queries: its rows, its statements (prepared once per
//! connection and cached) and its dialect. The queries themselves are in `queries.rs`.

use rusqlite::Transaction;
use rusqlite::types::Type;

use crate::sql::{Db, Dialect, Kind, Lock, Param, Result, Row, Sql};

/// SQLite's placeholders are `?n`. Per-session approval lookups name their index, and compare
/// deadlines only after reading the rows: a bound range makes SQLite (built with STAT4)
/// re-prepare the statement on every call.
pub(crate) static DIALECT: Dialect = Dialect {
    kind: Kind::Sqlite,
    param: '?',
    session_approvals: "approvals INDEXED BY approvals_session",
    deadline_in_query: false,
};

/// One request's view of the writer's transaction.
pub(crate) struct SqliteTx<'a> {
    txn: &'a Transaction<'a>,
}

impl<'a> SqliteTx<'a> {
    pub(crate) fn new(txn: &'a Transaction<'a>) -> Self {
        SqliteTx { txn }
    }
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

impl Db for SqliteTx<'_> {
    fn dialect(&self) -> &'static Dialect {
        &DIALECT
    }

    /// One writer: nothing to lock.
    fn session_lock(&self) -> Lock {
        Lock::None
    }

    fn exec(&mut self, sql: &Sql, params: &[&dyn Param]) -> Result<u64> {
        // Cached statements: preparing these anew for every request cost more than running them.
        let mut statement = self.txn.prepare_cached(sql.text(&DIALECT))?;
        Ok(statement.execute(bind(params))? as u64)
    }

    fn query(
        &mut self,
        sql: &Sql,
        params: &[&dyn Param],
        each: &mut dyn FnMut(&dyn Row) -> Result<bool>,
    ) -> Result<()> {
        let mut statement = self.txn.prepare_cached(sql.text(&DIALECT))?;
        let mut rows = statement.query(bind(params))?;
        while let Some(row) = rows.next()? {
            if !each(row)? {
                break;
            }
        }
        Ok(())
    }
}
