//! SQL: every reading of the text is judged, and the verdict is the worst. A text is lexed
//! the PostgreSQL way; when it holds characters that some dialect tokenises differently
//! (nested or `#` comments, backslash escapes, `/*! */`, `--x`, `//`, `q'…'`, backticks,
//! brackets, dollar quotes) it is lexed in every [`sqllex::Mode`] too, and each distinct
//! reading is parsed with sqlparser (its own dialect first, then the others) and walked
//! whole: writable CTEs, `EXPLAIN ANALYZE`, `PREPARE`, procedure bodies, and every function
//! call, judged by the per-dialect tables in [`functions`]. A statement that no dialect
//! parses is judged by its worst keyword; `DO` and PL/SQL blocks, client meta-commands and
//! MySQL version comments have their own rules. None of these is ever a read.

mod endless;
mod folding;
mod functions;
mod looks;
mod meta;
mod paths;
mod render;
mod rules;
mod stmt;
mod tables;
mod unbounded;
mod walk;

pub(crate) use functions::{call_effect, known_effect};
pub(crate) use looks::looks_like_sql;
pub(crate) use rules::{ACCESS_WORDS, catalog_schema, catalog_table};
pub(crate) use stmt::{GUARD_SETTINGS, INSERTS};
pub(crate) use walk::{EXPLAINS_PLAN, READS};

use sqlparser::ast::{Expr, Statement, Value, Visit};
use sqlparser::dialect::{
    BigQueryDialect, Dialect, GenericDialect, MsSqlDialect, MySqlDialect, OracleDialect,
    PostgreSqlDialect, SQLiteDialect, SnowflakeDialect,
};
use sqlparser::parser::Parser;

use super::sqllex::{self, Lexed, Mode, Tok};
use super::{Ctx, prefix, shell, snippet};
use crate::Effect;
use walk::Walk;

/// Statements per input analysed one by one; more escalate.
const MAX_STATEMENTS: usize = 2_000;
/// Above this size a text is parsed in fewer dialects (the cost is bounded).
const LARGE: usize = 16 * 1024;

/// A client meta-command line (`\\o file`, `\\! cmd`, sqlite3 `.output file`), as a
/// database client on the command line runs it (`dbclient.rs`).
pub(crate) fn client_meta(ctx: &mut Ctx, line: &str, depth: usize) {
    meta::analyse(ctx, line, depth);
}

/// One way of tokenising the text.
struct Reading {
    mode: Mode,
    lx: Lexed,
}

/// The distinct readings of `text`, PostgreSQL's first.
fn readings(text: &str, pg: Lexed) -> Vec<Reading> {
    let mut out = vec![Reading {
        mode: Mode::Postgres,
        lx: pg,
    }];
    if !sqllex::dialect_sensitive(text) {
        return out;
    }
    for mode in Mode::ALL.iter().skip(1) {
        let lx = sqllex::lex_mode(text, *mode);
        let same = out.iter().any(|r| {
            r.lx.toks.len() == lx.toks.len()
                && r.lx.breaks.len() == lx.breaks.len()
                && r.lx
                    .toks
                    .iter()
                    .map(|t| &t.0)
                    .eq(lx.toks.iter().map(|t| &t.0))
        });
        if !same {
            out.push(Reading { mode: *mode, lx });
        }
    }
    out
}

/// The dialects a reading is parsed with, in order (the first that accepts it counts).
/// With `few`, only the reading's own dialect and two others (bounded work for large texts
/// and long scripts).
fn dialects(mode: Mode, few: bool) -> Vec<&'static dyn Dialect> {
    let own: &'static dyn Dialect = match mode {
        Mode::Postgres | Mode::PostgresEscapes => &PostgreSqlDialect {},
        Mode::MySql => &MySqlDialect {},
        Mode::Sqlite => &SQLiteDialect {},
        Mode::MsSql => &MsSqlDialect {},
        Mode::Oracle => &OracleDialect {},
        Mode::Snowflake => &SnowflakeDialect {},
        Mode::BigQuery => &BigQueryDialect {},
    };
    let mut out = vec![own];
    let rest: [&'static dyn Dialect; 7] = [
        &PostgreSqlDialect {},
        &MySqlDialect {},
        &MsSqlDialect {},
        &SnowflakeDialect {},
        &BigQueryDialect {},
        &SQLiteDialect {},
        &GenericDialect {},
    ];
    let take = if few { 2 } else { rest.len() };
    for d in rest.into_iter().take(take) {
        if !out.iter().any(|o| o.dialect() == d.dialect()) {
            out.push(d);
        }
    }
    out
}

/// Parses a reading's `from..to` with the first dialect that accepts it.
fn parse(text: &str, r: &Reading, from: usize, to: usize, few: bool) -> Option<Vec<Statement>> {
    let canonical = r.mode != Mode::Postgres;
    let few = few || to.saturating_sub(from) > LARGE;
    let raw = !canonical && r.lx.breaks.is_empty() && from == 0 && to == text.len();
    dialects(r.mode, few).into_iter().find_map(|d| {
        // The source text tokenises the PostgreSQL way; any other dialect gets the reading
        // re-rendered in its own syntax, so that it parses the same tokens.
        let pg = d.dialect() == PostgreSqlDialect {}.dialect();
        if raw && pg {
            return Parser::parse_sql(d, text).ok();
        }
        let sql = render::render(text, &r.lx, from, to, d, canonical || !pg);
        // Only if the dialect's own tokeniser sees the reading's words and literals.
        render::same_tokens(&sql, d, &r.lx, from, to)
            .then(|| Parser::parse_sql(d, &sql).ok())
            .flatten()
    })
}

/// The statements of a reading, as byte ranges between its separators.
fn chunks(text: &str, lx: &Lexed) -> Vec<(usize, usize)> {
    let mut seps: Vec<(usize, usize)> = lx.semis.iter().map(|&p| (p, p + 1)).collect();
    seps.extend(lx.breaks.iter().copied());
    seps.sort_unstable();
    let mut out = Vec::new();
    let mut from = 0usize;
    for (s, e) in seps.into_iter().chain([(text.len(), text.len())]) {
        if s >= from && text.get(from..s).is_some_and(|p| !p.trim().is_empty()) {
            out.push((from, s));
        }
        from = from.max(e);
    }
    out
}

fn first_word_in(lx: &Lexed, from: usize, to: usize) -> Option<&str> {
    lx.toks
        .iter()
        .filter(|(_, p)| *p >= from && *p < to)
        .find_map(|(t, _)| match t {
            Tok::Punct('(') => None,
            Tok::Word(w) => Some(Some(w.as_str())),
            _ => Some(None),
        })
        .flatten()
}

/// Analyses SQL text. In `strict` mode (no hint that this is SQL) text that neither parses
/// nor has the shape of a statement in any reading is prose and adds nothing.
pub(crate) fn analyse(ctx: &mut Ctx, text: &str, depth: usize, strict: bool) {
    if !ctx.deeper(depth) {
        return;
    }
    // A plain statement proved at the token level: the same finding as the full analysis,
    // with at least the work it would have spent (the budget still binds). A write is
    // recorded as `judge` records it (without a reason when the context wants none).
    // The names the walk must see are looked for in the statement alone (its trailing
    // comment, a padded statement's bulk, runs nothing).
    if ctx.fast
        && !strict
        && let Some((stmt, e, why)) = super::fast::statement(text)
        && !tables::needs_walk(stmt)
    {
        if ctx.tick(3 + text.len() / 64) {
            if e == Effect::Read || ctx.wants(e) {
                ctx.add(e, format!("sql: {} {why}", snippet(stmt)));
            } else {
                ctx.note(e);
            }
        }
        return;
    }
    let pg = sqllex::lex(text);
    if !ctx.tick(1 + pg.toks.len() / 64) {
        return;
    }
    let rs = readings(text, pg);
    if strict
        && !rs.iter().any(|r| {
            sqllex::has_sql_shape(text, &r.lx.toks)
                || !r.lx.versioned.is_empty()
                || !r.lx.meta.is_empty()
        })
    {
        return;
    }
    if rs.iter().any(|r| r.lx.confusable) {
        ctx.add(
            Effect::Destructive,
            "sql: a keyword is spelled with look-alike characters",
        );
    }
    if rs.iter().any(|r| r.lx.deep_comment) {
        ctx.add(
            Effect::Destructive,
            format!(
                "sql: comments nested deeper than {} levels",
                sqllex::MAX_COMMENT_NESTING
            ),
        );
    }
    let mut seen_meta: Vec<(usize, usize)> = Vec::new();
    for r in &rs {
        for body in &r.lx.versioned {
            ctx.via("a mysql `/*! */` comment", |ctx| {
                analyse(ctx, body, depth + 1, false);
            });
        }
        for &(s, e) in &r.lx.meta {
            if seen_meta.contains(&(s, e)) {
                continue;
            }
            seen_meta.push((s, e));
            if let Some(line) = text.get(s..e) {
                meta::analyse(ctx, line, depth);
            }
        }
    }
    // Each reading parsed whole when a dialect accepts it, computed when first needed.
    let mut wholes: Vec<Option<Option<Vec<Statement>>>> = rs.iter().map(|_| None).collect();
    let several = rs.len() > 1;
    for (i, r) in rs.iter().enumerate() {
        if !ctx.tick(1) {
            return;
        }
        let mark = ctx.mark();
        let whole = parse_whole(&mut wholes, &rs, i, text);
        let parsed: Vec<&Reading> = if whole.is_some() {
            Vec::new()
        } else {
            (0..rs.len())
                .filter(|j| *j != i && parse_whole(&mut wholes, &rs, *j, text).is_some())
                .filter_map(|j| rs.get(j))
                .collect()
        };
        let whole = wholes
            .get(i)
            .and_then(|w| w.as_ref())
            .and_then(Option::as_ref);
        if several {
            ctx.via(format!("the {:?} reading", r.mode), |ctx| {
                reading(ctx, text, r, whole, &parsed, depth);
            });
        } else {
            reading(ctx, text, r, whole, &parsed, depth);
        }
        if ctx.max_since(mark).is_some_and(Effect::is_high_risk) {
            break;
        }
    }
}

/// Reading `i` parsed whole (cached); `None` when no dialect accepts it or it holds a `DO`
/// block.
fn parse_whole(
    cache: &mut [Option<Option<Vec<Statement>>>],
    rs: &[Reading],
    i: usize,
    text: &str,
) -> Option<()> {
    let slot = cache.get_mut(i)?;
    if slot.is_none() {
        let r = rs.get(i)?;
        let parts = chunks(text, &r.lx);
        let skip = parts.len() > MAX_STATEMENTS
            || parts
                .iter()
                .any(|&(s, e)| first_word_in(&r.lx, s, e) == Some("DO"));
        // Readings other than PostgreSQL's are tried in few dialects: the cost is bounded.
        let few = r.mode != Mode::Postgres;
        *slot = Some(
            (!skip)
                .then(|| parse(text, r, 0, text.len(), few))
                .flatten(),
        );
    }
    slot.as_ref()?.as_ref().map(|_| ())
}

/// True if two readings hold the same tokens in `from..to` but for how names are quoted
/// (`[delete]`, `` `delete` `` and `delete` are one name).
fn quoting_only(a: &Lexed, b: &Lexed, from: usize, to: usize) -> bool {
    let norm = |lx: &Lexed| -> Vec<Tok> {
        lx.toks
            .iter()
            .filter(|(_, p)| *p >= from && *p < to)
            .filter_map(|(t, _)| match t {
                Tok::Punct('[' | ']' | '`' | '"') => None,
                Tok::Ident(v) => Some(Tok::Word(v.to_uppercase())),
                Tok::Str(_) => Some(Tok::Str(String::new())),
                t => Some(t.clone()),
            })
            .collect()
    };
    norm(a) == norm(b)
}

/// Judges one reading: parsed whole if a dialect accepts it, else statement by statement.
/// `parsed` are the other readings that a dialect accepts whole.
fn reading(
    ctx: &mut Ctx,
    text: &str,
    r: &Reading,
    whole: Option<&Vec<Statement>>,
    parsed: &[&Reading],
    depth: usize,
) {
    let parts = chunks(text, &r.lx);
    if parts.len() > MAX_STATEMENTS {
        ctx.add(
            Effect::Destructive,
            format!("sql: more than {MAX_STATEMENTS} statements"),
        );
        return;
    }
    if let Some(stmts) = whole {
        let total = stmts.len();
        for (i, s) in stmts.iter().enumerate() {
            judge(ctx, s, i + 1, total, depth);
        }
        return;
    }
    // A PL/SQL or T-SQL block (`BEGIN … END;`, `DECLARE … BEGIN … END;`).
    let first = first_word_in(&r.lx, 0, text.len());
    if matches!(first, Some("BEGIN" | "DECLARE"))
        && r.lx
            .toks
            .iter()
            .any(|(t, _)| matches!(t, Tok::Word(w) if w == "END"))
        && !is_transaction_start(&r.lx)
    {
        ctx.add(
            Effect::Mutating,
            format!("sql: {} runs a procedural block", snippet(text)),
        );
        ctx.via("a procedural block", |ctx| procedural(ctx, text, depth + 1));
        return;
    }
    let total = parts.len();
    for (i, &(from, to)) in parts.iter().enumerate() {
        if !ctx.tick(1) {
            return;
        }
        let n = i + 1;
        let chunk = text.get(from..to).unwrap_or_default();
        let clx = sqllex::lex_mode(chunk, r.mode);
        if sqllex::first_word(&clx.toks) == Some("DO") {
            do_block(ctx, chunk, &clx, n, total, depth);
            continue;
        }
        let whole = from == 0 && to == text.len() && r.lx.breaks.is_empty();
        if !whole && let Some(stmts) = parse(text, r, from, to, total > 64) {
            for s in &stmts {
                judge(ctx, s, n, total, depth);
            }
            continue;
        }
        // A syntax error in this dialect (a character it rejects, or, in a reading other
        // than PostgreSQL's, a literal that never ends): the statement does not run in it.
        if (r.mode != Mode::Postgres && clx.unterminated)
            || clx
                .toks
                .iter()
                .any(|(t, _)| matches!(t, Tok::Punct(c) if r.mode.invalid(*c)))
        {
            continue;
        }
        // The same statement as in a reading that parses, quoted differently.
        if parsed.iter().any(|p| quoting_only(&p.lx, &r.lx, from, to)) {
            continue;
        }
        let lenient = r.mode != Mode::Postgres && !parsed.is_empty();
        unparsed(ctx, chunk, &clx, n, total, depth, lenient);
    }
}

fn is_transaction_start(lx: &Lexed) -> bool {
    let words: Vec<&str> = lx
        .toks
        .iter()
        .filter_map(|(t, _)| match t {
            Tok::Word(w) => Some(w.as_str()),
            _ => None,
        })
        .take(3)
        .collect();
    matches!(
        words.as_slice(),
        ["BEGIN"]
            | [
                "BEGIN",
                "TRANSACTION"
                    | "WORK"
                    | "TRAN"
                    | "ISOLATION"
                    | "READ"
                    | "DEFERRED"
                    | "IMMEDIATE"
                    | "EXCLUSIVE",
                ..
            ]
    ) && lx.semis.len() <= 1
}

/// A statement no dialect parses: its worst keyword, and the SQL in its string literals
/// (`EXEC('DROP …')`); never a read, except two reads recognised without a parse.
/// With `lenient` (a reading other than PostgreSQL's, when another reading parses whole), a
/// statement that holds nothing but a syntax error in this dialect adds nothing.
fn unparsed(
    ctx: &mut Ctx,
    chunk: &str,
    clx: &Lexed,
    n: usize,
    total: usize,
    depth: usize,
    lenient: bool,
) {
    let forms = sqllex::statement_forms(chunk, clx);
    if let Some(why) = known_read(clx).or_else(|| sqllex::read_form(clx, &forms)) {
        let head = format!("sql: {}{}", label(n, total), snippet(chunk));
        tables::unparsed_read(ctx, &head, clx, why);
        return;
    }
    let mark = ctx.mark();
    // A vendor statement known by its leading keywords: what it does.
    for f in forms.iter().filter(|f| f.effect != Effect::Read) {
        ctx.add(
            f.effect,
            format!("sql: {}{} {}", label(n, total), snippet(chunk), f.why),
        );
    }
    let mut toks = clx.toks.iter().map(|(t, _)| t);
    match (toks.next(), toks.next()) {
        // psql interpolates `:name` (set by `\gset` or `\set`): SQL that is not visible.
        (Some(Tok::Punct(':')), Some(Tok::Word(_) | Tok::Str(_) | Tok::Ident(_))) => ctx.add(
            Effect::Destructive,
            format!(
                "sql: {} runs the SQL held in a psql variable",
                snippet(chunk)
            ),
        ),
        // SQL*Plus `HOST cmd` runs a shell command.
        // The mysql client's `system cmd` too.
        (Some(Tok::Word(w)), Some(_)) if w == "HOST" || w == "SYSTEM" => {
            let cmd = chunk.trim_start().get(w.len()..).unwrap_or_default();
            ctx.via(
                format!("a client `{}` command", w.to_ascii_lowercase()),
                |ctx| {
                    super::shell::analyse(ctx, cmd, depth + 1);
                },
            );
        }
        _ => {}
    }
    dynamic_exec(ctx, chunk, clx);
    for (t, _) in &clx.toks {
        if let Tok::Str(s) = t {
            let create = sqllex::first_word(&clx.toks) == Some("CREATE");
            ctx.via(format!("a string in {}", snippet(chunk)), |ctx| {
                string_in_code(ctx, s, create, depth + 1);
            });
        }
    }
    let (e, why) = sqllex::worst_keyword(clx);
    let syntax_error_only = lenient
        && why.starts_with("does not parse")
        && ctx.max_since(mark).is_none()
        && forms.is_empty();
    if !syntax_error_only {
        ctx.add(
            e,
            format!("sql: {}{} {why}", label(n, total), snippet(chunk)),
        );
    }
}

/// A string literal in code that does not parse, or in a procedural body: a procedural
/// block (`'BEGIN DELETE …; END;'`, or any string of a `CREATE` that did not parse: a
/// function body), else SQL when it has a statement's shape.
fn string_in_code(ctx: &mut Ctx, s: &str, body: bool, depth: usize) {
    let block = matches!(
        sqllex::first_word(&sqllex::lex(prefix(s, 64)).toks),
        Some("BEGIN" | "DECLARE")
    );
    if body || block {
        procedural(ctx, s, depth);
    } else {
        analyse(ctx, s, depth, true);
    }
}

/// `EXECUTE`/`EXEC` of anything but a single literal (a concatenation, `format()`, a
/// variable) is SQL built at run time.
fn dynamic_exec(ctx: &mut Ctx, text: &str, lx: &Lexed) {
    let words = |i: usize| lx.toks.get(i).map(|(t, _)| t);
    for (i, (t, _)) in lx.toks.iter().enumerate() {
        let Tok::Word(w) = t else { continue };
        if w != "EXECUTE" && w != "EXEC" {
            continue;
        }
        let mut j = i + 1;
        let immediate = matches!(words(j), Some(Tok::Word(w)) if w == "IMMEDIATE");
        if immediate {
            j += 1;
        }
        let paren = matches!(words(j), Some(Tok::Punct('(')));
        if paren {
            j += 1;
        }
        let literal = matches!(words(j), Some(Tok::Str(_)));
        let after = words(j + 1);
        let ends = if paren {
            matches!(after, Some(Tok::Punct(')')))
        } else {
            matches!(after, None | Some(Tok::Punct(';')) | Some(Tok::Word(_)))
        };
        // A name followed by `(` is a function computing the text (`EXECUTE
        // convert_from(decode('…', 'base64'), 'UTF8')`), and `EXECUTE IMMEDIATE v_sql` runs
        // a variable: neither is a procedure.
        let computed = matches!(words(j + 1), Some(Tok::Punct('(')))
            && matches!(words(j), Some(Tok::Word(f)) if functions::entry(f).effect == Effect::Read);
        let procedure = !paren
            && !immediate
            && !computed
            && matches!(words(j), Some(Tok::Word(_) | Tok::Ident(_)));
        if procedure {
            if let Some(Tok::Word(_)) = words(j) {
                // The procedure's name, qualified (`master..sp_addsrvrolemember`).
                let mut name = String::new();
                for (t, _) in lx.toks.iter().skip(j) {
                    match t {
                        Tok::Word(w) => name.push_str(w),
                        Tok::Ident(w) => name.push_str(w),
                        Tok::Punct('.') => name.push('.'),
                        _ => break,
                    }
                    if name.len() > 256 {
                        break;
                    }
                }
                let name = name.as_str();
                if let Some((e, what)) = functions::known_effect(name) {
                    let name = name.to_ascii_lowercase();
                    ctx.add(
                        e,
                        format!("sql: {} executes `{name}` which {what}", snippet(text)),
                    );
                }
                let built = lx
                    .toks
                    .iter()
                    .skip(j + 1)
                    .take_while(|(t, _)| *t != Tok::Punct(';'))
                    .any(|(t, _)| matches!(t, Tok::Punct('@' | '+' | '|')));
                if functions::runs_sql_arguments(name) && built {
                    ctx.add(
                        Effect::Destructive,
                        format!("sql: {} runs dynamic SQL built at run time", snippet(text)),
                    );
                    return;
                }
            }
            continue;
        }
        if !(literal && ends) {
            ctx.add(
                Effect::Destructive,
                format!("sql: {} runs dynamic SQL built at run time", snippet(text)),
            );
            return;
        }
    }
}

/// Reads that no dialect parses: `PRAGMA table_info(t)`, `TABLE t`.
fn known_read(lx: &sqllex::Lexed) -> Option<&'static str> {
    const PRAGMAS: &[&str] = &[
        "TABLE_INFO",
        "TABLE_XINFO",
        "INDEX_LIST",
        "INDEX_INFO",
        "INDEX_XINFO",
        "FOREIGN_KEY_LIST",
        "DATABASE_LIST",
        "COLLATION_LIST",
        "FUNCTION_LIST",
        "TABLE_LIST",
        "COMPILE_OPTIONS",
        "INTEGRITY_CHECK",
        "QUICK_CHECK",
        "FOREIGN_KEY_CHECK",
    ];
    let words: Vec<&Tok> = lx
        .toks
        .iter()
        .map(|(t, _)| t)
        .filter(|t| **t != Tok::Punct(';'))
        .collect();
    match words.as_slice() {
        [Tok::Word(p), Tok::Word(name), rest @ ..]
            if p == "PRAGMA"
                && PRAGMAS.contains(&name.as_str())
                && !rest.iter().any(|t| **t == Tok::Punct('=')) =>
        {
            Some("reads a pragma")
        }
        [Tok::Word(t), Tok::Word(_) | Tok::Ident(_)] if t == "TABLE" => Some("reads a table"),
        _ => None,
    }
}

fn label(n: usize, total: usize) -> String {
    if total > 1 {
        format!("statement {n} ")
    } else {
        String::new()
    }
}

/// A `DO` block runs procedural code now: its statements and the SQL in its strings count.
fn do_block(ctx: &mut Ctx, chunk: &str, lx: &sqllex::Lexed, n: usize, total: usize, depth: usize) {
    ctx.add(
        Effect::Mutating,
        format!(
            "sql: {}{} runs a procedural block",
            label(n, total),
            snippet(chunk)
        ),
    );
    for (t, _) in &lx.toks {
        if let Tok::Str(body) = t {
            ctx.via("a `DO` block", |ctx| procedural(ctx, body, depth + 1));
        }
    }
    // MySQL's `DO expr, …` evaluates expressions (`DO SLEEP(100)`): judged as a SELECT.
    let words = lx
        .toks
        .iter()
        .skip_while(|(t, _)| !matches!(t, Tok::Word(w) if w == "DO"));
    if let Some((_, p)) = words.clone().nth(1)
        && !matches!(words.clone().nth(1), Some((Tok::Str(_), _)))
        && !lx
            .toks
            .iter()
            .any(|(t, _)| matches!(t, Tok::Word(w) if w == "LANGUAGE"))
        && let Some(rest) = chunk.get(*p..)
    {
        ctx.via("a mysql `DO` statement", |ctx| {
            analyse(ctx, &format!("SELECT {rest}"), depth + 1, false);
        });
    }
}

/// Procedural code (a `DO` or function body): each statement, and each string literal
/// that has the shape of SQL (dynamic `EXECUTE`), is analysed.
pub(crate) fn procedural(ctx: &mut Ctx, body: &str, depth: usize) {
    if !ctx.deeper(depth) {
        return;
    }
    const CONTROL: &[&str] = &["BEGIN", "END", "DECLARE", "START", "EXECUTE", "EXEC"];
    let lx = sqllex::lex(body);
    dynamic_exec(ctx, body, &lx);
    let (e, why) = sqllex::worst_keyword(&lx);
    if e.is_high_risk() {
        ctx.add(e, format!("sql: {} {why}", snippet(body)));
    }
    for part in sqllex::split(body, &lx.semis) {
        let plx = sqllex::lex(&part);
        let start = plx.toks.iter().find_map(|(t, p)| match t {
            Tok::Word(w)
                if sqllex::STARTS.contains(&w.as_str()) && !CONTROL.contains(&w.as_str()) =>
            {
                Some(*p)
            }
            Tok::Word(w) if w == "PERFORM" => Some(*p),
            _ => None,
        });
        if let Some(stmt) = start.and_then(|p| part.get(p..)) {
            let stmt = stmt
                .strip_prefix("PERFORM")
                .map_or_else(|| stmt.to_string(), |s| format!("SELECT{s}"));
            analyse(ctx, &stmt, depth + 1, false);
        }
        for (t, _) in &plx.toks {
            if let Tok::Str(s) = t {
                string_in_code(ctx, s, false, depth + 1);
            }
        }
    }
}

/// Judges one parsed statement and everything nested in it.
fn judge(ctx: &mut Ctx, stmt: &Statement, n: usize, total: usize, depth: usize) {
    if !ctx.tick(1) {
        return;
    }
    let mut w = Walk::default();
    let _ = stmt.visit(&mut w);
    let wanted = w.found.iter().any(|(e, _)| ctx.wants(*e));
    if !wanted && w.sql_strings.is_empty() && w.bodies.is_empty() && w.shell_strings.is_empty() {
        for (e, _) in w.found {
            ctx.note(e);
        }
        return;
    }
    let text = stmt.to_string();
    let head = format!("sql: {}{}", label(n, total), snippet(&text));
    for (e, why) in w.found {
        if ctx.wants(e) {
            ctx.add(e, format!("{head} {why}"));
        } else {
            ctx.note(e);
        }
    }
    for s in w.sql_strings {
        ctx.via(format!("a string in {}", snippet(&text)), |ctx| {
            analyse(ctx, &s, depth + 1, false);
        });
    }
    for s in w.shell_strings {
        ctx.via(format!("a command in {}", snippet(&text)), |ctx| {
            shell::analyse(ctx, &s, depth + 1);
        });
    }
    for b in w.bodies {
        ctx.via(format!("the body of {}", snippet(&text)), |ctx| {
            procedural(ctx, &b, depth + 1);
        });
    }
}

/// The text of a string literal expression.
pub(crate) fn expr_string(e: &Expr) -> Option<String> {
    match e {
        Expr::Value(v) => match &v.value {
            Value::SingleQuotedString(s)
            | Value::EscapedStringLiteral(s)
            | Value::DoubleQuotedString(s)
            | Value::NationalStringLiteral(s)
            | Value::TripleSingleQuotedString(s)
            | Value::TripleDoubleQuotedString(s) => Some(s.clone()),
            Value::DollarQuotedString(d) => Some(d.value.clone()),
            _ => None,
        },
        Expr::Nested(e) => expr_string(e),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
