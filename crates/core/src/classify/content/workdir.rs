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
    "${tmp",
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
    // Nothing is allocated: this runs for every directory a `cd` in a git line names.
    let mut d = dir.trim().trim_matches(['"', '\'']).as_bytes();
    // `//tmp/x` is `/tmp/x` (the review of the twenty-third sets).
    while let Some(rest) = d.strip_prefix(b"/").filter(|r| r.starts_with(b"/")) {
        d = rest;
    }
    let at = |i: usize, w: &str| {
        d.get(i..i + w.len())
            .is_some_and(|x| x.eq_ignore_ascii_case(w.as_bytes()))
    };
    UNTRUSTED.iter().any(|p| {
        // `${TMPDIR:-/tmp}` names the same place as `$TMPDIR` (the review).
        at(0, p) && matches!(d.get(p.len()), None | Some(b'/' | b'\\' | b'}' | b':'))
        // Every marker below starts with a separator: only those positions are compared (this
        // runs for every string field of every tool's input).
    }) || d.iter().enumerate().any(|(i, c)| match c {
        b'/' => {
            at(i, "/downloads") && matches!(d.get(i + 10), None | Some(b'/'))
                || at(i, "/appdata/local/temp")
        }
        b'\\' => at(i, "\\appdata\\local\\temp"),
        _ => false,
    })
}

/// The untrusted directory a shell line changes to (`cd /tmp/x`, `pushd /tmp/x`,
/// `cd -- /tmp/x`), when it does. The line's text is scanned, not walked: a `cd` anywhere in
/// it counts, which only raises.
pub(crate) fn cd_untrusted(line: &str) -> Option<String> {
    // This runs for every git command: one pass over the bytes, a word compared only where
    // a `c` or `p` starts one.
    let b = line.as_bytes();
    let sep =
        |c: u8| c.is_ascii_whitespace() || matches!(c, b';' | b'&' | b'|' | b'(' | b')' | b'{');
    for i in 0..b.len() {
        let Some(&c) = b.get(i) else {
            break;
        };
        if !(c == b'c' || c == b'p' || c == b'e')
            || (i > 0 && !b.get(i - 1).is_some_and(|p| sep(*p)))
        {
            continue;
        }
        let Some(kw) = ["cd", "pushd", "chdir", "env"].into_iter().find(|kw| {
            b.get(i..i + kw.len()) == Some(kw.as_bytes())
                && b.get(i + kw.len())
                    .is_some_and(|c| *c == b' ' || *c == b'\t')
        }) else {
            continue;
        };
        let rest = line.get(i + kw.len()..).unwrap_or("");
        let mut words = rest
            // `${TMPDIR}/x` is one word: its brace separates nothing (the review).
            .split(|c: char| c.is_ascii() && c != '{' && sep(c as u8))
            .filter(|w| !w.is_empty());
        // `cd -P /tmp/x` and `cd -L -- /tmp/x`: the options are no directory; `env -C
        // /tmp/x git …` and `env --chdir=/tmp/x` change to one (the review).
        let d = if kw == "env" {
            let mut found = None;
            while let Some(w) = words.next() {
                if !w.starts_with('-') {
                    break;
                }
                if w == "-C" || w == "--chdir" {
                    found = words.next();
                    break;
                }
                if let Some(v) = w.strip_prefix("--chdir=").or_else(|| w.strip_prefix("-C")) {
                    found = Some(v);
                    break;
                }
            }
            found
        } else {
            words.find(|w| !w.starts_with('-') || w.len() == 1)
        };
        if let Some(d) = d {
            // `"/t"mp/x` is `/tmp/x` to the shell.
            let unquoted;
            let d = if d.contains(['"', '\'', '\\']) {
                unquoted = d.replace(['"', '\'', '\\'], "");
                unquoted.as_str()
            } else {
                d
            };
            if untrusted_dir(d) {
                return Some(d.to_string());
            }
            // `d=/tmp/x; cd $d`, `cd "${d}"/y`, `cd //tmp/x`, `cd $(mktemp -d)` (the
            // twenty-first sets): gated on the first byte, so a plain directory costs nothing.
            if d.starts_with(['$', '/', '`'])
                && let Some(found) = resolved(line.get(..i).unwrap_or(""), d, rest)
            {
                return Some(found);
            }
        }
    }
    None
}

/// A `cd` operand that names an untrusted directory once a variable assigned earlier in the
/// line is put in (`d=/tmp/x; cd $d`, `export D=…`), doubled or `.` path parts are dropped
/// (`//tmp/x`, `/./tmp/x`), or `mktemp` makes it (`cd $(mktemp -d)`, whose directory is in
/// `$TMPDIR` or `/tmp`).
fn resolved(before: &str, d: &str, rest: &str) -> Option<String> {
    resolved_in(before, d, rest, 0)
}

/// [`resolved`], `depth` variables deep.
fn resolved_in(before: &str, d: &str, rest: &str, depth: usize) -> Option<String> {
    let r = rest.trim_start().trim_start_matches(['"', '\'']);
    if r.starts_with("$(mktemp") || r.starts_with("`mktemp") {
        return Some("$(mktemp …)".to_string());
    }
    if d.starts_with('/') {
        if !(d.contains("//") || d.contains("/./") || d.contains("/..")) {
            return None;
        }
        // `/srv/../tmp/x` is `/tmp/x` (the review): parts resolved as the kernel does.
        let mut parts: Vec<&str> = Vec::new();
        for seg in d.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        let clean = format!("/{}", parts.join("/"));
        return untrusted_dir(&clean).then_some(clean);
    }
    // `$d`, `${d}`, `$d/x`, `${d}/x`.
    let body = d.strip_prefix('$')?;
    let (name, tail) = match body.strip_prefix('{') {
        Some(b) => {
            let end = b.find(['}', ':', '-', '/'])?;
            let tail = b.get(end..)?.split_once('}').map_or("", |(_, t)| t);
            (b.get(..end)?, tail)
        }
        None => {
            let end = body
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(body.len());
            (body.get(..end)?, body.get(end..).unwrap_or(""))
        }
    };
    if name.is_empty() {
        return None;
    }
    let value = assigned(before, name)?;
    let full = format!("{value}{tail}");
    if untrusted_dir(&full) {
        return Some(full);
    }
    // `x=/tmp; y=$x/evil; cd $y`: a value that names another variable, a few levels deep.
    if full.starts_with('$') && depth < 4 {
        return resolved_in(before, &full, "", depth + 1);
    }
    None
}

/// The value last assigned to `name` in `text` (`name=v`, `export name=v`, `local name="v"`).
fn assigned<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let b = text.as_bytes();
    text.match_indices(name)
        .filter(|(at, _)| {
            (*at == 0
                || b.get(at - 1).is_some_and(|c| {
                    c.is_ascii_whitespace() || matches!(c, b';' | b'&' | b'|' | b'(' | b'{')
                }))
                && b.get(at + name.len()) == Some(&b'=')
        })
        .filter_map(|(at, _)| {
            let v = text.get(at + name.len() + 1..)?;
            let v = match v.strip_prefix(['"', '\'']) {
                Some(q) => q.split(['"', '\'']).next()?,
                None => v
                    .split(|c: char| c.is_ascii_whitespace() || matches!(c, ';' | '&' | '|' | ')'))
                    .next()?,
            };
            Some(v)
        })
        .last()
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
    "current_directory",
    "current_dir",
    "chdir",
    "project_dir",
    "project_root",
    "base_dir",
    "root_dir",
];

/// Programs whose read runs what their directory holds: git's repository config, and the
/// code of infrastructure tools (the twenty-third sets).
const CODE_READERS: &[&str] = &[
    "git",
    "terraform",
    "tofu",
    "opentofu",
    "terragrunt",
    "pulumi",
    "ansible",
    "vagrant",
];

/// A git tool (`git_status`, `git_log`), or a tool whose command runs git, pointed at an
/// untrusted directory by a field of its input.
pub(crate) fn analyse(ctx: &mut Ctx, tool: &str, map: &Map<String, Value>) {
    // `repoPath`, `working-directory` and `currentDirectory` are the same keys (the review).
    // Compared without building a string, and before the value is scanned (issue 14: every
    // string of every tool's input was scanned for a temporary directory, 2 KB of prose
    // 20,000 instructions, whatever its key).
    let squeezed = |s: &'static str| s.bytes().filter(|c| !matches!(c, b'_' | b'-'));
    let dir_key = |k: &str| {
        let k = k
            .as_bytes()
            .iter()
            .filter(|c| !matches!(c, b'_' | b'-'))
            .map(u8::to_ascii_lowercase);
        DIR_KEYS.iter().any(|n| squeezed(n).eq(k.clone()))
    };
    let Some((key, dir)) = map.iter().find_map(|(k, v)| {
        let d = v.as_str()?;
        (dir_key(k) && untrusted_dir(d)).then_some((k.to_ascii_lowercase(), d))
    }) else {
        return;
    };
    // Infrastructure tools read code there too (the twenty-third sets: `terraform_plan
    // {"directory": "/tmp/x"}` runs its external data sources and providers).
    let gitish = |s: &str| {
        s.to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .any(|w| CODE_READERS.contains(&w))
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
                "`{tool}` runs git or an infrastructure tool in `{dir}` (`{key}`), a temporary or download directory whose repository config or code can run commands"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directory_keys_in_every_spelling() {
        // `DIR_KEYS` are compared without `_` and `-`, in any case: they must be written
        // lower-case and without `-` for that to hold.
        assert!(
            DIR_KEYS
                .iter()
                .all(|k| !k.contains('-') && k.to_ascii_lowercase() == *k)
        );
        let runs = |key: &str| {
            let map = serde_json::json!({key: "/tmp/x", "command": "git status"});
            let mut ctx = Ctx::new();
            analyse(&mut ctx, "run", map.as_object().unwrap_or(&Map::new()));
            ctx.max_effect().is_some()
        };
        for k in [
            "cwd",
            "repoPath",
            "repo-path",
            "REPO_PATH",
            "working-Directory",
            "re_po",
            "path_",
        ] {
            assert!(runs(k), "{k}");
        }
        for k in ["title", "repos", "pathx", "cw", "répo", ""] {
            assert!(!runs(k), "{k}");
        }
    }

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
