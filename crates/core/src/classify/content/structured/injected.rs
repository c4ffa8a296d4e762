//! Fields a server may put in a shell line (`kubectl get pods -n ${ns}`): what a value adds
//! to the line runs with it.

use serde_json::{Map, Value};

use super::super::{Ctx, shell, snippet};
use crate::Effect::{Admin, Destructive};

/// A server that builds a shell line from its fields runs what a value adds. A substitution
/// (`` ` ``, `$(`, `<(`, `>(`) is shell syntax in any text: the line is judged as it is. A
/// separator, a line break or a redirection (`{"namespace": "prod; kubectl delete ns prod"}`)
/// is also text (`{"grep": "fix|feat"}`, `{"author": "Tom & Jerry"}`): the line is judged on
/// its own, and counts only where it removes or changes access. The words are judged with
/// those values last, so the command's own options stay on its first line.
pub(super) fn judge_line(ctx: &mut Ctx, program: &str, argv: &[String]) {
    let substituted =
        |w: &String| w.contains('`') || w.contains("$(") || w.contains("<(") || w.contains(">(");
    let separated = |w: &String| w.contains([';', '|', '&', '\n', '>']);
    let shaped = |w: &String| substituted(w) || separated(w);
    // A spent budget has escalated already: a long value is not parsed once more (the
    // review of the twenty-third sets: two 60 KB fields each took the parser's time).
    if ctx.exhausted || !argv.iter().skip(1).any(shaped) {
        return;
    }
    let (plain, values): (Vec<&String>, Vec<&String>) = argv.iter().partition(|w| !shaped(w));
    let reordered = plain
        .into_iter()
        .chain(values)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    let full = argv.iter().skip(1).any(substituted);
    // In the fields' order too when a separator came as a word of its own (`{"flags": "-o
    // name | xargs kubectl delete"}`): it leads the words after it. Otherwise a value's line
    // break would leave the options after it off the command's first line (a manifest
    // before `--dry-run=server`).
    let worded = argv
        .iter()
        .any(|w| matches!(w.as_str(), ";" | "|" | "||" | "&" | "&&"));
    let mut lines = vec![reordered];
    if worded {
        lines.push(argv.join(" "));
    }
    for line in lines {
        let via = format!("{program} read as the shell line {}", snippet(&line));
        if full {
            ctx.via(via, |ctx| shell::analyse(ctx, &line, 1));
        } else {
            removal_or_access(ctx, &via, &line);
        }
    }
}

/// Judges a line on a context of its own (sharing the work budget) and adds its findings
/// only if they remove something or change access.
fn removal_or_access(ctx: &mut Ctx, via: &str, line: &str) {
    let mut c = Ctx::new();
    c.work = ctx.work;
    shell::analyse(&mut c, line, 1);
    ctx.work = c.work;
    if c.exhausted {
        // The shared budget is spent: the caller's next step escalates too.
        ctx.tick(0);
    }
    if let Some(v) = c.verdict()
        && matches!(v.effect, Destructive | Admin)
    {
        for reason in v.reasons {
            ctx.add(v.effect, format!("{reason} (via {via})"));
        }
    }
}

/// The string values of the keys a program tool leaves off its command line (`output`,
/// `format`, `cwd`, …; free text such as `description` and `reason` aside), as the
/// `--key=value` words a server would add, when they hold shell syntax: `judge_line`
/// finds what they add (the twenty-third sets: `kubectl_get {"output": "name; kubectl
/// delete ns prod"}` read as `kubectl get pods`).
fn described_values(map: &Map<String, Value>, ignored: &[&str]) -> Vec<String> {
    map.iter()
        .filter(|(k, _)| {
            ignored.contains(&k.as_str()) && !matches!(k.as_str(), "description" | "reason")
        })
        // A list's items and an object's values are the value too (`{"output": ["…"]}`).
        .flat_map(|(k, v)| {
            let items: Vec<&str> = match v {
                Value::String(s) => vec![s.as_str()],
                Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
                Value::Object(o) => o.values().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            items.into_iter().map(move |s| (k, s))
        })
        .filter(|(_, s)| shaped(s))
        .map(|(k, s)| format!("--{k}={s}"))
        .collect()
}

/// An exec tool's command is what runs in the container or pod (`kubectl_exec {"pod":
/// "web", "command": "rm -rf /data"}` had been read as `kubectl rm -rf /data web`; the
/// twenty-third sets): a command or cmd key under a tool named for `exec` is also judged
/// as the command line it is (a string) or its words (a list).
pub(super) fn exec_command(
    ctx: &mut Ctx,
    program: &str,
    name_rest: &[String],
    map: &Map<String, Value>,
) {
    if !name_rest.iter().any(|w| w == "exec") {
        return;
    }
    let Some(value) = map.get("command").or_else(|| map.get("cmd")) else {
        return;
    };
    let via = format!("the command `{program}` runs in the container");
    match value {
        Value::String(s) => ctx.via(via, |ctx| shell::analyse(ctx, s, 1)),
        Value::Array(items) if items.iter().all(Value::is_string) => {
            let argv: Vec<String> = items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            ctx.via(via, |ctx| shell::analyse_argv(ctx, &argv, 1));
        }
        _ => {}
    }
}

/// Text with shell syntax a server building a line would run: a substitution or a
/// separator, line break or redirection.
fn shaped(s: &str) -> bool {
    s.contains(['`', ';', '|', '&', '\n', '>']) || s.contains("$(") || s.contains("<(")
}

/// The strings with shell syntax under a value (an object's values, a list's items), a few
/// levels deep: an SDK tool's parameters (`use_aws {"region": "us-east-1; aws ec2
/// terminate-instances …"}`) and a program tool's object-valued fields (`terraform
/// {"vars": {"x": "$(rm -rf /srv)"}}`), which no flag carries (the twenty-third sets).
fn shaped_leaves(v: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 8 || out.len() >= 64 {
        return;
    }
    match v {
        Value::String(s) if shaped(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| shaped_leaves(i, out, depth + 1)),
        Value::Object(o) => o.values().for_each(|i| shaped_leaves(i, out, depth + 1)),
        _ => {}
    }
}

/// `judge_line` over a program tool's line with what its fields add that no word carries:
/// the described keys' values (`ignored`), and the strings with shell syntax under an
/// object- or list-valued field not `consumed` (for an SDK tool, under every field: its parameters).
pub(super) fn judge_with_fields(
    ctx: &mut Ctx,
    program: &str,
    argv: &[String],
    map: &Map<String, Value>,
    ignored: &[&str],
    consumed: &[String],
) {
    let mut line = argv.to_vec();
    line.extend(described_values(map, ignored));
    let sdk = program == "sdk";
    for (_, v) in map
        .iter()
        // A list of objects too (`{"vars": [{"x": "$(rm -rf ~)"}]}`; the review).
        .filter(|(k, v)| (sdk || v.is_object() || v.is_array()) && !consumed.contains(k))
    {
        shaped_leaves(v, &mut line, 0);
    }
    judge_line(ctx, program, &line);
}

/// rclone's commands that take a command of their own (`rclone config show`, `rclone serve
/// http`, `rclone backend features`, `rclone rc operations/list`).
const RCLONE_GROUPS: &[&str] = &[
    "config",
    "backend",
    "serve",
    "rc",
    "test",
    "completion",
    "genautocomplete",
    "gendocs",
    "help",
];

/// A subcommand field beside an rclone tool's command (`{"command": "lsjson",
/// "subcommand": "purge"}`): joined, it is an operand (`rclone lsjson purge` lists a path
/// named `purge`), but the server may run it as rclone's command, so it is also judged
/// alone (`rclone purge`) unless the command takes a command of its own (the review of the
/// twenty-third sets). Only raises.
pub(super) fn rclone_second(ctx: &mut Ctx, primary: &[String], second: Option<&str>) {
    let Some(second) = second else {
        return;
    };
    if primary
        .first()
        .is_some_and(|w| RCLONE_GROUPS.contains(&w.to_ascii_lowercase().as_str()))
    {
        return;
    }
    let mut argv = vec!["rclone".to_string()];
    argv.extend(second.split_whitespace().map(str::to_string));
    if argv.len() < 2 {
        return;
    }
    ctx.via(
        format!("rclone read as {}", snippet(&argv.join(" "))),
        |ctx| shell::analyse_argv(ctx, &argv, 1),
    );
}
