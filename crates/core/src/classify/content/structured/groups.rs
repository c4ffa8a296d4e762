//! A git tool named for a command group (`git_stash`, `git_remote`, `git_worktree`) whose
//! operation comes under a key (the twenty-second sets): `git_stash {"action": "drop"}` is
//! `git stash drop`. The key's word had replaced the name's, so the call read as `git drop`
//! or `git clear` (an alias, mutating) and `git_remote {"action": "add"}` as `git add`.

use super::Program;

/// The group the tool's name puts before the key's words, when they do not start with it.
pub(super) fn git_group(
    program: Program,
    name_rest: &[String],
    words: &[String],
) -> Option<String> {
    if program != Program::Git {
        return None;
    }
    let group = name_rest.iter().find(|w| *w != "git")?;
    let grouped = matches!(
        group.as_str(),
        "stash" | "remote" | "worktree" | "submodule" | "notes" | "bisect" | "lfs" | "reflog"
    );
    (grouped && words.first() != Some(group)).then(|| group.clone())
}
