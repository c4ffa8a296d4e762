//! The PostgreSQL backend, for several replicas on one database.
//!
//! Each replica runs a few worker threads (`Tuning::workers`), each with its own connection.
//! A worker takes every queued request, runs them in one transaction, commits once with
//! `synchronous_commit = on`, and only then answers them: group commit, as on SQLite, but with
//! several batches in flight. A batch runs first without savepoints (each savepoint statement
//! is a round trip); when a request fails, finds its session busy or asks to undo its changes,
//! the batch is rolled back and run again with a savepoint per request, as are the next few
//! batches (`SAVEPOINT_BATCHES`). Requests that read a session lock its row
//! (`SELECT … FOR UPDATE`), so batches on any replica that touch the same session are
//! serialised by PostgreSQL and the session's counters and chain stay exact.
//!
//! A batch that hits a deadlock or a serialisation failure is rolled back and run again; after
//! two such tries the request that hit it fails alone and the rest of the batch commits.
//!
//! A request's record of its decision goes with the next statement or the request's end
//! (`Conn::defer`): a round trip a check fewer. When the database refuses it, the end says so
//! (`EndError::Refused`): without savepoints the batch is rolled back and runs again with
//! them; with them, the request's savepoint is rolled back and it alone fails.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use postgres::{Client, NoTls};

use crate::StoreError;
use crate::migrations;
use crate::options::Options;
use crate::org_cache::{OrgCache, lock};
use crate::postgres_conn::{BEGIN, BEGIN_AGAIN, BEGIN_SAVEPOINT, Conn, EndError};
use crate::postgres_tx::{PgTx, Prepared, Trouble, retryable};
use crate::queue::{BatchError, Engine, Job};
use crate::tx::Tx;

/// The advisory lock that serialises migrations of one database (any replica, any tool).
const MIGRATION_LOCK: i64 = 0x6169_726c_6f63_6b01; // "airlock" + 1

/// Tries of one request, in its own transaction, after its batch hit a deadlock.
const ONE_BY_ONE_TRIES: usize = 5;

/// Times a request that created a session at the same moment as another transaction is run
/// again, in place, before it fails.
const RERUNS: usize = 3;

/// Batches run with savepoints straight away after one needed them: where requests keep
/// failing or finding their sessions busy (many checks of one session at once), running each
/// batch twice would cost more than the savepoints.
const SAVEPOINT_BATCHES: u32 = 16;

/// Settings of every connection: durable commits and bounded waits.
const SESSION_SETTINGS: &str = "SET synchronous_commit = on; \
     SET default_transaction_isolation = 'read committed'; \
     SET statement_timeout = '30s'; \
     SET idle_in_transaction_session_timeout = '60s'; \
     SET application_name = 'airlock'";

pub(crate) fn connect(url: &str) -> Result<Client, StoreError> {
    let config = postgres::Config::from(crate::postgres_conn::config(url)?);
    let mut client = config.connect(NoTls)?;
    client.batch_execute(SESSION_SETTINGS)?;
    Ok(client)
}

fn schema_version(client: &mut Client) -> Result<Option<i64>, StoreError> {
    let exists: bool = client
        .query_one("SELECT to_regclass('schema_migrations') IS NOT NULL", &[])?
        .try_get(0)?;
    if !exists {
        return Ok(None);
    }
    Ok(Some(
        client
            .query_one(
                "SELECT coalesce(max(version), 0)::bigint FROM schema_migrations",
                &[],
            )?
            .try_get(0)?,
    ))
}

pub(crate) fn check_schema(client: &mut Client) -> Result<(), StoreError> {
    migrations::check(schema_version(client)?)
}

/// Applies the migrations this database has not seen, in one transaction under an advisory
/// lock (two replicas or tools migrating at once apply each migration once); refuses a
/// schema newer than this build. Returns the versions applied.
pub(crate) fn migrate(client: &mut Client) -> Result<Vec<i64>, StoreError> {
    let mut txn = client.transaction()?;
    // A migration may take longer than a request is allowed to.
    txn.batch_execute("SET LOCAL statement_timeout = 0")?;
    txn.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    txn.batch_execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)",
    )?;
    let current: i64 = txn
        .query_one(
            "SELECT coalesce(max(version), 0)::bigint FROM schema_migrations",
            &[],
        )?
        .try_get(0)?;
    let applied = migrations::apply_after(current, migrations::POSTGRES, |version, sql| {
        txn.batch_execute(sql)?;
        txn.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)",
            &[&version, &crate::model::ts(chrono::Utc::now())],
        )?;
        Ok(())
    })?;
    txn.commit()?;
    Ok(applied)
}

/// The synchronous client runs a small runtime of its own and must not be created, used or
/// dropped on a thread that drives async tasks: such work goes to a thread of its own.
fn off_runtime<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    if tokio::runtime::Handle::try_current().is_err() {
        return f();
    }
    std::thread::scope(|s| match s.spawn(f).join() {
        Ok(v) => v,
        Err(panic) => std::panic::resume_unwind(panic),
    })
}

/// Migrates the database at `url`, or checks its schema, as `options` say, on a connection of
/// its own (the synchronous client's transactions).
fn prepare_schema(url: &str, options: Options) -> Result<(), StoreError> {
    let mut client = connect(url)?;
    if options.migrate {
        migrate(&mut client).map(drop)
    } else {
        check_schema(&mut client)
    }
}

/// Applies pending migrations to the database at `url`.
pub(crate) fn migrate_url(url: &str) -> Result<Vec<i64>, StoreError> {
    off_runtime(|| {
        let mut client = connect(url)?;
        migrate(&mut client)
    })
}

/// Runs `f` in one transaction on a connection of its own (command-line tools). Call it
/// outside async tasks (in async code, from `spawn_blocking`).
pub(crate) fn run_blocking<R>(
    url: &str,
    options: Options,
    f: impl FnOnce(&mut dyn Tx) -> Result<R, StoreError>,
) -> Result<R, StoreError> {
    prepare_schema(url, options)?;
    let mut client = Conn::connect(url, SESSION_SETTINGS)?;
    let mut cache = HashMap::new();
    // One transaction: nothing to keep between checks.
    let orgs = Arc::new(Mutex::new(OrgCache::new(false)));
    let mut trouble = Trouble::default();
    client.begin("BEGIN");
    let result = {
        let mut db = PgTx::new(&mut client, &mut cache, &orgs, &mut trouble, false, false);
        f(&mut db)
    };
    match result {
        // A statement failed and `f` went on: PostgreSQL has aborted the transaction, and its
        // `COMMIT` would roll back without an error.
        Ok(_) if trouble.failed => {
            let _ = client.batch_execute("ROLLBACK");
            Err(StoreError::CommitFailed(
                "a request kept going after a failed statement".into(),
            ))
        }
        // A deferred write the database refuses fails the commit.
        Ok(r) => client.finish("COMMIT").map(|()| r).map_err(|e| match e {
            EndError::Refused(e) | EndError::Failed(e) => StoreError::Postgres(e),
        }),
        Err(e) => {
            let _ = client.batch_execute("ROLLBACK");
            Err(e)
        }
    }
}

/// A worker's connection: read-only outside its transactions, so that a write travels with
/// its `BEGIN READ WRITE`.
fn worker_conn(url: &str) -> Result<Conn, StoreError> {
    let mut conn = Conn::connect(url, SESSION_SETTINGS)?;
    conn.read_only_outside()?;
    Ok(conn)
}

/// One worker's connection.
pub(crate) struct PgEngine {
    url: String,
    client: Option<Conn>,
    /// Prepared statements of `client`.
    cache: HashMap<String, Prepared>,
    /// What checks read that people change, kept at its organization's version; one for
    /// the replica's workers.
    orgs: Arc<Mutex<OrgCache>>,
    /// The last batch was rolled back for a retryable error; the queue runs it again next.
    retried: bool,
    /// Batches still to run with savepoints straight away (`SAVEPOINT_BATCHES`).
    savepoint_batches: u32,
}

/// What the database said, where the driver's own words would only say "db error".
fn why(e: &postgres::Error) -> String {
    e.as_db_error()
        .map_or_else(|| e.to_string(), |db| db.message().to_string())
}

/// What a failed statement before `COMMIT` means: nothing is committed before it, so a broken
/// connection up to there can be retried.
fn before_commit(e: postgres::Error) -> BatchError {
    if e.is_closed() {
        BatchError::Retry(format!("database connection lost: {e}"))
    } else {
        BatchError::Fail(e.to_string())
    }
}

impl PgEngine {
    fn client(&mut self) -> Result<&mut Conn, BatchError> {
        if self.client.as_ref().is_none_or(|c| c.is_closed()) {
            self.cache.clear();
            match worker_conn(&self.url) {
                Ok(c) => self.client = Some(c),
                Err(e) => {
                    // Do not spin on a database that is down.
                    std::thread::sleep(Duration::from_millis(200));
                    return Err(BatchError::Fail(format!(
                        "cannot connect to the database: {e}"
                    )));
                }
            }
        }
        self.client
            .as_mut()
            .ok_or_else(|| BatchError::Fail("no database connection".into()))
    }

    /// Runs `jobs` in one transaction. A deadlock or serialisation failure rolls it back and
    /// asks for a retry, unless `give_up`: then the request that hit it fails alone.
    ///
    /// Returns the requests that found a session locked by another transaction: they were
    /// rolled back and are run afterwards, each in a transaction of its own.
    fn run(&mut self, jobs: &mut [Job], give_up: bool) -> Result<Vec<usize>, BatchError> {
        self.client()?;
        let Some(client) = self.client.as_mut() else {
            return Err(BatchError::Fail("no database connection".into()));
        };
        // Round trips are the cost here, so savepoint statements ride along with their
        // neighbours (the opening with the first request's first statement); a batch of one
        // request needs no savepoint.
        let single = jobs.len() == 1;
        client.begin(if single { BEGIN } else { BEGIN_SAVEPOINT });
        let count = jobs.len();
        // Requests that found their session busy, to run alone after the commit.
        let mut later = Vec::new();
        // The sessions the requests recorded, kept once the batch commits.
        let mut recorded = Vec::new();
        for (i, job) in jobs.iter_mut().enumerate() {
            let mut reruns = 0;
            let (keep, mut trouble) = loop {
                // Its writes may wait for its end (`Conn::finish`), which undoes it alone when
                // one is refused.
                let (keep, trouble) = attempt(client, &mut self.cache, &self.orgs, job, i);
                if trouble.rerun && !trouble.closed && reruns < RERUNS {
                    reruns += 1;
                    let undo = if single {
                        BEGIN_AGAIN
                    } else {
                        "ROLLBACK TO SAVEPOINT job"
                    };
                    client.batch_execute(undo).map_err(before_commit)?;
                    continue;
                }
                break (keep, trouble);
            };
            if trouble.closed {
                return Err(BatchError::Retry("database connection lost".into()));
            }
            if let Some(msg) = trouble.retry
                && !give_up
            {
                let _ = client.batch_execute("ROLLBACK");
                return Err(BatchError::Retry(msg));
            }
            // A session locked elsewhere: roll this request back, run it after the commit.
            let busy = trouble.busy && !single;
            let keep = keep && !busy;
            if busy {
                later.push(i);
            } else if keep && trouble.failed {
                // The request went on after a failed statement and asked to keep its changes:
                // PostgreSQL has aborted them. Answering success would be a lie.
                let _ = client.batch_execute("ROLLBACK");
                return Err(BatchError::Fail(
                    "a request kept going after a failed statement".into(),
                ));
            }
            if single && !keep {
                // The only request failed: nothing to commit; it gets its own error.
                return client
                    .batch_execute("ROLLBACK")
                    .map(|()| Vec::new())
                    .map_err(before_commit);
            }
            let last = i + 1 == count;
            let end = match (single, keep, last) {
                (true, _, _) => "COMMIT",
                (false, true, true) => "RELEASE SAVEPOINT job; COMMIT",
                (false, false, true) => "ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job; COMMIT",
                (false, true, false) => "RELEASE SAVEPOINT job; SAVEPOINT job",
                (false, false, false) => {
                    "ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job; SAVEPOINT job"
                }
            };
            match client.finish(end) {
                Ok(()) if keep => recorded.append(&mut trouble.kept),
                Ok(()) => {}
                // The request's deferred write was refused: nothing after it ran.
                Err(EndError::Refused(e)) => {
                    if retryable(&e) && !give_up {
                        let _ = client.batch_execute("ROLLBACK");
                        return Err(BatchError::Retry(e.to_string()));
                    }
                    // Alone, its `COMMIT` rolled it back.
                    if single {
                        return Err(BatchError::Fail(format!("not committed: {}", why(&e))));
                    }
                    // Its savepoint's release failed: undo it alone, the others go on.
                    job.not_committed(format!("not committed: {}", why(&e)));
                    let undo = if last {
                        "ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job; COMMIT"
                    } else {
                        "ROLLBACK TO SAVEPOINT job; RELEASE SAVEPOINT job; SAVEPOINT job"
                    };
                    if last {
                        return client
                            .batch_execute(undo)
                            .map(|()| later)
                            .map_err(|e| BatchError::Fail(format!("commit failed: {e}")));
                    }
                    client.batch_execute(undo).map_err(before_commit)?;
                }
                // The outcome of a COMMIT whose answer was lost is unknown: never run it again.
                Err(EndError::Failed(e)) if last => {
                    return Err(BatchError::Fail(format!("commit failed: {e}")));
                }
                Err(EndError::Failed(e)) => return Err(before_commit(e)),
            }
            if last {
                lock(&self.orgs).keep_sessions(recorded);
                return Ok(later);
            }
        }
        Ok(later)
    }

    /// Runs `jobs` in one transaction without savepoints. Returns false, with the transaction
    /// rolled back, when a request failed, found its session busy, created a session another
    /// transaction created meanwhile or asked to undo its changes: without a savepoint none of
    /// that can be undone alone, so the batch must run again with savepoints (`run`).
    fn run_plain(&mut self, jobs: &mut [Job]) -> Result<bool, BatchError> {
        self.client()?;
        let Some(client) = self.client.as_mut() else {
            return Err(BatchError::Fail("no database connection".into()));
        };
        // Sent with the first request's first statement.
        client.begin(BEGIN);
        let mut recorded = Vec::new();
        for (i, job) in jobs.iter_mut().enumerate() {
            // Its writes may go with the next request's statement: if one fails, so does the
            // batch.
            let (keep, trouble) = attempt(client, &mut self.cache, &self.orgs, job, i);
            if trouble.closed {
                return Err(BatchError::Retry("database connection lost".into()));
            }
            if let Some(msg) = trouble.retry {
                let _ = client.batch_execute("ROLLBACK");
                return Err(BatchError::Retry(msg));
            }
            if !keep || trouble.failed || trouble.busy || trouble.rerun {
                client.batch_execute("ROLLBACK").map_err(before_commit)?;
                return Ok(false);
            }
            recorded.extend(trouble.kept);
        }
        match client.finish("COMMIT") {
            Ok(()) => {
                lock(&self.orgs).keep_sessions(recorded);
                Ok(true)
            }
            Err(EndError::Refused(e)) if retryable(&e) => Err(BatchError::Retry(e.to_string())),
            // A deferred write was refused and the commit rolled the batch back: it runs again
            // with savepoints, where the request whose write fails is undone alone.
            Err(EndError::Refused(_)) => Ok(false),
            // The outcome of a COMMIT whose answer was lost is unknown: never run it again.
            Err(EndError::Failed(e)) => Err(BatchError::Fail(format!("commit failed: {e}"))),
        }
    }

    /// Runs a batch of several requests: without savepoints first, unless a recent batch
    /// needed them; with them when this one does. Returns the requests to run alone after.
    fn run_many(&mut self, jobs: &mut [Job]) -> Result<Vec<usize>, BatchError> {
        if jobs.len() > 1 && self.savepoint_batches == 0 {
            if self.run_plain(jobs)? {
                return Ok(Vec::new());
            }
            self.savepoint_batches = SAVEPOINT_BATCHES;
        } else {
            self.savepoint_batches = self.savepoint_batches.saturating_sub(1);
        }
        self.run(jobs, false)
    }

    fn rollback(&mut self) {
        if let Some(c) = self.client.as_mut()
            && !c.is_closed()
        {
            let _ = c.batch_execute("ROLLBACK");
        }
    }

    /// After a batch deadlocked: each request in a transaction of its own, so no request
    /// waits for a lock while holding another request's. Never asks for a retry: a request
    /// that still cannot commit fails alone.
    fn run_one_by_one(&mut self, jobs: &mut [Job]) {
        for job in jobs.iter_mut() {
            for attempt in 1..=ONE_BY_ONE_TRIES {
                let last = attempt == ONE_BY_ONE_TRIES;
                match self.run(std::slice::from_mut(job), last) {
                    Ok(_) => break,
                    Err(BatchError::Retry(msg)) if !last => {
                        tracing::warn!(error = %msg, attempt, "request not committed; running it again");
                        self.rollback();
                        backoff(attempt);
                    }
                    Err(BatchError::Retry(msg) | BatchError::Fail(msg)) => {
                        self.rollback();
                        job.not_committed(msg);
                        break;
                    }
                }
            }
        }
    }
}

/// Runs request `i` of a batch once; again in place, without guessing, when it guessed and
/// left the guess unproven (then it wrote nothing, and its guessed session is forgotten).
fn attempt(
    client: &mut Conn,
    cache: &mut HashMap<String, Prepared>,
    orgs: &Arc<Mutex<OrgCache>>,
    job: &mut Job,
    i: usize,
) -> (bool, Trouble) {
    // The first request guesses too: a guessed check's first statement is its record, a
    // write, which travels with `BEGIN READ WRITE` and is refused outside it
    // (`Conn::read_only_outside`).
    let mut guesses = true;
    loop {
        let mut trouble = Trouble::default();
        // The first request holds no locks while it waits; later ones must not wait.
        let keep = job.attempt(&mut PgTx::new(
            client,
            cache,
            orgs,
            &mut trouble,
            i > 0,
            guesses,
        ));
        if !(guesses && trouble.unproven()) {
            return (keep, trouble);
        }
        if let Some(guess) = trouble.guess.take() {
            let session = &guess.kept.session;
            lock(orgs).forget_session(&session.org_id, &session.id);
        }
        guesses = false;
    }
}

/// A short random pause: lets the transaction that won go first and breaks up lock-step
/// retries.
fn backoff(attempt: usize) {
    let jitter = rand::random::<u64>() % 10;
    std::thread::sleep(Duration::from_millis(jitter + 5 * attempt as u64));
}

impl Engine for PgEngine {
    fn run_batch(&mut self, jobs: &mut [Job]) -> Result<(), BatchError> {
        if self.retried {
            // This batch hit a deadlock or lost its connection: run it request by request.
            self.retried = false;
            self.run_one_by_one(jobs);
            return Ok(());
        }
        match self.run_many(jobs) {
            Ok(deferred) => {
                for i in deferred {
                    if let Some(job) = jobs.get_mut(i) {
                        self.run_one_by_one(std::slice::from_mut(job));
                    }
                }
                Ok(())
            }
            Err(e) => {
                self.rollback();
                if let BatchError::Retry(_) = &e {
                    self.retried = true;
                    backoff(1);
                }
                Err(e)
            }
        }
    }
}

/// Connects the workers of one replica; checks (or applies) the schema first.
pub(crate) fn engines(
    url: &str,
    options: Options,
    workers: usize,
) -> Result<Vec<PgEngine>, StoreError> {
    off_runtime(|| connect_engines(url, options, workers))
}

fn connect_engines(
    url: &str,
    options: Options,
    workers: usize,
) -> Result<Vec<PgEngine>, StoreError> {
    prepare_schema(url, options)?;
    let mut engines = Vec::new();
    let orgs = Arc::new(Mutex::new(OrgCache::default()));
    for _ in 0..workers.max(1) {
        engines.push(PgEngine {
            url: url.to_string(),
            client: Some(worker_conn(url)?),
            cache: HashMap::new(),
            orgs: orgs.clone(),
            retried: false,
            savepoint_batches: 0,
        });
    }
    Ok(engines)
}

#[cfg(test)]
#[path = "postgres_tests.rs"]
mod tests;
