//! GraphQL documents, parsed with `apollo-parser`: queries and subscriptions read (with
//! arguments, variables, fragments, comments and the `{ __type }` shorthand); a mutation
//! writes, and is destructive or admin when a field it calls says so (`deleteUser`,
//! `grantRole`), including fields reached through fragments. A document that does not parse
//! is never read.
//!
//! A request object (`{"query": …, "operationName": …, "variables": …}`) is judged as a
//! server runs it ([`request`]): when it names an operation of the document, only the
//! operations of that exact name run. A mutation's arguments count too: `force: true`
//! (literal or in the variables) removes history, and string arguments holding SQL or a
//! command line are analysed as such.

mod elsewhere;
pub(crate) use elsewhere::analyse_keys;

use std::collections::HashMap;

use apollo_parser::Parser;
use apollo_parser::cst::{self, CstNode, Definition, Selection};
use serde_json::{Map, Value};

use super::{Ctx, Hint, analyse_text, shell, snippet};
use crate::Effect::{self, Mutating, Read};
use crate::classify::name::{name_tier, words};

/// Tokens parsed before a document counts as too large (and is not read).
const TOKEN_LIMIT: usize = 20_000;
/// Nesting the parser follows.
const RECURSION_LIMIT: usize = 64;
/// Fragment expansions followed per document.
const EXPANSION_LIMIT: usize = 1_000;

/// A text after what may precede a definition's keyword, as GraphQL's lexical grammar has
/// it: ignored tokens (the byte order mark, whitespace, line terminators, commas, `# …`
/// comments) and descriptions (string values, `"…"` with escapes or `"""…"""` block
/// strings with `\"""`).
fn skip_ignored(t: &str) -> &str {
    let mut rest = t;
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == ',' || c == '\u{feff}');
        if let Some(r) = rest.strip_prefix('#') {
            rest = r.split_once(['\n', '\r']).map_or("", |(_, after)| after);
        } else if let Some(r) = rest.strip_prefix("\"\"\"") {
            rest = after_block_string(r);
        } else if let Some(r) = rest.strip_prefix('"') {
            rest = after_string(r);
        } else {
            return rest;
        }
    }
}

/// The text after a block string's closing `"""` (`\"""` does not close it).
fn after_block_string(t: &str) -> &str {
    let mut i = 0;
    while let Some(at) = t.get(i..).and_then(|r| r.find("\"\"\"")) {
        let at = i + at;
        if t.get(..at).is_some_and(|before| before.ends_with('\\')) {
            i = at + 3;
            continue;
        }
        return t.get(at + 3..).unwrap_or("");
    }
    ""
}

/// The text after a string's closing `"` (escapes skipped; a string ends at a line end).
fn after_string(t: &str) -> &str {
    let mut escaped = false;
    for (i, c) in t.char_indices() {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return t.get(i + 1..).unwrap_or(""),
            '\n' | '\r' => return t.get(i..).unwrap_or(""),
            _ => escaped = false,
        }
    }
    ""
}

/// The document with the descriptions of its definitions (string values outside every
/// bracket) blanked to spaces, or None if it has none. `apollo-parser` does not take
/// descriptions on operations (the 2025 specification does); they are documentation, so the
/// operations are judged without them. Strings inside brackets (argument values, defaults)
/// are kept.
fn blank_descriptions(t: &str) -> Option<String> {
    let mut out = String::with_capacity(t.len());
    let mut rest = t;
    let mut depth = 0usize;
    let mut blanked = false;
    let blank = |s: &str, out: &mut String| {
        out.extend(
            s.chars()
                .map(|c| if c == '\n' || c == '\r' { c } else { ' ' }),
        );
    };
    while let Some(c) = rest.chars().next() {
        let (token, after) = if rest.starts_with("\"\"\"") {
            let after = after_block_string(rest.get(3..).unwrap_or(""));
            (rest.get(..rest.len() - after.len()).unwrap_or(""), after)
        } else if let Some(r) = rest.strip_prefix('"') {
            let after = after_string(r);
            (rest.get(..rest.len() - after.len()).unwrap_or(""), after)
        } else if c == '#' {
            let end = rest.find(['\n', '\r']).unwrap_or(rest.len());
            (rest.get(..end).unwrap_or(""), rest.get(end..).unwrap_or(""))
        } else {
            match c {
                '{' | '(' | '[' => depth += 1,
                '}' | ')' | ']' => depth = depth.saturating_sub(1),
                _ => {}
            }
            let n = c.len_utf8();
            (rest.get(..n).unwrap_or(""), rest.get(n..).unwrap_or(""))
        };
        if token.starts_with('"') && depth == 0 {
            blank(token, &mut out);
            blanked = true;
        } else {
            out.push_str(token);
        }
        if after.len() >= rest.len() {
            break;
        }
        rest = after;
    }
    blanked.then_some(out)
}

/// The first word of a text after GraphQL comments (`# …` lines) and whitespace.
fn first_word(t: &str) -> &str {
    let rest = skip_ignored(t);
    let end = rest
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(rest.len());
    if end == 0 {
        return rest.get(..1).unwrap_or("");
    }
    rest.get(..end).unwrap_or("")
}

/// A search tool's query that is a GraphQL document naming a mutation or a subscription
/// (`linear_search_issues {"query": "mutation { issueDelete(…) }"}`, the twenty-fourth
/// sets): a server that forwards its query to a GraphQL API runs it, so it is judged as
/// GraphQL. Search words (`mutation testing`) have no selection set and stay text.
pub(crate) fn names_an_operation(t: &str) -> bool {
    let word = first_word(t);
    let starts = matches!(
        word,
        "query" | "mutation" | "subscription" | "fragment" | "{"
    );
    let changes = |kw: &[u8]| {
        t.as_bytes()
            .windows(kw.len())
            .any(|w| w.eq_ignore_ascii_case(kw))
    };
    starts && t.contains('{') && (changes(b"mutation") || changes(b"subscription"))
}

/// Analyses a text that looks like GraphQL. Returns false (and adds nothing) when it does not:
/// a text that starts with `{` is GraphQL only if it parses, so shell brace groups and other
/// text are left to their analysers.
pub(crate) fn analyse(ctx: &mut Ctx, t: &str) -> bool {
    analyse_with(ctx, t, None, None)
}

/// A GraphQL request object: its `query` is judged with its `operationName` and
/// `variables`. Returns true if the `query` field held GraphQL and was judged here (the
/// caller then skips it).
pub(crate) fn request(ctx: &mut Ctx, map: &Map<String, Value>) -> bool {
    // A search tool's `query` is what it searches for.
    if ctx.search_tool {
        return false;
    }
    let Some(Value::String(query)) = map.get("query") else {
        return false;
    };
    let operation = map
        .iter()
        .find(|(k, _)| {
            matches!(
                k.to_ascii_lowercase().as_str(),
                "operationname" | "operation_name"
            )
        })
        .and_then(|(_, v)| v.as_str());
    with_variables(ctx, map, query, operation)
}

/// Analyses `text` with the request's `variables` (an object, or JSON text).
fn with_variables(
    ctx: &mut Ctx,
    map: &Map<String, Value>,
    text: &str,
    operation: Option<&str>,
) -> bool {
    let parsed;
    let variables = match map.get("variables") {
        Some(Value::String(s)) => {
            parsed = serde_json::from_str::<Value>(s).ok();
            parsed.as_ref()
        }
        other => other,
    };
    analyse_with(ctx, text, operation, variables)
}

/// Analyses a GraphQL document; `operation` is the operation name the request selects, and
/// `variables` the request's variables.
fn analyse_with(
    ctx: &mut Ctx,
    t: &str,
    operation: Option<&str>,
    variables: Option<&Value>,
) -> bool {
    let word = first_word(t);
    let keyword = matches!(word, "query" | "mutation" | "subscription" | "fragment");
    if !(keyword && t.contains('{')) && word != "{" {
        return false;
    }
    // The shorthand's selection set starts with a field or a spread (`{ users`, `{ ...F`):
    // `{ {` and `{ rm;` are not worth a parse.
    if !keyword {
        let after = skip_ignored(skip_ignored(t).strip_prefix('{').unwrap_or(""));
        if !after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_' || c == '.') {
            return false;
        }
    }
    let described = blank_descriptions(t);
    let tree = Parser::new(described.as_deref().unwrap_or(t))
        .token_limit(TOKEN_LIMIT)
        .recursion_limit(RECURSION_LIMIT)
        .parse();
    if tree.errors().len() > 0 {
        if !keyword {
            return false;
        }
        let (e, why) = unparsed(t);
        ctx.add(e, format!("graphql: {} {why}", snippet(t)));
        // The request's `operationName` is then the only word on what it does.
        if let Some(op) = operation
            && let Some(named) = crate::classify::name::name_tier(op)
                .effect
                .filter(|e| e.rank() >= Effect::Destructive.rank())
        {
            ctx.add(
                named,
                format!(
                    "graphql: the request's operation `{}` is named for it",
                    snippet(op)
                ),
            );
        }
        return true;
    }
    let doc = tree.document();
    let mut fragments: HashMap<String, cst::SelectionSet> = HashMap::new();
    let mut mutation_fragments: Vec<cst::SelectionSet> = Vec::new();
    let mut operations: Vec<(Kind, Option<String>, Option<cst::SelectionSet>)> = Vec::new();
    let mut other = false;
    for def in doc.definitions() {
        match def {
            Definition::OperationDefinition(op) => {
                let kind = match op.operation_type() {
                    Some(k) if k.mutation_token().is_some() => Kind::Mutation,
                    Some(k) if k.subscription_token().is_some() => Kind::Subscription,
                    _ => Kind::Query,
                };
                let name = op.name().map(|n| text(n.syntax()));
                operations.push((kind, name, op.selection_set()));
            }
            Definition::FragmentDefinition(f) => {
                let on = f
                    .type_condition()
                    .and_then(|c| c.named_type())
                    .map(|n| text(n.syntax()))
                    .unwrap_or_default();
                if let Some(set) = f.selection_set() {
                    if on.to_ascii_lowercase().contains("mutation") {
                        mutation_fragments.push(set.clone());
                    }
                    if let Some(name) = f.fragment_name() {
                        fragments.insert(text(name.syntax()), set);
                    }
                }
            }
            _ => other = true,
        }
    }
    if operations.is_empty() || other {
        ctx.add(
            Mutating,
            format!(
                "graphql: {} has no executable operation (or has type definitions), so it is not a read",
                snippet(t)
            ),
        );
    }
    let mut budget = EXPANSION_LIMIT;
    if !keyword {
        // The `{ … }` shorthand is also the shape of a shell brace group: a field named after
        // a program (`{\n rm x\n}`) leaves the text to the shell analyser.
        let mut fields = Vec::new();
        for (_, _, set) in &operations {
            if let Some(set) = set {
                top_fields(set, &fragments, &mut fields, &mut budget, 0);
            }
        }
        if fields
            .iter()
            .any(|f| matches!(f, Called::Field(name, _) if shell::looks_like_shell(name)))
        {
            return false;
        }
    }
    // When the request names an operation of the document, only the operations of that exact
    // name run (a server rejects the request otherwise; then every operation counts).
    let selected = operation.filter(|o| {
        operations
            .iter()
            .any(|(_, name, _)| name.as_deref() == Some(*o))
    });
    // Only then, and on a call addressed to GraphQL, is the request's `operationName` this
    // document's, not an SDK operation's (`dynamodb {"operationName": "DeleteTable",
    // "query": "query DeleteTable { status }"}` is not GraphQL's).
    if selected.is_some() && ctx.graphql_target {
        ctx.graphql_judged = true;
    }
    let runs = |name: &Option<String>| selected.is_none_or(|o| name.as_deref() == Some(o));
    let mut mutates = false;
    for (kind, name, set) in &operations {
        if !runs(name) {
            continue;
        }
        match (kind, set) {
            (Kind::Mutation, Some(set)) => {
                mutates = true;
                let mut fields = Vec::new();
                top_fields(set, &fragments, &mut fields, &mut budget, 0);
                mutation(ctx, &fields, t);
            }
            (Kind::Mutation, None) => {
                mutates = true;
                mutation(ctx, &[], t);
            }
            (Kind::Query, _) => ctx.add(Read, format!("graphql: {} is a query", snippet(t))),
            (Kind::Subscription, _) => {
                ctx.add(Read, format!("graphql: {} is a subscription", snippet(t)));
            }
        }
    }
    // Fragments on the mutation type: judged unless the request selects an operation that is
    // not a mutation (a query does not run them).
    if selected.is_none() || mutates {
        for set in &mutation_fragments {
            let mut fields = Vec::new();
            top_fields(set, &fragments, &mut fields, &mut budget, 0);
            mutation(ctx, &fields, t);
            mutates = true;
        }
    }
    if mutates && let Some(vars) = variables {
        mutation_variables(ctx, vars, 0);
    }
    if budget == 0 {
        ctx.add(
            Effect::Destructive,
            "graphql: fragments expand past the analysis limit",
        );
    }
    true
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Query,
    Mutation,
    Subscription,
}

fn text(node: &apollo_parser::SyntaxNode) -> String {
    node.text().to_string().trim().to_string()
}

/// The fields a selection set calls at its top level, through fragment spreads and inline
/// fragments.
fn top_fields(
    set: &cst::SelectionSet,
    fragments: &HashMap<String, cst::SelectionSet>,
    out: &mut Vec<Called>,
    budget: &mut usize,
    depth: usize,
) {
    for sel in set.selections() {
        if *budget == 0 || depth > RECURSION_LIMIT {
            *budget = 0;
            return;
        }
        *budget -= 1;
        match sel {
            Selection::Field(f) => {
                if let Some(n) = f.name() {
                    out.push(Called::Field(text(n.syntax()), f));
                }
            }
            Selection::FragmentSpread(s) => {
                let name = s.fragment_name().map(|n| text(n.syntax()));
                match name.and_then(|n| fragments.get(&n)) {
                    Some(inner) => top_fields(inner, fragments, out, budget, depth + 1),
                    // A spread of a fragment not in the document: its fields are unknown.
                    None => out.push(Called::UnknownFragment),
                }
            }
            Selection::InlineFragment(i) => {
                if let Some(inner) = i.selection_set() {
                    top_fields(&inner, fragments, out, budget, depth + 1);
                }
            }
        }
    }
}

/// What a selection set calls at its top level.
enum Called {
    /// A field, by name.
    Field(String, cst::Field),
    /// A spread of a fragment the document does not define.
    UnknownFragment,
}

/// Words of a mutation field that change who can do what (`updateBranchProtectionRule`,
/// `addCollaborator`, `createWebhook`, `setRepositorySecret`, `updateIpAllowList`).
const ACCESS_WORDS: &[&str] = &[
    "protection",
    "protections",
    "ruleset",
    "rulesets",
    "permission",
    "permissions",
    "collaborator",
    "collaborators",
    "webhook",
    "webhooks",
    "hook",
    "hooks",
    "secret",
    "secrets",
    "visibility",
    "bypass",
    "allow",
    "allowlist",
    "sso",
    "saml",
];

/// A mutation: at least mutating, and what its fields' names and arguments say.
fn mutation(ctx: &mut Ctx, fields: &[Called], t: &str) {
    let mut effect = Mutating;
    let mut word = String::new();
    for called in fields {
        let (f, field) = match called {
            Called::UnknownFragment => {
                effect = effect.max(Effect::Destructive);
                word = "a fragment that is not in the document".into();
                continue;
            }
            Called::Field(name, field) => (name, field),
        };
        let mut e = name_tier(f).effect.unwrap_or(Mutating);
        if words(f).iter().any(|w| ACCESS_WORDS.contains(&w.as_str())) {
            e = e.max(Effect::Admin);
        }
        if e.max(effect) != effect {
            effect = e;
            word = f.clone();
        }
        if let Some(args) = field.arguments() {
            for arg in args.arguments() {
                let name = arg.name().map(|n| text(n.syntax())).unwrap_or_default();
                if let Some(v) = arg.value() {
                    argument(ctx, &name, &v, t, 0);
                }
            }
        }
    }
    let why = match effect {
        Effect::Destructive => format!("is a graphql mutation that removes data (`{word}`)"),
        Effect::Admin => format!("is a graphql mutation on access control (`{word}`)"),
        _ => "is a graphql mutation".to_string(),
    };
    ctx.add(effect, format!("graphql: {} {why}", snippet(t)));
}

/// Names of arguments that force a change through (`force: true` on `updateRef` moves a
/// branch whatever its history).
fn forces(name: &str) -> bool {
    words(name)
        .iter()
        .any(|w| matches!(w.as_str(), "force" | "forced" | "overwrite"))
}

/// Names of arguments that hold text for people: never analysed as commands.
fn prose(name: &str) -> bool {
    words(name).iter().any(|w| {
        matches!(
            w.as_str(),
            "title"
                | "body"
                | "description"
                | "comment"
                | "message"
                | "text"
                | "content"
                | "summary"
                | "note"
                | "notes"
                | "subject"
                | "reason"
                | "markdown"
                | "html"
                | "caption"
                | "label"
        )
    })
}

/// How a string argument is read: SQL under `statement`/`sql`/`query`, a command line under
/// `command`/`cmd`/`script`, sniffed otherwise.
fn hint_of(name: &str) -> Hint {
    let w = words(name);
    let has = |list: &[&str]| w.iter().any(|x| list.contains(&x.as_str()));
    if has(&[
        "sql",
        "statement",
        "statements",
        "stmt",
        "query",
        "ddl",
        "dml",
    ]) {
        Hint::Sql
    } else if has(&["command", "commands", "cmd", "script", "shell", "bash"]) {
        Hint::Shell
    } else {
        Hint::None
    }
}

/// One argument of a mutation field, at any depth of its object and list values.
fn argument(ctx: &mut Ctx, name: &str, v: &cst::Value, t: &str, depth: usize) {
    if depth > RECURSION_LIMIT || !ctx.tick(1) {
        return;
    }
    match v {
        cst::Value::BooleanValue(b) if b.true_token().is_some() && forces(name) => {
            ctx.add(
                Effect::Destructive,
                format!(
                    "graphql: {} forces a mutation through (`{name}: true`)",
                    snippet(t)
                ),
            );
        }
        cst::Value::StringValue(s) if !prose(name) => {
            let value = string_value(&text(s.syntax()));
            ctx.via(format!("graphql argument `{name}`"), |ctx| {
                analyse_text(ctx, &value, hint_of(name), 1);
            });
        }
        cst::Value::ListValue(l) => {
            for item in l.values() {
                argument(ctx, name, &item, t, depth + 1);
            }
        }
        cst::Value::ObjectValue(o) => {
            for field in o.object_fields() {
                let inner = field.name().map(|n| text(n.syntax())).unwrap_or_default();
                if let Some(v) = field.value() {
                    argument(ctx, &inner, &v, t, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// The variables of a request that runs a mutation: `force: true` and strings holding SQL or
/// a command line count as they would written in the document.
fn mutation_variables(ctx: &mut Ctx, v: &Value, depth: usize) {
    let Value::Object(map) = v else {
        return;
    };
    if depth > RECURSION_LIMIT {
        return;
    }
    for (k, v) in map {
        if !ctx.tick(1) {
            return;
        }
        match v {
            Value::Bool(true) if forces(k) => ctx.add(
                Effect::Destructive,
                format!("graphql: the variables force a mutation through (`{k}: true`)"),
            ),
            Value::String(s) if !prose(k) => {
                ctx.via(format!("graphql variable `{k}`"), |ctx| {
                    analyse_text(ctx, s, hint_of(k), 1);
                });
            }
            Value::Object(_) => mutation_variables(ctx, v, depth + 1),
            Value::Array(items) => {
                for item in items {
                    mutation_variables(ctx, item, depth + 1);
                }
            }
            _ => {}
        }
    }
}

/// The value of a GraphQL string token: `"…"` with its escapes, or a `"""…"""` block string.
/// Unknown escapes are kept as written (no panic on input).
fn string_value(token: &str) -> String {
    if let Some(inner) = token
        .strip_prefix("\"\"\"")
        .and_then(|r| r.strip_suffix("\"\"\""))
    {
        return inner.replace("\\\"\"\"", "\"\"\"");
    }
    let inner = token
        .strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .unwrap_or(token);
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('b' | 'f') => out.push(' '),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

/// A document that does not parse: never read; a removal word makes it destructive.
fn unparsed(t: &str) -> (Effect, &'static str) {
    let lower = t.to_ascii_lowercase();
    let removes = [
        "delete", "remove", "destroy", "drop", "purge", "wipe", "truncate", "erase", "reset",
    ]
    .iter()
    .any(|w| lower.contains(w));
    if lower.contains("mutation") && removes {
        (
            Effect::Destructive,
            "does not parse as graphql and may be a mutation that removes data",
        )
    } else {
        (
            Mutating,
            "does not parse as graphql, so it is not known to read",
        )
    }
}

#[cfg(test)]
mod tests;

/// The tool's name names GraphQL (`graphql_query`, `gql`), or an HTTP tool's address does
/// (`http_request {"url": "…/graphql"}`; a service's tool with such an `endpoint` is not one).
pub(crate) fn target(tool: &str, input: &Value) -> bool {
    // Cheap tests first: this runs for every call.
    let mentions = |text: &str, word: &str| {
        text.as_bytes()
            .windows(word.len())
            .any(|w| w.eq_ignore_ascii_case(word.as_bytes()))
    };
    if mentions(tool, "graphql") {
        return true;
    }
    let addressed = ["url", "uri", "endpoint", "href"].iter().any(|k| {
        input
            .get(*k)
            .and_then(Value::as_str)
            .is_some_and(|u| mentions(u, "graphql"))
    });
    let gql = mentions(tool, "gql");
    if !addressed && !gql {
        return false;
    }
    let words = crate::classify::name::words(tool);
    let has = |set: &[&str]| words.iter().any(|w| set.contains(&w.as_str()));
    has(&["gql"])
        || (addressed
            && has(&[
                "http", "https", "request", "fetch", "curl", "api", "rest", "web",
            ]))
}
