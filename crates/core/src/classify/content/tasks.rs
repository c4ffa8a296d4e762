//! Tasks named on a command line, for programs whose own code is not visible: a framework's
//! database tasks (`rails db:drop`, `manage.py flush`, `artisan migrate:fresh`, `prisma migrate
//! reset`), a build target or project script named for destruction (`make destroy`, `npm run
//! db:wipe`), a gRPC method (`grpcurl … KV/DeleteRange`), and a few data tools (`nodetool
//! clearsnapshot`, `gpg --delete-secret-keys`, `cypher-shell 'MATCH (n) DETACH DELETE n'`).
//!
//! These only raise: the program is still judged as before, and what is found here is added to
//! it. A task this file does not know keeps the program's own judgement (a script whose content
//! is not visible counts as mutating).

use super::shell::{Input, Sh, program_name};
use crate::Effect::{self, Destructive, Mutating};

/// A framework's tasks that drop or empty a database, by the program that runs them. A task is
/// its words after the program, joined by one space (`prisma migrate reset`).
const DATABASE_TASKS: &[(&[&str], &[&str])] = &[
    (
        &["rails", "rake"],
        &[
            "db:drop",
            "db:drop:all",
            "db:reset",
            "db:purge",
            "db:purge:all",
            "db:schema:load",
            "db:structure:load",
            "db:migrate:reset",
            "db:truncate_all",
            "db:seed:replant",
        ],
    ),
    (&["manage.py", "django-admin"], &["flush", "reset_db"]),
    (
        &["artisan"],
        &[
            "migrate:fresh",
            "migrate:reset",
            "migrate:refresh",
            "db:wipe",
        ],
    ),
    (&["prisma"], &["migrate reset"]),
    (
        &["sequelize", "sequelize-cli"],
        &["db:drop", "db:migrate:undo:all", "db:seed:undo:all"],
    ),
    (&["typeorm"], &["schema:drop"]),
    (&["drizzle-kit"], &["drop", "push --force"]),
    (&["alembic"], &["downgrade base"]),
    (&["flask"], &["db downgrade base"]),
    (
        &["mix"],
        &["ecto.drop", "ecto.reset", "ecto.rollback --all"],
    ),
    (
        &["console"],
        &[
            "doctrine:database:drop",
            "doctrine:schema:drop",
            "doctrine:fixtures:load",
        ],
    ),
    (&["flyway"], &["clean"]),
    (
        &["liquibase"],
        &[
            "dropall",
            "drop-all",
            "rollback",
            "rollback-count",
            "rollbackcount",
            "rollback-to-date",
            "rollbacktodate",
        ],
    ),
    (&["knex"], &["migrate:rollback --all"]),
    (
        &["diesel"],
        &[
            "database reset",
            "database drop",
            "migration revert --all",
            "migration redo --all",
        ],
    ),
    // golang-migrate.
    (&["migrate"], &["drop", "down --all"]),
    (&["dotnet"], &["ef database drop", "ef database update 0"]),
    (&["supabase"], &["db reset"]),
    // The twenty-second sets: build plugins' goals, and migration tools not listed before.
    (
        &["mvn", "mvnw", "gradle", "gradlew"],
        &[
            "flyway:clean",
            "flywayclean",
            "liquibase:dropall",
            "dropall",
            "liquibase:rollback",
        ],
    ),
    (&["atlas"], &["schema clean"]),
    (&["goose"], &["reset", "down-to 0"]),
    // `sqitch revert` without a target reverts every change; `rebase` reverts, then deploys.
    (&["sqitch"], &["revert", "rebase"]),
    (&["hasura"], &["migrate apply all --down"]),
    // `--full-refresh` drops and rebuilds incremental models and seeds.
    (
        &["dbt"],
        &[
            "run --full-refresh",
            "build --full-refresh",
            "seed --full-refresh",
        ],
    ),
];

/// Programs that run a framework's command line (`php artisan …`, `bundle exec rails …`).
const LAUNCHERS: &[&str] = &[
    "php", "ruby", "bundle", "npx", "pnpx", "bunx", "pnpm", "yarn", "npm", "bun", "node", "poetry",
    "uv", "pipenv", "pdm", "hatch", "deno",
];

/// Flags that make a framework task lose data on any task (`prisma db push --force-reset`).
const DATA_LOSS_FLAGS: &[&str] = &["--force-reset", "--accept-data-loss"];

/// Task runners whose operands name targets or project scripts.
/// (Not `task`: Taskwarrior's `task add 'Drop off laundry'` shares go-task's name.)
const RUNNERS: &[&str] = &[
    "make", "gmake", "just", "rake", "npm", "yarn", "pnpm", "bun", "composer", "mage", "invoke",
    "nx", "turbo",
];

/// Words in a target's name that say it destroys (`destroy`, `db:wipe`, `nuke-all`).
const DESTROYING_WORDS: &[&str] = &["destroy", "wipe", "nuke", "obliterate"];

/// Words that destroy only beside what holds data (`db:purge`, `drop-db`, `teardown-prod`;
/// not `purge-css`, `drop-caches` or `test:teardown`).
const DESTROYING_WITH_DATA: &[&str] = &["purge", "teardown", "truncate", "reset", "drop", "erase"];
const DATA_WORDS: &[&str] = &[
    "db",
    "database",
    "databases",
    "prod",
    "production",
    "infra",
    "cluster",
    "bucket",
    "volume",
    "volumes",
    "stack",
    "schema",
    "tables",
];

/// yarn's own commands, which are not project scripts.
const YARN_COMMANDS: &[&str] = &[
    "add",
    "install",
    "remove",
    "upgrade",
    "up",
    "info",
    "why",
    "list",
    "init",
    "config",
    "dlx",
    "workspace",
    "workspaces",
    "global",
    "cache",
    "link",
    "unlink",
    "pack",
    "publish",
    "set",
    "version",
    "audit",
    "outdated",
    "bin",
    "create",
    "exec",
    "node",
    "plugin",
    "rebuild",
    "npm",
    "patch",
    "dedupe",
    "explain",
    "constraints",
    "import",
    "licenses",
    "owner",
    "tag",
    "team",
    "login",
    "logout",
    "unplug",
    "search",
];

/// `nodetool` commands that remove data or take a node out of service.
const NODETOOL_DESTROYS: &[&str] = &[
    "clearsnapshot",
    "drain",
    "decommission",
    "removenode",
    "assassinate",
    "truncatehints",
    "stopdaemon",
    "cleanup",
    "garbagecollect",
    "resetlocalschema",
    "disablebinary",
    "disablegossip",
];

/// Judges the tasks named in `argv` and adds what it finds to `sh`.
pub(crate) fn judge(sh: &mut Sh, argv: &[String], stdin: &Input, cmd: &str) {
    if let Some((effect, why)) = named(argv) {
        sh.add(effect, format!("{cmd} {why}"));
    }
    if argv
        .first()
        .is_some_and(|f| program_name(f) == "cypher-shell")
    {
        cypher_shell(sh, argv, stdin, cmd);
    }
    if let Input::Literal(text) = stdin {
        super::datatools::input_commands(sh, argv, text, cmd);
    }
}

/// The effect a task named in `argv` has, when the words say it.
pub(crate) fn named(argv: &[String]) -> Option<(Effect, String)> {
    let program = argv.first().map(|f| program_name(f))?;
    match program {
        "grpcurl" => return grpc_method(argv),
        "nodetool" => {
            // Connection options take a value (`-h host drain`).
            const VALUED: &[&str] = &[
                "-h",
                "--host",
                "-p",
                "--port",
                "-u",
                "--username",
                "-pw",
                "--password",
                "-pwf",
                "--password-file",
            ];
            let mut it = argv.iter().skip(1);
            let mut sub = String::new();
            while let Some(a) = it.next() {
                if VALUED.contains(&a.as_str()) {
                    it.next();
                } else if !a.starts_with('-') {
                    sub = a.to_ascii_lowercase();
                    break;
                }
            }
            return NODETOOL_DESTROYS.contains(&sub.as_str()).then(|| {
                (
                    Destructive,
                    format!("removes data or takes a node out of service (`nodetool {sub}`)"),
                )
            });
        }
        "impdp" | "rpk" => return super::datatools::named(argv),
        "gpg" | "gpg2" => {
            let deletes = argv.iter().skip(1).any(|a| a.starts_with("--delete-"));
            return deletes.then(|| (Destructive, "deletes keys from the keyring".into()));
        }
        _ => {}
    }
    // The framework's program may follow an interpreter or a runner (`python manage.py`,
    // `php artisan`, `bundle exec rails`, `npx prisma`, `bin/rails`).
    // Other programs are left at once: this runs for every command of every line.
    let framework = program.starts_with("python")
        || LAUNCHERS.contains(&program)
        || DATABASE_TASKS.iter().any(|(p, _)| p.contains(&program));
    if !framework && !RUNNERS.contains(&program) {
        return None;
    }
    for (i, word) in argv.iter().enumerate().take(4) {
        let name = program_name(word);
        if let Some(found) = database_task(name, argv.get(i + 1..).unwrap_or_default()) {
            return Some(found);
        }
    }
    if RUNNERS.contains(&program) {
        return destroying_target(program, argv.get(1..).unwrap_or_default());
    }
    None
}

/// Operands that are not flags nor `NAME=value` settings.
fn plain_words(args: &[String]) -> impl Iterator<Item = &str> {
    args.iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-') && !a.contains('='))
}

fn database_task(name: &str, rest: &[String]) -> Option<(Effect, String)> {
    let tasks = DATABASE_TASKS
        .iter()
        .find(|(programs, _)| programs.contains(&name))?
        .1;
    // golang-migrate's options take their value as the next word (`-path db -database URL`).
    let mut skip_next = false;
    let words: Vec<String> = rest
        .iter()
        .filter(|a| {
            let value = std::mem::take(&mut skip_next);
            let switch = matches!(
                a.as_str(),
                "-all" | "--all" | "-verbose" | "-version" | "-help"
            );
            if name == "migrate" && a.starts_with('-') && !a.contains('=') && !switch {
                skip_next = true;
            }
            !value && !a.starts_with('-') && !a.contains('=')
        })
        .map(|a| a.to_ascii_lowercase())
        .collect();
    for task in tasks {
        // A task's last word may be a flag it needs (`knex migrate:rollback --all`, `drizzle-kit
        // push --force`); `-all` is golang-migrate's spelling of `--all`.
        let (task_words, flag) = match task.rsplit_once(" --") {
            Some((t, f)) => (t, Some(f)),
            None => (*task, None),
        };
        let flag_given = flag.is_none_or(|f| {
            rest.iter().any(|a| {
                let a = a.split_once('=').map_or(a.as_str(), |(n, _)| n);
                a.strip_prefix("--").or_else(|| a.strip_prefix('-')) == Some(f)
            })
        });
        let want: Vec<&str> = task_words.split(' ').collect();
        // The task's words in order, at the start or after the values of options given
        // before them (`alembic -c prod.ini downgrade base`, `goose postgres DSN reset`).
        let matches = flag_given
            && (0..=words.len().min(3)).any(|start| {
                words.get(start..).is_some_and(|ws| {
                    ws.len() >= want.len() && ws.iter().zip(&want).all(|(w, t)| w == t)
                })
            });
        if matches {
            return Some((
                Destructive,
                format!("runs `{name} {task}`, which drops or empties a database"),
            ));
        }
    }
    // `python manage.py migrate app zero`: every migration of the app undone.
    if matches!(name, "manage.py" | "django-admin")
        && words.first().is_some_and(|w| w == "migrate")
        && words.get(2).is_some_and(|w| w == "zero")
    {
        return Some((
            Destructive,
            format!("runs `{name} migrate … zero`, which undoes every migration of an app"),
        ));
    }
    let loses = rest.iter().any(|a| DATA_LOSS_FLAGS.contains(&a.as_str()));
    loses.then(|| {
        (
            Destructive,
            format!("runs `{name}` with a flag that accepts losing data"),
        )
    })
}

/// A target or project script named for destruction (`make destroy`, `npm run db:wipe`,
/// `yarn nuke`). Its recipe is not visible; its name is the evidence.
fn destroying_target(program: &str, args: &[String]) -> Option<(Effect, String)> {
    let mut words = plain_words(args).peekable();
    let first = words.peek().copied();
    let targets: Vec<&str> = match program {
        // `npm run X`, `pnpm run-script X`: the one script after the runner's own verb; other
        // verbs name packages (`npm install drop-zone`).
        "npm" | "pnpm" | "bun" | "composer" => match first {
            Some("run" | "run-script") => words.nth(1).into_iter().collect(),
            _ => Vec::new(),
        },
        // `yarn X` runs script X unless X is one of yarn's own commands.
        "yarn" => match first {
            Some("run") => words.nth(1).into_iter().collect(),
            Some(w) if !YARN_COMMANDS.contains(&w) => vec![w],
            _ => Vec::new(),
        },
        _ => words.collect(),
    };
    for target in targets {
        let words = super::super::name::words(target);
        let has = |set: &[&str]| words.iter().any(|w| set.contains(&w.as_str()));
        let destroys = has(DESTROYING_WORDS) || (has(DESTROYING_WITH_DATA) && has(DATA_WORDS));
        if destroys {
            return Some((
                Destructive,
                format!("runs target or script `{target}`, named for destruction"),
            ));
        }
    }
    None
}

/// `grpcurl … host pkg.Service/Method`: the method's name says what it does; `list` and
/// `describe` only read the server's reflection.
fn grpc_method(argv: &[String]) -> Option<(Effect, String)> {
    let method = plain_words(argv.get(1..)?)
        .filter(|w| w.contains('/') && !w.contains(':'))
        .last()?;
    let name = method.rsplit(['/', '.']).next().unwrap_or(method);
    let tier = super::super::name::name_tier(name);
    let effect = tier.effect.filter(|e| e.rank() >= Destructive.rank())?;
    Some((effect, format!("calls gRPC method `{method}`")))
}

/// `cypher-shell [flags] 'QUERY'`, or the query on its input: judged as query text.
fn cypher_shell(sh: &mut Sh, argv: &[String], stdin: &Input, cmd: &str) {
    // Flags that take a value; the query is the operand left.
    const VALUED: &[&str] = &[
        "-a",
        "--address",
        "-u",
        "--username",
        "-p",
        "--password",
        "-d",
        "--database",
        "--format",
        "-P",
        "--param",
        "--encryption",
        "--access-mode",
    ];
    let mut query = None;
    let mut file = None;
    let mut it = argv.iter().skip(1);
    while let Some(a) = it.next() {
        if a == "-f" || a == "--file" {
            file = it.next();
        } else if VALUED.contains(&a.as_str()) {
            it.next();
        } else if !a.starts_with('-') {
            query = Some(a.as_str());
        }
    }
    let via = format!("`{}`", argv.first().map_or("", |f| program_name(f)));
    match (query, file, stdin) {
        (Some(q), _, _) => sh.ctx.via(&via, |ctx| super::cypher::known(ctx, q)),
        (None, None, Input::Literal(q)) => sh.ctx.via(&via, |ctx| super::cypher::known(ctx, q)),
        (None, Some(f), _) => sh.add(
            Destructive,
            format!(
                "{cmd} runs `{f}`, a file whose content is not visible (counts as destructive)"
            ),
        ),
        (None, None, Input::Unknown(from)) => sh.add(
            Destructive,
            format!("{cmd} runs queries read from {from}, which cannot be seen"),
        ),
        (None, None, Input::None) => {}
    }
}

/// `go run /tmp/w.go` of a file written above (a heredoc): its code is judged as Go.
pub(crate) fn go_run_written(sh: &mut Sh, args: &[String]) {
    for f in args.iter().filter(|a| a.ends_with(".go")) {
        match sh.written_content(f) {
            Some(Some(code)) => sh.code_text("go", &code, &format!("`{f}` written above")),
            Some(None) => sh.add(
                Destructive,
                format!("`go run` runs `{f}`, written above with content that cannot be seen"),
            ),
            None => {}
        }
    }
}

/// `make -f - all <<EOF …`, `make -f mk` of a file written above, `make --eval=TEXT`
/// (`-E`): the recipes (lines that start with a tab, and the part after `;` of a rule line,
/// `x: ; rm -rf /data`) are command lines.
pub(crate) fn written_recipes(sh: &mut Sh, name: &str, args: &[String], stdin: &Input) {
    let mut texts: Vec<(String, String)> = Vec::new();
    if let Some(f) = super::args::opt_value(args, &["-f"], &["--file", "--makefile"]) {
        let text = match (f, stdin) {
            ("-" | "/dev/stdin", Input::Literal(t)) => Some(t.clone()),
            _ => sh.written_content(f).flatten(),
        };
        texts.extend(text.map(|t| (t, format!("a recipe of `{name} -f {f}`"))));
    }
    for e in super::args::opt_values(args, &["-E"], &["--eval"]) {
        texts.push((e.to_string(), format!("a recipe of `{name} --eval`")));
    }
    for (text, via) in &texts {
        for line in text.lines() {
            if let Some(recipe) = line.strip_prefix('\t').or_else(|| inline_recipe(line)) {
                let recipe = recipe.trim_start().trim_start_matches(['@', '-', '+']);
                sh.shell_text(&make_expanded(recipe), via);
            }
            // `$(file >PATH,TEXT)` writes PATH while make reads the file.
            for (at, _) in line.match_indices("$(file ").take(32) {
                let arg = line.get(at + "$(file ".len()..).unwrap_or("");
                if let Some(path) = arg.strip_prefix(">>").or_else(|| arg.strip_prefix('>')) {
                    let path = path.split([',', ')']).next().unwrap_or("").trim();
                    super::catalogue::write_path(sh, path, via);
                }
            }
            // `X != cmd` and `$(shell cmd)` run while make reads the file.
            if let Some((name, cmd)) = line.split_once("!=")
                && !name.contains(['\t', '$', '('])
            {
                sh.shell_text(cmd.trim(), via);
            }
            for cmd in shell_functions(line) {
                sh.shell_text(cmd, via);
            }
            // Past the calls judged on a line, the answer is the higher one.
            if line.matches("$(shell").count() + line.matches("${shell").count() > 32
                || line.matches("$(file ").count() > 32
            {
                sh.add(
                    Destructive,
                    format!("limits: {via}: more `$(shell …)` calls than are judged"),
                );
            }
        }
        // `.RECIPEPREFIX` changes what starts a recipe: the lines' commands are not found.
        if text.contains(".RECIPEPREFIX") {
            sh.add(Mutating, format!("{via}: recipes with another prefix"));
        }
    }
}

/// A recipe as the shell gets it: make's variables expanded, the common ones to their
/// defaults (`$(RM)` is `rm -f`), the others to a shell variable, automatic variables
/// (`$@`, `$<`) to a file name, `$$` to `$`.
fn make_expanded(recipe: &str) -> String {
    let mut out = String::with_capacity(recipe.len());
    let mut rest = recipe;
    while let Some(at) = rest.find('$') {
        out.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at + 1..).unwrap_or("");
        let mut chars = after.chars();
        match chars.next() {
            Some('$') => {
                out.push('$');
                rest = chars.as_str();
            }
            Some(c @ ('(' | '{')) => {
                let close = if c == '(' { ')' } else { '}' };
                let inner = after.get(1..).unwrap_or("");
                match inner.find(close) {
                    Some(end)
                        if inner.get(..end).is_some_and(|n| {
                            !n.is_empty()
                                && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        }) =>
                    {
                        let name = inner.get(..end).unwrap_or("");
                        out.push_str(match name {
                            "RM" => "rm -f",
                            "CC" => "cc",
                            "CXX" => "c++",
                            "CPP" => "cc -E",
                            "AR" => "ar",
                            "LD" => "ld",
                            "MAKE" => "make",
                            // Set elsewhere: a value the shell cannot know (a command named by
                            // one is computed).
                            _ => "${MAKE_VALUE}",
                        });
                        rest = inner.get(end + 1..).unwrap_or("");
                    }
                    // A function call (`$(shell …)`, `$(wildcard …)`): left for the shell.
                    _ => {
                        out.push('$');
                        rest = after;
                    }
                }
            }
            Some('@' | '<' | '^' | '*' | '?' | '+' | '|') => {
                out.push_str("make_target");
                rest = chars.as_str();
            }
            _ => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The commands of make's `$(shell …)` and `${shell …}` calls on a line (brackets balanced).
fn shell_functions(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let calls = line
        .match_indices("$(shell")
        .chain(line.match_indices("${shell"))
        .take(32);
    for (at, _) in calls {
        let open = if line.get(at + 1..at + 2) == Some("{") {
            '{'
        } else {
            '('
        };
        let close = if open == '{' { '}' } else { ')' };
        let start = at + "$(shell".len();
        // The function's name ends at a blank (`$(shellx …)` is another variable).
        if !line
            .get(start..)
            .is_some_and(|r| r.starts_with([' ', '\t']))
        {
            continue;
        }
        let mut depth = 1usize;
        for (i, c) in line.get(start..).unwrap_or("").char_indices() {
            match c {
                c if c == open => depth += 1,
                c if c == close => {
                    depth -= 1;
                    if depth == 0 {
                        out.extend(line.get(start..start + i));
                        break;
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// The recipe of a rule written on one line (`clean: ; rm -rf build`).
fn inline_recipe(line: &str) -> Option<&str> {
    let colon = line.find(':')?;
    let semi = line.find(';')?;
    let after = line.get(colon + 1..)?;
    // `X := value`, `X ::= value` are assignments, not rules.
    (colon < semi && !after.starts_with('=') && !after.starts_with(":="))
        .then(|| line.get(semi + 1..))
        .flatten()
}

/// Modules Node loads before its code (`-r`, `--require`, `--import`, `--loader`): one written
/// above is judged; any other's code is not visible.
pub(crate) fn preloads(sh: &mut Sh, args: &[String], cmd: &str) {
    const FLAGS: &[&str] = &[
        "-r",
        "--require",
        "--import",
        "--loader",
        "--experimental-loader",
    ];
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let module = match a.split_once('=') {
            Some((f, v)) if FLAGS.contains(&f) => v.to_string(),
            _ if FLAGS.contains(&a.as_str()) => it.next().cloned().unwrap_or_default(),
            _ => continue,
        };
        match sh.written_content(&module) {
            Some(Some(code)) => super::wrappers::run_code_text(
                sh,
                "js",
                &code,
                &format!("module `{module}` written above"),
            ),
            Some(None) => sh.add(
                Destructive,
                format!("{cmd} loads `{module}`, written above with content that cannot be seen"),
            ),
            None => sh.add(
                Mutating,
                format!("{cmd} loads `{module}` first, whose code is not visible"),
            ),
        }
    }
}

/// Code run inside an application by its framework's console, with its language and how it
/// is run: `rails runner CODE` (`bin/rails r`, `bundle exec rails runner`; not a `.rb` file,
/// a script whose content is not visible), `manage.py shell -c CODE`, `artisan tinker
/// --execute=CODE`.
pub(crate) fn app_code(argv: &[String]) -> Option<(&'static str, &str, &'static str)> {
    let mut a = argv;
    // Every command passes here: others are left after one look at the program.
    let first = program_name(a.first()?);
    let launcher = matches!(first, "bundle" | "php") || first.starts_with("python");
    if !launcher && !matches!(first, "rails" | "manage.py" | "django-admin" | "artisan") {
        return None;
    }
    // `bundle exec rails …`, `python manage.py …`, `php artisan …`.
    if first == "bundle" && a.get(1).is_some_and(|s| s == "exec") {
        a = a.get(2..)?;
    }
    // An interpreter and its options (`python -W ignore manage.py`); `python -m django`
    // is `django-admin`.
    if first == "php" || first.starts_with("python") {
        a = a.get(1..)?;
        while let Some(flag) = a.first().filter(|f| f.starts_with('-')) {
            // `python -c CODE …` runs CODE, not the script after it.
            if flag == "-c" || flag.starts_with("-c") {
                return None;
            }
            let takes_value = matches!(flag.as_str(), "-W" | "-X");
            if flag == "-m" {
                if a.get(1).is_some_and(|m| m == "django") {
                    a = a.get(1..)?;
                }
                break;
            }
            a = a.get(if takes_value { 2 } else { 1 }..)?;
        }
    }
    let program = program_name(a.first()?);
    let sub = a.get(1)?.as_str();
    let rest = a.get(2..)?;
    match (program, sub) {
        ("rails", "runner" | "r") => {
            let mut it = rest.iter();
            while let Some(w) = it.next() {
                if matches!(w.as_str(), "-e" | "--environment") {
                    it.next();
                } else if !w.starts_with('-') {
                    return (!w.ends_with(".rb")).then_some(("ruby", w.as_str(), "`rails runner`"));
                }
            }
            None
        }
        ("manage.py" | "django-admin" | "django", "shell") => {
            let code = super::args::opt_value(rest, &["-c"], &["--command"])?;
            Some(("python", code, "`manage.py shell -c`"))
        }
        ("artisan", "tinker") => {
            let code = super::args::opt_value(rest, &[], &["--execute"])?;
            Some(("php", code, "`artisan tinker --execute`"))
        }
        _ => None,
    }
}

/// Service CLIs the catalogue does not know, judged by the cloud CLI rules for what they
/// raise (`velero backup delete`, `airflow users create`, `hcloud server delete`).
pub(crate) const SERVICE_CLIS: &[&str] = &[
    "velero",
    "databricks",
    "airflow",
    "celery",
    "helmfile",
    "linode-cli",
    "hcloud",
    "rabbitmqadmin",
    "stripe",
    "scw",
    // Their shells and connections take a subcommand's last word as a name (`pscale shell
    // db main list`, `railway connect postgres list`): no read proof from it.
    "oci",
    "railway",
    "neonctl",
    "neon",
    "pscale",
    "turso",
];

/// A program the catalogue does not know may still name what it does in its subcommand
/// (`dbt run-operation drop_schema`, `salt 'db*' file.remove /srv`, `mytool users revoke`):
/// the words before its first flag, judged as a tool's name is. This only raises (the
/// program is already at least mutating); a name that says admin as a noun (`admin`, `root`,
/// `sudo`) is not counted, as `tool admin list` names a place, not an act.
pub(crate) fn unknown_subcommand(args: &[String]) -> Option<(Effect, String)> {
    let words = args
        .iter()
        .take_while(|a| !a.starts_with('-'))
        .take(3)
        .filter(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        });
    for w in words {
        let tier = super::super::name::name_tier(w);
        let Some(effect) = tier.effect else { continue };
        // Nouns, and `format` (source code, not a disk: `mix format`, `dart format`).
        let noun = matches!(
            w.to_ascii_lowercase().as_str(),
            "admin" | "root" | "sudo" | "format" | "fmt"
        );
        if effect.rank() >= Destructive.rank() && !noun {
            return Some((effect, format!("names `{w}` in its subcommand")));
        }
    }
    None
}
