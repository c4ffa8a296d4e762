//! A read-named tool's operation field (`get_customer {"action": "DELETE_ALL"}`): what the
//! call does, unless the tool reads records of what happened (the twenty-fourth sets and
//! their review). Split from `fields.rs`.

use serde_json::{Map, Value};

use super::super::Ctx;
use crate::Effect::{Admin, Destructive, Mutating};
use crate::classify::name::name_tier;

/// Under a tool whose name reads, an operation field may be a filter (`fetch_audit_log
/// {"action": "repo.destroy"}`), so only a field whose whole value is one bare word that
/// destroys or changes access counts (`search {"method": "DELETE"}`, `list_files {"action":
/// "delete"}`, `search {"on_match": "delete"}`). A qualified event name stays a filter.
pub(crate) fn destroying_operation(ctx: &mut Ctx, map: &Map<String, Value>) {
    // The keys with only their letters and digits, in lower case: a key is compared in any
    // spelling (`actionType`, `Action-Type`, `requestedAction`; a review of set 24a).
    const KEYS: &[&str] = &[
        "action",
        "operation",
        "op",
        "verb",
        "mode",
        "method",
        "httpmethod",
        "onmatch",
        "onsuccess",
        "then",
        "postaction",
        "onfail",
        "onfailure",
        "onerror",
        "oncomplete",
        "optype",
        "actiontype",
        "operationtype",
        // The twenty-fourth sets: other names agents' schemas give the operation.
        "intent",
        "do",
        "task",
        "requestedaction",
        // A review of set 24a.
        "actionname",
        "opname",
        "requestaction",
    ];
    // Keys that only name an operation: a change named there counts (not only a removal).
    const OPERATION: &[&str] = &[
        "action",
        "operation",
        "op",
        "verb",
        "intent",
        "do",
        "task",
        "requestedaction",
        "actiontype",
        "operationtype",
        "actionname",
        "opname",
        "requestaction",
    ];
    for (k, v) in map {
        let key = op_key(k);
        // `get_channel {"type": "delete"}` (a review of set 24a): one thing has no listing
        // to filter by kind, so a one-word removal or access change there is the operation.
        if ctx.one_thing
            && matches!(key.as_str(), "type" | "kind")
            && let Value::String(s) = v
            && s.len() <= 64
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | ' '))
            && crate::classify::name::words(s)
                .iter()
                .any(|w| REMOVALS.contains(&w.as_str()))
            && let Some(e @ (Destructive | Admin)) = name_tier(s.trim()).effect
        {
            ctx.add(
                e,
                format!(
                    "argument `{k}` names the operation `{}` beside a read's name",
                    s.trim()
                ),
            );
        }
        if !KEYS.contains(&key.as_str()) {
            continue;
        }
        let operation = OPERATION.contains(&key.as_str());
        let method = key.ends_with("method");
        // The operation as a list (`["delete_all"]`) or an object (`{"name": "delete_all"}`,
        // a review of set 24a): each word in it is judged.
        match v {
            Value::String(s) => judge_operation(ctx, k, s, operation, method),
            Value::Array(items) => {
                for s in items.iter().filter_map(Value::as_str) {
                    judge_operation(ctx, k, s, operation, method);
                }
            }
            Value::Object(inner) => {
                for x in ["name", "type", "value", "id", "action", "op", "kind"] {
                    if let Some(s) = inner.get(x).and_then(Value::as_str) {
                        judge_operation(ctx, k, s, operation, method);
                    }
                }
            }
            _ => {}
        }
    }
}

/// A read's operation one level down (a review of set 24a): a batch's items
/// (`list_releases {"batch": [{"action": "delete_release"}]}`, the twenty-fourth sets), and
/// an object under a key that carries the request's arguments (`get_customer {"params":
/// {"action": "delete_all"}}`, `{"body": …}`, `{"options": …}`), or such an object written
/// as JSON text (`{"payload": "{\"action\": \"delete_all\"}"}`). A filter's fields are
/// what is looked for (`{"filter": {"action": "delete"}}` reads).
pub(crate) fn nested_operations(ctx: &mut Ctx, map: &Map<String, Value>) {
    // Keys that carry a request's arguments: their objects are the call's own. A
    // description's lists (`steps`, `stages`, `rules`) and a filter's fields are not (a
    // pipeline's `{"steps": [{"action": "deploy"}]}` is what `get_pipeline` shows).
    const CARRIERS: &[&str] = &[
        "params",
        "parameters",
        "body",
        "payload",
        "data",
        "request",
        "req",
        "input",
        "inputs",
        "args",
        "arguments",
        "options",
        "opts",
    ];
    // A batch's items (the twenty-fourth sets).
    const BATCHES: &[&str] = &["batch", "requests", "operations", "calls", "actions", "ops"];
    for (k, v) in map {
        let key = op_key(k);
        match v {
            Value::Object(m) if CARRIERS.contains(&key.as_str()) => destroying_operation(ctx, m),
            Value::Array(items) if BATCHES.contains(&key.as_str()) => {
                for item in items {
                    if let Value::Object(m) = item {
                        destroying_operation(ctx, m);
                    }
                }
            }
            Value::String(s)
                if CARRIERS.contains(&key.as_str())
                    && s.trim_start().starts_with('{')
                    && s.len() <= 65_536 =>
            {
                if let Ok(Value::Object(m)) = serde_json::from_str::<Value>(s) {
                    destroying_operation(ctx, &m);
                }
            }
            _ => {}
        }
    }
}

/// Words of a removal or a revocation: only these make a one-thing tool's `type` the
/// operation (`get_transaction {"type": "refund"}` is a kind of transaction).
const REMOVALS: &[&str] = &[
    "delete", "destroy", "remove", "purge", "wipe", "erase", "drop", "truncate", "nuke", "shred",
    "revoke",
];

/// A key's letters and digits in lower case (`requestedAction` → `requestedaction`).
pub(super) fn op_key(k: &str) -> String {
    k.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// One operation word under a read's name ([`destroying_operation`]): `operation` when the
/// key only names an operation, `method` when it is a method's.
fn judge_operation(ctx: &mut Ctx, k: &str, word: &str, operation: bool, method: bool) {
    let word = word.trim();
    // Words may be separated by spaces too (`delete all`, a review of set 24a).
    let plain = !word.is_empty()
        && word.len() <= 64
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/' | ' '));
    if !plain {
        return;
    }
    let one = crate::classify::name::words(word).len() == 1
        && word
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '_' || c == '-');
    // Several words (`bulkDelete`, `hard_delete`, `repo.destroy`) are an event's name
    // only in a tool of events or audit logs (`list_audit_events {"action":
    // "repo.destroy"}` filters); elsewhere they name the operation (the twenty-fourth
    // sets: `get_customer {"action": "DELETE_ALL"}` was read).
    if !one && ctx.event_tool {
        return;
    }
    match name_tier(word).effect {
        Some(e @ (Destructive | Admin)) => ctx.add(
            e,
            format!("argument `{k}` names the operation `{word}` beside a read's name"),
        ),
        // An RPC method of several words (`conversations.archive`) names a change too;
        // one word may be HTTP's or an algorithm's.
        Some(Mutating) if !ctx.event_tool && (operation || (method && !one)) => {
            ctx.add(
                Mutating,
                format!("argument `{k}` names the change `{word}` beside a read's name"),
            );
        }
        _ => {}
    }
}
