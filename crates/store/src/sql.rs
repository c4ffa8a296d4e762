//! What the shared queries ask of a backend: run a statement with parameters and read the rows
//! it returns. Statements are written once, with PostgreSQL's `$n` placeholders; each backend
//! gets its own text of a statement (`?n` on SQLite), built on first use and kept.

use std::sync::{Arc, Mutex, OnceLock};

use crate::StoreError;

pub(crate) type Result<T> = std::result::Result<T, StoreError>;

/// Which backend a [`Dialect`] describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Sqlite,
    Postgres,
}

/// How a backend writes what shared statements leave open. Each backend module has one.
#[derive(Debug)]
pub(crate) struct Dialect {
    pub(crate) kind: Kind,
    /// Written before the number of a parameter: `?` or `$`.
    pub(crate) param: char,
    /// What a lookup of one session's approvals reads from (the table, with an index hint
    /// where the planner needs one).
    pub(crate) session_approvals: &'static str,
    /// What a lookup of the approvals of one call (session and input) reads from.
    pub(crate) call_approvals: &'static str,
    /// What a search of one session's decisions reads from: the primary key's index (SQLite's
    /// planner, knowing no values, would otherwise walk the organization's time index).
    pub(crate) session_decisions: &'static str,
    /// Whether deadlines are compared in the query, or only after reading the rows.
    pub(crate) deadline_in_query: bool,
    /// Whether a check's reads and writes are joined into few statements (each statement is a
    /// round trip), or run one by one (SQLite: its row cache answers most reads for free).
    pub(crate) joined_check: bool,
}

impl Dialect {
    /// ` AND expires_at > $n` where deadlines are compared in the query, else nothing.
    pub(crate) fn deadline(&self, n: usize) -> String {
        if self.deadline_in_query {
            format!(" AND expires_at > ${n}")
        } else {
            String::new()
        }
    }

    /// `sql` with its `$n` placeholders written this dialect's way. Statements hold no `$`
    /// anywhere else.
    fn placeholders(&self, sql: String) -> String {
        if self.param == '$' {
            sql
        } else {
            sql.replace('$', &self.param.to_string())
        }
    }
}

/// A statement written once for every backend. Use the [`sql!`] macro (or `select!`, in
/// `record.rs`): it keeps each statement in a static, so its text is built once per backend.
/// `Db` takes `&'static Sql`: SQLite's writer finds a statement's plan and its prepared form
/// by the static's address.
pub(crate) struct Sql {
    /// The statement with `$n` placeholders.
    build: fn(&Dialect) -> String,
    sqlite: OnceLock<String>,
    postgres: OnceLock<String>,
}

impl Sql {
    pub(crate) const fn new(build: fn(&Dialect) -> String) -> Sql {
        Sql {
            build,
            sqlite: OnceLock::new(),
            postgres: OnceLock::new(),
        }
    }

    /// The statement as `dialect` writes it.
    pub(crate) fn text(&self, dialect: &Dialect) -> &str {
        let slot = match dialect.kind {
            Kind::Sqlite => &self.sqlite,
            Kind::Postgres => &self.postgres,
        };
        slot.get_or_init(|| dialect.placeholders((self.build)(dialect)))
    }
}

/// A `&'static Sql` from a format string and its arguments, or from `|dialect| text` where
/// the text depends on the backend.
macro_rules! sql {
    (|$dialect:ident| $build:expr) => {{
        static SQL: $crate::sql::Sql = $crate::sql::Sql::new(|$dialect| $build);
        &SQL
    }};
    ($($format:tt)+) => {
        sql!(|_dialect| format!($($format)+))
    };
}

/// A value bound to a statement: anything both drivers can bind.
pub(crate) trait Param: rusqlite::ToSql + postgres::types::ToSql + Sync {
    fn sqlite(&self) -> &dyn rusqlite::ToSql;
    fn postgres(&self) -> &(dyn postgres::types::ToSql + Sync);
}

impl<T: rusqlite::ToSql + postgres::types::ToSql + Sync> Param for T {
    fn sqlite(&self) -> &dyn rusqlite::ToSql {
        self
    }
    fn postgres(&self) -> &(dyn postgres::types::ToSql + Sync) {
        self
    }
}

/// One row of a result, read by column index. A value of another type than asked for is an
/// error, never a default.
pub(crate) trait Row {
    fn get_str(&self, i: usize) -> Result<String>;
    fn get_i64(&self, i: usize) -> Result<i64>;
    fn get_bool(&self, i: usize) -> Result<bool>;
    fn get_f64(&self, i: usize) -> Result<f64>;
    fn is_null(&self, i: usize) -> Result<bool>;
    /// Column `i`, a row value (`ROW(…)`), as a row of its fields; none when NULL. Only
    /// PostgreSQL's joined reads ask for one.
    fn record(&self, i: usize) -> Result<Option<Box<dyn Row + '_>>> {
        Err(crate::StoreError::Corrupt(format!(
            "column {i}: row values are read on PostgreSQL only"
        )))
    }
}

/// The lock a read of a session takes, held until the transaction ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lock {
    /// None needed: one writer (SQLite).
    None,
    /// `FOR UPDATE`: wait for another transaction that holds it.
    Wait,
    /// `FOR UPDATE NOWAIT`: fail at once if another transaction holds it.
    NoWait,
}

/// A backend's transaction, as the shared queries use it. Every type that implements it is a
/// [`crate::Tx`] (see `queries.rs`).
pub(crate) trait Db {
    fn dialect(&self) -> &'static Dialect;
    fn session_lock(&self) -> Lock;
    /// The cache of an organization's rows a check reads ([`crate::org_cache`]), where the
    /// store keeps one (PostgreSQL).
    fn org_cache(&self) -> Option<Arc<Mutex<crate::org_cache::OrgCache>>> {
        None
    }
    /// Whether a check may be answered from memory before any statement of its own
    /// ([`crate::org_cache::OrgCache::guess`]): where the check's record can prove the guess,
    /// and this attempt at the request has written nothing it would write again.
    fn may_guess(&self) -> bool {
        false
    }
    /// Notes the guess a check was answered with: its record must prove it, and any other
    /// statement before that fails the attempt (`StoreError::Stale`).
    fn guessed(&mut self, _guess: crate::org_cache::Guess) {}
    /// The guess the check was answered with, taken by its record.
    fn take_guess(&mut self) -> Option<crate::org_cache::Guess> {
        None
    }
    /// The guess was wrong: the attempt fails, to run again without guessing.
    fn stale(&mut self) -> crate::StoreError {
        crate::StoreError::Stale
    }
    /// Notes whether the session a check read may have approvals (kept with the session its
    /// record writes).
    fn read_session(&mut self, _may_have_approvals: bool) {}
    /// A check's decision recorded, the session as written: kept once its transaction
    /// commits.
    fn recorded(&mut self, _session: &crate::model::Session) {}
    /// Runs `sql`; returns how many rows it changed.
    fn exec(&mut self, sql: &'static Sql, params: &[&dyn Param]) -> Result<u64>;
    /// The copy of session `(org_id, id)` this connection keeps between requests, as stored
    /// (SQLite's single writer, `crate::sqlite_cache`); none elsewhere.
    fn kept_session(&mut self, _org_id: &str, _id: &str) -> Option<crate::model::Session> {
        None
    }
    /// Keeps a session row just read, as stored.
    fn keep_session(&mut self, _session: &crate::model::Session) {}
    /// Whether this connection keeps the open approvals of session `session_id`
    /// (`crate::sqlite_approvals`).
    fn keeps_approvals(&self, _session_id: &str) -> bool {
        false
    }
    /// The kept approvals of a session that the check's statement for this call would select,
    /// as read; `None` when the session's are not kept.
    fn kept_approvals(
        &mut self,
        _org_id: &str,
        _session_id: &str,
        _action_name: &str,
        _input_digest: &str,
    ) -> Option<Vec<crate::sqlite_approvals::ApprovalRow>> {
        None
    }
    /// Keeps a session's open approvals, just read whole.
    fn keep_approvals(
        &mut self,
        _org_id: &str,
        _session_id: &str,
        _list: Vec<crate::sqlite_approvals::OpenApproval>,
    ) {
    }
    /// The next write is the insert of an approval of this session (`Tx::insert_approval`).
    fn expect_approval_insert(&mut self, _org_id: &str, _session_id: &str) {}
    /// That insert ran (`ok`: it succeeded).
    fn approval_inserted(&mut self, _approval: &crate::model::Approval, _ok: bool) {}
    /// Runs `sql`, an update of the one session row `(org_id, id)`; a kept copy of that row is
    /// changed by `apply` to what the update stored when it changed exactly that row, and
    /// dropped otherwise.
    fn exec_session_update(
        &mut self,
        sql: &'static Sql,
        params: &[&dyn Param],
        _row: (&str, &str),
        _apply: &dyn Fn(&mut crate::model::Session) -> Result<()>,
    ) -> Result<u64> {
        self.exec(sql, params)
    }
    /// Runs `sql`, a write whose count of changed rows nobody reads. A backend where round
    /// trips cost may send it with the transaction's next statement or its end (PostgreSQL):
    /// its error then fails that statement, or the commit, and the transaction with it.
    fn exec_deferred(&mut self, sql: &'static Sql, params: &[&dyn Param]) -> Result<()> {
        self.exec(sql, params).map(drop)
    }
    /// Runs `sql` and hands its rows to `each` in order, while `each` answers true.
    fn query(
        &mut self,
        sql: &'static Sql,
        params: &[&dyn Param],
        each: &mut dyn FnMut(&dyn Row) -> Result<bool>,
    ) -> Result<()>;

    /// Every row `sql` returns, read by `read`.
    fn many<T>(
        &mut self,
        sql: &'static Sql,
        params: &[&dyn Param],
        read: impl Fn(&dyn Row) -> Result<T>,
    ) -> Result<Vec<T>>
    where
        Self: Sized,
    {
        let mut out = Vec::new();
        self.query(sql, params, &mut |row| {
            out.push(read(row)?);
            Ok(true)
        })?;
        Ok(out)
    }

    /// The first row `sql` returns, read by `read`.
    fn one<T>(
        &mut self,
        sql: &'static Sql,
        params: &[&dyn Param],
        read: impl FnOnce(&dyn Row) -> Result<T>,
    ) -> Result<Option<T>>
    where
        Self: Sized,
    {
        let mut read = Some(read);
        let mut first = None;
        self.query(sql, params, &mut |row| {
            if let Some(read) = read.take() {
                first = Some(read(row)?);
            }
            Ok(false)
        })?;
        Ok(first)
    }

    /// The first row `sql` returns, read by `read`, as [`Db::one`] reads it; a store that
    /// keeps the statement's answer between requests may keep the value read from it too and
    /// hand out clones (SQLite's row cache: an agent's or a server's JSON columns parsed once
    /// per change, not per check). `read` must be a pure function of the row.
    fn one_kept<T: Clone + Send + Sync + 'static>(
        &mut self,
        sql: &'static Sql,
        params: &[&dyn Param],
        read: fn(&dyn Row) -> Result<T>,
    ) -> Result<Option<T>>
    where
        Self: Sized,
    {
        self.one(sql, params, read)
    }
}
