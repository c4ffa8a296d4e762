//! Receipts signed together: under load, the receipts of decisions committed at the same time
//! are the leaves of a Merkle tree whose root is signed once, and each receipt carries its
//! place in the tree (`batch`: index, size, the sibling hashes up to the root). One Ed25519
//! signature then serves a whole group commit instead of one per check; each receipt still
//! verifies alone, offline, with the public key (docs/audit.md, "Receipts").
//!
//! Leaf: `SHA-256(0x00 || signed_bytes(receipt))` (the single receipt's signed bytes).
//! Node: `SHA-256(0x01 || left || right)`; a level with an odd count carries its last node up
//! unchanged. Signed message: `"airlock-receipt-batch-v1\n" || hex(root) || "\n" || size`.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::keys::AuditKey;
use crate::receipt::Receipt;

const BATCH_DOMAIN: &[u8] = b"airlock-receipt-batch-v1\n";

/// The most receipts one signature covers (a proof of at most 12 hashes).
pub const MAX_BATCH: usize = 4096;

/// Where a receipt sits in the batch its signature covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchProof {
    pub index: u64,
    pub size: u64,
    /// Sibling hashes (hex), from the leaf's level up.
    pub path: Vec<String>,
}

type Hash = [u8; 32];

fn leaf(receipt: &Receipt) -> Hash {
    let mut h = Sha256::new();
    h.update([0u8]);
    h.update(receipt.signed_bytes());
    h.finalize().into()
}

fn node(left: &Hash, right: &Hash) -> Hash {
    let mut h = Sha256::new();
    h.update([1u8]);
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The message the batch signature covers.
pub fn batch_message(root: &Hash, size: u64) -> Vec<u8> {
    let mut out = BATCH_DOMAIN.to_vec();
    out.extend_from_slice(airlock_core::chain::hex_lower(root).as_bytes());
    out.push(b'\n');
    out.extend_from_slice(size.to_string().as_bytes());
    out
}

/// Signs `receipts`, in order, with one signature for each [`MAX_BATCH`] of them: alone, a
/// receipt is signed as a single receipt (no `batch`); several share the signature of their
/// tree's root.
pub fn sign_all(receipts: Vec<Receipt>, key: &AuditKey) -> Vec<Receipt> {
    if receipts.len() <= MAX_BATCH {
        return sign_batch(receipts, key);
    }
    let mut signed = Vec::with_capacity(receipts.len());
    let mut rest = receipts.into_iter();
    loop {
        let batch: Vec<Receipt> = rest.by_ref().take(MAX_BATCH).collect();
        if batch.is_empty() {
            return signed;
        }
        signed.extend(sign_batch(batch, key));
    }
}

/// Signs at most [`MAX_BATCH`] receipts with one signature.
fn sign_batch(receipts: Vec<Receipt>, key: &AuditKey) -> Vec<Receipt> {
    if receipts.len() <= 1 {
        return receipts.into_iter().map(|r| r.sign(key)).collect();
    }
    let receipts: Vec<Receipt> = receipts
        .into_iter()
        .map(|mut r| {
            r.key_id = key.id.clone();
            r.batch = None;
            r.signature = String::new();
            r
        })
        .collect();
    let size = receipts.len();
    // Every level of the tree, leaves first.
    let mut levels: Vec<Vec<Hash>> = vec![receipts.iter().map(leaf).collect()];
    while levels.last().is_some_and(|l| l.len() > 1) {
        let below = levels.last().map(Vec::as_slice).unwrap_or_default();
        let above: Vec<Hash> = below
            .chunks(2)
            .map(|pair| match pair {
                [l, r] => node(l, r),
                [only] => *only,
                _ => [0; 32],
            })
            .collect();
        levels.push(above);
    }
    let root = levels
        .last()
        .and_then(|l| l.first())
        .copied()
        .unwrap_or([0; 32]);
    let signature = key.sign(&batch_message(&root, size as u64));
    receipts
        .into_iter()
        .enumerate()
        .map(|(index, mut r)| {
            let mut path = Vec::new();
            let mut p = index;
            for level in &levels[..levels.len() - 1] {
                // The last node of an odd level has no sibling: it is carried up.
                if let Some(sibling) = level.get(p ^ 1) {
                    path.push(airlock_core::chain::hex_lower(sibling));
                }
                p /= 2;
            }
            r.batch = Some(BatchProof {
                index: index as u64,
                size: size as u64,
                path,
            });
            r.signature = signature.clone();
            r
        })
        .collect()
}

/// The root a receipt's proof leads to, or None if the proof does not fit its size.
pub fn root_of(receipt: &Receipt, proof: &BatchProof) -> Option<Hash> {
    if proof.size < 2 || proof.index >= proof.size || proof.size > MAX_BATCH as u64 {
        return None;
    }
    let mut hash = leaf(receipt);
    let mut siblings = proof.path.iter();
    let (mut p, mut n) = (proof.index, proof.size);
    while n > 1 {
        let carried = p == n - 1 && n % 2 == 1;
        if !carried {
            let sibling: Hash = hex::decode(siblings.next()?).ok()?.try_into().ok()?;
            hash = if p % 2 == 0 {
                node(&hash, &sibling)
            } else {
                node(&sibling, &hash)
            };
        }
        p /= 2;
        n = n.div_ceil(2);
    }
    // Every hash of the path is used.
    siblings.next().is_none().then_some(hash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::receipt::verify;

    fn receipts(n: usize) -> Vec<Receipt> {
        (0..n)
            .map(|i| Receipt {
                check_id: format!("chk_{i}"),
                session_id: format!("s{}", i % 3),
                seq: i as u64 + 1,
                input_digest: "ab".repeat(32),
                effect: "read".into(),
                allowed: i % 2 == 0,
                decided_at: "2026-01-02T03:04:05.000000Z".into(),
                chain_head: format!("{i:064x}"),
                key_id: String::new(),
                signature: String::new(),
                batch: None,
            })
            .collect()
    }

    #[test]
    fn more_receipts_than_one_signature_covers_are_signed_in_batches_in_order() {
        let key = AuditKey::generate();
        let public = key.public();
        let n = MAX_BATCH + 3;
        let signed = sign_all(receipts(n), &key);
        assert_eq!(signed.len(), n);
        for (i, r) in signed.iter().enumerate() {
            assert_eq!(r.check_id, format!("chk_{i}"), "order kept");
            let batch = r.batch.as_ref().map(|b| (b.index, b.size));
            let expected = if i < MAX_BATCH {
                (i as u64, MAX_BATCH as u64)
            } else {
                ((i - MAX_BATCH) as u64, 3)
            };
            assert_eq!(batch, Some(expected));
        }
        for r in signed.iter().step_by(409).chain(signed.last()) {
            let text = serde_json::to_string(r).unwrap();
            verify(&text, |_| Some(public)).unwrap_or_else(|e| panic!("{e}"));
        }
    }

    #[test]
    fn every_receipt_of_every_batch_size_verifies_alone() {
        let key = AuditKey::generate();
        let public = key.public();
        for n in [1, 2, 3, 4, 5, 7, 8, 9, 16, 33] {
            let signed = sign_all(receipts(n), &key);
            assert_eq!(signed.len(), n);
            assert_eq!(signed[0].batch.is_some(), n > 1);
            for r in &signed {
                let text = serde_json::to_string(r).unwrap();
                let got = verify(&text, |id| (id == key.id).then_some(public));
                assert_eq!(got.as_ref(), Ok(r), "batch of {n}: {text}");
            }
        }
    }

    #[test]
    fn a_changed_field_index_or_path_fails() {
        let key = AuditKey::generate();
        let public = key.public();
        let signed = sign_all(receipts(6), &key);
        let ok = |r: &Receipt| {
            verify(&serde_json::to_string(r).unwrap(), |id| {
                (id == key.id).then_some(public)
            })
            .is_ok()
        };
        let base = signed[2].clone();
        assert!(ok(&base));
        let mut tampered: Vec<Receipt> = Vec::new();
        let mut push = |f: &dyn Fn(&mut Receipt)| {
            let mut r = base.clone();
            f(&mut r);
            tampered.push(r);
        };
        push(&|r| r.allowed = !r.allowed);
        push(&|r| r.check_id.push('x'));
        push(&|r| r.seq += 1);
        push(&|r| r.chain_head = format!("{:064x}", 99));
        push(&|r| r.effect = "write".into());
        push(&|r| r.batch.as_mut().unwrap().index = 3);
        push(&|r| r.batch.as_mut().unwrap().size = 7);
        push(&|r| r.batch.as_mut().unwrap().size = 1);
        push(&|r| r.batch.as_mut().unwrap().path.pop().map(|_| ()).unwrap());
        push(&|r| r.batch.as_mut().unwrap().path.push("00".repeat(32)));
        push(&|r| r.batch.as_mut().unwrap().path[0] = "11".repeat(32));
        push(&|r| r.batch.as_mut().unwrap().path[0] = "not hex".into());
        push(&|r| r.batch = None);
        for r in &tampered {
            assert!(!ok(r), "{r:?}");
        }
        // Another receipt's proof does not carry this one.
        let mut swapped = base.clone();
        swapped.batch = signed[3].batch.clone();
        assert!(!ok(&swapped));
    }
}
