//! Files written into a hosted repository by its API (`mcp__github__create_or_update_file`,
//! `push_files`, `gitlab_create_commit` with `actions`): the content is published to everyone
//! with access to the repository, and some paths decide who may change it.
//!
//! They only raise: a credential in the content is sent away (admin), and a `CODEOWNERS` file
//! changes who must approve changes (admin).

use serde_json::{Map, Value};

use super::{Ctx, http, snippet};
use crate::Effect::Admin;
use crate::classify::name::words;

/// Words of a tool's name that say it acts on a hosted repository.
const HOSTS: &[&str] = &[
    "github",
    "gitlab",
    "bitbucket",
    "gitea",
    "forgejo",
    "codeberg",
    "azure_repos",
];

/// Keys of a file's path and of its new text.
const PATH_KEYS: &[&str] = &["path", "file_path", "filepath", "filename"];
const CONTENT_KEYS: &[&str] = &["content", "contents", "file_content", "text"];
/// Keys of the lists of files a commit writes.
const FILE_LISTS: &[&str] = &["files", "actions", "changes"];

/// Judges the files `input` writes when `tool` names a hosted repository (the caller checks
/// that the tool's name writes).
pub(crate) fn analyse(ctx: &mut Ctx, tool: &str, input: &Value) {
    let Value::Object(map) = input else { return };
    // Cheap test first: this runs for every call whose name writes.
    let files = PATH_KEYS
        .iter()
        .chain(CONTENT_KEYS)
        .chain(FILE_LISTS)
        .any(|k| map.contains_key(*k));
    if !files {
        return;
    }
    let hosted = words(tool).iter().any(|w| HOSTS.contains(&w.as_str()));
    if !hosted {
        return;
    }
    file(ctx, map);
    for list in FILE_LISTS {
        for item in map
            .get(*list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Value::Object(m) = item {
                file(ctx, m);
            }
        }
    }
}

fn file(ctx: &mut Ctx, map: &Map<String, Value>) {
    let get = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| map.get(*k).and_then(Value::as_str))
    };
    let path = get(PATH_KEYS);
    if let Some(p) = path.filter(|p| codeowners(p)) {
        ctx.add(
            Admin,
            format!(
                "writes {} into a hosted repository, which decides who must approve changes",
                snippet(p)
            ),
        );
    }
    if let Some(what) = get(CONTENT_KEYS).and_then(http::credential_in) {
        ctx.add(
            Admin,
            format!(
                "commits {what} into a hosted repository{}",
                path.map(|p| format!(" ({})", snippet(p)))
                    .unwrap_or_default()
            ),
        );
    }
}

/// `CODEOWNERS` at the root, in `.github/`, `.gitlab/` or `docs/`.
fn codeowners(path: &str) -> bool {
    let p = path.trim_start_matches('/').to_ascii_lowercase();
    matches!(
        p.as_str(),
        "codeowners" | ".github/codeowners" | ".gitlab/codeowners" | "docs/codeowners"
    )
}
