//! Codex-format patches in spellings the strict reading rejects (the twenty-second sets): a
//! byte-order mark or a fence around the patch, markers in another case or with other
//! spacing (`*** delete file:`, `***  Delete File:  x`, `***\tDelete File:`), full-width
//! asterisks, no `*** End Patch`, two patches in one text. A tool that applies patches may
//! accept them (ports of `apply_patch` are not all as strict as Codex's), and the strict
//! reading saw no file operation at all: `apply_patch` deleting `src/main.rs` was a plain
//! write. Each such text is rewritten to the strict form, patch by patch, and judged as
//! that form is. Only raises: the caller forgets the reads it finds.

/// The markers of the format, lower-cased and with single spaces, as written strictly.
const MARKERS: &[(&str, &str)] = &[
    ("begin patch", "*** Begin Patch"),
    ("end patch", "*** End Patch"),
    ("add file:", "*** Add File:"),
    ("delete file:", "*** Delete File:"),
    ("update file:", "*** Update File:"),
    ("move to:", "*** Move to:"),
    ("end of file", "*** End of File"),
];

/// Whether `text` may be a patch in a loose spelling: it names a patch and has a marker's
/// asterisks (nothing is allocated).
pub(crate) fn maybe(text: &str) -> bool {
    let b = text.as_bytes();
    let names_patch = b.windows(5).any(|w| w.eq_ignore_ascii_case(b"patch"));
    names_patch && (text.contains("***") || text.contains('\u{ff0a}'))
}

/// The strict patches a loosely spelt `text` holds, when they differ from `text` itself.
pub(crate) fn patches(text: &str) -> Vec<String> {
    if !maybe(text) {
        return Vec::new();
    }
    let folded: String = text
        .chars()
        .filter(|c| *c != '\u{feff}')
        .map(|c| if c == '\u{ff0a}' { '*' } else { c })
        .collect();
    let mut out: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for raw in folded.lines() {
        let line = raw.trim_end_matches('\r');
        let t = line.trim_start();
        // A fence around the patch (```` ``` ````, `~~~`) is no line of it.
        if t.starts_with("```") || t.starts_with("~~~") {
            continue;
        }
        let marker = t.strip_prefix("***").and_then(|rest| {
            let words: Vec<&str> = rest.split_whitespace().collect();
            let spoken = words.join(" ").to_ascii_lowercase();
            MARKERS.iter().find_map(|(loose, strict)| {
                let tail = spoken.strip_prefix(loose)?;
                // `*** Begin Patchwork` is no marker: only an operand follows a colon.
                if !loose.ends_with(':') && !tail.trim().is_empty() {
                    return None;
                }
                // The operand keeps its spelling (a path's case), after the marker's words;
                // `*** Delete File:x` has it glued to the colon.
                let n = loose.split_whitespace().count();
                let glued = words
                    .get(n.saturating_sub(1))
                    .and_then(|w| w.split_once(':'))
                    .map(|(_, after)| after)
                    .filter(|a| !a.is_empty());
                let after = words.get(n..).unwrap_or_default().join(" ");
                let operand = match glued {
                    Some(g) if after.is_empty() => g.to_string(),
                    Some(g) => format!("{g} {after}"),
                    None => after,
                };
                Some((*strict, operand))
            })
        });
        match marker {
            Some(("*** Begin Patch", _)) => {
                if let Some(p) = current.take() {
                    out.push(p + "*** End Patch\n");
                }
                current = Some(String::from("*** Begin Patch\n"));
            }
            Some(("*** End Patch", _)) => {
                if let Some(p) = current.take() {
                    out.push(p + "*** End Patch\n");
                }
            }
            Some((strict, operand)) => {
                if let Some(p) = current.as_mut() {
                    p.push_str(strict);
                    if !operand.is_empty() {
                        p.push(' ');
                        p.push_str(&operand);
                    }
                    p.push('\n');
                }
            }
            None => {
                if let Some(p) = current.as_mut() {
                    p.push_str(line);
                    p.push('\n');
                }
            }
        }
    }
    if let Some(p) = current {
        out.push(p + "*** End Patch\n");
    }
    // The text as it was is judged already: only other spellings add anything.
    let same = out.len() == 1
        && out
            .first()
            .is_some_and(|p| p.trim() == text.trim().replace('\r', ""));
    if same { Vec::new() } else { out }
}

#[cfg(test)]
mod tests {
    use super::patches;

    #[test]
    fn loose_spellings_become_the_strict_form() {
        let strict = "*** Begin Patch\n*** Delete File: src/main.rs\n*** End Patch\n";
        for loose in [
            "\u{feff}*** Begin Patch\n*** Delete File: src/main.rs\n*** End Patch\n",
            "*** begin patch\n*** delete file: src/main.rs\n*** end patch\n",
            "***  Begin Patch\n***  Delete File:  src/main.rs\n*** End Patch\n",
            "*** Begin Patch\n***\tDelete File: src/main.rs\n*** End Patch\n",
            "```\n*** Begin Patch\n*** Delete File: src/main.rs\n*** End Patch\n```",
            "*** Begin Patch\n*** Delete File: src/main.rs\n",
            "\u{ff0a}\u{ff0a}\u{ff0a} Begin Patch\n\u{ff0a}\u{ff0a}\u{ff0a} Delete File: src/main.rs\n\u{ff0a}\u{ff0a}\u{ff0a} End Patch\n",
            "*** Begin Patch\n*** Delete File:src/main.rs\n*** End Patch\n",
        ] {
            assert_eq!(patches(loose), vec![strict.to_string()], "{loose:?}");
        }
        assert!(patches(strict).is_empty());
        let two = patches(
            "*** Begin Patch\n*** Add File: a\n+x\n*** End Patch\n*** Begin Patch\n*** Delete File: b\n*** End Patch\n",
        );
        assert_eq!(two.len(), 2);
        assert!(patches("no patch here").is_empty());
    }
}
