//! Capabilities and the session scope ceiling.
//!
//! A capability is a pattern over action names: `db.schema.read`, `db.*`, `files:read`, `*`.
//! `.` `:` `/` `_` `-` are one separator and matching is case-insensitive, so `db.query.read`,
//! `db:query:read` and `DB/Query/Read` are the same action. A `*` segment matches exactly one
//! segment, except at the end of a pattern, where it matches one or more.

/// Splits a capability or action name into lowercase segments, after normalising it (NFKC,
/// invisible characters removed, look-alike letters folded to ASCII), so that `db.drоp_database`
/// with a Cyrillic `о` is the same action as `db.drop_database` for the ceiling, tool
/// registrations and pins alike.
fn segments(s: &str) -> Vec<String> {
    crate::classify::name::normalise_action(s)
        .text
        .split(['.', ':', '/', '_', '-', ' '])
        .filter(|seg| !seg.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// True if `pattern` covers `action`.
pub fn matches(pattern: &str, action: &str) -> bool {
    let p = segments(pattern);
    let a = segments(action);
    if p.is_empty() || a.is_empty() {
        return false;
    }
    for (i, seg) in p.iter().enumerate() {
        let last = i + 1 == p.len();
        match a.get(i) {
            None => return false,
            Some(_) if seg == "*" && last => return true,
            Some(_) if seg == "*" => {}
            Some(actual) if actual == seg => {}
            Some(_) => return false,
        }
    }
    p.len() == a.len()
}

/// True if two action names are the same action: the same segments, whatever the separators
/// and case. No wildcards: a tool named `*` is only `*`.
pub fn same_action(a: &str, b: &str) -> bool {
    let (a, b) = (segments(a), segments(b));
    !a.is_empty() && a == b
}

/// The capability of `ceiling` that allows `action`, if any.
pub fn allowing<'a>(ceiling: &'a [String], action: &str) -> Option<&'a str> {
    ceiling
        .iter()
        .find(|cap| matches(cap, action))
        .map(String::as_str)
}

/// The session ceiling: the server's ceiling intersected with the agent's capabilities.
/// `server` is `None` when the server sets no ceiling of its own. The result keeps the
/// narrower pattern of each overlapping pair, so it never allows more than either side.
pub fn intersect(server: Option<&[String]>, agent: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |cap: &String| {
        if !out.iter().any(|c| c.eq_ignore_ascii_case(cap)) {
            out.push(cap.clone());
        }
    };
    match server {
        None => agent.iter().for_each(&mut push),
        Some(server) => {
            for s in server {
                for a in agent {
                    if matches(a, s) {
                        push(s);
                    } else if matches(s, a) {
                        push(a);
                    }
                }
            }
        }
    }
    out
}

/// Checks a capability pattern for shape: non-empty, bounded, printable, and `*` only as a
/// whole segment.
pub fn validate(cap: &str) -> Result<(), String> {
    if cap.trim().is_empty() {
        return Err("capability is empty".into());
    }
    if cap.len() > 256 {
        return Err(format!(
            "capability `{}…` is longer than 256 bytes",
            &cap[..cap.floor_char_boundary(32)]
        ));
    }
    if cap.chars().any(char::is_control) {
        return Err("capability contains a control character".into());
    }
    if segments(cap).iter().any(|s| s.contains('*') && s != "*") {
        return Err(format!(
            "capability `{cap}`: `*` must stand for a whole segment"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn separators_and_case_are_equivalent() {
        assert!(matches("db.query.read", "DB:Query/read"));
        assert!(matches("files:read", "files_read"));
        assert!(!matches("db.query.read", "db.query.write"));
        assert!(!matches("db.query", "db.query.read"));
    }

    #[test]
    fn same_action_ignores_separators_and_case_only() {
        assert!(same_action("payroll.export", "PAYROLL_export"));
        assert!(same_action("list_files", "list-files"));
        assert!(!same_action("payroll.export", "payroll.export.all"));
        assert!(!same_action("*", "anything"));
        assert!(!same_action("", ""));
    }

    #[test]
    fn look_alike_names_match_as_their_normal_form() {
        // Cyrillic `о`, fullwidth letters, a zero-width space: all the ASCII name.
        for name in [
            "db.dr\u{043e}p_database",
            "db.\u{ff44}\u{ff52}\u{ff4f}\u{ff50}_database",
            "db.drop\u{200b}_database",
        ] {
            assert!(same_action(name, "db.drop_database"), "{name}");
            assert!(matches("db.drop_database", name), "{name}");
            assert!(matches("db.*", name), "{name}");
            // Outside a ceiling that does not name it, as the ASCII name is.
            assert!(allowing(&caps(&["db.query.read", "db.schema.read"]), name).is_none());
        }
        // Twin: a different ASCII name stays different.
        assert!(!same_action("db.drop_databases", "db.drop_database"));
    }

    #[test]
    fn wildcards() {
        assert!(matches("db.*", "db.query.read"));
        assert!(matches("db.*", "db.drop_database"));
        assert!(!matches("db.*", "db"));
        assert!(matches("*", "anything.at.all"));
        assert!(matches("db.*.read", "db.schema.read"));
        assert!(!matches("db.*.read", "db.schema.write"));
        assert!(!matches("db.*.read", "db.a.b.read"));
        assert!(!matches("", "x"));
    }

    #[test]
    fn intersection_never_widens() {
        let server = caps(&["db.schema.read", "db.query.read", "db.migration.plan"]);
        let agent = caps(&["db.*"]);
        assert_eq!(intersect(Some(&server), &agent), server);
        let agent = caps(&["db.schema.read", "files.read"]);
        assert_eq!(intersect(Some(&server), &agent), caps(&["db.schema.read"]));
        assert_eq!(
            intersect(Some(&caps(&["db.*"])), &caps(&["db.query.read"])),
            caps(&["db.query.read"])
        );
        assert_eq!(intersect(None, &agent), agent);
        assert!(intersect(Some(&server), &[]).is_empty());
    }

    #[test]
    fn validation() {
        assert!(validate("db.*").is_ok());
        assert!(validate("db.re*").is_err());
        assert!(validate(" ").is_err());
    }
}
