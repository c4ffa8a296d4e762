//! Fields of an object that name what a generic tool does: an operation (`{"action":
//! "remove"}`), a destination address, a delete flag, a protection or a security control
//! turned off, a forced push.

use serde_json::{Map, Value};

use super::super::Ctx;
use super::operation::op_key;
use crate::Effect::{Admin, Destructive, Mutating};
use crate::classify::name::name_tier;

/// Fields that name the operation a generic tool performs (`{"operation": "destroy"}`,
/// `{"action": "remove"}`, `{"verb": "destroy_cluster"}`): judged as a tool name would be.
/// Only a change counts; a read named here lowers nothing.
pub(super) fn operation_named(ctx: &mut Ctx, map: &Map<String, Value>) {
    const KEYS: &[&str] = &[
        "action",
        "operation",
        "op",
        "verb",
        "mode",
        "task",
        "action_type",
        "operation_type",
        "op_type",
        "command_name",
        "operation_name",
        // An RPC API's method (`slack_api {"method": "admin.conversations.delete"}`); an
        // HTTP method here names its own effect (`DELETE`).
        "method",
        "api_method",
        "rpc_method",
    ];
    for (k, v) in map {
        let Value::String(word) = v else {
            continue;
        };
        let word = word.trim();
        let plain = !word.is_empty()
            && word.len() <= 64
            && word
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/'));
        let key = k.to_ascii_lowercase();
        if !plain || !KEYS.contains(&key.as_str()) {
            continue;
        }
        // A `method` counts when it is an RPC API's (`admin.conversations.delete`,
        // `deleteMessage`): an HTTP method is the request analyser's (a search `POST`
        // reads), and one word may be an algorithm's (`dedupe {"method": "drop"}`).
        if key.ends_with("method") && crate::classify::name::words(word).len() < 2 {
            continue;
        }
        if let Some(e @ (Mutating | Destructive | Admin)) = name_tier(word).effect {
            ctx.add(e, format!("argument `{k}` names the operation `{word}`"));
        }
    }
}

/// A field that sends what the call produces to a network address (`export_data
/// {"destination": "https://203.0.113.7/collect"}`): whatever the tool reads leaves, so the
/// call is judged as sending data away, whatever its name. A link (`target_url` of a
/// commit status) or a callback registered with a service is not a destination. A bucket or a path is the tool's
/// own business and adds nothing here.
pub(super) fn sent_to_address(ctx: &mut Ctx, map: &Map<String, Value>) {
    const KEYS: &[&str] = &[
        "destination",
        "dest",
        "destination_url",
        "upload_url",
        "export_url",
        "export_to",
        "send_to",
        "sink",
        "sink_url",
        "output_url",
        "post_to",
        "forward_to",
        "exfil",
    ];
    const SCHEMES: &[&str] = &[
        "http://", "https://", "ftp://", "sftp://", "ws://", "wss://",
    ];
    for (k, v) in map {
        let url = match v {
            Value::String(url) => url,
            // A destination given as an object (`{"destination": {"url": …}}`, `{"type":
            // "s3", "bucket": …}`): its address if it has one; otherwise the call still
            // sends what it produces somewhere it names.
            Value::Object(o)
                if KEYS.contains(&k.to_ascii_lowercase().replace('-', "_").as_str()) =>
            {
                let address = o.values().filter_map(Value::as_str).find(|s| {
                    let head = s.trim_start();
                    SCHEMES.iter().any(|p| {
                        head.get(..p.len())
                            .is_some_and(|h| h.eq_ignore_ascii_case(p))
                    })
                });
                match address {
                    Some(url) => ctx.add(
                        Admin,
                        format!(
                            "argument `{k}` sends what the call produces to {}",
                            super::super::snippet(url.trim())
                        ),
                    ),
                    None if !o.is_empty() => ctx.add(
                        Mutating,
                        format!(
                            "argument `{k}` sends what the call produces to a destination it names"
                        ),
                    ),
                    None => {}
                }
                continue;
            }
            _ => continue,
        };
        // The address first: most values are not one, and need no lowercase copy of the key.
        let head = url.trim_start();
        let address = SCHEMES.iter().any(|s| {
            head.get(..s.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(s))
        });
        if !address {
            continue;
        }
        let key = k.to_ascii_lowercase().replace('-', "_");
        if KEYS.contains(&key.as_str()) {
            ctx.add(
                Admin,
                format!(
                    "argument `{k}` sends what the call produces to {}",
                    super::super::snippet(url.trim())
                ),
            );
        }
    }
}

/// A flag that asks the tool to delete what it touches (`then_delete: true`, `purge: true`,
/// `remove_source_files: "yes"`), under any name. Past participles are filters
/// (`include_deleted`, `show_removed`), and a flag that holds deletion back is no deletion
/// (`no_delete`, `prevent_removal`, `skip_purge`). An emptyDir is scratch space.
pub(super) fn delete_flag(ctx: &mut Ctx, map: &Map<String, Value>) {
    const VERBS: &[&str] = &[
        "delete", "remove", "drop", "purge", "destroy", "wipe", "erase", "shred", "nuke",
    ];
    const HELD: &[&str] = &[
        "no",
        "not",
        "dont",
        "never",
        "skip",
        "prevent",
        "protect",
        "protection",
        "disable",
        "disabled",
        "without",
        "allow",
        "allowed",
        "can",
        "include",
        "show",
        "with",
        "only",
        "is",
        "was",
        "has",
        "count",
        // A merge request's source branch, a container removed when it exits, output
        // trimmed: housekeeping, not the data the call touches.
        "auto",
        "branch",
        "output",
        "whitespace",
    ];
    for (k, v) in map {
        let on = set_true(v);
        if !on {
            continue;
        }
        let words = crate::classify::name::words(k);
        // An emptyDir volume is scratch space that goes with its pod (`kubectl drain
        // --delete-emptydir-data`).
        let deletes = words.iter().any(|w| VERBS.contains(&w.as_str()))
            && !words.iter().any(|w| w == "emptydir");
        let held = words.iter().any(|w| HELD.contains(&w.as_str()));
        if deletes && !held {
            ctx.add(
                Destructive,
                format!("argument `{k}: true` deletes what the call touches"),
            );
        }
    }
}

/// A state set on what the call updates that deletes or cancels it
/// (`API-patch-page {"archived": true}` is Notion's delete, `in_trash`, a soft delete's
/// `deleted: true`, Stripe's `cancel_at_period_end: true` or a `cancel_at` time): the
/// twenty-first sets found them mutating under `update_*` names. Exact keys, so a filter
/// (`include_archived`, `show_deleted`) is none; only under a tool whose name does not read.
pub(super) fn trash_state(ctx: &mut Ctx, map: &Map<String, Value>) {
    const STATES: &[&str] = &[
        "archived",
        "isarchived",
        "intrash",
        "trashed",
        "istrashed",
        "movetotrash",
        "deleted",
        "isdeleted",
        "softdeleted",
        "discarded",
        "cancel",
        "canceled",
        "cancelled",
        "cancelatperiodend",
        "cancelimmediately",
    ];
    for (k, v) in map {
        let on = set_true(v);
        // Only a set flag or a `cancel…` key is compared (nothing allocated for the rest).
        if !on && !k.get(..6).is_some_and(|p| p.eq_ignore_ascii_case("cancel")) {
            continue;
        }
        let key: String = k
            .chars()
            .filter(|c| !matches!(c, '_' | '-' | ' '))
            .map(|c| c.to_ascii_lowercase())
            .collect();
        // `cancel_at: 1700000000` schedules the cancellation (a time, not a flag).
        let scheduled = key == "cancelat"
            && (v.is_number() || v.as_str().is_some_and(|s| !s.trim().is_empty()));
        if (on && STATES.contains(&key.as_str())) || scheduled {
            ctx.add(
                Destructive,
                format!("argument `{k}` puts what the call updates in the trash or cancels it"),
            );
        }
    }
}

/// A resource and its action given apart (`stripe {"resource": "refunds", "action":
/// "create"}`, `{"object": "payouts", "operation": "create"}`): judged as the name they make
/// (`refunds_create`, `create_refunds`), which the name tier knows moves money. Only a
/// removal, an access change or money moved is added; the action's own word is judged
/// elsewhere (the twentieth sets left this; the twenty-first close it).
pub(super) fn resource_action(ctx: &mut Ctx, map: &Map<String, Value>) {
    // Keys in any case (`Resource`, `Action`; the review).
    let pick = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| {
                map.iter()
                    .find(|(m, _)| m.eq_ignore_ascii_case(k))
                    .and_then(|(_, v)| v.as_str())
            })
            .map(str::trim)
            .filter(|s| !s.is_empty() && s.len() <= 64)
    };
    let (Some(resource), Some(action)) = (
        pick(&[
            "resource",
            "object",
            "entity",
            "resource_type",
            "resourcetype",
            "resource_name",
            "resourcename",
        ]),
        pick(&["action", "operation", "op", "method", "verb"]),
    ) else {
        return;
    };
    for name in [
        format!("{resource}_{action}"),
        format!("{action}_{resource}"),
    ] {
        if let Some(e) = name_tier(&name)
            .effect
            .filter(|e| e.rank() >= Destructive.rank())
        {
            ctx.add(
                e,
                format!("`{action}` on `{resource}` is `{name}`, which the name tier judges so"),
            );
            return;
        }
    }
}

/// Fields that turn off an audit or security control (`"xpack.security.audit.enabled":
/// false`, `enforce_admins: false`, `mfa_required: false`), and a forced push (`force: true`
/// under a tool whose name pushes).
pub(super) fn security_off(ctx: &mut Ctx, map: &Map<String, Value>) {
    // Not `ssl`, `tls` or `encryption`: a local connection's or dev server's options
    // (`ssl_enabled: false`) turn them off routinely.
    const CONTROLS: &[&str] = &[
        "audit",
        "auditing",
        "security",
        "mfa",
        "2fa",
        "allowlist",
        "whitelist",
        "firewall",
        "sso",
        "waf",
    ];
    // The control's state, not the control alone (`audit: false` skips an npm audit).
    const STATES: &[&str] = &[
        "enabled", "enable", "required", "require", "enforced", "enforce", "active", "logging",
        "log", "logs",
    ];
    const FILTERS: &[&str] = &["include", "show", "with", "only", "filter", "is", "has"];
    for (k, v) in map {
        let off = v.as_bool() == Some(false) || v.as_str().is_some_and(|s| s == "false");
        let on = v.as_bool() == Some(true) || v.as_str().is_some_and(|s| s == "true");
        if !(off || (on && ctx.pushes)) {
            continue;
        }
        let words = crate::classify::name::words(&k.replace('.', "_"));
        let control = (words.iter().any(|w| CONTROLS.contains(&w.as_str()))
            && words.iter().any(|w| STATES.contains(&w.as_str())))
            || matches!(words.as_slice(), [a, b] if a == "enforce" && b == "admins");
        if off && control && !words.first().is_some_and(|w| FILTERS.contains(&w.as_str())) {
            ctx.add(
                Admin,
                format!("sets `{k}: false`, which turns off an audit or security control"),
            );
        }
        if on && ctx.pushes && matches!(k.as_str(), "force" | "force_push" | "forcePush") {
            ctx.add(
                Destructive,
                format!("pushes with `{k}: true` (commits on the branch can be lost)"),
            );
        }
    }
}

/// Fields that turn off a protection against deletion (`DeletionProtectionEnabled: false`,
/// `prevent_destroy: false`, `allow_deletions: true`, backups kept for 0 days, versioning
/// suspended) or set a capacity to zero (`replicas: 0`, `DesiredCount: 0`): what they protect
/// can then be lost.
pub(super) fn protection_off(ctx: &mut Ctx, map: &Map<String, Value>) {
    for (k, v) in map {
        // A dotted setting is judged by its last part (`action.destructive_requires_name`).
        let key = super::super::http::rules::norm_key(k.rsplit('.').next().unwrap_or(k));
        // EC2's attribute values are wrapped (`{"Value": false}`).
        let v = match v.get("Value").or_else(|| v.get("value")) {
            Some(inner) if v.as_object().is_some_and(|m| m.len() == 1) => inner,
            _ => v,
        };
        let off = match key.as_str() {
            "deletionprotection"
            | "deletionprotectionenabled"
            | "enabledeletionprotection"
            | "deleteprotection"
            | "terminationprotection"
            | "enableterminationprotection"
            | "disableapitermination"
            | "disableapistop"
            | "preventdestroy"
            | "destructiverequiresname"
            | "pointintimerecoveryenabled"
            | "protectfromdeletion"
            | "deleteprotectionenabled" => {
                v.as_bool() == Some(false) || v.as_str() == Some("false")
            }
            // GitLab's `protect_branch` spells it `allow_force_push` (the twenty-second sets).
            // Also as text or a number (`"true"`, `1`; the review of the twenty-second sets).
            "allowdeletions" | "allowforcepushes" | "allowforcepush" | "forcedestroy" => {
                v.as_bool() == Some(true)
                    || v.as_str()
                        .is_some_and(|s| s.trim().eq_ignore_ascii_case("true"))
                    || v.as_i64() == Some(1)
            }
            "backupretentionperiod" | "retentiondays" | "retentionindays" => {
                v.as_f64() == Some(0.0) || v.as_str() == Some("0")
            }
            "mfadelete" => v
                .as_str()
                .is_some_and(|s| s.eq_ignore_ascii_case("disabled")),
            "versioningconfiguration" | "versioning" => v
                .get("Status")
                .or_else(|| v.get("status"))
                .and_then(Value::as_str)
                .is_some_and(|s| s.eq_ignore_ascii_case("suspended")),
            _ => super::super::http::rules::zero_field(k, v),
        };
        if off {
            let shown = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            ctx.add(
                Destructive,
                format!(
                    "sets `{k}: {}`, which removes a protection against loss",
                    super::super::prefix(&shown, 40)
                ),
            );
        }
    }
}

/// Under a tool whose name reads (`lint`, `list_pull_requests`, `get_certificate`), a flag
/// that asks it to change what it reads (`fix: true`, `merge: true`, `deploy: true`,
/// `close_all: true`, `--write` in its `args`): the name's read no longer holds. A flag that
/// changes access (`grant: true`, `set_role: "admin"`) is an access change; one that attacks
/// (`exploit: true`) destroys. Filters and dry runs are not changes (`include_closed`,
/// `show_merged`, `dry_run`, `no_fix`).
pub(super) fn change_flag(ctx: &mut Ctx, map: &Map<String, Value>) {
    for (k, v) in map {
        let on = match v {
            Value::Bool(b) => *b,
            Value::Number(n) => n.as_i64() == Some(1),
            Value::String(s) => {
                let s = s.trim();
                // A role named for a role key (`set_role: "admin"`), or given to an access
                // verb (`grant: "admin"`, a review of set 24a); a plain on-word otherwise.
                if !s.is_empty() && access_given(k, s) {
                    ctx.add(
                        Admin,
                        format!(
                            "argument `{k}` gives the role `{}` beside a read's name",
                            super::super::prefix(s, 40)
                        ),
                    );
                }
                !s.is_empty() && (role_key(k) || flag_on(s))
            }
            // `update: {"state": "closed"}`: the change itself. `set`, `patch`, `$set` and
            // the others name no change word of their own (a review of set 24a:
            // `get_user {"set": {"role": "admin"}}` read): the object is the change, and an
            // access change when it sets a role or a permission.
            // `get_user {"data": {"role": "admin"}}`: the thing one tool gets has no data
            // to send but a change (a review of set 24a).
            Value::Object(m)
                if ctx.one_thing
                    && matches!(
                        op_key(k).as_str(),
                        "data" | "body" | "payload" | "attributes" | "properties" | "values"
                    )
                    && m.iter().any(|(x, v)| {
                        access_field(x)
                            && !shown_field(x)
                            && !matches!(v, Value::Bool(false) | Value::Null)
                    }) =>
            {
                ctx.add(
                    Admin,
                    format!("argument `{k}` sets a role or a permission beside a read's name"),
                );
                false
            }
            Value::Object(m) if !m.is_empty() && object_change_key(k) => {
                if m.keys().any(|x| access_field(x)) {
                    ctx.add(
                        Admin,
                        format!(
                            "argument `{k}` changes a role or a permission beside a read's name"
                        ),
                    );
                } else {
                    ctx.add(
                        Mutating,
                        format!("argument `{k}` is a change beside a read's name"),
                    );
                }
                true
            }
            _ => false,
        };
        if on {
            change_named(ctx, k, &format!("argument `{k}`"));
        }
    }
    // What to do with what was fetched (`download {"then": "execute"}`): runs it. What runs
    // is not seen, so a change, as the thirteenth sets decided.
    for key in ["then", "post_action", "on_success", "after"] {
        let Some(Value::String(what)) = map.get(key) else {
            continue;
        };
        let what = what.trim().to_ascii_lowercase();
        if matches!(
            what.as_str(),
            "execute" | "exec" | "run" | "install" | "source" | "eval"
        ) {
            ctx.add(
                Mutating,
                format!("argument `{key}: {what}` runs what the call fetches"),
            );
        }
    }
    // Flags in an argument list (`lint {"args": ["--fix", "src/"]}`).
    for key in ["args", "argv", "flags", "options", "extra_args", "cli_args"] {
        let Some(Value::Array(items)) = map.get(key) else {
            continue;
        };
        for flag in items.iter().filter_map(Value::as_str) {
            let Some(name) = flag.trim().strip_prefix('-') else {
                continue;
            };
            let name = name.trim_start_matches('-');
            let name = name.split_once('=').map_or(name, |(n, _)| n);
            change_named(
                ctx,
                name,
                &format!("flag `{}`", super::super::prefix(flag, 40)),
            );
        }
    }
}

fn flag_on(s: &str) -> bool {
    matches!(
        s.to_ascii_lowercase().as_str(),
        "true" | "yes" | "on" | "1" | "all" | "force"
    )
}

/// `set_role`, `assign_role`, `permission`, `role`: a key that names an access level.
fn role_key(k: &str) -> bool {
    crate::classify::name::words(k).iter().any(|w| {
        matches!(
            w.as_str(),
            "role" | "roles" | "permission" | "permissions" | "privilege" | "privileges"
        )
    }) && crate::classify::name::words(k)
        .iter()
        .any(|w| ACCESS.contains(&w.as_str()))
}

fn object_change_key(k: &str) -> bool {
    matches!(
        k.trim_start_matches('$').to_ascii_lowercase().as_str(),
        "update"
            | "updates"
            | "set"
            | "patch"
            | "changes"
            | "modify"
            | "apply"
            | "write"
            | "setoninsert"
            | "push"
            | "unset"
            | "assign"
    )
}

/// A field that asks for something to be shown (`include_roles`, `expand_permissions`).
fn shown_field(k: &str) -> bool {
    crate::classify::name::words(k).iter().any(|w| {
        matches!(
            w.as_str(),
            "include" | "with" | "show" | "expand" | "return" | "fetch" | "list"
        )
    })
}

/// An access verb given a role or a scope (`grant: "admin"`, `promote: "owner"`).
fn access_given(k: &str, v: &str) -> bool {
    matches!(
        op_key(k).as_str(),
        "grant" | "promote" | "elevate" | "assign" | "assignrole" | "addrole" | "impersonate"
    ) && v.len() <= 64
}

/// A field that holds a role, a permission or an owner (`role`, `is_admin`, `permissions`,
/// `access_level`, `owner`).
fn access_field(k: &str) -> bool {
    crate::classify::name::words(k).iter().any(|w| {
        matches!(
            w.as_str(),
            "role"
                | "roles"
                | "permission"
                | "permissions"
                | "privilege"
                | "privileges"
                | "admin"
                | "superuser"
                | "owner"
                | "scopes"
                | "access"
                | "acl"
                | "groups"
        )
    })
}

/// Verbs of a flag that changes access.
const ACCESS: &[&str] = &[
    "grant",
    "revoke",
    "set",
    "assign",
    "add",
    "elevate",
    "promote",
    "impersonate",
    "sudo",
];

/// Judges one flag's name: an access verb (with a role word, or `grant`/`revoke` alone), an
/// attack, or a change; nothing when a word holds it back or makes it a filter.
fn change_named(ctx: &mut Ctx, name: &str, shown: &str) {
    const CHANGES: &[&str] = &[
        "fix",
        "autofix",
        "apply",
        "write",
        "merge",
        "close",
        "deactivate",
        "approve",
        "renew",
        "deploy",
        "publish",
        "share",
        "remediate",
        "execute",
        "exec",
        "install",
        "upgrade",
        "overwrite",
        "commit",
        "push",
        "upload",
        "submit",
        "create",
        "update",
        "modify",
        "edit",
        "rename",
        "move",
        "archive",
        "restart",
        "reboot",
        "rollback",
        "migrate",
        "import",
        "replace",
        "reset",
        "enable",
        "disable",
        "lock",
        "unlock",
        "ban",
        "block",
        "kick",
        "invite",
        "trigger",
        "monitor",
        "send",
        "post",
        "transfer",
        "refund",
        "pay",
        "charge",
        "cancel",
        "suspend",
        "restore",
        "sync",
        "save",
        "store",
        "inplace",
        "unpublish",
    ];
    const ATTACKS: &[&str] = &[
        "exploit",
        "attack",
        "prune",
        "kill",
        "terminate",
        "shutdown",
    ];
    // Filters, dry runs, questions and flags that hold the change back.
    const HELD: &[&str] = &[
        "no", "not", "dont", "never", "skip", "without", "dry", "preview", "simulate", "check",
        "include", "show", "with", "only", "is", "was", "has", "can", "allow", "allowed", "count",
        "filter", "if", "when", "since", "by", "state", "status", "sort", "order", "plan", "test",
        "validate", "verify", "diff",
    ];
    let words = crate::classify::name::words(name);
    if words.iter().any(|w| HELD.contains(&w.as_str())) || words.len() > 6 {
        return;
    }
    let has = |list: &[&str]| words.iter().any(|w| list.contains(&w.as_str()));
    let roles = words.iter().any(|w| {
        matches!(
            w.as_str(),
            "role" | "roles" | "permission" | "permissions" | "admin" | "owner" | "access"
        )
    });
    if (has(ACCESS) && roles) || words.iter().any(|w| w == "grant" || w == "revoke") {
        ctx.add(Admin, format!("{shown} changes access under a read's name"));
    } else if has(ATTACKS) {
        ctx.add(
            Destructive,
            format!("{shown} asks a read to attack or remove what it finds"),
        );
    } else if has(CHANGES) {
        ctx.add(
            Mutating,
            format!("{shown} asks a read to change what it reads"),
        );
    }
}

/// A flag's value that turns it on: `true`, `1`, or a string saying so (`"true"`, `"yes"`,
/// `"on"`, `"1"`, in any case and padding).
fn set_true(v: &Value) -> bool {
    match v {
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_i64() == Some(1),
        Value::String(s) => matches!(
            s.trim().to_ascii_lowercase().as_str(),
            "true" | "yes" | "on" | "1"
        ),
        _ => false,
    }
}
