//! Meta tools: a tool whose arguments name another tool and its arguments
//! (`invoke_tool {"tool": "filesystem.delete_directory", "arguments": {"path": "/srv"}}`,
//! an OpenAI `{"function": {"name": …, "arguments": "{…}"}}`, MCP's `tools/call` params, a
//! batch `{"calls": [{…}, {…}]}`). The inner call is judged as if it were made directly: its
//! name tier and its content, with the inner name's hints, recursively and depth-bounded.
//!
//! Under a tool whose name says it invokes tools (`invoke_tool`, `call_function`,
//! `execute_action`) the inner call is the whole judgment of the fields it uses, so an inner
//! read (`read_file`) is a read. Elsewhere an inner call only raises: a field named `tool`
//! in an unknown tool's input is evidence of a removal, never of a read.

use std::cell::Cell;

use serde_json::{Map, Value};

use super::super::{self as content, ContentVerdict, Ctx, MAX_DEPTH, snippet};
use crate::Effect::{self, Destructive, Mutating, Read};
use crate::classify::name::{NameTier, name_tier, words};

/// Keys that name the inner tool; the first four are specific to tool calls.
const NAME_KEYS: &[&str] = &[
    "tool",
    "tool_name",
    "toolname",
    "function",
    "function_name",
    "functionname",
    "recipient_name",
    "recipientname",
    "name",
    "action",
];
/// How many of [`NAME_KEYS`] are specific to tool calls (a `name` or `action` field needs
/// an argument field beside it to be a call).
const STRONG_NAME_KEYS: usize = 8;

/// Keys that hold the inner call's arguments.
const ARG_KEYS: &[&str] = &[
    "arguments",
    "args",
    "params",
    "parameters",
    "input",
    "inputs",
    "kwargs",
    "tool_input",
    "toolinput",
    "tool_args",
    "tool_arguments",
];

/// Words of a meta tool's name: a verb of invoking and a noun of tools.
const META_VERBS: &[&str] = &[
    "invoke", "call", "execute", "exec", "run", "dispatch", "use", "proxy", "delegate", "trigger",
    "perform", "do", "route", "forward",
];
const META_NOUNS: &[&str] = &[
    "tool",
    "tools",
    "function",
    "functions",
    "action",
    "actions",
    "plugin",
    "plugins",
    "skill",
    "skills",
    "capability",
    "operation",
];
/// Other words a meta tool's name may carry (`mcp__gateway__call_tool`, `multi_tool_use`).
const META_OTHER: &[&str] = &[
    "mcp", "gateway", "router", "multi", "parallel", "batch", "bulk", "remote", "meta", "generic",
    "any", "dynamic", "server", "client", "agent", "hub",
];

thread_local! {
    /// Inner calls being judged on this thread (a meta call inside a meta call).
    static DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Restores the depth when an inner judgment ends.
struct Level;

impl Drop for Level {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

/// True if a tool's name says it invokes other tools: a verb of invoking with a noun of
/// tools (`invoke_tool`, `call_function`), or only such words (`invoke`, `dispatch`), and
/// nothing else that names an action.
pub(crate) fn is_meta_tool(words: &[String]) -> bool {
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let only_meta = words.iter().all(|w| {
        let w = w.as_str();
        META_VERBS.contains(&w) || META_NOUNS.contains(&w) || META_OTHER.contains(&w)
    });
    only_meta
        && (has(META_NOUNS)
            || words.iter().any(|w| {
                matches!(
                    w.as_str(),
                    "invoke" | "dispatch" | "proxy" | "batch" | "parallel" | "bulk"
                )
            }))
}

/// A plausible tool name: one word of letters, digits and `_.-:/`.
fn tool_name(v: &Value) -> Option<&str> {
    let s = v.as_str()?.trim();
    (!s.is_empty()
        && s.len() <= 200
        && s.chars().any(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '.' | '-' | ':' | '/')))
    .then_some(s)
}

/// Judges an inner tool call in `map`, if it holds one. Under a meta tool the keys it used
/// are returned (the generic walk skips them); elsewhere nothing is returned and only a
/// finding above read is added.
pub(crate) fn call(ctx: &mut Ctx, map: &Map<String, Value>) -> Vec<String> {
    let full = matches!(ctx.program, Some((super::Program::Meta, _)));
    let args: Vec<(String, &Value)> = map
        .iter()
        .filter(|(k, _)| ARG_KEYS.contains(&k.to_ascii_lowercase().as_str()))
        .map(|(k, v)| (k.clone(), v))
        .collect();
    // Every field that names a tool: a `name` or `action` beside arguments, or a field
    // specific to tool calls (with arguments, or in a meta tool's input). Several names or
    // several argument fields are each judged (`{"tool": "read_file", "tool_name":
    // "delete_file"}` is not a read).
    let names: Vec<(String, &str, bool)> = map
        .iter()
        .filter_map(|(k, v)| {
            let i = NAME_KEYS.iter().position(|n| k.eq_ignore_ascii_case(n))?;
            let strong = i < STRONG_NAME_KEYS;
            let name = tool_name(v)?;
            // Alone, a tool field names a call when the name itself is a removal or an
            // access change (`mongodb {"tool": "drop-database", "database": "prod"}`).
            let named_harm = || {
                strong
                    && name_tier(name).effect.is_some_and(|e| {
                        matches!(e, crate::Effect::Destructive | crate::Effect::Admin)
                    })
            };
            (!args.is_empty() || (full && strong) || named_harm())
                .then(|| (k.clone(), name, strong))
        })
        .collect();
    if names.is_empty() {
        return Vec::new();
    }
    // A read tool's fields filter what it reads (`get_tool_docs {"name": "delete_x"}`):
    // only a field specific to tool calls with arguments beside it is a call there.
    let filters = !full && (ctx.name_reads || ctx.search_tool);
    let null = Value::Null;
    let inputs: Vec<&Value> = if args.is_empty() {
        vec![&null]
    } else {
        args.iter().map(|(_, v)| *v).collect()
    };
    let mut consumed = Vec::new();
    for (key, name, strong) in &names {
        if filters && (!*strong || args.is_empty()) {
            continue;
        }
        for input in &inputs {
            inner(ctx, name, input, full);
        }
        consumed.push(key.clone());
    }
    if !full || consumed.is_empty() {
        return Vec::new();
    }
    consumed.extend(args.into_iter().map(|(k, _)| k));
    consumed
}

/// The content verdict of a call, as `classify_content` makes it, on a context of its own
/// that shares the caller's work budget (so calls inside calls cannot multiply the work).
/// Keep in step with `classify_content`.
fn judge_call(ctx: &mut Ctx, tool: &str, tier: &NameTier, input: &Value) -> Option<ContentVerdict> {
    let mut c = Ctx::new();
    c.work = ctx.work;
    let tool = tier.normalised.as_deref().unwrap_or(tool);
    if tier.normalised.is_some() {
        c.add(
            Mutating,
            format!(
                "name: the action name has look-alike or invisible characters; it reads as `{tool}`"
            ),
        );
    }
    c.name_reads = tier.effect == Some(Read);
    let tool_words = words(tool);
    c.windows_shell = content::windows_shell(&tool_words);
    c.code_lang = tool_words
        .iter()
        .any(|w| w == "python" || w == "python3")
        .then_some("python");
    c.program = super::program_of(&tool_words);
    c.search_tool = content::search::search_tool(tool);
    if matches!(tool_words.as_slice(), [r, read] if (r == "resources" || r == "resource") && read == "read")
    {
        content::resource::read(&mut c, input);
    }
    let mut budget = content::MAX_INPUT;
    content::walk_json(
        &mut c,
        input,
        content::tool_hint(tool),
        0,
        &mut budget,
        true,
    );
    ctx.work = c.work;
    if c.exhausted {
        // The shared budget is spent: the caller's next step escalates too.
        ctx.tick(0);
    }
    c.verdict()
}

/// Judges one inner call and adds what it found; `full` keeps a read.
fn inner(ctx: &mut Ctx, tool: &str, input: &Value, full: bool) {
    let depth = DEPTH.with(Cell::get);
    if depth >= MAX_DEPTH {
        ctx.add(
            Destructive,
            format!("limits: tools invoking tools deeper than {MAX_DEPTH} levels"),
        );
        return;
    }
    if !ctx.tick(1) {
        return;
    }
    DEPTH.with(|d| d.set(depth + 1));
    let _level = Level;
    let shown = snippet(tool);
    let tier = name_tier(tool);
    // Arguments passed as JSON text (`"arguments": "{\"path\": \"/srv\"}"`) are that JSON.
    let parsed: Option<Value> = input
        .as_str()
        .map(str::trim)
        .filter(|s| s.starts_with('{'))
        .and_then(|s| serde_json::from_str(s).ok());
    let input = parsed.as_ref().unwrap_or(input);
    let content = judge_call(ctx, tool, &tier, input);
    let keep = |e: Effect| full || e.rank() > Read.rank();
    if let (Some(e), Some(w)) = (tier.effect, tier.word.as_deref())
        && keep(e)
    {
        ctx.add(
            e,
            format!("meta: calls tool {shown}, whose name is {e} (`{w}`)"),
        );
    }
    if let Some(v) = &content
        && keep(v.effect)
    {
        for r in &v.reasons {
            ctx.add(v.effect, format!("meta: in the call of {shown}: {r}"));
        }
    }
    if full && tier.effect.is_none() && content.is_none() {
        ctx.add(
            Mutating,
            format!("meta: calls tool {shown}; neither its name nor its input says what it does"),
        );
    }
}
