//! The catalogue of commands: what a simple command does, from its program name and flags.
//! Wrappers (`sudo`, `env`, `timeout`, `xargs`, `find -exec`, `ssh`, …) are seen through,
//! shells and interpreters analyse their code, and database clients hand their SQL to the SQL
//! analyser. Programs with their own subcommand grammar (git, kubectl, cloud CLIs, package
//! managers, database clients) are in [`super::tools`].

use super::args::{has_long, has_short, literal_output, opt_value, sensitive_path};
use super::shell::{Expanded, Input, Sh, looks_like_shell, program_name};
use super::wrappers::{run_interpreter, run_script, run_shell, wrapper};
use super::{snippet, tools};
use crate::Effect::{Admin, Destructive, Mutating, Read};

/// Programs that only read (with the exceptions handled in [`run`]).
#[rustfmt::skip]
const READ: &[&str] = &[
    "ls", "ll", "la", "dir", "cat", "tac", "head", "tail", "less", "more", "most", "grep", "egrep",
    "fgrep", "rg", "ag", "ack", "wc", "echo", "printf", "pwd", "whoami", "id", "groups", "date",
    "cal", "uname", "hostname", "which", "whereis", "type", "file", "stat", "du", "df", "free",
    "uptime", "w", "who", "last", "ps", "pstree", "top", "htop", "pgrep", "printenv", "tree",
    "locate", "sort", "uniq", "cut", "tr", "diff", "cmp", "comm", "md5sum", "sha1sum", "sha256sum",
    "sha512sum", "cksum", "base64", "base32", "xxd", "od", "hexdump", "strings", "basename",
    "dirname", "realpath", "readlink", "true", "false", "test", "[", "seq", "yes", "column", "nl",
    "fold", "fmt", "paste", "join", "rev", "expand", "unexpand", "man", "help", "info", "lsof",
    "netstat", "ss", "ping", "dig", "nslookup", "host", "traceroute", "whois", "jq", "yq", "bat",
    "batcat", "fd", "fdfind", "exa", "eza", "lsd", "lsblk", "blkid", "lscpu", "lsusb", "lspci",
    "nproc", "arch", "tty", "locale", "getconf", "getent", "sleep", "cd", "pushd", "popd", "dirs",
    ":", "history", "jobs", "wait", "read", "hash", "tput", "zcat", "zgrep", "bzcat", "xzcat",
    "nm", "objdump", "readelf", "ldd", "size", "ffprobe", "identify", "exit", "return", "shift",
    "set", "unset", "shopt", "ulimit", "umask", "let", "local", "cal", "factor", "expr", "bc",
    "dc", "numfmt", "tsort", "pr", "csplit", "look", "id", "vmstat", "iostat", "mpstat", "sar",
    "dmidecode", "sensors", "iotop", "nethogs", "ldconfig", "tldr", "apropos", "whatis", "shasum",
    "b2sum", "sum", "iconv", "glow", "pandoc", "wget2", "openssl", "gpg", "ssh-keygen", "xmllint",
    "csvlook", "mlr", "delta", "difft", "cloc", "tokei", "scc", "ctags", "shellcheck", "hadolint",
    "eslint", "ruff", "mypy", "pylint", "black", "prettier", "clang-format", "rustfmt", "gofmt",
    "tsc", "jsonlint", "stylua", "clear", "reset", "tput", "script-check", "printenv", "lastlog",
    "finger", "nc-check",
];

/// Wrappers that run the rest of their arguments as a command.
#[rustfmt::skip]
const WRAPPERS: &[&str] = &[
    "sudo", "doas", "pkexec", "run0", "su", "runuser", "env", "command", "builtin", "exec", "nice",
    "nohup", "time", "timeout", "stdbuf", "ionice", "chrt", "setsid", "flock", "unbuffer",
    "script", "watch", "xargs", "parallel", "find", "ssh", "nsenter", "chroot", "systemd-run",
    "caffeinate", "torsocks", "proxychains", "proxychains4", "tsocks", "strace", "ltrace",
    "chronic", "busybox", "npx", "pnpx", "bunx", "eval", "source", ".", "trap", "alias", "export",
    "declare", "typeset", "readonly", "fakeroot", "firejail", "catchsegv", "valgrind", "gdb",
    "entr", "retry", "taskset", "numactl", "cpulimit", "faketime", "sg",
];

/// Programs that destroy data or state.
#[rustfmt::skip]
const DESTRUCTIVE: &[&str] = &[
    "rm", "rmdir", "shred", "unlink", "truncate", "wipefs", "fdisk", "sfdisk", "gdisk", "parted",
    "dd", "kill", "pkill", "killall", "xkill", "shutdown", "reboot", "halt", "poweroff", "dropdb",
    "srm", "wipe", "rimraf", "del", "trash", "trash-put", "gio", "blkdiscard", "lvremove",
    "vgremove", "pvremove", "zpool", "zfs", "mdadm", "swapoff", "umount", "losetup", "cryptsetup",
    "init", "telinit", "sgdisk", "mkswap",
];

/// Programs that change who can do what, or the system's configuration.
#[rustfmt::skip]
const ADMIN: &[&str] = &[
    "chmod", "chown", "chgrp", "setfacl", "chattr", "useradd", "userdel", "usermod", "passwd",
    "chpasswd", "visudo", "groupadd", "groupdel", "groupmod", "gpasswd", "adduser", "deluser",
    "addgroup", "delgroup", "vipw", "vigr", "chsh", "chage", "iptables", "ip6tables",
    "iptables-restore", "nft", "ufw", "firewall-cmd", "setenforce", "semanage", "setsebool",
    "sysctl", "modprobe", "rmmod", "insmod", "mount", "dropuser", "createuser",
    "update-alternatives", "ssh-copy-id", "hostnamectl", "timedatectl", "localectl", "auditctl",
    "aa-disable", "aa-complain", "ipset", "route", "ip", "ifconfig", "ifdown", "ifup", "nmcli",
];

/// True if the program is one this catalogue knows.
pub(crate) fn is_known(name: &str) -> bool {
    let n = name;
    READ.contains(&n)
        || WRAPPERS.contains(&n)
        || DESTRUCTIVE.contains(&n)
        || ADMIN.contains(&n)
        || n.starts_with("mkfs")
        || tools::is_tool(n)
        || shell_name(n)
        || interpreter(n).is_some()
}

pub(crate) fn shell_name(n: &str) -> bool {
    matches!(
        n,
        "bash"
            | "sh"
            | "zsh"
            | "dash"
            | "ksh"
            | "mksh"
            | "ash"
            | "fish"
            | "csh"
            | "tcsh"
            | "yash"
            | "rbash"
            | "pwsh"
            | "powershell"
    )
}

/// The language of an interpreter program.
pub(crate) fn interpreter(n: &str) -> Option<&'static str> {
    if n.starts_with("python") || n.starts_with("pypy") {
        return Some("python");
    }
    Some(match n {
        "node" | "nodejs" | "bun" | "deno" | "ts-node" | "tsx" => "js",
        "perl" | "perl5" => "perl",
        "ruby" | "irb" | "jruby" => "ruby",
        "php" => "php",
        "lua" | "luajit" => "lua",
        "rscript" | "Rscript" => "r",
        "awk" | "gawk" | "mawk" | "nawk" => "awk",
        "osascript" => "applescript",
        "tclsh" | "wish" => "tcl",
        "groovy" | "jshell" | "scala" | "kotlin" | "julia" | "elixir" | "iex" | "erl" | "ghci"
        | "runghc" | "swift" => "other",
        _ => return None,
    })
}

/// Runs the catalogue for one command with word metadata.
pub(crate) fn run_words(sh: &mut Sh, argv: &[String], words: &[Expanded], stdin: &Input) -> Input {
    let name = argv.first().map(|a| program_name(a)).unwrap_or("");
    if name == "eval" && words.iter().skip(1).any(|w| w.dynamic) {
        sh.add(
            Destructive,
            format!(
                "{} evaluates text computed at run time",
                snippet(&argv.join(" "))
            ),
        );
        return Input::Unknown("eval".into());
    }
    run(sh, argv, stdin)
}

/// What one command does. Returns what it writes to its standard output, as far as known.
pub(crate) fn run(sh: &mut Sh, argv: &[String], stdin: &Input) -> Input {
    let Some(first) = argv.first() else {
        return Input::None;
    };
    if !sh.ctx.tick(1) {
        return Input::Unknown("unanalysed".into());
    }
    let name = program_name(first);
    let args = argv.get(1..).unwrap_or_default();
    let cmd = snippet(&argv.join(" "));
    let unknown_out = || Input::Unknown(format!("the output of `{name}`"));
    if let Some(out) = wrapper(sh, name, args, stdin, &cmd) {
        return out;
    }
    if shell_name(name) {
        return run_shell(sh, name, args, stdin, &cmd);
    }
    if let Some(lang) = interpreter(name) {
        return run_interpreter(sh, name, lang, args, stdin, &cmd);
    }
    if name.starts_with("mkfs") {
        sh.add(Destructive, format!("{cmd} formats a file system"));
        return unknown_out();
    }
    if tools::is_tool(name) {
        return tools::run(sh, name, args, stdin, &cmd);
    }
    if first.starts_with("./")
        || first.starts_with("../")
        || (first.contains('/') && !is_known(name))
    {
        run_script(sh, first, &cmd);
        return unknown_out();
    }
    if DESTRUCTIVE.contains(&name) {
        destructive(sh, name, args, &cmd);
        return unknown_out();
    }
    if ADMIN.contains(&name) {
        admin(sh, name, args, &cmd);
        return unknown_out();
    }
    if READ.contains(&name) {
        return read(sh, name, args, stdin, &cmd);
    }
    if name.contains('-') && name.starts_with(|c: char| c.is_ascii_uppercase()) {
        // A PowerShell cmdlet (`Remove-Item`).
        sh.code_text("powershell", &argv.join(" "), "powershell");
        return unknown_out();
    }
    sh.add(
        Mutating,
        format!("{cmd} runs `{name}`, a program this classifier does not know"),
    );
    // An unknown program may run its arguments: look for known programs and command lines.
    for (i, a) in args.iter().enumerate() {
        let n = program_name(a);
        if !READ.contains(&n) && is_known(n) && !a.contains(' ') {
            let _ = sh.argv(
                args.get(i..).unwrap_or_default(),
                stdin,
                &format!("`{name}`"),
            );
            break;
        }
        if a.contains(' ') && looks_like_shell(a) {
            sh.shell_text(a, &format!("an argument of `{name}`"));
        } else if a.contains(' ') && super::sql::looks_like_sql(a) {
            sh.sql_text_strict(a, &format!("an argument of `{name}`"));
        }
    }
    unknown_out()
}

fn read(sh: &mut Sh, name: &str, args: &[String], stdin: &Input, cmd: &str) -> Input {
    match name {
        "echo" | "printf" => {
            sh.add(Read, format!("{cmd} prints text"));
            let mut argv = vec![name.to_string()];
            argv.extend(args.iter().cloned());
            return literal_output(&argv)
                .map_or(Input::Unknown("printed text".into()), Input::Literal);
        }
        "cat" | "tac" if args.iter().all(|a| a.starts_with('-')) => {
            sh.add(Read, format!("{cmd} reads"));
            return stdin.clone();
        }
        "base64" | "base32"
            if has_short(args, 'd') || has_long(args, "--decode") || has_short(args, 'D') =>
        {
            sh.add(Read, format!("{cmd} decodes"));
            if args.iter().any(|a| !a.starts_with('-')) {
                return Input::Unknown("decoded file content".into());
            }
            return match stdin {
                Input::Literal(s) => tools::base64_decode(s)
                    .map_or(Input::Unknown("decoded data".into()), Input::Literal),
                other => other.clone(),
            };
        }
        "xxd" if has_short(args, 'r') => {
            sh.add(Read, format!("{cmd} decodes"));
            return match stdin {
                Input::Literal(s) => tools::hex_decode(s)
                    .map_or(Input::Unknown("decoded data".into()), Input::Literal),
                other => other.clone(),
            };
        }
        "rev" => {
            sh.add(Read, format!("{cmd} reads"));
            return match stdin {
                Input::Literal(s) => Input::Literal(
                    s.lines()
                        .map(|l| l.chars().rev().collect::<String>())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                other => other.clone(),
            };
        }
        "dmesg" if has_short(args, 'c') || has_short(args, 'C') => {
            sh.add(Destructive, format!("{cmd} clears the kernel log"));
        }
        "history" if has_short(args, 'c') => {
            sh.add(Destructive, format!("{cmd} clears the history"))
        }
        "ip" | "hostname" if !args.is_empty() && name == "hostname" => {
            sh.add(Admin, format!("{cmd} changes the host name"));
        }
        "set"
            if args.iter().any(|a| a == "+o" || a.starts_with('+'))
                && args.iter().any(|a| a == "history") =>
        {
            sh.add(Mutating, format!("{cmd} turns off history"));
        }
        "sort" if opt_value(args, &["-o"], &["--output"]).is_some() => {
            sh.add(Mutating, format!("{cmd} writes a file"));
        }
        "openssl" | "gpg" | "ssh-keygen"
            if args.iter().any(|a| {
                matches!(
                    a.as_str(),
                    "-out"
                        | "-o"
                        | "--output"
                        | "-f"
                        | "--gen-key"
                        | "--import"
                        | "--delete-key"
                        | "--delete-secret-key"
                        | "genrsa"
                        | "req"
                )
            }) =>
        {
            sh.add(Mutating, format!("{cmd} writes keys or files"));
        }
        "black" | "prettier" | "rustfmt" | "gofmt" | "clang-format" | "ruff" | "eslint"
        | "stylua"
            if !args.iter().any(|a| {
                matches!(
                    a.as_str(),
                    "--check" | "-l" | "--diff" | "check" | "--list-different"
                )
            }) || args
                .iter()
                .any(|a| matches!(a.as_str(), "--write" | "-w" | "-i" | "--fix" | "format")) =>
        {
            sh.add(Mutating, format!("{cmd} rewrites source files"));
        }
        _ => sh.add(Read, format!("{cmd} reads")),
    }
    Input::Unknown(format!("the output of `{name}`"))
}

fn destructive(sh: &mut Sh, name: &str, args: &[String], cmd: &str) {
    let paths: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    let guard = paths.iter().find_map(|p| sensitive_path(p));
    if let Some((Admin, why)) = guard {
        sh.add(Admin, format!("{cmd} removes {why}"));
    }
    match name {
        "rm" | "srm" | "del" | "rimraf" | "trash" | "trash-put" => {
            if has_short(args, 'r')
                || has_short(args, 'R')
                || has_long(args, "--recursive")
                || name == "rimraf"
            {
                sh.add(Destructive, format!("{cmd} removes files recursively"));
            } else {
                sh.add(Destructive, format!("{cmd} deletes files"));
            }
        }
        "kill"
            if has_short(args, 'l')
                || has_short(args, 'L')
                || args
                    .first()
                    .is_some_and(|a| a == "-0" || a == "-s0" || a == "-SIGNULL")
                || args.windows(2).any(|w| w[0] == "-s" && w[1] == "0") =>
        {
            sh.add(Read, format!("{cmd} only checks or lists signals"));
        }
        "kill" | "pkill" | "killall" | "xkill" => {
            sh.add(Destructive, format!("{cmd} kills processes"))
        }
        "dd" if !args.iter().any(|a| a.starts_with("of=")) => {
            sh.add(Mutating, format!("{cmd} copies data"))
        }
        "dd" => sh.add(Destructive, format!("{cmd} overwrites a file or device")),
        "shutdown" | "reboot" | "halt" | "poweroff" | "init" | "telinit" => {
            if has_short(args, 'c') || has_long(args, "--help") {
                sh.add(Mutating, format!("{cmd} changes a scheduled shutdown"));
            } else {
                sh.add(Destructive, format!("{cmd} stops the machine"));
            }
        }
        "gio" if args.first().is_some_and(|a| a == "trash" || a == "remove") => {
            sh.add(Destructive, format!("{cmd} deletes files"));
        }
        "gio" => sh.add(Mutating, format!("{cmd} changes files")),
        "zfs" | "zpool"
            if args.first().is_some_and(|a| {
                matches!(a.as_str(), "list" | "get" | "status" | "iostat" | "history")
            }) =>
        {
            sh.add(Read, format!("{cmd} reads"));
        }
        "truncate"
            if args
                .iter()
                .any(|a| a.starts_with("-s+") || a.starts_with("--size=+")) =>
        {
            sh.add(Mutating, format!("{cmd} grows a file"));
        }
        _ => sh.add(
            Destructive,
            format!("{cmd} destroys data or stops a service ({name})"),
        ),
    }
}

fn admin(sh: &mut Sh, name: &str, args: &[String], cmd: &str) {
    let lists = |flags: &[&str]| args.iter().any(|a| flags.contains(&a.as_str()));
    match name {
        "iptables" | "ip6tables"
            if lists(&["-L", "-S", "--list", "--list-rules", "-nL", "-nvL", "-vL"])
                && !lists(&["-F", "-X", "-D", "-A", "-I", "-P", "-Z", "-R", "-N"]) =>
        {
            sh.add(Read, format!("{cmd} lists firewall rules"));
        }
        "ufw"
            if args
                .first()
                .is_some_and(|a| a == "status" || a == "show" || a == "app") =>
        {
            sh.add(Read, format!("{cmd} reads"))
        }
        "nft" if args.first().is_some_and(|a| a == "list") => sh.add(Read, format!("{cmd} reads")),
        "firewall-cmd"
            if args.iter().all(|a| {
                a.starts_with("--list")
                    || a.starts_with("--get")
                    || a.starts_with("--query")
                    || a == "--state"
                    || a.starts_with("--zone")
            }) =>
        {
            sh.add(Read, format!("{cmd} reads"));
        }
        "sysctl"
            if !args
                .iter()
                .any(|a| a.contains('=') || a == "-w" || a == "-p" || a == "--system") =>
        {
            sh.add(Read, format!("{cmd} reads"))
        }
        "ip" if args.iter().all(|a| {
            !matches!(
                a.as_str(),
                "add" | "del" | "delete" | "set" | "change" | "replace" | "flush" | "append"
            )
        }) =>
        {
            sh.add(Read, format!("{cmd} reads"));
        }
        "ifconfig" | "route" | "mount" | "nmcli" | "timedatectl" | "hostnamectl" | "localectl"
            if args.len() <= 1 && !args.iter().any(|a| a == "del" || a == "down") =>
        {
            sh.add(Read, format!("{cmd} reads"));
        }
        "chmod" => {
            let wide = args.iter().any(|a| {
                a == "777"
                    || a == "666"
                    || a.contains("o+w")
                    || a.contains("a+w")
                    || a.contains("a+rwx")
                    || a.contains("+s")
                    || a.starts_with("47")
                    || a.starts_with("27")
                    || a.starts_with("67")
            });
            if has_short(args, 'R')
                || has_long(args, "--recursive")
                || wide
                || args.iter().any(|a| sensitive_path(a).is_some())
            {
                sh.add(Admin, format!("{cmd} changes permissions broadly"));
            } else {
                sh.add(Mutating, format!("{cmd} changes file permissions"));
            }
        }
        _ => sh.add(
            Admin,
            format!("{cmd} changes access or system configuration ({name})"),
        ),
    }
}
