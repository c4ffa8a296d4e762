//! Writes that move money or repoint a domain (docs/classifier.md, "The nineteenth sets"):
//! a payout, transfer, refund or charge created through an API (`POST /v1/payouts`, a
//! payment intent's `confirm` or `capture`, an invoice's `pay`) sends money that cannot be
//! called back; a change to an existing DNS record (Cloudflare's `PUT`/`PATCH`/`DELETE
//! …/dns_records/ID`, Route 53's `POST …/hostedzone/ID/rrset`, Cloud DNS's `changes`)
//! moves the traffic of a name, which is destructive. Only raises a write; reads stay reads.

use crate::Effect::{self, Destructive};

/// Collections whose creation moves money.
const MONEY: &[&str] = &[
    "payouts",
    "transfers",
    "refunds",
    "charges",
    "topups",
    "withdrawals",
    "disbursements",
    "reversals",
];

/// Collections of a zone's records.
const RECORDS: &[&str] = &[
    "dns_records",
    "records",
    "rrset",
    "rrsets",
    "resourcerecordsets",
];
/// What holds those records.
const ZONES: &[&str] = &["zones", "domains", "hostedzone", "managedzones", "dns"];

/// A money mover (`payouts`, `transfers`, …) or an action that moves money on a payment
/// (`payment_intents/ID/confirm`, `charges/ID/capture`, `invoices/ID/pay`): the word that
/// says so.
pub(crate) fn moves_money(segs: &[String]) -> Option<&str> {
    let last = segs.last()?.as_str();
    if MONEY.contains(&last) {
        return Some(last);
    }
    let holder = segs
        .len()
        .checked_sub(3)
        .and_then(|i| segs.get(i))?
        .as_str();
    let moves = matches!(
        (holder, last),
        ("payment_intents" | "charges", "confirm" | "capture") | ("invoices", "pay")
    );
    moves.then_some(last)
}

/// A write (`method` upper case) that moves money or changes a zone's existing records.
pub(crate) fn write_effect(method: &str, segs: &[&str]) -> Option<(Effect, String)> {
    if matches!(method, "GET" | "HEAD" | "OPTIONS") || segs.is_empty() {
        return None;
    }
    let lower: Vec<String> = segs.iter().map(|s| s.to_ascii_lowercase()).collect();
    if method == "POST"
        && let Some(w) = moves_money(&lower)
    {
        return Some((
            Destructive,
            format!("moves money (`{w}`), which cannot be called back"),
        ));
    }
    let zone = lower.iter().position(|s| ZONES.contains(&s.as_str()))?;
    let after = lower.get(zone + 1..).unwrap_or_default();
    // A Route 53 change batch (`POST …/rrset`) and a Cloud DNS change (`POST …/changes`)
    // may replace or delete existing records; a record named after its collection
    // (`…/dns_records/ID`) is changed or removed by any other write.
    let batch =
        method == "POST" && matches!(after.last().map(String::as_str), Some("rrset" | "changes"));
    let named = after
        .iter()
        .position(|s| RECORDS.contains(&s.as_str()))
        .is_some_and(|r| after.len() > r + 1);
    (batch || (named && method != "POST")).then(|| {
        (
            Destructive,
            "changes or removes an existing DNS record (the name's traffic moves)".into(),
        )
    })
}
