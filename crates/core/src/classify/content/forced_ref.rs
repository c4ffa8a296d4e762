//! A tool that moves a git ref with `force` set (docs/classifier.md, "The twentieth sets"):
//! `github_update_ref {"ref": "heads/main", "sha": …, "force": true}` moves the branch
//! anywhere, and the commits it held can be lost, as with `git push --force` and the HTTP
//! body `"force": true` on `git/refs`. Destructive; `force: false` and no `force` stay what
//! the name says.

use serde_json::{Map, Value};

use super::Ctx;
use crate::Effect;

/// Verbs that move a ref.
const VERBS: &[&str] = &["update", "set", "move", "reset", "patch", "edit", "modify"];

pub(crate) fn analyse(ctx: &mut Ctx, tool: &str, map: &Map<String, Value>) {
    // `Force` and `FORCE` are the same field to a tool that reads keys loosely (the review).
    let Some(force) = map.iter().find_map(|(k, v)| {
        ["force", "forced", "force_update", "forceupdate"]
            .iter()
            .any(|n| k.eq_ignore_ascii_case(n))
            .then_some(v)
    }) else {
        return;
    };
    let on = match force {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|v| v != 0.0),
        Value::String(s) => matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "1" | "yes" | "on" | "t" | "y"
        ),
        _ => false,
    };
    if !on {
        return;
    }
    let words = crate::classify::name::words(tool);
    let ref_named = words.iter().any(|w| {
        matches!(
            w.as_str(),
            "ref" | "refs" | "branch" | "branches" | "reference"
        )
    });
    let moves = words.iter().any(|w| VERBS.contains(&w.as_str()));
    if ref_named && moves {
        ctx.add(
            Effect::Destructive,
            format!("`{tool}` moves a git ref with `force` set (commits on it can be lost)"),
        );
    }
}
