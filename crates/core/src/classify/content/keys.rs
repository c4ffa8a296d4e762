//! An object's keys in any ASCII case, with or without `_` and `-` (`working_directory`,
//! `Working-Directory` and `workingDirectory` are one key): the one comparison for rules that
//! look keys up by name. It allocates nothing, since it runs on every key of every object.

/// True if `key` is `name` (lower case, no separators) once case, `_` and `-` are ignored.
pub(crate) fn spelled(key: &str, name: &str) -> bool {
    let mut it = key.bytes().filter(|b| !matches!(b, b'_' | b'-'));
    name.bytes()
        .all(|n| it.next().is_some_and(|b| b.eq_ignore_ascii_case(&n)))
        && it.next().is_none()
}

/// True if `key` is spelled as one of `names`.
pub(crate) fn spelled_any(key: &str, names: &[&str]) -> bool {
    names.iter().any(|n| spelled(key, n))
}

#[cfg(test)]
mod tests {
    use super::{spelled, spelled_any};

    #[test]
    fn keys_match_in_any_spelling() {
        assert!(spelled("working_directory", "workingdirectory"));
        assert!(spelled("Working-Directory", "workingdirectory"));
        assert!(spelled("DELETE_FILE", "deletefile"));
        assert!(spelled("cwd", "cwd"));
        assert!(!spelled("cwdx", "cwd"));
        assert!(!spelled("cw", "cwd"));
        assert!(!spelled("", "cwd"));
        assert!(!spelled("c wd", "cwd"));
        assert!(spelled_any("Job_Config", &["config", "jobconfig"]));
        assert!(!spelled_any("jobs", &["config", "jobconfig"]));
    }
}
