//! Data tools judged by their words (the twenty-second sets): Oracle Data Pump importing over
//! tables, Redpanda's `rpk`, and programs that run what their input holds (a framework's
//! database shell, RMAN). These only raise, as [`super::tasks`] does.

use super::shell::{Sh, program_name};
use crate::Effect::{self, Admin, Destructive};

/// The effect of `impdp` or `rpk` when its words say one.
pub(crate) fn named(argv: &[String]) -> Option<(Effect, String)> {
    let program = argv.first().map(|f| program_name(f))?;
    if program == "rpk" {
        return rpk(argv);
    }
    // Oracle Data Pump: an import that replaces or empties the tables it finds.
    let replaces = argv.iter().skip(1).any(|a| {
        let a = a.to_ascii_lowercase();
        a.starts_with("table_exists_action=")
            && (a.ends_with("=replace") || a.ends_with("=truncate"))
    });
    (program == "impdp" && replaces).then(|| {
        (
            Destructive,
            "imports over existing tables (`table_exists_action` replace or truncate)".into(),
        )
    })
}

/// What a program reads from its input when that input is in the line (the twenty-second
/// sets): a framework's database shell runs it as SQL (`manage.py dbshell <<< 'DROP …'`,
/// `rails dbconsole`, `prisma db execute --stdin`, `heroku pg:psql`), and Oracle's RMAN runs
/// its commands (`rman target / <<< 'DELETE NOPROMPT BACKUP;'`).
pub(crate) fn input_commands(sh: &mut Sh, argv: &[String], text: &str, cmd: &str) {
    let words: Vec<&str> = argv.iter().take(6).map(|w| program_name(w)).collect();
    let after = |program: &[&str], sub: &[&str]| {
        words.iter().enumerate().any(|(i, w)| {
            program.contains(w)
                && words
                    .get(i + 1..i + 1 + sub.len())
                    .is_some_and(|s| s == sub)
        })
    };
    let sql = after(&["manage.py", "django-admin"], &["dbshell"])
        || after(&["rails"], &["dbconsole"])
        || after(&["rails"], &["db"])
        || (after(&["prisma"], &["db", "execute"]) && argv.iter().any(|a| a == "--stdin"))
        || after(&["heroku"], &["pg:psql"]);
    if sql {
        sh.sql_text(text, &format!("the input of {cmd}"));
    }
    if words.first() == Some(&"rman") {
        let lower = text.to_ascii_lowercase();
        if lower.contains("delete") || lower.contains("drop database") {
            sh.add(
                Destructive,
                format!("{cmd} deletes backups, archived logs or the database (RMAN's input)"),
            );
        }
    }
}

/// Redpanda's `rpk` (the twenty-second sets): topics and groups deleted, a retention of at
/// most a minute (the log is emptied), access control and users changed.
fn rpk(argv: &[String]) -> Option<(Effect, String)> {
    let words: Vec<String> = argv
        .iter()
        .skip(1)
        .map(String::as_str)
        .filter(|a| !a.starts_with('-') && !a.contains('='))
        .take(3)
        .map(str::to_ascii_lowercase)
        .collect();
    let w = |i: usize| words.get(i).map_or("", String::as_str);
    match (w(0), w(1)) {
        ("topic", "delete" | "trim-prefix") | ("group", "delete") => {
            return Some((
                Destructive,
                format!("deletes data (`rpk {} {}`)", w(0), w(1)),
            ));
        }
        ("acl", _) | ("security", _) if w(1) != "list" && w(2) != "list" && w(1) != "describe" => {
            return Some((
                Admin,
                format!("changes access control or users (`rpk {} {}`)", w(0), w(1)),
            ));
        }
        _ => {}
    }
    // `--set retention.ms=1`, `cluster config set log_retention_ms 1`.
    let short_retention = argv.windows(2).any(|pair| {
        let [a, b] = pair else {
            return false;
        };
        let (a, b) = (a.to_ascii_lowercase(), b.as_str());
        let value = |v: &str| v.trim().parse::<u64>().is_ok_and(|n| n <= 60_000);
        a.rsplit_once('=').is_some_and(
            |(k, v)| { k.ends_with("retention.ms") || k.ends_with("retention_ms") } && value(v),
        ) || ((a.ends_with("retention.ms") || a.ends_with("retention_ms")) && value(b))
    }) || argv.last().is_some_and(|a| {
        let a = a.to_ascii_lowercase();
        a.rsplit_once('=').is_some_and(|(k, v)| {
            (k.ends_with("retention.ms") || k.ends_with("retention_ms"))
                && v.trim().parse::<u64>().is_ok_and(|n| n <= 60_000)
        })
    });
    short_retention.then(|| {
        (
            Destructive,
            "sets a retention of at most a minute, which empties the log".into(),
        )
    })
}
