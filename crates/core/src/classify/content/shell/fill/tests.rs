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
