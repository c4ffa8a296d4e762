//! The short read of a check whose other reads a PostgreSQL worker keeps
//! ([`crate::org_cache`]): the organization's version and the session, and the answer made of
//! the kept parts when that version is theirs.

use super::{busy, columns_of, packed, text_or_null};
use crate::model::Session;
use std::sync::Mutex;

use crate::org_cache::{OrgCache, lock};
use crate::record::Record;
use crate::sql::{Result, Row};
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
    org_id: &str,
    agent_id: &str,
    action_name: &str,
    short: Short,
) -> Option<CheckReads> {
    let version = short.version.as_deref()?;
    let server = short.session.as_ref().and_then(|s| s.server_id.as_deref());
    let parts = lock(cache?).parts(org_id, version, agent_id, server, action_name)?;
    Some(parts.reads(short.session, short.may_have_approvals))
}
