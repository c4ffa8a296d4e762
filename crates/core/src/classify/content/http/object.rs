//! A JSON request object (`{"method": "DELETE", "url": "…"}`): its method wherever the
//! arguments put it, its headers and overrides, its body, and where it goes through.

use serde_json::{Map, Value};

use super::super::{Ctx, snippet};
use super::{
    BASE_KEYS, BODY_KEYS, DETOUR_KEYS, METHOD_KEYS, OPTION_KEYS, OVERRIDE_HEADERS, OVERRIDE_PARAMS,
    URL_KEYS, actions, auth_header, judge, keys, lenient_url, method_param, method_word,
    other_methods, rules, scheme, segments, sent_in_headers, slashed,
};
use crate::Effect::{Destructive, Mutating};

/// A JSON request object: `{"method": "DELETE", "url": "…"}`, with the method possibly in a
/// nested option object and overrides in headers or parameters.
pub(crate) fn analyse_object(ctx: &mut Ctx, map: &Map<String, Value>) -> bool {
    // The object and its option objects, nested up to three deep (`options.init.method`).
    let mut options: Vec<&Map<String, Value>> = vec![map];
    let mut level = 0;
    while level < options.len() && options.len() < 16 {
        let Some(m) = options.get(level).copied() else {
            break;
        };
        if level < 8 {
            options.extend(
                OPTION_KEYS
                    .iter()
                    .filter_map(|k| m.get(*k).and_then(Value::as_object)),
            );
        }
        level += 1;
    }
    let find = |keys: &[&str]| {
        options
            .iter()
            .find_map(|m| keys.iter().find_map(|k| m.get(*k).and_then(Value::as_str)))
    };
    // A URL object (Postman's `{"raw": "…"}`, `{"href": "…"}`).
    let url_object = || {
        options.iter().find_map(|m| {
            URL_KEYS.iter().find_map(|k| {
                let o = m.get(*k)?.as_object()?;
                ["raw", "href", "url"]
                    .iter()
                    .find_map(|r| o.get(*r).and_then(Value::as_str))
            })
        })
    };
    let url = find(URL_KEYS)
        .or_else(url_object)
        // `URL`, `Url`, `requestUrl`, `target_url` (the twenty-first sets).
        .or_else(|| {
            options
                .iter()
                .find_map(|m| keys::find_spelled(m, keys::URL_SPELLINGS).and_then(Value::as_str))
        })
        .or_else(|| {
            ["path", "resource", "input", "route"]
                .iter()
                .find_map(|k| map.get(*k).and_then(Value::as_str))
                .filter(|_| find(METHOD_KEYS).is_some())
        })
        // A method beside an object that holds the URL (`{"method": …, "target": {"url": …}}`).
        .or_else(|| {
            find(METHOD_KEYS)?;
            map.values().filter_map(Value::as_object).find_map(|m| {
                URL_KEYS
                    .iter()
                    .find_map(|k| m.get(*k).and_then(Value::as_str))
            })
        });
    // `api.example.com/v1/x` under a URL key: clients send it as `https://` (the twentieth
    // sets).
    let repaired = url
        .and_then(lenient_url)
        .or_else(|| url.and_then(actions::schemeless));
    let url = repaired.as_deref().or(url);
    // `{{base}}/users` is a collection's variable (Postman, `.http` files).
    let Some(url) = url.filter(|u| {
        u.contains("://")
            || u.starts_with('/')
            || u.starts_with("{{")
            || scheme::scheme_effect(u).is_some()
    }) else {
        return false;
    };
    let body: String = options
        .iter()
        .flat_map(|m| BODY_KEYS.iter().filter_map(|k| m.get(*k)))
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let method = match find(METHOD_KEYS) {
        Some(m) => match method_word(m.trim()) {
            Some(m) => m,
            // A method that is not HTTP's: not a request object (or an unknown verb).
            None => return false,
        },
        None if options.iter().any(|m| {
            ["body", "data", "json", "payload", "form"]
                .iter()
                .any(|k| m.get(*k).is_some_and(|v| !v.is_null()))
        }) =>
        {
            "POST"
        }
        None => "GET",
    };
    let overridden = options
        .iter()
        .flat_map(|m| keys::all_spelled(m, keys::HEADER_SPELLINGS))
        .find_map(header_override)
        .or_else(|| method_param(url))
        .or_else(|| method_param(&body))
        .or_else(|| json_method_param(&options));
    // A relative URL goes to its base (`{"url": "/v1/x", "base_url": "https://…"}`).
    let joined;
    let url = match find(BASE_KEYS) {
        Some(base) if url.starts_with('/') => {
            joined = format!("{}{url}", base.trim_end_matches('/'));
            joined.as_str()
        }
        _ => url,
    };
    // `{"url": "https://host", "path": "/v1/x"}`: the path is the URL's (the twentieth sets).
    let with_path;
    let with_path_base = Some(url);
    let url = match find(&["path", "endpoint", "route"]) {
        // A base with a path of its own (`https://host/v1`) and a path without its slash
        // (`users/5/ban`) are joined too (the review).
        Some(p)
            if url.contains("://")
                && !url.contains(['?', '#'])
                && !p.contains("://")
                && !p.starts_with(['.', '~'])
                && !p.is_empty()
                // A download's destination (`{"url": ".../f.zip", "path": "/tmp/f.zip"}`)
                // is no part of the address.
                && (segments(url).is_empty()
                    || (!segments(url).last().is_some_and(|s| s.contains('.'))
                        // Case matters: `/users/5` is an API's, `/Users/u` a Mac's home.
                        && !["/tmp/", "/home/", "/Users/", "/var/", "/root/", "/mnt/", "/opt/"]
                            .iter()
                            .any(|d| p.starts_with(d)))) =>
        {
            with_path = format!(
                "{}/{}",
                url.trim_end_matches('/'),
                p.trim_start_matches('/')
            );
            with_path.as_str()
        }
        _ => url,
    };
    judge(ctx, method, overridden, url, &body);
    // A body, parameters, a proxy or a path under a key spelled otherwise is not read here.
    let known: &[&[&str]] = &[
        BODY_KEYS,
        DETOUR_KEYS,
        BASE_KEYS,
        OPTION_KEYS,
        &["path", "route", "resource"],
    ];
    if let Some(k) = options.iter().find_map(|m| keys::unread_spelling(m, known)) {
        ctx.add(
            Mutating,
            format!(
                "http: the request to {} has `{k}`, a key spelled otherwise than the request rules read",
                snippet(url)
            ),
        );
    }
    // Another URL key beside the one taken (`{"url": A, "requestUrl": B}`): which one the
    // client sends is not known, so each absolute one is judged too (the review; only raises).
    for other in options
        .iter()
        .flat_map(|m| keys::all_spelled(m, keys::URL_SPELLINGS))
        .filter_map(Value::as_str)
        .filter(|u| Some(*u) != with_path_base && *u != url)
    {
        let fixed = lenient_url(other).or_else(|| actions::schemeless(other));
        let other = fixed.as_deref().unwrap_or(other);
        if other.contains("://") {
            let overridden = overridden.or_else(|| method_param(other));
            judge(ctx, method, overridden, other, &body);
        }
    }
    if let Some(base) = with_path_base
        && base != url
    {
        // The base is judged as it was before it was joined (only raises).
        judge(ctx, method, overridden, base, &body);
    }
    // A query given apart (`"params": {"action": "ban"}`) is sent in the URL.
    if let Some(q) = actions::with_query(url, &options) {
        judge(ctx, method, overridden, &q, &body);
    }
    // `https://host/admin\\wipe-data`: parsers that take `\\` for `/` send this path.
    if let Some(slashed) = slashed(url) {
        judge(ctx, method, overridden, &slashed, &body);
    }
    let headers: Vec<String> = options
        .iter()
        .flat_map(|m| keys::all_spelled(m, keys::HEADER_SPELLINGS))
        .map(header_lines)
        .collect();
    let headers = headers.join("\n");
    sent_in_headers(ctx, &headers, url);
    exploit_lookup(ctx, &headers, url);
    detour(ctx, &options, &headers, url);
    // Another key that names a method (jQuery's `type`, an `op`), or a list of methods: which
    // one is sent is not known, so each is judged.
    for other in other_methods(&options) {
        if other != method {
            judge(ctx, other, overridden, url, &body);
        }
    }
    true
}

/// Headers as `Name: value` lines, from a map, a list of lines or pairs, or text.
fn header_lines(headers: &Value) -> String {
    let pair = |k: &str, v: &Value| match v {
        Value::String(s) => format!("{k}: {s}"),
        other => format!("{k}: {other}"),
    };
    match headers {
        Value::String(s) => s.clone(),
        Value::Object(h) => h
            .iter()
            .map(|(k, v)| pair(k, v))
            .collect::<Vec<_>>()
            .join("\n"),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::String(s) => s.clone(),
                Value::Array(kv) => match kv.as_slice() {
                    [Value::String(k), v] => pair(k, v),
                    _ => item.to_string(),
                },
                Value::Object(_) => header_lines(item),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join("\n"),
        other => other.to_string(),
    }
}

/// A JNDI lookup (`${jndi:ldap://…}`, or spelled with nested lookups such as
/// `${${lower:j}ndi:…}`) anywhere in a request: a vulnerable Log4j server fetches and runs
/// the code it names (Log4Shell).
pub(crate) fn jndi_lookup(text: &str) -> bool {
    if !text.contains("${") {
        return false;
    }
    let lower = text.to_ascii_lowercase();
    lower.contains("jndi")
        || lower.contains("${lower:")
        || lower.contains("${upper:")
        || lower.contains("${::-")
        || lower.contains(":-j}")
}

fn exploit_lookup(ctx: &mut Ctx, headers: &str, url: &str) {
    // Headers only: a URL's query is also how a search for the string is sent.
    let _ = url;
    if jndi_lookup(headers) {
        ctx.add(
            Destructive,
            format!(
                "http: a request to {} carries a JNDI lookup (`${{jndi:…}}`), which makes a \
                 vulnerable server run remote code",
                snippet(url)
            ),
        );
    }
}

/// A request sent through a proxy or to a pinned address that is not this machine: it
/// goes elsewhere than its URL says, and its credentials with it.
fn detour(ctx: &mut Ctx, options: &[&Map<String, Value>], headers: &str, url: &str) {
    let via: Vec<String> = options
        .iter()
        .flat_map(|m| DETOUR_KEYS.iter().filter_map(|k| m.get(*k)))
        .flat_map(|v| match v {
            Value::String(s) => vec![s.clone()],
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            Value::Object(m) => m
                .values()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        })
        .filter(|v| {
            let v = v.trim();
            // curl's `resolve` entries are `host:port:address`: the address decides.
            let address = if v.contains("://") {
                v
            } else {
                v.rsplit(':').next().unwrap_or(v)
            };
            !v.is_empty() && !super::super::args::loopback_address(address)
        })
        .collect();
    let Some(first) = via.first() else {
        return;
    };
    let credentials = headers
        .lines()
        .any(|h| auth_header(h) && h.split_once(':').is_some_and(|(_, v)| !v.trim().is_empty()))
        || rules::credential_in(headers).is_some();
    // Mutating, not more: a company's own proxy is the usual reason.
    ctx.add(
        Mutating,
        format!(
            "http: the request to {} goes through or to `{}`{}",
            snippet(url),
            super::super::prefix(first, 80),
            if credentials {
                ", with its credentials"
            } else {
                ""
            }
        ),
    );
}

/// The method an override header names, from a header map or list.
fn header_override(headers: &Value) -> Option<&'static str> {
    let is_override =
        |name: &str| OVERRIDE_HEADERS.contains(&name.trim().to_ascii_lowercase().as_str());
    // Every override is looked at, and one that is not a read wins: which of two the server
    // takes is not known (the review: a second override key, a list value, HAR's entry
    // with both `name` and `key`, an entry's keys beside plain header keys).
    let worst = |found: &mut dyn Iterator<Item = &'static str>| {
        let mut first = None;
        for m in found {
            if !matches!(m, "GET" | "HEAD" | "OPTIONS") {
                return Some(m);
            }
            first = first.or(Some(m));
        }
        first
    };
    // Header lines in one string (`"X-HTTP-Method-Override: DELETE"`, the twenty-first sets).
    let line = |s: &str| {
        worst(&mut s.lines().filter_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| is_override(k))
                .and_then(|(_, v)| method_word(v.trim()))
        }))
    };
    let value = |v: &Value| match v {
        Value::String(s) => method_word(s.trim()),
        Value::Array(items) => worst(
            &mut items
                .iter()
                .filter_map(Value::as_str)
                .filter_map(|s| method_word(s.trim())),
        ),
        _ => None,
    };
    match headers {
        Value::String(s) => line(s),
        Value::Object(h) => {
            // HAR's and Postman's `{"name"|"key": …, "value": …}` entries.
            let named = ["name", "key", "header"]
                .iter()
                .filter_map(|k| h.get(*k).and_then(Value::as_str))
                .any(is_override)
                .then(|| h.get("value").and_then(value))
                .flatten();
            let plain = h
                .iter()
                .filter(|(k, _)| is_override(k))
                .filter_map(|(_, v)| value(v));
            worst(&mut named.into_iter().chain(plain))
        }
        Value::Array(items) => worst(&mut items.iter().filter_map(|item| match item {
            Value::String(s) => line(s),
            Value::Array(pair) => match pair.as_slice() {
                [Value::String(k), v] if is_override(k) => value(v),
                _ => None,
            },
            Value::Object(_) => header_override(item),
            _ => None,
        })),
        _ => None,
    }
}

/// `{"_method": "DELETE"}` in a JSON body or parameters.
fn json_method_param(options: &[&Map<String, Value>]) -> Option<&'static str> {
    options.iter().find_map(|m| {
        BODY_KEYS
            .iter()
            .filter_map(|k| m.get(*k).and_then(Value::as_object))
            .find_map(|b| {
                b.iter()
                    .find(|(k, _)| OVERRIDE_PARAMS.contains(&k.to_ascii_lowercase().as_str()))
                    .and_then(|(_, v)| v.as_str())
                    .and_then(method_word)
            })
    })
}
