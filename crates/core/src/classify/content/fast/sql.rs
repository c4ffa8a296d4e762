//! A recogniser for one plain statement (see [`super`]): a tokeniser that refuses anything
//! it does not know, and a recursive-descent check of a small grammar (a `SELECT`,
//! optionally after `WITH` of such selects, optionally under a bare `EXPLAIN`; or one of the
//! two writes of [`write`]) that sqlparser's PostgreSQL dialect parses into a statement the
//! tree walk judges `Read` (or, for the writes, `Mutating` with the same reason).
//!
//! Only the PostgreSQL dialect matters: text that any dialect tokenises differently
//! ([`dialect_sensitive`]) is refused, and for the rest the full analysis has one reading,
//! parsed with PostgreSQL's dialect first; once that parses, no other dialect is asked
//! (`sql.rs` `readings`, `dialects`, `parse`).

use sqlparser::keywords::ALL_KEYWORDS;

use super::super::bytescan::{all_plain, find_pair};
use super::super::sql::{EXPLAINS_PLAN, INSERTS, READS, call_effect};
use super::super::sqllex::dialect_sensitive;
use crate::Effect;

/// Longer texts go to the full analysis (the fast path is for the common short query).
const MAX_TEXT: usize = 4 * 1024;
/// Tokens accepted.
const MAX_TOKENS: usize = 1024;
/// Nesting of expressions (parentheses, `NOT`, unary minus).
const MAX_NESTING: usize = 32;
/// Longest word looked up as a keyword.
const MAX_WORD: usize = 64;

/// Functions with plain call syntax that every dialect's table knows to be free of side
/// effects (checked again against the tables at each call).
const FUNCTIONS: &[&str] = &[
    "ABS", "AVG", "COALESCE", "COUNT", "LENGTH", "LOWER", "MAX", "MIN", "NOW", "NULLIF", "ROUND",
    "SUM", "UPPER",
];

/// Keywords that sqlparser reads as plain column or table names where this grammar puts
/// them (common column names); every other keyword is refused as a name.
const NAME_KEYWORDS: &[&str] = &["ID", "NAME", "STATUS", "TYPE", "VALUE", "KEY", "DATA"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    Word(&'a str),
    Num,
    Str,
    Op(&'a str),
}

/// True if `text` is one plain read that this recogniser proves (the differential tests'
/// view of [`statement`]).
pub fn select_read(text: &str) -> bool {
    statement_effect(text) == Some(Effect::Read)
}

/// The effect this recogniser proves for `text` (the differential tests' view).
pub fn statement_effect(text: &str) -> Option<Effect> {
    statement(text).map(|(_, e, _)| e)
}

/// The statement as the full analysis cites it (trimmed, without a final `;` or a trailing
/// comment, which sqlparser's rendering drops; as written, where sqlparser's rendering may
/// differ in keyword case and spacing), its effect and the tree walk's reason, when
/// `text` is one statement this recogniser proves: [`READS`] for a query, [`EXPLAINS_PLAN`]
/// for a bare `EXPLAIN` of one (the walk adds nothing for the query under an `EXPLAIN` that
/// does not run it), and the two writes of [`write`].
pub(crate) fn statement(text: &str) -> Option<(&str, Effect, &'static str)> {
    if text.len() > MAX_TEXT || !text.is_ascii() || dialect_sensitive(text) {
        return None;
    }
    let (toks, end) = tokens(text)?;
    let mut p = Parser {
        toks: &toks,
        i: 0,
        depth: 0,
    };
    let (effect, why) = p.statement()?;
    // A write that may grant access (`SET role = 'admin'`) goes to the full analysis
    // (`sql::rules::access_update`, `access_insert`).
    if effect != Effect::Read && write::names_access(text) {
        return None;
    }
    Some((text.get(..end)?.trim().trim_end_matches(';'), effect, why))
}

/// True if the comment starting at `i` (at `--` or `/*`) is the last thing in the text
/// (only whitespace after it) and every dialect reads it as a plain comment:
///
/// - `/* … */`: no `/*` before the first `*/` closes it, not even one sharing its `/` with
///   that `*/` (PostgreSQL nests comments, MySQL does not: `/* /* */ DROP …`); the body does
///   not start with `!`, `M!`, `m!` (MySQL and MariaDB run it) or `+` (optimizer hints).
/// - `-- …`: a space or tab after `--` (MySQL needs one) and no line break to the end, so
///   nothing after it runs as a second line.
///
/// Either body is printable ASCII or tabs only (no line break of any dialect, no control
/// character).
fn trailing_comment(b: &[u8], i: usize) -> bool {
    let plain = |c: u8| matches!(c, b' '..=b'~' | b'\t');
    match b.get(i..) {
        Some([b'/', b'*', body @ ..]) => {
            if matches!(body, [b'!' | b'+', ..] | [b'M' | b'm', b'!', ..]) {
                return false;
            }
            // Padded statements carry long comments: block scans (which vectorise) keep this
            // to about an instruction a byte.
            let Some(close) = find_pair(body, *b"*/") else {
                return false;
            };
            let (Some(inner), Some(after)) = (body.get(..close), body.get(close + 2..)) else {
                return false;
            };
            // No `/*` inside (nesting): `inner` ends before the `*` of the first `*/`, so a
            // `/` ending it could only open one with that `*`, which the dialects differ on.
            all_plain(inner, plain)
                && find_pair(inner, *b"/*").is_none()
                && !inner.ends_with(b"/")
                && after.iter().all(|c| matches!(c, b' ' | b'\t' | b'\n'))
        }
        Some([b'-', b'-', b' ' | b'\t', body @ ..]) => all_plain(body, plain),
        _ => false,
    }
}

/// Splits ASCII text into tokens, and where a trailing comment starts (or the length);
/// `None` for any character or construct it does not know (other comments, quoted names,
/// escapes, parameters, operators outside its list).
fn tokens(text: &str) -> Option<(Vec<Tok<'_>>, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(64);
    let mut i = 0usize;
    while i < b.len() {
        let c = *b.get(i)?;
        let start = i;
        match c {
            // A trailing comment, after the statement's last token but never after its `;`
            // (the full analysis would read the comment as a second statement).
            b'/' | b'-' if matches!(text.get(i..i + 2), Some("/*" | "--")) => {
                if out.is_empty() || out.last() == Some(&Tok::Op(";")) {
                    return None;
                }
                return trailing_comment(b, i).then_some((out, i));
            }
            b' ' | b'\t' | b'\n' => {
                i += 1;
                continue;
            }
            b'a'..=b'z' | b'A'..=b'Z' | b'_' => {
                while b
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    i += 1;
                }
                out.push(Tok::Word(text.get(start..i)?));
            }
            b'0'..=b'9' => {
                while b.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                    while b.get(i).is_some_and(u8::is_ascii_digit) {
                        i += 1;
                    }
                }
                // `1e5`, `0x1f`, `1abc`, `1.` read differently across dialects.
                if b.get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.'))
                {
                    return None;
                }
                out.push(Tok::Num);
            }
            b'\'' => {
                i += 1;
                loop {
                    match b.get(i)? {
                        b'\'' if b.get(i + 1) == Some(&b'\'') => i += 2,
                        b'\'' => break,
                        _ => i += 1,
                    }
                }
                i += 1;
                // A literal right after another is concatenated in some dialects only.
                if matches!(out.last(), Some(Tok::Str)) {
                    return None;
                }
                out.push(Tok::Str);
            }
            _ => {
                let two = text.get(i..i + 2).unwrap_or("");
                let len = if matches!(two, "<=" | ">=" | "<>" | "!=") {
                    2
                } else if matches!(
                    c,
                    b'=' | b'<'
                        | b'>'
                        | b'+'
                        | b'-'
                        | b'*'
                        | b'/'
                        | b'%'
                        | b','
                        | b'.'
                        | b'('
                        | b')'
                        | b';'
                ) {
                    // A stray `*/` is not read here (comments are above).
                    if matches!(two, "--" | "/*" | "*/") {
                        return None;
                    }
                    1
                } else {
                    return None;
                };
                i += len;
                out.push(Tok::Op(text.get(start..i)?));
            }
        }
        if out.len() > MAX_TOKENS {
            return None;
        }
    }
    Some((out, b.len()))
}

/// True if `w` is any keyword sqlparser knows (case-insensitive).
fn is_keyword(w: &str) -> bool {
    if w.len() > MAX_WORD {
        return true;
    }
    let mut buf = [0u8; MAX_WORD];
    let Some(dst) = buf.get_mut(..w.len()) else {
        return true;
    };
    dst.copy_from_slice(w.as_bytes());
    dst.make_ascii_uppercase();
    let Ok(upper) = std::str::from_utf8(dst) else {
        return true;
    };
    ALL_KEYWORDS.binary_search(&upper).is_ok()
}

struct Parser<'t, 'a> {
    toks: &'t [Tok<'a>],
    i: usize,
    depth: usize,
}

impl<'a> Parser<'_, 'a> {
    fn peek(&self) -> Option<Tok<'a>> {
        self.toks.get(self.i).copied()
    }

    fn peek_at(&self, k: usize) -> Option<Tok<'a>> {
        self.toks.get(self.i + k).copied()
    }

    fn kw_at(&self, k: usize, kw: &str) -> bool {
        matches!(self.peek_at(k), Some(Tok::Word(w)) if w.eq_ignore_ascii_case(kw))
    }

    fn is_kw(&self, kw: &str) -> bool {
        self.kw_at(0, kw)
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        let yes = self.is_kw(kw);
        self.i += usize::from(yes);
        yes
    }

    fn kw(&mut self, kw: &str) -> Option<()> {
        self.eat_kw(kw).then_some(())
    }

    fn is_op(&self, op: &str) -> bool {
        matches!(self.peek(), Some(Tok::Op(o)) if o == op)
    }

    fn eat_op(&mut self, op: &str) -> bool {
        let yes = self.is_op(op);
        self.i += usize::from(yes);
        yes
    }

    fn op(&mut self, op: &str) -> Option<()> {
        self.eat_op(op).then_some(())
    }

    /// `[EXPLAIN] query [;]`, or one of the writes of [`write`]. Only a bare `EXPLAIN`
    /// directly before the query: `ANALYZE` (either spelling), `VERBOSE`, an option list or
    /// `QUERY PLAN` is no query start and is refused, so the full analysis judges whether
    /// the statement runs.
    fn statement(&mut self) -> Option<(Effect, &'static str)> {
        let found = if self.is_kw("INSERT") {
            self.insert()?;
            (Effect::Mutating, INSERTS)
        } else if self.is_kw("UPDATE") {
            self.update()?;
            (Effect::Mutating, write::UPDATES)
        } else if self.eat_kw("EXPLAIN") {
            self.query()?;
            (Effect::Read, EXPLAINS_PLAN)
        } else {
            self.query()?;
            (Effect::Read, READS)
        };
        let _ = self.eat_op(";");
        (self.i == self.toks.len()).then_some(found)
    }

    /// `[WITH cte [, cte]*] select`.
    fn query(&mut self) -> Option<()> {
        if self.eat_kw("WITH") {
            self.list(Self::cte)?;
        }
        self.select()
    }

    /// `name AS ( select )`: the name no keyword at all (so not `RECURSIVE`), no column
    /// list, nothing between `AS` and `(` (not `[NOT] MATERIALIZED`), and a body in this
    /// grammar's `SELECT` (never a `WITH`, nor a statement that writes with `RETURNING`).
    fn cte(&mut self) -> Option<()> {
        self.bare_alias()?;
        self.kw("AS")?;
        self.op("(")?;
        self.select()?;
        self.op(")")
    }

    fn select(&mut self) -> Option<()> {
        self.kw("SELECT")?;
        let _ = self.eat_kw("DISTINCT");
        self.list(Self::select_item)?;
        self.kw("FROM")?;
        self.list(Self::table_ref)?;
        if self.eat_kw("WHERE") {
            self.expr()?;
        }
        if self.eat_kw("GROUP") {
            self.kw("BY")?;
            self.list(Self::expr)?;
        }
        if self.eat_kw("HAVING") {
            self.expr()?;
        }
        if self.eat_kw("ORDER") {
            self.kw("BY")?;
            self.list(Self::order_item)?;
        }
        if self.eat_kw("LIMIT") {
            self.number()?;
        }
        if self.eat_kw("OFFSET") {
            self.number()?;
        }
        Some(())
    }

    fn list(&mut self, item: fn(&mut Self) -> Option<()>) -> Option<()> {
        item(self)?;
        while self.eat_op(",") {
            item(self)?;
        }
        Some(())
    }

    fn number(&mut self) -> Option<()> {
        matches!(self.peek(), Some(Tok::Num)).then(|| self.i += 1)
    }

    /// A name that is not a keyword, or one of the keywords read as a name.
    fn name(&mut self) -> Option<()> {
        match self.peek() {
            Some(Tok::Word(w))
                if !is_keyword(w) || NAME_KEYWORDS.iter().any(|k| w.eq_ignore_ascii_case(k)) =>
            {
                self.i += 1;
                Some(())
            }
            _ => None,
        }
    }

    /// An optional alias: `AS name` or a bare word that is no keyword at all.
    fn alias(&mut self) -> Option<()> {
        if self.eat_kw("AS") {
            return self.bare_alias();
        }
        if matches!(self.peek(), Some(Tok::Word(w)) if !is_keyword(w)) {
            self.i += 1;
        }
        Some(())
    }

    fn bare_alias(&mut self) -> Option<()> {
        match self.peek() {
            Some(Tok::Word(w)) if !is_keyword(w) => {
                self.i += 1;
                Some(())
            }
            _ => None,
        }
    }

    fn select_item(&mut self) -> Option<()> {
        if self.eat_op("*") {
            return Some(());
        }
        // `t.*`
        if matches!(self.peek(), Some(Tok::Word(_)))
            && matches!(self.peek_at(1), Some(Tok::Op(".")))
            && matches!(self.peek_at(2), Some(Tok::Op("*")))
        {
            self.name()?;
            self.i += 2;
            return Some(());
        }
        self.expr()?;
        self.alias()
    }

    fn order_item(&mut self) -> Option<()> {
        self.expr()?;
        if !self.eat_kw("ASC") {
            let _ = self.eat_kw("DESC");
        }
        if self.eat_kw("NULLS") && !self.eat_kw("FIRST") {
            self.kw("LAST")?;
        }
        Some(())
    }

    /// A table name (up to `db.schema.table`).
    fn table_name(&mut self) -> Option<()> {
        self.name()?;
        for _ in 0..2 {
            if !self.eat_op(".") {
                break;
            }
            self.name()?;
        }
        // `name(`: a table function.
        (!self.is_op("(")).then_some(())
    }

    fn table_ref(&mut self) -> Option<()> {
        self.table_name()?;
        self.alias()?;
        loop {
            let cross = self.eat_kw("CROSS");
            if !cross && !self.eat_kw("INNER") {
                let outer = self.eat_kw("LEFT") || self.eat_kw("RIGHT") || self.eat_kw("FULL");
                if outer {
                    let _ = self.eat_kw("OUTER");
                }
                if !outer && !self.is_kw("JOIN") {
                    return Some(());
                }
            }
            self.kw("JOIN")?;
            self.table_name()?;
            self.alias()?;
            if !cross {
                self.kw("ON")?;
                self.expr()?;
            }
        }
    }

    fn nest(&mut self, f: fn(&mut Self) -> Option<()>) -> Option<()> {
        if self.depth >= MAX_NESTING {
            return None;
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    fn expr(&mut self) -> Option<()> {
        self.nest(|p| {
            p.and_expr()?;
            while p.eat_kw("OR") {
                p.and_expr()?;
            }
            Some(())
        })
    }

    fn and_expr(&mut self) -> Option<()> {
        self.not_expr()?;
        while self.eat_kw("AND") {
            self.not_expr()?;
        }
        Some(())
    }

    fn not_expr(&mut self) -> Option<()> {
        if self.eat_kw("NOT") {
            return self.nest(Self::not_expr);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Option<()> {
        self.additive()?;
        if let Some(Tok::Op("=" | "<>" | "!=" | "<" | ">" | "<=" | ">=")) = self.peek() {
            self.i += 1;
            return self.additive();
        }
        if self.eat_kw("IS") {
            let _ = self.eat_kw("NOT");
            return self.kw("NULL");
        }
        let not = self.eat_kw("NOT");
        if self.eat_kw("IN") {
            self.op("(")?;
            self.list(Self::expr)?;
            return self.op(")");
        }
        if self.eat_kw("BETWEEN") {
            self.additive()?;
            self.kw("AND")?;
            return self.additive();
        }
        if self.eat_kw("LIKE") || self.eat_kw("ILIKE") {
            return self.additive();
        }
        // A `NOT` that none of the above follows is not this grammar's.
        (!not).then_some(())
    }

    fn additive(&mut self) -> Option<()> {
        self.multiplicative()?;
        while self.eat_op("+") || self.eat_op("-") {
            self.multiplicative()?;
        }
        Some(())
    }

    fn multiplicative(&mut self) -> Option<()> {
        self.unary()?;
        while self.eat_op("*") || self.eat_op("/") || self.eat_op("%") {
            self.unary()?;
        }
        Some(())
    }

    fn unary(&mut self) -> Option<()> {
        if self.eat_op("-") {
            return matches!(self.peek(), Some(Tok::Num)).then(|| self.i += 1);
        }
        self.primary()
    }

    fn primary(&mut self) -> Option<()> {
        match self.peek()? {
            Tok::Num | Tok::Str => {
                self.i += 1;
                Some(())
            }
            Tok::Op("(") => {
                self.i += 1;
                self.expr()?;
                self.op(")")
            }
            Tok::Op(_) => None,
            // `INTERVAL '…'` with no unit after it: PostgreSQL's dialect parses the literal
            // as a prefix expression and then a unit only if a unit keyword follows, which
            // this grammar never puts there (every word it accepts after a primary is
            // another keyword or no keyword at all).
            Tok::Word(w)
                if w.eq_ignore_ascii_case("INTERVAL")
                    && matches!(self.peek_at(1), Some(Tok::Str)) =>
            {
                self.i += 2;
                Some(())
            }
            Tok::Word(w) => {
                if ["NULL", "TRUE", "FALSE"]
                    .iter()
                    .any(|k| w.eq_ignore_ascii_case(k))
                {
                    self.i += 1;
                    return Some(());
                }
                if matches!(self.peek_at(1), Some(Tok::Op("("))) {
                    return self.call(w);
                }
                self.name()?;
                if self.eat_op(".") {
                    self.name()?;
                }
                Some(())
            }
        }
    }

    /// A call to a function of [`FUNCTIONS`] that the tables still say is a read.
    fn call(&mut self, name: &str) -> Option<()> {
        let known = FUNCTIONS.iter().find(|f| name.eq_ignore_ascii_case(f))?;
        if call_effect(&known.to_ascii_lowercase()).0 != Effect::Read {
            return None;
        }
        self.i += 2; // the name and `(`
        if known == &"COUNT" && self.eat_op("*") {
            return self.op(")");
        }
        if known == &"NOW" {
            return self.op(")");
        }
        let _ = self.eat_kw("DISTINCT");
        self.list(Self::expr)?;
        self.op(")")
    }
}

#[cfg(test)]
mod tests;
mod write;
