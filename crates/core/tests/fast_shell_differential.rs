//! The shell fast path against the parser (issue 14): for every line it splits without the
//! parser, the classification must be the same as the parsed line's (effect and reasons),
//! alone and inside a JSON argument. Lines are generated from a fixed seed: plain commands
//! that read, write, wrap other commands or change the shell's state, joined by every
//! operator, with arguments that a shell expands, quotes, redirections and stray
//! characters mixed in, so that both sides of the fast path's boundary are exercised.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test harness: failing loudly is the point

mod common;

use airlock_core::Effect;
use airlock_core::classify::content::fast_shell_line;
use common::{Rng, content};
use serde_json::json;

const SHELL_90B: &str =
    "cd /srv/app && git status --short | grep -v '^??' | head -n 20 && ls -la build/ > /dev/null";

/// Programs: readers, writers, destroyers, wrappers that run other commands, interpreters,
/// and builtins that change what later words mean.
const PROGRAMS: &[&str] = &[
    "ls",
    "cat",
    "head",
    "tail",
    "wc",
    "grep",
    "echo",
    "pwd",
    "cd",
    "git",
    "sort",
    "uniq",
    "cut",
    "find",
    "xargs",
    "sh",
    "bash",
    "rm",
    "mv",
    "cp",
    "tee",
    "curl",
    "psql",
    "kubectl",
    "docker",
    "sudo",
    "env",
    "timeout",
    "nice",
    "alias",
    "hash",
    "declare",
    "export",
    "unset",
    "eval",
    "exec",
    "source",
    ".",
    "python3",
    "awk",
    "sed",
    "dd",
    "chmod",
    "make",
    "npm",
    "terraform",
    "aws",
    "mysql",
    "redis-cli",
    "printf",
    "let",
    "shopt",
    "ssh",
    "nc",
    "truncate",
    "/bin/rm",
    "command",
    "builtin",
    "watch",
    "nohup",
    "time",
    "if",
    "X=1",
    "''",
];

/// Arguments, plain and otherwise.
const ARGS: &[&str] = &[
    "-la",
    "-v",
    "-n",
    "20",
    "--short",
    "status",
    "log",
    "push",
    "--force",
    "-rf",
    "/",
    "/tmp/x",
    "build/",
    "src",
    "'^??'",
    "'DROP TABLE users'",
    "'rm -rf /'",
    "-c",
    "-exec",
    "-delete",
    "-i",
    "'s/a/b/'",
    "--format=short",
    "/dev/null",
    "~/.aws/credentials",
    "'$(id)'",
    "'a b'",
    "-o",
    "out.txt",
    "'SELECT 1'",
    "drop",
    "table",
    "x",
    "main",
    "origin",
    "--hard",
    "reset",
    "clean",
    "-fdx",
    "delete",
    "pods",
    "--all",
    "-e",
    "'DELETE FROM t'",
    "-f",
    "prod",
    "apply",
    "destroy",
    "s3",
    "rb",
    "ll=rm",
    "'ls=rm -rf'",
    "-p",
    "/bin/rm",
    "ls",
    "expand_aliases",
    "-s",
    "of=/dev/sda",
    "if=/dev/zero",
    "777",
    "'a[$(rm -rf /)]'",
    "user.name=x",
    "X='$(rm -rf /)'",
    "PS4='$(id)'",
    "'print(1)'",
    "'import os; os.remove(\"x\")'",
    "$HOME",
    "\"x\"",
    "*.rs",
    "a\\ b",
    "{a,b}",
    "`id`",
    "#c",
    "'unclosed",
];

const OPERATORS: &[&str] = &[
    " | ", " && ", " || ", "; ", " ; ", "|", "&&", " & ", "\n", " |& ",
];
const REDIRECTS: &[&str] = &[
    " > /dev/null",
    " 2>/dev/null",
    " 2>&1",
    " >/dev/null",
    " >> /dev/null",
    " > out.txt",
    " < in.txt",
    " >&2",
    " 2> err.log",
    " >| x",
];

fn command(r: &mut Rng) -> String {
    let mut s = r.pick(PROGRAMS).to_string();
    for _ in 0..r.below(5) {
        s.push(' ');
        s.push_str(r.pick(ARGS));
    }
    if r.chance(15) {
        s.push_str(r.pick(REDIRECTS));
    }
    s
}

fn line(r: &mut Rng) -> String {
    let mut s = command(r);
    for _ in 0..r.below(4) {
        s.push_str(if r.chance(85) {
            r.pick(&OPERATORS[..6])
        } else {
            r.pick(OPERATORS)
        });
        s.push_str(&command(r));
    }
    if r.chance(5) {
        s.push(';');
    }
    s
}

#[test]
fn lines_split_without_the_parser_are_judged_as_the_parsed_lines() {
    let mut r = Rng(0x1405_2026_5e11_0001);
    let (mut fired, mut total, mut read) = (0usize, 0usize, 0usize);
    for i in 0..20_000 {
        let text = line(&mut r);
        total += 1;
        if !fast_shell_line(&text) {
            continue;
        }
        fired += 1;
        let (fast, full) = (
            content("shell", &json!(text), true),
            content("shell", &json!(text), false),
        );
        assert_eq!(fast, full, "{text:?}");
        if fast.as_ref().is_some_and(|v| v.effect == Effect::Read) {
            read += 1;
        }
        if i % 10 == 0 {
            let input = json!({"command": text, "cwd": "/srv", "timeout": 30});
            assert_eq!(
                content("run_command", &input, true),
                content("run_command", &input, false),
                "{input}"
            );
        }
    }
    assert!(fired > 4_000, "the fast path split {fired} of {total}");
    assert!(
        fired < total - total / 5,
        "the fast path split {fired} of {total}"
    );
    assert!(read > 200, "{read} of the split lines are reads");
}

#[test]
fn the_benchmark_line_is_split_and_read() {
    assert!(fast_shell_line(SHELL_90B));
    let v = content("shell", &json!(SHELL_90B), true).expect("a verdict");
    assert_eq!(v.effect, Effect::Read);
    assert_eq!(Some(v), content("shell", &json!(SHELL_90B), false));
}

/// Comment bodies, realistic and adversarial (a second line by every line break, shell
/// syntax that would run outside a comment, non-ASCII text).
const COMMENT_BODIES: &[&str] = &[
    "recent commits",
    "x\nrm -rf /",
    "x\rrm -rf /",
    "x\r\nrm -rf /",
    "x\u{b}rm -rf /",
    "$(rm -rf /)",
    "`rm -rf /`",
    "; rm -rf /",
    "'",
    "\"",
    "\\",
    "caf\u{e9}",
    "\u{2028}rm -rf /",
    "\t",
    "#",
    "",
];

/// Lines with a `#` somewhere near their end: after a blank or an operator (a comment), or
/// inside a word (not one).
#[test]
fn lines_with_comments_are_judged_as_the_parsed_lines() {
    let mut r = Rng(0x1405_2026_5e11_0c0c);
    let (mut fired, mut total) = (0usize, 0usize);
    for _ in 0..10_000 {
        let mut body = r.pick(COMMENT_BODIES).to_string();
        if r.chance(30) {
            body.push_str(r.pick(COMMENT_BODIES));
        }
        if r.chance(5) {
            body.push_str(&"x".repeat(1000));
        }
        let before = r.pick(&[
            " ", "  ", "\t", ";", "; ", "|", " | ", "&&", " && ", "", "'a'",
        ]);
        let text = format!("{}{before}#{body}", line(&mut r));
        total += 1;
        if !fast_shell_line(&text) {
            continue;
        }
        fired += 1;
        let (fast, full) = (
            content("shell", &json!(text), true),
            content("shell", &json!(text), false),
        );
        assert_eq!(fast, full, "{text:?}");
    }
    assert!(fired > 1_000, "the fast path split {fired} of {total}");
    assert!(fired < total / 2, "the fast path split {fired} of {total}");
}

#[test]
fn comment_corpus() {
    let accepted = [
        "git log --oneline -n 20 | head  # recent commits",
        "ls;# x",
        "ls # $(rm -rf /) ; rm -rf /",
    ];
    let refused = [
        "ls # x\nrm -rf /",
        "ls # x\rrm -rf /",
        "echo a#b",
        "ls | # x",
        "ls # caf\u{e9}",
    ];
    for (text, fast) in accepted
        .iter()
        .map(|t| (t, true))
        .chain(refused.iter().map(|t| (t, false)))
    {
        assert_eq!(fast_shell_line(text), fast, "{text:?}");
        let (a, b) = (
            content("shell", &json!(text), true),
            content("shell", &json!(text), false),
        );
        assert_eq!(a, b, "{text:?}");
    }
    let padded = format!("git log --oneline -n 20 | head # {}", "x".repeat(1000));
    assert!(fast_shell_line(&padded));
    let v = content("shell", &json!(padded), true).expect("a verdict");
    assert_eq!(v.effect, Effect::Read);
    assert_eq!(Some(v), content("shell", &json!(padded), false));
}
