//! Rendering of what people decide on: a call's input as SQL, a shell command or JSON.

pub mod input;
mod split;
