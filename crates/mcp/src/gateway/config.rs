//! The gateway's settings, validated when they are made: a [`GatewayConfig`] always holds
//! values inside their ranges. The CLI reads flags and environment variables and builds it;
//! this crate never reads the environment.

use std::time::Duration;

/// A setting outside its range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{setting} must be between {min} and {max}, not {value}")]
pub struct ConfigError {
    pub setting: &'static str,
    pub value: u64,
    pub min: u64,
    pub max: u64,
}

/// Limits and timeouts of the gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayConfig {
    timeout: Duration,
    max_body_bytes: usize,
    max_response_bytes: usize,
}

/// Bounds of each setting: (smallest, largest).
pub const TIMEOUT_SECS: (u64, u64) = (1, 3_600);
pub const MAX_BODY_BYTES: (u64, u64) = (1_024, 256 * 1024 * 1024);
pub const MAX_RESPONSE_BYTES: (u64, u64) = (1_024, 1024 * 1024 * 1024);

impl Default for GatewayConfig {
    fn default() -> Self {
        GatewayConfig {
            timeout: Duration::from_secs(30),
            max_body_bytes: 4 * 1024 * 1024,
            max_response_bytes: 16 * 1024 * 1024,
        }
    }
}

fn bounded(setting: &'static str, value: u64, (min, max): (u64, u64)) -> Result<u64, ConfigError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ConfigError {
            setting,
            value,
            min,
            max,
        })
    }
}

fn size(setting: &'static str, value: u64, range: (u64, u64)) -> Result<usize, ConfigError> {
    let v = bounded(setting, value, range)?;
    usize::try_from(v).map_err(|_| ConfigError {
        setting,
        value,
        min: range.0,
        max: usize::MAX as u64,
    })
}

impl GatewayConfig {
    /// How long the upstream may take to answer, and to send the next bytes of a streamed
    /// answer to a POST.
    pub fn with_timeout_secs(mut self, secs: u64) -> Result<Self, ConfigError> {
        self.timeout = Duration::from_secs(bounded("timeout_secs", secs, TIMEOUT_SECS)?);
        Ok(self)
    }

    /// The largest request body accepted from a client.
    pub fn with_max_body_bytes(mut self, bytes: u64) -> Result<Self, ConfigError> {
        self.max_body_bytes = size("max_body_bytes", bytes, MAX_BODY_BYTES)?;
        Ok(self)
    }

    /// The largest JSON answer or SSE event accepted from the upstream.
    pub fn with_max_response_bytes(mut self, bytes: u64) -> Result<Self, ConfigError> {
        self.max_response_bytes = size("max_response_bytes", bytes, MAX_RESPONSE_BYTES)?;
        Ok(self)
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    pub fn max_body_bytes(&self) -> usize {
        self.max_body_bytes
    }

    pub fn max_response_bytes(&self) -> usize {
        self.max_response_bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_outside_their_range_are_errors_that_name_them() {
        let c = GatewayConfig::default();
        assert_eq!(c.timeout(), Duration::from_secs(30));
        let e = c.clone().with_timeout_secs(0).unwrap_err();
        assert_eq!(e.setting, "timeout_secs");
        assert!(
            e.to_string()
                .contains("timeout_secs must be between 1 and 3600")
        );
        assert!(c.clone().with_timeout_secs(3_601).is_err());
        assert!(c.clone().with_max_body_bytes(10).is_err());
        assert!(c.clone().with_max_response_bytes(u64::MAX).is_err());
        let c = c
            .with_timeout_secs(5)
            .and_then(|c| c.with_max_body_bytes(2048))
            .and_then(|c| c.with_max_response_bytes(4096))
            .unwrap();
        assert_eq!(
            (c.timeout(), c.max_body_bytes(), c.max_response_bytes()),
            (Duration::from_secs(5), 2048, 4096)
        );
    }
}
