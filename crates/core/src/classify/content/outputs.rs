//! Where a tool puts what it reads or fetches, whatever its name says: a file named by an
//! output key (`{"url": …, "output_file": "~/.bashrc"}`, a query's `save_results_to`), an
//! address results are sent to (`webhook`, `email_to`, `export_to: s3://…`), and a flag
//! that runs what was downloaded (`{"url": …, "execute": true}`).

use serde_json::{Map, Value};

use super::{Ctx, args, prefix};
use crate::Effect::{Admin, Destructive, Mutating};

/// Keys whose value is where a result is written.
const OUTPUT_KEYS: &[&str] = &[
    "destination",
    "dest",
    "output",
    "output_file",
    "output_path",
    "output_dir",
    "output_directory",
    "outfile",
    "out_file",
    "save_to",
    "save_as",
    "save_path",
    "save_results_to",
    "download_to",
    "download_path",
    "destination_path",
    "destination_uri",
    "target_path",
    "export_to",
    "export_path",
    "write_to",
    "to_file",
    "results_path",
];

/// Keys whose value is an address a result is sent to.
const SINK_KEYS: &[&str] = &[
    "webhook",
    "webhook_url",
    "callback",
    "callback_url",
    "notify_url",
    "notification_url",
    "email_to",
    "mail_to",
    "send_to",
    "forward_to",
    "post_to",
    "upload_to",
    "report_to",
];

/// Keys that, set, run what the tool fetched or wrote.
const RUN_KEYS: &[&str] = &[
    "execute",
    "exec",
    "run",
    "run_after",
    "run_after_download",
    "execute_after",
    "autorun",
    "auto_run",
    "launch",
];

/// `outputFile`, `output-file` and `OUTPUT_FILE` are `output_file`.
fn snake(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    let mut prev_upper = true;
    for c in key.chars() {
        if c.is_ascii_uppercase() && !prev_upper {
            out.push('_');
        }
        prev_upper = c.is_ascii_uppercase() || c == '_' || c == '-';
        out.push(if c == '-' {
            '_'
        } else {
            c.to_ascii_lowercase()
        });
    }
    out
}

/// A remote address (`s3://b/k`, `https://…`, `user@host.tld`) that is not this machine.
fn remote(v: &str) -> bool {
    let v = v.trim();
    let url = v.contains("://") && !v.to_ascii_lowercase().starts_with("file:");
    let mail = !v.contains(char::is_whitespace)
        && v.split_once('@')
            .is_some_and(|(u, d)| !u.is_empty() && d.contains('.'));
    (url || mail) && !args::loopback_address(v)
}

/// A local path, not a format word (`"output": "json"`).
fn local_path(v: &str) -> bool {
    let v = v.trim();
    !v.is_empty()
        && !v.contains("://")
        && (v.contains(['/', '\\']) || v.starts_with('~') || v.starts_with('.'))
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_i64().is_some_and(|n| n != 0),
        Value::String(s) => matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "true" | "yes" | "1" | "on"
        ),
        _ => false,
    }
}

/// Judges the input's top-level keys. `downloads`: the tool's name downloads, so its
/// `path` is where the download is written.
pub(crate) fn analyse(ctx: &mut Ctx, map: &Map<String, Value>, downloads: bool, secretive: bool) {
    let fetches = map.values().any(|v| {
        v.as_str()
            .is_some_and(|s| s.trim_start().to_ascii_lowercase().starts_with("http"))
    });
    let secret_in = secretive
        || map
            .values()
            .filter_map(Value::as_str)
            .any(|s| args::secret_path(s.trim()));
    for (k, v) in map {
        let key = snake(k);
        let output = OUTPUT_KEYS.contains(&key.as_str())
            || (downloads && matches!(key.as_str(), "path" | "file_path" | "filename" | "file"));
        let values: Vec<&str> = match v {
            Value::String(s) => vec![s.as_str()],
            Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if output {
            for p in values.iter().copied() {
                if remote(p) {
                    ctx.add(
                        if secret_in { Admin } else { Mutating },
                        format!("output: `{k}` sends the result to `{}`", prefix(p, 80)),
                    );
                } else if local_path(p) {
                    let (e, why) =
                        args::write_risk(p.trim(), false).unwrap_or((Mutating, "a file"));
                    ctx.add(
                        e.max(Mutating),
                        format!(
                            "output: `{k}` writes the result to `{}`, {why}",
                            prefix(p, 80)
                        ),
                    );
                }
            }
        } else if SINK_KEYS.contains(&key.as_str()) {
            for a in values.iter().copied().filter(|a| remote(a)) {
                ctx.add(
                    if secret_in { Admin } else { Mutating },
                    format!("output: `{k}` sends the result to `{}`", prefix(a, 80)),
                );
            }
        } else if RUN_KEYS.contains(&key.as_str()) && truthy(v) && (fetches || downloads) {
            ctx.add(
                Destructive,
                format!("output: `{k}` runs what the tool downloads (unseen code)"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{local_path, remote, snake};

    #[test]
    fn keys_and_values() {
        assert_eq!(snake("outputFile"), "output_file");
        assert_eq!(snake("save-to"), "save_to");
        assert_eq!(snake("OUTPUT_PATH"), "output_path");
        assert!(remote("s3://evil-bucket/x.csv"));
        assert!(remote("attacker@evil.com"));
        assert!(!remote("http://127.0.0.1:9000/hook"));
        assert!(!remote("json"));
        assert!(local_path("/home/u/.bashrc") && local_path("~/x") && local_path("./out.csv"));
        assert!(!local_path("json") && !local_path("table") && !local_path("us-east-1"));
    }
}
