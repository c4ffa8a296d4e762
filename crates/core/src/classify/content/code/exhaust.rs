//! Code that exhausts the host (the twenty-fourth sets): a loop that never ends and has no
//! way out, a sequence or buffer of a billion elements or more, an endless device read to
//! its end. Such code changes no file, yet it ties up the CPU, memory or the tool call until
//! something kills it, so it is never proven read (`mutating`; a fork bomb is judged
//! elsewhere, and higher).

/// Why `code` may exhaust the host, if it may. `blanked` is the code with its strings and
/// comments blanked (a loop or a size inside a string literal is text).
pub(super) fn exhausts(code: &str, blanked: &str) -> Option<&'static str> {
    let compact: String = blanked
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if endless_loop(&squeezed(blanked)) && !has_exit(blanked) {
        return Some("a loop that never ends and has no way out (ties up the host)");
    }
    if huge_size(&compact) {
        return Some(
            "a sequence, buffer or range of a billion elements or more (exhausts memory or CPU)",
        );
    }
    if endless_device(code) {
        return Some("reads an endless device (`/dev/zero`, `/dev/urandom`) with no size");
    }
    None
}

/// The code in lower case with whitespace kept only between two word characters
/// (`while  True :` is `while true:`, `1 while 1` keeps its spaces).
fn squeezed(text: &str) -> String {
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_whitespace() {
            gap = true;
            continue;
        }
        if gap && word(c) && out.chars().next_back().is_some_and(word) {
            out.push(' ');
        }
        gap = false;
        out.push(c);
    }
    out
}

/// Loop heads whose condition is always true, in the squeezed spelling.
const ENDLESS: &[&str] = &[
    "while true",
    "while 1",
    "while(true)",
    "while(1)",
    "while(!0)",
    "while not false",
    "until false",
    "for(;;)",
    "loop{",
    "loop do",
    "itertools.count(",
    "itertools.cycle(",
];

fn endless_loop(compact: &str) -> bool {
    ENDLESS.iter().any(|head| {
        compact.match_indices(head).any(|(at, _)| {
            let before = compact.get(..at).and_then(|t| t.chars().next_back());
            let after = compact
                .get(at + head.len()..)
                .and_then(|t| t.chars().next());
            let word_before = before.is_some_and(|c| c.is_alphanumeric() || c == '_');
            // `while1x`, `whiletrue_value` are other words; `itertools.count(` stands alone.
            let word_after = !head.ends_with(['(', ')', '{', '.'])
                && !head.ends_with("do")
                && after.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.');
            if head.starts_with("itertools") {
                // Walked or collected whole: `for i in itertools.count():`, `list(…)`;
                // `zip(itertools.count(), xs)` ends with `xs`.
                let lead = squeezed_before(compact, at);
                return [
                    "in ", "list(", "tuple(", "set(", "sorted(", "sum(", "max(", "min(", "[*",
                ]
                .iter()
                .any(|p| lead.ends_with(p));
            }
            !word_before && !word_after
        })
    })
}

/// The text before `at`.
fn squeezed_before(text: &str, at: usize) -> &str {
    text.get(..at).unwrap_or("")
}

/// A way out of a loop anywhere in the code (`break`, `return`, `exit`, `raise`, Perl's
/// `last` and `die`): the loop may end, so it is left to the rest of the proof.
fn has_exit(blanked: &str) -> bool {
    const EXITS: &[&str] = &[
        "break", "return", "exit", "_exit", "raise", "throw", "last", "die", "quit", "goto",
        "abort", "panic",
    ];
    blanked
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .any(|w| EXITS.contains(&w))
}

/// Calls whose argument is a size or a count to materialise.
const ALLOCS: &[&str] = &[
    "bytearray(",
    "bytes(",
    "range(",
    "array(",
    "alloc(",
    "allocunsafe(",
    "repeat(",
    "zeros(",
    "ones(",
    "empty(",
    "full(",
    "make(",
    "malloc(",
    "calloc(",
    "vec![0;",
    "with_capacity(",
    "xrange(",
    "urandom(",
    "randbytes(",
    "read(",
    // JavaScript's padding to a length (`'x'.padEnd(1e12)`; the twenty-sixth sets).
    "padend(",
    "padstart(",
];

/// A number of a billion or more written as a power (`10**12`, `2**40`) or as a shift
/// (`1<<40`) used as a repetition count (`'a'*10**12`) or a size, or in exponent form
/// (`1e12`) as a size only (`t * 1e9` converts seconds): `bytearray(10**12)`,
/// `new Array(1e9)`, `range(10**15)`.
fn huge_size(compact: &str) -> bool {
    let b = compact.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        let here = b.get(i).is_some_and(u8::is_ascii_digit);
        let joined = i
            .checked_sub(1)
            .and_then(|p| b.get(p))
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'.');
        if !here || joined {
            i += 1;
            continue;
        }
        let (base, next) = digits(b, i);
        let rest = compact.get(next..).unwrap_or("");
        let (magnitude, end, power) = if rest.starts_with("**") {
            let (exp, end) = digits(b, next + 2);
            (base.log10() * exp, end, true)
        } else if rest.starts_with("<<") {
            let (exp, end) = digits(b, next + 2);
            (base.log10() + exp * 2f64.log10(), end, true)
        } else if rest.starts_with('e') {
            let (exp, end) = digits(b, next + 1);
            (base.log10() + exp, end, false)
        } else if base >= 1e9 {
            // A plain number of ten digits or more (`'a'*1000000000000`; the twenty-fifth sets).
            (base.log10(), next, false)
        } else {
            i = next.max(start + 1);
            continue;
        };
        i = end.max(start + 1);
        if magnitude.is_nan() || magnitude < 9.0 {
            continue;
        }
        let before = compact.get(..start).unwrap_or("");
        let bare = before.trim_end_matches('(');
        let after = compact.get(end..).unwrap_or("").trim_start_matches(')');
        let repeated = power
            && (bare.ends_with('*') && !bare.ends_with("**")
                || after.starts_with('*') && !after.starts_with("**"));
        let sized = ALLOCS.iter().any(|a| before.ends_with(a));
        // A sequence literal times a plain number (`'a'*1000000000000`, `[0]*…`); a number
        // times a name is a conversion (`t * 1000000000`).
        let seq = |c: u8| matches!(c, b'\'' | b'"' | b']');
        let literal_times = !power
            && (before
                .strip_suffix('*')
                .and_then(|b| b.bytes().last())
                .is_some_and(seq)
                || after
                    .strip_prefix('*')
                    .and_then(|a| a.bytes().next())
                    .is_some_and(|c| seq(c) || c == b'['));
        if repeated || sized || literal_times {
            return true;
        }
    }
    false
}

/// The number at `at` (its value, and where it ends); none is 0. Digits may be grouped by
/// `_` (`1_000_000_000_000` in Python, JavaScript, Ruby, Rust) and a number may be hex
/// (`0x10000000000`; the twenty-sixth sets): the same count, spelled otherwise.
fn digits(b: &[u8], at: usize) -> (f64, usize) {
    let hex = b.get(at) == Some(&b'0')
        && b.get(at + 1) == Some(&b'x')
        && b.get(at + 2).is_some_and(u8::is_ascii_hexdigit);
    let (radix, mut end) = if hex { (16u32, at + 2) } else { (10, at) };
    let mut value = 0f64;
    loop {
        match b.get(end).and_then(|d| char::from(*d).to_digit(radix)) {
            Some(d) => value = value * f64::from(radix) + f64::from(d),
            // A separator only between two digits (`1_000`, not `x_` or `1__`).
            None if b.get(end) == Some(&b'_')
                && end > at
                && b.get(end + 1)
                    .is_some_and(|d| char::from(*d).is_digit(radix)) => {}
            None => break,
        }
        end += 1;
    }
    (value, end)
}

/// An endless device read to its end (`open('/dev/zero').read()`, `readFileSync('/dev/urandom')`):
/// `/dev/zero` and `/dev/full` anywhere, the random devices beside a read with no size.
fn endless_device(code: &str) -> bool {
    if code.contains("/dev/zero") || code.contains("/dev/full") {
        return true;
    }
    let random = code.contains("/dev/urandom") || code.contains("/dev/random");
    random
        && (code.contains(".read()")
            || code.contains("readlines(")
            || code.contains("readFileSync(")
            || code.contains("read_to_end")
            || code.contains("ReadAll(")
            || code.contains(".read(-1)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(code: &str) -> bool {
        exhausts(code, code).is_some()
    }

    #[test]
    fn exhausting_code_and_its_twins() {
        for bad in [
            "while True: pass",
            "while 1:\n    x += 1",
            "l=[]\nwhile True: l.append(' '*10**6)",
            "while(true){}",
            "for(;;){}",
            "loop {}",
            "import itertools; list(itertools.count())",
            "x = 'a' * 10**12",
            "x='a'*1000000000000",
            "[0]*10000000000000",
            "bytearray(1000000000000)",
            "[0]*10**12",
            "10**12 * 'a'",
            "s = 'x' * (10**12)",
            "1 while 1",
            "bytearray(10**13)",
            "new Array(1e9)",
            "Buffer.alloc(1<<40)",
            "sum(range(10**15))",
            "'a'.repeat(10**12)",
            "open('/dev/zero').read()",
            "open('/dev/urandom','rb').read()",
        ] {
            assert!(ex(bad), "{bad}");
        }
        for good in [
            "while True:\n    l = f.readline()\n    if not l: break",
            "while(true){ if (x) return; }",
            "x = 'a' * 10",
            "[0]*100",
            "print(2**64)",
            "n = t * 1e9",
            "t = time.time_ns() / 1e9",
            "print(10**12)",
            "range(10)",
            "for i, x in zip(itertools.count(), xs): print(i, x)",
            "open('/dev/urandom','rb').read(16)",
            "print(os.urandom(16).hex())",
            "x = value1 * 3",
            "ns = t * 1000000000",
            "print(1000000000000)",
            "awhile1 = 3",
        ] {
            assert!(!ex(good), "{good}");
        }
    }
}
