use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

use airlock_core::scope;
use airlock_store::model::{Token, ts};

use crate::Service;
use crate::auth::{Caller, TOKEN_PREFIX, hash_secret, new_id, new_secret, same_hash};
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::validate;

#[derive(Deserialize)]
pub struct IssueBody {
    #[serde(default)]
    agent_id: String,
    #[serde(default)]
    scopes: Vec<String>,
    #[serde(default)]
    ttl: Option<i64>,
    #[serde(default)]
    ttl_seconds: Option<i64>,
    #[serde(default)]
    session_id: Option<String>,
}

enum IssueError {
    Agent,
    Inactive(String),
    Scope(String),
}

pub async fn issue(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<IssueBody>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let agent_id = validate::id("agent_id", &body.agent_id)?.to_string();
    let scopes = validate::capabilities("scopes", &body.scopes)?;
    let ttl = body
        .ttl
        .or(body.ttl_seconds)
        .unwrap_or(service.config().token_default_ttl_secs);
    if ttl < 1 || ttl > service.config().token_max_ttl_secs {
        return Err(ApiError::invalid(format!(
            "`ttl` must be between 1 and {} seconds",
            service.config().token_max_ttl_secs
        )));
    }
    let session_id = body.session_id.filter(|s| !s.is_empty());
    if let Some(s) = &session_id {
        validate::id("session_id", s)?;
    }
    let secret = new_secret(TOKEN_PREFIX);
    let now = Utc::now();
    let token = Token {
        id: new_id("tok"),
        org_id: caller.org_id.clone(),
        agent_id: agent_id.clone(),
        hash: hash_secret(&secret),
        scopes,
        session_id,
        issued_at: now,
        expires_at: now + chrono::Duration::seconds(ttl),
        revoked_at: None,
        revoke_reason: None,
    };
    let stored = token.clone();
    let result = service
        .store()
        .run(move |tx| {
            let Some(agent) = tx.agent(&stored.org_id, &stored.agent_id)? else {
                return Ok(Err(IssueError::Agent));
            };
            if agent.status != "active" {
                return Ok(Err(IssueError::Inactive(agent.status)));
            }
            // A token never carries more than the agent may do.
            if let Some(s) = stored
                .scopes
                .iter()
                .find(|s| scope::allowing(&agent.capabilities, s).is_none())
            {
                return Ok(Err(IssueError::Scope(s.clone())));
            }
            tx.insert_token(&stored)?;
            Ok(Ok(()))
        })
        .await?;
    match result {
        Ok(()) => Ok((
            StatusCode::CREATED,
            Json(json!({
                "token": secret,
                "token_id": token.id,
                "agent_id": token.agent_id,
                "scopes": token.scopes,
                "audience": [],
                "session_id": token.session_id,
                "issued_at": ts(token.issued_at),
                "expires_at": ts(token.expires_at),
            })),
        )),
        Err(IssueError::Agent) => Err(ApiError::not_found("agent", &agent_id)),
        Err(IssueError::Inactive(status)) => Err(ApiError::forbidden(format!(
            "agent `{agent_id}` is {status}"
        ))),
        Err(IssueError::Scope(s)) => Err(ApiError::forbidden(format!(
            "scope `{s}` is not among the agent's capabilities"
        ))),
    }
}

#[derive(Deserialize)]
pub struct IntrospectBody {
    #[serde(default)]
    token: String,
    #[serde(default)]
    required_scopes: Option<Vec<String>>,
}

pub async fn introspect(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<IntrospectBody>,
) -> Result<Json<Value>, ApiError> {
    let started = std::time::Instant::now();
    let token = validate::text("token", &body.token, 512)?.to_string();
    let required =
        validate::capabilities("required_scopes", &body.required_scopes.unwrap_or_default())?;
    let hash = hash_secret(&token);
    let org = caller.org_id.clone();
    let lookup = hash.clone();
    let found = service
        .store()
        .run(move |tx| {
            let Some(t) = tx.token_by_hash(&lookup)? else {
                return Ok(None);
            };
            if t.org_id != org {
                return Ok(None);
            }
            let agent_status = tx.agent(&org, &t.agent_id)?.map(|a| a.status);
            Ok(Some((t, agent_status)))
        })
        .await?;
    let now = Utc::now();
    let inactive = |why: &str| {
        Json(json!({
            "active": false,
            "valid": false,
            "scopes": [],
            "reasoning": why,
            "guard_tier": "fast",
            "confidence": 1.0,
            "latency_ms": started.elapsed().as_millis() as u64,
        }))
    };
    let Some((t, agent_status)) = found.filter(|(t, _)| same_hash(&t.hash, &hash)) else {
        return Ok(inactive("token not recognised"));
    };
    if t.revoked_at.is_some() {
        return Ok(inactive("token revoked"));
    }
    if now >= t.expires_at {
        return Ok(inactive("token expired"));
    }
    if agent_status.as_deref() != Some("active") {
        return Ok(inactive("agent is not active"));
    }
    if let Some(missing) = required
        .iter()
        .find(|r| scope::allowing(&t.scopes, r).is_none())
    {
        return Ok(inactive(&format!("token lacks required scope `{missing}`")));
    }
    Ok(Json(json!({
        "active": true,
        "valid": true,
        "agent_id": t.agent_id,
        "org_id": t.org_id,
        "scopes": t.scopes,
        "session_id": t.session_id,
        "expires_at": ts(t.expires_at),
        "reasoning": "Token valid, scopes sufficient",
        "guard_tier": "fast",
        "confidence": 1.0,
        "latency_ms": started.elapsed().as_millis() as u64,
    })))
}

#[derive(Deserialize)]
pub struct RevokeBody {
    #[serde(default)]
    token: String,
    #[serde(default)]
    reason: Option<String>,
}

pub async fn revoke(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<RevokeBody>,
) -> Result<Json<Value>, ApiError> {
    let token = validate::text("token", &body.token, 512)?.to_string();
    let reason = body.reason.unwrap_or_else(|| "manual_revocation".into());
    let reason = validate::optional_text("reason", &reason, 1024)?.to_string();
    let org = caller.org_id.clone();
    let hash = hash_secret(&token);
    let revoked = service
        .store()
        .run(move |tx| tx.revoke_token(&org, &hash, &reason, Utc::now()))
        .await?;
    Ok(Json(json!({"revoked": revoked})))
}
