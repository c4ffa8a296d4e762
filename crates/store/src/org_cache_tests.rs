//! The cache's own bookkeeping: a lookup needs every part, parts kept by different checks of
//! one version combine, another version empties an organization, and memory stays bounded.
//! (`tests/org_cache.rs` proves against PostgreSQL that what is kept is used only at its
//! version.)

use super::{MAX_ENTRIES, OrgCache};
use crate::model::{Agent, Session};
use crate::tx::CheckReads;

fn reads(agent: Option<&str>, session_server: Option<Option<&str>>) -> CheckReads {
    let now = chrono::Utc::now();
    CheckReads {
        agent: agent.map(|id| Agent {
            id: id.into(),
            org_id: "o1".into(),
            name: id.into(),
            framework: String::new(),
            public_key: String::new(),
            status: "active".into(),
            capabilities: Vec::new(),
            metadata: serde_json::Value::Null,
            created_at: now,
            revoked_at: None,
            revoke_reason: None,
        }),
        session: session_server.map(|server| Session {
            org_id: "o1".into(),
            id: "s".into(),
            agent_id: "a".into(),
            server_id: server.map(str::to_string),
            source: String::new(),
            scope_ceiling: Vec::new(),
            base_mode: "read_only".into(),
            elevated_until: None,
            total_calls: 0,
            read_calls: 0,
            write_calls: 0,
            denied_calls: 0,
            head: String::new(),
            created_at: now,
            last_activity_at: now,
        }),
        policy_generation: 3,
        ..CheckReads::default()
    }
}

#[test]
fn a_lookup_needs_every_part_at_the_version_read_and_combines_parts_of_one_version() {
    let mut cache = OrgCache::new(true);
    assert!(!cache.knows("o1", "a1"));
    assert!(cache.parts("o1", "v1", "a1", None, "t").is_none());
    let with_server = reads(Some("a1"), Some(Some("srv")));
    cache.keep("o1", Some("v1"), "a1", "t", &with_server);
    assert!(cache.knows("o1", "a1"));
    let got = cache.parts("o1", "v1", "a1", None, "t").expect("kept");
    let got = got.reads(None, true);
    assert_eq!(got.agent.map(|a| a.id).as_deref(), Some("a1"));
    assert_eq!(got.policy_generation, 3);
    // The server was read inactive (none): kept as such, and no pin is needed.
    assert!(cache.parts("o1", "v1", "a1", Some("srv"), "u").is_some());
    // Another version, agent, server or organization: not answered.
    assert!(cache.parts("o1", "v2", "a1", None, "t").is_none());
    assert!(cache.parts("o1", "v1", "a2", None, "t").is_none());
    assert!(cache.parts("o1", "v1", "a1", Some("srv2"), "t").is_none());
    assert!(cache.parts("o2", "v1", "a1", None, "t").is_none());
    assert!(!cache.knows("o1", "a2") && !cache.knows("o2", "a1"));
    // An unknown agent is kept as unknown (the joined read found none), and combines with the
    // server another check read.
    cache.keep("o1", Some("v1"), "a2", "u", &reads(None, None));
    let got = cache
        .parts("o1", "v1", "a2", Some("srv"), "t")
        .expect("combined");
    assert!(got.reads(None, true).agent.is_none());
}

#[test]
fn another_version_empties_the_organization_and_no_version_keeps_nothing() {
    let mut cache = OrgCache::new(true);
    cache.keep("o1", Some("v1"), "a1", "t", &reads(Some("a1"), Some(None)));
    cache.keep("o1", Some("v2"), "a2", "t", &reads(Some("a2"), Some(None)));
    // a1 was kept at v1 only.
    assert!(!cache.knows("o1", "a1"));
    assert!(cache.parts("o1", "v2", "a1", None, "t").is_none());
    assert!(cache.parts("o1", "v1", "a1", None, "t").is_none());
    assert!(cache.parts("o1", "v2", "a2", None, "t").is_some());
    cache.keep("o1", None, "a3", "t", &reads(Some("a3"), Some(None)));
    assert!(!cache.knows("o1", "a3"));
    // Off: nothing kept, nothing answered.
    let mut off = OrgCache::new(false);
    off.keep("o1", Some("v1"), "a1", "t", &reads(Some("a1"), Some(None)));
    assert!(!off.knows("o1", "a1"));
    assert!(off.parts("o1", "v1", "a1", None, "t").is_none());
}

#[test]
fn memory_stays_bounded_whatever_names_calls_carry() {
    let mut cache = OrgCache::new(true);
    for i in 0..(3 * MAX_ENTRIES) {
        let (agent, tool) = (format!("a{i}"), format!("t{i}"));
        cache.keep(
            "o1",
            Some("v1"),
            &agent,
            &tool,
            &reads(None, Some(Some("srv"))),
        );
        let held = cache.orgs.values().map(super::OrgEntry::len).sum::<usize>();
        assert_eq!(held, cache.entries, "entries counted exactly");
        assert!(cache.entries <= MAX_ENTRIES + 3, "{}", cache.entries);
    }
    // The newest is still answered after the cache started again.
    let last = 3 * MAX_ENTRIES - 1;
    let agent = format!("a{last}");
    assert!(cache.parts("o1", "v1", &agent, Some("srv"), "t").is_some());
}

#[test]
fn a_key_is_answered_with_only_at_the_version_it_was_kept_at() {
    use super::KeptSession;
    use crate::model::ApiKey;
    use crate::tx::KeyReads;
    let mut cache = OrgCache::new(true);
    let read = reads(Some("a1"), Some(None));
    cache.keep("o1", Some("v1"), "a1", "t", &read);
    let key = KeyReads {
        key: ApiKey {
            id: "k".into(),
            org_id: "o1".into(),
            hash: "h".into(),
            prefix: "p".into(),
            name: "k".into(),
            created_at: chrono::Utc::now(),
            revoked_at: None,
            role: "agent".into(),
        },
        org: None,
        security: None,
    };
    cache.keep_key(Some("v1"), "h", &key);
    let session = read.session.clone().expect("a session");
    cache.keep_sessions(vec![KeptSession {
        session,
        may_have_approvals: false,
    }]);
    let kept = cache.key("h").expect("kept");
    assert_eq!(kept.version, "v1");
    assert!(cache.guess("o1", Some("v1"), "a1", "s", "t").is_some());
    // Another worker keeps what it read at v2 between the key's lookup and the guess.
    cache.keep("o1", Some("v2"), "a1", "t", &read);
    assert!(
        cache
            .guess("o1", Some(&kept.version), "a1", "s", "t")
            .is_none(),
        "a key kept at v1 is not answered with rows of v2"
    );
    assert!(cache.key("h").is_none(), "v2 kept no key");
    assert!(
        cache.guess("o1", None, "a1", "s", "t").is_some(),
        "unkeyed, at v2"
    );
    // A session outlives a version change: its own row proves it.
}
