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
//! Only appends are held. At a commit SQLite may also rewrite the headers of frames it wrote
//! earlier in the same transaction (after overwriting spilled pages, `walRewriteChecksums`),
//! the last of them the commit frame's, with no write after it: those lie before the file's
//! written end and are written at once. A header at the file's start is the WAL's own (a WAL
//! starting over) and is never held either.
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

/// Where bytes are written: the platform VFS's file.
pub(crate) trait Sink {
    /// Writes `data` at byte `offset`, returning SQLite's result code.
    fn write(&mut self, data: &[u8], offset: i64) -> c_int;
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
        let appends = offset > 0 && offset >= self.end;
        self.end = if offset == 0 {
            len
        } else {
            self.end.max(offset.saturating_add(len))
        };
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
        {
            self.header = header;
            self.offset = offset;
            self.held = true;
            return ffi::SQLITE_OK;
        }
        sink.write(data, offset)
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
