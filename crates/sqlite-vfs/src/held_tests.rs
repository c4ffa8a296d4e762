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

fn header(n: u8) -> Vec<u8> {
    vec![n; FRAME_HEADER]
}

/// Where frame `n` (from 0) starts, after the WAL's 32-byte header.
fn at(n: i64) -> i64 {
    32 + n * FRAME
}

/// SQLite starting a WAL: its header at byte 0, written at once.
fn wal_start(held: &mut Held, sink: &mut Recorder) {
    assert_eq!(held.write(sink, &[0u8; 32], 0), OK);
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
    sink.fail = true;
    // The joined write fails: the page's own write fails, as it would have alone.
    assert_eq!(
        held.write(&mut sink, &[7u8; PAGE], at(0) + 24),
        ffi::SQLITE_IOERR_WRITE
    );
    assert!(!held.holds());
    // A header that cannot be sent before an unrelated write fails that write.
    held.write(&mut sink, &header(2), at(1));
    assert_eq!(
        held.write(&mut sink, &[7u8; PAGE], at(9)),
        ffi::SQLITE_IOERR_WRITE
    );
    held.write(&mut sink, &header(3), at(10));
    assert_eq!(held.flush(&mut sink), ffi::SQLITE_IOERR_WRITE);
    sink.fail = false;
    assert_eq!(held.flush(&mut sink), OK);
    assert_eq!(sink.writes.len(), 1, "a failed header is not written later");
}
