//! Upgrading a store: a database written by an older schema version migrates in place, on
//! SQLite and on PostgreSQL (`AIRLOCK_TEST_DATABASE_URL`, as for the store contract), and its
//! rows read back through the one data layer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[allow(unused_macros)] // the contract! macro is for the contract suite
mod common;

use airlock_store::{Backend, Options, Store, StoreError};
use common::Fresh;

/// The migrations of schema version 3 (before servers listed their custom methods).
const SQLITE_V3: [&str; 3] = [
    include_str!("../migrations/sqlite/0001_init.sql"),
    include_str!("../migrations/sqlite/0002_tool_pins.sql"),
    include_str!("../migrations/sqlite/0003_key_roles.sql"),
];
const POSTGRES_V3: [&str; 3] = [
    include_str!("../migrations/postgres/0001_init.sql"),
    include_str!("../migrations/postgres/0002_tool_pins.sql"),
    include_str!("../migrations/postgres/0003_key_roles.sql"),
];

/// The statements that leave a database at schema version 3 with one organization and one
/// server registered.
fn version_3_statements(v3: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = v3.iter().map(|s| s.to_string()).collect();
    out.push(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TEXT NOT NULL)"
            .into(),
    );
    out.push(
        "INSERT INTO schema_migrations (version, applied_at) VALUES (1, 'x'), (2, 'x'), (3, 'x')"
            .into(),
    );
    out.push(
        "INSERT INTO orgs (id, name, default_mode, created_at) \
         VALUES ('o1', 'o1-name', 'read_only', '2026-01-01T00:00:00.000000Z')"
            .into(),
    );
    out.push(
        "INSERT INTO servers (id, org_id, name, url, description, capabilities, tools, \
         default_mode, status, created_at) VALUES ('srv_old', 'o1', 'old', 'stdio:old', '', \
         NULL, '[]', 'read_only', 'active', '2026-01-01T00:00:00.000000Z')"
            .into(),
    );
    out.push(
        "INSERT INTO sessions (org_id, id, agent_id, server_id, source, scope_ceiling, base_mode, \
         elevated_until, total_calls, read_calls, write_calls, denied_calls, head, created_at, \
         last_activity_at) VALUES ('o1', 's_old', 'agt_old', NULL, 'api', '[]', 'read_only', \
         NULL, 0, 0, 0, 0, '', '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')"
            .into(),
    );
    out
}

/// A server registered before version 4 lists no custom methods after the upgrade, and the
/// new field is written and read back through the one data layer.
fn upgrade_tests(fresh: Fresh) {
    let b = fresh.backend.clone();
    match &b {
        Backend::Sqlite(dir) => {
            let c = rusqlite::Connection::open(dir.join("airlock.db")).unwrap();
            for sql in version_3_statements(&SQLITE_V3) {
                c.execute_batch(&sql).unwrap();
            }
        }
        Backend::Postgres(url) => {
            let mut c = postgres::Client::connect(url, postgres::NoTls).unwrap();
            for sql in version_3_statements(&POSTGRES_V3) {
                c.batch_execute(&sql).unwrap();
            }
        }
    }
    assert!(matches!(
        Store::open_backend(&b, Options { migrate: false }),
        Err(StoreError::NotMigrated)
    ));
    assert_eq!(
        b.migrate().unwrap(),
        vec![
            4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21
        ]
    );
    let (old, listed) = Store::run_blocking(&b, Options { migrate: false }, |tx| {
        let mut old = tx.server("o1", "srv_old")?.unwrap();
        assert!(old.allowed_methods.is_empty());
        assert_eq!(
            old.approval_wait_secs, 0,
            "servers registered before 0008 do not wait"
        );
        old.id = "srv_new".into();
        old.allowed_methods = vec!["acme/reindex".into(), "x.y:z".into()];
        old.approval_wait_secs = 120;
        tx.insert_server(&old)?;
        // A session from before migration 20 may have approvals: its checks read them.
        let reads = tx.check_reads("o1", "agt_old", "s_old", "db.drop")?;
        assert!(reads.session.is_some() && reads.may_have_approvals);
        Ok((old, tx.list_servers("o1")?))
    })
    .unwrap();
    // Same creation time: ordered by id.
    let ids: Vec<&str> = listed.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, vec!["srv_new", "srv_old"]);
    assert_eq!(listed.first(), Some(&old));
    assert!(listed.get(1).unwrap().allowed_methods.is_empty());
}

#[test]
fn upgrade_to_server_methods_sqlite() {
    upgrade_tests(common::sqlite_unmigrated());
}

#[test]
fn upgrade_to_server_methods_postgres() {
    let Some(fresh) = common::postgres_unmigrated("upgrade_to_server_methods") else {
        return;
    };
    upgrade_tests(fresh);
}
