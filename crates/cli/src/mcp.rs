//! `airlock mcp wrap`: an MCP server over stdio behind Airlock.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use clap::{Args, Subcommand};

use airlock_mcp::remote::{Client, DEFAULT_URL, RemoteDecider};
use airlock_mcp::stdio::{self, WrapOptions};
use airlock_mcp::{DecideError, GatewayConfig};

#[derive(Subcommand)]
pub enum McpCommand {
    /// Run an MCP server as a child and check every tools/call it would receive.
    ///
    /// Reaches Airlock through AGENTTRUST_URL (default http://localhost:8080) with
    /// AGENTTRUST_API_KEY. Example:
    /// airlock mcp wrap --agent AGENT --server SERVER -- npx @modelcontextprotocol/server-filesystem /tmp
    Wrap(WrapArgs),
}

#[derive(Args)]
pub struct WrapArgs {
    /// The agent whose calls these are.
    #[arg(long, env = "AIRLOCK_AGENT_ID")]
    agent: String,
    /// The registered MCP server this command runs.
    #[arg(long, env = "AIRLOCK_SERVER_ID")]
    server: String,
    /// An existing session; without it the wrapper opens one for the agent and server.
    #[arg(long)]
    session: Option<String>,
    /// How long one answer of Airlock may take, in seconds (1–3600).
    #[arg(long, env = "AIRLOCK_CHECK_TIMEOUT_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    timeout_secs: u64,
    /// Hold a tools/call that needs an approval up to this many seconds (0–600) waiting for
    /// the approval to be decided, instead of denying it at once. Default: the server
    /// registration's `approval_wait_secs`.
    #[arg(long, env = "AIRLOCK_APPROVAL_WAIT_SECS",
          value_parser = clap::value_parser!(u64).range(0..=600))]
    approval_wait_secs: Option<u64>,
    /// The longest JSON-RPC line accepted in either direction, in bytes (1 KiB–256 MiB).
    #[arg(long, default_value_t = 16 * 1024 * 1024,
          value_parser = clap::value_parser!(u64).range(1024..=256 * 1024 * 1024))]
    max_line_bytes: u64,
    /// The MCP server's command and its arguments, after `--`.
    #[arg(last = true, required = true, num_args = 1..)]
    command: Vec<String>,
}

pub fn run(command: McpCommand) -> anyhow::Result<()> {
    match command {
        McpCommand::Wrap(args) => wrap(args),
    }
}

fn wrap(args: WrapArgs) -> anyhow::Result<()> {
    let traces = crate::telemetry::init("warn")?;
    let client = airlock_client(Duration::from_secs(args.timeout_secs))?;
    let Some((program, rest)) = args.command.split_first() else {
        bail!("give the MCP server's command after `--`");
    };
    // One thread: every message hops through a few tasks, and cross-thread wake-ups would
    // cost more than the work.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let code = runtime.block_on(async move {
        let decider = Arc::new(
            RemoteDecider::new(client, &args.agent, &args.server, args.session.clone())
                .with_approval_wait(args.approval_wait_secs.map(Duration::from_secs)),
        );
        // Open the session now so that a misconfiguration shows at start; if Airlock cannot
        // be reached, the wrapper still runs and denies every call until it can.
        match decider.session().await {
            Ok(_) => {}
            Err(e @ DecideError::Unreachable(_)) => {
                eprintln!(
                    "airlock: no session yet, every tools/call is denied until one opens: {e}"
                )
            }
            Err(e) => bail!(
                "cannot use a session for agent `{}` on server `{}`: {e}",
                args.agent,
                args.server
            ),
        }
        let child = stdio::spawn(program, rest)
            .with_context(|| format!("cannot start the MCP server `{program}`"))?;
        let input = tokio::io::BufReader::new(tokio::io::stdin());
        let opts = WrapOptions {
            max_line: usize::try_from(args.max_line_bytes)
                .context("--max-line-bytes does not fit this machine")?,
            ..WrapOptions::default()
        };
        let code = stdio::relay(decider, child, input, tokio::io::stdout(), opts).await;
        crate::telemetry::shutdown(traces).await;
        anyhow::Ok(code?)
    })?;
    // Reading stdin blocks a thread that cannot be cancelled: exit without waiting for it.
    std::process::exit(code);
}

/// A non-empty environment variable.
fn env_var(name: &str) -> Option<String> {
    std::env::var(name)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The client of Airlock's HTTP API for the commands that run apart from the server:
/// `AGENTTRUST_URL` (default http://localhost:8080) and `AGENTTRUST_API_KEY`.
pub fn airlock_client(timeout: Duration) -> anyhow::Result<Client> {
    let url = env_var("AGENTTRUST_URL").unwrap_or_else(|| DEFAULT_URL.to_string());
    let key =
        env_var("AGENTTRUST_API_KEY").ok_or_else(|| anyhow!("AGENTTRUST_API_KEY is not set"))?;
    Client::new(&url, &key, timeout)
        .map_err(|e| anyhow!("AGENTTRUST_URL / AGENTTRUST_API_KEY: {e}"))
}

/// A whole number from the environment; unset or empty is `None`, anything else that is not
/// a number is an error naming the variable.
fn env_number(name: &str) -> anyhow::Result<Option<u64>> {
    env_var(name)
        .map(|v| {
            v.parse::<u64>()
                .map_err(|_| anyhow!("{name} must be a whole number, not `{v}`"))
        })
        .transpose()
}

/// The HTTP gateway's settings: `AIRLOCK_MCP_TIMEOUT_SECS`, `AIRLOCK_MCP_MAX_BODY_BYTES`,
/// `AIRLOCK_MCP_MAX_RESPONSE_BYTES` over the defaults; a bad value is an error naming it.
pub fn gateway_config() -> anyhow::Result<GatewayConfig> {
    let mut config = GatewayConfig::default();
    if let Some(n) = env_number("AIRLOCK_MCP_TIMEOUT_SECS")? {
        config = config
            .with_timeout_secs(n)
            .map_err(|e| anyhow!("AIRLOCK_MCP_TIMEOUT_SECS: {e}"))?;
    }
    if let Some(n) = env_number("AIRLOCK_MCP_MAX_BODY_BYTES")? {
        config = config
            .with_max_body_bytes(n)
            .map_err(|e| anyhow!("AIRLOCK_MCP_MAX_BODY_BYTES: {e}"))?;
    }
    if let Some(n) = env_number("AIRLOCK_MCP_MAX_RESPONSE_BYTES")? {
        config = config
            .with_max_response_bytes(n)
            .map_err(|e| anyhow!("AIRLOCK_MCP_MAX_RESPONSE_BYTES: {e}"))?;
    }
    Ok(config)
}
