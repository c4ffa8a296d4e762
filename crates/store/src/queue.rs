//! The request queue shared by every backend: requests are closures over `&mut dyn Tx`;
//! worker threads take every queued request, run them in one transaction (a request that
//! fails is undone alone), commit once, and only then answer them (group commit).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock, mpsc};
use std::time::{Duration, Instant};

use tokio::sync::oneshot;

use crate::StoreError;
use crate::durable::{Durability, Flush};
use crate::options::MAX_BATCH;
use crate::seal::{GroupEnds, Sealer};
use crate::tx::Tx;

/// How often a batch that failed with a retryable error (deadlock, serialisation failure) is
/// run again before its requests fail.
const RETRIES: usize = 3;
/// Queued requests beyond which callers wait to enqueue.
const QUEUE: usize = 8192;

type Attempt = Box<dyn FnMut(&mut dyn Tx) -> bool + Send>;
type Finish = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

/// What one group commit did, for the server's metrics (the store knows no metrics crate).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchStats {
    /// Requests run together in the batch.
    pub requests: usize,
    /// Time to run and commit the batch, retries included.
    pub elapsed: Duration,
    pub committed: bool,
}

/// Called by a worker after each batch, before its requests are answered; it must be cheap.
pub type BatchHook = Arc<dyn Fn(BatchStats) + Send + Sync>;
/// The hook slot the workers share: set after the store is opened (the service owns the
/// metrics), read once per batch.
type HookSlot = Arc<RwLock<Option<BatchHook>>>;

/// One request. `attempt` may run more than once (a retried batch); its last result is kept.
pub(crate) struct Job {
    attempt: Attempt,
    answer: Finish,
    /// Set by an engine that commits requests one by one and could not commit this one.
    not_committed: Option<String>,
}

impl Job {
    /// Runs the request; true if its changes are to be kept. A panic counts as a failure.
    /// What an earlier attempt's end said (`not_committed`) no longer holds.
    pub(crate) fn attempt(&mut self, tx: &mut dyn Tx) -> bool {
        self.not_committed = None;
        catch_unwind(AssertUnwindSafe(|| (self.attempt)(tx))).unwrap_or_else(|_| {
            tracing::error!("a store request panicked; its changes are rolled back");
            false
        })
    }

    /// Answers the request: `outcome` is its batch's (the request's own result was kept by
    /// its last attempt).
    pub(crate) fn finish(self, outcome: Result<(), String>) {
        (self.answer)(outcome.map_err(StoreError::CommitFailed));
    }

    /// Marks this request as not committed, whatever its batch's outcome: for engines that
    /// commit the requests of a batch one by one.
    pub(crate) fn not_committed(&mut self, why: String) {
        self.not_committed = Some(why);
    }
}

#[cfg(test)]
impl Job {
    /// A request that runs `f` and drops its answer: for tests that drive an engine directly.
    pub(crate) fn for_test(f: impl FnMut(&mut dyn Tx) -> bool + Send + 'static) -> Job {
        Job {
            attempt: Box::new(f),
            answer: Box::new(|_| {}),
            not_committed: None,
        }
    }

    /// Why the engine could not commit this request, if it says so.
    pub(crate) fn not_committed_why(&self) -> Option<&str> {
        self.not_committed.as_deref()
    }
}

/// Why a batch did not commit.
pub(crate) enum BatchError {
    /// Running the same batch again may succeed.
    Retry(String),
    Fail(String),
}

/// A backend's way of running a batch in one transaction.
/// Made on its worker thread (`Queue::start` takes makers), so it need not be `Send`: the
/// SQLite writer keeps statements that borrow its connection.
pub(crate) trait Engine: 'static {
    fn run_batch(&mut self, jobs: &mut [Job]) -> Result<(), BatchError>;
    /// Whether the last batch committed changes (engines that sync off the writer; an
    /// engine that cannot tell says true).
    fn last_batch_wrote(&self) -> bool {
        true
    }
    /// Upkeep after a batch's requests have their answers (off their path).
    fn after_batch(&mut self) {}
}

/// The sending side of the queue.
#[derive(Clone)]
pub(crate) struct Queue {
    jobs: mpsc::SyncSender<Job>,
    load: Arc<Load>,
    hook: HookSlot,
    /// The sealers whose answers the threads answering requests seal (`crate::seal`).
    ends: GroupEnds,
}

/// What the workers share to split queued requests among themselves.
#[derive(Default)]
struct Load {
    /// Requests sent and not yet taken by a worker.
    queued: AtomicUsize,
    /// Workers waiting for requests.
    idle: AtomicUsize,
}

impl Queue {
    /// Starts `engines.len()` worker threads that share one queue, each running the engine
    /// its maker makes on it; each commits at most `max_batch` requests together.
    /// With `flush`, a committed batch is answered only after a `flush` that began after its
    /// commit, run on a thread of its own (`crate::durable`).
    pub(crate) fn start<E: Engine, M: FnOnce() -> E + Send + 'static>(
        name: &str,
        engines: Vec<M>,
        max_batch: usize,
        flush: Option<Box<dyn Flush>>,
    ) -> Result<Queue, StoreError> {
        let max_batch = max_batch.clamp(1, MAX_BATCH);
        let ends = GroupEnds::default();
        let mut sync = match flush {
            // Answers are released in commit order by one sync thread: one writer only.
            Some(_) if engines.len() != 1 => {
                return Err(StoreError::Corrupt(
                    "a store synced off its writer has exactly one writer".into(),
                ));
            }
            Some(flush) => Some(crate::durable::start(name, flush, ends.clone())?),
            None => None,
        };
        let (jobs, rx) = mpsc::sync_channel::<Job>(QUEUE);
        let rx = Arc::new(Mutex::new(rx));
        let load = Arc::new(Load::default());
        let hook = HookSlot::default();
        for (i, make) in engines.into_iter().enumerate() {
            let (rx, load, hook, ends) = (rx.clone(), load.clone(), hook.clone(), ends.clone());
            let sync = sync.take();
            std::thread::Builder::new()
                .name(format!("{name}-{i}"))
                .spawn(move || worker(make(), rx, load, hook, ends, sync, max_batch))?;
        }
        Ok(Queue {
            jobs,
            load,
            hook,
            ends,
        })
    }

    /// Replaces the hook called after every batch.
    pub(crate) fn on_batch(&self, hook: BatchHook) {
        if let Ok(mut slot) = self.hook.write() {
            *slot = Some(hook);
        }
    }

    /// A sealer of answers run on this queue (`crate::seal`).
    pub(crate) fn sealer<R: Send + 'static>(
        &self,
        seal: impl Fn(&mut [&mut R]) + Send + Sync + 'static,
    ) -> Sealer<R> {
        Sealer::new(&self.ends, seal)
    }

    pub(crate) async fn run<R, F>(&self, f: F) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnMut(&mut dyn Tx) -> Result<R, StoreError> + Send + 'static,
    {
        let (tx, rx) = oneshot::channel();
        self.submit(f, move |answer| {
            let _ = tx.send(answer);
        })
        .await?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// Sealers the queue keeps.
    #[cfg(test)]
    pub(crate) fn sealers(&self) -> usize {
        self.ends.len()
    }

    /// As [`Queue::run`], the answer sealed by `sealer` with the others of its group.
    pub(crate) async fn run_sealed<R, F>(&self, f: F, sealer: &Sealer<R>) -> Result<R, StoreError>
    where
        R: Send + 'static,
        F: FnMut(&mut dyn Tx) -> Result<R, StoreError> + Send + 'static,
    {
        if !sealer.belongs_to(&self.ends) {
            return Err(StoreError::ForeignSealer);
        }
        let (tx, rx) = oneshot::channel();
        let sealer = sealer.clone();
        self.submit(f, move |answer| sealer.hold(answer, tx))
            .await?;
        rx.await.map_err(|_| StoreError::Closed)?
    }

    /// Queues `f`; its answer (the batch's outcome and its own result) goes to `deliver`.
    async fn submit<R, F>(
        &self,
        mut f: F,
        deliver: impl FnOnce(Result<R, StoreError>) + Send + 'static,
    ) -> Result<(), StoreError>
    where
        R: Send + 'static,
        F: FnMut(&mut dyn Tx) -> Result<R, StoreError> + Send + 'static,
    {
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
            answer: Box::new(move |commit: Result<(), StoreError>| {
                let result = slot
                    .lock()
                    .ok()
                    .and_then(|mut s| s.take())
                    .unwrap_or(Err(StoreError::JobPanicked));
                deliver(commit.and(result));
            }),
            not_committed: None,
        };
        let jobs = self.jobs.clone();
        self.load.queued.fetch_add(1, Ordering::SeqCst);
        // The queue is bounded; a full queue waits here instead of growing without limit.
        match jobs.try_send(job) {
            Ok(()) => Ok(()),
            Err(mpsc::TrySendError::Full(job)) => {
                tokio::task::spawn_blocking(move || jobs.send(job))
                    .await
                    .map_err(|_| StoreError::Closed)?
                    .map_err(|_| StoreError::Closed)
            }
            Err(mpsc::TrySendError::Disconnected(_)) => {
                self.load.queued.fetch_sub(1, Ordering::SeqCst);
                Err(StoreError::Closed)
            }
        }
    }
}

/// Answers a group of requests, then seals and sends the sealed ones among them: how every
/// thread that answers requests answers them (`crate::seal`).
pub(crate) fn answer_all(
    jobs: impl IntoIterator<Item = (Job, Result<(), String>)>,
    ends: &GroupEnds,
) {
    let _end = crate::seal::EndOfGroup(ends);
    for (job, outcome) in jobs {
        job.finish(outcome);
    }
}

/// Takes the next batch: the first request to arrive, then a fair share of what is queued.
/// With several workers (PostgreSQL), queued requests are split among the idle ones, so they
/// run in parallel transactions (the database still groups their commits) instead of one
/// worker running them all while the others wait; a lone idle worker takes everything.
fn next_batch(rx: &Mutex<mpsc::Receiver<Job>>, load: &Load, max_batch: usize) -> Option<Vec<Job>> {
    load.idle.fetch_add(1, Ordering::SeqCst);
    let rx = rx.lock().ok()?;
    let first = rx.recv().ok()?;
    let idle = load.idle.fetch_sub(1, Ordering::SeqCst).max(1);
    let queued = load.queued.fetch_sub(1, Ordering::SeqCst).max(1);
    let share = queued.div_ceil(idle).clamp(1, max_batch);
    let mut batch = vec![first];
    while batch.len() < share {
        match rx.try_recv() {
            Ok(job) => {
                load.queued.fetch_sub(1, Ordering::SeqCst);
                batch.push(job);
            }
            Err(_) => break,
        }
    }
    Some(batch)
}

fn worker<E: Engine>(
    mut engine: E,
    rx: Arc<Mutex<mpsc::Receiver<Job>>>,
    load: Arc<Load>,
    hook: HookSlot,
    ends: GroupEnds,
    mut sync: Option<Durability>,
    max_batch: usize,
) {
    loop {
        let Some(mut batch) = next_batch(&rx, &load, max_batch) else {
            return;
        };
        let started = Instant::now();
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
        if let Ok(slot) = hook.read()
            && let Some(hook) = slot.as_ref()
        {
            hook(BatchStats {
                requests: batch.len(),
                elapsed: started.elapsed(),
                committed: result.is_ok(),
            });
        }
        let outcomes: Vec<_> = batch
            .into_iter()
            .map(|mut job| {
                let outcome = match job.not_committed.take() {
                    Some(why) => Err(why),
                    None => result.clone(),
                };
                (job, outcome)
            })
            .collect();
        match sync.as_mut() {
            // Answered once on disk and after every earlier batch, while this worker runs
            // the next batch (one that did not commit wrote nothing).
            Some(sync) => {
                let alone = load.queued.load(Ordering::SeqCst) == 0;
                let wrote = result.is_ok() && engine.last_batch_wrote();
                sync.answer(wrote, alone, outcomes)
            }
            None => answer_all(outcomes, &ends),
        }
        engine.after_batch();
    }
}
