//! Whether a text starts like a SQL statement: its first keyword, after comments and `(`,
//! in every tokenisation that dialects give it.

use super::functions;
use crate::classify::content::prefix;
use crate::classify::content::sqllex::{self, Lexed, Mode};

/// True if the text starts like a SQL statement (first keyword, after comments and `(`).
pub(crate) fn looks_like_sql(t: &str) -> bool {
    let head = prefix(t, 256);
    // A lone `EXEC` (a `"type": "exec"` tag) is no statement: it names nothing to run.
    let bare = t.trim_matches(|c: char| c.is_whitespace() || c == ';');
    if ["exec", "execute"]
        .iter()
        .any(|w| bare.eq_ignore_ascii_case(w))
    {
        return false;
    }
    // The common case without the lexer: the first token is a plain ASCII word that starts
    // a statement, which is the answer the lexed first word gives.
    let mut buf = [0u8; 16];
    let mut sensitive = None;
    if let Some(w) = leading_keyword(head, &mut buf) {
        if sqllex::STARTS.contains(&w) {
            return true;
        }
        // Prose (`weekly revenue`, a JSON field's text) without the lexer: with no block
        // comment (no `/*!` version comment; `dialect_sensitive` flags those too, the guard
        // does not lean on it), no character a dialect reads differently and no vendor
        // statement led by `w`, [`lexed`] answers from `w` alone. Proven equal to it by
        // `looks_like_sql_skips_the_lexer_only_where_it_agrees`.
        if !head.contains("/*") && !sqllex::may_lead_vendor(w) {
            let s = sqllex::dialect_sensitive(head);
            if !s {
                return functions::known_effect(w).is_some();
            }
            sensitive = Some(s);
        }
    }
    lexed(head, sensitive)
}

/// Whether `head` starts like a SQL statement in some tokenisation: a statement keyword or a
/// known procedure first, a MySQL version comment, a vendor statement, or a client
/// meta-command. `sensitive` is [`sqllex::dialect_sensitive`] of `head` when already known.
pub(super) fn lexed(head: &str, sensitive: Option<bool>) -> bool {
    // A statement keyword, or a known procedure called bare (`sp_configure 'x', 1` starts
    // a T-SQL batch).
    let starts = |lx: &Lexed| {
        !lx.versioned.is_empty()
            || sqllex::first_word(&lx.toks).is_some_and(|w| {
                sqllex::STARTS.contains(&w) || functions::known_effect(w).is_some()
            })
            // A vendor statement known by two or more leading keywords (`EXCHANGE TABLES`,
            // `GET @stage`), whatever its first word.
            || sqllex::vendor_shape(head, &lx.toks)
    };
    if starts(&sqllex::lex(head)) {
        return true;
    }
    // A psql or mysql client meta-command (`\i file`, `\! cmd`).
    if head
        .trim_start()
        .strip_prefix('\\')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_alphabetic() || c == '!' || c == '.'))
    {
        return true;
    }
    sensitive.unwrap_or_else(|| sqllex::dialect_sensitive(head))
        && Mode::ALL
            .iter()
            .skip(1)
            .any(|m| starts(&sqllex::lex_mode(head, *m)))
}

/// The first token of `head`, uppercased, when it is a word the lexer reads the same way
/// whatever follows: ASCII letters, digits, `_` and `$` after ASCII whitespace, ended by the
/// end of the text or an ASCII character that no word holds. `None` for anything else (a
/// comment, a quote, a non-ASCII letter), which the lexer reads.
pub(super) fn leading_keyword<'b>(head: &str, buf: &'b mut [u8; 16]) -> Option<&'b str> {
    let b = head.as_bytes();
    // `char::is_whitespace` on ASCII: the lexer skips exactly these.
    let start = b
        .iter()
        .position(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r'))?;
    if !b.get(start)?.is_ascii_alphabetic() {
        return None;
    }
    let len = b
        .get(start..)?
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$')))
        .unwrap_or(b.len() - start);
    // A non-ASCII letter may continue the word (or be a look-alike): the lexer's case.
    if b.get(start + len).is_some_and(|c| !c.is_ascii()) {
        return None;
    }
    let word = buf.get_mut(..len)?;
    word.copy_from_slice(b.get(start..start + len)?);
    word.make_ascii_uppercase();
    std::str::from_utf8(word).ok()
}

#[cfg(test)]
#[path = "looks_tests.rs"]
mod tests;
