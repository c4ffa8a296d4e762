//! The directory a shell tool's command runs in (the twenty-second sets): Codex's `shell
//! {"command": […], "workdir": …}` and `local_shell`'s `working_directory`, Gemini CLI's
//! `run_shell_command {"directory": …}`, Cline's and OpenHands' `cwd`. A relative path the
//! command writes lands there: `cp /tmp/x pre-commit` in `.git/hooks`, `cat > credentials`
//! in `~/.aws`, `tar -xf x.tar` in `/` were plain writes (mutating). Now a command that is
//! not proven to read, run in a directory whose files run later or grant access (system
//! configuration, `.git/hooks`, a credential store, a start-up directory, the root itself),
//! takes that directory's risk, as a write into it would.
//!
//! And the lowering beside it: such a directory was judged as a path the call touches
//! (`/etc` is admin), so `cat hosts` run in `/etc` was admin although it only reads. The
//! working directory of a command is now judged only through what the command does: a
//! proven read there, in a call of no other keys than a shell tool's settings, stays read;
//! anything else gets the directory's risk (above).

use serde_json::{Map, Value};

use super::keys::spelled_any;
use super::{Ctx, args};
use crate::Effect;

/// Keys naming the directory a command runs in (compared without case, `_` and `-`).
const DIR_KEYS: &[&str] = &[
    "cwd",
    "workdir",
    "workingdirectory",
    "workingdir",
    "directory",
    "dir",
    "dirpath",
    "currentdirectory",
    "currentdir",
];

/// Keys holding the command itself.
const COMMAND_KEYS: &[&str] = &["command", "cmd", "commands", "shellcommand", "commandline"];

/// The other keys of the agents' shell tools (Claude Code's `Bash`, Codex's `shell` and
/// `local_shell`, Gemini CLI's, Cline's, OpenHands', Cursor's), compared as [`DIR_KEYS`] are.
/// Only a call made of these may read in a system directory: an unknown key
/// (`{"redirect": "> passwd"}`) may be what writes there (the review of the twenty-second
/// sets), so the directory keeps its risk.
const SETTING_KEYS: &[&str] = &[
    "timeout",
    "timeoutms",
    "timeoutsec",
    "timeoutseconds",
    "description",
    "explanation",
    "justification",
    "runinbackground",
    "isbackground",
    "withescalatedpermissions",
    "sandboxpermissions",
    "dangerouslydisablesandbox",
    "requiresapproval",
    "requireuserapproval",
    "securityrisk",
    "isinput",
    "restart",
    "env",
    "type",
    "user",
    "id",
    "callid",
];

/// Whether every key of `map` is a command, a directory or a setting of a shell tool.
fn settled(map: &Map<String, Value>) -> bool {
    map.keys().all(|k| {
        spelled_any(k, COMMAND_KEYS) || spelled_any(k, DIR_KEYS) || spelled_any(k, SETTING_KEYS)
    })
}

/// The key and directory a shell call's command runs in: exactly one directory key beside
/// a command given as a string or a list of strings. Anything else is not a shell call (its
/// directory is judged as a path, as before).
pub(crate) fn of(map: &Map<String, Value>) -> Option<(&str, &str)> {
    let command = map.iter().any(|(k, v)| {
        spelled_any(k, COMMAND_KEYS)
            && match v {
                Value::String(s) => !s.trim().is_empty(),
                Value::Array(items) => !items.is_empty() && items.iter().all(Value::is_string),
                _ => false,
            }
    });
    if !command {
        return None;
    }
    let mut dirs = map.iter().filter(|(k, _)| spelled_any(k, DIR_KEYS));
    let (k, v) = dirs.next()?;
    // Two directory keys: which one the tool uses is not known; both stay paths.
    if dirs.next().is_some() {
        return None;
    }
    Some((k.as_str(), v.as_str()?))
}

/// The risk of writing a relative path in `dir`: its files run later or grant access, or it
/// is the root. (Data directories are left out: a build writes into `/srv/app` routinely.)
fn risk(dir: &str) -> Option<(Effect, &'static str)> {
    // Judged in its plain spelling (`//etc`, `/srv/../etc`, `.git//hooks`; the review of the
    // twenty-second sets).
    let plain = args::plain_path(dir.trim());
    let d = plain.as_deref().unwrap_or(dir).trim();
    if d.is_empty() {
        return None;
    }
    // A repository's git directory: its `config` and `hooks/` run programs (`cp /tmp/x
    // hooks/pre-commit` run in `.git`).
    if d.trim_end_matches('/') == ".git" || d.trim_end_matches('/').ends_with("/.git") {
        return Some((
            Effect::Admin,
            "a repository's git directory (its config and hooks run programs)",
        ));
    }
    let slashed = format!("{}/", d.trim_end_matches(['/', '\\']));
    if slashed == "/" {
        return Some((Effect::Admin, "the root of the file system"));
    }
    args::sensitive_path(&slashed)
        .or_else(|| args::sensitive_path(d))
        .or_else(|| args::runs_later(&slashed))
}

/// After the call's other keys are judged (`found` is the highest effect they found): a
/// command not proven to read takes the risk of the directory it runs in.
pub(crate) fn judge(
    ctx: &mut Ctx,
    map: &Map<String, Value>,
    key: &str,
    dir: &str,
    found: Option<Effect>,
) {
    if found == Some(Effect::Read) && settled(map) {
        return;
    }
    if let Some((e, why)) = risk(dir) {
        ctx.add(
            e,
            format!(
                "path: the command runs in `{}` (`{key}`), {why}: what it writes lands there",
                super::prefix(dir, 80)
            ),
        );
    }
}
