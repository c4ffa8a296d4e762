//! Commands whose output is a secret (`env`, `vault kv get`, `kubectl get secret`, `heroku
//! config`, `security find-generic-password -w`): what a later network program sends.

use super::program_name;
use crate::classify::content::args;

/// `exec CONTAINER PRODUCER …` (`docker exec pg pg_dumpall`, `kubectl exec db-0 -- env`): a
/// secret's producer run inside a container prints its secret here.
fn in_container(rest: &[&str]) -> bool {
    rest.first().is_some_and(|w| *w == "exec")
        && (reads_secret_file_inside(rest)
            || rest.iter().enumerate().skip(1).any(|(i, w)| {
                let name = program_name(w);
                // Not the same program again (`docker exec docker …` is not a loop worth following).
                !matches!(name, "docker" | "podman" | "kubectl" | "oc")
                    && SECRET_PRODUCERS.contains(&name)
                    && secret_output(rest.get(i..).unwrap_or_default()).is_some()
            }))
}

/// `exec CONTAINER cat /run/secrets/db` (or `sh -c 'cat …'`): a reader given a secret file
/// inside the container prints it here. Each word is split at whitespace once.
fn reads_secret_file_inside(rest: &[&str]) -> bool {
    const READERS: &[&str] = &[
        "cat", "head", "tail", "tac", "less", "more", "base64", "base32", "xxd", "od", "strings",
        "nl", "sort", "grep", "jq", "yq",
    ];
    let words = || rest.iter().skip(1).flat_map(|w| w.split_whitespace());
    words().any(|w| READERS.contains(&program_name(w))) && words().any(args::secret_path)
}

/// Whether [`secret_output`] knows `name` (its list, and any `docker-credential-*` helper).
pub(super) fn is_producer(name: &str) -> bool {
    SECRET_PRODUCERS.contains(&name) || name.starts_with("docker-credential-")
}

/// A pattern that finds credentials by their shape: AWS key ids, GitHub, GitLab, Slack and
/// Stripe tokens, private key blocks.
fn credential_pattern(rest: &[&str]) -> bool {
    const SHAPES: &[&str] = &[
        "AKIA",
        "ASIA",
        "ghp_",
        "gho_",
        "ghs_",
        "github_pat_",
        "glpat-",
        "xoxb-",
        "xoxp-",
        "sk_live_",
        "rk_live_",
        "BEGIN RSA",
        "BEGIN OPENSSH",
        "BEGIN PRIVATE",
        "BEGIN EC",
        "aws_secret_access_key",
    ];
    // Every shape holds `_`, `-`, `IA` or `BEGIN`: most words (`error`, `src/`) are passed
    // over with one scan.
    // A flag without a value and a path are not patterns.
    rest.iter().any(|w| {
        w.len() >= 4
            && (!w.starts_with('-') || w.contains('='))
            && !w.starts_with(['/', '.', '~'])
            && (w.contains(['_', '-']) || w.contains("IA") || w.contains("BEGIN"))
            && SHAPES.iter().any(|s| w.contains(s))
    })
}

/// A word of a remote shell's command line that is a producer's whole command (`ssh prod
/// printenv`, `ssh prod 'env'`, `flyctl ssh console -C 'printenv'`).
fn remote_secret(rest: &[&str]) -> bool {
    rest.iter().enumerate().any(|(i, w)| {
        let words: Vec<&str> = w.split_whitespace().collect();
        let words = if words.len() == 1 {
            // `ssh host cmd arg…`: the command's words are the rest of the line.
            rest.get(i..).unwrap_or_default().to_vec()
        } else {
            words
        };
        let name = words.first().map_or("", |f| program_name(f));
        !matches!(name, "ssh" | "flyctl" | "fly")
            && matches!(name, "env" | "printenv" | "set" | "export" | "declare")
            && secret_output(&words).is_some()
    })
}

/// Programs [`secret_output`] knows to print secrets.
pub(super) const SECRET_PRODUCERS: &[&str] = &[
    "env",
    "printenv",
    "set",
    "export",
    "declare",
    "vault",
    "kubectl",
    "oc",
    "aws",
    "gcloud",
    "az",
    "gh",
    "glab",
    "git",
    "ps",
    "docker",
    "podman",
    "pg_dump",
    "pg_dumpall",
    "mysqldump",
    "mariadb-dump",
    "mongodump",
    "mongoexport",
    "heroku",
    "airflow",
    "databricks",
    "etcdctl",
    "security",
    "gpg",
    "gpg2",
    "sops",
    "age",
    "grep",
    "egrep",
    "rg",
    "ag",
    "terraform",
    "tofu",
    "railway",
    "ssh",
    "flyctl",
    "fly",
    "helm",
    "pulumi",
    "npm",
    // The twenty-third sets' infrastructure stores and CLIs (`more_secrets`).
    "consul",
    "nomad",
    "doctl",
    "supabase",
    "netlify",
    "vercel",
    "firebase",
    "rclone",
    "s3cmd",
    "systemctl",
    "op",
    "doppler",
    "ansible-vault",
    // The twenty-seventh sets' password managers and decryptors (`stores`).
    "bw",
    "pass",
    "gopass",
    "lpass",
    "chamber",
    "infisical",
    "secret-tool",
    "keepassxc-cli",
    "berglas",
    "openssl",
];

/// A command whose output is a secret: the whole environment (`env`, `printenv`), a variable
/// named as one, or a secret store's read (`vault kv get`, `kubectl get secret`, `aws
/// secretsmanager get-secret-value`, `gh auth token`). A secret variable expanded in a
/// request (`-H "Authorization: Bearer $TOKEN"`) is how APIs are called, and is not counted.
pub(super) fn secret_output(words: &[&str]) -> Option<String> {
    let first = program_name(words.first()?);
    if !is_producer(first) {
        return None;
    }
    let rest = words.get(1..).unwrap_or_default();
    let has = |w: &str| rest.contains(&w);
    let secret = more_secrets(first, rest)
        || super::stores::stores(first, rest)
        || match first {
        "env" | "printenv" | "set" | "export" | "declare" => {
            rest.is_empty()
                || rest.iter().any(|w| args::secret_variable(w))
                || (matches!(first, "export" | "declare")
                    && rest
                        .iter()
                        .all(|w| matches!(*w, "-p" | "-x" | "-px" | "-xp")))
        }
        // BSD-style `ps e…` prints each process's environment.
        "ps" => rest
            .first()
            .is_some_and(|f| !f.starts_with('-') && f.contains('e')),
        // A container's environment and configuration, or a producer run inside it
        // (`docker exec pg pg_dumpall`).
        // A compose project's configuration with its variables filled in (`compose config`,
        // not `--services` and the other name lists).
        "docker" | "podman" => {
            has("inspect")
                || in_container(rest)
                || has("compose")
                    && has("config")
                    && !rest.iter().any(|w| {
                        matches!(
                            *w,
                            "--services"
                                | "--volumes"
                                | "--profiles"
                                | "--images"
                                | "--networks"
                                | "--hash"
                                | "-q"
                                | "--quiet"
                        )
                    })
        }
        "vault" => has("read") || (has("kv") && has("get")),
        "kubectl" | "oc" => {
            // Names, types and key counts are not the secret (`kubectl get secrets`, `-o
            // name`); any other output is. `oc extract` writes or prints the values.
            (has("get")
                && rest.iter().any(|w| super::stores::names_secret_kind(w))
                && super::stores::shows_secret_data(rest))
                || (first == "oc" && has("extract"))
                || in_container(rest)
                // The kubeconfig with its tokens and keys (`config view --raw`).
                || (has("config") && has("view") && (has("--raw") || has("--flatten")))
        }
        // Outputs with their sensitive values (`-raw`, `-json` print them; the plain
        // listing hides them).
        // The state file, with every resource's secrets (`state pull`, `show -json`).
        "terraform" | "tofu" => {
            (has("output") || has("show"))
                && rest
                    .iter()
                    .any(|w| matches!(*w, "-raw" | "-json" | "--raw" | "--json"))
                || has("state") && has("pull")
        }
        // A release's values (passwords given with `--set`) and its manifest (its Secrets).
        "helm" => has("get") && (has("values") || has("all") || has("manifest")),
        // A stack's configuration and state shown with their secrets.
        "pulumi" => has("--show-secrets") || has("config") && has("get"),
        // The registry's login token (`npm config get //registry.npmjs.org/:_authToken`).
        "npm" => {
            has("config")
                && has("get")
                && rest.iter().any(|w| {
                    let w = w.to_ascii_lowercase();
                    ["auth", "_password", "token"].iter().any(|s| w.contains(s))
                })
        }
        // A Railway service's variables with their values (not `--set`).
        "railway" => {
            (has("variables") || has("variable") || has("vars"))
                && !rest
                    .iter()
                    .any(|w| *w == "--set" || *w == "-s" || w.starts_with("--set="))
        }
        // A producer run on another machine prints its secret here (`ssh prod printenv`,
        // `flyctl ssh console -C printenv`).
        "ssh" | "flyctl" | "fly" => remote_secret(rest),
        "aws" => {
            has("get-secret-value")
                || has("--with-decryption")
                || has("export-credentials")
                // Temporary credentials, a registry's or database's login, a new key, and a
                // function's environment (its variables hold its secrets).
                || has("get-session-token")
                || has("assume-role")
                || has("get-federation-token")
                || has("get-login-password")
                || has("generate-db-auth-token")
                || has("create-access-key")
                || (has("lambda")
                    && (has("get-function-configuration") || has("get-function")))
                // `aws configure get aws_secret_access_key` (not `region`).
                || (has("configure")
                    && has("get")
                    && rest.iter().any(|w| {
                        let w = w.to_ascii_lowercase();
                        ["secret", "key", "token", "password"]
                            .iter()
                            .any(|s| w.contains(s))
                    }))
        }
        // A file decrypted (`gpg -d ~/.secrets.gpg`, `sops -d secrets.enc.yaml`).
        "gpg" | "gpg2" | "sops" | "age" => rest.iter().any(|w| {
            matches!(*w, "-d" | "--decrypt")
                // A private key exported (`gpg --export-secret-keys -a`).
                || (matches!(first, "gpg" | "gpg2") && w.starts_with("--export-secret"))
                // A cluster (`gpg -qd f`).
                || (matches!(first, "gpg" | "gpg2")
                    && w.len() <= 5
                    && w.strip_prefix('-').is_some_and(|c| {
                        !c.starts_with('-') && c.contains('d') && c.chars().all(|x| x.is_ascii_alphabetic())
                    }))
        }),
        // A search for credentials by their shape (`grep -o 'ghp_[A-Za-z0-9]*' -r ~/.config`).
        "grep" | "egrep" | "rg" | "ag" | "git" if credential_pattern(rest) => true,
        "gcloud" => {
            has("secrets") && has("access")
                || has("print-access-token")
                || has("print-identity-token")
                || has("config-helper")
        }
        "az" => {
            has("keyvault") && has("secret") && has("show")
                || has("show-connection-string")
                || has("get-access-token")
                || has("keys") && has("list")
                || has("credential") && has("show")
                // An app's settings and connection strings, with their values.
                || (has("appsettings") || has("connection-string")) && has("list")
        }
        // The token, or the login's status shown with it (`auth status -t`).
        "gh" | "glab" => {
            has("auth")
                && (has("token")
                    || has("status")
                        && rest
                            .iter()
                            .any(|w| *w == "-t" || w.starts_with("--show-t")))
        }
        "git" => {
            (has("config") && rest.iter().any(|w| w.contains("extraheader")))
                || (has("credential") && (has("fill") || has("get")))
        }
        // A database's whole content on the standard output (not into a file).
        "pg_dump" | "pg_dumpall" | "mysqldump" | "mariadb-dump" => !rest.iter().any(|w| {
            matches!(*w, "-f" | "--file" | "-r" | "--result-file")
                || w.starts_with("--file=")
                || w.starts_with("--result-file=")
                || (w.starts_with("-f") && w.len() > 2)
        }),
        "mongodump" => has("--archive"),
        // An app's configuration variables (`heroku config`, `heroku config:get KEY`).
        "heroku" => {
            rest.iter().any(|w| {
                *w == "config" || w.starts_with("config:get") || w.starts_with("releases:info")
            }) && !rest
                .iter()
                .any(|w| w.starts_with("config:set") || w.starts_with("config:unset"))
        }
        // Airflow's stored connections carry their passwords (`airflow connections get`).
        "airflow" => (has("connections") || has("variables")) && (has("get") || has("export")),
        "databricks" => has("secrets") && rest.iter().any(|w| w.starts_with("get")),
        // Kubernetes' secrets read straight from etcd (`etcdctl get /registry/secrets`).
        // Every key from the root (`etcdctl get "" --prefix`) includes them.
        "etcdctl" => {
            has("get")
                && (rest.iter().any(|w| w.contains("secret"))
                    || (has("--prefix") && (has("") || has("/") || has("\"\""))))
        }
        // macOS's keychain: a password printed (`-w`) or the whole keychain decrypted (`-d`).
        "security" => {
            // `-w`, or `-g`, alone or in a cluster (`-wa me`).
            let prints = rest.iter().any(|w| {
                w.starts_with('-') && !w.starts_with("--") && (w.contains('w') || w.contains('g'))
            });
            (rest
                .iter()
                .any(|w| w.starts_with("find-") && w.ends_with("-password"))
                && prints)
                || (has("dump-keychain") && has("-d"))
        }
        "mongoexport" => !rest.iter().any(|w| *w == "-o" || w.starts_with("--out")),
        _ => false,
    };
    secret.then(|| {
        format!(
            "$({})",
            words.iter().take(3).copied().collect::<Vec<_>>().join(" ")
        )
    })
}

/// The twenty-third sets' secret outputs of infrastructure CLIs, beside `secret_output`'s
/// own: a store's value (`consul kv get`, `nomad var get`, `op read`, `doppler secrets`), a
/// CLI's login token (`vault print token`, `doctl auth token`, `fly auth token`, `heroku
/// auth:token`), a cluster's kubeconfig (`doctl kubernetes cluster kubeconfig show`), a
/// tool's stored remotes and keys (`rclone config show`, `s3cmd --dump-config`), a decrypted
/// value (`aws kms decrypt`, `aws ec2 get-password-data`, `ansible-vault view`), an app's
/// environment (`netlify env:get`, `vercel env pull`, `firebase functions:config:get`,
/// `systemctl show-environment`) and a new SAS token or password (`az … generate-sas`,
/// `az ad sp create-for-rbac`).
fn more_secrets(first: &str, rest: &[&str]) -> bool {
    let has = |w: &str| rest.contains(&w);
    let starts = |p: &str| rest.iter().any(|w| w.starts_with(p));
    match first {
        "vault" => has("token") && (has("lookup") || has("print")),
        "consul" => {
            has("kv") && (has("get") || has("export")) || has("acl") && has("token") && has("read")
        }
        "nomad" => (has("var") || has("vars")) && (has("get") || has("read")),
        "doctl" => {
            has("auth") && has("token")
                || has("kubeconfig") && has("show")
                || has("registry") && has("docker-config")
        }
        "flyctl" | "fly" => has("auth") && has("token"),
        "heroku" => starts("auth:token"),
        "supabase" => has("api-keys"),
        "netlify" => starts("env:get") || starts("env:list"),
        "vercel" => has("env") && has("pull"),
        "firebase" => starts("functions:config:get"),
        "rclone" => has("config") && (has("show") || has("dump")),
        "s3cmd" => has("--dump-config"),
        "systemctl" => has("show-environment"),
        "op" => {
            has("read")
                || (has("item") || has("document")) && has("get")
                || has("inject")
                || has("signin") && has("--raw")
        }
        "doppler" => has("secrets") && !has("set") && !has("delete"),
        "ansible-vault" => has("view") || has("decrypt") && (has("--output=-") || has("-")),
        "aws" => {
            has("get-password-data")
                || has("batch-get-secret-value")
                || has("get-authorization-token")
                || has("get-role-credentials")
                || starts("assume-role-with")
                || has("kms") && has("decrypt")
        }
        "gcloud" => has("kms") && has("decrypt"),
        "az" => has("generate-sas") || has("create-for-rbac") || has("--expose-token"),
        _ => false,
    }
}
