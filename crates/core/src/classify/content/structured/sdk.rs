//! Cloud SDK operation names in structured arguments: `s3 {"operation": "DeleteObjects"}`,
//! `dynamodb {"Operation": "DeleteTable"}`, `{"service": "ec2", "action":
//! "terminate_instances"}`, `{"Action": "iam:PutUserPolicy"}`. The operation is the call's
//! verb, in any spelling (PascalCase, camelCase, snake_case, kebab-case, with a service
//! prefix `s3:`/`dynamodb.`, or a client class suffix `…Command`/`…Request`/`…Async`), and it
//! is judged by one vocabulary for every service: `Describe*`, `List*`, `Get*`, `Head*`,
//! `Scan`, `Query` read; removals (`Delete*`, `Terminate*`, `Purge*`, `Remove*`, `Drop*`,
//! `Deregister*`, …) are destructive; changes of access (`Put*Policy`, `Attach*Policy`,
//! `Create*AccessKey`, `UpdateAssumeRolePolicy`, `AddPermission`, anything made public) are
//! admin; any other operation is a write.
//!
//! A tool named after a service (or an object that names its `service`) is judged by its
//! operation, reads included. Elsewhere an operation-shaped field only raises: it is added
//! when it removes data or changes access, and never in a tool whose name reads (a search of
//! an audit log for `DeleteBucket` is a read).

use serde_json::{Map, Value};

use super::super::{Ctx, snippet};
use crate::Effect::{self, Admin, Destructive, Mutating, Read};
use crate::classify::name::{name_tier, words};

/// Services a tool's name or a `service` field can name (AWS, Google Cloud, Azure, and the
/// SDKs themselves). Generic words (`storage`, `compute`, `logs`) are left out: a tool named
/// `storage` is not known to take SDK operations.
#[rustfmt::skip]
const SERVICES: &[&str] = &[
    "s3", "s3api", "s3control", "dynamodb", "ddb", "ec2", "rds", "iam", "lambda", "sqs", "sns",
    "kms", "sts", "secretsmanager", "ssm", "cloudformation", "cloudtrail", "cloudwatch",
    "ecs", "eks", "ecr", "elb", "elbv2", "route53", "cloudfront", "kinesis", "firehose", "glue",
    "athena", "redshift", "elasticache", "efs", "ebs", "glacier", "organizations", "cognito",
    "apigateway", "stepfunctions", "sfn", "eventbridge", "sagemaker", "codecommit", "codebuild",
    "codepipeline", "guardduty", "securityhub", "neptune", "docdb", "timestream", "appsync",
    "lightsail", "emr", "msk", "boto3", "boto", "botocore", "gcs", "bigquery", "pubsub",
    "spanner", "firestore", "bigtable", "gke", "cloudsql", "sqladmin", "cloudfunctions",
    "cloudrun", "secretmanager", "cloudkms", "resourcemanager", "blob", "blobs", "cosmos",
    "cosmosdb", "keyvault", "servicebus", "eventhub", "eventhubs", "aks", "acr", "adls",
    "datalake", "storageaccount",
];

/// The index after the first service named by a name's words, which split letters from
/// digits (`s3` is `s`, `3`; `s3api` is `s`, `3`, `api`; `elbv2` is `elbv`, `2`): up to three
/// consecutive words are joined.
pub(crate) fn service_end(words: &[String]) -> Option<usize> {
    (0..words.len()).find_map(|i| {
        let mut joined = String::new();
        (i..words.len().min(i + 3)).find_map(|j| {
            joined.push_str(words.get(j)?);
            SERVICES.contains(&joined.as_str()).then_some(j + 1)
        })
    })
}

/// The operation a service's tool name gives: the words after the service
/// (`s3_delete_object` gives `delete object`), with the verb before the service when those
/// words do not start with one (`describe_iam_role` gives `describe role`, not `role`).
pub(crate) fn tool_operation(words: &[String]) -> Option<Vec<String>> {
    let end = service_end(words)?;
    let start = (0..end)
        .rev()
        .find(|&i| service_end(words.get(i..).unwrap_or_default()) == Some(end - i))?;
    let after: Vec<String> = words.iter().skip(end).cloned().collect();
    let is_verb = |w: &str| READ_VERBS.contains(&w) || name_tier(w).effect.is_some();
    let verb_before = start
        .checked_sub(1)
        .and_then(|i| words.get(i))
        .filter(|w| is_verb(w));
    match verb_before {
        Some(v) if after.first().is_none_or(|a| !is_verb(a)) => {
            Some(std::iter::once(v.clone()).chain(after).collect())
        }
        _ => Some(after),
    }
}

/// Keys that name the operation, compared in lower case without `_` and `-`.
const OP_KEYS: &[&str] = &[
    "operation",
    "op",
    "action",
    "api",
    "apiname",
    "apicall",
    "operationname",
    "operationid",
    "method",
    "command",
    "call",
    "rpc",
    "xamztarget",
];

/// Keys that name the service of an object (`{"service": "ec2", "action": …}`).
const SERVICE_KEYS: &[&str] = &["service", "servicename", "serviceid", "client", "sdk"];

/// First words of operations that only read. An operation is a read only when its first
/// verb is one of these and no later word says otherwise (the name tier's leading-verb rule:
/// `GetAndDeleteX` is not a read).
#[rustfmt::skip]
const READ_VERBS: &[&str] = &[
    "describe", "list", "get", "head", "scan", "query", "select", "search", "lookup", "count",
    "view", "estimate", "simulate", "validate", "preview", "verify",
];

/// The vocabulary beyond the name tier's: operation words of cloud APIs and what they do
/// wherever they stand in a write's name.
#[rustfmt::skip]
const WORDS: &[(&str, Effect)] = &[
    // Removals the name tier does not know.
    ("deregister", Destructive), ("disassociate", Destructive), ("abort", Destructive),
    ("release", Destructive), ("deletion", Destructive), ("removal", Destructive),
    ("termination", Destructive), ("failover", Destructive), ("suspend", Destructive),
    ("deletecollection", Destructive),
    // Access: who can do what, credentials, exposure.
    ("assume", Admin), ("authorize", Admin), ("revoke", Admin), ("disable", Admin),
    ("login", Admin), ("accesskey", Admin), ("public", Admin), ("publicly", Admin),
    ("unprotect", Admin), ("impersonate", Admin),
];

/// Words a client library appends to an operation (`DeleteTableCommand`, `…Async`).
const SUFFIXES: &[&str] = &["command", "request", "input", "async", "sync", "operation"];

/// The words of an operation name: its last segment after a service prefix, without client
/// suffixes. None if the value is not one identifier.
fn op_words(op: &str) -> Option<Vec<String>> {
    let op = op.trim();
    if op.is_empty()
        || op.len() > 120
        || !op
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':' | '/'))
    {
        return None;
    }
    let seg = op.rsplit([':', '.', '/']).find(|s| !s.is_empty())?;
    let mut w = words(seg);
    while w.len() > 1 && w.last().is_some_and(|l| SUFFIXES.contains(&l.as_str())) {
        w.pop();
    }
    (!w.is_empty() && w.iter().any(|x| x.chars().any(|c| c.is_ascii_alphabetic()))).then_some(w)
}

/// What an operation named by a string does, by the one vocabulary. With `shaped`, only an
/// operation with a shape of its own counts (several words, `TerminateInstances`; a service
/// prefix, `ec2:TerminateInstances`): a single word (`delete`) may be a filter's value.
pub(crate) fn operation(op: &str, shaped: bool) -> Option<(Effect, &'static str)> {
    let w = op_words(op)?;
    if shaped && w.len() < 2 && !op.contains(':') {
        return None;
    }
    Some(op_effect(&w))
}

/// What an operation does, with a word for the reason.
fn op_effect(w: &[String]) -> (Effect, &'static str) {
    let joined = w.join("_");
    let tier = name_tier(&joined).effect;
    // `BatchGetItem` is a get.
    let verb = w
        .iter()
        .find(|x| x.as_str() != "batch")
        .map_or("", String::as_str);
    let extra = w
        .iter()
        .filter_map(|x| WORDS.iter().find(|(n, _)| n == x).map(|(_, e)| *e))
        .reduce(Effect::max);
    if READ_VERBS.contains(&verb) && tier.is_none_or(|t| t == Read) {
        return (Read, "reads");
    }
    let e = tier
        .unwrap_or(Mutating)
        .max(Mutating)
        .max(extra.unwrap_or(Mutating));
    let why = match e {
        Read | Mutating => "writes",
        Destructive => "removes data or stops a resource",
        Admin => "changes access or credentials",
    };
    (e, why)
}

/// Judges the SDK operations named in `map`. `service_tool` is true under a tool named
/// after a service (`name_rest` is the rest of its name, `s3_put_object` gives `put
/// object`, the operation when no field names one): each operation is then the whole
/// judgment of its key (returned, so the walk skips it), reads included; otherwise only a
/// removal or an access change is added. Every operation field counts (`{"operation":
/// "ListBuckets", "action": "DeleteBucket"}` is not a read).
pub(crate) fn call(
    ctx: &mut Ctx,
    map: &Map<String, Value>,
    service_tool: bool,
    name_rest: &[String],
) -> Vec<String> {
    // An IAM policy statement lists actions it allows; it does not call them.
    if map.keys().any(|k| k.eq_ignore_ascii_case("effect")) {
        return Vec::new();
    }
    let norm = |k: &str| -> String {
        k.chars()
            .filter(|c| !matches!(c, '_' | '-'))
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let named_service = map.iter().any(|(k, v)| {
        SERVICE_KEYS.contains(&norm(k).as_str())
            && v.as_str().is_some_and(|s| service_end(&words(s)).is_some())
    });
    let full = service_tool || named_service;
    if !full && (ctx.name_reads || ctx.search_tool) {
        return Vec::new();
    }
    let mut ops: Vec<(Option<String>, String, Vec<String>)> = map
        .iter()
        .filter_map(|(k, v)| {
            let nk = norm(k);
            // A GraphQL request's `operationName` was judged with its document, which says
            // whether it is a query or a mutation.
            if !OP_KEYS.contains(&nk.as_str()) || (nk == "operationname" && ctx.graphql_judged) {
                return None;
            }
            let s = v.as_str()?;
            let w = op_words(s)?;
            // Outside a service's tool, an operation is one with a shape of its own: several
            // words (`DeleteTable`, `delete_table`) or a service prefix (`s3:DeleteObject`);
            // a `method` or `command` of one word is HTTP's or a shell's.
            let prefixed = s.contains([':', '.']);
            let shaped = w.len() >= 2 || (prefixed && !matches!(nk.as_str(), "method" | "command"));
            (full || shaped).then(|| (Some(k.clone()), s.to_string(), w))
        })
        .collect();
    if ops.is_empty() && service_tool && !name_rest.is_empty() {
        ops.push((None, name_rest.join("_"), name_rest.to_vec()));
    }
    let mut consumed = Vec::new();
    for (key, op, w) in ops {
        let (mut e, mut why) = op_effect(&w);
        // A batch or transaction of writes that carries delete requests (`BatchWriteItem`
        // with `DeleteRequest`, `TransactWriteItems` with `Delete`).
        if e == Mutating && full && deletes_in_batch(map) {
            (e, why) = (Destructive, "carries delete requests");
        }
        // A write that makes something public (`PutObject` with `ACL: public-read`, a
        // snapshot shared with the group `all`).
        if full
            && e != Read
            && let Some(field) = exposure(&Value::Object(map.clone()), 0)
        {
            e = e.max(Admin);
            why = "makes a resource public";
            ctx.add(
                Admin,
                format!("sdk: operation {} sets {field}", snippet(&op)),
            );
        }
        if !full && e.rank() < Destructive.rank() {
            continue;
        }
        ctx.add(e, format!("sdk: operation {} {why}", snippet(&op)));
        if full {
            consumed.extend(key);
        }
    }
    consumed
}

/// The first field that makes a resource public in an operation's parameters, to a bounded
/// depth (`objects::exposed_fields`, and EC2's `{"Group": "all"}`).
fn exposure(v: &Value, depth: usize) -> Option<String> {
    match v {
        Value::Object(m) if depth < 16 => {
            if let Some((k, v)) = super::super::objects::exposed_fields(m, depth == 0).pop() {
                return Some(format!("`{k}: {v}`"));
            }
            if m.get("Group").and_then(Value::as_str) == Some("all") {
                return Some("`Group: all`".to_string());
            }
            m.values().find_map(|v| exposure(v, depth + 1))
        }
        Value::Array(items) if depth < 16 => items.iter().find_map(|i| exposure(i, depth + 1)),
        _ => None,
    }
}

/// True if a write's parameters hold delete requests, to a bounded depth.
fn deletes_in_batch(map: &Map<String, Value>) -> bool {
    fn walk(v: &Value, depth: usize) -> bool {
        match v {
            Value::Object(m) if depth < 16 => m.iter().any(|(k, v)| {
                (matches!(k.as_str(), "DeleteRequest" | "Delete" | "deleteRequest")
                    && v.is_object())
                    || walk(v, depth + 1)
            }),
            Value::Array(items) if depth < 16 => items.iter().any(|i| walk(i, depth + 1)),
            _ => false,
        }
    }
    map.values().any(|v| walk(v, 0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn effect(op: &str) -> Option<Effect> {
        op_words(op).map(|w| op_effect(&w).0)
    }

    #[test]
    fn one_vocabulary_for_every_spelling() {
        for op in [
            "DeleteObjects",
            "deleteTable",
            "delete_table",
            "dynamodb.DeleteTable",
            "DynamoDB_20120810.DeleteTable",
            "TerminateInstancesCommand",
            "PurgeQueue",
            "DeregisterTaskDefinition",
            "StopDBCluster",
            "DeletePublicAccessBlock",
            "ScheduleKeyDeletion",
        ] {
            assert!(effect(op).is_some_and(Effect::is_high_risk), "{op}");
        }
        for op in [
            "PutBucketPolicy",
            "AttachRolePolicy",
            "CreateAccessKey",
            "UpdateAssumeRolePolicy",
            "AddPermission",
            "setIamPolicy",
            "PutBucketAcl",
            "AuthorizeSecurityGroupIngress",
            "AssumeRole",
            "CreateLoginProfile",
            "iam:PutUserPolicy",
        ] {
            assert_eq!(effect(op), Some(Admin), "{op}");
        }
        for op in [
            "DescribeInstances",
            "ListBuckets",
            "GetObject",
            "HeadObject",
            "BatchGetItem",
            "Query",
            "Scan",
            "list_objects_v2",
            "getBucketPolicy",
        ] {
            assert_eq!(effect(op), Some(Read), "{op}");
        }
        // The twins of the reads: a later word that acts, or a read verb that is not first.
        for (op, want) in [
            ("GetAndDeleteItem", Destructive),
            ("ListThenPurge", Destructive),
            ("PutItem", Mutating),
            ("ExportTableToPointInTime", Mutating),
            ("DownloadFile", Mutating),
            ("Invoke", Mutating),
            ("BatchWriteItem", Mutating),
        ] {
            assert_eq!(effect(op), Some(want), "{op}");
        }
        assert_eq!(effect("aws s3 rm"), None);
    }
}
