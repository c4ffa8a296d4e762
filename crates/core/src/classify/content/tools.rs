//! Programs with their own subcommand grammar: git, kubectl, helm, terraform, cloud CLIs,
//! docker, package managers, build tools, HTTP clients and database clients.

use super::args::{has_long, has_short, opt_value, opt_values, sensitive_path};
use super::devops::{cloud, docker, git, kubectl};
use super::shell::{Input, Sh};
use crate::Effect::{self, Admin, Destructive, Mutating, Read};

mod curl_opts;
mod find_awk;
mod find_glob;
mod http_client;
mod http_query;
mod packages;
pub(crate) use find_awk::{awk, find};
use http_client::http_client;
use packages::{config_effect, env_effect, gem_command, outside_registry};

/// True if the program has a subcommand grammar judged here.
#[allow(dead_code)] // part of the interface other analysers call
pub(crate) fn is_tool(n: &str) -> bool {
    use super::catalogue::Handler as H;
    super::catalogue::handler_of(n).is_some_and(|h| {
        !matches!(
            h,
            H::None | H::Wrapper | H::Shell | H::Interpreter | H::Cmdlet | H::CmdBuiltin
        )
    })
}

pub(crate) use super::args::{any, sub};

pub(crate) fn run(sh: &mut Sh, name: &str, args: &[String], stdin: &Input, cmd: &str) -> Input {
    let out = Input::output_of(name);
    let (e, why): (Effect, String) = match name {
        "git" => {
            // `git apply`/`git am` with the patch on their input (a here document): each file
            // it changes is judged.
            if let Input::Literal(text) = stdin
                && matches!(sub(args, &["-C", "-c"]).0, "apply" | "am")
                && (super::patch::holds_diff(text) || super::patch::is_patch(text))
                && (any(args, &["--apply"])
                    || !any(args, &["--check", "--stat", "--numstat", "--summary"]))
            {
                // `-R`, `-vR`, `--reverse` (and its prefixes, `--rev`).
                let reverse = args.iter().any(|a| {
                    (a.starts_with('-') && !a.starts_with("--") && a.contains('R'))
                        || (a.len() >= 5 && "--reverse".starts_with(a.as_str()))
                });
                if reverse {
                    super::patch::run(sh, &super::patch::reversed(text), cmd);
                } else {
                    super::patch::run(sh, text, cmd);
                }
            }
            git(sh, args)
        }
        "kubectl" | "oc" | "k" => kubectl(sh, args, stdin),
        "helm" => {
            let (s, _) = sub(args, &["-n", "--namespace", "--kube-context"]);
            // `--post-renderer CMD` runs a local program on the rendered manifests.
            if let Some(c) = opt_value(args, &[], &["--post-renderer"]) {
                sh.shell_text(c, "`helm --post-renderer`");
            }
            // `--dry-run` (`=client`/`=server`/`=true`) simulates: nothing is removed or
            // deployed (`--post-renderer` above still runs).
            let dry = !super::args::dry_run_cancelled(args)
                && args.iter().any(|a| {
                    a == "--dry-run" || a.strip_prefix("--dry-run=").is_some_and(|v| v != "false")
                });
            match s {
                "uninstall" | "delete" | "del" | "un" | "install" | "upgrade" | "rollback"
                    if dry =>
                {
                    (Read, format!("simulates `helm {s}` (`--dry-run`)"))
                }
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
                // `terraform fmt` rewrites the files unless it only checks.
                "fmt" if !any(rest, &["-check", "-write=false", "--check"]) => {
                    (Mutating, "reformats configuration files".into())
                }
                "plan" | "show" | "validate" | "fmt" | "output" | "state" | "graph"
                | "providers" | "version" | "workspace" | "console" | "" => {
                    (Read, "reads or plans".into())
                }
                _ => (Mutating, format!("runs `{name} {s}`")),
            }
        }
        "pulumi" | "cdk" | "cdktf" | "serverless" | "sls" => {
            let (s, rest) = sub(args, &["-s", "--stack", "-C", "--cwd"]);
            match s {
                "destroy" | "down" | "remove" => (Destructive, "destroys infrastructure".into()),
                "deploy" => (Admin, "deploys infrastructure".into()),
                "stack" if any(rest, &["rm"]) => (Destructive, "removes a stack".into()),
                "state" if any(rest, &["delete", "unprotect"]) => {
                    (Destructive, "removes resources from the state".into())
                }
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
        // `lxc exec NAME -- CMD`: CMD runs in the container or VM.
        "lxc" | "incus" if after_dashes(sh, args, "exec", &format!("`{name} exec`")) => {
            cloud(sh, name, args)
        }
        // `devcontainer exec [OPTIONS] CMD ARGS`: CMD runs in the project's dev container.
        "devcontainer" => devcontainer(sh, args),
        // `etcdctl watch KEY -- CMD ARGS` runs CMD on every change of KEY.
        "etcdctl" if after_dashes(sh, args, "watch", "`etcdctl watch --`") => {
            (Mutating, "runs a command on every change of a key".into())
        }
        "aws" | "gcloud" | "az" | "gsutil" | "doctl" | "s3cmd" | "heroku" | "vercel"
        | "netlify" | "fly" | "flyctl" | "wrangler" | "firebase" | "supabase" | "eksctl"
        | "argocd" | "flux" | "vault" | "consul" | "nomad" | "glab" | "sf" | "sfdx"
        | "minikube" | "kind" | "skaffold" | "kustomize" | "vagrant" | "packer" | "lxc"
        | "virsh" | "etcdctl" | "influx" | "docker-machine" | "crictl" | "ctr" | "btrfs"
        | "azcopy" | "b2" | "mc" => cloud(sh, name, args),
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
        "pip" | "pip3" | "pipx" | "uv" | "poetry" | "gem" | "composer" | "conda" | "mamba"
        | "twine" => {
            let (s, _) = sub(args, &["-r", "--python", "-C"]);
            let fetches = matches!(s, "install" | "add" | "run" | "download" | "sync" | "wheel")
                || (name == "uv" && matches!(s, "pip" | "tool"));
            match s {
                _ if fetches && let Some(from) = outside_registry(args, false) => (
                    Admin,
                    format!("installs code from `{from}`, outside the package registry"),
                ),
                "uninstall" | "remove" => (Destructive, "uninstalls packages".into()),
                // `poetry publish --dry-run`, `uv publish --dry-run`: everything but the upload.
                "publish" if matches!(name, "poetry" | "uv") && any(args, &["--dry-run"]) => (
                    Mutating,
                    format!("checks a package for publishing (`{name} {s} --dry-run`)"),
                ),
                "publish" | "upload" => (Admin, format!("publishes packages (`{name} {s}`)")),
                // RubyGems takes any unambiguous prefix of a command (`gem yan`).
                _ if name == "gem" && gem_command(s, "yank", 1) => (
                    Destructive,
                    "withdraws a published version (`gem yank`)".into(),
                ),
                _ if name == "gem" && gem_command(s, "push", 2) => {
                    (Admin, "publishes a gem (`gem push`)".into())
                }
                _ if name == "gem"
                    && gem_command(s, "owner", 2)
                    && any(args, &["-a", "--add", "-r", "--remove"]) =>
                {
                    (Admin, "changes a gem's owners (`gem owner`)".into())
                }
                _ if name == "gem" && gem_command(s, "owner", 2) => {
                    (Read, "lists a gem's owners".into())
                }
                "env" => env_effect(name, args),
                "config" => config_effect(name, args),
                "list" | "show" | "freeze" | "check" | "search" | "outdated" | "info" | "tree"
                | "--version" | "help" | "" => (Read, "reads".into()),
                "run" | "exec" => {
                    launched(sh, name, args);
                    (Mutating, "runs a project command".into())
                }
                _ => (Mutating, format!("installs or changes packages (`{s}`)")),
            }
        }
        "npm" | "yarn" | "pnpm" => {
            let (s, rest) = sub(
                args,
                &[
                    "--prefix",
                    "-w",
                    "--workspace",
                    "-C",
                    "--filter",
                    "--registry",
                    "--userconfig",
                    "--cache",
                    "--loglevel",
                    "--otp",
                ],
            );
            // `yarn npm publish` (Yarn 2+): npm's registry commands under `yarn npm`.
            let (s, rest) = match (name, s, rest.split_first()) {
                ("yarn", "npm", Some((inner, after))) => (inner.as_str(), after),
                _ => (s, rest),
            };
            // `npm explore PKG -- CMD` runs CMD in the package's folder.
            if s == "explore"
                && let Some(d) = rest.iter().position(|a| a == "--")
                && let Some(argv) = rest.get(d + 1..).filter(|a| !a.is_empty())
            {
                super::wrappers::run_argv(sh, argv, &Input::None, &format!("`{name} explore`"));
            }
            // `npm exec -c CMD` runs CMD in a shell.
            if matches!(s, "exec" | "x" | "dlx")
                && let Some(c) = opt_value(rest, &["-c"], &["--call"])
            {
                sh.shell_text(c, &format!("`{name} {s} -c`"));
            } else if matches!(s, "exec" | "x" | "dlx") {
                // `pnpm dlx rimraf /data`, `npm exec -- pkg …`: a package's program run as
                // `npx` runs it.
                let argv: Vec<String> = rest.iter().filter(|a| *a != "--").cloned().collect();
                let _ = super::wrappers::wrapper(sh, "npx", &argv, stdin, cmd);
            }
            // `npm pkg set scripts.postinstall="curl … | sh"`: a command npm runs later.
            if s == "pkg" && rest.first().is_some_and(|v| v == "set") {
                for (key, value) in rest.iter().filter_map(|a| a.split_once('=')) {
                    if key.starts_with("scripts.") {
                        sh.shell_text(value, &format!("`{name} pkg set {key}`"));
                    }
                }
            }
            let dry_run = packages::last_dry_run(args);
            let installs = packages::npm_installs(s);
            match s {
                _ if installs && let Some(from) = outside_registry(args, true) => (
                    Admin,
                    format!("installs code from `{from}`, outside the package registry"),
                ),
                "uninstall" | "remove" | "rm" | "un" | "unpublish" | "prune" | "dedupe" => {
                    (Destructive, format!("removes packages (`{s}`)"))
                }
                "publish" if dry_run => (
                    Mutating,
                    "packs the package and runs its scripts (`publish --dry-run`)".into(),
                ),
                "cache" if any(rest, &["clean"]) => (Destructive, "clears the cache".into()),
                "publish" | "deprecate" | "owner" | "access" | "adduser" | "login" | "token"
                | "dist-tag" => (Admin, format!("publishes or changes access (`{s}`)")),
                "config" => config_effect(name, rest),
                "audit" if any(rest, &["fix", "--fix"]) => {
                    (Mutating, format!("changes installed packages (`{s} fix`)"))
                }
                "ls" | "list" | "view" | "info" | "show" | "outdated" | "audit" | "search"
                | "why" | "explain" | "--version" | "-v" | "version" | "help" | "root" | "bin"
                | "doctor" | "whoami"
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
            if name == "go" && s == "run" {
                super::tasks::go_run_written(sh, args);
            }
            // `go vet -toolexec CMD`, `-vettool PROG`, `-exec PROG`: a program run on every
            // step, even of a listing or a vet.
            let go_runs = opt_values(args, &[], &["-toolexec", "--toolexec", "-vettool", "-exec"]);
            let go_runs_any = name == "go" && !go_runs.is_empty();
            if go_runs_any {
                for c in go_runs {
                    sh.shell_text(c, &format!("`go {s}`"));
                }
            }
            // `cargo --config 'build.rustc="/tmp/x"'` (or a config file): cargo runs what
            // the configuration names (`rustc`, `rustc-wrapper`, a target's `runner`).
            let cargo_config = name == "cargo"
                && opt_values(args, &[], &["--config"]).iter().any(|c| {
                    let c = c.to_ascii_lowercase();
                    !c.contains('=')
                        || [
                            "rustc",
                            "runner",
                            "linker",
                            "wrapper",
                            "alias",
                            "credential",
                        ]
                        .iter()
                        .any(|w| c.contains(w))
                });
            match s {
                _ if go_runs_any => (Mutating, "runs a program on each build step".into()),
                _ if cargo_config => (Mutating, "runs programs its `--config` names".into()),
                "" if args.iter().all(|a| {
                    matches!(
                        a.as_str(),
                        "--version" | "-V" | "--help" | "-h" | "--list" | "-vV"
                    )
                }) =>
                {
                    (Read, "prints its version or help".into())
                }
                "clean" => (Mutating, "removes build outputs".into()),
                "env" if name == "go" && any(args, &["-w", "-u"]) => {
                    (Mutating, "changes Go's settings (`go env -w`)".into())
                }
                "metadata" | "tree" | "search" | "version" | "--version" | "-V" | "env"
                | "list" | "vet" | "doc"
                    if name != "cargo" || s != "doc" =>
                {
                    (Read, "reads".into())
                }
                "publish" if name == "cargo" && any(args, &["--dry-run", "-n"]) => (
                    Mutating,
                    "builds the crate, runs its build script (`publish --dry-run`)".into(),
                ),
                "publish" | "yank" | "owner" | "login" => {
                    (Admin, format!("publishes or changes access (`{s}`)"))
                }
                "install"
                    if name == "cargo"
                        && let Some(from) = outside_registry(args, false) =>
                {
                    (
                        Admin,
                        format!("installs code from `{from}`, outside the package registry"),
                    )
                }
                "nuget" if any(args, &["delete"]) => (
                    Destructive,
                    "deletes a published package (`dotnet nuget delete`)".into(),
                ),
                "nuget" if any(args, &["push"]) => {
                    (Admin, "publishes a package (`dotnet nuget push`)".into())
                }
                _ => (Mutating, format!("builds or runs code (`{name} {s}`)")),
            }
        }
        "make" | "gmake" | "just" | "rake" | "gradle" | "gradlew" | "mvn" | "ansible-runner"
        | "pytest" | "jest" | "tox" | "nox" => {
            // Only printing help or the version is proven read. Listing and dry runs are
            // not: `make -n` still runs `+` recipes and `$(MAKE)`, `pytest --collect-only`
            // imports the tests, `rake -T` and `gradle --dry-run` evaluate the build files,
            // and `-l`/`-n` mean other things to other tools (`make -l 2`, `pytest -n 4`).
            if matches!(name, "make" | "gmake") {
                super::tasks::written_recipes(sh, name, args, stdin);
            }
            if !args.is_empty()
                && args
                    .iter()
                    .all(|a| matches!(a.as_str(), "--help" | "-h" | "--version" | "-V"))
            {
                (Read, "prints help or its version".into())
            } else if let Some(goal) = packages::publishing_goal(name, args) {
                (Admin, format!("publishes artifacts (`{name} {goal}`)"))
            } else {
                (
                    Mutating,
                    format!("runs build recipes whose commands are not visible (`{name}`)"),
                )
            }
        }
        "apt" | "apt-get" | "yum" | "dnf" | "brew" | "apk" | "pacman" | "snap" | "zypper" => {
            let (s, _) = sub(args, &["-o", "-c", "-t"]);
            // apt's simulation prints what it would do and changes nothing; `-o`/`-c` could
            // set hooks, so they keep the verb's effect.
            let apt = matches!(name, "apt" | "apt-get");
            // `yum/dnf --assumeno` answers no to the transaction: nothing is changed.
            let declines = matches!(name, "yum" | "dnf") && any(args, &["--assumeno"]);
            let simulates = apt
                && (has_short(args, 's')
                    || any(
                        args,
                        &[
                            "--simulate",
                            "--just-print",
                            "--dry-run",
                            "--recon",
                            "--no-act",
                        ],
                    ))
                && !args.iter().any(|a| {
                    a.starts_with("-o")
                        || a.starts_with("-c")
                        || a.starts_with("--option")
                        || a.starts_with("--config-file")
                });
            match s {
                _ if simulates || declines => (Read, format!("simulates `{name} {s}`")),
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
        "curl" | "wget" | "http" | "https" | "xh" => {
            return http_client(sh, name, args, stdin, cmd);
        }
        "psql" | "mysql" | "mariadb" | "sqlite3" | "sqlite" | "redis-cli" | "mongosh" | "mongo"
        | "clickhouse-client" | "duckdb" | "sqlcmd" | "cqlsh" | "bq" | "cockroach" | "snowsql"
        | "sqlplus" | "valkey-cli" | "keydb-cli" | "spark-sql" | "beeline" | "hive"
        | "impala-shell" | "trino" | "presto" => {
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
        // mysqldump's `-f` is `--force`; its output file (`-r`) is in its row.
        "mysqldump" => {
            let wheres = opt_values(args, &["-w"], &["--where"]);
            if wheres.iter().any(|w| {
                let w = w.to_ascii_lowercase();
                w.contains("outfile") || w.contains("dumpfile") || w.contains(';')
            }) {
                (
                    Mutating,
                    "puts a statement into the dump's query (`--where`)".into(),
                )
            } else {
                (Read, "dumps a database".into())
            }
        }
        "pg_dump" | "pg_dumpall" => {
            if opt_value(args, &["-f"], &["--file"]).is_some() {
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
            // `spctl --status` alone prints whether Gatekeeper is on.
            let status =
                name == "spctl" && !args.is_empty() && args.iter().all(|a| a == "--status");
            if status
                || any(
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
                )
            {
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
        _ => (
            Mutating,
            format!("runs `{name}` (no handler knows it: counts as a write)"),
        ),
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
    let guard = own_args(name, args).iter().find_map(|a| sensitive_path(a));
    if let (Some((ge, gwhy)), true) = (guard, e.is_write()) {
        sh.add(ge, format!("{cmd} changes {gwhy}"));
    }
    sh.add(e, format!("{cmd} {why}"));
    out
}

/// The arguments that are the tool's own: for a tool that runs a command inside a container
/// (`docker exec web cat /etc/hosts`, `lxc exec c1 -- …`), those before its verb. The inner
/// command is judged on its own, and the tool's own options (mounts) by the tool's rules.
fn own_args<'a>(name: &str, args: &'a [String]) -> &'a [String] {
    let verbs: &[&str] = match name {
        "docker" | "podman" | "nerdctl" | "docker-compose" => &["exec", "run"],
        "lxc" | "incus" | "devcontainer" => &["exec"],
        _ => return args,
    };
    match args.iter().position(|a| verbs.contains(&a.as_str())) {
        Some(i) => args.get(..i).unwrap_or(args),
        None => args,
    }
}

/// `TOOL … VERB … -- CMD ARGS` (`lxc exec c1 -- CMD`, `etcdctl watch k -- CMD`): CMD is
/// judged; false (nothing judged) when `VERB` is not before a `--`.
fn after_dashes(sh: &mut Sh, args: &[String], verb: &str, via: &str) -> bool {
    let Some(dashes) = args.iter().position(|a| a == "--") else {
        return false;
    };
    if !args
        .get(..dashes)
        .unwrap_or_default()
        .iter()
        .any(|a| a == verb)
    {
        return false;
    }
    let argv = args.get(dashes + 1..).unwrap_or_default();
    if !argv.is_empty() {
        super::wrappers::run_argv(sh, argv, &Input::None, via);
    }
    true
}

/// `devcontainer exec` judges the command it runs (options before it skipped with their
/// values); `--help`/`--version` only print; the rest build, start or configure containers.
fn devcontainer(sh: &mut Sh, args: &[String]) -> (Effect, String) {
    const VALUED: &[&str] = &[
        "--workspace-folder",
        "--container-id",
        "--id-label",
        "--config",
        "--override-config",
        "--log-level",
        "--log-format",
        "--terminal-columns",
        "--terminal-rows",
        "--remote-env",
        "--docker-path",
        "--docker-compose-path",
        "--default-user-env-probe",
        "--container-data-folder",
        "--container-system-data-folder",
        "--user-data-folder",
    ];
    let (s, rest) = sub(args, &[]);
    match s {
        "exec" => {
            let argv = rest
                .get(super::args::first_operand(rest, VALUED)..)
                .unwrap_or_default();
            if !argv.is_empty() {
                super::wrappers::run_argv(sh, argv, &Input::None, "`devcontainer exec`");
            }
            (Mutating, "runs a command in a dev container".into())
        }
        _ if !args.is_empty() && args.iter().all(|a| a == "--help" || a == "--version") => {
            (Read, "prints help".into())
        }
        _ => (Mutating, format!("runs `devcontainer {s}`")),
    }
}

/// The command a package manager's `run`/`exec` starts (`poetry run CMD`, `uv run --with X
/// CMD`, `conda run -n base CMD`): judged as itself (a project script's name is a program
/// this classifier does not know). Options before it are skipped with their values.
fn launched(sh: &mut Sh, name: &str, args: &[String]) {
    const VALUED: &[&str] = &[
        "-n",
        "--name",
        "-p",
        "--prefix",
        "--with",
        "--python",
        "--from",
        "--cwd",
        "--env-file",
        "--package",
        "--group",
        "--extra",
        "-C",
        "--directory",
        "--project",
        "--index",
        "--with-requirements",
        "--only-group",
    ];
    let Some(at) = args.iter().position(|a| a == "run" || a == "exec") else {
        return;
    };
    let rest = args.get(at + 1..).unwrap_or_default();
    let start = match rest.iter().position(|a| a == "--") {
        Some(d) => d + 1,
        None => super::args::first_operand(rest, VALUED),
    };
    let argv = rest.get(start..).unwrap_or_default();
    if !argv.is_empty() {
        super::wrappers::run_argv(sh, argv, &Input::None, &format!("`{name} run`"));
    }
}

/// Decodes base64 (standard or URL alphabet, whitespace ignored).
pub(crate) fn base64_decode(s: &str) -> Option<String> {
    base64_bytes(s).map(|b| String::from_utf8_lossy(&b).into_owned())
}

/// Decodes base64 to bytes (standard or URL alphabet, whitespace ignored).
pub(crate) fn base64_bytes(s: &str) -> Option<Vec<u8>> {
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
    Some(out)
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
