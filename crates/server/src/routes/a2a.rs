//! The A2A gateway's HTTP edge (docs/a2a.md): `POST /a2a`, `POST /a2a/agents/{agent_id}`
//! (JSON-RPC 2.0, API key) and the public `GET /a2a/agents/{agent_id}/agent.json`. The
//! service decides and answers; this module only moves bytes and picks the HTTP status.

#![allow(dead_code)] // the schemas are described, never built

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use utoipa::ToSchema;

use crate::Service;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::params::Path;
use crate::service::a2a::A2aCall;

/// The header that names the session whose ceiling decides the call.
pub const SESSION_HEADER: &str = "x-session-id";

/// A JSON-RPC 2.0 request: `message/send`, `tasks/send`, `tasks/get`, `tasks/cancel` or
/// `tasks/resubscribe`.
#[derive(ToSchema)]
pub struct JsonRpcRequest {
    /// `"2.0"`.
    jsonrpc: String,
    /// A string or a number.
    id: Value,
    method: String,
    /// `message/send`: `{message: {role, parts[], messageId, taskId?}}`; `tasks/send`:
    /// `{source_agent_id, target_agent_id, message, metadata?}`; the others: `{id}` or
    /// `{task_id}`.
    params: Value,
}

/// A JSON-RPC 2.0 response: `result` (a task) or `error` (`{code, message, data?}`; a denial
/// is code -32010 with the recorded decision in `data`).
#[derive(ToSchema)]
pub struct JsonRpcResponse {
    jsonrpc: String,
    /// The request's id (`null` when it could not be read).
    id: Value,
    result: Option<Value>,
    error: Option<Value>,
}

/// An A2A 1.0 agent card, signed (`signatures[]`, a detached JWS with the server's audit key).
#[derive(ToSchema)]
pub struct AgentCardAnswer {
    name: String,
    description: String,
    version: String,
    #[schema(value_type = Vec<Object>)]
    #[schema(rename = "supportedInterfaces")]
    supported_interfaces: Vec<Value>,
    #[schema(value_type = Object)]
    capabilities: Value,
    #[schema(value_type = Vec<Object>)]
    skills: Vec<Value>,
    #[schema(value_type = Vec<Object>)]
    signatures: Vec<Value>,
}

/// The errors of the JSON-RPC routes that are not JSON-RPC responses (a 400 is one).
pub struct A2aErrors;

impl utoipa::IntoResponses for A2aErrors {
    fn responses()
    -> std::collections::BTreeMap<String, utoipa::openapi::RefOr<utoipa::openapi::Response>> {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        [
            ("401", "Missing, unknown or revoked API key"),
            ("413", "Body larger than --max-body-bytes"),
            (
                "503",
                "The store could not authenticate the key; nothing was decided",
            ),
        ]
        .into_iter()
        .map(|(status, description)| {
            let response = ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build();
            (status.to_string(), response.into())
        })
        .collect()
    }
}

#[utoipa::path(
    post,
    path = "/a2a",
    tag = "a2a",
    request_body = JsonRpcRequest,
    params(("X-Session-ID" = Option<String>, Header, description = "The session whose scope ceiling decides the call")),
    security(("api_key" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "A JSON-RPC result or error (a denial is an error with the recorded decision)", body = JsonRpcResponse),
        (status = 400, description = "Not JSON, or not a JSON-RPC 2.0 request: a JSON-RPC parse or invalid-request error", body = JsonRpcResponse),
        A2aErrors
    )
)]
pub async fn rpc(
    State(service): State<Service>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    answer(&service, &caller, &headers, None, body).await
}

#[utoipa::path(
    post,
    path = "/a2a/agents/{agent_id}",
    tag = "a2a",
    request_body = JsonRpcRequest,
    params(
        ("agent_id" = String, Path, description = "The target agent: the actor the call is decided for"),
        ("X-Session-ID" = Option<String>, Header, description = "The session whose scope ceiling decides the call"),
    ),
    security(("api_key" = []), ("bearer" = [])),
    responses(
        (status = 200, description = "A JSON-RPC result or error (a denial is an error with the recorded decision)", body = JsonRpcResponse),
        (status = 400, description = "Not JSON, or not a JSON-RPC 2.0 request: a JSON-RPC parse or invalid-request error", body = JsonRpcResponse),
        A2aErrors
    )
)]
pub async fn agent_rpc(
    State(service): State<Service>,
    caller: Caller,
    Path(agent_id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    answer(&service, &caller, &headers, Some(agent_id), body).await
}

async fn answer(
    service: &Service,
    caller: &Caller,
    headers: &HeaderMap,
    agent_id: Option<String>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    // A body that cannot be read is answered like one that is not JSON (a JSON-RPC parse
    // error), so that every 400 of these routes is a JSON-RPC response.
    let body = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return Err(ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                "request body is too large",
            ));
        }
        Err(_) => Bytes::new(),
    };
    // Not UTF-8: replaced characters, which the service refuses as not printable ASCII.
    let session_id = headers
        .get(SESSION_HEADER)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let call = A2aCall {
        agent_id,
        session_id,
    };
    let reply = service.a2a(caller, call, &body).await;
    let status = if reply.malformed {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::OK
    };
    Ok((status, Json(reply.body)).into_response())
}

#[utoipa::path(
    get,
    path = "/a2a/agents/{agent_id}/agent.json",
    tag = "a2a",
    params(("agent_id" = String, Path, description = "The agent id")),
    responses(
        (status = 200, description = "The agent's published, signed A2A card (no key needed)", body = AgentCardAnswer),
        (status = 400, description = "A malformed agent id in the path", body = super::openapi::answers::ErrorBody),
        (status = 404, description = "No published card for this agent", body = super::openapi::answers::ErrorBody),
        (status = 503, description = "The store could not be read", body = super::openapi::answers::ErrorBody),
    )
)]
pub async fn public_card(
    State(service): State<Service>,
    Path(agent_id): Path<String>,
) -> Result<Response, ApiError> {
    match service.public_agent_card(&agent_id).await? {
        Some(card) => {
            Ok(([(header::CACHE_CONTROL, "public, max-age=60")], Json(card)).into_response())
        }
        None => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no published agent card for this agent",
        )),
    }
}
