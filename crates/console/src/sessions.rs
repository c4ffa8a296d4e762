//! Console sign-in sessions. The token lives only in the browser's cookie; the server keeps
//! its SHA-256. (Milestone 1: in memory; the store keeps them once the migration lands.)

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use airlock_server::Service;
use airlock_server::service::{Caller, ServiceError};

/// A session ends after this long without a request.
pub const IDLE: Duration = Duration::minutes(30);
/// A session ends this long after sign-in, however busy.
pub const ABSOLUTE: Duration = Duration::hours(12);

/// A live session as a request sees it.
#[derive(Debug, Clone)]
pub struct Session {
    pub caller: Caller,
    pub org_name: String,
    pub csrf: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

impl Session {
    /// The moment the session ends if nothing touches it.
    pub fn ends_at(&self) -> DateTime<Utc> {
        (self.last_seen_at + IDLE).min(self.expires_at)
    }

    pub fn live_at(&self, now: DateTime<Utc>) -> bool {
        now < self.ends_at()
    }
}

/// The session store of this console.
#[derive(Clone)]
pub struct Sessions {
    #[allow(dead_code)]
    service: Service,
    by_hash: Arc<Mutex<HashMap<String, Session>>>,
}

/// 32 random bytes, hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

impl Sessions {
    pub fn new(service: Service) -> Sessions {
        Sessions {
            service,
            by_hash: Arc::default(),
        }
    }

    /// Starts a session for an authenticated admin caller; answers the cookie's token.
    pub async fn start(
        &self,
        caller: Caller,
        now: DateTime<Utc>,
    ) -> Result<(String, Session), ServiceError> {
        let token = random_token();
        let session = Session {
            org_name: caller.org_id.clone(),
            caller,
            csrf: random_token(),
            created_at: now,
            last_seen_at: now,
            expires_at: now + ABSOLUTE,
        };
        let mut map = self.by_hash.lock().map_err(|_| ServiceError::Unavailable)?;
        map.retain(|_, s| s.live_at(now));
        map.insert(token_hash(&token), session.clone());
        Ok((token, session))
    }

    /// The live session of a cookie's token, touched; `None` when unknown or expired.
    pub async fn find(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<Session>, ServiceError> {
        let mut map = self.by_hash.lock().map_err(|_| ServiceError::Unavailable)?;
        let hash = token_hash(token);
        match map.get_mut(&hash) {
            Some(s) if s.live_at(now) => {
                s.last_seen_at = now;
                Ok(Some(s.clone()))
            }
            Some(_) => {
                map.remove(&hash);
                Ok(None)
            }
            None => Ok(None),
        }
    }

    /// Ends a session.
    pub async fn end(&self, token: &str) -> Result<(), ServiceError> {
        let mut map = self.by_hash.lock().map_err(|_| ServiceError::Unavailable)?;
        map.remove(&token_hash(token));
        Ok(())
    }
}
