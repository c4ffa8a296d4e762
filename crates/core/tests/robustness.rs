//! The classifier never panics and always answers in bounded time: pseudo-random and
//! adversarial inputs (deep nesting, unclosed quotes, 64 KiB inputs, random bytes).

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test harness

use std::time::{Duration, Instant};

use airlock_core::Effect;
use airlock_core::classify::classify;
use serde_json::{Value, json};

/// Generous bound for one call in a debug build on a shared 2-core machine.
const WORST: Duration = Duration::from_secs(2);

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const PIECES: &[&str] = &[
    "rm",
    " -rf ",
    "/tmp/at-victim",
    "$(",
    ")",
    "`",
    "'",
    "\"",
    "\\",
    ";",
    "|",
    "&&",
    "||",
    "<<EOF\n",
    "\nEOF\n",
    "<<<",
    ">",
    ">>",
    "2>&1",
    "{",
    "}",
    "(",
    ")",
    "$'\\x72'",
    "${X}",
    "bash -c ",
    "sh -c '",
    "eval ",
    "sudo ",
    "env -i ",
    "xargs ",
    "find . -exec ",
    " \\; ",
    "psql -c \"",
    "DROP TABLE t",
    "SELECT ",
    " FROM ",
    " WHERE ",
    "1=1",
    "--",
    "/*",
    "*/",
    "/*!",
    "$$",
    "DO $$ BEGIN ",
    " END $$",
    "WITH d AS (",
    "DELETE FROM t",
    "'; DROP",
    "python -c \"",
    "import os;os.system('",
    "node -e ",
    "{\"sql\":",
    "[",
    "]",
    "\n",
    "\t",
    "GET ",
    "DELETE https://x/",
    "é",
    "ДROP",
    "\u{0}",
    "\u{202e}",
    "*",
    "?",
    "~",
    "#",
];

fn check(tool: &str, input: &Value) -> Duration {
    let start = Instant::now();
    let c = classify(tool, input, None, None);
    let took = start.elapsed();
    if took > Duration::from_millis(200) {
        println!(
            "SLOW {took:?} {tool} {}",
            input.to_string().chars().take(80).collect::<String>()
        );
    }
    assert!(!c.reasons.is_empty(), "no reasons for {tool}");
    assert!(
        took < WORST,
        "{tool} took {took:?} on {}",
        input.to_string().chars().take(120).collect::<String>()
    );
    took
}

#[test]
fn random_fragments_never_panic() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let tools = [
        "shell",
        "run_sql",
        "tool",
        "http_request",
        "code_interpreter",
        "web_search",
    ];
    for i in 0..3000 {
        let n = 1 + rng.below(40);
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(PIECES[rng.below(PIECES.len())]);
        }
        let tool = tools[i % tools.len()];
        check(tool, &json!(s));
        if i % 5 == 0 {
            check(tool, &json!({"command": s.clone(), "sql": s}));
        }
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for i in 0..2000 {
        let len = rng.below(300);
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        let s = String::from_utf8_lossy(&bytes).into_owned();
        check(if i % 2 == 0 { "shell" } else { "run_sql" }, &json!(s));
        if let Ok(v) = serde_json::from_slice::<Value>(&bytes) {
            check("tool", &v);
        }
    }
}

#[test]
fn adversarial_inputs_are_bounded_and_escalate() {
    let big = 64 * 1024;
    let cases: Vec<(&str, String)> = vec![
        ("shell", format!("rm -rf / ; {}", "$(".repeat(10_000))),
        ("shell", "`".repeat(big)),
        ("shell", "(".repeat(big)),
        ("shell", "{ ".repeat(big / 2)),
        ("shell", format!("echo '{}", "a".repeat(big))),
        ("shell", "ls; ".repeat(big / 4)),
        (
            "shell",
            "echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo $(echo hi))))))))) "
                .repeat(600),
        ),
        ("shell", "a=1 ".repeat(big / 4)),
        ("shell", "cat <<EOF\n".repeat(big / 8)),
        ("shell", "x | ".repeat(big / 4)),
        ("run_sql", "SELECT 1; ".repeat(big / 10)),
        (
            "run_sql",
            format!("SELECT {}1{}", "(".repeat(30_000), ")".repeat(30_000)),
        ),
        ("run_sql", format!("SELECT '{}", "x".repeat(big))),
        ("run_sql", "/*".repeat(big / 2)),
        ("run_sql", "DO $$ BEGIN EXECUTE 'x'; ".repeat(big / 24)),
        (
            "run_sql",
            "SELECT a FROM t WHERE b IN (SELECT c FROM u WHERE d = 1) AND e > 2; ".repeat(900),
        ),
        (
            "tool",
            format!("{}\"x\"{}", "[".repeat(10_000), "]".repeat(10_000)),
        ),
        ("tool", "{\"a\":".repeat(5_000)),
        ("code_interpreter", "'".repeat(big)),
        (
            "code_interpreter",
            "os.system('rm -rf x'); ".repeat(big / 24),
        ),
    ];
    let mut worst = Duration::ZERO;
    for (tool, s) in &cases {
        let took = check(tool, &json!(s));
        worst = worst.max(took);
    }
    // Oversized and over-deep inputs never come out as reads.
    for s in [
        format!("rm -rf / ; {}", "$(".repeat(10_000)),
        "ls ".repeat(30_000),
    ] {
        let c = classify("shell", &json!(s), None, None);
        assert!(c.effect.is_high_risk(), "{:?}", c.reasons);
    }
    let mut nested = json!("DROP TABLE t");
    for _ in 0..200 {
        nested = json!({ "n": nested });
    }
    assert!(classify("tool", &nested, None, None).effect.is_high_risk());
    let mut bash = String::from("rm -rf /tmp/at-victim");
    for _ in 0..10 {
        bash = format!("bash -c '{}'", bash.replace('\'', "'\\''"));
    }
    assert_eq!(
        classify("shell", &json!(bash), None, None).effect,
        Effect::Destructive
    );
    println!("worst adversarial case: {worst:?}");
}
