//! Capabilities and the session scope ceiling.
//!
//! A capability is a pattern over action names: `db.schema.read`, `db.*`, `files:read`, `*`.
//! `.` `:` `/` `_` `-` are one separator and matching is case-insensitive, so `db.query.read`,
//! `db:query:read` and `DB/Query/Read` are the same action. A `*` segment matches exactly one
//! segment, except at the end of a pattern, where it matches one or more.

use std::borrow::Cow;

use crate::classify::name::normal_form;

/// The lowercase segments of a capability or action name in its normal form
/// ([`normal_form`]: NFKC, invisible characters removed, look-alike letters folded to ASCII),
/// so that `db.drоp_database` with a Cyrillic `о` is the same action as `db.drop_database` for
/// the ceiling, tool registrations and pins alike. A segment with nothing to lower is borrowed:
/// the ceiling is matched on every check.
fn segments(normal: &str) -> impl Iterator<Item = Cow<'_, str>> {
    normal
        .split(['.', ':', '/', '_', '-', ' '])
        .filter(|seg| !seg.is_empty())
        .map(|seg| {
            if seg.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) {
                Cow::Owned(seg.to_lowercase())
            } else {
                Cow::Borrowed(seg)
            }
        })
}

/// True if `pattern` covers `action`.
pub fn matches(pattern: &str, action: &str) -> bool {
    let (pattern, action) = (normal_form(pattern), normal_form(action));
    let mut p = segments(&pattern).peekable();
    let mut a = segments(&action);
    if p.peek().is_none() {
        return false;
    }
    while let Some(seg) = p.next() {
        let last = p.peek().is_none();
        let Some(actual) = a.next() else {
            return false;
        };
        if seg == "*" {
            if last {
                return true;
            }
        } else if actual != seg {
            return false;
        }
    }
    a.next().is_none()
}

/// True if two action names are the same action: the same segments, whatever the separators
/// and case. No wildcards: a tool named `*` is only `*`.
pub fn same_action(a: &str, b: &str) -> bool {
    let (a, b) = (normal_form(a), normal_form(b));
    let (mut a, mut b) = (segments(&a), segments(&b));
    let mut any = false;
    loop {
        match (a.next(), b.next()) {
            (None, None) => return any,
            (Some(x), Some(y)) if x == y => any = true,
            _ => return false,
        }
    }
}

/// The capability of `ceiling` that allows `action`, if any.
pub fn allowing<'a>(ceiling: &'a [String], action: &str) -> Option<&'a str> {
    ceiling
        .iter()
        .find(|cap| matches(cap, action))
        .map(String::as_str)
}

/// The action Airlock checks for a Claude Code tool, when the hook maps it to another name:
/// `Bash` → `shell.exec`, `Write` `Edit` `MultiEdit` `NotebookEdit` → `file.write`,
/// `ReadMcpResourceTool` → `resources.read`, `mcp__<server>__<tool>` → `<tool>`. Any other
/// tool (`Read`, `Grep`…) is checked under its own name: `None`.
pub fn claude_code_action(tool: &str) -> Option<&str> {
    match tool {
        "Bash" => Some("shell.exec"),
        "Write" | "Edit" | "MultiEdit" | "NotebookEdit" => Some("file.write"),
        "ReadMcpResourceTool" => Some("resources.read"),
        t => claude_code_mcp_tool(t),
    }
}

/// The tool part of a Claude Code MCP tool name `mcp__<server>__<tool>`.
pub fn claude_code_mcp_tool(name: &str) -> Option<&str> {
    let rest = name.strip_prefix("mcp__")?;
    let (server, tool) = rest.split_once("__")?;
    (!server.is_empty() && !tool.is_empty()).then_some(tool)
}

/// The capability of `ceiling` that allows a call the Claude Code hook checks as `action` for
/// the Claude Code tool `tool` (`None` for any other surface). A capability written as the
/// action (patterns and wildcards as always) allows it; so does the tool's own Claude Code name,
/// written exactly as Claude Code spells it (`Bash`, `mcp__db__execute_sql`: case, separators
/// and all, no wildcards), and only when `action` is exactly the action the hook maps that tool
/// to. So `Bash` allows `shell.exec` from the hook's `Bash` and nothing else, `Write` does not
/// allow an `Edit`, and `mcp__db__query` does not allow `mcp__db_x__query`.
pub fn allowing_hook_call<'a>(
    ceiling: &'a [String],
    action: &str,
    tool: Option<&str>,
) -> Option<&'a str> {
    allowing(ceiling, action).or_else(|| {
        let tool = tool?;
        (claude_code_action(tool)? == action)
            .then(|| ceiling.iter().find(|c| c.as_str() == tool))
            .flatten()
            .map(String::as_str)
    })
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
            // A Claude Code tool name stays when the server allows the action it stands for:
            // it allows nothing else (see [`allowing_hook_call`]).
            for a in agent {
                if claude_code_action(a).is_some_and(|act| allowing(server, act).is_some()) {
                    push(a);
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
    if segments(&normal_form(cap)).any(|s| s.contains('*') && s != "*") {
        return Err(format!(
            "capability `{cap}`: `*` must stand for a whole segment"
        ));
    }
    Ok(())
}

/// True if the capability pattern `parent` allows every action the pattern `child` allows:
/// a `*` segment of `child` is read as a literal segment, so `db.*` covers `db.query.read`
/// and `db.*.read` but `db.query.read` never covers `db.*`, and `*` is covered only by `*`.
/// A pattern with no segment covers and is covered by nothing.
pub fn pattern_covers(parent: &str, child: &str) -> bool {
    // `matches` reads the action side segment by segment; a trailing `*` of the parent takes
    // one or more segments and a child's trailing `*` needs at least one, so the literal
    // reading of the child's `*` is exact for every shape `validate` accepts.
    matches(parent, child)
}

/// True if the capabilities `ceiling` allow everything the pattern `child` allows, as a
/// capability of a narrower grant (a delegation). A Claude Code tool name (`Bash`,
/// `mcp__db__query`) also allows its hook call (see [`allowing_hook_call`]), so it is covered
/// only by the same exact name or by a ceiling that allows the action it stands for, besides
/// covering it as a pattern.
pub fn covers(ceiling: &[String], child: &str) -> bool {
    if !ceiling.iter().any(|p| pattern_covers(p, child)) {
        return false;
    }
    match claude_code_action(child) {
        None => true,
        Some(action) => ceiling.iter().any(|p| p == child) || allowing(ceiling, action).is_some(),
    }
}

/// The ceiling of a grant that must fit inside two others (a delegation's scope and the
/// receiving agent's capabilities): every pattern of either list that both cover ([`covers`]).
/// Each kept pattern allows nothing either side does not, hook calls included; an overlap
/// that neither list writes out (`db.*` against `*.read`) is left out, never guessed.
pub fn narrow(scope: &[String], capabilities: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in scope.iter().chain(capabilities) {
        if covers(scope, c) && covers(capabilities, c) && !out.contains(c) {
            out.push(c.clone());
        }
    }
    out
}

/// The first pattern of `children` that `ceiling` does not cover, if any: `None` means
/// `children` is a subset of `ceiling` (see [`covers`]).
pub fn first_uncovered<'a>(ceiling: &[String], children: &'a [String]) -> Option<&'a str> {
    children
        .iter()
        .find(|c| !covers(ceiling, c))
        .map(String::as_str)
}

/// Checks a pattern given as a delegated scope: [`validate`], and at least one segment
/// (`.` or `-` alone names nothing, so a grant of it is a mistake, not an empty grant).
pub fn validate_delegated(cap: &str) -> Result<(), String> {
    validate(cap)?;
    if segments(&normal_form(cap)).next().is_none() {
        return Err(format!("capability `{}` names no action", cap.trim()));
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

    /// `matches` and `same_action` as they were written before they borrowed: every segment
    /// lowercased into a string of its own.
    fn owned_segments(s: &str) -> Vec<String> {
        crate::classify::name::normalise_action(s)
            .text
            .split(['.', ':', '/', '_', '-', ' '])
            .filter(|seg| !seg.is_empty())
            .map(str::to_lowercase)
            .collect()
    }

    fn owned_matches(p: &[String], a: &[String]) -> bool {
        if p.is_empty() || a.is_empty() {
            return false;
        }
        for (i, seg) in p.iter().enumerate() {
            match a.get(i) {
                None => return false,
                Some(_) if seg == "*" && i + 1 == p.len() => return true,
                Some(_) if seg == "*" => {}
                Some(actual) if actual == seg => {}
                Some(_) => return false,
            }
        }
        p.len() == a.len()
    }

    #[test]
    fn borrowed_segments_decide_as_owned_ones() {
        // Case, separators, wildcards, look-alikes, invisible characters, and letters whose
        // lowercase is special (final sigma, the Kelvin sign, dotted capital I, sharp s).
        let words = [
            "",
            "db",
            "DB",
            "query",
            "*",
            "dr\u{043e}p",
            "drop",
            "\u{0391}\u{03a3}",
            "\u{03b1}\u{03c2}",
            "\u{03b1}\u{03c3}",
            "\u{212a}",
            "k",
            "\u{0130}",
            "i",
            "\u{00df}",
            "ss",
            "\u{ff44}\u{ff42}",
        ];
        let mut names = Vec::new();
        for a in words {
            names.push(a.to_string());
            for sep in [".", "_", " ", "\u{200b}"] {
                for b in ["*", "\u{03a3}", "READ"] {
                    names.push(format!("{a}{sep}{b}"));
                }
            }
            for b in ["*", "db"] {
                names.push(format!("{b}:{a}/q"));
            }
        }
        let owned: Vec<Vec<String>> = names.iter().map(|n| owned_segments(n)).collect();
        let mut agree = (0, 0);
        for (p, x) in names.iter().zip(&owned) {
            for (a, y) in names.iter().zip(&owned) {
                let covered = owned_matches(x, y);
                assert_eq!(matches(p, a), covered, "matches({p:?}, {a:?})");
                let same = !x.is_empty() && x == y;
                assert_eq!(same_action(p, a), same, "same_action({p:?}, {a:?})");
                agree.0 += usize::from(same);
                agree.1 += usize::from(covered);
            }
        }
        // Both answers occur often: the comparison is not of two constant functions.
        assert!(
            agree.0 > names.len() && agree.1 > 2 * names.len(),
            "{agree:?}"
        );
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
    fn claude_code_tool_names_allow_exactly_their_hook_action() {
        let c = caps(&["Bash", "Read"]);
        // `Bash` allows the hook's Bash call, checked as `shell.exec`.
        assert_eq!(
            allowing_hook_call(&c, "shell.exec", Some("Bash")),
            Some("Bash")
        );
        // `Read` is checked under its own name.
        assert_eq!(allowing_hook_call(&c, "Read", Some("Read")), Some("Read"));
        // Twins: `Read` does not allow Bash; `Bash` does not allow Write or Edit.
        let read = caps(&["Read"]);
        assert_eq!(allowing_hook_call(&read, "shell.exec", Some("Bash")), None);
        let bash = caps(&["Bash"]);
        assert_eq!(allowing_hook_call(&bash, "file.write", Some("Write")), None);
        assert_eq!(allowing_hook_call(&bash, "file.write", Some("Edit")), None);
        // Only from the hook, and only for the action the tool maps to.
        assert_eq!(allowing_hook_call(&bash, "shell.exec", None), None);
        assert_eq!(allowing_hook_call(&bash, "file.write", Some("Bash")), None);
        assert_eq!(
            allowing_hook_call(&bash, "shell.exec.x", Some("Bash")),
            None
        );
        // `Write` and `Edit` are different Claude Code tools of the same action.
        let write = caps(&["Write"]);
        assert_eq!(
            allowing_hook_call(&write, "file.write", Some("Write")),
            Some("Write")
        );
        assert_eq!(allowing_hook_call(&write, "file.write", Some("Edit")), None);
        // Exact spelling: no case folding, separators or look-alikes for tool names.
        for spelled in ["bash", "BASH", "B\u{0430}sh", "Bash "] {
            assert_eq!(
                allowing_hook_call(&caps(&[spelled]), "shell.exec", Some("Bash")),
                None,
                "{spelled:?}"
            );
        }
        // MCP tools: the whole name, server included.
        let mcp = caps(&["mcp__db__execute_sql"]);
        assert_eq!(
            allowing_hook_call(&mcp, "execute_sql", Some("mcp__db__execute_sql")),
            Some("mcp__db__execute_sql")
        );
        assert_eq!(
            allowing_hook_call(&mcp, "execute_sql", Some("mcp__db_x__execute_sql")),
            None
        );
        assert_eq!(
            allowing_hook_call(&mcp, "drop", Some("mcp__db__drop")),
            None
        );
        assert_eq!(allowing_hook_call(&mcp, "execute_sql", None), None);
        // Action names and wildcards keep working, from the hook or not.
        assert_eq!(
            allowing_hook_call(&caps(&["shell.*"]), "shell.exec", Some("Bash")),
            Some("shell.*")
        );
        assert_eq!(
            allowing_hook_call(&caps(&["*"]), "file.write", Some("Write")),
            Some("*")
        );
        assert_eq!(claude_code_action("mcp____x"), None);
        assert_eq!(claude_code_action("Grep"), None);
    }

    #[test]
    fn claude_code_names_survive_a_server_ceiling_only_for_allowed_actions() {
        let agent = caps(&["mcp__db__execute_sql", "mcp__db__drop_table", "Bash"]);
        let server = caps(&["execute_sql", "list_tables"]);
        assert_eq!(
            intersect(Some(&server), &agent),
            caps(&["mcp__db__execute_sql"])
        );
        assert_eq!(
            intersect(Some(&caps(&["shell.*"])), &agent),
            caps(&["Bash"])
        );
    }

    #[test]
    fn validation() {
        assert!(validate("db.*").is_ok());
        assert!(validate("db.re*").is_err());
        assert!(validate(" ").is_err());
    }

    #[test]
    fn narrowing_is_covered_and_widening_is_not() {
        // Narrowing: a wildcard covers what it matches, itself and narrower wildcards.
        assert!(pattern_covers("db.*", "db.query.read"));
        assert!(pattern_covers("db.*", "db.*"));
        assert!(pattern_covers("db.*", "db.query.*"));
        assert!(pattern_covers("db.*", "db.*.read"));
        assert!(pattern_covers("*", "db.*"));
        assert!(pattern_covers("*", "*"));
        assert!(pattern_covers("db.*.read", "db.schema.read"));
        assert!(pattern_covers("DB:Query:Read", "db.query.read"));
        // Twins: the reverse never holds.
        assert!(!pattern_covers("db.query.read", "db.*"));
        assert!(!pattern_covers("db.query.*", "db.*"));
        assert!(!pattern_covers("db.*.read", "db.*"));
        assert!(!pattern_covers("db.*", "*"));
        assert!(!pattern_covers("db.*.read", "db.*.*"));
        assert!(!pattern_covers("db.*", "db"));
        assert!(!pattern_covers("db.query.read", "db.query.write"));
        assert!(!pattern_covers("db.query", "db.query.read"));
        // A middle `*` takes exactly one segment: `db.*.read` does not cover a deeper name.
        assert!(!pattern_covers("db.*.read", "db.a.b.read"));
        assert!(!pattern_covers("", "x"));
        assert!(!pattern_covers("x", ""));
    }

    #[test]
    fn covers_is_exact_about_what_each_child_allows() {
        // Brute force over a small alphabet: `pattern_covers(p, c)` holds exactly when every
        // action `c` matches is matched by `p`.
        let patterns = [
            "a", "b", "*", "a.b", "a.*", "*.b", "*.*", "a.*.b", "a.b.*", "*.b.*", "a.b.c", "a.*.*",
        ];
        let mut actions = Vec::new();
        for n in 1..=4 {
            let mut words: Vec<String> = vec![String::new()];
            for _ in 0..n {
                words = words
                    .iter()
                    .flat_map(|w| {
                        ["a", "b", "c"]
                            .map(|s| format!("{w}{}{s}", if w.is_empty() { "" } else { "." }))
                    })
                    .collect();
            }
            actions.extend(words);
        }
        for p in patterns {
            for c in patterns {
                let truth = actions
                    .iter()
                    .filter(|a| matches(c, a))
                    .all(|a| matches(p, a));
                assert_eq!(pattern_covers(p, c), truth, "{p} covers {c}");
            }
        }
    }

    #[test]
    fn claude_code_names_are_covered_only_by_what_allows_their_hook_call() {
        // `Bash` allows the hook's `shell.exec`: `bash` (the action `bash`) does not cover it.
        assert!(!covers(&caps(&["bash"]), "Bash"));
        assert!(covers(&caps(&["Bash"]), "Bash"));
        assert!(covers(&caps(&["*"]), "Bash"));
        // Twin: `Bash` covers the plain action `bash`, which grants no hook call.
        assert!(covers(&caps(&["Bash"]), "bash"));
        assert!(!covers(&caps(&["mcp.*"]), "mcp__db__drop"));
        assert!(covers(&caps(&["mcp.*", "drop"]), "mcp__db__drop"));
        assert!(covers(&caps(&["mcp__db__drop"]), "mcp__db__drop"));
    }

    #[test]
    fn first_uncovered_names_the_widening_pattern() {
        let parent = caps(&["db.*", "files.read"]);
        assert_eq!(
            first_uncovered(&parent, &caps(&["db.query.read", "files:read"])),
            None
        );
        assert_eq!(
            first_uncovered(&parent, &caps(&["db.query.read", "files.*"])),
            Some("files.*")
        );
        assert_eq!(first_uncovered(&parent, &caps(&["*"])), Some("*"));
        assert_eq!(
            first_uncovered(&[], &caps(&["db.query.read"])),
            Some("db.query.read")
        );
    }

    #[test]
    fn delegated_patterns_name_an_action() {
        assert!(validate_delegated("db.query.read").is_ok());
        assert!(validate_delegated("*").is_ok());
        assert!(validate_delegated(".").is_err());
        assert!(validate_delegated("-.:").is_err());
        assert!(validate_delegated("db.q*").is_err());
        assert!(validate_delegated("").is_err());
    }

    #[test]
    fn a_narrowed_ceiling_allows_nothing_either_side_does_not() {
        // A Claude Code name kept only where both sides allow its hook call.
        assert!(narrow(&caps(&["mcp__db__drop"]), &caps(&["mcp.*"])).is_empty());
        assert!(narrow(&caps(&["shell.exec"]), &caps(&["Bash"])).is_empty());
        assert_eq!(
            narrow(&caps(&["Bash"]), &caps(&["shell.*", "Bash"])),
            caps(&["Bash"])
        );
        // The narrower pattern of each overlapping pair, from either side.
        assert_eq!(
            narrow(&caps(&["db.*"]), &caps(&["db.query.read", "files.read"])),
            caps(&["db.query.read"])
        );
        assert_eq!(
            narrow(&caps(&["db.query.read", "a2a.message/send"]), &caps(&["*"])),
            caps(&["db.query.read", "a2a.message/send"])
        );
        // Overlaps written by neither side are not invented.
        assert!(narrow(&caps(&["db.*"]), &caps(&["*.read"])).is_empty());
        // Whatever it keeps, both sides cover.
        for (scope, agent) in [
            (caps(&["db.*", "Bash", "mcp__x__y"]), caps(&["*"])),
            (caps(&["*"]), caps(&["Write", "file.*", "mcp.*"])),
        ] {
            for c in narrow(&scope, &agent) {
                assert!(covers(&scope, &c) && covers(&agent, &c), "{c}");
            }
        }
    }
}
