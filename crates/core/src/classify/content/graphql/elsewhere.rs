//! GraphQL requests whose document sits under another key than `query`, or is not sent at
//! all (the twenty-first sets): `{"mutation": "deleteProject(id: 1) { id }"}` (a client's
//! mutation field, its selection without the keyword), `linear_graphql {"q": "mutation …"}`
//! (a `q` was read as prose, never parsed), and a persisted document named by an id
//! (`queryId`, `doc_id`, `documentId`) with the operation's name beside it: the document is
//! not seen, so the request is at least a write, and its name is judged as a persisted
//! query's `operationName` already is when it names a removal or an access change.

use serde_json::{Map, Value};

use super::analyse;
use crate::Effect::{self, Mutating};
use crate::classify::content::{Ctx, snippet};

/// Keys that name a persisted document instead of sending it.
const DOCUMENT_IDS: &[&str] = &[
    "queryid",
    "query_id",
    "docid",
    "doc_id",
    "documentid",
    "document_id",
    "persistedqueryid",
    "persisted_query_id",
    "queryhash",
    "query_hash",
];

/// Judges a request's document under `mutation` or, in a tool addressed to GraphQL, under
/// `q`, and a persisted document named by an id.
pub(crate) fn analyse_keys(ctx: &mut Ctx, map: &Map<String, Value>) {
    if let Some(Value::String(m)) = map.get("mutation") {
        let t = m.trim();
        if t.starts_with("mutation") || t.starts_with('{') {
            analyse(ctx, t);
        } else if !t.is_empty() {
            // A selection without its keyword is the mutation's body.
            let doc = format!("mutation {{ {t} }}");
            if !analyse(ctx, &doc) {
                ctx.add(
                    Mutating,
                    format!("graphql: a mutation {} that does not parse", snippet(t)),
                );
            }
        }
    }
    if ctx.graphql_target
        && !map.contains_key("query")
        && let Some(Value::String(q)) = map.get("q")
    {
        analyse(ctx, q.trim());
    }
    if !ctx.graphql_target || map.get("query").is_some_and(Value::is_string) {
        return;
    }
    let Some((key, id)) = map
        .iter()
        .find(|(k, _)| DOCUMENT_IDS.contains(&k.to_ascii_lowercase().as_str()))
    else {
        return;
    };
    ctx.add(
        Mutating,
        format!("graphql: the request runs a persisted document (`{key}`) that is not seen"),
    );
    let named = map
        .iter()
        .find(|(k, _)| {
            matches!(
                k.to_ascii_lowercase().as_str(),
                "operationname" | "operation_name"
            )
        })
        .map(|(_, v)| v)
        .into_iter()
        .chain(std::iter::once(id))
        .filter_map(Value::as_str);
    for name in named {
        if let Some(e) = crate::classify::name::name_tier(name)
            .effect
            .filter(|e| e.rank() >= Effect::Destructive.rank())
        {
            ctx.add(
                e,
                format!(
                    "graphql: the persisted operation `{}` is named for it",
                    snippet(name)
                ),
            );
        }
    }
}
