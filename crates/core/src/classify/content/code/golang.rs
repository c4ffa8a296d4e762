//! The read proof for Go: a `main` package whose imports are on a short list (`fmt`, `os`,
//! `strings`, `path/filepath`, …) and whose every call is an allowed package function
//! (`fmt.Println`, `os.ReadDir`, `os.ReadFile`, `os.Stat`, `filepath.Join`, `strings.*`),
//! a builtin, a function the snippet defines, or a method from a short list on a value
//! (`e.Name()`, `info.Size()`). Anything else (`os.Remove`, `exec.Command`, `os.OpenFile`,
//! cgo, `unsafe`, `reflect`, a package alias) is not proven.

use super::chains::{self, Chain, Root};
use super::lex::{Lexed, Tok};
use crate::classify::content::args;

/// Packages whose import runs nothing.
const PACKAGES: &[&str] = &[
    "fmt",
    "os",
    "strings",
    "strconv",
    "sort",
    "path",
    "path/filepath",
    "encoding/json",
    "time",
    "math",
    "errors",
    "unicode",
];

/// Package functions and values that only compute, print or read (`*` after a package: all
/// of it).
const FUNCS: &[&str] = &[
    "fmt.Println",
    "fmt.Printf",
    "fmt.Print",
    "fmt.Sprintf",
    "fmt.Sprint",
    "fmt.Sprintln",
    "fmt.Errorf",
    "os.Getwd",
    "os.Getenv",
    "os.Hostname",
    "os.Args",
    "os.Exit",
    "os.Getpid",
    "os.IsNotExist",
    "os.IsExist",
    "filepath.Join",
    "filepath.Base",
    "filepath.Dir",
    "filepath.Ext",
    "filepath.Clean",
    "filepath.Abs",
    "filepath.Rel",
    "filepath.Split",
    "filepath.Match",
    "json.Marshal",
    "json.MarshalIndent",
    "json.Unmarshal",
    "strings.*",
    "strconv.*",
    "sort.*",
    "path.*",
    "time.*",
    "math.*",
    "errors.*",
    "unicode.*",
];

/// Functions that read a path given as their first argument.
const READ_PATH: &[&str] = &[
    "os.ReadDir",
    "os.ReadFile",
    "os.Stat",
    "os.Lstat",
    "filepath.Glob",
];

/// Methods on values (`fs.DirEntry`, `fs.FileInfo`, `time.Time`, errors).
const METHODS: &[&str] = &[
    "Name",
    "IsDir",
    "Size",
    "ModTime",
    "Mode",
    "Type",
    "Info",
    "String",
    "Error",
    "IsRegular",
    "Perm",
    "Unix",
    "Format",
    "Sub",
    "Seconds",
    "Before",
    "After",
    "Year",
    "Month",
    "Day",
    "Hours",
    "Minutes",
];

/// Keywords, builtins and types.
const WORDS: &[&str] = &[
    "package",
    "main",
    "import",
    "func",
    "for",
    "range",
    "if",
    "else",
    "return",
    "var",
    "const",
    "type",
    "struct",
    "nil",
    "true",
    "false",
    "len",
    "cap",
    "append",
    "make",
    "panic",
    "string",
    "int",
    "int64",
    "int32",
    "uint",
    "uint64",
    "float64",
    "bool",
    "byte",
    "rune",
    "error",
    "map",
    "switch",
    "case",
    "default",
    "break",
    "continue",
    "interface",
    "any",
    "min",
    "max",
];

/// True if the Go `code` provably only computes, prints and reads files that hold no secret.
pub(crate) fn proves_read(lx: &Lexed, calls: &[Chain]) -> bool {
    if !lx.clean
        || lx
            .toks
            .iter()
            .any(|t| matches!(t, Tok::Exec(_) | Tok::Var(_)))
    {
        return false;
    }
    let Some(packages) = imports(lx) else {
        return false;
    };
    let (locals, defs) = locals(lx);
    calls.iter().all(|ch| {
        if ch.root != Root::Name {
            return methods(ch.segs.get(..).unwrap_or_default());
        }
        let Some(first) = ch.segs.first() else {
            return true;
        };
        let root = first.name.as_str();
        // Import paths are strings; `package main` and keys are names.
        if WORDS.contains(&root) {
            return methods(ch.segs.get(1..).unwrap_or_default());
        }
        if packages.iter().any(|p| p.rsplit('/').next() == Some(root)) {
            let Some(second) = ch.segs.get(1) else {
                return false;
            };
            let full = format!("{root}.{}", second.name);
            let star = format!("{root}.*");
            let ok = if READ_PATH.contains(&full.as_str()) {
                second.call.is_some_and(|r| path_ok(lx, r, &packages))
            } else {
                FUNCS.contains(&full.as_str()) || FUNCS.contains(&star.as_str())
            };
            return ok && methods(ch.segs.get(2..).unwrap_or_default());
        }
        if defs.iter().any(|d| d == root) || locals.iter().any(|v| v == root) {
            if first.call.is_some() && !defs.iter().any(|d| d == root) {
                return false;
            }
            return methods(ch.segs.get(1..).unwrap_or_default());
        }
        // A struct field key (`Name: x`) or a label.
        ch.segs.len() == 1 && first.call.is_none() && lx.is(ch.at + 1, ':')
    })
}

fn methods(segs: &[chains::Seg]) -> bool {
    segs.iter().all(|s| {
        if s.call.is_none() {
            return super::effects::verb(&s.name, &[]).is_none();
        }
        METHODS.contains(&s.name.as_str())
    })
}

/// The first argument of a reading call is built from literals and allowed calls, and names
/// no secret.
fn path_ok(lx: &Lexed, range: (usize, usize), packages: &[String]) -> bool {
    let Some(&(s, e)) = chains::args(lx, range).first() else {
        return false;
    };
    (s..e).all(|j| match lx.get(j) {
        Some(Tok::Str { text, code: false }) => {
            !args::secret_path(text) && !text.contains("/proc/") && !text.contains(".ssh")
        }
        Some(Tok::Ident(w)) => {
            matches!(lx.get(j.wrapping_sub(1)), Some(Tok::Dot))
                || packages
                    .iter()
                    .any(|p| p.rsplit('/').next() == Some(w.as_str()))
        }
        Some(Tok::Dot | Tok::Punct('(' | ')' | ',' | '+')) => true,
        _ => false,
    })
}

/// The packages imported, if every import is a plain one of the allowed packages.
fn imports(lx: &Lexed) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for i in 0..lx.toks.len() {
        if lx.ident(i) != Some("import") {
            continue;
        }
        let (from, to) = if lx.is(i + 1, '(') {
            (i + 2, lx.partner(i + 1)?)
        } else {
            (i + 1, i + 2)
        };
        for j in from..to {
            match lx.get(j) {
                Some(Tok::Str { text, code: false }) if PACKAGES.contains(&text.as_str()) => {
                    out.push(text.clone());
                }
                Some(Tok::Punct(';')) => {}
                _ => return None,
            }
        }
    }
    Some(out)
}

/// Names bound by `:=`, `var`, `range` and parameters, and functions defined.
fn locals(lx: &Lexed) -> (Vec<String>, Vec<String>) {
    let (mut vars, defs) = chains::locals(lx, super::lex::Lang::Go);
    for i in 0..lx.toks.len() {
        if lx.is(i, ':') && lx.is(i + 1, '=') {
            let mut k = i;
            while let Some(p) = k.checked_sub(1) {
                match lx.get(p) {
                    Some(Tok::Ident(w)) => vars.push(w.clone()),
                    Some(Tok::Punct(',')) => {}
                    _ => break,
                }
                k = p;
            }
        }
    }
    (vars, defs)
}

#[cfg(test)]
mod tests {
    use super::super::lex::{Lang, lex};
    use super::*;

    fn read(code: &str) -> bool {
        let lx = lex(Lang::Go, code);
        let ch = chains::chains(&lx, Lang::Go);
        proves_read(&lx, &ch)
    }

    #[test]
    fn go_reads_and_their_twins() {
        let main = |imports: &str, body: &str| {
            format!("package main\n\nimport (\n{imports}\n)\n\nfunc main() {{\n{body}\n}}")
        };
        for (yes, no) in [
            (
                main(
                    "\t\"fmt\"\n\t\"os\"",
                    "\tentries, _ := os.ReadDir(\"/srv/data\")\n\tfmt.Println(len(entries))",
                ),
                main(
                    "\t\"fmt\"\n\t\"os\"",
                    "\tentries, _ := os.ReadDir(\"/srv/data\")\n\tfmt.Println(len(entries))\n\tos.RemoveAll(\"/srv/data\")",
                ),
            ),
            (
                main(
                    "\t\"fmt\"\n\t\"os\"",
                    "\tb, err := os.ReadFile(\"go.mod\")\n\tif err != nil {\n\t\tpanic(err)\n\t}\n\tfmt.Println(string(b))",
                ),
                main(
                    "\t\"fmt\"\n\t\"os\"",
                    "\tb, _ := os.ReadFile(\"/root/.ssh/id_rsa\")\n\tfmt.Println(string(b))",
                ),
            ),
            (
                main(
                    "\t\"fmt\"\n\t\"os\"",
                    "\tentries, _ := os.ReadDir(\".\")\n\tfor _, e := range entries {\n\t\tfmt.Println(e.Name(), e.IsDir())\n\t}",
                ),
                main(
                    "\t\"fmt\"\n\t\"os\"\n\t\"os/exec\"",
                    "\tout, _ := exec.Command(\"ls\").Output()\n\tfmt.Println(string(out))",
                ),
            ),
            (
                main("\t\"fmt\"\n\t\"os\"", "\tfmt.Println(os.Getwd())"),
                main(
                    "\t\"fmt\"\n\t\"os\"",
                    "\tf, _ := os.OpenFile(\"x\", os.O_RDWR, 0)\n\tfmt.Println(f)",
                ),
            ),
            (
                main("\t\"fmt\"\n\t\"os\"", "\tfmt.Println(os.Getwd())"),
                main("\t\"fmt\"\n\tx \"os\"", "\tfmt.Println(x.Getwd())"),
            ),
            (
                main("\t\"fmt\"\n\t\"os\"", "\tfmt.Println(os.Getwd())"),
                main("\t\"fmt\"\n\t\"os\"", "\tf := os.Remove\n\tfmt.Println(f)"),
            ),
            (
                main("\t\"fmt\"\n\t\"os\"", "\tfmt.Println(os.Getwd())"),
                main(
                    "\t\"fmt\"\n\t\"os\"",
                    "\tp := \"/srv\"\n\tentries, _ := os.ReadDir(p)\n\tfmt.Println(entries)",
                ),
            ),
        ] {
            assert!(read(&yes), "{yes}");
            assert!(!read(&no), "{no}");
        }
    }
}
