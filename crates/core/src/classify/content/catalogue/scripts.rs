//! Programs whose arguments are scripts in their own language: `sed` (its `e`, `w` and
//! `s///e` commands) and editors (`vim -c ':!cmd'`, `ed` reading `!cmd`).

use super::super::shell::{Input, Sh};
use super::{Scan, write_path};
use crate::Effect::{Destructive, Mutating};

/// Editors run their `-c`/`--cmd`/`+cmd` commands (and `ed`/`ex` their input); a command
/// that starts with `!` (after an optional range) runs a shell.
pub(crate) fn editor(sh: &mut Sh, name: &str, s: &Scan, stdin: &Input) {
    let mut lines: Vec<String> = s
        .found
        .iter()
        .filter(|f| f.flag == "-c" || f.flag == "--cmd")
        .filter_map(|f| f.value.clone())
        .chain(
            s.operands
                .iter()
                .filter_map(|o| o.strip_prefix('+').map(str::to_string)),
        )
        .collect();
    if matches!(name, "ed" | "ex")
        && let Input::Literal(t) = stdin
    {
        lines.extend(t.lines().map(str::to_string));
    }
    for line in &lines {
        let body = line.trim_start().trim_start_matches(':').trim_start();
        let shell = body.split_once('!').filter(|(range, _)| {
            range
                .chars()
                .all(|c| c.is_ascii_digit() || ",.$%'<> ".contains(c))
        });
        if let Some((_, c)) = shell {
            sh.shell_text(c, &format!("`{name}` `!`"));
        } else if ["system(", "call ", "lua ", "py", "silent", "exe"]
            .iter()
            .any(|w| body.contains(w))
        {
            sh.add(
                Mutating,
                format!("`{name}` runs a command `{}`", super::snippet(body)),
            );
        }
    }
}

/// `sed`: a script's `e` command and `s///e` flag run commands, `w`/`W` and `s///w` write
/// files (GNU sed; `--sandbox` refuses them). A script from a file cannot be seen.
pub(crate) fn sed(sh: &mut Sh, args: &[String], s: &Scan, cmd: &str) {
    if s.has(&["-f"]) {
        sh.add(Mutating, format!("{cmd} runs a sed script from a file"));
    }
    let mut scripts: Vec<&str> = s
        .found
        .iter()
        .filter(|f| f.flag == "-e")
        .filter_map(|f| f.value.as_deref())
        .collect();
    if scripts.is_empty() && !s.has(&["-f"]) {
        scripts.extend(s.operands.first().map(String::as_str));
    }
    let sandbox = s.has(&["--sandbox"]);
    for script in scripts {
        for (what, arg) in sed_commands(script) {
            match what {
                SedOp::Exec if sandbox => {}
                SedOp::Write(_) if sandbox => {}
                SedOp::Exec if arg.trim().is_empty() => sh.add(
                    Destructive,
                    format!("{cmd}: sed `e` runs its input as commands (unseen input counts as destructive)"),
                ),
                SedOp::Exec => {
                    sh.add(Mutating, format!("{cmd}: sed `e` runs a command"));
                    sh.shell_text(&arg, "`sed e`");
                }
                SedOp::Write(path) => write_path(sh, &path, &format!("{cmd}: sed `w`")),
                SedOp::Unknown => sh.add(
                    Mutating,
                    format!("{cmd}: sed script {} is not understood (counts as a write)", super::snippet(script)),
                ),
            }
        }
    }
    let _ = args;
}

enum SedOp {
    Exec,
    Write(String),
    Unknown,
}

/// The commands of a sed script that run or write something, with their argument.
fn sed_commands(script: &str) -> Vec<(SedOp, String)> {
    let mut found = Vec::new();
    let mut chars = script.chars().peekable();
    let rest_of_line = |chars: &mut std::iter::Peekable<std::str::Chars>| {
        let mut arg = String::new();
        while let Some(c) = chars.next_if(|c| *c != '\n') {
            arg.push(c);
        }
        arg
    };
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | ';' | '{' | '}' | '!' | ',' | '0'..='9' | '$' | '~' | '+' => {}
            // Addresses: `/re/` and `\cREc`.
            '/' | '\\' => {
                let delim = if c == '\\' {
                    chars.next().unwrap_or('/')
                } else {
                    '/'
                };
                skip_delimited(&mut chars, delim);
                while chars.next_if(|c| *c == 'I' || *c == 'M').is_some() {}
            }
            's' | 'y' => {
                let Some(delim) = chars.next() else {
                    found.push((SedOp::Unknown, String::new()));
                    break;
                };
                skip_delimited(&mut chars, delim);
                skip_delimited(&mut chars, delim);
                if c == 'y' {
                    continue;
                }
                while let Some(f) = chars.next_if(|f| !matches!(f, ';' | '\n' | '}')) {
                    match f {
                        'e' => found.push((SedOp::Exec, String::new())),
                        'w' => {
                            let path = rest_of_line(&mut chars).trim().to_string();
                            found.push((SedOp::Write(path), String::new()));
                        }
                        'g' | 'p' | 'i' | 'I' | 'm' | 'M' | '0'..='9' | ' ' => {}
                        _ => found.push((SedOp::Unknown, String::new())),
                    }
                }
            }
            'e' => {
                let arg = rest_of_line(&mut chars);
                found.push((SedOp::Exec, arg));
            }
            'w' | 'W' => {
                let path = rest_of_line(&mut chars).trim().to_string();
                found.push((SedOp::Write(path), String::new()));
            }
            // Commands that take the rest of the line as text or a file to read.
            'a' | 'i' | 'c' | 'r' | 'R' | 'b' | 't' | 'T' | ':' | 'q' | 'Q' | 'l' | 'L' => {
                let _ = rest_of_line(&mut chars);
            }
            'p' | 'P' | 'd' | 'D' | 'n' | 'N' | 'g' | 'G' | 'h' | 'H' | 'x' | '=' | 'z' | 'F'
            | '#' => {
                if c == '#' {
                    let _ = rest_of_line(&mut chars);
                }
            }
            _ => {
                found.push((SedOp::Unknown, String::new()));
                break;
            }
        }
    }
    found
}

fn skip_delimited(chars: &mut std::iter::Peekable<std::str::Chars>, delim: char) {
    while let Some(c) = chars.next() {
        if c == '\\' {
            let _ = chars.next();
        } else if c == delim {
            return;
        }
    }
}
