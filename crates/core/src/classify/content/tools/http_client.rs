//! HTTP clients on the command line (curl, wget, HTTPie, xh): the method and what it does to
//! the URL, files uploaded or written, credentials anywhere in the request, and the container
//! engine's socket.

use super::super::args::{has_long, has_short, opt_value};
use super::super::http;
use super::super::shell::{Input, Sh};
use super::curl_opts;
use crate::Effect::{Admin, Destructive, Mutating};

/// Sockets of container engines, whose API runs containers as root.
const ENGINE_SOCKETS: &[&str] = &["docker.sock", "podman.sock", "containerd.sock", "crio.sock"];

pub(super) fn http_client(
    sh: &mut Sh,
    name: &str,
    args: &[String],
    stdin: &Input,
    cmd: &str,
) -> Input {
    let out = Input::Unknown(format!("a download by `{name}`"));
    let url = args
        .iter()
        .find(|a| a.starts_with("http://") || a.starts_with("https://") || a.contains("://"))
        .cloned()
        .or_else(|| args.iter().rev().find(|a| !a.starts_with('-')).cloned())
        .unwrap_or_default();
    // A proxy or a pinned address that is not this machine: the request, and any
    // credentials it carries (`--netrc`, `-u`), go there (`--resolve h:443:ADDR`).
    if name == "curl" {
        let detour = super::super::args::opt_values(
            args,
            &["-x"],
            &[
                "--proxy",
                "--preproxy",
                "--socks4",
                "--socks4a",
                "--socks5",
                "--socks5-hostname",
                "--connect-to",
                "--resolve",
            ],
        )
        .into_iter()
        .find(|v| {
            let address = if v.contains("://") {
                v
            } else {
                v.rsplit(':').find(|p| !p.is_empty()).unwrap_or(v)
            };
            !super::super::args::loopback_address(address)
        });
        if let Some(v) = detour {
            sh.add(
                Mutating,
                format!("{cmd} sends the request through or to `{v}`, not only to its URL"),
            );
        }
    }
    let mut method = match name {
        "curl" => opt_value(args, &["-X"], &["--request"]).map(str::to_ascii_uppercase),
        "wget" => opt_value(args, &[], &["--method"]).map(str::to_ascii_uppercase),
        _ => args
            .iter()
            // HTTPie and xh take the method as the first operand, in any case (`xh delete
            // URL`); after the URL an upper-case word can still only be a method.
            .enumerate()
            .find(|(i, a)| {
                http::METHODS.contains(&a.to_ascii_uppercase().as_str())
                    && (a.chars().all(|c| c.is_ascii_uppercase())
                        || args.iter().take(*i).all(|b| b.starts_with('-')))
            })
            .map(|(_, a)| a.to_ascii_uppercase()),
    };
    let has_body = match name {
        "curl" => opt_value(
            args,
            &["-d", "-F", "-T"],
            &[
                "--data",
                "--data-raw",
                "--data-binary",
                "--data-urlencode",
                "--form",
                "--upload-file",
                "--json",
            ],
        )
        .is_some(),
        "wget" => opt_value(
            args,
            &[],
            &["--post-data", "--post-file", "--body-data", "--body-file"],
        )
        .is_some(),
        _ => args
            .iter()
            .any(|a| a.contains('=') && !a.starts_with('-') && !a.contains("://")),
    };
    // `curl -G` sends the data as a query string of a GET.
    let get = name == "curl" && (curl_short(args, 'G') || has_long(args, "--get"));
    // `-I` asks for HEAD unless `-X` names the method: curl sends what `-X` says
    // (`curl -I -X DELETE URL` deletes).
    if method.is_none() && name == "curl" && (curl_short(args, 'I') || has_long(args, "--head")) {
        method = Some("HEAD".into());
    }
    if method.is_none() && has_body && !get {
        method = Some("POST".into());
    }
    // A GET whose query is read from a file or the input (`-G --data-urlencode d@-`,
    // `-G -d @notes.txt`) sends that content, as a POST of it would.
    if get && curl_data_from_file(args) {
        sh.add(
            Mutating,
            format!("{cmd} sends a file's or its input's content in the query"),
        );
    }
    let m = method.unwrap_or_else(|| "GET".into());
    // The query the client builds from its data (`curl -G -d action=ban`, HTTPie's and xh's
    // `action==ban`) is part of the URL it requests (docs/classifier.md, "The twentieth
    // sets").
    let url = super::http_query::with_client_query(name, args, get, url);
    if let Some(f) = super::super::args::uploaded_files(name, args).find_map(|f| sh.secret_file(f))
    {
        sh.add(
            Admin,
            format!("{cmd} sends the secret file `{f}` over the network"),
        );
    }
    if name == "curl" {
        curl_opts::variables(sh, args, cmd);
        curl_opts::write_out(sh, args, cmd);
    }
    let (e, why) = http::method_effect(&m, &url);
    sh.add(e, format!("{cmd} sends `{m}` ({why})"));
    // An address without a scheme besides the one taken as the URL (`curl -XPOST
    // host:9200/users/_delete_by_query -d '{}'` took `{}`; a review of the twenty-fifth
    // sets): it is judged too, and only raises.
    for a in args.iter().filter(|a| **a != url && bare_address(a)) {
        let (e, why) = http::method_effect(&m, a);
        if matches!(e, Destructive | Admin) {
            sh.add(e, format!("{cmd} sends `{m}` to `{a}` ({why})"));
        }
    }
    // A provider's token written into a header, sent to another host.
    let headers: Vec<&str> = args
        .iter()
        .zip(args.iter().skip(1))
        .filter(|(flag, _)| matches!(flag.as_str(), "-H" | "--header"))
        .map(|(_, v)| v.as_str())
        .chain(args.iter().filter_map(|a| a.strip_prefix("--header=")))
        .collect();
    // The body a client sends and a method override in its headers, judged as a request
    // tool's (the twenty-second sets).
    // The input in the line, when the data is read from it (`-d @-`; HTTPie's and xh's
    // input, unless `--ignore-stdin`).
    let piped = match stdin {
        Input::Literal(text) => Some(text.as_str()),
        _ => None,
    };
    let bodies: Vec<&str> = match name {
        "curl" if !get => {
            let mut literal = super::super::args::opt_values(
                args,
                &["-d"],
                &["--data", "--data-binary", "--data-ascii", "--json"],
            );
            let from_input = literal.iter().any(|d| matches!(*d, "@-" | "@/dev/stdin"));
            literal.retain(|d| !d.starts_with('@'));
            literal.extend(piped.filter(|_| from_input));
            literal.extend(super::super::args::opt_values(args, &[], &["--data-raw"]));
            literal
        }
        "wget" => super::super::args::opt_values(args, &[], &["--post-data", "--body-data"]),
        "http" | "https" | "xh" if !args.iter().any(|a| a == "--ignore-stdin" || a == "-I") => {
            piped.into_iter().collect()
        }
        _ => Vec::new(),
    };
    if matches!(name, "curl" | "wget") || !bodies.is_empty() {
        let body = bodies.join("&");
        let depth = sh.depth;
        sh.ctx.via(format!("`{name}`"), |ctx| {
            http::client::client_request(ctx, &m, &headers, &url, &body, depth)
        });
    }
    // curl takes an address without a scheme (`evil.example/x`) as http.
    let address = if url.contains("://") {
        url.clone()
    } else {
        format!("http://{url}")
    };
    // A credential anywhere else in the request (the URL, a query or form value, a header
    // other than an authorization one, base64 or hex included) is sent with it; not to this
    // machine, and not a presigned URL's own signature.
    if !super::super::args::loopback_address(&address) {
        sent_credential(sh, args, cmd);
    }
    if let Some(what) = http::foreign_credential(&headers.join("\n"), &address) {
        sh.add(
            Admin,
            format!("{cmd} sends {what} in a header to another host than its provider's"),
        );
    }
    // The container engine's API on its socket: creating, starting or exec-ing a container
    // there (`-v /:/host`, `Privileged`) is root on the host.
    if name == "curl"
        && !matches!(m.as_str(), "GET" | "HEAD" | "OPTIONS")
        && opt_value(args, &[], &["--unix-socket", "--abstract-unix-socket"])
            .is_some_and(|s| ENGINE_SOCKETS.iter().any(|e| s.contains(e)))
    {
        sh.add(
            Admin,
            format!("{cmd} drives the container engine's API (control of the host)"),
        );
    }
    let writes_file = match name {
        "curl" => {
            opt_value(args, &["-o"], &["--output"]).is_some_and(|f| f != "-" && f != "/dev/null")
                || has_short(args, 'O')
                || has_long(args, "--remote-name")
        }
        "wget" => {
            opt_value(args, &["-O"], &["--output-document"])
                .is_none_or(|f| f != "-" && f != "/dev/null")
                && !has_long(args, "--spider")
                && !args
                    .iter()
                    .any(|a| a.starts_with('-') && !a.starts_with("--") && a.ends_with("O-"))
        }
        _ => has_long(args, "--download") || has_short(args, 'd') && name != "curl",
    };
    if writes_file {
        let f = opt_value(args, &["-o", "-O"], &["--output", "--output-document"])
            .unwrap_or("a downloaded file");
        sh.written.push((f.to_string(), None));
        if let Some((ge, gwhy)) = super::super::args::write_risk(f, false) {
            sh.add(ge, format!("{cmd} writes `{f}`, {gwhy}"));
        }
        sh.add(Mutating, format!("{cmd} saves a download to a file"));
    }
    out
}

/// curl's short flag `c` in a cluster, before any flag that takes the rest as its value
/// (`-dI` is `-d I`, a POST of `I`, not `-I`).
fn curl_short(args: &[String], c: char) -> bool {
    const VALUED: &str = "dHouxXTFeAbcEKmrwyYzCDUPQt";
    args.iter().any(|a| {
        a.strip_prefix('-')
            .filter(|f| !f.starts_with('-'))
            .is_some_and(|f| {
                f.chars()
                    .take_while(|x| *x == c || !VALUED.contains(*x))
                    .any(|x| x == c)
            })
    })
}

/// Data read from a file or the input (`-d @F`, `--data-urlencode name@F`, `@-`, `-Gd @F`).
/// `--data-raw` sends an `@` as it is.
fn curl_data_from_file(args: &[String]) -> bool {
    let mut prev = "";
    args.iter().any(|a| {
        let before = std::mem::replace(&mut prev, a.as_str());
        // A short-flag cluster ending in `d` takes the next word (`-Gd @F`); one with `d`
        // inside takes the rest of the word (`-sGd@F`).
        let short_d = |w: &str| w.starts_with('-') && !w.starts_with("--") && w.ends_with('d');
        let (flag, value) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--data") || f == "--json" => (f, v),
            _ if a.starts_with('-') && !a.starts_with("--") && a.contains('d') && !short_d(a) => {
                ("-d", a.split_once('d').map_or("", |(_, v)| v))
            }
            _ if short_d(before)
                || (before.starts_with("--data") || before == "--json")
                    && !before.contains('=') =>
            {
                (if short_d(before) { "-d" } else { before }, a.as_str())
            }
            _ => return false,
        };
        flag != "--data-raw"
            && (value.starts_with('@')
                || flag == "--data-urlencode" && !value.contains('=') && value.contains('@'))
    })
}

/// A credential's value in a client's URL, data or non-authorization header (`-H 'Cookie:
/// s=ghp_…'`, `--data-urlencode d=<base64 of a key pair>`, attached `-dVALUE`).
fn sent_credential(sh: &mut Sh, args: &[String], cmd: &str) {
    const OWN: &[&str] = &[
        "-u",
        "--user",
        "-U",
        "--proxy-user",
        "-o",
        "--output",
        "-K",
        "--config",
        "--oauth2-bearer",
        "-E",
        "--cert",
        "--key",
    ];
    let mut prev = "";
    for a in args {
        let after = prev;
        prev = a;
        // `--header=V`, `-HV`, `-dV`: the value attached to its flag.
        let (flag, value) = match a.strip_prefix("--header=") {
            Some(v) => ("-H", v),
            None if !a.starts_with("--") && (a.starts_with("-H") || a.starts_with("-d")) => {
                (a.get(..2).unwrap_or(""), a.get(2..).unwrap_or(""))
            }
            None if a.starts_with('-') && !a.contains('=') => continue,
            None => (after, a.as_str()),
        };
        if value.is_empty()
            || OWN.contains(&flag)
            || (matches!(flag, "-H" | "--header") && http::auth_header(value))
            || value.contains("X-Amz-Signature=")
            || value.contains("X-Goog-Signature=")
        {
            continue;
        }
        if let Some(what) = http::credential_value(value) {
            sh.add(Admin, format!("{cmd} sends {what} over the network"));
            return;
        }
    }
}

/// True if an operand is a host and a path without a scheme (`localhost:9200/users/_x`).
fn bare_address(a: &str) -> bool {
    let Some((host, _)) = a.split_once('/') else {
        return false;
    };
    !host.is_empty()
        && !host.starts_with(['-', '.'])
        && (host.contains(['.', ':']) || host == "localhost")
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '_' | '[' | ']'))
}
