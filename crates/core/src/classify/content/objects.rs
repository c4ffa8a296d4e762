//! Object arguments whose meaning is in their fields rather than in a command: a signal sent
//! to a process (`{"signal": "SIGKILL", "pid": 1}`), a Kubernetes manifest written as YAML
//! text, an access role granted (`{"role": "owner"}`), a resource made public
//! (`{"anyone_with_link": "editor"}`, `{"acl": "public-read"}`), a secret file sent as a
//! request body.

use serde_json::{Map, Value};

use super::{Ctx, args, shell, structured};
use crate::Effect::{Admin, Mutating};

mod container;
mod destination;
mod fields;
mod operation;
mod written;
use fields::{
    change_flag, delete_flag, operation_named, protection_off, resource_action, security_off,
    sent_to_address, trash_state,
};
use operation::{destroying_operation, nested_operations};
use written::{ci_secrets, install_scripts, overwritten};
pub(crate) use written::{ci_text_leaks, editor_call};

/// Judges the fields of one object of the input; `top` for the input itself.
pub(crate) fn analyse(ctx: &mut Ctx, map: &Map<String, Value>, top: bool) {
    signal(ctx, map);
    for key in [
        "manifest",
        "manifests",
        "yaml",
        "spec_yaml",
        "resource_yaml",
        "definition",
    ] {
        if let Some(Value::String(text)) = map.get(key) {
            manifest(ctx, text);
        }
    }
    if top && !ctx.name_reads {
        granted_role(ctx, map);
    }
    // A program's or a service's tool is judged by its command or operation (`gh repo list
    // --visibility public` reads); a read's fields are filters.
    let judged_elsewhere = ctx
        .program
        .as_ref()
        .is_some_and(|(p, _)| *p != structured::Program::Meta);
    if !judged_elsewhere && !ctx.name_reads && !ctx.search_tool {
        for (k, v) in exposed_fields(map, top) {
            ctx.add(
                Admin,
                format!("makes a resource public (`{k}: {v}`): a permission change"),
            );
        }
    }
    sent_file(ctx, map);
    sent_to_address(ctx, map);
    if top {
        destination::result_written(ctx, map);
    }
    if !ctx.name_reads {
        container::host_reached(ctx, map);
    }
    if top && !judged_elsewhere {
        super::datastore::command_document(ctx, map);
    }
    if top && !judged_elsewhere {
        if !ctx.name_reads && !ctx.search_tool {
            operation_named(ctx, map);
        } else {
            destroying_operation(ctx, map);
            change_flag(ctx, map);
            nested_operations(ctx, map);
        }
        delete_flag(ctx, map);
        if !ctx.name_reads && !ctx.search_tool {
            trash_state(ctx, map);
            resource_action(ctx, map);
        }
    }
    if !ctx.name_reads && !ctx.search_tool {
        protection_off(ctx, map);
        security_off(ctx, map);
        if top {
            overwritten(ctx, map);
            install_scripts(ctx, map);
        }
        // Also a file inside a list (`push_files {"files": [{"path", "content"}]}`, GitLab's
        // commit `actions`; the twenty-second sets).
        ci_secrets(ctx, map);
    }
}

/// `{"signal": "SIGKILL", "pid": 1}`: judged as `kill -KILL 1`.
fn signal(ctx: &mut Ctx, map: &Map<String, Value>) {
    let Some(sig) = ["signal", "sig"].iter().find_map(|k| map.get(*k)) else {
        return;
    };
    let pids: Vec<String> = ["pid", "pids", "process_id", "processid", "process"]
        .iter()
        .filter_map(|k| map.get(*k))
        .flat_map(|v| match v {
            Value::Array(items) => items.iter().map(scalar).collect(),
            other => vec![scalar(other)],
        })
        .flatten()
        .collect();
    let Some(sig) = scalar(sig) else { return };
    if pids.is_empty() {
        return;
    }
    let name = sig.trim_start_matches('-');
    let name = name.strip_prefix("SIG").unwrap_or(name);
    let mut argv = vec!["kill".to_string(), format!("-{name}")];
    argv.extend(pids);
    ctx.via("a signal sent to a process", |ctx| {
        shell::analyse_argv(ctx, &argv, 1)
    });
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A Kubernetes manifest as YAML text: every document is parsed; containers' commands are
/// judged as commands, and pods that reach the host (privileged, host namespaces, host
/// paths, added capabilities) or access objects are admin. Text that does not parse as YAML
/// is at least a write.
fn manifest(ctx: &mut Ctx, text: &str) {
    if !(text.contains("kind:") || text.contains("apiVersion:")) {
        return;
    }
    ctx.add(Mutating, "kubernetes: applies a manifest");
    let mut docs = Vec::new();
    for doc in serde_yaml_ng::Deserializer::from_str(text) {
        match serde::Deserialize::deserialize(doc) {
            Ok(v) => docs.push(v),
            Err(e) => {
                ctx.add(
                    Admin,
                    format!("kubernetes: the manifest does not parse as YAML ({e})"),
                );
                return;
            }
        }
    }
    for doc in &docs {
        pod_fields(ctx, doc, 0);
    }
}

/// What a manifest document's fields do, searched to a bounded depth.
fn pod_fields(ctx: &mut Ctx, v: &Value, depth: usize) {
    if depth > 32 {
        ctx.add(Admin, "kubernetes: the manifest nests too deep to judge");
        return;
    }
    match v {
        Value::Object(map) => {
            if let Some(kind) = map.get("kind").and_then(Value::as_str)
                && matches!(
                    kind,
                    "ClusterRole" | "ClusterRoleBinding" | "Role" | "RoleBinding"
                )
            {
                ctx.add(Admin, format!("kubernetes: a `{kind}` changes access"));
            }
            for (k, field) in map {
                let on = field.as_bool() == Some(true);
                match k.as_str() {
                    "privileged"
                    | "hostPID"
                    | "hostNetwork"
                    | "hostIPC"
                    | "allowPrivilegeEscalation"
                        if on =>
                    {
                        ctx.add(Admin, format!("kubernetes: `{k}: true` reaches the host"));
                    }
                    "hostPath" => ctx.add(Admin, "kubernetes: a `hostPath` volume mounts the host"),
                    "add"
                        if field.to_string().contains("SYS_ADMIN")
                            || field.to_string().contains("\"ALL\"") =>
                    {
                        ctx.add(Admin, "kubernetes: adds powerful capabilities");
                    }
                    _ => {}
                }
            }
            if let Some(Value::Array(cmd)) = map.get("command")
                && structured::is_argv(cmd)
            {
                let mut argv: Vec<String> = cmd
                    .iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect();
                if let Some(Value::Array(rest)) = map.get("args") {
                    argv.extend(rest.iter().filter_map(Value::as_str).map(str::to_string));
                }
                ctx.via("a container command in the manifest", |ctx| {
                    shell::analyse_argv(ctx, &argv, 1)
                });
            }
            for field in map.values() {
                pod_fields(ctx, field, depth + 1);
            }
        }
        Value::Array(items) => {
            for item in items {
                pod_fields(ctx, item, depth + 1);
            }
        }
        _ => {}
    }
}

/// Roles that hold every right over what they are given on.
const OWNER_ROLES: &[&str] = &[
    "owner",
    "admin",
    "administrator",
    "superuser",
    "super_admin",
    "superadmin",
    "root",
    "organizer",
    "co-owner",
    "coowner",
    "maintainer",
    "cluster-admin",
];

/// An owner or admin role (or an admin flag set to true) in the input of a tool whose name
/// does not read: the call grants access (`shareDocument` with `role: owner`,
/// `{"is_admin": true}`). A read names a role only to filter by it, so reads are exempt.
fn granted_role(ctx: &mut Ctx, map: &Map<String, Value>) {
    for (k, v) in role_fields(map) {
        ctx.add(Admin, format!("grants `{k}: {v}` (owner or admin access)"));
    }
}

/// The owner/admin fields of an object: `role`, `permission`, `access_level` … naming an
/// owner role, or `is_admin`-style flags set to true.
fn role_fields(map: &Map<String, Value>) -> Vec<(String, String)> {
    const ROLE_KEYS: &[&str] = &[
        "role",
        "roles",
        "permission",
        "permissions",
        "access",
        "access_level",
        "accesslevel",
        "permission_level",
        "level",
        "privilege",
        "privileges",
        "grant",
        "member_role",
    ];
    const FLAG_KEYS: &[&str] = &[
        "is_admin",
        "isadmin",
        "admin",
        "is_superuser",
        "superuser",
        "is_staff",
        "is_owner",
        "site_admin",
        "is_root",
    ];
    let mut out = Vec::new();
    for (k, v) in map {
        let lk = k.to_ascii_lowercase();
        if FLAG_KEYS.contains(&lk.as_str()) && v.as_bool() == Some(true) {
            out.push((k.clone(), "true".to_string()));
        }
        if ROLE_KEYS.contains(&lk.as_str()) {
            let values: Vec<&str> = match v {
                Value::String(s) => vec![s.as_str()],
                Value::Array(items) => items.iter().filter_map(Value::as_str).collect(),
                _ => Vec::new(),
            };
            if let Some(r) = values
                .iter()
                .find(|r| OWNER_ROLES.contains(&r.to_ascii_lowercase().as_str()))
            {
                out.push((k.clone(), (*r).to_string()));
            }
        }
    }
    out
}

/// Fields that make a resource reachable by anyone. Unambiguous ones count at any depth
/// (`anyone_with_link`, a public canned ACL, `allUsers`, a `*` principal, `0.0.0.0/0`,
/// `publicly_accessible: true`, a public-access block turned off); the ones that are also
/// filters or plain settings elsewhere (`visibility: public`, `public: true`,
/// `private: false`, `type: anyone`) only in the input itself (`top`).
pub(crate) fn exposed_fields(map: &Map<String, Value>, top: bool) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in map {
        let key: String = k
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        let strings: Vec<String> = match v {
            Value::String(s) => vec![s.to_ascii_lowercase()],
            Value::Array(items) => items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_ascii_lowercase)
                .collect(),
            _ => Vec::new(),
        };
        let has = |vals: &[&str]| strings.iter().any(|s| vals.contains(&s.as_str()));
        let on = v.as_bool() == Some(true);
        let off = v.as_bool() == Some(false);
        let exposed = match key.as_str() {
            "anyonewithlink" | "anyonecanview" | "anyonecanedit" | "sharewithanyone" => {
                on || strings
                    .iter()
                    .any(|s| !matches!(s.as_str(), "" | "none" | "off" | "false" | "disabled"))
            }
            "acl" | "cannedacl" | "predefinedacl" | "xamzacl" | "objectacl"
            | "defaultobjectacl" => has(&[
                "public-read",
                "public-read-write",
                "authenticated-read",
                "publicread",
                "publicreadwrite",
                "allusers",
                "allauthenticatedusers",
            ]),
            "member" | "members" | "entity" | "grantee" | "granteeuri" | "principals" | "users"
            | "uri" => has(&[
                "allusers",
                "allauthenticatedusers",
                "http://acs.amazonaws.com/groups/global/allusers",
            ]),
            "principal" => has(&["*"]) || v.get("AWS").and_then(Value::as_str) == Some("*"),
            "publiclyaccessible"
            | "publicaccess"
            | "makepublic"
            | "allowpublic"
            | "allowpublicaccess"
            | "publicnetworkaccess" => on || has(&["enabled", "true", "public"]),
            "blockpublicacls"
            | "blockpublicpolicy"
            | "ignorepublicacls"
            | "restrictpublicbuckets" => off,
            "cidrip"
            | "cidr"
            | "cidrblock"
            | "sourceranges"
            | "cidripv6"
            | "ipv6cidrblock"
            | "sourceaddressprefix" => has(&["0.0.0.0/0", "::/0", "*", "internet"]),
            "visibility" | "privacy" | "sharing" | "linksharing" | "generalaccess" | "audience"
            | "sharemode" | "accesslevel" | "publicity"
                if top =>
            {
                has(&[
                    "public",
                    "anyone",
                    "everyone",
                    "anyonewithlink",
                    "anyone_with_link",
                    "world",
                    "internet",
                ])
            }
            "public" | "ispublic" if top => on,
            "private" | "isprivate" if top => off,
            "type" if top => has(&["anyone"]),
            _ => false,
        };
        if exposed {
            let shown = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.push((k.clone(), super::prefix(&shown, 60).to_string()));
        }
    }
    out
}

/// An HTTP request whose body is a secret file (`body_file: ~/.ssh/id_rsa`) sends it away; a
/// write whose body sets owner or admin fields grants access.
fn sent_file(ctx: &mut Ctx, map: &Map<String, Value>) {
    let method = map
        .get("method")
        .and_then(Value::as_str)
        .map(str::to_ascii_uppercase);
    let is_request = method.is_some() || map.contains_key("url") || map.contains_key("uri");
    if !is_request && !ctx.sends {
        return;
    }
    for key in [
        "body_file",
        "file",
        "upload",
        "upload_file",
        "data_file",
        "attachment",
        "files",
        "input_file",
        "payload_file",
        "file_path",
        "uploads",
        "attachments",
        "multipart",
        "form_files",
        "form",
        "attachment_paths",
        "file_paths",
        "paths",
    ] {
        let mut paths: Vec<&str> = Vec::new();
        if let Some(v) = map.get(key) {
            file_strings(v, 0, &mut paths);
        }
        // `@file` and `<file` as curl's form fields write them; a directory is its files.
        if let Some(p) = paths.into_iter().find(|p| {
            let p = p.trim().trim_start_matches(['@', '<']);
            args::secret_path(p) || args::secret_path(&format!("{}/", p.trim_end_matches('/')))
        }) {
            ctx.add(
                Admin,
                if is_request {
                    format!("http: sends the secret file `{p}` in the request")
                } else {
                    format!("sends the secret file `{p}` (the tool sends what it is given)")
                },
            );
        }
    }
    let writes = method
        .as_deref()
        .is_some_and(|m| matches!(m, "POST" | "PUT" | "PATCH"));
    if writes
        && let Some(Value::Object(body)) = ["body", "json", "data", "payload"]
            .iter()
            .find_map(|k| map.get(*k))
    {
        for (k, v) in role_fields(body) {
            ctx.add(
                Admin,
                format!("http: the request sets `{k}: {v}` (grants access)"),
            );
        }
        for (k, v) in exposed_fields(body, true) {
            ctx.add(
                Admin,
                format!("http: the request sets `{k}: {v}` (makes a resource public)"),
            );
        }
        let url = ["url", "uri"]
            .iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str))
            .unwrap_or("");
        let path = url.split(['?', '#']).next().unwrap_or(url);
        let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or("");
        if let Some(why) = body_protection_off(body, last, 0) {
            ctx.add(Admin, format!("http: the request {why}"));
        }
    }
}

/// Words of a setting that protects an account or data: two-factor, secret scanning, a WAF,
/// TLS, encryption, versioning, logging and audit, deletion protection, password protection.
const PROTECTIONS: &[&str] = &[
    "twofactor",
    "2fa",
    "mfa",
    "secretscanning",
    "pushprotection",
    "waf",
    "ssl",
    "tls",
    "alwaysusehttps",
    "encryption",
    "versioning",
    "logging",
    "audit",
    "protection",
    "passwordenabled",
    "oslogin",
    "firewall",
    "signing",
    "verification",
    "httptokens",
    "ssoenforced",
    "requiresso",
];

/// A write body that turns a protection off (`{"two_factor_requirement_enabled": false}`,
/// `{"security_and_analysis": {"secret_scanning": {"status": "disabled"}}}`, Cloudflare's
/// `settings/waf` with `{"value": "off"}`, `{"Status": "Suspended"}` for versioning) or sets a
/// password (`{"password": …}`, `{"MasterUserPassword": …}`). `context` is the key or path
/// segment the map sits under.
pub(crate) fn body_protection_off(
    map: &Map<String, Value>,
    context: &str,
    depth: usize,
) -> Option<String> {
    if depth > 4 {
        return None;
    }
    let norm = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let context = norm(context);
    for (k, v) in map {
        let key = norm(k);
        if key.contains("password") || key == "pwd" || key == "passwd" {
            let set = match v {
                Value::String(s) => !s.is_empty(),
                Value::Object(_) => true,
                _ => false,
            };
            // `passwordEnabled: false` is a switch, judged below.
            if set && !key.ends_with("enabled") {
                return Some(format!("sets a password (`{k}`)"));
            }
        }
        let protected = |s: &str| PROTECTIONS.iter().any(|p| s.contains(p));
        let off = match v {
            Value::Bool(b) => !b,
            Value::String(s) => matches!(
                s.to_ascii_lowercase().as_str(),
                "off" | "disabled" | "disable" | "suspended" | "optional" | "none" | "false"
            ),
            _ => false,
        };
        if off && (protected(&key) || protected(&context)) {
            return Some(format!("turns off a protection (`{k}` under `{context}`)"));
        }
        if let Value::Object(inner) = v {
            let under = format!("{context}{key}");
            if let Some(why) = body_protection_off(inner, &under, depth + 1) {
                return Some(why);
            }
        }
    }
    None
}

/// The strings of an upload field: a path, a list of paths, a map of field names to paths,
/// or `(name, path)` pairs, to a bounded depth.
fn file_strings<'a>(v: &'a Value, depth: usize, out: &mut Vec<&'a str>) {
    match v {
        Value::String(s) => out.push(s.as_str()),
        Value::Array(items) if depth < 4 => {
            for i in items {
                file_strings(i, depth + 1, out);
            }
        }
        Value::Object(m) if depth < 4 => {
            for i in m.values() {
                file_strings(i, depth + 1, out);
            }
        }
        _ => {}
    }
}
