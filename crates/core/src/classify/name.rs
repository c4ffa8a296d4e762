//! The name tier: keyword tiers over the words of an action name.
//!
//! `delete_file`, `db.drop_database` and `removeMember` are split into words (separators and
//! camelCase boundaries), and each word is looked up in four keyword tiers. Generic execution
//! words (`run`, `exec`, `query`, `shell`, ...) carry no effect: the content decides for them.
//!
//! Names are normalised first ([`normalise_action`]: NFKC, invisible characters removed, TR39
//! look-alikes folded to ASCII); a name that changed is judged both ways and is at least
//! mutating. The leading verb is read first: after a read verb, later verbs name what is read
//! (`get_purge_history`), unless a connective adds an action (`get_and_delete_x`).

mod money;
mod normalise;
mod records;
mod redis;
mod rewrite;

pub use normalise::{NormalisedName, normal_form, normalise_action};

use std::collections::HashMap;
use std::sync::LazyLock;

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
    // The filesystem MCP server's `directory_tree`: a listing, as `tree` is.
    "tree",
    "cat",
    "grep",
    "load",
    "open",
    "retrieve",
    "query_only",
    "readonly",
    "introspect",
    "whoami",
    "locate",
    "glob",
    "rg",
    "ripgrep",
];

/// Verbs that change state without destroying it.
const MUTATING: &[&str] = &[
    "write",
    "create",
    "update",
    "set",
    "put",
    "post",
    "send",
    "edit",
    "modify",
    "upload",
    "insert",
    "add",
    "append",
    "patch",
    "save",
    "rename",
    "move",
    "copy",
    "commit",
    "push",
    "merge",
    "apply",
    "migrate",
    "install",
    "enable",
    "disable",
    "start",
    "restart",
    "publish",
    "submit",
    "reply",
    "comment",
    "tag",
    "assign",
    "schedule",
    "import",
    "sync",
    "store",
    "register",
    "upsert",
    "replace",
    "generate",
    "make",
    "new",
    "init",
    "mkdir",
    "touch",
    "build",
    "compile",
    "email",
    "message",
    "notify",
    "pay",
    "transfer",
    "charge",
    "refund",
    "book",
    "order",
    "approve",
    "reject",
    "close",
    "archive",
    "lock",
    "unlock",
    "restore",
    "rollback",
    "revert",
    "fork",
    "clone",
    "checkout",
    "mv",
    "cp",
    "mutate",
    "change",
    "attach",
    "link",
    "invite",
    "share",
    "mint",
    "reissue",
    "rotate",
    "renew",
    "regenerate",
    "roll",
    "silence",
    "mute",
    "suppress",
    "snooze",
    "pause",
    "upgrade",
    "downgrade",
    "ack",
    "acknowledge",
    "mark",
    "dismiss",
    "click",
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
    "empty",
    "trash",
    "clobber",
    "zap",
    "scrub",
    "raze",
    "eradicate",
    "annihilate",
    "demolish",
    "dispose",
    "unpublish",
    "depublish",
    "reimage",
    "reformat",
    "cull",
    "yank",
    "wipeout",
    "takedown",
    "cleanup",
    "deregister",
    "deallocate",
    "dealloc",
    "delist",
    "retire",
    "scrap",
    "abort",
    "disband",
    "unmount",
    "umount",
    "offboard",
    "unshare",
    "expire",
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
    "unprotect",
    // Members put out and accounts stopped (`slack_kick_user`, `ban_member`,
    // `suspend_account`; the twenty-first sets).
    "kick",
    "ban",
    "suspend",
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
    "collaborator",
    "maintainer",
    "admin",
];

/// Words that make a resource reachable by anyone (`sharePublicly`, `make_public`,
/// `share_with_anyone`): with any change they are a permission change (admin).
const EXPOSURE: &[&str] = &["publicly", "anyone", "everyone", "allusers", "anonymous"];
/// Words of exposure that are as often plain adjectives (`post_public_comment`): admin only
/// with a verb that changes who can reach something (`make_public`, `set_world_readable`).
const EXPOSURE_NOUNS: &[&str] = &["public", "world", "unlisted"];
const EXPOSURE_VERBS: &[&str] = &[
    "make", "set", "share", "expose", "mark", "open", "toggle", "switch", "convert", "turn",
    "publish", "change", "grant", "allow", "enable", "update",
];

/// Read verbs that also change access when their object is a way in (`open_file` reads,
/// `open_port` and `open_firewall` let the network in).
const OPENS_ACCESS: &[&str] = &["open", "unblock"];
const WAYS_IN: &[&str] = &[
    "port", "ports", "firewall", "ingress", "egress", "public", "internet", "world", "inbound",
    "tunnel",
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

/// Words that join two actions in one name (`get_and_delete`, `list_then_drop`): the verb
/// after one counts even when the name starts with a read.
const CONNECTIVES: &[&str] = &[
    "and", "then", "or", "plus", "also", "after", "before", "while", "n", "to", "with", "via",
    "into",
];

/// Verbs that name an action even after a read verb (`read_write_file`, `get_set_config`):
/// unlike `purge` in `get_purge_history`, they rarely describe a noun.
const ALWAYS_ACTIONS: &[&str] = &[
    "write",
    "set",
    "update",
    "modify",
    "edit",
    "put",
    "insert",
    "upsert",
    "create",
    "grant",
    "revoke",
    "overwrite",
    "wipe",
    "truncate",
];

/// Verbs that are as often nouns and only write: after a leading read verb, one of them
/// ending the name is what is read (`read_purge_schedule`, `get_backup_log`), not a second
/// action. Removal verbs are never on this list (`read_purge` still purges).
const NOUN_LIKE: &[&str] = &[
    "schedule",
    "log",
    "report",
    "record",
    "backup",
    "export",
    "import",
    "release",
    "request",
    "change",
    "upload",
    "download",
    "transfer",
    "schedules",
    "logs",
    "reports",
    "records",
    "backups",
    "exports",
    "imports",
    "releases",
    "requests",
    "changes",
    // What code hosts and chat tools read by these names (`get_commit`, `get_issue_comment`,
    // `get_message`, `get_tag`, `get_build`, `get_post`; the twenty-first sets' review).
    "commit",
    "commits",
    "comment",
    "comments",
    "message",
    "messages",
    "tag",
    "tags",
    "build",
    "builds",
    "post",
    "posts",
    "reply",
    "replies",
];

/// Nouns of information about something: after a leading read verb, a name that ends in one
/// reads that information (`getWipeStatus`, `get_update_progress`), whatever verbs stand
/// between (`get_wipe_disk` still wipes; `get_and_wipe_status` still wipes).
const INFO_NOUNS: &[&str] = &[
    "status",
    "state",
    "progress",
    "history",
    "log",
    "logs",
    "report",
    "reports",
    "result",
    "results",
    "info",
    "details",
    "summary",
    "stats",
    "statistics",
    "events",
    "eligibility",
    "estimate",
    "preview",
];

/// Verbs that turn monitoring off (`silence_all_alerts`, `disable_audit_logging`,
/// `stop_logging`, `turn_off_alarms`), and what they turn off: that is an access change
/// (admin), since it hides what is done next.
const SILENCING: &[&str] = &[
    "silence",
    "mute",
    "suppress",
    "snooze",
    "disable",
    "pause",
    "stop",
    "deactivate",
    "halt",
    "kill",
];
const MONITORING: &[&str] = &[
    "alert",
    "alarm",
    "monitor",
    "monitoring",
    "audit",
    "auditing",
    "log",
    "logging",
    "alerting",
    "detector",
    "detection",
    "trail",
    "cloudtrail",
    "guardduty",
    "siem",
    "telemetry",
    "pager",
    "paging",
    "oncall",
    "edr",
    "antivirus",
    "defender",
];

/// Credentials, and the principals whose credentials are the keys to everything: issuing a
/// credential (`mint_service_token`, `issue_api_key`) and any change to a privileged
/// principal's credential (`rotate_root_credentials`, `reset_admin_password`) are admin.
const CREDENTIALS: &[&str] = &[
    "credential",
    "credentials",
    "creds",
    "password",
    "passwd",
    "key",
    "apikey",
    "token",
    "secret",
    "mfa",
    "cert",
    "certificate",
    "keypair",
    "passphrase",
    "pat",
];
const PRIVILEGED: &[&str] = &[
    "root",
    "admin",
    "administrator",
    "owner",
    "superuser",
    "master",
    "breakglass",
];
const ISSUING: &[&str] = &["issue", "reissue", "mint"];

/// Words that end a name without naming its object (`delete_all`, `wipe_now`).
const TRAILING: &[&str] = &[
    "all",
    "everything",
    "now",
    "force",
    "forced",
    "forcefully",
    "permanently",
    "recursive",
    "recursively",
    "hard",
    "completely",
    "entirely",
    "v1",
    "v2",
    "v3",
    "1",
    "2",
    "3",
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
    /// The normalised name, when it differs from the name as written (look-alike, invisible
    /// or compatibility characters): the tier is then the higher of both readings, and at
    /// least mutating.
    pub normalised: Option<String>,
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
    match word.strip_suffix('s') {
        Some(stem) if word.len() > 3 && !stem.ends_with('s') => stem,
        _ => word,
    }
}

fn lookup(word: &str, list: &[&str]) -> bool {
    list.contains(&word) || list.contains(&singular(word))
}

/// Every verb of the four tiers, with the first tier that lists it in the order admin,
/// destructive, mutating, read: one hash lookup instead of a scan of every list (the lists
/// were a twentieth of a check's instructions).
static VERBS: LazyLock<HashMap<&'static str, Effect>> = LazyLock::new(|| {
    let mut verbs = HashMap::new();
    // Lowest first: a word in two lists keeps the higher tier.
    for (list, effect) in [
        (READ, Effect::Read),
        (MUTATING, Effect::Mutating),
        (DESTRUCTIVE, Effect::Destructive),
        (ADMIN, Effect::Admin),
    ] {
        for word in list {
            verbs.insert(*word, effect);
        }
    }
    verbs
});

/// Which tier wins when a word and its singular fall in different lists.
fn precedence(effect: Effect) -> u8 {
    match effect {
        Effect::Read => 0,
        Effect::Mutating => 1,
        Effect::Destructive => 2,
        Effect::Admin => 3,
    }
}

/// The tier of one word, if it is a verb of one: the highest tier listing the word or its
/// singular.
fn verb_tier(word: &str) -> Option<Effect> {
    let exact = VERBS.get(word).copied();
    let stem = singular(word);
    if stem == word {
        return exact;
    }
    match (exact, VERBS.get(stem).copied()) {
        (Some(a), Some(b)) => Some(if precedence(b) > precedence(a) { b } else { a }),
        (a, b) => a.or(b),
    }
}

/// [`verb_tier`] as the four lists read it, one after another: the oracle of its test.
#[cfg(test)]
fn verb_tier_by_lists(word: &str) -> Option<Effect> {
    if lookup(word, ADMIN) {
        Some(Effect::Admin)
    } else if lookup(word, DESTRUCTIVE) {
        Some(Effect::Destructive)
    } else if lookup(word, MUTATING) {
        Some(Effect::Mutating)
    } else if lookup(word, READ) {
        Some(Effect::Read)
    } else {
        None
    }
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

/// The name tier of an action name. The name is normalised first ([`normalise_action`]); a
/// name that differs from its normalised form is judged both ways, takes the higher tier, and
/// is at least mutating.
pub fn name_tier(name: &str) -> NameTier {
    let norm = normalise_action(name);
    let mut tier = judge(&norm.text);
    // Letters left without an ASCII look-alike beside ASCII ones (small capitals in
    // `ᴅᴇʟᴇᴛᴇ_file`) may hide a word: such a name is never a read either.
    let mixed = !norm.text.is_ascii() && norm.text.chars().any(|c| c.is_ascii_alphabetic());
    if mixed
        && tier
            .effect
            .is_none_or(|e| e.rank() < Effect::Mutating.rank())
    {
        tier.effect = Some(Effect::Mutating);
        tier.word = Some(format!("{} (letters of several scripts)", norm.text));
    }
    if norm.changed {
        let raw = judge(name);
        if let Some(e) = raw.effect
            && tier.effect.is_none_or(|t| e.max(t) != t)
        {
            tier.effect = Some(e);
            tier.word = raw.word;
        }
        if tier
            .effect
            .is_none_or(|e| e.rank() < Effect::Mutating.rank())
        {
            tier.effect = Some(Effect::Mutating);
            tier.word = Some(format!(
                "{} (look-alike or invisible characters)",
                norm.text
            ));
        }
        tier.normalised = Some(norm.text);
    }
    // A Redis command as the name (`hdel`, `mcp__redis__lrange`): raises any tier, and
    // reads only where no word said anything.
    if let Some((e, c)) = redis::command(&words(tier.normalised.as_deref().unwrap_or(name)))
        && tier.effect.is_none_or(|t| e.rank() > t.rank())
        && (e != Effect::Read || tier.effect.is_none())
    {
        tier.effect = Some(e);
        tier.word = Some(format!("{c} (a Redis command)"));
    }
    // Money sent cannot be called back (`create_payout`, `refund_charge`).
    if tier
        .effect
        .is_none_or(|e| e.rank() < Effect::Destructive.rank())
        && money::mentions_money(name)
        && let Some(w) = money::moves_money(&words(name))
    {
        tier.effect = Some(Effect::Destructive);
        tier.word = Some(format!("{w} (moves money)"));
    }
    // A DNS record changed in place moves the name's traffic (`update_dns_record`).
    if tier
        .effect
        .is_none_or(|e| e.rank() < Effect::Destructive.rank())
        && records::mentions_records(name)
        && let Some(w) = records::changes_records(&words(name))
    {
        tier.effect = Some(Effect::Destructive);
        tier.word = Some(format!("{w} (changes existing DNS records)"));
    }
    tier
}

/// The first word of a name that is a verb of a tier (`mcp__fs__search_files` gives
/// `search`; generic words such as `run` are skipped).
pub fn leading_verb(name: &str) -> Option<String> {
    keywords(&normal_form(name))
        .into_iter()
        .map(|w| w.key)
        .find(|w| verb_tier(w).is_some())
}

fn known(w: &str) -> bool {
    verb_tier(w).is_some() || lookup(w, GENERIC)
}

/// The words of a name, with phrasal verbs, glued verbs and other languages' removal verbs
/// rewritten to the keyword they mean ([`rewrite`]).
fn keywords(name: &str) -> Vec<rewrite::Word> {
    rewrite::rewrite(words(name), known)
}

fn any_of(words: &[rewrite::Word], list: &[&str]) -> bool {
    words.iter().any(|w| lookup(&w.key, list))
}

/// The tier of a normalised name. The leading verb is read first: when it only reads
/// (`get_admin_settings`, `get_purge_history`, `search_drops`), the words after it name what is
/// read, unless a connective brings in another action (`get_and_delete_x`,
/// `list_then_drop`) or the name ends in a verb (`fetch_delete`). Otherwise every verb counts
/// and the highest wins.
/// `kick_off_build`: "kick off" starts something (mutating), where `kick` alone puts a member
/// out (admin). Not when the name names who (`kick_off_user`: put out).
fn kicks_off(words: &[rewrite::Word], i: usize) -> bool {
    words.get(i).is_some_and(|w| w.key == "kick")
        && words.get(i + 1).is_some_and(|w| w.key == "off")
        && !words.iter().any(|w| lookup(&w.key, ADMIN_NOUNS))
}

fn judge(name: &str) -> NameTier {
    let words = keywords(name);
    let mut best: Option<(Effect, String)> = None;
    let mut generic = false;
    let mut admin_noun: Option<String> = None;
    let mut non_read_verb = false;
    let mut leading_read = false;
    let mut seen_verb = false;
    let mut after_connective = false;
    let mut silencing: Option<String> = None;
    // The last word that names something: `view_delete_all` ends in `delete`.
    let last = words
        .iter()
        .rposition(|w| !TRAILING.contains(&w.key.as_str()))
        .unwrap_or(0);
    // `getWipeStatus`: a read name ending in information about something reads it.
    let info_end = words
        .get(last)
        .is_some_and(|w| INFO_NOUNS.contains(&w.key.as_str()));
    for (i, word) in words.iter().enumerate() {
        let w = word.key.as_str();
        let tier = if kicks_off(&words, i) {
            Some(Effect::Mutating)
        } else {
            verb_tier(w)
        };
        // After a leading read verb, a later verb is an object (`get_purge_history`) unless
        // a connective joins a second action, or it ends the name in its plain form.
        let plain = singular(w) == w;
        let noun_at_end = i == last && NOUN_LIKE.contains(&w) && tier == Some(Effect::Mutating);
        let always = ALWAYS_ACTIONS.contains(&w) && !info_end;
        let counts =
            !leading_read || after_connective || (plain && ((i == last && !noun_at_end) || always));
        let object = !counts && tier.is_some_and(|e| e != Effect::Read);
        match tier {
            Some(e) if !object => {
                if !seen_verb && e == Effect::Read {
                    leading_read = true;
                }
                seen_verb = true;
                raise(e, &word.shown, &mut best);
                if e != Effect::Read {
                    non_read_verb = true;
                }
                if silencing.is_none() && SILENCING.contains(&w) {
                    silencing = Some(word.shown.clone());
                }
            }
            Some(_) => {}
            None if lookup(w, GENERIC) => generic = true,
            None => {}
        }
        if admin_noun.is_none() && lookup(w, ADMIN_NOUNS) {
            admin_noun = Some(word.shown.clone());
        }
        // `issue` is as often a noun (`issue_read`, a Jira `issue_key_lookup`): it issues a
        // credential only in a name without a read verb, and `issue_key` is an issue's key.
        let issues_key = w == "issue" && words.get(i + 1).is_some_and(|n| n.key == "key");
        if !leading_read
            && ISSUING.contains(&w)
            && !issues_key
            && !words
                .iter()
                .any(|x| verb_tier(&x.key) == Some(Effect::Read))
            && any_of(&words, CREDENTIALS)
        {
            non_read_verb = true;
            raise(Effect::Admin, &word.shown, &mut best);
        }
        after_connective = CONNECTIVES.contains(&w);
    }
    // An access-control noun turns a change into an admin change (`update_role`); a read of it
    // stays a read (`list_roles`) and a removal stays destructive (`removeMember`), as the seed
    // document's keyword list has it.
    let mutating = best.as_ref().is_some_and(|(e, _)| *e == Effect::Mutating);
    if let Some(noun) = admin_noun.filter(|_| non_read_verb && mutating) {
        raise(Effect::Admin, &noun, &mut best);
    }
    // Turning monitoring off hides what comes next (`silence_all_alerts`).
    if let Some(v) = silencing.filter(|_| any_of(&words, MONITORING)) {
        raise(Effect::Admin, &v, &mut best);
    }
    // A change to a privileged principal's credential (`rotate_root_credentials`).
    if non_read_verb && any_of(&words, PRIVILEGED) && any_of(&words, CREDENTIALS) {
        raise(Effect::Admin, "a privileged credential", &mut best);
    }
    // `open_port`: the read verb opens a way in.
    if let Some(v) = words
        .iter()
        .find(|w| OPENS_ACCESS.contains(&w.key.as_str()))
        && words.iter().any(|w| WAYS_IN.contains(&w.key.as_str()))
    {
        raise(Effect::Admin, &v.shown, &mut best);
    }
    // Making something public is a permission change, whatever verb does it.
    if non_read_verb {
        let verb = words
            .iter()
            .any(|w| EXPOSURE_VERBS.contains(&w.key.as_str()));
        if let Some(w) = words.iter().find(|w| {
            let k = w.key.as_str();
            EXPOSURE.contains(&k) || (verb && EXPOSURE_NOUNS.contains(&k))
        }) {
            raise(Effect::Admin, &w.shown, &mut best);
        }
    }
    NameTier {
        effect: best.as_ref().map(|(e, _)| *e),
        word: best.map(|(_, w)| w),
        generic,
        normalised: None,
    }
}

#[cfg(test)]
mod tests;
