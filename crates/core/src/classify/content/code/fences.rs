//! Markdown code fences in code a tool runs (the twenty-second sets): AutoGen's code
//! executors, CrewAI's `CodeInterpreterTool` and other agents' `execute_code` take a
//! model's reply and run each fenced block (```` ```python … ``` ````, ```` ```bash ````,
//! `~~~sql`) in the language its info string names. The text as a whole was judged as code of
//! no language ("runs code", mutating), so `os.system('git push -f')` or `DROP TABLE` inside a
//! fence was never seen. Each block is now judged in its language (a block without one as
//! Python and as a shell line, the executors' usual guesses). Only raises: the blocks'
//! reads are forgotten, the text keeps its own reading.

use serde_json::Value;

use super::super::Ctx;

/// At most this many blocks are judged (each is charged to the work budget as well).
const MAX_BLOCKS: usize = 64;

/// A fenced block: the language its info string names (empty when none) and its body.
fn blocks(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut open: Option<(String, usize, char, String)> = None;
    for line in text.split('\n') {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        let fence_of = |t: &str| -> Option<(char, usize)> {
            let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
            let n = t.chars().take_while(|x| *x == c).count();
            (n >= 3).then_some((c, n))
        };
        match open.take() {
            None => {
                if indent > 3 {
                    continue;
                }
                if let Some((c, n)) = fence_of(t) {
                    let info = t.get(n..).unwrap_or("").trim();
                    // `python title=x`, `{.bash}`, `bash=`: the first word names the language.
                    let lang = info
                        .trim_start_matches(['{', '.'])
                        .split(|ch: char| {
                            ch.is_whitespace() || matches!(ch, '{' | '}' | ',' | '=' | ':')
                        })
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    open = Some((lang, n, c, String::new()));
                }
            }
            Some((lang, n, c, mut body)) => {
                let closes = fence_of(t).is_some_and(|(fc, fnn)| {
                    fc == c && fnn >= n && t.get(fnn..).is_none_or(|r| r.trim().is_empty())
                });
                if closes {
                    out.push((lang, body));
                    if out.len() >= MAX_BLOCKS {
                        return out;
                    }
                } else {
                    body.push_str(line);
                    body.push('\n');
                    open = Some((lang, n, c, body));
                }
            }
        }
    }
    // A block left open runs to the end of the text (CommonMark closes it there).
    if let Some((lang, _, _, body)) = open {
        out.push((lang, body));
    }
    out
}

/// The languages a block's info string means to an executor (none: its guesses).
fn languages(info: &str) -> &'static [&'static str] {
    match info {
        "python" | "python3" | "py" | "ipython" | "pycon" => &["python"],
        "bash" | "sh" | "shell" | "zsh" | "console" | "shellscript" | "shell-session" => &["sh"],
        "javascript" | "js" | "node" | "nodejs" | "typescript" | "ts" | "mjs" => &["js"],
        "sql" | "postgres" | "postgresql" | "mysql" | "sqlite" | "psql" => &["sql"],
        "powershell" | "pwsh" | "ps1" | "ps" => &["powershell"],
        "bat" | "cmd" | "batch" => &["cmd"],
        "ruby" | "rb" => &["ruby"],
        "perl" | "pl" => &["perl"],
        "php" => &["php"],
        "go" | "golang" => &["go"],
        // No language, or one the analyser does not know: read as the executors guess.
        _ => &["python", "sh"],
    }
}

/// Judges each fenced block of `code` in its language, when `code` has a fence.
pub(super) fn analyse(ctx: &mut Ctx, code: &str, depth: usize) {
    if !code.contains("```") && !code.contains("~~~") {
        return;
    }
    let cp = ctx.checkpoint();
    for (info, body) in blocks(code) {
        // A console transcript's prompt (`$ rm -rf x`) is the command after it.
        let body: String = if info == "console" || info == "shell-session" {
            body.lines()
                .map(|l| l.trim_start().strip_prefix("$ ").unwrap_or(l))
                .collect::<Vec<_>>()
                .join("\n")
        } else {
            body
        };
        if body.trim().is_empty() {
            continue;
        }
        for lang in languages(&info) {
            ctx.via(format!("a fenced `{lang}` block"), |ctx| {
                super::analyse(ctx, lang, &body, depth + 1);
            });
        }
    }
    ctx.forget_reads_since(&cp);
}

/// AutoGen's `CodeBlock` list in its tuple form (`"code_blocks": [["bash", "rm -rf x"]]`):
/// each pair is the block's language and its code, judged as a fenced block of that
/// language would be (it was read as the argument vector `bash "rm -rf x"`, a script).
pub(crate) fn pairs(ctx: &mut Ctx, key: &str, v: &Value, depth: usize) {
    if !matches!(key, "code_blocks" | "codeblocks" | "blocks") {
        return;
    }
    let Value::Array(items) = v else { return };
    let cp = ctx.checkpoint();
    for item in items.iter().take(MAX_BLOCKS) {
        let (info, body) = match item {
            Value::Array(p) => match (
                p.first().and_then(Value::as_str),
                p.get(1).and_then(Value::as_str),
            ) {
                (Some(l), Some(c)) => (l, c),
                _ => continue,
            },
            _ => continue,
        };
        let info = info.trim().to_ascii_lowercase();
        for lang in languages(&info) {
            ctx.via(format!("a `{lang}` code block"), |ctx| {
                super::analyse(ctx, lang, body, depth + 1);
            });
        }
    }
    ctx.forget_reads_since(&cp);
}

#[cfg(test)]
mod tests {
    use super::blocks;

    #[test]
    fn fences_are_split_as_commonmark_does() {
        let b = blocks(
            "text\n```python\nprint(1)\n```\n~~~bash\nls\n~~~\n````sh x=1\na\n```\nb\n````\n```\nopen",
        );
        let langs: Vec<&str> = b.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(langs, ["python", "bash", "sh", ""]);
        assert_eq!(b.get(2).map(|(_, s)| s.as_str()), Some("a\n```\nb\n"));
        assert_eq!(b.get(3).map(|(_, s)| s.as_str()), Some("open\n"));
        assert!(blocks("no fence here").is_empty());
        assert!(blocks("    ```python\n    x\n    ```").is_empty());
    }
}
