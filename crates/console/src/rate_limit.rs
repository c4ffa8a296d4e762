//! Failed sign-ins, counted per client address in a fixed one-minute window. When the
//! address is unknown (no connection info) every such client shares one bucket. The counters
//! are per replica: an attacker spread over replicas gets each replica's allowance.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed per address per window.
pub const MAX_FAILURES: u32 = 10;
pub const WINDOW: Duration = Duration::from_secs(60);
/// Addresses remembered at most; past it, expired windows are dropped, then the oldest.
const MAX_ADDRESSES: usize = 10_000;

#[derive(Default)]
pub struct SignInLimiter {
    windows: Mutex<HashMap<Option<IpAddr>, (Instant, u32)>>,
}

impl SignInLimiter {
    /// `Err(seconds to wait)` when the address has used up its failures in this window.
    /// A poisoned lock refuses (fail closed).
    pub fn check(&self, addr: Option<IpAddr>, now: Instant) -> Result<(), u64> {
        let Ok(map) = self.windows.lock() else {
            return Err(WINDOW.as_secs());
        };
        match map.get(&addr) {
            Some((start, count)) if *count >= MAX_FAILURES => {
                let elapsed = now.saturating_duration_since(*start);
                if elapsed < WINDOW {
                    Err((WINDOW - elapsed).as_secs().max(1))
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    /// Counts one failure.
    pub fn fail(&self, addr: Option<IpAddr>, now: Instant) {
        let Ok(mut map) = self.windows.lock() else {
            return;
        };
        if map.len() >= MAX_ADDRESSES && !map.contains_key(&addr) {
            map.retain(|_, (start, _)| now.saturating_duration_since(*start) < WINDOW);
            if map.len() >= MAX_ADDRESSES
                && let Some(oldest) = map.iter().min_by_key(|(_, (s, _))| *s).map(|(k, _)| *k)
            {
                map.remove(&oldest);
            }
        }
        let entry = map.entry(addr).or_insert((now, 0));
        if now.saturating_duration_since(entry.0) >= WINDOW {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_failures_lock_the_address_for_the_rest_of_the_minute() {
        let limiter = SignInLimiter::default();
        let a = Some(IpAddr::from([10, 0, 0, 1]));
        let b = Some(IpAddr::from([10, 0, 0, 2]));
        let t0 = Instant::now();
        for _ in 0..MAX_FAILURES {
            assert_eq!(limiter.check(a, t0), Ok(()));
            limiter.fail(a, t0);
        }
        let wait = limiter.check(a, t0 + Duration::from_secs(20)).unwrap_err();
        assert!((39..=40).contains(&wait), "{wait}");
        assert_eq!(
            limiter.check(b, t0),
            Ok(()),
            "another address is not affected"
        );
        assert_eq!(limiter.check(a, t0 + WINDOW), Ok(()), "the window passes");
        limiter.fail(a, t0 + WINDOW);
        assert_eq!(
            limiter.check(a, t0 + WINDOW),
            Ok(()),
            "a new window starts at one"
        );
    }

    #[test]
    fn unknown_addresses_share_one_bucket() {
        let limiter = SignInLimiter::default();
        let t0 = Instant::now();
        for _ in 0..MAX_FAILURES {
            limiter.fail(None, t0);
        }
        assert!(limiter.check(None, t0).is_err());
    }
}
