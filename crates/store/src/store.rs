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
}

/// How to open the store.
#[derive(Debug, Clone)]
pub struct Options {
    /// Apply pending migrations on open (`serve` on the embedded store does; tools may not).
    pub migrate: bool,
}

/// Which database.
#[derive(Debug, Clone)]
pub enum Backend {
    /// The embedded SQLite store, `airlock.db` in this folder.
    Sqlite(PathBuf),
    /// A PostgreSQL URL.
    Postgres(String),
}

impl Store {
    /// Opens (creating if needed) `airlock.db` in `data_dir` and starts the writer thread.
    pub fn open(data_dir: &Path, options: Options) -> Result<Store, StoreError> {
        Store::open_backend(&Backend::Sqlite(data_dir.to_path_buf()), options)
    }

    /// Opens a store on either backend and starts its workers.
    pub fn open_backend(backend: &Backend, options: Options) -> Result<Store, StoreError> {
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
                // SQLite has one writer: one worker thread owns the connection.
                let queue = Queue::start("airlock-sqlite", vec![SqliteEngine { conn }])?;
                Ok(Store {
                    queue,
                    describe: path.display().to_string(),
                })
            }
            Backend::Postgres(url) => {
                let engines = crate::postgres::engines(url, options)?;
                let queue = Queue::start("airlock-pg", engines)?;
                Ok(Store {
                    queue,
                    describe: crate::postgres::describe(url),
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
