//! GraphQL requests whose document sits under another key than `query`, or is not sent at
//! all (the twenty-first sets): `{"mutation": "deleteProject(id: 1) { id }"}` (a client's
//! mutation field, its selection without the keyword), `linear_graphql {"q": "mutation …"}`
//! (a `q` was read as prose, never parsed), and a persisted document named by an id
//! (`queryId`, `doc_id`, `documentId`) with the operation's name beside it: the document is
//! not seen, so the request is at least a write, and its name is judged as a persisted
//! query's `operationName` already is when it names a removal or an access change.

use serde_json::{Map, Value};

use crate::Effect::{self, Mutating};
use crate::classify::content::{Ctx, snippet};

/// Keys that name a persisted document instead of sending it, lower case without `_` or
/// `-` (`query_id`, `query-id`, `queryID`; the review added the hash's spellings).
const DOCUMENT_IDS: &[&str] = &[
    "queryid",
    "docid",
    "documentid",
    "persistedqueryid",
    "persistedquery",
    "queryhash",
    "documenthash",
    "sha256hash",
];

/// True if `key` is `want` (lower case, no separators) ignoring case, `_` and `-`.
fn same_key(key: &str, want: &str) -> bool {
    key.len() <= 64
        && key
            .bytes()
            .filter(|b| !matches!(b, b'_' | b'-'))
            .map(|b| b.to_ascii_lowercase())
            .eq(want.bytes())
}

/// The key naming a persisted document and its value: one of [`DOCUMENT_IDS`], or Apollo's
/// `extensions: {"persistedQuery": {"sha256Hash": …}}`.
fn document_id(map: &Map<String, Value>) -> Option<(&str, &Value)> {
    map.iter()
        .find(|(k, _)| DOCUMENT_IDS.iter().any(|d| same_key(k, d)))
        .map(|(k, v)| (k.as_str(), v))
        .or_else(|| {
            map.iter()
                .filter(|(k, _)| same_key(k, "extensions"))
                .filter_map(|(_, v)| v.as_object())
                .find_map(|e| e.iter().find(|(k, _)| same_key(k, "persistedquery")))
                .map(|(k, v)| (k.as_str(), v))
        })
}

/// Judges a request's document under `mutation` or, in a tool addressed to GraphQL, under
/// `q`, and a persisted document named by an id. Keys are matched in any case (`Mutation`,
/// `Q` beside `q`: the review), and each one found is judged.
pub(crate) fn analyse_keys(ctx: &mut Ctx, map: &Map<String, Value>) {
    for (_, v) in map
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("mutation"))
    {
        let Value::String(m) = v else { continue };
        let t = m.trim();
        // With the request's variables, as under `query` (the review).
        if t.starts_with("mutation") || t.starts_with('{') {
            super::with_variables(ctx, map, t, None);
        } else if !t.is_empty() {
            // A selection without its keyword is the mutation's body.
            let doc = format!("mutation {{ {t} }}");
            if !super::with_variables(ctx, map, &doc, None) {
                ctx.add(
                    Mutating,
                    format!("graphql: a mutation {} that does not parse", snippet(t)),
                );
            }
        }
    }
    if ctx.graphql_target && !map.contains_key("query") {
        for (_, v) in map.iter().filter(|(k, _)| k.eq_ignore_ascii_case("q")) {
            // With the request's variables, as under `query` (`force: $f` with `f: true`;
            // the review). No operation is selected: every one in the text is judged.
            if let Value::String(q) = v {
                super::with_variables(ctx, map, q.trim(), None);
            }
        }
    }
    if !ctx.graphql_target || map.get("query").is_some_and(Value::is_string) {
        return;
    }
    let Some((key, id)) = document_id(map) else {
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
