//! Tests only: see tests/sdk.rs.
