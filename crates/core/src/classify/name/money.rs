//! Tool names that move money (docs/classifier.md, "The nineteenth sets"): `create_payout`,
//! `stripe_create_refund`, `issue_refund`, `send_transfer`, `pay_invoice`, `refund_charge`.
//! Money sent cannot be called back, so these are destructive, as a removal is. A name that
//! reads first (`list_payouts`, `get_refund`, `retrieve_transfer`) or asks about one
//! (`refund_status`, `payout_details`) stays what the name tier says.

/// What money moves as.
const NOUNS: &[&str] = &[
    "payout",
    "payouts",
    "transfer",
    "transfers",
    "refund",
    "refunds",
    "charge",
    "charges",
    "withdrawal",
    "withdrawals",
    "disbursement",
    "disbursements",
    "remittance",
    "wire",
    "topup",
    "funds",
    "money",
];
/// Verbs that make one of them.
const MAKERS: &[&str] = &[
    "create", "issue", "send", "make", "initiate", "execute", "submit", "process", "post", "new",
    "start", "trigger", "perform", "add", "do", "capture", "confirm",
];
/// Verbs that are the movement itself (`pay_invoice`, `refund_charge`, `withdraw_funds`).
const MOVERS: &[&str] = &["pay", "refund", "payout", "withdraw", "disburse", "remit"];
/// Words that read before anything moves, or ask about a movement.
const READS: &[&str] = &[
    "list",
    "get",
    "read",
    "fetch",
    "show",
    "describe",
    "search",
    "find",
    "retrieve",
    "view",
    "query",
    "count",
    "check",
    "lookup",
    "preview",
    "estimate",
    "calculate",
    "simulate",
    "validate",
    "status",
    "info",
    "details",
    "detail",
    "history",
    "report",
    "policy",
    "eligibility",
    "fee",
    "fees",
    "quote",
    "summary",
];

/// A cheap test that `name` may name money at all (most names do not, and are not split).
pub(super) fn mentions_money(name: &str) -> bool {
    const STEMS: &[&[u8]] = &[
        b"pay",
        b"refund",
        b"transfer",
        b"charge",
        b"withdraw",
        b"wire",
        b"fund",
        b"money",
        b"disburs",
        b"remit",
        b"topup",
    ];
    let b = name.as_bytes();
    STEMS
        .iter()
        .any(|s| b.windows(s.len()).any(|w| w.eq_ignore_ascii_case(s)))
}

/// The words of `name` that move money, when they do.
pub(super) fn moves_money(words: &[String]) -> Option<String> {
    if words.iter().any(|w| READS.contains(&w.as_str())) {
        return None;
    }
    for (i, w) in words.iter().enumerate() {
        let w = w.as_str();
        // The movement leads the name, or follows only words that are no verb (a
        // vendor's prefix, `stripe_refund_charge`): `update_payout_schedule` changes a
        // setting, and is judged by its own verb.
        if MOVERS.contains(&w)
            && words
                .get(..i)
                .unwrap_or_default()
                .iter()
                .all(|p| super::verb_tier(p).is_none())
        {
            return Some(w.to_string());
        }
        if MAKERS.contains(&w)
            && let Some(n) = words
                .get(i + 1..)
                .unwrap_or_default()
                .iter()
                .find(|n| NOUNS.contains(&n.as_str()))
        {
            return Some(format!("{w} … {n}"));
        }
    }
    None
}
