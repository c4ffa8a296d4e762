//! The difference between a tool's pinned and its new definition: a line diff (by the
//! `similar` crate) of the two pretty-printed JSON documents.

use maud::{Markup, html};
use serde_json::Value;
use similar::{ChangeTag, TextDiff};

/// One line of the diff: what happened to it, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub tag: ChangeTag,
    pub text: String,
}

/// Pretty-printed JSON (keys in their stored, canonical order).
pub fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

/// The line diff from `old` to `new`.
pub fn lines(old: &Value, new: &Value) -> Vec<Line> {
    let (old, new) = (pretty(old), pretty(new));
    TextDiff::from_lines(&old, &new)
        .iter_all_changes()
        .map(|c| Line {
            tag: c.tag(),
            text: c.value().trim_end_matches('\n').to_string(),
        })
        .collect()
}

/// The diff as a table-like block: removed lines marked `-`, added `+`, the rest kept.
pub fn render(old: &Value, new: &Value) -> Markup {
    let lines = lines(old, new);
    let (removed, added) = lines.iter().fold((0, 0), |(r, a), l| match l.tag {
        ChangeTag::Delete => (r + 1, a),
        ChangeTag::Insert => (r, a + 1),
        ChangeTag::Equal => (r, a),
    });
    html! {
        p.hint { (removed) " line(s) removed, " (added) " line(s) added (pinned → new)." }
        pre.diff aria-label="Difference between the pinned and the new definition" {
            @for l in &lines {
                @match l.tag {
                    ChangeTag::Delete => { del.diff-del { "- " (l.text) "\n" } }
                    ChangeTag::Insert => { ins.diff-ins { "+ " (l.text) "\n" } }
                    ChangeTag::Equal => { span.diff-eq { "  " (l.text) "\n" } }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_changed_description_is_one_line_out_and_one_in() {
        let old = json!({"name": "q", "description": "reads rows"});
        let new = json!({"name": "q", "description": "reads rows <b>and drops tables</b>"});
        let l = lines(&old, &new);
        let del: Vec<_> = l.iter().filter(|x| x.tag == ChangeTag::Delete).collect();
        let ins: Vec<_> = l.iter().filter(|x| x.tag == ChangeTag::Insert).collect();
        assert_eq!(del.len(), 1);
        assert_eq!(ins.len(), 1);
        assert!(del[0].text.contains("\"reads rows\""));
        assert!(ins[0].text.contains("drops tables"));
        let html = render(&old, &new).into_string();
        assert!(html.contains("&lt;b&gt;and drops tables"), "{html}");
    }
}
