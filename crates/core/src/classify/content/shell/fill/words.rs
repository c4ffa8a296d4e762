//! Reading words and uses of values for [`super::Scan`]: a word's literal value, a `$…`
//! use's values, the output of `echo`/`printf` in `$(…)` or backquotes.

use std::borrow::Cow;

use super::commands::format;
use super::{MAX_VALUE, Scan, Val, char_len, is_meta, is_name_byte, is_name_start, plain_byte};

impl<'a> Scan<'a> {
    /// [`Scan::word_at`], with a word of plain bytes (no quote, escape, `$` or backquote)
    /// borrowed from the line: most words are, and copying each one cost the shell line
    /// about a tenth of the scan (issue 14; `plain_words_read_as_word_at_reads_them`).
    pub(super) fn word_value(&mut self, i: usize) -> (usize, Option<Cow<'a, str>>) {
        let rest = self.b.get(i..).unwrap_or(&[]);
        let len = rest
            .iter()
            .position(|&c| is_meta(c) || matches!(c, b'\\' | b'\'' | b'"' | b'$' | b'`'))
            .unwrap_or(rest.len());
        let end = i + len;
        if end == self.b.len() || is_meta(self.at(end)) {
            let word = self.s.get(i..end).filter(|w| w.len() <= MAX_VALUE);
            return (end, word.map(Cow::Borrowed));
        }
        let (end, v) = self.word_at(i);
        (end, v.map(Cow::Owned))
    }

    /// The end of the word at `i` and its value after quote removal, if it is a literal
    /// (uses of known values filled; `$(…)`, a backquote or an unknown name give none).
    pub(super) fn word_at(&mut self, mut i: usize) -> (usize, Option<String>) {
        let n = self.b.len();
        let mut v = Some(String::new());
        let push = |v: &mut Option<String>, t: &str| {
            if let Some(s) = v {
                if s.len() + t.len() > MAX_VALUE {
                    *v = None;
                } else {
                    s.push_str(t);
                }
            }
        };
        while i < n {
            let c = self.at(i);
            match c {
                _ if is_meta(c) => break,
                b'\\' => {
                    push(&mut v, self.s.get(i + 1..(i + 2).min(n)).unwrap_or(""));
                    i += 2;
                }
                b'\'' => {
                    let end = self
                        .b
                        .get(i + 1..)
                        .and_then(|r| r.iter().position(|&b| b == b'\''))
                        .map_or(n, |p| i + 1 + p);
                    push(&mut v, self.s.get(i + 1..end).unwrap_or(""));
                    i = end + 1;
                }
                b'$' if self.at(i + 1) == b'\'' => {
                    let mut j = i + 2;
                    while j < n && self.at(j) != b'\'' {
                        j += if self.at(j) == b'\\' { 2 } else { 1 };
                    }
                    let inner = self.s.get(i + 2..j.min(n)).unwrap_or("");
                    push(&mut v, &super::super::decode_escapes(inner));
                    i = j + 1;
                }
                b'"' => {
                    i += 1;
                    while i < n && self.at(i) != b'"' {
                        match self.at(i) {
                            b'\\' => {
                                let e = self.at(i + 1);
                                if matches!(e, b'$' | b'"' | b'\\' | b'`') {
                                    push(&mut v, self.s.get(i + 1..i + 2).unwrap_or(""));
                                } else {
                                    push(&mut v, self.s.get(i..(i + 2).min(n)).unwrap_or(""));
                                }
                                i += 2;
                            }
                            b'$' => match self.reference(i) {
                                Some((end, vals, _)) => {
                                    push(&mut v, &vals.join(" "));
                                    i = end;
                                }
                                None => {
                                    v = None;
                                    i += 1;
                                }
                            },
                            b'`' => match self.echoed(i + 1, b'`') {
                                Some((end, out)) => {
                                    push(&mut v, &out);
                                    i = end;
                                }
                                None => {
                                    v = None;
                                    i += 1;
                                }
                            },
                            c => {
                                let len = char_len(c);
                                push(&mut v, self.s.get(i..(i + len).min(n)).unwrap_or(""));
                                i += len;
                            }
                        }
                    }
                    i += 1;
                }
                b'$' => match self.reference(i) {
                    Some((end, vals, _)) => {
                        push(&mut v, &vals.join(" "));
                        i = end;
                    }
                    None => return (i, None),
                },
                b'`' => match self.echoed(i + 1, b'`') {
                    Some((end, out)) => {
                        push(&mut v, &out);
                        i = end;
                    }
                    None => return (i, None),
                },
                c => {
                    let len = char_len(c);
                    push(&mut v, self.s.get(i..(i + len).min(n)).unwrap_or(""));
                    i += len;
                }
            }
        }
        (i.min(n), v)
    }
    /// A use of a value at `i` (`$`): its end, its values, and whether it spreads into
    /// several words (`"${a[@]}"`, `"$@"`). `None` for anything not known.
    pub(super) fn reference(&mut self, i: usize) -> Option<(usize, Vec<String>, bool)> {
        let c = self.at(i + 1);
        if c == b'(' {
            return self
                .echoed(i + 2, b')')
                .map(|(end, v)| (end, vec![v], false));
        }
        let (name, index, default, end) = if c == b'{' {
            let close = self
                .b
                .get(i + 2..)?
                .iter()
                .take(512)
                .position(|&b| b == b'}')?
                + i
                + 2;
            let inner = self.s.get(i + 2..close)?;
            let name_len = inner.bytes().take_while(|&b| is_name_byte(b)).count();
            let (name, rest) =
                if name_len == 0 && matches!(inner.as_bytes().first(), Some(b'@' | b'*')) {
                    ("@", inner.get(1..)?)
                } else {
                    (inner.get(..name_len)?, inner.get(name_len..)?)
                };
            if name.is_empty() {
                return None;
            }
            let (index, rest) = match rest.strip_prefix('[') {
                Some(r) => {
                    let (idx, r) = r.split_once(']')?;
                    (Some(idx), r)
                }
                None => (None, rest),
            };
            let default = match rest {
                "" => None,
                r => Some(
                    r.strip_prefix(":-")
                        .or_else(|| r.strip_prefix('-'))
                        .or_else(|| r.strip_prefix(":="))
                        .filter(|d| d.bytes().all(plain_byte))?,
                ),
            };
            (name, index, default, close + 1)
        } else if c.is_ascii_digit() {
            (self.s.get(i + 1..i + 2)?, None, None, i + 2)
        } else if matches!(c, b'@' | b'*') {
            ("@", None, None, i + 2)
        } else if is_name_start(c) {
            let len = self
                .b
                .get(i + 1..)?
                .iter()
                .take_while(|&&b| is_name_byte(b))
                .count();
            (self.s.get(i + 1..i + 1 + len)?, None, None, i + 1 + len)
        } else {
            return None;
        };
        // `$1` is the first positional parameter; `[@]`, `[*]` and `$@` are all of them;
        // a plain name is the first element.
        let (name, index) = match name.parse::<usize>() {
            Ok(p) if p > 0 => ("@", Some(p - 1)),
            Ok(_) => return None,
            Err(_) => match index {
                Some("@" | "*") => (name, None),
                Some(x) => (name, Some(x.parse::<usize>().ok()?)),
                None if name == "@" => (name, None),
                None => (name, Some(0)),
            },
        };
        let spread = index.is_none();
        let found = self
            .vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone());
        let vals = match (found, index) {
            (Some(Val::Scalar(s)), Some(0)) => vec![s],
            (Some(Val::Array(a)), Some(x)) => vec![a.get(x)?.clone()],
            (Some(Val::Array(a)), None) => a,
            (Some(Val::Alts(a)), Some(0)) => {
                self.alts = self.alts.max(a.len());
                let len = a.len().max(1);
                vec![a.get(self.k % len)?.clone()]
            }
            (Some(Val::Over), _) => {
                self.over = true;
                return None;
            }
            (None, _) => vec![default?.to_string()],
            _ => return None,
        };
        // `${X:-…}` with no default and an array index on a scalar are settled above.
        let _ = (index, name);
        Some((end, vals, spread))
    }

    /// The output of `echo WORDS` or `printf FORMAT WORDS` of plain words from `from` to the
    /// closing byte (`$(echo mem)`, `` `echo mem` ``): the end after it, and the output.
    pub(super) fn echoed(&mut self, from: usize, close: u8) -> Option<(usize, String)> {
        let rest = self.b.get(from..)?;
        let len = rest.iter().take(512).position(|&b| b == close)?;
        let inner = self.s.get(from..from + len)?.trim();
        if inner.contains(['$', '`', '(', ')', '"', '\\', ';', '&', '|', '<', '>', '\n']) {
            return None;
        }
        let words: Vec<String> = inner
            .split_whitespace()
            .map(|w| w.trim_matches('\'').to_string())
            .collect();
        let (prog, args) = words.split_first()?;
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = match prog.as_str() {
            "echo" => {
                let args = match args.split_first() {
                    Some((&"-n", rest)) => rest,
                    _ => &args[..],
                };
                args.join(" ")
            }
            "printf" => {
                let (fmt, args) = args.split_first()?;
                format(fmt, args)?
            }
            _ => return None,
        };
        Some((from + len + 1, out))
    }
}
