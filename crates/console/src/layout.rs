//! The page frame every console page shares, and small pieces pages reuse: times, badges,
//! empty states, pagers. Everything is `maud` markup: user data is escaped by construction.
//!
//! The Content-Security-Policy allows no inline script or style: use the classes of
//! `assets/console.css` and the `data-*` hooks of `assets/console.js`, never `style=`.

use chrono::{DateTime, SecondsFormat, Utc};
use maud::{DOCTYPE, Markup, html};

use crate::assets;
use crate::auth::Signed;
use crate::csrf;

/// Which navigation entry is the current page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Approvals,
    Sessions,
    Decisions,
    Agents,
    Servers,
    Policies,
    Reviewers,
    Keys,
    /// Sign-in and error pages.
    None,
}

const NAV: &[(Nav, &str, &str)] = &[
    (Nav::Approvals, "Approvals", "/console/approvals"),
    (Nav::Sessions, "Sessions", "/console/sessions"),
    (Nav::Decisions, "Decisions", "/console/decisions"),
    (Nav::Agents, "Agents", "/console/agents"),
    (Nav::Servers, "Servers", "/console/servers"),
    (Nav::Policies, "Policies", "/console/policies"),
    (Nav::Reviewers, "Reviewers", "/console/reviewers"),
    (Nav::Keys, "Keys", "/console/keys"),
];

/// A whole HTML document: header with navigation (when signed in), then `body` in `<main>`.
pub fn page(signed: Option<&Signed>, title: &str, active: Nav, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · Airlock" }
                link rel="stylesheet" href=(assets::css_href());
                script src=(assets::js_href()) defer {}
            }
            body {
                a.skip href="#main" { "Skip to content" }
                header.top {
                    a.brand href="/console/approvals" { "Airlock" }
                    @if let Some(s) = signed {
                        nav aria-label="Console" {
                            ul {
                                @for (entry, label, href) in NAV {
                                    li {
                                        @if *entry == active {
                                            a href=(href) aria-current="page" { (label) }
                                        } @else {
                                            a href=(href) { (label) }
                                        }
                                    }
                                }
                            }
                        }
                        div.who {
                            span.org title="Organization" { (s.org_name) }
                            form method="post" action="/console/sign-out" {
                                (csrf::field(s))
                                button.link type="submit" { "Sign out" }
                            }
                        }
                    }
                }
                main id="main" tabindex="-1" {
                    (body)
                }
            }
        }
    }
}

/// A time in UTC; the script shows it in the viewer's local time, UTC on hover.
pub fn time(ts: DateTime<Utc>) -> Markup {
    let iso = ts.to_rfc3339_opts(SecondsFormat::Secs, true);
    let utc = ts.format("%Y-%m-%d %H:%M:%S UTC").to_string();
    html! { time datetime=(iso) title=(utc) { (utc) } }
}

/// An optional time: a dash when absent.
pub fn time_or_dash(ts: Option<DateTime<Utc>>) -> Markup {
    match ts {
        Some(t) => time(t),
        None => html! { span.muted { "—" } },
    }
}

/// An effect (`read`, `write`, `destructive`, …) as a coloured badge.
pub fn effect_badge(effect: &str) -> Markup {
    let class = match effect {
        "read" | "none" => "badge ok",
        "write" | "network" => "badge warn",
        "destructive" | "privileged" | "exfiltration" => "badge bad",
        _ => "badge",
    };
    html! { span class=(class) { (effect) } }
}

/// A verdict: allowed or denied.
pub fn verdict_badge(allowed: bool) -> Markup {
    if allowed {
        html! { span class="badge ok" { "allowed" } }
    } else {
        html! { span class="badge bad" { "denied" } }
    }
}

/// What a list shows when it has nothing.
pub fn empty(text: &str) -> Markup {
    html! { p.empty { (text) } }
}

/// Previous/next links for a paged list; each is an href or absent.
pub fn pager(prev: Option<&str>, next: Option<&str>) -> Markup {
    html! {
        @if prev.is_some() || next.is_some() {
            nav.pager aria-label="Pages" {
                @if let Some(p) = prev { a href=(p) rel="prev" { "← Newer" } }
                @if let Some(n) = next { a href=(n) rel="next" { "Older →" } }
            }
        }
    }
}

/// A long text (SQL, a command, JSON) folded when it is long, so it never breaks the page.
pub fn folded(summary: &str, text: &str) -> Markup {
    const FOLD_AT: usize = 600;
    html! {
        @if text.len() > FOLD_AT || text.lines().count() > 12 {
            details.long {
                summary { (summary) " (" (text.len()) " bytes)" }
                pre { code { (text) } }
            }
        } @else {
            pre { code { (text) } }
        }
    }
}

/// A page that is still being built.
pub fn coming(signed: &Signed, title: &str, active: Nav) -> Markup {
    page(
        Some(signed),
        title,
        active,
        html! {
            h1 { (title) }
            (empty("This page is coming."))
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn times_carry_utc_for_the_script_and_the_hover() {
        let t = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        assert_eq!(
            time(t).into_string(),
            r#"<time datetime="2026-01-02T03:04:05Z" title="2026-01-02 03:04:05 UTC">2026-01-02 03:04:05 UTC</time>"#
        );
    }

    #[test]
    fn user_text_is_escaped() {
        let m = folded("SQL", "<script>alert(1)</script>").into_string();
        assert!(m.contains("&lt;script&gt;") && !m.contains("<script>"));
    }
}
