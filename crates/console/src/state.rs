//! The console's shared state: the service it works through, and what the console itself
//! keeps in memory (the failed sign-in counters).

use std::sync::Arc;

use airlock_server::Service;

use crate::rate_limit::SignInLimiter;
use crate::sessions::Sessions;

/// Everything a console handler needs. Cheap to clone.
#[derive(Clone)]
pub struct Console {
    pub service: Service,
    /// Console sign-in sessions.
    pub(crate) sessions: Sessions,
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
            sessions: Sessions::new(service.clone()),
            service,
            limiter: Arc::new(SignInLimiter::default()),
            secure_cookie,
        }
    }
}
