//! A container created from an object (Docker's Engine API `create_container`, a
//! `run_container` tool): privileged, in the host's PID namespace, or with the host's root,
//! `/etc`, `/root` or the Docker socket mounted, it reaches the host as `docker run
//! --privileged -v /:/host` does (admin in the shell). The twenty-first sets found these
//! mutating as objects. Only an object with an `image` is a container's spec.

use serde_json::{Map, Value};

use super::super::Ctx;
use crate::Effect::Admin;

/// Host paths whose mount gives the container the host.
const HOST_PATHS: &[&str] = &[
    "/",
    "/etc",
    "/root",
    "/var/run/docker.sock",
    "/run/docker.sock",
    // The Docker socket's directories (the review).
    "/var/run",
    "/run",
    "/proc",
    "/sys",
    "/dev",
    "/boot",
    "/var/lib/docker",
];

/// Judges a container spec in `map` and in its `HostConfig`.
pub(super) fn host_reached(ctx: &mut Ctx, map: &Map<String, Value>) {
    // The image may sit in the container's `config` (docker-py's low-level API; the review).
    let image = |m: &Map<String, Value>| m.keys().any(|k| k.eq_ignore_ascii_case("image"));
    if !image(map)
        && !map
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("config") && v.as_object().is_some_and(image))
    {
        return;
    }
    let host_config = map
        .iter()
        .find(|(k, _)| {
            k.eq_ignore_ascii_case("hostconfig") || k.eq_ignore_ascii_case("host_config")
        })
        .and_then(|(_, v)| v.as_object());
    for m in std::iter::once(map).chain(host_config) {
        if let Some(why) = reaches(m) {
            ctx.add(
                Admin,
                format!("a container created {why}, so it reaches the host"),
            );
            return;
        }
    }
}

fn reaches(m: &Map<String, Value>) -> Option<&'static str> {
    for (k, v) in m {
        let key: String = k
            .chars()
            .filter(|c| !matches!(c, '_' | '-'))
            .map(|c| c.to_ascii_lowercase())
            .collect();
        match key.as_str() {
            // `"True"`, `1` too (the review).
            "privileged"
                if v.as_bool() == Some(true)
                    || v.as_i64() == Some(1)
                    || v.as_str().is_some_and(|s| {
                        matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes")
                    }) =>
            {
                return Some("privileged");
            }
            // `--cap-add SYS_ADMIN`/`ALL` and `--device` are admin in the shell (the review).
            "capadd" | "caps" | "capabilities" if adds_root_caps(v) => {
                return Some("with the capability to administer the host");
            }
            "devices" | "device" if !v.is_null() && v.as_array().is_none_or(|a| !a.is_empty()) => {
                return Some("with a host device");
            }
            "pidmode" | "pid" if v.as_str().is_some_and(|s| s.eq_ignore_ascii_case("host")) => {
                return Some("in the host's process namespace");
            }
            "binds" | "volumes" | "mounts" | "volume" | "mount" if mounts_host(v) => {
                return Some("with a host system path mounted");
            }
            _ => {}
        }
    }
    None
}

/// `["SYS_ADMIN"]`, `"ALL"`, `["CAP_SYS_ADMIN"]`.
fn adds_root_caps(v: &Value) -> bool {
    let root = |c: &str| {
        let c = c.trim();
        let c = c
            .get(..4)
            .filter(|p| p.eq_ignore_ascii_case("cap_"))
            .map_or(c, |_| c.get(4..).unwrap_or(""));
        [
            "ALL",
            "SYS_ADMIN",
            "SYS_MODULE",
            "SYS_PTRACE",
            "SYS_RAWIO",
            "DAC_READ_SEARCH",
        ]
        .iter()
        .any(|r| c.eq_ignore_ascii_case(r))
    };
    match v {
        Value::String(s) => s.split(',').any(root),
        Value::Array(items) => items.iter().take(64).filter_map(Value::as_str).any(root),
        _ => false,
    }
}

/// `"/:/host"`, `["/etc:/x:ro"]`, `{"/": {"bind": "/host"}}` (docker-py), `[{"Source": "/"}]`.
fn mounts_host(v: &Value) -> bool {
    let host = |p: &str| {
        let p = p.trim();
        p.starts_with('/')
            && p.len() <= 4096
            && HOST_PATHS.contains(&super::super::resource::resolve_dots(p).as_str())
    };
    let entry = |e: &Value| match e {
        Value::String(s) => s.split(':').next().is_some_and(host),
        Value::Object(o) => ["Source", "source", "src", "host_path", "hostPath"]
            .iter()
            .filter_map(|k| o.get(*k).and_then(Value::as_str))
            .any(host),
        _ => false,
    };
    match v {
        Value::Array(items) => items.iter().take(64).any(entry),
        Value::Object(o) => o.keys().any(|k| host(k)) || entry(v),
        other => entry(other),
    }
}
