//! The program table: one row per program (its names and aliases, its effect, the flags it
//! accepts and what each does), parsed once. This file depends on nothing else in the crate,
//! so `tests/catalogue.rs` includes it to check the table's integrity.
//!
//! A row's flags are written as a string of space-separated tokens. A token is the flag's
//! names joined by `|` and an optional suffix that says what the flag does:
//!
//! | suffix | the flag | takes a value |
//! |---|---|---|
//! | (none) | only changes what is read or printed | no |
//! | `=` | only changes what is read or printed | yes |
//! | `?` | only changes what is read or printed | only attached (`--color=auto`, `-i.bak`) |
//! | `+` | makes the program change its operands in place (`sed -i`) | no |
//! | `+?` | the same, with an optional attached value | attached |
//! | `>` | writes the path it is given (`sort -o f`) | yes |
//! | `$` | runs its value as a command line (`man -P cmd`) | yes |
//! | `@` | runs the file it is given | yes |
//! | `!` | deletes or destroys (`--remove-files`) | no |
//! | `!=` | deletes or destroys | yes |
//! | `^` / `^=` | changes access or the system | no / yes |
//! | `%` / `%=` | changes something else (starts a listener, sets the clock) | no / yes |
//! | `.` | makes the command only print and exit (`--help`, `--version`, `fdisk -l`); believed only when no other flag changes anything | no |
//! | `~` | makes the command a dry run (`rsync -n`): the writes and deletions it names do not happen, commands it runs still do | no |
//!
//! Tokens that start with `@` are row options: `@gnu` (long options may be abbreviated to a
//! unique prefix, as getopt_long allows), `@num` (`-20` is a count, as in `head -20`), `@any`
//! (the flags are judged by the row's handler, not listed here).

use std::collections::HashMap;
use std::sync::OnceLock;

/// One row: `row!(names, base, what, handler, flags)`.
macro_rules! row {
    ($names:expr, $base:expr, $what:expr, $h:expr, $flags:expr $(,)?) => {
        Spec {
            names: $names,
            base: $base,
            what: $what,
            handler: $h,
            flags: $flags,
        }
    };
}

#[path = "rows_files.rs"]
mod rows_files;
#[path = "rows_ops.rs"]
mod rows_ops;
#[path = "rows_subcommands.rs"]
mod rows_subcommands;
#[path = "rows_system.rs"]
mod rows_system;
#[path = "rows_windows.rs"]
mod rows_windows;

/// The effect of running a program with flags that are all known to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Base {
    Read,
    Mutating,
    Destructive,
    Admin,
}

/// What a flag does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Act {
    Read,
    Modify,
    Write,
    Exec,
    ExecFile,
    Delete,
    Admin,
    Change,
    Lower,
    DryRun,
}

/// Whether a flag takes a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Takes {
    No,
    Value,
    Attached,
}

/// Code for what a row cannot say: each handler is documented where it is implemented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Handler {
    /// The row says everything.
    None,
    Echo,
    Cat,
    Decode,
    Rev,
    Sed,
    Awk,
    Find,
    Fd,
    Dd,
    Tar,
    Kill,
    Shutdown,
    Chmod,
    Tee,
    Mv,
    Copy,
    Ln,
    Uniq,
    Date,
    Hostname,
    Set,
    Truncate,
    Gio,
    Zfs,
    Firewall,
    NetAdmin,
    Sysctl,
    Keys,
    Formatter,
    Less,
    Editor,
    Socat,
    Expect,
    Zip,
    Wrapper,
    Shell,
    Interpreter,
    Git,
    Kubectl,
    Helm,
    Terraform,
    Pulumi,
    Cloud,
    Docker,
    Service,
    Crontab,
    At,
    LangPkg,
    JsPkg,
    Build,
    SysPkg,
    Http,
    DbClient,
    Mysqladmin,
    PgDump,
    PgRestore,
    Journalctl,
    MacAdmin,
    ProcessManager,
    Ansible,
    Rclone,
    Kafka,
    Gh,
    /// A PowerShell cmdlet or alias (its own name space).
    Cmdlet,
    /// A `cmd.exe` built-in (its own name space).
    CmdBuiltin,
    PowerShell,
    Cmd,
    /// Windows system tools judged by their verb (`vssadmin delete shadows`, `net stop x`).
    WinTool,
    Reg,
    Diskpart,
    Ssh,
}

/// One row as written in the source.
pub(crate) struct Spec {
    pub names: &'static str,
    pub base: Base,
    pub what: &'static str,
    pub handler: Handler,
    pub flags: &'static str,
}

/// One flag, parsed.
#[derive(Debug, Clone)]
pub(crate) struct Flag {
    pub names: Vec<&'static str>,
    pub act: Act,
    pub takes: Takes,
}

/// One program, parsed.
#[derive(Debug)]
pub(crate) struct Program {
    pub names: Vec<&'static str>,
    pub base: Base,
    pub what: &'static str,
    pub handler: Handler,
    /// `None`: the handler judges the flags.
    pub flags: Option<Vec<Flag>>,
    pub gnu: bool,
    pub numeric: bool,
    /// Flag name to its position in `flags`.
    pub by_name: HashMap<&'static str, usize>,
}

impl Program {
    /// The flag written exactly `name` (`-r`, `--recursive`, `-name`).
    pub(crate) fn flag(&self, name: &str) -> Option<&Flag> {
        self.flags.as_ref()?.get(*self.by_name.get(name)?)
    }

    /// A long flag by its name or, for GNU programs, a unique abbreviation of it.
    pub(crate) fn long(&self, name: &str) -> Option<&Flag> {
        if let Some(f) = self.flag(name) {
            return Some(f);
        }
        if !self.gnu || name.len() < 3 {
            return None;
        }
        let mut hits = self.flags.as_ref()?.iter().filter(|f| {
            f.names
                .iter()
                .any(|n| n.starts_with("--") && n.starts_with(name))
        });
        let first = hits.next()?;
        // getopt_long accepts an ambiguous prefix only when every match is the same option.
        hits.all(|f| std::ptr::eq(f, first)).then_some(first)
    }
}

/// The parsed table.
#[derive(Debug)]
pub(crate) struct Catalogue {
    pub programs: Vec<Program>,
    pub index: HashMap<String, usize>,
}

impl Catalogue {
    /// The row of a program name.
    pub(crate) fn get(&self, name: &str) -> Option<&Program> {
        self.programs.get(*self.index.get(name)?)
    }

    /// The row of a PowerShell cmdlet or alias, matched without case.
    pub(crate) fn cmdlet(&self, name: &str) -> Option<&Program> {
        let key = format!("ps:{}", name.to_ascii_lowercase());
        self.programs.get(*self.index.get(&key)?)
    }

    /// The row of a `cmd.exe` built-in, matched without case.
    pub(crate) fn builtin(&self, name: &str) -> Option<&Program> {
        let key = format!("cmd:{}", name.to_ascii_lowercase());
        self.programs.get(*self.index.get(&key)?)
    }
}

/// Every row, by family.
pub(crate) fn specs() -> impl Iterator<Item = &'static Spec> {
    rows_files::ROWS
        .iter()
        .chain(rows_system::ROWS)
        .chain(rows_ops::ROWS)
        .chain(rows_windows::ROWS)
        .chain(rows_subcommands::ROWS)
}

fn parse_flag(token: &'static str) -> Result<Flag, String> {
    // The suffix is at the end; a name keeps at least two characters, so `-%` and `/?` are
    // names.
    let suffix = [
        "+?", "!=", "^=", "%=", "=", "?", "+", ">", "$", "@", "!", "^", "%", ".", "~",
    ]
    .into_iter()
    .find(|sfx| {
        token
            .strip_suffix(sfx)
            .is_some_and(|n| n.chars().count() >= 2)
    })
    .unwrap_or("");
    let names = token.strip_suffix(suffix).unwrap_or(token);
    let (act, takes) = match suffix {
        "" => (Act::Read, Takes::No),
        "=" => (Act::Read, Takes::Value),
        "?" => (Act::Read, Takes::Attached),
        "+" => (Act::Modify, Takes::No),
        "+?" => (Act::Modify, Takes::Attached),
        ">" => (Act::Write, Takes::Value),
        "$" => (Act::Exec, Takes::Value),
        "@" => (Act::ExecFile, Takes::Value),
        "!" => (Act::Delete, Takes::No),
        "!=" => (Act::Delete, Takes::Value),
        "^" => (Act::Admin, Takes::No),
        "^=" => (Act::Admin, Takes::Value),
        "%" => (Act::Change, Takes::No),
        "%=" => (Act::Change, Takes::Value),
        "." => (Act::Lower, Takes::No),
        "~" => (Act::DryRun, Takes::No),
        other => return Err(format!("flag `{token}`: unknown suffix `{other}`")),
    };
    let names: Vec<&'static str> = names.split('|').collect();
    if names
        .iter()
        .any(|n| n.is_empty() || !(n.starts_with('-') || n.starts_with('+') || n.starts_with('/')))
    {
        return Err(format!(
            "flag `{token}`: a name must start with `-`, `+` or `/`"
        ));
    }
    Ok(Flag { names, act, takes })
}

/// Parses every row; the error names every faulty row.
pub(crate) fn parse() -> Result<Catalogue, String> {
    let mut programs = Vec::new();
    let mut index = HashMap::new();
    let mut errors = Vec::new();
    for spec in specs() {
        if let Err(e) = parse_row(spec, &mut programs, &mut index) {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(Catalogue { programs, index })
    } else {
        Err(errors.join("; "))
    }
}

fn parse_row(
    spec: &'static Spec,
    programs: &mut Vec<Program>,
    index: &mut HashMap<String, usize>,
) -> Result<(), String> {
    {
        let names: Vec<&'static str> = spec.names.split_whitespace().collect();
        let first = names.first().copied().unwrap_or("");
        if first.is_empty() {
            return Err("a row without a name".into());
        }
        let mut flags = Vec::new();
        let (mut gnu, mut numeric, mut any) = (false, false, false);
        for token in spec.flags.split_whitespace() {
            match token {
                "@gnu" => gnu = true,
                "@num" => numeric = true,
                "@any" => any = true,
                t if t.starts_with('@') => return Err(format!("`{first}`: unknown option {t}")),
                t => flags.push(parse_flag(t).map_err(|e| format!("`{first}`: {e}"))?),
            }
        }
        let mut seen = std::collections::HashSet::new();
        for n in flags.iter().flat_map(|f| f.names.iter()) {
            if !seen.insert(*n) {
                return Err(format!("`{first}`: flag `{n}` is listed twice"));
            }
        }
        let space = match spec.handler {
            Handler::Cmdlet => "ps:",
            Handler::CmdBuiltin => "cmd:",
            _ => "",
        };
        for n in &names {
            if index
                .insert(format!("{space}{n}"), programs.len())
                .is_some()
            {
                return Err(format!("program name `{n}` is in two rows"));
            }
        }
        let by_name = flags
            .iter()
            .enumerate()
            .flat_map(|(i, f)| f.names.iter().map(move |n| (*n, i)))
            .collect();
        programs.push(Program {
            names,
            base: spec.base,
            what: spec.what,
            handler: spec.handler,
            flags: (!any).then_some(flags),
            gnu,
            numeric,
            by_name,
        });
    }
    Ok(())
}

/// The table, parsed on first use.
pub(crate) fn catalogue() -> &'static Result<Catalogue, String> {
    static TABLE: OnceLock<Result<Catalogue, String>> = OnceLock::new();
    TABLE.get_or_init(parse)
}
