//! Keeping the WAL short under steady load.
//!
//! A background connection copies the WAL into the database file (PASSIVE checkpoints: they
//! never block the writer), and SQLite starts the WAL over only when a write transaction
//! begins with every frame copied. Under steady load the background copy never catches up —
//! frames arrive while it runs — and the WAL grew without end (90 MB a second under the
//! benchmark's load; 1.35 GB after 15 seconds). So the writer, between batches and after their
//! answers are out, copies the last few frames itself once the background pass has done the
//! rest, and the next batch starts the WAL over; the background pass is woken by the WAL's
//! size instead of waiting for its next tick. A WAL past `Limits::hard` is caught up by the
//! writer whatever it costs. Every checkpoint is safe whenever it runs: these thresholds only
//! decide who copies and when.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::time::Duration;

use rusqlite::Connection;

use crate::StoreError;

/// When the WAL is copied, and by whom.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    /// How often the background connection checkpoints when nothing wakes it sooner.
    pub(crate) every: Duration,
    /// Frames (4 KiB pages) past which a cycle ends: the background pass is woken and the
    /// writer starts the WAL over. Each cycle costs the writer one short checkpoint (its last
    /// frames and an `fsync` of the database file): 1–15 ms measured under the benchmark's load,
    /// which shows in the p99.9 (docs/benchmarks.md).
    pub(crate) cycle: i32,
    /// Frames not yet copied that the writer copies itself.
    pub(crate) tail: i32,
    /// Background passes asked for in one cycle before the writer copies whatever is left
    /// (the frames that arrive during a pass may never fall under `tail` at high load).
    pub(crate) asks: u32,
    /// Frames past which the writer copies whatever is left, however long it takes.
    pub(crate) hard: i32,
    /// What the WAL file is cut back to when SQLite starts it over (it keeps its largest size
    /// otherwise); above a cycle's size, so that a steady load reuses the file's blocks.
    pub(crate) size: i64,
}

impl Limits {
    /// 256 MiB cycles: at the benchmark's saturated load (90 MB of WAL a second) one writer
    /// checkpoint every three seconds, rarer at lower load; the writer copies whatever is
    /// left once the WAL reaches 1 GiB.
    pub(crate) const DEFAULT: Limits = Limits {
        every: Duration::from_millis(250),
        cycle: 65_536,
        tail: 32,
        asks: 5,
        hard: 262_144,
        size: 320 * 1024 * 1024,
    };
}

/// What the writer and the background checkpoint share.
pub(crate) struct WalUpkeep {
    /// Frames in the WAL after the writer's last commit (its WAL hook).
    frames: AtomicI32,
    /// The writer's commits that wrote to the WAL (its WAL hook).
    commits: AtomicU64,
    /// Frames the last background pass had copied (of the WAL as it was then: after the
    /// writer starts the WAL over this may be stale, which only makes the writer copy sooner).
    copied: AtomicI32,
    /// A pass was asked for and has not started.
    asked: AtomicBool,
    /// Passes the writer asked for since it last started the WAL over.
    asks: AtomicU32,
    limits: Limits,
    wake: Condvar,
    lock: Mutex<()>,
}

/// Sets up the writer's connection (no automatic checkpoints, a size limit, the WAL hook) and
/// starts the background checkpoint on a connection of its own, until `alive` can no longer
/// be upgraded.
pub(crate) fn start(
    path: &Path,
    writer: &mut Connection,
    alive: Weak<()>,
    limits: Limits,
) -> Result<Arc<WalUpkeep>, StoreError> {
    // The writer never checkpoints on its own schedule (a whole checkpoint would stall every
    // request queued behind it); see `after_batch`.
    writer.pragma_update(None, "wal_autocheckpoint", 0)?;
    writer.pragma_update(None, "journal_size_limit", limits.size)?;
    let upkeep = Arc::new(WalUpkeep {
        frames: AtomicI32::new(0),
        commits: AtomicU64::new(0),
        copied: AtomicI32::new(0),
        asked: AtomicBool::new(false),
        asks: AtomicU32::new(0),
        limits,
        wake: Condvar::new(),
        lock: Mutex::new(()),
    });
    // Registered after `wal_autocheckpoint`, which replaces any WAL hook.
    let hook = upkeep.clone();
    writer.wal_hook(Some(move |_: &mut rusqlite::hooks::Wal, frames| {
        hook.frames.store(frames, Ordering::Relaxed);
        hook.commits.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }))?;
    let conn = super::sqlite::open_connection(path)?;
    let background = upkeep.clone();
    std::thread::Builder::new()
        .name("sqlite-checkpt".into())
        .spawn(move || background.run(&conn, &alive))?;
    Ok(upkeep)
}

/// Runs a PASSIVE checkpoint: whether every frame was copied, and how many were.
fn checkpoint(conn: &Connection) -> rusqlite::Result<(bool, i32)> {
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
        let (busy, log, copied): (i64, i32, i32) = (r.get(0)?, r.get(1)?, r.get(2)?);
        Ok((busy == 0 && copied == log, copied))
    })
}

impl WalUpkeep {
    /// The writer's commits that wrote something, so far.
    pub(crate) fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    fn run(&self, conn: &Connection, alive: &Weak<()>) {
        while alive.upgrade().is_some() {
            // Woken early when asked; a poisoned lock only means a tick is skipped.
            if let Ok(guard) = self.lock.lock()
                && !self.asked.load(Ordering::Acquire)
            {
                let _ = self.wake.wait_timeout(guard, self.limits.every);
            }
            self.asked.store(false, Ordering::Release);
            match checkpoint(conn) {
                Ok((_, copied)) => self.copied.store(copied, Ordering::Relaxed),
                Err(e) => tracing::warn!(error = %e, "wal checkpoint failed; retrying"),
            }
        }
    }

    /// Called by the writer between batches, once their answers are out: copies the last
    /// frames itself when the background pass has copied the rest (or the WAL is past
    /// `hard`), else wakes the background pass.
    pub(crate) fn after_batch(&self, writer: &Connection) {
        let frames = self.frames.load(Ordering::Relaxed);
        let limits = &self.limits;
        if frames < limits.cycle {
            return;
        }
        let left = frames - self.copied.load(Ordering::Relaxed);
        let asks = self.asks.load(Ordering::Relaxed);
        if left <= limits.tail || asks >= limits.asks || frames >= limits.hard {
            match checkpoint(writer) {
                // The next transaction starts the WAL over.
                Ok((true, _)) => {
                    self.frames.store(0, Ordering::Relaxed);
                    self.copied.store(0, Ordering::Relaxed);
                    self.asks.store(0, Ordering::Relaxed);
                }
                // Busy (the background pass is copying): after the next batch.
                Ok((false, _)) => {}
                Err(e) => tracing::warn!(error = %e, "wal checkpoint by the writer failed"),
            }
        } else if !self.asked.swap(true, Ordering::AcqRel) {
            self.asks.fetch_add(1, Ordering::Relaxed);
            let _guard = self.lock.lock();
            self.wake.notify_one();
        }
    }
}

#[cfg(test)]
#[path = "sqlite_wal_tests.rs"]
mod tests;
