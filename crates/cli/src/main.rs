//! `airlock`: the one binary. Subcommands: serve, migrate, keys, classify, mcp, hook, servers,
//! approvals, reviewers, policies, audit.

mod approvals;
mod audit;
mod classify;
mod hook;
mod keys;
mod mcp;
mod policies;
mod reviewers;
mod serve;
mod servers;
mod telemetry;

use std::process::ExitCode;

/// mimalloc: a check allocates and frees many small buffers on two threads; glibc's malloc
/// spent about a fifth of the server's CPU on them (docs/benchmarks.md, "Allocator").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "airlock",
    version,
    about = "Runtime authorization for AI agents' tool calls"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the HTTP API on the embedded store.
    Serve(serve::ServeArgs),
    /// Apply the store's schema migrations.
    Migrate {
        #[command(flatten)]
        store: keys::StoreArgs,
    },
    /// Manage organization API keys.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// Classify tool calls read as JSON Lines on stdin: one verdict line per input line.
    Classify,
    /// MCP: put Airlock in front of a stdio MCP server (`mcp wrap`).
    Mcp {
        #[command(subcommand)]
        command: mcp::McpCommand,
    },
    /// Coding-agent hooks (`hook claude-code`).
    Hook {
        #[command(subcommand)]
        command: hook::HookCommand,
    },
    /// Spot Guard policies (`policies add|list|show|remove|validate|test`).
    Policies {
        #[command(subcommand)]
        command: policies::PoliciesCommand,
    },
    /// Registered MCP servers: pinned tool definitions (`servers tools`, `servers accept-tools`).
    Servers {
        #[command(subcommand)]
        command: servers::ServersCommand,
    },
    /// The approvals queue: `list`, `show`, `approve`, `deny`.
    Approvals(approvals::ApprovalsArgs),
    /// The audit trail: `verify` chains and checkpoints, `verify-receipt`, `rotate-key`.
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
    /// The organization's Deep-tier reviewers (`reviewers set FILE`, `reviewers show`).
    Reviewers {
        #[command(subcommand)]
        command: reviewers::ReviewersCommand,
    },
}

pub fn default_data_dir() -> &'static str {
    "./airlock-data"
}

fn main() -> ExitCode {
    // Before any thread or SQLite call: SQLite takes its configuration only then.
    airlock_store::install_sqlite_page_cache();
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Migrate { store } => keys::migrate(&store),
        Command::Keys { command } => keys::run(command),
        Command::Classify => classify::run(),
        Command::Mcp { command } => mcp::run(command),
        Command::Hook { command } => hook::run(command),
        Command::Servers { command } => servers::run(command),
        Command::Approvals(args) => approvals::run(args),
        Command::Reviewers { command } => reviewers::run(command),
        Command::Audit { command } => return audit::run(command),
        Command::Policies { command } => policies::run(command),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("airlock: {e:#}");
            ExitCode::FAILURE
        }
    }
}
