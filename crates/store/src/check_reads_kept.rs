//! The short read of a check whose other reads a PostgreSQL worker keeps
//! ([`crate::org_cache`]): the organization's version and the session, and the answer made of
//! the kept parts when that version is theirs.

use super::{busy, columns_of, packed, session_set, text_or_null, width};
use crate::model::{Decision, Session};
use std::sync::Mutex;

use crate::org_cache::{Guess, OrgCache, lock};
use crate::record::Record;
use crate::sql::{Db, Param, Result, Row};
use crate::tx::CheckReads;

/// The short read of a check whose other reads are kept ([`crate::org_cache`]): the
/// organization's version and the session, locked by `lock` as [`super::joined`] locks it.
/// Parameters: organization (with `key_org`, the key's hash), session. Columns: with
/// `SKIP LOCKED`, whether the session was skipped ([`super::busy`]); with `key_org`, the
/// key's organization; then the version, the session and whether it may have approvals.
pub(super) fn short(lock: &str, key_org: Option<&str>) -> String {
    let (with, org, key) = match key_org {
        Some(key_org) => (
            format!("WITH o AS ({key_org}), "),
            "(SELECT org_id FROM o)",
            "(SELECT org_id FROM o), ",
        ),
        None => ("WITH ".to_string(), "$1", ""),
    };
    let busy = busy(lock, org, "$2");
    format!(
        "{with}s AS (SELECT {session}, may_have_approvals FROM sessions \
         WHERE org_id = {org} AND id = $2 {lock}) \
         SELECT {busy}{key}\
         (SELECT x.version FROM org_versions AS x WHERE x.org_id = {org}), \
         ROW({s}), coalesce(s.may_have_approvals, TRUE) \
         FROM (SELECT 1 AS one) AS one LEFT JOIN s ON TRUE",
        session = Session::COLUMNS,
        s = columns_of("s", Session::COLUMNS),
    )
}

/// What a short read ([`short`]) read.
pub(super) struct Short {
    /// The key's organization (a keyed read; none for an unkeyed one, or a refused key).
    pub(super) org: Option<String>,
    version: Option<String>,
    session: Option<Session>,
    may_have_approvals: bool,
}

/// The short read's columns from `from` on; `keyed`: the first is the key's organization.
pub(super) fn read_short(row: &dyn Row, from: usize, keyed: bool) -> Result<Short> {
    let at = from + usize::from(keyed);
    let org = if keyed {
        text_or_null(row, from)?
    } else {
        None
    };
    Ok(Short {
        org,
        version: text_or_null(row, at)?,
        session: packed::<Session>(row, at + 1)?,
        may_have_approvals: row.get_bool(at + 2)?,
    })
}

/// The check's reads from the rows `cache` kept at the version the short read read, for the
/// server of the session it read; none when one of them is not kept at that version (then the
/// joined read runs).
pub(super) fn answer(
    cache: Option<&Mutex<OrgCache>>,
    (org_id, at): (&str, Option<&str>),
    agent_id: &str,
    action_name: &str,
    short: Short,
) -> Option<CheckReads> {
    let version = short.version.as_deref()?;
    // A key kept at another version than the one read is not answered with.
    if at.is_some_and(|at| at != version) {
        return None;
    }
    let server = short.session.as_ref().and_then(|s| s.server_id.as_deref());
    let parts = lock(cache?).parts(org_id, version, agent_id, server, action_name)?;
    Some(parts.reads(short.session, short.may_have_approvals))
}

/// A check's reads guessed from `cache` before any statement ([`OrgCache::guess`]), at
/// version `at` when given, where the transaction may guess ([`Db::may_guess`]); the guess is
/// noted for the record to prove ([`record_guessed`]).
pub(super) fn guess<D: Db>(
    db: &mut D,
    cache: Option<&Mutex<OrgCache>>,
    (org_id, at): (&str, Option<&str>),
    agent_id: &str,
    session_id: &str,
    action_name: &str,
) -> Option<CheckReads> {
    if !db.may_guess() {
        return None;
    }
    let guessed = lock(cache?).guess(org_id, at, agent_id, session_id, action_name);
    let (reads, guess) = guessed?;
    db.guessed(guess);
    Some(reads)
}

/// The record of a guessed check: the decision's insert and the session's update, as
/// [`super::record_decision`] writes them, made only where the session's row is as guessed
/// (every column, and its approvals flag), no other transaction holds its lock, and the
/// organization is at the version the other reads were kept at. The lock is taken as the
/// row is compared (`FOR UPDATE`, re-read at its newest version), never waited for.
/// Parameters: the decision's, the session's update's, then the guessed session's columns,
/// its approvals flag and the version.
fn guessed_sql(activity: bool) -> String {
    let first = width::<Decision>() + 1;
    let guessed = first + if activity { 9 } else { 8 };
    let columns: Vec<&str> = Session::COLUMNS.split(", ").collect();
    let same: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("c.{c} IS NOT DISTINCT FROM ${}", guessed + i))
        .collect();
    let flag = guessed + columns.len();
    let values: Vec<String> = (1..first).map(|n| format!("${n}")).collect();
    format!(
        "WITH l AS (SELECT 1 FROM sessions AS c WHERE c.org_id = ${org} AND c.id = ${id} \
         AND {same} AND c.may_have_approvals = ${flag} \
         AND (SELECT x.version FROM org_versions AS x WHERE x.org_id = ${org}) = ${version} \
         FOR UPDATE OF c SKIP LOCKED), \
         s AS ({update} AND EXISTS (SELECT 1 FROM l) RETURNING 1) \
         INSERT INTO {table} ({decision}) SELECT {values} FROM s",
        org = first,
        id = first + 1,
        same = same.join(" AND "),
        version = flag + 1,
        update = session_set(first, activity),
        table = Decision::TABLE,
        decision = Decision::COLUMNS,
        values = values.join(", "),
    )
}

/// Records a guessed check ([`guessed_sql`]); `update` binds the session's update. A guess
/// the statement does not find as guessed wrote nothing: the attempt is stale
/// ([`Db::stale`]) and runs again, reading.
pub(super) fn record_guessed<D: Db>(
    db: &mut D,
    decision: &Decision,
    update: &[&dyn Param],
    guess: &Guess,
    activity: bool,
) -> Result<()> {
    let sql = if activity {
        sql!(|_d| guessed_sql(true))
    } else {
        sql!(|_d| guessed_sql(false))
    };
    let recorded = decision.with_params(&mut |first| {
        guess.kept.session.with_params(&mut |kept| {
            let mut all: Vec<&dyn Param> =
                Vec::with_capacity(first.len() + update.len() + kept.len() + 2);
            all.extend_from_slice(first);
            all.extend_from_slice(update);
            all.extend_from_slice(kept);
            all.push(&guess.kept.may_have_approvals);
            all.push(&guess.version);
            db.exec(sql, &all)
        })
    })?;
    if recorded == 0 {
        // Read again, and kept again by the record that follows.
        if let Some(cache) = db.org_cache() {
            let session = &guess.kept.session;
            lock(&cache).forget_session(&session.org_id, &session.id);
        }
        return Err(db.stale());
    }
    Ok(())
}
