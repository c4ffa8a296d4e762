//! The review of the twenty-sixth sets, real MCP servers' tool lists (docs/classifier.md, "A
//! review of the twenty-sixth sets, MCP servers' tool lists"): set 26b's list of command
//! lines judged past its 64th line, under any key, nested, mixed or with a runner before the
//! program, and its operation names in any spelling, each case beside its twin. The same
//! cases are in `corpus/redteam_set26_review_mcp.jsonl`.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test: failing loudly is the point

use airlock_core::Effect::{Admin, Destructive, Mutating, Read};
use serde_json::json;

#[path = "common/cases.rs"]
#[allow(dead_code)] // `cmd` is the shell sets' helper
mod cases;
use cases::check;

/// Set 26b judged at most 64 lines of a list one by one: a forced bucket removal as the 65th or later line was only `mutating`. Every line is now judged; the work budget bounds them.
#[test]
fn past_sixty_four_lines_every_line_is_judged() {
    check(&[
        // seventy listings, then a forced bucket removal last
        (
            "call_aws",
            {
                let mut lines = vec!["aws s3 ls"; 70];
                lines.push("aws s3 rb s3://prod-backups --force");
                json!({"cli_command": lines})
            },
            Destructive,
        ),
        // the 65th line drops a table
        (
            "call_aws",
            {
                let mut lines = vec!["aws s3 ls"; 64];
                lines.push("aws dynamodb delete-table --table-name users");
                json!({"cli_command": lines})
            },
            Destructive,
        ),
        // twin: a short list of reads stays as before, not lowered
        (
            "call_aws",
            json!({"cli_command": ["aws s3api list-buckets", "aws iam list-users"]}),
            Mutating,
        ),
    ]);
}

/// Set 26b judged a list only under the command key, only when every item was a whole line starting with the program: a list under `commands`, a list inside a list, a list that mixed an argv-like item with a whole line, and a line with `sudo` or a variable before the program ran together as before. Each item that is a command line of the program is now judged, under any key, lists inside lists too.
#[test]
fn a_line_list_under_any_key_or_shape_is_judged() {
    check(&[
        // a list under `commands`
        (
            "call_aws",
            json!({"commands": ["aws s3 ls", "aws s3 rb s3://prod-backups --force"]}),
            Destructive,
        ),
        // a list inside the list
        (
            "call_aws",
            json!({"cli_command": [["aws s3 ls", "aws s3 rb s3://prod-backups --force"]]}),
            Destructive,
        ),
        // the first item leaves the program out, the second is a whole line
        (
            "call_aws",
            json!({"cli_command": ["s3 ls", "aws s3 rb s3://prod-backups --force"]}),
            Destructive,
        ),
        // a variable before the program
        (
            "call_aws",
            json!({"cli_command": ["aws s3 ls", "AWS_PROFILE=prod aws s3 rb s3://prod-backups --force"]}),
            Destructive,
        ),
        // sudo before the program
        (
            "call_aws",
            json!({"cli_command": ["aws s3 ls", "sudo aws s3 rb s3://prod-backups --force"]}),
            Admin,
        ),
        // the program by its path
        (
            "call_aws",
            json!({"cli_command": ["aws s3 ls", "/usr/local/bin/aws s3 rb s3://prod-backups --force"]}),
            Admin,
        ),
        // twin: an argv list of a read is still a read
        ("kubectl", json!({"command": ["get", "pods"]}), Read),
        // twin: an argument that only mentions the program later is not a line of it
        (
            "git",
            json!({"command": "log", "args": ["--grep", "revert git reset"]}),
            Read,
        ),
    ]);
}

/// Set 26b judged an operation name under a CLI-named prefix only in snake_case (it required `_`): `storage-blob-delete`, `storageBlobDelete`, `storage.blob.delete` (whose last segment alone is one word) stayed `mutating` under the prefix. Any spelling of several words is now judged by all its words.
#[test]
fn an_operation_name_in_any_spelling_is_an_operation() {
    check(&[
        // kebab-case
        (
            "mcp__azure__storage",
            json!({"command": "storage-blob-delete"}),
            Destructive,
        ),
        // camelCase
        (
            "mcp__azure__storage",
            json!({"command": "storageBlobDelete"}),
            Destructive,
        ),
        // dotted
        (
            "mcp__azure__storage",
            json!({"command": "storage.blob.delete"}),
            Destructive,
        ),
        // server.tool form, kebab-case
        (
            "azure.keyvault",
            json!({"command": "keyvault-secret-delete"}),
            Destructive,
        ),
        // gcloud prefix, camelCase action
        (
            "mcp__gcloud__compute",
            json!({"action": "instancesDelete", "instance": "vm-1"}),
            Destructive,
        ),
        // twin: a get in kebab-case stays as before
        (
            "mcp__azure__storage",
            json!({"command": "storage-account-get"}),
            Mutating,
        ),
        // twin: a list in camelCase stays as before
        (
            "mcp__azure__storage",
            json!({"command": "storageAccountList"}),
            Mutating,
        ),
    ]);
}
