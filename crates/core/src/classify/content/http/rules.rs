//! Requests whose effect is not in their method: a GET that writes through its URL (an RPC
//! operation in a query parameter, a request body in the query string, a Redis command as a
//! path segment, a link to a removal endpoint), writes that empty or stop what they reach
//! (an empty body at a root or a configuration endpoint, capacity set to zero), script
//! consoles, and credentials sent in a request.

use serde_json::Value;

use super::super::{resource, structured};
pub(crate) use super::credentials::{credential_in, credential_value, foreign_credential};
use crate::Effect::{self, Admin, Destructive, Mutating, Read};

/// Query-string and form parameters, percent-decoded (`+` is a space), names lower-cased.
pub(super) fn params(s: &str) -> Vec<(String, String)> {
    s.split(['&', ';'])
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            let k = resource::percent_decode(&k.replace('+', " "));
            let v = resource::percent_decode(&v.replace('+', " "));
            (!k.trim().is_empty()).then(|| (k.trim().to_ascii_lowercase(), v))
        })
        .collect()
}

/// The query string of a URL.
pub(super) fn query(url: &str) -> &str {
    url.split_once('?')
        .map_or("", |(_, q)| q.split('#').next().unwrap_or(""))
}

/// The host of a URL, lower-cased, without the port.
pub(super) fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or("", |(_, r)| r);
    let auth = rest.split(['/', '?', '#']).next().unwrap_or("");
    let auth = auth.rsplit('@').next().unwrap_or(auth);
    auth.split(':').next().unwrap_or("").to_ascii_lowercase()
}

/// The port of a URL, if it names one.
fn port(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let auth = rest.split(['/', '?', '#']).next().unwrap_or("");
    auth.rsplit_once(':').map(|(_, p)| p)
}

/// Docker's API on its TCP ports (2375 plain, 2376 with TLS): whoever writes there runs
/// containers as root on the host.
pub(super) fn container_engine(url: &str) -> bool {
    matches!(port(url), Some("2375" | "2376"))
}

/// Parameters that name an RPC operation (the AWS Query API's `Action`).
const OP_PARAMS: &[&str] = &["action", "operation", "op", "x-amz-target"];

/// An RPC operation named in a query parameter or a form body (`?Action=TerminateInstances`),
/// judged by the SDK vocabulary. Only at an RPC endpoint: the path is the root, the request
/// names an API `Version`, or the host is a cloud API's; elsewhere `action=DeleteBucket` is a
/// filter of what is read.
pub(super) fn rpc_operation(url: &str, form: &str) -> Option<(Effect, String)> {
    let mut ps = params(query(url));
    let form = form.trim();
    // A JSON-RPC batch: every call in it is judged.
    if form.starts_with('[')
        && let Ok(Value::Array(calls)) = serde_json::from_str::<Value>(form)
    {
        return calls
            .iter()
            .filter_map(|c| rpc_operation(url, &c.to_string()))
            .max_by_key(|(e, _)| e.rank());
    }
    if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(form) {
        ps.extend(
            m.iter()
                .filter_map(|(k, v)| Some((k.to_ascii_lowercase(), v.as_str()?.to_string()))),
        );
    } else if !form.starts_with(['{', '[', '<']) {
        ps.extend(params(form));
    }
    let h = host(url);
    let root = super::segments(url).is_empty();
    // JSON-RPC names its operation `method` (`{"jsonrpc": "2.0", "method": "user.create"}`),
    // every word of it (`user.create` is not just `create`).
    if ps.iter().any(|(k, _)| k == "jsonrpc")
        && let Some((_, method)) = ps.iter().find(|(k, _)| k == "method")
    {
        let (e, why) = structured::sdk_operation(&method.replace('.', "_"), false)?;
        return Some((
            e,
            format!("calls the JSON-RPC method `{method}`, which {why}"),
        ));
    }
    let rpc = root
        || ps.iter().any(|(k, _)| k == "version")
        || h.ends_with(".amazonaws.com")
        || h.ends_with(".amazonaws.com.cn")
        || h.ends_with(".aliyuncs.com");
    if !rpc {
        return None;
    }
    ps.iter()
        .filter(|(k, _)| OP_PARAMS.contains(&k.as_str()))
        .filter_map(|(_, v)| {
            let (e, why) = structured::sdk_operation(v, true)?;
            Some((
                e,
                format!("names the operation `{v}` in its parameters, which {why}"),
            ))
        })
        .max_by_key(|(e, _)| e.rank())
}

/// A SOAP call's operation: the first element of its envelope's body (`<urn:Destroy_Task>`,
/// `<urn:delete>`), judged by the SDK vocabulary.
pub(super) fn soap_operation(body: &str) -> Option<(Effect, String)> {
    let t = body.trim_start();
    if !t.starts_with('<') {
        return None;
    }
    // `<soap:Body>`, `<Body>`, `<soapenv:Body wsu:Id="b">`.
    let at = t.match_indices("Body").map(|(i, _)| i).find(|&i| {
        let before = t.get(..i).unwrap_or_default();
        let after = t.get(i + 4..).unwrap_or_default();
        (before.ends_with(':') || before.ends_with('<'))
            && after.starts_with(|c: char| c == '>' || c.is_whitespace())
    })?;
    let after = t.get(at..)?;
    let mut open = after.get(after.find('>')? + 1..)?.trim_start();
    // Comments before the operation.
    while let Some(rest) = open.strip_prefix("<!--") {
        open = rest.get(rest.find("-->")? + 3..)?.trim_start();
    }
    let tag = open.strip_prefix('<')?;
    let name = tag
        .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .next()?;
    let op = name.rsplit(':').next().unwrap_or(name);
    let (e, why) = structured::sdk_operation(op, false)?;
    Some((e, format!("calls the SOAP operation `{op}`, which {why}")))
}

/// Redis commands, as a Webdis-style gateway takes them in the first path segment
/// (`GET /FLUSHALL`, `GET /SET/k/v`).
#[rustfmt::skip]
const REDIS: &[(&str, Effect)] = &[
    ("GET", Read), ("MGET", Read), ("KEYS", Read), ("SCAN", Read), ("INFO", Read),
    ("EXISTS", Read), ("TTL", Read), ("TYPE", Read), ("HGET", Read), ("HGETALL", Read),
    ("LRANGE", Read), ("SMEMBERS", Read), ("ZRANGE", Read), ("STRLEN", Read), ("PING", Read),
    ("DBSIZE", Read), ("LLEN", Read), ("SCARD", Read),
    ("SET", Mutating), ("MSET", Mutating), ("HSET", Mutating), ("LPUSH", Mutating),
    ("RPUSH", Mutating), ("SADD", Mutating), ("ZADD", Mutating), ("INCR", Mutating),
    ("PUBLISH", Mutating), ("EXPIRE", Mutating), ("APPEND", Mutating), ("SETEX", Mutating),
    ("DEL", Destructive), ("UNLINK", Destructive), ("FLUSHALL", Destructive),
    ("FLUSHDB", Destructive), ("SHUTDOWN", Destructive), ("GETDEL", Destructive),
    ("HDEL", Destructive), ("SREM", Destructive), ("ZREM", Destructive), ("LTRIM", Destructive),
    ("RENAME", Destructive), ("SWAPDB", Destructive), ("SCRIPT", Destructive),
    ("FUNCTION", Destructive), ("CLIENT", Destructive),
    ("CONFIG", Admin), ("SLAVEOF", Admin), ("REPLICAOF", Admin), ("DEBUG", Admin),
    ("MODULE", Admin), ("ACL", Admin), ("EVAL", Admin), ("EVALSHA", Admin), ("MIGRATE", Admin),
    ("BGSAVE", Mutating), ("SAVE", Mutating), ("BGREWRITEAOF", Mutating),
];

/// Verbs of action that make a GET to an API's endpoint a write (`GET /api/cart/clear`).
const GET_ACTIONS: &[&str] = &[
    "clear",
    "reset",
    "trigger",
    "deploy",
    "redeploy",
    "build",
    "buildwithparameters",
    "restart",
    "reboot",
    "rollback",
    "approve",
    "publish",
    "unpublish",
    "retry",
    "rerun",
    "pause",
    "resume",
];

/// Verbs of access change that make a GET to an id's endpoint an access change (`GET
/// /users/42/ban`).
const GET_ACCESS: &[&str] = &[
    "ban",
    "suspend",
    "disable",
    "deactivate",
    "revoke",
    "block",
    "kick",
    "promote",
    "demote",
    "impersonate",
    "grant",
    "unlock",
    "lock",
];

/// Verbs of removal that make a GET to the path's last segment a removal (`GET
/// /users/42/delete`).
const GET_REMOVALS: &[&str] = &[
    "delete",
    "destroy",
    "remove",
    "purge",
    "wipe",
    "drop",
    "truncate",
    "flushall",
    "flushdb",
    "erase",
    "terminate",
    "uninstall",
    "shutdown",
];

/// What a removal endpoint's second word names (`wipe-data`, `revoke-all`, `purge-cache`).
const GET_SCOPES: &[&str] = &[
    "all",
    "data",
    "cache",
    "caches",
    "everything",
    "db",
    "database",
    "databases",
    "tokens",
    "sessions",
    "account",
    "accounts",
    "users",
    "user",
    "history",
    "logs",
    "storage",
    "keys",
    "files",
    "index",
    "indices",
    "queue",
    "records",
    "table",
    "tables",
    "bucket",
    "project",
    "repo",
    "repository",
    "backups",
    "snapshots",
];

/// A GET (or HEAD) that changes something through its URL. None if it only reads.
/// What a method named on a GET does: an admin API's (`admin.users.setAdmin`) changes access;
/// otherwise its name judged as an operation's when that removes or changes access, or a
/// write when its last word starts with a writing verb (`users.admin.setInactive`,
/// `setWebhook`, `chat.update` directly under `/api/`). A method that reads (`users.info`, `conversations.list`)
/// stays a read.
fn rpc_effect(op: &str, method_path: bool) -> Option<(Effect, &'static str)> {
    let lower = op.to_ascii_lowercase();
    // Slack's admin API changes access, but its lists and lookups read (`admin.users.list`).
    let reads = [
        "list", "info", "get", "search", "lookup", "count", "history",
    ];
    let last = lower.rsplit('.').next().unwrap_or(&lower);
    if (lower.starts_with("admin.") || lower.contains(".admin."))
        && !reads.iter().any(|r| last.starts_with(r))
    {
        return Some((Admin, "changes access or credentials"));
    }
    if let Some((e, why)) = structured::sdk_operation(op, false)
        && matches!(e, Destructive | Admin)
    {
        return Some((e, why));
    }
    const WRITES: &[&str] = &[
        "set",
        "update",
        "create",
        "add",
        "delete",
        "remove",
        "approve",
        "invite",
        "kick",
        "archive",
        "rename",
        "revoke",
        "reset",
        "disable",
        "enable",
        "post",
        "send",
        "upload",
        "ban",
        "restrict",
        "promote",
        "leave",
        "join",
        "close",
        "unarchive",
        "edit",
    ];
    // The verb is a whole part (`reactions.add`) or starts a camel-case one (`setWebhook`,
    // `chat.postMessage`); not the start of a word (`settingsPage`, `postCount`,
    // `john.sender`).
    let last = op.rsplit('.').next().unwrap_or(op);
    let verb_at = |w: &str| {
        let rest = last
            .get(..w.len())
            .filter(|h| h.eq_ignore_ascii_case(w))
            .and_then(|_| last.get(w.len()..));
        rest.is_some_and(|r| {
            (r.is_empty() && op.contains('.') && method_path)
                || r.starts_with(|c: char| c.is_ascii_uppercase())
        })
    };
    WRITES
        .iter()
        .any(|w| verb_at(w))
        .then_some((Mutating, "writes"))
}

/// A segment that names a method: dotted words (`admin.users.setAdmin`, not `index.html`) or
/// one camel-case name (`setWebhook`, `deleteMessage`).
fn rpc_method(seg: &str) -> bool {
    let parts: Vec<&str> = seg.split('.').collect();
    let words = parts
        .iter()
        .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphabetic()));
    let camel = seg.starts_with(|c: char| c.is_ascii_lowercase())
        && seg.chars().any(|c| c.is_ascii_uppercase());
    words
        && ((parts.len() >= 2
            && !matches!(
                parts.last().map(|l| l.to_ascii_lowercase()).as_deref(),
                Some(
                    "html"
                        | "htm"
                        | "json"
                        | "xml"
                        | "php"
                        | "asp"
                        | "aspx"
                        | "jsp"
                        | "txt"
                        | "md"
                        | "js"
                        | "css"
                )
            ))
            || (parts.len() == 1 && camel))
}

pub(super) fn get_writes(url: &str, segs: &[&str]) -> Option<(Effect, String)> {
    let ps = params(query(url));
    // A request body carried in the query string (Solr's `stream.body`).
    if let Some((_, body)) = ps.iter().find(|(k, _)| k == "stream.body") {
        let compact: String = body.chars().filter(|c| !c.is_whitespace()).collect();
        if let Some(why) = super::body_removes(&compact, &[], url) {
            return Some((Destructive, format!("{why} (in `stream.body`)")));
        }
        return Some((
            Mutating,
            "sends a request body in its query (`stream.body`)".into(),
        ));
    }
    let last = segs.last().map(|s| s.to_ascii_lowercase());
    if last.as_deref() == Some("update")
        && ps.iter().any(|(k, v)| {
            matches!(k.as_str(), "commit" | "optimize" | "expungedeletes")
                && v.eq_ignore_ascii_case("true")
                || k.starts_with("stream.")
        })
    {
        return Some((Mutating, "commits through an update handler".into()));
    }
    // A Redis command as the first segment (Webdis): upper case, or on Webdis's port.
    if let Some(first) = segs.first() {
        let webdis = port(url) == Some("7379");
        let upper = first.chars().all(|c| c.is_ascii_uppercase());
        if (upper || webdis)
            && let Some((cmd, e)) = REDIS.iter().find(|(c, _)| c.eq_ignore_ascii_case(first))
            && *e != Read
        {
            let e =
                if *cmd == "CONFIG" && segs.get(1).is_some_and(|s| s.eq_ignore_ascii_case("get")) {
                    Read
                } else {
                    *e
                };
            if e != Read {
                return Some((
                    e,
                    format!("runs the Redis command `{cmd}` through its path"),
                ));
            }
        }
    }
    // A link to a removal endpoint after what it removes (`GET /admin/users/5/delete`); a
    // page (`/delete-api`, `delete.md`), a noun (`deletion-requests`) or a lone segment is
    // read.
    if let Some(l) = &last
        && segs.len() >= 2
        && GET_REMOVALS.contains(&l.as_str())
    {
        return Some((Destructive, format!("requests the removal endpoint `{l}`")));
    }
    // A lone removal segment on an API's host (`GET https://api.example.com/wipe`,
    // `http://localhost:8080/purge`; a review of set 24a): no page is served there. Twin: a
    // site's `https://example.com/delete` is a page.
    if let Some(l) = &last
        && segs.len() == 1
        && GET_REMOVALS.contains(&l.as_str())
        && api_host(url)
    {
        return Some((
            Destructive,
            format!("requests the removal endpoint `{l}` of an API"),
        ));
    }
    // A removal verb and what it removes as the last segment (`/admin/wipe-data`,
    // `/tokens/revoke-all`, `/purge_cache`): two words, the second a scope word, as an action
    // endpoint is named; a page's slug (`/deleting-a-repository`, `/delete-api`) is not this.
    // (`/purge-cache;jsessionid=…` is the same endpoint; a documentation page about the
    // endpoint, `/docs/…/purge-cache/`, is a page.)
    // A path that climbs (`/docs/../admin/purge-cache`, `%2e%2e`) is no documentation page.
    let climbs = segs.iter().any(|s| {
        let s = s.to_ascii_lowercase();
        s == "." || s == ".." || s.contains("%2e")
    });
    let docs = !climbs
        && segs.iter().any(|s| {
            matches!(
                s.to_ascii_lowercase().as_str(),
                "docs"
                    | "doc"
                    | "how-to"
                    | "howto"
                    | "blog"
                    | "guide"
                    | "guides"
                    | "help"
                    | "kb"
                    | "learn"
                    | "tutorial"
                    | "tutorials"
                    | "articles"
                    | "article"
                    | "manual"
            )
        });
    if let Some(l) = &last
        && !docs
        // `…/admin\wipe-data`: URL parsers take `\` for `/`.
        && let Some((verb, scope)) = l
            .split(';')
            .next()
            .unwrap_or(l)
            .rsplit('\\')
            .next()
            .unwrap_or(l)
            .split_once(['-', '_'])
        && (GET_REMOVALS.contains(&verb) || matches!(verb, "revoke" | "reset" | "clear" | "flush"))
        && GET_SCOPES.contains(&scope)
    {
        return Some((Destructive, format!("requests the removal endpoint `{l}`")));
    }
    if let Some(l) = &last
        && matches!(
            l.as_str(),
            "unsubscribe-all" | "unsubscribe_all" | "unsubscribeall"
        )
    {
        return Some((Mutating, format!("requests the endpoint `{l}`")));
    }
    // An action endpoint named for what it does (Struts' `deleteDestination.action`, a CGI's
    // `reboot.cgi`, `purgeCache.do`): these act on a GET, unlike a page (`delete.html`).
    if let Some(seg) = segs.last().map(|s| s.split(';').next().unwrap_or(s))
        && let Some((stem, ext)) = seg.rsplit_once('.')
        && ["action", "do", "cgi"]
            .iter()
            .any(|e| ext.eq_ignore_ascii_case(e))
    {
        // The verb leads the name (`deleteUser`, `DeleteUser`, `delete_user`) or its last
        // dotted part (`user.delete`); `drop-down` is a widget.
        let lead = |name: &str| {
            let name = name.trim_start_matches(['_', '-']);
            let end = name
                .char_indices()
                .skip(1)
                .find(|(_, c)| c.is_ascii_uppercase() || matches!(c, '_' | '-'))
                .map_or(name.len(), |(i, _)| i);
            name.get(..end).unwrap_or(name).to_ascii_lowercase()
        };
        let verbs = [lead(stem.rsplit('.').next().unwrap_or(stem)), lead(stem)];
        if verbs
            .iter()
            .any(|v| v != "drop" && GET_REMOVALS.contains(&v.as_str()))
        {
            return Some((Destructive, format!("requests the removal action `{seg}`")));
        }
        if verbs.iter().any(|v| {
            matches!(
                v.as_str(),
                "reboot" | "restart" | "shutdown" | "halt" | "poweroff" | "stop" | "kill" | "reset"
            )
        }) {
            return Some((Mutating, format!("requests the action `{seg}`")));
        }
    }
    // A statement in a query parameter (InfluxDB `/query?q=DROP …`, ClickHouse `?query=…`,
    // GraphQL `?query=mutation{…}`) and Solr's core removal (`action=UNLOAD&deleteIndex=true`).
    // Only at an endpoint that runs statements (its last segment, or the root as ClickHouse
    // serves it): `/search?q=drop table syntax` is a search.
    let runs_statements = last.as_deref().is_none_or(|l| {
        matches!(
            l,
            "query"
                | "sql"
                | "_sql"
                | "exec"
                | "execute"
                | "graphql"
                | "statement"
                | "statements"
                | "command"
                | "cmd"
                | "v1"
                | "v2"
        )
    });
    // At the root only ClickHouse's `query`: `/?q=drop shipping` is a search engine's query.
    let at_root = last.is_none();
    if runs_statements
        && let Some(hit) = ps
            .iter()
            .filter(|(k, _)| !at_root || matches!(k.as_str(), "query" | "sql"))
            .find_map(|(k, v)| statement_param(k, v))
    {
        return Some(hit);
    }
    if ps.iter().any(|(k, v)| {
        matches!(
            k.as_str(),
            "deleteindex" | "deletedatadir" | "deleteinstancedir"
        ) && v.eq_ignore_ascii_case("true")
    }) {
        return Some((
            Destructive,
            "removes a search core's data (`deleteIndex`)".into(),
        ));
    }
    // Management endpoints that act on a GET: Tomcat's `/manager/text/undeploy` and `/stop`,
    // Spark's `/app/kill/`, Flink's `/jobs/ID/yarn-cancel`; `reset` when it is confirmed.
    // A documentation page's slug (`/docs/how-to-cancel`) is a page, by the GET-action rule's
    // test of one (its first segment, not any: `/api/help/jobs/7/force-stop` is no page); the
    // endpoint's own name (`/job/docs/42/stop`, a Jenkins job named `docs`) is the endpoint
    // wherever it sits.
    if let Some(l) = &last
        && segs.len() >= 2
        && (!(docs && super::actions::docs_page(&host(url).to_ascii_lowercase(), segs))
            || matches!(
                l.split(';').next().unwrap_or(l),
                "undeploy" | "kill" | "cancel" | "stop" | "reset" | "yarn-cancel"
            ))
    {
        let verb = l.rsplit(['-', '_']).next().unwrap_or(l);
        let confirmed = ps.iter().any(|(k, v)| {
            k == "confirm" && matches!(v.to_ascii_lowercase().as_str(), "yes" | "true" | "1")
        });
        if matches!(verb, "undeploy" | "kill" | "cancel" | "stop") || (verb == "reset" && confirmed)
        {
            return Some((Destructive, format!("requests the action endpoint `{l}`")));
        }
    }
    // Jolokia runs an MBean operation (`/jolokia/exec/…`) or sets an attribute (`/write/`).
    if let Some(i) = segs.iter().position(|s| s.eq_ignore_ascii_case("jolokia"))
        && segs
            .get(i + 1)
            .is_some_and(|s| s.eq_ignore_ascii_case("exec") || s.eq_ignore_ascii_case("write"))
    {
        return Some((Mutating, "runs a JMX operation through Jolokia".into()));
    }
    // A remote procedure named by the last segment of an API that takes its calls on a GET
    // (Slack's `/api/admin.users.setAdmin`, Telegram's `/bot<token>/setWebhook`): judged as
    // the operation's name is.
    if let Some(op) = segs.last()
        && segs.len() >= 2
        && rpc_method(op)
        && (host(url).starts_with("api.")
            || ((host(url) == "slack.com" || host(url).ends_with(".slack.com"))
                && segs.first().is_some_and(|s| s.eq_ignore_ascii_case("api")))
            // Telegram's `bot<id>:<token>` segment.
            || segs.first().is_some_and(|s| {
                s.get(..3).is_some_and(|b| b.eq_ignore_ascii_case("bot")) && s.contains(':')
            }))
        && let Some((e, why)) = rpc_effect(
            op,
            segs.len() == 2 && segs.first().is_some_and(|s| s.eq_ignore_ascii_case("api")),
        )
    {
        return Some((e, format!("calls the API method `{op}`, which {why}")));
    }
    // Last, so that every rule above that names a higher effect is tried first.
    // An access change after the id it applies to (`GET /v1/users/42/ban`).
    if let Some(l) = &last
        && GET_ACCESS.contains(&l.as_str())
        && segs.len() >= 2
        && segs
            .get(segs.len() - 2)
            .is_some_and(|id| id.chars().any(|c| c.is_ascii_digit()))
    {
        return Some((
            Admin,
            format!("requests the access-change endpoint `{l}` for an id"),
        ));
    }
    // An action endpoint of an API, or of an id (`GET /api/cart/clear`, `GET
    // /job/deploy-prod/build`, `GET /runs/42/retry`), or an action confirmed in the query
    // (`?confirm=true`): APIs that act on a GET exist. A documentation page
    // (`/commandline/start`) is neither.
    if let Some(l) = &last
        && GET_ACTIONS.contains(&l.as_str())
        && segs.len() >= 2
    {
        let lower: Vec<String> = segs.iter().map(|s| s.to_ascii_lowercase()).collect();
        let api = host(url).starts_with("api.")
            || lower.iter().any(|s| {
                s == "api"
                    || s == "job"
                    || s.strip_prefix('v').is_some_and(|n| {
                        (1..=2).contains(&n.len()) && n.chars().all(|c| c.is_ascii_digit())
                    })
            });
        let of_id = lower
            .get(lower.len() - 2)
            .is_some_and(|id| id.chars().any(|c| c.is_ascii_digit()));
        if api || of_id {
            return Some((Mutating, format!("requests the action endpoint `{l}`")));
        }
    }
    if let Some((k, _)) = ps.iter().find(|(k, v)| {
        matches!(k.to_ascii_lowercase().as_str(), "confirm" | "confirmed")
            && matches!(v.to_ascii_lowercase().as_str(), "true" | "1" | "yes")
    }) {
        // A confirmed access change named by the last segment (`/api-keys/revoke-all?confirm=1`);
        // removals by name are judged above, and `unsubscribe` is a write.
        if let Some(l) = &last
            && crate::classify::name::name_tier(l).effect == Some(Admin)
        {
            return Some((
                Admin,
                format!("confirms the access change `{l}` in its query (`{k}`)"),
            ));
        }
        return Some((Mutating, format!("confirms an action in its query (`{k}`)")));
    }
    None
}

/// A host that serves an API, not pages: `api.…`, `…-api.…`, a loopback or private
/// address, or an explicit port.
fn api_host(url: &str) -> bool {
    let h = host(url);
    let first = h.split('.').next().unwrap_or("");
    first == "api"
        || first.ends_with("-api")
        || first.starts_with("api-")
        || h == "localhost"
        || h.parse::<std::net::IpAddr>().is_ok()
        || port(url).is_some()
}

/// A statement that changes something, carried by a query parameter that runs it.
pub(super) fn statement_param(key: &str, value: &str) -> Option<(Effect, String)> {
    if !matches!(
        key,
        "q" | "query" | "sql" | "stmt" | "statement" | "cmd" | "command"
    ) {
        return None;
    }
    let v = value.trim_start();
    let first: String = v
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .collect::<String>()
        .to_ascii_uppercase();
    let e = match first.as_str() {
        "DROP" | "DELETE" | "TRUNCATE" => Destructive,
        "GRANT" | "REVOKE" => Admin,
        "ALTER" | "INSERT" | "UPDATE" | "CREATE" | "MERGE" | "REPLACE" | "UPSERT" | "KILL"
        | "OPTIMIZE" | "RENAME" | "SET" => Mutating,
        // A GraphQL mutation: what it removes is in its field names.
        "MUTATION" => {
            let lower = v.to_ascii_lowercase();
            if ["delete", "remove", "destroy", "drop", "purge"]
                .iter()
                .any(|w| lower.contains(w))
            {
                Destructive
            } else {
                Mutating
            }
        }
        _ => return None,
    };
    Some((
        e,
        format!(
            "runs {} from its `{key}` parameter",
            super::super::snippet(v)
        ),
    ))
}

/// Path segments of configuration endpoints that replace the whole configuration
/// (Caddy's `POST /load`, `PUT /config`).
const CONFIG_SEGMENTS: &[&str] = &["load", "config", "configuration", "cfg"];

/// Path segments of scaling resources, where a count of zero stops the workload.
const SCALE_SEGMENTS: &[&str] = &[
    "formation",
    "scale",
    "scaling",
    "capacity",
    "replicas",
    "autoscaling",
    "dynos",
    "size",
];

/// Fields whose zero stops a workload wherever they sit.
const ZERO_FIELDS: &[&str] = &[
    "replicas",
    "desiredcount",
    "desiredcapacity",
    "desiredsize",
    "desiredreplicas",
    "maxreplicas",
    "maxsize",
    "maxcapacity",
    "instancecount",
    "nodecount",
    "numnodes",
    "numreplicas",
    "targetsize",
];

/// Fields that also count under a scaling path (`quantity` of a Heroku formation).
const SCALE_FIELDS: &[&str] = &[
    "quantity",
    "size",
    "count",
    "instances",
    "scale",
    "capacity",
];

/// The lower-cased letters and digits of a key (`desired_count` is `desiredcount`).
pub(crate) fn norm_key(k: &str) -> String {
    k.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// True if `key: value` sets a capacity to zero wherever it sits (`replicas: 0`,
/// `DesiredCount: 0`).
pub(crate) fn zero_field(key: &str, v: &Value) -> bool {
    is_zero(v) && ZERO_FIELDS.contains(&norm_key(key).as_str())
}

fn is_zero(v: &Value) -> bool {
    match v {
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::String(s) => s.trim() == "0",
        _ => false,
    }
}

/// The first field of a JSON value that sets a capacity to zero, to a bounded depth.
pub(crate) fn zero_capacity(v: &Value, scaling: bool, depth: usize) -> Option<String> {
    match v {
        Value::Object(m) if depth < 16 => m.iter().find_map(|(k, v)| {
            let nk = norm_key(k);
            if is_zero(v)
                && (ZERO_FIELDS.contains(&nk.as_str())
                    || (scaling && SCALE_FIELDS.contains(&nk.as_str())))
            {
                return Some(format!("{k}: 0"));
            }
            zero_capacity(v, scaling, depth + 1)
        }),
        Value::Array(items) if depth < 16 => items
            .iter()
            .find_map(|i| zero_capacity(i, scaling, depth + 1)),
        _ => None,
    }
}

/// A write that empties or stops what it reaches: an empty body (`null`, `{}`) written at a
/// database root or a configuration endpoint, `null` written anywhere with PUT, a `null`
/// child in a Firebase PATCH, a capacity set to zero.
pub(super) fn write_empties(method: &str, url: &str, segs: &[&str], body: &str) -> Option<String> {
    let b = body.trim();
    let parsed: Option<Value> = serde_json::from_str(b).ok();
    let empty = b.is_empty()
        || matches!(&parsed, Some(Value::Null))
        || matches!(&parsed, Some(Value::Object(m)) if m.is_empty())
        || matches!(&parsed, Some(Value::Array(a)) if a.is_empty());
    let lower: Vec<String> = segs.iter().map(|s| s.to_ascii_lowercase()).collect();
    // The root of a JSON database (`/.json`) or of the service.
    let root = lower.is_empty() || matches!(lower.as_slice(), [one] if one == ".json");
    if method == "PUT" && matches!(&parsed, Some(Value::Null)) {
        return Some("writes `null` over a resource (it is deleted)".into());
    }
    if empty && root && method != "POST" {
        return Some("writes an empty value at the root (everything under it is replaced)".into());
    }
    let last = lower.last().map(String::as_str).unwrap_or("");
    if empty && CONFIG_SEGMENTS.contains(&last) {
        return Some("loads an empty configuration (everything it served stops)".into());
    }
    let h = host(url);
    if (h.ends_with("firebaseio.com") || h.ends_with("firebasedatabase.app"))
        && method == "PATCH"
        && let Some(Value::Object(m)) = &parsed
        && m.values().any(Value::is_null)
    {
        return Some("writes `null` children (Firebase deletes them)".into());
    }
    let scaling = lower.iter().any(|s| SCALE_SEGMENTS.contains(&s.as_str()));
    if let Some(v) = &parsed
        && let Some(f) = zero_capacity(v, scaling, 0)
    {
        return Some(format!("sets `{f}` (the workload stops)"));
    }
    None
}

/// Script consoles: the body is code the server runs (Jenkins `/script`, `/scriptText`).
pub(super) fn script_console(segs: &[&str]) -> bool {
    segs.last().is_some_and(|s| {
        matches!(
            s.to_ascii_lowercase().as_str(),
            "script" | "scripttext" | "groovy" | "run-script" | "runscript"
        )
    })
}

/// A method call named in the last path segment or an action parameter: RPC-style APIs
/// take any method (`GET /api/chat.delete`, `GET /bot…/deleteMessage`, `GET
/// /api/delete_message`, `?action=delete`, `?method=delete`). The segment must have a
/// method's shape (dotted, camelCase or snake_case, not a file's extension), and only a
/// removal or an access change raises.
pub(super) fn rpc_call(url: &str, segs: &[&str]) -> Option<(Effect, String)> {
    use crate::classify::name::{name_tier, words};
    let raise = |name: &str| match name_tier(name).effect {
        Some(e @ (Destructive | Admin)) => Some(e),
        _ => None,
    };
    if let Some(last) = segs.last() {
        const EXTENSIONS: &[&str] = &[
            "html", "htm", "md", "php", "asp", "aspx", "jsp", "json", "xml", "txt", "cgi", "js",
            "css", "pdf", "png", "svg", "yaml", "yml", "csv", "zip", "gz",
        ];
        let ext = last.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
        // Two or three dotted parts (`chat.delete`, `admin.users.remove`); a longer name is
        // a documented symbol (`system.io.file.delete`).
        let dotted = (2..=3).contains(&last.split('.').count())
            && ext.as_deref().is_some_and(|e| !EXTENSIONS.contains(&e));
        let camel = last.starts_with(|c: char| c.is_ascii_lowercase())
            && last.chars().any(|c| c.is_ascii_uppercase())
            && last.chars().all(|c| c.is_ascii_alphanumeric());
        let snake = last.contains('_')
            && last.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && last.starts_with(|c: char| c.is_ascii_lowercase());
        // Only where the address is an API's (`/api/…`, `api.…`, a Telegram `bot…`
        // segment): a wiki page (`Kill_Bill`) or a repository (`o/remove_bg`) is no call.
        let host = url
            .split_once("://")
            .map_or(url, |(_, r)| r)
            .split(['/', '?'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let api = host.starts_with("api.")
            || segs.iter().any(|s| {
                let s = s.to_ascii_lowercase();
                s == "api" || s == "webapi" || s.starts_with("bot") || s == "rpc" || s == "method"
            });
        // The verb leads a camelCase or snake_case method (`deleteMessage`, `delete_message`)
        // and ends a dotted one (`chat.delete`): `kubectl_delete` is a page about a command.
        let verb = if dotted {
            last.rsplit('.')
                .next()
                .and_then(|m| words(m).into_iter().next())
        } else {
            words(last).into_iter().next()
        };
        let shaped = api && (dotted || camel || snake) && words(last).len() >= 2;
        if shaped && let Some(e) = verb.as_deref().and_then(raise) {
            return Some((e, format!("calls the method `{last}` through its path")));
        }
    }
    // An audit log or event search filters by operation (`/audit?action=DELETE`).
    let filters = segs.iter().any(|s| {
        let s = s.to_ascii_lowercase();
        [
            "audit", "log", "event", "history", "search", "activit", "trail",
        ]
        .iter()
        .any(|w| s.contains(w))
    });
    for (k, v) in params(query(url)).into_iter().filter(|_| !filters) {
        let key = matches!(
            k.as_str(),
            "action" | "method" | "op" | "operation" | "cmd" | "command" | "do" | "task" | "verb"
        );
        let bare = !v.is_empty()
            && v.len() <= 40
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            && (words(&v).len() == 1 || v.contains('_'));
        if key
            && bare
            && let Some(e) = raise(&v)
        {
            return Some((e, format!("names the operation `{k}={v}` in its query")));
        }
    }
    None
}

/// The names and addresses of cloud metadata services.
const METADATA_HOSTS: &[&str] = &[
    "169.254.169.254",
    "metadata.google.internal",
    "100.100.100.200",
    "[fd00:ec2::254]",
    "169.254.170.2",
];

/// The metadata services' IPv4 addresses.
const METADATA_V4: &[[u8; 4]] = &[
    [169, 254, 169, 254],
    [169, 254, 170, 2],
    [100, 100, 100, 200],
];

/// Whether a URL's host is a metadata service's address in another spelling: an integer
/// (`2852039166`), hexadecimal or octal parts (`0xa9fea9fe`, `0251.0376.0251.0376`), fewer than
/// four parts (`169.254.43518`), or IPv6 (`[::ffff:a9fe:a9fe]`, `[fd00:ec2::254]`), as the
/// C resolver and curl accept them.
pub(crate) fn metadata_address(url: &str) -> bool {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = host.strip_prefix('[') {
        let v6 = v6.split(']').next().unwrap_or("");
        let v6 = v6.split('%').next().unwrap_or("");
        return v6.parse::<std::net::Ipv6Addr>().is_ok_and(|a| {
            a.segments() == [0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254]
                || a.to_ipv4_mapped()
                    .or_else(|| a.to_ipv4())
                    .is_some_and(|v4| METADATA_V4.contains(&v4.octets()))
        });
    }
    let host = host.split(':').next().unwrap_or("").trim_end_matches('.');
    // EC2's and GCE's own names for it (`instance-data`, the bare `metadata` of GCE's
    // resolver).
    matches!(
        host.to_ascii_lowercase().as_str(),
        "instance-data"
            | "instance-data.ec2.internal"
            | "metadata"
            | "metadata.google.internal"
            | "metadata.goog"
    ) || loose_ipv4(host).is_some_and(|a| METADATA_V4.contains(&a))
}

/// An IPv4 address as `inet_aton` reads it: one to four parts, each decimal, octal (a leading
/// `0`) or hexadecimal (`0x`), the last part filling the bytes left.
fn loose_ipv4(host: &str) -> Option<[u8; 4]> {
    let host = host.strip_suffix('.').unwrap_or(host);
    let parts: Vec<&str> = host.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut values = Vec::with_capacity(4);
    for p in &parts {
        let v = if let Some(h) = p.strip_prefix("0x") {
            u64::from_str_radix(h, 16).ok()?
        } else if let Some(o) = p.strip_prefix('0').filter(|o| !o.is_empty()) {
            u64::from_str_radix(o, 8).ok()?
        } else {
            p.parse::<u64>().ok()?
        };
        values.push(v);
    }
    let (last, head) = values.split_last()?;
    let mut addr: u64 = 0;
    for v in head {
        if *v > 255 {
            return None;
        }
        addr = (addr << 8) | v;
    }
    // The last part fills the bytes the others left (`169.254.43518`).
    let room = 8 * (4 - u32::try_from(head.len()).ok()?);
    if *last >= 1u64 << room {
        return None;
    }
    let addr = u32::try_from((addr << room) | last).ok()?;
    Some(addr.to_be_bytes())
}

/// A cloud instance's metadata service asked for the instance's credentials (AWS
/// `security-credentials`, GCP's service account token, Azure's managed identity token).
pub(super) fn instance_credentials(url: &str) -> Option<(Effect, String)> {
    let lower = url.to_ascii_lowercase();
    let metadata = METADATA_HOSTS.iter().any(|h| lower.contains(h)) || metadata_address(&lower);
    let credentials = ["security-credentials", "/token", "identity", "credentials"]
        .iter()
        .any(|p| lower.contains(p));
    (metadata && credentials).then(|| {
        (
            Admin,
            "reads the instance's cloud credentials from its metadata service".into(),
        )
    })
}
