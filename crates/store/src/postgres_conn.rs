//! A worker's PostgreSQL connection: `tokio-postgres` on a runtime of the connection's own (as
//! the synchronous `postgres` client does it), so that a transaction's `BEGIN` can travel with
//! its first statement instead of taking a round trip of its own (issue 14, docs/benchmarks.md,
//! twenty-first pass).
//!
//! `begin` only notes the opening statements; the next statement sends them. When that
//! statement only reads, both go together, pipelined: PostgreSQL runs them in order and
//! answers both at once. On a connection that commits a write outside a transaction, a statement
//! that writes is never pipelined behind its `BEGIN`: were the `BEGIN` to fail, it would run
//! outside any transaction, its change committed alone. A read
//! outside a transaction changes nothing, and the `BEGIN`'s error is the statement's error. An
//! opening that failed stays pending: the transaction's next statement sends it again first,
//! so nothing after it runs outside a transaction either.
//!
//! A worker's connection is read-only outside its transactions (`read_only_outside`), and
//! its openings are `BEGIN READ WRITE`: there a write travels with its opening too. Were the
//! opening to fail, the write would run outside any transaction, read-only, and be refused.
//!
//! A write whose answer nobody waits for (a check's record of its decision) may be deferred
//! (`defer`): it is sent with the transaction's next statement or with its end, pipelined
//! ahead of it, and its error is that statement's error, or the end's (`finish` then says it was
//! refused). PostgreSQL runs them in the order sent, so what follows a
//! deferred write sees it, and a write that fails aborts the transaction: nothing after it
//! runs, and its `COMMIT` rolls back.

use std::future::Future;
use std::pin::{Pin, pin};
use std::task::Poll;
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use postgres::types::{Format, IsNull, ToSql, Type, to_sql_checked};
use postgres::{Row, Statement};
use tokio::runtime::Runtime;
use tokio_postgres::tls::NoTlsStream;
use tokio_postgres::{Client, Connection, NoTls, Socket};

use crate::StoreError;

/// Makes a connection's transactions read-only unless they say otherwise: a write sent
/// outside a transaction is refused.
const READ_ONLY_OUTSIDE: &str = "SET default_transaction_read_only = on";

/// A worker's transactions' openings (on a connection read-only outside them); a write may
/// travel with an opening that starts with [`BEGIN`].
pub(crate) const BEGIN: &str = "BEGIN READ WRITE";
pub(crate) const BEGIN_SAVEPOINT: &str = "BEGIN READ WRITE; SAVEPOINT job";
/// A lone request's transaction rolled back and opened again, to run it again in place.
pub(crate) const BEGIN_AGAIN: &str = "ROLLBACK; BEGIN READ WRITE";

pub(crate) struct Conn {
    driver: Driver,
    client: Client,
    /// Opening statements of a transaction not sent yet (`begin`).
    pending: Option<&'static str>,
    /// Read-only outside its transactions (`read_only_outside`): a write may travel with a
    /// `BEGIN READ WRITE`.
    read_only_outside: bool,
    /// Writes of the open transaction not sent yet (`defer`), in order. Never beside a
    /// pending opening: a write is deferred only once its transaction's `BEGIN` has succeeded,
    /// and `begin` drops any left over.
    deferred: Vec<Deferred>,
}

/// A write to send later, its parameters encoded already: the values they borrowed are gone
/// by the time it is sent.
struct Deferred {
    statement: Statement,
    params: Vec<Encoded>,
}

/// One parameter as the driver would have sent it: its bytes (none for NULL) and their format.
struct Encoded {
    bytes: Option<Bytes>,
    format: Format,
}

/// Without the bytes: they may hold secrets.
impl std::fmt::Debug for Encoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.bytes {
            None => f.write_str("Encoded(NULL)"),
            Some(b) => write!(f, "Encoded({} bytes)", b.len()),
        }
    }
}

impl ToSql for Encoded {
    fn to_sql(
        &self,
        _: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        Ok(match &self.bytes {
            None => IsNull::Yes,
            Some(bytes) => {
                out.extend_from_slice(bytes);
                IsNull::No
            }
        })
    }

    // Checked when it was encoded, against the same statement's types (`encode`).
    fn accepts(_: &Type) -> bool {
        true
    }

    fn encode_format(&self, _: &Type) -> Format {
        self.format
    }

    to_sql_checked!();
}

/// Bytes a deferred write's parameters may hold: far below the protocol's limit on a message
/// (`i32::MAX`), so that the driver never refuses one after it was deferred.
const MAX_DEFERRED_BYTES: usize = 64 << 20;

/// `params` encoded for `statement` as the driver encodes them; `None` when they do not fit
/// its parameters' number or types, or hold more than [`MAX_DEFERRED_BYTES`].
fn encode(statement: &Statement, params: &[&(dyn ToSql + Sync)]) -> Option<Vec<Encoded>> {
    if statement.params().len() != params.len() {
        return None;
    }
    let mut total = 0usize;
    params
        .iter()
        .zip(statement.params())
        .map(|(param, ty)| {
            let mut out = BytesMut::new();
            let bytes = match param.to_sql_checked(ty, &mut out).ok()? {
                IsNull::Yes => None,
                IsNull::No => Some(out.freeze()),
            };
            total += bytes.as_ref().map_or(0, Bytes::len);
            (total <= MAX_DEFERRED_BYTES).then_some(Encoded {
                bytes,
                format: param.encode_format(ty),
            })
        })
        .collect()
}

/// How the end of a request failed (`Conn::finish`).
#[derive(Debug)]
pub(crate) enum EndError {
    /// A deferred write sent ahead of the end was refused: PostgreSQL aborted the transaction
    /// there. A lone `COMMIT` then rolled it back: nothing of it is committed. An end that
    /// begins with `RELEASE SAVEPOINT` failed there, and nothing after it ran: the transaction
    /// is still open, and rolling back to the savepoint undoes the request alone.
    Refused(postgres::Error),
    /// The end failed; for a `COMMIT`, whether it committed is unknown.
    Failed(postgres::Error),
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
            read_only_outside: false,
            deferred: Vec::new(),
        };
        conn.batch_execute(settings)?;
        Ok(conn)
    }

    /// From now on this connection's transactions are read-only unless they open with
    /// [`BEGIN`] (or say otherwise), and so is a statement outside any: a write then travels
    /// with its transaction's `BEGIN READ WRITE`, since were that to fail the write would be
    /// refused, not committed alone.
    pub(crate) fn read_only_outside(&mut self) -> Result<(), postgres::Error> {
        self.batch_execute(READ_ONLY_OUTSIDE)?;
        self.read_only_outside = true;
        Ok(())
    }

    /// Whether a statement may travel with the pending opening: it `reads`, or this
    /// connection refuses writes outside a transaction and the opening is read-write.
    fn travels(&self, reads: bool) -> bool {
        reads || (self.read_only_outside && self.pending.is_some_and(|o| o.starts_with(BEGIN)))
    }

    pub(crate) fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    /// Opens a transaction with `opening` (`BEGIN`, or `BEGIN` and a savepoint), sent with the
    /// next statement.
    pub(crate) fn begin(&mut self, opening: &'static str) {
        if !self.deferred.is_empty() {
            // The last transaction never ended, so none of its requests was answered as
            // committed: its writes are dropped, never sent into another transaction.
            tracing::error!(
                writes = self.deferred.len(),
                "a transaction began before the last one ended; its deferred writes are dropped"
            );
            self.deferred.clear();
        }
        self.pending = Some(opening);
    }

    /// Runs `sql` (one or more statements, no parameters), after a pending opening or the
    /// deferred writes. A `ROLLBACK` of a transaction that sent nothing sends nothing: none is
    /// open; a rollback (to a savepoint too: every deferred write came after the last one)
    /// sends no deferred write, it would be undone.
    pub(crate) fn batch_execute(&mut self, sql: &str) -> Result<(), postgres::Error> {
        let client = &self.client;
        if !self.deferred.is_empty() {
            let deferred = std::mem::take(&mut self.deferred);
            if sql.starts_with("ROLLBACK") {
                return self.driver.block_on(client.batch_execute(sql));
            }
            let (written, answer) = sent_after(
                &mut self.driver,
                client,
                &deferred,
                client.batch_execute(sql),
            )?;
            return written.and(answer);
        }
        match self.pending.take() {
            Some(_) if sql == "ROLLBACK" => Ok(()),
            // One simple query, one round trip.
            Some(opening) => self
                .driver
                .block_on(client.batch_execute(&format!("{opening}; {sql}"))),
            None => self.driver.block_on(client.batch_execute(sql)),
        }
    }

    /// Ends a request with `end` (`COMMIT`, or its savepoint's release and what follows it),
    /// sent with the deferred writes; an end that rolls back sends none, they would be
    /// undone.
    pub(crate) fn finish(&mut self, end: &str) -> Result<(), EndError> {
        if self.deferred.is_empty() || end.starts_with("ROLLBACK") {
            return self.batch_execute(end).map_err(EndError::Failed);
        }
        let deferred = std::mem::take(&mut self.deferred);
        let client = &self.client;
        let (written, answer) = sent_after(
            &mut self.driver,
            client,
            &deferred,
            client.batch_execute(end),
        )
        .map_err(EndError::Failed)?;
        match (written, answer) {
            // The database refused a write: the transaction was aborted there, whatever the
            // end answered (a `COMMIT` of an aborted transaction rolls it back).
            (Err(e), _) if e.as_db_error().is_some() => Err(EndError::Refused(e)),
            (Err(e), _) | (Ok(()), Err(e)) => Err(EndError::Failed(e)),
            (Ok(()), Ok(())) => Ok(()),
        }
    }

    /// Notes `statement`, a write whose answer nobody waits for, to be sent with the
    /// transaction's next statement or its end: a round trip fewer. Its error is then theirs
    /// (`finish`: refused). Sent at once when the transaction's opening is not sent yet
    /// (a write never goes out before its `BEGIN` has succeeded), or when its parameters do
    /// not fit the statement (the driver then says why).
    pub(crate) fn defer(
        &mut self,
        statement: &Statement,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<(), postgres::Error> {
        if self.pending.is_none()
            && let Some(params) = encode(statement, params)
        {
            self.deferred.push(Deferred {
                statement: statement.clone(),
                params,
            });
            return Ok(());
        }
        self.execute(statement, false, params).map(drop)
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
        let travels = self.travels(reads);
        let Conn {
            driver,
            client,
            pending,
            deferred,
            ..
        } = self;
        let request = client.execute(statement, params);
        if !deferred.is_empty() {
            let deferred = std::mem::take(deferred);
            let (written, answer) = sent_after(driver, client, &deferred, request)?;
            return written.and(answer);
        }
        after_opening(driver, pending, client, travels, request)
    }

    pub(crate) fn query(
        &mut self,
        statement: &Statement,
        reads: bool,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, postgres::Error> {
        let travels = self.travels(reads);
        let Conn {
            driver,
            client,
            pending,
            deferred,
            ..
        } = self;
        let request = client.query(statement, params);
        if !deferred.is_empty() {
            let deferred = std::mem::take(deferred);
            let (written, answer) = sent_after(driver, client, &deferred, request)?;
            return written.and(answer);
        }
        after_opening(driver, pending, client, travels, request)
    }
}

/// Sends `request` after the `pending` opening: in the same flight when it `travels`
/// (`Conn::travels`), else once the opening has succeeded. An opening that did not succeed stays pending, so that whatever
/// the request's transaction sends next is never run outside a transaction.
fn after_opening<T>(
    driver: &mut Driver,
    pending: &mut Option<&'static str>,
    client: &Client,
    travels: bool,
    request: impl Future<Output = Result<T, postgres::Error>>,
) -> Result<T, postgres::Error> {
    let Some(opening) = pending.take() else {
        return driver.block_on(request);
    };
    if !travels {
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
        let (opening, answer) = tokio::join!(biased; client.batch_execute(opening), request);
        opening?;
        opened = true;
        answer
    });
    if !opened {
        *pending = Some(opening);
    }
    answer
}

/// Sends the `deferred` writes, then `request`, in that order, before awaiting any answer.
/// Answers the first write's error (the statements after it failed for it) or success, and
/// the request's answer. A write that fails before it is sent (the driver refuses it; it
/// cannot have an answer yet) fails the whole: the request is then not sent at all.
#[allow(clippy::type_complexity)]
fn sent_after<T>(
    driver: &mut Driver,
    client: &Client,
    deferred: &[Deferred],
    request: impl Future<Output = Result<T, postgres::Error>>,
) -> Result<(Result<(), postgres::Error>, Result<T, postgres::Error>), postgres::Error> {
    let mut writes: Vec<_> = deferred
        .iter()
        .map(|write| {
            let params: Vec<&(dyn ToSql + Sync)> = write
                .params
                .iter()
                .map(|p| p as &(dyn ToSql + Sync))
                .collect();
            Box::pin(async move { client.execute(&write.statement, &params).await })
        })
        .collect();
    let mut written: Vec<Option<Result<u64, postgres::Error>>> =
        writes.iter().map(|_| None).collect();
    let mut request = pin!(request);
    let mut answer = None;
    let mut first = true;
    driver.block_on(std::future::poll_fn(|cx| {
        // Polled in order every time: each sends its request when first polled.
        for (write, done) in writes.iter_mut().zip(written.iter_mut()) {
            if done.is_none()
                && let Poll::Ready(r) = write.as_mut().poll(cx)
            {
                *done = Some(r);
            }
        }
        if std::mem::take(&mut first)
            && let Some(unsent) = written.iter_mut().find(|d| matches!(d, Some(Err(_))))
            && let Some(Err(e)) = unsent.take()
        {
            return Poll::Ready(Err(e));
        }
        if answer.is_none()
            && let Poll::Ready(a) = request.as_mut().poll(cx)
        {
            answer = Some(a);
        }
        if written.iter().all(Option::is_some)
            && let Some(a) = answer.take()
        {
            let first_error = written.iter_mut().find_map(|d| match d.take() {
                Some(Err(e)) => Some(e),
                _ => None,
            });
            return Poll::Ready(Ok((first_error.map_or(Ok(()), Err), a)));
        }
        Poll::Pending
    }))
}

#[cfg(test)]
#[path = "postgres_conn_tests.rs"]
pub(crate) mod tests;
