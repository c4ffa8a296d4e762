//! Database clients' ways of losing data that their options or code say (the twenty-second
//! sets): BigQuery's `bq query --replace --destination_table` and a short `bq update
//! --expiration`, a MongoDB TTL of at most a minute in shell code, and the SQL shells of the
//! Hadoop family (`spark-sql`, `beeline`, `hive`, `impala-shell`, `trino`, `presto`), whose
//! `-e` SQL is judged as any client's.

use super::super::shell::Sh;
use crate::Effect::{self, Destructive, Mutating};

/// SQL shells of the Hadoop family, whose query is `-e`/`-q`/`--execute`.
pub(crate) const HADOOP_SHELLS: &[&str] = &[
    "spark-sql",
    "beeline",
    "hive",
    "impala-shell",
    "trino",
    "presto",
];

/// `bq query --replace --destination_table …` (the result replaces the table) and `bq update`
/// with an expiration of at most a day (the table or its partitions are deleted then).
pub(super) fn bq(verb: &str, args: &[String]) -> Option<(Effect, &'static str)> {
    let flag = |a: &String| a.trim_start_matches('-').to_string();
    match verb {
        "query"
            if args
                .iter()
                .any(|a| matches!(flag(a).as_str(), "replace" | "replace=true"))
                && args
                    .iter()
                    .any(|a| flag(a).starts_with("destination_table")) =>
        {
            Some((
                Destructive,
                "writes the query's result over its destination table",
            ))
        }
        "update"
            if args.windows(2).any(|p| {
                let [f, next] = p else {
                    return false;
                };
                let (f, next) = (f.trim_start_matches('-'), next.as_str());
                let (name, value) = f.split_once('=').unwrap_or((f, next));
                matches!(
                    name,
                    "expiration"
                        | "default_table_expiration"
                        | "time_partitioning_expiration"
                        | "default_partition_expiration"
                ) && value.parse::<u64>().is_ok_and(|n| n > 0 && n <= 86_400)
            }) =>
        {
            Some((
                Destructive,
                "sets an expiration that deletes data within a day",
            ))
        }
        _ => None,
    }
}

/// The first `expireAfterSeconds` of at most 60 in lower-case code without spaces.
pub(super) fn short_ttl(lower: &str) -> Option<u64> {
    let mut rest = lower;
    while let Some(i) = rest.find("expireafterseconds") {
        rest = rest.get(i + "expireafterseconds".len()..).unwrap_or("");
        let value = rest.trim_start_matches(['"', '\'', ':']);
        let digits: String = value.chars().take_while(char::is_ascii_digit).collect();
        if let Ok(n) = digits.parse::<u64>()
            && n <= 60
        {
            return Some(n);
        }
    }
    None
}

/// A Hadoop-family shell's options: the query's and the file's are collected; any other
/// (`--jars`, `--conf`, `-i`, a host) counts as a write, since it can load code or change
/// where the shell connects.
pub(super) fn hadoop_options(
    sh: &mut Sh,
    args: &[String],
    cmd: &str,
    texts: &mut Vec<String>,
    files: &mut Vec<String>,
) {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        match a.as_str() {
            "-e" | "-q" | "--execute" | "--query" => {
                if let Some(t) = it.next() {
                    shell_escapes(sh, t, cmd);
                    texts.push(t.clone());
                }
            }
            "-f" | "--file" | "--query_file" => files.extend(it.next().cloned()),
            // impala-shell's `-o FILE` (the review of the twenty-second sets: `-o /etc/passwd`
            // was one more option, mutating).
            "-o" | "--output_file" | "--output-file" => {
                let f = it.next().map_or("", String::as_str);
                super::writes_file(sh, cmd, f, "its output");
            }
            _ if a.starts_with("--output_file=") || a.starts_with("--output-file=") => {
                let f = a.split_once('=').map_or("", |(_, f)| f);
                super::writes_file(sh, cmd, f, "its output");
            }
            _ if a.starts_with('-') => sh.add(
                Mutating,
                format!("{cmd} sets `{a}`, which can load code or change where it connects"),
            ),
            _ => {}
        }
    }
}

/// Hive's `!cmd` and Beeline's `!sh cmd` lines in a query run a shell command (the review of
/// the twenty-second sets: `beeline -e '!sh rm -rf /srv'` was SQL that does not parse).
fn shell_escapes(sh: &mut Sh, text: &str, cmd: &str) {
    if !text.contains('!') {
        return;
    }
    for part in text.split([';', '\n']).map(str::trim) {
        let Some(rest) = part.strip_prefix('!') else {
            continue;
        };
        let rest = rest.trim_start();
        let line = match rest.get(..3) {
            Some(w) if w.eq_ignore_ascii_case("sh ") => rest.get(3..).unwrap_or(""),
            _ => rest,
        };
        sh.shell_text(line, &format!("{cmd} `!` shell escape"));
    }
}
