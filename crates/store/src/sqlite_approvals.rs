//! The open approvals of a session, kept by SQLite's single writer between requests: the
//! rows a check's approvals read can select (call approvals pending or approved and unused,
//! pending elevations), as stored.
//!
//! A session's list is read once, whole (one statement instead of the check's per-input
//! one), and answered from memory after that. The only write that keeps the lists is an
//! approval's insert by `Tx::insert_approval`, which adds the new row to its session's list
//! as stored; any other write naming `approvals` (a decision, a use, a hand-written update)
//! drops every list, as do a rollback, a batch that did not commit and another process's
//! commit (`crate::sqlite_cache`, which owns this).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};

use crate::model::{Approval, ts};
use crate::queries::{OPEN_CALL_APPROVALS, PENDING_ELEVATION, pick_approvals};
use crate::sql::{Db, Param, Result};
use crate::tx::SessionApprovals;

/// An approval a check may use or reuse, as its row is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OpenApproval {
    pub(crate) id: String,
    pub(crate) status: String,
    pub(crate) expires_at: String,
    pub(crate) created_at: String,
    pub(crate) kind: String,
    pub(crate) input_digest: String,
    pub(crate) action_name: String,
}

impl OpenApproval {
    /// The approval as its row reads, when the open-approvals statement selects it
    /// ([`OPEN_CALL_APPROVALS`] or [`PENDING_ELEVATION`]).
    fn of(a: &Approval) -> Option<OpenApproval> {
        let open = match a.kind.as_str() {
            "call" => matches!(a.status.as_str(), "pending" | "approved") && a.used_at.is_none(),
            "elevation" => a.status == "pending",
            _ => false,
        };
        open.then(|| OpenApproval {
            id: a.id.clone(),
            status: a.status.clone(),
            expires_at: ts(a.expires_at),
            created_at: ts(a.created_at),
            kind: a.kind.clone(),
            input_digest: a.input_digest.clone(),
            action_name: a.action_name.clone(),
        })
    }

    /// Whether the check's approvals statement for this call selects the row.
    fn selected(&self, action_name: &str, input_digest: &str) -> bool {
        self.kind == "elevation"
            || (self.kind == "call"
                && self.input_digest == input_digest
                && self.action_name == action_name)
    }
}

/// Open approvals past which a session's list is not kept: its checks read their own input's
/// approvals, as without the lists (reading the whole list each time would cost more).
const MAX_PER_SESSION: usize = 64;
/// Rows kept in all, and sessions kept or marked crowded, beyond which the lists start again
/// empty (a session with no open approval keeps an empty list, which counts no row).
const MAX_ROWS: usize = 65_536;
const MAX_SESSIONS: usize = 16_384;

/// The kept lists, by session id (a list of another organization under the same id is a
/// miss).
#[derive(Default)]
pub(crate) struct KeptApprovals {
    sessions: HashMap<String, (String, Vec<OpenApproval>)>,
    rows: usize,
    /// The session whose approval `Tx::insert_approval` is inserting: its insert is the one
    /// write naming `approvals` that keeps the lists.
    inserting: Option<(String, String)>,
    /// Sessions with too many open approvals to keep, until the lists are next dropped (a
    /// hint: it only sends their checks to the per-input statement).
    crowded: HashSet<String>,
    /// Checks answered from a kept list (tests and benchmarks).
    pub(crate) hits: u64,
}

impl KeptApprovals {
    pub(crate) fn clear(&mut self) {
        self.sessions.clear();
        self.crowded.clear();
        self.rows = 0;
        // An announced insert that never came (its request failed first) exempts nothing.
        self.inserting = None;
    }

    pub(crate) fn crowded(&self, session_id: &str) -> bool {
        self.crowded.contains(session_id)
    }

    fn get(&self, org_id: &str, session_id: &str) -> Option<&[OpenApproval]> {
        self.sessions
            .get(session_id)
            .filter(|(org, _)| org == org_id)
            .map(|(_, list)| list.as_slice())
    }

    pub(crate) fn keep(&mut self, org_id: &str, session_id: &str, list: Vec<OpenApproval>) {
        if self.rows + list.len() > MAX_ROWS
            || self.sessions.len() >= MAX_SESSIONS
            || self.crowded.len() >= MAX_SESSIONS
        {
            self.clear();
        }
        if list.len() > MAX_PER_SESSION {
            self.crowded.insert(session_id.to_string());
            return;
        }
        self.rows += list.len();
        let old = self
            .sessions
            .insert(session_id.to_string(), (org_id.to_string(), list));
        if let Some((_, old)) = old {
            self.rows = self.rows.saturating_sub(old.len());
        }
    }

    /// A write naming `approvals` is about to run: it drops every list unless it is the
    /// insert `Tx::insert_approval` announced.
    pub(crate) fn before_write(&mut self, text: &str) {
        const INSERT: &str = "INSERT INTO approvals";
        let text = text.trim_start();
        let announced = self.inserting.is_some()
            && text
                .get(..INSERT.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(INSERT))
            && text
                .get(INSERT.len()..)
                .is_some_and(|rest| rest.starts_with([' ', '(']));
        if !announced {
            self.clear();
        }
    }

    pub(crate) fn expect_insert(&mut self, org_id: &str, session_id: &str) {
        self.inserting = Some((org_id.to_string(), session_id.to_string()));
    }

    /// After the announced insert: its row joins its session's list, if kept; a failed
    /// insert drops every list.
    pub(crate) fn inserted(&mut self, approval: &Approval, ok: bool) {
        let announced = self.inserting.take();
        if !ok
            || announced.as_ref() != Some(&(approval.org_id.clone(), approval.session_id.clone()))
        {
            self.clear();
            return;
        }
        let Some(open) = OpenApproval::of(approval) else {
            return;
        };
        let kept = self
            .sessions
            .get_mut(&approval.session_id)
            .filter(|(org, _)| *org == approval.org_id);
        if let Some((_, list)) = kept {
            list.push(open);
            self.rows += 1;
            if list.len() > MAX_PER_SESSION {
                self.rows = self.rows.saturating_sub(list.len());
                self.sessions.remove(&approval.session_id);
                self.crowded.insert(approval.session_id.clone());
            }
            if self.rows > MAX_ROWS || self.crowded.len() > MAX_SESSIONS {
                self.clear();
            }
        }
    }

    /// The kept rows the check's statement would select, as it reads them.
    pub(crate) fn selected(
        &mut self,
        org_id: &str,
        session_id: &str,
        action_name: &str,
        input_digest: &str,
    ) -> Option<Vec<ApprovalRow>> {
        let rows = selected_rows(self.get(org_id, session_id)?, action_name, input_digest);
        self.hits += 1;
        Some(rows)
    }
}

/// A row of the approvals statements: id, status, expiry, creation, kind.
pub(crate) type ApprovalRow = (String, String, String, String, String);

/// The rows of `list` the check's statement for this call selects, as it reads them.
fn selected_rows(list: &[OpenApproval], action_name: &str, input_digest: &str) -> Vec<ApprovalRow> {
    list.iter()
        .filter(|a| a.selected(action_name, input_digest))
        .map(|a| {
            (
                a.id.clone(),
                a.status.clone(),
                a.expires_at.clone(),
                a.created_at.clone(),
                a.kind.clone(),
            )
        })
        .collect()
}

/// A check's approvals from the writer's kept list (read whole on a miss), when this
/// connection keeps them; `None` where it does not (PostgreSQL, the cache turned off).
pub(crate) fn session_approvals_kept<D: Db>(
    db: &mut D,
    org_id: &str,
    session_id: &str,
    action_name: &str,
    input_digest: &str,
    now: DateTime<Utc>,
) -> Result<Option<SessionApprovals>> {
    if !db.keeps_approvals(session_id) {
        return Ok(None);
    }
    let now = ts(now);
    if let Some(rows) = db.kept_approvals(org_id, session_id, action_name, input_digest) {
        return Ok(Some(pick_approvals(rows, &now)));
    }
    // Every row either half of the check's statement could select, for any input.
    // At most one row past a list's bound: a session with more is read by input instead
    // (its expired approvals stay pending, so their number has no bound of its own).
    let sql = sql!(|d| format!(
        "SELECT id, status, expires_at, created_at, kind, input_digest, action_name FROM {} \
         WHERE org_id = $1 AND session_id = $2 AND (({OPEN_CALL_APPROVALS}) OR \
         ({PENDING_ELEVATION})) LIMIT {}",
        d.session_approvals,
        MAX_PER_SESSION + 1
    ));
    let params: [&dyn Param; 2] = [&org_id, &session_id];
    let list = db.many(sql, &params, |row| {
        Ok(OpenApproval {
            id: row.get_str(0)?,
            status: row.get_str(1)?,
            expires_at: row.get_str(2)?,
            created_at: row.get_str(3)?,
            kind: row.get_str(4)?,
            input_digest: row.get_str(5)?,
            action_name: row.get_str(6)?,
        })
    })?;
    if list.len() > MAX_PER_SESSION {
        // Cut short: not the whole list. Marked crowded; this check reads its own input's.
        db.keep_approvals(org_id, session_id, list);
        return Ok(None);
    }
    let rows = selected_rows(&list, action_name, input_digest);
    db.keep_approvals(org_id, session_id, list);
    Ok(Some(pick_approvals(rows, &now)))
}

#[cfg(test)]
#[path = "sqlite_approvals_tests.rs"]
mod tests;
