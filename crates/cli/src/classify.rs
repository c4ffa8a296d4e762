//! `airlock classify`: JSON Lines in, one verdict line out per input line, in order. The same
//! function as the server's check.

use std::io::{BufRead, Read, Write};

use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Deserialize)]
struct Line {
    tool: String,
    #[serde(default)]
    input: Value,
    #[serde(default)]
    effect: Option<String>,
}

/// The longest line read; longer lines get an error and are skipped.
const MAX_LINE: usize = 1024 * 1024;

fn answer(line: &str) -> Value {
    let parsed: Line = match serde_json::from_str(line) {
        Ok(l) => l,
        Err(e) => return json!({"error": format!("cannot read line: {e}")}),
    };
    let declared = match parsed
        .effect
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        None => None,
        Some(e) => match e.parse() {
            Ok(e) => Some(e),
            Err(err) => return json!({"error": format!("{err}")}),
        },
    };
    let input = if parsed.input.is_null() {
        Value::String(String::new())
    } else {
        parsed.input
    };
    let c = airlock_core::classify::classify(&parsed.tool, &input, None, declared);
    json!({"effect": c.effect, "reasons": c.reasons})
}

pub fn run() -> anyhow::Result<()> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = input
            .by_ref()
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buf)?;
        if n == 0 {
            break;
        }
        let value = if buf.len() > MAX_LINE && !buf.ends_with(b"\n") {
            // Skip the rest of the overlong line.
            let mut rest = Vec::new();
            input.read_until(b'\n', &mut rest)?;
            json!({"error": format!("line longer than {MAX_LINE} bytes")})
        } else {
            let text = String::from_utf8_lossy(&buf);
            let text = text.trim();
            if text.is_empty() {
                continue;
            }
            answer(text)
        };
        serde_json::to_writer(&mut out, &value)?;
        out.write_all(b"\n")?;
        out.flush()?;
    }
    Ok(())
}
