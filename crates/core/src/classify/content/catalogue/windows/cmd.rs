//! `cmd.exe`: its text split into statements (`&`, `|`, parentheses), built-ins with their
//! `/x` switches, `if`/`for` bodies, redirections; and the Windows system tools judged by their
//! verb (`wmic`, `net`, `sc`, `vssadmin`, …) and `diskpart` scripts.

use super::super::super::shell::{Input, Sh, program_name};
use super::super::table::Act;
use super::super::{base, table, write_path};
use crate::Effect::{Admin, Destructive, Mutating, Read};

/// Windows system tools: the verb among their words decides (`vssadmin delete shadows`,
/// `net stop svc`, `schtasks /create`, `wmic shadowcopy delete`).
pub(super) fn win_tool(name: &str, args: &[String]) -> (crate::Effect, &'static str) {
    // The verb is one of the first two words or a switch (`net stop x`, `sc delete x`,
    // `wmic shadowcopy delete`, `net user x /delete`), not any later word of free text.
    let words: Vec<String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| *i < 2 || a.starts_with(['/', '-']))
        .map(|(_, a)| a.trim_start_matches(['/', '-']).to_ascii_lowercase())
        .collect();
    let has = |w: &[&str]| {
        words
            .iter()
            .any(|x| w.contains(&x.split(':').next().unwrap_or(x)))
    };
    if name == "wmic" {
        return wmic(args);
    }
    if name == "cipher" && has(&["w"]) || name == "taskkill" {
        return (Destructive, "wipes data or kills processes");
    }
    if has(&[
        "delete",
        "remove",
        "stop",
        "kill",
        "terminate",
        "disable",
        "uninstall",
        "purge",
        "clear-log",
        "cl",
        "deletejournal",
        "shadowstorage",
        "end",
        "dismount",
        "forcedismount",
        "setzerodata",
        "disable-feature",
    ]) && !has(&["query", "list", "get", "show", "enum"])
    {
        return (Destructive, "deletes, stops or disables");
    }
    if has(&[
        "add",
        "create",
        "set",
        "grant",
        "setowner",
        "config",
        "change",
        "transfer",
        "on",
        "off",
        "deletevalue",
    ]) || name == "takeown"
        // `cmdkey /add:host /user:u /pass:p` stores a credential Windows offers that host.
        || name == "cmdkey" && has(&["add", "generic"])
        || name == "icacls" && has(&["grant", "deny", "setowner", "reset", "inheritance"])
        // `cacls C:\Data /g Everyone:F` (`/e` edits, `/p` replaces, `/r` revokes).
        || matches!(name, "cacls" | "xcacls") && has(&["g", "p", "r", "d", "e"])
    {
        return (Admin, "changes access or system configuration");
    }
    // `net user|localgroup|group NAME VALUE…` sets a password, an account option or members.
    let net_account = name == "net"
        && args.first().is_some_and(|a| {
            matches!(
                a.to_ascii_lowercase().as_str(),
                "user" | "users" | "localgroup" | "group"
            )
        });
    if net_account && args.len() > 2 {
        return (Admin, "changes accounts or group members");
    }
    if has(&[
        "query", "list", "get", "show", "enum", "qc", "queryex", "getpid", "help", "?",
    ]) || (matches!(name, "icacls" | "cacls" | "xcacls") && args.len() == 1)
        // `net user`, `net user NAME`, `net localgroup NAME`: list accounts or members;
        // `net start` alone lists running services.
        || net_account
        || (name == "net" && args.len() == 1 && args.iter().any(|a| a.eq_ignore_ascii_case("start")))
        || name == "net"
            && has(&[
                "view",
                "share",
                "session",
                "use",
                "accounts",
                "config",
                "statistics",
            ])
            && args.len() <= 2
    {
        return (Read, "reads");
    }
    (Mutating, "changes the Windows system")
}

/// `wmic [/global switches] alias [where clause] verb [call method]`: the verb decides.
fn wmic(args: &[String]) -> (crate::Effect, &'static str) {
    let mut words = args
        .iter()
        .map(|a| a.to_ascii_lowercase())
        .skip_while(|a| a.starts_with('/'))
        .skip(1)
        .peekable();
    if words.peek().is_some_and(|w| w == "where") && words.nth(1).is_none() {
        // `wmic x where (…) delete` split at its parentheses: the verb is not seen.
        return (Destructive, "has a `where` clause whose verb is not seen");
    }
    let verb = words.next().unwrap_or_default();
    let verb = if verb == "call" {
        words.next().unwrap_or_default()
    } else {
        verb
    };
    match verb.trim_start_matches('/') {
        "get" | "list" | "?" => (Read, "reads"),
        "delete" | "terminate" | "stopservice" | "uninstall" | "format" | "chkdsk"
        | "pauseservice" | "reboot" | "shutdown" | "win32shutdown" => {
            (Destructive, "deletes, terminates or stops")
        }
        "set" | "create" | "changestartmode" | "change" | "setowner" | "install" => {
            (Admin, "changes the Windows system")
        }
        _ => (Mutating, "changes the Windows system"),
    }
}

/// `raw` with each `%NAME%` (or `%NAME:…%`, a substring or a replacement, given the whole
/// value without its quotes) replaced by the value a `set NAME=value` of the text gives it,
/// wherever the `set` stands (`if 1==1 set a=^&`, `@set`, `call set`); the last `set` of a
/// name wins. None if the text uses no variable it sets.
fn set_variables(statements: &[(Vec<String>, bool)], raw: &str) -> Option<String> {
    if !raw.contains('%') {
        return None;
    }
    let mut set: Vec<(String, String)> = Vec::new();
    for (words, _) in statements {
        let mut it = words.iter();
        while let Some(w) = it.next() {
            if !w.trim_start_matches('@').eq_ignore_ascii_case("set") {
                continue;
            }
            let Some((name, value)) = it.next().and_then(|a| a.split_once('=')) else {
                continue;
            };
            let value = it.as_slice().iter().fold(value.to_string(), |mut v, w| {
                v.push(' ');
                v.push_str(w);
                v
            });
            set.push((name.to_ascii_lowercase(), value));
            break;
        }
    }
    // Bounded: the last 64 assignments. A value that itself expands (`set
    // PATH=%PATH%;C:\x`) is left out, so one expansion ends it.
    let set: Vec<(String, String)> = set
        .into_iter()
        .rev()
        .filter(|(_, v)| !v.contains('%'))
        .take(64)
        .collect();
    if set.is_empty() {
        return None;
    }
    let lower = raw.to_ascii_lowercase();
    let mut out = String::with_capacity(raw.len());
    let mut at = 0;
    while let Some(i) = lower.get(at..).and_then(|r| r.find('%')) {
        let start = at + i;
        out.push_str(raw.get(at..start).unwrap_or_default());
        let after = lower.get(start + 1..).unwrap_or_default();
        let found = set.iter().find_map(|(n, v)| {
            let rest = after.strip_prefix(n.as_str())?;
            if rest.starts_with('%') {
                Some((n.len() + 2, v.clone()))
            } else if rest.starts_with(':') {
                let end = rest.find('%')?;
                Some((n.len() + end + 2, v.replace('"', "")))
            } else {
                None
            }
        });
        match found {
            Some((len, v)) => {
                out.push_str(&v);
                at = start + len;
            }
            None => {
                out.push('%');
                at = start + 1;
            }
        }
    }
    out.push_str(raw.get(at..).unwrap_or_default());
    Some(out)
}

/// Splits `cmd.exe` text into statements and words as cmd reads a line: only `"` quotes (a
/// `'` is a plain character), `^` makes the next character plain outside quotes (`^"` opens
/// nothing, `^&` separates nothing, `^` before a line break joins the lines), and `&`, `|`,
/// parentheses and line breaks separate statements outside quotes. Quotes are removed. Each
/// statement says whether it follows a pipe.
fn cmd_statements(text: &str) -> Vec<(Vec<String>, bool)> {
    let mut out = Vec::new();
    let mut piped = false;
    let mut words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut chars = text.chars();
    let flush = |word: &mut String, words: &mut Vec<String>| {
        if !word.is_empty() {
            words.push(std::mem::take(word));
        }
    };
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => word.push(c),
            // (Carriage returns are gone before this: cmd deletes them first.)
            // `^` before a line break joins the lines and takes the next line's first
            // character as plain.
            '^' => match chars.next() {
                Some('\n') => word.extend(chars.next()),
                None => {}
                Some(next) => word.push(next),
            },
            '&' | '|' | '(' | ')' | '\n' => {
                flush(&mut word, &mut words);
                if !words.is_empty() {
                    out.push((std::mem::take(&mut words), piped));
                    piped = false;
                }
                piped |= c == '|';
            }
            _ if c.is_whitespace() => flush(&mut word, &mut words),
            _ => word.push(c),
        }
    }
    flush(&mut word, &mut words);
    if !words.is_empty() {
        out.push((words, piped));
    }
    out
}

/// `cmd.exe` text: statements split at `&`, `|` and newlines.
pub(super) fn cmd_text(sh: &mut Sh, text: &str) {
    cmd_text_read(sh, text, false);
}

/// [`cmd_text`]; `again` when the text was already read once by cmd (a `for` line's parts,
/// taken from the line with its carets removed): its carets are then also judged removed.
fn cmd_text_read(sh: &mut Sh, text: &str, again: bool) {
    let Ok(cat) = table::catalogue() else { return };
    if !sh.ctx.deeper(sh.depth + 1) {
        return;
    }
    sh.depth += 1;
    // `d^e^l` is `del`: cmd removes its escapes before it reads the line, and every carriage
    // return before that.
    let without_cr;
    let raw = if text.contains('\r') {
        without_cr = text.replace('\r', "");
        without_cr.as_str()
    } else {
        text
    };
    // `set "a=&"` then `echo %a% rd …`: cmd expands `%a%` before it splits the line, so the
    // text is judged again with the variables it sets put in (once: what is left to expand
    // is then the same text).
    let statements = cmd_statements(raw);
    if let Some(expanded) = set_variables(&statements, raw).filter(|e| e != raw) {
        cmd_text(sh, &expanded);
    }
    let unescaped = super::judge::strip_carets(raw);
    let text = unescaped.as_str();
    if cmd_for(sh, text) {
        sh.depth -= 1;
        return;
    }
    // cmd reads a line's carets once, but each side of a pipe, a `for` or `call` body, a
    // `cmd`/`start` it runs and what a variable expands to are read again: such a line is also
    // judged with its carets removed, so `^&` separates in one of the two readings.
    let mut readings = statements;
    let reread = again || ['|', '%', '!', '\n'].iter().any(|c| raw.contains(*c)) || {
        let lower = raw.to_ascii_lowercase();
        ["call", "for", "cmd", "start"]
            .iter()
            .any(|w| lower.contains(w))
    };
    if reread {
        let again = cmd_statements(text);
        if again != readings {
            readings.extend(again);
        }
    }
    for (mut words, piped) in readings {
        // `@del x` is `del x` with echo off; `call del x` runs `del x`.
        if let Some(w) = words.first_mut() {
            *w = w.trim_start_matches('@').to_string();
        }
        if words.first().is_some_and(|w| w.is_empty()) {
            words.remove(0);
        }
        if words.len() > 1
            && words
                .first()
                .is_some_and(|w| w.eq_ignore_ascii_case("call"))
            && !words.get(1).is_some_and(|w| w.starts_with(':'))
        {
            words.remove(0);
        }
        let Some(first) = words.first() else { continue };
        let cmd = super::super::snippet(&words.join(" "));
        super::judge::unc_share(sh, &words, &cmd);
        let lower = first.to_ascii_lowercase();
        // `%x% C:\y`, `!x! C:\y`: a command whose name is computed at run time.
        if first.contains('%') || first.starts_with('!') {
            sh.add(
                Destructive,
                format!("{cmd} runs a command whose name is computed at run time"),
            );
            continue;
        }
        // `if exist x rd /s /q x`, `else del x`, `do del %f`: the command after the condition.
        if matches!(lower.as_str(), "if" | "else" | "do") {
            let skip = [
                "not",
                "exist",
                "defined",
                "errorlevel",
                "/i",
                "==",
                "equ",
                "neq",
            ];
            let at = words.iter().skip(1).position(|w| {
                let w = w.to_ascii_lowercase();
                !skip.contains(&w.as_str())
                    && (cat.builtin(&w).is_some() || super::super::is_known(program_name(&w)))
            });
            if let Some(rest) = at.and_then(|i| words.get(i + 1..)) {
                cmd_text(sh, &rest.join(" "));
            } else if lower != "if" && words.len() > 1 {
                sh.add(
                    Mutating,
                    format!("{cmd}: a command this reader does not know"),
                );
            }
            continue;
        }
        // `rd/s/q` is `rd /s /q`.
        let (head, glued) = match lower.split_once('/') {
            Some((h, rest)) if !h.is_empty() => (h.to_string(), Some(format!("/{rest}"))),
            _ => (lower.clone(), None),
        };
        let Some(prog) = cat.builtin(&head) else {
            let stdin = if piped {
                Input::Unknown("the output of a cmd pipeline".into())
            } else {
                Input::None
            };
            let argv = super::without_redirects(sh, &words, &cmd);
            let _ = sh.argv(&argv, &stdin, "`cmd /c`");
            continue;
        };
        let mut switches: Vec<String> = glued
            .map(|g| {
                g.split('/')
                    .filter(|s| !s.is_empty())
                    .map(|s| format!("/{s}"))
                    .collect()
            })
            .unwrap_or_default();
        let mut operands = Vec::new();
        let mut redirect = false;
        let mut truncate = false;
        // `type nul`, `copy nul`: a command that prints nothing.
        let silent = matches!(head.as_str(), "type" | "copy")
            && words.get(1).is_some_and(|w| w.eq_ignore_ascii_case("nul"));
        for w in words.iter().skip(1) {
            if redirect || w.contains('>') {
                // `> f`, `>> f`, `2>f`: the file after the operator is written.
                if w.contains('>') {
                    truncate = !w.contains(">>") && !w.starts_with("2>");
                }
                let target = w.rsplit('>').next().unwrap_or("");
                redirect = target.is_empty();
                if !target.is_empty() && truncate && silent {
                    sh.add(Destructive, format!("{cmd} empties `{target}`"));
                } else if !target.is_empty() {
                    write_path(sh, target, &cmd);
                }
            } else if w.starts_with('/') {
                switches.extend(
                    w.split('/')
                        .filter(|s| !s.is_empty())
                        .map(|s| format!("/{}", s.to_ascii_lowercase())),
                );
            } else {
                operands.push(w.clone());
            }
        }
        let flags = prog.flags.as_deref().unwrap_or_default();
        let mut lower_only = false;
        for s in &switches {
            let (name, _) = s.split_once(':').unwrap_or((s, ""));
            match flags.iter().find(|f| f.names.contains(&name)) {
                Some(f) if f.act == Act::Lower => lower_only = true,
                Some(f) if f.act == Act::Delete => {
                    sh.add(Destructive, format!("{cmd}: `{name}` deletes"))
                }
                Some(f) if f.act == Act::Write => {
                    sh.add(Mutating, format!("{cmd}: `{name}` writes a file"))
                }
                Some(_) => {}
                None => sh.add(
                    Mutating,
                    format!("{cmd}: switch `{s}` is not in the catalogue (counts as a write)"),
                ),
            }
        }
        if lower_only {
            sh.add(Read, format!("{cmd} prints help"));
            continue;
        }
        if matches!(head.as_str(), "rd" | "rmdir") && switches.iter().any(|s| s == "/s") {
            sh.add(Destructive, format!("{cmd} removes a directory tree"));
        }
        base(sh, prog, &operands, &cmd);
    }
    sh.depth -= 1;
}

/// `for … in (set) do command`: the command runs; a `for /f` set in quotes or backquotes is
/// a command too. False when the text is not a `for` loop.
fn cmd_for(sh: &mut Sh, text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    let Some(at) = lower.match_indices("for ").map(|(i, _)| i).find(|&i| {
        i == 0
            || lower
                .get(..i)
                .is_some_and(|b| b.ends_with([' ', '&', '|', '(']))
    }) else {
        return false;
    };
    let Some(body) = lower.find(" do ").filter(|&d| d > at) else {
        return false;
    };
    let (Some(before), Some(head), Some(command)) =
        (text.get(..at), text.get(at..body), text.get(body + 4..))
    else {
        return false;
    };
    if !before.trim().is_empty() {
        cmd_text_read(sh, before.trim().trim_end_matches(['&', '|']), true);
    }
    let set = head
        .split_once('(')
        .and_then(|(_, r)| r.rsplit_once(')'))
        .map(|(s, _)| s.trim())
        .unwrap_or("");
    if head.to_ascii_lowercase().contains("/f") && set.starts_with(['\'', '`']) {
        cmd_text_read(sh, set.trim_matches(['\'', '`']), true);
    }
    cmd_text_read(sh, command, true);
    true
}

/// `diskpart`: its script (`/s f` or stdin) is judged line by line.
pub(super) fn diskpart(sh: &mut Sh, name: &str, args: &[String], stdin: &Input, cmd: &str) {
    if name == "format" {
        // `format D: /q`: a drive or a switch; anything else is not cmd's `format`.
        let volume = args
            .iter()
            .any(|a| a.starts_with('/') || (a.len() == 2 && a.ends_with(':')));
        let e = if volume { Destructive } else { Mutating };
        sh.add(e, format!("{cmd} formats a volume"));
        return;
    }
    let script = match stdin {
        Input::Literal(t) => Some(t.clone()),
        _ => args
            .iter()
            .position(|a| a.eq_ignore_ascii_case("/s"))
            .and_then(|i| args.get(i + 1))
            .and_then(|f| sh.written_content(f).flatten()),
    };
    let Some(script) = script else {
        sh.add(
            Destructive,
            format!("{cmd} runs disk commands that are not visible (counts as destructive)"),
        );
        return;
    };
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let verb = line
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let (e, why) = match verb.as_str() {
            "list" | "detail" | "select" | "sel" | "help" | "exit" | "rem" => (Read, "reads"),
            "clean" | "delete" | "format" | "convert" | "remove" | "shrink" | "offline" => {
                (Destructive, "erases or removes storage")
            }
            _ => (Admin, "changes disks"),
        };
        sh.add(e, format!("diskpart `{line}` {why}"));
    }
}
