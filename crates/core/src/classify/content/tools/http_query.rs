//! The query an HTTP client builds from its arguments (docs/classifier.md, "The twentieth
//! sets"): `curl -G` sends its `-d`/`--data-urlencode` values as the URL's query, and
//! HTTPie and xh send their `name==value` items there. The URL is judged with that query, as
//! a URL that carries it is (`?action=ban` changes access).

use super::super::args::opt_values;

/// `url` with the query `name` sends from `args` (`get`: curl's `-G`), or `url` as it is.
pub(super) fn with_client_query(name: &str, args: &[String], get: bool, url: String) -> String {
    let pairs: Vec<&str> = if name == "curl" {
        // `--url-query` adds to the query whatever the method (curl 7.87; the review).
        let url_query = opt_values(args, &[], &["--url-query"])
            .into_iter()
            .map(|v| v.strip_prefix('+').unwrap_or(v))
            .map(|v| v.strip_prefix('=').unwrap_or(v))
            .filter(|v| v.contains('=') && !v.starts_with('@'));
        if !get {
            let q: Vec<&str> = url_query.collect();
            if q.is_empty() {
                return url;
            }
            let sep = if url.contains('?') { '&' } else { '?' };
            return format!("{url}{sep}{}", q.join("&"));
        }
        let mut pairs: Vec<&str> = url_query.collect();
        pairs.extend(
            opt_values(
                args,
                &["-d"],
                &[
                    "--data",
                    "--data-raw",
                    "--data-ascii",
                    "--data-binary",
                    "--data-urlencode",
                ],
            )
            .into_iter()
            // `@file` and `name@file` read a file (judged as a file sent); `=text` is text.
            .map(|v| v.strip_prefix('=').unwrap_or(v))
            .filter(|v| v.contains('=') && !v.starts_with('@')),
        );
        pairs
    } else {
        args.iter()
            .map(String::as_str)
            .filter(|a| !a.starts_with('-'))
            .filter(|a| {
                a.split_once("==")
                    .is_some_and(|(k, _)| !k.is_empty() && !k.contains(['/', ':']))
            })
            .collect()
    };
    if pairs.is_empty() {
        return url;
    }
    let query: Vec<String> = pairs.iter().map(|p| p.replacen("==", "=", 1)).collect();
    // HTTPie takes an address without a scheme (`api.example/x action==ban`).
    let url = if name != "curl" && !url.contains("://") {
        match args
            .iter()
            .find(|a| !a.starts_with('-') && !a.contains('=') && !is_method(a))
        {
            Some(u) => {
                let scheme = if matches!(name, "https" | "xhs") {
                    "https"
                } else {
                    "http"
                };
                format!("{scheme}://{}", u.trim_start_matches(':'))
            }
            None => url,
        }
    } else {
        url
    };
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}{}", query.join("&"))
}

fn is_method(a: &str) -> bool {
    super::super::http::METHODS.contains(&a.to_ascii_uppercase().as_str())
}
