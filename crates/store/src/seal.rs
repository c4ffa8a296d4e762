//! Answers sealed together: a step run once for every group of requests answered at the same
//! time, on the thread that answers them, before any of them is sent.
//!
//! The server signs a check's receipt this way: every check made durable by one `fdatasync`
//! shares one signature (`airlock_audit::receipt_batch`), signed on the thread that synced
//! (the sync thread, or the writer when it synced a lone batch itself) right after the sync,
//! so a check is woken once, with its receipt signed, instead of being handed to a signing
//! thread and woken again. The store knows nothing of receipts: a sealed request
//! is answered through its [`Sealer`], whose `seal` sees the group's successful answers.
//!
//! What holds: a sealed request is answered exactly once, after its batch's outcome is known
//! (and, on a store synced off its writer, after the sync), and only a successful answer is
//! given to `seal`. Every thread that answers requests ends each group it answers by calling
//! [`GroupEnds::run`], which seals and sends whatever sealed answers are waiting. A `seal`
//! that panics fails the answers it was given: a request is never answered unsealed.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, PoisonError, RwLock, Weak};

use tokio::sync::oneshot;

use crate::StoreError;

/// Called by a thread that answers requests after each group it answered.
pub(crate) trait GroupEnd: Send + Sync {
    fn end_of_group(&self);
}

/// The sealers of a queue, shared by every thread that answers its requests.
#[derive(Clone, Default)]
pub(crate) struct GroupEnds(Arc<RwLock<Vec<Weak<dyn GroupEnd>>>>);

impl GroupEnds {
    fn add(&self, end: Weak<dyn GroupEnd>) {
        // A poisoned lock (a panic while it was held) still holds a valid list.
        let mut ends = self.0.write().unwrap_or_else(PoisonError::into_inner);
        // A sealer dropped since (a service rebuilt with other keys) is forgotten.
        ends.retain(|e| e.strong_count() > 0);
        ends.push(end);
    }

    /// Whether `other` is this queue's.
    fn same(&self, other: &GroupEnds) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Sealers kept, alive or not.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.0.read().unwrap_or_else(PoisonError::into_inner).len()
    }

    /// Seals and sends the sealed answers waiting: after every group of answers.
    pub(crate) fn run(&self) {
        let ends: Vec<Arc<dyn GroupEnd>> = {
            let ends = self.0.read().unwrap_or_else(PoisonError::into_inner);
            ends.iter().filter_map(Weak::upgrade).collect()
        };
        for end in ends {
            end.end_of_group();
        }
    }
}

/// Runs the group ends when dropped: after a group of answers, even if answering one of them
/// panicked, so that no sealed answer already held is left waiting.
pub(crate) struct EndOfGroup<'a>(pub(crate) &'a GroupEnds);

impl Drop for EndOfGroup<'_> {
    fn drop(&mut self) {
        self.0.run();
    }
}

type Seal<R> = dyn Fn(&mut [&mut R]) + Send + Sync;
type Reply<R> = oneshot::Sender<Result<R, StoreError>>;
/// An answer kept until its group ends, and where it goes.
type Held<R> = (Result<R, StoreError>, Reply<R>);

/// The answers of sealed requests not yet sent, and what seals them.
struct Waiting<R> {
    answers: Mutex<Vec<Held<R>>>,
    seal: Box<Seal<R>>,
}

impl<R: Send + 'static> GroupEnd for Waiting<R> {
    fn end_of_group(&self) {
        let mut group =
            std::mem::take(&mut *self.answers.lock().unwrap_or_else(PoisonError::into_inner));
        if group.is_empty() {
            return;
        }
        let sealed = {
            let mut ok: Vec<&mut R> = group
                .iter_mut()
                .filter_map(|(r, _)| r.as_mut().ok())
                .collect();
            ok.is_empty() || catch_unwind(AssertUnwindSafe(|| (self.seal)(&mut ok))).is_ok()
        };
        if !sealed {
            tracing::error!(answers = group.len(), "sealing answers panicked; they fail");
        }
        for (answer, reply) in group {
            let answer = if sealed {
                answer
            } else {
                Err(StoreError::JobPanicked)
            };
            let _ = reply.send(answer);
        }
    }
}

/// How requests answered together are sealed together: made by [`crate::Store::sealer`],
/// used with [`crate::Store::run_sealed`]. Cheap to clone.
pub struct Sealer<R> {
    waiting: Arc<Waiting<R>>,
    /// The queue whose answering threads seal this sealer's answers.
    ends: GroupEnds,
}

impl<R> Clone for Sealer<R> {
    fn clone(&self) -> Self {
        Sealer {
            waiting: self.waiting.clone(),
            ends: self.ends.clone(),
        }
    }
}

impl<R: Send + 'static> Sealer<R> {
    /// A sealer whose `seal` is called with the successful answers of each group; `ends` is
    /// the queue's, whose answering threads call it.
    pub(crate) fn new(
        ends: &GroupEnds,
        seal: impl Fn(&mut [&mut R]) + Send + Sync + 'static,
    ) -> Self {
        let waiting = Arc::new(Waiting {
            answers: Mutex::new(Vec::new()),
            seal: Box::new(seal),
        });
        let end: Arc<dyn GroupEnd> = waiting.clone();
        ends.add(Arc::downgrade(&end));
        Sealer {
            waiting,
            ends: ends.clone(),
        }
    }

    /// Whether this sealer belongs to the queue of `ends`: another queue's threads would never
    /// seal its answers.
    pub(crate) fn belongs_to(&self, ends: &GroupEnds) -> bool {
        self.ends.same(ends)
    }

    /// Keeps `answer` until its group ends (the caller then runs [`GroupEnds::run`]).
    pub(crate) fn hold(&self, answer: Result<R, StoreError>, reply: Reply<R>) {
        let mut answers = self
            .waiting
            .answers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        answers.push((answer, reply));
    }
}
