//! What assigns a value or changes the directory, for [`super::Scan`] (the twenty-seventh
//! sets): `for`, `printf -v`, `read`/`mapfile <<<`, `set --`, `cd`/`pushd`, arrays.

use super::{MAX_ITEMS, MAX_VALUE, MAX_VARS, Scan, Val, is_meta, is_name_byte, plain_byte};

impl Scan<'_> {
    /// Skips blanks (not newlines) from `i`.
    pub(super) fn blanks(&self, mut i: usize) -> usize {
        while matches!(self.at(i), b' ' | b'\t') {
            i += 1;
        }
        i
    }

    /// The literal words of a command from `i` to its end (`;`, `&`, `|`, a newline, `)`),
    /// `None` for a word that is not literal; stops before a redirection.
    pub(super) fn words(&mut self, mut i: usize) -> (usize, Vec<Option<String>>) {
        let mut out = Vec::new();
        loop {
            i = self.blanks(i);
            let c = self.at(i);
            if i >= self.b.len() || is_meta(c) || out.len() >= MAX_ITEMS {
                return (i, out);
            }
            let (end, v) = self.word_at(i);
            if end <= i {
                out.push(None);
                return (i, out);
            }
            out.push(v);
            i = end;
        }
    }

    pub(super) fn array_assignment(&mut self, name: &str, from: usize) {
        let mut i = from;
        let mut items = Vec::new();
        loop {
            while matches!(self.at(i), b' ' | b'\t' | b'\n') {
                i += 1;
            }
            if self.at(i) == b')' {
                break;
            }
            let (end, v) = self.word_at(i);
            match v {
                Some(_) if end > i && items.len() >= MAX_ITEMS => {
                    self.set(name, Some(Val::Over));
                    return;
                }
                Some(v) if end > i => items.push(v),
                _ => {
                    self.set(name, None);
                    return;
                }
            }
            i = end;
        }
        self.set(name, Some(Val::Array(items)));
    }

    pub(super) fn for_loop(&mut self, from: usize) {
        let (_, words) = self.words(from);
        let [Some(name), Some(kw), items @ ..] = words.as_slice() else {
            return;
        };
        let name = name.clone();
        if kw != "in" || !name.bytes().all(is_name_byte) {
            return;
        }
        let items: Option<Vec<String>> = items.iter().cloned().collect();
        match items {
            Some(v) if v.len() >= MAX_ITEMS => self.set(&name, Some(Val::Over)),
            Some(v) if v.len() == 1 => {
                let v = v.into_iter().next().unwrap_or_default();
                self.set(&name, Some(Val::Scalar(v)));
            }
            Some(v) if !v.is_empty() => self.set(&name, Some(Val::Alts(v))),
            _ => self.set(&name, None),
        }
    }

    /// `printf -v NAME FORMAT ARGS…`
    pub(super) fn printf_v(&mut self, from: usize) {
        let (_, words) = self.words(from);
        let mut w = words.iter();
        if w.next() != Some(&Some("-v".to_string())) {
            return;
        }
        let Some(Some(name)) = w.next() else {
            return;
        };
        let name = name.clone();
        let mut rest: Vec<&Option<String>> = w.collect();
        if rest.first().is_some_and(|f| f.as_deref() == Some("--")) {
            rest.remove(0);
        }
        let Some(args): Option<Vec<&str>> = rest.iter().map(|o| o.as_deref()).collect() else {
            self.set(&name, None);
            return;
        };
        let value = args.split_first().and_then(|(fmt, args)| format(fmt, args));
        self.set(&name, value.map(Val::Scalar));
    }

    /// `read [-r] NAME <<< WORD`, `mapfile -t NAME <<< WORD`.
    pub(super) fn read_herestring(&mut self, from: usize, lines: bool) {
        let (end, words) = self.words(from);
        let mut names = Vec::new();
        let mut array = lines;
        let mut skip = false;
        for w in &words {
            let Some(w) = w else { return };
            if skip {
                skip = false;
            } else if w == "-a" {
                array = true;
            } else if w.starts_with('-') {
                skip = matches!(w.as_str(), "-d" | "-p" | "-n" | "-N" | "-t" | "-u" | "-i")
                    && !lines
                    || lines
                        && matches!(w.as_str(), "-d" | "-n" | "-O" | "-s" | "-u" | "-C" | "-c");
            } else if w.bytes().all(is_name_byte) {
                names.push(w.clone());
            }
        }
        let i = self.blanks(end);
        if self.s.get(i..i + 3) != Some("<<<") {
            for n in &names {
                self.set(n, None);
            }
            return;
        }
        let i = self.blanks(i + 3);
        let (_, value) = self.word_at(i);
        let default = if lines { "MAPFILE" } else { "REPLY" };
        let name = names
            .first()
            .cloned()
            .unwrap_or_else(|| default.to_string());
        let Some(value) = value else {
            self.set(&name, None);
            return;
        };
        let items: Vec<String> = if lines {
            value
                .lines()
                .take(MAX_ITEMS + 1)
                .map(str::to_string)
                .collect()
        } else {
            value
                .split_whitespace()
                .take(MAX_ITEMS + 1)
                .map(str::to_string)
                .collect()
        };
        if (lines || array) && items.len() > MAX_ITEMS {
            self.set(&name, Some(Val::Over));
        } else if lines || array {
            self.set(&name, Some(Val::Array(items)));
        } else if names.len() <= 1 {
            self.set(&name, Some(Val::Scalar(value.trim().to_string())));
        } else {
            // Each name takes a field, the last the rest.
            let mut rest = value.trim();
            for (j, n) in names.iter().enumerate() {
                let (field, more) = if j + 1 == names.len() {
                    (rest, "")
                } else {
                    rest.split_once([' ', '\t']).unwrap_or((rest, ""))
                };
                self.set(n, Some(Val::Scalar(field.to_string())));
                rest = more.trim_start();
            }
        }
    }

    /// `set -- a b c`: the positional parameters.
    pub(super) fn set_positional(&mut self, from: usize) {
        let (_, words) = self.words(from);
        if words.first() != Some(&Some("--".to_string())) {
            return;
        }
        let items: Option<Vec<String>> = words.into_iter().skip(1).collect();
        let val = items.map(|v| {
            if v.len() + 1 >= MAX_ITEMS {
                Val::Over
            } else {
                Val::Array(v)
            }
        });
        self.set("@", val);
    }

    /// `cd DIR`, `pushd DIR`: the directory, when it is a literal absolute path or under `~`.
    pub(super) fn change_dir(&mut self, from: usize) {
        let (_, words) = self.words(from);
        let dir = match words.as_slice() {
            [Some(d)] | [Some(_), Some(d)] if d != "-" => Some(d.clone()),
            _ => None,
        };
        self.cwd = match (dir, self.cwd.take()) {
            (Some(d), _) if d.starts_with('/') || d == "~" || d.starts_with("~/") => {
                Some(normalise(&d))
            }
            (Some(d), Some(old)) if !d.starts_with('-') && d.bytes().all(plain_byte) => {
                Some(normalise(&format!("{old}/{d}")))
            }
            _ => None,
        };
    }

    pub(super) fn scalar(&self, name: &str) -> Option<String> {
        match self
            .vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
        {
            Some(Val::Scalar(s)) => Some(s.clone()),
            _ => None,
        }
    }

    pub(super) fn set(&mut self, name: &str, v: Option<Val>) {
        self.vars.retain(|(n, _)| n != name);
        if let Some(v) = v
            && self.vars.len() < MAX_VARS
        {
            self.vars.push((name.to_string(), v));
        }
    }
}

/// `printf`'s format with `%s` filled from `args` (the format repeats while arguments are
/// left); `None` for any other directive.
pub(super) fn format(fmt: &str, args: &[&str]) -> Option<String> {
    let fmt = super::super::decode_escapes(fmt);
    let mut out = String::new();
    let mut args = args.iter();
    let mut used_any = false;
    for _ in 0..MAX_ITEMS {
        let mut chars = fmt.chars();
        let mut used = false;
        while let Some(c) = chars.next() {
            if c != '%' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('%') => out.push('%'),
                Some('s') => {
                    out.push_str(args.next().copied().unwrap_or(""));
                    used = true;
                }
                _ => return None,
            }
        }
        used_any |= used;
        if !used || args.len() == 0 || out.len() > MAX_VALUE {
            break;
        }
    }
    let _ = used_any;
    (out.len() <= MAX_VALUE).then_some(out)
}

/// `~/x/../y` and `/a/./b/` made plain (`..` above the root stays at the root).
pub(super) fn normalise(p: &str) -> String {
    let (root, rest) = match p.strip_prefix('~') {
        Some(r) => ("~", r),
        None => ("", p),
    };
    let mut parts: Vec<&str> = Vec::new();
    for seg in rest.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    let mut out = String::from(root);
    for s in &parts {
        out.push('/');
        out.push_str(s);
    }
    if out.is_empty() || out == "~" {
        out.push('/');
    }
    out
}
