//! A row value (`ROW(a, b, …)`, type `record`) read from PostgreSQL's binary format, as a
//! [`Row`] of its fields. The joined check read ([`crate::check_reads`]) packs each table's
//! part into one such value: PostgreSQL then carries one column, not every one, through its
//! joins, and sets up each execution's plan for a narrower row.
//!
//! The binary form (`record_send`): the number of fields (`int4`), then for each field its
//! type's oid (`oid`), its length (`int4`, -1 for NULL) and that many bytes. Every length is
//! checked against what is left: a short or overlong value is an error, never a panic.

use postgres::types::{FromSql, Type};

use crate::StoreError;
use crate::sql::{Result, Row};

/// A field: its type and its bytes, none when NULL.
type Field<'a> = (Type, Option<&'a [u8]>);

/// A row value's fields, borrowed from the row that holds it. (No `Debug` outside tests: the
/// bytes may hold secrets, a reviewer's webhook among them.)
#[cfg_attr(test, derive(Debug))]
pub(crate) struct Fields<'a> {
    fields: Vec<Field<'a>>,
}

type DecodeError = Box<dyn std::error::Error + Sync + Send>;

const SHORT: &str = "a row value ends before its fields do";

/// Takes `n` bytes from the front of `raw`.
fn take<'a>(raw: &mut &'a [u8], n: usize) -> std::result::Result<&'a [u8], DecodeError> {
    let (head, rest) = raw.split_at_checked(n).ok_or(SHORT)?;
    *raw = rest;
    Ok(head)
}

fn take_i32(raw: &mut &[u8]) -> std::result::Result<i32, DecodeError> {
    let (head, rest) = raw.split_first_chunk::<4>().ok_or(SHORT)?;
    *raw = rest;
    Ok(i32::from_be_bytes(*head))
}

impl<'a> FromSql<'a> for Fields<'a> {
    fn from_sql(_: &Type, mut raw: &'a [u8]) -> std::result::Result<Self, DecodeError> {
        let count = take_i32(&mut raw)?;
        let count = usize::try_from(count).map_err(|_| "a row value of negative width")?;
        // Each field takes at least eight bytes: a count larger than that is not believed.
        let mut fields = Vec::with_capacity(count.min(raw.len() / 8));
        for _ in 0..count {
            let oid = take_i32(&mut raw)? as u32;
            let ty = Type::from_oid(oid).ok_or_else(|| format!("a field of unknown type {oid}"))?;
            let bytes = match take_i32(&mut raw)? {
                -1 => None,
                len => {
                    let len = usize::try_from(len).map_err(|_| "a field of negative length")?;
                    Some(take(&mut raw, len)?)
                }
            };
            fields.push((ty, bytes));
        }
        if !raw.is_empty() {
            return Err("a row value longer than its fields".into());
        }
        Ok(Fields { fields })
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::RECORD
    }
}

impl<'a> Fields<'a> {
    /// Field `i` as a `T`, with the checks `postgres::Row::try_get` makes: its type must be
    /// one `T` reads, and NULL only where `T` allows it.
    fn get<T: FromSql<'a>>(&self, i: usize) -> Result<T> {
        let corrupt = |what: String| StoreError::Corrupt(format!("row value field {i}: {what}"));
        let (ty, bytes) = self
            .fields
            .get(i)
            .ok_or_else(|| corrupt("no such field".into()))?;
        if !T::accepts(ty) {
            return Err(corrupt(format!("unexpected type {ty}")));
        }
        T::from_sql_nullable(ty, *bytes).map_err(|e| corrupt(e.to_string()))
    }
}

impl Row for Fields<'_> {
    fn get_str(&self, i: usize) -> Result<String> {
        self.get(i)
    }
    fn get_i64(&self, i: usize) -> Result<i64> {
        self.get(i)
    }
    fn get_bool(&self, i: usize) -> Result<bool> {
        self.get(i)
    }
    fn get_f64(&self, i: usize) -> Result<f64> {
        self.get(i)
    }
    fn is_null(&self, i: usize) -> Result<bool> {
        match self.fields.get(i) {
            Some((_, bytes)) => Ok(bytes.is_none()),
            None => Err(StoreError::Corrupt(format!(
                "row value field {i}: no such field"
            ))),
        }
    }
    fn record(&self, i: usize) -> Result<Option<Box<dyn Row + '_>>> {
        let fields: Option<Fields<'_>> = self.get(i)?;
        Ok(fields.map(|f| Box::new(f) as Box<dyn Row + '_>))
    }
}

#[cfg(test)]
#[path = "postgres_record_tests.rs"]
mod tests;
