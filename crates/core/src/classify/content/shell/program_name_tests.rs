//! `program_name`'s fast path for bare words against its general rule.

use super::program_name;

#[test]
fn a_bare_words_program_name_is_the_general_rules() {
    // The general rule alone (URL test, last segment, `.exe`), against the fast path for
    // words without `/` or `:`: the same name for every word, bare or not.
    let general = |word: &str| -> String {
        let scheme = word.find(':').is_some_and(|i| {
            let (s, rest) = (&word[..i], &word[i + 1..]);
            rest.starts_with("//")
                && s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
                && !rest.split('/').any(|seg| seg == "..")
        });
        if scheme {
            return word.to_string();
        }
        let base = word.rsplit('/').next().unwrap_or(word);
        base.strip_suffix(".exe").unwrap_or(base).to_string()
    };
    let words = [
        "",
        "rm",
        "rm.exe",
        ".exe",
        "RM.EXE",
        "curl.exe.exe",
        "git",
        "/usr/bin/rm",
        "/usr/bin/rm.exe",
        "./rm",
        "rm/",
        "a:b",
        "C:rm",
        "c:\\rm.exe",
        "https://x/rm",
        "https://x/../rm",
        "1https://x/rm",
        "h+t.-p://x/y",
        "x://",
        ":",
        "/",
        "r\u{e9}m",
        "\u{e9}.exe",
        "rm\\x",
        "-rf",
        "=rm",
    ];
    for w in words {
        assert_eq!(program_name(w), general(w), "{w:?}");
    }
}
