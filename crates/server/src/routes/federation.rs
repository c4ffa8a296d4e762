//! Federation routes (docs/identity.md#federation): trusted OIDC issuers, federated token
//! introspection (both paths the SDKs call), revocation, and federated sessions.

#![allow(dead_code)] // the answer schemas are described, never built

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use super::openapi::Errors;
use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::params::Path;
use crate::service::identity::{Federated, NewProvider};
use crate::view;
use airlock_store::model::{FederationProvider, ts};

fn provider_json(p: &FederationProvider) -> Value {
    json!({
        "id": p.id,
        "org_id": p.org_id,
        "issuer": p.issuer,
        "name": p.name,
        "audience": p.audience,
        "jwks_uri": p.jwks_uri,
        "authorization_endpoint": p.authorization_endpoint,
        "token_endpoint": p.token_endpoint,
        "trust_level": p.trust_level,
        "status": p.status,
        "created_at": ts(p.created_at),
        "updated_at": ts(p.updated_at),
    })
}

#[derive(serde::Serialize, ToSchema)]
pub struct ProviderAnswer {
    id: String,
    org_id: String,
    issuer: String,
    name: String,
    /// The `aud` its tokens must carry.
    audience: String,
    jwks_uri: String,
    authorization_endpoint: String,
    token_endpoint: String,
    trust_level: String,
    status: String,
    #[schema(format = DateTime)]
    created_at: String,
    #[schema(format = DateTime)]
    updated_at: String,
}

#[derive(serde::Serialize, ToSchema)]
pub struct ProviderWrapped {
    provider: ProviderAnswer,
}

#[derive(serde::Serialize, ToSchema)]
pub struct ProviderList {
    providers: Vec<ProviderAnswer>,
}

#[derive(Deserialize, ToSchema)]
pub struct ProviderBody {
    #[serde(default)]
    issuer: String,
    #[serde(default)]
    name: String,
    /// Default `standard`.
    #[serde(default)]
    trust_level: Option<String>,
    /// The `aud` its tokens must carry; default: this server's trust domain.
    #[serde(default)]
    audience: Option<String>,
}

#[utoipa::path(
    post,
    path = "/api/v1/federation/providers",
    tag = "federation",
    request_body = ProviderBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 201, description = "The provider, after discovery", body = ProviderWrapped), Errors)
)]
pub async fn create(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<ProviderBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let p = service
        .register_provider(
            &caller,
            NewProvider {
                issuer: body.issuer,
                name: body.name,
                trust_level: body.trust_level,
                audience: body.audience,
            },
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"provider": provider_json(&p)})),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/federation/providers",
    tag = "federation",
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "The organization's providers", body = ProviderList), Errors)
)]
pub async fn list(State(service): State<Service>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let all = service.federation_providers(&caller).await?;
    Ok(Json(
        json!({"providers": all.iter().map(provider_json).collect::<Vec<_>>()}),
    ))
}

#[derive(serde::Serialize, ToSchema)]
pub struct Deleted {
    deleted: bool,
    id: String,
}

#[utoipa::path(
    delete,
    path = "/api/v1/federation/providers/{id}",
    tag = "federation",
    params(("id" = String, Path, description = "The provider id")),
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "Deleted", body = Deleted), Errors)
)]
pub async fn delete(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    service.delete_provider(&caller, &id).await?;
    Ok(Json(json!({"deleted": true, "id": id})))
}

#[derive(Deserialize, ToSchema)]
pub struct TokenBody {
    #[serde(default)]
    token: String,
    #[serde(default)]
    issuer_hint: Option<String>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct IntrospectionAnswer {
    active: bool,
    /// The same as `active`, for older clients.
    valid: bool,
    agent_id: Option<String>,
    subject: Option<String>,
    issuer: Option<String>,
    provider_id: Option<String>,
    trust_level: Option<String>,
    #[schema(format = DateTime)]
    expires_at: Option<String>,
    /// Why it is not active.
    error: Option<String>,
}

fn introspection(f: &Federated) -> Value {
    json!({
        "active": f.active,
        "valid": f.active,
        "agent_id": f.agent_id,
        "subject": f.subject,
        "issuer": f.issuer,
        "provider_id": f.provider.as_ref().map(|p| p.id.clone()),
        "trust_level": f.provider.as_ref().map(|p| p.trust_level.clone()),
        "expires_at": f.expires_at.map(ts),
        "error": f.error,
    })
}

#[utoipa::path(
    post,
    path = "/api/v1/federation/tokens/introspect",
    tag = "federation",
    request_body = TokenBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "Whether the federated token is valid now, and for which agent", body = IntrospectionAnswer), Errors)
)]
pub async fn introspect(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<TokenBody>,
) -> Result<Json<Value>, ApiError> {
    let f = service
        .introspect_federated(&caller, &body.token, body.issuer_hint.as_deref())
        .await?;
    Ok(Json(introspection(&f)))
}

/// `POST /api/v1/federation/tokens/verify`: the same, under the name the TS, Go and Rust
/// SDKs call.
#[utoipa::path(
    post,
    path = "/api/v1/federation/tokens/verify",
    tag = "federation",
    request_body = TokenBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "Whether the federated token is valid now, and for which agent", body = IntrospectionAnswer), Errors)
)]
pub async fn verify(
    state: State<Service>,
    caller: Caller,
    body: JsonBody<TokenBody>,
) -> Result<Json<Value>, ApiError> {
    introspect(state, caller, body).await
}

#[derive(serde::Serialize, ToSchema)]
pub struct Revoked {
    revoked: bool,
}

#[utoipa::path(
    post,
    path = "/api/v1/federation/tokens/revoke",
    tag = "federation",
    request_body = TokenBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "Whether a valid token was revoked (until it expires)", body = Revoked), Errors)
)]
pub async fn revoke(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<TokenBody>,
) -> Result<Json<Value>, ApiError> {
    let revoked = service.revoke_federated(&caller, &body.token).await?;
    Ok(Json(json!({"revoked": revoked})))
}

#[utoipa::path(
    post,
    path = "/api/v1/federation/sessions/init",
    tag = "federation",
    request_body = TokenBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 201, description = "A session (`source: federation`) of the agent the token names", body = super::openapi::answers::Session), Errors)
)]
pub async fn session(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<TokenBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (session, provider) = service
        .open_federated_session(&caller, &body.token, body.issuer_hint.as_deref())
        .await?;
    let mut answer = view::session(&session, Utc::now());
    if let Some(fields) = answer.as_object_mut() {
        fields.insert("provider_id".into(), json!(provider.id));
        fields.insert("issuer".into(), json!(provider.issuer));
        fields.insert("trust_level".into(), json!(provider.trust_level));
    }
    Ok((StatusCode::CREATED, Json(answer)))
}

#[derive(Deserialize, ToSchema)]
pub struct IssueBody {
    #[serde(default)]
    agent_id: String,
    #[serde(default)]
    scopes: Vec<String>,
    /// Seconds (default: the agent token default).
    #[serde(default)]
    ttl: Option<i64>,
    #[serde(default)]
    audience: Option<String>,
}

#[derive(serde::Serialize, ToSchema)]
pub struct IssuedAnswer {
    /// An agent token (`at_…`): Airlock issues no OIDC ID tokens. Only this name: the Rust
    /// SDK reads `token` as another name of it and refuses both at once.
    id_token: String,
    expires_in: i64,
    #[schema(format = DateTime)]
    expires_at: String,
}

/// The deprecated issuing route the TS, Go and Rust SDKs still call: an opaque agent token,
/// as `POST /api/v1/agent-tokens/issue` gives (Airlock issues no OIDC ID tokens).
#[utoipa::path(
    post,
    path = "/api/v1/federation/tokens/issue",
    tag = "federation",
    request_body = IssueBody,
    security(("api_key" = []), ("bearer" = [])),
    responses((status = 200, description = "An agent token", body = IssuedAnswer), Errors)
)]
pub async fn issue(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<IssueBody>,
) -> Result<Json<Value>, ApiError> {
    let issued = service
        .issue_token(
            &caller,
            crate::service::TokenRequest {
                agent_id: body.agent_id,
                scopes: body.scopes,
                ttl_secs: body.ttl,
                session_id: None,
            },
        )
        .await?;
    let t = &issued.token;
    Ok(Json(json!({
        "id_token": issued.secret,
        "expires_in": (t.expires_at - t.issued_at).num_seconds(),
        "expires_at": ts(t.expires_at),
    })))
}
