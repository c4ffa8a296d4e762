//! The JSON-RPC methods the MCP specification defines (2025-06-18, 2025-11-25 and the
//! 2026-07-28 additions), in both directions, and the rules for the custom methods a server
//! registration may list as allowed (`allowed_methods`).
//!
//! A method the specification defines has a fixed treatment at the gateway (checked as its
//! action, forwarded as bookkeeping, or refused) that a registration cannot change, so it can
//! never be listed; neither can a look-alike of one (another case, other separators: an
//! upstream that matched methods loosely would run `Tools/Call` as `tools/call` under the
//! custom method's action), a method of a server-only namespace (`sampling/*`,
//! `elicitation/*`, `roots/*`), nor a name JSON-RPC reserves (`rpc.*`).

use super::ServiceError;

/// Every method the MCP specification defines, requests and notifications, either direction.
pub const SPEC_METHODS: &[&str] = &[
    // Client requests.
    "initialize",
    "ping",
    "tools/list",
    "tools/call",
    "resources/list",
    "resources/templates/list",
    "resources/read",
    "resources/subscribe",
    "resources/unsubscribe",
    "prompts/list",
    "prompts/get",
    "completion/complete",
    "logging/setLevel",
    "tasks/get",
    "tasks/result",
    "tasks/list",
    "tasks/cancel",
    "server/discover",
    "subscriptions/listen",
    // Server requests.
    "sampling/createMessage",
    "elicitation/create",
    "roots/list",
    // Notifications.
    "notifications/initialized",
    "notifications/cancelled",
    "notifications/progress",
    "notifications/message",
    "notifications/roots/list_changed",
    "notifications/resources/updated",
    "notifications/resources/list_changed",
    "notifications/tools/list_changed",
    "notifications/prompts/list_changed",
    "notifications/tasks/status",
    "notifications/elicitation/complete",
];

/// Namespaces no custom method may use: requests only a server sends, and the names JSON-RPC
/// reserves.
const RESERVED_NAMESPACES: &[&str] = &["sampling", "elicitation", "roots", "rpc"];

/// The most custom methods one registration may list.
pub const MAX_ALLOWED_METHODS: usize = 64;
/// The longest custom method name, in bytes.
pub const MAX_METHOD_LEN: usize = 128;

/// A method name with case and every character other than letters and digits removed:
/// `Tools/Call`, `tools.call`, `tools_call/` and `toolscall` all fold to `toolscall`.
fn fold(name: &str) -> String {
    name.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Why `name` cannot be listed as a custom method, or `None` when it can: 1–128 printable
/// ASCII characters without whitespace, not a method of the specification nor a look-alike of
/// one, not in a server-only or reserved namespace.
pub fn custom_method_problem(name: &str) -> Option<String> {
    let shown = super::clip(name, 80);
    if name.is_empty() {
        return Some("a method name is empty".into());
    }
    if name.len() > MAX_METHOD_LEN {
        return Some(format!(
            "method `{shown}…` is longer than {MAX_METHOD_LEN} characters"
        ));
    }
    if !name.bytes().all(|b| b.is_ascii_graphic()) {
        return Some(format!(
            "method {name:?} may hold only printable ASCII characters, without spaces, \
             control or invisible characters"
        ));
    }
    let folded = fold(name);
    if folded.is_empty() {
        return Some(format!("method `{name}` has no letter or digit"));
    }
    if let Some(spec) = SPEC_METHODS.iter().find(|m| fold(m) == folded) {
        return Some(if *spec == name {
            format!("`{name}` is a method of the MCP specification: its treatment is fixed")
        } else {
            format!(
                "`{name}` is a variant of the MCP method `{spec}`: methods of the specification \
                 are matched exactly and cannot be listed in another spelling"
            )
        });
    }
    let first = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .find(|s| !s.is_empty())
        .unwrap_or_default()
        .to_ascii_lowercase();
    if RESERVED_NAMESPACES.contains(&first.as_str()) {
        return Some(format!(
            "`{name}` is in the reserved namespace `{first}` (requests only a server sends, or \
             names JSON-RPC reserves)"
        ));
    }
    None
}

/// The validated `allowed_methods` of a registration: each name exactly as given.
pub fn allowed_methods(field: &str, names: &[String]) -> Result<Vec<String>, ServiceError> {
    if names.len() > MAX_ALLOWED_METHODS {
        return Err(ServiceError::invalid(
            field,
            format!("`{field}` has more than {MAX_ALLOWED_METHODS} entries"),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for name in names {
        if let Some(problem) = custom_method_problem(name) {
            return Err(ServiceError::invalid(
                field,
                format!("`{field}`: {problem}"),
            ));
        }
        if out.contains(name) {
            return Err(ServiceError::invalid(
                field,
                format!("`{field}`: method `{name}` is listed twice"),
            ));
        }
        out.push(name.clone());
    }
    Ok(out)
}

/// True if a client message's `method` is one of `allowed`, byte for byte, and may be a
/// custom method at all (the gateway's last look before it checks one).
pub fn is_allowed_custom(method: &str, allowed: &[String]) -> bool {
    custom_method_problem(method).is_none() && allowed.iter().any(|m| m == method)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_methods_are_exact_printable_names_outside_the_specification() {
        for ok in [
            "acme/reindex",
            "acme/reIndex",
            "x",
            "vendor.tool:run-now_2",
            "notifications/acme/heartbeat",
            "tools/acme",
        ] {
            assert_eq!(custom_method_problem(ok), None, "{ok}");
        }
        let long = "a".repeat(MAX_METHOD_LEN + 1);
        for bad in [
            "",
            " ",
            "acme/reindex ",
            " acme/reindex",
            "acme/re index",
            "acme/reindex\t",
            "acme/reindex\u{0}",
            "acme/reindex\u{200b}",
            "acme/réindex",
            "///",
            long.as_str(),
            "tools/call",
            "Tools/Call",
            "TOOLS/CALL",
            "tools/call/",
            "tools.call",
            "tools_call",
            "logging/set_level",
            "initialize",
            "notifications/initialized",
            "notifications/message",
            "server/discover",
            "sampling/createMessage",
            "sampling/anything",
            "Sampling.x",
            "elicitation/create",
            "elicitation/acme",
            "roots/list",
            "roots/acme",
            "rpc.discover",
        ] {
            assert!(custom_method_problem(bad).is_some(), "{bad:?} accepted");
        }
        assert!(custom_method_problem(&"a".repeat(MAX_METHOD_LEN)).is_none());
    }

    #[test]
    fn a_list_is_bounded_and_has_no_duplicates() {
        let ok = vec!["acme/a".to_string(), "acme/A".to_string()];
        assert_eq!(allowed_methods("allowed_methods", &ok).unwrap(), ok);
        let twice = vec!["acme/a".to_string(), "acme/a".to_string()];
        assert!(allowed_methods("allowed_methods", &twice).is_err());
        let many: Vec<String> = (0..=MAX_ALLOWED_METHODS)
            .map(|i| format!("m/{i}"))
            .collect();
        assert!(allowed_methods("allowed_methods", &many).is_err());
        let most = many.get(..MAX_ALLOWED_METHODS).unwrap_or_default();
        assert!(allowed_methods("allowed_methods", most).is_ok());
        assert!(allowed_methods("allowed_methods", &["tools/call".to_string()]).is_err());
    }

    #[test]
    fn only_an_exact_listed_name_is_allowed() {
        let list = vec!["acme/reindex".to_string()];
        assert!(is_allowed_custom("acme/reindex", &list));
        for m in [
            "Acme/Reindex",
            "acme/reindex ",
            "acme/reindex/",
            "acme/reindex\u{200b}",
            "acme.reindex",
        ] {
            assert!(!is_allowed_custom(m, &list), "{m:?}");
        }
        // A spec method is never a custom one, even if a list held it.
        assert!(!is_allowed_custom(
            "tools/call",
            &["tools/call".to_string()]
        ));
    }
}
