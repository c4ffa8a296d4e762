use super::*;

fn req(v: Value) -> Result<Request, Box<(Value, RpcError)>> {
    parse_request(v.to_string().as_bytes())
}

#[test]
fn the_envelope_is_checked_and_malformed_requests_are_400s() {
    let e = *parse_request(b"{not json").unwrap_err();
    assert_eq!((e.0, e.1.code), (Value::Null, code::PARSE_ERROR));
    assert!(e.1.is_malformed());
    for (bad, id) in [
        (
            json!([{"jsonrpc": "2.0", "id": 1, "method": "tasks/get"}]),
            Value::Null,
        ),
        (
            json!({"jsonrpc": "2.0", "method": "tasks/get"}),
            Value::Null,
        ),
        (
            json!({"jsonrpc": "2.0", "id": {"x": 1}, "method": "tasks/get"}),
            Value::Null,
        ),
        (
            json!({"jsonrpc": "1.0", "id": 7, "method": "tasks/get"}),
            json!(7),
        ),
        (json!({"jsonrpc": "2.0", "id": 7, "method": 3}), json!(7)),
        (json!({"jsonrpc": "2.0", "id": 7}), json!(7)),
    ] {
        let (got_id, e) = *req(bad.clone()).unwrap_err();
        assert_eq!(e.code, code::INVALID_REQUEST, "{bad}");
        assert_eq!(got_id, id, "{bad}");
    }
    let (_, e) =
        *req(json!({"jsonrpc": "2.0", "id": 1, "method": "tasks/get", "params": [1]})).unwrap_err();
    assert_eq!(e.code, code::INVALID_PARAMS);
    assert!(!e.is_malformed());
    let ok = req(json!({"jsonrpc": "2.0", "id": "a", "method": "tasks/get"})).unwrap();
    assert_eq!((ok.id, ok.method.as_str()), (json!("a"), "tasks/get"));
    assert!(ok.params.is_empty());
}

#[test]
fn methods_and_actions() {
    for m in [
        "message/send",
        "tasks/send",
        "tasks/get",
        "tasks/cancel",
        "tasks/resubscribe",
    ] {
        let method = Method::parse(m).unwrap();
        assert_eq!(method.name(), m);
        assert_eq!(method.action(), format!("a2a.{m}"));
    }
    // Exact names only: a look-alike is not served.
    for m in [
        "Message/Send",
        "tasks/list",
        "message/stream",
        "tasks/send ",
    ] {
        assert_eq!(Method::parse(m), None, "{m}");
    }
}

#[test]
fn task_ids_come_from_id_or_task_id() {
    let p = |v: Value| v.as_object().unwrap().clone();
    assert_eq!(task_id_param(&p(json!({"id": "t1"}))).unwrap(), "t1");
    assert_eq!(task_id_param(&p(json!({"task_id": "t1"}))).unwrap(), "t1");
    assert_eq!(
        task_id_param(&p(json!({"id": "t1", "task_id": "t1"}))).unwrap(),
        "t1"
    );
    for bad in [
        json!({}),
        json!({"id": "t1", "task_id": "t2"}),
        json!({"id": 5}),
        json!({"id": "has space"}),
    ] {
        assert_eq!(
            task_id_param(&p(bad.clone())).unwrap_err().code,
            code::INVALID_PARAMS,
            "{bad}"
        );
    }
}

#[test]
fn text_messages_are_classified_as_their_text() {
    let m = parse_message(
        &json!({"role": "user", "parts": [{"kind": "text", "text": "DROP TABLE users"}], "messageId": "m1"}),
        || "gen".into(),
    )
    .unwrap();
    assert_eq!(m.input, json!("DROP TABLE users"));
    assert_eq!(m.value["messageId"], "m1");
    // 1.0 parts without `kind`, and a data part: the classifier reads each part's content.
    let m = parse_message(
        &json!({"parts": [{"text": "run this"}, {"data": {"sql": "DELETE FROM t"}}], "taskId": "t1"}),
        || "gen".into(),
    )
    .unwrap();
    assert_eq!(
        m.input,
        json!(["run this", {"sql": "DELETE FROM t"}, "this"])
    );
    assert_eq!(m.value["messageId"], "gen");
    assert_eq!(m.task_id.as_deref(), Some("t1"));
}

#[test]
fn messages_have_limits() {
    let big = "x".repeat(MAX_MESSAGE_BYTES + 1);
    let too_many: Vec<Value> = (0..=MAX_PARTS).map(|_| json!({"text": "a"})).collect();
    for bad in [
        json!("text"),
        json!({"parts": []}),
        json!({"parts": [{"text": big}]}),
        json!({"parts": too_many}),
        json!({"role": "system", "parts": [{"text": "a"}]}),
        json!({"parts": [{"kind": "text", "data": 1}]}),
        json!({"parts": [{"text": "a"}], "messageId": 5}),
    ] {
        assert_eq!(
            parse_message(&bad, || "g".into()).unwrap_err().code,
            code::INVALID_PARAMS
        );
    }
}

#[test]
fn legacy_messages_are_strings_or_objects() {
    let (orig, m) = parse_legacy_message(Some(&json!("rm -rf /")), || "g".into()).unwrap();
    assert_eq!((orig, m.input), (json!("rm -rf /"), json!("rm -rf /")));
    let (_, m) = parse_legacy_message(Some(&json!({"text": "hello"})), || "g".into()).unwrap();
    assert_eq!(m.input, json!("hello"));
    let obj = json!({"text": "hello", "command": "rm -rf /"});
    let (_, m) = parse_legacy_message(Some(&obj), || "g".into()).unwrap();
    assert_eq!(m.input, obj, "an object is classified whole");
    for bad in [None, Some(json!(5)), Some(json!("")), Some(json!({}))] {
        assert!(parse_legacy_message(bad.as_ref(), || "g".into()).is_err());
    }
}

#[test]
fn upstream_answers_fail_closed() {
    let ok = read_upstream(
        json!({"jsonrpc": "2.0", "id": 1, "result": {"kind": "task", "id": "up1",
            "status": {"state": "completed"}, "artifacts": [{"parts": []}]}})
        .to_string()
        .as_bytes(),
    )
    .unwrap();
    assert_eq!(
        (ok.state.as_str(), ok.task_id.as_deref()),
        ("completed", Some("up1"))
    );
    let msg = read_upstream(
        json!({"jsonrpc": "2.0", "id": 1, "result": {"kind": "message", "parts": [{"text": "hi"}]}})
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    assert_eq!((msg.state.as_str(), msg.messages.len()), ("completed", 1));
    let v1 = read_upstream(
        json!({"result": {"id": "u", "status": {"state": "TASK_STATE_INPUT_REQUIRED"}}})
            .to_string()
            .as_bytes(),
    )
    .unwrap();
    assert_eq!(v1.state, "input-required");
    for bad in [
        "nonsense".to_string(),
        json!({"error": {"code": 1, "message": "boom"}}).to_string(),
        json!({"result": "x"}).to_string(),
        json!({"result": {"status": {"state": "exploded"}}}).to_string(),
        json!({"result": {"status": {}}}).to_string(),
        json!({"result": {"status": {"state": "completed"}, "artifacts": 3}}).to_string(),
    ] {
        assert!(read_upstream(bad.as_bytes()).is_err(), "{bad}");
    }
}

#[test]
fn commands_inside_prose_are_read_beside_it() {
    assert!(embedded("Summarize the latest security report, please.").is_empty());
    assert!(
        embedded("DROP TABLE users").is_empty(),
        "the whole text is read already"
    );
    assert_eq!(
        embedded("Please run DROP TABLE users on the prod database"),
        vec!["DROP TABLE users on the prod database"]
    );
    assert_eq!(
        embedded("please run rm -rf / on the build host"),
        vec!["rm -rf / on the build host"]
    );
    assert_eq!(embedded("try `rm -rf /tmp/x` now"), vec!["rm -rf /tmp/x"]);
    assert_eq!(
        embedded("fix it:\n```sql\nDELETE FROM orders;\n```\nthanks"),
        vec!["DELETE FROM orders;"]
    );
    // What the classifier is given: the text and its spans.
    let m = parse_message(
        &json!({"parts": [{"text": "Please run DROP TABLE users on the prod database"}]}),
        || "g".into(),
    )
    .unwrap();
    assert_eq!(
        m.input,
        json!([
            "Please run DROP TABLE users on the prod database",
            "DROP TABLE users on the prod database"
        ])
    );
    // Bounded whatever the text.
    let many = "RUN X. ".repeat(10_000);
    assert!(embedded(&many).len() <= MAX_SPANS);
}

#[test]
fn message_metadata_is_classified_with_the_text_it_travels_with() {
    let m = parse_message(
        &json!({"parts": [{"kind": "text", "text": "hello"}], "metadata": {"cmd": "DROP TABLE users"}}),
        || "gen".into(),
    )
    .unwrap();
    assert_eq!(
        m.input,
        json!({"message": "hello", "metadata": {"cmd": "DROP TABLE users"}})
    );
    assert_eq!(m.value["metadata"]["cmd"], "DROP TABLE users");
    // Twin: no metadata (or an empty object) leaves the text alone and forwards none.
    let m = parse_message(
        &json!({"parts": [{"kind": "text", "text": "hello"}], "metadata": {}}),
        || "gen".into(),
    )
    .unwrap();
    assert_eq!(m.input, json!("hello"));
    assert!(m.value.get("metadata").is_none());
}
