//! Client meta-commands in SQL text (psql and the mysql client): `\! cmd` runs a shell
//! command, `\o file` and `\g file` write files or pipe to a command, `\i file` runs a file
//! whose content is not visible, `\gexec` runs query results as SQL.

use crate::Effect::{self, Admin, Destructive, Mutating, Read};
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
        let (args, next) = split_at_backslash(args);
        one(ctx, line, name, args.trim(), depth);
        rest = next;
    }
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

/// A file or `|command` argument of an output meta-command.
fn output(ctx: &mut Ctx, line: &str, args: &str, depth: usize) {
    if let Some(cmd) = args.strip_prefix('|') {
        // Query output flows into the command: judged as data it cannot see piped in.
        let piped = format!("cat query-output | {}", cmd.trim());
        shell_command(ctx, line, &piped, depth);
    } else if !args.is_empty() {
        ctx.add(
            Mutating,
            format!("sql: {} writes query output to a file", snippet(line)),
        );
    } else {
        ctx.add(Read, format!("sql: {} sets output", snippet(line)));
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
                return shell_command(ctx, line, cmd, depth);
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

/// A sqlite3 dot-command (`.shell`, `.read`, `.output`).
fn dot_command(ctx: &mut Ctx, line: &str, dot: &str, depth: usize) {
    let (name, args) = dot.split_once(char::is_whitespace).unwrap_or((dot, ""));
    let args = args.trim();
    let (e, why): (Effect, &str) = match name {
        "shell" | "system" => return shell_command(ctx, line, args, depth),
        "output" | "once" => return output(ctx, line, args, depth),
        "read" => (Destructive, "runs a SQL file whose content is not visible"),
        "restore" => (Destructive, "overwrites the database from a file"),
        "load" => (Admin, "loads native code into the database"),
        "import" | "save" | "backup" | "clone" | "excel" | "open" => {
            (Mutating, "reads or writes a database file")
        }
        "tables" | "schema" | "indexes" | "indices" | "headers" | "mode" | "width" | "help"
        | "databases" | "dbinfo" | "show" | "timer" | "nullvalue" | "separator" | "print"
        | "quit" | "exit" | "fullschema" | "stats" | "changes" | "echo" | "eqp" | "explain"
        | "bail" | "lint" | "parameter" | "prompt" | "scanstats" | "timeout" | "version" => {
            (Read, "is a client setting or a read")
        }
        _ => (Mutating, "is a dot-command this analyser does not know"),
    };
    ctx.add(e, format!("sql: {} {why}", snippet(line)));
}
