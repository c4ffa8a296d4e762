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
fn a_lookup_needs_every_part_and_combines_parts_of_one_version() {
    let mut cache = OrgCache::new(true);
    assert!(cache.parts("o1", "s1", "a1", "t").is_none());
    cache.keep(
        "o1",
        Some("v1"),
        "a1",
        "s1",
        "t",
        &reads(Some("a1"), Some(None)),
    );
    let kept = cache.parts("o1", "s1", "a1", "t").expect("kept");
    assert_eq!(kept.version, "v1");
    assert_eq!(kept.server, None);
    let got = kept.parts.reads(None, true);
    assert_eq!(got.agent.map(|a| a.id).as_deref(), Some("a1"));
    assert_eq!(got.policy_generation, 3);
    // Another agent, another session, another organization: not kept.
    assert!(cache.parts("o1", "s1", "a2", "t").is_none());
    assert!(cache.parts("o1", "s2", "a1", "t").is_none());
    assert!(cache.parts("o2", "s1", "a1", "t").is_none());
    // An unknown agent is kept as unknown (the joined read found none).
    cache.keep("o1", Some("v1"), "a2", "s2", "u", &reads(None, None));
    let got = cache.parts("o1", "s1", "a2", "t").expect("combined");
    assert!(got.parts.reads(None, true).agent.is_none());
    // A session of a server whose parts are not kept: not answered.
    cache.keep(
        "o1",
        Some("v1"),
        "a1",
        "s3",
        "t",
        &reads(Some("a1"), Some(None)),
    );
    cache
        .session_servers
        .insert(super::pair("o1", "s3"), Some("srv".into()));
    assert!(cache.parts("o1", "s3", "a1", "t").is_none());
}

#[test]
fn another_version_empties_the_organization_and_no_version_keeps_nothing() {
    let mut cache = OrgCache::new(true);
    cache.keep(
        "o1",
        Some("v1"),
        "a1",
        "s1",
        "t",
        &reads(Some("a1"), Some(None)),
    );
    cache.keep(
        "o1",
        Some("v2"),
        "a2",
        "s2",
        "t",
        &reads(Some("a2"), Some(None)),
    );
    // a1 was kept at v1 only.
    assert!(cache.parts("o1", "s1", "a1", "t").is_none());
    assert_eq!(
        cache.parts("o1", "s2", "a2", "t").expect("v2").version,
        "v2"
    );
    cache.keep("o1", None, "a3", "s3", "t", &reads(Some("a3"), Some(None)));
    assert!(cache.parts("o1", "s3", "a3", "t").is_none());
    // Off: nothing kept, nothing answered.
    let mut off = OrgCache::new(false);
    off.keep(
        "o1",
        Some("v1"),
        "a1",
        "s1",
        "t",
        &reads(Some("a1"), Some(None)),
    );
    assert!(off.parts("o1", "s1", "a1", "t").is_none());
}

#[test]
fn memory_stays_bounded_whatever_names_calls_carry() {
    let mut cache = OrgCache::new(true);
    for i in 0..(3 * MAX_ENTRIES) {
        let (agent, session) = (format!("a{i}"), format!("s{i}"));
        cache.keep("o1", Some("v1"), &agent, &session, "t", &reads(None, None));
        let held = cache.session_servers.len()
            + cache.key_orgs.len()
            + cache.orgs.values().map(super::OrgEntry::len).sum::<usize>();
        assert_eq!(held, cache.entries, "entries counted exactly");
        assert!(cache.entries <= MAX_ENTRIES + 2, "{}", cache.entries);
    }
    // The newest is still answered after the cache started again.
    let last = 3 * MAX_ENTRIES - 1;
    let (agent, session) = (format!("a{last}"), format!("s{last}"));
    assert!(cache.parts("o1", &session, &agent, "t").is_some());
}
