//! Configuration, raw → validated. Every numeric setting of the service and its store is
//! defined once here, with its flag, environment variable, default and range (the MCP
//! gateway's are in `airlock_mcp::gateway::config`); `airlock serve` reads the raw
//! values (clap, from flags and the environment) and turns them into the validated structs
//! below, refusing to start on a value out of range and naming the setting. Library code takes
//! the validated structs and never reads the environment.

use std::fmt;

/// One numeric setting: where it is read from, its default and its inclusive range.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Setting {
    /// The long flag, without the leading dashes.
    pub flag: &'static str,
    pub env: &'static str,
    pub default: u64,
    pub min: u64,
    pub max: u64,
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "--{} ({})", self.flag, self.env)
    }
}

/// A setting outside its range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{setting} must be between {} and {}, not {value}", setting.min, setting.max)]
pub struct ConfigError {
    pub setting: Setting,
    pub value: u64,
}

impl Setting {
    /// The value, if it is in range.
    pub fn check(&self, value: u64) -> Result<u64, ConfigError> {
        if (self.min..=self.max).contains(&value) {
            Ok(value)
        } else {
            Err(ConfigError {
                setting: *self,
                value,
            })
        }
    }
}

/// One on/off setting: where it is read from; off unless given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag {
    /// The long flag, without the leading dashes.
    pub flag: &'static str,
    pub env: &'static str,
}

/// One on/off setting with a default, set with `--flag true|false`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Toggle {
    /// The long flag, without the leading dashes.
    pub flag: &'static str,
    pub env: &'static str,
    pub default: bool,
}

const KIB: u64 = 1024;
const MIB: u64 = 1024 * KIB;

/// Every numeric setting of the service and its store.
pub mod settings {
    use super::{KIB, MIB, Setting};

    /// How long an approved elevation lasts (DESIGN.md caps it at 300 seconds).
    pub const ELEVATION_WINDOW_SECS: Setting = Setting {
        flag: "elevation-window-secs",
        env: "AIRLOCK_ELEVATION_WINDOW_SECS",
        default: airlock_core::session::MAX_ELEVATION_SECS.unsigned_abs(),
        min: 1,
        max: airlock_core::session::MAX_ELEVATION_SECS.unsigned_abs(),
    };
    /// How long an approval request stays open.
    pub const APPROVAL_TTL_SECS: Setting = Setting {
        flag: "approval-ttl-secs",
        env: "AIRLOCK_APPROVAL_TTL_SECS",
        default: 15 * 60,
        min: 1,
        max: 7 * 24 * 3600,
    };
    /// The largest request body of the HTTP API.
    pub const MAX_BODY_BYTES: Setting = Setting {
        flag: "max-body-bytes",
        env: "AIRLOCK_MAX_BODY_BYTES",
        default: MIB,
        min: KIB,
        max: 64 * MIB,
    };
    /// Store worker connections (PostgreSQL; SQLite has one writer): the transactions a
    /// replica has in flight. Fewer, larger batches cost the database less a check
    /// (docs/benchmarks.md, thirty-fourth pass).
    pub const DB_WORKERS: Setting = Setting {
        flag: "db-workers",
        env: "AIRLOCK_DB_WORKERS",
        default: 2,
        min: 1,
        max: 64,
    };
    /// The most decisions committed together; 1 turns group commit off.
    pub const MAX_BATCH: Setting = Setting {
        flag: "max-batch",
        env: "AIRLOCK_MAX_BATCH",
        default: 256,
        min: 1,
        max: 256,
    };
    /// Refuse notification and reviewer webhooks whose address is loopback, private or
    /// link-local (a bool: the flag alone turns it on).
    pub const DENY_PRIVATE_WEBHOOKS: super::Flag = super::Flag {
        flag: "deny-private-webhooks",
        env: "AIRLOCK_DENY_PRIVATE_WEBHOOKS",
    };
    /// Serve the web console at `/console` (`--console false` turns it off).
    pub const CONSOLE: super::Toggle = super::Toggle {
        flag: "console",
        env: "AIRLOCK_CONSOLE",
        default: true,
    };
    /// Serve Prometheus metrics at `/metrics` (`--metrics false` turns it off).
    pub const METRICS: super::Toggle = super::Toggle {
        flag: "metrics",
        env: "AIRLOCK_METRICS",
        default: true,
    };
    /// All of them, for documentation and tests.
    pub const ALL: &[Setting] = &[
        ELEVATION_WINDOW_SECS,
        APPROVAL_TTL_SECS,
        MAX_BODY_BYTES,
        DB_WORKERS,
        MAX_BATCH,
    ];
}

/// Default lifetime of an agent token when the request gives none.
const TOKEN_DEFAULT_TTL_SECS: i64 = 3600;
/// Longest lifetime of an agent token.
const TOKEN_MAX_TTL_SECS: i64 = 24 * 3600;
/// The longest a call's Deep reviewers may take together.
const REVIEW_TOTAL_TIMEOUT_MS: u64 = 30_000;

/// Attempts to deliver one notification, and the first wait between them (then doubling).
const WEBHOOK_ATTEMPTS: u32 = 5;
const WEBHOOK_BACKOFF_MS: u64 = 1000;

/// The service's settings as read, before validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawConfig {
    pub elevation_window_secs: u64,
    pub approval_ttl_secs: u64,
    pub max_body_bytes: u64,
    /// Refuse webhook and reviewer URLs that resolve to loopback, private or link-local
    /// addresses (`--deny-private-webhooks`, `AIRLOCK_DENY_PRIVATE_WEBHOOKS`).
    pub deny_private_webhooks: bool,
    /// Serve `GET /metrics` (`--metrics`, `AIRLOCK_METRICS`).
    pub metrics: bool,
    #[cfg(feature = "bench-baseline")]
    pub bench_routes: bool,
}

impl Default for RawConfig {
    fn default() -> Self {
        RawConfig {
            elevation_window_secs: settings::ELEVATION_WINDOW_SECS.default,
            approval_ttl_secs: settings::APPROVAL_TTL_SECS.default,
            max_body_bytes: settings::MAX_BODY_BYTES.default,
            deny_private_webhooks: false,
            metrics: settings::METRICS.default,
            #[cfg(feature = "bench-baseline")]
            bench_routes: false,
        }
    }
}

/// Limits and windows of the service, validated: every value is inside its setting's range.
/// Tests may shorten the windows directly.
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
    /// Refuse webhooks whose address is loopback, private or link-local.
    pub deny_private_webhooks: bool,
    /// Where people reach this server's console (`--public-url`), for the decision link in
    /// notifications; `None`: notifications carry no link.
    pub public_url: Option<String>,
    /// Notification delivery: attempts per webhook and the first backoff (doubling).
    pub webhook_attempts: u32,
    pub webhook_backoff_ms: u64,
    /// The longest a call's Deep reviewers may take together, in milliseconds; each also has
    /// its own timeout.
    pub review_total_timeout_ms: u64,
    /// Serve Prometheus metrics at `GET /metrics`.
    pub metrics: bool,
    /// Encrypts SIEM auth tokens at rest; `None`: destinations cannot have a token.
    pub siem_key: Option<crate::service::SiemKey>,
    /// The most events waiting for one SIEM destination; over it new events are dropped.
    pub siem_max_backlog: u64,
    /// SIEM delivery retries: first backoff and cap, in milliseconds.
    pub siem_retry_base_ms: u64,
    pub siem_retry_cap_ms: u64,
    /// How often a SIEM destination's outbox is looked at, in milliseconds.
    pub siem_poll_ms: u64,
    /// Trust domain, WIMSE signing key and the base URL of DPoP `htu` (docs/identity.md).
    pub identity: crate::service::identity::IdentityConfig,
    /// Serve `POST /api/v1/bench/baseline`, the load benchmark's baseline route (only in
    /// builds with the `bench-baseline` feature, never in a release).
    #[cfg(feature = "bench-baseline")]
    pub bench_routes: bool,
}

impl Config {
    /// Validates raw settings; the error names the first setting out of range.
    pub fn validate(raw: RawConfig) -> Result<Config, ConfigError> {
        Ok(Config {
            elevation_window_secs: secs(
                settings::ELEVATION_WINDOW_SECS,
                raw.elevation_window_secs,
            )?,
            approval_ttl_secs: secs(settings::APPROVAL_TTL_SECS, raw.approval_ttl_secs)?,
            max_body_bytes: bytes(settings::MAX_BODY_BYTES, raw.max_body_bytes)?,
            token_default_ttl_secs: TOKEN_DEFAULT_TTL_SECS,
            token_max_ttl_secs: TOKEN_MAX_TTL_SECS,
            deny_private_webhooks: raw.deny_private_webhooks,
            review_total_timeout_ms: REVIEW_TOTAL_TIMEOUT_MS,
            metrics: raw.metrics,
            #[cfg(feature = "bench-baseline")]
            bench_routes: raw.bench_routes,
            ..Config::default()
        })
    }
}

/// A checked count of seconds. Ranges are far below `i64::MAX`, so the conversion cannot
/// fail once the range holds; it is still checked rather than cast.
pub fn secs(setting: Setting, value: u64) -> Result<i64, ConfigError> {
    let v = setting.check(value)?;
    i64::try_from(v).map_err(|_| ConfigError { setting, value })
}

/// A checked size or count.
pub fn bytes(setting: Setting, value: u64) -> Result<usize, ConfigError> {
    let v = setting.check(value)?;
    usize::try_from(v).map_err(|_| ConfigError { setting, value })
}

/// The defaults of the settings table (small constants: the casts are exact).
impl Default for Config {
    fn default() -> Self {
        Config {
            elevation_window_secs: settings::ELEVATION_WINDOW_SECS.default as i64,
            approval_ttl_secs: settings::APPROVAL_TTL_SECS.default as i64,
            max_body_bytes: settings::MAX_BODY_BYTES.default as usize,
            token_default_ttl_secs: TOKEN_DEFAULT_TTL_SECS,
            token_max_ttl_secs: TOKEN_MAX_TTL_SECS,
            deny_private_webhooks: false,
            public_url: None,
            webhook_attempts: WEBHOOK_ATTEMPTS,
            webhook_backoff_ms: WEBHOOK_BACKOFF_MS,
            review_total_timeout_ms: REVIEW_TOTAL_TIMEOUT_MS,
            metrics: settings::METRICS.default,
            siem_key: None,
            siem_max_backlog: SIEM_MAX_BACKLOG,
            siem_retry_base_ms: 500,
            siem_retry_cap_ms: 60_000,
            siem_poll_ms: 200,
            identity: Default::default(),
            #[cfg(feature = "bench-baseline")]
            bench_routes: false,
        }
    }
}

/// The default bound of one SIEM destination's backlog (`--siem-max-backlog`).
pub const SIEM_MAX_BACKLOG: u64 = 100_000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_in_range_and_match_the_default_config() {
        for s in settings::ALL {
            assert_eq!(s.check(s.default), Ok(s.default), "{s}");
            assert!(s.min >= 1, "{s}: zero is never a valid window or size");
            assert!(i64::try_from(s.max).is_ok(), "{s}");
        }
        let validated = Config::validate(RawConfig::default()).unwrap();
        let d = Config::default();
        assert_eq!(
            (
                validated.elevation_window_secs,
                validated.approval_ttl_secs,
                validated.max_body_bytes,
            ),
            (
                d.elevation_window_secs,
                d.approval_ttl_secs,
                d.max_body_bytes
            )
        );
    }

    #[test]
    fn a_value_out_of_range_is_refused_by_name() {
        let raw = RawConfig {
            approval_ttl_secs: 10_000_000_000_000_000,
            ..RawConfig::default()
        };
        let e = Config::validate(raw).unwrap_err();
        assert_eq!(e.setting, settings::APPROVAL_TTL_SECS);
        assert_eq!(
            e.to_string(),
            "--approval-ttl-secs (AIRLOCK_APPROVAL_TTL_SECS) must be between 1 and 604800, not 10000000000000000"
        );
        for (field, value) in [
            ("elevation", 0),
            ("elevation", 301),
            ("ttl", 0),
            ("body", 1023),
        ] {
            let mut raw = RawConfig::default();
            match field {
                "elevation" => raw.elevation_window_secs = value,
                "ttl" => raw.approval_ttl_secs = value,
                _ => raw.max_body_bytes = value,
            }
            assert!(Config::validate(raw).is_err(), "{field} {value}");
        }
        // `bench_routes` exists only with the bench-baseline feature.
        #[allow(clippy::needless_update)]
        let edge = RawConfig {
            elevation_window_secs: 300,
            approval_ttl_secs: 604_800,
            max_body_bytes: 1024,
            ..RawConfig::default()
        };
        assert!(Config::validate(edge).is_ok());
    }
}
