//! Notification webhooks: an organization's endpoints told about every new approval, and
//! their delivery. Delivery runs on its own tasks after the check's transaction committed, so
//! it never delays or changes a decision; each POST is signed (`X-Airlock-Signature`) and
//! retried with doubling backoff through `airlock-outbound`.

use std::time::Duration;

use chrono::Utc;
use serde_json::{Value, json};

use airlock_outbound::{OutboundError, Post, parse_url};
pub use airlock_store::model::Webhook;
use airlock_store::model::{Approval, ts};

use super::{Caller, Service, ServiceError, clip, validate};
use crate::auth::new_id;

/// The most webhooks one organization may have.
pub const MAX_WEBHOOKS: usize = 16;
/// Bounds of a webhook secret, in bytes.
const MIN_SECRET: usize = 16;
const MAX_SECRET: usize = 256;
/// How long one delivery attempt may take.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);
/// The largest input summary a Slack message shows.
const SLACK_INPUT_BYTES: usize = 500;

/// A webhook as asked for.
#[derive(Debug, Clone, Default)]
pub struct NewWebhook {
    pub url: String,
    pub secret: String,
    /// `json` (default) or `slack`.
    pub format: Option<String>,
}

impl Service {
    /// Registers a notification webhook (admin keys only).
    pub async fn create_webhook(
        &self,
        caller: &Caller,
        new: NewWebhook,
    ) -> Result<Webhook, ServiceError> {
        caller.require_admin("manage notification webhooks")?;
        let url = validate::text("url", &new.url, validate::MAX_URL)?.to_string();
        let parsed = parse_url(&url).map_err(|e| ServiceError::invalid("url", e.to_string()))?;
        if self.config().deny_private_webhooks
            && let Some(ip) = literal_ip(&parsed)
            && airlock_outbound::is_private(ip)
        {
            return Err(ServiceError::invalid(
                "url",
                OutboundError::PrivateAddress(ip.to_string()).to_string(),
            ));
        }
        let secret = new.secret.as_str();
        if secret.len() < MIN_SECRET || secret.len() > MAX_SECRET {
            return Err(ServiceError::invalid(
                "secret",
                format!("`secret` must be {MIN_SECRET} to {MAX_SECRET} bytes"),
            ));
        }
        validate::optional_text("secret", secret, MAX_SECRET)?;
        let format = match new.format.as_deref().map(str::trim) {
            None | Some("") | Some("json") => "json",
            Some("slack") => "slack",
            Some(_) => {
                return Err(ServiceError::invalid(
                    "format",
                    "`format` must be json or slack",
                ));
            }
        };
        let hook = Webhook {
            id: new_id("whk"),
            org_id: caller.org_id.clone(),
            url,
            secret: secret.to_string(),
            format: format.into(),
            created_at: Utc::now(),
        };
        let row = hook.clone();
        let created = self
            .store()
            .run(move |tx| {
                if tx.webhooks(&row.org_id)?.len() >= MAX_WEBHOOKS {
                    return Ok(false);
                }
                tx.insert_webhook(&row).map(|()| true)
            })
            .await?;
        if !created {
            return Err(ServiceError::Conflict(format!(
                "an organization has at most {MAX_WEBHOOKS} notification webhooks"
            )));
        }
        Ok(hook)
    }

    /// The organization's notification webhooks (admin keys only).
    pub async fn webhooks(&self, caller: &Caller) -> Result<Vec<Webhook>, ServiceError> {
        caller.require_admin("manage notification webhooks")?;
        let org = caller.org_id.clone();
        Ok(self.store().run(move |tx| tx.webhooks(&org)).await?)
    }

    /// Deletes a notification webhook (admin keys only).
    pub async fn delete_webhook(&self, caller: &Caller, id: &str) -> Result<(), ServiceError> {
        caller.require_admin("manage notification webhooks")?;
        let (org, key) = (caller.org_id.clone(), id.to_string());
        let deleted = self
            .store()
            .run(move |tx| tx.delete_webhook(&org, &key))
            .await?;
        if deleted {
            Ok(())
        } else {
            Err(ServiceError::not_found("webhook", id))
        }
    }

    /// Tells every webhook of `org` about the new approval `id`, on tasks of their own: the
    /// caller returns at once. Failures are logged by webhook id (never its URL or secret).
    pub(crate) fn notify_new_approval(&self, org: String, id: String) {
        let Some(outbound) = self.outbound.clone() else {
            return;
        };
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        let service = self.clone();
        runtime.spawn(async move {
            let (o, key) = (org.clone(), id.clone());
            let found = service
                .store()
                .run(move |tx| Ok((tx.approval(&o, &key)?, tx.webhooks(&o)?)))
                .await;
            let (approval, hooks) = match found {
                Ok((Some(a), hooks)) => (a, hooks),
                Ok((None, _)) => return,
                Err(e) => {
                    tracing::warn!(approval = %id, "notifications not sent: {e}");
                    return;
                }
            };
            let link = service
                .config()
                .public_url
                .as_deref()
                .map(|base| format!("{}/console/approvals/{}", base.trim_end_matches('/'), id));
            let attempts = service.config().webhook_attempts;
            let backoff = Duration::from_millis(service.config().webhook_backoff_ms);
            for hook in hooks {
                let body = payload(&hook.format, &approval, link.as_deref());
                let post = Post {
                    url: hook.url.clone(),
                    body: body.to_string().into_bytes(),
                    headers: vec![("x-airlock-event".into(), "approval.created".into())],
                    timeout: DELIVERY_TIMEOUT,
                    secret: Some(hook.secret.clone()),
                };
                let outbound = outbound.clone();
                let approval_id = id.clone();
                let metrics = service.metrics.clone();
                tokio::spawn(async move {
                    match outbound.post_with_retries(&post, attempts, backoff).await {
                        Ok(answer) if answer.is_success() => {}
                        Ok(answer) => {
                            metrics.notification_failed();
                            tracing::warn!(
                                webhook = %hook.id, approval = %approval_id,
                                "notification refused with HTTP {}", answer.status
                            )
                        }
                        Err(e) => {
                            metrics.notification_failed();
                            tracing::warn!(
                                webhook = %hook.id, approval = %approval_id,
                                "notification not delivered: {e}"
                            )
                        }
                    }
                });
            }
        });
    }
}

/// The host of `url` if it is an IP address literal.
fn literal_ip(url: &url::Url) -> Option<std::net::IpAddr> {
    match url.host()? {
        url::Host::Ipv4(ip) => Some(ip.into()),
        url::Host::Ipv6(ip) => Some(ip.into()),
        url::Host::Domain(_) => None,
    }
}

/// What an approval's input looks like in a notification.
fn input_summary(a: &Approval) -> String {
    match &a.input {
        Some(input) => super::check::summary(input),
        None => String::new(),
    }
}

/// The body a webhook of `format` receives for a new approval.
pub(crate) fn payload(format: &str, a: &Approval, link: Option<&str>) -> Value {
    if format == "slack" {
        return json!({ "text": slack_text(a, link) });
    }
    json!({
        "event": "approval.created",
        "approval": {
            "id": a.id,
            "kind": a.kind,
            "action_name": a.action_name,
            "action_effect": a.action_effect,
            "input_summary": input_summary(a),
            "input_digest": a.input_digest,
            "reason": a.reason,
            "reasons": a.reasons,
            "session_id": a.session_id,
            "agent_id": a.agent_id,
            "status": a.status,
            "created_at": ts(a.created_at),
            "expires_at": ts(a.expires_at),
        },
        "link": link,
    })
}

/// Slack's mrkdwn reserves `&`, `<` and `>`.
fn slack_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn slack_text(a: &Approval, link: Option<&str>) -> String {
    let mut text = format!(
        "Airlock approval needed: *{}* ({}, {})\nAgent `{}`, session `{}`\nReason: {}\n",
        slack_escape(&a.action_name),
        slack_escape(&a.action_effect),
        slack_escape(&a.kind),
        slack_escape(&a.agent_id),
        slack_escape(&a.session_id),
        slack_escape(&a.reason),
    );
    let summary = input_summary(a);
    if !summary.is_empty() {
        let shown = clip(&summary, SLACK_INPUT_BYTES).replace("```", "'''");
        text.push_str(&format!("Input: ```{}```\n", slack_escape(&shown)));
    }
    text.push_str(&format!(
        "Approval `{}` expires {}",
        slack_escape(&a.id),
        ts(a.expires_at)
    ));
    if let Some(link) = link {
        text.push_str(&format!("\n<{}|Decide in the console>", slack_escape(link)));
    }
    text
}

/// What `GET` shows of a secret: its first four characters and its length.
pub fn secret_hint(secret: &str) -> String {
    let head: String = secret.chars().take(4).collect();
    format!("{head}… ({} chars)", secret.chars().count())
}
