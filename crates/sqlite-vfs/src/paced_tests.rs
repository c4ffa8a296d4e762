//! A paced sync: over a recording platform file (what is handed over, and that the platform's
//! sync still runs after it), and through SQLite (a checkpoint on a pacing thread).

// Every unsafe block here calls a method as SQLite would, on a file `wrapped_file` made.
#![allow(clippy::undocumented_unsafe_blocks, clippy::expect_used)]

use std::cell::RefCell;
use std::ffi::{CString, c_int, c_void};

use rusqlite::ffi;

use super::here;

thread_local! {
    /// What reached the platform file, in order.
    static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

fn taken() -> Vec<String> {
    LOG.with(|l| std::mem::take(&mut *l.borrow_mut()))
}

unsafe extern "C" fn fake_close(_: *mut ffi::sqlite3_file) -> c_int {
    LOG.with(|l| l.borrow_mut().push("close".into()));
    ffi::SQLITE_OK
}

unsafe extern "C" fn fake_write(
    _: *mut ffi::sqlite3_file,
    _: *const c_void,
    amount: c_int,
    offset: i64,
) -> c_int {
    LOG.with(|l| l.borrow_mut().push(format!("write {amount}@{offset}")));
    ffi::SQLITE_OK
}

unsafe extern "C" fn fake_sync(_: *mut ffi::sqlite3_file, _: c_int) -> c_int {
    // What the pacer had handed over when the platform's sync ran.
    let handed = here().map_or(0, |(handed, _)| handed);
    LOG.with(|l| l.borrow_mut().push(format!("sync after {handed}")));
    ffi::SQLITE_OK
}

unsafe extern "C" fn fake_shm_lock(
    _: *mut ffi::sqlite3_file,
    _: c_int,
    _: c_int,
    _: c_int,
) -> c_int {
    ffi::SQLITE_OK
}

/// A platform database file with shared memory (so that `db::wrap` wraps it).
static FAKE: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    iVersion: 2,
    xClose: Some(fake_close),
    xRead: None,
    xWrite: Some(fake_write),
    xTruncate: None,
    xSync: Some(fake_sync),
    xFileSize: None,
    xLock: None,
    xUnlock: None,
    xCheckReservedLock: None,
    xFileControl: None,
    xSectorSize: None,
    xDeviceCharacteristics: None,
    xShmMap: None,
    xShmLock: Some(fake_shm_lock),
    xShmBarrier: None,
    xShmUnmap: None,
    xFetch: None,
    xUnfetch: None,
};

/// A database file as `open_file` makes it over the recording platform file, named `name`.
fn wrapped_file(memory: &mut Vec<u64>, name: &CString) -> *mut ffi::sqlite3_file {
    assert_eq!(crate::register(), Ok(()));
    let size = *crate::db::PLATFORM_SIZE.get().expect("registered");
    memory.resize(crate::db::size_needed(size).div_ceil(8), 0);
    let file = memory.as_mut_ptr().cast::<ffi::sqlite3_file>();
    unsafe {
        file.write(ffi::sqlite3_file { pMethods: &FAKE });
        crate::db::wrap(file, size, name.as_ptr() as usize);
    }
    assert!(!std::ptr::eq(unsafe { (*file).pMethods }, &FAKE), "wrapped");
    file
}

fn write(file: *mut ffi::sqlite3_file, amount: c_int, offset: i64) {
    let bytes = vec![7u8; usize::try_from(amount).unwrap_or(0)];
    let m = unsafe { (*file).pMethods.as_ref() }.and_then(|m| m.xWrite);
    let rc = m.map(|m| unsafe { m(file, bytes.as_ptr().cast(), amount, offset) });
    assert_eq!(rc, Some(ffi::SQLITE_OK));
}

fn sync(file: *mut ffi::sqlite3_file) {
    let m = unsafe { (*file).pMethods.as_ref() }.and_then(|m| m.xSync);
    assert_eq!(m.map(|m| unsafe { m(file, 0) }), Some(ffi::SQLITE_OK));
}

fn close(file: *mut ffi::sqlite3_file) {
    let m = unsafe { (*file).pMethods.as_ref() }.and_then(|m| m.xClose);
    assert_eq!(m.map(|m| unsafe { m(file) }), Some(ffi::SQLITE_OK));
}

/// A real file (the pacer hands its chunks over through its own descriptor) and its name.
fn real_file(dir: &tempfile::TempDir, name: &str) -> CString {
    let path = dir.path().join(name);
    std::fs::write(&path, vec![0u8; 64 * 1024]).expect("file");
    CString::new(path.to_str().expect("utf-8").as_bytes()).expect("no nul")
}

#[test]
fn a_paced_sync_hands_each_written_chunk_over_once_then_syncs() {
    // On a thread of its own: the pacer is the thread's.
    std::thread::spawn(|| {
        let dir = tempfile::tempdir().expect("dir");
        let name = real_file(&dir, "a.db");
        super::pace_database_syncs(std::path::Path::new(name.to_str().expect("utf-8")))
            .expect("pacer");
        let mut memory = Vec::new();
        let file = wrapped_file(&mut memory, &name);
        const CHUNK: i64 = 128 * 1024;
        write(file, 4096, 0);
        write(file, 4096, 4096);
        // Across the first two chunks' boundary.
        write(file, 200, CHUNK - 100);
        write(file, 4096, 80 * CHUNK);
        // Chunk 0 again, after others: remembered twice, handed over once.
        write(file, 4096, 8192);
        write(file, 0, 90 * CHUNK);
        assert_eq!(here().map(|(_, w)| w), Some(vec![0, 1, 80, 0]));
        sync(file);
        let log = taken();
        assert_eq!(log.len(), 7, "{log:?}");
        assert_eq!(
            log[6], "sync after 3",
            "three chunks, then the platform's sync"
        );
        assert_eq!(here(), Some((3, vec![])), "nothing held after the sync");
        // A second sync with nothing written hands nothing over, and still syncs.
        sync(file);
        assert_eq!(taken(), ["sync after 3"]);
        close(file);
        assert_eq!(taken(), ["close"]);
    })
    .join()
    .expect("test thread");
}

#[test]
fn another_files_writes_and_syncs_are_not_paced() {
    std::thread::spawn(|| {
        let dir = tempfile::tempdir().expect("dir");
        let paced = real_file(&dir, "paced.db");
        let other = real_file(&dir, "other.db");
        super::pace_database_syncs(std::path::Path::new(paced.to_str().expect("utf-8")))
            .expect("pacer");
        let mut memory = Vec::new();
        let file = wrapped_file(&mut memory, &other);
        write(file, 4096, 0);
        assert_eq!(
            here(),
            Some((0, vec![])),
            "another file's write is not remembered"
        );
        sync(file);
        assert_eq!(taken(), ["write 4096@0", "sync after 0"]);
        close(file);
        taken();
    })
    .join()
    .expect("test thread");
}

#[test]
fn a_thread_that_did_not_ask_syncs_as_the_platform_does() {
    std::thread::spawn(|| {
        let dir = tempfile::tempdir().expect("dir");
        let name = real_file(&dir, "a.db");
        let mut memory = Vec::new();
        let file = wrapped_file(&mut memory, &name);
        write(file, 4096, 0);
        sync(file);
        assert_eq!(here(), None);
        assert_eq!(taken(), ["write 4096@0", "sync after 0"]);
        close(file);
        taken();
    })
    .join()
    .expect("test thread");
}

#[test]
fn a_checkpoint_on_a_pacing_thread_hands_its_pages_over_and_keeps_every_row() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("airlock.db");
    let open = |p: &std::path::Path| {
        assert_eq!(crate::register(), Ok(()));
        let conn = rusqlite::Connection::open_with_flags_and_vfs(
            p,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_WRITE | rusqlite::OpenFlags::SQLITE_OPEN_CREATE,
            crate::NAME,
        )
        .expect("open");
        conn.pragma_update(None, "journal_mode", "WAL")
            .expect("wal");
        conn.pragma_update(None, "wal_autocheckpoint", 0)
            .expect("no autocheckpoint");
        conn
    };
    // Written on this thread (no pacer): the pages stay in the WAL.
    let writer = open(&path);
    writer
        .execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000)
             INSERT INTO t SELECT i, printf('%0500d', i) FROM n;",
        )
        .expect("rows");
    let checkpointed = std::thread::scope(|s| {
        s.spawn(|| {
            super::pace_database_syncs(&path).expect("pacer");
            let conn = open(&path);
            let (busy, log, copied): (i64, i64, i64) = conn
                .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .expect("checkpoint");
            (busy, log == copied, here())
        })
        .join()
        .expect("checkpoint thread")
    });
    let (busy, all, pacer) = checkpointed;
    assert_eq!((busy, all), (0, true), "every frame copied");
    let (handed, held) = pacer.expect("a pacer");
    // 3,000 rows of about 500 bytes: about 1.5 MB of pages, a dozen chunks or more.
    assert!(handed >= 10, "{handed} chunks handed over");
    assert!(held.is_empty(), "nothing held after the checkpoint's sync");
    // The database file alone (a copy, without the WAL the writer still holds open) holds
    // every row.
    let copy = dir.path().join("copy.db");
    std::fs::copy(&path, &copy).expect("copy");
    drop(writer);
    let check = rusqlite::Connection::open(&copy).expect("open the copy");
    let rows: i64 = check
        .query_row("SELECT count(*) FROM t", [], |r| r.get(0))
        .expect("count");
    assert_eq!(rows, 3000);
    let ok: String = check
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity");
    assert_eq!(ok, "ok");
}
