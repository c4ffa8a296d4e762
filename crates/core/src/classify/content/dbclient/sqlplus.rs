//! Oracle SQL*Plus: its own commands, line by line, around the SQL it sends. `@file`,
//! `@@file`, `START file` and `GET file` run a script that is not visible (destructive,
//! unless it was written above with visible content); `HOST`, `!` and `$` run a shell
//! command; `SPOOL`, `SAVE` and `STORE` write a file (judged by where it lands); buffer
//! edits (`CHANGE`, `APPEND`, `INPUT`, `DEL`) change what a later `/` runs; `EXECUTE p(…)`
//! runs a PL/SQL call; a statement that starts with a `&` substitution runs SQL that is not
//! visible; `DEFINE` values are analysed as SQL. SQL and PL/SQL blocks go to the SQL
//! analyser. Formatting and display commands (`SET`, `COLUMN`, `PROMPT`, `DESCRIBE` …) read.

use super::super::args::{harmless_sink, write_risk};
use super::super::shell::Sh;
use crate::Effect::{Admin, Destructive, Mutating, Read};

/// A SQL*Plus command by its abbreviation rule: `name` spelled out to at least `min`
/// letters (`SPO`, `SPOOL`).
fn is(word: &str, name: &str, min: usize) -> bool {
    word.len() >= min && word.len() <= name.len() && name.starts_with(word)
}

/// Commands that only format, display or set client options.
const DISPLAY: &[(&str, usize)] = &[
    ("SET", 3),
    ("SHOW", 3),
    ("COLUMN", 3),
    ("TTITLE", 3),
    ("BTITLE", 3),
    ("REPHEADER", 4),
    ("REPFOOTER", 4),
    ("BREAK", 3),
    ("COMPUTE", 4),
    ("CLEAR", 2),
    ("PROMPT", 3),
    ("PAUSE", 3),
    ("UNDEFINE", 5),
    ("ACCEPT", 3),
    ("VARIABLE", 3),
    ("PRINT", 3),
    ("REMARK", 3),
    ("WHENEVER", 8),
    ("TIMING", 4),
    ("EXIT", 4),
    ("QUIT", 4),
    ("DESCRIBE", 4),
    ("LIST", 1),
    ("HELP", 4),
    ("DISCONNECT", 4),
    ("ATTRIBUTE", 4),
    ("ARCHIVE", 7),
];

/// The SQL in a client script: each line is a command of the client, or part of the SQL
/// buffer (which `sh.sql_text` judges).
pub(super) fn script(sh: &mut Sh, t: &str, via: &str) {
    let mut sql = String::new();
    // Inside a statement (the buffer holds text that no `;` or `/` has ended yet).
    let mut open = false;
    // Inside a PL/SQL block or a stored unit, which only a `/` line ends.
    let mut block = false;
    for line in t.lines() {
        let l = line.trim();
        if l == "/" || l == "." {
            if !sql.trim().is_empty() {
                sql.push_str(";\n");
            }
            open = false;
            block = false;
            continue;
        }
        // A blank line ends a SQL statement without running it; a script or shell line is
        // a command even where SQL*Plus might still be reading SQL (judged the worse way).
        if open && !block && (l.is_empty() || l.starts_with(['@', '!'])) {
            open = false;
        }
        if open || block {
            sql.push_str(line);
            sql.push('\n');
            if !block && l.ends_with(';') {
                open = false;
            }
            continue;
        }
        if l.is_empty() || l.starts_with("--") {
            continue;
        }
        let first: String = l
            .split(|c: char| c.is_whitespace() || c == ';')
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let rest = l.get(first.len()..).unwrap_or("").trim();
        if command(sh, l, &first, rest, via) {
            continue;
        }
        // SQL or PL/SQL for the buffer.
        let upper = l.to_ascii_uppercase();
        let words: Vec<&str> = upper
            .split(|c: char| c.is_whitespace() || c == '(')
            .filter(|w| !w.is_empty())
            .take(6)
            .collect();
        let unit = |w: &&str| {
            matches!(
                *w,
                "PROCEDURE" | "FUNCTION" | "PACKAGE" | "TRIGGER" | "TYPE" | "LIBRARY"
            )
        };
        // `CREATE [OR REPLACE] [EDITIONABLE] PROCEDURE|FUNCTION|PACKAGE …` is a stored unit.
        let created = words
            .iter()
            .skip(1)
            .find(|w| !matches!(**w, "OR" | "REPLACE" | "EDITIONABLE" | "NONEDITIONABLE"));
        block = matches!(words.first(), Some(&("BEGIN" | "DECLARE")))
            || (words.first() == Some(&"CREATE") && created.is_some_and(unit));
        if l.starts_with('&') {
            sh.add(
                Destructive,
                format!("sqlplus runs SQL held in a substitution variable (`{l}`, via {via})"),
            );
        }
        sql.push_str(line);
        sql.push('\n');
        open = !block && !l.ends_with(';');
    }
    if !sql.trim().is_empty() {
        sh.sql_text(&sql, via);
    }
}

/// One SQL*Plus command at the start of a statement; false if the line is SQL.
fn command(sh: &mut Sh, line: &str, first: &str, rest: &str, via: &str) -> bool {
    let say =
        |sh: &mut Sh, e, what: &str| sh.add(e, format!("sqlplus `{line}` {what} (via {via})"));
    // `@file`, `@@file`: run a script.
    if let Some(file) = line.strip_prefix('@') {
        let file = file
            .trim_start_matches('@')
            .split_whitespace()
            .next()
            .unwrap_or("");
        run_file(sh, line, file, via);
        return true;
    }
    if let Some(cmd) = line.strip_prefix('!').or_else(|| line.strip_prefix('$')) {
        host(sh, line, cmd, via);
        return true;
    }
    match first {
        w if is(w, "HOST", 2) => host(sh, line, rest, via),
        w if is(w, "START", 3) => {
            let file = rest.split_whitespace().next().unwrap_or("");
            run_file(sh, line, file, via);
        }
        // `GET file` loads a script into the buffer that a later `/` or `RUN` runs.
        "GET" => say(
            sh,
            Destructive,
            "loads a script whose content is not visible",
        ),
        w if is(w, "SPOOL", 3) || is(w, "SAVE", 3) || w == "STORE" => {
            let path = rest
                .split_whitespace()
                .find(|p| !p.eq_ignore_ascii_case("SET"))
                .unwrap_or("")
                .trim_matches(|c| c == '\'' || c == '"');
            let upper = path.to_ascii_uppercase();
            if path.is_empty() || matches!(upper.as_str(), "OFF" | "OUT") || harmless_sink(path) {
                say(sh, Read, "sets output");
            } else {
                match write_risk(path, false) {
                    Some((e, where_)) => say(sh, e, &format!("writes `{path}`: {where_}")),
                    None => say(sh, Mutating, &format!("writes `{path}`")),
                }
            }
        }
        w if is(w, "EDIT", 2) => say(sh, Mutating, "opens an editor"),
        w if is(w, "RUN", 1) => say(sh, Read, "runs the buffer again"),
        // Buffer edits change what a later `/` runs, out of sight.
        w if is(w, "CHANGE", 1) || is(w, "APPEND", 1) || is(w, "INPUT", 1) || w == "DEL" => {
            say(
                sh,
                Destructive,
                "edits the SQL buffer (what runs next is not visible)",
            );
        }
        w if is(w, "EXECUTE", 4) => {
            let call = rest.trim_end_matches(';');
            sh.sql_text(&format!("BEGIN {call}; END;"), via);
        }
        w if is(w, "DEFINE", 3) => {
            if let Some((_, value)) = rest.split_once('=') {
                let value = value.trim().trim_matches(|c| c == '\'' || c == '"');
                sh.sql_text_strict(value, via);
            }
            say(sh, Read, "defines a substitution variable");
        }
        w if is(w, "CONNECT", 4) => {
            let upper = rest.to_ascii_uppercase();
            if upper.contains(" AS SYS") {
                say(sh, Admin, "connects with an administrative privilege");
            } else {
                say(sh, Mutating, "connects as another user");
            }
        }
        w if is(w, "PASSWORD", 5) => say(sh, Admin, "changes a password"),
        "COPY" => {
            let upper = rest.to_ascii_uppercase();
            if upper.contains(" REPLACE ") {
                say(sh, Destructive, "replaces a table with copied rows");
            } else if upper.starts_with("TO ") || upper.contains(" TO ") {
                say(sh, Admin, "copies rows to another database");
            } else {
                say(sh, Mutating, "copies rows into a table");
            }
        }
        "SHUTDOWN" => say(sh, Destructive, "shuts the database down"),
        "RECOVER" => say(
            sh,
            Destructive,
            "recovers the database (applies or discards redo)",
        ),
        // `SET TRANSACTION`, `SET ROLE`, `SET CONSTRAINTS` are SQL.
        "SET"
            if rest.split_whitespace().next().is_some_and(|w| {
                matches!(
                    w.to_ascii_uppercase().as_str(),
                    "TRANSACTION" | "ROLE" | "CONSTRAINT" | "CONSTRAINTS"
                )
            }) =>
        {
            return false;
        }
        w if DISPLAY.iter().any(|(n, min)| is(w, n, *min)) => {
            say(sh, Read, "formats or shows output");
        }
        _ => return false,
    }
    true
}

fn host(sh: &mut Sh, line: &str, cmd: &str, via: &str) {
    let cmd = cmd.trim();
    if cmd.is_empty() {
        sh.add(
            Mutating,
            format!("sqlplus `{line}` opens an interactive shell (via {via})"),
        );
    } else {
        sh.shell_text(cmd, &format!("`HOST` in {via}"));
    }
}

fn run_file(sh: &mut Sh, line: &str, file: &str, via: &str) {
    let file = file.trim_end_matches(';');
    let with_ext = if file.contains('.') {
        file.to_string()
    } else {
        format!("{file}.sql")
    };
    for f in [file, with_ext.as_str()] {
        if let Some(Some(content)) = sh.written_content(f) {
            script(sh, &content, &format!("file `{f}` written above"));
            return;
        }
    }
    sh.add(
        Destructive,
        format!(
            "sqlplus `{line}` runs `{file}`, a script whose content is not visible \
             (counts as destructive, via {via})"
        ),
    );
}
