//! Paths and addresses a query reads: a DuckDB reader's argument (`read_csv('x.csv')`),
//! and a string literal or a path-like quoted name used as a table (`FROM 'x.csv'`,
//! `FROM "/etc/shadow"`, `JOIN 's3://b/x.csv'`, `DESCRIBE 'x.csv'`, `SUMMARIZE 'x.csv'`:
//! DuckDB's replacement scans), judged alike by [`local_read`].

use sqlparser::ast::ObjectName;

use crate::classify::content::args::secret_path;

/// Characters that make a path a glob pattern (DuckDB: `*`, `**`, `?`, `[…]`; braces for
/// other engines).
const GLOB: &[char] = &['*', '?', '[', ']', '{', '}'];

/// Endings of data files that no secret file's name has: a glob whose file name ends in one
/// literally (`data/*.csv`, `logs/2024-*/part-?.parquet`) matches only data files. `.json`,
/// `.txt`, `.yml`, `.conf` and the like are not here: `credentials.json`, `auth.json`,
/// `passwords.txt` are secret files.
const DATA_ENDINGS: &[&str] = &[
    ".csv",
    ".tsv",
    ".parquet",
    ".ndjson",
    ".jsonl",
    ".xlsx",
    ".avro",
    ".arrow",
    ".orc",
    ".csv.gz",
    ".tsv.gz",
    ".ndjson.gz",
    ".jsonl.gz",
    ".csv.zst",
    ".parquet.zst",
];

/// True when a reader may read `p` without review: a local path (no `scheme://`: an
/// address can carry data out in its query string, or reach a metadata service), not
/// empty, not a secret file, and, when it is a glob, one that can match only data files
/// (a glob is judged as every path it could match: `/etc/shad*` is `/etc/shadow`).
pub(crate) fn local_read(p: &str) -> bool {
    local_path(p) && (!p.contains(GLOB) || glob_reads(p))
}

/// A literal local path that is no secret file, whatever it matches as a glob: what
/// DuckDB's `glob('data/*.json')` needs, which lists names and reads no file.
pub(crate) fn local_path(p: &str) -> bool {
    !p.contains("://") && !p.trim().is_empty() && !secret_path(p)
}

/// A glob reads only data files: its file name's literal tail after the last wildcard ends
/// in a data ending, and the path with every wildcard read as a plain letter is no secret
/// (`.ssh/`, `.env.*`).
fn glob_reads(p: &str) -> bool {
    let file = p
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(p)
        .to_ascii_lowercase();
    let tail = match file.rfind(GLOB) {
        Some(i) => file.get(i + 1..).unwrap_or_default(),
        None => file.as_str(),
    };
    if !DATA_ENDINGS.iter().any(|x| tail.ends_with(x)) {
        return false;
    }
    let plain: String = p
        .chars()
        .map(|c| if GLOB.contains(&c) { 'x' } else { c })
        .collect();
    !secret_path(&plain)
}

/// True if a quoted name reads as a path or an address (DuckDB scans a file so named):
/// a separator, a scheme, a home directory or a file extension.
fn path_like(v: &str) -> bool {
    if v.contains(['/', '\\']) || v.starts_with('~') || v.contains("://") {
        return true;
    }
    // `.env`, `credentials.json`: a dot followed by a short word.
    v.rsplit_once('.').is_some_and(|(_, ext)| {
        !ext.is_empty() && ext.len() <= 10 && ext.chars().all(|c| c.is_ascii_alphanumeric())
    })
}

/// The paths a table name stands for: a part written as a string literal (`FROM 'x.csv'`),
/// or a quoted part that reads as a path (`FROM "/etc/shadow"`, `` FROM `x.parquet` ``).
pub(crate) fn table_paths(name: &ObjectName) -> Vec<String> {
    name.0
        .iter()
        .filter_map(|p| p.as_ident())
        .filter(|i| match i.quote_style {
            Some('\'') => true,
            Some(_) => path_like(&i.value),
            None => false,
        })
        .map(|i| i.value.clone())
        .collect()
}

/// The findings for a table name that stands for paths: each one a reader would not read
/// without review (a URL, a secret file, a glob that could match one).
pub(crate) fn table_findings(name: &ObjectName) -> Vec<String> {
    table_paths(name)
        .into_iter()
        .filter(|p| !local_read(p))
        .map(|p| {
            format!(
                "reads `{p}` as a table, a path that is not a literal local file (a URL, \
                 a secrets file or a glob that could match one)"
            )
        })
        .collect()
}

/// A quoted token of a statement no dialect parses (`SUMMARIZE '/etc/shadow'`), judged as
/// a table name: the finding when it reads as a path (or names a secret file) that a
/// reader would not read without review.
pub(crate) fn token_finding(text: &str) -> Option<String> {
    ((path_like(text) || secret_path(text)) && !local_read(text)).then(|| {
        format!(
            "reads `{text}`, a path that is not a literal local file (a URL, a secrets file \
             or a glob that could match one)"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_are_judged_as_every_path_they_match() {
        for p in [
            "/etc/shad*",
            "/etc/shad?w",
            "/app/.en*",
            "/app/.env.*.csv",
            "/home/*/.ssh/*",
            "/root/.aws/cred[e]ntials",
            "data/*.json",
            "data/*",
        ] {
            assert!(!local_read(p), "{p}");
        }
        for p in [
            "data/*.csv",
            "data/**/*.parquet",
            "logs/2024-??/part-[0-9].csv",
            "data/sales.csv",
        ] {
            assert!(local_read(p), "{p}");
        }
    }

    #[test]
    fn no_secret_name_has_a_data_ending() {
        for x in DATA_ENDINGS {
            assert!(!secret_path(&format!("data/a{x}")), "{x}");
        }
    }
}
