//! Structured arguments: commands that arrive as JSON rather than as a command line.
//!
//! - An array of strings shaped like an argv (its first element a known program or a path to
//!   one) is a command wherever it sits and under any key.
//! - A command split over keys is joined as Docker and Kubernetes join it: `entrypoint` +
//!   `command`, `command` + `args`.
//! - A tool named after a program (`git`, `redis`, `kubectl`, `terraform`, …) reads its
//!   object arguments as that program's command (`{"subcommand": "reset", "args":
//!   ["--hard"]}` is `git reset --hard`); the command re-enters the shell classifier, so the
//!   program table decides. Data stores without a command line (MongoDB operations,
//!   Elasticsearch APIs) are judged by [`super::datastore`].
//! - A tool named after a cloud service (`s3`, `dynamodb`, …) takes an SDK operation name
//!   (`DeleteObjects`, `delete_table`): the operation decides ([`sdk`]).
//! - A meta tool (`invoke_tool`, `call_function`) runs another tool: the inner call is judged
//!   as if it were made directly ([`meta`]).

mod args_line;
mod clients;
mod groups;
mod infra;
mod injected;
pub(crate) mod inputs;
mod line_list;
mod meta;
mod named;
mod redis_args;
mod sdk;

pub(crate) use sdk::operation as sdk_operation;

use serde_json::{Map, Value};

use super::{Ctx, datastore, shell, snippet, snippet_words};

/// A program a tool is named after.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Program {
    Git,
    Redis,
    Mongo,
    Kubectl,
    Terraform,
    Elastic,
    Docker,
    Helm,
    Aws,
    Gcloud,
    Az,
    Gh,
    Systemctl,
    Consul,
    Vault,
    /// rclone: a tool named for it runs `rclone COMMAND`, not the program `COMMAND`.
    Rclone,
    Curl,
    Wget,
    Httpie,
    /// A cloud service's SDK (`s3`, `dynamodb`): operation names, not command lines.
    Sdk,
    /// A tool that invokes other tools (`invoke_tool`, `call_function`).
    Meta,
}

impl Program {
    /// The program's command name.
    fn command(self) -> &'static str {
        match self {
            Program::Git => "git",
            Program::Redis => "redis-cli",
            Program::Mongo => "mongosh",
            Program::Kubectl => "kubectl",
            Program::Terraform => "terraform",
            Program::Elastic => "elasticsearch",
            Program::Docker => "docker",
            Program::Helm => "helm",
            Program::Aws => "aws",
            Program::Gcloud => "gcloud",
            Program::Az => "az",
            Program::Gh => "gh",
            Program::Systemctl => "systemctl",
            Program::Consul => "consul",
            Program::Vault => "vault",
            Program::Rclone => "rclone",
            Program::Curl => "curl",
            Program::Wget => "wget",
            Program::Httpie => "http",
            Program::Sdk => "sdk",
            Program::Meta => "invoke",
        }
    }

    /// True if the program's flags take one dash (`-auto-approve`).
    fn single_dash(self) -> bool {
        matches!(self, Program::Terraform | Program::Consul | Program::Vault)
    }
}

/// The program a tool name refers to (`mcp__redis__execute` is Redis), and the words of the
/// name after the program's (`git_reset` gives `reset`).
pub(crate) fn program_of(words: &[String]) -> Option<(Program, Vec<String>)> {
    // `k8s` splits into `k`, `8`, `s`.
    let joined: Vec<String>;
    let words = if words.windows(3).any(|w| w == ["k", "8", "s"]) {
        joined = words
            .join(" ")
            .replace("k 8 s", "k8s")
            .split(' ')
            .map(str::to_string)
            .collect();
        joined.as_slice()
    } else {
        words
    };
    let program = words.iter().enumerate().find_map(|(i, w)| {
        let p = match w.as_str() {
            "git" => Program::Git,
            "redis" | "valkey" | "keydb" => Program::Redis,
            "mongo" | "mongodb" | "mongosh" => Program::Mongo,
            "kubernetes" | "k8s" | "kubectl" | "kube" => Program::Kubectl,
            "terraform" | "tofu" | "opentofu" => Program::Terraform,
            "elasticsearch" | "opensearch" | "elastic" => Program::Elastic,
            "docker" | "podman" => Program::Docker,
            "helm" => Program::Helm,
            "aws" => Program::Aws,
            "gcloud" | "gcp" => Program::Gcloud,
            "az" | "azure" => Program::Az,
            "gh" => Program::Gh,
            "systemd" | "systemctl" => Program::Systemctl,
            "consul" => Program::Consul,
            "vault" => Program::Vault,
            "rclone" => Program::Rclone,
            "curl" => Program::Curl,
            "wget" => Program::Wget,
            "httpie" | "xh" => Program::Httpie,
            _ => return None,
        };
        // `mcp__git__git_log`: the server's name repeated before the tool's is one program.
        Some((
            p,
            words
                .iter()
                .skip(i + 1)
                .skip_while(|x| *x == w)
                .cloned()
                .collect(),
        ))
    });
    // Flux159's `node_management` (`{"operation": "drain", "nodeName": …}`) is kubectl's
    // node commands (the twenty-first sets: it fell to the default).
    // Only that name, or `manage_nodes` (an MCP prefix allowed): `node_package_management`,
    // `manage_node_modules`, `proxmox_node_management` are other programs, whose `list` or
    // `shutdown` is not kubectl's (the review).
    let nodes = || {
        (words.iter().any(|w| w == "node" || w == "nodes")
            && words.iter().any(|w| w == "management" || w == "manage")
            && words.iter().all(|w| {
                matches!(
                    w.as_str(),
                    "node" | "nodes" | "management" | "manage" | "mcp" | "server"
                )
            }))
        .then(|| (Program::Kubectl, Vec::new()))
    };
    program
        .or_else(nodes)
        .or_else(|| Some((Program::Sdk, sdk::tool_operation(words)?)))
        .or_else(|| meta::is_meta_tool(words).then(|| (Program::Meta, Vec::new())))
}

/// Keys that name the subcommand or operation.
const SUB_KEYS: &[&str] = &[
    "subcommand",
    "sub_command",
    "cli_command",
    "command",
    "cmd",
    "action",
    "operation",
    "op",
    "verb",
];

/// Keys that name the command when a `subcommand` key names its subcommand.
const PRIMARY_KEYS: &[&str] = &[
    "cli_command",
    "command",
    "cmd",
    "action",
    "operation",
    "op",
    "verb",
];

/// Command groups named by a key (`consul kv`, `vault secrets`).
const GROUP_KEYS: &[&str] = &[
    "kv",
    "acl",
    "secrets",
    "auth",
    "policy",
    "token",
    "snapshot",
    "operator",
    "services",
    "intention",
    "namespace",
    "audit",
    "lease",
    "kv2",
];

/// Keys whose value is an argument list.
const ARG_KEYS: &[&str] = &["args", "argv", "arguments", "flags", "options", "params"];

/// Keys whose value is a positional operand, in the order a command line has them.
const POSITIONAL: &[&str] = &[
    "service",
    "services",
    "unit",
    "units",
    "remote",
    "repository",
    "resource",
    "resource_type",
    "kind",
    "type",
    "release",
    "chart",
    "container",
    "containers",
    "image",
    "images",
    "id",
    "ids",
    "pod",
    "pods",
    "deployment",
    "deployments",
    "node",
    "nodes",
    "volumes",
    "networks",
    "targets",
    "volume",
    "network",
    "name",
    "names",
    "ref",
    "branch",
    "refspec",
    "revision",
    "commit",
    "key",
    "keys",
    "address",
    "addresses",
    "field",
    "member",
    "value",
    "target",
    "path",
    "paths",
    "file",
    "files",
    "pattern",
    "database",
    "collection",
    "index",
];

/// Keys that describe the call rather than the command.
const IGNORED: &[&str] = &[
    "repo_path",
    "repository_path",
    "repo",
    "project",
    "project_path",
    "working_dir",
    "cwd",
    "workdir",
    "working_directory",
    "dir",
    "directory",
    "timeout",
    "description",
    "reason",
    "env",
    "environment",
    "host",
    "port",
    "url",
    "endpoint",
    "context_id",
    "session",
    "output",
    "format",
];

/// Reads a program tool's object arguments as that program's command. Returns the keys it
/// consumed (the generic walk skips them), or nothing if the object is not a command.
pub(crate) fn program_call(
    ctx: &mut Ctx,
    program: Program,
    name_rest: &[String],
    map: &Map<String, Value>,
) -> Vec<String> {
    match program {
        Program::Mongo | Program::Elastic => {
            return datastore::call(ctx, program == Program::Mongo, name_rest, map);
        }
        Program::Sdk => return sdk::call(ctx, map, true, name_rest),
        // Judged for every object by `joined_command`.
        Program::Meta => return Vec::new(),
        Program::Curl | Program::Wget | Program::Httpie => {
            return clients::call(ctx, program, map);
        }
        _ => {}
    }
    let mut consumed: Vec<String> = Vec::new();
    let mut argv: Vec<String> = vec![program.command().to_string()];
    // Cloud CLIs name the service before the command (`aws s3 rm`).
    if matches!(program, Program::Aws | Program::Gcloud | Program::Az) {
        for key in ["service", "group"] {
            if let Some(Value::String(s)) = map.get(key) {
                argv.extend(s.split_whitespace().map(str::to_string));
                consumed.push(key.to_string());
            }
        }
    }
    if program == Program::Redis {
        redis_batches(ctx, map, &mut consumed);
        redis_args::args_as_command(ctx, name_rest, map);
    }
    // A command group named by its key (`consul {"kv": "delete"}`, `vault {"secrets":
    // "disable"}`): the key and its value are the subcommand.
    let mut grouped = false;
    if matches!(program, Program::Consul | Program::Vault) {
        for key in GROUP_KEYS {
            if let Some(Value::String(s)) = map.get(*key) {
                argv.push((*key).to_string());
                argv.extend(s.split_whitespace().map(str::to_string));
                consumed.push((*key).to_string());
                grouped = true;
                break;
            }
        }
    }
    // The subcommand: a key, else the words of the tool name after the program's. A command
    // and a subcommand given apart (`{"command": "state", "subcommand": "rm"}`) join in that
    // order.
    let sub = PRIMARY_KEYS
        .iter()
        .find_map(|k| map.get(*k).filter(|v| v.is_string()).map(|v| (*k, v)))
        .or_else(|| SUB_KEYS.iter().find_map(|k| map.get(*k).map(|v| (*k, v))))
        // rclone's tools name the command `mode` (`{"mode": "purge"}`; the twenty-fifth sets).
        .or_else(|| {
            let mode = map.get("mode").filter(|v| v.is_string());
            mode.filter(|_| program == Program::Rclone)
                .map(|v| ("mode", v))
        });
    // `subCommand` too: a key is matched in any of its spellings.
    let second = sub.filter(|(k, _)| PRIMARY_KEYS.contains(k)).and_then(|_| {
        map.iter()
            .find(|(k, _)| matches!(snake(k).as_str(), "subcommand" | "sub_command"))
            .and_then(|(k, v)| v.as_str().map(|v| (k.as_str(), v)))
    });
    injected::exec_command(ctx, program.command(), name_rest, map);
    line_list::judge_map(ctx, program.command(), map);
    // The primary key's words, which another subcommand key continues (`git stash drop`).
    let mut primary_words: Vec<String> = Vec::new();
    match sub {
        Some((k, Value::String(s))) => {
            consumed.push(k.to_string());
            line_list::judge_operation_name(ctx, name_rest, s);
            // A whole command line with quoting (`kubectl patch x -p '{"a": 1}'`): the words
            // split on spaces lose its quotes, so the line is also read by the shell parser.
            // Also when the line leaves the program out (`get pods && kubectl delete …`).
            if s.contains([
                '\'', '"', '\\', '|', ';', '&', '$', '`', '(', '<', '>', '\n',
            ]) {
                let line = if s.starts_with(&format!("{} ", program.command())) {
                    s.to_string()
                } else {
                    format!("{} {s}", program.command())
                };
                // Each line is a command of the program too: Redis reads inline commands
                // one a line (`GET a\r\nFLUSHALL`), where the shell would run `FLUSHALL`.
                // For Redis that is the only reading of a text of several lines.
                let lines = s.contains(['\n', '\r']);
                // A script (`redis-cli … \n rm -rf ~`, a continuation, an operator) is still
                // read by the shell as well.
                let script = s.trim_start().starts_with("redis-cli")
                    || s.contains(['|', ';', '&', '$', '`', '(', ')', '<', '>', '\\']);
                if !(lines && program == Program::Redis && !script) {
                    ctx.via(format!("{} command line", program.command()), |ctx| {
                        shell::analyse(ctx, &line, 1)
                    });
                }
                if lines {
                    for line in s
                        .split(['\n', '\r'])
                        .map(str::trim)
                        .filter(|l| !l.is_empty())
                    {
                        let line = if line.starts_with(&format!("{} ", program.command())) {
                            line.to_string()
                        } else {
                            format!("{} {line}", program.command())
                        };
                        ctx.via(format!("{} command line", program.command()), |ctx| {
                            shell::analyse(ctx, &line, 1)
                        });
                    }
                }
            }
            let mut words = s.split_whitespace().map(str::to_string).peekable();
            if words.peek().is_some_and(|w| w == program.command()) {
                words.next();
            }
            let words: Vec<String> = words.collect();
            if second.is_some() {
                primary_words.clone_from(&words);
            }
            argv.extend(groups::git_group(program, name_rest, &words));
            if program == Program::Kubectl
                && let [verb] = words.as_slice()
            {
                argv.extend(kube_verb(verb));
            } else {
                argv.extend(words.iter().map(|w| subcommand_word(program, w)));
            }
            if let Some((k2, v2)) = second {
                consumed.push(k2.to_string());
                argv.extend(v2.split_whitespace().map(|w| subcommand_word(program, w)));
            }
        }
        Some((k, Value::Array(items))) if items.iter().all(Value::is_string) => {
            consumed.push(k.to_string());
            let items: Vec<String> = items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            let skip = usize::from(items.first().is_some_and(|f| f == program.command()));
            argv.extend(items.into_iter().skip(skip));
        }
        _ if name_rest.iter().any(|w| w != program.command()) => {
            // `git_diff_unstaged` is `git diff`: the first word is the subcommand
            // (`kubernetes_kubectl_get` is `kubectl get`).
            argv.extend(
                name_rest
                    .iter()
                    .skip_while(|w| *w == program.command())
                    .take(1)
                    .cloned(),
            );
        }
        // No subcommand: an argument list is the whole command after the program
        // (`{"args": ["push", "--force"]}`).
        _ if grouped
            || ARG_KEYS
                .iter()
                .any(|k| map.get(*k).is_some_and(|v| v.is_array() || v.is_string())) => {}
        _ => return consumed,
    }
    for key in POSITIONAL.iter().chain(named::docker_ids(program)) {
        // `resourceType` is `resource_type`.
        if let Some((k, v)) = map
            .get_key_value(*key)
            .or_else(|| map.iter().find(|(k, _)| snake(k) == *key))
        {
            let before = argv.len();
            push_values(&mut argv, v);
            // An operand is one word: text with spaces or shell characters is also walked
            // as the input it is (`{"remote": "x; rm -rf /data"}`).
            let plain = argv.get(before..).unwrap_or_default().iter().all(|w| {
                !w.contains(|c: char| {
                    c.is_whitespace()
                        || matches!(c, ';' | '&' | '|' | '$' | '`' | '(' | ')' | '<' | '>')
                })
            });
            if argv.len() > before && plain {
                consumed.push(k.clone());
            }
        }
    }
    for key in ARG_KEYS {
        match map.get(*key) {
            Some(Value::Array(items)) => {
                push_values(&mut argv, &Value::Array(items.clone()));
                consumed.push(key.to_string());
            }
            Some(Value::String(s)) => {
                argv.extend(s.split_whitespace().map(str::to_string));
                consumed.push(key.to_string());
            }
            // Flags stay in the generic walk too: a value that is a command or SQL of its
            // own is still found.
            Some(Value::Object(flags)) => {
                for (k, v) in flags {
                    push_flag(&mut argv, program, k, v);
                }
            }
            _ => {}
        }
    }
    for (k, v) in map {
        if consumed.iter().any(|c| c == k) || IGNORED.contains(&k.as_str()) {
            continue;
        }
        push_flag(&mut argv, program, k, v);
        // A value that is an option (`{"branch_name": "-f"}`) is one when the server passes
        // the field as an operand (`git checkout -f`): judged as both.
        if let Value::String(s) = v
            && s.strip_prefix('-').is_some_and(|r| {
                r.trim_start_matches('-')
                    .starts_with(|c: char| c.is_ascii_alphabetic())
            })
        {
            argv.push(s.clone());
        }
    }
    ctx.via(
        format!("{} read as {}", program.command(), snippet_words(&argv)),
        |ctx| shell::analyse_argv(ctx, &argv, 1),
    );
    injected::judge_with_fields(ctx, program.command(), &argv, map, IGNORED, &consumed);
    // Another subcommand field beside the one used (`{"operation": "list", "verb":
    // "delete"}`): which one the tool runs is not known, so each is judged.
    // A second subcommand key (`{"command": "stash", "sub_command": "list", "subcommand":
    // "drop"}`) is judged alone and after the primary's words.
    for (k, v) in map
        .iter()
        .filter(|(k, _)| !consumed.iter().any(|c| c == *k))
    {
        let key = snake(k);
        if !SUB_KEYS.contains(&key.as_str()) {
            continue;
        }
        let Value::String(s) = v else {
            continue;
        };
        let Some(first) = s.split_whitespace().next() else {
            continue;
        };
        let mut other = vec![program.command().to_string()];
        if program == Program::Kubectl {
            other.extend(kube_verb(first));
        } else {
            other.extend(s.split_whitespace().map(|w| subcommand_word(program, w)));
        }
        let mut forms = vec![other];
        if matches!(key.as_str(), "subcommand" | "sub_command") && !primary_words.is_empty() {
            let mut joined = vec![program.command().to_string()];
            joined.extend(primary_words.iter().map(|w| subcommand_word(program, w)));
            joined.extend(s.split_whitespace().map(|w| subcommand_word(program, w)));
            forms.push(joined);
        }
        for other in forms {
            ctx.via(
                format!(
                    "{} read as {}",
                    program.command(),
                    snippet(&other.join(" "))
                ),
                |ctx| shell::analyse_argv(ctx, &other, 1),
            );
        }
    }
    if program == Program::Rclone {
        named::rclone_name(ctx, name_rest, sub.is_some_and(|(k, _)| k == "mode"));
        injected::rclone_second(ctx, &primary_words, second.map(|(_, s)| s));
    }
    consumed
}

/// A Kubernetes API verb or client method as kubectl's subcommand: `list` and `watch` are
/// `get` (`--watch`), `deletecollection` is `delete --all`, `update` is `replace`, and a
/// client method (`list_namespaced_pod`, `deleteCollectionNamespacedPod`) is its verb. Other
/// words are kept, so kubectl's table judges them (an unknown one is a write).
fn kube_verb(word: &str) -> Vec<String> {
    let words = super::super::name::words(word);
    let joined = words.concat();
    let first = words.first().map_or("", String::as_str);
    let collection = words.iter().any(|w| w == "collection");
    let out: &[&str] = match (joined.as_str(), first) {
        ("deletecollection" | "deletecollectionnamespaced", _) => &["delete", "--all"],
        (_, "delete") if collection => &["delete", "--all"],
        (_, "deletecollection") => &["delete", "--all"],
        (_, "list" | "read" | "get") if words.len() > 1 || first != "get" => &["get"],
        (_, "watch") => &["get", "--watch"],
        (_, "update" | "replace") => &["replace"],
        (_, "connect") => &["exec"],
        (_, "delete" | "patch" | "create") if words.len() > 1 => return vec![first.to_string()],
        _ => return vec![word.to_string()],
    };
    out.iter().map(|w| (*w).to_string()).collect()
}

/// Redis pipelines and transactions (`{"commands": [["SET", "a", "1"], "FLUSHDB"]}`): each
/// command is judged.
fn redis_batches(ctx: &mut Ctx, map: &Map<String, Value>, consumed: &mut Vec<String>) {
    for key in ["commands", "pipeline", "batch", "transaction", "multi"] {
        let Some(Value::Array(items)) = map.get(key) else {
            continue;
        };
        for item in items {
            let mut argv = vec!["redis-cli".to_string()];
            match item {
                Value::String(s) => argv.extend(s.split_whitespace().map(str::to_string)),
                other => push_values(&mut argv, other),
            }
            if argv.len() > 1 {
                ctx.via("a redis batch", |ctx| shell::analyse_argv(ctx, &argv, 1));
            }
        }
        consumed.push(key.to_string());
    }
}

/// A subcommand word as the program spells it: AWS operations in camelCase
/// (`TerminateInstances`) become the CLI's `terminate-instances`.
fn subcommand_word(program: Program, w: &str) -> String {
    if program != Program::Aws || !w.starts_with(|c: char| c.is_ascii_uppercase()) {
        return w.to_string();
    }
    let mut out = String::new();
    for (i, c) in w.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Appends a value's strings and numbers as operands.
fn push_values(argv: &mut Vec<String>, v: &Value) {
    match v {
        Value::String(s) => argv.push(s.clone()),
        Value::Number(n) => argv.push(n.to_string()),
        Value::Array(items) => {
            for item in items {
                match item {
                    Value::String(s) => argv.push(s.clone()),
                    Value::Number(n) => argv.push(n.to_string()),
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

/// Appends `key: value` as a flag (`force: true` is `--force`, `mode: "hard"` is `--hard`,
/// `grace_period: 0` is `--grace-period=0`); objects are not flags.
fn push_flag(argv: &mut Vec<String>, program: Program, key: &str, v: &Value) {
    let dash = if program.single_dash() { "-" } else { "--" };
    let name = kebab(key.trim_start_matches('-'));
    // Kubernetes API list options as kubectl's flags (`fieldSelector` is `--field-selector`,
    // `labelSelector` is `--selector`, `limit` is `--chunk-size`).
    let name = match (program, name.as_str()) {
        (Program::Kubectl, "label-selector") => "selector".to_string(),
        (Program::Kubectl, "limit") => "chunk-size".to_string(),
        _ => name,
    };
    if name.is_empty() {
        return;
    }
    match v {
        Value::Bool(true) => argv.push(format!("{dash}{name}")),
        Value::Bool(false) | Value::Null => {}
        Value::String(s) if name == "mode" => argv.push(format!("--{s}")),
        Value::String(s) => argv.push(format!("{dash}{name}={s}")),
        Value::Number(n) => argv.push(format!("{dash}{name}={n}")),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            for s in items.iter().filter_map(Value::as_str) {
                argv.push(format!("{dash}{name}={s}"));
            }
        }
        // A kubectl patch or override given as an object is its JSON (`--patch={…}`).
        Value::Object(_) if program == Program::Kubectl => {
            argv.push(format!("{dash}{name}={v}"));
        }
        Value::Array(_) | Value::Object(_) => {}
    }
}

/// A key in snake case (`subCommand` is `sub_command`, `output-file` is `output_file`).
pub(crate) fn snake(key: &str) -> String {
    kebab(key).replace('-', "_")
}

/// A key as a flag's name: `_` is `-`, and camelCase is kebab-case (`noVerify` is
/// `no-verify`).
fn kebab(key: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push('-');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(if c == '_' {
            '-'
        } else {
            c.to_ascii_lowercase()
        });
    }
    out
}

/// Keys that start a command split over keys, in the order they join: `entrypoint` +
/// `command` (Docker), `command` + `args` (Kubernetes).
const HEAD_KEYS: &[&str] = &[
    "entrypoint",
    "command",
    "cmd",
    "program",
    "executable",
    "bin",
    "binary",
    "exec",
];
const TAIL_KEYS: &[&str] = &["args", "argv", "arguments"];
/// Keys that name the program only beside an argument list, and only when they name a known
/// program.
const WEAK_HEAD_KEYS: &[&str] = &[
    "file",
    "path",
    "filename",
    "process",
    "exe",
    "executable_path",
];

/// A command split over keys (`{"command": ["sh", "-c"], "args": ["rm -rf /data"]}`,
/// `{"entrypoint": "/bin/sh", "command": ["-c", "…"]}`): joined and analysed. Returns the
/// keys it consumed.
pub(crate) fn joined_command(ctx: &mut Ctx, map: &Map<String, Value>) -> Vec<String> {
    // Another tool's call (`{"tool": "delete_file", "arguments": {…}}`), judged as made
    // directly; an SDK operation name (`{"operation": "DeleteTable"}`) anywhere raises.
    let consumed = meta::call(ctx, map);
    if !consumed.is_empty() {
        return consumed;
    }
    // Ansible tasks, compose and playbook YAML text, cron entries: they only raise.
    infra::analyse(ctx, map);
    let service_tool = matches!(ctx.program, Some((Program::Sdk, _)));
    // A data store's tool is judged by its own operation; inside it, an operation name is a
    // filter's or a document's value (`{"$match": {"action": "dropDatabase"}}`).
    let datastore = matches!(ctx.program, Some((Program::Mongo | Program::Elastic, _)));
    if !datastore {
        let consumed = sdk::call(ctx, map, service_tool, &[]);
        if !consumed.is_empty() {
            injected::judge_with_fields(ctx, "sdk", &["sdk".to_string()], map, &[], &[]);
            return consumed;
        }
    }
    // An argument list given as JSON text (`{"program": "rm", "args": "[\"-rf\", …]"}`) is
    // the list; one given as a line (`{"program": "ls", "arguments": "-la"}`) joins the
    // program's line (the twenty-fourth sets). Both lower only when exact (`args_line.rs`):
    // one known, plain program (no shell, interpreter or wrapper) and words with no shell
    // syntax; anything else is left to the rest of the proof, with the line judged too.
    args_line::stdin_code(ctx, map, HEAD_KEYS, TAIL_KEYS);
    let line_keys = args_line::line_tail(map, TAIL_KEYS, HEAD_KEYS);
    if let Some((head, tail)) = line_keys
        && !args_line::exact(ctx, map, head, tail)
    {
        return Vec::new();
    }
    let parsed = line_keys.and_then(|(_, k)| {
        let s = map.get(k)?.as_str()?.trim();
        let v = serde_json::from_str::<Value>(s.starts_with('[').then_some(s)?).ok()?;
        v.as_array()
            .is_some_and(|a| a.iter().all(Value::is_string))
            .then_some((k, v))
    });
    let tail = TAIL_KEYS
        .iter()
        .find_map(|k| map.get(*k).filter(|v| v.is_array()).map(|v| (*k, v)))
        .or_else(|| parsed.as_ref().map(|(k, v)| (*k, v)));
    let line_tail = line_keys.and_then(|(_, k)| map.get(k).map(|v| (k, v)));
    let mut heads: Vec<(&str, &Value)> = HEAD_KEYS
        .iter()
        .filter_map(|k| map.get(*k).map(|v| (*k, v)))
        .filter(|(_, v)| as_words(v).is_some())
        .collect();
    // A file or path beside an argument list is the program when it names a known one
    // (Node's `execFile {"file": "rsync", "args": […]}`).
    if heads.is_empty() && tail.is_some() {
        heads.extend(
            WEAK_HEAD_KEYS
                .iter()
                .filter_map(|k| map.get(*k).map(|v| (*k, v)))
                .filter(|(_, v)| {
                    v.as_str()
                        .is_some_and(|s| is_argv(&[Value::String(s.trim().to_string())]))
                }),
        );
    }
    let mut parts: Vec<(&str, &Value)> = Vec::new();
    match (heads.as_slice(), tail) {
        // A program and its arguments.
        ([head, ..], Some(t)) => {
            if head.0 == "entrypoint"
                && let Some(cmd) = heads.get(1)
            {
                parts.push(*head);
                parts.push(*cmd);
            } else {
                parts.push(*head);
            }
            parts.push(t);
        }
        // Docker's entrypoint and command.
        ([head, cmd, ..], None) if head.0 == "entrypoint" => {
            parts.push(*head);
            parts.push(*cmd);
        }
        ([head, ..], None) if line_tail.is_some() => {
            parts.push(*head);
            parts.extend(line_tail);
        }
        _ => return Vec::new(),
    }
    let mut argv: Vec<String> = Vec::new();
    let mut line: Option<String> = None;
    for (_, v) in &parts {
        let Some(words) = as_words(v) else {
            return Vec::new();
        };
        for w in words {
            argv.push(w.to_string());
        }
        if let Value::String(s) = v
            && s.trim().contains(char::is_whitespace)
        {
            line = Some(String::new());
        }
    }
    if line.is_some() {
        // A string part is a command line of its own: join the parts as one line.
        let text: Vec<String> = parts
            .iter()
            .filter_map(|(_, v)| match v {
                Value::String(s) => Some(s.clone()),
                Value::Array(items) => Some(
                    items
                        .iter()
                        .filter_map(Value::as_str)
                        .map(quote)
                        .collect::<Vec<_>>()
                        .join(" "),
                ),
                _ => None,
            })
            .collect();
        shell::analyse(ctx, &text.join(" "), 1);
    } else {
        shell::analyse_argv(ctx, &argv, 1);
    }
    parts.iter().map(|(k, _)| k.to_string()).collect()
}

/// A string or an array of strings as words.
fn as_words(v: &Value) -> Option<Vec<&str>> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(vec![s.as_str()]),
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_string) => {
            Some(items.iter().filter_map(Value::as_str).collect())
        }
        _ => None,
    }
}

/// Single-quotes a word for a command line.
fn quote(w: &str) -> String {
    format!("'{}'", w.replace('\'', "'\\''"))
}

/// True if an array of strings has the shape of an argv: its first element is a known
/// program or a path to one, written as a plain word (no quotes or expansions).
pub(crate) fn is_argv(items: &[Value]) -> bool {
    let Some(Value::String(first)) = items.first() else {
        return false;
    };
    !first.is_empty()
        && first
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '+' | '-'))
        && items.iter().all(Value::is_string)
        && shell::looks_like_shell(first)
}

/// Keys whose array values are lists of names, not commands (`{"tags": ["kill", "bill"]}`).
pub(crate) fn is_name_list(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    matches!(
        k.as_str(),
        "tags"
            | "labels"
            | "keywords"
            | "names"
            | "categories"
            | "topics"
            | "aliases"
            | "allowed_commands"
            | "allowedcommands"
            | "denied_commands"
            | "blocked_commands"
            | "allowlist"
            | "denylist"
            | "blocklist"
            | "stopwords"
            | "synonyms"
    )
}

#[cfg(test)]
#[path = "structured_tests.rs"]
mod tests;
