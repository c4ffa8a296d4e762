//! The store handle: a queue of requests run as transactions by backend workers.

use std::path::{Path, PathBuf};

use crate::StoreError;
use crate::queue::Queue;
use crate::sqlite::{SqliteEngine, check_schema, migrate, open_connection};
use crate::sqlite_tx::SqliteTx;
use crate::tx::Tx;

/// A handle to the store. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    queue: Queue,
    describe: String,
    /// Background helpers (the SQLite checkpointer) stop when the last handle is dropped.
    _alive: std::sync::Arc<()>,
}

/// How to open the store.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Apply pending migrations on open (`serve` on the embedded store does; tools may not).
    pub migrate: bool,
}

/// How many workers and how large a group commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tuning {
    /// Worker threads, each with its own connection (PostgreSQL only: SQLite has one writer).
    pub workers: usize,
    /// The most requests committed together; 1 turns group commit off (one commit per request).
    pub max_batch: usize,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            workers: 4,
            max_batch: crate::queue::MAX_BATCH,
        }
    }
}

/// Which database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// The embedded SQLite store, `airlock.db` in this folder.
    Sqlite(PathBuf),
    /// A PostgreSQL URL.
    Postgres(String),
}

impl Backend {
    /// PostgreSQL if a database URL is given, else SQLite in `data_dir`.
    pub fn from_args(database_url: Option<&str>, data_dir: &Path) -> Backend {
        match database_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => Backend::Postgres(url.to_string()),
            None => Backend::Sqlite(data_dir.to_path_buf()),
        }
    }

    /// Where the data lives, for messages (a file, or a database URL without its password).
    pub fn describe(&self) -> String {
        match self {
            Backend::Sqlite(dir) => dir.join("airlock.db").display().to_string(),
            Backend::Postgres(url) => crate::postgres::describe(url),
        }
    }

    /// Applies the migrations this database has not seen; refuses a schema newer than this
    /// build. Returns the versions applied. Safe to run from several processes at once.
    pub fn migrate(&self) -> Result<Vec<i64>, StoreError> {
        match self {
            Backend::Sqlite(dir) => crate::sqlite::migrate_path(dir),
            Backend::Postgres(url) => crate::postgres::migrate_url(url),
        }
    }
}

impl Store {
    /// Opens (creating if needed) `airlock.db` in `data_dir` and starts the writer thread.
    pub fn open(data_dir: &Path, options: Options) -> Result<Store, StoreError> {
        Store::open_backend(&Backend::Sqlite(data_dir.to_path_buf()), options)
    }

    /// Opens a store on either backend and starts its workers.
    pub fn open_backend(backend: &Backend, options: Options) -> Result<Store, StoreError> {
        Store::open_with(backend, options, Tuning::default())
    }

    /// Opens a store on either backend with `tuning` and starts its workers.
    pub fn open_with(
        backend: &Backend,
        options: Options,
        tuning: Tuning,
    ) -> Result<Store, StoreError> {
        match backend {
            Backend::Sqlite(data_dir) => {
                std::fs::create_dir_all(data_dir)?;
                let path = data_dir.join("airlock.db");
                let mut conn = open_connection(&path)?;
                if options.migrate {
                    migrate(&mut conn)?;
                } else {
                    check_schema(&conn)?;
                }
                // The writer never checkpoints (a checkpoint's fsyncs would stall every request
                // queued behind it); a background connection does, without blocking writers.
                conn.pragma_update(None, "wal_autocheckpoint", 0)?;
                let alive = std::sync::Arc::new(());
                crate::sqlite::start_checkpointer(&path, std::sync::Arc::downgrade(&alive))?;
                // SQLite has one writer: one worker thread owns the connection.
                let queue = Queue::start(
                    "airlock-sqlite",
                    vec![SqliteEngine { conn }],
                    tuning.max_batch,
                )?;
                Ok(Store {
                    queue,
                    describe: path.display().to_string(),
                    _alive: alive,
                })
            }
            Backend::Postgres(url) => {
                let engines = crate::postgres::engines(url, options, tuning.workers)?;
                let queue = Queue::start("airlock-pg", engines, tuning.max_batch)?;
                Ok(Store {
                    queue,
                    describe: crate::postgres::describe(url),
                    _alive: std::sync::Arc::new(()),
                })
            }
        }
    }

    /// Where the data lives, for messages (a file, or a database URL without its password).
    pub fn describe(&self) -> &str {
        &self.describe
    }

    /// Runs `f` inside a transaction and returns its result once that transaction has
    /// committed. If `f` fails, its changes are rolled back and nothing else is affected.
    /// `f` may run more than once if the backend retries the batch, so it must only act
    /// through `tx`.
    pub async fn run<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnMut(&mut dyn Tx) -> Result<R, StoreError> + Send + 'static,
    {
        self.queue.run(f).await
    }

    #[doc(hidden)]
    pub async fn run_once<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnOnce(&mut dyn Tx) -> Result<R, StoreError> + Send + 'static,
    {
        let mut f = Some(f);
        self.queue
            .run(move |tx| match f.take() {
                Some(f) => f(tx),
                None => Err(StoreError::Conflict("request cannot be retried".into())),
            })
            .await
    }

    /// Runs `f` on the calling thread in one transaction on a connection of its own: for
    /// command-line tools, next to running servers.
    pub fn run_blocking<R>(
        backend: &Backend,
        options: Options,
        f: impl FnOnce(&mut dyn Tx) -> Result<R, StoreError>,
    ) -> Result<R, StoreError> {
        let data_dir = match backend {
            Backend::Sqlite(dir) => dir.as_path(),
            Backend::Postgres(url) => return crate::postgres::run_blocking(url, options, f),
        };
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
