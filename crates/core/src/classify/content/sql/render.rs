//! Renders a reading's tokens as SQL for a sqlparser dialect, and checks that the
//! dialect's own tokeniser sees the same words, names and literals (so that a dialect never
//! parses a reading other than the one it was given: `$a$ … $a$` is a string to one
//! tokeniser and words to another).

use sqlparser::dialect::Dialect;
use sqlparser::tokenizer::{Token, Tokenizer};

use super::super::sqllex::{Lexed, Tok, fold_confusable};

/// Renders the tokens of `lx` that start in `from..to` as SQL that `d` tokenises the same
/// way: literals and names re-quoted in `d`'s syntax, comments dropped, client
/// meta-commands and `GO` lines turned into `;`. Without `canonical` the source text is
/// kept (it already tokenises the PostgreSQL way) and only the breaks are replaced.
pub(super) fn render(
    text: &str,
    lx: &Lexed,
    from: usize,
    to: usize,
    d: &dyn Dialect,
    canonical: bool,
) -> String {
    let mut breaks = lx
        .breaks
        .iter()
        .filter(|(s, _)| *s >= from && *s < to)
        .peekable();
    if !canonical {
        let mut out = String::with_capacity(to.saturating_sub(from));
        let mut at = from;
        for &(s, e) in breaks {
            out.push_str(text.get(at..s).unwrap_or_default());
            out.push(';');
            at = e.min(to);
        }
        out.push_str(text.get(at..to).unwrap_or_default());
        return out;
    }
    let backslash = d.supports_string_literal_backslash_escape();
    let ident_quote = if d.is_delimited_identifier_start('"') {
        '"'
    } else {
        '`'
    };
    let mut out = String::with_capacity(to.saturating_sub(from) + 8);
    let mut prev_end = None;
    for ((tok, start), end) in lx.toks.iter().zip(&lx.ends) {
        if *start < from || *start >= to {
            continue;
        }
        while breaks.next_if(|(s, _)| s < start).is_some() {
            out.push_str(" ;");
        }
        if prev_end != Some(*start) {
            out.push(' ');
        }
        match tok {
            Tok::Str(s) => {
                out.push('\'');
                for c in s.chars() {
                    match c {
                        '\'' => out.push_str("''"),
                        '\\' if backslash => out.push_str("\\\\"),
                        c => out.push(c),
                    }
                }
                out.push('\'');
            }
            Tok::Ident(s) => {
                out.push(ident_quote);
                for c in s.chars() {
                    if c == ident_quote {
                        out.push(c);
                    }
                    out.push(c);
                }
                out.push(ident_quote);
            }
            Tok::Word(_) | Tok::Punct(_) => {
                out.push_str(text.get(*start..*end).unwrap_or_default())
            }
        }
        prev_end = Some(*end);
    }
    if breaks.next().is_some() {
        out.push_str(" ;");
    }
    out
}

/// A token that carries meaning for the comparison.
#[derive(Debug, PartialEq, Eq)]
enum Seen {
    Word(String),
    Name(String),
    Literal,
}

fn fold(w: &str) -> String {
    w.chars()
        .flat_map(|c| match fold_confusable(c) {
            Some(f) => vec![f],
            None => c.to_uppercase().collect(),
        })
        .collect()
}

/// True if `d` tokenises `sql` into the words, quoted names and literals of the reading's
/// tokens in `from..to` (numbers, operators and placeholders' sigils aside).
pub(super) fn same_tokens(sql: &str, d: &dyn Dialect, lx: &Lexed, from: usize, to: usize) -> bool {
    let Ok(theirs) = Tokenizer::new(d, sql).tokenize() else {
        return false;
    };
    let theirs: Vec<Seen> = theirs
        .iter()
        .filter_map(|t| match t {
            Token::Word(w) if w.quote_style.is_some() => Some(Seen::Name(w.value.clone())),
            Token::Word(w) => Some(Seen::Word(fold(&w.value))),
            Token::Placeholder(p) => {
                let name = p.trim_start_matches([':', '@', '$', '?']);
                (!name.is_empty() && !name.chars().all(|c| c.is_ascii_digit()))
                    .then(|| Seen::Word(fold(name)))
            }
            Token::SingleQuotedString(_)
            | Token::DoubleQuotedString(_)
            | Token::TripleSingleQuotedString(_)
            | Token::TripleDoubleQuotedString(_)
            | Token::DollarQuotedString(_)
            | Token::SingleQuotedByteStringLiteral(_)
            | Token::DoubleQuotedByteStringLiteral(_)
            | Token::TripleSingleQuotedByteStringLiteral(_)
            | Token::TripleDoubleQuotedByteStringLiteral(_)
            | Token::SingleQuotedRawStringLiteral(_)
            | Token::DoubleQuotedRawStringLiteral(_)
            | Token::TripleSingleQuotedRawStringLiteral(_)
            | Token::TripleDoubleQuotedRawStringLiteral(_)
            | Token::NationalStringLiteral(_)
            | Token::QuoteDelimitedStringLiteral(_)
            | Token::NationalQuoteDelimitedStringLiteral(_)
            | Token::EscapedStringLiteral(_)
            | Token::UnicodeStringLiteral(_)
            | Token::HexStringLiteral(_) => Some(Seen::Literal),
            _ => None,
        })
        .collect();
    let toks: Vec<(&Tok, usize, usize)> = lx
        .toks
        .iter()
        .zip(&lx.ends)
        .filter(|((_, s), _)| *s >= from && *s < to)
        .map(|((t, s), e)| (t, *s, *e))
        .collect();
    let mut ours = Vec::new();
    for (i, (t, _, end)) in toks.iter().enumerate() {
        match t {
            // Numbers, and placeholders (`$1`) that some modes lex as names.
            Tok::Word(w)
                if w == "0"
                    || w == "1"
                    || w.strip_prefix('$')
                        .is_some_and(|d| d.chars().all(|c| c.is_ascii_digit())) => {}
            // A literal's prefix (`N'…'`, `X'…'`, `E'…'`, `U&'…'`) is part of the literal.
            Tok::Word(w)
                if matches!(w.as_str(), "N" | "X" | "B" | "E" | "R" | "U" | "Q" | "NQ")
                    && toks.get(i + 1).is_some_and(|(n, s, _)| {
                        *s == *end && matches!(n, Tok::Str(_) | Tok::Punct('&'))
                    }) => {}
            Tok::Word(w) => ours.push(Seen::Word(w.clone())),
            Tok::Ident(v) => ours.push(Seen::Name(v.clone())),
            Tok::Str(_) => ours.push(Seen::Literal),
            Tok::Punct(_) => {}
        }
    }
    ours == theirs
}
