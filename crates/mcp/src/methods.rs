//! The MCP methods a client may send, spelled exactly as the specification spells them
//! (2025-06-18, 2025-11-25 and the 2026-07-28 `server/discover` and `subscriptions/listen`),
//! and what Airlock does with each. Anything else — another
//! case, a trailing space or slash, an invisible character, a custom method — is refused,
//! unless the server's registration lists that exact method in `allowed_methods`: then it is
//! checked as the action `mcp.<method>` with its params as input ([`custom_call`]).

use serde_json::{Map, Value, json};

use crate::relay::Declared;

/// What Airlock does with one client request or notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// Protocol bookkeeping with no effect outside the session: forwarded as is.
    Pass,
    /// `tools/call`: checked as the tool, with its arguments.
    Tool,
    /// Checked as this action before it is forwarded.
    Check(Checked),
    /// Refused, with the reason and the JSON-RPC error code.
    Refuse { code: i64, reason: String },
}

/// The non-tool methods that are checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    /// `resources/read` and `resources/subscribe`: action `resources.read`, the URI as input.
    ResourceRead,
    /// `prompts/get`: action `prompts.get`, the prompt's name and arguments as input.
    PromptGet,
    /// `completion/complete`: action `completion.complete`, its params as input.
    Completion,
    /// `logging/setLevel`: action `logging.set_level`, declared mutating.
    SetLogLevel,
    /// `subscriptions/listen` (2026-07-28): each URI of its `resourceSubscriptions` is checked
    /// as `resources.read`, as `resources/subscribe` is; a listen without URIs passes.
    Listen,
}

/// The action, the input and the declared effect of a checked method.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedCall {
    pub action: String,
    pub input: Value,
    pub declared: Option<Declared>,
}

/// Client requests forwarded without a check: the handshake, lists (tool lists are filtered
/// on the way back), pings, unsubscribing, and polling or cancelling the client's own tasks.
const PASS_REQUESTS: &[&str] = &[
    "initialize",
    "server/discover",
    "ping",
    "tools/list",
    "resources/list",
    "resources/templates/list",
    "resources/unsubscribe",
    "prompts/list",
    "tasks/get",
    "tasks/result",
    "tasks/list",
    "tasks/cancel",
];

/// The notifications a client may send.
const CLIENT_NOTIFICATIONS: &[&str] = &[
    "notifications/initialized",
    "notifications/cancelled",
    "notifications/progress",
    "notifications/roots/list_changed",
    "notifications/tasks/status",
];

/// Requests only a server sends (its client answers them); a client sending one is refused.
fn server_only(method: &str) -> bool {
    method.starts_with("sampling/") || method.starts_with("elicitation/") || method == "roots/list"
}

/// How Airlock treats `method`; `request` is true when the message has an id.
pub fn route(method: &str, request: bool) -> Route {
    use crate::relay::code;
    match method {
        "tools/call" => Route::Tool,
        "resources/read" | "resources/subscribe" if request => Route::Check(Checked::ResourceRead),
        "prompts/get" if request => Route::Check(Checked::PromptGet),
        "completion/complete" if request => Route::Check(Checked::Completion),
        "logging/setLevel" if request => Route::Check(Checked::SetLogLevel),
        "subscriptions/listen" if request => Route::Check(Checked::Listen),
        m if request && PASS_REQUESTS.contains(&m) => Route::Pass,
        m if !request && CLIENT_NOTIFICATIONS.contains(&m) => Route::Pass,
        m if server_only(m) => Route::Refuse {
            code: code::INVALID_REQUEST,
            reason: format!(
                "{m:?} is a request a server sends to its client; Airlock refuses it from a client"
            ),
        },
        m if request => Route::Refuse {
            code: code::METHOD_NOT_FOUND,
            reason: format!(
                "{m:?} is not an MCP method Airlock checks (methods are matched exactly as the \
                 MCP specification spells them) nor a custom method the server's registration \
                 allows; it was not forwarded"
            ),
        },
        m => Route::Refuse {
            code: code::INVALID_REQUEST,
            reason: format!(
                "{m:?} is not a client notification of MCP nor a custom method the server's \
                 registration allows; it was not forwarded"
            ),
        },
    }
}

fn string_param<'a>(
    params: &'a Map<String, Value>,
    key: &str,
    method: &str,
) -> Result<&'a str, String> {
    match params.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s),
        _ => Err(format!(
            "`params.{key}` of {method} must be a non-empty string"
        )),
    }
}

/// The checks of a checked method's params: their actions, inputs and declared effects. Every
/// one must allow the request; none (a listen without resource URIs) forwards it.
pub fn checked_calls(
    kind: Checked,
    method: &str,
    params: &Value,
) -> Result<Vec<CheckedCall>, String> {
    let empty = Map::new();
    let obj = match params {
        Value::Object(o) => o,
        Value::Null => &empty,
        _ => return Err(format!("`params` of {method} must be an object")),
    };
    let meta = crate::relay::payload_meta(obj);
    let with_meta = |input: Value| match &meta {
        Some(m) => json!({"input": input, "_meta": m}),
        None => input,
    };
    // A resource is judged by its URI: a string, or `uri` next to a `_meta` payload (the
    // shapes the classifier reads a `resources.read` input in; under another key a URI
    // such as `file:///etc/shadow` would be judged as plain text).
    let resource = |uri: &str| match &meta {
        Some(m) => json!({"uri": uri, "_meta": m}),
        None => Value::String(uri.to_string()),
    };
    let one = match kind {
        Checked::Listen => {
            let uris = match params.pointer("/notifications/resourceSubscriptions") {
                None | Some(Value::Null) => Vec::new(),
                Some(Value::Array(items)) => items.iter().map(Value::as_str).collect::<Option<Vec<_>>>().ok_or_else(|| {
                    format!("`params.notifications.resourceSubscriptions` of {method} must list strings")
                })?,
                Some(_) => {
                    return Err(format!(
                        "`params.notifications.resourceSubscriptions` of {method} must be a list"
                    ));
                }
            };
            return Ok(uris
                .into_iter()
                .map(|uri| CheckedCall {
                    action: "resources.read".into(),
                    input: resource(uri),
                    declared: None,
                })
                .collect());
        }
        Checked::ResourceRead => CheckedCall {
            action: "resources.read".into(),
            input: resource(string_param(obj, "uri", method)?),
            declared: None,
        },
        Checked::PromptGet => CheckedCall {
            action: "prompts.get".into(),
            input: with_meta(json!({
                "name": string_param(obj, "name", method)?,
                "arguments": obj.get("arguments").cloned().unwrap_or_else(|| json!({})),
            })),
            declared: None,
        },
        Checked::Completion => CheckedCall {
            action: "completion.complete".into(),
            input: with_meta(Value::Object(
                obj.iter()
                    .filter(|(k, _)| k.as_str() != "_meta")
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            )),
            declared: None,
        },
        Checked::SetLogLevel => CheckedCall {
            action: "logging.set_level".into(),
            input: with_meta(json!({"level": string_param(obj, "level", method)?})),
            declared: Some(Declared::Mutating),
        },
    };
    Ok(vec![one])
}

/// The action a custom method is checked as, named the way the checked methods of the
/// specification are (`logging/setLevel` is `logging.set_level`): `mcp.`, then the method
/// with `/` written `.` and camelCase written snake_case: `acme/reIndex` is
/// `mcp.acme.re_index`. The `mcp.` prefix keeps custom methods apart from tool names, so a
/// capability such as `mcp.*` or `mcp.acme.*` admits them to a scope ceiling.
pub fn custom_action(method: &str) -> String {
    let mut out = String::with_capacity(method.len() + 8);
    out.push_str("mcp.");
    let chars: Vec<char> = method.chars().collect();
    let mut prev: Option<char> = None;
    for (i, &c) in chars.iter().enumerate() {
        if c == '/' {
            out.push('.');
        } else if c.is_ascii_uppercase() {
            let next_lower = chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            // fooBar, and the last capital of an acronym before a word: HTTPGet -> http_get.
            let boundary = prev.is_some_and(|p| {
                p.is_ascii_lowercase()
                    || p.is_ascii_digit()
                    || (p.is_ascii_uppercase() && next_lower)
            });
            if boundary {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
        prev = Some(c);
    }
    out
}

/// The check of a custom method the server's registration allows: action
/// [`custom_action`], input = its params (an object without protocol bookkeeping in `_meta`,
/// as `completion/complete` is checked, or a by-position array; `{}` when absent).
pub fn custom_call(method: &str, params: &Value) -> Result<CheckedCall, String> {
    let input = match params {
        Value::Null => json!({}),
        Value::Array(_) => params.clone(),
        Value::Object(obj) => {
            let rest: Map<String, Value> = obj
                .iter()
                .filter(|(k, _)| k.as_str() != "_meta")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            match crate::relay::payload_meta(obj) {
                Some(m) => json!({"input": rest, "_meta": m}),
                None => Value::Object(rest),
            }
        }
        _ => {
            return Err(format!(
                "`params` of {method} must be an object or an array"
            ));
        }
    };
    Ok(CheckedCall {
        action: custom_action(method),
        input,
        declared: None,
    })
}

/// The routing name a request carries (the `Mcp-Name` header must equal it): the tool or
/// prompt name, or the resource URI.
pub fn routing_name(msg: &Value) -> Option<&str> {
    let key = match msg.get("method").and_then(Value::as_str)? {
        "tools/call" | "prompts/get" => "name",
        "resources/read" | "resources/subscribe" | "resources/unsubscribe" => "uri",
        _ => return None,
    };
    msg.get("params")?.get(key)?.as_str()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(kind: Checked, method: &str, params: &Value) -> Result<CheckedCall, String> {
        let mut calls = checked_calls(kind, method, params)?;
        assert_eq!(calls.len(), 1);
        Ok(calls.remove(0))
    }

    #[test]
    fn a_listen_checks_each_resource_it_subscribes_to() {
        assert_eq!(
            route("subscriptions/listen", true),
            Route::Check(Checked::Listen)
        );
        let none = json!({"notifications": {"toolsListChanged": true}});
        assert_eq!(
            checked_calls(Checked::Listen, "subscriptions/listen", &none),
            Ok(vec![])
        );
        let two = json!({"notifications": {"resourceSubscriptions": ["file:///a", "file:///etc/shadow"]}});
        let calls = checked_calls(Checked::Listen, "subscriptions/listen", &two).unwrap();
        let inputs: Vec<_> = calls
            .iter()
            .map(|c| (c.action.as_str(), c.input.clone()))
            .collect();
        assert_eq!(
            inputs,
            vec![
                ("resources.read", json!("file:///a")),
                ("resources.read", json!("file:///etc/shadow"))
            ]
        );
        let bad = json!({"notifications": {"resourceSubscriptions": [1]}});
        assert!(checked_calls(Checked::Listen, "subscriptions/listen", &bad).is_err());
        let bad = json!({"notifications": {"resourceSubscriptions": "file:///a"}});
        assert!(checked_calls(Checked::Listen, "subscriptions/listen", &bad).is_err());
    }

    #[test]
    fn only_the_exact_spelling_of_a_method_is_known() {
        assert_eq!(route("tools/call", true), Route::Tool);
        for m in [
            "TOOLS/CALL",
            "Tools/Call",
            "tools/call ",
            "tools/call/",
            "tools/call\u{200b}",
            "tools/call\u{0}",
            "admin/exec",
            "",
        ] {
            match route(m, true) {
                Route::Refuse { code, reason } => {
                    assert_eq!(code, crate::relay::code::METHOD_NOT_FOUND, "{m:?}");
                    assert!(reason.contains(&format!("{m:?}")), "{reason}");
                }
                other => panic!("{m:?} routed as {other:?}"),
            }
        }
        assert_eq!(
            route("resources/read", true),
            Route::Check(Checked::ResourceRead)
        );
        assert_eq!(
            route("resources/subscribe", true),
            Route::Check(Checked::ResourceRead)
        );
        assert_eq!(
            route("logging/setLevel", true),
            Route::Check(Checked::SetLogLevel)
        );
        assert!(matches!(
            route("logging/setlevel", true),
            Route::Refuse { .. }
        ));
        assert!(
            matches!(route("sampling/createMessage", true), Route::Refuse { code, .. } if code == crate::relay::code::INVALID_REQUEST)
        );
        assert!(matches!(
            route("elicitation/create", true),
            Route::Refuse { .. }
        ));
        assert_eq!(route("notifications/initialized", false), Route::Pass);
        assert!(matches!(
            route("notifications/initialized", true),
            Route::Refuse { .. }
        ));
        assert!(matches!(
            route("notifications/admin", false),
            Route::Refuse { .. }
        ));
        assert!(matches!(route("ping", false), Route::Refuse { .. }));
        assert_eq!(route("ping", true), Route::Pass);
    }

    #[test]
    fn checked_methods_name_their_action_and_input() {
        let c = one(
            Checked::ResourceRead,
            "resources/read",
            &json!({"uri": "file:///etc/shadow"}),
        )
        .unwrap();
        assert_eq!(
            (c.action.as_str(), c.input),
            ("resources.read", json!("file:///etc/shadow"))
        );
        let c = one(
            Checked::PromptGet,
            "prompts/get",
            &json!({"name": "p", "arguments": {"q": "DROP TABLE t"}}),
        )
        .unwrap();
        assert_eq!(
            c.input,
            json!({"name": "p", "arguments": {"q": "DROP TABLE t"}})
        );
        let c = one(Checked::Completion, "completion/complete", &json!({"ref": {"type": "ref/prompt", "name": "p"}, "argument": {"name": "a", "value": "rm -rf /"}})).unwrap();
        assert_eq!(c.action, "completion.complete");
        assert_eq!(c.input["argument"]["value"], "rm -rf /");
        let c = one(
            Checked::SetLogLevel,
            "logging/setLevel",
            &json!({"level": "debug"}),
        )
        .unwrap();
        assert_eq!(
            (c.action.as_str(), c.declared),
            ("logging.set_level", Some(Declared::Mutating))
        );
        let c = one(
            Checked::ResourceRead,
            "resources/read",
            &json!({"uri": "x", "_meta": {"progressToken": 1, "cmd": "rm -rf /"}}),
        )
        .unwrap();
        assert_eq!(c.input, json!({"uri": "x", "_meta": {"cmd": "rm -rf /"}}));
        // What the gateway sends is what the classifier judges: a secret's URI is admin
        // with or without a `_meta` payload next to it, an ordinary file is a read.
        for (uri, meta, effect) in [
            ("file:///etc/shadow", None, airlock_core::Effect::Admin),
            (
                "file:///etc/shadow",
                Some(json!({"note": "hi"})),
                airlock_core::Effect::Admin,
            ),
            ("~/.ssh/id_rsa", None, airlock_core::Effect::Admin),
            (
                "~/.ssh/id_rsa",
                Some(json!({"note": "hi"})),
                airlock_core::Effect::Admin,
            ),
            (
                "file:///srv/project/README.md",
                None,
                airlock_core::Effect::Read,
            ),
        ] {
            let mut params = json!({"uri": uri});
            if let Some(m) = meta.clone() {
                params["_meta"] = m;
            }
            let c = one(Checked::ResourceRead, "resources/read", &params).unwrap();
            let judged = airlock_core::classify::classify(&c.action, &c.input, None, None);
            assert_eq!(judged.effect, effect, "{uri} {meta:?}: {judged:?}");
            let listen = json!({"notifications": {"resourceSubscriptions": [uri]}, "_meta": meta});
            let calls = checked_calls(Checked::Listen, "subscriptions/listen", &listen).unwrap();
            let judged =
                airlock_core::classify::classify(&calls[0].action, &calls[0].input, None, None);
            assert_eq!(judged.effect, effect, "listen {uri} {meta:?}: {judged:?}");
        }
        assert!(checked_calls(Checked::ResourceRead, "resources/read", &json!({})).is_err());
        assert!(checked_calls(Checked::PromptGet, "prompts/get", &json!([1])).is_err());
    }

    #[test]
    fn every_method_with_a_treatment_is_a_spec_method_no_registration_can_list() {
        use airlock_server::service::mcp_methods::{SPEC_METHODS, custom_method_problem};
        let tables = PASS_REQUESTS.iter().chain(CLIENT_NOTIFICATIONS).chain(&[
            "tools/call",
            "resources/read",
            "resources/subscribe",
            "prompts/get",
            "completion/complete",
            "logging/setLevel",
            "subscriptions/listen",
            "sampling/createMessage",
            "elicitation/create",
            "roots/list",
        ]);
        for m in tables {
            assert!(SPEC_METHODS.contains(m), "{m} missing from SPEC_METHODS");
            assert!(custom_method_problem(m).is_some(), "{m} could be listed");
        }
        // Whatever a registration may list is refused by the table itself.
        for m in SPEC_METHODS {
            for request in [true, false] {
                if let Route::Refuse { .. } = route(m, request) {
                    assert!(custom_method_problem(m).is_some(), "{m}");
                }
            }
        }
    }

    #[test]
    fn custom_methods_are_named_as_checked_methods_are() {
        assert_eq!(custom_action("acme/reindex"), "mcp.acme.reindex");
        assert_eq!(custom_action("acme/reIndex"), "mcp.acme.re_index");
        assert_eq!(custom_action("acme/HTTPGet"), "mcp.acme.http_get");
        assert_eq!(custom_action("acme/v2Sync"), "mcp.acme.v2_sync");
        assert_eq!(custom_action("logging/setLevel"), "mcp.logging.set_level");
        assert_eq!(
            custom_action("acme.tools:run-now"),
            "mcp.acme.tools:run-now"
        );
        let c = custom_call(
            "acme/reindex",
            &json!({"index": "docs", "_meta": {"progressToken": 1}}),
        )
        .unwrap();
        assert_eq!(
            (c.action.as_str(), c.input, c.declared),
            ("mcp.acme.reindex", json!({"index": "docs"}), None)
        );
        let c = custom_call(
            "acme/reindex",
            &json!({"index": "docs", "_meta": {"cmd": "rm -rf /"}}),
        )
        .unwrap();
        assert_eq!(
            c.input,
            json!({"input": {"index": "docs"}, "_meta": {"cmd": "rm -rf /"}})
        );
        assert_eq!(
            custom_call("acme/x", &json!(["rm -rf /"])).unwrap().input,
            json!(["rm -rf /"])
        );
        assert_eq!(
            custom_call("acme/x", &Value::Null).unwrap().input,
            json!({})
        );
        assert!(custom_call("acme/x", &json!("rm -rf /")).is_err());
        // The params are judged like a tool's input: a destructive command is destructive.
        let c = custom_call("acme/reindex", &json!({"command": "rm -rf /"})).unwrap();
        let judged = airlock_core::classify::classify(&c.action, &c.input, None, None);
        assert!(judged.effect.is_high_risk(), "{judged:?}");
    }

    #[test]
    fn routing_names() {
        let m = json!({"method": "tools/call", "params": {"name": "t"}});
        assert_eq!(routing_name(&m), Some("t"));
        let m = json!({"method": "resources/read", "params": {"uri": "file:///a"}});
        assert_eq!(routing_name(&m), Some("file:///a"));
        assert_eq!(routing_name(&json!({"method": "ping"})), None);
    }
}
