//! The content tier: what the input of a call does (SQL, shell, HTTP, JSON arguments).
//!
//! The input is a JSON value. Strings are sniffed (JSON text, an HTTP request line, SQL, a
//! shell command) with the tool name's generic words as a hint (`run_sql` tries SQL first,
//! `shell` reads any text as a command), and objects and arrays are searched recursively for
//! fields that hold SQL, commands or HTTP requests. Each analyser adds findings (an effect and
//! a short reason); the verdict is the highest effect with the reasons that reached it.
//!
//! Work is bounded: 64 KiB of input, 8 levels of re-interpretation (`bash -c` inside
//! `bash -c`, JSON text inside a string, `$( )` inside `$( )`), and a budget of analysed
//! nodes. Past any bound the verdict escalates to destructive instead of guessing.

mod args;
mod base32;
mod browser;
mod bytescan;
mod catalogue;
mod cloud;
mod code;
mod connection;
mod ctx;
mod cypher;
mod datastore;
mod datatools;
mod dbclient;
mod devops;
mod facts;
mod fast;
mod forced_ref;

#[doc(hidden)]
pub use fast::select_read as fast_select_read;
pub use fast::statement_effect as fast_sql_effect;

/// True if the shell fast path splits `text` without the parser (for the differential test).
#[doc(hidden)]
pub fn fast_shell_line(text: &str) -> bool {
    fast::shell::plain_line(text).is_some()
}
mod graphql;
mod hosted;
mod http;
mod json_walk;
mod keys;
mod objects;
mod outputs;
mod patch;
mod program_tool;
mod prompt_urls;
mod query_text;
mod resource;
mod run_dir;
pub(crate) mod search;
mod shell;
mod snippet;
mod sql;
mod sqlfilter;
mod sqllex;
mod structured;
mod substrings;
mod tasks;
#[cfg(test)]
mod test_rng;
mod tools;
mod workdir;
mod wrappers;

use serde_json::{Map, Value};

pub(crate) use snippet::{prefixed, snippet, snippet_words};

use super::name::{NameTier, words};
use crate::Effect;
use json_walk::walk_json;

/// What the content analysers found in an input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentVerdict {
    pub effect: Effect,
    pub reasons: Vec<String>,
}

/// Bytes of input analysed; the rest escalates.
pub(crate) const MAX_INPUT: usize = 64 * 1024;
/// Levels of re-interpretation (a string parsed as a program inside another program).
pub(crate) const MAX_DEPTH: usize = 8;
/// Levels of JSON structure searched.
const MAX_JSON_DEPTH: usize = 64;
/// Analysed nodes (statements, commands, words, JSON values) per input.
const MAX_WORK: usize = 20_000;
/// Reasons kept in a verdict.
const MAX_REASONS: usize = 6;

/// Which reading of a text the tool name suggests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hint {
    /// No preference: sniff.
    None,
    /// A shell tool: any text is a command line.
    Shell,
    /// A SQL tool: SQL first.
    Sql,
    /// An HTTP tool: method and URL first.
    Http,
    /// Source code of an unknown language (a `code` field).
    Code,
    /// Text for people (a search query, a message): only SQL with a statement's shape and
    /// embedded JSON count; command-like words are data.
    Prose,
}

/// Accumulates findings while the analysers walk an input.
pub(crate) struct Ctx {
    /// Every finding's effect, in order (for [`Ctx::mark`] and [`Ctx::max_since`]).
    events: Vec<Effect>,
    max: Option<Effect>,
    /// Reasons by rank (read, mutating, high risk), a bounded number of each.
    reasons: [Vec<(Effect, String)>; 3],
    dropped: [usize; 3],
    work: usize,
    exhausted: bool,
    too_deep: bool,
    /// Inside AppleScript judged as `osascript -e` (whose script is AppleScript again).
    pub(crate) in_osascript: bool,
    pub(crate) via: Vec<String>,
    /// The tool's name says it reads (a path it names is not written).
    name_reads: bool,
    /// The tool runs a Windows shell (`powershell` or `cmd`): its commands are read in that
    /// shell's syntax, not bash's.
    windows_shell: Option<&'static str>,
    /// The language the tool's name gives its code (`run_python`), for the pure-code rule.
    code_lang: Option<&'static str>,
    /// The program the tool is named after, with the name's words after it.
    program: Option<(structured::Program, Vec<String>)>,
    /// The tool's leading verb searches: its pattern and query fields are data.
    search_tool: bool,
    /// The tool reads events or audit logs ([`facts::ToolFacts::event_tool`]).
    event_tool: bool,
    /// The tool gets one thing by its name ([`facts::ToolFacts::one_thing`]).
    one_thing: bool,
    /// The text being walked is a statement's bound parameters: data the driver never
    /// parses, so a `;` in it starts no statement.
    bound_data: bool,
    /// The object being walked is a GraphQL request whose `operationName` names an operation
    /// of its parsed document: that name is not also an SDK operation.
    graphql_judged: bool,
    /// The call is addressed to a GraphQL API (the tool's name or its URL says so): only then
    /// does a request's `operationName` belong to GraphQL rather than to an SDK.
    graphql_target: bool,
    /// The token-level fast path ([`fast`]) may answer before the full analysis.
    pub(crate) fast: bool,
    /// The tool's name says it sends its input away (`send_email`, `browser_file_upload`).
    sends: bool,
    /// The tool's name says it writes the path it names (`write_file`, `edit_file`).
    writes_path: bool,
    /// The tool's name says it pushes (`push_files`): a `force` field rewrites history.
    pub(crate) pushes: bool,
    /// The tool's name says it moves or renames what it names.
    moves: bool,
    /// The tool is a text editor (`str_replace_based_edit_tool`, `developer__text_editor`):
    /// its `command` is the editor's operation.
    pub(crate) editor_tool: bool,
    /// The tool applies patches (`apply_patch`, `apply_diff`): a unified diff in its input is
    /// applied, not shown.
    patch_tool: bool,
    /// The joined spelling of code being scanned (depth, text) and the literals the code
    /// itself judges: that scan leaves them to it ([`code::scan`]).
    pub(crate) folded: Option<(usize, String, Vec<String>)>,
    /// A line with its assigned values put in place is being judged (`shell/fill.rs`): it
    /// is not filled again.
    pub(crate) filling: bool,
}

/// The longest prefix of `s` of at most `max` bytes that ends on a character boundary.
pub(crate) fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while end > 0 && !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default()
}

/// The reading the tool name suggests for its input.
fn tool_hint(tool: &str) -> Hint {
    let (mut shell, mut sql, mut http, mut code) = (false, false, false, false);
    for w in words(tool) {
        match w.as_str() {
            "shell" | "bash" | "sh" | "zsh" | "terminal" | "command" | "cmd" | "exec" | "run"
            | "console" | "cli" => shell = true,
            "sql" | "query" | "psql" | "mysql" | "sqlite" | "sqlite3" | "db" | "database"
            | "postgres" | "postgresql" | "statement" => sql = true,
            "http" | "request" | "curl" | "fetch" | "api" | "rest" | "webhook" | "graphql"
            | "gql" => http = true,
            "python" | "code" | "eval" | "script" | "node" | "javascript" | "repl"
            | "powershell" | "pwsh" | "jupyter" | "notebook" | "interpreter" => code = true,
            _ => {}
        }
    }
    if sql {
        Hint::Sql
    } else if code {
        Hint::Code
    } else if shell {
        Hint::Shell
    } else if http {
        Hint::Http
    } else {
        Hint::None
    }
}

/// The Windows shell a tool named `powershell`/`pwsh`, `cmd` (alone or with `exe`/`windows`)
/// runs; `run_cmd` and other generic names stay POSIX.
fn windows_shell(words: &[String]) -> Option<&'static str> {
    let has = |w: &[&str]| words.iter().any(|x| w.contains(&x.as_str()));
    if has(&["powershell", "pwsh", "ps1"]) {
        Some("powershell")
    } else if has(&["cmd"]) && (words.len() == 1 || has(&["exe", "windows", "win", "bat", "batch"]))
    {
        Some("cmd")
    } else {
        None
    }
}

/// The shell an input names beside its command (`{"shell": "powershell", "command": …}`).
fn shell_named(map: &Map<String, Value>) -> Option<Option<&'static str>> {
    let v = map
        .get("shell")
        .and_then(Value::as_str)?
        .trim()
        .to_ascii_lowercase();
    let v = v.trim_end_matches(".exe");
    match v.rsplit(['/', '\\']).next().unwrap_or(v) {
        "powershell" | "pwsh" => Some(Some("powershell")),
        "cmd" => Some(Some("cmd")),
        "bash" | "sh" | "zsh" | "dash" => Some(None),
        _ => None,
    }
}

/// Classifies the input of a call. `None` means the content says nothing (plain prose, an
/// empty input): the name tier, or the unknown-is-mutating default, decides.
pub fn classify_content(tool: &str, name: &NameTier, input: &Value) -> Option<ContentVerdict> {
    classify_content_with(tool, name, input, true)
}

/// [`classify_content`] with the token-level fast path on or off: the differential test
/// (`tests/fast_path_differential.rs`) compares the two.
#[doc(hidden)]
pub fn classify_content_with(
    tool: &str,
    name: &NameTier,
    input: &Value,
    fast: bool,
) -> Option<ContentVerdict> {
    let mut ctx = Ctx::new();
    ctx.fast = fast;
    // Hints come from the name as it reads once look-alike characters are folded.
    let tool = name.normalised.as_deref().unwrap_or(tool);
    if name.normalised.is_some() {
        ctx.add(
            Effect::Mutating,
            format!(
                "name: the action name has look-alike or invisible characters; it reads as `{tool}`"
            ),
        );
    }
    ctx.name_reads = name.effect == Some(Effect::Read);
    // Anthropic's text editor tool (`str_replace_based_edit_tool`) reads with `view`: its
    // path is read, not written (the name's `replace` still counts).
    if (tool.contains("str_replace") || tool.contains("text_editor"))
        && input.get("command").and_then(Value::as_str) == Some("view")
    {
        ctx.name_reads = true;
    }
    // Claude Code's `TodoWrite` keeps the agent's own task list: its items are notes to
    // itself (`"content": "drop the old table"`), not actions. Only the exact shape counts.
    if tool == "TodoWrite" && todo_list(input) {
        ctx.add(
            Effect::Read,
            "`TodoWrite` updates the agent's own task list (its items are notes, not actions)",
        );
        return ctx.verdict();
    }
    let facts = facts::of(tool);
    ctx.windows_shell = facts.windows_shell;
    ctx.code_lang = facts.code_lang;
    ctx.program = facts
        .program
        .clone()
        .or_else(|| datastore::mongo_tool(tool, input));
    ctx.search_tool = facts.search_tool;
    ctx.event_tool = facts.event_tool;
    ctx.one_thing = facts.one_thing;
    ctx.graphql_target =
        graphql::target(tool, input) && !matches!(ctx.program, Some((structured::Program::Sdk, _)));
    if facts.resource_read {
        resource::read(&mut ctx, input);
    }
    prompt_urls::analyse(&mut ctx, tool, input);
    if ctx.program.is_none() {
        program_tool::analyse(&mut ctx, tool, input);
    }
    let hint = facts.hint;
    let mut budget = MAX_INPUT;
    // What the name's deciding verb says the tool does with its input.
    let verb_in = |verbs: &[&str]| {
        name.word
            .as_deref()
            .is_some_and(|w| verbs.iter().any(|v| w.eq_ignore_ascii_case(v)))
    };
    ctx.sends = verb_in(SENDING_VERBS);
    ctx.writes_path = verb_in(WRITING_VERBS);
    ctx.pushes = verb_in(&["push"]);
    ctx.moves = verb_in(&["move", "rename", "mv"]);
    // Anthropic's memory tool is an editor of its memory directory (`view`, `create`,
    // `str_replace`, `insert`, `delete`, `rename`; the twenty-second sets): by its exact name.
    ctx.editor_tool = ["editor", "str_replace", "edit_tool"]
        .iter()
        .any(|w| contains_ignore_case(tool, w))
        || tool == "memory";
    ctx.patch_tool = ["patch", "diff", "apply"]
        .iter()
        .any(|w| contains_ignore_case(tool, w));
    // A page tool's script is judged as a page script and, like any input, by the generic
    // walk (code that deletes files in `browser_run_code` is still seen).
    if let (Some(kind), Value::Object(map)) = (facts.page_tool, input) {
        browser::analyse(&mut ctx, kind, map);
    }
    // Only a tool whose name writes (`get_file_contents` of `CODEOWNERS` reads it).
    if name
        .effect
        .is_some_and(|e| e.rank() >= Effect::Mutating.rank())
    {
        hosted::analyse(&mut ctx, tool, input);
    }
    if browser::reads_page(tool, input) {
        ctx.add(
            Effect::Read,
            format!("browser: `{tool}` reads what the page shows, its console or its requests"),
        );
    }
    walk_json(&mut ctx, input, hint, 0, &mut budget, true);
    // A Neo4j tool's query is Cypher whatever its key (the twenty-second sets).
    if ["cypher", "neo4j"]
        .iter()
        .any(|w| contains_ignore_case(tool, w))
    {
        cypher::tool_input(&mut ctx, input);
    }
    if let Value::Object(map) = input {
        workdir::analyse(&mut ctx, tool, map);
        if hint == Hint::Sql || ctx.code_lang.is_some() || facts.typed_or_cells {
            structured::inputs::analyse(&mut ctx, &words(tool), hint, map);
        }
        forced_ref::analyse(&mut ctx, tool, map);
        let lower = tool.to_ascii_lowercase();
        let secretive = ["secret", "credential", "password", "vault"]
            .iter()
            .any(|w| lower.contains(w));
        let verbs = outputs::Verbs {
            downloads: verb_in(&["download"]),
            exports: verb_in(&[
                "export",
                "backup",
                "dump",
                "copy",
                "sync",
                "replicate",
                "mirror",
                "share",
                "transfer",
                "archive",
            ]),
            secretive,
        };
        outputs::analyse(&mut ctx, map, verbs);
        connection::analyse(&mut ctx, map, 0);
    }
    let mut scanned = MAX_INPUT;
    // A tool that creates an issue, comment, pull request or ticket (`create_issue`,
    // `add_issue_comment`): its `body` is published to whoever reads the tracker.
    let publishes = verb_in(&["create", "add", "open", "update", "edit", "new"])
        && input.as_object().is_some_and(|m| {
            ["body", "comment", "description"]
                .iter()
                .any(|k| m.get(*k).is_some_and(Value::is_string))
        });
    if (ctx.sends || publishes || posts_to_others(tool, name, facts.page_tool.is_some()))
        && let Some(what) = credential_sent(input, 0, &mut scanned)
    {
        ctx.add(Effect::Admin, format!("`{tool}` sends {what} in its input"));
    }
    if budget == 0 {
        ctx.add(
            Effect::Destructive,
            "limits: input larger than 64 KiB (only the first 64 KiB were analysed)",
        );
    }
    ctx.verdict()
}

/// A mail or code search's operator syntax (`from:boss subject:delete`, `in:trash`): every
/// word is a name and a colon joined to its value, and there is no `;`. A T-SQL label before
/// a statement (`x:DELETE FROM users`) has words without a colon.
fn search_operators(t: &str) -> bool {
    !t.contains(';')
        && t.split_whitespace().all(|w| {
            w.split_once(':').is_some_and(|(name, value)| {
                !name.is_empty()
                    && name.bytes().all(|b| b.is_ascii_alphabetic() || b == b'_')
                    && !value.is_empty()
                    && !value.starts_with(':')
            })
        })
}

/// The address of Chromium's `--remote-debugging-address=ADDR` (one dash or two, or Windows'
/// `/`, any case).
fn devtools_address(t: &str) -> Option<&str> {
    const FLAG: &str = "remote-debugging-address=";
    let rest = t
        .strip_prefix("--")
        .or_else(|| t.strip_prefix(['-', '/']))?;
    rest.get(..FLAG.len())
        .is_some_and(|f| f.eq_ignore_ascii_case(FLAG))
        .then(|| rest.get(FLAG.len()..).unwrap_or_default())
}

/// `needle` (lower case ASCII) in `hay`, ignoring ASCII case, without allocating.
fn contains_ignore_case(hay: &str, needle: &str) -> bool {
    hay.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// `{"todos": [{"content", "status", "activeForm", "id", "priority"}…]}`, strings only.
fn todo_list(input: &Value) -> bool {
    let Some(map) = input.as_object() else {
        return false;
    };
    let Some(Value::Array(items)) = map.get("todos") else {
        return false;
    };
    map.len() == 1
        && items.len() <= 200
        && items.iter().all(|item| {
            item.as_object().is_some_and(|o| {
                o.iter().all(|(k, v)| {
                    matches!(
                        k.as_str(),
                        "content" | "status" | "activeForm" | "id" | "priority"
                    ) && v.as_str().is_some_and(|s| s.len() <= 4096)
                })
            })
        })
}

/// Leading verbs of tools that write the path they are given.
const WRITING_VERBS: &[&str] = &[
    "write",
    "create",
    "edit",
    "save",
    "append",
    "put",
    "overwrite",
    "replace",
    "patch",
    "update",
    "modify",
    "insert",
];

/// Name verbs of tools that send their input to people or other systems (`send_email`,
/// `slack_post_message`): a credential in the input leaves with it.
const SENDING_VERBS: &[&str] = &[
    "send", "post", "message", "email", "reply", "comment", "publish", "notify", "share",
    "forward", "upload", "submit",
];

/// Words of a tool's name that say its input is posted where others read it, whatever its
/// verb (`conversations_add_message`, `jira_batch_create_issues`, `create_gist`).
const POSTED_TO: &[&str] = &[
    "message",
    "messages",
    "chat",
    "conversation",
    "conversations",
    "channel",
    "comment",
    "comments",
    "issue",
    "issues",
    "ticket",
    "tickets",
    "post",
    "posts",
    "email",
    "mail",
    "sms",
    "tweet",
    "reply",
    "paste",
    "gist",
    "discussion",
    "thread",
    "review",
];

/// A tool whose name changes something and says its input is posted where others read it,
/// or a page tool that types or fills its input into a page (`browser_type`,
/// `browser_fill_form`): the site gets what is typed.
fn posts_to_others(tool: &str, name: &NameTier, page: bool) -> bool {
    // This runs at every check: the name's words are split only for a name with a verb that
    // changes something, or one that may type into a page (`run_sql`, `shell` have neither).
    let typing = || {
        ["type", "fill", "form", "input"]
            .iter()
            .any(|w| contains_ignore_case(tool, w))
    };
    match name.effect {
        Some(Effect::Read) => return false,
        None if !typing() => return false,
        _ => {}
    }
    let w = words(tool);
    w.iter().any(|x| POSTED_TO.contains(&x.as_str()))
        || (page
            || w.iter()
                .any(|x| matches!(x.as_str(), "browser" | "puppeteer" | "playwright" | "page")))
            && w.iter()
                .any(|x| matches!(x.as_str(), "type" | "fill" | "form" | "input"))
}

/// A credential of a known shape in any string of an input ([`http::credential_in`]).
/// Looks at the first [`MAX_INPUT`] bytes of strings, as the walk does.
fn credential_sent(v: &Value, depth: usize, budget: &mut usize) -> Option<&'static str> {
    if depth > MAX_JSON_DEPTH || *budget == 0 {
        return None;
    }
    match v {
        Value::String(s) => {
            let s = prefix(s, *budget);
            *budget -= s.len();
            http::rules::credential_in(s)
        }
        Value::Array(items) => items
            .iter()
            .find_map(|i| credential_sent(i, depth + 1, budget)),
        Value::Object(m) => m
            .values()
            .find_map(|i| credential_sent(i, depth + 1, budget)),
        _ => None,
    }
}

/// Sniffs a string and hands it to the analysers that recognise it.
pub(crate) fn analyse_text(ctx: &mut Ctx, text: &str, hint: Hint, depth: usize) {
    let t = text.trim();
    if t.is_empty() || !ctx.deeper(depth) {
        return;
    }
    // A browser launched with its DevTools port open to the network (`launchOptions.args`):
    // anyone who reaches it drives the signed-in browser.
    if let Some(addr) = devtools_address(t)
        && !args::loopback_address(addr)
    {
        ctx.add(
            Effect::Admin,
            format!(
                "opens the browser's remote control to `{addr}` (`--remote-debugging-address`)"
            ),
        );
        return;
    }
    if (patch::is_patch(t) || (ctx.patch_tool && hint != Hint::Prose && patch::is_unified(t)))
        && !ctx.name_reads
    {
        patch::judge(ctx, t, depth);
        return;
    }
    // A patch tool's patch in a spelling the strict reading rejects (the twenty-second sets):
    // its strict form is judged too, and the text is still read on as any other.
    if ctx.patch_tool && hint != Hint::Prose && !ctx.name_reads && patch::loosely(t) {
        patch::judge_lenient(ctx, t, depth);
    }
    // A tool that applies patches skips what comes before its diff, as `git apply` does: the
    // diff is judged, and the whole text is read on as any other (what comes before or after
    // the diff may be a command line).
    if ctx.patch_tool && hint != Hint::Prose && !ctx.name_reads && patch::holds_diff(t) {
        patch::judge(ctx, t, depth);
    }
    if (t.starts_with('{') || t.starts_with('['))
        && let Ok(v) = serde_json::from_str::<Value>(t)
        && (v.is_object() || v.is_array())
    {
        ctx.via("json text", |ctx| {
            let mut budget = MAX_INPUT;
            walk_json(ctx, &v, hint, depth + 1, &mut budget, false);
        });
        return;
    }
    if hint == Hint::Prose {
        if sql::looks_like_sql(t) && !search_operators(t) {
            sql::analyse(ctx, t, depth, true);
        }
        return;
    }
    // In a shell, `{ … }` is a brace group, not a GraphQL query; a SQL tool's SQL is not an
    // HTTP request line (`COPY /**/ t TO …` is not WebDAV).
    let brace_group = hint == Hint::Shell && t.starts_with('{');
    // Lexed at most once: whether the text looks like SQL is asked on several paths below.
    let mut looks_sql: Option<bool> = None;
    let mut is_sql_text = |t: &str| *looks_sql.get_or_insert_with(|| sql::looks_like_sql(t));
    let sql_text = hint == Hint::Sql && is_sql_text(t);
    if !brace_group && !sql_text && http::analyse_line(ctx, t) {
        return;
    }
    // A Windows shell's tool, or a text that starts with a cmdlet (`Remove-Item C:\x`).
    let windows = match hint {
        Hint::Shell | Hint::Code => ctx.windows_shell,
        _ => None,
    }
    .or_else(|| (hint != Hint::Sql && catalogue::looks_like_powershell(t)).then_some("powershell"));
    if let Some(lang) = windows {
        code::analyse(ctx, lang, t, depth);
        return;
    }
    match hint {
        Hint::Code => {
            // A bare value (`prod-db-1`, `42`) under a tool named for a runtime (`drain_node`)
            // is an argument, not a program: it proves nothing, and the name decides.
            if !t.contains(|c: char| c.is_whitespace() || "()=`[]{};".contains(c)) {
                return;
            }
            code::analyse(ctx, "", t, depth);
            return;
        }
        Hint::Shell => {
            // The cheap test first (a lookup of the first word); both are pure.
            if !shell::looks_like_shell(t) && is_sql_text(t) {
                let mark = ctx.mark();
                sql::analyse(ctx, t, depth, true);
                if ctx.max_since(mark).is_some() {
                    return;
                }
            }
            shell::analyse(ctx, t, depth);
            return;
        }
        Hint::Sql | Hint::Http | Hint::None | Hint::Prose => {}
    }
    // In a SQL argument, SQL behind a first statement the sniffer does not know is SQL too.
    let is_sql = is_sql_text(t) || (hint == Hint::Sql && query_text::hidden_sql(t));
    if is_sql {
        sql::analyse(ctx, t, depth, hint != Hint::Sql);
    } else if matches!(hint, Hint::Sql | Hint::None) {
        query_text::analyse(ctx, t);
    }
    // A value that ends a statement and starts another (`"schema": "public; DROP TABLE
    // users"`): a server that pastes it into its SQL runs the second.
    if !is_sql
        && hint == Hint::None
        && !ctx.bound_data
        && let Some(rest) = query_text::injected_sql(t)
    {
        ctx.via("a statement after `;`", |ctx| {
            sql::analyse(ctx, rest, depth, true)
        });
    }
    if shell::looks_like_shell(t) && (!is_sql || hint != Hint::Sql) {
        shell::analyse(ctx, t, depth);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    pub(crate) fn effect_of(tool: &str, input: Value) -> Option<Effect> {
        classify_content(tool, &crate::classify::name_tier(tool), &input).map(|v| v.effect)
    }

    #[test]
    fn prose_says_nothing() {
        assert_eq!(
            effect_of("db.schema.read", json!("Inspect accounts table columns.")),
            None
        );
        assert_eq!(effect_of("web_search", json!("best pizza in town")), None);
    }

    #[test]
    fn sql_in_a_read_tool_is_judged() {
        assert_eq!(
            effect_of("db.query.read", json!("DROP DATABASE production")),
            Some(Effect::Destructive)
        );
    }

    #[test]
    fn shell_tool_unknown_program_is_mutating() {
        assert_eq!(
            effect_of("run_command", json!("frobnicate --all")),
            Some(Effect::Mutating)
        );
    }

    #[test]
    fn oversized_input_escalates() {
        let big = "SELECT 1;".repeat(10_000);
        let v = classify_content(
            "run_sql",
            &crate::classify::name_tier("run_sql"),
            &json!(big),
        );
        let v = v.unwrap_or_else(|| unreachable!());
        assert_eq!(v.effect, Effect::Destructive);
        assert!(v.reasons.iter().any(|r| r.contains("64 KiB")));
    }

    #[test]
    fn json_fields_are_searched() {
        assert_eq!(
            effect_of("tool", json!({"options": {"sql": "DELETE FROM t"}})),
            Some(Effect::Destructive)
        );
        assert_eq!(
            effect_of("tool", json!({"command": "rm", "args": ["-rf", "/tmp/x"]})),
            Some(Effect::Destructive)
        );
        assert_eq!(
            effect_of("tool", json!({"payload": "{\"cmd\": \"rm -rf /tmp/x\"}"})),
            Some(Effect::Destructive)
        );
        assert_eq!(
            effect_of(
                "tool",
                json!({"language": "python", "code": "import shutil; shutil.rmtree('/tmp/x')"})
            ),
            Some(Effect::Destructive)
        );
    }
}
