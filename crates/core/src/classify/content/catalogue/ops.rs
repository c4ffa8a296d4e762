//! Operations CLIs whose subcommands decide the effect: process managers, ansible ad-hoc
//! modules (their `-a` text is a command line for `shell`/`command`), rclone, Kafka tools and
//! the GitHub CLI.

use super::super::args::{has_long, has_short, opt_value, sensitive_path, sub};
use super::super::http;
use super::super::shell::Sh;
use crate::Effect::{self, Admin, Destructive, Mutating, Read};

#[path = "ops_clis.rs"]
mod clis;
#[path = "ops_dbus.rs"]
mod dbus;
#[path = "ops_local.rs"]
mod local;
use clis::{command_word, hg_config};

/// The effect of one operations command and why.
pub(crate) fn run(sh: &mut Sh, name: &str, args: &[String]) -> (Effect, String) {
    match name {
        "pm2" | "supervisorctl" | "pg_ctl" | "pg_ctlcluster" | "forever" | "rc-service" | "sv"
        | "monit" | "circusctl" => process_manager(sh, name, args),
        "borg" | "restic" | "kopia" | "duplicity" | "rabbitmqctl" | "rabbitmq-plugins"
        | "pg_dropcluster" | "pg_createcluster" | "pg_upgradecluster" | "kubeadm" | "nats" => {
            data_admin(name, args)
        }
        "hdfs" | "hadoop" | "hg" | "zkCli.sh" | "zkCli" | "zookeeper-shell"
        | "zookeeper-shell.sh" | "samba-tool" | "kcadm.sh" | "kcadm" | "openstack" => {
            if name == "hg" {
                hg_config(sh, args);
            }
            let (e, why) = command_word(name, args);
            // What the command word does not name is judged as an unknown program's
            // subcommand is (`openstack volume snapshot delete`), raising only; a read was
            // found at its place and stays (`hg log -r strip`).
            match super::super::tasks::unknown_subcommand(args) {
                Some((ue, uwhy)) if e != Read && ue.rank() > e.rank() => (ue, uwhy),
                _ => (e, why),
            }
        }
        "ansible" | "ansible-playbook" => ansible(sh, name, args),
        "rclone" => {
            local::rclone_local(sh, args);
            rclone(args)
        }
        "gh" => gh(sh, args),
        "busctl" | "dbus-send" | "gdbus" | "qdbus" => dbus::dbus(sh, name, args),
        "mysqlslap" => mysqlslap(sh, args),
        _ => kafka(name, args),
    }
}

/// `mysqlslap` runs its `--query` and `--create` SQL many times, and drops the schema it
/// worked in when done (`--create-schema=prod` drops prod) unless told `--no-drop`. MySQL
/// takes any unique prefix of a long option.
fn mysqlslap(sh: &mut Sh, args: &[String]) -> (Effect, String) {
    // As the mysql client reads long options: `_` as `-`, `--loose-` dropped.
    let args = super::super::dbclient::mysql_long_options(args);
    let args = args.as_slice();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (flag, value) = match a.split_once('=') {
            Some((f, v)) => (f, Some(v.to_string())),
            None => (a.as_str(), None),
        };
        // `--pre-system`/`--post-system` run a shell command before and after the test.
        if (flag.starts_with("--pre-s") || flag.starts_with("--post-s"))
            && let Some(text) = value.clone().or_else(|| it.clone().next().cloned())
        {
            sh.shell_text(&text, "`mysqlslap`");
        }
        let sql = [
            "-q",
            "--query",
            "--quer",
            "--que",
            "--qu",
            "--create",
            "--pre-query",
        ]
        .contains(&flag)
            || flag.starts_with("--post-q")
            || flag.starts_with("--pre-q");
        if sql && let Some(text) = value.or_else(|| it.next().cloned()) {
            sh.sql_text(&text, "`mysqlslap`");
        }
    }
    // `--create-schema=prod` or `--create-schema prod`.
    let schema = args.iter().enumerate().find_map(|(i, a)| {
        let (f, v) = match a.split_once('=') {
            Some((f, v)) => (f, Some(v)),
            None => (a.as_str(), args.get(i + 1).map(String::as_str)),
        };
        (f.len() >= 10 && "--create-schema".starts_with(f)).then_some(v.unwrap_or(""))
    });
    let keeps = args
        .iter()
        .any(|a| a.len() >= 6 && "--no-drop".starts_with(a.as_str()));
    match schema {
        _ if keeps => (Mutating, "runs a load test against the server".into()),
        Some(s) => (
            Destructive,
            format!("drops schema `{s}` when its load test ends (no `--no-drop`)"),
        ),
        None => (
            Mutating,
            "runs a load test in its own schema `mysqlslap`, dropped when done".into(),
        ),
    }
}

fn process_manager(sh: &mut Sh, name: &str, args: &[String]) -> (Effect, String) {
    // `pm2 start "bash -c '…'"`, `forever start -c sh x`: a started command line is analysed.
    if args.iter().any(|a| a == "start") {
        for a in args.iter().filter(|a| a.contains(' ')) {
            sh.shell_text(a, &format!("`{name} start`"));
        }
    }
    let words: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    // `pg_ctlcluster 16 main stop`, `rc-service nginx stop`: the verb is any word.
    let has = |w: &[&str]| words.iter().any(|x| w.contains(x));
    if has(&[
        "stop",
        "delete",
        "del",
        "kill",
        "remove",
        "shutdown",
        "stopall",
        "unstartup",
        "down",
        "exit",
        "flush",
        "clear",
        "cleanlogs",
        "restart",
        "reset",
        "quit",
        "unmonitor",
        "rm",
        "decrement",
    ]) {
        return (
            Destructive,
            format!("stops, restarts or removes managed processes (`{name}`)"),
        );
    }
    if has(&["promote", "startup", "init", "initdb"]) {
        return (Admin, format!("changes how processes start (`{name}`)"));
    }
    if words.is_empty()
        || has(&[
            "list",
            "ls",
            "status",
            "show",
            "describe",
            "logs",
            "monit",
            "info",
            "jlist",
            "prettylist",
            "avail",
            "pid",
            "tail",
            "maintail",
            "version",
            "help",
            "check",
            "summary",
            "report",
            "validate",
            "stats",
            "dstats",
        ])
    {
        return (Read, "reads process state".into());
    }
    (Mutating, format!("starts or reloads processes (`{name}`)"))
}

fn ansible(sh: &mut Sh, name: &str, args: &[String]) -> (Effect, String) {
    // What runs locally whatever the module, check mode included: ssh options, connection
    // and interpreter variables, inventory and vault-password scripts.
    local::ansible_local(sh, name, args);
    // Check mode proves nothing for a playbook: a task with `check_mode: false` runs for
    // real (and `ansible` ad hoc runs one module, which honours it).
    if (has_short(args, 'C') || has_long(args, "--check")) && name != "ansible-playbook" {
        return (Read, "runs in check mode (changes nothing)".into());
    }
    if args.iter().any(|a| {
        matches!(
            a.as_str(),
            "--syntax-check"
                | "--list-tasks"
                | "--list-hosts"
                | "--list-tags"
                | "--version"
                | "--help"
                | "-h"
        )
    }) {
        return (Read, "lists or checks".into());
    }
    if name == "ansible-playbook" {
        return (
            Mutating,
            "runs a playbook whose tasks are not visible".into(),
        );
    }
    let module = opt_value(args, &["-m"], &["--module-name"]).unwrap_or("command");
    let margs = opt_value(args, &["-a"], &["--args"]).unwrap_or("");
    let module = module.rsplit('.').next().unwrap_or(module);
    let kv = |k: &str| {
        margs
            .split_whitespace()
            .find_map(|p| p.strip_prefix(k)?.strip_prefix('='))
            .map(|v| v.trim_matches(['"', '\'']).to_ascii_lowercase())
    };
    let state = kv("state").unwrap_or_default();
    match module {
        "shell" | "command" | "raw" => {
            sh.shell_text(margs, &format!("`ansible -m {module}`"));
            (Mutating, format!("runs a command on hosts (`-m {module}`)"))
        }
        "win_shell" | "win_command" | "win_powershell" => {
            super::windows::powershell_text(sh, margs, &format!("`ansible -m {module}`"));
            (Mutating, format!("runs a command on hosts (`-m {module}`)"))
        }
        "script" => (Mutating, "runs a local script on hosts".into()),
        "service" | "systemd" | "systemd_service" | "sysvinit" | "win_service" => {
            if matches!(state.as_str(), "stopped" | "restarted")
                || kv("enabled").is_some_and(|v| v == "no" || v == "false")
                || kv("masked").is_some_and(|v| v == "yes" || v == "true")
            {
                (Destructive, "stops, restarts or disables a service".into())
            } else {
                (Admin, "changes services on hosts".into())
            }
        }
        "file" | "mysql_db" | "postgresql_db" | "docker_container" | "k8s" | "s3_bucket"
        | "apt" | "yum" | "dnf" | "package" | "pip" | "npm" | "win_file"
            if state == "absent" =>
        {
            (
                Destructive,
                format!("removes something (`-m {module} state=absent`)"),
            )
        }
        "reboot" | "win_reboot" => (Destructive, "reboots hosts".into()),
        "user" | "group" | "authorized_key" | "sudoers" | "mysql_user" | "postgresql_user"
        | "iptables" | "ufw" | "firewalld" | "selinux" | "sysctl" | "apt" | "yum" | "dnf"
        | "package" | "cron" => (
            Admin,
            format!("changes access or the system (`-m {module}`)"),
        ),
        // `setup -a fact_path=DIR` runs the executables in DIR; `fetch` writes its `dest` here.
        "setup" | "gather_facts" if margs.contains("fact_path") => (
            Mutating,
            "runs the fact scripts of a folder (`fact_path`)".into(),
        ),
        "ping" | "setup" | "debug" | "stat" | "slurp" | "find" | "gather_facts" => {
            (Read, format!("reads (`-m {module}`)"))
        }
        m if m.ends_with("_info") || m.ends_with("_facts") => (Read, format!("reads (`-m {m}`)")),
        _ => {
            if let Some(dest) = kv("dest").or_else(|| kv("path"))
                && let Some((e, why)) = sensitive_path(&dest)
            {
                return (e, format!("writes {why} on hosts"));
            }
            (Mutating, format!("changes hosts (`-m {module}`)"))
        }
    }
}

fn rclone(args: &[String]) -> (Effect, String) {
    // The subcommand and the dry-run flag as the `rclone:` row reads the line, so that the
    // verdict and `prove` agree (`rclone --exclude ls purge r:` purges; `--exclude -n` is
    // not a dry run).
    let scan = super::global_scan("rclone", args);
    let (s, rest) = match &scan {
        Some(scan) => {
            let s = scan.operands.first().map_or("", String::as_str);
            let at = args
                .iter()
                .position(|a| a == s)
                .map_or(args.len(), |i| i + 1);
            (s, args.get(at..).unwrap_or_default())
        }
        None => sub(
            args,
            &["--config", "--log-file", "--transfers", "--checkers"],
        ),
    };
    let dry = match &scan {
        Some(scan) => scan.has(&["-n"]),
        None => has_short(args, 'n') || has_long(args, "--dry-run"),
    };
    // `config` subcommands ignore `--dry-run`.
    if dry && s != "config" && !crate::classify::content::args::dry_run_cancelled(args) {
        return (Read, "dry-runs".into());
    }
    // `rclone copy ~/.ssh remote:loot`: credentials copied to remote storage.
    if matches!(
        s,
        "copy" | "copyto" | "move" | "moveto" | "sync" | "bisync" | "rcat" | "mount"
    ) && let Some(f) = rest
        .iter()
        .find(|a| !a.starts_with('-') && super::super::args::secret_path(a))
    {
        return (
            Admin,
            format!("copies the secrets in `{f}` to remote storage"),
        );
    }
    let verb = rest
        .iter()
        .find(|a| !a.starts_with('-'))
        .map_or("", String::as_str);
    match s {
        "sync" | "bisync" | "purge" | "delete" | "deletefile" | "rmdir" | "rmdirs" | "cleanup"
        | "dedupe" => (Destructive, format!("deletes remote files (`rclone {s}`)")),
        "config" => match verb {
            "show" | "file" | "paths" | "providers" | "dump" | "redacted" => {
                (Read, format!("reads the configuration (`config {verb}`)"))
            }
            "" => (
                Mutating,
                "opens the configuration menu (answers read from its input)".into(),
            ),
            _ => (
                Admin,
                format!("changes remote credentials (`config {verb}`)"),
            ),
        },
        "ls" | "lsd" | "lsl" | "lsf" | "lsjson" | "cat" | "size" | "about" | "check" | "md5sum"
        | "sha1sum" | "hashsum" | "tree" | "version" | "listremotes" | "ncdu" | "help" | "" => {
            (Read, "reads".into())
        }
        _ => (Mutating, format!("copies or moves files (`rclone {s}`)")),
    }
}

fn kafka(name: &str, args: &[String]) -> (Effect, String) {
    let flag = |f: &str| args.iter().any(|a| a == f);
    let tool = name.trim_end_matches(".sh");
    // `kafka-delete-records` deletes records up to an offset; `kafka-storage format` formats
    // a broker's log directories.
    if tool == "kafka-delete-records" {
        return (Destructive, "deletes records from partitions".into());
    }
    if tool == "kafka-storage" {
        let verb = args
            .iter()
            .find(|a| !a.starts_with('-'))
            .map_or("", String::as_str);
        return match verb {
            "format" => (Destructive, "formats the broker's storage".into()),
            "info" | "random-uuid" | "" => (Read, "reads storage information".into()),
            _ => (Mutating, "changes Kafka storage".into()),
        };
    }
    if flag("--delete") || flag("--delete-offsets") {
        return (Destructive, "deletes topics, groups or offsets".into());
    }
    // Kafka's option parser takes unique abbreviations (`--exe`, `--execu`).
    let execute = args
        .iter()
        .any(|a| a.len() >= 5 && "--execute".starts_with(a.as_str()));
    if flag("--reset-offsets") && execute {
        return (Destructive, "resets consumer offsets".into());
    }
    // Without `--execute` a reset is only planned and printed (`--dry-run` is the default).
    if flag("--reset-offsets") {
        return (Read, "plans an offset reset (no `--execute`)".into());
    }
    if args
        .iter()
        .any(|a| a.contains("retention.ms") || a.contains("retention.bytes"))
        && (flag("--alter") || flag("--add-config"))
    {
        return (Destructive, "changes retention (can purge data)".into());
    }
    if flag("--add") || flag("--remove") {
        return (Admin, "changes ACLs".into());
    }
    if flag("--list") || flag("--describe") || flag("--help") || flag("--version") {
        return (Read, "reads".into());
    }
    (Mutating, "changes Kafka topics or settings".into())
}

fn gh(sh: &mut Sh, args: &[String]) -> (Effect, String) {
    let (s, rest) = sub(args, &["-R", "--repo", "--hostname"]);
    // The repository option may follow the command word too (`gh repo --repo o/r transfer`):
    // its value is no verb (the twentieth sets).
    let verb = rest
        .iter()
        .enumerate()
        .find(|(i, a)| {
            !a.starts_with('-')
                && !i
                    .checked_sub(1)
                    .and_then(|p| rest.get(p))
                    .is_some_and(|p| matches!(p.as_str(), "-R" | "--repo" | "--hostname"))
        })
        .map_or("", |(_, a)| a.as_str());
    match s {
        // `gh api graphql -f query='…'`: the document decides (a query reads, a mutation is
        // judged by its fields); a document from a file (`query=@f`, `--input`) is not seen.
        "api"
            if rest.iter().any(|a| a == "graphql")
                && opt_value(rest, &["-X"], &["--method", "--input"]).is_none() =>
        {
            let docs: Vec<&str> = rest
                .windows(2)
                .filter(|w| {
                    w.first().is_some_and(|f| {
                        matches!(f.as_str(), "-f" | "-F" | "--field" | "--raw-field")
                    })
                })
                .filter_map(|w| w.get(1)?.strip_prefix("query="))
                .chain(rest.iter().filter_map(|a| {
                    a.strip_prefix("--raw-field=query=")
                        .or_else(|| a.strip_prefix("--field=query="))
                        .or_else(|| a.strip_prefix("-fquery="))
                        .or_else(|| a.strip_prefix("-Fquery="))
                }))
                .collect();
            let seen = !docs.is_empty()
                && docs.iter().all(|d| {
                    !d.starts_with('@')
                        && sh.ctx.via("`gh api graphql`", |ctx| {
                            super::super::graphql::analyse(ctx, d)
                        })
                });
            if seen {
                (
                    Read,
                    "sends a GraphQL document to the GitHub API (judged by its operations)".into(),
                )
            } else {
                (
                    Mutating,
                    "sends a GraphQL document that is not visible".into(),
                )
            }
        }
        "api" => {
            let method = opt_value(rest, &["-X"], &["--method"])
                .map(str::to_ascii_uppercase)
                .unwrap_or_else(|| {
                    let body =
                        opt_value(rest, &["-f", "-F"], &["--field", "--raw-field", "--input"]);
                    if body.is_some() { "POST" } else { "GET" }.to_string()
                });
            let path = rest
                .iter()
                .find(|a| !a.starts_with('-') && a.contains('/'))
                .map_or("", String::as_str);
            let (e, why) = http::method_effect(&method, path);
            // `-F private=false`, `-f visibility=public`: the repository opens to everyone.
            let opens = method != "GET"
                && rest.iter().any(|a| {
                    let field = a
                        .trim_start_matches("--raw-field=")
                        .trim_start_matches("--field=");
                    matches!(
                        field.to_ascii_lowercase().as_str(),
                        "private=false" | "visibility=public"
                    )
                });
            if opens {
                return (
                    Admin,
                    "makes a repository public through the GitHub API".into(),
                );
            }
            // `-F force=true` on a ref (`git/refs/heads/main`) moves it anywhere: commits
            // can be lost, as with `git push --force`.
            let forced = method != "GET"
                && path.to_ascii_lowercase().contains("git/refs")
                && rest.iter().any(|a| {
                    let field = a
                        .trim_start_matches("--raw-field=")
                        .trim_start_matches("--field=")
                        .trim_start_matches("-f")
                        .trim_start_matches("-F");
                    // `force=1`, `force=yes`: gh sends them as true (the twentieth sets).
                    field
                        .get(..6)
                        .is_some_and(|k| k.eq_ignore_ascii_case("force="))
                        && field.get(6..).is_some_and(|v| {
                            matches!(
                                v.to_ascii_lowercase().as_str(),
                                "true" | "1" | "yes" | "on" | "t" | "y"
                            )
                        })
                });
            if forced {
                return (
                    Destructive,
                    "force-updates a git ref through the GitHub API (commits can be lost)".into(),
                );
            }
            (e, format!("sends `{method}` to the GitHub API ({why})"))
        }
        // Listing keys and secrets shows names, and `auth status` the login, not the token
        // (unless `--show-token`/`-t`); `auth token` prints the token itself.
        "auth" | "secret" | "ssh-key" | "gpg-key"
            if matches!(verb, "status" | "list" | "ls")
                && !rest.iter().any(|r| r == "-t" || r.starts_with("--show-t")) =>
        {
            (Read, format!("lists (`gh {s} {verb}`)"))
        }
        "auth" | "secret" | "ssh-key" | "gpg-key" => (Admin, format!("changes access (`gh {s}`)")),
        _ if ["delete", "archive", "cancel", "remove", "disable"]
            .iter()
            .any(|v| verb.starts_with(v)) =>
        {
            (Destructive, format!("deletes or cancels (`gh {s} {verb}`)"))
        }
        // A repository given to another owner: its access moves with it.
        "repo" if verb == "transfer" => (
            Admin,
            "transfers a repository to another owner (`gh repo transfer`)".into(),
        ),
        "repo" if verb == "edit" && rest.iter().any(|r| r.starts_with("--visibility")) => {
            (Admin, "changes repository visibility".into())
        }
        _ if matches!(
            verb,
            "list" | "view" | "status" | "diff" | "checks" | "watch" | "download" | ""
        ) || matches!(s, "search" | "browse" | "status" | "help" | "version" | "") =>
        {
            (Read, "reads".into())
        }
        _ => (
            Mutating,
            format!("changes GitHub resources (`gh {s} {verb}`)"),
        ),
    }
}

/// Backup repositories (`borg`, `restic`, `kopia`, `duplicity`), RabbitMQ and PostgreSQL
/// cluster tools: deleting, pruning or purging loses data; listing reads; anything else is
/// at least a write.
fn data_admin(name: &str, args: &[String]) -> (Effect, String) {
    if name == "pg_dropcluster" {
        return (
            Destructive,
            "drops a PostgreSQL cluster and its data".into(),
        );
    }
    let words: Vec<String> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(|a| a.to_ascii_lowercase())
        .collect();
    let has = |w: &[&str]| {
        words.iter().any(|x| {
            w.iter().any(|v| {
                x == v || x.starts_with(&format!("{v}_")) || x.starts_with(&format!("{v}-"))
            })
        })
    };
    if has(&[
        "delete",
        "prune",
        "forget",
        "purge",
        "compact",
        "remove",
        "rm",
        "del",
        "reset",
        "force_reset",
        "stop_app",
        "stop",
        "forget_cluster_node",
        "close_all_connections",
        "clear",
        "eval",
        "cleanup",
        "disable",
    ]) {
        return (
            Destructive,
            format!("deletes, prunes or stops data it manages (`{name}`)"),
        );
    }
    // `kubeadm token create`, `nats auth user add`: credentials handed out.
    if matches!(name, "kubeadm" | "nats")
        && has(&["token", "auth", "creds", "certs", "kubeconfig"])
        && !has(&["list", "ls", "info"])
    {
        return (Admin, format!("issues or changes credentials (`{name}`)"));
    }
    if has(&[
        "add_user",
        "set_permissions",
        "set_user_tags",
        "change_password",
        "key",
        "enable",
    ]) {
        return (Admin, format!("changes access or plugins (`{name}`)"));
    }
    let reads = [
        "list",
        "ls",
        "info",
        "snapshots",
        "check",
        "status",
        "stats",
        "diff",
        "find",
        "collection-status",
        "list-current-files",
        "environment",
        "report",
        "cluster_status",
        "version",
        "help",
    ];
    // Read only when the subcommand (the first plain word) reads and no other flag is given
    // (a flag could write, `--output`, or run a command, `--password-command`); its other
    // words are operands (`list_queues name messages`). A backup tool's repository and
    // filters (`restic -r s3:… snapshots --no-lock`) and output switches are not such flags.
    const VALUED: &[&str] = &[
        "-r",
        "--repo",
        "--repository",
        "-p",
        "--password-file",
        "--host",
        "--tag",
        "--path",
    ];
    const SHOWS: &[&str] = &[
        "--no-lock",
        "--json",
        "-q",
        "--quiet",
        "-v",
        "--verbose",
        "--compact",
    ];
    let backup = matches!(name, "restic" | "borg" | "kopia");
    let mut plain: Vec<String> = Vec::new();
    let mut other_flag = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        // (`-p` is restic's password file, borg's `--progress`.)
        if backup && VALUED.contains(&a.as_str()) && (a != "-p" || name == "restic") {
            it.next();
        } else if a.starts_with('-') {
            // (`duplicity -v` takes a value: the switches are the backup tools' own.)
            other_flag |= !(backup && SHOWS.contains(&a.as_str()));
        } else {
            plain.push(a.to_ascii_lowercase());
        }
    }
    // `nats stream info ORDERS`: a noun, then the verb.
    const NATS_NOUNS: &[&str] = &["stream", "str", "consumer", "con", "kv", "object", "obj"];
    let nats_noun = name == "nats"
        && plain
            .first()
            .is_some_and(|w| NATS_NOUNS.contains(&w.as_str()));
    let subcommand = plain
        .get(usize::from(nats_noun))
        .map(String::as_str)
        .unwrap_or("");
    let read_sub = reads
        .iter()
        .any(|r| subcommand == *r || subcommand.starts_with(&format!("{r}_")));
    if read_sub && !other_flag {
        return (Read, format!("reads (`{name} {subcommand}`)"));
    }
    (
        Mutating,
        format!("changes backups, queues or clusters (`{name}`)"),
    )
}

/// Service-manager verbs the subcommand list does not name: sleeping or freezing the
/// machine or a unit, removing a unit's state (`systemctl clean`), and changing the
/// environment or presets every unit starts with (`set-environment LD_PRELOAD=…`).
/// `launchctl submit` installs a job, `kickstart -k` kills one, `asuser` runs a command.
pub(crate) fn service_extra(sh: &mut Sh, name: &str, args: &[String], cmd: &str) {
    let words: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    let has = |w: &[&str]| words.iter().any(|x| w.contains(x));
    match name {
        "systemctl" => {
            if has(&[
                "suspend",
                "hibernate",
                "hybrid-sleep",
                "suspend-then-hibernate",
                "soft-reboot",
                "switch-root",
                "freeze",
                "clean",
                "exit",
            ]) {
                sh.add(
                    Destructive,
                    format!("{cmd} stops the machine or units, or removes their state"),
                );
            }
            if has(&[
                "set-environment",
                "unset-environment",
                "import-environment",
                "preset",
                "preset-all",
                "add-wants",
                "add-requires",
                "revert",
            ]) {
                sh.add(
                    Admin,
                    format!("{cmd} changes what every unit starts with or which units start"),
                );
            }
        }
        "launchctl" => {
            if has(&["submit", "setenv", "unsetenv", "config"]) {
                sh.add(
                    Admin,
                    format!("{cmd} installs a job or changes its environment"),
                );
            }
            if has(&["kickstart"]) && args.iter().any(|a| a == "-k") {
                sh.add(Destructive, format!("{cmd} kills and restarts a service"));
            }
            if let Some(i) = args.iter().position(|a| a == "asuser" || a == "bsexec") {
                let inner = args.get(i + 2..).unwrap_or_default().to_vec();
                let _ = sh.argv(
                    &inner,
                    &super::super::shell::Input::None,
                    "`launchctl asuser`",
                );
            }
        }
        _ => {}
    }
}
