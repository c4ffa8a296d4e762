//! Airlock's persistence. [`Store`] runs requests as transactions on the embedded SQLite
//! database or on PostgreSQL (several replicas on one database), batched into group commits;
//! [`Tx`] is what a request may do inside one.
//!
//! # Layout
//!
//! One data layer serves both backends:
//! - `queries.rs`: every query, written once, as the [`Tx`] of any backend transaction;
//! - `record.rs`: each table's columns, listed once, and how a field's type is stored;
//! - `sql.rs`: what the queries ask of a backend (`Db`: run a statement, read rows through
//!   `Row`) and statements written once with `$n` placeholders, rewritten per backend;
//! - `sqlite_tx.rs`, `postgres_tx.rs`: each backend's rows, cached statements and dialect
//!   (PostgreSQL also locks session rows, `NOWAIT` after a batch's first request);
//! - `sqlite.rs`, `postgres.rs`: connection set-up, migrations and the group-commit writer;
//!   `queue.rs`: the request queue they share; `store.rs`: the [`Store`] handle;
//! - `options.rs`, `migrations.rs`: the caller's options and the schema versions, leaves that
//!   import no other store module.
//!
//! # Adding a table
//!
//! 1. One migration per backend: `migrations/sqlite/000N_….sql` and
//!    `migrations/postgres/000N_….sql` (timestamps as RFC 3339 text, `COLLATE "C"` on
//!    PostgreSQL), each appended to its list in `migrations.rs`; the schema version follows.
//! 2. Its row type in `model.rs`, and one `record!` line in `record.rs` naming its table and
//!    columns (a field's type says how its column is stored).
//! 3. Its operations on [`Tx`] (`tx.rs`) and their queries, once, in `queries.rs`.
//!
//! The contract suite (`tests/contract.rs`) runs every test on both backends.

#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

mod durable;
mod error;
mod migrations;
pub mod model;
mod options;
mod org_cache;
#[macro_use]
mod sql;
mod postgres;
mod postgres_conn;
mod postgres_record;
mod postgres_tx;
mod queue;
#[macro_use]
mod record;
pub mod a2a;
mod check_reads;
pub mod delegations;
pub mod log_search;
mod queries;
mod seal;
pub mod siem;
pub mod sqlite;
mod sqlite_approvals;
mod sqlite_cache;
mod sqlite_prepared;
mod sqlite_tx;
mod sqlite_wal;
mod store;
pub mod tx;

#[cfg(test)]
mod dialect_tests;

pub use error::StoreError;
pub use migrations::SCHEMA_VERSION;
pub use options::{Backend, Options, Tuning};
pub use queue::{BatchHook, BatchStats};
pub use record::DECISION_COLUMNS;
pub use seal::Sealer;
pub use sqlite::migrate_path;
pub use store::Store;
pub use tx::{CallApprovals, CheckReads, GatewayReads, KeyReads, SessionApprovals, Tx};

/// Installs SQLite's page cache without its needless whole-cache walks at every commit
/// (`airlock_sqlite_vfs::install_page_cache`). Call it first in `main`, while the process
/// has one thread; `false` if SQLite was already initialised and keeps its own cache.
pub fn install_sqlite_page_cache() -> bool {
    airlock_sqlite_vfs::install_page_cache()
}
