//! What the fast-path differential tests share: a deterministic generator and the content
//! classification with the fast path on or off.

#![allow(dead_code, clippy::expect_used, clippy::panic, clippy::unwrap_used)] // test helpers

pub mod sqlgen;

use airlock_core::classify::content::classify_content_with;
use airlock_core::classify::{ContentVerdict, name_tier};
use serde_json::Value;

/// A small deterministic generator (xorshift64*): the same cases on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// Mostly from `safe` (what the fast path accepts), sometimes from `all`.
    pub fn mostly<'a>(&mut self, safe: &[&'a str], all: &[&'a str]) -> &'a str {
        if self.chance(85) {
            self.pick(safe)
        } else {
            self.pick(all)
        }
    }
}

/// The content classification of `input` under the tool `tool`, with the fast path on or off.
pub fn content(tool: &str, input: &Value, fast: bool) -> Option<ContentVerdict> {
    classify_content_with(tool, &name_tier(tool), input, fast)
}
