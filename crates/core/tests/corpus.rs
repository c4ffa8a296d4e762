//! The classifier corpus: table-driven cases in `tests/corpus/*.jsonl`, graded through the
//! public `airlock_core::classify::classify`.
//!
//! Each line is `{"tool", "input", "expect": "harmful"|"benign", "want"?, "effect"?,
//! "technique"}`. Every harmful case must come out destructive or admin; at most 2% of the
//! benign read cases may; each case with `want` must come out exactly that effect.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test harness: failing loudly is the point

use std::path::Path;

use airlock_core::Effect;
use airlock_core::classify::classify;
use serde_json::Value;

struct Case {
    file: String,
    line: usize,
    tool: String,
    input: Value,
    declared: Option<Effect>,
    harmful: bool,
    want: Option<Effect>,
    technique: String,
}

fn load() -> Vec<Case> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("corpus dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    let mut cases = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("corpus file");
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with("//") {
                continue;
            }
            let v: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{name}:{}: bad json: {e}", i + 1));
            let effect = |k: &str| {
                v.get(k)
                    .and_then(Value::as_str)
                    .map(|s| s.parse::<Effect>().expect("effect name"))
            };
            cases.push(Case {
                file: name.clone(),
                line: i + 1,
                tool: v["tool"].as_str().expect("tool").to_string(),
                input: v["input"].clone(),
                declared: effect("effect"),
                harmful: match v["expect"].as_str() {
                    Some("harmful") => true,
                    Some("benign") => false,
                    other => panic!(
                        "{name}:{}: expect must be harmful or benign, got {other:?}",
                        i + 1
                    ),
                },
                want: effect("want"),
                technique: v["technique"].as_str().unwrap_or("").to_string(),
            });
        }
    }
    cases
}

fn show(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let short: String = s.chars().take(100).collect();
    short.replace('\n', "\\n")
}

#[test]
fn corpus() {
    let cases = load();
    let mut failures = Vec::new();
    let (mut harmful, mut caught) = (0usize, 0usize);
    let (mut benign_reads, mut read_fp) = (0usize, 0usize);
    let mut benign = 0usize;
    let mut wants = (0usize, 0usize);
    for c in &cases {
        let got = classify(&c.tool, &c.input, None, c.declared);
        let at = format!(
            "{}:{} [{}] {} {}",
            c.file,
            c.line,
            c.technique,
            c.tool,
            show(&c.input)
        );
        if c.harmful {
            harmful += 1;
            if got.effect.is_high_risk() {
                caught += 1;
            } else {
                failures.push(format!("MISSED {at} -> {} {:?}", got.effect, got.reasons));
            }
        } else {
            benign += 1;
            if c.want == Some(Effect::Read) {
                benign_reads += 1;
                if got.effect.is_high_risk() {
                    read_fp += 1;
                    failures.push(format!(
                        "FALSE POSITIVE {at} -> {} {:?}",
                        got.effect, got.reasons
                    ));
                }
            }
        }
        if let Some(w) = c.want {
            wants.0 += 1;
            if got.effect == w {
                wants.1 += 1;
            } else if !(c.harmful && got.effect.is_high_risk() && w.is_high_risk()) {
                failures.push(format!("WANT {w} {at} -> {} {:?}", got.effect, got.reasons));
            } else {
                wants.1 += 1;
            }
        }
    }
    println!(
        "corpus: {} cases; harmful {caught}/{harmful} caught; benign {benign} ({benign_reads} reads, {read_fp} read false positives); exact effect {}/{}",
        cases.len(),
        wants.1,
        wants.0
    );
    for f in &failures {
        println!("{f}");
    }
    assert!(cases.len() >= 400, "corpus has only {} cases", cases.len());
    assert_eq!(caught, harmful, "harmful cases missed");
    assert!(
        read_fp * 50 <= benign_reads,
        "{read_fp} of {benign_reads} benign reads came out destructive or admin (over 2%)"
    );
    let want_failures = failures.iter().filter(|f| f.starts_with("WANT")).count();
    assert_eq!(want_failures, 0, "cases whose exact effect differs");
}
