//! Filters that keep every row: `WHERE true`, `1=1`, `'a'='a'`, `x = x`, `x IS NOT NULL`,
//! `… OR true`, `x LIKE '%'`, `x BETWEEN` two bounds it lies between; and filters that keep
//! every row in practice: a key above zero (`id > 0`), a time before now (`created_at <
//! now()`).

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

/// The last part of a column's name, lowercase (`t."Id"` is `id`).
fn column_name(e: &Expr) -> Option<String> {
    match e {
        Expr::Identifier(i) => Some(i.value.to_ascii_lowercase()),
        Expr::CompoundIdentifier(parts) => parts.last().map(|i| i.value.to_ascii_lowercase()),
        Expr::Nested(e) => column_name(e),
        _ => None,
    }
}

fn number(e: &Expr) -> Option<f64> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::Number(n, _) => n.parse().ok(),
            _ => None,
        },
        Expr::Nested(e) => number(e),
        Expr::UnaryOp {
            op: UnaryOperator::Minus,
            expr,
        } => number(expr).map(|n| -n),
        _ => None,
    }
}

/// Now, as each dialect spells it.
fn is_now(e: &Expr) -> bool {
    const NOW: &[&str] = &[
        "now()",
        "current_timestamp",
        "current_timestamp()",
        "current_date",
        "current_date()",
        "localtimestamp",
        "localtimestamp()",
        "getdate()",
        "getutcdate()",
        "sysdate",
        "sysdate()",
        "systimestamp",
        "sysdatetime()",
        "utc_timestamp()",
        "current_datetime()",
        "datetime('now')",
        "date('now')",
        "today()",
        "statement_timestamp()",
        "transaction_timestamp()",
        "clock_timestamp()",
    ];
    let text = e.to_string().to_ascii_lowercase().replace(' ', "");
    NOW.contains(&text.as_str())
}

/// A date literal before 1990 (`'1970-01-01'`): every row's time is after it.
fn ancient(e: &Expr) -> bool {
    let text = match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s) => s.clone(),
            _ => return false,
        },
        Expr::TypedString(t) => t.value.to_string().trim_matches('\'').to_string(),
        Expr::Cast { expr, .. } | Expr::Nested(expr) => return ancient(expr),
        _ => return false,
    };
    let year: String = text.chars().take_while(char::is_ascii_digit).collect();
    year.len() == 4 && year.parse::<u32>().is_ok_and(|y| y < 1990)
}

fn key_column(name: &str) -> bool {
    matches!(name, "id" | "rowid" | "_rowid_" | "oid" | "pk") || name.ends_with("_id")
}

/// A column that records when a row was written, so it is always in the past. A deadline
/// (`expires_at`, `valid_until`, `due_date`) is not: `expires_at < now()` keeps expired rows.
fn time_column(name: &str) -> bool {
    const WRITTEN: &[&str] = &[
        "created",
        "inserted",
        "updated",
        "modified",
        "added",
        "logged",
        "recorded",
        "occurred",
        "received",
        "sent",
        "published",
        "changed",
    ];
    WRITTEN.iter().any(|w| name.contains(w))
        || matches!(name, "ts" | "timestamp" | "event_time" | "log_time")
}

/// `column op bound` with the column on the left (`0 < id` is read as `id > 0`).
fn oriented<'a>(
    l: &'a Expr,
    op: &BinaryOperator,
    r: &'a Expr,
) -> Option<(String, BinaryOperator, &'a Expr)> {
    use BinaryOperator::{Gt, GtEq, Lt, LtEq};
    if let Some(c) = column_name(l) {
        return Some((c, op.clone(), r));
    }
    let flipped = match op {
        Gt => Lt,
        Lt => Gt,
        GtEq => LtEq,
        LtEq => GtEq,
        other => other.clone(),
    };
    column_name(r).map(|c| (c, flipped, l))
}

/// True for a filter that keeps every row in practice, though not by logic: a key compared
/// with a bound every key passes (`id > 0`, `id >= 1`, `id <> -1`, `user_id != 0`), a time
/// a row was written compared with now (`created_at < now()`, `updated_at <=
/// CURRENT_TIMESTAMP`) or with a date before 1990
/// (`created_at > '1970-01-01'`). `id > 1000`, `id = 0` and `created_at < now() - interval
/// '30 days'` are narrower and stay filters.
pub(crate) fn keeps_every_row_in_practice(e: &Expr) -> bool {
    use BinaryOperator::{And, Gt, GtEq, Lt, LtEq, NotEq, Or};
    match e {
        Expr::Nested(e) => keeps_every_row_in_practice(e),
        Expr::BinaryOp {
            left,
            op: Or,
            right,
        } => {
            keeps_every_row_in_practice(left)
                || keeps_every_row_in_practice(right)
                || always_true(left)
                || always_true(right)
        }
        Expr::BinaryOp {
            left,
            op: And,
            right,
        } => {
            (keeps_every_row_in_practice(left) || always_true(left))
                && (keeps_every_row_in_practice(right) || always_true(right))
        }
        Expr::BinaryOp { left, op, right } => {
            let Some((column, op, bound)) = oriented(left, op, right) else {
                return false;
            };
            if key_column(&column)
                && let Some(k) = number(bound)
            {
                return match op {
                    Gt => k < 1.0,
                    GtEq => k <= 1.0,
                    NotEq => k <= 0.0,
                    _ => false,
                };
            }
            time_column(&column)
                && match op {
                    Lt | LtEq => is_now(bound),
                    Gt | GtEq => ancient(bound),
                    _ => false,
                }
        }
        _ => false,
    }
}

/// True if `e` only equates columns with columns, joined by `AND` (`a.k = b.k AND a.t =
/// b.t`): a join condition that chooses no rows by value.
pub(crate) fn only_joins(e: &Expr) -> bool {
    let column = |e: &Expr| matches!(e, Expr::Identifier(_) | Expr::CompoundIdentifier(_));
    match e {
        Expr::Nested(inner) => only_joins(inner),
        // An always-true conjunct (`AND true`, `AND 1 = 1`) chooses nothing either.
        Expr::BinaryOp {
            left,
            op: BinaryOperator::And,
            right,
        } => {
            let part = |e: &Expr| only_joins(e) || always_true(e);
            part(left) && part(right) && (only_joins(left) || only_joins(right))
        }
        Expr::BinaryOp {
            left,
            op: BinaryOperator::Eq,
            right,
        } => column(left) && column(right),
        _ => false,
    }
}
