use chrono::Utc;
use rusqlite::Connection;

use super::*;
use crate::model::{Agent, Org};
use crate::sqlite_tx::SqliteTx;
use crate::tx::Tx;
use crate::{Options, Store, StoreError};

/// A fixed time with nanoseconds (the store keeps microseconds), `seconds` after a base.
pub(crate) fn at(seconds: i64, nanos: u32) -> chrono::DateTime<Utc> {
    use chrono::TimeZone;
    Utc.timestamp_opt(1_790_000_000 + seconds, nanos)
        .single()
        .unwrap()
}

/// Session `id` of `org`, new, read-only.
pub(crate) fn session(org: &str, id: &str) -> crate::model::Session {
    crate::model::Session {
        org_id: org.into(),
        id: id.into(),
        agent_id: "a".into(),
        server_id: None,
        source: "api".into(),
        scope_ceiling: vec!["db.query.read".into()],
        base_mode: "read_only".into(),
        elevated_until: None,
        total_calls: 0,
        read_calls: 0,
        write_calls: 0,
        denied_calls: 0,
        head: "0".repeat(64),
        created_at: at(0, 0),
        last_activity_at: at(0, 0),
    }
}

/// A migrated database holding `sessions` (organization, id) and their organizations, with
/// the writer's connection and a cache that is on.
pub(crate) fn writer_with(sessions: &[(&str, &str)]) -> (tempfile::TempDir, Connection, RowCache) {
    let dir = tempfile::tempdir().unwrap();
    let (conn, mut cache) = open(dir.path());
    in_batch(&conn, &mut cache, |db| {
        let mut orgs: Vec<&str> = sessions.iter().map(|(o, _)| *o).collect();
        orgs.dedup();
        for o in orgs {
            db.insert_org(&org(o))?;
        }
        for (o, id) in sessions {
            db.insert_session(&session(o, id))?;
        }
        Ok(())
    });
    (dir, conn, cache)
}

/// A store through its real writer, holding session `s0` of organization `o`.
pub(crate) async fn store_with_session(dir: &std::path::Path) -> Store {
    let store = Store::open(dir, Options { migrate: true }).unwrap();
    store
        .run(|tx| {
            tx.insert_org(&org("o"))?;
            tx.insert_session(&session("o", "s0"))
        })
        .await
        .unwrap();
    store
}

pub(crate) fn org(id: &str) -> Org {
    Org {
        id: id.into(),
        name: format!("{id}-name"),
        default_mode: "read_only".into(),
        created_at: Utc::now(),
    }
}

fn agent(org: &str, id: &str, status: &str) -> Agent {
    Agent {
        id: id.into(),
        org_id: org.into(),
        name: format!("{id}-name"),
        framework: "test".into(),
        public_key: String::new(),
        status: status.into(),
        capabilities: vec!["db.query.read".into()],
        metadata: serde_json::json!({}),
        created_at: Utc::now(),
        revoked_at: None,
        revoke_reason: None,
    }
}

/// A migrated connection in `dir` and a cache that is on whatever the environment says.
fn open(dir: &std::path::Path) -> (Connection, RowCache) {
    crate::migrate_path(dir).unwrap();
    let conn = crate::sqlite::open_connection(&dir.join("airlock.db")).unwrap();
    let mut cache = RowCache::new(&conn).unwrap();
    cache.enabled = true;
    (conn, cache)
}

/// A migrated store holding organization `o` and its active agent `a`.
fn open_with_agent() -> (tempfile::TempDir, Connection, RowCache) {
    let dir = tempfile::tempdir().unwrap();
    let (conn, mut cache) = open(dir.path());
    in_tx(&conn, &mut cache, |tx| {
        tx.insert_org(&org("o"))?;
        tx.insert_agent(&agent("o", "a", "active"))
    });
    (dir, conn, cache)
}

fn in_tx<R>(
    conn: &Connection,
    cache: &mut RowCache,
    f: impl FnOnce(&mut dyn Tx) -> Result<R>,
) -> R {
    in_batch(conn, cache, |db| f(db))
}

/// One batch of the writer: `f` runs on the connection and the cache, then it commits.
pub(crate) fn in_batch<R>(
    conn: &Connection,
    cache: &mut RowCache,
    f: impl FnOnce(&mut SqliteTx<'_, '_>) -> Result<R>,
) -> R {
    conn.execute_batch("BEGIN IMMEDIATE").unwrap();
    cache.begin_batch(conn).unwrap();
    let r = {
        let mut db = SqliteTx::new(conn, cache);
        f(&mut db).unwrap()
    };
    conn.execute_batch("COMMIT").unwrap();
    r
}

#[test]
fn a_read_of_a_rarely_written_table_is_kept_and_a_write_drops_it() {
    let (_dir, conn, mut cache) = open_with_agent();
    let first = in_tx(&conn, &mut cache, |tx| tx.agent("o", "a")).unwrap();
    let hits = cache.stats.hits;
    let second = in_tx(&conn, &mut cache, |tx| tx.agent("o", "a")).unwrap();
    assert_eq!(first, second);
    assert_eq!(
        cache.stats.hits,
        hits + 1,
        "the second read is answered from the cache"
    );

    in_tx(&conn, &mut cache, |tx| {
        tx.revoke_agent("o", "a", "test", Utc::now()).map(|_| ())
    });
    let after = in_tx(&conn, &mut cache, |tx| tx.agent("o", "a")).unwrap();
    assert_eq!(after.status, "revoked", "a revocation is seen at once");
}

#[test]
fn a_write_to_another_table_keeps_the_entries() {
    let (_dir, conn, mut cache) = open_with_agent();
    in_tx(&conn, &mut cache, |tx| tx.agent("o", "a"));
    let hits = cache.stats.hits;
    // An organization write names `orgs` only: the agent's entry stays.
    in_tx(&conn, &mut cache, |tx| tx.insert_org(&org("p")));
    in_tx(&conn, &mut cache, |tx| tx.agent("o", "a"));
    assert_eq!(cache.stats.hits, hits + 1);
}

#[test]
fn a_commit_by_another_connection_is_seen_by_the_next_batch() {
    let (dir, conn, mut cache) = open_with_agent();
    assert_eq!(
        in_tx(&conn, &mut cache, |tx| tx.agent("o", "a"))
            .unwrap()
            .status,
        "active"
    );
    // Another process (the command line, another server on the same file) revokes it.
    let other = crate::sqlite::open_connection(&dir.path().join("airlock.db")).unwrap();
    other
        .execute("UPDATE agents SET status = 'revoked' WHERE id = 'a'", [])
        .unwrap();
    assert_eq!(
        in_tx(&conn, &mut cache, |tx| tx.agent("o", "a"))
            .unwrap()
            .status,
        "revoked"
    );
}

#[test]
fn plans_cache_only_reads_of_cached_tables_that_do_not_depend_on_time() {
    let dir = tempfile::tempdir().unwrap();
    let (_conn, cache) = open(dir.path());
    let plan = |t: &str| cache.make_plan(t);
    assert!(matches!(
        plan("SELECT id FROM agents WHERE org_id = ?1"),
        Plan::Cached { .. }
    ));
    // Sessions change on every check: never kept, nor any read that joins them.
    assert_eq!(
        plan("SELECT id FROM sessions WHERE id = ?1"),
        Plan::Uncached
    );
    assert_eq!(
        plan("SELECT a.id FROM agents a JOIN sessions s ON s.agent_id = a.id"),
        Plan::Uncached
    );
    assert_eq!(
        plan("SELECT id FROM agents WHERE id IN (SELECT agent_id FROM decisions)"),
        Plan::Uncached
    );
    assert_eq!(
        plan("SELECT id FROM agents WHERE created_at < datetime('now')"),
        Plan::Uncached
    );
    assert_eq!(plan("SELECT random() FROM orgs"), Plan::Uncached);
    let Plan::Write { touches } = plan("UPDATE agents SET status = ?1 WHERE id = ?2") else {
        panic!("an update is a write");
    };
    assert_ne!(touches & cache.tables["agents"], 0);
    assert_eq!(touches & cache.tables["orgs"], 0);
    // A statement naming no known table (a new table's DDL) drops everything.
    assert_eq!(
        plan("CREATE TABLE brand_new (id TEXT)"),
        Plan::Write { touches: u64::MAX }
    );
    // Anything that does not start with SELECT is treated as a write.
    assert!(matches!(
        plan("WITH x AS (SELECT 1) SELECT id FROM agents"),
        Plan::Write { .. }
    ));
}

#[test]
fn a_schema_with_cascading_keys_drops_everything_on_any_write() {
    let dir = tempfile::tempdir().unwrap();
    let (conn, _) = open(dir.path());
    conn.execute_batch(
        "CREATE TABLE child (id TEXT, agent TEXT REFERENCES agents(id) ON DELETE CASCADE)",
    )
    .unwrap();
    let cache = RowCache::new(&conn).unwrap();
    assert_eq!(
        cache.make_plan("DELETE FROM orgs WHERE id = ?1"),
        Plan::Write { touches: u64::MAX }
    );
}

#[test]
fn a_kept_row_reads_like_a_live_one() {
    let values = vec![
        Value::Text("x".into()),
        Value::Integer(3),
        Value::Real(1.5),
        Value::Null,
    ];
    let row = CachedRow(&values);
    assert_eq!(row.get_str(0).unwrap(), "x");
    assert_eq!(row.get_i64(1).unwrap(), 3);
    assert!(row.get_bool(1).unwrap());
    assert_eq!(row.get_f64(1).unwrap(), 3.0);
    assert_eq!(row.get_f64(2).unwrap(), 1.5);
    assert!(row.is_null(3).unwrap());
    // Wrong types and missing columns are errors, as rusqlite makes them.
    assert!(row.get_str(1).is_err());
    assert!(row.get_i64(0).is_err());
    assert!(row.get_i64(2).is_err());
    assert!(row.get_str(3).is_err());
    assert!(row.get_str(9).is_err());
}

/// Through the real writer: a request that writes and then fails leaves nothing in the cache
/// that a later request could read (its savepoint is rolled back, and so is the cache).
#[tokio::test]
async fn a_failed_request_leaves_nothing_behind_in_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path(), Options { migrate: true }).unwrap();
    store
        .run(|tx| {
            tx.insert_org(&org("o"))?;
            tx.insert_agent(&agent("o", "a", "active"))
        })
        .await
        .unwrap();
    let failed = store
        .run(|tx| {
            tx.revoke_agent("o", "a", "oops", Utc::now())?;
            // Read back (and so cache, and keep the value read from) the revoked row, then
            // fail.
            for _ in 0..2 {
                let seen = tx.agent("o", "a")?;
                assert_eq!(seen.map(|a| a.status), Some("revoked".to_string()));
            }
            Err::<(), _>(StoreError::Conflict("refused".into()))
        })
        .await;
    assert!(failed.is_err());
    let now = store.run(|tx| tx.agent("o", "a")).await.unwrap().unwrap();
    assert_eq!(
        now.status, "active",
        "the rolled-back revocation is not served"
    );
}

/// The same random mix of writes and reads gives the same answers with the cache on and off.
#[test]
fn answers_are_the_same_with_and_without_the_cache() {
    let run = |enabled: bool| {
        let dir = tempfile::tempdir().unwrap();
        let (conn, mut cache) = open(dir.path());
        cache.enabled = enabled;
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let mut seen = Vec::new();
        in_tx(&conn, &mut cache, |tx| tx.insert_org(&org("o")));
        for step in 0..400 {
            let id = format!("a{}", next(8));
            let op = next(10);
            let answer = in_tx(&conn, &mut cache, |tx| {
                Ok(match op {
                    0 | 1 => {
                        let _ = tx.insert_agent(&agent("o", &id, "active"));
                        String::new()
                    }
                    2 => format!("{:?}", tx.revoke_agent("o", &id, "r", Utc::now())?),
                    3 => format!("{:?}", tx.list_agents("o")?.len()),
                    _ => format!("{:?}", tx.agent("o", &id)?.map(|a| a.status)),
                })
            });
            seen.push((step, answer));
        }
        seen
    };
    assert_eq!(run(true), run(false));
}

/// How many times `counted_status` has read a row.
static STATUS_READS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

fn counted_status(row: &dyn crate::sql::Row) -> Result<String> {
    STATUS_READS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    row.get_str(0)
}

fn agent_name(row: &dyn crate::sql::Row) -> Result<String> {
    row.get_str(1)
}

/// A read of a cached table, the statement the `one_kept` tests share.
fn status_and_name() -> &'static crate::sql::Sql {
    sql!("SELECT status, name FROM agents WHERE org_id = $1 AND id = $2")
}

fn kept_status(conn: &Connection, cache: &mut RowCache) -> Option<String> {
    use crate::sql::Db;
    in_batch(conn, cache, |db| {
        db.one_kept(status_and_name(), &[&"o", &"a"], counted_status)
    })
}

/// `Db::one_kept`: the value read from a kept answer is kept with it (the row is not read
/// again), and is dropped with it: by a write to its table, by another connection's commit.
#[test]
fn a_value_read_from_a_kept_answer_is_kept_and_dropped_with_it() {
    let (dir, conn, mut cache) = open_with_agent();
    let reads = || STATUS_READS.load(std::sync::atomic::Ordering::SeqCst);
    let start = reads();
    // A miss reads the live row; the first hit reads the kept row and keeps the value.
    assert_eq!(kept_status(&conn, &mut cache).as_deref(), Some("active"));
    assert_eq!(kept_status(&conn, &mut cache).as_deref(), Some("active"));
    let decoded = reads();
    assert_eq!(decoded, start + 2);
    for _ in 0..3 {
        assert_eq!(kept_status(&conn, &mut cache).as_deref(), Some("active"));
    }
    assert_eq!(reads(), decoded, "later hits hand out the kept value");

    // A write to the table, through the writer.
    in_tx(&conn, &mut cache, |tx| {
        tx.revoke_agent("o", "a", "test", Utc::now()).map(|_| ())
    });
    assert_eq!(kept_status(&conn, &mut cache).as_deref(), Some("revoked"));
    assert_eq!(kept_status(&conn, &mut cache).as_deref(), Some("revoked"));

    // Another connection's commit.
    let other = crate::sqlite::open_connection(&dir.path().join("airlock.db")).unwrap();
    other
        .execute("UPDATE agents SET status = 'active' WHERE id = 'a'", [])
        .unwrap();
    assert_eq!(kept_status(&conn, &mut cache).as_deref(), Some("active"));
    assert!(reads() > decoded + 2, "every change was read again");
}

/// Two readers of the same statement each get what they read, never the other's value.
#[test]
fn a_kept_value_is_handed_only_to_the_reader_that_made_it() {
    use crate::sql::Db;
    let (_dir, conn, mut cache) = open_with_agent();
    let sql = status_and_name();
    in_batch(&conn, &mut cache, |db| {
        for _ in 0..3 {
            let status = db.one_kept(sql, &[&"o", &"a"], counted_status)?;
            let name = db.one_kept(sql, &[&"o", &"a"], agent_name)?;
            assert_eq!(status.as_deref(), Some("active"));
            assert_eq!(name.as_deref(), Some("a-name"));
            // A reader of another type on the same statement.
            let length = db.one_kept(sql, &[&"o", &"a"], |r| Ok(r.get_str(1)?.len()))?;
            assert_eq!(length, Some(6));
        }
        // No row: none, kept as none.
        for _ in 0..2 {
            assert_eq!(db.one_kept(sql, &[&"o", &"b"], agent_name)?, None);
        }
        Ok(())
    });
}

fn server(id: &str) -> crate::model::Server {
    crate::model::Server {
        id: id.into(),
        org_id: "o".into(),
        name: format!("server {id}"),
        url: "http://127.0.0.1:1/mcp".into(),
        description: String::new(),
        capabilities: None,
        tools: vec![crate::model::ToolDef {
            name: "db.query".into(),
            effect_override: Some("read".into()),
            require_approval: false,
        }],
        default_mode: "read_only".into(),
        status: "active".into(),
        created_at: Utc::now(),
        allowed_methods: vec![],
        approval_wait_secs: 0,
    }
}

#[test]
fn a_kept_server_is_shared_between_checks_until_its_table_is_written() {
    let (_dir, conn, mut cache) = open_with_agent();
    in_tx(&conn, &mut cache, |tx| tx.insert_server(&server("v")));
    let read = |conn: &Connection, cache: &mut RowCache| {
        in_batch(conn, cache, |db| {
            crate::queries::shared_server(db, "o", "v")
        })
    };
    // The first read keeps the row, the second the value made of it; later ones share it.
    let _ = read(&conn, &mut cache).unwrap();
    let kept = read(&conn, &mut cache).unwrap();
    let again = read(&conn, &mut cache).unwrap();
    assert!(
        std::sync::Arc::ptr_eq(&kept, &again),
        "one value, not a copy per check"
    );
    assert_eq!(*kept, server_as_stored(&conn, &mut cache));
    // Any write to the servers table drops it: the next reads make a new one.
    in_tx(&conn, &mut cache, |tx| tx.insert_server(&server("w")));
    let after = (0..3)
        .map(|_| read(&conn, &mut cache).unwrap())
        .last()
        .unwrap();
    assert!(!std::sync::Arc::ptr_eq(&kept, &after));
    assert_eq!(kept, after);
}

/// The server `v` as `Tx::server` reads it (a value of its own).
fn server_as_stored(conn: &Connection, cache: &mut RowCache) -> crate::model::Server {
    in_tx(conn, cache, |tx| tx.server("o", "v")).unwrap()
}

/// A bound value as the key's encoding must tell it apart: its kind and its value.
#[derive(Debug, Clone, PartialEq)]
enum Bound {
    Null,
    Int(i64),
    Text(&'static str),
    Blob(&'static [u8]),
}

fn encoded(statement: usize, values: &[Bound]) -> Option<Vec<u8>> {
    let owned: Vec<Box<dyn Param>> = values
        .iter()
        .map(|v| -> Box<dyn Param> {
            match v {
                Bound::Null => Box::new(None::<String>),
                Bound::Int(n) => Box::new(*n),
                Bound::Text(s) => Box::new(*s),
                Bound::Blob(b) => Box::new(b.to_vec()),
            }
        })
        .collect();
    let params: Vec<&dyn Param> = owned.iter().map(|p| p.as_ref()).collect();
    let mut out = vec![0xAA; 3]; // left over from an earlier key: must be cleared
    encode_key(statement, &params, &mut out).then_some(out)
}

/// `encode_key` is injective: two keys are equal exactly when the statement and every bound
/// value (kind and value) are, whatever splits, lengths or bytes that look like the encoding's
/// own tags and lengths.
#[test]
fn cache_keys_are_equal_exactly_when_statement_and_values_are() {
    let int_as_text = i64::from_le_bytes(*b"abcdefgh");
    let sets: Vec<Vec<Bound>> = vec![
        vec![],
        vec![Bound::Null],
        vec![Bound::Null, Bound::Null],
        vec![Bound::Text("")],
        vec![Bound::Blob(b"")],
        vec![Bound::Int(0)],
        vec![Bound::Text("0")],
        vec![Bound::Blob(b"0")],
        vec![Bound::Text("ab"), Bound::Text("c")],
        vec![Bound::Text("a"), Bound::Text("bc")],
        vec![Bound::Text("abc")],
        vec![Bound::Text("a"), Bound::Text("b"), Bound::Text("c")],
        vec![Bound::Int(1), Bound::Text("x")],
        vec![Bound::Text("x"), Bound::Int(1)],
        vec![Bound::Int(int_as_text)],
        vec![Bound::Text("abcdefgh")],
        vec![Bound::Blob(b"abcdefgh")],
        vec![Bound::Text("\u{1}"), Bound::Null],
        vec![Bound::Text("\u{1}\0")],
        vec![Bound::Text("\u{2}\u{1}\0\0\0\0\0\0\0x")],
        vec![Bound::Text("x")],
        vec![Bound::Text("é")],
        vec![Bound::Text("e\u{301}")],
        vec![Bound::Int(-1)],
        vec![Bound::Int(i64::MAX)],
    ];
    let mut keys = Vec::new();
    for statement in [1usize, 2, usize::MAX] {
        for set in &sets {
            let key = encoded(statement, set).expect("no float: a key");
            assert_eq!(key, encoded(statement, set).unwrap(), "the same key twice");
            keys.push(((statement, set.clone()), key));
        }
    }
    for (a, key_a) in &keys {
        for (b, key_b) in &keys {
            assert_eq!(a == b, key_a == key_b, "{a:?} and {b:?}");
        }
    }
    // A float cannot be part of a key, wherever it is bound.
    let mut out = Vec::new();
    assert!(!encode_key(1, &[&1.5f64], &mut out));
    assert!(!encode_key(1, &[&"x", &f64::NAN], &mut out));
}

/// `keep_decoded` attaches a value only to the answer the last lookup found: a lookup in
/// between, even one that leaves another kept key in the lookup buffer, makes it do nothing.
#[test]
fn a_decoded_value_is_kept_only_with_the_answer_just_found() {
    let dir = tempfile::tempdir().unwrap();
    let (_conn, mut cache) = open(dir.path());
    let text = "SELECT status FROM agents WHERE org_id = ?1";
    let statement = 7usize;
    let decoded = |n: u32| Decoded {
        reader: 1,
        value: Arc::new(n),
    };
    let lookup =
        |cache: &mut RowCache, params: &[&dyn Param]| cache.before(statement, text, params);
    for org in ["a", "b"] {
        let Lookup::Miss { key, reads } = lookup(&mut cache, &[&org]) else {
            panic!("a first read misses");
        };
        cache.keep(key, reads, vec![vec![Value::Text(org.into())]]);
    }
    let value_of = |cache: &mut RowCache, org: &str| match lookup(cache, &[&org]) {
        Lookup::Hit { decoded, .. } => decoded.map(|d| *d.value.downcast_ref::<u32>().unwrap()),
        _ => panic!("a kept read hits"),
    };
    // Found, then kept with it.
    assert_eq!(value_of(&mut cache, "a"), None);
    cache.keep_decoded(decoded(1));
    assert_eq!(value_of(&mut cache, "a"), Some(1));
    // Found "a"; then a lookup that fails after writing "b"'s key into the buffer (a float
    // bound last): the value read from "a" must not land on "b".
    assert_eq!(value_of(&mut cache, "a"), Some(1));
    assert!(matches!(lookup(&mut cache, &[&"b", &1.5f64]), Lookup::Run));
    cache.keep_decoded(decoded(2));
    assert_eq!(value_of(&mut cache, "b"), None);
    assert_eq!(value_of(&mut cache, "a"), Some(1));
    // A clear in between: nothing is kept either.
    assert_eq!(value_of(&mut cache, "b"), None);
    cache.clear();
    cache.keep_decoded(decoded(3));
    assert!(matches!(lookup(&mut cache, &[&"b"]), Lookup::Miss { .. }));
}
