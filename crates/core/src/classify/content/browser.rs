//! Tools that act in a web page (`browser_evaluate`, `puppeteer_evaluate`, `browser_click`):
//! a script runs with the page's session, so it can send the page's cookies and storage
//! away or call the site's API with the user's rights; a click acts on what the control
//! says it does. Such a script is never proven a read here: at least mutating.

use serde_json::{Map, Value};

use super::{Ctx, http, snippet};
use crate::Effect::{Admin, Destructive, Mutating};
use crate::classify::name::{name_tier, words};

/// What a page tool does with its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PageTool {
    /// Runs a script in the page.
    Script,
    /// Clicks, taps or presses a control.
    Click,
}

/// The page tool `tool` names, if any: a browser word and a script or click word.
pub(crate) fn page_tool(tool: &str) -> Option<PageTool> {
    let w = words(tool);
    let has = |set: &[&str]| w.iter().any(|x| set.contains(&x.as_str()));
    // A click needs no browser word: `click`, `computer_click`, `left_click`, `ui_click`
    // act on the control they describe wherever it is (the twenty-fourth sets: `click
    // {"element": "Delete repository button"}` was only mutating).
    if has(&["click", "dblclick", "doubleclick"]) && !has(&SCRIPT_WORDS) {
        return Some(PageTool::Click);
    }
    if !has(&[
        "browser",
        "puppeteer",
        "playwright",
        "page",
        "chrome",
        "devtools",
        "selenium",
        "webdriver",
        "cdp",
        "tab",
    ]) {
        return None;
    }
    if has(&SCRIPT_WORDS) {
        Some(PageTool::Script)
    } else if has(&[
        "click", "tap", "press", "dblclick", "check", "action", "act", "interact",
    ]) {
        // `browser_action {"element": "Delete repository"}`: a generic action on a control.
        Some(PageTool::Click)
    } else {
        None
    }
}

/// Words of a tool that runs a script in the page.
const SCRIPT_WORDS: [&str; 8] = [
    "evaluate",
    "eval",
    "script",
    "execute",
    "run",
    "js",
    "javascript",
    "code",
];

/// A page tool that only reads what the browser already holds (`browser_snapshot {}`,
/// `browser_console_messages`, `browser_network_requests`), called with no arguments: its
/// name has a browser word and every other word is one of these.
pub(crate) fn reads_page(tool: &str, input: &Value) -> bool {
    const BROWSER: &[&str] = &["browser", "puppeteer", "playwright", "page", "mcp"];
    const READS: &[&str] = &[
        "snapshot",
        "accessibility",
        "console",
        "messages",
        "network",
        "requests",
        "get",
        "list",
    ];
    let empty = match input {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        _ => false,
    };
    // Checked first: the name's words are split only for a call without arguments.
    if !empty {
        return false;
    }
    let w = words(tool);
    w.iter()
        .any(|x| BROWSER.contains(&x.as_str()) && x != "mcp")
        && w.iter()
            .any(|x| matches!(x.as_str(), "snapshot" | "console" | "network"))
        && w.iter()
            .all(|x| BROWSER.contains(&x.as_str()) || READS.contains(&x.as_str()))
}

/// Fields that hold a page script.
const SCRIPT_KEYS: &[&str] = &[
    "function",
    "script",
    "code",
    "expression",
    "js",
    "javascript",
    "source",
    "pagefunction",
    "page_function",
    "body",
];

/// Fields that describe the control a click acts on.
const CONTROL_KEYS: &[&str] = &[
    "element",
    "selector",
    "text",
    "label",
    "name",
    "target",
    "locator",
    "description",
    "button",
    "title",
];

/// Judges a page tool's input; returns the keys it judged (the generic walk skips them).
pub(crate) fn analyse(ctx: &mut Ctx, kind: PageTool, map: &Map<String, Value>) -> Vec<String> {
    let mut judged = Vec::new();
    for (k, v) in map {
        let lk = k.to_ascii_lowercase();
        let Value::String(text) = v else { continue };
        match kind {
            PageTool::Script if SCRIPT_KEYS.contains(&lk.as_str()) => {
                script(ctx, text);
                judged.push(k.clone());
            }
            PageTool::Click if CONTROL_KEYS.contains(&lk.as_str()) => {
                control(ctx, text);
                judged.push(k.clone());
            }
            _ => {}
        }
    }
    judged
}

/// What the page's own secrets are read through.
const PAGE_SECRETS: &[&str] = &[
    "document.cookie",
    "localstorage",
    "sessionstorage",
    "indexeddb",
    "cookiestore",
    "navigator.credentials",
    "authorization",
];

/// What sends data out of the page.
const PAGE_SINKS: &[&str] = &[
    "fetch(",
    "xmlhttprequest",
    "sendbeacon",
    "websocket",
    "eventsource",
    "new image",
    ".src=",
    "location=",
    "location.href=",
    "location.assign",
    "location.replace",
    "window.open",
    "postmessage",
    "import(",
    "$.ajax",
    "$.post",
    "axios",
    // A link followed (`a.href = 'https://…?' + document.cookie; a.click()`).
    ".href=",
];

/// A global looked up by a name built at run time (`window['fe' + 'tch']`,
/// `self[atob('…')]`): a way to call `fetch` without naming it.
fn computed_global(lower: &str) -> bool {
    ["window[", "globalthis[", "self["].iter().any(|g| {
        lower.match_indices(g).take(32).any(|(at, _)| {
            let inside = lower.get(at + g.len()..).unwrap_or("");
            let inside = inside.split(']').next().unwrap_or("");
            ["+", "atob(", "fromcharcode", "join(", "reverse(", "concat("]
                .iter()
                .any(|m| inside.contains(m))
        })
    })
}

/// What deletes the page's stored data.
const PAGE_DELETES: &[&str] = &[
    "indexeddb.deletedatabase(",
    "localstorage.clear(",
    "sessionstorage.clear(",
    "cookiestore.delete(",
    "caches.delete(",
];

/// A page script: the page's secrets sent out are admin; each `fetch` is judged as the
/// request it makes; a click or submit on a control that destroys is destructive.
fn script(ctx: &mut Ctx, text: &str) {
    ctx.add(
        Mutating,
        format!("browser: runs a script in the page ({})", snippet(text)),
    );
    let lower: String = text
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let secret = PAGE_SECRETS.iter().find(|s| lower.contains(*s));
    let sink = PAGE_SINKS
        .iter()
        .find(|s| lower.contains(*s))
        .copied()
        .or_else(|| computed_global(&lower).then_some("a global named at run time"));
    if let (Some(secret), Some(sink)) = (secret, sink) {
        ctx.add(
            Admin,
            format!(
                "browser: the script reads `{secret}` and sends data out of the page (`{}`)",
                sink.trim_end_matches(['(', '='])
            ),
        );
    }
    if let Some(d) = PAGE_DELETES.iter().find(|d| lower.contains(*d)) {
        ctx.add(
            Destructive,
            format!(
                "browser: the script deletes the page's stored data (`{}`)",
                d.trim_end_matches('(')
            ),
        );
    }
    // `eval(atob('…'))`: code decoded and run, whatever it reads or sends.
    if lower.contains("atob(")
        && [
            "eval(",
            "eval)(",
            "newfunction(",
            "settimeout(atob",
            "setinterval(atob",
            "settimeout(window.atob",
            "import(",
        ]
        .iter()
        .any(|r| lower.contains(r))
    {
        ctx.add(Destructive, "browser: the script decodes code and runs it");
    }
    for (method, url, body) in fetches(text) {
        http::judge_request(ctx, &method, &url, &body);
    }
    if [".click(", ".submit(", "dispatchevent(", ".requestsubmit("]
        .iter()
        .any(|a| lower.contains(a))
    {
        for lit in string_literals(text) {
            control(ctx, &lit);
        }
    }
}

/// A control acted on: judged by the words that name it (`Delete this repository`),
/// raising only to destructive or admin.
fn control(ctx: &mut Ctx, text: &str) {
    if let Some(e @ (Destructive | Admin)) = name_tier(text).effect {
        ctx.add(e, format!("browser: acts on the control {}", snippet(text)));
    }
}

/// The string literals of a script (`'…'`, `"…"`, `` `…` `` without escapes decoded).
fn string_literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if matches!(c, '\'' | '"' | '`') {
            let lit: String = chars.by_ref().take_while(|x| *x != c).collect();
            if out.len() < 64 {
                out.push(lit);
            }
        }
    }
    out
}

/// The requests a script makes with `fetch(url, {method, body})`: the URL when it is a
/// literal, the method (`GET` when none is written), and the body's text as written.
fn fetches(text: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices("fetch(").take(16) {
        let rest = text.get(at + 6..).unwrap_or_default();
        let lits = string_literals(rest);
        let Some(url) = lits.first().cloned() else {
            continue;
        };
        let call: String = rest.chars().take(600).collect();
        let lower = call.to_ascii_lowercase();
        let method = lower
            .find("method")
            .and_then(|i| call.get(i..))
            .and_then(|m| string_literals(m).into_iter().next())
            .map(|m| m.to_ascii_uppercase())
            .unwrap_or_else(|| "GET".into());
        let body = lower
            .find("body")
            .and_then(|i| call.get(i..))
            .unwrap_or_default()
            .to_string();
        out.push((method, url, body));
    }
    out
}
