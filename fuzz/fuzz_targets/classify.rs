//! Feeds arbitrary bytes to the classifier: as a string input for tools of every kind, and as
//! a JSON input when the bytes parse. Any panic, stack overflow or timeout is a finding.

#![no_main]

use airlock_core::classify::classify;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let input = Value::String(text);
    for tool in ["shell", "run_sql", "tool", "http_request", "code_interpreter", "web_search"] {
        let c = classify(tool, &input, None, None);
        assert!(!c.reasons.is_empty());
    }
    if let Ok(v) = serde_json::from_slice::<Value>(data) {
        let c = classify("tool", &v, None, None);
        assert!(!c.reasons.is_empty());
    }
});
