//! The request queue shared by every backend: requests are closures over `&mut dyn Tx`;
//! worker threads take every queued request, run them in one transaction (each in a
//! savepoint), commit once, and only then answer them (group commit).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, mpsc};

use tokio::sync::oneshot;

use crate::StoreError;
use crate::tx::Tx;

/// The most requests committed together.
pub(crate) const MAX_BATCH: usize = 256;
/// How often a batch that failed with a retryable error (deadlock, serialisation failure) is
/// run again before its requests fail.
const RETRIES: usize = 3;
/// Queued requests beyond which callers wait to enqueue.
const QUEUE: usize = 8192;

type Attempt = Box<dyn FnMut(&mut dyn Tx) -> bool + Send>;
type Finish = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

/// One request. `attempt` may run more than once (a retried batch); its last result is kept.
pub(crate) struct Job {
    attempt: Attempt,
    finish: Finish,
}

impl Job {
    /// Runs the request; true if its changes are to be kept. A panic counts as a failure.
    pub(crate) fn attempt(&mut self, tx: &mut dyn Tx) -> bool {
        catch_unwind(AssertUnwindSafe(|| (self.attempt)(tx))).unwrap_or_else(|_| {
            tracing::error!("a store request panicked; its changes are rolled back");
            false
        })
    }
}

/// Why a batch did not commit.
pub(crate) enum BatchError {
    /// Running the same batch again may succeed.
    Retry(String),
    Fail(String),
}

/// A backend's way of running a batch in one transaction.
pub(crate) trait Engine: Send + 'static {
    fn run_batch(&mut self, jobs: &mut [Job]) -> Result<(), BatchError>;
}

/// The sending side of the queue.
#[derive(Clone)]
pub(crate) struct Queue {
    jobs: mpsc::SyncSender<Job>,
}

impl Queue {
    /// Starts `engines.len()` worker threads that share one queue; each commits at most
    /// `max_batch` requests together.
    pub(crate) fn start<E: Engine>(
        name: &str,
        engines: Vec<E>,
        max_batch: usize,
    ) -> Result<Queue, StoreError> {
        let max_batch = max_batch.clamp(1, MAX_BATCH);
        let (jobs, rx) = mpsc::sync_channel::<Job>(QUEUE);
        let rx = Arc::new(Mutex::new(rx));
        for (i, engine) in engines.into_iter().enumerate() {
            let rx = rx.clone();
            std::thread::Builder::new()
                .name(format!("{name}-{i}"))
                .spawn(move || worker(engine, rx, max_batch))?;
        }
        Ok(Queue { jobs })
    }

    pub(crate) async fn run<R, F>(&self, mut f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnMut(&mut dyn Tx) -> Result<R, StoreError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        let slot: Arc<Mutex<Option<Result<R, StoreError>>>> = Arc::new(Mutex::new(None));
        let write = slot.clone();
        let job = Job {
            attempt: Box::new(move |db: &mut dyn Tx| {
                let result = f(db);
                let keep = result.is_ok();
                if let Ok(mut s) = write.lock() {
                    *s = Some(result);
                }
                keep
            }),
            finish: Box::new(move |commit: Result<(), StoreError>| {
                let result = slot
                    .lock()
                    .ok()
                    .and_then(|mut s| s.take())
                    .unwrap_or(Err(StoreError::JobPanicked));
                let _ = tx.send(commit.and(result));
            }),
        };
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
}

fn worker<E: Engine>(mut engine: E, rx: Arc<Mutex<mpsc::Receiver<Job>>>, max_batch: usize) {
    loop {
        let mut batch = {
            let Ok(rx) = rx.lock() else { return };
            let Ok(first) = rx.recv() else { return };
            let mut batch = vec![first];
            while batch.len() < max_batch {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            batch
        };
        let mut result = Ok(());
        for attempt in 1..=RETRIES {
            match engine.run_batch(&mut batch) {
                Ok(()) => {
                    result = Ok(());
                    break;
                }
                Err(BatchError::Retry(msg)) => {
                    tracing::warn!(error = %msg, attempt, "batch not committed; running it again");
                    result = Err(msg);
                }
                Err(BatchError::Fail(msg)) => {
                    result = Err(msg);
                    break;
                }
            }
        }
        if let Err(msg) = &result {
            tracing::error!(error = %msg, requests = batch.len(), "batch not committed; its requests fail");
        }
        for job in batch {
            (job.finish)(result.clone().map_err(StoreError::CommitFailed));
        }
    }
}
