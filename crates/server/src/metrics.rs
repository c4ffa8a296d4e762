//! Prometheus metrics of one process, served at `GET /metrics`. Aggregate over every
//! organization: no label carries an organization, agent or session id (bounded cardinality,
//! and nothing one organization may not see of another). Recording is atomic increments on
//! label sets of `&'static str`; nothing on the check path allocates or takes a write lock
//! once a label set has been seen.

use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use airlock_core::pipeline::Verdict;
use airlock_store::BatchStats;

/// The content type of the exposition: OpenMetrics text, which Prometheus scrapes natively.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DecisionLabels {
    effect: &'static str,
    allowed: &'static str,
    rule: &'static str,
    guard_tier: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: &'static str,
}

/// A SIEM destination's id: chosen by the server, at most 16 per organization (bounded).
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DestinationLabels {
    destination: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct AllowedLabels {
    allowed: &'static str,
}

fn bool_label(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}

/// The process's metrics; one per [`crate::Service`], shared by its clones.
pub struct Metrics {
    registry: Registry,
    decisions: Family<DecisionLabels, Counter>,
    check_duration: Histogram,
    batch_size: Histogram,
    commit_latency: Histogram,
    approvals_pending: Gauge,
    reviewer_failures: Family<KindLabels, Counter>,
    notification_failures: Counter,
    gateway_tool_calls: Family<AllowedLabels, Counter>,
    siem_backlog: Family<DestinationLabels, Gauge>,
    siem_dropped: Family<DestinationLabels, Counter>,
    siem_failures: Family<DestinationLabels, Counter>,
    siem_delivered: Family<DestinationLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let m = Metrics {
            registry: Registry::default(),
            decisions: Family::default(),
            // 0.5 ms to about 33 s: the fast path up to the Deep reviewers' 30 s cap.
            check_duration: Histogram::new(exponential_buckets(0.0005, 2.0, 17)),
            // 1 to 256, the largest batch (`--max-batch`).
            batch_size: Histogram::new(exponential_buckets(1.0, 2.0, 9)),
            // 0.1 ms to about 3.3 s.
            commit_latency: Histogram::new(exponential_buckets(0.0001, 2.0, 16)),
            approvals_pending: Gauge::default(),
            reviewer_failures: Family::default(),
            notification_failures: Counter::default(),
            gateway_tool_calls: Family::default(),
            siem_backlog: Family::default(),
            siem_dropped: Family::default(),
            siem_failures: Family::default(),
            siem_delivered: Family::default(),
        };
        let mut r = m.registry;
        // Counters get their `_total` suffix from the encoder.
        r.register(
            "airlock_decisions",
            "Recorded decisions, by effect, outcome, deciding rule and guard tier",
            m.decisions.clone(),
        );
        r.register(
            "airlock_check_duration_seconds",
            "Time of a whole check in the service, reviewers included",
            m.check_duration.clone(),
        );
        r.register(
            "airlock_store_batch_size",
            "Requests committed together in one store transaction (group commit)",
            m.batch_size.clone(),
        );
        r.register(
            "airlock_store_commit_duration_seconds",
            "Time to run and commit one store batch",
            m.commit_latency.clone(),
        );
        r.register(
            "airlock_approvals_pending",
            "Open approval requests across all organizations, read from the store at scrape time",
            m.approvals_pending.clone(),
        );
        r.register(
            "airlock_reviewer_failures",
            "Deep reviews that failed, by reviewer kind (webhook, llm) or timeout",
            m.reviewer_failures.clone(),
        );
        r.register(
            "airlock_notification_failures",
            "Approval notifications not delivered to a webhook after every retry",
            m.notification_failures.clone(),
        );
        r.register(
            "airlock_gateway_tool_calls",
            "Tool calls decided for the MCP gateway (checks with source mcp)",
            m.gateway_tool_calls.clone(),
        );
        r.register(
            "airlock_siem_backlog",
            "Events waiting in a SIEM destination's outbox, as the delivery worker last counted",
            m.siem_backlog.clone(),
        );
        r.register(
            "airlock_siem_dropped",
            "Events not queued for a SIEM destination because its backlog was at the bound",
            m.siem_dropped.clone(),
        );
        r.register(
            "airlock_siem_delivery_failures",
            "SIEM delivery attempts that got no 2xx answer (each is retried)",
            m.siem_failures.clone(),
        );
        r.register(
            "airlock_siem_delivered_events",
            "Events a SIEM destination accepted with a 2xx answer",
            m.siem_delivered.clone(),
        );
        Metrics { registry: r, ..m }
    }

    /// One committed decision and the time its check took.
    pub(crate) fn decision(&self, verdict: &Verdict, source: &str, elapsed: Duration) {
        self.decisions
            .get_or_create(&DecisionLabels {
                effect: verdict.effect.as_str(),
                allowed: bool_label(verdict.allowed),
                rule: verdict.rule.as_str(),
                guard_tier: verdict.guard_tier.as_str(),
            })
            .inc();
        self.check_duration.observe(elapsed.as_secs_f64());
        if source == "mcp" {
            self.gateway_tool_calls
                .get_or_create(&AllowedLabels {
                    allowed: bool_label(verdict.allowed),
                })
                .inc();
        }
    }

    /// One store batch (called on the store's worker thread).
    pub fn batch(&self, stats: BatchStats) {
        self.batch_size.observe(stats.requests as f64);
        self.commit_latency.observe(stats.elapsed.as_secs_f64());
    }

    pub(crate) fn reviewer_failed(&self, kind: &'static str) {
        self.reviewer_failures
            .get_or_create(&KindLabels { kind })
            .inc();
    }

    pub(crate) fn notification_failed(&self) {
        self.notification_failures.inc();
    }

    fn destination(id: &str) -> DestinationLabels {
        DestinationLabels {
            destination: id.to_string(),
        }
    }

    pub(crate) fn siem_backlog(&self, destination: &str, n: u64) {
        self.siem_backlog
            .get_or_create(&Metrics::destination(destination))
            .set(i64::try_from(n).unwrap_or(i64::MAX));
    }

    pub(crate) fn siem_dropped(&self, destination: &str, n: u64) {
        self.siem_dropped
            .get_or_create(&Metrics::destination(destination))
            .inc_by(n);
    }

    pub(crate) fn siem_failed(&self, destination: &str) {
        self.siem_failures
            .get_or_create(&Metrics::destination(destination))
            .inc();
    }

    pub(crate) fn siem_delivered(&self, destination: &str, n: u64) {
        self.siem_delivered
            .get_or_create(&Metrics::destination(destination))
            .inc_by(n);
    }

    /// A destination deleted or turned off: its gauge goes away.
    pub(crate) fn siem_forget(&self, destination: &str) {
        self.siem_backlog.remove(&Metrics::destination(destination));
    }

    /// The exposition, with the pending approvals as of now (`None`: the store could not be
    /// read, and the gauge keeps its last value).
    pub fn encode(&self, approvals_pending: Option<u64>) -> Result<String, std::fmt::Error> {
        if let Some(n) = approvals_pending {
            self.approvals_pending
                .set(i64::try_from(n).unwrap_or(i64::MAX));
        }
        let mut out = String::new();
        prometheus_client::encoding::text::encode(&mut out, &self.registry)?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use airlock_core::Effect;
    use airlock_core::pipeline::{GuardTier, Rule};

    fn verdict() -> Verdict {
        Verdict {
            allowed: true,
            rule: Rule::Allowed,
            reason: String::new(),
            effect: Effect::Read,
            risk: Effect::Read,
            guard_tier: GuardTier::Fast,
            confidence: 1.0,
            elevation_required: false,
            approval: None,
            consumed_approval: None,
        }
    }

    /// The cost of recording one decision on the check path (run with `--release --ignored`).
    #[test]
    #[ignore = "a measurement, not a test: run with --release --ignored"]
    fn cost_of_recording_a_decision() {
        let m = Metrics::new();
        let v = verdict();
        let n = 1_000_000u32;
        let started = std::time::Instant::now();
        for _ in 0..n {
            m.decision(&v, "mcp", Duration::from_micros(300));
        }
        let per = started.elapsed() / n;
        println!("one decision recorded in {per:?}");
    }

    #[test]
    fn a_decision_moves_its_series() {
        let m = Metrics::new();
        m.decision(&verdict(), "api", Duration::from_millis(1));
        let text = m.encode(Some(3)).unwrap_or_default();
        assert!(text.contains("airlock_decisions_total{effect=\"read\",allowed=\"true\",rule=\"allowed\",guard_tier=\"fast\"} 1\n"), "{text}");
        assert!(text.contains("airlock_approvals_pending 3\n"), "{text}");
        assert!(
            !text.contains("airlock_gateway_tool_calls_total{"),
            "{text}"
        );
    }
}
