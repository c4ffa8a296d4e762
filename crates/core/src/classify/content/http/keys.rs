//! A request's keys in any case or spelling (`URL`, `Url`, `requestUrl`, `target_url`,
//! `header`): the twenty-first sets found DELETEs whose URL key was only spelled otherwise,
//! and method overrides in header shapes the exact lookup missed.

use serde_json::{Map, Value};

/// Spellings of the URL key, lower case without separators (`request_url` is `requesturl`).
/// Not `callback_url`, `webhook_url`, `image_url`: those name another address than the one
/// the request goes to.
pub(super) const URL_SPELLINGS: &[&str] = &[
    "url",
    "uri",
    "endpoint",
    "href",
    "targeturl",
    "requesturl",
    "requesturi",
    "fullurl",
    "endpointurl",
    "apiurl",
    "resourceurl",
];

/// Spellings of the headers key.
pub(super) const HEADER_SPELLINGS: &[&str] =
    &["headers", "header", "httpheaders", "requestheaders"];

/// A key's bytes without `_`, `-` and spaces, in lower case (nothing allocated).
fn bare(s: &str) -> impl Iterator<Item = u8> + '_ {
    s.bytes()
        .filter(|c| !matches!(c, b'_' | b'-' | b' '))
        .map(|c| c.to_ascii_lowercase())
}

/// True if `key` is `want` (lower case, no separators) ignoring case and `_`, `-`, spaces.
pub(super) fn same_key(key: &str, want: &str) -> bool {
    bare(key).eq(want.bytes())
}

/// The value of the first key spelled as one of `spellings`.
pub(super) fn find_spelled<'a>(m: &'a Map<String, Value>, spellings: &[&str]) -> Option<&'a Value> {
    m.iter()
        .find(|(k, _)| spellings.iter().any(|s| same_key(k, s)))
        .map(|(_, v)| v)
}

/// The values of every key spelled as one of `spellings` (the review: a second spelling
/// beside the first, `{"url": A, "requestUrl": B}` or `{"headers": …, "Header": …}`, is sent
/// by some client too, so each is judged).
pub(super) fn all_spelled<'a>(
    m: &'a Map<String, Value>,
    spellings: &'a [&'a str],
) -> impl Iterator<Item = &'a Value> + 'a {
    m.iter()
        .filter(move |(k, _)| spellings.iter().any(|s| same_key(k, s)))
        .map(|(_, v)| v)
}

/// True if `a` and `b` are one key but for case and `_`, `-`, spaces (nothing allocated).
fn alike(a: &str, b: &str) -> bool {
    a.len() <= 64 && b.len() <= 64 && bare(a).eq(bare(b))
}

/// Keys a proxy goes under that no exact list holds (`proxy_url`, `ProxyServer`).
const PROXY_SPELLINGS: &[&str] = &["proxyurl", "proxyserver", "proxyhost", "proxyaddress"];

/// A key of a request object that names a body, parameters, a proxy or a path the exact
/// lists know, but spelled otherwise (`Body`, `JSON`, `Params`, `Proxy`, `proxy_url`,
/// `Path`): what it holds is not read by the request rules, so the request is not proven a
/// read (the review: a GET under `URL` with `Body: {"_method": "DELETE"}` read).
pub(super) fn unread_spelling<'a>(m: &'a Map<String, Value>, known: &[&[&str]]) -> Option<&'a str> {
    m.keys()
        .find(|k| {
            let exact = known.iter().any(|l| l.contains(&k.as_str()));
            !exact
                && (known.iter().any(|l| l.iter().any(|w| alike(k, w)))
                    || PROXY_SPELLINGS.iter().any(|w| alike(k, w)))
        })
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::same_key;

    #[test]
    fn spellings_compare_without_case_or_separators() {
        assert!(same_key("URL", "url"));
        assert!(same_key("request_url", "requesturl"));
        assert!(same_key("Request-URL", "requesturl"));
        assert!(!same_key("callback_url", "url"));
        assert!(!same_key("ur", "url"));
        assert!(!same_key("urls", "url"));
    }
}
