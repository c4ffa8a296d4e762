//! SIEM streaming destinations (`/api/v1/siem/destinations`, admin keys only) and the
//! outbox rows each decision writes in its own transaction (docs/siem.md). Delivery is in
//! `siem_delivery.rs`.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use chrono::Utc;
use serde_json::{Value, json};

use airlock_core::pipeline::Verdict;
use airlock_outbound::{OutboundError, parse_url};
use airlock_store::model::{Decision, ts};
use airlock_store::siem::{OutboxEvent, SiemTarget};
pub use airlock_store::siem::{SiemDelivery, SiemDestination};
use airlock_store::{StoreError, Tx};

use super::{Caller, Service, ServiceError, validate};
use crate::Config;
use crate::auth::new_id;

pub use super::siem_key::SiemKey;

/// The most destinations one organization may have.
pub const MAX_DESTINATIONS: usize = 16;
pub const MAX_NAME: usize = 128;
pub const MAX_TOKEN: usize = 4096;
pub const MAX_BATCH_SIZE: u64 = 1000;
pub const DEFAULT_BATCH_SIZE: u64 = 100;
pub const MAX_FLUSH_SECS: u64 = 300;
pub const DEFAULT_FLUSH_SECS: u64 = 5;
/// How many delivery attempts `GET …/logs` answers, newest first.
pub const MAX_LOGS: u64 = 200;
/// The event types a filter may name. A decision is a `decision` and one of
/// `decision.allowed` / `decision.denied`; one that opened an approval is also an
/// `approval.requested`. `*` (or an empty filter) takes every event.
pub const EVENT_TYPES: &[&str] = &[
    "*",
    "decision",
    "decision.allowed",
    "decision.denied",
    "approval.requested",
];
const MAX_FILTERS: usize = EVENT_TYPES.len();
const ADMIN: &str = "manage SIEM destinations";

/// Events dropped because their destination's backlog was over the bound, per destination,
/// since this process started. Written only when dropping (off the normal check path); the
/// delivery worker moves the counts into the metrics and logs them once per interval.
static DROPPED: LazyLock<Mutex<HashMap<String, u64>>> = LazyLock::new(Mutex::default);

pub(crate) fn dropped_counts() -> HashMap<String, u64> {
    DROPPED.lock().unwrap_or_else(|e| e.into_inner()).clone()
}

fn count_dropped(destination: &str) {
    let mut map = DROPPED.lock().unwrap_or_else(|e| e.into_inner());
    *map.entry(destination.to_string()).or_default() += 1;
}

/// A destination as asked for.
#[derive(Debug, Clone, Default)]
pub struct NewDestination {
    pub name: String,
    pub destination_type: String,
    pub endpoint_url: String,
    pub auth_token: Option<String>,
    pub batch_size: Option<u64>,
    pub flush_interval_seconds: Option<u64>,
    pub filter_event_types: Option<Vec<String>>,
}

/// A partial update: absent fields keep their value.
#[derive(Debug, Clone, Default)]
pub struct DestinationUpdate {
    pub name: Option<String>,
    pub endpoint_url: Option<String>,
    /// An empty string removes the token.
    pub auth_token: Option<String>,
    pub is_active: Option<bool>,
    pub batch_size: Option<u64>,
    pub flush_interval_seconds: Option<u64>,
    pub filter_event_types: Option<Vec<String>>,
}

/// The result of `POST …/{id}/test`.
#[derive(Debug, Clone, PartialEq)]
pub struct TestDelivery {
    pub success: bool,
    pub status_code: u16,
    pub error_message: String,
}

/// `splunk` is accepted as another name of `splunk_hec`.
fn destination_type(raw: &str) -> Result<&'static str, ServiceError> {
    match raw.trim() {
        "webhook" => Ok("webhook"),
        "splunk_hec" | "splunk" => Ok("splunk_hec"),
        "" => Err(ServiceError::invalid_as(
            "destination_type",
            super::InvalidKind::Missing,
            "`destination_type` is required: webhook or splunk_hec",
        )),
        _ => Err(ServiceError::invalid(
            "destination_type",
            "`destination_type` must be webhook, splunk_hec or splunk",
        )),
    }
}

fn name(raw: &str) -> Result<String, ServiceError> {
    let v = validate::text("name", raw, MAX_NAME)?;
    Ok(v.to_string())
}

fn endpoint(config: &Config, raw: &str) -> Result<String, ServiceError> {
    let url = validate::text("endpoint_url", raw, validate::MAX_URL)?;
    let parsed = parse_url(url)
        .map_err(|e| ServiceError::invalid("endpoint_url", format!("`endpoint_url`: {e}")))?;
    if config.deny_private_webhooks
        && let Some(ip) = literal_ip(&parsed)
        && airlock_outbound::is_private(ip)
    {
        return Err(ServiceError::invalid(
            "endpoint_url",
            format!(
                "`endpoint_url`: {}",
                OutboundError::PrivateAddress(ip.to_string())
            ),
        ));
    }
    Ok(url.to_string())
}

fn literal_ip(url: &url::Url) -> Option<std::net::IpAddr> {
    match url.host()? {
        url::Host::Ipv4(ip) => Some(ip.into()),
        url::Host::Ipv6(ip) => Some(ip.into()),
        url::Host::Domain(_) => None,
    }
}

fn ranged(field: &str, value: Option<u64>, max: u64, default: u64) -> Result<u64, ServiceError> {
    match value {
        None => Ok(default),
        Some(v) if (1..=max).contains(&v) => Ok(v),
        Some(_) => Err(ServiceError::invalid(
            field,
            format!("`{field}` must be 1 to {max}"),
        )),
    }
}

fn filters(raw: Option<Vec<String>>) -> Result<Vec<String>, ServiceError> {
    let raw = raw.unwrap_or_default();
    if raw.len() > MAX_FILTERS {
        return Err(ServiceError::invalid(
            "filter_event_types",
            format!("`filter_event_types` has at most {MAX_FILTERS} entries"),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for t in raw {
        let t = t.trim();
        if !EVENT_TYPES.contains(&t) {
            return Err(ServiceError::invalid(
                "filter_event_types",
                format!(
                    "`filter_event_types`: unknown event type `{}`: use {}",
                    super::clip(t, 64),
                    EVENT_TYPES.join(", ")
                ),
            ));
        }
        if !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    Ok(out)
}

/// A token goes into an HTTP header: printable, no spaces.
fn token(raw: &str) -> Result<&str, ServiceError> {
    if raw.len() > MAX_TOKEN || raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(ServiceError::invalid(
            "auth_token",
            format!("`auth_token` must be at most {MAX_TOKEN} printable characters without spaces"),
        ));
    }
    Ok(raw)
}

/// The last four characters of a token long enough to show them without giving it away.
fn token_hint(token: &str) -> String {
    let n = token.chars().count();
    if n < 12 {
        return String::new();
    }
    token.chars().skip(n - 4).collect()
}

/// How a token is answered: never in full.
pub fn masked_token(d: &SiemDestination) -> String {
    if d.auth_token.is_empty() {
        String::new()
    } else {
        format!("****{}", d.token_hint)
    }
}

impl Service {
    fn siem_key(&self) -> Result<&SiemKey, ServiceError> {
        self.config().siem_key.as_ref().ok_or_else(|| {
            ServiceError::Conflict(
                "this server has no SIEM key, so it cannot store an auth_token: start it with \
                 --siem-key-file or AIRLOCK_SIEM_SECRET"
                    .into(),
            )
        })
    }

    /// Sets or clears the stored (encrypted) token of `d`.
    fn set_token(&self, d: &mut SiemDestination, raw: &str) -> Result<(), ServiceError> {
        let raw = token(raw)?;
        if raw.is_empty() {
            d.auth_token.clear();
            d.token_hint.clear();
            return Ok(());
        }
        d.auth_token = self.siem_key()?.encrypt(&d.id, raw);
        d.token_hint = token_hint(raw);
        Ok(())
    }

    /// The token of a destination, decrypted (empty: none). Never logged.
    pub(crate) fn siem_token(&self, d: &SiemDestination) -> Result<String, ServiceError> {
        if d.auth_token.is_empty() {
            return Ok(String::new());
        }
        self.siem_key()?
            .decrypt(&d.id, &d.auth_token)
            .ok_or_else(|| {
                ServiceError::Conflict(
                    "the stored auth_token cannot be decrypted with this server's SIEM key".into(),
                )
            })
    }

    pub async fn create_siem_destination(
        &self,
        caller: &Caller,
        new: NewDestination,
    ) -> Result<SiemDestination, ServiceError> {
        caller.require_admin(ADMIN)?;
        let now = Utc::now();
        let mut d = SiemDestination {
            id: new_id("siem"),
            org_id: caller.org_id.clone(),
            name: name(&new.name)?,
            destination_type: destination_type(&new.destination_type)?.to_string(),
            endpoint_url: endpoint(self.config(), &new.endpoint_url)?,
            auth_token: String::new(),
            token_hint: String::new(),
            is_active: true,
            batch_size: ranged(
                "batch_size",
                new.batch_size,
                MAX_BATCH_SIZE,
                DEFAULT_BATCH_SIZE,
            )?,
            flush_interval_seconds: ranged(
                "flush_interval_seconds",
                new.flush_interval_seconds,
                MAX_FLUSH_SECS,
                DEFAULT_FLUSH_SECS,
            )?,
            filter_event_types: filters(new.filter_event_types)?,
            created_at: now,
            updated_at: now,
        };
        if let Some(t) = new.auth_token.as_deref() {
            self.set_token(&mut d, t)?;
        }
        let row = d.clone();
        let created = self
            .store()
            .run(move |tx| {
                if tx.siem_destinations(&row.org_id)?.len() >= MAX_DESTINATIONS {
                    return Ok(false);
                }
                tx.insert_siem_destination(&row).map(|()| true)
            })
            .await?;
        if !created {
            return Err(ServiceError::Conflict(format!(
                "an organization has at most {MAX_DESTINATIONS} SIEM destinations"
            )));
        }
        Ok(d)
    }

    pub async fn siem_destinations(
        &self,
        caller: &Caller,
    ) -> Result<Vec<SiemDestination>, ServiceError> {
        caller.require_admin(ADMIN)?;
        let org = caller.org_id.clone();
        Ok(self
            .store()
            .run(move |tx| tx.siem_destinations(&org))
            .await?)
    }

    pub async fn siem_destination(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<SiemDestination, ServiceError> {
        caller.require_admin(ADMIN)?;
        let (org, key) = (caller.org_id.clone(), id.to_string());
        self.store()
            .run(move |tx| tx.siem_destination(&org, &key))
            .await?
            .ok_or_else(|| ServiceError::not_found("SIEM destination", id))
    }

    pub async fn update_siem_destination(
        &self,
        caller: &Caller,
        id: &str,
        update: DestinationUpdate,
    ) -> Result<SiemDestination, ServiceError> {
        let mut d = self.siem_destination(caller, id).await?;
        if let Some(v) = &update.name {
            d.name = name(v)?;
        }
        if let Some(v) = &update.endpoint_url {
            d.endpoint_url = endpoint(self.config(), v)?;
        }
        if let Some(v) = update.is_active {
            d.is_active = v;
        }
        if update.batch_size.is_some() {
            d.batch_size = ranged("batch_size", update.batch_size, MAX_BATCH_SIZE, 0)?;
        }
        if update.flush_interval_seconds.is_some() {
            d.flush_interval_seconds = ranged(
                "flush_interval_seconds",
                update.flush_interval_seconds,
                MAX_FLUSH_SECS,
                0,
            )?;
        }
        if update.filter_event_types.is_some() {
            d.filter_event_types = filters(update.filter_event_types)?;
        }
        if let Some(t) = update.auth_token.as_deref() {
            self.set_token(&mut d, t)?;
        }
        d.updated_at = Utc::now();
        let row = d.clone();
        let updated = self
            .store()
            .run(move |tx| tx.update_siem_destination(&row))
            .await?;
        if updated {
            Ok(d)
        } else {
            Err(ServiceError::not_found("SIEM destination", id))
        }
    }

    pub async fn delete_siem_destination(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<(), ServiceError> {
        caller.require_admin(ADMIN)?;
        let (org, key) = (caller.org_id.clone(), id.to_string());
        let deleted = self
            .store()
            .run(move |tx| tx.delete_siem_destination(&org, &key))
            .await?;
        if deleted {
            Ok(())
        } else {
            Err(ServiceError::not_found("SIEM destination", id))
        }
    }

    pub async fn siem_delivery_logs(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<Vec<SiemDelivery>, ServiceError> {
        let d = self.siem_destination(caller, id).await?;
        Ok(self
            .store()
            .run(move |tx| tx.siem_deliveries(&d.org_id, &d.id, MAX_LOGS))
            .await?)
    }

    /// Sends one synthetic event now and answers how the destination took it; the attempt is
    /// logged like any other.
    pub async fn test_siem_destination(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<TestDelivery, ServiceError> {
        let d = self.siem_destination(caller, id).await?;
        let token = self.siem_token(&d)?;
        let now = Utc::now();
        let check_id = new_id("test");
        let event = json!({
            "event_type": "test",
            "idempotency_key": check_id,
            "check_id": check_id,
            "org_id": d.org_id,
            "message": "airlock SIEM destination test",
            "decided_at": ts(now),
        });
        let out = super::siem_delivery::deliver_now(self, &d, &token, &[event]).await;
        Ok(TestDelivery {
            success: out.ok,
            status_code: out.status_code,
            error_message: out.error,
        })
    }
}

/// The event types of a decision, most specific first.
fn event_types(verdict: &Verdict) -> [&'static str; 3] {
    let outcome = if verdict.allowed {
        "decision.allowed"
    } else {
        "decision.denied"
    };
    let approval = if verdict.approval.as_ref().is_some_and(|a| a.new) {
        "approval.requested"
    } else {
        ""
    };
    [approval, outcome, "decision"]
}

fn accepts(filter: &[String], types: &[&str]) -> bool {
    filter.is_empty()
        || filter
            .iter()
            .any(|f| f == "*" || types.iter().any(|t| !t.is_empty() && f == t))
}

/// The event a decision becomes.
fn event(d: &Decision, event_type: &str) -> Value {
    json!({
        "event_type": event_type,
        "idempotency_key": d.check_id,
        "check_id": d.check_id,
        "org_id": d.org_id,
        "session_id": d.session_id,
        "seq": d.seq,
        "agent_id": d.agent_id,
        "action_name": d.action_name,
        "effect": d.effect,
        "risk": d.risk,
        "allowed": d.allowed,
        "rule": d.rule,
        "reason": d.reason,
        "reasons": d.reasons,
        "guard_tier": d.guard_tier,
        "confidence": d.confidence,
        "input_digest": d.input_digest,
        "input_summary": d.input_summary,
        "approval_id": d.approval_id,
        "source": d.source,
        "latency_us": d.latency_us,
        "decided_at": ts(d.decided_at),
        "hash": d.hash,
    })
}

/// Writes the decision's outbox rows, in the decision's own transaction: one per active
/// destination of the organization whose filter takes it. A destination whose backlog is at
/// the bound gets none (the drop is counted). `targets`: the organization's active destinations, read in the same
/// transaction (`Tx::siem_targets`, or with the check's other reads).
pub(crate) fn enqueue(
    tx: &mut dyn Tx,
    targets: Vec<SiemTarget>,
    decision: &Decision,
    verdict: &Verdict,
    config: &Config,
) -> Result<(), StoreError> {
    if targets.is_empty() {
        return Ok(());
    }
    let types = event_types(verdict);
    let event_type = types
        .iter()
        .find(|t| !t.is_empty())
        .copied()
        .unwrap_or("decision");
    let mut text: Option<String> = None;
    for t in targets {
        if !accepts(&t.filter_event_types, &types) {
            continue;
        }
        if t.backlog >= config.siem_max_backlog {
            count_dropped(&t.id);
            continue;
        }
        let body = text
            .get_or_insert_with(|| event(decision, event_type).to_string())
            .clone();
        tx.insert_siem_event(&OutboxEvent {
            id: 0,
            destination_id: t.id,
            org_id: decision.org_id.clone(),
            session_id: decision.session_id.clone(),
            seq: decision.seq,
            check_id: decision.check_id.clone(),
            event_type: event_type.to_string(),
            event: body,
            created_at: decision.decided_at,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_take_their_types() {
        let d = ["decision.denied".to_string()];
        assert!(accepts(&d, &["", "decision.denied", "decision"]));
        assert!(!accepts(&d, &["", "decision.allowed", "decision"]));
        assert!(accepts(&[], &["", "decision.allowed", "decision"]));
        assert!(accepts(
            &["*".to_string()],
            &["", "decision.allowed", "decision"]
        ));
        assert!(!accepts(
            &["approval.requested".to_string()],
            &["", "decision.allowed", "decision"]
        ));
    }

    #[test]
    fn hints_show_only_the_tail_of_long_tokens() {
        assert_eq!(token_hint("short"), "");
        assert_eq!(token_hint("0123456789abcdef"), "cdef");
    }
}
