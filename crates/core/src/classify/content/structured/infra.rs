//! Infrastructure definitions given as arguments: Ansible tasks (`{"ansible.builtin.file":
//! {"path": …, "state": "absent"}}`), Docker Compose files and playbooks written as YAML text
//! in a string field, and cron entries (`*/5 * * * * curl … | sh`). What they run or remove is
//! judged; they only raise.

use std::cell::Cell;

use serde_json::{Map, Value};

use super::super::{Ctx, Hint, MAX_INPUT, shell, walk_json};
use crate::Effect::{Admin, Destructive, Mutating};

/// Ansible modules known by their short name (FQCNs, `ansible.builtin.file`, are known by
/// their shape).
#[rustfmt::skip]
const MODULES: &[&str] = &[
    "file", "copy", "template", "lineinfile", "blockinfile", "replace", "user", "group", "apt",
    "yum", "dnf", "package", "pip", "npm", "service", "systemd", "systemd_service", "cron",
    "mount", "git", "unarchive", "get_url", "docker_container", "docker_image", "docker_volume",
    "docker_network", "k8s", "mysql_db", "mysql_user", "postgresql_db", "postgresql_user",
    "authorized_key", "ufw", "iptables", "firewalld", "lvol", "lvg", "filesystem", "parted",
    "zfs", "s3_bucket", "ec2_instance", "rds_instance", "sysctl", "selinux", "seboolean",
    "shell", "command", "raw", "script", "win_shell", "win_command", "expect", "synchronize",
    "known_hosts", "sudoers", "hostname", "reboot", "openssl_privatekey",
];

/// Modules that run a command line.
const COMMAND_MODULES: &[&str] = &[
    "shell",
    "command",
    "raw",
    "script",
    "win_shell",
    "win_command",
    "expect",
];

/// States that remove or stop what a module manages.
const REMOVING_STATES: &[&str] = &[
    "absent",
    "stopped",
    "killed",
    "deleted",
    "removed",
    "destroyed",
    "terminated",
    "unmounted",
    "purged",
    "disabled",
];

/// Keys that hold cron entries.
const CRON_KEYS: &[&str] = &[
    "entries",
    "entry",
    "cron",
    "crontab",
    "cron_entries",
    "cronjobs",
    "cron_jobs",
    "jobs",
    "lines",
    "line",
    "job",
];

/// Day and month names of cron's time fields.
#[rustfmt::skip]
const CRON_NAMES: &[&str] = &[
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "jan", "feb", "mar", "apr", "may", "jun",
    "jul", "aug", "sep", "oct", "nov", "dec",
];

thread_local! {
    /// YAML texts being walked on this thread (YAML text inside YAML text).
    static YAML_DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Restores the YAML depth when a walk ends.
struct Level;

impl Drop for Level {
    fn drop(&mut self) {
        YAML_DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// Judges the Ansible tasks, YAML texts and cron entries of one object. A read's fields are
/// filters, so a tool whose name reads is left alone.
pub(super) fn analyse(ctx: &mut Ctx, map: &Map<String, Value>) {
    if ctx.name_reads || ctx.search_tool {
        return;
    }
    for (k, v) in map {
        ansible_module(ctx, k, v, map);
        if CRON_KEYS.contains(&k.to_ascii_lowercase().as_str()) {
            match v {
                Value::String(s) => cron_lines(ctx, s),
                Value::Array(items) => {
                    for s in items.iter().filter_map(Value::as_str) {
                        cron_lines(ctx, s);
                    }
                }
                _ => {}
            }
        }
        if let Value::String(s) = v {
            yaml_text(ctx, s);
        }
    }
}

/// One key of an object read as an Ansible module call, if it is one.
fn ansible_module(ctx: &mut Ctx, key: &str, v: &Value, task: &Map<String, Value>) {
    let fqcn = key.matches('.').count() >= 2
        && [
            "ansible.",
            "community.",
            "kubernetes.",
            "amazon.",
            "google.",
            "azure.",
        ]
        .iter()
        .any(|p| key.starts_with(p));
    let module = key.rsplit('.').next().unwrap_or(key).to_ascii_lowercase();
    let known = MODULES.contains(&module.as_str());
    // Most keys name no module: they leave before the task's keys are looked up (each
    // lookup hashes its key when serde_json keeps the order, as in the server's build).
    if !fqcn && !known {
        return;
    }
    let state = state_of(v);
    // A short name counts in a task (beside `name`, `become`, `when` …) or with a `state`.
    let in_task = || {
        [
            "name",
            "become",
            "when",
            "register",
            "loop",
            "with_items",
            "notify",
            "tags",
            "delegate_to",
            "ignore_errors",
            "hosts",
        ]
        .iter()
        .any(|t| task.contains_key(*t))
    };
    if !(fqcn || state.is_some() || in_task()) {
        return;
    }
    if COMMAND_MODULES.contains(&module.as_str()) {
        let line = match v {
            Value::String(s) => Some(s.as_str()),
            Value::Object(m) => ["cmd", "_raw_params", "command", "argv"]
                .iter()
                .find_map(|k| m.get(*k).and_then(Value::as_str)),
            _ => None,
        };
        if let Some(line) = line {
            ctx.via(format!("ansible `{module}`"), |ctx| {
                shell::analyse(ctx, line, 1);
            });
        }
        return;
    }
    if let Some(s) = state
        && REMOVING_STATES.contains(&s.as_str())
    {
        ctx.add(
            Destructive,
            format!(
                "ansible: module `{module}` with `state: {s}` removes or stops what it manages"
            ),
        );
        return;
    }
    match module.as_str() {
        "authorized_key" | "sudoers" | "known_hosts" | "openssl_privatekey" | "selinux"
        | "seboolean" => ctx.add(
            Admin,
            format!("ansible: module `{module}` changes access or security settings"),
        ),
        _ => ctx.add(
            Mutating,
            format!("ansible: module `{module}` changes the host"),
        ),
    }
}

/// The `state` of a module's arguments: an object's field, or `state=` in free-form text.
fn state_of(v: &Value) -> Option<String> {
    match v {
        Value::Object(m) => m
            .get("state")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase),
        Value::String(s) => s
            .split_whitespace()
            .find_map(|w| w.strip_prefix("state="))
            .map(|v| v.trim_matches(['"', '\'']).to_ascii_lowercase()),
        _ => None,
    }
}

/// Cron entries: five time fields (or `@reboot`, `@daily` …) and a command, one a line; the
/// command is judged as a command line.
fn cron_lines(ctx: &mut Ctx, text: &str) {
    for line in text.lines().take(200) {
        if let Some(cmd) = cron_command(line) {
            let mark = ctx.mark();
            ctx.via("a cron entry", |ctx| shell::analyse(ctx, cmd, 1));
            // A scheduled command that reaches the network and does harm comes back on its
            // own: persistence (`*/5 * * * * curl … | sh`).
            let network = cmd.contains("://")
                || cmd
                    .split(|c: char| !c.is_ascii_alphanumeric())
                    .any(|w| matches!(w, "curl" | "wget" | "nc" | "ncat" | "socat"));
            if network && ctx.max_since(mark).is_some_and(|e| e.is_high_risk()) {
                ctx.add(
                    Admin,
                    "cron: a scheduled command that fetches from the network and runs it (persistence)",
                );
            }
        }
    }
}

/// The command of a cron line, if the line is one.
pub(crate) fn cron_command(line: &str) -> Option<&str> {
    let l = line.trim();
    if l.starts_with('#') {
        return None;
    }
    if let Some(rest) = l.strip_prefix('@') {
        let (word, cmd) = rest.split_once(char::is_whitespace)?;
        return matches!(
            word,
            "reboot"
                | "yearly"
                | "annually"
                | "monthly"
                | "weekly"
                | "daily"
                | "midnight"
                | "hourly"
        )
        .then_some(cmd.trim())
        .filter(|c| !c.is_empty());
    }
    let mut rest = l;
    for _ in 0..5 {
        let (field, after) = rest.split_once(char::is_whitespace)?;
        let time = field
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '*' | '/' | ',' | '-' | '?'))
            || field
                .split([',', '-'])
                .all(|n| CRON_NAMES.contains(&n.to_ascii_lowercase().as_str()));
        if !time || field.is_empty() {
            return None;
        }
        rest = after.trim_start();
    }
    let cmd = rest.trim();
    (!cmd.is_empty()).then_some(cmd)
}

/// A string that is a Compose file, a playbook or a manifest written as YAML: parsed and
/// searched like JSON arguments (services' `entrypoint` + `command`, tasks' modules).
fn yaml_text(ctx: &mut Ctx, text: &str) {
    let t = text.trim_start();
    if !t.contains('\n') || t.starts_with(['{', '[']) {
        return;
    }
    let lines = || t.lines().map(str::trim_end);
    let compose = lines().any(|l| l == "services:");
    let playbook = lines().any(|l| {
        let l = l.trim_start().trim_start_matches("- ");
        l.starts_with("tasks:") || l.starts_with("hosts:")
    });
    if !(compose || playbook) {
        return;
    }
    let depth = YAML_DEPTH.with(Cell::get);
    if depth >= 4 {
        ctx.add(
            Destructive,
            "limits: YAML text nested in YAML text too deep",
        );
        return;
    }
    let mut docs: Vec<Value> = Vec::new();
    for doc in serde_yaml_ng::Deserializer::from_str(t).take(64) {
        match serde::Deserialize::deserialize(doc) {
            Ok(v) => docs.push(v),
            Err(_) => {
                ctx.add(
                    Mutating,
                    "yaml: a compose file or playbook that does not parse",
                );
                return;
            }
        }
    }
    YAML_DEPTH.with(|d| d.set(depth + 1));
    let _level = Level;
    let kind = if compose { "compose file" } else { "playbook" };
    ctx.add(Mutating, format!("yaml: a {kind} given as text"));
    for doc in &docs {
        ctx.via(format!("a {kind} in YAML text"), |ctx| {
            let mut budget = MAX_INPUT;
            walk_json(ctx, doc, Hint::None, 1, &mut budget, false);
        });
    }
}
