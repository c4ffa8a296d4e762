//! A query whose result is written to a table (the twenty-second sets): BigQuery's
//! `destination_table` with `write_disposition: WRITE_TRUNCATE`, a client's `output_table`
//! with `mode: overwrite`, pandas' `if_exists: replace`. The query itself reads (`SELECT 1`),
//! so a read-named or data-store tool was answered `read` while it replaced a table.

use serde_json::{Map, Value};

use super::super::Ctx;
use super::super::keys::{spelled, spelled_any};
use crate::Effect::{Destructive, Mutating};

/// Keys that hold the query.
const QUERY_KEYS: &[&str] = &["query", "sql", "statement", "q", "querytext", "sqlquery"];
/// Keys that name a table the result is written to (compared without `_`/`-`, any case).
const TABLE_KEYS: &[&str] = &[
    "destinationtable",
    "desttable",
    "outputtable",
    "targettable",
    "resulttable",
    "intotable",
    "saveastable",
];
/// Keys of a job's configuration, where the destination may sit.
const CONFIG_KEYS: &[&str] = &["jobconfig", "configuration", "config", "queryconfig", "job"];
/// Keys that say what happens to the table's rows, and a destination they make a table.
const DISPOSITION_KEYS: &[&str] = &[
    "writedisposition",
    "ifexists",
    "mode",
    "writemode",
    "savemode",
];

/// Judges a query object's destination, there or in its job configuration (`job_config`,
/// `configuration.query`: two levels down).
pub(super) fn result_written(ctx: &mut Ctx, map: &Map<String, Value>) {
    // A cheap trigger: a query key with text.
    if !map
        .iter()
        .any(|(k, v)| v.is_string() && spelled_any(k, QUERY_KEYS))
    {
        return;
    }
    if one(ctx, map) {
        return;
    }
    // Only a job's configuration is looked into (`job_config`, `configuration.query`).
    for inner in map
        .iter()
        .filter(|(k, _)| spelled_any(k, CONFIG_KEYS))
        .filter_map(|(_, v)| v.as_object())
    {
        if one(ctx, inner) {
            return;
        }
        for deeper in inner.values().filter_map(Value::as_object).take(16) {
            if one(ctx, deeper) {
                return;
            }
        }
    }
}

/// One object's destination and disposition; true if it found a destination.
fn one(ctx: &mut Ctx, map: &Map<String, Value>) -> bool {
    let present = |v: &Value| match v {
        Value::String(s) => !s.trim().is_empty(),
        Value::Object(m) => !m.is_empty(),
        _ => false,
    };
    let table = map
        .iter()
        .find(|(k, v)| spelled_any(k, TABLE_KEYS) && present(v));
    let disposition = map.iter().find_map(|(k, v)| {
        let s = v.as_str()?;
        spelled_any(k, DISPOSITION_KEYS).then(|| (k, s.to_ascii_lowercase()))
    });
    // `destination` names a table only beside a write disposition (a search's destination
    // is a place); `table` only beside pandas' `if_exists` (otherwise it is what is read).
    let table = table.or_else(|| {
        let (dk, d) = disposition.as_ref()?;
        // A disposition that writes (`WRITE_TRUNCATE`, `overwrite`, `append`), not a mode of
        // a search (`mode: fast`).
        if ![
            "write",
            "truncate",
            "overwrite",
            "replace",
            "append",
            "empty",
        ]
        .iter()
        .any(|w| d.contains(w))
        {
            return None;
        }
        let pandas = spelled(dk, "ifexists");
        map.iter().find(|(k, v)| {
            (spelled(k, "destination")
                || (pandas && spelled_any(k, &["table", "tablename", "name"])))
                && present(v)
        })
    });
    let Some((tk, _)) = table else {
        return false;
    };
    match disposition {
        Some((dk, d))
            if ["truncate", "overwrite", "replace"]
                .iter()
                .any(|w| d.contains(w)) =>
        {
            ctx.add(
                Destructive,
                format!("writes the query's result over the table in `{tk}` (`{dk}: {d}`)"),
            );
        }
        _ => ctx.add(
            Mutating,
            format!("writes the query's result to the table in `{tk}`"),
        ),
    }
    true
}
