//! HTTP-shaped inputs: request texts (one request line or several, `.http` files separated by
//! `###`, with headers and bodies), JSON objects with a method and a URL (the method wherever
//! the arguments put it: `method`, `options.method`, `init.method`, `httpMethod`, `verb`), and
//! GraphQL ([`super::graphql`]). GET, HEAD and OPTIONS read; POST, PUT and PATCH write; DELETE
//! destroys. Method overrides (`X-HTTP-Method-Override` and its kin, `_method=DELETE`) count,
//! and so do APIs that delete through POST or PATCH (`_delete_by_query`, `_bulk` with delete
//! actions, `…:batchDelete`, `POST …/delete`, a forced git ref update). A write to an
//! access-control path (`/admin`, `/iam`, `/roles`, …) is admin.

mod actions;
pub(crate) mod client;
mod credentials;
mod keys;
pub(crate) mod money;
mod object;
pub(crate) use credentials::auth_header;
use credentials::sent_in_headers;
pub(crate) mod rules;
pub(crate) use object::{analyse_object, jndi_lookup};
mod scheme;
pub(crate) use rules::{credential_in, credential_value, foreign_credential};

use serde_json::{Map, Value};

use super::{Ctx, Hint, analyse_text, graphql, shell, snippet};
use crate::Effect::{self, Admin, Destructive, Mutating, Read};

pub(crate) const METHODS: &[&str] = &[
    "GET",
    "HEAD",
    "OPTIONS",
    "TRACE",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "PURGE",
    "CONNECT",
    "PROPFIND",
    "PROPPATCH",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
    "LINK",
    "UNLINK",
];

/// Path segments of access control.
#[rustfmt::skip]
const ADMIN_SEGMENTS: &[&str] = &[
    "admin", "admins", "iam", "role", "roles", "permission", "permissions", "policy", "policies",
    "acl", "acls", "grant", "grants", "member", "members", "memberships", "collaborators",
    "api-keys", "apikeys", "api_keys", "token", "tokens", "secret", "secrets", "credentials",
    "sudo", "access", "ssh-keys", "owners", "privileges", "sso", "saml", "mfa", "deploy",
    "deployments", "rbac", "invitations", "security", "protection", "sharing",
];

/// Words of removal in the last path segment of a write (`POST /db/drop`,
/// `_delete_by_query`, `:batchDelete`).
#[rustfmt::skip]
const DESTROY_WORDS: &[&str] = &[
    "delete", "destroy", "remove", "purge", "wipe", "drop", "terminate", "truncate", "reset",
    "flush", "erase", "nuke", "uninstall", "deprovision", "deletion", "del", "rm", "clear",
    "empty", "shred", "obliterate", "shutdown", "kill", "decommission", "prune", "stop", "halt",
    "poweroff", "deallocate", "quitquitquit", "drain", "hibernate",
];

/// Removal verbs that also start a longer segment written in one word (`deleterange`,
/// `purgeall`).
const DESTROY_PREFIXES: &[&str] = &[
    "delete",
    "destroy",
    "purge",
    "truncate",
    "terminate",
    "wipe",
];

/// Elasticsearch and OpenSearch APIs named by a path segment that take data offline or
/// destroy it through POST or PUT (`POST /_all/_close`, `PUT /logs/_block/write`).
const OFFLINE_APIS: &[&str] = &["_close", "_freeze", "_block", "_shutdown"];

/// Elasticsearch APIs that change nothing a reader would miss, even on every index
/// (`POST /_all/_refresh`).
const HARMLESS_APIS: &[&str] = &["_refresh", "_forcemerge", "_open", "_unfreeze", "_cache"];

/// Elasticsearch and OpenSearch endpoints that only read, whatever the method
/// (`POST /logs/_search`); their twins (`_delete_by_query`, `_update_by_query`) write.
const SEARCH_ENDPOINTS: &[&str] = &[
    "_search",
    "_count",
    "_msearch",
    "_mget",
    "_field_caps",
    "_explain",
    "_terms_enum",
    "_knn_search",
    "_validate",
];

/// Headers that replace the method.
const OVERRIDE_HEADERS: &[&str] = &[
    "x-http-method-override",
    "x-http-method",
    "x-method-override",
];

/// Keys of a JSON request that hold the URL.
const URL_KEYS: &[&str] = &["url", "uri", "endpoint", "href"];
/// Keys that hold the method.
const METHOD_KEYS: &[&str] = &[
    "method",
    "http_method",
    "httpMethod",
    "httpmethod",
    "verb",
    "Method",
    "request_method",
    "requestMethod",
];
/// Keys of nested option objects (`fetch(url, init)`, `axios(config)`, `options`).
const OPTION_KEYS: &[&str] = &[
    "options",
    "init",
    "request",
    "config",
    "opts",
    "settings",
    "fetch_options",
    "fetchOptions",
    "requestInit",
    "request_options",
    "requestOptions",
    "req",
];
/// Keys of a request body.
const BODY_KEYS: &[&str] = &[
    "body",
    "data",
    "json",
    "payload",
    "form",
    "params",
    "query",
    "qs",
    "query_params",
    "queryParams",
    "searchParams",
    "search_params",
    "form_data",
    "formData",
    "files",
    "multipart",
    "cookies",
    "cookie",
];
/// Keys that send a request through another host or pin its address (`proxy`, curl's
/// `resolve` and `connect_to`).
const DETOUR_KEYS: &[&str] = &[
    "proxy",
    "proxies",
    "http_proxy",
    "https_proxy",
    "resolve",
    "connect_to",
    "connectTo",
];
/// Keys of a base URL a relative `url` is joined to.
const BASE_KEYS: &[&str] = &["base_url", "baseURL", "baseUrl", "base"];

/// The words of a path segment: separators and camelCase (`batchDelete` is `batch delete`).
fn segment_words(seg: &str) -> Vec<String> {
    super::super::name::words(seg)
}

fn segments(url: &str) -> Vec<&str> {
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.split(['/', ':']).filter(|s| !s.is_empty()).collect()
}

/// The effect of a method on a URL.
pub(crate) fn method_effect(method: &str, url: &str) -> (Effect, String) {
    request_effect(method, url, "")
}

/// The effect of a request, its body included (bulk deletes, forced ref updates), raised by
/// what its URL and body do beyond the method ([`rules`]).
fn request_effect(method: &str, url: &str, body: &str) -> (Effect, String) {
    let m = method.to_ascii_uppercase();
    let (mut e, mut why) = method_and_path(&m, url, body);
    let segs = segments(url);
    let mut raise = |found: Option<(Effect, String)>| {
        if let Some((fe, fw)) = found
            && fe.rank() > e.rank()
        {
            (e, why) = (fe, fw);
        }
    };
    raise(scheme::scheme_effect(url));
    raise(rules::rpc_operation(url, body));
    if !matches!(m.as_str(), "GET" | "HEAD") {
        raise(rules::soap_operation(body));
    }
    raise(rules::rpc_call(url, &segs));
    raise(rules::instance_credentials(url));
    if matches!(
        m.as_str(),
        "GET" | "HEAD" | "OPTIONS" | "TRACE" | "PROPFIND"
    ) {
        raise(rules::get_writes(url, &segs));
        raise(scheme::get_runs(url, &segs));
        raise(actions::get_action(url, &segs));
    } else {
        raise(rules::write_empties(&m, url, &segs, body).map(|w| (Destructive, w)));
        raise(money::write_effect(&m, &segs));
        if rules::container_engine(url) {
            raise(Some((
                Admin,
                "writes to a container engine's API (control of the host)".into(),
            )));
        }
        if rules::script_console(&segs) && m == "POST" {
            raise(Some((
                Admin,
                "posts to a script console (the server runs the code)".into(),
            )));
        }
    }
    (e, why)
}

/// The effect of the method on the path, with the removals and access changes it names.
fn method_and_path(m: &str, url: &str, body: &str) -> (Effect, String) {
    let segs = segments(url);
    let lower: Vec<String> = segs.iter().map(|s| s.to_ascii_lowercase()).collect();
    // A repository's or project's hooks (`/repos/o/r/hooks`, `/projects/7/hooks`) send its
    // events to the address they are given; a hook service's own catch URL is not one.
    // Creating or changing one (`…/hooks`, `…/hooks/42`), not pinging or testing it.
    let repo_hooks = lower
        .iter()
        .position(|s| matches!(s.as_str(), "repos" | "projects" | "orgs" | "groups"))
        .is_some_and(|i| {
            let after = lower.get(i + 1..).unwrap_or_default();
            match after.iter().rposition(|s| s == "hooks") {
                Some(h) => after
                    .get(h + 1..)
                    .is_some_and(|tail| tail.iter().all(|s| s.chars().all(|c| c.is_ascii_digit()))),
                None => false,
            }
        });
    // A segment's first word counts too (`Keys.json`, `security_level`,
    // `admin.users.setAdmin`); `keys` names credentials only as the last segment or the one
    // before an id (`POST /keys`, `/repos/o/r/keys`), not a key-value store's keys.
    let last = lower.len().saturating_sub(1);
    let admin_path = repo_hooks
        || lower.iter().enumerate().any(|(i, s)| {
            let s = s.trim_start_matches('_');
            // A method name's first word (`admin.users.setAdmin`, `Keys.json`); a word
            // joined by `_` or `-` only for the access words that never name content
            // (`security_level`, not `member_notes` or `access-logs`).
            let dotted = s.split('.').next().unwrap_or(s);
            let joined = s.split(['_', '-']).next().unwrap_or(s);
            ADMIN_SEGMENTS.contains(&s)
                || (s.contains('.') && ADMIN_SEGMENTS.contains(&dotted))
                // Google's `…:setIamPolicy`, Azure's and Graph's role assignments, Graph's
                // `addPassword`/`addKey`, a group's users (Jira's `/group/user`), a
                // repository's or project's transfer.
                || s.ends_with(":setiampolicy")
                || s == "setiampolicy"
                || matches!(
                    s,
                    "roleassignments" | "roleassignmentschedulerequests" | "addpassword" | "addkey"
                )
                || (s == "user" && i > 0 && lower.get(i - 1).is_some_and(|p| p == "group"))
                || (s == "transfer"
                    && lower.iter().any(|p| matches!(p.as_str(), "repos" | "projects")))
                || matches!(
                    joined,
                    "security" | "mfa" | "sso" | "acl" | "iam" | "rbac" | "sudo"
                )
                || (matches!(s, "keys" | "keys.json" | "deploy_keys" | "deploy-keys")
                    && (i == last
                        || (i + 1 == last
                            && lower.get(last).is_some_and(|id| {
                                id.chars().all(|c| c.is_ascii_digit())
                                    || (id.len() >= 16
                                        && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
                            }))))
        });
    let destroy_path = segs.last().is_some_and(|s| {
        let w = segment_words(s);
        w.iter().any(|w| DESTROY_WORDS.contains(&w.as_str()))
            || w.windows(2).any(|p| p == ["power", "off"])
    });
    let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let bulk_delete = lower.last().is_some_and(|s| s == "_bulk") && compact.contains("{\"delete\"");
    // `"force": 1` and `"force": "true"` are taken as true by the API too (the twentieth
    // sets), and so is a form field `force=1`.
    let forced_ref = lower.windows(2).any(|w| w == ["git", "refs"])
        && [
            "\"force\":true",
            "\"force\":1",
            "\"force\":\"true\"",
            "\"force\":\"1\"",
            "force=true",
            "force=1",
        ]
        .iter()
        .any(|f| compact.contains(f));
    let search = lower
        .last()
        .is_some_and(|s| SEARCH_ENDPOINTS.contains(&s.as_str()));
    let destroy_path = destroy_path
        || lower.last().is_some_and(|s| {
            let s = s.trim_start_matches('_');
            DESTROY_PREFIXES.iter().any(|p| s.starts_with(p))
        });
    let offline = lower.iter().any(|s| OFFLINE_APIS.contains(&s.as_str()));
    // `_all`, `*` or a pattern as the target: the write applies to everything it matches.
    let every = lower
        .first()
        .is_some_and(|s| s == "_all" || s.contains('*'))
        && !lower.iter().any(|s| HARMLESS_APIS.contains(&s.as_str()));
    let body_removes = body_removes(&compact, &lower, url);
    match m {
        "GET" | "HEAD" | "OPTIONS" | "TRACE" | "PROPFIND" => (Read, "reads".into()),
        "POST" if search => (Read, "is a search API, which reads".into()),
        "DELETE" | "PURGE" | "UNLINK" if admin_path => {
            (Admin, "deletes on an access-control path".into())
        }
        "DELETE" | "PURGE" | "UNLINK" => (Destructive, "deletes a resource".into()),
        _ if destroy_path => (Destructive, "calls a removal endpoint".into()),
        _ if bulk_delete => (Destructive, "sends bulk delete actions".into()),
        _ if forced_ref => (
            Destructive,
            "force-updates a git ref (commits can be lost)".into(),
        ),
        _ if admin_path => (Admin, "writes to an access-control path".into()),
        _ if offline => (Destructive, "closes, freezes or blocks an index".into()),
        // Elasticsearch's cluster settings and a snapshot's restore, as the Elasticsearch
        // tool judges them (a review of the twenty-fifth sets: `curl -X PUT …`).
        _ if lower
            .windows(2)
            .any(|w| matches!(w, [a, b] if a == "_cluster" && b == "settings")) =>
        {
            (Admin, "changes Elasticsearch cluster settings".into())
        }
        _ if lower.iter().any(|s| s == "_snapshot")
            && lower.last().is_some_and(|s| s == "_restore") =>
        {
            (Destructive, "restores a snapshot over indices".into())
        }
        _ if every => (
            Destructive,
            "writes to every index or target (`_all`, `*`)".into(),
        ),
        _ if body_removes.is_some() => (Destructive, body_removes.unwrap_or("removes").into()),
        _ => (Mutating, "writes".into()),
    }
}

/// Request bodies that remove or overwrite data through a write: CouchDB's `"_deleted":
/// true`, Solr's `<delete>` and `{"delete": …}`, etcd's `request_delete_range`, Consul
/// transactions with a `delete` verb, `overwrite=true`, a snapshot restore with the global
/// state, a retention set to zero.
fn body_removes(compact: &str, lower: &[String], url: &str) -> Option<&'static str> {
    let body = compact.to_ascii_lowercase();
    let url = url.to_ascii_lowercase();
    if body.contains("\"_deleted\":true") {
        return Some("marks documents deleted");
    }
    if body.contains("<delete>")
        || body.contains("<delete ")
        || body.contains("\"delete\":{")
        || body.contains("\"delete\":[")
        || body.contains("{\"delete\":\"")
        || body.contains("delete_range")
        || body.contains("deleterange")
        || body.contains("\"verb\":\"delete")
    {
        return Some("sends delete commands in its body");
    }
    // Elasticsearch's alias actions: `remove_index` deletes the index itself.
    if body.contains("\"remove_index\":") {
        return Some("deletes an index through an alias action");
    }
    if url.contains("overwrite=true") || body.contains("\"overwrite\":true") {
        return Some("overwrites existing data");
    }
    if lower.iter().any(|s| s == "_restore") && body.contains("\"include_global_state\":true") {
        return Some("restores a snapshot over the cluster's global state");
    }
    // The value right after the word (`"retention.ms":"0"`, `{"name": "retention.ms",
    // "value": "0"}`), or the whole body of a write to a retention setting's path.
    let zero = ["\":\"0\"", "\":0,", "\":0}"];
    let near = |text: &str| zero.iter().any(|z| text.contains(z));
    let after_word = body.match_indices("retention").any(|(i, _)| {
        let end = (i + 64).min(body.len());
        body.get(i..end).is_some_and(near)
    });
    if after_word || (url.contains("retention") && near(&body)) {
        return Some("sets a retention to zero (the data expires)");
    }
    None
}

/// A method word in any case (`delete`, `Delete`), as the canonical uppercase method.
/// Methods a request object names besides its method key's text.
fn other_methods(options: &[&Map<String, Value>]) -> Vec<&'static str> {
    let mut out = Vec::new();
    for m in options {
        // Any spelling of a method's key (`METHOD`, `httpVerb`, curl's `request`, `X` and
        // `-X`, libcurl's `customRequest`): the value counts only when it is a method word.
        for (_, v) in m.iter().filter(|(k, _)| method_key(k)) {
            methods_in(v, 0, &mut out);
        }
    }
    out
}

/// The method words in a method key's value: text (quoted too, `"\"DELETE\""`), a list,
/// an object's values (`{"name": "DELETE"}`, the twenty-fourth sets), nested objects
/// (`{"http": {"method": "DELETE"}}`) and an object written as JSON text (a review of set
/// 24a: these were taken as no method, a GET).
fn methods_in(v: &Value, depth: usize, out: &mut Vec<&'static str>) {
    if depth > 3 {
        return;
    }
    match v {
        Value::String(s) => {
            let t = s.trim().trim_matches(['"', '\'', '`']).trim();
            if let Some(w) = method_word(t) {
                out.push(w);
            } else if t.starts_with(['{', '['])
                && t.len() <= 4096
                && let Ok(inner) = serde_json::from_str::<Value>(t)
            {
                methods_in(&inner, depth + 1, out);
            }
        }
        Value::Array(items) => {
            for item in items.iter().take(16) {
                methods_in(item, depth + 1, out);
            }
        }
        // An object's text values, and its objects only under a method's key or `http`
        // (a request's `body` or `headers` under `request` are no method).
        Value::Object(inner) => {
            for (k, item) in inner.iter().take(16) {
                if item.is_string() || method_key(k) || k.eq_ignore_ascii_case("http") {
                    methods_in(item, depth + 1, out);
                }
            }
        }
        _ => {}
    }
}

/// A key that may name a request's method, in any case, with `-`, `_` or leading dashes.
fn method_key(k: &str) -> bool {
    if k.len() > 32 {
        return false;
    }
    let norm: String = k
        .chars()
        .filter(|c| !matches!(c, '-' | '_'))
        .map(|c| c.to_ascii_lowercase())
        .collect();
    matches!(
        norm.as_str(),
        "type"
            | "op"
            | "operation"
            | "action"
            | "method"
            | "httpmethod"
            | "requestmethod"
            | "methodname"
            | "httpmethodname"
            | "verb"
            | "httpverb"
            | "requestverb"
            | "x"
            | "request"
            | "customrequest"
            | "requesttype"
    )
}

fn method_word(w: &str) -> Option<&'static str> {
    METHODS.iter().find(|m| m.eq_ignore_ascii_case(w)).copied()
}

/// A request line: `METHOD URL [HTTP/x]`, the URL absolute or a path.
fn request_line(line: &str) -> Option<(&'static str, &str)> {
    let mut words = line.split_whitespace();
    let method = method_word(words.next()?)?;
    let url = words.next()?;
    let rest = words.next();
    if words.next().is_some() || rest.is_some_and(|r| !r.starts_with("HTTP/")) {
        return None;
    }
    // `{{host}}/users` is a `.http` file's variable.
    (url.starts_with('/') || url.contains("://") || url.starts_with("{{")).then_some((method, url))
}

/// Parameters that override the method (`_method=DELETE`, Firebase's
/// `x-http-method-override=DELETE`, Salesforce's `_HttpMethod`), compared in lower case.
const OVERRIDE_PARAMS: &[&str] = &[
    "_method",
    "x-http-method-override",
    "x-http-method",
    "x-method-override",
    "_httpmethod",
];

/// The method override of a query string or form body (`_method=X` and its kin).
fn method_param(s: &str) -> Option<&'static str> {
    let lower = s.to_ascii_lowercase();
    OVERRIDE_PARAMS.iter().find_map(|p| {
        let key = format!("{p}=");
        lower.match_indices(&key).find_map(|(at, _)| {
            let v = s.get(at + key.len()..)?;
            let v = v
                .split(['&', '"', '\'', ' ', '\n', '#'])
                .next()
                .unwrap_or("");
            method_word(v.trim())
        })
    })
}

/// One request of a request text.
struct Request<'a> {
    method: &'static str,
    url: &'a str,
    headers: Vec<&'a str>,
    body: String,
}

/// Request texts: every request line, with its headers and body; `###` separates requests
/// in `.http` files; command lines among them (`curl …`) go to the shell analyser. Returns true
/// if the text is a request text whose every line was read as part of one.
pub(crate) fn analyse_line(ctx: &mut Ctx, t: &str) -> bool {
    if graphql::analyse(ctx, t) {
        return true;
    }
    let mut requests: Vec<Request> = Vec::new();
    let mut commands: Vec<String> = Vec::new();
    let mut in_body = false;
    let mut first_is_request = None;
    let mut pending = String::new();
    for line in t.lines() {
        let l = line.trim();
        if !pending.is_empty() {
            pending.push(' ');
            pending.push_str(l.trim_end_matches('\\'));
            if !l.ends_with('\\') {
                commands.push(std::mem::take(&mut pending));
            }
            continue;
        }
        if l.starts_with("###") {
            in_body = false;
            continue;
        }
        if let Some((method, url)) = request_line(l) {
            first_is_request.get_or_insert(true);
            requests.push(Request {
                method,
                url,
                headers: Vec::new(),
                body: String::new(),
            });
            in_body = false;
            continue;
        }
        if !in_body && (l.starts_with('#') || l.starts_with("//") || l.starts_with('@')) {
            continue;
        }
        if shell_start(l) && !in_body {
            first_is_request.get_or_insert(false);
            // A prompt sign is not part of the command.
            let l = l.strip_prefix("$ ").unwrap_or(l);
            if l.ends_with('\\') {
                pending = l.trim_end_matches('\\').to_string();
            } else {
                commands.push(l.to_string());
            }
            continue;
        }
        first_is_request.get_or_insert(false);
        let Some(req) = requests.last_mut() else {
            continue;
        };
        if l.is_empty() {
            in_body = true;
        } else if !in_body && is_header(l) {
            req.headers.push(l);
        } else {
            in_body = true;
            req.body.push_str(line);
            req.body.push('\n');
        }
    }
    if !pending.is_empty() {
        commands.push(pending);
    }
    for c in &commands {
        ctx.via("a request text", |ctx| shell::analyse(ctx, c, 1));
    }
    if requests.is_empty() {
        return false;
    }
    for req in &requests {
        request(ctx, req);
    }
    first_is_request == Some(true)
}

/// True if a line is a header: a token, a colon, a value (`X-HTTP-Method-Override: DELETE`).
fn is_header(l: &str) -> bool {
    l.split_once(':').is_some_and(|(name, _)| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
    })
}

/// True if a line of a request text starts a command line (`curl -X DELETE …`).
fn shell_start(l: &str) -> bool {
    let first = l.split_whitespace().next().unwrap_or("");
    matches!(
        first,
        "curl" | "wget" | "http" | "https" | "xh" | "httpie" | "$"
    )
}

fn request(ctx: &mut Ctx, req: &Request) {
    let overridden = req
        .headers
        .iter()
        .filter_map(|h| h.split_once(':'))
        .find(|(name, _)| OVERRIDE_HEADERS.contains(&name.trim().to_ascii_lowercase().as_str()))
        .and_then(|(_, v)| method_word(v.trim()))
        .or_else(|| method_param(req.url))
        .or_else(|| method_param(&req.body));
    judge(ctx, req.method, overridden, req.url, &req.body);
    sent_in_headers(ctx, &req.headers.join("\n"), req.url);
    if !req.body.trim().is_empty() {
        ctx.via("the request body", |ctx| {
            analyse_text(ctx, &req.body, Hint::None, 1)
        });
    }
}

/// An `http:`/`https:` URL spelled as URL parsers forgive it (`https:host/x`, `http:/host`,
/// `https:\\host\x`), written the usual way; None for any other text, or one with `//`
/// (`https://a.com\@b.com`: parsers read its backslashes differently, so it is judged as
/// written).
pub(crate) fn lenient_url(u: &str) -> Option<String> {
    let (scheme, rest) = u.trim().split_once(':')?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
        || rest.starts_with("//")
    {
        return None;
    }
    Some(format!(
        "{}://{}",
        scheme.to_ascii_lowercase(),
        rest.trim_start_matches(['/', '\\']).replace('\\', "/")
    ))
}

/// A URL with `\\` after its `//`, with `/` for each `\\`, as WHATWG parsers read it
/// (`https://host/admin\\wipe-data`); None without a backslash.
pub(crate) fn slashed(url: &str) -> Option<String> {
    if !url.contains('\\') {
        return None;
    }
    url.split_once("://")
        .map(|(s, r)| format!("{s}://{}", r.replace('\\', "/")))
}

/// Judges a request another analyser found (a page script's `fetch`): its method, URL and
/// body, as a request tool's.
pub(crate) fn judge_request(ctx: &mut Ctx, method: &str, url: &str, body: &str) {
    judge(ctx, method, None, url, body);
}

/// Records a request's effect: the higher of the method and its override. Credentials in the
/// URL or body are sent away (admin).
fn judge(ctx: &mut Ctx, method: &str, overridden: Option<&str>, url: &str, body: &str) {
    let decoded = resource_decode(url);
    if let Some(what) = rules::credential_in(body).or_else(|| rules::credential_in(&decoded)) {
        ctx.add(
            Admin,
            format!(
                "http: {} sends {what} in the request",
                snippet(&format!("{method} {url}"))
            ),
        );
    }
    if jndi_lookup(body) && !body.trim_start().starts_with('{') {
        ctx.add(
            Destructive,
            format!(
                "http: {} carries a JNDI lookup (`${{jndi:…}}`), which makes a vulnerable server \
                 run remote code",
                snippet(&format!("{method} {url}"))
            ),
        );
    }
    // A body given as `@path` (curl's spelling, taken by many request tools) uploads the file.
    if let Some(path) = body
        .trim()
        .trim_matches('"')
        .strip_prefix('@')
        .filter(|p| super::args::secret_path(p))
    {
        ctx.add(
            Admin,
            format!(
                "http: {} uploads the secret file `{path}`",
                snippet(&format!("{method} {url}"))
            ),
        );
    }
    if !(method == "POST" && graphql_endpoint(ctx, url, body)) {
        let (e, why) = request_effect(method, url, body);
        ctx.add(
            e,
            format!("http: {} {why}", snippet(&format!("{method} {url}"))),
        );
    }
    if let Some(o) = overridden.filter(|o| !o.eq_ignore_ascii_case(method)) {
        let (e, why) = request_effect(o, url, body);
        ctx.add(
            e,
            format!(
                "http: {} overrides the method to {o}, which {why}",
                snippet(&format!("{method} {url}"))
            ),
        );
    }
}

fn resource_decode(url: &str) -> String {
    super::resource::percent_decode(url)
}

/// A POST to a GraphQL endpoint (`…/graphql`): the operation in its body decides, so a query
/// reads. True if the body held GraphQL (judged here, never read when it does not parse);
/// false if the request is to be judged by its method.
fn graphql_endpoint(ctx: &mut Ctx, url: &str, body: &str) -> bool {
    let last = segments(url).last().map(|s| s.to_ascii_lowercase());
    if !matches!(last.as_deref(), Some("graphql" | "gql")) {
        return false;
    }
    let parsed: Option<Value> = serde_json::from_str(body.trim()).ok();
    let query = match &parsed {
        Some(Value::Object(m)) => m.get("query").and_then(Value::as_str),
        Some(_) => None,
        None => Some(body),
    };
    let Some(query) = query.filter(|q| !q.trim().is_empty()) else {
        return false;
    };
    if !graphql::analyse(ctx, query) {
        ctx.add(
            Mutating,
            format!(
                "http: {} posts {} to a graphql endpoint, which does not parse as graphql",
                snippet(url),
                snippet(query)
            ),
        );
    }
    true
}

#[cfg(test)]
#[path = "http_tests.rs"]
mod tests;
