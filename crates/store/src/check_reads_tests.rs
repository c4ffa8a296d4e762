//! A packed value that cannot be read fails the joined read: never read as "no row", which a
//! check would take for an unknown key, a new session or an unpinned tool. (On PostgreSQL,
//! `postgres_record::tests` makes `Row::record` fail for real.)

use super::{packed, packed_key, read_joined};
use crate::StoreError;
use crate::model::Agent;
use crate::sql::{Result, Row};

/// A joined row whose packed column `bad` cannot be read; every other packed column is NULL
/// (no row), every scalar NULL or false.
struct BrokenAt(usize);

fn unreadable(i: usize) -> StoreError {
    StoreError::Corrupt(format!("column {i} cannot be read"))
}

impl Row for BrokenAt {
    fn get_str(&self, i: usize) -> Result<String> {
        Err(unreadable(i))
    }
    fn get_i64(&self, i: usize) -> Result<i64> {
        Err(unreadable(i))
    }
    fn get_bool(&self, _: usize) -> Result<bool> {
        Ok(false)
    }
    fn get_f64(&self, i: usize) -> Result<f64> {
        Err(unreadable(i))
    }
    fn is_null(&self, _: usize) -> Result<bool> {
        Ok(true)
    }
    fn record(&self, i: usize) -> Result<Option<Box<dyn Row + '_>>> {
        match i == self.0 {
            true => Err(unreadable(i)),
            false => Ok(None),
        }
    }
}

#[test]
fn an_unreadable_packed_value_fails_the_read() {
    // The agent, the session, the server with its pin, the reviewers.
    for bad in 0..4 {
        let read = read_joined(&BrokenAt(bad), 0);
        assert!(
            matches!(read, Err(StoreError::Corrupt(_))),
            "column {bad}: {read:?}"
        );
    }
    // With nothing unreadable, every part is absent.
    let read = read_joined(&BrokenAt(usize::MAX), 0).expect("all absent");
    assert!(read.agent.is_none() && read.session.is_none() && read.server.is_none());
    assert!(packed::<Agent>(&BrokenAt(0), 0).is_err());
    assert!(packed_key(&BrokenAt(0), 0).is_err());
    assert!(packed_key(&BrokenAt(1), 0).expect("no key").is_none());
}
