//! A tool named after a command-line program (`find`, `dd`, `crontab`) given its arguments as
//! a list (`{"args": ["/srv", "-delete"]}`) or as a line (`"/srv -name x -delete"`): judged
//! as that command, as a shell tool's `find /srv -delete` is. The list is explicit: a
//! program's name that is also a common tool verb (`fetch`, `read`, `open`) is not here.

use serde_json::{Map, Value};

use super::{Ctx, shell};
use crate::Effect::Mutating;

/// Programs a tool may be named after, and their arguments judged as a command line.
const PROGRAMS: &[&str] = &[
    "find",
    "cat",
    "ls",
    "grep",
    "egrep",
    "rg",
    "head",
    "tail",
    "wc",
    "du",
    "df",
    "ps",
    "tree",
    "sort",
    "uniq",
    "cut",
    "tr",
    "diff",
    "stat",
    "file",
    "xargs",
    "sed",
    "awk",
    "gawk",
    "tee",
    "dd",
    "rm",
    "rmdir",
    "mv",
    "cp",
    "ln",
    "chmod",
    "chown",
    "chgrp",
    "touch",
    "mkdir",
    "truncate",
    "shred",
    "tar",
    "zip",
    "unzip",
    "rsync",
    "scp",
    "sftp",
    "ssh",
    "nc",
    "ncat",
    "socat",
    "openssl",
    "crontab",
    "at",
    "iptables",
    "ip6tables",
    "nft",
    "ufw",
    "useradd",
    "usermod",
    "userdel",
    "groupadd",
    "passwd",
    "chpasswd",
    "visudo",
    "mount",
    "umount",
    "mkfs",
    "fdisk",
    "parted",
    "wipefs",
    "kill",
    "pkill",
    "killall",
    "shutdown",
    "reboot",
    "service",
    "journalctl",
    "apt",
    "apt-get",
    "yum",
    "dnf",
    "apk",
    "brew",
    "npm",
    "npx",
    "pnpm",
    "yarn",
    "pip",
    "pip3",
    "pipx",
    "uv",
    "cargo",
    "go",
    "gem",
    "bundle",
    "composer",
    "make",
    "psql",
    "mysql",
    "sqlite3",
    "mongosh",
    "jq",
    "yq",
    "python",
    "python3",
    "node",
    "perl",
    "ruby",
    "php",
    "env",
    "nohup",
    "timeout",
    "sudo",
    "su",
    "doas",
    "base64",
    "gpg",
    "ssh-keygen",
    "nmap",
    "dig",
    "nslookup",
    "host",
    "ping",
    "traceroute",
    "whois",
];

/// Programs whose tool's text input is their own language or a pattern, not a command line
/// (`mysql "SELECT …"`, `grep "a|b"`, `awk "{print $1}"`): only an argument list counts.
const TEXT_IS_NOT_A_LINE: &[&str] = &[
    "grep", "egrep", "rg", "sed", "awk", "gawk", "jq", "yq", "tr", "cut", "xargs", "psql", "mysql",
    "sqlite3", "mongosh", "python", "python3", "node", "perl", "ruby", "php", "base64", "gpg",
    "openssl", "diff",
];

/// Keys of an argument list.
const LIST_KEYS: &[&str] = &["args", "argv", "arguments", "cli_args", "flags", "params"];
/// Keys of operands that come first (`{"path": "/srv", "expression": "-delete"}`).
const FIRST_KEYS: &[&str] = &["path", "root", "dir", "directory", "target", "file"];
/// Keys of the rest of a command line as text.
const LINE_KEYS: &[&str] = &[
    "expression",
    "expr",
    "args_line",
    "arguments_line",
    "options",
];

/// Judges `input` as the arguments of the program `tool` names, if it names one of
/// [`PROGRAMS`] exactly and the input is a line or holds an argument list.
///
/// This only raises: a tool whose name the name tier does not read keeps at least
/// `mutating` (a tool named `ps` is not proven to run `ps`).
pub(crate) fn analyse(ctx: &mut Ctx, tool: &str, input: &Value) {
    let program = tool.trim();
    if !PROGRAMS.contains(&program) {
        return;
    }
    match input {
        Value::String(line)
            if !line.trim().is_empty()
                && line.len() <= 64 * 1024
                && !TEXT_IS_NOT_A_LINE.contains(&program) =>
        {
            floor(ctx, program);
            let line = format!("{program} {line}");
            ctx.via(format!("the arguments of `{program}`"), |ctx| {
                shell::analyse(ctx, &line, 1);
            });
        }
        Value::Object(map) => object(ctx, program, map),
        _ => {}
    }
}

fn object(ctx: &mut Ctx, program: &str, map: &Map<String, Value>) {
    let list: Vec<String> = LIST_KEYS
        .iter()
        .filter_map(|k| map.get(*k).and_then(Value::as_array))
        .flatten()
        .filter_map(|v| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
        .collect();
    let line: Vec<&str> = LINE_KEYS
        .iter()
        .filter_map(|k| map.get(*k).and_then(Value::as_str))
        .collect();
    if list.is_empty() && line.is_empty() {
        return;
    }
    let first: Vec<String> = FIRST_KEYS
        .iter()
        .filter_map(|k| map.get(*k).and_then(Value::as_str))
        .map(str::to_string)
        .collect();
    floor(ctx, program);
    let reason = format!("the arguments of `{program}`");
    if line.is_empty() {
        let argv: Vec<String> = std::iter::once(program.to_string())
            .chain(first)
            .chain(list)
            .collect();
        ctx.via(reason, |ctx| shell::analyse_argv(ctx, &argv, 1));
    } else {
        // Text given as text is a line: the operands quoted, the text as it is.
        let quoted: Vec<String> = first.iter().chain(&list).map(|a| quote(a)).collect();
        let text = format!("{program} {} {}", quoted.join(" "), line.join(" "));
        ctx.via(reason, |ctx| shell::analyse(ctx, &text, 1));
    }
}

/// A name the name tier does not read keeps at least `mutating` when its arguments are
/// judged as the program's: the tool is not proven to be the program.
fn floor(ctx: &mut Ctx, program: &str) {
    if !ctx.name_reads {
        ctx.add(
            Mutating,
            format!("`{program}` names a program, not a tool known to only read"),
        );
    }
}

/// `a` in single quotes, for a shell line.
fn quote(a: &str) -> String {
    format!("'{}'", a.replace('\'', r"'\''"))
}
