//! Programs with their own subcommand grammar: git, kubectl, helm, terraform, cloud CLIs,
//! docker, package managers, build tools, HTTP clients and database clients.

use super::catalogue::{first_operand, has_long, has_short, opt_value, run_script, sensitive_path};
use super::http;
use super::shell::{Input, Sh};
use crate::Effect::{self, Admin, Destructive, Mutating, Read};

const TOOLS: &[&str] = &[
    "git",
    "kubectl",
    "oc",
    "k",
    "helm",
    "terraform",
    "tofu",
    "terragrunt",
    "pulumi",
    "aws",
    "gcloud",
    "gsutil",
    "az",
    "docker",
    "podman",
    "docker-compose",
    "nerdctl",
    "systemctl",
    "service",
    "crontab",
    "pip",
    "pip3",
    "pipx",
    "uv",
    "poetry",
    "npm",
    "yarn",
    "pnpm",
    "cargo",
    "go",
    "make",
    "gmake",
    "just",
    "rake",
    "gradle",
    "gradlew",
    "mvn",
    "apt",
    "apt-get",
    "yum",
    "dnf",
    "brew",
    "apk",
    "pacman",
    "snap",
    "zypper",
    "gem",
    "composer",
    "curl",
    "wget",
    "http",
    "https",
    "xh",
    "psql",
    "mysql",
    "mariadb",
    "sqlite3",
    "sqlite",
    "redis-cli",
    "mongosh",
    "mongo",
    "clickhouse-client",
    "duckdb",
    "sqlcmd",
    "cqlsh",
    "mysqladmin",
    "pg_dump",
    "pg_dumpall",
    "mysqldump",
    "pg_restore",
    "createdb",
    "mv",
    "cp",
    "ln",
    "mkdir",
    "touch",
    "install",
    "tee",
    "sed",
    "rsync",
    "scp",
    "tar",
    "unzip",
    "zip",
    "gzip",
    "gunzip",
    "vim",
    "vi",
    "nano",
    "emacs",
    "code",
    "gh",
    "glab",
    "nc",
    "ncat",
    "socat",
    "telnet",
    "ftp",
    "sftp",
    "launchctl",
    "journalctl",
    "at",
    "batch",
    "crond",
    "dotnet",
    "java",
    "javac",
    "rustc",
    "gcc",
    "cc",
    "clang",
    "g++",
    "ansible",
    "ansible-playbook",
    "vault",
    "consul",
    "nomad",
    "heroku",
    "vercel",
    "netlify",
    "fly",
    "flyctl",
    "wrangler",
    "firebase",
    "supabase",
    "doctl",
    "s3cmd",
    "rclone",
    "minikube",
    "kind",
    "eksctl",
    "kustomize",
    "argocd",
    "flux",
    "skaffold",
    "sf",
    "sfdx",
    "bq",
    "cockroach",
    "influx",
    "etcdctl",
    "consul",
    "pytest",
    "jest",
    "tox",
    "nox",
    "mkfifo",
    "split",
    "patch",
    "git-lfs",
    "docker-machine",
    "lxc",
    "virsh",
    "vagrant",
    "packer",
    "ufw-check",
    "dscl",
    "defaults",
    "diskutil",
    "csrutil",
    "spctl",
    "tmutil",
    "kextload",
];

pub(crate) fn is_tool(n: &str) -> bool {
    TOOLS.contains(&n)
}

/// The first operand (subcommand) after global options.
fn sub<'a>(args: &'a [String], with_value: &[&str]) -> (&'a str, &'a [String]) {
    let i = first_operand(args, with_value);
    (
        args.get(i).map(String::as_str).unwrap_or(""),
        args.get(i + 1..).unwrap_or_default(),
    )
}

fn any(args: &[String], words: &[&str]) -> bool {
    args.iter().any(|a| words.contains(&a.as_str()))
}

pub(crate) fn run(sh: &mut Sh, name: &str, args: &[String], stdin: &Input, cmd: &str) -> Input {
    let out = Input::Unknown(format!("the output of `{name}`"));
    let (e, why): (Effect, String) = match name {
        "git" => git(sh, args),
        "kubectl" | "oc" | "k" => kubectl(sh, args, stdin),
        "helm" => {
            let (s, _) = sub(args, &["-n", "--namespace", "--kube-context"]);
            match s {
                "uninstall" | "delete" | "del" | "un" => {
                    (Destructive, "uninstalls a release".into())
                }
                "install" | "upgrade" | "rollback" => (Admin, "deploys a release".into()),
                "list" | "ls" | "status" | "get" | "history" | "show" | "search" | "template"
                | "lint" | "version" | "env" | "inspect" | "verify" | "" => (Read, "reads".into()),
                _ => (Mutating, format!("runs `helm {s}`")),
            }
        }
        "terraform" | "tofu" | "terragrunt" => {
            let (s, rest) = sub(args, &["-chdir"]);
            let s = if s.starts_with("-chdir") {
                rest.first().map(String::as_str).unwrap_or("")
            } else {
                s
            };
            match s {
                "destroy" => (Destructive, "destroys infrastructure".into()),
                "apply" | "run-all"
                    if any(args, &["-destroy", "--destroy"]) || any(args, &["destroy"]) =>
                {
                    (Destructive, "destroys infrastructure".into())
                }
                "apply" | "import" | "taint" | "untaint" | "force-unlock" | "run-all" => {
                    (Admin, format!("changes deployed infrastructure (`{s}`)"))
                }
                "state" if any(rest, &["rm", "mv", "push", "replace-provider"]) => {
                    (Destructive, "rewrites the state".into())
                }
                "workspace" if any(rest, &["delete"]) => {
                    (Destructive, "deletes a workspace".into())
                }
                "plan" | "show" | "validate" | "fmt" | "output" | "state" | "graph"
                | "providers" | "version" | "workspace" | "console" | "" => {
                    (Read, "reads or plans".into())
                }
                _ => (Mutating, format!("runs `{name} {s}`")),
            }
        }
        "pulumi" => {
            let (s, rest) = sub(args, &["-s", "--stack", "-C", "--cwd"]);
            match s {
                "destroy" | "down" => (Destructive, "destroys infrastructure".into()),
                "stack" if any(rest, &["rm"]) => (Destructive, "removes a stack".into()),
                "up" | "update" | "refresh" | "import" => {
                    (Admin, "changes deployed infrastructure".into())
                }
                "preview" | "pre" | "whoami" | "version" | "about" | "logs" | "stack"
                | "config"
                    if !any(rest, &["set", "rm"]) =>
                {
                    (Read, "reads or previews".into())
                }
                _ => (Mutating, format!("runs `pulumi {s}`")),
            }
        }
        "aws" | "gcloud" | "az" | "gsutil" | "doctl" | "s3cmd" | "rclone" | "heroku" | "vercel"
        | "netlify" | "fly" | "flyctl" | "wrangler" | "firebase" | "supabase" | "eksctl"
        | "argocd" | "flux" | "vault" | "consul" | "nomad" | "gh" | "glab" | "sf" | "sfdx"
        | "minikube" | "kind" | "ansible" | "ansible-playbook" | "skaffold" | "kustomize"
        | "vagrant" | "packer" | "lxc" | "virsh" | "etcdctl" | "influx" | "docker-machine" => {
            cloud(sh, name, args)
        }
        "docker" | "podman" | "nerdctl" | "docker-compose" => docker(sh, name, args, stdin),
        "systemctl" | "service" | "launchctl" => {
            let verbs = [
                "stop",
                "disable",
                "mask",
                "kill",
                "isolate",
                "poweroff",
                "reboot",
                "halt",
                "unload",
                "bootout",
                "remove",
                "kexec",
                "emergency",
                "rescue",
            ];
            let reads = [
                "status",
                "show",
                "cat",
                "list-units",
                "list-unit-files",
                "list-timers",
                "is-active",
                "is-enabled",
                "is-failed",
                "list",
                "print",
                "list-dependencies",
                "--status-all",
                "help",
                "get-default",
            ];
            if any(args, &verbs) {
                (Destructive, "stops or disables a service".into())
            } else if args.is_empty() || any(args, &reads) {
                (Read, "reads service state".into())
            } else if any(
                args,
                &[
                    "enable",
                    "set-default",
                    "edit",
                    "set-property",
                    "link",
                    "unmask",
                    "load",
                    "bootstrap",
                ],
            ) {
                (Admin, "changes what runs on the machine".into())
            } else {
                (Mutating, "starts or reloads a service".into())
            }
        }
        "crontab" => {
            if has_short(args, 'r') {
                (Destructive, "removes the crontab".into())
            } else if has_short(args, 'l') {
                (Read, "lists the crontab".into())
            } else {
                (Admin, "installs scheduled commands".into())
            }
        }
        "at" | "batch" => {
            if let Input::Literal(s) = stdin {
                sh.shell_text(s, "`at`");
            }
            (Admin, "schedules commands".into())
        }
        "pip" | "pip3" | "pipx" | "uv" | "poetry" | "gem" | "composer" => {
            let (s, _) = sub(args, &["-r", "--python", "-C"]);
            match s {
                "uninstall" | "remove" => (Destructive, "uninstalls packages".into()),
                "list" | "show" | "freeze" | "check" | "search" | "outdated" | "info" | "tree"
                | "env" | "config" | "--version" | "help" | "" => (Read, "reads".into()),
                "run" | "exec" => (Mutating, "runs a project command".into()),
                _ => (Mutating, format!("installs or changes packages (`{s}`)")),
            }
        }
        "npm" | "yarn" | "pnpm" => {
            let (s, rest) = sub(args, &["--prefix", "-w", "--workspace", "-C", "--filter"]);
            match s {
                "uninstall" | "remove" | "rm" | "un" | "unpublish" | "prune" | "dedupe" => {
                    (Destructive, format!("removes packages (`{s}`)"))
                }
                "cache" if any(rest, &["clean"]) => (Destructive, "clears the cache".into()),
                "publish" | "deprecate" | "owner" | "access" | "adduser" | "login" | "token"
                | "dist-tag" => (Admin, format!("publishes or changes access (`{s}`)")),
                "ls" | "list" | "view" | "info" | "show" | "outdated" | "audit" | "search"
                | "why" | "explain" | "config" | "--version" | "-v" | "version" | "help"
                | "root" | "bin" | "doctor" | "whoami"
                    if rest.is_empty() || s != "version" =>
                {
                    (Read, "reads".into())
                }
                _ => (
                    Mutating,
                    format!(
                        "runs `{name} {s}` (installs or runs project scripts that are not visible)"
                    ),
                ),
            }
        }
        "cargo" | "go" | "dotnet" => {
            let (s, _) = sub(args, &["-C", "--manifest-path", "-p", "--package"]);
            match s {
                "clean" => (Mutating, "removes build outputs".into()),
                "metadata" | "tree" | "search" | "version" | "--version" | "-V" | "env"
                | "list" | "vet" | "doc"
                    if name != "cargo" || s != "doc" =>
                {
                    (Read, "reads".into())
                }
                "publish" | "yank" | "owner" | "login" => {
                    (Admin, format!("publishes or changes access (`{s}`)"))
                }
                _ => (Mutating, format!("builds or runs code (`{name} {s}`)")),
            }
        }
        "make" | "gmake" | "just" | "rake" | "gradle" | "gradlew" | "mvn" | "ansible-runner"
        | "pytest" | "jest" | "tox" | "nox" => {
            if any(
                args,
                &[
                    "-n",
                    "--dry-run",
                    "--just-print",
                    "--list",
                    "-l",
                    "--help",
                    "--version",
                ],
            ) {
                (Read, "lists or dry-runs".into())
            } else {
                (
                    Mutating,
                    format!("runs build recipes whose commands are not visible (`{name}`)"),
                )
            }
        }
        "apt" | "apt-get" | "yum" | "dnf" | "brew" | "apk" | "pacman" | "snap" | "zypper" => {
            let (s, _) = sub(args, &["-o", "-c", "-t"]);
            match s {
                "remove" | "purge" | "autoremove" | "uninstall" | "erase" | "del" | "rm" | "-R"
                | "-Rs" | "-Rns" | "cleanup" => {
                    (Destructive, format!("removes system packages (`{s}`)"))
                }
                "list" | "search" | "show" | "info" | "policy" | "list-installed" | "--version"
                | "doctor" | "deps" | "leaves" | "outdated" | "-Q" | "-Ss" | "-Qi" | "" => {
                    (Read, "reads".into())
                }
                _ => (Admin, format!("changes system packages (`{s}`)")),
            }
        }
        "curl" | "wget" | "http" | "https" | "xh" => return http_client(sh, name, args, cmd),
        "psql" | "mysql" | "mariadb" | "sqlite3" | "sqlite" | "redis-cli" | "mongosh" | "mongo"
        | "clickhouse-client" | "duckdb" | "sqlcmd" | "cqlsh" | "bq" | "cockroach" => {
            super::dbclient::run(sh, name, args, stdin, cmd);
            return out;
        }
        "mysqladmin" => {
            if any(args, &["drop", "shutdown", "kill", "purge"]) {
                (Destructive, "drops a database or stops the server".into())
            } else if any(args, &["password", "reload", "flush-privileges"]) {
                (Admin, "changes access".into())
            } else if any(
                args,
                &[
                    "create",
                    "flush-logs",
                    "flush-tables",
                    "flush-hosts",
                    "refresh",
                    "start-replica",
                    "stop-replica",
                ],
            ) {
                (Mutating, "changes the server".into())
            } else {
                (Read, "reads server status".into())
            }
        }
        "pg_dump" | "pg_dumpall" | "mysqldump" => {
            if opt_value(args, &["-f"], &["--file", "--result-file"]).is_some() {
                (Mutating, "writes a dump file".into())
            } else {
                (Read, "dumps a database".into())
            }
        }
        "pg_restore" => {
            if has_short(args, 'c') || has_long(args, "--clean") {
                (
                    Destructive,
                    "drops objects before restoring (`--clean`)".into(),
                )
            } else {
                (Mutating, "restores a dump".into())
            }
        }
        "createdb" => (Mutating, "creates a database".into()),
        "mv" => {
            if args.last().is_some_and(|a| a == "/dev/null") {
                (
                    Destructive,
                    "moves files to `/dev/null` (deletes them)".into(),
                )
            } else {
                (Mutating, "moves or renames files (may overwrite)".into())
            }
        }
        "cp" | "install" | "rsync" | "scp" | "ln" => {
            if args.first().is_some_and(|a| a == "/dev/null")
                || args
                    .iter()
                    .any(|a| a.starts_with("--delete") || a == "--remove-source-files")
            {
                (Destructive, "empties or deletes files".into())
            } else {
                (Mutating, "copies or links files".into())
            }
        }
        "mkdir" | "touch" | "mkfifo" | "split" | "patch" | "zip" | "gzip" | "gunzip" | "unzip" => {
            if name == "unzip" && has_short(args, 'l') {
                (Read, "lists an archive".into())
            } else {
                (Mutating, "creates or changes files".into())
            }
        }
        "tar" => {
            if args
                .first()
                .is_some_and(|a| a.contains('t') && !a.contains('c') && !a.contains('x'))
                || has_long(args, "--list")
            {
                (Read, "lists an archive".into())
            } else {
                (Mutating, "creates or extracts an archive".into())
            }
        }
        "tee" => {
            let files: Vec<&String> = args
                .iter()
                .filter(|a| !a.starts_with('-') && a.as_str() != "/dev/null")
                .collect();
            for f in &files {
                sh.written.push((f.to_string(), None));
            }
            if files.is_empty() {
                (Read, "copies its input".into())
            } else {
                (Mutating, "writes files".into())
            }
        }
        "sed" => {
            if has_short(args, 'i') || has_long(args, "--in-place") {
                (Mutating, "edits files in place".into())
            } else {
                (Read, "transforms text".into())
            }
        }
        "journalctl" => {
            if args
                .iter()
                .any(|a| a.starts_with("--vacuum") || a == "--rotate" || a == "--flush")
            {
                (Destructive, "deletes logs".into())
            } else {
                (Read, "reads logs".into())
            }
        }
        "dscl" | "defaults" | "diskutil" | "csrutil" | "spctl" | "tmutil" | "kextload" => {
            if any(
                args,
                &[
                    "read",
                    "list",
                    "-list",
                    "-read",
                    "info",
                    "status",
                    "listbackups",
                ],
            ) {
                (Read, "reads".into())
            } else if any(
                args,
                &[
                    "eraseDisk",
                    "eraseVolume",
                    "delete",
                    "-delete",
                    "zeroDisk",
                    "reformat",
                    "partitionDisk",
                ],
            ) {
                (Destructive, "erases or deletes".into())
            } else {
                (Admin, "changes system configuration".into())
            }
        }
        _ => (Mutating, format!("runs `{name}`")),
    };
    const SQL_FLAGS: &[&str] = &[
        "--query",
        "-q",
        "--sql",
        "--execute",
        "-e",
        "--command",
        "-c",
        "--statement",
    ];
    for (i, a) in args.iter().enumerate().filter(|(_, a)| a.contains(' ')) {
        let flagged = i > 0
            && args
                .get(i - 1)
                .is_some_and(|f| SQL_FLAGS.contains(&f.as_str()));
        if (flagged || e.is_write()) && super::sql::looks_like_sql(a) {
            sh.sql_text_strict(a, &format!("an argument of `{name}`"));
        }
    }
    let guard = args.iter().find_map(|a| sensitive_path(a));
    if let (Some((ge, gwhy)), true) = (guard, e.is_write()) {
        sh.add(ge, format!("{cmd} changes {gwhy}"));
    }
    sh.add(e, format!("{cmd} {why}"));
    out
}

fn git(sh: &mut Sh, args: &[String]) -> (Effect, String) {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if a == "-c" {
            if let Some((k, v)) = args.get(i + 1).and_then(|kv| kv.split_once('=')) {
                git_config(sh, k, v);
            }
            i += 2;
        } else if matches!(
            a.as_str(),
            "-C" | "--git-dir" | "--work-tree" | "--namespace" | "--exec-path" | "--config-env"
        ) {
            i += 2;
        } else if a.starts_with('-') {
            i += 1;
        } else {
            break;
        }
    }
    let s = args.get(i).map(String::as_str).unwrap_or("");
    let rest = args.get(i + 1..).unwrap_or_default();
    let short = |c: char| has_short(rest, c);
    let long = |l: &str| has_long(rest, l);
    match s {
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
        "clean" if (short('f') || long("--force")) && !short('n') && !long("--dry-run") => {
            (Destructive, "deletes untracked files".into())
        }
        "clean" => (Read, "dry-runs a clean".into()),
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
        "worktree" if any(rest, &["remove", "prune"]) => (Destructive, "removes a worktree".into()),
        "submodule" if any(rest, &["deinit"]) => (Destructive, "removes a submodule".into()),
        "config"
            if rest
                .iter()
                .any(|r| r.starts_with("alias.") || r.starts_with("core."))
                && rest.len() >= 2
                && !long("--get") =>
        {
            if let (Some(k), Some(v)) = (rest.iter().find(|r| !r.starts_with('-')), rest.last()) {
                git_config(sh, k, v);
            }
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
        "config" => (Mutating, "changes git configuration".into()),
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

fn git_config(sh: &mut Sh, key: &str, value: &str) {
    let k = key.to_ascii_lowercase();
    if let Some(a) = k.strip_prefix("alias.") {
        sh.defined.push(a.to_string());
        if let Some(cmd) = value.strip_prefix('!') {
            sh.shell_text(cmd, &format!("git alias `{a}`"));
        }
    } else if matches!(
        k.as_str(),
        "core.pager"
            | "core.sshcommand"
            | "core.editor"
            | "core.fsmonitor"
            | "sequence.editor"
            | "diff.external"
            | "core.askpass"
            | "credential.helper"
            | "pager.log"
            | "pager.diff"
    ) {
        sh.add(Mutating, format!("sets `{k}`, a command git runs later"));
        sh.shell_text(value, &format!("git `{k}`"));
    } else if k == "core.hookspath" {
        sh.add(Admin, "sets `core.hooksPath`, which decides what git runs");
    }
}

fn kubectl(sh: &mut Sh, args: &[String], stdin: &Input) -> (Effect, String) {
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
    ];
    let (s, rest) = sub(args, &with);
    match s {
        "exec" | "debug" | "run" | "attach" => {
            if let Some(p) = args.iter().position(|a| a == "--") {
                let inner = args.get(p + 1..).unwrap_or_default().to_vec();
                let _ = sh.argv(&inner, stdin, "`kubectl exec`");
            }
            (Mutating, format!("runs a command in a pod (`kubectl {s}`)"))
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
        | "autoscale" | "scale" | "cordon" | "uncordon" | "taint" | "certificate" | "label"
        | "annotate" => {
            if rest.iter().any(|r| {
                r.contains("clusterrole")
                    || r.contains("rolebinding")
                    || r == "role"
                    || r == "serviceaccount"
                    || r == "secret"
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

fn cloud(sh: &mut Sh, name: &str, args: &[String]) -> (Effect, String) {
    let _ = sh;
    let words: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    let has = |w: &[&str]| words.iter().any(|x| w.contains(x));
    let op_prefix = |p: &[&str]| words.iter().any(|x| p.iter().any(|pre| x.starts_with(pre)));
    if name == "aws" && words.first() == Some(&"s3") {
        let op = words.get(1).copied().unwrap_or("");
        return match op {
            "rm" | "rb" => (Destructive, format!("deletes S3 data (`s3 {op}`)")),
            "sync" if args.iter().any(|a| a == "--delete") => {
                (Destructive, "deletes S3 data (`sync --delete`)".into())
            }
            "ls" | "presign" => (Read, "reads".into()),
            _ => (Mutating, format!("writes S3 data (`s3 {op}`)")),
        };
    }
    if op_prefix(&[
        "delete",
        "terminate",
        "remove",
        "deregister",
        "purge",
        "destroy",
        "drop",
        "rb",
        "disable",
        "stop",
        "uninstall",
        "revoke",
        "wipe",
        "reset",
    ]) || has(&["rm", "del", "destroy", "rb", "prune", "nuke", "teardown"])
    {
        if op_prefix(&[
            "revoke",
            "remove-iam",
            "detach-role",
            "detach-user",
            "detach-group",
            "remove-role",
        ]) {
            return (Admin, "removes access".into());
        }
        return (
            Destructive,
            "deletes, stops or disables cloud resources".into(),
        );
    }
    if op_prefix(&[
        "add-iam",
        "set-iam",
        "put-user-policy",
        "put-role-policy",
        "put-group-policy",
        "attach-",
        "create-access-key",
        "create-user",
        "create-role",
        "create-login-profile",
        "update-assume-role",
        "authorize-",
        "add-permission",
        "grant",
        "update-login-profile",
        "create-policy",
        "put-bucket-policy",
        "put-bucket-acl",
        "assign",
    ]) || (has(&[
        "iam",
        "role",
        "policy",
        "secrets",
        "kms",
        "identity",
        "permission",
        "permissions",
        "collaborator",
        "acl",
    ]) && op_prefix(&["create", "set", "put", "update", "add", "attach"]))
    {
        return (Admin, "changes access".into());
    }
    if op_prefix(&[
        "deploy", "promote", "rollout", "apply", "release", "publish", "up",
    ]) {
        return (Admin, "deploys".into());
    }
    if has(&[
        "list", "ls", "describe", "get", "show", "view", "status", "logs", "whoami", "info",
        "version", "help", "tail", "inspect", "search", "ping", "check", "diff",
    ]) || op_prefix(&[
        "describe-",
        "list-",
        "get-",
        "head-",
        "show-",
        "lookup-",
        "query",
    ]) {
        return (Read, "reads".into());
    }
    (
        Mutating,
        format!("changes cloud or remote resources (`{name}`)"),
    )
}

fn docker(sh: &mut Sh, name: &str, args: &[String], stdin: &Input) -> (Effect, String) {
    let (s, rest) = sub(
        args,
        &[
            "-H",
            "--host",
            "--context",
            "-c",
            "--config",
            "-f",
            "--file",
            "-p",
            "--project-name",
        ],
    );
    let (s, rest) = if s == "compose"
        || s == "container"
        || s == "image"
        || s == "volume"
        || s == "network"
        || s == "system"
        || s == "builder"
    {
        let (inner, r) = sub(rest, &["-f", "--file", "-p"]);
        match (s, inner) {
            (
                "system" | "image" | "container" | "volume" | "network" | "builder",
                "prune" | "rm" | "remove",
            ) => {
                return (
                    Destructive,
                    format!("removes or prunes (`{name} {s} {inner}`)"),
                );
            }
            ("compose", "down") => return (Destructive, "stops and removes services".into()),
            ("compose", "exec" | "run") => {
                let i = first_operand(r, &["-u", "--user", "-w", "--workdir", "-e", "--env"]);
                let inner_argv = r.get(i + 1..).unwrap_or_default().to_vec();
                let _ = sh.argv(&inner_argv, stdin, &format!("`{name} compose {inner}`"));
                return (Mutating, "runs a command in a service".into());
            }
            _ => (inner, r),
        }
    } else {
        (s, rest)
    };
    match s {
        "rm" | "rmi" | "kill" | "stop" | "prune" | "down" => (
            Destructive,
            format!("removes or stops containers (`{name} {s}`)"),
        ),
        "exec" | "run" => {
            let with = [
                "-u",
                "--user",
                "-w",
                "--workdir",
                "-e",
                "--env",
                "--name",
                "-v",
                "--volume",
                "-p",
                "--publish",
                "--network",
                "--entrypoint",
                "--env-file",
                "-l",
                "--label",
                "--mount",
                "--platform",
                "--cpus",
                "-m",
                "--memory",
                "--restart",
                "-h",
                "--hostname",
                "--pid",
                "--ipc",
                "--cap-add",
                "--device",
                "--log-driver",
            ];
            let i = first_operand(rest, &with);
            let inner = rest.get(i + 1..).unwrap_or_default().to_vec();
            if !inner.is_empty() {
                let _ = sh.argv(&inner, stdin, &format!("`{name} {s}`"));
            }
            if rest.iter().any(|r| {
                r == "--privileged"
                    || r.starts_with("/:/")
                    || r == "--pid=host"
                    || r == "--net=host"
                    || r.starts_with("--cap-add")
            }) || rest.windows(2).any(|w| {
                w.first().is_some_and(|a| a == "-v")
                    && w.get(1)
                        .is_some_and(|b| b.starts_with("/:") || b.contains("docker.sock"))
            }) {
                (
                    Admin,
                    "runs a privileged container or mounts the host".into(),
                )
            } else {
                (Mutating, format!("runs a container (`{name} {s}`)"))
            }
        }
        "ps" | "images" | "logs" | "inspect" | "version" | "info" | "stats" | "top" | "history"
        | "search" | "ls" | "config" | "port" | "diff" | "events" | "" => (Read, "reads".into()),
        "login" | "logout" | "trust" | "swarm" | "secret" => (
            Admin,
            format!("changes access or the cluster (`{name} {s}`)"),
        ),
        "push" | "deploy" | "stack" | "service" => {
            (Admin, format!("publishes or deploys (`{name} {s}`)"))
        }
        _ => (
            Mutating,
            format!("changes containers or images (`{name} {s}`)"),
        ),
    }
}

fn http_client(sh: &mut Sh, name: &str, args: &[String], cmd: &str) -> Input {
    let out = Input::Unknown(format!("a download by `{name}`"));
    let url = args
        .iter()
        .find(|a| a.starts_with("http://") || a.starts_with("https://") || a.contains("://"))
        .cloned()
        .or_else(|| args.iter().rev().find(|a| !a.starts_with('-')).cloned())
        .unwrap_or_default();
    let mut method = match name {
        "curl" => opt_value(args, &["-X"], &["--request"]).map(str::to_ascii_uppercase),
        "wget" => opt_value(args, &[], &["--method"]).map(str::to_ascii_uppercase),
        _ => args
            .iter()
            .find(|a| {
                http::METHODS.contains(&a.to_ascii_uppercase().as_str())
                    && a.chars().all(|c| c.is_ascii_uppercase())
            })
            .cloned(),
    };
    let has_body = match name {
        "curl" => opt_value(
            args,
            &["-d", "-F", "-T"],
            &[
                "--data",
                "--data-raw",
                "--data-binary",
                "--data-urlencode",
                "--form",
                "--upload-file",
                "--json",
            ],
        )
        .is_some(),
        "wget" => opt_value(
            args,
            &[],
            &["--post-data", "--post-file", "--body-data", "--body-file"],
        )
        .is_some(),
        _ => args
            .iter()
            .any(|a| a.contains('=') && !a.starts_with('-') && !a.contains("://")),
    };
    if method.is_none() && has_body {
        method = Some("POST".into());
    }
    if name == "curl" && (has_short(args, 'I') || has_long(args, "--head")) {
        method = Some("HEAD".into());
    }
    let m = method.unwrap_or_else(|| "GET".into());
    let (e, why) = http::method_effect(&m, &url);
    sh.add(e, format!("{cmd} sends `{m}` ({why})"));
    let writes_file = match name {
        "curl" => {
            opt_value(args, &["-o"], &["--output"]).is_some_and(|f| f != "-" && f != "/dev/null")
                || has_short(args, 'O')
                || has_long(args, "--remote-name")
        }
        "wget" => {
            opt_value(args, &["-O"], &["--output-document"])
                .is_none_or(|f| f != "-" && f != "/dev/null")
                && !has_long(args, "--spider")
                && !args
                    .iter()
                    .any(|a| a.starts_with('-') && !a.starts_with("--") && a.ends_with("O-"))
        }
        _ => has_long(args, "--download") || has_short(args, 'd') && name != "curl",
    };
    if writes_file {
        let f = opt_value(args, &["-o", "-O"], &["--output", "--output-document"])
            .unwrap_or("a downloaded file");
        sh.written.push((f.to_string(), None));
        if let Some((ge, gwhy)) = sensitive_path(f) {
            sh.add(ge, format!("{cmd} writes `{f}`, {gwhy}"));
        }
        sh.add(Mutating, format!("{cmd} saves a download to a file"));
    }
    out
}

/// `find`: `-delete` deletes, `-exec`/`-execdir`/`-ok` run commands.
pub(crate) fn find(sh: &mut Sh, args: &[String], cmd: &str) -> Input {
    let mut i = 0;
    let mut found = false;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "-delete" => {
                sh.add(Destructive, format!("{cmd} deletes the files it finds"));
                found = true;
            }
            "-exec" | "-execdir" | "-ok" | "-okdir" => {
                let end = args
                    .get(i + 1..)
                    .unwrap_or_default()
                    .iter()
                    .position(|x| x == ";" || x == "+" || x == "\\;")
                    .map_or(args.len(), |p| i + 1 + p);
                let inner = args.get(i + 1..end).unwrap_or_default().to_vec();
                let _ = sh.argv(&inner, &Input::None, &format!("`find {a}`"));
                found = true;
                i = end;
            }
            "-fprint" | "-fprint0" | "-fprintf" | "-fls" => {
                sh.add(Mutating, format!("{cmd} writes a file"));
                found = true;
            }
            _ => {}
        }
        i += 1;
    }
    if !found {
        sh.add(Read, format!("{cmd} lists files"));
    }
    Input::Unknown("a file list".into())
}

/// `awk`: `system()`, pipes to commands and redirections in the program.
pub(crate) fn awk(sh: &mut Sh, args: &[String], cmd: &str, out: Input) -> Input {
    if opt_value(args, &["-f"], &["--file"]).is_some() {
        sh.add(Mutating, format!("{cmd} runs an awk program from a file"));
        return out;
    }
    let i = first_operand(args, &["-F", "-v", "--field-separator", "--assign"]);
    let prog = args.get(i).map(String::as_str).unwrap_or("");
    if prog.contains("system")
        || prog.contains("| \"")
        || prog.contains("|\"")
        || prog.contains("getline")
    {
        sh.add(Mutating, format!("{cmd} runs commands from awk"));
        sh.code_text("awk", prog, "`awk`");
    } else if prog.contains("> \"") || prog.contains(">\"") || prog.contains(">> ") {
        sh.add(Mutating, format!("{cmd} writes files from awk"));
    } else {
        sh.add(Read, format!("{cmd} transforms text"));
    }
    let _ = run_script;
    out
}

/// Decodes base64 (standard or URL alphabet, whitespace ignored).
pub(crate) fn base64_decode(s: &str) -> Option<String> {
    let mut bits = 0u32;
    let mut n = 0u32;
    let mut out = Vec::new();
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        let v = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '+' | '-' => 62,
            '/' | '_' => 63,
            '=' => break,
            _ => return None,
        };
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push(((bits >> n) & 0xff) as u8);
        }
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

/// Decodes plain hex (`xxd -r -p`).
pub(crate) fn hex_decode(s: &str) -> Option<String> {
    let digits: Vec<u32> = s
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_digit(16))
        .collect::<Option<_>>()?;
    let bytes: Vec<u8> = digits
        .chunks(2)
        .map(|p| p.iter().fold(0u32, |a, d| a * 16 + d) as u8)
        .collect();
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoders() {
        assert_eq!(
            base64_decode("cm0gLXJmIC90bXAvYXQtdmljdGlt").as_deref(),
            Some("rm -rf /tmp/at-victim")
        );
        assert_eq!(hex_decode("726d").as_deref(), Some("rm"));
    }
}
