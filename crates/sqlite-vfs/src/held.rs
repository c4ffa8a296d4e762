//! The joining rule, apart from the C callbacks so that it is tested on its own.
//!
//! SQLite appends a transaction's frames to the WAL as two `xWrite` calls each: the frame's
//! 24-byte header, then its page at the next byte (`walWriteOneFrame`); the header of the
//! transaction's last frame, the commit frame, carries the database's size in pages (bytes 4
//! to 7, zero in every other frame: the WAL format). Appended frames are held in memory and
//! written as one write when the commit frame's page arrives, when a write does not follow
//! on from them, when they reach [`LIMIT`] bytes, or before anything else is done to the
//! file (read, sync, size, truncate, file control, close). The bytes, their offsets and
//! their order are SQLite's.
//!
//! Why a commit can rely on it: when `COMMIT` returns, every frame of it has been written,
//! because the commit frame's page is its last append and writes everything held. The
//! frames are in the file before SQLite publishes them in the WAL index (after the writes
//! return), so another connection or process never reads a frame that is only held.
//! Frames written before a commit (pages spilled from a small cache) stay held past the
//! call that wrote them; no other connection may read them before the commit, and this
//! connection's own reads write them first.
//!
//! Only appends are held. At a commit SQLite may also rewrite the headers of frames it wrote
//! earlier in the same transaction (after overwriting spilled pages, `walRewriteChecksums`),
//! the last of them the commit frame's, and nothing follows them until the next transaction:
//! those lie before the file's written end and are written at once. A header at the file's
//! start is the WAL's own (a WAL starting over) and is never held either.

use std::ffi::c_int;

use rusqlite::ffi;

/// Size of a WAL frame's header.
pub(crate) const FRAME_HEADER: usize = 24;

/// Held bytes past which they are written without waiting for the commit frame (a
/// transaction that spills many pages).
pub(crate) const LIMIT: usize = 512 * 1024;

/// The most one platform write may carry: the unix VFS keeps only the low 17 bits of a
/// write's length (`seekAndWriteFd`: `nBuf &= 0x1ffff`), so held bytes go out in pieces of
/// at most this many (whole pages, 31 of 4 KiB).
pub(crate) const MAX_WRITE: usize = 0x1ffff & !0xfff;

/// Where bytes are written: the platform VFS's file.
pub(crate) trait Sink {
    /// Writes `data` at byte `offset`, returning SQLite's result code.
    fn write(&mut self, data: &[u8], offset: i64) -> c_int;
}

/// Appended frames written by SQLite and not yet by the platform.
#[derive(Default)]
pub(crate) struct Held {
    /// The held bytes, from `offset` on (kept to be reused: one transaction's worth).
    bytes: Vec<u8>,
    offset: i64,
    /// The last held write was the header of a commit frame: its page ends the transaction.
    commit_next: bool,
    /// Where the bytes written through this file end, since SQLite last wrote the WAL's
    /// header at its start (a WAL starting over) or cut the file.
    end: i64,
}

impl Held {
    /// SQLite's `xWrite` of `data` at `offset`.
    pub(crate) fn write(&mut self, sink: &mut impl Sink, data: &[u8], offset: i64) -> c_int {
        let len = i64::try_from(data.len()).unwrap_or(i64::MAX);
        let appends = offset > 0 && offset >= self.end;
        self.end = if offset == 0 {
            len
        } else {
            self.end.max(offset.saturating_add(len))
        };
        let follows_on = !self.bytes.is_empty()
            && i64::try_from(self.bytes.len())
                .ok()
                .and_then(|held| self.offset.checked_add(held))
                == Some(offset);
        if !follows_on {
            let rc = self.flush(sink);
            if rc != ffi::SQLITE_OK {
                return rc;
            }
        }
        if follows_on {
            let ends_commit = std::mem::take(&mut self.commit_next);
            self.bytes.extend_from_slice(data);
            self.note_header(data);
            if ends_commit || self.bytes.len() >= LIMIT {
                return self.flush(sink);
            }
            return ffi::SQLITE_OK;
        }
        if appends && data.len() == FRAME_HEADER {
            self.bytes.extend_from_slice(data);
            self.offset = offset;
            self.note_header(data);
            return ffi::SQLITE_OK;
        }
        sink.write(data, offset)
    }

    /// Marks a held frame header of a commit frame (a non-zero database size).
    fn note_header(&mut self, data: &[u8]) {
        if data.len() == FRAME_HEADER {
            self.commit_next = data.get(4..8).is_some_and(|size| size != [0; 4]);
        }
    }

    /// The file was cut to `size` bytes (after its held bytes were written).
    pub(crate) fn truncated(&mut self, size: i64) {
        self.end = self.end.min(size);
    }

    /// Writes the held bytes, if any. Bytes that fail to write are not tried again: the
    /// error goes to SQLite, which abandons the transaction they belonged to.
    pub(crate) fn flush(&mut self, sink: &mut impl Sink) -> c_int {
        self.commit_next = false;
        if self.bytes.is_empty() {
            return ffi::SQLITE_OK;
        }
        let mut rc = ffi::SQLITE_OK;
        let mut offset = self.offset;
        for piece in self.bytes.chunks(MAX_WRITE) {
            rc = sink.write(piece, offset);
            if rc != ffi::SQLITE_OK {
                break;
            }
            offset = offset.saturating_add(i64::try_from(piece.len()).unwrap_or(i64::MAX));
        }
        self.bytes.clear();
        rc
    }
}

#[cfg(test)]
#[path = "held_tests.rs"]
mod tests;
