//! The embedded SQLite store: one writer thread owns the connection and runs requests in
//! batches, one transaction per batch (group commit). A request's answer is released only
//! after the batch that holds it has committed and a sync thread has made it durable
//! (`crate::durable`).

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::StoreError;
use crate::migrations;
use crate::options::{Options, Tuning};
use crate::queue::{BatchError, Engine, Job, Queue};
use crate::sqlite_cache::RowCache;
use crate::sqlite_prepared::Writer;
use crate::sqlite_tx::SqliteTx;
use crate::tx::Tx;

pub use crate::migrations::SCHEMA_VERSION;

pub(crate) fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    // The platform's VFS, but each WAL frame goes out in one system call instead of two
    // (`airlock-sqlite-vfs`; the files and their bytes are the same).
    airlock_sqlite_vfs::register()?;
    let conn = Connection::open_with_flags_and_vfs(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        airlock_sqlite_vfs::NAME,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a commit is on disk before it returns, so an answer is never sent for a decision
    // that a power loss could take back.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Savepoints journal every page a request changes: in memory, not in a temporary file
    // (a write system call per page per request otherwise).
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    conn.set_prepared_statement_cache_capacity(128);
    // The query planner stability guarantee: a statement keeps its plan whatever values are
    // bound, so SQLite (built with STAT4) does not re-prepare it on every execution.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )?;
    Ok(conn)
}

fn schema_version(conn: &Connection) -> Result<Option<i64>, StoreError> {
    let exists: bool = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
        [],
        |r| r.get(0),
    )?;
    if !exists {
        return Ok(None);
    }
    Ok(Some(conn.query_row(
        "SELECT coalesce(max(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )?))
}

fn check_schema(conn: &Connection) -> Result<(), StoreError> {
    migrations::check(schema_version(conn)?)
}

/// Opens `airlock.db` in `data_dir` (creating both if needed), migrating it or checking its
/// schema as `options` say.
fn open(data_dir: &Path, options: Options) -> Result<Connection, StoreError> {
    std::fs::create_dir_all(data_dir)?;
    let mut conn = open_connection(&data_dir.join("airlock.db"))?;
    if options.migrate {
        migrate(&mut conn)?;
    } else {
        check_schema(&conn)?;
    }
    Ok(conn)
}

/// The writer's and the sync thread's names (`sqlite-0`, `sqlite-sync`): Linux keeps 15 bytes
/// of a thread's name, so longer names would look alike in `top -H` and profiles.
const SQLITE_THREADS: &str = "sqlite";

/// The writer's page cache: 32 MiB (negative: KiB, as SQLite's `cache_size` reads it).
const WRITER_CACHE_KIB: i64 = -32 * 1024;
const _: () = assert!(SQLITE_THREADS.len() + "-sync".len() <= 15);

/// Opens the store in `data_dir` and starts its writer and its checkpointer. The checkpointer
/// stops once the returned token is dropped.
pub(crate) fn start(
    data_dir: &Path,
    options: Options,
    tuning: Tuning,
) -> Result<(Queue, std::sync::Arc<()>), StoreError> {
    let mut conn = open(data_dir, options)?;
    let alive = std::sync::Arc::new(());
    let wal = crate::sqlite_wal::start(
        &data_dir.join("airlock.db"),
        &mut conn,
        std::sync::Arc::downgrade(&alive),
        crate::sqlite_wal::Limits::DEFAULT,
    )?;
    let cache = RowCache::new(&conn)?;
    // The writer's commits do not wait for the disk; the sync thread makes them durable
    // before they are answered (`crate::durable`).
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Room for the pages every check touches: with 1,000 sessions their decisions' index has
    // a leaf each, past SQLite's default 2 MiB, and a page read from the file cost 9 % of the
    // writer's time. A larger cache paid only once truncations stopped walking all of it
    // (`airlock_store::install_sqlite_page_cache`; docs/benchmarks.md, forty-eighth pass).
    // Without it (SQLite initialised before `main` could install it) the default stays.
    if airlock_sqlite_vfs::page_cache_installed() {
        conn.pragma_update(None, "cache_size", WRITER_CACHE_KIB)?;
    }
    let flush = crate::durable::WalFlush::new(&data_dir.join("airlock.db"));
    // SQLite has one writer: one worker thread owns the connection.
    let queue = Queue::start(
        SQLITE_THREADS,
        // Made on the writer's thread: its kept statements are not `Send`.
        vec![move || SqliteEngine {
            writer: Writer::open(conn),
            cache,
            wal,
            wrote: true,
        }],
        tuning.max_batch,
        Some(Box::new(flush)),
    )?;
    Ok((queue, alive))
}

/// Runs `f` in one transaction on a connection of its own (command-line tools).
pub(crate) fn run_blocking<R>(
    data_dir: &Path,
    options: Options,
    f: impl FnOnce(&mut dyn Tx) -> Result<R, StoreError>,
) -> Result<R, StoreError> {
    let mut conn = open(data_dir, options)?;
    let txn = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let result = {
        let mut cache = RowCache::disabled();
        let mut db = SqliteTx::new(&txn, &mut cache);
        f(&mut db)?
    };
    txn.commit()?;
    Ok(result)
}

/// Applies the migrations this database has not seen; refuses a schema newer than this build.
/// Returns the versions applied.
pub fn migrate_path(data_dir: &Path) -> Result<Vec<i64>, StoreError> {
    std::fs::create_dir_all(data_dir)?;
    let mut conn = open_connection(&data_dir.join("airlock.db"))?;
    migrate(&mut conn)
}

fn migrate(conn: &mut Connection) -> Result<Vec<i64>, StoreError> {
    let txn = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    txn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    )?;
    let current: i64 = txn.query_row(
        "SELECT coalesce(max(version), 0) FROM schema_migrations",
        [],
        |r| r.get(0),
    )?;
    let applied = migrations::apply_after(current, migrations::SQLITE, |version, sql| {
        txn.execute_batch(sql)?;
        txn.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
            rusqlite::params![version, crate::model::ts(chrono::Utc::now())],
        )?;
        Ok(())
    })?;
    txn.commit()?;
    Ok(applied)
}

struct SqliteEngine {
    /// The connection and the statements kept on it.
    writer: Writer,
    cache: RowCache,
    wal: std::sync::Arc<crate::sqlite_wal::WalUpkeep>,
    /// Whether the last batch may have written (its answers then wait for a sync).
    wrote: bool,
}

/// Runs one of the engine's fixed statements (prepared once: `execute_batch` would parse its
/// text on every call).
fn run_fixed(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(sql)?.execute([]).map(|_| ())
}

impl SqliteEngine {
    /// Runs the batch without savepoints (they journal every page each request changes):
    /// true if every request kept its changes and the batch committed; false if one did not,
    /// and then nothing of the batch is kept and the batch must run again with savepoints.
    fn run_optimistic(&mut self, jobs: &mut [Job]) -> Result<bool, StoreError> {
        self.cache.begin_batch(self.writer.conn())?;
        for job in jobs.iter_mut() {
            if !self.attempt(job) {
                return Ok(false);
            }
        }
        run_fixed(self.writer.conn(), "COMMIT")?;
        Ok(true)
    }

    /// Runs one request on the writer's kept statements and row cache; true if it keeps its
    /// changes.
    fn attempt(&mut self, job: &mut Job) -> bool {
        let cache = &mut self.cache;
        self.writer
            .with_dependent_mut(|conn, kept| job.attempt(&mut SqliteTx::kept(conn, cache, kept)))
    }

    /// Runs the batch with a savepoint per request, so that a request that fails leaves the
    /// others' changes in place.
    fn run_with_savepoints(&mut self, jobs: &mut [Job]) -> Result<(), StoreError> {
        self.cache.begin_batch(self.writer.conn())?;
        for job in jobs.iter_mut() {
            run_fixed(self.writer.conn(), "SAVEPOINT job")?;
            if !self.attempt(job) {
                run_fixed(self.writer.conn(), "ROLLBACK TO job")?;
                // What the request read or dropped may no longer be what is stored.
                self.cache.clear();
            }
            run_fixed(self.writer.conn(), "RELEASE job")?;
        }
        Ok(run_fixed(self.writer.conn(), "COMMIT")?)
    }

    /// Rolls back whatever the current transaction holds, and the cache with it.
    fn abandon(&mut self) {
        self.cache.clear();
        if !self.writer.conn().is_autocommit()
            && let Err(rollback) = run_fixed(self.writer.conn(), "ROLLBACK")
        {
            tracing::error!(error = %rollback, "rollback after a failed batch failed");
        }
    }
}

impl Engine for SqliteEngine {
    fn after_batch(&mut self) {
        self.wal.after_batch(self.writer.conn());
    }

    fn last_batch_wrote(&self) -> bool {
        self.wrote
    }

    fn run_batch(&mut self, jobs: &mut [Job]) -> Result<(), BatchError> {
        // Two witnesses, so that losing one (some pragmas replace the WAL hook) cannot let a
        // batch that wrote skip its sync: the writer's commits that wrote frames, and the
        // rows changed (a rolled-back attempt counts too, which only costs a wait).
        let (commits, changes) = (self.wal.commits(), self.writer.conn().total_changes());
        let result = self.run_batch_once(jobs);
        self.wrote = self.wal.commits() != commits || self.writer.conn().total_changes() != changes;
        result
    }
}

impl SqliteEngine {
    fn run_batch_once(&mut self, jobs: &mut [Job]) -> Result<(), BatchError> {
        let fail = |e: StoreError| BatchError::Fail(e.to_string());
        // Requests almost always keep their changes: first without savepoints; a request that
        // does not (rare) sends the whole batch to the savepoint path. Requests may run more
        // than once (see `Job`).
        run_fixed(self.writer.conn(), "BEGIN IMMEDIATE").map_err(|e| fail(e.into()))?;
        match self.run_optimistic(jobs) {
            Ok(true) => return Ok(()),
            Ok(false) => self.abandon(),
            Err(e) => {
                self.abandon();
                return Err(fail(e));
            }
        }
        if jobs.len() == 1 {
            // Alone in its batch: rolled back is all the savepoint path would do.
            return Ok(());
        }
        run_fixed(self.writer.conn(), "BEGIN IMMEDIATE").map_err(|e| fail(e.into()))?;
        self.run_with_savepoints(jobs).map_err(|e| {
            self.abandon();
            fail(e)
        })
    }
}

#[cfg(test)]
#[path = "sqlite_tests.rs"]
mod tests;
