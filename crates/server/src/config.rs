//! Service configuration.

/// Limits and windows of the service. Defaults are the product's; tests shorten the windows.
#[derive(Debug, Clone)]
pub struct Config {
    /// How long an approved elevation lasts (at most 300 seconds).
    pub elevation_window_secs: i64,
    /// How long an approval request stays open, and how long an approved call may wait for
    /// its retry.
    pub approval_ttl_secs: i64,
    /// The largest request body accepted.
    pub max_body_bytes: usize,
    /// Default lifetime of an agent token when the request gives none.
    pub token_default_ttl_secs: i64,
    /// Longest lifetime of an agent token.
    pub token_max_ttl_secs: i64,
    /// Serve `POST /api/v1/bench/baseline`, the load benchmark's baseline route.
    pub bench_routes: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            elevation_window_secs: airlock_core::session::MAX_ELEVATION_SECS,
            approval_ttl_secs: 15 * 60,
            max_body_bytes: 1024 * 1024,
            token_default_ttl_secs: 3600,
            token_max_ttl_secs: 24 * 3600,
            bench_routes: false,
        }
    }
}
