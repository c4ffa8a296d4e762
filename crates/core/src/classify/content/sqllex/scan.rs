//! The scanner behind [`super::lex`], with one [`Mode`] per way dialects tokenise SQL.
//!
//! Dialects disagree on what is a comment or a literal: PostgreSQL and SQL Server nest block
//! comments, MySQL and SQLite do not; MySQL and BigQuery take `#` comments and backslash
//! escapes; MySQL needs a space after `--` and runs `/*! … */`; Snowflake has `//` comments;
//! Oracle has `q'[…]'` literals. A text that tokenises differently in two modes has two
//! readings, and each is judged.

use super::{Lexed, Tok, fold_confusable};

/// A way of tokenising SQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// PostgreSQL (also the generic, DuckDB and ClickHouse readings): nested comments,
    /// dollar quotes, `E'…'` escapes, psql meta-commands.
    Postgres,
    /// PostgreSQL with `standard_conforming_strings = off`: backslash escapes everywhere.
    PostgresEscapes,
    /// MySQL and MariaDB: `#` comments, `-- ` with a space, backslash escapes, backticks,
    /// `/*! … */` executed, client meta-commands.
    MySql,
    /// SQLite: no nesting, backticks and brackets quote names.
    Sqlite,
    /// SQL Server: nested comments, brackets quote names, `GO` separates batches.
    MsSql,
    /// Oracle: `q'[…]'` literals.
    Oracle,
    /// Snowflake: `//` comments, `$$` literals, backslash escapes.
    Snowflake,
    /// BigQuery: `#` comments, backslash escapes, backticks, triple-quoted literals.
    BigQuery,
}

impl Mode {
    /// Every mode, the default reading first.
    pub(crate) const ALL: [Mode; 8] = [
        Mode::Postgres,
        Mode::PostgresEscapes,
        Mode::MySql,
        Mode::Sqlite,
        Mode::MsSql,
        Mode::Oracle,
        Mode::Snowflake,
        Mode::BigQuery,
    ];

    fn nested(self) -> bool {
        matches!(self, Mode::Postgres | Mode::PostgresEscapes | Mode::MsSql)
    }
    fn hash_comment(self) -> bool {
        matches!(self, Mode::MySql | Mode::BigQuery)
    }
    fn backslash(self) -> bool {
        matches!(
            self,
            Mode::PostgresEscapes | Mode::MySql | Mode::Snowflake | Mode::BigQuery
        )
    }
    fn dollar(self) -> bool {
        matches!(
            self,
            Mode::Postgres | Mode::PostgresEscapes | Mode::Snowflake
        )
    }
    /// Backticks quote names; elsewhere a backtick makes the statement invalid.
    pub(crate) fn backtick(self) -> bool {
        matches!(self, Mode::MySql | Mode::Sqlite | Mode::BigQuery)
    }
    fn bracket(self) -> bool {
        matches!(self, Mode::Sqlite | Mode::MsSql)
    }
    /// The client runs backslash meta-commands (psql, mysql).
    fn meta(self) -> bool {
        matches!(self, Mode::Postgres | Mode::PostgresEscapes | Mode::MySql)
    }

    /// A character that is a syntax error outside literals in this dialect: a statement
    /// holding one does not run (a dialect that quotes or reads it judges it).
    pub(crate) fn invalid(self, c: char) -> bool {
        (c == '`' && !self.backtick()) || (c == '\\' && !self.meta())
    }
}

/// Block comments nested deeper than this are not judged by their structure.
pub(crate) const MAX_COMMENT_NESTING: usize = 32;

struct Scan<'a> {
    s: &'a str,
    chars: Vec<(usize, char)>,
    mode: Mode,
    out: Lexed,
    /// Inside a MySQL `/*! … */` whose body is lexed inline.
    in_versioned: bool,
}

impl Scan<'_> {
    fn at(&self, i: usize) -> Option<char> {
        self.chars.get(i).map(|&(_, c)| c)
    }
    fn pos(&self, i: usize) -> usize {
        self.chars.get(i).map_or(self.s.len(), |&(p, _)| p)
    }
    fn push(&mut self, t: Tok, start: usize, end_i: usize) {
        self.out.toks.push((t, start));
        let end = self.pos(end_i);
        self.out.ends.push(end);
    }
    fn brk(&mut self, from: usize, to: usize) {
        self.out.breaks.push((from, to));
    }
    /// The end of a line comment or client command: PostgreSQL also ends a line at `\r`
    /// (ending earlier only shows more text).
    fn line_end(&self, mut i: usize) -> usize {
        while self.at(i).is_some_and(|c| c != '\n' && c != '\r') {
            i += 1;
        }
        i
    }
    fn starts_line(&self, i: usize) -> bool {
        let mut j = i;
        while j > 0 {
            j -= 1;
            match self.at(j) {
                Some('\n') => return true,
                Some(c) if c.is_whitespace() => {}
                _ => return false,
            }
        }
        true
    }

    /// A block comment from `i` (at `/*`): returns the index after it.
    fn block_comment(&mut self, i: usize) -> usize {
        // `/*! … */` (MySQL) and `/*M! … */` (MariaDB) run their body.
        let marker = if self.at(i + 2) == Some('!') {
            3
        } else if matches!(self.at(i + 2), Some('M' | 'm')) && self.at(i + 3) == Some('!') {
            4
        } else {
            0
        };
        let versioned = marker > 0;
        if versioned && self.mode == Mode::MySql {
            // MySQL runs the body: skip the marker and the version, lex the rest inline.
            let mut j = i + marker;
            while self.at(j).is_some_and(|c| c.is_ascii_digit()) {
                j += 1;
            }
            self.in_versioned = true;
            return j;
        }
        let nested = self.mode.nested();
        let mut depth = 0usize;
        let mut j = i;
        let mut body_end = self.chars.len();
        while j < self.chars.len() {
            if self.at(j) == Some('/') && self.at(j + 1) == Some('*') && (nested || depth == 0) {
                depth += 1;
                if depth > MAX_COMMENT_NESTING {
                    self.out.deep_comment = true;
                }
                j += 2;
            } else if self.at(j) == Some('*') && self.at(j + 1) == Some('/') {
                depth = depth.saturating_sub(1);
                j += 2;
                if depth == 0 {
                    body_end = j - 2;
                    break;
                }
            } else {
                j += 1;
            }
        }
        if depth > 0 || j >= self.chars.len() && body_end == self.chars.len() {
            self.out.unterminated = true;
        }
        if versioned {
            let start = i + marker;
            let body: String = self
                .chars
                .get(start..body_end.max(start))
                .unwrap_or_default()
                .iter()
                .map(|&(_, c)| c)
                .skip_while(char::is_ascii_digit)
                .collect();
            self.out.versioned.push(body);
        }
        j.max(i + 2)
    }

    /// A quoted literal from `i` (at the quote): unescaped with `''` doubling and, in modes
    /// that have them, backslash escapes. Returns the index after it.
    fn quoted(&mut self, mut i: usize, q: char, backslash: bool) -> (String, usize) {
        let mut lit = String::new();
        self.out.unterminated = true;
        while let Some(c) = self.at(i) {
            if backslash && c == '\\' {
                if let Some(n) = self.at(i + 1) {
                    lit.push(n);
                }
                i += 2;
            } else if c == q {
                if self.at(i + 1) == Some(q) {
                    lit.push(q);
                    i += 2;
                } else {
                    i += 1;
                    self.out.unterminated = false;
                    break;
                }
            } else {
                lit.push(c);
                i += 1;
            }
        }
        (lit, i)
    }

    /// A literal that ends at the first `close` sequence (no escapes). Returns the body and
    /// the index after it.
    fn until(&mut self, from: usize, close: &[char]) -> (String, usize) {
        let mut j = from;
        while j < self.chars.len() {
            if close
                .iter()
                .enumerate()
                .all(|(k, c)| self.at(j + k) == Some(*c))
            {
                let body = self.collect(from, j);
                return (body, j + close.len());
            }
            j += 1;
        }
        self.out.unterminated = true;
        (self.collect(from, j), j)
    }

    fn collect(&self, from: usize, to: usize) -> String {
        self.chars
            .get(from..to.max(from))
            .unwrap_or_default()
            .iter()
            .map(|&(_, c)| c)
            .collect()
    }

    fn run(mut self) -> Lexed {
        let mode = self.mode;
        let mut i = 0usize;
        while let Some(c) = self.at(i) {
            let start = self.pos(i);
            let next = self.at(i + 1);
            if c.is_whitespace() {
                i += 1;
            } else if c == '-' && next == Some('-') {
                let spaced = self
                    .at(i + 2)
                    .is_none_or(|d| d.is_whitespace() || d.is_control());
                if mode == Mode::MySql && !spaced {
                    self.push(Tok::Punct('-'), start, i + 1);
                    i += 1;
                } else {
                    i = self.line_end(i);
                }
            } else if (c == '#' && mode.hash_comment())
                || (c == '/' && next == Some('/') && mode == Mode::Snowflake)
            {
                i = self.line_end(i);
            } else if c == '/' && next == Some('*') {
                i = self.block_comment(i);
            } else if c == '*' && next == Some('/') && self.in_versioned {
                self.in_versioned = false;
                i += 2;
            } else if (c == '\\' && mode.meta())
                || (c == '.'
                    && mode == Mode::Sqlite
                    && next.is_some_and(char::is_alphabetic)
                    && self.starts_line(i))
            {
                // A psql or mysql meta-command, or a sqlite3 dot-command: to the line end.
                let end = self.line_end(i);
                let to = self.pos(end);
                self.out.meta.push((start, to));
                self.brk(start, to);
                i = end;
            } else if c == '\'' && mode == Mode::BigQuery && self.tripled(i, '\'') {
                let (lit, j) = self.until(i + 3, &['\'', '\'', '\'']);
                self.push(Tok::Str(lit), start, j);
                i = j;
            } else if c == '"' && mode == Mode::BigQuery && self.tripled(i, '"') {
                let (lit, j) = self.until(i + 3, &['"', '"', '"']);
                self.push(Tok::Str(lit), start, j);
                i = j;
            } else if c == '\'' {
                let (lit, j) = self.quoted(i + 1, '\'', mode.backslash());
                self.push(Tok::Str(lit), start, j);
                i = j;
            } else if (c == 'E' || c == 'e')
                && next == Some('\'')
                && matches!(mode, Mode::Postgres | Mode::PostgresEscapes)
            {
                let (lit, j) = self.quoted(i + 2, '\'', true);
                self.push(Tok::Str(lit), start, j);
                i = j;
            } else if mode == Mode::Oracle && (c == 'q' || c == 'Q') && next == Some('\'') {
                i = self.q_quote(i, start, i + 2);
            } else if mode == Mode::Oracle
                && (c == 'n' || c == 'N')
                && matches!(next, Some('q' | 'Q'))
                && self.at(i + 2) == Some('\'')
            {
                i = self.q_quote(i, start, i + 3);
            } else if c == '"' {
                let backslash = matches!(mode, Mode::MySql | Mode::BigQuery);
                let (lit, j) = self.quoted(i + 1, '"', backslash);
                self.push(Tok::Ident(lit), start, j);
                i = j;
            } else if (c == '`' && mode.backtick()) || (c == '[' && mode.bracket()) {
                let close = if c == '[' { ']' } else { c };
                let (lit, j) = self.quoted(i + 1, close, false);
                self.push(Tok::Ident(lit), start, j);
                i = j;
            } else if c == '$' && mode.dollar() && self.dollar_tag(i).is_some() {
                i = self.dollar_quote(i, start);
            } else if super::is_word_start(c)
                || fold_confusable(c).is_some()
                || (c == '$' && !mode.dollar() && next.is_some_and(super::is_word_char))
            {
                // Without dollar quotes, `$` may start a name (MySQL: `$$x` is one name).
                i = self.word(i, start);
            } else if c.is_ascii_digit() {
                let mut j = i;
                while self
                    .at(j)
                    .is_some_and(|d| d.is_ascii_alphanumeric() || d == '.')
                {
                    j += 1;
                }
                // Numbers are `0` when zero and `1` otherwise (a value is read from the
                // source where it matters: `sqllex::forms`).
                let zero = (i..j).all(|k| matches!(self.at(k), Some('0' | '.')));
                let n = if zero { "0" } else { "1" };
                self.push(Tok::Word(n.into()), start, j);
                i = j;
            } else {
                if c == ';' {
                    self.out.semis.push(start);
                }
                self.push(Tok::Punct(c), start, i + 1);
                i += 1;
            }
        }
        self.out
    }

    fn tripled(&self, i: usize, q: char) -> bool {
        self.at(i + 1) == Some(q) && self.at(i + 2) == Some(q)
    }

    fn q_quote(&mut self, i: usize, start: usize, open_at: usize) -> usize {
        let Some(open) = self.at(open_at) else {
            self.push(Tok::Str(String::new()), start, open_at);
            return open_at;
        };
        let close = match open {
            '[' => ']',
            '{' => '}',
            '(' => ')',
            '<' => '>',
            c => c,
        };
        let (lit, j) = self.until(open_at + 1, &[close, '\'']);
        self.push(Tok::Str(lit), start, j);
        j.max(i + 1)
    }

    /// The closing index of a `$tag$` opener at `i`, if it is one.
    fn dollar_tag(&self, i: usize) -> Option<usize> {
        let n = self.at(i + 1)?;
        if self.mode == Mode::Snowflake {
            return (n == '$').then_some(i + 1);
        }
        if n != '$' && !super::is_word_start(n) {
            return None;
        }
        let mut j = i + 1;
        while self.at(j).is_some_and(|n| n.is_alphanumeric() || n == '_') {
            j += 1;
        }
        (self.at(j) == Some('$')).then_some(j)
    }

    fn dollar_quote(&mut self, i: usize, start: usize) -> usize {
        let Some(j) = self.dollar_tag(i) else {
            return i + 1;
        };
        let tag: Vec<char> = self
            .chars
            .get(i..=j)
            .unwrap_or_default()
            .iter()
            .map(|&(_, c)| c)
            .collect();
        let (lit, end) = self.until(j + 1, &tag);
        self.push(Tok::Str(lit), start, end);
        end
    }

    fn word(&mut self, first: usize, start: usize) -> usize {
        let mut i = first;
        let mut w = String::new();
        while let Some(d) = self.at(i) {
            // The common case first: no look-alike is ASCII, and `to_uppercase` of an ASCII
            // character is its ASCII capital.
            if d.is_ascii() && super::is_word_char(d) {
                w.push(d.to_ascii_uppercase());
            } else if let Some(f) = fold_confusable(d) {
                self.out.confusable = true;
                w.push(f);
            } else if super::is_word_char(d) {
                w.extend(d.to_uppercase());
            } else {
                break;
            }
            i += 1;
        }
        // T-SQL `GO` alone on a line separates batches.
        if w == "GO" && self.starts_line(first) {
            let end = self.line_end(i);
            let rest = self.collect(i, end);
            if rest.trim().chars().all(|c| c.is_ascii_digit()) {
                let to = self.pos(end);
                self.brk(start, to);
                return end;
            }
        }
        self.push(Tok::Word(w), start, i);
        i
    }
}

/// Lexes SQL the way `mode` does. Never fails: an unterminated literal or comment runs to
/// the end of the input.
pub(crate) fn lex_mode(s: &str, mode: Mode) -> Lexed {
    Scan {
        s,
        chars: s.char_indices().collect(),
        mode,
        out: Lexed::default(),
        in_versioned: false,
    }
    .run()
}

/// True if some dialect could tokenise `s` differently from PostgreSQL: only then are the
/// other readings lexed. Conservative: any character that any mode treats specially.
///
/// One pass over the bytes for the character and pair checks (the common text has none);
/// the structural checks run only when they can fire. [`dialect_sensitive_reference`] is the
/// plain statement of the same rule, and the tests hold the two equal.
pub(crate) fn dialect_sensitive(s: &str) -> bool {
    let b = s.as_bytes();
    let at = |k: usize| b.get(k).copied();
    let mut opens = 0usize;
    // The bytes every arm below starts from; the stretches without one (a padded statement's
    // comment) are skipped a block at a time.
    let special = |c: u8| {
        matches!(
            c,
            b'#' | b'\\' | b'`' | b'[' | b'$' | b'\r' | b'/' | b'\'' | b'"' | b'-' | b'q' | b'Q'
        )
    };
    for (k, c) in crate::classify::content::bytescan::Specials::new(b, special) {
        match c {
            b'#' | b'\\' | b'`' | b'[' | b'$' | b'\r' => return true,
            // `//`, `/*!`, `/*M!`, `/*m!`; `/*` counted for nesting.
            b'/' => match at(k + 1) {
                Some(b'/') => return true,
                Some(b'*') => {
                    if at(k + 2) == Some(b'!')
                        || (matches!(at(k + 2), Some(b'M' | b'm')) && at(k + 3) == Some(b'!'))
                    {
                        return true;
                    }
                    opens += 1;
                }
                _ => {}
            },
            b'\'' | b'"' if at(k + 1) == Some(c) && at(k + 2) == Some(c) => return true,
            // `--x` (MySQL needs a space).
            b'-' if at(k + 1) == Some(b'-')
                && at(k + 2).is_some_and(|n| !n.is_ascii_whitespace()) =>
            {
                return true;
            }
            // `q'` (Oracle), not inside a word other than after `n`.
            b'q' | b'Q'
                if at(k + 1) == Some(b'\'')
                    && (k == 0
                        || at(k - 1).is_some_and(|p| {
                            !p.is_ascii_alphanumeric() || matches!(p, b'n' | b'N')
                        })) =>
            {
                return true;
            }
            _ => {}
        }
    }
    // A `/*` inside a comment (nesting) needs two of them.
    (opens > 1 && s.split("*/").any(|part| part.matches("/*").count() > 1)) || go_or_dot_line(s)
}

/// A T-SQL `GO` line or a sqlite3 dot-command line.
fn go_or_dot_line(s: &str) -> bool {
    s.lines().any(|l| {
        let l = l.trim();
        l.eq_ignore_ascii_case("go")
            || l.strip_prefix('.')
                .is_some_and(|d| d.starts_with(char::is_alphabetic))
    })
}

/// [`dialect_sensitive`] as first written: the reference its one-pass form is tested against.
#[cfg(test)]
pub(crate) fn dialect_sensitive_reference(s: &str) -> bool {
    let b = s.as_bytes();
    if b.iter()
        .any(|c| matches!(c, b'#' | b'\\' | b'`' | b'[' | b'$' | b'\r'))
    {
        return true;
    }
    let has = |p: &str| s.contains(p);
    if has("//") || has("'''") || has("\"\"\"") || has("/*!") || has("/*M!") || has("/*m!") {
        return true;
    }
    // `--x` (MySQL needs a space), `q'` (Oracle), a `/*` inside a comment (nesting).
    b.windows(3)
        .any(|w| matches!(w, [b'-', b'-', c] if !c.is_ascii_whitespace()))
        || b.windows(2).enumerate().any(|(k, w)| {
            matches!(w, [b'q' | b'Q', b'\''])
                && (k == 0
                    || b.get(k - 1)
                        .is_some_and(|p| !p.is_ascii_alphanumeric() || matches!(p, b'n' | b'N')))
        })
        || s.split("*/").any(|part| part.matches("/*").count() > 1)
        || go_or_dot_line(s)
}
