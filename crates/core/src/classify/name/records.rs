//! Tool names that change existing DNS records (docs/classifier.md, "The nineteenth sets"):
//! `update_dns_record`, `upsert_dns_record`, `cloudflare_dns_record_update`,
//! `route53_change_resource_record_sets`. The name's traffic moves and the old record is
//! gone, so these are destructive, as deleting one is; creating one (`create_dns_record`)
//! and reading (`list_dns_records`) stay what the name tier says.

/// A cheap test that `name` may name DNS records at all: one pass over its bytes.
pub(super) fn mentions_records(name: &str) -> bool {
    let b = name.as_bytes();
    let at = |i: usize, stem: &[u8]| {
        b.get(i..i + stem.len())
            .is_some_and(|w| w.eq_ignore_ascii_case(stem))
    };
    (0..b.len()).any(|i| match b.get(i).map(|c| c | 0x20) {
        Some(b'd') => at(i, b"dns"),
        Some(b'r') => at(i, b"rrset") || at(i, b"record"),
        // A record named by its type (`update_cname`, `set_a_record`, `updateMxRecord`;
        // the twentieth sets).
        Some(b'c') => at(i, b"cname"),
        Some(b'a') => at(i, b"aaaa"),
        Some(b'n') => at(i, b"nameserver"),
        _ => false,
    })
}

/// The verb of `words` that changes an existing DNS record, when it does.
pub(super) fn changes_records(words: &[String]) -> Option<String> {
    const VERBS: &[&str] = &[
        "update",
        "upsert",
        "change",
        "replace",
        "modify",
        "edit",
        "patch",
        "set",
        "overwrite",
        "import",
        "batch",
    ];
    const READS: &[&str] = &[
        "list", "get", "read", "fetch", "show", "describe", "search", "find", "lookup", "query",
        "check", "status", "history", "export", "validate", "preview",
    ];
    if words.iter().any(|w| READS.contains(&w.as_str())) {
        return None;
    }
    const TYPES: &[&str] = &[
        "a", "aaaa", "cname", "mx", "txt", "ns", "srv", "ptr", "caa", "soa", "alias",
    ];
    let named = words.iter().any(|w| {
        matches!(
            w.as_str(),
            "dns"
                | "rrset"
                | "rrsets"
                | "recordset"
                | "recordsets"
                | "cname"
                | "aaaa"
                | "nameserver"
                | "nameservers"
        )
    }) || words.windows(2).any(|p| match p {
        [a, b] => {
            (a == "resource" || TYPES.contains(&a.as_str())) && (b == "record" || b == "records")
        }
        _ => false,
    }) || words.iter().any(|w| {
        // `arecord`, `mxrecord` written as one word.
        w.strip_suffix("record")
            .is_some_and(|t| TYPES.contains(&t) || t == "resource")
    });
    // `record` alone names a DNS record only in a name that says DNS somewhere.
    let dns = named
        || (words.iter().any(|w| w == "dns")
            && words.iter().any(|w| w == "record" || w == "records"));
    dns.then(|| words.iter().find(|w| VERBS.contains(&w.as_str())).cloned())
        .flatten()
}
