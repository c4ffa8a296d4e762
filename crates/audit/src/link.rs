//! The canonical encoding of a stored decision and the keyed chain link over it.
//!
//! `canonical(d)` is compact JSON with sorted keys (see `airlock_core::chain::canonical_json`)
//! of an object holding every column of the `decisions` table except `hash`: text columns as
//! strings, counters as integers, `allowed` as a boolean, `reasons` as an array of strings,
//! `approval_id` as a string or null, `decided_at` as stored (RFC 3339, microseconds, `Z`)
//! and `confidence` as the 16 lowercase hex digits of its IEEE-754 bits (exact, whatever the
//! backend's float formatting).
//!
//! The link: `hash = hex(HMAC-SHA256(k_mac, "airlock-chain-v2\n" || prev_head || "\n" ||
//! canonical(d)))`, where `k_mac` is the link key of the audit key `d.key_id` (see
//! [`crate::keys`]). Without the key nobody can recompute a chain after changing a row.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use airlock_store::model::{Decision, ts};

/// What every link's MAC input begins with.
const LINK_DOMAIN: &[u8] = b"airlock-chain-v2\n";

/// The canonical bytes of a decision (every column but `hash`).
pub fn canonical(d: &Decision) -> String {
    let mut out = Vec::with_capacity(1024);
    write_canonical(d, &mut out);
    // Only JSON strings and literals are written: valid UTF-8.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Appends [`canonical`]`(d)` to `out`, written field by field without building a JSON value;
/// the tests compare it with the generic canonical JSON (`airlock_core::chain::canonical_json`)
/// of the same fields as an object.
pub fn write_canonical(d: &Decision, out: &mut Vec<u8>) {
    let Decision {
        org_id,
        session_id,
        seq,
        check_id,
        agent_id,
        action_name,
        effect,
        risk,
        allowed,
        reason,
        reasons,
        guard_tier,
        confidence,
        input_digest,
        input_summary,
        approval_id,
        source,
        latency_us,
        decided_at,
        hash: _,
        rule,
        key_id,
    } = d;
    airlock_core::chain::JsonObject::canonical(out)
        .str("action_name", action_name)
        .str("agent_id", agent_id)
        .bool("allowed", *allowed)
        .opt_str("approval_id", approval_id.as_deref())
        .str("check_id", check_id)
        .str("confidence", &format!("{:016x}", confidence.to_bits()))
        .str("decided_at", &ts(*decided_at))
        .str("effect", effect)
        .str("guard_tier", guard_tier)
        .str("input_digest", input_digest)
        .str("input_summary", input_summary)
        .str("key_id", key_id)
        .u64("latency_us", *latency_us)
        .str("org_id", org_id)
        .str("reason", reason)
        .strs("reasons", reasons)
        .str("risk", risk)
        .str("rule", rule)
        .u64("seq", *seq)
        .str("session_id", session_id)
        .str("source", source)
        .end();
}

/// A link key: HMAC-SHA256 keyed once, cloned per link.
#[derive(Clone)]
pub struct LinkKey(Hmac<Sha256>);

impl LinkKey {
    pub fn new(key: &[u8; 32]) -> LinkKey {
        // HMAC pads a short key with zeros to the block size: the same MAC, with no error case.
        let mut block = [0u8; 64];
        block[..32].copy_from_slice(key);
        LinkKey(<Hmac<Sha256> as KeyInit>::new(&block.into()))
    }

    /// The link after `prev` for decision `d` (its `hash` is not read).
    pub fn link(&self, prev: &str, d: &Decision) -> String {
        let mut mac = self.0.clone();
        mac.update(LINK_DOMAIN);
        mac.update(prev.as_bytes());
        mac.update(b"\n");
        let mut bytes = Vec::with_capacity(1024);
        write_canonical(d, &mut bytes);
        mac.update(&bytes);
        airlock_core::chain::hex_lower(&mac.finalize().into_bytes())
    }
}

/// The legacy, unkeyed link of a row written before keyed links (key id empty): SHA-256 over
/// the previous head and eleven of its fields (`airlock_core::chain`).
pub fn legacy_link(prev: &str, d: &Decision) -> String {
    airlock_core::chain::next_head(
        prev,
        &airlock_core::chain::ChainEntry {
            seq: d.seq,
            check_id: d.check_id.clone(),
            session_id: d.session_id.clone(),
            agent_id: d.agent_id.clone(),
            action_name: d.action_name.clone(),
            effect: d.effect.clone(),
            allowed: d.allowed,
            reason: d.reason.clone(),
            guard_tier: d.guard_tier.clone(),
            input_digest: d.input_digest.clone(),
            decided_at: ts(d.decided_at),
        },
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use chrono::{TimeZone, Utc};
    use serde_json::{Value, json};

    use super::*;

    /// The oracle: the JSON object of every column of `d` except its hash, for the generic
    /// canonical JSON. The destructuring lists every field, so a field added to `Decision`
    /// does not compile until it is placed here (and in [`write_canonical`]).
    pub(crate) fn fields(d: &Decision) -> Value {
        let Decision {
            org_id,
            session_id,
            seq,
            check_id,
            agent_id,
            action_name,
            effect,
            risk,
            allowed,
            reason,
            reasons,
            guard_tier,
            confidence,
            input_digest,
            input_summary,
            approval_id,
            source,
            latency_us,
            decided_at,
            hash: _,
            rule,
            key_id,
        } = d;
        json!({
            "org_id": org_id,
            "session_id": session_id,
            "seq": seq,
            "check_id": check_id,
            "agent_id": agent_id,
            "action_name": action_name,
            "effect": effect,
            "risk": risk,
            "allowed": allowed,
            "reason": reason,
            "reasons": reasons,
            "guard_tier": guard_tier,
            "confidence": format!("{:016x}", confidence.to_bits()),
            "input_digest": input_digest,
            "input_summary": input_summary,
            "approval_id": approval_id,
            "source": source,
            "latency_us": latency_us,
            "decided_at": ts(*decided_at),
            "rule": rule,
            "key_id": key_id,
        })
    }

    pub(crate) fn decision(seq: u64) -> Decision {
        Decision {
            org_id: "org_1".into(),
            session_id: "s1".into(),
            seq,
            check_id: format!("chk_{seq}"),
            agent_id: "a1".into(),
            action_name: "db.query".into(),
            effect: "read".into(),
            risk: "low".into(),
            allowed: true,
            reason: "ok".into(),
            reasons: vec!["select".into()],
            guard_tier: "fast".into(),
            confidence: 0.95,
            input_digest: "d".repeat(64),
            input_summary: "SELECT 1".into(),
            approval_id: None,
            source: "api".into(),
            latency_us: 42,
            decided_at: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
            hash: String::new(),
            rule: "allowed".into(),
            key_id: "k1".into(),
        }
    }

    #[test]
    fn canonical_encoding_is_sorted_compact_and_exact() {
        let text = canonical(&decision(1));
        assert_eq!(
            text,
            concat!(
                r#"{"action_name":"db.query","agent_id":"a1","allowed":true,"approval_id":null,"#,
                r#""check_id":"chk_1","confidence":"3fee666666666666","decided_at":"2026-01-02T03:04:05.000000Z","#,
                r#""effect":"read","guard_tier":"fast","input_digest":"dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd","#,
                r#""input_summary":"SELECT 1","key_id":"k1","latency_us":42,"org_id":"org_1","reason":"ok","#,
                r#""reasons":["select"],"risk":"low","rule":"allowed","seq":1,"session_id":"s1","source":"api"}"#
            )
        );
    }

    /// The check path's field-by-field encoder gives the bytes of the generic canonical JSON,
    /// for values that need escaping, empty and absent ones, unicode and extreme numbers.
    #[test]
    fn the_direct_encoder_matches_the_canonical_json() {
        let mut cases = vec![decision(1)];
        let mut d = decision(u64::MAX);
        d.reason = "quote \" back\\slash \u{1} tab\t newline\n é 漢 \u{1F600} </script>".into();
        d.reasons = vec![String::new(), "a\"b".into(), "\u{7f}\u{2028}".into()];
        d.approval_id = Some("apr_\"x".into());
        d.latency_us = u64::MAX;
        d.confidence = f64::NAN;
        d.input_summary = String::new();
        cases.push(d);
        let mut d = decision(0);
        d.reasons = Vec::new();
        d.confidence = -0.0;
        cases.push(d);
        for d in &cases {
            let mut direct = Vec::new();
            write_canonical(d, &mut direct);
            let oracle = airlock_core::chain::canonical_json(&fields(d));
            assert_eq!(String::from_utf8(direct).unwrap(), oracle, "{d:?}");
            assert_eq!(canonical(d), oracle, "{d:?}");
        }
    }

    #[test]
    fn every_field_but_the_hash_changes_the_link() {
        let key = LinkKey::new(&[7; 32]);
        let base = decision(1);
        let h = key.link(crate::verify::GENESIS, &base);
        let mut changes: Vec<Decision> = Vec::new();
        let mut push = |f: &dyn Fn(&mut Decision)| {
            let mut d = base.clone();
            f(&mut d);
            changes.push(d);
        };
        push(&|d| d.org_id.push('x'));
        push(&|d| d.session_id.push('x'));
        push(&|d| d.seq += 1);
        push(&|d| d.check_id.push('x'));
        push(&|d| d.agent_id.push('x'));
        push(&|d| d.action_name.push('x'));
        push(&|d| d.effect.push('x'));
        push(&|d| d.risk.push('x'));
        push(&|d| d.allowed = false);
        push(&|d| d.reason.push('x'));
        push(&|d| d.reasons.push("x".into()));
        push(&|d| d.guard_tier.push('x'));
        push(&|d| d.confidence = 0.9500000001);
        push(&|d| d.input_digest.push('x'));
        push(&|d| d.input_summary = "DROP TABLE t".into());
        push(&|d| d.approval_id = Some("apr_1".into()));
        push(&|d| d.source.push('x'));
        push(&|d| d.latency_us += 1);
        push(&|d| d.decided_at += chrono::Duration::microseconds(1));
        push(&|d| d.rule.push('x'));
        push(&|d| d.key_id.push('x'));
        assert_eq!(changes.len(), 21);
        for d in &changes {
            assert_ne!(key.link(crate::verify::GENESIS, d), h, "{d:?}");
        }
        let mut same = base.clone();
        same.hash = "anything".into();
        assert_eq!(key.link(crate::verify::GENESIS, &same), h);
        assert_ne!(
            LinkKey::new(&[8; 32]).link(crate::verify::GENESIS, &base),
            h
        );
    }

    /// Fails when a column is added to the `decisions` table (a migration) without being
    /// covered by the canonical encoding: the table's real columns, from a migrated SQLite
    /// store, must be exactly the encoded fields plus `hash`.
    #[test]
    fn the_encoding_covers_every_column_of_the_decisions_table() {
        let dir = tempfile::tempdir().unwrap();
        let store =
            airlock_store::Store::open(dir.path(), airlock_store::Options { migrate: true })
                .unwrap();
        drop(store);
        let db = std::fs::read_dir(dir.path())
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|x| x == "db"))
            .expect("the store's database file");
        let conn = rusqlite::Connection::open(db).unwrap();
        let mut stmt = conn.prepare("PRAGMA table_info(decisions)").unwrap();
        let mut table: Vec<String> = stmt
            .query_map([], |r| r.get::<_, String>(1))
            .unwrap()
            .map(|c| c.unwrap())
            .collect();
        table.sort();
        let mut record: Vec<String> = airlock_store::DECISION_COLUMNS
            .split(',')
            .map(|c| c.trim().to_string())
            .collect();
        record.sort();
        assert_eq!(table, record, "the store's record lists every column");
        let mut covered: Vec<String> = match fields(&decision(1)) {
            Value::Object(m) => m.keys().cloned().collect(),
            _ => unreachable!(),
        };
        covered.push("hash".into());
        covered.sort();
        assert_eq!(table, covered, "the chain covers every column but `hash`");
    }
}
