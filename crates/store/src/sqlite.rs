//! The embedded SQLite store: one writer thread owns the connection and runs requests in
//! batches, one transaction per batch (group commit, `synchronous=FULL`). A request's answer
//! is released only after the batch that holds it has committed.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use rusqlite::{Connection, OpenFlags};
use tokio::sync::oneshot;

use crate::StoreError;
use crate::sqlite_tx::SqliteTx;
use crate::tx::Tx;

/// The migrations, in order. Version n is `MIGRATIONS[n - 1]`.
const MIGRATIONS: &[&str] = &[
    include_str!("../migrations/sqlite/0001_init.sql"),
    include_str!("../migrations/sqlite/0002_tool_pins.sql"),
];

/// The schema version this build knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The most requests committed together.
const MAX_BATCH: usize = 256;

type Done = Box<dyn FnOnce(Result<(), StoreError>) + Send>;
type Job = Box<dyn FnOnce(&mut SqliteTx<'_>) -> (bool, Done) + Send>;

/// A handle to the store. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    jobs: mpsc::SyncSender<Job>,
    path: PathBuf,
}

/// How to open the store.
#[derive(Debug, Clone)]
pub struct Options {
    /// Apply pending migrations on open (`serve` on the embedded store does; tools may not).
    pub migrate: bool,
}

impl Store {
    /// Opens (creating if needed) `airlock.db` in `data_dir` and starts the writer thread.
    pub fn open(data_dir: &Path, options: Options) -> Result<Store, StoreError> {
        std::fs::create_dir_all(data_dir)?;
        let path = data_dir.join("airlock.db");
        let mut conn = open_connection(&path)?;
        if options.migrate {
            migrate(&mut conn)?;
        } else {
            check_schema(&conn)?;
        }
        let (jobs, rx) = mpsc::sync_channel::<Job>(4096);
        std::thread::Builder::new()
            .name("airlock-store".into())
            .spawn(move || writer(conn, rx))?;
        Ok(Store { jobs, path })
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` inside a transaction and returns its result once that transaction has
    /// committed. If `f` fails, its changes are rolled back and nothing else is affected.
    pub async fn run<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&mut dyn Tx) -> Result<R, StoreError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let job: Job = Box::new(move |db: &mut SqliteTx<'_>| {
            let result = f(db);
            let keep = result.is_ok();
            let done: Done = Box::new(move |commit: Result<(), StoreError>| {
                let _ = tx.send(commit.and(result));
            });
            (keep, done)
        });
        let jobs = self.jobs.clone();
        // The queue is bounded; a full queue waits here instead of growing without limit.
        match jobs.try_send(job) {
            Ok(()) => {}
            Err(mpsc::TrySendError::Full(job)) => {
                tokio::task::spawn_blocking(move || jobs.send(job))
                    .await
                    .map_err(|_| StoreError::Closed)?
                    .map_err(|_| StoreError::Closed)?;
            }
            Err(mpsc::TrySendError::Disconnected(_)) => return Err(StoreError::Closed),
        }
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// Runs `f` on the calling thread with a connection of its own: for command-line tools.
    pub fn run_blocking<R>(
        data_dir: &Path,
        options: Options,
        f: impl FnOnce(&mut dyn Tx) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        std::fs::create_dir_all(data_dir)?;
        let mut conn = open_connection(&data_dir.join("airlock.db"))?;
        if options.migrate {
            migrate(&mut conn)?;
        } else {
            check_schema(&conn)?;
        }
        let txn = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let result = {
            let mut db = SqliteTx::new(&txn);
            f(&mut db)?
        };
        txn.commit()?;
        Ok(result)
    }
}

fn open_connection(path: &Path) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    // FULL: a commit is on disk before it returns, so an answer is never sent for a decision
    // that a power loss could take back.
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.set_prepared_statement_cache_capacity(128);
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
    match schema_version(conn)? {
        None | Some(0) => Err(StoreError::NotMigrated),
        Some(v) if v > SCHEMA_VERSION => Err(StoreError::SchemaTooNew {
            found: v,
            known: SCHEMA_VERSION,
        }),
        Some(v) if v < SCHEMA_VERSION => Err(StoreError::NotMigrated),
        Some(_) => Ok(()),
    }
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
    if current > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            found: current,
            known: SCHEMA_VERSION,
        });
    }
    let mut applied = Vec::new();
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let version = i as i64 + 1;
        if version <= current {
            continue;
        }
        txn.execute_batch(sql)?;
        txn.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
            rusqlite::params![version, crate::model::ts(chrono::Utc::now())],
        )?;
        applied.push(version);
    }
    txn.commit()?;
    Ok(applied)
}

/// The writer loop: take a job, take whatever else is queued, run them all in one
/// transaction (each in a savepoint), commit, then answer them all.
fn writer(mut conn: Connection, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        run_batch(&mut conn, batch);
    }
}

fn run_batch(conn: &mut Connection, batch: Vec<Job>) {
    let txn = match conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate) {
        Ok(t) => t,
        Err(e) => {
            let msg = e.to_string();
            tracing::error!(error = %msg, "cannot begin a transaction");
            // Each job must still be answered: run none, report the failure to all.
            for job in batch {
                fail_unrun(job, &msg);
            }
            return;
        }
    };
    let mut done = Vec::with_capacity(batch.len());
    let mut broken: Option<String> = None;
    for job in batch {
        if let Some(msg) = &broken {
            fail_unrun(job, msg);
            continue;
        }
        if let Err(e) = txn.execute_batch("SAVEPOINT job") {
            broken = Some(e.to_string());
            fail_unrun(job, &e.to_string());
            continue;
        }
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            let mut db = SqliteTx::new(&txn);
            job(&mut db)
        }));
        let (keep, finish) = match outcome {
            Ok(pair) => pair,
            Err(_) => {
                // The job's answer channel was dropped while unwinding: its caller gets an error.
                tracing::error!("a store request panicked; its changes are rolled back");
                let finish: Done = Box::new(|_| {});
                (false, finish)
            }
        };
        let end = if keep {
            "RELEASE job"
        } else {
            "ROLLBACK TO job; RELEASE job"
        };
        if let Err(e) = txn.execute_batch(end) {
            broken = Some(e.to_string());
        }
        done.push(finish);
    }
    let result = match broken {
        Some(msg) => {
            let _ = txn.rollback();
            Err(msg)
        }
        None => txn.commit().map_err(|e| e.to_string()),
    };
    if let Err(msg) = &result {
        tracing::error!(error = %msg, "batch not committed; its requests fail");
    }
    for finish in done {
        finish(result.clone().map_err(StoreError::CommitFailed));
    }
}

/// A job that never ran is dropped: its answer channel closes and the caller gets an error.
fn fail_unrun(job: Job, msg: &str) {
    tracing::debug!(error = %msg, "request not run");
    drop(job);
}

#[cfg(test)]
#[path = "sqlite_tests.rs"]
mod tests;
