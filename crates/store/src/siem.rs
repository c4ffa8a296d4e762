//! SIEM streaming: destinations, the outbox of events written in each decision's own
//! transaction, and the log of delivery attempts (docs/siem.md). Queries written once for both
//! backends, like `queries.rs`.

use chrono::{DateTime, Utc};

use crate::model::ts;
use crate::record::{Record, unsigned};
use crate::sql::{Db, Param};
use crate::tx::Result;

/// A SIEM destination of an organization. `auth_token` is the stored (encrypted) form.
#[derive(Debug, Clone, PartialEq)]
pub struct SiemDestination {
    pub id: String,
    pub org_id: String,
    pub name: String,
    /// `webhook` or `splunk_hec`.
    pub destination_type: String,
    pub endpoint_url: String,
    /// Encrypted at rest by the server (empty: no token); never the token itself.
    pub auth_token: String,
    /// The token's last characters, for the masked answer (empty: no token).
    pub token_hint: String,
    pub is_active: bool,
    pub batch_size: u64,
    pub flush_interval_seconds: u64,
    /// Event types delivered; empty: every type.
    pub filter_event_types: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One delivery attempt.
#[derive(Debug, Clone, PartialEq)]
pub struct SiemDelivery {
    pub id: String,
    pub org_id: String,
    pub destination_id: String,
    pub batch_size: u64,
    /// `success` or `failed`.
    pub status: String,
    /// The HTTP status; 0 when there was no answer.
    pub status_code: u64,
    pub error_message: String,
    pub delivered_at: DateTime<Utc>,
}

/// What a check needs to know of an active destination: its filter and last seen backlog.
#[derive(Debug, Clone, PartialEq)]
pub struct SiemTarget {
    pub id: String,
    pub filter_event_types: Vec<String>,
    pub backlog: u64,
}

/// An event waiting in the outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEvent {
    /// Its place in the destination's delivery order.
    pub id: u64,
    pub destination_id: String,
    pub org_id: String,
    pub session_id: String,
    pub seq: u64,
    /// The idempotency key.
    pub check_id: String,
    pub event_type: String,
    /// The event, as JSON text.
    pub event: String,
    pub created_at: DateTime<Utc>,
}

fn n(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

pub(crate) fn destinations<D: Db>(db: &mut D, org_id: &str) -> Result<Vec<SiemDestination>> {
    let sql = select!(SiemDestination, "WHERE org_id = $1 ORDER BY created_at, id");
    db.many(sql, &[&org_id], SiemDestination::read)
}

pub(crate) fn destination<D: Db>(
    db: &mut D,
    org_id: &str,
    id: &str,
) -> Result<Option<SiemDestination>> {
    let sql = select!(SiemDestination, "WHERE org_id = $1 AND id = $2");
    db.one(sql, &[&org_id, &id], SiemDestination::read)
}

pub(crate) fn active_destinations<D: Db>(db: &mut D) -> Result<Vec<SiemDestination>> {
    let sql = select!(SiemDestination, "WHERE is_active ORDER BY id");
    db.many(sql, &[], SiemDestination::read)
}

pub(crate) fn update_destination<D: Db>(db: &mut D, d: &SiemDestination) -> Result<bool> {
    let sql = sql!(
        "UPDATE siem_destinations SET name = $3, endpoint_url = $4, auth_token = $5, \
         token_hint = $6, is_active = $7, batch_size = $8, flush_interval_seconds = $9, \
         filter_event_types = $10, updated_at = $11 WHERE org_id = $1 AND id = $2"
    );
    let filter = serde_json::to_string(&d.filter_event_types)
        .map_err(|e| crate::StoreError::Corrupt(e.to_string()))?;
    let params: [&dyn Param; 11] = [
        &d.org_id,
        &d.id,
        &d.name,
        &d.endpoint_url,
        &d.auth_token,
        &d.token_hint,
        &d.is_active,
        &n(d.batch_size),
        &n(d.flush_interval_seconds),
        &filter,
        &ts(d.updated_at),
    ];
    Ok(db.exec(sql, &params)? > 0)
}

pub(crate) fn delete_destination<D: Db>(db: &mut D, org_id: &str, id: &str) -> Result<bool> {
    let gone = db.exec(
        sql!("DELETE FROM siem_destinations WHERE org_id = $1 AND id = $2"),
        &[&org_id, &id],
    )? > 0;
    if gone {
        db.exec(
            sql!("DELETE FROM siem_outbox WHERE org_id = $1 AND destination_id = $2"),
            &[&org_id, &id],
        )?;
        db.exec(
            sql!("DELETE FROM siem_deliveries WHERE org_id = $1 AND destination_id = $2"),
            &[&org_id, &id],
        )?;
    }
    Ok(gone)
}

/// The check path's one query: the organization's active destinations (an index range).
pub(crate) fn targets<D: Db>(db: &mut D, org_id: &str) -> Result<Vec<SiemTarget>> {
    let sql = sql!(
        "SELECT id, filter_event_types, backlog FROM siem_destinations \
         WHERE org_id = $1 AND is_active"
    );
    db.many(sql, &[&org_id], |r| {
        Ok(SiemTarget {
            id: r.get_str(0)?,
            filter_event_types: serde_json::from_str(&r.get_str(1)?)
                .map_err(|e| crate::StoreError::Corrupt(e.to_string()))?,
            backlog: unsigned(r.get_i64(2)?)?,
        })
    })
}

pub(crate) fn insert_event<D: Db>(db: &mut D, e: &OutboxEvent) -> Result<()> {
    let sql = sql!(
        "INSERT INTO siem_outbox (destination_id, org_id, session_id, seq, check_id, \
         event_type, event, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    );
    let params: [&dyn Param; 8] = [
        &e.destination_id,
        &e.org_id,
        &e.session_id,
        &n(e.seq),
        &e.check_id,
        &e.event_type,
        &e.event,
        &ts(e.created_at),
    ];
    db.exec(sql, &params).map(drop)
}

/// The oldest `limit` events of a destination, in delivery order.
pub(crate) fn batch<D: Db>(
    db: &mut D,
    destination_id: &str,
    limit: u64,
) -> Result<Vec<OutboxEvent>> {
    let sql = sql!(
        "SELECT id, destination_id, org_id, session_id, seq, check_id, event_type, event, \
         created_at FROM siem_outbox WHERE destination_id = $1 ORDER BY id LIMIT $2"
    );
    db.many(sql, &[&destination_id, &n(limit)], |r| {
        Ok(OutboxEvent {
            id: unsigned(r.get_i64(0)?)?,
            destination_id: r.get_str(1)?,
            org_id: r.get_str(2)?,
            session_id: r.get_str(3)?,
            seq: unsigned(r.get_i64(4)?)?,
            check_id: r.get_str(5)?,
            event_type: r.get_str(6)?,
            event: r.get_str(7)?,
            created_at: crate::record::time(&r.get_str(8)?)?,
        })
    })
}

/// Deletes delivered events by id (never by range: on PostgreSQL a lower id may commit
/// after a higher one was read).
pub(crate) fn delete_events<D: Db>(db: &mut D, destination_id: &str, ids: &[u64]) -> Result<u64> {
    let sql = sql!("DELETE FROM siem_outbox WHERE destination_id = $1 AND id = $2");
    let mut deleted = 0;
    for id in ids {
        deleted += db.exec(sql, &[&destination_id, &n(*id)])?;
    }
    Ok(deleted)
}

/// Every destination's outbox size (destinations with none are absent).
pub(crate) fn backlogs<D: Db>(db: &mut D) -> Result<Vec<(String, u64)>> {
    let sql = sql!("SELECT destination_id, count(*) FROM siem_outbox GROUP BY destination_id");
    db.many(sql, &[], |r| Ok((r.get_str(0)?, unsigned(r.get_i64(1)?)?)))
}

/// Stores a destination's outbox count only where it crosses `bound` (the stored count under
/// it and the new one at or over it, or the other way round). A check reads the column only to
/// compare it with the bound, and every write of it bumps the organization's version, which
/// makes each PostgreSQL replica read the organization's rows again at its next check: written
/// at every change, a busy destination would do that once a second.
pub(crate) fn set_backlog<D: Db>(db: &mut D, id: &str, backlog: u64, bound: u64) -> Result<()> {
    let sql = sql!(
        "UPDATE siem_destinations SET backlog = $2 \
         WHERE id = $1 AND backlog <> $2 AND (backlog >= $3) <> ($2 >= $3)"
    );
    db.exec(sql, &[&id, &n(backlog), &n(bound)]).map(drop)
}

/// Takes or renews the delivery lease of a destination: true when `owner` holds it until
/// `until`. A conditional update, so two replicas never both hold it.
pub(crate) fn take_lease<D: Db>(
    db: &mut D,
    id: &str,
    owner: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<bool> {
    let sql = sql!(
        "UPDATE siem_destinations SET lease_owner = $2, lease_until = $4 WHERE id = $1 \
         AND (lease_owner IS NULL OR lease_owner = $2 OR lease_until IS NULL OR lease_until < $3)"
    );
    Ok(db.exec(sql, &[&id, &owner, &ts(now), &ts(until)])? > 0)
}

pub(crate) fn deliveries<D: Db>(
    db: &mut D,
    org_id: &str,
    destination_id: &str,
    limit: u64,
) -> Result<Vec<SiemDelivery>> {
    let sql = select!(
        SiemDelivery,
        "WHERE org_id = $1 AND destination_id = $2 ORDER BY delivered_at DESC, id DESC LIMIT $3"
    );
    db.many(
        sql,
        &[&org_id, &destination_id, &n(limit)],
        SiemDelivery::read,
    )
}
