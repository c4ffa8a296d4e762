//! The database file, wrapped only so that the release of the WAL's write lock is seen.
//!
//! SQLite takes and releases the WAL's write lock through the database file's shared memory
//! (`xShmLock` on slot 0), never through the WAL file, and makes no call on the WAL file when
//! a transaction rolls back. A WAL file keeps a whole transaction's frames only when its
//! database file is wrapped (`Held::keep_transactions`): the release then writes whatever is
//! still kept, while the connection still holds the lock.
//!
//! The platform's file sits at the start of the memory SQLite gives `xOpen`, so every method
//! but `xShmLock` and `xClose` is the platform's own, called on its own file; a copy of the
//! platform's method table with those two replaced is made once per table the platform uses.
//! The database file and its WAL file are paired by the connection's file name: SQLite gives
//! the WAL file a name from which `sqlite3_filename_database` returns the very pointer it gave
//! the database file, one per connection.

use std::ffi::c_int;
use std::sync::{Mutex, PoisonError};

use rusqlite::ffi;

/// What follows the platform's file in a wrapped database file.
#[repr(C)]
struct Tail {
    /// The connection's database file name, as SQLite passed it (the pairing key).
    key: usize,
    /// The platform's methods for this file.
    platform: &'static ffi::sqlite3_io_methods,
}

/// Where the tail starts: after the platform's file, aligned.
fn tail_offset(platform_size: usize) -> usize {
    platform_size.next_multiple_of(align_of::<Tail>())
}

/// Bytes a wrapped database file needs.
pub(crate) fn size_needed(platform_size: usize) -> usize {
    tail_offset(platform_size) + size_of::<Tail>()
}

/// Method tables made so far: the platform's, and the copy that wraps it.
static TABLES: Mutex<Vec<(usize, &'static ffi::sqlite3_io_methods)>> = Mutex::new(Vec::new());

/// Database files wrapped and open, by key.
static WRAPPED: Mutex<Vec<usize>> = Mutex::new(Vec::new());

/// WAL files keeping whole transactions, by their database's key: the file's address.
static WALS: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());

/// The copy of `platform` that wraps it.
fn table(platform: &'static ffi::sqlite3_io_methods) -> &'static ffi::sqlite3_io_methods {
    let mut tables = TABLES.lock().unwrap_or_else(PoisonError::into_inner);
    let id = std::ptr::from_ref(platform) as usize;
    if let Some((_, ours)) = tables.iter().find(|(p, _)| *p == id) {
        return ours;
    }
    let ours: &'static ffi::sqlite3_io_methods = Box::leak(Box::new(ffi::sqlite3_io_methods {
        xClose: Some(close),
        xShmLock: Some(shm_lock),
        ..*platform
    }));
    tables.push((id, ours));
    ours
}

/// Wraps a database file the platform has just opened at `file`, whose name is `key`.
///
/// # Safety
/// `file` was opened by the platform and has `size_needed(platform_size)` bytes, aligned.
pub(crate) unsafe fn wrap(file: *mut ffi::sqlite3_file, platform_size: usize, key: usize) {
    // SAFETY: the caller's promise: an open platform file, whose methods live forever.
    let Some(platform) = (unsafe { (*file).pMethods.as_ref() }) else {
        return;
    };
    // Without shared memory there is no write lock to see: left as the platform's.
    if platform.iVersion < 2 || platform.xShmLock.is_none() {
        return;
    }
    // SAFETY: the caller's promise: room for the tail after the platform's file, aligned.
    unsafe {
        file.cast::<u8>()
            .add(tail_offset(platform_size))
            .cast::<Tail>()
            .write(Tail { key, platform })
    };
    // SAFETY: as above; SQLite reads the methods through this field.
    unsafe { (*file).pMethods = table(platform) };
    WRAPPED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push(key);
}

/// Whether the database file named `key` is wrapped and open.
pub(crate) fn wrapped(key: usize) -> bool {
    WRAPPED
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .contains(&key)
}

/// A WAL file at `wal` keeps whole transactions of the database named `key`.
pub(crate) fn pair(key: usize, wal: usize) {
    WALS.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .push((key, wal));
}

/// The WAL file at `wal` is closing.
pub(crate) fn unpair(wal: usize) {
    WALS.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .retain(|(_, w)| *w != wal);
}

/// The size the platform's files have, set at registration.
pub(crate) static PLATFORM_SIZE: std::sync::OnceLock<usize> = std::sync::OnceLock::new();

/// The tail of a wrapped database file.
///
/// # Safety
/// `file` was wrapped by `wrap` and not closed.
unsafe fn tail<'a>(file: *mut ffi::sqlite3_file) -> Option<&'a Tail> {
    let size = *PLATFORM_SIZE.get()?;
    // SAFETY: the caller's promise: `wrap` wrote the tail there.
    Some(unsafe { &*file.cast::<u8>().add(tail_offset(size)).cast::<Tail>() })
}

/// Slot of the WAL's write lock in SQLite's shared memory (`WAL_WRITE_LOCK`).
const WAL_WRITE_LOCK: c_int = 0;

unsafe extern "C" fn shm_lock(
    file: *mut ffi::sqlite3_file,
    at: c_int,
    n: c_int,
    flags: c_int,
) -> c_int {
    // SAFETY: SQLite calls this only on files `wrap` wrapped.
    let Some(tail) = (unsafe { tail(file) }) else {
        return ffi::SQLITE_IOERR_SHMLOCK;
    };
    let covers_write = at <= WAL_WRITE_LOCK && WAL_WRITE_LOCK < at.saturating_add(n);
    let paired_wal = || {
        WALS.lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .find(|(key, _)| *key == tail.key)
            .map(|(_, wal)| *wal as *mut ffi::sqlite3_file)
    };
    if covers_write
        && flags == (ffi::SQLITE_SHM_UNLOCK | ffi::SQLITE_SHM_EXCLUSIVE)
        && let Some(wal) = paired_wal()
    {
        // SAFETY: a paired WAL file is open (unpaired on close) and belongs to the same
        // connection, whose calls SQLite makes one at a time: none of its methods runs now.
        unsafe { crate::release(wal) };
    }
    let rc = match tail.platform.xShmLock {
        // SAFETY: the platform's own method on its own file, with SQLite's arguments.
        Some(m) => unsafe { m(file, at, n, flags) },
        None => ffi::SQLITE_IOERR_SHMLOCK,
    };
    // Frames are kept only while the write lock's taking has been seen and its release not
    // yet: in exclusive locking mode SQLite calls neither (`walLockExclusive`).
    if rc == ffi::SQLITE_OK
        && covers_write
        && flags == (ffi::SQLITE_SHM_LOCK | ffi::SQLITE_SHM_EXCLUSIVE)
        && let Some(wal) = paired_wal()
    {
        // SAFETY: as above.
        unsafe { crate::acquired(wal) };
    }
    rc
}

unsafe extern "C" fn close(file: *mut ffi::sqlite3_file) -> c_int {
    // SAFETY: SQLite calls this only on files `wrap` wrapped.
    let Some(tail) = (unsafe { tail(file) }) else {
        return ffi::SQLITE_IOERR_CLOSE;
    };
    let (key, platform) = (tail.key, tail.platform);
    {
        let mut wrapped = WRAPPED.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(i) = wrapped.iter().position(|k| *k == key) {
            wrapped.swap_remove(i);
        }
    }
    match platform.xClose {
        // SAFETY: the platform's own method on its own file, closed once.
        Some(m) => unsafe { m(file) },
        None => ffi::SQLITE_OK,
    }
}
