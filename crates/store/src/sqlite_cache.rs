//! A row cache in front of the single SQLite writer: the answers of reads of tables that change
//! rarely (keys, organizations, agents, servers, tool pins, reviewer sets, policy generations,
//! SIEM destinations, security settings), kept between requests so that a check runs about five statements
//! instead of thirteen (docs/benchmarks.md).
//!
//! It is correct only because one connection writes: every write that goes through it drops
//! the entries of the tables it names; a savepoint rolled back, a batch that does not commit, or
//! a change committed by another connection (`PRAGMA data_version`, read at the start of every
//! batch) drops everything. A statement is cached only when every table or view it names is one
//! of the cached tables and it calls nothing whose answer changes with time or chance.
//! `AIRLOCK_SQLITE_ROW_CACHE=off` turns it off.
//!
//! Sessions are written by every check, so their reads are not kept by statement: the writer
//! keeps each session row it reads ([`KeptSessions`]), and the check's own update of that row
//! (`Db::exec_session_update`) changes the kept copy as it changes the stored row; any other
//! write that names `sessions` drops every kept session.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use rusqlite::Connection;
use rusqlite::types::{ToSqlOutput, Type, Value, ValueRef};

use crate::model::Session;
use crate::sql::{Param, Result, Row};
use crate::sqlite_approvals::KeptApprovals;

/// The tables whose reads are cached: read on every check, written by people, not by checks.
const CACHED_TABLES: &[&str] = &[
    "api_keys",
    "orgs",
    "agents",
    "servers",
    "tool_pins",
    "reviewer_sets",
    "policy_generations",
    "siem_destinations",
    "org_security_settings",
];

/// Words that make a statement's answer depend on more than the rows it reads.
const UNSTABLE_WORDS: &[&str] = &[
    "random",
    "randomblob",
    "now",
    "current_timestamp",
    "current_date",
    "current_time",
    "date",
    "time",
    "datetime",
    "julianday",
    "unixepoch",
    "strftime",
    "changes",
    "total_changes",
    "last_insert_rowid",
    "sqlite_master",
    "sqlite_schema",
    "pragma",
];

/// Entries beyond which the cache starts again empty (bounded memory whatever the keys).
const MAX_ENTRIES: usize = 16_384;

/// What a statement does to the cache, worked out once per statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// A read whose rows can be kept; `reads` holds the bits of its tables.
    Cached { reads: u64 },
    /// A read that is always run.
    Uncached,
    /// A statement that may change rows: drops the entries of the tables in `touches`.
    Write { touches: u64 },
}

/// Rows of one cached answer.
type Rows = Arc<Vec<Vec<Value>>>;

/// A cached read: the statement's key and its bound values, encoded as bytes by
/// `encode_key` (one slice, so the map hashes it in one pass and a lookup needs no copy).
pub(crate) type CacheKey = Box<[u8]>;

struct Entry {
    reads: u64,
    rows: Rows,
    /// The value a reader made of `rows` (`Db::one_kept`), dropped with them.
    decoded: Option<Decoded>,
}

/// A value read from a kept answer, and which function read it: a pure function of the rows,
/// so the same function gives the same value for as long as the rows are kept.
#[derive(Clone)]
pub(crate) struct Decoded {
    /// The reading function's address (a different function, or another copy of the same
    /// one, is simply not found).
    pub(crate) reader: usize,
    pub(crate) value: Arc<dyn std::any::Any + Send + Sync>,
}

/// Counters for tests and benchmarks.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    pub hits: u64,
    pub misses: u64,
    pub clears: u64,
    /// Sessions read from the kept copies.
    pub session_hits: u64,
}

pub(crate) struct RowCache {
    enabled: bool,
    /// Every table and view of the schema, lowercased; a table's bit is its index (tables
    /// past 63 share bit 63).
    tables: HashMap<String, u64>,
    cached: u64,
    /// Set when a foreign key acts on delete or update, or the schema has a trigger: then a
    /// write reaches tables it does not name, and every write drops everything.
    cascades: bool,
    /// Keyed by statement addresses, which no caller chooses: a fast hash is safe here.
    plans: HashMap<usize, Plan, foldhash::fast::RandomState>,
    /// Keyed by values callers choose (agent ids, tool names): SipHash, as std keeps it.
    entries: HashMap<CacheKey, Entry>,
    /// The key of the last lookup, encoded; reused so that a hit allocates nothing.
    scratch: Vec<u8>,
    /// Whether `scratch` holds the key of an entry just found (`keep_decoded` writes there).
    last_hit: bool,
    data_version: Option<i64>,
    pub(crate) stats: CacheStats,
    /// Session rows as stored (`KeptSessions`).
    sessions: KeptSessions,
    /// The bit of the `sessions` table (0 if the schema has none).
    sessions_bit: u64,
    /// Statements that update one session row whose kept copy their caller changes to match
    /// (`Db::exec_session_update`): they do not drop the other kept sessions.
    session_updates: HashSet<usize, foldhash::fast::RandomState>,
    /// Sessions' open approvals (`crate::sqlite_approvals`).
    pub(crate) approvals: KeptApprovals,
    /// The bit of the `approvals` table (0 if the schema has none).
    approvals_bit: u64,
}

/// Session rows the writer read, as stored, by id (one hash a lookup; a row of another
/// organization under the same id is a miss, and the next read replaces it), bounded like the
/// cache's entries.
#[derive(Default)]
struct KeptSessions {
    rows: HashMap<String, Session>,
}

impl KeptSessions {
    fn clear(&mut self) {
        self.rows.clear();
    }

    fn get(&self, org_id: &str, id: &str) -> Option<&Session> {
        self.rows.get(id).filter(|s| s.org_id == org_id)
    }

    fn insert(&mut self, session: Session) {
        if self.rows.len() >= MAX_ENTRIES {
            self.clear();
        }
        self.rows.insert(session.id.clone(), session);
    }

    fn remove(&mut self, org_id: &str, id: &str) -> Option<Session> {
        self.get(org_id, id)?;
        self.rows.remove(id)
    }
}

impl RowCache {
    /// A cache for `conn`'s schema, on unless the environment turns it off.
    pub(crate) fn new(conn: &Connection) -> Result<RowCache> {
        let enabled = !matches!(
            std::env::var("AIRLOCK_SQLITE_ROW_CACHE").as_deref(),
            Ok("off" | "0" | "false")
        );
        let mut cache = RowCache::disabled();
        cache.enabled = enabled;
        cache.load_schema(conn)?;
        Ok(cache)
    }

    /// A cache that never keeps anything (command-line tools, tests of the uncached path).
    pub(crate) fn disabled() -> RowCache {
        RowCache {
            enabled: false,
            tables: HashMap::new(),
            cached: 0,
            cascades: false,
            plans: HashMap::default(),
            entries: HashMap::new(),
            scratch: Vec::new(),
            last_hit: false,
            data_version: None,
            stats: CacheStats::default(),
            sessions: KeptSessions::default(),
            sessions_bit: 0,
            session_updates: HashSet::default(),
            approvals: KeptApprovals::default(),
            approvals_bit: 0,
        }
    }

    fn load_schema(&mut self, conn: &Connection) -> Result<()> {
        let mut statement =
            conn.prepare("SELECT name, coalesce(sql, '') FROM sqlite_master WHERE type IN ('table', 'view') ORDER BY name")?;
        let rows =
            statement.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        self.tables.clear();
        self.cached = 0;
        self.cascades = false;
        self.sessions_bit = 0;
        self.approvals_bit = 0;
        for (i, row) in rows.enumerate() {
            let (name, sql) = row?;
            let name = name.to_ascii_lowercase();
            let bit = 1u64 << i.min(63);
            let upper = sql.to_ascii_uppercase();
            if upper.contains("ON DELETE") || upper.contains("ON UPDATE") {
                self.cascades = true;
            }
            if CACHED_TABLES.contains(&name.as_str()) && i < 63 {
                self.cached |= bit;
            }
            if name == "sessions" {
                // A table past 63 shares bit 63 with others: a write to any of them drops the
                // kept sessions, which is only slower.
                self.sessions_bit = bit;
            }
            if name == "approvals" {
                self.approvals_bit = bit;
            }
            self.tables.insert(name, bit);
        }
        // A trigger makes a write change tables it does not name: every write drops everything
        // (Airlock's schema has none; one added behind its back is seen at the next batch).
        let triggers: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'",
            [],
            |r| r.get(0),
        )?;
        if triggers > 0 {
            self.cascades = true;
        }
        self.plans.clear();
        self.entries.clear();
        self.sessions.clear();
        self.approvals.clear();
        Ok(())
    }

    /// Called at the start of every batch, inside its transaction: forgets everything if
    /// another connection committed since the last batch.
    pub(crate) fn begin_batch(&mut self, conn: &Connection) -> Result<()> {
        if !self.enabled {
            return Ok(());
        }
        let mut statement = conn.prepare_cached("PRAGMA data_version")?;
        let version: i64 = statement.query_row([], |r| r.get(0))?;
        if self.data_version != Some(version) {
            if self.data_version.is_some() {
                // Another process may also have changed the schema.
                self.load_schema(conn)?;
            }
            self.clear();
            self.data_version = Some(version);
        }
        Ok(())
    }

    /// Forgets every answer (a rollback, a batch that failed).
    pub(crate) fn clear(&mut self) {
        if !self.entries.is_empty() {
            self.stats.clears += 1;
        }
        self.entries.clear();
        self.sessions.clear();
        self.approvals.clear();
        self.last_hit = false;
    }

    /// The kept copy of session `(org_id, id)`, as stored.
    pub(crate) fn session(&mut self, org_id: &str, id: &str) -> Option<Session> {
        if !self.enabled {
            return None;
        }
        let found = self.sessions.get(org_id, id).cloned();
        if found.is_some() {
            self.stats.session_hits += 1;
        }
        found
    }

    /// Keeps a session row just read as stored.
    pub(crate) fn keep_session(&mut self, session: &Session) {
        if self.enabled && self.sessions_bit != 0 {
            self.sessions.insert(session.clone());
        }
    }

    /// Keeps a session row as stored, given away (the row a check just updated: moved back
    /// instead of copied, issue 14).
    pub(crate) fn keep_session_owned(&mut self, session: Session) {
        if self.enabled && self.sessions_bit != 0 {
            self.sessions.insert(session);
        }
    }

    #[cfg(test)]
    pub(crate) fn set_enabled(&mut self, enabled: bool) {
        self.enabled = enabled;
    }

    /// Whether sessions' open approvals are kept.
    pub(crate) fn keeps_approvals(&self) -> bool {
        self.enabled && self.approvals_bit != 0
    }

    /// Whether a write may change tables it does not name (a trigger or a cascading foreign
    /// key in the schema): then no write keeps anything.
    pub(crate) fn writes_reach_unnamed_tables(&self) -> bool {
        self.cascades
    }

    /// Forgets every kept session.
    pub(crate) fn drop_sessions(&mut self) {
        self.sessions.clear();
    }

    /// Takes the kept copy of a session out before statement `key` updates its row (a failed
    /// update leaves nothing kept); the statement then leaves the other kept sessions alone.
    pub(crate) fn take_session_for_update(
        &mut self,
        key: usize,
        org_id: &str,
        id: &str,
    ) -> Option<Session> {
        self.session_updates.insert(key);
        self.sessions.remove(org_id, id)
    }

    fn plan(&mut self, key: usize, text: &str) -> Plan {
        if let Some(plan) = self.plans.get(&key) {
            return *plan;
        }
        let plan = self.make_plan(text);
        self.plans.insert(key, plan);
        plan
    }

    fn make_plan(&self, text: &str) -> Plan {
        let words: Vec<String> = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .map(|w| w.to_ascii_lowercase())
            .collect();
        let mut named = 0u64;
        for w in &words {
            if let Some(bit) = self.tables.get(w) {
                named |= bit;
            }
        }
        let is_write = words.iter().any(|w| {
            matches!(
                w.as_str(),
                "insert" | "update" | "delete" | "replace" | "upsert" | "create" | "drop" | "alter"
            )
        }) || !matches!(words.first().map(String::as_str), Some("select"));
        if is_write {
            // A write that names no table we know (DDL of a new one, say) drops everything.
            let touches = if self.cascades || named == 0 {
                u64::MAX
            } else {
                named
            };
            return Plan::Write { touches };
        }
        let unstable = words.iter().any(|w| UNSTABLE_WORDS.contains(&w.as_str()));
        if named != 0 && named & !self.cached == 0 && !unstable {
            Plan::Cached { reads: named }
        } else {
            Plan::Uncached
        }
    }

    /// The statement's effect on the cache before it runs: for a cached read, its key and
    /// any answer kept for it; for a write, its entries are dropped now (before the write, so
    /// that a failed write drops them too).
    pub(crate) fn before(&mut self, key: usize, text: &str, params: &[&dyn Param]) -> Lookup {
        self.last_hit = false;
        if !self.enabled {
            return Lookup::Run;
        }
        match self.plan(key, text) {
            Plan::Uncached => Lookup::Run,
            Plan::Write { touches } => {
                if touches & self.sessions_bit != 0 && !self.session_updates.contains(&key) {
                    self.sessions.clear();
                }
                if touches & self.approvals_bit != 0 {
                    self.approvals.before_write(text);
                }
                if touches == u64::MAX {
                    self.clear();
                } else if touches & self.cached != 0 {
                    // Only writes to cached tables scan the entries: the check's own writes
                    // (decisions, sessions) touch none.
                    let before = self.entries.len();
                    self.entries.retain(|_, e| e.reads & touches == 0);
                    if self.entries.len() != before {
                        self.stats.clears += 1;
                    }
                }
                Lookup::Run
            }
            Plan::Cached { reads } => {
                if !encode_key(key, params, &mut self.scratch) {
                    return Lookup::Run;
                }
                if let Some(entry) = self.entries.get(self.scratch.as_slice()) {
                    self.stats.hits += 1;
                    self.last_hit = true;
                    return Lookup::Hit {
                        rows: entry.rows.clone(),
                        decoded: entry.decoded.clone(),
                    };
                }
                self.stats.misses += 1;
                Lookup::Miss {
                    key: self.scratch.as_slice().into(),
                    reads,
                }
            }
        }
    }

    /// Keeps the complete answer of a read that missed.
    pub(crate) fn keep(&mut self, key: CacheKey, reads: u64, rows: Vec<Vec<Value>>) {
        self.last_hit = false;
        if self.entries.len() >= MAX_ENTRIES {
            self.clear();
        }
        self.entries.insert(
            key,
            Entry {
                reads,
                rows: Arc::new(rows),
                decoded: None,
            },
        );
    }

    /// Keeps the value read from the answer the last lookup found, while that answer is
    /// kept; does nothing if anything but reading that answer happened since the lookup.
    pub(crate) fn keep_decoded(&mut self, decoded: Decoded) {
        if !std::mem::take(&mut self.last_hit) {
            return;
        }
        if let Some(entry) = self.entries.get_mut(self.scratch.as_slice()) {
            entry.decoded = Some(decoded);
        }
    }
}

/// What to do for one statement.
pub(crate) enum Lookup {
    /// Run it; keep nothing.
    Run,
    /// The kept answer, and the value last read from it, if any.
    Hit {
        rows: Rows,
        decoded: Option<Decoded>,
    },
    /// Run it, read every row, and keep them under `key`.
    Miss { key: CacheKey, reads: u64 },
}

/// Writes the statement's key and its bound values into `out` as one byte string, or returns
/// false when a value cannot be part of a key. The encoding is injective: the key is fixed
/// width, and every value is a tag byte followed by a fixed-width integer or by a length and
/// the bytes, so two keys are equal exactly when the statement and every value are (text
/// and a blob of the same bytes differ by their tags). Floats make poor keys (NaN is never
/// equal to itself): reads bound to one are run every time.
pub(crate) fn encode_key(key: usize, params: &[&dyn Param], out: &mut Vec<u8>) -> bool {
    out.clear();
    out.extend_from_slice(&(key as u64).to_le_bytes());
    for p in params {
        let Ok(output) = p.sqlite().to_sql() else {
            return false;
        };
        let value = match &output {
            ToSqlOutput::Borrowed(v) => *v,
            ToSqlOutput::Owned(v) => ValueRef::from(v),
            _ => return false,
        };
        match value {
            ValueRef::Null => out.push(0),
            ValueRef::Integer(n) => {
                out.push(1);
                out.extend_from_slice(&n.to_le_bytes());
            }
            ValueRef::Text(bytes) => push_bytes(out, 2, bytes),
            ValueRef::Blob(bytes) => push_bytes(out, 3, bytes),
            ValueRef::Real(_) => return false,
        }
    }
    true
}

/// A text or blob value of a key: its tag, its length, its bytes.
fn push_bytes(out: &mut Vec<u8>, tag: u8, bytes: &[u8]) {
    out.push(tag);
    out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// Every column of a row, owned; None if one cannot be (text that is not UTF-8: such an
/// answer is not kept, and the live row is read instead).
pub(crate) fn row_values(row: &rusqlite::Row<'_>, columns: usize) -> Option<Vec<Value>> {
    (0..columns).map(|i| row.get::<_, Value>(i).ok()).collect()
}

/// A kept row, read as rusqlite reads a live one: the same types accepted, the same errors.
pub(crate) struct CachedRow<'a>(pub(crate) &'a [Value]);

impl CachedRow<'_> {
    fn value(&self, i: usize) -> Result<&Value> {
        Ok(self
            .0
            .get(i)
            .ok_or(rusqlite::Error::InvalidColumnIndex(i))?)
    }
}

fn wrong_type(i: usize, v: &Value) -> crate::StoreError {
    rusqlite::Error::InvalidColumnType(i, String::new(), v.data_type()).into()
}

impl Row for CachedRow<'_> {
    fn get_str(&self, i: usize) -> Result<String> {
        match self.value(i)? {
            Value::Text(s) => Ok(s.clone()),
            v => Err(wrong_type(i, v)),
        }
    }
    fn get_i64(&self, i: usize) -> Result<i64> {
        match self.value(i)? {
            Value::Integer(n) => Ok(*n),
            v => Err(wrong_type(i, v)),
        }
    }
    fn get_bool(&self, i: usize) -> Result<bool> {
        match self.value(i)? {
            Value::Integer(n) => Ok(*n != 0),
            v => Err(wrong_type(i, v)),
        }
    }
    fn get_f64(&self, i: usize) -> Result<f64> {
        match self.value(i)? {
            Value::Integer(n) => Ok(*n as f64),
            Value::Real(f) => Ok(*f),
            v => Err(wrong_type(i, v)),
        }
    }
    fn is_null(&self, i: usize) -> Result<bool> {
        Ok(self.value(i)?.data_type() == Type::Null)
    }
}

#[cfg(test)]
#[path = "sqlite_cache_tests.rs"]
pub(crate) mod tests;

#[cfg(test)]
#[path = "sqlite_cache_sessions_tests.rs"]
mod sessions_tests;
