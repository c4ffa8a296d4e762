//! `airlock approvals list|show|approve|deny`: the approvals queue through the HTTP API
//! (`--url`/`--api-key`, or AGENTTRUST_URL / AGENTTRUST_API_KEY). A table for people,
//! `--json` for scripts.

use std::time::Duration;

use anyhow::{anyhow, bail};
use clap::{Args, Subcommand, ValueEnum};
use serde_json::{Value, json};

use airlock_mcp::remote::{Client, DEFAULT_URL};

/// Where the server is and the key to reach it.
#[derive(Args)]
pub struct Remote {
    /// The Airlock server's URL.
    #[arg(long, env = "AGENTTRUST_URL", default_value = DEFAULT_URL, global = true)]
    url: String,
    /// An admin API key of the organization (agent keys can list but not decide).
    #[arg(
        long = "api-key",
        env = "AGENTTRUST_API_KEY",
        hide_env_values = true,
        global = true
    )]
    api_key: Option<String>,
}

#[derive(Args)]
pub struct ApprovalsArgs {
    #[command(flatten)]
    remote: Remote,
    #[command(subcommand)]
    command: ApprovalsCommand,
}

#[derive(Clone, Copy, ValueEnum)]
enum Status {
    Pending,
    Approved,
    Denied,
    Expired,
    Used,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Denied => "denied",
            Status::Expired => "expired",
            Status::Used => "used",
        }
    }
}

#[derive(Subcommand)]
enum ApprovalsCommand {
    /// List approvals, oldest first.
    List {
        /// Only approvals of this status.
        #[arg(long, value_enum)]
        status: Option<Status>,
        /// Only approvals of this session.
        #[arg(long)]
        session: Option<String>,
        /// At most this many (1 to 1000).
        #[arg(long, default_value_t = 100)]
        limit: u64,
        /// Print a JSON array of approval objects.
        #[arg(long)]
        json: bool,
    },
    /// Show one approval: action, effect, the whole input, reasons, digest, session, agent,
    /// expiry.
    Show {
        id: String,
        /// Print the approval object as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Approve a pending approval.
    Approve {
        id: String,
        /// Why (kept with the decision).
        #[arg(long)]
        note: Option<String>,
        /// Print the API's answer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Deny a pending approval.
    Deny {
        id: String,
        /// Why (kept with the decision).
        #[arg(long)]
        note: Option<String>,
        /// Print the API's answer as JSON.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(args: ApprovalsArgs) -> anyhow::Result<()> {
    let key = args
        .remote
        .api_key
        .filter(|k| !k.trim().is_empty())
        .ok_or_else(|| anyhow!("no API key: pass --api-key or set AGENTTRUST_API_KEY"))?;
    let client = Client::new(&args.remote.url, &key, Duration::from_secs(30))
        .map_err(|e| anyhow!("--url / --api-key: {e}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match args.command {
            ApprovalsCommand::List {
                status,
                session,
                limit,
                json,
            } => {
                let mut path = format!("/mcp/approvals?limit={limit}");
                if let Some(s) = status {
                    path.push_str(&format!("&status={}", s.as_str()));
                }
                if let Some(s) = session {
                    path.push_str(&format!("&session_id={}", encode(&s)));
                }
                let v = client.get(&path).await.map_err(|e| anyhow!("{e}"))?;
                let list = v
                    .get("approvals")
                    .and_then(Value::as_array)
                    .cloned()
                    .ok_or_else(|| anyhow!("the answer has no `approvals` list"))?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&Value::Array(list))?);
                } else {
                    print!("{}", table(&list));
                }
                Ok(())
            }
            ApprovalsCommand::Show { id, json } => {
                let v = client
                    .get(&format!("/mcp/approvals/{}", encode(&id)))
                    .await
                    .map_err(|e| anyhow!("approval `{id}`: {e}"))?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&v)?);
                } else {
                    print!("{}", details(&v));
                }
                Ok(())
            }
            ApprovalsCommand::Approve { id, note, json } => {
                decide(&client, &id, note, true, json).await
            }
            ApprovalsCommand::Deny { id, note, json } => {
                decide(&client, &id, note, false, json).await
            }
        }
    })
}

async fn decide(
    client: &Client,
    id: &str,
    note: Option<String>,
    approve: bool,
    json_out: bool,
) -> anyhow::Result<()> {
    let verb = if approve { "approve" } else { "deny" };
    let mut body = json!({"decided_by": "cli"});
    if let (Some(n), Some(o)) = (note, body.as_object_mut()) {
        o.insert("note".into(), json!(n));
    }
    let v = client
        .post(&format!("/mcp/approvals/{}/{verb}", encode(id)), &body)
        .await
        .map_err(|e| anyhow!("cannot {verb} approval `{id}`: {e}"))?;
    if json_out {
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    let Some(status) = v.get("status").and_then(Value::as_str) else {
        bail!("the answer has no `status`");
    };
    print!("approval {id}: {status}");
    if let Some(until) = v.get("elevated_until").and_then(Value::as_str) {
        print!(" (session elevated until {until})");
    }
    println!();
    Ok(())
}

fn field(v: &Value, key: &str) -> String {
    match v.get(key) {
        None | Some(Value::Null) => "-".into(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// One line per approval, columns padded to their widest cell.
fn table(list: &[Value]) -> String {
    const COLUMNS: [(&str, &str); 7] = [
        ("ID", "id"),
        ("STATUS", "status"),
        ("KIND", "kind"),
        ("ACTION", "action_name"),
        ("EFFECT", "action_effect"),
        ("SESSION", "session_id"),
        ("EXPIRES", "expires_at"),
    ];
    if list.is_empty() {
        return "no approvals\n".into();
    }
    let mut rows: Vec<Vec<String>> = vec![COLUMNS.iter().map(|(h, _)| h.to_string()).collect()];
    rows.extend(
        list.iter()
            .map(|a| COLUMNS.iter().map(|(_, k)| field(a, k)).collect()),
    );
    let widths: Vec<usize> = (0..COLUMNS.len())
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

/// An approval for a person to read.
fn details(v: &Value) -> String {
    let mut out = String::new();
    for (label, key) in [
        ("id", "id"),
        ("status", "status"),
        ("kind", "kind"),
        ("action", "action_name"),
        ("effect", "action_effect"),
        ("reason", "reason"),
        ("session", "session_id"),
        ("agent", "agent_id"),
        ("digest", "input_digest"),
        ("created", "created_at"),
        ("expires", "expires_at"),
        ("decided by", "decided_by"),
        ("decided at", "decided_at"),
        ("note", "note"),
    ] {
        out.push_str(&format!("{label:<11} {}\n", field(v, key)));
    }
    let reasons: Vec<String> = v
        .get("reasons")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(String::from)
                .collect()
        })
        .unwrap_or_default();
    out.push_str("reasons\n");
    for r in &reasons {
        out.push_str(&format!("  - {r}\n"));
    }
    out.push_str("input\n");
    match v.get("input") {
        None => out.push_str("  (shown to admin keys only)\n"),
        Some(Value::Null) => {
            out.push_str("  (not kept: an elevation, or larger than 64 KiB; see the digest)\n")
        }
        Some(Value::String(s)) => {
            for line in s.lines() {
                out.push_str(&format!("  {line}\n"));
            }
        }
        Some(other) => {
            let pretty = serde_json::to_string_pretty(other).unwrap_or_default();
            for line in pretty.lines() {
                out.push_str(&format!("  {line}\n"));
            }
        }
    }
    out
}

/// A path segment or query value, percent-encoded.
fn encode(s: &str) -> String {
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
