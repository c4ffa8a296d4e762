//! The name tier: keyword tiers over the words of an action name.
//!
//! `delete_file`, `db.drop_database` and `removeMember` are split into words (separators and
//! camelCase boundaries), and each word is looked up in four keyword tiers. Generic execution
//! words (`run`, `exec`, `query`, `shell`, ...) carry no effect: the content decides for them.

use crate::Effect;

/// Verbs that only read.
const READ: &[&str] = &[
    "get",
    "list",
    "read",
    "search",
    "fetch",
    "find",
    "view",
    "describe",
    "lookup",
    "show",
    "browse",
    "inspect",
    "count",
    "stat",
    "status",
    "info",
    "explain",
    "plan",
    "preview",
    "diff",
    "check",
    "validate",
    "verify",
    "lint",
    "ping",
    "health",
    "watch",
    "tail",
    "head",
    "peek",
    "download",
    "export",
    "scan",
    "summarize",
    "analyse",
    "analyze",
    "estimate",
    "select",
    "ls",
    "cat",
    "grep",
    "load",
    "open",
    "retrieve",
    "query_only",
    "readonly",
    "introspect",
    "whoami",
];

/// Verbs that change state without destroying it.
const MUTATING: &[&str] = &[
    "write", "create", "update", "set", "put", "post", "send", "edit", "modify", "upload",
    "insert", "add", "append", "patch", "save", "rename", "move", "copy", "commit", "push",
    "merge", "apply", "migrate", "install", "enable", "disable", "start", "restart", "publish",
    "submit", "reply", "comment", "tag", "assign", "schedule", "import", "sync", "store",
    "register", "upsert", "replace", "generate", "make", "new", "init", "mkdir", "touch", "build",
    "compile", "email", "message", "notify", "pay", "transfer", "charge", "refund", "book",
    "order", "approve", "reject", "close", "archive", "lock", "unlock", "restore", "rollback",
    "revert", "fork", "clone", "checkout", "mv", "cp", "mutate", "change", "attach", "link",
];

/// Verbs that remove data or access, stop services, or make rollback hard.
const DESTRUCTIVE: &[&str] = &[
    "delete",
    "remove",
    "drop",
    "destroy",
    "purge",
    "truncate",
    "wipe",
    "kill",
    "erase",
    "terminate",
    "rm",
    "rmdir",
    "unlink",
    "clear",
    "reset",
    "flush",
    "shred",
    "format",
    "overwrite",
    "uninstall",
    "evict",
    "prune",
    "discard",
    "expunge",
    "nuke",
    "obliterate",
    "deprovision",
    "decommission",
    "teardown",
    "shutdown",
    "stop",
    "halt",
    "poweroff",
    "detach",
    "cancel",
    "void",
    "del",
    "unregister",
    "unsubscribe",
    "deactivate",
];

/// Verbs that change who can do what, or what runs where.
const ADMIN: &[&str] = &[
    "admin",
    "grant",
    "revoke",
    "sudo",
    "deploy",
    "rollout",
    "impersonate",
    "escalate",
    "elevate",
    "promote",
    "demote",
    "chmod",
    "chown",
    "chgrp",
    "configure",
    "reboot",
    "provision",
    "authorize",
    "deauthorize",
    "su",
    "setfacl",
    "passwd",
];

/// Nouns of access control: admin when combined with anything but a read verb
/// (`update_role` is admin, `list_roles` is a read).
const ADMIN_NOUNS: &[&str] = &[
    "permission",
    "role",
    "policy",
    "acl",
    "iam",
    "privilege",
    "grant",
    "credential",
    "secret",
    "password",
    "token",
    "key",
    "apikey",
    "config",
    "configuration",
    "setting",
    "user",
    "member",
    "group",
    "firewall",
    "sso",
    "mfa",
    "access",
    "owner",
    "ownership",
];

/// Generic execution words: they say that something runs, not what it does.
pub const GENERIC: &[&str] = &[
    "run",
    "exec",
    "execute",
    "query",
    "sql",
    "shell",
    "bash",
    "sh",
    "zsh",
    "terminal",
    "command",
    "cmd",
    "invoke",
    "call",
    "eval",
    "script",
    "statement",
    "stmt",
    "raw",
    "console",
    "repl",
    "powershell",
    "pwsh",
    "psql",
    "mysql",
    "sqlite",
    "sqlite3",
    "db",
    "database",
    "http",
    "request",
    "curl",
    "api",
    "tool",
    "action",
    "do",
    "perform",
];

/// What the name tier found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameTier {
    /// The highest effect named by a keyword, `None` if no word is a keyword.
    pub effect: Option<Effect>,
    /// The word that decided it.
    pub word: Option<String>,
    /// True if the name contains a generic execution word (`run_sql`, `shell`).
    pub generic: bool,
}

/// Splits an action name into lowercase words on separators and camelCase boundaries.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev: Option<char> = None;
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev = None;
            continue;
        }
        if let Some(p) = prev {
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            // fooBar, and the last capital of an acronym before a word: HTTPRequest -> http request
            let boundary = (p.is_lowercase() && c.is_uppercase())
                || (p.is_uppercase() && c.is_uppercase() && next_lower)
                || (p.is_alphabetic() && c.is_ascii_digit())
                || (p.is_ascii_digit() && c.is_alphabetic());
            if boundary && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
        prev = Some(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn singular(word: &str) -> &str {
    if word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") {
        &word[..word.len() - 1]
    } else {
        word
    }
}

fn lookup(word: &str, list: &[&str]) -> bool {
    list.contains(&word) || list.contains(&singular(word))
}

fn raise(effect: Effect, word: &str, best: &mut Option<(Effect, String)>) {
    let replace = match best {
        None => true,
        Some((cur, _)) => effect.max(*cur) != *cur,
    };
    if replace {
        *best = Some((effect, word.to_string()));
    }
}

/// The name tier of an action name.
pub fn name_tier(name: &str) -> NameTier {
    let words = words(name);
    let mut best: Option<(Effect, String)> = None;
    let mut generic = false;
    let mut admin_noun: Option<String> = None;
    let mut non_read_verb = false;
    for w in &words {
        let w = w.as_str();
        if lookup(w, ADMIN) {
            raise(Effect::Admin, w, &mut best);
            non_read_verb = true;
        } else if lookup(w, DESTRUCTIVE) {
            raise(Effect::Destructive, w, &mut best);
            non_read_verb = true;
        } else if lookup(w, MUTATING) {
            raise(Effect::Mutating, w, &mut best);
            non_read_verb = true;
        } else if lookup(w, READ) {
            raise(Effect::Read, w, &mut best);
        } else if lookup(w, GENERIC) {
            generic = true;
        }
        if admin_noun.is_none() && lookup(w, ADMIN_NOUNS) {
            admin_noun = Some(w.to_string());
        }
    }
    // An access-control noun turns a change into an admin change (`update_role`); a read of it
    // stays a read (`list_roles`) and a removal stays destructive (`removeMember`), as the seed
    // document's keyword list has it.
    let mutating = best.as_ref().is_some_and(|(e, _)| *e == Effect::Mutating);
    if let Some(noun) = admin_noun.filter(|_| non_read_verb && mutating) {
        raise(Effect::Admin, &noun, &mut best);
    }
    NameTier {
        effect: best.as_ref().map(|(e, _)| *e),
        word: best.map(|(_, w)| w),
        generic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_separators_and_camel_case() {
        assert_eq!(words("db.drop_database"), ["db", "drop", "database"]);
        assert_eq!(words("removeMember"), ["remove", "member"]);
        assert_eq!(words("HTTPRequest-get"), ["http", "request", "get"]);
        assert_eq!(words("mcp__fs__write_file"), ["mcp", "fs", "write", "file"]);
    }

    #[test]
    fn tiers_by_keyword() {
        let cases = [
            ("delete_file", Some(Effect::Destructive)),
            ("web_search", Some(Effect::Read)),
            ("db.drop_database", Some(Effect::Destructive)),
            ("removeMember", Some(Effect::Destructive)),
            ("db.schema.read", Some(Effect::Read)),
            ("get_or_create_user", Some(Effect::Admin)),
            ("list_roles", Some(Effect::Read)),
            ("update_role", Some(Effect::Admin)),
            ("grant_access", Some(Effect::Admin)),
            ("send_email", Some(Effect::Mutating)),
            ("frobnicate", None),
            ("run_sql", None),
            ("execute", None),
        ];
        for (name, want) in cases {
            assert_eq!(name_tier(name).effect, want, "{name}");
        }
    }

    #[test]
    fn generic_words_are_flagged() {
        assert!(name_tier("execute_sql").generic);
        assert!(name_tier("shell").generic);
        assert!(!name_tier("delete_file").generic);
    }
}
