//! The per-session decision chain: `head = SHA-256(prev_head_hex || entry_json)`, starting
//! from the genesis head of 64 zeros.
//!
//! The entry is hashed in a canonical form: the JSON serialisation of [`ChainEntry`], whose
//! fields have a fixed order. Verification recomputes every hash from the stored fields, so a
//! changed column, a removed entry or a reordered entry breaks the chain.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The head of an empty chain.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One recorded decision, as it is hashed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChainEntry {
    pub seq: u64,
    pub check_id: String,
    pub session_id: String,
    pub agent_id: String,
    pub action_name: String,
    pub effect: String,
    pub allowed: bool,
    pub reason: String,
    pub guard_tier: String,
    pub input_digest: String,
    pub decided_at: String,
}

/// The head after appending `entry` to a chain whose head is `prev`.
pub fn next_head(prev: &str, entry: &ChainEntry) -> String {
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    // Serialising a struct of strings, integers and booleans cannot fail.
    h.update(serde_json::to_vec(entry).unwrap_or_default());
    hex_lower(&h.finalize())
}

/// SHA-256 of an input, hex: binds approvals and log entries to the exact call.
pub fn digest(bytes: &[u8]) -> String {
    hex_lower(&Sha256::digest(bytes))
}

/// Lowercase hex of `bytes`, as `hex::encode` writes it: each byte's two digits written into
/// a buffer sized once (`hex::encode` pushes one `char` at a time, and pushing a `char` into a
/// `String` checks its UTF-8 length and the capacity every time: a share of every check's CPU,
/// which writes several digests).
pub fn hex_lower(bytes: &[u8]) -> String {
    // `nibble` is below 16 (a shifted or masked byte).
    fn digit(nibble: u8) -> u8 {
        nibble + if nibble < 10 { b'0' } else { b'a' - 10 }
    }
    let mut out = vec![0u8; bytes.len() * 2];
    for (pair, b) in out.chunks_exact_mut(2).zip(bytes) {
        pair.copy_from_slice(&[digit(b >> 4), digit(b & 0x0f)]);
    }
    // Only ASCII digits were written, so this never falls back.
    String::from_utf8(out).unwrap_or_else(|_| hex::encode(bytes))
}

/// Compact JSON with object keys sorted at every level: the same value always gives the same
/// bytes, whatever order its keys arrived in.
pub fn canonical_json(value: &serde_json::Value) -> String {
    let mut out = Vec::with_capacity(256);
    write_canonical(value, &mut out);
    // serde_json writes valid UTF-8; the lossy branch is unreachable.
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Appends the canonical JSON of `value` to `out` (what [`canonical_json`] returns).
pub fn write_canonical(value: &serde_json::Value, out: &mut Vec<u8>) {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            out.push(b'{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_json_str(k, out);
                out.push(b':');
                write_canonical(v, out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(item, out);
            }
            out.push(b']');
        }
        Value::String(s) => write_json_str(s, out),
        // Numbers, booleans and null as serde_json writes them.
        other => {
            let _ = serde_json::to_writer(&mut *out, other);
        }
    }
}

/// Appends `s` as a JSON string, escaped as serde_json escapes it.
pub fn write_json_str(s: &str, out: &mut Vec<u8>) {
    // Nearly every string a link or receipt holds (hex, ids, times) has nothing to escape:
    // copied whole instead of byte by byte through serde_json's escape table.
    if !needs_escape(s.as_bytes()) {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
        return;
    }
    // Writing to a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, s);
}

/// Whether serde_json escapes any of `bytes`: a control character, `"` or `\`. Tested
/// against serde_json over every byte.
fn needs_escape(bytes: &[u8]) -> bool {
    // Eight bytes at a time ("Bit Twiddling Hacks": a word has a byte below n when
    // (w - n·0x01…) & !w & 0x80… is not zero; a byte equal to c is a zero byte of w ^ c·0x01…).
    // Exact as a yes or no: a borrow only starts at a byte that matches.
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w & HIGH;
    let mut words = bytes.chunks_exact(8);
    for word in &mut words {
        let mut le = [0u8; 8];
        le.copy_from_slice(word);
        let w = u64::from_le_bytes(le);
        let quote = w ^ (ONES * u64::from(b'"'));
        let backslash = w ^ (ONES * u64::from(b'\\'));
        if below(w, 0x20) | below(quote, 1) | below(backslash, 1) != 0 {
            return true;
        }
    }
    words
        .remainder()
        .iter()
        .any(|&b| b < 0x20 || b == b'"' || b == b'\\')
}

/// Writes a JSON object field by field into a byte buffer, strings copied whole where
/// nothing needs escaping (what serde_json would write for the same fields in the same order).
/// - [`JsonObject::canonical`]: the caller gives the fields in sorted key order (checked in
///   debug builds), and the bytes are those [`canonical_json`] gives for the same object.
/// - [`JsonObject::in_order`]: the fields in the caller's order, as serde writes a struct.
pub struct JsonObject<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
    #[cfg(debug_assertions)]
    sorted: bool,
    #[cfg(debug_assertions)]
    last: &'static str,
}

impl<'a> JsonObject<'a> {
    pub fn canonical(out: &'a mut Vec<u8>) -> Self {
        #[cfg_attr(not(debug_assertions), allow(unused_mut))]
        let mut object = Self::in_order(out);
        #[cfg(debug_assertions)]
        {
            object.sorted = true;
        }
        object
    }

    pub fn in_order(out: &'a mut Vec<u8>) -> Self {
        out.push(b'{');
        JsonObject {
            out,
            first: true,
            #[cfg(debug_assertions)]
            sorted: false,
            #[cfg(debug_assertions)]
            last: "",
        }
    }

    fn key(&mut self, key: &'static str) -> &mut Vec<u8> {
        #[cfg(debug_assertions)]
        {
            debug_assert!(
                !self.sorted || self.first || key > self.last,
                "`{key}` after `{}`",
                self.last
            );
            self.last = key;
        }
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
        // Keys are the callers' literals, none with anything to escape.
        debug_assert!(!needs_escape(key.as_bytes()), "`{key}` needs escaping");
        self.out.reserve(key.len() + 3);
        self.out.push(b'"');
        self.out.extend_from_slice(key.as_bytes());
        self.out.extend_from_slice(b"\":");
        self.out
    }

    pub fn str(&mut self, key: &'static str, value: &str) -> &mut Self {
        let out = self.key(key);
        write_json_str(value, out);
        self
    }

    pub fn opt_str(&mut self, key: &'static str, value: Option<&str>) -> &mut Self {
        match value {
            Some(v) => self.str(key, v),
            None => {
                self.key(key).extend_from_slice(b"null");
                self
            }
        }
    }

    pub fn u64(&mut self, key: &'static str, value: u64) -> &mut Self {
        // serde_json writes the digits without a String in between.
        let _ = serde_json::to_writer(&mut *self.key(key), &value);
        self
    }

    pub fn bool(&mut self, key: &'static str, value: bool) -> &mut Self {
        let out = self.key(key);
        out.extend_from_slice(if value { b"true" } else { b"false" });
        self
    }

    pub fn strs(&mut self, key: &'static str, values: &[String]) -> &mut Self {
        let out = self.key(key);
        out.push(b'[');
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_json_str(v, out);
        }
        out.push(b']');
        self
    }

    /// A field whose value serde_json writes (numbers, enums: nothing long to escape). A
    /// value serde_json refuses (a map with keys that are not strings) is written `null`, so
    /// the object stays valid JSON.
    pub fn value<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> &mut Self {
        let out = self.key(key);
        let start = out.len();
        if serde_json::to_writer(&mut *out, value).is_err() {
            out.truncate(start);
            out.extend_from_slice(b"null");
        }
        self
    }

    /// A field whose value `write` appends as JSON (a nested object).
    pub fn nested(&mut self, key: &'static str, write: impl FnOnce(&mut Vec<u8>)) -> &mut Self {
        write(self.key(key));
        self
    }

    pub fn end(&mut self) {
        self.out.push(b'}');
    }
}

/// The outcome of replaying a chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    pub valid: bool,
    pub entries: u64,
    pub calls: u64,
    pub head: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Replays `entries` (oldest first, each with the hash stored for it) from the genesis head and
/// compares with the session's stored head and call count.
pub fn verify<'a>(
    entries: impl IntoIterator<Item = (&'a ChainEntry, &'a str)>,
    stored_head: &str,
    calls: u64,
) -> Verification {
    let mut head = GENESIS.to_string();
    let mut count: u64 = 0;
    let mut error = None;
    for (entry, stored) in entries {
        count += 1;
        if error.is_some() {
            continue;
        }
        if entry.seq != count {
            error = Some(format!("entry {count} has sequence number {}", entry.seq));
        }
        head = next_head(&head, entry);
        if error.is_none() && head != stored {
            error = Some(format!(
                "hash of entry {count} (`{}`) does not match",
                entry.check_id
            ));
        }
    }
    if error.is_none() && head != stored_head {
        error = Some("replayed head does not match the session's stored head".into());
    }
    if error.is_none() && count != calls {
        error = Some(format!("{count} entries recorded for {calls} calls"));
    }
    Verification {
        valid: error.is_none(),
        entries: count,
        calls,
        head,
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_serde_json_refuses_is_written_null() {
        let refused: std::collections::BTreeMap<(u8, u8), u8> = [((1, 2), 3)].into();
        let mut out = Vec::new();
        JsonObject::in_order(&mut out)
            .value("a", &refused)
            .value("b", &1.5f64)
            .end();
        assert_eq!(String::from_utf8_lossy(&out), r#"{"a":null,"b":1.5}"#);
    }

    #[test]
    fn hex_lower_writes_what_hex_encode_writes() {
        let every_byte: Vec<u8> = (0..=255u8).collect();
        assert_eq!(hex_lower(&every_byte), hex::encode(&every_byte));
        assert_eq!(hex_lower(&[]), "");
        assert_eq!(hex_lower(&[0x0f, 0xa0]), "0fa0");
        assert_eq!(
            digest(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn json_strings_are_written_as_serde_json_writes_them() {
        let reference = |s: &str| serde_json::to_vec(s).unwrap();
        let mine = |s: &str| {
            let mut out = b"x".to_vec();
            write_json_str(s, &mut out);
            out[1..].to_vec()
        };
        // Every character below 0x100 alone, first, last and in the middle of a long string
        // (in the eight-byte loop and in its tail), and a few beyond.
        let chars = (0u32..0x100).chain([0x2028, 0x2029, 0xfeff, 0x1f600]);
        for c in chars.filter_map(char::from_u32) {
            for s in [
                c.to_string(),
                format!("{c}{}", "a".repeat(40)),
                format!("{}{c}", "0123456789abcdef".repeat(3)),
                format!("{}{c}{}", "k".repeat(17), "v".repeat(9)),
            ] {
                assert_eq!(mine(&s), reference(&s), "{s:?}");
                // The fast path is taken exactly when serde_json would escape nothing.
                let escaped = reference(&s).len() != s.len() + 2;
                assert_eq!(needs_escape(s.as_bytes()), escaped, "{s:?}");
            }
        }
        for s in [
            "",
            "chk_0f3a",
            "2026-12-01T18:00:00.123456Z",
            "say \"hi\"\\n",
        ] {
            assert_eq!(mine(s), reference(s), "{s:?}");
        }
    }

    fn entry(seq: u64, allowed: bool) -> ChainEntry {
        ChainEntry {
            seq,
            check_id: format!("chk_{seq}"),
            session_id: "s".into(),
            agent_id: "a".into(),
            action_name: "db.query.read".into(),
            effect: "read".into(),
            allowed,
            reason: "ok".into(),
            guard_tier: "fast".into(),
            input_digest: digest(b"x"),
            decided_at: "2026-01-01T00:00:00Z".into(),
        }
    }

    fn build(n: u64) -> (Vec<ChainEntry>, Vec<String>, String) {
        let mut head = GENESIS.to_string();
        let mut entries = vec![];
        let mut hashes = vec![];
        for i in 1..=n {
            let e = entry(i, true);
            head = next_head(&head, &e);
            entries.push(e);
            hashes.push(head.clone());
        }
        (entries, hashes, head)
    }

    fn run(entries: &[ChainEntry], hashes: &[String], head: &str, calls: u64) -> Verification {
        verify(
            entries.iter().zip(hashes.iter().map(String::as_str)),
            head,
            calls,
        )
    }

    #[test]
    fn an_intact_chain_verifies() {
        let (e, h, head) = build(3);
        let v = run(&e, &h, &head, 3);
        assert!(v.valid, "{v:?}");
        assert_eq!(v.entries, 3);
        assert_eq!(v.head, head);
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let a: serde_json::Value =
            serde_json::from_str(r#"{"b":1,"a":{"d":[1,{"z":0,"y":1}],"c":"x"}}"#).unwrap();
        assert_eq!(
            canonical_json(&a),
            r#"{"a":{"c":"x","d":[1,{"y":1,"z":0}]},"b":1}"#
        );
    }

    #[test]
    fn empty_chain_is_genesis() {
        let v = run(&[], &[], GENESIS, 0);
        assert!(v.valid);
        assert_eq!(v.head, GENESIS);
    }

    #[test]
    fn tampering_is_detected() {
        let (mut e, h, head) = build(3);
        e[1].allowed = false;
        assert!(!run(&e, &h, &head, 3).valid);
        let (e, h, head) = build(3);
        assert!(!run(&e[..2], &h[..2], &head, 3).valid, "dropped entry");
        assert!(!run(&e, &h, &head, 4).valid, "uncounted call");
        let (mut e, h, head) = build(3);
        e.swap(0, 1);
        assert!(!run(&e, &h, &head, 3).valid, "reordered");
    }
}
