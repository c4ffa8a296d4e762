//! `/api/v1/notifications/webhooks`: where an organization is told about new approvals
//! (admin keys only). The secret is write-only: answers show a hint of it, never the secret.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::Deserialize;
use serde_json::{Value, json};

use airlock_store::model::ts;

use crate::Service;
use crate::auth::Caller;
use crate::body::JsonBody;
use crate::error::ApiError;
use crate::service::{NewWebhook, Webhook};

#[derive(Deserialize)]
pub struct CreateWebhook {
    #[serde(default)]
    url: String,
    #[serde(default)]
    secret: String,
    #[serde(default)]
    format: Option<String>,
}

fn view(w: &Webhook) -> Value {
    json!({
        "id": w.id,
        "url": w.url,
        "format": w.format,
        "secret_hint": crate::service::secret_hint(&w.secret),
        "created_at": ts(w.created_at),
    })
}

pub async fn create(
    State(service): State<Service>,
    caller: Caller,
    JsonBody(body): JsonBody<CreateWebhook>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let new = NewWebhook {
        url: body.url,
        secret: body.secret,
        format: body.format,
    };
    let hook = service.create_webhook(&caller, new).await?;
    Ok((StatusCode::CREATED, Json(view(&hook))))
}

pub async fn list(State(service): State<Service>, caller: Caller) -> Result<Json<Value>, ApiError> {
    let hooks = service.webhooks(&caller).await?;
    Ok(Json(
        json!({"webhooks": hooks.iter().map(view).collect::<Vec<_>>()}),
    ))
}

pub async fn delete(
    State(service): State<Service>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    service.delete_webhook(&caller, &id).await?;
    Ok(Json(json!({"deleted": true, "id": id})))
}
