//! MCP resources (`resources/read`, checked as action `resources.read` with the resource URI
//! as input): reading a resource is a read, unless the URI names a credential, a key, a
//! shadow or history file, a process environment or the guard's own configuration, which is
//! at least admin.

use serde_json::Value;

use super::args::sensitive_path;
use super::{Ctx, prefix};
use crate::Effect::{Admin, Read};

/// Path endings and parts that hold secrets (matched on the lowercase, normalised path).
const SECRET_PARTS: &[&str] = &[
    "/.ssh/",
    "/.gnupg/",
    "/.aws/",
    "/.azure/",
    "/.config/gcloud/",
    "/.kube/",
    "/.docker/config.json",
    "/.git-credentials",
    "/.netrc",
    "/.pgpass",
    "/.my.cnf",
    "/.npmrc",
    "/.pypirc",
    "/.vault-token",
    "/.terraform.d/credentials",
    "/var/run/secrets/",
    "/run/secrets/",
    "/etc/kubernetes/",
    "/etc/ssl/private/",
    "kubeconfig",
    "credentials.json",
    "/etc/gshadow",
    "/etc/master.passwd",
];

/// File names that hold secrets.
const SECRET_NAMES: &[&str] = &[
    "id_rsa",
    "id_dsa",
    "id_ecdsa",
    "id_ed25519",
    ".env",
    "credentials",
    "secrets.json",
    "secrets.yaml",
    "secrets.yml",
    "service-account.json",
    "master.key",
    "shadow",
];

/// Judges the URIs a `resources.read` input names (a string, or `uri`-like keys).
pub(crate) fn read(ctx: &mut Ctx, input: &Value) {
    let mut uris: Vec<&str> = Vec::new();
    match input {
        Value::String(s) => uris.push(s),
        Value::Object(m) => {
            for k in ["uri", "url", "resource", "path", "name"] {
                if let Some(s) = m.get(k).and_then(Value::as_str) {
                    uris.push(s);
                }
            }
        }
        _ => {}
    }
    for uri in uris {
        let shown = prefix(uri, 80);
        match secret(uri) {
            Some(why) => ctx.add(Admin, format!("resource: `{shown}` is {why}")),
            None => ctx.add(Read, format!("resource: reads `{shown}`")),
        }
    }
}

/// Why a URI or path names something secret, if it does.
pub(crate) fn secret(uri: &str) -> Option<&'static str> {
    let path = normalise(uri);
    if let Some((_, why)) = sensitive_path(&path) {
        return Some(why);
    }
    let name = path.rsplit('/').next().unwrap_or("");
    if path.starts_with("/proc/") && ["environ", "mem", "cmdline", "maps"].contains(&name) {
        return Some("a process's environment or memory");
    }
    if name.ends_with("_history") || name.ends_with(".history") || name == ".history" {
        return Some("a shell or tool history file");
    }
    if SECRET_PARTS.iter().any(|p| path.contains(p))
        || SECRET_NAMES.contains(&name)
        || name.starts_with(".env.")
        || name.ends_with(".pem")
        || name.ends_with(".key")
        || name.ends_with(".p12")
        || name.ends_with(".pfx")
        || name.ends_with(".keystore")
        || name.ends_with(".tfstate")
    {
        return Some("a file that holds credentials or keys");
    }
    None
}

/// The path of a URI, lowercase, percent-decoded, with `.` and `..` resolved and `~`
/// expanded to a home directory (`file:///home/u/%2Essh/../.ssh/id_rsa` is
/// `/home/u/.ssh/id_rsa`).
fn normalise(uri: &str) -> String {
    let decoded = percent_decode(uri.trim());
    let lower = decoded.to_ascii_lowercase();
    let path = match lower.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| rest.get(i..).unwrap_or("")),
        None => lower.as_str(),
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    let path = path.replace('\\', "/");
    let path = match path.strip_prefix("~/") {
        Some(rest) => format!("/home/~/{rest}"),
        None if !path.starts_with('/') => format!("/{path}"),
        None => path,
    };
    resolve_dots(&path)
}

/// A path with empty and `.` segments dropped and each `..` taking the segment before it,
/// from the root (`//etc/../x` is `/x`; a `..` above the root stays at the root).
pub(super) fn resolve_dots(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    format!("/{}", parts.join("/"))
}

pub(crate) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%'
            && let (Some(h), Some(l)) = (bytes.get(i + 1), bytes.get(i + 2))
            && let (Some(h), Some(l)) = ((*h as char).to_digit(16), (*l as char).to_digit(16))
        {
            out.push(u8::try_from(h * 16 + l).unwrap_or(b'?'));
            i += 3;
            continue;
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_admin_and_documents_read() {
        for uri in [
            "file:///etc/shadow",
            "file:///home/u/.ssh/id_rsa",
            "file:///home/u/.aws/credentials",
            "file:///srv/app/.env",
            "file:///srv/app/.env.production",
            "file:///home/u/.bash_history",
            "file:///proc/self/environ",
            "file:///home/u/.kube/config",
            "file:///home/u/%2Essh/id_ed25519",
            "file:///project/../etc/shadow",
            "~/.ssh/id_rsa",
            "file:///home/u/.claude/settings.json",
        ] {
            assert!(secret(uri).is_some(), "{uri}");
        }
        for uri in [
            "file:///project/README.md",
            "https://example.com/docs/index.html",
            "file:///project/src/environment.rs",
            "file:///project/docs/history.md",
        ] {
            assert_eq!(secret(uri), None, "{uri}");
        }
    }
}
