//! A small tokenizer for interpreter snippets (Python, JavaScript, Ruby, Perl, PHP, Go). It
//! separates names from string literals and comments, so a name inside a string or a comment
//! is not a call, and it marks the constructs that run code hidden in a literal: f-strings
//! and interpolation (`f'{x()}'`, `` `${x()}` ``, `"#{x}"`, `"@{[x]}"`, `"{$x->y()}"`),
//! backticks and `%x{}`/`qx{}` (commands), Perl `s///e` and `(?{ })` regexes. `clean` is false
//! when the text holds something the tokenizer does not follow (an unclosed literal, a
//! here-document, unbalanced brackets): such code is never proven read.

/// The language of a snippet.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Lang {
    Python,
    Js,
    Ruby,
    Perl,
    Php,
    Go,
    Other,
}

impl Lang {
    /// The language a name gives (`python3`, `node`, `deno`, `rb`, …).
    pub(crate) fn of(name: &str) -> Lang {
        match name {
            "python" | "python3" | "py" | "ipython" => Lang::Python,
            "js" | "javascript" | "node" | "nodejs" | "deno" | "bun" | "ts" | "typescript" => {
                Lang::Js
            }
            "ruby" | "rb" => Lang::Ruby,
            "perl" | "pl" => Lang::Perl,
            "php" => Lang::Php,
            "go" | "golang" => Lang::Go,
            _ => Lang::Other,
        }
    }
}

/// One token.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Tok {
    /// A name or keyword.
    Ident(String),
    /// A sigiled variable (`$x`, `@a`, `%h`, `@ivar`); the sigil alone for `${ }`/`@{ }`.
    Var(String),
    /// A string literal (a Ruby symbol too); `code` when it interpolates code.
    Str {
        text: String,
        code: bool,
    },
    /// A regex or substitution literal; `code` when it runs code (`s///e`, `(?{ })`).
    Regex {
        code: bool,
    },
    /// A command run by backticks, `%x{}` or `qx{}`.
    Exec(String),
    /// A number; true when it is zero.
    Num(bool),
    /// `.`, `::`, `->`, `?.` and PHP's `\` namespace separator.
    Dot,
    Punct(char),
}

/// Tokens with their line numbers, and the index of each bracket's partner.
pub(crate) struct Lexed {
    pub(crate) toks: Vec<Tok>,
    pub(crate) lines: Vec<u32>,
    /// For `(`, `[`, `{`: the index of the closing bracket.
    pub(crate) close: Vec<Option<usize>>,
    pub(crate) clean: bool,
    /// Character ranges of quoted string contents and comments.
    pub(crate) spans: Vec<(usize, usize)>,
}

impl Lexed {
    pub(crate) fn get(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i)
    }
    pub(crate) fn ident(&self, i: usize) -> Option<&str> {
        match self.toks.get(i) {
            Some(Tok::Ident(s)) => Some(s),
            _ => None,
        }
    }
    pub(crate) fn is(&self, i: usize, c: char) -> bool {
        self.toks.get(i) == Some(&Tok::Punct(c))
    }
    pub(crate) fn line(&self, i: usize) -> u32 {
        self.lines.get(i).copied().unwrap_or(0)
    }
    pub(crate) fn partner(&self, i: usize) -> Option<usize> {
        self.close.get(i).copied().flatten()
    }
}

struct Lexer<'a> {
    c: &'a [char],
    i: usize,
    line: u32,
    lang: Lang,
    out: Lexed,
}

const MAX_TOKENS: usize = 20_000;

/// Tokenizes `code` in `lang`.
pub(crate) fn lex(lang: Lang, code: &str) -> Lexed {
    let chars: Vec<char> = code.chars().collect();
    let mut lx = Lexer {
        c: &chars,
        i: 0,
        line: 0,
        lang,
        out: Lexed {
            toks: Vec::new(),
            lines: Vec::new(),
            close: Vec::new(),
            clean: true,
            spans: Vec::new(),
        },
    };
    lx.run();
    let mut out = lx.out;
    match_brackets(&mut out);
    out
}

fn match_brackets(out: &mut Lexed) {
    out.close = vec![None; out.toks.len()];
    let mut stack: Vec<(usize, char)> = Vec::new();
    for (i, t) in out.toks.iter().enumerate() {
        match t {
            Tok::Punct(c @ ('(' | '[' | '{')) => stack.push((i, *c)),
            Tok::Punct(c @ (')' | ']' | '}')) => {
                let want = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                match stack.pop() {
                    Some((j, o)) if o == want => {
                        if let Some(slot) = out.close.get_mut(j) {
                            *slot = Some(i);
                        }
                    }
                    _ => out.clean = false,
                }
            }
            _ => {}
        }
    }
    if !stack.is_empty() {
        out.clean = false;
    }
}

fn ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

impl Lexer<'_> {
    fn at(&self, k: usize) -> Option<char> {
        self.c.get(self.i + k).copied()
    }

    fn push(&mut self, t: Tok) {
        if self.out.toks.len() >= MAX_TOKENS {
            self.out.clean = false;
            return;
        }
        self.out.toks.push(t);
        self.out.lines.push(self.line);
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.at(0)?;
        if c == '\n' {
            self.line += 1;
        }
        self.i += 1;
        Some(c)
    }

    /// True if the previous token ends a value (so `/` divides and `%` is modulo).
    fn after_value(&self) -> bool {
        match self.out.toks.last() {
            None => false,
            Some(Tok::Ident(w)) => {
                !matches!(
                    w.as_str(),
                    "return"
                        | "typeof"
                        | "if"
                        | "unless"
                        | "and"
                        | "or"
                        | "not"
                        | "split"
                        | "grep"
                        | "when"
                        | "while"
                        | "until"
                        | "print"
                        | "puts"
                        | "case"
                        | "in"
                        | "of"
                        | "yield"
                        | "await"
                        | "void"
                        | "delete"
                        | "do"
                        | "else"
                        | "map"
                        | "join"
                        | "push"
                        | "scan"
                        | "match"
                        | "sub"
                        | "gsub"
                ) && !(self.lang == Lang::Perl)
            }
            Some(
                Tok::Var(_) | Tok::Str { .. } | Tok::Num(_) | Tok::Regex { .. } | Tok::Exec(_),
            ) => true,
            Some(Tok::Punct(c)) => matches!(c, ')' | ']' | '}'),
            Some(Tok::Dot) => false,
        }
    }

    fn run(&mut self) {
        while let Some(c) = self.at(0) {
            if c.is_whitespace() {
                self.bump();
                continue;
            }
            if self.comment() {
                continue;
            }
            if self.lang == Lang::Php && c == '<' && self.starts("<?php") {
                self.i += 5;
                continue;
            }
            if self.lang == Lang::Php && c == '?' && self.at(1) == Some('>') {
                self.i += 2;
                continue;
            }
            if c == '<' && self.at(1) == Some('<') && self.heredoc() {
                continue;
            }
            if matches!(self.lang, Lang::Perl | Lang::Ruby)
                && (self.starts("__END__") || self.starts("__DATA__"))
            {
                self.i = self.c.len();
                break;
            }
            if ident_start(c) || (c == '$' && self.lang == Lang::Js) {
                self.word();
                continue;
            }
            if c.is_ascii_digit() {
                self.number();
                continue;
            }
            if matches!(c, '\'' | '"' | '`') {
                // Python has no backtick (a syntax error since Python 3): text that holds one
                // is not Python as written, but a model's reply around it (```` ```python ````
                // fences an executor strips; the twenty-second sets). It was lexed as a quote,
                // so a fenced `os.system(…)` was a string, and read.
                if c == '`' && self.lang == Lang::Python {
                    self.out.clean = false;
                }
                // A template after a value calls it (`x[k]\`…\``): a computed call.
                let tagged = c == '`'
                    && self.lang == Lang::Js
                    && matches!(
                        self.out.toks.last(),
                        Some(Tok::Punct(']' | ')') | Tok::Str { .. })
                    );
                if tagged {
                    self.push(Tok::Punct('('));
                }
                self.quoted(c, false);
                if tagged {
                    self.push(Tok::Punct(')'));
                }
                continue;
            }
            if self.sigil(c) {
                continue;
            }
            if c == '/'
                && matches!(self.lang, Lang::Js | Lang::Ruby | Lang::Perl)
                && !self.after_value()
            {
                self.bump();
                let code = self.regex_body('/');
                self.flags();
                self.push(Tok::Regex { code });
                continue;
            }
            if c == '%' && self.lang == Lang::Ruby && self.percent() {
                continue;
            }
            if c == ':' && self.at(1) == Some(':') {
                self.i += 2;
                self.push(Tok::Dot);
                continue;
            }
            if c == '-' && self.at(1) == Some('>') && self.lang != Lang::Js {
                self.i += 2;
                self.push(Tok::Dot);
                continue;
            }
            if c == '?' && self.at(1) == Some('.') && self.lang == Lang::Js {
                self.i += 2;
                self.push(Tok::Dot);
                continue;
            }
            if c == '\\' && self.lang == Lang::Php && self.at(1).is_some_and(ident_start) {
                self.i += 1;
                self.push(Tok::Dot);
                continue;
            }
            if c == ':' && self.lang == Lang::Ruby && self.at(1).is_some_and(ident_start) {
                let prev = self.i.checked_sub(1).and_then(|p| self.c.get(p).copied());
                if !prev.is_some_and(ident_char) {
                    self.bump();
                    let text = self.take_ident();
                    self.push(Tok::Str { text, code: false });
                    continue;
                }
            }
            self.bump();
            self.push(if c == '.' { Tok::Dot } else { Tok::Punct(c) });
        }
    }

    fn starts(&self, s: &str) -> bool {
        s.chars().enumerate().all(|(k, ch)| self.at(k) == Some(ch))
    }

    fn comment(&mut self) -> bool {
        let c = self.at(0);
        let hash = matches!(
            self.lang,
            Lang::Python | Lang::Ruby | Lang::Perl | Lang::Php | Lang::Other
        );
        let slashes = matches!(self.lang, Lang::Js | Lang::Go | Lang::Php | Lang::Other);
        let line =
            (hash && c == Some('#') && !(self.lang == Lang::Other && self.at(1) == Some('{')))
                || (slashes && c == Some('/') && self.at(1) == Some('/'));
        if line {
            let start = self.i;
            while self.at(0).is_some_and(|c| c != '\n') {
                self.i += 1;
            }
            self.out.spans.push((start, self.i));
            return true;
        }
        if slashes && c == Some('/') && self.at(1) == Some('*') {
            let start = self.i;
            self.i += 2;
            while self.at(0).is_some() && !self.starts("*/") {
                self.bump();
            }
            if self.at(0).is_none() {
                self.out.clean = false;
            }
            self.i += 2;
            self.out.spans.push((start, self.i.min(self.c.len())));
            return true;
        }
        let line_start = self.i == 0 || self.c.get(self.i - 1) == Some(&'\n');
        if self.lang == Lang::Ruby && line_start && self.starts("=begin") {
            while self.at(0).is_some()
                && !(self.at(0) == Some('\n')
                    && self.c.get(self.i + 1..self.i + 5) == Some(&['=', 'e', 'n', 'd'][..]))
            {
                self.bump();
            }
            self.i += 5;
            return true;
        }
        if self.lang == Lang::Perl
            && line_start
            && c == Some('=')
            && self.at(1).is_some_and(char::is_alphabetic)
        {
            // POD: to `=cut`.
            while self.at(0).is_some()
                && !(self.at(0) == Some('\n')
                    && self.c.get(self.i + 1..self.i + 5) == Some(&['=', 'c', 'u', 't'][..]))
            {
                self.bump();
            }
            self.i += 5;
            return true;
        }
        false
    }

    /// `<<EOF`, `<<~EOS`, `<<<EOT`: not followed; the rest is still tokenized.
    fn heredoc(&mut self) -> bool {
        let mut k = 2;
        if self.at(k) == Some('<') && self.lang == Lang::Php {
            k += 1;
        }
        if matches!(self.at(k), Some('~' | '-')) && self.lang != Lang::Php {
            k += 1;
        }
        let starts = match self.at(k) {
            Some('\'' | '"') => true,
            Some(ch) => ch.is_ascii_uppercase(),
            None => false,
        };
        let here = matches!(self.lang, Lang::Ruby | Lang::Perl | Lang::Php | Lang::Other) && starts;
        if here {
            self.out.clean = false;
        }
        false
    }

    fn take_ident(&mut self) -> String {
        let mut s = String::new();
        while let Some(c) = self.at(0) {
            if ident_char(c) || (c == '$' && self.lang == Lang::Js) {
                s.push(c);
                self.i += 1;
            } else {
                break;
            }
        }
        if self.lang == Lang::Ruby
            && matches!(self.at(0), Some('?' | '!'))
            && self.at(1) != Some('=')
            && !self.at(1).is_some_and(ident_char)
            && let Some(c) = self.bump()
        {
            s.push(c);
        }
        s
    }

    fn word(&mut self) {
        let start = self.i;
        let w = self.take_ident();
        // String prefixes (`f'…'`, `rb"…"`).
        if self.lang == Lang::Python
            && w.len() <= 2
            && w.chars().all(|c| "rRbBuUfF".contains(c))
            && matches!(self.at(0), Some('\'' | '"'))
        {
            let raw = w.contains(['r', 'R']);
            let f = w.contains(['f', 'F']);
            if let Some(q) = self.at(0) {
                self.quoted_py(q, raw, f);
            }
            return;
        }
        if self.lang == Lang::Perl && self.perl_quote(&w) {
            return;
        }
        let _ = start;
        // A tagged template (`String.raw\`…\``) calls its tag.
        self.push(Tok::Ident(w));
        if self.lang == Lang::Js && self.at(0) == Some('`') {
            self.push(Tok::Punct('('));
            self.quoted('`', false);
            self.push(Tok::Punct(')'));
        }
    }

    fn number(&mut self) {
        let start = self.i;
        while let Some(c) = self.at(0) {
            if ident_char(c) || (c == '.' && self.at(1).is_some_and(|d| d.is_ascii_digit())) {
                self.i += 1;
            } else {
                break;
            }
        }
        let zero = self
            .c
            .get(start..self.i)
            .is_some_and(|d| !d.is_empty() && d.iter().all(|&c| c == '0' || c == '.'));
        self.push(Tok::Num(zero));
    }

    fn sigil(&mut self, c: char) -> bool {
        let lang = self.lang;
        let next = self.at(1);
        let var = match (lang, c) {
            (Lang::Php, '$') => next.is_some_and(|n| ident_start(n) || n == '{' || n == '$'),
            (Lang::Ruby, '$') => next.is_some(),
            (Lang::Ruby, '@') => next.is_some_and(|n| ident_start(n) || n == '@'),
            (Lang::Perl, '$') => next.is_some(),
            (Lang::Perl, '@') => {
                next.is_some_and(|n| ident_start(n) || matches!(n, '{' | '$' | '_' | ':'))
            }
            (Lang::Perl, '%') => {
                !self.after_value()
                    && next.is_some_and(|n| ident_start(n) || matches!(n, '{' | '$' | '+' | '-'))
            }
            (Lang::Perl, '&') => !self.after_value() && next.is_some_and(|n| n == '$' || n == '{'),
            _ => false,
        };
        if !var {
            return false;
        }
        self.bump();
        let mut name = c.to_string();
        if lang == Lang::Ruby && c == '@' && self.at(0) == Some('@') {
            self.bump();
        }
        match self.at(0) {
            Some(n) if ident_start(n) => name.push_str(&self.take_ident()),
            Some('{' | '$') => {}
            Some(n) if c != '@' && !n.is_whitespace() && !n.is_ascii_digit() => {
                // `$_`, `$.`, `$0`, `$/`, `$$`.
                self.bump();
                name.push(n);
            }
            Some(n) if n.is_ascii_digit() => {
                self.bump();
                name.push(n);
            }
            _ => {}
        }
        self.push(Tok::Var(name));
        true
    }

    /// Skips a regex body up to the closing `end`; true if it embeds code (`(?{ })`).
    fn regex_body(&mut self, end: char) -> bool {
        let open = match end {
            ')' => Some('('),
            ']' => Some('['),
            '}' => Some('{'),
            '>' => Some('<'),
            _ => None,
        };
        let mut depth = 0usize;
        let mut class = false;
        let mut code = false;
        loop {
            let Some(c) = self.bump() else {
                self.out.clean = false;
                return true;
            };
            match c {
                '\\' => {
                    self.bump();
                }
                '[' if end != ']' => class = true,
                ']' if class => class = false,
                '(' if self.at(0) == Some('?')
                    && (self.at(1) == Some('{') || self.starts("??{")) =>
                {
                    code = true;
                }
                _ if Some(c) == open => depth += 1,
                _ if c == end && !class => {
                    if depth == 0 {
                        return code;
                    }
                    depth -= 1;
                }
                '\n' if end == '/' && self.lang == Lang::Js => {
                    self.out.clean = false;
                    return code;
                }
                _ => {}
            }
        }
    }

    /// Regex modifiers; true if they include `e` (evaluate the replacement).
    fn flags(&mut self) -> bool {
        let mut e = false;
        while let Some(c) = self.at(0).filter(|c| c.is_ascii_alphabetic()) {
            e |= c == 'e';
            self.i += 1;
        }
        e
    }

    fn closing(open: char) -> char {
        match open {
            '(' => ')',
            '[' => ']',
            '{' => '}',
            '<' => '>',
            other => other,
        }
    }

    /// Perl quote-like operators: `q{}`, `qq{}`, `qw()`, `qx{}`, `m//`, `qr//`, `s///`,
    /// `tr///`, `y///`.
    fn perl_quote(&mut self, w: &str) -> bool {
        if !matches!(w, "q" | "qq" | "qw" | "qx" | "m" | "qr" | "s" | "tr" | "y") {
            return false;
        }
        if matches!(self.out.toks.last(), Some(Tok::Dot)) {
            return false;
        }
        let mut k = 0;
        while self.at(k).is_some_and(|c| c == ' ') {
            k += 1;
        }
        let Some(d) = self.at(k) else { return false };
        if ident_char(d)
            || d.is_whitespace()
            || matches!(d, '=' | ',' | ';' | ')')
            || (k > 0 && d == '#')
        {
            return false;
        }
        if self.at(k + 1) == Some('>') && d == '=' {
            return false;
        }
        self.i += k + 1;
        let end = Self::closing(d);
        let start = self.i;
        let mut code = self.regex_body(end);
        let body: String = self
            .c
            .get(start..self.i.saturating_sub(1))
            .unwrap_or_default()
            .iter()
            .collect();
        if matches!(w, "s" | "tr" | "y") {
            if end != d {
                while self.at(0).is_some_and(char::is_whitespace) {
                    self.bump();
                }
                let Some(d2) = self.bump() else {
                    self.out.clean = false;
                    return true;
                };
                let _ = self.regex_body(Self::closing(d2));
            } else {
                let _ = self.regex_body(end);
            }
            code |= self.flags() && w == "s";
            self.push(Tok::Regex { code });
            return true;
        }
        match w {
            "qx" => self.push(Tok::Exec(body)),
            "m" | "qr" => {
                self.flags();
                self.push(Tok::Regex { code });
            }
            _ => {
                let code = w == "qq" && interpolates_code(Lang::Perl, &body);
                self.push(Tok::Str { text: body, code });
            }
        }
        true
    }

    /// Ruby `%w[]`, `%i[]`, `%q()`, `%Q()`, `%()`, `%r{}`, `%x()`.
    fn percent(&mut self) -> bool {
        let (kind, k) = match self.at(1) {
            Some(t @ ('w' | 'W' | 'i' | 'I' | 'q' | 'Q' | 'r' | 'x' | 's')) => (Some(t), 2),
            _ => (None, 1),
        };
        let Some(d) = self.at(k) else { return false };
        if !matches!(d, '(' | '[' | '{' | '<' | '|' | '!' | '/') {
            return false;
        }
        if kind.is_none() && self.after_value() {
            return false;
        }
        self.i += k + 1;
        let start = self.i;
        let code = self.regex_body(Self::closing(d));
        let body: String = self
            .c
            .get(start..self.i.saturating_sub(1))
            .unwrap_or_default()
            .iter()
            .collect();
        match kind {
            Some('x') => self.push(Tok::Exec(body)),
            Some('r') => {
                self.flags();
                self.push(Tok::Regex { code });
            }
            Some('w' | 'i' | 'q' | 's') => self.push(Tok::Str {
                text: body,
                code: false,
            }),
            _ => {
                let code = interpolates_code(Lang::Ruby, &body);
                self.push(Tok::Str { text: body, code });
            }
        }
        true
    }

    fn quoted_py(&mut self, q: char, raw: bool, f: bool) {
        let triple = self.at(1) == Some(q) && self.at(2) == Some(q);
        self.i += if triple { 3 } else { 1 };
        let start = self.i;
        let mut text = String::new();
        loop {
            let Some(c) = self.bump() else {
                self.out.clean = false;
                break;
            };
            if c == '\\' {
                let Some(n) = self.bump() else { continue };
                if raw {
                    text.push('\\');
                    text.push(n);
                } else {
                    text.push(escape(n));
                }
                continue;
            }
            if c == q && (!triple || (self.at(0) == Some(q) && self.at(1) == Some(q))) {
                if triple {
                    self.i += 2;
                }
                break;
            }
            if c == '\n' && !triple {
                self.out.clean = false;
                break;
            }
            text.push(c);
        }
        let code = f && text.replace("{{", "").contains('{');
        if !code {
            self.out.spans.push((start, self.i.saturating_sub(1)));
        }
        self.push(Tok::Str { text, code });
    }

    fn quoted(&mut self, q: char, _raw: bool) {
        if self.lang == Lang::Python {
            self.quoted_py(q, false, false);
            return;
        }
        self.bump();
        let single = q == '\'' && matches!(self.lang, Lang::Ruby | Lang::Perl | Lang::Php);
        let raw_go = q == '`' && self.lang == Lang::Go;
        let start = self.i;
        let mut text = String::new();
        loop {
            let Some(c) = self.bump() else {
                self.out.clean = false;
                break;
            };
            if c == '\\' && !raw_go {
                let Some(n) = self.bump() else { continue };
                if single && n != q && n != '\\' {
                    text.push('\\');
                    text.push(n);
                } else {
                    text.push(escape(n));
                }
                continue;
            }
            if c == q {
                break;
            }
            text.push(c);
        }
        if q != '`' {
            self.out.spans.push((start, self.i.saturating_sub(1)));
        }
        let tok = match (self.lang, q) {
            (Lang::Ruby | Lang::Perl | Lang::Php, '`') => Tok::Exec(text),
            (Lang::Js, '`') => {
                let code = text.contains("${");
                Tok::Str { text, code }
            }
            (lang, '"') => {
                let code = interpolates_code(lang, &text);
                Tok::Str { text, code }
            }
            _ => Tok::Str { text, code: false },
        };
        self.push(tok);
    }
}

fn escape(n: char) -> char {
    match n {
        'n' => '\n',
        't' => '\t',
        other => other,
    }
}

/// True if a double-quoted string of `lang` evaluates code when built.
fn interpolates_code(lang: Lang, text: &str) -> bool {
    match lang {
        Lang::Ruby => text.contains("#{"),
        Lang::Perl => text.contains("@{") || text.contains("${") || text.contains("->"),
        Lang::Php => text.contains("{$") || text.contains("${") || text.contains("->"),
        _ => false,
    }
}

/// `code` with the contents of its quoted strings and comments blanked out.
pub(crate) fn blank(code: &str, lx: &Lexed) -> String {
    if lx.spans.is_empty() {
        return code.to_string();
    }
    let mut out: Vec<char> = code.chars().collect();
    for &(s, e) in &lx.spans {
        for c in out.get_mut(s..e).unwrap_or_default() {
            if *c != '\n' {
                *c = ' ';
            }
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
#[path = "lex_tests.rs"]
mod tests;
