//! The page cache of `airlock_sqlite_vfs::install_page_cache` against SQLite: a database
//! written through it, with B-tree splits, rollbacks that shrink it and another connection's
//! commits, reads back exactly what a model of it holds, passes SQLite's integrity check,
//! and truncations were skipped on the way. One test: the cache must be installed before
//! anything in the process touches SQLite.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // tests

use std::collections::BTreeMap;

use rusqlite::{Connection, OpenFlags, params};

/// A small deterministic generator (xorshift), so a failure replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn open(path: &std::path::Path) -> Connection {
    let conn = Connection::open_with_flags_and_vfs(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        airlock_sqlite_vfs::NAME,
    )
    .expect("open");
    conn.pragma_update(None, "journal_mode", "WAL")
        .expect("wal");
    conn.pragma_update(None, "cache_size", -8192)
        .expect("cache size");
    conn
}

fn contents(conn: &Connection) -> BTreeMap<String, Vec<u8>> {
    let mut statement = conn.prepare("SELECT k, v FROM t").expect("prepare");
    let rows = statement
        .query_map([], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Vec<u8>>(1)?))
        })
        .expect("query");
    rows.map(|r| r.expect("row")).collect()
}

#[test]
fn a_database_written_through_the_cache_reads_back_as_written() {
    assert!(
        airlock_sqlite_vfs::install_page_cache(),
        "the page cache must install in a process that has not used SQLite yet"
    );
    airlock_sqlite_vfs::register().expect("register");
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("pcache.db");
    let mut writer = open(&path);
    let other = open(&path);
    writer
        .execute_batch(
            "CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB NOT NULL);
             CREATE INDEX t_v ON t (v);",
        )
        .expect("schema");
    let mut model: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for round in 0..400 {
        let roll = rng.next() % 10;
        let tx = writer.transaction().expect("begin");
        let mut staged = model.clone();
        // Random keys land in the middle of both trees: leaf splits rename pages.
        for _ in 0..(20 + rng.next() % 60) {
            let key = format!("k{:016x}", rng.next());
            let value = vec![(rng.next() % 251) as u8; 50 + (rng.next() % 400) as usize];
            tx.execute(
                "INSERT OR REPLACE INTO t VALUES (?1, ?2)",
                params![key, value],
            )
            .expect("insert");
            staged.insert(key, value);
        }
        if roll == 0 && !model.is_empty() {
            // Delete a run, so pages are freed and reused.
            let from = format!("k{:016x}", rng.next());
            tx.execute(
                "DELETE FROM t WHERE k IN (SELECT k FROM t WHERE k >= ?1 LIMIT 40)",
                [&from],
            )
            .expect("delete");
            let gone: Vec<String> = staged
                .range(from..)
                .take(40)
                .map(|(k, _)| k.clone())
                .collect();
            for k in gone {
                staged.remove(&k);
            }
        }
        if roll == 1 {
            // The database grew in this transaction and shrinks back: pages past its size
            // must leave the cache.
            tx.rollback().expect("rollback");
        } else {
            tx.commit().expect("commit");
            model = staged;
        }
        if roll == 2 {
            // Another connection's commit: the writer's cache is reset and read again.
            let key = format!("o{round:05}");
            other
                .execute("INSERT INTO t VALUES (?1, x'00')", [&key])
                .expect("other insert");
            model.insert(key, vec![0]);
        }
        if round % 50 == 49 {
            assert_eq!(contents(&writer), model, "round {round}");
        }
    }
    assert_eq!(contents(&writer), model);
    assert_eq!(contents(&other), model);
    let check: String = writer
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .expect("integrity check");
    assert_eq!(check, "ok");
    // Debug builds forward every skipped truncation too and count those that dropped a page.
    assert_eq!(airlock_sqlite_vfs::missed_truncations(), 0);
    let (forwarded, skipped) = airlock_sqlite_vfs::truncations();
    assert!(
        skipped > 0,
        "no truncation was skipped ({forwarded} forwarded)"
    );
    assert!(
        forwarded > 0,
        "rollbacks must reach SQLite's cache ({skipped} skipped)"
    );
}
