//! Whether a text holds any of a fixed list of substrings, found in one pass over the text
//! (issue 14): a list of dozens of markers looked for one by one built a searcher for each,
//! for every path of every command.

use aho_corasick::{AhoCorasick, AhoCorasickKind};

/// A fixed list of substrings and the automaton that finds any of them.
pub(crate) struct AnyOf {
    patterns: &'static [&'static str],
    /// `None` only if the automaton could not be built (it cannot for short static lists):
    /// the list is then searched one by one, with the same answer.
    automaton: Option<AhoCorasick>,
}

impl AnyOf {
    pub(crate) fn new(patterns: &'static [&'static str]) -> AnyOf {
        AnyOf {
            patterns,
            // A DFA and no prefilter: a few instructions a byte, where the lists' common
            // bytes (`.`, `:`, `/`) kept a prefilter stopping every few bytes.
            automaton: AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::DFA))
                .prefilter(false)
                .build(patterns)
                .ok(),
        }
    }

    /// Whether the automaton was built (the lists' tests require it).
    #[cfg(test)]
    pub(crate) fn is_built(&self) -> bool {
        self.automaton.is_some()
    }

    /// True if `text` holds any of the patterns, as
    /// `patterns.iter().any(|p| text.contains(p))` answers.
    pub(crate) fn in_text(&self, text: &str) -> bool {
        match &self.automaton {
            Some(automaton) => automaton.is_match(text),
            None => self.patterns.iter().any(|p| text.contains(p)),
        }
    }

    /// Which of the patterns `text` holds, found in one pass: [`Found::has`] answers
    /// `text.contains(p)` for each pattern of the list.
    pub(crate) fn which(&self, text: &str) -> Found {
        let mut bits = 0u64;
        let mut set = |i: usize| {
            bits |= 1u64
                .checked_shl(u32::try_from(i).unwrap_or(u32::MAX))
                .unwrap_or(0);
        };
        // Overlapping: every occurrence of every pattern, so none hides inside another.
        match self
            .automaton
            .as_ref()
            .and_then(|a| a.try_find_overlapping_iter(text).ok())
        {
            Some(matches) => matches.for_each(|m| set(m.pattern().as_usize())),
            None => (0..self.patterns.len())
                .filter(|&i| self.patterns.get(i).is_some_and(|p| text.contains(p)))
                .for_each(set),
        }
        Found {
            patterns: self.patterns,
            bits,
        }
    }
}

/// The patterns of an [`AnyOf`] a text holds.
pub(crate) struct Found {
    patterns: &'static [&'static str],
    bits: u64,
}

impl Found {
    /// A set that holds every pattern: the caller runs every check (for differential tests).
    #[cfg(test)]
    pub(crate) fn everything() -> Found {
        Found {
            patterns: &[],
            bits: 0,
        }
    }

    /// Whether the text holds `pattern`. A pattern not in the list, or past the 64th, is
    /// answered `true`: the caller then runs its full check rather than skip it.
    pub(crate) fn has(&self, pattern: &str) -> bool {
        match self.patterns.iter().position(|p| *p == pattern) {
            Some(i) if i < 64 => self.bits & (1u64 << i) != 0,
            _ => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::AnyOf;

    #[test]
    fn finds_what_a_search_one_by_one_finds() {
        const LIST: &[&str] = &[
            ".ssh/",
            ".aws/",
            "gh/hosts.yml",
            "/run/secrets/",
            "ab",
            "é/",
        ];
        let set = AnyOf::new(LIST);
        assert!(set.automaton.is_some());
        let fallback = AnyOf {
            patterns: LIST,
            automaton: None,
        };
        // Every text over a small alphabet up to five characters, plus the markers inside
        // longer texts and multi-byte characters around them.
        let alphabet = ['a', 'b', '.', '/', 's', 'h', 'é'];
        let mut texts = vec![String::new()];
        let mut frontier = vec![String::new()];
        for _ in 0..5 {
            let mut next = Vec::new();
            for t in &frontier {
                for c in alphabet {
                    next.push(format!("{t}{c}"));
                }
            }
            texts.extend(next.iter().cloned());
            frontier = next;
        }
        for m in LIST {
            texts.push(format!("/home/é/{m}x"));
            texts.push(m[..m.len() - 1].to_string());
        }
        texts.push("/home/user/.ss/h".into());
        for t in &texts {
            let one_by_one = LIST.iter().any(|p| t.contains(p));
            assert_eq!(set.in_text(t), one_by_one, "{t:?}");
            assert_eq!(fallback.in_text(t), one_by_one, "{t:?}");
        }
    }
}
