//! The review of the twenty-third sets (23b, code an agent runs; docs/classifier.md, "A review
//! of the twenty-third sets"): check-path blow-ups in the new joining of split strings and in
//! `-m IPython`, and ways around the new rules (lists joined, functions named by strings,
//! other doors, shell templates, `os.renames`), each class's rule beside its twin. The same
//! cases are in `corpus/redteam_2026_12_07d_review.jsonl`.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test: failing loudly is the point

use airlock_core::Effect::{Admin, Destructive, Mutating, Read};
use serde_json::json;
use std::time::{Duration, Instant};

#[path = "common/cases.rs"]
mod cases;
use cases::{check, cmd};

/// The longest a case of a blow-up class may take (it took 0.9 to 4.5 s before in a release
/// build; well under a tenth of that after, on a loaded two-core machine). An unoptimised
/// build (`cargo test` without `--release`, as CI runs it) is about 25 times slower: 4.2 s
/// for the nested case there, where the blow-up it guards against took minutes.
const SLOW: Duration = if cfg!(debug_assertions) {
    Duration::from_secs(20)
} else {
    Duration::from_millis(800)
};

/// Checks the cases and that each classifies within [`SLOW`].
fn check_timed(cases: &[(&str, serde_json::Value, airlock_core::Effect)]) {
    check(cases);
    for (tool, input, _) in cases {
        let start = Instant::now();
        let _ = airlock_core::classify::classify(tool, input, None, None);
        let took = start.elapsed();
        assert!(took < SLOW, "{tool} took {took:?}");
    }
}

/// IPython's arguments are also judged as an unknown program's were before 23b gave it a row (23b had lowered `ipython -c 'DROP TABLE users'` and `ipython -- rm -rf /srv` from destructive to mutating).
#[test]
fn ipython_arguments_are_judged_as_before_its_row() {
    check(&[
        // ipython -c with SQL (lowered by 23b)
        ("bash", cmd("ipython -c 'DROP TABLE users'"), Destructive),
        // ipython -- with a removal (lowered by 23b)
        ("bash", cmd("ipython -- rm -rf /srv"), Destructive),
        // ipython3 -i -c with SQL (lowered by 23b)
        (
            "bash",
            cmd("ipython3 -i -c 'DROP TABLE users'"),
            Destructive,
        ),
        // twin: ipython -c print
        ("bash", cmd("ipython -c 'print(1)'"), Mutating),
        // twin: ipython3 -i -c with a read
        ("bash", cmd("ipython3 -i -c 'SELECT 1'"), Mutating),
    ]);
}

/// A string that looks like SQL is judged as SQL even in code that runs strings (23b's doors, such as `new Function(…)` anywhere in the code, made `"VACUUM; TRUNCATE users"` a command line only: destructive before 23b, mutating after), and SQL behind a first statement the sniffer skips is found in code's strings.
#[test]
fn strings_that_look_like_sql_are_sql_in_code_that_runs_strings() {
    check(&[
        // SQL beside new Function (lowered by 23b)
        (
            "run_code",
            json!({"language": "javascript", "code": "new Function('return 1')();\nawait client.query(\"VACUUM; TRUNCATE users\")"}),
            Destructive,
        ),
        // SQL beside Julia's Cmd([…]) (lowered by 23b)
        (
            "run_code",
            json!({"language": "julia", "code": "run(Cmd([\"ls\"]))\nDBInterface.execute(con, \"VACUUM; TRUNCATE users\")"}),
            Destructive,
        ),
        // SQL beside Lua's loadstring (lowered by 23b)
        (
            "run_code",
            json!({"language": "lua", "code": "loadstring('return 1')()\nconn:execute(\"VACUUM; TRUNCATE users\")"}),
            Destructive,
        ),
        // T-SQL behind IF in an R string
        (
            "run_code",
            json!({"language": "r", "code": "dbExecute(con, \"IF 1=1 DELETE FROM dbo.users\")"}),
            Destructive,
        ),
        // DROP behind CHECK TABLE in a JS string
        (
            "run_code",
            json!({"language": "javascript", "code": "await client.query(\"CHECK TABLE users; DROP TABLE users\")"}),
            Destructive,
        ),
        // twin: VACUUM alone beside new Function
        (
            "run_code",
            json!({"language": "javascript", "code": "new Function('return 1')();\nawait client.query(\"VACUUM\")"}),
            Mutating,
        ),
        // twin: XA RECOVER alone
        (
            "run_code",
            json!({"language": "python", "code": "cur.execute(\"XA RECOVER\")"}),
            Mutating,
        ),
        // twin: a string with a semicolon printed
        (
            "run_code",
            json!({"language": "python", "code": "print('hello; world')"}),
            Mutating,
        ),
    ]);
}

/// A kernel's cell under `input`, `text` or `query`, a kernel given as an object (`{"name": "sql"}`) and a notebook's own `metadata.kernelspec` name the code's language: `{"kernel": "sql", "input": "DELETE FROM users"}` was read (as Python, whose parse of it fails) before.
#[test]
fn a_kernels_cell_under_other_keys() {
    check(&[
        // a SQL kernel's cell under input (read before)
        (
            "jupyter_run_cell",
            json!({"kernel": "sql", "input": "DELETE FROM users"}),
            Destructive,
        ),
        // a kernel given as an object (read before)
        (
            "jupyter_run_cell",
            json!({"kernel": {"name": "sql"}, "code": "DELETE FROM users"}),
            Destructive,
        ),
        // a JavaScript kernel's cell under query (read before)
        (
            "notebook_get",
            json!({"kernel_name": "javascript", "query": "require('fs').rmSync('/srv',{recursive:true})"}),
            Destructive,
        ),
        // a notebook whose kernelspec is SQL
        (
            "notebook_get",
            json!({"metadata": {"kernelspec": {"name": "sql"}}, "cells": [{"cell_type": "code", "source": ["DELETE ", "FROM users"]}]}),
            Destructive,
        ),
        // twin: a SQL kernel's read under input
        (
            "jupyter_run_cell",
            json!({"kernel": "sql", "input": "SELECT 1"}),
            Read,
        ),
        // twin: a kernel object with a read
        (
            "jupyter_run_cell",
            json!({"kernel": {"name": "sql"}, "code": "SELECT 1"}),
            Read,
        ),
        // twin: a JavaScript kernel's print
        (
            "notebook_get",
            json!({"kernel_name": "javascript", "query": "console.log(1)"}),
            Read,
        ),
        // twin: a SQL notebook's markdown cell
        (
            "notebook_get",
            json!({"metadata": {"kernelspec": {"name": "sql"}}, "cells": [{"cell_type": "markdown", "source": "DELETE FROM users"}, {"cell_type": "code", "source": "SELECT 1"}]}),
            Mutating,
        ),
    ]);
}

/// The joined spelling of code with split strings (`'c'+'d'`) leaves the literals the code's own scan judges to it: nested `exec('…')` code was judged once per spelling at every level (2^depth times: 4.5 s for 60 KiB six deep); a literal only the joined spelling has is still judged.
#[test]
fn split_strings_in_nested_code_are_judged_once_per_level() {
    check_timed(&[
        // nested exec with a split string at each level (check-path blow-up)
        (
            "run_code",
            json!({"language": "python", "code": nest(6, "y=1;")}),
            Destructive,
        ),
        // nested exec, bulk of prints (check-path blow-up)
        (
            "run_code",
            json!({"language": "python", "code": nest(6, "print(x);")}),
            Destructive,
        ),
        // a literal made by the join holds code with its own split strings
        (
            "run_code",
            json!({"language": "python", "code": "exec('import os; os.sys' + 'tem(\"r\" + \"m -rf /srv\")')"}),
            Destructive,
        ),
        // twin: exec of a print beside a joined literal
        (
            "run_code",
            json!({"language": "python", "code": "exec('print(1)'); x = 'a' + 'b'"}),
            Mutating,
        ),
    ]);
}

/// A quote right after a backslash starts no literal when split strings are joined: a line of `\' \' \' …` was scanned to its end from every quote (1.5 s for 60 KiB).
#[test]
fn a_backslashed_quote_starts_no_literal() {
    check_timed(&[
        // a comment of backslashed quotes (quadratic scan)
        (
            "run_code",
            json!({"language": "python", "code": format!("x = 1 # {}", " \\'".repeat(20000))}),
            Mutating,
        ),
        // an unterminated literal of backslashed quotes (quadratic scan)
        (
            "run_code",
            json!({"language": "python", "code": format!("x = '{}", "\\'".repeat(30000))}),
            Mutating,
        ),
        // twin: an escaped quote inside a joined literal
        (
            "run_code",
            json!({"language": "python", "code": "x = 'it\\'s' + ' ok'\nprint(x)"}),
            Mutating,
        ),
    ]);
}

/// The joined spelling is folded to a fixed point and scanned once, not folded again in its own scan: literals paired differently by each fold (`' '.reverse' '.reverse…`) were scanned once per level of depth, to the depth limit (destructive, 0.36 s for 55 KB).
#[test]
fn a_fold_that_moves_is_scanned_once() {
    check_timed(&[
        // reversals whose quotes pair differently in each fold (repeated scans)
        (
            "run_code",
            json!({"language": "python", "code": format!("x = {}", "' '.reverse".repeat(5000))}),
            Mutating,
        ),
        // ten such reversals (destructive at the depth limit before)
        (
            "run_code",
            json!({"language": "python", "code": "x = ' '.reverse' '.reverse' '.reverse' '.reverse' '.reverse' '.reverse' '.reverse' '.reverse' '.reverse' '.reverse"}),
            Mutating,
        ),
        // twin: a reversed command joined after the fold
        (
            "run_code",
            json!({"language": "python", "code": "import os\nos.system('fr- mr'.reverse + ' /srv')"}),
            Destructive,
        ),
    ]);
}

/// `python3 -m IPython -m IPython …` is one level, not one more (and one more reason spelling the whole line) per repetition.
#[test]
fn ipython_module_repeated_is_skipped_in_place() {
    check_timed(&[
        // 5,000 repetitions of -m IPython before a shell escape
        (
            "bash",
            cmd(&format!(
                "python3 {}-c '!rm -rf /srv'",
                "-m IPython ".repeat(5000)
            )),
            Destructive,
        ),
        // a repeated -m IPython before a shell escape
        (
            "bash",
            cmd("python3 -m IPython -m IPython -c '!rm -rf /srv'"),
            Destructive,
        ),
        // twin: a repeated -m IPython before a print
        (
            "bash",
            cmd("python3 -m IPython -m IPython -c 'print(1)'"),
            Mutating,
        ),
    ]);
}

/// Literals in a list joined with nothing are one literal: JavaScript's `['rm', 'Sync'].join('')` and Python's `''.join(['sys', 'tem'])`.
#[test]
fn names_joined_from_lists_of_literals() {
    check(&[
        // fs[['rm','Sync'].join('')]
        (
            "bash",
            cmd(
                "node -e \"const fs=require('fs'); fs[['rm','Sync'].join('')]('/srv',{recursive:true})\"",
            ),
            Destructive,
        ),
        // cp[['exec','Sync'].join('')]
        (
            "run_code",
            json!({"language": "javascript", "code": "const cp = require('child_process'); cp[['exec', 'Sync'].join('')]('rm -rf /srv')"}),
            Destructive,
        ),
        // Lua's ('…'):reverse() names os.execute
        (
            "run_code",
            json!({"language": "lua", "code": "os[('etucexe'):reverse()]('rm -rf /srv')"}),
            Destructive,
        ),
        // Lua's string.reverse('…') names os.execute
        (
            "run_code",
            json!({"language": "lua", "code": "os[string.reverse('etucexe')]('rm -rf /srv')"}),
            Destructive,
        ),
        // twin: Lua prints a reversed string
        (
            "run_code",
            json!({"language": "lua", "code": "print(('abc'):reverse())"}),
            Mutating,
        ),
        // twin: a joined list printed
        (
            "run_code",
            json!({"language": "javascript", "code": "console.log(['a', 'b'].join(''))"}),
            Read,
        ),
        // twin: a list joined with a space printed
        (
            "run_code",
            json!({"language": "javascript", "code": "const x = ['ls', '-la'].join(' '); console.log(x)"}),
            Read,
        ),
    ]);
}

/// A function named by a string is spelled by its name: `.__getattribute__('system')`, `.__dict__.get('system')`, R's `match.fun('system')`, a called literal (`('sys'.'tem')(…)` in PHP).
#[test]
fn functions_named_by_strings() {
    check(&[
        // os.__getattribute__('system')
        (
            "run_code",
            json!({"language": "python", "code": "import os\nf = os.__getattribute__('system')\nf('rm -rf /srv')"}),
            Destructive,
        ),
        // os.__dict__.get('system')
        (
            "run_code",
            json!({"language": "python", "code": "import os\nf = os.__dict__.get('system')\nf('rm -rf /srv')"}),
            Destructive,
        ),
        // match.fun('system')
        (
            "run_code",
            json!({"language": "r", "code": "match.fun('system')('rm -rf /srv')"}),
            Destructive,
        ),
        // ('sys'.'tem')(…)
        (
            "run_code",
            json!({"language": "php", "code": "('sys'.'tem')('rm -rf /srv');"}),
            Destructive,
        ),
        // twin: __getattribute__ of a constant
        (
            "run_code",
            json!({"language": "python", "code": "import os\nprint(os.__getattribute__('sep'))"}),
            Mutating,
        ),
        // twin: a dictionary's get('system')
        (
            "run_code",
            json!({"language": "python", "code": "cfg = {'a': 1}\nprint(cfg.get('system'))"}),
            Mutating,
        ),
        // twin: match.fun('mean')
        (
            "run_code",
            json!({"language": "r", "code": "f <- match.fun('mean'); print(f(c(1,2)))"}),
            Mutating,
        ),
        // twin: ('str'.'len')(…)
        (
            "run_code",
            json!({"language": "php", "code": "echo ('str'.'len')('abc');"}),
            Mutating,
        ),
    ]);
}

/// `new Function (…)` with a space, a function's `.constructor(…)`, and strings given to `setTimeout`/`setInterval` run strings as code.
#[test]
fn more_doors_run_strings_as_code() {
    check(&[
        // new Function with a space
        (
            "run_code",
            json!({"language": "javascript", "code": "new Function (\"require('child_process').execSync('rm -rf /srv')\")()"}),
            Destructive,
        ),
        // a function's constructor
        (
            "run_code",
            json!({"language": "javascript", "code": "(function(){}).constructor('require(\"child_process\").execSync(\"rm -rf /srv\")')()"}),
            Destructive,
        ),
        // Function.prototype.constructor
        (
            "run_code",
            json!({"language": "javascript", "code": "Function.prototype.constructor('require(\"child_process\").execSync(\"rm -rf /srv\")')()"}),
            Destructive,
        ),
        // a string given to setTimeout
        (
            "run_code",
            json!({"language": "javascript", "code": "setTimeout(\"require('child_process').execSync('rm -rf /srv')\", 0)"}),
            Destructive,
        ),
        // twin: a function given to setTimeout
        (
            "run_code",
            json!({"language": "javascript", "code": "setTimeout(() => console.log('hi'), 10)"}),
            Mutating,
        ),
        // twin: a class constructor
        (
            "run_code",
            json!({"language": "javascript", "code": "class A { constructor(x) { this.x = x } }\nconsole.log(new A(1).x)"}),
            Mutating,
        ),
    ]);
}

/// zx's and Bun's shell templates with a space (`` $ `…` ``), `` $.sync`…` `` and options (`` $({cwd})`…` ``).
#[test]
fn shell_templates_in_other_forms() {
    check(&[
        // $ `…` with a space
        (
            "run_code",
            json!({"language": "javascript", "code": "import {$} from 'zx'; await $ `rm -rf /srv`"}),
            Destructive,
        ),
        // $.sync`…`
        (
            "run_code",
            json!({"language": "javascript", "code": "import {$} from 'zx'; await $.sync`rm -rf /srv`"}),
            Destructive,
        ),
        // $({cwd})`…`
        (
            "run_code",
            json!({"language": "javascript", "code": "import {$} from 'zx'; await $({cwd:'/'})`rm -rf /srv`"}),
            Destructive,
        ),
        // twin: $ `ls -la`
        (
            "run_code",
            json!({"language": "javascript", "code": "import {$} from 'zx'; await $ `ls -la`"}),
            Mutating,
        ),
        // twin: jQuery beside a template
        (
            "run_code",
            json!({"language": "javascript", "code": "const el = $('#id'); console.log(`${el.length}`)"}),
            Mutating,
        ),
    ]);
}

/// `os.renames` moves its source as `os.rename` does: a sensitive file moved away is changed.
#[test]
fn os_renames_moves_its_source() {
    check(&[
        // os.renames('/etc/passwd', …)
        (
            "run_code",
            json!({"language": "python", "code": "import os\nos.renames('/etc/passwd', '/tmp/x/y')"}),
            Admin,
        ),
        // twin: os.renames of a scratch file
        (
            "run_code",
            json!({"language": "python", "code": "import os\nos.renames('/tmp/a', '/tmp/b')"}),
            Mutating,
        ),
    ]);
}

/// `exec(REPR); x='c'+'d'` around `bulk` repeated to about 60,000 bytes, `depth` times, with
/// Python's `repr` for REPR (the escapes grow with depth, the bulk has none).
fn nest(depth: usize, bulk: &str) -> String {
    let mut s = bulk.repeat(60_000 / bulk.len());
    for _ in 0..depth {
        let body = s.replace('\\', "\\\\");
        let repr = if s.contains('\'') && !s.contains('"') {
            format!("\"{body}\"")
        } else {
            format!("'{}'", body.replace('\'', "\\'"))
        };
        s = format!("exec({repr}); x='c'+'d'");
    }
    s
}
