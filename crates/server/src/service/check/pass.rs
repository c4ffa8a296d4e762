//! A pass's work inside its store transaction: the key authenticated with the check's
//! reads, the identity gate, the decision recorded, and its receipt when it is signed.

use chrono::Utc;

use airlock_store::{StoreError, Tx};

use super::receipts::unsigned_receipt;
use super::{Job, Pass, PassAnswer, Principal, Shared};
use crate::service::review::Review;

/// A pass's work inside its transaction (see [`Service::pass`]).
pub(super) fn pass_in(
    tx: &mut dyn Tx,
    shared: &Shared,
    session_id: &str,
    review: Option<&Review>,
    signed: bool,
) -> Result<PassAnswer, StoreError> {
    // The key, its organization, the organization's security settings and the check's
    // reads: one statement on PostgreSQL.
    let (caller, settings, reads) = match &shared.principal {
        Principal::Caller(c) => (c.clone(), None, None),
        Principal::KeyHash(hash) | Principal::Proven(hash, _) => {
            let req = &shared.req;
            let proven = matches!(shared.principal, Principal::Proven(..));
            match crate::auth::caller_and_check_reads_in(
                tx,
                &hash.0,
                &req.agent_id,
                session_id,
                &req.action_name,
                proven,
            )? {
                // No reads: the gate below refuses the call (the organization requires the
                // proof it lacks); were it let through, `Job::run` reads them.
                Ok((c, s, r)) => (
                    c,
                    Some(crate::service::identity::Security::of(s.as_ref())),
                    r,
                ),
                Err(e) => return Ok(PassAnswer(Err(e))),
            }
        }
    };
    let proven = match &shared.principal {
        Principal::Proven(_, p) => Some(&**p),
        _ => None,
    };
    let first = review.is_none();
    if let Err(e) =
        crate::service::identity::gate(tx, &caller, proven, first, Utc::now(), settings)?
    {
        return Ok(PassAnswer(Err(e)));
    }
    let job = Job {
        policy_cache: &shared.policy_cache,
        audit_key: shared.audit.keys().current(),
        caller: &caller,
        config: &shared.config,
        req: &shared.req,
        session_id,
        analysis: &shared.analysis,
        digest: &shared.digest,
        summary: &shared.summary,
        check_id: &shared.check_id,
        approval_id: &shared.approval_id,
        started: shared.started,
    };
    let pass = job.run(tx, review, reads)?;
    let receipt = match &pass {
        Pass::Done(done) if signed => Some(unsigned_receipt(shared, session_id, done)),
        _ => None,
    };
    Ok(PassAnswer(Ok((pass, caller.org_id.clone(), receipt))))
}
