//! Airlock's persistence. [`Store`] runs requests as transactions on the embedded SQLite
//! database or on PostgreSQL (several replicas on one database), batched into group commits;
//! [`Tx`] is what a request may do inside one.

mod error;
mod migrations;
pub mod model;
mod options;
mod postgres;
mod postgres_tx;
mod queue;
pub mod sqlite;
mod sqlite_tx;
mod store;
pub mod tx;

pub use error::StoreError;
pub use migrations::SCHEMA_VERSION;
pub use options::{Backend, Options, Tuning};
pub use sqlite::migrate_path;
pub use store::Store;
pub use tx::{CallApprovals, Tx};
