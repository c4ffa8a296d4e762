//! HTTPie and xh (`http`, `https`, `xh`, `xhs`): what they send besides the request line.
//! Data on their input becomes the body (as `curl --data-binary @-`), a request item naming
//! a file (`f@path` uploads it, `f=@path`, `f:=@path` and `Header:@path` send its content)
//! sends the file (as `curl -F f=@path`), and `--raw` is a body. Only raises.

use super::super::shell::{Input, Sh};
use crate::Effect::{Admin, Mutating};

/// Options whose value is the next word (not a request item).
const VALUED: &[&str] = &[
    "-a",
    "--auth",
    "-A",
    "--auth-type",
    "-o",
    "--output",
    "--session",
    "--session-read-only",
    "-p",
    "--print",
    "-P",
    "--history-print",
    "--pretty",
    "-s",
    "--style",
    "--verify",
    "--cert",
    "--cert-key",
    "--cert-key-pass",
    "--proxy",
    "--timeout",
    "--max-redirects",
    "--boundary",
    "--format-options",
    "--default-scheme",
    "--ssl",
    "--ciphers",
    "--response-charset",
    "--response-mime",
    "--unix-socket",
    "--path-as-is",
    "--bearer",
    "--resolve",
    "--interface",
];

/// True if the input carries data: anything but nothing, a blank literal or `/dev/null`.
fn carries_data(stdin: &Input) -> bool {
    match stdin {
        Input::None => false,
        Input::Literal(t) => !t.trim().is_empty(),
        Input::Unknown(what) => what != "the file `/dev/null`",
    }
}

/// The file a request item names (`f@path`, `f=@path`, `f:=@path`, `Header:@path`), if any.
fn item_file(item: &str) -> Option<&str> {
    let at = item.find('@')?;
    let name = item.get(..at)?;
    let path = item.get(at + 1..)?;
    // The field's name holds no separator but the one right before `@`; a URL's login
    // (`https://u@host`) has `//`.
    let bare = name
        .strip_suffix(":=")
        .or_else(|| name.strip_suffix('='))
        .or_else(|| name.strip_suffix(':'))
        .unwrap_or(name);
    let plain = !bare.is_empty() && !bare.contains(['=', ':', '/', '@']) && !item.contains("://");
    // `f@path;type=text/plain`: the type after the path.
    let path = path.split(';').next().unwrap_or(path);
    (plain && !path.is_empty()).then_some(path)
}

pub(super) fn sends(sh: &mut Sh, args: &[String], stdin: &Input, cmd: &str) {
    let ignore_stdin = args.iter().any(|a| a == "--ignore-stdin" || a == "-I");
    if !ignore_stdin && carries_data(stdin) {
        sh.add(
            Mutating,
            format!("{cmd} sends its input as the request body (as `curl --data-binary @-`)"),
        );
    }
    let mut skip = false;
    let mut operands = 0usize;
    let mut options = true;
    for a in args {
        if std::mem::take(&mut skip) {
            continue;
        }
        if options && a == "--" {
            options = false;
            continue;
        }
        if options && a.starts_with('-') {
            if a == "--raw" || a.starts_with("--raw=") {
                sh.add(Mutating, format!("{cmd} sends a body (`--raw`)"));
                skip = a == "--raw";
            } else {
                skip = VALUED.contains(&a.as_str());
            }
            continue;
        }
        operands += 1;
        // The first operands are the method and the URL; a request item may follow.
        if operands == 1 && !a.contains(['@', '=']) {
            continue;
        }
        if let Some(path) = item_file(a) {
            match sh.secret_file(path) {
                Some(what) => sh.add(Admin, format!("{cmd} sends the secret `{what}`")),
                None => sh.add(Mutating, format!("{cmd} sends the file `{path}`")),
            }
        }
    }
}
