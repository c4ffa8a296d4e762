//! Tools named by a Redis command (redis/mcp-redis's `hdel`, `lrange`, `mcp__redis__srem`):
//! the name is the command, and no word list knows it (`hdel` fell to the default,
//! `hgetall` too; the twenty-first sets). Only Redis's own command words, none an English
//! word a tool may take for another meaning (`rename`, `set`, `type`, `info`, `keys`).

use crate::Effect;

/// Commands that remove what they name: a hash field, a set or sorted-set member, a list's
/// head or tail (a queue's message is gone once popped), a stream's entries, a database.
const REMOVING: &[&str] = &[
    "hdel",
    "srem",
    "zrem",
    "lrem",
    "ltrim",
    "lpop",
    "rpop",
    "spop",
    "blpop",
    "brpop",
    "zpopmin",
    "zpopmax",
    "zremrangebyscore",
    "zremrangebyrank",
    // Their neighbours (the review): the blocking and multi-key pops, a hash read that
    // deletes, and key removal itself.
    "zremrangebylex",
    "bzpopmin",
    "bzpopmax",
    "lmpop",
    "blmpop",
    "zmpop",
    "bzmpop",
    "hgetdel",
    "unlink",
    "getdel",
    "xdel",
    "xtrim",
    "flushall",
    "flushdb",
    "swapdb",
];

/// Commands that only read.
const READING: &[&str] = &[
    "hget",
    "hgetall",
    "hmget",
    "hkeys",
    "hvals",
    "hlen",
    "hexists",
    "lrange",
    "llen",
    "lindex",
    "smembers",
    "scard",
    "sismember",
    "zrange",
    "zrevrange",
    "zrangebyscore",
    "zcard",
    "zscore",
    "strlen",
    "dbsize",
    "mget",
    "ttl",
    "pttl",
    "xrange",
    "xrevrange",
    "xlen",
];

/// Words a server's prefix puts before the command (`mcp__redis__hget`, `valkey_hget`).
const SERVER: &[&str] = &["mcp", "redis", "valkey", "keydb", "server", "tool"];

/// The effect of a name whose last word is a Redis command, and that command. A name of
/// more words must say `redis` (`mcp__redis__hdel`, `redis_lrange`). A read must be the
/// whole name but for the server's prefix: `redis_evalsha_lrange` says more than `lrange`
/// (the review: a word no list knew, before the read command, made the name read).
pub(super) fn command(words: &[String]) -> Option<(Effect, &'static str)> {
    let (last, before) = words.split_last()?;
    if !before.is_empty()
        && !before
            .iter()
            .any(|w| matches!(w.as_str(), "redis" | "valkey" | "keydb"))
    {
        return None;
    }
    if let Some(c) = REMOVING.iter().find(|c| **c == last.as_str()) {
        return Some((Effect::Destructive, c));
    }
    if !before.iter().all(|w| SERVER.contains(&w.as_str())) {
        return None;
    }
    READING
        .iter()
        .find(|c| **c == last.as_str())
        .map(|c| (Effect::Read, *c))
}
