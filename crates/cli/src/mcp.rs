//! `airlock mcp wrap`: an MCP server over stdio behind Airlock.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};

use airlock_mcp::DecideError;
use airlock_mcp::remote::{Client, RemoteDecider};
use airlock_mcp::stdio::{self, WrapOptions};

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
    /// How long one answer of Airlock may take, in seconds.
    #[arg(long, env = "AIRLOCK_CHECK_TIMEOUT_SECS", default_value_t = 10)]
    timeout_secs: u64,
    /// The longest JSON-RPC line accepted in either direction, in bytes.
    #[arg(long, default_value_t = 16 * 1024 * 1024)]
    max_line_bytes: usize,
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
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("AIRLOCK_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    if args.timeout_secs == 0 {
        bail!("--timeout-secs must be positive");
    }
    let client = Client::from_env(Duration::from_secs(args.timeout_secs))?;
    let Some((program, rest)) = args.command.split_first() else {
        bail!("give the MCP server's command after `--`");
    };
    // One thread: every message hops through a few tasks, and cross-thread wake-ups would
    // cost more than the work.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let code = runtime.block_on(async move {
        let decider = Arc::new(RemoteDecider::new(
            client,
            &args.agent,
            &args.server,
            args.session.clone(),
        ));
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
            max_line: args.max_line_bytes.max(1024),
            ..WrapOptions::default()
        };
        let code = stdio::relay(decider, child, input, tokio::io::stdout(), opts).await?;
        anyhow::Ok(code)
    })?;
    // Reading stdin blocks a thread that cannot be cancelled: exit without waiting for it.
    std::process::exit(code);
}
