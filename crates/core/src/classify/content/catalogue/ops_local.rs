//! What automation CLIs run on this machine whatever they do on remote hosts: ansible's ssh
//! options, connection and interpreter variables, inventory and vault-password scripts, and
//! rclone's command flags (`super::run`).

use super::super::super::args::{opt_value, opt_values};
use super::super::super::shell::Sh;
use super::super::ssh_option_text;
use crate::Effect::{Admin, Mutating};

/// ansible and ansible-playbook, check mode included: `--ssh-common-args='-o
/// ProxyCommand=CMD'` runs CMD here; `-e ansible_python_interpreter=CMD` runs CMD on the
/// target (here with `-c local`); an inventory or vault-password file that is a script runs.
pub(super) fn ansible_local(sh: &mut Sh, name: &str, args: &[String]) {
    let cmd = format!("`{name}`");
    for v in opt_values(
        args,
        &[],
        &[
            "--ssh-common-args",
            "--ssh-extra-args",
            "--scp-extra-args",
            "--sftp-extra-args",
        ],
    ) {
        ssh_option_text(sh, v, &cmd);
    }
    for vars in opt_values(args, &["-e"], &["--extra-vars"]) {
        extra_vars(sh, vars, &cmd);
    }
    jinja_lookups(sh, args, &cmd);
    let inventories = opt_values(args, &["-i"], &["--inventory", "--inventory-file"]);
    // A vault password file is run when it is executable (`vault-client`, `pass.sh`): only
    // a name that says it holds text is taken as read.
    let vaults: Vec<&str> = opt_values(args, &[], &["--vault-password-file", "--vault-pass-file"])
        .into_iter()
        // `--vault-id label@FILE`.
        .chain(
            opt_values(args, &[], &["--vault-id"])
                .into_iter()
                .filter_map(|v| v.rsplit_once('@').map(|(_, f)| f)),
        )
        .collect();
    let text = |f: &str| {
        let f = f.to_ascii_lowercase();
        [".txt", ".pass", ".password", ".secret", ".key"]
            .iter()
            .any(|x| f.ends_with(x))
    };
    let scripts = inventories
        .into_iter()
        .filter(|f| is_script(f))
        .chain(vaults.into_iter().filter(|f| *f != "prompt" && !text(f)));
    for f in scripts {
        sh.add(
            Mutating,
            format!("{cmd} runs `{f}`, a script this classifier does not see"),
        );
    }
}

/// A file name that says it is a program (`inv.sh`, `vault-pass.py`).
fn is_script(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [
        ".sh", ".bash", ".py", ".pl", ".rb", ".js", ".ps1", ".php", ".exe",
    ]
    .iter()
    .any(|x| lower.ends_with(x))
}

/// Extra variables (`k=v k2="v 2"` or JSON): the connection variables ansible itself acts
/// on. JSON escapes (`\u0061nsible_…`) are decoded first.
fn extra_vars(sh: &mut Sh, raw: &str, cmd: &str) {
    let vars = decode_json_escapes(raw);
    let lower = vars.to_ascii_lowercase();
    // `ansible_user`, `ansible_port`, `ansible_become`: what `-u`, `-c`, `-b` set. Keys that
    // name a program, its arguments, a plugin or a path are not.
    let risky = lower.match_indices("ansible_").any(|(at, _)| {
        let key: String = lower
            .get(at..)
            .unwrap_or("")
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        [
            "interpreter",
            "executable",
            "_exe",
            "args",
            "command",
            "plugin",
            "_path",
            "pipe",
        ]
        .iter()
        .any(|w| key.contains(w))
    });
    if !risky {
        return;
    }
    sh.add(
        Mutating,
        format!("{cmd} sets ansible's own programs, arguments or paths (`-e`)"),
    );
    for key in [
        "ansible_python_interpreter",
        "ansible_ssh_executable",
        "ansible_become_exe",
        "ansible_shell_executable",
    ] {
        for v in var_values(&vars, &lower, key) {
            sh.shell_text(&v, &format!("{cmd} `{key}`"));
        }
    }
    for key in [
        "ansible_ssh_common_args",
        "ansible_ssh_extra_args",
        "ansible_scp_extra_args",
        "ansible_sftp_extra_args",
        "ansible_ssh_args",
    ] {
        for v in var_values(&vars, &lower, key) {
            ssh_option_text(sh, &v, &format!("{cmd} `{key}`"));
        }
    }
}

/// Every value given to `key` in the text (the key may appear more than once).
fn var_values(vars: &str, lower: &str, key: &str) -> Vec<String> {
    lower
        .match_indices(key)
        .filter_map(|(at, _)| value_at(vars, at + key.len()))
        .collect()
}

/// `\uXXXX` escapes decoded; other text as it is.
fn decode_json_escapes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('u') => {
                chars.next();
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(d) => out.push(d),
                    None => {
                        out.push_str("\\u");
                        out.push_str(&hex);
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

/// Jinja in any argument (`-a "msg={{ lookup('pipe', 'CMD') }}"`, `-e`) is evaluated on this
/// machine, check mode included: lookups read files, run commands (`pipe`) or write files
/// (`password`).
fn jinja_lookups(sh: &mut Sh, args: &[String], cmd: &str) {
    for a in args.iter().filter(|a| a.contains("{{") || a.contains("{%")) {
        let lower = decode_json_escapes(a).to_ascii_lowercase();
        if !["lookup(", "query(", "q(", "pipe"]
            .iter()
            .any(|w| lower.contains(w))
        {
            continue;
        }
        sh.add(
            Mutating,
            format!("{cmd} evaluates a Jinja lookup on this machine"),
        );
        // `lookup('pipe', 'CMD')`: the quoted string after `pipe`'s own closing quote is a
        // command line.
        let mut rest = a.as_str();
        while let Some(at) = rest.find("pipe") {
            let after = rest.get(at + 4..).unwrap_or("");
            let args = after.trim_start_matches(['\'', '"']);
            if let Some(open) = args.find(['\'', '"'])
                && let Some(q) = args.get(open..open + 1)
                && let Some(body) = args.get(open + 1..)
            {
                let command = body.split(q).next().unwrap_or("");
                sh.shell_text(command, &format!("{cmd} `lookup('pipe')`"));
            }
            rest = after;
        }
    }
}

/// The value given to the key that ends at byte `at`, in `k=v`, `k="v"`, `k='v'` or JSON
/// `"k": "v"` form.
fn value_at(vars: &str, at: usize) -> Option<String> {
    let rest = vars.get(at..)?.trim_start_matches(['"', '\'']).trim_start();
    let rest = rest.strip_prefix(['=', ':'])?.trim_start();
    let mut chars = rest.chars();
    let mut out = String::new();
    match chars.next()? {
        q @ ('"' | '\'') => {
            while let Some(c) = chars.next() {
                match c {
                    '\\' => out.extend(chars.next()),
                    c if c == q => break,
                    c => out.push(c),
                }
            }
        }
        first => {
            out.push(first);
            out.extend(chars.take_while(|c| !c.is_whitespace() && !matches!(c, ',' | '}')));
        }
    }
    Some(out)
}

/// rclone, any subcommand: flags that run a command, connection strings whose options run
/// one (`':webdav,bearer_token_command="CMD":'`, `':sftp,ssh="CMD":'`), and a secret file
/// given as the list of names to look up (`--files-from ~/.aws/credentials`: each line is
/// sent to the remote as an object's name).
pub(super) fn rclone_local(sh: &mut Sh, args: &[String]) {
    for flag in ["--password-command", "--sftp-ssh"] {
        if let Some(v) = opt_value(args, &[], &[flag]) {
            sh.add(Mutating, format!("`rclone {flag}` runs a command"));
            sh.shell_text(v, &format!("`rclone {flag}`"));
        }
    }
    for a in args
        .iter()
        .filter(|a| !a.starts_with('-') && a.contains('='))
    {
        let lower = a.to_ascii_lowercase();
        for key in ["_command", "ssh"] {
            let mut from = 0;
            while let Some(at) = lower.get(from..).and_then(|l| l.find(key)) {
                let end = from + at + key.len();
                from = end;
                let assigned = lower
                    .get(end..)
                    .is_some_and(|r| r.trim_start().starts_with('='));
                if let Some(v) = value_at(a, end).filter(|_| assigned) {
                    sh.add(
                        Mutating,
                        format!("`rclone` connection string option `…{key}` runs a command"),
                    );
                    sh.shell_text(&v, "an rclone connection string");
                }
            }
        }
    }
    for f in opt_values(args, &[], &["--files-from", "--files-from-raw"]) {
        if super::super::super::args::secret_path(f) {
            sh.add(
                Admin,
                format!("`rclone --files-from` sends the lines of `{f}` to the remote"),
            );
        }
    }
}
