//! A transaction's `BEGIN` sent with its first statement when that statement only reads, and
//! on its own before a statement that writes. The round trips are counted by a proxy between
//! the connection and PostgreSQL (`AIRLOCK_TEST_DATABASE_URL`; without it the tests that need
//! the database fail under CI and are skipped, loudly, elsewhere).

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use super::{BEGIN, BEGIN_AGAIN, BEGIN_SAVEPOINT, Conn, config, reads_only};

const PG_ENV: &str = "AIRLOCK_TEST_DATABASE_URL";

#[test]
fn only_reads_are_pipelined_behind_their_begin() {
    for sql in [
        "SELECT 1",
        "  select k.id FROM api_keys AS k WHERE k.hash = $1",
        "WITH o AS (SELECT org_id FROM api_keys) SELECT * FROM sessions FOR UPDATE SKIP LOCKED",
        "SELECT 1 FROM sessions WHERE org_id = $1 AND id = $2 FOR UPDATE",
        "SELECT updated_at, settled FROM approvals",
    ] {
        assert!(reads_only(sql), "{sql}");
    }
    for sql in [
        "WITH d AS (INSERT INTO decisions VALUES ($1)) UPDATE sessions SET head = $2",
        "UPDATE sessions SET head = $1",
        "update sessions\nset head = $1",
        "INSERT INTO orgs VALUES ($1)",
        "DELETE FROM sessions",
        "WITH gone AS (DELETE FROM approvals RETURNING id) SELECT count(*) FROM gone",
        "SELECT nextval('s')",
        "SET LOCAL statement_timeout = 0",
        "TRUNCATE decisions",
        "COPY decisions TO STDOUT",
        "",
        "BEGIN",
    ] {
        assert!(!reads_only(sql), "{sql}");
    }
}

/// The database's URL, or `None` (skipped loudly; a failure under CI).
pub(crate) fn database(test: &str) -> Option<String> {
    let url = std::env::var(PG_ENV).ok().filter(|u| !u.trim().is_empty());
    if url.is_none() {
        let ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty());
        assert!(!ci, "CI is set but {PG_ENV} is not: {test} must run in CI");
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED {test}: set {PG_ENV} to run it (under CI this fails)"
        );
    }
    url
}

/// Turns of the conversation: how many times the client spoke after the server had (a round
/// trip each), and who spoke last.
#[derive(Default)]
struct Turns {
    client_turns: usize,
    server_last: bool,
    /// The next `BEGIN` the client sends reaches the server as `BEGIX` (a syntax error): an
    /// opening that fails on a connection that stays up.
    spoil_begin: bool,
    /// Once the client sends a `COMMIT`, nothing more from the server reaches it: a commit
    /// whose answer is lost.
    cut_on_commit: bool,
    cut: bool,
}

/// A proxy in front of the database of `url` for one connection; answers the URL that reaches
/// it and the count of the client's turns.
fn proxy(url: &str) -> (String, Arc<Mutex<Turns>>) {
    let config = config(url).expect("url");
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        _ => "127.0.0.1".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let local = listener.local_addr().expect("addr");
    let turns = Arc::new(Mutex::new(Turns {
        server_last: true,
        ..Turns::default()
    }));
    let shared = turns.clone();
    std::thread::spawn(move || {
        let (client, _) = listener.accept().expect("accept");
        let server = TcpStream::connect((host.as_str(), port)).expect("database");
        let pipe = |mut from: TcpStream, mut to: TcpStream, from_server: bool| {
            let turns = shared.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 16 * 1024];
                while let Ok(n) = from.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    {
                        let mut t = turns.lock().expect("turns");
                        if from_server && t.cut {
                            break;
                        }
                        if !from_server
                            && t.cut_on_commit
                            && buf[..n].windows(6).any(|w| w == b"COMMIT")
                        {
                            t.cut = true;
                        }
                        if !from_server && t.server_last {
                            t.client_turns += 1;
                        }
                        t.server_last = from_server;
                        if !from_server
                            && t.spoil_begin
                            && let Some(at) = buf[..n].windows(5).position(|w| w == b"BEGIN")
                        {
                            buf[at + 4] = b'X';
                            t.spoil_begin = false;
                        }
                    }
                    if to.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                let _ = to.shutdown(Shutdown::Write);
            })
        };
        let up = pipe(
            client.try_clone().expect("clone"),
            server.try_clone().expect("clone"),
            false,
        );
        let down = pipe(server, client, true);
        let _ = (up.join(), down.join());
    });
    let mut target = format!("host=127.0.0.1 port={}", local.port());
    if let Some(user) = config.get_user() {
        target.push_str(&format!(" user='{user}'"));
    }
    if let Some(password) = config.get_password() {
        target.push_str(&format!(
            " password='{}'",
            String::from_utf8_lossy(password)
        ));
    }
    if let Some(db) = config.get_dbname() {
        target.push_str(&format!(" dbname='{db}'"));
    }
    (target, turns)
}

/// The client's turns that `f` takes on `conn`.
fn turns_of(turns: &Mutex<Turns>, f: impl FnOnce()) -> usize {
    let before = turns.lock().expect("turns").client_turns;
    f();
    turns.lock().expect("turns").client_turns - before
}

#[test]
fn a_read_takes_its_begin_along_and_a_write_does_not() {
    let Some(url) = database("a_read_takes_its_begin_along_and_a_write_does_not") else {
        return;
    };
    let (target, turns) = proxy(&url);
    let mut conn =
        Conn::connect(&target, "SET application_name = 'airlock-test'").expect("connect");
    let read = conn.prepare("SELECT 1::bigint").expect("prepare");
    let write = conn
        .prepare("CREATE TEMP TABLE IF NOT EXISTS pipelined (n bigint)")
        .expect("prepare");
    assert!(!reads_only(
        "CREATE TEMP TABLE IF NOT EXISTS pipelined (n bigint)"
    ));

    let n = turns_of(&turns, || {
        conn.begin("BEGIN");
        let rows = conn.query(&read, true, &[]).expect("read");
        assert_eq!(rows.len(), 1);
        conn.batch_execute("COMMIT").expect("commit");
    });
    assert_eq!(n, 2, "BEGIN with the read, then COMMIT");

    let n = turns_of(&turns, || {
        conn.begin("BEGIN");
        conn.execute(&write, false, &[]).expect("write");
        conn.batch_execute("COMMIT").expect("commit");
    });
    assert_eq!(n, 3, "BEGIN alone before a write, the write, then COMMIT");
    // Even behind `BEGIN READ WRITE`: this connection would commit a write sent outside a
    // transaction (it is not read-only outside them).
    let n = turns_of(&turns, || {
        conn.begin(super::BEGIN);
        conn.execute(&write, false, &[]).expect("write");
        conn.batch_execute("COMMIT").expect("commit");
    });
    assert_eq!(
        n, 3,
        "BEGIN READ WRITE alone before a write, the write, then COMMIT"
    );

    // A transaction that ran no statement sends its opening with its end, and a rollback of
    // it nothing at all.
    let n = turns_of(&turns, || {
        conn.begin("BEGIN; SAVEPOINT job");
        conn.batch_execute("RELEASE SAVEPOINT job; COMMIT")
            .expect("commit");
    });
    assert_eq!(n, 1);
    let n = turns_of(&turns, || {
        conn.begin("BEGIN; SAVEPOINT job");
        conn.batch_execute("ROLLBACK").expect("rollback");
    });
    assert_eq!(n, 0);
}

#[test]
fn a_pipelined_read_runs_inside_its_transaction() {
    let Some(url) = database("a_pipelined_read_runs_inside_its_transaction") else {
        return;
    };
    let key: i64 = rand::random::<i64>() & 0x7fff_ffff_ffff;
    let mut conn = Conn::connect(&url, "SET application_name = 'airlock-test'").expect("connect");
    let mut other = Conn::connect(&url, "SET application_name = 'airlock-test'").expect("connect");
    let lock = conn
        .prepare("SELECT pg_advisory_xact_lock($1)")
        .expect("prepare");
    let try_lock = other
        .prepare("SELECT pg_try_advisory_xact_lock($1)")
        .expect("prepare");
    let taken = |other: &mut Conn| -> bool {
        let rows = other.query(&try_lock, true, &[&key]).expect("try");
        rows[0].get::<_, bool>(0)
    };

    conn.begin("BEGIN");
    conn.query(&lock, true, &[&key]).expect("lock");
    // A lock of the transaction's: held after the statement, so the statement ran inside it.
    assert!(!taken(&mut other), "the read ran outside its transaction");
    conn.batch_execute("COMMIT").expect("commit");
    assert!(taken(&mut other), "the lock ends with the transaction");
}

#[test]
fn a_connection_the_server_ends_fails_its_next_request_and_says_it_is_closed() {
    let Some(url) =
        database("a_connection_the_server_ends_fails_its_next_request_and_says_it_is_closed")
    else {
        return;
    };
    let mut conn = Conn::connect(&url, "SET application_name = 'airlock-test'").expect("connect");
    let mut other = Conn::connect(&url, "SET application_name = 'airlock-test'").expect("connect");
    let pid = conn.prepare("SELECT pg_backend_pid()").expect("prepare");
    let rows = conn.query(&pid, true, &[]).expect("pid");
    let pid: i32 = rows[0].get(0);
    let end = other
        .prepare("SELECT pg_terminate_backend($1)")
        .expect("prepare");
    let rows = other.query(&end, true, &[&pid]).expect("terminate");
    assert!(rows[0].get::<_, bool>(0));
    // The server may take a moment to close the socket; its last word (the termination, a
    // database error) may fail a request before the socket's end is seen. From the first
    // failure on, no request succeeds, and the connection soon says it is closed (the
    // engine then connects again).
    let mut failed = false;
    for _ in 0..50 {
        let answer = conn.prepare("SELECT 1");
        assert!(
            !(failed && answer.is_ok()),
            "a request succeeded after a failure"
        );
        failed |= answer.is_err();
        if conn.is_closed() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(
        failed && conn.is_closed(),
        "a terminated connection kept answering"
    );
    conn.begin("BEGIN");
    assert!(conn.batch_execute("COMMIT").is_err());
}

#[test]
fn the_hot_paths_first_statements_are_pipelined_and_their_writes_are_not() {
    for (name, sql) in crate::check_reads::first_statements() {
        assert!(
            reads_only(&sql),
            "{name} would take a round trip of its own: {sql}"
        );
    }
    for (name, sql) in crate::check_reads::writes() {
        assert!(!reads_only(&sql), "{name} would be pipelined: {sql}");
    }
    for opening in [BEGIN, BEGIN_SAVEPOINT, BEGIN_AGAIN] {
        let (before, _) = opening.split_once("BEGIN READ WRITE").expect("read-write");
        assert!(before.is_empty() || before == "ROLLBACK; ", "{opening}");
        assert_eq!(opening.matches("BEGIN").count(), 1, "{opening}");
    }
}

#[test]
fn a_write_goes_with_a_read_write_begin_where_it_is_refused_outside_a_transaction() {
    let Some(url) =
        database("a_write_goes_with_a_read_write_begin_where_it_is_refused_outside_a_transaction")
    else {
        return;
    };
    let table = format!("airlock_travels_{}", uuid::Uuid::new_v4().simple());
    let mut other = Conn::connect(&url, "SET application_name = 'airlock-test'").expect("connect");
    other
        .batch_execute(&format!("CREATE TABLE {table} (n bigint)"))
        .expect("table");
    let (target, turns) = proxy(&url);
    let mut conn =
        Conn::connect(&target, "SET application_name = 'airlock-test'").expect("connect");
    conn.read_only_outside().expect("read-only outside");
    let write = conn
        .prepare(&format!("INSERT INTO {table} VALUES (1)"))
        .expect("prepare");
    let read_only = |e: postgres::Error| {
        e.code() == Some(&postgres::error::SqlState::READ_ONLY_SQL_TRANSACTION)
    };

    // With its `BEGIN READ WRITE`: one flight, and it writes.
    let n = turns_of(&turns, || {
        conn.begin(BEGIN);
        assert_eq!(conn.execute(&write, false, &[]).expect("write"), 1);
        conn.batch_execute("COMMIT").expect("commit");
    });
    assert_eq!(n, 2, "BEGIN READ WRITE with the write, then COMMIT");
    // Behind a plain `BEGIN`: sent alone after it, in a read-only transaction, refused.
    let n = turns_of(&turns, || {
        conn.begin("BEGIN");
        let refused = conn.execute(&write, false, &[]).expect_err("read-only");
        assert!(read_only(refused));
        conn.batch_execute("ROLLBACK").expect("rollback");
    });
    assert_eq!(n, 3, "BEGIN alone, the write, then ROLLBACK");
    // Outside any transaction: refused; on a connection not read-only outside, its twin
    // writes.
    assert!(read_only(
        conn.execute(&write, false, &[]).expect_err("read-only")
    ));
    let twin = other
        .prepare(&format!("INSERT INTO {table} VALUES (2)"))
        .expect("prepare");
    assert_eq!(other.execute(&twin, false, &[]).expect("write"), 1);
    // A `BEGIN READ WRITE` that fails: the write sent with it ran outside any transaction
    // and was refused; the opening stays pending and goes with the next statement.
    turns.lock().expect("turns").spoil_begin = true;
    let n = turns_of(&turns, || {
        conn.begin(BEGIN);
        let refused = conn
            .execute(&write, false, &[])
            .expect_err("the opening failed");
        assert_eq!(
            refused.code(),
            Some(&postgres::error::SqlState::SYNTAX_ERROR)
        );
    });
    assert_eq!(n, 1, "the write went with its failed opening");
    assert_eq!(conn.execute(&write, false, &[]).expect("write"), 1);
    conn.batch_execute("ROLLBACK").expect("rollback");

    let count = other
        .prepare(&format!("SELECT n FROM {table} ORDER BY n"))
        .expect("prepare");
    let written: Vec<i64> = other
        .query(&count, true, &[])
        .expect("rows")
        .iter()
        .map(|r| r.get(0))
        .collect();
    other
        .batch_execute(&format!("DROP TABLE {table}"))
        .expect("drop");
    assert_eq!(
        written,
        [1, 2],
        "only the first transaction's write and the twin"
    );
}

#[path = "postgres_conn_deferred_tests.rs"]
mod deferred;
