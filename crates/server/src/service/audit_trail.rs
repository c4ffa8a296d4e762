//! The server's side of the audit trail (docs/audit.md): its audit keys, where its signed
//! checkpoints go, and the sessions changed since the last checkpoint.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;

use airlock_audit::KeyRing;
use airlock_audit::checkpoint::{self, CheckpointLog};
use airlock_audit::verify::SessionReport;
use airlock_store::model::SessionHead;

use super::{Caller, Service, ServiceError};

/// The most sessions the changed set keeps between two checkpoints; past it the next
/// checkpoint lists every session (the set is then cleared), so memory stays bounded.
const MAX_TOUCHED: usize = 100_000;

pub struct AuditTrail {
    keys: KeyRing,
    checkpoint_dir: Option<PathBuf>,
    touched: Mutex<Touched>,
}

#[derive(Default)]
struct Touched {
    sessions: HashSet<(String, String)>,
    overflow: bool,
}

/// What the checkpoint writer takes: the changed sessions, or all of them.
pub enum Changed {
    All,
    Some(Vec<(String, String)>),
}

impl AuditTrail {
    pub fn new(keys: KeyRing, checkpoint_dir: Option<PathBuf>) -> AuditTrail {
        AuditTrail {
            keys,
            checkpoint_dir,
            touched: Mutex::default(),
        }
    }

    /// Keys in memory only and no checkpoints (tests, embedded use).
    pub fn ephemeral() -> AuditTrail {
        AuditTrail::new(KeyRing::ephemeral(), None)
    }

    pub fn keys(&self) -> &KeyRing {
        &self.keys
    }

    pub fn checkpoint_dir(&self) -> Option<&PathBuf> {
        self.checkpoint_dir.as_ref()
    }

    /// Notes a session whose chain moved (after its decision committed).
    pub(crate) fn touched(&self, org_id: &str, session_id: &str) {
        let Ok(mut t) = self.touched.lock() else {
            return;
        };
        if t.overflow {
            return;
        }
        if t.sessions.len() >= MAX_TOUCHED {
            t.overflow = true;
            t.sessions.clear();
            return;
        }
        t.sessions
            .insert((org_id.to_string(), session_id.to_string()));
    }

    /// Takes the changed set (left empty).
    pub fn take_changed(&self) -> Changed {
        let Ok(mut t) = self.touched.lock() else {
            return Changed::All;
        };
        let taken = std::mem::take(&mut *t);
        if taken.overflow {
            Changed::All
        } else {
            Changed::Some(taken.sessions.into_iter().collect())
        }
    }

    /// The checkpoints of this server's checkpoint folder (none if it has none).
    fn checkpoints(&self) -> Result<CheckpointLog, ServiceError> {
        let Some(dir) = &self.checkpoint_dir else {
            return Ok(CheckpointLog::default());
        };
        let keys = self.keys.clone();
        checkpoint::read_dir(dir, &move |id| keys.get(id).map(|k| k.public())).map_err(|e| {
            tracing::error!(error = %e, "cannot read the checkpoint folder");
            ServiceError::Unavailable
        })
    }
}

impl Service {
    /// Verifies a session: its chain replayed with its link keys, its counters and head, and
    /// every checkpoint's claim about it (the same code as `airlock audit verify`).
    pub async fn verify_chain(
        &self,
        caller: &Caller,
        session_id: &str,
    ) -> Result<SessionReport, ServiceError> {
        let (org, key) = (caller.org_id.clone(), session_id.to_string());
        // Checkpoints are read before the chain, so they are never newer than it.
        let trail = self.audit_trail().clone();
        let log = tokio::task::spawn_blocking(move || trail.checkpoints())
            .await
            .map_err(|_| ServiceError::Unavailable)??;
        let found = self
            .store()
            .run(move |tx| {
                let Some(session) = tx.session_head(&org, &key)? else {
                    return Ok(None);
                };
                let decisions = tx.decisions(&org, &key, 0, u64::MAX)?;
                Ok(Some((session, decisions)))
            })
            .await?;
        let (session, decisions): (SessionHead, _) =
            found.ok_or_else(|| ServiceError::not_found("session", session_id))?;
        let claims = log
            .claims
            .get(&(session.org_id.clone(), session.id.clone()))
            .cloned()
            .unwrap_or_default();
        let keys = self.audit_trail().keys.clone();
        Ok(airlock_audit::verify::verify_session(
            Some(&session),
            &decisions,
            &claims,
            &keys,
        ))
    }
}
