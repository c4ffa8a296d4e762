//! Conditions that do not end a recursion, and tables that never end (docs/classifier.md,
//! "The twentieth sets"). A recursive member's `WHERE` ends it only when it can turn false:
//! `WHERE 1=1`, `WHERE true` and `WHERE n > 0` over a counter that counts up never do.
//! ClickHouse's `system.numbers` and `system.zeros` are endless tables: read without a
//! `LIMIT`, they are read until the server gives up.

use sqlparser::ast::{
    BinaryOperator, Expr, ObjectName, Query, SelectItem, SetExpr, TableFactor, UnaryOperator, Value,
};

/// Whether a recursive member's condition `w` can never end the recursion, given what the
/// member selects: it is always true, or every part of it (joined by `AND`) is always true
/// or a bound on a counter the member moves away from (`n > 0` over `n + 1`, `n < 0` over
/// `n - 1`). Anything else is taken to end it (only reads are raised here).
pub(super) fn never_ends(w: &Expr, projection: &[SelectItem]) -> bool {
    never_ends_at(w, projection, 0)
}

fn never_ends_at(w: &Expr, projection: &[SelectItem], depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    let d = depth + 1;
    if always_true(w, d) {
        return true;
    }
    match w {
        Expr::Nested(e) => never_ends_at(e, projection, d),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => never_ends_at(left, projection, d) && never_ends_at(right, projection, d),
        Expr::IsNotNull(e) => column(e).is_some(),
        // Either side of an `OR` that never ends keeps it going, and `n = n` holds for every
        // counter (the review).
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Or,
            right,
        } => never_ends_at(left, projection, d) || never_ends_at(right, projection, d),
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Eq,
            right,
        } if column(left)
            .is_some_and(|l| column(right).is_some_and(|r| l.eq_ignore_ascii_case(r))) =>
        {
            true
        }
        Expr::BinaryOp { left, op, right } => {
            // `n > c` / `c < n` bounds from below; `n < c` / `c > n` from above.
            let (col, below) = match (column(left), column(right), op) {
                (Some(c), None, BinaryOperator::Gt | BinaryOperator::GtEq) => (c, true),
                (Some(c), None, BinaryOperator::Lt | BinaryOperator::LtEq) => (c, false),
                (None, Some(c), BinaryOperator::Lt | BinaryOperator::LtEq) => (c, true),
                (None, Some(c), BinaryOperator::Gt | BinaryOperator::GtEq) => (c, false),
                _ => return false,
            };
            let other = if column(left).is_some() { right } else { left };
            if !is_constant(other, d) {
                return false;
            }
            // Counting up from a lower bound, or down from an upper bound, never crosses it.
            step(projection, col).is_some_and(|up| up == below)
        }
        _ => false,
    }
}

/// The last part of a column reference.
fn column(e: &Expr) -> Option<&str> {
    match e {
        Expr::Identifier(i) => Some(i.value.as_str()),
        Expr::CompoundIdentifier(parts) => parts.last().map(|i| i.value.as_str()),
        Expr::Nested(e) => column(e),
        _ => None,
    }
}

/// Whether the member moves `col` up (`col + k`, k > 0: Some(true)) or down (`col - k`:
/// Some(false)) in the select list; None when it does neither.
fn step(projection: &[SelectItem], col: &str) -> Option<bool> {
    projection.iter().find_map(|item| {
        let e = match item {
            SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => e,
            _ => return None,
        };
        let Expr::BinaryOp { left, op, right } = e else {
            return None;
        };
        let moves = |c: &Expr, k: &Expr| {
            column(c).is_some_and(|n| n.eq_ignore_ascii_case(col))
                && number(k).is_some_and(|v| v > 0.0)
        };
        match op {
            BinaryOperator::Plus if moves(left, right) || moves(right, left) => Some(true),
            BinaryOperator::Minus if moves(left, right) => Some(false),
            _ => None,
        }
    })
}

fn number(e: &Expr) -> Option<f64> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => super::folding::number(n),
            _ => None,
        },
        Expr::Nested(e) => number(e),
        _ => None,
    }
}

/// A literal (a number, a string, a boolean) or a sign of one.
fn is_constant(e: &Expr, depth: usize) -> bool {
    match e {
        Expr::Value(v) => matches!(
            v.value,
            Value::Number(..) | Value::SingleQuotedString(_) | Value::Boolean(_)
        ),
        Expr::Nested(e) | Expr::UnaryOp { expr: e, .. } => depth < 32 && is_constant(e, depth + 1),
        _ => false,
    }
}

/// A condition that holds on every row: `true`, a non-zero number, `NOT false`, a comparison
/// of two equal literals (`1=1`, `'a'='a'`, `2>1`), and `AND`/`OR` of them.
fn always_true(e: &Expr, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    let d = depth + 1;
    match e {
        Expr::Value(v) => match &v.value {
            Value::Boolean(b) => *b,
            Value::Number(n, _) => super::folding::number(n).is_some_and(|v| v != 0.0),
            _ => false,
        },
        Expr::Nested(e) => always_true(e, d),
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr,
        } => always_false(expr, d),
        Expr::BinaryOp { left, op, right } => match op {
            BinaryOperator::And => always_true(left, d) && always_true(right, d),
            BinaryOperator::Or => always_true(left, d) || always_true(right, d),
            _ => compare(left, op, right).unwrap_or(false),
        },
        _ => false,
    }
}

fn always_false(e: &Expr, depth: usize) -> bool {
    if depth > 32 {
        return false;
    }
    match e {
        Expr::Value(v) => match &v.value {
            Value::Boolean(b) => !*b,
            Value::Number(n, _) => super::folding::number(n) == Some(0.0),
            _ => false,
        },
        Expr::Nested(e) => always_false(e, depth + 1),
        Expr::BinaryOp { left, op, right } => compare(left, op, right) == Some(false),
        _ => false,
    }
}

/// The value of a comparison of two literals, when both are literals.
fn compare(l: &Expr, op: &BinaryOperator, r: &Expr) -> Option<bool> {
    use std::cmp::Ordering;
    let lit = |e: &Expr| match e {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => super::folding::number(n).map(|n| (Some(n), None)),
            Value::SingleQuotedString(s) => Some((None, Some(s.clone()))),
            _ => None,
        },
        _ => None,
    };
    let ord = match (lit(l)?, lit(r)?) {
        ((Some(a), _), (Some(b), _)) => a.partial_cmp(&b)?,
        ((_, Some(a)), (_, Some(b))) => a.cmp(&b),
        _ => return None,
    };
    Some(match op {
        BinaryOperator::Eq => ord == Ordering::Equal,
        BinaryOperator::NotEq => ord != Ordering::Equal,
        BinaryOperator::Gt => ord == Ordering::Greater,
        BinaryOperator::GtEq => ord != Ordering::Less,
        BinaryOperator::Lt => ord == Ordering::Less,
        BinaryOperator::LtEq => ord != Ordering::Greater,
        _ => return None,
    })
}

/// ClickHouse's endless tables read by `q` without a `LIMIT` (`SELECT * FROM system.numbers`,
/// `system.zeros`, their `_mt` forms).
pub(super) fn endless_table(q: &Query) -> Option<String> {
    if q.limit_clause.is_some() || q.fetch.is_some() {
        return None;
    }
    let SetExpr::Select(s) = q.body.as_ref() else {
        return None;
    };
    s.from
        .iter()
        .flat_map(|t| std::iter::once(&t.relation).chain(t.joins.iter().map(|j| &j.relation)))
        .find_map(|f| match f {
            TableFactor::Table { name, args, .. } if args.is_none() => endless_name(name),
            _ => None,
        })
        .map(|t| {
            format!(
                "reads ClickHouse's endless table `system.{t}` with no LIMIT (a denial of service)"
            )
        })
}

fn endless_name(name: &ObjectName) -> Option<&'static str> {
    let [.., schema, table] = name.0.as_slice() else {
        return None;
    };
    let (schema, table) = (schema.as_ident()?, table.as_ident()?);
    if !schema.value.eq_ignore_ascii_case("system") {
        return None;
    }
    ["numbers", "numbers_mt", "zeros", "zeros_mt"]
        .into_iter()
        .find(|t| t.eq_ignore_ascii_case(&table.value))
}
