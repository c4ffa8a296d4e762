//! Database clients: their SQL (from `-c`, `-e`, arguments, heredocs, here-strings and pipes)
//! goes to the SQL analyser, their meta-commands (`\!`, `\i`, `\copy … program`, `.shell`,
//! `.read`) are judged here, and SQL from a file or a stream that cannot be seen counts as
//! destructive unless proven otherwise.

mod data_loss;
mod sqlplus;

use super::args::{first_operand, has_long, has_short, opt_value, opt_values, write_risk};
use super::code;
use super::shell::{Input, Sh};
use crate::Effect::{Admin, Destructive, Mutating, Read};

/// Which text a client runs.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Lang {
    Psql,
    Mysql,
    Sqlite,
    Redis,
    Mongo,
    SqlPlus,
    Sql,
}

pub(crate) fn run(sh: &mut Sh, name: &str, args: &[String], stdin: &Input, cmd: &str) {
    let lang = match name {
        "psql" => Lang::Psql,
        "mysql" | "mariadb" => Lang::Mysql,
        "sqlite3" | "sqlite" | "duckdb" => Lang::Sqlite,
        "redis-cli" | "valkey-cli" | "keydb-cli" => Lang::Redis,
        "mongosh" | "mongo" => Lang::Mongo,
        "sqlplus" => Lang::SqlPlus,
        _ => Lang::Sql,
    };
    if args
        .iter()
        .any(|a| matches!(a.as_str(), "--version" | "-V" | "--help" | "-?"))
        && args.len() == 1
    {
        sh.add(Read, format!("{cmd} prints its version"));
        return;
    }
    if name == "bq" {
        let i = first_operand(
            args,
            &["--project_id", "--location", "--format", "--dataset_id"],
        );
        let verb = args.get(i).map_or("", String::as_str);
        // Flags before the query text (one after it may be part of the text).
        let text_at = args
            .iter()
            .enumerate()
            .skip(i + 1)
            .find(|(_, a)| !a.starts_with('-'))
            .map_or(args.len(), |(at, _)| at);
        // `--dry_run` counts when nothing before it can take it as a value (`--job_id
        // --dry_run` gives the job that name): every flag before it is `--x=v`, a switch, or
        // an option known to take the next word.
        const SWITCHES: &[&str] = &[
            "use_legacy_sql",
            "nouse_legacy_sql",
            "batch",
            "nobatch",
            "quiet",
            "q",
            "headless",
        ];
        const VALUED: &[&str] = &["project_id", "location", "format", "dataset_id"];
        let mut dry = false;
        let mut value_next = false;
        for (k, a) in args.iter().enumerate().take(text_at) {
            if k == i || std::mem::take(&mut value_next) || !a.starts_with('-') {
                continue;
            }
            let f = a.trim_start_matches('-');
            if f == "dry_run" || f == "dry_run=true" {
                dry = true;
                break;
            }
            if VALUED.contains(&f) {
                value_next = true;
            } else if !f.contains('=') && !SWITCHES.contains(&f) {
                break;
            }
        }
        // Any spelling that could turn it off, anywhere.
        let off = args.iter().any(|a| {
            let f = a.trim_start_matches('-');
            f.starts_with("nodry")
                || f.starts_with("dry-run")
                || f.starts_with("flagfile")
                || (f.starts_with("dry_run=") && f != "dry_run=true")
        });
        let judged = match verb {
            "rm" => Some((Destructive, "deletes datasets, tables or jobs")),
            // `bq cp -f`, `bq load --replace`: the destination table is overwritten.
            "cp" | "load"
                if args.iter().any(|a| {
                    matches!(
                        a.as_str(),
                        "-f" | "--force" | "--replace" | "--replace=true" | "--force=true"
                    )
                }) =>
            {
                Some((Destructive, "overwrites a table"))
            }
            "ls" | "show" | "head" | "help" | "version" | "wait" | "get-iam-policy" | "" => {
                Some((Read, "reads"))
            }
            "set-iam-policy" | "add-iam-policy-binding" | "remove-iam-policy-binding" => {
                Some((Admin, "changes access"))
            }
            // `--dry_run` validates the query and runs nothing (`--nodry_run` turns it off).
            // bq's flags take one dash or two (`-nodry_run`); a flag file may turn it off.
            "query" if dry && !off => Some((Read, "validates a query without running it")),
            "query" | "update" if data_loss::bq(verb, args).is_some() => data_loss::bq(verb, args),
            "query" => None,
            _ => Some((Mutating, "changes datasets or tables")),
        };
        if let Some((e, why)) = judged {
            sh.add(e, format!("{cmd} {why} (`bq {verb}`)"));
            return;
        }
    }
    let mut texts: Vec<String> = Vec::new();
    let mut files: Vec<String> = Vec::new();
    match lang {
        Lang::Psql => {
            let mut it = args.iter().peekable();
            while let Some(a) = it.next() {
                if a == "-c" || a == "--command" {
                    texts.extend(it.next().cloned());
                } else if let Some(v) = a.strip_prefix("--command=") {
                    texts.push(v.to_string());
                } else if a == "-f" || a == "--file" {
                    files.extend(it.next().cloned());
                } else if let Some(v) = a.strip_prefix("--file=") {
                    files.push(v.to_string());
                } else if let Some((letter, v)) = psql_cluster(a) {
                    // `-tAc 'DROP …'`, `-Xc…`: flags that take no value, then `c` or `f`
                    // (the twenty-first sets).
                    let value = if v.is_empty() {
                        it.next().cloned()
                    } else {
                        Some(v.to_string())
                    };
                    if letter == 'c' {
                        texts.extend(value);
                    } else {
                        files.extend(value);
                    }
                } else if let Some(v) = a.strip_prefix("-c").filter(|v| !v.is_empty()) {
                    texts.push(v.to_string());
                } else if let Some(v) = a.strip_prefix("-f").filter(|v| !v.is_empty()) {
                    files.push(v.to_string());
                }
            }
            if has_short(args, 'l') || has_long(args, "--list") {
                sh.add(Read, format!("{cmd} lists databases"));
                return;
            }
            if let Some(f) = opt_value(args, &["-L"], &["--log-file"]) {
                writes_file(sh, cmd, f, "a session log");
            }
            match opt_value(args, &["-o"], &["--output"]) {
                Some(pipe) if pipe.starts_with('|') => {
                    sh.shell_text(pipe.trim_start_matches('|'), "`psql -o |`");
                }
                Some(_) => sh.add(Mutating, format!("{cmd} writes query output to a file")),
                None => {}
            }
        }
        Lang::Mysql => {
            let spelled = mysql_long_options(args);
            let args = spelled.as_slice();
            texts.extend(
                opt_values(args, &["-e"], &["--execute"])
                    .into_iter()
                    .map(str::to_string),
            );
            // Run on connecting, before the query.
            texts.extend(
                opt_values(args, &[], &["--init-command", "--init-command-add"])
                    .into_iter()
                    .map(str::to_string),
            );
            // An option file may set `init-command` (SQL run on connecting); it is not seen.
            if let Some(f) = opt_value(args, &[], &["--defaults-file", "--defaults-extra-file"]) {
                sh.add(
                    Mutating,
                    format!("{cmd} reads options from `{f}`, which may run SQL on connecting"),
                );
            }
            if let Some(pager) = opt_value(args, &[], &["--pager"]) {
                sh.shell_text(pager, "`mysql --pager`");
            }
            // A client plugin loaded from a directory runs its code in the client.
            if let Some(dir) = opt_value(args, &[], &["--plugin-dir"]) {
                sh.add(
                    Mutating,
                    format!("{cmd} loads client plugins from `{dir}` (code not seen)"),
                );
            }
            // `LOAD DATA LOCAL` allowed: the server may ask for any file the client can read.
            let local = |a: &String| {
                a == "--local-infile"
                    || a.strip_prefix("--local-infile=")
                        .is_some_and(|v| !matches!(v, "0" | "OFF" | "off" | "FALSE" | "false"))
                    || a.starts_with("--load-data-local-dir")
            };
            if args.iter().any(local) {
                sh.add(
                    Mutating,
                    format!("{cmd} lets the server read local files (`LOAD DATA LOCAL`)"),
                );
            }
            if opt_value(args, &["-T"], &["--tee"]).is_some() {
                sh.add(
                    Mutating,
                    format!("{cmd} writes its output to a file (`--tee`)"),
                );
            }
        }
        Lang::Sqlite => {
            texts.extend(opt_value(args, &["-cmd"], &["--cmd"]).map(str::to_string));
            files.extend(opt_value(args, &["-init"], &["--init"]).map(str::to_string));
            let i = first_operand(
                args,
                &[
                    "-cmd",
                    "-init",
                    "-separator",
                    "-newline",
                    "-nullvalue",
                    "-vfs",
                    "-maxsize",
                    "-mmap",
                    "-pagecache",
                    "-lookaside",
                    "-heap",
                    "-c",
                ],
            );
            if name == "duckdb" {
                // `duckdb FILE -c SQL`: the option and its value after the file are not
                // statements of their own (the twenty-second sets: `-c` was judged as SQL).
                let mut rest = args.get(i + 1..).unwrap_or_default().iter();
                while let Some(a) = rest.next() {
                    if a == "-c" || a == "-cmd" {
                        rest.next();
                    } else {
                        texts.push(a.clone());
                    }
                }
                texts.extend(
                    opt_values(args, &["-c"], &[])
                        .into_iter()
                        .map(str::to_string),
                );
            } else {
                texts.extend(args.get(i + 1..).unwrap_or_default().iter().cloned());
            }
        }
        Lang::Redis => {
            let with = [
                "-h",
                "-p",
                "-a",
                "-n",
                "-u",
                "-s",
                "-r",
                "-i",
                "-d",
                "--user",
                "--pass",
                // (`--tls` and `-e` are switches: as value flags they hid the command.)
                "--cacert",
                "--cert",
                "--key",
                "--sni",
                "--eval",
                "--pattern",
                "--count",
                "--memkeys-samples",
                "--rdb",
                "--functions-rdb",
            ];
            // `--rdb FILE` and `--functions-rdb FILE` write a dump there (the review of the
            // twenty-second sets: `keydb-cli --rdb /etc/passwd`, admin as an unknown program's
            // path before, had become a plain client call).
            for f in opt_values(args, &[], &["--rdb", "--functions-rdb"]) {
                writes_file(sh, cmd, f, "a dump of the database");
            }
            // A statistics mode reads, but not beside a script or a command (`--scan --eval
            // purge.lua`: which mode runs is not judged; the twenty-second sets).
            let alone = opt_value(args, &[], &["--eval"]).is_none()
                && first_operand(args, &with) >= args.len();
            if alone
                && (has_long(args, "--scan")
                    || has_long(args, "--bigkeys")
                    || has_long(args, "--memkeys")
                    || has_long(args, "--stat")
                    || has_long(args, "--latency")
                    || has_long(args, "--hotkeys"))
            {
                sh.add(Read, format!("{cmd} reads statistics"));
                return;
            }
            if let Some(script) = opt_value(args, &[], &["--eval"]) {
                files.push(script.to_string());
            }
            let i = first_operand(args, &with);
            let rest = args.get(i..).unwrap_or_default();
            // `redis-cli --cluster SUB HOST:PORT …`: `call` sends its command to every node.
            // `--cluster` as an option, before the first operand and not another option's
            // value (`-d --cluster` makes it the delimiter).
            let cluster = i > 0 && args.get(i - 1).is_some_and(|a| a == "--cluster")
                || args.iter().take(i).enumerate().any(|(k, a)| {
                    a == "--cluster"
                        && (k == 0 || !args.get(k - 1).is_some_and(|p| with.contains(&p.as_str())))
                });
            if cluster {
                let (e, why) = match rest.first().map(String::as_str) {
                    Some("call") => {
                        // (`--cluster-only-masters` and the like choose the nodes.)
                        let command: Vec<&str> = rest
                            .get(2..)
                            .unwrap_or_default()
                            .iter()
                            .map(String::as_str)
                            .filter(|a| !a.starts_with("--cluster-"))
                            .collect();
                        if command.is_empty() {
                            (Mutating, "sends a command to every node")
                        } else {
                            texts.push(command.join(" "));
                            (Read, "sends a command to every node")
                        }
                    }
                    // Only the host and the one search option after it.
                    Some("check" | "info")
                        if rest.len() >= 2
                            && rest
                                .iter()
                                .skip(2)
                                .all(|a| a == "--cluster-search-multiple-owners") =>
                    {
                        (Read, "reads the cluster")
                    }
                    Some("del-node") => (Destructive, "removes a node from the cluster"),
                    _ => (Mutating, "changes the cluster"),
                };
                sh.add(e, format!("{cmd} {why}"));
                if texts.is_empty() {
                    return;
                }
            } else if !rest.is_empty() {
                texts.push(rest.join(" "));
            }
        }
        Lang::Mongo => {
            texts.extend(
                opt_values(args, &[], &["--eval"])
                    .into_iter()
                    .map(str::to_string),
            );
            files.extend(opt_value(args, &["-f"], &["--file"]).map(str::to_string));
            files.extend(args.iter().filter(|a| a.ends_with(".js")).cloned());
        }
        Lang::SqlPlus => {
            if args.len() == 1 && matches!(args.first().map(String::as_str), Some("-v" | "-V")) {
                sh.add(Read, format!("{cmd} prints its version"));
                return;
            }
            // `sqlplus user/pw@db @script.sql`: the script runs after connecting.
            files.extend(
                args.iter()
                    .filter_map(|a| a.strip_prefix('@'))
                    .map(|f| f.trim_start_matches('@').to_string()),
            );
        }
        Lang::Sql if data_loss::HADOOP_SHELLS.contains(&name) => {
            data_loss::hadoop_options(sh, args, cmd, &mut texts, &mut files);
        }
        Lang::Sql => {
            // Files of SQL: snowsql `-f`, clickhouse-client `--queries-file`.
            if name == "snowsql" {
                files.extend(opt_value(args, &["-f"], &["--filename"]).map(str::to_string));
                // Options that choose the saved connection's account, database and query;
                // any other (`-h`, `--authenticator`, `--config`) can send its password
                // elsewhere or write: not a read.
                const CHOOSE: &[&str] = &[
                    "-c",
                    "--connection",
                    "-q",
                    "--query",
                    "-D",
                    "--variable",
                    "-o",
                    "--option",
                    "-f",
                    "--filename",
                    "-a",
                    "--accountname",
                    "-u",
                    "--username",
                    "-d",
                    "--dbname",
                    "-s",
                    "--schemaname",
                    "-r",
                    "--rolename",
                    "-w",
                    "--warehouse",
                ];
                let mut it = args.iter();
                while let Some(a) = it.next() {
                    if CHOOSE.contains(&a.as_str()) {
                        it.next();
                    } else if a.starts_with('-') {
                        sh.add(
                            Mutating,
                            format!(
                                "{cmd} sets `{a}`, which can change where it connects or writes"
                            ),
                        );
                    }
                }
                // `-o output_file=PATH`, `-o log_bootstrap_file=PATH`: files it writes.
                for o in opt_values(args, &["-o"], &["--option"]) {
                    if let Some((k, path)) = o.split_once('=')
                        && k.trim().ends_with("_file")
                    {
                        writes_file(sh, cmd, path.trim(), "its output");
                    }
                }
            }
            files.extend(opt_value(args, &[], &["--queries-file"]).map(str::to_string));
            // snowsql's `-c` names a connection, not a query.
            let short: &[&str] = if name == "snowsql" {
                &["-q"]
            } else {
                &["-e", "-q", "-Q", "-c"]
            };
            texts.extend(
                opt_values(args, short, &["--execute", "--query", "--command"])
                    .into_iter()
                    .map(str::to_string),
            );
            // sqlcmd `-i file`, cqlsh `-f file`: SQL from a file.
            match name {
                "sqlcmd" => {
                    files.extend(
                        opt_values(args, &["-i"], &[])
                            .into_iter()
                            .map(str::to_string),
                    );
                    if let Some(f) = opt_value(args, &["-o"], &[]) {
                        writes_file(sh, cmd, f, "its output");
                    }
                }
                "cqlsh" => {
                    files.extend(opt_value(args, &["-f"], &["--file"]).map(str::to_string));
                }
                _ => {}
            }
            if name == "bq" || name == "cockroach" {
                // Their other subcommands name what they do (`cockroach node decommission`,
                // `bq rm`): judged as an unknown program's are, raising only.
                // Flags with an attached value (`--host=prod`) may come first.
                let words: Vec<String> = args
                    .iter()
                    .filter(|a| !(a.starts_with('-') && (a.contains('=') || *a == "--insecure")))
                    .cloned()
                    .collect();
                if let Some((effect, why)) = super::tasks::unknown_subcommand(&words) {
                    sh.add(effect, format!("{cmd} {why}"));
                }
                let i = first_operand(
                    args,
                    &["--project_id", "--location", "--url", "--database", "-d"],
                );
                texts.extend(
                    args.get(i + 1..)
                        .unwrap_or_default()
                        .iter()
                        .filter(|a| !a.starts_with('-'))
                        .cloned(),
                );
            }
        }
    }
    for f in &files {
        match sh.written_content(f) {
            Some(Some(content)) => text(sh, lang, &content, &format!("file `{f}` written above")),
            _ => sh.add(
                Destructive,
                format!(
                    "{cmd} runs `{f}`, a file whose content is not visible (counts as destructive)"
                ),
            ),
        }
    }
    for t in &texts {
        text(sh, lang, t, &format!("`{name}`"));
    }
    if !texts.is_empty() || !files.is_empty() {
        return;
    }
    match stdin {
        Input::Literal(s) => text(sh, lang, s, &format!("the input of `{name}`")),
        Input::Unknown(from) => sh.add(
            Destructive,
            format!("{cmd} runs commands read from {from} (unseen input counts as destructive)"),
        ),
        Input::None => sh.add(Mutating, format!("{cmd} opens an interactive session")),
    }
}

/// A file a client writes (its output, its log), judged by where it lands.
fn writes_file(sh: &mut Sh, cmd: &str, f: &str, what: &str) {
    match write_risk(f, false) {
        Some((e, why)) => sh.add(e, format!("{cmd} writes {what} to `{f}`, {why}")),
        None => sh.add(Mutating, format!("{cmd} writes {what} to `{f}`")),
    }
}

/// The text a client runs: SQL with the client's meta-commands.
fn text(sh: &mut Sh, lang: Lang, t: &str, via: &str) {
    match lang {
        Lang::Redis => {
            if t.trim_start().starts_with('$') {
                sh.add(
                    Destructive,
                    format!("redis command computed at run time (via {via})"),
                );
            }
            for line in t.lines().filter(|l| !l.trim().is_empty()) {
                let (e, why) = code::redis_command(line);
                sh.add(
                    e,
                    format!("redis {} {why} (via {via})", super::snippet(line)),
                );
            }
            return;
        }
        Lang::SqlPlus => {
            sqlplus::script(sh, t, via);
            return;
        }
        Lang::Mongo => {
            mongo_admin(sh, t, via);
            sh.code_text("mongo", t, via);
            return;
        }
        _ => {}
    }
    let mut sql = String::new();
    for line in t.lines() {
        let l = line.trim_start();
        let meta = match lang {
            Lang::Psql | Lang::Mysql => l.strip_prefix('\\'),
            Lang::Sqlite => l.strip_prefix('.'),
            _ => None,
        };
        // mysql client commands that run a shell: `system cmd`, `pager cmd`.
        let mysql_system = (lang == Lang::Mysql)
            .then(|| {
                ["system ", "SYSTEM ", "pager ", "PAGER "]
                    .iter()
                    .find_map(|p| l.strip_prefix(p))
            })
            .flatten();
        if let Some(rest) = mysql_system {
            sh.shell_text(rest, &format!("`system` in {via}"));
            continue;
        }
        if meta.is_none() {
            // `SELECT … \gexec` runs every result row as SQL.
            if lang == Lang::Psql && l.contains("\\gexec") {
                sh.add(
                    Destructive,
                    format!("`\\gexec` runs query results as SQL (via {via})"),
                );
            }
            sql.push_str(line);
            sql.push('\n');
            continue;
        }
        // The same rules as meta-commands met in SQL text (`sql/meta.rs`): `\\!`, `.shell`,
        // `\\o |cmd`, `\\copy … program`, and files written judged by where they land.
        let depth = sh.depth + 1;
        sh.ctx
            .via(via, |ctx| super::sql::client_meta(ctx, l, depth));
    }
    if !sql.trim().is_empty() {
        sh.sql_text(&sql, via);
        // `Q='DROP TABLE users'; psql -c "$Q"`: the statement is a value the line assigned
        // (the twenty-sixth sets); each literal value is judged in the variable's place.
        // Every reference (`$Q`, `${Q}`) takes the value whole, and no length is skipped
        // (the review of the twenty-sixth sets: a value or a statement of 4 KiB was not
        // filled, and `$Q` left the name glued on, `DROP TABLE usersQ`); the work is bounded
        // by a budget per line, and past it, or past the values the line keeps, the
        // statement is not known.
        if sql.contains('$') && !sh.literal_vars.is_empty() {
            for v in sh.literal_vars.clone() {
                let filled = fill_references(&sql, &v);
                sh.literal_filled = sh.literal_filled.saturating_add(filled.len());
                if sh.literal_filled > super::shell::FILL_BUDGET {
                    sh.literal_vars_over = true;
                    break;
                }
                sh.sql_text(&filled, via);
            }
            if sh.literal_vars_over {
                sh.add(
                    Destructive,
                    format!("runs a statement filled from one of more values than can be judged (via {via})"),
                );
            }
        }
    }
}

/// `sql` with every shell reference (`$Q`, `${Q}`, `${Q:-x}`) replaced by `value`.
fn fill_references(sql: &str, value: &str) -> String {
    let mut out = String::with_capacity(sql.len() + value.len());
    let mut rest = sql;
    while let Some(at) = rest.find('$') {
        out.push_str(rest.get(..at).unwrap_or_default());
        let after = rest.get(at + 1..).unwrap_or_default();
        let end = if after.starts_with('{') {
            after.find('}').map_or(after.len(), |e| e + 1)
        } else {
            after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len())
        };
        out.push_str(value);
        rest = after.get(end..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// MongoDB admin commands named in shell code (`db.shutdownServer()`,
/// `db.adminCommand({shutdown: 1})`), which the code scan does not know. Also used for a
/// Mongo tool's text arguments (`mongo_shell {"code": …}`; the twenty-fifth sets).
pub(crate) fn mongo_admin_effects(t: &str, via: &str) -> Vec<(crate::Effect, String)> {
    const DESTRUCTIVE: &[&str] = &[
        "shutdownserver",
        "dropdatabase",
        "dropallusers",
        "dropallroles",
        "shutdown:",
        "shutdown\"",
        "fsynclock",
        "killop",
        "killallsessions",
        "compact",
        "repairdatabase",
        "drop(",
        "deletemany",
        "remove(",
        "renamecollection",
        "replsetstepdown",
        "removeshard",
        "updatemany({},",
        "dropindexes",
        // The twenty-second sets: a command document's `drop` and `delete` of every
        // document, an empty replacement, and aggregation stages that write a collection
        // (`$out` replaces it; `$merge` may replace its documents), as the structured tools
        // are judged.
        "({drop:",
        "({\"drop\":",
        "({'drop':",
        "deletes:[{q:{}",
        "\"deletes\":[{\"q\":{}",
        "replaceone({},{})",
        "{$out:",
        "{\"$out\":",
        "{'$out':",
        "{$merge:",
        "{\"$merge\":",
        "{'$merge':",
    ];
    const ADMIN: &[&str] = &[
        "createuser",
        "dropuser",
        "updateuser",
        "grantroles",
        "revokeroles",
        "createrole",
        "droprole",
        "setparameter",
        "replsetreconfig",
        "addshard",
        "changeuserpassword",
    ];
    let mut found = Vec::new();
    let lower: String = t
        .to_ascii_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if let Some(w) = DESTRUCTIVE.iter().find(|w| lower.contains(*w)) {
        found.push((
            Destructive,
            format!("mongo `{w}` destroys data or stops the server (via {via})"),
        ));
    }
    // A TTL index or option of at most a minute deletes the documents at once.
    if let Some(ttl) = data_loss::short_ttl(&lower) {
        found.push((
            Destructive,
            format!("mongo `expireAfterSeconds: {ttl}` deletes the documents within a minute (via {via})"),
        ));
    }
    if let Some(w) = ADMIN.iter().find(|w| lower.contains(*w)) {
        found.push((
            Admin,
            format!("mongo `{w}` changes access or the server (via {via})"),
        ));
    }
    found
}

fn mongo_admin(sh: &mut Sh, t: &str, via: &str) {
    for (e, why) in mongo_admin_effects(t, via) {
        sh.add(e, why);
    }
}

/// mysql's long options as the client reads them: `--loose-` and `--enable-` dropped,
/// `--skip-X`/`--disable-X` as `--X=0`, `_` as `-`, and a prefix of an option that runs,
/// loads or writes something spelled out (`--init-comm=…`, `--local`, `--plugin-d=…`). A
/// prefix MySQL would refuse as ambiguous is spelled out too: that only raises.
pub(crate) fn mysql_long_options(args: &[String]) -> Vec<String> {
    const ACTING: &[&str] = &[
        "init-command",
        "init-command-add",
        "local-infile",
        "load-data-local-dir",
        "plugin-dir",
        "default-auth",
        "execute",
        "pager",
        "tee",
        "defaults-file",
        "defaults-extra-file",
    ];
    args.iter()
        .map(|a| {
            let Some(body) = a.strip_prefix("--").filter(|b| !b.is_empty()) else {
                return a.clone();
            };
            let (name, value) = body.split_at(body.find('=').unwrap_or(body.len()));
            let mut name = name.replace('_', "-");
            let mut value = value.to_string();
            if let Some(n) = name.strip_prefix("loose-") {
                name = n.to_string();
            }
            if let Some(n) = name.strip_prefix("enable-") {
                name = n.to_string();
            } else if let Some(n) = name
                .strip_prefix("skip-")
                .or_else(|| name.strip_prefix("disable-"))
            {
                name = n.to_string();
                value = "=0".into();
            }
            if !ACTING.contains(&name.as_str())
                && name.len() >= 3
                && let Some(full) = ACTING.iter().find(|o| o.starts_with(name.as_str()))
            {
                name = (*full).to_string();
            }
            format!("--{name}{value}")
        })
        .collect()
}

/// A psql short-option cluster whose letters before `c` or `f` take no value (`-tAc`,
/// `-qXf`): the letter and what is attached after it.
fn psql_cluster(a: &str) -> Option<(char, &str)> {
    let body = a.strip_prefix('-').filter(|b| !b.starts_with('-'))?;
    let at = body.find(|c: char| !"aAbeEHlnqsStxXwWz01".contains(c))?;
    if at == 0 {
        return None;
    }
    let letter = body.get(at..)?.chars().next()?;
    matches!(letter, 'c' | 'f').then(|| (letter, body.get(at + 1..).unwrap_or("")))
}
