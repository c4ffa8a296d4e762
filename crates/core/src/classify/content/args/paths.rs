//! Paths by what a write to them, or a read of them, means: harmless sinks, access and
//! system files, start-up files and credential stores, secrets.

use std::sync::LazyLock;

use crate::Effect::{self, Admin, Destructive};
use crate::classify::content::substrings::AnyOf;

/// Paths a write to would be harmless.
pub(crate) fn harmless_sink(path: &str) -> bool {
    matches!(
        path,
        "/dev/null" | "/dev/stdout" | "/dev/stderr" | "/dev/tty" | "-" | "&1" | "&2"
    ) || path.starts_with("/dev/fd/")
}

/// Paths whose change is an access or system change.
pub(crate) fn sensitive_path(path: &str) -> Option<(Effect, &'static str)> {
    if let Some(hit) = climbed_to_root(path).and_then(|abs| sensitive_path(&abs)) {
        return Some(hit);
    }
    // `//etc/passwd`, `/srv/../etc/passwd`: judged in its plain spelling too.
    if let Some(hit) = super::spelled::plain(path).and_then(|p| sensitive_path(&p)) {
        return Some(hit);
    }
    let p = path.to_ascii_lowercase();
    if GUARD.in_text(&p) {
        return Some((Admin, "the guard's own configuration (self-weakening)"));
    }
    if p.contains("sudoers")
        || p.starts_with("/etc/passwd")
        || p.starts_with("/etc/shadow")
        || p.starts_with("/etc/group")
        || p.contains("authorized_keys")
        || p.contains("/etc/ssh/")
        || p.contains("/etc/pam.d")
        || p.contains(".ssh/config")
        // Who a database lets in, and how (`host all all 0.0.0.0/0 trust`).
        || p.ends_with("pg_hba.conf")
        || p.ends_with("pg_ident.conf")
    {
        return Some((Admin, "an access configuration file"));
    }
    if [
        "/dev/sd",
        "/dev/nvme",
        "/dev/hd",
        "/dev/vd",
        "/dev/xvd",
        "/dev/disk",
        "/dev/mmcblk",
        "/dev/mapper/",
    ]
    .iter()
    .any(|d| p.starts_with(d))
    {
        return Some((Destructive, "a disk device"));
    }
    if let Some(hit) = machine_device(&p) {
        return Some(hit);
    }
    // The directories themselves count too (`unzip -d /etc`, `tar -C /usr`).
    let dir = format!("{}/", p.trim_end_matches('/'));
    if dir.starts_with("/etc/")
        || dir.starts_with("/boot/")
        || p.contains("/cron")
        || p.contains(".git/hooks/")
        // Husky's hooks run at each commit or push, as git's own do.
        || (p.starts_with(".husky/") || p.contains("/.husky/"))
            && !p.ends_with(".gitignore")
        || dir.starts_with("/usr/")
        || dir.starts_with("/bin/")
        || dir.starts_with("/sbin/")
        || p.starts_with("/lib")
    {
        return Some((Admin, "system configuration or code that runs later"));
    }
    // Windows: system files, the startup folders and PowerShell profiles
    // (`C:\Windows\System32\drivers\etc\hosts`, `…\Start Menu\Programs\Startup\x.bat`).
    let win = p.replace('\\', "/");
    let win = win
        .get(1..)
        .filter(|_| win.as_bytes().get(1) == Some(&b':'))
        .and_then(|r| r.strip_prefix(':'))
        .unwrap_or(&win);
    if (win.starts_with("/windows/") && !win.starts_with("/windows/temp/"))
        || win.contains("/start menu/programs/startup")
        || win.ends_with("profile.ps1")
    {
        return Some((Admin, "Windows system files or code that runs at logon"));
    }
    None
}

/// Devices whose write stops, corrupts or forges the running machine (the twenty-fourth
/// sets): the watchdog (a write arms it and the machine reboots when it is not fed), physical
/// and kernel memory and I/O ports, the kernel's log; and block devices past the disks above
/// (loop, RAID, device-mapper, network and RAM disks, optical drives). `/dev/fd/N` is a
/// descriptor, not the floppy `/dev/fd0`.
fn machine_device(p: &str) -> Option<(Effect, &'static str)> {
    let dev = p.strip_prefix("/dev/")?;
    const STOPS: &[&str] = &["watchdog", "mem", "kmem", "port", "nvram", "cpu/"];
    const BLOCK: &[&str] = &[
        "loop", "md", "dm-", "nbd", "rbd", "zd", "zram", "ram", "sr", "scd", "fd0", "fd1", "mtd",
        "ubi", "vg", "block/", "pmem", "nullb", "drbd",
    ];
    if STOPS
        .iter()
        .any(|d| dev.starts_with(d) && (d.ends_with('/') || dev == *d || d == &"watchdog"))
    {
        return Some((
            Destructive,
            "a device whose write reboots or corrupts the running machine",
        ));
    }
    if dev == "kmsg" || dev == "log" || dev.starts_with("console") {
        return Some((Admin, "the kernel's log or console (forged entries)"));
    }
    if BLOCK.iter().any(|d| {
        dev.strip_prefix(d).is_some_and(|rest| {
            d.ends_with(['/', '-'])
                || rest.starts_with(|c: char| c.is_ascii_digit())
                || rest.starts_with('/')
        })
    }) && !dev.starts_with("loop-control")
    {
        return Some((Destructive, "a block device"));
    }
    None
}

/// What writing `path` does beyond a plain write, for a path a command writes (a
/// redirection target, `-o FILE`, `uniq IN OUT`, `mv`'s destination), never for one it only
/// reads: a sensitive path (above); a shell startup file or credential store (persistence
/// or a credential change: admin, also when appended to); a data location or database file
/// overwritten (its content is lost: destructive; appending keeps it, so only a write).
pub(crate) fn write_risk(path: &str, append: bool) -> Option<(Effect, &'static str)> {
    if let Some(hit) = sensitive_path(path) {
        return Some(hit);
    }
    if let Some(hit) = climbed_to_root(path).and_then(|abs| write_risk(&abs, append)) {
        return Some(hit);
    }
    if let Some(hit) = super::spelled::plain(path).and_then(|p| write_risk(&p, append)) {
        return Some(hit);
    }
    // Writing into the root directory itself (`tar -xf x.tar -C /`) lands on the system.
    if path.trim_end_matches('/').is_empty() && path.starts_with('/') {
        return Some((Admin, "the root of the file system"));
    }
    if let Some(hit) = socket_or_control(path) {
        return Some(hit);
    }
    let p = path.to_ascii_lowercase();
    if let Some(hit) = runs_later(&p) {
        return Some(hit);
    }
    if append {
        return None;
    }
    if p.starts_with("/tmp/") || p.starts_with("/var/tmp/") || p.starts_with("/dev/shm/") {
        return None;
    }
    let file = p.rsplit(['/', '\\']).next().unwrap_or("");
    // Backup destinations (`/var/backups`, `/mnt`) are left out: a new dump written there is
    // the usual case.
    const DATA_DIRS: &[&str] = &[
        "/var/lib/",
        "/var/log/",
        "/var/www/",
        "/var/opt/",
        "/srv/",
        "/data/",
        "/opt/",
    ];
    let db_file = file.starts_with("ibdata")
        || file.starts_with("ib_logfile")
        || file == "pg_version"
        || file == "pg_control"
        || [
            ".db", ".sqlite", ".sqlite3", ".db3", ".mdb", ".ibd", ".frm", ".myd", ".wt", ".mdf",
            ".ldf",
        ]
        .iter()
        .any(|x| file.ends_with(x));
    if db_file || DATA_DIRS.iter().any(|d| p.starts_with(d)) {
        return Some((
            Destructive,
            "a data file or data location (its content is lost)",
        ));
    }
    None
}

/// A path whose write leaves the machine or changes the kernel: a network socket
/// (`/dev/tcp/host/443`, which Bash opens) or the kernel's controls (`/proc/sysrq-trigger`,
/// `/proc/sys`, `/sys`). Also for a file tool's write (the twenty-second sets: `write_file
/// {"path": "/proc/sys/kernel/sysrq"}` and `Write` to `/dev/tcp/…` were plain writes).
pub(crate) fn socket_or_control(path: &str) -> Option<(Effect, &'static str)> {
    let p = path.trim().to_ascii_lowercase();
    // Bash opens a socket for these (`cat f > /dev/tcp/host/443`): the data leaves.
    if p.starts_with("/dev/tcp/") || p.starts_with("/dev/udp/") {
        return Some((Admin, "a network socket (the data leaves the machine)"));
    }
    // The kernel's controls: `/proc/sysrq-trigger` crashes or reboots the machine, and
    // `/proc/sys`, `/sys` change how the kernel, devices and the network behave.
    if (p.starts_with("/proc/") && !p.starts_with("/proc/self/fd/")) || p.starts_with("/sys/") {
        return Some((Admin, "a kernel or device control"));
    }
    None
}

/// A file whose content runs or is trusted later: a shell or tool startup file, a credential
/// store, a repository's git configuration (`core.fsmonitor` and `core.sshCommand` run
/// programs), Python's start-up hooks (`sitecustomize.py`, a `.pth` in `site-packages`).
/// Writing one, even by appending, is persistence or a credential change (admin).
pub(crate) fn runs_later(path: &str) -> Option<(Effect, &'static str)> {
    // Windows spells the same places with backslashes (`$HOME\.ssh\authorized_keys`).
    let p = path.to_ascii_lowercase().replace('\\', "/");
    let file = p.rsplit(['/', '\\']).next().unwrap_or("");
    const STARTUP: &[&str] = &[
        ".bashrc",
        ".bash_profile",
        ".bash_login",
        ".bash_logout",
        ".profile",
        ".zshrc",
        ".zshenv",
        ".zprofile",
        ".zlogin",
        ".cshrc",
        ".tcshrc",
        ".kshrc",
        ".inputrc",
        ".gitconfig",
        ".netrc",
        ".npmrc",
        ".pypirc",
        ".pgpass",
        ".my.cnf",
        ".git-credentials",
        ".xinitrc",
        ".xprofile",
        // Where packages come from, and which hosts are trusted for them.
        "pip.conf",
        "pip.ini",
        ".yarnrc",
        ".yarnrc.yml",
        // Editors' and multiplexers' start-up files run commands (`:!cmd`, `run-shell`).
        ".vimrc",
        ".gvimrc",
        ".exrc",
        ".tmux.conf",
        ".screenrc",
    ];
    const STORES: &[&str] = &[
        ".ssh/",
        ".aws/",
        ".kube/",
        ".docker/",
        ".gnupg/",
        ".config/autostart",
        ".config/fish/",
        ".config/systemd/",
        ".azure/",
        ".config/gcloud/",
        // Where cargo takes crates from (`[source.crates-io] replace-with`) and its tokens.
        ".cargo/config",
        ".cargo/credentials",
        ".config/nvim/",
        // macOS's login and boot agents.
        "library/launchagents/",
        "library/launchdaemons/",
        // Gradle's init scripts run at each build (the twenty-second sets).
        ".gradle/init.d/",
        ".gradle/init.gradle",
    ];
    let python_hook = matches!(file, "sitecustomize.py" | "usercustomize.py")
        || (file.ends_with(".pth") && p.contains("-packages"))
        // IPython runs its profiles' start-up scripts at each start (the twenty-second sets).
        || (p.contains(".ipython/") && p.contains("/startup/"));
    if STARTUP.contains(&file) || STORES.iter().any(|d| p.contains(d)) || python_hook {
        return Some((
            Admin,
            "a shell startup file or credential store (persistence or credential change)",
        ));
    }
    if p == ".git/config"
        || p.ends_with("/.git/config")
        || p.ends_with(".config/git/config")
        || p.ends_with(".config/git/credentials")
    {
        return Some((
            Admin,
            "a repository's git configuration (it can run programs)",
        ));
    }
    None
}

/// [`runs_later`] for a path a file tool writes: a startup file or store counts in a home
/// directory (`~/.bashrc`, `/home/u/.docker/config.json`), not a project's copy
/// (`/repo/.docker/php/Dockerfile`, a project's `.npmrc`); a repository's git configuration
/// and Python's start-up hooks count anywhere.
pub(crate) fn file_tool_runs_later(path: &str) -> Option<(Effect, &'static str)> {
    let hit = runs_later(path)?;
    let p = path.to_ascii_lowercase();
    let home = ["~/", "$home/", "${home}/", "/home/", "/root/", "/users/"]
        .iter()
        .any(|h| p.starts_with(h));
    let anywhere = p.ends_with(".git/config")
        || p.ends_with("sitecustomize.py")
        || p.ends_with("usercustomize.py")
        || p.ends_with(".pth");
    (home || anywhere).then_some(hit)
}

/// A relative path that climbs three or more levels above where it starts
/// (`public/../../../../etc/hosts`): traversal aimed at the root, judged as the absolute path
/// it spells from there (`/etc/hosts`).
fn climbed_to_root(path: &str) -> Option<String> {
    if path.starts_with(['/', '~']) || !path.contains("..") {
        return None;
    }
    let mut kept: Vec<&str> = Vec::new();
    let mut above = 0usize;
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                if kept.pop().is_none() {
                    above += 1;
                }
            }
            p => kept.push(p),
        }
    }
    (above >= 3 && !kept.is_empty()).then(|| format!("/{}", kept.join("/")))
}

/// Secret files known by their whole name (lower-cased).
const FILES: &[&str] = &[
    ".env",
    ".netrc",
    ".pgpass",
    ".my.cnf",
    ".git-credentials",
    ".npmrc",
    ".pypirc",
    "credentials",
    "credentials.json",
    "shadow",
    "gshadow",
    "master.key",
    "secrets.yml",
    "secrets.yaml",
    "secrets.json",
    ".vault-token",
    "kubeconfig",
    "environ",
    ".htpasswd",
    "terraform.tfstate",
    ".credentials.json",
    "credentials.tfrc.json",
    "logins.json",
    "key4.db",
    ".bash_history",
    ".zsh_history",
    "db_password",
    // Browsers' cookie and saved-password stores (Chrome's `Cookies`, `Login Data`).
    "cookies",
    "cookies.sqlite",
    "login data",
    // Tools' stored logins and tokens (crates.io, s3cmd, Databricks, Terraform Cloud,
    // rclone, Vercel and other CLIs' `auth.json`, WordPress, MySQL's maintenance user,
    // Ansible's vault password, k3s's admin kubeconfig, a service account's key).
    "credentials.toml",
    ".s3cfg",
    ".databrickscfg",
    ".terraformrc",
    "rclone.conf",
    "auth.json",
    "wp-config.php",
    "debian.cnf",
    "vault_pass",
    ".vault_pass",
    "vault_pass.txt",
    ".vault-password",
    "vault-password",
    "k3s.yaml",
    "service-account.json",
    "service_account.json",
    "serviceaccount.json",
    "database.yml",
    "login.keychain-db",
    "login.keychain",
    // Frameworks' and tools' secret files: Terraform variables, GitLab's own secrets,
    // direnv, Azure Functions' and Streamlit's local secrets, boto, Gradle's and NuGet's
    // stored tokens. (Rails' `credentials.yml.enc` is meant to be committed: its key,
    // `master.key`, is the secret.)
    "secrets.tfvars",
    "secret.tfvars",
    "secrets.tfvars.json",
    "terraform.tfvars",
    "terraform.tfvars.json",
    "gitlab-secrets.json",
    ".envrc",
    ".envrc.local",
    "local.settings.json",
    "secrets.toml",
    ".boto",
    "gradle.properties",
    "nuget.config",
    "appsettings.production.json",
    "appsettings.secrets.json",
    // Password managers, VPN and Wi-Fi secrets, host keys, CI servers' stores and
    // CLIs' saved logins (Kaggle, ngrok, JFrog, CircleCI, Firebase, Gemini, Teleport,
    // MySQL's obfuscated login path, Cloudflare's `.dev.vars`, Google's pickled token).
    "login.keyring",
    "ssh_host_rsa_key",
    "ssh_host_ecdsa_key",
    "ssh_host_ed25519_key",
    "ssh_host_dsa_key",
    "ipsec.secrets",
    "chap-secrets",
    "pap-secrets",
    "wpa_supplicant.conf",
    "credentials.xml",
    "kaggle.json",
    "ngrok.yml",
    "jfrog-cli.conf",
    "jfrog-cli.conf.v6",
    "firebase-tools.json",
    "oauth_creds.json",
    "accounts.xml",
    "sitemanager.xml",
    "recentservers.xml",
    ".fetchmailrc",
    ".mylogin.cnf",
    ".dev.vars",
    ".secrets",
    "token.pickle",
    "token.json",
    "client_secret.json",
    "sa-key.json",
    "credstore",
    "deploy_key",
    "passwords.txt",
    "shadow-",
    "gshadow-",
    "master.passwd",
];

/// [`FILES`] as a set: `secret_path` runs for every operand of many commands, and a search
/// of the list compared the name with each of its 150 entries (issue 14: about 7,000
/// instructions a call).
static FILE_SET: LazyLock<std::collections::HashSet<&'static str>> =
    LazyLock::new(|| FILES.iter().copied().collect());

/// Files holding secrets (private keys, cloud and registry credentials, `.env`): sending one
/// over the network is exfiltration (admin).
pub(crate) fn secret_path(path: &str) -> bool {
    // Every secret path below has a dot or a separator, or is one of these names: most
    // words (`-la`, `main`) are ruled out without a lowercase copy.
    const BARE: &[&str] = &[
        "credentials",
        "shadow",
        "gshadow",
        "kubeconfig",
        "environ",
        "db_password",
    ];
    let key_file = ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"]
        .iter()
        .any(|k| {
            path.get(..k.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(k))
        });
    if !path.contains(['.', '/', '\\'])
        && !key_file
        && !BARE.iter().any(|b| path.eq_ignore_ascii_case(b))
    {
        return false;
    }
    let p = path.to_ascii_lowercase();
    let file = p.rsplit(['/', '\\']).next().unwrap_or("");
    // A public key is meant to be shared.
    if file.ends_with(".pub") {
        return false;
    }
    // A credential directory itself (`rclone copy ~/.ssh remote:`, `scp -r ~/.aws host:`).
    let dir = p.trim_end_matches(['/', '\\']);
    let dir_name = dir.rsplit(['/', '\\']).next().unwrap_or("");
    let credential_dir = matches!(
        dir_name,
        ".ssh" | ".aws" | ".gnupg" | ".kube" | ".azure" | ".password-store"
    ) || dir.ends_with(".config/gcloud");
    credential_dir
        || FILE_SET.contains(file)
        || (file.starts_with(".env.")
            && ![".example", ".sample", ".template", ".dist", ".defaults"]
                .iter()
                .any(|t| file.ends_with(t)))
        || p.ends_with(".config/hub")
        || file.ends_with(".auto.tfvars")
        || file.starts_with("id_rsa")
        || file.starts_with("id_dsa")
        || file.starts_with("id_ecdsa")
        || file.starts_with("id_ed25519")
        || file.starts_with("client_secret")
        || file.starts_with("firebase-adminsdk")
        || file.ends_with(".nmconnection")
        || file.ends_with(".ovpn")
        // Kerberos keys, a shell's or a client's history (passwords typed on command lines:
        // `.psql_history`, `.mysql_history`), a process's memory.
        || file.ends_with(".keytab")
        || (file.starts_with('.') && file.ends_with("_history"))
        || (p.starts_with("/proc/") && file == "mem")
        || [".pem", ".key", ".p12", ".pfx", ".jks", ".keystore", ".ppk", ".kdbx", ".gpg"]
            .iter()
            .any(|x| file.ends_with(x))
        // Every marker below names a directory: a bare file name has none.
        || (p.contains('/') && SECRET_DIRS.in_text(&p))
}

/// Markers of a credential store inside a path (each names a directory: a bare file name has
/// none), found in one pass.
const SECRET_DIR_MARKERS: &[&str] = &[
    ".ssh/",
    ".aws/",
    ".kube/config",
    ".docker/config.json",
    "gh/hosts.yml",
    ".codex/auth.json",
    ".config/op/",
    "/run/secrets/",
    "serviceaccount/token",
    ".gnupg/",
    ".password-store/",
    ".azure/",
    ".m2/settings",
    "/etc/kubernetes/",
    ".snowsql/config",
    ".config/stripe/",
    "sops/age/",
    "github-copilot/",
    "library/keychains/",
    ".config/gh/",
    ".git/config",
    "/etc/ssl/private/",
    "gcloud/",
    // CLIs' stored logins: Wrangler, fly.io, OCI, doctl, dbt's connections.
    ".wrangler/config/",
    ".ethereum/keystore/",
    ".config/solana/id.json",
    ".tsh/keys/",
    ".circleci/cli.yml",
    ".bluemix/",
    ".gsutil/",
    ".purple/accounts.xml",
    "/etc/networkmanager/system-connections/",
    "/var/lib/jenkins/secrets/",
    ".dbt/profiles.yml",
    ".fly/config.yml",
    ".oci/config",
    "doctl/config.yaml",
];
static SECRET_DIRS: LazyLock<AnyOf> = LazyLock::new(|| AnyOf::new(SECRET_DIR_MARKERS));

/// The guard's own configuration and other agents' MCP server lists, anywhere in a path.
const GUARD_MARKERS: &[&str] = &[
    ".claude/",
    ".claude\\",
    "airlock",
    ".co/host.yaml",
    "dcg/",
    ".cursor/",
    ".codex/",
    ".gemini/",
    "claude_desktop_config",
    ".mcp.json",
    "settings.local.json",
    // Other agents' MCP server lists: each entry is a command the agent starts (the
    // twenty-second sets): VS Code's, Roo's, Cline's, Windsurf's, Kiro's, Amazon Q's.
    ".vscode/mcp.json",
    ".roo/mcp.json",
    "mcp_settings.json",
    "mcp_config.json",
    ".kiro/settings/mcp.json",
    ".amazonq/mcp.json",
    ".config/goose/config.yaml",
];
static GUARD: LazyLock<AnyOf> = LazyLock::new(|| AnyOf::new(GUARD_MARKERS));

#[cfg(test)]
mod tests {
    use super::{
        GUARD, GUARD_MARKERS, SECRET_DIR_MARKERS, SECRET_DIRS, secret_path, sensitive_path,
    };

    #[test]
    fn marker_lists_are_found_in_one_pass_as_one_by_one() {
        for (set, list) in [
            (&*SECRET_DIRS, SECRET_DIR_MARKERS),
            (&*GUARD, GUARD_MARKERS),
        ] {
            assert!(set.is_built());
            for m in list {
                for text in [
                    format!("/home/u/{m}"),
                    format!("{m}x"),
                    m[..m.len() - 1].to_string(),
                    m[1..].to_string(),
                    m.to_uppercase(),
                ] {
                    let one_by_one = list.iter().any(|p| text.contains(p));
                    assert_eq!(set.in_text(&text), one_by_one, "{text:?}");
                }
            }
        }
        // Each list still decides its rule.
        assert!(secret_path("/home/u/.aws/credentials"));
        assert!(secret_path("/srv/x/.ssh/known"));
        assert!(!secret_path("/srv/x/.sh/known"));
        assert!(!secret_path("build/"));
        assert!(sensitive_path("/home/u/.claude/settings.json").is_some());
        assert!(sensitive_path("/srv/app/.cursor/rules").is_some());
        assert!(sensitive_path("/srv/app/src/main.rs").is_none());
    }
}
