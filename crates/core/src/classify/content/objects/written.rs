//! Files an object writes: content written over a path (truncated, replacing a database file
//! or a CI definition), CI secrets printed, package install scripts, web shells.

use serde_json::{Map, Value};

use super::super::{Ctx, Hint, analyse_text, args, prefix};
use crate::Effect::{Admin, Destructive, Mutating, Read};

/// A file written with the input's content, or moved or copied over a destination: the
/// written path is judged as a shell redirection's is (`args::write_risk`). Empty content
/// truncates what is there; any content replaces a database file.
pub(super) fn overwritten(ctx: &mut Ctx, map: &Map<String, Value>) {
    let get = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str).map(str::trim))
            .filter(|s| !s.is_empty())
    };
    let append = map.get("append").and_then(Value::as_bool) == Some(true)
        || get(&["mode"]).is_some_and(|m| m.starts_with('a') || m == "append");
    let content = [
        "content",
        "contents",
        "file_text",
        "text",
        "data",
        "new_content",
    ]
    .iter()
    .find_map(|k| map.get(*k));
    let path = written_path(map);
    if let (Some(path), Some(Value::String(content)), false) = (path, content, append) {
        let risk = args::write_risk(path, false);
        // A data or secrets file written empty loses what it held (`customers.csv`,
        // `.env`); markers written empty (`__init__.py`, `.gitkeep`) are not data.
        let file = path
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(path)
            .to_ascii_lowercase();
        let data_file = [
            ".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".parquet", ".xlsx", ".sql", ".avro",
        ]
        .iter()
        .any(|x| file.ends_with(x))
            || file == ".env"
            || (file.starts_with(".env.")
                && !file.ends_with(".example")
                && !file.ends_with(".sample"));
        let risk = risk.or_else(|| {
            data_file.then_some((Destructive, "a data or secrets file (its content is lost)"))
        });
        if web_shell(content) {
            ctx.add(
                Admin,
                format!(
                    "writes `{}` with code that runs what a web request sends (a web shell)",
                    prefix(path, 80)
                ),
            );
        }
        if content.trim().is_empty() {
            if let Some((e, why)) = risk {
                ctx.add(
                    e.max(Destructive),
                    format!("writes empty content over `{}`, {why}", prefix(path, 80)),
                );
            }
        } else if database_file(path) {
            ctx.add(
                Destructive,
                format!("writes text over the database file `{}`", prefix(path, 80)),
            );
        }
    }
    let from = get(&["source", "src", "from", "source_path", "old_path", "origin"]);
    let to = get(&[
        "destination",
        "dest",
        "to",
        "target",
        "destination_path",
        "target_path",
        "new_path",
    ]);
    if let (Some(_), Some(to)) = (from, to)
        && let Some((e, why)) = args::write_risk(to, false)
    {
        ctx.add(
            e,
            format!("moves or copies a file over `{}`, {why}", prefix(to, 80)),
        );
    }
}

/// A CI pipeline definition by its path (`.github/workflows/*.yml`, `.gitlab-ci.yml`,
/// `Jenkinsfile`, `.circleci/config.yml`, `azure-pipelines.yml`, Buildkite, Drone, Travis).
fn ci_definition(path: &str) -> bool {
    // In its plain spelling (`.github//workflows/ci.yml`; the review of the twenty-second sets).
    let plain = args::plain_path(path);
    let path = plain.as_deref().unwrap_or(path);
    let p = path.to_ascii_lowercase().replace('\\', "/");
    let file = p.rsplit('/').next().unwrap_or("");
    let yaml = file.ends_with(".yml") || file.ends_with(".yaml");
    (yaml && (p.contains(".github/workflows/") || p.contains(".buildkite/")))
        || p.ends_with(".circleci/config.yml")
        || matches!(
            file,
            ".gitlab-ci.yml"
                | "jenkinsfile"
                | "azure-pipelines.yml"
                | "bitbucket-pipelines.yml"
                | ".drone.yml"
                | ".travis.yml"
        )
}

/// Whether a CI definition's text takes the pipeline's secrets and sends them with a
/// network command.
fn sends_secrets(t: &str) -> bool {
    let l = t.to_ascii_lowercase();
    let secret = [
        "secrets.",
        "secrets)",
        "secrets }",
        "ci_job_token",
        "github_token",
        "printenv",
        "env |",
        "env|",
        "env >",
        "/proc/self/environ",
        "vault_token",
        "npm_token",
        // The runner's own credentials, sent from a step (the twenty-second sets).
        "aws_secret_access_key",
        ".aws/credentials",
        ".ssh/id_",
        ".git-credentials",
        ".docker/config.json",
        ".kube/config",
    ]
    .iter()
    .any(|s| l.contains(s));
    let network = [
        "curl",
        "wget",
        "nc ",
        "ncat",
        "invoke-webrequest",
        "invoke-restmethod",
        "http://",
        "https://",
        "requests.post",
        "fetch(",
    ]
    .iter()
    .any(|n| l.contains(n));
    secret && network
}

/// A CI definition (`path`) written with `text` that sends the pipeline's secrets: what a
/// shell line's or a patch's write of it means (the twenty-second sets: `apply_patch` and
/// `cat > … <<EOF` of a workflow were plain writes), as [`ci_secrets`] judges a file tool's.
pub(crate) fn ci_text_leaks(path: &str, text: &str) -> bool {
    // Every CI definition ends in `yml`, `yaml` or `file` (`Jenkinsfile`): a cheap test
    // before the lower-cased copies, for every file a redirection writes with its text.
    let tail = path.trim_end().as_bytes();
    let ends = |w: &[u8]| {
        tail.len() >= w.len()
            && tail
                .get(tail.len() - w.len()..)
                .is_some_and(|t| t.eq_ignore_ascii_case(w))
    };
    (ends(b"yml") || ends(b"yaml") || ends(b"file")) && ci_definition(path) && sends_secrets(text)
}

/// A CI definition written with text that takes the pipeline's secrets (`${{ secrets.X }}`,
/// `toJSON(secrets)`, `$CI_JOB_TOKEN`, the whole environment) and sends them with a network
/// command: exfiltration from CI (admin). Other workflow edits stay writes.
pub(super) fn ci_secrets(ctx: &mut Ctx, map: &Map<String, Value>) {
    let Some(path) = written_path(map).filter(|p| ci_definition(p)) else {
        return;
    };
    let texts = written_texts(map);
    let leaks = texts.iter().any(|t| sends_secrets(t));
    // A workflow that runs code from forks with the repository's secrets and a writing token
    // (`pull_request_target`, `permissions: write-all`, `secrets: inherit`).
    let widened = path.contains(".github")
        && texts.iter().any(|t| {
            let l: String = t.to_ascii_lowercase().split_whitespace().collect();
            [
                "pull_request_target",
                "permissions:write-all",
                "secrets:inherit",
                "tojson(secrets)",
            ]
            .iter()
            .any(|w| l.contains(w))
        });
    if widened {
        ctx.add(
            Admin,
            format!(
                "writes the workflow `{}` with fork-triggered runs, a token that writes everything \
                 or every secret",
                prefix(path, 80)
            ),
        );
    }
    if leaks {
        ctx.add(
            Admin,
            format!(
                "writes the CI definition `{}` with steps that send secrets over the network",
                prefix(path, 80)
            ),
        );
    }
}

/// A text editor tool's call (`{"command": "str_replace", "path": …}`: Anthropic's
/// `str_replace_based_edit_tool`, OpenHands' `str_replace_editor`, Goose's
/// `developer__text_editor`): its `command` is the editor's operation, not a command line.
/// `view` reads the path; every other operation writes it. True when the object is one.
pub(crate) fn editor_call(ctx: &mut Ctx, map: &Map<String, Value>) -> bool {
    const OPERATIONS: &[&str] = &[
        "view",
        "create",
        "str_replace",
        "insert",
        "undo_edit",
        "write",
        "append",
        // Anthropic's memory tool removes a file of its directory (the twenty-second sets).
        "delete",
    ];
    let (Some(op), Some(path)) = (
        map.get("command").and_then(Value::as_str),
        map.get("path").and_then(Value::as_str).map(str::trim),
    ) else {
        return false;
    };
    // Only a tool that is an editor: `{"command": "view"}` sent to a shell runs `view`.
    if !ctx.editor_tool || !OPERATIONS.contains(&op) || path.is_empty() {
        return false;
    }
    // A view that carries content to write is not a view.
    let writes = [
        "file_text",
        "content",
        "contents",
        "new_str",
        "old_str",
        "text",
        "insert_line",
        "new_content",
        "data",
    ]
    .iter()
    .any(|k| map.contains_key(*k));
    if op == "view" && writes {
        return false;
    }
    if op == "view" {
        ctx.add(Read, format!("editor: views `{}`", prefix(path, 80)));
        return true;
    }
    if op == "delete" {
        ctx.add(
            Destructive,
            format!("editor: `delete` removes `{}`", prefix(path, 80)),
        );
        return true;
    }
    let what = format!("editor: `{op}` writes `{}`", prefix(path, 80));
    match args::write_risk(path, op == "append" || op == "insert") {
        Some((e, why)) => ctx.add(e.max(Mutating), format!("{what}, {why}")),
        None => ctx.add(Mutating, what),
    }
    true
}

/// The file a write or edit tool writes.
fn written_path(map: &Map<String, Value>) -> Option<&str> {
    [
        "path",
        "file_path",
        "filepath",
        "filename",
        "file",
        "target_file",
        "TargetFile",
    ]
    .iter()
    .find_map(|k| {
        map.get(*k)
            .and_then(Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    })
}

/// The texts a write or edit tool puts into its file (`content`, `new_string`, the items of
/// `edits`).
fn written_texts(map: &Map<String, Value>) -> Vec<&str> {
    const TEXT: &[&str] = &[
        "content",
        "contents",
        "file_text",
        "text",
        "data",
        "new_content",
        "newText",
        "new_text",
        "new_string",
        "new_str",
        "replacement",
        "insert_text",
    ];
    fn add<'a>(texts: &mut Vec<&'a str>, m: &'a Map<String, Value>) {
        texts.extend(
            TEXT.iter()
                .filter_map(|k| m.get(*k).and_then(Value::as_str)),
        );
    }
    let mut texts: Vec<&str> = Vec::new();
    add(&mut texts, map);
    for list in ["edits", "changes", "replacements"] {
        for item in map
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(m) = item.as_object() {
                add(&mut texts, m);
            }
        }
    }
    texts
}

/// npm's lifecycle scripts, run by every `npm install` of the package.
const LIFECYCLE: &[&str] = &[
    "preinstall",
    "install",
    "postinstall",
    "prepare",
    "prepublish",
    "preprepare",
    "postprepare",
];

/// A `package.json` written or edited with a lifecycle script (`"postinstall": "node -e …"`):
/// the script runs at the next install, and is judged as the command line it is.
pub(super) fn install_scripts(ctx: &mut Ctx, map: &Map<String, Value>) {
    let is_package = written_path(map).is_some_and(|p| {
        p.rsplit(['/', '\\'])
            .next()
            .is_some_and(|f| f.eq_ignore_ascii_case("package.json"))
    });
    if !is_package {
        return;
    }
    let mut scripts: Vec<String> = Vec::new();
    for raw in written_texts(map) {
        // npm reads the file as JSON: `"post\u0069nstall"` is `"postinstall"`.
        let text = unicode_unescaped(raw);
        let text = text.as_str();
        for key in LIFECYCLE {
            let quoted = format!("\"{key}\"");
            for (at, _) in text.match_indices(&quoted) {
                let rest = text
                    .get(at + quoted.len()..)
                    .unwrap_or_default()
                    .trim_start();
                let Some(value) = rest.strip_prefix(':') else {
                    continue;
                };
                let mut it =
                    serde_json::Deserializer::from_str(value.trim_start()).into_iter::<String>();
                if let Some(Ok(script)) = it.next() {
                    scripts.push(script);
                }
            }
        }
    }
    for script in scripts {
        ctx.via("an npm lifecycle script", |ctx| {
            analyse_text(ctx, &script, Hint::Shell, 1);
        });
    }
}

/// `text` with its JSON `\uXXXX` escapes of ASCII letters, digits and `-`/`_` decoded (the
/// characters a key's name is made of; others are left as written).
fn unicode_unescaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("\\u") {
        out.push_str(rest.get(..at).unwrap_or_default());
        let hex = rest.get(at + 2..at + 6).unwrap_or_default();
        match u32::from_str_radix(hex, 16).ok().and_then(char::from_u32) {
            Some(c) if hex.len() == 4 && (c.is_ascii_alphanumeric() || c == '-' || c == '_') => {
                out.push(c);
                rest = rest.get(at + 6..).unwrap_or_default();
            }
            _ => {
                out.push_str("\\u");
                rest = rest.get(at + 2..).unwrap_or_default();
            }
        }
    }
    out.push_str(rest);
    out
}

/// A database file by its name (`*.sqlite3`, `ibdata1`, `PG_VERSION`).
/// A page that runs what a request sends it: PHP's `system($_GET['c'])`, JSP's
/// `Runtime.getRuntime().exec(request.getParameter(…))`, ASP.NET's `Process.Start(Request[…])`.
fn web_shell(content: &str) -> bool {
    const INPUTS: &[&str] = &[
        "$_get",
        "$_post",
        "$_request",
        "$_cookie",
        "$_server",
        "request.getparameter",
        "request.form",
        "request.querystring",
        "request[",
        "request.params",
    ];
    const RUNS: &[&str] = &[
        "system(",
        "exec(",
        "passthru(",
        "shell_exec(",
        "popen(",
        "proc_open(",
        "eval(",
        "assert(",
        "runtime.getruntime",
        "process.start",
        "pcntl_exec(",
        "create_function(",
    ];
    let l = content.to_ascii_lowercase();
    INPUTS.iter().any(|i| l.contains(i)) && RUNS.iter().any(|r| l.contains(r))
}

fn database_file(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    let file = p.rsplit(['/', '\\']).next().unwrap_or("");
    file.starts_with("ibdata")
        || file.starts_with("ib_logfile")
        || matches!(file, "pg_version" | "pg_control")
        || [
            ".db", ".sqlite", ".sqlite3", ".db3", ".mdb", ".ibd", ".frm", ".myd", ".wt", ".mdf",
            ".ldf", ".tfstate",
        ]
        .iter()
        .any(|x| file.ends_with(x))
}
