//! Table-driven effect checks shared by the red-team sets' rule tests.

use airlock_core::Effect;
use airlock_core::classify::classify;
use serde_json::{Value, json};

/// `(tool, input, expected effect)`: every case must come out exactly so.
pub fn check(cases: &[(&str, Value, Effect)]) {
    let mut bad = Vec::new();
    for (tool, input, want) in cases {
        let got = classify(tool, input, None, None);
        if got.effect != *want {
            bad.push(format!(
                "{tool} {input}: want {want:?}, got {:?} {:?}",
                got.effect, got.reasons
            ));
        }
    }
    assert!(bad.is_empty(), "{} wrong:\n{}", bad.len(), bad.join("\n"));
}

/// A shell tool's input.
pub fn cmd(text: &str) -> Value {
    json!({ "command": text })
}
