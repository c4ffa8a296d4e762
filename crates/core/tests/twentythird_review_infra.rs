//! A review of the twenty-third sets, infrastructure (docs/classifier.md, "A review of the
//! twenty-third sets, infrastructure"): black-box probing of set 23a as merged (the rclone
//! tool lowering, the described-field and exec rules, the temporary-directory and
//! `TF_CLI_ARGS` rules), each class found beside its twin. The same cases are in
//! `corpus/redteam_2026_12_07d_review_infra.jsonl`.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test: failing loudly is the point

use airlock_core::Effect::{Admin, Destructive, Mutating, Read};
use serde_json::json;

#[path = "common/cases.rs"]
mod cases;
use cases::{check, cmd};

/// A subcommand field beside an rclone tool's command (`{"command": "lsjson",
/// "subcommand": "purge"}`) had been joined into `rclone lsjson purge`, a listing of a path
/// named `purge`, and answered read; the server may run it as rclone's command, so it is
/// also judged alone, unless the command takes a command of its own (`config show`).
#[test]
fn rclone_subcommand_beside_the_command_is_judged_alone() {
    check(&[
        (
            "rclone",
            json!({"command": "lsjson", "subcommand": "purge"}),
            Destructive,
        ),
        (
            "rclone",
            json!({"command": "ls", "sub_command": "delete", "remote": "r:"}),
            Destructive,
        ),
        (
            "rclone",
            json!({"command": "lsjson", "subCommand": "rcd"}),
            Mutating,
        ),
        // twins: a group's own command, a read subcommand, no subcommand
        (
            "rclone",
            json!({"command": "config", "subcommand": "show"}),
            Read,
        ),
        (
            "rclone",
            json!({"command": "lsjson", "subcommand": "ls"}),
            Read,
        ),
        ("rclone", json!({"command": "lsjson", "remote": "r:"}), Read),
    ]);
}

/// Environment variables given as a list (`["NAME=value"]`, `[{"name", "value"}]`) or as
/// `NAME=value` text had not been judged at all (`exec {"cmd": "ls", "env":
/// ["LD_PRELOAD=/tmp/x.so"]}` was read); they are judged as an `env` object is.
#[test]
fn environment_lists_and_text_are_assignments() {
    check(&[
        (
            "rclone",
            json!({"command": "lsjson", "env": ["RCLONE_PASSWORD_COMMAND=rm -rf ~"]}),
            Destructive,
        ),
        (
            "rclone",
            json!({"command": "lsjson", "env": ["RCLONE_LOG_FILE=/home/u/.bashrc"]}),
            Admin,
        ),
        (
            "rclone",
            json!({"command": "lsjson", "env": "RCLONE_CONFIG=/tmp/evil.conf"}),
            Mutating,
        ),
        (
            "rclone",
            json!({"command": "lsjson", "env": [{"name": "RCLONE_CONFIG", "value": "/tmp/evil.conf"}]}),
            Mutating,
        ),
        (
            "exec",
            json!({"cmd": "ls", "env": ["LD_PRELOAD=/tmp/x.so"]}),
            Admin,
        ),
        (
            "run_command",
            json!({"command": "git status", "env": ["GIT_SSH_COMMAND=rm -rf ~"]}),
            Destructive,
        ),
        // twins: variables that change nothing that runs
        (
            "rclone",
            json!({"command": "lsjson", "env": ["RCLONE_VERBOSE=1"]}),
            Read,
        ),
        (
            "rclone",
            json!({"command": "lsjson", "env": "RCLONE_FAST_LIST=true"}),
            Read,
        ),
        (
            "rclone",
            json!({"command": "lsjson", "env": [{"name": "RCLONE_TRANSFERS", "value": "8"}]}),
            Read,
        ),
        ("exec", json!({"cmd": "ls", "env": ["LANG=C"]}), Read),
        // other spellings of the field and of its pairs
        (
            "run_command",
            json!({"command": "ls", "envVars": {"LD_PRELOAD": "/tmp/x.so"}}),
            Admin,
        ),
        (
            "run_command",
            json!({"command": "ls", "extra_env": ["LD_PRELOAD=/tmp/x.so"]}),
            Admin,
        ),
        (
            "run_command",
            json!({"command": "ls", "env": [{"key": "LD_PRELOAD", "value": "/tmp/x.so"}]}),
            Admin,
        ),
        (
            "run_command",
            json!({"command": "ls", "env": [["LD_PRELOAD", "/tmp/x.so"]]}),
            Admin,
        ),
        (
            "run_command",
            json!({"command": "ls", "env": ["LD_PRELOAD = /tmp/x.so"]}),
            Admin,
        ),
        // twins: a field that names an environment, a harmless variable
        (
            "run_command",
            json!({"command": "ls", "target_env": "production"}),
            Read,
        ),
        (
            "run_command",
            json!({"command": "ls", "envVars": {"LANG": "C"}}),
            Read,
        ),
        (
            "run_command",
            json!({"command": "git status", "env": ["GIT_PAGER=cat"]}),
            Read,
        ),
    ]);
}

/// rclone reads every flag from `RCLONE_<FLAG>`: `RCLONE_RC=true` is `--rc` (a remote
/// control server) and `RCLONE_DUMP=bodies` is `--dump`, as the flags are mutating.
#[test]
fn rclone_remote_control_and_dump_variables() {
    check(&[
        ("bash", cmd("RCLONE_RC=true rclone lsjson r:"), Mutating),
        ("bash", cmd("env RCLONE_RC=true rclone lsjson r:"), Mutating),
        ("bash", cmd("RCLONE_DUMP=bodies rclone lsjson r:"), Mutating),
        (
            "rclone",
            json!({"command": "lsjson", "env": {"RCLONE_RC_NO_AUTH": "true", "RCLONE_RC_ADDR": "0.0.0.0:5572"}}),
            Mutating,
        ),
        // twin: a flag of the read
        ("bash", cmd("RCLONE_VERBOSE=1 rclone lsjson r:"), Read),
    ]);
}

/// The temporary-directory rule for infrastructure tools in other spellings: a tool named
/// `opentofu_…`, a directory written `//tmp/x`, and vagrant, whose Vagrantfile is Ruby run
/// by every command (`cd /tmp/x && vagrant status`).
#[test]
fn infrastructure_code_directories_in_other_spellings() {
    check(&[
        ("opentofu_plan", json!({"dir": "/tmp/x"}), Mutating),
        ("opentofu_plan", json!({"dir": "%TEMP%\\x"}), Mutating),
        (
            "terraform_plan",
            json!({"working_dir": "//tmp/x"}),
            Mutating,
        ),
        ("terraform_plan", json!({"chdir": "//tmp/x"}), Mutating),
        ("bash", cmd("cd /tmp/x && vagrant status"), Mutating),
        // twins: the user's own directories
        ("opentofu_plan", json!({"dir": "/home/u/infra"}), Read),
        (
            "terraform_plan",
            json!({"working_dir": "/home/u/tmp/x"}),
            Read,
        ),
        ("bash", cmd("cd /home/u/vm && vagrant status"), Read),
    ]);
}

/// Long described fields with shell syntax (60 KB of `x|x|…` in two fields) escalate on the
/// work budget; once it is spent the second field is not parsed again.
#[test]
fn long_described_fields_escalate_once() {
    let long = "x|".repeat(30_000);
    check(&[
        (
            "kubectl_get",
            json!({"resource": "pods", "output": long, "format": long}),
            Destructive,
        ),
        // twin: a plain output format
        (
            "kubectl_get",
            json!({"resource": "pods", "output": "json"}),
            Read,
        ),
    ]);
}

/// Shell syntax under a list of objects in a program tool's field (`terraform {"vars":
/// [{"x": "$(rm -rf ~)"}]}`) had been read where the same under an object was judged.
#[test]
fn shell_syntax_under_a_list_of_objects() {
    check(&[
        (
            "terraform",
            json!({"command": "plan", "vars": [{"x": "$(rm -rf ~)"}]}),
            Destructive,
        ),
        // twin: plain values
        (
            "terraform",
            json!({"command": "plan", "vars": [{"x": "1"}, {"region": "eu-west-1"}]}),
            Read,
        ),
    ]);
}
