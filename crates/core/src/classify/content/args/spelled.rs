//! A path written in a longer spelling of itself (the review of the twenty-second sets):
//! `//etc/passwd`, `/./etc/sudoers`, `/srv/../etc/passwd`, `.git//hooks/pre-commit`,
//! `.git/./hooks`, macOS's `/private/etc/…`. The rules match a path's text (`/etc/`,
//! `.git/hooks/`), so each of these was a plain write (`cp /tmp/x //etc/passwd`: mutating),
//! and so was a working directory spelled so. The path is judged in its plain spelling as
//! well (only raises).

/// The plain spelling of `path` (repeated separators and `.` segments dropped, each `..`
/// taking the segment before it, `/private/etc` as `/etc`), when it differs; None for a path
/// already plain (most: the test allocates nothing).
pub(crate) fn plain(path: &str) -> Option<String> {
    let p = path.trim();
    let private = p.starts_with("/private/etc/") || p == "/private/etc";
    // A segment that is empty (not the leading one, not after the last `/`), `.` or `..`.
    let last = p.split('/').count().saturating_sub(1);
    let longer = p
        .split('/')
        .enumerate()
        .any(|(i, s)| matches!(s, "." | "..") || (s.is_empty() && i > 0 && i < last));
    if !longer && !private {
        return None;
    }
    let p = if private {
        p.strip_prefix("/private").unwrap_or(p)
    } else {
        p
    };
    let absolute = p.starts_with('/');
    let mut kept: Vec<&str> = Vec::new();
    for seg in p.split('/') {
        match seg {
            "" | "." => {}
            ".." => match kept.last() {
                // `..` at the root stays there; above a relative start it is kept.
                Some(&s) if s != ".." && !s.starts_with('~') && !s.starts_with('$') => {
                    kept.pop();
                }
                None if absolute => {}
                _ => kept.push(".."),
            },
            s => kept.push(s),
        }
    }
    let mut out = String::with_capacity(p.len());
    if absolute {
        out.push('/');
    }
    out.push_str(&kept.join("/"));
    if p.ends_with('/') && !kept.is_empty() {
        out.push('/');
    }
    if out.is_empty() {
        out.push('.');
    }
    (out != path).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn plain_spellings() {
        assert_eq!(plain("//etc/passwd").as_deref(), Some("/etc/passwd"));
        assert_eq!(plain("/./etc/sudoers").as_deref(), Some("/etc/sudoers"));
        assert_eq!(plain("/srv/../etc/passwd").as_deref(), Some("/etc/passwd"));
        assert_eq!(plain("/../../etc").as_deref(), Some("/etc"));
        assert_eq!(
            plain(".git//hooks/pre-commit").as_deref(),
            Some(".git/hooks/pre-commit")
        );
        assert_eq!(plain("./.git/./hooks/").as_deref(), Some(".git/hooks/"));
        assert_eq!(plain("/private/etc/hosts").as_deref(), Some("/etc/hosts"));
        assert_eq!(plain("/.").as_deref(), Some("/"));
        assert_eq!(plain("//").as_deref(), Some("/"));
        assert_eq!(plain("../../x").as_deref(), None);
        assert_eq!(plain("a/../../x").as_deref(), Some("../x"));
        assert_eq!(plain("~/../root/.ssh"), None);
        assert_eq!(plain("/etc/passwd"), None);
        assert_eq!(plain("/etc/"), None);
        assert_eq!(plain("~/.ssh/id_rsa"), None);
        assert_eq!(plain(""), None);
        assert_eq!(plain("."), None);
    }
}
