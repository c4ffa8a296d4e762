//! Console sign-in sessions, kept in the store so every replica accepts them. The token lives
//! only in the browser's cookie; the store keeps its SHA-256. A session ends after
//! [`CONSOLE_IDLE_SECS`] without activity, [`CONSOLE_ABSOLUTE_SECS`] after sign-in, on sign
//! out, or as soon as the admin key that started it is revoked.

use chrono::{DateTime, Duration, Utc};

use airlock_store::model::ConsoleSession as Row;

use super::{Service, ServiceError};
use crate::auth::{Caller, KeyRole, hash_secret, new_secret};

/// A session ends after this many seconds without a request.
pub const CONSOLE_IDLE_SECS: i64 = 30 * 60;
/// A session ends this many seconds after sign-in, however busy.
pub const CONSOLE_ABSOLUTE_SECS: i64 = 12 * 3600;

/// A live console session.
#[derive(Debug, Clone)]
pub struct ConsoleSession {
    pub caller: Caller,
    pub org_name: String,
    /// The token every state-changing console request must carry.
    pub csrf: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl ConsoleSession {
    /// When the session ends if nothing touches it.
    pub fn ends_at(&self) -> DateTime<Utc> {
        ends_at(self.last_seen_at, self.expires_at)
    }
}

fn ends_at(last_seen_at: DateTime<Utc>, expires_at: DateTime<Utc>) -> DateTime<Utc> {
    (last_seen_at + Duration::seconds(CONSOLE_IDLE_SECS)).min(expires_at)
}

/// Whether a session seen last at `last_seen_at`, ending at `expires_at`, is live at `now`.
pub fn console_session_live(
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    now < ends_at(last_seen_at, expires_at)
}

fn signed_out() -> ServiceError {
    ServiceError::Unauthenticated("the console session has ended; sign in again".into())
}

impl Service {
    /// Signs in with an API key: only admin keys start a session. Answers the session's token
    /// (for the cookie; never stored) and the session.
    pub async fn console_sign_in(
        &self,
        key: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(String, ConsoleSession), ServiceError> {
        let caller = self.authenticate(key).await?;
        if caller.role != KeyRole::Admin {
            return Err(ServiceError::Forbidden(
                "This key is an agent key; sign in with an admin key.".into(),
            ));
        }
        // 32 random bytes, hex, without a prefix: the cookie carries exactly this.
        let token = new_secret("");
        let row = Row {
            token_hash: hash_secret(&token),
            org_id: caller.org_id.clone(),
            key_id: caller.key_id.clone(),
            csrf: new_secret(""),
            created_at: now,
            last_seen_at: now,
            expires_at: now + Duration::seconds(CONSOLE_ABSOLUTE_SECS),
        };
        let stored = row.clone();
        let org_name = self
            .store()
            .run(move |tx| {
                // Sign-in is rare: a good moment to forget every replica's stale sessions.
                tx.delete_stale_console_sessions(now, now - Duration::seconds(CONSOLE_IDLE_SECS))?;
                tx.insert_console_session(&stored)?;
                Ok(tx.org(&stored.org_id)?.map(|o| o.name))
            })
            .await?
            .unwrap_or_default();
        Ok((
            token,
            ConsoleSession {
                caller,
                org_name,
                csrf: row.csrf,
                created_at: row.created_at,
                last_seen_at: row.last_seen_at,
                expires_at: row.expires_at,
            },
        ))
    }

    /// The live session of a cookie's token. Refuses (and forgets) a session that is idle
    /// too long, past its absolute expiry, or whose key has been revoked since.
    pub async fn console_session(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<ConsoleSession, ServiceError> {
        if token.is_empty() || token.len() > 128 {
            return Err(signed_out());
        }
        let hash = hash_secret(token);
        self.store()
            .run(move |tx| {
                let Some(row) = tx.console_session(&hash)? else {
                    return Ok(Err(signed_out()));
                };
                let key = tx
                    .list_api_keys(Some(&row.org_id))?
                    .into_iter()
                    .find(|k| k.id == row.key_id);
                let key_ok = key.is_some_and(|k| {
                    k.revoked_at.is_none() && KeyRole::parse(&k.role) == Some(KeyRole::Admin)
                });
                let org = tx.org(&row.org_id)?;
                let (true, true, Some(org)) = (
                    console_session_live(row.last_seen_at, row.expires_at, now),
                    key_ok,
                    org,
                ) else {
                    tx.delete_console_session(&row.org_id, &row.token_hash)?;
                    return Ok(Err(signed_out()));
                };
                Ok(Ok(ConsoleSession {
                    caller: Caller {
                        org_id: org.id,
                        key_id: row.key_id,
                        default_mode: org.default_mode,
                        role: KeyRole::Admin,
                    },
                    org_name: org.name,
                    csrf: row.csrf,
                    created_at: row.created_at,
                    last_seen_at: row.last_seen_at,
                    expires_at: row.expires_at,
                }))
            })
            .await?
    }

    /// Records activity on the caller's session (it stays alive for another idle period).
    pub async fn console_touch(
        &self,
        caller: &Caller,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let (org, hash) = (caller.org_id.clone(), hash_secret(token));
        let touched = self
            .store()
            .run(move |tx| tx.touch_console_session(&org, &hash, now))
            .await?;
        if touched { Ok(()) } else { Err(signed_out()) }
    }

    /// Ends the caller's session.
    pub async fn console_sign_out(&self, caller: &Caller, token: &str) -> Result<(), ServiceError> {
        let (org, hash) = (caller.org_id.clone(), hash_secret(token));
        self.store()
            .run(move |tx| tx.delete_console_session(&org, &hash))
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn sessions_end_idle_or_at_their_absolute_expiry() {
        let t0 = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let expires = t0 + Duration::seconds(CONSOLE_ABSOLUTE_SECS);
        let idle = Duration::seconds(CONSOLE_IDLE_SECS);
        assert!(console_session_live(t0, expires, t0));
        assert!(console_session_live(
            t0,
            expires,
            t0 + idle - Duration::seconds(1)
        ));
        assert!(!console_session_live(t0, expires, t0 + idle));
        // Busy to the end: the absolute expiry still ends it.
        let last = expires - Duration::seconds(10);
        assert!(console_session_live(
            last,
            expires,
            expires - Duration::seconds(1)
        ));
        assert!(!console_session_live(last, expires, expires));
    }
}
