//! A list of whole command lines under a command key (the twenty-sixth sets, set 26b). AWS
//! Labs' `call_aws` takes `{"cli_command": ["aws s3 ls", "aws s3 rb s3://x --force"]}`: each
//! item is a complete command, but an array under a command key is read as one argv, so the
//! items ran together (`aws aws s3 ls aws s3 rb …`) and the removal was only `mutating`.

use serde_json::Value;

use super::super::{Ctx, shell};

/// The most items judged one by one; past it the joined argv still stands (and a list that
/// long is not a proof of anything).
const MAX_LINES: usize = 64;

/// Judges each item of `items` as its own shell line when every item is a whole command
/// line of `program` (`aws s3 ls`: the program's name, a space, more words). This only adds
/// judgements: the argv the caller builds from the joined items is judged as before, so a
/// list of reads is not lowered by it.
pub(super) fn judge_lines(ctx: &mut Ctx, program: &str, items: &[Value]) {
    if ctx.exhausted || items.is_empty() {
        return;
    }
    let lines: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
    let whole = |l: &&str| {
        l.trim_start()
            .strip_prefix(program)
            .is_some_and(|rest| rest.starts_with(char::is_whitespace) && !rest.trim().is_empty())
    };
    if lines.len() != items.len() || !lines.iter().all(whole) {
        return;
    }
    for line in lines.into_iter().take(MAX_LINES) {
        ctx.via(format!("{program} command line in a list"), |ctx| {
            shell::analyse(ctx, line, 1);
        });
    }
}

/// A command key whose value is one snake_case operation name (`storage_blob_delete`,
/// `keyvault_secret_delete`) under a tool a server prefix names after a CLI
/// (`mcp__azure__storage`; the twenty-sixth sets, set 26b). The CLI has no such word, so
/// `az storage_blob_delete` was only an unknown write (`mutating`) where the bare tool's
/// operation was `destructive`: the prefix lowered it. The name is also judged as an
/// operation, and only a removal or an access change is added (never a read). Only under a
/// tool named with more words than the program's (`name_rest`): a tool named `aws` itself
/// with `{"op": "delete_bucket"}` is left as set 13b pinned it.
pub(super) fn judge_operation_name(ctx: &mut Ctx, name_rest: &[String], value: &str) {
    let v = value.trim();
    if name_rest.is_empty() || !v.contains('_') || v.contains(char::is_whitespace) || v.len() > 128
    {
        return;
    }
    if let Some((effect, why)) = super::sdk::operation(v, true)
        && effect.is_high_risk()
    {
        ctx.add(effect, format!("operation `{v}` {why}"));
    }
}
