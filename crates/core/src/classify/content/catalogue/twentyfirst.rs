//! The twenty-first sets' command rules (docs/classifier.md, "The twenty-first sets"):
//! storage tools the table did not know, files sent by transfer and mail clients, commands run
//! on another machine by platform CLIs, and inline code of interpreters the table did not
//! know. Every rule only raises: these programs stay at least `mutating` (unknown or not).

use super::super::shell::{Input, Sh};
use super::super::wrappers::STDIN_PATHS;
use crate::Effect::{Admin, Destructive, Mutating};

pub(super) fn run(sh: &mut Sh, name: &str, args: &[String], stdin: &Input) {
    // Every command passes here: others leave at the first byte compared.
    match name {
        "mke2fs" | "mkntfs" | "mkdosfs" | "mkreiserfs" | "mkudffs" | "mkexfatfs" | "newfs"
        | "newfs_msdos" | "newfs_hfs" | "newfs_apfs" | "jfs_mkfs" | "mkfs_msdos"
        | "mkfs-bcachefs" | "sg_format" | "sg_sanitize" | "sg_unmap" | "secure-delete" => sh.add(
            Destructive,
            format_args!("`{name}` erases or reformats storage"),
        ),
        "nvme" => nvme(sh, args),
        "badblocks" | "partx" | "kpartx" | "flashrom" | "efibootmgr" | "xfs_repair" => {
            storage_flags(sh, name, args)
        }
        "sftp" | "ftp" | "lftp" | "tftp" | "smbclient" | "ncftp" => transfer(sh, name, args, stdin),
        "mutt" | "neomutt" | "mail" | "mailx" | "s-nail" | "nail" | "swaks" | "sendemail"
        | "croc" | "wormhole" | "magic-wormhole" => attached(sh, name, args),
        "heroku" | "gcloud" | "az" | "vagrant" | "ssh" => remote(sh, name, args, stdin),
        "R" | "racket" | "guile" | "sbcl" | "clojure" | "bb" | "ghc" | "crystal" | "octave"
        | "raku" | "perl6" | "qjs" | "jrunscript" => inline_code(sh, name, args),
        "awk" | "gawk" | "mawk" | "nawk" => awk_on_stdin(sh, args, stdin),
        "gh" => gh_api_files(sh, args),
        "curl" | "wget" | "http" | "https" | "xh" => sql_in_url(sh, name, args),
        _ => {}
    }
}

/// `awk -f /dev/stdin <<< 'BEGIN{system(…)}'`, `-f -`, `--file=/dev/stdin`: the program is
/// the input, judged as awk code (its `system()` and pipes are commands).
fn awk_on_stdin(sh: &mut Sh, args: &[String], stdin: &Input) {
    let Input::Literal(code) = stdin else { return };
    let from_stdin = |p: &str| p == "-" || STDIN_PATHS.contains(&p);
    let hit = args.iter().enumerate().any(|(i, a)| {
        let value = match a.as_str() {
            "-f" | "--file" => args.get(i + 1).map(String::as_str),
            _ => a
                .strip_prefix("--file=")
                .or_else(|| a.strip_prefix("-f").filter(|v| !v.is_empty())),
        };
        value.is_some_and(from_stdin)
    });
    if hit {
        sh.code_text("awk", code, "an awk program read from the input");
    }
}

/// `gh api … -F body=@.env`: gh reads a field's value from the file after `@` and sends it.
fn gh_api_files(sh: &mut Sh, args: &[String]) {
    if args.first().is_none_or(|a| a != "api") {
        return;
    }
    let mut words = args.iter();
    while let Some(a) = words.next() {
        let value = match a.as_str() {
            "-F" | "--field" | "--input" => words.next().map(String::as_str),
            _ => a
                .strip_prefix("--field=")
                .or_else(|| a.strip_prefix("--input="))
                .or_else(|| a.strip_prefix("-F").filter(|v| !v.is_empty())),
        };
        let file = value.and_then(|v| match v.split_once("=@") {
            Some((_, f)) => Some(f),
            // `--input FILE` is the whole body.
            None => (a.starts_with("--input")).then_some(v),
        });
        if let Some(f) = file.filter(|f| !f.is_empty() && *f != "-") {
            sent_file(sh, "gh api", f);
        }
    }
}

/// `nvme format|sanitize|write-zeroes|delete-ns|…`: erases namespaces or firmware.
fn nvme(sh: &mut Sh, args: &[String]) {
    let erasing = [
        "format",
        "sanitize",
        "write-zeroes",
        "delete-ns",
        "detach-ns",
        "write-uncor",
        "dsm",
        "fw-download",
        "fw-commit",
        "fw-activate",
        "reset",
        "subsystem-reset",
    ];
    if let Some(sub) = args.iter().find(|a| !a.starts_with('-'))
        && erasing.contains(&sub.as_str())
    {
        sh.add(
            Destructive,
            format_args!("`nvme {sub}` erases or replaces what the drive holds"),
        );
    }
}

/// Storage tools whose one flag destroys: `badblocks -w` (writes patterns over the device),
/// `partx -d`/`kpartx -d` (drops partitions), `flashrom -w`/`-E` (rewrites or erases the
/// firmware), `efibootmgr -B` (deletes a boot entry), `xfs_repair -L` (zeroes the log).
fn storage_flags(sh: &mut Sh, name: &str, args: &[String]) {
    let (short, long): (&[char], &[&str]) = match name {
        "badblocks" => (&['w'], &[]),
        "partx" | "kpartx" => (&['d'], &["--delete"]),
        "flashrom" => (&['w', 'E'], &["--write", "--erase"]),
        "efibootmgr" => (&['B'], &["--delete-bootnum"]),
        _ => (&['L'], &[]),
    };
    let hit = args.iter().take_while(|a| a.as_str() != "--").any(|a| {
        long.iter()
            .any(|l| a == l || a.strip_prefix(l).is_some_and(|r| r.starts_with('=')))
            || a.strip_prefix('-')
                .filter(|f| !f.starts_with('-'))
                .is_some_and(|f| f.chars().any(|c| short.contains(&c)))
    });
    if hit {
        sh.add(
            Destructive,
            format_args!("`{name}` erases or rewrites what a device holds"),
        );
    }
}

/// The file operands of upload commands (`put F`, `mput F…`, `append F`, `reput F`) in a
/// client's command text.
fn uploads(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for cmd in text.split(['\n', ';']) {
        let mut words = cmd.split_whitespace();
        let verb = words.next().unwrap_or("");
        if matches!(
            verb.to_ascii_lowercase().as_str(),
            "put" | "mput" | "append" | "reput" | "uput"
        ) {
            out.extend(words.filter(|w| !w.starts_with('-')));
        }
    }
    out
}

/// `sftp host <<< 'put .env'`, `lftp -c 'open h; put F'`, `tftp h -c put F`,
/// `smbclient //h/s -c 'put F'`: each file put is sent to the host (a secret: admin).
fn transfer(sh: &mut Sh, name: &str, args: &[String], stdin: &Input) {
    let mut texts: Vec<String> = Vec::new();
    if let Input::Literal(t) = stdin {
        texts.push(t.clone());
    }
    let mut words = args.iter();
    while let Some(a) = words.next() {
        match (name, a.as_str()) {
            ("lftp", "-c" | "-e") | ("smbclient", "-c" | "--command") => {
                texts.extend(words.next().cloned());
            }
            // tftp's `-c put F…`: the rest of the line is the command.
            ("tftp", "-c") => {
                texts.push(words.by_ref().cloned().collect::<Vec<_>>().join(" "));
            }
            _ => {
                if let Some(v) = a.strip_prefix("--command=") {
                    texts.push(v.to_string());
                }
            }
        }
    }
    for text in &texts {
        for file in uploads(text) {
            sent_file(sh, name, file);
        }
    }
}

/// A file a client sends: a secret is admin, any other file a network copy (mutating).
fn sent_file(sh: &mut Sh, name: &str, file: &str) {
    let file = file.trim_matches(['"', '\'']);
    match sh.secret_file(file) {
        Some(what) => sh.add(
            Admin,
            format_args!("`{name}` sends the secret `{what}` to another machine"),
        ),
        None => sh.add(
            Mutating,
            format_args!("`{name}` sends `{file}` to another machine"),
        ),
    }
}

/// Mail clients' attachments (`mutt -a F`, `mail -A F`, `mailx -a F`, `swaks --attach F`,
/// `sendemail -a F`) and peer-to-peer senders (`croc send F`, `wormhole send F`).
fn attached(sh: &mut Sh, name: &str, args: &[String]) {
    if matches!(name, "croc" | "wormhole" | "magic-wormhole") {
        if let Some(at) = args.iter().position(|a| a == "send") {
            for f in args.iter().skip(at + 1).filter(|a| !a.starts_with('-')) {
                sent_file(sh, name, f);
            }
        }
        return;
    }
    let (short, long): (&[&str], &[&str]) = match name {
        "swaks" => (&[], &["--attach", "--attach-body"]),
        "mail" => (&["-A", "-a"], &["--attach"]),
        _ => (&["-a"], &["--attach"]),
    };
    let mut words = args.iter();
    while let Some(a) = words.next() {
        if a == "--" {
            break;
        }
        let value = if short.contains(&a.as_str()) || long.contains(&a.as_str()) {
            words.next().map(String::as_str)
        } else {
            long.iter()
                .find_map(|l| a.strip_prefix(l).and_then(|r| r.strip_prefix('=')))
        };
        if let Some(v) = value {
            // swaks reads `@FILE` as the file's content.
            sent_file(sh, name, v.strip_prefix('@').unwrap_or(v));
        }
    }
}

/// Commands run on another machine: `heroku run CMD`, `gcloud compute ssh VM -- CMD`,
/// `az ssh vm … -- CMD`, `vagrant ssh -- CMD`, and `ssh HOST bash -s <<< 'CMD'` (the remote
/// shell reads the local input).
fn remote(sh: &mut Sh, name: &str, args: &[String], stdin: &Input) {
    let after_dashes = || {
        args.iter()
            .position(|a| a == "--")
            .map(|at| args.get(at + 1..).unwrap_or_default().join(" "))
    };
    let line = match name {
        "heroku" => args
            .iter()
            .position(|a| a == "run" || a == "run:detached" || a == "run:inside")
            .map(|at| heroku_command(args.get(at + 1..).unwrap_or_default())),
        "gcloud" if args.iter().any(|a| a == "ssh") => after_dashes(),
        "az" if args.iter().any(|a| a == "ssh") => after_dashes(),
        "vagrant" if args.first().is_some_and(|a| a == "ssh") => after_dashes(),
        "ssh" => {
            if let Input::Literal(code) = stdin
                && ssh_runs_a_shell_on_stdin(args)
            {
                sh.shell_text(code, "the input of a remote shell (`ssh HOST bash -s`)");
            }
            None
        }
        _ => None,
    };
    if let Some(line) = line.filter(|l| !l.trim().is_empty()) {
        sh.shell_text(&line, "a command run on another machine");
    }
}

/// The command of `heroku run`: its words without heroku's own options.
fn heroku_command(words: &[String]) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut it = words.iter();
    while let Some(w) = it.next() {
        match w.as_str() {
            "-a" | "--app" | "-r" | "--remote" | "-s" | "--size" | "-e" | "--env" | "--type" => {
                let _ = it.next();
            }
            "-x" | "--exit-code" | "--no-tty" | "--no-notify" => {}
            "--" => out.extend(it.by_ref().map(String::as_str)),
            _ if w.starts_with("--") && w.contains('=') => {}
            _ => out.push(w),
        }
    }
    out.join(" ")
}

/// True if ssh's remote command is a shell that reads its commands from the input (`bash -s`,
/// `sh`, `bash`, `sudo bash -s`).
fn ssh_runs_a_shell_on_stdin(args: &[String]) -> bool {
    // ssh's options that take a value.
    const VALUED: &str = "BbcDEeFIiJLlmOoPpQRSWw";
    let mut it = args.iter();
    let mut host = false;
    let mut command: Vec<&str> = Vec::new();
    while let Some(a) = it.next() {
        if !host {
            if let Some(f) = a.strip_prefix('-').filter(|f| !f.is_empty()) {
                if f.len() == 1 && f.chars().all(|c| VALUED.contains(c)) {
                    let _ = it.next();
                }
                continue;
            }
            host = true;
            continue;
        }
        command.extend(a.split_whitespace());
    }
    let mut words = command
        .into_iter()
        .skip_while(|w| *w == "sudo" || *w == "exec");
    let shell = words.next().map(|w| w.rsplit('/').next().unwrap_or(w));
    matches!(shell, Some("bash" | "sh" | "zsh" | "dash" | "ksh"))
        && words.all(|w| matches!(w, "-s" | "-" | "-x" | "-e" | "-l" | "--login" | "-i"))
}

/// Inline code of interpreters the table does not know (`R -e`, `racket -e`, `guile -c`,
/// `sbcl --eval`, `clojure -e`, `crystal eval`, `octave --eval`, `raku -e`):
/// judged as code of another language, where its command runners and removals are seen.
fn inline_code(sh: &mut Sh, name: &str, args: &[String]) {
    let lang = if name == "R" { "r" } else { "other" };
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let code = match a.as_str() {
            "-e" | "-c" | "--eval" | "-eval" | "--expr" | "--execute" => {
                it.next().map(String::as_str)
            }
            "eval" if name == "crystal" => it.next().map(String::as_str),
            _ => a
                .strip_prefix("--eval=")
                .or_else(|| a.strip_prefix("--expr=")),
        };
        if let Some(code) = code {
            sh.code_text(lang, code, &format!("`{name} {a}`"));
        }
    }
}

/// SQL sent in a URL's query to a database's HTTP interface: ClickHouse's `?query=`, InfluxDB's
/// `/query?q=`, a `sql=` parameter, and with `curl -G` the `-d`/`--data-urlencode` values that
/// become the query. Judged as SQL when its first word is a statement's.
fn sql_in_url(sh: &mut Sh, name: &str, args: &[String]) {
    let get = name == "curl"
        && args.iter().any(|a| {
            a == "--get"
                || a.strip_prefix('-')
                    .is_some_and(|f| !f.starts_with('-') && f.contains('G'))
        });
    let url = args
        .iter()
        .find(|a| !a.starts_with('-') && a.contains(['/', ':']))
        .map(String::as_str)
        .unwrap_or("");
    let mut pairs: Vec<(&str, String)> = Vec::new();
    let path = url.split_once('?').map_or(url, |(p, _)| p);
    for a in args.iter().filter(|a| !a.starts_with('-')) {
        if let Some((_, query)) = a.split_once('?') {
            for kv in query.split('&') {
                if let Some((k, v)) = kv.split_once('=') {
                    pairs.push((
                        k,
                        super::super::resource::percent_decode(&v.replace('+', " ")),
                    ));
                }
            }
        }
    }
    // HTTPie's and xh's `query=='DROP …'` is a URL query parameter (the review).
    if matches!(name, "http" | "https" | "xh" | "xhs") {
        for a in args.iter().filter(|a| !a.starts_with('-')) {
            if let Some((k, v)) = a.split_once("==") {
                pairs.push((k, v.to_string()));
            }
        }
    }
    if get {
        let mut words = args.iter();
        while let Some(a) = words.next() {
            let value = match a.as_str() {
                "-d" | "--data" | "--data-urlencode" | "--data-raw" | "--data-ascii" => {
                    words.next().map(String::as_str)
                }
                _ => a
                    .strip_prefix("--data-urlencode=")
                    .or_else(|| a.strip_prefix("--data="))
                    .or_else(|| a.strip_prefix("-d").filter(|v| !v.is_empty())),
            };
            if let Some((k, v)) = value.and_then(|v| v.split_once('=')) {
                pairs.push((k, v.to_string()));
            }
        }
    }
    let query_path = path.trim_end_matches('/').ends_with("/query");
    for (k, v) in pairs {
        let keyed = matches!(k, "query" | "sql") || (k == "q" && query_path);
        let first = v
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let statement = matches!(
            first.as_str(),
            "select"
                | "insert"
                | "update"
                | "delete"
                | "drop"
                | "truncate"
                | "alter"
                | "create"
                | "grant"
                | "revoke"
                | "with"
                | "rename"
                | "optimize"
                | "kill"
                | "system"
                | "attach"
                | "detach"
                | "replace"
                | "exchange"
                | "set"
                | "show"
                | "describe"
        );
        if keyed && statement {
            sh.sql_text(&v, "SQL sent in a URL's query");
        }
    }
}
