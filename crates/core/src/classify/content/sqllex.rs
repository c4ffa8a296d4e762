//! A small SQL lexer: enough to split statements, find the first keyword, skip literals and
//! comments, pull out MySQL `/*! … */` bodies (MySQL executes them) and judge SQL that no
//! dialect parses by its worst keyword. It never decides that something is a read.

use crate::Effect;

mod forms;
mod scan;

pub(crate) use forms::{
    hits as statement_forms, may_lead as may_lead_vendor, read_form, shaped as vendor_shape,
};

pub(crate) use scan::{MAX_COMMENT_NESTING, Mode, dialect_sensitive, lex_mode};

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
    /// Byte offset where each token ends (parallel to `toks`).
    pub ends: Vec<usize>,
    /// Byte ranges other than `;` that end a statement: a client meta-command, a T-SQL
    /// `GO` line.
    pub breaks: Vec<(usize, usize)>,
    /// Byte ranges of client meta-commands (`\! cmd`, `\o file`), to the end of the line.
    pub meta: Vec<(usize, usize)>,
    /// Block comments nested past [`scan::MAX_COMMENT_NESTING`].
    pub deep_comment: bool,
    /// A literal or block comment runs to the end of the input (a syntax error).
    pub unterminated: bool,
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

/// Lexes SQL the PostgreSQL way (see [`scan::Mode`] for the others). Never fails: an
/// unterminated literal runs to the end of the input.
pub(crate) fn lex(s: &str) -> Lexed {
    scan::lex_mode(s, scan::Mode::Postgres)
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
    "SYSTEM",
    "UNINSTALL",
    "RESTORE",
    "BACKUP",
    "DBCC",
    "REMOVE",
    "UNDROP",
    "BINLOG",
    "PUT",
    "RECONFIGURE",
    "WAITFOR",
    "DENY",
    "UNLOAD",
    "FLASHBACK",
    "HOST",
    "DISABLE",
    "ENABLE",
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
pub(crate) fn has_sql_shape(text: &str, toks: &[(Tok, usize)]) -> bool {
    let Some(first) = first_word(toks) else {
        return false;
    };
    // A vendor statement known by two or more leading keywords (`ALTER WAREHOUSE`).
    if vendor_shape(text, toks) {
        return true;
    }
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

/// The effect of calling a function or procedure, from the per-dialect tables in
/// `sql::functions`: `None` when it is known to be free of side effects or not known at all.
pub(crate) fn function_effect(name: &str) -> Option<(Effect, &'static str)> {
    super::sql::known_effect(name)
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
            "DROP" if prev == "BEFORE" => {}
            "DROP" if matches!(next, "ROLE" | "USER" | "OWNED" | "POLICY" | "LOGIN") => {
                take(Effect::Admin, format!("contains `DROP {next}`"))
            }
            "DROP" | "TRUNCATE" | "DELETE" | "MERGE" | "SHUTDOWN" | "KILL" | "PURGE"
            | "CLUSTER" => take(Effect::Destructive, format!("contains `{k}`")),
            // ClickHouse `SYSTEM SHUTDOWN`, `SYSTEM STOP MERGES`, `SYSTEM DROP … CACHE`:
            // server control that stops or empties something.
            "SYSTEM"
                if i == 0
                    && matches!(
                        next,
                        "SHUTDOWN" | "KILL" | "STOP" | "DROP" | "RESTART" | "DISABLE" | "UNFREEZE"
                    ) =>
            {
                take(Effect::Destructive, format!("contains `SYSTEM {next}`"))
            }
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
            // MySQL `PREPARE s FROM @sql`: SQL built at run time, not visible here.
            "FROM"
                if i >= 2
                    && word(toks, i - 2) == Some("PREPARE")
                    && !matches!(toks.get(i + 1), Some((Tok::Str(_), _))) =>
            {
                take(
                    Effect::Destructive,
                    "prepares SQL built at run time (`PREPARE … FROM` a variable)".into(),
                )
            }
            "GRANT" | "REVOKE" | "REASSIGN" => take(Effect::Admin, format!("contains `{k}`")),
            "ALTER" | "CREATE"
                if matches!(
                    next,
                    "SYSTEM"
                        | "ROLE"
                        | "USER"
                        | "DEFAULT"
                        | "POLICY"
                        | "SERVER"
                        | "EXTENSION"
                        | "LOGIN"
                        | "ACCOUNT"
                ) =>
            {
                take(Effect::Admin, format!("contains `{k} {next}`"))
            }
            "SET" if matches!(next, "ROLE" | "SESSION" | "GLOBAL" | "PERSIST") => {
                take(Effect::Admin, format!("contains `SET {next}`"))
            }
            "AUTHORIZATION" | "SUPERUSER" | "BYPASSRLS" | "DEFINER" | "WRITABLE_SCHEMA"
            | "ATTACH" | "OUTFILE" | "DUMPFILE" => take(Effect::Admin, format!("contains `{k}`")),
            "MEMBER" if prev == "ADD" => take(Effect::Admin, "adds a role member".into()),
            // `LOAD DATA [LOCAL] INFILE '~/.aws/credentials' INTO TABLE notes`: a secret
            // file's content put where the database's readers see it.
            "INFILE"
                if matches!(toks.get(i + 1), Some((Tok::Str(p) | Tok::Ident(p), _))
                    if super::args::secret_path(p)) =>
            {
                take(Effect::Admin, "loads a secret file into a table".into())
            }
            "INTO" if prev == "VACUUM" => {
                take(Effect::Admin, "writes the database to a file".into())
            }
            "OFFLINE" | "EMERGENCY" | "SINGLE_USER" if prev == "SET" => take(
                Effect::Destructive,
                format!("takes a database out of service (`SET {k}`)"),
            ),
            "MASTER" | "REPLICA" | "SLAVE" if prev == "RESET" => take(
                Effect::Destructive,
                format!("resets replication or deletes binary logs (`RESET {k}`)"),
            ),
            "RESTORE"
            | "SWAP"
            | "BLACKHOLE"
            | "REPAIR_ALLOW_DATA_LOSS"
            | "EXPIRATION_TIMESTAMP"
            | "UNLOAD" => take(Effect::Destructive, format!("contains `{k}`")),
            "DATA_RETENTION_TIME_IN_DAYS" | "MAX_DATA_EXTENSION_TIME_IN_DAYS"
                if matches!(toks.get(i + 1), Some((Tok::Punct('='), _))) && w(i + 2) == "0" =>
            {
                take(Effect::Destructive, format!("sets `{k}` to 0"))
            }
            "DEFAULT_TRANSACTION_READ_ONLY"
            | "TRANSACTION_READ_ONLY"
            | "SESSION_REPLICATION_ROLE"
            | "ROW_SECURITY"
            | "SQL_SAFE_UPDATES"
            | "SUPER_READ_ONLY"
            | "SQL_LOG_BIN"
            | "ALLOW_SYSTEM_TABLE_MODS"
            | "LOCAL_INFILE"
            | "SECURE_FILE_PRIV" => take(Effect::Admin, format!("changes `{k}`, a guard setting")),
            "WRITE" if prev == "READ" => take(Effect::Admin, "switches to read write".into()),
            "FUNCTION" | "PROCEDURE" if prev == "EXECUTE" => take(
                Effect::Destructive,
                "runs a function whose body is not visible (a trigger)".into(),
            ),
            // Delta's and Spark's `REPLACE TABLE t AS …` at the start, too (the
            // twenty-second sets).
            "TABLE" | "DATABASE" | "SCHEMA" | "STAGE"
                if prev == "REPLACE" && ((i >= 2 && w(i - 2) == "OR") || i == 1) =>
            {
                take(
                    Effect::Destructive,
                    format!(
                        "replaces a {} (`CREATE OR REPLACE`)",
                        k.to_ascii_lowercase()
                    ),
                )
            }
            "TO" | "FROM"
                if toks
                    .iter()
                    .take(i)
                    .any(|(t, _)| *t == Tok::Word("COPY".into()))
                    && matches!(toks.get(i + 1), Some((Tok::Str(_), _))) =>
            {
                take(
                    Effect::Admin,
                    "copies to or from a file on the server".into(),
                )
            }
            "OVERWRITE"
                if prev == "INSERT"
                    || (matches!(toks.get(i + 1), Some((Tok::Punct('='), _)))
                        && w(i + 2) == "TRUE") =>
            {
                take(Effect::Destructive, "overwrites data (`OVERWRITE`)".into())
            }
            "OWNER" if next == "TO" => take(Effect::Admin, "changes an owner".into()),
            // MySQL's account statements (no dialect parses them): `SET PASSWORD [FOR u] =`,
            // `RENAME USER`, `SET DEFAULT ROLE … TO u`.
            "PASSWORD" if prev == "SET" => take(Effect::Admin, "sets a password".into()),
            "USER" if prev == "RENAME" => take(Effect::Admin, "renames a user".into()),
            "ROLE" if prev == "DEFAULT" && i >= 2 && w(i - 2) == "SET" => {
                take(Effect::Admin, "sets a user's default roles".into())
            }
            "INFILE" if prev != "LOCAL" => take(
                Effect::Admin,
                "reads a file on the server (`INFILE`)".into(),
            ),
            "SONAME" => take(Effect::Admin, "loads native code (`SONAME`)".into()),
            "TABLESPACE" if prev == "DISCARD" => take(
                Effect::Destructive,
                "discards a table's data file (`DISCARD TABLESPACE`)".into(),
            ),
            "TRIGGER" if prev == "DISABLE" => take(Effect::Admin, "disables a trigger".into()),
            "REMOVE" if matches!(toks.get(i + 1), Some((Tok::Punct('@'), _))) => {
                take(Effect::Destructive, "removes staged files".into())
            }
            _ => {}
        }
        // A call: a (qualified) name before `(`, or a procedure called without `CALL`
        // at the start of a statement (PL/SQL, a T-SQL batch).
        let qualified = matches!(toks.get(i.wrapping_sub(1)), Some((Tok::Punct('.'), _)));
        let starts = i == 0 || matches!(prev, "BEGIN" | "THEN" | "ELSE" | "LOOP");
        if !qualified
            && let Some((name, after)) = qualified_name(toks, i)
            && (starts
                || matches!(
                    toks.get(after),
                    None | Some((Tok::Punct('(' | ';'), _) | (Tok::Str(_), _))
                ))
            && let Some((e, what)) = function_effect(&name)
        {
            take(
                e,
                format!("calls `{}` which {what}", name.to_ascii_lowercase()),
            );
        }
    }
    best
}

/// The dotted name starting at token `i` (`DBMS_SCHEDULER.CREATE_JOB`) and the index after
/// it.
fn qualified_name(toks: &[(Tok, usize)], i: usize) -> Option<(String, usize)> {
    let mut name = String::new();
    let mut j = i;
    loop {
        match toks.get(j) {
            Some((Tok::Word(w) | Tok::Ident(w), _)) if name.len() < 256 => name.push_str(w),
            _ => return (!name.is_empty()).then_some((name, j)),
        }
        j += 1;
        if !matches!(toks.get(j), Some((Tok::Punct('.'), _))) {
            return Some((name, j));
        }
        name.push('.');
        j += 1;
    }
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

    /// The lexer reads ASCII words without asking `fold_confusable`: it folds no ASCII.
    #[test]
    fn no_ascii_character_is_a_look_alike() {
        assert!((0u8..128).all(|b| fold_confusable(char::from(b)).is_none()));
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

    /// Every string of up to four characters of an alphabet that holds each character the
    /// rule looks at, then longer random ones: the one-pass check agrees with the reference.
    #[test]
    fn dialect_sensitive_matches_its_reference() {
        const ALPHABET: &[char] = &[
            '/', '*', '!', 'M', 'm', '-', 'q', 'Q', 'n', 'N', '\'', '"', ' ', '\n', '\t', '.', 'g',
            'O', 'a', '#', '\r', '$', '1', 'é',
        ];
        let check = |s: &str| {
            assert_eq!(
                scan::dialect_sensitive(s),
                scan::dialect_sensitive_reference(s),
                "{s:?}"
            );
        };
        let mut stack = vec![String::new()];
        while let Some(s) = stack.pop() {
            check(&s);
            if s.chars().count() < 4 {
                for c in ALPHABET {
                    stack.push(format!("{s}{c}"));
                }
            }
        }
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..200_000 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let len = (seed >> 59) as usize + 5;
            let mut s = String::new();
            let mut x = seed;
            for _ in 0..len {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                s.push(ALPHABET[(x >> 58) as usize % ALPHABET.len()]);
            }
            check(&s);
        }
        // Long and sparse (the one-pass check skips plain stretches a block at a time): the
        // alphabet's characters at random places in up to 300 plain ones, across blocks'
        // edges.
        for _ in 0..50_000 {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let len = (seed >> 55) as usize % 300;
            let mut s = String::new();
            let mut x = seed;
            for _ in 0..len {
                x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                if (x >> 40).is_multiple_of(23) {
                    s.push(ALPHABET[(x >> 58) as usize % ALPHABET.len()]);
                } else {
                    s.push('x');
                }
            }
            check(&s);
        }
        // Each construct at every offset around two blocks' edges, in plain text (the one
        // place a construct's first byte can be the last of a skipped block).
        for piece in [
            "q'", "Q'", "nq'", "--x", "/*!", "/*M!", "/*/*", "//", "'''", "\"\"\"", "#", "\\", "`",
            "[", "$", "\r", "\ngo\n", "\n.t",
        ] {
            for at in 0..70 {
                check(&format!("{}{piece}{}", " ".repeat(at), "x".repeat(30)));
                check(&format!("{}{piece}", "x".repeat(at)));
            }
        }
        for s in [
            "SELECT u.id FROM users u WHERE o.created_at >= '2024-01-01'",
            "/* a /* b */ c */ SELECT 1",
            "SELECT 1 /* a */ /* b */",
            "x\ngo\n",
            "  .tables",
            "SELECT q'[x]'",
            "SELECT nq'[x]'",
            "SELECT aq'x'",
        ] {
            check(s);
        }
    }

    #[test]
    fn prose_has_no_sql_shape() {
        assert!(!has_sql_shape(
            "Delete unused imports",
            &lex("Delete unused imports").toks
        ));
        assert!(!has_sql_shape(
            "drop the old table",
            &lex("drop the old table").toks
        ));
        assert!(has_sql_shape("DELETE FROM t", &lex("DELETE FROM t").toks));
        assert!(has_sql_shape("drop table t", &lex("drop table t").toks));
    }
}
