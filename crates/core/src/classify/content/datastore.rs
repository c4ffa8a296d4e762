//! Data stores whose tools take operations rather than command lines: MongoDB operations and
//! admin commands (`{"operation": "deleteMany", "filter": {}}`, `{"command": {"dropDatabase":
//! 1}}`) and Elasticsearch APIs (`{"api": "indices.delete"}`, `_delete_by_query`). The
//! vocabularies are tables; an operation not in them is at least mutating.

use serde_json::{Map, Value};

use super::{Ctx, snippet};
use crate::Effect::{self, Admin, Destructive, Mutating, Read};
use crate::classify::name::name_tier;

/// MongoDB operations and admin commands, by lowercase name.
#[rustfmt::skip]
const MONGO: &[(&str, Effect)] = &[
    // Reads.
    ("find", Read), ("findone", Read), ("aggregate", Read), ("count", Read),
    ("countdocuments", Read), ("estimateddocumentcount", Read), ("distinct", Read),
    ("listcollections", Read), ("listdatabases", Read), ("listindexes", Read),
    ("getindexes", Read), ("stats", Read), ("collstats", Read), ("dbstats", Read),
    ("explain", Read), ("watch", Read), ("serverstatus", Read), ("ping", Read), ("hello", Read),
    ("ismaster", Read), ("buildinfo", Read), ("connectionstatus", Read), ("hostinfo", Read),
    ("listcommands", Read), ("currentop", Read), ("getparameter", Read), ("usersinfo", Read),
    ("rolesinfo", Read), ("getlog", Read), ("validate", Read), ("datasize", Read),
    // The MongoDB MCP server's reads of a collection.
    ("collectionschema", Read), ("collectionindexes", Read), ("collectionstoragesize", Read),
    // Writes that keep the rest.
    ("insert", Mutating), ("insertone", Mutating), ("insertmany", Mutating),
    ("updateone", Mutating), ("replaceone", Mutating), ("findoneandupdate", Mutating),
    ("findoneandreplace", Mutating), ("findoneanddelete", Mutating), ("deleteone", Mutating),
    ("createindex", Mutating), ("createindexes", Mutating), ("createcollection", Mutating),
    ("create", Mutating), ("bulkwrite", Mutating), ("compact", Mutating),
    ("collmod", Mutating), ("createview", Mutating), ("fsync", Mutating),
    // Writes that depend on their filter (see `filter_effect`).
    ("deletemany", Mutating), ("remove", Mutating), ("delete", Mutating),
    ("updatemany", Mutating), ("update", Mutating),
    // Removals.
    ("drop", Destructive), ("dropcollection", Destructive), ("dropdatabase", Destructive),
    ("dropindex", Destructive), ("dropindexes", Destructive), ("shutdown", Destructive),
    ("killop", Destructive), ("killsessions", Destructive), ("killallsessions", Destructive),
    ("killcursors", Destructive), ("repairdatabase", Destructive), ("cleanuporphaned", Destructive),
    ("dropsearchindex", Destructive), ("removeshard", Destructive),
    // Access and server configuration.
    ("createuser", Admin), ("updateuser", Admin), ("dropuser", Admin),
    ("dropallusersfromdatabase", Admin), ("grantrolestouser", Admin),
    ("revokerolesfromuser", Admin), ("createrole", Admin), ("updaterole", Admin),
    ("droprole", Admin), ("dropallrolesfromdatabase", Admin), ("grantprivilegestorole", Admin),
    ("revokeprivilegesfromrole", Admin), ("grantrolestorole", Admin), ("setparameter", Admin),
    ("replsetreconfig", Admin), ("replsetstepdown", Admin), ("setfeaturecompatibilityversion", Admin),
    ("enablesharding", Admin), ("shardcollection", Admin), ("eval", Admin),
    ("setdefaultrwconcern", Admin), ("logrotate", Admin), ("renamecollection", Mutating),
];

/// Keys that name the operation.
const OP_KEYS: &[&str] = &[
    "operation",
    "op",
    "action",
    "method",
    "command",
    "cmd",
    "api",
    "endpoint_name",
    "verb",
    "type",
];

/// Judges a MongoDB or Elasticsearch tool's object arguments. Returns the keys it consumed.
pub(crate) fn call(
    ctx: &mut Ctx,
    mongo: bool,
    name_rest: &[String],
    map: &Map<String, Value>,
) -> Vec<String> {
    let mut consumed = Vec::new();
    let mut op: Option<String> = None;
    if !mongo && let Some((key, api)) = elastic_api(map) {
        // The API in the path decides (`POST /logs/_search` reads); a `DELETE` method still
        // deletes whatever the path names.
        let method = map
            .get("method")
            .and_then(Value::as_str)
            .map(str::to_ascii_uppercase);
        match method.as_deref() {
            Some("DELETE") => ctx.add(
                Destructive,
                format!("elasticsearch: `DELETE {api}` deletes"),
            ),
            // Elasticsearch's GET and HEAD APIs only read (`GET /orders/_doc/1`).
            Some("GET" | "HEAD") => ctx.add(Read, format!("elasticsearch: `GET {api}` reads")),
            _ => elastic_op(ctx, &api, map),
        }
        consumed.extend([key.to_string(), "method".to_string()]);
        return consumed;
    }
    // A request method beside no path (`{"index": "logs", "method": "DELETE"}`) deletes.
    if !mongo
        && map
            .get("method")
            .and_then(Value::as_str)
            .is_some_and(|m| m.trim().eq_ignore_ascii_case("DELETE"))
    {
        ctx.add(
            Destructive,
            "elasticsearch: the request's method is `DELETE`",
        );
    }
    // Mongo shell code in any argument (`{"query": "db.users.deleteMany({})"}`).
    if mongo {
        for v in map.values() {
            if let Value::String(s) = v {
                super::query_text::analyse(ctx, s);
                // Shell code's admin commands and writes of every document, as `mongosh
                // --eval` is judged (`db.users.updateMany({}, …)`, a `$out` stage).
                // Spaces before the dot and `getDB('x').` too (a review of the twenty-fifth
                // sets: `db .users.updateMany({}, …)`).
                if mongo_code(s) {
                    for (e, why) in super::dbclient::mongo_admin_effects(s, "a mongo tool") {
                        ctx.add(e, why);
                    }
                }
            }
        }
    }
    // `{"operation": "runCommand", "command": {"drop": "users"}}`: the operation only says a
    // command document follows; the document names what runs.
    let runs_document = |s: &str| {
        mongo
            && matches!(
                s.to_ascii_lowercase().as_str(),
                // (`adminCommand` keeps the effect its name gives, as before.)
                "runcommand" | "command" | "run_command"
            )
            && map.get("command").is_some_and(Value::is_object)
    };
    // Then the document is read first, whatever other operation field names a read (`{"op":
    // "find", "operation": "runCommand", "command": {"dropDatabase": 1}}`: the fields after
    // are judged below as a second operation), and it is also walked as any argument is.
    let document_first = OP_KEYS.iter().any(|k| {
        map.get(*k)
            .and_then(Value::as_str)
            .is_some_and(runs_document)
    });
    let order: Vec<&str> = if document_first {
        std::iter::once("command")
            .chain(OP_KEYS.iter().copied().filter(|k| *k != "command"))
            .collect()
    } else {
        OP_KEYS.to_vec()
    };
    for k in order {
        match map.get(k) {
            Some(Value::String(s)) if !runs_document(s) => {
                op = Some(s.clone());
                consumed.push(k.to_string());
                break;
            }
            // runCommand: `{"command": {"dropDatabase": 1}}`, the first key names it. Whether a
            // map keeps its keys' order depends on how serde_json was built, so the known
            // command that does the most is taken (`{"setParameter": 1, "auditX": false}`).
            Some(Value::Object(cmd)) if mongo => {
                let weight = |n: &String| match mongo_effect(n) {
                    Some(Admin) => 4,
                    Some(Destructive) => 3,
                    Some(Mutating) => 2,
                    Some(Read) => 1,
                    None => 0,
                };
                // A read command with only its own options beside it (`{"find": "orders",
                // "filter": …, "limit": 20}`) is that read, whichever key a map lists first.
                const READ_OPTIONS: &[&str] = &[
                    "filter",
                    "sort",
                    "projection",
                    "limit",
                    "skip",
                    "batchSize",
                    "hint",
                    "comment",
                    "maxTimeMS",
                    "readConcern",
                    "collation",
                    "singleBatch",
                    "allowDiskUse",
                    "query",
                    "key",
                    "pipeline",
                    "cursor",
                    "readPreference",
                    "showRecordId",
                    "returnKey",
                    "min",
                    "max",
                    "$db",
                ];
                let reads: Vec<&String> = cmd.keys().filter(|n| weight(n) == 1).collect();
                let only_read = match reads.as_slice() {
                    [read]
                        if cmd
                            .keys()
                            .all(|n| n == *read || READ_OPTIONS.contains(&n.as_str())) =>
                    {
                        Some(*read)
                    }
                    _ => None,
                };
                let first = only_read.or_else(|| cmd.keys().next());
                // Only a key that changes something overrides the first (a read never lowers).
                let chosen = cmd
                    .keys()
                    .filter(|n| weight(n) >= 2)
                    .max_by_key(|n| weight(n))
                    .or(first);
                if cmd.contains_key("aggregate") && writes_out(cmd) {
                    ctx.add(
                        Destructive,
                        "mongodb: `aggregate` with `$out`/`$merge` replaces a collection",
                    );
                }
                if let Some(name) = chosen {
                    op = Some(name.clone());
                    if name.eq_ignore_ascii_case("renamecollection")
                        && cmd.get("dropTarget").is_some_and(truthy)
                    {
                        ctx.add(
                            Destructive,
                            "mongodb: `renameCollection` with `dropTarget` drops the target",
                        );
                    }
                }
                if !document_first {
                    consumed.push(k.to_string());
                }
                break;
            }
            _ => {}
        }
    }
    // Another operation field beside the one used (`{"operation": "find", "action":
    // "dropDatabase"}`): which one runs is not known, so a write or removal it names counts.
    if mongo {
        for k in OP_KEYS.iter().filter(|k| !consumed.iter().any(|c| c == *k)) {
            if let Some(Value::String(other)) = map.get(*k)
                && let Some(e) = mongo_effect(other)
                && e != Read
            {
                ctx.add(
                    e,
                    format!(
                        "mongodb: a second operation field `{k}` names {}",
                        snippet(other)
                    ),
                );
            }
        }
    }
    let op = op
        .or_else(|| (!name_rest.is_empty()).then(|| name_rest.join("_")))
        // A MongoDB request that names no operation but carries a pipeline is an aggregation
        // (`{"collection": "users", "pipeline": [… {"$out": "users"}]}`).
        .or_else(|| (mongo && map.contains_key("pipeline")).then(|| "aggregate".to_string()));
    let Some(op) = op else {
        return consumed;
    };
    if mongo {
        mongo_op(ctx, &op, map);
    } else {
        elastic_op(ctx, &op, map);
    }
    consumed
}

/// The API an Elasticsearch request names in its path or endpoint: the last segment that
/// starts with `_` (`/logs-*/_search` → `_search`, `_delete_by_query`), with the key it
/// came from.
fn elastic_api(map: &Map<String, Value>) -> Option<(&'static str, String)> {
    ["endpoint", "path", "url", "uri", "api", "operation"]
        .iter()
        .find_map(|k| {
            let v = map.get(*k)?.as_str()?;
            let path = v.split(['?', '#']).next().unwrap_or(v);
            let seg = path.rsplit('/').find(|s| s.starts_with('_'))?;
            Some((*k, seg.to_string()))
        })
}

/// True if the text names the Mongo shell's `db` object (`db.`, `db[`, `db .x`, `getDB(…)`).
fn mongo_code(s: &str) -> bool {
    let t: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    t.contains("db.") || t.contains("db[") || t.contains("DB(")
}

/// The request's path, from the keys `elastic_api` reads.
fn elastic_path(map: &Map<String, Value>) -> Option<&str> {
    ["endpoint", "path", "url", "uri", "api", "operation"]
        .iter()
        .find_map(|k| map.get(*k)?.as_str())
}

/// True if a by-query request names no query or one matching every document.
fn every_document(map: &Map<String, Value>) -> bool {
    let body = ["body", "data", "json", "payload"]
        .iter()
        .find_map(|k| map.get(*k));
    match body {
        None | Some(Value::Null) => true,
        // `match_all` anywhere in the query (`bool.must: [match_all]`), or a query naming
        // no condition (`{"bool": {}}`) (a review of the twenty-fifth sets).
        Some(Value::Object(b)) => b.get("query").is_none_or(|q| {
            q.as_object().is_none_or(|q| {
                q.is_empty()
                    || q.values().all(|v| v.as_object().is_some_and(Map::is_empty))
                    || Value::Object(q.clone()).to_string().contains("match_all")
            })
        }),
        Some(Value::String(t)) => t.contains("match_all") || !t.contains("\"query\""),
        Some(_) => true,
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty() && s != "false" && s != "0",
        _ => false,
    }
}

/// What a MongoDB operation named by a string does, if the table knows it.
fn mongo_effect(op: &str) -> Option<Effect> {
    let key: String = op
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    MONGO.iter().find(|(n, _)| *n == key).map(|(_, e)| *e)
}

/// A tool named for a MongoDB operation and nothing else, given a database and a collection
/// (the MongoDB MCP server's `update-many`, `aggregate`, `rename-collection`): a MongoDB tool,
/// judged by its operation. The name's words, for [`call`].
pub(crate) fn mongo_tool(
    tool: &str,
    input: &Value,
) -> Option<(super::structured::Program, Vec<String>)> {
    let map = input.as_object()?;
    let named = |k: &str| map.get(k).is_some_and(Value::is_string);
    // An operation field beside the name (`"type": "find"`) would decide in `call`; which
    // one the server runs is not known, so such a call is not taken for this tool.
    if !(named("database") && named("collection")) || OP_KEYS.iter().any(|k| map.contains_key(*k)) {
        return None;
    }
    let words = crate::classify::name::words(tool);
    mongo_effect(&words.concat())?;
    Some((super::structured::Program::Mongo, words))
}

/// A MongoDB command document under a generic tool (`run_command {"command": {"drop":
/// "users"}}`): its first key names the command, its value a collection or `1`. Only a change
/// counts: a document that names a read lowers nothing.
pub(crate) fn command_document(ctx: &mut Ctx, map: &Map<String, Value>) {
    for key in [
        "command",
        "cmd",
        "runCommand",
        "run_command",
        "command_document",
    ] {
        let Some(Value::Object(doc)) = map.get(key) else {
            continue;
        };
        // MongoDB reads the first key, but whether a map keeps its keys' order depends on
        // how serde_json was built: any key naming a change counts.
        let Some(name) = doc.iter().find_map(|(name, value)| {
            (matches!(value, Value::String(_) | Value::Number(_))
                && mongo_effect(name).is_some_and(|e| e != Read))
            .then_some(name)
        }) else {
            continue;
        };
        // The `delete` and `update` commands carry their filters in `deletes`/`updates`.
        let statements = match name.to_ascii_lowercase().as_str() {
            "delete" => doc.get("deletes"),
            "update" => doc.get("updates"),
            _ => {
                mongo_op(ctx, name, doc);
                continue;
            }
        };
        let everything = statements.and_then(Value::as_array).is_none_or(|all| {
            all.iter()
                .any(|s| s.get("q").is_none_or(matches_everything))
        });
        if everything {
            ctx.add(
                Destructive,
                format!("mongodb: the `{name}` command under `{key}` applies to every document"),
            );
        } else {
            ctx.add(
                Mutating,
                format!("mongodb: the `{name}` command under `{key}` changes matching documents"),
            );
        }
    }
}

/// One MongoDB operation.
pub(crate) fn mongo_op(ctx: &mut Ctx, op: &str, map: &Map<String, Value>) {
    let key: String = op
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let found = MONGO.iter().find(|(n, _)| *n == key).map(|(_, e)| *e);
    let shown = snippet(op);
    if mongo_hidden_loss(ctx, &key, &shown, map) {
        return;
    }
    // `$where`, `$function` and `$accumulator` run JavaScript on the server, in any operation.
    if let Some(js) = map.values().find_map(|v| server_javascript(v, 0)) {
        ctx.add(
            Mutating,
            format!("mongodb: {shown} runs JavaScript on the server (`{js}`)"),
        );
    }
    match found {
        Some(e)
            if matches!(
                key.as_str(),
                "deletemany" | "remove" | "delete" | "updatemany" | "update"
            ) =>
        {
            let filter = ["filter", "query", "where", "selector", "q"]
                .iter()
                .find_map(|k| map.get(*k));
            match filter {
                None => ctx.add(
                    Destructive,
                    format!("mongodb: {shown} without a filter applies to every document"),
                ),
                Some(f) if matches_everything(f) => ctx.add(
                    Destructive,
                    format!("mongodb: {shown} with a filter that matches every document"),
                ),
                Some(_) => ctx.add(e, format!("mongodb: {shown} changes matching documents")),
            }
        }
        Some(_) if key == "renamecollection" && map.get("dropTarget").is_some_and(truthy) => ctx
            .add(
                Destructive,
                format!("mongodb: {shown} with `dropTarget` drops the target"),
            ),
        Some(Read) if key == "aggregate" && writes_out(map) => ctx.add(
            Destructive,
            format!("mongodb: {shown} with `$out`/`$merge` replaces a collection"),
        ),
        Some(e) => ctx.add(e, format!("mongodb: {shown} is {e}")),
        None => {
            let e = name_tier(op).effect.unwrap_or(Mutating).max(Mutating);
            ctx.add(e, format!("mongodb: {shown} is not a known read"));
        }
    }
}

/// The first server-side JavaScript operator in a filter or pipeline.
fn server_javascript(v: &Value, depth: usize) -> Option<&'static str> {
    if depth > 64 {
        return Some("nested too deep to read");
    }
    match v {
        Value::Object(m) => m.iter().find_map(|(k, v)| {
            match k.as_str() {
                "$where" => Some("$where"),
                "$function" => Some("$function"),
                "$accumulator" => Some("$accumulator"),
                _ => None,
            }
            .or_else(|| server_javascript(v, depth + 1))
        }),
        Value::Array(a) => a.iter().find_map(|v| server_javascript(v, depth + 1)),
        _ => None,
    }
}

/// Losses a write's options carry: each request of a `bulkWrite` judged as its own operation,
/// a TTL of at most a minute (`expireAfterSeconds: 0` deletes the documents at once), a
/// `mapReduce` whose output replaces a collection, a `replaceOne` with an empty replacement.
/// True when it judged the call.
fn mongo_hidden_loss(ctx: &mut Ctx, key: &str, shown: &str, map: &Map<String, Value>) -> bool {
    match key {
        "bulkwrite" => {
            let requests = ["operations", "requests", "ops", "writes"]
                .iter()
                .find_map(|k| map.get(*k).and_then(Value::as_array));
            for r in requests.into_iter().flatten().take(100) {
                if let Some(m) = r.as_object()
                    && let Some((op, inner)) = m.iter().next()
                    && let Some(inner) = inner.as_object()
                    // One level: a request is not itself a batch.
                    && !op.eq_ignore_ascii_case("bulkWrite")
                {
                    mongo_op(ctx, op, inner);
                }
            }
            ctx.add(Mutating, format!("mongodb: {shown} writes"));
            true
        }
        "createindex" | "createindexes" | "collmod"
            if short_ttl(&Value::Object(map.clone()), 0) =>
        {
            ctx.add(
                Destructive,
                format!("mongodb: {shown} sets a TTL that deletes the documents within a minute"),
            );
            true
        }
        "mapreduce"
            if map
                .get("out")
                .is_some_and(|o| o.is_string() || o.get("replace").is_some()) =>
        {
            ctx.add(
                Destructive,
                format!("mongodb: {shown} replaces its output collection"),
            );
            true
        }
        "replaceone" | "findoneandreplace"
            if ["replacement", "doc", "document"]
                .iter()
                .find_map(|k| map.get(*k))
                .is_some_and(|r| r.as_object().is_some_and(Map::is_empty)) =>
        {
            ctx.add(
                Destructive,
                format!("mongodb: {shown} replaces a document with nothing"),
            );
            true
        }
        _ => false,
    }
}

/// An `expireAfterSeconds` of at most 60 anywhere in the value.
fn short_ttl(v: &Value, depth: usize) -> bool {
    if depth > 6 {
        return false;
    }
    match v {
        Value::Object(m) => m.iter().any(|(k, v)| {
            (k.eq_ignore_ascii_case("expireAfterSeconds") && v.as_f64().is_some_and(|s| s <= 60.0))
                || short_ttl(v, depth + 1)
        }),
        Value::Array(items) => items.iter().any(|i| short_ttl(i, depth + 1)),
        _ => false,
    }
}

/// True if a MongoDB filter matches every document (`{}`, `$where`, `$expr`, `$exists:
/// true` on `_id`, a regex that matches anything).
fn matches_everything(f: &Value) -> bool {
    match f {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty() || s.trim() == "{}",
        Value::Object(m) => {
            m.is_empty()
                || m.iter().any(|(k, v)| match k.as_str() {
                    "$where" | "$expr" => true,
                    "$or" => v
                        .as_array()
                        .is_some_and(|alts| alts.iter().any(matches_everything)),
                    // Every document has an `_id`: all but the ones named (the twenty-second
                    // sets).
                    "_id"
                        if v.as_object().is_some_and(|c| {
                            c.contains_key("$ne")
                                || c.contains_key("$nin")
                                || c.contains_key("$not")
                        }) =>
                    {
                        true
                    }
                    _ => v.as_object().is_some_and(|cond| {
                        cond.get("$exists").is_some_and(truthy)
                            || cond
                                .get("$regex")
                                .and_then(Value::as_str)
                                .is_some_and(|r| matches!(r, "" | ".*" | "^" | ".+" | "^.*"))
                    }),
                })
        }
        _ => false,
    }
}

/// True if an aggregation pipeline writes: a `$out` or `$merge` stage, as a key at any depth
/// (a string `"$out"` in a `$match` is data; the twenty-second sets).
fn writes_out(map: &Map<String, Value>) -> bool {
    fn stage(v: &Value, depth: usize) -> bool {
        match v {
            _ if depth > 64 => true,
            Value::Object(m) => m
                .iter()
                .any(|(k, v)| matches!(k.as_str(), "$out" | "$merge") || stage(v, depth + 1)),
            Value::Array(items) => items.iter().any(|i| stage(i, depth + 1)),
            // A pipeline given as JSON text (text that does not parse counts).
            Value::String(s)
                if s.trim_start().starts_with(['[', '{'])
                    && (s.contains("$out") || s.contains("$merge")) =>
            {
                serde_json::from_str::<Value>(s).map_or(true, |inner| stage(&inner, depth + 1))
            }
            _ => false,
        }
    }
    // Under any key, not only the pipeline's usual ones (the review of the twenty-second
    // sets: `{"pipeline": […], "pipeline2": [{"$out": "users"}]}` read once the string
    // `"$out"` in the first stopped counting).
    map.values().any(|v| stage(v, 0))
}

/// Elasticsearch and OpenSearch APIs, named as the clients name them (`indices.delete`,
/// `delete_by_query`, `_delete_by_query`, `deleteByQuery`).
pub(crate) fn elastic_op(ctx: &mut Ctx, op: &str, map: &Map<String, Value>) {
    let shown = snippet(op);
    let tier = name_tier(op.trim_start_matches('_')).effect;
    let api = op.trim_start_matches('_').to_ascii_lowercase();
    let (e, why) = match tier {
        // `indices.close` takes an index out of service, as `POST /logs/_close` does (the
        // twenty-second sets).
        _ if api.rsplit(['.', '_']).next() == Some("close") => (
            Destructive,
            "closes an index (it can no longer be read or written)",
        ),
        // The twenty-fifth sets: an update of every document (no query, `match_all`) is
        // `UPDATE` without `WHERE`; a snapshot restore overwrites indices; cluster settings
        // change the server.
        _ if api == "update_by_query" && every_document(map) => (
            Destructive,
            "rewrites every document (no query, or `match_all`)",
        ),
        _ if matches!(api.as_str(), "restore" | "snapshot.restore") => {
            (Destructive, "restores a snapshot over indices")
        }
        _ if matches!(api.as_str(), "cluster" | "settings")
            && elastic_path(map).is_some_and(|p| p.contains("_cluster/settings")) =>
        {
            (Admin, "changes cluster settings")
        }
        Some(Read) => (Read, "reads"),
        Some(e @ (Destructive | Admin)) => (e, "removes data or changes access"),
        _ if api.contains("bulk") && bulk_deletes(map) => {
            (Destructive, "deletes documents in bulk")
        }
        _ if api.contains("cat") || api.starts_with("get") || api == "msearch" || api == "mget" => {
            (Read, "reads")
        }
        _ => (Mutating, "writes"),
    };
    ctx.add(e, format!("elasticsearch: {shown} {why}"));
}

/// True if a `_bulk` body has delete actions (`{"delete": {"_id": …}}`).
pub(crate) fn bulk_deletes(map: &Map<String, Value>) -> bool {
    ["body", "operations", "actions", "data", "payload"]
        .iter()
        .filter_map(|k| map.get(*k))
        .any(|v| {
            let s = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            s.contains("\"delete\"")
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn mongo(v: Value) -> Option<Effect> {
        let mut ctx = Ctx::new();
        let m = v.as_object().cloned().unwrap_or_default();
        call(&mut ctx, true, &[], &m);
        ctx.max_effect()
    }

    fn elastic(v: Value) -> Option<Effect> {
        let mut ctx = Ctx::new();
        let m = v.as_object().cloned().unwrap_or_default();
        call(&mut ctx, false, &[], &m);
        ctx.max_effect()
    }

    #[test]
    fn mongo_filters_decide_deletes() {
        assert_eq!(
            mongo(json!({"operation": "deleteMany", "filter": {}})),
            Some(Destructive)
        );
        assert_eq!(mongo(json!({"operation": "deleteMany"})), Some(Destructive));
        assert_eq!(
            mongo(json!({"operation": "deleteMany", "filter": {"$where": "true"}})),
            Some(Destructive)
        );
        assert_eq!(
            mongo(json!({"operation": "deleteMany", "filter": {"status": "stale"}})),
            Some(Mutating)
        );
        assert_eq!(
            mongo(json!({"operation": "find", "filter": {}})),
            Some(Read)
        );
    }

    #[test]
    fn mongo_admin_commands() {
        assert_eq!(
            mongo(json!({"command": {"dropDatabase": 1}})),
            Some(Destructive)
        );
        assert_eq!(
            mongo(json!({"command": {"createUser": "x", "pwd": "y", "roles": ["root"]}})),
            Some(Admin)
        );
        assert_eq!(mongo(json!({"command": {"ping": 1}})), Some(Read));
        assert_eq!(
            mongo(json!({"operation": "aggregate", "pipeline": [{"$out": "users"}]})),
            Some(Destructive)
        );
        assert_eq!(mongo(json!({"operation": "frobnicate"})), Some(Mutating));
    }

    #[test]
    fn elastic_apis() {
        assert_eq!(elastic(json!({"api": "indices.delete"})), Some(Destructive));
        assert_eq!(
            elastic(json!({"api": "_delete_by_query"})),
            Some(Destructive)
        );
        assert_eq!(elastic(json!({"api": "deleteByQuery"})), Some(Destructive));
        assert_eq!(elastic(json!({"api": "search"})), Some(Read));
        assert_eq!(elastic(json!({"api": "cat.indices"})), Some(Read));
        assert_eq!(elastic(json!({"api": "security.put_user"})), Some(Admin));
        assert_eq!(
            elastic(json!({"api": "bulk", "body": "{\"delete\": {\"_id\": 1}}"})),
            Some(Destructive)
        );
        assert_eq!(
            elastic(json!({"api": "bulk", "body": "{\"index\": {\"_id\": 1}}"})),
            Some(Mutating)
        );
    }
}
