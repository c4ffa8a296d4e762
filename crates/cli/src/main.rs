//! `airlock`: the one binary. Subcommands: serve, migrate, keys, classify.

mod classify;
mod keys;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

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
        /// Where the embedded store lives.
        #[arg(long, env = "AIRLOCK_DATA_DIR", default_value = default_data_dir())]
        data_dir: PathBuf,
    },
    /// Manage organization API keys.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// Classify tool calls read as JSON Lines on stdin: one verdict line per input line.
    Classify,
}

pub fn default_data_dir() -> &'static str {
    "./airlock-data"
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Serve(args) => serve::run(args),
        Command::Migrate { data_dir } => keys::migrate(&data_dir),
        Command::Keys { command } => keys::run(command),
        Command::Classify => classify::run(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("airlock: {e:#}");
            ExitCode::FAILURE
        }
    }
}
