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

/// A small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// What the table holds: count, total length of bodies, sum of ids.
type Digest = (i64, i64, i64);

fn digest(conn: &Connection) -> rusqlite::Result<Digest> {
    conn.query_row(
        "SELECT count(*), coalesce(sum(length(body)), 0), coalesce(sum(id), 0) FROM t",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

fn digest_of_a_copy(path: &Path) -> (Digest, String) {
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(path, copy.path().join("c.db")).unwrap();
    let wal = path.with_extension("db-wal");
    if wal.exists() {
        std::fs::copy(&wal, copy.path().join("c.db-wal")).unwrap();
    }
    let conn = Connection::open(copy.path().join("c.db")).unwrap();
    (digest(&conn).unwrap(), integrity(&conn))
}

/// Random transactions by two connections of this VFS (and a plain reader), with spills,
/// savepoints, failed statements, rollbacks, checkpoints of every mode between them, and
/// locking-mode switches; after every commit the files are copied and recovered, and every
/// connection must read what was committed.
fn random_workload(seed: u64, ours: bool) {
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let page = [512i64, 1024, 4096, 8192, 65_536][usize::try_from(rng.below(5)).unwrap()];
    let psow0 = rng.chance(50);
    let uri = format!(
        "file:{}{}",
        path.display(),
        if psow0 { "?psow=0" } else { "" }
    );
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_URI;
    let open_one = |rng: &mut Rng| -> Connection {
        let conn = if ours {
            airlock_sqlite_vfs::register().unwrap();
            Connection::open_with_flags_and_vfs(&uri, flags, airlock_sqlite_vfs::NAME).unwrap()
        } else {
            Connection::open_with_flags(&uri, flags).unwrap()
        };
        conn.busy_timeout(Duration::from_millis(200)).unwrap();
        conn.pragma_update(None, "page_size", page).unwrap();
        conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        let sync = ["OFF", "NORMAL", "FULL"][usize::try_from(rng.below(3)).unwrap()];
        conn.pragma_update(None, "synchronous", sync).unwrap();
        conn.pragma_update(
            None,
            "wal_autocheckpoint",
            [0, 0, 10, 1000][usize::try_from(rng.below(4)).unwrap()],
        )
        .unwrap();
        if rng.chance(30) {
            conn.pragma_update(None, "mmap_size", 1 << 20).unwrap();
        }
        conn
    };
    let first = open_one(&mut rng);
    first
        .execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
             CREATE INDEX t_body ON t (substr(body, 1, 20))",
        )
        .unwrap();
    let mut conns = vec![first, open_one(&mut rng)];
    let plain = Connection::open_with_flags(&uri, flags).unwrap();
    plain.busy_timeout(Duration::from_millis(200)).unwrap();
    let mut model: Digest = (0, 0, 0);
    let mut next_id = 1i64;
    for step in 0..60 {
        let who = usize::try_from(rng.below(2)).unwrap();
        let conn = &conns[who];
        conn.pragma_update(
            None,
            "cache_size",
            [3, 10, 100, 2000][usize::try_from(rng.below(4)).unwrap()],
        )
        .unwrap();
        if rng.chance(8) {
            let mode =
                ["PASSIVE", "FULL", "RESTART", "TRUNCATE"][usize::try_from(rng.below(4)).unwrap()];
            let _ =
                conns[1 - who].query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |_| Ok(()));
        }
        if rng.chance(5) {
            // Exclusive for one transaction, then back (the next access leaves it).
            let _ = conn.pragma_update(None, "locking_mode", "EXCLUSIVE");
        }
        if conn.execute_batch("BEGIN IMMEDIATE").is_err() {
            let _ = conn.execute_batch("ROLLBACK");
            let _ = conn.pragma_update(None, "locking_mode", "NORMAL");
            let _ = digest(conn);
            continue;
        }
        let mut tx_model = model;
        let mut saved: Option<(Digest, i64)> = None;
        let ops = 1 + rng.below(40);
        let mut ok = true;
        for _ in 0..ops {
            match rng.below(10) {
                0..=5 => {
                    let big = rng.chance(10);
                    let len =
                        i64::try_from(1 + rng.below(if big { 20_000 } else { 1500 })).unwrap();
                    let id = next_id;
                    next_id += 1;
                    if conn
                        .execute(
                            "INSERT INTO t VALUES (?1, substr(hex(randomblob(?2)), 1, ?2))",
                            (id, len),
                        )
                        .is_err()
                    {
                        ok = false;
                        break;
                    }
                    tx_model = (tx_model.0 + 1, tx_model.1 + len, tx_model.2 + id);
                }
                6 => {
                    // A failing statement (statement rollback inside the transaction).
                    let _ = conn.execute(
                        "INSERT INTO t SELECT id, body FROM t WHERE id > ?1 - 50",
                        (next_id,),
                    );
                }
                7 => {
                    if saved.is_none() {
                        if conn.execute_batch("SAVEPOINT s").is_ok() {
                            saved = Some((tx_model, next_id));
                        }
                    } else if let Some((m, _)) = saved.take() {
                        if rng.chance(60) {
                            conn.execute_batch("ROLLBACK TO s; RELEASE s").unwrap();
                            tx_model = m;
                        } else {
                            conn.execute_batch("RELEASE s").unwrap();
                        }
                    }
                }
                _ => {
                    // Delete a few rows, rewriting pages spilled earlier.
                    let (n, len, ids): Digest = conn
                        .query_row(
                            "SELECT count(*), coalesce(sum(length(body)),0), coalesce(sum(id),0) FROM t WHERE id % 7 = ?1",
                            (i64::try_from(rng.below(7)).unwrap(),),
                            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                        )
                        .unwrap();
                    let _ = (n, len, ids);
                    let k = i64::try_from(rng.below(7)).unwrap();
                    let d: Digest = conn
                        .query_row(
                            "SELECT count(*), coalesce(sum(length(body)),0), coalesce(sum(id),0) FROM t WHERE id % 7 = ?1 AND id % 3 = 0",
                            (k,),
                            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                        )
                        .unwrap();
                    conn.execute("DELETE FROM t WHERE id % 7 = ?1 AND id % 3 = 0", (k,))
                        .unwrap();
                    tx_model = (tx_model.0 - d.0, tx_model.1 - d.1, tx_model.2 - d.2);
                }
            }
        }
        if saved.is_some() {
            conn.execute_batch("RELEASE s").unwrap();
        }
        let commit = ok && rng.chance(70);
        if commit {
            conn.execute_batch("COMMIT").unwrap();
            model = tx_model;
            let (copied, check) = digest_of_a_copy(&path);
            assert_eq!(check, "ok", "seed {seed} step {step}: copy integrity");
            assert_eq!(
                copied, model,
                "seed {seed} step {step}: the copy after a commit"
            );
        } else {
            conn.execute_batch("ROLLBACK").unwrap();
            if airlock_sqlite_vfs::kept_frame_bytes() > 0 {
                eprintln!("seed {seed} step {step}: frames kept past a rollback");
            }
        }
        let _ = conn.pragma_update(None, "locking_mode", "NORMAL");
        if rng.chance(40) {
            // The other connection commits before this one uses its WAL file again (the
            // access after NORMAL is set leaves exclusive mode without reading the WAL
            // when the page it needs is cached).
            let _ = conn.query_row("SELECT 1 FROM sqlite_master LIMIT 1", [], |_| Ok(()));
            let other = &conns[1 - who];
            let id = next_id;
            next_id += 1;
            let len = i64::try_from(1 + rng.below(6000)).unwrap();
            if other
                .execute(
                    "INSERT INTO t VALUES (?1, substr(hex(randomblob(?2)), 1, ?2))",
                    (id, len),
                )
                .is_ok()
            {
                model = (model.0 + 1, model.1 + len, model.2 + id);
                let (copied, check) = digest_of_a_copy(&path);
                assert_eq!(
                    check, "ok",
                    "seed {seed} step {step}: copy integrity (other)"
                );
                assert_eq!(
                    copied, model,
                    "seed {seed} step {step}: the copy after the other's commit"
                );
            }
        }
        if rng.chance(4) {
            let _ = conn.execute_batch("VACUUM");
        }
        if rng.chance(4) && conn.pragma_update(None, "journal_mode", "DELETE").is_ok() {
            conn.pragma_update(None, "journal_mode", "WAL").unwrap();
        }
        let _ = digest(conn);
        for (i, c) in conns.iter().enumerate() {
            assert_eq!(
                digest(c).unwrap(),
                model,
                "seed {seed} step {step}: connection {i}"
            );
        }
        assert_eq!(
            digest(&plain).unwrap(),
            model,
            "seed {seed} step {step}: plain reader"
        );
        if rng.chance(5) {
            // A connection closed and reopened.
            let again = open_one(&mut rng);
            conns[who] = again;
        }
    }
    drop(conns);
    assert_eq!(integrity(&plain), "ok", "seed {seed}");
    drop(plain);
    let fresh = Connection::open(&path).unwrap();
    assert_eq!(digest(&fresh).unwrap(), model, "seed {seed}: at the end");
    assert_eq!(integrity(&fresh), "ok", "seed {seed}");
}

#[test]
fn random_workloads_plain_unix() {
    let _turn = serial();
    for seed in 1..=3 {
        random_workload(seed, false);
    }
}

#[test]
fn random_workloads_ours() {
    let _turn = serial();
    let seeds: u64 = std::env::var("REVIEW_SEEDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    for seed in 1..=seeds {
        random_workload(seed, true);
    }
}

/// A spills a transaction (frames kept) while B is refused the write lock, reads, and runs
/// checkpoints of every mode; then A commits and B reads the commit. Returns what B read
/// before and after, and a copy's rows after the commit.
fn a_busy_writer_beside_kept_frames(ours: bool) -> (i64, i64, i64, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let a = open(&path, ours);
    a.pragma_update(None, "synchronous", "NORMAL").unwrap();
    a.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    a.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
        .unwrap();
    for i in 0..30 {
        a.execute("INSERT INTO t VALUES (?1, ?2)", (i, "x".repeat(700)))
            .unwrap();
    }
    let b = open(&path, ours);
    b.busy_timeout(Duration::ZERO).unwrap();
    a.pragma_update(None, "cache_size", 4).unwrap();
    a.execute_batch("BEGIN").unwrap();
    for i in 100..160 {
        a.execute("INSERT INTO t VALUES (?1, ?2)", (i, "k".repeat(1200)))
            .unwrap();
    }
    a.execute("UPDATE t SET body = body || 'u' WHERE id < 20", [])
        .unwrap();
    assert!(
        b.execute_batch("BEGIN IMMEDIATE").is_err(),
        "A holds the write lock"
    );
    let _ = b.execute_batch("ROLLBACK");
    let before = rows(&b, "t").unwrap();
    for mode in ["PASSIVE", "FULL", "RESTART", "TRUNCATE"] {
        let _ = b.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |_| Ok(()));
    }
    a.execute_batch("COMMIT").unwrap();
    let after = rows(&b, "t").unwrap();
    let copy = tempfile::tempdir().unwrap();
    std::fs::copy(&path, copy.path().join("c.db")).unwrap();
    std::fs::copy(path.with_extension("db-wal"), copy.path().join("c.db-wal")).unwrap();
    let c = Connection::open(copy.path().join("c.db")).unwrap();
    (before, after, rows(&c, "t").unwrap(), integrity(&c))
}

#[test]
fn a_busy_writer_beside_kept_frames_plain_unix() {
    let _turn = serial();
    assert_eq!(
        a_busy_writer_beside_kept_frames(false),
        (30, 90, 90, "ok".to_string())
    );
}

#[test]
fn a_busy_writer_beside_kept_frames_ours() {
    let _turn = serial();
    assert_eq!(
        a_busy_writer_beside_kept_frames(true),
        (30, 90, 90, "ok".to_string())
    );
}

/// In `locking_mode=EXCLUSIVE` (set before the WAL opens, so its index is in heap memory, or
/// after, with shared memory), spilled transactions commit, roll back and roll back to
/// savepoints; each commit is in the files when it returns. Returns the rows a copy reads
/// after the last commit, and the most frame bytes kept at any point.
fn exclusive_mode_transactions(ours: bool, before_wal: bool) -> (i64, String, i64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("e.db");
    let conn = if ours {
        airlock_sqlite_vfs::register().unwrap();
        Connection::open_with_flags_and_vfs(
            &path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
            airlock_sqlite_vfs::NAME,
        )
        .unwrap()
    } else {
        Connection::open(&path).unwrap()
    };
    if before_wal {
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
            .unwrap();
    }
    conn.pragma_update(None, "journal_mode", "WAL").unwrap();
    conn.pragma_update(None, "synchronous", "NORMAL").unwrap();
    conn.pragma_update(None, "wal_autocheckpoint", 0).unwrap();
    conn.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
        .unwrap();
    if !before_wal {
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")
            .unwrap();
    }
    conn.pragma_update(None, "cache_size", 4).unwrap();
    let mut most_kept = 0;
    let mut committed = 0;
    for round in 0..6i64 {
        conn.execute_batch("BEGIN").unwrap();
        for i in 0..40 {
            conn.execute(
                "INSERT INTO t VALUES (?1, ?2)",
                (round * 1000 + i, "e".repeat(900)),
            )
            .unwrap();
            most_kept = most_kept.max(airlock_sqlite_vfs::kept_frame_bytes());
        }
        conn.execute_batch("SAVEPOINT s").unwrap();
        for i in 500..540 {
            conn.execute(
                "INSERT INTO t VALUES (?1, ?2)",
                (round * 1000 + i, "r".repeat(900)),
            )
            .unwrap();
            most_kept = most_kept.max(airlock_sqlite_vfs::kept_frame_bytes());
        }
        conn.execute_batch("ROLLBACK TO s; RELEASE s").unwrap();
        if round % 2 == 0 {
            conn.execute_batch("COMMIT").unwrap();
            committed += 40;
            let copy = tempfile::tempdir().unwrap();
            std::fs::copy(&path, copy.path().join("c.db")).unwrap();
            std::fs::copy(path.with_extension("db-wal"), copy.path().join("c.db-wal")).unwrap();
            let c = Connection::open(copy.path().join("c.db")).unwrap();
            assert_eq!(rows(&c, "t").unwrap(), committed, "round {round}");
            assert_eq!(integrity(&c), "ok");
        } else {
            conn.execute_batch("ROLLBACK").unwrap();
        }
    }
    let n = rows(&conn, "t").unwrap();
    let check = integrity(&conn);
    drop(conn);
    let fresh = Connection::open(&path).unwrap();
    assert_eq!(rows(&fresh, "t").unwrap(), n);
    (n, check, most_kept)
}

#[test]
fn exclusive_mode_transactions_plain_unix() {
    let _turn = serial();
    for before_wal in [true, false] {
        let (n, check, _) = exclusive_mode_transactions(false, before_wal);
        assert_eq!((n, check.as_str()), (120, "ok"));
    }
}

#[test]
fn exclusive_mode_transactions_ours() {
    let _turn = serial();
    for before_wal in [true, false] {
        // Nothing is kept past a frame where the write lock's release cannot be seen.
        assert_eq!(
            exclusive_mode_transactions(true, before_wal),
            (120, "ok".to_string(), 0),
            "exclusive mode set before the WAL opened: {before_wal}"
        );
    }
}
