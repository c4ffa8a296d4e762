//! One module per console page; each exposes `routes()`, merged in `lib.rs`.

pub mod agents;
pub mod approvals;
pub mod decisions;
pub mod keys;
pub mod policies;
pub mod servers;
pub mod sessions;
