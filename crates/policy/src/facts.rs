//! The facts of a call that policies can name: the SQL tables and statement kinds, the
//! programs a shell line runs, the paths, hosts and HTTP methods in the input.
//!
//! Extraction never changes a classification: it only feeds the policies. It is bounded
//! (strings visited, bytes parsed, depth) and only run when the organization has policies
//! that can apply to the call. It is deliberately generous: a name that might be a table or a
//! program is listed, since a `forbid` that sees too much denies rather than lets through.

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::Value;
use sqlparser::ast::{ObjectName, Statement, visit_relations};
use sqlparser::dialect::{Dialect, GenericDialect, MySqlDialect, PostgreSqlDialect};
use sqlparser::parser::Parser;

/// Most strings of an input looked at.
const MAX_STRINGS: usize = 256;
/// Longest string parsed as SQL or shell.
const MAX_PARSE: usize = 64 * 1024;
/// Deepest JSON nesting and `bash -c` nesting followed.
const MAX_DEPTH: usize = 32;
/// Most entries of each fact set.
const MAX_FACTS: usize = 256;

/// What a call touches, in lowercase (hosts, tables, programs, statements) or as written
/// (paths), HTTP methods in uppercase.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CallFacts {
    pub tables: BTreeSet<String>,
    pub statements: BTreeSet<String>,
    pub programs: BTreeSet<String>,
    pub paths: BTreeSet<String>,
    pub hosts: BTreeSet<String>,
    pub http_methods: BTreeSet<String>,
}

const SQL_STARTS: &[&str] = &[
    "select", "insert", "update", "delete", "with", "drop", "create", "alter", "truncate", "grant",
    "revoke", "merge", "replace", "explain", "copy", "upsert", "call", "vacuum",
];

const METHODS: &[&str] = &[
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT",
];

/// Programs that run the program named after them (with their own options first).
const WRAPPERS: &[&str] = &[
    "sudo", "doas", "env", "nohup", "time", "nice", "ionice", "timeout", "exec", "command",
    "builtin", "xargs", "watch", "stdbuf", "chroot", "su",
];

const SHELLS: &[&str] = &["sh", "bash", "zsh", "dash", "ksh", "fish"];

/// Keys whose string value is an HTTP method.
const METHOD_KEYS: &[&str] = &["method", "http_method", "httpmethod", "verb"];

/// Keys whose array value is an argument vector.
const ARGV_KEYS: &[&str] = &["argv", "args", "command", "cmd"];

/// Extracts the facts of a call's input.
pub fn extract(input: &Value) -> CallFacts {
    let mut x = Extractor {
        facts: CallFacts::default(),
        strings: 0,
    };
    x.value(None, input, 0);
    x.facts
}

struct Extractor {
    facts: CallFacts,
    strings: usize,
}

fn add(set: &mut BTreeSet<String>, v: String) {
    if set.len() < MAX_FACTS && !v.is_empty() {
        set.insert(v);
    }
}

impl Extractor {
    fn value(&mut self, key: Option<&str>, v: &Value, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match v {
            Value::String(s) => {
                let key = key.map(str::to_ascii_lowercase);
                if let Some(k) = &key
                    && METHOD_KEYS.contains(&k.as_str())
                {
                    let m = s.trim().to_ascii_uppercase();
                    if METHODS.contains(&m.as_str()) {
                        add(&mut self.facts.http_methods, m);
                    }
                }
                self.text(s, depth);
            }
            Value::Array(items) => {
                let argv: Vec<String> = items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect();
                if key.is_some_and(|k| ARGV_KEYS.contains(&k.to_ascii_lowercase().as_str()))
                    && argv.len() == items.len()
                    && !argv.is_empty()
                {
                    self.words(&argv, depth);
                }
                for i in items {
                    self.value(key, i, depth + 1);
                }
            }
            Value::Object(map) => {
                for (k, v) in map {
                    self.value(Some(k), v, depth + 1);
                }
            }
            _ => {}
        }
    }

    /// A string of the input: a URL, a path, SQL, a shell line, or prose (which may still
    /// name programs; listing them errs toward a `forbid` matching).
    fn text(&mut self, s: &str, depth: usize) {
        self.strings += 1;
        if self.strings > MAX_STRINGS || s.len() > MAX_PARSE {
            return;
        }
        let t = s.trim();
        if t.is_empty() {
            return;
        }
        self.word(t);
        let first = t
            .split(|c: char| c.is_whitespace() || c == '(')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        if SQL_STARTS.contains(&first.as_str()) && self.sql(t) {
            return;
        }
        if t.contains(char::is_whitespace) || t.contains(';') {
            self.shell(t, depth);
        }
    }

    /// A single word: a URL gives a host, a path is a path.
    fn word(&mut self, w: &str) {
        let w = w.trim_matches(|c| matches!(c, '"' | '\'' | '`'));
        if w.contains(char::is_whitespace) {
            return;
        }
        if let Some(host) = host_of(w) {
            add(&mut self.facts.hosts, host);
        } else if w.starts_with('/') || w.starts_with('~') {
            add(&mut self.facts.paths, w.to_string());
        } else if let Some(rest) = w.split_once('=').map(|(_, r)| r)
            && (rest.starts_with('/') || rest.starts_with('~'))
        {
            // `--file=/etc/passwd`, `if=/dev/sda`
            add(&mut self.facts.paths, rest.to_string());
        }
    }

    /// Parses SQL in the dialects the classifier knows; false if none parses it.
    fn sql(&mut self, text: &str) -> bool {
        let dialects: [&dyn Dialect; 3] =
            [&PostgreSqlDialect {}, &MySqlDialect {}, &GenericDialect {}];
        let mut parsed = false;
        for d in dialects {
            let Ok(statements) = Parser::parse_sql(d, text) else {
                continue;
            };
            parsed = true;
            for st in &statements {
                add(&mut self.facts.statements, statement_kind(st));
                // Dropped objects are not relations to the visitor.
                if let Statement::Drop { names, .. } = st {
                    for n in names {
                        if let Some(t) = table_name(n) {
                            add(&mut self.facts.tables, t);
                        }
                    }
                }
            }
            let _ = visit_relations(&statements, |name: &ObjectName| {
                if let Some(t) = table_name(name) {
                    add(&mut self.facts.tables, t);
                }
                std::ops::ControlFlow::<()>::Continue(())
            });
        }
        parsed
    }

    /// A shell line: split on operators outside quotes; each segment's first word (past
    /// assignments and wrappers) is a program; `sh -c` bodies and `$(…)` are read again.
    fn shell(&mut self, line: &str, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        for words in segments(line) {
            if !words.is_empty() {
                self.words(&words, depth + 1);
            }
        }
    }

    /// An argument vector: the program and its words.
    fn words(&mut self, argv: &[String], depth: usize) {
        let mut rest = argv
            .iter()
            .skip_while(|w| w.contains('=') && !w.starts_with('-') && !w.starts_with('/'));
        let mut program = None;
        for w in rest.by_ref() {
            let name = program_name(w);
            if name.is_empty() || name.starts_with('-') {
                continue;
            }
            if WRAPPERS.contains(&name.as_str()) {
                add(&mut self.facts.programs, name);
                continue;
            }
            program = Some(name);
            break;
        }
        let args: Vec<&String> = rest.collect();
        if let Some(p) = program {
            if SHELLS.contains(&p.as_str())
                && let Some(i) = args.iter().position(|a| a.as_str() == "-c")
                && let Some(body) = args.get(i + 1)
            {
                self.shell(body, depth + 1);
            }
            if (p == "curl" || p == "wget" || p == "http")
                && let Some(i) = args
                    .iter()
                    .position(|a| a.as_str() == "-X" || a.as_str() == "--request")
                && let Some(m) = args.get(i + 1)
            {
                let m = m.to_ascii_uppercase();
                if METHODS.contains(&m.as_str()) {
                    add(&mut self.facts.http_methods, m);
                }
            }
            add(&mut self.facts.programs, p);
        }
        for a in args {
            self.word(a);
            let lower = a.trim_start().to_ascii_lowercase();
            if SQL_STARTS.iter().any(|k| lower.starts_with(k)) && a.contains(' ') {
                self.sql(a);
            }
        }
    }
}

/// The program name of a command word: `/usr/bin/Terraform.exe` is `terraform`.
fn program_name(word: &str) -> String {
    let base = word.rsplit(['/', '\\']).next().unwrap_or(word);
    let base = base.strip_suffix(".exe").unwrap_or(base);
    if base
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '+'))
    {
        base.to_ascii_lowercase()
    } else {
        String::new()
    }
}

/// The host of an `http(s)://`, `ws(s)://` or `ftp://` URL, lowercase, without user or port.
fn host_of(w: &str) -> Option<String> {
    let lower = w.to_ascii_lowercase();
    let rest = ["https://", "http://", "wss://", "ws://", "ftp://"]
        .iter()
        .find_map(|s| lower.strip_prefix(s))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let hostport = authority.rsplit('@').next().unwrap_or(authority);
    let host = if let Some(v6) = hostport.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        hostport.split(':').next().unwrap_or("")
    };
    (!host.is_empty()).then(|| host.trim_end_matches('.').to_string())
}

/// The unqualified, unquoted, lowercase name of a table.
fn table_name(name: &ObjectName) -> Option<String> {
    let last = name.0.last()?.to_string();
    let t = last.trim_matches(|c| matches!(c, '"' | '`' | '[' | ']'));
    (!t.is_empty()).then(|| t.to_lowercase())
}

/// The kind of a statement: `select`, `update`, `delete`, `drop_table`, `create_table`…
fn statement_kind(st: &Statement) -> String {
    match st {
        Statement::Query(_) => "select".into(),
        Statement::Insert(_) => "insert".into(),
        Statement::Update(_) => "update".into(),
        Statement::Delete(_) => "delete".into(),
        Statement::Merge(_) => "merge".into(),
        Statement::Truncate(_) => "truncate".into(),
        Statement::Drop { object_type, .. } => {
            format!("drop_{}", snake(&object_type.to_string()))
        }
        Statement::CreateTable(_) => "create_table".into(),
        Statement::AlterTable(_) => "alter_table".into(),
        Statement::Grant(_) => "grant".into(),
        Statement::Revoke(_) => "revoke".into(),
        other => {
            let debug = format!("{other:?}");
            let name: String = debug
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric())
                .collect();
            camel_to_snake(&name)
        }
    }
}

fn snake(s: &str) -> String {
    s.trim().to_lowercase().replace(char::is_whitespace, "_")
}

fn camel_to_snake(s: &str) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// Splits a shell line into segments of words: quotes group, `\` escapes, and `;` `|` `&`
/// `(` `)` `{` `}` `` ` `` newlines and `$(` end a segment outside single quotes (a
/// substitution inside double quotes is a command too).
fn segments(line: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    let mut chars = line.chars().peekable();
    let end_word = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some('\''), '\'') => quote = None,
            (Some('\''), _) => word.push(c),
            (_, '\\') => {
                if let Some(n) = chars.next() {
                    word.push(n);
                }
            }
            (Some('"'), '"') => quote = None,
            (Some('"'), '$') if chars.peek() == Some(&'(') => {
                // A command substitution inside double quotes: its own segment.
                end_word(&mut word, &mut words);
                out.push(std::mem::take(&mut words));
                chars.next();
            }
            (Some('"'), '`') => {
                end_word(&mut word, &mut words);
                out.push(std::mem::take(&mut words));
            }
            (Some(_), _) => word.push(c),
            (None, '\'' | '"') => quote = Some(c),
            (None, c) if c.is_whitespace() && c != '\n' => end_word(&mut word, &mut words),
            (None, '\n' | ';' | '|' | '&' | '(' | ')' | '{' | '}' | '`' | '$')
                if c != '$' || chars.peek() == Some(&'(') =>
            {
                end_word(&mut word, &mut words);
                out.push(std::mem::take(&mut words));
            }
            (None, _) => word.push(c),
        }
    }
    end_word(&mut word, &mut words);
    out.push(words);
    out
}
