//! Two plain writes whose verdict the fast path reproduces exactly (`sql/stmt.rs`
//! `node_effect`): `INSERT INTO t [(c, …)] VALUES (…)[, (…)]` is `Mutating`, "inserts rows"
//! (no `OR REPLACE`, `REPLACE`, `OVERWRITE`, `FUNCTION`, `ON CONFLICT`, `RETURNING` or
//! query source); `UPDATE t SET c = e[, …] WHERE f` is `Mutating`, "updates rows matching a
//! filter" when the filter is `AND`s of a column equal to a literal, which
//! `sqlfilter::always_true` never holds (a column is never the same expression as a
//! literal) and `row_independent` never holds (it names a column). An `UPDATE` of a table
//! whose name holds `audit` (any case) is refused: the full analysis makes rewriting audit
//! records destructive (`rules::audit_target`); appending to one is an insert like any.
//! Neither writes a system catalog (`pg_authid`, `mysql.user`, `sqlite_master`): the full
//! analysis makes that admin (`rules::catalog_target`), so such names go to it; nor does an
//! `INSERT` name a column as its table (a full-text command, `rules::fts_command`).

use super::{Parser, Tok};
use crate::classify::content::sql::{catalog_schema, catalog_table};

/// `stmt.rs` `filter_effect`'s reason for a filtered `UPDATE` (the differential tests
/// compare the two).
pub(super) const UPDATES: &str = "updates rows matching a filter";

impl Parser<'_, '_> {
    pub(super) fn insert(&mut self) -> Option<()> {
        self.kw("INSERT")?;
        self.kw("INTO")?;
        self.target(true)?;
        let table = match self.toks.get(self.i.checked_sub(1)?) {
            Some(Tok::Word(w)) => *w,
            _ => return None,
        };
        if self.eat_op("(") {
            let from = self.i;
            self.list(Self::column)?;
            // A column named as its table takes SQLite full-text commands (`'delete-all'`
            // empties the index): the full analysis judges those (`rules::fts_command`).
            let named = self
                .toks
                .get(from..self.i)?
                .iter()
                .any(|t| matches!(t, Tok::Word(w) if w.eq_ignore_ascii_case(table)));
            if named {
                return None;
            }
            self.op(")")?;
        }
        self.kw("VALUES")?;
        self.list(|p| {
            p.op("(")?;
            p.list(Self::expr)?;
            p.op(")")
        })
    }

    pub(super) fn update(&mut self) -> Option<()> {
        self.kw("UPDATE")?;
        self.target(false)?;
        self.kw("SET")?;
        self.list(|p| {
            p.column()?;
            p.op("=")?;
            p.expr()
        })?;
        self.kw("WHERE")?;
        self.column_test()?;
        while self.eat_kw("AND") {
            self.column_test()?;
        }
        Some(())
    }

    /// A column written to: sqlparser takes any word there (`SET plan = …`, `(note, …)`), but
    /// `SELECT` and `WITH` right after `(` start a query source instead.
    fn column(&mut self) -> Option<()> {
        match self.peek() {
            Some(Tok::Word(w))
                if !w.eq_ignore_ascii_case("SELECT") && !w.eq_ignore_ascii_case("WITH") =>
            {
                self.i += 1;
                Some(())
            }
            _ => None,
        }
    }

    /// A table written to: up to `db.schema.table`, no alias, unless `audit_ok` no `audit`
    /// in any part, and never a part a system catalog's name has (the full analysis makes
    /// such writes admin: `rules::catalog_target`).
    fn target(&mut self, audit_ok: bool) -> Option<()> {
        let start = self.i;
        self.name()?;
        for _ in 0..2 {
            if !self.eat_op(".") {
                break;
            }
            self.name()?;
        }
        let audit = !audit_ok
            && self
                .toks
                .get(start..self.i)?
                .iter()
                .any(|t| matches!(t, Tok::Word(w) if w.to_ascii_lowercase().contains("audit")));
        // Each word as a table's name and as a schema's: a superset of the full rule.
        let catalog = self.toks.get(start..self.i)?.iter().any(|t| match t {
            Tok::Word(w) => catalog_table(w) || catalog_schema(w),
            _ => false,
        });
        (!audit && !catalog).then_some(())
    }

    /// `column op literal` or `column [NOT] IN (literal, …)`: the column maybe qualified,
    /// the literal a number or a string (never `NULL`, `TRUE`, `FALSE`).
    fn column_test(&mut self) -> Option<()> {
        self.name()?;
        if self.eat_op(".") {
            self.name()?;
        }
        // Only equality: a range can keep every row in practice (`id > 0`), which the full
        // analysis makes destructive (`sqlfilter::keeps_every_row_in_practice`).
        if let Some(Tok::Op("=")) = self.peek() {
            self.i += 1;
            return self.literal();
        }
        let _ = self.eat_kw("NOT");
        self.kw("IN")?;
        self.op("(")?;
        self.list(Self::literal)?;
        self.op(")")
    }

    fn literal(&mut self) -> Option<()> {
        if self.eat_op("-") {
            return self.number();
        }
        matches!(self.peek(), Some(Tok::Num | Tok::Str)).then(|| self.i += 1)
    }
}

/// True if the text holds a word of a write that may grant access
/// (`sql::rules::ACCESS_WORDS`, any case): a superset of what the full rules look at.
pub(super) fn names_access(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    crate::classify::content::sql::ACCESS_WORDS
        .iter()
        .any(|w| lower.contains(w))
}
