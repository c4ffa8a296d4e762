//! Filters that keep every row: `WHERE true`, `1=1`, `'a'='a'`, `x = x`, `x IS NOT NULL`,
//! `… OR true`, `x LIKE '%'`, `x BETWEEN` two bounds it lies between.

use sqlparser::ast::{BinaryOperator, Expr, UnaryOperator, Value};

use super::sql::expr_string;

fn literal_truth(v: &Value) -> Option<bool> {
    match v {
        Value::Boolean(b) => Some(*b),
        Value::Null => Some(false),
        Value::Number(n, _) => n.parse::<f64>().ok().map(|x| x != 0.0),
        _ => None,
    }
}

fn literal(e: &Expr) -> Option<&Value> {
    match e {
        Expr::Value(v) => Some(&v.value),
        Expr::Nested(e) => literal(e),
        Expr::UnaryOp {
            op: UnaryOperator::Minus | UnaryOperator::Plus,
            expr,
        } => literal(expr),
        _ => None,
    }
}

/// The same expression, with unquoted identifiers compared without case (`T.iD = t.Id`).
fn same(l: &Expr, r: &Expr) -> bool {
    if l == r {
        return true;
    }
    let (a, b) = (l.to_string(), r.to_string());
    let quoted = |s: &str| s.contains(['"', '`', '[', '\'']);
    !quoted(&a) && !quoted(&b) && a.eq_ignore_ascii_case(&b)
}

fn compare(l: &Expr, op: &BinaryOperator, r: &Expr) -> Option<bool> {
    use std::cmp::Ordering;
    let ord = match (literal(l), literal(r)) {
        (Some(a), Some(b)) => {
            let num = |v: &Value| match v {
                Value::Number(n, _) => n.parse::<f64>().ok(),
                _ => None,
            };
            match (num(a), num(b)) {
                (Some(x), Some(y)) => x.partial_cmp(&y)?,
                _ if matches!(a, Value::Null) || matches!(b, Value::Null) => return Some(false),
                _ => a.to_string().cmp(&b.to_string()),
            }
        }
        // `id = id`: true for every row where it is not null.
        _ if same(l, r) => Ordering::Equal,
        _ => return None,
    };
    Some(match op {
        BinaryOperator::Eq | BinaryOperator::Spaceship => ord == Ordering::Equal,
        BinaryOperator::NotEq => ord != Ordering::Equal,
        BinaryOperator::Gt => ord == Ordering::Greater,
        BinaryOperator::Lt => ord == Ordering::Less,
        BinaryOperator::GtEq => ord != Ordering::Less,
        BinaryOperator::LtEq => ord != Ordering::Greater,
        _ => return None,
    })
}

/// True for a filter that keeps every row: `true`, `1=1`, `'a'='a'`, `x = x`,
/// `x IS NOT NULL`, `… OR true`, `x LIKE '%'`.
pub(crate) fn always_true(e: &Expr) -> bool {
    match e {
        Expr::Value(v) => literal_truth(&v.value) == Some(true),
        Expr::Nested(e) | Expr::IsTrue(e) | Expr::IsNotFalse(e) => always_true(e),
        Expr::IsNotNull(_) => true,
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr,
        } => always_false(expr),
        Expr::BinaryOp { left, op, right } => match op {
            BinaryOperator::Or => always_true(left) || always_true(right),
            BinaryOperator::And => always_true(left) && always_true(right),
            _ => compare(left, op, right) == Some(true),
        },
        Expr::Like {
            negated: false,
            pattern,
            ..
        }
        | Expr::ILike {
            negated: false,
            pattern,
            ..
        } => expr_string(pattern).is_some_and(|p| !p.is_empty() && p.chars().all(|c| c == '%')),
        Expr::Between {
            expr,
            negated: false,
            low,
            high,
        } => {
            compare(expr, &BinaryOperator::GtEq, low) == Some(true)
                && compare(expr, &BinaryOperator::LtEq, high) == Some(true)
        }
        _ => false,
    }
}

fn always_false(e: &Expr) -> bool {
    match e {
        Expr::Value(v) => literal_truth(&v.value) == Some(false),
        Expr::Nested(e) => always_false(e),
        Expr::UnaryOp {
            op: UnaryOperator::Not,
            expr,
        } => always_true(expr),
        Expr::BinaryOp { left, op, right } => match op {
            BinaryOperator::Or => always_false(left) && always_false(right),
            BinaryOperator::And => always_false(left) || always_false(right),
            _ => compare(left, op, right) == Some(false),
        },
        _ => false,
    }
}

/// True for a filter that names no column (`length('a') = 1`, `lower('A') = 'a'`,
/// `now() > '2000-01-01'`): it has the same value for every row, so it keeps all of them or
/// none, and which one is decided by functions this analyser does not evaluate. Unless it is
/// provably false, it counts as keeping every row.
pub(crate) fn row_independent(e: &Expr) -> bool {
    use std::ops::ControlFlow;
    let names_a_column = sqlparser::ast::visit_expressions(e, |x| match x {
        Expr::Identifier(_) | Expr::CompoundIdentifier(_) | Expr::CompoundFieldAccess { .. } => {
            ControlFlow::Break(())
        }
        _ => ControlFlow::Continue(()),
    })
    .is_break();
    !names_a_column && !always_false(e)
}
