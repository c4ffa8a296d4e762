//! A program's arguments given as a line or as JSON text (`{"program": "ls", "arguments":
//! "-la"}`, `{"program": "ls", "args": "[\"-la\"]"}`). The twenty-fourth sets joined them to
//! the program, which lowers a call that was `mutating` by default to `read`; the review of
//! the twenty-fourth sets found that lowering too wide (`"arguments": "$(reboot)"`, `"-la;
//! reboot"` and a program `sh` or `python3 -c` came out `read` or lower than before) and
//! made it exact: it holds only for one known, plain program that is no shell, interpreter
//! or wrapper, and words with no shell syntax. Anything else is left to the rest of the proof
//! and the program and its line are judged as a shell line too (a server may run
//! `sh -c "$program $arguments"`), never lower than `mutating`.

use serde_json::{Map, Value};

use super::super::catalogue::{self, Handler};
use super::super::{Ctx, shell};
use crate::Effect::{Mutating, Read};

/// The keys of a program and its arguments as a string (a line or JSON text), when no key
/// holds an argument list.
pub(super) fn line_tail(
    map: &Map<String, Value>,
    tails: &[&'static str],
    heads: &[&'static str],
) -> Option<(&'static str, &'static str)> {
    if tails
        .iter()
        .any(|k| map.get(*k).is_some_and(Value::is_array))
    {
        return None;
    }
    let tail = tails.iter().copied().find(|k| {
        map.get(*k)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty())
    })?;
    let head = heads
        .iter()
        .copied()
        .find(|k| words(map.get(*k)).is_some())?;
    Some((head, tail))
}

fn words(v: Option<&Value>) -> Option<Vec<&str>> {
    match v? {
        Value::String(s) if !s.trim().is_empty() => Some(vec![s.as_str()]),
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_string) => {
            Some(items.iter().filter_map(Value::as_str).collect())
        }
        _ => None,
    }
}

/// Characters that carry no shell syntax (no expansion, quoting, glob, redirection or
/// separator); a space only where `spaces`; a `~` only after a letter or digit (`HEAD~3`,
/// not `~/.ssh`).
fn plain(word: &str, spaces: bool) -> bool {
    let mut prev = ' ';
    !word.is_empty()
        && word.chars().all(|c| {
            let ok = c.is_ascii_alphanumeric()
                || matches!(c, '-' | '_' | '.' | '/' | '=' | ',' | ':' | '@' | '%' | '+')
                || (spaces && c == ' ')
                || (c == '~' && prev.is_ascii_alphanumeric());
            prev = c;
            ok
        })
}

/// Programs that run another program or text given in their arguments, beyond the
/// catalogue's wrappers, shells and interpreters.
const RUNNERS: &[&str] = &[
    "xargs",
    "sudo",
    "doas",
    "su",
    "runuser",
    "ssh",
    "docker",
    "podman",
    "kubectl",
    "watch",
    "timeout",
    "nice",
    "ionice",
    "env",
    "chroot",
    "nsenter",
    "unshare",
    "flock",
    "parallel",
    "script",
    "setpriv",
    "strace",
    "ltrace",
    "gdb",
    "busybox",
    "eval",
    "exec",
    "command",
    "builtin",
    "source",
    "nohup",
    "time",
    "taskset",
    "systemd-run",
    "at",
    "batch",
];

/// True if the program's line holds exactly (the lowering may stand); otherwise judges the
/// joined line as a shell line, at least `mutating`, and returns false.
pub(super) fn exact(ctx: &mut Ctx, map: &Map<String, Value>, head: &str, tail: &str) -> bool {
    let head_words = words(map.get(head)).unwrap_or_default();
    let raw = map.get(tail).and_then(Value::as_str).unwrap_or("").trim();
    let parsed: Option<Vec<Value>> = raw
        .starts_with('[')
        .then(|| serde_json::from_str::<Vec<Value>>(raw).ok())
        .flatten();
    let name = head_words
        .first()
        .map(|w| shell::program_name(w.trim()))
        .unwrap_or("");
    let plain_program = head_words.len() == 1
        && head_words.first().is_some_and(|w| plain(w.trim(), false))
        && !RUNNERS.contains(&name)
        && catalogue::interpreter(name).is_none()
        && catalogue::handler_of(name).is_some_and(|h| {
            !matches!(
                h,
                Handler::Wrapper | Handler::Shell | Handler::PowerShell | Handler::Interpreter
            )
        });
    let plain_tail = match &parsed {
        Some(items) => items
            .iter()
            .all(|v| v.as_str().is_some_and(|s| s.is_empty() || plain(s, true))),
        None => plain(raw, true),
    };
    if plain_program && plain_tail {
        return true;
    }
    let mark = ctx.mark();
    let line = format!("{} {raw}", head_words.join(" "));
    shell::analyse(ctx, &line, 1);
    // JSON text of words is also the list it spells (`git` + `["reset", "--hard"]`).
    if let Some(items) = &parsed
        && items.iter().all(Value::is_string)
    {
        let argv: Vec<String> = head_words
            .iter()
            .map(|w| (*w).to_string())
            .chain(items.iter().filter_map(Value::as_str).map(str::to_string))
            .collect();
        shell::analyse_argv(ctx, &argv, 1);
    }
    if ctx.max_since(mark).is_none_or(|e| e == Read) {
        ctx.add(
            Mutating,
            "a program's arguments given as a line with shell syntax, or to a shell, interpreter \
             or wrapper: a server may run them through a shell",
        );
    }
    false
}

/// Code fed on standard input to an interpreter that reads its program there
/// (`{"command": ["python3", "-"], "stdin": "import os; os.system(…)"}`, `{"argv":
/// ["node"], "input": "…"}`): judged as that language's code (the review of the
/// twenty-fourth sets; it was `mutating` whatever the code did). Only raises.
pub(super) fn stdin_code(ctx: &mut Ctx, map: &Map<String, Value>, heads: &[&str], tails: &[&str]) {
    let Some(text) = ["stdin", "input"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str))
        .filter(|t| !t.trim().is_empty())
    else {
        return;
    };
    let argv: Vec<&str> = heads
        .iter()
        .chain(tails)
        .filter_map(|k| words(map.get(*k)))
        .flatten()
        .flat_map(str::split_whitespace)
        .collect();
    let Some((first, rest)) = argv.split_first() else {
        return;
    };
    let lang = match catalogue::interpreter(shell::program_name(first)) {
        Some(l @ ("python" | "js")) => l,
        _ => return,
    };
    if !rest
        .iter()
        .all(|a| matches!(*a, "-" | "--" | "-u" | "-q" | "-i" | "-B"))
    {
        return;
    }
    let text = text
        .get(..super::super::MAX_INPUT.min(text.len()))
        .unwrap_or(text);
    let cp = ctx.checkpoint();
    ctx.via(format!("stdin run as {lang}"), |ctx| {
        super::super::code::analyse(ctx, lang, text, 1);
    });
    ctx.forget_reads_since(&cp);
}
