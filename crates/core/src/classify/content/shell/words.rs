//! Words: parsed into pieces by brush-parser, quotes removed and escapes decoded. Every piece
//! type is matched explicitly; command substitutions are analysed as command lines, and the
//! words inside parameter expansions (`${x:-$(cmd)}`) and arithmetic (`$(( a[$(cmd)] ))`) are
//! expanded in turn.

use brush_parser::ParserOptions;
use brush_parser::word::{
    Parameter, ParameterExpr, ParameterTransformOp, WordPiece, WordPieceWithSource,
};

use super::{Expanded, Sh, decode_escapes};
use crate::Effect;
use crate::classify::content::snippet;

impl Sh<'_> {
    pub(super) fn expand_heredoc(&mut self, body: &str) -> String {
        let opts = ParserOptions::default();
        match brush_parser::word::parse_heredoc(body, &opts) {
            Ok(pieces) => {
                let mut e = Expanded::default();
                self.pieces(&pieces, &mut e, true, body);
                e.text
            }
            Err(_) => {
                if body.contains("$(") || body.contains('`') {
                    self.add(
                        Effect::Destructive,
                        "a here-document hides a command that does not parse",
                    );
                }
                body.to_string()
            }
        }
    }

    /// Parses a word into pieces: quotes removed, escapes decoded, command substitutions
    /// re-parsed and analysed.
    pub(crate) fn expand(&mut self, word: &str) -> Expanded {
        let mut e = Expanded::default();
        if !self.ctx.tick(1) {
            e.text = word.to_string();
            e.dynamic = true;
            return e;
        }
        let opts = ParserOptions::default();
        match brush_parser::word::parse(word, &opts) {
            Ok(pieces) if pieces.is_empty() => {}
            Ok(pieces) => {
                let outer = std::mem::replace(&mut self.unparsed, false);
                self.pieces(&pieces, &mut e, false, word);
                if self.unparsed {
                    // brush-parser may end a substitution early (at the `)` of a `case`
                    // pattern): what follows it in the word is judged by its command words.
                    self.nested("a word that does not parse", |sh| {
                        let depth = sh.depth;
                        super::fallback(sh.ctx, word, depth);
                    });
                }
                self.unparsed = outer;
            }
            Err(_) => {
                e.text = word
                    .chars()
                    .filter(|c| !matches!(c, '\'' | '"' | '\\'))
                    .collect();
                e.dynamic = true;
                if word.contains("$(") || word.contains('`') {
                    self.add(
                        Effect::Destructive,
                        format!(
                            "the word {} hides a command that does not parse",
                            snippet(word)
                        ),
                    );
                }
            }
        }
        e
    }

    /// `raw` is the text the pieces were parsed from.
    fn pieces(
        &mut self,
        pieces: &[WordPieceWithSource],
        e: &mut Expanded,
        quoted: bool,
        raw: &str,
    ) {
        for p in pieces {
            match &p.piece {
                WordPiece::Text(s) => {
                    // A substitution brush-parser did not recognise still runs in bash.
                    self.unparsed |= s.contains("$(") || s.contains('`');
                    if !quoted
                        && (s.contains(['*', '?'])
                            || (s.contains('[') && s.contains(']') && s.len() > 2)
                            || (s.contains('{') && (s.contains(',') || s.contains(".."))))
                    {
                        e.pattern = true;
                    }
                    e.text.push_str(s);
                }
                WordPiece::SingleQuotedText(s) => e.text.push_str(s),
                WordPiece::AnsiCQuotedText(s) => e.text.push_str(&decode_escapes(s)),
                WordPiece::DoubleQuotedSequence(inner)
                | WordPiece::GettextDoubleQuotedSequence(inner) => {
                    self.pieces(inner, e, true, raw);
                }
                WordPiece::TildeExpansion(_) => e.text.push('~'),
                WordPiece::EscapeSequence(s) => {
                    e.text.push_str(s.strip_prefix('\\').unwrap_or(s));
                }
                WordPiece::ParameterExpansion(expr) => {
                    e.dynamic = true;
                    e.text.push('$');
                    let secret = self.parameter_expr(expr);
                    e.secret = e.secret.take().or(secret);
                }
                WordPiece::CommandSubstitution(body) => {
                    e.dynamic = true;
                    e.secret = e.secret.take().or_else(|| super::bind::secret_read(body));
                    e.text.push_str("$(…)");
                    if !self.substitution(body) {
                        // brush-parser ends `$(` at the first `)`, even a `case` pattern's.
                        match longer_body(raw, p.start_index, body) {
                            Some(longer) => {
                                let _ = self.substitution(longer);
                            }
                            None => self.unparsed = true,
                        }
                    }
                }
                WordPiece::BackquotedCommandSubstitution(body) => {
                    e.dynamic = true;
                    e.secret = e.secret.take().or_else(|| super::bind::secret_read(body));
                    e.text.push_str("$(…)");
                    self.unparsed |= !self.substitution(&unescape_backquoted(body, quoted));
                }
                WordPiece::ArithmeticExpression(a) => {
                    e.dynamic = true;
                    e.text.push('0');
                    // Text that is not arithmetic once its expansions are values makes `$((`
                    // a command substitution of a subshell, as bash reads it.
                    let inner = self.expand(&a.value);
                    let bare = inner.text.replace("$(…)", "1").replace('$', "1");
                    if brush_parser::arithmetic::parse(&bare).is_err() {
                        self.unparsed |= !self.substitution(&format!("({})", a.value));
                    }
                }
            }
        }
    }

    /// The words inside a parameter expansion: defaults, alternatives, patterns and
    /// replacements are expanded (their substitutions run); offsets, lengths and subscripts
    /// are arithmetic.
    ///
    /// Returns the secret a variable holds (bound by `for v in $(< .env)` or `v=$(cat
    /// ~/.ssh/id_rsa)` above), if it holds one.
    fn parameter_expr(&mut self, expr: &ParameterExpr) -> Option<String> {
        if let ParameterExpr::Transform {
            op: ParameterTransformOp::PromptExpand,
            ..
        } = expr
        {
            self.add(
                Effect::Destructive,
                "a prompt expansion (`${x@P}`) runs the commands a variable holds",
            );
        }
        let (parameter, words, arith): (Option<&Parameter>, [Option<&str>; 2], [Option<&str>; 2]) =
            match expr {
                ParameterExpr::Parameter { parameter, .. }
                | ParameterExpr::ParameterLength { parameter, .. }
                | ParameterExpr::Transform { parameter, .. } => {
                    (Some(parameter), [None, None], [None, None])
                }
                ParameterExpr::UseDefaultValues {
                    parameter,
                    default_value: w,
                    ..
                }
                | ParameterExpr::AssignDefaultValues {
                    parameter,
                    default_value: w,
                    ..
                }
                | ParameterExpr::IndicateErrorIfNullOrUnset {
                    parameter,
                    error_message: w,
                    ..
                }
                | ParameterExpr::UseAlternativeValue {
                    parameter,
                    alternative_value: w,
                    ..
                }
                | ParameterExpr::RemoveSmallestSuffixPattern {
                    parameter,
                    pattern: w,
                    ..
                }
                | ParameterExpr::RemoveLargestSuffixPattern {
                    parameter,
                    pattern: w,
                    ..
                }
                | ParameterExpr::RemoveSmallestPrefixPattern {
                    parameter,
                    pattern: w,
                    ..
                }
                | ParameterExpr::RemoveLargestPrefixPattern {
                    parameter,
                    pattern: w,
                    ..
                }
                | ParameterExpr::UppercaseFirstChar {
                    parameter,
                    pattern: w,
                    ..
                }
                | ParameterExpr::UppercasePattern {
                    parameter,
                    pattern: w,
                    ..
                }
                | ParameterExpr::LowercaseFirstChar {
                    parameter,
                    pattern: w,
                    ..
                }
                | ParameterExpr::LowercasePattern {
                    parameter,
                    pattern: w,
                    ..
                } => (Some(parameter), [w.as_deref(), None], [None, None]),
                ParameterExpr::ReplaceSubstring {
                    parameter,
                    pattern,
                    replacement,
                    ..
                } => (
                    Some(parameter),
                    [Some(pattern.as_str()), replacement.as_deref()],
                    [None, None],
                ),
                ParameterExpr::Substring {
                    parameter,
                    offset,
                    length,
                    ..
                } => (
                    Some(parameter),
                    [None, None],
                    [
                        Some(offset.value.as_str()),
                        length.as_ref().map(|l| l.value.as_str()),
                    ],
                ),
                ParameterExpr::VariableNames { .. } | ParameterExpr::MemberKeys { .. } => {
                    (None, [None, None], [None, None])
                }
            };
        let index = match parameter {
            Some(Parameter::NamedWithIndex { index, .. }) => Some(index.as_str()),
            Some(
                Parameter::Positional(_)
                | Parameter::Special(_)
                | Parameter::Named(_)
                | Parameter::NamedWithAllIndices { .. },
            )
            | None => None,
        };
        for w in words.into_iter().flatten() {
            let _ = self.expand(w);
        }
        for a in arith.into_iter().chain([index]).flatten() {
            self.arith_text(a);
        }
        let name = match parameter {
            Some(
                Parameter::Named(name)
                | Parameter::NamedWithIndex { name, .. }
                | Parameter::NamedWithAllIndices { name, .. },
            ) => name.as_str(),
            _ => return None,
        };
        self.secret_vars
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .map(|(_, path)| path.clone())
            // A credential variable itself (`$GITHUB_TOKEN`): marked with its name, so
            // that a copy (`T=$GITHUB_TOKEN`) carries it too.
            .or_else(|| super::secret_names::sent_secret(name).then(|| format!("${name}")))
    }

    /// A command substitution's body, analysed as a command line; false if it does not
    /// parse.
    pub(super) fn substitution(&mut self, body: &str) -> bool {
        let mut parsed = true;
        self.nested("a command substitution", |sh| {
            let depth = sh.depth;
            parsed = super::analyse_parsed(sh.ctx, body, depth);
        });
        parsed
    }

    /// Text evaluated as arithmetic: its command substitutions run (`$(( $(cmd) ))`,
    /// `a[$(cmd)]` as a subscript).
    pub(super) fn arith_text(&mut self, text: &str) {
        if text.trim().is_empty() {
            return;
        }
        if text.contains("$(") || text.contains('`') || text.contains("${") {
            let _ = self.expand(text);
        }
    }
}

/// The command inside backquotes: a backslash quotes `\\`, `$` and (in double quotes) `"`.
/// brush-parser already removes the one before a backquote.
fn unescape_backquoted(body: &str, in_double_quotes: bool) -> String {
    let mut out = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\'
            && let Some(&n) = chars.peek()
            && (n == '\\' || n == '$' || (in_double_quotes && n == '"'))
        {
            out.push(n);
            chars.next();
            continue;
        }
        out.push(c);
    }
    out
}

/// The body of the `$(` at byte `start` of `raw` when it runs past the first `)`: the
/// shortest longer text up to a `)` that parses (a few candidates at most).
fn longer_body<'a>(raw: &'a str, start: usize, cut: &str) -> Option<&'a str> {
    let after = raw.get(start..)?.strip_prefix("$(")?;
    after
        .char_indices()
        .filter(|(i, c)| *c == ')' && *i > cut.len())
        .take(8)
        .find_map(|(i, _)| {
            let candidate = after.get(..i)?;
            super::parse(candidate).map(|_| candidate)
        })
}
