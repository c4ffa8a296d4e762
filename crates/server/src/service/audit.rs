//! The audit side: telemetry reports, a session's decision log and its chain verification.

use chrono::Utc;

pub use airlock_store::model::Decision;
use airlock_store::model::TelemetryEvent;

use super::{Caller, Service, ServiceError, clip, validate};

/// The most events one telemetry report may carry.
const MAX_EVENTS: usize = 1000;

/// A telemetry event, as reported.
#[derive(Debug, Clone, Default)]
pub struct ReportedEvent {
    pub event_type: String,
    pub tool_name: Option<String>,
    pub duration_ms: Option<f64>,
    pub success: Option<bool>,
    pub error_type: Option<String>,
    pub timestamp: Option<String>,
}

/// A page of a session's decision log.
#[derive(Debug, Clone)]
pub struct DecisionLog {
    pub session_id: String,
    pub head: String,
    pub total_calls: u64,
    pub decisions: Vec<Decision>,
}

impl Service {
    /// Records an agent's telemetry; answers how many events were accepted.
    pub async fn report_telemetry(
        &self,
        caller: &Caller,
        agent_id: &str,
        session_id: Option<String>,
        reported: Vec<ReportedEvent>,
    ) -> Result<usize, ServiceError> {
        let agent_id = validate::id("agent_id", agent_id)?.to_string();
        let session_id = session_id.unwrap_or_default();
        validate::optional_text("session_id", &session_id, validate::MAX_ID)?;
        if reported.len() > MAX_EVENTS {
            return Err(ServiceError::invalid(
                "events",
                format!("at most {MAX_EVENTS} events per report"),
            ));
        }
        let mut events = Vec::with_capacity(reported.len());
        for e in reported {
            let event_type = validate::text("events[].event_type", &e.event_type, 64)?.to_string();
            let tool_name = e.tool_name.unwrap_or_default();
            validate::optional_text("events[].tool_name", &tool_name, validate::MAX_NAME)?;
            events.push(TelemetryEvent {
                event_type,
                tool_name,
                duration_ms: e.duration_ms.filter(|d| d.is_finite()).map(|d| d as i64),
                success: e.success,
                error_type: e.error_type.map(|s| clip(&s, 256).to_string()),
                timestamp: e.timestamp.map(|s| clip(&s, 64).to_string()),
            });
        }
        let n = events.len();
        let (org, a) = (caller.org_id.clone(), agent_id.clone());
        let known = self
            .store()
            .run(move |tx| {
                if tx.agent(&org, &a)?.is_none() {
                    return Ok(false);
                }
                tx.insert_telemetry(&org, &a, &session_id, &events, Utc::now())?;
                Ok(true)
            })
            .await?;
        if known {
            Ok(n)
        } else {
            Err(ServiceError::not_found("agent", &agent_id))
        }
    }

    /// The decisions of a session after sequence number `after` (0 when absent), at most
    /// `limit` (1..=10000, 1000 when absent).
    pub async fn decisions(
        &self,
        caller: &Caller,
        session_id: &str,
        after: Option<u64>,
        limit: Option<u64>,
    ) -> Result<DecisionLog, ServiceError> {
        let (org, key) = (caller.org_id.clone(), session_id.to_string());
        let after = after.unwrap_or(0);
        let limit = limit.unwrap_or(1000).clamp(1, 10_000);
        let found = self
            .store()
            .run(move |tx| {
                let Some(session) = tx.session(&org, &key)? else {
                    return Ok(None);
                };
                Ok(Some((session, tx.decisions(&org, &key, after, limit)?)))
            })
            .await?;
        let (session, decisions) =
            found.ok_or_else(|| ServiceError::not_found("session", session_id))?;
        Ok(DecisionLog {
            session_id: session.id,
            head: session.head,
            total_calls: session.total_calls,
            decisions,
        })
    }
}
