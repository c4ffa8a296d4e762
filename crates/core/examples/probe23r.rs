#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
use airlock_core::classify::classify;
use std::io::BufRead;
fn main() {
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = match serde_json::from_str(&line) {
            Ok(v) => v,
            Err(e) => {
                println!("{{\"error\":\"{e}\"}}");
                continue;
            }
        };
        let tool = v["tool"].as_str().unwrap_or("").to_string();
        let t = std::time::Instant::now();
        let c = classify(&tool, &v["input"], None, None);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        println!(
            "{}",
            serde_json::json!({"effect": c.effect.to_string(), "reasons": c.reasons, "ms": ms})
        );
    }
}
