//! The approvals feed of the console: what is pending and what was decided lately, with the
//! agents' names, read in one transaction (no query per approval), and a cheap version of the
//! pending set that live updates compare.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::{Approval, Caller, Service, ServiceError};

/// Most pending approvals a feed shows.
const PENDING_LIMIT: u64 = 200;
/// Approvals of each decided status read to find the latest ones.
const DECIDED_READ: u64 = 200;
/// Decided approvals a feed shows.
const DECIDED_SHOWN: usize = 50;

/// Which approvals a feed holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeedFilter {
    /// Pending, then recently decided.
    All,
    /// One status: `pending`, `approved`, `denied`, `expired` or `used`.
    Status(&'static str),
    /// Approved, denied, expired and used.
    Decided,
}

impl FeedFilter {
    /// The filter a query's `status` names; `None` for a name that is no filter.
    pub fn parse(status: Option<&str>) -> Option<FeedFilter> {
        Some(match status.map(str::trim).unwrap_or("") {
            "" | "all" => FeedFilter::All,
            "decided" => FeedFilter::Decided,
            "pending" => FeedFilter::Status("pending"),
            "approved" => FeedFilter::Status("approved"),
            "denied" => FeedFilter::Status("denied"),
            "expired" => FeedFilter::Status("expired"),
            "used" => FeedFilter::Status("used"),
            _ => return None,
        })
    }

    fn wants(self, status: &str) -> bool {
        match self {
            FeedFilter::All => true,
            FeedFilter::Decided => status != "pending",
            FeedFilter::Status(s) => s == status,
        }
    }
}

/// What the approvals page shows.
#[derive(Debug, Clone, Default)]
pub struct ApprovalFeed {
    /// Open approvals, oldest first.
    pub pending: Vec<Approval>,
    /// Decided (or expired, or used) approvals, latest first.
    pub decided: Vec<Approval>,
    /// Agent names by id, for the agents these approvals name.
    pub agent_names: HashMap<String, String>,
    /// The version of the pending set (see [`pending_version`]).
    pub version: String,
}

/// When an approval stopped being pending: decided, used, or expired.
pub fn settled_at(a: &Approval, now: DateTime<Utc>) -> DateTime<Utc> {
    a.used_at
        .or(a.decided_at)
        .unwrap_or_else(|| a.expires_at.min(now))
}

/// A short digest of the open approvals and their statuses: it changes when one arrives, is
/// decided (on any replica) or expires.
pub fn pending_version(pending: &[Approval], now: DateTime<Utc>) -> String {
    let mut h = Sha256::new();
    for a in pending {
        h.update(a.id.as_bytes());
        h.update(b"\0");
        h.update(a.status_at(now).as_bytes());
        h.update(b"\n");
    }
    hex::encode(h.finalize()).chars().take(16).collect()
}

impl Service {
    /// The organization's approvals feed as of `now` (admin keys only).
    pub async fn approval_feed(
        &self,
        caller: &Caller,
        filter: FeedFilter,
        now: DateTime<Utc>,
    ) -> Result<ApprovalFeed, ServiceError> {
        caller.require_admin("read the approvals feed")?;
        let org = caller.org_id.clone();
        let (pending, mut decided, agents) = self
            .store()
            .run(move |tx| {
                let pending = tx.find_approvals(&org, Some("pending"), None, now, PENDING_LIMIT)?;
                let mut decided = Vec::new();
                for status in ["approved", "denied", "used", "expired"] {
                    if filter.wants(status) {
                        decided.extend(tx.recent_approvals(&org, status, now, DECIDED_READ)?);
                    }
                }
                Ok((pending, decided, tx.list_agents(&org)?))
            })
            .await?;
        let version = pending_version(&pending, now);
        decided.sort_by_key(|a| std::cmp::Reverse(settled_at(a, now)));
        decided.truncate(DECIDED_SHOWN);
        let pending = if filter.wants("pending") {
            pending
        } else {
            Vec::new()
        };
        let agent_names = agents.into_iter().map(|a| (a.id, a.name)).collect();
        Ok(ApprovalFeed {
            pending,
            decided,
            agent_names,
            version,
        })
    }

    /// The version of the organization's pending approvals as of `now` (admin keys only).
    pub async fn pending_approvals_version(
        &self,
        caller: &Caller,
        now: DateTime<Utc>,
    ) -> Result<String, ServiceError> {
        caller.require_admin("read the approvals feed")?;
        let org = caller.org_id.clone();
        let pending = self
            .store()
            .run(move |tx| tx.find_approvals(&org, Some("pending"), None, now, PENDING_LIMIT))
            .await?;
        Ok(pending_version(&pending, now))
    }

    /// One approval with its agent's name, if the agent is known (admin keys only).
    pub async fn approval_with_agent(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<(Approval, Option<String>), ServiceError> {
        caller.require_admin("read approvals")?;
        let approval = self.approval(caller, id).await?;
        let org = caller.org_id.clone();
        let agent_id = approval.agent_id.clone();
        let agent = self
            .store()
            .run(move |tx| tx.agent(&org, &agent_id))
            .await?;
        Ok((approval, agent.map(|a| a.name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn pending(id: &str, now: DateTime<Utc>, ttl: i64) -> Approval {
        Approval {
            id: id.into(),
            org_id: "org".into(),
            session_id: "ses".into(),
            agent_id: "agt".into(),
            kind: "call".into(),
            action_name: "db.drop".into(),
            action_effect: "destructive".into(),
            input_digest: String::new(),
            reason: String::new(),
            status: "pending".into(),
            created_at: now,
            expires_at: now + Duration::seconds(ttl),
            decided_by: None,
            decided_at: None,
            used_at: None,
            input: None,
            reasons: vec![],
            note: None,
        }
    }

    #[test]
    fn filters_parse_and_refuse_unknown_names() {
        assert_eq!(FeedFilter::parse(None), Some(FeedFilter::All));
        assert_eq!(
            FeedFilter::parse(Some("decided")),
            Some(FeedFilter::Decided)
        );
        assert_eq!(
            FeedFilter::parse(Some("used")),
            Some(FeedFilter::Status("used"))
        );
        assert_eq!(FeedFilter::parse(Some("pending; drop")), None);
        assert!(!FeedFilter::Decided.wants("pending"));
        assert!(FeedFilter::All.wants("expired"));
    }

    #[test]
    fn the_version_changes_when_an_approval_arrives_or_expires() {
        let now = Utc::now();
        let one = vec![pending("apr_a", now, 60)];
        let two = vec![pending("apr_a", now, 60), pending("apr_b", now, 60)];
        assert_eq!(pending_version(&one, now), pending_version(&one, now));
        assert_ne!(pending_version(&one, now), pending_version(&two, now));
        assert_ne!(
            pending_version(&one, now),
            pending_version(&one, now + Duration::seconds(61)),
            "an expiry is a change"
        );
        assert_eq!(pending_version(&one, now).len(), 16);
    }
}
