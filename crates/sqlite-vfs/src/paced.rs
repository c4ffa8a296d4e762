//! A database file's sync spread out, on the thread that asks for it (the store's background
//! checkpoint).
//!
//! A checkpoint that copies the WAL's last frame syncs the database file, and that sync
//! carries every page the checkpoints copied since the last one: under steady load several
//! MiB of scattered pages, handed to the disk at once. Every WAL flush (on which each answer
//! waits) queued behind them: 51–75 ms every few seconds on the benchmark's VM, the p99 at
//! half load (docs/benchmarks.md, fifty-fifth pass). On a thread that called
//! [`pace_database_syncs`], the parts of the database file its connections wrote since their
//! last sync are first handed to the disk one chunk at a time (`sync_file_range`, waited
//! for), with a pause after each chunk that made the disk work, as long as the chunk took:
//! a WAL flush then waits behind one chunk at most, and the checkpoint takes at most about
//! half of the disk's time. Then the platform's sync runs, unchanged.
//!
//! The write-back is advice: it changes when pages reach the disk, never what is durable when
//! the sync returns. Any error in it ends it and leaves the rest to the sync, which decides.

use std::cell::RefCell;
use std::ffi::c_int;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Chunks handed to the disk by paced syncs, process-wide.
static CHUNKS: AtomicU64 = AtomicU64::new(0);

/// Chunks of a database file handed to the disk by paced syncs since the process started.
pub fn paced_chunks() -> u64 {
    CHUNKS.load(Ordering::Relaxed)
}

#[cfg(target_os = "linux")]
mod linux {
    use std::fs::File;
    use std::os::fd::AsRawFd;
    use std::os::unix::fs::MetadataExt;
    use std::time::{Duration, Instant};

    /// Bytes handed to the disk at a time: 32 pages of 4 KiB.
    pub(super) const CHUNK: u64 = 128 * 1024;
    /// A chunk handed over faster than this found (almost) nothing to write: no pause.
    const NOTHING: Duration = Duration::from_micros(40);
    /// The longest pause after one chunk.
    const MAX_PAUSE: Duration = Duration::from_millis(2);
    /// The most one sync pauses in all: past it, the rest is handed over without pauses
    /// (a checkpoint held back too long lets the WAL grow, and the writer copies the rest).
    const BUDGET: Duration = Duration::from_millis(200);
    /// Chunks remembered between two syncs; past it the list is sorted and deduplicated,
    /// and if still full, later writes are left to the sync.
    const REMEMBERED: usize = 1 << 16;

    /// The file whose syncs this thread paces, and what its connections wrote.
    pub(super) struct Pacer {
        file: File,
        identity: (u64, u64),
        /// Database files seen on this thread (SQLite's name pointer) and whether each is
        /// this pacer's file.
        seen: Vec<(usize, bool)>,
        /// Chunk numbers written since the last sync, in the order written.
        pub(super) written: Vec<u64>,
        /// Chunks this pacer handed to the disk.
        pub(super) handed: u64,
    }

    impl Pacer {
        pub(super) fn open(path: &std::path::Path) -> std::io::Result<Pacer> {
            let file = File::open(path)?;
            let meta = file.metadata()?;
            Ok(Pacer {
                file,
                identity: (meta.dev(), meta.ino()),
                seen: Vec::new(),
                written: Vec::new(),
                handed: 0,
            })
        }

        /// Whether the database file SQLite named `key` is this pacer's file.
        fn is(&mut self, key: usize) -> bool {
            if let Some((_, is)) = self.seen.iter().find(|(k, _)| *k == key) {
                return *is;
            }
            // SAFETY: `key` is the name SQLite opened a database file with; SQLite keeps it
            // valid and nul-terminated while the file is open, and its calls come from there.
            let name = unsafe { std::ffi::CStr::from_ptr(key as *const std::ffi::c_char) };
            let path: &std::ffi::OsStr = std::os::unix::ffi::OsStrExt::from_bytes(name.to_bytes());
            let is = std::fs::metadata(path)
                .map(|m| (m.dev(), m.ino()) == self.identity)
                .unwrap_or(false);
            self.seen.push((key, is));
            is
        }

        pub(super) fn closed(&mut self, key: usize) {
            self.seen.retain(|(k, _)| *k != key);
        }

        pub(super) fn wrote(&mut self, key: usize, offset: u64, amount: u64) {
            if amount == 0 || !self.is(key) {
                return;
            }
            if self.written.len() >= REMEMBERED {
                self.written.sort_unstable();
                self.written.dedup();
                if self.written.len() >= REMEMBERED {
                    return;
                }
            }
            let last = offset.saturating_add(amount - 1) / CHUNK;
            for chunk in offset / CHUNK..=last {
                if self.written.last() != Some(&chunk) {
                    self.written.push(chunk);
                }
            }
        }

        /// Hands what was written to the disk, paced, before the sync of the file `key`.
        pub(super) fn before_sync(&mut self, key: usize) {
            if self.is(key) {
                self.hand_over();
            }
        }

        /// Hands what was written to the disk, paced.
        fn hand_over(&mut self) {
            if self.written.is_empty() {
                return;
            }
            let mut written = std::mem::take(&mut self.written);
            written.sort_unstable();
            written.dedup();
            let fd = self.file.as_raw_fd();
            let mut paused = Duration::ZERO;
            for chunk in &written {
                let (Ok(offset), Ok(len)) = (
                    i64::try_from(chunk.saturating_mul(CHUNK)),
                    i64::try_from(CHUNK),
                ) else {
                    break;
                };
                let start = Instant::now();
                // SAFETY: `fd` is open (owned by `self.file`); the call reads only its
                // arguments.
                let rc = unsafe {
                    libc::sync_file_range(
                        fd,
                        offset,
                        len,
                        libc::SYNC_FILE_RANGE_WAIT_BEFORE
                            | libc::SYNC_FILE_RANGE_WRITE
                            | libc::SYNC_FILE_RANGE_WAIT_AFTER,
                    )
                };
                if rc != 0 {
                    break;
                }
                super::CHUNKS.fetch_add(1, super::Ordering::Relaxed);
                self.handed += 1;
                let took = start.elapsed();
                if took >= NOTHING && paused < BUDGET {
                    let pause = took.min(MAX_PAUSE);
                    std::thread::sleep(pause);
                    paused += pause;
                }
            }
            // The list's memory is kept for the next round.
            written.clear();
            self.written = written;
        }
    }
}

#[cfg(target_os = "linux")]
thread_local! {
    static PACER: RefCell<Option<linux::Pacer>> = const { RefCell::new(None) };
}

/// From now on, on this thread, a sync of the database file at `path` through this VFS is
/// spread out: what the thread's connections wrote to it since its last sync is handed to the
/// disk in paced chunks first. For the thread that runs background checkpoints; a thread
/// that answers requests should not call it (its sync would take longer). A no-op where
/// `sync_file_range` does not exist.
pub fn pace_database_syncs(path: &Path) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        let pacer = linux::Pacer::open(path)?;
        PACER.with(|p| *p.borrow_mut() = Some(pacer));
    }
    #[cfg(not(target_os = "linux"))]
    let _ = path;
    Ok(())
}

/// Runs `f` on this thread's pacer, if it has one (and it is not already borrowed).
#[cfg(target_os = "linux")]
fn with_pacer(f: impl FnOnce(&mut linux::Pacer)) {
    // A thread being torn down has no pacer any more: nothing to do.
    let _ = PACER.try_with(|p| {
        if let Ok(mut p) = p.try_borrow_mut()
            && let Some(pacer) = p.as_mut()
        {
            f(pacer);
        }
    });
}

/// This thread's pacer's chunks handed over so far, and those it holds; `None` without one.
#[cfg(all(test, target_os = "linux"))]
fn here() -> Option<(u64, Vec<u64>)> {
    PACER.with(|p| p.borrow().as_ref().map(|p| (p.handed, p.written.clone())))
}

/// The database file `key` had `amount` bytes written at `offset`.
pub(crate) fn wrote(key: usize, offset: i64, amount: c_int) {
    #[cfg(target_os = "linux")]
    if let (Ok(offset), Ok(amount)) = (u64::try_from(offset), u64::try_from(amount)) {
        with_pacer(|p| p.wrote(key, offset, amount));
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (key, offset, amount);
}

/// The database file `key` is about to be synced.
pub(crate) fn before_sync(key: usize) {
    #[cfg(target_os = "linux")]
    with_pacer(|p| p.before_sync(key));
    #[cfg(not(target_os = "linux"))]
    let _ = key;
}

/// The database file `key` is closing: its name may be reused.
pub(crate) fn closed(key: usize) {
    #[cfg(target_os = "linux")]
    with_pacer(|p| p.closed(key));
    #[cfg(not(target_os = "linux"))]
    let _ = key;
}

#[cfg(all(test, target_os = "linux"))]
#[path = "paced_tests.rs"]
mod tests;
