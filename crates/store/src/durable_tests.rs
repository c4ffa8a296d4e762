use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

use rusqlite::Connection;

use super::*;
use crate::StoreError;
use crate::queue::{BatchError, Engine, Queue};
use crate::seal::Sealer;
use crate::sqlite_cache::RowCache;
use crate::sqlite_tx::SqliteTx;

/// Runs each request on an in-memory connection; fails the batch if told to; while `held`
/// is set, waits for a token before each batch.
struct TestEngine {
    conn: Connection,
    cache: RowCache,
    fail: Arc<Mutex<bool>>,
    wrote: Arc<Mutex<bool>>,
    held: Held,
}

/// The gate a held engine waits at before each batch.
type Held = Arc<Mutex<Option<mpsc::Receiver<()>>>>;

impl Engine for TestEngine {
    fn last_batch_wrote(&self) -> bool {
        self.wrote.lock().map(|w| *w).unwrap_or(true)
    }

    fn run_batch(&mut self, jobs: &mut [Job]) -> Result<(), BatchError> {
        if let Some(gate) = self.held.lock().unwrap().as_ref() {
            let _ = gate.recv();
        }
        for job in jobs.iter_mut() {
            let mut db = SqliteTx::new(&self.conn, &mut self.cache);
            job.attempt(&mut db);
        }
        match self.fail.lock().map(|f| *f) {
            Ok(false) => Ok(()),
            _ => Err(BatchError::Fail("told to fail".into())),
        }
    }
}

/// What the test sends to let a held flush return.
type Gate = mpsc::Receiver<Result<(), String>>;

/// A flush that waits for the test to release it, and can be told to fail; it records the
/// thread that called it.
#[derive(Clone, Default)]
struct GatedFlush {
    calls: Arc<AtomicUsize>,
    gate: Arc<Mutex<Option<Gate>>>,
    threads: Arc<Mutex<Vec<String>>>,
}

impl GatedFlush {
    fn threads(&self) -> Vec<String> {
        self.threads.lock().unwrap().clone()
    }
}

impl Flush for GatedFlush {
    fn flush(&mut self) -> Result<(), String> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        let thread = std::thread::current().name().unwrap_or("?").to_string();
        self.threads.lock().unwrap().push(thread);
        let gate = self.gate.lock().map_err(|e| e.to_string())?;
        match gate.as_ref() {
            Some(rx) => rx.recv().map_err(|e| e.to_string())?,
            None => Ok(()),
        }
    }
}

/// The queue, and switches: the next batches fail; the next batches wrote.
fn queue(flush: GatedFlush) -> (Queue, Arc<Mutex<bool>>) {
    let (queue, fail, _) = queue_with_writes(flush);
    (queue, fail)
}

fn queue_with_writes(flush: GatedFlush) -> (Queue, Arc<Mutex<bool>>, Arc<Mutex<bool>>) {
    let (queue, fail, wrote, _) = queue_held(flush);
    (queue, fail, wrote)
}

/// As `queue_with_writes`, and the engine's gate: set, the writer waits for a token before
/// each batch, so that requests can be queued behind a batch it is running.
fn queue_held(flush: GatedFlush) -> (Queue, Arc<Mutex<bool>>, Arc<Mutex<bool>>, Held) {
    let fail = Arc::new(Mutex::new(false));
    let wrote = Arc::new(Mutex::new(true));
    let held = Held::default();
    let engine = TestEngine {
        conn: Connection::open_in_memory().unwrap(),
        cache: RowCache::disabled(),
        fail: fail.clone(),
        wrote: wrote.clone(),
        held: held.clone(),
    };
    let queue = Queue::start("test", vec![move || engine], 16, Some(Box::new(flush))).unwrap();
    (queue, fail, wrote, held)
}

/// Holds the writer before each batch; a token sent lets one batch run, and dropping the
/// sender lets every batch run.
fn hold(held: &Held) -> mpsc::Sender<()> {
    let (tokens, gate) = mpsc::channel();
    *held.lock().unwrap() = Some(gate);
    tokens
}

fn gated() -> (mpsc::Sender<Result<(), String>>, GatedFlush) {
    let (release, gate) = mpsc::channel();
    let flush = GatedFlush {
        gate: Arc::new(Mutex::new(Some(gate))),
        ..GatedFlush::default()
    };
    (release, flush)
}

async fn ask(queue: &Queue) -> Result<u32, StoreError> {
    queue.run(|_| Ok(7)).await
}

#[tokio::test]
async fn a_committed_batch_is_answered_only_after_its_flush() {
    let (release, flush) = gated();
    let (queue, _) = queue(flush.clone());
    let answer = tokio::spawn(async move { ask(&queue).await });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!answer.is_finished(), "answered before the flush returned");
    assert_eq!(flush.calls.load(Ordering::SeqCst), 1);
    release.send(Ok(())).unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(5), answer).await;
    assert_eq!(answer.unwrap().unwrap().unwrap(), 7);
    // Nothing queued behind it and nothing in the sync thread's hands: the writer synced it.
    assert_eq!(flush.threads(), ["test-0"]);
}

#[tokio::test]
async fn a_failed_flush_fails_that_answer_and_every_later_one() {
    let (release, flush) = gated();
    let (queue, _) = queue(flush.clone());
    release.send(Err("disk on fire".to_string())).unwrap();
    let err = ask(&queue).await.unwrap_err();
    assert!(
        err.to_string().contains("not made durable") && err.to_string().contains("disk on fire"),
        "{err}"
    );
    // A later flush that would succeed is not trusted: the lost pages may be gone.
    release.send(Ok(())).unwrap();
    let err = ask(&queue).await.unwrap_err();
    assert!(err.to_string().contains("not made durable"), "{err}");
    assert_eq!(
        flush.calls.load(Ordering::SeqCst),
        1,
        "a poisoned sync is not tried again"
    );
    assert_eq!(flush.threads(), ["test-0"], "the writer saw the failure");
}

/// Two requests, the second queued while the writer holds the first's batch: the first is
/// handed to the sync thread, and the second, committed while that sync is in hand, too
/// (in a group of its own: it commits only once the sync thread has taken the first).
async fn two_handed_to_the_sync_thread(
    queue: &Arc<Queue>,
    held: &Held,
    flush: &GatedFlush,
) -> [tokio::task::JoinHandle<Result<u32, StoreError>>; 2] {
    let tokens = hold(held);
    let ask_later = || {
        let queue = queue.clone();
        tokio::spawn(async move { ask(&queue).await })
    };
    let first = ask_later();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let second = ask_later();
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The first batch runs; the sync thread takes it (its flush starts, or a stored failure
    // answers it without one).
    let calls = flush.calls.load(Ordering::SeqCst);
    tokens.send(()).unwrap();
    until(|| first.is_finished() || flush.calls.load(Ordering::SeqCst) > calls).await;
    // Let the writer go: with no sender left, the gate no longer holds it.
    drop(tokens);
    tokio::time::sleep(Duration::from_millis(100)).await;
    [first, second]
}

/// Waits until `done` holds; fails the test after 5 s.
async fn until(done: impl Fn() -> bool) {
    for _ in 0..500 {
        if done() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("not done within 5 s");
}

/// A task's result; fails the test after 5 s instead of hanging.
async fn within<T>(task: tokio::task::JoinHandle<T>) -> T {
    tokio::time::timeout(Duration::from_secs(5), task)
        .await
        .expect("answered within 5 s")
        .unwrap()
}

#[tokio::test]
async fn a_failure_seen_by_the_sync_thread_fails_what_the_writer_answers_and_back() {
    let (release, flush) = gated();
    let (queue, _, _, held) = queue_held(flush.clone());
    let queue = Arc::new(queue);
    let [first, second] = two_handed_to_the_sync_thread(&queue, &held, &flush).await;
    release.send(Err("disk on fire".to_string())).unwrap();
    let err = first.await.unwrap().unwrap_err().to_string();
    assert!(err.contains("disk on fire"), "{err}");
    let err = second.await.unwrap().unwrap_err().to_string();
    assert!(err.contains("not made durable"), "{err}");
    // A lone request now, which the writer would sync itself: it fails without a flush.
    release.send(Ok(())).unwrap();
    let err = ask(&queue).await.unwrap_err().to_string();
    assert!(err.contains("not made durable"), "{err}");
    assert_eq!(flush.threads(), ["test-sync"]);

    // And back: the writer sees a failure, the sync thread's answers fail.
    let (release, flush) = gated();
    let (queue, _, _, held) = queue_held(flush.clone());
    let queue = Arc::new(queue);
    release.send(Err("disk on fire".to_string())).unwrap();
    assert!(ask(&queue).await.is_err());
    release.send(Ok(())).unwrap();
    for answer in two_handed_to_the_sync_thread(&queue, &held, &flush).await {
        let err = answer.await.unwrap().unwrap_err().to_string();
        assert!(err.contains("not made durable"), "{err}");
    }
    assert_eq!(flush.threads(), ["test-0"]);
}

#[tokio::test]
async fn a_batch_that_did_not_commit_fails_without_waiting_for_a_flush() {
    let (_release, flush) = gated();
    let (queue, fail) = queue(flush.clone());
    *fail.lock().unwrap() = true;
    let answer = tokio::time::timeout(Duration::from_secs(5), ask(&queue)).await;
    assert!(answer.unwrap().is_err());
    assert_eq!(flush.calls.load(Ordering::SeqCst), 0);
}

#[tokio::test]
async fn one_flush_answers_every_batch_queued_behind_it() {
    let (release, flush) = gated();
    let (queue, _, _, held) = queue_held(flush.clone());
    let queue = Arc::new(queue);
    // The first handed to the sync thread (the second was queued behind it), whose flush is
    // held; the second committed while that flush was in hand: handed over too, not synced
    // by the writer, so that answers leave in commit order.
    let [first, second] = two_handed_to_the_sync_thread(&queue, &held, &flush).await;
    // Committed while the first flush is held: they wait for one more flush together.
    let later: Vec<_> = (0..20)
        .map(|_| {
            let queue = queue.clone();
            tokio::spawn(async move { ask(&queue).await })
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!first.is_finished() && !second.is_finished());
    assert!(later.iter().all(|a| !a.is_finished()));
    release.send(Ok(())).unwrap();
    assert_eq!(within(first).await.unwrap(), 7);
    release.send(Ok(())).unwrap();
    assert_eq!(within(second).await.unwrap(), 7);
    for answer in later {
        assert_eq!(within(answer).await.unwrap(), 7);
    }
    assert_eq!(flush.calls.load(Ordering::SeqCst), 2);
    assert_eq!(flush.threads(), ["test-sync", "test-sync"]);
}

#[test]
fn the_wal_flush_syncs_the_file_sqlite_writes_and_follows_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("airlock.db");
    let mut flush = WalFlush::new(&db);
    // No WAL yet: nothing can be promised.
    assert!(flush.flush().unwrap_err().contains("airlock.db-wal"));
    let conn = Connection::open(&db).unwrap();
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1)")
        .unwrap();
    flush.flush().unwrap();
    let first = flush.open.as_ref().map(|(_, inode)| *inode);
    assert!(first.is_some());
    // A WAL file removed and created again (all connections closed, then one opened) is
    // the one synced next.
    drop(conn);
    let conn = Connection::open(&db).unwrap();
    conn.execute_batch("INSERT INTO t VALUES (2)").unwrap();
    let wal = dir.path().join("airlock.db-wal");
    let current = std::fs::metadata(&wal).unwrap().ino();
    flush.flush().unwrap();
    let (file, inode) = flush.open.as_ref().unwrap();
    assert_eq!(*inode, current);
    assert_eq!(
        file.metadata().unwrap().nlink(),
        1,
        "the deleted WAL is still synced"
    );
}

#[tokio::test]
async fn a_read_waits_for_the_sync_of_a_write_it_may_have_seen_and_no_longer() {
    let (release, flush) = gated();
    let (queue, _, wrote, held) = queue_held(flush.clone());
    let queue = Arc::new(queue);
    // Nothing written yet: a read is answered without a sync.
    *wrote.lock().unwrap() = false;
    let read = tokio::time::timeout(Duration::from_secs(5), ask(&queue)).await;
    assert_eq!(read.unwrap().unwrap(), 7);
    assert_eq!(flush.calls.load(Ordering::SeqCst), 0);
    // A write waits for its sync; a read behind it may have seen it, and waits too. The
    // writer is held so that the read is queued when the write commits (the write is handed
    // to the sync thread, not synced by the writer while the read waits in the queue).
    *wrote.lock().unwrap() = true;
    let tokens = hold(&held);
    let ask_later = || {
        let queue = queue.clone();
        tokio::spawn(async move { ask(&queue).await })
    };
    let write = ask_later();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let read = ask_later();
    tokio::time::sleep(Duration::from_millis(100)).await;
    tokens.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    *wrote.lock().unwrap() = false;
    drop(tokens);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!write.is_finished() && !read.is_finished());
    release.send(Ok(())).unwrap();
    release.send(Ok(())).unwrap();
    assert_eq!(write.await.unwrap().unwrap(), 7);
    assert_eq!(read.await.unwrap().unwrap(), 7);
    // Every write synced: reads go straight through again.
    let calls = flush.calls.load(Ordering::SeqCst);
    let read = tokio::time::timeout(Duration::from_secs(5), ask(&queue)).await;
    assert_eq!(read.unwrap().unwrap(), 7);
    assert_eq!(flush.calls.load(Ordering::SeqCst), calls);
}

#[test]
fn a_store_synced_off_its_writer_has_one_writer() {
    let engines = (0..2)
        .map(|_| {
            let engine = TestEngine {
                conn: Connection::open_in_memory().unwrap(),
                cache: RowCache::disabled(),
                fail: Arc::default(),
                wrote: Arc::default(),
                held: Held::default(),
            };
            move || engine
        })
        .collect();
    let flush = Box::new(GatedFlush::default());
    assert!(Queue::start("test", engines, 16, Some(flush)).is_err());
}

/// The size of each group a sealer was given.
type Groups = Arc<Mutex<Vec<usize>>>;

/// A sealer that adds 100 to every answer it is given and records each group's size;
/// panics while `panic` is set.
fn counting_sealer(queue: &Queue) -> (Sealer<u32>, Groups, Arc<Mutex<bool>>) {
    let groups = Arc::new(Mutex::new(Vec::new()));
    let panic = Arc::new(Mutex::new(false));
    let (g, p) = (groups.clone(), panic.clone());
    let sealer = queue.sealer(move |answers: &mut [&mut u32]| {
        assert!(!*p.lock().unwrap(), "told to panic");
        g.lock().unwrap().push(answers.len());
        for a in answers.iter_mut() {
            **a += 100;
        }
    });
    (sealer, groups, panic)
}

/// A sealed request; one not answered within 5 s fails as if the store had closed.
async fn ask_sealed(queue: &Queue, sealer: &Sealer<u32>) -> Result<u32, StoreError> {
    let answer = queue.run_sealed(|_| Ok(7), sealer);
    tokio::time::timeout(Duration::from_secs(5), answer)
        .await
        .unwrap_or(Err(StoreError::Closed))
}

#[tokio::test]
async fn the_answers_one_flush_releases_are_sealed_together_once_on_disk() {
    let (release, flush) = gated();
    let (queue, _, _, held) = queue_held(flush.clone());
    let queue = Arc::new(queue);
    let (sealer, groups, _) = counting_sealer(&queue);
    // The writer holds the first batch until the others are queued, so that it is handed to
    // the sync thread and the others commit while its flush is in hand.
    let tokens = hold(&held);
    let first = tokio::spawn({
        let (queue, sealer) = (queue.clone(), sealer.clone());
        async move { ask_sealed(&queue, &sealer).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Committed while the first flush is held; a plain request among them.
    let later: Vec<_> = (0..20)
        .map(|_| {
            let (queue, sealer) = (queue.clone(), sealer.clone());
            tokio::spawn(async move { ask_sealed(&queue, &sealer).await })
        })
        .collect();
    let plain = tokio::spawn({
        let queue = queue.clone();
        async move { ask(&queue).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    // The first batch runs and its flush starts before the others commit.
    tokens.send(()).unwrap();
    until(|| flush.calls.load(Ordering::SeqCst) == 1).await;
    drop(tokens);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(groups.lock().unwrap().is_empty(), "sealed before the flush");
    assert!(!first.is_finished() && later.iter().all(|a| !a.is_finished()));
    release.send(Ok(())).unwrap();
    assert_eq!(within(first).await.unwrap(), 107);
    release.send(Ok(())).unwrap();
    for answer in later {
        assert_eq!(
            within(answer).await.unwrap(),
            107,
            "each answer sealed once"
        );
    }
    assert_eq!(
        plain.await.unwrap().unwrap(),
        7,
        "a plain request is not sealed"
    );
    assert_eq!(*groups.lock().unwrap(), vec![1, 20]);
    assert_eq!(flush.threads(), ["test-sync", "test-sync"]);
}

#[tokio::test]
async fn only_successful_answers_are_sealed() {
    let (queue, fail) = queue(GatedFlush::default());
    let (sealer, groups, _) = counting_sealer(&queue);
    // A request that fails is answered with its error, unsealed.
    let failing = queue.run_sealed(
        |_| Err::<u32, _>(StoreError::Conflict("no".into())),
        &sealer,
    );
    let err = tokio::time::timeout(Duration::from_secs(5), failing)
        .await
        .unwrap()
        .unwrap_err();
    assert!(err.to_string().contains("no"), "{err}");
    // A batch that did not commit fails its sealed requests without sealing them.
    *fail.lock().unwrap() = true;
    assert!(ask_sealed(&queue, &sealer).await.is_err());
    *fail.lock().unwrap() = false;
    assert!(
        groups.lock().unwrap().is_empty(),
        "{:?}",
        groups.lock().unwrap()
    );
    assert_eq!(ask_sealed(&queue, &sealer).await.unwrap(), 107);
    assert_eq!(*groups.lock().unwrap(), vec![1]);
}

#[tokio::test]
async fn a_seal_that_panics_fails_its_answers_and_the_queue_goes_on() {
    let (queue, _) = queue(GatedFlush::default());
    let (sealer, _, panic) = counting_sealer(&queue);
    *panic.lock().unwrap() = true;
    let answer = tokio::time::timeout(Duration::from_secs(5), ask_sealed(&queue, &sealer)).await;
    assert!(
        matches!(answer.unwrap(), Err(StoreError::JobPanicked)),
        "never answered unsealed"
    );
    *panic.lock().unwrap() = false;
    assert_eq!(ask(&queue).await.unwrap(), 7);
    assert_eq!(ask_sealed(&queue, &sealer).await.unwrap(), 107);
}

#[tokio::test]
async fn without_a_sync_thread_the_writer_seals_what_it_answers() {
    let engine = TestEngine {
        conn: Connection::open_in_memory().unwrap(),
        cache: RowCache::disabled(),
        fail: Arc::default(),
        wrote: Arc::default(),
        held: Held::default(),
    };
    let queue = Arc::new(Queue::start("test", vec![move || engine], 16, None).unwrap());
    let (sealer, groups, _) = counting_sealer(&queue);
    let answers: Vec<_> = (0..10)
        .map(|_| {
            let (queue, sealer) = (queue.clone(), sealer.clone());
            tokio::spawn(async move { ask_sealed(&queue, &sealer).await })
        })
        .collect();
    for answer in answers {
        let answer = tokio::time::timeout(Duration::from_secs(5), answer).await;
        assert_eq!(answer.unwrap().unwrap().unwrap(), 107);
    }
    assert_eq!(groups.lock().unwrap().iter().sum::<usize>(), 10);
}

#[tokio::test]
async fn a_dropped_sealer_is_forgotten_by_the_queue() {
    let (queue, _) = queue(GatedFlush::default());
    let (sealer, _, _) = counting_sealer(&queue);
    drop(sealer);
    let (sealer, groups, _) = counting_sealer(&queue);
    assert_eq!(ask_sealed(&queue, &sealer).await.unwrap(), 107);
    assert_eq!(*groups.lock().unwrap(), vec![1]);
    assert_eq!(queue.sealers(), 1, "the dropped sealer is no longer called");
}

#[tokio::test]
async fn a_sealer_of_another_queue_is_refused_not_left_waiting() {
    let (mine, _) = queue(GatedFlush::default());
    let (other, _) = queue(GatedFlush::default());
    let (sealer, groups, _) = counting_sealer(&other);
    let answer = tokio::time::timeout(Duration::from_secs(5), ask_sealed(&mine, &sealer)).await;
    assert!(matches!(answer.unwrap(), Err(StoreError::ForeignSealer)));
    assert!(groups.lock().unwrap().is_empty());
    assert_eq!(ask_sealed(&other, &sealer).await.unwrap(), 107);
}

#[tokio::test]
async fn a_read_or_a_failed_batch_is_not_answered_before_a_write_still_being_answered() {
    let (queue, fail, wrote, held) = queue_held(GatedFlush::default());
    let queue = Arc::new(queue);
    // A sealer that holds the sync thread inside the answering of the write, after its
    // flush: the write is on disk, and not yet answered.
    let (entered, in_seal) = mpsc::channel::<()>();
    let (go, gate) = mpsc::channel::<()>();
    let (entered, gate) = (Mutex::new(entered), Mutex::new(gate));
    let sealer = queue.sealer(move |answers: &mut [&mut u32]| {
        let _ = entered.lock().unwrap().send(());
        let _ = gate.lock().unwrap().recv();
        for a in answers.iter_mut() {
            **a += 100;
        }
    });
    let tokens = hold(&held);
    let write = tokio::spawn({
        let (queue, sealer) = (queue.clone(), sealer.clone());
        async move { ask_sealed(&queue, &sealer).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    // Queued behind the write, so that the write is handed to the sync thread.
    let read = tokio::spawn({
        let queue = queue.clone();
        async move { ask(&queue).await }
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    tokens.send(()).unwrap();
    in_seal.recv_timeout(Duration::from_secs(5)).unwrap();
    // The read commits now: every write is synced, the write is not yet answered.
    *wrote.lock().unwrap() = false;
    tokens.send(()).unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    // And a batch that does not commit.
    *fail.lock().unwrap() = true;
    drop(tokens);
    let failed = tokio::spawn({
        let queue = queue.clone();
        async move { ask(&queue).await }
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!write.is_finished());
    assert!(
        !read.is_finished(),
        "a read answered before an earlier write"
    );
    assert!(
        !failed.is_finished(),
        "a batch that did not commit answered before an earlier write"
    );
    go.send(()).unwrap();
    assert_eq!(within(write).await.unwrap(), 107);
    assert_eq!(within(read).await.unwrap(), 7);
    assert!(within(failed).await.is_err());
}
