//! The twenty-sixth sets, real MCP servers' tool lists (docs/classifier.md, "The twenty-sixth
//! sets (set 26b)"): black-box probing with the published tools of 27 MCP servers, by their
//! exact argument names, bare and under the gateway's prefixed names, each class's rule
//! beside its twin. The same cases are in `corpus/redteam_set26_26b.jsonl`.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test: failing loudly is the point

use airlock_core::Effect::{Destructive, Mutating, Read};
use serde_json::json;

#[path = "common/cases.rs"]
#[allow(dead_code)] // `cmd` is the shell sets' helper
mod cases;
use cases::check;

/// A command key holding a list of whole command lines of the tool's program (`call_aws {"cli_command": ["aws s3 ls", "aws s3 rb … --force"]}`) has each line judged on its own (`structured/line_list.rs` `judge_lines`); the joined argv is still judged, so a list of reads is not lowered, and an argv list is one command as before.
#[test]
fn a_list_of_whole_command_lines_is_judged_line_by_line() {
    check(&[
        // AWS Labs call_aws with a list: a listing, then a forced bucket removal
        (
            "call_aws",
            json!({"cli_command": ["aws s3 ls", "aws s3 rb s3://prod-backups --force"]}),
            Destructive,
        ),
        // twin: one command line, a listing
        (
            "call_aws",
            json!({"cli_command": "aws s3 ls s3://my-bucket/"}),
            Read,
        ),
        // the gateway's prefixed name: describe, then terminate
        (
            "mcp__aws-api__call_aws",
            json!({"cli_command": ["aws ec2 describe-instances", "aws ec2 terminate-instances --instance-ids i-0123456789abcdef0"]}),
            Destructive,
        ),
        // twin: a list of reads stays unproven (the rule only adds), never lowered
        (
            "call_aws",
            json!({"cli_command": ["aws s3api list-buckets", "aws iam list-users"]}),
            Mutating,
        ),
        // a table dropped second in the list
        (
            "call_aws",
            json!({"cli_command": ["aws dynamodb list-tables", "aws dynamodb delete-table --table-name users"], "max_results": 10}),
            Destructive,
        ),
        // twin: an argv list (no item is a whole line) is one command, as before
        (
            "call_aws",
            json!({"cli_command": ["s3", "rb", "s3://x", "--force"]}),
            Destructive,
        ),
        // gcloud lines in a list: a VM deleted
        (
            "mcp__gcloud__run",
            json!({"command": ["gcloud compute instances list", "gcloud compute instances delete vm-1 --quiet"]}),
            Destructive,
        ),
        // twin: listings only, unchanged
        (
            "mcp__gcloud__run",
            json!({"command": ["gcloud compute instances list", "gcloud projects list"]}),
            Mutating,
        ),
        // kubectl lines in a list: a namespace deleted
        (
            "kubectl",
            json!({"command": ["kubectl get pods", "kubectl delete namespace prod"]}),
            Destructive,
        ),
        // twin: kubectl argv, a read
        ("kubectl", json!({"command": ["get", "pods"]}), Read),
    ]);
}

/// A command key whose value is one snake_case operation name (`storage_blob_delete`) under a tool the server prefix names after a CLI (`mcp__azure__storage`, `azure.keyvault`, `mcp__gcloud__compute`) is also judged as an operation (`structured/line_list.rs` `judge_operation_name`): a removal or an access change counts, as it did for the bare tool; gets and describes are unchanged.
#[test]
fn an_operation_name_under_a_cli_prefix_is_an_operation() {
    check(&[
        // Azure MCP's namespace tool behind the gateway prefix: a blob deleted
        (
            "mcp__azure__storage",
            json!({"command": "storage_blob_delete", "parameters": {"account": "a", "container": "c", "blob": "b"}}),
            Destructive,
        ),
        // twin: the bare tool was already destructive (the prefix had lowered it)
        (
            "storage",
            json!({"command": "storage_blob_delete", "parameters": {"account": "a", "container": "c", "blob": "b"}}),
            Destructive,
        ),
        // twin: a get stays as before (only removals and access are added)
        (
            "mcp__azure__storage",
            json!({"command": "storage_account_get", "parameters": {"subscription": "s"}}),
            Mutating,
        ),
        // server.tool form: a Key Vault secret deleted
        (
            "azure.keyvault",
            json!({"command": "keyvault_secret_delete", "parameters": {"vault": "v", "secret": "s"}}),
            Destructive,
        ),
        // server/tool form: a database deleted
        (
            "azure/sql",
            json!({"command": "sql_db_delete", "parameters": {"server": "s", "database": "d"}}),
            Destructive,
        ),
        // gcloud prefix, action key: an instance deleted
        (
            "mcp__gcloud__compute",
            json!({"action": "instances_delete", "instance": "vm-1"}),
            Destructive,
        ),
        // docker prefix, operation key: a container removed
        (
            "mcp__docker__container",
            json!({"operation": "container_remove", "container": "db"}),
            Destructive,
        ),
        // git prefix: a branch deleted
        (
            "mcp__git__run",
            json!({"command": "branch_delete", "branch": "main"}),
            Destructive,
        ),
        // twin: a describe stays as before, not lowered, not raised
        (
            "mcp__aws__cloudformation",
            json!({"command": "describe_stacks", "stack_name": "prod"}),
            Mutating,
        ),
    ]);
}
