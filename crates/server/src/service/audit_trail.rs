//! The server's side of the audit trail (docs/audit.md): its audit keys, where its signed
//! checkpoints go, and the sessions changed since the last checkpoint.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use airlock_audit::KeyRing;
use airlock_audit::checkpoint::{self, CheckpointLog};
use airlock_audit::receipt::Receipt;
use airlock_audit::receipt_batch;
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
    signer: ReceiptSigner,
}

type SignRequest = (Receipt, tokio::sync::oneshot::Sender<Receipt>);

/// Signs receipts on a thread of its own: every receipt waiting when it wakes is signed with
/// one signature over their Merkle root (`airlock_audit::receipt_batch`), so that under load
/// the checks of a group commit share one Ed25519 signature instead of one each.
struct ReceiptSigner {
    queue: Option<std::sync::mpsc::Sender<SignRequest>>,
}

/// How long the signer keeps gathering once it holds a receipt, when the previous batch
/// showed concurrent checks: the receipts of one group commit reach it over a few dozen
/// microseconds, and waiting for them lets one signature cover them all. A lone check (the
/// previous batch held one receipt) is never delayed.
const LINGER: Duration = Duration::from_micros(100);

impl ReceiptSigner {
    fn start(key: airlock_audit::AuditKey) -> ReceiptSigner {
        let (queue, waiting) = std::sync::mpsc::channel::<SignRequest>();
        let started = std::thread::Builder::new()
            .name("airlock-receipts".into())
            .spawn(move || {
                let mut concurrent = false;
                // Ends when the trail (the only sender) is dropped.
                while let Ok(first) = waiting.recv() {
                    let batch = gather(&waiting, first, concurrent.then_some(LINGER));
                    concurrent = batch.len() > 1;
                    let (receipts, replies): (Vec<Receipt>, Vec<_>) = batch.into_iter().unzip();
                    let signed = receipt_batch::sign_all(receipts, &key);
                    for (receipt, reply) in signed.into_iter().zip(replies) {
                        let _ = reply.send(receipt);
                    }
                }
            });
        match started {
            Ok(_) => ReceiptSigner { queue: Some(queue) },
            Err(e) => {
                tracing::warn!(error = %e, "no receipt signing thread; receipts are signed one by one");
                ReceiptSigner { queue: None }
            }
        }
    }
}

/// `first` and every request already waiting; with `linger`, also those arriving until it
/// has passed (at most `MAX_BATCH` in all).
fn gather<T>(waiting: &Receiver<T>, first: T, linger: Option<Duration>) -> Vec<T> {
    let deadline = linger.map(|l| Instant::now() + l);
    let mut batch = vec![first];
    while batch.len() < receipt_batch::MAX_BATCH {
        let next = match deadline {
            None => waiting.try_recv().ok(),
            Some(d) => waiting
                .recv_timeout(d.saturating_duration_since(Instant::now()))
                .ok(),
        };
        match next {
            Some(n) => batch.push(n),
            None => break,
        }
    }
    batch
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
        let signer = ReceiptSigner::start(keys.current().clone());
        AuditTrail {
            keys,
            checkpoint_dir,
            touched: Mutex::default(),
            signer,
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

    /// Signs a receipt with the current key, with the receipts of the checks that finish at
    /// the same time (alone when none does).
    pub async fn receipt(&self, receipt: Receipt) -> Receipt {
        if let Some(queue) = &self.signer.queue {
            let (reply, answer) = tokio::sync::oneshot::channel();
            if queue.send((receipt.clone(), reply)).is_ok()
                && let Ok(signed) = answer.await
            {
                return signed;
            }
        }
        // The signing thread is gone: sign here.
        receipt.sign(self.keys.current())
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

#[cfg(test)]
mod gather_tests {
    use super::*;

    #[test]
    fn without_linger_only_what_is_waiting_is_taken() {
        let (tx, rx) = std::sync::mpsc::channel();
        tx.send(2).unwrap();
        tx.send(3).unwrap();
        let started = Instant::now();
        assert_eq!(gather(&rx, 1, None), vec![1, 2, 3]);
        assert!(started.elapsed() < Duration::from_millis(50));
        // A later one is left for the next batch.
        tx.send(4).unwrap();
        assert_eq!(rx.try_recv().ok(), Some(4));
    }

    #[test]
    fn with_linger_a_receipt_arriving_meanwhile_joins_the_batch() {
        let (tx, rx) = std::sync::mpsc::channel();
        let sender = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(10));
            tx.send(2).unwrap();
            tx
        });
        let started = Instant::now();
        let batch = gather(&rx, 1, Some(Duration::from_millis(400)));
        assert_eq!(batch, vec![1, 2]);
        // Bounded by the linger, not by the sender.
        assert!(started.elapsed() < Duration::from_secs(5));
        drop(sender.join());
    }

    #[test]
    fn a_batch_never_exceeds_what_one_signature_covers() {
        let (tx, rx) = std::sync::mpsc::channel();
        for i in 0..receipt_batch::MAX_BATCH + 10 {
            tx.send(i).unwrap();
        }
        let batch = gather(&rx, usize::MAX, Some(Duration::from_millis(1)));
        assert_eq!(batch.len(), receipt_batch::MAX_BATCH);
    }
}
