//! `airlock hook claude-code`: the Claude Code PreToolUse hook. It always answers on stdout
//! and exits 0; whatever goes wrong is a `deny` with the reason (fail closed). A panic
//! exits 2, which Claude Code also treats as a block.

use std::io::{Read, Write};
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Subcommand};
use serde_json::Value;
use sha2::{Digest, Sha256};

use airlock_mcp::hook::{self, Permission};
use airlock_mcp::relay::{Decider, Declared};
use airlock_mcp::remote::{Client, RemoteCheck};
use airlock_mcp::{DecideError, Decision, ObservedTool, wait};

#[derive(Subcommand)]
pub enum HookCommand {
    /// Answer one Claude Code PreToolUse event (JSON on stdin) with allow, deny or ask.
    ClaudeCode(ClaudeCodeArgs),
}

#[derive(Args)]
pub struct ClaudeCodeArgs {
    /// The agent whose calls these are.
    #[arg(long, env = "AIRLOCK_AGENT_ID")]
    agent: Option<String>,
    /// Check MCP tool calls (`mcp__…`) in a session bound to this registered server (its
    /// scope ceiling and pinned tools); the hook opens it once per Claude Code session.
    #[arg(long, env = "AIRLOCK_SERVER_ID")]
    server: Option<String>,
    /// How long Airlock may take to answer, in seconds (1–600). An invalid value is an
    /// error (exit 2), which Claude Code treats as a block.
    #[arg(long, env = "AIRLOCK_HOOK_TIMEOUT_SECS", default_value_t = 10,
          value_parser = clap::value_parser!(u64).range(1..=600))]
    timeout_secs: u64,
    /// Hold a call that needs an approval up to this many seconds (0–600) waiting for the
    /// approval to be decided; the approval id and where to decide it are printed on stderr.
    /// Claude Code's own hook timeout (60 s unless the hook's `timeout` says otherwise) must
    /// be longer.
    #[arg(long, env = "AIRLOCK_HOOK_WAIT_SECS", default_value_t = 0,
          value_parser = clap::value_parser!(u64).range(0..=600))]
    wait_secs: u64,
}

/// The largest event read from stdin.
const MAX_EVENT_BYTES: u64 = 32 * 1024 * 1024;

pub fn run(command: HookCommand) -> anyhow::Result<()> {
    match command {
        HookCommand::ClaudeCode(args) => claude_code(args),
    }
}

fn claude_code(args: ClaudeCodeArgs) -> anyhow::Result<()> {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("airlock hook failed, the call is blocked: {info}");
        std::process::exit(2);
    }));
    let mut raw = Vec::new();
    let answer = match std::io::stdin()
        .take(MAX_EVENT_BYTES + 1)
        .read_to_end(&mut raw)
    {
        Err(e) => Some(deny(&format!("cannot read the hook event: {e}"))),
        Ok(n) if n as u64 > MAX_EVENT_BYTES => Some(deny("the hook event is too large")),
        Ok(_) => decide(&args, &raw),
    };
    if let Some(answer) = answer {
        let mut out = std::io::stdout().lock();
        writeln!(out, "{answer}")?;
        out.flush()?;
    }
    Ok(())
}

fn deny(why: &str) -> Value {
    hook::answer(
        Permission::Deny,
        &format!("Airlock could not check this call, so it is denied: {why}"),
    )
}

/// The answer to print, or none for events other than PreToolUse.
fn decide(args: &ClaudeCodeArgs, raw: &[u8]) -> Option<Value> {
    let event = match hook::parse_event(raw) {
        Ok(e) => e,
        Err(why) => return Some(deny(&why)),
    };
    if !event.hook_event_name.is_empty() && event.hook_event_name != "PreToolUse" {
        eprintln!(
            "airlock hook: `{}` events are not decided; configure the hook for PreToolUse",
            event.hook_event_name
        );
        return None;
    }
    let Some(agent) = args.agent.as_deref().filter(|a| !a.trim().is_empty()) else {
        return Some(deny("no agent: pass --agent or set AIRLOCK_AGENT_ID"));
    };
    let timeout = Duration::from_secs(args.timeout_secs);
    let client = match crate::mcp::airlock_client(timeout) {
        Ok(c) => c,
        Err(e) => return Some(deny(&e.to_string())),
    };
    let mapped = hook::map_tool(&event.tool_name, &event.tool_input);
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => return Some(deny(&e.to_string())),
    };
    let server = args
        .server
        .as_deref()
        .filter(|_| hook::reaches_mcp_server(&event.tool_name));
    let wait = Duration::from_secs(args.wait_secs);
    let result = runtime.block_on(async {
        let work = async {
            let session = match server {
                Some(server) => server_session(&client, agent, server, &event.session_id).await?,
                None => usable_session(&event.session_id),
            };
            let decider = HookDecider {
                client: &client,
                agent,
                session,
                tool: &event.tool_name,
                wait,
            };
            let base = client.base().to_string();
            let waiting = move |id: &str, _: Option<&str>| {
                eprintln!(
                    "airlock: waiting up to {}s for approval {id}: decide it at \
                     {base}/console/approvals/{id} or with `airlock approvals approve {id}` \
                     (or `deny`)",
                    wait.as_secs()
                )
            };
            wait::check_waiting(&decider, &mapped.action, mapped.input.clone(), &waiting).await
        };
        // Each answer of Airlock is bounded by the client's timeout; the whole by twice it
        // plus the wait.
        match tokio::time::timeout(timeout * 2 + wait, work).await {
            Ok(r) => r,
            Err(_) => Err(DecideError::Unreachable("timed out".into())),
        }
    });
    Some(match result {
        Ok(d) => answer_for(&mapped.action, &d),
        Err(e) => hook::failure(&e),
    })
}

/// The hook's calls as the waiting loop sees them: checks of one Claude Code tool, and the
/// status of their approvals.
struct HookDecider<'a> {
    client: &'a Client,
    agent: &'a str,
    session: String,
    tool: &'a str,
    wait: Duration,
}

impl Decider for HookDecider<'_> {
    async fn check(
        &self,
        action: &str,
        input: Value,
        _declared: Option<Declared>,
    ) -> Result<Decision, DecideError> {
        self.client
            .check(RemoteCheck {
                agent: self.agent,
                session: &self.session,
                action,
                input,
                declared: None,
                source: "hook",
                hook_tool: Some(self.tool),
            })
            .await
    }

    async fn refuse(&self, _: &str, _: Value, _: &str) -> Result<Decision, DecideError> {
        Err(DecideError::Refused("the hook refuses nothing".into()))
    }

    async fn observe(&self, _: &[Value]) -> Result<Vec<ObservedTool>, DecideError> {
        Err(DecideError::Refused(
            "the hook observes no tool list".into(),
        ))
    }

    fn approval_wait(&self) -> Duration {
        self.wait
    }

    async fn approval_status(&self, id: &str) -> Result<String, DecideError> {
        if id.is_empty()
            || !id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"_-".contains(&b))
        {
            return Err(DecideError::Invalid(format!(
                "approval id `{id}` is not an id"
            )));
        }
        let v = self.client.get(&format!("/mcp/approvals/{id}")).await?;
        if v.get("agent_id").and_then(Value::as_str) != Some(self.agent) {
            return Err(DecideError::Refused(format!(
                "approval `{id}` is not of agent `{}`",
                self.agent
            )));
        }
        v.get("status")
            .and_then(Value::as_str)
            .map(String::from)
            .ok_or_else(|| DecideError::Invalid("the approval has no `status`".into()))
    }
}

fn answer_for(action: &str, d: &Decision) -> Value {
    hook::answer(hook::permission(d), &hook::reason(action, d))
}

/// Claude Code's session id as the Airlock session (implicit session), if it is usable.
fn usable_session(id: &str) -> String {
    let id = id.trim();
    if id.is_empty() || id.len() > 128 || id.chars().any(|c| c.is_whitespace() || c.is_control()) {
        String::new()
    } else {
        id.to_string()
    }
}

fn state_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("AIRLOCK_HOOK_STATE_DIR") {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        return PathBuf::from(d).join("airlock").join("hook-sessions");
    }
    if let Some(h) = std::env::var_os("HOME") {
        return PathBuf::from(h)
            .join(".cache")
            .join("airlock")
            .join("hook-sessions");
    }
    std::env::temp_dir().join("airlock-hook-sessions")
}

/// The server-bound session of this Claude Code session: opened once with
/// `POST /mcp/sessions/init`, its id remembered in the state directory.
async fn server_session(
    client: &Client,
    agent: &str,
    server: &str,
    claude_session: &str,
) -> Result<String, DecideError> {
    let key = hex_digest(&format!(
        "{}\n{agent}\n{server}\n{claude_session}",
        client.base()
    ));
    let path = state_dir().join(key);
    if let Ok(s) = std::fs::read_to_string(&path) {
        let s = s.trim();
        if !s.is_empty() {
            return Ok(s.to_string());
        }
    }
    let session = client.init_session(agent, server).await?;
    if let Some(dir) = path.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::write(&path, &session);
    Ok(session)
}

fn hex_digest(s: &str) -> String {
    Sha256::digest(s.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}
