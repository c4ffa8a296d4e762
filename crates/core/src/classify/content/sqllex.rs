//! A small SQL lexer: enough to split statements, find the first keyword, skip literals and
//! comments, pull out MySQL `/*! … */` bodies (MySQL executes them) and judge SQL that no
//! dialect parses by its worst keyword. It never decides that something is a read.

use crate::Effect;

/// A token outside comments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    /// A bare word, uppercased, with look-alike letters folded to ASCII.
    Word(String),
    /// A quoted string literal (single-quoted, `E'…'` or dollar-quoted), unescaped.
    Str(String),
    /// A quoted identifier (`"x"`, `` `x` ``, `[x]`).
    Ident(String),
    /// Any other character.
    Punct(char),
}

/// The output of the lexer.
#[derive(Debug, Default)]
pub(crate) struct Lexed {
    pub toks: Vec<(Tok, usize)>,
    /// Bodies of MySQL version comments (`/*!50000 … */`), which MySQL executes.
    pub versioned: Vec<String>,
    /// True if a word was spelled with look-alike (non-ASCII) letters.
    pub confusable: bool,
    /// Byte offsets of top-level `;`.
    pub semis: Vec<usize>,
}

/// Folds common look-alike letters (Cyrillic, Greek, fullwidth) to ASCII.
pub(crate) fn fold_confusable(c: char) -> Option<char> {
    let folded = match c {
        'а' | 'А' | 'Α' | 'α' => 'A',
        'В' | 'Β' | 'в' => 'B',
        'с' | 'С' | 'ϲ' => 'C',
        'е' | 'Е' | 'Ε' | 'ε' => 'E',
        'Н' | 'Η' | 'н' => 'H',
        'і' | 'І' | 'Ι' | 'ι' => 'I',
        'ј' | 'Ј' => 'J',
        'К' | 'Κ' | 'к' | 'κ' => 'K',
        'М' | 'Μ' | 'м' => 'M',
        'Ν' => 'N',
        'о' | 'О' | 'Ο' | 'ο' => 'O',
        'р' | 'Р' | 'Ρ' | 'ρ' => 'P',
        'ѕ' | 'Ѕ' => 'S',
        'Т' | 'Τ' | 'т' | 'τ' => 'T',
        'у' | 'У' | 'Υ' | 'υ' => 'Y',
        'х' | 'Х' | 'Χ' | 'χ' => 'X',
        'Ζ' => 'Z',
        '\u{FF21}'..='\u{FF3A}' => char::from_u32(c as u32 - 0xFF21 + 'A' as u32)?,
        '\u{FF41}'..='\u{FF5A}' => char::from_u32(c as u32 - 0xFF41 + 'A' as u32)?,
        _ => return None,
    };
    Some(folded)
}

fn is_word_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '$'
}

/// Lexes SQL. Never fails: an unterminated literal runs to the end of the input.
pub(crate) fn lex(s: &str) -> Lexed {
    let mut out = Lexed::default();
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let pos = |i: usize| chars.get(i).map_or(s.len(), |&(p, _)| p);
    let mut i = 0usize;
    while let Some(c) = at(i) {
        let start = pos(i);
        if c.is_whitespace() {
            i += 1;
        } else if c == '-' && at(i + 1) == Some('-') {
            while let Some(c) = at(i) {
                if c == '\n' {
                    break;
                }
                i += 1;
            }
        } else if c == '/' && at(i + 1) == Some('*') {
            let versioned = at(i + 2) == Some('!');
            let mut depth = 0usize;
            let body_start = i + if versioned { 3 } else { 2 };
            let mut j = i;
            let mut body_end = chars.len();
            while j < chars.len() {
                if at(j) == Some('/') && at(j + 1) == Some('*') {
                    depth += 1;
                    j += 2;
                } else if at(j) == Some('*') && at(j + 1) == Some('/') {
                    depth = depth.saturating_sub(1);
                    j += 2;
                    if depth == 0 {
                        body_end = j - 2;
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            if versioned {
                let body: String = chars
                    .get(body_start..body_end.max(body_start))
                    .unwrap_or_default()
                    .iter()
                    .map(|&(_, c)| c)
                    .skip_while(char::is_ascii_digit)
                    .collect();
                out.versioned.push(body);
            }
            i = j.max(i + 2);
        } else if c == '\'' || ((c == 'E' || c == 'e') && at(i + 1) == Some('\'')) {
            let backslash = c != '\'';
            i += if backslash { 2 } else { 1 };
            let mut lit = String::new();
            while let Some(c) = at(i) {
                if backslash && c == '\\' {
                    if let Some(n) = at(i + 1) {
                        lit.push(n);
                    }
                    i += 2;
                } else if c == '\'' {
                    if at(i + 1) == Some('\'') {
                        lit.push('\'');
                        i += 2;
                    } else {
                        i += 1;
                        break;
                    }
                } else {
                    lit.push(c);
                    i += 1;
                }
            }
            out.toks.push((Tok::Str(lit), start));
        } else if c == '"' || c == '`' || c == '[' {
            let close = if c == '[' { ']' } else { c };
            i += 1;
            let mut lit = String::new();
            while let Some(d) = at(i) {
                i += 1;
                if d == close {
                    if at(i) == Some(close) && close != ']' {
                        lit.push(d);
                        i += 1;
                        continue;
                    }
                    break;
                }
                lit.push(d);
            }
            out.toks.push((Tok::Ident(lit), start));
        } else if c == '$' && at(i + 1).is_some_and(|n| n == '$' || is_word_start(n)) {
            // $tag$ … $tag$
            let mut j = i + 1;
            while at(j).is_some_and(|n| n.is_alphanumeric() || n == '_') {
                j += 1;
            }
            if at(j) != Some('$') {
                out.toks.push((Tok::Punct('$'), start));
                i += 1;
                continue;
            }
            let tag: String = chars
                .get(i..=j)
                .unwrap_or_default()
                .iter()
                .map(|&(_, c)| c)
                .collect();
            let body_from = pos(j + 1);
            let rest = s.get(body_from..).unwrap_or_default();
            let (body, consumed) = match rest.find(&tag) {
                Some(k) => (rest.get(..k).unwrap_or_default(), k + tag.len()),
                None => (rest, rest.len()),
            };
            out.toks.push((Tok::Str(body.to_string()), start));
            let end = body_from + consumed;
            while at(i).is_some() && pos(i) < end {
                i += 1;
            }
        } else if is_word_start(c) || fold_confusable(c).is_some() {
            let mut w = String::new();
            while let Some(d) = at(i) {
                if let Some(f) = fold_confusable(d) {
                    out.confusable = true;
                    w.push(f);
                } else if is_word_char(d) {
                    w.extend(d.to_uppercase());
                } else {
                    break;
                }
                i += 1;
            }
            out.toks.push((Tok::Word(w), start));
        } else if c.is_ascii_digit() {
            while at(i).is_some_and(|d| d.is_ascii_alphanumeric() || d == '.') {
                i += 1;
            }
            out.toks.push((Tok::Word("0".into()), start));
        } else {
            if c == ';' {
                out.semis.push(start);
            }
            out.toks.push((Tok::Punct(c), start));
            i += 1;
        }
    }
    out
}

/// Splits SQL into statements at top-level `;` (outside literals and comments).
pub(crate) fn split(s: &str, semis: &[usize]) -> Vec<String> {
    let mut out = Vec::new();
    let mut from = 0usize;
    for &p in semis {
        if let Some(part) = s.get(from..p)
            && !part.trim().is_empty()
        {
            out.push(part.to_string());
        }
        from = p + 1;
    }
    if let Some(part) = s.get(from..)
        && !part.trim().is_empty()
    {
        out.push(part.to_string());
    }
    out
}

/// The first word of a SQL text, skipping comments and opening parentheses.
pub(crate) fn first_word(toks: &[(Tok, usize)]) -> Option<&str> {
    toks.iter()
        .find_map(|(t, _)| match t {
            Tok::Punct('(') => None,
            Tok::Word(w) => Some(Some(w.as_str())),
            _ => Some(None),
        })
        .flatten()
}

/// Words that start a SQL statement.
pub(crate) const STARTS: &[&str] = &[
    "SELECT",
    "INSERT",
    "UPDATE",
    "DELETE",
    "DROP",
    "CREATE",
    "ALTER",
    "TRUNCATE",
    "GRANT",
    "REVOKE",
    "WITH",
    "EXPLAIN",
    "SHOW",
    "SET",
    "BEGIN",
    "COMMIT",
    "ROLLBACK",
    "DO",
    "COPY",
    "CALL",
    "MERGE",
    "REPLACE",
    "VACUUM",
    "PRAGMA",
    "ATTACH",
    "DETACH",
    "PREPARE",
    "EXECUTE",
    "EXEC",
    "VALUES",
    "TABLE",
    "LOCK",
    "ANALYZE",
    "REINDEX",
    "CLUSTER",
    "COMMENT",
    "DECLARE",
    "USE",
    "DESCRIBE",
    "DESC",
    "START",
    "SAVEPOINT",
    "RELEASE",
    "LOAD",
    "UNLOCK",
    "OPTIMIZE",
    "RENAME",
    "KILL",
    "FLUSH",
    "RESET",
    "DISCARD",
    "LISTEN",
    "NOTIFY",
    "UNLISTEN",
    "REFRESH",
    "UPSERT",
    "DEALLOCATE",
    "ABORT",
    "SECURITY",
    "REASSIGN",
    "IMPORT",
    "END",
    "INSTALL",
    "CHECKPOINT",
    "FETCH",
    "MOVE",
    "CLOSE",
    "HANDLER",
    "PURGE",
    "SHUTDOWN",
    "UNINSTALL",
];

/// Object kinds after DROP/CREATE/ALTER/TRUNCATE that make a SQL shape.
const OBJECTS: &[&str] = &[
    "TABLE",
    "DATABASE",
    "SCHEMA",
    "VIEW",
    "INDEX",
    "USER",
    "ROLE",
    "FUNCTION",
    "PROCEDURE",
    "TRIGGER",
    "SEQUENCE",
    "TYPE",
    "EXTENSION",
    "OWNED",
    "COLUMN",
    "MATERIALIZED",
    "POLICY",
    "RULE",
    "DOMAIN",
    "SERVER",
    "EVENT",
    "TEMPORARY",
    "TEMP",
    "UNIQUE",
    "OR",
    "IF",
    "GROUP",
    "FOREIGN",
    "TABLESPACE",
    "COLLATION",
    "PUBLICATION",
    "SUBSCRIPTION",
    "KEYSPACE",
    "SYSTEM",
    "DEFAULT",
    "UNLOGGED",
    "VIRTUAL",
    "CAST",
    "AGGREGATE",
    "LANGUAGE",
    "OPERATOR",
    "STATISTICS",
    "ONLY",
];

fn word(toks: &[(Tok, usize)], i: usize) -> Option<&str> {
    match toks.get(i) {
        Some((Tok::Word(w), _)) => Some(w.as_str()),
        _ => None,
    }
}

fn is_name(toks: &[(Tok, usize)], i: usize) -> bool {
    matches!(toks.get(i), Some((Tok::Word(_) | Tok::Ident(_), _)))
}

/// True if the tokens have the shape of a SQL statement (not just a first keyword), so that
/// prose like "Delete unused imports" is not read as SQL.
pub(crate) fn has_sql_shape(toks: &[(Tok, usize)]) -> bool {
    let Some(first) = first_word(toks) else {
        return false;
    };
    let i = toks
        .iter()
        .position(|(t, _)| matches!(t, Tok::Word(_)))
        .unwrap_or(0);
    let next = word(toks, i + 1).unwrap_or("");
    let has = |w: &str| {
        toks.iter()
            .any(|(t, _)| matches!(t, Tok::Word(x) if x == w))
    };
    match first {
        "SELECT" => {
            has("FROM")
                || toks.len() <= 4
                || toks
                    .iter()
                    .any(|(t, _)| matches!(t, Tok::Punct('(' | '*' | ',' | '=' | ';')))
        }
        "DELETE" => next == "FROM" || (is_name(toks, i + 1) && has("WHERE")),
        "UPDATE" => has("SET"),
        "INSERT" | "REPLACE" => next == "INTO" || has("VALUES"),
        "DROP" | "CREATE" | "ALTER" | "TRUNCATE" => {
            (OBJECTS.contains(&next) && toks.len() >= i + 3)
                || (first == "TRUNCATE" && is_name(toks, i + 1))
        }
        "GRANT" | "REVOKE" => has("ON") || has("TO") || has("FROM"),
        "WITH" => has("AS") && toks.iter().any(|(t, _)| matches!(t, Tok::Punct('('))),
        "EXPLAIN" | "SHOW" | "DESCRIBE" | "VACUUM" | "PRAGMA" | "ANALYZE" | "VALUES" | "COPY"
        | "CALL" | "MERGE" | "ATTACH" | "DO" | "EXEC" | "EXECUTE" | "PREPARE" => {
            toks.len() >= 2 && is_name(toks, i + 1) || toks.len() <= 3
        }
        "SET" => {
            toks.iter().any(|(t, _)| matches!(t, Tok::Punct('='))) || has("TO") || next == "ROLE"
        }
        "BEGIN" | "COMMIT" | "ROLLBACK" | "START" | "END" | "ABORT" => toks.len() <= 4,
        _ => toks
            .iter()
            .any(|(t, _)| matches!(t, Tok::Punct(';' | '(' | '='))),
    }
}

/// Side-effecting functions callable from a read statement, with what they do.
pub(crate) fn function_effect(name: &str) -> Option<(Effect, &'static str)> {
    let lower = name.to_ascii_lowercase();
    let name = lower.rsplit('.').next().unwrap_or(&lower);
    Some(match name {
        "pg_terminate_backend" | "pg_cancel_backend" => {
            (Effect::Destructive, "stops other sessions")
        }
        "lo_unlink" | "pg_drop_replication_slot" | "pg_replication_origin_drop" => {
            (Effect::Destructive, "deletes stored data")
        }
        "pg_stat_statements_reset"
        | "pg_stat_reset"
        | "pg_stat_reset_shared"
        | "pg_stat_reset_single_table_counters"
        | "pg_stat_reset_slru" => (Effect::Destructive, "wipes statistics"),
        "pg_sleep" | "pg_sleep_for" | "pg_sleep_until" | "sleep" | "benchmark" | "waitfor" => {
            (Effect::Destructive, "stalls the server (denial of service)")
        }
        "xp_cmdshell" | "sys_exec" | "sys_eval" | "shell" => {
            (Effect::Destructive, "runs an operating-system command")
        }
        "dblink_exec" | "dblink" | "dblink_send_query" => {
            (Effect::Destructive, "runs SQL on another server")
        }
        "lo_export" | "pg_file_write" | "pg_file_unlink" | "pg_file_rename" => {
            (Effect::Destructive, "writes the server's file system")
        }
        "pg_read_file"
        | "pg_read_binary_file"
        | "pg_ls_dir"
        | "pg_stat_file"
        | "lo_import"
        | "load_file"
        | "pg_ls_logdir"
        | "pg_ls_waldir"
        | "pg_ls_tmpdir" => (Effect::Admin, "reads the server's file system"),
        "pg_switch_wal"
        | "pg_switch_xlog"
        | "pg_reload_conf"
        | "pg_rotate_logfile"
        | "pg_promote"
        | "pg_backup_start"
        | "pg_backup_stop"
        | "pg_start_backup"
        | "pg_stop_backup"
        | "pg_create_restore_point"
        | "pg_wal_replay_pause"
        | "pg_wal_replay_resume"
        | "pg_create_physical_replication_slot"
        | "pg_create_logical_replication_slot" => (Effect::Admin, "changes server operation"),
        "set_config" => (Effect::Admin, "changes a server setting"),
        "load_extension" => (Effect::Admin, "loads native code into the database"),
        "lo_create"
        | "lo_creat"
        | "lo_put"
        | "lo_write"
        | "lo_from_bytea"
        | "lo_truncate"
        | "nextval"
        | "setval"
        | "pg_advisory_lock"
        | "pg_advisory_xact_lock"
        | "pg_notify"
        | "pg_logical_emit_message"
        | "get_lock"
        | "txid_current"
        | "pg_current_xact_id"
        | "query_to_xml"
        | "query_to_json"
        | "writefile"
        | "edit"
        | "fts3_tokenizer" => (Effect::Mutating, "has side effects"),
        _ => return None,
    })
}

/// Judges SQL that no dialect parses by its worst keyword; never a read.
pub(crate) fn worst_keyword(lx: &Lexed) -> (Effect, String) {
    let toks = &lx.toks;
    let mut best = (
        Effect::Mutating,
        String::from("does not parse as SQL, so it counts as a write"),
    );
    let mut take = |e: Effect, why: String| {
        if e.max(best.0) != best.0 {
            best = (e, why);
        }
    };
    let w = |i: usize| word(toks, i).unwrap_or("");
    for (i, (t, _)) in toks.iter().enumerate() {
        let Tok::Word(k) = t else { continue };
        let prev = if i > 0 { w(i - 1) } else { "" };
        let next = w(i + 1);
        match k.as_str() {
            "DROP" if matches!(next, "ROLE" | "USER" | "OWNED" | "POLICY") => {
                take(Effect::Admin, format!("contains `DROP {next}`"))
            }
            "DROP" | "TRUNCATE" | "DELETE" | "MERGE" | "SHUTDOWN" | "KILL" | "PURGE"
            | "CLUSTER" => take(Effect::Destructive, format!("contains `{k}`")),
            "UPDATE" if !matches!(prev, "FOR" | "ON" | "KEY" | "NO") => take(
                Effect::Destructive,
                format!("contains `{k}` (its filter cannot be checked)"),
            ),
            "REPLACE" if next == "INTO" => {
                take(Effect::Destructive, "contains `REPLACE INTO`".into())
            }
            "VACUUM"
                if toks
                    .iter()
                    .skip(i)
                    .take(4)
                    .any(|(t, _)| *t == Tok::Word("FULL".into())) =>
            {
                take(Effect::Destructive, "contains `VACUUM FULL`".into())
            }
            "PROGRAM" => take(Effect::Destructive, "runs a program (`PROGRAM`)".into()),
            "GRANT" | "REVOKE" | "REASSIGN" => take(Effect::Admin, format!("contains `{k}`")),
            "ALTER" | "CREATE"
                if matches!(
                    next,
                    "SYSTEM" | "ROLE" | "USER" | "DEFAULT" | "POLICY" | "SERVER" | "EXTENSION"
                ) =>
            {
                take(Effect::Admin, format!("contains `{k} {next}`"))
            }
            "SET" if matches!(next, "ROLE" | "SESSION" | "GLOBAL" | "PERSIST") => {
                take(Effect::Admin, format!("contains `SET {next}`"))
            }
            "AUTHORIZATION" | "SUPERUSER" | "BYPASSRLS" | "DEFINER" => {
                take(Effect::Admin, format!("contains `{k}`"))
            }
            _ => {}
        }
        if matches!(toks.get(i + 1), Some((Tok::Punct('('), _)))
            && let Some((e, what)) = function_effect(k)
        {
            take(
                e,
                format!("calls `{}` which {what}", k.to_ascii_lowercase()),
            );
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_and_comments_are_not_words() {
        let lx = lex("SELECT 'DROP TABLE' AS \"delete\" -- drop\n /* drop */ FROM $$drop$$");
        let words: Vec<_> = lx
            .toks
            .iter()
            .filter_map(|(t, _)| match t {
                Tok::Word(w) => Some(w.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(words, ["SELECT", "AS", "FROM"]);
    }

    #[test]
    fn version_comments_are_kept() {
        let lx = lex("SELECT 1 /*!50000 DROP TABLE t */");
        assert_eq!(lx.versioned, [" DROP TABLE t "]);
    }

    #[test]
    fn splits_outside_literals() {
        let s = "SELECT ';'; DROP TABLE t";
        let lx = lex(s);
        assert_eq!(split(s, &lx.semis), ["SELECT ';'", " DROP TABLE t"]);
    }

    #[test]
    fn look_alikes_fold() {
        let lx = lex("DRОP TABLE t");
        assert!(lx.confusable);
        assert_eq!(first_word(&lx.toks), Some("DROP"));
    }

    #[test]
    fn worst_keyword_never_reads() {
        assert_eq!(worst_keyword(&lex("SELEC 1")).0, Effect::Mutating);
        assert_eq!(
            worst_keyword(&lex("DO $$ x $$; DROP TABLE t")).0,
            Effect::Destructive
        );
        assert_eq!(
            worst_keyword(&lex("ALTER SYSTEM SET x = 1")).0,
            Effect::Admin
        );
        assert_eq!(
            worst_keyword(&lex("SELECT * FOR UPDATE")).0,
            Effect::Mutating
        );
    }

    #[test]
    fn prose_has_no_sql_shape() {
        assert!(!has_sql_shape(&lex("Delete unused imports").toks));
        assert!(!has_sql_shape(&lex("drop the old table").toks));
        assert!(has_sql_shape(&lex("DELETE FROM t").toks));
        assert!(has_sql_shape(&lex("drop table t").toks));
    }
}
