//! What automation CLIs run on this machine whatever they do on remote hosts: ansible's ssh
//! options, connection and interpreter variables, inventory and vault-password scripts, and
//! rclone's command flags (`super::run`).

use super::super::super::args::{opt_value, opt_values};
use super::super::super::shell::Sh;
use super::super::ssh_option_text;
use crate::Effect::Mutating;

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
    let scripts = opt_values(args, &["-i"], &["--inventory", "--inventory-file"])
        .into_iter()
        .chain(opt_values(
            args,
            &[],
            &["--vault-password-file", "--vault-pass-file"],
        ))
        // `--vault-id label@FILE`.
        .chain(
            opt_values(args, &[], &["--vault-id"])
                .into_iter()
                .filter_map(|v| v.rsplit_once('@').map(|(_, f)| f)),
        );
    for f in scripts {
        if is_script(f) {
            sh.add(
                Mutating,
                format!("{cmd} runs `{f}`, a script this classifier does not see"),
            );
        }
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

/// Extra variables (`k=v k2="v 2"` or JSON): the connection variables ansible itself acts on.
fn extra_vars(sh: &mut Sh, vars: &str, cmd: &str) {
    let lower = vars.to_ascii_lowercase();
    if !lower.contains("ansible_") {
        return;
    }
    sh.add(
        Mutating,
        format!("{cmd} sets ansible's own connection variables (`-e`)"),
    );
    for key in [
        "ansible_python_interpreter",
        "ansible_ssh_executable",
        "ansible_become_exe",
        "ansible_shell_executable",
    ] {
        if let Some(v) = var_value(vars, &lower, key) {
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
        if let Some(v) = var_value(vars, &lower, key) {
            ssh_option_text(sh, &v, &format!("{cmd} `{key}`"));
        }
    }
}

/// The value given to `key` in `k=v`, `k="v"`, `k='v'` or JSON `"k": "v"` form.
fn var_value(vars: &str, lower: &str, key: &str) -> Option<String> {
    let at = lower.find(key)? + key.len();
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

/// rclone's flags that run a command, on any subcommand (a read's are proven by its rows).
pub(super) fn rclone_local(sh: &mut Sh, args: &[String]) {
    for flag in ["--password-command", "--sftp-ssh"] {
        if let Some(v) = opt_value(args, &[], &[flag]) {
            sh.add(Mutating, format!("`rclone {flag}` runs a command"));
            sh.shell_text(v, &format!("`rclone {flag}`"));
        }
    }
}
