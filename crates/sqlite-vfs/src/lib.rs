//! A SQLite VFS that is the platform's own (`unix`) except for one thing: the frames a write
//! transaction appends to the WAL reach the kernel together, in one `pwrite` at its commit,
//! instead of two a frame.
//!
//! SQLite writes each frame's 24-byte header, then its page at the next byte. Each is a
//! system call that takes the file's lock, looks up and locks its page-cache pages and
//! updates the inode; the header's costs about as much as the page's (docs/benchmarks.md,
//! forty-fifth pass). Files opened as a WAL are wrapped: an appended header is held until the
//! page that follows it and joined with it, and the joined frames of a transaction are kept
//! until its commit frame and written together (`held.rs` says exactly when, and why).
//! Keeping frames past one frame needs the taking and release of the WAL's write lock to be
//! seen, and SQLite takes and releases that lock through the database file, so database files
//! are wrapped too (`db.rs`), for that one method; a WAL whose database file is not wrapped,
//! or whose connection is in `locking_mode=EXCLUSIVE` (no `xShmLock` call at all), holds a
//! header only between a frame's two writes. Every other file is the platform's, untouched.
//!
//! What holds: the bytes, their offsets and their order are SQLite's; only the number of
//! calls and when an uncommitted frame reaches the file change. When a call that writes a
//! commit frame's page returns, and when the write lock is released, nothing is kept, so a
//! reader, another connection or process, a copy taken after a commit and the store's own
//! `fdatasync` of the WAL (`airlock-store`'s `durable.rs`) see every byte SQLite wrote; any
//! other call on the WAL file writes what is kept first; a kept write that fails fails every
//! call until the transaction ends. [`held_headers`] and [`kept_frame_bytes`] count what is
//! held; `tests/wal.rs` checks that after every statement, and after every commit and
//! rollback, copies the files after each commit, with and without spilled pages, and recovers
//! the copy, rolls back a spilled transaction while another connection commits (the frames
//! kept for it are written at the lock's release: without that, the other connection's
//! commit is overwritten, checked), pads commits to a sector with small pages, and kills a
//! writer mid-stream; `held_tests.rs` and `lib_tests.rs` check the rules alone.
//!
//! The crate also has SQLite's page cache with one change (`pcache.rs`,
//! [`install_page_cache`]): a truncation no cached page can reach is not passed on, because
//! SQLite's own cache would walk all of itself for it at nearly every commit.

use std::ffi::{CStr, c_int, c_void};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use rusqlite::ffi;

mod db;
mod held;
mod pcache;

use held::{Held, Sink};
pub use pcache::{install_page_cache, missed_truncations, page_cache_installed, truncations};

/// The VFS's name, for `Connection::open_with_flags_and_vfs`.
pub const NAME: &CStr = c"airlock-unix";

/// Why the VFS could not be registered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error(String);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

/// `xWrite` calls SQLite made on WAL files, and writes that reached the platform.
static ASKED: AtomicU64 = AtomicU64::new(0);
static MADE: AtomicU64 = AtomicU64::new(0);
/// Frame headers held right now, all files together.
static HELD: AtomicI64 = AtomicI64::new(0);
/// Bytes of whole frames kept right now, all files together.
static KEPT: AtomicI64 = AtomicI64::new(0);

/// Frame headers held right now, process-wide: at most one a WAL file, between the two
/// writes of one frame, so zero whenever no SQLite call on a WAL file is in flight.
pub fn held_headers() -> i64 {
    HELD.load(Ordering::Relaxed)
}

/// Bytes of whole frames kept right now, process-wide: frames of write transactions that
/// have not committed, so zero whenever no connection is inside a write transaction.
pub fn kept_frame_bytes() -> i64 {
    KEPT.load(Ordering::Relaxed)
}

/// Runs `f` on a file's held header and kept frames, keeping [`held_headers`] and
/// [`kept_frame_bytes`] up to date.
fn tracked<R>(held: &mut Held, f: impl FnOnce(&mut Held) -> R) -> R {
    let (was, kept) = (held.holds(), held.kept());
    let out = f(held);
    match (was, held.holds()) {
        (false, true) => HELD.fetch_add(1, Ordering::Relaxed),
        (true, false) => HELD.fetch_sub(1, Ordering::Relaxed),
        _ => 0,
    };
    let change =
        i64::try_from(held.kept()).unwrap_or(i64::MAX) - i64::try_from(kept).unwrap_or(i64::MAX);
    if change != 0 {
        KEPT.fetch_add(change, Ordering::Relaxed);
    }
    out
}

/// WAL writes since the process started, all files together: how many SQLite asked for,
/// and how many reached the platform.
pub fn wal_writes() -> (u64, u64) {
    (ASKED.load(Ordering::Relaxed), MADE.load(Ordering::Relaxed))
}

type OpenFn = unsafe extern "C" fn(
    *mut ffi::sqlite3_vfs,
    ffi::sqlite3_filename,
    *mut ffi::sqlite3_file,
    c_int,
    *mut c_int,
) -> c_int;

/// The platform VFS's `xOpen`, which opens every file.
static PLATFORM_OPEN: OnceLock<OpenFn> = OnceLock::new();

/// Registers the VFS under [`NAME`] (not as the default); later calls return the first's
/// outcome.
pub fn register() -> Result<(), Error> {
    static REGISTERED: OnceLock<Result<(), Error>> = OnceLock::new();
    // SAFETY: `register_once` runs once, and only reads the default VFS that SQLite returns.
    REGISTERED
        .get_or_init(|| unsafe { register_once() })
        .clone()
}

unsafe fn register_once() -> Result<(), Error> {
    // SAFETY: a null name asks for the default VFS; SQLite initialises itself first.
    let platform = unsafe { ffi::sqlite3_vfs_find(std::ptr::null()) };
    // SAFETY: a registered VFS lives as long as the process and is only read here.
    let Some(platform) = (unsafe { platform.as_ref() }) else {
        return Err(Error("sqlite has no default vfs".into()));
    };
    let Some(open) = platform.xOpen else {
        return Err(Error("the default sqlite vfs cannot open files".into()));
    };
    let platform_size = usize::try_from(platform.szOsFile)
        .map_err(|_| Error("the default sqlite vfs has a file size out of range".into()))?;
    let size = c_int::try_from((platform_size + INNER_OFFSET).max(db::size_needed(platform_size)))
        .map_err(|_| Error("the default sqlite vfs has a file size out of range".into()))?;
    let _ = PLATFORM_OPEN.set(open);
    let _ = db::PLATFORM_SIZE.set(platform_size);
    // Every other entry is the platform's, called with this VFS: the unix VFS reads only
    // `pAppData`, `mxPathname` and `zName` from it (copied, but for the name).
    let vfs = Box::leak(Box::new(ffi::sqlite3_vfs {
        szOsFile: size,
        pNext: std::ptr::null_mut(),
        zName: NAME.as_ptr(),
        xOpen: Some(open_file),
        ..*platform
    }));
    // SAFETY: `vfs` is leaked, so it outlives every connection; not made the default.
    let rc = unsafe { ffi::sqlite3_vfs_register(vfs, 0) };
    if rc != ffi::SQLITE_OK {
        return Err(Error(format!("sqlite refused the vfs (code {rc})")));
    }
    Ok(())
}

/// A WAL file: this header, then the platform's file at `INNER_OFFSET`.
#[repr(C)]
struct WalFile {
    /// First, as SQLite reads `pMethods` from it.
    base: ffi::sqlite3_file,
    inner: *mut ffi::sqlite3_file,
    held: Held,
    /// Paired with its database file (`db.rs`): keeps whole transactions.
    paired: bool,
}

/// Where the platform's file starts inside the memory SQLite gives `xOpen`.
const INNER_OFFSET: usize = size_of::<WalFile>().next_multiple_of(16);

unsafe extern "C" fn open_file(
    vfs: *mut ffi::sqlite3_vfs,
    name: ffi::sqlite3_filename,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    let Some(open) = PLATFORM_OPEN.get() else {
        return ffi::SQLITE_ERROR;
    };
    if flags & ffi::SQLITE_OPEN_MAIN_DB != 0 {
        // SAFETY: `file` has `szOsFile` bytes, more than the platform's file needs.
        let rc = unsafe { open(vfs, name, file, flags, out_flags) };
        if rc == ffi::SQLITE_OK
            && !name.is_null()
            && let Some(&platform_size) = db::PLATFORM_SIZE.get()
            && file.cast::<usize>().is_aligned()
        {
            // SAFETY: an open platform file in `szOsFile` bytes, room for the tail (checked
            // at registration), aligned.
            unsafe { db::wrap(file, platform_size, name as usize) };
        }
        return rc;
    }
    if flags & ffi::SQLITE_OPEN_WAL == 0 {
        // SAFETY: `file` has `szOsFile` bytes, more than the platform's file needs.
        return unsafe { open(vfs, name, file, flags, out_flags) };
    }
    if !file.cast::<WalFile>().is_aligned() {
        // SQLite places a WAL's file right after its 8-aligned `Wal` struct; should that
        // ever change, the WAL is not opened rather than written through a misaligned one.
        // SAFETY: a failed open leaves `pMethods` (the first field) null; written unaligned.
        unsafe {
            file.cast::<*const ffi::sqlite3_io_methods>()
                .write_unaligned(std::ptr::null())
        };
        return ffi::SQLITE_CANTOPEN;
    }
    // SAFETY: `file` has `INNER_OFFSET` + the platform's size in bytes, aligned (above).
    let inner = unsafe { file.cast::<u8>().add(INNER_OFFSET) }.cast::<ffi::sqlite3_file>();
    // SAFETY: as above; the platform opens into its own part.
    let rc = unsafe { open(vfs, name, inner, flags, out_flags) };
    if rc != ffi::SQLITE_OK {
        // SAFETY: a failed open must leave `pMethods` null (SQLite then never closes it).
        unsafe { (*file).pMethods = std::ptr::null() };
        return rc;
    }
    // SAFETY: SQLite names a WAL file after its database; the pointer returned is the one the
    // connection's database file was opened with (compared, never read).
    let key = unsafe { ffi::sqlite3_filename_database(name) } as usize;
    let mut held = Held::default();
    let paired = key != 0 && db::wrapped(key);
    if paired {
        held.keep_transactions();
        db::pair(key, file as usize);
    }
    let wal = WalFile {
        base: ffi::sqlite3_file { pMethods: &METHODS },
        inner,
        held,
        paired,
    };
    // SAFETY: the header's bytes lie before `INNER_OFFSET`; dropped in `close`.
    unsafe { file.cast::<WalFile>().write(wal) };
    ffi::SQLITE_OK
}

static METHODS: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    iVersion: 3,
    xClose: Some(close),
    xRead: Some(read),
    xWrite: Some(write),
    xTruncate: Some(truncate),
    xSync: Some(sync),
    xFileSize: Some(file_size),
    xLock: Some(lock),
    xUnlock: Some(unlock),
    xCheckReservedLock: Some(check_reserved_lock),
    xFileControl: Some(file_control),
    xSectorSize: Some(sector_size),
    xDeviceCharacteristics: Some(device_characteristics),
    xShmMap: Some(shm_map),
    xShmLock: Some(shm_lock),
    xShmBarrier: Some(shm_barrier),
    xShmUnmap: Some(shm_unmap),
    xFetch: Some(fetch),
    xUnfetch: Some(unfetch),
};

/// The platform's file and its methods.
struct Platform {
    file: *mut ffi::sqlite3_file,
    methods: &'static ffi::sqlite3_io_methods,
}

impl Sink for Platform {
    fn write(&mut self, data: &[u8], offset: i64) -> c_int {
        let (Some(write), Ok(len)) = (self.methods.xWrite, c_int::try_from(data.len())) else {
            return ffi::SQLITE_IOERR_WRITE;
        };
        MADE.fetch_add(1, Ordering::Relaxed);
        // SAFETY: an open platform file, and `len` bytes at `data`.
        unsafe { write(self.file, data.as_ptr().cast(), len, offset) }
    }

    fn read(&mut self, buf: &mut [u8], offset: i64) -> c_int {
        let (Some(read), Ok(len)) = (self.methods.xRead, c_int::try_from(buf.len())) else {
            return ffi::SQLITE_IOERR_READ;
        };
        // SAFETY: an open platform file, and room for `len` bytes at `buf`.
        unsafe { read(self.file, buf.as_mut_ptr().cast(), len, offset) }
    }
}

/// The WAL file's state and its platform file.
///
/// # Safety
/// `file` was opened by `open_file` as a WAL file and not closed.
unsafe fn parts<'a>(file: *mut ffi::sqlite3_file) -> Option<(&'a mut Held, Platform)> {
    // SAFETY: the caller's promise: `file` is a `WalFile`, used by one connection at a time.
    let wal = unsafe { &mut *file.cast::<WalFile>() };
    // SAFETY: the platform set its methods on open; they live as long as the process.
    let methods = unsafe { (*wal.inner).pMethods.as_ref() }?;
    let inner = wal.inner;
    Some((
        &mut wal.held,
        Platform {
            file: inner,
            methods,
        },
    ))
}

/// Writes a held header, then gives the platform's file and methods.
///
/// # Safety
/// As for [`parts`].
unsafe fn flushed(file: *mut ffi::sqlite3_file) -> Result<Platform, c_int> {
    // SAFETY: the caller's promise.
    let (held, mut platform) = unsafe { parts(file) }.ok_or(ffi::SQLITE_IOERR)?;
    match tracked(held, |held| held.flush(&mut platform)) {
        ffi::SQLITE_OK => Ok(platform),
        rc => Err(rc),
    }
}

/// Calls the platform's method `$m` after writing a held header; a method the platform
/// lacks answers `$missing`.
macro_rules! forward {
    ($file:ident, $m:ident, $missing:expr $(, $arg:expr)*) => {{
        // SAFETY: SQLite calls these methods only on files `open_file` opened.
        match unsafe { flushed($file) } {
            Err(rc) => rc,
            Ok(p) => match p.methods.$m {
                // SAFETY: the platform's own method on its own file, with SQLite's arguments.
                Some(m) => unsafe { m(p.file $(, $arg)*) },
                None => $missing,
            },
        }
    }};
}

unsafe extern "C" fn close(file: *mut ffi::sqlite3_file) -> c_int {
    // SAFETY: SQLite calls this only on files `open_file` opened.
    let rc = match unsafe { parts(file) } {
        None => ffi::SQLITE_IOERR_CLOSE,
        Some((held, mut platform)) => {
            // The platform's file is closed whether or not a held header could be written.
            let flushed = tracked(held, |held| held.flush(&mut platform));
            let closed = match platform.methods.xClose {
                // SAFETY: the platform's own method on its own file, closed once.
                Some(m) => unsafe { m(platform.file) },
                None => ffi::SQLITE_OK,
            };
            if flushed == ffi::SQLITE_OK {
                closed
            } else {
                flushed
            }
        }
    };
    // SAFETY: as above; read before the file is dropped.
    if unsafe { (*file.cast::<WalFile>()).paired } {
        db::unpair(file as usize);
    }
    // SAFETY: SQLite frees the memory after this returns and never uses the file again.
    unsafe { std::ptr::drop_in_place(file.cast::<WalFile>()) };
    rc
}

/// The WAL's write lock is about to be released: what the WAL file still keeps is written.
///
/// # Safety
/// `file` is a paired WAL file, open, and none of its methods is running.
unsafe fn release(file: *mut ffi::sqlite3_file) {
    // SAFETY: the caller's promise.
    if let Some((held, mut platform)) = unsafe { parts(file) } {
        tracked(held, |held| held.released(&mut platform));
    }
}

/// The WAL's write lock was just taken: the WAL file may keep a transaction's frames.
///
/// # Safety
/// `file` is a paired WAL file, open, and none of its methods is running.
unsafe fn acquired(file: *mut ffi::sqlite3_file) {
    // SAFETY: the caller's promise.
    if let Some((held, _)) = unsafe { parts(file) } {
        held.acquired();
    }
}

unsafe extern "C" fn read(
    file: *mut ffi::sqlite3_file,
    buf: *mut c_void,
    amount: c_int,
    offset: i64,
) -> c_int {
    forward!(file, xRead, ffi::SQLITE_IOERR_READ, buf, amount, offset)
}

unsafe extern "C" fn write(
    file: *mut ffi::sqlite3_file,
    buf: *const c_void,
    amount: c_int,
    offset: i64,
) -> c_int {
    // SAFETY: SQLite calls this only on files `open_file` opened.
    let Some((held, mut platform)) = (unsafe { parts(file) }) else {
        return ffi::SQLITE_IOERR_WRITE;
    };
    let Ok(len) = usize::try_from(amount) else {
        return ffi::SQLITE_IOERR_WRITE;
    };
    let data = if len == 0 {
        &[][..]
    } else {
        // SAFETY: SQLite passes `amount` readable bytes at `buf`.
        unsafe { std::slice::from_raw_parts(buf.cast::<u8>(), len) }
    };
    ASKED.fetch_add(1, Ordering::Relaxed);
    tracked(held, |held| held.write(&mut platform, data, offset))
}

unsafe extern "C" fn truncate(file: *mut ffi::sqlite3_file, size: i64) -> c_int {
    let rc = forward!(file, xTruncate, ffi::SQLITE_IOERR_TRUNCATE, size);
    if rc != ffi::SQLITE_OK {
        return rc;
    }
    // SAFETY: SQLite calls this only on files `open_file` opened.
    if let Some((held, _)) = unsafe { parts(file) } {
        held.truncated(size);
    }
    rc
}

unsafe extern "C" fn sync(file: *mut ffi::sqlite3_file, flags: c_int) -> c_int {
    forward!(file, xSync, ffi::SQLITE_IOERR_FSYNC, flags)
}

unsafe extern "C" fn file_size(file: *mut ffi::sqlite3_file, size: *mut i64) -> c_int {
    forward!(file, xFileSize, ffi::SQLITE_IOERR_FSTAT, size)
}

unsafe extern "C" fn lock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    forward!(file, xLock, ffi::SQLITE_IOERR_LOCK, level)
}

unsafe extern "C" fn unlock(file: *mut ffi::sqlite3_file, level: c_int) -> c_int {
    forward!(file, xUnlock, ffi::SQLITE_IOERR_UNLOCK, level)
}

unsafe extern "C" fn check_reserved_lock(file: *mut ffi::sqlite3_file, out: *mut c_int) -> c_int {
    forward!(
        file,
        xCheckReservedLock,
        ffi::SQLITE_IOERR_CHECKRESERVEDLOCK,
        out
    )
}

unsafe extern "C" fn file_control(
    file: *mut ffi::sqlite3_file,
    op: c_int,
    arg: *mut c_void,
) -> c_int {
    forward!(file, xFileControl, ffi::SQLITE_NOTFOUND, op, arg)
}

unsafe extern "C" fn sector_size(file: *mut ffi::sqlite3_file) -> c_int {
    // SAFETY: SQLite calls this only on files `open_file` opened.
    match unsafe { parts(file) } {
        // SAFETY: the platform's own method on its own file.
        Some((_, p)) => p.methods.xSectorSize.map_or(4096, |m| unsafe { m(p.file) }),
        None => 4096,
    }
}

unsafe extern "C" fn device_characteristics(file: *mut ffi::sqlite3_file) -> c_int {
    // SAFETY: SQLite calls this only on files `open_file` opened.
    match unsafe { parts(file) } {
        // SAFETY: the platform's own method on its own file.
        Some((_, p)) => p
            .methods
            .xDeviceCharacteristics
            .map_or(0, |m| unsafe { m(p.file) }),
        None => 0,
    }
}

/// The platform's method `$m` if its methods are of version 3 (shared memory, memory maps).
macro_rules! forward_v3 {
    ($file:ident, $m:ident, $missing:expr $(, $arg:expr)*) => {{
        // SAFETY: SQLite calls these methods only on files `open_file` opened.
        match unsafe { flushed($file) } {
            Err(rc) => rc,
            Ok(p) if p.methods.iVersion < 3 => $missing,
            Ok(p) => match p.methods.$m {
                // SAFETY: the platform's own method on its own file, with SQLite's arguments.
                Some(m) => unsafe { m(p.file $(, $arg)*) },
                None => $missing,
            },
        }
    }};
}

unsafe extern "C" fn shm_map(
    file: *mut ffi::sqlite3_file,
    region: c_int,
    size: c_int,
    extend: c_int,
    out: *mut *mut c_void,
) -> c_int {
    forward_v3!(
        file,
        xShmMap,
        ffi::SQLITE_IOERR_SHMMAP,
        region,
        size,
        extend,
        out
    )
}

unsafe extern "C" fn shm_lock(
    file: *mut ffi::sqlite3_file,
    at: c_int,
    n: c_int,
    flags: c_int,
) -> c_int {
    forward_v3!(file, xShmLock, ffi::SQLITE_IOERR_SHMLOCK, at, n, flags)
}

unsafe extern "C" fn shm_barrier(file: *mut ffi::sqlite3_file) {
    // SAFETY: SQLite calls this only on files `open_file` opened.
    if let Some((_, p)) = unsafe { parts(file) }
        && p.methods.iVersion >= 3
        && let Some(m) = p.methods.xShmBarrier
    {
        // SAFETY: the platform's own method on its own file.
        unsafe { m(p.file) }
    }
}

unsafe extern "C" fn shm_unmap(file: *mut ffi::sqlite3_file, delete: c_int) -> c_int {
    forward_v3!(file, xShmUnmap, ffi::SQLITE_OK, delete)
}

unsafe extern "C" fn fetch(
    file: *mut ffi::sqlite3_file,
    offset: i64,
    amount: c_int,
    out: *mut *mut c_void,
) -> c_int {
    // Without a memory map SQLite reads with `xRead`: a null `*out` says so.
    // SAFETY: SQLite passes a pointer to write the map's address to.
    unsafe { *out = std::ptr::null_mut() };
    forward_v3!(file, xFetch, ffi::SQLITE_OK, offset, amount, out)
}

unsafe extern "C" fn unfetch(
    file: *mut ffi::sqlite3_file,
    offset: i64,
    page: *mut c_void,
) -> c_int {
    forward_v3!(file, xUnfetch, ffi::SQLITE_OK, offset, page)
}

#[cfg(test)]
#[path = "lib_tests.rs"]
mod tests;
