//! Values assembled at run time (the twenty-seventh sets, set 27a): a line that assigns
//! literal values and then uses them (`M=mem; cat /dev/$M`, `T=/; rm -rf "$T"`,
//! `opts=(--force); git push "${opts[@]}"`, `printf -v F '%s' mem`, `read -r F <<< mem`,
//! `set -- /srv; rm -rf "$1"`, `for f in mem; do cat /dev/$f; done`) is judged a second
//! time with each use replaced by the value (one line per value of a loop variable, at most
//! [`MAX_VARIANTS`]). This only adds findings: the line as written is still judged as
//! before, so a value the scan gets wrong can raise a verdict, never lower one.
//!
//! The scan is one pass over the line's bytes, outside single quotes, with the values known
//! at each point (an assignment, `printf -v`, `read … <<<`, `mapfile … <<<`, `set --`,
//! `for NAME in …`); a value that is not a literal (`$(…)`, a backquote, an unknown
//! variable) forgets the name. A directory changed to with a literal path (`cd /`, `cd
//! /proc`, `pushd ~/.ssh`) is joined to the later relative operands that the join makes a
//! memory device, a secret or a path that a removal there destroys (`cd /; cat dev/mem`,
//! `cd /; rm -rf *`).

mod commands;
mod words;

use super::super::args;
use commands::normalise;
use std::borrow::Cow;

/// Lines longer than this are not filled (a line that would be is `mutating`).
const MAX_LINE: usize = 64 * 1024;
/// Names kept, values kept per array, and bytes per value.
const MAX_VARS: usize = 64;
const MAX_ITEMS: usize = 64;
const MAX_VALUE: usize = 4096;
/// Filled lines made for the values of loop variables.
pub(super) const MAX_VARIANTS: usize = 16;
/// Bytes of filled lines made for one line, all variants together.
const MAX_OUT: usize = 512 * 1024;

/// What filling a line gave.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Filled {
    /// No use of a value the line assigned: nothing to judge again.
    Nothing,
    /// The line with its values in place, once per value of its loop variables.
    Lines(Vec<String>),
    /// The line has uses to fill but is too long or has too many values to fill.
    TooLarge,
}

#[derive(Clone, Debug)]
enum Val {
    Scalar(String),
    Array(Vec<String>),
    /// The values of a `for` loop's variable: one per filled line.
    Alts(Vec<String>),
    /// More items than are kept: a use cannot be filled, and the line counts as too large.
    Over,
}

/// The line with the values it assigns put in place of their uses.
pub(super) fn filled(src: &str) -> Filled {
    // Cheap first tests: a use needs `$`, an assignment `=` (or a loop, `printf`, `read`,
    // `set`); a directory change needs `cd`.
    // `cd` or `pushd` with any blank after it (the merge's review: `cd\t/` and `pushd /`
    // were passed over).
    let has_cd = src.contains("cd") || src.contains("pushd");
    if !(src.contains(['$', '`']) || has_cd) {
        return Filled::Nothing;
    }
    let mut lines = Vec::new();
    let mut total = 0usize;
    let mut variants = 1usize;
    let mut k = 0usize;
    while k < variants {
        if src.len() > MAX_LINE {
            // Only say so when the line would be filled: a scan of its first part tells.
            let head = super::super::prefix(src, MAX_LINE);
            return match Scan::run(head, 0) {
                Some(s) if s.changed => Filled::TooLarge,
                _ => Filled::Nothing,
            };
        }
        let Some(scan) = Scan::run(src, k) else {
            return Filled::TooLarge;
        };
        if scan.over {
            return Filled::TooLarge;
        }
        if !scan.changed {
            break;
        }
        variants = scan.alts.max(1);
        if variants > MAX_VARIANTS {
            return Filled::TooLarge;
        }
        let out = scan.output();
        total = total.saturating_add(out.len());
        if total > MAX_OUT {
            return Filled::TooLarge;
        }
        if out != src && !lines.iter().any(|l| *l == out) {
            lines.push(out.into_owned());
        }
        k += 1;
    }
    if lines.is_empty() {
        Filled::Nothing
    } else {
        Filled::Lines(lines)
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Quote {
    Normal,
    Single,
    Double,
    AnsiC,
}

struct Scan<'a> {
    b: &'a [u8],
    s: &'a str,
    /// Which value of each loop variable this line takes.
    k: usize,
    vars: Vec<(String, Val)>,
    /// The filled line, once it differs from `s[..mirrored]` (until then it is empty: most
    /// lines are never changed, and copying them byte by byte cost the shell line more than
    /// its judgement of the values did; issue 14).
    out: String,
    mirrored: usize,
    diverged: bool,
    changed: bool,
    /// The most values a used loop variable has.
    alts: usize,
    /// The directory a literal `cd` changed to, if known.
    cwd: Option<String>,
    /// The name of the command being scanned.
    cmd_word: &'a str,
    /// A use of a name with more items than are kept was met.
    over: bool,
    /// The command is `export`, `declare`, `local`, `readonly` or `typeset`.
    decl: bool,
}

/// Programs whose operand names what they remove or take over (`cd /; rm -rf etc`).
const REMOVERS: &[&str] = &[
    "rm", "rmdir", "unlink", "shred", "wipe", "srm", "truncate", "chmod", "chown", "chgrp", "find",
    "mv", "dd", "mkfs", "wipefs",
];

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_name_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Bytes that end an unquoted word.
fn is_meta(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'\n' | b';' | b'&' | b'|' | b'<' | b'>' | b'(' | b')'
    )
}

/// Bytes after which a new word starts.
fn starts_word_after(c: u8) -> bool {
    is_meta(c) || matches!(c, b'{' | b'}' | b'`' | b'!')
}

impl<'a> Scan<'a> {
    /// One pass over `s`; `None` if a bound was passed.
    fn run(s: &'a str, k: usize) -> Option<Scan<'a>> {
        let mut scan = Scan::new(s, k);
        scan.walk()?;
        Some(scan)
    }

    fn new(s: &'a str, k: usize) -> Scan<'a> {
        Scan {
            b: s.as_bytes(),
            s,
            k,
            vars: Vec::new(),
            out: String::new(),
            mirrored: 0,
            diverged: false,
            changed: false,
            alts: 0,
            cwd: None,
            cmd_word: "",
            over: false,
            decl: false,
        }
    }

    fn at(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    /// Copies `s[from..to]` to the output (nothing if it is not a slice of `s`).
    fn copy(&mut self, from: usize, to: usize) {
        let Some(t) = self.s.get(from..to) else {
            return;
        };
        if !self.diverged && from == self.mirrored {
            self.mirrored = to;
        } else {
            self.out().push_str(t);
        }
    }

    /// The output to write to: the mirrored start of the line is copied into it first.
    fn out(&mut self) -> &mut String {
        if !self.diverged {
            self.diverged = true;
            self.out.push_str(self.s.get(..self.mirrored).unwrap_or(""));
        }
        &mut self.out
    }

    fn out_len(&self) -> usize {
        if self.diverged {
            self.out.len()
        } else {
            self.mirrored
        }
    }

    /// The filled line.
    fn output(self) -> Cow<'a, str> {
        if self.diverged {
            Cow::Owned(self.out)
        } else {
            Cow::Borrowed(self.s.get(..self.mirrored).unwrap_or(""))
        }
    }

    fn walk(&mut self) -> Option<()> {
        let mut q = Quote::Normal;
        let mut i = 0usize;
        let mut word_start = true;
        let mut cmd_start = true;
        let n = self.b.len();
        while i < n {
            if self.out_len() > MAX_OUT {
                return None;
            }
            let c = self.at(i);
            match q {
                Quote::Single | Quote::AnsiC => {
                    let step = if q == Quote::AnsiC && c == b'\\' {
                        2
                    } else {
                        1
                    };
                    if c == b'\'' {
                        q = Quote::Normal;
                    }
                    self.copy(i, (i + step).min(n));
                    i += step;
                    continue;
                }
                Quote::Double => {
                    if c == b'\\' {
                        self.copy(i, (i + 2).min(n));
                        i += 2;
                    } else if c == b'"' {
                        q = Quote::Normal;
                        self.copy(i, i + 1);
                        i += 1;
                    } else if c == b'$'
                        && let Some((end, vals, spread)) = self.reference(i)
                    {
                        self.emit(&vals, spread, true);
                        i = end;
                    } else if c == b'`'
                        && let Some((end, v)) = self.echoed(i + 1, b'`')
                    {
                        self.emit(std::slice::from_ref(&v), false, true);
                        i = end;
                    } else {
                        let len = char_len(c);
                        self.copy(i, (i + len).min(n));
                        i += len;
                    }
                    continue;
                }
                Quote::Normal => {}
            }
            if word_start {
                if c == b'#' {
                    // A comment, to the end of the line.
                    let end = self
                        .b
                        .get(i..)
                        .and_then(|r| r.iter().position(|&b| b == b'\n'))
                        .map_or(n, |p| i + p);
                    self.copy(i, end);
                    i = end;
                    continue;
                }
                let was_cmd = cmd_start;
                if let Some((next, assigned)) = self.word_start(i, was_cmd) {
                    // The recogniser copied (and maybe rewrote) the word itself; after an
                    // assignment the next word is still the command's name.
                    i = next;
                    word_start = false;
                    cmd_start = (was_cmd || self.decl) && assigned;
                    if assigned && matches!(self.at(i), b' ' | b'\t') {
                        word_start = true;
                        self.out().push(' ');
                        i += 1;
                    }
                    continue;
                }
            }
            match c {
                b'\\' => {
                    self.copy(i, (i + 2).min(n));
                    i += 2;
                    word_start = false;
                    cmd_start = false;
                    continue;
                }
                b'\'' => q = Quote::Single,
                b'"' => q = Quote::Double,
                b'$' if self.at(i + 1) == b'\'' => {
                    self.copy(i, i + 2);
                    i += 2;
                    q = Quote::AnsiC;
                    word_start = false;
                    cmd_start = false;
                    continue;
                }
                b'$' => {
                    if let Some((end, vals, spread)) = self.reference(i) {
                        self.emit(&vals, spread, false);
                        i = end;
                        word_start = false;
                        cmd_start = false;
                        continue;
                    }
                }
                b'`' => {
                    if let Some((end, v)) = self.echoed(i + 1, b'`') {
                        self.emit(std::slice::from_ref(&v), false, false);
                        i = end;
                        word_start = false;
                        cmd_start = false;
                        continue;
                    }
                }
                _ => {}
            }
            let len = char_len(c);
            self.copy(i, (i + len).min(n));
            i += len;
            if starts_word_after(c) {
                word_start = true;
                if matches!(c, b';' | b'&' | b'|' | b'(' | b'\n' | b'{' | b'`' | b'!') {
                    cmd_start = true;
                    self.decl = false;
                }
            } else {
                word_start = false;
                cmd_start = false;
            }
        }
        Some(())
    }

    /// At the start of a word outside quotes: recognises what assigns a value or changes
    /// the directory, and joins a relative operand to the directory. Returns where the
    /// copied word ends, or `None` to let the walk copy it.
    fn word_start(&mut self, i: usize, cmd: bool) -> Option<(usize, bool)> {
        let (end, value) = self.word_value(i);
        let raw = self.s.get(i..end).unwrap_or("");
        if raw.is_empty() {
            return None;
        }
        // `NAME=value`, `NAME+=value`, `NAME=(a b)`.
        let name_len = raw.bytes().take_while(|&b| is_name_byte(b)).count();
        // `export`, `declare -x`, `local`: the words after them are assignments too.
        if cmd && matches!(raw, "export" | "declare" | "local" | "readonly" | "typeset") {
            self.decl = true;
            self.copy(i, end);
            return Some((end, true));
        }
        if self.decl && raw.starts_with('-') {
            self.copy(i, end);
            return Some((end, true));
        }
        let cmd = cmd || self.decl;
        if cmd && is_name_start(self.at(i)) {
            let after = i + name_len;
            let (eq, plus) = match (self.at(after), self.at(after + 1)) {
                (b'=', _) => (after + 1, false),
                (b'+', b'=') => (after + 2, true),
                _ => (0, false),
            };
            if eq > 0 {
                let name = self.s.get(i..after).unwrap_or("").to_string();
                if self.at(eq) == b'(' {
                    self.array_assignment(&name, eq + 1);
                    return None;
                }
                let (vend, v) = self.word_at(eq);
                let v = match (plus, v) {
                    (true, Some(v)) => self.scalar(&name).map(|old| old + &v),
                    (_, v) => v,
                };
                let copied = match &v {
                    // The word as written, or its value in place of the uses it holds.
                    Some(value) if vend == end => {
                        if raw.contains('$') {
                            self.copy(i, eq);
                            let out = self.out();
                            out.push('\'');
                            out.push_str(&value.replace('\'', "'\\''"));
                            out.push('\'');
                            self.changed = true;
                        } else {
                            self.copy(i, end);
                        }
                        Some((end, true))
                    }
                    _ => None,
                };
                self.set(&name, v.map(Val::Scalar));
                return copied;
            }
        }
        if cmd {
            self.cmd_word = raw.rsplit('/').next().unwrap_or(raw);
            match raw {
                "for" | "select" => self.for_loop(end),
                "printf" => self.printf_v(end),
                "read" => self.read_herestring(end, false),
                "mapfile" | "readarray" => self.read_herestring(end, true),
                "set" => self.set_positional(end),
                "cd" | "pushd" => self.change_dir(end),
                _ => {}
            }
            return None;
        }
        // An operand relative to a directory the line changed to, written plainly (the
        // cheap tests first: the join judges the path it builds).
        let (Some(dir), Some(v)) = (self.cwd.as_deref(), value.as_deref()) else {
            return None;
        };
        if !raw
            .bytes()
            .all(|b| plain_byte(b) || matches!(b, b'*' | b'?' | b'[' | b']'))
        {
            return None;
        }
        let joined = joined(dir, v, REMOVERS.contains(&self.cmd_word))?;
        self.out().push_str(&joined);
        self.changed = true;
        Some((end, false))
    }

    /// Puts values in place of a use: in double quotes escaped, outside them as words.
    fn emit(&mut self, vals: &[String], spread: bool, double: bool) {
        self.changed = true;
        let out = self.out();
        for (j, v) in vals.iter().enumerate() {
            if j > 0 {
                out.push_str(if double && spread { "\" \"" } else { " " });
            }
            if double {
                for ch in v.chars() {
                    if matches!(ch, '"' | '\\' | '$' | '`') {
                        out.push('\\');
                    }
                    out.push(ch);
                }
            } else {
                let mut first = true;
                for piece in v.split_whitespace() {
                    if !first {
                        out.push(' ');
                    }
                    first = false;
                    if piece
                        .bytes()
                        .all(|b| plain_byte(b) || matches!(b, b'*' | b'?' | b'[' | b']'))
                    {
                        out.push_str(piece);
                    } else {
                        out.push('\'');
                        out.push_str(&piece.replace('\'', "'\\''"));
                        out.push('\'');
                    }
                }
            }
        }
    }
}

/// Bytes a path or a plain word is made of.
fn plain_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'/' | b'.' | b'_' | b'-' | b'+' | b',' | b':' | b'@' | b'%' | b'~' | b'='
        )
}

fn char_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// The operand `v` joined to the directory `dir`, when the join names what a literal path
/// would be judged for: a memory device, a secret, or everything under a directory whose
/// removal is destructive (`cd /; rm -rf *`).
fn joined(dir: &str, v: &str, removes: bool) -> Option<String> {
    // `dd if=dev/mem`, `dd of=sda`: the path after the key.
    if let Some((key @ ("if" | "of"), path)) = v.split_once('=') {
        return joined(dir, path, removes).map(|p| format!("{key}={p}"));
    }
    if v.is_empty() || v.starts_with(['/', '-', '~', '$']) || v.len() > 256 {
        return None;
    }
    let base = dir.trim_end_matches('/');
    let mut full = String::with_capacity(base.len() + 1 + v.len());
    full.push_str(base);
    full.push('/');
    full.push_str(v);
    // `dir` is in normal form (`change_dir` keeps it so), and so is the join when `v` has no
    // empty, `.` or `..` segment: normalising it again would copy it unchanged (issue 14;
    // `joins_answer_as_the_normalised_join_did`).
    let clean = || v.split('/').all(|seg| !matches!(seg, "" | "." | ".."));
    let full = if v.contains(['*', '?', '[']) || clean() {
        full
    } else {
        normalise(&full)
    };
    // Everything in the directory, or a directory right under the root for a program that
    // removes or takes over what it names.
    let top = full.starts_with('/') && full.matches('/').count() == 1 && full.len() > 1;
    let wanted = ["/dev/", "/proc/", "/sys/"]
        .iter()
        .any(|d| full.starts_with(d))
        || args::memory_device(&full)
        || args::secret_path(&full)
        || matches!(v, "*" | "." | "./*" | ".*" | "./")
        || removes && (top || dir == "~" || dir == "/");
    wanted.then_some(full)
}

#[cfg(test)]
#[path = "fill/tests.rs"]
mod tests;
