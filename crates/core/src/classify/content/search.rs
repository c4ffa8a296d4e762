//! Search tools (`Grep`, `search_files`, `find_code`): which tools are only searches, and
//! which of their fields hold what is searched for rather than what runs.

use super::{Ctx, http};
use crate::Effect;
use crate::classify::name;

/// Fields of a search tool that hold what is searched for, not what runs.
pub(super) const SEARCH_KEYS: &[&str] = &[
    "pattern",
    "patterns",
    "query",
    "queries",
    "regex",
    "search",
    "search_term",
    "search_query",
    "searchterm",
    "term",
    "needle",
    "glob",
    "include",
    "exclude",
    "exclude_patterns",
    "excludepatterns",
    "match",
    "keyword",
    "keywords",
    "q",
];

/// Leading verbs of search tools (`search_files`, `grep`, `find_in_files`, `list_matches`).
/// The [`SEARCH_KEYS`] that hold a pattern matched against text.
pub(super) const PATTERN_KEYS: &[&str] = &[
    "pattern",
    "patterns",
    "regex",
    "glob",
    "include",
    "exclude",
    "exclude_patterns",
    "excludepatterns",
    "needle",
    "search_term",
    "searchterm",
];

pub(crate) fn search_tool(tool: &str) -> bool {
    const SEARCH: &[&str] = &[
        "search", "find", "grep", "rg", "ripgrep", "list", "lookup", "locate", "glob",
    ];
    // A name with another verb that acts (`find_and_execute`, `search_and_run`) is not only a
    // search: its fields may be what it runs.
    const ACTS: &[&str] = &[
        "run",
        "exec",
        "execute",
        "apply",
        "fix",
        "replace",
        "rewrite",
        "eval",
        "invoke",
        "call",
        "perform",
        "do",
        "process",
        "transform",
        "patch",
        "substitute",
        "sed",
        "edit",
        "modify",
        "update",
        "write",
        "delete",
        "remove",
        "kill",
        "then",
    ];
    // What a search looks through (`search_emails`, `find_messages`): words that are verbs
    // elsewhere (`email_report`) name the things searched after a search verb.
    const SEARCHED: &[&str] = &[
        "email", "emails", "mail", "mails", "message", "messages", "post", "posts", "comment",
        "comments",
    ];
    name::leading_verb(tool).is_some_and(|w| SEARCH.contains(&w.as_str()))
        && name::words(tool).iter().skip(1).all(|w| {
            !ACTS.contains(&w.as_str())
                && (SEARCHED.contains(&w.as_str())
                    || name::name_tier(w).effect.is_none_or(|e| e == Effect::Read))
        })
}

/// Splunk's commands that change or send what they find, after a `|` anywhere in the text (a
/// `map search="| runshellscript …"` is found too): the search language is a pipeline, and
/// a search tool's query is its whole program.
pub(super) fn spl_effect(text: &str) -> Option<(Effect, String)> {
    if !text.contains('|') || !looks_like_spl(text) {
        return None;
    }
    let mut worst: Option<(Effect, String)> = None;
    for part in text.split('|').skip(1) {
        let word: String = part
            .trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect::<String>()
            .to_ascii_lowercase();
        let found = match word.as_str() {
            "delete" => (Effect::Destructive, "deletes the events it finds"),
            "outputlookup" | "outputcsv" | "outputtext" => {
                (Effect::Destructive, "overwrites a lookup or a file")
            }
            "sendemail" | "sendalert" => (Effect::Admin, "sends its results away"),
            "script" | "run" | "runshellscript" => (Effect::Admin, "runs a script on the server"),
            "collect" | "mcollect" | "meventcollect" | "tscollect" | "dbxoutput" | "dbxquery" => {
                (Effect::Mutating, "writes to an index or a database")
            }
            _ => continue,
        };
        if worst.as_ref().is_none_or(|w| found.0.rank() > w.0.rank()) {
            worst = Some((found.0, format!("`| {word}` {}", found.1)));
        }
    }
    worst
}

/// A Splunk search: it starts with `search`, a `|` command or an `index=` term, or names an
/// index, source type or time bound (`insert|update|delete`, a regular expression, is not).
fn looks_like_spl(text: &str) -> bool {
    let t = text.trim_start().to_ascii_lowercase();
    t.starts_with("search ")
        || t.starts_with('|')
        || [
            "index=",
            "index =",
            "sourcetype=",
            "source=",
            "earliest=",
            "eventtype=",
        ]
        .iter()
        .any(|k| t.contains(k))
}

/// A search tool's query: a secret's value in it leaves for the search provider (a database
/// URL with a password is left out: `postgres://user:password@host` is how docs write one);
/// a Splunk query's commands are judged.
pub(super) fn judge_query(ctx: &mut Ctx, q: &str) {
    if let Some(what) = http::credential_value(q).filter(|w| !w.contains("database URL")) {
        ctx.add(
            Effect::Admin,
            format!("search: sends {what} in its query to the search provider"),
        );
    }
    if let Some((e, why)) = spl_effect(q) {
        ctx.add(e, format!("search: {why}"));
    }
    if super::graphql::names_an_operation(q) && !super::graphql::analyse(ctx, q) {
        ctx.add(
            Effect::Mutating,
            "search: the query is a GraphQL document that names a mutation",
        );
    }
}
