use serde_json::{Value, json};

use crate::Effect::{self, Admin, Destructive, Mutating, Read};
use crate::classify::classify;

fn effect(tool: &str, input: Value) -> Effect {
    classify(tool, &input, None, None).effect
}

#[test]
fn argv_arrays_are_commands_under_any_key() {
    for input in [
        json!({"argv": ["rm", "-rf", "/srv"]}),
        json!({"anything": {"deep": [["rm", "-rf", "/srv"]]}}),
        json!({"steps": [{"with": ["/bin/rm", "-rf", "/srv"]}]}),
        json!({"x": ["bash", "-c", "rm -rf /srv"]}),
    ] {
        assert_eq!(effect("pipeline", input.clone()), Destructive, "{input}");
    }
    // The twins: a list of names is data, and so is an argv under a key for text.
    assert_eq!(
        effect("update_movie", json!({"tags": ["kill", "bill"]})),
        Mutating
    );
    assert_eq!(
        effect("pipeline", json!({"title": ["rm", "-rf", "/srv"]})),
        Mutating
    );
}

#[test]
fn commands_split_over_keys_are_joined() {
    assert_eq!(
        effect(
            "container.create",
            json!({"command": ["sh", "-c"], "args": ["rm -rf /data"]})
        ),
        Destructive
    );
    assert_eq!(
        effect(
            "container.create",
            json!({"entrypoint": ["/bin/sh", "-c"], "command": ["rm -rf /data"]})
        ),
        Destructive
    );
    assert_eq!(
        effect(
            "container.create",
            json!({"entrypoint": "/bin/sh", "command": "-c 'rm -rf /data'"})
        ),
        Destructive
    );
    assert_eq!(
        effect(
            "render",
            json!({"command": ["sh", "-c"], "args": ["echo ok"]})
        ),
        Read
    );
}

#[test]
fn program_tools_read_their_arguments_as_a_command() {
    let cases = [
        (
            "git",
            json!({"subcommand": "reset", "args": ["--hard"]}),
            Destructive,
        ),
        ("git", json!({"subcommand": "status"}), Read),
        (
            "git_push",
            json!({"remote": "origin", "branch": "main", "force": true}),
            Destructive,
        ),
        (
            "git_push",
            json!({"remote": "origin", "branch": "main"}),
            Mutating,
        ),
        ("redis", json!({"command": "FLUSHALL"}), Destructive),
        ("redis", json!({"command": "GET", "key": "k"}), Read),
        (
            "kubernetes",
            json!({"verb": "delete", "resource": "namespace", "name": "x"}),
            Destructive,
        ),
        ("k8s", json!({"verb": "get", "resource": "pods"}), Read),
        (
            "terraform",
            json!({"command": "destroy", "auto_approve": true}),
            Destructive,
        ),
        ("terraform", json!({"command": "plan"}), Read),
        (
            "helm",
            json!({"command": "uninstall", "release": "x"}),
            Destructive,
        ),
        (
            "aws",
            json!({"service": "s3", "command": "rm", "args": ["s3://b/k"]}),
            Destructive,
        ),
        ("aws", json!({"service": "s3", "command": "ls"}), Read),
        (
            "mongodb",
            json!({"operation": "deleteMany", "filter": {}}),
            Destructive,
        ),
        ("mongodb", json!({"operation": "find", "filter": {}}), Read),
        (
            "elasticsearch",
            json!({"api": "indices.delete", "index": "x"}),
            Destructive,
        ),
        (
            "elasticsearch",
            json!({"api": "search", "index": "x"}),
            Read,
        ),
    ];
    for (tool, input, want) in cases {
        assert_eq!(effect(tool, input.clone()), want, "{tool} {input}");
    }
    // Without a subcommand key, the argument list is the command.
    assert_eq!(
        effect("git", json!({"args": ["push", "--force"]})),
        Destructive
    );
    assert_eq!(
        effect("terraform", json!({"args": ["destroy", "-auto-approve"]})),
        Destructive
    );
    assert_eq!(effect("git", json!({"args": ["status"]})), Read);
    assert_eq!(
        effect("redis", json!({"commands": [["SET", "a", "1"], "FLUSHDB"]})),
        Destructive
    );
    assert_eq!(
        effect("redis", json!({"pipeline": ["GET a", ["TTL", "a"]]})),
        Read
    );
    // A flag's value is still searched: SQL or a command under any key is found.
    assert_eq!(
        effect(
            "git",
            json!({"command": "status", "sql": "DROP TABLE users"})
        ),
        Destructive
    );
    assert_eq!(
        effect(
            "git",
            json!({"command": "status", "options": {"exec": "rm -rf /srv"}})
        ),
        Destructive
    );
    // The settings of the call are not flags of the command.
    assert_eq!(effect("git_status", json!({"repo_path": "/srv/app"})), Read);
}

#[test]
fn search_patterns_are_data_only_in_search_tools() {
    let pattern = json!({"path": "/project", "pattern": "rm -rf /srv"});
    assert_eq!(effect("search_files", pattern.clone()), Read);
    assert_eq!(
        effect("mcp__filesystem__search_files", pattern.clone()),
        Read
    );
    assert_eq!(effect("grep", json!({"pattern": "rm -rf /srv"})), Read);
    assert_eq!(effect("search_code", json!({"query": "rm -rf /srv"})), Read);
    // The twins: a tool that runs, or a field that is not a pattern, stays destructive.
    assert_eq!(
        effect("run_command", json!({"pattern": "rm -rf /srv"})),
        Destructive
    );
    assert_eq!(effect("exec", pattern), Destructive);
    assert_eq!(
        effect(
            "search_files",
            json!({"pattern": "x", "command": "rm -rf /srv"})
        ),
        Destructive
    );
    assert_eq!(
        effect("search_and_delete", json!({"pattern": "x"})),
        Destructive
    );
}

#[test]
fn mcp_resources_of_secrets_are_admin() {
    assert_eq!(effect("resources.read", json!("file:///etc/shadow")), Admin);
    assert_eq!(
        effect(
            "resources.read",
            json!({"uri": "file:///home/u/.ssh/id_rsa"})
        ),
        Admin
    );
    assert_eq!(
        effect("resources.read", json!("file:///project/README.md")),
        Read
    );
    assert_eq!(
        effect("resources.read", json!("https://example.com/a")),
        Read
    );
}
