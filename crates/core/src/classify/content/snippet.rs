//! Fragments of input quoted in reasons, and reasons put together without `format!`: they
//! are built on every call.

/// Quotes a fragment of input for a reason: one line, at most ~60 characters.
pub(crate) fn snippet(s: &str) -> String {
    snippet_chars(s.trim().chars(), s.len())
}

/// [`snippet`] of words joined by spaces (`snippet(&argv.join(" "))`), without the joined
/// copy.
pub(crate) fn snippet_words(words: &[impl AsRef<str>]) -> String {
    let len = words.iter().map(|w| w.as_ref().len() + 1).sum();
    let chars = words
        .iter()
        .enumerate()
        .flat_map(|(i, w)| (i > 0).then_some(' ').into_iter().chain(w.as_ref().chars()));
    snippet_chars(chars, len)
}

/// Whitespace runs become one space, leading and trailing whitespace goes (as after
/// `trim`), backquotes become quotes; `len` bounds the bytes for one allocation.
fn snippet_chars(chars: impl Iterator<Item = char>, len: usize) -> String {
    const MAX: usize = 60;
    let mut out = String::with_capacity(len.min(4 * MAX) + 8);
    out.push('`');
    let mut n = 0usize;
    let mut started = false;
    let mut space = false;
    for c in chars {
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && started {
            out.push(' ');
            n += 1;
        }
        space = false;
        started = true;
        if n >= MAX {
            out.push('…');
            break;
        }
        out.push(if c == '`' { '\'' } else { c });
        n += 1;
    }
    out.push('`');
    out
}

/// `prefix` then `text` in one allocation (what `format!("{prefix}{text}")` gives, without
/// the formatting machinery: reasons are built on every call).
pub(crate) fn prefixed(prefix: &str, text: &str) -> String {
    let mut out = String::with_capacity(prefix.len() + text.len());
    out.push_str(prefix);
    out.push_str(text);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `snippet` as first written, the reference for the one-allocation form.
    fn snippet_reference(s: &str) -> String {
        const MAX: usize = 60;
        let mut out = String::new();
        let mut n = 0usize;
        let mut space = false;
        for c in s.trim().chars() {
            if c.is_whitespace() {
                space = true;
                continue;
            }
            if space && !out.is_empty() {
                out.push(' ');
                n += 1;
            }
            space = false;
            if n >= MAX {
                out.push('…');
                break;
            }
            out.push(if c == '`' { '\'' } else { c });
            n += 1;
        }
        format!("`{out}`")
    }

    #[test]
    fn snippets_match_their_reference() {
        let long = "x".repeat(59);
        let pieces = [
            "", " ", "a", "`", "\n", "\u{a0}", "é", "rm", "-rf", &long, "\t ", "ǅ", "  b  ",
        ];
        let mut seed = 0x1234_5678_9abc_def0_u64;
        for _ in 0..20_000 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let mut x = seed;
            let words: Vec<String> = (0..(seed >> 61))
                .map(|_| {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    let a = pieces[(x >> 59) as usize % pieces.len()];
                    let b = pieces[(x >> 33) as usize % pieces.len()];
                    format!("{a}{b}")
                })
                .collect();
            let joined = words.join(" ");
            assert_eq!(snippet(&joined), snippet_reference(&joined), "{joined:?}");
            assert_eq!(
                snippet_words(&words),
                snippet_reference(&joined),
                "{words:?}"
            );
        }
    }

    #[test]
    fn snippets_are_short_and_single_line() {
        let s = snippet(&"a\n b ".repeat(100));
        assert!(s.chars().count() < 70);
        assert!(!s.contains('\n'));
    }
}
