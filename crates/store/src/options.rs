//! What a caller chooses when opening the store: which database, how to open it, how many
//! workers. A leaf: it imports nothing from the crate, so every other module may use it.

use std::path::{Path, PathBuf};

/// The most requests committed together.
pub(crate) const MAX_BATCH: usize = 256;

/// How to open the store.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Apply pending migrations on open (`serve` on the embedded store does; tools may not).
    pub migrate: bool,
}

/// How many workers and how large a group commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tuning {
    /// Worker threads, each with its own connection (PostgreSQL only: SQLite has one writer).
    pub workers: usize,
    /// The most requests committed together; 1 turns group commit off (one commit per request).
    pub max_batch: usize,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            workers: 2,
            max_batch: MAX_BATCH,
        }
    }
}

/// Which database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// The embedded SQLite store, `airlock.db` in this folder.
    Sqlite(PathBuf),
    /// A PostgreSQL URL.
    Postgres(String),
}

impl Backend {
    /// PostgreSQL if a database URL is given, else SQLite in `data_dir`.
    pub fn from_args(database_url: Option<&str>, data_dir: &Path) -> Backend {
        match database_url.map(str::trim).filter(|u| !u.is_empty()) {
            Some(url) => Backend::Postgres(url.to_string()),
            None => Backend::Sqlite(data_dir.to_path_buf()),
        }
    }

    /// Where the data lives, for messages (a file, or a database URL without its password).
    pub fn describe(&self) -> String {
        match self {
            Backend::Sqlite(dir) => dir.join("airlock.db").display().to_string(),
            Backend::Postgres(url) => describe_url(url),
        }
    }
}

/// A URL without its password, for messages.
pub(crate) fn describe_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    match rest.rsplit_once('@') {
        Some((_, host)) => format!("{scheme}://…@{host}"),
        None => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::describe_url;

    #[test]
    fn a_described_url_has_no_credentials() {
        assert_eq!(
            describe_url("postgres://u:secret@db:5432/airlock"),
            "postgres://…@db:5432/airlock"
        );
        assert_eq!(describe_url("postgres://u:p@ss@db/x"), "postgres://…@db/x");
        assert_eq!(describe_url("postgres://db/x"), "postgres://db/x");
        assert_eq!(describe_url("user@host"), "user@host");
    }
}
