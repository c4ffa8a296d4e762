//! Cloud and remote-service CLIs (`aws`, `gcloud`, `az`, `vault`, `heroku`, …): remote
//! commands and SQL they carry, then the operation word decides (see `super::super::cloud`).

use super::super::args::{has_short, opt_value};
use super::super::shell::{Input, Sh};
use crate::Effect::{self, Admin, Destructive, Mutating, Read};

pub(crate) fn cloud(sh: &mut Sh, name: &str, args: &[String]) -> (Effect, String) {
    // Commands run on a machine: `gcloud compute ssh --command`, `fly ssh console -C`,
    // `vagrant ssh -c`, `az vm run-command invoke --scripts`, `heroku run CMD`.
    let remote = opt_value(args, &[], &["--command", "--scripts", "--ssh-command"])
        .or_else(|| {
            (name == "fly" || name == "flyctl")
                .then(|| opt_value(args, &["-C"], &[]))
                .flatten()
        })
        .or_else(|| {
            (name == "vagrant")
                .then(|| opt_value(args, &["-c"], &[]))
                .flatten()
        });
    // SQL sent to a database service: `aws rds-data execute-statement --sql`, Athena
    // `--query-string`, `gcloud spanner databases execute-sql --sql`, `az … --querytext`,
    // `wrangler d1 execute --command`.
    let d1 = name == "wrangler" && args.iter().any(|a| a == "d1");
    let sql = opt_value(
        args,
        &[],
        &["--sql", "--query-string", "--querytext", "--statement"],
    )
    .or_else(|| d1.then(|| opt_value(args, &[], &["--command"])).flatten());
    if let Some(q) = sql {
        sh.sql_text(q, &format!("`{name}` SQL"));
    }
    if d1 && opt_value(args, &[], &["--file"]).is_some() {
        sh.add(
            Destructive,
            format!("`{name} d1` runs a SQL file that is not visible"),
        );
    }
    // `az vm run-command invoke --command-id RunPowerShellScript --scripts …`.
    let powershell = args
        .iter()
        .any(|a| a.to_ascii_lowercase().contains("powershell"));
    match remote.filter(|_| !d1) {
        Some(c) if powershell => {
            super::super::catalogue::powershell_text(sh, c, &format!("`{name}` remote PowerShell"))
        }
        Some(c) => sh.shell_text(c, &format!("`{name}` remote command")),
        None => {}
    }
    // `aws ssm send-command --parameters commands=["rm -rf /srv"]`.
    if let Some(p) = opt_value(args, &[], &["--parameters"])
        && let Some(list) = p.split_once("commands=").map(|(_, l)| l)
    {
        let text = list.trim_matches(|c| matches!(c, '[' | ']' | '"' | '\'' | '{' | '}'));
        for c in text.split("\",\"") {
            sh.shell_text(c, "`ssm send-command`");
        }
    }
    if name == "heroku"
        && let Some(i) = args.iter().position(|a| a == "run" || a == "run:detached")
    {
        let inner = args.get(i + 1..).unwrap_or_default().to_vec();
        let _ = sh.argv(&inner, &Input::None, "`heroku run`");
    }
    // `heroku pg:reset`, `firebase firestore:delete`: the verb is after the colon. A value
    // given to a long option (`--user-name deploy`, `--bucket drop-zone`) names a resource,
    // not what is done, so it is not one of the words.
    let words = operation_words(args);
    let has = |w: &[&str]| words.iter().any(|x| w.contains(x));
    // A removal verb is a whole word or the start of an operation (`delete`, `delete-bucket`,
    // `deleteBucket`), not the start of a longer word (`droplet`, `stopped`).
    let starts_verb = |x: &str, pre: &str| {
        x.strip_prefix(pre).is_some_and(|after| {
            pre.ends_with('-') || !after.starts_with(|c: char| c.is_ascii_lowercase())
        })
    };
    let op_prefix = |p: &[&str]| {
        words
            .iter()
            .any(|x| p.iter().any(|pre| starts_verb(x, pre)))
    };
    // Access and deploy verbs also start longer words (`assignment`, `deployment`).
    let prefixed = |p: &[&str]| words.iter().any(|x| p.iter().any(|pre| x.starts_with(pre)));
    // `vol-delete`, `snapshot-destroy`: a removal verb inside an operation that is not a read.
    let removes_inside = words.iter().any(|w| {
        !["describe-", "list-", "get-", "show-"]
            .iter()
            .any(|r| w.starts_with(r))
            && ["-delete", "-destroy", "-terminate", "-purge", "-wipe"]
                .iter()
                .any(|v| w.contains(v))
    });
    if name == "aws"
        && args.iter().any(|a| a == "--dryrun" || a == "--dry-run")
        && !crate::classify::content::args::dry_run_cancelled(args)
    {
        return (Read, "dry-runs (`--dryrun`)".into());
    }
    // Startup scripts and user data run as root at every boot: persistence.
    let reads = super::super::cloud::reads_by_operation(name, args);
    if !reads && let Some(script) = super::super::cloud::boot_script(args) {
        if script.contains(' ') {
            sh.shell_text(script, &format!("`{name}` startup script"));
        }
        return (
            Admin,
            "installs a script the machine runs at boot (startup script or user data)".into(),
        );
    }
    if !reads && super::super::cloud::turns_off_monitoring(&words, args) {
        return (Admin, "turns off security monitoring or auditing".into());
    }
    if !reads && let Some(why) = super::super::cloud::access_setting(&words, args) {
        return (Admin, why.into());
    }
    if super::super::cloud::guard_words_off(&words) || super::super::cloud::guard_flag_off(args) {
        return (
            Destructive,
            "turns off versioning, backups or retention".into(),
        );
    }
    // A JSON argument that carries deletions (`batch-write-item` with `DeleteRequest`s, a
    // Route 53 change batch with `"Action": "DELETE"`, `transact-write-items` with `Delete`).
    // Only the arguments that carry the requests (an event pattern that matches deletions
    // is not one).
    let requests = args.windows(2).filter_map(|w| match w {
        [flag, value]
            if matches!(
                flag.as_str(),
                "--request-items" | "--transact-items" | "--change-batch" | "--delete"
            ) =>
        {
            Some(value)
        }
        _ => None,
    });
    if let Some(what) = requests.map(String::as_str).find_map(json_deletes) {
        return (Destructive, format!("sends {what} in a JSON argument"));
    }
    // Backups or retention set to zero, deletion protection off, keys scheduled for deletion.
    let zeroes = args.windows(2).any(|w| {
        w.first()
            .is_some_and(|f| f.contains("retention") || f.contains("backup"))
            && w.get(1).is_some_and(|v| v == "0")
    }) || args.iter().any(|a| super::super::cloud::turns_off_protection(a))
        // `--versioning-configuration Status=Suspended`: the value names the setting's flag.
        || args.windows(2).any(|w| super::super::cloud::turns_off_protection(&w.join(" ")));
    if zeroes
        || super::super::cloud::short_retention(args)
        || super::super::cloud::scales_to_zero(args)
        || words
            .iter()
            .any(|w| w.contains("deletion") || w.starts_with("disable-key"))
    {
        return (
            Destructive,
            "removes backups, protection or keys, shortens retention or scales to zero".into(),
        );
    }
    if name == "aws" && words.get(1) == Some(&"get-object") {
        return (Mutating, "downloads an object to a file".into());
    }
    if name == "aws" && words.first() == Some(&"s3") {
        let op = words.get(1).copied().unwrap_or("");
        if matches!(op, "cp" | "mv" | "sync") {
            // `--acl public-read`, `--grants read=uri=…/global/AllUsers`: anyone may read.
            if args.windows(2).any(|w| {
                w.first().is_some_and(|f| f == "--acl")
                    && w.get(1).is_some_and(|v| v.starts_with("public-"))
            }) || args.iter().any(|a| {
                a.contains("AllUsers")
                    || a.contains("AuthenticatedUsers")
                    || a.starts_with("--acl=public-")
            }) {
                return (Admin, format!("makes S3 objects public (`s3 {op}`)"));
            }
            // A local destination is a file written (`aws s3 cp s3://b/rc ~/.bashrc`).
            if let Some(dest) = s3_transfer_operands(args).get(1)
                && !dest.starts_with("s3://")
                && dest.as_str() != "-"
            {
                let cmd = super::super::snippet_words(args);
                super::super::catalogue::write_path(sh, dest, &cmd);
            }
        }
        return match op {
            "rm" | "rb" => (Destructive, format!("deletes S3 data (`s3 {op}`)")),
            "sync" if args.iter().any(|a| a == "--delete") => {
                (Destructive, "deletes S3 data (`sync --delete`)".into())
            }
            "ls" => (Read, "reads".into()),
            // A presigned URL lets anyone who holds it read the object, whoever they are.
            "presign" => (
                Admin,
                "makes a link that lets anyone holding it read the object (`s3 presign`)".into(),
            ),
            _ => (Mutating, format!("writes S3 data (`s3 {op}`)")),
        };
    }
    // Repair modes rewrite a file system (`btrfs check --repair`).
    if args.iter().any(|a| {
        matches!(
            a.as_str(),
            "--repair" | "--init-csum-tree" | "--init-extent-tree" | "--clear-space-cache"
        )
    }) {
        return (Destructive, "repairs (rewrites) a file system".into());
    }
    // A sync or mirror that deletes what the source lacks (`gsutil rsync -d`,
    // `--delete-unmatched-destination-objects`, `azcopy sync --delete-destination=true`,
    // `mc mirror --remove`).
    if let Some(at) = args
        .iter()
        .position(|a| matches!(a.as_str(), "sync" | "rsync" | "mirror"))
    {
        let after = args.get(at + 1..).unwrap_or_default();
        let deletes = after
            .iter()
            .any(|a| (a.starts_with("--delete") && !a.ends_with("=false")) || a == "--remove")
            || (name == "gsutil" && has_short(after, 'd'));
        if deletes {
            return (
                Destructive,
                "syncs with deletion (removes what the source lacks)".into(),
            );
        }
    }
    // Scaled to nothing: `heroku ps:scale web=0`, `fly scale count 0`.
    if has(&["scale", "ps:scale"])
        && words
            .iter()
            .any(|w| *w == "0" || (w.ends_with("=0") && !w.starts_with('-')))
    {
        return (Destructive, "scales to zero".into());
    }
    // A snapshot restored over a running cluster replaces its state.
    if has(&["snapshot"]) && has(&["restore"]) {
        return (
            Destructive,
            "replaces the cluster state with a snapshot".into(),
        );
    }
    // Opened to everyone: `allUsers`, a public ACL or access level, a world-open network range,
    // public access turned on or its block turned off.
    let opens = args.iter().any(|a| super::super::cloud::opens_to_public(a))
        || args
            .windows(2)
            .any(|w| super::super::cloud::opens_to_public(&w.join("=")));
    if opens && !super::super::cloud::reads_by_operation(name, args) {
        return (Admin, "opens access to everyone".into());
    }
    // `mc anonymous set public|download|upload BUCKET`, `s3cmd setacl --acl-public`.
    let anonymous =
        has(&["anonymous", "policy"]) && has(&["set"]) && has(&["public", "download", "upload"]);
    if anonymous || args.iter().any(|a| a == "--acl-public") {
        return (Admin, "opens access to everyone".into());
    }
    // A second factor turned off (`aws iam deactivate-mfa-device`, `delete-virtual-mfa-device`).
    let mfa_off = words.iter().any(|w| {
        w.contains("mfa")
            && ["deactivate", "delete", "disable", "remove", "reset"]
                .iter()
                .any(|v| w.contains(v))
    });
    // A password set or changed (`argocd account update-password`), an ACL system's first
    // management token minted (`nomad acl bootstrap`, `consul acl bootstrap`).
    let password = words.iter().any(|w| w.contains("password"))
        && prefixed(&["create", "set", "update", "reset", "change"]);
    let bootstrap = has(&["acl", "acls"]) && has(&["bootstrap"]);
    if mfa_off || password || bootstrap {
        return (
            Admin,
            "changes access (a second factor, a password or an ACL's root token)".into(),
        );
    }
    // Logging in writes a credential store (`az login`, `gcloud auth activate-service-account`,
    // `gcloud auth configure-docker`).
    if has(&[
        "login",
        "logout",
        "activate-service-account",
        "configure-docker",
    ]) {
        return (Admin, format!("changes the stored credentials (`{name}`)"));
    }
    // Credentials minted or handed out: access, whatever else the command does.
    let parts: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .flat_map(|a| a.split(':'))
        .collect();
    // `glab auth status -t` prints the token, as `gh auth status -t` does.
    if name == "glab"
        && has(&["auth"])
        && has(&["status"])
        && args.iter().any(|a| a == "-t" || a.starts_with("--show-t"))
    {
        return (Admin, format!("prints an access token (`{name}`)"));
    }
    if let Some(why) = super::super::cloud::issues_credential(name, &parts) {
        return (Admin, format!("{why} (`{name}`)"));
    }
    if op_prefix(&[
        "delete",
        "deactivate",
        "terminate",
        "remove",
        "deregister",
        "purge",
        "destroy",
        "drop",
        "rb",
        "disable",
        "stop",
        "uninstall",
        "revoke",
        "wipe",
        "reset",
        "undefine",
        "shutdown",
        "kill",
        "evict",
        "drain",
        "cordon",
        "deallocate",
        "hibernate",
        "suspend",
        "power-off",
        "poweroff",
        "halt",
        "leave",
    ]) || has(&[
        "rm", "rmi", "rmp", "del", "destroy", "rb", "prune", "nuke", "teardown", "killall",
    ]) || removes_inside
    {
        if op_prefix(&[
            "revoke",
            "remove-iam",
            "detach-role",
            "detach-user",
            "detach-group",
            "remove-role",
        ]) {
            return (Admin, "removes access".into());
        }
        return (
            Destructive,
            "deletes, stops or disables cloud resources".into(),
        );
    }
    if prefixed(&[
        "add-iam",
        "set-iam",
        "put-user-policy",
        "put-role-policy",
        "put-group-policy",
        "attach-",
        "create-access-key",
        "create-user",
        "create-role",
        "create-login-profile",
        "update-assume-role",
        "authorize-",
        "add-permission",
        "grant",
        "update-login-profile",
        "create-policy",
        "put-bucket-policy",
        "put-bucket-acl",
        // A resource policy names who may use the resource (DynamoDB's, Secrets Manager's,
        // ECR's; the twenty-second sets).
        "put-resource-policy",
    ]) || words.iter().any(|x| *x == "assign" || x.starts_with("assign-"))
        // (`az role assignment list` reads: `assignment` is a noun, not `assign`.)
        || (has(&[
        "iam",
        "role",
        "policy",
        "secrets",
        "kms",
        "identity",
        "permission",
        "permissions",
        "collaborator",
        "acl",
        "acls",
        "user",
        "users",
        "access",
        "member",
        "members",
        "auth",
        "firewall",
        "firewall-rules",
        "firewall-rule",
        "nsg",
        "security-group",
        "security-groups",
        // Secrets (`wrangler secret put`, `oci iam user api-key upload`).
        "secret",
        "api-key",
        "api-keys",
    ]) && prefixed(&[
        "create", "set", "put", "update", "add", "attach", "write", "grant", "invite", "passwd",
        "upload",
    ])) || secret_variable_set(name, args, &words)
    {
        return (Admin, "changes access".into());
    }
    // `az deployment … what-if` previews a deployment and changes nothing.
    if name == "az" && has(&["what-if"]) {
        return (Read, "previews a deployment (`what-if`)".into());
    }
    // `up` is a whole word (`fly up`, `azd up`): as a prefix it would take `update-…`.
    // A noun that starts like a deploy verb (`heroku releases`, `az deployment group list`)
    // does not deploy when the operation reads.
    let reads = super::super::cloud::reads_by_operation(name, args);
    let deploys = words.iter().any(|w| {
        const NOUNS: &[&str] = &["releases", "deployment", "deployments", "rollouts"];
        let noun = NOUNS.contains(&w.split(':').next().unwrap_or(w));
        !(noun && reads)
            && [
                "deploy", "promote", "rollout", "rollback", "apply", "release", "publish",
            ]
            .iter()
            .any(|p| w.starts_with(p))
    });
    if deploys || has(&["up"]) {
        return (Admin, "deploys".into());
    }
    if reads {
        return (Read, "reads".into());
    }
    (
        Mutating,
        format!("changes cloud or remote resources (`{name}`)"),
    )
}

/// The operands of a cloud CLI that can name its operation: every word that is not an
/// option, except the value following a long option that takes one (`--user-name deploy`).
/// Verbs after a colon are their own word (`apps:destroy` → `destroy`).
/// An app's variable named as a secret set or removed (`vercel env add API_KEY`, `glab
/// variable set DEPLOY_TOKEN …`, `heroku config:set SECRET_KEY=…`, `railway variables --set
/// STRIPE_KEY=…`); `heroku config:set DEBUG=1` stays a write.
fn secret_variable_set(name: &str, args: &[String], words: &[&str]) -> bool {
    let nouns = [
        "env",
        "envs",
        "variable",
        "variables",
        "vars",
        "config",
        "secrets",
    ];
    let verbs = [
        "set", "add", "put", "create", "update", "unset", "remove", "rm", "import",
    ];
    let noun = words.iter().any(|w| nouns.contains(w));
    let verb = words.iter().any(|w| verbs.contains(w))
        || (name == "railway" && args.iter().any(|a| a == "--set" || a.starts_with("--set=")));
    noun && verb
        && args.iter().any(|a| {
            let a = a.strip_prefix("--set=").unwrap_or(a);
            let key = a.split('=').next().unwrap_or(a);
            key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && crate::classify::content::args::secret_variable(key)
        })
}

fn operation_words(args: &[String]) -> Vec<&str> {
    /// Long options of cloud CLIs that take no value.
    const SWITCHES: &[&str] = &[
        "--force",
        "--yes",
        "--recursive",
        "--all",
        "--quiet",
        "--no-wait",
        "--async",
        "--debug",
        "--verbose",
        "--json",
        "--help",
        "--wait",
        "--confirm",
        "--dry-run",
        "--dryrun",
        "--append",
        "--purge",
        "--prune",
        "--insecure",
        "--no-prompt",
        "--only-show-errors",
        "--no-paginate",
        "--no-cli-pager",
        "--no-verify-ssl",
        "--no-sign-request",
    ];
    let mut out = Vec::new();
    let mut value_next = false;
    for a in args {
        if a.starts_with('-') {
            value_next = a.starts_with("--")
                && !a.contains('=')
                && !SWITCHES.contains(&a.as_str())
                && !a.starts_with("--no-");
            continue;
        }
        if std::mem::take(&mut value_next) {
            continue;
        }
        out.push(a.as_str());
        if a.contains(':') && !a.contains('/') {
            out.extend(a.split(':').filter(|p| !p.is_empty()));
        }
    }
    out
}

/// Deletions written in a JSON argument, by their shape.
fn json_deletes(arg: &str) -> Option<&'static str> {
    let t = arg.trim_start();
    if !(t.starts_with('{') || t.starts_with('[')) {
        return None;
    }
    let compact: String = t
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    if compact.contains("\"deleterequest\"") || compact.contains("\"delete\":{") {
        Some("delete requests")
    } else if compact.contains("\"action\":\"delete\"") {
        Some("a change whose action is `DELETE`")
    } else {
        None
    }
}

/// The source and destination of `aws s3 cp|mv|sync`: the operands after the subcommand,
/// past its options (the listed switches take no value; any other option takes one).
fn s3_transfer_operands(args: &[String]) -> Vec<&String> {
    const SWITCHES: &[&str] = &[
        "--recursive",
        "--dryrun",
        "--quiet",
        "--no-progress",
        "--only-show-errors",
        "--follow-symlinks",
        "--no-follow-symlinks",
        "--delete",
        "--exact-timestamps",
        "--size-only",
        "--no-guess-mime-type",
        "--ignore-glacier-warnings",
        "--force-glacier-transfer",
        "--no-paginate",
        "--debug",
        "--no-sign-request",
        "--no-verify-ssl",
        "--checksum-mode",
        "--no-overwrite",
        "--request-payer",
    ];
    let mut out = Vec::new();
    let mut it = args.iter().skip_while(|a| a.as_str() != "s3").skip(2);
    while let Some(a) = it.next() {
        if a.starts_with("--") {
            if !SWITCHES.contains(&a.as_str()) && !a.contains('=') {
                it.next();
            }
        } else {
            out.push(a);
        }
    }
    out
}
