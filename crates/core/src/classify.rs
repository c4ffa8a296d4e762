//! Effect classification: `effect = max(declared hint, name tier, content tier)`.
//!
//! The name tier comes from a tool's registered `effect_override` if it has one, else from the
//! keyword tiers of the action name. The content tier parses the input. If neither says
//! anything the effect is `mutating`: unknown is never read. The declared hint can raise the
//! effect, never lower it.

pub mod content;
mod memo;
pub mod name;

use std::cell::RefCell;

use serde::Serialize;
use serde_json::Value;

use crate::Effect;
pub use content::{ContentVerdict, classify_content};
pub use name::{NameTier, name_tier};

/// The result of classification, with the reasons that name each rule that fired.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    pub effect: Effect,
    pub reasons: Vec<String>,
    pub basis: Basis,
}

/// What the effect of a classification rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// A registered override, a word of the name or the content said what the call does.
    Evidence,
    /// Nothing did: the effect is the default (`mutating`), whatever a declared hint raised.
    Default,
}

impl Classification {
    /// How sure the classification is of its effect: less when it fell back to the default.
    pub fn confidence(&self) -> f64 {
        match self.basis {
            Basis::Evidence => 1.0,
            Basis::Default => 0.8,
        }
    }
}

/// The parts of a classification that depend only on the call itself (name and input), so
/// they can be computed before any stored state is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallAnalysis {
    pub name: NameTier,
    pub content: Option<ContentVerdict>,
}

/// Analyses the name and the input of a call.
pub fn analyse(tool: &str, input: &Value) -> CallAnalysis {
    // The name tier of a tool is the same on every call.
    let name = memo::get_or(&NAME_TIERS, tool, || name_tier(tool));
    let content = classify_content(tool, &name, input);
    CallAnalysis { name, content }
}

thread_local! {
    static NAME_TIERS: RefCell<memo::Memo<NameTier>> = const { RefCell::new(memo::Memo::new()) };
}

/// Combines the analysis with the tool's registered override and the caller's declared hint.
pub fn combine(
    tool: &str,
    analysis: &CallAnalysis,
    effect_override: Option<Effect>,
    declared: Option<Effect>,
) -> Classification {
    let mut reasons = Vec::new();
    let mut effect: Option<Effect> = None;
    let mut take = |e: Effect, why: String, effect: &mut Option<Effect>| {
        *effect = Some(effect.map_or(e, |cur| cur.max(e)));
        reasons.push(why);
    };
    match (effect_override, &analysis.name) {
        (Some(e), _) => take(
            e,
            format!("name: tool `{tool}` is registered as {e}"),
            &mut effect,
        ),
        (
            None,
            NameTier {
                effect: Some(e),
                word: Some(w),
                ..
            },
        ) => take(
            *e,
            format!("name: word `{w}` in `{tool}` is {e}"),
            &mut effect,
        ),
        _ => {}
    }
    if let Some(content) = &analysis.content {
        for r in &content.reasons {
            take(
                content.effect,
                content::prefixed("content: ", r),
                &mut effect,
            );
        }
        if content.reasons.is_empty() {
            take(
                content.effect,
                format!("content: {}", content.effect),
                &mut effect,
            );
        }
    }
    let (mut effect, basis) = match effect {
        Some(e) => (e, Basis::Evidence),
        None => {
            reasons.push(format!(
                "default: nothing in `{tool}` or its input says what it does, so it counts as mutating"
            ));
            (Effect::Mutating, Basis::Default)
        }
    };
    if let Some(d) = declared.filter(|d| d.max(effect) != effect) {
        reasons.push(format!("declared: the caller declared {d}"));
        effect = d;
    }
    Classification {
        effect,
        reasons,
        basis,
    }
}

/// Classifies a call in one step (no override): what `airlock classify` and the check share.
pub fn classify(
    tool: &str,
    input: &Value,
    effect_override: Option<Effect>,
    declared: Option<Effect>,
) -> Classification {
    combine(tool, &analyse(tool, input), effect_override, declared)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_is_mutating() {
        let c = classify("frobnicate", &json!(""), None, None);
        assert_eq!(c.effect, Effect::Mutating);
        assert!(c.reasons[0].starts_with("default:"));
        assert_eq!((c.basis, c.confidence()), (Basis::Default, 0.8));
        let read = classify("web_search", &json!(""), None, None);
        assert_eq!((read.basis, read.confidence()), (Basis::Evidence, 1.0));
        // A declared hint raises the effect but does not make the default evidence.
        let declared = classify("frobnicate", &json!(""), None, Some(Effect::Admin));
        assert_eq!(
            (declared.effect, declared.basis),
            (Effect::Admin, Basis::Default)
        );
    }

    #[test]
    fn declared_hint_raises_but_never_lowers() {
        assert_eq!(
            classify("web_search", &json!(""), None, Some(Effect::Destructive)).effect,
            Effect::Destructive
        );
        assert_eq!(
            classify("delete_file", &json!(""), None, Some(Effect::Read)).effect,
            Effect::Destructive
        );
    }

    #[test]
    fn the_memoised_name_tier_is_the_computed_one() {
        for tool in ["shell", "delete_file", "web_search", "dеlete_file", "shell"] {
            assert_eq!(analyse(tool, &json!("")).name, name_tier(tool), "{tool}");
        }
    }

    #[test]
    fn override_replaces_the_name_tier() {
        assert_eq!(
            classify("delete_file", &json!(""), Some(Effect::Read), None).effect,
            Effect::Read
        );
        assert_eq!(
            classify("web_search", &json!(""), Some(Effect::Admin), None).effect,
            Effect::Admin
        );
    }
}
