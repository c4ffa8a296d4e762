//! URL schemes other than HTTP's: a "GET" of `gopher://127.0.0.1:6379/_FLUSHALL` sends any
//! bytes it likes to the server (Redis, memcached, FastCGI commands), `dict://` and
//! `telnet://` likewise, and a `javascript:` URL runs script in the page that opens it.
//! Other protocols (LDAP, SMB, MQTT, WebSocket, …) are not HTTP reads. Also the endpoints
//! that run something on a GET and are not a path's verb (`get_runs`).

use crate::Effect::{self, Admin, Destructive, Mutating};

/// What a URL's scheme does beyond a read, or `None` for HTTP(S), FTP, `file:` and `data:`
/// (and a URL with no scheme, which clients take as HTTP).
pub(crate) fn scheme_effect(url: &str) -> Option<(Effect, String)> {
    let t = url.trim_start();
    let colon = t.find(':')?;
    let scheme = t.get(..colon)?.to_ascii_lowercase();
    let rest = t.get(colon + 1..).unwrap_or("");
    // curl's URL globs (`{gopher,http}://…`, `gophe[r-r]://…`): any of the schemes may run.
    if scheme.contains(['{', '[']) && rest.starts_with("//") {
        let raw = ["goph", "dic", "teln"].iter().any(|w| scheme.contains(w));
        return Some(if raw {
            (
                Destructive,
                format!("uses the URL glob `{scheme}://`, which can name a raw protocol"),
            )
        } else {
            (Mutating, format!("uses the URL glob `{scheme}://`"))
        });
    }
    // A scheme of two or more letters followed by `/` (curl takes `gopher:/h/x` too); a
    // drive letter (`C:/x`) or `host:port` is no scheme.
    if scheme.len() < 2
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        || !scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        || (!rest.starts_with('/') && !matches!(scheme.as_str(), "javascript" | "vbscript"))
    {
        return None;
    }
    match scheme.as_str() {
        "http" | "https" | "ftp" | "ftps" | "file" | "data" => None,
        "gopher" | "gophers" | "dict" | "telnet" => Some((
            Destructive,
            format!(
                "uses `{scheme}://`, which sends raw commands to the server (Redis, memcached, FastCGI)"
            ),
        )),
        "javascript" | "vbscript" => Some((
            Destructive,
            format!("opens a `{scheme}:` URL, which runs script in the page"),
        )),
        _ => Some((
            Mutating,
            format!("uses `{scheme}://`, a protocol other than an HTTP read"),
        )),
    }
}

/// Endpoints that run something on a GET: Kubernetes' `pods/NAME/exec` and `attach` (a
/// command in the pod, over a WebSocket upgrade), Tomcat's `/manager/…/deploy` (an
/// application fetched from `war=`), Nagios' `cmd.cgi` (an external command), and a
/// `sql_query` parameter (phpMyAdmin runs it).
pub(crate) fn get_runs(url: &str, segs: &[&str]) -> Option<(Effect, String)> {
    let lower: Vec<String> = segs.iter().map(|s| s.to_ascii_lowercase()).collect();
    if let Some(i) = lower.iter().position(|s| s == "pods")
        && lower
            .get(i + 2)
            .is_some_and(|s| matches!(s.as_str(), "exec" | "attach"))
    {
        return Some((
            Admin,
            "runs a command in a pod (Kubernetes `exec`/`attach`)".into(),
        ));
    }
    let last = lower.last().map(String::as_str).unwrap_or("");
    if last == "deploy" && lower.iter().any(|s| s == "manager") {
        return Some((Admin, "deploys an application (Tomcat manager)".into()));
    }
    if last == "cmd.cgi" {
        return Some((
            Mutating,
            "submits an external command (Nagios `cmd.cgi`)".into(),
        ));
    }
    let ps = super::rules::params(super::rules::query(url));
    if let Some((_, v)) = ps
        .iter()
        .find(|(k, v)| k == "sql_query" && !v.trim().is_empty())
    {
        return Some(
            super::rules::statement_param("sql", v)
                .unwrap_or((Mutating, "runs the SQL in `sql_query`".into())),
        );
    }
    None
}
