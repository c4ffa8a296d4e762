//! The content tier: what the input of a call does (SQL, shell, HTTP, JSON arguments).
//!
//! Seam for the content analysers; see issue 3.

use serde_json::Value;

use super::name::NameTier;
use crate::Effect;

/// What the content analysers found in an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentVerdict {
    pub effect: Effect,
    pub reasons: Vec<String>,
}

/// Classifies the input of a call. `None` means the content says nothing (plain prose, an
/// empty input): the name tier, or the unknown-is-mutating default, decides.
pub fn classify_content(_tool: &str, _name: &NameTier, _input: &Value) -> Option<ContentVerdict> {
    None
}
