//! The one rule that lets code be read: a Python or JavaScript snippet whose every call is on
//! an allow-list of functions that only compute and print (`print(len(sys.stdin.read()))`,
//! `console.log(JSON.parse(s).x)`), that imports only modules without side effects, and that
//! names nothing dynamic (`__import__`, `getattr`, `eval`, `open`, `require`). Anything else,
//! including a call the list does not know, leaves code at least mutating.

/// Modules whose import runs nothing and whose functions only compute.
const PY_MODULES: &[&str] = &[
    "json",
    "sys",
    "math",
    "re",
    "collections",
    "itertools",
    "functools",
    "datetime",
    "statistics",
    "string",
    "textwrap",
    "pprint",
    "decimal",
    "fractions",
    "operator",
    "platform",
    "hashlib",
    "base64",
    "csv",
    "unicodedata",
    "heapq",
    "bisect",
    "calendar",
    "uuid",
];

/// Python functions and module functions that only compute or print.
const PY_CALLS: &[&str] = &[
    "print",
    "len",
    "str",
    "int",
    "float",
    "bool",
    "list",
    "dict",
    "set",
    "tuple",
    "sorted",
    "sum",
    "min",
    "max",
    "abs",
    "round",
    "range",
    "enumerate",
    "zip",
    "map",
    "filter",
    "any",
    "all",
    "repr",
    "format",
    "type",
    "isinstance",
    "hex",
    "oct",
    "bin",
    "ord",
    "chr",
    "reversed",
    "divmod",
    "pow",
    "hash",
    "id",
    "frozenset",
    "bytes",
    "next",
    "iter",
    "slice",
    "json.loads",
    "json.load",
    "json.dumps",
    "sys.stdin.read",
    "sys.stdin.readlines",
    "sys.stdin.readline",
    "sys.getsizeof",
    "csv.reader",
    "csv.DictReader",
    "pprint.pprint",
    "platform.system",
    "platform.python_version",
    "platform.machine",
    "platform.release",
    "datetime.datetime.now",
    "datetime.date.today",
    "datetime.datetime.fromtimestamp",
    "collections.Counter",
    "collections.defaultdict",
    "collections.OrderedDict",
    "platform.platform",
    "platform.node",
    "platform.uname",
    "hashlib.sha256",
    "hashlib.md5",
    "hashlib.sha1",
    "base64.b64encode",
    "textwrap.dedent",
    "statistics.mean",
    "statistics.median",
    "uuid.uuid4",
    "unicodedata.name",
];

/// Modules all of whose functions only compute.
const PY_PURE_MODULES: &[&str] = &["math", "re", "itertools", "functools", "operator", "string"];

/// JavaScript functions that only compute or print.
const JS_CALLS: &[&str] = &[
    "console.log",
    "console.error",
    "console.info",
    "console.table",
    "console.dir",
    "JSON.parse",
    "JSON.stringify",
    "Object.keys",
    "Object.values",
    "Object.entries",
    "Object.assign",
    "Object.fromEntries",
    "Array.isArray",
    "Array.from",
    "Array.of",
    "parseInt",
    "parseFloat",
    "String",
    "Number",
    "Boolean",
    "Date",
    "Date.now",
    "isNaN",
    "Number.isInteger",
    "encodeURIComponent",
    "decodeURIComponent",
    "BigInt",
    "Set",
    "Map",
    "Symbol",
    "process.cwd",
    "process.uptime",
    "process.memoryUsage",
    "process.stdout.write",
];

/// The parts of Node's `process` that only describe it.
const JS_PROCESS_READS: &[&str] = &[
    "process.version",
    "process.versions",
    "process.platform",
    "process.arch",
    "process.argv",
    "process.env",
    "process.pid",
    "process.cwd",
    "process.uptime",
    "process.memoryUsage",
    "process.stdout.write",
];

/// Method names that only compute on the value they are called on.
const METHODS: &[&str] = &[
    "strip",
    "lstrip",
    "rstrip",
    "split",
    "rsplit",
    "splitlines",
    "join",
    "lower",
    "upper",
    "title",
    "replace",
    "get",
    "items",
    "keys",
    "values",
    "startswith",
    "endswith",
    "format",
    "count",
    "index",
    "find",
    "rfind",
    "isdigit",
    "isalpha",
    "isalnum",
    "encode",
    "decode",
    "append",
    "extend",
    "sort",
    "copy",
    "most_common",
    "group",
    "groups",
    "hexdigest",
    "isoformat",
    "strftime",
    "total_seconds",
    "zfill",
    "ljust",
    "rjust",
    "center",
    "setdefault",
    "update",
    "add",
    "union",
    "intersection",
    "difference",
    "pop",
    "insert",
    "map",
    "filter",
    "reduce",
    "forEach",
    "toString",
    "toFixed",
    "trim",
    "trimStart",
    "trimEnd",
    "toUpperCase",
    "toLowerCase",
    "slice",
    "substring",
    "includes",
    "indexOf",
    "startsWith",
    "endsWith",
    "padStart",
    "padEnd",
    "concat",
    "some",
    "every",
    "flat",
    "flatMap",
    "reverse",
    "at",
    "localeCompare",
    "match",
    "search",
    "test",
    "push",
    "shift",
    "unshift",
    "has",
    "set",
    "toISOString",
    "getTime",
    "fromisoformat",
    "read",
    "readlines",
    "readline",
];

/// Keywords that a parenthesis may follow (`if (x)`, `not (a)`).
const KEYWORDS: &[&str] = &[
    "if", "elif", "while", "for", "switch", "return", "not", "and", "or", "in", "is", "lambda",
    "yield", "assert", "typeof", "catch", "function", "del", "else", "print",
];

/// Words that make code dynamic or reach outside the process.
const NEVER: &[&str] = &[
    "__",
    "eval",
    "exec",
    "compile",
    "getattr",
    "setattr",
    "delattr",
    "globals",
    "locals",
    "vars",
    "open",
    "require",
    "import(",
    "process",
    "Deno",
    "Bun",
    "global",
    "Function",
    "constructor",
    "prototype",
    "fetch",
    "XMLHttpRequest",
    "WebSocket",
    "input",
    "breakpoint",
    "os",
    "subprocess",
    "shutil",
    "socket",
    "ctypes",
    "pickle",
    "marshal",
    "builtins",
];

/// True if `code` in `lang` (python or js) provably only computes and prints.
pub(super) fn only_computes(lang: &str, code: &str) -> bool {
    let (calls, python) = match lang {
        "python" => (PY_CALLS, true),
        "js" => (JS_CALLS, false),
        _ => return false,
    };
    if code.len() > 4096 || code.contains('`') || code.contains('\\') {
        return false;
    }
    let read_opens = if python { reading_opens(code) } else { None };
    let code = read_opens.as_deref().unwrap_or(code);
    let Some(bare) = without_literals(code) else {
        return false;
    };
    let mut modules: Vec<&str> = Vec::new();
    for stmt in bare.split(['\n', ';']).map(str::trim) {
        let imported = if let Some(rest) = stmt.strip_prefix("import ") {
            rest.split(',')
                .filter_map(|m| m.split_whitespace().next())
                .collect::<Vec<_>>()
        } else if let Some(rest) = stmt.strip_prefix("from ") {
            rest.split_whitespace().next().into_iter().collect()
        } else {
            continue;
        };
        if !python || imported.iter().any(|m| !PY_MODULES.contains(m)) {
            return false;
        }
        modules.extend(imported);
    }
    let idents = identifiers(&bare);
    let described = |name: &str| {
        !python
            && JS_PROCESS_READS.iter().any(|p| {
                name.strip_prefix(p)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('.'))
            })
    };
    if idents
        .iter()
        .filter(|(name, _)| !described(name))
        .any(|(name, _)| {
            NEVER
                .iter()
                .any(|n| name.split('.').any(|seg| seg == *n) || (n.len() > 2 && name.contains(n)))
        })
    {
        return false;
    }
    idents.iter().filter(|(_, call)| *call).all(|(name, _)| {
        let first = name.split('.').next().unwrap_or("");
        let last = name.rsplit('.').next().unwrap_or("");
        calls.contains(&name.as_str())
            || KEYWORDS.contains(&name.as_str())
            || (python && PY_PURE_MODULES.contains(&first) && modules.contains(&first))
            || (name.contains('.')
                && !modules.contains(&first)
                && !calls.iter().any(|c| c.starts_with(&format!("{first}.")))
                && METHODS.contains(&last))
    })
}

/// The code with each `open('literal')` that only reads (no mode, or `'r'`, `'rb'`, `'rt'`)
/// of a path that holds no secret written as `str('literal')`, which the rules above judge
/// as computation; `None` when there is no such call. Any other `open` (a variable path, a
/// writing mode, a keyword) is left for `NEVER` to refuse.
fn reading_opens(code: &str) -> Option<String> {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    let mut changed = false;
    while let Some(i) = rest.find("open(") {
        let (head, tail) = rest.split_at_checked(i)?;
        let boundary = head
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_' || c == '.'));
        let args = tail.strip_prefix("open(")?;
        let read = boundary.then(|| read_only_args(args)).flatten();
        out.push_str(head);
        match read {
            Some((path, len)) => {
                out.push_str("str(");
                out.push_str(&path);
                out.push(')');
                rest = args.get(len..)?;
                changed = true;
            }
            None => {
                out.push_str("open(");
                rest = args;
            }
        }
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// `'path')` or `'path', 'r')` at the start of `args`: the quoted path and the length read
/// (through the closing parenthesis).
fn read_only_args(args: &str) -> Option<(String, usize)> {
    let q = args.chars().next().filter(|c| matches!(c, '\'' | '"'))?;
    let body = args.get(1..)?;
    let end = body.find(q)?;
    let path = body.get(..end)?;
    if path.contains(['{', '%', '|', '$', '`', '<', '>'])
        || super::super::args::sensitive_path(path).is_some()
        || secret(path)
    {
        return None;
    }
    let after = body.get(end + 1..)?;
    let close = after.find(')')?;
    let mode: String = after
        .get(..close)?
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let reads = matches!(
        mode.as_str(),
        "" | ",'r'"
            | ",\"r\""
            | ",'rb'"
            | ",\"rb\""
            | ",'rt'"
            | ",\"rt\""
            | ",mode='r'"
            | ",mode=\"r\""
    );
    reads.then(|| (format!("{q}{path}{q}"), 1 + end + 1 + close + 1))
}

/// Paths that hold credentials: reading them is never a plain read.
fn secret(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    [
        ".ssh",
        ".aws",
        ".env",
        ".netrc",
        "credential",
        "secret",
        ".pem",
        ".key",
        "token",
        "passw",
        "shadow",
        ".gnupg",
        ".kube",
        ".docker",
        ".pgpass",
        ".npmrc",
        ".pypirc",
    ]
    .iter()
    .any(|s| p.contains(s))
}

/// The code with the contents of its string literals and comments removed; `None` if a
/// literal is not closed.
fn without_literals(code: &str) -> Option<String> {
    let mut out = String::with_capacity(code.len());
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                // A prefixed literal (`f'{cmd()}'`, `rb''`) may run code: not provable.
                if out
                    .chars()
                    .next_back()
                    .is_some_and(|p| p.is_alphanumeric() || p == '_')
                {
                    return None;
                }
                out.push(c);
                loop {
                    let d = chars.next()?;
                    if d == c {
                        break;
                    }
                }
                out.push(c);
            }
            '#' => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    Some(out)
}

/// Dotted identifiers, each with whether it is called (followed by `(`). An identifier after
/// `)` or `]` continues a call chain (`s.strip().split()`): it is a method.
fn identifiers(code: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev = ' ';
    let mut it = code.chars().peekable();
    while let Some(c) = it.next() {
        if c.is_alphanumeric() || c == '_' || c == '$' || (c == '.' && !cur.is_empty()) {
            if cur.is_empty() && c.is_ascii_digit() {
                prev = c;
                continue;
            }
            if cur.is_empty() && prev == '.' {
                cur.push('.');
            }
            cur.push(c);
            continue;
        }
        if !cur.is_empty() {
            let mut rest = it.clone();
            let next = std::iter::once(c)
                .chain(rest.by_ref())
                .find(|x| !x.is_whitespace());
            out.push((std::mem::take(&mut cur), next == Some('(')));
        }
        if !c.is_whitespace() {
            prev = c;
        }
    }
    if !cur.is_empty() {
        out.push((cur, false));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_reading_opens_of_plain_paths_are_rewritten() {
        assert_eq!(
            reading_opens("print(open('package.json').read())").as_deref(),
            Some("print(str('package.json').read())")
        );
        assert!(reading_opens("open('a', 'r')").is_some());
        // Twins: a writing or unknown mode, a variable path, a secret, a pipe, `os.open`.
        for code in [
            "open('a', 'w')",
            "open('a', 'r+')",
            "open('a', mode)",
            "open(path)",
            "open('.env')",
            "open('/home/u/.ssh/id_rsa')",
            "open('/etc/shadow')",
            "open('|rm -rf /')",
            "os.open('a')",
            "reopen('a')",
        ] {
            assert_eq!(reading_opens(code), None, "{code}");
        }
    }
}
