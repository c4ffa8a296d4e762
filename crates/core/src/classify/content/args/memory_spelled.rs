//! Memory devices named without a literal path (the twenty-sixth sets; the twenty-fifth
//! sets' leftovers): by a glob or a brace list (`cat /dev/me?`, `/dev/[m]em`,
//! `/dev/{mem,null}`), through a variable or a placeholder the line fills from a literal it
//! holds (`M=/dev/mem; cat $M`, `${X:-/dev/mem}`, `find /dev -name mem -exec cat {} \;`),
//! relative to a directory the line changes to (`cd /dev; cat mem`), and in code joined from
//! parts (`os.path.join('/dev', 'mem')`, `'/dev/' + 'mem'`).

/// The devices as a glob may name them (`*` stands for a process id only under `/proc`).
const TARGETS: &[&str] = &[
    "/dev/mem",
    "/dev/kmem",
    "/dev/port",
    "/dev/crash",
    "/proc/kcore",
    "/proc/vmcore",
    "/proc/1/mem",
    "/proc/self/mem",
];

/// The last parts of the devices' paths.
const BASENAMES: &[&str] = &["mem", "kmem", "port", "crash", "kcore", "vmcore"];

/// True if a glob or brace list (`/dev/me?`, `/dev/[m]em`, `/dev/m*`, `/dev/{mem,null}`)
/// can name a memory device.
pub(super) fn pattern_names_memory(p: &str) -> bool {
    if p.len() > 256 || !p.contains(['*', '?', '[', '{']) {
        return false;
    }
    braces(p)
        .iter()
        .any(|alt| TARGETS.iter().any(|t| glob(alt.as_bytes(), t.as_bytes())))
}

/// The literal `/dev` and `/proc` paths and the devices' last names a line holds, gathered
/// once per line (the review of the twenty-sixth sets: gathered per operand, a 1 MiB line of
/// `cat a a a …` after a `cd /dev` scanned the whole line once for every operand).
#[derive(Clone, Default)]
pub(crate) struct Filler {
    dirs: Vec<String>,
    /// The line, kept to gather the names from when an operand first needs them (most
    /// operands have no unseen part, and gathering them cost a line holding `/dev/null`
    /// about 3,000 instructions; issue 14). Empty when the line holds no directory.
    source: String,
    names: std::cell::OnceCell<Vec<String>>,
}

impl Filler {
    pub(crate) fn new(source: &str) -> Self {
        let dirs: Vec<String> = dev_or_proc_words(source)
            .into_iter()
            .map(str::to_string)
            .collect();
        let source = if dirs.is_empty() {
            String::new()
        } else {
            source.to_string()
        };
        Filler {
            dirs,
            source,
            names: std::cell::OnceCell::new(),
        }
    }

    /// The devices' last names the line holds (at most 8).
    fn names(&self) -> &[String] {
        self.names.get_or_init(|| {
            byte_words(&self.source, |c| c.is_ascii_alphanumeric() || c == b'_')
                .filter(|w| BASENAMES.contains(w))
                .take(8)
                .map(str::to_string)
                .collect()
        })
    }

    /// True if the line holds a literal path under `/dev` or `/proc`.
    pub(crate) fn any(&self) -> bool {
        !self.dirs.is_empty()
    }

    /// True if `operand`, an operand this line's text fills (`$` for a variable, `{}` for
    /// `find -exec`, a relative name after `cd /dev`), can be a memory device spelled from
    /// the paths under `/dev` or `/proc` that the line holds literally.
    pub(crate) fn names_memory(&self, operand: &str) -> bool {
        let unseen = operand.contains('$') || operand.contains("{}");
        let relative = !operand.starts_with('/') && !operand.starts_with('-');
        if !(unseen || relative) || operand.len() > 256 {
            return false;
        }
        // (Built only for an operand with an unseen part: without one, the value put in
        // place of it is the operand itself.)
        let filled = if operand.contains("{}") {
            std::borrow::Cow::Owned(operand.replace("{}", "$"))
        } else {
            std::borrow::Cow::Borrowed(operand)
        };
        self.dirs.iter().any(|d| {
            let d = d.trim_end_matches('/');
            // The value put in place of the unseen part, or the directory joined with it.
            (if filled.contains('$') {
                super::memory_device(&filled.replace('$', d))
            } else {
                super::memory_device(&filled)
            }) || super::memory_device(&format!("{d}/{}", operand.trim_start_matches("./")))
                || unseen
                    && self
                        .names()
                        .iter()
                        .any(|n| super::memory_device(&filled.replace('$', &format!("{d}/{n}"))))
        })
    }
}

#[cfg(test)]
fn filled_names_memory(source: &str, operand: &str) -> bool {
    Filler::new(source).names_memory(operand)
}

/// True if code joins a memory device's path from parts (`os.path.join('/dev', 'mem')`,
/// `'/dev/' + 'mem'`, `path.join("/proc", "kcore")`) and opens or reads something.
pub(super) fn code_joins_memory(code: &str) -> bool {
    if !(code.contains("open") || code.contains("read") || code.contains("Read")) {
        return false;
    }
    let parts: Vec<&str> = code
        .split(['\'', '"', '`', ' ', '(', ')', ',', '\n', '+'])
        .filter(|w| !w.is_empty())
        .take(4096)
        .collect();
    let has = |want: &[&str]| parts.iter().any(|w| want.contains(w));
    has(&["/dev", "/dev/"]) && has(&["mem", "kmem", "port", "crash"])
        || has(&["/proc", "/proc/"]) && has(&["kcore", "vmcore"])
}

/// The words of `source` that start with `/dev` or `/proc` (at most 16), taken from the
/// first `/dev` or `/proc` in each run of path characters (`M=/dev/mem`, `${X:-/dev/mem}`).
fn dev_or_proc_words(source: &str) -> Vec<&str> {
    byte_words(source, |c| {
        c.is_ascii_alphanumeric() || matches!(c, b'/' | b'.' | b'_' | b'-')
    })
    .filter_map(|w| {
        // Most words hold no `/`: skip them before searching for the two directories.
        let b = w.as_bytes();
        if !b.contains(&b'/') {
            return None;
        }
        let at = find(b, b"/dev").or_else(|| find(b, b"/proc"))?;
        let rest = w.get(at..)?;
        let exact = ["/dev", "/proc"].iter().any(|p| {
            rest.strip_prefix(p)
                .is_some_and(|r| r.is_empty() || r.starts_with('/'))
        });
        exact.then_some(rest)
    })
    .take(16)
    .collect()
}

/// The runs of `source` made of the ASCII bytes `keep` accepts, as `str::split` on every
/// other character gives them less the empty ones (issue 14: split character by character,
/// a 90-byte line cost 9,000 instructions). A byte that is not ASCII is never kept, so every
/// run starts and ends on a character boundary.
fn byte_words(source: &str, keep: impl Fn(u8) -> bool) -> impl Iterator<Item = &str> {
    let b = source.as_bytes();
    let kept = move |i: usize| b.get(i).is_some_and(|&c| c.is_ascii() && keep(c));
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < b.len() && !kept(i) {
            i += 1;
        }
        if i >= b.len() {
            return None;
        }
        let start = i;
        while kept(i) {
            i += 1;
        }
        // (Both ends are ASCII bytes or the text's end: the slice cannot fail, and an empty
        // word would be passed over by every caller.)
        Some(source.get(start..i).unwrap_or(""))
    })
}

/// Where `needle` first starts in `hay` (short words: no searcher to build).
fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The alternatives of up to three brace lists (`/dev/{mem,null}`), at most 64.
fn braces(p: &str) -> Vec<String> {
    let mut out = vec![p.to_string()];
    for _ in 0..3 {
        let mut next = Vec::new();
        for w in &out {
            let group = w.find('{').and_then(|open| {
                let close = open + w.get(open..)?.find('}')?;
                Some((open, close))
            });
            match group {
                Some((open, close)) if w.get(open + 1..close).is_some_and(|g| g.contains(',')) => {
                    let (head, tail) = (
                        w.get(..open).unwrap_or(""),
                        w.get(close + 1..).unwrap_or(""),
                    );
                    for alt in w.get(open + 1..close).unwrap_or("").split(',').take(16) {
                        next.push(format!("{head}{alt}{tail}"));
                    }
                }
                _ => next.push(w.clone()),
            }
        }
        next.truncate(64);
        out = next;
    }
    out
}

/// A shell glob (`*`, `?`, `[…]`, `[!…]`) matched against `name`; `*` and `?` do not match
/// `/`. Iterative, with one backtracking point for the last `*`.
fn glob(pat: &[u8], name: &[u8]) -> bool {
    let (mut p, mut n) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        let c = name.get(n).copied().unwrap_or(0);
        let step = match pat.get(p) {
            Some(b'*') => {
                star = Some((p, n));
                p += 1;
                continue;
            }
            Some(b'?') if c != b'/' => Some(1),
            Some(b'[') => class(pat.get(p..).unwrap_or_default(), c),
            Some(&x) if x == c => Some(1),
            _ => None,
        };
        match step {
            Some(len) => {
                p += len;
                n += 1;
            }
            None => match star {
                Some((sp, sn)) if name.get(sn) != Some(&b'/') => {
                    star = Some((sp, sn + 1));
                    p = sp + 1;
                    n = sn + 1;
                }
                _ => return false,
            },
        }
    }
    pat.get(p..).unwrap_or_default().iter().all(|&b| b == b'*')
}

/// The length of a bracket class at the start of `pat` if it matches `c`.
fn class(pat: &[u8], c: u8) -> Option<usize> {
    let close = pat.iter().skip(2).position(|&b| b == b']')? + 2;
    let body = pat.get(1..close)?;
    let (negated, body) = match body.split_first() {
        Some((b'!' | b'^', rest)) => (true, rest),
        _ => (false, body),
    };
    let mut hit = false;
    let mut i = 0;
    while let Some(&b) = body.get(i) {
        if body.get(i + 1) == Some(&b'-')
            && let Some(&hi) = body.get(i + 2)
        {
            hit |= (b..=hi).contains(&c);
            i += 3;
        } else {
            hit |= b == c;
            i += 1;
        }
    }
    (hit != negated && c != b'/').then_some(close + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_spelled_otherwise_and_its_twins() {
        assert!(pattern_names_memory("/dev/me?"));
        assert!(pattern_names_memory("/dev/[m]em"));
        assert!(pattern_names_memory("/dev/m*m"));
        assert!(pattern_names_memory("/dev/{mem,null}"));
        assert!(pattern_names_memory("/proc/kcor?"));
        assert!(pattern_names_memory("/???/mem"));
        assert!(!pattern_names_memory("/proc/meminf?"));
        assert!(!pattern_names_memory("/proc/*/status"));
        assert!(!pattern_names_memory("/dev/{null,zero}"));
        assert!(!pattern_names_memory("/dev/[!m]em"));
        assert!(filled_names_memory("M=/dev/mem; cat $M", "$"));
        assert!(filled_names_memory("cat ${X:-/dev/mem}", "$"));
        assert!(filled_names_memory("D=/dev; cat $D/mem", "$/mem"));
        assert!(filled_names_memory("cd /dev; cat mem", "mem"));
        assert!(filled_names_memory("cd /proc && cat kcore", "kcore"));
        assert!(filled_names_memory(
            "find /dev -name mem -exec cat {} \\;",
            "{}"
        ));
        assert!(!filled_names_memory("M=/proc/meminfo; cat $M", "$"));
        assert!(!filled_names_memory("cd /proc && cat meminfo", "meminfo"));
        assert!(!filled_names_memory("cat $HOME/x", "$/x"));
        assert!(!filled_names_memory(
            "cd /dev; cat /etc/hostname",
            "/etc/hostname"
        ));
        assert!(code_joins_memory(
            "import os; open(os.path.join('/dev','mem'),'rb').read()"
        ));
        assert!(code_joins_memory("open('/dev/' + 'mem','rb')"));
        assert!(!code_joins_memory("print(os.path.join('/dev','mem'))"));
        assert!(!code_joins_memory("open('/proc/' + 'meminfo').read()"));
    }

    /// The char-by-char splits `Filler::new` used before issue 14's byte words.
    fn dev_or_proc_words_by_char(source: &str) -> Vec<&str> {
        source
            .split(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-')))
            .filter_map(|w| {
                let at = w.find("/dev").or_else(|| w.find("/proc"))?;
                let rest = w.get(at..)?;
                let exact = ["/dev", "/proc"].iter().any(|p| {
                    rest.strip_prefix(p)
                        .is_some_and(|r| r.is_empty() || r.starts_with('/'))
                });
                exact.then_some(rest)
            })
            .take(16)
            .collect()
    }

    #[test]
    fn byte_words_split_as_characters_did() {
        let pieces = [
            "/dev",
            "/proc",
            "/dev/mem",
            "/proc/kcore",
            "mem",
            "kmem",
            "port",
            "crash",
            "kcore",
            "vmcore",
            " ",
            ";",
            "$",
            "{",
            "}",
            "=",
            "é",
            "日",
            "/",
            ".",
            "_",
            "-",
            "x",
            "/devx",
            "/proc1",
            "a/dev",
            "\u{a0}",
            "\t",
            "M=",
            "${X:-",
            "cd ",
            "../",
        ];
        let mut rng = crate::classify::content::test_rng::Rng(0x2545_f491_4f6c_dd1d);
        let mut next = |n: usize| rng.below(n);
        let mut with_dirs = 0;
        for _ in 0..40_000 {
            let mut t = String::new();
            for _ in 0..next(12) {
                t.push_str(pieces[next(pieces.len())]);
            }
            assert_eq!(
                dev_or_proc_words(&t),
                dev_or_proc_words_by_char(&t),
                "{t:?}"
            );
            let names: Vec<&str> = t
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .filter(|w| BASENAMES.contains(w))
                .take(8)
                .collect();
            let f = Filler::new(&t);
            if f.any() {
                with_dirs += 1;
                assert_eq!(f.names(), names, "{t:?}");
            }
        }
        assert!(with_dirs > 10_000, "{with_dirs}");
    }
}
