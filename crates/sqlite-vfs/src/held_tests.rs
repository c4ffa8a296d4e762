use super::*;

/// Records every write that reaches the platform and keeps the file's bytes; fails every
/// write when told to, or only the next one.
#[derive(Default)]
struct Recorder {
    writes: Vec<(i64, Vec<u8>)>,
    file: Vec<u8>,
    reads: usize,
    fail: bool,
    fail_next: bool,
}

impl Sink for Recorder {
    fn write(&mut self, data: &[u8], offset: i64) -> c_int {
        if self.fail || std::mem::take(&mut self.fail_next) {
            return ffi::SQLITE_IOERR_WRITE;
        }
        let at = usize::try_from(offset).unwrap_or(0);
        if self.file.len() < at + data.len() {
            self.file.resize(at + data.len(), 0);
        }
        self.file[at..at + data.len()].copy_from_slice(data);
        self.writes.push((offset, data.to_vec()));
        ffi::SQLITE_OK
    }

    fn read(&mut self, buf: &mut [u8], offset: i64) -> c_int {
        self.reads += 1;
        let at = usize::try_from(offset).unwrap_or(0);
        match self.file.get(at..at + buf.len()) {
            Some(bytes) => {
                buf.copy_from_slice(bytes);
                ffi::SQLITE_OK
            }
            None => ffi::SQLITE_IOERR_SHORT_READ,
        }
    }
}

const PAGE: usize = 4096;
const FRAME: i64 = (FRAME_HEADER + PAGE) as i64;
const OK: c_int = ffi::SQLITE_OK;

fn header(n: u8) -> Vec<u8> {
    vec![n; FRAME_HEADER]
}

/// Where frame `n` (from 0) starts, after the WAL's 32-byte header.
fn at(n: i64) -> i64 {
    32 + n * FRAME
}

/// A WAL header for pages of `page` bytes (a plain number, 65,536 included).
fn wal_header(page: u32) -> Vec<u8> {
    let mut h = vec![0u8; 32];
    h[0..4].copy_from_slice(&0x377f_0682u32.to_be_bytes());
    h[8..12].copy_from_slice(&page.to_be_bytes());
    h
}

/// SQLite starting a WAL of 4 KiB pages: its header at byte 0, written at once.
fn wal_start(held: &mut Held, sink: &mut Recorder) {
    assert_eq!(held.write(sink, &wal_header(4096), 0), OK);
    assert!(!held.holds());
}

/// SQLite appending frame `n` as its two writes; nothing is held once the page is written.
fn frame(held: &mut Held, sink: &mut Recorder, n: i64) {
    let fill = u8::try_from(n % 200).unwrap_or(0);
    assert_eq!(held.write(sink, &header(fill), at(n)), OK);
    assert_eq!(held.write(sink, &[fill; PAGE], at(n) + 24), OK);
    assert!(!held.holds(), "nothing held after frame {n}'s page");
}

#[test]
fn a_header_and_its_page_go_out_as_one_write_at_the_headers_offset() {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    assert_eq!(held.write(&mut sink, &header(1), at(0)), OK);
    assert!(held.holds());
    assert_eq!(sink.writes.len(), 1, "the header is held");
    assert_eq!(held.write(&mut sink, &[7u8; PAGE], at(0) + 24), OK);
    let mut want = header(1);
    want.extend_from_slice(&[7u8; PAGE]);
    assert_eq!(sink.writes.get(1), Some(&(at(0), want)));
    assert!(!held.holds());
}

#[test]
fn every_frame_is_written_when_its_page_is() {
    // Whatever SQLite does after a frame (commit, roll back, another connection writes),
    // the file already holds it: one write a frame, back to back.
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    for n in 0..5 {
        frame(&mut held, &mut sink, n);
        assert_eq!(sink.writes.len(), usize::try_from(n + 2).unwrap_or(0));
        assert_eq!(sink.writes.last().map(|(o, _)| *o), Some(at(n)));
    }
}

#[test]
fn a_write_elsewhere_sends_the_header_first_then_itself() {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    held.write(&mut sink, &header(1), at(0));
    assert_eq!(held.write(&mut sink, &[7u8; PAGE], at(5)), OK);
    assert_eq!(
        sink.writes[1..],
        [(at(0), header(1)), (at(5), vec![7u8; PAGE])]
    );
    assert!(!held.holds());
}

#[test]
fn a_header_rewritten_before_the_end_is_written_at_once() {
    // The checksum rewrite at a commit: frames 0 to 2 appended, then their headers written
    // again, the last one (the commit frame's) with nothing after it.
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    for n in 0..3 {
        frame(&mut held, &mut sink, n);
    }
    for n in 0..3 {
        assert_eq!(held.write(&mut sink, &header(9), at(n)), OK);
        assert!(!held.holds(), "frame {n}'s rewritten header is not held");
        assert_eq!(sink.writes.last(), Some(&(at(n), header(9))));
    }
    // Appending again holds again.
    assert_eq!(held.write(&mut sink, &header(3), at(3)), OK);
    assert!(held.holds());
}

#[test]
fn the_wal_starting_over_or_cut_makes_its_start_the_end() {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    frame(&mut held, &mut sink, 0);
    frame(&mut held, &mut sink, 1);
    // A new WAL header at the start: frames from byte 32 append again.
    wal_start(&mut held, &mut sink);
    assert_eq!(held.write(&mut sink, &header(2), at(0)), OK);
    assert!(held.holds());
    assert_eq!(held.flush(&mut sink), OK);
    held.truncated(0);
    assert_eq!(held.write(&mut sink, &header(3), at(0)), OK);
    assert!(held.holds(), "held after the cut");
}

#[test]
fn a_header_at_the_files_start_is_never_held() {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    assert_eq!(held.write(&mut sink, &header(1), 0), OK);
    assert!(!held.holds());
    assert_eq!(sink.writes.len(), 1);
}

#[test]
fn other_writes_pass_straight_through() {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    for (n, size) in [0usize, 23, 25, 32, 4096].into_iter().enumerate() {
        let offset = 100_000 * i64::try_from(n + 1).unwrap_or(0);
        assert_eq!(held.write(&mut sink, &vec![1u8; size], offset), OK);
        assert!(!held.holds());
    }
    assert_eq!(sink.writes.len(), 5);
}

#[test]
fn flush_writes_a_held_header_once() {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    assert_eq!(held.flush(&mut sink), OK);
    assert!(sink.writes.is_empty(), "nothing held, nothing written");
    wal_start(&mut held, &mut sink);
    held.write(&mut sink, &header(4), at(0));
    assert_eq!(held.flush(&mut sink), OK);
    assert_eq!(held.flush(&mut sink), OK);
    assert_eq!(sink.writes[1..], [(at(0), header(4))]);
}

#[test]
fn errors_reach_sqlite_with_the_call_that_found_them() {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    held.write(&mut sink, &header(1), at(0));
    sink.fail_next = true;
    // The joined write fails: the page's own write fails, as it would have alone.
    assert_eq!(
        held.write(&mut sink, &[7u8; PAGE], at(0) + 24),
        ffi::SQLITE_IOERR_WRITE
    );
    assert!(!held.holds());
    // A header that cannot be sent before a write elsewhere fails that write, which is not
    // made: the file never gets a later write without an earlier one.
    held.write(&mut sink, &header(2), at(1));
    sink.fail_next = true;
    let before = sink.writes.len();
    assert_eq!(
        held.write(&mut sink, &[7u8; PAGE], at(9)),
        ffi::SQLITE_IOERR_WRITE
    );
    assert_eq!(
        sink.writes.len(),
        before,
        "the write after the failed header was not made"
    );
    held.write(&mut sink, &header(3), at(10));
    sink.fail_next = true;
    assert_eq!(held.flush(&mut sink), ffi::SQLITE_IOERR_WRITE);
    assert_eq!(held.flush(&mut sink), OK);
    assert_eq!(
        sink.writes.len(),
        before,
        "a failed header is not written later"
    );
}

#[test]
fn a_24_byte_append_that_is_not_at_a_frame_is_written_at_once() {
    // synchronous=FULL with psow=0 pads a commit to a sector boundary and may split a padding
    // frame's page there: the second part can be 24 bytes appended with nothing after it.
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    frame(&mut held, &mut sink, 0);
    assert_eq!(held.write(&mut sink, &header(5), at(1)), OK);
    assert!(held.holds(), "a frame's header");
    assert_eq!(held.write(&mut sink, &[5u8; PAGE - 24], at(1) + 24), OK);
    assert_eq!(
        held.write(&mut sink, &[6u8; 24], at(1) + 24 + (PAGE as i64 - 24)),
        OK
    );
    assert!(!held.holds(), "the tail of a page is not held");
    assert_eq!(sink.writes.last().map(|(_, b)| b.len()), Some(24));
}

#[test]
fn frames_follow_the_page_size_of_the_wal_header() {
    for page in [512u32, 1024, 2048, 8192, 65_536] {
        let (mut held, mut sink) = (Held::default(), Recorder::default());
        assert_eq!(held.write(&mut sink, &wal_header(page), 0), OK);
        let frame = i64::from(page) + 24;
        for n in 0..3 {
            assert_eq!(held.write(&mut sink, &header(1), 32 + n * frame), OK);
            assert!(held.holds(), "page size {page}, frame {n}");
            let body = vec![2u8; usize::try_from(page).unwrap_or(0)];
            assert_eq!(held.write(&mut sink, &body, 32 + n * frame + 24), OK);
            assert!(!held.holds());
        }
        // Where a 4 KiB frame would start, but not one of these.
        assert_eq!(held.write(&mut sink, &header(1), 32 + 3 * frame + 4096), OK);
        assert!(!held.holds());
    }
}

#[test]
fn the_page_size_is_read_once_from_a_wal_another_connection_started() {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    sink.file = wal_header(1024);
    sink.file.resize(32 + 1048 * 2, 0);
    assert_eq!(held.write(&mut sink, &header(1), 32 + 1048 * 2), OK);
    assert!(held.holds());
    assert_eq!(held.write(&mut sink, &[1u8; 1024], 32 + 1048 * 2 + 24), OK);
    assert_eq!(held.write(&mut sink, &header(1), 32 + 1048 * 3), OK);
    assert_eq!(sink.reads, 1, "read once");
}

#[test]
fn without_a_page_size_nothing_is_held() {
    // No WAL header in the file, or one of another format: headers go out alone.
    for file in [
        Vec::new(),
        vec![0u8; 32],
        {
            let mut h = wal_header(4096);
            h[8..12].copy_from_slice(&1000u32.to_be_bytes());
            h
        },
        wal_header(1),
        wal_header(131_072),
    ] {
        let (mut held, mut sink) = (Held::default(), Recorder::default());
        sink.file = file;
        assert_eq!(held.write(&mut sink, &header(1), at(3)), OK);
        assert!(!held.holds());
        assert_eq!(held.write(&mut sink, &header(1), at(4)), OK);
        assert_eq!(
            sink.reads, 1,
            "not read again until a WAL header is written"
        );
    }
}

// Whole transactions kept (the database file wrapped, so the write lock's release is seen).

/// A frame header, with the database's size if it is a commit frame's.
fn frame_header(fill: u8, commit: bool) -> Vec<u8> {
    let mut h = vec![fill; FRAME_HEADER];
    h[4..8].copy_from_slice(if commit { &[0, 0, 0, 9] } else { &[0, 0, 0, 0] });
    h
}

/// SQLite appending frame `n` as its two writes, a commit frame if `commit`.
fn frame_of(held: &mut Held, sink: &mut Recorder, n: i64, commit: bool) -> (c_int, c_int) {
    let fill = u8::try_from(n % 200 + 1).unwrap_or(1);
    let first = held.write(sink, &frame_header(fill, commit), at(n));
    let second = held.write(sink, &[fill; PAGE], at(n) + 24);
    (first, second)
}

fn keeping() -> (Held, Recorder) {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    held.keep_transactions();
    held.acquired();
    wal_start(&mut held, &mut sink);
    sink.writes.clear();
    (held, sink)
}

/// What the platform's VFS would have in the file: every write made as asked.
fn as_the_platform_writes(frames: &[(i64, bool)]) -> Vec<u8> {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    for &(n, commit) in frames {
        let fill = u8::try_from(n % 200 + 1).unwrap_or(1);
        sink.write(&frame_header(fill, commit), at(n));
        sink.write(&[fill; PAGE], at(n) + 24);
    }
    sink.file
}

#[test]
fn a_transaction_goes_out_in_one_write_at_its_commit_frame() {
    let (mut held, mut sink) = keeping();
    for n in 0..9 {
        assert_eq!(frame_of(&mut held, &mut sink, n, false), (OK, OK));
        assert!(sink.writes.is_empty(), "frame {n} kept");
    }
    assert_eq!(held.kept(), 9 * FRAME as usize);
    assert_eq!(frame_of(&mut held, &mut sink, 9, true), (OK, OK));
    assert_eq!(held.kept(), 0, "nothing kept after the commit frame");
    assert_eq!(sink.writes.len(), 1);
    assert_eq!(sink.writes[0].0, at(0));
    assert_eq!(sink.writes[0].1.len(), 10 * FRAME as usize);
    let frames: Vec<_> = (0..10).map(|n| (n, n == 9)).collect();
    assert_eq!(sink.file, as_the_platform_writes(&frames));
}

#[test]
fn without_the_write_locks_release_seen_each_frame_is_written_alone() {
    // The adversarial twin: a WAL whose database file is not wrapped keeps nothing past a
    // frame, as a rollback would leave kept frames that nobody writes or drops.
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    sink.writes.clear();
    for n in 0..3 {
        assert_eq!(frame_of(&mut held, &mut sink, n, false), (OK, OK));
        assert_eq!(sink.writes.len(), usize::try_from(n + 1).unwrap_or(0));
    }
    assert_eq!(held.kept(), 0);
}

#[test]
fn a_long_transaction_goes_out_in_writes_the_platform_does_not_cut() {
    let (mut held, mut sink) = keeping();
    for n in 0..80 {
        assert_eq!(frame_of(&mut held, &mut sink, n, n == 79), (OK, OK));
    }
    assert_eq!(held.kept(), 0);
    assert!(sink.writes.len() >= 3);
    let mut next = at(0);
    for (offset, data) in &sink.writes {
        assert!(data.len() <= MAX_WRITE, "a write of {} bytes", data.len());
        assert_eq!(*offset, next, "writes follow each other");
        next += i64::try_from(data.len()).unwrap_or(0);
    }
    assert_eq!(next, at(80));
    let frames: Vec<_> = (0..80).map(|n| (n, n == 79)).collect();
    assert_eq!(sink.file, as_the_platform_writes(&frames));
}

#[test]
fn every_other_call_writes_what_is_kept_first() {
    let (mut held, mut sink) = keeping();
    for n in 0..3 {
        frame_of(&mut held, &mut sink, n, false);
    }
    // A read of a spilled page, a sync, a size: each flushes first.
    assert_eq!(held.flush(&mut sink), OK);
    assert_eq!(sink.writes.len(), 1);
    assert_eq!(sink.writes[0].1.len(), 3 * FRAME as usize);
    // A header rewritten before the end (checksums at a commit): the kept frames go first.
    frame_of(&mut held, &mut sink, 3, false);
    assert_eq!(held.write(&mut sink, &frame_header(7, true), at(1)), OK);
    assert_eq!(sink.writes.len(), 3);
    assert_eq!(sink.writes[1], (at(3), sink.writes[1].1.clone()));
    assert_eq!(sink.writes[1].1.len(), FRAME as usize);
    assert_eq!(sink.writes[2].0, at(1));
    assert_eq!(held.kept(), 0);
}

#[test]
fn frames_kept_past_a_rollback_are_written_at_the_write_locks_release() {
    let (mut held, mut sink) = keeping();
    for n in 0..4 {
        frame_of(&mut held, &mut sink, n, false);
    }
    // The transaction rolls back: SQLite makes no call on the WAL file, then releases the
    // write lock through the database file.
    held.released(&mut sink);
    assert_eq!(held.kept(), 0);
    let frames: Vec<_> = (0..4).map(|n| (n, false)).collect();
    assert_eq!(sink.file, as_the_platform_writes(&frames));
    // The next transaction, at the same offsets (another connection's frames in between
    // are never overwritten by these: they were written while the lock was held).
    held.acquired();
    sink.writes.clear();
    frame_of(&mut held, &mut sink, 0, false);
    frame_of(&mut held, &mut sink, 1, true);
    assert_eq!(sink.writes.len(), 1);
    assert_eq!(sink.writes[0].0, at(0));
}

#[test]
fn a_failed_kept_write_fails_every_call_until_the_write_lock_is_released() {
    let (mut held, mut sink) = keeping();
    for n in 0..3 {
        frame_of(&mut held, &mut sink, n, false);
    }
    // A read of a spilled page finds the disk full: the read fails...
    sink.fail_next = true;
    assert_eq!(held.flush(&mut sink), ffi::SQLITE_IOERR_WRITE);
    // ...and so does everything after it, the commit frame included (the forty-fifth pass's
    // first build let a commit succeed over the lost frames).
    assert_eq!(held.flush(&mut sink), ffi::SQLITE_IOERR_WRITE);
    let (header, page) = frame_of(&mut held, &mut sink, 3, true);
    assert_eq!(
        (header, page),
        (ffi::SQLITE_IOERR_WRITE, ffi::SQLITE_IOERR_WRITE)
    );
    assert!(sink.writes.is_empty(), "nothing written after the failure");
    // The transaction ends: the next one writes again.
    held.released(&mut sink);
    held.acquired();
    assert_eq!(frame_of(&mut held, &mut sink, 0, true), (OK, OK));
    assert_eq!(sink.writes.len(), 1);
}

#[test]
fn a_failed_commit_write_fails_the_commit_frame() {
    let (mut held, mut sink) = keeping();
    for n in 0..3 {
        frame_of(&mut held, &mut sink, n, false);
    }
    sink.fail_next = true;
    let (_, page) = frame_of(&mut held, &mut sink, 3, true);
    assert_eq!(page, ffi::SQLITE_IOERR_WRITE);
    assert_eq!(held.kept(), 0);
    assert_eq!(
        held.flush(&mut sink),
        ffi::SQLITE_IOERR_WRITE,
        "still failing"
    );
}

#[test]
fn a_frame_that_does_not_follow_the_kept_ones_sends_them_first() {
    let (mut held, mut sink) = keeping();
    frame_of(&mut held, &mut sink, 0, false);
    frame_of(&mut held, &mut sink, 1, false);
    // A frame further on (never done by SQLite within one transaction, but not assumed).
    frame_of(&mut held, &mut sink, 5, false);
    assert_eq!(sink.writes.len(), 1);
    assert_eq!(sink.writes[0].0, at(0));
    assert_eq!(held.kept(), FRAME as usize);
    assert_eq!(held.flush(&mut sink), OK);
    assert_eq!(sink.writes[1].0, at(5));
}

#[test]
fn without_the_write_locks_taking_seen_nothing_is_kept_past_a_frame() {
    // `locking_mode=EXCLUSIVE`: SQLite takes and releases the write lock without an
    // `xShmLock` call, so neither the release nor the taking is seen. A rolled-back
    // transaction's frames kept there would be written whenever the file was next used (a
    // review found them written over another connection's commit after the connection went
    // back to NORMAL), and a failure would stay for the connection's life.
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    held.keep_transactions();
    wal_start(&mut held, &mut sink);
    sink.writes.clear();
    for n in 0..3 {
        assert_eq!(frame_of(&mut held, &mut sink, n, false), (OK, OK));
        assert_eq!(sink.writes.len(), usize::try_from(n + 1).unwrap_or(0));
    }
    assert_eq!(held.kept(), 0);
    sink.fail_next = true;
    assert_eq!(
        frame_of(&mut held, &mut sink, 3, false).1,
        ffi::SQLITE_IOERR_WRITE
    );
    assert_eq!(
        frame_of(&mut held, &mut sink, 3, true),
        (OK, OK),
        "not sticky"
    );
    // Once the taking is seen, frames are kept until the release.
    held.acquired();
    frame_of(&mut held, &mut sink, 4, false);
    assert_eq!(held.kept(), FRAME as usize);
    held.released(&mut sink);
    assert_eq!(held.kept(), 0);
    frame_of(&mut held, &mut sink, 5, false);
    assert_eq!(held.kept(), 0, "released: not kept again until taken");
}
