//! HTTP clients' tools (`curl`, `wget`, `httpie`, `xh`) given an argument list or curl's
//! config text: judged as the client's command line, so the shell's HTTP rules decide.

use serde_json::{Map, Value};

use super::super::{Ctx, shell, snippet_words};
use super::{ARG_KEYS, Program};

/// An HTTP client's tool (`curl`, `wget`, `httpie`) with an argument list (`{"args":
/// ["DELETE", URL]}`) or curl's config text (`{"config": "url = …\nrequest = DELETE"}`):
/// judged as the client's command line. Returns the keys it consumed.
pub(super) fn call(ctx: &mut Ctx, program: Program, map: &Map<String, Value>) -> Vec<String> {
    let mut consumed = Vec::new();
    let mut argv = vec![program.command().to_string()];
    for key in ["config", "config_text", "curlrc", "K"] {
        if program == Program::Curl
            && let Some(Value::String(text)) = map.get(key)
        {
            argv.extend(curl_config(text));
            consumed.push(key.to_string());
        }
    }
    for key in ARG_KEYS.iter().chain(["command", "cmd"].iter()) {
        match map.get(*key) {
            Some(Value::Array(items)) if items.iter().all(Value::is_string) => {
                let skip = usize::from(
                    items
                        .first()
                        .and_then(Value::as_str)
                        .is_some_and(|f| matches!(f, "curl" | "wget" | "http" | "https" | "xh")),
                );
                argv.extend(
                    items
                        .iter()
                        .skip(skip)
                        .filter_map(Value::as_str)
                        .map(str::to_string),
                );
                consumed.push((*key).to_string());
            }
            _ => {}
        }
    }
    if argv.len() > 1 {
        ctx.via(
            format!("{} read as {}", program.command(), snippet_words(&argv)),
            |ctx| shell::analyse_argv(ctx, &argv, 1),
        );
    }
    consumed
}

/// The options of a curl config file (`-K`): `name = value`, `name: value`, `name value` or
/// `--name value`, one a line, `#` comments; values may be quoted.
fn curl_config(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines().take(1000) {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let (name, value) = match l.find(['=', ':', ' ', '\t']) {
            Some(i) => (
                l.get(..i).unwrap_or(""),
                l.get(i + 1..)
                    .unwrap_or("")
                    .trim_start_matches(['=', ':', ' ', '\t']),
            ),
            None => (l, ""),
        };
        let name = name.trim().trim_start_matches('-');
        if name.is_empty() {
            continue;
        }
        let value = value.trim();
        let value = value
            .strip_prefix('"')
            .and_then(|v| v.strip_suffix('"'))
            .unwrap_or(value);
        if name.len() == 1 {
            out.push(format!("-{name}"));
        } else {
            out.push(format!("--{name}"));
        }
        if !value.is_empty() {
            out.push(value.to_string());
        }
    }
    out
}
