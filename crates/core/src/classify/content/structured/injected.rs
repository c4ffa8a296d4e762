//! Fields a server may put in a shell line (`kubectl get pods -n ${ns}`): what a value adds
//! to the line runs with it.

use super::super::{Ctx, shell, snippet};

/// A server that builds a shell line from its fields runs what a value adds: a
/// substitution, a `;`, `|` or `&` before a program (`{"namespace": "prod; kubectl delete ns
/// prod"}`), a redirection to a path, a line after a newline that starts with a program (a
/// manifest's `kind: …` lines do not). The words are judged as that line too, those values
/// last so the command's own options stay on its first line, and in the fields' own order.
pub(super) fn judge_line(ctx: &mut Ctx, program: &str, argv: &[String]) {
    let known = |t: &str| {
        t.split_whitespace()
            .next()
            .is_some_and(|p| super::super::catalogue::is_known(shell::program_name(p)))
    };
    let injected = |w: &String| {
        w.contains('`')
            || w.contains("$(")
            || w.contains("<(")
            || w.contains(">(")
            // A separator followed by a program (`fix|feat` and `Tom & Jerry` are text).
            || w.match_indices([';', '|', '&']).any(|(i, _)| {
                known(
                    w.get(i..)
                        .unwrap_or("")
                        .trim_start_matches([';', '|', '&', ' ', '\t']),
                )
            })
            // A separator given as a word of its own (`{"flags": "-o name | xargs …"}`).
            || matches!(w.as_str(), ";" | "|" | "||" | "&" | "&&")
            // A redirection to a path (`x > /etc/cron.d/job`).
            || w.match_indices('>').any(|(i, _)| {
                w.get(i + 1..)
                    .unwrap_or("")
                    .trim_start_matches(['>', ' ', '|'])
                    .starts_with(['/', '~', '.', '$'])
            })
            || w.split('\n').skip(1).any(known)
    };
    if argv.iter().skip(1).any(injected) {
        let (plain, values): (Vec<&String>, Vec<&String>) = argv.iter().partition(|w| !injected(w));
        let reordered = plain
            .into_iter()
            .chain(values)
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join(" ");
        // In the fields' own order too: a separator word leads the words after it.
        for line in [reordered, argv.join(" ")] {
            ctx.via(
                format!("{} read as the shell line {}", program, snippet(&line)),
                |ctx| shell::analyse(ctx, &line, 1),
            );
        }
    }
}
