//! curl's options that read or write files through its text templates: `--variable` (a file
//! or an environment variable, expanded into the URL, headers or data by `--expand-*`) and
//! `-w`/`--write-out` (`%output{FILE}` sends the rest of the format to a file).

use super::super::args::{self, opt_values};
use super::super::catalogue::write_path_to;
use super::super::shell::Sh;
use crate::Effect::{Admin, Mutating};

/// `--variable k@FILE` or `--variable %ENV` expanded into the request (`--expand-url`,
/// `--expand-header`, `--expand-data`, …) sends what it read.
pub(crate) fn variables(sh: &mut Sh, args: &[String], cmd: &str) {
    let expanded = args.iter().any(|a| a.starts_with("--expand-"));
    if !expanded {
        return;
    }
    for v in opt_values(args, &[], &["--variable"]) {
        // `%NAME` or `%NAME=default`: the environment's value; `name@FILE`: the file's
        // content; `name=text`: the text itself.
        if let Some(env) = v.strip_prefix('%') {
            let name = env.split(['=', '@']).next().unwrap_or(env);
            if args::sent_secret_variable(name) {
                sh.add(
                    Admin,
                    format!("{cmd} sends the secret variable `{name}` (`--variable`, expanded)"),
                );
            }
            continue;
        }
        let file = match (v.find('@'), v.find('=')) {
            (Some(at), eq) if eq.is_none_or(|eq| at < eq) => v.get(at + 1..).unwrap_or(""),
            _ => continue,
        };
        if let Some(f) = sh.secret_file(file.trim()) {
            sh.add(
                Admin,
                format!("{cmd} sends the secret file `{f}` (`--variable`, expanded)"),
            );
        } else if file.trim() == "-" {
            sh.add(
                Mutating,
                format!("{cmd} sends what it reads on its input (`--variable`, expanded)"),
            );
        }
    }
}

/// `-w '%output{FILE}…'` writes the rest of the format to FILE (`%output{>>FILE}` appends);
/// `-w @FILE` takes the format from a file this classifier does not see.
pub(crate) fn write_out(sh: &mut Sh, args: &[String], cmd: &str) {
    for format in opt_values(args, &["-w"], &["--write-out"]) {
        if format.starts_with('@') {
            sh.add(
                Mutating,
                format!("{cmd} takes its `--write-out` format from a file not seen"),
            );
            continue;
        }
        let mut rest = format;
        while let Some(at) = rest.find("%output{") {
            let after = rest.get(at + "%output{".len()..).unwrap_or("");
            let (target, tail) = after.split_once('}').unwrap_or((after, ""));
            let (append, path) = match target.strip_prefix(">>") {
                Some(p) => (true, p),
                None => (false, target),
            };
            write_path_to(sh, path.trim(), append, &format!("{cmd} (`--write-out`)"));
            rest = tail;
        }
    }
}
