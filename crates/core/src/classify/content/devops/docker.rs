//! Docker, Podman and nerdctl: subcommands, commands run in containers, host mounts and
//! files written on the host.

use super::super::args::{first_operand, harmless_sink, opt_value, sub};
use super::super::shell::{Input, Sh};
use crate::Effect::{self, Admin, Destructive, Mutating, Read};

pub(crate) fn docker(sh: &mut Sh, name: &str, args: &[String], stdin: &Input) -> (Effect, String) {
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
    const GROUPS: &[&str] = &[
        "container",
        "image",
        "volume",
        "network",
        "system",
        "builder",
        "pod",
        "machine",
        "manifest",
        "plugin",
        "context",
        "buildx",
        "secret",
        "config",
        "service",
        "stack",
        "node",
        "swarm",
    ];
    // `docker compose --dry-run …` shows what it would do and changes nothing (exact flag;
    // `--dry-run=false` is a real run).
    if s == "compose"
        && rest.iter().any(|a| a == "--dry-run")
        && !crate::classify::content::args::dry_run_cancelled(rest)
    {
        return (Read, "dry-runs `docker compose`".into());
    }
    let (s, rest) = if s == "compose" || GROUPS.contains(&s) {
        let (inner, r) = sub(rest, &["-f", "--file", "-p"]);
        match (s, inner) {
            (g, "prune" | "rm" | "remove" | "reset" | "leave" | "kill" | "stop")
                if GROUPS.contains(&g) =>
            {
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
    // Files written on this machine: `save`/`export -o FILE`, `cp CONTAINER:SRC DEST`.
    let host_write = match s {
        "save" | "export" => opt_value(rest, &["-o"], &["--output"]),
        "cp" => match rest
            .iter()
            .filter(|a| !a.starts_with('-'))
            .collect::<Vec<_>>()
            .as_slice()
        {
            [src, dest] if src.contains(':') && !dest.contains(':') => Some(dest.as_str()),
            _ => None,
        },
        _ => None,
    };
    if let Some(f) = host_write.filter(|f| !harmless_sink(f)) {
        sh.written.push((f.to_string(), None));
        if let Some((e, why)) = super::super::args::write_risk(f, false) {
            return (e, format!("writes `{f}`, {why}"));
        }
    }
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
                    || r == "--network=host"
                    || r == "--userns=host"
                    || r == "--ipc=host"
                    || r.starts_with("--cap-add")
                    || r.starts_with("--device")
                    || r.starts_with("--security-opt")
            }) || host_mounts(rest).any(|h| host_path_is_system(&h))
            {
                (
                    Admin,
                    "runs a privileged container or mounts the host".into(),
                )
            } else {
                (Mutating, format!("runs a container (`{name} {s}`)"))
            }
        }
        "ps" | "images" | "logs" | "inspect" | "version" | "info" | "stats" | "top" | "history"
        | "df" | "search" | "ls" | "config" | "port" | "diff" | "events" | "" => {
            (Read, "reads".into())
        }
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

/// The host side of the bind mounts of `docker run`: `-v HOST:CTR`, `-vHOST:CTR`,
/// `--volume[=]HOST:CTR`, `--mount type=bind,source=HOST,…` (`src=` too).
fn host_mounts(args: &[String]) -> impl Iterator<Item = String> + '_ {
    let mut it = args.iter().peekable();
    std::iter::from_fn(move || {
        loop {
            let a = it.next()?;
            let spec = match a.as_str() {
                "-v" | "--volume" | "--mount" => it.next().cloned(),
                _ => a
                    .strip_prefix("--volume=")
                    .or_else(|| a.strip_prefix("--mount="))
                    .or_else(|| a.strip_prefix("-v").filter(|v| !v.is_empty()))
                    .map(str::to_string),
            };
            let Some(spec) = spec else { continue };
            let host = if spec.contains("source=") || spec.contains("src=") {
                spec.split(',')
                    .find_map(|kv| {
                        kv.strip_prefix("source=")
                            .or_else(|| kv.strip_prefix("src="))
                    })
                    .map(str::to_string)
            } else {
                spec.split(':').next().map(str::to_string)
            };
            if let Some(h) = host {
                return Some(h);
            }
        }
    })
}

/// A host path whose mount into a container hands the container the machine: the root,
/// system directories, the container runtime's socket, credential stores.
fn host_path_is_system(host: &str) -> bool {
    const SYSTEM: &[&str] = &[
        "/etc", "/root", "/boot", "/proc", "/sys", "/dev", "/var", "/usr", "/bin", "/sbin", "/lib",
        "/lib64", "/run", "/home",
    ];
    let h = host.trim_end_matches('/');
    h.is_empty()
        || h.contains("docker.sock")
        || h.contains("containerd.sock")
        || h.contains("podman.sock")
        || SYSTEM.contains(&h)
        || super::super::args::sensitive_path(&format!("{h}/")).is_some()
        || super::super::args::write_risk(&format!("{h}/"), true).is_some()
        || super::super::args::secret_path(h)
}
