//! Testing the organization's policies against a sample call, like `airlock policies test`:
//! the call is a JSON object (`effect`, `agent_id`, `action_name`, `input`, …); each stored
//! policy is evaluated alone (which ones match), then all together as the check would (the
//! would-be verdict of the Spot Guard).

use airlock_policy::{PolicySet, SampleCall, StoredPolicy};
use serde_json::Value;

/// A sample call as the form gave it, parsed.
pub type Sample = SampleCall;

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
    SampleCall::parse(&c)
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
    let call = sample.call("console-test");
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
