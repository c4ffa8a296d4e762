//! The verifier, shared by `airlock audit verify` and `GET /api/v1/sessions/{id}/verify`:
//! a session's chain replayed with its link keys, its counters against its entries, its head
//! against the replay, and every checkpoint's claim about it a prefix of its chain.

use serde::Serialize;

use airlock_store::model::{Decision, SessionHead};

use crate::checkpoint::Claim;
use crate::keys::KeyRing;
use crate::link::legacy_link;

pub use airlock_core::chain::GENESIS;

/// The outcome of verifying one session. The first five fields are those the verify route
/// always answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SessionReport {
    pub valid: bool,
    pub entries: u64,
    pub calls: u64,
    pub head: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The sequence number of the first entry found bad (for a truncation: the first one
    /// missing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_bad_seq: Option<u64>,
    /// Entries accepted as legacy (unkeyed links written before keyed links existed).
    pub legacy_entries: u64,
    /// How many checkpoint claims about this session were checked.
    pub checkpoints_checked: u64,
}

struct Failure {
    seq: u64,
    error: String,
}

/// Verifies one session: `session` is its row (`None`: missing), `decisions` its entries
/// oldest first, `claims` what checkpoints say of it.
pub fn verify_session(
    session: Option<&SessionHead>,
    decisions: &[Decision],
    claims: &[Claim],
    keys: &KeyRing,
) -> SessionReport {
    let mut head = GENESIS.to_string();
    let mut failure: Option<Failure> = None;
    let mut legacy = 0u64;
    let mut keyed_seen = false;
    let mut count = 0u64;
    let mut hashes: Vec<&str> = Vec::with_capacity(decisions.len());
    for d in decisions {
        count += 1;
        hashes.push(d.hash.as_str());
        if failure.is_some() {
            continue;
        }
        let fail = |error: String| Some(Failure { seq: count, error });
        if d.seq != count {
            failure = fail(format!(
                "entry {count} has sequence number {} (removed or reordered)",
                d.seq
            ));
            continue;
        }
        let computed = if d.key_id.is_empty() {
            if keyed_seen {
                failure = fail(format!(
                    "entry {count} (`{}`) is an unkeyed legacy link after keyed ones",
                    d.check_id
                ));
                continue;
            }
            if let Some(cutoff) = keys.legacy_cutoff()
                && d.decided_at >= cutoff
            {
                failure = fail(format!(
                    "entry {count} (`{}`) is an unkeyed legacy link dated after the audit keys existed",
                    d.check_id
                ));
                continue;
            }
            legacy += 1;
            legacy_link(&head, d)
        } else {
            keyed_seen = true;
            match keys.get(&d.key_id) {
                Some(k) => k.link.link(&head, d),
                None => {
                    failure = fail(format!(
                        "entry {count} (`{}`) was linked with unknown audit key `{}`",
                        d.check_id, d.key_id
                    ));
                    continue;
                }
            }
        };
        if computed != d.hash {
            failure = fail(format!(
                "entry {count} (`{}`) does not match its link: changed, or re-hashed without the key",
                d.check_id
            ));
            continue;
        }
        head = computed;
    }
    let calls = session.map_or(0, |s| s.total_calls);
    if failure.is_none() {
        failure = match session {
            None => Some(Failure {
                seq: 1,
                error: "the session's row is missing".into(),
            }),
            Some(s) if head != s.head => Some(Failure {
                seq: count + 1,
                error: "replayed head does not match the session's stored head".into(),
            }),
            Some(s) if count != s.total_calls => Some(Failure {
                seq: count.min(s.total_calls) + 1,
                error: format!("{count} entries recorded for {} calls", s.total_calls),
            }),
            Some(_) => None,
        };
    }
    // Every checkpoint's (count, head) must be a prefix of the chain as stored.
    if failure.is_none() {
        for c in claims {
            if c.count > count {
                failure = Some(Failure {
                    seq: count + 1,
                    error: format!(
                        "checkpoint {} recorded {} entries, the chain has {count}: entries were removed",
                        c.at, c.count
                    ),
                });
                break;
            }
            let stored = match c.count {
                0 => GENESIS,
                n => hashes[(n - 1) as usize],
            };
            if stored != c.head {
                failure = Some(Failure {
                    seq: c.count.max(1),
                    error: format!(
                        "entry {} differs from checkpoint {}: the chain was rewritten",
                        c.count, c.at
                    ),
                });
                break;
            }
        }
    }
    SessionReport {
        valid: failure.is_none(),
        entries: count,
        calls,
        head,
        first_bad_seq: failure.as_ref().map(|f| f.seq),
        error: failure.map(|f| f.error),
        legacy_entries: legacy,
        checkpoints_checked: claims.len() as u64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::link::tests::decision;
    use chrono::Utc;

    fn chain(keys: &KeyRing, n: u64) -> (Vec<Decision>, SessionHead) {
        let key = keys.current();
        let mut head = GENESIS.to_string();
        let mut out = vec![];
        for seq in 1..=n {
            let mut d = decision(seq);
            d.key_id = key.id.clone();
            d.hash = key.link.link(&head, &d);
            head = d.hash.clone();
            out.push(d);
        }
        let s = SessionHead {
            org_id: "org_1".into(),
            id: "s1".into(),
            head,
            total_calls: n,
        };
        (out, s)
    }

    fn claim(d: &[Decision], count: u64) -> Claim {
        Claim {
            at: "f#1".into(),
            head: if count == 0 {
                GENESIS.into()
            } else {
                d[count as usize - 1].hash.clone()
            },
            count,
        }
    }

    #[test]
    fn an_intact_chain_with_checkpoints_verifies() {
        let keys = KeyRing::ephemeral();
        let (d, s) = chain(&keys, 4);
        let r = verify_session(Some(&s), &d, &[claim(&d, 2), claim(&d, 4)], &keys);
        assert!(r.valid, "{r:?}");
        assert_eq!((r.entries, r.calls, r.checkpoints_checked), (4, 4, 2));
        assert_eq!(r.head, s.head);
    }

    #[test]
    fn each_tampering_is_detected_with_its_first_bad_entry() {
        let keys = KeyRing::ephemeral();
        let (d, s) = chain(&keys, 4);
        let claims = [claim(&d, 4)];
        let bad = |s: Option<&SessionHead>, d: &[Decision], c: &[Claim]| {
            let r = verify_session(s, d, c, &keys);
            assert!(!r.valid, "{r:?}");
            r
        };
        // An uncovered column edited (input summary, reasons, risk, approval, source).
        for edit in [
            (|d: &mut Decision| d.input_summary = "DROP TABLE users".into()) as fn(&mut Decision),
            |d| d.reasons.clear(),
            |d| d.risk = "high".into(),
            |d| d.approval_id = Some("apr_x".into()),
            |d| d.source = "hook".into(),
            |d| d.confidence = 0.1,
        ] {
            let mut t = d.clone();
            edit(&mut t[1]);
            assert_eq!(bad(Some(&s), &t, &claims).first_bad_seq, Some(2));
        }
        // Last entries deleted, head and count reset to match.
        let mut s2 = s.clone();
        s2.head = d[1].hash.clone();
        s2.total_calls = 2;
        let r = bad(Some(&s2), &d[..2], &claims);
        assert_eq!(r.first_bad_seq, Some(3));
        assert!(r.error.unwrap().contains("removed"));
        // Everything deleted, reset to genesis.
        let mut s3 = s.clone();
        s3.head = GENESIS.into();
        s3.total_calls = 0;
        assert_eq!(bad(Some(&s3), &[], &claims).first_bad_seq, Some(1));
        // The session row deleted.
        bad(None, &d, &[]);
        // Reordered.
        let mut t = d.clone();
        t.swap(1, 2);
        assert_eq!(bad(Some(&s), &t, &[]).first_bad_seq, Some(2));
        // Rewritten and re-chained with the legacy (unkeyed) hash, or with another key.
        let mut t = d.clone();
        t[2].allowed = false;
        let mut head = GENESIS.to_string();
        for e in t.iter_mut() {
            e.key_id.clear();
            e.hash = legacy_link(&head, e);
            head = e.hash.clone();
        }
        let mut s4 = s.clone();
        s4.head = head;
        bad(Some(&s4), &t, &claims);
        let other = KeyRing::ephemeral();
        let (t, s5) = chain(&other, 4);
        bad(Some(&s5), &t, &[]);
        // Counter edited.
        let mut s6 = s.clone();
        s6.total_calls = 5;
        bad(Some(&s6), &d, &[]);
    }

    #[test]
    fn legacy_entries_verify_only_as_a_prefix() {
        let keys = KeyRing::ephemeral();
        let key = keys.current();
        let mut head = GENESIS.to_string();
        let mut d = vec![];
        for seq in 1..=3 {
            let mut e = decision(seq);
            if seq <= 2 {
                e.key_id.clear();
                e.hash = legacy_link(&head, &e);
            } else {
                e.key_id = key.id.clone();
                e.hash = key.link.link(&head, &e);
            }
            head = e.hash.clone();
            d.push(e);
        }
        let s = SessionHead {
            org_id: "org_1".into(),
            id: "s1".into(),
            head: head.clone(),
            total_calls: 3,
        };
        let r = verify_session(Some(&s), &d, &[], &keys);
        assert!(r.valid, "{r:?}");
        assert_eq!(r.legacy_entries, 2);
        // A legacy entry after a keyed one fails.
        let mut t = d.clone();
        let mut e = decision(4);
        e.key_id.clear();
        e.hash = legacy_link(&head, &e);
        t.push(e.clone());
        let s2 = SessionHead {
            head: e.hash.clone(),
            total_calls: 4,
            ..s.clone()
        };
        let r = verify_session(Some(&s2), &t, &[], &keys);
        assert!(!r.valid);
        assert_eq!(r.first_bad_seq, Some(4));
        let _ = Utc::now();
    }
}
