//! Environment variables that code sets for itself and the programs it starts
//! (`os.environ["LD_PRELOAD"] = …`, `os.environ.update(GIT_SSH_COMMAND=…)`,
//! `process.env.PATH = …`, `ENV["BASH_ENV"] = …`, `$ENV{…}`, `putenv("…")`). A child process
//! inherits them, so `subprocess.run(["git", "status"])` after `GIT_CONFIG_*` names a command
//! runs that command: each write is judged as the shell's `export NAME=VALUE` would be.

use super::lex::Lang;
use super::{Ctx, Destructive, Mutating, shell};

/// Judges the environment `code` sets as the shell's `export` lines, and Python's changes
/// to where later imports load code from.
pub(crate) fn analyse(ctx: &mut Ctx, lang: Lang, code: &str, blanked: &str, depth: usize) {
    if matches!(lang, Lang::Python | Lang::Other)
        && [
            "sys.path.insert(",
            "sys.path.append(",
            "sys.path.extend(",
            "sys.path[",
            "sys.path +=",
            "sys.path=",
            "sys.path =",
            "sys.meta_path",
            "sys.path_hooks",
        ]
        .iter()
        .any(|p| blanked.contains(p))
    {
        ctx.add(
            Mutating,
            "code: changes where later imports load code from (`sys.path`)",
        );
    }
    let writes = writes(lang, code, blanked);
    if writes.is_empty() {
        return;
    }
    // A limit ends in the higher answer: the writes past it are not known.
    if writes
        .iter()
        .any(|w| w.name.is_none() && w.value.as_deref() == Some(LIMIT))
    {
        ctx.add(
            Destructive,
            "limits: the code sets more environment variables than are judged",
        );
    }
    let (exports, computed_name) = as_exports(&writes);
    if computed_name {
        ctx.add(
            Mutating,
            "code: sets environment variables whose names it computes, which the programs it starts inherit",
        );
    }
    if !exports.is_empty() {
        ctx.via("the environment the code sets", |ctx| {
            shell::analyse(ctx, &exports, depth + 1)
        });
    }
}

/// The value of the write that stands for the places past the scan's bound.
const LIMIT: &str = "\u{0}limit";

/// One write: the variable's name (`None`: computed) and its value (`None`: computed).
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Write {
    pub(crate) name: Option<String>,
    pub(crate) value: Option<String>,
}

/// Where code writes its environment, by language: a prefix and how what follows it reads.
#[derive(Clone, Copy)]
enum Form {
    /// `PREFIX'NAME'] = value` (or `}` for Perl), a quoted name.
    Subscript(char),
    /// `process.env.NAME = value`.
    Attribute,
    /// `update(K=V, …)`, `update({'K': V})`, `assign(process.env, {K: V})`.
    Mapping,
    /// `setdefault('K', V)`, `putenv('K', V)`, `store('K', V)`.
    Pair,
    /// PHP `putenv("K=V")`.
    Joined,
}

const PYTHON: &[(&str, Form)] = &[
    ("environ[", Form::Subscript(']')),
    ("environ.update(", Form::Mapping),
    ("environ.setdefault(", Form::Pair),
    ("putenv(", Form::Pair),
];
const JS: &[(&str, Form)] = &[
    ("process.env[", Form::Subscript(']')),
    ("process.env.", Form::Attribute),
    ("assign(process.env,", Form::Mapping),
];
const RUBY: &[(&str, Form)] = &[
    ("ENV[", Form::Subscript(']')),
    ("ENV.store(", Form::Pair),
    ("ENV.update(", Form::Mapping),
    ("ENV.merge!(", Form::Mapping),
    ("ENV.replace(", Form::Mapping),
];
const PERL: &[(&str, Form)] = &[("$ENV{", Form::Subscript('}'))];
const PHP: &[(&str, Form)] = &[("putenv(", Form::Joined)];

/// The environment writes in `code`. `blanked` is `code` with its strings and comments
/// blanked (same characters at the same places), so that a name in a string is not a write.
pub(crate) fn writes(lang: Lang, code: &str, blanked: &str) -> Vec<Write> {
    let forms = match lang {
        Lang::Python | Lang::Other => PYTHON,
        Lang::Js => JS,
        Lang::Ruby => RUBY,
        Lang::Perl => PERL,
        Lang::Php => PHP,
        Lang::Go => return Vec::new(),
    };
    // Cheap exit: most code names no environment at all.
    if !["environ", "env", "ENV", "putenv"]
        .iter()
        .any(|w| blanked.contains(w))
    {
        return Vec::new();
    }
    let src: Vec<char> = code.chars().collect();
    let bl: Vec<char> = blanked.chars().collect();
    if src.len() != bl.len() {
        return vec![Write {
            name: None,
            value: None,
        }];
    }
    let mut out = Vec::new();
    for &(prefix, form) in forms {
        let p: Vec<char> = prefix.chars().collect();
        let mut i = 0;
        let mut seen = 0usize;
        while i + p.len() <= bl.len() {
            let before = i.checked_sub(1).and_then(|b| bl.get(b)).copied();
            if bl.get(i..i + p.len()) != Some(p.as_slice())
                || (before.is_some_and(ident_char) && p.first() != Some(&'$'))
            {
                i += 1;
                continue;
            }
            let at = i + p.len();
            i = at;
            // Each place reads ahead to its closing bracket: a bounded number of places, the
            // rest standing for a computed write.
            seen += 1;
            if seen > 4096 {
                out.push(Write {
                    name: None,
                    value: Some(LIMIT.to_string()),
                });
                break;
            }
            let r = Reader { src: &src, bl: &bl };
            match form {
                Form::Subscript(close) => {
                    let Some(end) = r.close_of(at, close) else {
                        out.push(unknown());
                        continue;
                    };
                    let key = r.text(at, end);
                    if let Some(value) = r.assigned(end + 1) {
                        out.push(Write {
                            name: r.name(&key, lang == Lang::Perl),
                            value,
                        });
                    }
                }
                Form::Attribute => {
                    let end = (at..src.len())
                        .find(|&k| src.get(k).is_none_or(|c| !ident_char(*c)))
                        .unwrap_or(src.len());
                    if end == at {
                        continue;
                    }
                    if let Some(value) = r.assigned(end) {
                        out.push(Write {
                            name: Some(r.text(at, end)),
                            value,
                        });
                    }
                }
                Form::Mapping | Form::Pair | Form::Joined => {
                    let Some(end) = r.close_of(at, ')') else {
                        out.push(unknown());
                        continue;
                    };
                    out.extend(r.call(at, end, form, lang));
                }
            }
        }
    }
    out
}

fn unknown() -> Write {
    Write {
        name: None,
        value: None,
    }
}

fn ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

struct Reader<'a> {
    src: &'a [char],
    bl: &'a [char],
}

impl Reader<'_> {
    /// The blanked character at `k` (`\0` past the end).
    fn at(&self, k: usize) -> char {
        self.bl.get(k).copied().unwrap_or('\0')
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.src
            .get(from..to)
            .unwrap_or_default()
            .iter()
            .collect::<String>()
            .trim()
            .to_string()
    }

    /// The index of the bracket that closes the one opened just before `from` (brackets in
    /// strings are blanked).
    fn close_of(&self, from: usize, close: char) -> Option<usize> {
        let mut depth = 0usize;
        // A subscript or an argument list is short: not closed within 4 KiB, it is unread.
        for k in from..self.bl.len().min(from + 4096) {
            match self.at(k) {
                '(' | '[' | '{' => depth += 1,
                c @ (')' | ']' | '}') => {
                    if depth == 0 {
                        return (c == close).then_some(k);
                    }
                    depth -= 1;
                }
                _ => {}
            }
        }
        None
    }

    /// After a name ending before `from`: `Some(value)` when an assignment follows (`=`,
    /// `+=`, `||=`), `None` when the name is only read.
    fn assigned(&self, from: usize) -> Option<Option<String>> {
        let mut k = from;
        while k < self.bl.len() && self.at(k).is_whitespace() && self.at(k) != '\n' {
            k += 1;
        }
        let rest: String = self.bl.get(k..(k + 3).min(self.bl.len()))?.iter().collect();
        let op_len = if rest.starts_with("==") || rest.starts_with("=>") || rest.starts_with("=~") {
            return None;
        } else if rest.starts_with('=') {
            1
        } else if ["+=", "|=", "&=", ".="].iter().any(|o| rest.starts_with(o)) {
            // Appending to a variable (`PATH += ':/tmp/evil'`): the value is computed.
            return Some(None);
        } else if rest.starts_with("||=") || rest.starts_with("??=") {
            3
        } else {
            return None;
        };
        let start = k + op_len;
        let end = (start..self.bl.len())
            .find(|&j| matches!(self.at(j), ';' | '\n'))
            .unwrap_or(self.bl.len());
        Some(self.literal(start, end))
    }

    /// The text between `from` and `to` if it is one string literal, unescaped.
    fn literal(&self, from: usize, to: usize) -> Option<String> {
        let s = self.text(from, to);
        let s = s.trim_end_matches(',').trim();
        let s = s
            .strip_prefix(['r', 'b', 'u'])
            .filter(|r| r.starts_with(['\'', '"']))
            .unwrap_or(s);
        let q = s.chars().next().filter(|c| matches!(c, '\'' | '"' | '`'))?;
        let body = s.strip_prefix(q)?.strip_suffix(q)?;
        let mut out = String::new();
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            if c == q {
                // Two literals joined (`'a' + x + 'b'`) or a quote inside: computed.
                return None;
            }
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(x @ ('x' | 'u' | 'U')) => {
                    let len = match x {
                        'x' => 2,
                        'u' => 4,
                        _ => 8,
                    };
                    let h: String = chars.by_ref().take(len).collect();
                    out.push(u32::from_str_radix(&h, 16).ok().and_then(char::from_u32)?);
                }
                // Octal (`\040`): up to three digits.
                Some(d @ '0'..='7') => {
                    let mut v = d.to_digit(8)?;
                    for _ in 0..2 {
                        match chars.clone().next().and_then(|c| c.to_digit(8)) {
                            Some(n) => {
                                v = v * 8 + n;
                                chars.next();
                            }
                            None => break,
                        }
                    }
                    out.push(char::from_u32(v)?);
                }
                // `\N{SPACE}` and any other escape this reader does not decode: computed.
                Some('N') | None => return None,
                Some(other) => out.push(other),
            }
        }
        if q == '`' && out.contains("${") {
            return None;
        }
        Some(out)
    }

    /// A variable's name: a quoted literal, or a Perl bareword (`$ENV{PATH}`).
    fn name(&self, key: &str, bareword: bool) -> Option<String> {
        let n = if bareword && key.chars().all(ident_char) {
            key.to_string()
        } else {
            let chars: Vec<char> = key.chars().collect();
            let r = Reader {
                src: &chars,
                bl: &chars,
            };
            r.literal(0, chars.len())?
        };
        valid_name(&n).then_some(n)
    }

    /// The writes a call's arguments (between `from` and `to`) make.
    fn call(&self, from: usize, to: usize, form: Form, lang: Lang) -> Vec<Write> {
        let args = self.split(from, to, ',');
        let whole = || vec![unknown()];
        match form {
            Form::Pair => match args.as_slice() {
                [(s, e), (vs, ve), ..] => vec![Write {
                    name: self.name(&self.text(*s, *e), false),
                    value: self.literal(*vs, *ve),
                }],
                _ => whole(),
            },
            Form::Joined => match args.as_slice() {
                [(s, e)] => match self.literal(*s, *e) {
                    Some(kv) => match kv.split_once('=') {
                        Some((k, v)) if valid_name(k) => vec![Write {
                            name: Some(k.to_string()),
                            value: Some(v.to_string()),
                        }],
                        _ => whole(),
                    },
                    None => whole(),
                },
                _ => whole(),
            },
            Form::Mapping => {
                let mut out = Vec::new();
                for &(s, e) in &args {
                    let mut s = s;
                    while s < e && self.at(s).is_whitespace() {
                        s += 1;
                    }
                    if s == e {
                        continue;
                    }
                    // A dictionary literal: its entries.
                    if self.at(s) == '{' {
                        let Some(close) = self.close_of(s + 1, '}') else {
                            return whole();
                        };
                        for (ks, ke) in self.split(s + 1, close, ',') {
                            out.push(self.entry(ks, ke, lang));
                        }
                        continue;
                    }
                    out.push(self.entry(s, e, lang));
                }
                out
            }
            Form::Subscript(_) | Form::Attribute => whole(),
        }
    }

    /// `K=V` (Python keyword), `'K': V`, `K: V` (JavaScript) or `'K' => V` (Ruby).
    fn entry(&self, from: usize, to: usize, lang: Lang) -> Write {
        let text: String = self.bl.get(from..to).unwrap_or_default().iter().collect();
        let sep = ["=>", ":", "="]
            .iter()
            .filter_map(|s| text.find(s).map(|at| (at, s.len())))
            .min_by_key(|&(at, _)| at);
        let Some((at, len)) = sep else {
            return unknown();
        };
        let at = from + text[..at].chars().count();
        let key = self.text(from, at);
        let name = if key.chars().all(ident_char) && !key.is_empty() {
            // A keyword argument or an unquoted JavaScript key, not a variable holding one.
            (lang != Lang::Ruby && valid_name(&key)).then_some(key)
        } else {
            self.name(&key, false)
        };
        Write {
            name,
            value: self.literal(at + len, to),
        }
    }

    /// Top-level pieces of `from..to` separated by `sep`.
    fn split(&self, from: usize, to: usize, sep: char) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut depth = 0usize;
        let mut start = from;
        for k in from..to.min(self.bl.len()) {
            match self.at(k) {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' => depth = depth.saturating_sub(1),
                c if c == sep && depth == 0 => {
                    out.push((start, k));
                    start = k + 1;
                }
                _ => {}
            }
        }
        out.push((start, to));
        out.retain(|&(s, e)| self.text(s, e).chars().any(|c| !c.is_whitespace()));
        out
    }
}

/// A name a shell would accept in `export NAME=…`.
fn valid_name(n: &str) -> bool {
    !n.is_empty()
        && n.len() <= 128
        && !n.starts_with(|c: char| c.is_ascii_digit())
        && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The writes as shell `export` lines (a computed value stands as a variable the shell
/// cannot know), and whether any name was computed.
pub(crate) fn as_exports(writes: &[Write]) -> (String, bool) {
    let mut lines = String::new();
    let mut computed_name = false;
    for w in writes {
        let Some(name) = &w.name else {
            computed_name = true;
            continue;
        };
        let value = match &w.value {
            Some(v) => format!("'{}'", v.replace('\'', r"'\''")),
            None => "\"$AIRLOCK_COMPUTED_VALUE\"".to_string(),
        };
        lines.push_str(&format!("export {name}={value}\n"));
    }
    (lines, computed_name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::content::code::lex;

    fn w(lang: Lang, code: &str) -> Vec<(Option<String>, Option<String>)> {
        let lx = lex::lex(lang, code);
        let blanked = lex::blank(code, &lx);
        writes(lang, code, &blanked)
            .into_iter()
            .map(|w| (w.name, w.value))
            .collect()
    }

    fn some(n: &str, v: &str) -> (Option<String>, Option<String>) {
        (Some(n.into()), Some(v.into()))
    }

    #[test]
    fn python_writes() {
        assert_eq!(
            w(
                Lang::Python,
                "import os\nos.environ['LD_PRELOAD'] = '/tmp/x.so'"
            ),
            vec![some("LD_PRELOAD", "/tmp/x.so")]
        );
        assert_eq!(
            w(
                Lang::Python,
                r#"os.environ["GIT_SSH_COMMAND"]="sh -c \"rm -rf /data\"""#
            ),
            vec![some("GIT_SSH_COMMAND", "sh -c \"rm -rf /data\"")]
        );
        assert_eq!(
            w(
                Lang::Python,
                "os.environ.update(GIT_CONFIG_COUNT='1', GIT_CONFIG_KEY_0=\"core.fsmonitor\")"
            ),
            vec![
                some("GIT_CONFIG_COUNT", "1"),
                some("GIT_CONFIG_KEY_0", "core.fsmonitor")
            ]
        );
        assert_eq!(
            w(
                Lang::Python,
                "os.environ.update({'GIT_EXTERNAL_DIFF': '/tmp/p'})"
            ),
            vec![some("GIT_EXTERNAL_DIFF", "/tmp/p")]
        );
        assert_eq!(
            w(
                Lang::Python,
                "os.environ.setdefault('GIT_PAGER', 'rm -rf /x')"
            ),
            vec![some("GIT_PAGER", "rm -rf /x")]
        );
        assert_eq!(
            w(
                Lang::Python,
                "os.environ['PATH'] = '/tmp/evil:' + os.environ['PATH']"
            ),
            vec![(Some("PATH".into()), None)]
        );
        assert_eq!(
            w(Lang::Python, "os.environ['PATH'] += ':/tmp/evil'"),
            vec![(Some("PATH".into()), None)]
        );
        assert_eq!(w(Lang::Python, "os.environ[k] = v"), vec![(None, None)]);
        assert_eq!(
            w(Lang::Python, "os.putenv('BASH_ENV', '/tmp/e')"),
            vec![some("BASH_ENV", "/tmp/e")]
        );
        assert_eq!(
            w(
                Lang::Python,
                "os.environ['GIT_CONFIG_PARAMETERS']=\"\\x27core.fsmonitor=rm -rf ~\\x27\""
            ),
            vec![some("GIT_CONFIG_PARAMETERS", "'core.fsmonitor=rm -rf ~'")]
        );
        assert_eq!(
            w(
                Lang::Python,
                r"os.environ['GIT_PAGER'] = 'rm\040-rf\u0020~'"
            ),
            vec![some("GIT_PAGER", "rm -rf ~")]
        );
        assert_eq!(
            w(Lang::Python, r"os.environ['GIT_PAGER'] = 'rm\N{SPACE}-rf'"),
            vec![(Some("GIT_PAGER".into()), None)]
        );
    }

    #[test]
    fn past_the_bound_is_a_limit() {
        let mut code: String = (0..4100)
            .map(|i| format!("os.environ['A{i}'] = 'x'\n"))
            .collect();
        code.push_str("os.environ['LD_PRELOAD'] = '/tmp/x.so'\n");
        let got = w(Lang::Python, &code);
        assert_eq!(got.last(), Some(&(None, Some(LIMIT.to_string()))));
    }

    #[test]
    fn reads_are_not_writes() {
        assert!(w(Lang::Python, "print(os.environ['HOME'])").is_empty());
        assert!(w(Lang::Python, "x = os.environ['HOME'] == 'a'").is_empty());
        assert!(w(Lang::Python, "print('os.environ[\"X\"] = 1')").is_empty());
        assert!(w(Lang::Python, "# os.environ['X'] = '1'\nprint(1)").is_empty());
        assert!(w(Lang::Js, "console.log(process.env.HOME === 'x')").is_empty());
        assert!(w(Lang::Ruby, "puts ENV['HOME']").is_empty());
    }

    #[test]
    fn other_languages() {
        assert_eq!(
            w(Lang::Js, "process.env.LD_PRELOAD = '/tmp/x.so'"),
            vec![some("LD_PRELOAD", "/tmp/x.so")]
        );
        assert_eq!(
            w(Lang::Js, "process.env['BASH_ENV'] = \"/tmp/e\";"),
            vec![some("BASH_ENV", "/tmp/e")]
        );
        assert_eq!(
            w(
                Lang::Js,
                "Object.assign(process.env, {GIT_PAGER: 'rm -rf /x'})"
            ),
            vec![some("GIT_PAGER", "rm -rf /x")]
        );
        assert_eq!(
            w(Lang::Ruby, "ENV['LD_PRELOAD'] = '/tmp/x.so'"),
            vec![some("LD_PRELOAD", "/tmp/x.so")]
        );
        assert_eq!(
            w(Lang::Ruby, "ENV.update('GIT_PAGER' => 'rm -rf /x')"),
            vec![some("GIT_PAGER", "rm -rf /x")]
        );
        assert_eq!(
            w(Lang::Perl, "$ENV{LD_PRELOAD} = '/tmp/x.so';"),
            vec![some("LD_PRELOAD", "/tmp/x.so")]
        );
        assert_eq!(
            w(Lang::Php, "putenv(\"LD_PRELOAD=/tmp/x.so\");"),
            vec![some("LD_PRELOAD", "/tmp/x.so")]
        );
    }

    #[test]
    fn exports_quote_values() {
        let (text, computed) = as_exports(&[
            Write {
                name: Some("A".into()),
                value: Some("it's".into()),
            },
            Write {
                name: Some("B".into()),
                value: None,
            },
            unknown(),
        ]);
        assert_eq!(
            text,
            "export A='it'\\''s'\nexport B=\"$AIRLOCK_COMPUTED_VALUE\"\n"
        );
        assert!(computed);
    }
}
