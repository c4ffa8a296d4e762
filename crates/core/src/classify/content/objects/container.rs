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
    "/proc",
    "/sys",
    "/dev",
    "/boot",
    "/var/lib/docker",
];

/// Judges a container spec in `map` and in its `HostConfig`.
pub(super) fn host_reached(ctx: &mut Ctx, map: &Map<String, Value>) {
    if !map.keys().any(|k| k.eq_ignore_ascii_case("image")) {
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
            "privileged" if v.as_bool() == Some(true) || v.as_str() == Some("true") => {
                return Some("privileged");
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

/// `"/:/host"`, `["/etc:/x:ro"]`, `{"/": {"bind": "/host"}}` (docker-py), `[{"Source": "/"}]`.
fn mounts_host(v: &Value) -> bool {
    let host = |p: &str| {
        let p = p.trim();
        let p = if p.len() > 1 {
            p.trim_end_matches('/')
        } else {
            p
        };
        HOST_PATHS.contains(&p)
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
