//! A glob where `find` expects a predicate (the review of the twenty-second sets): the shell
//! expands `find /srv -delet?` (or `-delet[e]`, `-d*`) to the names of files in the working
//! directory, so once a file named `-delete` is there the command deletes everything it
//! finds. Such a word was no predicate `find` knows, and the line read as a listing (read).
//! A word of `find`'s expression that starts with `-` and holds `*`, `?` or `[`, where no
//! predicate takes it as its pattern, may become any predicate whose name it matches.

use crate::Effect::{self, Destructive, Mutating};

/// Predicates whose next word is a pattern (`-name '-*'` looks for files named so).
const PATTERN_VALUED: &[&str] = &[
    "-name",
    "-iname",
    "-path",
    "-ipath",
    "-wholename",
    "-iwholename",
    "-regex",
    "-iregex",
    "-lname",
    "-ilname",
    "-fstype",
    "-user",
    "-group",
    "-newer",
    "-samefile",
];

/// Predicates that delete, write or run: a glob that can become one of them.
const ACTING: &[&str] = &[
    "-delete", "-exec", "-execdir", "-ok", "-okdir", "-fprint", "-fprint0", "-fprintf", "-fls",
];

/// The effect of the first glob in `args` where a predicate is expected, and the word.
pub(crate) fn predicate_glob(args: &[String]) -> Option<(Effect, &str)> {
    let mut prev: &str = "";
    for a in args {
        let w = a.as_str();
        if w.starts_with('-') && w.contains(['*', '?', '[']) && !PATTERN_VALUED.contains(&prev) {
            let acts = ACTING.iter().any(|p| matches(w.as_bytes(), p.as_bytes()));
            return Some((if acts { Destructive } else { Mutating }, w));
        }
        prev = w;
    }
    None
}

enum Tok {
    Star,
    One,
    Set(bool, Vec<(u8, u8)>),
    Lit(u8),
}

/// Whether glob `g` (`*`, `?`, `[…]` with ranges and `!`/`^`) matches `s`; a bracket without
/// its close matches any one character (more matches: the safe side). Tabled, so a word of
/// many stars costs its length times the name's.
fn matches(g: &[u8], s: &[u8]) -> bool {
    let mut toks: Vec<Tok> = Vec::new();
    let mut i = 0;
    while let Some(&b) = g.get(i) {
        i += 1;
        match b {
            b'*' => {
                if !matches!(toks.last(), Some(Tok::Star)) {
                    toks.push(Tok::Star);
                }
            }
            b'?' => toks.push(Tok::One),
            b'[' => {
                let rest = g.get(i..).unwrap_or_default();
                let Some(close) = rest.iter().skip(1).position(|&c| c == b']').map(|p| p + 1)
                else {
                    toks.push(Tok::One);
                    continue;
                };
                let set = rest.get(..close).unwrap_or_default();
                let (neg, set) = match set.split_first() {
                    Some((b'!' | b'^', s)) => (true, s),
                    _ => (false, set),
                };
                let mut ranges = Vec::new();
                let mut j = 0;
                while let Some(&a) = set.get(j) {
                    match (set.get(j + 1), set.get(j + 2)) {
                        (Some(b'-'), Some(&z)) => {
                            ranges.push((a, z));
                            j += 3;
                        }
                        _ => {
                            ranges.push((a, a));
                            j += 1;
                        }
                    }
                }
                toks.push(Tok::Set(neg, ranges));
                i += close + 1;
            }
            c => toks.push(Tok::Lit(c)),
        }
    }
    // `at[j]`: the tokens so far can match the first `j` bytes of `s`.
    let mut at = vec![false; s.len() + 1];
    if let Some(first) = at.first_mut() {
        *first = true;
    }
    for t in &toks {
        let mut next = vec![false; s.len() + 1];
        for j in 0..=s.len() {
            if !at.get(j).copied().unwrap_or(false) {
                continue;
            }
            match t {
                Tok::Star => {
                    for n in next.iter_mut().skip(j) {
                        *n = true;
                    }
                }
                _ => {
                    let Some(&c) = s.get(j) else { continue };
                    let ok = match t {
                        Tok::One => true,
                        Tok::Lit(l) => *l == c,
                        Tok::Set(neg, r) => r.iter().any(|(a, z)| (*a..=*z).contains(&c)) != *neg,
                        Tok::Star => false,
                    };
                    if ok && let Some(n) = next.get_mut(j + 1) {
                        *n = true;
                    }
                }
            }
        }
        at = next;
    }
    at.last().copied().unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn globs_where_a_predicate_goes() {
        assert_eq!(
            predicate_glob(&w(&["/srv", "-delet?"])).map(|x| x.0),
            Some(Destructive)
        );
        assert_eq!(
            predicate_glob(&w(&["/srv", "-delet[e]"])).map(|x| x.0),
            Some(Destructive)
        );
        assert_eq!(
            predicate_glob(&w(&["/srv", "-d*"])).map(|x| x.0),
            Some(Destructive)
        );
        assert_eq!(
            predicate_glob(&w(&["/srv", "-ex*", "rm", "{}", "+"])).map(|x| x.0),
            Some(Destructive)
        );
        assert_eq!(
            predicate_glob(&w(&["/srv", "-pri?t"])).map(|x| x.0),
            Some(Mutating)
        );
        assert_eq!(predicate_glob(&w(&[".", "-name", "-*"])), None);
        assert_eq!(predicate_glob(&w(&[".", "-name", "*.tmp", "-print"])), None);
        assert_eq!(predicate_glob(&w(&[".", "-type", "f"])), None);
    }

    #[test]
    fn glob_matching() {
        assert!(matches(b"-delet?", b"-delete"));
        assert!(matches(b"-[a-e]elete", b"-delete"));
        assert!(!matches(b"-[!d]elete", b"-delete"));
        assert!(matches(b"*", b""));
        assert!(!matches(b"-name", b"-delete"));
        assert!(matches(b"-de[", b"-del"));
    }
}
