//! `airlock servers tools|accept-tools`: pinned tool definitions of a registered MCP server,
//! through the HTTP API (AGENTTRUST_URL, AGENTTRUST_API_KEY).

use std::time::Duration;

use clap::Subcommand;
use serde_json::Value;

#[derive(Subcommand)]
pub enum ServersCommand {
    /// List a server's pinned tools and their status (pinned or changed).
    Tools {
        /// The server's id.
        server_id: String,
        /// Print the API's JSON answer.
        #[arg(long)]
        json: bool,
    },
    /// Accept the changed definitions of a server's tools: all of them, or those named.
    AcceptTools {
        /// The server's id.
        server_id: String,
        /// A tool to accept (repeat for several); without it every changed tool is accepted.
        #[arg(long = "tool")]
        tools: Vec<String>,
    },
}

pub fn run(command: ServersCommand) -> anyhow::Result<()> {
    let client = crate::mcp::airlock_client(Duration::from_secs(30))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        match command {
            ServersCommand::Tools { server_id, json } => {
                let v = client.list_tools(&server_id).await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&v)?);
                    return Ok(());
                }
                let tools = v.get("tools").and_then(Value::as_array).cloned();
                for t in tools.unwrap_or_default() {
                    let s = |k: &str| t.get(k).and_then(Value::as_str).unwrap_or("-").to_string();
                    println!("{}\t{}\t{}", s("name"), s("status"), s("pinned_at"));
                }
                Ok(())
            }
            ServersCommand::AcceptTools { server_id, tools } => {
                let v = client.accept_tools(&server_id, &tools).await?;
                let accepted: Vec<String> = v
                    .get("accepted")
                    .and_then(Value::as_array)
                    .map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .map(String::from)
                            .collect()
                    })
                    .unwrap_or_default();
                if accepted.is_empty() {
                    println!("no changed tools to accept on `{server_id}`");
                } else {
                    println!("accepted: {}", accepted.join(", "));
                }
                Ok(())
            }
        }
    })
}
