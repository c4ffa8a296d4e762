//! Testing the organization's policies against a sample call, like `airlock policies test`:
//! the call is a JSON object (`effect`, `agent_id`, `action_name`, `input`, …); each stored
//! policy is evaluated alone (which ones match), then all together as the check would (the
//! would-be verdict of the Spot Guard).

use airlock_core::Effect;
use airlock_policy::{Call, CallFacts, PolicySet, StoredPolicy};
use serde_json::Value;

/// A sample call as the form gave it, parsed.
pub struct Sample {
    pub effect: Effect,
    strings: [String; 7],
    capabilities: Vec<String>,
    numbers: [u64; 5],
    pub facts: CallFacts,
}

/// The longest sample call accepted.
pub const MAX_SAMPLE: usize = 64 * 1024;

/// An example the form starts with.
pub const EXAMPLE: &str = r#"{
  "effect": "destructive",
  "agent_id": "agt_example",
  "agent_name": "example",
  "framework": "custom",
  "capabilities": ["db:write"],
  "action_name": "db.query",
  "server_id": "",
  "server_name": "",
  "session_mode": "standard",
  "input": {"sql": "DROP TABLE users"}
}"#;

/// Parses the sample call; the error says what is wrong, for the form.
pub fn parse(text: &str) -> Result<Sample, String> {
    if text.len() > MAX_SAMPLE {
        return Err(format!("the sample call is larger than {MAX_SAMPLE} bytes"));
    }
    let c: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "the sample call is not JSON: line {}, column {}: {e}",
            e.line(),
            e.column()
        )
    })?;
    if !c.is_object() {
        return Err("the sample call must be a JSON object".into());
    }
    let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let n = |k: &str| c.get(k).and_then(Value::as_u64).unwrap_or(0);
    let effect: Effect = s("effect").parse().map_err(|_| {
        "the sample call needs `effect`: read, mutating, destructive or admin".to_string()
    })?;
    let capabilities = c
        .get("capabilities")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    let mode = c
        .get("session_mode")
        .and_then(Value::as_str)
        .unwrap_or("standard")
        .to_string();
    let input = c.get("input").cloned().unwrap_or(Value::Null);
    Ok(Sample {
        effect,
        strings: [
            s("agent_id"),
            s("agent_name"),
            s("framework"),
            s("action_name"),
            s("server_id"),
            s("server_name"),
            mode,
        ],
        capabilities,
        numbers: [
            n("total_calls"),
            n("denied_calls"),
            n("write_calls"),
            n("hour_utc"),
            c.get("weekday_utc").and_then(Value::as_u64).unwrap_or(1),
        ],
        facts: airlock_policy::extract(&input),
    })
}

impl Sample {
    fn call(&self) -> Call<'_> {
        let [agent, name, framework, action, server_id, server_name, mode] = &self.strings;
        let [total, denied, writes, hour, weekday] = self.numbers;
        Call {
            effect: self.effect,
            agent_id: agent,
            agent_name: name,
            framework,
            capabilities: &self.capabilities,
            action_name: action,
            server_id,
            server_name,
            session_id: "console-test",
            session_mode: mode,
            input_digest: "",
            declared_effect: "",
            facts: &self.facts,
            total_calls: total,
            denied_calls: denied,
            write_calls: writes,
            hour_utc: u32::try_from(hour).unwrap_or(0),
            weekday_utc: u32::try_from(weekday).unwrap_or(1),
        }
    }
}

/// What one stored policy does to the sample call on its own.
pub struct Match {
    pub policy_id: String,
    pub log_only: bool,
    /// `forbids`, `requires approval` or `errors: …`.
    pub what: String,
}

/// The result of a test: the matching policies and the verdict all of them give together.
pub struct Outcome {
    pub matches: Vec<Match>,
    pub verdict: String,
    pub errors: Vec<String>,
    pub log_only: Vec<String>,
}

/// A stored policy as the test reads it: id, text, log-only.
pub type Stored = (String, String, bool);

/// Evaluates `policies` against the sample.
pub fn run(policies: &[Stored], sample: &Sample) -> Outcome {
    let call = sample.call();
    let mut matches = Vec::new();
    for (id, text, log_only) in policies {
        let alone = PolicySet::build([StoredPolicy {
            id,
            text,
            log_only: false,
        }]);
        let out = alone.evaluate(&call);
        let what = if let Some(e) = out.errors.first() {
            Some(format!("errors: {e}"))
        } else {
            out.forbid.map(|f| {
                if f.approval_required {
                    "requires approval".to_string()
                } else {
                    "forbids".to_string()
                }
            })
        };
        if let Some(what) = what {
            matches.push(Match {
                policy_id: id.clone(),
                log_only: *log_only,
                what,
            });
        }
    }
    let all = PolicySet::build(policies.iter().map(|(id, text, log_only)| StoredPolicy {
        id,
        text,
        log_only: *log_only,
    }));
    let out = all.evaluate(&call);
    let verdict = if !out.errors.is_empty() {
        "deny (a policy could not be evaluated)".to_string()
    } else {
        match &out.forbid {
            Some(f) if f.approval_required => {
                format!("approval required (policy `{}`)", f.policy_id)
            }
            Some(f) => format!("deny (policy `{}` forbids)", f.policy_id),
            None => "no policy forbids: the other guards decide".to_string(),
        }
    };
    Outcome {
        matches,
        verdict,
        errors: out.errors,
        log_only: out.log_only,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forbid_on_drop_matches_and_denies() {
        let text = "forbid(principal, action == Airlock::Action::\"destructive\", resource)\nwhen { context.statements.contains(\"drop_table\") };";
        let sample = parse(EXAMPLE).unwrap();
        let out = run(&[("no-drop".into(), text.into(), false)], &sample);
        assert_eq!(out.matches.len(), 1, "{}", out.verdict);
        assert!(out.verdict.starts_with("deny"), "{}", out.verdict);
        let out = run(&[("no-drop".into(), text.into(), true)], &sample);
        assert_eq!(out.matches.len(), 1);
        assert!(
            out.verdict.starts_with("no policy forbids"),
            "{}",
            out.verdict
        );
        assert_eq!(out.log_only.len(), 1);
    }

    #[test]
    fn a_bad_sample_says_why() {
        assert!(parse("{").err().unwrap().contains("line 1"));
        assert!(parse("{}").err().unwrap().contains("effect"));
    }
}
