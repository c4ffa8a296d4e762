//! Addresses inside a fetch tool's prompt (the twenty-second sets). Gemini CLI's
//! `web_fetch {"prompt": "Summarize https://… and https://…"}` takes no `url`: it fetches
//! every address its prompt names (up to twenty). The prompt was read as prose, so a
//! secret in such an address (`?t=ghp_…`) or an action's address (`/account/delete`) was
//! read. Each `http(s)://` address in the prompt is now judged as a GET of it, as the
//! `url` of `WebFetch` is. Only raises: the requests' reads are forgotten.

use serde_json::{Map, Value};

use super::{Ctx, http};

/// At most this many addresses are judged (Gemini fetches at most twenty).
const MAX_URLS: usize = 20;

/// Whether `tool` names a tool that fetches what it is given (`web_fetch`, `WebFetch`,
/// `fetch_url`, `browse`, `scrape`, `crawl`).
fn fetches(tool: &str) -> bool {
    let t = tool.to_ascii_lowercase();
    ["fetch", "browse", "scrape", "crawl"]
        .iter()
        .any(|w| t.contains(w))
}

/// Judges the addresses a fetch tool's `prompt` names.
pub(crate) fn analyse(ctx: &mut Ctx, tool: &str, input: &Value) {
    let Value::Object(map) = input else { return };
    let Some(prompt) = prompt_of(map) else { return };
    // The cheap trigger first: no scheme, nothing to fetch.
    if !prompt.contains("://") || !fetches(tool) {
        return;
    }
    let cp = ctx.checkpoint();
    for url in urls(prompt).take(MAX_URLS) {
        ctx.via("an address in the prompt", |ctx| {
            http::judge_request(ctx, "GET", url, "");
        });
    }
    ctx.forget_reads_since(&cp);
}

fn prompt_of(map: &Map<String, Value>) -> Option<&str> {
    map.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("prompt"))
        .and_then(|(_, v)| v.as_str())
}

/// The `http://` and `https://` addresses in `text`, without the punctuation that ends a
/// sentence or closes a bracket around them.
fn urls(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
        .filter_map(|w| {
            let at = w
                .to_ascii_lowercase()
                .find("http://")
                .or_else(|| w.to_ascii_lowercase().find("https://"))?;
            let u = w
                .get(at..)?
                .trim_end_matches(['.', ',', ';', ':', ')', ']', '}', '\'', '!', '?']);
            (u.len() > "https://".len()).then_some(u)
        })
}

#[cfg(test)]
mod tests {
    use super::urls;

    #[test]
    fn addresses_are_taken_from_prose() {
        let got: Vec<&str> =
            urls("Compare (https://a.example/x?y=1), and http://b.example/z. Done https://")
                .collect();
        assert_eq!(got, ["https://a.example/x?y=1", "http://b.example/z"]);
    }
}
