//! The service: every operation an adapter (the HTTP API, the MCP gateway, later the console,
//! AuthZEN and A2A) performs, in domain terms. Operations take the authenticated [`Caller`]
//! and answer their own types or a [`ServiceError`]; nothing here knows HTTP, and adapters
//! never see the store.

pub mod a2a;
mod approvals;
pub mod approvals_feed;
mod audit;
pub mod audit_trail;
mod check;
pub mod checkpoints;
mod console;
pub mod delegations;
mod error;
pub mod identity;
mod keys;
mod llm;
pub mod log_search;
pub mod mcp_methods;
mod notifications;
mod policies;
mod registry;
mod review;
pub mod reviewers;
mod sessions;
pub mod siem;
mod siem_delivery;
mod siem_key;
mod tokens;
mod tools;
pub mod validate;

use std::sync::Arc;

use airlock_store::Store;

use crate::Config;
pub use crate::auth::{Caller, KeyHash, KeyRole};
pub use airlock_audit::verify::SessionReport as Verification;
pub use airlock_core::Effect;
pub use airlock_core::pipeline::{ApprovalKind, ApprovalRequest, GuardTier, Rule, Verdict};
pub use approvals::{Approval, ApprovalDecided};
pub use approvals_feed::{ApprovalFeed, FeedFilter};
pub use audit::{Decision, DecisionLog, ReportedEvent};
pub use check::{CheckOutcome, CheckRequest, OpenedCheck, OpenedDecision, Principal};
pub use console::{CONSOLE_ABSOLUTE_SECS, CONSOLE_IDLE_SECS, ConsoleSession, console_session_live};
pub use error::{InvalidInput, InvalidKind, ServiceError, clip};
pub use keys::{KeyInfo, MAX_KEY_NAME};
pub use notifications::{MAX_WEBHOOKS, NewWebhook, Webhook, secret_hint};
pub use policies::{NewPolicy, PolicyCache, PolicyDetail, PolicyUpdate};
pub use registry::{Agent, MAX_APPROVAL_WAIT_SECS, NewAgent, NewServer, NewTool, Server, ToolDef};
pub use sessions::{BoundSession, ServerInfo, SessionChoice, legacy_per_agent_session_id};
pub use siem::{DestinationUpdate, NewDestination, SiemKey, TestDelivery};
pub use siem_key::SiemKeyError;
pub use tokens::{IssuedToken, Token, TokenRequest, TokenStatus};
pub use tools::{MAX_TOOLS, ObservedTool};

/// The service over one store. Cheap to clone: adapters hold one each, and axum clones the
/// state several times a request, so a clone is one reference count, not one per part.
#[derive(Clone)]
pub struct Service {
    parts: Arc<Parts>,
}

/// What a [`Service`] holds; reached through `Deref` (`self.store`, `self.config`…).
#[derive(Clone)]
pub struct Parts {
    store: Store,
    config: Arc<Config>,
    /// Outbound calls to reviewers and notification webhooks; `None` if the HTTP client could
    /// not be built (reviews then fail closed, notifications are off).
    outbound: Option<airlock_outbound::Outbound>,
    /// Compiled policy sets per organization, keyed by its policy generation.
    policy_cache: Arc<PolicyCache>,
    /// This process's Prometheus metrics.
    metrics: Arc<crate::metrics::Metrics>,
    /// Audit keys, checkpoint folder and the sessions changed since the last checkpoint.
    audit: Arc<audit_trail::AuditTrail>,
    /// Signs the receipts of the checks the store answers together (`check::seal_receipts`),
    /// with the current key of `audit`.
    receipts: airlock_store::Sealer<check::PassAnswer>,
}

impl std::ops::Deref for Service {
    type Target = Parts;

    fn deref(&self) -> &Parts {
        &self.parts
    }
}

/// Receipts signed with the current key of `trail`, once for every group of checks answered
/// together.
fn receipt_sealer(
    store: &Store,
    trail: &Arc<audit_trail::AuditTrail>,
) -> airlock_store::Sealer<check::PassAnswer> {
    let key = trail.keys().current().clone();
    store.sealer(move |answers| check::seal_receipts(&key, answers))
}

impl Service {
    pub fn new(store: Store, config: Config) -> Service {
        let outbound = match airlock_outbound::Outbound::new(config.deny_private_webhooks) {
            Ok(o) => Some(o),
            Err(e) => {
                tracing::error!(error = %e, "cannot build the outbound http client");
                None
            }
        };
        let metrics = Arc::new(crate::metrics::Metrics::new());
        let m = metrics.clone();
        store.on_batch(Arc::new(move |stats| m.batch(stats)));
        let audit = Arc::new(audit_trail::AuditTrail::ephemeral());
        Service {
            parts: Arc::new(Parts {
                receipts: receipt_sealer(&store, &audit),
                store,
                config: Arc::new(config),
                outbound,
                policy_cache: Arc::default(),
                metrics,
                audit,
            }),
        }
    }

    /// The same service with the audit keys and checkpoint folder of `trail` (a service
    /// made by [`Service::new`] keeps ephemeral keys in memory).
    pub fn with_audit(self, trail: audit_trail::AuditTrail) -> Service {
        let audit = Arc::new(trail);
        let parts = Parts {
            receipts: receipt_sealer(&self.store, &audit),
            audit,
            ..Parts::clone(&self.parts)
        };
        Service {
            parts: Arc::new(parts),
        }
    }

    pub fn audit_trail(&self) -> &Arc<audit_trail::AuditTrail> {
        &self.audit
    }

    /// The metrics exposition. Pending approvals are counted in the store at scrape time (one
    /// aggregate query), so every replica on one database reports the same, true number.
    pub async fn metrics_text(&self) -> Result<String, ServiceError> {
        let pending = self
            .store
            .run(|tx| tx.open_approval_count(chrono::Utc::now()))
            .await;
        if let Err(e) = &pending {
            tracing::warn!(error = %e, "metrics: pending approvals not counted");
        }
        self.metrics
            .encode(pending.ok())
            .map_err(|_| ServiceError::Unavailable)
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The store: for the service's own operations, never for adapters.
    fn store(&self) -> &Store {
        &self.store
    }

    /// Resolves the API key a caller presented (`None`: it presented none) to its caller.
    /// Every lookup reads the store, so a revoked key is refused on the very next request.
    pub async fn authenticate(&self, key: Option<&str>) -> Result<Caller, ServiceError> {
        self.authenticate_hash(KeyHash::presented(key)?).await
    }

    /// Resolves the hash of a presented key (see [`KeyHash::presented`]) to its caller.
    pub async fn authenticate_hash(&self, hash: KeyHash) -> Result<Caller, ServiceError> {
        self.store
            .run(move |tx| crate::auth::caller_in(tx, &hash.0))
            .await?
    }

    /// True when the store answers.
    pub async fn healthy(&self) -> bool {
        self.store.run(|tx| tx.org_count()).await.is_ok()
    }
}
