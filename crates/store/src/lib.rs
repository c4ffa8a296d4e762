//! Airlock's persistence. [`Store`] runs requests as transactions on the embedded SQLite
//! database, batched into group commits; [`Tx`] is what a request may do inside one.

mod error;
pub mod model;
pub mod sqlite;
mod sqlite_tx;
pub mod tx;

pub use error::StoreError;
pub use sqlite::{Options, SCHEMA_VERSION, Store, migrate_path};
pub use tx::{CallApprovals, Tx};
