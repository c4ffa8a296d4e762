//! A call's whole input, rendered for the person who decides on it.
//!
//! - SQL: one block per statement, each labelled with the effect `airlock_core`'s classifier
//!   gives it alone; destructive and admin statements are highlighted.
//! - A shell command line: each command, the risky ones marked the same way.
//! - JSON arguments: pretty-printed, with their SQL or shell fields rendered as above.
//!
//! Inputs over [`FOLD_AT`] bytes are folded in `<details>`; their dangerous pieces stay in
//! view above the fold. Everything goes through `maud`, so hostile input is escaped.

use airlock_core::Effect;
use airlock_core::classify::{ContentVerdict, classify_content, name_tier};
use maud::{Markup, html};
use serde_json::{Value, json};

use super::split;

/// Inputs larger than this are folded.
pub const FOLD_AT: usize = 4 * 1024;
/// Pieces (statements, commands) classified one by one; the rest are shown unlabelled.
const MAX_PIECES: usize = 400;
/// Longest excerpt of a dangerous piece shown above a fold.
const EXCERPT: usize = 1500;

/// How the classifier reads one piece of a script.
#[derive(Debug, Clone)]
pub struct Piece<'a> {
    pub text: &'a str,
    /// What the piece ends with in a shell command line (`&&`, `|`, …).
    pub op: &'a str,
    pub verdict: Option<ContentVerdict>,
}

impl Piece<'_> {
    pub fn dangerous(&self) -> bool {
        self.verdict
            .as_ref()
            .is_some_and(|v| v.effect.is_high_risk())
    }

    fn effect(&self) -> Option<Effect> {
        self.verdict.as_ref().map(|v| v.effect)
    }
}

/// The statements of an SQL script with the classifier's verdict on each.
pub fn sql_pieces(text: &str) -> Vec<Piece<'_>> {
    split::sql_statements(text)
        .into_iter()
        .enumerate()
        .map(|(i, s)| Piece {
            text: s,
            op: "",
            verdict: (i < MAX_PIECES || !routine(s))
                .then(|| judge("execute_sql", "sql", s))
                .flatten(),
        })
        .collect()
}

/// The commands of a shell command line with the classifier's verdict on each.
pub fn shell_pieces(text: &str) -> Vec<Piece<'_>> {
    split::shell_commands(text)
        .into_iter()
        .enumerate()
        .map(|(i, (c, op))| Piece {
            text: c,
            op,
            verdict: (i < MAX_PIECES)
                .then(|| judge("run_shell_command", "command", c))
                .flatten(),
        })
        .collect()
}

/// Past [`MAX_PIECES`], only statements that do not start like a plain read or insert are
/// classified (the bound keeps a page with several large scripts fast; the whole script was
/// classified when the call was checked).
fn routine(statement: &str) -> bool {
    matches!(
        first_word(statement).as_str(),
        "select" | "insert" | "values"
    )
}

fn judge(tool: &str, key: &str, text: &str) -> Option<ContentVerdict> {
    classify_content(tool, &name_tier(tool), &json!({ key: text }))
}

/// The whole input of a call named `action`: `None` when the approval kept none.
pub fn input(action: &str, input: Option<&Value>) -> Markup {
    match input {
        None => html! {
            p.muted { "No input was kept for this approval (an elevation, or an input larger than the stored bound)." }
        },
        Some(Value::String(text)) => text_input(action, "Input", text),
        Some(value) => json_input(action, value),
    }
}

fn text_input(action: &str, label: &str, text: &str) -> Markup {
    match guess(action, label, text) {
        Kind::Sql => sql(label, text),
        Kind::Shell => shell(label, text),
        Kind::Text => html! {
            div.input {
                p.input-label { (label) }
                (fold(label, text.len(), html! { pre { code { (text) } } }))
            }
        },
    }
}

fn json_input(action: &str, value: &Value) -> Markup {
    let pretty = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    let fields: Vec<(&String, &str)> = match value {
        Value::Object(map) => map
            .iter()
            .filter_map(|(k, v)| v.as_str().map(|s| (k, s)))
            .filter(|(k, s)| guess(action, k, s) != Kind::Text)
            .collect(),
        _ => Vec::new(),
    };
    html! {
        @for (key, text) in &fields {
            (text_input(action, &format!("`{key}`"), text))
        }
        div.input {
            p.input-label { "Arguments (JSON)" }
            (fold("Arguments", pretty.len(), html! { pre.json { code { (pretty) } } }))
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sql,
    Shell,
    Text,
}

/// Whether a text reads as SQL or a shell command, from the tool's name, the field's name and
/// the text's first word.
fn guess(action: &str, field: &str, text: &str) -> Kind {
    let name = format!("{action} {field}").to_ascii_lowercase();
    let first = first_word(text);
    const SQL_WORDS: &[&str] = &[
        "select", "insert", "update", "delete", "drop", "create", "alter", "truncate", "grant",
        "revoke", "with", "begin", "merge", "replace", "copy", "vacuum", "set", "commit",
        "explain", "pragma", "attach", "rename", "lock", "call", "exec", "execute", "do", "upsert",
        "analyze", "reindex", "cluster", "refresh", "comment",
    ];
    const SHELL_WORDS: &[&str] = &[
        "rm",
        "sudo",
        "curl",
        "wget",
        "sh",
        "bash",
        "cd",
        "ls",
        "cat",
        "echo",
        "git",
        "docker",
        "kubectl",
        "chmod",
        "chown",
        "mv",
        "cp",
        "dd",
        "mkfs",
        "find",
        "xargs",
        "tar",
        "ssh",
        "scp",
        "rsync",
        "psql",
        "mysql",
        "npm",
        "pip",
        "python",
        "python3",
        "make",
        "terraform",
        "aws",
        "gcloud",
        "systemctl",
        "kill",
        "pkill",
        "shutdown",
        "reboot",
    ];
    let sql_name = ["sql", "query", "database", "db.", "db_", "statement"]
        .iter()
        .any(|w| name.contains(w));
    let shell_name = ["shell", "bash", "command", "cmd", "terminal", "exec", "run"]
        .iter()
        .any(|w| name.contains(w));
    if SQL_WORDS.contains(&first.as_str()) && (sql_name || !SHELL_WORDS.contains(&first.as_str())) {
        Kind::Sql
    } else if SHELL_WORDS.contains(&first.as_str()) || (shell_name && !first.is_empty()) {
        Kind::Shell
    } else if sql_name && !first.is_empty() && text.contains(';') {
        Kind::Sql
    } else {
        Kind::Text
    }
}

/// The first word of a text, lowercased, after blanks, comments and parentheses.
fn first_word(text: &str) -> String {
    let mut rest = text;
    loop {
        let t = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '(');
        if let Some(after) = t.strip_prefix("--") {
            rest = after.split_once('\n').map(|(_, r)| r).unwrap_or("");
        } else if let Some(after) = t.strip_prefix("/*") {
            rest = after.split_once("*/").map(|(_, r)| r).unwrap_or("");
        } else {
            rest = t;
            break;
        }
    }
    rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-'))
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// An SQL script: one block per statement, the dangerous ones highlighted.
pub fn sql(label: &str, text: &str) -> Markup {
    let pieces = sql_pieces(text);
    let danger = pieces.iter().filter(|p| p.dangerous()).count();
    let body = html! {
        ol.script.sql aria-label={ (label) " statements" } {
            @for p in &pieces {
                li class=(piece_class(p)) {
                    (piece_label(p))
                    pre { code { (p.text) } }
                }
            }
        }
    };
    html! {
        div.input {
            p.input-label {
                (label) " — SQL, " (pieces.len()) " statement" @if pieces.len() != 1 { "s" }
                @if danger > 0 { ", " strong.danger-text { (danger) " dangerous" } }
            }
            (dangerous_above_fold(text.len(), &pieces))
            (fold(label, text.len(), body))
        }
    }
}

/// A shell command line with each risky command marked.
pub fn shell(label: &str, text: &str) -> Markup {
    let pieces = shell_pieces(text);
    let body = html! {
        pre.shell { code {
            @for p in &pieces {
                @if p.dangerous() {
                    mark.risk title=(reason_title(p)) { (p.text) }
                } @else if p.effect().is_some_and(Effect::is_write) {
                    span.write title=(reason_title(p)) { (p.text) }
                } @else {
                    (p.text)
                }
                @match p.op {
                    "" => {},
                    "\n" => "\n",
                    ";" => "; ",
                    op => { " " (op) " " },
                }
            }
        } }
    };
    html! {
        div.input {
            p.input-label { (label) " — shell command" }
            (dangerous_above_fold(text.len(), &pieces))
            (fold(label, text.len(), body))
            @let risky: Vec<&Piece> = pieces.iter().filter(|p| p.dangerous()).collect();
            @if !risky.is_empty() && text.len() <= FOLD_AT {
                p.hint { "Marked: the command" @if risky.len() > 1 { "s" } " the classifier finds destructive or admin." }
            }
        }
    }
}

fn piece_class(p: &Piece) -> &'static str {
    match p.effect() {
        Some(e) if e.is_high_risk() => "stmt danger",
        Some(e) if e.is_write() => "stmt write",
        Some(_) => "stmt read",
        None => "stmt",
    }
}

fn piece_label(p: &Piece) -> Markup {
    match &p.verdict {
        Some(v) => html! {
            span class=(effect_class(v.effect)) title=(reason_title(p)) { (v.effect.as_str()) }
        },
        None => html! {},
    }
}

/// The badge class of an effect: admin is as dangerous as destructive.
pub fn effect_class(effect: Effect) -> &'static str {
    match effect {
        Effect::Read => "badge ok",
        Effect::Mutating => "badge warn",
        Effect::Destructive | Effect::Admin => "badge bad",
    }
}

fn reason_title(p: &Piece) -> String {
    p.verdict
        .as_ref()
        .map(|v| format!("{}: {}", v.effect, v.reasons.join("; ")))
        .unwrap_or_default()
}

/// Above a fold, the dangerous pieces, so that the reason to pause is never hidden.
fn dangerous_above_fold(len: usize, pieces: &[Piece]) -> Markup {
    html! {
        @if len > FOLD_AT {
            @for p in pieces.iter().filter(|p| p.dangerous()).take(5) {
                div.stmt.danger {
                    (piece_label(p))
                    pre { code { (excerpt(p.text)) } }
                }
            }
        }
    }
}

fn excerpt(text: &str) -> String {
    if text.len() <= EXCERPT {
        return text.to_string();
    }
    let mut end = EXCERPT;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", text.get(..end).unwrap_or_default())
}

/// `body` as is, or folded in `<details>` when the input is large.
fn fold(label: &str, len: usize, body: Markup) -> Markup {
    html! {
        @if len > FOLD_AT {
            details.long {
                summary { "Show the whole " (label) " (" (len) " bytes)" }
                (body)
            }
        } @else {
            (body)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_destructive_statement_of_a_script_is_highlighted() {
        let script = "SELECT * FROM users WHERE id = 1;\nINSERT INTO log VALUES (1);\nDROP TABLE users;\nSELECT 2;";
        let pieces = sql_pieces(script);
        assert_eq!(pieces.len(), 4);
        let dangerous: Vec<&str> = pieces
            .iter()
            .filter(|p| p.dangerous())
            .map(|p| p.text)
            .collect();
        assert_eq!(dangerous, vec!["DROP TABLE users;"]);
        let html = sql("Input", script).into_string();
        assert_eq!(html.matches("stmt danger").count(), 1, "{html}");
        let danger_at = html.find("stmt danger").unwrap();
        assert!(html[danger_at..].starts_with("stmt danger\"><span class=\"badge bad\""));
        assert!(html[danger_at..].contains("DROP TABLE users;"));
        assert!(html.contains("1 dangerous"));
    }

    #[test]
    fn an_unfiltered_delete_and_a_grant_are_dangerous_but_a_filtered_update_is_not() {
        let pieces = sql_pieces(
            "UPDATE t SET a = 1 WHERE id = 7; DELETE FROM accounts; GRANT ALL ON t TO bob;",
        );
        let flags: Vec<bool> = pieces.iter().map(Piece::dangerous).collect();
        assert_eq!(flags, vec![false, true, true]);
    }

    #[test]
    fn the_risky_command_of_a_shell_line_is_marked() {
        let html =
            shell("Input", "ls -la /tmp && rm -rf /var/lib/data | tee out.txt").into_string();
        assert!(
            html.contains("<mark class=\"risk\"") && html.contains(">rm -rf /var/lib/data</mark>"),
            "{html}"
        );
        assert_eq!(html.matches("<mark").count(), 1);
        assert!(html.contains("ls -la /tmp &amp;&amp; "));
    }

    #[test]
    fn hostile_input_is_escaped() {
        let script = "-- </pre><script>alert(1)</script>\nDROP TABLE x; SELECT '<img src=x onerror=alert(1)>';";
        let html = input("execute_sql", Some(&Value::String(script.into()))).into_string();
        assert!(
            !html.contains("<script>") && !html.contains("<img"),
            "{html}"
        );
        assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        let json = json!({"note": "<script>x</script>", "command": "rm -rf / # <b>"});
        let html = input("tool", Some(&json)).into_string();
        assert!(
            !html.contains("<script>") && !html.contains("<b>"),
            "{html}"
        );
    }

    #[test]
    fn a_64_kib_script_is_folded_with_its_danger_in_view() {
        let mut script = String::new();
        while script.len() < 64 * 1024 {
            script.push_str(
                "INSERT INTO events (id, body) VALUES (1, 'a fairly long row of text');\n",
            );
        }
        script.push_str("DROP TABLE events;\n");
        let html = sql("Input", &script).into_string();
        let details = html.find("<details").expect("folded");
        let danger = html.find("stmt danger").expect("danger shown");
        assert!(
            danger < details,
            "the dangerous statement is above the fold"
        );
        assert!(html.contains("Show the whole Input ("));
        // The excerpt above the fold is bounded.
        assert!(html[..details].len() < 4 * EXCERPT);
    }

    #[test]
    fn json_arguments_are_pretty_printed_with_their_sql() {
        let v = json!({"database": "prod", "query": "DELETE FROM users"});
        let html = input("postgres.query", Some(&v)).into_string();
        assert!(html.contains("`query` — SQL"));
        assert!(html.contains("stmt danger"));
        assert!(
            html.contains("{\n  &quot;database&quot;: &quot;prod&quot;"),
            "{html}"
        );
    }

    #[test]
    fn kinds_are_guessed_from_names_and_first_words() {
        assert_eq!(
            guess("db.drop_table", "Input", "DROP TABLE users"),
            Kind::Sql
        );
        assert_eq!(guess("x", "Input", "/* c */ (select 1)"), Kind::Sql);
        assert_eq!(guess("x", "Input", "rm -rf /"), Kind::Shell);
        assert_eq!(guess("run_command", "Input", "./deploy.sh"), Kind::Shell);
        assert_eq!(guess("notes.write", "text", "hello there"), Kind::Text);
    }
}
