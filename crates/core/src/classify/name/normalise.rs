//! Normalisation of action names before they are classified or matched against a scope
//! ceiling: `db.drоp_database` with a Cyrillic `о`, its fullwidth form `ｄｂ．ｄｒｏｐ…` and a
//! version with a zero-width space must all read as `db.drop_database`.
//!
//! The steps, in order: Unicode NFKC (fullwidth and compatibility forms fold to ASCII);
//! invisible characters are removed (controls, format characters such as zero-width spaces and
//! bidi overrides, and every default-ignorable code point); each remaining non-ASCII character
//! is replaced by its TR39 confusable prototype (its skeleton) when that prototype is ASCII;
//! combining marks left over are dropped (`dé` reads as `de`). ASCII characters are kept as
//! they are: TR39 maps `1` and `l` together, which would change honest names.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// An action name after normalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormalisedName {
    /// The name as it is classified and matched.
    pub text: String,
    /// True if the original name differs from `text` (it had look-alike, invisible or
    /// compatibility characters).
    pub changed: bool,
}

/// Normalises an action name (NFKC, invisible characters removed, TR39 confusables folded to
/// ASCII). A name of printable ASCII is returned as it is without further work.
pub fn normalise_action(name: &str) -> NormalisedName {
    if name.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return NormalisedName {
            text: name.to_string(),
            changed: false,
        };
    }
    let mut text = String::with_capacity(name.len());
    let mut buf = [0u8; 4];
    for c in name.nfkc() {
        if c.is_ascii() {
            if !c.is_ascii_control() {
                text.push(c);
            }
            continue;
        }
        if invisible(c) || is_combining_mark(c) {
            continue;
        }
        let one: &str = c.encode_utf8(&mut buf);
        let skeleton: String = unicode_security::skeleton(one)
            .filter(|s| !is_combining_mark(*s) && !invisible(*s))
            .collect();
        if !skeleton.is_empty() && skeleton.is_ascii() {
            text.push_str(&skeleton);
        } else {
            text.push(c);
        }
    }
    let changed = text != name;
    NormalisedName { text, changed }
}

/// Characters that are not seen: controls, format characters (`Cf`: zero-width spaces and
/// joiners, bidi controls, the BOM, soft hyphens) and other default-ignorable code points.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}'
            | '\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_unchanged() {
        let n = normalise_action("db.drop_database");
        assert_eq!(n.text, "db.drop_database");
        assert!(!n.changed);
        // TR39 would fold `1` and `l`: ASCII is left alone.
        assert_eq!(normalise_action("get_v1_items").text, "get_v1_items");
    }

    #[test]
    fn look_alikes_fold_to_ascii() {
        for name in [
            "db.dr\u{043E}p_database",                                    // Cyrillic о
            "\u{FF44}\u{FF42}.\u{FF44}\u{FF52}\u{FF4F}\u{FF50}_database", // fullwidth
            "db.dr\u{200B}op_database",                                   // zero-width space
            "db.dro\u{200D}p_data\u{FEFF}base",                           // joiner, BOM
            "db.drop\u{0000}_database",                                   // NUL
            "db.dr\u{03BF}p_database",                                    // Greek omicron
            "db.dro\u{0301}p_database",                                   // combining accent
        ] {
            let n = normalise_action(name);
            assert_eq!(n.text, "db.drop_database", "{name:?}");
            assert!(n.changed, "{name:?}");
        }
    }

    #[test]
    fn letters_without_an_ascii_prototype_stay() {
        let n = normalise_action("löschen_datei");
        assert!(n.changed);
        assert_eq!(n.text, "loschen_datei");
        let n = normalise_action("削除");
        assert_eq!(n.text, "削除");
        assert!(!n.changed);
    }
}
