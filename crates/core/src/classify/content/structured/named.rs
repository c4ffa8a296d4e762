//! Commands and operands a program tool names outside its usual keys (the review of the
//! twenty-fifth sets): Docker's container given as `container_id`/`container_name`, and an
//! rclone tool whose name names a command beside its `mode` field.

use super::super::{Ctx, shell};
use super::Program;

/// Docker's container named by its id or name key (`docker_exec {"container_id": "c",
/// "args": ["rm", "-rf", "/data"]}`) is the operand `container` is: read as a flag it put
/// the container after the command. (`containerId` matches too: keys are compared in
/// snake case.)
pub(super) fn docker_ids(program: Program) -> &'static [&'static str] {
    if program == Program::Docker {
        &["container_id", "container_name"]
    } else {
        &[]
    }
}

/// An rclone tool's name may name the command beside a `mode` field (`rclone_sync {"mode":
/// "ls"}`, which set 25b read as `rclone ls` only): the name's command is judged too.
pub(super) fn rclone_name(ctx: &mut Ctx, name_rest: &[String], by_mode: bool) {
    let Some(w) = name_rest
        .iter()
        .find(|w| *w != "rclone")
        .filter(|_| by_mode)
    else {
        return;
    };
    let named = vec!["rclone".to_string(), w.clone()];
    ctx.via(format!("rclone read as rclone {w}"), |ctx| {
        shell::analyse_argv(ctx, &named, 1)
    });
}
