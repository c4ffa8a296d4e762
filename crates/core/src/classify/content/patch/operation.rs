//! The Responses API's `apply_patch` tool (the twenty-second sets): the model sends one
//! file operation, `{"type": "create_file" | "update_file" | "delete_file", "path": …,
//! "diff": …}`, not a patch text, so nothing was judged but the name (`apply_patch`
//! deleting `src/main.rs` or updating `~/.bashrc` was a plain write). The operation is
//! judged as the Codex patch that does the same: a deletion is `rm -f`, a created file is
//! written with the diff's lines, an update appends the lines it adds.

use serde_json::{Map, Value};

use super::super::Ctx;

/// Judges `map` when it is such an operation.
pub(crate) fn judge(ctx: &mut Ctx, map: &Map<String, Value>, depth: usize) {
    // The cheap test first: this runs for every object.
    let Some(kind) = map.get("type").and_then(Value::as_str) else {
        return;
    };
    // In any case, with `_`, `-` or neither (`DELETE_FILE`, `deleteFile`; the review of the
    // twenty-second sets): a port's spelling.
    let is = |name: &str| super::super::keys::spelled(kind, name);
    let (kind, header) = if is("deletefile") {
        ("delete_file", "*** Delete File:")
    } else if is("createfile") {
        ("create_file", "*** Add File:")
    } else if is("updatefile") {
        ("update_file", "*** Update File:")
    } else {
        return;
    };
    let Some(path) = map
        .get("path")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|p| !p.is_empty() && !p.contains(['\n', '\r']))
    else {
        return;
    };
    let diff = map.get("diff").and_then(Value::as_str).unwrap_or("");
    let mut text = format!("*** Begin Patch\n{header} {path}\n");
    if kind != "delete_file" {
        for line in diff.lines().map(|l| l.trim_end_matches('\r')) {
            // A created file's lines are all added (`+`), with or without the sign.
            if kind == "create_file" && !line.starts_with('+') {
                text.push('+');
            }
            text.push_str(line);
            text.push('\n');
        }
    }
    text.push_str("*** End Patch\n");
    ctx.via("an `apply_patch` operation", |ctx| {
        super::judge(ctx, &text, depth + 1)
    });
}
