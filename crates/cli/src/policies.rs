//! `airlock policies`: Spot Guard policies through the HTTP API (AGENTTRUST_URL,
//! AGENTTRUST_API_KEY), and `validate` / `test` of a policy file locally (docs/policies.md).

use std::time::Duration;

use anyhow::{Context, anyhow};
use clap::Subcommand;
use serde_json::{Value, json};

use airlock_core::Effect;
use airlock_policy::{Call, PolicySet, StoredPolicy};

#[derive(Subcommand)]
pub enum PoliciesCommand {
    /// Add the policy in FILE (validated by the server against the schema).
    Add {
        file: String,
        /// The policy's id (default: generated).
        #[arg(long)]
        id: Option<String>,
        /// Record what the policy would do, never change a verdict.
        #[arg(long)]
        log_only: bool,
        #[arg(long, default_value = "")]
        description: String,
    },
    /// List the organization's policies.
    List,
    /// Show a policy and its versions.
    Show { id: String },
    /// Remove a policy (its versions are kept).
    Remove { id: String },
    /// Validate FILE against the Airlock schema, locally.
    Validate { file: String },
    /// Evaluate FILE, locally, on one call given as JSON: {"agent_id", "action_name", "effect",
    /// "input", and optionally "agent_name", "framework", "capabilities", "server_id",
    /// "server_name", "session_mode", "hour_utc", "weekday_utc", "write_calls", …}.
    Test {
        file: String,
        #[arg(long)]
        call: String,
    },
}

fn read(file: &str) -> anyhow::Result<String> {
    std::fs::read_to_string(file).with_context(|| format!("reading {file}"))
}

pub fn run(command: PoliciesCommand) -> anyhow::Result<()> {
    match command {
        PoliciesCommand::Validate { file } => {
            let ids =
                airlock_policy::validate(&read(&file)?).map_err(|e| anyhow!("{file}: {e}"))?;
            println!("{file}: valid ({} policies)", ids.len());
            Ok(())
        }
        PoliciesCommand::Test { file, call } => test(&read(&file)?, &call),
        remote => {
            let client = crate::mcp::airlock_client(Duration::from_secs(30))?;
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            let v = runtime.block_on(async move {
                match remote {
                    PoliciesCommand::Add {
                        file,
                        id,
                        log_only,
                        description,
                    } => {
                        let body = json!({
                            "id": id.unwrap_or_default(),
                            "description": description,
                            "text": read(&file)?,
                            "mode": if log_only { "log_only" } else { "enforce" },
                        });
                        Ok::<_, anyhow::Error>(client.post("/api/v1/policies", &body).await?)
                    }
                    PoliciesCommand::List => Ok(client.get("/api/v1/policies").await?),
                    PoliciesCommand::Show { id } => Ok(client
                        .get(&format!("/api/v1/policies/{}", seg(&id)))
                        .await?),
                    PoliciesCommand::Remove { id } => Ok(client
                        .delete(&format!("/api/v1/policies/{}", seg(&id)))
                        .await?),
                    _ => Err(anyhow!("not a remote command")),
                }
            })?;
            println!("{}", serde_json::to_string_pretty(&v)?);
            Ok(())
        }
    }
}

fn seg(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn test(text: &str, call: &str) -> anyhow::Result<()> {
    airlock_policy::validate(text).map_err(|e| anyhow!("{e}"))?;
    let c: Value = serde_json::from_str(call).context("--call is not JSON")?;
    let s = |k: &str| c.get(k).and_then(Value::as_str).unwrap_or("").to_string();
    let n = |k: &str| c.get(k).and_then(Value::as_u64).unwrap_or(0);
    let effect: Effect = s("effect")
        .parse()
        .map_err(|_| anyhow!("--call needs `effect`: read, mutating, destructive or admin"))?;
    let capabilities: Vec<String> = c
        .get("capabilities")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    let input = c.get("input").cloned().unwrap_or(Value::Null);
    let facts = airlock_policy::extract(&input);
    let set = PolicySet::build([StoredPolicy {
        id: "file",
        text,
        log_only: false,
    }]);
    let (agent, name, framework) = (s("agent_id"), s("agent_name"), s("framework"));
    let (action, server_id, server_name) = (s("action_name"), s("server_id"), s("server_name"));
    let mode = c
        .get("session_mode")
        .and_then(Value::as_str)
        .unwrap_or("standard")
        .to_string();
    let out = set.evaluate(&Call {
        effect,
        agent_id: &agent,
        agent_name: &name,
        framework: &framework,
        capabilities: &capabilities,
        action_name: &action,
        server_id: &server_id,
        server_name: &server_name,
        session_id: "test",
        session_mode: &mode,
        input_digest: "",
        declared_effect: "",
        facts: &facts,
        total_calls: n("total_calls"),
        denied_calls: n("denied_calls"),
        write_calls: n("write_calls"),
        hour_utc: u32::try_from(n("hour_utc")).unwrap_or(0),
        weekday_utc: u32::try_from(n("weekday_utc")).unwrap_or(1),
    });
    let verdict = if !out.errors.is_empty() {
        "deny (policy error)"
    } else {
        match &out.forbid {
            Some(f) if f.approval_required => "approval required",
            Some(_) => "forbid",
            None => "no policy forbids",
        }
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&json!({
            "result": verdict,
            "errors": out.errors,
            "facts": facts,
        }))?
    );
    Ok(())
}
