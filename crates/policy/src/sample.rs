//! A sample call written as JSON, for trying policies without a real check (`airlock policies
//! test --call`, the console's policy test): `effect` (required), `agent_id`, `agent_name`,
//! `framework`, `capabilities`, `action_name`, `server_id`, `server_name`, `session_mode`
//! (default `standard`), the counters, `hour_utc`, `weekday_utc` (default 1) and `input`.

use airlock_core::Effect;
use serde_json::Value;

use crate::{Call, CallFacts, extract};

/// A sample call, parsed.
pub struct SampleCall {
    pub effect: Effect,
    strings: [String; 7],
    capabilities: Vec<String>,
    numbers: [u64; 5],
    pub facts: CallFacts,
}

impl SampleCall {
    /// Parses a sample call; the error says what is wrong.
    pub fn parse(c: &Value) -> Result<SampleCall, String> {
        if !c.is_object() {
            return Err("the sample call must be a JSON object".into());
        }
        let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        let n = |k: &str| c.get(k).and_then(Value::as_u64);
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
        Ok(SampleCall {
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
                n("total_calls").unwrap_or(0),
                n("denied_calls").unwrap_or(0),
                n("write_calls").unwrap_or(0),
                n("hour_utc").unwrap_or(0),
                n("weekday_utc").unwrap_or(1),
            ],
            facts: extract(&input),
        })
    }

    /// The call as the Spot Guard evaluates it, in session `session_id`.
    pub fn call<'a>(&'a self, session_id: &'a str) -> Call<'a> {
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
            session_id,
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
