//! Version control, orchestration, infrastructure and cloud CLIs: git, kubectl, docker,
//! terraform-style tools and the cloud command lines, by subcommand and flags.

mod cloudcli;
mod docker;

pub(crate) use cloudcli::cloud;
pub(crate) use docker::docker;

use super::args::{any, harmless_sink, has_long, has_short, opt_value, sub};
use super::shell::{Input, Sh};
use crate::Effect::{self, Admin, Destructive, Mutating, Read};

/// git's global options with their value attached (`-ccore.pager=CMD`, `-c"core.pager=CMD"`,
/// `"-ccore.pager=CMD"` after quote removal, `-C/path`) spelled as two words (`-c X`, `-C X`),
/// so that every rule judging the spaced form judges them; `None` if nothing is attached.
/// Only the words before the subcommand: a subcommand's `-c` is its own (`log -c`).
pub(crate) fn git_spaced(argv: &[String]) -> Option<Vec<String>> {
    let mut out: Vec<String> = Vec::with_capacity(argv.len() + 2);
    let mut changed = false;
    let mut words = argv.iter();
    if let Some(first) = words.next() {
        out.push(first.clone());
    }
    let mut globals = true;
    let mut takes_value = false;
    for a in words {
        if !globals || takes_value {
            takes_value = false;
            out.push(a.clone());
            continue;
        }
        let attached = ["-c", "-C"].into_iter().find_map(|f| {
            a.strip_prefix(f)
                .filter(|v| !v.is_empty() && !a.starts_with("--"))
                .map(|v| (f, v))
        });
        if let Some((flag, value)) = attached {
            out.push(flag.to_string());
            out.push(value.to_string());
            changed = true;
        } else {
            takes_value = matches!(
                a.as_str(),
                "-c" | "-C" | "--git-dir" | "--work-tree" | "--namespace" | "--config-env"
            );
            globals = a.starts_with('-') && a != "--";
            out.push(a.clone());
        }
    }
    changed.then_some(out)
}

/// `--config-env KEY=VAR` (or `--config-env=KEY=VAR`) sets KEY to the value of the variable VAR,
/// which cannot be seen: a key whose value is a command is a command not seen (mutating);
/// any other key is judged as `-c KEY=$VAR`.
fn config_env(sh: &mut Sh, kv: &str) {
    if let Some((k, var)) = kv.split_once('=') {
        let key = k.to_ascii_lowercase();
        if runs_command(&key) || key.starts_with("alias.") || key.starts_with("include") {
            sh.add(
                Mutating,
                format!("sets `{k}` from the variable `{var}`, a command not seen"),
            );
        } else {
            git_config(sh, k, &format!("${var}"));
        }
    }
}

pub(crate) fn git(sh: &mut Sh, args: &[String]) -> (Effect, String) {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "-c" {
            if let Some((k, v)) = args.get(i + 1).and_then(|kv| kv.split_once('=')) {
                git_config(sh, k, v);
            }
            i += 2;
        } else if a == "--config-env" {
            if let Some(kv) = args.get(i + 1) {
                config_env(sh, kv);
            }
            i += 2;
        } else if let Some(kv) = a.strip_prefix("--config-env=") {
            config_env(sh, kv);
            i += 1;
        } else if matches!(
            a.as_str(),
            "-C" | "--git-dir" | "--work-tree" | "--namespace" | "--exec-path"
        ) {
            i += 2;
        } else if a.starts_with('-') {
            i += 1;
        } else {
            break;
        }
    }
    let s = args.get(i).map(String::as_str).unwrap_or("");
    let spelled = spell_out_git(args.get(i + 1..).unwrap_or_default());
    let rest = spelled.as_slice();
    let short = |c: char| has_short(rest, c);
    let long = |l: &str| has_long(rest, l);
    // `git diff/log/show --output=FILE` writes FILE; `grep -O CMD` runs CMD as a pager.
    if let Some(f) = opt_value(rest, &[], &["--output"]).filter(|f| !harmless_sink(f)) {
        sh.written.push((f.to_string(), None));
        return match super::args::write_risk(f, false) {
            Some((e, why)) => (e, format!("writes `{f}`, {why}")),
            None => (Mutating, format!("writes `{f}` (`--output`)")),
        };
    }
    if s == "grep"
        && let Some(pager) = opt_value(rest, &["-O"], &["--open-files-in-pager"])
    {
        sh.shell_text(pager, "`git grep -O`");
        return (Mutating, "runs a pager command".into());
    }
    // Options whose value is a command git runs: `clone -u CMD`, `--upload-pack`,
    // `rebase -x CMD`, `bisect run CMD`, `submodule foreach CMD`, `difftool -x CMD`, and the
    // `ext::` transport (`git clone 'ext::sh -c …'`).
    let runs = match s {
        "clone" | "fetch" | "pull" | "ls-remote" | "archive" => {
            opt_value(rest, &["-u"], &["--upload-pack", "--exec"])
        }
        "push" | "send-pack" => opt_value(rest, &[], &["--receive-pack", "--exec"]),
        "rebase" => opt_value(rest, &["-x"], &["--exec"]),
        "difftool" | "mergetool" => opt_value(rest, &["-x"], &["--extcmd", "--tool-cmd"]),
        _ => None,
    };
    if let Some(c) = runs {
        sh.shell_text(c, &format!("`git {s}`"));
    }
    if s == "bisect" && rest.first().is_some_and(|r| r == "run")
        || s == "submodule" && rest.iter().any(|r| r == "foreach")
    {
        let at = rest
            .iter()
            .position(|r| r == "run" || r == "foreach")
            .unwrap_or(0);
        let inner = rest.get(at + 1..).unwrap_or_default().to_vec();
        if s == "submodule" {
            // `foreach` hands its command to the shell (`foreach 'rm -rf x'`).
            sh.shell_text(&inner.join(" "), &format!("`git {s} foreach`"));
        } else {
            let _ = sh.argv(&inner, &super::shell::Input::None, &format!("`git {s}`"));
        }
    }
    if let Some(ext) = rest.iter().find_map(|r| r.strip_prefix("ext::")) {
        sh.shell_text(ext, "git `ext::` transport");
    }
    if s == "clone" {
        for kv in rest.windows(2).filter_map(|w| {
            (w.first().is_some_and(|f| f == "-c" || f == "--config"))
                .then(|| w.get(1))
                .flatten()
        }) {
            if let Some((k, v)) = kv.split_once('=') {
                git_config(sh, k, v);
            }
        }
        // `clone --config=K=V`, `clone -cK=V`: attached, as git takes them.
        for kv in rest.iter().filter_map(|r| {
            r.strip_prefix("--config=").or_else(|| {
                r.strip_prefix("-c")
                    .filter(|v| !v.is_empty() && !r.starts_with("--"))
            })
        }) {
            if let Some((k, v)) = kv.split_once('=') {
                git_config(sh, k, v);
            }
        }
    }
    match s {
        // A dry run contacts the remote but changes nothing (exact: `-n`/`--dry-run`).
        "push" if (short('n') || long("--dry-run")) && !super::args::dry_run_cancelled(rest) => {
            (Read, "dry-runs a push".into())
        }
        "push" => {
            if short('f')
                || long("--force")
                || long("--force-with-lease")
                || long("--force-if-includes")
                || long("--mirror")
                || long("--prune")
            {
                (Destructive, "force-pushes (rewrites remote history)".into())
            } else if short('d')
                || long("--delete")
                || rest.iter().any(|r| r.starts_with(':') && r.len() > 1)
            {
                (Destructive, "deletes a remote branch or tag".into())
            } else if rest.iter().any(|r| r.starts_with('+')) {
                (Destructive, "force-pushes a `+ref`".into())
            } else {
                (Mutating, "pushes commits".into())
            }
        }
        "reset" if long("--hard") || long("--merge") || long("--keep") => {
            (Destructive, "discards work (`reset --hard`)".into())
        }
        // Only `-n`/`--dry-run` is exact: without `-f`, `clean.requireForce=false` (a setting
        // not visible here) still lets `git clean -d` delete.
        "clean" if (short('n') || long("--dry-run")) && !super::args::dry_run_cancelled(rest) => {
            (Read, "dry-runs a clean".into())
        }
        "clean" => (Destructive, "deletes untracked files".into()),
        "checkout"
            if rest.iter().any(|r| r == "--" || r == ".") || short('f') || long("--force") =>
        {
            (Destructive, "discards local changes".into())
        }
        "restore" if !long("--staged") || long("--worktree") => {
            (Destructive, "discards local changes".into())
        }
        "switch" if long("--discard-changes") || short('f') || long("--force") => {
            (Destructive, "discards local changes".into())
        }
        "branch"
            if short('D')
                || (short('d') && (short('f') || long("--force")))
                || rest.iter().any(|r| r == "--delete") && long("--force") =>
        {
            (Destructive, "force-deletes a branch".into())
        }
        "branch" if short('d') || long("--delete") || short('m') || short('M') => {
            (Mutating, "deletes or renames a merged branch".into())
        }
        "branch"
            if rest.iter().any(|r| !r.starts_with('-'))
                && !long("--contains")
                && !long("--merged")
                && !long("--list")
                && !long("--points-at") =>
        {
            (Mutating, "creates a branch".into())
        }
        "stash" if any(rest, &["drop", "clear"]) => (Destructive, "drops stashed work".into()),
        "stash"
            if rest.is_empty()
                || any(
                    rest,
                    &["push", "save", "pop", "apply", "create", "store", "branch"],
                ) =>
        {
            (Mutating, "stashes or applies work".into())
        }
        "filter-branch" | "filter-repo" => (Destructive, "rewrites history".into()),
        "update-ref" if short('d') => (Destructive, "deletes a ref".into()),
        "tag" if short('d') || long("--delete") => (Destructive, "deletes a tag".into()),
        "tag" if rest.iter().any(|r| !r.starts_with('-')) && !short('l') && !long("--list") => {
            (Mutating, "creates a tag".into())
        }
        "reflog" if any(rest, &["expire", "delete"]) => (Destructive, "expires the reflog".into()),
        "gc" if rest.iter().any(|r| r.starts_with("--prune")) => {
            (Destructive, "prunes unreachable objects".into())
        }
        "rm" => (Destructive, "deletes tracked files".into()),
        // The twenty-fifth sets: `git prune` deletes unreachable objects as `gc --prune` does
        // (a dry run `-n` only lists them); `symbolic-ref -d HEAD` deletes the branch pointer.
        "prune" if !short('n') && !long("--dry-run") => {
            (Destructive, "prunes unreachable objects".into())
        }
        "symbolic-ref" if short('d') || long("--delete") => (Destructive, "deletes a ref".into()),
        // The twenty-sixth sets: `git notes prune` deletes notes, as `git prune` deletes
        // objects (`-n`/`--dry-run` lists them). `git lfs prune` stays `mutating`: the
        // corpus pins it there (set 17c).
        "notes"
            if rest.first().is_some_and(|r| r == "prune") && !short('n') && !long("--dry-run") =>
        {
            (Destructive, "prunes notes".into())
        }
        "worktree" if any(rest, &["remove", "prune"]) => (Destructive, "removes a worktree".into()),
        "submodule" if any(rest, &["deinit"]) => (Destructive, "removes a submodule".into()),
        "config"
            if rest.iter().any(|r| {
                let k = r.to_ascii_lowercase();
                k.starts_with("alias.") || k.starts_with("core.") || runs_command(&k)
            }) && rest.len() >= 2
                && !long("--get") =>
        {
            config_pairs(sh, rest);
            (Mutating, "changes git configuration".into())
        }
        "config"
            if long("--get")
                || long("--list")
                || short('l')
                || long("--get-all")
                || long("--get-regexp")
                || long("--show-origin")
                || rest.iter().filter(|r| !r.starts_with('-')).count() <= 1 =>
        {
            (Read, "reads configuration".into())
        }
        "config" => {
            config_pairs(sh, rest);
            (Mutating, "changes git configuration".into())
        }
        "status" | "log" | "diff" | "show" | "blame" | "grep" | "ls-files" | "ls-tree"
        | "ls-remote" | "rev-parse" | "rev-list" | "describe" | "shortlog" | "cat-file"
        | "for-each-ref" | "show-ref" | "merge-base" | "name-rev" | "whatchanged"
        | "count-objects" | "fsck" | "help" | "version" | "--version" | "check-ignore" | "var"
        | "annotate" | "cherry" | "range-diff" | "verify-commit" | "verify-tag" | "show-branch"
        | "reflog" | "branch" | "tag" | "remote"
            if !any(
                rest,
                &[
                    "add", "remove", "rm", "rename", "set-url", "prune", "set-head",
                ],
            ) =>
        {
            (Read, "reads".into())
        }
        "stash" | "worktree" | "submodule" | "notes" if any(rest, &["list", "show", "status"]) => {
            (Read, "reads".into())
        }
        "" => (Read, "prints help".into()),
        "commit" | "add" | "fetch" | "pull" | "merge" | "rebase" | "cherry-pick" | "revert"
        | "checkout" | "switch" | "restore" | "init" | "clone" | "mv" | "am" | "apply"
        | "remote" | "stash" | "worktree" | "submodule" | "notes" | "bisect" | "gc" | "repack"
        | "prune" | "lfs" | "sparse-checkout" | "maintenance" | "update-index" | "update-ref"
        | "format-patch" | "archive" | "bundle" | "commit-tree" | "hash-object" | "write-tree"
        | "read-tree" | "tag" | "branch" | "reset" => {
            (Mutating, format!("changes the repository (`git {s}`)"))
        }
        other => (
            Mutating,
            format!("runs `git {other}`, which may be an alias"),
        ),
    }
}

/// git's option parser takes unique abbreviations (`push --forc`, `reset --ha`): the long
/// options that destroy, write or run are spelled out. Options that lower a verdict
/// (`--dry-run`) are only believed when written in full.
fn spell_out_git(rest: &[String]) -> Vec<String> {
    const DANGEROUS: &[&str] = &[
        "--force",
        "--force-with-lease",
        "--force-if-includes",
        "--mirror",
        "--prune",
        "--delete",
        "--hard",
        "--merge",
        "--keep",
        "--discard-changes",
        "--output",
        "--exec",
        "--upload-pack",
        "--receive-pack",
        "--worktree",
        "--open-files-in-pager",
        "--extcmd",
        "--tool-cmd",
    ];
    let mut options = true;
    rest.iter()
        .map(|a| {
            options &= a != "--";
            let Some(body) = a.strip_prefix("--").filter(|b| options && b.len() >= 2) else {
                return a.clone();
            };
            let (name, value) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v)),
                None => (body, None),
            };
            let prefix = format!("--{name}");
            match DANGEROUS.iter().find(|d| d.starts_with(&prefix)) {
                Some(full) if !DANGEROUS.contains(&prefix.as_str()) => match value {
                    Some(v) => format!("{full}={v}"),
                    None => (*full).to_string(),
                },
                _ => a.clone(),
            }
        })
        .collect()
}

/// Every operand that is a configuration key, with the operand after it as its value: the
/// key's place depends on the form (`set core.editor X`, `-f FILE core.editor X`,
/// `--replace-all core.fsmonitor X PATTERN`), and judging each pair only raises.
fn config_pairs(sh: &mut Sh, rest: &[String]) {
    let operands: Vec<&String> = rest.iter().filter(|r| !r.starts_with('-')).collect();
    for pair in operands.windows(2) {
        if let [k, v] = pair
            && k.contains('.')
            && !k.contains(char::is_whitespace)
            && k.starts_with(|c: char| c.is_ascii_alphabetic())
        {
            git_config(sh, k, v);
        }
    }
}

pub(crate) fn git_config(sh: &mut Sh, key: &str, value: &str) {
    let k = key.to_ascii_lowercase();
    if let Some(a) = k.strip_prefix("alias.") {
        sh.defined.push(a.to_string());
        if let Some(cmd) = value.strip_prefix('!') {
            sh.shell_text(cmd, &format!("git alias `{a}`"));
        }
    } else if (k == "core.pager" || k.starts_with("pager."))
        && super::catalogue::harmless_pager(value)
    {
        // `git -c core.pager=cat log`: a pager that only shows text runs nothing.
    } else if let Some(why) = credentials_redirected(&k, value) {
        sh.add(Admin, format!("sets `{k}`: {why}"));
        if let Some(cmd) = value.strip_prefix('!') {
            sh.shell_text(cmd, &format!("git `{k}`"));
        }
    } else if runs_command(&k) {
        sh.add(Mutating, format!("sets `{k}`, a command git runs later"));
        // `credential.helper=!cmd` and aliases mark a shell command with `!`.
        sh.shell_text(value.trim_start_matches('!'), &format!("git `{k}`"));
    } else if k == "core.hookspath" {
        sh.add(Admin, "sets `core.hooksPath`, which decides what git runs");
    } else if (k.starts_with("trace2.") && k.ends_with("target"))
        || k == "http.cookiefile"
        || k == "core.askpass"
    {
        // `trace2.eventTarget=~/.bashrc` writes its trace there; a cookie file is written
        // back when `http.saveCookies` is set.
        let path = value.trim();
        match super::args::write_risk(path, true) {
            Some((e, why)) => sh.add(e, format!("sets `{k}`: git writes `{path}`, {why}")),
            None => sh.add(Mutating, format!("sets `{k}`: git writes `{path}`")),
        }
    } else if (k.ends_with(".proxy") || k == "http.proxy" || k.ends_with(".sslkeylogfile"))
        && !super::args::loopback_address(value)
    {
        sh.add(
            Mutating,
            format!("sets `{k}` to `{value}`: git's traffic, and its credentials, go there"),
        );
    } else if verification_off(&k, value) {
        sh.add(
            Admin,
            format!("sets `{k}` to `{value}`, which turns off a verification"),
        );
    }
}

/// A setting that hands git's credentials or traffic to someone else: a credential helper that
/// is a shell command or a program by path (`credential.helper '!f() { cat >> /tmp/c; }; f'`),
/// or a URL rewrite to another host (`url.https://evil.example/.insteadOf
/// https://github.com/`; `git@github.com:` for `https://github.com/` keeps the host).
fn credentials_redirected(key: &str, value: &str) -> Option<&'static str> {
    const HELPERS: &[&str] = &[
        "",
        "store",
        "cache",
        "osxkeychain",
        "manager",
        "manager-core",
        "libsecret",
        "wincred",
        "gnome-keyring",
        "netrc",
        "oauth",
    ];
    let helper =
        key == "credential.helper" || (key.starts_with("credential.") && key.ends_with(".helper"));
    if helper {
        let program = value.split_whitespace().next().unwrap_or("");
        let known = HELPERS.contains(&program.trim_start_matches("git-credential-"));
        return (!known).then_some("git gives every credential it uses to this program");
    }
    let base = key.strip_prefix("url.").and_then(|r| {
        r.strip_suffix(".insteadof")
            .or_else(|| r.strip_suffix(".pushinsteadof"))
    })?;
    let host = |u: &str| {
        let rest = u.split_once("://").map_or(u, |(_, r)| r);
        let rest = rest.rsplit_once('@').map_or(rest, |(_, r)| r);
        rest.split(['/', ':'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    (host(base) != host(value)).then_some("git sends this host's traffic and credentials elsewhere")
}

/// `http.sslVerify false`, `http.<url>.sslVerify false`, `transfer.fsckObjects false`: git stops
/// checking certificates or what it receives.
fn verification_off(key: &str, value: &str) -> bool {
    let off = matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "false" | "no" | "off" | "0"
    );
    off && (key.ends_with(".sslverify") || key.ends_with("fsckobjects"))
}

/// Configuration keys whose value is a command git runs: pagers, editors, SSH and proxy
/// commands, credential helpers, GPG programs, diff and merge drivers, filters
/// (`filter.x.clean`/`smudge`/`process`), `textconv`, `remote.*.uploadpack`.
fn runs_command(key: &str) -> bool {
    const KEYS: &[&str] = &[
        "core.pager",
        "core.sshcommand",
        "core.editor",
        "core.fsmonitor",
        "core.askpass",
        "core.gitproxy",
        "sequence.editor",
        "diff.external",
        "credential.helper",
        "gpg.program",
        "interactive.difffilter",
        "web.browser",
        "uploadpack.packobjectshook",
    ];
    const SUFFIXES: &[&str] = &[
        ".textconv",
        ".clean",
        ".smudge",
        ".process",
        ".driver",
        ".cmd",
        ".program",
        ".uploadpack",
        ".receivepack",
        ".helper",
        ".command",
        ".sshcommand",
        ".path",
    ];
    KEYS.contains(&key)
        || key.starts_with("pager.")
        || (key.matches('.').count() >= 1 && SUFFIXES.iter().any(|s| key.ends_with(s)))
}

pub(crate) fn kubectl(sh: &mut Sh, args: &[String], stdin: &Input) -> (Effect, String) {
    let with = [
        "-n",
        "--namespace",
        "--context",
        "--kubeconfig",
        "--cluster",
        "--user",
        "-s",
        "--server",
        "-l",
        "-o",
        "--selector",
        "-c",
        "--container",
        // Global flags that take a value: without them, `--cache-dir exec delete ns prod`
        // would read `exec` as the subcommand.
        "--token",
        "--request-timeout",
        "--tls-server-name",
        "--certificate-authority",
        "--client-certificate",
        "--client-key",
        "-v",
        "--v",
        "--as",
        "--as-group",
        "--as-uid",
        "--cache-dir",
        "--profile",
        "--profile-output",
        "--username",
        "--password",
        "--log-dir",
        "--log-file",
        "--vmodule",
        "--kuberc",
        "--field-selector",
        "-f",
        "--filename",
    ];
    // kubectl reads `_` in a long flag's name as `-` (`--cache_dir`).
    let spelled: Vec<String> = args
        .iter()
        .map(|a| match a.strip_prefix("--") {
            Some(f) => {
                let (name, value) = f.split_once('=').map_or((f, None), |(n, v)| (n, Some(v)));
                let name = name.replace('_', "-");
                value.map_or(format!("--{name}"), |v| format!("--{name}={v}"))
            }
            None => a.clone(),
        })
        .collect();
    let args = spelled.as_slice();
    let (s, rest) = sub(args, &with);
    // `--dry-run`, `--dry-run=client|server` change nothing; `--dry-run=none` is a real run.
    let dry = !super::args::dry_run_cancelled(args)
        && args.iter().any(|a| {
            matches!(
                a.as_str(),
                "--dry-run" | "--dry-run=client" | "--dry-run=server"
            )
        });
    if dry
        && !matches!(
            s,
            "exec" | "debug" | "attach" | "cp" | "port-forward" | "proxy"
        )
    {
        return (Read, format!("dry-runs `kubectl {s}`"));
    }
    let zero_replicas = rest.iter().any(|arg| {
        let r: String = arg
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '"')
            .collect::<String>()
            .to_ascii_lowercase();
        // `replicas`, `minReplicas`, `maxReplicas` set to 0; a CronJob or workload suspended.
        let zero = |r: &str| {
            ["replicas:0", "replicas=0"].iter().any(|z| {
                r.match_indices(z).any(|(i, _)| {
                    !r.get(i + z.len()..)
                        .is_some_and(|t| t.starts_with(|c: char| c.is_ascii_digit() || c == '.'))
                })
            })
        };
        zero(&r)
            || r.contains("suspend:true")
            || (r.contains("/spec/suspend") && r.contains("value:true"))
            || serde_json::from_str::<serde_json::Value>(
                arg.strip_prefix("--patch=")
                    .or_else(|| arg.strip_prefix("-p="))
                    .unwrap_or(arg),
            )
            .is_ok_and(|v| super::cloud::json_patch_zeroes_replicas(&v))
    });
    match s {
        "patch" | "set" | "apply" | "edit" | "replace" if zero_replicas => (
            Destructive,
            "sets replicas to zero or suspends the workload".into(),
        ),
        // `key=value:NoExecute-` removes the taint.
        "taint"
            if rest
                .iter()
                .any(|r| r.contains("NoExecute") && !r.ends_with('-')) =>
        {
            (
                Destructive,
                "taints nodes with NoExecute (evicts pods)".into(),
            )
        }
        "cordon" => (Destructive, "stops scheduling on nodes".into()),
        "apply"
            if rest
                .iter()
                .any(|r| r == "--prune" || r.starts_with("--prune=")) =>
        {
            (
                Destructive,
                "prunes resources missing from the manifests".into(),
            )
        }
        // A debug pod on a node gets the host's file system, network and processes.
        "debug"
            if rest.iter().any(|r| {
                r.starts_with("node/")
                    || r.starts_with("nodes/")
                    || r == "--profile=sysadmin"
                    || r == "sysadmin"
            }) =>
        {
            (Admin, "debugs a node with access to the host".into())
        }
        "exec" | "debug" | "run" | "attach" => {
            let inner = args
                .iter()
                .position(|a| a == "--")
                .map(|p| args.get(p + 1..).unwrap_or_default().to_vec())
                .filter(|inner| !inner.is_empty());
            if let Some(inner) = &inner {
                let _ = sh.argv(inner, stdin, "`kubectl exec`");
            }
            // `kubectl exec pod -- ls`: the pod runs the command shown, which is judged; `run`,
            // `debug` and `attach` start or join a container and change the cluster.
            // `-i` passes this command's input to the pod: a secret there leaves the machine.
            // Any spelling of `--stdin` but an explicit false (`--stdin=true`, `-it`).
            let stdin_sent = rest.iter().take_while(|a| *a != "--").any(|a| {
                a == "--stdin"
                    || a.strip_prefix("--stdin=")
                        .is_some_and(|v| !matches!(v, "false" | "0"))
                    || (a.starts_with('-') && !a.starts_with("--") && a.contains('i'))
            });
            if stdin_sent && super::catalogue::is_secret(stdin) {
                return (
                    Admin,
                    format!("sends a secret on its input to a pod (`kubectl {s} -i`)"),
                );
            }
            // With `-i` the pod also gets this command's input, which is not always seen (a
            // descriptor, a process substitution): never a read.
            match inner {
                Some(_) if s == "exec" && !stdin_sent => {
                    (Read, "runs the command shown in a pod".into())
                }
                _ => (Mutating, format!("runs a command in a pod (`kubectl {s}`)")),
            }
        }
        "delete" | "drain" => (
            Destructive,
            format!("deletes or evicts resources (`kubectl {s}`)"),
        ),
        "rollout" if any(rest, &["status", "history"]) => (Read, "reads rollout state".into()),
        "scale"
            if rest.iter().any(|r| r == "--replicas=0")
                || rest.windows(2).any(|w| {
                    w.first().is_some_and(|a| a == "--replicas")
                        && w.get(1).is_some_and(|b| b == "0")
                }) =>
        {
            (Destructive, "scales to zero replicas".into())
        }
        "replace" if rest.iter().any(|r| r == "--force") => {
            (Destructive, "force-replaces resources".into())
        }
        "apply" | "rollout" | "set" | "patch" | "edit" | "replace" | "create" | "expose"
        | "autoscale" | "scale" | "uncordon" | "taint" | "certificate" | "label" | "annotate" => {
            if rest.iter().any(|r| {
                r.contains("clusterrole")
                    || r.contains("rolebinding")
                    || r == "role"
                    || r == "serviceaccount"
                    || r == "secret"
                    || r == "token"
                    // Pod security admission relaxed (`pod-security.kubernetes.io/enforce=
                    // privileged`), privileged or host-namespace pods patched in.
                    || r.contains("pod-security.kubernetes.io")
                    || r.contains("\"privileged\":true")
                    || r.contains("\"privileged\": true")
                    || r.contains("hostPID")
                    || r.contains("hostNetwork")
            }) || s == "certificate"
            {
                (Admin, format!("changes access (`kubectl {s}`)"))
            } else if matches!(s, "apply" | "rollout" | "set") {
                (Admin, format!("deploys (`kubectl {s}`)"))
            } else {
                (Mutating, format!("changes resources (`kubectl {s}`)"))
            }
        }
        "auth" if any(rest, &["reconcile"]) => (Admin, "changes access".into()),
        "config"
            if any(
                rest,
                &["view", "current-context", "get-contexts", "get-clusters"],
            ) =>
        {
            (Read, "reads configuration".into())
        }
        "config" => (Mutating, "changes kubeconfig".into()),
        "get" | "describe" | "logs" | "top" | "explain" | "api-resources" | "api-versions"
        | "version" | "cluster-info" | "auth" | "diff" | "events" | "wait" | "" => {
            (Read, "reads".into())
        }
        "cp" | "port-forward" | "proxy" | "kustomize" => (Mutating, format!("runs `kubectl {s}`")),
        other => (Mutating, format!("runs `kubectl {other}`")),
    }
}
