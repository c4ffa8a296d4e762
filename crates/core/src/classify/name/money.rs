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
/// `settle_invoice` pays it; Wise's `fund_transfer` pays for a transfer (the twentieth sets).
const MOVERS: &[&str] = &[
    "pay", "refund", "payout", "withdraw", "disburse", "remit", "settle", "fund",
];
/// Verbs that send a payment (`send_payment`, `process_payment`); `create_payment` may only
/// draft one, and keeps its own verb's tier.
const PAYMENT_MAKERS: &[&str] = &[
    "send",
    "make",
    "execute",
    "submit",
    "initiate",
    "process",
    "confirm",
    "capture",
    "complete",
    "authorize",
    "perform",
];
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

/// A cheap test that `name` may name money at all (most names do not, and are not split):
/// one pass over its bytes, a stem compared only where its first letter is.
pub(super) fn mentions_money(name: &str) -> bool {
    let b = name.as_bytes();
    let at = |i: usize, stem: &[u8]| {
        b.get(i..i + stem.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(stem))
    };
    (0..b.len()).any(|i| match b.get(i).map(|c| c | 0x20) {
        Some(b'p') => at(i, b"pay"),
        Some(b'r') => at(i, b"refund") || at(i, b"remit"),
        Some(b't') => at(i, b"transfer") || at(i, b"topup"),
        Some(b'c') => at(i, b"charge"),
        Some(b'w') => at(i, b"withdraw") || at(i, b"wire"),
        Some(b'f') => at(i, b"fund"),
        Some(b'm') => at(i, b"money"),
        Some(b'd') => at(i, b"disburs"),
        Some(b's') => at(i, b"settle"),
        _ => false,
    })
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
        // A money noun named before its maker (`refunds_create`, `payout_send`), as the
        // last words of the name (the twentieth sets).
        if NOUNS.contains(&w)
            && let Some(m) = words
                .get(i + 1..)
                .and_then(|rest| rest.last().filter(|_| rest.len() <= 2))
                .filter(|m| MAKERS.contains(&m.as_str()))
        {
            return Some(format!("{w} … {m}"));
        }
        if PAYMENT_MAKERS.contains(&w)
            && words
                .get(i + 1..)
                .unwrap_or_default()
                .iter()
                .any(|n| n == "payment" || n == "payments")
        {
            return Some(format!("{w} … payment"));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems() {
        for n in [
            "create_payout",
            "REFUND",
            "withdrawFunds",
            "topUp",
            "send_money",
            "disburse",
        ] {
            assert!(mentions_money(n), "{n}");
        }
        for n in ["status", "short", "list_files", "", "p"] {
            assert!(!mentions_money(n), "{n}");
        }
    }
}
