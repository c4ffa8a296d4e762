//! The twenty-fifth sets, SQL and data stores (docs/classifier.md, "The twenty-fifth sets (set
//! 25a)"): black-box probing of SQL tools in many dialects and of Redis, MongoDB and
//! Elasticsearch tools, each class's rule beside its twin. The same cases are in
//! `corpus/redteam_set25_sql.jsonl`.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test: failing loudly is the point

use airlock_core::Effect::{Admin, Destructive, Mutating, Read};
use serde_json::json;

#[path = "common/cases.rs"]
#[allow(dead_code)] // `cmd` is the shell sets' helper
mod cases;
use cases::check;

/// `EXECUTE` of a read function's result (`format`, `concat`, `lower`, `convert_from(decode(…))`) runs the SQL it builds, or a prepared statement of that name: never read (`sql/walk.rs` `execute`). Selecting the same function, and a T-SQL read procedure called without parentheses, stay read.
#[test]
fn execute_of_a_read_function_runs_sql() {
    check(&[
        // PL/pgSQL `EXECUTE format(...)`: the text it builds runs
        (
            "run_sql",
            json!({"sql": "EXECUTE format('DROP TABLE %I', 'users')"}),
            Destructive,
        ),
        // lower case, a variable argument
        (
            "execute_sql",
            json!({"query": "execute format('drop table %s', t)", "project_id": "abcd"}),
            Destructive,
        ),
        // `concat` builds the statement
        (
            "query",
            json!({"sql": "EXECUTE concat('DROP TABLE ', 'users')"}),
            Destructive,
        ),
        // a case change builds it
        (
            "run_sql",
            json!({"sql": "EXECUTE lower('DROP TABLE USERS')"}),
            Destructive,
        ),
        // `reverse` hides the words
        (
            "run_sql",
            json!({"sql": "EXECUTE reverse('sresu elbat pord')"}),
            Destructive,
        ),
        // base64 decoded at run time
        (
            "run_sql",
            json!({"sql": "EXECUTE convert_from(decode('RFJPUCBUQUJMRSB1c2Vycw==', 'base64'), 'UTF8')"}),
            Destructive,
        ),
        // after a read
        (
            "run_sql",
            json!({"sql": "SELECT 1; EXECUTE format('DELETE FROM %I', 'users')"}),
            Destructive,
        ),
        // a prepared statement named as a read function, no arguments
        ("run_sql", json!({"sql": "EXECUTE lower"}), Mutating),
        // twin: the same function selected only returns text
        (
            "run_sql",
            json!({"sql": "SELECT format('DROP TABLE %I', 'users')"}),
            Read,
        ),
        // twin: concat selected
        (
            "run_sql",
            json!({"sql": "SELECT concat('DROP TABLE ', 'users')"}),
            Read,
        ),
        // twin: a read procedure without parentheses
        (
            "run_sql",
            json!({"sql": "EXEC sp_spaceused N'dbo.Orders'"}),
            Read,
        ),
        // twin: `sp_help`
        ("run_sql", json!({"sql": "EXEC sp_help 'dbo.users'"}), Read),
    ]);
}

/// Snowflake's `USE ROLE` and `USE SECONDARY ROLES` change the session's privileges, as `SET ROLE` does: admin (`sql/stmt.rs`). `USE WAREHOUSE`, `USE DATABASE`, `USE SCHEMA` stay read.
#[test]
fn use_role_changes_the_session_role() {
    check(&[
        // Snowflake `USE ROLE` is `SET ROLE`
        (
            "snowflake_query",
            json!({"statement": "USE ROLE ACCOUNTADMIN"}),
            Admin,
        ),
        // lower case
        ("run_sql", json!({"sql": "use role sysadmin"}), Admin),
        // every granted role at once
        (
            "execute_sql",
            json!({"query": "USE SECONDARY ROLES ALL", "project_id": "abcd"}),
            Admin,
        ),
        // after a read
        (
            "run_sql",
            json!({"sql": "SELECT 1; USE ROLE ACCOUNTADMIN"}),
            Admin,
        ),
        // twin: a warehouse
        (
            "snowflake_query",
            json!({"statement": "USE WAREHOUSE w"}),
            Read,
        ),
        // twin: a database
        (
            "snowflake_query",
            json!({"statement": "USE DATABASE prod"}),
            Read,
        ),
        // twin: a schema
        ("run_sql", json!({"sql": "USE SCHEMA prod.public"}), Read),
    ]);
}

/// A Redis tool named for running a command (`redis_execute`, `redis_command`, `mcp__redis__execute`) given only an argument list: the list is the command, judged beside the reading with the name's word, so nothing is lowered (`structured/redis_args.rs`).
#[test]
fn a_redis_tools_argument_list_is_the_command() {
    check(&[
        // the name's `execute` is not the command
        ("redis_execute", json!({"args": ["FLUSHALL"]}), Destructive),
        // `FLUSHDB ASYNC`
        (
            "redis_execute",
            json!({"args": ["FLUSHDB", "ASYNC"]}),
            Destructive,
        ),
        // `command` in the name had been Redis `COMMAND` (a read)
        ("redis_command", json!({"args": ["FLUSHALL"]}), Destructive),
        // `argv`
        (
            "execute_redis_command",
            json!({"argv": ["SHUTDOWN", "NOSAVE"]}),
            Destructive,
        ),
        // an MCP server's prefix
        (
            "mcp__redis__execute",
            json!({"args": ["SCRIPT", "FLUSH"]}),
            Destructive,
        ),
        // `CONFIG SET dir`
        (
            "redis_run",
            json!({"args": ["CONFIG", "SET", "dir", "/root/.ssh"]}),
            Admin,
        ),
        // Valkey, `MODULE LOAD`
        (
            "valkey_exec",
            json!({"args": ["MODULE", "LOAD", "/tmp/x.so"]}),
            Admin,
        ),
        // a script that flushes
        (
            "redis_command",
            json!({"args": ["EVAL", "return redis.call('flushall')", "0"]}),
            Destructive,
        ),
        // a list of commands
        (
            "redis_execute",
            json!({"args": [["GET", "k"], ["FLUSHALL"]]}),
            Destructive,
        ),
        // the command as a line
        ("redis_execute", json!({"args": "FLUSHALL"}), Destructive),
        // twin: a read stays where it was (the name's reading is kept)
        ("redis_execute", json!({"args": ["GET", "k"]}), Mutating),
        // twin: a command key names the command
        (
            "redis_execute",
            json!({"command": "GET", "args": ["k"]}),
            Read,
        ),
        // twin: a tool named only `redis`
        ("redis", json!({"args": ["KEYS", "*"]}), Read),
    ]);
}

/// Mongo shell code in a Mongo tool's text argument is judged by the rules `mongosh --eval` has (`dbclient.rs` `mongo_admin_effects`, called from `datastore.rs`): an update of every document, a `$out` stage, `renameCollection(…, true)`, a password change.
#[test]
fn a_mongo_tools_shell_code_is_judged_as_mongosh_is() {
    check(&[
        // an update of every document
        (
            "mongo_shell",
            json!({"code": "db.users.updateMany({}, {$unset: {email: 1}})"}),
            Destructive,
        ),
        // a `$out` stage replaces the collection
        (
            "mongo_shell",
            json!({"code": "db.users.aggregate([{$match: {}}, {$out: 'users'}])"}),
            Destructive,
        ),
        // `dropTarget` drops the target
        (
            "mongo_shell",
            json!({"code": "db.users.renameCollection('old', true)"}),
            Destructive,
        ),
        // a password changed
        (
            "mongodb",
            json!({"query": "db.changeUserPassword('app','x')"}),
            Admin,
        ),
        // twin: one document
        (
            "mongo_shell",
            json!({"code": "db.users.updateOne({_id: 1}, {$set: {a: 1}})"}),
            Mutating,
        ),
        // twin: a find
        (
            "mongodb",
            json!({"query": "db.users.findOne({_id: 1})"}),
            Mutating,
        ),
    ]);
}

/// Elasticsearch `_update_by_query` with no query or `match_all` rewrites every document (`UPDATE` without `WHERE`): destructive; a snapshot `_restore` overwrites indices: destructive; writing `_cluster/settings`: admin (`datastore.rs` `elastic_op`). A picked query, reading the settings and listing snapshots keep their verdicts.
#[test]
fn elasticsearch_updates_of_every_document_restores_and_cluster_settings() {
    check(&[
        // no query: every document
        (
            "elasticsearch_request",
            json!({"method": "POST", "path": "/users/_update_by_query"}),
            Destructive,
        ),
        // `match_all`
        (
            "elasticsearch_request",
            json!({"method": "POST", "path": "/users/_update_by_query", "body": {"query": {"match_all": {}}, "script": "ctx._source.pw=null"}}),
            Destructive,
        ),
        // a body as text with no query
        (
            "opensearch_api",
            json!({"method": "POST", "path": "/users/_update_by_query", "body": "{\"script\":\"ctx._source.x=1\"}"}),
            Destructive,
        ),
        // a restore over indices
        (
            "elasticsearch_request",
            json!({"method": "POST", "path": "/_snapshot/r/s/_restore"}),
            Destructive,
        ),
        // cluster settings
        (
            "opensearch",
            json!({"method": "PUT", "endpoint": "/_cluster/settings"}),
            Admin,
        ),
        // twin: a query that picks documents
        (
            "elasticsearch_request",
            json!({"method": "POST", "path": "/users/_update_by_query", "body": {"query": {"term": {"id": 1}}, "script": "x"}}),
            Mutating,
        ),
        // twin: reading the settings
        (
            "elasticsearch_request",
            json!({"method": "GET", "path": "/_cluster/settings"}),
            Read,
        ),
        // twin: listing snapshots
        (
            "elasticsearch_request",
            json!({"method": "GET", "path": "/_snapshot/r/_all"}),
            Read,
        ),
    ]);
}
