//! Exact command forms the row engine cannot say: help and version flags that make a command
//! print and exit (`terraform destroy -help`, `docker compose down --help`, `mkfs.ext4 -V`,
//! `sudo -l`, `ssh -G host`), and what tracers and debuggers run besides their program
//! (`strace -o '!cmd'`, `gdb -ex 'shell cmd'`).
//!
//! Every rule here that lowers a verdict matches the whole argument list, so a second word
//! that does something cannot ride along (twins in `tests/corpus/cat2_3.jsonl`).

use super::super::shell::Sh;
use super::Handler;
use crate::Effect::{Admin, Destructive, Mutating};

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
    // `docker run alpine --help`, `docker compose exec web --help`: the words after these
    // are passed to what runs.
    if words.iter().any(|w| {
        matches!(
            w.as_str(),
            "run"
                | "exec"
                | "create"
                | "start"
                | "x"
                | "extension"
                | "ext"
                | "plugin"
                | "debug"
                | "attach"
        )
    }) && words.len() > 1
    {
        return false;
    }
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
            if runs_a_shell(pipe) && !pipe.contains(" -c") {
                sh.add(
                    Destructive,
                    format!("{cmd} feeds its trace to `{pipe}`, which runs it"),
                );
            }
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

/// True if a command line a network tool runs is a shell or an interpreter: its input is
/// whatever the other end sends (`nc -e /bin/sh`, `socat … EXEC:/bin/bash`).
pub(super) fn runs_a_shell(command: &str) -> bool {
    let first = command.split_whitespace().next().unwrap_or("");
    let prog = super::super::shell::program_name(first);
    matches!(
        super::handler_of(prog),
        Some(Handler::Shell | Handler::Interpreter | Handler::PowerShell | Handler::Cmd)
    )
}

/// `nc -e /bin/sh host port`, `ncat --sh-exec 'bash -i'`, `nc -lvp 4444 -e cmd.exe`: a
/// network connection wired to a shell is remote access (a reverse or bind shell).
pub(super) fn netcat(sh: &mut Sh, args: &[String], cmd: &str) {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        // A cluster that ends with `e` or `c` takes the next word (`-ze /bin/sh`, `-lvpe sh`).
        let cluster_ends = a.len() > 2
            && a.starts_with('-')
            && !a.starts_with("--")
            && a.chars().skip(1).all(|c| c.is_ascii_alphanumeric())
            && a.ends_with(['e', 'c']);
        let value = match a.as_str() {
            "-e" | "-c" | "--exec" | "--sh-exec" | "--lua-exec" => it.next().cloned(),
            _ if cluster_ends => it.next().cloned(),
            _ => a
                .strip_prefix("--exec=")
                .or_else(|| a.strip_prefix("--sh-exec="))
                .or_else(|| {
                    a.strip_prefix('-')
                        .filter(|r| !r.starts_with('-'))
                        .and_then(|r| r.split_once(['e', 'c']).map(|(_, v)| v))
                        .filter(|v| !v.is_empty())
                })
                .map(str::to_string),
        };
        if let Some(v) = value
            && (runs_a_shell(&v) || a == "--lua-exec")
        {
            sh.add(
                Admin,
                format!("{cmd} gives a shell to the network (a reverse or bind shell)"),
            );
        }
    }
}

/// `socat TCP-LISTEN:4444 EXEC:/bin/bash`: an address that runs a shell beside a network
/// address is remote access.
pub(super) fn socat(sh: &mut Sh, args: &[String], cmd: &str) {
    const NET: &[&str] = &[
        "TCP",
        "TCP4",
        "TCP6",
        "UDP",
        "SCTP",
        "OPENSSL",
        "SSL",
        "TCP-LISTEN",
        "TCP4-LISTEN",
        "TCP6-LISTEN",
        "UDP-LISTEN",
        "UDP-RECV",
        "OPENSSL-LISTEN",
        "SCTP-LISTEN",
        "SOCKS4",
        "SOCKS4A",
        "SOCKS5",
        "PROXY",
        "VSOCK-LISTEN",
        "VSOCK-CONNECT",
        "UDP-SENDTO",
    ];
    let upper: Vec<String> = args.iter().map(|a| a.to_ascii_uppercase()).collect();
    let network = upper.iter().any(|a| {
        let kind = a.split([':', ',']).next().unwrap_or("");
        NET.contains(&kind)
    });
    let shell = args.iter().zip(&upper).any(|(a, u)| {
        ["EXEC:", "SYSTEM:"]
            .iter()
            .find_map(|p| u.starts_with(p).then_some(p.len()))
            .is_some_and(|i| runs_a_shell(a.get(i..).unwrap_or("").split(',').next().unwrap_or("")))
    });
    if network && shell {
        sh.add(
            Admin,
            format!("{cmd} gives a shell to the network (a reverse or bind shell)"),
        );
    }
}

/// git's `ext::` transport runs its URL as a command (`ext::sh -c rm% -rf% /x`): `% ` is a
/// space and `%%` a percent sign.
pub(super) fn git_ext(sh: &mut Sh, args: &[String], cmd: &str) {
    for a in args {
        let Some(body) = a.strip_prefix("ext::") else {
            continue;
        };
        let mut decoded = String::with_capacity(body.len());
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            if c == '%' {
                match chars.next() {
                    Some(' ') => decoded.push(' '),
                    Some('%') => decoded.push('%'),
                    Some(other) => {
                        decoded.push('%');
                        decoded.push(other);
                    }
                    None => decoded.push('%'),
                }
            } else {
                decoded.push(c);
            }
        }
        sh.add(
            Mutating,
            format!("{cmd}: the `ext::` transport runs a command"),
        );
        sh.shell_text(&decoded, "git `ext::`");
    }
}

/// A pager that only shows text (`core.pager=cat`, `less -R`): no command of its own runs.
/// Flags are limited to display letters, so `less -o FILE` or `+!cmd` are not this.
pub(crate) fn harmless_pager(value: &str) -> bool {
    let mut words = value.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let letters = match first {
        "cat" => "vAETsbnu",
        "less" | "more" => "FRXSIiMmNnQqrswJK",
        _ => return false,
    };
    words.all(|w| {
        w.strip_prefix('-')
            .is_some_and(|f| !f.is_empty() && f.chars().all(|c| letters.contains(c)))
    })
}
