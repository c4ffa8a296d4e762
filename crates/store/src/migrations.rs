//! The schema versions both backends carry, and the rules for moving between them.
//!
//! Version n is the n-th file of each backend's list: a new table is one migration per
//! backend, appended to both lists at once (the lengths must agree, checked at compile time).

use crate::StoreError;

/// SQLite's migrations, in order.
pub(crate) const SQLITE: &[&str] = &[
    include_str!("../migrations/sqlite/0001_init.sql"),
    include_str!("../migrations/sqlite/0002_tool_pins.sql"),
    include_str!("../migrations/sqlite/0003_key_roles.sql"),
    include_str!("../migrations/sqlite/0004_server_methods.sql"),
    include_str!("../migrations/sqlite/0005_notifications.sql"),
    include_str!("../migrations/sqlite/0006_reviewers.sql"),
    include_str!("../migrations/sqlite/0007_server_wait.sql"),
    include_str!("../migrations/sqlite/0008_policies.sql"),
    include_str!("../migrations/sqlite/0009_console_sessions.sql"),
    include_str!("../migrations/sqlite/0010_log_search.sql"),
    include_str!("../migrations/sqlite/0011_decision_rule.sql"),
    include_str!("../migrations/sqlite/0012_gateway_sessions.sql"),
    include_str!("../migrations/sqlite/0013_decision_key.sql"),
    include_str!("../migrations/sqlite/0014_siem.sql"),
    include_str!("../migrations/sqlite/0015_identity.sql"),
    include_str!("../migrations/sqlite/0016_check_path.sql"),
    include_str!("../migrations/sqlite/0017_delegations.sql"),
    include_str!("../migrations/sqlite/0018_a2a.sql"),
    include_str!("../migrations/sqlite/0019_decision_agent_index.sql"),
    include_str!("../migrations/sqlite/0020_session_approvals_flag.sql"),
    include_str!("../migrations/sqlite/0021_org_versions.sql"),
];

/// PostgreSQL's migrations, in order.
pub(crate) const POSTGRES: &[&str] = &[
    include_str!("../migrations/postgres/0001_init.sql"),
    include_str!("../migrations/postgres/0002_tool_pins.sql"),
    include_str!("../migrations/postgres/0003_key_roles.sql"),
    include_str!("../migrations/postgres/0004_server_methods.sql"),
    include_str!("../migrations/postgres/0005_notifications.sql"),
    include_str!("../migrations/postgres/0006_reviewers.sql"),
    include_str!("../migrations/postgres/0007_server_wait.sql"),
    include_str!("../migrations/postgres/0008_policies.sql"),
    include_str!("../migrations/postgres/0009_console_sessions.sql"),
    include_str!("../migrations/postgres/0010_log_search.sql"),
    include_str!("../migrations/postgres/0011_decision_rule.sql"),
    include_str!("../migrations/postgres/0012_gateway_sessions.sql"),
    include_str!("../migrations/postgres/0013_decision_key.sql"),
    include_str!("../migrations/postgres/0014_siem.sql"),
    include_str!("../migrations/postgres/0015_identity.sql"),
    include_str!("../migrations/postgres/0016_check_path.sql"),
    include_str!("../migrations/postgres/0017_delegations.sql"),
    include_str!("../migrations/postgres/0018_a2a.sql"),
    include_str!("../migrations/postgres/0019_decision_agent_index.sql"),
    include_str!("../migrations/postgres/0020_session_approvals_flag.sql"),
    include_str!("../migrations/postgres/0021_org_versions.sql"),
];

/// The schema version this build knows.
pub const SCHEMA_VERSION: i64 = SQLITE.len() as i64;

// Both backends carry the same schema versions.
const _: () = assert!(POSTGRES.len() as i64 == SCHEMA_VERSION);

/// Whether a database at schema `version` (`None`: no schema table) can be served as it is.
pub(crate) fn check(version: Option<i64>) -> Result<(), StoreError> {
    match version {
        None | Some(0) => Err(StoreError::NotMigrated),
        Some(v) if v > SCHEMA_VERSION => Err(StoreError::SchemaTooNew {
            found: v,
            known: SCHEMA_VERSION,
        }),
        Some(v) if v < SCHEMA_VERSION => Err(StoreError::NotMigrated),
        Some(_) => Ok(()),
    }
}

/// Runs `apply(version, sql)` for each migration of `list` newer than `current`, in order;
/// refuses a schema newer than this build. Returns the versions applied.
pub(crate) fn apply_after(
    current: i64,
    list: &[&str],
    mut apply: impl FnMut(i64, &str) -> Result<(), StoreError>,
) -> Result<Vec<i64>, StoreError> {
    if current > SCHEMA_VERSION {
        return Err(StoreError::SchemaTooNew {
            found: current,
            known: SCHEMA_VERSION,
        });
    }
    let mut applied = Vec::new();
    for (version, sql) in (1..).zip(list).filter(|(v, _)| *v > current) {
        apply(version, sql)?;
        applied.push(version);
    }
    Ok(applied)
}
