//! The fast path: a token-level proof of a text's effect, in front of the full analysis. It
//! answers only for texts it accepts whole and otherwise says nothing, and the full analysis
//! runs. What it accepts is a strict subset of what the full analysis proves to be a read,
//! plus two plain writes whose effect and reason it reproduces exactly; it may never answer
//! lower than the full analysis (`tests/fast_path_differential.rs` checks this on generated
//! inputs and the whole corpus).
//!
//! SQL: one `SELECT` over plain tables (joins, `WHERE`, `GROUP BY`, `HAVING`, `ORDER BY`,
//! `LIMIT`, `OFFSET`), with identifiers that are not SQL keywords, literals (and PostgreSQL's
//! `INTERVAL '…'` without a unit), operators and calls to a short list of functions that
//! every dialect's table knows to be free of side effects; optionally after `WITH` of such
//! selects (not `RECURSIVE`, no column lists, no `MATERIALIZED`), optionally under a bare
//! `EXPLAIN` (no `ANALYZE`, no options), answered with the walk's reason for it; and
//! `INSERT … VALUES` and `UPDATE … SET … WHERE column = literal …` (`fast/sql/write.rs`),
//! answered `Mutating` as the full analysis answers them. ASCII only, no comments but one
//! plain comment at the very end (`fast/sql.rs` `trailing_comment`), no quoted names,
//! dialect-divergent characters ([`super::sqllex::dialect_sensitive`]), subqueries other
//! than those CTE bodies, `INTO`, locking clauses or second statements.

//!
//! Shell: a line of plain words ([`shell::plain_line`]) is split without the parser; the
//! walker's own command step then judges each command, so only the parse is skipped.

pub(crate) mod shell;
mod sql;

pub(crate) use sql::statement;
pub use sql::{select_read, statement_effect};
