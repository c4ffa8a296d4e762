//! Fields a server may put in a shell line (`kubectl get pods -n ${ns}`): what a value adds
//! to the line runs with it.

use super::super::{Ctx, shell, snippet};
use crate::Effect::{Admin, Destructive};

/// A server that builds a shell line from its fields runs what a value adds. A substitution
/// (`` ` ``, `$(`, `<(`, `>(`) is shell syntax in any text: the line is judged as it is. A
/// separator, a line break or a redirection (`{"namespace": "prod; kubectl delete ns prod"}`)
/// is also text (`{"grep": "fix|feat"}`, `{"author": "Tom & Jerry"}`): the line is judged on
/// its own, and counts only where it removes or changes access. The words are judged with
/// those values last, so the command's own options stay on its first line.
pub(super) fn judge_line(ctx: &mut Ctx, program: &str, argv: &[String]) {
    let substituted =
        |w: &String| w.contains('`') || w.contains("$(") || w.contains("<(") || w.contains(">(");
    let separated = |w: &String| w.contains([';', '|', '&', '\n', '>']);
    let shaped = |w: &String| substituted(w) || separated(w);
    if !argv.iter().skip(1).any(shaped) {
        return;
    }
    let (plain, values): (Vec<&String>, Vec<&String>) = argv.iter().partition(|w| !shaped(w));
    let reordered = plain
        .into_iter()
        .chain(values)
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    let full = argv.iter().skip(1).any(substituted);
    // In the fields' order too when a separator came as a word of its own (`{"flags": "-o
    // name | xargs kubectl delete"}`): it leads the words after it. Otherwise a value's line
    // break would leave the options after it off the command's first line (a manifest
    // before `--dry-run=server`).
    let worded = argv
        .iter()
        .any(|w| matches!(w.as_str(), ";" | "|" | "||" | "&" | "&&"));
    let mut lines = vec![reordered];
    if worded {
        lines.push(argv.join(" "));
    }
    for line in lines {
        let via = format!("{program} read as the shell line {}", snippet(&line));
        if full {
            ctx.via(via, |ctx| shell::analyse(ctx, &line, 1));
        } else {
            removal_or_access(ctx, &via, &line);
        }
    }
}

/// Judges a line on a context of its own (sharing the work budget) and adds its findings
/// only if they remove something or change access.
fn removal_or_access(ctx: &mut Ctx, via: &str, line: &str) {
    let mut c = Ctx::new();
    c.work = ctx.work;
    shell::analyse(&mut c, line, 1);
    ctx.work = c.work;
    if c.exhausted {
        // The shared budget is spent: the caller's next step escalates too.
        ctx.tick(0);
    }
    if let Some(v) = c.verdict()
        && matches!(v.effect, Destructive | Admin)
    {
        for reason in v.reasons {
            ctx.add(v.effect, format!("{reason} (via {via})"));
        }
    }
}
