//! The Claude Code `PreToolUse` hook: an event in, the hook's JSON answer out.
//!
//! Mapping of Claude Code tools to Airlock actions (the same pipeline as every other path):
//!
//! | Claude Code tool | action name | input |
//! |---|---|---|
//! | `Bash` | `shell.exec` | the command string |
//! | `Write` | `file.write` | `{"path", "content"}` |
//! | `Edit` | `file.write` | `{"path", "content": new_string, "old_string", "replace_all"}` |
//! | `MultiEdit` | `file.write` | `{"path", "edits"}` |
//! | `NotebookEdit` | `file.write` | `{"path", "content": new_source, "cell_id", "edit_mode"}` |
//! | `mcp__<server>__<tool>` | `<tool>` | the tool's arguments, as the MCP gateway sends them |
//! | `ReadMcpResourceTool` | `resources.read` | the resource URI, as the gateway checks `resources/read` |
//! | anything else | the tool name | the tool input |
//!
//! The hook also sends the Claude Code tool name (`hook_tool`), so that an agent's
//! capabilities may be written in Claude Code's names: `Bash` allows the hook's `Bash` calls
//! (checked as `shell.exec`) and nothing else (see `airlock_core::scope::allowing_hook_call`).
//!
//! Answers: allowed → `allow`; denied with `elevation_required` for a `mutating` call →
//! `ask` (the person at Claude Code decides; the reason carries the Airlock approval id);
//! any other denial (destructive and admin calls, scope, revoked agent, changed tool) →
//! `deny`. Anything that goes wrong — Airlock unreachable, a timeout, an answer without
//! `allowed`, an event that cannot be read — is `deny` with the reason.

use serde_json::{Value, json};

use crate::relay::{DecideError, Decision};

/// A call as Airlock checks it.
#[derive(Debug, Clone, PartialEq)]
pub struct Mapped {
    pub action: String,
    pub input: Value,
}

/// The three answers of a PreToolUse hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Allow,
    Deny,
    Ask,
}

impl Permission {
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::Allow => "allow",
            Permission::Deny => "deny",
            Permission::Ask => "ask",
        }
    }
}

/// The fields of a PreToolUse event the hook uses.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub session_id: String,
    pub hook_event_name: String,
    pub tool_name: String,
    pub tool_input: Value,
}

/// Reads a hook event; an unusable one is an error (and so a denial).
pub fn parse_event(bytes: &[u8]) -> Result<Event, String> {
    let v: Value =
        serde_json::from_slice(bytes).map_err(|e| format!("the hook event is not JSON: {e}"))?;
    let s = |k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let tool_name = s("tool_name");
    if tool_name.is_empty() {
        return Err("the hook event has no `tool_name`".into());
    }
    Ok(Event {
        session_id: s("session_id"),
        hook_event_name: s("hook_event_name"),
        tool_name,
        tool_input: v.get("tool_input").cloned().unwrap_or(json!({})),
    })
}

fn field(input: &Value, k: &str) -> Value {
    input.get(k).cloned().unwrap_or(Value::Null)
}

/// Maps a Claude Code tool call to the action Airlock checks.
pub fn map_tool(tool: &str, input: &Value) -> Mapped {
    let path = |k: &str| field(input, k);
    let (action, input) = match tool {
        "Bash" => (
            "shell.exec".to_string(),
            match input.get("command") {
                Some(Value::String(c)) => Value::String(c.clone()),
                _ => input.clone(),
            },
        ),
        "Write" => (
            "file.write".into(),
            json!({"path": path("file_path"), "content": field(input, "content")}),
        ),
        "Edit" => (
            "file.write".into(),
            json!({
                "path": path("file_path"),
                "content": field(input, "new_string"),
                "old_string": field(input, "old_string"),
                "replace_all": field(input, "replace_all"),
            }),
        ),
        "MultiEdit" => (
            "file.write".into(),
            json!({"path": path("file_path"), "edits": field(input, "edits")}),
        ),
        "NotebookEdit" => (
            "file.write".into(),
            json!({
                "path": path("notebook_path"),
                "content": field(input, "new_source"),
                "cell_id": field(input, "cell_id"),
                "edit_mode": field(input, "edit_mode"),
            }),
        ),
        "ReadMcpResourceTool" => (
            "resources.read".into(),
            match input.get("uri") {
                Some(Value::String(uri)) => Value::String(uri.clone()),
                _ => input.clone(),
            },
        ),
        t => match mcp_tool(t) {
            Some(name) => (name.to_string(), input.clone()),
            None => (t.to_string(), input.clone()),
        },
    };
    Mapped { action, input }
}

/// True for the Claude Code tools that act on one MCP server: `mcp__<server>__<tool>` and
/// `ReadMcpResourceTool`. With `--server`, they are checked in a session bound to that server.
pub fn reaches_mcp_server(name: &str) -> bool {
    mcp_tool(name).is_some() || name == "ReadMcpResourceTool"
}

/// The tool part of `mcp__<server>__<tool>`.
pub fn mcp_tool(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("mcp__")?;
    let (_, tool) = rest.split_once("__")?;
    (!tool.is_empty()).then_some(tool)
}

/// The permission a decision gives.
pub fn permission(d: &Decision) -> Permission {
    if d.allowed {
        Permission::Allow
    } else if d.elevation_required && d.effect == "mutating" {
        Permission::Ask
    } else {
        Permission::Deny
    }
}

/// The reason shown in Claude Code.
pub fn reason(action: &str, d: &Decision) -> String {
    let verb = if d.allowed { "allowed" } else { "denied" };
    let mut text = format!("Airlock {verb} `{action}`: {}", d.reason);
    if let Some(id) = &d.approval_id {
        text.push_str(&format!(" (approval id: {id})"));
    }
    text
}

/// The hook's answer, printed on stdout.
pub fn answer(permission: Permission, reason: &str) -> Value {
    json!({
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": permission.as_str(),
            "permissionDecisionReason": reason,
        }
    })
}

/// The answer when Airlock could not decide.
pub fn failure(why: &DecideError) -> Value {
    answer(
        Permission::Deny,
        &format!("Airlock could not check this call, so it is denied: {why}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(allowed: bool, elevation: bool, effect: &str) -> Decision {
        Decision {
            allowed,
            reason: "because".into(),
            approval_id: (!allowed).then(|| "apr_1".to_string()),
            elevation_required: elevation,
            check_id: "chk_1".into(),
            effect: effect.into(),
            session_id: "s".into(),
            rule: String::new(),
        }
    }

    #[test]
    fn maps_claude_code_tools_to_actions() {
        let m = map_tool("Bash", &json!({"command": "rm -rf /", "description": "x"}));
        assert_eq!(
            m,
            Mapped {
                action: "shell.exec".into(),
                input: json!("rm -rf /")
            }
        );
        let m = map_tool("Write", &json!({"file_path": "/a", "content": "hi"}));
        assert_eq!(m.action, "file.write");
        assert_eq!(m.input, json!({"path": "/a", "content": "hi"}));
        let m = map_tool(
            "Edit",
            &json!({"file_path": "/a", "old_string": "x", "new_string": "y"}),
        );
        assert_eq!(m.input["content"], "y");
        let m = map_tool(
            "NotebookEdit",
            &json!({"notebook_path": "/n.ipynb", "new_source": "1"}),
        );
        assert_eq!(m.input["path"], "/n.ipynb");
        let m = map_tool("mcp__db__execute_sql", &json!({"sql": "DROP TABLE t"}));
        assert_eq!(m.action, "execute_sql");
        assert_eq!(m.input, json!({"sql": "DROP TABLE t"}));
        assert_eq!(map_tool("Read", &json!({})).action, "Read");
        let m = map_tool(
            "ReadMcpResourceTool",
            &json!({"server": "fs", "uri": "file:///etc/shadow"}),
        );
        assert_eq!(
            m,
            Mapped {
                action: "resources.read".into(),
                input: json!("file:///etc/shadow")
            }
        );
        assert!(reaches_mcp_server("ReadMcpResourceTool"));
        assert!(reaches_mcp_server("mcp__db__x"));
        assert!(!reaches_mcp_server("Bash"));
        assert!(!reaches_mcp_server("ListMcpResourcesTool"));
        assert_eq!(mcp_tool("mcp__only"), None);
    }

    #[test]
    fn the_mapping_is_the_one_capabilities_in_tool_names_use() {
        // A capability written as a Claude Code tool name allows the action mapped here
        // (airlock_core::scope::claude_code_action): both tables must agree.
        for tool in [
            "Bash",
            "Write",
            "Edit",
            "MultiEdit",
            "NotebookEdit",
            "ReadMcpResourceTool",
            "mcp__db__execute_sql",
            "Read",
            "Grep",
        ] {
            let mapped = map_tool(tool, &json!({})).action;
            let core = airlock_core::scope::claude_code_action(tool).unwrap_or(tool);
            assert_eq!(mapped, core, "{tool}");
        }
    }

    #[test]
    fn answers_allow_ask_and_deny() {
        assert_eq!(
            permission(&decision(true, false, "read")),
            Permission::Allow
        );
        assert_eq!(
            permission(&decision(false, true, "mutating")),
            Permission::Ask
        );
        assert_eq!(
            permission(&decision(false, true, "destructive")),
            Permission::Deny
        );
        assert_eq!(
            permission(&decision(false, false, "read")),
            Permission::Deny
        );
        let a = answer(Permission::Deny, "no");
        assert_eq!(a["hookSpecificOutput"]["permissionDecision"], "deny");
        assert_eq!(a["hookSpecificOutput"]["hookEventName"], "PreToolUse");
        let f = failure(&DecideError::Unreachable("down".into()));
        assert_eq!(f["hookSpecificOutput"]["permissionDecision"], "deny");
        assert!(parse_event(b"garbage").is_err());
        assert!(parse_event(br#"{"tool_name": ""}"#).is_err());
    }
}
