//! The catalogue of commands: what a simple command does, from its program name and flags.
//! Wrappers (`sudo`, `env`, `timeout`, `xargs`, `find -exec`, `ssh`, …) are seen through,
//! shells and interpreters analyse their code, and database clients hand their SQL to the SQL
//! analyser. Programs with their own subcommand grammar (git, kubectl, cloud CLIs, package
//! managers, database clients) are in [`super::tools`].

use super::shell::{Expanded, Input, Sh, decode_escapes, looks_like_shell, program_name};
use super::{snippet, tools};
use crate::Effect::{self, Admin, Destructive, Mutating, Read};

/// Programs that only read (with the exceptions handled in [`run`]).
const READ: &[&str] = &[
    "ls",
    "ll",
    "la",
    "dir",
    "cat",
    "tac",
    "head",
    "tail",
    "less",
    "more",
    "most",
    "grep",
    "egrep",
    "fgrep",
    "rg",
    "ag",
    "ack",
    "wc",
    "echo",
    "printf",
    "pwd",
    "whoami",
    "id",
    "groups",
    "date",
    "cal",
    "uname",
    "hostname",
    "which",
    "whereis",
    "type",
    "file",
    "stat",
    "du",
    "df",
    "free",
    "uptime",
    "w",
    "who",
    "last",
    "ps",
    "pstree",
    "top",
    "htop",
    "pgrep",
    "printenv",
    "tree",
    "locate",
    "sort",
    "uniq",
    "cut",
    "tr",
    "diff",
    "cmp",
    "comm",
    "md5sum",
    "sha1sum",
    "sha256sum",
    "sha512sum",
    "cksum",
    "base64",
    "base32",
    "xxd",
    "od",
    "hexdump",
    "strings",
    "basename",
    "dirname",
    "realpath",
    "readlink",
    "true",
    "false",
    "test",
    "[",
    "seq",
    "yes",
    "column",
    "nl",
    "fold",
    "fmt",
    "paste",
    "join",
    "rev",
    "expand",
    "unexpand",
    "man",
    "help",
    "info",
    "lsof",
    "netstat",
    "ss",
    "ping",
    "dig",
    "nslookup",
    "host",
    "traceroute",
    "whois",
    "jq",
    "yq",
    "bat",
    "batcat",
    "fd",
    "fdfind",
    "exa",
    "eza",
    "lsd",
    "lsblk",
    "blkid",
    "lscpu",
    "lsusb",
    "lspci",
    "nproc",
    "arch",
    "tty",
    "locale",
    "getconf",
    "getent",
    "sleep",
    "cd",
    "pushd",
    "popd",
    "dirs",
    ":",
    "history",
    "jobs",
    "wait",
    "read",
    "hash",
    "tput",
    "zcat",
    "zgrep",
    "bzcat",
    "xzcat",
    "nm",
    "objdump",
    "readelf",
    "ldd",
    "size",
    "ffprobe",
    "identify",
    "exit",
    "return",
    "shift",
    "set",
    "unset",
    "shopt",
    "ulimit",
    "umask",
    "let",
    "local",
    "cal",
    "factor",
    "expr",
    "bc",
    "dc",
    "numfmt",
    "tsort",
    "pr",
    "csplit",
    "look",
    "id",
    "vmstat",
    "iostat",
    "mpstat",
    "sar",
    "dmidecode",
    "sensors",
    "iotop",
    "nethogs",
    "ldconfig",
    "tldr",
    "apropos",
    "whatis",
    "shasum",
    "b2sum",
    "sum",
    "iconv",
    "glow",
    "pandoc",
    "wget2",
    "openssl",
    "gpg",
    "ssh-keygen",
    "xmllint",
    "csvlook",
    "mlr",
    "delta",
    "difft",
    "cloc",
    "tokei",
    "scc",
    "ctags",
    "shellcheck",
    "hadolint",
    "eslint",
    "ruff",
    "mypy",
    "pylint",
    "black",
    "prettier",
    "clang-format",
    "rustfmt",
    "gofmt",
    "tsc",
    "jsonlint",
    "stylua",
    "clear",
    "reset",
    "tput",
    "script-check",
    "printenv",
    "lastlog",
    "finger",
    "nc-check",
];

/// Wrappers that run the rest of their arguments as a command.
const WRAPPERS: &[&str] = &[
    "sudo",
    "doas",
    "pkexec",
    "run0",
    "su",
    "runuser",
    "env",
    "command",
    "builtin",
    "exec",
    "nice",
    "nohup",
    "time",
    "timeout",
    "stdbuf",
    "ionice",
    "chrt",
    "setsid",
    "flock",
    "unbuffer",
    "script",
    "watch",
    "xargs",
    "parallel",
    "find",
    "ssh",
    "nsenter",
    "chroot",
    "systemd-run",
    "caffeinate",
    "torsocks",
    "proxychains",
    "proxychains4",
    "tsocks",
    "strace",
    "ltrace",
    "chronic",
    "busybox",
    "npx",
    "pnpx",
    "bunx",
    "eval",
    "source",
    ".",
    "trap",
    "alias",
    "export",
    "declare",
    "typeset",
    "readonly",
    "fakeroot",
    "firejail",
    "catchsegv",
    "valgrind",
    "gdb",
    "entr",
    "retry",
    "taskset",
    "numactl",
    "cpulimit",
    "faketime",
    "sg",
];

/// Programs that destroy data or state.
const DESTRUCTIVE: &[&str] = &[
    "rm",
    "rmdir",
    "shred",
    "unlink",
    "truncate",
    "wipefs",
    "fdisk",
    "sfdisk",
    "gdisk",
    "parted",
    "dd",
    "kill",
    "pkill",
    "killall",
    "xkill",
    "shutdown",
    "reboot",
    "halt",
    "poweroff",
    "dropdb",
    "srm",
    "wipe",
    "rimraf",
    "del",
    "trash",
    "trash-put",
    "gio",
    "blkdiscard",
    "lvremove",
    "vgremove",
    "pvremove",
    "zpool",
    "zfs",
    "mdadm",
    "swapoff",
    "umount",
    "losetup",
    "cryptsetup",
    "init",
    "telinit",
    "sgdisk",
    "mkswap",
];

/// Programs that change who can do what, or the system's configuration.
const ADMIN: &[&str] = &[
    "chmod",
    "chown",
    "chgrp",
    "setfacl",
    "chattr",
    "useradd",
    "userdel",
    "usermod",
    "passwd",
    "chpasswd",
    "visudo",
    "groupadd",
    "groupdel",
    "groupmod",
    "gpasswd",
    "adduser",
    "deluser",
    "addgroup",
    "delgroup",
    "vipw",
    "vigr",
    "chsh",
    "chage",
    "iptables",
    "ip6tables",
    "iptables-restore",
    "nft",
    "ufw",
    "firewall-cmd",
    "setenforce",
    "semanage",
    "setsebool",
    "sysctl",
    "modprobe",
    "rmmod",
    "insmod",
    "mount",
    "dropuser",
    "createuser",
    "update-alternatives",
    "ssh-copy-id",
    "hostnamectl",
    "timedatectl",
    "localectl",
    "auditctl",
    "aa-disable",
    "aa-complain",
    "ipset",
    "route",
    "ip",
    "ifconfig",
    "ifdown",
    "ifup",
    "nmcli",
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

fn shell_name(n: &str) -> bool {
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

/// Short flags (clusters like `-rf`) and long flags before `--`.
pub(crate) fn has_short(args: &[String], c: char) -> bool {
    args.iter()
        .take_while(|a| *a != "--")
        .any(|a| a.starts_with('-') && !a.starts_with("--") && a.len() > 1 && a[1..].contains(c))
}

pub(crate) fn has_long(args: &[String], name: &str) -> bool {
    args.iter().take_while(|a| *a != "--").any(|a| {
        a == name
            || a.strip_prefix(name)
                .is_some_and(|rest| rest.starts_with('='))
    })
}

/// The value of an option: `-X v`, `-Xv`, `--long v`, `--long=v`.
pub(crate) fn opt_value<'a>(args: &'a [String], short: &[&str], long: &[&str]) -> Option<&'a str> {
    let mut it = args.iter().take_while(|a| *a != "--").peekable();
    while let Some(a) = it.next() {
        for s in short {
            if a == s {
                return it.peek().map(|v| v.as_str());
            }
            // A cluster ending in the flag: `-qc 'cmd'`.
            if s.len() == 2
                && a.len() > 2
                && a.starts_with('-')
                && !a.starts_with("--")
                && a.ends_with(&s[1..])
                && a[1..].chars().all(|c| c.is_ascii_alphabetic())
            {
                return it.peek().map(|v| v.as_str());
            }
            if let Some(v) = a.strip_prefix(s)
                && !v.is_empty()
                && !a.starts_with("--")
            {
                return Some(v);
            }
        }
        for l in long {
            if a == l {
                return it.peek().map(|v| v.as_str());
            }
            if let Some(v) = a.strip_prefix(l).and_then(|r| r.strip_prefix('=')) {
                return Some(v);
            }
        }
    }
    None
}

/// Index of the first operand, skipping options; `with_value` options take the next word.
pub(crate) fn first_operand(args: &[String], with_value: &[&str]) -> usize {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "--" {
            return i + 1;
        }
        if !a.starts_with('-') || a == "-" {
            return i;
        }
        if with_value.contains(&a.as_str()) {
            i += 1;
        }
        i += 1;
    }
    i
}

/// Paths a write to would be harmless.
pub(crate) fn harmless_sink(path: &str) -> bool {
    matches!(
        path,
        "/dev/null" | "/dev/stdout" | "/dev/stderr" | "/dev/tty" | "-" | "&1" | "&2"
    ) || path.starts_with("/dev/fd/")
}

/// Paths whose change is an access or system change.
pub(crate) fn sensitive_path(path: &str) -> Option<(Effect, &'static str)> {
    let p = path.to_ascii_lowercase();
    const GUARD: &[&str] = &[
        ".claude/",
        ".claude\\",
        "airlock",
        ".co/host.yaml",
        "dcg/",
        ".cursor/",
        ".codex/",
        ".gemini/",
        "claude_desktop_config",
        ".mcp.json",
        "settings.local.json",
    ];
    if GUARD.iter().any(|g| p.contains(g)) {
        return Some((Admin, "the guard's own configuration (self-weakening)"));
    }
    if p.contains("sudoers")
        || p.starts_with("/etc/passwd")
        || p.starts_with("/etc/shadow")
        || p.starts_with("/etc/group")
        || p.contains("authorized_keys")
        || p.contains("/etc/ssh/")
        || p.contains("/etc/pam.d")
        || p.contains(".ssh/config")
    {
        return Some((Admin, "an access configuration file"));
    }
    if [
        "/dev/sd",
        "/dev/nvme",
        "/dev/hd",
        "/dev/vd",
        "/dev/xvd",
        "/dev/disk",
        "/dev/mmcblk",
        "/dev/mapper/",
    ]
    .iter()
    .any(|d| p.starts_with(d))
    {
        return Some((Destructive, "a disk device"));
    }
    if p.starts_with("/etc/")
        || p.starts_with("/boot/")
        || p.contains("/cron")
        || p.contains(".git/hooks/")
        || p.starts_with("/usr/")
        || p.starts_with("/bin/")
        || p.starts_with("/sbin/")
        || p.starts_with("/lib")
    {
        return Some((Admin, "system configuration or code that runs later"));
    }
    None
}

/// True if the command writes nothing to its output (so `cmd > f` only truncates `f`).
pub(crate) fn produces_nothing(argv: &[String]) -> bool {
    let Some(first) = argv.first() else {
        return true;
    };
    let args = argv.get(1..).unwrap_or_default();
    match program_name(first) {
        ":" | "true" | "false" => true,
        "cat" => !args.is_empty() && args.iter().all(|a| a == "/dev/null"),
        "echo" => args.iter().all(|a| a == "-n" || a.is_empty()) && args.iter().any(|a| a == "-n"),
        "printf" => args.iter().all(String::is_empty),
        _ => false,
    }
}

/// The output of `echo` and `printf` when it is a literal.
pub(crate) fn literal_output(argv: &[String]) -> Option<String> {
    let first = argv.first()?;
    let args = argv.get(1..).unwrap_or_default();
    match program_name(first) {
        "echo" => {
            let mut escapes = false;
            let mut newline = true;
            let mut rest = args;
            while let Some(a) = rest.first().filter(|a| {
                a.starts_with('-') && a.len() > 1 && a[1..].chars().all(|c| "neE".contains(c))
            }) {
                escapes |= a.contains('e');
                newline &= !a.contains('n');
                rest = rest.get(1..).unwrap_or_default();
            }
            let mut s = rest.join(" ");
            if escapes {
                s = decode_escapes(&s);
            }
            if newline {
                s.push('\n');
            }
            Some(s)
        }
        "printf" => {
            let fmt = args.first()?;
            let mut s = decode_escapes(fmt);
            for a in args.get(1..).unwrap_or_default() {
                if let Some(i) = s.find("%s").or_else(|| s.find("%b")) {
                    s.replace_range(i..i + 2, &decode_escapes(a));
                } else {
                    s.push_str(a);
                }
            }
            Some(s)
        }
        _ => None,
    }
}

/// Environment variables whose change redirects what later commands run.
const POISON_ADMIN: &[&str] = &[
    "PATH",
    "LD_PRELOAD",
    "LD_LIBRARY_PATH",
    "LD_AUDIT",
    "DYLD_INSERT_LIBRARIES",
    "DYLD_LIBRARY_PATH",
    "BASH_ENV",
    "ENV",
    "SUDO_ASKPASS",
    "PROMPT_COMMAND",
];
const POISON_COMMAND: &[&str] = &[
    "GIT_SSH_COMMAND",
    "GIT_SSH",
    "GIT_EDITOR",
    "GIT_PAGER",
    "GIT_EXTERNAL_DIFF",
    "GIT_ASKPASS",
    "PAGER",
    "MANPAGER",
    "EDITOR",
    "VISUAL",
    "SHELL",
    "BROWSER",
    "SSH_ASKPASS",
    "LESSOPEN",
    "SYSTEMD_PAGER",
    "PSQL_PAGER",
    "MYSQL_PS1",
];
const POISON: &[&str] = &[
    "GIT_EXEC_PATH",
    "GIT_CONFIG",
    "GIT_CONFIG_GLOBAL",
    "GIT_CONFIG_SYSTEM",
    "GIT_DIR",
    "GIT_CONFIG_PARAMETERS",
    "PYTHONPATH",
    "PYTHONSTARTUP",
    "PYTHONHOME",
    "NODE_OPTIONS",
    "NODE_PATH",
    "PERL5OPT",
    "PERL5LIB",
    "RUBYOPT",
    "RUBYLIB",
    "IFS",
    "HISTFILE",
    "CDPATH",
    "PS4",
    "PS1",
    "npm_config_script_shell",
    "JAVA_TOOL_OPTIONS",
    "CLASSPATH",
];

/// An environment assignment (`X=1 cmd`, `export X=1`).
pub(crate) fn assignment(sh: &mut Sh, name: &str, value: &str, standalone: bool) {
    let _ = standalone;
    if POISON_ADMIN.contains(&name) {
        sh.add(
            Admin,
            format!("sets `{name}`, which decides what later commands run"),
        );
    } else if POISON_COMMAND.contains(&name) {
        sh.add(
            Mutating,
            format!("sets `{name}` to a command that later programs run"),
        );
        sh.shell_text(value, &format!("`{name}`"));
    } else if POISON.contains(&name) || name.starts_with("GIT_CONFIG_") {
        sh.add(
            Mutating,
            format!("sets `{name}`, which changes what later commands do"),
        );
    }
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

/// Runs a script file: its content is analysed when this command line wrote it.
pub(crate) fn run_script(sh: &mut Sh, path: &str, cmd: &str) {
    if path.contains("<(") || path == "/dev/stdin" || path == "-" {
        sh.add(
            Destructive,
            format!("{cmd} runs code from a process substitution or stdin"),
        );
        return;
    }
    match sh.written_content(path) {
        Some(Some(content)) => sh.shell_text(&content, &format!("script `{path}` written above")),
        Some(None) => sh.add(
            Destructive,
            format!("{cmd} runs `{path}`, written above with content that cannot be seen"),
        ),
        None => sh.add(
            Mutating,
            format!("{cmd} runs local script `{path}` whose content is not visible"),
        ),
    }
}

/// Code that a shell or interpreter reads on stdin.
fn stdin_code(sh: &mut Sh, stdin: &Input, cmd: &str, lang: Option<&str>) {
    match stdin {
        Input::Literal(code) => match lang {
            None => sh.shell_text(code, &format!("the input of {cmd}")),
            Some(l) => sh.code_text(l, code, &format!("the input of {cmd}")),
        },
        Input::Unknown(from) => sh.add(
            Destructive,
            format!("{cmd} runs code read from {from} (unseen code counts as destructive)"),
        ),
        Input::None => sh.add(Mutating, format!("{cmd} starts an interactive session")),
    }
}

fn run_shell(sh: &mut Sh, name: &str, args: &[String], stdin: &Input, cmd: &str) -> Input {
    let out = Input::Unknown(format!("the output of `{name}`"));
    if matches!(name, "pwsh" | "powershell") {
        if let Some(c) = opt_value(args, &["-c", "-Command", "-command"], &["--command"]) {
            sh.add(Mutating, format!("{cmd} runs PowerShell"));
            let rest = args
                .iter()
                .skip_while(|a| a.as_str() != c)
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            sh.code_text("powershell", &rest, &format!("`{name}`"));
        } else {
            sh.add(Mutating, format!("{cmd} runs PowerShell"));
        }
        return out;
    }
    let mut i = 0;
    let mut has_c = false;
    while let Some(a) = args.get(i) {
        if a == "--" {
            i += 1;
            break;
        }
        if a.starts_with('-') || a.starts_with('+') {
            if a.len() > 1 && !a.starts_with("--") && a[1..].contains('c') {
                has_c = true;
            }
            if matches!(
                a.as_str(),
                "-o" | "+o" | "-O" | "+O" | "--rcfile" | "--init-file"
            ) {
                i += 1;
            }
            i += 1;
            continue;
        }
        break;
    }
    let operand = args.get(i);
    match (has_c, operand) {
        (true, Some(code)) => sh.shell_text(code, &format!("`{name} -c`")),
        (true, None) => sh.add(Mutating, format!("{cmd} has `-c` without a command")),
        (false, Some(script)) => run_script(sh, script, cmd),
        (false, None) => stdin_code(sh, stdin, cmd, None),
    }
    out
}

fn run_interpreter(
    sh: &mut Sh,
    name: &str,
    lang: &str,
    args: &[String],
    stdin: &Input,
    cmd: &str,
) -> Input {
    let out = Input::Unknown(format!("the output of `{name}`"));
    if args
        .iter()
        .any(|a| matches!(a.as_str(), "--version" | "-V" | "--help" | "-h" | "-v"))
        && args.len() == 1
    {
        sh.add(Read, format!("{cmd} prints its version"));
        return out;
    }
    let code_flags: &[&str] = match lang {
        "python" => &["-c"],
        "js" => &["-e", "--eval", "-p", "--print", "eval"],
        "perl" => &["-e", "-E"],
        "ruby" | "lua" | "r" | "applescript" | "tcl" => &["-e"],
        "php" => &["-r"],
        _ => &["-e", "-c"],
    };
    if lang == "awk" {
        return tools::awk(sh, args, cmd, out);
    }
    if lang == "perl" && (has_short(args, 'i') || has_short(args, 'p') && has_short(args, 'i')) {
        sh.add(Mutating, format!("{cmd} edits files in place"));
    }
    // `-c code`, clusters like `-ne code`, `deno eval code`.
    let mut it = args.iter().enumerate();
    while let Some((i, a)) = it.next() {
        let is_code_flag = code_flags.contains(&a.as_str())
            || (a.starts_with('-')
                && !a.starts_with("--")
                && code_flags
                    .iter()
                    .any(|f| f.len() == 2 && a.ends_with(&f[1..])));
        if is_code_flag {
            let code = args.get(i + 1).map(String::as_str).unwrap_or("");
            sh.add(Mutating, format!("{cmd} runs {lang} code"));
            sh.code_text(lang, code, &format!("`{name} {a}`"));
            return out;
        }
        if lang == "python" && a == "-m" {
            let module = args.get(i + 1).map(String::as_str).unwrap_or("");
            let rest = args.get(i + 2..).unwrap_or_default();
            if module == "pip" {
                return tools::run(sh, "pip", rest, stdin, cmd);
            }
            if matches!(
                module,
                "json.tool" | "pydoc" | "site" | "this" | "tabnanny" | "py_compile" | "compileall"
            ) {
                sh.add(Read, format!("{cmd} runs a read-only module"));
            } else {
                sh.add(Mutating, format!("{cmd} runs module `{module}`"));
            }
            return out;
        }
        if !a.starts_with('-') {
            if matches!(a.as_str(), "run" | "test" | "install" | "add" | "x")
                && matches!(name, "bun" | "deno")
            {
                sh.add(Mutating, format!("{cmd} runs a project script"));
                return out;
            }
            match sh.written_content(a) {
                Some(Some(code)) => {
                    sh.code_text(lang, &code, &format!("script `{a}` written above"))
                }
                Some(None) => sh.add(
                    Destructive,
                    format!("{cmd} runs `{a}`, written above with content that cannot be seen"),
                ),
                None => sh.add(
                    Mutating,
                    format!("{cmd} runs script `{a}` whose content is not visible"),
                ),
            }
            return out;
        }
        if matches!(
            a.as_str(),
            "-W" | "-X" | "-I" | "-r" | "--require" | "-M" | "-x"
        ) && lang != "php"
        {
            let _ = it.next();
        }
    }
    stdin_code(sh, stdin, cmd, Some(lang));
    out
}

/// Wrappers: returns `None` when `name` is not one.
fn wrapper(sh: &mut Sh, name: &str, args: &[String], stdin: &Input, cmd: &str) -> Option<Input> {
    let via = format!("`{name}`");
    let inner = |from: usize| args.get(from..).unwrap_or_default().to_vec();
    let out = match name {
        "sudo" | "doas" | "pkexec" | "run0" | "runuser" | "sg" => {
            sh.add(
                Admin,
                format!("{cmd} runs with elevated privileges (`{name}`)"),
            );
            if name == "sudo" && (has_short(args, 'e') || has_long(args, "--edit")) {
                return Some(Input::None);
            }
            let i = first_operand(
                args,
                &[
                    "-u", "-g", "-p", "-C", "-h", "-U", "-r", "-t", "-T", "-D", "-R", "--user",
                    "--group", "--prompt", "-c",
                ],
            );
            let i = if name == "sg" { i + 1 } else { i };
            if let Some(c) = opt_value(args, &["-c"], &["--command"]).filter(|_| name == "runuser")
            {
                sh.shell_text(c, &via);
            }
            sh.argv(&inner(i), stdin, &via)
        }
        "su" => {
            sh.add(Admin, format!("{cmd} switches user"));
            if let Some(c) = opt_value(args, &["-c"], &["--command"]) {
                sh.shell_text(c, &via);
            }
            Input::None
        }
        "env" => {
            let mut i = 0;
            while let Some(a) = args.get(i) {
                if matches!(a.as_str(), "-u" | "-C" | "--unset" | "--chdir") {
                    i += 2;
                } else if a == "-S" || a == "--split-string" {
                    if let Some(s) = args.get(i + 1) {
                        sh.shell_text(s, "`env -S`");
                    }
                    return Some(Input::Unknown("env".into()));
                } else if a.starts_with('-') {
                    i += 1;
                    if a == "--" {
                        break;
                    }
                } else if let Some((k, v)) = a.split_once('=') {
                    assignment(sh, k, v, false);
                    i += 1;
                } else {
                    break;
                }
            }
            if i >= args.len() {
                sh.add(Read, format!("{cmd} prints the environment"));
                return Some(Input::Unknown("the environment".into()));
            }
            sh.argv(&inner(i), stdin, &via)
        }
        "command" if has_short(args, 'v') || has_short(args, 'V') => {
            sh.add(Read, format!("{cmd} looks a command up"));
            Input::Unknown("a path".into())
        }
        "command" | "builtin" | "exec" | "nohup" | "time" | "unbuffer" | "setsid"
        | "caffeinate" | "torsocks" | "proxychains" | "proxychains4" | "tsocks" | "chronic"
        | "busybox" | "fakeroot" | "firejail" | "catchsegv" | "valgrind" | "faketime" | "entr"
        | "retry" | "cpulimit" => {
            let mut i = first_operand(args, &["-a", "-o", "-l", "-p", "--profile", "-f"]);
            if name == "faketime" {
                i += 1;
            }
            if i >= args.len() {
                sh.add(Read, format!("{cmd} runs nothing"));
                return Some(Input::None);
            }
            sh.argv(&inner(i), stdin, &via)
        }
        "strace" | "ltrace" | "gdb" => {
            let i = first_operand(
                args,
                &["-o", "-p", "-e", "-s", "-P", "-E", "-u", "-ex", "-x"],
            );
            if has_short(args, 'p') || i >= args.len() {
                sh.add(Mutating, format!("{cmd} attaches to a process"));
                return Some(Input::None);
            }
            let from = if args.get(i).is_some_and(|a| a == "--args") {
                i + 1
            } else {
                i
            };
            sh.argv(&inner(from), stdin, &via)
        }
        "nice" | "ionice" | "taskset" | "numactl" => {
            if name == "ionice" && has_short(args, 'p') || name == "taskset" && has_short(args, 'p')
            {
                sh.add(Mutating, format!("{cmd} changes a running process"));
                return Some(Input::None);
            }
            let mut i = first_operand(
                args,
                &[
                    "-n",
                    "-c",
                    "-t",
                    "--adjustment",
                    "--class",
                    "--classdata",
                    "-C",
                    "-m",
                    "-N",
                    "-i",
                ],
            );
            if name == "taskset" {
                i += 1;
            }
            sh.argv(&inner(i), stdin, &via)
        }
        "timeout" => {
            let i = first_operand(args, &["-s", "-k", "--signal", "--kill-after"]);
            sh.argv(&inner(i + 1), stdin, &via)
        }
        "stdbuf" => {
            let i = first_operand(args, &["-i", "-o", "-e"]);
            sh.argv(&inner(i), stdin, &via)
        }
        "chrt" => {
            if has_short(args, 'p') {
                sh.add(Mutating, format!("{cmd} changes a running process"));
                return Some(Input::None);
            }
            let i = first_operand(args, &["-T", "-P", "-D"]);
            sh.argv(&inner(i + 1), stdin, &via)
        }
        "flock" => {
            if let Some(c) = opt_value(args, &["-c"], &["--command"]) {
                sh.shell_text(c, &via);
                return Some(Input::Unknown("flock".into()));
            }
            let i = first_operand(args, &["-w", "-E", "--timeout", "--conflict-exit-code"]);
            sh.argv(&inner(i + 1), stdin, &via)
        }
        "script" => {
            if let Some(c) = opt_value(args, &["-c"], &["--command"]) {
                sh.shell_text(c, &via);
            } else {
                sh.add(Mutating, format!("{cmd} records a session"));
            }
            Input::Unknown("script".into())
        }
        "watch" => {
            let i = first_operand(
                args,
                &["-n", "--interval", "-d", "-g", "-q", "--differences"],
            );
            let rest = inner(i);
            if has_short(args, 'x') || has_long(args, "--exec") {
                sh.argv(&rest, stdin, &via)
            } else {
                sh.shell_text(&rest.join(" "), &via);
                Input::Unknown("watch".into())
            }
        }
        "xargs" => {
            let i = first_operand(
                args,
                &[
                    "-n",
                    "-L",
                    "-l",
                    "-I",
                    "-P",
                    "-d",
                    "-E",
                    "-e",
                    "-s",
                    "-a",
                    "--max-args",
                    "--max-procs",
                    "--delimiter",
                    "--arg-file",
                    "-R",
                    "-S",
                    "-J",
                ],
            );
            let mut rest = inner(i);
            if rest.is_empty() {
                rest.push("echo".into());
            }
            rest.push("<args from stdin>".into());
            sh.argv(&rest, &Input::None, &via)
        }
        "parallel" => {
            let end = args
                .iter()
                .position(|a| a.starts_with(":::"))
                .unwrap_or(args.len());
            let i = first_operand(
                args.get(..end).unwrap_or_default(),
                &[
                    "-j",
                    "--jobs",
                    "-S",
                    "--sshlogin",
                    "--delay",
                    "--timeout",
                    "-a",
                    "--arg-file",
                ],
            );
            let rest: Vec<String> = args.get(i..end).unwrap_or_default().to_vec();
            if rest.is_empty() {
                stdin_code(sh, stdin, cmd, None);
                Input::Unknown("parallel".into())
            } else {
                sh.shell_text(&rest.join(" "), &via);
                Input::Unknown("parallel".into())
            }
        }
        "find" => tools::find(sh, args, cmd),
        "ssh" => {
            let i = first_operand(
                args,
                &[
                    "-p", "-i", "-l", "-o", "-F", "-J", "-L", "-R", "-D", "-b", "-c", "-e", "-m",
                    "-O", "-Q", "-S", "-w", "-W", "-E", "-B", "-I",
                ],
            );
            let host = args.get(i).cloned().unwrap_or_default();
            let rest = inner(i + 1);
            if rest.is_empty() {
                if matches!(stdin, Input::None) {
                    sh.add(Mutating, format!("{cmd} opens a remote shell"));
                } else {
                    stdin_code(sh, stdin, cmd, None);
                }
            } else {
                sh.add(Mutating, format!("{cmd} runs a command on `{host}`"));
                sh.shell_text(&rest.join(" "), &format!("`ssh {host}`"));
            }
            Input::Unknown("remote output".into())
        }
        "nsenter" | "chroot" | "systemd-run" => {
            sh.add(
                Admin,
                format!("{cmd} runs in another namespace, root or unit"),
            );
            let i = first_operand(
                args,
                &[
                    "-t",
                    "--target",
                    "-u",
                    "--unit",
                    "-p",
                    "--property",
                    "--userspec",
                    "--groups",
                    "-S",
                    "-G",
                ],
            );
            let i = if name == "chroot" { i + 1 } else { i };
            if i < args.len() {
                sh.argv(&inner(i), stdin, &via)
            } else {
                Input::None
            }
        }
        "npx" | "pnpx" | "bunx" => {
            let i = first_operand(args, &["-p", "--package", "-c", "--call"]);
            if let Some(c) = opt_value(args, &["-c"], &["--call"]) {
                sh.shell_text(c, &via);
            }
            if i >= args.len() {
                return Some(Input::None);
            }
            let pkg = program_name(args.get(i).map(String::as_str).unwrap_or(""));
            if !is_known(pkg) {
                sh.add(
                    Mutating,
                    format!("{cmd} downloads and runs package `{pkg}`"),
                );
            }
            sh.argv(&inner(i), stdin, &via)
        }
        "eval" => {
            sh.shell_text(&args.join(" "), "`eval`");
            Input::Unknown("eval".into())
        }
        "source" | "." => {
            let script = args.first().cloned().unwrap_or_default();
            run_script(sh, &script, cmd);
            Input::Unknown("source".into())
        }
        "trap" => {
            if let Some(code) = args.first().filter(|a| !a.starts_with('-')) {
                sh.shell_text(code, "`trap`");
            } else {
                sh.add(Read, format!("{cmd} lists traps"));
            }
            Input::None
        }
        "alias" => {
            let mut any = false;
            for a in args {
                if let Some((n, v)) = a.split_once('=') {
                    any = true;
                    sh.defined.push(n.to_string());
                    sh.add(Mutating, format!("{cmd} defines alias `{n}`"));
                    sh.shell_text(v, &format!("alias `{n}`"));
                }
            }
            if !any {
                sh.add(Read, format!("{cmd} lists aliases"));
            }
            Input::None
        }
        "export" | "declare" | "typeset" | "readonly" => {
            let mut any = false;
            for a in args.iter().filter(|a| !a.starts_with('-')) {
                if let Some((n, v)) = a.split_once('=') {
                    any = true;
                    assignment(sh, n, v, true);
                }
            }
            if has_short(args, 'f') {
                sh.add(Mutating, format!("{cmd} exports a function"));
            } else if !any {
                sh.add(Read, format!("{cmd} sets or lists variables"));
            }
            Input::None
        }
        _ => return None,
    };
    Some(out)
}
