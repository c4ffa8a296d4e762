//! Session state: scope ceiling, mode, elevation, counters.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The longest an elevation may last.
pub const MAX_ELEVATION_SECS: i64 = 300;

/// A session's base mode. `read_only` is the default; `standard` lets writes through to the
/// guardian tiers without elevation. Elevation is not a base mode: it is a deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BaseMode {
    ReadOnly,
    Standard,
}

impl BaseMode {
    pub fn parse(s: &str) -> Option<BaseMode> {
        match s {
            "read_only" => Some(BaseMode::ReadOnly),
            "standard" => Some(BaseMode::Standard),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BaseMode::ReadOnly => "read_only",
            BaseMode::Standard => "standard",
        }
    }
}

/// The mode in force at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    ReadOnly,
    Standard,
    Elevated,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::ReadOnly => "read_only",
            Mode::Standard => "standard",
            Mode::Elevated => "elevated",
        }
    }

    pub fn allows_writes(self) -> bool {
        self != Mode::ReadOnly
    }
}

/// Call counters of a session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counters {
    pub total: u64,
    pub read: u64,
    pub write: u64,
    pub denied: u64,
}

impl Counters {
    /// The counters after one more decision.
    pub fn after(self, write: bool, allowed: bool) -> Counters {
        Counters {
            total: self.total + 1,
            read: self.read + u64::from(!write),
            write: self.write + u64::from(write),
            denied: self.denied + u64::from(!allowed),
        }
    }
}

/// What the pipeline needs to know about a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionState {
    pub id: String,
    pub agent_id: String,
    pub scope_ceiling: Vec<String>,
    pub base_mode: BaseMode,
    pub elevated_until: Option<DateTime<Utc>>,
    pub counters: Counters,
}

impl SessionState {
    /// The mode at `now`: elevation reverts by itself when its deadline passes.
    pub fn mode_at(&self, now: DateTime<Utc>) -> Mode {
        match self.elevated_until {
            Some(until) if now < until => Mode::Elevated,
            _ => match self.base_mode {
                BaseMode::ReadOnly => Mode::ReadOnly,
                BaseMode::Standard => Mode::Standard,
            },
        }
    }
}

/// The deadline of an elevation granted at `now` for `requested_secs`, capped at five minutes.
pub fn elevation_deadline(now: DateTime<Utc>, requested_secs: i64) -> DateTime<Utc> {
    let secs = requested_secs.clamp(1, MAX_ELEVATION_SECS);
    now + chrono::Duration::seconds(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + secs, 0).unwrap_or_default()
    }

    #[test]
    fn elevation_reverts_after_its_deadline() {
        let mut s = SessionState {
            id: "s".into(),
            agent_id: "a".into(),
            scope_ceiling: vec![],
            base_mode: BaseMode::ReadOnly,
            elevated_until: None,
            counters: Counters::default(),
        };
        assert_eq!(s.mode_at(at(0)), Mode::ReadOnly);
        s.elevated_until = Some(elevation_deadline(at(0), 3600));
        assert_eq!(s.mode_at(at(299)), Mode::Elevated);
        assert_eq!(s.mode_at(at(300)), Mode::ReadOnly, "capped at five minutes");
    }

    #[test]
    fn counters_count_reads_writes_and_denials() {
        let c = Counters::default().after(false, true).after(true, false);
        assert_eq!(
            c,
            Counters {
                total: 2,
                read: 1,
                write: 1,
                denied: 1
            }
        );
    }
}
