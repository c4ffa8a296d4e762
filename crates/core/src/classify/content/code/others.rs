//! Command runners and removals of languages the analyser does not lex (the twenty-first
//! sets): Julia, Groovy, Scala, Elixir, Erlang, Lisps, Clojure, Haskell, R, Raku, Swift, Tcl,
//! and (the twenty-second sets) AppleScript.
//! Their code is never proven read (it runs as `other` code, mutating); these only raise it.

use crate::Effect::{self, Destructive};

/// Calls that run a command: a string literal beside one is judged as a command line.
pub(super) const EXEC: &[&str] = &[
    // Julia's command literals: `run(`rm -rf /srv`)`, `read(`…`, String)`.
    "run(`",
    "pipeline(`",
    "read(`",
    // Julia's command built from an argument vector (`run(Cmd(["rm", "-rf", p]))`).
    "Cmd([",
    // Groovy's `"cmd".execute()`, Scala's `sys.process` and `"cmd".!`.
    ".execute()",
    "sys.process",
    "Process(\"",
    "\".!",
    ").!",
    // Elixir and Erlang.
    "System.cmd(",
    "System.shell(",
    "os:cmd(",
    ":os.cmd(",
    "Port.open(",
    // Scheme, Racket, Common Lisp, Emacs Lisp.
    "(system ",
    "shell-command",
    "call-process",
    "run-program",
    "start-process",
    // Clojure and Babashka.
    "shell/sh",
    "process/shell",
    "process/sh ",
    // Haskell's System.Process.
    "callCommand",
    "callProcess",
    "readProcess",
    "spawnCommand",
    // R's second runner, Raku's `shell "…"`/`run "…"`.
    "system2(",
    "shell \"",
    "shell '",
    "run \"",
    // AppleScript's `do shell script "…"` (`osascript -e`, an AppleScript tool; the
    // twenty-second sets).
    "do shell script",
];

/// Library calls that remove files or directories.
pub(super) const CALLS: &[(&str, Effect, &str)] = &[
    // Elixir's `File.rm`, `File.rm_rf`, `File.rm_rf!`.
    ("File.rm", Destructive, "deletes files"),
    // Emacs Lisp and Racket.
    ("delete-directory", Destructive, "removes directories"),
    ("delete-file", Destructive, "deletes files"),
    // Swift's FileManager.
    ("removeItem(", Destructive, "deletes files"),
    // Tcl.
    ("file delete", Destructive, "deletes files"),
];
