#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Waiting instead of failing: a `tools/call` that needs an approval is held while the
//! approval is pending. Approved in time → forwarded as checked (the approval is used up by
//! the check that lets it through); denied or not decided in time → the usual denial; a
//! second identical call is denied again. The same script runs through the gateway's
//! in-process decider (wait from the server registration) and the wrapper's decider over the
//! HTTP API (`--approval-wait-secs`), with the real service and store. A key revoked while
//! its call waits decides nothing on either path, though the call is then approved.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use airlock_mcp::local::LocalDecider;
use airlock_mcp::relay::{self, ClientAction, Decider, Outstanding};
use airlock_mcp::remote::RemoteDecider;

mod common;
use airlock_server::service::{KeyRole, NewServer};
use common::{World, pending};

async fn world(wait_secs: u64) -> World {
    common::db_world(wait_secs).await
}

async fn local(w: &World) -> LocalDecider {
    common::local(w, None).await
}

async fn remote(w: &World, wait: Option<Duration>) -> RemoteDecider {
    common::remote(w, wait).await
}

fn drop_call(id: i64) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
           "params": {"name": "execute_sql", "arguments": {"sql": "DROP TABLE accounts"}}})
}

fn denial_text(action: &ClientAction) -> String {
    let ClientAction::Reply(r) = action else {
        panic!("expected a denial, got {action:?}")
    };
    assert_eq!(r["result"]["isError"], true, "{r}");
    r["result"]["content"][0]["text"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn script<D: Decider + 'static>(w: &World, decider: Arc<D>) {
    let out = Arc::new(Outstanding::default());
    let hold = |msg: Value| {
        let (d, o) = (decider.clone(), out.clone());
        tokio::spawn(async move { relay::on_client_message(d.as_ref(), &o, msg).await })
    };

    // Approved while it waits: forwarded exactly as checked.
    let call = hold(drop_call(1));
    let id = pending(w).await;
    assert!(
        !call.is_finished(),
        "the call is held while its approval is pending"
    );
    let decided = w
        .service
        .decide_approval(&w.caller, &id, Some("ops"), None, true)
        .await
        .unwrap();
    assert_eq!(decided.approval.status, "approved");
    assert_eq!(call.await.unwrap(), ClientAction::Forward(drop_call(1)));
    let used = w.service.approval(&w.caller, &id).await.unwrap();
    assert_eq!(
        used.status, "used",
        "the check that let it through used it up"
    );

    // The same call again: the approval is used up, so it waits for a new one; denied.
    let call = hold(drop_call(2));
    let second = pending(w).await;
    assert_ne!(second, id);
    w.service
        .decide_approval(&w.caller, &second, Some("ops"), None, false)
        .await
        .unwrap();
    let text = denial_text(&call.await.unwrap());
    assert!(
        text.contains(&format!("approval `{second}` is denied")),
        "{text}"
    );

    // Nobody decides: denied when the wait runs out, the approval still pending.
    let started = Instant::now();
    let text = denial_text(&hold(drop_call(3)).await.unwrap());
    assert!(started.elapsed() >= decider.approval_wait(), "it waited");
    assert!(text.contains("was not decided in time"), "{text}");
    assert!(text.contains("approval id: apr_"), "{text}");
}

#[tokio::test]
async fn the_gateway_holds_a_call_for_its_approval() {
    let w = world(1).await;
    let d = Arc::new(local(&w).await);
    assert_eq!(d.approval_wait(), Duration::from_secs(1));
    script(&w, d).await;
}

#[tokio::test]
async fn the_wrapper_holds_a_call_for_its_approval_over_http() {
    let w = world(0).await;
    // The registration does not wait; the wrapper's flag does.
    let d = Arc::new(remote(&w, Some(Duration::from_secs(1))).await);
    assert_eq!(d.approval_wait(), Duration::from_secs(1));
    script(&w, d).await;
    // Without the flag, the registration's wait (none here): denied at once.
    let d = remote(&w, None).await;
    assert_eq!(d.approval_wait(), Duration::ZERO);
    let started = Instant::now();
    let action = relay::on_client_message(&d, &Outstanding::default(), drop_call(9)).await;
    denial_text(&action);
    assert!(started.elapsed() < Duration::from_millis(900));
}

#[tokio::test]
async fn a_registration_waits_at_most_ten_minutes() {
    let w = world(600).await;
    let too_long = w
        .service
        .register_server(
            &w.caller,
            NewServer {
                name: "db2".into(),
                url: "stdio:db2".into(),
                approval_wait_secs: Some(601),
                ..NewServer::default()
            },
        )
        .await;
    assert!(too_long.is_err());
    let d = remote(&w, None).await;
    assert_eq!(
        d.approval_wait(),
        Duration::from_secs(600),
        "read from the registration"
    );
}

/// Holds a destructive call made with a second key and revokes that key while the call waits;
/// with `approve`, then approves the call. Either way the call is refused for the revoked key
/// (the approval's status is no longer read for it, and the check that would use the approval
/// authenticates the key again), long before the wait (5 s) runs out; nothing is forwarded
/// and no check uses the approval.
async fn revoked_while_waiting<D: Decider + 'static>(
    w: &World,
    decider: Arc<D>,
    key_id: &str,
    approve: bool,
) {
    let out = Arc::new(Outstanding::default());
    let d = decider.clone();
    let call =
        tokio::spawn(async move { relay::on_client_message(d.as_ref(), &out, drop_call(1)).await });
    let id = pending(w).await;
    let revoked = Instant::now();
    w.service.revoke_api_key(&w.caller, key_id).await.unwrap();
    if approve {
        common::decide(w, &id, true).await;
    }
    let action = call.await.unwrap();
    assert!(
        revoked.elapsed() < Duration::from_secs(3),
        "the wait ended with the key"
    );
    let ClientAction::Reply(r) = &action else {
        panic!("a call whose key was revoked while it waited was not refused: {action:?}")
    };
    assert_eq!(r["result"]["isError"], true, "{r}");
    let text = r["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("revoked"), "{text}");
    let approval = w.service.approval(&w.caller, &id).await.unwrap();
    let expected = if approve { "approved" } else { "pending" };
    assert_eq!(approval.status, expected, "no check used the approval");
}

async fn second_key(w: &World) -> (String, String) {
    let (key, info) = w
        .service
        .create_api_key(&w.caller, "agent key", KeyRole::Agent)
        .await
        .unwrap();
    (key, info.id)
}

#[tokio::test]
async fn the_gateway_refuses_a_call_whose_key_was_revoked_while_it_waited() {
    for approve in [true, false] {
        let w = world(5).await;
        let (key, key_id) = second_key(&w).await;
        let d = Arc::new(common::local_with_key(&w, &key, None).await);
        revoked_while_waiting(&w, d, &key_id, approve).await;
    }
}

#[tokio::test]
async fn the_wrapper_refuses_a_call_whose_key_was_revoked_while_it_waited() {
    for approve in [true, false] {
        let w = world(0).await;
        let (key, key_id) = second_key(&w).await;
        let d = common::remote_with_key(&w, &key, Some(Duration::from_secs(5))).await;
        revoked_while_waiting(&w, Arc::new(d), &key_id, approve).await;
    }
}

#[tokio::test]
async fn a_revoked_key_observes_no_tool_list_on_either_path() {
    let w = world(0).await;
    let (key, key_id) = second_key(&w).await;
    let local = common::local_with_key(&w, &key, None).await;
    let remote = common::remote_with_key(&w, &key, None).await;
    let tools = [json!({"name": "read_query", "inputSchema": {"type": "object"}})];
    assert!(local.observe(&tools).await.is_ok());
    assert!(remote.observe(&tools).await.is_ok());
    w.service.revoke_api_key(&w.caller, &key_id).await.unwrap();
    for e in [
        local.observe(&tools).await.unwrap_err(),
        remote.observe(&tools).await.unwrap_err(),
    ] {
        assert!(e.to_string().contains("revoked"), "{e}");
    }
}
