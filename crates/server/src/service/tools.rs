//! Pinned MCP tool definitions: the first definition of a tool seen for a server is pinned; a
//! later different one marks the tool `changed`, and the pipeline denies its calls until an
//! operator accepts the new definition.

use chrono::Utc;
use serde::Serialize;
use serde_json::{Map, Value};

use airlock_core::{chain, scope};
use airlock_store::model::{ToolPin, ts};

use super::sessions::Who;
use super::{Caller, KeyHash, Service, ServiceError};

/// The fields of an MCP tool that define what it is; anything else (icons, `_meta`) may
/// change without re-review.
const DEFINING_FIELDS: &[&str] = &[
    "name",
    "title",
    "description",
    "inputSchema",
    "outputSchema",
    "annotations",
];

/// The most tools one observation may carry.
pub const MAX_TOOLS: usize = 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ObservedTool {
    pub name: String,
    /// `new` (pinned now), `pinned` (matches its pin) or `changed`.
    pub status: &'static str,
    /// Inside the given session's scope ceiling (true without a session).
    pub in_scope: bool,
}

/// The defining part of a tool object, canonical.
pub fn definition(tool: &Value) -> Result<(String, String), ServiceError> {
    let obj = tool
        .as_object()
        .ok_or_else(|| ServiceError::invalid("tools", "each tool must be an object"))?;
    let name = obj
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty() && n.len() <= 256)
        .ok_or_else(|| {
            ServiceError::invalid("tools[].name", "each tool needs a `name` of 1 to 256 bytes")
        })?;
    let mut defining = Map::new();
    for field in DEFINING_FIELDS {
        if let Some(v) = obj.get(*field) {
            defining.insert((*field).to_string(), v.clone());
        }
    }
    Ok((
        name.to_string(),
        chain::canonical_json(&Value::Object(defining)),
    ))
}

enum Missing {
    /// The key acts no more (revoked, unknown): why.
    Key(ServiceError),
    Server,
    Session,
}

impl Service {
    /// Records the tools a server listed, and answers each tool's status: the first definition
    /// of a tool is pinned, a different later one marks it `changed`. With a session, each
    /// tool's status says whether the session's scope ceiling covers it.
    pub async fn observe_tools(
        &self,
        caller: &Caller,
        server_id: &str,
        tools: &[Value],
        session_id: Option<&str>,
    ) -> Result<Vec<ObservedTool>, ServiceError> {
        let who = Who::Caller(caller.clone());
        self.observe_as(who, server_id, tools, session_id).await
    }

    /// [`Service::observe_tools`] for the key a request presented, authenticated again by the
    /// transaction that records the tools (the MCP gateway relays a tool list long after its
    /// request was authenticated): one store round trip.
    pub async fn observe_tools_for_key(
        &self,
        key: KeyHash,
        server_id: &str,
        tools: &[Value],
        session_id: Option<&str>,
    ) -> Result<Vec<ObservedTool>, ServiceError> {
        self.observe_as(Who::Key(key), server_id, tools, session_id)
            .await
    }

    async fn observe_as(
        &self,
        who: Who,
        server_id: &str,
        tools: &[Value],
        session_id: Option<&str>,
    ) -> Result<Vec<ObservedTool>, ServiceError> {
        if tools.len() > MAX_TOOLS {
            return Err(ServiceError::invalid(
                "tools",
                format!("at most {MAX_TOOLS} tools per observation"),
            ));
        }
        let defs = tools
            .iter()
            .map(definition)
            .collect::<Result<Vec<_>, _>>()?;
        let server = server_id.to_string();
        let session = session_id.map(str::to_string);
        let result = self
            .store()
            .run(move |tx| {
                let org = match who.caller_in(tx)? {
                    Ok(caller) => caller.org_id,
                    Err(e) => return Ok(Err(Missing::Key(e))),
                };
                if tx.server(&org, &server)?.is_none() {
                    return Ok(Err(Missing::Server));
                }
                let ceiling = match &session {
                    None => None,
                    Some(id) => match tx.session(&org, id)? {
                        Some(s) => Some(s.scope_ceiling),
                        None => return Ok(Err(Missing::Session)),
                    },
                };
                let now = Utc::now();
                let mut out = Vec::with_capacity(defs.len());
                for (name, def) in &defs {
                    let (name, def) = (name.clone(), def.clone());
                    let digest = chain::digest(def.as_bytes());
                    let status = match tx.tool_pin(&org, &server, &name)? {
                        None => {
                            tx.put_tool_pin(&ToolPin {
                                org_id: org.clone(),
                                server_id: server.clone(),
                                name: name.clone(),
                                definition: def,
                                digest,
                                status: "pinned".into(),
                                pending_definition: None,
                                pending_digest: None,
                                pinned_at: now,
                                changed_at: None,
                            })?;
                            "new"
                        }
                        Some(mut pin) if pin.digest == digest => {
                            if pin.status != "pinned" {
                                // The upstream went back to the reviewed definition.
                                pin.status = "pinned".into();
                                pin.pending_definition = None;
                                pin.pending_digest = None;
                                tx.put_tool_pin(&pin)?;
                            }
                            "pinned"
                        }
                        Some(mut pin) => {
                            if pin.pending_digest.as_deref() != Some(digest.as_str())
                                || pin.status != "changed"
                            {
                                pin.status = "changed".into();
                                pin.pending_definition = Some(def);
                                pin.pending_digest = Some(digest);
                                pin.changed_at = Some(now);
                                tx.put_tool_pin(&pin)?;
                            }
                            "changed"
                        }
                    };
                    let in_scope = ceiling
                        .as_deref()
                        .is_none_or(|c| scope::allowing(c, &name).is_some());
                    out.push(ObservedTool {
                        name,
                        status,
                        in_scope,
                    });
                }
                Ok(Ok(out))
            })
            .await?;
        match result {
            Ok(out) => Ok(out),
            Err(Missing::Key(e)) => Err(e),
            Err(Missing::Server) => Err(ServiceError::not_found("server", server_id)),
            Err(Missing::Session) => Err(ServiceError::not_found(
                "session",
                session_id.unwrap_or_default(),
            )),
        }
    }

    /// Accepts the pending definitions of `names` (all changed tools when empty); admin keys
    /// only.
    pub async fn accept_tools(
        &self,
        caller: &Caller,
        server_id: &str,
        names: &[String],
    ) -> Result<Vec<String>, ServiceError> {
        caller.require_admin("accept changed tool definitions")?;
        if names.len() > MAX_TOOLS {
            return Err(ServiceError::invalid(
                "tools",
                format!("at most {MAX_TOOLS} tools"),
            ));
        }
        let org = caller.org_id.clone();
        let server = server_id.to_string();
        let names = names.to_vec();
        let accepted = self
            .store()
            .run(move |tx| {
                if tx.server(&org, &server)?.is_none() {
                    return Ok(None);
                }
                let now = Utc::now();
                let mut accepted = Vec::new();
                for mut pin in tx.tool_pins(&org, &server)? {
                    if pin.status != "changed" || !(names.is_empty() || names.contains(&pin.name)) {
                        continue;
                    }
                    if let (Some(def), Some(digest)) =
                        (pin.pending_definition.take(), pin.pending_digest.take())
                    {
                        pin.definition = def;
                        pin.digest = digest;
                    }
                    pin.status = "pinned".into();
                    pin.pinned_at = now;
                    tx.put_tool_pin(&pin)?;
                    accepted.push(pin.name);
                }
                Ok(Some(accepted))
            })
            .await?;
        accepted.ok_or_else(|| ServiceError::not_found("server", server_id))
    }

    /// The pinned definitions of a server's tools.
    pub async fn tool_pins(
        &self,
        caller: &Caller,
        server_id: &str,
    ) -> Result<Vec<Value>, ServiceError> {
        let org = caller.org_id.clone();
        let server = server_id.to_string();
        let pins = self
            .store()
            .run(move |tx| {
                if tx.server(&org, &server)?.is_none() {
                    return Ok(None);
                }
                Ok(Some(tx.tool_pins(&org, &server)?))
            })
            .await?
            .ok_or_else(|| ServiceError::not_found("server", server_id))?;
        Ok(pins
            .iter()
            .map(|p| {
                let parse = |s: &str| serde_json::from_str::<Value>(s).unwrap_or(Value::Null);
                serde_json::json!({
                    "name": p.name,
                    "status": p.status,
                    "pinned_at": ts(p.pinned_at),
                    "changed_at": p.changed_at.map(ts),
                    "definition": parse(&p.definition),
                    "pending_definition": p.pending_definition.as_deref().map(parse),
                })
            })
            .collect())
    }
}
