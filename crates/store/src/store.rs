//! The store handle: a queue of requests run as transactions by backend workers.

use std::path::Path;

use crate::StoreError;
use crate::options::{Backend, Options, Tuning};
use crate::queue::Queue;
use crate::tx::Tx;

/// A handle to the store. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    queue: Queue,
    describe: String,
    /// Background helpers (the SQLite checkpointer) stop when the last handle is dropped.
    _alive: std::sync::Arc<()>,
}

// The backend's options live in the leaf `options`; migrating needs the backends.
impl Backend {
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
                let (queue, alive) = crate::sqlite::start(data_dir, options, tuning)?;
                Ok(Store {
                    queue,
                    describe: backend.describe(),
                    _alive: alive,
                })
            }
            Backend::Postgres(url) => {
                let engines = crate::postgres::engines(url, options, tuning.workers)?;
                let makers = engines.into_iter().map(|e| move || e).collect();
                let queue = Queue::start("pg", makers, tuning.max_batch, None)?;
                Ok(Store {
                    queue,
                    describe: backend.describe(),
                    _alive: std::sync::Arc::new(()),
                })
            }
        }
    }

    /// Calls `hook` after every group commit (batch size, latency), replacing any earlier
    /// hook: how the server measures the store without this crate knowing its metrics.
    pub fn on_batch(&self, hook: crate::BatchHook) {
        self.queue.on_batch(hook);
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

    /// A sealer for answers of type `R`: `seal` is called once for every group of requests
    /// run with [`Store::run_sealed`] that are answered together (the requests of one group
    /// commit, or of one sync on SQLite), with their successful answers, on the thread that
    /// answers them, before any is sent. It must be quick and must not wait on the store.
    pub fn sealer<R: Send + 'static>(
        &self,
        seal: impl Fn(&mut [&mut R]) + Send + Sync + 'static,
    ) -> crate::Sealer<R> {
        self.queue.sealer(seal)
    }

    /// As [`Store::run`], the answer sealed by `sealer` with the others answered with it; a
    /// `seal` that panics fails the answer.
    pub async fn run_sealed<R, F>(&self, f: F, sealer: &crate::Sealer<R>) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnMut(&mut dyn Tx) -> Result<R, StoreError> + Send + 'static,
    {
        self.queue.run_sealed(f, sealer).await
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
        match backend {
            Backend::Sqlite(dir) => crate::sqlite::run_blocking(dir, options, f),
            Backend::Postgres(url) => crate::postgres::run_blocking(url, options, f),
        }
    }
}
