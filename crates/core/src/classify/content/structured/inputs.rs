//! Text a tool runs under a key its name decides (the twenty-first sets): a tool named for a
//! language runs its `script` or `input` in that language (`run_python {"script": …}` was
//! read as a shell line and a SQL text, never as Python), a SQL tool runs its `code` or
//! `source` as SQL (it was read as code of no language), a notebook's cell runs as Python,
//! and input typed into a running process (Desktop Commander's `interact_with_process`,
//! `write_stdin`) reaches whatever REPL runs there, so it is read as Python and JavaScript
//! too. Every reading is added beside the generic walk's: this only raises.

use serde_json::{Map, Value};

use super::super::{Ctx, Hint, code, prefix, sql};

/// Keys whose text a language's tool runs.
const LANGUAGE_KEYS: &[&str] = &[
    "script",
    "input",
    "cell",
    "cell_source",
    "cellsource",
    "text",
    "source",
    "code",
    "program",
    "snippet",
    "code_snippet",
];

/// Keys whose text a language's REPL tool runs (LangChain's `query`, `tool_input`, `__arg1`).
/// And `command` (`python_repl {"command": "…"}`; the review of the twenty-second sets).
const REPL_KEYS: &[&str] = &["query", "tool_input", "__arg1", "command"];

/// Keys whose text a SQL tool runs although their reading is code's or a shell's.
const SQL_KEYS: &[&str] = &[
    "code",
    "source",
    "program",
    "script",
    "source_code",
    "snippet",
];

/// Keys of what is typed into a running process.
const TYPED_KEYS: &[&str] = &["input", "chars", "text", "data", "keys", "content", "stdin"];

/// Judges `map`'s run keys by the reading `tool`'s name gives them (`words` are its words).
pub(crate) fn analyse(ctx: &mut Ctx, words: &[String], hint: Hint, map: &Map<String, Value>) {
    let has = |w: &str| words.iter().any(|x| x == w);
    // Only a cell that runs: an edit (`NotebookEdit`'s `new_source`) writes it, and its
    // pins stay at mutating (sets 12 to 15).
    let notebook = (has("cell") || has("notebook") || has("jupyter")) && runs(words);
    let lang = ctx.code_lang.or(notebook.then_some("python"));
    let typed = (has("interact") && has("process"))
        || has("stdin")
        || ((has("send") || has("write")) && (has("input") || has("keys")));
    // LangChain's `PythonREPLTool` (`Python_REPL`, `python_repl_ast`) runs its `query`, and a
    // single-input tool's text comes as `tool_input` or `__arg1` (the twenty-second sets);
    // only a name that says it runs (`repl`, `execute`, `run`), not `python_package_search`.
    let repl = has("repl") || has("interpreter") || has("console") || runs(words);
    // Readings added here only raise: a read they find proves nothing the walk did not.
    let cp = ctx.checkpoint();
    for (k, v) in map {
        // A list of lines is one text (`"input": ["import shutil", "shutil.rmtree(…)"]`, a
        // notebook's `source` list; the review).
        let joined;
        let text: &str = match v {
            Value::String(t) => t,
            Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_string) => {
                joined = items
                    .iter()
                    .take(1024)
                    .filter_map(Value::as_str)
                    .collect::<Vec<_>>()
                    .join("\n");
                &joined
            }
            _ => continue,
        };
        let text = prefix(text, super::super::MAX_INPUT);
        let lk = k.to_ascii_lowercase();
        if let Some(lang) = lang
            && (LANGUAGE_KEYS.contains(&lk.as_str())
                || (notebook && lk.contains("source"))
                || (repl && REPL_KEYS.contains(&lk.as_str())))
        {
            ctx.via(format!("`{k}` run as {lang}"), |ctx| {
                code::analyse(ctx, lang, text, 1)
            });
        }
        if hint == Hint::Sql && SQL_KEYS.contains(&lk.as_str()) {
            ctx.via(format!("`{k}` of a SQL tool"), |ctx| {
                sql::analyse(ctx, text, 1, false)
            });
        }
        if typed && TYPED_KEYS.contains(&lk.as_str()) {
            for lang in ["python", "js"] {
                ctx.via(format!("`{k}` typed into a {lang} process"), |ctx| {
                    code::analyse(ctx, lang, text, 1)
                });
            }
        }
    }
    if key_typer(words) {
        typed_by_key_typer(ctx, map);
    }
    ctx.forget_reads_since(&cp);
}

/// A program that types keys into the focused window (`xdotool`, `ydotool`, `wtype`): what
/// it types may land in a terminal.
fn key_typer(words: &[String]) -> bool {
    words
        .iter()
        .any(|w| matches!(w.as_str(), "xdotool" | "ydotool" | "wtype" | "dotool"))
}

/// `xdotool {"args": ["type", "rm -rf ~\n"]}` and `{"command": "type", "args": […]}` (a
/// review of set 24a): the list was judged as the argument vector `type rm -rf …` (a
/// lookup of a program), though `xdotool type 'rm -rf ~'` as a shell line is judged. The
/// typed words (options and their numbers left out) are judged as a shell line.
fn typed_by_key_typer(ctx: &mut Ctx, map: &Map<String, Value>) {
    let verb = ["command", "subcommand", "action", "cmd"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str))
        .map(str::trim);
    for key in ["args", "argv", "arguments", "params"] {
        let Some(Value::Array(items)) = map.get(key) else {
            continue;
        };
        let mut words = items.iter().take(256).filter_map(Value::as_str).peekable();
        let typing = verb == Some("type")
            || (verb.is_none() && words.next_if(|w| w.trim() == "type").is_some());
        if !typing {
            continue;
        }
        let text = words
            .filter(|w| !w.starts_with('-') && !w.chars().all(|c| c.is_ascii_digit()))
            .collect::<Vec<_>>()
            .join(" ");
        let text = prefix(&text, super::super::MAX_INPUT);
        ctx.via(format!("`{key}` typed by a key typer"), |ctx| {
            super::super::shell::analyse(ctx, text, 1);
        });
    }
}

/// Whether `words` name a notebook's cell or input typed into a running process (computed
/// once per name, in the tool's facts).
pub(crate) fn typed_or_cells(words: &[String]) -> bool {
    let has = |w: &str| words.iter().any(|x| x == w);
    ((has("cell") || has("notebook") || has("jupyter")) && runs(words))
        || (has("interact") && has("process"))
        || has("stdin")
        || ((has("send") || has("write")) && (has("input") || has("keys")))
        || key_typer(words)
}

/// Whether a name says it runs what it is given (`execute_cell`, `run_notebook`).
fn runs(words: &[String]) -> bool {
    words
        .iter()
        .any(|w| matches!(w.as_str(), "execute" | "exec" | "run" | "eval" | "evaluate"))
}
