//! Arguments that switch protection off or reset a schema: SDK keyword arguments and object
//! keys that turn off backups, retention, deletion protection, point-in-time recovery or
//! versioning (`BackupRetentionPeriod=0`, `DeletionProtection=False`,
//! `{'Status': 'Suspended'}` to `put_bucket_versioning`, `SkipFinalSnapshot=True`), and ORM or
//! migration calls that drop every table (`sequelize.sync({force: true})`,
//! `dataSource.synchronize(true)`, `dropSchema: true`, Django `call_command('flush')` or
//! `migrate … zero`, Alembic `downgrade(cfg, 'base')`, Knex `rollback(cfg, true)`).

use super::super::{Ctx, prefix};
use super::chains::{self, Chain};
use super::lex::{Lexed, Tok};
use crate::Effect::Destructive;

/// Words of a key that name a protection (normalised: lower case, no `_` or `-`).
const PROTECTION: &[&str] = &[
    "deletionprotection",
    "terminationprotection",
    "pointintimerecovery",
    "backup",
    "versioning",
    "mfadelete",
    "softdelete",
    "purgeprotection",
    "objectlock",
];

/// Keys that destroy when true.
const TRUE_DESTROYS: &[&str] = &[
    "skipfinalsnapshot",
    "deleteautomatedbackups",
    "forcedelete",
    "forcedestroy",
    "dropschema",
    "deletebackups",
    "dropdatabase",
    "droptables",
    "purgedata",
];

#[derive(PartialEq)]
enum Val<'a> {
    Zero,
    True,
    False,
    Str(&'a str),
    Other,
}

fn value(lx: &Lexed, j: usize) -> Val<'_> {
    match lx.get(j) {
        Some(Tok::Num(true)) => Val::Zero,
        Some(Tok::Ident(w)) => match w.as_str() {
            "True" | "true" | "TRUE" => Val::True,
            "False" | "false" | "FALSE" | "None" | "nil" | "null" => Val::False,
            _ => Val::Other,
        },
        Some(Tok::Str { text, code: false }) => Val::Str(text),
        _ => Val::Other,
    }
}

fn norm(key: &str) -> String {
    key.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Adds what keyword arguments, object keys and migration calls switch off or drop.
pub(crate) fn protection(ctx: &mut Ctx, lx: &Lexed, calls: &[Chain]) {
    // The name of the call each token is inside (`sync` for the keys of `sync({force: true})`).
    let mut stack: Vec<Option<&str>> = Vec::new();
    let mut found: Option<String> = None;
    for (i, t) in lx.toks.iter().enumerate() {
        match t {
            Tok::Punct('(') => {
                let name = i.checked_sub(1).and_then(|p| lx.ident(p));
                stack.push(name);
                continue;
            }
            Tok::Punct('{' | '[') => {
                stack.push(stack.last().copied().flatten());
                continue;
            }
            Tok::Punct(')' | '}' | ']') => {
                stack.pop();
                continue;
            }
            _ => {}
        }
        if found.is_some() {
            break;
        }
        let key = match t {
            Tok::Ident(k) => k.as_str(),
            Tok::Str { text, code: false } => text.as_str(),
            _ => continue,
        };
        let at = if (lx.is(i + 1, '=') && !lx.is(i + 2, '=') && !lx.is(i + 2, '>'))
            || (lx.is(i + 1, ':') && !lx.is(i + 2, ':'))
        {
            i + 2
        } else if lx.is(i + 1, '=') && lx.is(i + 2, '>') {
            i + 3
        } else {
            continue;
        };
        let v = value(lx, at);
        if v == Val::Other {
            continue;
        }
        let k = norm(key);
        let call = stack
            .last()
            .copied()
            .flatten()
            .map(norm)
            .unwrap_or_default();
        let disabling_str = matches!(&v, Val::Str(s) if matches!(
            s.to_ascii_lowercase().as_str(),
            "suspended" | "disabled" | "off" | "false"
        ));
        let off = (k.contains("retention") && v == Val::Zero)
            || (PROTECTION.iter().any(|p| k.contains(p))
                && (matches!(v, Val::False | Val::Zero) || disabling_str))
            || (disabling_str && PROTECTION.iter().any(|p| call.contains(p)))
            || (TRUE_DESTROYS.contains(&k.as_str()) && v == Val::True)
            || (k == "force" && v == Val::True && matches!(call.as_str(), "sync" | "synchronize"));
        if off {
            found = Some(format!("`{}` set to {}", prefix(key, 40), shown(&v)));
        }
    }
    // Calls whose literal arguments reset a schema.
    for ch in calls {
        if found.is_some() {
            break;
        }
        for seg in &ch.segs {
            let Some(range) = seg.call else { continue };
            let name = norm(&seg.name);
            let lits: Vec<String> = chains::strings(lx, range)
                .iter()
                .map(|s| s.to_ascii_lowercase())
                .collect();
            let has = |w: &str| lits.iter().any(|l| l == w);
            let argv = chains::args(lx, range);
            let arg_is_true = |n: usize| {
                argv.get(n)
                    .is_some_and(|&(s, e)| e == s + 1 && value(lx, s) == Val::True)
            };
            let reset = match name.as_str() {
                "callcommand" | "executefromcommandline" | "runcommand" => {
                    has("flush") || has("reset_db") || (has("migrate") && has("zero"))
                }
                "downgrade" | "down" | "migratedown" => {
                    has("base")
                        || has("zero")
                        || (range.0..range.1).any(|j| matches!(lx.get(j), Some(Tok::Num(true))))
                }
                "synchronize" => arg_is_true(0),
                "rollback" => has("all") || arg_is_true(1),
                _ => false,
            };
            if reset {
                found = Some(format!(
                    "`{}` drops or resets every table",
                    prefix(&seg.name, 40)
                ));
                break;
            }
        }
    }
    if let Some(what) = found {
        ctx.add(
            Destructive,
            format!("code: {what}: switches off protection or drops the schema"),
        );
    }
}

fn shown(v: &Val) -> String {
    match v {
        Val::Zero => "0".into(),
        Val::True => "true".into(),
        Val::False => "false".into(),
        Val::Str(s) => format!("`{}`", prefix(s, 20)),
        Val::Other => "a value".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::lex::{Lang, lex};
    use super::*;
    use crate::Effect;

    fn eff(lang: Lang, code: &str) -> Option<Effect> {
        let lx = lex(lang, code);
        let calls = chains::chains(&lx, lang);
        let mut ctx = Ctx::new();
        protection(&mut ctx, &lx, &calls);
        ctx.max_effect()
    }

    #[test]
    fn protection_off_and_twins() {
        use Lang::{Js, Python};
        for (lang, off, on) in [
            (
                Python,
                "c.modify_db_instance(DBInstanceIdentifier='p', BackupRetentionPeriod=0)",
                "c.modify_db_instance(DBInstanceIdentifier='p', BackupRetentionPeriod=7)",
            ),
            (
                Python,
                "c.modify_db_cluster(DBClusterIdentifier='p', DeletionProtection=False)",
                "c.modify_db_cluster(DBClusterIdentifier='p', DeletionProtection=True)",
            ),
            (
                Python,
                "s3.put_bucket_versioning(Bucket='b', VersioningConfiguration={'Status': 'Suspended'})",
                "s3.put_bucket_versioning(Bucket='b', VersioningConfiguration={'Status': 'Enabled'})",
            ),
            (
                Python,
                "d.update_continuous_backups(TableName='t', PointInTimeRecoverySpecification={'PointInTimeRecoveryEnabled': False})",
                "d.update_continuous_backups(TableName='t', PointInTimeRecoverySpecification={'PointInTimeRecoveryEnabled': True})",
            ),
            (
                Python,
                "rds.delete_db_instance(DBInstanceIdentifier='p', SkipFinalSnapshot=True)",
                "rds.delete_db_instance(DBInstanceIdentifier='p', SkipFinalSnapshot=False, FinalDBSnapshotIdentifier='f')",
            ),
            (
                Js,
                "await sequelize.sync({ force: true })",
                "await sequelize.sync({ alter: true })",
            ),
            (Js, "await User.sync({ force: true })", "await User.sync()"),
            (
                Js,
                "await dataSource.synchronize(true)",
                "await dataSource.synchronize()",
            ),
            (
                Js,
                "const ds = new DataSource({ type: 'postgres', dropSchema: true })",
                "const ds = new DataSource({ type: 'postgres', dropSchema: false })",
            ),
            (
                Python,
                "from django.core.management import call_command\ncall_command('flush', interactive=False)",
                "from django.core.management import call_command\ncall_command('showmigrations')",
            ),
            (
                Python,
                "call_command('migrate', 'shop', 'zero')",
                "call_command('migrate', 'shop', '0042')",
            ),
            (
                Python,
                "from alembic import command\ncommand.downgrade(cfg, 'base')",
                "from alembic import command\ncommand.downgrade(cfg, '-1')",
            ),
            (
                Js,
                "await knex.migrate.rollback(config, true)",
                "await knex.migrate.rollback(config)",
            ),
            (
                Js,
                "await umzug.down({ to: 0 })",
                "await umzug.down({ to: '20240101-add-index' })",
            ),
        ] {
            assert_eq!(eff(lang, off), Some(Destructive), "{off}");
            assert_eq!(eff(lang, on), None, "{on}");
        }
    }
}
