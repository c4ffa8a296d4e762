//! Interpreter code (`python -c`, `node -e`, `perl -e`, `ruby -e`, a `code` field, a MongoDB
//! `--eval`, a Redis command): destructive library calls are looked up by name, string
//! literals that look like commands or SQL are analysed as such (`os.system("rm -rf x")`,
//! `cursor.execute("DROP TABLE t")`), and code that runs commands it builds at run time
//! counts as destructive. Running code at all is at least mutating.

mod allow;
mod chains;
mod doors;
mod effects;
mod environ;
mod exhaust;
pub(crate) mod fences;
mod folded;
mod golang;
mod indirect;
mod ipython;
mod lex;
mod others;
mod protect;
mod prove;

use lex::Lang;

use super::{Ctx, Hint, analyse_text, catalogue, shell, snippet, sql};
use crate::Effect::{self, Admin, Destructive, Mutating, Read};

/// Library calls and what they do.
pub(super) const CALLS: &[(&str, Effect, &str)] = &[
    ("shutil.rmtree", Destructive, "removes a directory tree"),
    ("os.remove", Destructive, "deletes files"),
    ("os.unlink", Destructive, "deletes files"),
    ("os.rmdir", Destructive, "removes directories"),
    ("os.removedirs", Destructive, "removes directories"),
    (".unlink(", Destructive, "deletes files"),
    (".rmdir(", Destructive, "removes directories"),
    ("rmtree", Destructive, "removes a directory tree"),
    ("os.truncate", Destructive, "truncates files"),
    ("os.kill", Destructive, "kills processes"),
    ("process.kill", Destructive, "kills processes"),
    ("rmSync", Destructive, "deletes files"),
    ("rmdirSync", Destructive, "removes directories"),
    ("unlinkSync", Destructive, "deletes files"),
    ("fs.rm(", Destructive, "deletes files"),
    ("fs.unlink", Destructive, "deletes files"),
    ("fs.rmdir", Destructive, "removes directories"),
    ("promises.rm", Destructive, "deletes files"),
    ("truncateSync", Destructive, "truncates files"),
    ("FileUtils.rm", Destructive, "deletes files"),
    ("FileUtils.remove", Destructive, "deletes files"),
    ("File.delete", Destructive, "deletes files"),
    ("File.unlink", Destructive, "deletes files"),
    ("Dir.rmdir", Destructive, "removes directories"),
    ("Dir.delete", Destructive, "removes directories"),
    ("remove_tree", Destructive, "removes a directory tree"),
    ("unlink(", Destructive, "deletes files"),
    ("unlink ", Destructive, "deletes files"),
    ("rmdir(", Destructive, "removes directories"),
    ("Remove-Item", Destructive, "deletes files"),
    ("Stop-Process", Destructive, "kills processes"),
    ("Stop-Service", Destructive, "stops a service"),
    ("Format-Volume", Destructive, "formats a volume"),
    ("Clear-Content", Destructive, "empties files"),
    ("dropDatabase(", Destructive, "drops a database"),
    ("posix_kill", Destructive, "kills processes"),
    // A function of Node's file system or process modules chosen at run time
    // (`require("fs")[String.fromCharCode(…)]("/data")`).
    (
        "(\"fs\")[",
        Destructive,
        "calls a file system function chosen at run time",
    ),
    (
        "('fs')[",
        Destructive,
        "calls a file system function chosen at run time",
    ),
    (
        "(\"node:fs\")[",
        Destructive,
        "calls a file system function chosen at run time",
    ),
    (
        "('node:fs')[",
        Destructive,
        "calls a file system function chosen at run time",
    ),
    (
        "(\"child_process\")[",
        Destructive,
        "runs a process function chosen at run time",
    ),
    (
        "('child_process')[",
        Destructive,
        "runs a process function chosen at run time",
    ),
    (".drop(", Destructive, "drops a collection"),
    ("deleteMany(", Destructive, "deletes documents"),
    ("findOneAndDelete(", Destructive, "deletes a document"),
    (".remove(", Destructive, "deletes documents"),
    ("dropIndex", Destructive, "drops an index"),
    ("shutdownServer(", Destructive, "stops the server"),
    ("drop_all(", Destructive, "drops all tables"),
    ("drop_table", Destructive, "drops a table"),
    ("requests.delete", Destructive, "sends an HTTP DELETE"),
    ("method: 'DELETE'", Destructive, "sends an HTTP DELETE"),
    ("method: \"DELETE\"", Destructive, "sends an HTTP DELETE"),
    ("flushall", Destructive, "wipes a redis database"),
    ("flushdb", Destructive, "wipes a redis database"),
    ("dropUser(", Admin, "removes a database user"),
    ("createUser(", Admin, "creates a database user"),
    ("grantRolesToUser(", Admin, "grants roles"),
    ("revokeRolesFromUser(", Admin, "revokes roles"),
    ("updateUser(", Admin, "changes a database user"),
    ("os.chmod", Admin, "changes permissions"),
    ("os.chown", Admin, "changes ownership"),
    ("os.setuid", Admin, "changes the process user"),
    ("chmodSync", Admin, "changes permissions"),
    ("deleteOne(", Mutating, "deletes a document"),
    ("insertOne(", Mutating, "inserts documents"),
    ("insertMany(", Mutating, "inserts documents"),
    (".insert(", Mutating, "inserts documents"),
    ("updateOne(", Mutating, "updates documents"),
    ("updateMany(", Mutating, "updates documents"),
    ("replaceOne(", Mutating, "replaces a document"),
    ("bulkWrite(", Mutating, "writes documents"),
    ("createCollection(", Mutating, "creates a collection"),
    ("createIndex(", Mutating, "creates an index"),
    ("$out", Mutating, "writes an aggregation result"),
    ("$merge", Mutating, "writes an aggregation result"),
    ("Deno.remove", Destructive, "deletes files"),
    ("truncate(", Destructive, "truncates files"),
    (".Delete(", Destructive, "deletes"),
    ("os.RemoveAll", Destructive, "removes a directory tree"),
    ("os.Remove(", Destructive, "deletes files"),
    ("os.Truncate", Destructive, "truncates files"),
    ("remove_dir_all", Destructive, "removes a directory tree"),
    ("remove_file", Destructive, "deletes files"),
    ("Files.delete", Destructive, "deletes files"),
    ("deleteDirectory", Destructive, "removes a directory tree"),
    ("File.Delete(", Destructive, "deletes files"),
    ("Directory.Delete(", Destructive, "removes directories"),
    ("if_exists='replace'", Destructive, "replaces a table"),
    ("if_exists=\"replace\"", Destructive, "replaces a table"),
    ("os.WriteFile", Mutating, "writes files"),
    ("ioutil.WriteFile", Mutating, "writes files"),
    ("os.Create(", Mutating, "creates or truncates files"),
    (".to_csv(", Mutating, "writes a data file"),
    (".to_parquet(", Mutating, "writes a data file"),
    (".to_excel(", Mutating, "writes a data file"),
    (".to_json(", Mutating, "writes a data file"),
    (".to_pickle(", Mutating, "writes a data file"),
    (".to_feather(", Mutating, "writes a data file"),
    (".to_sql(", Mutating, "writes a table"),
    ("Deno.truncate", Destructive, "truncates files"),
    ("send2trash", Destructive, "deletes files"),
    ("rimraf", Destructive, "removes a directory tree"),
    ("File::Path", Destructive, "removes directory trees"),
    ("writeFile", Mutating, "writes files"),
    ("Deno.writeTextFile", Mutating, "writes files"),
    ("file_put_contents", Mutating, "writes files"),
    ("IO.write", Mutating, "writes files"),
    ("appendFile", Mutating, "writes files"),
    ("File.write", Mutating, "writes files"),
    (".write_text(", Mutating, "writes files"),
    (".write_bytes(", Mutating, "writes files"),
    ("shutil.move", Mutating, "moves files"),
    ("shutil.copy", Mutating, "copies files"),
    ("os.rename", Mutating, "renames files"),
    ("os.replace", Mutating, "replaces files"),
    ("os.makedirs", Mutating, "creates directories"),
    ("os.mkdir", Mutating, "creates directories"),
    ("requests.post", Mutating, "sends an HTTP POST"),
    ("requests.put", Mutating, "sends an HTTP PUT"),
    ("requests.patch", Mutating, "sends an HTTP PATCH"),
    ("Set-Content", Mutating, "writes files"),
    ("Out-File", Mutating, "writes files"),
    ("New-Item", Mutating, "creates files"),
];

/// Calls that run a command or evaluate code.
pub(super) const EXEC: &[&str] = &[
    "os.system",
    "subprocess",
    "os.popen",
    "os.exec",
    "os.spawn",
    "pty.spawn",
    "child_process",
    "execSync",
    "spawnSync",
    "execFile",
    "exec(",
    "spawn(",
    "system(",
    "system ",
    "Popen",
    "popen(",
    "%x(",
    "%x{",
    "qx(",
    "qx{",
    "qx/",
    "shell_exec",
    "passthru",
    "proc_open",
    "Runtime.getRuntime",
    "eval(",
    "Invoke-Expression",
    "iex ",
    "Start-Process",
    "ProcessBuilder",
    "Deno.run",
    "Bun.spawn",
    "Deno.Command",
    "exec.Command",
    "IO.popen",
    "Open3",
    "exec ",
    "compile(",
    "__import__",
    "importlib",
    // IPython's kernel API runs shell and magics (`get_ipython().getoutput('rm …')`).
    "getoutput(",
    "run_cell_magic(",
    "run_line_magic(",
    // Library calls that run a string as Python (`timeit.timeit("…")`) or as a command
    // (`pydoc.pipepager(text, "cmd")`).
    "timeit(",
    "timeit.repeat(",
    "pipepager(",
    "runsource(",
    "runcode(",
    "InteractiveInterpreter",
    "InteractiveConsole",
    // Ruby's and Perl's `eval` of a string literal without parentheses.
    "eval \"",
    "eval '",
];

/// Decoders whose output, when run, is code that cannot be seen.
const DECODERS: &[&str] = &[
    "b64decode",
    "atob(",
    "base64",
    "decode64",
    "unpack(",
    "fromCharCode",
    "codecs.decode",
    "bytes.fromhex",
    "unhexlify",
    // Perl's `pack("H*", "…")` turns hex into text.
    "pack(\"H",
    "pack('H",
];

/// String literals of source code (single, double, back and triple quotes).
pub(crate) fn literals(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = code.chars().collect();
    let mut i = 0usize;
    while let Some(&c) = chars.get(i) {
        if c == '#' && chars.get(i + 1) != Some(&'{') {
            // A comment in python, ruby, perl, shell.
            while chars.get(i).is_some_and(|&c| c != '\n') {
                i += 1;
            }
            continue;
        }
        if !matches!(c, '\'' | '"' | '`') {
            i += 1;
            continue;
        }
        let triple = chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c);
        i += if triple { 3 } else { 1 };
        let mut lit = String::new();
        while let Some(&d) = chars.get(i) {
            if d == '\\' {
                if let Some(&n) = chars.get(i + 1) {
                    lit.push(match n {
                        'n' => '\n',
                        't' => '\t',
                        other => other,
                    });
                }
                i += 2;
                continue;
            }
            if d == c && (!triple || (chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c)))
            {
                i += if triple { 3 } else { 1 };
                break;
            }
            lit.push(d);
            i += 1;
        }
        out.push(lit);
    }
    out
}

/// The language a tool's name gives its code (`run_python`, `node_eval`, `go_run`).
pub(crate) fn tool_lang(words: &[String]) -> Option<&'static str> {
    words.iter().find_map(|w| match w.as_str() {
        "python" | "python3" | "py" | "ipython" | "jupyter" | "notebook" | "ipynb" => {
            Some("python")
        }
        "node" | "nodejs" | "javascript" | "js" | "deno" | "bun" | "typescript" | "ts" => {
            Some("js")
        }
        // Rails runners and consoles run Ruby (`rails_runner`, `rake`, `irb`, `pry`).
        "ruby" | "rails" | "rake" | "irb" | "pry" | "rb" => Some("ruby"),
        "perl" => Some("perl"),
        "php" => Some("php"),
        "go" | "golang" => Some("go"),
        // An AppleScript tool (`run_applescript`, `applescript_execute`) runs AppleScript.
        "applescript" | "osascript" => Some("applescript"),
        _ => None,
    })
}

/// Analyses code in `lang` (empty: unknown language).
pub(crate) fn analyse(ctx: &mut Ctx, lang: &str, code: &str, depth: usize) {
    if !ctx.deeper(depth) {
        return;
    }
    fences::analyse(ctx, code, depth);
    let l = lang.to_ascii_lowercase();
    match l.as_str() {
        "bash" | "sh" | "shell" | "zsh" | "console" => return shell::analyse(ctx, code, depth + 1),
        "sql" | "postgres" | "postgresql" | "mysql" | "sqlite" | "psql" => {
            return sql::analyse(ctx, code, depth + 1, false);
        }
        // Windows shells have their own syntax (`\` separates paths) and command tables.
        "powershell" | "pwsh" | "ps1" => return catalogue::powershell_input(ctx, code, depth + 1),
        "cmd" | "cmd.exe" | "bat" | "batch" => return catalogue::cmd_input(ctx, code, depth + 1),
        // AppleScript is judged as `osascript -e` judges it (the review of the twenty-second
        // sets): `DO SHELL SCRIPT` in any case, Terminal's `do script`, a computed command.
        "applescript" | "osascript" if !ctx.in_osascript => {
            let argv = ["osascript".to_string(), "-e".to_string(), code.to_string()];
            ctx.in_osascript = true;
            ctx.via("AppleScript".to_string(), |ctx| {
                shell::analyse_argv(ctx, &argv, depth + 1)
            });
            ctx.in_osascript = false;
        }
        _ => {}
    }
    scan(ctx, &l, code, depth);
}

/// Scans code in `lang` (empty: unknown language) for the calls it makes.
pub(crate) fn scan(ctx: &mut Ctx, lang: &str, code: &str, depth: usize) {
    let l = lang.to_ascii_lowercase();
    let lang = if l.is_empty() { "code".to_string() } else { l };
    const MONGO_READS: &[&str] = &[
        "find(",
        "findOne(",
        "count(",
        "countDocuments(",
        "estimatedDocumentCount(",
        "aggregate(",
        "distinct(",
        "getCollectionNames(",
        "stats(",
        "explain(",
        "getIndexes(",
        "limit(",
        "sort(",
        "toArray(",
        "listCollections(",
        "printjson(",
        "getSiblingDB(",
        "show ",
    ];
    let mongo_read =
        lang == "mongo" && !code.contains('=') && MONGO_READS.iter().any(|r| code.contains(r));
    let language = Lang::of(match lang.as_str() {
        "code" => ctx.code_lang.unwrap_or(""),
        l => l,
    });
    // The joined spelling of a scan's code is not folded again (a fold that does not reach a
    // fixed point would judge the code once per level of depth).
    let joined = ctx
        .folded
        .as_ref()
        .is_some_and(|(d, c, _)| *d == depth && c == code);
    let lx = lex::lex(language, code);
    let calls = chains::chains(&lx, language);
    // Names are matched outside string literals and comments (`print("rm -rf")` names
    // nothing), except in code that runs strings (`exec("os.remove(x)")`).
    let blanked = lex::blank(code, &lx);
    environ::analyse(ctx, language, code, &blanked, depth);
    let exhausts = exhaust::exhausts(code, &blanked);
    let memory = super::args::code_reads_memory(code);
    if mongo_read {
        ctx.add(Read, format!("code: {} reads documents", snippet(code)));
    } else if exhausts.is_none() && !memory && proven(ctx, language, code, &lx, &calls, depth) {
        ctx.add(
            Read,
            format!(
                "code: {} only computes, prints and reads (every call is on the {language:?} read list)",
                snippet(code)
            ),
        );
        if !joined {
            folded::judge(ctx, &lang, code, depth, Vec::new());
        }
        return;
    } else {
        ctx.add(Mutating, format!("code: runs {lang} code"));
    }
    if memory {
        ctx.add(
            Destructive,
            "code: reads physical or kernel memory (every secret in it)",
        );
    }
    if let Some(why) = exhausts {
        ctx.add(Mutating, format!("code: {why}"));
    }
    effects::effects(ctx, language, &lx, &calls);
    protect::protection(ctx, &lx, &calls);
    // Perl's and Ruby's pipe opens run a command (`open(F, "|rm -rf /srv")`,
    // `IO.read("|cmd")`, `open("cmd|")`); Perl's `+>` truncates what it opens.
    if matches!(language, Lang::Perl | Lang::Ruby) {
        let lits = literals(code);
        for (i, l) in lits.iter().enumerate() {
            let l = l.trim();
            // A three-argument open (`open my $f, "-|", "rm -rf /data"`): the mode is its own
            // literal and the command the next one.
            let after_mode = i
                .checked_sub(1)
                .and_then(|p| lits.get(p))
                .is_some_and(|m| matches!(m.trim(), "-|" | "|-"));
            let piped = l
                .strip_prefix("-|")
                .or_else(|| l.strip_prefix('|'))
                .or_else(|| l.strip_suffix('|'))
                .or(after_mode.then_some(l))
                .filter(|c| !c.trim().is_empty());
            if let Some(cmd) = piped {
                ctx.add(Mutating, "code: a pipe open runs a command");
                ctx.via("a pipe open", |ctx| shell::analyse(ctx, cmd, depth + 1));
            }
            if let Some(path) = l.strip_prefix("+>").map(str::trim)
                && let Some((e, why)) = super::args::write_risk(path, false)
            {
                ctx.add(
                    e.max(Mutating),
                    format!("code: opens `{path}` truncated, {why}"),
                );
            }
        }
    }
    // Notebook shell escapes (`!rm -rf x`, `%%bash`, automagic `rm -rf x`) and, in code of
    // unknown language, lines that are command lines.
    ipython::analyse_lines(ctx, &lang, language, code, depth);
    let mark = ctx.mark();
    let expanded = indirect::expand(code);
    let blanked_expanded = indirect::expand_from(code, &blanked);
    let execs = EXEC
        .iter()
        .chain(others::EXEC)
        .any(|x| blanked.contains(x) || blanked_expanded.contains(x))
        || (lang == "ruby" || lang == "perl") && code.contains('`')
        || doors::runs_strings(&lang, language, code, &blanked)
        || lx.toks.iter().any(|t| matches!(t, lex::Tok::Exec(_)));
    let (names, names_expanded) = if execs {
        (code, expanded.as_str())
    } else {
        (blanked.as_str(), blanked_expanded.as_str())
    };
    for (needle, e, what) in CALLS.iter().chain(others::CALLS) {
        let quoted = needle.contains(['\'', '"']);
        let found = if quoted {
            code.contains(needle) || expanded.contains(needle)
        } else if *needle == ".drop(" {
            // A data frame's `drop(columns=…)` works on memory; a collection's `drop()` does not.
            names.split(needle).skip(1).any(|rest| {
                let args = rest.split(')').next().unwrap_or("");
                !["columns", "axis", "index", "labels", "inplace"]
                    .iter()
                    .any(|k| args.contains(&format!("{k}=")))
            })
        } else {
            names.contains(needle) || names_expanded.contains(needle)
        };
        if found {
            ctx.add(
                *e,
                format!("code: `{}` {what}", needle.trim_end_matches(['(', ' '])),
            );
        }
    }
    truncation(ctx, code);
    if expanded != code {
        truncation(ctx, &expanded);
    }
    indirect::callables(ctx, code);
    indirect::exfiltration(ctx, code);
    indirect::reverse_shell(ctx, code);
    indirect::fetched_deserialise(ctx, code);
    indirect::computed_builtins(ctx, language, code);
    let decodes = DECODERS.iter().any(|d| code.contains(d));
    // The joined spelling leaves the literals this scan judges below to it (a string run as
    // code would be judged once per level of nesting and spelling: exponential).
    let lits = literals(code);
    let judged = if joined {
        ctx.folded.take().map(|(_, _, l)| l).unwrap_or_default()
    } else {
        let judged = if execs { lits.clone() } else { Vec::new() };
        folded::judge(ctx, &lang, code, depth, judged);
        Vec::new()
    };
    let lit_mark = ctx.mark();
    let mut left = false;
    for lit in lits {
        if !ctx.tick(1) {
            break;
        }
        if judged.contains(&lit) {
            left = true;
            continue;
        }
        let t = lit.trim();
        // `compile(src, name, "exec")`: a mode, not a command (and as one it runs nothing),
        // so it does not stand for what the code runs.
        if t.len() < 2
            || ["exec", "eval", "single"]
                .iter()
                .any(|m| t.eq_ignore_ascii_case(m))
        {
            continue;
        }
        if let Some(decoded) = (t.len() >= 12 && !t.contains(' '))
            .then(|| super::tools::base64_decode(t))
            .flatten()
            .filter(|d| d.chars().all(|c| !c.is_control() || c == '\n') && d.contains(' '))
        {
            ctx.via("a base64 literal", |ctx| {
                analyse_text(ctx, &decoded, Hint::None, depth + 1)
            });
        }
        // A string that looks like SQL is judged as SQL even in code that runs strings (the
        // review of the twenty-third sets: a door such as `new Function(…)` elsewhere in the
        // code made `"VACUUM; TRUNCATE users"` a command line only, and mutating), and SQL
        // behind a first statement the sniffer skips (`"XA RECOVER; DROP TABLE users"`) too.
        for hint in [Hint::Sql, Hint::None] {
            // In code that runs strings, a single word is a command or an argument
            // (`['sleep', '1']`), not a statement.
            let sql_text = || {
                (sql::looks_like_sql(t) || super::query_text::hidden_sql(t))
                    && (!execs || t.contains(char::is_whitespace))
            };
            if hint == Hint::Sql && sql_text() || hint == Hint::None && execs {
                ctx.via(format!("a string in {lang} code"), |ctx| {
                    analyse_text(ctx, t, hint, depth + 1)
                });
            }
        }
        // A string that code runs (`exec("…")`, `eval "…"`) is also code of the language.
        // Languages that are not lexed but are named (`r`, `lua`) are scanned as such.
        if execs
            && t.contains('(')
            && (language != Lang::Other || !matches!(lang.as_str(), "code" | "other"))
        {
            ctx.via(format!("a string run as {lang} code"), |ctx| {
                analyse(ctx, &lang, t, depth + 1)
            });
        }
    }
    if execs {
        // `subprocess.run(['rm', '-rf', x])`, `spawn('rm', ['-rf', x])`: argument vectors.
        for argv in string_arrays(code) {
            ctx.via(format!("an argument list in {lang} code"), |ctx| {
                shell::analyse_argv(ctx, &argv, depth + 1)
            });
        }
    }
    if execs && decodes {
        ctx.add(
            Destructive,
            format!("code: {lang} code decodes data and runs it"),
        );
    } else if execs && !left && ctx.max_since(lit_mark).is_none() {
        ctx.add(
            Destructive,
            format!("code: {lang} code runs a command it builds at run time"),
        );
    }
    let _ = mark;
}

/// True if the code is proven read and the commands and SQL the proof leaves are read too.
/// Notebook shell escapes (`!ls -la`, a `%%bash` cell, `%sx cmd`) are commands; the rest of
/// the cell is proven as Python.
fn proven(
    ctx: &mut Ctx,
    language: Lang,
    code: &str,
    lx: &lex::Lexed,
    calls: &[chains::Chain],
    depth: usize,
) -> bool {
    let mut needs = Vec::new();
    let one_line = ipython::single_line(code);
    let escapes = language == Lang::Python
        && ipython::py_lines(code)
            .any(|l| ipython::line(l, one_line).is_some() || ipython::cell_magic(l).is_some());
    let result = if escapes {
        let Some((rest, shell)) = ipython::split(code) else {
            return false;
        };
        needs.extend(shell.into_iter().map(prove::Need::Shell));
        let lx2 = lex::lex(language, &rest);
        let calls2 = chains::chains(&lx2, language);
        prove::prove(language, &rest, &lx2, &calls2)
    } else {
        prove::prove(language, code, lx, calls)
    };
    let Ok(more) = result else { return false };
    needs.extend(more);
    let mark = ctx.mark();
    for need in needs {
        match need {
            prove::Need::Argv(argv) => ctx.via("an argument list the code runs", |ctx| {
                shell::analyse_argv(ctx, &argv, depth + 1)
            }),
            prove::Need::Sql(text) => ctx.via("SQL the code runs", |ctx| {
                sql::analyse(ctx, &text, depth + 1, false)
            }),
            prove::Need::Shell(text) => ctx.via("a notebook shell escape", |ctx| {
                shell::analyse(ctx, &text, depth + 1)
            }),
        }
    }
    ctx.max_since(mark).is_none_or(|e| e == Read)
}

/// Opening a file for writing truncates it: destructive when nothing is written to it
/// afterwards (`open(f, 'w')`, `open(f, 'w').write('')`, `fs.writeFileSync(f, '')`),
/// mutating when content is.
fn truncation(ctx: &mut Ctx, code: &str) {
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let opens = [
        "'w')",
        "\"w\")",
        "'wb')",
        "\"wb\")",
        "'w+')",
        "\"w+\")",
        "'w',",
        "\"w\",",
        "'wb',",
        "\"wb\",",
        "mode='w'",
        "mode=\"w\"",
    ];
    let perl_opens = [
        "'>',",
        "\">\",",
        "open(FH,\">",
        "open(my$fh,\">",
        "open(F,\">",
    ];
    let truncating_open = opens.iter().any(|o| compact.contains(o))
        || perl_opens.iter().any(|o| compact.contains(o))
        || compact.contains("fopen(") && (compact.contains(",'w')") || compact.contains(",\"w\")"));
    let writes_empty = [
        "''",
        "\"\"",
        "``",
        "b''",
        "b\"\"",
        "[]byte{}",
        "[]byte(\"\")",
        "nil",
    ]
    .iter()
    .any(|e| {
        [
            ".write(",
            "writeFileSync(",
            "writeFile(",
            "File.write(",
            "file_put_contents(",
            ".write_text(",
            ".write_bytes(",
            "WriteFile(",
            "WriteAllText(",
            "WriteAllBytes(",
        ]
        .iter()
        .any(|w| {
            compact.split(w).skip(1).any(|rest| {
                [")", ","]
                    .iter()
                    .any(|end| rest.starts_with(&format!("{e}{end}")))
                    || rest.contains(&format!(",{e})"))
                    || rest.contains(&format!(",{e},"))
            })
        })
    });
    // An empty frame written to a file (`pd.DataFrame().to_csv(f)`,
    // `pd.DataFrame(columns=['a']).to_parquet(f)`, `df.head(0).to_csv(f)`), an empty object
    // dumped (`json.dump({}, f)`) or `/dev/null` copied over a file empties it.
    let empty_frame = compact.split("DataFrame(").skip(1).any(|rest| {
        rest.split_once(')').is_some_and(|(args, after)| {
            matches!(args, "" | "[]" | "{}") || args.starts_with("columns=") && !args.contains("data=")
        } && after.starts_with(".to_"))
    }) || compact.contains(".head(0).to_")
        || compact.contains("[0:0].to_")
        || ["json.dump(", "yaml.dump(", "yaml.safe_dump("].iter().any(|d| {
            ["{}", "[]", "None", "''", "\"\""]
                .iter()
                .any(|e| compact.contains(&format!("{d}{e},")))
        })
        || (compact.contains("'/dev/null'") || compact.contains("\"/dev/null\""))
            && ["copy", "copyfile", "copyFile", "FileUtils.cp", "File.Copy"]
                .iter()
                .any(|c| compact.contains(c));
    let writes = [
        ".write(",
        "json.dump(",
        "file=",
        "pickle.dump",
        ".puts",
        "fwrite(",
        "fputs(",
        "print$fh",
        "printFH",
        "yaml.dump(",
    ]
    .iter()
    .any(|w| compact.contains(w));
    if writes_empty || empty_frame || (truncating_open && !writes) {
        ctx.add(
            Destructive,
            "code: opens a file for writing without writing to it, which truncates it",
        );
    } else if truncating_open {
        ctx.add(Mutating, "code: overwrites a file");
    }
}

/// Lists and call arguments of two or more string literals only (`['rm', '-rf', '/x']`).
fn string_arrays(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    // Lists (`['rm', '-rf', x]`) and a call's arguments (Ruby's `system("kubectl", "delete",
    // …)`, Node's `execFileSync("rm", …)` spelled without a list).
    let lists = code.split('[').skip(1).filter_map(|p| p.split_once(']'));
    let calls = code.split('(').skip(1).filter_map(|p| p.split_once(')'));
    for (inside, _) in lists.chain(calls) {
        let items: Vec<&str> = inside.split(',').map(str::trim).collect();
        let argv: Vec<String> = items
            .iter()
            .filter_map(|i| {
                let q = i.chars().next()?;
                (matches!(q, '\'' | '"' | '`') && i.len() >= 2 && i.ends_with(q))
                    .then(|| i.get(1..i.len() - 1).map(str::to_string))
                    .flatten()
            })
            .collect();
        if argv.len() >= 2 && argv.len() == items.len() {
            out.push(argv);
        }
    }
    out
}

/// A Redis expiry of an existing key that removes it at once: at most one second (1,000 ms;
/// a rate limiter's `EXPIRE k 60` is not one), or an absolute time before 2001.
fn expires_at_once(first: &str, words: &[String]) -> bool {
    let num = |w: Option<&String>| w.and_then(|w| w.parse::<i64>().ok());
    match first {
        "EXPIRE" => num(words.get(2)).is_some_and(|s| s <= 1),
        "PEXPIRE" => num(words.get(2)).is_some_and(|s| s <= 1_000),
        "EXPIREAT" => num(words.get(2)).is_some_and(|s| s < 1_000_000_000),
        "PEXPIREAT" => num(words.get(2)).is_some_and(|s| s < 1_000_000_000_000),
        _ => words.windows(2).any(|w| match w {
            [o, v] if o == "EX" => v.parse::<i64>().is_ok_and(|s| s <= 1),
            [o, v] if o == "EXAT" => v.parse::<i64>().is_ok_and(|s| s < 1_000_000_000),
            [o, v] if o == "PX" => v.parse::<i64>().is_ok_and(|s| s <= 1_000),
            [o, v] if o == "PXAT" => v.parse::<i64>().is_ok_and(|s| s < 1_000_000_000_000),
            _ => false,
        }),
    }
}

/// One Redis command line.
pub(crate) fn redis_command(line: &str) -> (Effect, String) {
    let words: Vec<String> = line
        .split_whitespace()
        .map(|w| w.trim_matches(['"', '\'']).to_ascii_uppercase())
        .collect();
    let first = words.first().map(String::as_str).unwrap_or("");
    let second = words.get(1).map(String::as_str).unwrap_or("");
    match (first, second) {
        ("FLUSHALL" | "FLUSHDB", _) => (Destructive, "wipes the database".into()),
        (
            "DEL" | "UNLINK" | "GETDEL" | "HDEL" | "SREM" | "ZREM" | "LREM" | "LTRIM" | "XDEL"
            | "XTRIM" | "ZREMRANGEBYSCORE" | "ZREMRANGEBYRANK" | "ZREMRANGEBYLEX" | "SHUTDOWN"
            | "SWAPDB" | "MIGRATE" | "DEBUG" | "LPOP" | "RPOP" | "SPOP" | "ZPOPMIN" | "ZPOPMAX",
            _,
        ) => (
            Destructive,
            format!("deletes data (`{}`)", first.to_ascii_lowercase()),
        ),
        // Modules' deletions: a search index (with `DD`, its documents), a JSON document or
        // path, a graph, a time series' samples, a cuckoo filter's item.
        (
            "FT.DROPINDEX" | "FT.DROP" | "FT._DROPINDEXIFX" | "FT._DROPIFX" | "FT.ALIASDEL"
            | "FT.DICTDEL" | "JSON.DEL" | "JSON.FORGET" | "JSON.CLEAR" | "GRAPH.DELETE" | "TS.DEL"
            | "TS.DELETERULE" | "CF.DEL",
            _,
        ) => (
            Destructive,
            format!("deletes data (`{}`)", first.to_ascii_lowercase()),
        ),
        // A graph query that deletes nodes or edges (`MATCH (n) DETACH DELETE n`).
        ("GRAPH.QUERY", _) if words.iter().any(|w| w == "DELETE") => (
            Destructive,
            "deletes graph nodes (`graph.query … delete`)".into(),
        ),
        ("SCRIPT" | "FUNCTION", "FLUSH" | "DELETE")
        | ("CLIENT", "KILL")
        | ("CLUSTER", "RESET" | "FORGET" | "FLUSHSLOTS" | "DELSLOTS") => (
            Destructive,
            format!(
                "`{} {}` removes state",
                first.to_ascii_lowercase(),
                second.to_ascii_lowercase()
            ),
        ),
        ("CONFIG", "SET" | "REWRITE" | "RESETSTAT")
        | ("ACL", "SETUSER" | "DELUSER" | "LOAD" | "SAVE")
        | ("MODULE", "LOAD" | "UNLOAD")
        | ("SLAVEOF" | "REPLICAOF" | "FAILOVER", _) => (
            Admin,
            format!(
                "`{} {}` changes server configuration or access",
                first.to_ascii_lowercase(),
                second.to_ascii_lowercase()
            ),
        ),
        // A key that expires at once (`EXPIRE users 0`, `PEXPIRE k 1`, `EXPIREAT k 1`,
        // `GETEX k EX 1`), or a key written over another (`RENAME tmp users`, `COPY a b
        // REPLACE`, `SINTERSTORE users empty users`).
        ("EXPIRE" | "PEXPIRE" | "EXPIREAT" | "PEXPIREAT" | "GETEX", _)
            if expires_at_once(first, &words) =>
        {
            (
                Destructive,
                format!("`{}` expires the key at once", first.to_ascii_lowercase()),
            )
        }
        (
            "RENAME" | "SINTERSTORE" | "SUNIONSTORE" | "SDIFFSTORE" | "ZINTERSTORE" | "ZUNIONSTORE"
            | "ZDIFFSTORE" | "ZRANGESTORE" | "BITOP",
            _,
        ) => (
            Destructive,
            format!(
                "`{}` writes over a key that may exist",
                first.to_ascii_lowercase()
            ),
        ),
        ("COPY", _) if words.iter().any(|w| w == "REPLACE") => {
            (Destructive, "`copy … replace` writes over a key".into())
        }
        ("SENTINEL", "REMOVE" | "RESET" | "FAILOVER" | "SET" | "MONITOR" | "CONFIG") => (
            Admin,
            format!(
                "`sentinel {}` changes failover",
                second.to_ascii_lowercase()
            ),
        ),
        ("EVAL" | "EVALSHA" | "FCALL" | "EVAL_RO", _) => {
            let lower = line.to_ascii_lowercase();
            if [
                "flushall",
                "flushdb",
                "'del'",
                "\"del\"",
                "unlink",
                "shutdown",
                "json.del",
                "json.forget",
                "ft.drop",
                "graph.delete",
            ]
            .iter()
            .any(|x| lower.contains(x))
            {
                (Destructive, "runs a script that deletes data".into())
            } else if lower.contains("..")
                || lower.contains("string.char")
                || lower.contains("loadstring")
            {
                // `redis.call('FLUSH'..'DB')`: a command name built at run time.
                (
                    Destructive,
                    "runs a script that builds its commands at run time".into(),
                )
            } else {
                (Mutating, "runs a script".into())
            }
        }
        (
            "GET" | "MGET" | "KEYS" | "SCAN" | "INFO" | "PING" | "TTL" | "PTTL" | "TYPE" | "EXISTS"
            | "HGET" | "HGETALL" | "HMGET" | "HKEYS" | "HVALS" | "HLEN" | "HEXISTS" | "HSCAN"
            | "LRANGE" | "LLEN" | "LINDEX" | "SMEMBERS" | "SCARD" | "SISMEMBER" | "SSCAN"
            | "ZRANGE" | "ZRANGEBYSCORE" | "ZSCORE" | "ZCARD" | "ZCOUNT" | "ZREVRANGE" | "ZRANK"
            | "ZSCAN" | "DBSIZE" | "STRLEN" | "GETRANGE" | "XRANGE" | "XREVRANGE" | "XLEN"
            | "XREAD" | "XINFO" | "MONITOR" | "SLOWLOG" | "MEMORY" | "OBJECT" | "RANDOMKEY"
            | "TIME" | "LASTSAVE" | "ROLE" | "COMMAND" | "ECHO" | "SELECT" | "AUTH" | "HELLO"
            | "PFCOUNT" | "BITCOUNT" | "GETBIT" | "GEOPOS" | "GEODIST" | "LATENCY" | "QUIT",
            _,
        )
        | ("CONFIG", "GET")
        | ("CLIENT", "LIST" | "INFO" | "GETNAME" | "ID")
        | ("ACL", "LIST" | "WHOAMI" | "USERS" | "GETUSER" | "CAT")
        | ("CLUSTER", "INFO" | "NODES" | "SLOTS" | "SHARDS") => (Read, "reads".into()),
        _ => (
            Mutating,
            format!(
                "writes (`{}`)",
                snippet(first).trim_matches('`').to_ascii_lowercase()
            ),
        ),
    }
}

#[cfg(test)]
mod tests;
