//! The twenty-seventh sets' secret outputs, beside `producers::secret_output`'s own: a
//! password manager's entry (`bw get password`, `pass show`, `gopass show`, `lpass show`,
//! `secret-tool lookup`, `keepassxc-cli show`), a store's export (`chamber export`,
//! `infisical export`), a credential helper's answer (`docker-credential-desktop get`) and a
//! ciphertext decrypted by `openssl` onto the standard output.
//!
//! Reading one stays a read, as `cat ~/.ssh/id_rsa` does; what these rules add is that the
//! output is a secret, so a network program fed with it sends a secret (admin).

/// `pass` and `gopass` subcommands that print no entry's content. Anything else, an entry's
/// name included (`pass email/gmail`), prints a secret.
const PASS_QUIET: &[&str] = &[
    "ls",
    "list",
    "find",
    "search",
    "insert",
    "add",
    "edit",
    "rm",
    "remove",
    "delete",
    "mv",
    "rename",
    "cp",
    "copy",
    "git",
    "init",
    "help",
    "version",
    "sync",
    "setup",
    "config",
    "mounts",
    "recipients",
    "templates",
    "fsck",
    "clone",
    "completion",
    "history",
];

/// True when `first rest…` prints a stored secret's value.
pub(super) fn stores(first: &str, rest: &[&str]) -> bool {
    let has = |w: &str| rest.contains(&w);
    match first {
        // An item, its password, notes or code, the whole vault, or a session key (`unlock`,
        // `login` print `BW_SESSION`). `list items` holds every login's password.
        "bw" => {
            has("get")
                || has("export")
                || has("unlock")
                || has("login")
                || has("list") && has("items")
        }
        // The first operand is the subcommand or, bare, the entry shown.
        "pass" | "gopass" => rest
            .iter()
            .find(|w| !w.starts_with('-'))
            .is_some_and(|op| !PASS_QUIET.contains(op)),
        "lpass" => has("show") || has("export"),
        // `chamber list -e` shows the values too.
        "chamber" => {
            has("read")
                || has("export")
                || has("env")
                || has("list") && (has("-e") || has("--expand"))
        }
        "infisical" => has("export") || has("secrets") && !has("set") && !has("delete"),
        "secret-tool" => has("lookup") || has("search"),
        "keepassxc-cli" => has("show") || has("export"),
        "berglas" => has("access"),
        "openssl" => decrypts(rest),
        _ if first.starts_with("docker-credential-") => has("get"),
        _ => false,
    }
}

/// `openssl enc -d`, `openssl aes-256-cbc -d`, `openssl pkeyutl -decrypt` with no `-out`:
/// the plaintext goes to the standard output.
fn decrypts(rest: &[&str]) -> bool {
    const CIPHERS: &[&str] = &[
        "enc", "aes", "des", "bf", "camellia", "chacha", "aria", "sm4",
    ];
    let cipher = rest
        .first()
        .is_some_and(|c| CIPHERS.iter().any(|p| c.starts_with(p)));
    let decrypt = rest
        .iter()
        .any(|w| (cipher && *w == "-d") || *w == "-decrypt");
    decrypt && !rest.iter().any(|w| *w == "-out" || w.starts_with("-out="))
}

/// A `kubectl get` operand naming Secrets: `secret`, `secrets/db`, `Secret`,
/// `secrets.v1`, a list (`configmap,secret`), or a raw API path (`--raw
/// /api/v1/namespaces/x/secrets/db`).
pub(super) fn names_secret_kind(word: &str) -> bool {
    if word.starts_with("secret") {
        return true;
    }
    // Every other form holds `,`, `.`, `/` or an uppercase letter.
    if !word.contains([',', '.', '/']) && !word.bytes().any(|b| b.is_ascii_uppercase()) {
        return false;
    }
    let lower = word.to_ascii_lowercase();
    (lower.starts_with('/') && lower.split('/').any(|seg| seg == "secrets"))
        || lower.split(',').any(|kind| {
            let kind = kind.split('/').next().unwrap_or_default();
            let kind = kind.split('.').next().unwrap_or_default();
            matches!(kind, "secret" | "secrets")
        })
}

/// Whether `kubectl get` of Secrets prints their data: any output format but the name list
/// and the wide table (`-o yaml`, `-ojson`, `--output=jsonpath=…`, `--template`), or a raw
/// API read. Without one, the table shows names, types and key counts only.
pub(super) fn shows_secret_data(rest: &[&str]) -> bool {
    let mut words = rest.iter();
    while let Some(w) = words.next() {
        let value = if matches!(*w, "-o" | "--output") {
            words.next().copied()
        } else if let Some(v) = w
            .strip_prefix("--output=")
            .or_else(|| w.strip_prefix("-o="))
        {
            Some(v)
        } else if let Some(v) = w.strip_prefix("-o") {
            Some(v)
        } else if w.starts_with("--output") || w.starts_with("--template") || *w == "--raw" {
            return true;
        } else if w.starts_with("--v") || w.starts_with("--loglevel") || w.starts_with("-v") {
            // Verbosity (`-v=9`, `--v 8`, `--vmodule=…`, `oc --loglevel=9`): from level 8
            // kubectl logs the responses' bodies, the Secrets' data with them, on the standard
            // error (the last review of the change: `-v=9 2>&1 | curl` sent them as names).
            return true;
        } else if w.len() > 2
            && w.starts_with('-')
            && !w.starts_with("--")
            && w.contains(['o', 'v'])
        {
            // Short flags run together (`-Aoyaml` is `-A -o yaml`, `-Av=9` is `-A -v=9`; the
            // review of the twenty-seventh sets): an `o` or a `v` anywhere in them may be the
            // output or the verbosity flag, which are not read apart from the flags before.
            return true;
        } else {
            continue;
        };
        if !matches!(value, Some("name" | "wide")) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn password_managers_print_secrets_and_list_names() {
        for line in [
            "bw get password github",
            "bw export --raw --format json",
            "bw list items",
            "bw unlock --raw",
            "pass show email/gmail",
            "pass email/gmail",
            "pass -c email/gmail",
            "pass otp email/gmail",
            "gopass show -o web/github",
            "gopass cat web/github",
            "lpass show --password github",
            "chamber read app db_password",
            "chamber export app",
            "chamber list -e app",
            "infisical export",
            "infisical secrets get DB",
            "secret-tool lookup service github",
            "keepassxc-cli show -s db.kdbx entry",
            "berglas access sm://p/db",
            "openssl enc -d -aes-256-cbc -in s.enc",
            "openssl aes-256-cbc -d -in s.enc",
            "openssl pkeyutl -decrypt -inkey k.pem -in c.bin",
            "docker-credential-desktop get",
        ] {
            let w = words(line);
            let (first, rest) = w.split_first().unwrap_or((&"", &[]));
            assert!(stores(first, rest), "{line}");
        }
        for line in [
            "bw status",
            "bw list folders",
            "bw sync",
            "pass",
            "pass ls",
            "pass insert email/x",
            "pass git push",
            "gopass ls",
            "gopass find github",
            "lpass ls",
            "chamber list app",
            "infisical secrets set DB=x",
            "secret-tool store --label=x service gh",
            "keepassxc-cli ls db.kdbx",
            "openssl enc -d -aes-256-cbc -in s.enc -out s.txt",
            "openssl base64 -d -in x.b64",
            "openssl enc -aes-256-cbc -in s.txt",
            "docker-credential-desktop list",
        ] {
            let w = words(line);
            let (first, rest) = w.split_first().unwrap_or((&"", &[]));
            assert!(!stores(first, rest), "{line}");
        }
    }

    #[test]
    fn secret_data_shown_or_only_names() {
        for line in [
            "get secret db -o yaml",
            "get secret db -oyaml",
            "get secret db -o=json",
            "get secret db --output json",
            "get secret db --output=jsonpath={.data}",
            "get secret db -o go-template={{.data}}",
            "get secret db --template={{.data}}",
            "get secret db -o name -o yaml",
            "get secret db -o yaml -o name",
            "get secret db -o",
            "get --raw /api/v1/namespaces/p/secrets/db",
            "get secret db --output-watch-events -w",
            "get secrets -Aoyaml",
            "get secrets -Ao yaml",
            "get secrets -wojson",
            "get secrets -Aoname",
            "get secrets -v=9",
            "get secrets -v 8",
            "get secrets -v9",
            "get secrets --v=9",
            "get secrets --vmodule=round_trippers=9",
            "get secrets --loglevel=9",
            "-v=9 get secrets",
            "get secrets -Av=9",
            "get secrets -wv9",
        ] {
            assert!(shows_secret_data(&words(line)), "{line}");
        }
        for line in [
            "get secrets",
            "get secrets -A",
            "get secret db -o name",
            "get secret db -oname",
            "get secrets -o wide",
            "get secrets --show-labels -n prod",
            "get secrets -A -w",
            "get secrets -Aw",
        ] {
            assert!(!shows_secret_data(&words(line)), "{line}");
        }
    }

    #[test]
    fn secret_kinds() {
        for w in [
            "secret",
            "secrets/db",
            "Secret",
            "SECRETS",
            "secrets.v1",
            "secret.v1.",
            "configmap,secret",
            "all,Secrets",
            "/api/v1/namespaces/prod/secrets/db",
        ] {
            assert!(names_secret_kind(w), "{w}");
        }
        for w in [
            "configmap",
            "pods",
            "sealedsecrets",
            "externalsecret.external-secrets.io",
            "configmap,pods",
            "deploy/secret-rotator",
            "deploy/secrets-manager",
            "/api/v1/namespaces/prod/pods",
        ] {
            assert!(!names_secret_kind(w), "{w}");
        }
    }
}
