//! Sessions: opening one bound to an MCP server, and the session a check creates on first use.

use chrono::{DateTime, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use airlock_core::chain;
use airlock_core::session::BaseMode;
use airlock_store::model::{Agent, Server, Session};
use airlock_store::{GatewayReads, StoreError, Tx};

use super::{Caller, Service, ServiceError};
use crate::auth::{KeyHash, new_id};

/// Which session [`Service::open_server_session`] opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionChoice<'a> {
    /// A new session with a fresh id (`POST /mcp/sessions/init`).
    New,
    /// This session: reused if it exists (it must be the agent's and bound to this server),
    /// else created with this id.
    Named(&'a str),
    /// The agent's own session on this server: one per (agent, server), found by that pair
    /// (every replica finds the same one). Its id is random, so no one else can create or
    /// claim it first.
    PerAgent,
}

/// The registered MCP server a session is bound to, as adapters need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerInfo {
    pub id: String,
    pub name: String,
    /// Where it listens: an http(s) URL, or `stdio:<command>` for a local server.
    pub url: String,
    /// The custom JSON-RPC methods its registration allows (exact names).
    pub allowed_methods: Vec<String>,
    /// How long a `tools/call` that needs an approval is held waiting for it (0: not held).
    pub approval_wait_secs: u64,
}

/// A session bound to an MCP server.
#[derive(Debug, Clone)]
pub struct BoundSession {
    pub session_id: String,
    pub agent_id: String,
    pub server: ServerInfo,
    pub(crate) record: Session,
}

/// The id an agent's own session on a server had before gateway sessions got random ids
/// (schema 12): derived from the agent and server ids, so anyone could compute it. A session
/// with this id is still used as the agent's own session when it is the agent's and bound to
/// that server; with any other owner it is ignored.
pub fn legacy_per_agent_session_id(agent_id: &str, server_id: &str) -> String {
    let digest = Sha256::digest(format!("{server_id}\n{agent_id}").as_bytes());
    format!("mcp_{}", hex::encode(digest.get(..16).unwrap_or_default()))
}

/// A new id for an agent's own session on a server: 128 random bits.
fn random_session_id() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    format!("mcp_{}", hex::encode(bytes))
}

pub(crate) enum Refusal {
    /// The presented API key authenticates nobody (the error says why).
    Key(ServiceError),
    Server,
    Agent,
    AgentInactive(String),
    OtherAgent,
    OtherServer(Option<String>),
}

/// Who acts: a caller already authenticated, or the hash of the key presented, authenticated
/// again by the transaction that acts (a key revoked meanwhile acts no more).
#[derive(Clone)]
pub(crate) enum Who {
    Caller(Caller),
    Key(KeyHash),
}

impl Who {
    /// The caller, in `tx`: the one given, or the key's as [`crate::auth::caller_in`] judges
    /// it (one statement on PostgreSQL).
    pub(crate) fn caller_in(
        &self,
        tx: &mut dyn Tx,
    ) -> Result<Result<Caller, ServiceError>, StoreError> {
        match self {
            Who::Caller(c) => Ok(Ok(c.clone())),
            Who::Key(hash) => crate::auth::caller_in(tx, &hash.0),
        }
    }
}

impl Service {
    /// Opens a session bound to an MCP server, or finds the named one. A new session's
    /// ceiling is the server's ceiling intersected with the agent's capabilities, fixed now;
    /// its mode is the server's default mode. Only an active agent gets a new session; an
    /// existing one is returned whatever its agent's status (its checks are denied).
    pub async fn open_server_session(
        &self,
        caller: &Caller,
        agent_id: &str,
        server_id: &str,
        choice: SessionChoice<'_>,
    ) -> Result<BoundSession, ServiceError> {
        let who = Who::Caller(caller.clone());
        let (_, bound) = self.open_as(who, agent_id, server_id, choice).await?;
        Ok(bound)
    }

    /// [`Service::open_server_session`] for the API key a request presented: the key is
    /// resolved by the same store round trip that finds or opens the session (the MCP
    /// gateway does this on every request). A missing, revoked or unknown key is refused as
    /// [`Service::authenticate_hash`] refuses it, before anything is read or written.
    pub async fn open_server_session_for_key(
        &self,
        key: KeyHash,
        agent_id: &str,
        server_id: &str,
        choice: SessionChoice<'_>,
    ) -> Result<(Caller, BoundSession), ServiceError> {
        self.open_as(Who::Key(key), agent_id, server_id, choice)
            .await
    }

    async fn open_as(
        &self,
        who: Who,
        agent_id: &str,
        server_id: &str,
        choice: SessionChoice<'_>,
    ) -> Result<(Caller, BoundSession), ServiceError> {
        let sid = match choice {
            SessionChoice::New | SessionChoice::PerAgent => None,
            SessionChoice::Named(id) => Some(id.to_string()),
        };
        let per_agent = choice == SessionChoice::PerAgent;
        // Two first requests may race to create the same per-agent session: the loser's
        // transaction fails on the (organization, agent, server) key, and a second look
        // finds the winner's.
        let attempts = if per_agent { 2 } else { 1 };
        let mut found = Err(StoreError::Closed);
        for _ in 0..attempts {
            let (who, agent, server, sid) = (
                who.clone(),
                agent_id.to_string(),
                server_id.to_string(),
                sid.clone(),
            );
            found = self
                .store()
                .run(move |tx| {
                    // Run again if its batch is retried: nothing here is consumed.
                    let caller = match &who {
                        Who::Caller(c) => c.clone(),
                        Who::Key(hash) => {
                            match key_opening(
                                tx,
                                &hash.0,
                                &agent,
                                &server,
                                sid.as_deref(),
                                per_agent,
                            )? {
                                KeyOpening::Found(found) => return Ok(Ok(*found)),
                                KeyOpening::Refused(r) => return Ok(Err(r)),
                                KeyOpening::ToCreate(caller) => caller,
                            }
                        }
                    };
                    let org = caller.org_id.as_str();
                    let opened = if per_agent {
                        per_agent_session(tx, org, &agent, &server)?
                    } else {
                        named_or_new_session(tx, org, &agent, &server, sid.clone())?
                    };
                    Ok(opened.map(|(srv, s)| (caller, srv, s)))
                })
                .await;
            if found.is_ok() {
                break;
            }
        }
        match found? {
            Ok((caller, server, record)) => Ok((caller, bound_session(server, record))),
            Err(r) => Err(refusal_error(r, agent_id, server_id)),
        }
    }

    /// A session of the caller's organization, as stored.
    pub(crate) async fn session_record(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<Session, ServiceError> {
        let org = caller.org_id.clone();
        let key = id.to_string();
        self.store()
            .run(move |tx| tx.session(&org, &key))
            .await?
            .ok_or_else(|| ServiceError::not_found("session", id))
    }
}

/// What the gateway's joined read answers for a key's request, without writing anything.
pub(crate) enum KeyOpening {
    /// The key's caller and its existing session: the agent's, bound to this server.
    Found(Box<(Caller, Server, Session)>),
    Refused(Refusal),
    /// The key's caller; the session is to be created or adopted (a first use, or `New`).
    ToCreate(Caller),
}

/// The key (`hash`) and, in its organization only, the session a request names (`sid`) or
/// the agent's own (`per_agent`), read by one statement on PostgreSQL
/// ([`Tx::gateway_reads`]). Run again if its batch is retried: nothing here is consumed.
pub(crate) fn key_opening(
    tx: &mut dyn Tx,
    hash: &str,
    agent: &str,
    server: &str,
    sid: Option<&str>,
    per_agent: bool,
) -> Result<KeyOpening, StoreError> {
    let (found, reads) = match tx.gateway_reads(hash, agent, server, sid)? {
        Some((key, org, reads)) => (Some((key, org)), Some(reads)),
        None => (None, None),
    };
    let caller = match crate::auth::caller_of_found(found, hash) {
        Ok(c) => c,
        Err(e) => return Ok(KeyOpening::Refused(Refusal::Key(e))),
    };
    let named = sid.is_some();
    Ok(
        match reads.and_then(|r| existing(r, agent, per_agent, named)) {
            Some(Ok((srv, s))) => KeyOpening::Found(Box::new((caller, srv, s))),
            Some(Err(r)) => KeyOpening::Refused(r),
            None => KeyOpening::ToCreate(caller),
        },
    )
}

/// The session answered to the gateway, with what it needs of its server.
pub(crate) fn bound_session(server: Server, record: Session) -> BoundSession {
    BoundSession {
        session_id: record.id.clone(),
        agent_id: record.agent_id.clone(),
        server: ServerInfo {
            id: server.id,
            name: server.name,
            url: server.url,
            allowed_methods: server.allowed_methods,
            approval_wait_secs: server.approval_wait_secs,
        },
        record,
    }
}

/// The error a refused opening answers.
pub(crate) fn refusal_error(r: Refusal, agent_id: &str, server_id: &str) -> ServiceError {
    match r {
        Refusal::Key(e) => e,
        Refusal::Server => ServiceError::not_found("server", server_id),
        Refusal::Agent => ServiceError::not_found("agent", agent_id),
        Refusal::AgentInactive(status) => {
            ServiceError::Forbidden(format!("agent `{agent_id}` is {status}"))
        }
        Refusal::OtherAgent => ServiceError::Forbidden(
            "the session named in X-Session-ID belongs to another agent".into(),
        ),
        Refusal::OtherServer(bound) => ServiceError::invalid(
            "session_id",
            match bound {
                Some(other) => format!(
                    "the session named in X-Session-ID is bound to server `{other}`, not `{server_id}`"
                ),
                None => format!(
                    "the session named in X-Session-ID is not bound to an MCP server: open one \
                     for `{server_id}` with POST /mcp/sessions/init, or send no X-Session-ID"
                ),
            },
        ),
    }
}

/// What [`per_agent_session`] (`per_agent`) or [`named_or_new_session`] answers from the
/// gateway's joined read, when it answers without writing: the server is not registered, or
/// the session exists (the agent's and on this server, or refused as another's). `None`: the
/// session is to be created or adopted, which those functions do.
fn existing(
    reads: GatewayReads,
    agent: &str,
    per_agent: bool,
    named: bool,
) -> Option<Result<(Server, Session), Refusal>> {
    // `New` names no session and finds none: it creates one.
    if !per_agent && !named {
        return None;
    }
    let Some(srv) = reads.server else {
        return Some(Err(Refusal::Server));
    };
    // Only `per_agent_session` writes the mapping, with a session of this agent and server.
    if per_agent && reads.mapped.is_none() {
        return None;
    }
    reads.session.map(|s| owned(srv, s, agent))
}

/// An existing session, only if it is the agent's and bound to this server.
fn owned(srv: Server, s: Session, agent: &str) -> Result<(Server, Session), Refusal> {
    if s.agent_id != agent {
        return Err(Refusal::OtherAgent);
    }
    if s.server_id.as_deref() != Some(srv.id.as_str()) {
        return Err(Refusal::OtherServer(s.server_id));
    }
    Ok((srv, s))
}

/// A named session (found, or created with that id) or a new one (`sid` is `None`).
fn named_or_new_session(
    tx: &mut dyn Tx,
    org: &str,
    agent: &str,
    server: &str,
    sid: Option<String>,
) -> Result<Result<(Server, Session), Refusal>, StoreError> {
    // A new session names its agent's problems first; a named one its server's, and an
    // existing one is returned before its agent is read.
    let agent_first = match &sid {
        None => match active_agent(tx, org, agent)? {
            Ok(a) => Some(a),
            Err(r) => return Ok(Err(r)),
        },
        Some(_) => None,
    };
    let Some(srv) = tx.server(org, server)? else {
        return Ok(Err(Refusal::Server));
    };
    if let Some(id) = &sid
        && let Some(s) = tx.session(org, id)?
    {
        return Ok(owned(srv, s, agent));
    }
    let a = match agent_first {
        Some(a) => a,
        None => match active_agent(tx, org, agent)? {
            Ok(a) => a,
            Err(r) => return Ok(Err(r)),
        },
    };
    let id = sid.unwrap_or_else(|| new_id("sess"));
    let session = server_session(org, &id, &a, &srv, Utc::now());
    tx.insert_session(&session)?;
    Ok(Ok((srv, session)))
}

/// The agent's own session on a server (see [`SessionChoice::PerAgent`]), created on first
/// use. Found by (organization, agent, server) in `gateway_sessions`; a session with the
/// agent's legacy id is adopted only when it is the agent's and bound to this server.
fn per_agent_session(
    tx: &mut dyn Tx,
    org: &str,
    agent: &str,
    server: &str,
) -> Result<Result<(Server, Session), Refusal>, StoreError> {
    let Some(srv) = tx.server(org, server)? else {
        return Ok(Err(Refusal::Server));
    };
    let mapped = tx.gateway_session_id(org, agent, server)?;
    if let Some(id) = &mapped
        && let Some(s) = tx.session(org, id)?
    {
        // Only this function writes the mapping, with a session of this agent and server.
        return Ok(owned(srv, s, agent));
    }
    if mapped.is_none() {
        let legacy = legacy_per_agent_session_id(agent, server);
        if let Some(s) = tx.session(org, &legacy)?
            && s.agent_id == agent
            && s.server_id.as_deref() == Some(srv.id.as_str())
        {
            tx.insert_gateway_session(org, agent, server, &legacy)?;
            return Ok(Ok((srv, s)));
        }
    }
    let a = match active_agent(tx, org, agent)? {
        Ok(a) => a,
        Err(r) => return Ok(Err(r)),
    };
    // A mapping whose session is missing keeps its id (sessions are never deleted).
    let id = match mapped {
        Some(id) => id,
        None => {
            let id = random_session_id();
            tx.insert_gateway_session(org, agent, server, &id)?;
            id
        }
    };
    let session = server_session(org, &id, &a, &srv, Utc::now());
    tx.insert_session(&session)?;
    Ok(Ok((srv, session)))
}

fn active_agent(
    tx: &mut dyn Tx,
    org: &str,
    agent: &str,
) -> Result<Result<Agent, Refusal>, StoreError> {
    Ok(match tx.agent(org, agent)? {
        None => Err(Refusal::Agent),
        Some(a) if a.status != "active" => Err(Refusal::AgentInactive(a.status)),
        Some(a) => Ok(a),
    })
}

/// A session bound to an MCP server: its ceiling is the server's ceiling intersected with the
/// agent's capabilities, fixed now; its mode is the server's default mode.
fn server_session(
    org_id: &str,
    id: &str,
    agent: &Agent,
    server: &Server,
    now: DateTime<Utc>,
) -> Session {
    let ceiling = crate::view::server_ceiling(server);
    let mut session = implicit_session(
        org_id,
        id,
        &agent.id,
        Some(&airlock_core::scope::intersect(
            ceiling.as_deref(),
            &agent.capabilities,
        )),
        &server.default_mode,
        "mcp",
        now,
    );
    session.server_id = Some(server.id.clone());
    session
}

/// A session created on first use: the agent's capabilities as ceiling, the organization's
/// default mode. An unknown agent gets an empty ceiling (its calls are denied and recorded).
pub fn implicit_session(
    org_id: &str,
    id: &str,
    agent_id: &str,
    capabilities: Option<&[String]>,
    default_mode: &str,
    source: &str,
    now: DateTime<Utc>,
) -> Session {
    Session {
        org_id: org_id.to_string(),
        id: id.to_string(),
        agent_id: agent_id.to_string(),
        server_id: None,
        source: source.to_string(),
        scope_ceiling: capabilities.map(<[String]>::to_vec).unwrap_or_default(),
        base_mode: BaseMode::parse(default_mode)
            .unwrap_or(BaseMode::ReadOnly)
            .as_str()
            .to_string(),
        elevated_until: None,
        total_calls: 0,
        read_calls: 0,
        write_calls: 0,
        denied_calls: 0,
        head: chain::GENESIS.to_string(),
        created_at: now,
        last_activity_at: now,
    }
}
