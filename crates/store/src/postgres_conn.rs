//! A worker's PostgreSQL connection: `tokio-postgres` on a runtime of the connection's own (as
//! the synchronous `postgres` client does it), so that a transaction's `BEGIN` can travel with
//! its first statement instead of taking a round trip of its own (issue 14, docs/benchmarks.md,
//! twenty-first pass).
//!
//! `begin` only notes the opening statements; the next statement sends them. When that
//! statement only reads, both go together, pipelined: PostgreSQL runs them in order and
//! answers both at once. A statement that writes is never pipelined behind its `BEGIN`: were the
//! `BEGIN` to fail, it would run outside any transaction, its change committed alone. A read
//! outside a transaction changes nothing, and the `BEGIN`'s error is the statement's error. An
//! opening that failed stays pending: the transaction's next statement sends it again first,
//! so nothing after it runs outside a transaction either.

use std::future::Future;
use std::pin::{Pin, pin};
use std::task::Poll;
use std::time::Duration;

use postgres::types::ToSql;
use postgres::{Row, Statement};
use tokio::runtime::Runtime;
use tokio_postgres::tls::NoTlsStream;
use tokio_postgres::{Client, Connection, NoTls, Socket};

use crate::StoreError;

pub(crate) struct Conn {
    driver: Driver,
    client: Client,
    /// Opening statements of a transaction not sent yet (`begin`).
    pending: Option<&'static str>,
}

/// The connection's runtime and its socket, polled in the same task as each request (as the
/// synchronous client does): an answer wakes its request without a hand-off between tasks.
struct Driver {
    runtime: Runtime,
    /// `None` once the connection has ended; its requests then fail, and `is_closed` says so.
    connection: Option<Pin<Box<Connection<Socket, NoTlsStream>>>>,
}

impl Driver {
    fn block_on<T>(
        &mut self,
        request: impl Future<Output = Result<T, postgres::Error>>,
    ) -> Result<T, postgres::Error> {
        let mut request = pin!(request);
        let connection = &mut self.connection;
        self.runtime.block_on(std::future::poll_fn(|cx| {
            let mut ended = None;
            if let Some(c) = connection.as_mut()
                && let Poll::Ready(end) = c.as_mut().poll(cx)
            {
                // Dropped: a request still waiting then hears that the connection is closed.
                *connection = None;
                ended = end.err();
            }
            // An answer that came before the connection's end is the request's answer (a
            // `COMMIT` that succeeded is not reported as failed).
            match request.as_mut().poll(cx) {
                Poll::Pending => ended.map_or(Poll::Pending, |e| Poll::Ready(Err(e))),
                answered => answered,
            }
        }))
    }
}

/// Words that write wherever they stand (`UPDATE … SET`, `SELECT … INTO`, …); a locking read's
/// `FOR UPDATE` has no `SET`.
const WRITES: [&str; 10] = [
    "INSERT", "DELETE", "SET", "INTO", "MERGE", "TRUNCATE", "COPY", "CALL", "DO", "NEXTVAL",
];

/// What a read may put before a parenthesis: SQL's own words, and built-in functions that
/// change nothing. Any other call (`setval`, `set_config`, `pg_advisory_lock`, `pg_notify`, a
/// function of the database's own) rules a statement out.
const BEFORE_PARENTHESIS: &[&str] = &[
    "all",
    "and",
    "any",
    "array",
    "as",
    "between",
    "by",
    "case",
    "else",
    "except",
    "exists",
    "filter",
    "from",
    "having",
    "in",
    "intersect",
    "is",
    "join",
    "lateral",
    "like",
    "limit",
    "materialized",
    "not",
    "offset",
    "on",
    "or",
    "over",
    "recursive",
    "row",
    "select",
    "some",
    "then",
    "union",
    "using",
    "values",
    "when",
    "where",
    "with", // SQL's words
    "abs",
    "array_agg",
    "avg",
    "bool_and",
    "bool_or",
    "btrim",
    "cardinality",
    "cast",
    "ceil",
    "char_length",
    "coalesce",
    "concat",
    "count",
    "date_trunc",
    "extract",
    "floor",
    "greatest",
    "json_agg",
    "json_build_array",
    "json_build_object",
    "jsonb_agg",
    "jsonb_build_array",
    "jsonb_build_object",
    "least",
    "left",
    "length",
    "lower",
    "ltrim",
    "max",
    "min",
    "nullif",
    "position",
    "replace",
    "right",
    "round",
    "rtrim",
    "split_part",
    "string_agg",
    "substr",
    "substring",
    "sum",
    "to_char",
    "to_json",
    "to_jsonb",
    "trim",
    "upper", // pure functions
];

/// Whether a statement only reads: it is then pipelined behind a pending `BEGIN`. It starts
/// with `SELECT` or `WITH`, has none of the [`WRITES`], calls nothing but what
/// [`BEFORE_PARENTHESIS`] names, and has nothing this scanner does not read (comments, dollar
/// quotes). String literals and quoted names are skipped. Deciding wrongly that a statement
/// writes only costs the round trip this saves.
pub(crate) fn reads_only(sql: &str) -> bool {
    let bytes = sql.as_bytes();
    let (mut i, mut first) = (0, true);
    while let Some(&c) = bytes.get(i) {
        match c {
            b'\'' | b'"' => {
                // To the closing quote; a doubled quote is one quote inside.
                i += 1;
                loop {
                    match bytes.get(i) {
                        None => return false,
                        Some(&q) if q == c && bytes.get(i + 1) == Some(&c) => i += 2,
                        Some(&q) if q == c => break,
                        Some(_) => i += 1,
                    }
                }
                i += 1;
            }
            b'$' => {
                // A parameter (`$1`); anything else is a dollar quote, not read here.
                i += 1;
                if !bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    return false;
                }
                while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => return false,
            b'/' if bytes.get(i + 1) == Some(&b'*') => return false,
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let start = i;
                while bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
                {
                    i += 1;
                }
                let word = &sql[start..i];
                if first
                    && !(word.eq_ignore_ascii_case("SELECT") || word.eq_ignore_ascii_case("WITH"))
                {
                    return false;
                }
                first = false;
                if WRITES.iter().any(|w| word.eq_ignore_ascii_case(w)) {
                    return false;
                }
                let mut next = i;
                while bytes.get(next).is_some_and(u8::is_ascii_whitespace) {
                    next += 1;
                }
                if bytes.get(next) == Some(&b'(')
                    && !BEFORE_PARENTHESIS
                        .iter()
                        .any(|w| word.eq_ignore_ascii_case(w))
                {
                    return false;
                }
            }
            c if c.is_ascii_digit() => {
                // A number (or a word's tail after a cast's `::`): not a word.
                while bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
                {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    !first
}

/// The connection settings of `url`: 10 s to connect unless the URL says otherwise, TCP
/// keepalives on.
pub(crate) fn config(url: &str) -> Result<tokio_postgres::Config, StoreError> {
    let mut config: tokio_postgres::Config = url
        .parse()
        .map_err(|e: postgres::Error| StoreError::Corrupt(format!("bad database URL: {e}")))?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    config.keepalives(true);
    Ok(config)
}

impl Conn {
    /// Connects to `url` ([`config`]) and runs `settings` once.
    pub(crate) fn connect(url: &str, settings: &str) -> Result<Conn, StoreError> {
        let config = config(url)?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let (client, connection) = runtime.block_on(config.connect(NoTls))?;
        let mut conn = Conn {
            driver: Driver {
                runtime,
                connection: Some(Box::pin(connection)),
            },
            client,
            pending: None,
        };
        conn.batch_execute(settings)?;
        Ok(conn)
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    /// Opens a transaction with `opening` (`BEGIN`, or `BEGIN` and a savepoint), sent with the
    /// next statement.
    pub(crate) fn begin(&mut self, opening: &'static str) {
        self.pending = Some(opening);
    }

    /// Runs `sql` (one or more statements, no parameters), after a pending opening. A
    /// `ROLLBACK` of a transaction that sent nothing sends nothing: none is open.
    pub(crate) fn batch_execute(&mut self, sql: &str) -> Result<(), postgres::Error> {
        let client = &self.client;
        match self.pending.take() {
            Some(_) if sql == "ROLLBACK" => Ok(()),
            // One simple query, one round trip.
            Some(opening) => self
                .driver
                .block_on(client.batch_execute(&format!("{opening}; {sql}"))),
            None => self.driver.block_on(client.batch_execute(sql)),
        }
    }

    pub(crate) fn prepare(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        self.driver.block_on(self.client.prepare(sql))
    }

    pub(crate) fn execute(
        &mut self,
        statement: &Statement,
        reads: bool,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<u64, postgres::Error> {
        let Conn {
            driver,
            client,
            pending,
        } = self;
        after_opening(
            driver,
            pending,
            client,
            reads,
            client.execute(statement, params),
        )
    }

    pub(crate) fn query(
        &mut self,
        statement: &Statement,
        reads: bool,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, postgres::Error> {
        let Conn {
            driver,
            client,
            pending,
        } = self;
        after_opening(
            driver,
            pending,
            client,
            reads,
            client.query(statement, params),
        )
    }
}

/// Sends `request` after the `pending` opening: in the same flight when it `reads`, else once
/// the opening has succeeded. An opening that did not succeed stays pending, so that whatever
/// the request's transaction sends next is never run outside a transaction.
fn after_opening<T>(
    driver: &mut Driver,
    pending: &mut Option<&'static str>,
    client: &Client,
    reads: bool,
    request: impl Future<Output = Result<T, postgres::Error>>,
) -> Result<T, postgres::Error> {
    let Some(opening) = pending.take() else {
        return driver.block_on(request);
    };
    if !reads {
        if let Err(e) = driver.block_on(client.batch_execute(opening)) {
            *pending = Some(opening);
            return Err(e);
        }
        // Sent only now: a future sends its request when first polled.
        return driver.block_on(request);
    }
    let mut opened = false;
    // Both sent before either answer is awaited (the opening first); the opening's error first.
    let answer = driver.block_on(async {
        let (opening, answer) = tokio::join!(client.batch_execute(opening), request);
        opening?;
        opened = true;
        answer
    });
    if !opened {
        *pending = Some(opening);
    }
    answer
}

#[cfg(test)]
#[path = "postgres_conn_tests.rs"]
pub(crate) mod tests;
