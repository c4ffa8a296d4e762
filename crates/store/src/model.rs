//! Rows of the store. Timestamps are `DateTime<Utc>`; JSON columns are typed here.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Org {
    pub id: String,
    pub name: String,
    pub default_mode: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiKey {
    pub id: String,
    pub org_id: String,
    /// Hex SHA-256 of the whole key; the key itself is never stored.
    #[serde(skip)]
    pub hash: String,
    /// The first characters of the key, to recognise it in a list.
    pub prefix: String,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// `admin` (manages the organization, decides approvals) or `agent` (asks for decisions).
    pub role: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Agent {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub framework: String,
    pub public_key: String,
    pub status: String,
    pub capabilities: Vec<String>,
    pub metadata: Value,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
}

/// A tool of a registered MCP server.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ToolDef {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effect_override: Option<String>,
    #[serde(default)]
    pub require_approval: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    pub id: String,
    pub org_id: String,
    pub name: String,
    pub url: String,
    pub description: String,
    /// The server's scope ceiling; `None` when it sets none of its own.
    pub capabilities: Option<Vec<String>>,
    pub tools: Vec<ToolDef>,
    pub default_mode: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    /// Custom JSON-RPC methods the server implements, exact names (`acme/reindex`): a client
    /// may send them, checked as the action `mcp.<method>`. Empty: none.
    pub allowed_methods: Vec<String>,
    /// How long (seconds, 0–600) a `tools/call` that needs an approval is held waiting for
    /// it to be decided; 0: denied at once.
    pub approval_wait_secs: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub org_id: String,
    pub id: String,
    pub agent_id: String,
    pub server_id: Option<String>,
    pub source: String,
    pub scope_ceiling: Vec<String>,
    pub base_mode: String,
    pub elevated_until: Option<DateTime<Utc>>,
    pub total_calls: u64,
    pub read_calls: u64,
    pub write_calls: u64,
    pub denied_calls: u64,
    pub head: String,
    pub created_at: DateTime<Utc>,
    pub last_activity_at: DateTime<Utc>,
}

/// Where a session's chain stands: its head and how many decisions it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionHead {
    pub org_id: String,
    pub id: String,
    pub head: String,
    pub total_calls: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub org_id: String,
    pub session_id: String,
    pub seq: u64,
    pub check_id: String,
    pub agent_id: String,
    pub action_name: String,
    pub effect: String,
    pub risk: String,
    pub allowed: bool,
    pub reason: String,
    pub reasons: Vec<String>,
    pub guard_tier: String,
    pub confidence: f64,
    pub input_digest: String,
    pub input_summary: String,
    pub approval_id: Option<String>,
    pub source: String,
    pub latency_us: u64,
    pub decided_at: DateTime<Utc>,
    pub hash: String,
    /// The pipeline step that decided, by its wire name (empty in rows older than it).
    pub rule: String,
    /// The audit key whose link key made `hash` (empty: a legacy, unkeyed link written
    /// before keyed links; see docs/audit.md).
    pub key_id: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Approval {
    pub id: String,
    pub org_id: String,
    pub session_id: String,
    pub agent_id: String,
    pub kind: String,
    pub action_name: String,
    pub action_effect: String,
    pub input_digest: String,
    pub reason: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub used_at: Option<DateTime<Utc>>,
    /// The call's whole input (call approvals only; `None` for an elevation or an input
    /// larger than the stored bound).
    pub input: Option<Value>,
    /// The classifier's reasons for the call's effect.
    pub reasons: Vec<String>,
    /// What the person who decided wrote.
    pub note: Option<String>,
}

impl Approval {
    /// The status as of `now`: a pending approval past its deadline has expired.
    pub fn status_at(&self, now: DateTime<Utc>) -> &str {
        if self.status == "pending" && now >= self.expires_at {
            "expired"
        } else {
            &self.status
        }
    }
}

/// A notification webhook: told about every new approval of its organization.
#[derive(Debug, Clone, PartialEq)]
pub struct Webhook {
    pub id: String,
    pub org_id: String,
    pub url: String,
    /// Signs each delivery; never returned by the API.
    pub secret: String,
    /// `json` or `slack`.
    pub format: String,
    pub created_at: DateTime<Utc>,
}

/// A console sign-in session. The token is only in the browser's cookie.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsoleSession {
    /// Hex SHA-256 of the session token.
    pub token_hash: String,
    pub org_id: String,
    /// The admin key that signed in.
    pub key_id: String,
    /// The token every state-changing console request must carry.
    pub csrf: String,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub id: String,
    pub org_id: String,
    pub agent_id: String,
    pub hash: String,
    pub scopes: Vec<String>,
    pub session_id: Option<String>,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoke_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TelemetryEvent {
    pub event_type: String,
    pub tool_name: String,
    pub duration_ms: Option<i64>,
    pub success: Option<bool>,
    pub error_type: Option<String>,
    pub timestamp: Option<String>,
}

/// Formats a timestamp as RFC 3339 UTC with microseconds and `Z`, the form every SDK parses.
pub fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

/// A pinned tool definition of an MCP server.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolPin {
    pub org_id: String,
    pub server_id: String,
    pub name: String,
    /// Canonical JSON of the pinned definition.
    pub definition: String,
    pub digest: String,
    /// `pinned`, or `changed` while a different definition waits for acceptance.
    pub status: String,
    pub pending_definition: Option<String>,
    pub pending_digest: Option<String>,
    pub pinned_at: DateTime<Utc>,
    pub changed_at: Option<DateTime<Utc>>,
}

/// The Deep tier's reviewers of an organization: their configuration as a JSON list, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewerSet {
    pub org_id: String,
    /// The JSON list of reviewers (the server validates it before it is written).
    pub reviewers: String,
    pub updated_at: DateTime<Utc>,
}

/// A Spot Guard (Cedar) policy of an organization, at its current version.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Policy {
    pub org_id: String,
    pub id: String,
    pub description: String,
    pub text: String,
    /// `enforce` or `log_only`.
    pub mode: String,
    pub version: u64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Who made the current version (the API key's name or id).
    pub updated_by: String,
}

/// One kept version of a policy: every change, deletion included.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyVersion {
    pub org_id: String,
    pub policy_id: String,
    pub version: u64,
    /// `created`, `updated` or `deleted`.
    pub change: String,
    pub description: String,
    pub text: String,
    pub mode: String,
    pub changed_by: String,
    pub changed_at: DateTime<Utc>,
}

/// A proof-of-possession challenge: single use, bound to one agent.
#[derive(Debug, Clone, PartialEq)]
pub struct PopChallenge {
    /// Hex SHA-256 of the nonce.
    pub nonce_hash: String,
    pub org_id: String,
    pub agent_id: String,
    pub expires_at: DateTime<Utc>,
}

/// An organization's security settings (no row: both off).
#[derive(Debug, Clone, PartialEq)]
pub struct SecuritySettings {
    pub org_id: String,
    pub require_proof_of_possession: bool,
    pub require_sender_constrained_tokens: bool,
    pub updated_at: DateTime<Utc>,
}

/// A trusted external OIDC issuer of an organization.
#[derive(Debug, Clone, PartialEq)]
pub struct FederationProvider {
    pub id: String,
    pub org_id: String,
    pub issuer: String,
    pub name: String,
    /// The `aud` its tokens must name.
    pub audience: String,
    pub jwks_uri: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub trust_level: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A federated token revoked before its expiry.
#[derive(Debug, Clone, PartialEq)]
pub struct FederationRevocation {
    /// Hex SHA-256 of the token.
    pub token_hash: String,
    pub org_id: String,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: DateTime<Utc>,
}

/// The provider that vouched for a federated session's agent.
#[derive(Debug, Clone, PartialEq)]
pub struct FederatedSession {
    pub org_id: String,
    pub session_id: String,
    pub provider_id: String,
    pub issuer: String,
    pub trust_level: String,
}
