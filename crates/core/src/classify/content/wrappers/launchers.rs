//! `newgrp GROUP` starts a shell in another group, and that shell reads its input (the
//! twenty-sixth sets): `newgrp wheel <<< 'rm -rf /srv'` runs the here-string as a command
//! line. It was an unknown program (`mutating`, its input unseen). Other launchers (`tmux`,
//! `screen`, `xvfb-run`, `proot`) were already judged by the commands in their arguments.

use super::super::shell::{Input, Sh};
use super::run_command_text;
use crate::Effect::Mutating;

/// Judges `newgrp`; `None` for any other name.
pub(super) fn launch(sh: &mut Sh, name: &str, stdin: &Input, cmd: &str) -> Option<Input> {
    if name != "newgrp" {
        return None;
    }
    // Never below what it was: a shell with another group's rights.
    sh.add(Mutating, format!("{cmd} starts a shell in another group"));
    if let Input::Literal(text) = stdin {
        run_command_text(sh, text, "`newgrp`");
    }
    Some(Input::None)
}
