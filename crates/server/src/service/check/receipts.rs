//! A check's receipt: built inside its transaction, signed with the receipts of the checks
//! answered at the same time (docs/audit.md, "Receipts").

use airlock_audit::AuditKey;
use airlock_audit::receipt::Receipt;
use airlock_audit::receipt_batch;

use super::{JobResult, Pass, Shared};
use crate::service::ServiceError;

/// What a pass answers: its outcome, the caller's organization, and the receipt of a
/// recorded decision when the check is signed.
pub(crate) struct PassAnswer(pub(super) Result<(Pass, String, Option<Receipt>), ServiceError>);

/// The receipt of a recorded decision, not yet signed.
pub(super) fn unsigned_receipt(
    shared: &Shared,
    session_id: &str,
    ((verdict, check_id), _, link): &JobResult,
) -> Receipt {
    Receipt {
        check_id: check_id.clone(),
        session_id: session_id.to_string(),
        seq: link.seq,
        input_digest: shared.digest.clone(),
        effect: verdict.effect.as_str().to_string(),
        allowed: verdict.allowed,
        decided_at: link.decided_at.clone(),
        chain_head: link.head.clone(),
        key_id: String::new(),
        signature: String::new(),
        batch: None,
    }
}

/// Signs the receipts of the checks answered together with one signature over their Merkle
/// root (`airlock_audit::receipt_batch`; a lone receipt is signed alone): run on the thread
/// that answers them, once their decisions are committed (and on disk, on SQLite), so that a
/// check is woken once, its receipt signed, and one signature serves a whole group commit.
pub(crate) fn seal_receipts(key: &AuditKey, answers: &mut [&mut PassAnswer]) {
    let mut slots: Vec<&mut Option<Receipt>> = answers
        .iter_mut()
        .filter_map(|a| match &mut a.0 {
            Ok((_, _, receipt @ Some(_))) => Some(receipt),
            _ => None,
        })
        .collect();
    let receipts: Vec<Receipt> = slots.iter_mut().filter_map(|r| r.take()).collect();
    // In order, one signature for each `MAX_BATCH` of them (a proof verifiers accept).
    let signed = receipt_batch::sign_all(receipts, key);
    for (slot, receipt) in slots.into_iter().zip(signed) {
        *slot = Some(receipt);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;

    fn receipt(i: usize) -> Receipt {
        Receipt {
            check_id: format!("chk_{i}"),
            session_id: "s".into(),
            seq: i as u64 + 1,
            input_digest: "ab".repeat(32),
            effect: "read".into(),
            allowed: true,
            decided_at: "2026-01-02T03:04:05.000000Z".into(),
            chain_head: format!("{i:064x}"),
            key_id: String::new(),
            signature: String::new(),
            batch: None,
        }
    }

    fn answer(receipt: Option<Receipt>) -> PassAnswer {
        PassAnswer(Ok((Pass::Refused("no".into()), "org".into(), receipt)))
    }

    #[test]
    fn the_receipts_of_a_group_are_signed_in_place_and_nothing_else_changes() {
        let key = AuditKey::generate();
        let mut answers = [
            answer(Some(receipt(0))),
            answer(None),
            PassAnswer(Err(ServiceError::Unavailable)),
            answer(Some(receipt(1))),
            answer(Some(receipt(2))),
        ];
        let mut group: Vec<&mut PassAnswer> = answers.iter_mut().collect();
        seal_receipts(&key, &mut group);
        let receipts: Vec<Option<&Receipt>> = answers
            .iter()
            .map(|a| a.0.as_ref().ok().and_then(|(_, _, r)| r.as_ref()))
            .collect();
        assert!(receipts[1].is_none() && answers[2].0.is_err());
        for (at, i) in [(0, 0), (3, 1), (4, 2)] {
            let r = receipts[at].unwrap();
            assert_eq!(
                r.check_id,
                format!("chk_{i}"),
                "each receipt back in its answer"
            );
            assert_eq!(r.batch.as_ref().map(|b| (b.index, b.size)), Some((i, 3)));
            let text = serde_json::to_string(r).unwrap();
            airlock_audit::receipt::verify(&text, |_| Some(key.public()))
                .unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
