//! Delivery of the SIEM outbox (docs/siem.md): one task per active destination sends its
//! oldest events in batches of up to `batch_size`, when a batch is full or its oldest event has
//! waited `flush_interval_seconds`. A batch is retried (exponential backoff with jitter,
//! capped) until the destination answers 2xx, and only then deleted, so nothing later
//! overtakes it: at least once, in outbox order, which is each session's order. Every attempt
//! is logged. With several replicas on one database, a destination is delivered by the holder
//! of its lease only. Runs on its own tasks: a check never waits for it.

use std::collections::HashMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use airlock_outbound::Post;
use airlock_store::siem::{OutboxEvent, SiemDelivery, SiemDestination};

use super::Service;
use crate::auth::new_id;

/// How long one delivery attempt may take.
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a lease lasts; renewed before every batch.
const LEASE: chrono::Duration = chrono::Duration::seconds(30);
/// How often destinations and backlogs are read again.
const REFRESH: Duration = Duration::from_secs(1);
/// How often drops are logged at most.
const DROP_LOG_EVERY: Duration = Duration::from_secs(10);
/// The longest error message kept in the delivery log.
const MAX_ERROR: usize = 500;

/// What one attempt came to.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    pub ok: bool,
    pub status_code: u16,
    pub error: String,
}

/// The request body of a batch, in the destination's format.
fn body(destination_type: &str, events: &[Value]) -> Vec<u8> {
    let mut out = Vec::new();
    for e in events {
        let line = if destination_type == "splunk_hec" {
            // HEC takes concatenated event objects; `time` is epoch seconds.
            let time = e["decided_at"]
                .as_str()
                .and_then(|t| DateTime::parse_from_rfc3339(t).ok())
                .map(|t| t.timestamp_micros() as f64 / 1e6)
                .unwrap_or_else(|| Utc::now().timestamp() as f64);
            json!({
                "time": time,
                "host": "airlock",
                "source": "airlock",
                "sourcetype": "airlock:decision",
                "event": e,
            })
            .to_string()
        } else {
            e.to_string()
        };
        out.extend_from_slice(line.as_bytes());
        out.push(b'\n');
    }
    out
}

fn authorization(destination_type: &str, token: &str) -> Option<String> {
    if token.is_empty() {
        None
    } else if destination_type == "splunk_hec" {
        Some(format!("Splunk {token}"))
    } else {
        Some(format!("Bearer {token}"))
    }
}

/// Sends `events` once and logs the attempt. Never logs the token or the URL.
async fn send(
    service: &Service,
    d: &SiemDestination,
    token: &str,
    events: &[Value],
    idempotency_key: String,
) -> Outcome {
    let Some(outbound) = service.outbound.clone() else {
        return Outcome {
            ok: false,
            status_code: 0,
            error: "the outbound http client is unavailable".into(),
        };
    };
    let mut headers = vec![
        ("idempotency-key".to_string(), idempotency_key),
        (
            "x-airlock-event-count".to_string(),
            events.len().to_string(),
        ),
    ];
    if let Some(a) = authorization(&d.destination_type, token) {
        headers.push(("authorization".into(), a));
    }
    let post = Post {
        url: d.endpoint_url.clone(),
        body: body(&d.destination_type, events),
        headers,
        timeout: ATTEMPT_TIMEOUT,
        secret: None,
    };
    let outcome = match outbound.post(&post).await {
        Ok(a) if a.is_success() => Outcome {
            ok: true,
            status_code: a.status,
            error: String::new(),
        },
        Ok(a) => Outcome {
            ok: false,
            status_code: a.status,
            error: format!(
                "http {}: {}",
                a.status,
                super::clip(&String::from_utf8_lossy(&a.body), MAX_ERROR)
            ),
        },
        Err(e) => Outcome {
            ok: false,
            status_code: 0,
            error: super::clip(&e.to_string(), MAX_ERROR).to_string(),
        },
    };
    let log = SiemDelivery {
        id: new_id("sdl"),
        org_id: d.org_id.clone(),
        destination_id: d.id.clone(),
        batch_size: events.len() as u64,
        status: if outcome.ok { "success" } else { "failed" }.into(),
        status_code: u64::from(outcome.status_code),
        error_message: outcome.error.clone(),
        delivered_at: Utc::now(),
    };
    if let Err(e) = service
        .store()
        .run(move |tx| tx.insert_siem_delivery(&log))
        .await
    {
        tracing::warn!(destination = %d.id, error = %e, "siem: delivery attempt not logged");
    }
    if outcome.ok {
        service.metrics.siem_delivered(&d.id, events.len() as u64);
    } else {
        service.metrics.siem_failed(&d.id);
        tracing::warn!(destination = %d.id, status = outcome.status_code, "siem: delivery failed: {}", outcome.error);
    }
    outcome
}

/// One attempt now, outside the outbox (`POST …/{id}/test`).
pub(crate) async fn deliver_now(
    service: &Service,
    d: &SiemDestination,
    token: &str,
    events: &[Value],
) -> Outcome {
    let key = events
        .first()
        .and_then(|e| e["idempotency_key"].as_str())
        .unwrap_or_default()
        .to_string();
    send(service, d, token, events, key).await
}

/// The wait before retry number `failures` (1, 2, …): doubling from the base, capped, and
/// scaled by a random factor in [0.5, 1) so destinations that failed together do not retry
/// together.
fn backoff(base_ms: u64, cap_ms: u64, failures: u32) -> Duration {
    let exp = base_ms.saturating_mul(1u64 << failures.saturating_sub(1).min(30));
    let capped = exp.min(cap_ms).max(1);
    let jitter: f64 = rand::random_range(0.5..1.0);
    Duration::from_millis(((capped as f64) * jitter) as u64)
}

/// Delivers one destination until its task is aborted.
async fn run_destination(service: Service, d: SiemDestination, owner: String) {
    let config = service.config().clone();
    let poll = Duration::from_millis(config.siem_poll_ms.max(10));
    let token = match service.siem_token(&d) {
        Ok(t) => t,
        Err(e) => {
            tracing::error!(destination = %d.id, "siem: not delivering: {e}");
            return;
        }
    };
    let mut failures = 0u32;
    loop {
        let (id, me) = (d.id.clone(), owner.clone());
        let limit = d.batch_size.max(1);
        let taken = service
            .store()
            .run(move |tx| {
                let now = Utc::now();
                if !tx.take_siem_lease(&id, &me, now, now + LEASE)? {
                    return Ok(None);
                }
                tx.siem_batch(&id, limit).map(Some)
            })
            .await;
        let batch = match taken {
            Ok(Some(b)) => b,
            // Another replica holds the lease: look again later.
            Ok(None) => {
                tokio::time::sleep(Duration::from_secs(2)).await;
                continue;
            }
            Err(e) => {
                tracing::warn!(destination = %d.id, error = %e, "siem: outbox not read");
                tokio::time::sleep(poll * 5).await;
                continue;
            }
        };
        let Some(oldest) = batch.first() else {
            tokio::time::sleep(poll).await;
            continue;
        };
        let waited = (Utc::now() - oldest.created_at)
            .to_std()
            .unwrap_or_default();
        let flush = Duration::from_secs(d.flush_interval_seconds);
        if (batch.len() as u64) < limit && waited < flush && failures == 0 {
            tokio::time::sleep(poll.min(flush - waited)).await;
            continue;
        }
        let events: Vec<Value> = batch.iter().map(parse_event).collect();
        let key = idempotency_key(&d.id, &batch);
        let outcome = send(&service, &d, &token, &events, key).await;
        if !outcome.ok {
            failures = failures.saturating_add(1);
            let wait = backoff(
                config.siem_retry_base_ms,
                config.siem_retry_cap_ms,
                failures,
            );
            tokio::time::sleep(wait).await;
            continue;
        }
        failures = 0;
        let ids: Vec<u64> = batch.iter().map(|e| e.id).collect();
        let id = d.id.clone();
        // If this fails the batch is sent again: at least once, and the receiver has the
        // idempotency keys to drop the repeat.
        if let Err(e) = service
            .store()
            .run(move |tx| tx.delete_siem_events(&id, &ids))
            .await
        {
            tracing::warn!(destination = %d.id, error = %e, "siem: delivered events not cleared");
        }
    }
}

fn parse_event(e: &OutboxEvent) -> Value {
    serde_json::from_str(&e.event).unwrap_or_else(|_| {
        json!({"event_type": e.event_type, "idempotency_key": e.check_id, "check_id": e.check_id})
    })
}

/// The batch's key: the same events give the same key on a retry.
fn idempotency_key(destination: &str, batch: &[OutboxEvent]) -> String {
    let first = batch.first().map_or(0, |e| e.id);
    let last = batch.last().map_or(0, |e| e.id);
    format!("{destination}:{first}-{last}")
}

impl Service {
    /// Starts SIEM delivery for this process. Call once, inside a tokio runtime.
    pub fn start_siem_delivery(&self) -> tokio::task::JoinHandle<()> {
        let service = self.clone();
        tokio::spawn(async move { supervise(service).await })
    }
}

/// Keeps one task per active destination (restarted when the destination changes), the
/// backlog gauges and the backlog column checks read, and logs drops.
async fn supervise(service: Service) {
    let owner = new_id("lease");
    let mut tasks: HashMap<String, (DateTime<Utc>, tokio::task::JoinHandle<()>)> = HashMap::new();
    let mut dropped_seen: HashMap<String, u64> = HashMap::new();
    let mut last_drop_log: Option<std::time::Instant> = None;
    let bound = service.config().siem_max_backlog;
    loop {
        let read = service
            .store()
            .run(move |tx| {
                let active = tx.active_siem_destinations()?;
                let backlogs: HashMap<String, u64> = tx.siem_backlogs()?.into_iter().collect();
                for d in &active {
                    let n = backlogs.get(&d.id).copied().unwrap_or(0);
                    tx.set_siem_backlog(&d.id, n, bound)?;
                }
                Ok((active, backlogs))
            })
            .await;
        match read {
            Ok((active, backlogs)) => {
                for d in &active {
                    let n = backlogs.get(&d.id).copied().unwrap_or(0);
                    service.metrics.siem_backlog(&d.id, n);
                }
                tasks.retain(|id, (_, handle)| {
                    let keep = active.iter().any(|d| &d.id == id);
                    if !keep {
                        handle.abort();
                        service.metrics.siem_forget(id);
                    }
                    keep
                });
                for d in active {
                    let current = tasks.get(&d.id).map(|(updated, _)| *updated);
                    if current == Some(d.updated_at) {
                        continue;
                    }
                    if let Some((_, old)) = tasks.remove(&d.id) {
                        old.abort();
                    }
                    let (id, updated) = (d.id.clone(), d.updated_at);
                    let handle = tokio::spawn(run_destination(service.clone(), d, owner.clone()));
                    tasks.insert(id, (updated, handle));
                }
            }
            Err(e) => tracing::warn!(error = %e, "siem: destinations not read"),
        }
        let dropped = super::siem::dropped_counts();
        let mut grew = Vec::new();
        for (id, n) in &dropped {
            let seen = dropped_seen.entry(id.clone()).or_default();
            if *n > *seen {
                service.metrics.siem_dropped(id, *n - *seen);
                grew.push((id.clone(), *n));
                *seen = *n;
            }
        }
        if !grew.is_empty() && last_drop_log.is_none_or(|t| t.elapsed() >= DROP_LOG_EVERY) {
            last_drop_log = Some(std::time::Instant::now());
            for (id, n) in grew {
                tracing::warn!(
                    destination = %id,
                    dropped_total = n,
                    max_backlog = service.config().siem_max_backlog,
                    "siem: backlog over its bound, new events for this destination are dropped"
                );
            }
        }
        tokio::time::sleep(REFRESH).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_stays_under_the_cap() {
        for failures in 1..40 {
            let d = backoff(100, 5_000, failures);
            assert!(d <= Duration::from_millis(5_000), "{d:?}");
        }
        let first = backoff(100, 5_000, 1);
        assert!(first >= Duration::from_millis(50) && first < Duration::from_millis(100));
        let fourth = backoff(100, 5_000, 4);
        assert!(fourth >= Duration::from_millis(400) && fourth < Duration::from_millis(800));
    }

    #[test]
    fn splunk_bodies_wrap_each_event() {
        let e = json!({"check_id": "chk_1", "decided_at": "2026-01-01T00:00:00.000000Z"});
        let text = String::from_utf8(body("splunk_hec", &[e.clone(), e])).unwrap();
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["sourcetype"], "airlock:decision");
        assert_eq!(lines[0]["event"]["check_id"], "chk_1");
        assert_eq!(lines[0]["time"], 1767225600.0);
    }
}
