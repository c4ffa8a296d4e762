//! The joining rule, apart from the C callbacks so that it is tested on its own.
//!
//! SQLite appends a WAL frame as two `xWrite` calls, one right after the other
//! (`walWriteOneFrame`): the frame's 24-byte header, then its page at the next byte. A
//! 24-byte write that appends to the file is held; the next write, if it starts where the
//! header ends, goes out with it as one write, else the header goes out first. Anything else
//! done to the file (read, sync, size, truncate, file control, close) writes a held header
//! first. The bytes, their offsets and their order are SQLite's.
//!
//! So, unless whole transactions are kept (below), a header is held only between the two
//! calls of one frame: when SQLite's call that writes a page returns, nothing is held, and the file is exactly what SQLite wrote with
//! its own VFS, whatever SQLite does next (commit, roll back, let another connection write).
//! A joined write that fails fails the page's `xWrite`, as the page's own write would have.
//!
//! Only a frame's header is held: 24 bytes appended at a frame's offset (32 bytes, then
//! whole frames of the page size plus 24; the page size read from the WAL's header, written
//! through this file or read from
//! the file once; unknown, nothing is held). Other 24-byte writes are written at once: at a
//! commit SQLite may rewrite the headers of frames it wrote earlier in the same transaction
//! (after overwriting spilled pages, `walRewriteChecksums`), the last of them the commit
//! frame's, with no write after it, and those lie before the file's written end; with
//! `synchronous=FULL` and `psow=0` SQLite pads a commit to a sector boundary and may split a
//! padding frame's page at the boundary, syncing between the two parts, so that the second
//! part is 24 bytes appended with nothing after it, at an offset that is not a frame's (a
//! second review found the first per-frame build holding it past the commit).
//!
//! **Whole transactions** (`Held::whole`, set when the WAL's database file is wrapped too, so
//! that the release of the WAL's write lock is seen: `lib.rs`; and only between the lock's
//! taking and its release, both seen through `xShmLock`, which `locking_mode=EXCLUSIVE`
//! never calls: `Held::locked`): a frame, joined with its
//! header, is not written when its page arrives but kept with the frames before it, and the
//! transaction's frames go out together when its commit frame's page arrives (the commit
//! frame's header carries the database's size, zero in every other frame), in writes of at
//! most `MAX_WRITE` bytes. Anything else done to the file writes what is kept first, as for a
//! header, and so does the release of the write lock: frames kept then belong to a
//! transaction that did not commit (SQLite makes no call on the WAL file when it rolls back),
//! and are written while this connection still holds the lock, before another may write at
//! their offsets. A kept write that fails fails the call that found it and every later call
//! until the write lock is released: the transaction whose frames were lost can never
//! commit, whichever call SQLite would have shrugged off (a read, a size). So readers, the
//! sync of the WAL and a copy taken after a commit see every frame the commit covers; what
//! differs from the platform's VFS is only when an uncommitted frame reaches the file (the
//! forty-fifth pass measured and dropped a first build that held frames past a rollback, and
//! surfaced a failed write in a read that SQLite did not treat as fatal: docs/benchmarks.md).

use std::ffi::c_int;

use rusqlite::ffi;

/// Size of a WAL frame's header.
pub(crate) const FRAME_HEADER: usize = 24;

/// Size of the WAL's own header, at the start of the file.
const WAL_HEADER: usize = 32;

/// Most bytes written in one call: the `unix` VFS keeps only the low 17 bits of a write's
/// length (`seekAndWriteFd`), so a longer write would be cut short.
const MAX_WRITE: usize = 0x1_ffff;

/// Where bytes are written: the platform VFS's file.
pub(crate) trait Sink {
    /// Writes `data` at byte `offset`, returning SQLite's result code.
    fn write(&mut self, data: &[u8], offset: i64) -> c_int;
    /// Reads `buf.len()` bytes at `offset`, returning SQLite's result code.
    fn read(&mut self, buf: &mut [u8], offset: i64) -> c_int;
}

/// The page size a WAL header gives (its magic checked), or None.
fn page_size(wal_header: &[u8]) -> Option<i64> {
    let word = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(
            wal_header.get(at..at + 4)?.try_into().ok()?,
        ))
    };
    if !matches!(word(0)?, 0x377f_0682 | 0x377f_0683) {
        return None;
    }
    // The page size as a plain number (unlike the database header, which stores 65,536 as 1:
    // `walFrames` writes `szPage` itself).
    let size = word(8)?;
    (size.is_power_of_two() && (512..=65_536).contains(&size)).then_some(i64::from(size))
}

/// A frame header written by SQLite and not yet by the platform.
#[derive(Default)]
pub(crate) struct Held {
    header: [u8; FRAME_HEADER],
    offset: i64,
    held: bool,
    /// Where the bytes written through this file end, since SQLite last wrote the WAL's
    /// header at its start (a WAL starting over) or cut the file.
    end: i64,
    /// The WAL's page size, once known.
    page: Option<i64>,
    /// The WAL's header was read from the file and gave no page size: not read again until
    /// SQLite writes a new one.
    unreadable: bool,
    /// The header and its page, joined (kept to be reused: one page-sized buffer a file).
    joined: Vec<u8>,
    /// Whether a whole transaction's frames are kept until its commit frame.
    whole: bool,
    /// Whole frames kept and not yet written, contiguous from `frames_at`.
    frames: Vec<u8>,
    frames_at: i64,
    /// A kept write failed: every call fails with it until the write lock is released.
    failed: Option<c_int>,
    /// The write lock's taking was seen and its release not yet: frames are kept only then.
    /// In `locking_mode=EXCLUSIVE` SQLite makes no `xShmLock` call (`walLockExclusive` and
    /// `walUnlockExclusive` return at once), so neither is seen and nothing is kept past a
    /// frame: frames kept for a transaction rolled back there would be written whenever the
    /// file was next used, after the connection went back to `NORMAL` and another wrote at
    /// their offsets, and a failure would stay until the connection closed.
    locked: bool,
}

/// Whether a frame header is a commit frame's: it gives the database's size in pages.
fn commits(header: &[u8; FRAME_HEADER]) -> bool {
    header[4..8] != [0, 0, 0, 0]
}

impl Held {
    /// Keeps whole transactions' frames from now on (the write lock's release is seen).
    pub(crate) fn keep_transactions(&mut self) {
        self.whole = true;
    }

    /// The WAL's write lock was taken (seen through the database file's `xShmLock`).
    pub(crate) fn acquired(&mut self) {
        self.locked = true;
    }

    /// Whether whole transactions' frames are kept now.
    fn keeping(&self) -> bool {
        self.whole && self.locked
    }

    /// Whether a header is held (between a frame's two writes).
    pub(crate) fn holds(&self) -> bool {
        self.held
    }

    /// Bytes of whole frames kept.
    pub(crate) fn kept(&self) -> usize {
        self.frames.len()
    }

    /// SQLite's `xWrite` of `data` at `offset`.
    pub(crate) fn write(&mut self, sink: &mut impl Sink, data: &[u8], offset: i64) -> c_int {
        if let Some(rc) = self.failed {
            return rc;
        }
        let len = i64::try_from(data.len()).unwrap_or(i64::MAX);
        // (Offset 0 is the WAL's own header; `at_a_frame` would refuse it too.)
        let appends = offset > 0 && offset >= self.end;
        self.end = if offset == 0 {
            len
        } else {
            self.end.max(offset.saturating_add(len))
        };
        if offset == 0 && data.len() >= WAL_HEADER {
            self.page = page_size(data);
            self.unreadable = false;
        }
        if std::mem::take(&mut self.held) {
            if self.offset.checked_add(FRAME_HEADER as i64) == Some(offset) {
                if self.keeping() {
                    return self.keep_frame(sink, data);
                }
                self.joined.clear();
                self.joined.extend_from_slice(&self.header);
                self.joined.extend_from_slice(data);
                return sink.write(&self.joined, self.offset);
            }
            let rc = self.write_kept(sink);
            if rc != ffi::SQLITE_OK {
                return rc;
            }
            let rc = sink.write(&self.header, self.offset);
            if rc != ffi::SQLITE_OK {
                return self.fail(rc);
            }
        }
        if let Ok(header) = <[u8; FRAME_HEADER]>::try_from(data)
            && appends
            && self.at_a_frame(sink, offset)
        {
            self.header = header;
            self.offset = offset;
            self.held = true;
            return ffi::SQLITE_OK;
        }
        let rc = self.write_kept(sink);
        if rc != ffi::SQLITE_OK {
            return rc;
        }
        sink.write(data, offset)
    }

    /// Keeps a frame (the held header and its page) with the frames before it; writes them
    /// all if it is the commit frame.
    fn keep_frame(&mut self, sink: &mut impl Sink, page: &[u8]) -> c_int {
        let follows = self
            .frames_at
            .checked_add(i64::try_from(self.frames.len()).unwrap_or(i64::MAX))
            == Some(self.offset);
        if !self.frames.is_empty()
            && (!follows || self.frames.len() + FRAME_HEADER + page.len() > MAX_WRITE)
        {
            let rc = self.write_kept(sink);
            if rc != ffi::SQLITE_OK {
                return rc;
            }
        }
        if self.frames.is_empty() {
            self.frames_at = self.offset;
        }
        self.frames.extend_from_slice(&self.header);
        self.frames.extend_from_slice(page);
        if commits(&self.header) || self.frames.len() > MAX_WRITE {
            return self.write_kept(sink);
        }
        ffi::SQLITE_OK
    }

    /// Writes the kept frames, in calls of at most `MAX_WRITE` bytes. On a failure the rest
    /// is dropped and every call fails until the write lock is released.
    fn write_kept(&mut self, sink: &mut impl Sink) -> c_int {
        let mut at = self.frames_at;
        let mut rc = ffi::SQLITE_OK;
        for piece in self.frames.chunks(MAX_WRITE) {
            rc = sink.write(piece, at);
            if rc != ffi::SQLITE_OK {
                break;
            }
            at = at.saturating_add(i64::try_from(piece.len()).unwrap_or(i64::MAX));
        }
        self.frames.clear();
        if rc != ffi::SQLITE_OK {
            return self.fail(rc);
        }
        rc
    }

    /// A write failed: with whole transactions kept, every call fails until the write lock
    /// is released (the failed bytes may be frames the transaction still counts on).
    fn fail(&mut self, rc: c_int) -> c_int {
        if self.keeping() {
            self.failed = Some(rc);
        }
        rc
    }

    /// The WAL's write lock is about to be released: whatever is still kept belongs to a
    /// transaction that did not commit and is written now, as the platform would have; a
    /// failure is forgotten with that transaction.
    pub(crate) fn released(&mut self, sink: &mut impl Sink) {
        if self.failed.take().is_none() {
            let _ = self.flush(sink);
        }
        self.frames.clear();
        self.held = false;
        self.failed = None;
        self.locked = false;
        // The next transaction's frames start wherever the WAL then ends (after a rollback,
        // over this one's): headers are rewritten only after their frames were written in
        // the same transaction, so every frame is an append again until then.
        self.end = 0;
    }

    /// Whether `offset` is where a frame starts, reading the page size from the file if this
    /// file has not written the WAL's header.
    fn at_a_frame(&mut self, sink: &mut impl Sink, offset: i64) -> bool {
        if self.page.is_none() && !self.unreadable {
            let mut wal_header = [0u8; WAL_HEADER];
            if sink.read(&mut wal_header, 0) == ffi::SQLITE_OK {
                self.page = page_size(&wal_header);
            }
            self.unreadable = self.page.is_none();
        }
        self.page.is_some_and(|page| {
            offset
                .checked_sub(WAL_HEADER as i64)
                .is_some_and(|from_first| from_first % (page + FRAME_HEADER as i64) == 0)
        })
    }

    /// The file was cut to `size` bytes (after a held header was written).
    pub(crate) fn truncated(&mut self, size: i64) {
        self.end = self.end.min(size);
    }

    /// Writes the kept frames and a held header, if any. A header that fails to write is not
    /// tried again: the error goes to SQLite with the call that found it (and, with whole
    /// transactions kept, with every call until the write lock is released).
    pub(crate) fn flush(&mut self, sink: &mut impl Sink) -> c_int {
        if let Some(rc) = self.failed {
            return rc;
        }
        let rc = self.write_kept(sink);
        if rc != ffi::SQLITE_OK {
            self.held = false;
            return rc;
        }
        if !std::mem::take(&mut self.held) {
            return ffi::SQLITE_OK;
        }
        let rc = sink.write(&self.header, self.offset);
        if rc != ffi::SQLITE_OK {
            return self.fail(rc);
        }
        rc
    }
}

#[cfg(test)]
#[path = "held_tests.rs"]
mod tests;
