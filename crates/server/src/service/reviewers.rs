//! The Deep tier's reviewers of an organization (`PUT`/`GET /api/v1/reviewers`): their
//! configuration, validated before it is stored, and shown without secrets.
//!
//! Kinds: `person` (the default: the approval queue), `webhook` (a signed POST), `llm` (the
//! Anthropic Messages API or an OpenAI-compatible chat-completions endpoint). Webhook secrets
//! are stored, because each request is signed with them, and never shown again; LLM API keys
//! are never stored: the configuration names the environment variable or file that holds one.

use chrono::Utc;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use airlock_store::model::ReviewerSet;

use super::{Caller, Service, ServiceError, validate};

/// The most reviewers an organization may list.
pub const MAX_REVIEWERS: usize = 16;
pub const MAX_REVIEWER_NAME: usize = 64;
pub const DEFAULT_TIMEOUT_MS: u64 = 5_000;
pub const MIN_TIMEOUT_MS: u64 = 100;
pub const MAX_TIMEOUT_MS: u64 = 60_000;
pub const MIN_SECRET: usize = 16;
pub const MAX_SECRET: usize = 256;
pub const MAX_MODEL: usize = 128;
pub const DEFAULT_MAX_TOKENS: u32 = 512;
pub const MAX_MAX_TOKENS: u32 = 4096;
const MAX_KEY_PATH: usize = 1024;

/// One reviewer, validated.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Reviewer {
    Person(Person),
    Webhook(Webhook),
    Llm(Llm),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Webhook {
    #[serde(default)]
    pub name: String,
    pub url: String,
    /// Signs each request; required, except that a `PUT` without it keeps the stored secret
    /// of the webhook with the same name and URL.
    #[serde(default)]
    pub secret: Option<String>,
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    #[serde(default)]
    pub can_allow: bool,
    #[serde(default)]
    pub min_confidence: Option<f64>,
}

/// Which API an LLM reviewer speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Provider {
    /// `POST {base_url}/v1/messages`, `x-api-key`, `anthropic-version: 2023-06-01`.
    Anthropic,
    /// `POST {base_url}/chat/completions`, `Authorization: Bearer`, JSON mode.
    Openai,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Llm {
    #[serde(default)]
    pub name: String,
    pub provider: Provider,
    pub base_url: String,
    pub model: String,
    /// The environment variable holding the API key.
    #[serde(default)]
    pub api_key_env: Option<String>,
    /// The file holding the API key (one line).
    #[serde(default)]
    pub api_key_file: Option<String>,
    #[serde(default)]
    pub max_tokens: Option<u32>,
    #[serde(default)]
    pub timeout_ms: Option<u64>,
    #[serde(default)]
    pub can_allow: bool,
    #[serde(default)]
    pub min_confidence: Option<f64>,
}

impl Reviewer {
    pub fn name(&self) -> &str {
        match self {
            Reviewer::Person(p) => &p.name,
            Reviewer::Webhook(w) => &w.name,
            Reviewer::Llm(l) => &l.name,
        }
    }

    pub fn kind(&self) -> &'static str {
        match self {
            Reviewer::Person(_) => "person",
            Reviewer::Webhook(_) => "webhook",
            Reviewer::Llm(_) => "llm",
        }
    }

    /// The shown form: the webhook secret replaced by a hint.
    pub fn view(&self) -> Value {
        let mut v = serde_json::to_value(self).unwrap_or(Value::Null);
        if let (Reviewer::Webhook(w), Some(obj)) = (self, v.as_object_mut()) {
            obj.remove("secret");
            let hint = w.secret.as_deref().map(secret_hint);
            obj.insert("secret_hint".into(), json!(hint));
        }
        v
    }
}

/// The first three characters of a long secret, never more.
fn secret_hint(secret: &str) -> String {
    let head: String = secret.chars().take(3).collect();
    format!("{head}…")
}

fn invalid(field: &str, message: impl Into<String>) -> ServiceError {
    ServiceError::invalid(field, message)
}

/// Parses and validates a `PUT` body's list; `stored` supplies secrets a webhook omits.
pub fn parse_list(list: &Value, stored: &[Reviewer]) -> Result<Vec<Reviewer>, ServiceError> {
    let Some(items) = list.as_array() else {
        return Err(invalid("reviewers", "`reviewers` must be a list"));
    };
    if items.len() > MAX_REVIEWERS {
        return Err(invalid(
            "reviewers",
            format!("at most {MAX_REVIEWERS} reviewers"),
        ));
    }
    let mut out: Vec<Reviewer> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let field = format!("reviewers[{i}]");
        let mut r = parse_one(&field, item, i)?;
        if let Reviewer::Webhook(w) = &mut r
            && w.secret.is_none()
        {
            w.secret = stored.iter().find_map(|s| match s {
                Reviewer::Webhook(old) if old.name == w.name && old.url == w.url => {
                    old.secret.clone()
                }
                _ => None,
            });
            if w.secret.is_none() {
                return Err(invalid(
                    &format!("{field}.secret"),
                    format!("`{field}.secret` is required for a new webhook reviewer"),
                ));
            }
        }
        if out.iter().any(|o| o.name() == r.name()) {
            return Err(invalid(
                &format!("{field}.name"),
                format!("reviewer name `{}` is used twice", r.name()),
            ));
        }
        out.push(r);
    }
    Ok(out)
}

fn parse_one(field: &str, item: &Value, index: usize) -> Result<Reviewer, ServiceError> {
    let Some(obj) = item.as_object() else {
        return Err(invalid(field, format!("`{field}` must be an object")));
    };
    let mut obj: Map<String, Value> = obj.clone();
    // What `GET` shows in place of a secret may come back unchanged.
    obj.remove("secret_hint");
    let kind = match obj.remove("kind") {
        None | Some(Value::Null) => "person".to_string(),
        Some(Value::String(k)) => k,
        Some(_) => return Err(invalid(field, format!("`{field}.kind` must be a string"))),
    };
    let shape = |e: serde_json::Error| invalid(field, format!("`{field}`: {e}"));
    let body = Value::Object(obj);
    let mut r = match kind.as_str() {
        "person" => Reviewer::Person(serde_json::from_value(body).map_err(shape)?),
        "webhook" => Reviewer::Webhook(serde_json::from_value(body).map_err(shape)?),
        "llm" => Reviewer::Llm(serde_json::from_value(body).map_err(shape)?),
        other => {
            return Err(invalid(
                &format!("{field}.kind"),
                format!(
                    "`{field}.kind` must be person, webhook or llm, not `{}`",
                    super::clip(other, 40)
                ),
            ));
        }
    };
    let default_name = format!("{}-{}", r.kind(), index + 1);
    match &mut r {
        Reviewer::Person(p) => p.name = name(field, &p.name, default_name)?,
        Reviewer::Webhook(w) => {
            w.name = name(field, &w.name, default_name)?;
            url(&format!("{field}.url"), &w.url)?;
            if let Some(secret) = &w.secret {
                let f = format!("{field}.secret");
                validate::optional_text(&f, secret, MAX_SECRET)?;
                if secret.len() < MIN_SECRET {
                    return Err(invalid(
                        &f,
                        format!("`{f}` must be at least {MIN_SECRET} bytes"),
                    ));
                }
            }
            common(field, w.timeout_ms, w.min_confidence)?;
        }
        Reviewer::Llm(l) => {
            l.name = name(field, &l.name, default_name)?;
            url(&format!("{field}.base_url"), &l.base_url)?;
            validate::text(&format!("{field}.model"), &l.model, MAX_MODEL)?;
            match (&l.api_key_env, &l.api_key_file) {
                (Some(env), None) => key_env(&format!("{field}.api_key_env"), env)?,
                (None, Some(path)) => key_file(&format!("{field}.api_key_file"), path)?,
                _ => {
                    return Err(invalid(
                        field,
                        format!("`{field}` needs exactly one of `api_key_env` and `api_key_file`"),
                    ));
                }
            }
            if let Some(t) = l.max_tokens
                && !(16..=MAX_MAX_TOKENS).contains(&t)
            {
                return Err(invalid(
                    &format!("{field}.max_tokens"),
                    format!("`{field}.max_tokens` must be between 16 and {MAX_MAX_TOKENS}"),
                ));
            }
            common(field, l.timeout_ms, l.min_confidence)?;
        }
    }
    Ok(r)
}

fn name(field: &str, given: &str, default: String) -> Result<String, ServiceError> {
    let f = format!("{field}.name");
    let given = given.trim();
    if given.is_empty() {
        return Ok(default);
    }
    validate::optional_text(&f, given, MAX_REVIEWER_NAME)?;
    Ok(given.to_string())
}

fn url(field: &str, raw: &str) -> Result<(), ServiceError> {
    validate::text(field, raw, validate::MAX_URL)?;
    airlock_outbound::parse_url(raw).map_err(|e| invalid(field, format!("`{field}`: {e}")))?;
    Ok(())
}

fn common(field: &str, timeout: Option<u64>, min: Option<f64>) -> Result<(), ServiceError> {
    if let Some(t) = timeout
        && !(MIN_TIMEOUT_MS..=MAX_TIMEOUT_MS).contains(&t)
    {
        return Err(invalid(
            &format!("{field}.timeout_ms"),
            format!("`{field}.timeout_ms` must be between {MIN_TIMEOUT_MS} and {MAX_TIMEOUT_MS}"),
        ));
    }
    if let Some(m) = min
        && !(0.0..=1.0).contains(&m)
    {
        return Err(invalid(
            &format!("{field}.min_confidence"),
            format!("`{field}.min_confidence` must be between 0 and 1"),
        ));
    }
    Ok(())
}

/// An environment variable name; Airlock's own variables (database URL, keys) are refused so
/// that a reviewer cannot send them to its endpoint.
fn key_env(field: &str, name: &str) -> Result<(), ServiceError> {
    let ok_shape = !name.is_empty()
        && name.len() <= 128
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !name.starts_with(|c: char| c.is_ascii_digit());
    if !ok_shape {
        return Err(invalid(
            field,
            format!("`{field}` must be an environment variable name"),
        ));
    }
    let upper = name.to_ascii_uppercase();
    let own = (upper.starts_with("AIRLOCK_") && !upper.starts_with("AIRLOCK_REVIEWER_"))
        || upper.starts_with("AGENTTRUST_")
        || upper == "DATABASE_URL";
    if own {
        return Err(invalid(
            field,
            format!(
                "`{field}` may not name Airlock's own settings; use AIRLOCK_REVIEWER_… or a provider's variable"
            ),
        ));
    }
    Ok(())
}

fn key_file(field: &str, path: &str) -> Result<(), ServiceError> {
    validate::text(field, path, MAX_KEY_PATH)?;
    if !std::path::Path::new(path).is_absolute() {
        return Err(invalid(
            field,
            format!("`{field}` must be an absolute path"),
        ));
    }
    Ok(())
}

impl Service {
    /// The organization's reviewers, in order, without secrets.
    pub async fn reviewers(&self, caller: &Caller) -> Result<Vec<Value>, ServiceError> {
        caller.require_admin("read the reviewers")?;
        let org = caller.org_id.clone();
        let set = self.store().run(move |tx| tx.reviewer_set(&org)).await?;
        Ok(stored(set.as_ref())?.iter().map(Reviewer::view).collect())
    }

    /// Replaces the organization's reviewers with `list` (validated first: a bad list changes
    /// nothing). Returns them as `GET` shows them.
    pub async fn set_reviewers(
        &self,
        caller: &Caller,
        list: &Value,
    ) -> Result<Vec<Value>, ServiceError> {
        caller.require_admin("change the reviewers")?;
        let org = caller.org_id.clone();
        let list = list.clone();
        let saved = self
            .store()
            .run(move |tx| {
                let current = tx.reviewer_set(&org)?;
                // A stored list this build cannot read is replaced whole.
                let old = stored(current.as_ref()).unwrap_or_default();
                let new = match parse_list(&list, &old) {
                    Ok(n) => n,
                    Err(e) => return Ok(Err(e)),
                };
                let text = serde_json::to_string(&new)
                    .map_err(|e| airlock_store::StoreError::Corrupt(e.to_string()))?;
                tx.put_reviewer_set(&ReviewerSet {
                    org_id: org.clone(),
                    reviewers: text,
                    updated_at: Utc::now(),
                })?;
                Ok(Ok(new))
            })
            .await??;
        Ok(saved.iter().map(Reviewer::view).collect())
    }
}

/// The stored list (empty when none was ever set).
pub(crate) fn stored(set: Option<&ReviewerSet>) -> Result<Vec<Reviewer>, ServiceError> {
    match set {
        None => Ok(Vec::new()),
        Some(s) => serde_json::from_str(&s.reviewers).map_err(|e| {
            tracing::error!(error = %e, "stored reviewer list unreadable");
            ServiceError::Unavailable
        }),
    }
}
