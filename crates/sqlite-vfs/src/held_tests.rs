use super::*;

/// Records every write that reaches the platform; fails them when told to.
#[derive(Default)]
struct Recorder {
    writes: Vec<(i64, Vec<u8>)>,
    fail: bool,
}

impl Sink for Recorder {
    fn write(&mut self, data: &[u8], offset: i64) -> c_int {
        if self.fail {
            return ffi::SQLITE_IOERR_WRITE;
        }
        self.writes.push((offset, data.to_vec()));
        ffi::SQLITE_OK
    }
}

const PAGE: usize = 4096;
const FRAME: i64 = (FRAME_HEADER + PAGE) as i64;
const OK: c_int = ffi::SQLITE_OK;

/// A frame header: page `page`, the database's size when it is a commit frame, else 0.
fn header(page: u8, commit_size: u32) -> Vec<u8> {
    let mut h = vec![page; FRAME_HEADER];
    h.splice(4..8, commit_size.to_be_bytes());
    h
}

/// Where frame `n` (from 0) starts, after the WAL's 32-byte header.
fn at(n: i64) -> i64 {
    32 + n * FRAME
}

/// SQLite starting a WAL: its header at byte 0, written at once.
fn wal_start(held: &mut Held, sink: &mut Recorder) {
    assert_eq!(held.write(sink, &[0u8; 32], 0), OK);
}

/// SQLite appending frame `n` as its two writes.
fn frame(held: &mut Held, sink: &mut Recorder, n: i64, commit: bool) {
    let page = u8::try_from(n % 200).unwrap_or(0);
    assert_eq!(
        held.write(sink, &header(page, u32::from(commit)), at(n)),
        OK
    );
    assert_eq!(held.write(sink, &[page; PAGE], at(n) + 24), OK);
}

#[test]
fn a_transactions_frames_go_out_as_one_write_when_its_commit_frame_does() {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    for n in 0..3 {
        frame(&mut held, &mut sink, n, false);
    }
    assert_eq!(
        sink.writes.len(),
        1,
        "only the WAL header is written so far"
    );
    frame(&mut held, &mut sink, 3, true);
    assert_eq!(sink.writes.len(), 2);
    let (offset, bytes) = &sink.writes[1];
    assert_eq!(*offset, at(0));
    assert_eq!(bytes.len(), 4 * usize::try_from(FRAME).unwrap_or(0));
    // SQLite's bytes, in SQLite's order: the last frame's header, then its page.
    let last = usize::try_from(3 * FRAME).unwrap_or(0);
    assert_eq!(&bytes[last..last + FRAME_HEADER], &header(3, 1)[..]);
    assert!(bytes[last + FRAME_HEADER..].iter().all(|&b| b == 3));
    assert_eq!(held.flush(&mut sink), OK);
    assert_eq!(sink.writes.len(), 2, "nothing is left held after a commit");
}

#[test]
fn a_commit_frames_header_alone_does_not_end_the_transaction() {
    // Its page is the transaction's last write: held with the rest until it comes.
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    frame(&mut held, &mut sink, 0, false);
    assert_eq!(held.write(&mut sink, &header(1, 9), at(1)), OK);
    assert_eq!(sink.writes.len(), 1);
    assert_eq!(held.write(&mut sink, &[1u8; PAGE], at(1) + 24), OK);
    assert_eq!(sink.writes.len(), 2);
}

#[test]
fn a_write_that_does_not_follow_on_sends_what_is_held_first() {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    frame(&mut held, &mut sink, 0, false);
    // A page overwritten in place (a spilled page written again in the same transaction).
    assert_eq!(held.write(&mut sink, &[9u8; PAGE], at(0) + 24), OK);
    assert_eq!(sink.writes.len(), 3);
    assert_eq!(sink.writes[1].0, at(0));
    assert_eq!(sink.writes[1].1.len(), FRAME_HEADER + PAGE);
    assert_eq!(sink.writes[2], (at(0) + 24, vec![9u8; PAGE]));
}

#[test]
fn a_header_rewritten_before_the_end_is_written_at_once() {
    // The checksum rewrite at a commit: frames 0 to 2 appended (the last a commit frame),
    // then their headers written again, the last one with nothing after it.
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    frame(&mut held, &mut sink, 0, false);
    frame(&mut held, &mut sink, 1, false);
    frame(&mut held, &mut sink, 2, true);
    let before = sink.writes.len();
    for n in 0..3 {
        assert_eq!(
            held.write(&mut sink, &header(7, u32::from(n == 2)), at(n)),
            OK
        );
        assert_eq!(
            sink.writes.len(),
            before + usize::try_from(n + 1).unwrap_or(0)
        );
    }
    assert_eq!(sink.writes.last(), Some(&(at(2), header(7, 1))));
    // Appending again holds again.
    assert_eq!(held.write(&mut sink, &header(3, 0), at(3)), OK);
    assert_eq!(sink.writes.len(), before + 3);
}

#[test]
fn the_wal_starting_over_or_cut_makes_its_start_the_end() {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    frame(&mut held, &mut sink, 0, false);
    frame(&mut held, &mut sink, 1, true);
    // A new WAL header at the start: frames from byte 32 append again.
    wal_start(&mut held, &mut sink);
    let before = sink.writes.len();
    frame(&mut held, &mut sink, 0, false);
    assert_eq!(sink.writes.len(), before, "held again");
    assert_eq!(held.flush(&mut sink), OK);
    held.truncated(0);
    assert_eq!(held.write(&mut sink, &header(1, 0), at(0)), OK);
    assert_eq!(sink.writes.len(), before + 1, "held after the cut");
}

#[test]
fn a_header_at_the_files_start_is_never_held() {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    assert_eq!(held.write(&mut sink, &header(1, 0), 0), OK);
    assert_eq!(sink.writes.len(), 1);
}

#[test]
fn held_bytes_past_the_limit_are_written_without_a_commit() {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    let frames = i64::try_from(LIMIT).unwrap_or(0) / FRAME + 1;
    for n in 0..frames {
        frame(&mut held, &mut sink, n, false);
    }
    // Written once the limit is passed, in pieces the platform takes whole, back to back.
    let pieces = &sink.writes[1..];
    let total: usize = pieces.iter().map(|(_, b)| b.len()).sum();
    assert!(total >= LIMIT, "{total} bytes written");
    assert_eq!(pieces.len(), total.div_ceil(MAX_WRITE));
    let mut next = at(0);
    for (offset, bytes) in pieces {
        assert_eq!(*offset, next);
        assert!(bytes.len() <= MAX_WRITE && bytes.len() & 0x1ffff == bytes.len());
        next += i64::try_from(bytes.len()).unwrap_or(0);
    }
}

#[test]
fn no_platform_write_is_longer_than_the_unix_vfs_takes() {
    // 0x20000 bytes would be written as 0 by the unix VFS (SQLITE_FULL).
    const { assert!(MAX_WRITE <= 0x1ffff && MAX_WRITE.is_multiple_of(4096)) };
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    for n in 0..40 {
        frame(&mut held, &mut sink, n, n == 39);
    }
    let pieces = &sink.writes[1..];
    assert_eq!(pieces.len(), 2);
    assert_eq!(pieces[0].1.len(), MAX_WRITE);
    assert_eq!(pieces[1].0, at(0) + i64::try_from(MAX_WRITE).unwrap_or(0));
}

#[test]
fn other_writes_pass_straight_through() {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    for (n, size) in [0usize, 23, 25, 32, 4096].into_iter().enumerate() {
        let offset = 100_000 * i64::try_from(n + 1).unwrap_or(0);
        assert_eq!(held.write(&mut sink, &vec![1u8; size], offset), OK);
    }
    assert_eq!(sink.writes.len(), 5);
}

#[test]
fn flush_writes_what_is_held_once() {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    assert_eq!(held.flush(&mut sink), OK);
    assert!(sink.writes.is_empty(), "nothing held, nothing written");
    wal_start(&mut held, &mut sink);
    frame(&mut held, &mut sink, 0, false);
    assert_eq!(held.flush(&mut sink), OK);
    assert_eq!(held.flush(&mut sink), OK);
    assert_eq!(sink.writes.len(), 2);
    assert_eq!(sink.writes[1].1.len(), FRAME_HEADER + PAGE);
}

#[test]
fn errors_reach_sqlite_and_nothing_is_retried() {
    let (mut held, mut sink) = (Held::default(), Recorder::default());
    wal_start(&mut held, &mut sink);
    frame(&mut held, &mut sink, 0, false);
    sink.fail = true;
    // The commit frame's page writes everything: its error is the page's.
    assert_eq!(held.write(&mut sink, &header(1, 2), at(1)), OK);
    assert_eq!(
        held.write(&mut sink, &[1u8; PAGE], at(1) + 24),
        ffi::SQLITE_IOERR_WRITE
    );
    // Held bytes that cannot be sent before an unrelated write fail that write.
    assert_eq!(held.write(&mut sink, &header(2, 0), at(2)), OK);
    assert_eq!(
        held.write(&mut sink, &[7u8; PAGE], 900_000),
        ffi::SQLITE_IOERR_WRITE
    );
    assert_eq!(held.write(&mut sink, &header(3, 0), at(300)), OK);
    assert_eq!(held.flush(&mut sink), ffi::SQLITE_IOERR_WRITE);
    sink.fail = false;
    assert_eq!(held.flush(&mut sink), OK);
    assert_eq!(sink.writes.len(), 1, "failed bytes are not written later");
}
