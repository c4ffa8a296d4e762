//! Codex's patch format (`*** Begin Patch` … `*** End Patch`, the `apply_patch` tool and
//! command): each file the patch adds, updates, moves or deletes is judged as the shell
//! commands that would do the same, so a hook, a startup file or a deletion counts as it
//! would in a command line.

use super::shell::{self, Sh};
use super::{Ctx, prefix};
use crate::Effect::Mutating;

const BEGIN: &str = "*** Begin Patch";

/// True if the text is a patch in this format.
pub(crate) fn is_patch(text: &str) -> bool {
    text.trim_start().starts_with(BEGIN)
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
    match as_script(text) {
        Some(script) => ctx.via("a patch", |ctx| shell::analyse(ctx, &script, depth + 1)),
        None => ctx.add(
            Mutating,
            format!(
                "patch: `{}` is not in the patch format (what it changes is not known)",
                prefix(text.trim(), 60)
            ),
        ),
    }
}

/// `apply_patch PATCH` (or the patch on its input): judged as `judge` does.
pub(crate) fn run(sh: &mut Sh, text: &str, cmd: &str) {
    sh.add(Mutating, format!("{cmd} applies a patch to files"));
    match as_script(text) {
        Some(script) => sh.shell_text(&script, "`apply_patch`"),
        None => sh.add(
            Mutating,
            format!("{cmd}: the patch is not in the patch format (what it changes is not known)"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::as_script;

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
