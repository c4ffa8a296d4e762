//! Physical and kernel memory read as a file (the twenty-fifth sets): `/dev/mem`, `/dev/kmem`,
//! `/dev/port`, `/proc/kcore` and a process's `/proc/PID/mem` hold every secret the machine
//! has in memory (keys, tokens, other users' sessions), and a read of `/dev/port` or of a
//! device's memory window can itself upset the hardware. Reading them is a credential leak,
//! never a read (`destructive`). `/proc/meminfo`, `/dev/memory_bandwidth`, `/proc/self/maps`
//! are not them.

/// True if `path` names physical or kernel memory (also `//dev/mem`, `/dev/./mem`, a `dd`
/// `if=` value, surrounding quotes).
pub(crate) fn memory_device(path: &str) -> bool {
    // Cheap first: every literal spelling holds `/dev` or `/proc` (trimming cannot add one);
    // a glob may spell the directory too (`/???/mem`, `/d[e]v/mem`; the review of the
    // twenty-sixth sets: the glob rule's own `/???/mem` never got past this check).
    let globbed = || path.len() <= 256 && path.contains(['*', '?', '[', '{']);
    if !names_dev_or_proc(path) && !globbed() {
        return false;
    }
    let p = path.trim().trim_matches(['"', '\'']);
    let p = p.strip_prefix("if=").unwrap_or(p);
    // A `file://` URI names the same file (the twenty-sixth sets).
    let p = p.strip_prefix("file://").unwrap_or(p);
    if exact(p) || super::memory_spelled::pattern_names_memory(p) {
        return true;
    }
    super::spelled::plain(p).is_some_and(|q| exact(&q))
}

/// True if `s` holds `/dev` or `/proc`: a scan for `/` with no searcher to build (this runs for
/// every operand of every file program, so `str::contains` of two needles cost each command
/// line of an agent's ordinary reads about a thousand instructions).
fn names_dev_or_proc(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c == b'/'
            && b.get(i + 1..)
                .is_some_and(|r| r.starts_with(b"dev") || r.starts_with(b"proc"))
    })
}

fn exact(p: &str) -> bool {
    // `/proc/vmcore` and `/dev/crash` are the same memory seen by a crash kernel or a
    // debugger's driver (the review of the twenty-fifth sets).
    if matches!(
        p,
        "/dev/mem" | "/dev/kmem" | "/dev/port" | "/proc/kcore" | "/proc/vmcore" | "/dev/crash"
    ) {
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
    if !(code.contains("/dev") || code.contains("/proc")) {
        return false;
    }
    code.split(['\'', '"', '`', ' ', '(', ')', ',', '\n'])
        .any(memory_device)
        || super::memory_spelled::code_joins_memory(code)
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
    // A name printed is not read (`echo /dev/mem`; the review of the twenty-fifth sets), but
    // `file -s` reads a device's content.
    let lists = matches!(
        name,
        "ls" | "stat"
            | "du"
            | "readlink"
            | "realpath"
            | "lsattr"
            | "namei"
            | "test"
            | "echo"
            | "printf"
            | "basename"
            | "dirname"
    ) || name == "file"
        && !args.iter().any(|a| {
            a == "--special-files" || a.starts_with('-') && !a.starts_with("--") && a.contains('s')
        });
    // An operand the line fills from a literal it holds (`M=/dev/mem; cat $M`, `cd /dev;
    // cat mem`, `find /dev -name mem -exec cat {} \;`; the twenty-sixth sets).
    // `find`'s own `{}` is filled by what it finds, judged in the command it runs. The
    // line's literals are gathered once per line, not per command (the review of the
    // twenty-sixth sets).
    let filler = (name != "find").then(|| sh.memory_filler()).flatten();
    let hit = |a: &String| memory_device(a) || filler.as_ref().is_some_and(|f| f.names_memory(a));
    let read = match name {
        _ if lists => false,
        // The pattern is the first operand unless a flag gives it (`grep -e pass /dev/mem`,
        // `grep -f pats /dev/mem`: every operand is a file).
        "grep" | "egrep" | "fgrep" | "rg" | "zgrep" | "ag" => {
            let flagged = args.iter().any(|a| {
                matches!(a.as_str(), "-e" | "-f" | "--regexp" | "--file")
                    || a.starts_with("--regexp=")
                    || a.starts_with("--file=")
                    || a.starts_with('-') && !a.starts_with("--") && a.contains(['e', 'f'])
            });
            operands.iter().skip(usize::from(!flagged)).any(hit)
        }
        _ => args.iter().any(hit),
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
            "/proc/vmcore",
            "/dev/crash",
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
