//! Call chains (`a.b(…).c()`), the names a snippet defines itself, and what its imports
//! stand for, read from tokens.

use super::lex::{Lang, Lexed, Tok};

/// One link of a chain: a name, and its arguments when it is called.
#[derive(Debug, Clone)]
pub(crate) struct Seg {
    pub(crate) name: String,
    /// Token range of the arguments (without the parentheses) when called.
    pub(crate) call: Option<(usize, usize)>,
    /// Called without parentheses (Ruby, Perl): the arguments run to the statement's end.
    pub(crate) bare: bool,
    /// Followed by an index (`x[…]`).
    pub(crate) index: bool,
}

/// Where a chain starts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Root {
    /// A name (the first segment).
    Name,
    /// A sigiled variable.
    Var(String),
    /// The value of an expression (`(…).x()`, `'s'.join()`, `[…].map()`).
    Value,
}

#[derive(Debug, Clone)]
pub(crate) struct Chain {
    /// Token index where the chain starts.
    pub(crate) at: usize,
    pub(crate) root: Root,
    pub(crate) segs: Vec<Seg>,
}

impl Chain {
    /// The dotted names (`boto3.resource.Bucket.objects.all.delete`).
    pub(crate) fn path(&self) -> String {
        let names: Vec<&str> = self.segs.iter().map(|s| s.name.as_str()).collect();
        names.join(".")
    }
}

/// Keywords after which a name starts a parenthesis-less call's arguments in Ruby and Perl
/// (they end them instead).
const STOP: &[&str] = &[
    "if", "unless", "and", "or", "not", "then", "do", "while", "until", "for", "foreach", "eq",
    "ne", "lt", "gt", "le", "ge", "cmp", "x", "end", "else", "elsif", "rescue", "ensure", "in",
];

/// Every chain in the tokens.
pub(crate) fn chains(lx: &Lexed, lang: Lang) -> Vec<Chain> {
    let mut out = Vec::new();
    let mut consumed = vec![false; lx.toks.len()];
    for i in 0..lx.toks.len() {
        let prev_dot = i > 0 && matches!(lx.get(i - 1), Some(Tok::Dot));
        let (root, first) = match lx.get(i) {
            Some(Tok::Ident(n)) if !prev_dot => (Root::Name, Some(n.clone())),
            Some(Tok::Var(v)) if !prev_dot => (Root::Var(v.clone()), None),
            Some(Tok::Dot)
                if !consumed.get(i).copied().unwrap_or(true)
                    && i > 0
                    && matches!(
                        lx.get(i - 1),
                        Some(Tok::Punct(')' | ']' | '}') | Tok::Str { .. } | Tok::Num(_))
                    ) =>
            {
                (Root::Value, None)
            }
            _ => continue,
        };
        let mut segs: Vec<Seg> = first
            .map(|name| Seg {
                name,
                call: None,
                bare: false,
                index: false,
            })
            .into_iter()
            .collect();
        let mut j = if root == Root::Value { i } else { i + 1 };
        loop {
            match lx.get(j) {
                Some(Tok::Punct('(')) => {
                    let Some(end) = lx.partner(j) else { break };
                    match segs.last_mut() {
                        Some(s) if s.call.is_none() && !s.index => s.call = Some((j + 1, end)),
                        // `f()()`, `x.()`: a call of a computed value.
                        _ => segs.push(Seg {
                            name: "()".into(),
                            call: Some((j + 1, end)),
                            bare: false,
                            index: false,
                        }),
                    }
                    j = end + 1;
                }
                Some(Tok::Punct('[')) if !segs.is_empty() => {
                    let Some(end) = lx.partner(j) else { break };
                    if let Some(s) = segs.last_mut() {
                        s.index = true;
                    }
                    j = end + 1;
                }
                Some(Tok::Dot) => match lx.get(j + 1) {
                    Some(Tok::Ident(n)) => {
                        if let Some(c) = consumed.get_mut(j) {
                            *c = true;
                        }
                        segs.push(Seg {
                            name: n.clone(),
                            call: None,
                            bare: false,
                            index: false,
                        });
                        j += 2;
                    }
                    Some(Tok::Punct('(')) => {
                        if let Some(c) = consumed.get_mut(j) {
                            *c = true;
                        }
                        j += 1;
                        segs.push(Seg {
                            name: "()".into(),
                            call: None,
                            bare: false,
                            index: false,
                        });
                    }
                    _ => break,
                },
                _ => break,
            }
        }
        // Ruby and Perl call without parentheses: `puts x`, `unlink "f"`, `File.write "f", s`.
        if matches!(lang, Lang::Ruby | Lang::Perl)
            && let Some(last) = segs.last()
            && last.call.is_none()
            && !last.index
            && bare_args_start(lx, j, lang)
        {
            let line = lx.line(j.saturating_sub(1));
            let end = statement_end(lx, j, line, lang);
            if let Some(s) = segs.last_mut() {
                s.call = Some((j, end));
                s.bare = true;
            }
        }
        if !segs.is_empty() || matches!(root, Root::Var(_)) {
            out.push(Chain { at: i, root, segs });
        }
    }
    out
}

fn bare_args_start(lx: &Lexed, j: usize, lang: Lang) -> bool {
    let same_line = lx.line(j) == lx.line(j.saturating_sub(1));
    if !same_line {
        return false;
    }
    match lx.get(j) {
        Some(Tok::Str { .. } | Tok::Var(_) | Tok::Num(_) | Tok::Exec(_) | Tok::Regex { .. }) => {
            true
        }
        Some(Tok::Ident(w)) => !STOP.contains(&w.as_str()),
        Some(Tok::Punct('[')) => lang == Lang::Perl,
        Some(Tok::Punct('<' | '-' | '\\' | '!')) => lang == Lang::Perl,
        _ => false,
    }
}

/// End (exclusive) of a parenthesis-less call's arguments.
fn statement_end(lx: &Lexed, from: usize, line: u32, lang: Lang) -> usize {
    let mut j = from;
    while let Some(t) = lx.get(j) {
        if lang == Lang::Ruby
            && lx.line(j) != line
            && !matches!(lx.get(j.saturating_sub(1)), Some(Tok::Punct(',')))
        {
            break;
        }
        match t {
            Tok::Punct(';' | ')' | ']' | '}') => break,
            Tok::Ident(w)
                if matches!(
                    w.as_str(),
                    "if" | "unless" | "and" | "or" | "do" | "while" | "until" | "for" | "foreach"
                ) =>
            {
                break;
            }
            Tok::Punct('(' | '[' | '{') => match lx.partner(j) {
                Some(e) => j = e,
                None => break,
            },
            _ => {}
        }
        j += 1;
    }
    j
}

/// Top-level comma-separated arguments of a token range.
pub(crate) fn args(lx: &Lexed, (from, to): (usize, usize)) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = from;
    let mut j = from;
    while j < to {
        match lx.get(j) {
            Some(Tok::Punct('(' | '[' | '{')) => {
                j = lx.partner(j).unwrap_or(to);
            }
            Some(Tok::Punct(',')) => {
                out.push((start, j));
                start = j + 1;
            }
            // Perl's fat comma.
            Some(Tok::Punct('=')) if lx.is(j + 1, '>') => {
                out.push((start, j));
                start = j + 2;
                j += 1;
            }
            _ => {}
        }
        j += 1;
    }
    if start < to {
        out.push((start, to));
    }
    out
}

/// The string literals of a token range, in order.
pub(crate) fn strings(lx: &Lexed, (from, to): (usize, usize)) -> Vec<&str> {
    (from..to)
        .filter_map(|j| match lx.get(j) {
            Some(Tok::Str { text, .. }) => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// The single string literal a range holds, if that is all it holds.
pub(crate) fn literal(lx: &Lexed, (from, to): (usize, usize)) -> Option<&str> {
    match (to.checked_sub(from), lx.get(from)) {
        (Some(1), Some(Tok::Str { text, code: false })) => Some(text),
        _ => None,
    }
}

/// Names the snippet binds itself: assigned, declared, parameters, loop variables, and
/// (second) the ones bound to a function (`def f`, `function f`, `const f = () =>`).
pub(crate) fn locals(lx: &Lexed, lang: Lang) -> (Vec<String>, Vec<String>) {
    let mut vars = Vec::new();
    let mut defs = Vec::new();
    let n = lx.toks.len();
    for i in 0..n {
        let Some(w) = lx.ident(i) else { continue };
        let prev_dot = i > 0 && matches!(lx.get(i - 1), Some(Tok::Dot));
        if prev_dot {
            continue;
        }
        match w {
            "def" | "function" | "class" | "sub" | "func" => {
                if let Some(name) = lx.ident(i + 1) {
                    defs.push(name.to_string());
                }
                // Parameters.
                let open = (i + 1..n.min(i + 4)).find(|&k| lx.is(k, '('));
                if let Some((o, c)) = open.and_then(|o| lx.partner(o).map(|c| (o, c))) {
                    for k in o + 1..c {
                        if let Some(p) = lx.ident(k) {
                            vars.push(p.to_string());
                        }
                    }
                }
            }
            "for" | "let" | "const" | "var" | "as" | "lambda" | "my" | "our" | "local"
            | "global" | "foreach" => {
                // Up to `in`, `of`, `=`, `:` or the end of a bracket group.
                let mut k = i + 1;
                while let Some(t) = lx.get(k) {
                    match t {
                        Tok::Ident(x) if matches!(x.as_str(), "in" | "of") => break,
                        Tok::Ident(x) => vars.push(x.clone()),
                        Tok::Punct('=' | ':' | ';' | ')') => break,
                        _ => {}
                    }
                    k += 1;
                    if k > i + 16 {
                        break;
                    }
                }
            }
            _ => {
                let next_eq = lx.is(i + 1, '=')
                    && !lx.is(i + 2, '=')
                    && !lx.is(i + 2, '>')
                    && !lx.is(i + 2, '~');
                let walrus = lx.is(i + 1, ':') && lx.is(i + 2, '=');
                let tuple = lx.is(i + 1, ',') && lang == Lang::Python;
                if next_eq || walrus || tuple {
                    vars.push(w.to_string());
                    let fun = matches!(lx.ident(i + 2), Some("lambda" | "function" | "async"))
                        || arrow_follows(lx, i + 2);
                    if (next_eq || walrus) && fun {
                        defs.push(w.to_string());
                    }
                }
                // Arrow function parameters (`x => …`, `(a, b) => …`) and Ruby block
                // parameters (`|a, b|`).
                if lx.is(i + 1, '=') && lx.is(i + 2, '>') && lang == Lang::Js {
                    vars.push(w.to_string());
                }
            }
        }
    }
    for i in 0..n {
        if lang == Lang::Js
            && lx.is(i, '(')
            && let Some(c) = lx.partner(i)
            && lx.is(c + 1, '=')
            && lx.is(c + 2, '>')
        {
            for k in i + 1..c {
                if let Some(p) = lx.ident(k) {
                    vars.push(p.to_string());
                }
            }
        }
        if lang == Lang::Ruby
            && lx.is(i, '|')
            && (lx.is(i.wrapping_sub(1), '{') || lx.ident(i.wrapping_sub(1)) == Some("do"))
        {
            let mut k = i + 1;
            while let Some(t) = lx.get(k) {
                match t {
                    Tok::Ident(x) => vars.push(x.clone()),
                    Tok::Punct('|') => break,
                    _ => {}
                }
                k += 1;
            }
        }
    }
    (vars, defs)
}

fn arrow_follows(lx: &Lexed, i: usize) -> bool {
    match lx.get(i) {
        Some(Tok::Punct('(')) => lx
            .partner(i)
            .is_some_and(|c| lx.is(c + 1, '=') && lx.is(c + 2, '>')),
        Some(Tok::Ident(_)) => lx.is(i + 1, '=') && lx.is(i + 2, '>'),
        _ => false,
    }
}

/// Alias → module path, from imports: Python `import a.b as c`, `from a import b as c`;
/// JavaScript `const c = require('a')`, `const {b: c} = require('a')`, `import c from 'a'`,
/// `import * as c from 'a'`, `import {b as c} from 'a'`. Returns also the modules imported
/// (a JavaScript `require` with anything but one literal is `None`).
pub(crate) fn imports(lx: &Lexed, lang: Lang) -> (Vec<(String, String)>, Vec<Option<String>>) {
    let mut map = Vec::new();
    let mut modules = Vec::new();
    let n = lx.toks.len();
    let dotted = |k: &mut usize| -> String {
        let mut s = String::new();
        while let Some(w) = lx.ident(*k) {
            s.push_str(w);
            if matches!(lx.get(*k + 1), Some(Tok::Dot)) && lx.ident(*k + 2).is_some() {
                s.push('.');
                *k += 2;
            } else {
                *k += 1;
                break;
            }
        }
        s
    };
    for i in 0..n {
        let at_stmt = i == 0
            || matches!(lx.get(i - 1), Some(Tok::Punct(';' | '{' | '}' | ':')))
            || lx.line(i - 1) != lx.line(i);
        match (lang, lx.ident(i)) {
            (Lang::Python, Some("import")) if at_stmt || lx.ident(i.wrapping_sub(2)).is_some() => {
                // `import a.b as c, d` (and the `import` of `from x import y`, handled below).
                let from = i >= 2 && {
                    let mut k = i;
                    while k > 0 && lx.line(k - 1) == lx.line(i) && lx.ident(k - 1) != Some("from") {
                        k -= 1;
                    }
                    k > 0 && lx.ident(k - 1) == Some("from")
                };
                if from {
                    continue;
                }
                let mut k = i + 1;
                loop {
                    let m = dotted(&mut k);
                    if m.is_empty() {
                        break;
                    }
                    modules.push(Some(m.clone()));
                    if lx.ident(k) == Some("as")
                        && let Some(a) = lx.ident(k + 1)
                    {
                        map.push((a.to_string(), m));
                        k += 2;
                    } else if let Some(top) = m.split('.').next() {
                        map.push((top.to_string(), top.to_string()));
                    }
                    if !lx.is(k, ',') {
                        break;
                    }
                    k += 1;
                }
            }
            (Lang::Python, Some("from")) if at_stmt => {
                let mut k = i + 1;
                while lx.get(k) == Some(&Tok::Dot) {
                    k += 1;
                }
                let m = dotted(&mut k);
                if lx.ident(k) != Some("import") {
                    continue;
                }
                modules.push(Some(m.clone()));
                k += 1;
                let close = lx.is(k, '(').then(|| lx.partner(k)).flatten();
                if close.is_some() {
                    k += 1;
                }
                while let Some(name) = lx
                    .ident(k)
                    .map(str::to_string)
                    .or_else(|| lx.is(k, '*').then(|| "*".to_string()))
                {
                    let alias = if lx.ident(k + 1) == Some("as") {
                        k += 2;
                        lx.ident(k).map(str::to_string).unwrap_or_default()
                    } else {
                        name.clone()
                    };
                    map.push((alias, format!("{m}.{name}")));
                    k += 1;
                    if !lx.is(k, ',') {
                        break;
                    }
                    k += 1;
                }
            }
            (Lang::Js, Some("require")) if lx.is(i + 1, '(') => {
                let close = lx.partner(i + 1).unwrap_or(i + 1);
                let m = literal(lx, (i + 2, close)).map(js_module);
                modules.push(m.clone());
                let Some(m) = m else { continue };
                // `const x = require(…)`, `const {a, b: c} = require(…)`.
                if i >= 2 && lx.is(i - 1, '=') {
                    if let Some(x) = lx.ident(i - 2) {
                        map.push((x.to_string(), m));
                    } else if lx.is(i - 2, '}') {
                        let open = (0..i - 2).rev().find(|&k| lx.partner(k) == Some(i - 2));
                        if let Some(o) = open {
                            destructure(lx, o + 1, i - 2, &m, ':', &mut map);
                        }
                    }
                }
            }
            (Lang::Js, Some("import")) if at_stmt && !lx.is(i + 1, '(') => {
                // `import x from 'm'`, `import * as x from 'm'`, `import {a as b} from 'm'`.
                let Some(from) = (i + 1..n.min(i + 64)).find(|&k| {
                    lx.ident(k) == Some("from") || matches!(lx.get(k), Some(Tok::Str { .. }))
                }) else {
                    continue;
                };
                let src = if lx.ident(from) == Some("from") {
                    from + 1
                } else {
                    from
                };
                let m = match lx.get(src) {
                    Some(Tok::Str { text, code: false }) => js_module(text),
                    _ => {
                        modules.push(None);
                        continue;
                    }
                };
                modules.push(Some(m.clone()));
                let mut k = i + 1;
                while k < from {
                    match lx.get(k) {
                        Some(Tok::Punct('*')) if lx.ident(k + 1) == Some("as") => {
                            if let Some(a) = lx.ident(k + 2) {
                                map.push((a.to_string(), m.clone()));
                            }
                            k += 3;
                        }
                        Some(Tok::Punct('{')) => {
                            let c = lx.partner(k).unwrap_or(from);
                            destructure(lx, k + 1, c, &m, 'a', &mut map);
                            k = c + 1;
                        }
                        Some(Tok::Ident(x)) => {
                            map.push((x.clone(), m.clone()));
                            k += 1;
                        }
                        _ => k += 1,
                    }
                }
            }
            _ => {}
        }
    }
    map.retain(|(a, _)| !a.is_empty());
    (map, modules)
}

/// `{a, b: c}` (`sep` `:`) or `{a, b as c}` (`sep` `a`): names of module `m`.
fn destructure(
    lx: &Lexed,
    from: usize,
    to: usize,
    m: &str,
    sep: char,
    map: &mut Vec<(String, String)>,
) {
    for (s, e) in args(lx, (from, to)) {
        let name = lx.ident(s);
        let alias =
            if e > s + 2 && (lx.is(s + 1, sep) || (sep == 'a' && lx.ident(s + 1) == Some("as"))) {
                lx.ident(s + 2)
            } else {
                name
            };
        if let (Some(n), Some(a)) = (name, alias) {
            map.push((a.to_string(), format!("{m}.{n}")));
        }
    }
}

/// `node:fs/promises` is `fs.promises`.
pub(crate) fn js_module(m: &str) -> String {
    m.trim_start_matches("node:").replace('/', ".")
}

#[cfg(test)]
mod tests {
    use super::super::lex::lex;
    use super::*;

    fn paths(lang: Lang, code: &str) -> Vec<String> {
        let lx = lex(lang, code);
        chains(&lx, lang).iter().map(Chain::path).collect()
    }

    #[test]
    fn chains_are_followed_through_calls_and_lines() {
        let p = paths(
            Lang::Python,
            "boto3.resource('s3').Bucket('prod').objects.all().delete()",
        );
        assert!(
            p.contains(&"boto3.resource.Bucket.objects.all.delete".to_string()),
            "{p:?}"
        );
        let p = paths(Lang::Js, "knex('t')\n  .where({a: 1})\n  .del()");
        assert!(p.contains(&"knex.where.del".to_string()), "{p:?}");
        let p = paths(Lang::Perl, "unlink glob '/x/*'");
        assert!(p.contains(&"unlink".to_string()), "{p:?}");
        let p = paths(Lang::Python, "[x for x in os.listdir('.')]");
        assert!(p.contains(&"os.listdir".to_string()), "{p:?}");
    }

    #[test]
    fn imports_and_locals() {
        let lx = lex(
            Lang::Python,
            "import shutil as s\nfrom os import remove as r, listdir\nx = 1",
        );
        let (map, mods) = imports(&lx, Lang::Python);
        assert!(map.contains(&("s".into(), "shutil".into())));
        assert!(map.contains(&("r".into(), "os.remove".into())));
        assert!(map.contains(&("listdir".into(), "os.listdir".into())));
        assert_eq!(mods.len(), 2);
        let (vars, _) = locals(&lx, Lang::Python);
        assert!(vars.contains(&"x".to_string()));
        let lx = lex(
            Lang::Js,
            "const {readFileSync: r, rmSync} = require('node:fs'); const f = (a) => a",
        );
        let (map, _) = imports(&lx, Lang::Js);
        assert!(
            map.contains(&("r".into(), "fs.readFileSync".into())),
            "{map:?}"
        );
        assert!(map.contains(&("rmSync".into(), "fs.rmSync".into())));
        let (_, defs) = locals(&lx, Lang::Js);
        assert!(defs.contains(&"f".to_string()));
    }
}
