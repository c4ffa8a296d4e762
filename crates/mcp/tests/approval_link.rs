#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The approval link travels through the MCP protocol, and nothing that comes back can run a
//! call that no check allowed.
//!
//! - A held call of a client that declared URL-mode elicitation is sent `elicitation/create`
//!   with the link and progress while it waits; `decline` ends the wait with a denial;
//!   `notifications/cancelled` ends it with no answer, and approving later runs nothing.
//! - Without a wait, a 2025-11-25 client gets `-32042` with the link; a 2026-07-28 client an
//!   `InputRequiredResult` whose sealed state is single use, bound to the call and the
//!   session, and refused when tampered with.
//!
//! Real service and store; the gateway's in-process decider.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::sync::mpsc;

use airlock_mcp::local::LocalDecider;
use airlock_mcp::relay::{self, ClientAction, Outstanding, code};

mod common;
use common::{World, decide, pending};

const BASE: &str = "https://airlock.example";
const MODERN: &str = "io.modelcontextprotocol/protocolVersion";
const CAPS: &str = "io.modelcontextprotocol/clientCapabilities";

async fn world(wait_secs: u64) -> World {
    common::db_world(wait_secs).await
}

fn call(id: i64, sql: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
           "params": {"name": "execute_sql", "arguments": {"sql": sql},
                      "_meta": {"progressToken": "p1"}}})
}

fn initialize(url: bool) -> Value {
    let caps = if url {
        json!({"elicitation": {"form": {}, "url": {}}})
    } else {
        json!({"elicitation": {}})
    };
    json!({"jsonrpc": "2.0", "id": 0, "method": "initialize",
           "params": {"protocolVersion": "2025-11-25", "capabilities": caps,
                      "clientInfo": {"name": "t", "version": "1"}}})
}

struct Conn {
    decider: Arc<LocalDecider>,
    out: Arc<Outstanding>,
}

impl Conn {
    async fn new(w: &World, url_client: bool) -> Conn {
        let c = Conn {
            decider: Arc::new(common::local(w, Some(BASE)).await),
            out: Arc::new(Outstanding::default()),
        };
        let init = c.send(initialize(url_client)).await;
        assert!(matches!(init, ClientAction::Forward(_)), "{init:?}");
        c
    }

    async fn send(&self, msg: Value) -> ClientAction {
        relay::on_client_message(self.decider.as_ref(), &self.out, msg).await
    }

    /// A call on its own task, with a sink for what Airlock says meanwhile.
    fn hold(&self, msg: Value) -> (tokio::task::JoinHandle<ClientAction>, mpsc::Receiver<Value>) {
        let (tx, rx) = mpsc::channel(16);
        let (d, o) = (self.decider.clone(), self.out.clone());
        let task = tokio::spawn(async move {
            relay::on_client_message_with(d.as_ref(), &o, msg, Some(tx)).await
        });
        (task, rx)
    }
}

async fn next(rx: &mut mpsc::Receiver<Value>, method: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let m = tokio::time::timeout(left, rx.recv())
            .await
            .unwrap_or_else(|_| panic!("no {method} arrived"))
            .unwrap_or_else(|| panic!("the sink closed before {method}"));
        if m["method"] == method {
            return m;
        }
    }
}

fn link(id: &str) -> String {
    format!("{BASE}/console/approvals/{id}")
}

fn reply(action: &ClientAction) -> &Value {
    match action {
        ClientAction::Reply(v) => v,
        other => panic!("expected a reply, got {other:?}"),
    }
}

#[tokio::test]
async fn a_held_call_sends_the_link_and_progress_then_completes_when_approved() {
    let w = world(30).await;
    let c = Conn::new(&w, true).await;
    let (task, mut said) = c.hold(call(1, "DELETE FROM accounts"));
    let id = pending(&w).await;
    let ask = next(&mut said, "elicitation/create").await;
    assert_eq!(ask["params"]["mode"], "url");
    assert_eq!(ask["params"]["url"], link(&id));
    let elicitation = ask["params"]["elicitationId"].as_str().unwrap().to_string();
    assert!(ask["id"].as_str().unwrap().starts_with("airlock-ask-"));
    let progress = next(&mut said, "notifications/progress").await;
    assert_eq!(progress["params"]["progressToken"], "p1");
    assert!(
        progress["params"]["message"]
            .as_str()
            .unwrap()
            .contains(&link(&id))
    );
    // The person opened the link: the answer stays with Airlock and the call keeps waiting.
    let answer = json!({"jsonrpc": "2.0", "id": ask["id"], "result": {"action": "accept"}});
    assert_eq!(c.send(answer).await, ClientAction::Drop);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!task.is_finished(), "accept does not end the wait");
    decide(&w, &id, true).await;
    assert_eq!(
        task.await.unwrap(),
        ClientAction::Forward(call(1, "DELETE FROM accounts"))
    );
    let done = next(&mut said, "notifications/elicitation/complete").await;
    assert_eq!(done["params"]["elicitationId"], elicitation.as_str());
    let a = w.service.approval(&w.caller, &id).await.unwrap();
    assert_eq!(a.status, "used");
}

#[tokio::test]
async fn declining_the_link_denies_at_once_and_a_forged_answer_goes_nowhere() {
    let w = world(30).await;
    let c = Conn::new(&w, true).await;
    let (task, mut said) = c.hold(call(2, "DELETE FROM accounts"));
    let ask = next(&mut said, "elicitation/create").await;
    // An answer to a question Airlock never asked is swallowed, never forwarded.
    let forged =
        json!({"jsonrpc": "2.0", "id": "airlock-ask-0000", "result": {"action": "accept"}});
    assert_eq!(c.send(forged).await, ClientAction::Drop);
    let started = Instant::now();
    let answer = json!({"jsonrpc": "2.0", "id": ask["id"], "result": {"action": "decline"}});
    assert_eq!(c.send(answer.clone()).await, ClientAction::Drop);
    let action = task.await.unwrap();
    assert!(started.elapsed() < Duration::from_secs(5));
    let r = reply(&action);
    assert_eq!(r["result"]["isError"], true);
    let text = r["result"]["content"][0]["text"].as_str().unwrap();
    assert!(text.contains("did not open the approval link"), "{text}");
    // The same answer again is not a response to anything the server sent: refused.
    let again = c.send(answer).await;
    assert!(
        matches!(again, ClientAction::Drop | ClientAction::Reject(_)),
        "{again:?}"
    );
}

#[tokio::test]
async fn a_cancelled_held_call_is_not_answered_and_never_runs_when_approved_later() {
    let w = world(30).await;
    let c = Conn::new(&w, false).await;
    let (task, mut said) = c.hold(call(7, "DELETE FROM accounts"));
    let id = pending(&w).await;
    // No URL elicitation declared: progress only.
    let p = next(&mut said, "notifications/progress").await;
    assert!(p["params"]["message"].as_str().unwrap().contains(&id));
    let cancel = json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
                        "params": {"requestId": 7, "reason": "user pressed stop"}});
    assert_eq!(
        c.send(cancel).await,
        ClientAction::Drop,
        "not forwarded: upstream never saw 7"
    );
    assert_eq!(task.await.unwrap(), ClientAction::Drop);
    decide(&w, &id, true).await;
    let a = w.service.approval(&w.caller, &id).await.unwrap();
    assert_eq!(a.status, "approved", "approved, and nothing used it");
    // A cancellation of a request that is not held goes upstream as before.
    let other = json!({"jsonrpc": "2.0", "method": "notifications/cancelled",
                       "params": {"requestId": 99}});
    assert!(matches!(c.send(other).await, ClientAction::Forward(_)));
}

#[tokio::test]
async fn without_a_wait_a_2025_11_25_client_gets_url_elicitation_required() {
    let w = world(0).await;
    let c = Conn::new(&w, true).await;
    let action = c.send(call(3, "DELETE FROM accounts")).await;
    let r = reply(&action);
    assert_eq!(r["id"], 3);
    assert_eq!(r["error"]["code"], -32042);
    let id = r["error"]["data"]["airlock"]["approval_id"]
        .as_str()
        .unwrap()
        .to_string();
    let e = &r["error"]["data"]["elicitations"][0];
    assert_eq!(
        (e["mode"].as_str(), e["url"].as_str()),
        (Some("url"), Some(link(&id).as_str()))
    );
    decide(&w, &id, true).await;
    assert!(matches!(
        c.send(call(4, "DELETE FROM accounts")).await,
        ClientAction::Forward(_)
    ));
    // Used up: asked again.
    let again = c.send(call(5, "DELETE FROM accounts")).await;
    assert_eq!(reply(&again)["error"]["code"], -32042);
    // A client that did not declare URL elicitation gets the usual denial.
    let plain = Conn::new(&w, false).await;
    let r = plain.send(call(6, "DELETE FROM accounts")).await;
    assert_eq!(reply(&r)["result"]["isError"], true);
}

fn modern(id: i64, sql: &str, state: Option<&str>, action: Option<&str>) -> Value {
    let mut params = json!({"name": "execute_sql", "arguments": {"sql": sql},
        "_meta": {MODERN: "2026-07-28", CAPS: {"elicitation": {"url": {}}}}});
    if let Some(s) = state {
        params["requestState"] = json!(s);
    }
    if let Some(a) = action {
        params["inputResponses"] = json!({"airlock_approval": {"action": a}});
    }
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": params})
}

/// The approval id and the state of an `InputRequiredResult`.
fn input_required(action: &ClientAction) -> (String, String) {
    let r = &reply(action)["result"];
    assert_eq!(r["resultType"], "input_required", "{r}");
    let ask = &r["inputRequests"]["airlock_approval"];
    assert_eq!(ask["method"], "elicitation/create");
    assert_eq!(ask["params"]["mode"], "url");
    let url = ask["params"]["url"].as_str().unwrap();
    let id = url.rsplit('/').next().unwrap().to_string();
    assert_eq!(url, link(&id));
    (id, r["requestState"].as_str().unwrap().to_string())
}

fn refused(action: &ClientAction, says: &str) {
    let r = reply(action);
    assert_eq!(r["error"]["code"], code::INVALID_PARAMS, "{r}");
    let m = r["error"]["message"].as_str().unwrap();
    assert!(m.contains(says), "{m}");
}

#[tokio::test]
async fn a_2026_07_28_client_goes_round_trip_with_a_sealed_single_use_state() {
    let w = world(0).await;
    let c = Conn::new(&w, false).await;
    const SQL: &str = "DELETE FROM accounts";
    let (id, state) = input_required(&c.send(modern(1, SQL, None, None)).await);
    assert!(state.starts_with("airlock1."));
    // Still pending: asked again, for the same approval, with a new state.
    let (same, state2) =
        input_required(&c.send(modern(2, SQL, Some(&state), Some("accept"))).await);
    assert_eq!(same, id);
    assert_ne!(state2, state);
    // The first state was used.
    refused(
        &c.send(modern(3, SQL, Some(&state), Some("accept"))).await,
        "already used",
    );
    // Tampered, for another call, or from another session: refused, nothing checked.
    let mid = state2.len() / 2;
    let flipped = if &state2[mid..=mid] == "a" { "b" } else { "a" };
    let tampered = format!("{}{flipped}{}", &state2[..mid], &state2[mid + 1..]);
    refused(
        &c.send(modern(4, SQL, Some(&tampered), Some("accept")))
            .await,
        "failed verification",
    );
    refused(
        &c.send(modern(
            5,
            "DROP TABLE accounts",
            Some(&state2),
            Some("accept"),
        ))
        .await,
        "another call",
    );
    let elsewhere = Conn::new(&w, false).await;
    refused(
        &elsewhere
            .send(modern(6, SQL, Some(&state2), Some("accept")))
            .await,
        "another session",
    );
    decide(&w, &id, true).await;
    // Approved: the retry runs, without Airlock's fields.
    let action = c.send(modern(8, SQL, Some(&state2), Some("accept"))).await;
    let ClientAction::Forward(sent) = action else {
        panic!("expected the approved retry to run, got {action:?}")
    };
    assert!(sent["params"].get("requestState").is_none(), "{sent}");
    assert!(sent["params"].get("inputResponses").is_none(), "{sent}");
    assert_eq!(
        w.service.approval(&w.caller, &id).await.unwrap().status,
        "used"
    );
}

#[tokio::test]
async fn a_2026_07_28_decline_denies_and_an_upstream_state_is_judged_with_the_call() {
    let w = world(0).await;
    let c = Conn::new(&w, false).await;
    const SQL: &str = "DELETE FROM accounts";
    let (id, state) = input_required(&c.send(modern(1, SQL, None, None)).await);
    decide(&w, &id, true).await;
    let r = c.send(modern(2, SQL, Some(&state), Some("decline"))).await;
    let r = reply(&r);
    assert_eq!(r["result"]["isError"], true);
    assert_eq!(r["result"]["resultType"], "complete");
    assert!(
        r["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("did not open")
    );
    // The upstream's own round trip passes through, judged with the call: a read stays a
    // read, a payload hidden in the responses does not.
    let mut read = modern(3, "SELECT 1", Some("upstream-state"), None);
    read["params"]["inputResponses"] =
        json!({"confirm": {"action": "accept", "content": {"ok": true}}});
    let ClientAction::Forward(sent) = c.send(read).await else {
        panic!("a read with the upstream's state runs")
    };
    assert_eq!(sent["params"]["requestState"], "upstream-state");
    let mut hidden = modern(4, "SELECT 1", Some("upstream-state"), None);
    hidden["params"]["inputResponses"] =
        json!({"confirm": {"action": "accept", "content": {"sql": "DROP TABLE accounts"}}});
    assert!(!matches!(c.send(hidden).await, ClientAction::Forward(_)));
}
