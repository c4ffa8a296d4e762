//! The joining rule, apart from the C callbacks so that it is tested on its own.
//!
//! SQLite appends a WAL frame as two `xWrite` calls, one right after the other
//! (`walWriteOneFrame`): the frame's 24-byte header, then its page at the next byte. A
//! 24-byte write that appends to the file is held; the next write, if it starts where the
//! header ends, goes out with it as one write, else the header goes out first. Anything else
//! done to the file (read, sync, size, truncate, file control, close) writes a held header
//! first. The bytes, their offsets and their order are SQLite's.
//!
//! So a header is held only between the two calls of one frame: when SQLite's call that
//! writes a page returns, nothing is held, and the file is exactly what SQLite wrote with
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
//! Holding more (a whole transaction's frames until its commit frame) takes fewer system
//! calls still, and was built and measured first, but is not sound: frames spilled before a
//! commit stay held when the transaction rolls back (SQLite makes no call on the WAL file
//! then) and are written later over frames another connection committed since; and a held
//! write that fails later surfaces where SQLite does not treat it as fatal
//! (docs/benchmarks.md, forty-fifth pass).

use std::ffi::c_int;

use rusqlite::ffi;

/// Size of a WAL frame's header.
pub(crate) const FRAME_HEADER: usize = 24;

/// Size of the WAL's own header, at the start of the file.
const WAL_HEADER: usize = 32;

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
}

impl Held {
    /// Whether a header is held (between a frame's two writes).
    pub(crate) fn holds(&self) -> bool {
        self.held
    }

    /// SQLite's `xWrite` of `data` at `offset`.
    pub(crate) fn write(&mut self, sink: &mut impl Sink, data: &[u8], offset: i64) -> c_int {
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
                self.joined.clear();
                self.joined.extend_from_slice(&self.header);
                self.joined.extend_from_slice(data);
                return sink.write(&self.joined, self.offset);
            }
            let rc = sink.write(&self.header, self.offset);
            if rc != ffi::SQLITE_OK {
                return rc;
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
        sink.write(data, offset)
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

    /// Writes a held header, if any. A header that fails to write is not tried again: the
    /// error goes to SQLite with the call that found it.
    pub(crate) fn flush(&mut self, sink: &mut impl Sink) -> c_int {
        if !std::mem::take(&mut self.held) {
            return ffi::SQLITE_OK;
        }
        sink.write(&self.header, self.offset)
    }
}

#[cfg(test)]
#[path = "held_tests.rs"]
mod tests;
