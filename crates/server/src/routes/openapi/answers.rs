//! Schemas of the answers the handlers build with `serde_json::json!` (view.rs and the route
//! modules). They describe the JSON, field for field; they are never serialized. schemathesis
//! (tests/openapi) checks every answer against them, so a field changed in a view without
//! changing it here fails CI.

#![allow(dead_code)]

use serde_json::Value;
use utoipa::ToSchema;

/// Every 4xx (and 503) answer.
#[derive(serde::Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable code: `invalid_request`, `missing_field`, `unauthorized`, `not_found`, …
    error: String,
    message: String,
}

#[derive(serde::Serialize, ToSchema)]
pub struct Health {
    /// `healthy` or `unhealthy`.
    status: String,
    service: String,
    version: String,
}

#[derive(serde::Serialize, ToSchema)]
pub struct Agent {
    id: String,
    name: String,
    org_id: String,
    framework: String,
    public_key: String,
    /// `active`, `suspended` or `revoked`.
    status: String,
    capabilities: Vec<String>,
    metadata: Value,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    revoked_at: Option<String>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct AgentList {
    agents: Vec<Agent>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct RevokedAgent {
    status: String,
    agent: Agent,
}

#[derive(serde::Serialize, ToSchema)]
pub struct ServerTool {
    name: String,
    effect_override: Option<String>,
    require_approval: bool,
}

#[derive(serde::Serialize, ToSchema)]
pub struct Server {
    id: String,
    org_id: String,
    name: String,
    url: String,
    description: String,
    capabilities: Vec<String>,
    tools: Vec<ServerTool>,
    default_mode: String,
    allowed_methods: Vec<String>,
    approval_wait_secs: u64,
    status: String,
    #[schema(format = DateTime)]
    created_at: String,
}

#[derive(serde::Serialize, ToSchema)]
pub struct ServerList {
    servers: Vec<Server>,
}

/// What a `DELETE` answers.
#[derive(serde::Serialize, ToSchema)]
pub struct Deleted {
    deleted: bool,
    id: String,
}

#[derive(serde::Serialize, ToSchema)]
pub struct Session {
    session_id: String,
    agent_id: String,
    org_id: String,
    source: String,
    server_id: String,
    delegation_id: String,
    provider_id: String,
    issuer: String,
    trust_level: String,
    mode: String,
    base_mode: String,
    #[schema(format = DateTime)]
    elevated_until: Option<String>,
    allowed_actions: Vec<String>,
    scope_ceiling: Vec<String>,
    total_calls: u64,
    read_calls: u64,
    write_calls: u64,
    denied_calls: u64,
    head: String,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    last_activity_at: String,
}

#[derive(serde::Serialize, ToSchema)]
pub struct CheckAnswer {
    allowed: bool,
    check_id: String,
    session_id: String,
    reason: String,
    reasons: Vec<String>,
    effect: String,
    risk_tier: String,
    rule: String,
    guard_tier: String,
    confidence: f64,
    latency_ms: u64,
    elevation_required: bool,
    /// Present when the call waits for an approval.
    approval_id: Option<String>,
    receipt: Receipt,
}

/// The signed receipt of a recorded decision (docs/audit.md): Ed25519 over
/// `"airlock-receipt-v1\n"` and the canonical JSON of the other fields, by the key `key_id` of
/// `GET /api/v1/audit/public-key`; or, with `batch`, over the Merkle root of the receipts
/// signed together.
#[derive(serde::Serialize, ToSchema)]
pub struct Receipt {
    check_id: String,
    session_id: String,
    /// The decision's position in the session's chain.
    seq: u64,
    /// SHA-256 (hex) of the call's canonical input.
    input_digest: String,
    effect: String,
    allowed: bool,
    #[schema(format = DateTime)]
    decided_at: String,
    /// The chain head after this decision (its link).
    chain_head: String,
    key_id: String,
    /// base64url without padding.
    signature: String,
    /// Present when one signature covers several receipts: this one's place in their tree.
    batch: Option<ReceiptBatch>,
}

/// Where a receipt sits among the receipts one signature covers (docs/audit.md).
#[derive(serde::Serialize, ToSchema)]
pub struct ReceiptBatch {
    index: u64,
    size: u64,
    /// Sibling hashes (hex), from the receipt's leaf up to the root.
    path: Vec<String>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct Approval {
    id: String,
    session_id: String,
    agent_id: String,
    org_id: String,
    /// `elevation` or `call`.
    kind: String,
    action_name: String,
    action_effect: String,
    input_digest: String,
    reason: String,
    status: String,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    expires_at: String,
    decided_by: Option<String>,
    #[schema(format = DateTime)]
    decided_at: Option<String>,
    #[schema(format = DateTime)]
    used_at: Option<String>,
    reasons: Vec<String>,
    note: Option<String>,
    input_stored: bool,
    /// The call's whole input: on `GET /mcp/approvals/{id}` with an admin key only.
    input: Option<Value>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct ApprovalList {
    approvals: Vec<Approval>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct DecidedApproval {
    status: String,
    approval: Approval,
    #[schema(format = DateTime)]
    elevated_until: Option<String>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct Webhook {
    id: String,
    url: String,
    format: String,
    secret_hint: String,
    #[schema(format = DateTime)]
    created_at: String,
}

#[derive(serde::Serialize, ToSchema)]
pub struct WebhookList {
    webhooks: Vec<Webhook>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct IssuedToken {
    token: String,
    token_id: String,
    agent_id: String,
    scopes: Vec<String>,
    audience: Vec<String>,
    session_id: Option<String>,
    #[schema(format = DateTime)]
    issued_at: String,
    #[schema(format = DateTime)]
    expires_at: String,
}

/// An introspection: the agent, org, session and expiry fields only when `active`.
#[derive(serde::Serialize, ToSchema)]
pub struct Introspection {
    active: bool,
    valid: bool,
    scopes: Vec<String>,
    reasoning: String,
    guard_tier: String,
    confidence: f64,
    latency_ms: u64,
    agent_id: Option<String>,
    org_id: Option<String>,
    session_id: Option<String>,
    #[schema(format = DateTime)]
    expires_at: Option<String>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct TokenRevoked {
    revoked: bool,
}

#[derive(serde::Serialize, ToSchema)]
pub struct ToolPin {
    name: String,
    /// `pinned` or `changed`.
    status: String,
    #[schema(format = DateTime)]
    pinned_at: String,
    #[schema(format = DateTime)]
    changed_at: Option<String>,
    definition: Value,
    pending_definition: Option<Value>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct ToolPinList {
    tools: Vec<ToolPin>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct ObservedTool {
    name: String,
    /// `new`, `pinned` or `changed`.
    status: String,
    in_scope: bool,
}

#[derive(serde::Serialize, ToSchema)]
pub struct ObservedTools {
    tools: Vec<ObservedTool>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct AcceptedTools {
    accepted: Vec<String>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct TelemetryAnswer {
    accepted: bool,
    events_processed: u64,
}

#[derive(serde::Serialize, ToSchema)]
pub struct Decision {
    seq: u64,
    check_id: String,
    session_id: String,
    agent_id: String,
    action_name: String,
    effect: String,
    risk: String,
    allowed: bool,
    reason: String,
    reasons: Vec<String>,
    guard_tier: String,
    rule: String,
    confidence: f64,
    input_digest: String,
    input_summary: String,
    approval_id: Option<String>,
    source: String,
    latency_us: u64,
    #[schema(format = DateTime)]
    decided_at: String,
    hash: String,
}

#[derive(serde::Serialize, ToSchema)]
pub struct DecisionLog {
    session_id: String,
    head: String,
    total_calls: u64,
    decisions: Vec<Decision>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct Verification {
    valid: bool,
    entries: u64,
    calls: u64,
    head: String,
    /// The first break, when not valid.
    error: Option<String>,
    /// The sequence number of the first entry found bad (for a truncation: the first one
    /// missing), when not valid.
    first_bad_seq: Option<u64>,
    /// Entries accepted as legacy (unkeyed links written before keyed links existed).
    legacy_entries: u64,
    /// How many checkpoint claims about this session were checked.
    checkpoints_checked: u64,
}

#[derive(serde::Serialize, ToSchema)]
pub struct AuditPublicKey {
    key_id: String,
    /// `Ed25519`.
    algorithm: String,
    /// The raw 32-byte key, base64url without padding.
    public_key: String,
    /// Whether new receipts are signed with it.
    current: bool,
}

/// The audit public keys, current and old.
#[derive(serde::Serialize, ToSchema)]
pub struct AuditPublicKeys {
    keys: Vec<AuditPublicKey>,
}

/// The Deep tier's reviewers, in order (docs/reviewers.md); webhook secrets are shown as a hint.
#[derive(serde::Serialize, ToSchema)]
pub struct Reviewers {
    reviewers: Vec<Value>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct Policy {
    id: String,
    description: String,
    text: String,
    /// `enforce` or `log_only`.
    mode: String,
    version: u64,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    updated_at: String,
    updated_by: String,
}

#[derive(serde::Serialize, ToSchema)]
pub struct PolicyVersion {
    version: u64,
    /// `created`, `updated` or `deleted`.
    change: String,
    description: String,
    text: String,
    mode: String,
    changed_by: String,
    #[schema(format = DateTime)]
    changed_at: String,
}

/// A policy with every kept version.
#[derive(serde::Serialize, ToSchema)]
pub struct PolicyDetail {
    id: String,
    description: String,
    text: String,
    mode: String,
    version: u64,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    updated_at: String,
    updated_by: String,
    versions: Vec<PolicyVersion>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct PolicyList {
    policies: Vec<Policy>,
}

/// AuthZEN `subject`: the agent.
#[derive(serde::Serialize, ToSchema)]
pub struct AuthzenSubject {
    /// Must be `agent`.
    r#type: String,
    id: String,
    properties: Option<Value>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct AuthzenAction {
    name: String,
}

#[derive(serde::Serialize, ToSchema)]
pub struct AuthzenResource {
    /// `mcp_server` or `tool`.
    r#type: String,
    id: String,
}

#[derive(serde::Serialize, ToSchema)]
pub struct AuthzenContext {
    input: Option<Value>,
    session_id: Option<String>,
    effect: Option<String>,
}

/// An AuthZEN 1.0 Access Evaluation request.
#[derive(serde::Serialize, ToSchema)]
pub struct EvaluationRequest {
    subject: AuthzenSubject,
    action: AuthzenAction,
    resource: AuthzenResource,
    context: Option<AuthzenContext>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct EvaluationsOptions {
    /// `execute_all`, `deny_on_first_deny` or `permit_on_first_permit`.
    evaluations_semantic: Option<String>,
}

/// An AuthZEN 1.0 Access Evaluations request: the top-level members are defaults each item's
/// own replace. Without `evaluations` it is a single evaluation.
#[derive(serde::Serialize, ToSchema)]
pub struct EvaluationsRequest {
    subject: Option<AuthzenSubject>,
    action: Option<AuthzenAction>,
    resource: Option<AuthzenResource>,
    context: Option<AuthzenContext>,
    evaluations: Option<Vec<Value>>,
    options: Option<EvaluationsOptions>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct AuthzenDecisionError {
    status: u16,
    message: String,
}

#[derive(serde::Serialize, ToSchema)]
pub struct AuthzenDecisionContext {
    reason: String,
    check_id: Option<String>,
    session_id: Option<String>,
    approval_id: Option<String>,
    /// The decision's signed receipt; absent when it could not be decided.
    receipt: Option<Receipt>,
    /// An evaluation of a batch that could not be decided (closed).
    error: Option<AuthzenDecisionError>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct AuthzenDecision {
    decision: bool,
    context: AuthzenDecisionContext,
}

#[derive(serde::Serialize, ToSchema)]
pub struct AuthzenDecisions {
    evaluations: Vec<AuthzenDecision>,
}

/// `POST /access/v1/evaluations` answers a list, or one Decision when the request has no items.
#[derive(serde::Serialize, ToSchema)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)]
pub enum EvaluationsAnswer {
    Many(AuthzenDecisions),
    One(AuthzenDecision),
}

/// A 403 of `POST /access/v1/evaluation`: a denial (with `X-Airlock-Deny-Status: 403`) or
/// an error.
#[derive(serde::Serialize, ToSchema)]
#[serde(untagged)]
#[allow(clippy::large_enum_variant)]
pub enum DeniedOrForbidden {
    Denied(AuthzenDecision),
    Forbidden(ErrorBody),
}

#[derive(serde::Serialize, ToSchema)]
pub struct AuthzenConfiguration {
    policy_decision_point: String,
    access_evaluation_endpoint: String,
    access_evaluations_endpoint: String,
}

/// A SIEM destination (docs/siem.md); the auth token is never answered.
#[derive(serde::Serialize, ToSchema)]
pub struct SiemDestination {
    id: String,
    org_id: String,
    name: String,
    /// `webhook` or `splunk_hec`.
    destination_type: String,
    endpoint_url: String,
    /// `****` and the token's last 4 characters (only `****` for a short token); empty: none.
    auth_token: String,
    is_active: bool,
    batch_size: u64,
    flush_interval_seconds: u64,
    /// Event types delivered; empty: every type.
    filter_event_types: Vec<String>,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    updated_at: String,
}

#[derive(serde::Serialize, ToSchema)]
pub struct SiemDestinationList {
    destinations: Vec<SiemDestination>,
    total: u64,
}

/// One delivery attempt of a batch.
#[derive(serde::Serialize, ToSchema)]
pub struct SiemDelivery {
    id: String,
    destination_id: String,
    batch_size: u64,
    /// `success` or `failed`.
    status: String,
    /// The HTTP status; 0 when there was no answer.
    status_code: u64,
    error_message: String,
    #[schema(format = DateTime)]
    delivered_at: String,
}

#[derive(serde::Serialize, ToSchema)]
pub struct SiemDeliveryLogs {
    logs: Vec<SiemDelivery>,
    total: u64,
}

#[derive(serde::Serialize, ToSchema)]
pub struct SiemTestAnswer {
    destination_id: String,
    success: bool,
    /// `success` or `failed`.
    status: String,
    /// The HTTP status; 0 when there was no answer.
    status_code: u16,
    error_message: String,
}
