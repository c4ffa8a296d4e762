//! Checks every command passes through after the catalogue's row (what an archiver writes,
//! tools that erase in place, tunnels, protocols typed into `nc`, inline code that prints the
//! environment). Each leaves other programs at once.

use super::super::args::{loopback_address, opt_values, secret_path, usual_kubeconfig};
use super::super::shell::{Sh, program_name};
use crate::Effect::{Admin, Destructive, Mutating};

/// Inline code of an interpreter that reads a secret variable or the whole environment
/// (`os.environ["GITHUB_TOKEN"]`, `process.env.NPM_TOKEN`, `ENV["AWS_SECRET_ACCESS_KEY"]`,
/// `$ENV{DB_PASSWORD}`, `print(os.environ)`, `JSON.stringify(process.env)`).
pub(super) fn printed_environment(argv: &[String]) -> Option<String> {
    let name = argv.first().map(|f| program_name(f))?;
    let interpreter = name.starts_with("python")
        || matches!(
            name,
            "node" | "nodejs" | "deno" | "bun" | "ruby" | "perl" | "php"
        );
    if !interpreter {
        return None;
    }
    argv.iter()
        .skip(1)
        .find_map(|code| environment_in_code(code))
}

/// The secret variable, or the whole environment, that a piece of code reads (see
/// [`printed_environment`]).
pub(crate) fn environment_in_code(code: &str) -> Option<String> {
    let markers = [
        "environ",
        "getenv",
        "process.env",
        "ENV[",
        "ENV.fetch",
        "$ENV{",
        "Deno.env",
    ];
    if !markers.iter().any(|m| code.contains(m)) {
        return None;
    }
    let whole = [
        "print(os.environ)",
        "dict(os.environ)",
        "os.environ.items()",
        "os.environ.copy()",
        "stringify(process.env)",
        "log(process.env)",
        "ENV.to_h",
        "%ENV",
        "Deno.env.toObject()",
    ];
    if whole.iter().any(|w| code.contains(w)) {
        return Some("the environment".to_string());
    }
    code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .find(|w| w.len() > 3 && super::super::args::sent_secret_variable(w))
        .map(|w| format!("${w}"))
}

/// What an archiver writes, judged as a redirection's target is (`tar -cf /dev/sda /etc`),
/// and archivers that delete what they archive (`7z a -sdel`, `zip -m`, `tar
/// --remove-files`).
pub(super) fn archived(sh: &mut Sh, name: &str, args: &[String]) {
    if !matches!(
        name,
        "tar" | "bsdtar" | "zip" | "7z" | "7za" | "7zz" | "rar"
    ) {
        return;
    }
    let cmd = format!("`{name}`");
    if let Some(dest) = super::secrets::archive_written(name, args)
        && let Some((e, why)) = super::super::args::write_risk(dest, false)
    {
        sh.add(e, format!("{cmd} writes its archive to `{dest}`, {why}"));
    }
    let removes = args.iter().any(|a| {
        a == "--remove-files"
            || (name.starts_with("7z") && a == "-sdel")
            || (name == "rar" && (a == "m" || a == "-df"))
            || (name == "zip"
                && (a == "--move"
                    || a.strip_prefix('-').is_some_and(|c| {
                        !c.starts_with('-')
                            && c.contains('m')
                            && c.chars().all(|x| x.is_ascii_alphanumeric())
                    })))
    });
    if removes {
        sh.add(Destructive, format!("{cmd} deletes the files it archives"));
    }
}

/// Tools that overwrite or erase in place: `fallocate` punching, zeroing or collapsing a
/// range, `sponge F` writing its input over `F`, `hdparm`'s erase and sector writes,
/// `esentutl /y` copying Active Directory's password database.
pub(super) fn block_tools(sh: &mut Sh, name: &str, args: &[String]) {
    // Every command passes here: others leave before anything is allocated.
    if !matches!(name, "fallocate" | "sponge" | "hdparm" | "esentutl") {
        return;
    }
    let cmd = format!("`{name}`");
    let has = |w: &[&str]| args.iter().any(|a| w.contains(&a.as_str()));
    match name {
        "fallocate"
            if has(&[
                "-p",
                "--punch-hole",
                "-z",
                "--zero-range",
                "-c",
                "--collapse-range",
            ]) =>
        {
            sh.add(
                Destructive,
                format!("{cmd} zeroes or removes a range of the file"),
            );
        }
        "sponge" => {
            let append = has(&["-a"]);
            for f in args.iter().filter(|a| !a.starts_with('-')) {
                match super::super::args::write_risk(f, append) {
                    Some((e, why)) => {
                        sh.add(e, format!("{cmd} writes its input over `{f}`, {why}"))
                    }
                    None => sh.add(Mutating, format!("{cmd} writes its input over `{f}`")),
                }
            }
        }
        "hdparm"
            if args.iter().any(|a| {
                a.starts_with("--security-erase")
                    || matches!(
                        a.as_str(),
                        "--trim-sector-ranges"
                            | "--write-sector"
                            | "--make-bad-sector"
                            | "--fwdownload"
                            | "--dco-restore"
                    )
            }) =>
        {
            sh.add(Destructive, format!("{cmd} erases or overwrites the disk"));
        }
        "hdparm"
            if args
                .iter()
                .any(|a| a.starts_with("--security-set-pass") || a == "--security-disable") =>
        {
            sh.add(Admin, format!("{cmd} changes the disk's security password"));
        }
        "esentutl"
            if args
                .iter()
                .any(|a| a.to_ascii_lowercase().ends_with("ntds.dit")) =>
        {
            sh.add(
                Admin,
                format!("{cmd} copies the domain's password database (`ntds.dit`)"),
            );
        }
        _ => {}
    }
}

/// A tunnel that lets the internet or another host reach a port of this machine (`ngrok tcp
/// 22`, `cloudflared tunnel --url tcp://localhost:5432`, `ssh -R 0.0.0.0:2222:localhost:22
/// host`, `tailscale funnel 443`): a way in that no firewall rule shows.
pub(super) fn tunnel(name: &str, args: &[String]) -> Option<&'static str> {
    if !matches!(
        name,
        "ngrok" | "cloudflared" | "lt" | "localtunnel" | "bore" | "tailscale" | "ssh" | "autossh"
    ) {
        return None;
    }
    let has = |w: &str| args.iter().any(|a| a == w);
    let first = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str);
    let opens = match name {
        // The subcommand may follow global options (`ngrok --region eu http 80`).
        "ngrok" => args
            .iter()
            .any(|a| matches!(a.as_str(), "http" | "tcp" | "tls" | "start" | "tunnel")),
        "cloudflared" => {
            has("tunnel") && (args.iter().any(|a| a.starts_with("--url")) || has("run"))
        }
        "lt" | "localtunnel" => args.iter().any(|a| a.starts_with("--port") || a == "-p"),
        "bore" => first == Some("local"),
        "tailscale" => {
            matches!(first, Some("funnel" | "serve"))
                && !args
                    .iter()
                    .any(|a| matches!(a.as_str(), "status" | "off" | "reset"))
        }
        // `-R`, in a cluster (`-fNR`) or with its value (`-R2222:…`), and `-o RemoteForward`.
        "ssh" | "autossh" => args.iter().any(|a| {
            a.starts_with("-R")
                || a.to_ascii_lowercase().contains("remoteforward")
                || a.strip_prefix('-').is_some_and(|c| {
                    !c.starts_with('-')
                        && c.contains('R')
                        && c.chars().all(|ch| "46AaCfGgKkMNnqsTtVvXxYyR".contains(ch))
                })
        }),
        _ => false,
    };
    opens.then_some("opens a tunnel that lets other hosts reach a port of this machine")
}

/// Lines sent to a server by a raw network program: Redis commands, in text or RESP (`*1`,
/// `$8`, `FLUSHALL`), memcached's `flush_all` and `delete`, an HTTP `DELETE` request line.
/// Raises only: other lines leave the connection a write.
pub(super) fn raw_protocol(sh: &mut Sh, cmd: &str, text: &str) {
    for line in text.lines().map(str::trim).take(200) {
        let first = line.split_whitespace().next().unwrap_or("");
        let (e, why) = match first.to_ascii_lowercase().as_str() {
            "flush_all" => (Destructive, "wipes the cache (`flush_all`)".to_string()),
            "delete" if !line.contains(" HTTP/") => {
                (Destructive, "deletes a cached item (`delete`)".to_string())
            }
            "delete" => (Destructive, "sends an HTTP `DELETE`".to_string()),
            _ => super::super::code::redis_command(line),
        };
        if e.rank() > Mutating.rank() {
            sh.add(
                e,
                format!(
                    "{cmd} sends `{}`, which {why}",
                    super::super::prefix(line, 40)
                ),
            );
        }
    }
}

/// Programs pointed elsewhere than their usual server, config or file: a CLI's server flag
/// sends its stored token there (`kubectl --server`, `vault -address`), a kubeconfig outside
/// `~/.kube` may hold an `exec` plugin, `git --git-dir` reads another repository's config,
/// `dig -f` sends each line of its file as a query, and `ldd` may run the loader of the
/// binary it inspects.
pub(super) fn pointed_elsewhere(sh: &mut Sh, name: &str, args: &[String]) {
    // Every command passes here: others leave before anything is allocated.
    // (short flags, long flags) naming the server; every value counts (the last one wins).
    let (short, long): (&[&str], &[&str]) = match name {
        "kubectl" | "oc" | "k" => (&["-s"], &["--server"]),
        "helm" => (&[], &["--kube-apiserver"]),
        "vault" | "nomad" => (&[], &["-address", "--address"]),
        "consul" => (&[], &["-http-addr", "--http-addr"]),
        "doctl" => (&["-u"], &["--api-url"]),
        "argocd" => (&[], &["--server"]),
        "aws" => (&[], &["--endpoint-url"]),
        "dig" | "drill" | "ldd" | "git" => (&[], &[]),
        _ => return,
    };
    let cmd = format!("`{name}`");
    if let Some(v) = opt_values(args, short, long)
        .into_iter()
        .find(|v| !loopback_address(v))
    {
        sh.add(
            Mutating,
            format!("{cmd} sends its stored credentials to `{v}`"),
        );
    }
    // `git --git-dir=D` reads D's config as `GIT_DIR=D` does: `core.fsmonitor` there runs.
    if name == "git"
        && let Some(d) = opt_values(args, &[], &["--git-dir"]).first()
    {
        sh.add(
            Mutating,
            format!("`git` uses the repository `{d}`, whose config can run commands"),
        );
    }
    // `cd /tmp/x && git status`: git reads that repository's config, as with `-C`, when the
    // line changes to a temporary or download directory (the twentieth sets).
    if name == "git"
        && let Some(d) = super::super::workdir::cd_untrusted(sh.source())
    {
        sh.add(
            Mutating,
            format!("`git` works in `{d}` (changed to in this line), a temporary or download directory whose repository config can run commands"),
        );
    }
    // `git -C D` reads D's config too (`-C .` is the current directory's).
    if name == "git"
        && let Some(d) = super::limits::git_other_directory(args)
    {
        sh.add(
            Mutating,
            format!("`git` works in `{d}`, another repository whose config can run commands"),
        );
    }
    if matches!(name, "kubectl" | "oc" | "k" | "helm")
        && let Some(v) = opt_values(args, &[], &["--kubeconfig"])
            .into_iter()
            .find(|v| !usual_kubeconfig(v))
    {
        sh.add(
            Mutating,
            format!("{cmd} loads kubeconfig `{v}` from outside `~/.kube` (its `exec` plugin runs)"),
        );
    }
    if matches!(name, "dig" | "drill")
        && let Some(f) = opt_values(args, &["-f"], &[])
            .into_iter()
            .find(|f| secret_path(f))
    {
        sh.add(
            Admin,
            format!("{cmd} sends each line of the secret `{f}` as a DNS query"),
        );
    }
    if name == "ldd" {
        let system = ["/usr/", "/lib", "/bin/", "/sbin/"];
        if let Some(f) = args
            .iter()
            .filter(|a| !a.starts_with('-'))
            .find(|a| !system.iter().any(|s| a.starts_with(s)) || a.contains(".."))
        {
            sh.add(
                Mutating,
                format!("{cmd} may run the loader of `{f}`, a binary outside the system's folders"),
            );
        }
    }
}
