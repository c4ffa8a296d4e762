//! Airlock's decision core: pure, no I/O, no clock, no randomness. Time and ids are inputs.
//!
//! - [`classify`]: the effect of a call from its name, its registered override, its declared
//!   hint and its content;
//! - [`scope`]: capability patterns and the session scope ceiling;
//! - [`session`]: session state, mode and elevation;
//! - [`pipeline`]: the decision pipeline, step by step;
//! - [`chain`]: the per-session SHA-256 hash chain of decisions.

#![cfg_attr(not(test), deny(clippy::indexing_slicing))]

pub mod chain;
pub mod classify;
pub mod effect;
pub mod pipeline;
pub mod scope;
pub mod session;

pub use effect::{Effect, UnknownEffectError};
