//! A list of whole command lines under a command key (the twenty-sixth sets, set 26b). AWS
//! Labs' `call_aws` takes `{"cli_command": ["aws s3 ls", "aws s3 rb s3://x --force"]}`: each
//! item is a complete command, but an array under a command key is read as one argv, so the
//! items ran together (`aws aws s3 ls aws s3 rb …`) and the removal was only `mutating`.

use serde_json::{Map, Value};

use super::super::{Ctx, shell};

/// How deep lists inside lists are opened (`{"cli_command": [["aws s3 rb …"]]}`).
const MAX_NESTING: usize = 4;

/// Words a command line may put before its program (`sudo aws …`, `env aws …`).
const RUNNERS: &[&str] = &["sudo", "env", "command", "exec", "nohup", "time"];

/// True if `line` is a command line of `program`: the program (or a path to it:
/// `/usr/local/bin/aws`) with more words after it, after any variable assignments and
/// runners (`sudo aws …`, `AWS_PROFILE=prod aws …`; the review of set 26b). A word that only
/// mentions the program later (`revert git reset`, a `--grep` pattern) is not a line of it.
fn names_program(line: &str, program: &str) -> bool {
    let mut words = line
        .split_whitespace()
        .skip_while(|w| RUNNERS.contains(w) || w.split_once('=').is_some_and(|(n, _)| is_var(n)));
    words
        .next()
        .is_some_and(|w| w.rsplit('/').next().is_some_and(|b| b == program))
        && words.next().is_some()
}

/// A shell variable's name (`AWS_PROFILE`).
fn is_var(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Judges each item of every list in `map` (under any key, lists inside lists too) that is
/// a command line of `program` (`aws s3 ls`: the program's name, a space, more words) as its
/// own shell line. This only adds judgements: the argv the caller builds from a command
/// key's items is judged as before, so a list of reads is not lowered by it. Every line is
/// judged (the review of set 26b: a cap of 64 let the 65th line pass); the work budget bounds
/// it, and a spent budget is itself `destructive`.
pub(super) fn judge_map(ctx: &mut Ctx, program: &str, map: &Map<String, Value>) {
    for v in map.values() {
        if let Value::Array(items) = v {
            judge_lines(ctx, program, items, 0);
        }
    }
}

fn judge_lines(ctx: &mut Ctx, program: &str, items: &[Value], depth: usize) {
    for item in items {
        if ctx.exhausted {
            return;
        }
        match item {
            Value::String(line) if names_program(line, program) => {
                ctx.via(format!("{program} command line in a list"), |ctx| {
                    shell::analyse(ctx, line, 1);
                });
            }
            Value::Array(inner) if depth < MAX_NESTING => {
                judge_lines(ctx, program, inner, depth.saturating_add(1));
            }
            _ => {}
        }
    }
}

/// A command key whose value is one operation name of several words (`storage_blob_delete`,
/// `keyvault_secret_delete`) under a tool a server prefix names after a CLI
/// (`mcp__azure__storage`; the twenty-sixth sets, set 26b). The CLI has no such word, so
/// `az storage_blob_delete` was only an unknown write (`mutating`) where the bare tool's
/// operation was `destructive`: the prefix lowered it. The name is also judged as an
/// operation, and only a removal or an access change is added (never a read). Any spelling
/// of the words counts (the review of set 26b): snake_case, kebab-case (`storage-blob-delete`),
/// camelCase (`storageBlobDelete`), dotted (`storage.blob.delete`, judged by all its words,
/// not its last). Only under a tool named with more words than the program's (`name_rest`):
/// a tool named `aws` itself with `{"op": "delete_bucket"}` is left as set 13b pinned it.
pub(super) fn judge_operation_name(ctx: &mut Ctx, name_rest: &[String], value: &str) {
    let v = value.trim();
    if name_rest.is_empty() || v.contains(char::is_whitespace) || v.len() > 128 {
        return;
    }
    let words = crate::classify::name::words(v);
    if words.len() < 2 {
        return;
    }
    if let Some((effect, why)) = super::sdk::operation(&words.join("_"), true)
        && effect.is_high_risk()
    {
        ctx.add(effect, format!("operation `{v}` {why}"));
    }
}
