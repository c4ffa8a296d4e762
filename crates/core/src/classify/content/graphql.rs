//! GraphQL documents, parsed with `apollo-parser`: queries and subscriptions read (with
//! arguments, variables, fragments, comments and the `{ __type }` shorthand); a mutation
//! writes, and is destructive or admin when a field it calls says so (`deleteUser`,
//! `grantRole`), including fields reached through fragments. A document that does not parse
//! is never read.

use std::collections::HashMap;

use apollo_parser::Parser;
use apollo_parser::cst::{self, CstNode, Definition, Selection};

use super::{Ctx, shell, snippet};
use crate::Effect::{self, Mutating, Read};
use crate::classify::name::name_tier;

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

/// Analyses a text that looks like GraphQL. Returns false (and adds nothing) when it does not:
/// a text that starts with `{` is GraphQL only if it parses, so shell brace groups and other
/// text are left to their analysers.
pub(crate) fn analyse(ctx: &mut Ctx, t: &str) -> bool {
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
        return true;
    }
    let doc = tree.document();
    let mut fragments: HashMap<String, cst::SelectionSet> = HashMap::new();
    let mut mutation_fragments: Vec<cst::SelectionSet> = Vec::new();
    let mut operations: Vec<(Kind, Option<cst::SelectionSet>)> = Vec::new();
    let mut other = false;
    for def in doc.definitions() {
        match def {
            Definition::OperationDefinition(op) => {
                let kind = match op.operation_type() {
                    Some(k) if k.mutation_token().is_some() => Kind::Mutation,
                    Some(k) if k.subscription_token().is_some() => Kind::Subscription,
                    _ => Kind::Query,
                };
                operations.push((kind, op.selection_set()));
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
        for (_, set) in &operations {
            if let Some(set) = set {
                top_fields(set, &fragments, &mut fields, &mut budget, 0);
            }
        }
        if fields.iter().any(|f| shell::looks_like_shell(f)) {
            return false;
        }
    }
    for (kind, set) in &operations {
        match (kind, set) {
            (Kind::Mutation, Some(set)) => {
                let mut fields = Vec::new();
                top_fields(set, &fragments, &mut fields, &mut budget, 0);
                mutation(ctx, &fields, t);
            }
            (Kind::Mutation, None) => mutation(ctx, &[], t),
            (Kind::Query, _) => ctx.add(Read, format!("graphql: {} is a query", snippet(t))),
            (Kind::Subscription, _) => {
                ctx.add(Read, format!("graphql: {} is a subscription", snippet(t)));
            }
        }
    }
    for set in &mutation_fragments {
        let mut fields = Vec::new();
        top_fields(set, &fragments, &mut fields, &mut budget, 0);
        mutation(ctx, &fields, t);
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
    out: &mut Vec<String>,
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
                    out.push(text(n.syntax()));
                }
            }
            Selection::FragmentSpread(s) => {
                let name = s.fragment_name().map(|n| text(n.syntax()));
                match name.and_then(|n| fragments.get(&n)) {
                    Some(inner) => top_fields(inner, fragments, out, budget, depth + 1),
                    // A spread of a fragment not in the document: its fields are unknown.
                    None => out.push("unknown fragment".into()),
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

/// A mutation: at least mutating, and what its fields' names say.
fn mutation(ctx: &mut Ctx, fields: &[String], t: &str) {
    let mut effect = Mutating;
    let mut word = String::new();
    for f in fields {
        if f == "unknown fragment" {
            effect = effect.max(Effect::Destructive);
            word = "a fragment that is not in the document".into();
            continue;
        }
        if let Some(e) = name_tier(f).effect
            && e.max(effect) != effect
        {
            effect = e;
            word = f.clone();
        }
    }
    let why = match effect {
        Effect::Destructive => format!("is a graphql mutation that removes data (`{word}`)"),
        Effect::Admin => format!("is a graphql mutation on access control (`{word}`)"),
        _ => "is a graphql mutation".to_string(),
    };
    ctx.add(effect, format!("graphql: {} {why}", snippet(t)));
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
mod tests {
    use super::*;
    use crate::Effect::{Admin, Destructive};

    fn gql(t: &str) -> Option<Effect> {
        let mut ctx = Ctx::new();
        analyse(&mut ctx, t);
        ctx.max_effect()
    }

    #[test]
    fn queries_read() {
        assert_eq!(gql("query { users { id } }"), Some(Read));
        assert_eq!(gql("{ __type(name: \"User\") { name } }"), Some(Read));
        assert_eq!(
            gql("query Get($id: ID!) { user(id: $id) { name posts(first: 10) { title } } }"),
            Some(Read)
        );
        assert_eq!(
            gql("# list users\nquery { users { ...F } }\nfragment F on User { id name }"),
            Some(Read)
        );
        assert_eq!(gql("subscription { messages { text } }"), Some(Read));
        assert_eq!(
            gql("# the type\n{ __type(name: \"User\") { name } }"),
            Some(Read)
        );
        // A comment that mentions a mutation is a comment.
        assert_eq!(gql("query { a }\n# mutation { deleteAll }"), Some(Read));
    }

    #[test]
    fn mutations_are_found_wherever_they_hide() {
        assert_eq!(
            gql("mutation { deleteUser(id: 1) { id } }"),
            Some(Destructive)
        );
        assert_eq!(
            gql("# harmless\nmutation { deleteUser(id: 1) { id } }"),
            Some(Destructive)
        );
        assert_eq!(
            gql("mutation { ...F } fragment F on Mutation { deleteRepository(id: 1) { id } }"),
            Some(Destructive)
        );
        assert_eq!(
            gql("mutation { ... on Mutation { purgeCache } }"),
            Some(Destructive)
        );
        assert_eq!(
            gql("query A { users { id } } mutation B { dropTable(name: \"x\") }"),
            Some(Destructive)
        );
        assert_eq!(
            gql("mutation { grantRole(user: 1, role: ADMIN) }"),
            Some(Admin)
        );
        assert_eq!(
            gql("mutation { createPost(title: \"x\") { id } }"),
            Some(Mutating)
        );
        assert_eq!(gql("mutation { ...Missing }"), Some(Destructive));
    }

    /// Descriptions, comments and the byte order mark before an operation are lexed as the
    /// specification has them; the operation after them decides.
    #[test]
    fn descriptions_and_comments_before_operations() {
        assert_eq!(
            gql("\"\"\"docs\"\"\" # query\n  mutation  Wipe { deleteAllItems { count } }"),
            Some(Destructive)
        );
        assert_eq!(
            gql("\"d\"\nmutation { purgeProject(id: 1) }"),
            Some(Destructive)
        );
        assert_eq!(
            gql("query A { a }\n\"\"\"x\"\"\"\nmutation B { dropIndex(name: \"x\") }"),
            Some(Destructive)
        );
        assert_eq!(
            gql("\u{feff}# bom\nmutation { removeMember(id: 2) }"),
            Some(Destructive)
        );
        assert_eq!(
            gql("\"\"\"a \\\"\"\" b\"\"\" mutation { destroyWorkspace(id: 3) }"),
            Some(Destructive)
        );
        // The twins: the same descriptions before a query, and a mutation inside a string.
        assert_eq!(
            gql("\"\"\"docs\"\"\" # c\n query Q { items { id } }"),
            Some(Read)
        );
        assert_eq!(
            gql("\"mutation { deleteAll }\" query { me { id } }"),
            Some(Read)
        );
        assert_eq!(
            gql("query Q($f: String = \"mutation { wipe }\") { items(f: $f) { id } }"),
            Some(Read)
        );
    }

    #[test]
    fn unparseable_graphql_is_never_read() {
        assert_eq!(gql("query { users { id }"), Some(Mutating));
        assert_eq!(gql("mutation { deleteUser(id: 1 }"), Some(Destructive));
        // Not GraphQL: left to the other analysers.
        let mut ctx = Ctx::new();
        assert!(!analyse(&mut ctx, "{ rm -rf /tmp/x; }"));
        assert!(!analyse(&mut ctx, "{\n rm important\n}"));
        assert_eq!(ctx.max_effect(), None);
    }
}
