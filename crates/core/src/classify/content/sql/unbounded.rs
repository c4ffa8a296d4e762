//! Reads that do not end, or end only after using up the server: a denial of service
//! (docs/classifier.md, "The nineteenth sets"). A series whose literal bounds make at least
//! [`MAX_ROWS`] rows (`generate_series(1, 1e12)`, `range(1e12)`, ClickHouse's
//! `numbers(1e12)`), a string function asked for at least [`MAX_BYTES`] bytes (`repeat('x',
//! 1e9)`, `rpad('', 1e9)`, `space(1e9)`, `zeroblob(1e9)`), and a recursive CTE whose
//! recursive member has no condition at all (no `WHERE`, no join condition, no `LIMIT`)
//! while the query that reads it has no `LIMIT` either. Bounds that are not constants (a
//! column, a subquery) are the data's, and read. Sleeping functions are judged by their
//! table entries (`pg_sleep`, `SLEEP`, `BENCHMARK`, `WAITFOR`).

use sqlparser::ast::{
    BinaryOperator, Expr, FunctionArguments, JoinConstraint, JoinOperator, Query, SetExpr,
    SetOperator, TableFactor, UnaryOperator, Value,
};

/// Rows a series may make before reading it is a denial of service (a hundred million).
pub(crate) const MAX_ROWS: f64 = 1e8;
/// Bytes a string function may build before it is one (ten million).
pub(crate) const MAX_BYTES: f64 = 1e7;

/// Functions that make rows from `(start, stop[, step])` or a count alone; those of
/// `COUNTS` take the count (any of their arguments, the largest).
const SERIES: &[&str] = &["generate_series", "range", "generate_array", "sequence"];
const COUNTS: &[&str] = &["numbers", "numbers_mt", "zeros", "zeros_mt", "generator"];
/// String functions and the position of their length argument.
const LENGTHS: &[(&str, usize)] = &[
    ("repeat", 1),
    ("replicate", 1),
    ("rpad", 1),
    ("lpad", 1),
    ("space", 0),
    ("zeroblob", 0),
    ("randomblob", 0),
    ("randomstring", 0),
    ("random_bytes", 0),
    ("gen_random_bytes", 0),
    // Arrays of a count of elements (Spark's `array_repeat(x, n)`); `array_fill`'s
    // dimensions are multiplied below.
    ("array_repeat", 1),
    ("array_fill", 1),
];

/// The rows of every series a statement reads so far, as a power of ten: series joined
/// together multiply (`generate_series(1,1e5) a, generate_series(1,1e5) b` is 10^10 rows).
/// Over-counts series in separate subqueries, which only raises.
#[derive(Debug, Default)]
pub(crate) struct Rows {
    log10: f64,
    told: bool,
}

/// What calling `name` (maybe qualified) with `args` costs, when it is a denial of service.
pub(crate) fn call(name: &str, args: &[&Expr], rows_so_far: &mut Rows) -> Option<String> {
    // Cheap refusals first, before anything is split or allocated: every listed name is 4
    // to 16 bytes long (a qualified or quoted one is longer, never shorter).
    if args.is_empty() || name.len() < 4 || !listed_ending(name) {
        return None;
    }
    let last = name.rsplit('.').next().unwrap_or(name);
    let last = last.trim_matches(|c| matches!(c, '"' | '`' | '[' | ']'));
    if !(4..=16).contains(&last.len()) {
        return None;
    }
    let listed =
        |list: &[&'static str]| list.iter().copied().find(|n| n.eq_ignore_ascii_case(last));
    let lower = listed(SERIES).or_else(|| listed(COUNTS)).or_else(|| {
        LENGTHS
            .iter()
            .map(|(n, _)| *n)
            .find(|n| n.eq_ignore_ascii_case(last))
    })?;
    if SERIES.contains(&lower) {
        let rows = match args {
            [n] => constant(n, 0)?.abs(),
            [a, b] => (constant(b, 0)? - constant(a, 0)?).abs(),
            [a, b, step, ..] => {
                let step = constant(step, 0)?.abs();
                if step == 0.0 {
                    return None;
                }
                (constant(b, 0)? - constant(a, 0)?).abs() / step
            }
            [] => return None,
        };
        return series(lower, rows, rows_so_far);
    }
    if COUNTS.contains(&lower) {
        let rows = args
            .iter()
            .filter_map(|a| constant(a, 0))
            .fold(0.0, f64::max);
        return series(lower, rows, rows_so_far);
    }
    let (_, at) = LENGTHS.iter().find(|(n, _)| *n == lower)?;
    let length = args.get(*at)?;
    // PostgreSQL's `array_fill(v, ARRAY[d1, d2, …])`: the dimensions multiply.
    let bytes = match length {
        Expr::Array(a) if lower == "array_fill" => a
            .elem
            .iter()
            .map(|e| constant(e, 0))
            .try_fold(1.0, |p, v| v.map(|v| p * v.abs()))?,
        // `array_fill(v, '{d1,d2}'::int[])`: the same dimensions as an array literal's text
        // (the review).
        _ if lower == "array_fill" && array_text(length).is_some() => array_text(length)?
            .split(',')
            .map(super::folding::number)
            .try_fold(1.0, |p, v| v.map(|v| p * v.abs()))?,
        _ => constant(length, 0)?,
    };
    (bytes >= MAX_BYTES).then(|| {
        format!("builds a string of about {bytes:.0} bytes with `{lower}` (a denial of service)")
    })
}

/// The text of an array literal written as a string (`'{1000000,1000000}'::int[]`), without
/// its braces.
fn array_text(e: &Expr) -> Option<&str> {
    match e {
        Expr::Nested(e) | Expr::Cast { expr: e, .. } => array_text(e),
        Expr::Value(v) => match &v.value {
            sqlparser::ast::Value::SingleQuotedString(s) => {
                s.trim().strip_prefix('{').and_then(|s| s.strip_suffix('}'))
            }
            _ => None,
        },
        _ => None,
    }
}

/// The last two letters of every listed name (`count`, `sum`, `lower` leave here, before
/// the name is split): a test keeps the lists and this in step.
fn listed_ending(name: &str) -> bool {
    let tail = name.trim_end_matches(['"', '`', ']']).as_bytes();
    let [.., a, b] = tail else {
        return false;
    };
    matches!(
        [a | 0x20, b | 0x20],
        [b'e', b's']
            | [b'r', b's']
            | [b'o', b's']
            | [b'g', b'e']
            | [b'c', b'e']
            | [b't', b'e']
            | [b'a', b'y']
            | [b'o', b'r']
            | [b'a', b't']
            | [b'a', b'd']
            | [b'o', b'b']
            | [b'n', b'g']
            | [b'm', b't']
            | [b'l', b'l']
    )
}

/// A series of `rows` rows, counted with those before it: reported once, when it alone or
/// the series together reach [`MAX_ROWS`].
fn series(name: &str, rows: f64, so_far: &mut Rows) -> Option<String> {
    if so_far.told {
        return None;
    }
    if rows >= MAX_ROWS || rows.is_nan() {
        so_far.told = true;
        return Some(format!(
            "makes about {rows:.0} rows with `{name}` (a denial of service)"
        ));
    }
    so_far.log10 += rows.max(1.0).log10();
    (so_far.log10 >= MAX_ROWS.log10()).then(|| {
        so_far.told = true;
        format!(
            "makes about 10^{:.0} rows with `{name}` joined to other series (a denial of service)",
            so_far.log10
        )
    })
}

/// The value of a constant numeric expression: numbers (`1e12`, `'1e12'`), signs,
/// arithmetic, casts and `power`; None for anything that depends on data.
fn constant(e: &Expr, depth: usize) -> Option<f64> {
    if depth > 16 {
        return None;
    }
    let d = depth + 1;
    match e {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => super::folding::number(n),
            Value::SingleQuotedString(s) => super::folding::number(s),
            Value::HexStringLiteral(h) => super::folding::radix(h, 16),
            _ => None,
        },
        Expr::Nested(e) | Expr::Cast { expr: e, .. } => constant(e, d),
        // `(SELECT 1e12)`: a scalar subquery of a constant.
        Expr::Subquery(q) => super::folding::scalar(q).and_then(|e| constant(e, d)),
        Expr::UnaryOp { op, expr } => match op {
            UnaryOperator::Minus => constant(expr, d).map(|v| -v),
            UnaryOperator::Plus => constant(expr, d),
            _ => None,
        },
        Expr::BinaryOp { left, op, right } => {
            let (l, r) = (constant(left, d)?, constant(right, d)?);
            match op {
                BinaryOperator::Plus => Some(l + r),
                BinaryOperator::Minus => Some(l - r),
                BinaryOperator::Multiply => Some(l * r),
                BinaryOperator::Divide if r != 0.0 => Some(l / r),
                // PostgreSQL's `^` is a power.
                BinaryOperator::PGExp | BinaryOperator::BitwiseXor => Some(l.powf(r)),
                // `1 << 40`.
                BinaryOperator::PGBitwiseShiftLeft => Some(l * 2f64.powf(r.min(2048.0))),
                _ => None,
            }
        }
        Expr::Function(f) => {
            let name = f.name.to_string().to_ascii_lowercase();
            let name = name.rsplit('.').next().unwrap_or(&name);
            if !super::folding::FOLDED.contains(&name) {
                return None;
            }
            let FunctionArguments::List(l) = &f.args else {
                return None;
            };
            let args: Vec<&Expr> = l.args.iter().filter_map(super::walk::arg_expr).collect();
            let values: Option<Vec<f64>> = args.iter().map(|a| constant(a, d)).collect();
            super::folding::apply(name, &values?)
        }
        _ => None,
    }
}

/// A recursive CTE of `q` that does not end, when the query reading it has no `LIMIT`.
/// SQLite recurses without the word `RECURSIVE`: a CTE that reads itself is judged the same.
pub(crate) fn endless_recursion(q: &Query) -> Option<String> {
    let with = q.with.as_ref()?;
    if q.limit_clause.is_some() || q.fetch.is_some() {
        return None;
    }
    with.cte_tables
        .iter()
        .find(|c| endless(&c.query, &c.alias.name.value))
        .map(|c| {
            format!(
                "reads the recursive CTE `{}`, whose recursive part has no condition to end it (a denial of service)",
                c.alias.name.value
            )
        })
}

/// A CTE body `anchor UNION [ALL] member` whose member reads the CTE itself with no
/// condition that can end it: none of any kind (no `WHERE`, `HAVING`, join condition,
/// `LIMIT` or `TOP`), or a `WHERE` that is always true (`1=1`) or bounds the counter only on
/// the side it moves away from (`WHERE n > 0` over `n + 1`). A parenthesised member is
/// the same member.
fn endless(body: &Query, name: &str) -> bool {
    if body.limit_clause.is_some() || body.fetch.is_some() {
        return false;
    }
    let SetExpr::SetOperation {
        op: SetOperator::Union,
        right,
        ..
    } = body.body.as_ref()
    else {
        return false;
    };
    let s = match right.as_ref() {
        SetExpr::Select(s) => s,
        SetExpr::Query(q) if q.limit_clause.is_none() && q.fetch.is_none() => {
            match q.body.as_ref() {
                SetExpr::Select(s) => s,
                _ => return false,
            }
        }
        _ => return false,
    };
    let reads_itself = s.from.iter().any(|t| {
        matches!(&t.relation, TableFactor::Table { name: n, .. }
            if n.0.last().and_then(|p| p.as_ident()).is_some_and(|i| i.value.eq_ignore_ascii_case(name)))
    });
    let conditioned = s
        .selection
        .as_ref()
        .is_some_and(|w| !super::endless::never_ends(w, &s.projection))
        || s.having.is_some()
        || s.qualify.is_some()
        || s.top.is_some()
        || s.from
            .iter()
            .flat_map(|t| &t.joins)
            .any(|j| constrained(&j.join_operator));
    reads_itself && !conditioned
}

fn constrained(op: &JoinOperator) -> bool {
    match op {
        JoinOperator::Join(c)
        | JoinOperator::Inner(c)
        | JoinOperator::Left(c)
        | JoinOperator::LeftOuter(c)
        | JoinOperator::Right(c)
        | JoinOperator::RightOuter(c)
        | JoinOperator::FullOuter(c)
        | JoinOperator::CrossJoin(c)
        | JoinOperator::Semi(c)
        | JoinOperator::LeftSemi(c)
        | JoinOperator::RightSemi(c)
        | JoinOperator::Anti(c)
        | JoinOperator::LeftAnti(c)
        | JoinOperator::RightAnti(c) => !matches!(c, JoinConstraint::None),
        // Anything else (`APPLY`, `ASOF`, …) is counted as a condition: only reads are
        // raised here, so a doubt keeps the read.
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_name_passes_the_ending_check() {
        let names = SERIES
            .iter()
            .chain(COUNTS)
            .copied()
            .chain(LENGTHS.iter().map(|(n, _)| *n));
        for n in names {
            assert!(listed_ending(n), "{n}");
            assert!(listed_ending(&n.to_ascii_uppercase()), "{n}");
            assert!(listed_ending(&format!("pg_catalog.\"{n}\"")), "{n}");
        }
        for n in ["count", "sum", "lower", "round", "now", "x"] {
            assert!(!listed_ending(n), "{n}");
        }
    }
}
