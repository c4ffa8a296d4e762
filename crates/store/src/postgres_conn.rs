//! A worker's PostgreSQL connection: `tokio-postgres` on a runtime of the connection's own (as
//! the synchronous `postgres` client does it), so that a transaction's `BEGIN` can travel with
//! its first statement instead of taking a round trip of its own (issue 14, docs/benchmarks.md,
//! twenty-first pass).
//!
//! `begin` only notes the opening statements; the next statement sends them. When that
//! statement only reads, both go together, pipelined: PostgreSQL runs them in order and
//! answers both at once. A statement that writes is never pipelined behind its `BEGIN`: were the
//! `BEGIN` to fail, it would run outside any transaction, its change committed alone. A read
//! outside a transaction changes nothing, and the `BEGIN`'s error is the statement's error.

use std::time::Duration;

use postgres::types::ToSql;
use postgres::{Row, Statement};
use std::future::Future;
use std::pin::{Pin, pin};
use std::task::Poll;

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
            if let Some(c) = connection.as_mut()
                && let Poll::Ready(ended) = c.as_mut().poll(cx)
            {
                *connection = None;
                if let Err(e) = ended {
                    return Poll::Ready(Err(e));
                }
            }
            request.as_mut().poll(cx)
        }))
    }
}

/// Whether a statement only reads: it is pipelined behind a pending `BEGIN`. A word that
/// writes anywhere in the text (`UPDATE … SET`, `INSERT`, `DELETE`, …) rules it out; a
/// locking read (`FOR UPDATE`) has no `SET` and only reads.
pub(crate) fn reads_only(sql: &str) -> bool {
    const WRITES: [&str; 9] = [
        "INSERT", "DELETE", "SET", "MERGE", "TRUNCATE", "COPY", "CALL", "DO", "NEXTVAL",
    ];
    let mut words = sql
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty());
    let first_reads = words
        .next()
        .is_some_and(|w| w.eq_ignore_ascii_case("SELECT") || w.eq_ignore_ascii_case("WITH"));
    first_reads
        && !sql
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .any(|w| WRITES.iter().any(|x| w.eq_ignore_ascii_case(x)))
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

    /// Runs `sql` (one or more statements, no parameters), after a pending opening.
    pub(crate) fn batch_execute(&mut self, sql: &str) -> Result<(), postgres::Error> {
        let client = &self.client;
        match self.pending.take() {
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
        let client = &self.client;
        match self.pending.take() {
            Some(opening) if reads => {
                // Both sent before either answer is awaited; the opening's error first.
                self.driver.block_on(async {
                    let (opened, changed) = tokio::join!(
                        client.batch_execute(opening),
                        client.execute(statement, params)
                    );
                    opened.and(changed)
                })
            }
            Some(opening) => {
                self.driver.block_on(client.batch_execute(opening))?;
                self.driver.block_on(client.execute(statement, params))
            }
            None => self.driver.block_on(client.execute(statement, params)),
        }
    }

    pub(crate) fn query(
        &mut self,
        statement: &Statement,
        reads: bool,
        params: &[&(dyn ToSql + Sync)],
    ) -> Result<Vec<Row>, postgres::Error> {
        let client = &self.client;
        match self.pending.take() {
            Some(opening) if reads => {
                // Both sent before either answer is awaited; the opening's error first.
                self.driver.block_on(async {
                    let (opened, rows) = tokio::join!(
                        client.batch_execute(opening),
                        client.query(statement, params)
                    );
                    opened.and(rows)
                })
            }
            Some(opening) => {
                self.driver.block_on(client.batch_execute(opening))?;
                self.driver.block_on(client.query(statement, params))
            }
            None => self.driver.block_on(client.query(statement, params)),
        }
    }
}

#[cfg(test)]
#[path = "postgres_conn_tests.rs"]
mod tests;
