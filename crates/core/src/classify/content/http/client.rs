//! A command-line client's request judged as a request tool's (the twenty-second sets): the
//! body curl sends (`-d`, `--data-raw`, `--data-binary`, `--json`) and a method override in
//! its headers (`-H 'X-HTTP-Method-Override: DELETE'`). Before, curl was judged by its method
//! and URL alone, so `curl -X POST …/rpc/exec_sql -d '{"sql": "DROP TABLE users"}'`, a
//! ClickHouse body `TRUNCATE TABLE t`, a Neo4j transaction's `DETACH DELETE` and an
//! Elasticsearch `_aliases` body with `remove_index` were only writes, and a GET overridden
//! to DELETE read. Only raises: the method's own verdict is recorded by the caller.

use super::super::{Ctx, Hint, analyse_text};
use super::{OVERRIDE_HEADERS, judge, method_word};

/// Judges what a client sends beyond its method: the override a header names and the literal
/// body (not `@file`, which the caller judges). `depth` is the shell's, so a body holding a
/// command line is bounded as any re-interpretation is.
pub(crate) fn client_request(
    ctx: &mut Ctx,
    method: &str,
    headers: &[&str],
    url: &str,
    body: &str,
    depth: usize,
) {
    // Every override header counts, and one that is not a read wins.
    let mut overridden = None;
    for m in headers
        .iter()
        .filter_map(|h| h.split_once(':'))
        .filter(|(name, _)| OVERRIDE_HEADERS.contains(&name.trim().to_ascii_lowercase().as_str()))
        .filter_map(|(_, v)| method_word(v.trim()))
    {
        if overridden.is_none() || !matches!(m, "GET" | "HEAD" | "OPTIONS") {
            overridden = Some(m);
        }
    }
    let body = body.trim();
    if overridden.is_none() && body.is_empty() {
        return;
    }
    judge(ctx, method, overridden, url, body);
    // JSON and SQL are read as a request tool's body is; other text (a form, prose, a word
    // the shell left to run time, `$DATA`) is data here, and so is a body with a value the
    // shell leaves to run time (`"$NAME"`, which the walk would take for a command). A search
    // or GraphQL endpoint's body was judged by [`judge`] (`_search` reads whatever its query
    // names).
    let expanded = body.match_indices('$').any(|(i, _)| {
        !body
            .get(i + 1..)
            .unwrap_or("")
            .starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
    });
    let search = super::segments(url).last().is_some_and(|s| {
        matches!(
            s.to_ascii_lowercase().as_str(),
            "_search"
                | "_msearch"
                | "_count"
                | "_validate"
                | "query"
                | "_explain"
                | "_field_caps"
                | "_mget"
                | "graphql"
                | "gql"
        )
    });
    if !expanded
        && !search
        && (body.starts_with(['{', '[']) || super::super::sql::looks_like_sql(body))
    {
        ctx.via("the request body", |ctx| {
            analyse_text(ctx, body, Hint::None, depth + 1)
        });
    }
}
