//! What a tool's (normalised) name says about reading its input, computed once per name and
//! thread ([`crate::classify::memo`]): the same on every call of the tool.

use std::cell::RefCell;
use std::rc::Rc;

use super::search::search_tool;
use super::{Hint, code, structured, tool_hint, windows_shell};
use crate::classify::memo::{Memo, get_or};
use crate::classify::name::words;

/// The readings a tool's name gives its input.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct ToolFacts {
    pub windows_shell: Option<&'static str>,
    pub code_lang: Option<&'static str>,
    pub program: Option<(structured::Program, Vec<String>)>,
    pub search_tool: bool,
    /// `resources/read`: the input names a resource that is read.
    pub resource_read: bool,
    /// A tool that acts in a web page ([`super::browser::page_tool`]).
    pub page_tool: Option<super::browser::PageTool>,
    pub hint: Hint,
    /// A notebook's cell or input typed into a running process
    /// ([`structured::inputs::typed_or_cells`]).
    pub typed_or_cells: bool,
    /// The tool lists or searches events, audit logs or history: an operation's name in its
    /// input is a filter (`list_audit_events {"action": "repo.destroy"}`).
    pub event_tool: bool,
    /// The tool gets one thing by its name (`get_channel`, `view_issue`): a `type` in its
    /// input is no listing's filter ([`one_thing`]).
    pub one_thing: bool,
}

thread_local! {
    static FACTS: RefCell<Memo<Rc<ToolFacts>>> = const { RefCell::new(Memo::new()) };
}

/// The facts of `tool`, from the memo when it was seen before.
pub(super) fn of(tool: &str) -> Rc<ToolFacts> {
    get_or(&FACTS, tool, || Rc::new(compute(tool)))
}

/// Words of a tool that reads a record of what happened.
const EVENT_WORDS: &[&str] = &[
    "event",
    "events",
    "audit",
    "audits",
    "log",
    "logs",
    "history",
    "activity",
    "activities",
    "trail",
    "changelog",
    "deliveries",
    "delivery",
    "timeline",
    "journal",
];

/// A tool of records of what happened: an audit tool (`get_audit_log`), or one whose last
/// word is a record of events (`list_events`, `search_activity`, `get_event_history`). A
/// review of set 24a: any event word anywhere made `get_log_group`, `calendar_get_event`,
/// `get_event_subscription` and `get_delivery` event tools, so `get_log_group {"action":
/// "delete_all"}` read. One event (`get_event`, `calendar_get_event`), a delivery and a
/// calendar's events are things, not records.
fn event_tool(tool_words: &[String]) -> bool {
    let has = |w: &str| tool_words.iter().any(|x| x == w);
    if has("audit") || has("audits") {
        return true;
    }
    let last = tool_words.last().map_or("", String::as_str);
    EVENT_WORDS.contains(&last) && !matches!(last, "event" | "delivery") && !has("calendar")
}

/// A tool that gets one thing (`get_channel`, `read_user`, `view_issue`; a review of set
/// 24a): a read verb first and a singular thing last that has no kinds of events of its
/// own. `list_notifications {"type": "delete"}` filters; `get_channel {"type": "delete"}`
/// has nothing to filter.
fn one_thing(tool_words: &[String]) -> bool {
    const KINDS: &[&str] = &[
        "notification",
        "webhook",
        "hook",
        "event",
        "subscription",
        "rule",
        "alert",
        "trigger",
        "filter",
        "template",
        "setting",
        "config",
        "type",
        "policy",
        "action",
        "status",
        "history",
        "log",
        "activity",
        "change",
        "diff",
        "delivery",
        "job",
        "task",
        "operation",
        "permission",
        "schema",
        "doc",
        "docs",
        "help",
        "option",
        "options",
    ];
    let [first, .., last] = tool_words else {
        return false;
    };
    matches!(
        first.as_str(),
        "get" | "read" | "view" | "fetch" | "describe" | "show" | "retrieve"
    ) && !last.ends_with('s')
        && !KINDS.contains(&last.as_str())
        && !event_tool(tool_words)
}

/// The facts of `tool`, computed.
pub(super) fn compute(tool: &str) -> ToolFacts {
    let tool_words = words(tool);
    ToolFacts {
        windows_shell: windows_shell(&tool_words),
        code_lang: code::tool_lang(&tool_words),
        program: structured::program_of(&tool_words),
        search_tool: search_tool(tool),
        resource_read: matches!(tool_words.as_slice(), [r, read] if (r == "resources" || r == "resource") && read == "read"),
        page_tool: super::browser::page_tool(tool),
        hint: tool_hint(tool),
        typed_or_cells: structured::inputs::typed_or_cells(&tool_words),
        event_tool: event_tool(&tool_words),
        one_thing: one_thing(&tool_words),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_memo_gives_what_is_computed() {
        for tool in [
            "shell",
            "run_sql",
            "resources/read",
            "powershell",
            "run_python",
            "search_files",
            "kubectl_apply",
            "aws_s3",
            "tool",
        ] {
            assert_eq!(*of(tool), compute(tool), "{tool}");
            assert_eq!(*of(tool), compute(tool), "{tool} (from the memo)");
        }
    }
}
