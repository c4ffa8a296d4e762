//! Environment variables and flags that point a program somewhere else: where it loads its
//! configuration or toolchain from, which server gets its stored credentials, which file
//! its trace goes to, and the network shares Windows signs in to.

use super::super::shell::Sh;
use crate::Effect::{Admin, Mutating};

/// Variables that move where programs load their configuration, rc files or toolchain from.
/// Such a file can run commands (`core.fsmonitor` under another `HOME`, `credential_process`,
/// an OpenSSL engine, `\!` in a psqlrc, `init-command` under `MYSQL_HOME`, a Go toolchain
/// fetched through `GOPROXY`, a rustc wrapper).
#[rustfmt::skip]
pub(super) const CONFIG_SOURCES: &[&str] = &[
    "HOME", "XDG_CONFIG_HOME", "XDG_CONFIG_DIRS", "XDG_DATA_HOME", "ZDOTDIR", "AWS_CONFIG_FILE",
    "AWS_SHARED_CREDENTIALS_FILE", "BOTO_CONFIG", "BOTO_PATH", "OPENSSL_CONF", "OPENSSL_ENGINES",
    "OPENSSL_MODULES", "CURL_HOME", "WGETRC", "SYSTEM_WGETRC", "MYSQL_HOME", "PSQLRC",
    "PGSYSCONFDIR", "PGSERVICEFILE", "INPUTRC", "GNUPGHOME", "DOCKER_CONFIG", "CLOUDSDK_CONFIG",
    "TF_CLI_CONFIG_FILE", "PIP_CONFIG_FILE", "NPM_CONFIG_USERCONFIG", "npm_config_userconfig",
    "NPM_CONFIG_GLOBALCONFIG", "CARGO_HOME", "RUSTUP_HOME", "RUSTUP_TOOLCHAIN", "RUSTC",
    "RUSTC_WRAPPER", "RUSTC_WORKSPACE_WRAPPER", "CARGO_BUILD_RUSTC", "CARGO_BUILD_RUSTC_WRAPPER",
    "GOPROXY", "GOFLAGS", "GOSUMDB", "GONOSUMDB", "GONOSUMCHECK", "GOINSECURE", "GOENV",
    "GOTOOLCHAIN", "HELM_PLUGINS", "HELM_CONFIG_HOME", "VAULT_CONFIG_PATH", "GIT_TEMPLATE_DIR",
    // The twenty-third sets: provider binaries, plugins, extensions and working directories
    // of infrastructure tools (`TF_DATA_DIR=/tmp/x terraform plan` runs the providers there).
    "TF_DATA_DIR", "TERRAFORM_CONFIG", "PULUMI_HOME", "AZURE_CONFIG_DIR", "AZURE_EXTENSION_DIR",
    "HELM_DATA_HOME", "KUBECTL_PLUGINS_PATH", "TERRAGRUNT_WORKING_DIR", "TG_WORKING_DIR",
    "TERRAGRUNT_CONFIG", "TG_CONFIG", "TERRAGRUNT_TFPATH", "TG_TF_PATH", "CDK_HOME",
];
/// Variables naming the server a CLI sends its stored credentials to.
#[rustfmt::skip]
pub(super) const ENDPOINTS: &[&str] = &[
    "VAULT_ADDR", "NOMAD_ADDR", "CONSUL_HTTP_ADDR", "ARGOCD_SERVER", "OPENAI_BASE_URL",
    "OPENAI_API_BASE", "ANTHROPIC_BASE_URL", "HF_ENDPOINT", "GH_HOST", "KUBERNETES_MASTER",
    "AWS_ENDPOINT_URL", "ETCDCTL_ENDPOINTS", "DIGITALOCEAN_API_URL", "BW_SERVER",
    "HELM_DRIVER_SQL_CONNECTION_STRING",
];
/// Variables naming a file a program appends its trace or TLS keys to.
#[rustfmt::skip]
pub(super) const TRACE_FILES: &[&str] = &[
    "GIT_TRACE", "GIT_TRACE2", "GIT_TRACE2_EVENT", "GIT_TRACE2_PERF", "GIT_TRACE_PACKET",
    "GIT_TRACE_PERFORMANCE", "GIT_TRACE_SETUP", "GIT_TRACE_CURL", "GIT_TRACE_PACK_ACCESS",
    "GIT_TRACE_SHALLOW", "GIT_TRACE_PACKFILE", "GIT_TRACE_REFS", "GIT_TRACE_FSMONITOR",
    "SSLKEYLOGFILE", "TF_LOG_PATH", "PIP_LOG", "PIP_LOG_FILE", "ANSIBLE_LOG_PATH", "RCLONE_LOG_FILE",
    "NODE_REPL_HISTORY", "PYTHONHISTFILE",
];

/// True if an address names this machine (`localhost`, `127.0.0.1:8200`, `[::1]`, a unix
/// socket): credentials sent there stay here. The host is the URL's authority (before the
/// first `/`, `?` or `#`, after any `user@`), and `127.x` must be an IPv4 address
/// (`127.0.0.1.nip.io` is not).
pub(crate) fn loopback_address(value: &str) -> bool {
    let v = value.trim().trim_start_matches('=').to_ascii_lowercase();
    if v.starts_with("unix:") {
        return true;
    }
    let rest = v.split_once("://").map_or(v.as_str(), |(_, r)| r);
    let auth = rest.split(['/', '?', '#']).next().unwrap_or("");
    let auth = auth.rsplit('@').next().unwrap_or(auth);
    let host = match auth.strip_prefix('[') {
        Some(r) => r.split(']').next().unwrap_or(""),
        None => auth.split(':').next().unwrap_or(""),
    };
    host == "localhost"
        || host == "::1"
        || host
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// The host of a Windows network path (`\\host\share`, `//host/share`, `\\?\UNC\host\…`,
/// `\\.\UNC\host`, `file://host/share`, after a `-Path:` or `FileSystem::` prefix): Windows
/// signs in to it with the user's credentials (an NTLM hash can be captured or relayed).
/// `None` for a local or device path (`\\?\C:\`, `\\.\pipe`) and this machine.
pub(crate) fn unc_host(word: &str) -> Option<&str> {
    let w = word.trim_matches(['\'', '"']);
    // `-Path:\\host\x`, `FileSystem::\\host\x`: the path after the prefix.
    let w = match (w.find("::"), w.strip_prefix('-').and_then(|r| r.find(':'))) {
        (Some(i), _) => w.get(i + 2..).unwrap_or(""),
        (None, Some(i)) if w.starts_with('-') => w.get(i + 2..).unwrap_or(""),
        _ => w,
    };
    let lower = w.to_ascii_lowercase().replace('/', "\\");
    let skip = ["\\\\?\\unc\\", "\\\\.\\unc\\", "file:\\\\", "\\\\"]
        .iter()
        .find(|p| lower.starts_with(*p))
        .map(|p| p.len())?;
    // `file:///C:/x` and `///x` are local.
    if w.get(skip..).is_none_or(|r| r.starts_with(['/', '\\'])) {
        return None;
    }
    let rest = w.get(skip..)?;
    let host = rest.split(['\\', '/']).next().unwrap_or("");
    let local = matches!(
        host.to_ascii_lowercase().as_str(),
        "" | "?" | "." | "localhost" | "127.0.0.1" | "wsl$" | "wsl.localhost" | "tsclient"
    );
    (!local).then_some(host)
}

/// A kubeconfig in the user's own folders (`~/.kube/…`, `/etc/kubernetes/…`); one elsewhere
/// may hold an `exec` plugin someone else wrote.
pub(crate) fn usual_kubeconfig(path: &str) -> bool {
    path.split(':').all(|p| {
        let home = [
            "~/.kube/",
            "$HOME/.kube/",
            "${HOME}/.kube/",
            "/etc/kubernetes/",
        ]
        .iter()
        .any(|pre| p.starts_with(pre));
        // `/home/USER/.kube/…` or `/root/.kube/…`, not a `.kube` deeper in a cloned tree.
        let users = p
            .strip_prefix("/home/")
            .and_then(|r| r.split_once('/'))
            .is_some_and(|(user, r)| !user.is_empty() && r.starts_with(".kube/"))
            || p.starts_with("/root/.kube/");
        (home || users) && !p.contains("..")
    })
}

/// `PGOPTIONS='-c session_replication_role=replica'`: settings every later libpq session
/// starts with, judged as `SET` would judge them (a guard setting is admin).
pub(super) fn pg_options(sh: &mut Sh, value: &str) {
    // `-c name=value`, `-cname=value` or `--name=value`; dashes in a name stand for `_`.
    let guard = value
        .split_whitespace()
        .filter_map(|t| {
            let bare = t.trim_start_matches('-');
            let bare = match t.strip_prefix("-c") {
                Some(rest) if !t.starts_with("--") && !rest.is_empty() => rest,
                _ => bare,
            };
            let (key, _) = bare.split_once('=')?;
            Some(key.to_ascii_lowercase().replace('-', "_"))
        })
        .find(|k| super::super::sql::GUARD_SETTINGS.contains(&k.as_str()));
    match guard {
        Some(g) => sh.add(
            Admin,
            format!("sets `PGOPTIONS` with `{g}`, a guard setting, for later sessions"),
        ),
        None if value.trim().is_empty() => {}
        None => sh.add(
            Mutating,
            "sets `PGOPTIONS`, settings later database sessions start with".to_string(),
        ),
    }
}
