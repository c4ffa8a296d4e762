//! Commands that run other commands: wrappers (`sudo`, `env`, `timeout`, `xargs`, `ssh`, …),
//! shells (`bash -c`, a script, stdin) and interpreters (`python -c`, `node -e`, …).

use super::args::{assignment, first_operand, has_long, opt_value};
use super::catalogue::is_known;
use super::shell::{Input, Sh, program_name};
use super::tools;
use crate::Effect::{Admin, Destructive, Mutating, Read};

mod interpreter;
mod xargs;
pub(crate) use interpreter::{STDIN_PATHS, run_interpreter};
use xargs::xargs;

/// The one entry point for a command line that another command runs (`bash -c`, `eval`,
/// `ssh host '…'`, a flag that executes its argument): analysed like a top-level command line,
/// one nesting level deeper, with `via` in every reason it produces.
pub(crate) fn run_command_text(sh: &mut Sh, text: &str, via: &str) {
    sh.shell_text(text, via);
}

/// The one entry point for an argument vector that another command runs (`sudo rm …`,
/// `xargs rm`, `find -exec rm … ;`, a flag whose value is a program and its arguments): one
/// nesting level deeper. Returns what the command writes to its standard output.
pub(crate) fn run_argv(sh: &mut Sh, argv: &[String], stdin: &Input, via: &str) -> Input {
    sh.argv(argv, stdin, via)
}

/// The one entry point for code that another command runs (`python -c`, `node -e`, a
/// `--eval` flag): `lang` is `python`, `js`, `perl`, `ruby`, `php`, `mongo`, `powershell`, …
pub(crate) fn run_code_text(sh: &mut Sh, lang: &str, text: &str, via: &str) {
    sh.code_text(lang, text, via);
}

/// True if a short option cluster before the first operand contains `c` (`sudo -e`, not the
/// `-e` of the command it runs).
fn leading_short(args: &[String], c: char) -> bool {
    args.iter()
        .take_while(|a| a.starts_with('-') && a.as_str() != "--" && a.as_str() != "-")
        .any(|a| {
            a.strip_prefix('-')
                .is_some_and(|f| !f.starts_with('-') && f.contains(c))
        })
}

/// Quotes a word for a shell command line.
fn quote(word: &str) -> String {
    format!("'{}'", word.replace('\'', "'\\''"))
}

/// Runs a script file: its content is analysed when this command line wrote it.
pub(crate) fn run_script(sh: &mut Sh, path: &str, cmd: &str) {
    run_script_input(sh, path, cmd, &Input::None);
}

/// Runs a script file with `stdin` as its standard input: a script read from the input
/// (`/dev/stdin`, `/dev/fd/0`, `-`) is that input.
pub(crate) fn run_script_input(sh: &mut Sh, path: &str, cmd: &str, stdin: &Input) {
    if matches!(
        path,
        "/dev/stdin" | "/dev/fd/0" | "/proc/self/fd/0" | "/proc/thread-self/fd/0" | "-"
    ) && let Input::Literal(code) = stdin
    {
        run_command_text(sh, code, &format!("the input of {cmd}"));
        return;
    }
    if path.starts_with("/dev/fd/") || path.starts_with("/proc/") {
        sh.add(
            Destructive,
            format!("{cmd} runs code from the descriptor `{path}`, which cannot be seen"),
        );
        return;
    }
    if let Some(Some(content)) = sh.written_content(path).filter(|_| path.starts_with("<(")) {
        run_command_text(sh, &content, "a process substitution");
        return;
    }
    if path.contains("<(") || path == "/dev/stdin" || path == "-" {
        sh.add(
            Destructive,
            format!("{cmd} runs code from a process substitution or stdin"),
        );
        return;
    }
    match sh.written_content(path) {
        Some(Some(content)) => {
            run_command_text(sh, &content, &format!("script `{path}` written above"))
        }
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
pub(crate) fn stdin_code(sh: &mut Sh, stdin: &Input, cmd: &str, lang: Option<&str>) {
    match stdin {
        Input::Literal(code) => match lang {
            None => run_command_text(sh, code, &format!("the input of {cmd}")),
            Some(l) => run_code_text(sh, l, code, &format!("the input of {cmd}")),
        },
        Input::Unknown(from) => sh.add(
            Destructive,
            format!("{cmd} runs code read from {from} (unseen code counts as destructive)"),
        ),
        Input::None => sh.add(Mutating, format!("{cmd} starts an interactive session")),
    }
}

pub(crate) fn run_shell(
    sh: &mut Sh,
    name: &str,
    args: &[String],
    stdin: &Input,
    cmd: &str,
) -> Input {
    let out = Input::output_of(name);
    if matches!(name, "pwsh" | "powershell") {
        if let Some(c) = opt_value(args, &["-c", "-Command", "-command"], &["--command"]) {
            sh.add(Mutating, format!("{cmd} runs PowerShell"));
            let rest = args
                .iter()
                .skip_while(|a| a.as_str() != c)
                .cloned()
                .collect::<Vec<_>>()
                .join(" ");
            run_code_text(sh, "powershell", &rest, &format!("`{name}`"));
        } else {
            sh.add(Mutating, format!("{cmd} runs PowerShell"));
        }
        return out;
    }
    let mut i = 0;
    let mut has_c = false;
    // `-n` (and `-o noexec`): commands are read and checked, never run.
    let mut noexec = false;
    while let Some(a) = args.get(i) {
        if a == "--" {
            i += 1;
            break;
        }
        if let Some(flags) = a.strip_prefix('-').filter(|f| !f.starts_with('-')) {
            has_c |= flags.contains('c');
            noexec |= flags.contains('n');
        } else if let Some(flags) = a.strip_prefix('+') {
            noexec &= !flags.contains('n');
        }
        if a.starts_with('-') || a.starts_with('+') {
            if matches!(a.as_str(), "--rcfile" | "--init-file") {
                if let Some(rc) = args.get(i + 1) {
                    // An interactive shell runs it first.
                    run_script(sh, rc, cmd);
                }
                i += 1;
            } else if let Some(flags) = a.get(1..).filter(|f| !f.starts_with('-')) {
                // Each `o`/`O` of a cluster takes the next word as its option's name
                // (`-euo pipefail -c …`, `-O extglob`).
                for (k, f) in flags.chars().filter(|c| matches!(c, 'o' | 'O')).enumerate() {
                    if f == 'o' && args.get(i + 1 + k).is_some_and(|v| v == "noexec") {
                        noexec = a.starts_with('-');
                    }
                    i += 1;
                }
            }
            i += 1;
            continue;
        }
        break;
    }
    let operand = args.get(i);
    // `-n` is ignored by an interactive shell (`-i`).
    if noexec && !leading_short(args, 'i') && (has_c || operand.is_some()) {
        sh.add(
            Read,
            format!("{cmd} only checks syntax (`-n`): nothing is run"),
        );
        return out;
    }
    match (has_c, operand) {
        (true, Some(code)) => {
            // The words after the command are `$0`, `$1`, …: bound into it (`bash -c
            // 'source "$1"' _ <(…)`).
            let positional = args.get(i + 1..).unwrap_or_default();
            let code = match positional.split_first() {
                Some((zero, rest)) => {
                    let rest: Vec<String> = rest.iter().map(|a| quote(a)).collect();
                    super::shell::bind_positional(code, &rest, &quote(zero))
                }
                None => code.clone(),
            };
            run_command_text(sh, &code, &format!("`{name} -c`"))
        }
        (true, None) => sh.add(Mutating, format!("{cmd} has `-c` without a command")),
        (false, Some(script)) => run_script_input(sh, script, cmd, stdin),
        (false, None) => stdin_code(sh, stdin, cmd, None),
    }
    out
}

/// Wrappers: returns `None` when `name` is not one.
pub(crate) fn wrapper(
    sh: &mut Sh,
    name: &str,
    args: &[String],
    stdin: &Input,
    cmd: &str,
) -> Option<Input> {
    let via = format!("`{name}`");
    let inner = |from: usize| args.get(from..).unwrap_or_default().to_vec();
    let out = match name {
        "sg" | "newgrp" => {
            // `sg GROUP [-c] 'cmd'` runs the text with `/bin/sh -c`; `newgrp GROUP` and `sg
            // GROUP` alone start a shell that reads its input (the twenty-seventh sets:
            // `newgrp docker <<< 'rm -rf /srv'` runs the here-string).
            sh.add(
                Admin,
                format!("{cmd} runs with elevated privileges (`{name}`)"),
            );
            let mut i = 0;
            while args.get(i).is_some_and(|a| a == "-" || a == "-l") {
                i += 1;
            }
            let rest = args.get(i + 1..).unwrap_or_default();
            let rest = match rest.split_first() {
                Some((c, words)) if c == "-c" => words,
                _ => rest,
            };
            if name == "sg" && !rest.is_empty() {
                run_command_text(sh, &rest.join(" "), &via);
            } else {
                stdin_code(sh, stdin, cmd, None);
            }
            Input::output_of(name)
        }
        "sudo" | "doas" | "pkexec" | "run0" | "runuser" => {
            sh.add(
                Admin,
                format!("{cmd} runs with elevated privileges (`{name}`)"),
            );
            if name == "sudo" && (leading_short(args, 'e') || has_long(args, "--edit")) {
                return Some(Input::None);
            }
            let i = first_operand(
                args,
                &[
                    "-u", "-g", "-p", "-C", "-h", "-U", "-r", "-t", "-T", "-D", "-R", "--user",
                    "--group", "--prompt", "-c",
                ],
            );
            if let Some(c) = opt_value(args, &["-c"], &["--command"]).filter(|_| name == "runuser")
            {
                run_command_text(sh, c, &via);
            }
            run_argv(sh, &inner(i), stdin, &via)
        }
        "su" => {
            sh.add(Admin, format!("{cmd} switches user"));
            if let Some(c) = opt_value(args, &["-c"], &["--command"]) {
                run_command_text(sh, c, &via);
            }
            Input::None
        }
        "env" => {
            let mut i = 0;
            while let Some(a) = args.get(i) {
                if matches!(a.as_str(), "-u" | "-C" | "--unset" | "--chdir") {
                    i += 2;
                } else if let Some(split) = split_string(args, i) {
                    // `env -S 'cmd args'`: the string is split into the command's words.
                    let (text, next) = split;
                    let mut line = text.to_string();
                    for rest in args.get(next..).unwrap_or_default() {
                        line.push(' ');
                        line.push_str(&quote(rest));
                    }
                    run_command_text(sh, &line, "`env -S`");
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
            run_argv(sh, &inner(i), stdin, &via)
        }
        "command" if leading_short(args, 'v') || leading_short(args, 'V') => {
            sh.add(Read, format!("{cmd} looks a command up"));
            Input::Unknown("a path".into())
        }
        "command" | "builtin" => {
            // `command -p cmd`: `-p` takes no value (it picks the default PATH).
            let i = first_operand(args, &[]);
            if i >= args.len() {
                sh.add(Read, format!("{cmd} runs nothing"));
                return Some(Input::None);
            }
            run_argv(sh, &inner(i), stdin, &via)
        }
        "exec" | "nohup" | "time" | "unbuffer" | "setsid" | "caffeinate" | "torsocks"
        | "proxychains" | "proxychains4" | "tsocks" | "chronic" | "busybox" | "fakeroot"
        | "firejail" | "catchsegv" | "valgrind" | "faketime" | "entr" | "retry" | "cpulimit" => {
            // `setsid -f`, `-c`, `-w` take no value.
            let valued: &[&str] = if name == "setsid" {
                &[]
            } else {
                &["-a", "-o", "-l", "-p", "--profile", "-f"]
            };
            // GNU `time -o FILE` writes its report there (`-a` appends).
            // GNU getopt takes any unique prefix (`--out=F`, `--outp F`).
            let output = ["--output", "--outpu", "--outp", "--out", "--ou", "--o"];
            if name == "time"
                && let Some(f) = super::args::opt_value(args, &["-o"], &output)
            {
                let append =
                    super::args::has_short(args, 'a') || super::args::has_long(args, "--append");
                super::catalogue::write_path_to(sh, f, append, &format!("{cmd} (`-o`)"));
            }
            let mut i = first_operand(args, valued);
            if name == "faketime" {
                i += 1;
            }
            // `entr -s 'CMD'` gives CMD to the shell.
            if name == "entr" && leading_short(args, 's') {
                if let Some(c) = args.get(i) {
                    run_command_text(sh, c, &via);
                }
                return Some(Input::Unknown("entr".into()));
            }
            if i >= args.len() {
                sh.add(Read, format!("{cmd} runs nothing"));
                return Some(Input::None);
            }
            run_argv(sh, &inner(i), stdin, &via)
        }
        "coreutils" => {
            // The multi-call binary: `coreutils --coreutils-prog=rm -rf /x` is `rm -rf /x`.
            let at = args.iter().position(|a| {
                a.starts_with("--coreutils-prog=") || a.starts_with("--coreutils-prog-shebang=")
            });
            let Some(prog) = at
                .and_then(|i| args.get(i))
                .and_then(|a| a.split_once('='))
                .map(|(_, p)| p.to_string())
            else {
                sh.add(Mutating, format!("{cmd} runs a program it is not told"));
                return Some(Input::None);
            };
            let mut argv = vec![prog];
            argv.extend(
                args.iter()
                    .enumerate()
                    .filter(|(i, _)| Some(*i) != at)
                    .map(|(_, a)| a.clone()),
            );
            run_argv(sh, &argv, stdin, &via)
        }
        "strace" | "ltrace" | "gdb" => {
            // `strace -o FILE` writes its trace there (`-o /etc/profile.d/x.sh`).
            if name != "gdb"
                && let Some(out) = super::args::opt_value(args, &["-o"], &["--output"])
            {
                match super::args::write_risk(out, false) {
                    Some((e, why)) => sh.add(e, format!("{cmd} writes its trace over {why}")),
                    None => sh.add(Mutating, format!("{cmd} writes its trace to `{out}`")),
                }
            }
            let i = first_operand(
                args,
                &["-o", "-p", "-e", "-s", "-P", "-E", "-u", "-ex", "-x"],
            );
            if leading_short(args, 'p') || i >= args.len() {
                sh.add(Mutating, format!("{cmd} attaches to a process"));
                return Some(Input::None);
            }
            let from = if args.get(i).is_some_and(|a| a == "--args") {
                i + 1
            } else {
                i
            };
            run_argv(sh, &inner(from), stdin, &via)
        }
        "nice" | "ionice" | "taskset" | "numactl" => {
            if matches!(name, "ionice" | "taskset") && leading_short(args, 'p') {
                sh.add(Mutating, format!("{cmd} changes a running process"));
                return Some(Input::None);
            }
            // `taskset [-c] MASK CMD`: `-c` says how the mask is written and takes no value.
            let mut i = if name == "taskset" {
                first_operand(args, &[])
            } else {
                first_operand(
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
                )
            };
            if name == "taskset" {
                i += 1;
            }
            run_argv(sh, &inner(i), stdin, &via)
        }
        "timeout" => {
            let i = first_operand(args, &["-s", "-k", "--signal", "--kill-after"]);
            run_argv(sh, &inner(i + 1), stdin, &via)
        }
        "stdbuf" => {
            let i = first_operand(args, &["-i", "-o", "-e"]);
            run_argv(sh, &inner(i), stdin, &via)
        }
        "chrt" => {
            if leading_short(args, 'p') {
                sh.add(Mutating, format!("{cmd} changes a running process"));
                return Some(Input::None);
            }
            let i = first_operand(args, &["-T", "-P", "-D"]);
            run_argv(sh, &inner(i + 1), stdin, &via)
        }
        "flock" => {
            if let Some(c) = opt_value(args, &["-c"], &["--command"]) {
                run_command_text(sh, c, &via);
                return Some(Input::Unknown("flock".into()));
            }
            let i = first_operand(args, &["-w", "-E", "--timeout", "--conflict-exit-code"]);
            run_argv(sh, &inner(i + 1), stdin, &via)
        }
        "script" => {
            if let Some(c) = opt_value(args, &["-c"], &["--command"]) {
                run_command_text(sh, c, &via);
            } else {
                sh.add(Mutating, format!("{cmd} records a session"));
            }
            // The session is written to its file (`typescript` unless one is named).
            let i = first_operand(
                args,
                &[
                    "-c",
                    "--command",
                    "-t",
                    "-T",
                    "--log-timing",
                    "-I",
                    "--log-in",
                    "-O",
                    "--log-out",
                    "-B",
                    "--log-io",
                    "-E",
                    "--echo",
                    "-m",
                    "--logging-format",
                ],
            );
            let file = args.get(i).map_or("typescript", String::as_str);
            super::catalogue::write_path(sh, file, cmd);
            Input::Unknown("script".into())
        }
        "watch" => {
            let i = first_operand(
                args,
                &["-n", "--interval", "-d", "-g", "-q", "--differences"],
            );
            let rest = inner(i);
            if leading_short(args, 'x') || has_long(args, "--exec") {
                run_argv(sh, &rest, stdin, &via)
            } else {
                run_command_text(sh, &rest.join(" "), &via);
                Input::Unknown("watch".into())
            }
        }
        "xargs" => xargs(sh, args, stdin, &via),
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
            if rest.is_empty() && end < args.len() {
                // No command template: each argument after `:::` is a command line.
                for a in args.get(end..).unwrap_or_default() {
                    if !a.starts_with(":::") {
                        run_command_text(sh, a, &via);
                    }
                }
                Input::Unknown("parallel".into())
            } else if rest.is_empty() {
                stdin_code(sh, stdin, cmd, None);
                Input::Unknown("parallel".into())
            } else {
                run_command_text(sh, &rest.join(" "), &via);
                Input::Unknown("parallel".into())
            }
        }
        "find" => tools::find(sh, args, cmd),
        "ssh" => {
            // Options that run a local command (`-o ProxyCommand=…`).
            let mut opts = args.iter().take_while(|a| a.as_str() != "--").peekable();
            while let Some(a) = opts.next() {
                let value = match a.strip_prefix("-o") {
                    Some("") => opts.peek().map(|v| v.as_str()),
                    Some(v) => Some(v),
                    None => None,
                };
                if let Some((key, command)) = value.and_then(|v| v.split_once(['=', ' ']))
                    && matches!(
                        key.to_ascii_lowercase().as_str(),
                        "proxycommand" | "localcommand" | "knownhostscommand" | "remotecommand"
                    )
                {
                    run_command_text(sh, command, &format!("`ssh -o {key}`"));
                }
            }
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
                run_command_text(sh, &rest.join(" "), &format!("`ssh {host}`"));
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
                run_argv(sh, &inner(i), stdin, &via)
            } else {
                Input::None
            }
        }
        "npx" | "pnpx" | "bunx" => {
            let i = first_operand(args, &["-p", "--package", "-c", "--call"]);
            if let Some(c) = opt_value(args, &["-c"], &["--call"]) {
                run_command_text(sh, c, &via);
            }
            if i >= args.len() {
                return Some(Input::None);
            }
            let spec = args.get(i).map(String::as_str).unwrap_or("");
            // A package by address (`npx https://…/x.tgz`, `npx github:user/repo`): code from
            // outside the registry, as `curl … | sh` runs it.
            let addressed = spec.contains("://")
                || ["github:", "gitlab:", "bitbucket:", "gist:", "git+"]
                    .iter()
                    .any(|p| spec.starts_with(p));
            if addressed {
                sh.add(
                    Destructive,
                    format!("{cmd} runs code downloaded from `{spec}`, outside the registry"),
                );
                return Some(Input::Unknown(format!("the output of `{spec}`")));
            }
            let pkg = program_name(spec);
            if !is_known(pkg) {
                sh.add(
                    Mutating,
                    format!("{cmd} downloads and runs package `{pkg}`"),
                );
            }
            run_argv(sh, &inner(i), stdin, &via)
        }
        "eval" => {
            run_command_text(sh, &args.join(" "), "`eval`");
            Input::Unknown("eval".into())
        }
        "source" | "." => {
            let script = args.first().cloned().unwrap_or_default();
            let rest: Vec<String> = args.get(1..).unwrap_or_default().to_vec();
            if rest.is_empty() {
                run_script_input(sh, &script, cmd, stdin);
            } else {
                // `source f a b` binds `$1…` of the script; a script written above is
                // analysed with them.
                match sh.written_content(&script) {
                    Some(Some(content)) => {
                        let rest: Vec<String> = rest.iter().map(|a| quote(a)).collect();
                        let text = super::shell::bind_positional(&content, &rest, "source");
                        run_command_text(sh, &text, &format!("script `{script}` written above"));
                    }
                    Some(None) | None => run_script_input(sh, &script, cmd, stdin),
                }
            }
            Input::Unknown("source".into())
        }
        "trap" => {
            // `trap [-lp] [--] [code signal…]`: `-` as code resets.
            let i = first_operand(args, &[]);
            let lists = leading_short(args, 'l') || leading_short(args, 'p');
            match args.get(i).filter(|c| !lists && c.as_str() != "-") {
                Some(code) => run_command_text(sh, code, "`trap`"),
                None => sh.add(Read, format!("{cmd} lists or resets traps")),
            }
            Input::None
        }
        "alias" => {
            let mut any = false;
            for a in args {
                if let Some((n, v)) = a.split_once('=') {
                    any = true;
                    sh.defined.push(n.to_string());
                    if sh.certain() {
                        sh.aliases.push((n.to_string(), v.to_string()));
                    }
                    // The definition changes nothing and its body is analysed. A later `n`
                    // still counts as the program `n`: a shell that does not expand
                    // aliases (any non-interactive one) runs that.
                    sh.add(Read, format!("{cmd} defines alias `{n}`"));
                    run_command_text(sh, v, &format!("alias `{n}`"));
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
            if leading_short(args, 'f') {
                sh.add(Mutating, format!("{cmd} exports a function"));
            } else if !any {
                sh.add(Read, format!("{cmd} sets or lists variables"));
            }
            Input::None
        }
        // Loop control: it changes which commands run next, all of which are walked.
        "mapfile" | "readarray" => {
            // `-C callback` runs the callback for every line read.
            match opt_value(args, &["-C"], &[]) {
                Some(callback) => run_command_text(sh, callback, &format!("`{name} -C`")),
                None => sh.add(Read, format!("{cmd} reads lines into an array")),
            }
            Input::None
        }
        "break" | "continue" => {
            sh.add(Read, format!("{cmd} leaves or repeats a loop"));
            Input::None
        }
        _ => return None,
    };
    Some(out)
}

/// The string of `env -S STRING`, `-SSTRING`, `-iS STRING`, `--split-string=STRING` or
/// `--split-string STRING` at `args[i]`, with the index of the argument after it.
fn split_string(args: &[String], i: usize) -> Option<(&str, usize)> {
    let a = args.get(i)?;
    if let Some(v) = a.strip_prefix("--split-string") {
        return match v.strip_prefix('=') {
            Some(v) => Some((v, i + 1)),
            None if v.is_empty() => Some((args.get(i + 1)?.as_str(), i + 2)),
            None => None,
        };
    }
    let flags = a.strip_prefix('-').filter(|f| !f.starts_with('-'))?;
    let (_, value) = flags.split_once('S')?;
    if value.is_empty() {
        Some((args.get(i + 1)?.as_str(), i + 2))
    } else {
        Some((value, i + 1))
    }
}
