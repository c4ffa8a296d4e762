//! The MCP gateway's `tools/call` in one transaction: the request's key and session found
//! and the call decided together (docs/benchmarks.md, twentieth pass). Otherwise the gateway
//! opens the session in one store round trip and decides in the next.

use airlock_store::model::{Server, Session};
use airlock_store::{StoreError, Tx};

use super::{CheckOutcome, CheckRequest, PassAnswer, Principal, pass_in};
use crate::auth::{Caller, KeyHash};
use crate::service::sessions::{
    BoundSession, KeyOpening, Refusal, SessionChoice, bound_session, key_opening, refusal_error,
};
use crate::service::{Service, ServiceError};

/// What [`Service::open_and_check_unreceipted`] answers.
pub enum OpenedCheck {
    /// The session existed, and the call was decided with it.
    Decided(Box<OpenedDecision>),
    /// Nothing was decided and nothing written: the session is to be created first (a first
    /// use, a named session that does not exist yet, or [`SessionChoice::New`]), its server's
    /// URL does not fit, or traces are on. Open the session
    /// ([`Service::open_server_session_for_key`]), then check.
    NotOpened,
}

/// A session found and a call decided in one transaction.
pub struct OpenedDecision {
    pub caller: Caller,
    pub session: BoundSession,
    /// The call's decision, made and recorded in the same transaction that authenticated the
    /// key and found the session, or why it was not made.
    pub outcome: Result<CheckOutcome<()>, ServiceError>,
}

/// What the transaction found: the caller, the session's server, the session and the pass.
type Found = (Caller, Server, Session, PassAnswer);

/// What the transaction found.
enum Opened {
    Found(Box<Found>),
    Refused(Refusal),
    /// Not decided here (see [`OpenedCheck::NotOpened`]).
    Undecided,
}

impl Service {
    /// [`Service::open_server_session_for_key`] and then [`Service::check_unreceipted`] of
    /// `req` (its `session_id` is ignored: the session is the one opened) in one store
    /// transaction, when the session already exists and its server's URL `url_fits` what the
    /// caller can reach (else nothing is decided, and the caller refuses it). The key is
    /// refused, and the session refused, exactly as the opening refuses them, and then nothing
    /// is decided. The check authenticates the key again, as every check does.
    pub async fn open_and_check_unreceipted(
        &self,
        key: KeyHash,
        server_id: &str,
        choice: SessionChoice<'_>,
        req: CheckRequest,
        url_fits: fn(&str) -> bool,
    ) -> Result<OpenedCheck, ServiceError> {
        let (sid, per_agent) = match choice {
            SessionChoice::New => return Ok(OpenedCheck::NotOpened),
            SessionChoice::PerAgent => (None, true),
            SessionChoice::Named(id) => (Some(id.to_string()), false),
        };
        // A traced check has its span ([`Service::check_unreceipted`]).
        if crate::otel::enabled() {
            return Ok(OpenedCheck::NotOpened);
        }
        let Ok(shared) = self.prepare(Principal::KeyHash(key.clone()), req) else {
            // The usual path answers the same refusal.
            return Ok(OpenedCheck::NotOpened);
        };
        let (server, run_shared) = (server_id.to_string(), shared.clone());
        let run = move |tx: &mut dyn Tx| -> Result<Opened, StoreError> {
            let (sid, agent) = (sid.as_deref(), run_shared.req.agent_id.as_str());
            Ok(
                match key_opening(tx, &key.0, agent, &server, sid, per_agent)? {
                    KeyOpening::Found(found) if !url_fits(&found.1.url) => Opened::Undecided,
                    KeyOpening::Found(found) => {
                        let (caller, srv, session) = *found;
                        let answer = pass_in(tx, &run_shared, &session.id, None, false)?;
                        Opened::Found(Box::new((caller, srv, session, answer)))
                    }
                    KeyOpening::Refused(r) => Opened::Refused(r),
                    KeyOpening::ToCreate(_) => Opened::Undecided,
                },
            )
        };
        let (caller, srv, session, answer) = match self.store.run(run).await {
            Ok(Opened::Found(found)) => *found,
            Ok(Opened::Refused(r)) => {
                return Err(refusal_error(r, &shared.req.agent_id, server_id));
            }
            Ok(Opened::Undecided) => return Ok(OpenedCheck::NotOpened),
            // Answered as a failed opening is (unavailable), never tried again: a commit whose
            // answer was lost may have recorded the decision, and a second would record it
            // twice (and hide a new approval from its notification).
            Err(e) => return Err(e.into()),
        };
        let session = bound_session(srv, session);
        let outcome = match answer.0 {
            Ok(first) => self
                .conclude(&shared, session.session_id.clone(), first, false)
                .await
                .map(|o| o.with_receipt(())),
            Err(e) => Err(e),
        };
        Ok(OpenedCheck::Decided(Box::new(OpenedDecision {
            caller,
            session,
            outcome,
        })))
    }
}
