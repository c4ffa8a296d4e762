//! Metamorphic test of the JSON walk: every harmful case of the corpus, placed under arbitrary
//! keys and depths in objects and arrays, beside scalar settings, as JSON text inside a string,
//! and (for command lines and SQL) as an argv array, must never be judged lower than the case
//! itself. The benign read cases, wrapped the same ways, stay read.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test harness: failing loudly is the point

use std::path::Path;

use airlock_core::Effect;
use airlock_core::classify::classify;
use serde_json::{Value, json};

struct Case {
    at: String,
    tool: String,
    input: Value,
    declared: Option<Effect>,
    want: Option<Effect>,
}

fn load(file: &str) -> Vec<Case> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("corpus file");
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty() && !l.starts_with("//"))
        .map(|(i, l)| {
            let v: Value = serde_json::from_str(l).expect("json line");
            let effect = |k: &str| {
                v.get(k)
                    .and_then(Value::as_str)
                    .map(|s| s.parse::<Effect>().expect("effect"))
            };
            Case {
                at: format!("{file}:{}", i + 1),
                tool: v["tool"].as_str().expect("tool").to_string(),
                input: v["input"].clone(),
                declared: effect("effect"),
                want: effect("want"),
            }
        })
        .collect()
}

/// Keys that say nothing about their value (no reading is attached to them).
const KEYS: &[&str] = &[
    "wrapper", "outer", "k", "item", "node", "x1", "level", "inner",
];

/// A small deterministic generator, so that every run tests the same shapes.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n
    }
}

/// Nests `v` `depth` levels deep under arbitrary keys and arrays.
fn nest(v: &Value, depth: usize, rng: &mut Lcg) -> Value {
    let mut out = v.clone();
    for _ in 0..depth {
        out = match rng.next(3) {
            0 => json!({ KEYS[rng.next(KEYS.len())]: out }),
            1 => json!([out]),
            _ => json!({ KEYS[rng.next(KEYS.len())]: [out] }),
        };
    }
    out
}

/// The shapes a value is put in (with a name for the failure message).
fn shapes(v: &Value, rng: &mut Lcg) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for depth in 1..=4 {
        out.push((format!("nested {depth} deep"), nest(v, depth, rng)));
    }
    out.push((
        "beside scalar settings".into(),
        json!({"id": 7, "dry": false, "timeout": null, KEYS[rng.next(KEYS.len())]: v}),
    ));
    let wrapped = nest(&json!({ KEYS[rng.next(KEYS.len())]: v }), 1, rng);
    out.push((
        "as JSON text in a string".into(),
        json!({ KEYS[rng.next(KEYS.len())]: wrapped.to_string() }),
    ));
    out
}

#[test]
fn harmful_cases_never_drop_when_wrapped() {
    let cases = load("harmful.jsonl");
    assert!(cases.len() >= 400, "only {} harmful cases", cases.len());
    let mut rng = Lcg(10);
    let mut failures = Vec::new();
    let mut checked = 0usize;
    for c in &cases {
        let base = classify(&c.tool, &c.input, None, c.declared).effect;
        let mut forms = shapes(&c.input, &mut rng);
        // A command line or SQL text also arrives as an argv array.
        // A command line or SQL text also arrives as an argv array: the program is the one
        // that reads the text as harmful (a shell first, then a SQL client).
        let sql_tool = [
            "sql", "query", "db", "postgres", "mysql", "sqlite", "database",
        ]
        .iter()
        .any(|w| c.tool.to_ascii_lowercase().contains(w));
        let program = if sql_tool { "psql" } else { "bash" };
        // Upper-case words (SQL, a request line) are not commands a shell would run.
        if let Value::String(text) = &c.input
            && (sql_tool
                || !text
                    .trim_start()
                    .starts_with(|c: char| c.is_ascii_uppercase()))
            && classify(program, &json!(text), None, None)
                .effect
                .is_high_risk()
        {
            forms.push((
                format!("as `{program} -c` argv"),
                json!({ KEYS[rng.next(KEYS.len())]: { "argv": [program, "-c", text] } }),
            ));
        }
        for (shape, v) in forms {
            checked += 1;
            let got = classify(&c.tool, &v, None, c.declared);
            if got.effect.rank() < base.rank() {
                failures.push(format!(
                    "{} {} {shape}: {base} became {} {:?}",
                    c.at, c.tool, got.effect, got.reasons
                ));
            }
        }
    }
    println!(
        "metamorphic: {checked} wrapped harmful inputs, {} drops",
        failures.len()
    );
    for f in &failures {
        println!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} wrapped harmful inputs dropped",
        failures.len()
    );
}

#[test]
fn benign_reads_stay_read_when_wrapped() {
    let cases: Vec<Case> = ["benign.jsonl", "structured.jsonl"]
        .iter()
        .flat_map(|f| load(f))
        .filter(|c| c.want == Some(Effect::Read))
        .collect();
    assert!(cases.len() >= 150, "only {} benign reads", cases.len());
    let mut rng = Lcg(11);
    let mut failures = Vec::new();
    for c in &cases {
        for (shape, v) in shapes(&c.input, &mut rng) {
            let got = classify(&c.tool, &v, None, c.declared);
            if got.effect != Effect::Read {
                failures.push(format!(
                    "{} {} {shape}: read became {} {:?}",
                    c.at, c.tool, got.effect, got.reasons
                ));
            }
        }
    }
    for f in &failures {
        println!("{f}");
    }
    assert!(
        failures.is_empty(),
        "{} wrapped benign reads were no longer read",
        failures.len()
    );
}
