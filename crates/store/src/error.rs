use thiserror::Error;

/// Errors of the store.
#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("database error: {0}")]
    Postgres(#[from] postgres::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error(
        "the database schema is version {found}, newer than this airlock knows ({known}): upgrade airlock"
    )]
    SchemaTooNew { found: i64, known: i64 },
    #[error("the database has no airlock schema: run `airlock migrate`")]
    NotMigrated,
    #[error("the store could not complete the request")]
    Closed,
    #[error("the store failed while running a request")]
    JobPanicked,
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("commit failed: {0}")]
    CommitFailed(String),
    /// A check answered from what a PostgreSQL replica kept found it changed when it
    /// recorded; nothing was written, and the store runs it again, reading (never answered).
    #[error("the rows a check was answered from changed before it was recorded")]
    Stale,
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("a sealer of another store: its answers would never be sealed")]
    ForeignSealer,
    #[error("the sqlite file layer could not be set up: {0}")]
    Vfs(#[from] airlock_sqlite_vfs::Error),
}
