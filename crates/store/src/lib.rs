//! Airlock's persistence. [`Store`] runs requests as transactions on the embedded SQLite
//! database or on PostgreSQL (several replicas on one database), batched into group commits;
//! [`Tx`] is what a request may do inside one.

mod error;
pub mod model;
mod postgres;
mod postgres_tx;
mod queue;
pub mod sqlite;
mod sqlite_tx;
mod store;
pub mod tx;

pub use error::StoreError;
pub use sqlite::{SCHEMA_VERSION, migrate_path};
pub use store::{Backend, Options, Store, Tuning};
pub use tx::{CallApprovals, Tx};
