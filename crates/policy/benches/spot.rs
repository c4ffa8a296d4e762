//! Spot Guard cost: one evaluation with 10, 100 and 1,000 stored policies, of which five can
//! apply to the call and the rest are scoped to other agents or tools (as an organization's
//! per-agent policies are). Prints the p50 of 2,000 timed evaluations per size, then lets
//! Criterion measure the same. Run: `cargo bench -p airlock-policy --bench spot`.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)] // a benchmark harness

use std::hint::black_box;
use std::time::Instant;

use airlock_core::Effect;
use airlock_policy::{Call, CallFacts, PolicySet, StoredPolicy, extract};
use criterion::{Criterion, criterion_group, criterion_main};
use serde_json::json;

fn texts(n: usize) -> Vec<(String, String)> {
    (0..n)
        .map(|i| {
            let text = if i < 5 {
                format!(
                    "forbid (principal, action, resource) when {{ context.tables_list like \"* payments{i}*\" && context.statements.contains(\"delete\") }};"
                )
            } else if i % 2 == 0 {
                format!(
                    "forbid (principal == Airlock::Agent::\"agent-{i}\", action, resource) when {{ context.programs.contains(\"terraform\") }};"
                )
            } else {
                format!(
                    "@approval(\"required\") forbid (principal, action, resource == Airlock::Tool::\"tool_{i}\") when {{ context.hour_utc > 20 }};"
                )
            };
            (format!("p{i}"), text)
        })
        .collect()
}

fn build(n: usize) -> PolicySet {
    let t = texts(n);
    PolicySet::build(t.iter().map(|(id, text)| StoredPolicy {
        id,
        text,
        log_only: false,
    }))
}

fn call<'a>(facts: &'a CallFacts, caps: &'a [String]) -> Call<'a> {
    Call {
        effect: Effect::Mutating,
        agent_id: "agent-1",
        agent_name: "agent one",
        framework: "custom",
        capabilities: caps,
        action_name: "execute_sql",
        server_id: "",
        server_name: "",
        session_id: "sess-1",
        session_mode: "standard",
        input_digest: "0123456789abcdef",
        declared_effect: "",
        facts,
        total_calls: 10,
        denied_calls: 1,
        write_calls: 3,
        hour_utc: 10,
        weekday_utc: 3,
    }
}

fn p50_micros(set: &PolicySet, facts: &CallFacts, caps: &[String]) -> f64 {
    let mut times: Vec<u128> = (0..2000)
        .map(|_| {
            let started = Instant::now();
            black_box(set.evaluate(&call(facts, caps)));
            started.elapsed().as_nanos()
        })
        .collect();
    times.sort_unstable();
    times[times.len() / 2] as f64 / 1000.0
}

fn bench(c: &mut Criterion) {
    let input = json!({"sql": "UPDATE orders SET state = 'paid' WHERE id = 42"});
    let facts = extract(&input);
    let caps = vec!["db.*".to_string()];
    for n in [10, 100, 1000] {
        let set = build(n);
        println!(
            "spot p50 with {n} policies: {:.1} µs",
            p50_micros(&set, &facts, &caps)
        );
        c.bench_function(&format!("spot_evaluate_{n}_policies"), |b| {
            b.iter(|| black_box(set.evaluate(&call(&facts, &caps))))
        });
    }
    c.bench_function("spot_extract_facts_sql", |b| {
        b.iter(|| black_box(extract(black_box(&input))))
    });
    c.bench_function("spot_build_1000_policies", |b| {
        b.iter(|| black_box(build(1000)))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
