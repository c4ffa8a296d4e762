//! Names and commands split into pieces to hide them from the call table (the twenty-third
//! sets): string literals joined by `+`, `.`, `..` or written side by side
//! (`'sys' + 'tem'`, `'sys'.'tem'`, `'exe'..'cute'`, `'DR' 'OP TABLE t'`), a literal reversed
//! (`'metsys'[::-1]`, `'metsys'.reverse`, `.split('').reverse().join('')`), and a name looked
//! up by its string (`getattr(ec2, 'terminate_instances')`, `vars(os)['system']`,
//! `os.__dict__['system']`, `fs['rmSync'](…)`). `fold` spells the code as if written plainly;
//! the caller judges that spelling as well as the original, so folding can only raise.

use super::super::Ctx;

/// Judges the plain spelling of code whose names or commands are split into joined literals
/// or looked up by a string (`'sys' + 'tem'`, `getattr(ec2, 'terminate_instances')`) as
/// well as the code itself: it can only raise. `judged` are the literals the code's own scan
/// judges (as strings run as code); the joined spelling's scan leaves those to it, so that
/// nested code is not judged once per spelling at every level (2^depth times).
/// The spelling is folded to a fixed point (at most four times) and scanned once.
pub(super) fn judge(ctx: &mut Ctx, lang: &str, code: &str, depth: usize, judged: Vec<String>) {
    let mut plain: Option<String> = None;
    for _ in 0..4 {
        let from = plain.as_deref().unwrap_or(code);
        match fold(from) {
            Some(p) if p != from => plain = Some(p),
            _ => break,
        }
    }
    if let Some(plain) = plain.filter(|p| p != code) {
        let outer = ctx.folded.take();
        ctx.folded = Some((depth + 1, plain.clone(), judged));
        ctx.via("the code with its split strings joined", |ctx| {
            super::analyse(ctx, lang, &plain, depth + 1)
        });
        ctx.folded = outer;
    }
}

/// The code with split literals joined and looked-up names spelled as attributes, or `None`
/// when nothing was folded.
pub(super) fn fold(code: &str) -> Option<String> {
    // Cheap test first: no quote, nothing to fold.
    if !code.contains(['\'', '"']) {
        return None;
    }
    let joined = join_literals(code);
    let named = lookups(joined.as_deref().unwrap_or(code));
    named.or(joined)
}

/// A quoted literal starting at `i` on one line: (index past it, raw content). Triple quotes
/// and literals with a prefix (`f'…'`, `b'…'`, `$'…'`) are not plain literals.
fn literal(cs: &[char], i: usize) -> Option<(usize, String)> {
    let q = *cs.get(i)?;
    if !matches!(q, '\'' | '"') || cs.get(i + 1) == Some(&q) && cs.get(i + 2) == Some(&q) {
        return None;
    }
    let mut j = i + 1;
    let mut raw = String::new();
    while let Some(&c) = cs.get(j) {
        match c {
            '\\' => {
                raw.push(c);
                raw.extend(cs.get(j + 1));
                j += 2;
            }
            '\n' => return None,
            c if c == q => return Some((j + 1, raw)),
            c => {
                raw.push(c);
                j += 1;
            }
        }
    }
    None
}

fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn starts(cs: &[char], at: usize, s: &str) -> bool {
    s.chars()
        .enumerate()
        .all(|(k, c)| cs.get(at + k) == Some(&c))
}

/// Index past a reversal written after a literal (`[::-1]`, `.reverse` not followed by a
/// name character, `.split('').reverse().join('')` in either quote).
fn reversal(cs: &[char], at: usize) -> Option<usize> {
    for s in [
        "[::-1]",
        ":reverse()",
        ".split('').reverse().join('')",
        ".split(\"\").reverse().join(\"\")",
    ] {
        if starts(cs, at, s) {
            return Some(at + s.chars().count());
        }
    }
    let end = at + ".reverse".len();
    (starts(cs, at, ".reverse") && !cs.get(end).is_some_and(|&c| word_char(c) || c == '('))
        .then_some(end)
}

/// One plain literal at `i` with its reversal applied: (index past it, quote, content).
/// A quote right after a backslash starts no literal: outside a literal `\'` is no code's
/// spelling, and starting at each one of a line of them (`\' \' \' …`) would scan the rest
/// of the line from every one (quadratic on the check path).
fn piece(cs: &[char], i: usize) -> Option<(usize, char, String, bool)> {
    if i > 0
        && cs
            .get(i - 1)
            .is_some_and(|&c| word_char(c) || c == '$' || c == '\\')
    {
        return None;
    }
    let q = *cs.get(i)?;
    let (end, raw) = literal(cs, i)?;
    match reversal(cs, end) {
        Some(past) if !raw.contains('\\') => Some((past, q, raw.chars().rev().collect(), true)),
        _ => Some((end, q, raw, false)),
    }
}

fn skip_blanks(cs: &[char], mut i: usize) -> usize {
    while cs.get(i).is_some_and(|&c| c == ' ' || c == '\t') {
        i += 1;
    }
    i
}

/// Joins literals concatenated by an operator or written side by side.
fn join_literals(code: &str) -> Option<String> {
    let cs: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len());
    let mut changed = false;
    let mut i = 0;
    while let Some(&c) = cs.get(i) {
        if let Some((past, q, joined)) = list_join(&cs, i).or_else(|| wrapped_reversal(&cs, i)) {
            changed = true;
            out.push(q);
            out.push_str(&joined);
            out.push(q);
            i = past;
            continue;
        }
        let Some((mut end, q, mut acc, reversed)) =
            matches!(c, '\'' | '"').then(|| piece(&cs, i)).flatten()
        else {
            out.push(c);
            i += 1;
            continue;
        };
        let mut folded = reversed;
        loop {
            let k = skip_blanks(&cs, end);
            let op_end = match cs.get(k) {
                Some('+') if !matches!(cs.get(k + 1), Some('+' | '=')) => k + 1,
                Some('.') if cs.get(k + 1) == Some(&'.') && cs.get(k + 2) != Some(&'.') => k + 2,
                Some('.') if matches!(cs.get(k + 1), Some(' ' | '\t' | '\'' | '"')) => k + 1,
                _ => k,
            };
            let next = skip_blanks(&cs, op_end);
            if !matches!(cs.get(next), Some('\'' | '"')) || (op_end == k && next == end) {
                break;
            }
            let Some((past, q2, more, _)) = piece(&cs, next) else {
                break;
            };
            let mixed = |s: &str| s.contains(['\'', '"', '\\']);
            if q2 != q && (mixed(&acc) || mixed(&more)) {
                break;
            }
            acc.push_str(&more);
            end = past;
            folded = true;
        }
        if folded {
            changed = true;
            out.push(q);
            out.push_str(&acc);
            out.push(q);
        } else {
            out.extend(cs.get(i..end).unwrap_or_default());
        }
        i = end;
    }
    changed.then_some(out)
}

/// Literals in a list joined with nothing (the review of the twenty-third sets):
/// JavaScript's `['rm', 'Sync'].join('')` and Python's `''.join(['sys', 'tem'])` at `i`:
/// (index past it, quote, the joined content).
fn list_join(cs: &[char], i: usize) -> Option<(usize, char, String)> {
    let empty_join = |at: usize| {
        ["('')", "(\"\")"]
            .iter()
            .find_map(|s| starts(cs, at, &format!(".join{s}")).then(|| at + 5 + s.len()))
    };
    let (open, close, python) = match cs.get(i)? {
        '[' => (i, ']', false),
        '\'' | '"' if cs.get(i + 1) == cs.get(i) && starts(cs, i + 2, ".join(") => {
            let at = i + 8;
            match cs.get(at)? {
                '[' => (at, ']', true),
                '(' => (at, ')', true),
                _ => return None,
            }
        }
        _ => return None,
    };
    let mut j = skip_blanks(cs, open + 1);
    let mut acc = String::new();
    let mut quote = None;
    loop {
        let (past, q, raw, _) = piece(cs, j)?;
        if raw.contains(['\'', '"', '\\']) {
            return None;
        }
        quote.get_or_insert(q);
        acc.push_str(&raw);
        j = skip_blanks(cs, past);
        if cs.get(j) == Some(&',') {
            j = skip_blanks(cs, j + 1);
        }
        if cs.get(j) == Some(&close) {
            break;
        }
    }
    let past = if python {
        (cs.get(j + 1) == Some(&')')).then_some(j + 2)?
    } else {
        empty_join(j + 1)?
    };
    Some((past, quote?, acc))
}

/// A literal reversed by a call around it (the review of the twenty-third sets): Lua's
/// `('etucexe'):reverse()` and `string.reverse('etucexe')`, PHP's `strrev('metsys')` at `i`:
/// (index past it, quote, the reversed content).
fn wrapped_reversal(cs: &[char], i: usize) -> Option<(usize, char, String)> {
    if i > 0 && cs.get(i - 1).is_some_and(|&c| word_char(c) || c == '.') {
        return None;
    }
    let (open, close) = [
        ("(", "):reverse()"),
        ("string.reverse(", ")"),
        ("strrev(", ")"),
    ]
    .into_iter()
    .find(|(o, _)| starts(cs, i, o))?;
    let at = skip_blanks(cs, i + open.len());
    let (end, q, raw, _) = piece(cs, at)?;
    let k = skip_blanks(cs, end);
    (!raw.contains('\\') && starts(cs, k, close))
        .then(|| (k + close.len(), q, raw.chars().rev().collect()))
}

/// An identifier literal at `i` (`'system'`): (index past it, name).
fn name_literal(cs: &[char], i: usize) -> Option<(usize, String)> {
    let (end, raw) = literal(cs, i)?;
    let ok = raw
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && raw.chars().all(word_char);
    ok.then_some((end, raw))
}

/// A dotted name ending just before `at` (`boto3.client`): its start.
fn name_before(cs: &[char], at: usize) -> Option<usize> {
    let mut s = at;
    while s > 0
        && cs
            .get(s - 1)
            .is_some_and(|&c| word_char(c) || c == '.' || c == '$')
    {
        s -= 1;
    }
    (s < at && cs.get(s).is_none_or(|&c| c != '.')).then_some(s)
}

/// A function named by a string (the review of the twenty-third sets): R's `get('system')`
/// and `match.fun('system')`, a method's `.__getattribute__('system')` and
/// `.__dict__.get('system')`, a called literal (`('sys'.'tem')(…)` in PHP, `'system'(…)`):
/// (index past it, the name spelled as written plainly).
fn named_call(cs: &[char], i: usize) -> Option<(usize, String)> {
    let after_word = i > 0 && cs.get(i - 1).is_some_and(|&p| word_char(p) || p == '.');
    for (s, dotted) in [
        (".__getattribute__(", true),
        (".__dict__.get(", true),
        ("get(", false),
        ("match.fun(", false),
    ] {
        if starts(cs, i, s) && (dotted || !after_word) {
            let at = skip_blanks(cs, i + s.chars().count());
            let (past, name) = name_literal(cs, at)?;
            let k = skip_blanks(cs, past);
            let dot = if dotted { "." } else { "" };
            return (cs.get(k) == Some(&')')).then(|| (k + 1, format!("{dot}{name}")));
        }
    }
    if after_word || i > 0 && cs.get(i - 1) == Some(&'\\') {
        return None;
    }
    // `('system')(` and `'system'(`: a literal called as a function.
    let paren = cs.get(i) == Some(&'(');
    let at = if paren { skip_blanks(cs, i + 1) } else { i };
    let (past, name) = name_literal(cs, at)?;
    let k = if paren {
        let k = skip_blanks(cs, past);
        (cs.get(k) == Some(&')')).then_some(k + 1)?
    } else {
        past
    };
    (cs.get(k) == Some(&'(')).then_some((k, name))
}

/// `getattr(obj, 'name')` or `vars(obj)['name']` at `i`: (index past it, `obj.name`).
fn call_lookup(cs: &[char], i: usize) -> Option<(usize, String)> {
    if i > 0 && cs.get(i - 1).is_some_and(|&p| word_char(p) || p == '.') {
        return None;
    }
    let getattr = starts(cs, i, "getattr(");
    if !getattr && !starts(cs, i, "vars(") {
        return None;
    }
    let from = i + if getattr { 8 } else { 5 };
    let mut j = from;
    while cs
        .get(j)
        .is_some_and(|&c| word_char(c) || c == '.' || c == '$')
    {
        j += 1;
    }
    if j == from {
        return None;
    }
    let obj: String = cs.get(from..j).unwrap_or_default().iter().collect();
    let lit_at = if getattr {
        let k = skip_blanks(cs, j);
        (cs.get(k) == Some(&',')).then(|| skip_blanks(cs, k + 1))?
    } else {
        (cs.get(j) == Some(&')') && cs.get(j + 1) == Some(&'[')).then_some(j + 2)?
    };
    let (past, name) = name_literal(cs, lit_at)?;
    let k = skip_blanks(cs, past);
    (cs.get(k) == Some(&if getattr { ')' } else { ']' })).then(|| (k + 1, format!("{obj}.{name}")))
}

/// True if the subscript at `i` (`obj['name']`) is called (`obj['name'](…)`) or is the whole
/// value assigned (`f = obj['name']`), or its object is a namespace (`obj.__dict__['name']`).
fn named_subscript(cs: &[char], i: usize, past: usize, out: &str) -> bool {
    if out.ends_with(".__dict__") {
        return true;
    }
    let called = cs.get(past + 1) == Some(&'(');
    if called && i > 0 && cs.get(i - 1) == Some(&')') {
        return true;
    }
    let Some(s) = name_before(cs, i) else {
        return false;
    };
    let before = cs.get(..s).unwrap_or_default();
    let mut back = before.iter().rev().filter(|c| !matches!(c, ' ' | '\t'));
    let assigned = back.next() == Some(&'=')
        && !back
            .next()
            .is_some_and(|c| matches!(c, '=' | '!' | '<' | '>'));
    // A value taken out of a module (`f = os['execute']`), not a dictionary's entry.
    let obj: String = cs.get(s..i).unwrap_or_default().iter().collect();
    let module = MODULES.contains(&obj.as_str());
    called || (assigned && module)
}

/// Modules whose members run commands or remove files.
const MODULES: &[&str] = &[
    "os",
    "posix",
    "nt",
    "io",
    "fs",
    "shutil",
    "subprocess",
    "child_process",
    "cp",
    "process",
    "Kernel",
    "builtins",
    "__builtins__",
    "sys",
    "ctypes",
    "pty",
    "commands",
];

/// Spells names looked up by a string as attributes.
fn lookups(code: &str) -> Option<String> {
    let cs: Vec<char> = code.chars().collect();
    let mut out = String::with_capacity(code.len());
    let mut changed = false;
    let mut i = 0;
    while let Some(&c) = cs.get(i) {
        if let Some((past, spelled)) = call_lookup(&cs, i).or_else(|| named_call(&cs, i)) {
            out.push_str(&spelled);
            changed = true;
            i = past;
            continue;
        }
        if c == '['
            && let Some((past, name)) = name_literal(&cs, i + 1)
            && cs.get(past) == Some(&']')
            && named_subscript(&cs, i, past, &out)
        {
            if let Some(stem) = out.strip_suffix(".__dict__") {
                out.truncate(stem.len());
            }
            out.push('.');
            out.push_str(&name);
            changed = true;
            i = past + 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::fold;

    #[test]
    fn joins_and_spells() {
        let f = |s: &str| fold(s).unwrap_or_default();
        assert_eq!(f("os.system('r' + 'm -rf /')"), "os.system('rm -rf /')");
        assert_eq!(f("$c = 'sys'.'tem';"), "$c = 'system';");
        assert_eq!(f("local f=os['exe'..'cute']"), "local f=os.execute");
        assert_eq!(f("x = 'DR' 'OP TABLE t'"), "x = 'DROP TABLE t'");
        assert_eq!(f("getattr(os, 'evomer'[::-1])(p)"), "os.remove(p)");
        assert_eq!(f("vars(os)['system']('x')"), "os.system('x')");
        assert_eq!(f("os.__dict__['system']"), "os.system");
        assert_eq!(f("fs['rm'+'Sync'](p)"), "fs.rmSync(p)");
        assert_eq!(
            f("getattr(ec2, 'terminate_instances')()"),
            "ec2.terminate_instances()"
        );
        // The review of the twenty-third sets.
        assert_eq!(f("fs[['rm', 'Sync'].join('')](p)"), "fs.rmSync(p)");
        assert_eq!(f("getattr(os, ''.join(['sys', 'tem']))(c)"), "os.system(c)");
        assert_eq!(f("os[('etucexe'):reverse()](c)"), "os.execute(c)");
        assert_eq!(f("os[string.reverse('etucexe')](c)"), "os.execute(c)");
        assert_eq!(f("f <- get('system'); f(c)"), "f <- system; f(c)");
        assert_eq!(f("match.fun('system')(c)"), "system(c)");
        assert_eq!(f("os.__getattribute__('system')(c)"), "os.system(c)");
        assert_eq!(f("('sys'.'tem')('ls');"), "system('ls');");
        assert_eq!(fold("d.get('system')"), None);
        assert_eq!(fold("print('a', 'b')"), None);
        assert_eq!(fold("print(row['delete'])"), None);
        assert_eq!(fold("x = f'a' + 'b'"), None);
        assert_eq!(fold("if a['k'] == 'v': pass"), None);
    }
}
