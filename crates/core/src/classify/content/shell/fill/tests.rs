//! Unit tests of `shell/fill.rs`.

use super::*;

fn one(src: &str) -> String {
    match filled(src) {
        Filled::Lines(l) => l.join(" || "),
        other => format!("{other:?}"),
    }
}

#[test]
fn values_are_put_in_place() {
    assert_eq!(one("M=mem; cat /dev/$M"), "M=mem; cat /dev/mem");
    assert_eq!(
        one("D=/dev; F=mem; cat $D/$F"),
        "D=/dev; F=mem; cat /dev/mem"
    );
    assert_eq!(
        one("p=/dev/m; cat \"${p}em\""),
        "p=/dev/m; cat \"/dev/mem\""
    );
    assert_eq!(one("T=/; rm -rf \"$T\""), "T=/; rm -rf \"/\"");
    assert_eq!(
        one("opts=(--force -q); git push \"${opts[@]}\""),
        "opts=(--force -q); git push \"--force\" \"-q\""
    );
    assert_eq!(
        one("a=(/dev mem); cat ${a[0]}/${a[1]}"),
        "a=(/dev mem); cat /dev/mem"
    );
    assert_eq!(
        one("printf -v M '%s' mem; cat /dev/$M"),
        "printf -v M '%s' mem; cat /dev/mem"
    );
    assert_eq!(
        one("read -r M <<< /dev/mem; cat $M"),
        "read -r M <<< /dev/mem; cat /dev/mem"
    );
    assert_eq!(
        one("set -- -rf /srv; rm \"$@\""),
        "set -- -rf /srv; rm \"-rf\" \"/srv\""
    );
    assert_eq!(
        one("for f in null mem; do cat /dev/$f; done"),
        "for f in null mem; do cat /dev/null; done || for f in null mem; do cat /dev/mem; done"
    );
    assert_eq!(
        one("f=/dev/mem; g=$f; cat $g"),
        "f=/dev/mem; g='/dev/mem'; cat /dev/mem"
    );
    assert_eq!(one("cd /; cat dev/mem"), "cd /; cat /dev/mem");
    assert_eq!(one("cd /proc && cat kcore"), "cd /proc && cat /proc/kcore");
    assert_eq!(
        one("cd ~/.ssh && cat id_rsa"),
        "cd ~/.ssh && cat ~/.ssh/id_rsa"
    );
}

#[test]
fn what_is_not_known_is_left() {
    // Single quotes, unknown names, values from commands, twins.
    assert_eq!(one("echo '$T'"), "Nothing");
    assert_eq!(one("echo $HOME"), "Nothing");
    assert_eq!(one("T=$(cat f); rm -rf $T"), "Nothing");
    assert_eq!(one("cd /srv; cat notes.txt"), "Nothing");
    assert_eq!(one("cd /srv && git status"), "Nothing");
    assert_eq!(one("X=1; echo '$X'"), "Nothing");
    // An escape before a character of several bytes is dropped from the filled line (the
    // copy of two bytes is not a slice of the line); the output is copied out of the line
    // from there on, and the rest of it still follows.
    assert_eq!(
        one("M=mem; echo \\é; cat /dev/$M"),
        "M=mem; echo ; cat /dev/mem"
    );
    // Values with spaces or quotes stay one piece of text each.
    assert_eq!(one("m='a; b'; echo $m"), "m='a; b'; echo 'a;' b");
    assert_eq!(one("m='a; b'; echo \"$m\""), "m='a; b'; echo \"a; b\"");
}

#[test]
fn bounds_hold() {
    let long = format!("X=1; echo $X; {}", "a ".repeat(MAX_LINE));
    assert_eq!(filled(&long), Filled::TooLarge);
    let plain = "a ".repeat(MAX_LINE);
    assert_eq!(filled(&plain), Filled::Nothing);
    let many: String = (0..40).map(|i| format!("x{i} ")).collect();
    assert_eq!(
        filled(&format!("for f in {many}; do echo $f; done")),
        Filled::TooLarge
    );
    // More items than are kept: a use is not filled, the line counts as too large.
    let items: String = (0..70).map(|i| format!("x{i} ")).collect();
    assert_eq!(
        filled(&format!("a=({items}/dev/mem); cat ${{a[70]}}")),
        Filled::TooLarge
    );
    assert_eq!(filled(&format!("a=({items}/dev/mem); ls")), Filled::Nothing);
}

/// `joined` as it was before the join skipped normalising a clean operand (issue 14): the
/// reference the differential test compares against.
fn joined_reference(dir: &str, v: &str, removes: bool) -> Option<String> {
    if let Some((key @ ("if" | "of"), path)) = v.split_once('=') {
        return joined_reference(dir, path, removes).map(|p| format!("{key}={p}"));
    }
    if v.is_empty() || v.starts_with(['/', '-', '~', '$']) || v.len() > 256 {
        return None;
    }
    let full = if v.contains(['*', '?', '[']) {
        format!("{}/{v}", dir.trim_end_matches('/'))
    } else {
        normalise(&format!("{}/{v}", dir.trim_end_matches('/')))
    };
    let top = full.starts_with('/') && full.matches('/').count() == 1 && full.len() > 1;
    let wanted = ["/dev/", "/proc/", "/sys/"]
        .iter()
        .any(|d| full.starts_with(d))
        || args::memory_device(&full)
        || args::secret_path(&full)
        || matches!(v, "*" | "." | "./*" | ".*" | "./")
        || removes && (top || dir == "~" || dir == "/");
    wanted.then_some(full)
}

#[test]
fn joins_answer_as_the_normalised_join_did() {
    use crate::classify::content::test_rng::Rng;
    const DIR: &[&str] = &[
        "/", "~", "~/", ".", "..", "a", "dev", "proc", "sys", "etc", ".ssh", ".config", "srv", "1",
        "self", " ", "-", "//",
    ];
    const OPERAND: &[&str] = &[
        "a", "/", "/", ".", "..", "*", "?", "[", "dev", "mem", "kcore", "id_rsa", "if=", "of=",
        "-", "~", "shadow", ".ssh", "proc", "1", "self", "config", "gcloud", ".config", "hub",
        "etc", "é", "=", "",
    ];
    let mut rng = Rng(0x5851_f42d_4c95_7f2d);
    let mut found = 0;
    for _ in 0..200_000 {
        let dir: String = (0..rng.below(6)).map(|_| rng.pick(DIR)).collect();
        // The scan only ever holds a directory it normalised (`change_dir`).
        let dir = normalise(&dir);
        let v: String = (0..1 + rng.below(6)).map(|_| rng.pick(OPERAND)).collect();
        let removes = rng.below(2) == 1;
        let want = joined_reference(&dir, &v, removes);
        found += usize::from(want.is_some());
        assert_eq!(joined(&dir, &v, removes), want, "cd {dir:?}; {v:?}");
    }
    // The texts reach both answers.
    assert!(found > 10_000, "{found}");
}

#[test]
fn plain_words_read_as_word_at_reads_them() {
    use crate::classify::content::test_rng::Rng;
    const PIECE: &[&str] = &[
        "a", "b", "/dev", "mem", " ", "\t", ";", "|", "&", "(", ")", "<", ">", "\n", "'", "\"",
        "\\", "$", "$M", "${M}", "`", "=", "é", "{", "}", "#", "*",
    ];
    let mut rng = Rng(0x2d35_8dcc_aa6c_78a5);
    let mut plain = 0;
    for _ in 0..20_000 {
        let text: String = (0..rng.below(12)).map(|_| rng.pick(PIECE)).collect();
        let vars = format!("M=mem; {text}");
        for (i, _) in vars.char_indices() {
            let mut fast = Scan::new(&vars, 0);
            fast.set("M", Some(Val::Scalar("mem".into())));
            let mut slow = Scan::new(&vars, 0);
            slow.set("M", Some(Val::Scalar("mem".into())));
            let (end, value) = fast.word_value(i);
            plain += usize::from(matches!(value, Some(Cow::Borrowed(_))));
            assert_eq!(
                (end, value.map(Cow::into_owned)),
                slow.word_at(i),
                "{vars:?} at {i}"
            );
        }
    }
    assert!(plain > 10_000, "{plain}");
    // A word past the longest value kept has none, as `word_at` gives.
    let long = "x".repeat(MAX_VALUE + 1);
    assert_eq!(Scan::new(&long, 0).word_value(0), (long.len(), None));
}
