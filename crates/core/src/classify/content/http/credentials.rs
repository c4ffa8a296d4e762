//! Credentials in a request: pasted literally or base64-encoded (a private key block, a
//! cloud secret key, a token of a known shape, a database URL with its password), and a
//! provider's token in a header sent to another host than the provider's.

use std::sync::LazyLock;

use super::rules::host;
use crate::Effect::Admin;
use crate::classify::content::substrings::{AnyOf, Found};
use crate::classify::content::{Ctx, snippet};

/// Credentials pasted into a request (a private key block, a cloud secret key, an access
/// token of a known shape). The name of what was found, if any.
pub(crate) fn credential_in(text: &str) -> Option<&'static str> {
    credential_plain(text, true).or_else(|| credential_encoded(text, true))
}

/// The same, by the shape of a secret's value only: a label (`AWS_SECRET_ACCESS_KEY`,
/// `AccountKey=`) is a name someone may search for, not a secret.
pub(crate) fn credential_value(text: &str) -> Option<&'static str> {
    credential_plain(text, false).or_else(|| credential_encoded(text, false))
}

/// The longest run of base64 looked at, and how many runs: the scan stays bounded.
const MAX_ENCODED_RUN: usize = 4096;
const MAX_ENCODED_RUNS: usize = 16;

/// A credential hidden in base64 (`?d=QVdTX1NFQ1JFVF9BQ0NFU1NfS0VZ…`) or hex: each run of 24
/// or more base64 characters is decoded once (as hex when it is only hex digits) and scanned
/// as plain text.
fn credential_encoded(text: &str, labels: bool) -> Option<&'static str> {
    // Padding ends a run: `d=QVdT…==` splits into `d` and the encoded text.
    // Split as bytes: every base64 character is ASCII, and every byte of a character that
    // is not ASCII is not one, so the runs are those of the characters.
    let is_b64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'-' | b'_');
    text.as_bytes()
        .split(|b| !is_b64(b))
        .filter(|run| run.len() >= 24 && run.len() <= MAX_ENCODED_RUN)
        .take(MAX_ENCODED_RUNS)
        .filter_map(|run| std::str::from_utf8(run).ok())
        // A run of hex digits is read as hex (`?t=414b4941…`), any other as base64.
        .filter_map(|run| {
            if run.len() % 2 == 0 && run.bytes().all(|b| b.is_ascii_hexdigit()) {
                hex::decode(run).ok()
            } else {
                super::super::tools::base64_bytes(run)
            }
        })
        .filter(|bytes| {
            bytes
                .iter()
                .all(|b| b.is_ascii_graphic() || b.is_ascii_whitespace())
        })
        .find_map(|bytes| credential_plain(&String::from_utf8_lossy(&bytes), labels))
}

/// The literal markers the rules of [`credential_plain`] look for: a rule whose marker a
/// text lacks cannot hold there, so one pass over the text (issue 14) tells which rules are
/// worth running. Each rule still runs in full where its marker is.
const MARKERS: &[&str] = &[
    "PRIVATE KEY-----",
    "PRIVATE KEY BLOCK-----",
    "ghp_",
    "gho_",
    "github_pat_",
    "glpat-",
    "xoxb-",
    "xoxp-",
    "xoxa-",
    "xoxs-",
    "sk_live_",
    "rk_live_",
    "whsec_",
    "npm_",
    "pypi-AgE",
    "AIza",
    "hf_",
    "dop_v1_",
    "shpat_",
    "hvs.",
    "hvb.",
    "hvr.",
    "dapi",
    "AKIA",
    "sk-proj-",
    "sk-ant-",
    "sk-svcacct-",
    "SG.",
    "SK",
    ":AA",
    "eyJ",
    "://",
];

/// The labels looked for in the lower-cased text.
const LABELS: &[&str] = &[
    "aws_secret_access_key",
    "secretaccesskey\"",
    "_authtoken=",
    "\"auths\"",
    "\"auth\"",
    "secret",
    "accountkey=",
    "sharedaccesssignature=",
];

static MARKER_SET: LazyLock<AnyOf> = LazyLock::new(|| AnyOf::new(MARKERS));
static LABEL_SET: LazyLock<AnyOf> = LazyLock::new(|| AnyOf::new(LABELS));

fn credential_plain(text: &str, labels: bool) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    credential_plain_in(
        text,
        &lower,
        labels,
        &MARKER_SET.which(text),
        &LABEL_SET.which(&lower),
    )
}

/// [`credential_plain`] given which markers and labels the text holds (`Found::everything`
/// runs every rule: the differential test compares the two).
fn credential_plain_in(
    text: &str,
    lower: &str,
    labels: bool,
    markers: &Found,
    found_labels: &Found,
) -> Option<&'static str> {
    let marker = |m: &str| markers.has(m) && text.contains(m);
    let label = |l: &str| labels && found_labels.has(l) && lower.contains(l);
    if marker("PRIVATE KEY-----") || marker("PRIVATE KEY BLOCK-----") {
        return Some("a private key");
    }
    if label("aws_secret_access_key") || label("secretaccesskey\"") {
        return Some("an AWS secret access key");
    }
    let token = |prefix: &str, min: usize| markers.has(prefix) && has_token(text, prefix, min);
    if token("ghp_", 30) || token("gho_", 30) || token("github_pat_", 30) || token("glpat-", 20) {
        return Some("a source-host access token");
    }
    if ["xoxb-", "xoxp-", "xoxa-", "xoxs-"]
        .iter()
        .any(|p| token(p, 20))
        || ["sk_live_", "rk_live_", "whsec_"]
            .iter()
            .any(|p| token(p, 12))
        || token("npm_", 30)
        || token("pypi-AgE", 30)
        || token("AIza", 30)
        || token("hf_", 30)
        || token("dop_v1_", 30)
        || token("shpat_", 20)
        || token("hvs.", 20)
        || token("hvb.", 20)
        || token("hvr.", 20)
        || token("dapi", 32)
        || (markers.has("SG.") && sendgrid_key(text))
        || (markers.has("SK") && twilio_key(text))
        || (markers.has(":AA") && telegram_bot_token(text))
        || discord_bot_token(text)
        || (label("_authtoken=") && has_token(lower, "_authtoken=", 16))
        || (label("\"auths\"") && label("\"auth\""))
    {
        return Some("an API token");
    }
    if token("AKIA", 16) && (label("secret") || long_run(text, 40)) {
        return Some("an AWS access key with its secret");
    }
    if aws_secret_key(text) {
        return Some("an AWS secret access key");
    }
    if label("accountkey=") || label("sharedaccesssignature=") {
        return Some("a storage account key");
    }
    if markers.has("eyJ") && jwt(text) {
        return Some("a signed token (JWT)");
    }
    if token("sk-proj-", 6) || token("sk-ant-", 6) || token("sk-svcacct-", 6) {
        return Some("an AI provider's API key");
    }
    // Every scheme ends in `://`, which lower-casing leaves as it is.
    if markers.has("://") && database_url_with_password(lower) {
        return Some("a database URL with its password");
    }
    if secret_assignment(text) {
        return Some("a secret variable with its value (`DB_PASSWORD=…`)");
    }
    None
}

/// A line of an environment file: an upper-case variable named for a secret and a literal
/// value (`DB_PASSWORD=Pr0d…`, `STRIPE_SECRET_KEY=…`), percent-encoded `=` too. A reference
/// (`$X`, `${X}`, `<…>`, `***`) is not a value.
fn secret_assignment(text: &str) -> bool {
    const NAMES: &[&str] = &[
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "SECRET_KEY",
        "TOKEN",
        "API_KEY",
        "PRIVATE_KEY",
        "ACCESS_KEY",
    ];
    let decoded;
    let text = if text.contains("%3D") || text.contains("%3d") {
        decoded = text.replace("%3D", "=").replace("%3d", "=");
        decoded.as_str()
    } else {
        text
    };
    text.match_indices('=').any(|(i, _)| {
        let name: String = text
            .get(..i)
            .unwrap_or("")
            .chars()
            .rev()
            .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let value: String = text
            .get(i + 1..)
            .unwrap_or("")
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '&' | '"' | '\'' | ','))
            .collect();
        name.len() > 4
            && NAMES
                .iter()
                .any(|n| name == *n || name.ends_with(&format!("_{n}")))
            && value.len() >= 6
            && !value.starts_with(['$', '<', '{', '*', '%'])
            && !value.chars().all(|c| c == 'x' || c == 'X')
            && !placeholder(&value)
    })
}

/// A value written in place of a secret (`changeme`, `your-password-here`, `<redacted>`).
fn placeholder(value: &str) -> bool {
    let v = value.to_ascii_lowercase();
    [
        "changeme",
        "change_me",
        "change-me",
        "example",
        "your",
        "placeholder",
        "dummy",
        "redacted",
        "password",
        "secret",
        "xxxx",
        "****",
        "todo",
        "replace",
    ]
    .iter()
    .any(|p| v.contains(p))
        || matches!(
            v.as_str(),
            "test" | "testing" | "admin" | "123456" | "none" | "null"
        )
}

/// A Discord bot token: the bot's id in base64 (starting `M`, `N` or `O`), a dot, six
/// characters, a dot, and 27 or more.
fn discord_bot_token(text: &str) -> bool {
    // Split as bytes (every token character is ASCII, and no byte of another character is
    // one); the shortest such word is 58 characters (23, 6 and 27, two dots).
    let token = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.');
    text.as_bytes()
        .split(|b| !token(b))
        .filter(|w| w.len() >= 58)
        .filter_map(|w| std::str::from_utf8(w).ok())
        .any(|w| {
            let parts: Vec<&str> = w.split('.').collect();
            matches!(parts.as_slice(), [a, b, c]
                if (23..=28).contains(&a.len())
                    && a.starts_with(['M', 'N', 'O'])
                    && b.len() == 6
                    && (27..=40).contains(&c.len()))
        })
}

/// `prefix` at a word's start, followed by at least `min` token characters.
fn has_token(text: &str, prefix: &str, min: usize) -> bool {
    text.match_indices(prefix).any(|(i, _)| {
        let boundary = i == 0
            || text
                .get(..i)
                .and_then(|p| p.chars().last())
                .is_some_and(|c| !c.is_ascii_alphanumeric());
        boundary
            && text.get(i + prefix.len()..).is_some_and(|rest| {
                rest.chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                    .take(min)
                    .count()
                    >= min
            })
    })
}

/// Token shapes that name their provider, with the host words of the provider's APIs.
const PROVIDER_TOKENS: &[(&str, usize, &[&str])] = &[
    ("ghp_", 30, &["github", "ghcr.io", "githubusercontent.com"]),
    ("gho_", 30, &["github", "ghcr.io", "githubusercontent.com"]),
    ("ghs_", 30, &["github", "ghcr.io", "githubusercontent.com"]),
    ("ghu_", 30, &["github", "ghcr.io", "githubusercontent.com"]),
    (
        "github_pat_",
        30,
        &["github", "ghcr.io", "githubusercontent.com"],
    ),
    ("glpat-", 20, &["gitlab"]),
    ("xoxb-", 20, &["slack.com"]),
    ("xoxp-", 20, &["slack.com"]),
    ("xoxa-", 20, &["slack.com"]),
    ("xoxs-", 20, &["slack.com"]),
    ("sk_live_", 12, &["stripe.com"]),
    ("rk_live_", 12, &["stripe.com"]),
    ("npm_", 30, &["npmjs.org", "npmjs.com"]),
    ("pypi-AgE", 30, &["pypi.org"]),
    (
        "AIza",
        30,
        &[
            "googleapis.com",
            "google.com",
            "firebaseio.com",
            "firebaseapp.com",
        ],
    ),
    ("hf_", 30, &["huggingface.co", "hf.co"]),
    ("dop_v1_", 30, &["digitalocean.com"]),
    ("shpat_", 20, &["shopify.com"]),
    ("sk-proj-", 6, &["openai.com"]),
    ("sk-svcacct-", 6, &["openai.com"]),
    ("sk-ant-", 6, &["anthropic.com"]),
];

/// A provider's token in a request's headers sent to a host that is not that provider's
/// (`Authorization: Bearer ghp_…` to `evil.example`): the token leaves. A header is how an
/// API is called, so a token of a shape that names no provider is not judged here.
pub(crate) fn foreign_credential(headers: &str, url: &str) -> Option<&'static str> {
    let host = host(url);
    if host.is_empty() {
        return None;
    }
    if headers.contains("PRIVATE KEY-----") {
        return Some("a private key");
    }
    PROVIDER_TOKENS
        .iter()
        .find(|(prefix, min, hosts)| {
            // A self-hosted GitLab answers its API at `/api/v4` on any host.
            let own = hosts.iter().any(|h| own_host(&host, h))
                || (*prefix == "glpat-" && url.contains("/api/v4/"));
            has_token(headers, prefix, *min) && !own
        })
        .map(|_| "a provider's token")
}

/// Twilio's API key SID: `SK` and 32 hex digits, a word of its own.
fn twilio_key(text: &str) -> bool {
    text.match_indices("SK").any(|(i, _)| {
        let before = text.get(..i).and_then(|p| p.chars().last());
        let rest = text.get(i + 2..).unwrap_or("");
        let hex = rest.chars().take_while(char::is_ascii_hexdigit).count();
        !before.is_some_and(|c| c.is_ascii_alphanumeric())
            && hex == 32
            && !rest
                .chars()
                .nth(32)
                .is_some_and(|c| c.is_ascii_alphanumeric())
    })
}

/// A Telegram bot token: the bot's number, `:`, and 35 characters starting `AA`.
fn telegram_bot_token(text: &str) -> bool {
    text.match_indices(":AA").any(|(i, _)| {
        let digits = text
            .get(..i)
            .unwrap_or("")
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .count();
        let tail = text
            .get(i + 1..)
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
            .count();
        (8..=10).contains(&digits) && tail == 35
    })
}

/// An AWS secret access key alone: a word of exactly 40 base64 characters with `/` or `+`,
/// upper and lower case letters and digits (percent-encoded slashes decoded first).
fn aws_secret_key(text: &str) -> bool {
    // The key holds `/` or `+`, written as such or percent-encoded.
    if !text.bytes().any(|b| matches!(b, b'/' | b'+' | b'%')) {
        return false;
    }
    let decoded;
    let text = if text.contains("%2F") || text.contains("%2f") || text.contains("%2B") {
        decoded = text
            .replace("%2F", "/")
            .replace("%2f", "/")
            .replace("%2B", "+")
            .replace("%2b", "+");
        decoded.as_str()
    } else {
        text
    };
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '/' || c == '+'))
        .any(|r| {
            r.len() == 40
                && r.contains(['/', '+'])
                && r.bytes().filter(u8::is_ascii_uppercase).count() >= 4
                && r.bytes().filter(u8::is_ascii_lowercase).count() >= 4
                && r.bytes().filter(u8::is_ascii_digit).count() >= 2
                // A path of words is not a key (`/usr/lib/x86_64/…`).
                && r.split(['/', '+']).all(|part| part.len() < 24)
                && !r.starts_with('/')
        })
}

/// The provider's own host: its domain or a subdomain (`api.github.com`), or for a bare word
/// (`github`) a host with that label (GitHub Enterprise's `github.corp.example`). A public
/// domain followed by more labels (`api.github.com.evil.example`) is a look-alike.
fn own_host(host: &str, provider: &str) -> bool {
    let host = host.trim_end_matches('.');
    if provider.contains('.') {
        return host == provider
            || host
                .strip_suffix(provider)
                .is_some_and(|sub| sub.ends_with('.'));
    }
    let public = format!("{provider}.com.");
    !host.contains(&public)
        && !host.starts_with(&format!("{provider}.com-"))
        && host.split('.').any(|label| label == provider)
}

/// A run of at least `n` base64 characters (an AWS secret key is 40).
fn long_run(text: &str, n: usize) -> bool {
    text.split(|c: char| !(c.is_ascii_alphanumeric() || c == '/' || c == '+'))
        .any(|r| r.len() >= n && r.chars().any(|c| c.is_ascii_digit()))
}

/// A JSON Web Token: `eyJ…` header, payload and signature joined by dots.
fn jwt(text: &str) -> bool {
    // Bounded: at most 64 candidates, each read to at most 4 KiB.
    text.match_indices("eyJ").take(64).any(|(i, _)| {
        let rest = text.get(i..).unwrap_or_default();
        let tok: String = rest
            .chars()
            .take(4096)
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .collect();
        let parts: Vec<&str> = tok.split('.').collect();
        parts.len() == 3 && parts.iter().all(|p| p.len() >= 8)
    })
}

/// A SendGrid key: `SG.`, 22 characters, `.`, 43 characters.
fn sendgrid_key(text: &str) -> bool {
    text.match_indices("SG.").any(|(i, _)| {
        let rest = text.get(i + 3..).unwrap_or_default();
        let part = |s: &str| {
            s.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'))
                .count()
        };
        let first = part(rest);
        first >= 20
            && rest
                .get(first..)
                .is_some_and(|r| r.starts_with('.') && part(r.get(1..).unwrap_or_default()) >= 40)
    })
}

/// A database connection URL that carries a password (`postgres://admin:pw@db/prod`).
fn database_url_with_password(lower: &str) -> bool {
    const SCHEMES: &[&str] = &[
        "postgres://",
        "postgresql://",
        "mysql://",
        "mariadb://",
        "mongodb://",
        "mongodb+srv://",
        "redis://",
        "rediss://",
        "amqp://",
        "amqps://",
        "sqlserver://",
        "mssql://",
    ];
    SCHEMES.iter().any(|scheme| {
        lower.match_indices(scheme).any(|(at, _)| {
            let rest = lower.get(at + scheme.len()..).unwrap_or_default();
            let authority = rest
                .split(['/', '?', '#', ' ', '"', '&'])
                .next()
                .unwrap_or("");
            authority
                .rsplit_once('@')
                .and_then(|(user, _)| user.split_once(':'))
                .is_some_and(|(_, password)| !password.is_empty())
        })
    })
}

/// A provider's token in the headers, sent to another host ([`foreign_credential`]).
pub(super) fn sent_in_headers(ctx: &mut Ctx, headers: &str, url: &str) {
    if let Some(what) = foreign_credential(headers, url) {
        ctx.add(
            Admin,
            format!(
                "http: sends {what} in a header to {}, not its provider",
                snippet(url)
            ),
        );
    }
    // A credential in any other header (`Cookie: d=<base64 of a key>`, `X-Data: …`) leaves
    // with the request; authorization headers are the provider check's above.
    if let Some(what) = headers
        .lines()
        .filter(|h| !auth_header(h))
        .find_map(credential_in)
    {
        ctx.add(
            Admin,
            format!("http: sends {what} in a header to {}", snippet(url)),
        );
    }
}

/// A header that carries the caller's own credential for the server (`Authorization`,
/// `X-Api-Key`, `Private-Token`): judged by where it goes, not by what it holds.
pub(crate) fn auth_header(line: &str) -> bool {
    let name = line
        .split(':')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    name.contains("auth") || name.contains("token") || name.contains("key")
}

#[cfg(test)]
#[path = "credentials_tests.rs"]
mod tests;
