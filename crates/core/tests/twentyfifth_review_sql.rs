//! The review of the twenty-fifth sets, SQL and data stores (docs/classifier.md, "A review of
//! the twenty-fifth sets, SQL and data stores"): other spellings of set 25a's rules (a Mongo
//! tool's `db .x`, an Elasticsearch query matching every document under `bool`, a snapshot
//! restore named as the client names it, a Redis tool named `redis_cli`) and the HTTP forms
//! the set left (`curl` to an address without a scheme, cluster settings and restores through
//! an HTTP tool or `curl`), each case beside its twin. The set added no lowering. The same
//! cases are in `corpus/redteam_set25_review_sql.jsonl`.

#![allow(clippy::expect_used, clippy::panic, clippy::unwrap_used)] // a test: failing loudly is the point

use airlock_core::Effect::{Admin, Destructive, Mutating, Read};
use serde_json::json;

#[path = "common/cases.rs"]
mod cases;
use cases::{check, cmd};

/// Mongo shell code with a space before the dot, or reached through `getDB(…)`, is scanned as
/// `db.` is (each was `mutating`).
#[test]
fn mongo_code_spelled_otherwise_is_scanned() {
    check(&[
        (
            "mongo_shell",
            json!({"code": "db .users.updateMany({}, {$set: {a: 1}})"}),
            Destructive,
        ),
        (
            "mongo_shell",
            json!({"code": "db\n.users.updateMany({}, {$set: {a: 1}})"}),
            Destructive,
        ),
        (
            "mongo_shell",
            json!({"code": "new Mongo().getDB('x').users.updateMany({}, {$set: {a: 1}})"}),
            Destructive,
        ),
        // Twin: one document's update stays a write.
        (
            "mongo_shell",
            json!({"code": "db .users.updateOne({_id: 1}, {$set: {a: 1}})"}),
            Mutating,
        ),
    ]);
}

/// An update by query whose query matches every document through `bool` (`must:
/// [match_all]`, an empty `bool`) is an update of every document (each was `mutating`).
#[test]
fn elasticsearch_update_of_every_document_under_bool() {
    check(&[
        (
            "elasticsearch",
            json!({"method": "POST", "path": "/users/_update_by_query",
                   "body": {"query": {"bool": {"must": [{"match_all": {}}]}}}}),
            Destructive,
        ),
        (
            "elasticsearch",
            json!({"method": "POST", "path": "/users/_update_by_query",
                   "body": {"query": {"bool": {}}}}),
            Destructive,
        ),
        // Twin: a condition keeps it a write.
        (
            "elasticsearch",
            json!({"method": "POST", "path": "/users/_update_by_query",
                   "body": {"query": {"bool": {"must": [{"term": {"a": 1}}]}}}}),
            Mutating,
        ),
    ]);
}

/// A restore named as the clients name it (`snapshot.restore`) is a restore (was `mutating`).
#[test]
fn elasticsearch_restore_named_by_the_client() {
    check(&[
        (
            "elasticsearch",
            json!({"api": "snapshot.restore", "repository": "r", "snapshot": "s"}),
            Destructive,
        ),
        // Twin: taking a snapshot writes.
        (
            "elasticsearch",
            json!({"api": "snapshot.create", "repository": "r", "snapshot": "s"}),
            Mutating,
        ),
    ]);
}

/// Cluster settings and a restore through an HTTP tool or `curl` are judged as the
/// Elasticsearch tool judges them (each was `mutating`).
#[test]
fn elasticsearch_over_plain_http() {
    check(&[
        (
            "http_request",
            json!({"method": "PUT", "url": "http://es:9200/_cluster/settings",
                   "body": {"persistent": {"a": 1}}}),
            Admin,
        ),
        (
            "bash",
            cmd("curl -X PUT http://es:9200/_cluster/settings -d '{}'"),
            Admin,
        ),
        (
            "http_request",
            json!({"method": "POST", "url": "http://es:9200/_snapshot/r/s/_restore"}),
            Destructive,
        ),
        (
            "bash",
            cmd("curl -X POST http://localhost:9200/_snapshot/r/s/_restore"),
            Destructive,
        ),
        // Twins: reading the settings reads; taking a snapshot writes.
        (
            "http_request",
            json!({"method": "GET", "url": "http://es:9200/_cluster/settings"}),
            Read,
        ),
        (
            "http_request",
            json!({"method": "PUT", "url": "http://es:9200/_snapshot/r/s"}),
            Mutating,
        ),
    ]);
}

/// `curl` to an address without a scheme with a body after it: the body had been taken as the
/// URL (`POST {}`, `mutating`); the address is judged too.
#[test]
fn curl_to_an_address_without_a_scheme() {
    check(&[
        (
            "bash",
            cmd("curl -XPOST 'localhost:9200/users/_delete_by_query' -d '{}'"),
            Destructive,
        ),
        (
            "bash",
            cmd(
                "curl -X POST 'localhost:9200/users/_delete_by_query?conflicts=proceed' -H 'Content-Type: application/json' -d '{\"query\":{\"match_all\":{}}}'",
            ),
            Destructive,
        ),
        (
            "bash",
            cmd("curl -X PUT es.internal:9200/_cluster/settings -d '{}'"),
            Admin,
        ),
        // Twins: an index of one document writes; a search with a body reads as before.
        (
            "bash",
            cmd("curl -XPOST localhost:9200/users/_doc -d '{}'"),
            Mutating,
        ),
        (
            "bash",
            cmd("curl -X POST http://localhost:9200/users/_search -d '{}'"),
            Read,
        ),
    ]);
}

/// A Redis tool named `redis_cli`, `redis_client`, `redis_tool` or `redis_invoke` given an
/// argument list: the list is the command (each was `mutating`).
#[test]
fn redis_tools_named_for_the_client() {
    check(&[
        ("redis_cli", json!({"args": ["FLUSHALL"]}), Destructive),
        ("redis_client", json!({"args": ["FLUSHALL"]}), Destructive),
        ("redis_tool", json!({"args": ["FLUSHDB"]}), Destructive),
        (
            "redis_invoke",
            json!({"args": ["CONFIG", "SET", "dir", "/tmp"]}),
            Admin,
        ),
        // Twin: nothing is lowered; a read stays as it was.
        ("redis_cli", json!({"args": ["GET", "k"]}), Mutating),
    ]);
}
