use serde_json::json;

use super::*;

const DOCS: &str = include_str!("../../../docs/policies.md");

struct Probe {
    effect: Effect,
    agent: &'static str,
    framework: &'static str,
    tool: &'static str,
    server_name: &'static str,
    input: Value,
    hour: u32,
    weekday: u32,
    writes: u64,
}

fn probe(effect: Effect, input: Value) -> Probe {
    Probe {
        effect,
        agent: "agent-1",
        framework: "custom",
        tool: "execute_sql",
        server_name: "",
        input,
        hour: 10,
        weekday: 3,
        writes: 0,
    }
}

fn run(set: &PolicySet, p: &Probe) -> SpotOutcome {
    let facts = extract(&p.input);
    let caps = vec!["*".to_string()];
    set.evaluate(&Call {
        effect: p.effect,
        agent_id: p.agent,
        agent_name: p.agent,
        framework: p.framework,
        capabilities: &caps,
        action_name: p.tool,
        server_id: "",
        server_name: p.server_name,
        session_id: "sess-1",
        session_mode: "standard",
        input_digest: "abc",
        declared_effect: "",
        facts: &facts,
        total_calls: p.writes,
        denied_calls: 0,
        write_calls: p.writes,
        hour_utc: p.hour,
        weekday_utc: p.weekday,
    })
}

fn one(id: &str, text: &str) -> PolicySet {
    PolicySet::build([StoredPolicy {
        id,
        text,
        log_only: false,
    }])
}

fn forbidden_by(out: &SpotOutcome) -> Option<(&str, bool)> {
    out.forbid
        .as_ref()
        .map(|f| (f.policy_id.as_str(), f.approval_required))
}

#[test]
fn the_schema_loads() {
    assert!(schema().is_ok());
}

#[test]
fn a_syntax_error_has_cedars_message_and_position() {
    let err = validate("forbid (principal, action, resource)\nwhen { context.tables.contains( };")
        .unwrap_err();
    let pos = err.position().expect("a position");
    assert_eq!(pos.line, 2, "{err}");
    assert!(matches!(err, PolicyError::Parse { .. }));
    assert!(err.to_string().starts_with("line 2, column"), "{err}");
}

#[test]
fn a_policy_against_the_schema_is_refused_with_position() {
    let err =
        validate("forbid (principal, action, resource)\nwhen { context.tabels.contains(\"x\") };")
            .unwrap_err();
    assert!(matches!(err, PolicyError::Invalid { .. }), "{err}");
    assert!(err.to_string().contains("tabels"), "{err}");
    assert_eq!(err.position().map(|p| p.line), Some(2), "{err}");
    // An entity type the schema does not have.
    assert!(validate("forbid (principal == Airlock::User::\"x\", action, resource);").is_err());
    // A wrong type: a Long compared with a String.
    assert!(
        validate("forbid (principal, action, resource) when { context.hour_utc == \"9\" };")
            .is_err()
    );
}

#[test]
fn empty_templates_oversized_and_bad_annotations_are_refused() {
    assert_eq!(validate("  // nothing\n"), Err(PolicyError::Empty));
    assert!(matches!(
        validate("forbid (principal == ?principal, action, resource);"),
        Err(PolicyError::Invalid { .. })
    ));
    assert_eq!(
        validate(&"x".repeat(MAX_TEXT + 1)),
        Err(PolicyError::TooLarge)
    );
    assert!(validate("@approval(\"maybe\") forbid (principal, action, resource);").is_err());
    assert!(validate("@approval(\"required\") permit (principal, action, resource);").is_err());
    assert_eq!(
        validate("permit (principal, action, resource);\nforbid (principal, action, resource);")
            .map(|ids| ids.len()),
        Ok(2)
    );
}

#[test]
fn facts_of_sql_shell_and_http() {
    let f = extract(&json!({"sql": "UPDATE billing.\"Payments_EU\" SET x = 1; DROP TABLE users"}));
    assert_eq!(
        f.tables.iter().collect::<Vec<_>>(),
        ["payments_eu", "users"]
    );
    assert!(f.statements.contains("update") && f.statements.contains("drop_table"));
    let f = extract(&json!(
        "sudo /usr/local/bin/Terraform apply -auto-approve && cat ~/.ssh/id_rsa"
    ));
    assert!(f.programs.contains("terraform") && f.programs.contains("sudo"));
    assert!(f.programs.contains("cat"));
    assert!(f.paths.contains("~/.ssh/id_rsa"));
    let f = extract(
        &json!({"command": ["bash", "-c", "kubectl delete ns prod; psql -c 'DELETE FROM payments'"]}),
    );
    assert!(
        f.programs.contains("kubectl") && f.programs.contains("psql"),
        "{f:?}"
    );
    assert!(
        f.tables.contains("payments") && f.statements.contains("delete"),
        "{f:?}"
    );
    let f =
        extract(&json!({"method": "delete", "url": "https://user@API.prod.example.com:8443/v1/x"}));
    assert!(f.http_methods.contains("DELETE"));
    assert!(f.hosts.contains("api.prod.example.com"), "{f:?}");
    let f = extract(&json!(
        "curl -X PUT http://[::1]:80/a --data-file=/etc/shadow"
    ));
    assert!(
        f.http_methods.contains("PUT") && f.hosts.contains("::1"),
        "{f:?}"
    );
    assert!(f.paths.contains("/etc/shadow"), "{f:?}");
}

#[test]
fn facts_are_bounded() {
    let many: Vec<String> = (0..2000).map(|i| format!("SELECT * FROM t{i}")).collect();
    let f = extract(&json!(many));
    assert!(f.tables.len() <= 256);
    let mut deep = json!("DELETE FROM payments");
    for _ in 0..100 {
        deep = json!([deep]);
    }
    assert!(
        extract(&deep).tables.is_empty(),
        "past the depth bound nothing is read"
    );
}

#[test]
fn reads_are_evaluated_only_by_policies_naming_read() {
    let input = json!({"path": "/etc/passwd"});
    let any = one(
        "any",
        "forbid (principal, action, resource) when { context.paths.contains(\"/etc/passwd\") };",
    );
    assert_eq!(
        run(&any, &probe(Effect::Read, input.clone())),
        SpotOutcome::default()
    );
    assert_eq!(
        forbidden_by(&run(&any, &probe(Effect::Mutating, input.clone()))),
        Some(("any", false))
    );
    let named = one(
        "named",
        "forbid (principal, action == Airlock::Action::\"read\", resource) when { context.paths.contains(\"/etc/passwd\") };",
    );
    assert_eq!(
        forbidden_by(&run(&named, &probe(Effect::Read, input.clone()))),
        Some(("named", false))
    );
    assert!(
        run(&named, &probe(Effect::Mutating, input))
            .forbid
            .is_none()
    );
    assert!(!named.applies_to(Effect::Mutating) && named.applies_to(Effect::Read));
}

#[test]
fn permit_does_nothing_and_a_denying_forbid_beats_an_approval() {
    let set = PolicySet::build([
        StoredPolicy {
            id: "p",
            text: "permit (principal, action, resource);",
            log_only: false,
        },
        StoredPolicy {
            id: "ask",
            text: "@approval(\"required\") forbid (principal, action, resource);",
            log_only: false,
        },
        StoredPolicy {
            id: "deny",
            text: "forbid (principal, action, resource);",
            log_only: false,
        },
    ]);
    let out = run(&set, &probe(Effect::Mutating, json!("x")));
    assert_eq!(forbidden_by(&out), Some(("deny", false)));
    let only_permit = one("p", "permit (principal, action, resource);");
    assert_eq!(
        run(&only_permit, &probe(Effect::Admin, json!("x"))),
        SpotOutcome::default()
    );
}

#[test]
fn an_erroring_policy_denies_and_a_log_only_one_is_only_recorded() {
    // Long overflow is an evaluation error.
    let text = "forbid (principal, action, resource) when { context.write_calls + 9223372036854775807 + 1 > 0 };";
    let out = run(&one("overflow", text), &probe(Effect::Mutating, json!("x")));
    assert!(out.forbid.is_none());
    assert_eq!(out.errors.len(), 1, "{out:?}");
    assert!(out.errors[0].starts_with("policy `overflow`"), "{out:?}");
    let mut p = probe(Effect::Mutating, json!("x"));
    p.writes = 2;
    let set = PolicySet::build([
        StoredPolicy {
            id: "overflow",
            text,
            log_only: true,
        },
        StoredPolicy {
            id: "lo",
            text: "forbid (principal, action, resource);",
            log_only: true,
        },
    ]);
    let out = run(&set, &p);
    assert!(out.forbid.is_none() && out.errors.is_empty(), "{out:?}");
    assert_eq!(out.log_only.len(), 2, "{out:?}");
    assert!(out.log_only[0].contains("`overflow` (log_only) errored"));
    assert_eq!(out.log_only[1], "policy `lo` (log_only) would forbid");
}

#[test]
fn a_stored_policy_that_no_longer_compiles_denies_writes() {
    let set = one(
        "old",
        "forbid (principal, action, resource) when { context.gone == 1 };",
    );
    let out = run(&set, &probe(Effect::Mutating, json!("x")));
    assert!(out.errors[0].contains("`old` does not compile"), "{out:?}");
    assert!(
        run(&set, &probe(Effect::Read, json!("x")))
            .errors
            .is_empty()
    );
}

#[test]
fn the_index_skips_policies_scoped_to_other_agents_and_tools() {
    let mut stored = Vec::new();
    let texts: Vec<(String, String)> = (0..50)
        .map(|i| {
            (
                format!("p{i}"),
                format!("forbid (principal == Airlock::Agent::\"a{i}\", action, resource == Airlock::Tool::\"t{i}\");"),
            )
        })
        .collect();
    for (id, text) in &texts {
        stored.push(StoredPolicy {
            id,
            text,
            log_only: false,
        });
    }
    let set = PolicySet::build(stored);
    assert_eq!(set.candidates(Effect::Mutating, "a7", "t7").len(), 1);
    assert!(set.candidates(Effect::Mutating, "a7", "t8").is_empty());
    let mut p = probe(Effect::Destructive, json!("x"));
    p.agent = "a7";
    p.tool = "t7";
    assert_eq!(forbidden_by(&run(&set, &p)), Some(("p7", false)));
}

/// The `cedar` blocks of docs/policies.md.
fn doc_blocks() -> Vec<String> {
    let mut out = Vec::new();
    let mut cur: Option<String> = None;
    for line in DOCS.lines() {
        match (&mut cur, line.trim()) {
            (None, "```cedar") => cur = Some(String::new()),
            (Some(_), "```") => out.extend(cur.take()),
            (Some(b), _) => {
                b.push_str(line);
                b.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// The docs' policies, each stored under its `@id`.
fn doc_set() -> PolicySet {
    let blocks = doc_blocks();
    let mut stored: Vec<(String, String)> = Vec::new();
    for b in &blocks {
        for p in cedar_policy::PolicySet::from_str(b).unwrap().policies() {
            let id = p.annotation("id").unwrap().to_string();
            stored.push((id, p.to_string()));
        }
    }
    PolicySet::build(stored.iter().map(|(id, text)| StoredPolicy {
        id,
        text,
        log_only: false,
    }))
}

#[test]
fn docs_examples_all_validate() {
    let blocks = doc_blocks();
    let policies: usize = blocks.iter().map(|b| validate(b).unwrap().len()).sum();
    assert!(policies >= 10, "docs hold {policies} policies");
}

#[test]
fn docs_examples_behave_as_documented() {
    let set = doc_set();
    let check = |p: Probe| forbidden_by(&run(&set, &p)).map(|(id, a)| (id.to_string(), a));
    let id = |s: &str, a: bool| Some((s.to_string(), a));
    // 1
    assert_eq!(
        check(probe(
            Effect::Destructive,
            json!("DELETE FROM payments_2024")
        )),
        id("no-destructive-sql-on-payments", false)
    );
    assert_eq!(
        check(probe(
            Effect::Mutating,
            json!("DELETE FROM orders WHERE id = 1")
        )),
        None
    );
    // 2
    let mut p = probe(
        Effect::Mutating,
        json!("UPDATE payments SET status = 'void' WHERE id = 3"),
    );
    assert_eq!(
        check(Probe {
            agent: "support-bot",
            ..p
        }),
        id("support-bot-no-payment-updates", false)
    );
    p = probe(
        Effect::Mutating,
        json!("UPDATE payments SET status = 'void' WHERE id = 3"),
    );
    assert_eq!(check(p), None, "other agents are unaffected");
    // 3
    let night = Probe {
        agent: "nightly-reporter",
        hour: 23,
        ..probe(Effect::Mutating, json!("x"))
    };
    assert_eq!(check(night), id("reporter-writes-in-working-hours", false));
    let day = Probe {
        agent: "nightly-reporter",
        hour: 9,
        weekday: 2,
        ..probe(Effect::Mutating, json!("x"))
    };
    assert_eq!(check(day), None);
    let sunday = Probe {
        agent: "nightly-reporter",
        hour: 9,
        weekday: 7,
        ..probe(Effect::Mutating, json!("x"))
    };
    assert!(check(sunday).is_some());
    // 4
    assert_eq!(
        check(probe(
            Effect::Mutating,
            json!({"command": "cd infra && terraform apply"})
        )),
        id("terraform-needs-approval", true)
    );
    // 5
    assert_eq!(
        check(probe(Effect::Read, json!({"command": "cat /etc/passwd"}))),
        id("no-etc-or-ssh", false)
    );
    assert_eq!(
        check(probe(Effect::Read, json!({"path": "~/.ssh/id_ed25519"}))),
        id("no-etc-or-ssh", false)
    );
    assert_eq!(
        check(probe(Effect::Read, json!({"path": "/home/me/etc/notes"}))),
        None
    );
    // 6
    let del = json!({"method": "DELETE", "url": "https://api.prod.example.com/v1/users/4"});
    assert_eq!(
        check(probe(Effect::Destructive, del)),
        id("no-http-delete-on-prod", false)
    );
    // 7
    assert_eq!(
        check(probe(
            Effect::Mutating,
            json!({"url": "https://api.github.com/repos"})
        )),
        None
    );
    assert_eq!(
        check(probe(
            Effect::Mutating,
            json!({"url": "https://evil.example/x"})
        )),
        id("writes-only-to-known-hosts", false)
    );
    // 8
    assert_eq!(
        check(Probe {
            writes: 50,
            ..probe(Effect::Mutating, json!("x"))
        }),
        id("at-most-50-writes-per-session", false)
    );
    // 9
    assert_eq!(
        check(Probe {
            framework: "langchain",
            ..probe(Effect::Admin, json!("x"))
        }),
        id("no-admin-for-langchain", false)
    );
    assert_eq!(
        check(Probe {
            framework: "langchain",
            ..probe(Effect::Mutating, json!("x"))
        }),
        None
    );
    // 10
    assert_eq!(
        check(probe(
            Effect::Destructive,
            json!({"command": "kubectl delete pod x"})
        )),
        id("kubectl-destructive-needs-approval", true)
    );
    let drop = Probe {
        server_name: "prod-db",
        ..probe(Effect::Destructive, json!("DROP DATABASE shop"))
    };
    assert_eq!(check(drop), id("no-drop-database-on-prod-db", false));
}
