//! Builtins that set variables without `NAME=value` (`printf -v`, `read`, `mapfile`,
//! `local`, a nameref `declare -n`), and builtins that change what later commands do (`umask`,
//! `hash -p`). A variable set so is judged as `NAME=value` is: `read LD_PRELOAD <<< x.so`
//! preloads as `LD_PRELOAD=x.so` does.

use super::{Input, Sh, program_name};
use crate::Effect;
use crate::classify::content::{args, catalogue};

/// What a value not seen in the text (a terminal's input, a file's) is judged as: a value
/// computed at run time.
const UNSEEN: &str = "$";

/// `-xVALUE` or `-x VALUE` clusters: the options seen (letter, value) and the operands.
/// `takes` lists the letters that take a value; `--` ends the options.
pub(super) fn options(args: &[String], takes: &str) -> (Vec<(char, String)>, Vec<String>) {
    let mut opts = Vec::new();
    let mut operands = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a == "--" {
            operands.extend(it.cloned());
            break;
        }
        let Some(cluster) = a.strip_prefix('-').filter(|c| !c.is_empty()) else {
            operands.push(a.clone());
            continue;
        };
        for (i, c) in cluster.char_indices() {
            if takes.contains(c) {
                let rest = cluster.get(i + c.len_utf8()..).unwrap_or_default();
                let value = if rest.is_empty() {
                    it.next().cloned().unwrap_or_default()
                } else {
                    rest.to_string()
                };
                opts.push((c, value));
                break;
            }
            opts.push((c, String::new()));
        }
    }
    (opts, operands)
}

/// The text a builtin reads from its input, as a variable's value.
fn input_value(stdin: &Input) -> String {
    match stdin {
        Input::Literal(t) => t.trim_end_matches('\n').to_string(),
        Input::None | Input::Unknown(_) => UNSEEN.to_string(),
    }
}

/// A variable's name without an array subscript (`a[0]` is `a`), if it is a name.
fn variable(name: &str) -> Option<&str> {
    let name = name.split_once('[').map_or(name, |(n, _)| n);
    let mut chars = name.chars();
    let first = chars.next()?;
    ((first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
    .then_some(name)
}

impl Sh<'_> {
    /// Judges the variables a builtin sets (`argv` without wrappers such as `command`).
    pub(super) fn variable_builtins(&mut self, argv: &[String], stdin: &Input) {
        let Some((first, rest)) = argv.split_first() else {
            return;
        };
        let set: Vec<(String, String)> = match first.as_str() {
            "printf" => {
                let (opts, operands) = options(rest, "v");
                let value = args::literal_output(
                    &std::iter::once("printf".to_string())
                        .chain(operands)
                        .collect::<Vec<_>>(),
                )
                .unwrap_or_else(|| UNSEEN.to_string());
                opts.into_iter()
                    .filter(|(c, _)| *c == 'v')
                    .map(|(_, n)| (n, value.clone()))
                    .collect()
            }
            "read" => {
                let (opts, mut names) = options(rest, "adinNptu");
                names.extend(opts.into_iter().filter(|(c, _)| *c == 'a').map(|(_, n)| n));
                let value = input_value(stdin);
                names.into_iter().map(|n| (n, value.clone())).collect()
            }
            "mapfile" | "readarray" => {
                let (_, operands) = options(rest, "dnOsuCc");
                let value = input_value(stdin);
                operands
                    .into_iter()
                    .take(1)
                    .map(|n| (n, value.clone()))
                    .collect()
            }
            // `declare -n r=BASH_ENV` makes `r=…` set `BASH_ENV`: judged as setting it to a
            // value not seen here. `local X=v` is `X=v` in a function.
            "declare" | "typeset" | "local" => {
                let nameref = rest
                    .iter()
                    .any(|a| a.strip_prefix('-').is_some_and(|c| c.contains('n')));
                // `declare -n r` then `r=PATH`: the first assignment sets what `r` names.
                // `local -n arr=$1` (a function's argument by name) names a variable not
                // seen here.
                if nameref
                    && rest.iter().any(|a| {
                        !a.starts_with(['-', '+'])
                            && a.split_once('=').is_none_or(|(_, v)| variable(v).is_none())
                    })
                {
                    self.add(
                        Effect::Mutating,
                        format!(
                            "{} makes a name refer to a variable not named here",
                            super::snippet_words(argv)
                        ),
                    );
                }
                rest.iter()
                    .filter(|a| !a.starts_with(['-', '+']))
                    .filter_map(|a| a.split_once('='))
                    .filter_map(|(n, v)| match (nameref, first.as_str()) {
                        (true, _) => variable(v).map(|v| (v.to_string(), UNSEEN.to_string())),
                        (false, "local") => Some((n.to_string(), v.to_string())),
                        (false, _) => None,
                    })
                    .collect()
            }
            // `getopts a PATH -a`: the option letter found is assigned to the name.
            "getopts" => rest
                .get(1)
                .map(|n| (n.clone(), UNSEEN.to_string()))
                .into_iter()
                .collect(),
            "umask" => {
                self.umask(rest);
                return;
            }
            // `hash -p /tmp/evil ls`: a later `ls` runs a program not seen. A known program
            // (`hash -p /bin/rm ls`) is judged where the name is used.
            "hash" => {
                let (opts, _) = options(rest, "p");
                if let Some((_, path)) = opts.iter().find(|(c, _)| *c == 'p')
                    && !catalogue::is_known(program_name(path))
                {
                    self.add(
                        Effect::Admin,
                        format!(
                            "{} binds a command name to `{path}`, a program not seen",
                            super::snippet_words(argv)
                        ),
                    );
                }
                return;
            }
            _ => return,
        };
        for (name, value) in set {
            match variable(&name) {
                Some(name) => args::assignment(self, name, &value, true),
                None => self.add(
                    Effect::Admin,
                    format!(
                        "{} sets a variable whose name is computed at run time (it may be `PATH` or `LD_PRELOAD`)",
                        super::snippet_words(argv)
                    ),
                ),
            }
        }
    }

    /// `umask MODE`: a mask without the others' write bit makes every file created after it
    /// writable by everyone. `umask` alone or `-S`/`-p` alone prints the mask.
    fn umask(&mut self, rest: &[String]) {
        let (_, operands) = options(rest, "");
        let Some(mode) = operands.first() else {
            return;
        };
        let cmd = super::snippet_words(&[String::from("umask"), mode.clone()]);
        match u32::from_str_radix(mode, 8) {
            Ok(m) if m & 0o002 != 0 => {}
            Ok(_) => self.add(
                Effect::Admin,
                format!("{cmd} lets everyone write the files created after it"),
            ),
            Err(_) => self.add(
                Effect::Mutating,
                format!("{cmd} changes the permissions of files created after it"),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(s: &str) -> Vec<String> {
        s.split(' ').map(str::to_string).collect()
    }

    #[test]
    fn option_clusters_and_their_values() {
        let (opts, ops) = options(&strings("-ra arr -p prompt x y"), "adinNptu");
        assert_eq!(
            opts,
            vec![
                ('r', String::new()),
                ('a', "arr".into()),
                ('p', "prompt".into())
            ]
        );
        assert_eq!(ops, strings("x y"));
        let (opts, ops) = options(&strings("-vNAME fmt -- -x"), "v");
        assert_eq!(opts, vec![('v', "NAME".into())]);
        assert_eq!(ops, strings("fmt -x"));
    }

    #[test]
    fn names_and_subscripts() {
        assert_eq!(variable("PATH"), Some("PATH"));
        assert_eq!(variable("a[0]"), Some("a"));
        assert_eq!(variable("$"), None);
        assert_eq!(variable("1x"), None);
        assert_eq!(variable(""), None);
    }
}
