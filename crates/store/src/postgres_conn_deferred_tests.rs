//! Deferred writes (`Conn::defer`): sent in order ahead of what follows them, never with a
//! rollback, their refusal reported as such and a lost answer as unknown (on PostgreSQL,
//! `AIRLOCK_TEST_DATABASE_URL`).

use postgres::Statement;
use postgres::error::SqlState;

use super::super::{Conn, EndError, MAX_DEFERRED_BYTES};
use super::{database, proxy, turns_of};

const SETTINGS: &str = "SET application_name = 'airlock-test'";

/// A table of the test's own, rows numbered as inserted, seen by a connection of its own
/// (`other`), and `conn` (to `target`) with its statements; the table is dropped with it.
struct Scratch {
    other: Conn,
    table: String,
    conn: Conn,
    count: Statement,
    insert: Statement,
    insert_all: Statement,
}

impl Scratch {
    fn new(url: &str, target: &str) -> Scratch {
        let mut other = Conn::connect(url, SETTINGS).expect("connect");
        let table = format!("airlock_deferred_{}", uuid::Uuid::new_v4().simple());
        other
            .batch_execute(&format!(
                "CREATE TABLE {table} (id bigserial, n bigint PRIMARY KEY, t text, b boolean, \
                 f double precision)"
            ))
            .expect("table");
        let mut conn = Conn::connect(target, SETTINGS).expect("connect");
        let mut prepare = |sql: String| conn.prepare(&sql).expect("prepare");
        let count = prepare(format!("SELECT count(*) FROM {table}"));
        let insert = prepare(format!("INSERT INTO {table} (n) VALUES ($1)"));
        let insert_all = prepare(format!(
            "INSERT INTO {table} (n, t, b, f) VALUES ($1, $2, $3, $4)"
        ));
        Scratch {
            other,
            table,
            conn,
            count,
            insert,
            insert_all,
        }
    }

    /// Rows `conn` sees.
    fn seen(&mut self) -> i64 {
        let rows = self.conn.query(&self.count, true, &[]).expect("count");
        rows[0].get(0)
    }

    /// Rows committed.
    fn committed(&mut self) -> i64 {
        let sql = format!("SELECT count(*) FROM {}", self.table);
        let count = self.other.prepare(&sql).expect("prepare");
        let rows = self.other.query(&count, true, &[]).expect("count");
        rows[0].get(0)
    }

    /// `BEGIN`, sent with a read.
    fn open(&mut self) {
        self.conn.begin("BEGIN");
        self.seen();
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = self
            .other
            .batch_execute(&format!("DROP TABLE {}", self.table));
    }
}

fn unique(e: &postgres::Error) -> bool {
    e.code() == Some(&SqlState::UNIQUE_VIOLATION)
}

#[test]
fn a_deferred_write_goes_with_what_follows_it() {
    let Some(url) = database("a_deferred_write_goes_with_what_follows_it") else {
        return;
    };
    let (target, turns) = proxy(&url);
    let mut s = Scratch::new(&url, &target);
    let n = turns_of(&turns, || {
        s.open();
        let insert = s.insert_all.clone();
        s.conn
            .defer(&insert, &[&1i64, &"one", &true, &1.5f64])
            .expect("defer");
        assert_eq!(s.seen(), 1, "a read after a deferred write sees it");
        s.conn
            .defer(&insert, &[&2i64, &None::<String>, &false, &-0.25f64])
            .expect("defer");
        s.conn.finish("COMMIT").expect("commit");
    });
    assert_eq!(
        n, 3,
        "BEGIN with the first read, the first write with the second read, the second write with COMMIT"
    );
    let all = format!("SELECT n, t, b, f FROM {} ORDER BY n", s.table);
    let all = s.other.prepare(&all).expect("prepare");
    let rows: Vec<(i64, Option<String>, bool, f64)> = s
        .other
        .query(&all, true, &[])
        .expect("rows")
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    assert_eq!(
        rows,
        [(1, Some("one".into()), true, 1.5), (2, None, false, -0.25)],
        "each parameter as the driver would have sent it"
    );

    // A rollback sends no deferred write: this one, refused, would fail it.
    s.open();
    let insert = s.insert.clone();
    s.conn.defer(&insert, &[&1i64]).expect("defer");
    s.conn
        .batch_execute("ROLLBACK")
        .expect("a rollback that sent its deferred write");

    // A write deferred before its transaction's opening went out is sent at once, after a
    // `BEGIN` of its own (never pipelined behind it).
    let n = turns_of(&turns, || {
        s.conn.begin("BEGIN");
        s.conn.defer(&insert, &[&3i64]).expect("defer");
        s.conn.finish("COMMIT").expect("commit");
    });
    assert_eq!(n, 3, "BEGIN, the write, COMMIT");

    // Parameters that do not fit the statement: sent at once, for the driver to refuse.
    s.open();
    assert!(s.conn.defer(&insert, &[&"four"]).is_err());
    assert!(s.conn.defer(&insert, &[&4i64, &4i64]).is_err());
    s.conn.batch_execute("ROLLBACK").expect("rollback");
    assert_eq!(s.committed(), 3);
}

#[test]
fn a_refused_deferred_write_fails_what_follows_and_its_commit_rolls_back() {
    let Some(url) =
        database("a_refused_deferred_write_fails_what_follows_and_its_commit_rolls_back")
    else {
        return;
    };
    let mut s = Scratch::new(&url, &url);
    let insert = s.insert.clone();

    // The statement after it answers the write's own error.
    s.open();
    s.conn.execute(&insert, false, &[&1i64]).expect("write");
    s.conn.defer(&insert, &[&1i64]).expect("defer");
    let e = s
        .conn
        .query(&s.count.clone(), true, &[])
        .expect_err("after a refused write");
    assert!(unique(&e), "not the write's error: {e}");
    s.conn.batch_execute("ROLLBACK").expect("rollback");

    // At the commit: refused, and nothing committed.
    s.open();
    s.conn.execute(&insert, false, &[&2i64]).expect("write");
    s.conn.defer(&insert, &[&2i64]).expect("defer");
    match s.conn.finish("COMMIT") {
        Err(EndError::Refused(e)) => assert!(unique(&e), "{e}"),
        other => panic!("a refused write's commit answered {other:?}"),
    }
    assert_eq!(s.committed(), 0, "the transaction was committed");

    // The connection goes on.
    s.open();
    s.conn.defer(&insert, &[&3i64]).expect("defer");
    s.conn.finish("COMMIT").expect("commit");
    assert_eq!(s.committed(), 1);
}

#[test]
fn many_deferred_writes_go_in_their_order() {
    let Some(url) = database("many_deferred_writes_go_in_their_order") else {
        return;
    };
    // Past 30 futures, a general join polls them in an order of its own.
    for many in [2i64, 3, 31, 33, 100] {
        let mut s = Scratch::new(&url, &url);
        let read = format!("SELECT n FROM {} ORDER BY id", s.table);
        let read = s.conn.prepare(&read).expect("prepare");
        let insert = s.insert.clone();
        s.open();
        for i in 0..many {
            s.conn.defer(&insert, &[&i]).expect("defer");
        }
        let rows = s.conn.query(&read, true, &[]).expect("read");
        s.conn.finish("COMMIT").expect("commit");
        let order: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
        assert_eq!(order, (0..many).collect::<Vec<_>>(), "{many} writes");
    }
}

#[test]
fn the_first_refused_write_is_the_one_reported() {
    let Some(url) = database("the_first_refused_write_is_the_one_reported") else {
        return;
    };
    let mut s = Scratch::new(&url, &url);
    let insert = s.insert.clone();
    s.conn.begin("BEGIN; SAVEPOINT job");
    s.seen();
    s.conn.execute(&insert, false, &[&7i64]).expect("write");
    for n in [1i64, 7, 2] {
        s.conn.defer(&insert, &[&n]).expect("defer");
    }
    // The second is refused; the third and the release then fail as "transaction aborted".
    match s.conn.finish("RELEASE SAVEPOINT job; COMMIT") {
        Err(EndError::Refused(e)) => assert!(unique(&e), "{e}"),
        other => panic!("answered {other:?}"),
    }
    // The release failed, so its `COMMIT` did not run: the transaction is open, and aborted.
    s.conn
        .batch_execute("ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job; COMMIT")
        .expect("undo and commit");
    assert_eq!(s.committed(), 0, "the request's writes were not all undone");
}

#[test]
fn a_commit_whose_answer_is_lost_is_failed_not_refused() {
    let Some(url) = database("a_commit_whose_answer_is_lost_is_failed_not_refused") else {
        return;
    };
    let (target, turns) = proxy(&url);
    let mut s = Scratch::new(&url, &target);
    let insert = s.insert.clone();
    s.open();
    s.conn.defer(&insert, &[&1i64]).expect("defer");
    turns.lock().expect("turns").cut_on_commit = true;
    let end = s.conn.finish("COMMIT");
    // Committed, but the client cannot know: running the batch again would record it twice.
    let mut committed = 0;
    for _ in 0..50 {
        committed = s.committed();
        if committed == 1 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(committed, 1, "the COMMIT reached the database");
    assert!(
        matches!(end, Err(EndError::Failed(_))),
        "a commit whose answer was lost answered {end:?}"
    );
}

#[test]
fn writes_left_over_by_a_transaction_that_never_ended_are_dropped() {
    let Some(url) = database("writes_left_over_by_a_transaction_that_never_ended_are_dropped")
    else {
        return;
    };
    let mut s = Scratch::new(&url, &url);
    let insert = s.insert.clone();
    s.open();
    s.conn.defer(&insert, &[&1i64]).expect("defer");
    // A path that forgot to end it: the next `begin` must not send its writes.
    s.open();
    assert_eq!(s.seen(), 0, "a left-over write was sent");
    s.conn.batch_execute("ROLLBACK").expect("rollback");
    assert_eq!(s.committed(), 0);
}

#[test]
fn a_write_too_large_to_keep_goes_at_once() {
    let Some(url) = database("a_write_too_large_to_keep_goes_at_once") else {
        return;
    };
    let (target, turns) = proxy(&url);
    let mut s = Scratch::new(&url, &target);
    let insert = s.insert_all.clone();
    s.open();
    let n = turns_of(&turns, || {
        s.conn
            .defer(&insert, &[&1i64, &"s", &true, &0.0f64])
            .expect("defer");
    });
    assert_eq!(n, 0, "a small write is kept");
    let large = "l".repeat(MAX_DEFERRED_BYTES + 1);
    let n = turns_of(&turns, || {
        s.conn
            .defer(&insert, &[&2i64, &large, &true, &0.0f64])
            .expect("write");
    });
    // (The database may answer the kept write while the large one is still being sent: one
    // turn or two, never none.)
    assert!(n >= 1, "a write over the limit was kept");
    s.conn.finish("COMMIT").expect("commit");
    assert_eq!(s.committed(), 2);
}
