//! Splitting a script into the pieces a person reads one by one: SQL statements at `;`, shell
//! commands at `;`, `&&`, `||`, `|` and newlines — outside quotes and comments. This only cuts
//! text for display; what each piece does is `airlock_core`'s classifier's to say.

/// SQL statements of a script, each with the comments before it, trimmed; empty ones dropped.
pub fn sql_statements(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' | '"' | '`' => skip_quoted(&mut chars, c),
            '-' if chars.peek().is_some_and(|(_, n)| *n == '-') => skip_line(&mut chars),
            '#' => skip_line(&mut chars),
            '/' if chars.peek().is_some_and(|(_, n)| *n == '*') => {
                chars.next();
                let mut prev = ' ';
                for (_, n) in chars.by_ref() {
                    if prev == '*' && n == '/' {
                        break;
                    }
                    prev = n;
                }
            }
            '$' => skip_dollar_quoted(text, i, &mut chars),
            ';' => {
                push_piece(&mut out, text.get(start..=i));
                start = i + 1;
            }
            _ => {}
        }
    }
    push_piece(&mut out, text.get(start..));
    out
}

/// Shell commands of a command line and the operator that ends each (`""` for the last).
pub fn shell_commands(text: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        let op_len = match c {
            '\\' => {
                chars.next();
                0
            }
            '\'' | '"' | '`' => {
                skip_quoted(&mut chars, c);
                0
            }
            '#' if i == start
                || text
                    .get(..i)
                    .is_some_and(|b| b.ends_with(char::is_whitespace)) =>
            {
                skip_line(&mut chars);
                0
            }
            '&' | '|' if chars.peek().is_some_and(|(_, n)| *n == c) => {
                chars.next();
                2
            }
            '|' | ';' | '\n' => 1,
            _ => 0,
        };
        if op_len > 0 {
            let piece = text.get(start..i).unwrap_or_default();
            let op = text.get(i..i + op_len).unwrap_or_default();
            if !piece.trim().is_empty() {
                out.push((piece.trim(), op.trim()));
            }
            start = i + op_len;
        }
    }
    let rest = text.get(start..).unwrap_or_default();
    if !rest.trim().is_empty() {
        out.push((rest.trim(), ""));
    }
    out
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

fn push_piece<'a>(out: &mut Vec<&'a str>, piece: Option<&'a str>) {
    if let Some(p) = piece.map(str::trim)
        && !p.is_empty()
        && p != ";"
    {
        out.push(p);
    }
}

fn skip_quoted(chars: &mut Chars<'_>, quote: char) {
    while let Some((_, n)) = chars.next() {
        if n == '\\' && quote != '\'' {
            chars.next();
        } else if n == quote {
            // A doubled quote stays inside the string.
            if chars.peek().is_some_and(|(_, m)| *m == quote) {
                chars.next();
            } else {
                return;
            }
        }
    }
}

fn skip_line(chars: &mut Chars<'_>) {
    for (_, n) in chars.by_ref() {
        if n == '\n' {
            return;
        }
    }
}

/// `$tag$ … $tag$` (PostgreSQL bodies): skipped whole so their `;` do not split.
fn skip_dollar_quoted(text: &str, at: usize, chars: &mut Chars<'_>) {
    let rest = text.get(at + 1..).unwrap_or_default();
    let Some(end) = rest.find('$') else { return };
    let tag = rest.get(..end).unwrap_or_default();
    if !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return;
    }
    let delim = format!("${tag}$");
    let body_start = at + delim.len();
    let Some(close) = text.get(body_start..).and_then(|b| b.find(&delim)) else {
        return;
    };
    let stop = body_start + close + delim.len();
    while chars.peek().is_some_and(|(i, _)| *i < stop) {
        chars.next();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sql_splits_outside_strings_and_comments() {
        let s = "SELECT 'a;b'; -- c;d\nDELETE FROM t /* ; */;\nDO $$ BEGIN x; END $$;";
        assert_eq!(
            sql_statements(s),
            vec![
                "SELECT 'a;b';",
                "-- c;d\nDELETE FROM t /* ; */;",
                "DO $$ BEGIN x; END $$;"
            ]
        );
    }

    #[test]
    fn shell_splits_at_operators() {
        assert_eq!(
            shell_commands("ls -la 'a;b' && rm -rf / | tee x; echo \"|\""),
            vec![
                ("ls -la 'a;b'", "&&"),
                ("rm -rf /", "|"),
                ("tee x", ";"),
                ("echo \"|\"", "")
            ]
        );
    }
}
