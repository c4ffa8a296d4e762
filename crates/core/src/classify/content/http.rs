//! HTTP-shaped inputs: a request line (`DELETE https://api/x`), a JSON object with a method
//! and a URL, and GraphQL mutations. GET, HEAD and OPTIONS read; POST, PUT and PATCH write;
//! DELETE destroys; a write to an access-control path (`/admin`, `/iam`, `/roles`, …) is admin.

use serde_json::{Map, Value};

use super::{Ctx, Hint, analyse_text, snippet};
use crate::Effect::{self, Admin, Destructive, Mutating, Read};

pub(crate) const METHODS: &[&str] = &[
    "GET",
    "HEAD",
    "OPTIONS",
    "TRACE",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "PURGE",
    "CONNECT",
    "PROPFIND",
    "PROPPATCH",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
    "LINK",
    "UNLINK",
];

/// Path segments of access control.
const ADMIN_SEGMENTS: &[&str] = &[
    "admin",
    "admins",
    "iam",
    "role",
    "roles",
    "permission",
    "permissions",
    "policy",
    "policies",
    "acl",
    "acls",
    "grant",
    "grants",
    "member",
    "members",
    "memberships",
    "collaborators",
    "api-keys",
    "apikeys",
    "api_keys",
    "token",
    "tokens",
    "secret",
    "secrets",
    "credentials",
    "sudo",
    "access",
    "ssh-keys",
    "owners",
    "privileges",
    "sso",
    "saml",
    "mfa",
    "deploy",
    "deployments",
    "rbac",
    "invitations",
];

/// Path endings of removal verbs sent as POST.
const DESTROY_SEGMENTS: &[&str] = &[
    "delete",
    "destroy",
    "remove",
    "purge",
    "wipe",
    "drop",
    "terminate",
    "truncate",
    "reset",
    "flush",
    "erase",
    "nuke",
    "uninstall",
    "deprovision",
];

fn segments(url: &str) -> Vec<String> {
    let path = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest.split_once('/').map_or("", |(_, p)| p));
    let path = path.split(['?', '#']).next().unwrap_or("");
    path.split(['/', '.', ':'])
        .filter(|s| !s.is_empty())
        .map(str::to_ascii_lowercase)
        .collect()
}

/// The effect of a method on a URL.
pub(crate) fn method_effect(method: &str, url: &str) -> (Effect, String) {
    let m = method.to_ascii_uppercase();
    let segs = segments(url);
    let admin_path = segs.iter().any(|s| ADMIN_SEGMENTS.contains(&s.as_str()));
    let destroy_path = segs
        .last()
        .is_some_and(|s| DESTROY_SEGMENTS.iter().any(|d| s.starts_with(d)));
    match m.as_str() {
        "GET" | "HEAD" | "OPTIONS" | "TRACE" | "PROPFIND" => (Read, "reads".into()),
        "DELETE" | "PURGE" | "UNLINK" if admin_path => {
            (Admin, "deletes on an access-control path".into())
        }
        "DELETE" | "PURGE" | "UNLINK" => (Destructive, "deletes a resource".into()),
        _ if destroy_path => (Destructive, "calls a removal endpoint".into()),
        _ if admin_path => (Admin, "writes to an access-control path".into()),
        _ => (Mutating, "writes".into()),
    }
}

/// A request line (`DELETE https://api.example.com/users/1`), with headers and a body.
pub(crate) fn analyse_line(ctx: &mut Ctx, t: &str) -> bool {
    if graphql(ctx, t) {
        return true;
    }
    let first = t.lines().next().unwrap_or("");
    let mut words = first.split_whitespace();
    let (Some(method), Some(url)) = (words.next(), words.next()) else {
        return false;
    };
    if !METHODS.contains(&method) || !(url.starts_with('/') || url.contains("://")) {
        return false;
    }
    let (e, why) = method_effect(method, url);
    ctx.add(
        e,
        format!("http: {} {why}", snippet(&format!("{method} {url}"))),
    );
    if let Some((_, body)) = t.split_once("\n\n").or_else(|| t.split_once("\r\n\r\n")) {
        ctx.via("the request body", |ctx| {
            analyse_text(ctx, body, Hint::None, 1)
        });
    }
    true
}

/// A JSON request object: `{"method": "DELETE", "url": "…"}`.
pub(crate) fn analyse_object(ctx: &mut Ctx, map: &Map<String, Value>) -> bool {
    let get = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str))
    };
    let Some(url) = get(&["url", "uri", "endpoint", "href", "path"]) else {
        return false;
    };
    let method = get(&["method", "http_method", "httpMethod", "verb", "Method"]);
    let has_body = ["body", "data", "json", "payload", "form"]
        .iter()
        .any(|k| map.get(*k).is_some_and(|v| !v.is_null()));
    let method = match method {
        Some(m) if METHODS.contains(&m.to_ascii_uppercase().as_str()) => m.to_ascii_uppercase(),
        Some(_) => return false,
        None if !(url.contains("://") || url.starts_with('/')) => return false,
        None if has_body => "POST".into(),
        None => "GET".into(),
    };
    let (e, why) = method_effect(&method, url);
    ctx.add(
        e,
        format!("http: {} {why}", snippet(&format!("{method} {url}"))),
    );
    true
}

/// GraphQL: a `mutation` writes (destroys when its fields say so); a query reads.
fn graphql(ctx: &mut Ctx, t: &str) -> bool {
    let s = t.trim_start();
    let is_mutation = s.starts_with("mutation") && s.contains('{');
    let is_query = (s.starts_with("query ")
        || s.starts_with("query{")
        || s.starts_with("{\n")
        || s.starts_with("{ "))
        && s.contains('}')
        && !s.contains('"')
        && !s.contains(':');
    if is_mutation {
        let lower = s.to_ascii_lowercase();
        let destroy = DESTROY_SEGMENTS.iter().any(|d| lower.contains(d));
        let admin = [
            "role",
            "permission",
            "grant",
            "revoke",
            "member",
            "admin",
            "token",
            "apikey",
        ]
        .iter()
        .any(|d| lower.contains(d));
        let (e, why) = if destroy {
            (Destructive, "is a graphql mutation that removes data")
        } else if admin {
            (Admin, "is a graphql mutation on access control")
        } else {
            (Mutating, "is a graphql mutation")
        };
        ctx.add(e, format!("http: {} {why}", snippet(s)));
        return true;
    }
    if is_query && s.starts_with("query") {
        ctx.add(Read, format!("http: {} is a graphql query", snippet(s)));
        return true;
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(t: &str) -> Option<Effect> {
        let mut ctx = Ctx::new();
        analyse_line(&mut ctx, t);
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
    }

    #[test]
    fn objects() {
        let mut ctx = Ctx::new();
        let v = serde_json::json!({"method": "DELETE", "url": "https://api/x"});
        let m = v.as_object().cloned().unwrap_or_default();
        assert!(analyse_object(&mut ctx, &m));
        assert_eq!(ctx.max_effect(), Some(Destructive));
    }

    #[test]
    fn graphql_mutations() {
        assert_eq!(
            line("mutation { deleteUser(id: 1) { id } }"),
            Some(Destructive)
        );
        assert_eq!(line("query { users { id } }"), Some(Read));
    }
}
