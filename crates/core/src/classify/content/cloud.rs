//! Cloud CLI operations judged by their words: which word is the operation (a service or
//! group name that looks like a verb never makes a call read), retention shortened to days,
//! and Kubernetes JSON patches that scale to zero.

/// The words of a cloud CLI's command path: the operands before the first flag
/// (`aws logs put-retention-policy --log-group-name x` → `logs`, `put-retention-policy`),
/// after the global options and their values.
fn command_path(args: &[String]) -> Vec<&str> {
    let mut path = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if a.starts_with('-') {
            if !path.is_empty() {
                break;
            }
            // A global option before the path: its value is not a command word.
            if !a.contains('=') && !GLOBAL_SWITCHES.contains(&a.as_str()) {
                it.next();
            }
            continue;
        }
        path.push(a.as_str());
    }
    path
}

/// Global options of cloud CLIs that take no value.
const GLOBAL_SWITCHES: &[&str] = &[
    "--debug",
    "--no-paginate",
    "--no-verify-ssl",
    "--no-sign-request",
    "--no-cli-pager",
    "--verbose",
    "--quiet",
    "-q",
    "--only-show-errors",
    "--json",
    "--help",
    "-h",
];

/// A cloud CLI reads only when its operation is a read verb: for `aws`, the operation after
/// the service (`describe-…`, `list-…`, `get-…`); for the others, the last or next-to-last
/// word of the command path (`az vm list`, `gcloud compute instances describe NAME`). A
/// service or group name that looks like a verb (`aws logs`, `heroku logs` excepted as the
/// only word) never makes a call read, and no word of the path may be a write verb.
pub(crate) fn reads_by_operation(name: &str, args: &[String]) -> bool {
    const READ_WORDS: &[&str] = &[
        "list",
        "ls",
        "describe",
        "get",
        "show",
        "view",
        "status",
        "logs",
        "whoami",
        "info",
        "version",
        "help",
        "tail",
        "inspect",
        "search",
        "ping",
        "check",
        "diff",
        "lookup",
        "read",
        "capabilities",
        "what-if",
    ];
    // Listing nouns, only as the whole command (`heroku releases`, `vercel deployments`): as
    // the last word of a longer one they may name a resource (`… add-metadata releases`).
    const LIST_NOUNS: &[&str] = &["releases", "deployments"];
    const READ_PREFIXES: &[&str] = &[
        "describe-",
        "list-",
        "get-",
        "head-",
        "show-",
        "lookup-",
        "search-",
        "batch-get-",
    ];
    const WRITE_PREFIXES: &[&str] = &[
        "put",
        "create",
        "update",
        "set",
        "modify",
        "start",
        "restore",
        "enable",
        "tag",
        "untag",
        "import",
        "copy",
        "run",
        "invoke",
        "send",
        "publish",
        "register",
        "associate",
        "replace",
        "reboot",
        "resize",
        "scale",
        "upload",
        "write",
        "change",
        "apply",
    ];
    let path = command_path(args);
    // `heroku apps:info`: the verb is after the colon.
    let verb = |w: &str| w.rsplit(':').next().unwrap_or(w).to_string();
    let is_read = |w: &str| {
        let v = verb(w);
        [w, v.as_str()]
            .iter()
            .any(|w| READ_WORDS.contains(w) || READ_PREFIXES.iter().any(|p| w.starts_with(p)))
    };
    if path.iter().any(|w| {
        WRITE_PREFIXES
            .iter()
            .any(|p| w.starts_with(p) || verb(w).starts_with(p))
    }) {
        return false;
    }
    if name == "aws" {
        return match path.as_slice() {
            ["s3", "ls", ..] => true,
            ["s3", "presign", ..] => false,
            [_, op, ..] => is_read(op) || op.starts_with("query") || op.starts_with("scan"),
            _ => path.is_empty() || path == ["help"],
        };
    }
    match path.as_slice() {
        [] => false,
        [only] => is_read(only) || LIST_NOUNS.contains(only),
        [.., before, last] => is_read(last) || is_read(before),
    }
}

/// A setting that turns off what keeps data recoverable: backups, retention, point-in-time
/// recovery, deletion protection, versioning or snapshots set to zero, false, off or
/// suspended (`PointInTimeRecoveryEnabled=false`, `--backup-retention-period=0`,
/// `Status=Suspended`), or a `--no-…` flag that names one (`--no-deletion-protection`).
pub(crate) fn turns_off_protection(arg: &str) -> bool {
    const GUARDS: [&str; 6] = [
        "retention",
        "backup",
        "recovery",
        "protection",
        "versioning",
        "snapshot",
    ];
    let a = arg.to_ascii_lowercase();
    // `--no-disable-api-termination`: termination protection off.
    if a.starts_with("--no-disable-api-") {
        return true;
    }
    if let Some(rest) = a.strip_prefix("--no-") {
        return GUARDS.iter().any(|g| rest.contains(g));
    }
    // Every `key=value` pair in the argument (shorthand syntax joins them with commas).
    a.split([',', ' ']).any(|pair| {
        pair.split_once('=').is_some_and(|(k, v)| {
            let guarded = GUARDS.iter().any(|g| k.contains(g))
                || (k.ends_with("status") && a.contains("versioning"));
            // `DisableApiTermination=false`: the guard is a `disable…` flag turned off.
            if k.contains("disableapitermination") || k.contains("disable-api-termination") {
                return matches!(v.trim(), "false" | "0" | "off");
            }
            guarded
                && matches!(
                    v.trim(),
                    "0" | "false" | "off" | "disabled" | "suspended" | "none"
                )
        })
    })
}

/// A retention, expiration or lifecycle setting of a week or less: the data it covers is
/// deleted soon (`--retention-in-days 1`, an S3 lifecycle rule expiring after 1 day).
pub(crate) fn short_retention(args: &[String]) -> bool {
    let keyword = |s: &str| {
        let s = s.to_ascii_lowercase();
        ["retention", "expir", "ttl", "lifecycle"]
            .iter()
            .any(|k| s.contains(k))
    };
    let short = |v: &str| v.trim().parse::<u64>().is_ok_and(|n| n <= 7);
    let flags = args.windows(2).any(|w| match w {
        [f, v] => f.starts_with('-') && keyword(f) && short(v),
        _ => false,
    }) || args.iter().any(|a| {
        a.starts_with('-')
            && a.split_once('=')
                .is_some_and(|(f, v)| keyword(f) && short(v))
    });
    // A lifecycle document: `"Expiration": {"Days": 1}` and its noncurrent-version forms.
    let document = args.iter().any(|a| {
        let flat: String = a
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '"')
            .collect();
        flat.split("Expiration:{").skip(1).any(|rest| {
            rest.split(['}', ',']).any(|field| {
                field
                    .strip_prefix("Days:")
                    .or_else(|| field.strip_prefix("NoncurrentDays:"))
                    .is_some_and(short)
            })
        })
    });
    flags || document
}

/// A JSON patch (`[{"op": "replace", "path": "/spec/replicas", "value": 0}]`) that sets a
/// replica count to zero, wherever it sits in the array.
pub(crate) fn json_patch_zeroes_replicas(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Array(ops) => ops.iter().any(json_patch_zeroes_replicas),
        serde_json::Value::Object(op) => {
            op.get("path")
                .and_then(serde_json::Value::as_str)
                .is_some_and(|p| p.to_ascii_lowercase().ends_with("replicas"))
                && op.get("value").is_some_and(|v| {
                    v.as_u64() == Some(0) || v.as_str().is_some_and(|s| s.trim() == "0")
                })
        }
        _ => false,
    }
}

/// A capacity set to zero (`--desired-capacity 0`, `--max-size=0`, `--num-nodes 0`,
/// `--replicas 0`) or an instance set never to run (`--activation-policy NEVER`): the
/// service stops serving.
pub(crate) fn scales_to_zero(args: &[String]) -> bool {
    const CAPACITY: &[&str] = &[
        "replica",
        "desired-capacity",
        "desired-count",
        "max-size",
        "max-capacity",
        "num-nodes",
        "node-count",
        "max-instances",
        "instance-count",
        "max-count",
        "desired-size",
        "capacity",
        "concurrent-executions",
        "concurrency",
    ];
    let capacity =
        |f: &str| f.starts_with('-') && (CAPACITY.iter().any(|c| f.contains(c)) || f == "--size");
    let never =
        |f: &str, v: &str| f.contains("activation-policy") && v.eq_ignore_ascii_case("never");
    args.windows(2).any(|w| match w {
        [f, v] => (capacity(f) && v == "0") || never(f, v),
        _ => false,
    }) || args.iter().any(|a| {
        a.split_once('=')
            .is_some_and(|(f, v)| (capacity(f) && v == "0") || never(f, v))
    })
}

/// A command that issues, mints or hands out a credential: a new token, access key, service
/// account key, SAS token or temporary role credentials, a kubeconfig written with cluster
/// credentials, or an auth method, policy or user configured in a secrets manager. Whoever
/// runs it holds a new credential (`vault token create`, `aws sts assume-role`,
/// `gcloud auth print-access-token`, `az account get-access-token`). `words` are the
/// command's operands, with the verb after a colon (`authorizations:create` → `create`).
pub(crate) fn issues_credential(name: &str, words: &[&str]) -> Option<&'static str> {
    // Operation words that mint or print a fresh credential.
    const MINTS: &[&str] = &[
        "print-access-token",
        "print-identity-token",
        "get-access-token",
        "get-session-token",
        "get-federation-token",
        "get-login-password",
        "get-login",
        "get-authorization-token",
        "generate-db-auth-token",
        "generate-login-token",
        "generate-sas",
        "signurl",
        "sign-url",
        "presign",
        "get-role-credentials",
        "get-credentials-for-identity",
        "get-open-id-token",
        "assume-role",
        "create-access-key",
        "create-service-specific-credential",
        "create-for-rbac",
        "sign-jwt",
        "sign-blob",
        "get-credentials",
        "update-kubeconfig",
        "get-token",
        "list-publishing-credentials",
        "list-publishing-profiles",
        "show-cd-url",
        // The CLI's own credentials printed (`aws configure export-credentials`, `gcloud
        // config config-helper`), as `gh auth token` prints its token.
        "export-credentials",
        "config-helper",
    ];
    let op = |w: &&str| MINTS.iter().any(|m| w.starts_with(m));
    if words.iter().any(op) {
        return Some("issues a credential");
    }
    let has = |w: &str| words.contains(&w);
    let creates = [
        "create",
        "reset",
        "add",
        "new",
        "renew",
        "regenerate",
        "rotate",
    ];
    // `az ad sp credential reset`, `az acr token create`, `heroku authorizations:create`,
    // `gcloud iam service-accounts keys create`, `doctl registry docker-config`.
    if [
        "credential",
        "credentials",
        "token",
        "tokens",
        "authorizations",
        "keys",
        "key",
    ]
    .iter()
    .any(|g| has(g))
        && creates.iter().any(|c| has(c))
    {
        return Some("creates or resets a credential");
    }
    // `gh auth token`, `heroku auth:token`: print the stored token.
    if matches!(
        name,
        "gh" | "heroku" | "glab" | "netlify" | "vercel" | "doctl" | "fly" | "flyctl"
    ) && has("token")
    {
        return Some("prints an access token");
    }
    if has("docker-config") || has("kubeconfig") && has("save") {
        return Some("writes registry or cluster credentials");
    }
    if name == "vault" {
        return vault(words);
    }
    None
}

/// Vault: tokens, auth methods, policies and dynamic secrets (`*/creds/*`, PKI `issue`,
/// AppRole `secret-id`) hand out credentials or change who may get them.
fn vault(words: &[&str]) -> Option<&'static str> {
    let (cmd, rest) = words.split_first()?;
    let path = rest.first().copied().unwrap_or("");
    let dynamic = path.split('/').any(|seg| {
        matches!(
            seg,
            "creds" | "issue" | "sign" | "secret-id" | "sign-verbatim" | "static-creds"
        )
    }) || path.starts_with("auth/token/create");
    match *cmd {
        "token" if matches!(path, "create" | "renew") => Some("issues a Vault token"),
        // `vault print token`: the stored token, as `gh auth token` prints its own.
        "print" if path == "token" => Some("prints the Vault token"),
        "login" => Some("logs in and stores a Vault token"),
        "read" | "write" if dynamic => Some("issues a dynamic credential"),
        "write" | "delete" | "patch"
            if path.starts_with("auth/")
                || path.starts_with("sys/")
                || path.starts_with("identity/") =>
        {
            Some("changes Vault auth methods, policies or identities")
        }
        "policy" | "auth" | "audit" if !matches!(path, "list" | "read" | "fmt" | "help" | "") => {
            Some("changes Vault policies, auth methods or audit devices")
        }
        "operator"
            if rest.iter().any(|w| {
                matches!(
                    *w,
                    "seal"
                        | "unseal"
                        | "step-down"
                        | "rekey"
                        | "generate-root"
                        | "init"
                        | "remove-peer"
                        | "restore"
                        | "migrate"
                        | "rotate"
                )
            }) =>
        {
            Some("changes the Vault server's keys, seal or cluster")
        }
        _ => None,
    }
}

/// An argument that opens a resource to everyone: the `allUsers`/`allAuthenticatedUsers`
/// members, a public ACL (`public-read`, `--public-access blob`), a network open to the
/// world (`0.0.0.0/0`, `::/0`), public access turned on (`--publicly-accessible`,
/// `--allow-blob-public-access true`) or the public-access block turned off
/// (`BlockPublicAcls=false`).
pub(crate) fn opens_to_public(arg: &str) -> bool {
    let a = arg.to_ascii_lowercase();
    let (key, value) = a.split_once('=').unwrap_or((a.as_str(), ""));
    let value = value.trim();
    a.contains("allusers")
        || a.contains("allauthenticatedusers")
        || a.contains("public-read")
        || a.contains("0.0.0.0/0")
        || a.contains("::/0")
        || a == "--publicly-accessible"
        || (key == "--public-access" && !matches!(value, "" | "off" | "none" | "false"))
        || (key.contains("allow-blob-public-access") && value == "true")
        || (a.split(',').any(|kv| {
            kv.split_once('=').is_some_and(|(k, v)| {
                (k.contains("blockpublic") || k.contains("restrictpublic")) && v.trim() == "false"
            })
        }))
}

/// Security monitoring or auditing turned off: GuardDuty, CloudTrail, Security Hub, Config,
/// Inspector, Macie, Defender, Security Command Center, audit logs (`aws guardduty
/// update-detector --no-enable`, `aws cloudtrail stop-logging`, `az security pricing create
/// --tier free`, `gcloud … --no-enable-cloud-logging`). `words` are the operation words.
pub(crate) fn turns_off_monitoring(words: &[&str], args: &[String]) -> bool {
    const SERVICES: &[&str] = &[
        "guardduty",
        "cloudtrail",
        "securityhub",
        "configservice",
        "inspector",
        "inspector2",
        "macie",
        "macie2",
        "detective",
        "accessanalyzer",
        "access-analyzer",
        "security",
        "defender",
        "sentinel",
        "scc",
        "audit",
        "auditing",
        "monitor",
    ];
    const MONITORS: &[&str] = &["logging", "log", "audit", "monitoring", "detector", "trail"];
    let lower: Vec<String> = args.iter().map(|a| a.to_ascii_lowercase()).collect();
    let service = words
        .iter()
        .take(3)
        .any(|w| SERVICES.contains(&w.to_ascii_lowercase().as_str()));
    let falsy = |v: &str| matches!(v, "false" | "0" | "off" | "disabled" | "free" | "none");
    // `--no-enable`, `--enable false`, `--enable=false`, `--status DISABLED`, `--tier free`.
    let off_flag = lower.iter().enumerate().any(|(i, a)| {
        let next = lower.get(i + 1).map(String::as_str).unwrap_or("");
        let (k, v) = a.split_once('=').unwrap_or((a.as_str(), next));
        a == "--no-enable"
            || (matches!(
                k,
                "--enable" | "--enabled" | "--status" | "--state" | "--tier"
            ) && falsy(v))
    });
    let off_op = words.iter().any(|w| {
        let w = w.to_ascii_lowercase();
        [
            "stop",
            "disable",
            "delete",
            "deregister",
            "disassociate",
            "remove",
        ]
        .iter()
        .any(|p| w.starts_with(p))
    });
    // `--no-enable-cloud-logging`, `--enable-audit-logs=false`, `--logging=NONE`.
    let monitor_off = lower.iter().enumerate().any(|(i, a)| {
        let next = lower.get(i + 1).map(String::as_str).unwrap_or("");
        let (k, v) = a.split_once('=').unwrap_or((a.as_str(), next));
        let names_monitor = MONITORS.iter().any(|m| k.contains(m));
        (a.starts_with("--no-enable-") && names_monitor)
            || (k.starts_with("--enable-") && names_monitor && falsy(v))
            || (matches!(k, "--logging" | "--monitoring") && falsy(v))
    });
    (service && (off_flag || off_op)) || monitor_off
}

/// A cloud operation that changes who can get in, by its flags or its name: a password set
/// (`--master-user-password`, `--admin-password`, `admin-set-user-password`), user data
/// replaced (`modify-instance-attribute --attribute userData`), IMDSv1 allowed again
/// (`--http-tokens optional`), a function URL without authentication (`--auth-type NONE`), a
/// secret parameter written (`put-parameter --type SecureString`), a snapshot or image shared
/// (`modify-snapshot-attribute`), audit delivery changed (`put-event-selectors`,
/// `update-trail`, `put-bucket-logging`), an access policy set (`set-repository-policy`,
/// `keyvault set-policy`), SSH keys or OS Login in instance metadata, WAF detached, and any
/// write of the identity services (`sso-admin`, `identitystore`, `organizations`).
pub(crate) fn access_setting(words: &[&str], args: &[String]) -> Option<&'static str> {
    let lower: Vec<String> = args.iter().map(|a| a.to_ascii_lowercase()).collect();
    let flag = |i: usize| {
        let a = lower.get(i).map(String::as_str).unwrap_or("");
        let next = lower.get(i + 1).map(String::as_str).unwrap_or("");
        match a.split_once('=') {
            Some((k, v)) => (k.to_string(), v.to_string()),
            None => (a.to_string(), next.to_string()),
        }
    };
    for i in 0..lower.len() {
        let (k, v) = flag(i);
        if !k.starts_with("--") {
            continue;
        }
        let v = v.trim_matches(['\'', '"']);
        if k.contains("password") && !k.contains("stdin") && !v.is_empty() && !v.starts_with("--") {
            return Some("sets a password");
        }
        match (k.as_str(), v) {
            ("--attribute", "userdata") => {
                return Some("replaces the user data the machine runs at boot");
            }
            ("--http-tokens", "optional") => {
                return Some("allows the metadata service without tokens (IMDSv1)");
            }
            ("--auth-type", "none") => return Some("serves a function without authentication"),
            ("--type", "securestring") => return Some("writes a secret parameter"),
            _ => {}
        }
        if (k == "--metadata" || k == "--metadata-from-file")
            && [
                "ssh-keys",
                "sshkeys",
                "enable-oslogin",
                "block-project-ssh-keys",
            ]
            .iter()
            .any(|m| v.contains(m))
        {
            return Some("changes SSH keys or OS Login in instance metadata");
        }
    }
    let ops: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
    let op = |f: &dyn Fn(&str) -> bool| ops.iter().any(|w| f(w));
    if op(&|w| w.contains("password") && !w.starts_with("get-") && !w.starts_with("describe-")) {
        return Some("sets a password");
    }
    if op(&|w| w.ends_with("snapshot-attribute") || w.ends_with("image-attribute"))
        && op(&|w| w.starts_with("modify-"))
    {
        return Some("shares a snapshot or an image");
    }
    if op(&|w| {
        matches!(
            w,
            "put-event-selectors" | "update-trail" | "put-bucket-logging" | "put-insight-selectors"
        ) || w.contains("web-acl") && !w.starts_with("get-") && !w.starts_with("list-")
    }) {
        return Some("changes audit delivery or a web firewall");
    }
    if op(&|w| w.starts_with("set-") && w.contains("policy")) || op(&|w| w == "set-policy") {
        return Some("sets an access policy");
    }
    if ops
        .iter()
        .take(2)
        .any(|w| matches!(w.as_str(), "sso-admin" | "identitystore" | "organizations"))
    {
        return Some("changes an identity service");
    }
    None
}

/// Code the machine runs at boot or as its first command: instance metadata
/// `startup-script`, `user-data`, custom-script extensions (persistence as root).
pub(crate) fn boot_script(args: &[String]) -> Option<&str> {
    args.iter().enumerate().find_map(|(i, a)| {
        let l = a.to_ascii_lowercase();
        let script_key = [
            "startup-script",
            "shutdown-script",
            "sysprep-specialize-script",
        ]
        .iter()
        .any(|k| l.contains(k));
        if script_key {
            let v = a
                .split_once("-script=")
                .map_or("", |(_, v)| v)
                .trim_matches(['\'', '"']);
            return Some(v);
        }
        if l == "--user-data" || l == "--custom-data" || l == "--userdata" {
            return Some(args.get(i + 1).map_or("", String::as_str));
        }
        l.strip_prefix("--user-data=")
            .or_else(|| l.strip_prefix("--custom-data="))
            .map(|_| a.split_once('=').map_or("", |(_, v)| v))
    })
}

/// `--enable-versioning false`, `--enable-backup=false`: a protection switched off.
pub(crate) fn guard_flag_off(args: &[String]) -> bool {
    const GUARDS: [&str; 6] = [
        "retention",
        "backup",
        "recovery",
        "protection",
        "versioning",
        "snapshot",
    ];
    args.iter().enumerate().any(|(i, a)| {
        let a = a.to_ascii_lowercase();
        let next = args
            .get(i + 1)
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_default();
        let (k, v) = a
            .split_once('=')
            .map_or((a.as_str(), next.as_str()), |(k, v)| (k, v));
        k.starts_with("--enable")
            && GUARDS.iter().any(|g| k.contains(g))
            && matches!(v, "false" | "0" | "off")
    })
}

/// A guard named by the operation words and turned off by a later word
/// (`gsutil versioning set off`).
pub(crate) fn guard_words_off(words: &[&str]) -> bool {
    const GUARDS: [&str; 6] = [
        "retention",
        "backup",
        "recovery",
        "protection",
        "versioning",
        "snapshot",
    ];
    let pos = words
        .iter()
        .position(|w| GUARDS.iter().any(|g| w.to_ascii_lowercase().contains(g)));
    pos.is_some_and(|p| {
        words.iter().skip(p + 1).any(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "off" | "suspend" | "suspended" | "disable" | "disabled" | "false"
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_issuance_and_its_reads() {
        let issues = |name: &str, w: &[&str]| issues_credential(name, w).is_some();
        assert!(issues("vault", &["token", "create", "-policy=root"]));
        assert!(issues("vault", &["read", "database/creds/readonly"]));
        assert!(issues("vault", &["write", "auth/userpass/users/x"]));
        assert!(issues("aws", &["sts", "assume-role"]));
        assert!(issues("gcloud", &["auth", "print-access-token"]));
        assert!(issues("az", &["ad", "sp", "credential", "reset"]));
        assert!(!issues("vault", &["token", "lookup"]));
        assert!(!issues("vault", &["read", "secret/data/app"]));
        assert!(!issues("vault", &["policy", "list"]));
        assert!(!issues("aws", &["iam", "list-access-keys"]));
        assert!(!issues(
            "gcloud",
            &["iam", "service-accounts", "keys", "list"]
        ));
    }

    #[test]
    fn public_exposure() {
        assert!(opens_to_public("--member=allUsers"));
        assert!(opens_to_public("--acl=public-read"));
        assert!(opens_to_public("--public-access=blob"));
        assert!(opens_to_public(
            "BlockPublicAcls=false,IgnorePublicAcls=false"
        ));
        assert!(opens_to_public("--cidr=0.0.0.0/0"));
        assert!(!opens_to_public("--public-access=off"));
        assert!(!opens_to_public("BlockPublicAcls=true"));
        assert!(!opens_to_public("--cidr=10.0.0.0/8"));
    }
}
