//! More loop conditions with one outcome (the twenty-sixth sets): arithmetic of literals
//! (`(( 1 == 1 ))`, `let 1`, `let '2>1'`), file tests of paths that always exist
//! (`[ -d / ]`, `test -e /dev/null`) and commands that always succeed (`date`, `pwd`,
//! `echo x`), so `while date; do …; done` never ends.

/// The outcome of `c` if it is an arithmetic test of literals only (`(( 1 == 1 ))`,
/// `let 1`). `None` for a variable, an assignment or anything not understood.
pub(super) fn arithmetic_outcome(c: &str) -> Option<bool> {
    let expr = c
        .strip_prefix("((")
        .and_then(|r| r.strip_suffix("))"))
        .or_else(|| c.strip_prefix("let "))?;
    let expr = expr.trim();
    let expr = expr
        .strip_prefix('\'')
        .and_then(|r| r.strip_suffix('\''))
        .or_else(|| expr.strip_prefix('"').and_then(|r| r.strip_suffix('"')))
        .unwrap_or(expr);
    // Short and of digits and operators only: no name, no assignment (`=` alone), no
    // expansion. The length bounds the parser's recursion.
    if expr.len() > 96
        || !expr
            .bytes()
            .all(|b| b.is_ascii_digit() || b" ()=!<>+-*/%&|".contains(&b))
    {
        return None;
    }
    let tokens = tokens(expr)?;
    let mut p = Parser { tokens, at: 0 };
    let v = p.or()?;
    (p.at == p.tokens.len()).then_some(v != 0)
}

/// True if `c` is a test of a path that always exists (`[ -d / ]`, `[[ -e /dev/null ]]`,
/// `test -d .`).
pub(super) fn path_always_exists(c: &str) -> bool {
    let inner = c
        .strip_prefix("[[")
        .and_then(|r| r.strip_suffix("]]"))
        .or_else(|| c.strip_prefix('[').and_then(|r| r.strip_suffix(']')))
        .or_else(|| c.strip_prefix("test "));
    let Some(inner) = inner else {
        return false;
    };
    let words: Vec<&str> = inner.split_whitespace().take(3).collect();
    let [op, path] = words.as_slice() else {
        return false;
    };
    let path = path.trim_matches(['"', '\'']);
    let dir = matches!(
        path,
        "/" | "." | "/etc" | "/usr" | "/tmp" | "/dev" | "/proc" | "/bin"
    );
    // Files every Unix system has (the twenty-seventh sets: `[ -f /etc/passwd ]`).
    let file = matches!(path, "/etc/passwd" | "/etc/group" | "/bin/sh");
    match *op {
        "-d" => dir,
        "-e" | "-r" => dir || file || path == "/dev/null",
        "-x" => dir || path == "/bin/sh",
        "-f" | "-s" => file,
        "-c" | "-w" => path == "/dev/null",
        _ => false,
    }
}

/// True if `c` is a command that always succeeds (`date`, `pwd`, `uname -a`, `echo x`,
/// `printf x`, `command true`), its output maybe sent to `/dev/null`.
pub(super) fn always_succeeds(c: &str) -> bool {
    let c = c.trim();
    // A group or a subshell of one (`{ true; }`, `(true)`), a list whose last `||` part or
    // every `&&` part always succeeds, a pipeline whose last command does (the
    // twenty-seventh sets). Only without quotes, expansions or nested brackets, which the
    // plain split below cannot follow.
    if c.len() <= 256 && !c.contains(['\'', '"', '`', '$', '\\']) {
        let inner = c
            .strip_prefix('{')
            .and_then(|r| r.strip_suffix('}'))
            .map(|r| r.trim().trim_end_matches(';'))
            .or_else(|| c.strip_prefix('(').and_then(|r| r.strip_suffix(')')))
            .map(str::trim);
        if let Some(inner) = inner.filter(|i| !i.contains(['(', ')', '{', '}', ';', '\n'])) {
            return always_plain_command(inner) || list_always_succeeds(inner);
        }
        if !c.contains(['(', ')', '{', '}', ';', '\n']) && list_always_succeeds(c) {
            return true;
        }
    }
    always_plain_command(c)
}

/// `a || b`, `a && b`, `a | b` of commands [`always_plain_command`] knows (no brackets).
fn list_always_succeeds(c: &str) -> bool {
    if !(c.contains("||") || c.contains("&&") || c.contains('|')) {
        return false;
    }
    // `||` binds as loosely as `&&`, left to right: the list's status is the last part run.
    // It always succeeds if its last `||` alternative does, or if every part after the last
    // `||` does and so does one before it; simply: the last `||` part, or no `||` and every
    // `&&` part.
    if !c.contains("&&") && c.contains("||") {
        // Only `||`: the first part that always succeeds ends the list with success.
        return c.split("||").any(pipeline_always_succeeds);
    }
    if let Some((_, last)) = c.rsplit_once("||") {
        return last.split("&&").all(pipeline_always_succeeds);
    }
    c.split("&&").all(pipeline_always_succeeds)
}

/// A pipeline's status is its last command's (without `pipefail`, which a line would set).
fn pipeline_always_succeeds(p: &str) -> bool {
    let last = p.rsplit('|').next().unwrap_or(p);
    let last = last.trim();
    (!last.is_empty() && always_plain_command(last)) || matches!(last, "true" | ":")
}

/// A single command that always succeeds.
fn always_plain_command(c: &str) -> bool {
    let mut c = c.trim();
    for tail in [
        "2>&1",
        "&>/dev/null",
        ">/dev/null",
        "> /dev/null",
        "1>/dev/null",
    ] {
        c = c.strip_suffix(tail).map_or(c, str::trim_end);
    }
    let mut words = c.split_whitespace();
    let Some(first) = words.next() else {
        return false;
    };
    let first = first.rsplit('/').next().unwrap_or(first);
    let rest: Vec<&str> = words.take(9).collect();
    let plain = |w: &&str| {
        w.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'\'' | b'"'))
    };
    match first {
        "date" | "pwd" | "uname" | "id" | "whoami" | "hostname" | "uptime" | "tty" => {
            rest.iter().all(|w| w.starts_with('-') && plain(w))
        }
        "echo" | "printf" => rest.iter().all(plain),
        "command" | "builtin" => matches!(rest.as_slice(), ["true" | ":"]),
        // `ls` of flags, the root or the current directory; `cd /`; `cat /dev/null`; `stat /`
        // (the twenty-seventh sets).
        "ls" => rest
            .iter()
            .all(|w| w.starts_with('-') && plain(w) || matches!(*w, "/" | ".")),
        "cd" => matches!(rest.as_slice(), ["/"] | []),
        "cat" => matches!(rest.as_slice(), ["/dev/null"]),
        "stat" => matches!(rest.as_slice(), ["/dev/null" | "/"]),
        "true" | ":" => rest.is_empty(),
        // `export X=1`: an assignment of a plain value.
        "export" => !rest.is_empty() && rest.iter().all(|w| plain_assignment(w)),
        _ if rest.is_empty() && plain_assignment(first) => true,
        _ => false,
    }
}

/// `NAME=value` with a plain value (`X=1`), which always succeeds.
fn plain_assignment(w: &str) -> bool {
    w.split_once('=').is_some_and(|(name, value)| {
        !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'/'))
    })
}

#[derive(Clone, Copy, PartialEq)]
enum Tok {
    Num(i64),
    Op(&'static str),
}

const OPS: &[&str] = &[
    "==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "-", "*", "/", "%", "!", "(", ")",
];

fn tokens(expr: &str) -> Option<Vec<Tok>> {
    let mut out = Vec::new();
    let mut rest = expr.trim_start();
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            // A leading zero is octal in the shell (`(( 010 == 8 ))` is true; the review of
            // the twenty-sixth sets); `08` is an error, so no outcome.
            let text = rest.get(..digits)?;
            let radix = if digits > 1 && text.starts_with('0') {
                8
            } else {
                10
            };
            out.push(Tok::Num(i64::from_str_radix(text, radix).ok()?));
            rest = rest.get(digits..)?;
        } else {
            let op = OPS.iter().find(|o| rest.starts_with(**o))?;
            out.push(Tok::Op(op));
            rest = rest.get(op.len()..)?;
        }
        rest = rest.trim_start();
    }
    Some(out)
}

/// A precedence climber over a bounded token list (the caller bounds the text's length,
/// so the recursion through parentheses and `!` is bounded too).
struct Parser {
    tokens: Vec<Tok>,
    at: usize,
}

impl Parser {
    fn peek(&self) -> Option<Tok> {
        self.tokens.get(self.at).copied()
    }
    fn eat(&mut self, op: &'static str) -> bool {
        let hit = self.peek() == Some(Tok::Op(op));
        if hit {
            self.at += 1;
        }
        hit
    }
    fn or(&mut self) -> Option<i64> {
        let mut v = self.and()?;
        while self.eat("||") {
            let r = self.and()?;
            v = i64::from(v != 0 || r != 0);
        }
        Some(v)
    }
    fn and(&mut self) -> Option<i64> {
        let mut v = self.cmp()?;
        while self.eat("&&") {
            let r = self.cmp()?;
            v = i64::from(v != 0 && r != 0);
        }
        Some(v)
    }
    fn cmp(&mut self) -> Option<i64> {
        let mut v = self.sum()?;
        loop {
            let op = match self.peek() {
                Some(Tok::Op(o @ ("==" | "!=" | "<" | ">" | "<=" | ">="))) => o,
                _ => return Some(v),
            };
            self.at += 1;
            let r = self.sum()?;
            v = i64::from(match op {
                "==" => v == r,
                "!=" => v != r,
                "<" => v < r,
                ">" => v > r,
                "<=" => v <= r,
                _ => v >= r,
            });
        }
    }
    fn sum(&mut self) -> Option<i64> {
        let mut v = self.product()?;
        loop {
            if self.eat("+") {
                v = v.checked_add(self.product()?)?;
            } else if self.eat("-") {
                v = v.checked_sub(self.product()?)?;
            } else {
                return Some(v);
            }
        }
    }
    fn product(&mut self) -> Option<i64> {
        let mut v = self.unary()?;
        loop {
            if self.eat("*") {
                v = v.checked_mul(self.unary()?)?;
            } else if self.eat("/") {
                v = v.checked_div(self.unary()?)?;
            } else if self.eat("%") {
                v = v.checked_rem(self.unary()?)?;
            } else {
                return Some(v);
            }
        }
    }
    fn unary(&mut self) -> Option<i64> {
        if self.eat("!") {
            return Some(i64::from(self.unary()? == 0));
        }
        if self.eat("-") {
            return self.unary()?.checked_neg();
        }
        if self.eat("(") {
            let v = self.or()?;
            return self.eat(")").then_some(v);
        }
        match self.peek()? {
            Tok::Num(n) => {
                self.at += 1;
                Some(n)
            }
            Tok::Op(_) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_paths_and_commands_and_their_twins() {
        assert_eq!(arithmetic_outcome("(( 1 == 1 ))"), Some(true));
        assert_eq!(arithmetic_outcome("((2 > 1))"), Some(true));
        assert_eq!(arithmetic_outcome("let 1"), Some(true));
        assert_eq!(arithmetic_outcome("let '1==1'"), Some(true));
        assert_eq!(arithmetic_outcome("(( (1+2)*3 == 9 && !0 ))"), Some(true));
        assert_eq!(arithmetic_outcome("(( 1 == 0 ))"), Some(false));
        assert_eq!(arithmetic_outcome("let 0"), Some(false));
        assert_eq!(arithmetic_outcome("(( i < 3 ))"), None);
        assert_eq!(arithmetic_outcome("(( x = 1 ))"), None);
        assert_eq!(arithmetic_outcome("(( 1 / 0 ))"), None);
        assert_eq!(arithmetic_outcome("(( 1 1 ))"), None);
        assert_eq!(
            arithmetic_outcome(&format!("(( {} ))", "(".repeat(500))),
            None
        );
        assert!(path_always_exists("[ -d / ]") && path_always_exists("test -e /dev/null"));
        assert!(path_always_exists("[[ -d / ]]"));
        assert!(!path_always_exists("[ -f /tmp/lock ]") && !path_always_exists("[ ! -d / ]"));
        assert!(always_succeeds("date") && always_succeeds("pwd >/dev/null"));
        assert!(always_succeeds("echo x") && always_succeeds("printf x"));
        assert!(always_succeeds("command true") && always_succeeds("uname -a"));
        assert!(!always_succeeds("read l") && !always_succeeds("echo $x"));
        assert!(!always_succeeds("date -s now") && !always_succeeds("ping -c1 host"));
    }

    #[test]
    fn lists_groups_and_more_commands_and_their_twins() {
        // The twenty-seventh sets.
        for c in [
            "ls",
            "ls -la",
            "ls /",
            "cd /",
            "cat /dev/null",
            "stat /",
            "X=1",
            "export X=1",
            "true | true",
            "ls | true",
            "true || false",
            "false || true",
            "[ -t 0 ] || true",
            "true && ls",
            "false || true && true",
            "{ true; }",
            "(true)",
            "( ls )",
        ] {
            assert!(always_succeeds(c), "{c}");
        }
        for c in [
            "ls /nonexistent",
            "ls x",
            "cd /tmp/x",
            "cat f",
            "X=$(cat f)",
            "export X",
            "true | false",
            "false || false",
            "true && false",
            "true || false && false",
            "{ false; }",
            "(ls x)",
            "'true' || x",
            "true; false",
        ] {
            assert!(!always_succeeds(c), "{c}");
        }
        assert!(path_always_exists("[ -f /etc/passwd ]") && path_always_exists("[ -x /bin/sh ]"));
        assert!(!path_always_exists("[ -f /etc/shadow.lock ]") && !path_always_exists("[ -f / ]"));
    }
}
