use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use serde::Deserialize;
use serde_json::{Value, json};

use airlock_core::session::BaseMode;
use airlock_store::model::{Server, ToolDef};

use crate::Service;
use crate::auth::{Caller, new_id};
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::validate;
use crate::view;

#[derive(Deserialize)]
pub struct ToolBody {
    #[serde(default)]
    name: String,
    #[serde(default)]
    effect_override: Option<String>,
    #[serde(default)]
    require_approval: bool,
}

#[derive(Deserialize)]
pub struct CreateServer {
    #[serde(default)]
    name: String,
    #[serde(default)]
    url: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    capabilities: Option<Vec<String>>,
    #[serde(default)]
    tools: Option<Vec<ToolBody>>,
    #[serde(default)]
    default_mode: Option<String>,
}

fn check_url(url: &str) -> Result<String, ApiError> {
    let url = validate::text("url", url, validate::MAX_URL)?;
    let lower = url.to_ascii_lowercase();
    let scheme_ok = lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("stdio:");
    if !scheme_ok || url.chars().any(char::is_whitespace) {
        return Err(ApiError::invalid(
            "`url` must be an http(s) URL (or stdio:<command> for a local server)",
        ));
    }
    Ok(url.to_string())
}

pub async fn create(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<CreateServer>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require_admin("register MCP servers")?;
    let name = validate::text("name", &body.name, validate::MAX_NAME)?.to_string();
    let url = check_url(&body.url)?;
    let description = body.description.unwrap_or_default();
    let description = validate::optional_text("description", &description, 4096)?.to_string();
    let capabilities = body
        .capabilities
        .as_deref()
        .map(|c| validate::capabilities("capabilities", c))
        .transpose()?;
    let tools_in = body.tools.unwrap_or_default();
    if tools_in.len() > validate::MAX_LIST {
        return Err(ApiError::invalid(format!(
            "`tools` has more than {} entries",
            validate::MAX_LIST
        )));
    }
    let mut tools = Vec::with_capacity(tools_in.len());
    for t in tools_in {
        let name = validate::text("tools[].name", &t.name, validate::MAX_NAME)?.to_string();
        let effect = validate::effect("tools[].effect_override", t.effect_override.as_deref())?;
        if tools.iter().any(|x: &ToolDef| x.name == name) {
            return Err(ApiError::invalid(format!("tool `{name}` is listed twice")));
        }
        tools.push(ToolDef {
            name,
            effect_override: effect.map(|e| e.as_str().to_string()),
            require_approval: t.require_approval,
        });
    }
    let mode = body.default_mode.unwrap_or_else(|| "read_only".into());
    let mode = BaseMode::parse(mode.trim()).ok_or_else(|| {
        ApiError::bad_request(
            "invalid_mode",
            format!(
                "`default_mode` must be read_only or standard, not `{}`",
                crate::error::clip(&mode, 40)
            ),
        )
    })?;
    let server = Server {
        id: new_id("srv"),
        org_id: caller.org_id.clone(),
        name,
        url,
        description,
        capabilities,
        tools,
        default_mode: mode.as_str().to_string(),
        status: "active".into(),
        created_at: Utc::now(),
    };
    let stored = server.clone();
    service
        .store()
        .run(move |tx| tx.insert_server(&stored))
        .await?;
    Ok((StatusCode::CREATED, Json(view::server(&server))))
}

pub async fn list(State(service): State<Service>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let org = caller.org_id.clone();
    let servers = service.store().run(move |tx| tx.list_servers(&org)).await?;
    Ok(Json(
        json!({"servers": servers.iter().map(view::server).collect::<Vec<_>>()}),
    ))
}

pub async fn get(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let org = caller.org_id.clone();
    let key = id.clone();
    let server = service.store().run(move |tx| tx.server(&org, &key)).await?;
    server
        .map(|s| Json(view::server(&s)))
        .ok_or_else(|| ApiError::not_found("server", &id))
}

pub async fn delete(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    caller.require_admin("remove MCP servers")?;
    let org = caller.org_id.clone();
    let key = id.clone();
    if !service
        .store()
        .run(move |tx| tx.delete_server(&org, &key))
        .await?
    {
        return Err(ApiError::not_found("server", &id));
    }
    Ok(Json(json!({"deleted": true, "id": id})))
}
