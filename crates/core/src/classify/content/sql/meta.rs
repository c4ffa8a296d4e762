//! Client meta-commands in SQL text (psql and the mysql client): `\! cmd` runs a shell
//! command, `\o file` and `\g file` write files or pipe to a command, `\i file` runs a file
//! whose content is not visible, `\gexec` runs query results as SQL.

use crate::Effect::{self, Admin, Destructive, Mutating, Read};
use crate::classify::content::args::{harmless_sink, write_risk};
use crate::classify::content::{Ctx, shell, snippet};

/// Analyses one meta-command line (from its backslash to the end of the line).
pub(super) fn analyse(ctx: &mut Ctx, line: &str, depth: usize) {
    if let Some(dot) = line.strip_prefix('.') {
        return dot_command(ctx, line, dot, depth);
    }
    let mut rest = line;
    while let Some(after) = rest.strip_prefix('\\') {
        // `\\` separates meta-commands; what follows it up to the next backslash is SQL.
        if let Some(sql) = after.strip_prefix('\\') {
            let (text, next) = split_at_backslash(sql);
            if !text.trim().is_empty() {
                ctx.via("a psql `\\\\` separator", |ctx| {
                    super::analyse(ctx, text, depth + 1, false);
                });
            }
            rest = next;
            continue;
        }
        let name_len = if after.starts_with(|c: char| c.is_alphabetic()) {
            after
                .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '+'))
                .unwrap_or(after.len())
        } else {
            after.chars().next().map_or(0, char::len_utf8)
        };
        let (name, args) = after.split_at_checked(name_len).unwrap_or((after, ""));
        if name == "!" {
            shell_command(ctx, line, args, depth);
            return;
        }
        // psql runs backquoted text in a meta-command's arguments as a shell command
        // (`\echo `id``, `\set x `curl …``): judged as `\!` is (up to the line's end,
        // past any backslash in the command).
        for cmd in backquoted(args) {
            shell_command(ctx, line, cmd, depth);
        }
        let (args, next) = split_at_backslash(args);
        one(ctx, line, name, args.trim(), depth);
        // The mysql client ends or resets the statement at `\G`, `\g`, `\c`, `\p` and the
        // other commands without arguments, and runs the rest of the line as the next
        // statement (`SELECT 1\G DROP TABLE t`).
        if MYSQL_ENDS.contains(&name) && !args.trim().is_empty() {
            let text = args.trim();
            let statement = super::sqllex::first_word(&super::sqllex::lex(text).toks)
                .is_some_and(|w| super::sqllex::STARTS.contains(&w));
            ctx.via(format!("the statement after a mysql `\\{name}`"), |ctx| {
                super::analyse(ctx, text, depth + 1, !statement);
            });
        }
        rest = next;
    }
}

/// mysql client commands that take no argument: what follows on the line is the next
/// statement (`\G`, `\g` end it; `\c` clears it; the others print, set or toggle).
const MYSQL_ENDS: &[&str] = &[
    "G", "g", "c", "p", "W", "w", "t", "T", "n", "e", "s", "q", "x", "#",
];

/// The backquoted commands of a meta-command's arguments; an unclosed backquote's rest.
fn backquoted(args: &str) -> Vec<&str> {
    args.split('`')
        .skip(1)
        .step_by(2)
        .filter(|c| !c.trim().is_empty())
        .collect()
}

/// True if `\c`/`\connect`'s arguments name a user or a host (`\c - postgres`, `\c db
/// user host`, `\c "dbname=x host=y"`, `\c postgresql://u@h/db`): a login as another role
/// or elsewhere. A database alone (`\c mydb`) is the same login.
fn connects_elsewhere(args: &str) -> bool {
    let lower = args.to_ascii_lowercase();
    if let Some(i) = lower.find("://") {
        let authority = lower.get(i + 3..).unwrap_or_default();
        return !authority.starts_with(['/', '?', '"', '\'']) && !authority.trim().is_empty();
    }
    if lower.contains('=') {
        // A conninfo string: any key but the database (an unknown key fails high).
        return lower
            .split(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            .filter_map(|w| w.split_once('='))
            .any(|(k, _)| k.trim() != "dbname" && !k.starts_with("-reuse-previous"));
    }
    args.split_whitespace()
        .filter(|w| !w.starts_with("-reuse-previous"))
        .skip(1)
        .any(|w| w != "-")
}

fn split_at_backslash(s: &str) -> (&str, &str) {
    match s.find('\\') {
        Some(i) => s.split_at_checked(i).unwrap_or((s, "")),
        None => (s, ""),
    }
}

fn shell_command(ctx: &mut Ctx, line: &str, cmd: &str, depth: usize) {
    let cmd = cmd.trim();
    if cmd.is_empty() {
        ctx.add(
            Mutating,
            format!("sql: {} opens an interactive shell", snippet(line)),
        );
        return;
    }
    ctx.add(
        Mutating,
        format!("sql: {} runs a shell command", snippet(line)),
    );
    ctx.via("a client `\\!` meta-command", |ctx| {
        shell::analyse(ctx, cmd, depth + 1);
    });
}

/// A file or `|command` argument of an output meta-command (`\\o`, `\\g`, `.output`,
/// `.once`, `.log`): the command is analysed with the query output piped into it; a file is
/// judged by where it lands (a shell startup file, `/etc`, `~/.ssh`: admin; a database
/// file or data directory: destructive); standard output (no argument, `stdout`, `-`,
/// `/dev/stdout`) only shows the output.
fn output(ctx: &mut Ctx, line: &str, args: &str, depth: usize) {
    let unquoted = args.trim_matches(|c| c == '\'' || c == '"');
    if let Some(cmd) = unquoted.strip_prefix('|') {
        // Query output flows into the command: judged as data it cannot see piped in.
        let cmd = cmd.trim();
        let piped = format!("cat query-output | {cmd}");
        shell_command(ctx, line, &piped, depth);
        rows_sent(ctx, line, cmd);
        return;
    }
    let words: Vec<&str> = args
        .split_whitespace()
        .map(|w| w.trim_matches(|c| c == '\'' || c == '"'))
        .collect();
    // sqlite3 `.once -x` / `-e` opens the output in a spreadsheet or an editor.
    if words.iter().any(|w| matches!(*w, "-x" | "-e" | "-w")) {
        ctx.add(
            Mutating,
            format!("sql: {} opens the output in another program", snippet(line)),
        );
        return;
    }
    let path = words.iter().copied().find(|w| !w.starts_with("--"));
    match path {
        None | Some("stdout" | "stderr" | "off" | "-") => {
            ctx.add(Read, format!("sql: {} sets output", snippet(line)));
        }
        Some(p) if harmless_sink(p) => {
            ctx.add(Read, format!("sql: {} sets output", snippet(line)));
        }
        Some(p) => written(ctx, line, p, "writes query output to a file"),
    }
}

/// Query results piped into a program that sends its input over the network (`.once |curl
/// -T - …`, `\copy (…) to program 'nc host 9000'`): the database's rows leave, as `pg_dump |
/// curl …` sends a dump.
fn rows_sent(ctx: &mut Ctx, line: &str, cmd: &str) {
    let sender = cmd.split('|').find_map(|stage| {
        let first = stage.split_whitespace().next()?;
        let name = super::super::shell::program_name(first);
        super::super::args::NETWORK_SENDERS
            .contains(&name)
            .then_some(name)
    });
    if let Some(name) = sender {
        ctx.add(
            Admin,
            format!(
                "sql: {} sends query results over the network (`{name}`)",
                snippet(line)
            ),
        );
    }
}

/// A file a meta-command writes, judged by where it lands.
fn written(ctx: &mut Ctx, line: &str, path: &str, what: &str) {
    match write_risk(path, false) {
        Some((e, where_)) => ctx.add(
            e,
            format!("sql: {} {what}: `{path}` is {where_}", snippet(line)),
        ),
        None => ctx.add(Mutating, format!("sql: {} {what}", snippet(line))),
    }
}

fn one(ctx: &mut Ctx, line: &str, name: &str, args: &str, depth: usize) {
    let (e, why): (Effect, &str) = match name {
        "o" | "out" | "g" | "gx" | "w" | "write" | "s" | "T" | "tee" => {
            return output(ctx, line, args, depth);
        }
        "P" | "pager" => {
            if args.is_empty() {
                (Read, "sets the pager")
            } else {
                return shell_command(ctx, line, args, depth);
            }
        }
        "copy" => {
            let lower = args.to_ascii_lowercase();
            if let Some(p) = lower.find(" program ") {
                let cmd = args
                    .get(p + " program ".len()..)
                    .unwrap_or_default()
                    .trim()
                    .trim_matches(|c| c == '\'' || c == '"');
                // `to program`: the table's rows are piped into the command.
                if lower
                    .get(..p)
                    .is_some_and(|h| h.trim_end().ends_with(" to"))
                {
                    let piped = format!("cat table-rows | {cmd}");
                    rows_sent(ctx, line, cmd);
                    return shell_command(ctx, line, &piped, depth);
                }
                return shell_command(ctx, line, cmd, depth);
            }
            // `\copy … to FILE`: every file it may write, judged by where it lands.
            for (i, _) in lower.match_indices(" to ") {
                let target = args
                    .get(i + 4..)
                    .unwrap_or_default()
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .trim_matches(|c| c == '\'' || c == '"');
                if let Some((e, where_)) = write_risk(target, false) {
                    ctx.add(
                        e,
                        format!("sql: {} writes `{target}`, {where_}", snippet(line)),
                    );
                }
            }
            (Mutating, "copies between a table and a client file")
        }
        "gexec" => (Destructive, "runs each value of the result as SQL"),
        "i" | "ir" | "include" | "include_relative" | "." | "source" => {
            (Destructive, "runs a SQL file whose content is not visible")
        }
        "e" | "edit" | "ef" | "ev" => (Mutating, "opens an editor"),
        "setenv" => {
            let mut parts = args.splitn(2, char::is_whitespace);
            let var = parts.next().unwrap_or_default();
            let value = parts.next().unwrap_or_default().trim();
            shell::env_var(ctx, var, value, depth + 1);
            (Mutating, "sets an environment variable")
        }
        "password" => (Admin, "changes a password"),
        "set" => {
            // A variable's value runs where it is interpolated (`:name`): judged now.
            let value = args
                .split_once(char::is_whitespace)
                .map(|(_, v)| v.trim().trim_matches(|c| c == '\'' || c == '"'))
                .unwrap_or_default();
            if !value.is_empty() {
                ctx.via("a psql variable", |ctx| {
                    super::analyse(ctx, value, depth + 1, true);
                });
            }
            (Read, "sets a client variable")
        }
        "lo_import" | "lo_export" => (Mutating, "copies a large object"),
        "lo_unlink" => (Destructive, "deletes a large object"),
        // A secret variable read locally is a read, marked (as `printenv TOKEN` is).
        "getenv"
            if args
                .split_whitespace()
                .nth(1)
                .is_some_and(super::super::args::secret_variable) =>
        {
            (
                Read,
                "reads a secret environment variable into a client variable",
            )
        }
        "c" | "connect" if connects_elsewhere(args) => (
            Admin,
            "connects as another user or to another host (a change of identity)",
        ),
        "c" | "connect" | "cd" | "watch" | "unset" | "echo" | "qecho" | "warn" | "p" | "print"
        | "r" | "reset" | "gset" | "crosstabview" | "bind" | "prompt" | "encoding"
        | "errverbose" | "getenv" | "if" | "elif" | "else" | "endif" | "z" | "x" | "a" | "t"
        | "H" | "f" | "C" | "timing" | "q" | "quit" | "conninfo" | "pset" | "l" | "list" | "sf"
        | "sv" | "sf+" | "sv+" | "G" | "u" | "use" | "h" | "help" | "?" | "n" | "W" | "R"
        | "status" | "nopager" | "notee" | "d" | "delimiter" | "lo_list" => {
            (Read, "is a client setting or a read")
        }
        n if n.starts_with('d') => (Read, "describes objects"),
        _ => (
            Mutating,
            "is a client meta-command this analyser does not know",
        ),
    };
    ctx.add(e, format!("sql: {} {why}", snippet(line)));
}

/// A sqlite3 dot-command (`.shell`, `.read`, `.output`): where its files land decides.
fn dot_command(ctx: &mut Ctx, line: &str, dot: &str, depth: usize) {
    let (name, args) = dot.split_once(char::is_whitespace).unwrap_or((dot, ""));
    let args = args.trim();
    let words: Vec<&str> = args
        .split_whitespace()
        .map(|w| w.trim_matches(|c| c == '\'' || c == '"'))
        .filter(|w| !w.starts_with("--"))
        .collect();
    let unquoted = args.trim_matches(|c| c == '\'' || c == '"');
    let (e, why): (Effect, &str) = match name {
        "shell" | "system" => return shell_command(ctx, line, args, depth),
        "output" | "once" | "log" | "trace" | "iotrace" => return output(ctx, line, args, depth),
        // `.read '|cmd'` runs the command and its output as SQL.
        "read" if unquoted.starts_with('|') => {
            shell_command(ctx, line, unquoted.trim_start_matches('|'), depth);
            (Destructive, "runs a command's output as SQL")
        }
        "read" => (Destructive, "runs a SQL file whose content is not visible"),
        "restore" => (Destructive, "overwrites the database from a file"),
        "load" => (Admin, "loads native code into the database"),
        // `.import '|cmd' t` loads a command's output.
        "import" if unquoted.starts_with('|') => {
            let cmd = unquoted
                .trim_start_matches('|')
                .rsplit_once(char::is_whitespace)
                .map_or("", |(c, _)| c)
                .trim_matches(|c| c == '\'' || c == '"');
            shell_command(ctx, line, cmd, depth);
            (Mutating, "loads a command's output into a table")
        }
        "import" => (Mutating, "loads a file into a table"),
        // `.backup ?DB? FILE`, `.save FILE`, `.clone NEWDB`: the database written to a file.
        "save" | "backup" | "clone" => match words.last() {
            Some(p) => {
                written(ctx, line, p, "writes the database to a file");
                return;
            }
            None => (Mutating, "writes the database to a file"),
        },
        // `.open --new FILE` empties the file.
        "open" if args.split_whitespace().any(|w| w == "--new") => match words.last() {
            Some(p) => {
                written(ctx, line, p, "opens a file as a new, empty database");
                return;
            }
            None => (Mutating, "opens a new database"),
        },
        "excel" | "open" | "cd" | "connection" | "ar" | "archive" => {
            (Mutating, "opens or changes files")
        }
        "dbconfig" if words.is_empty() => (Read, "lists settings"),
        "dbconfig"
            if words.iter().any(|w| {
                matches!(
                    w.to_ascii_lowercase().as_str(),
                    "writable_schema"
                        | "defensive"
                        | "trusted_schema"
                        | "load_extension"
                        | "enable_load_extension"
                        | "trigger_eqp"
                        | "reset_database"
                )
            }) =>
        {
            (Admin, "changes a database safety setting")
        }
        "dbconfig" => (Mutating, "changes a database setting"),
        "tables" | "schema" | "indexes" | "indices" | "headers" | "mode" | "width" | "help"
        | "databases" | "dbinfo" | "show" | "timer" | "nullvalue" | "separator" | "print"
        | "quit" | "exit" | "fullschema" | "stats" | "changes" | "echo" | "eqp" | "explain"
        | "bail" | "lint" | "parameter" | "prompt" | "scanstats" | "timeout" | "version"
        | "dump" | "sha3sum" | "vfsinfo" | "vfslist" | "vfsname" | "crnl" | "binary" | "expert"
        | "recover" => (Read, "is a client setting or a read"),
        _ => (Mutating, "is a dot-command this analyser does not know"),
    };
    ctx.add(e, format!("sql: {} {why}", snippet(line)));
}
