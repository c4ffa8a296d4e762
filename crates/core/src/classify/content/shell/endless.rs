//! Shell loops that never end (the twenty-fourth sets): `while :; do :; done`, `until false`,
//! `for ((;;))` with no `break`, `exit` or `return` in their body tie up the host until they
//! are killed (`mutating`); one that starts a command in the background on each turn
//! (`while true; do bash & done`) starts processes until the machine has none left, as a
//! fork bomb does (`destructive`).

use crate::Effect::{self, Destructive, Mutating};

/// What a loop whose condition is `cond` (empty for `for ((;;))`) and body `body` does to
/// the host, if it never ends.
pub(super) fn endless(cond: &str, body: &str, until: bool) -> Option<(Effect, &'static str)> {
    if !always(cond, until) || has_exit(body) {
        return None;
    }
    if backgrounds(body) {
        return Some((
            Destructive,
            "a loop that never ends starts a command in the background on each turn: a process bomb",
        ));
    }
    Some((Mutating, "a loop that never ends (ties up the host)"))
}

/// True if a loop's condition is always true (`while`) or always false (`until`).
pub(super) fn always(cond: &str, until: bool) -> bool {
    let c = cond.trim().trim_end_matches([';', '\n', ' ', '&']).trim();
    // `! cmd` inverts the status (the review of the twenty-sixth sets: `until ! date`,
    // `while ! (( 0 ))`): the inner condition, read the other way. The plain reading
    // below still runs, so nothing it found is lost.
    let mut inner = (c, until);
    for _ in 0..8 {
        match inner
            .0
            .strip_prefix("! ")
            .or_else(|| inner.0.strip_prefix("!\t"))
        {
            Some(r) => inner = (r.trim_start(), !inner.1),
            None => break,
        }
    }
    if inner.0 != c && always_plain(inner.0, inner.1) {
        return true;
    }
    always_plain(c, until)
}

/// `always` of a condition without a leading `!`.
fn always_plain(c: &str, until: bool) -> bool {
    // A test of literals only has one outcome (`[ 1 -eq 1 ]`, `[[ 1 ]]`, which the parser
    // shows as `[[ -n 1 ]]`, `until [ 1 -eq 0 ]`; the twenty-fifth sets).
    if let Some(outcome) = super::endless_tests::literal_outcome(c)
        .or_else(|| super::endless_more::arithmetic_outcome(c))
    {
        return outcome != until;
    }
    // A path that always exists, a command that always succeeds (the twenty-sixth sets).
    if !until
        && (super::endless_more::path_always_exists(c) || super::endless_more::always_succeeds(c))
    {
        return true;
    }
    if until {
        matches!(
            c,
            "false" | "/bin/false" | "/usr/bin/false" | "! true" | "! :"
        )
    } else if super::endless_tests::sleeps(c) {
        true
    } else {
        matches!(
            c,
            "" | "true"
                | ":"
                | "/bin/true"
                | "/usr/bin/true"
                | "[ 1 ]"
                | "[ true ]"
                | "test 1"
                | "((1))"
                | "(( 1 ))"
                | "! false"
                | "true && true"
        ) || literal_test(c)
    }
}

/// A test of one literal word (`[ x ]`, `[[ 1 ]]`, `test yes`, `[ "1" ]`): a non-empty
/// string is always true (the review of the twenty-fourth sets). `[ -f x ]`, `[ "$x" ]` and
/// `[ ]` are not.
fn literal_test(c: &str) -> bool {
    let inner = c
        .strip_prefix("[[")
        .and_then(|r| r.strip_suffix("]]"))
        .or_else(|| c.strip_prefix('[').and_then(|r| r.strip_suffix(']')))
        .or_else(|| c.strip_prefix("test "));
    let Some(word) = inner.map(str::trim) else {
        return false;
    };
    let word = word
        .strip_prefix('"')
        .and_then(|w| w.strip_suffix('"'))
        .or_else(|| word.strip_prefix('\'').and_then(|w| w.strip_suffix('\'')))
        .unwrap_or(word);
    !word.is_empty()
        && !word.starts_with('-')
        && word
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, ':' | '_' | '.'))
}

fn has_exit(body: &str) -> bool {
    body.split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|w| matches!(w, "break" | "exit" | "return" | "exec" | "kill" | "logout"))
}

/// An `&` that is not `&&`, `>&`, `&>` or `<&`.
fn backgrounds(body: &str) -> bool {
    let b = body.as_bytes();
    b.iter().enumerate().any(|(i, c)| {
        let prev = i.checked_sub(1).and_then(|p| b.get(p)).copied();
        let next = b.get(i + 1).copied();
        *c == b'&'
            && !matches!(prev, Some(b'&' | b'>' | b'<'))
            && !matches!(next, Some(b'&' | b'>'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endless_loops_and_their_twins() {
        assert_eq!(endless(":", ":", false).map(|e| e.0), Some(Mutating));
        assert_eq!(
            endless("true", "bash &", false).map(|e| e.0),
            Some(Destructive)
        );
        assert_eq!(
            endless("false", "sleep 1", true).map(|e| e.0),
            Some(Mutating)
        );
        assert_eq!(endless("", "x", false).map(|e| e.0), Some(Mutating));
        assert!(endless("true", "if x; then break; fi", false).is_none());
        assert!(endless("read l", "echo $l", false).is_none());
        assert!(endless("true", "a && b 2>&1", false).is_some_and(|e| e.0 == Mutating));
        assert!(endless("[ -f x ]", ":", false).is_none());
        assert!(endless("[[ 1 ]]", ":", false).is_some());
        assert!(endless("[ x ]", ":", false).is_some());
        assert!(endless("[ \"1\" ]", ":", false).is_some());
        assert!(endless("[ \"$x\" ]", ":", false).is_none());
        assert!(endless("[ ]", ":", false).is_none());
        assert!(endless("[[ -n $x ]]", ":", false).is_none());
    }
}
