//! A Redis tool named for running a command (`redis_execute`, `mcp__redis__run`,
//! `execute_redis_command`) given only an argument list (`{"args": ["FLUSHALL"]}`): the list
//! is the command. The name's word (`execute`) had been read as the Redis command, so
//! `FLUSHALL` was an argument of an unknown command (`mutating`). The list is judged as the
//! command it is, beside the reading with the name's word, so nothing is lowered (the
//! twenty-fifth sets).

use serde_json::{Map, Value};

use super::super::{Ctx, shell};
use super::{ARG_KEYS, PRIMARY_KEYS, SUB_KEYS, push_values};

/// Words of a tool's name that say "run it", not which Redis command.
const RUN_WORDS: &[&str] = &[
    "execute", "exec", "run", "command", "cmd", "call", "send", "raw", "query",
    // A review of the twenty-fifth sets: `redis_cli {"args": ["FLUSHALL"]}`.
    "cli", "client", "tool", "invoke",
];

/// Judges the argument list as the command when the name's only other word says "run".
pub(super) fn args_as_command(ctx: &mut Ctx, name_rest: &[String], map: &Map<String, Value>) {
    let generic = name_rest
        .iter()
        .filter(|w| !matches!(w.as_str(), "redis" | "valkey" | "keydb" | "mcp"))
        .all(|w| RUN_WORDS.contains(&w.as_str()));
    if !generic
        || PRIMARY_KEYS
            .iter()
            .chain(SUB_KEYS)
            .any(|k| map.get(*k).is_some_and(Value::is_string))
    {
        return;
    }
    for key in ARG_KEYS {
        match map.get(*key) {
            // A list of commands (`[["GET", "k"], ["FLUSHALL"]]`): each is one.
            Some(Value::Array(items)) if !items.is_empty() && items.iter().all(Value::is_array) => {
                for item in items {
                    judge(ctx, item);
                }
            }
            Some(v @ Value::Array(_)) => judge(ctx, v),
            // The command as a line (`{"args": "FLUSHALL"}`).
            Some(Value::String(s)) => {
                let words = s.split_whitespace().map(|w| Value::String(w.to_string()));
                judge(ctx, &Value::Array(words.collect()));
            }
            _ => {}
        }
    }
}

fn judge(ctx: &mut Ctx, v: &Value) {
    let mut argv = vec!["redis-cli".to_string()];
    push_values(&mut argv, v);
    if argv.len() > 1 {
        ctx.via("a redis argument list", |ctx| {
            shell::analyse_argv(ctx, &argv, 1)
        });
    }
}
