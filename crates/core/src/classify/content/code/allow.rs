//! The allow-lists of the read proof: per language, the functions, module attributes and
//! methods that only compute, print or read, and the modules whose import runs nothing.

use super::lex::Lang;

/// How an allowed name may be used.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Use {
    /// Called or referenced, with any arguments.
    Pure,
    /// Every name under this prefix is pure (`os.path.*`).
    Prefix,
    /// Reads a file or directory: called, with a path that holds no secret and, for files
    /// opened, a reading mode.
    ReadPath,
    /// `open()`-like: called with a reading mode.
    Open,
    /// A database connection that is read-only by its URI (`sqlite3.connect('file:…?mode=ro',
    /// uri=True)`).
    ReadOnlyDb,
}

use Use::{Open, Prefix, Pure, ReadOnlyDb, ReadPath};

/// Python: builtins and module functions.
#[rustfmt::skip]
pub(crate) const PYTHON: &[(&str, Use)] = &[
    ("print", Pure), ("len", Pure), ("str", Pure), ("int", Pure), ("float", Pure),
    ("bool", Pure), ("list", Pure), ("dict", Pure), ("set", Pure), ("tuple", Pure),
    ("sorted", Pure), ("sum", Pure), ("min", Pure), ("max", Pure), ("abs", Pure),
    ("round", Pure), ("range", Pure), ("enumerate", Pure), ("zip", Pure), ("map", Pure),
    ("filter", Pure), ("any", Pure), ("all", Pure), ("repr", Pure), ("format", Pure),
    ("type", Pure), ("isinstance", Pure), ("hex", Pure), ("oct", Pure), ("bin", Pure),
    ("ord", Pure), ("chr", Pure), ("reversed", Pure), ("divmod", Pure), ("pow", Pure),
    ("hash", Pure), ("id", Pure), ("frozenset", Pure), ("bytes", Pure), ("next", Pure),
    ("iter", Pure), ("slice", Pure), ("Exception", Pure), ("ValueError", Pure),
    ("KeyError", Pure), ("open", Open), ("io.open", Open), ("json.loads", Pure),
    ("json.load", Pure), ("json.dumps", Pure), ("sys.stdin.read", Pure),
    ("sys.stdin.readlines", Pure), ("sys.stdin.readline", Pure), ("sys.stdin", Pure),
    ("sys.stdout.write", Pure), ("sys.stderr.write", Pure), ("sys.version", Pure),
    ("sys.version_info", Pure), ("sys.platform", Pure), ("sys.argv", Pure),
    ("sys.executable", Pure), ("sys.maxsize", Pure), ("sys.path", Pure),
    ("sys.getsizeof", Pure), ("sys.byteorder", Pure), ("sys.getrecursionlimit", Pure),
    ("csv.reader", Pure), ("csv.DictReader", Pure), ("pprint.pprint", Pure),
    ("pprint.pformat", Pure), ("datetime", Prefix),
    // `platform`'s queries one by one: `platform.popen` (Python 3.7 and before) is `os.popen`.
    ("platform.system", Pure), ("platform.release", Pure), ("platform.version", Pure),
    ("platform.machine", Pure), ("platform.node", Pure), ("platform.platform", Pure),
    ("platform.processor", Pure), ("platform.python_version", Pure),
    ("platform.python_version_tuple", Pure), ("platform.python_implementation", Pure),
    ("platform.python_build", Pure), ("platform.python_compiler", Pure),
    ("platform.uname", Pure), ("platform.architecture", Pure), ("platform.mac_ver", Pure),
    ("platform.win32_ver", Pure), ("platform.libc_ver", Pure),
    ("platform.freedesktop_os_release", Pure), ("platform.dist", Pure),
    ("platform.linux_distribution", Pure), ("platform.system_alias", Pure),
    ("collections", Prefix), ("hashlib", Prefix), ("base64", Prefix), ("textwrap", Prefix),
    ("statistics", Prefix), ("uuid.uuid4", Pure), ("unicodedata", Prefix), ("math", Prefix),
    ("re", Prefix), ("itertools", Prefix), ("functools.reduce", Pure),
    ("functools.partial", Pure), ("operator.itemgetter", Pure), ("string", Prefix),
    ("decimal", Prefix), ("fractions", Prefix), ("heapq", Prefix), ("bisect", Prefix),
    ("calendar", Prefix), ("time.time", Pure), ("time.monotonic", Pure),
    ("time.strftime", Pure), ("time.localtime", Pure), ("time.gmtime", Pure),
    ("os.path", Prefix), ("os.listdir", ReadPath), ("os.scandir", ReadPath),
    ("os.walk", ReadPath), ("os.stat", ReadPath), ("os.lstat", ReadPath), ("os.getcwd", Pure),
    ("os.getenv", Pure), ("os.environ.get", Pure), ("os.environ", Pure), ("os.cpu_count", Pure),
    ("os.getpid", Pure), ("os.getppid", Pure), ("os.getuid", Pure), ("os.getgid", Pure),
    ("os.uname", Pure), ("os.getloadavg", Pure), ("os.sep", Pure), ("os.linesep", Pure),
    ("os.name", Pure), ("os.pathsep", Pure), ("os.curdir", Pure), ("os.access", ReadPath),
    ("os.statvfs", ReadPath), ("shutil.disk_usage", ReadPath), ("shutil.which", Pure),
    ("shutil.get_terminal_size", Pure), ("glob.glob", ReadPath), ("glob.iglob", ReadPath),
    ("fnmatch", Prefix), ("pathlib.Path", ReadPath), ("pathlib.PurePath", Pure),
    ("locale.getlocale", Pure), ("getpass.getuser", Pure), ("socket.gethostname", Pure),
    ("sysconfig.get_paths", Pure), ("sysconfig.get_platform", Pure), ("hasattr", Pure),
    ("ast", Prefix), ("psutil", Prefix), ("sqlite3.connect", ReadOnlyDb),
    ("sqlite3.Row", Pure),
    // SDK clients: constructing one reads nothing; their methods are judged by
    // `read_verb` (`list_buckets`, `describe_instances`, `count_documents`).
    ("boto3.client", Pure), ("boto3.resource", Pure), ("boto3.Session", Pure),
    ("boto3.session.Session", Pure), ("pymongo.MongoClient", Pure),
    ("kubernetes.client", Prefix), ("kubernetes.config", Prefix),
    ("google.cloud.storage.Client", Pure), ("google.cloud.bigquery.Client", Pure),
    ("google.cloud.firestore.Client", Pure),
    // pandas: files read into frames (writes are `to_csv` and kin, not on this list).
    ("pandas.read_csv", ReadPath), ("pandas.read_json", ReadPath),
    ("pandas.read_parquet", ReadPath), ("pandas.read_excel", ReadPath),
    ("pandas.DataFrame", Pure), ("pandas.Series", Pure),
];

/// Python modules whose import runs nothing.
#[rustfmt::skip]
pub(crate) const PYTHON_MODULES: &[&str] = &[
    "json", "sys", "math", "re", "collections", "itertools", "functools", "datetime",
    "statistics", "string", "textwrap", "pprint", "decimal", "fractions", "operator",
    "platform", "hashlib", "base64", "csv", "unicodedata", "heapq", "bisect", "calendar",
    "uuid", "os", "os.path", "shutil", "glob", "pathlib", "fnmatch", "time", "locale",
    "getpass", "socket", "sysconfig", "io", "typing", "dataclasses", "enum", "ast", "psutil",
    "sqlite3", "boto3", "pymongo", "kubernetes", "kubernetes.client", "kubernetes.config",
    "google.cloud", "google.cloud.storage", "google.cloud.bigquery", "google.cloud.firestore",
    "subprocess", "pandas",
];

/// First words of SDK methods that read (`list_buckets`, `describeInstances`,
/// `count_documents`, `read_namespaced_pod`, `head_object`).
const READ_VERBS: &[&str] = &[
    "list",
    "describe",
    "get",
    "head",
    "count",
    "find",
    "read",
    "search",
    "scan",
    "exists",
    "stat",
    "lookup",
    "estimated",
    "distinct",
];

/// Words that make a read-verb name do more (`get_or_create`, `find_one_and_delete`) or
/// hand out a secret (`get_secret_value`, `read_namespaced_secret`, `get_session_token`).
const NOT_READ_WORDS: &[&str] = &[
    "and",
    "or",
    "then",
    "delete",
    "remove",
    "drop",
    "update",
    "put",
    "set",
    "create",
    "insert",
    "replace",
    "upsert",
    "write",
    "modify",
    "apply",
    "patch",
    "post",
    "send",
    "exec",
    "execute",
    "run",
    "invoke",
    "start",
    "stop",
    "kill",
    "reset",
    "restore",
    "copy",
    "move",
    "attach",
    "detach",
    "grant",
    "revoke",
    "enable",
    "disable",
    "purge",
    "truncate",
    "destroy",
    "wipe",
    "terminate",
    "reboot",
    "lock",
    "unlock",
    "rotate",
    "issue",
    "connect",
    "secret",
    "secrets",
    "password",
    "passwords",
    "credential",
    "credentials",
    "token",
    "tokens",
    "decrypt",
    "decrypted",
    "private",
    "login",
    "presigned",
    "sign",
    "signed",
    "federation",
    "proxy",
    "portforward",
    "eviction",
    "evict",
];

/// A method name that reads by its verb (SDK clients: `list_*`, `describe_*`, `get_*`,
/// `head_*`, `count_*`, `find_*`, `read_*`), with no word that writes or reveals a secret.
pub(crate) fn read_verb(name: &str) -> bool {
    let w = crate::classify::name::words(name);
    w.len() > 1
        && w.first().is_some_and(|f| READ_VERBS.contains(&f.as_str()))
        && !w
            .iter()
            .skip(1)
            .any(|x| NOT_READ_WORDS.contains(&x.as_str()))
}

/// Methods on values that only compute or read. `replace` is left out when `pathlib` is
/// imported (`Path.replace` renames a file).
#[rustfmt::skip]
pub(crate) const METHODS: &[&str] = &[
    "strip", "lstrip", "rstrip", "split", "rsplit", "splitlines", "join", "lower", "upper",
    "title", "capitalize", "replace", "get", "items", "keys", "values", "startswith",
    "endswith", "format", "count", "index", "find", "rfind", "isdigit", "isalpha", "isalnum",
    "isupper", "islower", "isspace", "encode", "decode", "append", "extend", "sort", "copy",
    "most_common", "group", "groups", "groupdict", "hexdigest", "digest", "isoformat",
    "strftime", "total_seconds", "zfill", "ljust", "rjust", "center", "setdefault", "update",
    "add", "union", "intersection", "difference", "pop", "insert", "map", "filter", "reduce",
    "forEach", "toString", "toFixed", "trim", "trimStart", "trimEnd", "toUpperCase",
    "toLowerCase", "slice", "substring", "includes", "indexOf", "lastIndexOf", "startsWith",
    "endsWith", "padStart", "padEnd", "concat", "some", "every", "flat", "flatMap", "reverse",
    "at", "localeCompare", "match", "matchAll", "search", "test", "push", "shift", "unshift",
    "has", "set", "toISOString", "getTime", "getFullYear", "fromisoformat", "read", "readlines",
    "readline", "readlines", "partition", "rpartition", "casefold", "splitext", "is_file",
    "is_dir", "exists", "iterdir", "glob", "rglob", "stat", "resolve", "absolute", "read_text",
    "read_bytes", "relative_to", "with_suffix", "with_name", "joinpath", "as_posix",
    "expanduser", "is_symlink", "lstat", "samefile", "name", "suffix", "stem", "parent",
    "parents", "parts", "then", "sum", "mean", "median", "fullmatch", "sub", "findall",
    "finditer", "len", "length", "size", "entries", "fill", "sortBy", "repeat", "charAt",
    "charCodeAt", "codePointAt", "normalize", "findIndex", "findLast", "keys", "values",
    "entries", "toJSON", "isFile", "isDirectory", "isSymbolicLink", "filename", "isoweekday",
    "weekday", "timestamp", "date", "time", "day", "month", "year", "is_absolute",
    "is_relative_to", "most_common", "elements", "total", "close",
    // Ruby.
    "each", "each_with_index", "each_line", "each_char", "select", "reject", "sort_by",
    "min_by", "max_by", "group_by", "partition", "tally", "uniq", "first", "last", "take",
    "drop_while", "take_while", "zip", "flatten", "compact", "to_s", "to_i", "to_f", "to_a",
    "to_h", "to_sym", "to_json", "inspect", "upcase", "downcase", "chomp", "chop", "lines",
    "chars", "bytes", "include?", "empty?", "nil?", "any?", "all?", "none?", "start_with?",
    "end_with?", "key?", "has_key?", "is_a?", "zero?", "even?", "odd?", "sort", "gsub", "sum",
    "grep", "scan", "strip", "squeeze", "ljust", "rjust", "center", "collect", "detect",
    "find_all", "inject", "each_slice", "each_pair", "fetch", "dig", "min", "max", "round",
    "abs", "floor", "ceil", "times", "upto", "downto", "step", "with_index", "sort_by",
    "transform_values", "transform_keys", "filter_map", "sum", "join", "pretty_generate", "now",
    "today", "utcnow", "fromtimestamp", "strptime",
    // Database cursors and psutil processes.
    "cursor", "fetchone", "fetchall", "fetchmany", "cmdline", "memory_info", "cpu_percent",
    "memory_percent", "username", "status", "create_time", "ppid", "num_threads", "is_running",
    "as_dict", "exe", "all", "limit", "paginate",
    // Data frames (pandas): views and summaries in memory.
    "head", "tail", "describe", "value_counts", "nunique", "unique", "groupby", "agg", "isna",
    "notna", "to_string", "to_dict",
];

/// JavaScript (Node, Deno, Bun).
#[rustfmt::skip]
pub(crate) const JS: &[(&str, Use)] = &[
    ("console.log", Pure), ("console.error", Pure), ("console.info", Pure),
    ("console.warn", Pure), ("console.table", Pure), ("console.dir", Pure),
    ("JSON.parse", Pure), ("JSON.stringify", Pure), ("Object.keys", Pure),
    ("Object.values", Pure), ("Object.entries", Pure), ("Object.assign", Pure),
    ("Object.fromEntries", Pure), ("Array.isArray", Pure), ("Array.from", Pure),
    ("Array.of", Pure), ("parseInt", Pure), ("parseFloat", Pure), ("String", Pure),
    ("Number", Pure), ("Boolean", Pure), ("Date", Pure), ("Date.now", Pure), ("isNaN", Pure),
    ("Number.isInteger", Pure), ("encodeURIComponent", Pure), ("decodeURIComponent", Pure),
    ("BigInt", Pure), ("Set", Pure), ("Map", Pure), ("Symbol", Pure), ("Math", Prefix),
    ("Error", Pure), ("RegExp", Pure), ("Promise.all", Pure), ("Intl", Prefix),
    ("process.cwd", Pure), ("process.uptime", Pure), ("process.memoryUsage", Pure),
    ("process.stdout.write", Pure), ("process.version", Pure), ("process.versions", Prefix),
    ("process.platform", Pure), ("process.arch", Pure), ("process.argv", Pure),
    ("process.env", Prefix), ("process.pid", Pure), ("process.hrtime", Pure),
    ("fs.readFileSync", Open), ("fs.readFile", Open), ("fs.promises.readFile", Open),
    ("fs.readdirSync", ReadPath), ("fs.readdir", ReadPath), ("fs.promises.readdir", ReadPath),
    ("fs.statSync", ReadPath), ("fs.lstatSync", ReadPath), ("fs.stat", ReadPath),
    ("fs.promises.stat", ReadPath), ("fs.existsSync", ReadPath), ("fs.realpathSync", ReadPath),
    ("path", Prefix), ("os.hostname", Pure), ("os.platform", Pure), ("os.cpus", Pure),
    ("os.totalmem", Pure), ("os.freemem", Pure), ("os.homedir", Pure), ("os.tmpdir", Pure),
    ("os.type", Pure), ("os.release", Pure), ("os.arch", Pure), ("os.uptime", Pure),
    ("os.loadavg", Pure), ("os.EOL", Pure), ("os.userInfo", Pure), ("util.inspect", Pure),
    ("util.format", Pure), ("Deno.readTextFile", ReadPath), ("Deno.readTextFileSync", ReadPath),
    ("Deno.readDir", ReadPath), ("Deno.readDirSync", ReadPath), ("Deno.stat", ReadPath),
    ("Deno.statSync", ReadPath), ("Deno.lstat", ReadPath), ("Deno.cwd", Pure),
    ("Deno.version", Prefix), ("Deno.build", Prefix), ("Deno.args", Pure),
    ("Deno.env.get", Pure), ("Deno.readFile", ReadPath),
];

/// Node modules whose import runs nothing.
#[rustfmt::skip]
pub(crate) const JS_MODULES: &[&str] = &["fs", "fs.promises", "path", "os", "util"];

/// Ruby: Kernel functions, classes and their functions.
#[rustfmt::skip]
pub(crate) const RUBY: &[(&str, Use)] = &[
    ("puts", Pure), ("p", Pure), ("pp", Pure), ("print", Pure), ("printf", Pure),
    ("format", Pure), ("sprintf", Pure), ("Integer", Pure), ("Float", Pure), ("String", Pure),
    ("Array", Pure), ("Hash", Pure), ("require", Pure), ("require_relative", Pure),
    ("File.read", ReadPath), ("File.readlines", ReadPath), ("File.foreach", ReadPath),
    ("File.exist?", ReadPath), ("File.file?", ReadPath), ("File.directory?", ReadPath),
    ("File.size", ReadPath), ("File.mtime", ReadPath), ("File.stat", ReadPath),
    ("File.basename", Pure), ("File.dirname", Pure), ("File.extname", Pure),
    ("File.join", Pure), ("File.expand_path", Pure), ("Dir.glob", ReadPath),
    ("Dir.entries", ReadPath), ("Dir.children", ReadPath), ("Dir.pwd", Pure),
    ("Dir.exist?", ReadPath), ("Dir.home", Pure), ("JSON.parse", Pure), ("JSON.generate", Pure),
    ("JSON.pretty_generate", Pure), ("JSON.dump", Pure), ("ENV", Prefix),
    ("RUBY_VERSION", Pure), ("RUBY_PLATFORM", Pure), ("ARGV", Pure), ("Time.now", Pure),
    ("Math", Prefix), ("Set.new", Pure), ("STDIN.read", Pure), ("$stdin.read", Pure),
    ("$stdin.each_line", Pure), ("STDOUT.puts", Pure), ("$stdout.puts", Pure),
    ("$stderr.puts", Pure), ("STDERR.puts", Pure),
];

/// Ruby libraries whose `require` runs nothing.
#[rustfmt::skip]
pub(crate) const RUBY_MODULES: &[&str] = &[
    "json", "set", "time", "date", "pp", "securerandom", "digest",
];

/// Perl functions.
#[rustfmt::skip]
pub(crate) const PERL: &[(&str, Use)] = &[
    ("print", Pure), ("printf", Pure), ("say", Pure), ("length", Pure), ("uc", Pure),
    ("lc", Pure), ("ucfirst", Pure), ("lcfirst", Pure), ("split", Pure), ("join", Pure),
    ("keys", Pure), ("values", Pure), ("each", Pure), ("scalar", Pure), ("sort", Pure),
    ("reverse", Pure), ("map", Pure), ("grep", Pure), ("defined", Pure), ("chomp", Pure),
    ("chop", Pure), ("chr", Pure), ("ord", Pure), ("sprintf", Pure), ("substr", Pure),
    ("index", Pure), ("rindex", Pure), ("abs", Pure), ("int", Pure), ("sqrt", Pure),
    ("push", Pure), ("pop", Pure), ("shift", Pure), ("unshift", Pure), ("exists", Pure),
    ("hex", Pure), ("oct", Pure), ("time", Pure), ("localtime", Pure), ("gmtime", Pure),
    ("lc", Pure), ("uniq", Pure), ("sum", Pure), ("max", Pure), ("min", Pure), ("first", Pure),
    ("STDIN", Pure), ("STDOUT", Pure), ("STDERR", Pure), ("ARGV", Pure), ("wantarray", Pure),
    ("ref", Pure), ("local", Pure), ("my", Pure), ("our", Pure), ("use", Pure), ("no", Pure),
    ("strict", Pure), ("warnings", Pure), ("utf8", Pure), ("sum0", Pure), ("pos", Pure),
    ("quotemeta", Pure), ("sprintf", Pure), ("lc", Pure), ("ARGVOUT", Pure), ("BEGIN", Pure),
    ("END", Pure), ("stat", ReadPath),
];

/// Perl modules whose `use` runs nothing.
#[rustfmt::skip]
pub(crate) const PERL_MODULES: &[&str] =
    &["strict", "warnings", "utf8", "List.Util", "Data.Dumper"];

/// PHP functions.
#[rustfmt::skip]
pub(crate) const PHP: &[(&str, Use)] = &[
    ("print_r", Pure), ("var_dump", Pure), ("var_export", Pure), ("printf", Pure),
    ("sprintf", Pure), ("json_encode", Pure), ("json_decode", Pure), ("count", Pure),
    ("strlen", Pure), ("implode", Pure), ("explode", Pure), ("trim", Pure),
    ("strtoupper", Pure), ("strtolower", Pure), ("str_replace", Pure), ("substr", Pure),
    ("strpos", Pure), ("in_array", Pure), ("array_keys", Pure), ("array_values", Pure),
    ("array_slice", Pure), ("array_merge", Pure), ("array_sum", Pure), ("array_unique", Pure),
    ("array_reverse", Pure), ("array_count_values", Pure), ("sort", Pure), ("ksort", Pure),
    ("max", Pure), ("min", Pure), ("round", Pure), ("intval", Pure), ("floatval", Pure),
    ("phpversion", Pure), ("php_uname", Pure), ("date", Pure), ("time", Pure),
    ("number_format", Pure), ("str_repeat", Pure), ("ucfirst", Pure), ("getenv", Pure),
    ("preg_match", Pure), ("preg_match_all", Pure), ("preg_split", Pure), ("basename", Pure),
    ("dirname", Pure), ("pathinfo", Pure), ("getcwd", Pure), ("memory_get_usage", Pure),
    ("file_get_contents", ReadPath), ("file", ReadPath), ("scandir", ReadPath),
    ("glob", ReadPath), ("file_exists", ReadPath), ("is_file", ReadPath), ("is_dir", ReadPath),
    ("filesize", ReadPath), ("filemtime", ReadPath), ("realpath", ReadPath),
    ("disk_free_space", ReadPath), ("array", Pure), ("isset", Pure), ("empty", Pure),
    ("list", Pure), ("str_pad", Pure), ("array_map", Pure), ("array_filter", Pure),
    ("PHP_EOL", Pure), ("PHP_VERSION", Pure), ("PHP_OS", Pure),
];

/// PHP functions that take a callable: allowed only with a closure, never with a name.
#[rustfmt::skip]
pub(crate) const PHP_CALLABLE: &[&str] = &["array_map", "array_filter"];

/// Names whose mere mention makes code dynamic or reach outside the process, per language.
pub(crate) fn never(lang: Lang, name: &str) -> bool {
    if name.starts_with("__") || matches!(name, "constructor" | "prototype") {
        return true;
    }
    let list: &[&str] = match lang {
        Lang::Python => &[
            "eval",
            "exec",
            "compile",
            "getattr",
            "setattr",
            "delattr",
            "globals",
            "locals",
            "vars",
            "input",
            "breakpoint",
            "help",
            "importlib",
            "exit",
            "quit",
            "memoryview",
            "object",
            "super",
            "classmethod",
            "staticmethod",
            "property",
        ],
        Lang::Js => &[
            "eval",
            "Function",
            "require",
            "process",
            "Deno",
            "Bun",
            "global",
            "globalThis",
            "window",
            "self",
            "this",
            "module",
            "exports",
            "fetch",
            "Reflect",
            "Proxy",
            "WebAssembly",
            "Worker",
            "setTimeout",
            "setInterval",
            "setImmediate",
            "queueMicrotask",
            "XMLHttpRequest",
            "WebSocket",
            "arguments",
            "with",
            "Buffer",
        ],
        Lang::Ruby => &[
            "eval",
            "send",
            "public_send",
            "instance_eval",
            "class_eval",
            "binding",
            "const_get",
            "method",
            "define_method",
            "instance_variable_get",
            "system",
            "exec",
            "spawn",
            "open",
            "load",
            "fork",
            "syscall",
            "trap",
            "at_exit",
            "Kernel",
            "IO",
            "ObjectSpace",
        ],
        Lang::Perl => &[
            "eval", "do", "require", "system", "exec", "open", "sysopen", "syscall",
        ],
        Lang::Php => &[
            "eval",
            "assert",
            "include",
            "include_once",
            "require",
            "require_once",
            "new",
            "call_user_func",
            "call_user_func_array",
            "create_function",
            "extract",
        ],
        Lang::Go | Lang::Other => return true,
    };
    list.contains(&name)
}

/// Keywords and names that are not calls.
pub(crate) fn keyword(lang: Lang, name: &str) -> bool {
    let list: &[&str] = match lang {
        Lang::Python => &[
            "if", "elif", "else", "while", "for", "in", "not", "and", "or", "is", "lambda",
            "return", "yield", "assert", "def", "del", "pass", "break", "continue", "try",
            "except", "finally", "raise", "with", "as", "import", "from", "None", "True", "False",
            "class", "async", "await", "global", "nonlocal",
        ],
        Lang::Js => &[
            "if",
            "else",
            "while",
            "for",
            "of",
            "in",
            "return",
            "typeof",
            "instanceof",
            "function",
            "const",
            "let",
            "var",
            "catch",
            "try",
            "finally",
            "throw",
            "switch",
            "case",
            "default",
            "break",
            "continue",
            "null",
            "undefined",
            "true",
            "false",
            "async",
            "await",
            "do",
            "void",
            "yield",
            "NaN",
            "Infinity",
            "import",
            "from",
            "as",
            "new",
        ],
        Lang::Ruby => &[
            "if",
            "elsif",
            "else",
            "unless",
            "while",
            "until",
            "for",
            "in",
            "do",
            "end",
            "then",
            "and",
            "or",
            "not",
            "return",
            "next",
            "break",
            "nil",
            "true",
            "false",
            "def",
            "begin",
            "rescue",
            "ensure",
            "case",
            "when",
            "self",
            "yield",
            "block_given?",
            "defined?",
            "__method__",
        ],
        Lang::Perl => &[
            "if", "elsif", "else", "unless", "while", "until", "for", "foreach", "my", "our",
            "local", "next", "last", "redo", "return", "and", "or", "not", "xor", "eq", "ne", "lt",
            "gt", "le", "ge", "cmp", "x", "sub", "use", "no", "undef",
        ],
        Lang::Php => &[
            "if", "elseif", "else", "while", "for", "foreach", "as", "echo", "print", "return",
            "function", "fn", "true", "false", "null", "TRUE", "FALSE", "NULL", "and", "or", "not",
            "break", "continue", "switch", "case", "default", "use",
        ],
        Lang::Go | Lang::Other => &[],
    };
    list.contains(&name)
}

/// Modules that Python modules import, reachable as their attributes.
const PY_MODULE_ATTRS: &[&str] = &[
    "os",
    "sys",
    "subprocess",
    "shutil",
    "builtins",
    "importlib",
    "io",
    "posix",
    "nt",
    "ctypes",
    "socket",
    "tempfile",
    "pathlib",
    "glob",
    "genericpath",
    "stat",
    "_os",
    "_sys",
    "codecs",
    "locale",
    "warnings",
    "types",
    "functools",
    "itertools",
    "collections",
    "operator",
];

/// The allow-list of `lang`.
pub(crate) fn table(lang: Lang) -> &'static [(&'static str, Use)] {
    match lang {
        Lang::Python => PYTHON,
        Lang::Js => JS,
        Lang::Ruby => RUBY,
        Lang::Perl => PERL,
        Lang::Php => PHP,
        Lang::Go | Lang::Other => &[],
    }
}

/// The longest allowed prefix of `path` (dotted names): the number of names it covers and
/// how they may be used.
pub(crate) fn lookup(lang: Lang, path: &[&str]) -> Option<(usize, Use)> {
    let t = table(lang);
    let mut best = None;
    let mut name = String::new();
    for (k, seg) in path.iter().enumerate() {
        if k > 0 {
            name.push('.');
        }
        name.push_str(seg);
        for (entry, u) in t {
            if *entry == name {
                best = Some((k + 1, *u));
            }
        }
        if let Some((_, Prefix)) = best {
            // Everything below a prefix is allowed, except a module a Python module imported
            // (`platform.os`, `os.path.os`, `calendar.sys`): the name after the prefix must be
            // called or a known constant or class; what follows is judged as methods.
            if lang != Lang::Python {
                return Some((path.len(), Pure));
            }
            return match path.get(k + 1) {
                None => Some((k + 1, Pure)),
                Some(next) if !PY_MODULE_ATTRS.contains(next) => Some((k + 2, Prefix)),
                Some(_) => None,
            };
        }
    }
    best
}
