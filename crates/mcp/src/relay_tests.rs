#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Mutex;

use serde_json::{Value, json};

use super::*;

/// Allows reads of `read_*` tools, denies the rest; `in_scope` for names without `admin`.
#[derive(Default)]
struct Fake {
    seen: Mutex<Vec<(String, Value)>>,
    declared: Mutex<Vec<Option<Declared>>>,
    refusals: Mutex<Vec<String>>,
    down: bool,
    /// The custom methods the fake registration allows.
    allowed: Vec<String>,
    /// How often the registration was asked about a method.
    asked: Mutex<Vec<String>>,
}

impl Fake {
    fn actions(&self) -> Vec<String> {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .map(|(a, _)| a.clone())
            .collect()
    }
}

async fn on_client(f: &Fake, msg: Value) -> ClientAction {
    on_client_message(f, &Outstanding::default(), msg).await
}

impl Decider for Fake {
    async fn check(
        &self,
        tool: &str,
        input: Value,
        declared: Option<Declared>,
    ) -> Result<Decision, DecideError> {
        if self.down {
            return Err(DecideError::Unreachable("connection refused".into()));
        }
        self.seen
            .lock()
            .unwrap()
            .push((tool.to_string(), input.clone()));
        self.declared.lock().unwrap().push(declared);
        // Reads are allowed, resources outside /etc, and custom methods without `rm`.
        let allowed = tool.starts_with("read_")
            || (tool == "resources.read" && !input.to_string().contains("/etc/"))
            || (tool.starts_with("mcp.") && !input.to_string().contains("rm -rf"));
        Ok(Decision {
            allowed,
            reason: if allowed {
                "ok".into()
            } else {
                "destructive SQL".into()
            },
            approval_id: (!allowed).then(|| "apr_9".to_string()),
            elevation_required: !allowed,
            check_id: "chk_1".into(),
            effect: "destructive".into(),
            session_id: "sess".into(),
            rule: if allowed { "allowed" } else { "read_only" }.into(),
        })
    }

    async fn refuse(
        &self,
        action: &str,
        input: Value,
        reason: &str,
    ) -> Result<Decision, DecideError> {
        self.refusals.lock().unwrap().push(reason.to_string());
        let mut d = self.check(action, input, None).await?;
        d.allowed = false;
        d.reason = format!("refused by the test: {reason}");
        d.rule = "refused".into();
        Ok(d)
    }

    async fn allows_method(&self, method: &str) -> Result<bool, DecideError> {
        self.asked.lock().unwrap().push(method.to_string());
        if self.down {
            return Err(DecideError::Unreachable("connection refused".into()));
        }
        Ok(self.allowed.iter().any(|m| m == method))
    }

    async fn observe(&self, tools: &[Value]) -> Result<Vec<ObservedTool>, DecideError> {
        if self.down {
            return Err(DecideError::Unreachable("connection refused".into()));
        }
        Ok(tools
            .iter()
            .map(|t| {
                let name = t["name"].as_str().unwrap().to_string();
                ObservedTool {
                    status: if name == "rugged" {
                        "changed"
                    } else {
                        "pinned"
                    }
                    .into(),
                    in_scope: !name.contains("admin"),
                    name,
                }
            })
            .collect())
    }
}

fn call(id: Value, name: &str, args: Value) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call",
           "params": {"name": name, "arguments": args}})
}

#[tokio::test]
async fn allowed_calls_are_forwarded_with_full_arguments() {
    let f = Fake::default();
    let msg = call(
        json!(1),
        "read_query",
        json!({"sql": "SELECT 1", "deep": {"x": [1]}}),
    );
    assert_eq!(on_client(&f, msg.clone()).await, ClientAction::Forward(msg));
    let seen = f.seen.lock().unwrap();
    assert_eq!(seen[0].0, "read_query");
    assert_eq!(seen[0].1, json!({"sql": "SELECT 1", "deep": {"x": [1]}}));
}

#[tokio::test]
async fn denied_calls_get_an_is_error_result_with_the_approval_id() {
    let f = Fake::default();
    let msg = call(
        json!("a"),
        "execute_sql",
        json!({"sql": "DROP TABLE accounts"}),
    );
    let ClientAction::Reply(r) = on_client(&f, msg).await else {
        panic!("not a reply")
    };
    assert_eq!(r["id"], "a");
    assert_eq!(r["result"]["isError"], true);
    let text = r["result"]["content"][0]["text"].as_str().unwrap();
    assert_eq!(
        text,
        "Airlock denied `execute_sql`: destructive SQL (approval id: apr_9)"
    );
    assert_eq!(r["result"]["_meta"]["airlock"]["approval_id"], "apr_9");
}

#[tokio::test]
async fn unreachable_airlock_denies_and_notifications_are_dropped() {
    let f = Fake {
        down: true,
        ..Fake::default()
    };
    let ClientAction::Reply(r) = on_client(&f, call(json!(2), "read_query", json!({}))).await
    else {
        panic!("not a reply")
    };
    assert_eq!(r["result"]["isError"], true);
    assert!(
        r["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("cannot be reached")
    );
    // A tools/call without an id is still checked; denied, it goes nowhere.
    let note = json!({"jsonrpc": "2.0", "method": "tools/call",
                      "params": {"name": "execute_sql", "arguments": {}}});
    assert_eq!(on_client(&f, note).await, ClientAction::Drop);
}

#[tokio::test]
async fn batches_are_checked_element_by_element_and_forwarded_whole_or_not_at_all() {
    let f = Fake::default();
    let ok = json!([{"jsonrpc": "2.0", "id": 1, "method": "ping"},
                    call(json!(2), "read_query", json!({}))]);
    assert_eq!(on_client(&f, ok.clone()).await, ClientAction::Forward(ok));
    assert_eq!(f.actions(), vec!["read_query"]);
    let mixed = json!([{"jsonrpc": "2.0", "id": 1, "method": "ping"},
                       call(json!(2), "execute_sql", json!({"sql": "DROP TABLE t"})),
                       {"jsonrpc": "2.0", "id": 3, "method": "TOOLS/CALL",
                        "params": {"name": "read_query"}}]);
    let ClientAction::Reply(r) = on_client(&f, mixed).await else {
        panic!("not a reply")
    };
    let r = r.as_array().unwrap();
    assert_eq!(r.len(), 3);
    assert_eq!(r[0]["id"], 1);
    assert_eq!(r[0]["error"]["code"], code::INVALID_REQUEST);
    assert_eq!(r[1]["id"], 2);
    assert_eq!(r[1]["result"]["isError"], true);
    assert_eq!(r[2]["id"], 3);
    assert_eq!(r[2]["error"]["code"], code::METHOD_NOT_FOUND);
    assert_eq!(
        f.actions(),
        vec!["read_query", "execute_sql", REFUSED_ACTION]
    );
    let ClientAction::Reject(r) = on_client(&f, json!([])).await else {
        panic!("not a rejection")
    };
    assert_eq!(r["error"]["code"], code::INVALID_REQUEST);
}

#[tokio::test]
async fn bad_params_are_refused_and_recorded() {
    let f = Fake::default();
    let bad =
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"arguments": {}}});
    let ClientAction::Reply(r) = on_client(&f, bad).await else {
        panic!("not a reply")
    };
    assert_eq!(r["error"]["code"], code::INVALID_PARAMS);
    assert_eq!(r["id"], 3);
    assert_eq!(f.actions(), vec![REFUSED_ACTION]);
}

#[tokio::test]
async fn method_variants_and_custom_methods_are_refused_and_recorded() {
    for method in [
        "TOOLS/CALL",
        "Tools/Call",
        "tools/call ",
        "tools/call/",
        "tools/call\u{200b}",
        "tools/call\u{0}",
        "admin/exec",
        "sampling/createMessage",
        "elicitation/create",
        "roots/list",
    ] {
        let f = Fake::default();
        let msg = json!({"jsonrpc": "2.0", "id": 9, "method": method,
                         "params": {"name": "delete_file", "command": "rm -rf /srv"}});
        let ClientAction::Reply(r) = on_client(&f, msg.clone()).await else {
            panic!("{method:?} not refused")
        };
        assert_eq!(r["id"], 9, "{method:?}");
        assert!(r["error"]["code"].is_i64(), "{method:?}");
        assert!(r.get("result").is_none(), "{method:?}");
        assert_eq!(r["error"]["data"]["airlock"]["check_id"], "chk_1");
        assert_eq!(r["error"]["data"]["airlock"]["rule"], "refused");
        let seen = f.seen.lock().unwrap();
        assert_eq!(seen.len(), 1, "{method:?}");
        assert_eq!(seen[0].0, REFUSED_ACTION);
        assert_eq!(seen[0].1["method"], method);
        assert_eq!(seen[0].1["message"], msg);
        // Refused through the check's refusal, declaring nothing.
        assert_eq!(*f.declared.lock().unwrap(), vec![None]);
        let refusals = f.refusals.lock().unwrap();
        assert_eq!(refusals.len(), 1, "{method:?}");
        assert!(
            refusals[0].contains(&format!("{method:?}")),
            "{method:?}: {refusals:?}"
        );
        assert!(!refusals[0].chars().any(char::is_control), "{refusals:?}");
    }
}

#[tokio::test]
async fn non_tool_methods_are_checked_as_their_actions() {
    let f = Fake::default();
    let read = json!({"jsonrpc": "2.0", "id": 1, "method": "resources/read",
                      "params": {"uri": "file:///tmp/notes.txt"}});
    assert_eq!(
        on_client(&f, read.clone()).await,
        ClientAction::Forward(read)
    );
    let shadow = json!({"jsonrpc": "2.0", "id": 2, "method": "resources/subscribe",
                        "params": {"uri": "file:///etc/shadow"}});
    let ClientAction::Reply(r) = on_client(&f, shadow).await else {
        panic!("not denied")
    };
    assert_eq!(r["id"], 2);
    assert_eq!(r["error"]["code"], code::DENIED);
    assert_eq!(r["error"]["data"]["airlock"]["approval_id"], "apr_9");
    for (method, params) in [
        ("prompts/get", json!({"name": "p", "arguments": {"q": "x"}})),
        (
            "completion/complete",
            json!({"ref": {"type": "ref/prompt", "name": "p"},
                                       "argument": {"name": "a", "value": "v"}}),
        ),
        ("logging/setLevel", json!({"level": "debug"})),
    ] {
        let msg = json!({"jsonrpc": "2.0", "id": 3, "method": method, "params": params});
        let ClientAction::Reply(r) = on_client(&f, msg).await else {
            panic!("{method} not denied")
        };
        assert_eq!(r["error"]["code"], code::DENIED);
    }
    assert_eq!(
        f.actions(),
        vec![
            "resources.read",
            "resources.read",
            "prompts.get",
            "completion.complete",
            "logging.set_level"
        ]
    );
    assert_eq!(
        f.declared.lock().unwrap().last(),
        Some(&Some(Declared::Mutating))
    );
    let seen = f.seen.lock().unwrap();
    assert_eq!(seen[1].1, json!("file:///etc/shadow"));
    assert_eq!(seen[2].1, json!({"name": "p", "arguments": {"q": "x"}}));
}

#[tokio::test]
async fn only_responses_to_forwarded_server_requests_pass() {
    let f = Fake::default();
    let outstanding = Outstanding::default();
    let answer = json!({"jsonrpc": "2.0", "id": 7, "result": {"model": "m", "content": {}}});
    // Never asked: refused, recorded, nothing to answer.
    let ClientAction::Reject(r) = on_client_message(&f, &outstanding, answer.clone()).await else {
        panic!("unsolicited response not refused")
    };
    assert_eq!(r["error"]["code"], code::INVALID_REQUEST);
    assert_eq!(f.actions(), vec![REFUSED_ACTION]);
    // The server asked (id 7): its one answer passes, a second one does not.
    outstanding.note(&json!({"jsonrpc": "2.0", "id": 7, "method": "sampling/createMessage"}));
    assert_eq!(
        on_client_message(&f, &outstanding, answer.clone()).await,
        ClientAction::Forward(answer.clone())
    );
    assert!(matches!(
        on_client_message(&f, &outstanding, answer).await,
        ClientAction::Reject(_)
    ));
    // A string id is not the number.
    outstanding.note(&json!({"jsonrpc": "2.0", "id": "7", "method": "roots/list"}));
    let numeric = json!({"jsonrpc": "2.0", "id": 7, "result": {}});
    assert!(matches!(
        on_client_message(&f, &outstanding, numeric).await,
        ClientAction::Reject(_)
    ));
}

#[tokio::test]
async fn notifications_pass_only_when_mcp_defines_them_for_clients() {
    let f = Fake::default();
    for m in [
        "notifications/initialized",
        "notifications/cancelled",
        "notifications/progress",
        "notifications/roots/list_changed",
    ] {
        let n = json!({"jsonrpc": "2.0", "method": m, "params": {}});
        assert_eq!(on_client(&f, n.clone()).await, ClientAction::Forward(n));
    }
    assert!(f.actions().is_empty());
    for m in [
        "notifications/admin",
        "notifications/initialized ",
        "admin/exec",
    ] {
        let n = json!({"jsonrpc": "2.0", "method": m});
        assert!(
            matches!(on_client(&f, n).await, ClientAction::Reject(_)),
            "{m:?}"
        );
    }
    assert_eq!(f.actions(), vec![REFUSED_ACTION; 3]);
    assert!(matches!(
        on_client(&f, json!({"jsonrpc": "2.0", "method": 5, "id": 1})).await,
        ClientAction::Reply(_)
    ));
    assert!(matches!(
        on_client(&f, json!("x")).await,
        ClientAction::Reject(_)
    ));
}

#[tokio::test]
async fn protocol_bookkeeping_passes_unchecked() {
    let f = Fake::default();
    for m in [
        json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {}}),
        json!({"jsonrpc": "2.0", "id": 2, "method": "ping"}),
        json!({"jsonrpc": "2.0", "id": 3, "method": "tools/list"}),
        json!({"jsonrpc": "2.0", "id": 4, "method": "resources/list"}),
        json!({"jsonrpc": "2.0", "id": 5, "method": "prompts/list"}),
    ] {
        assert_eq!(on_client(&f, m.clone()).await, ClientAction::Forward(m));
    }
    assert!(f.actions().is_empty());
}

#[test]
fn meta_payloads_are_part_of_the_input_but_progress_tokens_are_not() {
    let (name, input) = call_input(&json!({"name": "t", "arguments": {"a": 1},
                                           "_meta": {"progressToken": 5}}))
    .unwrap();
    assert_eq!((name.as_str(), input), ("t", json!({"a": 1})));
    let (_, input) = call_input(&json!({"name": "t", "_meta": {"sql": "DROP TABLE x"}})).unwrap();
    assert_eq!(
        input,
        json!({"arguments": {}, "_meta": {"sql": "DROP TABLE x"}})
    );
    assert!(call_input(&json!({"name": 3})).is_err());
    assert!(call_input(&json!("x")).is_err());
}

#[tokio::test]
async fn tool_lists_are_filtered_by_scope_and_pins() {
    let f = Fake::default();
    let list = json!({"jsonrpc": "2.0", "id": 4, "result": {"tools": [
        {"name": "read_query", "inputSchema": {}},
        {"name": "admin_drop", "inputSchema": {}},
        {"name": "rugged", "inputSchema": {}},
    ], "nextCursor": "c"}});
    assert!(needs_filter(&list));
    let out = on_server_message(&f, list).await;
    let names: Vec<&str> = out["result"]["tools"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["read_query"]);
    assert_eq!(out["result"]["nextCursor"], "c");
    let other = json!({"jsonrpc": "2.0", "id": 5, "result": {"content": []}});
    assert!(!needs_filter(&other));
    assert_eq!(on_server_message(&f, other.clone()).await, other);
}

#[tokio::test]
async fn a_tool_list_that_cannot_be_checked_becomes_an_error() {
    let f = Fake {
        down: true,
        ..Fake::default()
    };
    let list = json!({"jsonrpc": "2.0", "id": 4, "result": {"tools": [{"name": "read_query"}]}});
    let out = on_server_message(&f, list).await;
    assert_eq!(out["id"], 4);
    assert_eq!(out["error"]["code"], code::AIRLOCK);
    assert!(out.get("result").is_none());
}

#[tokio::test]
async fn a_listen_is_forwarded_only_if_every_subscribed_resource_may_be_read() {
    let f = Fake::default();
    let listen = |uris: Value| {
        json!({"jsonrpc": "2.0", "id": 1, "method": "subscriptions/listen",
               "params": {"notifications": {"toolsListChanged": true, "resourceSubscriptions": uris}}})
    };
    let ok = listen(json!(["file:///tmp/a"]));
    assert_eq!(on_client(&f, ok.clone()).await, ClientAction::Forward(ok));
    let ClientAction::Reply(r) =
        on_client(&f, listen(json!(["file:///tmp/a", "file:///etc/shadow"]))).await
    else {
        panic!("not denied")
    };
    assert_eq!(r["error"]["code"], code::DENIED);
    assert_eq!(f.actions(), vec!["resources.read"; 3]);
}

#[test]
fn a_refusal_reason_is_bounded_and_has_no_control_characters() {
    let max = airlock_server::service::validate::MAX_REFUSAL;
    assert_eq!(refusal_reason("method \"a\u{0}b\""), "method \"a\\u{0}b\"");
    let long = refusal_reason(&"é".repeat(max));
    assert!(long.len() <= max && long.len() > max - 2, "{}", long.len());
    assert!(long.chars().all(|c| c == 'é'));
    let controls = refusal_reason(&"\u{1}".repeat(max));
    assert!(controls.len() <= max && !controls.chars().any(char::is_control));
}

#[tokio::test]
async fn an_allowed_custom_method_is_checked_as_its_action_with_its_params() {
    let f = Fake {
        allowed: vec!["acme/reIndex".into()],
        ..Fake::default()
    };
    let ok = json!({"jsonrpc": "2.0", "id": 1, "method": "acme/reIndex",
                    "params": {"index": "docs", "_meta": {"progressToken": 3}}});
    assert_eq!(on_client(&f, ok.clone()).await, ClientAction::Forward(ok));
    let bad = json!({"jsonrpc": "2.0", "id": 2, "method": "acme/reIndex",
                     "params": {"index": "docs", "_meta": {"cmd": "rm -rf /"}}});
    let ClientAction::Reply(r) = on_client(&f, bad).await else {
        panic!("a denied custom method must be answered")
    };
    assert_eq!(r["id"], 2);
    assert_eq!(r["error"]["code"], code::DENIED);
    assert_eq!(r["error"]["data"]["airlock"]["approval_id"], "apr_9");
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("mcp.acme.re_index")
    );
    // A notification of it: forwarded if allowed, dropped if denied.
    let note = json!({"jsonrpc": "2.0", "method": "acme/reIndex", "params": {"index": "a"}});
    assert_eq!(
        on_client(&f, note.clone()).await,
        ClientAction::Forward(note)
    );
    let note = json!({"jsonrpc": "2.0", "method": "acme/reIndex", "params": {"c": "rm -rf /"}});
    assert_eq!(on_client(&f, note).await, ClientAction::Drop);
    let seen = f.seen.lock().unwrap().clone();
    assert_eq!(
        seen,
        vec![
            ("mcp.acme.re_index".to_string(), json!({"index": "docs"})),
            (
                "mcp.acme.re_index".to_string(),
                json!({"input": {"index": "docs"}, "_meta": {"cmd": "rm -rf /"}})
            ),
            ("mcp.acme.re_index".to_string(), json!({"index": "a"})),
            ("mcp.acme.re_index".to_string(), json!({"c": "rm -rf /"})),
        ]
    );
    assert!(f.refusals.lock().unwrap().is_empty());
    // Params that are not structured are refused and recorded.
    let scalar = json!({"jsonrpc": "2.0", "id": 3, "method": "acme/reIndex", "params": "x"});
    let ClientAction::Reply(r) = on_client(&f, scalar).await else {
        panic!("refused")
    };
    assert_eq!(r["error"]["code"], code::INVALID_PARAMS);
    assert_eq!(f.refusals.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn only_the_exact_listed_spelling_of_a_custom_method_is_checked() {
    let f = Fake {
        allowed: vec![
            "acme/reIndex".into(),
            "tools/call ".into(),
            "Tools/Call".into(),
        ],
        ..Fake::default()
    };
    for m in [
        "acme/reindex",
        "ACME/REINDEX",
        "acme/reIndex ",
        "acme/reIndex/",
        "acme/reIndex\u{200b}",
        "acme/reIndex\u{0}",
        "acme/other",
        // Listed by a registration that slipped past validation: still never custom.
        "tools/call ",
        "Tools/Call",
    ] {
        for id in [Some(json!(7)), None] {
            let mut msg = json!({"jsonrpc": "2.0", "method": m, "params": {"index": "docs"}});
            if let Some(id) = &id {
                msg["id"] = id.clone();
            }
            let action = on_client(&f, msg).await;
            let err = match (&action, &id) {
                (ClientAction::Reply(r), Some(_)) => r["error"].clone(),
                (ClientAction::Reject(r), None) => r["error"].clone(),
                other => panic!("{m:?} was not refused: {other:?}"),
            };
            assert_eq!(err["data"]["airlock"]["rule"], "refused", "{m:?}");
        }
    }
    assert!(f.actions().iter().all(|a| a == REFUSED_ACTION));
    assert_eq!(f.refusals.lock().unwrap().len(), 18);
    // The registration is never asked about a spelling it could not list.
    let asked = f.asked.lock().unwrap().clone();
    assert!(
        asked.iter().all(|m| !m.contains(' ')
            && !m.contains('\u{200b}')
            && !m.contains('\u{0}')
            && m != "Tools/Call"),
        "{asked:?}"
    );
}

#[tokio::test]
async fn a_custom_method_is_refused_when_the_registration_cannot_be_read() {
    let f = Fake {
        allowed: vec!["acme/reIndex".into()],
        down: true,
        ..Fake::default()
    };
    let msg = json!({"jsonrpc": "2.0", "id": 1, "method": "acme/reIndex", "params": {}});
    let ClientAction::Reply(r) = on_client(&f, msg).await else {
        panic!("refused")
    };
    assert_eq!(r["error"]["code"], code::METHOD_NOT_FOUND);
    assert!(
        r["error"]["message"]
            .as_str()
            .unwrap()
            .contains("could not be read")
    );
}
