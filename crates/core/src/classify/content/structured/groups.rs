//! A git tool named for a command group (`git_stash`, `git_remote`, `git_worktree`) whose
//! operation comes under a key (the twenty-second sets): `git_stash {"action": "drop"}` is
//! `git stash drop`. The key's word had replaced the name's, so the call read as `git drop`
//! or `git clear` (an alias, mutating) and `git_remote {"action": "add"}` as `git add`.
//!
//! Only a word that is one of the group's own operations is put after the group (the
//! review of the twenty-second sets): with any word, a command line under the key
//! (`git_stash {"action": "list", "command": "rm -rf /srv/data"}`, `git_bisect {"action":
//! "run", "command": "rm -rf /srv/data"}`) read as `git stash rm -rf /srv/data` (a change to
//! the repository, mutating) where it had been `git rm -rf /srv/data` (destructive).

use super::Program;

/// The operations each group takes as its first word (git's own documentation).
fn operations(group: &str) -> &'static [&'static str] {
    match group {
        "stash" => &[
            "list", "show", "drop", "pop", "apply", "push", "save", "clear", "branch", "create",
            "store",
        ],
        "remote" => &[
            "add",
            "rename",
            "remove",
            "rm",
            "set-head",
            "set-branches",
            "get-url",
            "set-url",
            "show",
            "prune",
            "update",
        ],
        "worktree" => &[
            "add", "list", "lock", "move", "prune", "remove", "repair", "unlock",
        ],
        "submodule" => &[
            "add",
            "status",
            "init",
            "deinit",
            "update",
            "set-branch",
            "set-url",
            "summary",
            "foreach",
            "sync",
            "absorbgitdirs",
        ],
        "notes" => &[
            "list", "add", "copy", "append", "edit", "show", "merge", "remove", "prune", "get-ref",
        ],
        "bisect" => &[
            "start",
            "bad",
            "new",
            "good",
            "old",
            "terms",
            "skip",
            "reset",
            "visualize",
            "view",
            "replay",
            "log",
            "run",
        ],
        "lfs" => &[
            "env",
            "ls-files",
            "status",
            "track",
            "untrack",
            "fetch",
            "pull",
            "push",
            "checkout",
            "prune",
            "migrate",
            "install",
            "uninstall",
            "lock",
            "unlock",
            "locks",
            "fsck",
            "logs",
            "pointer",
            "version",
        ],
        "reflog" => &["show", "list", "expire", "delete", "exists"],
        _ => &[],
    }
}

/// The group the tool's name puts before the key's words, when they start with one of the
/// group's operations (and not with the group itself).
pub(super) fn git_group(
    program: Program,
    name_rest: &[String],
    words: &[String],
) -> Option<String> {
    if program != Program::Git {
        return None;
    }
    let group = name_rest.iter().find(|w| *w != "git")?;
    let first = words.first()?;
    operations(group)
        .contains(&first.as_str())
        .then(|| group.clone())
}
