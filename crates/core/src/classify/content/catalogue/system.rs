//! System programs with read-only forms: firewalls, kernel settings, network tools, key
//! tools, `kill`, and ZFS dry runs.

use super::super::args::{has_long, has_short, sensitive_path};
use super::super::shell::{Input, Sh};
use crate::Effect::{Admin, Destructive, Mutating, Read};

/// `zfs destroy -n …` and `zpool create|add|remove|split -n …`: the flags come before the
/// operands, and one of them is a short cluster holding `n`.
pub(super) fn zfs_dry_run(name: &str, args: &[String]) -> bool {
    let Some((sub, rest)) = args.split_first() else {
        return false;
    };
    // The flags of each subcommand that take no value: a cluster of them can hold `-n`.
    let switches = match (name, sub.as_str()) {
        ("zfs", "destroy") => "dfnpRrv",
        ("zpool", "create") => "dfn",
        ("zpool", "add") => "fgLnP",
        ("zpool", "remove") => "npsw",
        ("zpool", "split") => "gLnPl",
        _ => return false,
    };
    let clusters = rest
        .iter()
        .take_while(|a| a.starts_with('-') && !a.starts_with("--") && a.len() > 1);
    clusters.clone().any(|a| a.contains('n'))
        && clusters
            .clone()
            .all(|a| a.chars().skip(1).all(|c| switches.contains(c)))
}

pub(super) fn kill(sh: &mut Sh, args: &[String], cmd: &str) {
    // Listing is the first option written alone: a signal name such as `-KILL` or `-ALRM`
    // contains the letter but kills.
    let lists = args
        .first()
        .is_some_and(|a| matches!(a.as_str(), "-l" | "-L" | "--list" | "--table"));
    let probes = args
        .first()
        .is_some_and(|a| a == "-0" || a == "-s0" || a == "-SIGNULL")
        || args
            .windows(2)
            .any(|w| w.first().is_some_and(|a| a == "-s") && w.get(1).is_some_and(|b| b == "0"));
    if lists || probes {
        sh.add(Read, format!("{cmd} only checks or lists signals"));
    } else {
        sh.add(Destructive, format!("{cmd} kills processes"));
    }
}

/// Key tools that only print: `ssh-keygen -l/-F/-y`, `gpg --list-keys`, `openssl x509 -noout`.
pub(super) fn keys_read(name: &str, args: &[String]) -> bool {
    let any = |w: &[&str]| args.iter().any(|a| w.contains(&a.as_str()));
    match name {
        "ssh-keygen" => {
            ['l', 'F', 'y', 'L', 'B']
                .iter()
                .any(|c| has_short(args, *c))
                && ![
                    'R', 'p', 'c', 't', 'N', 'A', 'i', 'e', 'm', 's', 'k', 'u', 'Y',
                ]
                .iter()
                .any(|c| has_short(args, *c))
        }
        "gpg" | "gpg2" => args.iter().all(|a| {
            !a.starts_with('-')
                || matches!(
                    a.as_str(),
                    "--list-keys"
                        | "-k"
                        | "--list-secret-keys"
                        | "-K"
                        | "--fingerprint"
                        | "--list-sigs"
                        | "--check-sigs"
                        | "--verify"
                        | "--version"
                        | "--help"
                        | "--list-packets"
                        | "--with-colons"
                        | "--batch"
                        | "--no-tty"
                        | "-a"
                        | "--armor"
                        | "--export"
                        | "-d"
                        | "--decrypt"
                        | "--show-keys"
                        | "--keyid-format"
                        | "--with-fingerprint"
                        | "-q"
                        | "--quiet"
                        | "-v"
                )
        }),
        _ => !any(&[
            "-out",
            "-keyout",
            "genrsa",
            "genpkey",
            "gendsa",
            "ca",
            "-genkey",
            "-new",
            "-newkey",
            "-x509",
            "pkcs12",
            "-export",
            "srp",
            "-writerand",
            "engine",
        ]),
    }
}

/// Admin programs with read-only forms (listing rules, reading settings).
pub(super) fn admin(sh: &mut Sh, name: &str, args: &[String], cmd: &str) {
    // Every flag is one of `flags` (long) or a cluster of `short` letters; words without a
    // dash are operands (a chain, a table name).
    let only = |short: &str, long: &[&str], with_value: &[&str]| {
        let mut it = args.iter();
        while let Some(a) = it.next() {
            if with_value.contains(&a.as_str()) {
                it.next();
            } else if long.contains(&a.as_str()) {
                continue;
            } else if a.starts_with("--") {
                if !long.contains(&a.as_str()) {
                    return false;
                }
            } else if let Some(c) = a.strip_prefix('-')
                && (c.is_empty() || !c.chars().all(|c| short.contains(c)))
            {
                return false;
            }
        }
        true
    };
    let reads = match name {
        // Listing (`-L`, `-S`) with only display options: `-Z`, `--flush` and the rest change.
        "iptables" | "ip6tables" => {
            args.iter().any(|a| {
                a == "--list" || a == "--list-rules" || {
                    a.starts_with('-')
                        && !a.starts_with("--")
                        && (a.contains('L') || a.contains('S'))
                }
            }) && only(
                "LSnvx",
                &[
                    "--list",
                    "--list-rules",
                    "--numeric",
                    "--verbose",
                    "--exact",
                    "--line-numbers",
                ],
                &["-t", "--table", "-w", "--wait"],
            )
        }
        "iptables-save" => only("c", &["--counters"], &["-t", "--table", "-M", "--modprobe"]),
        "ufw" => args
            .first()
            .is_some_and(|a| a == "status" || a == "show" || a == "app"),
        // `nft list …` with display flags; `;` or a newline would start another command.
        "nft" => {
            let words: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
            words.first().is_some_and(|a| *a == "list")
                && !args.iter().any(|a| a.contains([';', '\n']))
                && only(
                    "anjstNSy",
                    &[
                        "--handle",
                        "--numeric",
                        "--json",
                        "--stateless",
                        "--terse",
                        "--guid",
                    ],
                    &[],
                )
        }
        "ipset" => args.first().is_some_and(|a| a == "list" || a == "-L"),
        "firewall-cmd" => args.iter().all(|a| {
            a.starts_with("--list")
                || a.starts_with("--get")
                || a.starts_with("--query")
                || a == "--state"
                || a.starts_with("--zone")
        }),
        // Reading keys: `-w`, `-p`/`-f`/`--load`, `--system` and `key=value` write.
        "sysctl" => {
            !args.iter().any(|a| a.contains('='))
                && only(
                    "aAXnNebqhVdr",
                    &[
                        "--all",
                        "--values",
                        "--names",
                        "--ignore",
                        "--binary",
                        "--quiet",
                        "--help",
                        "--version",
                        "--pattern",
                    ],
                    &["-r", "--pattern"],
                )
        }
        // `ip OBJECT [show|list|get]`: `netns exec`/`vrf exec` run commands, `-b`/`-batch`
        // read commands from a file, the other verbs change the network.
        "ip" => {
            const OBJECTS: &[&str] = &[
                "link",
                "l",
                "address",
                "addr",
                "a",
                "route",
                "r",
                "ro",
                "rule",
                "ru",
                "neighbour",
                "neighbor",
                "neigh",
                "n",
                "netns",
                "maddress",
                "maddr",
                "mroute",
                "tunnel",
                "tuntap",
                "xfrm",
                "ntable",
                "netconf",
                "token",
                "tcp_metrics",
                "vrf",
                "mptcp",
                "nexthop",
                "stats",
                "macsec",
                "l2tp",
                "fou",
                "sr",
                "ila",
                "monitor",
                "mr",
                "mrule",
                "addrlabel",
                "ioam",
            ];
            let flags_ok = only(
                "46DrsdotcjpnhVfaM0",
                &[
                    "-details",
                    "-stats",
                    "-statistics",
                    "-json",
                    "-pretty",
                    "-color",
                    "-brief",
                    "-br",
                    "-bri",
                    "-brie",
                    "-oneline",
                    "-resolve",
                    "-human",
                    "-timestamp",
                    "-all",
                ],
                &["-f", "-family", "-n", "-netns", "-c", "-color"],
            ) && !args.iter().any(|a| {
                // `-b`, `-batch` run commands from a file; `-br` is `-brief`.
                (a.starts_with("-b") && !(a.len() >= 3 && "-brief".starts_with(a.as_str())))
                    || a.starts_with("-force")
            });
            let object_ok = args
                .iter()
                .find(|a| !a.starts_with('-'))
                .is_none_or(|o| OBJECTS.contains(&o.as_str()));
            let changes = args.iter().any(|a| {
                matches!(
                    a.as_str(),
                    "add"
                        | "del"
                        | "delete"
                        | "set"
                        | "change"
                        | "replace"
                        | "flush"
                        | "append"
                        | "exec"
                        | "prepend"
                        | "restore"
                        | "attach"
                        | "detach"
                )
            });
            flags_ok && object_ok && !changes
        }
        "mount" => args
            .iter()
            .all(|a| matches!(a.as_str(), "-l" | "--show-labels" | "-v" | "--verbose")),
        // `route`, `route -n`: display flags only (`route flush`, `route del` change).
        "route" => {
            only(
                "neFCv46",
                &["--numeric", "--extend", "--fib", "--cache", "--verbose"],
                &["-A"],
            ) && args
                .iter()
                .all(|a| a.starts_with('-') || matches!(a.as_str(), "inet" | "inet6"))
        }
        // `nmcli con show`, `nmcli device status`: no verb that changes anything.
        "nmcli" => !args.iter().any(|a| {
            matches!(
                a.as_str(),
                "up" | "down"
                    | "delete"
                    | "del"
                    | "modify"
                    | "mod"
                    | "add"
                    | "on"
                    | "off"
                    | "connect"
                    | "disconnect"
                    | "reload"
                    | "load"
                    | "import"
                    | "edit"
                    | "clone"
                    | "set"
                    | "reapply"
                    | "hostname"
                    | "level"
                    | "domains"
                    | "--ask"
                    | "password"
                    | "hotspot"
                    | "rescan"
            )
        }),
        "ifconfig" | "timedatectl" | "hostnamectl" | "localectl" => {
            args.len() <= 1
                && !args
                    .iter()
                    .any(|a| a == "del" || a == "down" || a.starts_with("set-"))
        }
        _ => false,
    };
    if reads {
        sh.add(Read, format!("{cmd} reads"));
        return;
    }
    // `ip netns exec NS CMD…`, `ip vrf exec VRF CMD…` run CMD.
    if name == "ip"
        && let Some(at) = args.iter().position(|a| a == "exec")
        && args
            .iter()
            .take(at)
            .any(|a| matches!(a.as_str(), "netns" | "vrf" | "n"))
    {
        let inner = args.get(at + 2..).unwrap_or_default().to_vec();
        let _ = sh.argv(&inner, &Input::None, "`ip netns exec`");
    }
    if name == "chmod" {
        let wide = args.iter().any(|a| {
            a == "777"
                || a == "666"
                || a.contains("o+w")
                || a.contains("a+w")
                || a.contains("a+rwx")
                || a.contains("+s")
                || a.starts_with("47")
                || a.starts_with("27")
                || a.starts_with("67")
        });
        // A secret made readable by others (`cp ~/.ssh/id_rsa /tmp/k && chmod 644 /tmp/k`).
        let others_read = args.iter().any(|a| {
            let octal = a.len() >= 3
                && a.chars().all(|c| c.is_ascii_digit())
                && a.chars().last().is_some_and(|c| matches!(c, '4'..='7'));
            octal || a.contains("o+r") || a.contains("a+r") || a == "+r"
        });
        // Copies made above in the line only: a key in place is a sensitive path (below),
        // and `known_hosts` or a public key is no secret.
        let secret = args.iter().filter(|a| !a.starts_with('-')).find_map(|a| {
            sh.secret_files
                .iter()
                .rev()
                .find(|(f, what)| f == a && super::secret_copy(f, what))
                .map(|(_, what)| what.clone())
        });
        if others_read && let Some(f) = secret {
            sh.add(
                Admin,
                format!("{cmd} makes a copy of the secret `{f}` readable by other users"),
            );
        }
        if has_short(args, 'R')
            || has_long(args, "--recursive")
            || wide
            || args.iter().any(|a| sensitive_path(a).is_some())
        {
            sh.add(Admin, format!("{cmd} changes permissions broadly"));
        } else {
            sh.add(Mutating, format!("{cmd} changes file permissions"));
        }
        return;
    }
    sh.add(
        Admin,
        format!("{cmd} changes access or system configuration ({name})"),
    );
}
