//! Text brush-parser does not accept. Two bash constructs it lacks are rewritten into ones it
//! has (a `select` loop has the grammar of `for`; `coproc` only runs its command in the
//! background). Anything else is split at its operators, outside quotes, and each fragment is
//! walked when it parses on its own, or judged by its command words when it does not. Such
//! text is never read.

use brush_parser::ast::Program;
use brush_parser::{Parser, ParserOptions, Token};

use super::{Input, MAX_NESTING, Sh, max_nesting, program_name};
use crate::Effect;
use crate::classify::content::{Ctx, catalogue, snippet};

/// Parses a command line, with the rewrites above when it does not parse as written.
pub(super) fn parse(text: &str) -> Option<Program> {
    let opts = ParserOptions::default();
    if let Ok(p) = Parser::new(text.as_bytes(), &opts).parse_program() {
        return Some(p);
    }
    if !text.contains("select") && !text.contains("coproc") {
        return None;
    }
    let tokens = brush_parser::tokenize_str(text).ok()?;
    let mut out: Vec<Token> = Vec::with_capacity(tokens.len());
    let mut changed = false;
    let mut command_start = true;
    let mut it = tokens.into_iter().peekable();
    while let Some(t) = it.next() {
        let starts_next = match &t {
            Token::Operator(op, _) => matches!(
                op.as_str(),
                ";" | "\n" | "&" | "&&" | "||" | "|" | "(" | ")" | ";;" | ";&" | ";;&" | "|&"
            ),
            Token::Word(w, _) => matches!(
                w.as_str(),
                "do" | "then" | "else" | "elif" | "{" | "!" | "time" | "if" | "while" | "until"
            ),
        };
        match &t {
            Token::Word(w, loc) if command_start && w == "select" => {
                out.push(Token::Word("for".into(), loc.clone()));
                changed = true;
            }
            Token::Word(w, _) if command_start && w == "coproc" => {
                // `coproc NAME { …; }`: the name goes too.
                let named = matches!(it.peek(), Some(Token::Word(n, _)) if n != "{");
                if named {
                    let name = it.next();
                    let opens = matches!(it.peek(), Some(Token::Word(b, _)) if b == "{")
                        || matches!(it.peek(), Some(Token::Operator(p, _)) if p == "(");
                    if !opens {
                        out.extend(name);
                    }
                }
                changed = true;
                continue;
            }
            _ => out.push(t),
        }
        command_start = starts_next;
    }
    if !changed {
        return None;
    }
    brush_parser::parse_tokens(&out, &opts).ok()
}

/// Bytes of a fragment that is parsed on its own (and four times that in all, per text).
const MAX_FRAGMENT: usize = 4096;

/// Words that may stand before a command word without being one.
const NOT_A_PROGRAM: &[&str] = &[
    "do", "then", "else", "elif", "if", "while", "until", "!", "time", "{", "}", "in", "done",
    "fi", "esac", "coproc", "function", "select",
];

/// Text that does not parse as shell: at least mutating, and every fragment between
/// operators counts.
pub(super) fn fallback(ctx: &mut Ctx, text: &str, depth: usize) {
    ctx.add(
        Effect::Mutating,
        format!(
            "shell: {} does not parse, so it counts as a write",
            snippet(text)
        ),
    );
    let mut sh = Sh::new(ctx, depth);
    let mut reparse_budget = 4 * MAX_FRAGMENT;
    for segment in segments(text) {
        if !sh.ctx.tick(1) {
            return;
        }
        // Reserved words cut off from the rest of their construct (`do if cmd`).
        let mut segment = segment.trim();
        while let Some((first, rest)) = segment.split_once(char::is_whitespace)
            && NOT_A_PROGRAM.contains(&first)
        {
            segment = rest.trim_start();
        }
        if segment.is_empty() {
            continue;
        }
        // A fragment is parsed on its own only when it is a part of the text (the whole
        // text just failed) and small: a failed parse of a long text is slow.
        if segment.len() < text.trim().len()
            && segment.len() <= MAX_FRAGMENT.min(reparse_budget)
            && max_nesting(segment) <= MAX_NESTING
            && let Ok(p) =
                Parser::new(segment.as_bytes(), &ParserOptions::default()).parse_program()
        {
            reparse_budget -= segment.len();
            sh.src = segment.to_string();
            sh.memory_fill = None;
            sh.program(&p);
            continue;
        }
        // Not even the fragment parses: every run of words between any two separators,
        // quotes or not, is judged by its command word.
        for piece in segment.split(['\n', ';', '|', '&', '(', ')', '{', '}', '`', '"', '\'']) {
            if !sh.ctx.tick(1) {
                return;
            }
            words_only(&mut sh, piece);
        }
    }
}

/// Judges a fragment by its first word, when that is a known program.
fn words_only(sh: &mut Sh, piece: &str) {
    let argv: Vec<String> = piece
        .split_whitespace()
        .map(|w| w.chars().filter(|c| *c != '\\').collect::<String>())
        .skip_while(|w| {
            w.starts_with('$') || w.contains('=') || NOT_A_PROGRAM.contains(&w.as_str())
        })
        .collect();
    if argv
        .first()
        .is_some_and(|w| catalogue::is_known(program_name(w)))
    {
        let _ = catalogue::run(sh, &argv, &Input::None);
    }
}

/// Splits text at the list separators and brackets that are outside quotes (pipes stay, so
/// that `curl … | sh` is judged as one pipeline).
fn segments(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut single, mut double, mut escaped) = (false, false, false);
    let mut start = 0usize;
    for (i, c) in text.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' if !single => escaped = true,
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '\n' | ';' | '(' | ')' | '{' | '}' | '`' if !single && !double => {
                out.extend(text.get(start..i));
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.extend(text.get(start..));
    out
}
