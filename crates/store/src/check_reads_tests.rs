//! The keyed read's approvals are taken only when they are as fresh as the session it locked.
//! A statement reads every table as it was when it began, but `FOR UPDATE` returns the
//! session's latest version: a check of the same session that committed while the read waited
//! for the lock is seen in the session, not in the approvals. Here the read waits for real (the
//! statement that locks waiting, as the joined read does when it follows the lock taken
//! alone), on PostgreSQL (`AIRLOCK_TEST_DATABASE_URL`; skipped loudly without it, a failure
//! under CI).

use std::time::Duration;

use super::{KEY_ORG, joined, read_joined};
use crate::model::ts;

/// An organization with a key (`hash-k1`), a session `s1` of `agt_1` and one pending call
/// approval `a1` for the input digest `d`.
const SETUP: &str = "INSERT INTO orgs (id, name, created_at) VALUES ('o1', 'o1', '2026-01-01T00:00:00Z'); \
    INSERT INTO api_keys (id, org_id, hash, prefix, created_at) \
    VALUES ('k1', 'o1', 'hash-k1', 'sk_', '2026-01-01T00:00:00Z'); \
    INSERT INTO sessions (org_id, id, agent_id, source, scope_ceiling, base_mode, head, \
    created_at, last_activity_at) VALUES ('o1', 's1', 'agt_1', 'api', '[]', 'read_only', \
    'h0', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'); \
    INSERT INTO approvals (id, org_id, session_id, agent_id, kind, action_name, action_effect, \
    input_digest, reason, status, created_at, expires_at) VALUES ('a1', 'o1', 's1', 'agt_1', \
    'call', 'db.drop', 'destructive', 'd', 'r', 'pending', '2026-01-01T00:00:00Z', \
    '2999-01-01T00:00:00Z')";

#[test]
fn approvals_older_than_the_locked_session_are_not_taken() {
    let Some((engine, url, _schema)) =
        crate::postgres::tests::engine("approvals_older_than_the_locked_session_are_not_taken")
    else {
        return;
    };
    drop(engine);
    let mut setup = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    setup.batch_execute(SETUP).expect("setup");
    let sql = joined("FOR UPDATE", Some(KEY_ORG));
    let now = ts(chrono::Utc::now());
    let read = move |c: &mut postgres::Client| {
        let row = c
            .query_one(
                sql.as_str(),
                &[&"hash-k1", &"agt_1", &"s1", &"db.drop", &"d", &now],
            )
            .expect("the keyed read");
        // The key's value first, then the check's part.
        read_joined(&row, 1, true).expect("the check's reads")
    };
    // Nothing in between: the approvals are read with the session.
    let mut reader = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    let alone = read(&mut reader);
    let approvals = alone.approvals.expect("read with the session");
    assert_eq!(
        approvals.at(chrono::Utc::now()).call.pending.as_deref(),
        Some("a1")
    );

    // A check of the session holds its lock, uses the approval, writes the session, and
    // commits while the read waits.
    let mut check = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    let mut tx = check.transaction().expect("begin");
    tx.execute(
        "SELECT 1 FROM sessions WHERE org_id = 'o1' AND id = 's1' FOR UPDATE",
        &[],
    )
    .expect("lock");
    tx.execute(
        "UPDATE approvals SET used_at = '2026-01-02T00:00:00Z' WHERE id = 'a1'",
        &[],
    )
    .expect("use");
    tx.execute(
        "UPDATE sessions SET total_calls = total_calls + 1, head = 'h1' WHERE id = 's1'",
        &[],
    )
    .expect("write");
    let in_thread = read.clone();
    let waiting = std::thread::spawn(move || in_thread(&mut reader));
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        !waiting.is_finished(),
        "the read waits for the session's lock"
    );
    tx.commit().expect("commit");
    let after = waiting.join().expect("the read");
    let session = after.session.expect("the session");
    assert_eq!(
        (session.total_calls, session.head.as_str()),
        (1, "h1"),
        "the locked session is the latest version"
    );
    // Its statement began before the commit: the approval it sees is the unused one.
    assert_eq!(
        after.approvals, None,
        "approvals older than the locked session are left to a statement of their own"
    );

    // Once nothing is in between again, they are read with the session: the used one gone.
    let mut again = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    let fresh = read(&mut again).approvals.expect("read with the session");
    assert_eq!(fresh.at(chrono::Utc::now()).call.pending, None);
}
