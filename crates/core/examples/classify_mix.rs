//! Time per classification over a file of calls, in this process: reads JSON Lines
//! `{"tool", "input"}` (as `airlock classify` does), then classifies them all `ROUNDS` times in
//! file order and prints the mean time per call. Used to compare the classifier's cost in a
//! loop with its share of a check in the server (docs/benchmarks.md).
//!
//!   cargo run --release -p airlock-core --example classify_mix < calls.jsonl

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // a benchmark harness

use std::io::BufRead;
use std::time::Instant;

use airlock_core::classify::analyse;
use serde_json::Value;

fn main() {
    let rounds: usize = std::env::var("ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(5);
    let calls: Vec<(String, Value)> = std::io::stdin()
        .lock()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(&l.unwrap()).unwrap();
            (v["tool"].as_str().unwrap().to_string(), v["input"].clone())
        })
        .collect();
    let mut effects = 0usize;
    let started = Instant::now();
    for _ in 0..rounds {
        for (tool, input) in &calls {
            effects += usize::from(analyse(tool, input).content.is_some());
        }
    }
    let per = started.elapsed().as_secs_f64() / (rounds * calls.len()) as f64;
    println!(
        "{} calls x {rounds}: {:.2} us a classification (checksum {effects})",
        calls.len(),
        per * 1e6
    );
}
