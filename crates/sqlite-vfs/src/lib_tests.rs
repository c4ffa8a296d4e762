//! The C callbacks over a recording platform file: every method writes a held header before
//! it reaches the platform, and in that order.

// Every unsafe block here calls a callback as SQLite would, on a file `wal_file` made.
#![allow(clippy::undocumented_unsafe_blocks)]

use std::cell::RefCell;

use super::*;

thread_local! {
    /// What reached the platform file, in order.
    static LOG: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
}

/// `held_headers` is process-wide: these tests take turns.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn serial() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn log(entry: String) {
    LOG.with(|l| l.borrow_mut().push(entry));
}

fn taken() -> Vec<String> {
    LOG.with(|l| std::mem::take(&mut *l.borrow_mut()))
}

unsafe extern "C" fn fake_close(_: *mut ffi::sqlite3_file) -> c_int {
    log("close".into());
    ffi::SQLITE_OK
}

unsafe extern "C" fn fake_read(
    _: *mut ffi::sqlite3_file,
    buf: *mut c_void,
    amount: c_int,
    offset: i64,
) -> c_int {
    log(format!("read {amount}@{offset}"));
    // SAFETY: the caller passes room for `amount` bytes.
    unsafe { std::ptr::write_bytes(buf.cast::<u8>(), 0, usize::try_from(amount).unwrap_or(0)) };
    ffi::SQLITE_OK
}

unsafe extern "C" fn fake_write(
    _: *mut ffi::sqlite3_file,
    _: *const c_void,
    amount: c_int,
    offset: i64,
) -> c_int {
    log(format!("write {amount}@{offset}"));
    ffi::SQLITE_OK
}

unsafe extern "C" fn fake_truncate(_: *mut ffi::sqlite3_file, size: i64) -> c_int {
    log(format!("truncate {size}"));
    ffi::SQLITE_OK
}

unsafe extern "C" fn fake_sync(_: *mut ffi::sqlite3_file, _: c_int) -> c_int {
    log("sync".into());
    ffi::SQLITE_OK
}

unsafe extern "C" fn fake_size(_: *mut ffi::sqlite3_file, size: *mut i64) -> c_int {
    log("size".into());
    // SAFETY: the caller passes where to write the size.
    unsafe { *size = 0 };
    ffi::SQLITE_OK
}

unsafe extern "C" fn fake_control(_: *mut ffi::sqlite3_file, op: c_int, _: *mut c_void) -> c_int {
    log(format!("control {op}"));
    ffi::SQLITE_NOTFOUND
}

static FAKE: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
    iVersion: 1,
    xClose: Some(fake_close),
    xRead: Some(fake_read),
    xWrite: Some(fake_write),
    xTruncate: Some(fake_truncate),
    xSync: Some(fake_sync),
    xFileSize: Some(fake_size),
    xLock: None,
    xUnlock: None,
    xCheckReservedLock: None,
    xFileControl: Some(fake_control),
    xSectorSize: None,
    xDeviceCharacteristics: None,
    xShmMap: None,
    xShmLock: None,
    xShmBarrier: None,
    xShmUnmap: None,
    xFetch: None,
    xUnfetch: None,
};

/// A WAL file as `open_file` makes it, over the recording platform file, in `memory`.
fn wal_file(memory: &mut Vec<u64>) -> *mut ffi::sqlite3_file {
    let words = (INNER_OFFSET + size_of::<ffi::sqlite3_file>()).div_ceil(8);
    memory.resize(words, 0);
    let file = memory.as_mut_ptr().cast::<ffi::sqlite3_file>();
    // SAFETY: `memory` holds `INNER_OFFSET` bytes and a platform file after them, 8-aligned.
    let inner = unsafe { file.cast::<u8>().add(INNER_OFFSET) }.cast::<ffi::sqlite3_file>();
    // SAFETY: as above; the two parts do not overlap.
    unsafe {
        inner.write(ffi::sqlite3_file { pMethods: &FAKE });
        file.cast::<WalFile>().write(WalFile {
            base: ffi::sqlite3_file { pMethods: &METHODS },
            inner,
            held: Held::default(),
            paired: false,
        });
    }
    file
}

/// Starts a WAL of 4 KiB pages through `file` and holds the first frame's header.
fn holding(file: *mut ffi::sqlite3_file) {
    let mut wal_header = [0u8; 32];
    wal_header[0..4].copy_from_slice(&0x377f_0682u32.to_be_bytes());
    wal_header[8..12].copy_from_slice(&4096u32.to_be_bytes());
    let frame_header = [1u8; 24];
    // SAFETY: a WAL file made by `wal_file`, and buffers of the lengths given.
    unsafe {
        assert_eq!(
            write(file, wal_header.as_ptr().cast(), 32, 0),
            ffi::SQLITE_OK
        );
        assert_eq!(
            write(file, frame_header.as_ptr().cast(), 24, 32),
            ffi::SQLITE_OK
        );
    }
    assert_eq!(taken(), ["write 32@0"], "the frame's header is held");
}

#[test]
fn every_method_writes_a_held_header_before_it_reaches_the_platform() {
    let _turn = serial();
    type Call = Box<dyn Fn(*mut ffi::sqlite3_file) -> c_int>;
    let calls: Vec<(&str, Call)> = vec![
        // SAFETY (each call): a WAL file made by `wal_file`, with valid out-pointers.
        (
            "read 100@8192",
            Box::new(|f| unsafe {
                let mut buf = [0u8; 100];
                read(f, buf.as_mut_ptr().cast(), 100, 8192)
            }),
        ),
        ("sync", Box::new(|f| unsafe { sync(f, 0) })),
        (
            "size",
            Box::new(|f| unsafe {
                let mut size = 0i64;
                file_size(f, &mut size)
            }),
        ),
        ("truncate 0", Box::new(|f| unsafe { truncate(f, 0) })),
        (
            "control 5",
            Box::new(|f| unsafe { file_control(f, 5, std::ptr::null_mut()) }),
        ),
        (
            "write 4096@9000",
            Box::new(|f| unsafe {
                let page = [0u8; 4096];
                write(f, page.as_ptr().cast(), 4096, 9000)
            }),
        ),
        ("close", Box::new(|f| unsafe { close(f) })),
    ];
    for (what, call) in calls {
        let mut memory = Vec::new();
        let file = wal_file(&mut memory);
        holding(file);
        let before = held_headers();
        let rc = call(file);
        assert!(
            rc == ffi::SQLITE_OK || rc == ffi::SQLITE_NOTFOUND,
            "{what}: {rc}"
        );
        assert_eq!(taken(), ["write 24@32", what], "{what}");
        assert_eq!(held_headers(), before - 1, "{what}: the count follows");
        if what != "close" {
            // SAFETY: the file is still open.
            unsafe { close(file) };
            taken();
        }
    }
}

#[test]
fn a_frames_page_goes_out_with_its_header_as_one_write() {
    let _turn = serial();
    let mut memory = Vec::new();
    let file = wal_file(&mut memory);
    holding(file);
    let page = [2u8; 4096];
    // SAFETY: a WAL file made by `wal_file`, and a buffer of the length given.
    let rc = unsafe { write(file, page.as_ptr().cast(), 4096, 56) };
    assert_eq!(rc, ffi::SQLITE_OK);
    assert_eq!(taken(), ["write 4120@32"]);
    // SAFETY: the file is open.
    unsafe { close(file) };
    assert_eq!(taken(), ["close"]);
}

#[test]
fn a_failed_truncation_leaves_the_written_end_alone() {
    let _turn = serial();
    // The end moves only when the platform did cut the file.
    unsafe extern "C" fn refuse(_: *mut ffi::sqlite3_file, _: i64) -> c_int {
        ffi::SQLITE_IOERR_TRUNCATE
    }
    static REFUSING: ffi::sqlite3_io_methods = ffi::sqlite3_io_methods {
        xTruncate: Some(refuse),
        ..FAKE
    };
    let mut memory = Vec::new();
    let file = wal_file(&mut memory);
    holding(file);
    let page = [2u8; 4096];
    // SAFETY: a WAL file made by `wal_file`; its platform file swapped for a refusing one.
    unsafe {
        write(file, page.as_ptr().cast(), 4096, 56);
        let wal = &mut *file.cast::<WalFile>();
        (*wal.inner).pMethods = &REFUSING;
        assert_eq!(truncate(file, 0), ffi::SQLITE_IOERR_TRUNCATE);
        // The frame just written is still before the end: a header rewritten there is not held.
        let header = [3u8; 24];
        write(file, header.as_ptr().cast(), 24, 32);
        assert!(!wal.held.holds());
        close(file);
    }
    taken();
}
