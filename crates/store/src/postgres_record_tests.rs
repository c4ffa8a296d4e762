//! The row value reader on hand-made binary values: what PostgreSQL sends reads back, and
//! every malformed value is an error, never a panic nor a field read from the wrong bytes.
//! (The joined check read's tests, `tests/check_reads.rs`, read real values on PostgreSQL.)

use super::*;

/// A row value in `record_send`'s form: each field's oid and bytes (none for NULL).
fn value(fields: &[(u32, Option<&[u8]>)]) -> Vec<u8> {
    let mut out = (fields.len() as i32).to_be_bytes().to_vec();
    for (oid, bytes) in fields {
        out.extend_from_slice(&oid.to_be_bytes());
        match bytes {
            Some(b) => {
                out.extend_from_slice(&(b.len() as i32).to_be_bytes());
                out.extend_from_slice(b);
            }
            None => out.extend_from_slice(&(-1i32).to_be_bytes()),
        }
    }
    out
}

fn read(raw: &[u8]) -> std::result::Result<Fields<'_>, String> {
    Fields::from_sql(&Type::RECORD, raw).map_err(|e| e.to_string())
}

const TEXT: u32 = 25;
const INT8: u32 = 20;
const BOOL: u32 = 16;
const FLOAT8: u32 = 701;

#[test]
fn fields_read_back_as_sent() {
    let seven = 7i64.to_be_bytes();
    let half = 0.5f64.to_be_bytes();
    let inner = value(&[(TEXT, Some(b"in"))]);
    let raw = value(&[
        (TEXT, Some("é\"x".as_bytes())),
        (INT8, Some(&seven)),
        (BOOL, Some(&[1])),
        (TEXT, None),
        (FLOAT8, Some(&half)),
        (Type::RECORD.oid(), Some(&inner)),
        (Type::RECORD.oid(), None),
    ]);
    let row = read(&raw).unwrap();
    assert_eq!(row.get_str(0).unwrap(), "é\"x");
    assert_eq!(row.get_i64(1).unwrap(), 7);
    assert!(row.get_bool(2).unwrap());
    assert!(!row.is_null(0).unwrap());
    assert!(row.is_null(3).unwrap());
    assert_eq!(row.get_f64(4).unwrap(), 0.5);
    let nested = row.record(5).unwrap().expect("a nested value");
    assert_eq!(nested.get_str(0).unwrap(), "in");
    assert!(row.record(6).unwrap().is_none());
}

#[test]
fn a_field_is_read_only_as_its_own_type_and_never_past_the_end() {
    let seven = 7i64.to_be_bytes();
    let raw = value(&[(INT8, Some(&seven)), (TEXT, None)]);
    let row = read(&raw).unwrap();
    // An int8 is not text, nor a bool; a NULL is not a string.
    assert!(row.get_str(0).unwrap_err().to_string().contains("type"));
    assert!(row.get_bool(0).is_err());
    assert!(row.get_str(1).is_err());
    // Past the last field.
    for i in [2, 100] {
        assert!(row.get_str(i).is_err());
        assert!(row.is_null(i).is_err());
        assert!(row.record(i).is_err());
    }
}

#[test]
fn a_malformed_value_is_refused() {
    let good = value(&[(TEXT, Some(b"abc")), (INT8, Some(&1i64.to_be_bytes()))]);
    // Every prefix of a good value is short somewhere.
    for end in 0..good.len() {
        assert!(read(&good[..end]).is_err(), "a value cut at {end} was read");
    }
    // Bytes beyond the last field.
    let mut long = good.clone();
    long.push(0);
    assert!(read(&long).unwrap_err().contains("longer"));
    // A width that is negative, or larger than the bytes (no allocation of that size).
    let mut negative = good.clone();
    negative[..4].copy_from_slice(&(-1i32).to_be_bytes());
    assert!(read(&negative).is_err());
    let mut huge = good.clone();
    huge[..4].copy_from_slice(&i32::MAX.to_be_bytes());
    assert!(read(&huge).is_err());
    // A field length that is negative but not NULL's, or past the end.
    for len in [-2i32, i32::MIN, 4, i32::MAX] {
        let mut bad = good.clone();
        bad[8..12].copy_from_slice(&len.to_be_bytes());
        assert!(read(&bad).is_err(), "a field of length {len} was read");
    }
    // A type no one knows.
    let unknown = value(&[(999_999, Some(b"x"))]);
    assert!(read(&unknown).unwrap_err().contains("unknown type"));
}

#[test]
fn only_a_row_value_is_read_as_one() {
    assert!(Fields::accepts(&Type::RECORD));
    assert!(!Fields::accepts(&Type::TEXT));
    assert!(!Fields::accepts(&Type::BYTEA));
}

/// `Row::record` on a row PostgreSQL sent: a column that is not a row value is an error, never
/// "no row"; a NULL one is none; a field is read only as its own type.
#[test]
fn a_column_is_read_as_a_row_value_only_when_it_is_one() {
    let Some(url) = crate::postgres_conn::tests::database(
        "a_column_is_read_as_a_row_value_only_when_it_is_one",
    ) else {
        return;
    };
    let mut c = postgres::Client::connect(&url, postgres::NoTls).expect("connect");
    let row = c
        .query_one(
            "SELECT 'x'::text, NULL::record, ROW(1::int4), ROW('a'::text, NULL::bigint, TRUE)",
            &[],
        )
        .expect("query");
    let row: &dyn Row = &row;
    assert!(row.record(0).is_err(), "text is not a row value");
    assert!(row.record(1).expect("a NULL row value").is_none());
    let int4 = row.record(2).expect("a row value").expect("not NULL");
    assert!(
        int4.get_i64(0).is_err(),
        "an int4 field is not read as int8"
    );
    let value = row.record(3).expect("a row value").expect("not NULL");
    assert_eq!(value.get_str(0).expect("text"), "a");
    assert!(value.is_null(1).expect("a field"));
    assert!(value.get_i64(1).is_err(), "NULL is not a number");
    assert!(value.get_bool(2).expect("bool"));
}
