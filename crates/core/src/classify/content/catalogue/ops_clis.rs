//! Administration CLIs whose command word, at its place, decides: the HDFS shell, Mercurial,
//! ZooKeeper's shell, Samba, Keycloak's admin CLI and OpenStack (`super::run`).

use super::super::super::shell::Sh;
use crate::Effect::{self, Admin, Destructive, Mutating, Read};

/// The words of a command line that are not flags, with the values of `valued` flags (given
/// as the next word) left out.
fn plain_words<'a>(args: &'a [String], valued: &[&str]) -> Vec<&'a str> {
    plain_at(args, valued)
        .into_iter()
        .filter_map(|i| args.get(i).map(String::as_str))
        .collect()
}

/// Where those words are.
fn plain_at(args: &[String], valued: &[&str]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut it = args.iter().enumerate();
    while let Some((i, a)) = it.next() {
        if valued.contains(&a.as_str()) {
            it.next();
        } else if !a.starts_with('-') {
            out.push(i);
        }
    }
    out
}

/// CLIs whose command word, at its place, decides: the HDFS shell (`hdfs dfs -rm`, `hadoop fs
/// -rm`), Mercurial (`hg strip`), ZooKeeper's shell (`zkCli.sh -server h deleteall /x`),
/// Samba (`samba-tool user delete`), Keycloak (`kcadm.sh delete`) and OpenStack (`openstack
/// server delete`). A read is only the listed read commands, and the caller proves its flags
/// against the `prog:` and `prog:sub` rows.
pub(super) fn command_word(name: &str, args: &[String]) -> (Effect, String) {
    match name {
        "hdfs" | "hadoop" => hdfs(name, args),
        "hg" => hg(args),
        "samba-tool" => samba_tool(args),
        "kcadm.sh" | "kcadm" => {
            let verb = plain_words(args, &["--config", "--server", "--realm", "-r"])
                .first()
                .copied()
                .unwrap_or("");
            match verb {
                "delete" => (Destructive, "deletes Keycloak resources (`delete`)".into()),
                "set-password" | "add-roles" | "remove-roles" => {
                    (Admin, format!("changes credentials or roles (`{verb}`)"))
                }
                "get" | "get-roles" | "help" => (Read, format!("reads (`kcadm {verb}`)")),
                _ => (Mutating, format!("changes Keycloak (`kcadm {verb}`)")),
            }
        }
        "openstack" => openstack(args),
        _ => zookeeper(name, args),
    }
}

fn hdfs(name: &str, args: &[String]) -> (Effect, String) {
    const VALUED: &[&str] = &["--config", "--loglevel", "--hosts", "--hostnames"];
    let sub_at = plain_at(args, VALUED).first().copied();
    let sub = sub_at.and_then(|i| args.get(i)).map_or("", String::as_str);
    if name == "hdfs" && sub == "namenode" && args.iter().any(|a| a == "-format") {
        return (
            Destructive,
            "formats the NameNode (`namenode -format`)".into(),
        );
    }
    let shell = if name == "hdfs" {
        sub == "dfs"
    } else {
        matches!(sub, "fs" | "dfs")
    };
    // `hadoop distcp -delete`: files of the target the source lacks are deleted.
    if sub == "distcp" && args.iter().any(|a| a == "-delete") {
        return (
            Destructive,
            "deletes target files (`distcp -delete`)".into(),
        );
    }
    if !shell {
        return (Mutating, format!("runs `{name} {sub}`"));
    }
    // The shell command is the first dash word after `dfs`/`fs` that is not a generic option
    // (`-D k=v`, `-fs uri`, `-conf f`); one command a call.
    let at = sub_at.map_or(args.len(), |i| i + 1);
    let mut it = args.iter().skip(at);
    let mut command = "";
    while let Some(a) = it.next() {
        match a.as_str() {
            "-D" | "-fs" | "-conf" | "-jt" | "-files" | "-libjars" | "-archives" => {
                it.next();
            }
            d if d.starts_with("-D") => {}
            c if c.starts_with('-') => {
                command = c;
                break;
            }
            _ => break,
        }
    }
    match command {
        "-rm" | "-rmr" | "-rmdir" | "-expunge" | "-truncate" | "-deleteSnapshot" => (
            Destructive,
            format!("deletes files from HDFS (`{command}`)"),
        ),
        "-chmod" | "-chown" | "-chgrp" | "-setfacl" => {
            (Admin, format!("changes HDFS permissions (`{command}`)"))
        }
        "-ls" | "-lsr" | "-cat" | "-du" | "-dus" | "-stat" | "-count" | "-df" | "-text"
        | "-tail" | "-head" | "-test" | "-checksum" | "-getfacl" | "-getfattr" | "-find"
        | "-help" | "-usage" => (Read, format!("reads HDFS (`{command}`)")),
        _ => (Mutating, format!("changes HDFS (`{command}`)")),
    }
}

/// Mercurial takes any unambiguous prefix of a command (`hg stri` is `hg strip`).
fn hg(args: &[String]) -> (Effect, String) {
    let words = plain_words(
        args,
        &[
            "-R",
            "--repository",
            "--repo",
            "--cwd",
            "--config",
            "--encoding",
            "--encodingmode",
            "--color",
            "--pager",
        ],
    );
    let c = words.first().copied().unwrap_or("");
    let prefix = |full: &str| c.len() >= 3 && full.starts_with(c);
    if prefix("strip")
        || prefix("prune")
        || prefix("purge")
        || prefix("rollback")
        || matches!(c, "clean" | "obsolete" | "debugstrip")
    {
        return (
            Destructive,
            format!("removes changesets or files (`hg {c}`)"),
        );
    }
    match c {
        "log" | "history" | "status" | "st" | "diff" | "heads" | "branches" | "tags"
        | "summary" | "sum" | "identify" | "id" | "root" | "paths" | "files" | "manifest"
        | "help" | "version" => (Read, format!("reads the repository (`hg {c}`)")),
        _ => (Mutating, format!("changes the repository (`hg {c}`)")),
    }
}

/// `hg --config 'alias.x=!cmd'` or `--config 'hooks.pre-log=cmd'`: a command line that runs.
pub(super) fn hg_config(sh: &mut Sh, args: &[String]) {
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let value = match a.strip_prefix("--config=") {
            Some(v) => Some(v),
            None if a == "--config" => it.next().map(String::as_str),
            None => None,
        };
        let Some((key, text)) = value.and_then(|v| v.split_once('=')) else {
            continue;
        };
        let key = key.to_ascii_lowercase();
        if let Some(cmd) = text.strip_prefix('!').filter(|_| key.starts_with("alias."))
            && !cmd.is_empty()
        {
            sh.shell_text(cmd, "an alias of `hg --config`");
        } else if key.starts_with("hooks.") && !text.starts_with("python:") {
            sh.shell_text(text, "a hook of `hg --config`");
        } else if key.starts_with("hooks.") || key.starts_with("extensions.") {
            sh.add(Mutating, "`hg --config` loads code that is not visible");
        }
    }
}

/// `zkCli.sh [-server h:p] COMMAND ARGS`; Kafka's `zookeeper-shell.sh h:p COMMAND ARGS`.
fn zookeeper(name: &str, args: &[String]) -> (Effect, String) {
    let words = plain_words(args, &["-server", "-timeout", "-client-configuration"]);
    let skip = usize::from(name.starts_with("zookeeper-shell"));
    let c = words.get(skip).copied().unwrap_or("");
    match c {
        "delete" | "deleteall" | "rmr" | "delquota" => {
            (Destructive, format!("deletes ZooKeeper nodes (`{c}`)"))
        }
        "setAcl" | "reconfig" => (Admin, format!("changes access or the ensemble (`{c}`)")),
        "ls"
        | "ls2"
        | "get"
        | "stat"
        | "getAcl"
        | "getAllChildrenNumber"
        | "getEphemerals"
        | "listquota"
        | "config"
        | "whoami"
        | "version"
        | "help" => (Read, format!("reads ZooKeeper (`{c}`)")),
        _ => (Mutating, format!("changes ZooKeeper (`{c}`)")),
    }
}

/// `samba-tool NOUN VERB ARGS`: deleting is destructive, accounts, groups and the domain
/// changed are admin, listing and showing read.
fn samba_tool(args: &[String]) -> (Effect, String) {
    let words = plain_words(
        args,
        &[
            "-H",
            "--URL",
            "-U",
            "--username",
            "--password",
            "-s",
            "--configfile",
            "-d",
            "--debuglevel",
            "--realm",
            "-W",
            "--workgroup",
        ],
    );
    let noun = words.first().copied().unwrap_or("");
    let verb = words.get(1).copied().unwrap_or("");
    let access = matches!(
        noun,
        "user"
            | "group"
            | "computer"
            | "domain"
            | "gpo"
            | "ou"
            | "spn"
            | "delegation"
            | "forest"
            | "schema"
            | "drs"
            | "fsmo"
            | "contact"
            | "sites"
            | "dsacl"
            | "ntacl"
    );
    // `samba-tool domain level show`, `domain passwordsettings show`: the third word.
    let shows = matches!(
        verb,
        "list" | "show" | "listmembers" | "listobjects" | "info"
    ) || (noun == "domain" && words.get(2).is_some_and(|w| *w == "show"));
    if matches!(verb, "delete" | "del" | "remove" | "demote") {
        return (
            Destructive,
            format!("deletes accounts or objects (`samba-tool {noun} {verb}`)"),
        );
    }
    if noun == "domain" && !shows {
        return (
            Admin,
            format!("changes the domain (`samba-tool domain {verb}`)"),
        );
    }
    if shows {
        return (Read, format!("reads (`samba-tool {noun} {verb}`)"));
    }
    if access {
        return (
            Admin,
            format!("changes accounts or access (`samba-tool {noun} {verb}`)"),
        );
    }
    (
        Mutating,
        format!("changes Samba (`samba-tool {noun} {verb}`)"),
    )
}

/// `openstack [global options] NOUN… VERB [ARGS]`: the first verb word decides.
fn openstack(args: &[String]) -> (Effect, String) {
    let mut it = args.iter().peekable();
    // Global options: `--os-*` and `--log-file` take a value.
    while let Some(a) = it.peek() {
        if !a.starts_with('-') {
            break;
        }
        let valued = (a.starts_with("--os-") || a.as_str() == "--log-file") && !a.contains('=');
        it.next();
        if valued {
            it.next();
        }
    }
    let words: Vec<&str> = it
        .take_while(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    let has = |w: &str| words.contains(&w);
    let flag = |f: &str| {
        args.iter()
            .any(|a| a == f || a.starts_with(&format!("{f}=")))
    };
    let verb = words
        .iter()
        .copied()
        .find(|w| {
            matches!(
                *w,
                "delete"
                    | "purge"
                    | "add"
                    | "remove"
                    | "set"
                    | "unset"
                    | "create"
                    | "issue"
                    | "list"
                    | "show"
            )
        })
        .unwrap_or("");
    let noun = words.first().copied().unwrap_or("");
    match verb {
        "delete" | "purge" => (
            Destructive,
            format!("deletes OpenStack resources (`{noun} {verb}`)"),
        ),
        "add" | "remove" if noun == "role" => {
            (Admin, format!("changes role assignments (`role {verb}`)"))
        }
        "set" if noun == "user" && (flag("--password") || flag("--password-prompt")) => (
            Admin,
            "sets a user's password (`user set --password`)".into(),
        ),
        "set" if noun == "user" && has("password") => {
            (Admin, "sets a password (`user password set`)".into())
        }
        "create" | "issue" if matches!(noun, "credential" | "token" | "application" | "ec2") => {
            (Admin, format!("issues credentials (`{noun} {verb}`)"))
        }
        "list" | "show" => (Read, format!("reads (`{noun} {verb}`)")),
        _ => (
            Mutating,
            format!("changes OpenStack resources (`{noun} {verb}`)"),
        ),
    }
}
