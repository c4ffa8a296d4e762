//! PowerShell text split into statements and words, as PowerShell's tokenizer reads quotes,
//! escapes and comments.

/// Splits PowerShell text into statements and words: quotes removed, backtick escapes kept
/// literal, comments (`# …` to the end of the line, `<# … #>`) dropped, as PowerShell does:
/// `Remove-Item x # -WhatIf` runs. Each statement says whether it follows a pipe (`a | b`: b
/// reads a's output).
pub(super) fn statements(text: &str, separators: &[char]) -> Vec<(Vec<String>, bool)> {
    let mut out = Vec::new();
    let mut piped = false;
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut chars = text.char_indices().peekable();
    // Where the last `#>` starts: a `<#` before it is closed; an unclosed `<#` does not parse,
    // and its text is then read as words, never dropped.
    let last_close = text.rfind("#>");
    let flush = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    // A quote just closed: a `#` right after it starts a comment (`'x'# -WhatIf`).
    let mut closed = false;
    while let Some((at, c)) = chars.next() {
        let just_closed = std::mem::take(&mut closed);
        match (quote, c) {
            (Some(q), c) if quote_kind(c) == Some(q) => {
                quote = None;
                closed = true;
            }
            // A backtick escapes in double quotes only; in single quotes it is a character.
            (Some('"'), '`') => word.extend(chars.next().map(|(_, c)| c)),
            (Some(_), c) => word.push(c),
            // A `#` that starts a token starts a comment (`a#b` is one word); a comment ends
            // at a line break, a lone carriage return included.
            (None, '#') if word.is_empty() || just_closed => {
                flush(&mut word, &mut words);
                while chars.next_if(|&(_, c)| c != '\n' && c != '\r').is_some() {}
            }
            (None, '<')
                if word.is_empty()
                    && chars.peek().is_some_and(|&(_, c)| c == '#')
                    && last_close.is_some_and(|close| close >= at + 2) =>
            {
                chars.next();
                let mut last = ' ';
                for (_, c) in chars.by_ref() {
                    if last == '#' && c == '>' {
                        break;
                    }
                    last = c;
                }
            }
            (None, c) if quote_kind(c).is_some() => quote = quote_kind(c),
            (None, '`') => word.extend(chars.next().map(|(_, c)| c)),
            (None, c) if c.is_whitespace() && c != '\n' && c != '\r' => {
                flush(&mut word, &mut words);
            }
            (None, c) if separators.contains(&c) || c == '\n' || c == '\r' => {
                flush(&mut word, &mut words);
                if !words.is_empty() {
                    out.push((std::mem::take(&mut words), piped));
                    piped = false;
                }
                piped |= c == '|';
            }
            (None, c) => word.push(c),
        }
    }
    flush(&mut word, &mut words);
    if !words.is_empty() {
        out.push((words, piped));
    }
    out
}

/// The kind of quote a character opens or closes in PowerShell: `'` and the typographic
/// single quotes are one kind, `"` and the typographic double quotes the other.
fn quote_kind(c: char) -> Option<char> {
    match c {
        '\'' | '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' => Some('\''),
        '"' | '\u{201C}' | '\u{201D}' | '\u{201E}' => Some('"'),
        _ => None,
    }
}
