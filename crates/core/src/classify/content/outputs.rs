//! Arguments that act, whatever the tool's name says: a file named by an output key
//! (`{"url": …, "output_file": "~/.bashrc"}`, a query's `save_results_to`), an address
//! results are sent to (`webhook`, `email_to`, `export_to: s3://…`), a flag that runs what
//! was downloaded (`{"url": …, "execute": true}`), removes data (`{"delete": true}`) or
//! makes it public (`{"acl": "public-read"}`), and another tool a router dispatches to
//! (`{"invoke": "delete_repository"}`).

use serde_json::{Map, Value};

use super::structured::{Program, snake};
use super::{Ctx, args, prefix};
use crate::Effect::{Admin, Destructive, Mutating};

/// Words of a key whose value is where a result is written (`output_file`,
/// `save_results_to`, `output_document`): a local path there is written.
const OUTPUT_WORDS: &[&str] = &[
    "output",
    "out",
    "outfile",
    "save",
    "write",
    "dest",
    "destination",
    "download",
    "export",
];

/// Words of a key whose value is where a result is sent (`webhook`, `mirror_to`,
/// `export_to`, `target`): a remote address there receives it.
const SINK_WORDS: &[&str] = &[
    "mirror",
    "sink",
    "upload",
    "forward",
    "send",
    "webhook",
    "callback",
    "notify",
    "publish",
    "push",
    "replicate",
    "sync",
    "report",
];

/// Keys that, set, run what the tool fetched or wrote.
const RUN_KEYS: &[&str] = &[
    "execute",
    "exec",
    "run",
    "run_after",
    "run_after_download",
    "execute_after",
    "autorun",
    "auto_run",
    "launch",
];

/// Keys that, set, remove what the call reads or touches.
const REMOVAL_KEYS: &[&str] = &[
    "delete",
    "purge",
    "wipe",
    "drop",
    "destroy",
    "remove",
    "erase",
    "delete_all",
    "purge_all",
    "force_delete",
    "delete_after",
    "delete_after_read",
    "delete_source",
    "remove_source",
    "remove_source_files",
    "delete_files",
    "delete_data",
    "delete_index",
    "delete_data_dir",
    "delete_instance_dir",
    "drop_table",
    "drop_tables",
    "drop_collection",
    "drop_database",
    "purge_queue",
    "wipe_data",
];

/// Keys that, set, make what the call touches readable by anyone.
const PUBLIC_KEYS: &[&str] = &[
    "make_public",
    "share_publicly",
    "publicly_accessible",
    "anonymous_access",
    "public_access",
];

/// Keys whose value is a canned access list (`public-read`, `allUsers`).
const ACL_KEYS: &[&str] = &["acl", "canned_acl", "x_amz_acl", "predefined_acl"];

/// Keys whose value names another tool the call dispatches to.
const TOOL_KEYS: &[&str] = &[
    "invoke",
    "call",
    "dispatch",
    "target_tool",
    "run_tool",
    "use_tool",
    "next_tool",
    "delegate_to",
];

/// A value that names another tool (`{"invoke": "mcp__github__delete_repository"}`): the
/// call dispatches to it, so what its name says counts.
fn dispatched(ctx: &mut Ctx, key: &str, values: &[&str]) {
    for name in values
        .iter()
        .map(|n| n.trim())
        .filter(|n| !n.is_empty() && n.len() <= 128 && !n.contains(char::is_whitespace))
    {
        let tier = crate::classify::name_tier(name);
        if let Some(e) = tier.effect.filter(|e| e.rank() >= Mutating.rank()) {
            ctx.add(
                e,
                format!(
                    "dispatch: `{key}` calls `{}`, which {}",
                    prefix(name, 80),
                    tier.word
                        .as_deref()
                        .map_or_else(|| "is not a read".to_string(), |w| format!("names `{w}`"))
                ),
            );
        }
    }
}

/// A remote address (`s3://b/k`, `https://…`, `user@host.tld`) that is not this machine.
fn remote(v: &str) -> bool {
    let v = v.trim();
    let url = v.contains("://") && !v.to_ascii_lowercase().starts_with("file:");
    let mail = !v.contains(char::is_whitespace)
        && v.split_once('@')
            .is_some_and(|(u, d)| !u.is_empty() && d.contains('.'));
    (url || mail) && !args::loopback_address(v)
}

/// A local path, not a format word (`"output": "json"`).
fn local_path(v: &str) -> bool {
    let v = v.trim();
    !v.is_empty()
        && !v.contains("://")
        && (v.contains(['/', '\\']) || v.starts_with('~') || v.starts_with('.'))
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_i64().is_some_and(|n| n != 0),
        Value::String(s) => matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "true" | "yes" | "1" | "on"
        ),
        _ => false,
    }
}

/// What the tool's name says it does with its result.
#[derive(Clone, Copy, Default)]
pub(crate) struct Verbs {
    /// It downloads: its `path` is where the download is written.
    pub downloads: bool,
    /// It exports, copies or syncs: any remote address in its input receives the data.
    pub exports: bool,
    /// It reads secrets: where it sends its result, the secret goes.
    pub secretive: bool,
}

/// Judges the input's top-level keys.
pub(crate) fn analyse(ctx: &mut Ctx, map: &Map<String, Value>, verbs: Verbs) {
    let Verbs {
        downloads,
        exports,
        secretive,
    } = verbs;
    // Both asked only where a rule needs them (issue 14: every string of every object was
    // lower-cased, and searched for a secret's path, before any rule asked).
    let fetches = || {
        map.values().any(|v| {
            v.as_str().is_some_and(|s| {
                s.trim_start()
                    .as_bytes()
                    .get(..4)
                    .is_some_and(|p| p.eq_ignore_ascii_case(b"http"))
            })
        })
    };
    let secret_in = || {
        secretive
            || map
                .values()
                .filter_map(Value::as_str)
                .any(|s| args::secret_path(s.trim()))
    };
    // A command-line program's flags (`terraform {"command": "plan", "destroy": true}`) are
    // judged as its flags, by its own rules.
    let cli = ctx.program.as_ref().is_some_and(|(p, _)| {
        !matches!(
            p,
            Program::Redis | Program::Mongo | Program::Elastic | Program::Sdk | Program::Meta
        )
    });
    for (k, v) in map {
        let key = snake(k);
        let words = key.split('_').collect::<Vec<_>>();
        let output = words.iter().any(|w| OUTPUT_WORDS.contains(w))
            || (downloads && matches!(key.as_str(), "path" | "file_path" | "filename" | "file"));
        // `email_to`, `export_to`; a bare `to` is a filter (`to:` in a mail search).
        let sink = output
            || exports
            || words.iter().any(|w| SINK_WORDS.contains(w))
            || (words.len() > 1 && words.last() == Some(&"to"));
        let values: Vec<&str> = match v {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        let mut acted = false;
        if sink {
            for a in values.iter().copied().filter(|a| remote(a)) {
                acted = true;
                ctx.add(
                    if secret_in() { Admin } else { Mutating },
                    format!("output: `{k}` sends the result to `{}`", prefix(a, 80)),
                );
            }
        }
        if output {
            for p in values.iter().copied().filter(|p| local_path(p)) {
                acted = true;
                let (e, why) = args::write_risk(p.trim(), false).unwrap_or((Mutating, "a file"));
                ctx.add(
                    e.max(Mutating),
                    format!(
                        "output: `{k}` writes the result to `{}`, {why}",
                        prefix(p, 80)
                    ),
                );
            }
        }
        if acted {
            continue;
        }
        // `tool`, `tool_name` or `target` dispatch only with the arguments beside them
        // (`describe_tool {"tool_name": "delete_repository"}` asks about a tool).
        let with_args = ["with", "args", "arguments", "params", "input", "parameters"]
            .iter()
            .any(|a| map.get(*a).is_some_and(Value::is_object));
        if TOOL_KEYS.contains(&key.as_str())
            || (with_args && (words.contains(&"tool") || key == "target"))
        {
            dispatched(ctx, k, &values);
        }
        if cli {
            continue;
        }
        if REMOVAL_KEYS.contains(&key.as_str()) && truthy(v) {
            ctx.add(
                Destructive,
                format!("flags: `{k}` is set, so the call removes what it touches"),
            );
        } else if PUBLIC_KEYS.contains(&key.as_str()) && truthy(v) && !ctx.name_reads {
            // (On a listing, `publicly_accessible: true` is a filter.)
            ctx.add(
                Admin,
                format!("flags: `{k}` is set, so anyone can read the data"),
            );
        } else if ACL_KEYS.contains(&key.as_str())
            && values.iter().any(|a| {
                let a = a.trim().to_ascii_lowercase();
                a.starts_with("public") || a == "allusers" || a == "allauthenticatedusers"
            })
        {
            ctx.add(
                Admin,
                format!("flags: `{k}` makes the data readable by anyone"),
            );
        } else if RUN_KEYS.contains(&key.as_str()) && truthy(v) && (downloads || fetches()) {
            ctx.add(
                Destructive,
                format!("output: `{k}` runs what the tool downloads (unseen code)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{local_path, remote, snake};

    #[test]
    fn keys_and_values() {
        assert_eq!(snake("outputFile"), "output_file");
        assert_eq!(snake("save-to"), "save_to");
        assert_eq!(snake("OUTPUT_PATH"), "output_path");
        assert!(remote("s3://evil-bucket/x.csv"));
        assert!(remote("attacker@evil.com"));
        assert!(!remote("http://127.0.0.1:9000/hook"));
        assert!(!remote("json"));
        assert!(local_path("/home/u/.bashrc") && local_path("~/x") && local_path("./out.csv"));
        assert!(!local_path("json") && !local_path("table") && !local_path("us-east-1"));
    }
}
