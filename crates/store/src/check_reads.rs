//! A check's reads and writes joined into few statements where each statement is a round trip
//! (PostgreSQL, [`crate::sql::Dialect::joined_check`]: the joined statements are written in
//! its SQL); elsewhere the same reads and writes one by one (SQLite, where the row cache
//! answers most reads without a statement).
//!
//! The joined read takes the session's row lock as [`Tx::session`] does (`FOR UPDATE`,
//! `NOWAIT` for later requests of a batch); a request that may wait for the lock tries it
//! without waiting first (`SKIP LOCKED`), and when another transaction holds it, takes it in a
//! statement of its own, then reads, so that the joined read's snapshot comes after the wait,
//! as the one-by-one reads did. Approvals are read by a statement of their own,
//! after that lock is held: a check of the same session that committed while this one waited
//! may have used or created one, and a statement sees only what was committed before it
//! began.

use chrono::{DateTime, Utc};

use crate::StoreError;
use crate::model::*;
use crate::queries::{CALL_APPROVALS, PENDING_ELEVATION, count, unexpired};
use crate::record::{Record, unsigned};
use crate::siem::SiemTarget;
use crate::sql::{Db, Lock, Param, Result, Row, Sql};
use crate::tx::{CheckReads, GatewayReads, KeyReads, SessionApprovals, Tx};

#[path = "check_reads_kept.rs"]
mod kept;
use crate::org_cache::lock;
use kept::{answer, guess, read_short, record_guessed, short};

/// `alias.column` for each of `columns` (`a, b` → `x.a, x.b`).
fn columns_of(alias: &str, columns: &str) -> String {
    columns
        .split(',')
        .map(|c| format!("{alias}.{}", c.trim()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn width<R: Record>() -> usize {
    R::COLUMNS.split(',').count()
}

/// The key's part of a keyed read: its columns (the key, its organization, the organization's
/// security settings) and the joins that read them. Parameter: the key's hash.
fn key_part() -> (String, &'static str) {
    let columns = format!(
        "{}, {}, {}",
        columns_of("k", ApiKey::COLUMNS),
        columns_of("ko", Org::COLUMNS),
        columns_of("ss", SecuritySettings::COLUMNS),
    );
    let joins = "api_keys AS k LEFT JOIN orgs AS ko ON ko.id = k.org_id \
         LEFT JOIN org_security_settings AS ss ON ss.org_id = k.org_id";
    (columns, joins)
}

/// The organization a keyed read reads in: the key's, when the key is not revoked (an unknown
/// or revoked key reads and locks nothing). Parameter: the key's hash.
const KEY_ORG: &str = "(SELECT org_id FROM api_keys WHERE hash = $1 AND revoked_at IS NULL)";

/// [`KEY_ORG`] for a call that carries no proof of possession: also none when the key's
/// organization requires one on checks ([`proof_required`]), so that a key alone, which such
/// an organization refuses, locks none of its sessions.
const KEY_ORG_UNPROVEN: &str = "(SELECT k.org_id FROM api_keys AS k WHERE k.hash = $1 \
     AND k.revoked_at IS NULL AND NOT EXISTS (SELECT 1 FROM org_security_settings AS z \
     WHERE z.org_id = k.org_id \
     AND (z.require_proof_of_possession OR z.require_sender_constrained_tokens)))";

/// Whether an organization's settings refuse a check without proof of possession: the
/// condition of [`KEY_ORG_UNPROVEN`], and the server's `Security::proof_required_on_checks`.
fn proof_required(security: Option<&SecuritySettings>) -> bool {
    security.is_some_and(|s| s.require_proof_of_possession || s.require_sender_constrained_tokens)
}

/// The lock a joined read tries first when its request may wait ([`joined_row`]).
const SKIP: &str = "FOR UPDATE SKIP LOCKED";

/// The joined read, the session locked by `lock` (`""`, `FOR UPDATE`, `FOR UPDATE NOWAIT`,
/// [`SKIP`]). Parameters: organization, agent, session, action; with `key_org` (`KEY_ORG` or
/// `KEY_ORG_UNPROVEN`), the key's hash in place of the organization, and the key's part
/// (`key_part`) first in the row. Every table is read by the organization. With [`SKIP`], a
/// first column says whether the session was skipped: it exists, and another transaction
/// holds its lock.
///
/// Each table's part is one row value (`ROW(…)`, read by [`packed`]), each read by a
/// subquery of its own but the session's: PostgreSQL carries one column a part, not all 70,
/// and sets up a narrower plan for each execution (measured in the twenty-second pass of
/// `docs/benchmarks.md`). The server's value carries the tool's pin and whether the server
/// has any: none of them without an active server. The last column is the organization's
/// version ([`crate::org_cache`]), read in the same snapshot as the rest.
fn joined(lock: &str, key_org: Option<&str>) -> String {
    let (with, org, key) = if let Some(key_org) = key_org {
        let (columns, joins) = key_part();
        (
            format!("WITH o AS ({key_org}), "),
            "(SELECT org_id FROM o)",
            format!("(SELECT ROW({columns}) FROM {joins} WHERE k.hash = $1), "),
        )
    } else {
        ("WITH ".to_string(), "$1", String::new())
    };
    let busy = busy(lock, org, "$3");
    format!(
        "{with}s AS (SELECT {session}, may_have_approvals FROM sessions \
         WHERE org_id = {org} AND id = $3 {lock}) \
         SELECT {busy}{key}\
         (SELECT ROW({agent}) FROM agents AS a WHERE a.org_id = {org} AND a.id = $2), \
         ROW({s}), \
         (SELECT ROW({server}, {pin}, EXISTS (SELECT 1 FROM tool_pins AS q \
         WHERE q.org_id = {org} AND q.server_id = v.id)) \
         FROM servers AS v LEFT JOIN tool_pins AS p \
         ON p.org_id = {org} AND p.server_id = v.id AND p.name = $4 \
         WHERE v.org_id = {org} AND v.id = s.server_id AND v.status = 'active'), \
         (SELECT ROW({reviewers}) FROM reviewer_sets AS r WHERE r.org_id = {org}), \
         (SELECT g.generation FROM policy_generations AS g WHERE g.org_id = {org}), \
         (SELECT json_agg(json_build_array(t.id, t.filter_event_types, t.backlog)) \
         FROM siem_destinations AS t WHERE t.org_id = {org} AND t.is_active)::text, \
         coalesce(s.may_have_approvals, TRUE), \
         (SELECT x.version FROM org_versions AS x WHERE x.org_id = {org}) \
         FROM (SELECT 1 AS one) AS one LEFT JOIN s ON TRUE",
        session = Session::COLUMNS,
        agent = columns_of("a", Agent::COLUMNS),
        s = columns_of("s", Session::COLUMNS),
        server = columns_of("v", Server::COLUMNS),
        pin = columns_of("p", ToolPin::COLUMNS),
        reviewers = columns_of("r", ReviewerSet::COLUMNS),
    )
}

fn text_or_null(row: &dyn Row, i: usize) -> Result<Option<String>> {
    if row.is_null(i)? {
        return Ok(None);
    }
    row.get_str(i).map(Some)
}

/// With [`SKIP`], the first column of a read: whether the session (parameter `session`) was
/// skipped, that is it exists and another transaction holds its lock.
fn busy(lock: &str, org: &str, session: &str) -> String {
    if lock != SKIP {
        return String::new();
    }
    format!(
        "(s.id IS NULL AND EXISTS (SELECT 1 FROM sessions AS e \
         WHERE e.org_id = {org} AND e.id = {session})), "
    )
}

/// A row read from column `from` on: one table's part of a joined row.
struct At<'r> {
    row: &'r dyn Row,
    from: usize,
}

impl Row for At<'_> {
    fn get_str(&self, i: usize) -> Result<String> {
        self.row.get_str(self.from + i)
    }
    fn get_i64(&self, i: usize) -> Result<i64> {
        self.row.get_i64(self.from + i)
    }
    fn get_bool(&self, i: usize) -> Result<bool> {
        self.row.get_bool(self.from + i)
    }
    fn get_f64(&self, i: usize) -> Result<f64> {
        self.row.get_f64(self.from + i)
    }
    fn is_null(&self, i: usize) -> Result<bool> {
        self.row.is_null(self.from + i)
    }
    fn record(&self, i: usize) -> Result<Option<Box<dyn Row + '_>>> {
        self.row.record(self.from + i)
    }
}

/// The record whose columns start at `*from`, or none when the outer join found no row (its
/// first column, part of its key, is NULL); moves `*from` past its columns.
fn part<R: Record>(row: &dyn Row, from: &mut usize) -> Result<Option<R>> {
    let at = At { row, from: *from };
    *from += width::<R>();
    if at.is_null(0)? {
        return Ok(None);
    }
    R::read(&at).map(Some)
}

/// The key's part of a keyed read, from column `*from` on (`key_part`).
fn read_key(row: &dyn Row, from: &mut usize) -> Result<Option<KeyReads>> {
    let key = part::<ApiKey>(row, from)?;
    let org = part::<Org>(row, from)?;
    let security = part::<SecuritySettings>(row, from)?;
    Ok(key.map(|key| KeyReads { key, org, security }))
}

/// What `read` reads from the row value packed in column `i` ([`joined`]), none when the
/// value is NULL (its subquery found no row).
fn unpack<T>(
    row: &dyn Row,
    i: usize,
    read: impl FnOnce(&dyn Row) -> Result<Option<T>>,
) -> Result<Option<T>> {
    match row.record(i)? {
        Some(fields) => read(&*fields),
        None => Ok(None),
    }
}

/// The record packed in column `i`, or none when there is no row: the value is NULL or its
/// first field is.
fn packed<R: Record>(row: &dyn Row, i: usize) -> Result<Option<R>> {
    unpack(row, i, |fields| part::<R>(fields, &mut 0))
}

/// The key's part of a keyed read, packed in column `i`.
fn packed_key(row: &dyn Row, i: usize) -> Result<Option<KeyReads>> {
    unpack(row, i, |fields| read_key(fields, &mut 0))
}

/// The check's part of a joined read ([`joined`]), from column `from` on.
fn read_joined(row: &dyn Row, from: usize) -> Result<CheckReads> {
    let agent = packed::<Agent>(row, from)?;
    let session = packed::<Session>(row, from + 1)?;
    let server = unpack(row, from + 2, |fields| {
        let mut at = 0;
        let server = part::<Server>(fields, &mut at)?;
        let pin = part::<ToolPin>(fields, &mut at)?;
        Ok(Some((server, pin, fields.get_bool(at)?)))
    })?;
    let (server, pin, server_has_pins) = server.unwrap_or((None, None, false));
    let reviewers = packed::<ReviewerSet>(row, from + 3)?;
    let policy_generation = if row.is_null(from + 4)? {
        0
    } else {
        unsigned(row.get_i64(from + 4)?)?
    };
    let siem = if row.is_null(from + 5)? {
        Vec::new()
    } else {
        siem_targets(&row.get_str(from + 5)?)?
    };
    let may_have_approvals = row.get_bool(from + 6)?;
    Ok(CheckReads {
        agent,
        session,
        server: server.map(std::sync::Arc::new),
        pin,
        reviewers,
        policy_generation,
        siem,
        server_has_pins,
        may_have_approvals,
    })
}

/// The SIEM targets the joined read aggregates: `[[id, filter (JSON text), backlog], …]`.
fn siem_targets(text: &str) -> Result<Vec<SiemTarget>> {
    let corrupt = |e: serde_json::Error| StoreError::Corrupt(e.to_string());
    let rows: Vec<(String, String, i64)> = serde_json::from_str(text).map_err(corrupt)?;
    rows.into_iter()
        .map(|(id, filter, backlog)| {
            Ok(SiemTarget {
                id,
                filter_event_types: serde_json::from_str(&filter).map_err(corrupt)?,
                backlog: unsigned(backlog)?,
            })
        })
        .collect()
}

/// The statements of one joined (or short) read, one for each lock its request may take, and
/// `lock`, the session's lock taken alone (parameters: the read's first, and the session).
struct Joined {
    none: &'static Sql,
    skip: &'static Sql,
    wait: &'static Sql,
    nowait: &'static Sql,
    lock: &'static Sql,
}

/// The [`Joined`] statements `build` ([`joined`] or [`short`]) writes for a read in `key_org`.
macro_rules! joined_set {
    ($build:ident, $key_org:expr, $lock:expr) => {
        Joined {
            none: sql!(|_d| $build("", $key_org)),
            skip: sql!(|_d| $build(SKIP, $key_org)),
            wait: sql!(|_d| $build("FOR UPDATE", $key_org)),
            nowait: sql!(|_d| $build("FOR UPDATE NOWAIT", $key_org)),
            lock: $lock,
        }
    };
}

/// The [`Joined`] statements `build` writes for a keyed read: in the key's organization
/// ([`KEY_ORG`]), or, without proof of possession, only where none is required
/// ([`KEY_ORG_UNPROVEN`]).
macro_rules! keyed_set {
    ($build:ident, $proven:expr) => {
        if $proven {
            joined_set!(
                $build,
                Some(KEY_ORG),
                sql!("SELECT 1 FROM sessions WHERE org_id = {KEY_ORG} AND id = $2 FOR UPDATE")
            )
        } else {
            joined_set!(
                $build,
                Some(KEY_ORG_UNPROVEN),
                sql!(
                    "SELECT 1 FROM sessions WHERE org_id = {KEY_ORG_UNPROVEN} AND id = $2 FOR UPDATE"
                )
            )
        }
    };
}

/// The session's lock taken alone in the organization (parameters: organization, session).
const LOCK: &str = "SELECT 1 FROM sessions WHERE org_id = $1 AND id = $2 FOR UPDATE";

pub(crate) fn check_reads<D: Db>(
    db: &mut D,
    org_id: &str,
    agent_id: &str,
    session_id: &str,
    action_name: &str,
) -> Result<CheckReads> {
    if !db.dialect().joined_check {
        return one_by_one(db, org_id, agent_id, session_id, action_name);
    }
    let cache = db.org_cache();
    let unkeyed = (org_id, None);
    if let Some(reads) = guess(
        db,
        cache.as_deref(),
        unkeyed,
        agent_id,
        session_id,
        action_name,
    ) {
        return Ok(reads);
    }
    if cache
        .as_ref()
        .is_some_and(|c| lock(c).knows(org_id, agent_id))
    {
        let sql = joined_set!(short, None, sql!("{LOCK}"));
        let short = joined_row(
            db,
            &sql,
            &[&org_id, &session_id],
            [&org_id, &session_id],
            |row, from| read_short(row, from, false),
        )?;
        if let Some(reads) = answer(cache.as_deref(), unkeyed, agent_id, action_name, short) {
            db.read_session(reads.may_have_approvals);
            return Ok(reads);
        }
    }
    let sql = joined_set!(joined, None, sql!("{LOCK}"));
    let params: [&dyn Param; 4] = [&org_id, &agent_id, &session_id, &action_name];
    let (reads, version) = joined_row(db, &sql, &params, [&org_id, &session_id], |row, from| {
        Ok((read_joined(row, from)?, text_or_null(row, from + VERSION)?))
    })?;
    if let Some(cache) = &cache {
        lock(cache).keep(org_id, version.as_deref(), agent_id, action_name, &reads);
    }
    db.read_session(reads.may_have_approvals);
    Ok(reads)
}

/// The column of the organization's version in the check's part of a joined read.
const VERSION: usize = 7;

/// Runs a joined read, `read` taking the row's columns from the given one on. A request
/// that must not wait takes the session's lock with `NOWAIT`; one that may wait tries
/// without waiting first (`SKIP LOCKED`, the read itself: most sessions are free), and only
/// when another transaction holds the session takes the lock alone, waiting, then reads.
/// `lock` binds `sql.lock`: the organization (or the key's hash) and the session.
fn joined_row<D: Db, T>(
    db: &mut D,
    sql: &Joined,
    params: &[&dyn Param],
    lock: [&dyn Param; 2],
    read: impl Fn(&dyn Row, usize) -> Result<T>,
) -> Result<T> {
    let no_row = || StoreError::Corrupt("the check's reads returned no row".into());
    let statement = match db.session_lock() {
        Lock::None => sql.none,
        Lock::NoWait => sql.nowait,
        Lock::Wait => {
            let first = db.one(sql.skip, params, |row| match row.get_bool(0)? {
                true => Ok(None),
                false => read(row, 1).map(Some),
            })?;
            if let Some(read) = first.ok_or_else(no_row)? {
                return Ok(read);
            }
            // A statement reads what was committed when it began: taking the lock alone,
            // waiting, means the joined read below (which takes it again without waiting)
            // sees servers, pins, reviewers and policies as they are once this check holds
            // the session, not as they were before it waited.
            db.many(sql.lock, &lock, |_| Ok(()))?;
            sql.wait
        }
    };
    // One row always: the joins are outer, from a row of constants.
    db.one(statement, params, |row| read(row, 0))?
        .ok_or_else(no_row)
}

pub(crate) fn keyed_check_reads<D: Db>(
    db: &mut D,
    hash: &str,
    agent_id: &str,
    session_id: &str,
    action_name: &str,
    proven: bool,
) -> Result<Option<(KeyReads, Option<CheckReads>)>> {
    // Read in no organization: a revoked key, or a call without the proof its organization
    // requires (both refused by the caller before anything else is read).
    let refused = |key: &KeyReads| {
        key.key.revoked_at.is_some() || (!proven && proof_required(key.security.as_ref()))
    };
    if !db.dialect().joined_check {
        let Some(key) = key_reads(db, hash)? else {
            return Ok(None);
        };
        if refused(&key) {
            return Ok(Some((key, None)));
        }
        let org_id = key.key.org_id.clone();
        let reads = one_by_one(db, &org_id, agent_id, session_id, action_name)?;
        return Ok(Some((key, Some(reads))));
    }
    let cache = db.org_cache();
    let kept = cache.as_ref().and_then(|c| {
        let c = lock(c);
        c.key(hash)
            .filter(|k| !refused(&k.key) && c.knows(&k.org_id, agent_id))
    });
    if let Some(kept) = kept {
        // The key's row is covered by its organization's version: it is answered with only
        // where the rest is kept at the version it was kept at, which the record (a guess) or
        // the short read proves.
        let at = (kept.org_id.as_str(), Some(kept.version.as_str()));
        let guessed = guess(db, cache.as_deref(), at, agent_id, session_id, action_name);
        if let Some(reads) = guessed {
            return Ok(Some((kept.key, Some(reads))));
        }
        let sql = keyed_set!(short, proven);
        let short = joined_row(
            db,
            &sql,
            &[&hash, &session_id],
            [&hash, &session_id],
            |row, from| read_short(row, from, true),
        )?;
        // The key still names the organization it was kept with (a key moved or revoked, or
        // settings that now refuse it, read none): its version covers the key's row too.
        if short.org.as_deref() == Some(kept.org_id.as_str())
            && let Some(reads) = answer(cache.as_deref(), at, agent_id, action_name, short)
        {
            db.read_session(reads.may_have_approvals);
            return Ok(Some((kept.key, Some(reads))));
        }
    }
    let sql = keyed_set!(joined, proven);
    let params: [&dyn Param; 4] = [&hash, &agent_id, &session_id, &action_name];
    let read = joined_row(db, &sql, &params, [&hash, &session_id], |row, from| {
        let Some(key) = packed_key(row, from)? else {
            return Ok(None);
        };
        if refused(&key) {
            // Read in no organization (`KEY_ORG`, `KEY_ORG_UNPROVEN`): the check's part is
            // empty.
            return Ok(Some((key, None)));
        }
        let reads = read_joined(row, from + 1)?;
        let version = text_or_null(row, from + 1 + VERSION)?;
        Ok(Some((key, Some((reads, version)))))
    })?;
    Ok(read.map(|(key, reads)| {
        let reads = reads.map(|(reads, version)| {
            if let Some(cache) = &cache {
                let (org_id, version) = (key.key.org_id.as_str(), version.as_deref());
                let mut cache = lock(cache);
                cache.keep_key(version, hash, &key);
                cache.keep(org_id, version, agent_id, action_name, &reads);
            }
            db.read_session(reads.may_have_approvals);
            reads
        });
        (key, reads)
    }))
}

fn one_by_one<D: Db>(
    db: &mut D,
    org_id: &str,
    agent_id: &str,
    session_id: &str,
    action_name: &str,
) -> Result<CheckReads> {
    let agent = db.agent(org_id, agent_id)?;
    let session = db.session(org_id, session_id)?;
    let (mut server, mut pin) = (None, None);
    if let Some(server_id) = session.as_ref().and_then(|s| s.server_id.as_deref()) {
        server = crate::queries::shared_server(db, org_id, server_id)?;
        if server.is_some() {
            pin = db.tool_pin(org_id, server_id, action_name)?;
        }
    }
    Ok(CheckReads {
        agent,
        session,
        server,
        pin,
        reviewers: db.reviewer_set(org_id)?,
        policy_generation: db.policy_generation(org_id)?,
        siem: db.siem_targets(org_id)?,
        // Not asked: the caller reads the pins when the exact one is missing.
        server_has_pins: true,
        may_have_approvals: true,
    })
}

/// The key's part ([`key_part`]) read by the key's hash alone.
fn key_read() -> String {
    let (columns, joins) = key_part();
    format!("SELECT {columns} FROM {joins} WHERE k.hash = $1")
}

pub(crate) fn key_reads<D: Db>(db: &mut D, hash: &str) -> Result<Option<KeyReads>> {
    if !db.dialect().joined_check {
        let Some(key) = db.api_key_by_hash(hash)? else {
            return Ok(None);
        };
        let org = db.org(&key.org_id)?;
        let security = db.security_settings(&key.org_id)?;
        return Ok(Some(KeyReads { key, org, security }));
    }
    // The organization and its settings are the key's own.
    db.one(sql!(|_d| key_read()), &[&hash], |row| read_key(row, &mut 0))
        .map(Option::flatten)
}

/// The gateway's read ([`Tx::gateway_reads`]) as one statement: the key's part, the server,
/// the mapped session's id (without `named`) and the session, each in the key's organization
/// ([`KEY_ORG`]: none for a revoked key). Parameters: the key's hash, the server, then the
/// session's id with `named`, else the agent. No lock: a session's agent and server never
/// change once it is written.
fn gateway_joined(named: bool) -> String {
    let (columns, joins) = key_part();
    let (mapped, mapping, session_id) = if named {
        ("NULL::text", "", "$3")
    } else {
        (
            "m.session_id",
            "LEFT JOIN gateway_sessions AS m ON m.org_id = (SELECT org_id FROM o) \
             AND m.agent_id = $3 AND m.server_id = $2 ",
            "m.session_id",
        )
    };
    format!(
        "WITH o AS ({KEY_ORG}) \
         SELECT {columns}, {server}, {mapped}, {session} \
         FROM (SELECT 1 AS one) AS one \
         LEFT JOIN {joins} ON k.hash = $1 \
         LEFT JOIN servers AS v ON v.org_id = (SELECT org_id FROM o) AND v.id = $2 \
         AND v.status = 'active' \
         {mapping}\
         LEFT JOIN sessions AS s ON s.org_id = (SELECT org_id FROM o) AND s.id = {session_id}",
        server = columns_of("v", Server::COLUMNS),
        session = columns_of("s", Session::COLUMNS),
    )
}

pub(crate) fn gateway_reads<D: Db>(
    db: &mut D,
    hash: &str,
    agent_id: &str,
    server_id: &str,
    named: Option<&str>,
) -> Result<Option<(ApiKey, Option<Org>, GatewayReads)>> {
    if !db.dialect().joined_check {
        let Some((key, org)) = db.key_and_org(hash)? else {
            return Ok(None);
        };
        if key.revoked_at.is_some() {
            return Ok(Some((key, org, GatewayReads::default())));
        }
        let org_id = key.org_id.clone();
        let server = db.server(&org_id, server_id)?;
        let mapped = match named {
            None => db.gateway_session_id(&org_id, agent_id, server_id)?,
            Some(_) => None,
        };
        // Reads one by one take no lock (SQLite's sessions are never locked).
        let session = match named.or(mapped.as_deref()) {
            Some(id) => db.session(&org_id, id)?,
            None => None,
        };
        let reads = GatewayReads {
            server,
            mapped,
            session,
        };
        return Ok(Some((key, org, reads)));
    }
    let read = |row: &dyn Row| {
        let mut from = 0;
        let Some(key) = read_key(row, &mut from)? else {
            return Ok(None);
        };
        let server = part::<Server>(row, &mut from)?;
        let mapped = if row.is_null(from)? {
            None
        } else {
            Some(row.get_str(from)?)
        };
        from += 1;
        let session = part::<Session>(row, &mut from)?;
        let reads = GatewayReads {
            server,
            mapped,
            session,
        };
        Ok(Some((key.key, key.org, reads)))
    };
    let found = match named {
        Some(id) => {
            let params: [&dyn Param; 3] = [&hash, &server_id, &id];
            db.one(sql!(|_d| gateway_joined(true)), &params, read)?
        }
        None => {
            let params: [&dyn Param; 3] = [&hash, &server_id, &agent_id];
            db.one(sql!(|_d| gateway_joined(false)), &params, read)?
        }
    };
    Ok(found.flatten())
}

pub(crate) fn session_approvals<D: Db>(
    db: &mut D,
    org_id: &str,
    session_id: &str,
    action_name: &str,
    input_digest: &str,
    now: DateTime<Utc>,
) -> Result<SessionApprovals> {
    if let Some(kept) = crate::sqlite_approvals::session_approvals_kept(
        db,
        org_id,
        session_id,
        action_name,
        input_digest,
        now,
    )? {
        return Ok(kept);
    }
    let params: [&dyn Param; 4] = [&org_id, &session_id, &input_digest, &action_name];
    if !db.dialect().joined_check {
        // The statements of `Tx::call_approvals` and `Tx::pending_elevation` as one, each
        // half on its own index (SQLite would pick one index for an `OR` of both).
        let sql = sql!(|d| format!(
            "SELECT id, status, expires_at, created_at, kind FROM {} WHERE org_id = $1 \
             AND session_id = $2 AND {CALL_APPROVALS}{} \
             UNION ALL SELECT id, status, expires_at, created_at, kind FROM {} WHERE \
             org_id = $1 AND session_id = $2 AND {PENDING_ELEVATION}{}",
            d.call_approvals,
            d.deadline(5),
            d.session_approvals,
            d.deadline(5)
        ));
        return unexpired(db, sql, &params, now);
    }
    // Both lookups of `Tx::call_approvals` and `Tx::pending_elevation` in one statement, told
    // apart by kind.
    let sql = sql!(|d| format!(
        "SELECT id, status, expires_at, created_at, kind FROM {} WHERE org_id = $1 \
         AND session_id = $2 AND (({CALL_APPROVALS}) OR ({PENDING_ELEVATION})){}",
        d.session_approvals,
        d.deadline(5)
    ));
    // Unexpired, oldest first, as `Tx::call_approvals` and `Tx::pending_elevation` take them.
    unexpired(db, sql, &params, now)
}

/// The session columns a check writes, after the decision's parameters (`$n+1` on).
fn session_set(first: usize, activity: bool) -> String {
    let n = |i: usize| first + i;
    let mut set = format!(
        "elevated_until = ${}, total_calls = ${}, read_calls = ${}, write_calls = ${}, \
         denied_calls = ${}, head = ${}",
        n(2),
        n(3),
        n(4),
        n(5),
        n(6),
        n(7)
    );
    if activity {
        set.push_str(&format!(", last_activity_at = ${}", n(8)));
    }
    format!(
        "UPDATE sessions SET {set} WHERE org_id = ${} AND id = ${}",
        n(0),
        n(1)
    )
}

/// The decision's insert and the session's update in one statement: the insert's parameters
/// first, then the session's as `write_session` binds them.
fn record_joined(activity: bool) -> String {
    format!(
        "WITH d AS ({}) {}",
        crate::record::insert_sql(Decision::TABLE, Decision::COLUMNS),
        session_set(width::<Decision>() + 1, activity)
    )
}

pub(crate) fn record_decision<D: Db>(
    db: &mut D,
    decision: &Decision,
    session: &Session,
    activity: bool,
) -> Result<()> {
    if !db.dialect().joined_check {
        db.insert_decision(decision)?;
        return if activity {
            db.update_session(session)
        } else {
            db.update_session_calls(session)
        };
    }
    let sql = if activity {
        sql!(|_d| record_joined(true))
    } else {
        sql!(|_d| record_joined(false))
    };
    let elevated = session.elevated_until.map(ts);
    let counts = [
        count(session.total_calls),
        count(session.read_calls),
        count(session.write_calls),
        count(session.denied_calls),
    ];
    // Formatted only when written.
    let last_activity = activity.then(|| ts(session.last_activity_at));
    let params: [&dyn Param; 9] = [
        &session.org_id,
        &session.id,
        &elevated,
        &counts[0],
        &counts[1],
        &counts[2],
        &counts[3],
        &session.head,
        &last_activity,
    ];
    let params = if activity { &params[..] } else { &params[..8] };
    if let Some(guess) = db.take_guess() {
        record_guessed(db, decision, params, &guess, activity)?;
    } else {
        decision.with_params(&mut |first| {
            let mut all: Vec<&dyn Param> = Vec::with_capacity(first.len() + params.len());
            all.extend_from_slice(first);
            all.extend_from_slice(params);
            // Nothing reads its count: on PostgreSQL it goes with the next statement.
            db.exec_deferred(sql, &all).map(|()| 0)
        })?;
    }
    db.recorded(session);
    Ok(())
}

/// The first statements of the hot paths' transactions on PostgreSQL: each is sent with its
/// transaction's `BEGIN` (`crate::postgres_conn`).
#[cfg(test)]
pub(crate) fn first_statements() -> Vec<(&'static str, String)> {
    let mut all = Vec::new();
    for lock in ["", SKIP, "FOR UPDATE", "FOR UPDATE NOWAIT"] {
        all.push(("the joined read", joined(lock, None)));
        all.push(("the keyed joined read", joined(lock, Some(KEY_ORG))));
        all.push((
            "the unproven keyed joined read",
            joined(lock, Some(KEY_ORG_UNPROVEN)),
        ));
    }
    for named in [true, false] {
        all.push(("the gateway's read", gateway_joined(named)));
    }
    all.push(("the key read", key_read()));
    all
}

/// The check's writes: never sent before their transaction's `BEGIN` has succeeded.
#[cfg(test)]
pub(crate) fn writes() -> Vec<(&'static str, String)> {
    vec![
        ("the decision's record", record_joined(true)),
        (
            "the decision's record without activity",
            record_joined(false),
        ),
    ]
}

#[cfg(test)]
#[path = "check_reads_tests.rs"]
mod tests;
