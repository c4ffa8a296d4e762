//! git run in a directory that anyone, or any download, may have filled (docs/classifier.md,
//! "The twentieth sets"): `cd /tmp/x && git status`, or a git tool or shell tool whose
//! working-directory field names such a place (`{"repo_path": "/tmp/x"}`, `{"command": "git
//! log", "cwd": "/tmp/x"}`). A repository there brings its own `.git/config`, whose
//! `core.fsmonitor`, `core.pager` or hooks run when git reads it, as with `git -C DIR`
//! (the nineteenth sets). The agent's own working directory, and any other directory, is
//! not judged here: only world-writable temporary places and download folders.

use serde_json::{Map, Value};

use super::Ctx;
use crate::Effect;

/// Prefixes of directories that anyone on the machine, or any download, can fill.
const UNTRUSTED: &[&str] = &[
    "/tmp",
    "/var/tmp",
    "/dev/shm",
    "/private/tmp",
    "/private/var/tmp",
    "/private/var/folders",
    "/var/folders",
    "$tmpdir",
    "${tmpdir",
    "$tmp",
    "${tmp}",
    "~/downloads",
    "$home/downloads",
    "${home}/downloads",
    "%temp%",
    "%tmp%",
    "c:\\windows\\temp",
    "c:/windows/temp",
    "$env:temp",
];

/// Whether `dir` is in a temporary or download directory (`/tmp/x`, `"$TMPDIR/x"`,
/// `/home/u/Downloads/x`, `C:\Users\u\AppData\Local\Temp\x`).
pub(crate) fn untrusted_dir(dir: &str) -> bool {
    let d = dir
        .trim()
        .trim_matches(['"', '\''])
        .to_ascii_lowercase()
        .replace("//", "/");
    UNTRUSTED.iter().any(|p| {
        d.strip_prefix(p)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['/', '\\', '}']))
    }) || d.contains("/downloads/")
        || d.ends_with("/downloads")
        || d.contains("\\appdata\\local\\temp")
        || d.contains("/appdata/local/temp")
}

/// The untrusted directory a shell line changes to (`cd /tmp/x`, `pushd /tmp/x`,
/// `cd -- /tmp/x`), when it does. The line's text is scanned, not walked: a `cd` anywhere in
/// it counts, which only raises.
pub(crate) fn cd_untrusted(line: &str) -> Option<String> {
    if !line.contains("cd") && !line.contains("pushd") {
        return None;
    }
    let words: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || matches!(c, ';' | '&' | '|' | '(' | ')' | '{'))
        .filter(|w| !w.is_empty())
        .take(4096)
        .collect();
    for (i, w) in words.iter().enumerate() {
        if matches!(*w, "cd" | "pushd" | "chdir") {
            let at = if words.get(i + 1) == Some(&"--") {
                i + 2
            } else {
                i + 1
            };
            if let Some(d) = words.get(at)
                && untrusted_dir(d)
            {
                return Some((*d).to_string());
            }
        }
    }
    None
}

/// Keys of a tool's input that name the directory it runs in.
const DIR_KEYS: &[&str] = &[
    "cwd",
    "working_directory",
    "workingdirectory",
    "working_dir",
    "workdir",
    "work_dir",
    "repo_path",
    "repository_path",
    "repo_dir",
    "repository",
    "repo",
    "dir",
    "directory",
    "project_path",
    "path",
];

/// A git tool (`git_status`, `git_log`), or a tool whose command runs git, pointed at an
/// untrusted directory by a field of its input.
pub(crate) fn analyse(ctx: &mut Ctx, tool: &str, map: &Map<String, Value>) {
    let Some((key, dir)) = map.iter().find_map(|(k, v)| {
        let k = k.to_ascii_lowercase();
        let d = v.as_str()?;
        (DIR_KEYS.contains(&k.as_str()) && untrusted_dir(d)).then_some((k, d))
    }) else {
        return;
    };
    let gitish = |s: &str| {
        s.to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| w == "git")
    };
    let runs_git = gitish(tool)
        || map.iter().any(|(k, v)| {
            k != &key
                && matches!(
                    k.to_ascii_lowercase().as_str(),
                    "command" | "cmd" | "script" | "args" | "argv" | "program" | "shell"
                )
                && match v {
                    Value::String(s) => gitish(s),
                    Value::Array(a) => a.iter().filter_map(Value::as_str).any(gitish),
                    _ => false,
                }
        });
    if runs_git {
        ctx.add(
            Effect::Mutating,
            format!(
                "`{tool}` runs git in `{dir}` (`{key}`), a temporary or download directory whose repository config can run commands"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_directories_and_their_twins() {
        assert!(untrusted_dir("/tmp/evil"));
        assert!(untrusted_dir("\"$TMPDIR/x\""));
        assert!(untrusted_dir("/home/u/Downloads/repo"));
        assert!(untrusted_dir("/tmp"));
        assert!(!untrusted_dir("/tmpfiles/x"));
        assert!(!untrusted_dir("/srv/app"));
        assert!(!untrusted_dir("."));
        assert_eq!(
            cd_untrusted("cd /tmp/x && git status").as_deref(),
            Some("/tmp/x")
        );
        assert_eq!(
            cd_untrusted("pushd -- /var/tmp/r; git log").as_deref(),
            Some("/var/tmp/r")
        );
        assert_eq!(cd_untrusted("cd /srv/app && git status"), None);
        assert_eq!(cd_untrusted("git status"), None);
    }
}
