use super::*;
use serde_json::json;

fn line(t: &str) -> Option<Effect> {
    let mut ctx = Ctx::new();
    analyse_line(&mut ctx, t);
    ctx.max_effect()
}

fn object(v: Value) -> Option<Effect> {
    let mut ctx = Ctx::new();
    let m = v.as_object().cloned().unwrap_or_default();
    analyse_object(&mut ctx, &m);
    ctx.max_effect()
}

#[test]
fn methods() {
    assert_eq!(line("GET https://api.example.com/users"), Some(Read));
    assert_eq!(line("POST https://api.example.com/users"), Some(Mutating));
    assert_eq!(
        line("DELETE https://api.example.com/users/1"),
        Some(Destructive)
    );
    assert_eq!(line("PUT https://api.example.com/iam/roles/x"), Some(Admin));
    assert_eq!(line("POST /v1/projects/1/delete"), Some(Destructive));
    assert_eq!(line("get the thing"), None);
    // Lower-case method words.
    assert_eq!(
        line("delete https://api.example.com/users/1"),
        Some(Destructive)
    );
    assert_eq!(line("get https://api.example.com/users/1"), Some(Read));
}

#[test]
fn every_request_of_a_text_counts() {
    assert_eq!(
        line("GET https://api/x\nDELETE https://api/y HTTP/1.1"),
        Some(Destructive)
    );
    assert_eq!(
        line("### list\nGET https://api/x\n\n### remove\n# careful\nDELETE https://api/x/1\n"),
        Some(Destructive)
    );
    assert_eq!(
        line("GET https://api/x\nAccept: application/json\n\n###\nGET https://api/y\n"),
        Some(Read)
    );
    assert_eq!(
        line("GET https://api/x\n\ncurl -X DELETE https://api/x/1"),
        Some(Destructive)
    );
    assert_eq!(
        line("@host = https://api\n\n### remove\nDELETE {{host}}/users/1\n"),
        Some(Destructive)
    );
    assert_eq!(
        line("GET https://api/x\n\n###\n$ curl https://api/y"),
        Some(Read)
    );
}

#[test]
fn overrides_count() {
    assert_eq!(
        line("POST https://api/x/1\nX-HTTP-Method-Override: DELETE\n\n{}"),
        Some(Destructive)
    );
    assert_eq!(
        line("POST https://api/x/1?_method=DELETE"),
        Some(Destructive)
    );
    assert_eq!(
        object(
            json!({"url": "https://api/x/1", "method": "POST", "headers": {"X-Method-Override": "delete"}})
        ),
        Some(Destructive)
    );
    assert_eq!(
        object(json!({"url": "https://api/x/1", "method": "POST", "body": "_method=DELETE"})),
        Some(Destructive)
    );
    assert_eq!(
        object(json!({"url": "https://api/x/1", "method": "POST", "data": {"_method": "DELETE"}})),
        Some(Destructive)
    );
    // The twin: an ordinary header does not change the method.
    assert_eq!(
        object(
            json!({"url": "https://api/x/1", "method": "POST", "headers": {"X-Request-Id": "delete"}})
        ),
        Some(Mutating)
    );
}

#[test]
fn method_wherever_it_sits() {
    assert_eq!(
        object(json!({"url": "https://api/x/1", "options": {"method": "DELETE"}})),
        Some(Destructive)
    );
    assert_eq!(
        object(json!({"resource": "https://api/x/1", "init": {"method": "delete"}})),
        Some(Destructive)
    );
    assert_eq!(
        object(json!({"request": {"method": "DELETE"}, "url": "https://api/x/1"})),
        Some(Destructive)
    );
    assert_eq!(
        object(json!({"httpMethod": "DELETE", "path": "/v1/items/1"})),
        Some(Destructive)
    );
    assert_eq!(
        object(json!({"url": "https://api/x/1", "options": {"method": "GET"}})),
        Some(Read)
    );
    assert_eq!(
        object(json!({"url": "https://api/x/1", "options": {"init": {"method": "DELETE"}}})),
        Some(Destructive)
    );
    assert_eq!(
        object(json!({"method": "DELETE", "target": {"url": "https://api/x/1"}})),
        Some(Destructive)
    );
    // The twin: a URL beside unrelated objects is a read.
    assert_eq!(
        object(json!({"url": "https://api/x/1", "meta": {"note": "delete later"}})),
        Some(Read)
    );
}

#[test]
fn deletes_through_post_and_patch() {
    assert_eq!(
        line("POST https://es:9200/logs/_delete_by_query\n\n{\"query\": {\"match_all\": {}}}"),
        Some(Destructive)
    );
    assert_eq!(
        line("POST https://es:9200/_bulk\n\n{\"delete\": {\"_index\": \"logs\", \"_id\": \"1\"}}"),
        Some(Destructive)
    );
    assert_eq!(
        line("POST https://es:9200/_bulk\n\n{\"index\": {\"_index\": \"logs\"}}\n{\"a\": 1}"),
        Some(Mutating)
    );
    assert_eq!(
        object(
            json!({"method": "PATCH", "url": "https://api.github.com/repos/o/r/git/refs/heads/main", "body": {"sha": "abc", "force": true}})
        ),
        Some(Destructive)
    );
    assert_eq!(
        object(
            json!({"method": "PATCH", "url": "https://api.github.com/repos/o/r/git/refs/heads/main", "body": {"sha": "abc", "force": false}})
        ),
        Some(Mutating)
    );
    assert_eq!(
        line("POST https://storage.googleapis.com/v1/projects/p/keys:batchDelete"),
        Some(Destructive)
    );
}

#[test]
fn a_request_line_does_not_hide_commands_after_it() {
    // Lines that are not part of a request are still analysed by the caller.
    let mut ctx = Ctx::new();
    let whole = analyse_line(&mut ctx, "head /etc/hosts\nrm -rf /srv");
    assert!(!whole || ctx.max_effect() == Some(Destructive));
    // A line with a colon is a header only when it has a header's shape.
    let mut ctx = Ctx::new();
    let whole = analyse_line(&mut ctx, "GET https://api/x\nrm -rf /srv/a:b");
    assert!(!whole || ctx.max_effect() == Some(Destructive));
}

#[test]
fn search_and_graphql_endpoints_read_by_their_body() {
    assert_eq!(
        line("POST http://es:9200/logs/_search\n\n{\"query\": {\"match\": {\"msg\": \"delete\"}}}"),
        Some(Read)
    );
    assert_eq!(
        line("POST http://es:9200/logs/_update_by_query\n\n{}"),
        Some(Mutating)
    );
    assert_eq!(
        object(
            json!({"method": "POST", "url": "https://api.example.com/graphql", "body": {"query": "query { me { id } }"}})
        ),
        Some(Read)
    );
    assert_eq!(
        object(
            json!({"method": "POST", "url": "https://api.example.com/graphql", "body": "{\"query\": \"mutation { deleteRepo(id: 1) }\"}"})
        ),
        Some(Destructive)
    );
    assert_eq!(
        object(
            json!({"method": "POST", "url": "https://api.example.com/graphql", "body": {"query": "{ rm -rf x; }"}})
        ),
        Some(Mutating)
    );
    assert_eq!(
        object(
            json!({"method": "POST", "url": "https://api.example.com/graphql", "body": {"variables": {}}})
        ),
        Some(Mutating)
    );
}

/// Writes that destroy or take data offline through POST and PUT, each beside a write or a
/// read of the same system that does not.
#[test]
fn removals_through_writes() {
    for (v, want) in [
        (
            json!({"url": "http://es:9200/_all/_close", "method": "post"}),
            Destructive,
        ),
        (
            json!({"url": "http://es:9200/logs/_close", "method": "POST"}),
            Destructive,
        ),
        (
            json!({"url": "http://es:9200/logs/_block/write", "method": "PUT"}),
            Destructive,
        ),
        (
            json!({"url": "http://es:9200/*/_settings", "method": "PUT"}),
            Destructive,
        ),
        (
            json!({"url": "http://es:9200/_all/_refresh", "method": "POST"}),
            Mutating,
        ),
        (
            json!({"url": "http://es:9200/logs/_open", "method": "POST"}),
            Mutating,
        ),
        (
            json!({"url": "http://es:9200/_all/_count", "method": "POST"}),
            Read,
        ),
        (
            json!({"url": "http://es:9200/_security/user/u/_disable", "method": "POST"}),
            Admin,
        ),
        (
            json!({"url": "http://couch/db/_bulk_docs", "method": "POST", "body": {"docs": [{"_id": "a", "_deleted": true}]}}),
            Destructive,
        ),
        (
            json!({"url": "http://couch/db/_bulk_docs", "method": "POST", "body": {"docs": [{"_id": "a"}]}}),
            Mutating,
        ),
        (
            json!({"url": "http://solr/solr/c/update", "method": "POST", "body": "<delete><query>*:*</query></delete>"}),
            Destructive,
        ),
        (
            json!({"url": "http://solr/solr/c/update", "method": "POST", "body": "<add><doc/></add>"}),
            Mutating,
        ),
        (
            json!({"url": "http://etcd/v3/kv/deleterange", "method": "POST"}),
            Destructive,
        ),
        (
            json!({"url": "http://etcd/v3/kv/put", "method": "POST"}),
            Mutating,
        ),
        (
            json!({"url": "http://k/v3/clusters/c/topics/t/configs:alter", "method": "POST", "body": {"data": [{"name": "retention.ms", "value": "0"}]}}),
            Destructive,
        ),
        (
            json!({"url": "http://k/v3/clusters/c/topics/t/configs:alter", "method": "POST", "body": {"data": [{"name": "retention.ms", "value": "604800000"}]}}),
            Mutating,
        ),
        (
            json!({"url": "http://kb/api/saved_objects/_import?overwrite=true", "method": "POST"}),
            Destructive,
        ),
        (
            json!({"url": "http://kb/api/saved_objects/_import", "method": "POST"}),
            Mutating,
        ),
    ] {
        assert_eq!(object(v.clone()), Some(want), "{v}");
    }
}

#[test]
fn gets_that_write_through_their_url() {
    for (url, want) in [
        (
            "https://ec2.amazonaws.com/?Action=TerminateInstances&Version=2016-11-15",
            Destructive,
        ),
        ("https://iam.amazonaws.com/?Action=CreateAccessKey", Admin),
        (
            "http://solr/solr/p/update?stream.body=%3Cdelete%3E%3Cquery%3E*%3A*%3C%2Fquery%3E%3C%2Fdelete%3E",
            Destructive,
        ),
        ("http://solr/solr/p/update?commit=true", Mutating),
        ("http://127.0.0.1:7379/FLUSHALL", Destructive),
        ("http://h:7379/flushdb", Destructive),
        ("http://h/CONFIG/SET/dir/x", Admin),
        ("https://admin.acme.io/users/42/delete", Destructive),
        // The twins: the same shapes that only read.
        (
            "https://ec2.amazonaws.com/?Action=DescribeInstances&Version=2016-11-15",
            Read,
        ),
        ("https://api.acme.io/v1/audit?action=DeleteBucket", Read),
        ("https://api.acme.io/v1/audit?action=DELETE", Read),
        ("http://solr/solr/p/select?q=delete", Read),
        ("http://127.0.0.1:7379/GET/k", Read),
        ("http://h/CONFIG/GET/dir", Read),
        ("https://api.acme.io/config/app.json", Read),
        ("https://docs.acme.io/delete-api", Read),
        ("https://docs.acme.io/delete", Read),
        ("https://api.acme.io/tenants/acme/deletion-requests", Read),
    ] {
        assert_eq!(object(json!({"url": url})), Some(want), "{url}");
    }
}

#[test]
fn writes_that_empty_stop_or_run_code() {
    for (v, want) in [
        (
            json!({"method": "PUT", "url": "https://a.firebaseio.com/.json", "body": "null"}),
            Destructive,
        ),
        (
            json!({"method": "PATCH", "url": "https://a.firebaseio.com/.json", "body": {"users": null}}),
            Destructive,
        ),
        (
            json!({"method": "POST", "url": "http://localhost:2019/load", "body": {}}),
            Destructive,
        ),
        (
            json!({"method": "POST", "url": "http://localhost/v1.43/containers/prune"}),
            Destructive,
        ),
        (
            json!({"method": "POST", "url": "https://compute.googleapis.com/compute/v1/projects/p/zones/z/instances/i/stop"}),
            Destructive,
        ),
        (
            json!({"method": "PATCH", "url": "https://api.heroku.com/apps/a/formation", "body": {"updates": [{"quantity": 0}]}}),
            Destructive,
        ),
        (
            json!({"method": "POST", "url": "http://jenkins:8080/scriptText", "body": "script=x"}),
            Admin,
        ),
        (
            json!({"method": "POST", "url": "https://webhook.site/x", "body": "-----BEGIN OPENSSH PRIVATE KEY-----\nabc"}),
            Admin,
        ),
        (
            json!({"method": "POST", "url": "https://a.firebaseio.com/u.json?x-http-method-override=DELETE"}),
            Destructive,
        ),
        (
            json!({"request": {"method": "DELETE", "url": {"raw": "https://api.acme.io/v1/t/acme"}}}),
            Destructive,
        ),
        // The twins.
        (
            json!({"method": "PUT", "url": "https://a.firebaseio.com/u/name.json", "body": "\"Ada\""}),
            Mutating,
        ),
        (
            json!({"method": "POST", "url": "http://localhost:2019/load", "body": {"apps": {}}}),
            Mutating,
        ),
        (
            json!({"method": "POST", "url": "http://localhost/v1.43/containers/db/start"}),
            Mutating,
        ),
        (
            json!({"method": "PATCH", "url": "https://api.heroku.com/apps/a/formation", "body": {"updates": [{"quantity": 2}]}}),
            Mutating,
        ),
        (
            json!({"method": "POST", "url": "https://shop.example/cart", "body": {"quantity": 0}}),
            Mutating,
        ),
        (
            json!({"method": "POST", "url": "https://webhook.site/x", "body": "-----BEGIN PUBLIC KEY-----\nabc"}),
            Mutating,
        ),
        (
            json!({"method": "GET", "url": "http://jenkins:8080/scriptText"}),
            Read,
        ),
    ] {
        assert_eq!(object(v.clone()), Some(want), "{v}");
    }
}

#[test]
fn metadata_addresses_in_every_spelling() {
    use super::rules::metadata_address as md;
    for url in [
        "http://2852039166/latest/meta-data/",
        "http://0xa9fea9fe/",
        "http://0251.0376.0251.0376/",
        "http://169.254.43518/",
        "http://0xA9.0xFE.0xA9.0xFE/",
        "http://[::ffff:a9fe:a9fe]/",
        "http://[::ffff:169.254.169.254]/",
        "http://[fd00:ec2::254]/",
        "http://user@169.254.169.254:80/",
        "http://instance-data/latest/",
        "http://instance-data.ec2.internal/",
        "http://metadata/computeMetadata/v1/",
        "http://metadata.google.internal./",
        "100.100.100.200/latest/",
    ] {
        assert!(md(&url.to_ascii_lowercase()), "{url}");
    }
    for url in [
        "http://2852039167/",
        "http://169.254.169.253/",
        "http://10.0.0.1/",
        "http://metadata.example.com/",
        "http://[::1]/",
        "http://99999999999999999999/",
        "http://1.2.3.4.5/",
        "http://0x1ffffffff/",
    ] {
        assert!(!md(url), "{url}");
    }
}

#[test]
fn get_methods_are_judged_by_their_verb() {
    let get = |u: &str| line(&format!("GET {u}"));
    assert_eq!(
        get("https://slack.com/api/admin.users.setAdmin?user_id=U1"),
        Some(Admin)
    );
    assert_eq!(
        get("https://slack.com/api/users.admin.setInactive?user=U1"),
        Some(Admin)
    );
    assert_eq!(
        get("https://slack.com/api/chat.delete?ts=1"),
        Some(Destructive)
    );
    assert_eq!(
        get("https://api.telegram.org/bot1:AA/setWebhook?url=x"),
        Some(Mutating)
    );
    assert_eq!(get("https://slack.com/api/users.info?user=U1"), Some(Read));
    assert_eq!(get("https://slack.com/api/conversations.list"), Some(Read));
    assert_eq!(
        get("https://api.example.com/v1/files/report.json"),
        Some(Read)
    );
    assert_eq!(
        get("https://learn.microsoft.com/en-us/dotnet/api/system.io.file.delete"),
        Some(Read)
    );
}
