//! Effects: what a tool call does to the world.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What a call does. `Read < Mutating < Destructive`; `Admin` (grants, roles, deploys, access
/// configuration) ranks with `Destructive` and takes the same, highest, route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Effect {
    Read,
    Mutating,
    Destructive,
    Admin,
}

impl Effect {
    /// Risk rank: 0 read, 1 mutating, 2 destructive and admin.
    pub fn rank(self) -> u8 {
        match self {
            Effect::Read => 0,
            Effect::Mutating => 1,
            Effect::Destructive | Effect::Admin => 2,
        }
    }

    /// The riskier of two effects. On equal rank `Admin` wins over `Destructive`, so that a
    /// call that both deletes and grants is reported as the access change it also is.
    pub fn max(self, other: Effect) -> Effect {
        match self.rank().cmp(&other.rank()) {
            std::cmp::Ordering::Less => other,
            std::cmp::Ordering::Greater => self,
            std::cmp::Ordering::Equal => {
                if self == Effect::Admin || other == Effect::Admin {
                    Effect::Admin
                } else {
                    self
                }
            }
        }
    }

    /// True for anything above read.
    pub fn is_write(self) -> bool {
        self.rank() > 0
    }

    /// True for destructive and admin: the effects that need the Deep guardian tier.
    pub fn is_high_risk(self) -> bool {
        self.rank() >= 2
    }

    /// One risk tier up (behavioural escalation). Destructive and admin stay where they are.
    pub fn raised(self) -> Effect {
        match self {
            Effect::Read => Effect::Mutating,
            Effect::Mutating => Effect::Destructive,
            other => other,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Read => "read",
            Effect::Mutating => "mutating",
            Effect::Destructive => "destructive",
            Effect::Admin => "admin",
        }
    }
}

impl fmt::Display for Effect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An effect name that is not one of `read`, `mutating`, `destructive`, `admin`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown effect `{0}`: expected read, mutating, destructive or admin")]
pub struct UnknownEffectError(pub String);

impl FromStr for Effect {
    type Err = UnknownEffectError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "read" => Ok(Effect::Read),
            "mutating" => Ok(Effect::Mutating),
            "destructive" => Ok(Effect::Destructive),
            "admin" => Ok(Effect::Admin),
            _ => Err(UnknownEffectError(s.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn max_is_by_rank_and_admin_wins_ties() {
        assert_eq!(Effect::Read.max(Effect::Mutating), Effect::Mutating);
        assert_eq!(
            Effect::Destructive.max(Effect::Mutating),
            Effect::Destructive
        );
        assert_eq!(Effect::Destructive.max(Effect::Admin), Effect::Admin);
        assert_eq!(Effect::Admin.max(Effect::Destructive), Effect::Admin);
        assert_eq!(Effect::Read.max(Effect::Read), Effect::Read);
    }

    #[test]
    fn raised_goes_one_tier_up() {
        assert_eq!(Effect::Read.raised(), Effect::Mutating);
        assert_eq!(Effect::Mutating.raised(), Effect::Destructive);
        assert_eq!(Effect::Admin.raised(), Effect::Admin);
    }

    #[test]
    fn parses_only_the_four_names() {
        assert_eq!("Destructive".parse::<Effect>(), Ok(Effect::Destructive));
        assert!("write".parse::<Effect>().is_err());
        assert!("".parse::<Effect>().is_err());
    }
}
