//! Making committed batches durable off the writer's path.
//!
//! With `synchronous=FULL` SQLite calls `fsync` inside every `COMMIT`, and the single writer
//! waits for the disk before it can start the next batch: under load the writer sat idle a
//! third of the time (0.3 ms per `fsync` on this kind of virtio disk, more with pages in
//! flight). Instead the writer commits with `synchronous=NORMAL` (no `fsync` at commit; SQLite
//! still syncs the WAL header when it starts the WAL over, and syncs around every checkpoint)
//! and hands the batch's answers to a sync thread. That thread calls `fdatasync` on the WAL
//! file, then releases every batch committed before the call began: one `fsync` covers all
//! the batches that queued up while the previous one ran, and the writer runs the next batch
//! meanwhile. When there is no next batch (nothing queued) and the sync thread has nothing in
//! hand, the writer calls `fdatasync` itself and answers: a lone check is spared one thread's
//! wake-up, and the writer had nothing else to do meanwhile.
//!
//! What holds: an answer is sent only once its batch is on disk, as before. A later batch may
//! read what an earlier batch wrote before that is on disk; its answer waits for a sync that
//! began after its own commit, which covers the earlier batch too (the WAL is replayed as a
//! prefix, so a power loss takes back a suffix of unanswered batches, never a hole). A failed
//! `fsync` poisons the sync: Linux may have dropped the unwritten pages and a later `fsync`
//! would report success for data that is gone, so every answer from then on is an error
//! until the server restarts (as PostgreSQL does), whichever of the two threads saw it fail.
//! The writer answers a batch itself (one it synced, a read, or a batch that did not commit)
//! only when every batch it handed to the sync thread has been answered, so answers leave in
//! commit order, and the answers one `fdatasync` releases are sealed as one group.

use std::fs::File;
use std::os::unix::fs::MetadataExt;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use crate::queue::{Job, answer_all};
use crate::seal::GroupEnds;

/// Makes everything committed so far durable.
pub(crate) trait Flush: Send + 'static {
    fn flush(&mut self) -> Result<(), String>;
}

/// A committed batch waiting for a sync: each request with its outcome, and the writes that
/// sync must cover.
pub(crate) struct Waiting {
    /// Batches that wrote, counted by the writer up to this one.
    upto: u64,
    jobs: Vec<(Job, Result<(), String>)>,
}

/// The flush both threads call, and why it failed if it ever did.
struct Syncing {
    flush: Box<dyn Flush>,
    failure: Option<String>,
}

/// What the writer and the sync thread share.
struct Shared {
    syncing: Mutex<Syncing>,
    /// Of the batches that wrote, the ones made durable.
    synced: AtomicU64,
    poisoned: AtomicBool,
    /// Batches handed to the sync thread and not yet answered.
    in_hand: AtomicUsize,
}

impl Shared {
    /// Makes everything committed so far durable; after a failure, never tries again.
    fn flush(&self) -> Result<(), String> {
        let mut syncing = self.syncing.lock().unwrap_or_else(|poisoned| {
            // A flush panicked (none is expected): what it left on disk is unknown.
            let mut syncing = poisoned.into_inner();
            syncing
                .failure
                .get_or_insert_with(|| "a flush panicked".to_string());
            self.poisoned.store(true, Ordering::Release);
            syncing
        });
        if let Some(e) = &syncing.failure {
            return Err(e.clone());
        }
        syncing.flush.flush().inspect_err(|e| {
            tracing::error!(
                error = %e,
                "the store could not make its commits durable; every answer fails until airlock restarts"
            );
            self.poisoned.store(true, Ordering::Release);
            syncing.failure = Some(e.clone());
        })
    }

    /// Flushes unless everything up to batch `upto` already is, then answers `jobs`
    /// (committed up to that batch) with the outcome.
    fn flush_and_answer(
        &self,
        upto: u64,
        jobs: impl IntoIterator<Item = (Job, Result<(), String>)>,
        ends: &GroupEnds,
    ) {
        // Batches that wrote nothing, handed over only to be answered in order.
        let durable =
            self.synced.load(Ordering::Acquire) >= upto && !self.poisoned.load(Ordering::Acquire);
        let failure = if durable { None } else { self.flush().err() };
        if failure.is_none() {
            self.synced.fetch_max(upto, Ordering::AcqRel);
        }
        let jobs = jobs.into_iter().map(|(job, outcome)| match &failure {
            Some(e) => (job, Err(format!("the commit was not made durable: {e}"))),
            None => (job, outcome),
        });
        answer_all(jobs, ends);
    }
}

/// The writer's side of the sync thread.
pub(crate) struct Durability {
    waiting: mpsc::Sender<Waiting>,
    /// Batches that wrote, counted by the writer.
    written: u64,
    shared: Arc<Shared>,
    ends: GroupEnds,
}

impl Durability {
    /// Answers a batch's requests once what they wrote, and what they may have read, is on
    /// disk, after every batch before it: a batch that wrote nothing (a read, or a batch that
    /// did not commit) is answered at once when every earlier write is synced and answered
    /// (reads such as key lookups then never wait for the disk). `alone`: no request is
    /// queued behind this batch, so the writer may sync it itself.
    pub(crate) fn answer(
        &mut self,
        wrote: bool,
        alone: bool,
        jobs: Vec<(Job, Result<(), String>)>,
    ) {
        let shared = &self.shared;
        // Nothing handed over is still unanswered: answering here keeps commit order.
        let in_order = shared.in_hand.load(Ordering::Acquire) == 0;
        if wrote {
            self.written += 1;
            if alone && in_order {
                shared.flush_and_answer(self.written, jobs, &self.ends);
                return;
            }
        } else if in_order
            && shared.synced.load(Ordering::Acquire) >= self.written
            && !shared.poisoned.load(Ordering::Acquire)
        {
            answer_all(jobs, &self.ends);
            return;
        }
        let waiting = Waiting {
            upto: self.written,
            jobs,
        };
        shared.in_hand.fetch_add(1, Ordering::AcqRel);
        if let Err(mpsc::SendError(waiting)) = self.waiting.send(waiting) {
            shared.in_hand.fetch_sub(1, Ordering::AcqRel);
            let stopped = Err("the store's sync thread has stopped".to_string());
            let jobs = waiting
                .jobs
                .into_iter()
                .map(|(job, _)| (job, stopped.clone()));
            answer_all(jobs, &self.ends);
        }
    }
}

/// Starts the sync thread; batches given to the returned handle are answered once `flush`
/// has succeeded after they committed.
pub(crate) fn start(
    name: &str,
    flush: Box<dyn Flush>,
    ends: GroupEnds,
) -> std::io::Result<Durability> {
    let (tx, rx) = mpsc::channel::<Waiting>();
    let shared = Arc::new(Shared {
        syncing: Mutex::new(Syncing {
            flush,
            failure: None,
        }),
        synced: AtomicU64::new(0),
        poisoned: AtomicBool::new(false),
        in_hand: AtomicUsize::new(0),
    });
    let handle = Durability {
        waiting: tx,
        written: 0,
        shared: shared.clone(),
        ends: ends.clone(),
    };
    std::thread::Builder::new()
        .name(format!("{name}-sync"))
        .spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut batches = vec![first];
                batches.extend(rx.try_iter());
                let count = batches.len();
                let upto = batches.iter().map(|b| b.upto).max().unwrap_or(0);
                let jobs = batches.into_iter().flat_map(|b| b.jobs);
                shared.flush_and_answer(upto, jobs, &ends);
                // Only now may the writer answer a later batch itself: after these.
                shared.in_hand.fetch_sub(count, Ordering::AcqRel);
            }
        })?;
    Ok(handle)
}

/// `fdatasync` of the SQLite WAL file, through a descriptor of its own.
pub(crate) struct WalFlush {
    path: PathBuf,
    dir: PathBuf,
    /// The WAL file and its inode, opened at the first flush (SQLite creates the file at its
    /// first transaction).
    open: Option<(File, u64)>,
}

impl WalFlush {
    pub(crate) fn new(database: &std::path::Path) -> WalFlush {
        let mut wal = database.as_os_str().to_owned();
        wal.push("-wal");
        let dir = database
            .parent()
            .map(|p| p.to_path_buf())
            .unwrap_or_else(|| PathBuf::from("."));
        WalFlush {
            path: PathBuf::from(wal),
            dir,
            open: None,
        }
    }

    fn reopen(&mut self) -> std::io::Result<()> {
        let file = File::open(&self.path)?;
        let inode = file.metadata()?.ino();
        // The directory entry of a WAL file created since: durable with it.
        File::open(&self.dir)?.sync_all()?;
        self.open = Some((file, inode));
        Ok(())
    }

    fn sync(&mut self) -> std::io::Result<()> {
        // SQLite keeps one WAL file while any connection is open; should it be replaced all
        // the same, the new file is the one to sync.
        let current = std::fs::metadata(&self.path)?.ino();
        let stale = match &self.open {
            // A deleted file's inode number may be reused at once: its link count tells.
            Some((file, inode)) => *inode != current || file.metadata()?.nlink() == 0,
            None => true,
        };
        if stale {
            self.reopen()?;
        }
        match &self.open {
            Some((file, _)) => file.sync_data(),
            None => Err(std::io::Error::other("the WAL file is not open")),
        }
    }
}

impl Flush for WalFlush {
    fn flush(&mut self) -> Result<(), String> {
        self.sync()
            .map_err(|e| format!("fsync of {}: {e}", self.path.display()))
    }
}

#[cfg(test)]
#[path = "durable_tests.rs"]
mod tests;
