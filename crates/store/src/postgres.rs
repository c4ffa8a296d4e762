//! The PostgreSQL backend (for several replicas on one database).

use crate::StoreError;
use crate::queue::{BatchError, Engine, Job};
use crate::store::Options;

pub(crate) struct PgEngine;

impl Engine for PgEngine {
    fn run_batch(&mut self, _jobs: &mut [Job]) -> Result<(), BatchError> {
        Err(BatchError::Fail(
            "the postgres backend is not available in this build".into(),
        ))
    }
}

pub(crate) fn engines(_url: &str, _options: Options) -> Result<Vec<PgEngine>, StoreError> {
    Err(StoreError::Corrupt(
        "the postgres backend is not available in this build".into(),
    ))
}

/// A URL without its password, for messages.
pub(crate) fn describe(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://…@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_string(),
    }
}
