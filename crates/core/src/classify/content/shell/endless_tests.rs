//! Loop conditions with one outcome (the twenty-fifth sets): a test of literals only
//! (`[ 1 -eq 1 ]`, `[[ -n 1 ]]`, `[ a = a ]`, `(( 2 ))`) and `sleep N`, which succeeds each
//! time it is run, so `while sleep 1; do …; done` never ends.

/// The outcome of a test that compares or checks literals only, if it is one. `None` for
/// anything with a variable, an expansion, a file test or an unknown operator.
pub(super) fn literal_outcome(c: &str) -> Option<bool> {
    // A negation of one (`! [ 1 -eq 0 ]`, `[ ! 1 -eq 0 ]`; the review of the twenty-fifth
    // sets), counted in a loop (no recursion on a long input).
    let (mut c, mut negated) = (c, false);
    while let Some(r) = c.strip_prefix("! ") {
        (c, negated) = (r.trim_start(), !negated);
    }
    let inner = [("[ ! ", "]"), ("[[ ! ", "]]")]
        .iter()
        .find_map(|(open, close)| {
            let r = c.strip_prefix(open)?.strip_suffix(close)?;
            Some(format!("{} {r}{close}", open.trim_end_matches([' ', '!'])))
        });
    let outcome = match &inner {
        Some(t) => plain_outcome(t).map(|o| !o),
        None => plain_outcome(c),
    };
    outcome.map(|o| o != negated)
}

fn plain_outcome(c: &str) -> Option<bool> {
    let (inner, double) = if let Some(r) = c.strip_prefix("[[").and_then(|r| r.strip_suffix("]]")) {
        (r, true)
    } else if let Some(r) = c.strip_prefix('[').and_then(|r| r.strip_suffix(']')) {
        (r, false)
    } else if let Some(r) = c.strip_prefix("((").and_then(|r| r.strip_suffix("))")) {
        let n = r.trim().parse::<i64>().ok()?;
        return Some(n != 0);
    } else {
        (c.strip_prefix("test ")?, false)
    };
    let words: Vec<&str> = inner.split_whitespace().take(5).collect();
    if words.len() > 3 || !words.iter().all(|w| literal(w)) {
        return None;
    }
    match words.as_slice() {
        // `[[ 1 ]]` is shown as `[[ -n 1 ]]`.
        ["-n", w] => Some(!unquote(w).is_empty()),
        ["-z", w] => Some(unquote(w).is_empty()),
        [a, op, b] => {
            let (a, b) = (unquote(a), unquote(b));
            match *op {
                "=" | "==" => Some(a == b).filter(|_| !double || !has_glob(b)),
                "!=" => Some(a != b).filter(|_| !double || !has_glob(b)),
                _ => {
                    let (x, y) = (a.parse::<i64>().ok()?, b.parse::<i64>().ok()?);
                    match *op {
                        "-eq" => Some(x == y),
                        "-ne" => Some(x != y),
                        "-lt" => Some(x < y),
                        "-le" => Some(x <= y),
                        "-gt" => Some(x > y),
                        "-ge" => Some(x >= y),
                        _ => None,
                    }
                }
            }
        }
        _ => None,
    }
}

/// `sleep N` (`sleep 1`, `sleep 0.5`, `sleep 5s`): it succeeds each time.
pub(super) fn sleeps(c: &str) -> bool {
    let mut w = c.split_whitespace();
    matches!(w.next(), Some("sleep" | "/bin/sleep" | "/usr/bin/sleep"))
        && w.next().is_some_and(|n| {
            let n = n.trim_end_matches(['s', 'm', 'h', 'd']);
            !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        })
        && w.next().is_none()
}

/// A word with no expansion: letters, digits and a few marks, maybe quoted.
fn literal(w: &str) -> bool {
    let u = unquote(w);
    !w.is_empty()
        && u.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'=' | b'!')
        })
}

fn unquote(w: &str) -> &str {
    w.strip_prefix('"')
        .and_then(|r| r.strip_suffix('"'))
        .or_else(|| w.strip_prefix('\'').and_then(|r| r.strip_suffix('\'')))
        .unwrap_or(w)
}

fn has_glob(w: &str) -> bool {
    w.contains(['*', '?', '['])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_tests_and_their_twins() {
        assert_eq!(literal_outcome("[ 1 -eq 1 ]"), Some(true));
        assert_eq!(literal_outcome("[[ -n 1 ]]"), Some(true));
        assert_eq!(literal_outcome("[ 1 -eq 0 ]"), Some(false));
        assert_eq!(literal_outcome("[ a = a ]"), Some(true));
        assert_eq!(literal_outcome("(( 2 ))"), Some(true));
        assert_eq!(literal_outcome("[ \"$x\" -eq 1 ]"), None);
        assert_eq!(literal_outcome("[ -f x ]"), None);
        assert_eq!(literal_outcome("[ $i -lt 3 ]"), None);
        assert_eq!(literal_outcome("read l"), None);
        assert_eq!(literal_outcome("! [ 1 -eq 0 ]"), Some(true));
        assert_eq!(literal_outcome("[ ! 1 -eq 0 ]"), Some(true));
        assert_eq!(literal_outcome("[ ! -z 1 ]"), Some(true));
        assert_eq!(literal_outcome("[ ! 1 -eq 1 ]"), Some(false));
        assert_eq!(literal_outcome("[ ! -f x ]"), None);
        assert_eq!(literal_outcome("! ! ! [ $x ]"), None);
        assert!(sleeps("/bin/sleep 1"));
        assert!(sleeps("sleep 1") && sleeps("sleep 0.5") && sleeps("sleep 5s"));
        assert!(!sleeps("sleep $n") && !sleeps("sleep 1; ls") && !sleeps("sleepy 1"));
    }
}
