//! The console's shared state: the service it works through, and what the console itself
//! keeps in memory: the failed sign-in counters. Sessions live in the store.

use std::sync::Arc;

use airlock_server::Service;

use crate::rate_limit::SignInLimiter;

/// Everything a console handler needs. Cheap to clone.
#[derive(Clone)]
pub struct Console {
    pub service: Service,
    /// Failed sign-ins per client address (per replica).
    pub(crate) limiter: Arc<SignInLimiter>,
    /// Whether the session cookie carries `Secure` (`--public-url https://…`).
    pub secure_cookie: bool,
}

impl Console {
    pub fn new(service: Service) -> Console {
        let secure_cookie = service
            .config()
            .public_url
            .as_deref()
            .is_some_and(|u| u.to_ascii_lowercase().starts_with("https://"));
        Console {
            service,
            limiter: Arc::new(SignInLimiter::default()),
            secure_cookie,
        }
    }
}
