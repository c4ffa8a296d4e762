//! Strings run as code by other doors than `eval`/`exec` (the twenty-third sets):
//! JavaScript's `new Function("…")` and `vm`, Ruby's `instance_eval`, Lua's `loadstring` and
//! `load`, R's `do.call("system", …)`, Julia's `ccall`, and zx's and Bun's shell templates
//! (`await $`rm -rf /srv``). Code that has one has its string literals judged as commands and
//! code, as code with `eval` does.

use super::lex::Lang;

/// Calls that run a string as code or call a function named by a string.
const DOORS: &[&str] = &[
    "new Function(",
    // The review of the twenty-third sets: `new Function (…)`, `(function(){}).constructor(…)`
    // and strings given to timers.
    "Function (",
    ".constructor(",
    "setTimeout(\"",
    "setTimeout('",
    "setInterval(\"",
    "setInterval('",
    "Function(\"",
    "Function('",
    "runInNewContext(",
    "runInThisContext(",
    "runInContext(",
    "vm.Script(",
    "compileFunction(",
    "instance_eval",
    "class_eval",
    "module_eval",
    "loadstring(",
    "do.call(",
    "ccall(",
];

/// True if the code runs strings through one of these doors (`blanked` is the code with its
/// strings blanked).
pub(super) fn runs_strings(lang: &str, language: Lang, code: &str, blanked: &str) -> bool {
    DOORS.iter().any(|d| blanked.contains(d))
        || language == Lang::Js && shell_template(code)
        || lang == "lua" && blanked.contains("load(")
}

/// zx's and Bun's shell templates: `` $`…` ``, and (the review of the twenty-third sets)
/// `` $ `…` ``, `` $.sync`…` ``, `` $({cwd})`…` ``.
fn shell_template(code: &str) -> bool {
    let called = code.contains("$(");
    code.match_indices('`').any(|(i, _)| {
        let before = code.get(..i).unwrap_or_default().trim_end();
        before.ends_with('$') || before.ends_with("$.sync") || called && before.ends_with(')')
    })
}
