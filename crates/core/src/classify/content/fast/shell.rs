//! A command line of plain words, split without a parser: simple commands joined by `|`,
//! `&&`, `||` and `;`, each word made of characters no shell expands (letters, digits and
//! `_ . / : = , + % @ -`) and single-quoted text (literal in every shell), with output thrown
//! away to `/dev/null` or duplicated onto another descriptor as the only redirections.
//!
//! A `#` where a word would start begins a comment to the end of the line (printable ASCII
//! only, so no second line).
//!
//! Anything else (double quotes, `$`, backquotes, backslashes, globs, braces, `~`, `#` inside
//! a word, `!`, parentheses, `<`, a lone `&`, a newline, a reserved word or an assignment
//! where a command starts, text that is not printable ASCII) is refused, and the parser reads the line. For
//! what it accepts, its words are the words the parser and quote removal give, so the walker's
//! own command step ([`crate::classify::content::shell`]) judges them exactly as it judges
//! the parsed line; `tests/fast_path_differential.rs` checks that.

/// One simple command: its words after quote removal, and as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PlainCommand {
    pub(crate) words: Vec<String>,
    /// Every word as written, when some word was quoted; None when each is written as it
    /// reads (no quotes), so the words are their own raw text and are not copied twice.
    pub(crate) raw: Option<Vec<String>>,
    /// Its redirections (each harmless).
    pub(crate) redirects: usize,
}

/// Commands joined by `|`.
pub(crate) type Pipeline = Vec<PlainCommand>;

/// Pipelines joined by `&&` or `||` (the walker treats both alike); lists are separated by `;`.
pub(crate) type AndOrList = Vec<Pipeline>;

/// Longest line this path splits; longer ones go to the parser.
const MAX_LEN: usize = 4096;

/// Words a command may not start with: the parser reads them as syntax.
const RESERVED: &[&str] = &[
    "if", "then", "else", "elif", "fi", "do", "done", "case", "esac", "while", "until", "for",
    "in", "select", "function", "time", "coproc",
];

fn plain_char(c: u8) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(
            c,
            b'_' | b'.' | b'/' | b':' | b'=' | b',' | b'+' | b'%' | b'@' | b'-'
        )
}

/// True if a word starts with a shell name and `=` (`X=1`, `A_b='…'`).
fn assignment_like(raw: &str) -> bool {
    raw.split_once('=').is_some_and(|(name, _)| {
        !name.is_empty()
            && name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
            && !name.starts_with(|c: char| c.is_ascii_digit())
    })
}

#[derive(Debug, PartialEq, Eq)]
enum Token {
    /// A word after quote removal; `raw`, as written, only when it held quotes.
    Word {
        text: String,
        raw: Option<String>,
    },
    Pipe,
    And,
    Or,
    Semi,
    /// A redirection that writes nothing: to `/dev/null` or onto another descriptor.
    Harmless,
}

/// The line's lists, or None when it is not a plain line.
pub(crate) fn plain_line(text: &str) -> Option<Vec<AndOrList>> {
    if text.len() > MAX_LEN {
        return None;
    }
    let tokens = tokens(text.as_bytes())?;
    let mut lists: Vec<AndOrList> = Vec::new();
    let mut list: AndOrList = Vec::new();
    let mut pipeline: Pipeline = Vec::new();
    let mut command: Option<PlainCommand> = None;
    // What ended the last command: a `|`, `&&` or `||` needs another command after it.
    let mut needs_command = false;
    let end_command = |command: &mut Option<PlainCommand>, pipeline: &mut Pipeline| {
        let cmd = command.take()?;
        pipeline.push(cmd);
        Some(())
    };
    for token in tokens {
        match token {
            Token::Word { text, raw } => {
                let cmd = command.get_or_insert_with(|| PlainCommand {
                    words: Vec::new(),
                    raw: None,
                    redirects: 0,
                });
                if cmd.words.is_empty()
                    && (text.is_empty() || text.contains('=') || RESERVED.contains(&text.as_str()))
                {
                    return None;
                }
                // `NAME=value` anywhere is an assignment word to the parser (its value may be
                // evaluated later): the parser's to read.
                if assignment_like(raw.as_deref().unwrap_or(&text)) {
                    return None;
                }
                match (raw, &mut cmd.raw) {
                    (None, None) => {}
                    (raw, Some(all)) => all.push(raw.unwrap_or_else(|| text.clone())),
                    (Some(raw), all @ None) => {
                        // The first quoted word: the words before it were written as they read.
                        let mut written = cmd.words.clone();
                        written.push(raw);
                        *all = Some(written);
                    }
                }
                cmd.words.push(text);
                needs_command = false;
            }
            // A redirection needs a command around it (a line of redirections alone is the
            // parser's to read).
            Token::Harmless => {
                command.as_mut()?.redirects += 1;
            }
            Token::Pipe => {
                end_command(&mut command, &mut pipeline)?;
                needs_command = true;
            }
            Token::And | Token::Or => {
                end_command(&mut command, &mut pipeline)?;
                list.push(std::mem::take(&mut pipeline));
                needs_command = true;
            }
            Token::Semi => {
                end_command(&mut command, &mut pipeline)?;
                if needs_command {
                    return None;
                }
                list.push(std::mem::take(&mut pipeline));
                lists.push(std::mem::take(&mut list));
            }
        }
    }
    if needs_command && command.is_none() {
        return None;
    }
    if command.is_some() {
        end_command(&mut command, &mut pipeline)?;
        list.push(pipeline);
        lists.push(list);
    } else if !pipeline.is_empty() || !list.is_empty() {
        return None;
    }
    (!lists.is_empty()).then_some(lists)
}

fn tokens(b: &[u8]) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = *b.get(i)?;
        match c {
            b' ' | b'\t' => i += 1,
            // A `#` where a word would start (after a blank or an operator; inside a word it
            // is the word's, and the word arm below refuses it) comments out the rest of the
            // line, for bash and brush-parser alike. Its body must be printable ASCII or tabs:
            // a newline would start a second line, and a carriage return or other control
            // character is refused rather than reasoned about.
            b'#' => {
                let body = b.get(i + 1..)?;
                return super::super::bytescan::all_plain(body, |c| {
                    matches!(c, b' '..=b'~' | b'\t')
                })
                .then_some(out);
            }
            b'|' if b.get(i + 1) == Some(&b'|') => {
                out.push(Token::Or);
                i += 2;
            }
            b'|' if b.get(i + 1) == Some(&b'&') => return None,
            b'|' => {
                out.push(Token::Pipe);
                i += 1;
            }
            b'&' if b.get(i + 1) == Some(&b'&') => {
                out.push(Token::And);
                i += 2;
            }
            b';' if b.get(i + 1) == Some(&b';') => return None,
            b';' => {
                out.push(Token::Semi);
                i += 1;
            }
            b'>' => {
                i = redirection(b, i)?;
                out.push(Token::Harmless);
            }
            _ => {
                let start = i;
                // The word's extent first: a word without quotes is its own text, copied once.
                let mut quoted = false;
                while let Some(&c) = b.get(i) {
                    if plain_char(c) {
                        i += 1;
                    } else if c == b'\'' {
                        let close = b.get(i + 1..)?.iter().position(|&q| q == b'\'')?;
                        let inner = b.get(i + 1..i + 1 + close)?;
                        if !inner.iter().all(|&q| (b' '..=b'~').contains(&q)) {
                            return None;
                        }
                        quoted = true;
                        i += close + 2;
                    } else {
                        break;
                    }
                }
                let written = std::str::from_utf8(b.get(start..i)?).ok()?;
                match b.get(i) {
                    // An unquoted number right before `>` names a descriptor.
                    Some(b'>')
                        if !written.is_empty() && written.bytes().all(|d| d.is_ascii_digit()) =>
                    {
                        i = redirection(b, i)?;
                        out.push(Token::Harmless);
                        continue;
                    }
                    None | Some(b' ' | b'\t' | b'|' | b'&' | b';' | b'>') if i > start => {}
                    // Anything else (a character no plain word holds) is the parser's.
                    _ => return None,
                }
                let (text, raw) = if quoted {
                    // Quote removal: single quotes dropped, their content kept as is.
                    let text: String = written.split('\'').collect();
                    (text, Some(written.to_string()))
                } else {
                    (written.to_string(), None)
                };
                out.push(Token::Word { text, raw });
            }
        }
    }
    Some(out)
}

/// Reads a redirection starting at the `>` at `i`: `>` or `>>` onto `/dev/null`, or `>&N`
/// onto a descriptor. Returns where it ends.
fn redirection(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    if b.get(j) == Some(&b'&') {
        j += 1;
        let digits = b
            .get(j..)?
            .iter()
            .take_while(|d| d.is_ascii_digit())
            .count();
        if digits == 0 {
            return None;
        }
        j += digits;
    } else {
        if b.get(j) == Some(&b'>') {
            j += 1;
        }
        while matches!(b.get(j), Some(b' ' | b'\t')) {
            j += 1;
        }
        let target = b"/dev/null";
        if b.get(j..j + target.len())? != target {
            return None;
        }
        j += target.len();
    }
    // The target ends the word.
    match b.get(j) {
        None | Some(b' ' | b'\t' | b'|' | b'&' | b';') => Some(j),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Option<Vec<Vec<Vec<Vec<String>>>>> {
        plain_line(text).map(|lists| {
            lists
                .into_iter()
                .map(|l| {
                    l.into_iter()
                        .map(|p| p.into_iter().map(|c| c.words).collect())
                        .collect()
                })
                .collect()
        })
    }

    /// The words as written are kept only for a command with a quoted word, and then for
    /// every word of it, in order; quote removal keeps a quoted text's content as is.
    #[test]
    fn keeps_the_written_words_only_where_quotes_were_removed() {
        let lists = plain_line("ls -la /srv && grep -v '^??' x | echo a'b c'd '' e").unwrap();
        let ls = &lists[0][0][0];
        assert_eq!(ls.words, vec!["ls", "-la", "/srv"]);
        assert_eq!(ls.raw, None);
        let grep = &lists[0][1][0];
        assert_eq!(grep.words, vec!["grep", "-v", "^??", "x"]);
        assert_eq!(
            grep.raw.as_deref(),
            Some(&["grep", "-v", "'^??'", "x"].map(String::from)[..])
        );
        let echo = &lists[0][1][1];
        assert_eq!(echo.words, vec!["echo", "ab cd", "", "e"]);
        assert_eq!(
            echo.raw.as_deref(),
            Some(&["echo", "a'b c'd", "''", "e"].map(String::from)[..])
        );
        // An assignment is refused however it is quoted.
        assert!(plain_line("ls X='1'").is_none());
        assert!(plain_line("ls 'X'=1").is_some());
    }

    #[test]
    fn splits_plain_lines() {
        let w = words(
            "cd /srv/app && git status --short | grep -v '^??' | head -n 20 && ls -la build/ > /dev/null",
        )
        .unwrap();
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].len(), 3);
        assert_eq!(w[0][1][1], vec!["grep", "-v", "^??"]);
        assert_eq!(w[0][2][0], vec!["ls", "-la", "build/"]);
        assert_eq!(words("ls; pwd;").unwrap().len(), 2);
        assert_eq!(words("ls 2>/dev/null").unwrap()[0][0][0], vec!["ls"]);
        // Only a whole number names a descriptor: `x2` is an argument.
        assert_eq!(words("ls x2>/dev/null").unwrap()[0][0][0], vec!["ls", "x2"]);
        assert_eq!(words("ls 2>&1 | wc -l").unwrap()[0][0].len(), 2);
        assert_eq!(
            words("echo a'b c'd").unwrap()[0][0][0],
            vec!["echo", "ab cd"]
        );
    }

    #[test]
    fn refuses_what_a_shell_expands_or_parses() {
        for text in [
            "echo $HOME",
            "echo \"x\"",
            "echo `id`",
            "echo \\x",
            "ls *.rs",
            "ls ~/x",
            "ls {a,b}",
            "ls &",
            "ls |& cat",
            "ls\nrm x",
            "ls > out.txt",
            "ls >/dev/nullx",
            "ls >& out",
            "cat < x",
            "X=1 ls",
            "git log X='$(rm -rf /)'",
            "make CC=gcc",
            "if true",
            "time ls",
            "ls &&",
            "&& ls",
            "ls | | wc",
            "ls ;; x",
            "ls; && x",
            "echo 'unclosed",
            "echo 'caf\u{e9}'",
            "(ls)",
            "! ls",
            "",
            "   ",
            "> /dev/null",
            "ls;;",
        ] {
            assert_eq!(words(text), None, "{text:?} must go to the parser");
        }
    }

    /// Trailing comments the fast path reads, each beside adversarial twins it must refuse.
    #[test]
    fn trailing_comments_and_their_twins() {
        for (text, cmds) in [
            ("git log --oneline -n 20 | head  # recent commits", 2),
            ("ls # c", 1),
            ("ls;# c", 1),
            ("ls; # c", 1),
            ("ls #", 1),
            ("ls && pwd #x # y", 2),
            ("ls 2>/dev/null # $(rm -rf /) `id` ; rm -rf /", 1),
            ("echo 'a b' #\t'c", 1),
        ] {
            let w = words(text).unwrap_or_else(|| panic!("{text:?}"));
            assert_eq!(w.iter().flatten().flatten().count(), cmds, "{text:?}");
        }
        assert_eq!(words("echo a # b c").unwrap()[0][0][0], vec!["echo", "a"]);
        for text in [
            "ls # x\nrm -rf /",
            "ls # x\rrm -rf /",
            "ls # x\n",
            "ls # x\u{b}rm",
            "ls # caf\u{e9}",
            "echo a#b",
            "echo 'a'#b",
            "ls >/dev/null# x",
            "ls | # x",
            "ls && # x",
            "ls & # x",
            "ls ;;# x",
            "# x",
            "  # x",
        ] {
            assert_eq!(words(text), None, "{text:?} must go to the parser");
        }
    }
}
