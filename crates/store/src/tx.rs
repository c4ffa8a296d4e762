//! What a request may do inside one store transaction.
//!
//! Every method takes the organization id: nothing crosses organizations.

use chrono::{DateTime, Utc};

use crate::StoreError;
use crate::a2a::{A2aTask, AgentCard};
use crate::delegations::{DelegatedSession, Delegation};
use crate::log_search::{DecisionQuery, SessionQuery};
use crate::model::*;
use crate::siem::{OutboxEvent, SiemDelivery, SiemDestination, SiemTarget};

pub type Result<T> = std::result::Result<T, StoreError>;

/// The call approvals that match one exact call.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallApprovals {
    /// Approved, unexpired and unused.
    pub approved: Option<String>,
    /// Pending and unexpired.
    pub pending: Option<String>,
}

/// What a check reads before it decides ([`Tx::check_reads`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckReads {
    pub agent: Option<Agent>,
    /// Locked as [`Tx::session`] locks it.
    pub session: Option<Session>,
    /// The session's server, if it has one and it is active (shared with the row cache).
    pub server: Option<std::sync::Arc<Server>>,
    /// The server's pin of the tool named exactly as the call.
    pub pin: Option<ToolPin>,
    pub reviewers: Option<ReviewerSet>,
    pub policy_generation: u64,
    /// The organization's active SIEM destinations ([`Tx::siem_targets`]).
    pub siem: Vec<SiemTarget>,
    /// False only when the session's server is known to have no pin at all (then no name
    /// matches one and the pins need no reading); the reads one by one do not ask (true).
    pub server_has_pins: bool,
    /// False only when the session exists and has never had an approval (then the approvals
    /// need no reading: a trigger on every approval's insert sets it, on PostgreSQL); the
    /// reads one by one do not ask (true).
    pub may_have_approvals: bool,
}

/// What authenticating a check reads ([`Tx::key_reads`]).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyReads {
    pub key: ApiKey,
    /// The key's organization.
    pub org: Option<Org>,
    /// The organization's security settings.
    pub security: Option<SecuritySettings>,
}

/// What the MCP gateway reads to open a request's session ([`Tx::gateway_reads`]), in the
/// key's organization.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GatewayReads {
    /// The server, if it is registered and active.
    pub server: Option<Server>,
    /// The agent's own session on the server (`gateway_sessions`), if it has one; read only
    /// when no session is named.
    pub mapped: Option<String>,
    /// The session named, or else the mapped one, if it exists.
    pub session: Option<Session>,
}

/// The approvals a check looks for ([`Tx::session_approvals`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SessionApprovals {
    pub call: CallApprovals,
    /// A pending, unexpired elevation of the session.
    pub elevation: Option<String>,
}

/// Operations inside a transaction. Implemented by each backend.
pub trait Tx {
    // organizations and keys
    fn insert_org(&mut self, org: &Org) -> Result<()>;
    fn org(&mut self, id: &str) -> Result<Option<Org>>;
    fn org_by_name(&mut self, name: &str) -> Result<Option<Org>>;
    fn org_count(&mut self) -> Result<u64>;
    fn insert_api_key(&mut self, key: &ApiKey) -> Result<()>;
    fn api_key_by_hash(&mut self, hash: &str) -> Result<Option<ApiKey>>;
    /// The key whose hash is `hash`, with its organization and that organization's security
    /// settings: one statement where round trips cost (PostgreSQL).
    fn key_reads(&mut self, hash: &str) -> Result<Option<KeyReads>>;
    /// The key whose hash is `hash` and its organization, what authenticates a caller: one
    /// statement where round trips cost (PostgreSQL), two where they do not (SQLite).
    fn key_and_org(&mut self, hash: &str) -> Result<Option<(ApiKey, Option<Org>)>>;
    /// The key whose hash is `hash`, its organization, and in that organization what the MCP
    /// gateway opens a request's session with: the server `server_id`, the session `named`,
    /// or else the agent's mapped session on the server and that session, none of them locked. One
    /// statement where round trips cost (PostgreSQL). A revoked key reads nothing else.
    fn gateway_reads(
        &mut self,
        hash: &str,
        agent_id: &str,
        server_id: &str,
        named: Option<&str>,
    ) -> Result<Option<(ApiKey, Option<Org>, GatewayReads)>>;
    fn list_api_keys(&mut self, org_id: Option<&str>) -> Result<Vec<ApiKey>>;
    /// Revokes a key by id or by its prefix; returns false if there was none.
    fn revoke_api_key(&mut self, id_or_prefix: &str, now: DateTime<Utc>) -> Result<bool>;

    // agents
    fn insert_agent(&mut self, agent: &Agent) -> Result<()>;
    fn agent(&mut self, org_id: &str, id: &str) -> Result<Option<Agent>>;
    fn list_agents(&mut self, org_id: &str) -> Result<Vec<Agent>>;
    /// Revokes an agent and all its tokens; returns false if there was no such agent.
    fn revoke_agent(
        &mut self,
        org_id: &str,
        id: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;

    // servers
    fn insert_server(&mut self, server: &Server) -> Result<()>;
    fn server(&mut self, org_id: &str, id: &str) -> Result<Option<Server>>;
    fn list_servers(&mut self, org_id: &str) -> Result<Vec<Server>>;
    fn delete_server(&mut self, org_id: &str, id: &str) -> Result<bool>;

    // sessions and decisions
    fn insert_session(&mut self, session: &Session) -> Result<()>;
    fn session(&mut self, org_id: &str, id: &str) -> Result<Option<Session>>;
    /// Writes counters, head, elevation and last activity of a session.
    fn update_session(&mut self, session: &Session) -> Result<()>;
    /// Like [`Tx::update_session`], leaving `last_activity_at` as stored: a session's place in
    /// the activity index is not moved for a call within a second of its last one.
    fn update_session_calls(&mut self, session: &Session) -> Result<()>;
    /// The id of the MCP gateway's own session of `agent_id` on `server_id`, if it has one.
    fn gateway_session_id(
        &mut self,
        org_id: &str,
        agent_id: &str,
        server_id: &str,
    ) -> Result<Option<String>>;
    /// Records `session_id` as the gateway's session of `agent_id` on `server_id`. Fails (a
    /// unique violation) when that pair already has one: the caller reads it again.
    fn insert_gateway_session(
        &mut self,
        org_id: &str,
        agent_id: &str,
        server_id: &str,
        session_id: &str,
    ) -> Result<()>;
    fn insert_decision(&mut self, decision: &Decision) -> Result<()>;
    /// Inserts `decision` and writes `session` as [`Tx::update_session`] (with `activity`) or
    /// [`Tx::update_session_calls`] do: one statement where round trips cost (PostgreSQL).
    fn record_decision(
        &mut self,
        decision: &Decision,
        session: &Session,
        activity: bool,
    ) -> Result<()>;
    /// What a check reads before it decides: the agent, the session (locked as
    /// [`Tx::session`] locks it), the session's active server and the exact pin of
    /// `action_name` on it, the reviewers, the policy generation and the SIEM destinations.
    /// One statement where round trips cost (PostgreSQL); else the same reads one by one.
    fn check_reads(
        &mut self,
        org_id: &str,
        agent_id: &str,
        session_id: &str,
        action_name: &str,
    ) -> Result<CheckReads>;
    /// [`Tx::key_reads`] and [`Tx::check_reads`] together, for a check that authenticates
    /// with a key: the key whose hash is `hash` and, when that key is found and not revoked,
    /// what `check_reads` reads in the key's organization (`None` otherwise: nothing of any
    /// organization is read or locked for an unknown or revoked key, nor, unless `proven`, for
    /// a key whose organization requires proof of possession on checks). One statement where
    /// round trips cost (PostgreSQL); else the same reads one by one.
    fn keyed_check_reads(
        &mut self,
        hash: &str,
        agent_id: &str,
        session_id: &str,
        action_name: &str,
        proven: bool,
    ) -> Result<Option<(KeyReads, Option<CheckReads>)>>;
    /// Every session's chain head and call count, of every organization, without locking
    /// (the audit trail's checkpoints and verifier), ordered by organization and id.
    fn session_heads(&mut self) -> Result<Vec<SessionHead>>;
    /// One session's chain head and call count, without locking.
    fn session_head(&mut self, org_id: &str, id: &str) -> Result<Option<SessionHead>>;
    /// Every (organization, session) that has decisions, whether or not its session row is
    /// still there (the verifier finds deleted session rows with it).
    fn decision_sessions(&mut self) -> Result<Vec<(String, String)>>;
    /// Decisions of a session, oldest first, from sequence number `after` (exclusive).
    fn decisions(
        &mut self,
        org_id: &str,
        session_id: &str,
        after: u64,
        limit: u64,
    ) -> Result<Vec<Decision>>;

    /// An organization's sessions, latest activity first (see `log_search.rs`).
    fn search_sessions(&mut self, org_id: &str, query: &SessionQuery) -> Result<Vec<Session>>;
    /// A session's decisions, newest first, below sequence number `before` (all when absent).
    fn session_decisions_before(
        &mut self,
        org_id: &str,
        session_id: &str,
        before: Option<u64>,
        limit: u64,
    ) -> Result<Vec<Decision>>;
    /// An organization's decisions, newest first (see `log_search.rs`).
    fn search_decisions(&mut self, org_id: &str, query: &DecisionQuery) -> Result<Vec<Decision>>;

    // approvals
    fn insert_approval(&mut self, approval: &Approval) -> Result<()>;
    fn approval(&mut self, org_id: &str, id: &str) -> Result<Option<Approval>>;
    fn list_approvals(
        &mut self,
        org_id: &str,
        status: Option<&str>,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<Approval>> {
        self.find_approvals(org_id, status, None, now, limit)
    }
    /// Approvals of an organization, oldest first, optionally of one status (`expired`: pending
    /// past its deadline) and of one session.
    fn find_approvals(
        &mut self,
        org_id: &str,
        status: Option<&str>,
        session_id: Option<&str>,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<Approval>>;
    /// The organization's approvals of one settled status (`approved`, `denied`, `used`, or
    /// `expired`: pending past its deadline), most recently settled first.
    fn recent_approvals(
        &mut self,
        org_id: &str,
        status: &str,
        now: DateTime<Utc>,
        limit: u64,
    ) -> Result<Vec<Approval>>;
    /// Pending approvals not past their deadline, across every organization: one count for
    /// the metrics endpoint.
    fn open_approval_count(&mut self, now: DateTime<Utc>) -> Result<u64>;
    fn pending_elevation(
        &mut self,
        org_id: &str,
        session_id: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<String>>;
    fn call_approvals(
        &mut self,
        org_id: &str,
        session_id: &str,
        action_name: &str,
        input_digest: &str,
        now: DateTime<Utc>,
    ) -> Result<CallApprovals>;
    /// [`Tx::call_approvals`] and [`Tx::pending_elevation`] of one session: one statement
    /// where round trips cost (PostgreSQL).
    fn session_approvals(
        &mut self,
        org_id: &str,
        session_id: &str,
        action_name: &str,
        input_digest: &str,
        now: DateTime<Utc>,
    ) -> Result<SessionApprovals>;
    /// Writes status, decider, note and use of an approval.
    fn update_approval(&mut self, approval: &Approval) -> Result<()>;

    // notification webhooks
    fn insert_webhook(&mut self, webhook: &Webhook) -> Result<()>;
    /// An organization's webhooks, oldest first.
    fn webhooks(&mut self, org_id: &str) -> Result<Vec<Webhook>>;
    /// Deletes a webhook; returns false if there was none.
    fn delete_webhook(&mut self, org_id: &str, id: &str) -> Result<bool>;

    /// Revokes one of the organization's API keys by id; false if it has none by that id
    /// or it was already revoked.
    fn revoke_org_api_key(&mut self, org_id: &str, id: &str, now: DateTime<Utc>) -> Result<bool>;

    // console sessions
    fn insert_console_session(&mut self, session: &ConsoleSession) -> Result<()>;
    /// The session whose token hashes to `token_hash`, live or not.
    fn console_session(&mut self, token_hash: &str) -> Result<Option<ConsoleSession>>;
    /// Records activity on a session; false if it is gone.
    fn touch_console_session(
        &mut self,
        org_id: &str,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// Ends a session; false if there was none.
    fn delete_console_session(&mut self, org_id: &str, token_hash: &str) -> Result<bool>;
    /// Deletes every session past `expires_before` or idle since before `idle_before`;
    /// returns how many.
    fn delete_stale_console_sessions(
        &mut self,
        expires_before: DateTime<Utc>,
        idle_before: DateTime<Utc>,
    ) -> Result<u64>;

    // tokens
    fn insert_token(&mut self, token: &Token) -> Result<()>;
    fn token_by_hash(&mut self, hash: &str) -> Result<Option<Token>>;
    fn revoke_token(
        &mut self,
        org_id: &str,
        hash: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;

    // pinned tool definitions
    fn tool_pin(&mut self, org_id: &str, server_id: &str, name: &str) -> Result<Option<ToolPin>>;
    fn tool_pins(&mut self, org_id: &str, server_id: &str) -> Result<Vec<ToolPin>>;
    /// Inserts or replaces a pin.
    fn put_tool_pin(&mut self, pin: &ToolPin) -> Result<()>;

    // the Deep tier's reviewers
    fn reviewer_set(&mut self, org_id: &str) -> Result<Option<ReviewerSet>>;
    /// Inserts or replaces the organization's reviewers.
    fn put_reviewer_set(&mut self, set: &ReviewerSet) -> Result<()>;
    // Spot Guard policies
    fn policies(&mut self, org_id: &str) -> Result<Vec<Policy>>;
    fn policy(&mut self, org_id: &str, id: &str) -> Result<Option<Policy>>;
    /// Inserts or replaces a policy's current version.
    fn put_policy(&mut self, policy: &Policy) -> Result<()>;
    fn delete_policy(&mut self, org_id: &str, id: &str) -> Result<bool>;
    fn insert_policy_version(&mut self, version: &PolicyVersion) -> Result<()>;
    /// Versions of a policy (deleted ones included), oldest first.
    fn policy_versions(&mut self, org_id: &str, policy_id: &str) -> Result<Vec<PolicyVersion>>;
    /// The organization's policy generation: it changes with every policy change, so a
    /// cache of compiled policies keyed by it is never stale.
    fn policy_generation(&mut self, org_id: &str) -> Result<u64>;
    fn bump_policy_generation(&mut self, org_id: &str) -> Result<()>;

    // SIEM streaming (see `siem.rs`)
    fn insert_siem_destination(&mut self, d: &SiemDestination) -> Result<()>;
    /// An organization's destinations, oldest first.
    fn siem_destinations(&mut self, org_id: &str) -> Result<Vec<SiemDestination>>;
    fn siem_destination(&mut self, org_id: &str, id: &str) -> Result<Option<SiemDestination>>;
    /// Writes every field but id, organization and creation time; false if there was none.
    fn update_siem_destination(&mut self, d: &SiemDestination) -> Result<bool>;
    /// Deletes a destination with its outbox and delivery log; false if there was none.
    fn delete_siem_destination(&mut self, org_id: &str, id: &str) -> Result<bool>;
    /// The organization's active destinations as a check needs them (one index range).
    fn siem_targets(&mut self, org_id: &str) -> Result<Vec<SiemTarget>>;
    fn insert_siem_event(&mut self, event: &OutboxEvent) -> Result<()>;
    /// Every organization's active destinations: for the delivery worker only.
    fn active_siem_destinations(&mut self) -> Result<Vec<SiemDestination>>;
    /// The oldest `limit` waiting events of a destination, in delivery order.
    fn siem_batch(&mut self, destination_id: &str, limit: u64) -> Result<Vec<OutboxEvent>>;
    fn delete_siem_events(&mut self, destination_id: &str, ids: &[u64]) -> Result<u64>;
    /// Every destination's outbox size.
    fn siem_backlogs(&mut self) -> Result<Vec<(String, u64)>>;
    /// Stores the count where it crosses `bound` (`siem::set_backlog`), else changes nothing.
    fn set_siem_backlog(&mut self, destination_id: &str, backlog: u64, bound: u64) -> Result<()>;
    /// Takes or renews a destination's delivery lease; true when `owner` holds it.
    fn take_siem_lease(
        &mut self,
        destination_id: &str,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool>;
    fn insert_siem_delivery(&mut self, d: &SiemDelivery) -> Result<()>;
    /// A destination's delivery attempts, newest first.
    fn siem_deliveries(
        &mut self,
        org_id: &str,
        destination_id: &str,
        limit: u64,
    ) -> Result<Vec<SiemDelivery>>;

    // identity (docs/identity.md)
    /// Replaces an agent's public key; false if the organization has no such agent.
    fn set_agent_public_key(&mut self, org_id: &str, id: &str, public_key: &str) -> Result<bool>;
    fn insert_pop_challenge(&mut self, challenge: &PopChallenge) -> Result<()>;
    /// Uses up a challenge of `agent_id` not expired by `now`; false if there is none.
    fn take_pop_challenge(
        &mut self,
        org_id: &str,
        agent_id: &str,
        nonce_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    /// Records a DPoP proof id of the key `jkt`; false if it was already used.
    fn use_dpop_jti(&mut self, jkt: &str, jti: &str, expires_at: DateTime<Utc>) -> Result<bool>;
    /// Deletes challenges and proof ids expired by `now`; returns how many.
    fn prune_identity(&mut self, now: DateTime<Utc>) -> Result<u64>;
    fn security_settings(&mut self, org_id: &str) -> Result<Option<SecuritySettings>>;
    /// Inserts or replaces the organization's security settings.
    fn put_security_settings(&mut self, settings: &SecuritySettings) -> Result<()>;

    // federation (docs/identity.md)
    fn insert_federation_provider(&mut self, provider: &FederationProvider) -> Result<()>;
    /// An organization's providers, oldest first.
    fn federation_providers(&mut self, org_id: &str) -> Result<Vec<FederationProvider>>;
    fn federation_provider(&mut self, org_id: &str, id: &str)
    -> Result<Option<FederationProvider>>;
    fn delete_federation_provider(&mut self, org_id: &str, id: &str) -> Result<bool>;
    /// Records a revoked token (again: nothing changes).
    fn revoke_federation_token(&mut self, revocation: &FederationRevocation) -> Result<()>;
    fn federation_token_revoked(&mut self, org_id: &str, token_hash: &str) -> Result<bool>;
    fn insert_federated_session(&mut self, link: &FederatedSession) -> Result<()>;
    fn federated_session(
        &mut self,
        org_id: &str,
        session_id: &str,
    ) -> Result<Option<FederatedSession>>;

    // delegations (docs/delegations.md)
    fn insert_delegation(&mut self, delegation: &Delegation) -> Result<()>;
    fn delegation(&mut self, org_id: &str, id: &str) -> Result<Option<Delegation>>;
    /// An organization's delegations, oldest first (at most `delegations::MAX_LISTED`).
    fn delegations(&mut self, org_id: &str) -> Result<Vec<Delegation>>;
    /// Revokes the delegation whose path is `path` and every hop below it; returns how many
    /// were still live.
    fn revoke_delegation_subtree(
        &mut self,
        org_id: &str,
        path: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<u64>;
    fn insert_delegated_session(&mut self, link: &DelegatedSession) -> Result<()>;
    fn delegated_session(
        &mut self,
        org_id: &str,
        session_id: &str,
    ) -> Result<Option<DelegatedSession>>;
    // agent-to-agent work (see `a2a.rs`)
    /// Inserts or replaces an agent's card; a replaced card keeps its publication.
    fn put_agent_card(&mut self, card: &AgentCard) -> Result<()>;
    fn agent_card(&mut self, org_id: &str, agent_id: &str) -> Result<Option<AgentCard>>;
    /// The published card of `agent_id`, whatever its organization (public discovery).
    fn published_agent_card(&mut self, agent_id: &str) -> Result<Option<AgentCard>>;
    /// Publishes an agent's card; false if it has none.
    fn publish_agent_card(
        &mut self,
        org_id: &str,
        agent_id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool>;
    fn insert_a2a_task(&mut self, task: &A2aTask) -> Result<()>;
    fn a2a_task(&mut self, org_id: &str, id: &str) -> Result<Option<A2aTask>>;
    /// Writes state, history, artifacts and upstream id unless the stored state is terminal;
    /// false when it is, or there is no such task.
    fn update_a2a_task(&mut self, task: &A2aTask) -> Result<bool>;

    // telemetry
    fn insert_telemetry(
        &mut self,
        org_id: &str,
        agent_id: &str,
        session_id: &str,
        events: &[TelemetryEvent],
        now: DateTime<Utc>,
    ) -> Result<()>;
}
