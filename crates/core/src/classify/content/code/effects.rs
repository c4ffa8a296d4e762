//! What calls do, read from their names and arguments: a method whose name is a destructive
//! verb (`delete`, `drop`, `purge`, `truncate`, `destroy`, `rm_rf`, `RemoveAll`, …) destroys,
//! whatever object it is called on, so cloud SDKs and ORMs are caught by technique
//! (`….objects.all().delete()`, `delete_bucket`, `knex('t').del()`, `deleteMany({})`); an
//! access change (`put_bucket_policy`, `grant`, `create_user`) is admin; and a write is judged
//! by where it lands (`args::write_risk`): `/etc`, `authorized_keys`, shell startup files,
//! crontabs and credential stores are admin, a data file overwritten is destructive.

use super::super::{Ctx, args, prefix};
use super::chains::{self, Chain, Root, Seg};
use super::lex::{Lang, Lexed, Tok};
use crate::Effect::{self, Admin, Destructive, Mutating};
use crate::classify::name::words;

/// First words of a method name that destroy.
const DESTROY: &[&str] = &[
    "delete",
    "del",
    "drop",
    "purge",
    "truncate",
    "destroy",
    "wipe",
    "erase",
    "rmtree",
    "rmdir",
    "unlink",
    "shred",
    "nuke",
    "obliterate",
    "flushall",
    "flushdb",
    "dropdb",
    "rm",
    "remove",
    "deleteall",
    // A process's signal: `psutil.Process(pid).kill()`, `kill_process`.
    "kill",
    "killall",
];

/// First words that destroy only with an object named after them (`terminate_instances`,
/// `empty_bucket`), not alone (`p.terminate()`).
const DESTROY_WITH_OBJECT: &[&str] = &["terminate", "empty", "flush", "deregister", "decommission"];

/// Objects that `DESTROY_WITH_OBJECT` destroys when named earlier in the chain.
const RESOURCES: &[&str] = &[
    "instance", "cluster", "bucket", "server", "machine", "database",
];

/// In-memory frame operations named like deletions.
const IN_MEMORY: &[&str] = &[
    "drop_duplicates",
    "dropna",
    "drop_nulls",
    "droplevel",
    "drop_vars",
    "drop_sel",
    "drop_dims",
    "drop_in_place",
];

/// Words naming access: a change to one is admin.
const ACCESS: &[&str] = &[
    "policy",
    "policies",
    "iam",
    "role",
    "roles",
    "permission",
    "permissions",
    "acl",
    "acls",
    "privilege",
    "privileges",
    "superuser",
    "user",
    "users",
    "password",
    "credentials",
    "member",
    "members",
];

/// Keyword arguments (lowercase, without `_`) that grant privilege when written.
const PRIVILEGE_FIELDS: &[&str] = &[
    "issuperuser",
    "isstaff",
    "isadmin",
    "superuser",
    "admin",
    "role",
    "roles",
    "isroot",
    "userpermissions",
    "permissions",
    "privileges",
];

/// Verbs that change what they name.
const CHANGE: &[&str] = &[
    "put", "set", "attach", "create", "add", "update", "detach", "delete", "remove", "modify",
    "assign", "change", "reset", "grant", "revoke", "invite",
];

/// The effect of calling a method named `name` with `kwargs` (the keyword names passed).
pub(crate) fn verb(name: &str, kwargs: &[&str]) -> Option<(Effect, &'static str)> {
    if IN_MEMORY.contains(&name) {
        return None;
    }
    let w = words(name);
    let first = w.first()?.as_str();
    if matches!(first, "grant" | "revoke") {
        return Some((Admin, "changes access"));
    }
    if w.len() > 1
        && CHANGE.contains(&first)
        && w.iter().skip(1).any(|x| ACCESS.contains(&x.as_str()))
        || (w.len() > 2
            && CHANGE.contains(&first)
            && w.windows(2)
                .any(|p| matches!(p, [a, k] if a == "access" && k == "key")))
    {
        return Some((Admin, "changes access"));
    }
    // `User.objects.filter(…).update(is_superuser=True)`, `user.update(role: 'admin')`: a
    // write whose keyword arguments grant privilege.
    if (CHANGE.contains(&first) || matches!(first, "save" | "insert" | "upsert" | "bulk"))
        && kwargs.iter().any(|k| {
            let k = k.to_ascii_lowercase().replace('_', "");
            PRIVILEGE_FIELDS.contains(&k.as_str())
        })
    {
        return Some((Admin, "grants privilege (a privilege field is set)"));
    }
    if DESTROY.contains(&first) {
        // `deleteOne`: one document or row, a write like the others.
        if w.len() == 2 && w.get(1).is_some_and(|x| x == "one") {
            return None;
        }
        // `df.drop(columns=…)`: a frame in memory.
        if first == "drop"
            && kwargs
                .iter()
                .any(|k| matches!(*k, "columns" | "axis" | "index" | "labels" | "inplace"))
        {
            return None;
        }
        return Some((Destructive, "deletes"));
    }
    if w.len() > 1 && DESTROY_WITH_OBJECT.contains(&first) {
        return Some((Destructive, "deletes"));
    }
    // A destructive verb among the later words (`recursive_delete`, `batch_delete`,
    // `bulk_destroy`, `force_remove`, `find_one_and_delete`), unless the first word asks
    // about it or reacts to it (`get_delete_status`, `on_delete`, `is_deleted`).
    // After `and`/`then` the verb is done whatever the first word is (`find_one_and_delete`).
    let asks = ASKS.contains(&first);
    if w.windows(2).any(|p| {
        matches!(p, [before, x] if DESTROY_LATER.contains(&x.as_str())
            && (!asks || matches!(before.as_str(), "and" | "then")))
    }) {
        return Some((Destructive, "deletes"));
    }
    None
}

/// Destructive verbs that count anywhere among a method name's words.
const DESTROY_LATER: &[&str] = &[
    "delete",
    "destroy",
    "drop",
    "purge",
    "truncate",
    "wipe",
    "erase",
    "rmtree",
    "unlink",
    "shred",
    "nuke",
    "remove",
    "obliterate",
    "flushall",
    "flushdb",
    "deleteall",
];

/// First words of names that ask about, react to or undo an action rather than do it.
const ASKS: &[&str] = &[
    "get", "list", "describe", "is", "has", "can", "should", "on", "before", "after", "will",
    "was", "did", "check", "count", "find", "read", "search", "show", "print", "log", "validate",
    "verify", "test", "mock", "cancel", "undo", "restore", "recover", "prevent", "handle", "drag",
    "allow", "deny", "confirm", "why", "explain", "estimate", "preview", "plan", "simulate", "dry",
];

/// Keyword argument names in a call (`x=`, `x:`).
pub(super) fn kwargs(lx: &Lexed, range: (usize, usize)) -> Vec<&str> {
    chains::args(lx, range)
        .into_iter()
        .filter_map(|(s, _)| {
            let k = lx.ident(s)?;
            (lx.is(s + 1, '=') || lx.is(s + 1, ':')).then_some(k)
        })
        .collect()
}

/// Adds what the chains' calls do.
pub(crate) fn effects(ctx: &mut Ctx, lang: Lang, lx: &Lexed, chains: &[Chain]) {
    // `from shutil import rmtree as r`, `import { rm as r } from 'fs'`: the name called is
    // the imported one.
    let (aliases, _) = chains::imports(lx, lang);
    for ch in chains {
        if ch.root == Root::Name
            && let Some(first) = ch.segs.first()
            && first.call.is_some()
            && let Some((_, full)) = aliases.iter().find(|(a, _)| *a == first.name)
            && let Some(real) = full.rsplit('.').next()
            && let Some((e, what)) = verb(real, &[])
        {
            ctx.add(
                e,
                format!("code: `{}` ({full}) {what}", prefix(&first.name, 40)),
            );
        }
        // `$f('id')`, `$f->()`, `&$f`: a function named at run time.
        if matches!(lang, Lang::Php | Lang::Perl)
            && matches!(ch.root, Root::Var(_))
            && ch.segs.first().is_some_and(|s| s.name == "()")
        {
            ctx.add(
                Destructive,
                "code: calls a function whose name is a variable (chosen at run time)",
            );
        }
        for (k, seg) in ch.segs.iter().enumerate() {
            let after_dot = k > 0 || ch.root != Root::Name;
            let last = k + 1 == ch.segs.len();
            let passed = last
                && seg.call.is_none()
                && !seg.index
                && next_is_separator(lx, ch, lx_end(lx, ch));
            let called = seg.call.is_some() || (lang == Lang::Ruby && after_dot) || passed;
            if !called {
                continue;
            }
            let kw = seg.call.map(|r| kwargs(lx, r)).unwrap_or_default();
            if let Some((e, what)) = verb(&seg.name, &kw) {
                ctx.add(e, format!("code: `{}` {what}", prefix(&ch.path(), 80)));
            }
            // `ec2.instances.all().terminate()`, `ec2.Instance(i).terminate()`: the object is
            // named earlier in the chain (the twenty-third sets).
            if DESTROY_WITH_OBJECT.contains(&seg.name.as_str())
                && ch.segs.get(..k).unwrap_or_default().iter().any(|s| {
                    let n = s.name.to_ascii_lowercase();
                    RESOURCES.iter().any(|r| n.contains(r))
                })
            {
                ctx.add(
                    Destructive,
                    format!(
                        "code: `{}` {}s the resources it is called on",
                        prefix(&ch.path(), 80),
                        seg.name
                    ),
                );
            }
            if seg.call.is_some() {
                write(ctx, lang, lx, ch, k, seg);
            }
            // A Redis client's raw command (`r.execute_command('FLUSHALL')`,
            // `client.sendCommand(['FLUSHDB'])`) is judged as the command it sends.
            if let Some(range) = seg.call
                && matches!(
                    seg.name.as_str(),
                    "execute_command" | "send_command" | "sendCommand"
                )
            {
                let line = chains::strings(lx, range).join(" ");
                let (e, why) = super::redis_command(&line);
                if e != Effect::Read {
                    ctx.add(
                        e.max(Mutating),
                        format!("code: `{}` sends a Redis command: {why}", prefix(&line, 60)),
                    );
                }
            }
        }
    }
}

/// Token index just past a chain (approximate: its last call's closing parenthesis or name).
fn lx_end(lx: &Lexed, ch: &Chain) -> usize {
    let mut j = ch.at;
    let mut names = ch.segs.len();
    while names > 0 {
        match lx.get(j) {
            Some(Tok::Ident(_)) => {
                names -= 1;
                j += 1;
            }
            Some(Tok::Punct('(' | '[')) => j = lx.partner(j).map_or(j + 1, |e| e + 1),
            Some(_) => j += 1,
            None => break,
        }
    }
    j
}

fn next_is_separator(lx: &Lexed, _ch: &Chain, end: usize) -> bool {
    matches!(lx.get(end), Some(Tok::Punct(',' | ')' | ']')))
}

/// How a call writes: the argument that names the destination and whether it appends.
enum Dest {
    Arg(usize),
    /// The receiver (`Path(p).write_text(…)`).
    Receiver,
}

/// Writes by the called name (the module is not needed: the names are specific).
fn writer(lang: Lang, name: &str, path: &str) -> Option<(Dest, Option<bool>)> {
    // (destination, Some(append) when fixed, None when the mode decides).
    Some(match name {
        "writeFileSync" | "writeFile" | "writeTextFile" | "writeTextFileSync" | "WriteFile"
        | "binwrite" | "file_put_contents" | "createWriteStream" | "outputFile"
        | "outputFileSync" | "writeJson" | "writeJsonSync" | "write_file" => (Dest::Arg(0), None),
        "write" if matches!(path, "File.write" | "IO.write" | "Bun.write") => (Dest::Arg(0), None),
        "appendFileSync" | "appendFile" | "appendFileSync_" => (Dest::Arg(0), Some(true)),
        // .NET's `[IO.File]::WriteAllText(path, …)` from PowerShell or C#.
        "WriteAllText" | "WriteAllLines" | "WriteAllBytes" => (Dest::Arg(0), Some(false)),
        "AppendAllText" | "AppendAllLines" | "AppendText" => (Dest::Arg(0), Some(true)),
        "Create" | "create" | "createSync" if lang == Lang::Go || path.starts_with("Deno.") => {
            (Dest::Arg(0), Some(false))
        }
        "write_text" | "write_bytes" | "touch" => (Dest::Receiver, Some(false)),
        // Data libraries' savers and archive extraction (the twenty-third sets):
        // `df.to_csv(p)`, `np.save(p, a)`, `plt.savefig(p)`, `zf.extractall('/')`.
        "to_csv" | "to_json" | "to_parquet" | "to_excel" | "to_pickle" | "to_feather"
        | "to_hdf" | "savefig" | "savetxt" | "save" | "savez" | "tofile" | "extractall"
            if path.contains('.') =>
        {
            (Dest::Arg(0), Some(false))
        }
        "unpack_archive" if path.contains('.') => (Dest::Arg(1), Some(false)),
        "copy" | "copy2" | "copyfile" | "copyFile" | "copyFileSync" | "cpSync" | "move" | "mv"
        | "cp" | "rename" | "renames" | "renameSync" | "replace" | "Rename" | "symlink"
        | "symlinkSync" | "Symlink" | "Link" | "link" | "copytree"
            if path.contains('.') || matches!(lang, Lang::Php | Lang::Perl) =>
        {
            (Dest::Arg(1), Some(false))
        }
        "open" | "fopen" | "OpenFile" | "sysopen" | "openSync" | "readFileSync" | "readFile" => {
            (Dest::Arg(0), None)
        }
        _ => return None,
    })
}

fn write(ctx: &mut Ctx, lang: Lang, lx: &Lexed, ch: &Chain, k: usize, seg: &Seg) {
    let Some(range) = seg.call else { return };
    let path = ch
        .segs
        .get(..=k)
        .map(|s| {
            s.iter()
                .map(|x| x.name.as_str())
                .collect::<Vec<_>>()
                .join(".")
        })
        .unwrap_or_default();
    // `str.replace`, `list.copy()`: only a module's function or a path object's method.
    let Some((dest, fixed)) = writer(lang, &seg.name, &path) else {
        return;
    };
    let argv = chains::args(lx, range);
    let mut append = fixed;
    // A path object's move takes one argument, the destination (`Path(a).replace(b)`,
    // `Path(a).rename(b)`), and the receiver is the source (the twenty-third sets).
    let moves = matches!(
        seg.name.as_str(),
        "move" | "mv" | "rename" | "renames" | "renameSync" | "replace" | "Rename"
    );
    let one_arg_move = moves && argv.len() == 1 && k > 0 && ch.root != Root::Value;
    let mut dest_range = match dest {
        Dest::Arg(_) if one_arg_move => argv.first().copied(),
        Dest::Arg(n) => argv.get(n).copied(),
        Dest::Receiver => receiver(lx, ch, k),
    };
    // A move takes its source away: a sensitive file moved is changed as if written
    // (`os.rename('/etc/passwd', …)`, `shutil.move('/etc/shadow', '/dev/null')`).
    let source = if one_arg_move {
        receiver(lx, ch, k)
    } else if moves && argv.len() >= 2 && (seg.name != "replace" || path == "os.replace") {
        argv.first().copied()
    } else {
        None
    };
    if let Some((p, (e, why))) = source
        .map(|r| destination(lx, r))
        .unwrap_or_default()
        .iter()
        .find_map(|p| args::sensitive_path(p).map(|hit| (p.clone(), hit)))
    {
        ctx.add(
            e,
            format!(
                "code: `{}` moves `{}` away: {why}",
                prefix(&path, 60),
                prefix(&p, 80)
            ),
        );
    }
    if matches!(
        seg.name.as_str(),
        "open" | "fopen" | "OpenFile" | "sysopen" | "openSync" | "readFileSync" | "readFile"
    ) {
        match open_mode(lang, lx, &argv) {
            Some(OpenMode::Read) | None => return,
            Some(OpenMode::Write { append: a, dest }) => {
                append = Some(a);
                if let Some(d) = dest {
                    dest_range = Some(d);
                }
            }
        }
    }
    if matches!(seg.name.as_str(), "replace" | "copy")
        && ch.root == Root::Value
        && matches!(dest, Dest::Arg(_))
    {
        return;
    }
    // An append flag among the arguments (`FILE_APPEND`, `{flag: 'a'}`, `{append: true}`).
    let append = append.unwrap_or_else(|| {
        (range.0..range.1).any(|j| match lx.get(j) {
            Some(Tok::Ident(w)) => matches!(w.as_str(), "FILE_APPEND" | "O_APPEND" | "append"),
            Some(Tok::Str { text, .. }) => matches!(text.as_str(), "a" | "a+" | "as" | "as+"),
            _ => false,
        })
    });
    let Some(dest_range) = dest_range else { return };
    let mut target = destination(lx, dest_range);
    if target.is_empty() {
        // A path held in a name assigned above (`p = '/etc/x'; open(p, 'w')`).
        if let Some(name) = (dest_range.1 == dest_range.0 + 1)
            .then(|| lx.ident(dest_range.0))
            .flatten()
        {
            target = assigned(lx, name);
        }
    }
    let risk = target
        .iter()
        .filter_map(|p| args::write_risk(p, append).map(|r| (p, r)))
        .max_by_key(|(_, (e, _))| e.rank());
    match risk {
        Some((p, (e, why))) => ctx.add(
            e,
            format!(
                "code: `{}` writes `{}`: {why}",
                prefix(&path, 60),
                prefix(p, 80)
            ),
        ),
        None => ctx.add(
            Mutating,
            format!("code: `{}` writes a file", prefix(&path, 60)),
        ),
    }
}

enum OpenMode {
    Read,
    Write {
        append: bool,
        dest: Option<(usize, usize)>,
    },
}

/// The mode of an `open`-like call.
fn open_mode(lang: Lang, lx: &Lexed, argv: &[(usize, usize)]) -> Option<OpenMode> {
    let mode_of = |m: &str| {
        // `n` and `c` are dbm's and shelve's new and create flags.
        if m.contains(['w', 'a', 'x', '+', 'n', 'c']) {
            OpenMode::Write {
                append: m.contains('a') && !m.contains('w'),
                dest: None,
            }
        } else {
            OpenMode::Read
        }
    };
    match lang {
        Lang::Perl => {
            // `open(FH, '>', $p)`, `open(my $fh, ">>$p")`.
            let m = argv
                .get(1)
                .and_then(|r| chains::strings(lx, *r).first().map(|s| s.to_string()))?;
            let t = m.trim_start();
            if argv.len() >= 3 {
                return Some(match t {
                    ">" | ">:raw" | ">:utf8" | "+>" | "+<" => OpenMode::Write {
                        append: false,
                        dest: argv.get(2).copied(),
                    },
                    ">>" | "+>>" => OpenMode::Write {
                        append: true,
                        dest: argv.get(2).copied(),
                    },
                    _ if t.starts_with('>') => OpenMode::Write {
                        append: t.starts_with(">>"),
                        dest: argv.get(2).copied(),
                    },
                    _ => OpenMode::Read,
                });
            }
            if t.starts_with('>') || t.starts_with("+<") {
                return Some(OpenMode::Write {
                    append: t.starts_with(">>"),
                    dest: argv.get(1).copied(),
                });
            }
            Some(OpenMode::Read)
        }
        Lang::Go => {
            // `os.OpenFile(p, os.O_RDWR|os.O_TRUNC, 0644)`.
            let r = argv.get(1)?;
            let flags: Vec<&str> = (r.0..r.1).filter_map(|j| lx.ident(j)).collect();
            if flags.iter().any(|f| {
                matches!(
                    *f,
                    "O_WRONLY" | "O_RDWR" | "O_CREATE" | "O_TRUNC" | "O_APPEND"
                )
            }) {
                let append = flags.contains(&"O_APPEND") && !flags.contains(&"O_TRUNC");
                Some(OpenMode::Write { append, dest: None })
            } else {
                Some(OpenMode::Read)
            }
        }
        Lang::Js => {
            // `fs.openSync(p, 'w')`, `readFileSync(p, {flag: 'w+'})`.
            let flag = argv.iter().skip(1).find_map(|&(s, e)| {
                chains::literal(lx, (s, e)).map(str::to_string).or_else(|| {
                    (s..e).find_map(|j| {
                        (matches!(lx.ident(j), Some("flag" | "flags")) && lx.is(j + 1, ':'))
                            .then(|| match lx.get(j + 2) {
                                Some(Tok::Str { text, .. }) => Some(text.clone()),
                                _ => Some("w".to_string()),
                            })
                            .flatten()
                    })
                })
            });
            match flag {
                // An encoding name is not a mode.
                Some(f) if !f.is_empty() && f.chars().all(|c| "rwaxs+".contains(c)) => {
                    Some(mode_of(&f))
                }
                _ => Some(OpenMode::Read),
            }
        }
        _ => {
            // `dbm.open(p, flag='r')`, `shelve.open(p, flag='r')`: only `r` reads (`n`
            // empties the file, `c` and `w` write).
            if let Some(flag) = argv.iter().find_map(|&(s, e)| {
                (lx.ident(s) == Some("flag") && lx.is(s + 1, '=') && !lx.is(s + 2, '='))
                    .then(|| chains::literal(lx, (s + 2, e)).map(str::to_string))
            }) {
                return Some(match flag.as_deref() {
                    Some("r") => OpenMode::Read,
                    _ => OpenMode::Write {
                        append: false,
                        dest: None,
                    },
                });
            }
            // The second positional argument or `mode=`.
            let mode = argv.iter().find_map(|&(s, e)| {
                (lx.ident(s) == Some("mode") && (lx.is(s + 1, '=') || lx.is(s + 1, ':')))
                    .then(|| chains::strings(lx, (s, e)).first().map(|x| x.to_string()))
                    .flatten()
            });
            let mode = mode.or_else(|| {
                argv.get(1)
                    .and_then(|r| chains::literal(lx, *r))
                    .map(str::to_string)
            });
            match mode {
                Some(m) => Some(mode_of(&m)),
                // A mode that is not a literal: unknown, judged as a write.
                None if argv.len() > 1 => Some(OpenMode::Write {
                    append: false,
                    dest: None,
                }),
                None => Some(OpenMode::Read),
            }
        }
    }
}

/// The arguments of the call a method is called on (`Path('x')` in `Path('x').write_text`),
/// or the expression in parentheses before it.
fn receiver(lx: &Lexed, ch: &Chain, k: usize) -> Option<(usize, usize)> {
    if k > 0 {
        let prev = ch.segs.get(k - 1)?;
        if let Some(r) = prev.call {
            return Some(r);
        }
        if k == 1 && ch.root == Root::Name {
            return Some((ch.at, ch.at + 1));
        }
        return None;
    }
    // A value root: the parenthesised expression before the dot.
    let close = ch.at.checked_sub(1)?;
    let open = (0..close).rev().find(|&o| lx.partner(o) == Some(close))?;
    Some((open + 1, close))
}

/// Candidate destinations from an argument's tokens: its literals joined as written and
/// joined with `/`, with a home directory spelled `~` when the code asks for it.
fn destination(lx: &Lexed, range: (usize, usize)) -> Vec<String> {
    let lits = chains::strings(lx, range);
    if lits.is_empty() {
        return Vec::new();
    }
    let home = (range.0..range.1).any(|j| match lx.get(j) {
        Some(Tok::Ident(w)) => matches!(
            w.as_str(),
            "homedir" | "home" | "expanduser" | "HOME" | "UserHomeDir" | "home_dir" | "USERPROFILE"
        ),
        Some(Tok::Var(v)) => v.contains("HOME"),
        _ => false,
    }) || lits.iter().any(|l| matches!(*l, "HOME" | "USERPROFILE"));
    let lits: Vec<&str> = lits
        .into_iter()
        .filter(|l| !matches!(*l, "HOME" | "USERPROFILE"))
        .collect();
    let concat = lits.concat();
    let joined = lits
        .iter()
        .map(|l| l.trim_matches('/'))
        .collect::<Vec<_>>()
        .join("/");
    let mut out = vec![concat.clone(), joined.clone()];
    if home {
        out.push(format!("~/{}", concat.trim_start_matches('/')));
        out.push(format!("~/{joined}"));
    }
    out
}

/// The literals assigned to `name` in the snippet.
fn assigned(lx: &Lexed, name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for i in 0..lx.toks.len() {
        if lx.ident(i) == Some(name) && lx.is(i + 1, '=') && !lx.is(i + 2, '=') {
            let line = lx.line(i);
            let mut e = i + 2;
            while lx.get(e).is_some() && lx.line(e) == line && !lx.is(e, ';') {
                e += 1;
            }
            out.extend(destination(lx, (i + 2, e)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn destructive_verbs_by_technique() {
        for n in [
            "delete",
            "delete_bucket",
            "deleteObjects",
            "delete_objects",
            "drop",
            "drop_table",
            "purge",
            "truncate",
            "destroy",
            "destroy_all",
            "remove_tree",
            "rmtree",
            "rm_rf",
            "RemoveAll",
            "terminate_instances",
            "deleteMany",
            "del",
            "wipe",
            "delete_table",
            "delete_container",
            "empty_bucket",
            "recursive_delete",
            "batch_delete",
            "bulk_destroy",
            "force_remove",
            "find_one_and_delete",
            "findOneAndRemove",
            "cascadeDelete",
        ] {
            assert_eq!(verb(n, &[]).map(|v| v.0), Some(Destructive), "{n}");
        }
        for n in [
            "put_bucket_policy",
            "grant",
            "create_user",
            "attach_role_policy",
            "create_access_key",
            "set_iam_policy",
        ] {
            assert_eq!(verb(n, &[]).map(|v| v.0), Some(Admin), "{n}");
        }
        // Twins: reads, in-memory frame operations, one document, a process's own exit.
        for n in [
            "get_bucket",
            "list_objects",
            "drop_duplicates",
            "dropna",
            "deleteOne",
            "terminate",
            "removeprefix",
            "describe_instances",
            "read",
            "get_delete_status",
            "on_delete",
            "is_deleted",
            "handleDrop",
            "deleted_at",
            "cancel_deletion",
            "restore_deleted",
        ] {
            assert_eq!(verb(n, &[]), None, "{n}");
        }
        assert_eq!(verb("drop", &["columns"]), None);
        assert_eq!(verb("drop", &["axis"]), None);
    }
}
