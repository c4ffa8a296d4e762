//! The nineteenth sets' shell rules (docs/classifier.md, "The nineteenth sets"): `ulimit`
//! setting a limit, a pager told to load key bindings (a lesskey file can run commands), and
//! `git -C` pointed at another repository (whose own config can name a pager, an fsmonitor
//! or a hook that runs).

/// The value `ulimit` sets (`ulimit -n 0`, `ulimit -c unlimited`, `ulimit -Sv 1000`), or
/// None when it only prints (`ulimit -a`, `ulimit -n`, `ulimit -Hn`): bash's `ulimit` takes
/// at most one operand, the new limit, after its letters.
/// A value attached to the letters sets one too: bash reads `ulimit -n0` and `-Snunlimited`
/// as `-n 0` and `-Sn unlimited`.
pub(crate) fn ulimit_value(args: &[String]) -> Option<&str> {
    let mut options = true;
    for a in args {
        if options && a == "--" {
            options = false;
        } else if !options || !a.starts_with('-') || a == "-" {
            return Some(a);
        } else if let Some(letters) = a.get(1..)
            && let Some(at) = letters.find(|c: char| !c.is_ascii_alphabetic())
        {
            return letters.get(at..).or(Some(a));
        } else if ["unlimited", "hard", "soft"]
            .iter()
            .any(|v| a.len() > v.len() + 2 && a.ends_with(v))
        {
            return Some(a);
        }
    }
    None
}

/// The option of a `less` command line (or of the `LESS` variable's words) that loads key
/// bindings: `-k FILE`, `-kFILE`, a cluster with `k` (`-Rk FILE`), `--lesskey-file=F`,
/// `--lesskey-src=F`, `--lesskey-content=TEXT`, or any abbreviation of them (`--lesskey-f`).
/// A lesskey file's `#command` section binds keys to shell commands and its `#env` section
/// sets `LESSOPEN`, so loading one is not proven to only show.
pub(crate) fn lesskey_option(word: &str) -> Option<&str> {
    if let Some(long) = word.strip_prefix("--") {
        let name = long.split('=').next().unwrap_or(long).to_ascii_lowercase();
        return name.starts_with("lesskey").then_some(word);
    }
    let cluster = word.strip_prefix('-')?;
    // `-+k` resets an option to its default; letters after one that takes a value are
    // that value (`-pkeyword`, `-o/tmp/k`).
    for c in cluster.chars() {
        match c {
            'k' => return Some(word),
            'b' | 'h' | 'j' | 'o' | 'O' | 'p' | 'P' | 't' | 'T' | 'x' | 'y' | 'z' | '#' | 'D'
            | '+' => return None,
            _ => {}
        }
    }
    None
}

/// The directory git is pointed at by its global `-C` options when it is not the current
/// one: `git -C /tmp/repo status` reads that repository's own config, and a `core.pager`,
/// `core.fsmonitor` or hook named there runs. `-C .`, `-C ./` and `-C ""` (which git
/// ignores) are the current directory. Only the options before the subcommand count: `git
/// log -C` finds copies.
/// `-C "$PWD"` is not taken for the current directory: the line may have set `PWD`.
pub(crate) fn git_other_directory(args: &[String]) -> Option<&str> {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "-C" => {
                let d = args.get(i + 1)?;
                if !current_directory(d) {
                    return Some(d);
                }
                i += 2;
            }
            "-c" | "--git-dir" | "--work-tree" | "--namespace" | "--config-env" => i += 2,
            "--" => return None,
            // `-C/path`, attached.
            _ if a.starts_with("-C") && a.get(2..).is_some_and(|d| !current_directory(d)) => {
                return a.get(2..);
            }
            _ if a.starts_with('-') => i += 1,
            _ => return None,
        }
    }
    None
}

/// Whether a `-C` operand names the current directory.
fn current_directory(d: &str) -> bool {
    d.split('/').all(|p| p.is_empty() || p == ".")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn ulimit_sets_only_with_an_operand() {
        assert_eq!(ulimit_value(&v("-n 0")), Some("0"));
        assert_eq!(ulimit_value(&v("-Sv 1000")), Some("1000"));
        assert_eq!(ulimit_value(&v("-- 10")), Some("10"));
        assert_eq!(ulimit_value(&v("-a")), None);
        assert_eq!(ulimit_value(&v("-Hn")), None);
        assert_eq!(ulimit_value(&v("-n0")), Some("0"));
        assert_eq!(ulimit_value(&v("-c0")), Some("0"));
        assert_eq!(ulimit_value(&v("-Snunlimited")), Some("-Snunlimited"));
        assert_eq!(ulimit_value(&v("-Hnhard")), Some("-Hnhard"));
        assert_eq!(ulimit_value(&v("-S")), None);
        assert_eq!(ulimit_value(&[]), None);
    }

    #[test]
    fn lesskey_options() {
        assert!(lesskey_option("-k").is_some());
        assert!(lesskey_option("-Rk/tmp/k").is_some());
        assert!(lesskey_option("--lesskey-file=/tmp/k").is_some());
        assert!(lesskey_option("--LESSKEY-src").is_some());
        assert!(lesskey_option("-R").is_none());
        assert!(lesskey_option("-pkeyword").is_none());
        assert!(lesskey_option("--line-numbers").is_none());
        assert!(lesskey_option("README").is_none());
    }

    #[test]
    fn git_directories() {
        assert_eq!(git_other_directory(&v("-C /tmp/r status")), Some("/tmp/r"));
        assert_eq!(git_other_directory(&v("-c a=b -C ../o log")), Some("../o"));
        assert_eq!(git_other_directory(&v("-C/tmp/r status")), Some("/tmp/r"));
        assert_eq!(git_other_directory(&v("-C. status")), None);
        assert_eq!(git_other_directory(&v("-C . status")), None);
        assert_eq!(git_other_directory(&v("-C ./ status")), None);
        assert_eq!(git_other_directory(&v("log -C /tmp")), None);
        assert_eq!(git_other_directory(&v("status")), None);
        assert_eq!(git_other_directory(&v("-C $PWD diff")), Some("$PWD"));
        assert_eq!(git_other_directory(&v("-C $HOME status")), Some("$HOME"));
    }
}
