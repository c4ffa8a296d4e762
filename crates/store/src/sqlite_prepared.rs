//! The writer's statements, prepared once on its connection and kept with it, found by the
//! address of their `Sql` static. rusqlite's statement cache (`prepare_cached`) finds a
//! statement by its text: it hashes the text twice per use (out of the cache and back in) and
//! copies it into a new `Arc<str>` each time, about 15k instructions a check for five to
//! seven statements (docs/benchmarks.md, twelfth pass). A statement is reset after every use
//! by rusqlite (`execute`, and `Rows` when dropped) and binds all its parameters on every
//! use; SQLite prepares it again by itself if the schema changed.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use rusqlite::{Connection, PrepFlags, Statement};

use crate::sql::Result;

/// The statements kept on one connection, by `Sql` address (every `Sql` is a static: the
/// `sql!` macro is its only maker, and `Db` takes `&'static Sql`). Addresses are chosen by no
/// caller: a fast hash is safe.
pub(crate) type Kept<'c> = HashMap<usize, Statement<'c>, foldhash::fast::RandomState>;

self_cell::self_cell!(
    /// The writer's connection and the statements prepared on it, dropped together
    /// (statements first).
    pub(crate) struct Writer {
        owner: Connection,

        #[covariant]
        dependent: Kept,
    }
);

impl Writer {
    pub(crate) fn open(conn: Connection) -> Writer {
        Writer::new(conn, |_| Kept::default())
    }

    pub(crate) fn conn(&self) -> &Connection {
        self.borrow_owner()
    }

    /// Statements kept so far (tests).
    #[cfg(test)]
    pub(crate) fn kept(&self) -> usize {
        self.borrow_dependent().len()
    }
}

/// Where a transaction's statements come from.
pub(crate) enum Statements<'t, 'c> {
    /// The writer's: each prepared on its first use and kept.
    Kept(&'t mut Kept<'c>),
    /// rusqlite's cache, by text (command-line tools, tests of a bare connection).
    Cached,
}

impl<'c> Statements<'_, 'c> {
    /// Runs `f` on the statement `key` names (`text` prepares it the first time).
    pub(crate) fn with<R>(
        &mut self,
        conn: &'c Connection,
        key: usize,
        text: &str,
        f: impl FnOnce(&mut Statement<'c>) -> Result<R>,
    ) -> Result<R> {
        match self {
            Statements::Kept(kept) => {
                let statement = match kept.entry(key) {
                    Entry::Occupied(e) => e.into_mut(),
                    Entry::Vacant(e) => e.insert(
                        conn.prepare_with_flags(text, PrepFlags::SQLITE_PREPARE_PERSISTENT)?,
                    ),
                };
                f(statement)
            }
            Statements::Cached => {
                let mut statement = conn.prepare_cached(text)?;
                f(&mut statement)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::Utc;

    use super::*;
    use crate::model::Org;
    use crate::sql::Db;
    use crate::sqlite_cache::RowCache;
    use crate::sqlite_tx::SqliteTx;
    use crate::tx::Tx;

    fn org(id: &str, name: &str) -> Org {
        Org {
            id: id.into(),
            name: name.into(),
            default_mode: "read_only".into(),
            created_at: Utc::now(),
        }
    }

    fn writer() -> (tempfile::TempDir, Writer) {
        let dir = tempfile::tempdir().unwrap();
        crate::migrate_path(dir.path()).unwrap();
        let conn = crate::sqlite::open_connection(&dir.path().join("airlock.db")).unwrap();
        (dir, Writer::open(conn))
    }

    /// One batch on the writer's kept statements (no row cache: every read reaches SQLite).
    fn in_batch<R>(
        writer: &mut Writer,
        f: impl FnOnce(&mut SqliteTx<'_, '_>) -> Result<R>,
    ) -> Result<R> {
        writer.conn().execute_batch("BEGIN IMMEDIATE").unwrap();
        let mut cache = RowCache::disabled();
        let result =
            writer.with_dependent_mut(|conn, kept| f(&mut SqliteTx::kept(conn, &mut cache, kept)));
        let end = if result.is_ok() { "COMMIT" } else { "ROLLBACK" };
        writer.conn().execute_batch(end).unwrap();
        result
    }

    fn name_of(writer: &mut Writer, id: &str) -> Option<String> {
        in_batch(writer, |tx| tx.org(id)).unwrap().map(|o| o.name)
    }

    #[test]
    fn each_statement_is_prepared_once_and_kept() {
        let (_dir, mut writer) = writer();
        in_batch(&mut writer, |tx| tx.insert_org(&org("o", "first"))).unwrap();
        assert_eq!(name_of(&mut writer, "o").as_deref(), Some("first"));
        let kept = writer.kept();
        assert!(kept >= 2, "the insert and the read are kept: {kept}");
        for _ in 0..5 {
            assert_eq!(name_of(&mut writer, "o").as_deref(), Some("first"));
            assert_eq!(name_of(&mut writer, "other"), None);
        }
        assert_eq!(writer.kept(), kept, "no statement prepared twice");
    }

    /// A kept statement that failed (a constraint, a reader's error mid-rows) is reset and
    /// runs again with new values.
    #[test]
    fn a_kept_statement_that_failed_runs_again() {
        let (_dir, mut writer) = writer();
        in_batch(&mut writer, |tx| tx.insert_org(&org("o", "first"))).unwrap();
        let duplicate = in_batch(&mut writer, |tx| tx.insert_org(&org("o", "again")));
        assert!(duplicate.is_err(), "the same id twice is refused");
        in_batch(&mut writer, |tx| tx.insert_org(&org("p", "second"))).unwrap();

        let names = sql!("SELECT name FROM orgs ORDER BY id");
        let stopped = in_batch(&mut writer, |db| {
            db.query(names, &[], &mut |_| {
                Err(crate::StoreError::Corrupt("reader".into()))
            })
        });
        assert!(stopped.is_err(), "the reader's error is the statement's");
        let all = in_batch(&mut writer, |db| db.many(names, &[], |r| r.get_str(0))).unwrap();
        assert_eq!(all, ["first", "second"], "read again from the first row");
    }

    /// Another connection changes the schema and the rows: the kept statements see both
    /// (SQLite prepares a statement again when the schema it was prepared on changed).
    #[test]
    fn kept_statements_follow_another_connections_schema_change() {
        let (dir, mut writer) = writer();
        in_batch(&mut writer, |tx| tx.insert_org(&org("o", "first"))).unwrap();
        assert_eq!(name_of(&mut writer, "o").as_deref(), Some("first"));
        let other = crate::sqlite::open_connection(&dir.path().join("airlock.db")).unwrap();
        other
            .execute_batch(
                "ALTER TABLE orgs ADD COLUMN note TEXT NOT NULL DEFAULT 'n'; \
                 CREATE INDEX orgs_by_name ON orgs(name); \
                 UPDATE orgs SET name = 'renamed' WHERE id = 'o';",
            )
            .unwrap();
        assert_eq!(name_of(&mut writer, "o").as_deref(), Some("renamed"));
        in_batch(&mut writer, |tx| tx.insert_org(&org("p", "second"))).unwrap();
        assert_eq!(name_of(&mut writer, "p").as_deref(), Some("second"));
    }
}
