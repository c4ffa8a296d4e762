//! Constants the unbounded-read rules fold (docs/classifier.md, "The twentieth sets"):
//! numbers written in hex, binary or octal or with digit separators (`0x10000000000`,
//! `1_000_000_000`), a scalar subquery of a constant (`(SELECT 1e12)`), and the numeric
//! functions that keep a constant constant (`exp`, `abs`, `greatest`, `round`, …). Anything
//! else depends on data and is not folded (the bound is then the data's, and reads).

use sqlparser::ast::{Expr, Query, SelectItem, SetExpr};

/// Numeric functions folded over constant arguments.
pub(super) const FOLDED: &[&str] = &[
    "power",
    "pow",
    "exp",
    "abs",
    "greatest",
    "least",
    "ceil",
    "ceiling",
    "floor",
    "round",
    "trunc",
    "truncate",
    "sqrt",
    "to_number",
    "int8",
    "int4",
    "bigint",
];

/// A number as SQL writes it: decimal with an exponent, digit separators (`1_000`), or a
/// `0x`/`0b`/`0o` prefix.
pub(super) fn number(text: &str) -> Option<f64> {
    let t = text.trim();
    if t.len() > 400 {
        return None;
    }
    let (neg, t) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let lower = t.to_ascii_lowercase();
    let v = if let Some(h) = lower.strip_prefix("0x") {
        radix(h, 16)
    } else if let Some(b) = lower.strip_prefix("0b") {
        radix(b, 2)
    } else if let Some(o) = lower.strip_prefix("0o") {
        radix(o, 8)
    } else if lower.contains('_') {
        lower.replace('_', "").parse().ok()
    } else {
        lower.parse().ok()
    }?;
    Some(if neg { -v } else { v })
}

/// Digits in a radix (separators `_` skipped), as a float: a hex literal of any length.
pub(super) fn radix(digits: &str, base: u32) -> Option<f64> {
    let mut v = 0f64;
    let mut any = false;
    for c in digits.chars().filter(|c| *c != '_') {
        v = v * f64::from(base) + f64::from(c.to_digit(base)?);
        any = true;
    }
    any.then_some(v)
}

/// The one expression a scalar subquery selects when it reads no table (`(SELECT 1e12)`).
pub(super) fn scalar(q: &Query) -> Option<&Expr> {
    if q.with.is_some() {
        return None;
    }
    let SetExpr::Select(s) = q.body.as_ref() else {
        return None;
    };
    if !s.from.is_empty() || s.selection.is_some() {
        return None;
    }
    match s.projection.as_slice() {
        [SelectItem::UnnamedExpr(e)] | [SelectItem::ExprWithAlias { expr: e, .. }] => Some(e),
        _ => None,
    }
}

/// A folded function's value over its constant arguments.
pub(super) fn apply(name: &str, args: &[f64]) -> Option<f64> {
    match (name, args) {
        ("power" | "pow", [b, x]) => Some(b.powf(*x)),
        ("exp", [x]) => Some(x.exp()),
        ("abs", [x]) => Some(x.abs()),
        ("sqrt", [x]) => Some(x.abs().sqrt()),
        ("greatest", [_, ..]) => Some(args.iter().copied().fold(f64::MIN, f64::max)),
        ("least", [_, ..]) => Some(args.iter().copied().fold(f64::MAX, f64::min)),
        (
            "ceil" | "ceiling" | "floor" | "round" | "trunc" | "truncate" | "to_number" | "int8"
            | "int4" | "bigint",
            [x, ..],
        ) => Some(*x),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_every_spelling() {
        assert_eq!(number("0x10000000000"), Some(1_099_511_627_776.0));
        assert_eq!(number("1_000_000_000"), Some(1e9));
        assert_eq!(number("0b1010"), Some(10.0));
        assert_eq!(number(" -1e12 "), Some(-1e12));
        assert_eq!(number("0xZZ"), None);
        assert_eq!(number("abc"), None);
        assert_eq!(radix("", 16), None);
        assert_eq!(apply("exp", &[0.0]), Some(1.0));
        assert_eq!(apply("greatest", &[1.0, 1e12]), Some(1e12));
        assert_eq!(apply("lower", &[1.0]), None);
    }
}
