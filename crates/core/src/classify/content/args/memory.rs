//! Physical and kernel memory read as a file (the twenty-fifth sets): `/dev/mem`, `/dev/kmem`,
//! `/dev/port`, `/proc/kcore` and a process's `/proc/PID/mem` hold every secret the machine
//! has in memory (keys, tokens, other users' sessions), and a read of `/dev/port` or of a
//! device's memory window can itself upset the hardware. Reading them is a credential leak,
//! never a read (`destructive`). `/proc/meminfo`, `/dev/memory_bandwidth`, `/proc/self/maps`
//! are not them.

/// True if `path` names physical or kernel memory (also `//dev/mem`, `/dev/./mem`, a `dd`
/// `if=` value, surrounding quotes).
pub(crate) fn memory_device(path: &str) -> bool {
    let p = path.trim().trim_matches(['"', '\'']);
    let p = p.strip_prefix("if=").unwrap_or(p);
    // Cheap first: every spelling holds `/dev` or `/proc`.
    if !(p.contains("/dev") || p.contains("/proc")) {
        return false;
    }
    if exact(p) {
        return true;
    }
    super::spelled::plain(p).is_some_and(|q| exact(&q))
}

fn exact(p: &str) -> bool {
    if matches!(p, "/dev/mem" | "/dev/kmem" | "/dev/port" | "/proc/kcore") {
        return true;
    }
    // `/proc/1/mem`, `/proc/self/mem`, `/proc/1/task/1/mem`.
    p.strip_prefix("/proc/")
        .and_then(|r| r.strip_suffix("/mem"))
        // A process named by an expansion too (`/proc/$$/mem`, `/proc/$(pgrep sshd)/mem`,
        // shown as `/proc/$/mem`, `/proc/$(…)/mem`).
        .is_some_and(|mid| !mid.is_empty() && mid.split('/').all(|s| !s.is_empty()))
}

/// True if code names physical or kernel memory in a literal (`open('/dev/mem', 'rb')`,
/// `fs.readFileSync("/proc/kcore")`).
pub(crate) fn code_reads_memory(code: &str) -> bool {
    if !(code.contains("/dev/") || code.contains("/proc/")) {
        return false;
    }
    code.split(['\'', '"', '`', ' ', '(', ')', ',', '\n'])
        .any(memory_device)
}

/// Physical or kernel memory read as a file (`cat /dev/mem`, `dd if=/proc/kcore`; the
/// twenty-fifth sets, `args/memory.rs`): a listing names it without reading it (`ls -la
/// /dev/mem`), and a search's first operand is its pattern (`grep -r /dev/mem docs/`).
pub(crate) fn memory_read(
    sh: &mut super::super::shell::Sh,
    name: &str,
    args: &[String],
    operands: &[String],
    cmd: &str,
) {
    let lists = matches!(
        name,
        "ls" | "stat" | "file" | "du" | "readlink" | "realpath" | "lsattr" | "namei" | "test"
    );
    let read = match name {
        _ if lists => false,
        "grep" | "egrep" | "fgrep" | "rg" | "zgrep" | "ag" => {
            operands.iter().skip(1).any(|a| memory_device(a))
        }
        _ => args.iter().any(|a| memory_device(a)),
    };
    if read {
        sh.add(
            crate::Effect::Destructive,
            format!("{cmd} reads physical or kernel memory (every secret in it)"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_devices_and_their_twins() {
        for p in [
            "/dev/mem",
            "/dev/kmem",
            "/dev/port",
            "/proc/kcore",
            "/proc/1/mem",
            "/proc/self/mem",
            "/proc/1/task/1/mem",
            "//dev/mem",
            "/dev/./mem",
            "if=/dev/mem",
            "'/proc/kcore'",
            "/proc/$/mem",
            "/proc/$(…)/mem",
        ] {
            assert!(memory_device(p), "{p}");
        }
        for p in [
            "/proc/meminfo",
            "/dev/memory_bandwidth",
            "/proc/self/maps",
            "/proc//mem",
            "/dev/null",
            "mem",
            "/srv/dev/mem",
            "/proc/1/mem/x",
        ] {
            assert!(!memory_device(p), "{p}");
        }
        assert!(code_reads_memory("open('/dev/mem','rb').read(100)"));
        assert!(!code_reads_memory("open('/proc/meminfo').read()"));
    }
}
