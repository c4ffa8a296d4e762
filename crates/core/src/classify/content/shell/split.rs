//! How a value bound to an unquoted positional parameter becomes words: split at blanks, each
//! piece literal except its glob characters (the twenty-second sets and their review).

/// Follows single and double quotes through `seg` (a backslash outside single quotes
/// escapes the next character).
pub(super) fn scan_quotes(seg: &str, sq: &mut bool, dq: &mut bool) {
    let mut chars = seg.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if !*sq => {
                chars.next();
            }
            '\'' if !*dq => *sq = !*sq,
            '"' if !*sq => *dq = !*dq,
            _ => {}
        }
    }
}

/// A value bound as shell words (`'rm -rf /srv'`, `"a b"`, several of them for `$@`) split
/// as an unquoted expansion splits it: each whitespace-separated piece of a quoted word is
/// a word of its own, quoted again, so no character of it becomes syntax.
pub(super) fn split_words(v: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    for word in split_quoted(v) {
        // The inverse of `quote` (`'…'` with `'\''` for a quote) and a plain double-quoted
        // word (no `$`, backquote or backslash inside): what the word's text is.
        let text = if let Some(inner) = word
            .strip_prefix('\'')
            .and_then(|w| w.strip_suffix('\''))
            .filter(|_| word.len() >= 2)
        {
            Some(inner.replace("'\\''", "'"))
        } else {
            word.strip_prefix('"')
                .and_then(|w| w.strip_suffix('"'))
                .filter(|i| word.len() >= 2 && !i.contains(['"', '$', '`', '\\']))
                .map(str::to_string)
        };
        match text {
            Some(t) if t.contains(char::is_whitespace) || t.contains(GLOB) => {
                out.extend(t.split_whitespace().map(unquoted_word));
            }
            _ => out.push(word.to_string()),
        }
    }
    out.join(" ")
}

/// Characters that make a word a pattern.
const GLOB: [char; 3] = ['*', '?', '['];

/// One word of an unquoted expansion, written so that the walker reads it as the shell does:
/// its glob characters stay active (bash still expands `*`, `?` and `[…]` in an unquoted
/// expansion's words, so `find /srv $1` given `-delet?` may run `-delete`), and every other
/// character is literal (no quote, `;`, `=`, `~`, `{` or `$` of it becomes syntax).
fn unquoted_word(p: &str) -> String {
    if !p.contains(GLOB) {
        return format!("'{}'", p.replace('\'', "'\\''"));
    }
    let mut s = String::with_capacity(p.len() * 2);
    for c in p.chars() {
        if !(c.is_ascii_alphanumeric()
            || matches!(
                c,
                '*' | '?' | '[' | ']' | '-' | '_' | '.' | '/' | ',' | ':' | '+' | '%' | '@'
            ))
        {
            s.push('\\');
        }
        s.push(c);
    }
    s
}

/// The shell words of `v` (as `bind_positional`'s arguments are written: quoted words
/// joined by spaces), split at the spaces outside quotes.
fn split_quoted(v: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let (mut start, mut quote): (Option<usize>, Option<char>) = (None, None);
    let mut escaped = false;
    for (i, c) in v.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (None, c) if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    words.push(v.get(s..i).unwrap_or_default());
                }
                continue;
            }
            (None, '\\') => escaped = true,
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (Some('"'), '\\') => escaped = true,
            _ => {}
        }
        if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        words.push(v.get(s..).unwrap_or_default());
    }
    words
}
