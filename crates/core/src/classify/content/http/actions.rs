//! GET requests that act (docs/classifier.md, "The nineteenth sets"): an action named by
//! the path's last segment without a removal word (`/account/close`, `/orders/7/refund`,
//! `/approve?payment=…`), an action named by a query key that selects one (`?action=ban`,
//! `?op=approve`, `?cmd=delete`), and the catch URLs of hook services (a Zapier or IFTTT
//! hook runs its automation on a GET). Only raises; every rule in `rules.rs` is tried first.
//!
//! The twins stay reads: the verb must be the whole last segment (`/docs/how-to-cancel` is a
//! page's slug, `/api/runs` a list), a documentation path is a page, and a query value must
//! be under a key that selects an action (`?q=approve` is a search, `?action=list` reads).

use crate::Effect::{self, Admin, Destructive, Mutating};

/// Actions that cannot be taken back: money leaves, an account or a contract ends.
const IRREVERSIBLE: &[&str] = &[
    "close",
    "terminate",
    "refund",
    "transfer",
    "payout",
    "pay",
    "withdraw",
    "charge",
    "void",
    "capture",
    "settle",
    "cancel",
    "purge",
    "delete",
    "destroy",
    "remove",
    "wipe",
    "erase",
    "drop",
    "truncate",
];

/// Actions that change access.
const ACCESS: &[&str] = &[
    "ban",
    "unban",
    "suspend",
    "unsuspend",
    "disable",
    "deactivate",
    "revoke",
    "block",
    "unblock",
    "kick",
    "promote",
    "demote",
    "impersonate",
    "grant",
    "lock",
    "unlock",
];

/// Actions that change state and can be undone or are bounded.
const CHANGES: &[&str] = &[
    "approve",
    "reject",
    "decline",
    "accept",
    "confirm",
    "activate",
    "enable",
    "unarchive",
    "execute",
    "exec",
    "run",
    "trigger",
    "invoke",
    "submit",
    "stop",
    "sync",
    "restore",
    "unsubscribe",
    "reindex",
    "rebuild",
    "rotate",
    "regenerate",
    "renew",
    "dispatch",
    "ship",
    "fulfill",
    "fulfil",
    "mute",
    "unmute",
    "assign",
    "unassign",
    "reopen",
    "escalate",
    "migrate",
    "rollover",
];

/// Query keys whose value selects the action a handler takes.
const ACTION_KEYS: &[&str] = &[
    "action",
    "op",
    "operation",
    "cmd",
    "command",
    "do",
    "task",
    "verb",
    "method",
    "act",
    "mode",
    "func",
    "function",
    "fn",
    "route",
    "r",
    "action_name",
    "actionname",
    "handler",
];

/// Words that lead an action's name when it only reads (`get_cancel_reasons`, `list-bans`):
/// its last word is then what is read, not an action.
const READ_LEADS: &[&str] = &[
    "get", "list", "show", "view", "read", "fetch", "search", "find", "check", "describe", "count",
    "status", "query", "lookup", "preview", "export", "download", "print", "display", "inspect",
    "info", "stats", "report",
];

/// Endings of a server page that runs on a GET (`close.php`, `refund.do`, `ban.aspx`), or of
/// an API's response format (`close.json`): the action is the name before them.
const ENDINGS: &[&str] = &[
    ".json", ".xml", ".php", ".php5", ".phtml", ".do", ".action", ".aspx", ".asp", ".ashx", ".jsp",
    ".jspx", ".cgi", ".pl", ".py", ".rb", ".cfm", ".html", ".htm",
];

/// Segments that make a path a documentation page when it starts with one (after a locale:
/// `/en/docs/…`), or hosts whose first label is one (`docs.example.com`). Anywhere else in a
/// path they name a resource (`/v1/support/tickets/5/close`, `/api/packages/5/refund`).
const DOCS: &[&str] = &[
    "docs",
    "doc",
    "how-to",
    "howto",
    "blog",
    "guide",
    "guides",
    "help",
    "kb",
    "learn",
    "tutorial",
    "tutorials",
    "articles",
    "article",
    "manual",
    "faq",
    "wiki",
];

/// Sites whose pages are named by their users (`github.com/o/approve` is a repository,
/// `pypi.org/project/trigger` a package); their APIs are on other hosts.
const PAGE_HOSTS: &[&str] = &[
    "github.com",
    "www.github.com",
    "gitlab.com",
    "bitbucket.org",
    "codeberg.org",
    "pypi.org",
    "www.npmjs.com",
    "npmjs.com",
    "crates.io",
    "rubygems.org",
    "pkg.go.dev",
    "hub.docker.com",
    "en.wikipedia.org",
    "stackoverflow.com",
    "www.youtube.com",
    "raw.githubusercontent.com",
    "gist.github.com",
    "registry.npmjs.org",
    "formulae.brew.sh",
    "docs.rs",
    "www.merriam-webster.com",
    "www.thesaurus.com",
];

/// Segments of a listing of past actions or a search: `?action=delete` on
/// `/audit/events` filters the log by an operation's name.
const LISTINGS: &[&str] = &[
    "audit",
    "audits",
    "audit-log",
    "audit_log",
    "auditlog",
    "audit-logs",
    "audit_logs",
    "events",
    "event",
    "logs",
    "log",
    "history",
    "activity",
    "activities",
    "search",
    "reports",
    "report",
    "trail",
    "trails",
];

/// Whether a URL is a documentation page: its host's first label, or its first segment
/// (its second after a locale such as `en` or `pt-br`), is a [`DOCS`] word.
pub(super) fn docs_page(host: &str, segs: &[&str]) -> bool {
    let is_docs = |w: &str| DOCS.contains(&w.to_ascii_lowercase().as_str());
    let locale = |w: &str| {
        let b = w.as_bytes();
        b.iter().enumerate().all(|(i, c)| {
            if i == 2 {
                *c == b'-' || *c == b'_'
            } else {
                c.is_ascii_alphabetic()
            }
        }) && (b.len() == 2 || b.len() == 5)
    };
    host.split('.').next().is_some_and(is_docs)
        || match segs {
            [first, ..] if is_docs(first) => true,
            [first, second, ..] => locale(first) && is_docs(second),
            _ => false,
        }
}

/// The effect of an action word, if it is one.
fn action(word: &str) -> Option<(Effect, &'static str)> {
    if IRREVERSIBLE.contains(&word) {
        Some((Destructive, "cannot be taken back"))
    } else if ACCESS.contains(&word) {
        Some((Admin, "changes access"))
    } else if CHANGES.contains(&word) {
        Some((Mutating, "changes state"))
    } else {
        None
    }
}

/// The leading word of an action's name: `ban_user`, `ban-user`, `banUser`, `user.ban`'s
/// last dotted part is judged by its own leading word too.
fn lead(name: &str) -> String {
    let name = name.trim_start_matches(['_', '-']);
    let end = name
        .char_indices()
        .skip(1)
        .find(|(_, c)| c.is_ascii_uppercase() || matches!(c, '_' | '-' | '.' | ' ' | '+'))
        .map_or(name.len(), |(i, _)| i);
    name.get(..end).unwrap_or(name).to_ascii_lowercase()
}

/// The last segment as the action it names: matrix parameters dropped (`close;v=1`),
/// percent-escapes decoded (`%63lose`), padding trimmed (`refund%20`, a tab), a server page's
/// or format's ending dropped (`close.php`, `close.json`), lower-cased.
fn last_action(last: &str) -> String {
    let seg = last.split(';').next().unwrap_or(last);
    let seg = if seg.contains('%') {
        super::super::resource::percent_decode(seg)
    } else {
        seg.to_string()
    };
    let seg = seg
        .split(';')
        .next()
        .unwrap_or("")
        .trim_matches(|c: char| c.is_whitespace() || c.is_control() || c == '+')
        .to_ascii_lowercase();
    match ENDINGS.iter().find_map(|e| seg.strip_suffix(e)) {
        Some(stem) => stem.to_string(),
        None => seg,
    }
}

/// The last word of an action's name (`user-ban`, `account_close`, `userBan`), lower-cased.
fn last_word(name: &str) -> String {
    let name = name.trim_end_matches(['_', '-', '.', ' ']);
    let start = name
        .char_indices()
        .rev()
        .find(|(i, c)| {
            *i > 0 && (c.is_ascii_uppercase() || matches!(c, '_' | '-' | '.' | ' ' | '+'))
        })
        .map_or(0, |(i, c)| if c.is_ascii_uppercase() { i } else { i + 1 });
    name.get(start..).unwrap_or(name).to_ascii_lowercase()
}

/// A URL written without its scheme (`api.example.com/v1/x`), as `https://…`: a host with a
/// dot and a path, nothing else. None for anything else (a relative path, a word, a file).
pub(crate) fn schemeless(u: &str) -> Option<String> {
    let u = u.trim();
    let (host, path) = u.split_once('/')?;
    let host_ok = host.contains('.')
        && !host.starts_with('.')
        && host.bytes().any(|b| b.is_ascii_alphabetic())
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'))
        // A file name (`notes.txt/…` is rare; `README.md`) has an extension, not a TLD.
        && host
            .rsplit('.')
            .next()
            .is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic() || b == b':' || b.is_ascii_digit()));
    (host_ok && !path.is_empty() && !u.contains(char::is_whitespace))
        .then(|| format!("https://{u}"))
}

/// A GET (or HEAD) that takes an action through its URL, with its effect.
pub(crate) fn get_action(url: &str, segs: &[&str]) -> Option<(Effect, String)> {
    let lower = url.to_ascii_lowercase();
    let host = super::rules::host(url).to_ascii_lowercase();
    // Hook services' catch URLs: the automation behind them runs on any request.
    let hook_host = host == "hooks.zapier.com"
        || host == "maker.ifttt.com"
        || host.ends_with(".m.pipedream.net")
        || host == "hook.integromat.com"
        || (host.starts_with("hook.") && host.ends_with(".make.com"));
    // Make's and Pipedream's hook URLs are a host and at most one segment.
    let whole_host = host.ends_with(".m.pipedream.net")
        || host == "hook.integromat.com"
        || (host.starts_with("hook.") && host.ends_with(".make.com"));
    if hook_host && (segs.len() >= 2 || whole_host) {
        return Some((
            Mutating,
            format!("requests the hook URL of `{host}`, which runs its automation"),
        ));
    }
    // n8n's `/webhook/ID` and `/webhook-test/ID` run the workflow.
    if segs.len() >= 2
        && segs.first().is_some_and(|s| {
            s.eq_ignore_ascii_case("webhook") || s.eq_ignore_ascii_case("webhook-test")
        })
    {
        return Some((
            Mutating,
            "requests a workflow's webhook URL, which runs it".into(),
        ));
    }
    // A path that climbs (`/docs/../account/close`) is no page and no listing.
    let climbs = lower.contains("/..") || lower.contains("%2e");
    let docs = PAGE_HOSTS.contains(&host.as_str())
        || (!climbs && !host.starts_with("api.") && docs_page(&host, segs));
    let mut best: Option<(Effect, String)> = None;
    let mut raise = |e: Effect, why: String| {
        if best.as_ref().is_none_or(|(b, _)| e.rank() > b.rank()) {
            best = Some((e, why));
        }
    };
    // The last segment, whole, is an action (`/account/close`, `/approve?…`); its matrix
    // parameters and a trailing extension of an API (`close.json`) are not part of it.
    let has_query = url.split_once('?').is_some_and(|(_, q)| q.contains('='));
    if !docs
        && (segs.len() >= 2 || has_query)
        && let Some(last) = segs.last()
    {
        let seg = last_action(last);
        let seg = seg.as_str();
        if let Some((e, why)) = action(seg) {
            raise(
                e,
                format!("requests the action endpoint `{seg}`, which {why}"),
            );
        }
    }
    // A query key that selects an action (`?action=ban`, `?op=approve&id=5`); a search's
    // words (`?q=approve`) are no action.
    if let Some(q) = url
        .split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(q))
    {
        let params = super::rules::params(q);
        let listing = !climbs
            && segs
                .iter()
                .any(|s| LISTINGS.contains(&s.to_ascii_lowercase().as_str()));
        for (k, v) in params.iter().filter(|_| !listing) {
            // `action[]=ban`, `_action=ban`, `ACTION=ban` select as `action=ban` does.
            let key = k.to_ascii_lowercase();
            let key = key.trim_end_matches("[]").trim_matches('_');
            if !ACTION_KEYS.contains(&key) {
                continue;
            }
            // A route names its action last (`?route=account/close`, `?r=user/ban`); the
            // one-letter key selects only a route.
            let v = v.trim();
            let routed = v.contains('/');
            if key == "r" && !routed {
                continue;
            }
            let v = if routed {
                v.trim_end_matches('/').rsplit('/').next().unwrap_or(v)
            } else {
                v
            };
            let word = lead(v);
            let last_dotted = v.rsplit('.').next().map(lead).unwrap_or_default();
            // `user-ban`, `account_close`: the last word acts when no read word leads.
            let last_word = if READ_LEADS.contains(&word.as_str()) {
                String::new()
            } else {
                last_word(v)
            };
            for w in [word, last_dotted, last_word] {
                if let Some((e, why)) = action(&w) {
                    raise(
                        e,
                        format!("selects the action `{v}` in its query (`{k}`), which {why}"),
                    );
                }
            }
        }
    }
    best
}

/// The URL with the query a request object gives apart (`{"url": …, "params": {"action":
/// "ban"}}`, `query`, `query_params`, `searchParams`, `qs`, `parameters`, `query_string`), as
/// the client sends it; None when there is none. The query may be an object, a string
/// (`"query_string": "action=ban"`) or a list of pairs (`[["action", "ban"]]`, `[{"name":
/// "action", "value": "ban"}]`).
pub(crate) fn with_query(
    url: &str,
    options: &[&serde_json::Map<String, serde_json::Value>],
) -> Option<String> {
    use serde_json::Value;
    const KEYS: &[&str] = &[
        "params",
        "query",
        "query_params",
        "queryParams",
        "searchParams",
        "qs",
        "parameters",
        "query_string",
        "queryString",
        "query_parameters",
        "queryParameters",
        "search_params",
        "url_params",
        "urlParams",
        "get_params",
    ];
    let scalar = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let mut pairs: Vec<String> = Vec::new();
    for v in options
        .iter()
        .flat_map(|m| KEYS.iter().filter_map(|k| m.get(*k)))
    {
        match v {
            Value::Object(o) => pairs.extend(
                o.iter()
                    .filter_map(|(k, v)| scalar(v).map(|s| format!("{k}={s}"))),
            ),
            // `"query_string": "action=ban&user=5"` (a leading `?` is the URL's).
            Value::String(q) if q.contains('=') => {
                pairs.push(q.trim_start_matches('?').to_string());
            }
            Value::Array(items) => {
                pairs.extend(items.iter().take(256).filter_map(|item| match item {
                    Value::Array(kv) => match kv.as_slice() {
                        [k, v] => Some(format!("{}={}", k.as_str()?, scalar(v)?)),
                        _ => None,
                    },
                    Value::Object(o) => {
                        let k = ["name", "key", "field"]
                            .iter()
                            .find_map(|n| o.get(*n).and_then(Value::as_str))?;
                        let v = o.get("value").and_then(scalar)?;
                        Some(format!("{k}={v}"))
                    }
                    _ => None,
                }))
            }
            _ => {}
        }
    }
    if pairs.is_empty() {
        return None;
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    Some(format!("{url}{sep}{}", pairs.join("&")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(url: &str) -> Option<Effect> {
        let path = url
            .split_once("://")
            .map_or(url, |(_, r)| r.split_once('/').map_or("", |(_, p)| p));
        let path = path.split(['?', '#']).next().unwrap_or("");
        let segs: Vec<&str> = path.split(['/', ':']).filter(|s| !s.is_empty()).collect();
        get_action(url, &segs).map(|(e, _)| e)
    }

    #[test]
    fn actions_and_their_twins() {
        assert_eq!(at("https://x.example/account/close"), Some(Destructive));
        assert_eq!(at("https://x.example/approve?payment=5"), Some(Mutating));
        assert_eq!(at("https://x.example/admin?action=ban&user=5"), Some(Admin));
        assert_eq!(at("https://x.example/admin?action=banUser"), Some(Admin));
        assert_eq!(
            at("https://hooks.zapier.com/hooks/catch/1/abc/"),
            Some(Mutating)
        );
        assert_eq!(at("https://x.example/docs/how-to-cancel"), None);
        assert_eq!(at("https://x.example/docs/cancel"), None);
        assert_eq!(at("https://x.example/search?q=approve"), None);
        assert_eq!(at("https://x.example/search?action=list"), None);
        assert_eq!(at("https://x.example/api/runs"), None);
        assert_eq!(
            at("https://x.example/v1/audit/events?action=DeleteBucket"),
            None
        );
        assert_eq!(
            at("https://x.example/v1/items?action=delete&limit=5"),
            Some(Destructive)
        );
        assert_eq!(at("https://github.com/o/r/tree/main/bin/run"), None);
        assert_eq!(at("https://github.com/o/approve"), None);
        assert_eq!(at("https://pypi.org/project/trigger/"), None);
    }
}
