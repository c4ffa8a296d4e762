//! Exact command forms the row engine cannot say: help and version flags that make a command
//! print and exit (`terraform destroy -help`, `docker compose down --help`, `mkfs.ext4 -V`,
//! `sudo -l`, `ssh -G host`), and what tracers and debuggers run besides their program
//! (`strace -o '!cmd'`, `gdb -ex 'shell cmd'`).
//!
//! Every rule here that lowers a verdict matches the whole argument list, so a second word
//! that does something cannot ride along (twins in `tests/corpus/cat2_3.jsonl`).

use super::super::shell::Sh;
use super::Handler;
use crate::Effect::{Destructive, Mutating};

/// Handlers whose programs pass their arguments to something they run: `python x.py --help`
/// runs `x.py`, so a help flag there proves nothing.
fn passes_on(handler: Handler) -> bool {
    matches!(
        handler,
        Handler::Wrapper
            | Handler::Shell
            | Handler::Interpreter
            | Handler::JsPkg
            | Handler::Build
            | Handler::DbClient
            | Handler::PowerShell
            | Handler::WinTool
            | Handler::Cmd
            | Handler::Reg
            | Handler::Diskpart
            | Handler::Cmdlet
            | Handler::CmdBuiltin
            | Handler::Crontab
            | Handler::At
    )
}

/// Subcommand CLIs (cobra, Go `flag`, git's parse-options, docker) that answer a help flag
/// anywhere after their subcommand words by printing help, and take `-h` as help.
fn subcommand_cli(handler: Handler) -> bool {
    matches!(
        handler,
        Handler::Git
            | Handler::Kubectl
            | Handler::Helm
            | Handler::Terraform
            | Handler::Pulumi
            | Handler::Docker
            | Handler::Gh
    )
}

/// Programs whose `-V` alone prints their version (e2fsprogs `mke2fs -V`, `mkfs.xfs -V`,
/// util-linux tools, `sudo -V`, `ssh -V`). Only ever believed as the single argument.
const DASH_V_VERSION: &[&str] = &[
    "mkfs",
    "mkswap",
    "cryptsetup",
    "mdadm",
    "losetup",
    "umount",
    "swapoff",
    "blkdiscard",
    "wipefs",
    "sgdisk",
    "ssh",
    "sudo",
    "iptables",
    "ip6tables",
    "nft",
    "crontab",
    "lvremove",
    "vgremove",
    "pvremove",
];

/// `prog --help`, `prog sub --version`, `terraform destroy -help`, `kubeadm reset -h`: the
/// help or version flag is the last word, preceded only by subcommand words (lowercase
/// letters and `-`, not flags), so it cannot be the value of another flag. Plain programs get
/// one subcommand word, subcommand CLIs three (`docker compose down --help`,
/// `gcloud compute instances delete --help` is not one of them: its names are operands).
pub(super) fn prints_and_exits(name: &str, handler: Handler, args: &[String]) -> bool {
    if passes_on(handler) && !(handler == Handler::Wrapper && wrapper_prints(name, args)) {
        return false;
    }
    if handler == Handler::Wrapper {
        return true;
    }
    if let [only] = args
        && only == "-V"
        && (DASH_V_VERSION.contains(&name) || name.starts_with("mkfs."))
    {
        return true;
    }
    let Some((last, words)) = args.split_last() else {
        return false;
    };
    let cli = subcommand_cli(handler) || matches!(name, "kubeadm" | "nats");
    let help = match last.as_str() {
        "--help" | "--version" => true,
        "-help" => handler == Handler::Terraform,
        "-h" => cli,
        _ => false,
    };
    let most = if cli { 3 } else { 1 };
    help && words.len() <= most
        && words
            .iter()
            .all(|w| w.chars().all(|c| c.is_ascii_lowercase() || c == '-') && !w.starts_with('-'))
}

/// Wrappers that only print: `sudo -l` (what the user may run), `sudo -V`, `--help`.
/// Exactly one argument: `sudo -l rm -rf /` is still judged as the wrapper.
fn wrapper_prints(name: &str, args: &[String]) -> bool {
    let [only] = args else { return false };
    match name {
        "sudo" => matches!(
            only.as_str(),
            "-l" | "-ll" | "--list" | "-V" | "--version" | "-h" | "--help"
        ),
        "strace" | "ltrace" | "gdb" | "timeout" | "nice" | "flock" | "doas" => {
            matches!(only.as_str(), "-V" | "--version" | "-h" | "--help")
        }
        _ => false,
    }
}

/// `ssh -G host`: prints the configuration it would use and exits without connecting. Only
/// the flag and one host; `-o`, a command or `-F` are judged as a connection.
pub(super) fn ssh_prints(name: &str, args: &[String]) -> bool {
    name == "ssh"
        && matches!(args, [g, host] if g == "-G" && !host.starts_with('-') && !host.is_empty())
}

/// What tracers and debuggers run on their own: `strace -o '!cmd'` / `-o '|cmd'` pipes the
/// trace to a command; gdb's `-ex`/`-iex`/`-eval-command` commands `shell cmd`, `!cmd`,
/// `pipe … | cmd`, `python …`. Returns the arguments the wrapper should still see: a trace
/// written to `/dev/null` (or piped to a command, judged here) is taken out.
pub(super) fn tracer(sh: &mut Sh, name: &str, args: &[String], cmd: &str) -> Vec<String> {
    let mut out = Vec::with_capacity(args.len());
    let mut it = args.iter().peekable();
    while let Some(a) = it.next() {
        if name == "gdb" {
            let value = match a.as_str() {
                "-ex"
                | "--ex"
                | "-iex"
                | "--iex"
                | "-eval-command"
                | "--eval-command"
                | "-init-eval-command"
                | "--init-eval-command" => it.peek().map(|v| v.as_str()),
                _ => a
                    .strip_prefix("--eval-command=")
                    .or_else(|| a.strip_prefix("-eval-command=")),
            };
            if let Some(v) = value {
                gdb_command(sh, v, cmd);
            }
            out.push(a.clone());
            continue;
        }
        let value = match a.as_str() {
            "-o" | "--output" => it.peek().map(|v| v.to_string()),
            _ => a
                .strip_prefix("--output=")
                .or_else(|| a.strip_prefix("-o").filter(|v| !v.is_empty()))
                .map(str::to_string),
        };
        let Some(v) = value else {
            out.push(a.clone());
            continue;
        };
        let separate = matches!(a.as_str(), "-o" | "--output");
        if let Some(pipe) = v.strip_prefix('!').or_else(|| v.strip_prefix('|')) {
            sh.add(
                Mutating,
                format!("{cmd} pipes its trace to a command (`-o {v}`)"),
            );
            sh.shell_text(pipe, &format!("`{name} -o`"));
        } else if v != "/dev/null" {
            out.push(a.clone());
            continue;
        }
        if separate {
            it.next();
        }
    }
    out
}

/// One gdb command given on the command line.
fn gdb_command(sh: &mut Sh, line: &str, cmd: &str) {
    let line = line.trim_start();
    let word_end = line
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .unwrap_or(line.len());
    let (word, rest) = line.split_at(word_end);
    let via = "`gdb -ex`";
    match word {
        "" if rest.starts_with('!') => sh.shell_text(rest.get(1..).unwrap_or(""), via),
        "" if rest.starts_with('|') => {
            let target = rest.rsplit_once('|').map_or(rest, |(_, t)| t);
            sh.shell_text(target, via);
        }
        "shell" => sh.shell_text(rest, via),
        "pipe" => {
            let target = rest.rsplit_once('|').map_or(rest, |(_, t)| t);
            sh.shell_text(target, via);
        }
        "python" | "py" | "python-interactive" | "pi" => sh.code_text("python", rest, via),
        "call" | "print" | "p" | "set" | "source" | "restore" | "dump" | "append" | "define"
        | "guile" | "gu" | "compile" | "jump" | "signal" | "kill" | "return" => sh.add(
            Mutating,
            format!("{cmd}: gdb command `{word}` changes a process or runs code"),
        ),
        _ => {}
    }
    if rest.contains("system(") || rest.contains("unlink(") || rest.contains("remove(") {
        sh.add(
            Destructive,
            format!("{cmd}: gdb calls a function that runs or deletes (`{line}`)"),
        );
    }
}
