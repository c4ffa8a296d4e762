//! Live updates of the approvals page: server-sent events derived from the store, so that an
//! approval created or decided on any replica sharing it shows up. Every second the handler
//! reads the version of the organization's pending set (one indexed query) and sends
//! `changed` when it differs from what the page shows; a comment keeps the connection open.
//! Every [`SESSION_CHECK`] ticks the sign-in session is looked up again (without touching it):
//! the stream ends once it is signed out, idle too long, expired or its key revoked.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Query, State};
use axum::response::sse::{Event, KeepAlive, Sse};
use chrono::Utc;
use futures_util::Stream;
use futures_util::stream;
use serde::Deserialize;

use airlock_server::Service;
use airlock_server::service::Caller;

use crate::auth::Signed;
use crate::state::Console;

const POLL: Duration = Duration::from_secs(1);
const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// Ticks between two look-ups of the sign-in session.
const SESSION_CHECK: u32 = 10;

#[derive(Deserialize)]
pub struct Since {
    /// The version the page shows.
    since: Option<String>,
}

struct Watch {
    service: Service,
    caller: Caller,
    token: String,
    seen: String,
    ends_at: chrono::DateTime<Utc>,
    ticks: u32,
}

pub async fn stream(
    State(console): State<Console>,
    signed: Signed,
    Query(q): Query<Since>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let seen = q
        .since
        .filter(|s| s.len() <= 64 && s.bytes().all(|b| b.is_ascii_hexdigit()))
        .unwrap_or_default();
    let watch = Watch {
        service: console.service.clone(),
        caller: signed.caller,
        token: signed.token,
        seen,
        ends_at: signed.expires_at,
        ticks: 0,
    };
    let events = stream::unfold(watch, |mut w| async move {
        loop {
            tokio::time::sleep(POLL).await;
            let now = Utc::now();
            if now >= w.ends_at {
                return None;
            }
            w.ticks = w.ticks.wrapping_add(1);
            if w.ticks % SESSION_CHECK == 0 {
                match w.service.console_session(&w.token, now).await {
                    Ok(s) if s.caller.org_id == w.caller.org_id => {}
                    // Signed out, expired, revoked (or unreadable): fail closed.
                    _ => return None,
                }
            }
            // A failed read sends nothing; the next tick tries again.
            let Ok(version) = w.service.pending_approvals_version(&w.caller, now).await else {
                continue;
            };
            if version != w.seen {
                w.seen = version.clone();
                let event = Event::default().event("changed").data(version);
                return Some((Ok(event), w));
            }
        }
    });
    Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE).text("keep-alive"))
}
