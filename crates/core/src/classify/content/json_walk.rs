//! The walk over a call's JSON arguments: which keys hold paths, inputs, statements and
//! their bound parameters, and which reading each value gets.

use serde_json::{Map, Value};

use super::{
    Ctx, Hint, MAX_JSON_DEPTH, analyse_text, args, code, graphql, http, objects, patch, prefix,
    run_dir, search, shell, shell_named, structured, tools,
};
use crate::Effect;

/// Keys that hold a file path: never a command; a write to a sensitive path counts.
const PATH_KEYS: &[&str] = &[
    "path",
    "absolute_path",
    "file",
    "file_path",
    "filepath",
    "filename",
    "target",
    "dest",
    "destination",
    "dir",
    "directory",
    "cwd",
    "workdir",
    "working_directory",
    "src",
    "source_path",
    "paths",
    // Cursor's `edit_file`, Windsurf's `write_to_file` (`TargetFile`, lower-cased).
    "target_file",
    "targetfile",
];

/// Keys whose string values are read with the tool name's hint.
const INPUT_KEYS: &[&str] = &[
    "input",
    "text",
    "arg",
    "argument",
    "value",
    "payload",
    "data",
    "content",
    "expr",
    "expression",
    "line",
];

fn key_hint(key: &str) -> Option<Hint> {
    let k = key.to_ascii_lowercase().replace(['-', ' '], "_");
    Some(match k.as_str() {
        "sql" | "query" | "statement" | "statements" | "stmt" | "sql_query" | "sqlquery"
        | "raw_sql" | "rawsql" | "query_string" | "querystring" | "ddl" | "dml" => Hint::Sql,
        "cmd" | "command" | "commands" | "shell" | "bash" | "sh" | "cmdline" | "command_line"
        | "commandline" | "run" | "exec" | "entrypoint" | "shell_command" | "script" => Hint::Shell,
        "code" | "source" | "source_code" | "program" | "snippet" | "js" | "python" => Hint::Code,
        "url" | "uri" | "endpoint" | "request" | "http" => Hint::Http,
        "q" | "search" | "search_query" | "prompt" | "question" | "message" | "msg" | "title"
        | "description" | "comment" | "summary" | "note" | "notes" | "subject" | "reason"
        | "commit_message" | "body_text" | "instructions" | "goal" | "task" | "topic"
        | "keywords" | "term" | "terms" => Hint::Prose,
        _ => return None,
    })
}

/// Searches a JSON value for SQL, commands and requests. `top` is true while the value is
/// the input itself or sits under wrappers that add nothing (a single key, an array): the
/// tool's own reading still applies there.
pub(super) fn walk_json(
    ctx: &mut Ctx,
    v: &Value,
    hint: Hint,
    depth: usize,
    budget: &mut usize,
    top: bool,
) {
    if depth > MAX_JSON_DEPTH {
        ctx.add(
            Effect::Destructive,
            format!("limits: json nested deeper than {MAX_JSON_DEPTH} levels"),
        );
        return;
    }
    if !ctx.tick(1) {
        return;
    }
    match v {
        Value::String(s) => {
            if *budget == 0 {
                return;
            }
            let s = prefix(s, *budget);
            *budget -= s.len();
            // JSON text where the input itself could be keeps the tool's reading.
            let t = s.trim();
            if top
                && (t.starts_with('{') || t.starts_with('['))
                && let Ok(inner) = serde_json::from_str::<Value>(t)
                && (inner.is_object() || inner.is_array())
            {
                ctx.via("json text", |ctx| {
                    walk_json(ctx, &inner, hint, depth + 1, budget, true);
                });
                return;
            }
            // A lone word in an argument where nothing says a command goes (`"confirm":
            // "yes"`, `"force": "true"`) is a value: it may still name a harmful command
            // (`reboot`), but a read found in it proves nothing about the call.
            let value = hint == Hint::None && !t.contains(char::is_whitespace);
            let cp = ctx.checkpoint();
            analyse_text(ctx, s, hint, 0);
            if value {
                ctx.forget_reads_since(&cp);
            }
        }
        Value::Array(items) => {
            // An argv wherever it sits; under a command key, any list of words is one.
            // (One string alone is read as a command line, with the shell's expansions.)
            let words = items.len() > 1
                && items.iter().all(Value::is_string)
                && items
                    .first()
                    .and_then(Value::as_str)
                    .is_some_and(|f| !f.trim().contains(char::is_whitespace));
            if words && (hint == Hint::Shell || (hint != Hint::Prose && structured::is_argv(items)))
            {
                let argv: Vec<String> = items
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect();
                *budget = budget.saturating_sub(argv.iter().map(String::len).sum());
                shell::analyse_argv(ctx, &argv, 0);
                return;
            }
            for item in items {
                walk_json(ctx, item, hint, depth + 1, budget, top);
            }
        }
        Value::Object(map) => walk_object(ctx, map, hint, depth, budget, top),
        Value::Number(_) | Value::Bool(_) | Value::Null => {}
    }
}

fn walk_object(
    ctx: &mut Ctx,
    map: &Map<String, Value>,
    hint: Hint,
    depth: usize,
    budget: &mut usize,
    top: bool,
) {
    // The Responses API's `apply_patch` operation (`{"type": "delete_file", "path": …}`).
    if !ctx.name_reads {
        patch::operation::judge(ctx, map, depth);
    }
    // A shell call's working directory is judged by what its command does (below).
    let run_dir = run_dir::of(map);
    let mark = ctx.mark();
    // The request's method and URL are judged; its body is still searched below.
    http::analyse_object(ctx, map);
    // Text whose sibling names its encoding (`{"query": "RFJPUC…", "encoding": "base64"}`):
    // the decoded text is what runs, judged as the key's text; what does not decode is not
    // seen, so it is not read.
    let encoding = ["encoding", "content_encoding", "encoded", "format"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str))
        .map(|e| e.trim().to_ascii_lowercase());
    if let Some(enc) =
        encoding.filter(|e| matches!(e.as_str(), "base64" | "b64" | "hex" | "base64url"))
    {
        for (k, v) in map {
            let Value::String(text) = v else { continue };
            // Only a value written in the alphabet (a path or a URL beside a `format` of
            // the output is not the encoded text).
            let alphabet = text.trim().len() >= 8
                && text
                    .trim()
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_'));
            // Only text that runs (`query`, `sql`, `command`, `code`, `script`).
            let runs = matches!(
                k.to_ascii_lowercase().as_str(),
                "query" | "sql" | "statement" | "command" | "cmd" | "code" | "script" | "source"
            );
            if !alphabet
                || !runs
                || PATH_KEYS.contains(&k.to_ascii_lowercase().as_str())
                || matches!(
                    k.as_str(),
                    "encoding" | "content_encoding" | "encoded" | "format"
                )
            {
                continue;
            }
            let bytes = if enc == "hex" {
                hex::decode(text.trim()).ok()
            } else {
                tools::base64_bytes(text.trim())
            };
            match bytes.and_then(|b| String::from_utf8(b).ok()) {
                Some(decoded) => {
                    let decoded = prefix(&decoded, *budget).to_string();
                    *budget = budget.saturating_sub(decoded.len());
                    let h = key_hint(k).unwrap_or(hint);
                    ctx.via(format!("`{k}` decoded ({enc})"), |ctx| {
                        analyse_text(ctx, &decoded, h, depth + 1)
                    });
                }
                None => ctx.add(
                    Effect::Mutating,
                    format!("`{k}` is said to be {enc} but does not decode to text"),
                ),
            }
        }
    }
    // A list of command lines (`{"commands": ["ls", "rm -rf ~"]}`): each item is a line of
    // its own, besides the argument vector the list is also read as. Also where the object
    // sits under a key that says nothing (the Responses API's `shell_call {"action":
    // {"commands": […]}}`; the twenty-second sets): `commands` says it.
    {
        for (k, v) in map {
            // Compared without a lower-cased copy: this runs for every key of every object.
            let list = k.eq_ignore_ascii_case("commands")
                || (hint == Hint::Shell
                    && ["cmds", "steps", "scripts", "lines", "command_list"]
                        .iter()
                        .any(|n| k.eq_ignore_ascii_case(n)));
            if let (true, Value::Array(items)) = (list, v) {
                for line in items.iter().filter_map(Value::as_str).take(64) {
                    ctx.via(format!("`{k}`"), |ctx| shell::analyse(ctx, line, depth + 1));
                }
            }
        }
    }
    let mut skip: Vec<String> = Vec::new();
    // Set by the GraphQL analyser when the request's `operationName` names an operation of
    // its parsed document; read by the SDK rule below.
    let outer_graphql = std::mem::replace(&mut ctx.graphql_judged, false);
    let graphql = graphql::request(ctx, map);
    // The document under `mutation` or a graphql tool's `q`, or named by an id.
    if ctx.graphql_target || map.keys().any(|k| k.eq_ignore_ascii_case("mutation")) {
        graphql::analyse_keys(ctx, map);
    }
    if top && let Some((program, rest)) = ctx.program.clone() {
        skip = structured::program_call(ctx, program, &rest, map);
    }
    if skip.is_empty() && objects::editor_call(ctx, map) {
        skip = vec!["command".to_string(), "path".to_string()];
    }
    if skip.is_empty() {
        skip = structured::joined_command(ctx, map);
    }
    ctx.graphql_judged = outer_graphql;
    if graphql {
        skip.push("query".to_string()); // a GraphQL request: judged with its operationName
    }
    let named_shell = shell_named(map);
    let outer_shell = ctx.windows_shell;
    if let Some(named) = named_shell {
        ctx.windows_shell = named;
        skip.push("shell".to_string());
    }
    objects::analyse(ctx, map, top);
    // `{"language": "python", "code": "..."}`
    let lang = ["language", "lang", "runtime", "interpreter"]
        .iter()
        .find_map(|k| map.get(*k).and_then(Value::as_str));
    // A Jupyter tool's `kernel`/`kernel_name` names the code's language too (the
    // twenty-third sets); it only raises, as the code is also judged as the tool's own.
    // A kernel given as an object (`"kernel": {"name": "sql"}`) names it too (the review).
    let kernel = ["kernel", "kernel_name"]
        .iter()
        .find_map(|k| {
            map.get(*k)
                .and_then(|v| v.as_str().or_else(|| v.get("name").and_then(Value::as_str)))
        })
        .filter(|_| lang.is_none());
    // A notebook's own kernel (`"metadata": {"kernelspec": {"name": "sql"}}`) is its cells'
    // language (the review).
    let notebook_kernel = map
        .get("metadata")
        .and_then(|m| m.get("kernelspec"))
        .and_then(|k| {
            k.get("language")
                .or_else(|| k.get("name"))
                .and_then(Value::as_str)
        });
    // One key that holds text or structure: it inherits the reading (scalars beside it are
    // settings such as a timeout).
    let holders = map
        .values()
        .filter(|v| v.is_string() || v.is_array() || v.is_object())
        .count();
    let single = holders == 1;
    for (k, v) in map {
        if skip.iter().any(|s| s == k) {
            continue;
        }
        let lk = k.to_ascii_lowercase();
        if PATH_KEYS.contains(&lk.as_str()) {
            if let Value::String(p) = v
                && let Some(host) = args::unc_host(p)
            {
                ctx.add(
                    Effect::Mutating,
                    format!("path: `{}` is on network share host `{host}` (Windows signs in to it with the user's credentials)", prefix(p, 80)),
                );
            }
            // A list of paths too (`read_multiple_files {"paths": [...]}`; the twenty-sixth sets).
            if let Some(p) = std::iter::once(v)
                .chain(v.as_array().into_iter().flatten().take(256))
                .filter_map(Value::as_str)
                .find(|p| args::memory_device(p))
            {
                ctx.add(
                    Effect::Destructive,
                    format!(
                        "path: `{}` is physical or kernel memory (every secret in it)",
                        prefix(p, 80)
                    ),
                );
            }
            if let Value::String(p) = v
                && !ctx.name_reads
                && run_dir.is_none_or(|(rk, _)| rk != k)
                && let Some((e, why)) = args::sensitive_path(p).or_else(|| {
                    args::file_tool_runs_later(p)
                        .or_else(|| args::socket_or_control(p))
                        .filter(|_| ctx.writes_path)
                })
            {
                ctx.add(e, format!("path: `{}` is {why}", prefix(p, 80)));
            }
            // `read_file {"path": "https://…", "isUrl": true}`: a tool given a URL for a path
            // fetches it, as a GET of that URL.
            // URL parsers take `https:host/x`, `http:/host` and `https:\\host` as well; a
            // list of paths may hold URLs too (`read_multiple_files`).
            let items: &[Value] = match v {
                Value::Array(items) => items,
                one => std::slice::from_ref(one),
            };
            for p in items.iter().filter_map(Value::as_str).take(64) {
                if let Some((scheme, _)) = p.trim().split_once(':')
                    && (scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https"))
                {
                    let url = http::lenient_url(p).unwrap_or_else(|| p.trim().to_string());
                    ctx.via("a URL given as a path".to_string(), |ctx| {
                        http::judge_request(ctx, "GET", &url, "");
                        if let Some(slashed) = http::slashed(&url) {
                            http::judge_request(ctx, "GET", &slashed, "");
                        }
                    });
                }
            }
            // `move_file {"source": "/data", "destination": "/dev/null"}`: the source is gone.
            if let Value::String(p) = v
                && ctx.moves
                && matches!(lk.as_str(), "dest" | "destination" | "target")
                && p.trim()
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .eq(["dev", "null"])
            {
                ctx.add(
                    Effect::Destructive,
                    "path: the destination is `/dev/null` (what is moved there is lost)",
                );
            }
            continue;
        }
        if matches!(
            lk.as_str(),
            "env" | "environment" | "env_vars" | "envs" | "variables"
        ) {
            // `["RCLONE_CONFIG=/tmp/x.conf"]`, `[{"name": …, "value": …}]`, a dotenv text:
            // judged as the object is; the generic walk below still reads them (the review
            // of the twenty-third sets). Only raises.
            env_values(ctx, v);
            if v.is_object() {
                continue;
            }
        } else if matches!(
            lk.as_str(),
            "envvars" | "environment_variables" | "environmentvariables" | "env_variables"
        ) || lk.ends_with("_env")
        {
            // `envVars`, `extra_env`, `container_env`: judged as `env` is, and still walked.
            env_values(ctx, v);
        }
        // A search tool's query leaves for its provider, and a Splunk query is a program.
        // Patterns (`Grep`'s regular expressions) are matched here and go nowhere.
        if ctx.search_tool && !search::PATTERN_KEYS.contains(&lk.as_str()) {
            let texts: Vec<&str> = match v {
                Value::String(q) => vec![q.as_str()],
                Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            for q in texts {
                search::judge_query(ctx, q);
            }
        }
        // `{"script_b64": "cm0gLXJm…"}`: the decoded text is judged as the key without its
        // suffix would be; what does not decode to text is not seen, so it is not read.
        if let Some(base) = encoded_key(&lk)
            && let Value::String(enc) = v
        {
            match tools::base64_bytes(enc.trim()).and_then(|b| String::from_utf8(b).ok()) {
                Some(text) => {
                    // The decoded text is charged to the input's budget as plain text is.
                    let text = prefix(&text, *budget).to_string();
                    *budget = budget.saturating_sub(text.len());
                    let h = key_hint(base).unwrap_or(hint);
                    ctx.via("a base64 field", |ctx| {
                        analyse_text(ctx, &text, h, depth + 1)
                    });
                }
                None => ctx.add(
                    Effect::Mutating,
                    format!("`{k}` holds base64 that does not decode to text"),
                ),
            }
            continue;
        }
        code::fences::pairs(ctx, &lk, v, depth);
        let searched = ctx.search_tool && search::SEARCH_KEYS.contains(&lk.as_str());
        // A search tool's regular expression or glob is matched against text, never run:
        // not even as SQL (`Grep` for `DELETE FROM`). A `query` may be, and is still read.
        let text = match v {
            Value::String(_) => true,
            Value::Array(items) => items.iter().all(Value::is_string),
            _ => false,
        };
        if searched && text && search::PATTERN_KEYS.contains(&lk.as_str()) {
            continue;
        }
        // A kernel's cell given as `input` or `text` is its code too (the review of the
        // twenty-third sets: `{"kernel": "sql", "input": "DELETE FROM users"}` was read as
        // Python). It only raises.
        if let (Some(kernel), Value::String(src)) = (kernel, v)
            && key_hint(k) != Some(Hint::Code)
            && matches!(
                lk.as_str(),
                "input" | "text" | "content" | "body" | "statement" | "expression" | "query"
            )
        {
            let cp = ctx.checkpoint();
            code::analyse(ctx, kernel, prefix(src, *budget), 0);
            ctx.forget_reads_since(&cp);
        }
        if let (Some(kernel), "cells", Value::Array(cells)) = (notebook_kernel, lk.as_str(), v) {
            let cp = ctx.checkpoint();
            let code_cells = cells.iter().filter(|c| {
                c.get("cell_type")
                    .and_then(Value::as_str)
                    .is_none_or(|t| t == "code")
            });
            for cell in code_cells.take(256) {
                let src = match cell.get("source") {
                    Some(Value::String(t)) => t.clone(),
                    Some(Value::Array(lines)) => lines.iter().filter_map(Value::as_str).collect(),
                    _ => continue,
                };
                code::analyse(ctx, kernel, prefix(&src, *budget), 0);
            }
            ctx.forget_reads_since(&cp);
        }
        let h = match key_hint(k) {
            _ if searched || structured::is_name_list(k) => Hint::Prose,
            Some(Hint::Code) => {
                if let (Some(kernel), Value::String(src)) = (kernel, v) {
                    let cp = ctx.checkpoint();
                    code::analyse(ctx, kernel, prefix(src, *budget), 0);
                    ctx.forget_reads_since(&cp);
                }
                if let (Some(lang), Value::String(src)) = (lang, v) {
                    let src = prefix(src, *budget);
                    *budget -= src.len();
                    code::analyse(ctx, lang, src, 0);
                    continue;
                }
                Hint::Code
            }
            Some(Hint::Shell) if lk == "script" => {
                // `{"language": "ruby", "script": "…"}` (Goose's `automation_script`; the
                // twenty-second sets): the script is that language's too. Only raises.
                if let (Some(lang), Value::String(src)) = (lang, v) {
                    let cp = ctx.checkpoint();
                    code::analyse(ctx, lang, prefix(src, *budget), 0);
                    ctx.forget_reads_since(&cp);
                }
                Hint::Shell
            }
            Some(h) => h,
            None if single || (top && INPUT_KEYS.contains(&lk.as_str())) => hint,
            None if matches!(hint, Hint::Shell) && INPUT_KEYS.contains(&lk.as_str()) => hint,
            None => Hint::None,
        };
        let inherits = top && single && key_hint(k).is_none();
        // A statement's bound parameters (`{"sql": "… = ?", "params": ["'; DELETE …"]}`).
        let bound = BOUND_KEYS.contains(&lk.as_str())
            && (v.is_array() || v.is_object())
            && map.iter().any(|(sk, sv)| {
                matches!(
                    sk.to_ascii_lowercase().as_str(),
                    "sql" | "query" | "statement"
                ) && sv.as_str().is_some_and(has_placeholder)
            });
        let outer_bound = ctx.bound_data;
        ctx.bound_data = outer_bound || bound;
        walk_json(ctx, v, h, depth + 1, budget, inherits);
        ctx.bound_data = outer_bound;
    }
    ctx.windows_shell = outer_shell;
    if let Some((k, dir)) = run_dir {
        run_dir::judge(ctx, map, k, dir, ctx.max_since(mark));
    }
}

/// Whether a statement's text has a parameter placeholder (`?`, `$1`, `:name`, `@p1`,
/// `%s`): what its bound parameters fill.
fn has_placeholder(sql: &str) -> bool {
    let b = sql.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        let next = b.get(i + 1).copied().unwrap_or(b' ');
        match c {
            b'?' => true,
            b'$' => next.is_ascii_digit(),
            b':' | b'@' => next.is_ascii_alphabetic() && b.get(i.wrapping_sub(1)) != Some(&b':'),
            b'%' => next == b's' || next == b'(',
            _ => false,
        }
    })
}

/// Keys that hold a statement's bound parameters when a statement is beside them.
const BOUND_KEYS: &[&str] = &[
    "params",
    "parameters",
    "args",
    "bind",
    "binds",
    "bindings",
    "bind_vars",
    "values",
];

/// A key naming base64 content, and the key it encodes (`cmd_b64` → `cmd`, `b64_cmd`,
/// `script_base64url`, `encoded_command`).
fn encoded_key(lk: &str) -> Option<&str> {
    ["base64url", "b64url", "base64", "b64"]
        .iter()
        .find_map(|s| lk.strip_suffix(s))
        .map(|b| b.trim_end_matches(['_', '-']))
        .or_else(|| {
            ["base64_", "b64_", "encoded_", "base64-", "b64-", "encoded-"]
                .iter()
                .find_map(|p| lk.strip_prefix(p))
        })
}

/// Environment variables given as an object of names, as a list or as text, each judged as
/// an assignment.
fn env_values(ctx: &mut Ctx, v: &Value) {
    match v {
        Value::Object(vars) => {
            for (name, value) in vars {
                shell::env_var(ctx, name, value.as_str().unwrap_or(""), 0);
            }
        }
        _ => env_list(ctx, v),
    }
}

/// Environment variables given as a list (`["NAME=value"]`, Kubernetes' `[{"name": …,
/// "value": …}]`) or as text of `NAME=value` lines, each judged as an assignment.
fn env_list(ctx: &mut Ctx, v: &Value) {
    let mut pairs: Vec<(String, String)> = Vec::new();
    let text = |t: &str, pairs: &mut Vec<(String, String)>| {
        for line in t.lines() {
            let line = line.trim();
            let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
            let Some((name, value)) = line.split_once('=') else {
                continue;
            };
            let name = name.trim_end();
            let named = name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
            if !named {
                continue;
            }
            let value = value.trim();
            let value = ['"', '\'']
                .iter()
                .find_map(|q| value.strip_prefix(*q).and_then(|r| r.strip_suffix(*q)))
                .unwrap_or(value);
            pairs.push((name.to_string(), value.to_string()));
        }
    };
    match v {
        Value::String(t) => text(t, &mut pairs),
        Value::Array(items) => {
            for item in items.iter().take(256) {
                match item {
                    Value::String(t) => text(t, &mut pairs),
                    Value::Object(o) => {
                        let get = |keys: &[&str]| {
                            keys.iter().find_map(|k| o.get(*k).and_then(Value::as_str))
                        };
                        if let (Some(n), Some(val)) = (
                            get(&["name", "key", "Name", "Key"]),
                            get(&["value", "Value"]),
                        ) {
                            pairs.push((n.to_string(), val.to_string()));
                        }
                    }
                    // `[["NAME", "value"]]`
                    Value::Array(pair) => {
                        if let [Value::String(n), Value::String(val)] = pair.as_slice() {
                            pairs.push((n.clone(), val.clone()));
                        }
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
    for (name, value) in pairs.iter().take(256) {
        shell::env_var(ctx, name, value, 0);
    }
}
