//! The twenty-third sets' command rules (docs/classifier.md, "The twenty-third sets"):
//! infrastructure programs whose read runs what a directory or a file holds. A plan in a
//! temporary or download directory runs that directory's code (`terraform plan`'s external
//! data sources and provider binaries, `pulumi preview`'s program, an `ansible.cfg`, an
//! inventory script); a configuration file given by an option is the one its environment
//! variable names (`rclone --config` is `RCLONE_CONFIG`); OpenShift's `oc` runs commands in
//! a pod (`oc rsh`) and changes access (`oc adm policy`). Every rule only raises.

use super::super::args::opt_values;
use super::super::shell::{Input, Sh};
use super::super::workdir::{cd_untrusted, untrusted_dir};
use crate::Effect::{Admin, Destructive, Mutating};

pub(super) fn run(sh: &mut Sh, name: &str, args: &[String]) {
    // Every command passes here: others leave at the first byte compared.
    match name {
        // `vagrant status` loads the Vagrantfile, a Ruby program (the review).
        "terraform" | "tofu" | "terragrunt" | "pulumi" | "vagrant" => code_dir(sh, name, args),
        "ansible" | "ansible-playbook" | "ansible-inventory" | "ansible-console"
        | "ansible-pull" => ansible(sh, name, args),
        "rclone" | "docker" | "s3cmd" => config_option(sh, name, args),
        "oc" => openshift(sh, args),
        // `az rest --method delete --url …/resourceGroups/prod`: ARM's DELETE.
        "az" if args.first().is_some_and(|a| a == "rest")
            && opt_values(args, &["-m"], &["--method"])
                .iter()
                .any(|m| m.eq_ignore_ascii_case("delete")) =>
        {
            sh.add(Destructive, "`az rest` sends `DELETE`");
        }
        "consul" => consul_child(sh, args),
        "podman" if args.first().is_some_and(|a| a == "unshare") => {
            // `podman unshare CMD`: CMD runs in the rootless user namespace.
            let cmd: Vec<String> = args
                .iter()
                .skip(1)
                .skip_while(|a| a.starts_with('-'))
                .cloned()
                .collect();
            if !cmd.is_empty() {
                sh.argv(&cmd, &Input::None, "podman unshare");
            }
        }
        _ => {}
    }
}

/// `cd /tmp/x && terraform plan`, `terraform -chdir=/tmp/x plan`, `pulumi -C /tmp/x
/// preview`: the configuration there runs code when it is read (an `external` data source,
/// a provider binary in `.terraform/`, the Pulumi program), as a repository's config does
/// for git (the twentieth sets).
fn code_dir(sh: &mut Sh, name: &str, args: &[String]) {
    let (short, long): (&[&str], &[&str]) = match name {
        "pulumi" => (&["-C"], &["--cwd"]),
        "terragrunt" => (
            &[],
            &[
                "--terragrunt-working-dir",
                "--working-dir",
                "-chdir",
                "--chdir",
            ],
        ),
        _ => (&[], &["-chdir", "--chdir"]),
    };
    // The line's own text too: `-chdir="$TMPDIR/x"` is expanded before the words come here.
    let src = sh.source();
    let written = || {
        long.iter().find_map(|f| {
            src.match_indices(&format!("{f}=")).find_map(|(i, m)| {
                let w = src
                    .get(i + m.len()..)?
                    .split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | ')'))
                    .next()?
                    .replace(['"', '\''], "");
                untrusted_dir(&w).then_some(w)
            })
        })
    };
    let found = opt_values(args, short, long)
        .into_iter()
        .find(|d| untrusted_dir(d))
        .map(str::to_string)
        .or_else(written)
        .or_else(|| cd_untrusted(src));
    if let Some(d) = found {
        sh.add(
            Mutating,
            format!(
                "`{name}` works in `{d}`, a temporary or download directory whose configuration runs code when it is read"
            ),
        );
    }
}

/// Script endings: an inventory that is a program is run to list the hosts.
const SCRIPTS: &[&str] = &[".py", ".sh", ".bash", ".rb", ".pl", ".js", ".php", ".exe"];

/// ansible's inventory and playbook: an inventory script runs (`-i hosts.py`), and an
/// inventory, playbook or working directory in a temporary or download directory brings
/// its own `ansible.cfg`, variables (`ansible_ssh_common_args`, `ansible_python_interpreter`)
/// and plugins, as `ANSIBLE_INVENTORY` and `ANSIBLE_CONFIG` do.
fn ansible(sh: &mut Sh, name: &str, args: &[String]) {
    for inv in opt_values(args, &["-i"], &["--inventory", "--inventory-file"]) {
        // `-i web1,web2,` is a list of hosts, not a file.
        if inv.contains(',') {
            continue;
        }
        let lower = inv.to_ascii_lowercase();
        if SCRIPTS.iter().any(|s| lower.ends_with(s)) {
            sh.add(
                Mutating,
                format!("`{name}` runs the inventory script `{inv}` to list its hosts"),
            );
        } else if untrusted_dir(inv) {
            sh.add(
                Mutating,
                format!("`{name}` loads the inventory `{inv}` from a temporary or download directory (its variables choose what runs)"),
            );
        }
    }
    let playbook = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .find(|a| untrusted_dir(a) && (a.ends_with(".yml") || a.ends_with(".yaml")));
    let found = playbook.cloned().or_else(|| cd_untrusted(sh.source()));
    if let Some(d) = found {
        sh.add(
            Mutating,
            format!("`{name}` works from `{d}`, a temporary or download directory whose `ansible.cfg`, variables and plugins run code"),
        );
    }
}

/// A configuration file given by an option, as its environment variable gives it
/// (`RCLONE_CONFIG`, `DOCKER_CONFIG`; the twenty-third sets): rclone's remotes run commands
/// (`ssh`, `password_command`), docker's config names credential helpers and plugin hooks,
/// s3cmd's a `gpg_command`. The usual files are the user's own.
fn config_option(sh: &mut Sh, name: &str, args: &[String]) {
    let (values, usual): (Vec<&str>, &[&str]) = match name {
        "rclone" => (
            opt_values(args, &[], &["--config"]),
            &[
                "~/.config/rclone/rclone.conf",
                "$HOME/.config/rclone/rclone.conf",
                "${HOME}/.config/rclone/rclone.conf",
            ],
        ),
        "s3cmd" => (
            opt_values(args, &["-c"], &["--config"]),
            &["~/.s3cfg", "$HOME/.s3cfg", "${HOME}/.s3cfg"],
        ),
        // docker's `--config` is a global option: before the subcommand only (`docker
        // buildx create --config` is buildkit's).
        _ => {
            // Global options that take a value; the first other word is the subcommand.
            const VALUED: &[&str] = &[
                "--config",
                "-H",
                "--host",
                "-c",
                "--context",
                "-l",
                "--log-level",
                "--tlscacert",
                "--tlscert",
                "--tlskey",
            ];
            let mut end = 0;
            while let Some(a) = args.get(end) {
                if VALUED.contains(&a.as_str()) {
                    end += 2;
                } else if a.starts_with('-') {
                    end += 1;
                } else {
                    break;
                }
            }
            let end = end.min(args.len());
            (
                opt_values(args.get(..end).unwrap_or_default(), &[], &["--config"]),
                &["~/.docker", "$HOME/.docker", "${HOME}/.docker"],
            )
        }
    };
    if let Some(v) = values
        .into_iter()
        .find(|v| !usual.contains(&v.trim_end_matches('/')))
    {
        sh.add(
            Mutating,
            format!("`{name}` loads its configuration from `{v}`, which can run commands"),
        );
    }
}

/// OpenShift's own commands beside kubectl's: `oc rsh POD CMD` runs CMD in the pod, `oc adm
/// policy` and `oc adm groups` change who may do what, `oc adm prune … --confirm` deletes,
/// and `oc adm drain|cordon|uncordon|taint` are kubectl's node commands.
fn openshift(sh: &mut Sh, args: &[String]) {
    let Some(sub) = args.iter().position(|a| !a.starts_with('-')) else {
        return;
    };
    let rest = args.get(sub + 1..).unwrap_or_default();
    match args.get(sub).map(String::as_str) {
        Some("rsh") => {
            // `oc rsh [-c C] [-T] POD [CMD…]`
            let mut i = 0;
            while let Some(a) = rest.get(i) {
                if matches!(
                    a.as_str(),
                    "-c" | "--container" | "--shell" | "-n" | "--namespace"
                ) {
                    i += 2;
                } else if a.starts_with('-') {
                    i += 1;
                } else {
                    break;
                }
            }
            let cmd = rest.get(i + 1..).unwrap_or_default();
            if !cmd.is_empty() {
                sh.argv(cmd, &Input::None, "oc rsh");
            }
        }
        Some("adm") => {
            let word = rest
                .iter()
                .find(|a| !a.starts_with('-'))
                .map(String::as_str);
            match word {
                Some("policy" | "groups") => {
                    sh.add(Admin, "`oc adm` changes who may do what (roles, groups)");
                }
                Some("prune")
                    if rest
                        .iter()
                        .any(|a| a == "--confirm" || a == "--confirm=true") =>
                {
                    sh.add(Destructive, "`oc adm prune --confirm` deletes resources");
                }
                Some(w @ ("drain" | "cordon" | "uncordon" | "taint")) => {
                    let mut argv = vec!["kubectl".to_string(), w.to_string()];
                    argv.extend(rest.iter().skip_while(|a| a.as_str() != w).skip(1).cloned());
                    sh.argv(&argv, &Input::None, "oc adm");
                }
                _ => {}
            }
        }
        _ => {}
    }
}

/// `consul lock PREFIX CMD…` and `consul watch … CMD…` run CMD (one word is a shell line,
/// as consul runs it with `sh -c`).
fn consul_child(sh: &mut Sh, args: &[String]) {
    let skip = match args.first().map(String::as_str) {
        Some("lock") => 2,
        Some("watch") => 1,
        _ => return,
    };
    // Go flags: `-n=1` or `-n 1`; the valued ones of lock and watch take the next word.
    const VALUED: &[&str] = &[
        "n",
        "name",
        "timeout",
        "token",
        "token-file",
        "http-addr",
        "datacenter",
        "type",
        "key",
        "prefix",
        "service",
        "tag",
        "state",
        "event",
        "shell",
        "monitor-retry",
        "ca-file",
        "client-cert",
        "client-key",
        "tls-server-name",
    ];
    let mut i = 1;
    while let Some(a) = args.get(i) {
        if !a.starts_with('-') {
            break;
        }
        let valued = !a.contains('=') && VALUED.contains(&a.trim_start_matches('-'));
        i += if valued { 2 } else { 1 };
    }
    let child: Vec<String> = args.iter().skip(i + skip - 1).cloned().collect();
    match child.as_slice() {
        [] => {}
        [line] => sh.shell_text(line, "consul's child command"),
        words => {
            sh.argv(words, &Input::None, "consul's child command");
        }
    }
}
