//! Base32 (RFC 4648), as `base32 -d` decodes it (the twenty-fourth sets: `base32 -d <<< … | sh`
//! had left the decoded command unknown while `base64 -d` showed it).

/// Decodes base32 (padding and whitespace ignored, either case); `None` when a character is
/// not of the alphabet.
pub(crate) fn decode(s: &str) -> Option<String> {
    let mut bits: u64 = 0;
    let mut held = 0u32;
    let mut out = Vec::new();
    for c in s.chars().filter(|c| !c.is_whitespace() && *c != '=') {
        let v = match c.to_ascii_uppercase() {
            u @ 'A'..='Z' => u32::from(u) - u32::from('A'),
            d @ '2'..='7' => u32::from(d) - u32::from('2') + 26,
            _ => return None,
        };
        bits = (bits << 5) | u64::from(v);
        held += 5;
        if held >= 8 {
            held -= 8;
            out.push(((bits >> held) & 0xff) as u8);
        }
        bits &= (1 << held) - 1;
    }
    Some(String::from_utf8_lossy(&out).into_owned())
}

#[cfg(test)]
mod tests {
    #[test]
    fn decodes_base32() {
        assert_eq!(
            super::decode("OJWSALLSMYQC643SOY======").as_deref(),
            Some("rm -rf /srv")
        );
        assert_eq!(super::decode("NBUQ====").as_deref(), Some("hi"));
        assert!(super::decode("not base32!").is_none());
    }
}
