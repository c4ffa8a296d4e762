//! The markers' one pass (issue 14) skips only rules that cannot hold: the scan with the
//! markers found is compared with every rule run, over texts built from the markers, their
//! near misses and the characters the rules split on.

use super::{
    LABEL_SET, LABELS, MARKER_SET, MARKERS, aws_secret_key, credential_plain, credential_plain_in,
    discord_bot_token,
};
use crate::classify::content::substrings::Found;
use crate::classify::content::test_rng::Rng;

fn every_rule(text: &str, labels: bool) -> Option<&'static str> {
    let lower = text.to_ascii_lowercase();
    credential_plain_in(
        text,
        &lower,
        labels,
        &Found::everything(),
        &Found::everything(),
    )
}

#[test]
fn the_markers_skip_only_rules_that_cannot_hold() {
    let mut pieces: Vec<String> = Vec::new();
    for m in MARKERS.iter().chain(LABELS) {
        pieces.push((*m).to_string());
        pieces.push(m.to_ascii_uppercase());
        // A near miss: the marker without its last character.
        let mut near = (*m).to_string();
        near.pop();
        pieces.push(near);
    }
    // Whole credentials of each shape, so that every rule is reached.
    for m in MARKERS {
        pieces.push(format!("{m}Ab3_Cd4-Ef5Gh6Ij7Kl8Mn9Op0Qr1St2Uv3Wx4Yz5"));
    }
    for whole in [
        "SK0123456789abcdef0123456789abcdef".to_string(),
        format!("123456789:AA{}", "b".repeat(33)),
        format!("SG.{}.{}", "a".repeat(22), "c".repeat(43)),
        "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abcdefghij".to_string(),
        format!("M{}.{}.{}", "a".repeat(23), "b".repeat(6), "c".repeat(27)),
        "AKIAIOSFODNN7EXAMPLE".to_string(),
        "//npm.example/:_authToken=abcdefghijklmnopqrstuvwxyz".to_string(),
        "{\"auths\": {\"r\": {\"auth\": \"eA==\"}}}".to_string(),
        "AccountKey=abc".to_string(),
        "-----BEGIN RSA PRIVATE KEY-----".to_string(),
    ] {
        pieces.push(whole);
    }
    for filler in [
        "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF",
        "Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eA",
        "0123456789abcdef0123456789abcdef",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCY3XAMPLEKEY",
        "MTIzNDU2Nzg5MDEyMzQ1Njc4OTAx",
        "AA",
        "123456789",
        "ab12_CD-34",
        "postgres://admin:pw@db/prod",
        "DB_PASSWORD=Pr0duction",
        "%2F",
        "%2B",
        "%3D",
        "é",
    ] {
        pieces.push(filler.to_string());
    }
    let glue = [
        " ", "", ".", "/", "+", "=", ":", "\"", "\n", "-", "_", "@", "é",
    ];
    let pieces: Vec<&str> = pieces.iter().map(String::as_str).collect();
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut found = 0usize;
    for _ in 0..40_000 {
        let n = 1 + rng.next() % 6;
        let mut text = String::new();
        for _ in 0..n {
            text.push_str(rng.pick(&pieces));
            text.push_str(rng.pick(&glue));
        }
        for labels in [true, false] {
            let fast = credential_plain(&text, labels);
            assert_eq!(fast, every_rule(&text, labels), "{text:?} labels={labels}");
            found += usize::from(fast.is_some());
        }
    }
    // The texts reach the rules: a test whose texts found nothing could not fail.
    assert!(found > 5_000, "only {found} texts held a credential");
}

#[test]
fn the_sets_are_built() {
    assert!(MARKER_SET.is_built());
    assert!(LABEL_SET.is_built());
}

#[test]
fn the_shortest_discord_token_is_still_found() {
    let token = format!("M{}.{}.{}", "a".repeat(22), "b".repeat(6), "c".repeat(27));
    assert_eq!(token.len(), 58);
    assert!(discord_bot_token(&format!("token {token} here")));
    // One character short in its first part: not the shape.
    let short = format!("M{}.{}.{}", "a".repeat(21), "b".repeat(6), "c".repeat(27));
    assert!(!discord_bot_token(&short));
}

#[test]
fn an_aws_secret_key_written_with_percent_encoding_is_still_found() {
    // Only `%2F` stands for the key's slashes: the text holds no `/` or `+` of its own.
    assert!(aws_secret_key(
        "k=wJalrXUtnFEMI%2FK7MDENG%2FbPxRfiCY3XAMPLEKEY"
    ));
    assert!(aws_secret_key("wJalrXUtnFEMI/K7MDENG/bPxRfiCY3XAMPLEKEY"));
    assert!(!aws_secret_key("wJalrXUtnFEMIxK7MDENGxbPxRfiCY3XAMPLEKEY"));
}
