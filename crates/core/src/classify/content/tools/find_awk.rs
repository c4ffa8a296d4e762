//! `find` and `awk`: programs whose expressions delete, write or run commands.

use super::super::args::{self, first_operand};
use super::super::shell::{Input, Sh};
use crate::Effect::{Destructive, Mutating, Read};

/// `find`: `-delete` deletes, `-exec`/`-execdir`/`-ok` run commands.
pub(crate) fn find(sh: &mut Sh, args: &[String], cmd: &str) -> Input {
    let mut i = 0;
    let mut found = false;
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "-delete" => {
                sh.add(Destructive, format!("{cmd} deletes the files it finds"));
                found = true;
            }
            "-exec" | "-execdir" | "-ok" | "-okdir" => {
                let end = args
                    .get(i + 1..)
                    .unwrap_or_default()
                    .iter()
                    .position(|x| x == ";" || x == "+" || x == "\\;")
                    .map_or(args.len(), |p| i + 1 + p);
                let mut inner = args.get(i + 1..end).unwrap_or_default().to_vec();
                // `{}` stands for each file found: under a secret place (`find ~/.ssh -exec
                // curl -F f=@{} …`), each is a secret.
                let secret_start = args
                    .iter()
                    .skip_while(|s| matches!(s.as_str(), "-L" | "-H" | "-P") || s.starts_with("-O"))
                    .take_while(|s| !s.starts_with('-') && *s != "(" && *s != "!")
                    .find(|s| args::secret_path(s));
                if let Some(start) = secret_start {
                    for w in &mut inner {
                        *w = w.replace("{}", start);
                    }
                }
                let _ = sh.argv(&inner, &Input::None, &format!("`find {a}`"));
                found = true;
                i = end;
            }
            "-fprint" | "-fprint0" | "-fprintf" | "-fls" => {
                let target = args.get(i + 1).map_or("", String::as_str);
                if let Some((e, why)) = args::write_risk(target, false) {
                    sh.add(e, format!("{cmd} writes `{target}`, {why}"));
                }
                sh.add(Mutating, format!("{cmd} writes a file"));
                found = true;
            }
            _ => {}
        }
        i += 1;
    }
    if let Some((e, w)) = super::find_glob::predicate_glob(args) {
        sh.add(
            e,
            format!(
                "{cmd}: the glob `{w}` becomes the predicates files in the directory are named"
            ),
        );
        found = true;
    }
    if !found {
        sh.add(Read, format!("{cmd} lists files"));
    }
    Input::Unknown("a file list".into())
}

/// `awk`: `system()`, pipes to commands and redirections in the program.
pub(crate) fn awk(sh: &mut Sh, args: &[String], cmd: &str, out: Input) -> Input {
    const VALUED: &[&str] = &[
        "-F",
        "-v",
        "--field-separator",
        "--assign",
        "-i",
        "--include",
        "-E",
        "--exec",
        "-l",
        "--load",
        "-f",
        "--file",
        "-e",
        "--source",
    ];
    let i = first_operand(args, VALUED);
    // gawk's program text given as options (`-e TEXT`, `--source=TEXT`), else the first
    // operand.
    let mut sources: Vec<String> = Vec::new();
    // The options given, with their values: `-F -i` gives `-i` to `-F`, not an include.
    let mut included: Vec<&str> = Vec::new();
    let mut from_file = false;
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let a = a.as_str();
        if a == "--" {
            break;
        }
        let value = |it: &mut std::slice::Iter<'_, String>, short: &str, long: &str| {
            a.strip_prefix(long)
                .and_then(|v| v.strip_prefix('='))
                .map(str::to_string)
                .or_else(|| {
                    (a == short || a == long).then(|| it.next().cloned().unwrap_or_default())
                })
                .or_else(|| {
                    a.strip_prefix(short)
                        .filter(|v| !v.is_empty() && !a.starts_with("--"))
                        .map(str::to_string)
                })
        };
        if let Some(v) = value(&mut it, "-i", "--include") {
            included.push(if v.trim_end_matches(".awk") == "inplace" {
                "inplace"
            } else {
                "lib"
            });
        } else if value(&mut it, "-l", "--load").is_some() {
            included.push("lib");
        } else if value(&mut it, "-f", "--file").is_some()
            || value(&mut it, "-E", "--exec").is_some()
        {
            from_file = true;
        } else if let Some(v) = value(&mut it, "-e", "--source") {
            sources.push(v);
        } else if ["-F", "-v", "--field-separator", "--assign"].contains(&a) {
            let _ = it.next();
        }
    }
    let joined = sources.join("\n");
    let prog = if sources.is_empty() {
        args.get(i).map(String::as_str).unwrap_or("")
    } else {
        joined.as_str()
    };
    // The file operands: after the program, or all of them when it came in options.
    let files_from = if sources.is_empty() { i + 1 } else { i };
    // gawk's `-i inplace` (also `-iinplace`, `--include=inplace`) rewrites every file operand
    // with the program's output; the program is still judged below.
    if included.contains(&"inplace") {
        sh.add(Mutating, format!("{cmd} edits files in place"));
        let files = args.get(files_from..).unwrap_or_default();
        for f in files.iter().filter(|f| !f.starts_with('-')) {
            if let Some((e, why)) = args::write_risk(f, false) {
                sh.add(e, format!("{cmd} edits {why} in place"));
            }
        }
        let body = prog.trim().trim_end_matches(';').trim();
        if matches!(
            body,
            "" | "0" | "NR<0" | "NR==0" | "next" | "{next}" | "!1" | "false"
        ) {
            sh.add(
                Destructive,
                format!("{cmd} prints nothing into the files it edits in place, emptying them"),
            );
        }
    }
    // A library or a compiled extension (`-i lib`, `-l ext`) runs code not shown; the
    // program that follows is judged too.
    if included.contains(&"lib") {
        sh.add(Mutating, format!("{cmd} loads awk code from a file"));
    }
    // A program read from a file (`-f`, `-E`): the next word is data.
    if from_file {
        sh.add(Mutating, format!("{cmd} runs an awk program from a file"));
        return out;
    }
    if prog.contains("system")
        || prog.contains("| \"")
        || prog.contains("|\"")
        || prog.contains("getline")
    {
        sh.add(Mutating, format!("{cmd} runs commands from awk"));
        sh.code_text("awk", prog, "`awk`");
    } else if prog.contains("> \"") || prog.contains(">\"") || prog.contains(">> ") {
        // `print > "path"`: the literal paths it writes.
        for path in prog
            .split('>')
            .skip(1)
            .filter_map(|t| t.trim_start().strip_prefix('"')?.split('"').next())
        {
            if let Some((e, why)) = args::write_risk(path, false) {
                sh.add(e, format!("{cmd} writes `{path}` from awk, {why}"));
            }
        }
        sh.add(Mutating, format!("{cmd} writes files from awk"));
    } else if let Some(target) = computed_target(prog) {
        // `printf "" > FILENAME` empties the file being read; `print > $1` writes wherever
        // the data says.
        let whole = target.trim_end_matches(';').trim();
        if whole == "FILENAME" || (whole.starts_with("ARGV[") && whole.ends_with(']')) {
            sh.add(
                Destructive,
                format!("{cmd} writes over its own input file (`> {target}`)"),
            );
        } else {
            sh.add(
                Mutating,
                format!("{cmd} writes to a file named at run time (`> {target}`)"),
            );
        }
    } else {
        sh.add(Read, format!("{cmd} transforms text"));
    }
    out
}

/// The target of a `print`/`printf` redirection that is not a string literal (`print >
/// $1`, `printf "" > FILENAME`). A `>` inside parentheses or after a pattern is a comparison.
fn computed_target(prog: &str) -> Option<&str> {
    let mut from = 0;
    while let Some(at) = prog[from..].find("print") {
        let start = from + at;
        from = start + 5;
        // A word of its own (not `sprintf`).
        if prog[..start]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            continue;
        }
        let stmt = &prog[start..];
        // The statement ends at a `;`, `}` or line outside a string (`print "a;b" > f`).
        let (mut depth, mut quoted, mut escaped) = (0i32, false, false);
        for (j, c) in stmt.char_indices() {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' if quoted => escaped = true,
                '"' => quoted = !quoted,
                ';' | '}' | '\n' if !quoted => break,
                '(' if !quoted => depth += 1,
                ')' if !quoted => depth -= 1,
                // `>=` compares.
                '>' if !quoted && depth == 0 && stmt.get(j + 1..j + 2) != Some("=") => {
                    let target = stmt[j..].trim_start_matches('>');
                    let target = target
                        .split([';', '}', '\n'])
                        .next()
                        .unwrap_or(target)
                        .trim();
                    return (!target.starts_with('"') && !target.is_empty()).then_some(target);
                }
                _ => {}
            }
        }
    }
    None
}
