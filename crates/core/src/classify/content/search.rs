//! Search tools (`Grep`, `search_files`, `find_code`): which tools are only searches, and
//! which of their fields hold what is searched for rather than what runs.

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
    name::leading_verb(tool).is_some_and(|w| SEARCH.contains(&w.as_str()))
        && name::words(tool).iter().skip(1).all(|w| {
            !ACTS.contains(&w.as_str())
                && name::name_tier(w).effect.is_none_or(|e| e == Effect::Read)
        })
}
