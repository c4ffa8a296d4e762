//! A PostgreSQL replica's cache of what a check reads that people change, not checks: keys,
//! organizations, security settings, agents, servers, tool pins, reviewer sets, policy
//! generations and SIEM destinations (`crate::check_reads`).
//!
//! Every entry is kept with its organization's version, read in the same statement as the rows
//! it was made of. Triggers replace an organization's version in the transaction of any change
//! to those rows (migration 0021), so a statement that finds the version unchanged would read
//! the same rows: a check then reads only the version and its session, one statement with two
//! index lookups instead of ten. An entry is only ever used after the check's own statement has
//! read the version, never on trust.
//!
//! It also keeps each session as this replica's last committed record wrote it. A later check
//! of that session may be answered from memory before any statement (`OrgCache::guess`): its
//! record then writes only where the session's row and the organization's version are still
//! what was kept, and otherwise writes nothing and the check runs again, reading
//! (`crate::check_reads`). A guess is never answered unproven. `AIRLOCK_PG_ORG_CACHE=off`
//! turns both off.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use crate::model::{Agent, ReviewerSet, Server, Session, ToolPin};
use crate::siem::SiemTarget;
use crate::tx::{CheckReads, KeyReads};

/// Entries (rows and keys, all organizations) beyond which the cache starts again
/// empty: bounded memory whatever names the calls carry.
const MAX_ENTRIES: usize = 16_384;

/// Sessions beyond which the kept sessions start again empty.
const MAX_SESSIONS: usize = 16_384;

/// A check's reads but the session's, assembled from the kept rows of one version.
pub(crate) struct CheckParts {
    agent: Option<Agent>,
    server: Option<Arc<Server>>,
    pin: Option<ToolPin>,
    server_has_pins: bool,
    reviewers: Option<ReviewerSet>,
    policy_generation: u64,
    siem: Vec<SiemTarget>,
}

impl CheckParts {
    /// The check's reads, with the session (and its approvals flag) its own statement read.
    pub(crate) fn reads(
        self,
        session: Option<crate::model::Session>,
        may_have_approvals: bool,
    ) -> CheckReads {
        CheckReads {
            agent: self.agent,
            session,
            server: self.server,
            pin: self.pin,
            reviewers: self.reviewers,
            policy_generation: self.policy_generation,
            siem: self.siem,
            server_has_pins: self.server_has_pins,
            may_have_approvals,
        }
    }
}

/// A server as the joined read reads it: none when it is not active, and whether it has any
/// pin.
#[derive(Clone)]
struct ServerPart {
    server: Option<Arc<Server>>,
    has_pins: bool,
}

/// What a check reads of the organization itself.
#[derive(Clone)]
struct OrgPart {
    reviewers: Option<ReviewerSet>,
    policy_generation: u64,
    siem: Vec<SiemTarget>,
}

/// An organization's kept rows, each table by what a check looks it up by, so that a few
/// checks fill it for every combination of agent, server and tool they name.
#[derive(Default)]
struct OrgEntry {
    version: String,
    org: Option<OrgPart>,
    agents: HashMap<String, Option<Agent>>,
    servers: HashMap<String, ServerPart>,
    /// By server and tool name, `\0`-separated.
    pins: HashMap<String, Option<ToolPin>>,
    /// By key hash.
    keys: HashMap<String, KeyReads>,
}

impl OrgEntry {
    fn len(&self) -> usize {
        self.agents.len() + self.servers.len() + self.pins.len() + self.keys.len()
    }
}

/// A session as this replica last recorded a decision in it, with whether it may have
/// approvals as its check read it: what a check of it guesses (`OrgCache::guess`), proven or
/// refuted by the record itself ([`crate::check_reads`]).
#[derive(Debug, Clone)]
pub(crate) struct KeptSession {
    pub(crate) session: Session,
    pub(crate) may_have_approvals: bool,
}

/// A check answered from memory before any statement: what its record must find unchanged
/// (the session as kept, the organization at the version its other reads were kept at).
#[derive(Debug)]
pub(crate) struct Guess {
    pub(crate) kept: KeptSession,
    pub(crate) version: String,
}

/// A key as kept ([`OrgCache::key`]).
pub(crate) struct KeptKey {
    pub(crate) org_id: String,
    pub(crate) key: KeyReads,
    pub(crate) version: String,
}

/// A replica's cache, shared by its workers ([`crate::postgres`]).
pub(crate) struct OrgCache {
    on: bool,
    /// By organization and session id, `\0`-separated; never emptied by a version change (a
    /// session is proven by its own row, not by the version).
    sessions: HashMap<String, KeptSession>,
    orgs: HashMap<String, OrgEntry>,
    /// The organization of each key hash kept in `orgs`.
    key_orgs: HashMap<String, String>,
    /// Entries of the maps of `orgs` (with `key_orgs`, bounded by [`MAX_ENTRIES`]).
    entries: usize,
}

impl Default for OrgCache {
    fn default() -> Self {
        OrgCache::new(!matches!(
            std::env::var("AIRLOCK_PG_ORG_CACHE").as_deref(),
            Ok("off")
        ))
    }
}

/// The cache behind `shared`, emptied first if a worker panicked while holding it.
pub(crate) fn lock(shared: &Mutex<OrgCache>) -> MutexGuard<'_, OrgCache> {
    shared.lock().unwrap_or_else(|poisoned| {
        let mut cache = poisoned.into_inner();
        cache.clear();
        cache
    })
}

fn pair(a: &str, b: &str) -> String {
    let mut key = String::with_capacity(a.len() + b.len() + 1);
    key.push_str(a);
    key.push('\0');
    key.push_str(b);
    key
}

/// Counts an insert into a map: one more entry unless it replaced one.
fn count<V>(entries: &mut usize, old: Option<V>) {
    if old.is_none() {
        *entries += 1;
    }
}

impl OrgCache {
    pub(crate) fn new(on: bool) -> OrgCache {
        OrgCache {
            on,
            orgs: HashMap::new(),
            key_orgs: HashMap::new(),
            entries: 0,
            sessions: HashMap::new(),
        }
    }

    fn clear(&mut self) {
        self.sessions.clear();
        self.orgs.clear();
        self.key_orgs.clear();
        self.entries = 0;
    }

    /// Whether a check of `agent_id` in `org_id` may be answered from kept rows (at some
    /// version): worth a short read first.
    pub(crate) fn knows(&self, org_id: &str, agent_id: &str) -> bool {
        self.on
            && self
                .orgs
                .get(org_id)
                .is_some_and(|o| o.org.is_some() && o.agents.contains_key(agent_id))
    }

    /// The key kept for `hash`, with its organization and the version it was kept at: what is
    /// answered with it must be kept at that same version (another worker may keep a newer
    /// one meanwhile, emptying the organization's keys but not this copy).
    pub(crate) fn key(&self, hash: &str) -> Option<KeptKey> {
        if !self.on {
            return None;
        }
        let org_id = self.key_orgs.get(hash)?;
        let org = self.orgs.get(org_id)?;
        let key = org.keys.get(hash)?;
        Some(KeptKey {
            org_id: org_id.clone(),
            key: key.clone(),
            version: org.version.clone(),
        })
    }

    /// A check's reads but the session's, from the rows kept at `version`, the version the
    /// check's own statement read, for a session of `server_id`; none unless every row it
    /// needs is kept at that version.
    pub(crate) fn parts(
        &self,
        org_id: &str,
        version: &str,
        agent_id: &str,
        server_id: Option<&str>,
        action_name: &str,
    ) -> Option<CheckParts> {
        if !self.on {
            return None;
        }
        let org = self.orgs.get(org_id).filter(|o| o.version == version)?;
        let part = org.org.as_ref()?;
        let agent = org.agents.get(agent_id)?;
        let (server, has_pins, pin) = match server_id {
            None => (None, false, None),
            Some(id) => {
                let kept = org.servers.get(id)?;
                let pin = match kept.server {
                    Some(_) => org.pins.get(&pair(id, action_name))?.clone(),
                    None => None,
                };
                (kept.server.clone(), kept.has_pins, pin)
            }
        };
        Some(CheckParts {
            agent: agent.clone(),
            server,
            pin,
            server_has_pins: has_pins,
            reviewers: part.reviewers.clone(),
            policy_generation: part.policy_generation,
            siem: part.siem.clone(),
        })
    }

    /// The entry of `org_id` at `version`: emptied when it was kept at another one.
    fn entry(&mut self, org_id: &str, version: &str) -> &mut OrgEntry {
        // Keys are counted apart: a version change empties an entry's keys, not `key_orgs`.
        if self.entries + self.key_orgs.len() >= MAX_ENTRIES {
            self.clear();
        }
        let entry = self.orgs.entry(org_id.to_string()).or_default();
        if entry.version != version {
            self.entries -= entry.len().min(self.entries);
            *entry = OrgEntry {
                version: version.to_string(),
                ..OrgEntry::default()
            };
        }
        entry
    }

    /// Keeps what a joined read of a check read at `version` (`None`: the organization has no
    /// version row, and nothing is kept).
    pub(crate) fn keep(
        &mut self,
        org_id: &str,
        version: Option<&str>,
        agent_id: &str,
        action_name: &str,
        reads: &CheckReads,
    ) {
        let Some(version) = version.filter(|_| self.on) else {
            return;
        };
        // Counted apart: `entry` may empty the cache, and the count with it.
        let mut entries = 0;
        let entry = self.entry(org_id, version);
        entry.org = Some(OrgPart {
            reviewers: reads.reviewers.clone(),
            policy_generation: reads.policy_generation,
            siem: reads.siem.clone(),
        });
        let agent = entry
            .agents
            .insert(agent_id.to_string(), reads.agent.clone());
        count(&mut entries, agent);
        if let Some(id) = reads.session.as_ref().and_then(|s| s.server_id.as_ref()) {
            let server = ServerPart {
                server: reads.server.clone(),
                has_pins: reads.server_has_pins,
            };
            count(&mut entries, entry.servers.insert(id.clone(), server));
            if reads.server.is_some() {
                let pin = entry.pins.insert(pair(id, action_name), reads.pin.clone());
                count(&mut entries, pin);
            }
        }
        self.entries += entries;
    }

    /// Keeps a key's reads with its organization's `version`.
    pub(crate) fn keep_key(&mut self, version: Option<&str>, hash: &str, key: &KeyReads) {
        let Some(version) = version.filter(|_| self.on) else {
            return;
        };
        let org_id = key.key.org_id.clone();
        let old = self
            .entry(&org_id, version)
            .keys
            .insert(hash.to_string(), key.clone());
        count(&mut self.entries, old);
        self.key_orgs.insert(hash.to_string(), org_id);
    }

    /// A check's reads guessed from memory, with no statement: the kept session and the rows
    /// kept at its organization's current kept version (which must be `at`, the version of a
    /// key the check was authenticated with, when given). None unless all are kept. The guess
    /// is only ever recorded by a statement that finds the session's row and the version as
    /// guessed (`crate::check_reads`).
    pub(crate) fn guess(
        &self,
        org_id: &str,
        at: Option<&str>,
        agent_id: &str,
        session_id: &str,
        action_name: &str,
    ) -> Option<(CheckReads, Guess)> {
        if !self.on {
            return None;
        }
        let kept = self.sessions.get(&pair(org_id, session_id))?;
        let version = &self.orgs.get(org_id)?.version;
        if at.is_some_and(|at| at != version) {
            return None;
        }
        let server = kept.session.server_id.as_deref();
        let parts = self.parts(org_id, version, agent_id, server, action_name)?;
        let reads = parts.reads(Some(kept.session.clone()), kept.may_have_approvals);
        let guess = Guess {
            kept: kept.clone(),
            version: version.clone(),
        };
        Some((reads, guess))
    }

    /// Forgets a session about to change (a record in flight): no check guesses it until its
    /// transaction has committed and kept it again.
    pub(crate) fn forget_session(&mut self, org_id: &str, session_id: &str) {
        self.sessions.remove(&pair(org_id, session_id));
    }

    /// Keeps sessions as committed transactions recorded them.
    pub(crate) fn keep_sessions(&mut self, sessions: Vec<KeptSession>) {
        if !self.on {
            return;
        }
        for kept in sessions {
            if self.sessions.len() >= MAX_SESSIONS {
                self.sessions.clear();
            }
            let key = pair(&kept.session.org_id, &kept.session.id);
            self.sessions.insert(key, kept);
        }
    }
}

#[cfg(test)]
#[path = "org_cache_tests.rs"]
mod tests;
