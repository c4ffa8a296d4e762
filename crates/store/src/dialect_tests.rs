//! Statements written once, as each backend's dialect writes them.

use crate::postgres_tx::DIALECT as POSTGRES;
use crate::sqlite_tx::DIALECT as SQLITE;

#[test]
fn a_statement_is_written_once_and_placed_per_backend() {
    let select = sql!(|d| format!(
        "SELECT id FROM {} WHERE a = $1 OR b = $12{}",
        d.session_approvals,
        d.deadline(13)
    ));
    let insert = sql!("{}", crate::record::insert_sql("t", "a, b, c"));
    let expected = [
        (
            &SQLITE,
            "SELECT id FROM approvals INDEXED BY approvals_session WHERE a = ?1 OR b = ?12",
            "INSERT INTO t (a, b, c) VALUES (?1, ?2, ?3)",
        ),
        (
            &POSTGRES,
            "SELECT id FROM approvals WHERE a = $1 OR b = $12 AND expires_at > $13",
            "INSERT INTO t (a, b, c) VALUES ($1, $2, $3)",
        ),
    ];
    for (dialect, select_text, insert_text) in expected {
        assert_eq!(select.text(dialect), select_text, "{:?}", dialect.kind);
        assert_eq!(insert.text(dialect), insert_text, "{:?}", dialect.kind);
    }
}
