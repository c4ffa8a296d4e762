//! The part of a call's input kept in the decision log: its first KiB.

use std::borrow::Cow;
use std::io;

use serde_json::Value;

use crate::service::clip;

/// Largest part of an input kept in the decision log (the digest covers all of it).
pub(super) const SUMMARY_BYTES: usize = 1024;

/// The input's first `SUMMARY_BYTES` (whole characters): the string itself, or its compact
/// JSON, of which only that much is written (an input may be far longer than its summary).
pub(crate) fn summary(input: &Value) -> String {
    let text = match input {
        Value::String(s) => Cow::Borrowed(s.as_str()),
        // A character the limit cuts is dropped, as `clip` drops it from the whole text.
        other => Cow::Owned(json_prefix(other, SUMMARY_BYTES)),
    };
    clip(&text, SUMMARY_BYTES).to_string()
}

/// The first `limit` bytes of `value`'s compact JSON (all of it if shorter), cut back to
/// whole characters.
fn json_prefix(value: &Value, limit: usize) -> String {
    let mut out = Prefix {
        bytes: Vec::with_capacity(limit),
        limit,
    };
    // Writing a `Value` fails only when `Prefix` says it is full: what was written is the
    // prefix wanted either way.
    let _full = serde_json::to_writer(&mut out, value);
    match String::from_utf8(out.bytes) {
        Ok(text) => text,
        Err(cut) => {
            let whole = cut.utf8_error().valid_up_to();
            let mut bytes = cut.into_bytes();
            bytes.truncate(whole);
            String::from_utf8(bytes).unwrap_or_default()
        }
    }
}

/// A writer that takes bytes up to `limit`, then refuses.
struct Prefix {
    bytes: Vec<u8>,
    limit: usize,
}

impl io::Write for Prefix {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.bytes.len() >= self.limit {
            return Err(io::Error::other("the summary is full"));
        }
        let room = self.limit.saturating_sub(self.bytes.len());
        let taken = buf.get(..room).unwrap_or(buf);
        self.bytes.extend_from_slice(taken);
        Ok(taken.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    /// What the summary was when it serialised the whole input first.
    fn whole_then_cut(input: &Value) -> String {
        let text = match input {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        clip(&text, SUMMARY_BYTES).to_string()
    }

    #[test]
    fn a_summary_is_the_cut_of_the_whole_text() {
        let mut inputs = vec![
            json!("SELECT 1"),
            json!({}),
            json!([]),
            json!(null),
            json!(12.5),
            json!({"sql": "DROP TABLE users", "n": [1, 2, {"deep": true}]}),
            json!("é".repeat(700)),
        ];
        // Long strings of one-, two-, three- and four-byte characters, and escapes, shifted so
        // that the cut falls at every offset within a character, inside an escape, at a key
        // and at the end of the text.
        for filler in ["a", "é", "€", "😀", "\"", "\n", "\u{1}"] {
            for pad in 0..12 {
                let long = filler.repeat(1100 / filler.len().max(1));
                inputs.push(json!({"k": format!("{}{long}", "x".repeat(pad))}));
                inputs.push(json!([format!("{}{long}", "y".repeat(pad)), 1, "tail"]));
                let short = "z".repeat(1000 + pad);
                inputs.push(json!({"a": short, "b": filler, "c": filler.repeat(20)}));
            }
        }
        inputs.push(json!({"big": "q".repeat(1 << 20)}));
        for input in &inputs {
            let summary = summary(input);
            assert_eq!(summary, whole_then_cut(input), "{:.80}", input.to_string());
            assert!(summary.len() <= SUMMARY_BYTES);
        }
    }

    #[test]
    fn a_long_input_is_not_written_whole() {
        let input = json!({"big": "q".repeat(1 << 20)});
        let prefix = json_prefix(&input, SUMMARY_BYTES);
        assert_eq!(prefix.len(), SUMMARY_BYTES, "stopped at the limit");
    }
}
