//! zsh's code in globs and expansions, which a bash parser reads as plain words: a glob
//! qualifier `(e:CODE:)` runs CODE for every file the glob matches, `(+name)` calls a
//! function; the parameter flag `${(e)x}` evaluates the value's substitutions and `${~x}`
//! globs it (so a qualifier in the value runs). macOS starts an agent's shell as zsh.

use super::super::{Ctx, prefix};
use crate::Effect::Mutating;

/// Judges the zsh constructs in `text` that run code: a qualifier's code as a command line
/// of its own, anything else as a change.
pub(super) fn analyse(ctx: &mut Ctx, text: &str, depth: usize) {
    // Most lines hold neither a parenthesis nor `${~`.
    if !text.contains('(') && !text.contains("${~") {
        return;
    }
    let b = text.as_bytes();
    let (mut single, mut double, mut escaped, mut ansi) = (false, false, false, false);
    for (i, &c) in b.iter().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        let prev = i.checked_sub(1).and_then(|j| b.get(j)).copied();
        // Quotes are tracked line by line: a quote left open by a comment or a here
        // document's text (`# don't`, `it's`) must not hide the lines after it.
        if c == b'\n' {
            (single, double) = (false, false);
        } else if c == b'\'' && !double && !single && prev == Some(b'$') {
            // `$'a\'b'`: backslashes escape inside it.
            single = true;
            ansi = true;
        } else if c == b'\\' && single && ansi {
            escaped = true;
        } else if c == b'\'' && !double {
            ansi = false;
            single = !single;
        } else if c == b'"' && !single {
            double = !double;
        } else if c == b'\\' && !single {
            escaped = true;
        } else if !single && c == b'$' && b.get(i + 1) == Some(&b'{') {
            expansion_flag(ctx, text, i);
        } else if !single
            && !double
            && c == b'('
            && prev.is_some_and(qualifier_follows)
            && let Some(found) = qualifier(text, i + 1)
        {
            match found {
                Qualifier::Code(code) => {
                    let code = code.trim();
                    let code = code
                        .strip_prefix('\'')
                        .and_then(|c| c.strip_suffix('\''))
                        .or_else(|| code.strip_prefix('"').and_then(|c| c.strip_suffix('"')))
                        .unwrap_or(code);
                    ctx.via("a zsh glob qualifier", |ctx| {
                        super::analyse(ctx, code, depth + 1);
                    });
                }
                Qualifier::Unclosed => ctx.add(
                    Mutating,
                    format!(
                        "shell: `{}` has a zsh glob qualifier that runs code",
                        near(text, i)
                    ),
                ),
                Qualifier::Function(name) => ctx.add(
                    Mutating,
                    format!(
                        "shell: a zsh glob qualifier calls the function `{}`",
                        prefix(name, 40)
                    ),
                ),
            }
        }
    }
}

/// `${~x}` and `${(e)x}` at byte `at` (its `$`).
fn expansion_flag(ctx: &mut Ctx, text: &str, at: usize) {
    match text.as_bytes().get(at + 2) {
        Some(b'~') => ctx.add(
            Mutating,
            format!(
                "shell: `{}` globs a value (zsh), whose qualifiers may run code",
                near(text, at)
            ),
        ),
        Some(b'(') => {
            let flags = text
                .get(at + 3..)
                .and_then(|r| r.split(')').next())
                .unwrap_or("");
            if flags.contains('e') {
                ctx.add(
                    Mutating,
                    format!(
                        "shell: `{}` evaluates a value's substitutions (zsh's `(e)` flag)",
                        near(text, at)
                    ),
                );
            }
        }
        _ => {}
    }
}

enum Qualifier<'a> {
    Code(&'a str),
    Unclosed,
    Function(&'a str),
}

/// Whether a `(` after this byte can open a glob qualifier: it ends a word (`*(…)`,
/// `file(…)`), not a substitution, an array, a subshell or a bash pattern list.
fn qualifier_follows(prev: u8) -> bool {
    !prev.is_ascii_whitespace()
        && !matches!(
            prev,
            b'$' | b'^'
                | b'='
                | b'<'
                | b'>'
                | b'|'
                | b'&'
                | b';'
                | b'('
                | b'`'
                | b'@'
                | b'!'
                | b'+'
                | b'"'
        )
}

/// The code of a qualifier list starting at `at` (just after its `(`): qualifier letters,
/// then `e` and a delimiter (`e:CODE:`, `e'CODE'`, `e[CODE]`) or `+name`.
fn qualifier(text: &str, at: usize) -> Option<Qualifier<'_>> {
    let rest = text.get(at..)?;
    let mut chars = rest.char_indices();
    while let Some((j, c)) = chars.next() {
        match c {
            'e' => {
                let (k, d) = chars.next()?;
                // `,` separates qualifiers (`(e,x)` is not code).
                if d.is_ascii_alphanumeric() || d.is_whitespace() || d == ')' || d == ',' {
                    // `e` is also a qualifier-free letter in names (`(file)`): not code.
                    return None;
                }
                let close = match d {
                    '[' => ']',
                    '{' => '}',
                    '<' => '>',
                    '(' => ')',
                    other => other,
                };
                let body = rest.get(k + d.len_utf8()..)?;
                return Some(match body.find(close) {
                    Some(end) => Qualifier::Code(body.get(..end)?),
                    None => Qualifier::Unclosed,
                });
            }
            '+' => {
                let name = rest.get(j + 1..)?;
                let end = name
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(name.len());
                return (end > 0).then(|| Qualifier::Function(&name[..end]));
            }
            c if c.is_ascii_alphanumeric()
                || matches!(
                    c,
                    '^' | '-' | '.' | ',' | '[' | ']' | '*' | '/' | '@' | '=' | '%' | ':' | '#'
                ) => {}
            _ => return None,
        }
    }
    None
}

/// A few characters of `text` around byte `at`, for a reason.
fn near(text: &str, at: usize) -> &str {
    let start = (0..=at)
        .rev()
        .find(|i| text.is_char_boundary(*i))
        .unwrap_or(0);
    let rest = text.get(start..).unwrap_or("");
    prefix(rest, 40)
}
