//! Programs whose arguments are scripts in their own language: `sed` (its `e`, `w` and
//! `s///e` commands) and editors (`vim -c ':!cmd'`, `ed` reading `!cmd`).

use super::super::shell::{Input, Sh};
use super::{Scan, write_path};
use crate::Effect::{Destructive, Mutating};

/// Editors run their `-c`/`--cmd`/`+cmd` commands (and `ed`/`ex` their input); a command
/// that starts with `!` (after an optional range) runs a shell.
pub(crate) fn editor(sh: &mut Sh, name: &str, s: &Scan, stdin: &Input) {
    let mut lines: Vec<String> = s
        .found
        .iter()
        .filter(|f| f.flag == "-c" || f.flag == "--cmd")
        .filter_map(|f| f.value.clone())
        .chain(
            s.operands
                .iter()
                .filter_map(|o| o.strip_prefix('+').map(str::to_string)),
        )
        .collect();
    if matches!(name, "ed" | "ex")
        && let Input::Literal(t) = stdin
    {
        lines.extend(t.lines().map(str::to_string));
    }
    if name == "emacs" {
        for f in s
            .found
            .iter()
            .filter(|f| f.flag == "--eval" || f.flag == "-eval")
        {
            if let Some(code) = &f.value {
                elisp(sh, code);
            }
        }
    }
    for line in &lines {
        editor_command(sh, name, line);
    }
    // Scripted edits (`vim -Es -c '%d' -c x f`, `ex -sc 'g/./d' -cx f`): deleting lines and
    // then writing the buffer back empties or cuts the file.
    let commands: Vec<&str> = lines
        .iter()
        .flat_map(|l| l.split('|'))
        .map(|c| c.trim().trim_start_matches(':').trim())
        .collect();
    if commands.iter().any(|c| deletes_lines(c)) && commands.iter().any(|c| writes_buffer(c)) {
        sh.add(
            Destructive,
            format!("`{name}` deletes lines and writes the file back"),
        );
    }
}

/// Emacs Lisp run by `emacs --batch --eval`: its shell and process calls run their commands,
/// its file deletions delete.
fn elisp(sh: &mut Sh, code: &str) {
    const SHELL: &[&str] = &[
        "(shell-command",
        "(async-shell-command",
        "(call-process-shell-command",
        "(process-file-shell-command",
    ];
    const PROCESS: &[&str] = &[
        "(call-process",
        "(process-lines",
        "(process-file",
        "(start-process",
        "(make-process",
        "(funcall",
        "(apply",
        "(eval",
    ];
    const DELETE: &[&str] = &[
        "(delete-file",
        "(delete-directory",
        "(dired-delete-file",
        "(move-file-to-trash",
        "(f-delete",
    ];
    const WRITE: &[&str] = &[
        "(write-region",
        "(with-temp-file",
        "(append-to-file",
        "(write-file",
        "(copy-file",
        "(rename-file",
        "(url-copy-file",
        "(f-write",
    ];
    // Each judged form reads up to its closing parenthesis: a bounded number of them.
    let mut judged = 0;
    let mut runs_computed = false;
    for form in forms(code) {
        let known = |list: &[&str]| list.iter().any(|p| form.starts_with(p));
        if !(known(SHELL) || known(PROCESS) || known(DELETE) || known(WRITE)) {
            continue;
        }
        judged += 1;
        if judged > 32 {
            // A limit ends in the higher answer: what is past it is not known.
            sh.add(
                Destructive,
                "limits: `emacs --eval` makes more calls than are judged",
            );
            break;
        }
        let literals = string_literals(form);
        if form.starts_with("(start-process-shell-command") {
            // `(start-process-shell-command NAME BUFFER COMMAND)`.
            match literals.get(2) {
                Some(c) => sh.shell_text(c, "`emacs --eval`"),
                None => runs_computed = true,
            }
        } else if known(SHELL) {
            // `(shell-command COMMAND &optional OUTPUT-BUFFER …)`: the command comes first; one
            // that is not a literal (`(shell-command (concat …))`) is built at run time.
            let first_is_literal = form
                .get(1..)
                .and_then(|f| f.split_whitespace().nth(1))
                .is_some_and(|w| w.starts_with('"'));
            match literals.first() {
                Some(c) if first_is_literal => sh.shell_text(c, "`emacs --eval`"),
                _ => sh.add(
                    Destructive,
                    "`emacs --eval` runs a shell command it builds at run time",
                ),
            }
        } else if known(PROCESS) {
            runs_computed = true;
        } else if known(DELETE) {
            let what = literals.first().map_or("files", String::as_str);
            sh.add(Destructive, format!("`emacs --eval` deletes `{what}`"));
        } else {
            for path in literals.iter().filter(|l| l.starts_with(['/', '~'])) {
                write_path(sh, path, "`emacs --eval`");
            }
            sh.add(Mutating, "`emacs --eval` writes files");
        }
    }
    // A process started with a program and arguments the form does not spell out as
    // literals where they are used (`(let ((c "rm -rf /x")) (shell-command c))`,
    // `(call-process "rm" nil nil nil "-rf" "/x")`): every string of the code is judged as a
    // command line, and one that names nothing judged stands for a command built at run time.
    if runs_computed {
        let mark = sh.ctx.mark();
        let all = string_literals_anywhere(code);
        for l in &all {
            sh.shell_text(l, "`emacs --eval`");
        }
        let line = all
            .iter()
            .map(|a| format!("'{}'", a.replace('\'', r"'\''")))
            .collect::<Vec<_>>()
            .join(" ");
        if !line.is_empty() {
            sh.shell_text(&line, "`emacs --eval`");
        }
        // Code decoded and read as Lisp (`(eval (read (base64-decode-string …)))`).
        let decoded = ["base64-decode", "read-from-string", "(read "]
            .iter()
            .any(|d| code.contains(d));
        if decoded || sh.ctx.max_since(mark).is_none() {
            sh.add(
                Destructive,
                "`emacs --eval` runs a command it builds at run time",
            );
        }
    }
}

/// Each `(` of `code` outside its string literals, with the text from it to the end.
fn forms(code: &str) -> impl Iterator<Item = &str> {
    let mut in_string = false;
    let mut escaped = false;
    code.char_indices().filter_map(move |(i, c)| {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
            return None;
        }
        match c {
            '"' => {
                in_string = true;
                None
            }
            '(' => code.get(i..),
            _ => None,
        }
    })
}

/// Every string literal of `code` (at most 64).
fn string_literals_anywhere(code: &str) -> Vec<String> {
    string_literals(&format!("({code})"))
}

/// The string literals of the form that starts `form` (up to its closing parenthesis).
fn string_literals(form: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut chars = form.chars();
    while let Some(c) = chars.next() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    break;
                }
            }
            '"' => {
                let mut lit = String::new();
                while let Some(d) = chars.next() {
                    match d {
                        '\\' => lit.extend(chars.next()),
                        '"' => break,
                        d => lit.push(d),
                    }
                }
                out.push(lit);
            }
            _ => {}
        }
        if out.len() >= 64 {
            break;
        }
    }
    out
}

/// An ex command that deletes lines: `d`, `%d`, `1,$delete`, `g/re/d`, `v/re/d`,
/// `%norm dd`.
fn deletes_lines(cmd: &str) -> bool {
    let body = cmd.trim_start_matches(|c: char| c.is_ascii_digit() || ",.$%'<>+-; ".contains(c));
    let word_end = body
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(body.len());
    let (word, after) = body.split_at(word_end);
    match word {
        "d" | "de" | "del" | "dele" | "delet" | "delete" => {
            after.is_empty() || after.starts_with([' ', '!'])
        }
        "g" | "gl" | "glo" | "glob" | "globa" | "global" | "v" | "vg" | "vglobal" => {
            // `g/pattern/command`: the command after the closing delimiter.
            let mut chars = after.trim_start_matches('!').chars();
            let Some(delim) = chars.next() else {
                return false;
            };
            let rest: String = chars.collect();
            let inner = rest.split_once(delim).map_or("", |(_, r)| r);
            deletes_lines(inner.trim())
        }
        "norm" | "norma" | "normal" => after.contains("dd") || after.contains("dG"),
        _ => false,
    }
}

/// An ex command that writes the buffer to its file: `w`, `wq`, `x`, `xit`, `exit`, `up`,
/// `wa`, `xa`, `wqa` (not `w !cmd`, which pipes it, and not `w other-file`).
fn writes_buffer(cmd: &str) -> bool {
    let body = cmd.trim_start_matches(|c: char| c.is_ascii_digit() || ",.$%'<>+-; ".contains(c));
    let word_end = body
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(body.len());
    let (word, after) = body.split_at(word_end);
    let after = after.trim_start_matches('!').trim();
    matches!(
        word,
        "w" | "wr"
            | "wri"
            | "writ"
            | "write"
            | "wq"
            | "x"
            | "xi"
            | "xit"
            | "exi"
            | "exit"
            | "up"
            | "upd"
            | "upda"
            | "updat"
            | "update"
            | "wa"
            | "wall"
            | "xa"
            | "xall"
            | "wqa"
            | "wqall"
    ) && !after.starts_with('!')
}

/// One editor command (`:silent !cmd`, `:r !cmd`, `:w !sh`, `:%!sh`, `:call system('…')`):
/// modifiers are skipped, a `!` command is analysed as shell, and a shell that reads the
/// buffer (`:w !sh`, `:%!bash`) runs text that is not visible.
fn editor_command(sh: &mut Sh, name: &str, line: &str) {
    const MODIFIERS: &[&str] = &[
        "silent!",
        "silent",
        "sil!",
        "sil",
        "noautocmd",
        "noa",
        "keepalt",
        "keepjumps",
        "keepmarks",
        "keeppatterns",
        "lockmarks",
        "unsilent",
        "verbose",
        "vertical",
        "vert",
        "botright",
        "topleft",
        "aboveleft",
        "belowright",
        "tab",
        "hide",
        "confirm",
    ];
    let mut body = line.trim_start().trim_start_matches(':').trim_start();
    while let Some((word, rest)) = body.split_once(char::is_whitespace) {
        if !MODIFIERS.contains(&word) {
            break;
        }
        body = rest.trim_start().trim_start_matches(':').trim_start();
    }
    // A range, then `!cmd` (a filter when there is a range) or `r !cmd` / `w !cmd`.
    let range_end = body
        .find(|c: char| !(c.is_ascii_digit() || ",.$%'<>+-; ".contains(c)))
        .unwrap_or(body.len());
    let (range, command) = body.split_at(range_end);
    let word_end = command
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(command.len());
    let (word, after) = command.split_at(word_end);
    let bang = match word {
        "" => after
            .strip_prefix('!')
            .map(|c| (c, !range.trim().is_empty())),
        "r" | "re" | "rea" | "read" => after.trim_start().strip_prefix('!').map(|c| (c, false)),
        // `:w !cmd` pipes the buffer to cmd; `:w!` (no space) forces a write.
        "w" | "wr" | "wri" | "writ" | "write" if after.starts_with(char::is_whitespace) => {
            after.trim_start().strip_prefix('!').map(|c| (c, true))
        }
        _ => None,
    };
    if let Some((c, reads_buffer)) = bang {
        sh.shell_text(c, &format!("`{name}` `!`"));
        let first = c.split_whitespace().next().unwrap_or("");
        let runs_text = super::handler_of(super::super::shell::program_name(first))
            .is_some_and(|h| matches!(h, super::Handler::Shell | super::Handler::Interpreter));
        if reads_buffer && runs_text {
            sh.add(
                Destructive,
                format!("`{name}` runs the file's text as commands (`{first}` reads the buffer)"),
            );
        }
        return;
    }
    // Vim functions that remove or write files: `call delete('/srv/data', 'rf')`.
    if body.contains("delete(") {
        sh.add(
            Destructive,
            format!("`{name}` deletes files (`{}`)", super::snippet(body)),
        );
    }
    if ["writefile(", "rename(", "mkdir("]
        .iter()
        .any(|w| body.contains(w))
    {
        sh.add(
            Mutating,
            format!("`{name}` writes files (`{}`)", super::snippet(body)),
        );
    }
    if [
        "system(", "call ", "lua ", "py", "exe", "perl ", "ruby ", "!",
    ]
    .iter()
    .any(|w| body.contains(w))
    {
        sh.add(
            Mutating,
            format!("`{name}` runs a command `{}`", super::snippet(body)),
        );
        // String literals it runs: `call system('rm -rf x')`, `exe '!rm -rf x'`.
        for lit in quoted(body) {
            let t = lit.trim_start_matches('!').trim_start();
            if super::super::shell::looks_like_shell(t) {
                sh.shell_text(t, &format!("`{name}` command"));
            }
        }
    }
}

/// The contents of the single- and double-quoted strings of a line.
fn quoted(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(start) = rest.find(['\'', '"']) {
        let q = rest.get(start..=start).unwrap_or("'");
        let after = rest.get(start + 1..).unwrap_or("");
        let Some(end) = after.find(q) else { break };
        out.push(after.get(..end).unwrap_or(""));
        rest = after.get(end + 1..).unwrap_or("");
    }
    out
}

/// `sed`: a script's `e` command and `s///e` flag run commands, `w`/`W` and `s///w` write
/// files (GNU sed; `--sandbox` refuses them). A script from a file cannot be seen.
pub(crate) fn sed(sh: &mut Sh, args: &[String], s: &Scan, stdin: &Input, cmd: &str) {
    // `sed -f - <<< SCRIPT`, `-f /dev/stdin`: the script is the input, seen when literal.
    let from_stdin = |f: &&super::Found| {
        f.value
            .as_deref()
            .is_some_and(|v| matches!(v, "-" | "/dev/stdin" | "/dev/fd/0"))
    };
    let stdin_script = match stdin {
        Input::Literal(t) if s.found.iter().any(|f| f.flag == "-f" && from_stdin(&f)) => {
            Some(t.as_str())
        }
        _ => None,
    };
    if s.found
        .iter()
        .any(|f| f.flag == "-f" && (stdin_script.is_none() || !from_stdin(&f)))
    {
        sh.add(Mutating, format!("{cmd} runs a sed script from a file"));
    }
    let mut scripts: Vec<&str> = s
        .found
        .iter()
        .filter(|f| f.flag == "-e")
        .filter_map(|f| f.value.as_deref())
        .chain(stdin_script)
        .collect();
    if scripts.is_empty() && !s.has(&["-f"]) {
        scripts.extend(s.operands.first().map(String::as_str));
    }
    let sandbox = s.has(&["--sandbox"]);
    // `sed -i d f`, `sed -i '1,$d' f`: every line deleted in place empties the files.
    let in_place = s.found.iter().any(|f| f.act == super::Act::Modify);
    let deletes_all = |script: &str| {
        let squeezed: String = script.chars().filter(|c| !c.is_whitespace()).collect();
        matches!(
            squeezed.trim_end_matches(';'),
            "d" | "1,$d" | "0,$d" | "/^/d" | "/.*/d" | "/$/d" | "/^.*$/d"
        )
    };
    if in_place && scripts.iter().any(|t| deletes_all(t)) {
        sh.add(
            Destructive,
            format!("{cmd} deletes every line of the files it edits in place"),
        );
    }
    for script in scripts {
        for (what, arg) in sed_commands(script) {
            match what {
                SedOp::Exec if sandbox => {}
                SedOp::Write(_) if sandbox => {}
                SedOp::Exec if arg.trim().is_empty() => sh.add(
                    Destructive,
                    format!("{cmd}: sed `e` runs its input as commands (unseen input counts as destructive)"),
                ),
                SedOp::Exec => {
                    sh.add(Mutating, format!("{cmd}: sed `e` runs a command"));
                    sh.shell_text(&arg, "`sed e`");
                }
                SedOp::Write(path) => write_path(sh, &path, &format!("{cmd}: sed `w`")),
                SedOp::Unknown => sh.add(
                    Mutating,
                    format!("{cmd}: sed script {} is not understood (counts as a write)", super::snippet(script)),
                ),
            }
        }
    }
    let _ = args;
}

enum SedOp {
    Exec,
    Write(String),
    Unknown,
}

/// The commands of a sed script that run or write something, with their argument.
fn sed_commands(script: &str) -> Vec<(SedOp, String)> {
    let mut found = Vec::new();
    let mut chars = script.chars().peekable();
    let rest_of_line = |chars: &mut std::iter::Peekable<std::str::Chars>| {
        let mut arg = String::new();
        while let Some(c) = chars.next_if(|c| *c != '\n') {
            arg.push(c);
        }
        arg
    };
    while let Some(c) = chars.next() {
        match c {
            ' ' | '\t' | '\n' | ';' | '{' | '}' | '!' | ',' | '0'..='9' | '$' | '~' | '+' => {}
            // Addresses: `/re/` and `\cREc`.
            '/' | '\\' => {
                let delim = if c == '\\' {
                    chars.next().unwrap_or('/')
                } else {
                    '/'
                };
                skip_delimited(&mut chars, delim);
                while chars.next_if(|c| *c == 'I' || *c == 'M').is_some() {}
            }
            's' | 'y' => {
                let Some(delim) = chars.next() else {
                    found.push((SedOp::Unknown, String::new()));
                    break;
                };
                skip_delimited(&mut chars, delim);
                skip_delimited(&mut chars, delim);
                if c == 'y' {
                    continue;
                }
                while let Some(f) = chars.next_if(|f| !matches!(f, ';' | '\n' | '}')) {
                    match f {
                        'e' => found.push((SedOp::Exec, String::new())),
                        'w' => {
                            let path = rest_of_line(&mut chars).trim().to_string();
                            found.push((SedOp::Write(path), String::new()));
                        }
                        'g' | 'p' | 'i' | 'I' | 'm' | 'M' | '0'..='9' | ' ' => {}
                        _ => found.push((SedOp::Unknown, String::new())),
                    }
                }
            }
            'e' => {
                let arg = rest_of_line(&mut chars);
                found.push((SedOp::Exec, arg));
            }
            'w' | 'W' => {
                let path = rest_of_line(&mut chars).trim().to_string();
                found.push((SedOp::Write(path), String::new()));
            }
            // Commands that take the rest of the line as text or a file to read.
            'a' | 'i' | 'c' | 'r' | 'R' | 'b' | 't' | 'T' | ':' | 'q' | 'Q' | 'l' | 'L' => {
                let _ = rest_of_line(&mut chars);
            }
            'p' | 'P' | 'd' | 'D' | 'n' | 'N' | 'g' | 'G' | 'h' | 'H' | 'x' | '=' | 'z' | 'F'
            | '#' => {
                if c == '#' {
                    let _ = rest_of_line(&mut chars);
                }
            }
            _ => {
                found.push((SedOp::Unknown, String::new()));
                break;
            }
        }
    }
    found
}

fn skip_delimited(chars: &mut std::iter::Peekable<std::str::Chars>, delim: char) {
    while let Some(c) = chars.next() {
        if c == '\\' {
            let _ = chars.next();
        } else if c == delim {
            return;
        }
    }
}

/// `awk`: the commands in a program's strings. `print | "cmd"` and `print |& "cmd"` feed the
/// program's output to `cmd` (a shell there runs text that is not visible); `"cmd" | getline`
/// runs `cmd`. `system()` and the rest are left to the code analyser.
pub(crate) fn awk_commands(sh: &mut Sh, args: &[String]) {
    // The program is the first operand, unless it comes from a file (`-f`).
    if super::super::args::opt_value(args, &["-f"], &["--file"]).is_some() {
        return;
    }
    let i = super::super::args::first_operand(args, &["-F", "-v", "--field-separator", "--assign"]);
    let Some(prog) = args.get(i) else { return };
    let bytes = prog.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b != b'"' {
            i += 1;
            continue;
        }
        // A string literal: up to the next unescaped quote.
        let start = i + 1;
        let mut j = start;
        while let Some(&c) = bytes.get(j) {
            match c {
                b'\\' => j += 2,
                b'"' => break,
                _ => j += 1,
            }
        }
        let lit = prog.get(start..j.min(prog.len())).unwrap_or("");
        let before = prog.get(..i).unwrap_or("").trim_end();
        let after = prog.get(j + 1..).unwrap_or("").trim_start();
        let fed = before.ends_with('|') || before.ends_with("|&");
        let getline = after
            .strip_prefix("|&")
            .or_else(|| after.strip_prefix('|'))
            .is_some_and(|r| r.trim_start().starts_with("getline"));
        if fed && !lit.trim().is_empty() {
            let simple = !lit.contains(|c: char| ";|&$`<>(){}'\"\\\n".contains(c));
            if simple {
                let argv: Vec<String> = lit.split_whitespace().map(str::to_string).collect();
                let _ = sh.argv(
                    &argv,
                    &Input::Unknown("the output of awk".into()),
                    "`awk print |`",
                );
            } else {
                sh.shell_text(lit, "`awk print |`");
            }
        } else if getline && !lit.trim().is_empty() {
            sh.add(Mutating, "awk runs a command (`| getline`)");
            sh.shell_text(lit, "`awk | getline`");
        }
        i = j + 1;
    }
    computed_pipes(sh, prog);
}

/// `print … | c`, `c | getline` where the command is not a string literal (a variable or an
/// expression built at run time): the command that runs cannot be seen.
fn computed_pipes(sh: &mut Sh, prog: &str) {
    let bytes = prog.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if in_string {
            match b {
                b'\\' => i += 1,
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if b != b'|' {
            i += 1;
            continue;
        }
        if bytes.get(i + 1) == Some(&b'|') {
            i += 2;
            continue;
        }
        let after = prog.get(i + 1..).unwrap_or("");
        let after = after.strip_prefix('&').unwrap_or(after).trim_start();
        let before = prog.get(..i).unwrap_or("").trim_end();
        // The statement the `|` ends: from the last `;`, `{`, `}` or newline.
        let stmt = before
            .rsplit([';', '{', '}', '\n'])
            .next()
            .unwrap_or("")
            .trim_start();
        let printing = stmt.starts_with("print");
        let getline = after.starts_with("getline");
        let literal_target = after.starts_with('"');
        let literal_source = before.ends_with('"');
        if (printing && !literal_target && !getline) || (getline && !literal_source) {
            sh.add(
                Destructive,
                "awk pipes to or from a command computed at run time (`print … | c`, `c | getline`)",
            );
            return;
        }
        i += 1;
    }
}
