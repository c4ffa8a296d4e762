//! `airlock policies`: Spot Guard policies through the HTTP API (AGENTTRUST_URL,
//! AGENTTRUST_API_KEY), and `validate` / `test` of a policy file locally (docs/policies.md).

use std::time::Duration;

use anyhow::{Context, anyhow};
use clap::Subcommand;
use serde_json::{Value, json};

use airlock_policy::{PolicySet, SampleCall, StoredPolicy};

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
    let sample = SampleCall::parse(&c).map_err(|e| anyhow!("--call: {e}"))?;
    let set = PolicySet::build([StoredPolicy {
        id: "file",
        text,
        log_only: false,
    }]);
    let out = set.evaluate(&sample.call("test"));
    let facts = &sample.facts;
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
