#![cfg_attr(not(test), deny(clippy::indexing_slicing))]
//! Airlock's MCP enforcement points: the HTTP gateway (`POST /mcp/{server_id}`), the stdio
//! wrapper (`airlock mcp wrap`) and the Claude Code hook (`airlock hook claude-code`).
//!
//! All three relay raw JSON-RPC and apply the same rules ([`relay`]): every `tools/call` is
//! decided by the service's pipeline with its full arguments before it is forwarded, a
//! denied call is answered with an `isError` tool result and never reaches the upstream,
//! and `tools/list` results are pinned and filtered to the session's scope ceiling.

pub mod gateway;
pub mod hold;
pub mod hook;
pub mod lines;
pub mod local;
pub mod methods;
pub mod relay;
pub mod remote;
pub mod request_state;
pub mod sse;
pub mod stdio;
mod tool_call;
pub mod wait;

pub use gateway::{ConfigError, GatewayConfig, UpstreamError, gateway_router};
pub use relay::{DecideError, Decider, Decision, ObservedTool, Outstanding};
