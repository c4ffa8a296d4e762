//! The twentieth sets' command rules (docs/classifier.md, "The twentieth sets"): AppleScript's
//! `do shell script` run by `osascript -e` (the command it runs is judged as a shell line's),
//! and `nsupdate` told to delete records (`update delete …`: the name's traffic moves).

use super::super::shell::Sh;
use crate::Effect::Destructive;

pub(super) fn run(sh: &mut Sh, name: &str, args: &[String]) {
    // Every command passes here: others leave at once.
    match name {
        "osascript" => osascript(sh, args),
        "nsupdate" => nsupdate(sh),
        _ => {}
    }
}

/// `osascript -e 'do shell script "rm -rf /srv"'`: the quoted command is a shell line; a
/// command that is not one literal (`do shell script cmd & "x"`) is computed.
fn osascript(sh: &mut Sh, args: &[String]) {
    let scripts: Vec<&str> = args
        .windows(2)
        .filter(|w| w.first().is_some_and(|f| f == "-e"))
        .filter_map(|w| w.get(1).map(String::as_str))
        .collect();
    // Terminal's `do script "…"` runs its text in a shell too, and JavaScript for
    // Automation spells it `doShellScript("…")` (the review).
    let verbs = ["do shell script", "do script", "doshellscript("];
    for s in scripts {
        for verb in verbs {
            let mut rest = s;
            let mut guard = 0;
            while let Some(at) = find_ci(rest, verb) {
                guard += 1;
                if guard > 32 {
                    break;
                }
                let after = rest.get(at + verb.len()..).unwrap_or("");
                let body = after.trim_start();
                let single;
                let body = match body.strip_prefix('\'') {
                    // JavaScript's `'…'` string, read as a double-quoted one.
                    Some(b) if verb.ends_with('(') => {
                        single = format!("\"{}", b.replacen('\'', "\"", 1));
                        single.as_str()
                    }
                    _ => body,
                };
                match literal(body) {
                    Some((text, used))
                        if !continues(body.get(used..).unwrap_or(""))
                            && (!verb.ends_with('(')
                                || !body
                                    .get(used..)
                                    .is_some_and(|a| a.trim_start().starts_with('+'))) =>
                    {
                        sh.shell_text(&text, "osascript `do shell script`");
                    }
                    _ => sh.add(
                        Destructive,
                        "`osascript` runs a shell command computed at run time (`do shell script`)",
                    ),
                }
                rest = after;
            }
        }
    }
}

/// The byte offset of `needle` in `hay`, ignoring ASCII case.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let (h, n) = (hay.as_bytes(), needle.as_bytes());
    (0..h.len().saturating_sub(n.len()) + 1)
        .find(|&i| {
            h.get(i..i + n.len())
                .is_some_and(|w| w.eq_ignore_ascii_case(n))
        })
        .filter(|_| h.len() >= n.len())
}

/// A double-quoted AppleScript string at the start of `s` (`\"` and `\\` escaped), and the
/// bytes it takes.
fn literal(s: &str) -> Option<(String, usize)> {
    let rest = s.strip_prefix('"')?;
    let mut out = String::new();
    let mut chars = rest.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
            }
            '"' => return Some((out, i + 2)),
            _ => out.push(c),
        }
    }
    None
}

/// Whether the text after a literal joins more to it (`& x`, `&x`).
fn continues(after: &str) -> bool {
    after.trim_start().starts_with('&')
}

/// `nsupdate` fed `update delete` (on its line, in a here-string or a piped `echo`).
fn nsupdate(sh: &mut Sh) {
    let line = sh.source().to_ascii_lowercase();
    let deletes = line.split("update").skip(1).any(|rest| {
        let w = rest.trim_start();
        w.starts_with("delete") || w.starts_with("del ")
    });
    if deletes {
        sh.add(
            Destructive,
            "`nsupdate` deletes DNS records (`update delete`: the name's traffic moves)",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn applescript_strings() {
        assert_eq!(
            literal(r#""rm -rf \"/srv\"" & x"#).map(|(t, _)| t),
            Some("rm -rf \"/srv\"".to_string())
        );
        assert_eq!(literal("cmd"), None);
        assert_eq!(find_ci("x DO SHELL SCRIPT y", "do shell script"), Some(2));
        assert_eq!(find_ci("ab", "do shell script"), None);
        assert!(continues(" & \"x\""));
    }
}
