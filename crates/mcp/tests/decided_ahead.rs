//! A decision the gateway made in the store round trip that opened its session
//! (`LocalDecider::with_decision`) answers the relay's first check only, and only when that
//! check is the call it decided: any other first check discards it and is decided as usual,
//! and every later check (after an approval, say) is decided again.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use serde_json::{Value, json};

use airlock_mcp::relay::{Decider, Decision, Declared};

const AHEAD: &str = "chk_made_ahead";

fn made_ahead(session: &str) -> Decision {
    Decision {
        allowed: true,
        reason: "decided ahead".into(),
        approval_id: None,
        elevation_required: false,
        check_id: AHEAD.into(),
        effect: "read".into(),
        session_id: session.into(),
        rule: "read".into(),
    }
}

fn input(sql: &str) -> Value {
    json!({"sql": sql})
}

#[tokio::test]
async fn the_first_check_of_the_same_call_takes_the_decision_and_only_it() {
    let w = common::db_world(0).await;
    let fresh = common::local(&w, None).await;
    let session = fresh.session_id.clone();
    let ahead = |d: airlock_mcp::local::LocalDecider| {
        d.with_decision(
            "execute_sql".into(),
            input("DROP TABLE t"),
            Ok(made_ahead(&session)),
        )
    };

    // The same call: the decision made ahead, once; the next check is decided again (and a
    // DROP is not allowed in a standard session).
    let d = ahead(fresh.clone());
    let first = d
        .check("execute_sql", input("DROP TABLE t"), None)
        .await
        .unwrap();
    assert_eq!(first.check_id, AHEAD);
    let again = d
        .check("execute_sql", input("DROP TABLE t"), None)
        .await
        .unwrap();
    assert_ne!(again.check_id, AHEAD);
    assert!(again.check_id.starts_with("chk_"), "{again:?}");
    assert!(!again.allowed, "{again:?}");

    // Another first check (other input, other tool, a declared effect, a refusal): decided
    // as usual, and the decision made ahead is gone for the call it was made for too.
    let others: [(&str, Value, Option<Declared>, bool); 4] = [
        ("execute_sql", input("DROP TABLE u"), None, false),
        ("read_query", input("DROP TABLE t"), None, false),
        (
            "execute_sql",
            input("DROP TABLE t"),
            Some(Declared::Mutating),
            false,
        ),
        ("execute_sql", input("DROP TABLE t"), None, true),
    ];
    for (tool, args, declared, refusal) in others {
        let d = ahead(fresh.clone());
        let first = if refusal {
            d.refuse(tool, args.clone(), "refused by the test").await
        } else {
            d.check(tool, args.clone(), declared).await
        }
        .unwrap();
        assert_ne!(
            first.check_id, AHEAD,
            "{tool} {args} {declared:?} {refusal}"
        );
        assert!(!first.allowed, "{tool} {args}: {first:?}");
        let then = d
            .check("execute_sql", input("DROP TABLE t"), None)
            .await
            .unwrap();
        assert_ne!(
            then.check_id, AHEAD,
            "{tool} {args}: the decision outlived its check"
        );
    }

    // An error decided ahead is the check's answer, as it would have been.
    let d = fresh.clone().with_decision(
        "execute_sql".into(),
        input("SELECT 1"),
        Err(airlock_mcp::DecideError::Unreachable("the store".into())),
    );
    let e = d
        .check("execute_sql", input("SELECT 1"), None)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("the store"), "{e}");

    // Clones share the decision (the held path decides on a task of its own): one use.
    let d = ahead(fresh.clone());
    let copy = d.clone();
    let first = copy
        .check("execute_sql", input("DROP TABLE t"), None)
        .await
        .unwrap();
    assert_eq!(first.check_id, AHEAD);
    let second = d
        .check("execute_sql", input("DROP TABLE t"), None)
        .await
        .unwrap();
    assert_ne!(second.check_id, AHEAD);
}
