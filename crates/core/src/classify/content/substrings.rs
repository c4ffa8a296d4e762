//! Whether a text holds any of a fixed list of substrings, found in one pass over the text
//! (issue 14): a list of dozens of markers looked for one by one built a searcher for each,
//! for every path of every command.

use aho_corasick::Anchored;
use aho_corasick::automaton::Automaton;
use aho_corasick::dfa::DFA;

/// A fixed list of substrings and the automaton that finds any of them.
pub(crate) struct AnyOf {
    patterns: &'static [&'static str],
    /// `None` only if the automaton could not be built (it cannot for short static lists):
    /// the list is then searched one by one, with the same answer.
    automaton: Option<DFA>,
}

impl AnyOf {
    pub(crate) fn new(patterns: &'static [&'static str]) -> AnyOf {
        AnyOf {
            patterns,
            // A DFA with standard semantics (each state knows every pattern that ends where
            // it is) and no prefilter: a few instructions a byte, where the lists' common
            // bytes (`.`, `:`, `/`) kept a prefilter stopping every few bytes.
            automaton: aho_corasick::dfa::Builder::new()
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
        let mut any = false;
        let walked = self.walk(text, |_| {
            any = true;
            false
        });
        if walked {
            any
        } else {
            self.patterns.iter().any(|p| text.contains(p))
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
        // Every occurrence of every pattern, so none hides inside another.
        let walked = self.walk(text, |i| {
            set(i);
            true
        });
        // (No automaton: nothing was set.)
        if !walked {
            (0..self.patterns.len())
                .filter(|&i| self.patterns.get(i).is_some_and(|p| text.contains(p)))
                .for_each(&mut set);
        }
        Found {
            patterns: self.patterns,
            bits,
        }
    }

    /// Runs the automaton over `text` byte by byte (issue 14: the crate's overlapping
    /// iterator cost about twenty instructions a byte, this loop a handful), telling `found`
    /// every pattern that ends at each byte until it answers `false`. False if there is no
    /// automaton to run.
    fn walk(&self, text: &str, mut found: impl FnMut(usize) -> bool) -> bool {
        let Some(dfa) = &self.automaton else {
            return false;
        };
        let Ok(mut sid) = dfa.start_state(Anchored::No) else {
            return false;
        };
        for &b in text.as_bytes() {
            sid = dfa.next_state(Anchored::No, sid, b);
            // Special states are the dead one (never entered by an unanchored search) and
            // those that hold matches; the rest cost one comparison.
            if dfa.is_special(sid) && dfa.is_match(sid) {
                for i in 0..dfa.match_len(sid) {
                    if !found(dfa.match_pattern(sid, i).as_usize()) {
                        return true;
                    }
                }
            }
        }
        true
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

    #[test]
    fn which_finds_every_pattern_even_inside_another() {
        // Patterns inside others, sharing prefixes and suffixes: a search that reported only
        // the first or longest match at a position would miss some.
        const LIST: &[&str] = &["abc", "b", "bc", "c", "abcd", "cab", "ba", "é", "aé"];
        let set = AnyOf::new(LIST);
        assert!(set.is_built());
        let alphabet = ['a', 'b', 'c', 'd', 'é'];
        let mut frontier = vec![String::new()];
        let mut checked = 0;
        for _ in 0..6 {
            let mut next = Vec::new();
            for t in &frontier {
                for c in alphabet {
                    next.push(format!("{t}{c}"));
                }
            }
            for t in &next {
                let found = set.which(t);
                for p in LIST {
                    assert_eq!(found.has(p), t.contains(p), "{t:?} {p:?}");
                }
                checked += 1;
            }
            frontier = next;
        }
        assert!(checked > 15_000);
    }
}
