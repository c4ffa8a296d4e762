//! Adversarial review of ce0c6e3 (whole transactions kept until their commit frame): each
//! test runs a sequence once through the plain `unix` VFS and once through this VFS and
//! expects the same outcome.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Opens `path` in WAL mode through this VFS (`ours`) or the plain `unix` VFS.
fn open(path: &Path, ours: bool) -> Connection {
    let conn = if ours {
        airlock_sqlite_vfs::register().unwrap();
        Connection::open_with_flags_and_vfs(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
            airlock_sqlite_vfs::NAME,
        )
        .unwrap()
    } else {
        Connection::open(path).unwrap()
    };
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    conn
}

fn rows(conn: &Connection, table: &str) -> rusqlite::Result<i64> {
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
}

fn integrity(conn: &Connection) -> String {
    conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap_or_else(|e| format!("error: {e}"))
}

/// A, in `locking_mode=EXCLUSIVE`, spills a transaction into the WAL and rolls it back, then
/// goes back to `locking_mode=NORMAL`; B commits; A reads and closes. Returns what a fresh
/// connection then sees of B's commit, and its integrity check.
fn exclusive_rollback_then_normal(ours: bool) -> (i64, String, i64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.db");
    let a = open(&path, ours);
    a.pragma_update(None, "synchronous", "NORMAL").unwrap();
    a.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    a.execute_batch(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT);
         CREATE TABLE k (id INTEGER PRIMARY KEY, body TEXT)",
    )
    .unwrap();
    for i in 0..50 {
        a.execute("INSERT INTO t VALUES (?1, ?2)", (i, "x".repeat(500)))
            .unwrap();
    }
    // The WAL emptied: A's next transaction starts it over, at the offsets B will use.
    a.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
        .unwrap();
    a.pragma_update(None, "locking_mode", "EXCLUSIVE").unwrap();
    a.pragma_update(None, "cache_size", 5).unwrap();
    a.execute_batch("BEGIN").unwrap();
    for i in 1000..1040 {
        a.execute("INSERT INTO t VALUES (?1, ?2)", (i, "s".repeat(1500)))
            .unwrap();
    }
    // sqlite3WalExclusiveMode(pWal, 1) was called by sqlite3PagerBegin: walLockExclusive and
    // walUnlockExclusive return at once, no xShmLock is made, so the release is never seen.
    a.execute_batch("ROLLBACK").unwrap();
    let kept_after_rollback = airlock_sqlite_vfs::kept_frame_bytes();
    a.pragma_update(None, "locking_mode", "NORMAL").unwrap();
    // The next access leaves exclusive mode (pager_end_transaction -> sqlite3WalExclusiveMode(0))
    // and drops the database file's EXCLUSIVE lock. Table t's root page is cached: no WAL read.
    let _ = rows(&a, "k").unwrap();
    let kept_after_read = airlock_sqlite_vfs::kept_frame_bytes();
    let b = open(&path, ours);
    b.pragma_update(None, "synchronous", "NORMAL").unwrap();
    b.execute_batch("BEGIN").unwrap();
    for i in 0..60 {
        b.execute("INSERT INTO k VALUES (?1, ?2)", (i, "committed".repeat(50)))
            .unwrap();
    }
    b.execute_batch("COMMIT").unwrap();
    // A uses its WAL file again (a read of B's pages), then closes.
    let seen_by_a = rows(&a, "k");
    drop(a);
    let seen_by_b = rows(&b, "k");
    eprintln!(
        "ours={ours}: kept after rollback {kept_after_rollback}, after read {kept_after_read}, A saw {seen_by_a:?}, B saw {seen_by_b:?}"
    );
    drop(b);
    let fresh = Connection::open(&path).unwrap();
    let k = rows(&fresh, "k").unwrap_or(-1);
    let check = integrity(&fresh);
    let t = rows(&fresh, "t").unwrap_or(-1);
    (k, check, t)
}

#[test]
fn exclusive_mode_rollback_then_normal_mode_plain_unix() {
    let _turn = serial();
    assert_eq!(
        exclusive_rollback_then_normal(false),
        (60, "ok".to_string(), 50)
    );
}

#[test]
fn exclusive_mode_rollback_then_normal_mode_ours() {
    // Fails on ce0c6e3: the frames kept for A's rolled-back transaction are written over B's
    // commit when A next calls its WAL file.
    let _turn = serial();
    assert_eq!(
        exclusive_rollback_then_normal(true),
        (60, "ok".to_string(), 50)
    );
}

/// `struct rlimit` on Linux.
#[repr(C)]
struct Rlimit {
    cur: u64,
    max: u64,
}

unsafe extern "C" {
    fn setrlimit(resource: i32, limit: *const Rlimit) -> i32;
    fn getrlimit(resource: i32, limit: *mut Rlimit) -> i32;
    fn signal(signum: i32, handler: usize) -> usize;
}

const RLIMIT_FSIZE: i32 = 1;
const SIGXFSZ: i32 = 25;
const SIG_IGN: usize = 1;

/// Files of this process cannot grow past `limit` bytes (`None`: as before) — a disk that is
/// full for a while. Writes past it fail with EFBIG (SIGXFSZ ignored).
fn file_size_limit(limit: Option<u64>) {
    static ORIGINAL: Mutex<Option<u64>> = Mutex::new(None);
    let mut original = ORIGINAL.lock().unwrap();
    let mut now = Rlimit { cur: 0, max: 0 };
    // SAFETY: plain libc calls with valid pointers.
    unsafe {
        signal(SIGXFSZ, SIG_IGN);
        assert_eq!(getrlimit(RLIMIT_FSIZE, &mut now), 0);
    }
    let cur = match limit {
        Some(l) => {
            original.get_or_insert(now.cur);
            l
        }
        None => original.take().unwrap_or(now.cur),
    };
    let limit = Rlimit { cur, max: now.max };
    // SAFETY: a plain libc call with a valid pointer.
    let rc = unsafe { setrlimit(RLIMIT_FSIZE, &limit) };
    assert_eq!(rc, 0);
}

/// In `locking_mode=EXCLUSIVE`, a commit fails because the disk is full for a while; once
/// there is room again the next transaction commits and every row reads back. Returns the
/// outcome of the failed commit, of the later commit, and the rows then read.
fn exclusive_mode_after_a_failed_write(
    ours: bool,
) -> (bool, Result<(), String>, Result<i64, String>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.db");
    let a = open(&path, ours);
    a.pragma_update(None, "synchronous", "NORMAL").unwrap();
    a.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    a.pragma_update(None, "locking_mode", "EXCLUSIVE").unwrap();
    a.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
        .unwrap();
    for i in 0..10 {
        a.execute("INSERT INTO t VALUES (?1, ?2)", (i, "x".repeat(500)))
            .unwrap();
    }
    let wal = std::fs::metadata(path.with_extension("db-wal"))
        .unwrap()
        .len();
    file_size_limit(Some(wal + 100));
    let failed = a
        .execute_batch(&format!(
            "BEGIN; INSERT INTO t VALUES (100, '{}'); COMMIT",
            "f".repeat(3000)
        ))
        .is_err();
    let _ = a.execute_batch("ROLLBACK");
    file_size_limit(None);
    let later = a
        .execute("INSERT INTO t VALUES (200, 'after the disk has room')", [])
        .map(|_| ())
        .map_err(|e| e.to_string());
    let read = rows(&a, "t").map_err(|e| e.to_string());
    (failed, later, read)
}

#[test]
fn exclusive_mode_a_failed_write_plain_unix() {
    let _turn = serial();
    assert_eq!(
        exclusive_mode_after_a_failed_write(false),
        (true, Ok(()), Ok(11))
    );
}

#[test]
fn exclusive_mode_a_failed_write_ours() {
    // Fails on ce0c6e3: the kept write's failure is sticky until the write lock's release,
    // which in exclusive mode is never seen: every later call on the WAL fails.
    let _turn = serial();
    assert_eq!(
        exclusive_mode_after_a_failed_write(true),
        (true, Ok(()), Ok(11))
    );
}
