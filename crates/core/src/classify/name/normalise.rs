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

use std::borrow::Cow;

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
    match normal_form(name) {
        Cow::Borrowed(text) => NormalisedName {
            text: text.to_string(),
            changed: false,
        },
        Cow::Owned(text) => {
            let changed = text != name;
            NormalisedName { text, changed }
        }
    }
}

/// The text of [`normalise_action`], borrowed when the name is printable ASCII (it is then its
/// own normal form): scope matching runs on every check and needs no copy of it.
pub fn normal_form(name: &str) -> Cow<'_, str> {
    if name.bytes().all(|b| b.is_ascii_graphic() || b == b' ') {
        return Cow::Borrowed(name);
    }
    let mut text = String::with_capacity(name.len());
    let mut buf = [0u8; 4];
    let folded: String = name.chars().map(letter_form).collect();
    for c in folded.nfkc() {
        if c == '\u{00DF}' || c == '\u{1E9E}' {
            text.push_str("ss");
            continue;
        }
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
    Cow::Owned(text)
}

/// Letters that Unicode gives no ASCII decomposition or confusable prototype, folded to the
/// ASCII letter they show: small capitals (`ᴅᴇʟᴇᴛᴇ`), negative circled and squared letters
/// (`🅓`, `🅳`), regional indicators (`🇩`), parenthesized letters (`⒟`, which NFKC would
/// turn into `(d)`) and insular letters. Other characters are returned as they are.
fn letter_form(c: char) -> char {
    let offset = |base: u32| char::from_u32(u32::from(b'a') + (c as u32 - base)).unwrap_or(c);
    match c {
        '\u{1F150}'..='\u{1F169}' => offset(0x1F150),
        '\u{1F170}'..='\u{1F189}' => offset(0x1F170),
        '\u{1F1E6}'..='\u{1F1FF}' => offset(0x1F1E6),
        '\u{249C}'..='\u{24B5}' => offset(0x249C),
        '\u{1D00}' => 'a',
        '\u{0299}' | '\u{1D03}' => 'b',
        '\u{1D04}' => 'c',
        '\u{1D05}' | '\u{1D06}' | '\u{A77A}' => 'd',
        '\u{1D07}' | '\u{2C7B}' => 'e',
        '\u{A730}' | '\u{A77C}' => 'f',
        '\u{0262}' | '\u{029B}' | '\u{1D79}' => 'g',
        '\u{029C}' => 'h',
        '\u{026A}' | '\u{1D09}' => 'i',
        '\u{1D0A}' => 'j',
        '\u{1D0B}' => 'k',
        '\u{029F}' | '\u{1D0C}' => 'l',
        '\u{1D0D}' => 'm',
        '\u{0274}' | '\u{1D0E}' => 'n',
        '\u{1D0F}' | '\u{1D11}' | '\u{1D13}' => 'o',
        '\u{1D18}' => 'p',
        '\u{A7AF}' => 'q',
        '\u{0280}' | '\u{0281}' | '\u{1D19}' | '\u{1D1A}' | '\u{AB46}' | '\u{A783}' => 'r',
        '\u{A731}' | '\u{A785}' => 's',
        '\u{1D1B}' | '\u{A787}' => 't',
        '\u{1D1C}' => 'u',
        '\u{1D20}' => 'v',
        '\u{1D21}' => 'w',
        '\u{028F}' => 'y',
        '\u{1D22}' => 'z',
        _ => c,
    }
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

    /// Letters Unicode gives no ASCII prototype still read as the letters they show.
    #[test]
    fn small_capitals_and_letter_symbols_fold() {
        for name in [
            "\u{1D05}\u{1D07}\u{029F}\u{1D07}\u{1D1B}\u{1D07}_records", // small capitals
            "\u{1F153}\u{1F154}\u{1F15B}\u{1F154}\u{1F163}\u{1F154}_records", // negative circled
            "\u{1F173}\u{1F174}\u{1F17B}\u{1F174}\u{1F183}\u{1F174}_records", // negative squared
            "\u{1F1E9}\u{1F1EA}\u{1F1F1}\u{1F1EA}\u{1F1F9}\u{1F1EA}_records", // regional indicators
            "\u{249F}\u{24A0}\u{24A7}\u{24A0}\u{24AF}\u{24A0}_records", // parenthesized
            "\u{24D3}\u{24D4}\u{24DB}\u{24D4}\u{24E3}\u{24D4}_records", // circled
            "\u{1D41D}\u{1D41E}\u{1D425}\u{1D41E}\u{1D42D}\u{1D41E}_records", // mathematical bold
            "\u{1D48}\u{1D49}\u{02E1}\u{1D49}\u{1D57}\u{1D49}_records", // modifier letters
            "\u{A77A}elete_records",                                    // insular d
        ] {
            assert_eq!(normalise_action(name).text, "delete_records", "{name:?}");
        }
        assert_eq!(normalise_action("stra\u{00DF}e").text, "strasse");
    }

    #[test]
    fn letters_without_an_ascii_prototype_stay() {
        let n = normalise_action("löschen_datei");
        assert!(n.changed);
        assert_eq!(n.text, "loschen_datei");
        let n = normalise_action("\u{524A}\u{9664}");
        assert_eq!(n.text, "削除");
        assert!(!n.changed);
    }
}
