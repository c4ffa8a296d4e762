//! The registry: agents and MCP servers of an organization.

use chrono::Utc;
use serde_json::{Value, json};

use airlock_core::session::BaseMode;
pub use airlock_store::model::{Agent, Server, ToolDef};

use super::{Caller, InvalidKind, Service, ServiceError, clip, validate};
use crate::auth::new_id;

/// An agent to register, as asked.
#[derive(Debug, Clone, Default)]
pub struct NewAgent {
    pub name: String,
    pub framework: Option<String>,
    pub capabilities: Vec<String>,
    pub metadata: Option<Value>,
    pub public_key: Option<String>,
    /// If given, it must be the caller's organization.
    pub org_id: Option<String>,
}

/// An MCP server to register, as asked.
#[derive(Debug, Clone, Default)]
pub struct NewServer {
    pub name: String,
    pub url: String,
    pub description: Option<String>,
    pub capabilities: Option<Vec<String>>,
    pub tools: Vec<NewTool>,
    pub default_mode: Option<String>,
    /// Custom JSON-RPC methods the server implements (exact names, see
    /// [`super::mcp_methods::custom_method_problem`]); `None` or empty: none.
    pub allowed_methods: Option<Vec<String>>,
    /// Seconds (0–[`MAX_APPROVAL_WAIT_SECS`]) a `tools/call` that needs an approval is held
    /// waiting for it; `None`: 0, not held.
    pub approval_wait_secs: Option<u64>,
}

/// The longest a registration may hold a call waiting for its approval.
pub const MAX_APPROVAL_WAIT_SECS: u64 = 600;

/// A tool of a server to register.
#[derive(Debug, Clone, Default)]
pub struct NewTool {
    pub name: String,
    pub effect_override: Option<String>,
    pub require_approval: bool,
}

fn check_url(url: &str) -> Result<String, ServiceError> {
    let url = validate::text("url", url, validate::MAX_URL)?;
    let lower = url.to_ascii_lowercase();
    let scheme_ok = lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("stdio:");
    if !scheme_ok || url.chars().any(char::is_whitespace) {
        return Err(ServiceError::invalid(
            "url",
            "`url` must be an http(s) URL (or stdio:<command> for a local server)",
        ));
    }
    Ok(url.to_string())
}

impl Service {
    /// Registers an agent (admin keys only).
    pub async fn register_agent(
        &self,
        caller: &Caller,
        new: NewAgent,
    ) -> Result<Agent, ServiceError> {
        caller.require_admin("register agents")?;
        let name = validate::text("name", &new.name, validate::MAX_NAME)?.to_string();
        let framework = new.framework.unwrap_or_default();
        let framework = validate::optional_text("framework", framework.trim(), 64)?;
        let framework = if framework.is_empty() {
            "custom".to_string()
        } else {
            framework.to_string()
        };
        let capabilities = validate::capabilities("capabilities", &new.capabilities)?;
        let metadata = new.metadata.unwrap_or_else(|| json!({}));
        if !metadata.is_object() {
            return Err(ServiceError::invalid(
                "metadata",
                "`metadata` must be an object",
            ));
        }
        if metadata.to_string().len() > 16 * 1024 {
            return Err(ServiceError::invalid(
                "metadata",
                "`metadata` is larger than 16 KiB",
            ));
        }
        // An Ed25519 PEM (or none): the key agents prove possession of (docs/identity.md).
        let public_key = super::identity::registration_key(&new.public_key.unwrap_or_default())?;
        if let Some(org) = new.org_id.as_deref().filter(|o| !o.is_empty())
            && org != caller.org_id
        {
            return Err(ServiceError::Forbidden(
                "`org_id` is not the organization of this API key".into(),
            ));
        }
        let agent = Agent {
            id: new_id("agt"),
            org_id: caller.org_id.clone(),
            name,
            framework,
            public_key,
            status: "active".into(),
            capabilities,
            metadata,
            created_at: Utc::now(),
            revoked_at: None,
            revoke_reason: None,
        };
        let stored = agent.clone();
        self.store().run(move |tx| tx.insert_agent(&stored)).await?;
        Ok(agent)
    }

    pub async fn agent(&self, caller: &Caller, id: &str) -> Result<Agent, ServiceError> {
        let (org, key) = (caller.org_id.clone(), id.to_string());
        self.store()
            .run(move |tx| tx.agent(&org, &key))
            .await?
            .ok_or_else(|| ServiceError::not_found("agent", id))
    }

    pub async fn agents(&self, caller: &Caller) -> Result<Vec<Agent>, ServiceError> {
        let org = caller.org_id.clone();
        Ok(self.store().run(move |tx| tx.list_agents(&org)).await?)
    }

    /// Revokes an agent (admin keys only); `reason` defaults to `manual_revocation`.
    pub async fn revoke_agent(
        &self,
        caller: &Caller,
        id: &str,
        reason: Option<&str>,
    ) -> Result<Agent, ServiceError> {
        caller.require_admin("revoke agents")?;
        let reason = reason.unwrap_or("manual_revocation");
        let reason = validate::optional_text("reason", reason, 1024)?.to_string();
        let (org, key) = (caller.org_id.clone(), id.to_string());
        self.store()
            .run(move |tx| {
                if !tx.revoke_agent(&org, &key, &reason, Utc::now())? {
                    return Ok(None);
                }
                tx.agent(&org, &key)
            })
            .await?
            .ok_or_else(|| ServiceError::not_found("agent", id))
    }

    /// Registers an MCP server (admin keys only).
    pub async fn register_server(
        &self,
        caller: &Caller,
        new: NewServer,
    ) -> Result<Server, ServiceError> {
        caller.require_admin("register MCP servers")?;
        let name = validate::text("name", &new.name, validate::MAX_NAME)?.to_string();
        let url = check_url(&new.url)?;
        let description = new.description.unwrap_or_default();
        let description = validate::optional_text("description", &description, 4096)?.to_string();
        let capabilities = new
            .capabilities
            .as_deref()
            .map(|c| validate::capabilities("capabilities", c))
            .transpose()?;
        if new.tools.len() > validate::MAX_LIST {
            return Err(ServiceError::invalid(
                "tools",
                format!("`tools` has more than {} entries", validate::MAX_LIST),
            ));
        }
        let mut tools = Vec::with_capacity(new.tools.len());
        for t in new.tools {
            let name = validate::text("tools[].name", &t.name, validate::MAX_NAME)?.to_string();
            let effect = validate::effect("tools[].effect_override", t.effect_override.as_deref())?;
            if tools.iter().any(|x: &ToolDef| x.name == name) {
                return Err(ServiceError::invalid(
                    "tools",
                    format!("tool `{name}` is listed twice"),
                ));
            }
            tools.push(ToolDef {
                name,
                effect_override: effect.map(|e| e.as_str().to_string()),
                require_approval: t.require_approval,
            });
        }
        let allowed_methods = super::mcp_methods::allowed_methods(
            "allowed_methods",
            new.allowed_methods.as_deref().unwrap_or_default(),
        )?;
        let approval_wait_secs = new.approval_wait_secs.unwrap_or(0);
        if approval_wait_secs > MAX_APPROVAL_WAIT_SECS {
            return Err(ServiceError::invalid(
                "approval_wait_secs",
                format!(
                    "`approval_wait_secs` must be between 0 and {MAX_APPROVAL_WAIT_SECS}, not {approval_wait_secs}"
                ),
            ));
        }
        let mode = new.default_mode.unwrap_or_else(|| "read_only".into());
        let mode = BaseMode::parse(mode.trim()).ok_or_else(|| {
            ServiceError::invalid_as(
                "default_mode",
                InvalidKind::Mode,
                format!(
                    "`default_mode` must be read_only or standard, not `{}`",
                    clip(&mode, 40)
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
            allowed_methods,
            approval_wait_secs,
        };
        let stored = server.clone();
        self.store()
            .run(move |tx| tx.insert_server(&stored))
            .await?;
        Ok(server)
    }

    pub async fn servers(&self, caller: &Caller) -> Result<Vec<Server>, ServiceError> {
        let org = caller.org_id.clone();
        Ok(self.store().run(move |tx| tx.list_servers(&org)).await?)
    }

    pub async fn server(&self, caller: &Caller, id: &str) -> Result<Server, ServiceError> {
        let (org, key) = (caller.org_id.clone(), id.to_string());
        self.store()
            .run(move |tx| tx.server(&org, &key))
            .await?
            .ok_or_else(|| ServiceError::not_found("server", id))
    }

    /// Removes an MCP server (admin keys only); its sessions' calls are denied from then on.
    pub async fn remove_server(&self, caller: &Caller, id: &str) -> Result<(), ServiceError> {
        caller.require_admin("remove MCP servers")?;
        let (org, key) = (caller.org_id.clone(), id.to_string());
        if self
            .store()
            .run(move |tx| tx.delete_server(&org, &key))
            .await?
        {
            Ok(())
        } else {
            Err(ServiceError::not_found("server", id))
        }
    }
}
