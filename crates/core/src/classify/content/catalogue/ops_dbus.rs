//! D-Bus clients (`busctl`, `dbus-send`, `gdbus`, `qdbus`): a method call does what the
//! service's method does, so the method's name decides. systemd's and logind's managers stop
//! units and power the machine off, UDisks formats disks, and a transient unit runs any
//! command as the service's user (root for systemd). No call is read: what a method changes is
//! the service's business.

use super::super::super::shell::Sh;
use crate::Effect::{self, Admin, Destructive, Mutating, Read};

/// Methods that stop, kill, remove or power off.
const DESTROYS: &[&str] = &[
    "PowerOff",
    "Reboot",
    "Halt",
    "KExec",
    "SoftReboot",
    "Suspend",
    "Hibernate",
    "HybridSleep",
    "SuspendThenHibernate",
    "StopUnit",
    "KillUnit",
    "CleanUnit",
    "FreezeUnit",
    "MaskUnitFiles",
    "DisableUnitFiles",
    "DisableUnitFilesWithFlags",
    "DisableUnitFilesWithFlagsAndInstallInfo",
    "TerminateSession",
    "TerminateUser",
    "TerminateSeat",
    "KillSession",
    "KillUser",
    "Exit",
    "Format",
    "Delete",
    "RemovePackages",
    "Unmount",
    "PowerOffDrive",
    // A unit's or a session's own object (`…/unit/postgresql_2eservice` `Unit.Stop`).
    "Stop",
    "Kill",
    "Terminate",
];

/// Targets that stop the machine or most of it, started by `StartUnit` and its kin.
const STOPPING_TARGETS: &[&str] = &[
    "poweroff.target",
    "reboot.target",
    "halt.target",
    "kexec.target",
    "rescue.target",
    "emergency.target",
    "soft-reboot.target",
];

/// Methods that run a command, install a unit or change who may do what.
const ADMINS: &[&str] = &[
    "StartTransientUnit",
    "EnableUnitFiles",
    "EnableUnitFilesWithFlags",
    "LinkUnitFiles",
    "PresetUnitFiles",
    "PresetAllUnitFiles",
    "SetUnitProperties",
    "SetEnvironment",
    "UnsetAndSetEnvironment",
    "InstallPackages",
    "InstallFiles",
    "UpdatePackages",
    "SetDefaultTarget",
    "AddMatch",
];

/// The words of a call's arguments that can name its method: `busctl call … IFACE METHOD`,
/// `dbus-send … IFACE.METHOD`, `gdbus call --method IFACE.METHOD`, `qdbus SVC PATH
/// IFACE.METHOD`. Each word's part after its last `.` is matched, so a method is found
/// wherever the client takes it.
fn method_of(word: &str) -> &str {
    let word = word.split_once('=').map_or(word, |(_, v)| v);
    word.rsplit('.').next().unwrap_or(word)
}

pub(super) fn dbus(_sh: &mut Sh, name: &str, args: &[String]) -> (Effect, String) {
    let first = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str)
        .unwrap_or("");
    // `busctl list`, `status`, `tree`, `introspect`, `get-property` only look.
    let looks = name == "busctl"
        && matches!(
            first,
            "list" | "status" | "tree" | "introspect" | "get-property" | "help"
        )
        && args
            .iter()
            .all(|a| !a.starts_with('-') || a == "--system" || a == "--user");
    if let Some(t) = args.iter().find(|a| STOPPING_TARGETS.contains(&a.as_str())) {
        return (Destructive, format!("starts `{t}` through D-Bus"));
    }
    for a in args {
        let m = method_of(a);
        if DESTROYS.contains(&m) {
            return (Destructive, format!("calls D-Bus method `{m}`"));
        }
        if ADMINS.contains(&m) {
            return (Admin, format!("calls D-Bus method `{m}`"));
        }
    }
    if looks {
        return (
            Read,
            format!("lists or describes D-Bus objects (`{first}`)"),
        );
    }
    (Mutating, "calls a D-Bus method".into())
}
