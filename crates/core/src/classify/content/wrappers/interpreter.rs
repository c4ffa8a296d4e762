//! Interpreters (`python -c`, `node -e`, `perl -e`, a script or module, code on stdin): what
//! code they run and from where.

use super::super::args::opt_value;
use super::super::shell::{Input, Sh};
use super::{leading_short, run_code_text, run_command_text, stdin_code};
use crate::Effect::{Admin, Destructive, Mutating, Read};

pub(crate) fn run_interpreter(
    sh: &mut Sh,
    name: &str,
    lang: &str,
    args: &[String],
    stdin: &Input,
    cmd: &str,
) -> Input {
    let out = Input::output_of(name);
    // `-v` prints the version only for node, perl and php; python's `-v` is verbose mode and
    // still runs the program on stdin (`echo 'import shutil…' | python3 -v`).
    let version_flag = |a: &str| {
        matches!(a, "--version" | "-V" | "--help" | "-h")
            || (a == "-v" && matches!(lang, "js" | "perl" | "php"))
    };
    if args.len() == 1 && args.iter().all(|a| version_flag(a)) {
        sh.add(Read, format!("{cmd} prints its version"));
        return out;
    }
    let code_flags: &[&str] = match lang {
        "python" => &["-c"],
        "js" => &["-e", "--eval", "-p", "--print", "eval"],
        "perl" => &["-e", "-E"],
        "ruby" | "lua" | "r" | "applescript" | "tcl" => &["-e"],
        "php" => &["-r"],
        // Julia's `--eval` and `-E`/`--print` (evaluate and print), Erlang's `-eval` (the
        // twenty-first sets).
        _ => &["-e", "-c", "--eval", "-eval", "-E", "--print"],
    };
    // `python3 -c'CODE'`, `perl -ne'CODE'`, `php -r'CODE'`: the code attached to its flag is
    // the spaced form's (`-c CODE`), as the interpreters' option parsers take it.
    if let Some(spaced) = attached_code(lang, code_flags, args) {
        return run_interpreter(sh, name, lang, &spaced, stdin, cmd);
    }
    if lang == "awk" {
        super::super::catalogue::awk_commands(sh, args);
        return super::super::tools::awk(sh, args, cmd, out);
    }
    if matches!(lang, "perl" | "ruby") && leading_short(args, 'i') {
        sh.add(Mutating, format!("{cmd} edits files in place"));
        // `-ne ''`, `-pe '$_=""'`: every line printed as nothing empties the files.
        let code: String = super::super::args::opt_value(args, &["-e", "-E"], &[])
            .unwrap_or("x")
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let prints = leading_short(args, 'p');
        if (!prints && matches!(code.as_str(), "" | "next" | "0" | "1"))
            || (prints && matches!(code.as_str(), "$_=\"\"" | "$_=''" | "$_=\"\";" | "$_='';"))
        {
            sh.add(
                Destructive,
                format!("{cmd} prints nothing into the files it edits in place, emptying them"),
            );
        }
        let paths = args.iter().filter(|a| a.starts_with(['/', '~', '.']));
        if let Some((e, why)) = paths
            .filter_map(|a| super::super::args::write_risk(a, false))
            .next()
        {
            sh.add(e, format!("{cmd} edits {why} in place"));
        }
    }
    // `node -r ./x.js -e …`, `--import`, `--loader`: a module runs before the code shown.
    if lang == "js" {
        super::super::tasks::preloads(sh, args, cmd);
    }
    // `-c code`, clusters like `-ne code`, `deno eval code`.
    let mut it = args.iter().enumerate();
    while let Some((i, a)) = it.next() {
        let is_code_flag = code_flags.contains(&a.as_str())
            || (a.starts_with('-')
                && !a.starts_with("--")
                && a.chars().skip(1).all(|c| c.is_ascii_alphabetic())
                && code_flags
                    .iter()
                    .any(|f| f.len() == 2 && f.get(1..).is_some_and(|c| a.ends_with(c))));
        if is_code_flag {
            let code = args.get(i + 1).map(String::as_str).unwrap_or("");
            if super::super::shell::computed(code) {
                sh.add(
                    Destructive,
                    format!("{cmd} runs {lang} code computed at run time"),
                );
                return out;
            }
            // The code decides: at least mutating unless it provably only computes.
            run_code_text(sh, lang, code, &format!("`{name} {a}`"));
            // Perl's `<>` opens a file operand named `cmd|` or `|cmd` as a command.
            if let Some(f) = (lang == "perl")
                .then(|| {
                    args.get(i + 2..)
                        .unwrap_or_default()
                        .iter()
                        .find(|f| f.contains('|'))
                })
                .flatten()
            {
                run_command_text(
                    sh,
                    f.trim_matches(|c: char| c == '|' || c.is_whitespace()),
                    "a perl file operand opened as a command",
                );
                sh.add(Destructive, format!("{cmd} opens `{f}` as a command"));
            }
            return out;
        }
        if lang == "python" && a == "-m" {
            let module = args.get(i + 1).map(String::as_str).unwrap_or("");
            let rest = args.get(i + 2..).unwrap_or_default();
            if module == "pip" {
                return super::super::tools::run(sh, "pip", rest, stdin, cmd);
            }
            // `python3 -m IPython -c CELL` is `ipython -c CELL` (the twenty-third sets).
            if module == "IPython" {
                // `ipython -m IPython …` is `ipython …`: skipped in place, not one more
                // level (and one more reason spelling the whole line) per repetition.
                if name.starts_with("ipython") {
                    it.next();
                    continue;
                }
                sh.add(Mutating, format!("{cmd} runs IPython"));
                return run_interpreter(sh, "ipython", lang, rest, stdin, cmd);
            }
            // Modules that are command-line programs of their own: judged as those programs
            // (`python3 -m sqlite3 db 'DROP …'`, `-m zipfile -e x.zip /`, `-m tarfile -e`).
            // `-m tarfile -v -e x.tar /`: the operation may follow other options.
            // `-e`, `--extract`, or a cluster ending in it (`-ve`); its two operands follow
            // (a `--` between them aside).
            let op = rest.iter().position(|a| {
                a == "--extract"
                    || (a.starts_with('-')
                        && !a.starts_with("--")
                        && a.ends_with('e')
                        && a.chars().skip(1).all(|c| c.is_ascii_alphabetic()))
            });
            let operands: Vec<String> = op
                .map(|i| {
                    rest.iter()
                        .skip(i + 1)
                        .filter(|a| *a != "--")
                        .take(2)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default();
            let extract = (operands.len() == 2).then_some(operands.as_slice());
            let as_program: Option<Vec<String>> = match (module, extract) {
                ("sqlite3", _) => Some(
                    std::iter::once("sqlite3".to_string())
                        .chain(rest.iter().cloned())
                        .collect(),
                ),
                ("zipfile", Some([src, dest])) => Some(vec![
                    "unzip".into(),
                    "-o".into(),
                    src.clone(),
                    "-d".into(),
                    dest.clone(),
                ]),
                ("tarfile", Some([src, dest])) => Some(vec![
                    "tar".into(),
                    "-xf".into(),
                    src.clone(),
                    "-C".into(),
                    dest.clone(),
                ]),
                _ => None,
            };
            if let Some(argv) = as_program {
                sh.add(Mutating, format!("{cmd} runs module `{module}`"));
                return super::run_argv(sh, &argv, stdin, &format!("`{name} -m {module}`"));
            }
            // `python3 -m timeit -s SETUP STMT…`: the setup and the statements are Python that
            // it runs.
            if module == "timeit" {
                let mut code = Vec::new();
                let mut words = rest.iter();
                while let Some(w) = words.next() {
                    // `-s CODE`, `-sCODE`, a cluster (`-vs CODE`, `-vsCODE`).
                    let setup_at = w
                        .strip_prefix('-')
                        .filter(|f| !f.starts_with('-'))
                        .and_then(|f| {
                            f.find('s')
                                .filter(|&i| {
                                    f.get(..i)
                                        .is_some_and(|p| p.chars().all(|c| matches!(c, 'v' | 'p')))
                                })
                                .map(|i| i + 2)
                        });
                    if matches!(w.as_str(), "--setup") {
                        code.extend(words.next().cloned());
                    } else if let Some(at) = setup_at {
                        match w.get(at..).filter(|v| !v.is_empty()) {
                            Some(v) => code.push(v.to_string()),
                            None => code.extend(words.next().cloned()),
                        }
                    } else if let Some(v) = w.strip_prefix("--setup=") {
                        code.push(v.to_string());
                    } else if matches!(
                        w.as_str(),
                        "-n" | "--number" | "-r" | "--repeat" | "-u" | "--unit"
                    ) {
                        let _ = words.next();
                    } else if !w.starts_with('-') {
                        code.push(w.clone());
                    }
                }
                sh.add(Mutating, format!("{cmd} runs the statements it times"));
                run_code_text(
                    sh,
                    "python",
                    &code.join("\n"),
                    &format!("`{name} -m timeit`"),
                );
                return out;
            }
            // `json.tool in out` writes `out`; `pydoc` imports (runs) what it documents.
            let operands: Vec<&String> = rest.iter().filter(|a| !a.starts_with('-')).collect();
            // `python3 -m http.server --directory ~/.ssh`: a credential store served to anyone
            // who can reach the port.
            if module == "http.server"
                && let Some(dir) = opt_value(rest, &["-d"], &["--directory"])
                    .filter(|d| super::super::args::runs_later(&format!("{d}/")).is_some())
            {
                sh.add(
                    Admin,
                    format!("{cmd} serves `{dir}`, a credential store, over the network"),
                );
            }
            if module == "json.tool" && operands.len() >= 2 {
                if let Some(out) = operands.get(1) {
                    super::super::catalogue::write_path(sh, out, cmd);
                }
            } else if matches!(
                module,
                "json.tool" | "site" | "this" | "tabnanny" | "py_compile" | "compileall"
            ) {
                sh.add(Read, format!("{cmd} runs a read-only module"));
            } else {
                sh.add(Mutating, format!("{cmd} runs module `{module}`"));
            }
            return out;
        }
        if !a.starts_with('-') {
            if matches!(a.as_str(), "run" | "test" | "install" | "add" | "x")
                && matches!(name, "bun" | "deno")
            {
                sh.add(Mutating, format!("{cmd} runs a project script"));
                return out;
            }
            // `python3 /dev/stdin <<< 'import os; …'`: the script is the input (the
            // twenty-first sets).
            // It only raises: a script path is not proven, so the floor stays mutating.
            if STDIN_PATHS.contains(&a.as_str()) {
                sh.add(Mutating, format!("{cmd} runs a script read from its input"));
                stdin_code(sh, stdin, cmd, Some(lang));
                return out;
            }
            match sh.written_content(a) {
                Some(Some(code)) => {
                    run_code_text(sh, lang, &code, &format!("script `{a}` written above"))
                }
                Some(None) => sh.add(
                    Destructive,
                    format!("{cmd} runs `{a}`, written above with content that cannot be seen"),
                ),
                None => sh.add(
                    Mutating,
                    format!("{cmd} runs script `{a}` whose content is not visible"),
                ),
            }
            return out;
        }
        // Options that take the next word as their value, by language (Python's `-I` and
        // `-x` take none: read as taking one, the code after them was taken for a script).
        let takes_value = match lang {
            "python" => matches!(a.as_str(), "-W" | "-X" | "--check-hash-based-pycs"),
            "php" => false,
            "js" => matches!(
                a.as_str(),
                "-r" | "--require"
                    | "--import"
                    | "--loader"
                    | "--experimental-loader"
                    | "-C"
                    | "--conditions"
                    | "--title"
            ),
            "ruby" => matches!(a.as_str(), "-I" | "-r" | "-C" | "-E" | "--encoding"),
            _ => matches!(
                a.as_str(),
                "-W" | "-X" | "-I" | "-r" | "--require" | "-M" | "-x"
            ),
        };
        if takes_value {
            let _ = it.next();
        }
    }
    stdin_code(sh, stdin, cmd, Some(lang));
    out
}

/// The arguments with a code flag's attached code (`-cCODE`, `-neCODE`) split off into the
/// next word; `None` if no option word before the first operand has code attached. A code
/// flag's letter is taken after letters that take no value only (`-n`, `-p`, `-l`, `-a`).
fn attached_code(lang: &str, code_flags: &[&str], args: &[String]) -> Option<Vec<String>> {
    if matches!(lang, "awk" | "other") {
        return None;
    }
    let no_value: &str = match lang {
        "python" => "bBdEiIOqsSuvx",
        "perl" => "nplawsTtWX",
        "ruby" => "nplawsdv",
        _ => "",
    };
    let letters: Vec<char> = code_flags
        .iter()
        .filter(|f| f.len() == 2 && f.starts_with('-'))
        .filter_map(|f| f.chars().nth(1))
        .collect();
    let mut out: Vec<String> = Vec::with_capacity(args.len() + 1);
    let mut changed = false;
    let mut options = true;
    for a in args {
        let split = (options && !changed && a.starts_with('-') && !a.starts_with("--"))
            .then(|| {
                let body = a.get(1..)?;
                let at = body.find(|c: char| !no_value.contains(c))?;
                let letter = body.get(at..)?.chars().next()?;
                let code = body.get(at + letter.len_utf8()..)?;
                (letters.contains(&letter) && !code.is_empty()).then(|| {
                    (
                        format!("-{}", body.get(..at + letter.len_utf8()).unwrap_or("")),
                        code,
                    )
                })
            })
            .flatten();
        match split {
            Some((flag, code)) => {
                out.push(flag);
                out.push(code.to_string());
                changed = true;
            }
            None => {
                options &= a.starts_with('-') && a != "--";
                out.push(a.clone());
            }
        }
    }
    changed.then_some(out)
}

/// Paths that name the standard input.
pub(crate) const STDIN_PATHS: &[&str] = &[
    "/dev/stdin",
    "/dev/fd/0",
    "/proc/self/fd/0",
    "/proc/thread-self/fd/0",
];
