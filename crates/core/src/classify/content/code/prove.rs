//! The proof of read: code in a known language is read only when every name it uses is
//! accounted for — an allowed function or module attribute (`allow.rs`), a method on a value
//! from the allowed list, a keyword, or a name the snippet binds itself — every import is of
//! a module whose import runs nothing, every file it opens is opened for reading, and
//! nothing in it runs hidden code (backticks, `%x{}`, f-string or `#{}` interpolation,
//! `s///e`, `eval`, `getattr`, `__import__`, `require(variable)`, a computed call). Anything
//! else leaves the code at least mutating.

use super::allow::{self, Use};
use super::chains::{self, Chain, Root, Seg};
use super::lex::{Lang, Lexed, Tok};
use crate::classify::content::args;
use std::cell::RefCell;

/// What a proof leaves to the other analysers: the code is read only if these are.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Need {
    /// An argument vector run without a shell (`subprocess.run(['git', 'log'])`).
    Argv(Vec<String>),
    /// SQL text run on a connection (`con.execute('SELECT …')`).
    Sql(String),
    /// A shell command line (a notebook `!` line).
    Shell(String),
}

/// Longest code the proof is tried on.
const MAX_PROOF: usize = 8192;

/// `Ok(needs)` if `code` provably only computes, prints and reads files that hold no secret,
/// provided the commands and SQL in `needs` are read; `Err(why)` otherwise.
pub(crate) fn prove(
    lang: Lang,
    code: &str,
    lx: &Lexed,
    chains: &[Chain],
) -> Result<Vec<Need>, String> {
    let needs = RefCell::new(Vec::new());
    match why_not_with(lang, code, lx, chains, &needs) {
        Some(why) => Err(why),
        None => Ok(needs.into_inner()),
    }
}

/// What keeps `code` from being proven read (`None`: it is read, if its needs are).
#[cfg(test)]
pub(crate) fn why_not(lang: Lang, code: &str, lx: &Lexed, chains: &[Chain]) -> Option<String> {
    why_not_with(lang, code, lx, chains, &RefCell::new(Vec::new()))
}

fn why_not_with(
    lang: Lang,
    code: &str,
    lx: &Lexed,
    chains: &[Chain],
    needs: &RefCell<Vec<Need>>,
) -> Option<String> {
    if lang == Lang::Go && code.len() <= MAX_PROOF {
        return (!super::golang::proves_read(lx, chains)).then(|| "not on the Go read list".into());
    }
    if matches!(lang, Lang::Go | Lang::Other) || code.len() > MAX_PROOF || !lx.clean {
        return Some("no read list, too long, or not tokenized".into());
    }
    // Notebook escapes (`!rm -rf x`, `%%bash`) are shell commands.
    if lang == Lang::Python && code.lines().any(|l| l.trim_start().starts_with(['!', '%'])) {
        return Some("a notebook escape".into());
    }
    if !tokens_ok(lang, lx) {
        return Some("hidden code".into());
    }
    if !imports_ok(lang, lx) {
        return Some("an import".into());
    }
    let (vars, defs) = chains::locals(lx, lang);
    let (aliases, _) = chains::imports(lx, lang);
    let uses_path = lx
        .toks
        .iter()
        .any(|t| matches!(t, Tok::Ident(w) if w == "pathlib" || w == "Path"));
    let skip = module_names(lx, lang);
    let p = Proof {
        lang,
        lx,
        vars: &vars,
        defs: &defs,
        aliases: &aliases,
        uses_path,
        needs,
    };
    chains
        .iter()
        .filter(|c| !skip.contains(&c.at))
        .find(|c| !p.chain(c))
        .map(|c| format!("`{}`", c.path()))
}

/// Tokens that run hidden code.
fn tokens_ok(lang: Lang, lx: &Lexed) -> bool {
    for (i, t) in lx.toks.iter().enumerate() {
        match t {
            Tok::Exec(_) | Tok::Str { code: true, .. } | Tok::Regex { code: true } => return false,
            // `&:sym` calls the method named by the symbol.
            Tok::Punct('&') if lang == Lang::Ruby => {
                if let Some(Tok::Str { text, .. }) = lx.get(i + 1)
                    && !allow::METHODS.contains(&text.as_str())
                {
                    return false;
                }
            }
            // Perl `&$f`, `&{…}`: a call of a computed function.
            Tok::Var(v) if lang == Lang::Perl && v.starts_with('&') => return false,
            Tok::Punct('@') if lang == Lang::Js => return false,
            Tok::Punct('$') if matches!(lang, Lang::Php | Lang::Python) => return false,
            Tok::Punct('`') => return false,
            // A call of a computed value (`x['constructor'](…)`, `(f)(…)`, `F\`…\``).
            Tok::Punct('(')
                if lang != Lang::Python
                    && matches!(lx.get(i.wrapping_sub(1)), Some(Tok::Punct(']' | ')'))) =>
            {
                return false;
            }
            _ => {}
        }
    }
    true
}

/// Imports are of modules whose import runs nothing.
fn imports_ok(lang: Lang, lx: &Lexed) -> bool {
    let (map, modules) = chains::imports(lx, lang);
    if map.iter().any(|(a, f)| a == "*" || f.ends_with(".*")) {
        return false;
    }
    let allowed: &[&str] = match lang {
        Lang::Python => allow::PYTHON_MODULES,
        Lang::Js => allow::JS_MODULES,
        _ => return true,
    };
    // Every `import` statement must have been understood.
    let statements = lx
        .toks
        .iter()
        .enumerate()
        .filter(|(i, t)| {
            matches!(t, Tok::Ident(w) if w == "import" || (w == "require" && lang == Lang::Js))
                && !(lang == Lang::Python
                    && lx.ident(i.wrapping_sub(1)).is_some_and(|p| p != "import")
                    && (0..*i).rev().take(16).any(|k| lx.ident(k) == Some("from")))
        })
        .count();
    statements <= modules.len()
        && modules
            .iter()
            .all(|m| m.as_deref().is_some_and(|m| allowed.contains(&m)))
}

/// Token indices of module names after Perl `use`/`no` (checked here, skipped as chains).
fn module_names(lx: &Lexed, lang: Lang) -> Vec<usize> {
    let mut out = Vec::new();
    // Python `import`/`from … import` and JavaScript `import … from '…'` statements: their
    // modules were checked by `imports_ok`, and their names are bound, not used.
    if matches!(lang, Lang::Python | Lang::Js) {
        let mut i = 0;
        while i < lx.toks.len() {
            let stmt = matches!(lx.ident(i), Some("import" | "from"))
                && !lx.is(i + 1, '(')
                && (i == 0 || lx.line(i - 1) != lx.line(i) || lx.is(i - 1, ';'));
            if stmt {
                let line = lx.line(i);
                let mut k = i;
                while let Some(t) = lx.get(k) {
                    if matches!(t, Tok::Punct(';'))
                        || (lx.line(k) != line
                            && (lang != Lang::Js
                                || matches!(lx.get(k.wrapping_sub(1)), Some(Tok::Str { .. }))))
                    {
                        break;
                    }
                    if let Some(c) = lx.partner(k) {
                        out.extend(k..=c);
                        k = c + 1;
                        continue;
                    }
                    out.push(k);
                    k += 1;
                    if lang == Lang::Js && matches!(t, Tok::Str { .. }) {
                        break;
                    }
                }
                i = k;
                continue;
            }
            // `const {a, b: c} = …`: names bound by destructuring.
            if lang == Lang::Js
                && lx.is(i, '{')
                && let Some(c) = lx.partner(i)
                && lx.is(c + 1, '=')
                && !lx.is(c + 2, '=')
                && !lx.is(c + 2, '>')
            {
                out.extend(i..=c);
                i = c + 1;
                continue;
            }
            i += 1;
        }
        return out;
    }
    if lang != Lang::Perl {
        return out;
    }
    for i in 0..lx.toks.len() {
        if matches!(lx.ident(i), Some("use" | "no"))
            && !matches!(lx.get(i.wrapping_sub(1)), Some(Tok::Dot))
        {
            let mut name = String::new();
            let mut k = i + 1;
            while let Some(w) = lx.ident(k) {
                if !name.is_empty() {
                    name.push('.');
                }
                name.push_str(w);
                out.push(k);
                if lx.get(k + 1) == Some(&Tok::Dot) {
                    k += 2;
                } else {
                    break;
                }
            }
            if !allow::PERL_MODULES.contains(&name.as_str()) {
                // Poison: an index no chain passes, checked by the caller through `chain`.
                out.clear();
                out.push(usize::MAX);
                return out;
            }
        }
    }
    out
}

struct Proof<'a> {
    lang: Lang,
    lx: &'a Lexed,
    vars: &'a [String],
    defs: &'a [String],
    aliases: &'a [(String, String)],
    uses_path: bool,
    needs: &'a RefCell<Vec<Need>>,
}

impl Proof<'_> {
    fn called(&self, seg: &Seg, after_dot: bool) -> bool {
        seg.call.is_some() || (self.lang == Lang::Ruby && after_dot)
    }

    fn chain(&self, ch: &Chain) -> bool {
        let lang = self.lang;
        let lx = self.lx;
        if ch.segs.iter().skip(1).any(|s| {
            s.name.starts_with("__")
                || matches!(
                    s.name.as_str(),
                    "constructor" | "prototype" | "caller" | "callee"
                )
        }) {
            return false;
        }
        match &ch.root {
            Root::Value => self.methods(&ch.segs),
            Root::Var(v) => {
                let mut names: Vec<&str> = vec![v.as_str()];
                names.extend(ch.segs.iter().map(|s| s.name.as_str()));
                if let Some((n, u)) = allow::lookup(lang, &names) {
                    return self.allowed(u, ch.segs.get(n.saturating_sub(2)))
                        && self.methods(ch.segs.get(n.saturating_sub(1)..).unwrap_or_default());
                }
                self.methods(&ch.segs)
            }
            Root::Name => {
                let Some(first) = ch.segs.first() else {
                    return true;
                };
                let root = first.name.as_str();
                // `x: 1`, `key => 1`, `$h{key}`: names used as keys.
                let key = (lx.is(ch.at + 1, ':')
                    && !matches!(lx.get(ch.at + 1), Some(Tok::Dot))
                    && matches!(lang, Lang::Js | Lang::Ruby)
                    && ch.segs.len() == 1
                    && first.call.is_none())
                    || (lx.is(ch.at + 1, '=')
                        && lx.is(ch.at + 2, '>')
                        && lang != Lang::Js
                        && ch.segs.len() == 1)
                    || (lx.is(ch.at.wrapping_sub(1), '{')
                        && lx.is(ch.at + 1, '}')
                        && lang == Lang::Perl);
                // The name an assignment binds (its value is checked as its own chain).
                let target = ch.segs.len() == 1
                    && first.call.is_none()
                    && !first.index
                    && lx.is(ch.at + 1, '=')
                    && !lx.is(ch.at + 2, '=')
                    && !lx.is(ch.at + 2, '>');
                if key || target {
                    return true;
                }
                if lang == Lang::Js && root == "import" && lx.is(ch.at + 1, '(') {
                    return false;
                }
                // A Perl file test (`-e $f`, `-d $d`).
                if lang == Lang::Perl
                    && root.len() == 1
                    && lx.is(ch.at.wrapping_sub(1), '-')
                    && first.call.is_none_or(|_| first.bare)
                {
                    return ch.segs.len() == 1;
                }
                if allow::keyword(lang, root) {
                    return ch.segs.len() == 1
                        && first.call.is_none_or(|_| {
                            first.bare
                                || lang == Lang::Python
                                || root == "new"
                                || matches!(
                                    root,
                                    "if" | "while"
                                        | "for"
                                        | "foreach"
                                        | "unless"
                                        | "until"
                                        | "elsif"
                                        | "elif"
                                        | "return"
                                        | "not"
                                        | "and"
                                        | "or"
                                        | "in"
                                        | "echo"
                                        | "print"
                                        | "catch"
                                        | "switch"
                                        | "typeof"
                                        | "yield"
                                        | "await"
                                        | "assert"
                                        | "when"
                                        | "case"
                                        | "elseif"
                                        | "function"
                                        | "fn"
                                        | "my"
                                        | "local"
                                        | "our"
                                        | "use"
                                        | "with"
                                        | "except"
                                        | "lambda"
                                        | "del"
                                        | "raise"
                                        | "as"
                                        | "is"
                                        | "sub"
                                )
                        });
                }
                // Resolve imports (`from os import listdir`, `const fs = require('fs')`,
                // `require('fs').readdirSync`).
                let mut names: Vec<String> = Vec::new();
                let mut offset: isize = 0;
                if lang == Lang::Js && root == "require" {
                    let m = first
                        .call
                        .and_then(|r| chains::literal(lx, r))
                        .map(chains::js_module);
                    match m {
                        // `require('fs')` alone, bound to a name: its uses are checked.
                        Some(m)
                            if allow::JS_MODULES.contains(&m.as_str()) && ch.segs.len() == 1 =>
                        {
                            return true;
                        }
                        Some(m) if allow::JS_MODULES.contains(&m.as_str()) => {
                            let parts: Vec<String> = m.split('.').map(str::to_string).collect();
                            offset = parts.len() as isize - 1;
                            names.extend(parts);
                        }
                        _ => return false,
                    }
                } else if let Some((_, full)) = self.aliases.iter().find(|(a, _)| a == root) {
                    let parts: Vec<String> = full.split('.').map(str::to_string).collect();
                    offset = parts.len() as isize - 1;
                    names.extend(parts);
                } else {
                    names.push(root.to_string());
                }
                names.extend(ch.segs.iter().skip(1).map(|s| s.name.clone()));
                let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                // `subprocess.run(['git', 'log'], capture_output=True)`: the argument vector
                // is analysed as a command.
                if lang == Lang::Python
                    && let [m, f, ..] = refs.as_slice()
                    && *m == "subprocess"
                    && matches!(*f, "run" | "check_output" | "call" | "check_call")
                {
                    let at = (1 - offset).max(0) as usize;
                    return ch.segs.get(at).is_some_and(|s| self.argv_call(s))
                        && self.methods(ch.segs.get(at + 1..).unwrap_or_default());
                }
                // Ruby `require 'json'`.
                if lang == Lang::Ruby && matches!(root, "require" | "require_relative") {
                    return root == "require"
                        && first
                            .call
                            .and_then(|r| chains::literal(lx, r))
                            .is_some_and(|m| allow::RUBY_MODULES.contains(&m))
                        && ch.segs.len() == 1;
                }
                let imported = self.aliases.iter().any(|(a, _)| a == root);
                let own = (self.vars.iter().any(|v| v == root)
                    || self.defs.iter().any(|d| d == root))
                    && !imported
                    && !(lang == Lang::Js && root == "require");
                if let Some((n, u)) = allow::lookup(lang, &refs).filter(|_| !own) {
                    // The segment that the entry names (imports may stand for several names).
                    let at = (n as isize - 1 - offset).max(0) as usize;
                    return self.allowed(u, ch.segs.get(at))
                        && self.methods(ch.segs.get(at + 1..).unwrap_or_default());
                }
                if allow::never(lang, root) {
                    return false;
                }
                // A module, or a name imported from one, used other than through an allowed
                // entry (`x = os; x.replace(a, b)`).
                let module = names.first().is_some_and(|m| {
                    allow::table(lang).iter().any(|(e, _)| {
                        e.strip_prefix(m.as_str())
                            .is_some_and(|r| r.starts_with('.'))
                    })
                }) || imported;
                if module && !own {
                    return false;
                }
                if own {
                    let callable = match lang {
                        Lang::Python => true,
                        _ => self.defs.iter().any(|d| d == root),
                    };
                    if first.call.is_some() && !callable {
                        return false;
                    }
                    return self.methods(ch.segs.get(1..).unwrap_or_default());
                }
                // A name the code neither binds nor allows.
                match lang {
                    Lang::Python | Lang::Js => {
                        first.call.is_none()
                            && !(lang == Lang::Python && lx.is(ch.at.wrapping_sub(1), '@'))
                            && self.methods(ch.segs.get(1..).unwrap_or_default())
                    }
                    // A bare word is a call in Ruby and Perl; a PHP constant is upper case.
                    Lang::Php => {
                        first.call.is_none()
                            && ch.segs.len() == 1
                            && root
                                .chars()
                                .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit())
                    }
                    _ => false,
                }
            }
        }
    }

    /// An allowed entry used as it may be.
    fn allowed(&self, u: Use, seg: Option<&Seg>) -> bool {
        let Some(seg) = seg else {
            return matches!(u, Use::Pure);
        };
        let lx = self.lx;
        let argv = seg.call.map(|r| chains::args(lx, r)).unwrap_or_default();
        if self.lang == Lang::Php && allow::PHP_CALLABLE.contains(&seg.name.as_str()) {
            let cb = if seg.name == "array_map" {
                argv.first()
            } else {
                argv.get(1)
            };
            if let Some(&(s, _)) = cb
                && !matches!(lx.ident(s), Some("function" | "fn"))
            {
                return false;
            }
        }
        match u {
            Use::Pure => true,
            Use::ReadOnlyDb => {
                seg.call.is_some() && read_only_uri(lx, &argv) && self.no_secret(seg)
            }
            // The name after a Python module prefix: called, a constant or a known class.
            Use::Prefix => {
                seg.call.is_some()
                    // A constant or a class (`ast.Call`, `re.IGNORECASE`).
                    || seg.name.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                    || PY_VALUES.contains(&seg.name.as_str())
            }
            Use::ReadPath => seg.call.is_some() && self.no_secret(seg) && self.seen_path(&argv),
            Use::Open => {
                let Some(range) = seg.call else { return false };
                if !self.no_secret(seg) || !self.seen_path(&argv) {
                    return false;
                }
                match self.lang {
                    Lang::Python => python_read_mode(lx, &argv),
                    Lang::Js => js_read_flag(lx, range),
                    _ => false,
                }
            }
        }
    }

    /// The path a reading call is given is seen: built from literals and allowed calls
    /// (`os.path.join(os.getcwd(), 'a')`), not from a variable (`open(path)`).
    fn seen_path(&self, argv: &[(usize, usize)]) -> bool {
        let Some(&(s, e)) = argv.first() else {
            return true;
        };
        let lx = self.lx;
        // A keyword argument first (`encoding=`) leaves the path to default.
        if lx.ident(s).is_some() && (lx.is(s + 1, '=') || lx.is(s + 1, ':')) && !lx.is(s + 2, '=') {
            return true;
        }
        (s..e).all(|j| match lx.get(j) {
            Some(Tok::Ident(w)) => {
                matches!(lx.get(j.wrapping_sub(1)), Some(Tok::Dot))
                    || allow::table(self.lang)
                        .iter()
                        .any(|(entry, _)| entry.split('.').next() == Some(w.as_str()))
                    || self.aliases.iter().any(|(a, _)| a == w)
            }
            Some(Tok::Var(_)) => false,
            _ => true,
        })
    }

    /// The literals a reading call is given hold no secret path and no pipe.
    fn no_secret(&self, seg: &Seg) -> bool {
        let Some(range) = seg.call else { return true };
        chains::strings(self.lx, range).iter().all(|s| {
            !args::secret_path(s)
                && !secret_word(s)
                && !s.trim_start().starts_with('|')
                && !s.trim_end().ends_with('|')
                && !s.contains("://")
        })
    }

    /// Methods on a value: each one called is on the list; no attribute is forbidden.
    fn methods(&self, segs: &[Seg]) -> bool {
        segs.iter().all(|s| {
            if s.name == "()" {
                return self.lang == Lang::Python;
            }
            if s.name.starts_with("__")
                || matches!(
                    s.name.as_str(),
                    "constructor" | "prototype" | "caller" | "callee"
                )
            {
                return false;
            }
            if !self.called(s, true) {
                // A method passed uncalled (`map(s3.delete_bucket, names)`) runs later.
                return super::effects::verb(&s.name, &[]).is_none();
            }
            if s.name == "replace" && self.uses_path {
                return false;
            }
            if matches!(s.name.as_str(), "execute" | "executescript" | "query") {
                return self.sql_call(s);
            }
            // `df.drop(columns=[…])`: a data frame's copy without some labels, in memory. A
            // bare `coll.drop()` drops a collection or table and is not this.
            if s.name == "drop" && self.lang == Lang::Python {
                return s.call.is_some_and(|r| {
                    super::effects::kwargs(self.lx, r)
                        .iter()
                        .any(|k| matches!(*k, "columns" | "axis" | "index" | "labels"))
                });
            }
            allow::METHODS.contains(&s.name.as_str()) || allow::read_verb(&s.name)
        })
    }

    /// `con.execute('SELECT …')`, `client.query('SELECT …')`: the SQL is a literal, left to
    /// the SQL analyser; `table.query(KeyConditionExpression=…)` (keywords only) reads.
    fn sql_call(&self, seg: &Seg) -> bool {
        let Some(range) = seg.call else { return false };
        let lx = self.lx;
        let argv = chains::args(lx, range);
        let positional: Vec<&(usize, usize)> = argv
            .iter()
            .filter(|&&(s, _)| !(lx.ident(s).is_some() && lx.is(s + 1, '=') && !lx.is(s + 2, '=')))
            .collect();
        match positional.first() {
            None => seg.name == "query",
            Some(&&r) => match chains::literal(lx, r) {
                Some(sql) => {
                    self.needs.borrow_mut().push(Need::Sql(sql.to_string()));
                    true
                }
                None => false,
            },
        }
    }

    /// `subprocess.run([…literals…], capture_output=True, text=True)`: no shell, no input,
    /// no environment; the vector is left to the shell analyser.
    fn argv_call(&self, seg: &Seg) -> bool {
        let Some(range) = seg.call else { return false };
        let lx = self.lx;
        let argv = chains::args(lx, range);
        let Some(&(s, e)) = argv.first() else {
            return false;
        };
        if !lx.is(s, '[') || lx.partner(s) != Some(e.saturating_sub(1)) {
            return false;
        }
        let items = chains::args(lx, (s + 1, e - 1));
        let words: Option<Vec<String>> = items
            .iter()
            .map(|&r| chains::literal(lx, r).map(str::to_string))
            .collect();
        let Some(words) = words.filter(|w| !w.is_empty()) else {
            return false;
        };
        let kwargs_ok = argv.iter().skip(1).all(|&(s, _)| {
            lx.is(s + 1, '=')
                && matches!(
                    lx.ident(s),
                    Some(
                        "capture_output"
                            | "text"
                            | "check"
                            | "stdout"
                            | "stderr"
                            | "encoding"
                            | "errors"
                            | "timeout"
                            | "universal_newlines"
                    )
                )
        });
        if kwargs_ok {
            self.needs.borrow_mut().push(Need::Argv(words));
        }
        kwargs_ok
    }
}

/// Classes and constants of the Python prefix modules, used without a call.
const PY_VALUES: &[&str] = &[
    "datetime",
    "date",
    "time",
    "timedelta",
    "timezone",
    "pi",
    "e",
    "tau",
    "inf",
    "nan",
    "ascii_letters",
    "ascii_lowercase",
    "ascii_uppercase",
    "digits",
    "punctuation",
    "sep",
    "pathsep",
    "curdir",
    "pardir",
    "Counter",
    "defaultdict",
    "OrderedDict",
    "deque",
    "Decimal",
    "Fraction",
    "utc",
    "min",
    "max",
];

/// `sqlite3.connect('file:app.db?mode=ro', uri=True)`: a connection that cannot write (a
/// plain path would create the file, `mode=rw`/`rwc` writes).
fn read_only_uri(lx: &Lexed, argv: &[(usize, usize)]) -> bool {
    let Some(uri) = argv.first().and_then(|r| chains::literal(lx, *r)) else {
        return false;
    };
    let ro = uri.starts_with("file:")
        && uri.split_once('?').is_some_and(|(_, q)| {
            q.split('&').any(|p| matches!(p, "mode=ro" | "immutable=1"))
                && !q
                    .split('&')
                    .any(|p| p.starts_with("mode=") && p != "mode=ro")
        });
    let uri_true = argv.iter().skip(1).any(|&(s, e)| {
        lx.ident(s) == Some("uri")
            && lx.is(s + 1, '=')
            && e == s + 3
            && lx.ident(s + 2) == Some("True")
    });
    let others_ok = argv.iter().skip(1).all(|&(s, _)| {
        matches!(
            lx.ident(s),
            Some("uri" | "timeout" | "check_same_thread" | "detect_types")
        ) && lx.is(s + 1, '=')
    });
    ro && uri_true && others_ok
}

/// Python `open(p)`, `open(p, 'r')`, `open(p, mode='rb', encoding='utf8')`.
fn python_read_mode(lx: &Lexed, argv: &[(usize, usize)]) -> bool {
    argv.iter().enumerate().all(|(k, &(s, e))| {
        let kw = lx
            .ident(s)
            .filter(|_| lx.is(s + 1, '=') && !lx.is(s + 2, '='));
        match (k, kw) {
            (_, Some("mode")) => chains::literal(lx, (s + 2, e)).is_some_and(read_mode),
            (_, Some("encoding" | "errors" | "newline" | "buffering")) => true,
            (_, Some(_)) => false,
            (0, None) => true,
            (1, None) => chains::literal(lx, (s, e)).is_some_and(read_mode),
            _ => false,
        }
    })
}

fn read_mode(m: &str) -> bool {
    matches!(m, "r" | "rb" | "rt" | "br" | "tr" | "")
}

/// Node `readFileSync(p)`, `readFileSync(p, 'utf8')`, `readFileSync(p, {encoding, flag: 'r'})`.
fn js_read_flag(lx: &Lexed, (from, to): (usize, usize)) -> bool {
    (from..to).all(|j| {
        if lx.ident(j) != Some("flag") || !lx.is(j + 1, ':') {
            return true;
        }
        matches!(lx.get(j + 2), Some(Tok::Str { text, code: false }) if matches!(text.as_str(), "r" | "rs" | "sr"))
    })
}

/// Names of files and directories that hold credentials.
fn secret_word(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    [
        ".ssh",
        ".aws",
        ".env",
        ".netrc",
        "credential",
        "secret",
        ".pem",
        ".key",
        "token",
        "passw",
        "shadow",
        ".gnupg",
        ".kube",
        ".docker",
        ".pgpass",
        ".npmrc",
        ".pypirc",
        "id_rsa",
        "id_ed25519",
        "/proc/",
        "environ",
    ]
    .iter()
    .any(|s| p.contains(s))
}

#[cfg(test)]
#[path = "prove_tests.rs"]
mod tests;
