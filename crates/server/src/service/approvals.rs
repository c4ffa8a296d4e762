//! Approvals: reading them and deciding them.

use chrono::{DateTime, Utc};

use airlock_core::session::elevation_deadline;
pub use airlock_store::model::Approval;

use super::sessions::Who;
use super::{Caller, KeyHash, Service, ServiceError, validate};

/// The longest note a decider may write.
pub const MAX_NOTE: usize = 2048;

/// The statuses an approval can be listed by.
const STATUSES: &[&str] = &["pending", "approved", "denied", "expired", "used"];

/// What deciding an approval did.
#[derive(Debug, Clone)]
pub struct ApprovalDecided {
    pub approval: Approval,
    /// Approving an elevation elevates its session until then.
    pub elevated_until: Option<DateTime<Utc>>,
    pub decided_at: DateTime<Utc>,
}

enum DecideError {
    Missing,
    NotPending(String),
}

impl Service {
    pub async fn approval(&self, caller: &Caller, id: &str) -> Result<Approval, ServiceError> {
        self.approval_as(Who::Caller(caller.clone()), id).await
    }

    /// [`Service::approval`] for the key a request presented, authenticated again by the same
    /// read (a held MCP call polls its approval long after its request was authenticated):
    /// one store round trip.
    pub async fn approval_for_key(&self, key: KeyHash, id: &str) -> Result<Approval, ServiceError> {
        self.approval_as(Who::Key(key), id).await
    }

    async fn approval_as(&self, who: Who, id: &str) -> Result<Approval, ServiceError> {
        let key = id.to_string();
        self.store()
            .run(move |tx| {
                Ok(match who.caller_in(tx)? {
                    Ok(caller) => Ok(tx.approval(&caller.org_id, &key)?),
                    Err(e) => Err(e),
                })
            })
            .await??
            .ok_or_else(|| ServiceError::not_found("approval", id))
    }

    /// The organization's approvals, oldest first, optionally of one status and one
    /// session; `limit` is clamped to 1..=1000 (100 when absent).
    pub async fn approvals(
        &self,
        caller: &Caller,
        status: Option<&str>,
        session_id: Option<&str>,
        limit: Option<u64>,
        now: DateTime<Utc>,
    ) -> Result<Vec<Approval>, ServiceError> {
        let session = match session_id.map(str::trim).filter(|s| !s.is_empty()) {
            Some(s) => Some(validate::id("session_id", s)?.to_string()),
            None => None,
        };
        let status = status.filter(|s| !s.is_empty()).map(str::to_string);
        if let Some(s) = &status
            && !STATUSES.contains(&s.as_str())
        {
            return Err(ServiceError::invalid(
                "status",
                "`status` must be pending, approved, denied, expired or used",
            ));
        }
        let limit = limit.unwrap_or(100).clamp(1, 1000);
        let org = caller.org_id.clone();
        Ok(self
            .store()
            .run(move |tx| {
                tx.find_approvals(&org, status.as_deref(), session.as_deref(), now, limit)
            })
            .await?)
    }

    /// Approves or denies a pending approval (admin keys only). `decided_by` defaults to
    /// `api`; `note` is what the decider wrote.
    pub async fn decide_approval(
        &self,
        caller: &Caller,
        id: &str,
        decided_by: Option<&str>,
        note: Option<&str>,
        approve: bool,
    ) -> Result<ApprovalDecided, ServiceError> {
        caller.require_admin("decide approvals")?;
        let by = decided_by.unwrap_or("api");
        let by = validate::optional_text("decided_by", by.trim(), validate::MAX_NAME)?.to_string();
        let note = match note.map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => Some(validate::optional_text("note", n, MAX_NOTE)?.to_string()),
            None => None,
        };
        let org = caller.org_id.clone();
        let key = id.to_string();
        let window = self.config().elevation_window_secs;
        let result = self
            .store()
            .run(move |tx| {
                let now = Utc::now();
                let Some(mut a) = tx.approval(&org, &key)? else {
                    return Ok(Err(DecideError::Missing));
                };
                let status = a.status_at(now).to_string();
                if status != "pending" {
                    return Ok(Err(DecideError::NotPending(status)));
                }
                a.status = if approve { "approved" } else { "denied" }.into();
                a.decided_by = Some(by.clone());
                a.decided_at = Some(now);
                a.note = note.clone();
                if approve && a.kind == "call" {
                    // The approved call must be retried before the approval expires; give it
                    // at least the approval window from now.
                    a.expires_at = a.expires_at.max(now + chrono::Duration::seconds(60));
                }
                tx.update_approval(&a)?;
                let mut elevated_until = None;
                if approve
                    && a.kind == "elevation"
                    && let Some(mut s) = tx.session(&org, &a.session_id)?
                {
                    let until = elevation_deadline(now, window);
                    s.elevated_until = Some(until);
                    tx.update_session(&s)?;
                    elevated_until = Some(until);
                }
                Ok(Ok(ApprovalDecided {
                    approval: a,
                    elevated_until,
                    decided_at: now,
                }))
            })
            .await?;
        result.map_err(|e| match e {
            DecideError::Missing => ServiceError::not_found("approval", id),
            DecideError::NotPending(status) => {
                ServiceError::Conflict(format!("approval `{id}` is already {status}"))
            }
        })
    }
}
