//! `openssl`'s network subcommands: `s_client`/`s_time` connect to a host and send what they
//! are given, `s_server` serves the network (`-WWW`/`-HTTP`: the files of its directory), and
//! `ocsp -reqin F -url U` sends F to U. Also the files its options write (`-msgfile`,
//! `-keylogfile`, `-sess_out`). Only raises: a local `x509 -noout -text` stays what the row
//! says.

use super::super::shell::{Input, Sh};
use crate::Effect::{Admin, Mutating};

/// Options whose value is a file openssl writes (`-out` is judged by the row's handler).
const WRITES: &[&str] = &["-msgfile", "-keylogfile", "-sess_out", "-trace_file"];

/// The value of `-flag V` or `-flag=V` (every occurrence).
fn values<'a>(args: &'a [String], flag: &str) -> Vec<&'a str> {
    let mut out = Vec::new();
    let mut it = args.iter().peekable();
    while let Some(a) = it.next() {
        if a == flag {
            if let Some(v) = it.peek() {
                out.push(v.as_str());
            }
        } else if let Some(v) = a.strip_prefix(flag).and_then(|r| r.strip_prefix('=')) {
            out.push(v);
        }
    }
    out
}

/// True if the input carries data: anything but nothing, a blank literal (`echo |`),
/// `/dev/null`, or s_client's own `Q` command (quit) where it reads commands.
fn carries_data(stdin: &Input, args: &[String]) -> bool {
    let commands = !args.iter().any(|a| a == "-quiet" || a == "-ign_eof");
    match stdin {
        Input::None => false,
        Input::Literal(t) => {
            let t = t.trim();
            !(t.is_empty() || (commands && t == "Q"))
        }
        Input::Unknown(what) => what != "the file `/dev/null`",
    }
}

pub(super) fn network(sh: &mut Sh, args: &[String], stdin: &Input, cmd: &str) {
    // Judged as writes of content not chosen here (a session, a trace, key logs): what the
    // file is does not raise them further.
    for flag in WRITES {
        for f in values(args, flag) {
            if !super::super::args::harmless_sink(f) {
                sh.written.push((f.to_string(), None));
                sh.add(Mutating, format!("{cmd} writes `{f}` (`{flag}`)"));
            }
        }
    }
    let sub = args.first().map(String::as_str).unwrap_or("");
    let host = values(args, "-connect")
        .first()
        .copied()
        .unwrap_or("its host")
        .to_string();
    match sub {
        "s_client" | "s_time" => {
            // A substitution or a variable in any argument (`-servername $(whoami).evil`,
            // `-www /$(id)`) is sent, as a name `nc` or `dig` is given.
            let computed = args.iter().skip(1).find(|a| a.contains('$'));
            if carries_data(stdin, args) {
                sh.add(
                    Mutating,
                    format!("{cmd} sends its input to `{host}` (a network connection, as `nc`)"),
                );
            } else if let Some(a) = computed {
                sh.add(
                    Mutating,
                    format!("{cmd} sends the value of `{a}` to `{host}`, which cannot be seen"),
                );
            }
        }
        "s_server" => {
            let serves = args
                .iter()
                .any(|a| matches!(a.as_str(), "-WWW" | "-HTTP" | "-www" | "-rev"));
            let what = if serves {
                "serves the files of its directory to the network"
            } else {
                "listens on the network (as `nc -l`)"
            };
            sh.add(Mutating, format!("{cmd} {what}"));
        }
        _ => {}
    }
    // `ocsp -reqin F -url U`: F is sent, as `curl --data @F` sends it.
    if sub == "ocsp" {
        let url = values(args, "-url")
            .into_iter()
            .chain(values(args, "-host"))
            .next()
            .map(str::to_string);
        if let Some(url) = url {
            for f in values(args, "-reqin") {
                match sh.secret_file(f) {
                    Some(what) => {
                        sh.add(Admin, format!("{cmd} sends the secret `{what}` to `{url}`"));
                    }
                    None => sh.add(Mutating, format!("{cmd} sends `{f}` to `{url}`")),
                }
            }
        }
    }
}
